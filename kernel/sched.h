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
/* Blocks cur (its state already set) and runs next at once; next must be
 * the best thread now (sched_would_run). Returns when cur runs again. */
void sched_handoff(struct thread *cur, struct thread *next);

/* The ready queues, for sched_would_run only. */
extern uint64_t ready_bits[4];
extern struct thread *ready_head[];

/* Would t run right away if it were ready in place of cur (cur blocking)?
 * Only when its priority is at least cur's (IPC donates nothing) and no
 * other ready thread is better. Inline: the IPC fast path asks it. */
static inline bool sched_would_run(unsigned t_prio, unsigned cur_prio, const struct thread *cur,
				   const struct thread *cur_next)
{
	if (t_prio < cur_prio)
		return false;
	for (int w = 3; w >= 0; w--) {
		uint64_t bits = ready_bits[w];
		if (!bits)
			continue;
		unsigned p = (unsigned)(w * 64 + 63 - __builtin_clzll(bits));
		if (p <= t_prio)
			return true;
		/* the only better entry may be cur itself, which is about to block */
		return p == cur_prio && ready_head[p] == cur && !cur_next;
	}
	return true;
}

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
