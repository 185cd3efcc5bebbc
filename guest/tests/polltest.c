/*
 * polltest: poll, ppoll, select and pselect6 on pipes: with and without
 * data, timeouts (how long they waited), a wait that another process ends
 * by writing (one pipe, and one of two pipes), POLLHUP once the writers
 * are gone, POLLERR on a write end without readers, POLLNVAL and EBADF for
 * bad descriptors.
 */
#include "lt.h"

const char lt_name[] = "polltest";

enum { SYS_poll = 7, SYS_select = 23, SYS_clock_gettime = 228, SYS_pselect6 = 270, SYS_ppoll = 271 };
enum { POLLIN = 1, POLLOUT = 4, POLLERR = 8, POLLHUP = 16, POLLNVAL = 32 };

struct pollfd {
	int fd;
	short events, revents;
};
struct timespec {
	long sec, nsec;
};

static long poll_(struct pollfd *f, unsigned long n, int ms) { return lt_syscall(SYS_poll, f, n, ms); }

static long now_ms(void)
{
	struct timespec ts;
	lt_syscall(SYS_clock_gettime, 1 /* CLOCK_MONOTONIC */, &ts, 0);
	return ts.sec * 1000 + ts.nsec / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
	lt_syscall(SYS_nanosleep, &ts, 0, 0);
}

/* select's fd_set for descriptors below 64 */
static long select1(int nfds, unsigned long *rd, unsigned long *wr, long ms)
{
	long tv[2] = {ms / 1000, (ms % 1000) * 1000};
	return lt_syscall6(SYS_select, nfds, (long)rd, (long)wr, 0, ms < 0 ? 0 : (long)tv, 0);
}

/* A child that waits ms, writes one byte to fd and exits. */
static long writer_after(int fd, long ms)
{
	long pid = sys_fork();
	if (pid == 0) {
		sleep_ms(ms);
		sys_write(fd, "x", 1);
		sys_exit(0);
	}
	return pid;
}

static void reap(long pid)
{
	int st;
	if (pid > 0)
		sys_wait4((int)pid, &st, 0, NULL);
}

int main(void)
{
	int p[2], q[2];
	char c;
	lt_check_eq(sys_pipe(p), 0, "pipe");

	/* nothing to read: timeout 0 returns at once */
	struct pollfd f[2] = {{p[0], POLLIN, 0}, {p[1], POLLOUT, 0}};
	lt_check_eq(poll_(f, 1, 0), 0, "poll of an empty pipe with timeout 0 gives 0");
	lt_check_eq(f[0].revents, 0, "and no revents");
	lt_check_eq(poll_(&f[1], 1, 0), 1, "the write end is writable");
	lt_check_eq(f[1].revents, POLLOUT, "POLLOUT");

	/* a timeout is waited for */
	long t0 = now_ms();
	lt_check_eq(poll_(f, 1, 100), 0, "poll with timeout 100 ms on an empty pipe gives 0");
	long waited = now_ms() - t0;
	lt_check(waited >= 80 && waited < 2000, "it waited about 100 ms (%ld ms)", waited);

	/* data makes it readable */
	sys_write(p[1], "a", 1);
	lt_check_eq(poll_(f, 2, -1), 2, "with a byte in the pipe both ends are ready");
	lt_check_eq(f[0].revents, POLLIN, "POLLIN on the read end");
	sys_read(p[0], &c, 1);

	/* a wait ended by another process's write */
	long pid = writer_after(p[1], 100);
	t0 = now_ms();
	f[0].revents = 0;
	lt_check_eq(poll_(f, 1, 5000), 1, "poll wakes when a child writes after 100 ms");
	waited = now_ms() - t0;
	lt_check(f[0].revents == POLLIN && waited < 4000, "POLLIN, after %ld ms", waited);
	sys_read(p[0], &c, 1);
	reap(pid);

	/* one of two pipes */
	lt_check_eq(sys_pipe(q), 0, "a second pipe");
	struct pollfd two[2] = {{p[0], POLLIN, 0}, {q[0], POLLIN, 0}};
	pid = writer_after(q[1], 100);
	lt_check_eq(poll_(two, 2, 5000), 1, "poll of two pipes wakes for a write to the second");
	lt_check(two[0].revents == 0 && two[1].revents == POLLIN, "only the second is readable (%d %d)",
		 two[0].revents, two[1].revents);
	sys_read(q[0], &c, 1);
	reap(pid);

	/* select */
	unsigned long rd = 1ul << p[0], wr = 0;
	lt_check_eq(select1(p[0] + 1, &rd, NULL, 0), 0, "select of an empty pipe with timeout 0 gives 0");
	lt_check_eq((long)rd, 0, "and clears the set");
	t0 = now_ms();
	rd = 1ul << p[0];
	lt_check_eq(select1(p[0] + 1, &rd, NULL, 60), 0, "select with timeout 60 ms gives 0");
	waited = now_ms() - t0;
	lt_check(waited >= 40 && waited < 2000, "it waited about 60 ms (%ld ms)", waited);
	sys_write(p[1], "b", 1);
	rd = 1ul << p[0];
	wr = 1ul << p[1];
	int nfds = (p[0] > p[1] ? p[0] : p[1]) + 1;
	lt_check_eq(select1(nfds, &rd, &wr, -1), 2, "select: readable and writable");
	lt_check(rd == 1ul << p[0] && wr == 1ul << p[1], "both bits stay set");
	rd = 1ul << 60;
	lt_check_eq(select1(61, &rd, NULL, 0), -EBADF, "select of a closed descriptor gives EBADF");

	/* ppoll and pselect6 with a timespec */
	struct timespec ts = {0, 0};
	lt_check_eq(lt_syscall6(SYS_ppoll, (long)f, 1, (long)&ts, 0, 8, 0), 1, "ppoll sees the byte");
	sys_read(p[0], &c, 1);
	ts.nsec = 50000000;
	t0 = now_ms();
	lt_check_eq(lt_syscall6(SYS_ppoll, (long)f, 1, (long)&ts, 0, 8, 0), 0, "ppoll times out after 50 ms");
	waited = now_ms() - t0;
	lt_check(waited >= 30 && waited < 2000, "ppoll waited %ld ms", waited);
	rd = 1ul << p[0];
	ts.sec = 0, ts.nsec = 0;
	lt_check_eq(lt_syscall6(SYS_pselect6, p[0] + 1, (long)&rd, 0, 0, (long)&ts, 0), 0, "pselect6 of an empty pipe");

	/* bad descriptors */
	struct pollfd bad[2] = {{60, POLLIN, 0}, {-1, POLLIN, 0}};
	lt_check_eq(poll_(bad, 2, 0), 1, "poll of a closed fd counts it");
	lt_check(bad[0].revents == POLLNVAL && bad[1].revents == 0, "POLLNVAL; a negative fd is skipped");
	lt_check_eq(poll_((struct pollfd *)8, 1, 0), -EFAULT, "a bad pollfd array gives EFAULT");

	/* the writers go: POLLHUP on the read end (and end of file) */
	sys_write(p[1], "c", 1);
	sys_close(p[1]);
	f[0].revents = 0;
	lt_check_eq(poll_(f, 1, 1000), 1, "the read end is ready after the writer closed");
	lt_check((f[0].revents & POLLHUP) && (f[0].revents & POLLIN), "POLLIN | POLLHUP with a byte left (%d)",
		 f[0].revents);
	sys_read(p[0], &c, 1);
	lt_check_eq(poll_(f, 1, 1000), 1, "still ready when empty");
	lt_check_eq(f[0].revents, POLLHUP, "POLLHUP alone");
	lt_check_eq(sys_read(p[0], &c, 1), 0, "read gives end of file");

	/* the readers go: POLLERR on the write end */
	sys_close(q[0]);
	struct pollfd w = {q[1], POLLOUT, 0};
	lt_check_eq(poll_(&w, 1, 0), 1, "the write end without readers is ready");
	lt_check(w.revents & POLLERR, "with POLLERR (%d)", w.revents);

	sys_close(p[0]);
	sys_close(q[1]);
	return lt_finish();
}
