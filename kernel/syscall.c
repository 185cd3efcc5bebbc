/* The one system-call entry: decode registers, then IPC through a gate or an operation on a kernel object. */
#include "pecan/errors.h"
#include "pecan/fpage.h"
#include "pecan/msgtag.h"
#include "pecan/syscall.h"
#include "cap.h"
#include "factory.h"
#include "gate.h"
#include "ipc.h"
#include "ipc_fast.h"
#include "irq.h"
#include "kdebug.h"
#include "panic.h"
#include "sched.h"
#include "task.h"
#include "thread.h"
#include "vcpu.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/trap.h"

/* Named accessors for the syscall registers (include/pecan/syscall.h). */
static inline uint64_t sys_cap(const struct trap_frame *f) { return f->rdi; }
static inline uint64_t sys_tag(const struct trap_frame *f) { return f->rsi; }
static inline uint64_t sys_flags(const struct trap_frame *f) { return f->rdx; }
static inline uint64_t sys_rcv_timeout(const struct trap_frame *f) { return f->r8; }
static inline uint64_t sys_snd_timeout(const struct trap_frame *f) { return f->r9; }
static inline uint64_t sys_partner(const struct trap_frame *f) { return f->r10; }

/* do_syscall's result when THREAD_VCPU_RESUME replaced the frame */
#define VCPU_RESUMED (-1)

static int invoke_object(struct cap *c, struct thread *cur, uint64_t tag, unsigned *nres)
{
	unsigned op = pecan_msgtag_label(tag), words = pecan_msgtag_words(tag);
	if (pecan_msgtag_items(tag))
		return PECAN_EINVAL;
	switch (c->obj->type) {
	case PECAN_OBJ_TASK:
		return task_invoke((struct task *)c->obj, c->rights, cur, op, words, nres);
	case PECAN_OBJ_THREAD:
		return thread_invoke((struct thread *)c->obj, c->rights, cur, op, words, nres);
	case PECAN_OBJ_FACTORY:
		return factory_invoke((struct factory *)c->obj, c->rights, cur, op, words, nres);
	case PECAN_OBJ_IRQ:
		return irq_invoke((struct irq *)c->obj, c->rights, cur, op, words, nres);
	case PECAN_OBJ_KDEBUG:
		return kdebug_invoke(c->rights, cur, op, words, nres);
	case PECAN_OBJ_ICU:
		return icu_invoke(c->rights, cur, op, words, nres);
	}
	return PECAN_ENOSYS;
}

static int do_syscall(struct thread *cur, struct trap_frame *f)
{
	uint64_t flags = sys_flags(f), tag = sys_tag(f);
	const uint64_t known = PECAN_IPC_SEND | PECAN_IPC_RECV | PECAN_IPC_OPEN | PECAN_IPC_REPLY;
	bool send = flags & PECAN_IPC_SEND, recv = flags & PECAN_IPC_RECV;
	bool open = flags & PECAN_IPC_OPEN;
	cur->ipc_tag = 0;
	cur->ipc_label = 0;
	if ((flags & ~known) || !(send || recv))
		return PECAN_EINVAL;
	if (send && pecan_msgtag_words(tag) + 2 * pecan_msgtag_items(tag) > PECAN_MR_COUNT)
		return PECAN_EINVAL;

	if (send && (flags & PECAN_IPC_REPLY)) {
		int err = ipc_reply(cur, tag);
		if (err || !recv)
			return err;
	} else if (send) {
		struct cap *c = cap_lookup(cur->task, sys_cap(f));
		if (!c)
			return PECAN_ECAP;
		if (c->obj->type == PECAN_OBJ_THREAD && (struct thread *)c->obj == cur &&
		    pecan_msgtag_label(tag) == PECAN_THREAD_VCPU_RESUME) {
			/* leaves the syscall's frame holding the guest process's registers */
			if (!(c->rights & PECAN_CAP_W))
				return PECAN_EPERM;
			int err = vcpu_resume(cur);
			return err ? err : VCPU_RESUMED;
		}
		if (c->obj->type != PECAN_OBJ_GATE) {
			unsigned nres = 0;
			int err = invoke_object(c, cur, tag, &nres);
			cur->ipc_tag = err ? 0 : pecan_msgtag(0, nres, 0, 0);
			return err;
		}
		if (!(c->rights & PECAN_CAP_R))
			return PECAN_EPERM;
		bool call = recv && !open;
		int err = ipc_send(cur, (struct gate *)c->obj, tag, sys_snd_timeout(f), sys_rcv_timeout(f), call);
		if (err || !recv || call)
			return err;
	}

	/* a receive phase that is not a call's */
	struct kobject *from = NULL;
	if (!open) {
		struct cap *p = cap_lookup(cur->task, sys_partner(f));
		if (!p || (p->obj->type != PECAN_OBJ_GATE && p->obj->type != PECAN_OBJ_IRQ))
			return PECAN_ECAP;
		from = p->obj;
		if (from->type == PECAN_OBJ_GATE && ((struct gate *)from)->thread != cur)
			return PECAN_EINVAL;
		if (from->type == PECAN_OBJ_IRQ && ((struct irq *)from)->bound != cur)
			return PECAN_EINVAL;
	}
	return ipc_receive(cur, open, from, sys_rcv_timeout(f));
}

/* Returns nonzero when the return to user mode must use iret (the frame was replaced). */
int syscall_dispatch(struct trap_frame *f)
{
	struct thread *cur = current;
	if (cur->vcpu_task) {
		/* a guest process: the syscall instruction is an event for its kernel */
		vcpu_event(cur, PECAN_VCPU_EV_SYSCALL, 0, 0, 0, 0);
		sched_before_user();
		return 1;
	}
	if (ipc_fast(cur, f)) {
		sched_before_user();
		return 0;
	}
	int err = do_syscall(cur, f);
	if (err != VCPU_RESUMED) {
		f->rax = (uint64_t)err;
		f->rsi = cur->ipc_tag;
		f->rdi = cur->ipc_label;
	}
	sched_before_user();
	/* sysret to a non-canonical rip would fault in ring 0: never let one through */
	assert(thread_frame(current)->rip < USER_TOP);
	return cur->vcpu != NULL;
}
