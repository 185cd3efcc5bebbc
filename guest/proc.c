/* Processes: the table, fork with copy-on-write, exit and zombies, the run queue. */
#include "proc.h"
#include "mm.h"
#include "sel.h"
#include "signal.h"
#include "stdio.h"
#include "stdlib.h"
#include "string.h"

struct lx_proc lx_procs[LX_MAX_PROCS];
static int next_pid = 1;
static unsigned rr_next;       /* where the round robin looks first */

void lx_power_off(int status) __attribute__((noreturn));

struct lx_proc *proc_find(int pid)
{
	for (unsigned i = 0; i < LX_MAX_PROCS; i++)
		if (lx_procs[i].state != LX_FREE && lx_procs[i].pid == pid)
			return &lx_procs[i];
	return NULL;
}

/*
 * Tasks of exited processes, emptied, for the next ones: deleting a task and
 * creating one costs the kernel more than unmapping the pages a process had
 * (docs/lx.md). A task in the pool maps nothing.
 */
enum { TASK_POOL = 8 };
static uint64_t task_pool[TASK_POOL];
static unsigned task_pool_n;

static uint64_t task_get(void)
{
	if (task_pool_n)
		return task_pool[--task_pool_n];
	uint64_t sel = lx_sel_alloc();
	if (sel && l4_factory_create(PECAN_RT_CAP_FACTORY, PECAN_FACTORY_CREATE_TASK, sel)) {
		lx_sel_free(sel);
		sel = 0;
	}
	return sel;
}

/* The task of sel maps nothing (any more). */
static void task_put_empty(uint64_t sel)
{
	if (task_pool_n < TASK_POOL)
		task_pool[task_pool_n++] = sel;
	else
		lx_sel_free(sel);
}

struct lx_proc *proc_alloc(int ppid)
{
	for (unsigned i = 0; i < LX_MAX_PROCS; i++) {
		struct lx_proc *p = &lx_procs[i];
		if (p->state != LX_FREE) /* a zombie keeps its slot until reaped */
			continue;
		memset(p, 0, sizeof(*p));
		uint64_t sel = task_get();
		if (!sel)
			return NULL;
		p->task_sel = sel;
		p->pid = next_pid++;
		p->ppid = ppid;
		p->pgid = p->sid = p->pid; /* fork gives the parent's */
		p->state = LX_SLEEPING; /* not runnable until set up */
		p->umask = 022;
		strlcpy(p->cwd, "/", sizeof(p->cwd));
		p->start_tick = lx_ticks();
		lx_cpustat.processes++;
		return p;
	}
	return NULL;
}

long proc_fork(struct lx_proc *p, uint64_t child_stack)
{
	struct lx_proc *c = proc_alloc(p->pid);
	if (!c)
		return -LX_EAGAIN;
	c->mm = mm_clone(p);
	if (!c->mm || lx_signal_fork(p, c) < 0) {
		mm_destroy(c->mm);
		task_put_empty(c->task_sel); /* it never ran */
		lx_cpustat.processes--;
		memset(c, 0, sizeof(*c));
		c->state = LX_FREE;
		return -LX_ENOMEM;
	}
	c->regs = p->regs;
	c->regs.rax = 0;
	if (child_stack)
		c->regs.rsp = child_stack;
	memcpy(c->fpu, lx_fpu(p), sizeof(c->fpu));
	memcpy(c->comm, p->comm, sizeof(c->comm));
	strlcpy(c->cwd, p->cwd, sizeof(c->cwd));
	c->umask = p->umask;
	c->pgid = p->pgid;
	c->sid = p->sid;
	fs_fork(p, c);
	c->state = LX_RUNNABLE;
	lx_resched(); /* the child runs next, as it would at once on a second CPU */
	return c->pid;
}

void proc_exit(struct lx_proc *p, int status)
{
	fs_exit(p);
	/* the task maps only pages of p->mm: emptied, it serves the next process */
	if (p->mm) {
		mm_unmap_present(p, p->mm);
		task_put_empty(p->task_sel);
	} else {
		lx_sel_free(p->task_sel);
	}
	mm_destroy(p->mm);
	p->mm = NULL;
	p->task_sel = 0;
	p->exit_status = status;
	p->state = LX_ZOMBIE;
	p->wait_channel = NULL;
	p->wake_tick = 0;
	lx_signal_exit(p);
	/* orphans go to init; a zombie orphan is reaped by init's wait */
	bool zombie_orphans = false;
	for (unsigned i = 0; i < LX_MAX_PROCS; i++)
		if (lx_procs[i].pid && lx_procs[i].ppid == p->pid && &lx_procs[i] != p) {
			lx_procs[i].ppid = 1;
			zombie_orphans |= lx_procs[i].state == LX_ZOMBIE;
		}
	if (p->pid == 1) {
		lx_log("lx: init exited with status 0x%x; powering off", status);
		lx_power_off(status);
	}
	struct lx_proc *init = proc_find(1);
	if (zombie_orphans && init)
		lx_wake(init);
	if (p == lx_current)
		lx_current = NULL;
	struct lx_proc *parent = proc_find(p->ppid);
	if (!parent)
		return;
	if (lx_signal_autoreap(p)) {
		/* the parent ignores SIGCHLD: no zombie stays */
		memset(p, 0, sizeof(*p));
		p->state = LX_FREE;
	} else {
		lx_signal_child_exit(p); /* SIGCHLD */
	}
	lx_wake(parent);
}

void proc_signal_kill(struct lx_proc *p, int signo)
{
	/* faults dump core in Linux's default action; the status says so */
	bool core = signo == 4 || signo == 5 || signo == 6 || signo == 7 || signo == 8 || signo == 11;
	proc_exit(p, signo | (core ? 0x80 : 0));
}

struct lx_proc *proc_pick(void)
{
	for (unsigned k = 0; k < LX_MAX_PROCS; k++) {
		unsigned i = (rr_next + k) % LX_MAX_PROCS;
		if (lx_procs[i].state == LX_RUNNABLE) {
			rr_next = i + 1;
			return &lx_procs[i];
		}
	}
	return NULL;
}

void lx_wake(const void *channel)
{
	for (unsigned i = 0; i < LX_MAX_PROCS; i++) {
		struct lx_proc *p = &lx_procs[i];
		if (p->state == LX_SLEEPING && p->wait_channel == channel) {
			p->state = LX_RUNNABLE;
			p->wait_channel = NULL;
			p->wake_tick = 0;
			lx_resched(); /* the woken one runs at the waker's next event */
		}
	}
}

void proc_tick(uint64_t now)
{
	for (unsigned i = 0; i < LX_MAX_PROCS; i++) {
		struct lx_proc *p = &lx_procs[i];
		if (p->state == LX_SLEEPING && p->wake_tick && p->wake_tick <= now) {
			p->state = LX_RUNNABLE;
			p->wait_channel = NULL;
			p->wake_tick = 0;
		}
	}
}

/* ---- CPU time and the load average ---- */

struct lx_cpustat lx_cpustat;
unsigned long lx_avenrun[3];

void proc_account_tick(struct lx_proc *p, bool user)
{
	if (!p)
		lx_cpustat.idle++;
	else if (user)
		lx_cpustat.user++, p->utime++;
	else
		lx_cpustat.system++, p->stime++;
}

void proc_reap_times(struct lx_proc *parent, const struct lx_proc *child)
{
	parent->cutime += child->utime + child->cutime;
	parent->cstime += child->stime + child->cstime;
}

/*
 * The decay per sample of 5 s, in fixed point: LX_FIXED_1 * exp(-5 s / T)
 * for T = 1, 5 and 15 minutes (2048 * 0.92004, 0.98347, 0.99446), rounded.
 */
static const unsigned long load_decay[3] = {1884, 2014, 2037};

/* load' = load * d + n * (1 - d), in fixed point, rounded up while the load rises */
static unsigned long decay_load(unsigned long load, unsigned long d, unsigned long active)
{
	unsigned long next = load * d + active * (LX_FIXED_1 - d);
	if (active >= load)
		next += LX_FIXED_1 - 1;
	return next / LX_FIXED_1;
}

void proc_calc_load(uint64_t now)
{
	if (now % LX_LOAD_FREQ)
		return;
	unsigned long n = 0; /* runnable, the running one included (lx has no uninterruptible sleep) */
	for (unsigned i = 0; i < LX_MAX_PROCS; i++)
		n += lx_procs[i].state == LX_RUNNABLE;
	for (unsigned k = 0; k < 3; k++)
		lx_avenrun[k] = decay_load(lx_avenrun[k], load_decay[k], n * LX_FIXED_1);
}
