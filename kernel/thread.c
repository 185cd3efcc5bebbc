/* Threads: creation, binding, the CONTROL/EX_REGS/SCHED/INFO/YIELD operations, killing and reaping. */
#include "thread.h"
#include "boot_program.h"
#include "factory.h"
#include "gate.h"
#include "irq.h"
#include "mapping.h"
#include "panic.h"
#include "pmem.h"
#include "sched.h"
#include "string.h"
#include "task.h"
#include "vcpu.h"
#include "pecan/errors.h"
#include "pecan/fpage.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/switch.h"

static struct thread *all_threads; /* every thread object, for aborting callers */
static struct thread *zombies;     /* destroyed while running: freed once switched away */

struct thread *thread_create(struct factory *f, unsigned prio)
{
	struct thread *t = factory_new_object(f, sizeof(*t), PECAN_OBJ_THREAD);
	if (!t)
		return NULL;
	t->kstack = factory_alloc(f, KSTACK_BYTES);
	t->fpu = factory_alloc(f, 512);
	t->utcb = factory_alloc(f, PAGE_SIZE);
	if (!t->kstack || !t->fpu || !t->utcb) {
		if (t->kstack)
			factory_free(f, t->kstack, KSTACK_BYTES);
		if (t->fpu)
			factory_free(f, t->fpu, 512);
		if (t->utcb)
			factory_free(f, t->utcb, PAGE_SIZE);
		factory_delete_object(&t->obj);
		return NULL;
	}
	t->utcb_phys = virt_to_phys(t->utcb);
	fpu_init_area(t->fpu);
	t->state = TS_INACTIVE;
	t->prio = prio;
	t->slice_ticks = SCHED_DEFAULT_SLICE_TICKS;
	t->all_next = all_threads;
	if (all_threads)
		all_threads->all_prev = t;
	all_threads = t;
	return t;
}

int thread_bind(struct thread *t, struct task *task, uint64_t utcb_addr)
{
	if (t->task || t->state == TS_DEAD)
		return PECAN_EBUSY;
	if (utcb_addr == 0 || (utcb_addr & (PAGE_SIZE - 1)) || utcb_addr >= USER_TOP)
		return PECAN_EFAULT;
	if (task->exited)
		return PECAN_EINVAL;
	int err = mapping_map_pinned(task, utcb_addr, t->utcb_phys, MAP_READ | MAP_WRITE);
	if (err)
		return err;
	t->task = task;
	t->utcb_user = utcb_addr;
	t->utcb->self = utcb_addr;
	t->task_next = task->threads;
	task->threads = t;
	return PECAN_OK;
}

static void unbind(struct thread *t)
{
	struct task *task = t->task;
	if (!task)
		return;
	for (struct thread **pp = &task->threads; *pp; pp = &(*pp)->task_next) {
		if (*pp == t) {
			*pp = t->task_next;
			break;
		}
	}
	mapping_unmap_pinned(task, t->utcb_user);
	t->task = NULL;
}

void thread_set_user_entry(struct thread *t, uint64_t rip, uint64_t rsp, uint64_t arg)
{
	struct trap_frame *f = thread_frame(t);
	memset(f, 0, sizeof(*f));
	f->rip = rip;
	f->cs = SEL_UCODE;
	f->rflags = 0x202; /* IF */
	f->rsp = rsp;
	f->ss = SEL_UDATA;
	f->rdi = arg;
	arch_thread_init_stack(t);
}

/* Takes a blocked thread off its sender queue. */
static void sendq_remove(struct thread *t)
{
	struct thread *r = t->partner;
	if (t->sq_prev)
		t->sq_prev->sq_next = t->sq_next;
	else
		r->sendq_head = t->sq_next;
	if (t->sq_next)
		t->sq_next->sq_prev = t->sq_prev;
	else
		r->sendq_tail = t->sq_prev;
	t->sq_next = t->sq_prev = NULL;
}

void thread_abort_ipc(struct thread *t, int err)
{
	if (t->state != TS_SENDING && t->state != TS_RECEIVING)
		return;
	if (t->state == TS_SENDING)
		sendq_remove(t);
	sched_cancel_timeout(t);
	t->partner = NULL;
	t->recv_from = NULL;
	t->ipc_err = err;
	t->ipc_tag = 0;
	t->ipc_label = 0;
	sched_ready(t, false);
}

void thread_kill(struct thread *t)
{
	if (t->state == TS_DEAD)
		return;
	if (t->state == TS_READY)
		sched_unready(t);
	else if (t->state == TS_SENDING)
		sendq_remove(t);
	sched_cancel_timeout(t);
	t->state = TS_DEAD;
	t->partner = NULL;
	/* Whoever waits on t learns that it is gone. */
	while (t->sendq_head)
		thread_abort_ipc(t->sendq_head, PECAN_ECANCELED);
	for (struct thread *o = all_threads; o; o = o->all_next) {
		if (o->state == TS_RECEIVING && o->partner == t)
			thread_abort_ipc(o, PECAN_ECANCELED); /* a caller waiting for t's reply */
		if (o->reply_to == t)
			o->reply_to = REPLY_GONE;
	}
	if (t->reply_to && t->reply_to != REPLY_GONE && t->reply_to->state == TS_RECEIVING &&
	    t->reply_to->partner == t)
		thread_abort_ipc(t->reply_to, PECAN_ECANCELED);
	t->reply_to = NULL;
	gate_thread_gone(t);
	irq_thread_gone(t);
	vcpu_release(t);
	unbind(t);
	if (t->boot_main)
		boot_program_main_died(t);
}

void thread_destroy(struct thread *t)
{
	thread_kill(t);
	if (t->all_prev)
		t->all_prev->all_next = t->all_next;
	else
		all_threads = t->all_next;
	if (t->all_next)
		t->all_next->all_prev = t->all_prev;
	fpu_forget(t);
	if (t == current) {
		/* still running on its kernel stack: free it after the switch */
		t->zombie_next = zombies;
		zombies = t;
		return;
	}
	struct factory *f = t->obj.factory;
	factory_free(f, t->kstack, KSTACK_BYTES);
	factory_free(f, t->fpu, 512);
	factory_free(f, t->utcb, PAGE_SIZE);
	factory_delete_object(&t->obj);
}

void thread_reap(void)
{
	while (zombies && zombies != current) {
		struct thread *t = zombies;
		zombies = t->zombie_next;
		struct factory *f = t->obj.factory;
		factory_free(f, t->kstack, KSTACK_BYTES);
		factory_free(f, t->fpu, 512);
		factory_free(f, t->utcb, PAGE_SIZE);
		factory_delete_object(&t->obj);
	}
}

static unsigned abi_state(const struct thread *t)
{
	switch (t->state) {
	case TS_INACTIVE:
		return PECAN_THREAD_STATE_INACTIVE;
	case TS_READY:
		return PECAN_THREAD_STATE_READY;
	case TS_SENDING:
		return PECAN_THREAD_STATE_SENDING;
	case TS_RECEIVING:
		return PECAN_THREAD_STATE_RECEIVING;
	case TS_DEAD:
		break;
	}
	return PECAN_THREAD_STATE_DEAD;
}

static int thread_control(struct thread *t, struct thread *caller, const uint64_t *mr)
{
	struct task *task = NULL;
	if (mr[0]) {
		struct cap *tc;
		int err = cap_get(caller->task, mr[0], PECAN_OBJ_TASK, PECAN_CAP_W, &tc);
		if (err)
			return err;
		task = (struct task *)tc->obj;
		if (t->task)
			return PECAN_EBUSY;
		if ((err = thread_bind(t, task, mr[1])))
			return err;
	}
	t->pager_sel = mr[2];
	t->exc_sel = mr[3];
	return PECAN_OK;
}

static int thread_ex_regs(struct thread *t, const uint64_t *mr)
{
	uint64_t ip = mr[0], sp = mr[1], flags = mr[2];
	const uint64_t known = PECAN_EXREGS_SET_IP | PECAN_EXREGS_SET_SP | PECAN_EXREGS_START |
			       PECAN_EXREGS_CANCEL | PECAN_EXREGS_STOP;
	if (flags & ~known)
		return PECAN_EINVAL;
	if ((flags & PECAN_EXREGS_SET_IP) && ip >= USER_TOP)
		return PECAN_EINVAL; /* sysret/iret to a non-canonical rip would fault in the kernel */
	if ((flags & PECAN_EXREGS_START) && (!t->task || t->state == TS_DEAD))
		return PECAN_EINVAL;
	if (t->state == TS_DEAD)
		return PECAN_EINVAL;
	if (!t->task && (flags & (PECAN_EXREGS_SET_IP | PECAN_EXREGS_SET_SP)))
		return PECAN_EINVAL;

	if (t->task && !t->ksp) /* never ran: give it a fresh user context first */
		thread_set_user_entry(t, 0, 0, 0);
	struct trap_frame *f = thread_frame(t);
	if (flags & PECAN_EXREGS_SET_IP)
		f->rip = ip;
	if (flags & PECAN_EXREGS_SET_SP)
		f->rsp = sp;
	if (flags & (PECAN_EXREGS_CANCEL | PECAN_EXREGS_STOP))
		thread_abort_ipc(t, PECAN_ECANCELED);
	if (flags & PECAN_EXREGS_STOP) {
		if (t->state == TS_READY)
			sched_unready(t);
		t->state = TS_INACTIVE;
	}
	if ((flags & PECAN_EXREGS_START) && t->state == TS_INACTIVE)
		sched_ready(t, false);
	return PECAN_OK;
}

static int thread_sched(struct thread *t, struct thread *caller, const uint64_t *mr)
{
	if (mr[0] > PECAN_PRIO_MAX)
		return PECAN_EINVAL;
	if (mr[0] > caller->prio)
		return PECAN_EPERM;
	uint64_t slice = mr[1] ? (mr[1] + 999) / 1000 : SCHED_DEFAULT_SLICE_TICKS;
	if (slice > 1000000)
		return PECAN_EINVAL;
	if (t->state == TS_READY) {
		sched_unready(t);
		t->prio = (unsigned)mr[0];
		sched_ready(t, false);
	} else {
		t->prio = (unsigned)mr[0];
	}
	if (t == current)
		need_resched = true; /* it may no longer be the best */
	t->slice_ticks = slice;
	return PECAN_OK;
}

int thread_invoke(struct thread *t, unsigned rights, struct thread *caller, unsigned op, unsigned words,
		  unsigned *nres)
{
	uint64_t *mr = caller->utcb->mr;
	static const unsigned args[] = {
		[PECAN_THREAD_CONTROL] = 4, [PECAN_THREAD_EX_REGS] = 3, [PECAN_THREAD_SCHED] = 2,
		[PECAN_THREAD_INFO] = 0,    [PECAN_THREAD_YIELD] = 0,   [PECAN_THREAD_VCPU_CONTROL] = 1,
		[PECAN_THREAD_VCPU_RESUME] = 0,
	};
	if (op < PECAN_THREAD_CONTROL || op > PECAN_THREAD_VCPU_RESUME)
		return PECAN_ENOSYS;
	unsigned need = (op == PECAN_THREAD_INFO || op == PECAN_THREAD_YIELD) ? PECAN_CAP_R : PECAN_CAP_W;
	if ((rights & need) != need)
		return PECAN_EPERM;
	if (words < args[op])
		return PECAN_EINVAL;
	switch (op) {
	case PECAN_THREAD_CONTROL:
		return thread_control(t, caller, mr);
	case PECAN_THREAD_EX_REGS:
		return thread_ex_regs(t, mr);
	case PECAN_THREAD_SCHED:
		return thread_sched(t, caller, mr);
	case PECAN_THREAD_INFO:
		mr[0] = abi_state(t);
		mr[1] = t->prio;
		*nres = 2;
		return PECAN_OK;
	case PECAN_THREAD_YIELD:
		sched_yield();
		return PECAN_OK;
	case PECAN_THREAD_VCPU_CONTROL:
		return vcpu_control(t, mr[0]);
	case PECAN_THREAD_VCPU_RESUME:
		/* only the calling thread resumes itself: the syscall entry handles that */
		return PECAN_EINVAL;
	}
	return PECAN_ENOSYS;
}
