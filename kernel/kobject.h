/* The kernel object base: type, capability references, the quota it is charged to, deferred destruction. */
#ifndef KERNEL_KOBJECT_H
#define KERNEL_KOBJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "pecan/ops.h"

struct factory;

struct kobject {
	uint8_t type;             /* PECAN_OBJ_* */
	bool dying;               /* on the destroy queue: no new references */
	uint32_t refs;            /* capabilities naming it, plus internal references */
	struct factory *factory;  /* whose quota pays for it; NULL for static objects */
	size_t charge;            /* bytes charged to that quota */
	struct kobject *destroy_next; /* link on the destroy queue */
};

/* Adds a reference. */
static inline void kobject_get(struct kobject *o) { o->refs++; }
/* Drops a reference; the last one queues the object for destruction at the
 * end of the current kernel entry (kobject_destroy_pending). */
void kobject_put(struct kobject *o);
/* Destroys every queued object; destroying one may queue more. Called on
 * the way out of every kernel entry. */
void kobject_destroy_pending(void);
/* Is anything queued for destruction? */
bool kobject_pending(void);
/* Live objects (for the leak check and kdebug stats). */
uint64_t kobject_count(void);
void kobject_count_add(int delta);

#endif
