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

#endif
