/* arch_switch: save the callee-saved registers and swap kernel stacks; thread_first_entry. */
	.text
	.globl arch_switch
arch_switch:
	push %rbp
	push %rbx
	push %r12
	push %r13
	push %r14
	push %r15
	mov %rsp, (%rdi)
	mov %rsi, %rsp
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbx
	pop %rbp
	ret

/* A new thread's first switch-in returns here with rsp at its trap frame. */
	.globl thread_first_entry
thread_first_entry:
	call sched_before_user
	jmp trap_return

	.section .note.GNU-stack, "", @progbits
