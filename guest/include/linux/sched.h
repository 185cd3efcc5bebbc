/* linux/sched.h - tasks: `current` is the calling process (or a kthread), schedule() and friends. */
#ifndef _LINUX_SCHED_H
#define _LINUX_SCHED_H
#include <linux/types.h>
#include <linux/signal.h>
#include <linux/jiffies.h>
#include <linux/wait.h>
#include <linux/limits.h>

#define TASK_RUNNING 0x0000
#define TASK_INTERRUPTIBLE 0x0001
#define TASK_UNINTERRUPTIBLE 0x0002
#define TASK_KILLABLE TASK_UNINTERRUPTIBLE
#define TASK_NORMAL (TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE)
#define TASK_COMM_LEN 16
#define MAX_SCHEDULE_TIMEOUT LONG_MAX
#define PF_KTHREAD 0x00200000

struct task_struct {
	volatile long __state;
	pid_t pid, tgid;
	char comm[TASK_COMM_LEN];
	unsigned int flags;             /* PF_KTHREAD for kernel threads */
	struct sigpending pending;      /* a signal waits: bit 0 set (lx keeps the details) */
	sigset_t blocked;
	void *__lx;                     /* lx's process or kthread */
};

/* The caller: a process in a system call (its data is refreshed on each
 * call), a kthread, or lx itself (pid 0, "swapper") in a timer or work. */
struct task_struct *get_current(void);
#define current get_current()

int signal_pending(struct task_struct *p);
int fatal_signal_pending(struct task_struct *p);
void schedule(void);
long schedule_timeout(long timeout);
long schedule_timeout_interruptible(long timeout);
long schedule_timeout_uninterruptible(long timeout);
int wake_up_process(struct task_struct *p);
void yield(void);
#define set_current_state(s) (current->__state = (s))
#define __set_current_state(s) (current->__state = (s))
static inline pid_t task_pid_nr(struct task_struct *t) { return t->pid; }
static inline pid_t task_tgid_nr(struct task_struct *t) { return t->tgid; }
#define get_task_comm(buf, t) strcpy(buf, (t)->comm)

#endif
