/* The IPC fast path: call and reply-and-wait with only untyped words, when the partner already waits. */
#ifndef KERNEL_IPC_FAST_H
#define KERNEL_IPC_FAST_H

/*
 * The common case of a client-server exchange is a call to a server that
 * waits, and its reply-and-wait to a client that waits for the reply. Both
 * move untyped words from one UTCB to the other, block the sender and run
 * the receiver at once. Everything else (typed items, zero timeouts,
 * partners not ready, a better thread ready, faults) takes the general path
 * in ipc.c, whose semantics this path repeats exactly. It is a header so
 * that the system-call entry inlines it: it runs first on every call.
 */

#include <stdbool.h>
#include "cap.h"
#include "gate.h"
#include "sched.h"
#include "task.h"
#include "thread.h"
#include "pecan/errors.h"
#include "pecan/fpage.h"
#include "pecan/msgtag.h"
#include "pecan/syscall.h"
#include "arch/x86_64/trap.h"

static inline void copy_words(uint64_t *dst, const uint64_t *src, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		dst[i] = src[i];
}

/* Blocks cur and runs partner, which must be the best thread now. */
static inline void hand_over(struct thread *cur, struct thread *partner, uint64_t timeout)
{
	if (timeout != PECAN_TIMEOUT_NEVER)
		sched_set_timeout(cur, timeout);
	sched_handoff(cur, partner);
}

static inline __attribute__((always_inline)) bool ipc_fast(struct thread *cur, struct trap_frame *f)
{
	uint64_t tag = f->rsi, flags = f->rdx, timeout = f->r8;
	if (tag & (PECAN_TAG_ITEMS_MASK << PECAN_TAG_ITEMS_SHIFT))
		return false;
	unsigned words = pecan_msgtag_words(tag);
	if (words > PECAN_MR_COUNT || timeout == PECAN_TIMEOUT_ZERO)
		return false;

	if (flags == PECAN_IPC_CALL) {
		struct cap *c = cap_lookup(cur->task, f->rdi);
		if (!c || c->obj->type != PECAN_OBJ_GATE || !(c->rights & PECAN_CAP_R))
			return false;
		struct gate *g = (struct gate *)c->obj;
		struct thread *r = g->thread;
		if (!r || r->state != TS_RECEIVING || r->partner || r->fault != FAULT_NONE ||
		    !(r->recv_open || r->recv_from == &g->obj) || !sched_would_run(r->prio, cur->prio, cur, cur->rq_next))
			return false;
		copy_words(r->utcb->mr, cur->utcb->mr, words);
		r->ipc_err = PECAN_OK;
		r->ipc_tag = tag;
		r->ipc_label = g->label;
		r->recv_from = NULL;
		r->reply_to = cur;
		if (r->wakeup)
			sched_cancel_timeout(r);
		cur->state = TS_RECEIVING;
		cur->partner = r;
		cur->recv_open = false;
		cur->recv_from = NULL;
		hand_over(cur, r, timeout);
	} else if (flags == PECAN_IPC_REPLY_WAIT) {
		struct thread *c = cur->reply_to;
		if (!c || c == REPLY_GONE || c->state != TS_RECEIVING || c->partner != cur ||
		    c->fault != FAULT_NONE || cur->sendq_head || cur->irq_pending || !sched_would_run(c->prio, cur->prio, cur, cur->rq_next))
			return false;
		copy_words(c->utcb->mr, cur->utcb->mr, words);
		c->ipc_err = PECAN_OK;
		c->ipc_tag = tag;
		c->ipc_label = 0;
		c->partner = NULL;
		if (c->wakeup)
			sched_cancel_timeout(c);
		cur->reply_to = NULL;
		cur->state = TS_RECEIVING;
		cur->partner = NULL;
		cur->recv_open = true;
		cur->recv_from = NULL;
		hand_over(cur, c, timeout);
	} else {
		return false;
	}
	/* someone woke us: the result is in our thread */
	f->rax = (uint64_t)cur->ipc_err;
	f->rsi = cur->ipc_tag;
	f->rdi = cur->ipc_label;
	return true;
}

#endif
