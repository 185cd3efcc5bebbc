/* lx's processes: the table, creation by fork, exit and wait, and the scheduler's run queue. */
#ifndef LX_PROC_H
#define LX_PROC_H

#include "lx.h"

#define LX_MAX_PROCS 64

extern struct lx_proc lx_procs[LX_MAX_PROCS];

/* A new process with a fresh L4 task and no memory, or NULL. */
struct lx_proc *proc_alloc(int ppid);
struct lx_proc *proc_find(int pid);
/* fork: a copy of p (memory copy-on-write, files shared); the child's pid or -errno. */
long proc_fork(struct lx_proc *p, uint64_t child_stack);
/* Ends p with a wait status (exit: code << 8; signal: number, | 0x80 with core). */
void proc_exit(struct lx_proc *p, int status);
/* The next process to run (round robin), or NULL. */
struct lx_proc *proc_pick(void);
/* Kills p for a fault: the wait status says which signal. */
void proc_signal_kill(struct lx_proc *p, int signo);
/* Wakes sleepers whose timeout passed. */
void proc_tick(uint64_t now);

/*
 * CPU-time accounting by the tick (docs/lx.md "CPU time"): each timer tick
 * is charged to one of user, system or idle. `p` is the process the tick
 * found: running in user mode (user), or about to be resumed after lx
 * worked on events (system); NULL: lx waited idle for an interrupt.
 */
struct lx_cpustat {
	uint64_t user, system, idle; /* ticks */
	uint64_t ctxt;               /* switches from one process (or idle) to another */
	uint64_t processes;          /* processes created since boot (forks and init) */
};
extern struct lx_cpustat lx_cpustat;
void proc_account_tick(struct lx_proc *p, bool user);

/* The load average (Linux's fixed point: FSHIFT 11) of 1, 5 and 15
 * minutes, sampled every LX_LOAD_FREQ ticks from the runnable processes. */
#define LX_FSHIFT 11
#define LX_FIXED_1 (1ul << LX_FSHIFT)
#define LX_LOAD_FREQ 500
extern unsigned long lx_avenrun[3];
/* Called every tick; samples when now is a multiple of LX_LOAD_FREQ. */
void proc_calc_load(uint64_t now);
/* A reaped child's times go to its parent (wait4). */
void proc_reap_times(struct lx_proc *parent, const struct lx_proc *child);

#endif
