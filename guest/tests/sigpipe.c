/*
 * sigpipe: signals and sleeping system calls, and SIGPIPE. A child signals
 * the parent while it sleeps: a read of an empty pipe runs again after a
 * handler with SA_RESTART (it returns the data) and gives EINTR without;
 * nanosleep gives EINTR and the time left; pause gives EINTR. Writing to a
 * pipe without a reader kills with SIGPIPE by default, gives EPIPE when
 * SIGPIPE is ignored, and EPIPE after the handler when it is handled.
 */
#include "lt.h"

const char lt_name[] = "sigpipe";

enum { SIGUSR1 = 10, SIGPIPE = 13 };
#define SA_RESTORER 0x04000000ul
#define SA_RESTART 0x10000000ul
#define SIG_IGN ((void *)1)
#define EPIPE 32

struct ksigaction {
	void *handler;
	unsigned long flags;
	void (*restorer)(void);
	unsigned long mask;
};

void sig_restorer(void);
__asm__(".text\n.globl sig_restorer\n.type sig_restorer, @function\nsig_restorer:\n"
	"\tmov $15, %eax\n\tsyscall\n\thlt\n");

static long sigaction(int sig, void *handler, unsigned long flags)
{
	struct ksigaction a = {handler, flags | SA_RESTORER, sig_restorer, 0};
	return lt_syscall6(13, sig, (long)&a, 0, 8, 0, 0);
}
static void sleep_ms(long ms)
{
	long ts[2] = {ms / 1000, (ms % 1000) * 1000000};
	lt_syscall(SYS_nanosleep, ts, 0, 0);
}

static volatile int count;
static void handler(int sig)
{
	(void)sig;
	count++;
}

/* A child that signals the parent after ms, then writes a byte to fd (if >= 0) after ms more. */
static long signaller(long ms, int fd)
{
	long parent = sys_getpid();
	long pid = sys_fork();
	if (pid == 0) {
		sleep_ms(ms);
		sys_kill((int)parent, SIGUSR1);
		if (fd >= 0) {
			sleep_ms(ms);
			sys_write(fd, "x", 1);
		}
		sys_exit(0);
	}
	return pid;
}

static void reap(long pid)
{
	int st;
	while (sys_wait4((int)pid, &st, 0, NULL) == -EINTR)
		;
}

static void test_restart(void)
{
	int fds[2];
	char c = 0;
	sys_pipe(fds);
	sigaction(SIGUSR1, handler, SA_RESTART);
	count = 0;
	long pid = signaller(100, fds[1]);
	long r = sys_read(fds[0], &c, 1);
	lt_check_eq(count, 1, "SA_RESTART: the handler ran during the read");
	lt_check(r == 1 && c == 'x', "SA_RESTART: the read went on and returned the data (%ld)", r);
	reap(pid);

	sigaction(SIGUSR1, handler, 0);
	count = 0;
	pid = signaller(100, fds[1]);
	r = sys_read(fds[0], &c, 1);
	lt_check_eq(count, 1, "without SA_RESTART: the handler ran during the read");
	lt_check_eq(r, -EINTR, "without SA_RESTART: the read gives EINTR");
	c = 0;
	r = sys_read(fds[0], &c, 1);
	lt_check(r == 1 && c == 'x', "the next read gets the data (%ld)", r);
	reap(pid);
	sys_close(fds[0]);
	sys_close(fds[1]);
}

static void test_sleeps(void)
{
	sigaction(SIGUSR1, handler, SA_RESTART);
	count = 0;
	long pid = signaller(100, -1);
	long ts[2] = {5, 0}, rem[2] = {-1, -1};
	long r = lt_syscall(SYS_nanosleep, ts, rem, 0);
	lt_check_eq(r, -EINTR, "nanosleep interrupted: EINTR, even with SA_RESTART");
	lt_check_eq(count, 1, "the handler ran");
	lt_check(rem[0] >= 0 && rem[0] < 5 && rem[1] >= 0 && rem[1] < 1000000000 && (rem[0] > 3),
		 "nanosleep wrote the time left (%ld.%09ld s)", rem[0], rem[1]);
	reap(pid);

	count = 0;
	pid = signaller(50, -1);
	r = lt_syscall(34, 0, 0, 0);
	lt_check_eq(r, -EINTR, "pause returns EINTR after the handler");
	lt_check_eq(count, 1, "the handler ran");
	reap(pid);
}

static void write_no_reader(void *arg)
{
	(void)arg;
	int fds[2];
	sys_pipe(fds);
	sys_close(fds[0]);
	sys_write(fds[1], "x", 1);
	sys_exit(3); /* not reached: SIGPIPE kills */
}

static void test_sigpipe(void)
{
	char buf[64];
	long st = lt_in_child(write_no_reader, 0);
	lt_check(st >= 0 && WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE,
		 "writing to a pipe without reader kills with SIGPIPE (%s)", lt_status_text(st, buf, sizeof buf));
	lt_check_eq(st & 0x80, 0, "SIGPIPE dumps no core");

	int fds[2];
	sys_pipe(fds);
	sys_close(fds[0]);
	sigaction(SIGPIPE, SIG_IGN, 0);
	lt_check_eq(sys_write(fds[1], "x", 1), -EPIPE, "SIGPIPE ignored: EPIPE");
	sigaction(SIGPIPE, handler, 0);
	count = 0;
	lt_check_eq(sys_write(fds[1], "x", 1), -EPIPE, "SIGPIPE handled: EPIPE");
	lt_check_eq(count, 1, "and the handler ran");
	sys_close(fds[1]);
	sigaction(SIGPIPE, 0, 0);
}

int main(void)
{
	test_restart();
	test_sleeps();
	test_sigpipe();
	return lt_finish();
}
