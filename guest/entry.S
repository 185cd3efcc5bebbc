/* The vCPU entry: every event of a guest process starts lx here, on a fresh stack. */
	.text
	.globl lx_vcpu_entry
lx_vcpu_entry:
	/* rsp = the state area's entry_sp, rdi = the state area */
	and $-16, %rsp
	xor %ebp, %ebp
	call lx_event
1:	ud2
	jmp 1b

	.section .note.GNU-stack, "", @progbits
