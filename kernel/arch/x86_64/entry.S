/* Kernel entry and exit: exception and interrupt stubs, the syscall entry, entering user mode. */
#include "layout.h"

/*
 * Every entry builds a struct trap_frame (trap.h) on the kernel stack:
 * the general registers, the vector, the error code, then the hardware
 * iret frame (rip, cs, rflags, rsp, ss).
 */
.macro PUSH_GPRS
	push %rax
	push %rbx
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	push %rbp
	push %r8
	push %r9
	push %r10
	push %r11
	push %r12
	push %r13
	push %r14
	push %r15
.endm

.macro POP_GPRS
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rbp
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	pop %rbx
	pop %rax
.endm

/* Vectors that push an error code themselves: #DF, #TS, #NP, #SS, #GP, #PF, #AC, #CP. */
.macro VECTOR n, common=trap_common, prefix=vector_
	.align 16
\prefix\n:
	.if (\n == 8) || (\n >= 10 && \n <= 14) || (\n == 17) || (\n == 21)
	.else
	push $0
	.endif
	push $\n
	jmp \common
.endm

	.text
	.globl trap_vectors
	.align 16
trap_vectors:
	.altmacro
.set i, 0
.rept 256
	VECTOR %i
	.set i, i + 1
.endr
	.noaltmacro

/* The same stubs for the counting entry points (counters.h), 16 bytes each as well. */
	.globl trap_vectors_counting
	.align 16
trap_vectors_counting:
	.altmacro
.set i, 0
.rept 256
	VECTOR %i, trap_common_counting, vector_counting_
	.set i, i + 1
.endr
	.noaltmacro

trap_common:
	cld
	PUSH_GPRS
	mov %rsp, %rdi
	/* Frame pointer chain for the backtrace: link to the interrupted rbp/rip. */
	push 17 * 8(%rsp)  /* rip */
	push %rbp
	mov %rsp, %rbp
	call trap_dispatch
	add $16, %rsp
	.globl trap_return
trap_return:
	POP_GPRS
	add $16, %rsp      /* vector, error code */
	iretq

/* The syscall frame (the trap frame's layout, vector -1) on the kernel
 * stack, and back to the user stack with rip in rcx and rflags in r11 for
 * sysret: shared by syscall_entry and its counting copy. */
.macro SYSCALL_FRAME
	mov %rsp, syscall_user_rsp(%rip)
	mov syscall_kernel_rsp(%rip), %rsp
	push $SEL_UDATA
	push syscall_user_rsp(%rip)
	push %r11
	push $SEL_UCODE
	push %rcx
	push $0            /* error code */
	push $-1           /* vector: -1 marks a syscall frame */
	PUSH_GPRS
.endm

.macro SYSCALL_UNFRAME
	POP_GPRS
	add $16, %rsp
	/* sysret reloads rip from rcx and rflags from r11 */
	pop %rcx
	add $8, %rsp
	pop %r11
	pop %rsp
.endm

/*
 * syscall: rcx = user rip, r11 = user rflags, interrupts are off (SFMASK).
 * The kernel does not use GS, so the user stack pointer goes to a
 * variable: there is one CPU and interrupts stay off until the switch.
 */
	.globl syscall_entry
syscall_entry:
	SYSCALL_FRAME
	mov %rsp, %rdi
	xor %ebp, %ebp
	call syscall_dispatch
	test %eax, %eax
	jnz trap_return    /* the frame was replaced (vCPU): every register counts, return with iret */
	SYSCALL_UNFRAME
	sysretq

/*
 * void arch_enter_user(struct trap_frame *frame, struct kernel_context *ctx)
 * Saves the kernel's callee-saved registers in ctx and starts user mode
 * from frame (which lies at the top of the thread's kernel stack).
 * Returns when arch_leave_user(ctx) is called.
 */
	.globl arch_enter_user
arch_enter_user:
	mov %rbx, 0(%rsi)
	mov %rbp, 8(%rsi)
	mov %r12, 16(%rsi)
	mov %r13, 24(%rsi)
	mov %r14, 32(%rsi)
	mov %r15, 40(%rsi)
	mov %rsp, 48(%rsi)
	mov %rdi, %rsp
	jmp trap_return

/* void arch_leave_user(struct kernel_context *ctx): return from arch_enter_user. */
	.globl arch_leave_user
arch_leave_user:
	mov 0(%rdi), %rbx
	mov 8(%rdi), %rbp
	mov 16(%rdi), %r12
	mov 24(%rdi), %r13
	mov 32(%rdi), %r14
	mov 40(%rdi), %r15
	mov 48(%rdi), %rsp
	ret

/*
 * The counting entry points (kernel/counters.h), installed instead of the
 * ones above by PECAN_COUNTERS_ON. The same work, with timestamps at the
 * entry's first instruction, around the calls of counters_enter and
 * counters_exit (their time is the counting's own, not the kernel's) and
 * before sysret/iret. Interrupts are off wherever a stamp goes through the
 * scratch words (one CPU).
 */

/* TSC to \dst where every register must be kept */
.macro STAMP_KEEP dst
	mov %rax, stamp_rax(%rip)
	mov %rdx, stamp_rdx(%rip)
	rdtsc
	shl $32, %rdx
	or %rdx, %rax
	mov %rax, \dst(%rip)
	mov stamp_rax(%rip), %rax
	mov stamp_rdx(%rip), %rdx
.endm

/* TSC to \dst where rax and rdx are free (saved in the frame) */
.macro STAMP dst
	rdtsc
	shl $32, %rdx
	or %rdx, %rax
	mov %rax, \dst(%rip)
.endm

	.globl syscall_entry_counting
syscall_entry_counting:
	STAMP_KEEP counters_t_enter
	SYSCALL_FRAME
	STAMP counters_t_enter_count
	call counters_enter
	STAMP counters_t_work
	mov %rsp, %rdi
	xor %ebp, %ebp
	call syscall_dispatch
	mov %eax, %ebx     /* rbx is in the frame: free until POP_GPRS */
	STAMP counters_t_leave
	call counters_exit
	STAMP counters_t_leave_counted
	test %ebx, %ebx
	jnz trap_return_counting
	SYSCALL_UNFRAME
	STAMP_KEEP counters_t_exit
	sysretq

trap_common_counting:
	testb $3, 24(%rsp) /* cs: entered from the kernel (the idle loop)? then not a pass of its own */
	jz trap_common
	STAMP_KEEP counters_t_enter
	cld
	PUSH_GPRS
	STAMP counters_t_enter_count
	call counters_enter
	STAMP counters_t_work
	mov %rsp, %rdi
	push 17 * 8(%rsp)  /* rip: the frame pointer chain, as in trap_common */
	push %rbp
	mov %rsp, %rbp
	call trap_dispatch
	add $16, %rsp
	STAMP counters_t_leave
	call counters_exit
	STAMP counters_t_leave_counted
trap_return_counting:
	POP_GPRS
	add $16, %rsp      /* vector, error code */
	STAMP_KEEP counters_t_exit
	iretq

	.bss
	.align 8
stamp_rax:
	.quad 0
stamp_rdx:
	.quad 0
	.globl syscall_kernel_rsp
syscall_kernel_rsp:
	.quad 0
syscall_user_rsp:
	.quad 0

	.section .note.GNU-stack, "", @progbits
