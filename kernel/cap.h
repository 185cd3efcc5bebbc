/* Capability spaces: selectors naming kernel objects with rights, in derivation trees for revocation. */
#ifndef KERNEL_CAP_H
#define KERNEL_CAP_H

#include <stdbool.h>
#include <stdint.h>
#include "kobject.h"
#include "pecan/syscall.h"

struct task;

struct cap {
	struct kobject *obj; /* NULL: empty slot */
	struct task *owner;  /* the task whose space holds the slot */
	uint16_t sel;        /* the slot's selector there */
	uint8_t rights;      /* PECAN_CAP_R | W | D */
	/* Derivation tree: a mapped capability is a child of its source, so
	 * revoking a capability reaches every copy made from it, in any task. */
	struct cap *parent, *first_child, *next_sibling, *prev_sibling;
};

#define CAP_SLOTS_PER_PAGE 64
#define CAP_PAGES (PECAN_CAP_SPACE_SIZE / CAP_SLOTS_PER_PAGE)

struct cap_space {
	struct cap *pages[CAP_PAGES]; /* allocated on first use, charged to the task's factory, */
	uint8_t used[CAP_PAGES];      /* freed when their last capability goes */
};

/* The capability at sel, or NULL when sel is out of range or the slot is empty. */
struct cap *cap_lookup(struct task *t, uint64_t sel);
/* Looks up sel and checks its type (PECAN_OBJ_*, or 0 for any) and rights.
 * Returns PECAN_OK and sets *out, or PECAN_ECAP / PECAN_EPERM. */
int cap_get(struct task *t, uint64_t sel, unsigned type, unsigned rights, struct cap **out);
/* Checks that sel could receive a new capability without allocating:
 * PECAN_OK, PECAN_EINVAL (0 or out of range) or PECAN_EBUSY (in use). */
int cap_check_free(struct task *t, uint64_t sel);
/* Makes sure the page for sel exists: PECAN_OK, PECAN_EINVAL or PECAN_ENOMEM. */
int cap_prepare(struct task *t, uint64_t sel);
/* Frees the page of sel again when cap_prepare allocated it and no
 * capability uses it (an operation failed after preparing). */
void cap_release_page_if_empty(struct task *t, uint64_t sel);
/* Puts a root capability for obj at sel, which must be prepared and empty
 * (takes a reference). */
void cap_insert_root(struct task *t, uint64_t sel, struct kobject *obj, unsigned rights);
/* Puts at sel (prepared) a copy of src with rights & src->rights, derived
 * from src. A capability already there is deleted first, with its subtree. */
void cap_derive(struct task *t, uint64_t sel, struct cap *src, unsigned rights);
/* Moves src to sel (prepared), keeping its place in the derivation tree. */
void cap_move(struct task *t, uint64_t sel, struct cap *src);
/* True when a is c or one of c's ancestors (deleting a would delete c). */
bool cap_is_ancestor(const struct cap *a, const struct cap *c);
/* Deletes every capability derived from c, and c too when include_self. */
void cap_revoke(struct cap *c, bool include_self);
/* Deletes every capability of the space (and everything derived from them). */
void cap_space_destroy(struct task *t);

#endif
