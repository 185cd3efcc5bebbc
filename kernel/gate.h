/* IPC gates: endpoints bound to a thread, carrying the label the server chose. */
#ifndef KERNEL_GATE_H
#define KERNEL_GATE_H

#include <stdint.h>
#include "kobject.h"

struct thread;
struct factory;

struct gate {
	struct kobject obj;
	struct thread *thread;   /* the receiver; NULL once it is gone */
	uint64_t label;          /* delivered to the receiver with every message */
	struct gate *thread_next;/* the thread's list of bound gates */
};

struct gate *gate_create(struct factory *f, struct thread *t, uint64_t label);
void gate_destroy(struct gate *g);
/* The thread is dying: unbind its gates. */
void gate_thread_gone(struct thread *t);

#endif
