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
.macro VECTOR n
	.align 16
vector_\n:
	.if (\n == 8) || (\n >= 10 && \n <= 14) || (\n == 17) || (\n == 21)
	.else
	push $0
	.endif
	push $\n
	jmp trap_common
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

/*
 * syscall: rcx = user rip, r11 = user rflags, interrupts are off (SFMASK).
 * The kernel does not use GS, so the user stack pointer goes to a
 * variable: there is one CPU and interrupts stay off until the switch.
 */
	.globl syscall_entry
syscall_entry:
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
	mov %rsp, %rdi
	xor %ebp, %ebp
	call syscall_dispatch
	test %eax, %eax
	jnz trap_return    /* the frame was replaced (vCPU): every register counts, return with iret */
	POP_GPRS
	add $16, %rsp
	/* sysret reloads rip from rcx and rflags from r11 */
	pop %rcx
	add $8, %rsp
	pop %r11
	pop %rsp
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

	.bss
	.align 8
	.globl syscall_kernel_rsp
syscall_kernel_rsp:
	.quad 0
syscall_user_rsp:
	.quad 0

	.section .note.GNU-stack, "", @progbits
