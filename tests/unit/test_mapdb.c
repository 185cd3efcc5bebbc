/* test_mapdb.c - unit tests for lib/mapdb.c: hand-built derivation trees and a model-checked fuzz run. */
#include <sanitizer/asan_interface.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapdb.h"
#include "unit.h"

#define BASE_PFN 0x100
#define NFRAMES  8
#define FRAME(i) ((uint64_t)(BASE_PFN + (i)) << 12)
#define NSPACES  4
#define NPAGES   16
#define VA(p)    (0x400000ULL + (uint64_t)(p) * 0x1000)
#define SPACE(i) ((void *)&spaces[i])

#define R 1u
#define W 2u
#define X 4u
#define RWX (R | W | X)

/* A complete binary tree of depth 7 (255 nodes) plus slack for the fuzz. */
#define POOL_SIZE 300
#define LOG_MAX   1024

enum { EV_UNMAPPED = 1, EV_FREE = 2, EV_RIGHTS = 3 };

/* What a callback saw, copied at call time: the node is poisoned once freed. */
struct event {
	int kind;
	struct mapdb_node *n;
	void *space;
	uint64_t va;
	unsigned rights;
};

/*
 * Node pool with a fail switch. Free nodes are ASan-poisoned, so any use
 * of a node after mapdb freed it is reported; fresh nodes are filled with
 * garbage so a field mapdb forgets to set shows up.
 */
struct pool {
	struct mapdb_node nodes[POOL_SIZE];
	bool used[POOL_SIZE];
	int free_stack[POOL_SIZE];
	int nfree;
	bool fail;
	uint64_t allocs, frees;
	struct event log[LOG_MAX];
	size_t nlog;
	bool log_overflow;
};

static char spaces[NSPACES];
static struct pool pool;
static struct mapdb_node *heads[NFRAMES];
static struct mapdb db;

static int pool_index(const struct mapdb_node *n)
{
	if (n < pool.nodes || n >= pool.nodes + POOL_SIZE)
		return -1;
	return (int)(n - pool.nodes);
}

static bool pool_live(const struct mapdb_node *n)
{
	int i = pool_index(n);

	return i >= 0 && pool.used[i];
}

static void log_event(int kind, struct mapdb_node *n)
{
	struct event *e;

	if (pool.nlog >= LOG_MAX) {
		pool.log_overflow = true;
		return;
	}
	e = &pool.log[pool.nlog++];
	e->kind = kind;
	e->n = n;
	e->space = n->space;
	e->va = n->va;
	e->rights = n->rights;
}

static struct mapdb_node *pool_alloc(void *ctx)
{
	struct mapdb_node *n;
	int i;

	CHECK(ctx == &pool);
	if (pool.fail || pool.nfree == 0)
		return NULL;
	i = pool.free_stack[--pool.nfree];
	CHECK(!pool.used[i]);
	pool.used[i] = true;
	n = &pool.nodes[i];
	ASAN_UNPOISON_MEMORY_REGION(n, sizeof *n);
	memset(n, 0xa5, sizeof *n);
	pool.allocs++;
	return n;
}

static void pool_free(void *ctx, struct mapdb_node *n)
{
	int i = pool_index(n);

	CHECK(ctx == &pool);
	if (i < 0 || !pool.used[i]) {
		UNIT_FAIL("free of %p: not a live pool node", (void *)n);
		return;
	}
	log_event(EV_FREE, n);
	pool.used[i] = false;
	pool.free_stack[pool.nfree++] = i;
	ASAN_POISON_MEMORY_REGION(n, sizeof *n);
	pool.frees++;
}

static void on_unmapped(void *ctx, struct mapdb_node *n)
{
	CHECK(ctx == &pool);
	CHECK(pool_live(n));
	/* Deepest first: by the time a node goes, its subtree has gone, and
	 * its parent is still there. */
	CHECK(n->first_child == NULL);
	CHECK(n->parent == NULL || pool_live(n->parent));
	log_event(EV_UNMAPPED, n);
}

static void on_rights_changed(void *ctx, struct mapdb_node *n)
{
	CHECK(ctx == &pool);
	CHECK(pool_live(n));
	log_event(EV_RIGHTS, n);
}

static void setup(void)
{
	struct mapdb_ops ops = {
		.ctx = &pool,
		.alloc = pool_alloc,
		.free = pool_free,
		.unmapped = on_unmapped,
		.rights_changed = on_rights_changed,
	};
	int i;

	memset(&pool, 0, sizeof pool);
	/* Pushed in reverse so the first allocations come from the front. */
	for (i = POOL_SIZE - 1; i >= 0; i--)
		pool.free_stack[pool.nfree++] = i;
	ASAN_POISON_MEMORY_REGION(pool.nodes, sizeof pool.nodes);
	memset(heads, 0, sizeof heads);
	mapdb_init(&db, &ops, heads, BASE_PFN, NFRAMES);
}

static void log_clear(void)
{
	pool.nlog = 0;
	pool.log_overflow = false;
}

static uint64_t live_in_pool(void)
{
	return pool.allocs - pool.frees;
}

/*
 * Structure invariants, checked by walking every frame list. Returns
 * false (after reporting) on the first violation, so a fuzz run stops
 * before it drowns in follow-on failures.
 */
static bool check_db(void)
{
	static struct mapdb_node *all[POOL_SIZE];
	uint64_t count = 0, children = 0, roots = 0;
	uint64_t f, i, j;

	for (f = 0; f < NFRAMES; f++) {
		struct mapdb_node *n, *prev = NULL;

		for (n = heads[f]; n; prev = n, n = n->frame_next) {
			if (!pool_live(n) || count >= POOL_SIZE) {
				UNIT_FAIL("frame %llu list holds a dead node or loops",
					  (unsigned long long)f);
				return false;
			}
			if (n->frame != FRAME(f) || n->frame_prev != prev) {
				UNIT_FAIL("frame %llu list: wrong frame or back link",
					  (unsigned long long)f);
				return false;
			}
			all[count++] = n;
		}
	}
	if (count != db.nodes || count != live_in_pool()) {
		UNIT_FAIL("node count: lists %llu, db %llu, pool %llu",
			  (unsigned long long)count, (unsigned long long)db.nodes,
			  (unsigned long long)live_in_pool());
		return false;
	}
	for (i = 0; i < count; i++) {
		struct mapdb_node *n = all[i], *c, *prev = NULL, *a;
		unsigned steps = 0;

		if (n->parent == NULL) {
			roots++;
			if (n->depth != 0 || n->next_sibling || n->prev_sibling) {
				UNIT_FAIL("root with depth %u or siblings", n->depth);
				return false;
			}
		} else {
			struct mapdb_node *p = n->parent;
			bool found = false;

			if (!pool_live(p) || p->frame != n->frame ||
			    n->depth != p->depth + 1 || (n->rights & ~p->rights) != 0) {
				UNIT_FAIL("child/parent mismatch: depth %u/%u rights %#x/%#x",
					  n->depth, pool_live(p) ? p->depth : 0u, n->rights,
					  pool_live(p) ? p->rights : 0u);
				return false;
			}
			for (c = p->first_child; c && !found; c = c->next_sibling)
				found = c == n;
			if (!found) {
				UNIT_FAIL("node missing from its parent's child list");
				return false;
			}
		}
		if (n->depth >= MAPDB_MAX_DEPTH) {
			UNIT_FAIL("depth %u over the limit", n->depth);
			return false;
		}
		for (a = n; a->parent && steps <= MAPDB_MAX_DEPTH; a = a->parent)
			steps++;
		if (a->parent != NULL || steps != n->depth) {
			UNIT_FAIL("parent chain does not end at a root after depth steps");
			return false;
		}
		for (c = n->first_child; c; prev = c, c = c->next_sibling) {
			if (!pool_live(c) || c->parent != n || c->prev_sibling != prev ||
			    children >= count) {
				UNIT_FAIL("child list of a node is broken");
				return false;
			}
			children++;
		}
		for (j = 0; j < i; j++) {
			if (all[j]->space == n->space && all[j]->va == n->va) {
				UNIT_FAIL("(space %p, va %#llx) mapped twice", n->space,
					  (unsigned long long)n->va);
				return false;
			}
		}
	}
	if (children != count - roots) {
		UNIT_FAIL("%llu nodes in child lists, expected %llu",
			  (unsigned long long)children, (unsigned long long)(count - roots));
		return false;
	}
	return true;
}

static size_t count_events(int kind)
{
	size_t i, k = 0;

	for (i = 0; i < pool.nlog; i++)
		k += pool.log[i].kind == kind;
	return k;
}

/* Each removed node: unmapped, then freed, in that order, and nothing else. */
static void check_unmap_pairs(void)
{
	size_t i;

	CHECK(!pool.log_overflow);
	CHECK(pool.nlog % 2 == 0);
	for (i = 0; i + 1 < pool.nlog; i += 2) {
		CHECK_EQ_INT(pool.log[i].kind, EV_UNMAPPED);
		CHECK_EQ_INT(pool.log[i + 1].kind, EV_FREE);
		CHECK(pool.log[i].n == pool.log[i + 1].n);
	}
}

static void test_root_insert_lookup(void)
{
	struct mapdb_node *a, *b;

	setup();
	CHECK(mapdb_covers(&db, FRAME(0)));
	a = mapdb_insert_root(&db, FRAME(0), SPACE(0), VA(1), R | W);
	REQUIRE(a != NULL);
	CHECK(a->parent == NULL);
	CHECK(a->first_child == NULL);
	CHECK(a->space == SPACE(0));
	CHECK_EQ_INT(a->va, VA(1));
	CHECK_EQ_INT(a->frame, FRAME(0));
	CHECK_EQ_INT(a->rights, R | W);
	CHECK_EQ_INT(a->depth, 0);
	CHECK_EQ_INT(db.nodes, 1);
	CHECK(mapdb_lookup(&db, FRAME(0), SPACE(0), VA(1)) == a);
	/* Any coordinate off: no match. */
	CHECK(mapdb_lookup(&db, FRAME(1), SPACE(0), VA(1)) == NULL);
	CHECK(mapdb_lookup(&db, FRAME(0), SPACE(1), VA(1)) == NULL);
	CHECK(mapdb_lookup(&db, FRAME(0), SPACE(0), VA(2)) == NULL);

	/* Two roots of one frame (e.g. sigma0 and a loaded page) coexist. */
	b = mapdb_insert_root(&db, FRAME(0), SPACE(1), VA(1), R);
	REQUIRE(b != NULL);
	CHECK(mapdb_lookup(&db, FRAME(0), SPACE(1), VA(1)) == b);
	CHECK(mapdb_lookup(&db, FRAME(0), SPACE(0), VA(1)) == a);
	CHECK(mapdb_insert_root(&db, FRAME(NFRAMES - 1), SPACE(2), VA(0), R) != NULL);
	CHECK_EQ_INT(db.nodes, 3);
	CHECK(check_db());
}

static void test_not_covered(void)
{
	struct mapdb big;
	struct mapdb_ops ops = { .ctx = &pool, .alloc = pool_alloc, .free = pool_free };

	setup();
	CHECK(!mapdb_covers(&db, FRAME(-1)));
	CHECK(!mapdb_covers(&db, FRAME(NFRAMES)));
	CHECK(!mapdb_covers(&db, 0));
	CHECK(!mapdb_covers(&db, FRAME(0) + 8));	/* not page-aligned */
	CHECK(!mapdb_covers(&db, ~0ULL & ~0xfffULL));
	CHECK(mapdb_insert_root(&db, FRAME(NFRAMES), SPACE(0), VA(0), R) == NULL);
	CHECK(mapdb_insert_root(&db, FRAME(-1), SPACE(0), VA(0), R) == NULL);
	CHECK(mapdb_insert_root(&db, FRAME(0) + 0x800, SPACE(0), VA(0), R) == NULL);
	CHECK(mapdb_lookup(&db, FRAME(NFRAMES), SPACE(0), VA(0)) == NULL);
	CHECK(mapdb_lookup(&db, FRAME(-1), SPACE(0), VA(0)) == NULL);
	CHECK_EQ_INT(mapdb_remove_space_page(&db, FRAME(NFRAMES), SPACE(0), VA(0)), 0);
	/* Nothing was allocated for a refused frame. */
	CHECK_EQ_INT(pool.allocs, 0);
	CHECK_EQ_INT(db.nodes, 0);

	/* A range reaching the top of the address space must not overflow. */
	mapdb_init(&big, &ops, NULL, (~0ULL >> 12) - 3, 4);
	CHECK(mapdb_covers(&big, ~0ULL & ~0xfffULL));
	CHECK(mapdb_covers(&big, (~0ULL & ~0xfffULL) - 0x3000));
	CHECK(!mapdb_covers(&big, (~0ULL & ~0xfffULL) - 0x4000));
	CHECK(!mapdb_covers(&big, 0));
}

/* A in space 0 -> B in space 1 -> C in space 2, all the same frame. */
static void build_chain(struct mapdb_node **a, struct mapdb_node **b, struct mapdb_node **c)
{
	int err = -1;

	*a = mapdb_insert_root(&db, FRAME(3), SPACE(0), VA(0), RWX);
	REQUIRE(*a != NULL);
	*b = mapdb_map(&db, *a, SPACE(1), VA(5), RWX, &err);
	REQUIRE(*b != NULL);
	CHECK_EQ_INT(err, MAPDB_OK);
	*c = mapdb_map(&db, *b, SPACE(2), VA(9), R | W, &err);
	REQUIRE(*c != NULL);
	CHECK_EQ_INT(err, MAPDB_OK);
	CHECK((*b)->parent == *a && (*c)->parent == *b);
	CHECK_EQ_INT((*b)->depth, 1);
	CHECK_EQ_INT((*c)->depth, 2);
	CHECK_EQ_INT((*c)->frame, FRAME(3));
	CHECK(check_db());
}

static void test_chain_revoke_children(void)
{
	struct mapdb_node *a, *b, *c;

	setup();
	build_chain(&a, &b, &c);
	log_clear();
	CHECK_EQ_INT(mapdb_revoke(&db, a, false), 2);
	/* Exactly C then B, each unmapped then freed. */
	REQUIRE(pool.nlog == 4);
	check_unmap_pairs();
	CHECK(pool.log[0].n == c && pool.log[0].space == SPACE(2) && pool.log[0].va == VA(9));
	CHECK(pool.log[2].n == b && pool.log[2].space == SPACE(1) && pool.log[2].va == VA(5));
	CHECK(!pool_live(b) && !pool_live(c));
	CHECK(a->first_child == NULL);
	CHECK(mapdb_lookup(&db, FRAME(3), SPACE(0), VA(0)) == a);
	CHECK_EQ_INT(db.nodes, 1);
	CHECK(check_db());

	/* A has nothing left below it. */
	log_clear();
	CHECK_EQ_INT(mapdb_revoke(&db, a, false), 0);
	CHECK_EQ_INT(pool.nlog, 0);
}

static void test_chain_revoke_self(void)
{
	struct mapdb_node *a, *b, *c;

	setup();
	build_chain(&a, &b, &c);
	log_clear();
	CHECK_EQ_INT(mapdb_revoke(&db, a, true), 3);
	REQUIRE(pool.nlog == 6);
	check_unmap_pairs();
	CHECK(pool.log[0].n == c);
	CHECK(pool.log[2].n == b);
	CHECK(pool.log[4].n == a);
	CHECK_EQ_INT(db.nodes, 0);
	CHECK(heads[3] == NULL);
	CHECK(check_db());
}

/* A -> B, A -> C, B -> D; then revoke at B. */
static void siblings(bool include_self)
{
	struct mapdb_node *a, *b, *c, *d;
	int err;

	setup();
	a = mapdb_insert_root(&db, FRAME(1), SPACE(0), VA(0), RWX);
	REQUIRE(a != NULL);
	b = mapdb_map(&db, a, SPACE(1), VA(0), RWX, &err);
	c = mapdb_map(&db, a, SPACE(2), VA(0), RWX, &err);
	REQUIRE(b != NULL && c != NULL);
	d = mapdb_map(&db, b, SPACE(3), VA(0), RWX, &err);
	REQUIRE(d != NULL);
	CHECK(check_db());

	log_clear();
	CHECK_EQ_INT(mapdb_revoke(&db, b, include_self), include_self ? 2 : 1);
	check_unmap_pairs();
	CHECK_EQ_INT(count_events(EV_UNMAPPED), include_self ? 2 : 1);
	CHECK(pool.log[0].n == d);
	if (include_self) {
		CHECK(pool.log[2].n == b);
		CHECK(mapdb_lookup(&db, FRAME(1), SPACE(1), VA(0)) == NULL);
		CHECK(a->first_child == c && c->next_sibling == NULL &&
		      c->prev_sibling == NULL);
	} else {
		CHECK(mapdb_lookup(&db, FRAME(1), SPACE(1), VA(0)) == b);
		CHECK(b->first_child == NULL);
	}
	CHECK(mapdb_lookup(&db, FRAME(1), SPACE(3), VA(0)) == NULL);
	CHECK(mapdb_lookup(&db, FRAME(1), SPACE(0), VA(0)) == a);
	CHECK(mapdb_lookup(&db, FRAME(1), SPACE(2), VA(0)) == c);
	CHECK_EQ_INT(db.nodes, include_self ? 2 : 3);
	CHECK(check_db());
}

static void test_siblings_revoke_self(void)
{
	siblings(true);
}

static void test_siblings_revoke_children(void)
{
	siblings(false);
}

static void test_grant_keeps_children(void)
{
	struct mapdb_node *a, *b, *c, *g;

	setup();
	build_chain(&a, &b, &c);
	/* B grants its page to space 3: C now derives from the mapping there. */
	log_clear();
	mapdb_grant(&db, b, SPACE(3), VA(7));
	CHECK_EQ_INT(pool.nlog, 0);
	CHECK(mapdb_lookup(&db, FRAME(3), SPACE(1), VA(5)) == NULL);
	g = mapdb_lookup(&db, FRAME(3), SPACE(3), VA(7));
	CHECK(g == b);
	CHECK(b->parent == a && b->first_child == c && c->parent == b);
	CHECK_EQ_INT(b->depth, 1);
	CHECK_EQ_INT(b->rights, RWX);
	CHECK_EQ_INT(db.nodes, 3);
	CHECK(check_db());

	/* Unmapping the granted mapping still takes C with it. */
	log_clear();
	CHECK_EQ_INT(mapdb_remove_space_page(&db, FRAME(3), SPACE(3), VA(7)), 2);
	REQUIRE(pool.nlog == 4);
	check_unmap_pairs();
	CHECK(pool.log[0].n == c);
	CHECK(pool.log[2].n == b && pool.log[2].space == SPACE(3) && pool.log[2].va == VA(7));
	CHECK(mapdb_lookup(&db, FRAME(3), SPACE(2), VA(9)) == NULL);
	CHECK_EQ_INT(db.nodes, 1);
	CHECK(check_db());

	/* A root can be granted too (moving a kernel-given page). */
	mapdb_grant(&db, a, SPACE(1), VA(1));
	CHECK(mapdb_lookup(&db, FRAME(3), SPACE(1), VA(1)) == a);
	CHECK(a->parent == NULL && a->depth == 0);
	CHECK(check_db());
}

static void test_rights_subset(void)
{
	struct mapdb_node *a, *b, *c, *d;
	int err;

	setup();
	a = mapdb_insert_root(&db, FRAME(2), SPACE(0), VA(0), R | X);
	REQUIRE(a != NULL);
	/* Asking for more than the parent has gives the intersection. */
	b = mapdb_map(&db, a, SPACE(1), VA(0), RWX, &err);
	REQUIRE(b != NULL);
	CHECK_EQ_INT(b->rights, R | X);
	c = mapdb_map(&db, b, SPACE(2), VA(0), W | X, &err);
	REQUIRE(c != NULL);
	CHECK_EQ_INT(c->rights, X);
	d = mapdb_map(&db, c, SPACE(3), VA(0), R | W, &err);
	REQUIRE(d != NULL);
	CHECK_EQ_INT(d->rights, 0);
	/* Bits the caller defines beyond R/W/X are treated the same way. */
	CHECK_EQ_INT(mapdb_map(&db, a, SPACE(2), VA(1), 0x80000000u | R, &err)->rights, R);
	CHECK(check_db());
}

static void test_revoke_rights(void)
{
	struct mapdb_node *a, *b, *c, *e;
	int err;

	setup();
	build_chain(&a, &b, &c);	/* rights: A RWX, B RWX, C RW */
	e = mapdb_map(&db, a, SPACE(3), VA(0), R, &err);
	REQUIRE(e != NULL);

	/* Take W away below A: B and C change, E has no W, A keeps it. */
	log_clear();
	CHECK_EQ_INT(mapdb_revoke_rights(&db, a, W, false), 2);
	CHECK_EQ_INT(count_events(EV_RIGHTS), 2);
	CHECK_EQ_INT(pool.nlog, 2);
	CHECK_EQ_INT(a->rights, RWX);
	CHECK_EQ_INT(b->rights, R | X);
	CHECK_EQ_INT(c->rights, R);
	CHECK_EQ_INT(e->rights, R);
	/* The callback saw the new rights. */
	CHECK(pool.log[0].rights == (pool.log[0].n == b ? (R | X) : R));
	CHECK(check_db());

	/* Again: nothing changes, nothing is reported. */
	log_clear();
	CHECK_EQ_INT(mapdb_revoke_rights(&db, a, W, false), 0);
	CHECK_EQ_INT(pool.nlog, 0);

	/* With self, on an inner node. */
	log_clear();
	CHECK_EQ_INT(mapdb_revoke_rights(&db, b, X | R, true), 2);
	CHECK_EQ_INT(b->rights, 0);
	CHECK_EQ_INT(c->rights, 0);
	CHECK_EQ_INT(a->rights, RWX);
	CHECK_EQ_INT(e->rights, R);
	CHECK(check_db());

	/* On a leaf without self: nothing below it. */
	CHECK_EQ_INT(mapdb_revoke_rights(&db, e, R, false), 0);
	CHECK_EQ_INT(e->rights, R);
	CHECK_EQ_INT(mapdb_revoke_rights(&db, e, R, true), 1);
	CHECK_EQ_INT(e->rights, 0);
	/* Rights changes never remove nodes. */
	CHECK_EQ_INT(db.nodes, 4);
	CHECK(check_db());
}

static void test_depth_limit(void)
{
	struct mapdb_node *chain[MAPDB_MAX_DEPTH], *n;
	int i, err;

	setup();
	chain[0] = mapdb_insert_root(&db, FRAME(0), SPACE(0), VA(0), RWX);
	REQUIRE(chain[0] != NULL);
	/* A chain of exactly MAPDB_MAX_DEPTH mappings is allowed ... */
	for (i = 1; i < MAPDB_MAX_DEPTH; i++) {
		err = -1;
		chain[i] = mapdb_map(&db, chain[i - 1], SPACE(i % NSPACES), VA(i), RWX, &err);
		REQUIRE(chain[i] != NULL);
		CHECK_EQ_INT(err, MAPDB_OK);
		CHECK_EQ_INT(chain[i]->depth, i);
	}
	CHECK(check_db());
	/* ... one more is refused, before anything is allocated. */
	err = -1;
	n = mapdb_map(&db, chain[MAPDB_MAX_DEPTH - 1], SPACE(0), VA(100), RWX, &err);
	CHECK(n == NULL);
	CHECK_EQ_INT(err, MAPDB_EDEPTH);
	CHECK_EQ_INT(pool.allocs, MAPDB_MAX_DEPTH);
	CHECK_EQ_INT(db.nodes, MAPDB_MAX_DEPTH);
	CHECK(chain[MAPDB_MAX_DEPTH - 1]->first_child == NULL);
	CHECK(mapdb_lookup(&db, FRAME(0), SPACE(0), VA(100)) == NULL);
	/* err may be NULL. */
	CHECK(mapdb_map(&db, chain[MAPDB_MAX_DEPTH - 1], SPACE(0), VA(100), RWX, NULL) == NULL);
	/* Branching off higher up is still fine. */
	n = mapdb_map(&db, chain[MAPDB_MAX_DEPTH - 2], SPACE(0), VA(100), RWX, &err);
	REQUIRE(n != NULL);
	CHECK_EQ_INT(n->depth, MAPDB_MAX_DEPTH - 1);
	CHECK(check_db());

	/* Tearing the whole chain down goes strictly deepest first. */
	log_clear();
	CHECK_EQ_INT(mapdb_revoke(&db, chain[0], true), MAPDB_MAX_DEPTH + 1);
	check_unmap_pairs();
	REQUIRE(pool.nlog == 2 * (MAPDB_MAX_DEPTH + 1));
	for (i = 1; i < MAPDB_MAX_DEPTH; i++)
		CHECK(pool.log[2 * i].n == chain[MAPDB_MAX_DEPTH - i]);
	CHECK(pool.log[2 * MAPDB_MAX_DEPTH].n == chain[0]);
	CHECK_EQ_INT(db.nodes, 0);
	CHECK(check_db());
}

static void test_oom_unchanged(void)
{
	struct mapdb_node *a, *b, *c, *n;
	struct mapdb_node *save_first;
	int err;

	setup();
	build_chain(&a, &b, &c);
	save_first = a->first_child;

	pool.fail = true;
	CHECK(mapdb_insert_root(&db, FRAME(4), SPACE(3), VA(3), R) == NULL);
	err = -1;
	n = mapdb_map(&db, a, SPACE(3), VA(3), R, &err);
	CHECK(n == NULL);
	CHECK_EQ_INT(err, MAPDB_ENOMEM);
	CHECK(mapdb_map(&db, c, SPACE(3), VA(3), R, NULL) == NULL);
	pool.fail = false;

	CHECK_EQ_INT(db.nodes, 3);
	CHECK(heads[4] == NULL);
	CHECK(a->first_child == save_first);
	CHECK(c->first_child == NULL);
	CHECK(mapdb_lookup(&db, FRAME(4), SPACE(3), VA(3)) == NULL);
	CHECK(mapdb_lookup(&db, FRAME(3), SPACE(3), VA(3)) == NULL);
	CHECK(check_db());

	/* Once memory is back the same map works. */
	n = mapdb_map(&db, a, SPACE(3), VA(3), R, &err);
	CHECK(n != NULL);
	CHECK_EQ_INT(err, MAPDB_OK);
	CHECK(check_db());
}

static void test_lookup_after_revoke(void)
{
	struct mapdb_node *a, *b, *c;

	setup();
	build_chain(&a, &b, &c);
	CHECK_EQ_INT(mapdb_revoke(&db, b, true), 2);
	CHECK(mapdb_lookup(&db, FRAME(3), SPACE(1), VA(5)) == NULL);
	CHECK(mapdb_lookup(&db, FRAME(3), SPACE(2), VA(9)) == NULL);
	CHECK(mapdb_lookup(&db, FRAME(3), SPACE(0), VA(0)) == a);
	CHECK(a->first_child == NULL);
	/* The places are free again and can be mapped anew. */
	CHECK(mapdb_map(&db, a, SPACE(1), VA(5), R, NULL) != NULL);
	CHECK(check_db());
}

static void test_remove_space_page(void)
{
	struct mapdb_node *a, *b, *c;

	setup();
	build_chain(&a, &b, &c);
	/* Nothing at that place, or another frame there: 0, nothing touched. */
	log_clear();
	CHECK_EQ_INT(mapdb_remove_space_page(&db, FRAME(3), SPACE(1), VA(6)), 0);
	CHECK_EQ_INT(mapdb_remove_space_page(&db, FRAME(2), SPACE(1), VA(5)), 0);
	CHECK_EQ_INT(pool.nlog, 0);
	CHECK_EQ_INT(db.nodes, 3);
	/* Destroying space 1 takes B and what derives from it. */
	CHECK_EQ_INT(mapdb_remove_space_page(&db, FRAME(3), SPACE(1), VA(5)), 2);
	check_unmap_pairs();
	CHECK_EQ_INT(db.nodes, 1);
	CHECK(check_db());
	/* Destroying space 0 takes the root. */
	CHECK_EQ_INT(mapdb_remove_space_page(&db, FRAME(3), SPACE(0), VA(0)), 1);
	CHECK_EQ_INT(db.nodes, 0);
	CHECK_EQ_INT(pool.frees, pool.allocs);
}

static void test_null_callbacks(void)
{
	struct mapdb_ops ops = { .ctx = &pool, .alloc = pool_alloc, .free = pool_free };
	struct mapdb_node *a, *b;

	setup();
	mapdb_init(&db, &ops, heads, BASE_PFN, NFRAMES);
	a = mapdb_insert_root(&db, FRAME(0), SPACE(0), VA(0), RWX);
	REQUIRE(a != NULL);
	b = mapdb_map(&db, a, SPACE(1), VA(0), RWX, NULL);
	REQUIRE(b != NULL);
	CHECK_EQ_INT(mapdb_revoke_rights(&db, a, W, false), 1);
	CHECK_EQ_INT(mapdb_revoke(&db, a, true), 2);
	CHECK_EQ_INT(count_events(EV_FREE), 2);
	CHECK_EQ_INT(count_events(EV_UNMAPPED), 0);
	CHECK_EQ_INT(db.nodes, 0);
	/* NULL node: nothing to do. */
	CHECK_EQ_INT(mapdb_revoke(&db, NULL, true), 0);
	CHECK_EQ_INT(mapdb_revoke_rights(&db, NULL, W, true), 0);
}

/* A complete binary tree across many places: revoke in the middle and at the top. */
static void test_wide_tree(void)
{
	static struct mapdb_node *t[256];
	int i, err;

	setup();
	/* Heap numbering: node i has children 2i and 2i+1; 255 nodes, depth 0..7. */
	t[1] = mapdb_insert_root(&db, FRAME(5), SPACE(0), VA(1), RWX);
	REQUIRE(t[1] != NULL);
	for (i = 2; i < 256; i++) {
		t[i] = mapdb_map(&db, t[i / 2], SPACE(i % NSPACES), VA(i), RWX, &err);
		REQUIRE(t[i] != NULL);
	}
	CHECK(check_db());
	CHECK_EQ_INT(t[255]->depth, 7);

	/* Subtree of node 2 without itself: 126 descendants. */
	log_clear();
	CHECK_EQ_INT(mapdb_revoke_rights(&db, t[2], X, false), 126);
	CHECK_EQ_INT(t[2]->rights, RWX);
	CHECK_EQ_INT(t[3]->rights, RWX);
	CHECK_EQ_INT(t[128]->rights, R | W);	/* 128 -> 64 -> ... -> 2 */
	CHECK_EQ_INT(t[200]->rights, RWX);	/* 200 -> 100 -> ... -> 3 */
	CHECK(check_db());
	log_clear();
	CHECK_EQ_INT(mapdb_revoke(&db, t[2], false), 126);
	check_unmap_pairs();
	CHECK_EQ_INT(db.nodes, 255 - 126);
	CHECK(t[2]->first_child == NULL);
	CHECK(check_db());

	/* Everything: unmapped callbacks already check children-first. */
	log_clear();
	CHECK_EQ_INT(mapdb_revoke(&db, t[1], true), 255 - 126);
	check_unmap_pairs();
	CHECK_EQ_INT(db.nodes, 0);
	CHECK_EQ_INT(pool.frees, pool.allocs);
	CHECK(check_db());
}

/* ---- model-checked fuzz ---------------------------------------------- */

#define NSLOTS (NSPACES * NPAGES)
#define FUZZ_STEPS 50000

/* The reference: which frame sits at each (space, page), and from where. */
struct slot {
	bool present;
	int frame;
	int parent;		/* slot index, -1 for a root */
	unsigned rights;
};

static struct slot model[NSLOTS];
static uint64_t rng_state;

/* xorshift64*: reproducible from the seed printed on failure. */
static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static int rnd_below(int n)
{
	return (int)((rnd() >> 33) % (uint64_t)n);
}

static void *slot_space(int s)
{
	return SPACE(s / NPAGES);
}

static uint64_t slot_va(int s)
{
	return VA(s % NPAGES);
}

/* The slot of a node's place; -1 if it lies outside the fuzz's places. */
static int node_slot(const struct mapdb_node *n)
{
	char *sp = n->space;
	uint64_t page;

	if (sp < spaces || sp >= spaces + NSPACES || n->va < VA(0))
		return -1;
	page = (n->va - VA(0)) / 0x1000;
	if (page >= NPAGES || VA(page) != n->va)
		return -1;
	return (int)(sp - spaces) * NPAGES + (int)page;
}

static struct mapdb_node *slot_node(int s)
{
	return mapdb_lookup(&db, FRAME(model[s].frame), slot_space(s), slot_va(s));
}

static int model_depth(int s)
{
	int d = 0;

	while (model[s].parent >= 0 && d <= NSLOTS) {
		s = model[s].parent;
		d++;
	}
	return d;
}

static bool model_below(int s, int anc, bool include_self)
{
	if (s == anc)
		return include_self;
	while (model[s].parent >= 0) {
		s = model[s].parent;
		if (s == anc)
			return true;
	}
	return false;
}

static int pick_slot(bool present)
{
	int tries, s;

	for (tries = 0; tries < 4 * NSLOTS; tries++) {
		s = rnd_below(NSLOTS);
		if (model[s].present == present)
			return s;
	}
	return -1;
}

/* The database against the model, after every step. */
static bool check_model(void)
{
	bool seen[NSLOTS] = { false };
	int s, f, present = 0;

	if (!check_db())
		return false;
	for (f = 0; f < NFRAMES; f++) {
		struct mapdb_node *n;

		for (n = heads[f]; n; n = n->frame_next) {
			s = node_slot(n);
			if (s < 0 || seen[s] || !model[s].present || model[s].frame != f) {
				UNIT_FAIL("node at slot %d frame %d is not in the model", s, f);
				return false;
			}
			seen[s] = true;
		}
	}
	for (s = 0; s < NSLOTS; s++) {
		struct mapdb_node *n;

		if (!model[s].present)
			continue;
		present++;
		n = slot_node(s);
		if (n == NULL || !seen[s]) {
			UNIT_FAIL("slot %d: model has frame %d, lookup found nothing", s,
				  model[s].frame);
			return false;
		}
		if (n->rights != model[s].rights || (int)n->depth != model_depth(s) ||
		    n->parent != (model[s].parent < 0 ? NULL : slot_node(model[s].parent))) {
			UNIT_FAIL("slot %d: rights %#x/%#x depth %u/%d or parent differ", s,
				  n->rights, model[s].rights, n->depth, model_depth(s));
			return false;
		}
	}
	if ((uint64_t)present != db.nodes) {
		UNIT_FAIL("model has %d nodes, db %llu", present, (unsigned long long)db.nodes);
		return false;
	}
	return true;
}

/* Revoke events against the model's subtree of s; then drop it from the model. */
static bool fuzz_check_revoke(int s, bool include_self, uint64_t got)
{
	int order[NSLOTS];	/* event position of each removed slot, -1 if none */
	uint64_t expect = 0;
	size_t i;
	int t;

	for (t = 0; t < NSLOTS; t++) {
		order[t] = -1;
		if (model[t].present && model_below(t, s, include_self))
			expect++;
	}
	if (got != expect || pool.nlog != 2 * expect || pool.log_overflow) {
		UNIT_FAIL("revoke of slot %d (self %d): %llu removed, %llu expected, %zu events",
			  s, include_self, (unsigned long long)got,
			  (unsigned long long)expect, pool.nlog);
		return false;
	}
	for (i = 0; i < pool.nlog; i += 2) {
		struct event *u = &pool.log[i], *fr = &pool.log[i + 1];
		struct mapdb_node probe = { .space = u->space, .va = u->va };

		t = node_slot(&probe);
		if (u->kind != EV_UNMAPPED || fr->kind != EV_FREE || u->n != fr->n || t < 0 ||
		    !model[t].present || !model_below(t, s, include_self) || order[t] >= 0) {
			UNIT_FAIL("revoke of slot %d: bad event %zu (slot %d)", s, i, t);
			return false;
		}
		order[t] = (int)i;
	}
	/* Post-order: each removed node's removed parent came later. */
	for (t = 0; t < NSLOTS; t++) {
		int p = order[t] >= 0 ? model[t].parent : -1;

		if (p >= 0 && order[p] >= 0 && order[p] < order[t]) {
			UNIT_FAIL("slot %d was unmapped after its parent %d", t, p);
			return false;
		}
	}
	for (t = 0; t < NSLOTS; t++)
		if (order[t] >= 0)
			model[t].present = false;
	return true;
}

static void test_fuzz(void)
{
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	unsigned long counts[8] = { 0 };
	int step;

	setup();
	memset(model, 0, sizeof model);
	rng_state = seed;
	for (step = 0; step < FUZZ_STEPS; step++) {
		int op = rnd_below(100), s, d, f, err;
		unsigned rights = (unsigned)rnd_below(8);
		bool self = rnd_below(2) != 0;
		bool fail = rnd_below(10) == 0;
		struct mapdb_node *n;
		uint64_t got;

		log_clear();
		if (op < 20) {
			/* Root insert, sometimes of a frame not covered. */
			d = pick_slot(false);
			if (d < 0)
				continue;
			f = rnd_below(NFRAMES + 1);
			pool.fail = fail;
			n = mapdb_insert_root(&db, FRAME(f), slot_space(d), slot_va(d), rights);
			pool.fail = false;
			if (fail || f == NFRAMES) {
				if (n != NULL) {
					UNIT_FAIL("step %d: insert_root should have failed", step);
					break;
				}
			} else if (n == NULL) {
				UNIT_FAIL("step %d: insert_root failed", step);
				break;
			} else {
				model[d] = (struct slot){ true, f, -1, rights };
			}
			counts[0]++;
		} else if (op < 50) {
			/* Map from a random node to a free place. */
			s = pick_slot(true);
			d = pick_slot(false);
			if (s < 0 || d < 0)
				continue;
			pool.fail = fail;
			err = -1;
			n = mapdb_map(&db, slot_node(s), slot_space(d), slot_va(d), rights, &err);
			pool.fail = false;
			if (model_depth(s) + 1 >= MAPDB_MAX_DEPTH) {
				if (n != NULL || err != MAPDB_EDEPTH) {
					UNIT_FAIL("step %d: map past the depth limit: err %d", step, err);
					break;
				}
			} else if (fail) {
				if (n != NULL || err != MAPDB_ENOMEM) {
					UNIT_FAIL("step %d: map without memory: err %d", step, err);
					break;
				}
			} else if (n == NULL || err != MAPDB_OK) {
				UNIT_FAIL("step %d: map failed: err %d", step, err);
				break;
			} else {
				model[d] = (struct slot){ true, model[s].frame, s,
							  rights & model[s].rights };
			}
			counts[1]++;
		} else if (op < 60) {
			/* Grant a node to a free place. */
			int t;

			s = pick_slot(true);
			d = pick_slot(false);
			if (s < 0 || d < 0)
				continue;
			mapdb_grant(&db, slot_node(s), slot_space(d), slot_va(d));
			model[d] = model[s];
			model[s].present = false;
			for (t = 0; t < NSLOTS; t++)
				if (model[t].present && model[t].parent == s)
					model[t].parent = d;
			if (pool.nlog != 0) {
				UNIT_FAIL("step %d: grant called back", step);
				break;
			}
			counts[2]++;
		} else if (op < 75) {
			/* Revoke, with or without the node itself. */
			s = pick_slot(true);
			if (s < 0)
				continue;
			got = mapdb_revoke(&db, slot_node(s), self);
			if (!fuzz_check_revoke(s, self, got)) {
				UNIT_FAIL("step %d: revoke", step);
				break;
			}
			counts[3]++;
		} else if (op < 87) {
			/* Take rights away from a subtree. */
			uint64_t expect = 0;
			size_t i;
			int t;

			s = pick_slot(true);
			if (s < 0)
				continue;
			got = mapdb_revoke_rights(&db, slot_node(s), rights, self);
			for (t = 0; t < NSLOTS; t++) {
				if (model[t].present && model_below(t, s, self) &&
				    (model[t].rights & rights) != 0) {
					model[t].rights &= ~rights;
					expect++;
				}
			}
			if (got != expect || pool.nlog != expect) {
				UNIT_FAIL("step %d: revoke_rights changed %llu, expected %llu, %zu events",
					  step, (unsigned long long)got,
					  (unsigned long long)expect, pool.nlog);
				break;
			}
			for (i = 0; i < pool.nlog; i++) {
				struct mapdb_node probe = { .space = pool.log[i].space,
							    .va = pool.log[i].va };

				t = node_slot(&probe);
				if (pool.log[i].kind != EV_RIGHTS || t < 0 || !model[t].present ||
				    pool.log[i].rights != model[t].rights) {
					UNIT_FAIL("step %d: bad rights event %zu", step, i);
					break;
				}
			}
			counts[4]++;
		} else if (op < 95) {
			/* Address-space teardown of one page, right or wrong frame. */
			s = rnd_below(NSLOTS);
			f = model[s].present && rnd_below(4) != 0 ? model[s].frame
								  : rnd_below(NFRAMES);
			got = mapdb_remove_space_page(&db, FRAME(f), slot_space(s), slot_va(s));
			if (model[s].present && model[s].frame == f) {
				if (!fuzz_check_revoke(s, true, got)) {
					UNIT_FAIL("step %d: remove_space_page", step);
					break;
				}
			} else if (got != 0 || pool.nlog != 0) {
				UNIT_FAIL("step %d: remove_space_page of an empty place removed %llu",
					  step, (unsigned long long)got);
				break;
			}
			counts[5]++;
		} else {
			/* Lookups that must miss: wrong frame or empty place. */
			s = rnd_below(NSLOTS);
			f = rnd_below(NFRAMES);
			n = mapdb_lookup(&db, FRAME(f), slot_space(s), slot_va(s));
			if ((n != NULL) != (model[s].present && model[s].frame == f)) {
				UNIT_FAIL("step %d: lookup of slot %d frame %d", step, s, f);
				break;
			}
			counts[6]++;
		}
		if (unit_nfailed || !check_model()) {
			UNIT_FAIL("step %d: state differs from the model (seed %#llx)", step,
				  (unsigned long long)seed);
			break;
		}
	}
	/* Everything goes at the end: no leaks. */
	for (step = 0; step < NSLOTS; step++)
		if (model[step].present && model[step].parent < 0)
			mapdb_revoke(&db, slot_node(step), true);
	CHECK_EQ_INT(db.nodes, 0);
	CHECK_EQ_INT(pool.allocs, pool.frees);
	/* Each kind of operation must actually have run. */
	for (step = 0; step < 7; step++)
		CHECK(counts[step] > 1000);
	fprintf(stderr, "mapdb.fuzz: %lu roots, %lu maps, %lu grants, %lu revokes, "
		"%lu rights, %lu teardowns, %lu lookups; %llu allocs\n",
		counts[0], counts[1], counts[2], counts[3], counts[4], counts[5], counts[6],
		(unsigned long long)pool.allocs);
}

static const struct unit_test tests[] = {
	{ "mapdb.root_insert_lookup", test_root_insert_lookup },
	{ "mapdb.not_covered", test_not_covered },
	{ "mapdb.chain_revoke_children", test_chain_revoke_children },
	{ "mapdb.chain_revoke_self", test_chain_revoke_self },
	{ "mapdb.siblings_revoke_self", test_siblings_revoke_self },
	{ "mapdb.siblings_revoke_children", test_siblings_revoke_children },
	{ "mapdb.grant_keeps_children", test_grant_keeps_children },
	{ "mapdb.rights_subset", test_rights_subset },
	{ "mapdb.revoke_rights", test_revoke_rights },
	{ "mapdb.depth_limit", test_depth_limit },
	{ "mapdb.oom_unchanged", test_oom_unchanged },
	{ "mapdb.lookup_after_revoke", test_lookup_after_revoke },
	{ "mapdb.remove_space_page", test_remove_space_page },
	{ "mapdb.null_callbacks", test_null_callbacks },
	{ "mapdb.wide_tree", test_wide_tree },
	{ "mapdb.fuzz", test_fuzz },
};

UNIT_MAIN(tests)
