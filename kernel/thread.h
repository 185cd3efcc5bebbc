/* Thread objects: registers, UTCB, kernel stack, scheduling and IPC state. */
#ifndef KERNEL_THREAD_H
#define KERNEL_THREAD_H

#include <stdbool.h>
#include <stdint.h>
#include "kobject.h"
#include "pecan/utcb.h"
#include "arch/x86_64/trap.h"

struct task;
struct gate;
struct irq;
struct factory;

/* What a thread is doing; the kernel's own view (THREAD_INFO maps it to the ABI's). */
enum thread_state {
	TS_INACTIVE,  /* created or stopped: not scheduled */
	TS_READY,     /* on the ready queue (running or waiting for the CPU) */
	TS_SENDING,   /* blocked in a send phase, on a receiver's queue */
	TS_RECEIVING, /* blocked in a receive phase */
	TS_DEAD,      /* its task is gone or it crashed: never runs again */
};

/* A message the kernel sends on a thread's behalf (page fault, exception). */
enum fault_kind { FAULT_NONE, FAULT_PAGE, FAULT_EXCEPTION };

#define KSTACK_BYTES 4096

struct thread {
	struct kobject obj;

	/* binding (thread control) */
	struct task *task;          /* NULL until bound; cleared when the task dies */
	struct thread *task_next;   /* the task's list of bound threads */
	uint64_t utcb_user;         /* the UTCB's address in the task */
	uint64_t utcb_phys;
	struct pecan_utcb *utcb;    /* the kernel's view of the same page */
	uint64_t pager_sel, exc_sel;/* looked up in the task when a fault happens */

	/* CPU state */
	uint8_t *kstack;            /* KSTACK_BYTES; the user trap frame sits at its top */
	uint64_t ksp;               /* saved kernel stack pointer while switched out */
	uint8_t *fpu;               /* 512-byte FXSAVE area (lazily used) */
	bool fpu_used;              /* fpu holds a saved state (else start from the initial one) */
	bool fpu_in_vcpu_area;      /* vCPU: fpu equals the state area's image (a save can skip the copy) */

	/* scheduling */
	enum thread_state state;
	unsigned prio;
	uint64_t slice_ticks;       /* time slice length */
	uint64_t ticks_left;        /* of the current slice */
	struct thread *rq_next, *rq_prev; /* ready queue of its priority */
	uint64_t wakeup;            /* tick of the timeout, 0 = none */
	struct thread *to_next, *to_prev; /* timeout list, sorted by wakeup */

	/* IPC */
	struct thread *partner;     /* sending: the receiver; receiving after a call: the callee */
	struct gate *send_gate;     /* the gate a blocked send goes through (its label) */
	uint64_t send_tag;
	bool send_is_call;          /* after the send phase, wait for the partner's reply */
	struct kobject *recv_from;  /* closed receive: the gate or IRQ; NULL = open / reply */
	bool recv_open;
	struct thread *sendq_head, *sendq_tail; /* threads blocked sending to this one */
	struct thread *sq_next, *sq_prev;       /* links on the receiver's queue */
	struct thread *reply_to;    /* the caller waiting for this thread's reply */
	struct irq *irq_pending;    /* bound IRQs that fired while it was not waiting */
	struct gate *gates;         /* gates bound to it */
	struct irq *irqs;           /* IRQs bound to it */
	uint64_t rcv_timeout;       /* for the reply phase of a call that blocked in its send phase */
	int ipc_err;                /* result of the blocked operation, set by whoever wakes it */
	uint64_t ipc_tag, ipc_label;/* the received message's tag and label */

	/* faults */
	enum fault_kind fault;      /* the kernel-made call it is blocked in */
	uint64_t fault_addr;        /* page fault: address | PECAN_PF_* */

	/* vCPU mode (vcpu.h; thread-vcpu.c) */
	struct pecan_vcpu_state *vcpu; /* the state area (kernel view), NULL when not a vCPU */
	uint64_t vcpu_phys, vcpu_user; /* its frame and its address in the thread's task */
	struct task *vcpu_task;     /* user mode runs in it (referenced); NULL in kernel mode */
	uint64_t fs_base;           /* FS base of the mode the thread is in */
	uint64_t gs_base_user;      /* GS base of vCPU user mode (kernel mode: the UTCB) */

	bool boot_main;             /* the first thread of the running boot program */
	struct thread *all_next, *all_prev; /* every thread, for aborts that must find callers */
	struct thread *zombie_next;
};

/* A reply target whose caller was destroyed: a reply then gives PECAN_ECANCELED. */
#define REPLY_GONE ((struct thread *)1)

/* A new, unbound, inactive thread at priority prio. */
struct thread *thread_create(struct factory *f, unsigned prio);
void thread_destroy(struct thread *t);
int thread_invoke(struct thread *t, unsigned rights, struct thread *caller, unsigned op, unsigned words,
		  unsigned *nres);

/* Binds to a task and maps the UTCB there (thread control and boot). */
int thread_bind(struct thread *t, struct task *task, uint64_t utcb_addr);
/* Puts t in a fresh user context: rip, rsp, and rdi = arg. */
void thread_set_user_entry(struct thread *t, uint64_t rip, uint64_t rsp, uint64_t arg);
/* The thread's saved user registers (top of its kernel stack). */
static inline struct trap_frame *thread_frame(struct thread *t)
{
	return (struct trap_frame *)(t->kstack + KSTACK_BYTES) - 1;
}
/* Makes a thread dead: aborts its IPC, takes it off every queue. */
void thread_kill(struct thread *t);
/* Aborts a blocked IPC of t with err (timeout, cancel, partner gone). */
void thread_abort_ipc(struct thread *t, int err);
/* Frees the memory of dead threads that are no longer running. */
void thread_reap(void);
/* The task whose address space the thread runs in now. */
static inline struct task *thread_space(const struct thread *t) { return t->vcpu_task ? t->vcpu_task : t->task; }

#endif
