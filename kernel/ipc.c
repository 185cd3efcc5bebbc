/* IPC by rendezvous: the message moves when sender and receiver meet; typed items map memory and capabilities. */
#include "ipc.h"
#include "gate.h"
#include "irq.h"
#include "panic.h"
#include "sched.h"
#include "string.h"
#include "task.h"
#include "thread.h"
#include "pecan/errors.h"
#include "pecan/fpage.h"
#include "pecan/msgtag.h"
#include "pecan/ops.h"
#include "pecan/syscall.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/layout.h"

/* Does r wait for a message through gate g? */
static bool waits_for(const struct thread *r, const struct gate *g)
{
	return r->state == TS_RECEIVING && !r->partner && (r->recv_open || r->recv_from == &g->obj);
}

/* Where an item lands in a window: base + (hotspot mod window size), aligned down to the item size. */
static bool place_in_window(uint64_t window, unsigned kind, uint64_t hotspot, unsigned order, uint64_t *dest)
{
	if (pecan_fpage_kind(window) != kind)
		return false;
	unsigned worder = pecan_fpage_order(window);
	if (worder < order)
		return false;
	uint64_t wbase = pecan_fpage_base(window);
	uint64_t wsize = 1ull << worder, size = 1ull << order;
	*dest = wbase + ((hotspot & (wsize - 1)) & ~(size - 1));
	return true;
}

/* Validates and applies the typed items of a message from src to dst. */
static int transfer_items(struct thread *src, struct thread *dst, const uint64_t *items, unsigned n,
			  const uint64_t *windows)
{
	/* decode every item before applying any */
	for (unsigned i = 0; i < n; i++) {
		uint64_t w0 = items[2 * i], fp = items[2 * i + 1];
		unsigned type = w0 & PECAN_ITEM_TYPE_MASK, kind = pecan_fpage_kind(fp);
		unsigned order = pecan_fpage_order(fp);
		uint64_t dest;
		if ((type != PECAN_ITEM_MAP && type != PECAN_ITEM_GRANT) ||
		    (kind != PECAN_FPAGE_MEM && kind != PECAN_FPAGE_CAP))
			return PECAN_EINVAL;
		uint64_t hotspot = kind == PECAN_FPAGE_CAP ? (w0 & PECAN_ITEM_HOTSPOT_MASK) >> 12
							   : (w0 & PECAN_ITEM_HOTSPOT_MASK);
		uint64_t window = windows[kind == PECAN_FPAGE_MEM ? PECAN_BR_MEM_WINDOW : PECAN_BR_CAP_WINDOW];
		if (!place_in_window(window, kind, hotspot, order, &dest))
			return PECAN_ERANGE;
	}
	for (unsigned i = 0; i < n; i++) {
		uint64_t w0 = items[2 * i], fp = items[2 * i + 1];
		unsigned kind = pecan_fpage_kind(fp);
		uint64_t hotspot = kind == PECAN_FPAGE_CAP ? (w0 & PECAN_ITEM_HOTSPOT_MASK) >> 12
							   : (w0 & PECAN_ITEM_HOTSPOT_MASK);
		uint64_t window = windows[kind == PECAN_FPAGE_MEM ? PECAN_BR_MEM_WINDOW : PECAN_BR_CAP_WINDOW];
		uint64_t dest = 0;
		place_in_window(window, kind, hotspot, pecan_fpage_order(fp), &dest);
		int err = task_map_fpage(dst->task, dest, src->task, fp, PECAN_FPAGE_RWX,
					 (w0 & PECAN_ITEM_TYPE_MASK) == PECAN_ITEM_GRANT);
		if (err)
			return err;
	}
	return PECAN_OK;
}

/* The message a faulting thread sends to its pager / exception handler. */
static uint64_t fault_message(struct thread *t, uint64_t *mr)
{
	if (t->fault == FAULT_PAGE) {
		mr[0] = t->fault_addr;
		mr[1] = thread_frame(t)->rip;
		return pecan_msgtag(PECAN_LABEL_PAGE_FAULT, PECAN_PF_WORDS, 0, 0);
	}
	const struct trap_frame *f = thread_frame(t);
	mr[PECAN_EXC_RIP] = f->rip;
	mr[PECAN_EXC_RSP] = f->rsp;
	mr[PECAN_EXC_RFLAGS] = f->rflags;
	mr[PECAN_EXC_RAX] = f->rax;
	mr[PECAN_EXC_RBX] = f->rbx;
	mr[PECAN_EXC_RCX] = f->rcx;
	mr[PECAN_EXC_RDX] = f->rdx;
	mr[PECAN_EXC_RSI] = f->rsi;
	mr[PECAN_EXC_RDI] = f->rdi;
	mr[PECAN_EXC_RBP] = f->rbp;
	mr[PECAN_EXC_R8] = f->r8;
	mr[PECAN_EXC_R9] = f->r9;
	mr[PECAN_EXC_R10] = f->r10;
	mr[PECAN_EXC_R11] = f->r11;
	mr[PECAN_EXC_R12] = f->r12;
	mr[PECAN_EXC_R13] = f->r13;
	mr[PECAN_EXC_R14] = f->r14;
	mr[PECAN_EXC_R15] = f->r15;
	mr[PECAN_EXC_VECTOR] = f->vector;
	mr[PECAN_EXC_ERROR] = f->error;
	mr[PECAN_EXC_CR2] = t->fault_addr;
	return pecan_msgtag(PECAN_LABEL_EXCEPTION, PECAN_EXC_WORDS, 0, 0);
}

/* The reply to a faulting thread: map items for a page fault, registers for an exception. */
static int fault_reply(struct thread *src, struct thread *dst, uint64_t tag)
{
	const uint64_t *mr = src->utcb->mr;
	unsigned words = pecan_msgtag_words(tag), items = pecan_msgtag_items(tag);
	if (dst->fault == FAULT_PAGE) {
		/* the window is the whole address space, the hotspot the fault address */
		uint64_t windows[PECAN_BR_COUNT] = {0};
		windows[PECAN_BR_MEM_WINDOW] = pecan_fpage_mem(0, 47, PECAN_FPAGE_RWX);
		uint64_t fixed[2 * 8];
		if (items > 8)
			return PECAN_EINVAL;
		for (unsigned i = 0; i < items; i++) {
			fixed[2 * i] = (mr[words + 2 * i] & PECAN_ITEM_TYPE_MASK) | (dst->fault_addr & ~0xfffull);
			fixed[2 * i + 1] = mr[words + 2 * i + 1];
			if (pecan_fpage_kind(fixed[2 * i + 1]) != PECAN_FPAGE_MEM)
				return PECAN_EINVAL;
		}
		return transfer_items(src, dst, fixed, items, windows);
	}
	if (items)
		return PECAN_EINVAL;
	if (words < PECAN_EXC_WORDS)
		return PECAN_OK; /* resume unchanged */
	if (mr[PECAN_EXC_RIP] >= USER_TOP)
		return PECAN_EINVAL; /* returning there would fault in the kernel */
	struct trap_frame *f = thread_frame(dst);
	const uint64_t user_flags = 0x8d5 | RFLAGS_DF; /* CF PF AF ZF SF OF, DF */
	f->rip = mr[PECAN_EXC_RIP];
	f->rsp = mr[PECAN_EXC_RSP];
	f->rflags = (f->rflags & ~user_flags) | (mr[PECAN_EXC_RFLAGS] & user_flags);
	f->rax = mr[PECAN_EXC_RAX];
	f->rbx = mr[PECAN_EXC_RBX];
	f->rcx = mr[PECAN_EXC_RCX];
	f->rdx = mr[PECAN_EXC_RDX];
	f->rsi = mr[PECAN_EXC_RSI];
	f->rdi = mr[PECAN_EXC_RDI];
	f->rbp = mr[PECAN_EXC_RBP];
	f->r8 = mr[PECAN_EXC_R8];
	f->r9 = mr[PECAN_EXC_R9];
	f->r10 = mr[PECAN_EXC_R10];
	f->r11 = mr[PECAN_EXC_R11];
	f->r12 = mr[PECAN_EXC_R12];
	f->r13 = mr[PECAN_EXC_R13];
	f->r14 = mr[PECAN_EXC_R14];
	f->r15 = mr[PECAN_EXC_R15];
	return PECAN_OK;
}

/*
 * Moves a message from src to dst, which are both blocked or current:
 * words and typed items from src's UTCB (or the kernel-made fault message),
 * into dst's UTCB (or, for a faulting dst, into its state). Sets dst's
 * received tag and label. Returns the error both partners see.
 */
static int transfer(struct thread *src, struct thread *dst, uint64_t tag, uint64_t label)
{
	if (src->fault != FAULT_NONE) {
		dst->ipc_tag = fault_message(src, dst->utcb->mr);
		dst->ipc_label = label;
		return PECAN_OK;
	}
	dst->ipc_tag = tag;
	dst->ipc_label = label;
	if (dst->fault != FAULT_NONE)
		return fault_reply(src, dst, tag);
	unsigned words = pecan_msgtag_words(tag), items = pecan_msgtag_items(tag);
	memcpy(dst->utcb->mr, src->utcb->mr, (words + 2 * items) * sizeof(uint64_t));
	if (items)
		return transfer_items(src, dst, src->utcb->mr + words, items, dst->utcb->br);
	return PECAN_OK;
}

/* Blocks cur (state already set) until someone wakes it; returns its result. */
static int block(struct thread *cur, uint64_t timeout)
{
	sched_unready(cur);
	sched_set_timeout(cur, timeout);
	schedule();
	return cur->ipc_err;
}

/* Wakes a partner that waited; it runs before others of its priority. */
static void wake(struct thread *t, int err)
{
	sched_cancel_timeout(t);
	t->ipc_err = err;
	t->partner = NULL;
	t->recv_from = NULL;
	sched_ready(t, true);
}

int ipc_send(struct thread *cur, struct gate *g, uint64_t tag, uint64_t snd_timeout, uint64_t rcv_timeout,
	     bool call)
{
	struct thread *r = g->thread;
	if (!r || r->state == TS_DEAD)
		return PECAN_ECANCELED;
	if (waits_for(r, g)) {
		int err = transfer(cur, r, tag, g->label);
		if (err == PECAN_OK && call)
			r->reply_to = cur;
		wake(r, err);
		if (err || !call)
			return err;
		/* the call's receive phase: only the callee's reply */
		cur->state = TS_RECEIVING;
		cur->partner = r;
		cur->recv_open = false;
		cur->recv_from = NULL;
		return block(cur, rcv_timeout);
	}
	if (snd_timeout == PECAN_TIMEOUT_ZERO)
		return PECAN_ETIMEOUT;
	cur->state = TS_SENDING;
	cur->partner = r;
	cur->send_gate = g;
	cur->send_tag = tag;
	cur->send_is_call = call;
	cur->rcv_timeout = rcv_timeout;
	cur->sq_next = NULL;
	cur->sq_prev = r->sendq_tail;
	if (r->sendq_tail)
		r->sendq_tail->sq_next = cur;
	else
		r->sendq_head = cur;
	r->sendq_tail = cur;
	return block(cur, snd_timeout);
}

int ipc_reply(struct thread *cur, uint64_t tag)
{
	struct thread *c = cur->reply_to;
	if (!c)
		return PECAN_ECAP;
	cur->reply_to = NULL;
	if (c == REPLY_GONE || c->state != TS_RECEIVING || c->partner != cur)
		return PECAN_ECANCELED;
	int err = transfer(cur, c, tag, 0);
	wake(c, c->fault != FAULT_NONE ? PECAN_OK : err);
	return err;
}

int ipc_receive(struct thread *cur, bool open, struct kobject *from, uint64_t timeout)
{
	struct irq *irq = irq_take_pending(cur, open ? NULL : from);
	if (irq) {
		cur->ipc_tag = 0;
		cur->ipc_label = irq->label;
		return PECAN_OK;
	}
	for (struct thread *s = cur->sendq_head; s; s = s->sq_next) {
		if (!open && from != &s->send_gate->obj)
			continue;
		/* take s off the queue; its send phase completes now */
		if (s->sq_prev)
			s->sq_prev->sq_next = s->sq_next;
		else
			cur->sendq_head = s->sq_next;
		if (s->sq_next)
			s->sq_next->sq_prev = s->sq_prev;
		else
			cur->sendq_tail = s->sq_prev;
		s->sq_next = s->sq_prev = NULL;
		sched_cancel_timeout(s);
		int err = transfer(s, cur, s->send_tag, s->send_gate->label);
		if (err == PECAN_OK && s->send_is_call) {
			cur->reply_to = s;
			s->state = TS_RECEIVING; /* now waiting for the reply, still blocked */
			s->partner = cur;
			s->recv_open = false;
			s->recv_from = NULL;
			sched_set_timeout(s, s->rcv_timeout);
		} else {
			wake(s, err);
		}
		return err;
	}
	if (timeout == PECAN_TIMEOUT_ZERO)
		return PECAN_ETIMEOUT;
	cur->state = TS_RECEIVING;
	cur->partner = NULL;
	cur->recv_open = open;
	cur->recv_from = open ? NULL : from;
	return block(cur, timeout);
}

int ipc_fault_call(struct thread *t, struct gate *g)
{
	return ipc_send(t, g, 0, PECAN_TIMEOUT_NEVER, PECAN_TIMEOUT_NEVER, true);
}
