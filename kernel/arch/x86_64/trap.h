/* The register frame every kernel entry saves, and the trap interface. */
#ifndef ARCH_TRAP_H
#define ARCH_TRAP_H

#include <stdint.h>

/* Layout fixed by entry.S: general registers in reverse push order, then
 * the vector and error code, then the hardware iret frame. */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector; /* -1 for a syscall */
	uint64_t error;
	uint64_t rip, cs, rflags, rsp, ss;
};

/* Callee-saved kernel registers across a stay in user mode. */
struct kernel_context {
	uint64_t rbx, rbp, r12, r13, r14, r15, rsp;
};

enum {
	VEC_DE = 0, VEC_DB = 1, VEC_NMI = 2, VEC_BP = 3, VEC_OF = 4, VEC_BR = 5,
	VEC_UD = 6, VEC_NM = 7, VEC_DF = 8, VEC_TS = 10, VEC_NP = 11, VEC_SS = 12,
	VEC_GP = 13, VEC_PF = 14, VEC_MF = 16, VEC_AC = 17, VEC_MC = 18, VEC_XM = 19,
	VEC_TIMER = 0x20,
	VEC_PIC_SPURIOUS = 0x27,    /* IRQ 7 of the (masked) legacy PIC */
	VEC_APIC_SPURIOUS = 0xff,
};

void trap_init(void);
const char *trap_name(uint64_t vector);
static inline int trap_from_user(const struct trap_frame *f) { return (f->cs & 3) == 3; }

void arch_enter_user(struct trap_frame *frame, struct kernel_context *ctx);
void arch_leave_user(struct kernel_context *ctx) __attribute__((noreturn));

#endif
