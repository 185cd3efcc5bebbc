/* Dataspaces: anonymous memory and boot modules, each mirrored at an aligned address so any aligned part maps in one item. */
#include "roottask.h"
#include "string.h"
#include "pecan/rt/mem.h"

#define MAX_DS 256
#define MIRROR_BASE 0x0000500000000000ull
#define MIRROR_SLOT (1ull << 30) /* the largest dataspace */

struct ds {
	bool used;
	struct program *owner;     /* NULL for rom dataspaces (shared, never freed) */
	uint64_t pa, size;         /* physical memory, size rounded to pages */
	uint64_t real_size;        /* what was asked for, or the module's size */
	unsigned flags;            /* PECAN_DS_* */
	uint64_t sel;              /* its gate in the roottask's capability space */
};

static struct ds dss[MAX_DS];
static const struct pecan_kip *kip;
static uint64_t rom_ds[PECAN_KIP_MAX_MODULES]; /* index + 1 of the dataspace of each module, 0: none yet */

static uint64_t mirror(unsigned i) { return MIRROR_BASE + (uint64_t)i * MIRROR_SLOT; }

void ds_init(const struct pecan_kip *k) { kip = k; }

const struct pecan_kip_module *rom_find(const char *name, size_t len)
{
	for (unsigned i = 0; i < kip->nmodules && i < PECAN_KIP_MAX_MODULES; i++)
		if (strlen(kip->modules[i].name) == len && memcmp(kip->modules[i].name, name, len) == 0)
			return &kip->modules[i];
	return NULL;
}

/* Maps [pa, pa + size) from the window onto the dataspace's mirror, in the largest aligned chunks. */
static long map_mirror(unsigned i, uint64_t pa, uint64_t size, unsigned rights)
{
	uint64_t off = 0;
	while (off < size) {
		unsigned order = 12;
		while (order < 30 && ((pa + off) & ((2ull << order) - 1)) == 0 && (off & ((2ull << order) - 1)) == 0 &&
		       off + (2ull << order) <= size)
			order++;
		/* the window maps on first touch: touch the chunk before handing it on */
		for (uint64_t t = 0; t < (1ull << order); t += 4096)
			(void)*(volatile const char *)window(pa + off + t);
		long err = l4_task_map(PECAN_CAP_TASK, PECAN_CAP_TASK, pecan_fpage_mem((uint64_t)window(pa + off), order, rights),
				       mirror(i) + off, PECAN_ITEM_MAP);
		if (err)
			return err;
		off += 1ull << order;
	}
	return PECAN_OK;
}

static struct ds *ds_new(struct program *owner, uint64_t pa, uint64_t size, uint64_t real, unsigned flags)
{
	for (unsigned i = 0; i < MAX_DS; i++) {
		struct ds *d = &dss[i];
		if (d->used)
			continue;
		uint64_t sel = sel_alloc();
		if (!sel)
			return NULL;
		if (l4_factory_create_gate(PECAN_CAP_FACTORY, sel, PECAN_CAP_THREAD, rt_label(KIND_DS, i))) {
			sel_delete(sel);
			return NULL;
		}
		unsigned rights = (flags & PECAN_DS_READONLY) ? PECAN_FPAGE_R | PECAN_FPAGE_X : PECAN_FPAGE_RWX;
		if (map_mirror(i, pa, size, rights)) {
			l4_task_unmap(PECAN_CAP_TASK, pecan_fpage_mem(mirror(i), 30, PECAN_FPAGE_RWX), PECAN_UNMAP_SELF);
			sel_delete(sel);
			return NULL;
		}
		*d = (struct ds){true, owner, pa, size, real, flags, sel};
		return d;
	}
	return NULL;
}

static void ds_delete(struct ds *d)
{
	unsigned i = (unsigned)(d - dss);
	/* revokes the mirror and every mapping made from it, in every task */
	l4_task_unmap(PECAN_CAP_TASK, pecan_fpage_mem(mirror(i), 30, PECAN_FPAGE_RWX), PECAN_UNMAP_SELF);
	sel_delete(d->sel);
	if (d->owner) {
		pool_free(d->pa, d->size);
		d->owner->mem_used -= d->size;
	}
	d->used = false;
}

void ds_free_of(struct program *p)
{
	for (unsigned i = 0; i < MAX_DS; i++)
		if (dss[i].used && dss[i].owner == p)
			ds_delete(&dss[i]);
}

/* A reply carrying the dataspace's capability as a typed item. */
static pecan_msgtag_t reply_cap(struct ds *d)
{
	struct pecan_utcb *u = pecan_utcb();
	u->mr[0] = pecan_item_word0(PECAN_ITEM_MAP, 0);
	u->mr[1] = pecan_fpage_cap(d->sel, 0, PECAN_CAP_R | PECAN_CAP_D);
	return pecan_msgtag(PECAN_OK, 0, 1, 0);
}

static pecan_msgtag_t status(long err) { return pecan_msgtag((uint32_t)err, 0, 0, 0); }

static struct ds *rom_ds_of(const struct pecan_kip_module *m)
{
	unsigned mi = (unsigned)(m - kip->modules);
	if (rom_ds[mi])
		return &dss[rom_ds[mi] - 1];
	uint64_t size = (m->size + 4095) & ~4095ull;
	if (size > MIRROR_SLOT)
		return NULL;
	struct ds *d = ds_new(NULL, m->start, size, m->size, PECAN_DS_READONLY | PECAN_DS_ROM);
	if (d)
		rom_ds[mi] = (uint64_t)(d - dss) + 1;
	return d;
}

pecan_msgtag_t mem_request(struct program *p, uint64_t tag)
{
	uint64_t *mr = pecan_utcb()->mr;
	unsigned words = pecan_msgtag_words(tag);
	if (pecan_msgtag_items(tag))
		return status(PECAN_EINVAL);
	switch (pecan_msgtag_label(tag)) {
	case PECAN_MEM_ALLOC: {
		if (words < 1 || mr[0] == 0 || mr[0] > MIRROR_SLOT)
			return status(PECAN_EINVAL);
		uint64_t size = (mr[0] + 4095) & ~4095ull;
		if (p->mem_used + size > p->mem_limit)
			return status(PECAN_ENOMEM);
		uint64_t align = 4096;
		while (align < size && align < (2ull << 20))
			align <<= 1;
		uint64_t pa = pool_alloc(size, align);
		if (pa == ~0ull)
			return status(PECAN_ENOMEM);
		memset(window(pa), 0, size);
		struct ds *d = ds_new(p, pa, size, mr[0], 0);
		if (!d) {
			pool_free(pa, size);
			return status(PECAN_ENOMEM);
		}
		p->mem_used += size;
		return reply_cap(d);
	}
	case PECAN_MEM_QUERY: {
		if (words < 1 || mr[0] > 8 * (uint64_t)(words - 1) || mr[0] < 5)
			return status(PECAN_EINVAL);
		const char *name = (const char *)&mr[1];
		if (memcmp(name, "rom/", 4) != 0)
			return status(PECAN_EINVAL);
		const struct pecan_kip_module *m = rom_find(name + 4, mr[0] - 4);
		if (!m)
			return status(PECAN_EINVAL);
		struct ds *d = rom_ds_of(m);
		return d ? reply_cap(d) : status(PECAN_ENOMEM);
	}
	case PECAN_MEM_INFO:
		mr[0] = p->mem_used;
		mr[1] = p->mem_limit;
		return pecan_msgtag(PECAN_OK, 2, 0, 0);
	case PECAN_MEM_EXIT:
		rt_log("%s exited with code %ld", p->name, words ? (long)mr[0] : 0l);
		program_kill(p, NULL);
		return status(PECAN_OK); /* nobody is left to get it */
	}
	return status(PECAN_ENOSYS);
}

pecan_msgtag_t ds_request(uint64_t index, uint64_t tag)
{
	uint64_t *mr = pecan_utcb()->mr;
	unsigned words = pecan_msgtag_words(tag);
	if (index >= MAX_DS || !dss[index].used)
		return status(PECAN_ECANCELED);
	struct ds *d = &dss[index];
	if (pecan_msgtag_items(tag))
		return status(PECAN_EINVAL);
	switch (pecan_msgtag_label(tag)) {
	case PECAN_DS_INFO:
		mr[0] = d->real_size;
		mr[1] = d->flags;
		return pecan_msgtag(PECAN_OK, 2, 0, 0);
	case PECAN_DS_MAP: {
		if (words < 2 || mr[1] < 12 || mr[1] > 30)
			return status(PECAN_EINVAL);
		uint64_t off = mr[0], len = 1ull << mr[1];
		if ((off & (len - 1)) || off >= d->size || len > d->size - off)
			return status(PECAN_ERANGE);
		unsigned rights = (d->flags & PECAN_DS_READONLY) ? PECAN_FPAGE_R | PECAN_FPAGE_X : PECAN_FPAGE_RWX;
		mr[0] = pecan_item_word0(PECAN_ITEM_MAP, 0);
		mr[1] = pecan_fpage_mem(mirror(index) + off, (unsigned)__builtin_ctzll(len), rights);
		return pecan_msgtag(PECAN_OK, 0, 1, 0);
	}
	case PECAN_DS_FREE:
		if (!d->owner)
			return status(PECAN_EPERM);
		ds_delete(d);
		return status(PECAN_OK);
	}
	return status(PECAN_ENOSYS);
}
