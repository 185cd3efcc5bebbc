/* lx's signals (signal.c): what the core and the process calls use beyond lx.h's API. */
#ifndef LX_SIGNAL_H
#define LX_SIGNAL_H

#include "lx.h"

/* Linux x86-64 signal numbers */
enum {
	LX_SIGHUP = 1, LX_SIGINT = 2, LX_SIGQUIT = 3, LX_SIGILL = 4, LX_SIGTRAP = 5, LX_SIGABRT = 6,
	LX_SIGBUS = 7, LX_SIGFPE = 8, LX_SIGKILL = 9, LX_SIGUSR1 = 10, LX_SIGSEGV = 11, LX_SIGUSR2 = 12,
	LX_SIGPIPE = 13, LX_SIGALRM = 14, LX_SIGTERM = 15, LX_SIGSTKFLT = 16, LX_SIGCHLD = 17, LX_SIGCONT = 18,
	LX_SIGSTOP = 19, LX_SIGTSTP = 20, LX_SIGTTIN = 21, LX_SIGTTOU = 22, LX_SIGURG = 23, LX_SIGXCPU = 24,
	LX_SIGXFSZ = 25, LX_SIGVTALRM = 26, LX_SIGPROF = 27, LX_SIGWINCH = 28, LX_SIGIO = 29, LX_SIGPWR = 30,
	LX_SIGSYS = 31,
};
#define LX_NSIG 64

/* si_code values */
enum {
	LX_SI_USER = 0, LX_SI_KERNEL = 0x80, LX_SI_TKILL = -6,
	LX_SEGV_MAPERR = 1, LX_SEGV_ACCERR = 2, LX_ILL_ILLOPN = 2, LX_FPE_INTDIV = 1, LX_FPE_FLTDIV = 3,
	LX_FPE_FLTOVF = 4, LX_FPE_FLTUND = 5, LX_FPE_FLTRES = 6, LX_FPE_FLTINV = 7, LX_TRAP_BRKPT = 1,
	LX_TRAP_TRACE = 2, LX_BUS_ADRALN = 1,
	LX_CLD_EXITED = 1, LX_CLD_KILLED = 2, LX_CLD_DUMPED = 3, LX_CLD_STOPPED = 5, LX_CLD_CONTINUED = 6,
};

/* wait4 options */
enum { LX_WNOHANG = 1, LX_WUNTRACED = 2, LX_WCONTINUED = 8 };

/* The signal system calls (rt_sig*, sigaltstack, kill, tkill, tgkill, pause). */
void sys_signal_register(void);

/* A CPU fault with the sigcontext's trapno and err (lx_signal_fault with both 0). */
void lx_signal_fault_trap(struct lx_proc *p, int signo, int code, uint64_t addr, uint64_t trapno, uint64_t err);
/* fork: the child gets the parent's actions, mask and alternate stack, no pending signals. 0 or -LX_ENOMEM. */
long lx_signal_fork(struct lx_proc *parent, struct lx_proc *child);
/* execve succeeded: handled signals go back to their default; ignored stay ignored; no alternate stack. */
void lx_signal_exec(struct lx_proc *p);
/* Has p called execve since its fork (setpgid of a child then gives EACCES)? */
bool lx_signal_execed(struct lx_proc *p);
/* p ends: its signal state goes. */
void lx_signal_exit(struct lx_proc *p);
/* wait4: the status of a stop (WUNTRACED) or continue (WCONTINUED) of c not yet
 * reported, consumed; -1 when there is none. */
int lx_signal_wait_report(struct lx_proc *c, unsigned options);
/* Does child's parent ignore SIGCHLD (SIG_IGN or SA_NOCLDWAIT), so that no zombie stays? */
bool lx_signal_autoreap(struct lx_proc *child);

#endif
