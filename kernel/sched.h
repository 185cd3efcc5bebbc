/* The scheduler: fixed priorities, round robin within one, time slices, timeouts, the idle loop. */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <stdbool.h>
#include <stdint.h>

struct thread;

#define SCHED_HZ 1000
#define SCHED_DEFAULT_SLICE_TICKS 10

extern struct thread *current;   /* the thread whose kernel stack we run on */
extern bool need_resched;        /* set when a better thread became ready */

void sched_init(void);
/* Puts t on the ready queue (at the tail, or at the head when front). */
void sched_ready(struct thread *t, bool front);
/* Takes t off the ready queue (it blocks or stops). */
void sched_unready(struct thread *t);
/* Runs the best ready thread; returns when the caller is chosen again.
 * The caller must have set its own state first (ready or blocked). */
void schedule(void);
/* From the timer interrupt. */
void sched_tick(void);
/* The current thread gives up the rest of its time slice. */
void sched_yield(void);
/* Arms a timeout for t in microseconds (PECAN_TIMEOUT_NEVER: none). */
void sched_set_timeout(struct thread *t, uint64_t us);
void sched_cancel_timeout(struct thread *t);
bool sched_has_timeouts(void);
uint64_t sched_ticks(void);
/* The idle loop (kernel_main ends here): reaps threads, runs boot programs, halts. */
void sched_idle_loop(void) __attribute__((noreturn));
/* Checks need_resched and dead current on the way back to user mode. */
void sched_before_user(void);

#endif
