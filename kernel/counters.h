/* Measurement counters: time in the kernel, in each kind of user mode, and address-space switches. */
#ifndef KERNEL_COUNTERS_H
#define KERNEL_COUNTERS_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Off by default and then free: the plain entry points (entry.S) do not
 * look at them. PECAN_COUNTERS_ON points the syscall MSR and the IDT at
 * counting copies of the entry points, which timestamp the first and last
 * instruction of every pass through the kernel from and to user mode and
 * call counters_enter and counters_exit in between (docs/abi.md).
 */

/* Timestamps written by the counting entry points (entry.S), one CPU, interrupts off. */
extern uint64_t counters_t_enter;         /* first instruction of the entry */
extern uint64_t counters_t_enter_count;   /* the frame is saved: counters_enter follows */
extern uint64_t counters_t_work;          /* after counters_enter: the kernel's work goes on */
extern uint64_t counters_t_leave;         /* the kernel's work ended: counters_exit follows */
extern uint64_t counters_t_leave_counted; /* after counters_exit: the frame is restored */
extern uint64_t counters_t_exit;          /* just before sysret/iret */

void counters_enter(void);
void counters_exit(void);

bool counters_on(void);
/* PECAN_COUNTERS_ON / _OFF: installs the counting entry points or the plain ones (arch). */
void counters_switch(bool on);
/* Copies the counters (enum pecan_counter) to out[PECAN_CNT_COUNT]. */
void counters_read(uint64_t *out);

/* arch: point the syscall MSR and the IDT at the counting or the plain entry points */
void arch_counting_entries(bool on);

#endif
