/* The one trap stub of libl4 on x86-64: invoke a capability with the syscall instruction. */
#ifndef L4_ARCH_INVOKE_H
#define L4_ARCH_INVOKE_H

#include <stdint.h>

/* Register use is fixed by include/pecan/syscall.h. Returns enum pecan_error;
 * *result gets the operation's result word. */
static inline long pecan_invoke(uint64_t cap, uint64_t op, uint64_t a0, uint64_t a1, uint64_t a2,
				uint64_t a3, uint64_t *result)
{
	register uint64_t r10 __asm__("r10") = a1;
	register uint64_t r8 __asm__("r8") = a2;
	register uint64_t r9 __asm__("r9") = a3;
	uint64_t rax, rdx = a0;
	__asm__ volatile("syscall"
			 : "=a"(rax), "+d"(rdx), "+r"(r10), "+r"(r8), "+r"(r9)
			 : "D"(cap), "S"(op)
			 : "rcx", "r11", "memory");
	if (result)
		*result = rdx;
	return (long)rax;
}

#endif
