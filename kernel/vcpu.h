/* vCPU mode of threads: events from user mode enter the guest kernel, resume goes back. */
#ifndef KERNEL_VCPU_H
#define KERNEL_VCPU_H

#include <stdbool.h>
#include <stdint.h>
#include "pecan/vcpu.h"

struct thread;
struct trap_frame;

/* THREAD_VCPU_CONTROL: allocate and map the state area. */
int vcpu_control(struct thread *t, uint64_t addr);
/* THREAD_VCPU_RESUME of the current thread; on success its frame is the
 * user state and it returns PECAN_OK (return with iret). */
int vcpu_resume(struct thread *t);
/* An event of the current thread in user mode: save, enter kernel mode
 * (the frame becomes the entry). */
void vcpu_event(struct thread *t, unsigned event, uint64_t vector, uint64_t error, uint64_t addr,
		uint64_t irq_label);
/* On the way back to user mode: a pending IRQ becomes an event when the
 * thread runs in user mode with the virtual interrupt flag set. */
void vcpu_check_irqs(struct thread *t);
/* The thread dies or is destroyed: let go of the user task and the area. */
void vcpu_release(struct thread *t);

#endif
