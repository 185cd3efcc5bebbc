/* Switching between threads: kernel stacks, address spaces, UTCB (GS base) and the lazy FPU. */
#ifndef ARCH_SWITCH_H
#define ARCH_SWITCH_H

#include <stdint.h>

struct thread;

/* Saves callee-saved registers on the current stack, stores its pointer in
 * *save, continues on new_ksp (switch.S). */
void arch_switch(uint64_t *save, uint64_t new_ksp);
/* Everything but the stack: TSS/syscall stack top, CR3, GS base, FPU trap. */
void arch_prepare_switch(struct thread *prev, struct thread *next);
/* Lays out a new thread's kernel stack so that its first switch-in enters
 * user mode through its trap frame. */
void arch_thread_init_stack(struct thread *t);
/* Someone else loaded CR3 (page-table code): keep the switch's cache right. */
void arch_note_cr3(uint64_t cr3);
/* The current thread changed mode (vCPU): load its address space, FS and GS base. */
void arch_enter_space(struct thread *t);
/* The FPU: #NM handling, forgetting a dying thread, the initial state. */
void fpu_init(void);
void fpu_trap(void);
void fpu_forget(struct thread *t);
void fpu_init_area(uint8_t *area);
/* A thread's FPU state to/from a 512-byte FXSAVE image (vCPU events and resume). */
void fpu_save_to(struct thread *t, uint8_t *area);
void fpu_load_from(struct thread *t, const uint8_t *area);

#endif
