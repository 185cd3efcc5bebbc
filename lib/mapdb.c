/* mapdb.c - mapping database: derivation trees of frame mappings, with iterative revoke. */
#include "mapdb.h"

#define MAPDB_PAGE_SHIFT 12
#define MAPDB_PAGE_MASK ((UINT64_C(1) << MAPDB_PAGE_SHIFT) - 1)

void mapdb_init(struct mapdb *db, const struct mapdb_ops *ops,
		struct mapdb_node **frame_heads, uint64_t base_pfn, uint64_t nframes)
{
	db->ops = *ops;
	db->frames = frame_heads;
	db->base_pfn = base_pfn;
	db->nframes = nframes;
	db->nodes = 0;
}

bool mapdb_covers(const struct mapdb *db, uint64_t frame)
{
	uint64_t pfn = frame >> MAPDB_PAGE_SHIFT;

	/* Written as a difference so base_pfn + nframes cannot overflow. */
	return (frame & MAPDB_PAGE_MASK) == 0 && pfn >= db->base_pfn &&
	       pfn - db->base_pfn < db->nframes;
}

/* Only for covered frames. */
static struct mapdb_node **frame_head(const struct mapdb *db, uint64_t frame)
{
	return &db->frames[(frame >> MAPDB_PAGE_SHIFT) - db->base_pfn];
}

static void frame_link(struct mapdb *db, struct mapdb_node *n)
{
	struct mapdb_node **head = frame_head(db, n->frame);

	n->frame_prev = NULL;
	n->frame_next = *head;
	if (*head)
		(*head)->frame_prev = n;
	*head = n;
}

static void frame_unlink(struct mapdb *db, struct mapdb_node *n)
{
	if (n->frame_prev)
		n->frame_prev->frame_next = n->frame_next;
	else
		*frame_head(db, n->frame) = n->frame_next;
	if (n->frame_next)
		n->frame_next->frame_prev = n->frame_prev;
}

static void child_link(struct mapdb_node *parent, struct mapdb_node *n)
{
	n->prev_sibling = NULL;
	n->next_sibling = parent->first_child;
	if (parent->first_child)
		parent->first_child->prev_sibling = n;
	parent->first_child = n;
}

static void child_unlink(struct mapdb_node *n)
{
	if (n->prev_sibling)
		n->prev_sibling->next_sibling = n->next_sibling;
	else if (n->parent)
		n->parent->first_child = n->next_sibling;
	if (n->next_sibling)
		n->next_sibling->prev_sibling = n->prev_sibling;
}

/* Allocate and fill a node without linking it anywhere; NULL when out of
 * memory. Fields are set one by one (no struct literal) so the compiler
 * has no reason to emit a memset call in the freestanding build. */
static struct mapdb_node *node_new(struct mapdb *db, struct mapdb_node *parent,
				   uint64_t frame, void *space, uint64_t va, unsigned rights)
{
	struct mapdb_node *n = db->ops.alloc(db->ops.ctx);

	if (n == NULL)
		return NULL;
	n->parent = parent;
	n->first_child = NULL;
	n->next_sibling = NULL;
	n->prev_sibling = NULL;
	n->frame_next = NULL;
	n->frame_prev = NULL;
	n->space = space;
	n->va = va;
	n->frame = frame;
	n->rights = rights;
	n->depth = parent ? parent->depth + 1 : 0;
	db->nodes++;
	return n;
}

struct mapdb_node *mapdb_insert_root(struct mapdb *db, uint64_t frame, void *space,
				     uint64_t va, unsigned rights)
{
	struct mapdb_node *n;

	if (!mapdb_covers(db, frame))
		return NULL;
	n = node_new(db, NULL, frame, space, va, rights);
	if (n == NULL)
		return NULL;
	frame_link(db, n);
	return n;
}

struct mapdb_node *mapdb_lookup(const struct mapdb *db, uint64_t frame, void *space,
				uint64_t va)
{
	struct mapdb_node *n;

	if (!mapdb_covers(db, frame))
		return NULL;
	for (n = *frame_head(db, frame); n; n = n->frame_next)
		if (n->space == space && n->va == va)
			return n;
	return NULL;
}

struct mapdb_node *mapdb_map(struct mapdb *db, struct mapdb_node *parent, void *space,
			     uint64_t va, unsigned rights, int *err)
{
	struct mapdb_node *n;
	int e = MAPDB_OK;

	/* Check everything before allocating, so a refusal changes nothing. */
	if (parent->depth + 1 >= MAPDB_MAX_DEPTH) {
		e = MAPDB_EDEPTH;
		n = NULL;
	} else {
		n = node_new(db, parent, parent->frame, space, va, rights & parent->rights);
		if (n == NULL) {
			e = MAPDB_ENOMEM;
		} else {
			child_link(parent, n);
			frame_link(db, n);
		}
	}
	if (err)
		*err = e;
	return n;
}

void mapdb_grant(struct mapdb *db, struct mapdb_node *node, void *space, uint64_t va)
{
	/* The frame, the tree position and hence the frame list all stay:
	 * only the place the mapping is visible at moves. */
	(void)db;
	node->space = space;
	node->va = va;
}

/* Unlink a node that has no children any more, report it and free it. */
static void node_remove(struct mapdb *db, struct mapdb_node *n)
{
	if (db->ops.unmapped)
		db->ops.unmapped(db->ops.ctx, n);
	child_unlink(n);
	frame_unlink(db, n);
	db->nodes--;
	db->ops.free(db->ops.ctx, n);
}

uint64_t mapdb_revoke(struct mapdb *db, struct mapdb_node *node, bool include_self)
{
	struct mapdb_node *cur = node;
	uint64_t removed = 0;

	if (node == NULL)
		return 0;
	/*
	 * Post-order without a stack: go down first children to a leaf,
	 * remove it, step back to its parent and go down again. Removing the
	 * leaf makes its next sibling the parent's first child, so each node
	 * is entered from above once and returned to once per child: linear
	 * in the subtree, with parent pointers doing the stack's work.
	 */
	for (;;) {
		struct mapdb_node *parent;

		while (cur->first_child)
			cur = cur->first_child;
		if (cur == node)
			break;
		parent = cur->parent;
		node_remove(db, cur);
		removed++;
		cur = parent;
	}
	if (include_self) {
		node_remove(db, node);
		removed++;
	}
	return removed;
}

uint64_t mapdb_revoke_rights(struct mapdb *db, struct mapdb_node *node, unsigned mask,
			     bool include_self)
{
	struct mapdb_node *cur = node;
	uint64_t changed = 0;

	if (node == NULL)
		return 0;
	/* Pre-order without a stack: first child, else the next sibling of
	 * the nearest ancestor (below node) that has one. */
	for (;;) {
		if (cur != node || include_self) {
			unsigned rights = cur->rights & ~mask;

			if (rights != cur->rights) {
				cur->rights = rights;
				changed++;
				if (db->ops.rights_changed)
					db->ops.rights_changed(db->ops.ctx, cur);
			}
		}
		if (cur->first_child) {
			cur = cur->first_child;
			continue;
		}
		while (cur != node && cur->next_sibling == NULL)
			cur = cur->parent;
		if (cur == node)
			break;
		cur = cur->next_sibling;
	}
	return changed;
}

uint64_t mapdb_remove_space_page(struct mapdb *db, uint64_t frame, void *space, uint64_t va)
{
	return mapdb_revoke(db, mapdb_lookup(db, frame, space, va), true);
}
