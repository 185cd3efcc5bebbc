/* The kernel side of the mapping database: page-table entries, quotas and TLB flushes for mapdb nodes. */
#include "mapping.h"
#include "factory.h"
#include "mapdb.h"
#include "panic.h"
#include "pmem.h"
#include "kmem.h"
#include "string.h"
#include "task.h"
#include "pecan/errors.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/paging.h"

static struct mapdb db;
static struct task *charge_to; /* whose quota pays for the node being allocated */

static struct mapdb_node *node_alloc(void *ctx)
{
	(void)ctx;
	return factory_alloc(charge_to->obj.factory, sizeof(struct mapdb_node));
}

static void node_free(void *ctx, struct mapdb_node *n)
{
	(void)ctx;
	struct task *t = n->space;
	factory_free(t->obj.factory, n, sizeof(*n));
}

/* A node is going: clear its PTE, and free an owned root's frame. */
static void node_unmapped(void *ctx, struct mapdb_node *n)
{
	(void)ctx;
	struct task *t = n->space;
	uint64_t *pte = as_pte(&t->as, n->va, NULL, NULL);
	assert(pte && pte_frame(*pte) == n->frame);
	*pte = 0;
	as_flush(&t->as, n->va);
	if (!n->parent && (n->rights & MAPPING_OWNED))
		factory_free(t->obj.factory, phys_to_virt(n->frame), PAGE_SIZE);
}

static void node_rights_changed(void *ctx, struct mapdb_node *n)
{
	(void)ctx;
	struct task *t = n->space;
	uint64_t *pte = as_pte(&t->as, n->va, NULL, NULL);
	assert(pte);
	*pte = pte_make(n->frame, n->rights, false);
	as_flush(&t->as, n->va);
}

uint64_t mapping_table_bytes(const struct boot_info *bi)
{
	uint64_t top = 0;
	for (unsigned i = 0; i < bi->nmemory; i++)
		if (bi->memory[i].end > top)
			top = bi->memory[i].end;
	for (unsigned i = 0; i < bi->nmodules; i++)
		if (bi->modules[i].end > top)
			top = bi->modules[i].end;
	return (top + PAGE_SIZE - 1) / PAGE_SIZE * sizeof(struct mapdb_node *);
}

void mapping_init(uint64_t table_pa, uint64_t table_bytes)
{
	memset(phys_to_virt(table_pa), 0, table_bytes);
	static const struct mapdb_ops ops = {
		.alloc = node_alloc, .free = node_free, .unmapped = node_unmapped,
		.rights_changed = node_rights_changed,
	};
	mapdb_init(&db, &ops, phys_to_virt(table_pa), 0, table_bytes / sizeof(struct mapdb_node *));
}

static void *pt_alloc(void *ctx)
{
	struct task *t = ctx;
	return factory_alloc(t->obj.factory, PAGE_SIZE);
}

static void pt_free(void *ctx, void *table)
{
	struct task *t = ctx;
	factory_free(t->obj.factory, table, PAGE_SIZE);
}

bool mapping_frame_in_use(uint64_t frame)
{
	return mapdb_covers(&db, frame) && db.frames[frame / PAGE_SIZE - db.base_pfn] != NULL;
}

int mapping_insert_root(struct task *t, uint64_t va, uint64_t frame, unsigned rights)
{
	uint64_t *pte = as_pte(&t->as, va, pt_alloc, t);
	if (!pte)
		return PECAN_ENOMEM;
	if (*pte & PTE_P)
		return PECAN_EBUSY;
	charge_to = t;
	struct mapdb_node *n = mapdb_insert_root(&db, frame, t, va, rights);
	if (!n)
		return PECAN_ENOMEM;
	*pte = pte_make(frame, rights, false);
	return PECAN_OK;
}

/* Maps or grants one page: node (in src) onto dst at va. */
static int map_one(struct task *dst, uint64_t va, struct mapdb_node *node, unsigned rights, bool grant)
{
	uint64_t *pte = as_pte(&dst->as, va, pt_alloc, dst);
	if (!pte)
		return PECAN_ENOMEM;
	if (*pte & PTE_P) {
		if (*pte & PTE_PINNED)
			return PECAN_OK; /* kernel-managed pages are never replaced */
		struct mapdb_node *old = mapdb_lookup(&db, pte_frame(*pte), dst, va);
		assert(old);
		/* Mapping a page onto itself or onto one of its own ancestors would
		 * revoke the source: skip it. */
		for (struct mapdb_node *a = node; a; a = a->parent)
			if (a == old)
				return PECAN_OK;
		mapdb_revoke(&db, old, true);
	}
	if (grant) {
		struct task *src = node->space;
		bool owned = !node->parent && (node->rights & MAPPING_OWNED);
		/* The node, and an owned frame, are now paid for by dst's quota. */
		size_t bytes = kmem_size(sizeof(struct mapdb_node)) + (owned ? PAGE_SIZE : 0);
		if (!factory_move_charge(src->obj.factory, dst->obj.factory, bytes))
			return PECAN_ENOMEM;
		uint64_t *spte = as_pte(&src->as, node->va, NULL, NULL);
		*spte = 0;
		as_flush(&src->as, node->va);
		mapdb_grant(&db, node, dst, va);
		*pte = pte_make(node->frame, node->rights, false);
		return PECAN_OK;
	}
	charge_to = dst;
	int err;
	struct mapdb_node *child = mapdb_map(&db, node, dst, va, rights & 7u, &err);
	if (!child)
		return err == MAPDB_EDEPTH ? PECAN_EINVAL : PECAN_ENOMEM;
	*pte = pte_make(child->frame, child->rights, false);
	return PECAN_OK;
}

struct map_walk {
	struct task *dst, *src;
	uint64_t dst_va, src_va;
	unsigned rights;
	bool grant;
	int err;
};

static void map_page_cb(void *ctx, uint64_t va, uint64_t *pte)
{
	struct map_walk *w = ctx;
	if (w->err || (*pte & PTE_PINNED))
		return;
	struct mapdb_node *n = mapdb_lookup(&db, pte_frame(*pte), w->src, va);
	if (!n)
		return;
	w->err = map_one(w->dst, w->dst_va + (va - w->src_va), n, w->rights, w->grant);
}

int mapping_map(struct task *dst, uint64_t dst_va, struct task *src, uint64_t src_va, uint64_t size,
		unsigned rights, bool grant)
{
	struct map_walk w = {dst, src, dst_va, src_va, rights, grant, PECAN_OK};
	/* Both ranges are aligned to their common size, so within one task they
	 * are either the same range (mapping onto itself: nothing to do) or
	 * disjoint, and the walk over the source never meets what it creates. */
	if (dst == src && dst_va == src_va)
		return PECAN_OK;
	as_walk(&src->as, src_va, src_va + size, map_page_cb, &w);
	return w.err;
}

struct unmap_walk {
	struct task *t;
	bool self;
};

static void unmap_page_cb(void *ctx, uint64_t va, uint64_t *pte)
{
	struct unmap_walk *w = ctx;
	if (*pte & PTE_PINNED)
		return;
	struct mapdb_node *n = mapdb_lookup(&db, pte_frame(*pte), w->t, va);
	if (n)
		mapdb_revoke(&db, n, w->self); /* clears only this PTE in t (when self) */
}

void mapping_unmap(struct task *t, uint64_t va, uint64_t size, bool self)
{
	struct unmap_walk w = {t, self};
	as_walk(&t->as, va, va + size, unmap_page_cb, &w);
}

int mapping_map_pinned(struct task *t, uint64_t va, uint64_t frame, unsigned rights)
{
	uint64_t *pte = as_pte(&t->as, va, pt_alloc, t);
	if (!pte)
		return PECAN_ENOMEM;
	if (*pte & PTE_P)
		return PECAN_EBUSY;
	*pte = pte_make(frame, rights, true);
	return PECAN_OK;
}

void mapping_unmap_pinned(struct task *t, uint64_t va)
{
	uint64_t *pte = as_pte(&t->as, va, NULL, NULL);
	if (pte && (*pte & PTE_PINNED)) {
		*pte = 0;
		as_flush(&t->as, va);
	}
}

static void teardown_cb(void *ctx, uint64_t va, uint64_t *pte)
{
	struct task *t = ctx;
	if (*pte & PTE_PINNED) {
		*pte = 0; /* the owner (thread, boot program) frees the frame */
		return;
	}
	uint64_t n = mapdb_remove_space_page(&db, pte_frame(*pte), t, va);
	assert(n > 0 && *pte == 0);
}

void mapping_task_teardown(struct task *t)
{
	as_walk(&t->as, 0, USER_TOP, teardown_cb, t);
	as_free_tables(&t->as, pt_free, t);
}

uint64_t mapping_node_count(void) { return db.nodes; }
