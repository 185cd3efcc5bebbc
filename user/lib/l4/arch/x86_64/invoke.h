/* The one trap stub of libl4 on x86-64: the syscall instruction with Pecan's register convention. */
#ifndef L4_ARCH_INVOKE_H
#define L4_ARCH_INVOKE_H

#include <stdint.h>

/* See include/pecan/syscall.h for the registers. Returns enum pecan_error;
 * *rtag and *rlabel get the received tag and label. */
static inline long pecan_syscall(uint64_t cap, uint64_t tag, uint64_t flags, uint64_t rcv_timeout,
				 uint64_t snd_timeout, uint64_t partner, uint64_t *rtag, uint64_t *rlabel)
{
	register uint64_t r8 __asm__("r8") = rcv_timeout;
	register uint64_t r9 __asm__("r9") = snd_timeout;
	register uint64_t r10 __asm__("r10") = partner;
	uint64_t rax;
	__asm__ volatile("syscall"
			 : "=a"(rax), "+D"(cap), "+S"(tag), "+d"(flags), "+r"(r8), "+r"(r9), "+r"(r10)
			 :
			 : "rcx", "r11", "memory");
	*rtag = tag;
	*rlabel = cap;
	return (long)rax;
}

/* The calling thread's UTCB, found through GS (include/pecan/utcb.h). */
static inline struct pecan_utcb *pecan_utcb(void)
{
	struct pecan_utcb *u;
	__asm__("mov %%gs:0, %0" : "=r"(u));
	return u;
}

#endif
