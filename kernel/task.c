/* Tasks: creation, destruction, and the MAP, UNMAP, EXIT and CAP_INFO operations. */
#include "task.h"
#include "boot_program.h"
#include "factory.h"
#include "mapping.h"
#include "panic.h"
#include "pmem.h"
#include "thread.h"
#include "pecan/errors.h"
#include "pecan/fpage.h"
#include "arch/x86_64/layout.h"

struct task *task_create(struct factory *f)
{
	struct task *t = factory_new_object(f, sizeof(*t), PECAN_OBJ_TASK);
	if (!t)
		return NULL;
	void *pml4 = factory_alloc(f, PAGE_SIZE);
	if (!pml4) {
		factory_delete_object(&t->obj);
		return NULL;
	}
	as_init(&t->as, pml4);
	return t;
}

void task_exit(struct task *t, long code)
{
	t->exited = true;
	if (t->boot)
		boot_program_exited(t->boot, code);
	while (t->threads)
		thread_kill(t->threads); /* also unbinds it from t */
}

void task_destroy(struct task *t)
{
	while (t->threads)
		thread_kill(t->threads);
	cap_space_destroy(t);
	mapping_task_teardown(t);
	if (t->boot)
		boot_program_task_gone(t->boot);
	factory_delete_object(&t->obj);
}

/* Validates a memory flexpage; sets base and size. */
static bool mem_fpage(uint64_t fp, uint64_t *base, uint64_t *size)
{
	unsigned order = pecan_fpage_order(fp);
	if (pecan_fpage_kind(fp) != PECAN_FPAGE_MEM || order < PECAN_PAGE_ORDER || order > 47)
		return false;
	*base = pecan_fpage_base(fp);
	*size = 1ull << order;
	/* written so that no sum can wrap around */
	return (*base & (*size - 1)) == 0 && *base < USER_TOP && *size <= USER_TOP - *base;
}

/* Validates a capability flexpage; sets the first selector and the count. */
static bool cap_fpage(uint64_t fp, uint64_t *base, uint64_t *count)
{
	unsigned order = pecan_fpage_order(fp);
	if (pecan_fpage_kind(fp) != PECAN_FPAGE_CAP || order > 12)
		return false;
	*base = pecan_fpage_base(fp);
	*count = 1ull << order;
	return (*base & (*count - 1)) == 0 && *base < PECAN_CAP_SPACE_SIZE && *count <= PECAN_CAP_SPACE_SIZE - *base;
}

int task_map_fpage(struct task *dst, uint64_t dest, struct task *src, uint64_t fpage, unsigned rights,
		   bool grant)
{
	uint64_t base, n;
	rights &= pecan_fpage_rights(fpage);
	if (pecan_fpage_kind(fpage) == PECAN_FPAGE_MEM) {
		if (!mem_fpage(fpage, &base, &n) || (dest & (n - 1)) || dest >= USER_TOP || n > USER_TOP - dest)
			return PECAN_EINVAL;
		return mapping_map(dst, dest, src, base, n, rights, grant);
	}
	if (!cap_fpage(fpage, &base, &n) || dest == 0 || (dest & (n - 1)) || dest >= PECAN_CAP_SPACE_SIZE ||
	    n > PECAN_CAP_SPACE_SIZE - dest)
		return PECAN_EINVAL;
	/* decode: every present source needs the delegate right; prepare every target page */
	for (uint64_t i = 0; i < n; i++) {
		struct cap *c = cap_lookup(src, base + i);
		if (c && !(c->rights & PECAN_CAP_D))
			return PECAN_EPERM;
	}
	for (uint64_t i = 0; i < n; i++) {
		if (!cap_lookup(src, base + i))
			continue;
		int err = cap_prepare(dst, dest + i);
		if (err)
			return err;
	}
	for (uint64_t i = 0; i < n; i++) {
		struct cap *c = cap_lookup(src, base + i);
		if (!c)
			continue;
		struct cap *old = cap_lookup(dst, dest + i);
		if (old == c)
			continue;                    /* onto itself */
		if (old && cap_is_ancestor(old, c))
			continue;                    /* replacing it would delete the source */
		if (grant)
			cap_move(dst, dest + i, c);
		else
			cap_derive(dst, dest + i, c, rights);
	}
	return PECAN_OK;
}

static int task_unmap(struct task *t, uint64_t fpage, uint64_t flags)
{
	uint64_t base, n;
	bool self = flags & PECAN_UNMAP_SELF;
	if (flags & ~(uint64_t)PECAN_UNMAP_SELF)
		return PECAN_EINVAL;
	if (pecan_fpage_kind(fpage) == PECAN_FPAGE_MEM) {
		if (!mem_fpage(fpage, &base, &n))
			return PECAN_EINVAL;
		mapping_unmap(t, base, n, self);
		return PECAN_OK;
	}
	if (!cap_fpage(fpage, &base, &n))
		return PECAN_EINVAL;
	for (uint64_t i = 0; i < n; i++) {
		struct cap *c = cap_lookup(t, base + i);
		if (c)
			cap_revoke(c, self);
	}
	return PECAN_OK;
}

int task_invoke(struct task *t, unsigned rights, struct thread *caller, unsigned op, unsigned words,
		unsigned *nres)
{
	uint64_t *mr = caller->utcb->mr;
	static const unsigned args[] = {
		[PECAN_TASK_MAP] = 4, [PECAN_TASK_UNMAP] = 2, [PECAN_TASK_EXIT] = 1, [PECAN_TASK_CAP_INFO] = 1,
	};
	if (op < PECAN_TASK_MAP || op > PECAN_TASK_CAP_INFO)
		return PECAN_ENOSYS;
	unsigned need = op == PECAN_TASK_CAP_INFO ? PECAN_CAP_R : PECAN_CAP_W;
	if ((rights & need) != need)
		return PECAN_EPERM;
	if (words < args[op])
		return PECAN_EINVAL;
	switch (op) {
	case PECAN_TASK_MAP: {
		struct cap *sc;
		int err = cap_get(caller->task, mr[0], PECAN_OBJ_TASK, PECAN_CAP_R, &sc);
		if (err)
			return err;
		if (mr[3] != PECAN_ITEM_MAP && mr[3] != PECAN_ITEM_GRANT)
			return PECAN_EINVAL;
		bool grant = mr[3] == PECAN_ITEM_GRANT;
		/* granting takes the source's mappings away: that needs W on the source too */
		if (grant && !(sc->rights & PECAN_CAP_W))
			return PECAN_EPERM;
		return task_map_fpage(t, mr[2], (struct task *)sc->obj, mr[1], PECAN_FPAGE_RWX | PECAN_CAP_RWD, grant);
	}
	case PECAN_TASK_UNMAP:
		return task_unmap(t, mr[0], mr[1]);
	case PECAN_TASK_EXIT:
		task_exit(t, (long)mr[0]);
		return PECAN_OK;
	case PECAN_TASK_CAP_INFO: {
		struct cap *c = cap_lookup(t, mr[0]);
		if (mr[0] >= PECAN_CAP_SPACE_SIZE)
			return PECAN_EINVAL;
		mr[0] = c ? c->obj->type : PECAN_OBJ_NONE;
		mr[1] = c ? c->rights : 0;
		*nres = 2;
		return PECAN_OK;
	}
	}
	return PECAN_ENOSYS;
}
