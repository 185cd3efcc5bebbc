/*
 * sighandler: signal handlers and masks. A handler runs with the right
 * arguments (signo, siginfo with SI_USER and the sender's pid, a ucontext
 * whose uc_sigmask is the mask before) and returns through rt_sigreturn with
 * every register intact (general registers, an XMM register, the FS-based
 * TLS); sa_mask and the signal itself are blocked while it runs; a blocked
 * signal stays pending (rt_sigpending) and is delivered when unblocked;
 * SIG_IGN drops a signal; SA_RESETHAND; sigaltstack (the handler's locals
 * lie on the alternate stack, SS_ONSTACK inside); rt_sigsuspend; SIGKILL and
 * SIGSTOP cannot be caught.
 */
#include "lt.h"

const char lt_name[] = "sighandler";

/* ---- the signal ABI (no libc) ---- */
enum { SIGHUP = 1, SIGUSR1 = 10, SIGUSR2 = 12, SIGSTOP = 19 };
#define SA_SIGINFO 4ul
#define SA_RESTORER 0x04000000ul
#define SA_ONSTACK 0x08000000ul
#define SA_RESETHAND 0x80000000ul
#define SIG_DFL ((void *)0)
#define SIG_IGN ((void *)1)
#define BIT(s) (1ul << ((s) - 1))
enum { SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2 };
enum { SS_ONSTACK = 1, SS_DISABLE = 2 };

struct ksigaction {
	void *handler;
	unsigned long flags;
	void (*restorer)(void);
	unsigned long mask;
};
struct kstack {
	void *sp;
	int flags, pad;
	unsigned long size;
};
struct ksiginfo {
	int signo, errno_, code, pad;
	union {
		struct {
			int pid, uid;
		} kill;
		void *addr;
	};
	char rest[96];
};
struct kucontext {
	unsigned long flags, link;
	struct kstack stack;
	unsigned long gregs[23];
	void *fpstate;
	unsigned long reserved[8];
	unsigned long sigmask;
};

void sig_restorer(void);
__asm__(".text\n.globl sig_restorer\n.type sig_restorer, @function\nsig_restorer:\n"
	"\tmov $15, %eax\n\tsyscall\n\thlt\n");

static long sigaction(int sig, void *handler, unsigned long flags, unsigned long mask, struct ksigaction *old)
{
	struct ksigaction a = {handler, flags | SA_RESTORER, sig_restorer, mask};
	return lt_syscall6(13, sig, (long)&a, (long)old, 8, 0, 0);
}
static long sigprocmask(int how, const unsigned long *set, unsigned long *old)
{
	return lt_syscall6(14, how, (long)set, (long)old, 8, 0, 0);
}
static unsigned long blocked_now(void)
{
	unsigned long m = ~0ul;
	sigprocmask(SIG_BLOCK, NULL, &m);
	return m;
}
static unsigned long pending_now(void)
{
	unsigned long m = ~0ul;
	lt_syscall(127, &m, 8, 0);
	return m;
}

/* ---- what the handler saw ---- */
static volatile int count, seen_sig, seen_code, seen_pid;
static volatile unsigned long seen_uc_mask, seen_blocked, seen_tls, seen_local, seen_ss_flags;

static void handler(int sig, struct ksiginfo *si, struct kucontext *uc)
{
	count++;
	seen_sig = sig;
	seen_code = si->code;
	seen_pid = si->kill.pid;
	seen_uc_mask = uc->sigmask;
	seen_blocked = blocked_now();
	/* trample the caller-saved registers the interrupted code uses */
	__asm__ volatile("mov $-1, %%rdx\n\tmov $-1, %%r8\n\tmov $-1, %%r9\n\tmov $-1, %%r10\n\tmov $-1, %%rdi\n\t"
			 "mov $-1, %%rsi\n\tpcmpeqd %%xmm7, %%xmm7\n\tpcmpeqd %%xmm15, %%xmm15"
			 ::: "rdx", "r8", "r9", "r10", "rdi", "rsi", "xmm7", "xmm15");
	unsigned long tls;
	__asm__ volatile("mov %%fs:0, %0" : "=r"(tls));
	seen_tls = tls;
}

static void alt_handler(int sig)
{
	volatile int local = sig;
	seen_local = (unsigned long)&local;
	struct kstack ss;
	lt_syscall(131, 0, &ss, 0);
	seen_ss_flags = (unsigned long)ss.flags;
	count++;
}

/*
 * regs_around_kill(out, pid): loads known values into registers, sends
 * itself SIGUSR1 with kill (the handler runs before the call returns) and
 * stores what the registers hold afterwards: rbx rbp r12 r13 r14 r15 r8 r9
 * r10 rdx rdi rsi, xmm7, xmm15 (low quadwords), and kill's result.
 */
void regs_around_kill(unsigned long *out, long pid);
__asm__(".text\n.globl regs_around_kill\n.type regs_around_kill, @function\nregs_around_kill:\n"
	"\tpush %rbx\n\tpush %rbp\n\tpush %r12\n\tpush %r13\n\tpush %r14\n\tpush %r15\n\tpush %rdi\n"
	"\tmov %rsi, %rdi\n\tmov $10, %esi\n"
	"\tmovabs $0x1111111111111111, %rbx\n\tmovabs $0x2222222222222222, %rbp\n"
	"\tmovabs $0x3333333333333333, %r12\n\tmovabs $0x4444444444444444, %r13\n"
	"\tmovabs $0x5555555555555555, %r14\n\tmovabs $0x6666666666666666, %r15\n"
	"\tmovabs $0x7777777777777777, %r8\n\tmovabs $0x8888888888888888, %r9\n"
	"\tmovabs $0x9999999999999999, %r10\n\tmovabs $0xaaaaaaaaaaaaaaaa, %rdx\n"
	"\tmovabs $0xbbbbbbbbbbbbbbbb, %rax\n\tmovq %rax, %xmm7\n"
	"\tmovabs $0xcccccccccccccccc, %rax\n\tmovq %rax, %xmm15\n"
	"\tmov $62, %eax\n\tsyscall\n"
	"\tmov %rax, %r11\n\tmov (%rsp), %rax\n"
	"\tmov %rbx, 0(%rax)\n\tmov %rbp, 8(%rax)\n\tmov %r12, 16(%rax)\n\tmov %r13, 24(%rax)\n"
	"\tmov %r14, 32(%rax)\n\tmov %r15, 40(%rax)\n\tmov %r8, 48(%rax)\n\tmov %r9, 56(%rax)\n"
	"\tmov %r10, 64(%rax)\n\tmov %rdx, 72(%rax)\n\tmov %rdi, 80(%rax)\n\tmov %rsi, 88(%rax)\n"
	"\tmovq %xmm7, %rcx\n\tmov %rcx, 96(%rax)\n\tmovq %xmm15, %rcx\n\tmov %rcx, 104(%rax)\n"
	"\tmov %r11, 112(%rax)\n"
	"\tpop %rdi\n\tpop %r15\n\tpop %r14\n\tpop %r13\n\tpop %r12\n\tpop %rbp\n\tpop %rbx\n\tret\n");

static unsigned long tls_block[4];
static unsigned char altstack[65536] __attribute__((aligned(16)));

static void test_handler_and_registers(void)
{
	long me = sys_getpid();
	tls_block[0] = 0x7157715771577157ul;
	lt_check_eq(lt_syscall(158, 0x1002 /* ARCH_SET_FS */, tls_block, 0), 0, "arch_prctl(ARCH_SET_FS)");
	lt_check_eq(sigaction(SIGUSR1, handler, SA_SIGINFO, BIT(SIGUSR2), NULL), 0, "sigaction(SIGUSR1, handler)");
	unsigned long before = BIT(SIGHUP);
	sigprocmask(SIG_SETMASK, &before, NULL);

	unsigned long out[15];
	count = 0;
	regs_around_kill(out, me);
	lt_check_eq(count, 1, "the handler ran once, before kill returned");
	lt_check_eq(seen_sig, SIGUSR1, "it got the signal number");
	lt_check_eq(seen_code, 0, "si_code is SI_USER");
	lt_check_eq(seen_pid, me, "si_pid is the sender");
	lt_check_eq((long)seen_uc_mask, (long)BIT(SIGHUP), "uc_sigmask is the mask before the handler");
	lt_check_eq((long)seen_blocked, (long)(BIT(SIGHUP) | BIT(SIGUSR1) | BIT(SIGUSR2)),
		    "in the handler: the old mask, sa_mask and the signal itself are blocked");
	lt_check(seen_tls == tls_block[0], "the handler sees the FS-based TLS");
	static const unsigned long want[12] = {
		0x1111111111111111ul, 0x2222222222222222ul, 0x3333333333333333ul, 0x4444444444444444ul,
		0x5555555555555555ul, 0x6666666666666666ul, 0x7777777777777777ul, 0x8888888888888888ul,
		0x9999999999999999ul, 0xaaaaaaaaaaaaaaaaul, 0, 10};
	static const char *const names[12] = {"rbx", "rbp", "r12", "r13", "r14", "r15", "r8", "r9", "r10", "rdx",
					      "rdi", "rsi"};
	int regs_ok = 1;
	for (int i = 0; i < 12; i++) {
		unsigned long w = i == 10 ? (unsigned long)me : want[i];
		if (out[i] != w) {
			lt_check(0, "%s after the handler: 0x%lx, expected 0x%lx", names[i], out[i], w);
			regs_ok = 0;
		}
	}
	lt_check(regs_ok, "the general registers are intact after the handler");
	lt_check(out[12] == 0xbbbbbbbbbbbbbbbbul, "xmm7 is intact after the handler (0x%lx)", out[12]);
	lt_check(out[13] == 0xccccccccccccccccul, "xmm15 is intact after the handler (0x%lx)", out[13]);
	lt_check_eq((long)out[14], 0, "kill returned 0");
	unsigned long tls;
	__asm__ volatile("mov %%fs:0, %0" : "=r"(tls));
	lt_check(tls == tls_block[0], "the FS-based TLS is intact after the handler");
	lt_check_eq((long)blocked_now(), (long)BIT(SIGHUP), "the mask is back after the handler");
	unsigned long none = 0;
	sigprocmask(SIG_SETMASK, &none, NULL);
}

static void test_mask(void)
{
	long me = sys_getpid();
	unsigned long set = BIT(SIGUSR1);
	count = 0;
	lt_check_eq(sigprocmask(SIG_BLOCK, &set, NULL), 0, "block SIGUSR1");
	sys_kill((int)me, SIGUSR1);
	lt_check_eq(count, 0, "a blocked signal is not delivered");
	lt_check(pending_now() & BIT(SIGUSR1), "rt_sigpending shows it");
	sys_kill((int)me, SIGUSR1);
	lt_check_eq(sigprocmask(SIG_UNBLOCK, &set, NULL), 0, "unblock SIGUSR1");
	lt_check_eq(count, 1, "unblocking delivers it, once (standard signals do not queue)");
	lt_check_eq((long)pending_now(), 0, "nothing is pending then");
	unsigned long all = ~0ul, got = 0;
	sigprocmask(SIG_SETMASK, &all, NULL);
	sigprocmask(SIG_SETMASK, NULL, &got);
	lt_check_eq((long)got, (long)(~0ul & ~(BIT(9) | BIT(SIGSTOP))), "SIGKILL and SIGSTOP cannot be blocked");
	unsigned long none = 0;
	sigprocmask(SIG_SETMASK, &none, NULL);
	lt_check_eq(lt_syscall6(14, 7, (long)&none, 0, 8, 0, 0), -EINVAL, "rt_sigprocmask with a bad how: EINVAL");
	lt_check_eq(lt_syscall6(14, SIG_BLOCK, (long)&none, 0, 4, 0, 0), -EINVAL,
		    "rt_sigprocmask with sigsetsize 4: EINVAL");
}

static void test_actions(void)
{
	long me = sys_getpid();
	lt_check_eq(sigaction(9, handler, 0, 0, NULL), -EINVAL, "sigaction(SIGKILL): EINVAL");
	lt_check_eq(sigaction(SIGSTOP, SIG_IGN, 0, 0, NULL), -EINVAL, "sigaction(SIGSTOP): EINVAL");
	lt_check_eq(sigaction(0, handler, 0, 0, NULL), -EINVAL, "sigaction(0): EINVAL");
	lt_check_eq(sigaction(65, handler, 0, 0, NULL), -EINVAL, "sigaction(65): EINVAL");
	struct ksigaction old;
	lt_check_eq(lt_syscall6(13, 9, 0, (long)&old, 8, 0, 0), 0, "reading SIGKILL's action works");

	lt_check_eq(sigaction(SIGUSR2, SIG_IGN, 0, 0, NULL), 0, "SIGUSR2 ignored");
	sys_kill((int)me, SIGUSR2);
	lt_check(1, "an ignored signal does nothing");

	count = 0;
	sigaction(SIGUSR2, handler, SA_SIGINFO | SA_RESETHAND, 0, NULL);
	sys_kill((int)me, SIGUSR2);
	lt_check_eq(count, 1, "SA_RESETHAND: the handler runs");
	lt_syscall6(13, SIGUSR2, 0, (long)&old, 8, 0, 0);
	lt_check(old.handler == SIG_DFL, "SA_RESETHAND: then the action is SIG_DFL");

	sigaction(SIGUSR1, handler, SA_SIGINFO, 0, NULL);
	lt_syscall6(13, SIGUSR1, 0, (long)&old, 8, 0, 0);
	lt_check(old.handler == (void *)handler && (old.flags & SA_SIGINFO) && old.restorer == sig_restorer,
		 "sigaction reports the handler, flags and restorer set");
}

static void test_altstack(void)
{
	long me = sys_getpid();
	struct kstack ss = {altstack, 0, 0, 1024}, old;
	lt_check_eq(lt_syscall(131, &ss, 0, 0), -ENOMEM, "sigaltstack smaller than MINSIGSTKSZ: ENOMEM");
	ss.size = sizeof(altstack);
	lt_check_eq(lt_syscall(131, &ss, 0, 0), 0, "sigaltstack(64 KiB)");
	lt_check_eq(lt_syscall(131, 0, &old, 0), 0, "reading it back");
	lt_check(old.sp == altstack && old.size == sizeof(altstack) && old.flags == 0,
		 "it is as set, not in use (flags %d)", old.flags);

	sigaction(SIGUSR2, alt_handler, SA_ONSTACK, 0, NULL);
	count = 0;
	sys_kill((int)me, SIGUSR2);
	lt_check_eq(count, 1, "the SA_ONSTACK handler ran");
	unsigned long lo = (unsigned long)altstack, hi = lo + sizeof(altstack);
	lt_check(seen_local >= lo && seen_local < hi, "its local variable lies on the alternate stack (%p)",
		 (void *)seen_local);
	lt_check_eq((long)seen_ss_flags, SS_ONSTACK, "sigaltstack in the handler says SS_ONSTACK");

	sigaction(SIGUSR2, alt_handler, 0, 0, NULL);
	sys_kill((int)me, SIGUSR2);
	lt_check(seen_local < lo || seen_local >= hi, "without SA_ONSTACK it runs on the normal stack");
	ss.flags = SS_DISABLE;
	lt_check_eq(lt_syscall(131, &ss, 0, 0), 0, "sigaltstack(SS_DISABLE)");
	lt_syscall(131, 0, &old, 0);
	lt_check_eq(old.flags, SS_DISABLE, "then it reads back as SS_DISABLE");
}

static void test_sigsuspend(void)
{
	long me = sys_getpid();
	sigaction(SIGUSR1, handler, SA_SIGINFO, 0, NULL);
	unsigned long set = BIT(SIGUSR1), none = 0;
	sigprocmask(SIG_SETMASK, &set, NULL);
	count = 0;
	sys_kill((int)me, SIGUSR1);
	lt_check_eq(lt_syscall(130, &none, 8, 0), -EINTR, "rt_sigsuspend with a pending signal: EINTR at once");
	lt_check_eq(count, 1, "its handler ran");
	lt_check_eq((long)seen_uc_mask, (long)BIT(SIGUSR1), "the handler's uc_sigmask is the mask before sigsuspend");
	lt_check_eq((long)blocked_now(), (long)BIT(SIGUSR1), "rt_sigsuspend restored the mask");

	/* a child wakes the parent sleeping in rt_sigsuspend */
	count = 0;
	long pid = sys_fork();
	if (pid == 0) {
		struct { long s, ns; } ts = {0, 50000000};
		lt_syscall(SYS_nanosleep, &ts, 0, 0);
		sys_kill((int)me, SIGUSR1);
		sys_exit(0);
	}
	lt_check_eq(lt_syscall(130, &none, 8, 0), -EINTR, "rt_sigsuspend sleeps until a signal: EINTR");
	lt_check_eq(count, 1, "the handler ran");
	int st;
	sys_wait4((int)pid, &st, 0, NULL);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

int main(void)
{
	test_handler_and_registers();
	test_mask();
	test_actions();
	test_altstack();
	test_sigsuspend();
	return lt_finish();
}
