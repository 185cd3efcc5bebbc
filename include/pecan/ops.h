/* Kernel objects and their operations: the labels, arguments and results of every invocation. */
#ifndef PECAN_OPS_H
#define PECAN_OPS_H

/*
 * An operation on a kernel object is a call whose tag label is the
 * operation number and whose untyped words are the arguments (MR[0], ...).
 * The reply's words are the results. Missing argument words are an
 * error (PECAN_EINVAL), extra words are ignored. "needs W" means the
 * invoked capability must carry that right, else PECAN_EPERM.
 * docs/abi.md is the reference for each operation.
 */

enum pecan_object_type {
	PECAN_OBJ_NONE = 0,
	PECAN_OBJ_TASK = 1,
	PECAN_OBJ_THREAD = 2,
	PECAN_OBJ_GATE = 3,
	PECAN_OBJ_IRQ = 4,
	PECAN_OBJ_FACTORY = 5,
	PECAN_OBJ_KDEBUG = 6,
	PECAN_OBJ_ICU = 7,
};

/* Factory: creates objects, charging their kernel memory to its quota.
 * Every create takes MR[0] = a free selector in the caller's capability
 * space, where the new object's capability (rights R|W|D) is put. */
enum pecan_factory_op {
	PECAN_FACTORY_CREATE_TASK = 1,    /* needs W */
	PECAN_FACTORY_CREATE_THREAD = 2,  /* needs W */
	PECAN_FACTORY_CREATE_GATE = 3,    /* needs W; MR[1] thread selector, MR[2] label */
	PECAN_FACTORY_CREATE_IRQ = 4,     /* needs W */
	PECAN_FACTORY_CREATE_FACTORY = 5, /* needs W; MR[1] quota in bytes, taken from this one */
	PECAN_FACTORY_INFO = 6,           /* needs R; -> MR[0] quota limit, MR[1] bytes in use */
};

/* Task: an address space and a capability space. */
enum pecan_task_op {
	/* needs W; MR[0] source task selector (caller's space; needs R),
	 * MR[1] source flexpage (memory or capabilities in the source task),
	 * MR[2] destination base in this task (address or selector),
	 * MR[3] PECAN_ITEM_MAP or PECAN_ITEM_GRANT */
	PECAN_TASK_MAP = 1,
	/* needs W; MR[0] flexpage in this task, MR[1] flags (PECAN_UNMAP_*):
	 * revokes everything mapped on from it, in every task, recursively */
	PECAN_TASK_UNMAP = 2,
	/* needs W; MR[0] exit code: stops every thread of the task */
	PECAN_TASK_EXIT = 3,
	/* needs R; MR[0] selector in this task -> MR[0] object type, MR[1] rights */
	PECAN_TASK_CAP_INFO = 4,
};

enum pecan_unmap_flags {
	PECAN_UNMAP_SELF = 1 << 0, /* remove the task's own mapping too, not only what derives from it */
};

/* Thread. */
enum pecan_thread_op {
	/* needs W; MR[0] task selector to bind to (0: keep), MR[1] UTCB address in
	 * that task (page aligned, free), MR[2] pager selector, MR[3] exception
	 * handler selector (both looked up in the thread's task when a fault
	 * happens; 0 = none) */
	PECAN_THREAD_CONTROL = 1,
	/* needs W; MR[0] rip, MR[1] rsp, MR[2] flags (PECAN_EXREGS_*) */
	PECAN_THREAD_EX_REGS = 2,
	/* needs W; MR[0] priority (0..PECAN_PRIO_MAX), MR[1] time slice in microseconds (0 = default) */
	PECAN_THREAD_SCHED = 3,
	/* needs R; -> MR[0] state (PECAN_THREAD_STATE_*), MR[1] priority */
	PECAN_THREAD_INFO = 4,
	/* needs R on any thread capability: the calling thread gives up the rest of its time slice */
	PECAN_THREAD_YIELD = 5,
	/* needs W; MR[0] address of the vCPU state area in the thread's task
	 * (page aligned, free): puts the bound thread in vCPU mode (vcpu.h) */
	PECAN_THREAD_VCPU_CONTROL = 6,
	/* needs W, on the caller's own thread in vCPU kernel mode: go to user
	 * mode as the state area says (vcpu.h). Returns only with an error. */
	PECAN_THREAD_VCPU_RESUME = 7,
};

enum pecan_exregs_flags {
	PECAN_EXREGS_SET_IP = 1 << 0,
	PECAN_EXREGS_SET_SP = 1 << 1,
	PECAN_EXREGS_START = 1 << 2,  /* make the thread runnable */
	PECAN_EXREGS_CANCEL = 1 << 3, /* abort a blocked IPC with PECAN_ECANCELED */
	PECAN_EXREGS_STOP = 1 << 4,   /* stop the thread (it stays until started again) */
};

enum pecan_thread_state {
	PECAN_THREAD_STATE_INACTIVE = 0, /* not started, or stopped */
	PECAN_THREAD_STATE_READY = 1,
	PECAN_THREAD_STATE_SENDING = 2,
	PECAN_THREAD_STATE_RECEIVING = 3,
	PECAN_THREAD_STATE_DEAD = 4, /* its task exited or was deleted */
};

#define PECAN_PRIO_MAX 255
#define PECAN_PRIO_DEFAULT 100

/* IRQ: a hardware line (attached through the ICU) or a software-triggered interrupt. */
enum pecan_irq_op {
	/* needs W; MR[0] thread selector, MR[1] label delivered with each interrupt */
	PECAN_IRQ_BIND = 1,
	PECAN_IRQ_UNBIND = 2, /* needs W */
	PECAN_IRQ_TRIGGER = 3, /* needs R: raise it from software */
	PECAN_IRQ_UNMASK = 4,  /* needs R: a hardware line is masked after each delivery until this */
};

/* ICU: the interrupt controller. */
enum pecan_icu_op {
	/* needs W; MR[0] hardware line (ISA IRQ number), MR[1] IRQ selector */
	PECAN_ICU_ATTACH = 1,
	PECAN_ICU_DETACH = 2, /* needs W; MR[0] line */
};

/* Kernel debug console. */
enum pecan_kdebug_op {
	/* needs R; MR[0] length, MR[1..] the bytes (at most 8 * (PECAN_MR_COUNT - 1)) */
	PECAN_KDEBUG_WRITE = 1,
	/* needs R; -> MR[0] one byte of serial input; blocks until there is one */
	PECAN_KDEBUG_GETCHAR = 2,
	/* needs R; -> MR[0] free kernel memory in bytes, MR[1] free frames, MR[2] live kernel objects */
	PECAN_KDEBUG_STATS = 3,
	/* needs R; -> MR[0] timer ticks since boot, MR[1] ticks per second */
	PECAN_KDEBUG_CLOCK = 4,
	/* needs R; never blocks: -> MR[0] number of bytes of serial input waiting
	 * (at most 504 taken), MR[1..] the bytes */
	PECAN_KDEBUG_READ = 5,
	/* needs R, and W to switch: MR[0] PECAN_COUNTERS_READ, _ON or _OFF;
	 * -> MR[0] 1 when counting is on, MR[1..PECAN_CNT_COUNT] the counters
	 * (enum pecan_counter; docs/abi.md, "Measurement counters") */
	PECAN_KDEBUG_COUNTERS = 6,
};

/* PECAN_KDEBUG_COUNTERS: what MR[0] asks for. */
enum pecan_counters_op {
	PECAN_COUNTERS_READ = 0,
	PECAN_COUNTERS_ON = 1,  /* kernel entries through the counting entry points from now on */
	PECAN_COUNTERS_OFF = 2, /* back to the plain entry points; the counters keep their values */
};

/* Who the CPU ran for in user mode, as the kernel's measurement counters class it. */
enum pecan_counter_class {
	PECAN_CNT_PROCESS = 0, /* a vCPU thread in user mode: a guest process */
	PECAN_CNT_GUEST = 1,   /* a vCPU thread in kernel mode: the guest kernel (lx) */
	PECAN_CNT_OTHER = 2,   /* any other thread */
	PECAN_CNT_CLASSES = 3,
};

/* The measurement counters: counts, and TSC ticks (under QEMU with
 * -icount shift=0 one tick is one instruction). Index + class where a
 * counter has one per class. */
enum pecan_counter {
	PECAN_CNT_ENTRIES = 0,      /* + class: kernel entries from user mode, by who was running */
	PECAN_CNT_KERNEL = 3,       /* + class: ticks in the kernel on those entries (entry to exit) */
	PECAN_CNT_USER = 6,         /* + class: ticks in user mode */
	PECAN_CNT_SWITCHES = 9,     /* exits to user mode in another address space than the last exit's */
	PECAN_CNT_OVERHEAD = 10,    /* ticks of the counting itself (not in the others) */
	PECAN_CNT_UNATTRIBUTED = 11, /* ticks around entries and exits that did not count (before ON) */
	PECAN_CNT_COUNT = 12,
};

/* Labels of messages the kernel sends on a thread's behalf (to its pager /
 * exception handler). They are above every operation number. */
#define PECAN_LABEL_PAGE_FAULT 0xfffffff0u
#define PECAN_LABEL_EXCEPTION 0xfffffff1u

/* Page fault message: MR[0] fault address with PECAN_PF_* in the low bits,
 * MR[1] rip. Reply: a map item (typed) whose flexpage lands at the fault
 * address (the receive window is the whole address space, hotspot the fault
 * address), or no item (the thread retries). */
enum { PECAN_PF_WRITE = 1 << 0, PECAN_PF_EXEC = 1 << 1, PECAN_PF_PRESENT = 1 << 2 };
#define PECAN_PF_WORDS 2

/* Exception message: the register state, one word each, in this order.
 * The handler's reply with PECAN_EXC_WORDS words writes it back (rip, rsp,
 * rflags' arithmetic and direction flags, and the general registers) and
 * resumes the thread; a reply with fewer words resumes it unchanged. Not
 * replying leaves it stopped. */
enum pecan_exc_reg {
	PECAN_EXC_RIP, PECAN_EXC_RSP, PECAN_EXC_RFLAGS,
	PECAN_EXC_RAX, PECAN_EXC_RBX, PECAN_EXC_RCX, PECAN_EXC_RDX,
	PECAN_EXC_RSI, PECAN_EXC_RDI, PECAN_EXC_RBP,
	PECAN_EXC_R8, PECAN_EXC_R9, PECAN_EXC_R10, PECAN_EXC_R11,
	PECAN_EXC_R12, PECAN_EXC_R13, PECAN_EXC_R14, PECAN_EXC_R15,
	PECAN_EXC_VECTOR, PECAN_EXC_ERROR, PECAN_EXC_CR2,
	PECAN_EXC_WORDS
};

#endif
