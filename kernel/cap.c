/* Capability lookup, insertion, derivation and recursive revocation. */
#include "cap.h"
#include "factory.h"
#include "panic.h"
#include "task.h"
#include "pecan/errors.h"
#include "pecan/fpage.h"

#define PAGE_BYTES (CAP_SLOTS_PER_PAGE * sizeof(struct cap))

struct cap *cap_lookup(struct task *t, uint64_t sel)
{
	if (sel == 0 || sel >= PECAN_CAP_SPACE_SIZE)
		return NULL;
	struct cap *page = t->caps.pages[sel / CAP_SLOTS_PER_PAGE];
	if (!page)
		return NULL;
	struct cap *c = &page[sel % CAP_SLOTS_PER_PAGE];
	return c->obj ? c : NULL;
}

int cap_get(struct task *t, uint64_t sel, unsigned type, unsigned rights, struct cap **out)
{
	struct cap *c = cap_lookup(t, sel);
	if (!c || (type && c->obj->type != type))
		return PECAN_ECAP;
	if ((c->rights & rights) != rights)
		return PECAN_EPERM;
	*out = c;
	return PECAN_OK;
}

int cap_check_free(struct task *t, uint64_t sel)
{
	if (sel == 0 || sel >= PECAN_CAP_SPACE_SIZE)
		return PECAN_EINVAL;
	return cap_lookup(t, sel) ? PECAN_EBUSY : PECAN_OK;
}

int cap_prepare(struct task *t, uint64_t sel)
{
	if (sel == 0 || sel >= PECAN_CAP_SPACE_SIZE)
		return PECAN_EINVAL;
	struct cap **page = &t->caps.pages[sel / CAP_SLOTS_PER_PAGE];
	if (!*page && !(*page = factory_alloc(t->obj.factory, PAGE_BYTES)))
		return PECAN_ENOMEM;
	return PECAN_OK;
}

void cap_release_page_if_empty(struct task *t, uint64_t sel)
{
	unsigned p = (unsigned)(sel / CAP_SLOTS_PER_PAGE);
	if (sel < PECAN_CAP_SPACE_SIZE && t->caps.pages[p] && t->caps.used[p] == 0) {
		factory_free(t->obj.factory, t->caps.pages[p], PAGE_BYTES);
		t->caps.pages[p] = NULL;
	}
}

/* An empty, prepared slot, now counted as used. Counting the new capability
 * first keeps the page alive while an old capability there is deleted. */
static struct cap *take_slot(struct task *t, uint64_t sel)
{
	unsigned p = (unsigned)(sel / CAP_SLOTS_PER_PAGE);
	struct cap *page = t->caps.pages[p];
	assert(page);
	t->caps.used[p]++;
	struct cap *c = &page[sel % CAP_SLOTS_PER_PAGE];
	if (c->obj)
		cap_revoke(c, true);
	c->owner = t;
	c->sel = (uint16_t)sel;
	return c;
}

bool cap_is_ancestor(const struct cap *a, const struct cap *c)
{
	for (; c; c = c->parent)
		if (c == a)
			return true;
	return false;
}

void cap_insert_root(struct task *t, uint64_t sel, struct kobject *obj, unsigned rights)
{
	assert(!obj->dying);
	struct cap *c = take_slot(t, sel);
	c->obj = obj;
	c->rights = (uint8_t)(rights & PECAN_CAP_RWD);
	kobject_get(obj);
}

/* Removes a leaf from its parent's child list and empties it; frees its page
 * when that was the page's last capability. */
static void cap_clear(struct cap *c)
{
	assert(!c->first_child);
	if (c->prev_sibling)
		c->prev_sibling->next_sibling = c->next_sibling;
	else if (c->parent)
		c->parent->first_child = c->next_sibling;
	if (c->next_sibling)
		c->next_sibling->prev_sibling = c->prev_sibling;
	struct kobject *o = c->obj;
	struct task *t = c->owner;
	unsigned p = c->sel / CAP_SLOTS_PER_PAGE;
	*c = (struct cap){0};
	assert(t->caps.used[p] > 0);
	if (--t->caps.used[p] == 0) {
		factory_free(t->obj.factory, t->caps.pages[p], PAGE_BYTES);
		t->caps.pages[p] = NULL;
	}
	kobject_put(o);
}

void cap_revoke(struct cap *c, bool include_self)
{
	/* Deepest first and without recursion: descend to a leaf, delete it, repeat. */
	while (c->first_child) {
		struct cap *n = c->first_child;
		while (n->first_child)
			n = n->first_child;
		cap_clear(n);
	}
	if (include_self)
		cap_clear(c);
}

void cap_derive(struct task *t, uint64_t sel, struct cap *src, unsigned rights)
{
	struct cap *c = take_slot(t, sel);
	assert(c != src && src->obj);
	c->obj = src->obj;
	c->rights = (uint8_t)(src->rights & rights & PECAN_CAP_RWD);
	c->parent = src;
	c->next_sibling = src->first_child;
	if (src->first_child)
		src->first_child->prev_sibling = c;
	src->first_child = c;
	kobject_get(src->obj);
}

void cap_move(struct task *t, uint64_t sel, struct cap *src)
{
	if (src->owner == t && src->sel == sel)
		return;
	struct cap *c = take_slot(t, sel);
	struct task *old_owner = src->owner;
	unsigned old_page = src->sel / CAP_SLOTS_PER_PAGE;
	uint16_t new_sel = c->sel;
	*c = *src;
	c->owner = t;
	c->sel = new_sel;
	/* Re-point everything that referred to the old slot. */
	if (c->prev_sibling)
		c->prev_sibling->next_sibling = c;
	else if (c->parent)
		c->parent->first_child = c;
	if (c->next_sibling)
		c->next_sibling->prev_sibling = c;
	for (struct cap *ch = c->first_child; ch; ch = ch->next_sibling)
		ch->parent = c;
	*src = (struct cap){0};
	if (--old_owner->caps.used[old_page] == 0) {
		factory_free(old_owner->obj.factory, old_owner->caps.pages[old_page], PAGE_BYTES);
		old_owner->caps.pages[old_page] = NULL;
	}
}

void cap_space_destroy(struct task *t)
{
	for (unsigned p = 0; p < CAP_PAGES; p++) {
		for (unsigned i = 0; i < CAP_SLOTS_PER_PAGE; i++) {
			struct cap *page = t->caps.pages[p]; /* freed once its last slot goes */
			if (!page)
				break;
			if (page[i].obj)
				cap_revoke(&page[i], true);
		}
	}
}
