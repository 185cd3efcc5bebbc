/* The system calls of sys_misc.c and fs/poll.c, the clock, and sleeping with a deadline. */
#ifndef LX_SYS_MISC_H
#define LX_SYS_MISC_H

#include "lx.h"

/* Registration (main.c, after sys_proc_register: the clock calls here replace its). */
void sys_misc_register(void);
void sys_poll_register(void);

/* -ENOSYS without the "unknown system call" report (rseq: glibc probes it). */
long sys_enosys_silent(struct lx_proc *p, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
		       uint64_t a5);

/* The clock: CLOCK_REALTIME is the boot time plus lx's ticks (docs/lx.md). */
#define LX_TICK_NS 10000000ull      /* lx_ticks: 100 per second */
int64_t lx_boot_time(void);         /* CLOCK_REALTIME seconds at boot */

/* struct rusage with the CPU times (ticks) filled in, the rest 0 (getrusage, wait4). */
#define LX_RUSAGE_SIZE 144
void lx_fill_rusage(uint8_t ru[LX_RUSAGE_SIZE], uint64_t utime, uint64_t stime);

/*
 * Calls that sleep with a deadline and run again when woken (poll, select,
 * nanosleep). The deadline (in ticks) must survive the reruns, but lx_wake
 * and the timer clear p->wake_tick, so it is kept per process here, with
 * the call's identity (pid, rip, number): a rerun of the same call goes on
 * with it, any other call starts afresh.
 */
#define LX_NO_DEADLINE UINT64_MAX
/* 1 (a rerun: *deadline is the first run's), or 0 (a new call). */
int lx_wait_resume(struct lx_proc *p, uint64_t *deadline);
/* Sleeps on channel (NULL: only the deadline or a signal wakes it) until
 * deadline; with recheck, the call also runs again at every tick (a wait on
 * several channels: lx_wake wakes one channel). Returns LX_BLOCK. */
long lx_wait_sleep(struct lx_proc *p, const void *channel, uint64_t deadline, bool recheck);
/* The call is over: forget its deadline. */
void lx_wait_done(struct lx_proc *p);
/* The deadline ns from now, in ticks (rounded up). */
uint64_t lx_deadline_after_ns(uint64_t ns);

/* The realtime clock starts at boot_time (seconds since 1970; 0: keep LX_EPOCH). */
void lx_realtime_init(uint64_t boot_time);

#endif
