/* The vCPU: a thread that runs a guest kernel in its own task and the guest's processes in other tasks. */
#ifndef PECAN_VCPU_H
#define PECAN_VCPU_H

#include <stdint.h>

/*
 * THREAD_VCPU_CONTROL puts a thread in vCPU mode with a state area: one page
 * the kernel allocates and maps into the thread's task at the given address
 * (like the UTCB). The thread then runs in one of two modes:
 *
 *  kernel mode  in its own task, as a normal thread: L4 invocations work.
 *  user mode    in the task named by `user_task` (a selector in the
 *               thread's task), with the registers of `user`: a guest
 *               process. A `syscall` instruction there is not an L4
 *               invocation; it, a CPU exception, a page fault, or an IRQ
 *               bound to the thread, is an *event*.
 *
 * On an event the kernel saves the user registers, FS and GS base and the
 * FPU/SSE state into the area, writes the event fields, clears
 * PECAN_VCPU_IRQS (the virtual interrupt flag), and enters kernel mode at
 * `entry_ip` with rsp = `entry_sp` and rdi = the area's address.
 *
 * THREAD_VCPU_RESUME (on the thread's own capability) goes to user mode with
 * the registers and task in the area. If PECAN_VCPU_IRQS is set in `flags`
 * and an IRQ bound to the thread is pending, the kernel delivers it as an
 * event at once instead (the guest kernel turned interrupts on). IRQs that
 * arrive while the thread runs in kernel mode, or while PECAN_VCPU_IRQS is
 * clear, stay pending; in kernel mode they can also be received as
 * ordinary IPC (an open wait).
 */

enum pecan_vcpu_flags {
	PECAN_VCPU_IRQS = 1 << 0, /* virtual interrupt flag: IRQs may become events */
	/* At RESUME: `fpu` is unchanged since the last event and the guest
	 * kernel has not used the FPU/SSE itself, so the kernel keeps the user
	 * FPU state where it is (no copy, no reload). Cleared at every event. */
	PECAN_VCPU_FPU_KEEP = 1 << 1,
};

enum pecan_vcpu_event {
	PECAN_VCPU_EV_NONE = 0,
	PECAN_VCPU_EV_SYSCALL = 1,   /* the syscall instruction; user.rip is after it */
	PECAN_VCPU_EV_EXCEPTION = 2, /* vector, error code */
	PECAN_VCPU_EV_PAGE_FAULT = 3,/* fault_addr, error code (x86 page-fault bits) */
	PECAN_VCPU_EV_IRQ = 4,       /* irq_label: the IRQ's label */
};

struct pecan_vcpu_regs {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rip, rflags;
	uint64_t fs_base, gs_base;
};

struct pecan_vcpu_state {
	/* written by the guest kernel */
	uint64_t flags;          /* PECAN_VCPU_* */
	uint64_t entry_ip;       /* where events enter kernel mode */
	uint64_t entry_sp;
	uint64_t user_task;      /* selector of the task user mode runs in */
	/* written by the kernel at each event */
	uint64_t event;          /* PECAN_VCPU_EV_* */
	uint64_t vector;
	uint64_t error;
	uint64_t fault_addr;
	uint64_t irq_label;
	uint64_t reserved[7];
	/* user mode's registers: saved at an event, loaded at resume */
	struct pecan_vcpu_regs user;
	/* user mode's FPU/SSE state in FXSAVE format: saved at an event,
	 * loaded at resume */
	uint8_t fpu[512] __attribute__((aligned(64)));
};

/* Offsets the guest kernel's assembly may rely on. */
#define PECAN_VCPU_OFF_FLAGS 0
#define PECAN_VCPU_OFF_USER 128

_Static_assert(sizeof(struct pecan_vcpu_state) <= 4096, "the vCPU state area is one page");

#endif
