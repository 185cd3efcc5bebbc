/*
 * cputime: CPU-time accounting and the load average. A child spins in user
 * mode for about 0.5 s (by CLOCK_MONOTONIC) and must see user time in
 * /proc/self/stat (utime), times(), getrusage and CLOCK_PROCESS_CPUTIME_ID;
 * its parent must get it back from wait4's rusage, in times()' cutime and
 * getrusage(RUSAGE_CHILDREN), and /proc/stat's cpu user must have grown by
 * at least as much. /proc/PID/stat's starttime lies between boot and now.
 * Then two processes spin (this one and a child) until the load average is
 * sampled (every 5 s): /proc/loadavg shows them as running, and its 1-minute
 * load must rise above what it was (on lx; on a host's Linux, only > 0).
 */
#include "lt.h"

const char lt_name[] = "cputime";

enum { SYS_getrusage = 98, SYS_times = 100, SYS_sysinfo = 99, SYS_clock_gettime = 228 };
enum { SIGKILL_ = 9, HZ = 100 };

struct timespec {
	long sec, nsec;
};

static int on_lx;

static long now_ms(void)
{
	struct timespec ts;
	lt_syscall(SYS_clock_gettime, 1 /* CLOCK_MONOTONIC */, &ts, 0);
	return ts.sec * 1000 + ts.nsec / 1000000;
}

static volatile unsigned long sink;

/* Spins in user mode for ms, with a clock call only every so often. */
static void spin_ms(long ms)
{
	long end = now_ms() + ms;
	while (now_ms() < end)
		for (unsigned long i = 0; i < 200000; i++)
			sink += i * 7;
}

static long read_file(const char *path, char *buf, size_t size)
{
	long fd = sys_open(path, O_RDONLY);
	if (fd < 0)
		return fd;
	long n = sys_read((int)fd, buf, size - 1);
	sys_close((int)fd);
	if (n < 0)
		return n;
	buf[n] = 0;
	return n;
}

static long parse_ul(const char **s)
{
	while (**s == ' ')
		++*s;
	if (**s < '0' || **s > '9')
		return -1;
	long v = 0;
	while (**s >= '0' && **s <= '9')
		v = v * 10 + (*(*s)++ - '0');
	return v;
}

/* Field n (1-based, n >= 3) of /proc/self/stat, or -1. */
static long stat_field(int n)
{
	char buf[1024];
	if (read_file("/proc/self/stat", buf, sizeof buf) < 0)
		return -1;
	const char *s = buf, *close = NULL;
	for (const char *q = buf; *q; q++)
		if (*q == ')')
			close = q;
	if (!close)
		return -1;
	s = close + 2; /* field 3: the state */
	for (int f = 3; f < n; f++) {
		while (*s && *s != ' ')
			s++;
		if (!*s)
			return -1;
		s++;
	}
	return parse_ul(&s);
}

/* /proc/stat's "cpu " line: user and idle, or -1 */
static int proc_stat_cpu(long *user, long *idle)
{
	char buf[4096];
	if (read_file("/proc/stat", buf, sizeof buf) < 0 || strncmp(buf, "cpu ", 4) != 0)
		return -1;
	const char *s = buf + 4;
	*user = parse_ul(&s);
	parse_ul(&s);               /* nice */
	long sys = parse_ul(&s);
	*idle = parse_ul(&s);
	return *user < 0 || sys < 0 || *idle < 0 ? -1 : 0;
}

/* /proc/loadavg's 1-minute load in hundredths, and its running count; -1 when it does not parse */
static long loadavg1(long *running)
{
	char buf[256];
	if (read_file("/proc/loadavg", buf, sizeof buf) < 0)
		return -1;
	const char *s = buf;
	long i = parse_ul(&s);
	if (i < 0 || *s++ != '.')
		return -1;
	long f = parse_ul(&s);
	for (int k = 0; k < 2; k++) { /* the 5- and 15-minute loads */
		if (parse_ul(&s) < 0 || *s++ != '.' || parse_ul(&s) < 0)
			return -1;
	}
	*running = parse_ul(&s);
	if (f < 0 || *running < 0 || *s != '/')
		return -1;
	return i * 100 + f;
}

static void child_spin(void)
{
	spin_ms(500);
	long ut = stat_field(14), st = stat_field(15);
	long tms[4] = {-1, -1, -1, -1};
	long r = lt_syscall(SYS_times, tms, 0, 0);
	long ru[18];
	long rr = lt_syscall(SYS_getrusage, 0 /* RUSAGE_SELF */, ru, 0);
	struct timespec cpu;
	lt_syscall(SYS_clock_gettime, 2 /* CLOCK_PROCESS_CPUTIME_ID */, &cpu, 0);
	lt_check(r > 0, "times returns the ticks since boot (%ld)", r);
	lt_check(ut > 0, "the spinner's utime in /proc/self/stat > 0 (%ld, stime %ld)", ut, st);
	lt_check(tms[0] > 0, "the spinner's tms_utime > 0 (%ld, tms_stime %ld)", tms[0], tms[1]);
	/* 0.5 s of which most is user mode: at least a fifth of it in ticks */
	lt_check(tms[0] + tms[1] >= HZ / 10, "utime + stime covers the spin (%ld + %ld ticks)", tms[0], tms[1]);
	lt_check(tms[0] >= ut && tms[0] <= ut + 5, "times and /proc/self/stat agree (%ld, %ld)", tms[0], ut);
	lt_check(rr == 0 && ru[0] * HZ + ru[1] / 10000 >= ut, "getrusage(RUSAGE_SELF) has the user time (%ld.%06ld s)",
		 ru[0], ru[1]);
	lt_check(cpu.sec * 1000 + cpu.nsec / 1000000 >= ut * 10, "CLOCK_PROCESS_CPUTIME_ID has it (%ld.%09ld s)",
		 cpu.sec, cpu.nsec);
	long start = stat_field(22);
	char up[128];
	const char *s = up;
	long up_ticks = read_file("/proc/uptime", up, sizeof up) > 0 ? parse_ul(&s) * HZ : -1;
	/* (a host's container may show another uptime than its kernel's) */
	lt_check(start > 0 && up_ticks >= 0 && (!on_lx || start <= up_ticks + HZ), "starttime %ld ticks is before now (%ld)",
		 start, up_ticks);
	sys_exit(lt_failures() ? 1 : 0);
}

static void check_children_times(void)
{
	long user0, idle0, user1, idle1;
	lt_check(proc_stat_cpu(&user0, &idle0) == 0, "/proc/stat's cpu line parses");
	long pid = sys_fork();
	if (pid == 0)
		child_spin();
	long ru[18];
	memset(ru, 0, sizeof ru);
	int status = -1;
	long w = sys_wait4((int)pid, &status, 0, ru);
	lt_check(w == pid && status == 0, "the spinning child passed (status 0x%x)", status);
	long child_ut = ru[0] * HZ + ru[1] / 10000;
	lt_check(child_ut > 0, "wait4's rusage has the child's user time (%ld.%06ld s)", ru[0], ru[1]);
	long tms[4] = {-1, -1, -1, -1};
	lt_syscall(SYS_times, tms, 0, 0);
	lt_check(tms[2] >= child_ut && tms[2] > 0, "times' cutime has the reaped child's (%ld >= %ld)", tms[2],
		 child_ut);
	lt_check(stat_field(16) == tms[2], "/proc/self/stat's cutime is times' (%ld)", stat_field(16));
	long cru[18];
	lt_syscall(SYS_getrusage, -1 /* RUSAGE_CHILDREN */, cru, 0);
	lt_check(cru[0] * HZ + cru[1] / 10000 == tms[2], "getrusage(RUSAGE_CHILDREN) is cutime (%ld.%06ld s)", cru[0],
		 cru[1]);
	int parsed = proc_stat_cpu(&user1, &idle1) == 0;
	lt_check(parsed && user1 - user0 >= child_ut && user1 > user0,
		 "/proc/stat's cpu user grew by the child's user time (%ld -> %ld, child %ld)", user0, user1, child_ut);
	if (on_lx) {
		/* one CPU: the ticks in user, system and idle add up to the uptime */
		char up[128];
		const char *s = up;
		long secs = read_file("/proc/uptime", up, sizeof up) > 0 ? parse_ul(&s) : -1;
		lt_check(idle1 >= idle0 && idle1 <= secs * HZ + HZ, "idle ticks %ld fit in the uptime %ld s", idle1, secs);
	}
}

static void check_loadavg(void)
{
	long running;
	long before = loadavg1(&running);
	lt_check(before >= 0, "/proc/loadavg parses (1-minute load %ld/100, %ld running)", before, running);
	long pid = sys_fork();
	if (pid == 0) {
		for (;;)
			sink++;
	}
	/* spin with the child until the next sample (every 5 s), 7 s at most */
	long end = now_ms() + 7000, load = before, max_running = 0;
	int rose = 0;
	while (now_ms() < end) {
		spin_ms(50);
		load = loadavg1(&running);
		if (running > max_running)
			max_running = running;
		if (on_lx ? (before < 150 ? load > before : load > 0) : load > 0) {
			rose = 1;
			break;
		}
	}
	sys_kill((int)pid, SIGKILL_);
	int status;
	sys_wait4((int)pid, &status, 0, NULL);
	lt_check(max_running >= 2, "/proc/loadavg counts both spinners as running (%ld)", max_running);
	lt_check(rose, "the 1-minute load rose with two busy processes (%ld/100 -> %ld/100)", before, load);
	/* sysinfo's loads: the same figure with 16 bits of fraction */
	unsigned long si[14];
	memset(si, 0, sizeof si);
	long sr = lt_syscall(SYS_sysinfo, si, 0, 0);
	lt_check(sr == 0 && si[1] > 0, "sysinfo's 1-minute load > 0 (%lu/65536)", si[1]);
}

int main(void)
{
	char uts[6 * 65];
	sys_uname(uts);
	on_lx = strncmp(uts + 2 * 65, "6.1.0-pecan-lx", 14) == 0;
	check_children_times();
	check_loadavg();
	return lt_finish();
}
