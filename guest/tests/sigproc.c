/*
 * sigproc: signals between processes, process groups and sessions.
 * SIGCHLD comes when a child exits (si_pid, si_status, CLD_EXITED);
 * kill(-pgid) reaches every process of a group; setpgid, setsid, getpgid,
 * getsid follow Linux's rules (EPERM for a group leader's setsid, for a
 * session leader's setpgid, for another session or a group that does not
 * exist; ESRCH for a process that is not a child; EACCES for a child that
 * has called execve); SIGSTOP and SIGTSTP stop a child (wait4 WUNTRACED:
 * 0x7f | signo << 8, and SIGCHLD), SIGCONT resumes it (WCONTINUED: 0xffff).
 *
 * `sigproc --pause FD` (used by the test itself after execve) writes a byte
 * to FD and waits for signals.
 */
#include "lt.h"

const char lt_name[] = "sigproc";

enum { SIGUSR1 = 10, SIGTERM = 15, SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19, SIGTSTP = 20 };
#define SA_SIGINFO 4ul
#define SA_RESTORER 0x04000000ul
#define BIT(s) (1ul << ((s) - 1))
enum { SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2 };
#define WUNTRACED 2
#define WCONTINUED 8

struct ksigaction {
	void *handler;
	unsigned long flags;
	void (*restorer)(void);
	unsigned long mask;
};
struct ksiginfo {
	int signo, errno_, code, pad;
	int pid, uid, status, pad2;
	char rest[96];
};

void sig_restorer(void);
__asm__(".text\n.globl sig_restorer\n.type sig_restorer, @function\nsig_restorer:\n"
	"\tmov $15, %eax\n\tsyscall\n\thlt\n");

static long sigaction(int sig, void *handler, unsigned long flags)
{
	struct ksigaction a = {handler, flags | SA_RESTORER, sig_restorer, 0};
	return lt_syscall6(13, sig, (long)&a, 0, 8, 0, 0);
}
static long sigmask(int how, unsigned long set)
{
	return lt_syscall6(14, how, (long)&set, 0, 8, 0, 0);
}
static unsigned long pending_now(void)
{
	unsigned long m = 0;
	lt_syscall(127, &m, 8, 0);
	return m;
}
static long setpgid(long pid, long pgid) { return lt_syscall(109, pid, pgid, 0); }
static long getpgid(long pid) { return lt_syscall(121, pid, 0, 0); }
static long getpgrp(void) { return lt_syscall(111, 0, 0, 0); }
static long setsid(void) { return lt_syscall(112, 0, 0, 0); }
static long getsid(long pid) { return lt_syscall(124, pid, 0, 0); }
static void sleep_ms(long ms)
{
	long ts[2] = {ms / 1000, (ms % 1000) * 1000000};
	lt_syscall(SYS_nanosleep, ts, 0, 0);
}
static void pause_forever(void)
{
	for (;;)
		lt_syscall(34, 0, 0, 0);
}
static long wait_for(long pid, int options, int *status)
{
	long r;
	do
		r = sys_wait4((int)pid, status, options, NULL);
	while (r == -EINTR);
	return r;
}

static volatile int chld_count, chld_code, chld_pid, chld_status;

static void on_chld(int sig, struct ksiginfo *si, void *uc)
{
	(void)sig, (void)uc;
	chld_count++;
	chld_code = si->code;
	chld_pid = si->pid;
	chld_status = si->status;
}

static void test_sigchld(void)
{
	sigaction(SIGCHLD, on_chld, SA_SIGINFO);
	sigmask(SIG_BLOCK, BIT(SIGCHLD));
	chld_count = 0;
	long pid = sys_fork();
	if (pid == 0)
		sys_exit(7);
	int st = 0;
	lt_check_eq(wait_for(pid, 0, &st), pid, "wait4 reaps the child");
	lt_check(pending_now() & BIT(SIGCHLD), "SIGCHLD is pending (blocked) after the child's exit");
	sigmask(SIG_UNBLOCK, BIT(SIGCHLD));
	lt_check_eq(chld_count, 1, "unblocked, the SIGCHLD handler ran");
	lt_check_eq(chld_code, 1, "si_code CLD_EXITED");
	lt_check_eq(chld_pid, pid, "si_pid is the child");
	lt_check_eq(chld_status, 7, "si_status is its exit code");
	sigaction(SIGCHLD, 0, 0);
}

static void test_kill_group(void)
{
	long a = sys_fork();
	if (a == 0)
		pause_forever();
	long b = sys_fork();
	if (b == 0)
		pause_forever();
	lt_check_eq(setpgid(a, a), 0, "setpgid(child a, a): a new group");
	lt_check_eq(setpgid(b, a), 0, "setpgid(child b, a): b joins it");
	lt_check_eq(getpgid(a), a, "getpgid(a)");
	lt_check_eq(getpgid(b), a, "getpgid(b)");
	lt_check_eq(sys_kill((int)-a, 0), 0, "kill(-pgid, 0) finds the group");
	lt_check_eq(sys_kill((int)-a, SIGTERM), 0, "kill(-pgid, SIGTERM)");
	int sa = 0, sb = 0;
	lt_check_eq(wait_for(a, 0, &sa), a, "wait4(a)");
	lt_check_eq(wait_for(b, 0, &sb), b, "wait4(b)");
	lt_check(WIFSIGNALED(sa) && WTERMSIG(sa) == SIGTERM, "a was killed by SIGTERM (0x%x)", sa);
	lt_check(WIFSIGNALED(sb) && WTERMSIG(sb) == SIGTERM, "b was killed by SIGTERM (0x%x)", sb);
	lt_check_eq(sys_kill((int)-a, 0), -ESRCH, "then kill(-pgid, 0): ESRCH");
}

static void child_sessions(void *arg)
{
	(void)arg;
	long me = sys_getpid();
	lt_check_eq(setpgid(0, 0), 0, "child: setpgid(0, 0) makes it a group leader");
	lt_check_eq(getpgrp(), me, "child: getpgrp() is its pid");
	lt_check_eq(setsid(), -EPERM, "child: setsid() as a group leader: EPERM");
	long pid = sys_fork();
	if (pid == 0) {
		long gc = sys_getpid();
		long old_sid = getsid(0);
		lt_check_eq(setsid(), gc, "grandchild: setsid() returns its pid");
		lt_check_eq(getsid(0), gc, "grandchild: getsid(0) is its pid");
		lt_check_eq(getpgrp(), gc, "grandchild: it leads a new group");
		lt_check(old_sid != gc, "grandchild: the session changed");
		lt_check_eq(setpgid(0, 0), -EPERM, "grandchild: setpgid as a session leader: EPERM");
		lt_check_eq(setsid(), -EPERM, "grandchild: a second setsid(): EPERM");
		sys_exit(lt_failures() ? 1 : 0);
	}
	int st = 0;
	wait_for(pid, 0, &st);
	lt_check_eq(st, 0, "child: the grandchild's checks passed");
	sys_exit(lt_failures() ? 1 : 0);
}

static void test_sessions(void)
{
	lt_check_eq(getsid(0), getsid(sys_getpid()), "getsid(0) is getsid(own pid)");
	lt_check_eq(getpgid(0), getpgrp(), "getpgid(0) is getpgrp()");
	lt_check_eq(setpgid(0, -1), -EINVAL, "setpgid(0, -1): EINVAL");
	lt_check_eq(setpgid(0, 0x7ffffff0), -EPERM, "setpgid to a group that does not exist: EPERM");
	lt_check_eq(getsid(0x7ffffff0), -ESRCH, "getsid of no process: ESRCH");
	lt_check_eq(setpgid(sys_getppid(), 0), -ESRCH, "setpgid of the parent (not a child): ESRCH");
	long st = lt_in_child(child_sessions, 0);
	lt_check_eq(st, 0, "the child's checks passed");

	/* a child in another session; then one that called execve */
	int fds[2];
	sys_pipe(fds);
	long pid = sys_fork();
	if (pid == 0) {
		setsid();
		sys_write(fds[1], "s", 1);
		pause_forever();
	}
	char c;
	sys_read(fds[0], &c, 1);
	lt_check_eq(getsid(pid), pid, "getsid(child) after its setsid");
	lt_check_eq(setpgid(pid, pid), -EPERM, "setpgid of a child in another session: EPERM");
	sys_kill((int)pid, 9);
	int ws;
	wait_for(pid, 0, &ws);

	pid = sys_fork();
	if (pid == 0) {
		char fd[8];
		lt_snprintf(fd, sizeof fd, "%d", fds[1]);
		char *argv[] = {lt_argv[0], "--pause", fd, NULL};
		sys_execve(lt_argv[0], argv, lt_envp);
		sys_exit(127);
	}
	lt_check_eq(sys_read(fds[0], &c, 1), 1, "the child ran execve");
	lt_check_eq(setpgid(pid, pid), -EACCES, "setpgid of a child after its execve: EACCES");
	sys_kill((int)pid, 9);
	wait_for(pid, 0, &ws);
	lt_check(WIFSIGNALED(ws) && WTERMSIG(ws) == 9, "SIGKILL ended it (0x%x)", ws);
	sys_close(fds[0]);
	sys_close(fds[1]);
}

static void test_stop_continue(void)
{
	sigmask(SIG_BLOCK, BIT(SIGCHLD));
	long pid = sys_fork();
	if (pid == 0) {
		sigmask(SIG_UNBLOCK, BIT(SIGCHLD));
		pause_forever();
	}
	sleep_ms(20);
	int st = 0;
	lt_check_eq(sys_wait4((int)pid, &st, 1 /* WNOHANG */, NULL), 0, "WNOHANG: nothing to report yet");
	lt_check_eq(sys_kill((int)pid, SIGSTOP), 0, "kill(child, SIGSTOP)");
	lt_check_eq(wait_for(pid, WUNTRACED, &st), pid, "wait4(WUNTRACED) reports the stop");
	lt_check_eq(st, 0x7f | (SIGSTOP << 8), "the status is 0x7f | SIGSTOP << 8");
	lt_check(pending_now() & BIT(SIGCHLD), "the parent got SIGCHLD for the stop");
	lt_check_eq(sys_wait4((int)pid, &st, 1 | WUNTRACED, NULL), 0, "the stop is reported once");
	lt_check_eq(sys_kill((int)pid, SIGCONT), 0, "kill(child, SIGCONT)");
	lt_check_eq(wait_for(pid, WCONTINUED, &st), pid, "wait4(WCONTINUED) reports the continue");
	lt_check_eq(st, 0xffff, "the status is 0xffff");
	lt_check_eq(sys_kill((int)pid, SIGTSTP), 0, "kill(child, SIGTSTP)");
	lt_check_eq(wait_for(pid, WUNTRACED, &st), pid, "wait4(WUNTRACED) reports that stop");
	lt_check_eq(st, 0x7f | (SIGTSTP << 8), "the status is 0x7f | SIGTSTP << 8");
	lt_check_eq(sys_kill((int)pid, SIGTERM), 0, "SIGTERM to the stopped child");
	lt_check_eq(sys_kill((int)pid, SIGCONT), 0, "and SIGCONT");
	lt_check_eq(wait_for(pid, 0, &st), pid, "wait4 reaps it");
	lt_check(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM, "it died of SIGTERM once continued (0x%x)", st);
	lt_check_eq(sys_wait4(-1, &st, 1, NULL), -ECHILD, "no children left");
	/* throw away the SIGCHLDs */
	sigaction(SIGCHLD, (void *)1, 0);
	sigaction(SIGCHLD, 0, 0);
	sigmask(SIG_UNBLOCK, BIT(SIGCHLD));
}

int main(int argc, char **argv)
{
	if (argc > 2 && strcmp(argv[1], "--pause") == 0) {
		int fd = argv[2][0] - '0';
		if (argv[2][1])
			fd = fd * 10 + argv[2][1] - '0';
		sys_write(fd, "e", 1);
		pause_forever();
	}
	test_sigchld();
	test_kill_group();
	test_sessions();
	test_stop_continue();
	return lt_finish();
}
