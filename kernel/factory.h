/* Factory: creates kernel objects and charges their memory to a quota. */
#ifndef KERNEL_FACTORY_H
#define KERNEL_FACTORY_H

#include "kobject.h"

struct thread;

struct factory {
	struct kobject obj;   /* refs: capabilities + every object charged to it */
	uint64_t limit;       /* bytes this factory may charge */
	uint64_t used;        /* bytes charged now (objects, page tables, sub-factory quotas) */
};

/* The root factory of a boot program, with the given quota. */
struct factory *factory_create_root(uint64_t limit);

/* Allocates size bytes of kernel memory charged to f; NULL when the quota
 * or the kernel's memory is exhausted. */
void *factory_alloc(struct factory *f, size_t size);
void factory_free(struct factory *f, void *p, size_t size);
/* Moves a charge of bytes (already rounded) from one quota to another;
 * false when the target's quota cannot take it. */
bool factory_move_charge(struct factory *from, struct factory *to, size_t bytes);
/* Allocates and charges a kernel object and initialises its header (one reference). */
void *factory_new_object(struct factory *f, size_t size, unsigned type);
/* Frees an object's memory and gives its charge back. */
void factory_delete_object(struct kobject *o);

void factory_destroy(struct factory *f);
/* Every kernel object's invoke has this shape: arguments in the caller's
 * MR[0 .. words-1], results written to its MRs with their count in *nres. */
int factory_invoke(struct factory *f, unsigned rights, struct thread *caller, unsigned op, unsigned words,
		   unsigned *nres);

#endif
