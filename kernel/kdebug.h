/* The kernel debug console object. */
#ifndef KERNEL_KDEBUG_H
#define KERNEL_KDEBUG_H

#include "kobject.h"

struct thread;

extern struct kobject kdebug_object;
int kdebug_invoke(unsigned rights, struct thread *caller, unsigned op, unsigned words, unsigned *nres);

#endif
