/*
 * _start of the guest test programs. The kernel enters with rsp pointing at
 * the System V initial stack: argc, argv[0..argc-1], NULL, envp..., NULL,
 * auxv pairs up to AT_NULL. rsp is 16-byte aligned there; rdx may hold a
 * function for atexit (ignored: these programs are static).
 */
	.text
	.globl _start
	.type _start, @function
_start:
	xorl %ebp, %ebp
	movq %rsp, %rdi          /* the initial stack: &argc */
	andq $-16, %rsp
	call lt_start_c          /* never returns */
	hlt
	.size _start, . - _start

	.section .note.GNU-stack, "", @progbits
