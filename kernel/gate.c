/* IPC gates: binding to a thread and what happens to blocked partners when either side goes. */
#include "gate.h"
#include "factory.h"
#include "thread.h"
#include "pecan/errors.h"

struct gate *gate_create(struct factory *f, struct thread *t, uint64_t label)
{
	struct gate *g = factory_new_object(f, sizeof(*g), PECAN_OBJ_GATE);
	if (!g)
		return NULL;
	g->label = label;
	if (t->state != TS_DEAD) {
		g->thread = t;
		g->thread_next = t->gates;
		t->gates = g;
	}
	return g;
}

void gate_thread_gone(struct thread *t)
{
	for (struct gate *g = t->gates; g; g = g->thread_next)
		g->thread = NULL;
	t->gates = NULL;
}

void gate_destroy(struct gate *g)
{
	struct thread *t = g->thread;
	if (t) {
		/* senders blocked on this gate, and a closed wait on it, are aborted */
		for (struct thread *s = t->sendq_head; s;) {
			struct thread *next = s->sq_next;
			if (s->send_gate == g)
				thread_abort_ipc(s, PECAN_ECANCELED);
			s = next;
		}
		if (t->state == TS_RECEIVING && t->recv_from == &g->obj)
			thread_abort_ipc(t, PECAN_ECANCELED);
		for (struct gate **pp = &t->gates; *pp; pp = &(*pp)->thread_next) {
			if (*pp == g) {
				*pp = g->thread_next;
				break;
			}
		}
	}
	factory_delete_object(&g->obj);
}
