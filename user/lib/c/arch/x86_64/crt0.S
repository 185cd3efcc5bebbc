/* Program entry: rdi points at the kernel info page; main's return value is the exit code. */
	.text
	.globl _start
_start:
	xor %ebp, %ebp
	and $-16, %rsp
	call main
	mov %rax, %rdi
	call exit
1:	ud2
	jmp 1b

	.section .note.GNU-stack, "", @progbits
