/*
 * Signals: actions, masks, pending signals, the x86-64 signal frame and
 * rt_sigreturn, default actions (terminate, core, stop, continue, ignore),
 * SIGCHLD, faults, and the signal system calls.
 *
 * A process's signal state is allocated at its first need (p->sig NULL
 * means every action default, nothing blocked or pending). Signals are
 * delivered by lx_signal_deliver just before the process runs again: one
 * handler frame per resume, lowest signal number first.
 */
#include "signal.h"
#include "mm.h"
#include "proc.h"
#include "syscall.h"
#include "stdlib.h"
#include "string.h"

#define SIG_DFL 0ull
#define SIG_IGN 1ull

enum {
	SA_NOCLDSTOP = 1, SA_NOCLDWAIT = 2, SA_SIGINFO = 4, SA_RESTORER = 0x04000000, SA_ONSTACK = 0x08000000,
	SA_RESTART = 0x10000000, SA_NODEFER = 0x40000000,
};
#define SA_RESETHAND 0x80000000ull

enum { SS_ONSTACK = 1, SS_DISABLE = 2 };
#define SS_AUTODISARM (1u << 31)
#define MINSIGSTKSZ 2048

enum { SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2 };

#define BIT(sig) (1ull << ((sig) - 1))
#define UNBLOCKABLE (BIT(LX_SIGKILL) | BIT(LX_SIGSTOP))
#define STOP_SIGS (BIT(LX_SIGSTOP) | BIT(LX_SIGTSTP) | BIT(LX_SIGTTIN) | BIT(LX_SIGTTOU))
#define DFL_IGNORE (BIT(LX_SIGCHLD) | BIT(LX_SIGURG) | BIT(LX_SIGWINCH) | BIT(LX_SIGCONT))
#define DFL_CORE                                                                                              \
	(BIT(LX_SIGQUIT) | BIT(LX_SIGILL) | BIT(LX_SIGTRAP) | BIT(LX_SIGABRT) | BIT(LX_SIGBUS) | BIT(LX_SIGFPE) | \
	 BIT(LX_SIGSEGV) | BIT(LX_SIGSYS) | BIT(LX_SIGXCPU) | BIT(LX_SIGXFSZ))

/* struct kernel_sigaction of rt_sigaction */
struct k_sigaction {
	uint64_t handler, flags, restorer, mask;
};

/* What a pending signal carries into its siginfo */
struct sigrec {
	int32_t code, pid, status;
	uint64_t addr, trapno, err;
};

struct lx_sigstate {
	struct k_sigaction act[LX_NSIG];
	struct sigrec info[LX_NSIG];
	uint64_t blocked, pending;
	uint64_t saved_mask;        /* rt_sigsuspend: the mask to go back to */
	bool restore_mask;
	uint64_t ss_sp, ss_size;    /* the alternate stack; size 0: disabled */
	uint32_t ss_flags;          /* SS_AUTODISARM */
	int fault_sig;              /* a pending fault: delivered before the others */
	int stop_report;            /* a stop (its signal) wait4 has not reported */
	bool cont_report;           /* a continue wait4 has not reported */
	bool execed;
};

/* ---- the x86-64 signal frame (Linux's layout) ---- */

struct k_sigcontext {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2;
	uint64_t fpstate;
	uint64_t reserved[8];
};

struct k_stack {
	uint64_t sp;
	int32_t flags, pad;
	uint64_t size;
};

struct k_ucontext {
	uint64_t flags, link;
	struct k_stack stack;
	struct k_sigcontext mc;
	uint64_t sigmask;
};

struct k_siginfo {
	int32_t signo, errno_, code, pad;
	union {
		struct {
			int32_t pid, uid, status, pad2;
			int64_t utime, stime;
		} kill;
		uint64_t addr;
		uint8_t bytes[112];
	};
};

struct k_rtframe {
	uint64_t pretcode;          /* the return address: sa_restorer */
	struct k_ucontext uc;
	struct k_siginfo info;
};

_Static_assert(sizeof(struct k_sigcontext) == 256, "sigcontext");
_Static_assert(sizeof(struct k_ucontext) == 304, "ucontext");
_Static_assert(sizeof(struct k_siginfo) == 128, "siginfo");
_Static_assert(sizeof(struct k_rtframe) == 440, "rt_sigframe");

enum { UC_SIGCONTEXT_SS = 2, UC_STRICT_RESTORE_SS = 4 };
enum { FL_CF = 1, FL_PF = 4, FL_AF = 0x10, FL_ZF = 0x40, FL_SF = 0x80, FL_TF = 0x100, FL_DF = 0x400,
       FL_OF = 0x800, FL_RF = 0x10000, FL_AC = 0x40000 };
#define FIX_EFLAGS (FL_AC | FL_OF | FL_DF | FL_TF | FL_SF | FL_ZF | FL_AF | FL_PF | FL_CF | FL_RF)

/* ---- state ---- */

static struct lx_sigstate *state_of(struct lx_proc *p)
{
	if (!p->sig)
		p->sig = calloc(1, sizeof(*p->sig));
	return p->sig;
}

static bool valid_sig(uint64_t sig) { return sig >= 1 && sig <= LX_NSIG; }

/* Would sig be thrown away by p (SIG_IGN, or a default action of ignore)? */
static bool is_ignored(const struct lx_proc *p, int sig)
{
	uint64_t h = p->sig ? p->sig->act[sig - 1].handler : SIG_DFL;
	return h == SIG_IGN || (h == SIG_DFL && (BIT(sig) & DFL_IGNORE));
}

static uint64_t ignored_set(const struct lx_proc *p)
{
	uint64_t set = 0;
	for (int s = 1; s <= LX_NSIG; s++)
		if (is_ignored(p, s))
			set |= BIT(s);
	return set;
}

static bool alive(const struct lx_proc *p) { return p->state != LX_FREE && p->state != LX_ZOMBIE; }

bool lx_signal_pending(struct lx_proc *p)
{
	struct lx_sigstate *s = p->sig;
	if (!s || !(s->pending & ~s->blocked))
		return false;
	return (s->pending & ~s->blocked & ~ignored_set(p)) != 0;
}

/* The parent hears of a child's exit, stop or continue: SIGCHLD and a wake-up of its wait4. */
static void signal_send_info(struct lx_proc *t, int sig, const struct sigrec *rec);

static void notify_parent(struct lx_proc *child, int code, int status)
{
	struct lx_proc *parent = proc_find(child->ppid);
	if (!parent || !alive(parent))
		return;
	struct k_sigaction *ka = parent->sig ? &parent->sig->act[LX_SIGCHLD - 1] : NULL;
	bool stopcont = code == LX_CLD_STOPPED || code == LX_CLD_CONTINUED;
	/* first the wake-up: a parent in wait4 finds the child (as on Linux), not EINTR */
	lx_wake(parent); /* wait4 sleeps on the parent itself */
	if (!(stopcont && ka && (ka->flags & SA_NOCLDSTOP))) {
		struct sigrec rec = {.code = code, .pid = child->pid, .status = status};
		signal_send_info(parent, LX_SIGCHLD, &rec);
	}
}

/* SIGCONT: a stopped process goes on (its interrupted call runs again). */
static void do_continue(struct lx_proc *t)
{
	struct lx_sigstate *s = t->sig;
	if (s)
		s->pending &= ~STOP_SIGS;
	if (t->state == LX_STOPPED) {
		t->state = LX_RUNNABLE;
		lx_resched();
		if (s) {
			s->stop_report = 0;
			s->cont_report = true;
		}
		notify_parent(t, LX_CLD_CONTINUED, LX_SIGCONT);
	}
}

static void signal_send_info(struct lx_proc *t, int sig, const struct sigrec *rec)
{
	if (!alive(t) || !valid_sig((uint64_t)sig))
		return;
	uint64_t handler = t->sig ? t->sig->act[sig - 1].handler : SIG_DFL;
	if (t->pid == 1 && handler == SIG_DFL)
		return; /* init only gets the signals it handles */
	if (sig == LX_SIGKILL) {
		proc_exit(t, LX_SIGKILL); /* at once, stopped or not */
		return;
	}
	if (sig == LX_SIGCONT)
		do_continue(t);
	struct lx_sigstate *s = t->sig;
	if (BIT(sig) & STOP_SIGS) {
		if (s)
			s->pending &= ~BIT(LX_SIGCONT);
	}
	bool blocked = s && (s->blocked & BIT(sig));
	if (is_ignored(t, sig) && !blocked)
		return;
	s = state_of(t);
	if (!s)
		return; /* no memory: lost, like a signal already pending */
	if (!(s->pending & BIT(sig))) {
		s->pending |= BIT(sig);
		s->info[sig - 1] = *rec;
	}
	if (!blocked && t->state == LX_SLEEPING && (t->wait_channel || t->wake_tick)) {
		/* interrupt the sleeping call: EINTR or a restart, decided at delivery */
		t->state = LX_RUNNABLE;
		t->wait_channel = NULL;
		t->woken_by_signal = true;
		lx_resched();
	}
}

void lx_signal_send(struct lx_proc *p, int signo)
{
	struct sigrec rec = {.code = LX_SI_USER, .pid = lx_current ? lx_current->pid : 0};
	signal_send_info(p, signo, &rec);
}

void lx_signal_pgrp(int pgid, int signo)
{
	struct sigrec rec = {.code = LX_SI_KERNEL};
	for (unsigned i = 0; i < LX_MAX_PROCS; i++)
		if (alive(&lx_procs[i]) && lx_procs[i].pgid == pgid)
			signal_send_info(&lx_procs[i], signo, &rec);
}

void lx_signal_fault_trap(struct lx_proc *p, int signo, int code, uint64_t addr, uint64_t trapno, uint64_t err)
{
	struct lx_sigstate *s = state_of(p);
	if (!s) {
		proc_exit(p, signo | 0x80);
		return;
	}
	/* like Linux's force_sig: a blocked or ignored fault signal kills */
	struct k_sigaction *ka = &s->act[signo - 1];
	if (ka->handler == SIG_IGN || (s->blocked & BIT(signo))) {
		ka->handler = SIG_DFL;
		s->blocked &= ~BIT(signo);
	}
	if (ka->handler == SIG_DFL) {
		lx_log("lx: %s (pid %d) killed by signal %d (fault at 0x%lx, rip 0x%lx)", p->comm, p->pid, signo,
		       (unsigned long)addr, (unsigned long)p->regs.rip);
		proc_exit(p, signo | ((BIT(signo) & DFL_CORE) ? 0x80 : 0));
		return;
	}
	s->pending |= BIT(signo);
	s->info[signo - 1] = (struct sigrec){.code = code, .addr = addr, .trapno = trapno, .err = err};
	s->fault_sig = signo;
}

void lx_signal_fault(struct lx_proc *p, int signo, int code, uint64_t addr)
{
	lx_signal_fault_trap(p, signo, code, addr, 0, 0);
}

void lx_signal_child_exit(struct lx_proc *child)
{
	int st = child->exit_status, code, status;
	if ((st & 0x7f) == 0) {
		code = LX_CLD_EXITED;
		status = (st >> 8) & 0xff;
	} else {
		code = (st & 0x80) ? LX_CLD_DUMPED : LX_CLD_KILLED;
		status = st & 0x7f;
	}
	notify_parent(child, code, status);
}

bool lx_signal_autoreap(struct lx_proc *child)
{
	struct lx_proc *parent = proc_find(child->ppid);
	if (!parent || !parent->sig)
		return false;
	struct k_sigaction *ka = &parent->sig->act[LX_SIGCHLD - 1];
	return ka->handler == SIG_IGN || (ka->flags & SA_NOCLDWAIT);
}

long lx_signal_fork(struct lx_proc *parent, struct lx_proc *child)
{
	child->sig = NULL;
	if (!parent->sig)
		return 0;
	struct lx_sigstate *s = malloc(sizeof(*s));
	if (!s)
		return -LX_ENOMEM;
	*s = *parent->sig;
	s->pending = 0;
	s->restore_mask = false;
	s->fault_sig = 0;
	s->stop_report = 0;
	s->cont_report = false;
	s->execed = false;
	child->sig = s;
	return 0;
}

void lx_signal_exec(struct lx_proc *p)
{
	struct lx_sigstate *s = p->sig;
	if (!s)
		return;
	for (int i = 0; i < LX_NSIG; i++) {
		if (s->act[i].handler != SIG_IGN)
			s->act[i] = (struct k_sigaction){0, 0, 0, 0};
		else
			s->act[i].flags = s->act[i].restorer = s->act[i].mask = 0;
	}
	s->ss_sp = s->ss_size = 0;
	s->ss_flags = 0;
	s->execed = true;
}

bool lx_signal_execed(struct lx_proc *p) { return p->sig && p->sig->execed; }

void lx_signal_exit(struct lx_proc *p)
{
	free(p->sig);
	p->sig = NULL;
	p->woken_by_signal = false;
}

int lx_signal_wait_report(struct lx_proc *c, unsigned options)
{
	struct lx_sigstate *s = c->sig;
	if (!s || !alive(c))
		return -1;
	if ((options & LX_WUNTRACED) && s->stop_report && c->state == LX_STOPPED) {
		int st = 0x7f | (s->stop_report << 8);
		s->stop_report = 0;
		return st;
	}
	if ((options & LX_WCONTINUED) && s->cont_report) {
		s->cont_report = false;
		return 0xffff;
	}
	return -1;
}

/* ---- delivery ---- */

static bool on_altstack(const struct lx_sigstate *s, uint64_t sp)
{
	return s->ss_size && sp > s->ss_sp && sp - s->ss_sp <= s->ss_size;
}

static int32_t altstack_flags(const struct lx_sigstate *s, uint64_t sp)
{
	if (!s->ss_size)
		return SS_DISABLE;
	return on_altstack(s, sp) ? SS_ONSTACK : 0;
}

static void fpu_init(uint8_t *fx)
{
	memset(fx, 0, 512);
	fx[0] = 0x7f; /* FCW 0x037f */
	fx[1] = 0x03;
	uint32_t mxcsr = 0x1f80;
	memcpy(fx + 24, &mxcsr, 4);
}

/* Calls that give EINTR after a handler even with SA_RESTART (Linux's ERESTARTNOHAND and restart blocks). */
static bool never_restarts(uint64_t nr)
{
	switch (nr) {
	case 7:   /* poll */
	case 23:  /* select */
	case 34:  /* pause */
	case 35:  /* nanosleep */
	case 130: /* rt_sigsuspend */
	case 230: /* clock_nanosleep */
	case 232: /* epoll_wait */
	case 270: /* pselect6 */
	case 271: /* ppoll */
	case 281: /* epoll_pwait */
		return true;
	}
	return false;
}

/* A sleeping call was interrupted by sig with action ka: run again, or give -EINTR. */
static void interrupted_call(struct lx_proc *p, const struct k_sigaction *ka)
{
	if ((ka->flags & SA_RESTART) && !never_restarts(p->orig_rax)) {
		p->wake_tick = 0;
		return; /* rip and rax still say: the call again */
	}
	if ((p->orig_rax == 35 || p->orig_rax == 230) && p->wake_tick) {
		/* nanosleep's remaining time */
		uint64_t urem = p->orig_rax == 35 ? p->regs.rsi : p->regs.r10;
		uint64_t now = lx_ticks(), left = p->wake_tick > now ? p->wake_tick - now : 0;
		int64_t rem[2] = {(int64_t)(left / 100), (int64_t)(left % 100) * 10000000};
		bool absolute = p->orig_rax == 230 && (p->regs.rsi & 1);
		if (urem && !absolute)
			lx_copy_to_user(p, urem, rem, sizeof(rem));
	}
	p->wake_tick = 0;
	p->regs.rip += 2;
	p->regs.rax = (uint64_t)-LX_EINTR;
}

/* Builds the handler's frame and points p at the handler; false when the stack is unusable. */
static bool setup_frame(struct lx_proc *p, struct lx_sigstate *s, int sig, struct k_sigaction *ka,
			const struct sigrec *rec, uint64_t oldmask)
{
	if (!(ka->flags & SA_RESTORER))
		return false; /* x86-64 has no default restorer */
	struct pecan_vcpu_regs *r = &p->regs;
	uint64_t sp = r->rsp;
	struct k_rtframe f;
	memset(&f, 0, sizeof(f));
	f.uc.stack = (struct k_stack){s->ss_sp, altstack_flags(s, sp) | (int32_t)s->ss_flags, 0, s->ss_size};
	if ((ka->flags & SA_ONSTACK) && s->ss_size && !on_altstack(s, sp)) {
		sp = s->ss_sp + s->ss_size;
		if (s->ss_flags & SS_AUTODISARM)
			s->ss_sp = s->ss_size = s->ss_flags = 0;
	} else {
		sp -= 128; /* the red zone */
	}
	uint64_t fpaddr = (sp - 512) & ~63ull;
	uint64_t frame = ((fpaddr - sizeof(f)) & ~15ull) - 8;
	if (sp > LX_USER_TOP || frame >= fpaddr)
		return false;

	f.pretcode = ka->restorer;
	f.uc.flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;
	struct k_sigcontext *mc = &f.uc.mc;
	mc->r8 = r->r8, mc->r9 = r->r9, mc->r10 = r->r10, mc->r11 = r->r11;
	mc->r12 = r->r12, mc->r13 = r->r13, mc->r14 = r->r14, mc->r15 = r->r15;
	mc->rdi = r->rdi, mc->rsi = r->rsi, mc->rbp = r->rbp, mc->rbx = r->rbx;
	mc->rdx = r->rdx, mc->rax = r->rax, mc->rcx = r->rcx, mc->rsp = r->rsp;
	mc->rip = r->rip, mc->eflags = r->rflags;
	mc->cs = 0x33, mc->ss = 0x2b;
	mc->err = rec->err, mc->trapno = rec->trapno, mc->oldmask = oldmask;
	mc->cr2 = rec->trapno == 14 ? rec->addr : 0;
	mc->fpstate = fpaddr;
	f.uc.sigmask = oldmask;

	f.info.signo = sig;
	f.info.code = rec->code;
	if (sig == LX_SIGSEGV || sig == LX_SIGBUS || sig == LX_SIGILL || sig == LX_SIGFPE || sig == LX_SIGTRAP) {
		if (rec->code > 0 && rec->code != LX_SI_KERNEL)
			f.info.addr = rec->addr;
		else
			f.info.kill.pid = rec->pid;
	} else {
		f.info.kill.pid = rec->pid;
		f.info.kill.status = rec->status;
	}

	if (lx_copy_to_user(p, fpaddr, lx_fpu(p), 512) || lx_copy_to_user(p, frame, &f, sizeof(f)))
		return false;

	r->rsp = frame;
	r->rip = ka->handler;
	r->rdi = (uint64_t)sig;
	r->rsi = frame + offsetof(struct k_rtframe, info);
	r->rdx = frame + offsetof(struct k_rtframe, uc);
	r->rax = 0;
	r->rflags &= ~(uint64_t)(FL_DF | FL_TF | FL_RF);
	fpu_init(lx_fpu_write(p)); /* the handler starts with a clean FPU, as on Linux */
	return true;
}

/* Ends the frame-less part of a delivery: rt_sigsuspend's mask comes back. */
static void no_handler_ran(struct lx_sigstate *s)
{
	if (s->restore_mask) {
		s->blocked = s->saved_mask;
		s->restore_mask = false;
	}
}

void lx_signal_deliver(struct lx_proc *p)
{
	struct lx_sigstate *s = p->sig;
	bool interrupted = p->woken_by_signal;
	p->woken_by_signal = false;
	if (!s)
		return;
	for (;;) {
		uint64_t ready = s->pending & ~s->blocked;
		if (!ready) {
			no_handler_ran(s);
			return; /* an interrupted call, if any, runs again */
		}
		int sig = __builtin_ctzll(ready) + 1;
		if (s->fault_sig && (ready & BIT(s->fault_sig)))
			sig = s->fault_sig; /* the faulting instruction's signal first */
		s->fault_sig = 0;
		struct sigrec rec = s->info[sig - 1];
		s->pending &= ~BIT(sig);
		struct k_sigaction *ka = &s->act[sig - 1];
		if (ka->handler == SIG_IGN)
			continue;
		if (ka->handler == SIG_DFL) {
			if (BIT(sig) & DFL_IGNORE)
				continue;
			if (p->pid == 1)
				continue; /* init: no default actions */
			if (BIT(sig) & STOP_SIGS) {
				no_handler_ran(s);
				p->state = LX_STOPPED;
				p->woken_by_signal = interrupted; /* decided when it goes on */
				s->stop_report = sig;
				s->cont_report = false;
				notify_parent(p, LX_CLD_STOPPED, sig);
				return;
			}
			proc_exit(p, sig | ((BIT(sig) & DFL_CORE) ? 0x80 : 0));
			return;
		}
		/* a handler */
		if (interrupted)
			interrupted_call(p, ka);
		p->wake_tick = 0;
		uint64_t oldmask = s->restore_mask ? s->saved_mask : s->blocked;
		if (!setup_frame(p, s, sig, ka, &rec, oldmask)) {
			lx_log("lx: %s (pid %d) cannot take signal %d: bad stack or restorer; killed", p->comm, p->pid,
			       sig);
			proc_exit(p, LX_SIGSEGV | 0x80);
			return;
		}
		s->restore_mask = false;
		s->blocked |= ka->mask;
		if (!(ka->flags & SA_NODEFER))
			s->blocked |= BIT(sig);
		s->blocked &= ~UNBLOCKABLE;
		if (ka->flags & SA_RESETHAND) {
			ka->handler = SIG_DFL;
			ka->flags &= ~(uint64_t)SA_RESETHAND;
		}
		return; /* one frame per resume */
	}
}

/* ---- system calls ---- */

static long sys_rt_sigaction(struct lx_proc *p, uint64_t sig, uint64_t uact, uint64_t uoact, uint64_t size,
			     uint64_t a4, uint64_t a5)
{
	(void)a4, (void)a5;
	if (size != 8 || !valid_sig(sig))
		return -LX_EINVAL;
	struct k_sigaction act;
	if (uact) {
		if (sig == LX_SIGKILL || sig == LX_SIGSTOP)
			return -LX_EINVAL;
		if (lx_copy_from_user(p, &act, uact, sizeof(act)))
			return -LX_EFAULT;
	}
	struct lx_sigstate *s = state_of(p);
	if (!s)
		return -LX_ENOMEM;
	struct k_sigaction old = s->act[sig - 1];
	if (uact) {
		act.mask &= ~UNBLOCKABLE;
		s->act[sig - 1] = act;
		if (is_ignored(p, (int)sig))
			s->pending &= ~BIT(sig); /* a pending one is thrown away, blocked or not */
	}
	if (uoact && lx_copy_to_user(p, uoact, &old, sizeof(old)))
		return -LX_EFAULT;
	return 0;
}

static long sys_rt_sigprocmask(struct lx_proc *p, uint64_t how, uint64_t uset, uint64_t uoset, uint64_t size,
			       uint64_t a4, uint64_t a5)
{
	(void)a4, (void)a5;
	if (size != 8)
		return -LX_EINVAL;
	uint64_t old = p->sig ? p->sig->blocked : 0;
	if (uset) {
		uint64_t set;
		if (how > SIG_SETMASK)
			return -LX_EINVAL;
		if (lx_copy_from_user(p, &set, uset, 8))
			return -LX_EFAULT;
		struct lx_sigstate *s = state_of(p);
		if (!s)
			return -LX_ENOMEM;
		if (how == SIG_BLOCK)
			s->blocked |= set;
		else if (how == SIG_UNBLOCK)
			s->blocked &= ~set;
		else
			s->blocked = set;
		s->blocked &= ~UNBLOCKABLE;
	}
	if (uoset && lx_copy_to_user(p, uoset, &old, 8))
		return -LX_EFAULT;
	return 0;
}

static long sys_rt_sigpending(struct lx_proc *p, uint64_t uset, uint64_t size, uint64_t a2, uint64_t a3,
			      uint64_t a4, uint64_t a5)
{
	(void)a2, (void)a3, (void)a4, (void)a5;
	if (size > 8)
		return -LX_EINVAL;
	uint64_t set = p->sig ? p->sig->pending & p->sig->blocked : 0;
	return lx_copy_to_user(p, uset, &set, size);
}

/* pause and rt_sigsuspend sleep on a channel nobody wakes: only a signal ends them. */
static long sys_pause(struct lx_proc *p, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
		      uint64_t a5)
{
	(void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	if (lx_signal_pending(p))
		return -LX_EINTR;
	p->state = LX_SLEEPING;
	p->wait_channel = &p->woken_by_signal;
	return LX_BLOCK;
}

static long sys_rt_sigsuspend(struct lx_proc *p, uint64_t umask, uint64_t size, uint64_t a2, uint64_t a3,
			      uint64_t a4, uint64_t a5)
{
	(void)a2, (void)a3, (void)a4, (void)a5;
	if (size != 8)
		return -LX_EINVAL;
	uint64_t mask;
	if (lx_copy_from_user(p, &mask, umask, 8))
		return -LX_EFAULT;
	struct lx_sigstate *s = state_of(p);
	if (!s)
		return -LX_ENOMEM;
	/* a run again after a stop finds the mask restored by the delivery */
	s->saved_mask = s->blocked;
	s->restore_mask = true;
	s->blocked = mask & ~UNBLOCKABLE;
	return sys_pause(p, 0, 0, 0, 0, 0, 0);
}

static long sys_sigaltstack(struct lx_proc *p, uint64_t uss, uint64_t uoss, uint64_t a2, uint64_t a3, uint64_t a4,
			    uint64_t a5)
{
	(void)a2, (void)a3, (void)a4, (void)a5;
	struct lx_sigstate *s = state_of(p);
	if (!s)
		return -LX_ENOMEM;
	uint64_t sp = p->regs.rsp;
	struct k_stack old = {s->ss_sp, altstack_flags(s, sp) | (int32_t)s->ss_flags, 0, s->ss_size};
	if (uss) {
		struct k_stack ns;
		if (lx_copy_from_user(p, &ns, uss, sizeof(ns)))
			return -LX_EFAULT;
		if (on_altstack(s, sp))
			return -LX_EPERM;
		uint32_t mode = (uint32_t)ns.flags & ~SS_AUTODISARM;
		if (mode != 0 && mode != SS_ONSTACK && mode != SS_DISABLE)
			return -LX_EINVAL;
		if (mode == SS_DISABLE) {
			s->ss_sp = s->ss_size = 0;
			s->ss_flags = 0;
		} else {
			if (ns.size < MINSIGSTKSZ)
				return -LX_ENOMEM;
			s->ss_sp = ns.sp;
			s->ss_size = ns.size;
			s->ss_flags = (uint32_t)ns.flags & SS_AUTODISARM;
		}
	}
	if (uoss && lx_copy_to_user(p, uoss, &old, sizeof(old)))
		return -LX_EFAULT;
	return 0;
}

/* rt_sigreturn: the registers, mask, alternate stack and FPU state from the frame. */
static long sys_rt_sigreturn(struct lx_proc *p, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
			     uint64_t a5)
{
	(void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	struct k_ucontext uc;
	uint8_t fx[512] __attribute__((aligned(16)));
	uint64_t ucaddr = p->regs.rsp; /* the handler's ret took pretcode */
	struct lx_sigstate *s = state_of(p);
	if (!s || lx_copy_from_user(p, &uc, ucaddr, sizeof(uc)) || uc.mc.rip >= LX_USER_TOP)
		goto bad;
	if (uc.mc.fpstate) {
		if (lx_copy_from_user(p, fx, uc.mc.fpstate, sizeof(fx)))
			goto bad;
	} else {
		fpu_init(fx);
	}
	struct k_sigcontext *mc = &uc.mc;
	struct pecan_vcpu_regs *r = &p->regs;
	r->r8 = mc->r8, r->r9 = mc->r9, r->r10 = mc->r10, r->r11 = mc->r11;
	r->r12 = mc->r12, r->r13 = mc->r13, r->r14 = mc->r14, r->r15 = mc->r15;
	r->rdi = mc->rdi, r->rsi = mc->rsi, r->rbp = mc->rbp, r->rbx = mc->rbx;
	r->rdx = mc->rdx, r->rax = mc->rax, r->rcx = mc->rcx, r->rsp = mc->rsp;
	r->rip = mc->rip;
	r->rflags = (r->rflags & ~(uint64_t)FIX_EFLAGS) | (mc->eflags & FIX_EFLAGS);
	memcpy(lx_fpu_write(p), fx, sizeof(fx));
	s->blocked = uc.sigmask & ~UNBLOCKABLE;
	/* the alternate stack as it was (unless the restored code runs on the current one) */
	if (!on_altstack(s, r->rsp)) {
		uint32_t mode = (uint32_t)uc.stack.flags & ~SS_AUTODISARM;
		if (mode == SS_DISABLE) {
			s->ss_sp = s->ss_size = 0;
			s->ss_flags = 0;
		} else if (uc.stack.size >= MINSIGSTKSZ) {
			s->ss_sp = uc.stack.sp;
			s->ss_size = uc.stack.size;
			s->ss_flags = (uint32_t)uc.stack.flags & SS_AUTODISARM;
		}
	}
	p->orig_rax = ~0ull; /* nothing to restart */
	return 0;             /* the core leaves rax as restored */
bad:
	lx_log("lx: %s (pid %d) rt_sigreturn with a bad frame at 0x%lx; killed", p->comm, p->pid,
	       (unsigned long)ucaddr);
	proc_exit(p, LX_SIGSEGV | 0x80);
	return 0;
}

static long kill_one(struct lx_proc *t, int sig, const struct sigrec *rec)
{
	if (sig)
		signal_send_info(t, sig, rec);
	return 0;
}

static long sys_kill(struct lx_proc *p, uint64_t upid, uint64_t usig, uint64_t a2, uint64_t a3, uint64_t a4,
		     uint64_t a5)
{
	(void)a2, (void)a3, (void)a4, (void)a5;
	int pid = (int)upid, sig = (int)usig;
	if (usig > LX_NSIG)
		return -LX_EINVAL;
	struct sigrec rec = {.code = LX_SI_USER, .pid = p->pid};
	if (pid > 0) {
		struct lx_proc *t = proc_find(pid);
		if (!t || t->state == LX_FREE)
			return -LX_ESRCH;
		return kill_one(t, sig, &rec);
	}
	int pgid = pid == 0 ? p->pgid : -pid;
	bool found = false;
	int me = p->pid;
	for (unsigned i = 0; i < LX_MAX_PROCS; i++) {
		struct lx_proc *t = &lx_procs[i];
		if (t->state == LX_FREE)
			continue;
		if (pid == -1 ? (t->pid == 1 || t->pid == me) : t->pgid != pgid)
			continue;
		found = true;
		kill_one(t, sig, &rec);
	}
	return found ? 0 : -LX_ESRCH;
}

static long sys_tgkill(struct lx_proc *p, uint64_t tgid, uint64_t tid, uint64_t usig, uint64_t a3, uint64_t a4,
		       uint64_t a5)
{
	(void)a3, (void)a4, (void)a5;
	if ((int)tid <= 0 || (int)tgid <= 0 || usig > LX_NSIG)
		return -LX_EINVAL;
	struct lx_proc *t = proc_find((int)tid);
	if (!t || t->state == LX_FREE || t->pid != (int)tgid)
		return -LX_ESRCH; /* one thread per process: the tid is the pid */
	struct sigrec rec = {.code = LX_SI_TKILL, .pid = p->pid};
	return kill_one(t, (int)usig, &rec);
}

static long sys_tkill(struct lx_proc *p, uint64_t tid, uint64_t usig, uint64_t a2, uint64_t a3, uint64_t a4,
		      uint64_t a5)
{
	(void)a2, (void)a3, (void)a4, (void)a5;
	return sys_tgkill(p, tid, tid, usig, 0, 0, 0);
}

void sys_signal_register(void)
{
	lx_syscall_register(13, "rt_sigaction", sys_rt_sigaction);
	lx_syscall_register(14, "rt_sigprocmask", sys_rt_sigprocmask);
	lx_syscall_register(15, "rt_sigreturn", sys_rt_sigreturn);
	lx_syscall_register(34, "pause", sys_pause);
	lx_syscall_register(62, "kill", sys_kill);
	lx_syscall_register(127, "rt_sigpending", sys_rt_sigpending);
	lx_syscall_register(130, "rt_sigsuspend", sys_rt_sigsuspend);
	lx_syscall_register(131, "sigaltstack", sys_sigaltstack);
	lx_syscall_register(200, "tkill", sys_tkill);
	lx_syscall_register(234, "tgkill", sys_tgkill);
}
