/*
 * sigfault: CPU faults become signals a handler can catch, with Linux's
 * siginfo: SIGSEGV with SEGV_MAPERR (no mapping) or SEGV_ACCERR (a write to
 * a read-only page) and si_addr the address; #GP (hlt in user mode) SIGSEGV
 * with SI_KERNEL; ud2 SIGILL ILL_ILLOPN at its rip; division by zero SIGFPE
 * FPE_INTDIV; int3 SIGTRAP. The handler moves the interrupted rip in the
 * ucontext past the fault. A fault whose signal is blocked kills. Default
 * actions and their wait status: SIGTERM and SIGKILL terminate (status =
 * the number), SIGSEGV and SIGABRT dump core (on lx also the 0x80 bit; on the
 * host that bit depends on its core-dump settings).
 */
#include "lt.h"

const char lt_name[] = "sigfault";

enum { SIGBUS = 7, SIGUSR1 = 10, SIGABRT = 6, SIGTERM = 15 };
#define SA_SIGINFO 4ul
#define SA_RESTORER 0x04000000ul
#define SA_NODEFER 0x40000000ul
#define BIT(s) (1ul << ((s) - 1))
enum { REG_RIP = 16 };

struct ksigaction {
	void *handler;
	unsigned long flags;
	void (*restorer)(void);
	unsigned long mask;
};
struct ksiginfo {
	int signo, errno_, code, pad;
	void *addr;
	char rest[104];
};
struct kucontext {
	unsigned long flags, link;
	unsigned long stack[3];
	unsigned long gregs[23];
	void *fpstate;
	unsigned long reserved[8];
	unsigned long sigmask;
};

void sig_restorer(void);
__asm__(".text\n.globl sig_restorer\n.type sig_restorer, @function\nsig_restorer:\n"
	"\tmov $15, %eax\n\tsyscall\n\thlt\n");

static long sigaction(int sig, void *handler, unsigned long flags)
{
	struct ksigaction a = {handler, flags | SA_RESTORER, sig_restorer, 0};
	return lt_syscall6(13, sig, (long)&a, 0, 8, 0, 0);
}

static volatile int seen_sig, seen_code, count;
static volatile unsigned long seen_addr, seen_rip, fault_rip, recover_rip;

static void handler(int sig, struct ksiginfo *si, struct kucontext *uc)
{
	count++;
	seen_sig = sig;
	seen_code = si->code;
	seen_addr = (unsigned long)si->addr;
	seen_rip = uc->gregs[REG_RIP];
	uc->gregs[REG_RIP] = recover_rip; /* go on after the faulting instruction */
}

/* Each fault: fault_rip = the faulting instruction, recover_rip = after it. */
static void read_at(unsigned long addr)
{
	__asm__ volatile("lea 1f(%%rip), %%rax\n\tmov %%rax, %0\n\tlea 2f(%%rip), %%rax\n\tmov %%rax, %1\n"
			 "1:\tmov (%2), %%eax\n2:"
			 : "=m"(fault_rip), "=m"(recover_rip)
			 : "r"(addr)
			 : "rax", "memory");
}

static void write_at(unsigned long addr)
{
	__asm__ volatile("lea 1f(%%rip), %%rax\n\tmov %%rax, %0\n\tlea 2f(%%rip), %%rax\n\tmov %%rax, %1\n"
			 "1:\tmovl $1, (%2)\n2:"
			 : "=m"(fault_rip), "=m"(recover_rip)
			 : "r"(addr)
			 : "rax", "memory");
}

/* pre: the setup; insn: the faulting instruction */
#define FAULT_INSN(name, pre, insn, clobbers...)                                                               \
	static void name(void)                                                                                 \
	{                                                                                                      \
		__asm__ volatile(pre "\n\tlea 1f(%%rip), %%rax\n\tmov %%rax, %0\n\tlea 2f(%%rip), %%rax\n\t"    \
				 "mov %%rax, %1\n\tmov $7, %%eax\n1:\t" insn "\n2:"                          \
				 : "=m"(fault_rip), "=m"(recover_rip)                                          \
				 :                                                                             \
				 : "rax", "memory", ##clobbers);                                               \
	}
FAULT_INSN(do_ud2, "", "ud2")
FAULT_INSN(do_hlt, "", "hlt")
FAULT_INSN(do_div0, "xor %%ecx, %%ecx\n\txor %%edx, %%edx", "divl %%ecx", "rcx", "rdx")
FAULT_INSN(do_int3, "", "int3")

static void caught(void (*fn)(void), int sig, int code, int check_addr, unsigned long addr, const char *what)
{
	count = 0;
	seen_sig = seen_code = 0;
	fn();
	lt_check(count == 1 && seen_sig == sig, "%s: the handler caught signal %d (count %d, signal %d)", what, sig,
		 count, seen_sig);
	lt_check_eq(seen_code, code, "%s: si_code", what);
	if (check_addr)
		lt_check(seen_addr == addr, "%s: si_addr is 0x%lx (got 0x%lx)", what, addr, seen_addr);
}

static unsigned long segv_addr;
static void read_bad(void) { read_at(segv_addr); }
static void write_bad(void) { write_at(segv_addr); }

static int on_lx(void)
{
	char u[6 * 65];
	return sys_uname(u) == 0 && strncmp(u + 2 * 65, "6.1.0-pecan-lx", 14) == 0;
}

static void kill_self(void *arg)
{
	sigaction((int)(long)arg, 0 /* SIG_DFL */, 0);
	sys_kill((int)sys_getpid(), (int)(long)arg);
}

static void fault_blocked(void *arg)
{
	(void)arg;
	sigaction(11, handler, SA_SIGINFO);
	unsigned long set = BIT(11);
	lt_syscall6(14, 0, (long)&set, 0, 8, 0, 0);
	read_at(16); /* SIGSEGV blocked: this kills */
	sys_exit(3);
}

static void default_status(int sig, int core, const char *what)
{
	char buf[64];
	long st = lt_in_child(kill_self, (void *)(long)sig);
	lt_check(st >= 0 && WIFSIGNALED(st) && WTERMSIG(st) == sig, "%s: the child is killed by signal %d (%s)", what,
		 sig, lt_status_text(st, buf, sizeof buf));
	if (on_lx() || !core)
		lt_check_eq(st & 0x80, core ? 0x80 : 0, "%s: the core-dump bit", what);
}

int main(void)
{
	lt_no_core_dumps();
	for (int s = 4; s <= 11; s++)
		sigaction(s, handler, SA_SIGINFO | SA_NODEFER);

	segv_addr = 16;
	caught(read_bad, 11, 1 /* SEGV_MAPERR */, 1, 16, "reading address 16");
	lt_check(seen_rip == fault_rip, "reading address 16: uc_mcontext's rip is the faulting instruction");
	segv_addr = 0x10000000000ul;
	caught(write_bad, 11, 1, 1, segv_addr, "writing an unmapped address");
	long page = sys_mmap(0, PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	segv_addr = (unsigned long)page + 8;
	count = 0;
	read_bad();
	lt_check_eq(count, 0, "reading a read-only page: no signal");
	caught(write_bad, 11, 2 /* SEGV_ACCERR */, 1, segv_addr, "writing a read-only page");
	caught(do_hlt, 11, 0x80 /* SI_KERNEL */, 1, 0, "hlt in user mode (#GP)");
	caught(do_ud2, 4, 2 /* ILL_ILLOPN */, 0, 0, "ud2");
	lt_check(seen_addr == fault_rip, "ud2: si_addr is its address");
	caught(do_div0, 8, 1 /* FPE_INTDIV */, 0, 0, "dividing by zero");
	lt_check(seen_addr == fault_rip, "dividing by zero: si_addr is the divide's address");
	caught(do_int3, 5, 0x80, 0, 0, "int3");
	lt_check(seen_rip == recover_rip, "int3: the rip is after the instruction (a trap)");

	char buf[64];
	long st = lt_in_child(fault_blocked, 0);
	lt_check(st >= 0 && WIFSIGNALED(st) && WTERMSIG(st) == 11, "a fault with SIGSEGV blocked kills (%s)",
		 lt_status_text(st, buf, sizeof buf));

	default_status(SIGTERM, 0, "SIGTERM");
	default_status(9, 0, "SIGKILL");
	default_status(11, 1, "SIGSEGV by kill");
	default_status(SIGABRT, 1, "SIGABRT");
	return lt_finish();
}
