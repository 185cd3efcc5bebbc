/* mapdb.h - mapping database: which mapping of a frame derives from which, for recursive unmap. */
#ifndef PECAN_LIB_MAPDB_H
#define PECAN_LIB_MAPDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Every mapping of a 4 KiB frame into an address space is a node. A node
 * made by map is a child of the mapping it came from, so the nodes of one
 * frame form a forest whose roots are the kernel's own mappings (sigma0's
 * window, pages the kernel loaded). Unmap revokes a subtree: L4's rule
 * that when A unmaps a page it gave to B, and B gave it on to C, both B
 * and C lose it.
 *
 * The module knows nothing about page tables: address spaces are opaque
 * pointers, memory for nodes comes from ops.alloc, and the kernel clears
 * page-table entries from ops.unmapped / ops.rights_changed. Nothing here
 * locks; the caller serialises all calls on one database.
 *
 * Callbacks must not call back into the database they were called from.
 */

struct mapdb_node {		/* one mapping of one 4 KiB frame into one address space */
	struct mapdb_node *parent;	/* the mapping it was derived from; NULL for a root */
	/* Children: a NULL-terminated, doubly linked list, newest first.
	 * prev_sibling is NULL for the first child. */
	struct mapdb_node *first_child, *next_sibling, *prev_sibling;
	/* All nodes of the same frame (NULL-terminated, doubly linked), so
	 * lookup needs no index per address space and unlinking is O(1). */
	struct mapdb_node *frame_next, *frame_prev;
	void *space;			/* opaque address-space identity */
	uint64_t va;			/* page-aligned virtual address in that space */
	uint64_t frame;			/* page-aligned physical address */
	unsigned rights;		/* caller-defined bits (R/W/X); a child's are a subset of its parent's */
	unsigned depth;			/* 0 for a root, parent's depth + 1 otherwise */
};

struct mapdb_ops {
	void *ctx;			/* passed to every callback */
	struct mapdb_node *(*alloc)(void *ctx);	/* NULL when out of memory */
	void (*free)(void *ctx, struct mapdb_node *n);
	/* Called for each node removed by a revoke, before it is freed, so
	 * the kernel can clear the page-table entry and flush the TLB. The
	 * node's fields are intact. May be NULL. */
	void (*unmapped)(void *ctx, struct mapdb_node *n);
	/* Called for each node whose rights a revoke_rights reduced, after
	 * n->rights holds the new value, so the kernel can downgrade the
	 * page-table entry. May be NULL. */
	void (*rights_changed)(void *ctx, struct mapdb_node *n);
};

struct mapdb {
	struct mapdb_ops ops;
	struct mapdb_node **frames;	/* per-frame list heads, indexed by (frame >> 12) - base_pfn */
	uint64_t base_pfn, nframes;	/* frames covered: [base_pfn, base_pfn + nframes) */
	uint64_t nodes;			/* live nodes: allocs minus frees, for leak checks */
};

/*
 * A chain of mappings (root, child, grandchild, ...) holds at most this
 * many nodes: a node's depth is below MAPDB_MAX_DEPTH. A map that would go
 * deeper is refused, which bounds the walk up a chain and keeps one
 * malicious pair of tasks from building an unbounded chain.
 */
#define MAPDB_MAX_DEPTH 64

enum { MAPDB_OK = 0, MAPDB_ENOMEM = 1, MAPDB_EDEPTH = 2 };

/* frame_heads: caller-provided array of nframes pointers, all NULL. It is
 * not cleared here, so the kernel can hand in zeroed boot memory without a
 * second pass. */
void mapdb_init(struct mapdb *db, const struct mapdb_ops *ops,
		struct mapdb_node **frame_heads, uint64_t base_pfn, uint64_t nframes);

/* Whether frame is a page-aligned address of a frame the database tracks. */
bool mapdb_covers(const struct mapdb *db, uint64_t frame);

/* A root mapping (no parent). NULL: out of memory, or frame not covered.
 * Precondition: (space, va) has no node. */
struct mapdb_node *mapdb_insert_root(struct mapdb *db, uint64_t frame, void *space,
				     uint64_t va, unsigned rights);

/* The node of frame at (space, va); NULL if none. O(mappings of frame). */
struct mapdb_node *mapdb_lookup(const struct mapdb *db, uint64_t frame, void *space,
				uint64_t va);

/*
 * Derive a child of parent at (space, va) with rights & parent->rights.
 * NULL on failure, with *err (if err is not NULL) MAPDB_ENOMEM or
 * MAPDB_EDEPTH, and nothing changed; *err = MAPDB_OK on success.
 * Precondition: (space, va) has no node for any frame (the kernel unmaps
 * first).
 */
struct mapdb_node *mapdb_map(struct mapdb *db, struct mapdb_node *parent, void *space,
			     uint64_t va, unsigned rights, int *err);

/* Move node to (space, va), keeping its place in the tree, its rights and
 * its children (grant). Cannot fail. Precondition: (space, va) is free. */
void mapdb_grant(struct mapdb *db, struct mapdb_node *node, void *space, uint64_t va);

/*
 * Remove every descendant of node (and node itself if include_self),
 * calling ops.unmapped then ops.free on each. Every node goes before its
 * parent (post-order), so a chain is torn down deepest first and no
 * callback sees a node whose parent is already gone. Returns how many
 * nodes were removed. O(removed nodes), no recursion.
 */
uint64_t mapdb_revoke(struct mapdb *db, struct mapdb_node *node, bool include_self);

/*
 * Clear the mask bits from the rights of node's descendants (and of node
 * itself if include_self), calling ops.rights_changed on each node whose
 * rights changed. Children stay subsets of their parents because the
 * whole subtree loses the same bits. Returns how many nodes changed.
 * O(subtree), no recursion.
 */
uint64_t mapdb_revoke_rights(struct mapdb *db, struct mapdb_node *node, unsigned mask,
			     bool include_self);

/*
 * For destroying an address space: the kernel walks its page tables and,
 * for each (frame, va) it finds, revokes the node at (frame, space, va)
 * with its subtree. Returns how many nodes were removed; 0 if none.
 */
uint64_t mapdb_remove_space_page(struct mapdb *db, uint64_t frame, void *space, uint64_t va);

#endif
