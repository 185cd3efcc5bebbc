/* The system-call convention: one entry that invokes a capability. */
#ifndef PECAN_SYSCALL_H
#define PECAN_SYSCALL_H

/*
 * A user thread enters the kernel with the `syscall` instruction:
 *
 *   rdi  capability selector (an index into the caller's capability space)
 *   rsi  operation on the named object (per object kind, see below)
 *   rdx, r10, r8, r9   operation arguments 0..3
 *   rax  on return: enum pecan_error
 *   rdx  on return: an operation-specific result word (0 when there is none)
 *
 * rcx and r11 are clobbered by the instruction itself; every other
 * register is preserved. Until the IPC issue lands, the capability space of
 * a boot program is fixed: the selectors below are always present.
 */
enum pecan_cap_selector {
	PECAN_CAP_NONE = 0,   /* never names an object: invoking it gives PECAN_ECAP */
	PECAN_CAP_TASK = 1,   /* the caller's own task */
	PECAN_CAP_KDEBUG = 2, /* the kernel debug console */
};

/* Operations on a task. */
enum pecan_task_op {
	PECAN_TASK_EXIT = 1, /* arg0: exit code. Ends the task; does not return. */
};

/* Operations on the kernel debug console (the kernel's own serial line). */
enum pecan_kdebug_op {
	PECAN_KDEBUG_WRITE = 1,   /* arg0: user pointer, arg1: length (at most 4096) */
	PECAN_KDEBUG_GETCHAR = 2, /* blocks until a byte arrives on the serial line; rdx = byte */
};

#define PECAN_KDEBUG_WRITE_MAX 4096

#endif
