/*
 * lxbench: the guest benchmark. One static program (our tiny runtime, no
 * libc) that runs unchanged on lx and on Debian's Linux kernel, as init (pid
 * 1) in both (docs/benchmarks.md, tools/bench.py, tools/native.py).
 *
 * Each operation is timed with `lfence; rdtsc` before and after, after a
 * warm-up that is not recorded; the samples are sorted and one line per
 * operation is printed:
 *
 *   lxbench: boot tsc=<TSC at the program's start>
 *   lxbench: <name> median=<n> min=<n> rounds=<n>
 *   ...
 *   lxbench: total tsc=<n>
 *   lxbench: breakdown <name> total=<n> user=<n> lx=<n> kernel=<n> ...
 *   lxbench: done
 *
 * Under QEMU with -icount shift=0 a TSC tick is one executed instruction (or
 * one nanosecond of idle virtual time); under plain TCG and KVM it is a tick
 * of the host's TSC. Then, as pid 1, it powers off with reboot(2) (on Linux
 * too: reboot(POWER_OFF) from init ends QEMU). A failure prints
 * "lxbench: FAIL <what>" and powers off as well (as Linux's init, exiting
 * would panic the kernel).
 */
#include <stdbool.h>
#include "lt.h"

const char lt_name[] = "lxbench";

enum {
	WARMUP = 200,
	ROUNDS = 2000,      /* the system calls */
	PIPE_ROUNDS = 1000, /* pipe ping-pong round trips */
	FORKS = 200,        /* fork + exit + wait */
	EXECS = 50,         /* fork + execve(nop) + wait */
	BB_EXECS = 20,      /* fork + execve(busybox true) + wait */
	PAGES = 2000,       /* first touches of anonymous pages */
	FILE_ROUNDS = 1000, /* open + read + close */
	MACRO_ROUNDS = 3,   /* each macro workload, after one warm-up run */
};

#define MAX_SAMPLES ROUNDS
static uint64_t samples[MAX_SAMPLES];

#define O_WRONLY 01
#define O_CREAT 0100
#define O_TRUNC 01000
#define MADV_NOHUGEPAGE 15

static char *const env[] = {"PATH=/bin", "HOME=/", "TERM=linux", NULL};

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi)::"memory");
	return ((uint64_t)hi << 32) | lo;
}

__attribute__((noreturn)) static void finish(int failed)
{
	/* the scenario (lx) or the machine (Linux) ends when the benchmark has run */
	if (sys_getpid() == 1)
		sys_reboot(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_POWER_OFF);
	sys_exit_group(failed);
}

/* "lxbench: FAIL <what>" in one write (a line stays whole on lx's console), then power off */
__attribute__((noreturn)) static void fail_line(const char *what)
{
	lt_printf("lxbench: FAIL %s\n", what);
	finish(1);
}
#define fail(...)                                               \
	do {                                                    \
		char fail_buf_[160];                            \
		lt_snprintf(fail_buf_, sizeof fail_buf_, __VA_ARGS__); \
		fail_line(fail_buf_);                           \
	} while (0)

static void sort(uint64_t *a, int n)
{
	for (int i = 1; i < n; i++) {
		uint64_t v = a[i];
		int j = i;
		while (j > 0 && a[j - 1] > v) {
			a[j] = a[j - 1];
			j--;
		}
		a[j] = v;
	}
}

static void report(const char *name, int n)
{
	sort(samples, n);
	lt_printf("lxbench: %s median=%lu min=%lu rounds=%d\n", name, (unsigned long)samples[n / 2],
		  (unsigned long)samples[0], n);
}

static long wait_child(long pid)
{
	int status = 0;
	long r;
	do
		r = sys_wait4((int)pid, &status, 0, NULL);
	while (r == -EINTR);
	if (r != pid)
		fail("wait4(%ld) returned %ld", pid, r);
	return status;
}

/* fork + execve(argv[0], argv) + wait4; the child's exit status must be 0 */
static void spawn(char *const argv[])
{
	long pid = sys_fork();
	if (pid == 0) {
		long r = sys_execve(argv[0], argv, env);
		lt_printf("lxbench: FAIL execve(%s) returned %ld\n", argv[0], r);
		sys_exit(127);
	}
	if (pid < 0)
		fail("fork returned %ld", pid);
	long status = wait_child(pid);
	if (status != 0) {
		char buf[64];
		fail("%s %s: %s", argv[0], argv[1] ? argv[1] : "", lt_status_text(status, buf, sizeof buf));
	}
}

/* spawn() timed: `warmup` runs, then `n` recorded */
static void bench_spawn(const char *name, char *const argv[], int warmup, int n)
{
	for (int i = 0; i < warmup + n; i++) {
		uint64_t t0 = rdtsc();
		spawn(argv);
		uint64_t t1 = rdtsc();
		if (i >= warmup)
			samples[i - warmup] = t1 - t0;
	}
	report(name, n);
}

static void bench_syscalls(void)
{
	for (int i = 0; i < WARMUP + ROUNDS; i++) {
		uint64_t t0 = rdtsc();
		sys_getpid();
		uint64_t t1 = rdtsc();
		if (i >= WARMUP)
			samples[i - WARMUP] = t1 - t0;
	}
	report("getpid", ROUNDS);
	for (int i = 0; i < WARMUP + ROUNDS; i++) {
		uint64_t t0 = rdtsc();
		lt_syscall(500, 0, 0, 0);
		uint64_t t1 = rdtsc();
		if (i >= WARMUP)
			samples[i - WARMUP] = t1 - t0;
	}
	report("enosys", ROUNDS);
}

/* one byte to the child and one back: two pipes, two processes */
static void bench_pipe(void)
{
	int to[2], from[2];
	if (sys_pipe(to) < 0 || sys_pipe(from) < 0)
		fail("pipe");
	long pid = sys_fork();
	if (pid == 0) {
		char c;
		sys_close(to[1]);
		sys_close(from[0]);
		while (sys_read(to[0], &c, 1) == 1)
			if (sys_write(from[1], &c, 1) != 1)
				sys_exit(1);
		sys_exit(0);
	}
	if (pid < 0)
		fail("fork returned %ld", pid);
	sys_close(to[0]);
	sys_close(from[1]);
	for (int i = 0; i < WARMUP + PIPE_ROUNDS; i++) {
		char c = (char)i, r = 0;
		uint64_t t0 = rdtsc();
		if (sys_write(to[1], &c, 1) != 1 || sys_read(from[0], &r, 1) != 1 || r != c)
			fail("pipe ping-pong, round %d", i);
		uint64_t t1 = rdtsc();
		if (i >= WARMUP)
			samples[i - WARMUP] = t1 - t0;
	}
	sys_close(to[1]);
	if (wait_child(pid) != 0)
		fail("the pipe child failed");
	sys_close(from[0]);
	report("pipe_rtt", PIPE_ROUNDS);
}

static void bench_fork(void)
{
	for (int i = 0; i < WARMUP / 10 + FORKS; i++) {
		uint64_t t0 = rdtsc();
		long pid = sys_fork();
		if (pid == 0)
			sys_exit(0);
		if (pid < 0)
			fail("fork returned %ld", pid);
		wait_child(pid);
		uint64_t t1 = rdtsc();
		if (i >= WARMUP / 10)
			samples[i - WARMUP / 10] = t1 - t0;
	}
	report("fork_exit_wait", FORKS);
}

/* first touch of fresh anonymous pages: one write per page, each timed */
static void bench_pages(void)
{
	size_t len = (WARMUP + PAGES) * PAGE_SIZE;
	long a = sys_mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if ((unsigned long)a > (unsigned long)MAP_FAILED_MAX)
		fail("mmap of %lu bytes returned %ld", (unsigned long)len, a);
	/* 4 KiB pages on Linux too (Debian's transparent huge pages are "madvise" anyway) */
	lt_syscall(28, a, len, MADV_NOHUGEPAGE);
	volatile char *p = (volatile char *)a;
	for (int i = 0; i < WARMUP + PAGES; i++) {
		uint64_t t0 = rdtsc();
		p[(size_t)i * PAGE_SIZE] = 1;
		uint64_t t1 = rdtsc();
		if (i >= WARMUP)
			samples[i - WARMUP] = t1 - t0;
	}
	sys_munmap((void *)a, len);
	report("page_touch", PAGES);
}

#define DATAFILE "/tmp/lxbench.dat"

/*
 * Where the time goes (docs/benchmarks.md): when /proc/pecan/counters
 * exists (lx with the kernel's measurement counters; not on Linux), a
 * separate pass after the timed benchmarks switches the counting on and
 * runs N getpids and N first touches between two snapshots, and N = 0
 * between two more, whose difference (the snapshots' own cost) it
 * subtracts; the best of BREAKDOWN_REPS (the fewest ticks: no timer
 * interrupt inside) is printed per operation:
 *
 *   lxbench: breakdown NAME total=.. user=.. lx=.. kernel=.. kernel_process=.. kernel_lx=..
 *            other=.. counting=.. switches=X.XX entries=X.XX rounds=N
 *
 * total: TSC per operation; user: in the process; lx: in lx (its vCPU in
 * kernel mode); kernel: in Pecan, on entries from the process
 * (kernel_process) and from lx (kernel_lx) and others; other: other
 * threads; counting: the counters' own cost, which total includes and
 * the timed figures do not; switches: address-space switches; entries:
 * kernel entries.
 */
#define COUNTERS "/proc/pecan/counters"
enum { BREAKDOWN_ROUNDS = 500, BREAKDOWN_REPS = 5 };

enum { C_ENT_PROC, C_ENT_LX, C_ENT_OTHER, C_K_PROC, C_K_LX, C_K_OTHER, C_U_PROC, C_U_LX, C_U_OTHER, C_SWITCHES,
       C_COUNTING, C_N };
static const char *const counter_names[C_N] = {
	"kernel_entries_process", "kernel_entries_lx", "kernel_entries_other", "kernel_ticks_process",
	"kernel_ticks_lx", "kernel_ticks_other", "user_ticks_process", "user_ticks_lx", "user_ticks_other",
	"address_space_switches", "counting_ticks",
};

/* counters: C_N values, and the TSC after them */
struct snapshot {
	uint64_t c[C_N], tsc;
};

static void snapshot(struct snapshot *s)
{
	static char buf[1024];
	long fd = sys_open(COUNTERS, O_RDONLY);
	long n = fd < 0 ? fd : sys_read((int)fd, buf, sizeof buf - 1);
	if (fd >= 0)
		sys_close((int)fd);
	if (n <= 0)
		fail("reading %s: %ld", COUNTERS, n);
	buf[n] = 0;
	for (int i = 0; i < C_N; i++) {
		size_t len = strlen(counter_names[i]);
		const char *p = buf;
		while (*p && !(strncmp(p, counter_names[i], len) == 0 && p[len] == ' '))
			while (*p && *p++ != '\n')
				;
		if (!*p)
			fail("%s lacks %s", COUNTERS, counter_names[i]);
		uint64_t v = 0;
		for (p += len + 1; *p >= '0' && *p <= '9'; p++)
			v = v * 10 + (uint64_t)(*p - '0');
		s->c[i] = v;
	}
	s->tsc = rdtsc();
}

static uint64_t breakdown_region;

static void bd_getpid(int n)
{
	for (int i = 0; i < n; i++)
		sys_getpid();
}

static void bd_touch(int n)
{
	volatile char *p = (volatile char *)breakdown_region;
	for (int i = 0; i < n; i++)
		p[(size_t)i * PAGE_SIZE] = 1;
}

/* d[i] = (after - before) of the run with n operations minus that of the empty run */
static void measure(void (*op)(int), uint64_t d[C_N + 1], bool touch)
{
	size_t len = BREAKDOWN_ROUNDS * PAGE_SIZE;
	struct snapshot a, b, c, e;
	if (touch) {
		long r = sys_mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if ((unsigned long)r > (unsigned long)MAP_FAILED_MAX)
			fail("mmap of %lu bytes returned %ld", (unsigned long)len, r);
		lt_syscall(28, r, len, MADV_NOHUGEPAGE);
		breakdown_region = (uint64_t)r;
	}
	snapshot(&a);
	snapshot(&b);
	snapshot(&c);
	op(BREAKDOWN_ROUNDS);
	snapshot(&e);
	if (touch)
		sys_munmap((void *)breakdown_region, len);
	for (int i = 0; i < C_N; i++)
		d[i] = (e.c[i] - c.c[i]) - (b.c[i] - a.c[i]);
	d[C_N] = (e.tsc - c.tsc) - (b.tsc - a.tsc);
}

/* v / BREAKDOWN_ROUNDS, rounded */
static unsigned long per_op(uint64_t v) { return (unsigned long)((v + BREAKDOWN_ROUNDS / 2) / BREAKDOWN_ROUNDS); }

/* "X.XX": v / BREAKDOWN_ROUNDS with two decimals */
static const char *per_op2(uint64_t v, char *buf)
{
	uint64_t h = (v * 100 + BREAKDOWN_ROUNDS / 2) / BREAKDOWN_ROUNDS;
	lt_snprintf(buf, 24, "%lu.%02lu", (unsigned long)(h / 100), (unsigned long)(h % 100));
	return buf;
}

static void breakdown(const char *name, void (*op)(int), bool touch)
{
	uint64_t best[C_N + 1], d[C_N + 1];
	for (int r = 0; r < BREAKDOWN_REPS; r++) {
		measure(op, d, touch);
		if (r == 0 || d[C_N] < best[C_N])
			memcpy(best, d, sizeof best);
	}
	char sw[24], en[24];
	lt_printf("lxbench: breakdown %s total=%lu user=%lu lx=%lu kernel=%lu kernel_process=%lu kernel_lx=%lu "
		  "other=%lu counting=%lu switches=%s entries=%s rounds=%d\n",
		  name, per_op(best[C_N]), per_op(best[C_U_PROC]), per_op(best[C_U_LX]),
		  per_op(best[C_K_PROC] + best[C_K_LX] + best[C_K_OTHER]), per_op(best[C_K_PROC]), per_op(best[C_K_LX]),
		  per_op(best[C_U_OTHER] + best[C_K_OTHER]), per_op(best[C_COUNTING]), per_op2(best[C_SWITCHES], sw),
		  per_op2(best[C_ENT_PROC] + best[C_ENT_LX] + best[C_ENT_OTHER], en), BREAKDOWN_ROUNDS);
}

/* Switches the kernel's counting on or off; false when there are no counters (Linux). */
static bool counting(bool on)
{
	long fd = sys_open(COUNTERS, O_WRONLY);
	if (fd < 0)
		return false;
	long n = sys_write((int)fd, on ? "1\n" : "0\n", 2);
	sys_close((int)fd);
	if (n != 2)
		fail("switching %s %s: %ld", COUNTERS, on ? "on" : "off", n);
	return true;
}

static void bench_breakdown(void)
{
	if (!counting(true))
		return;
	breakdown("getpid", bd_getpid, false);
	breakdown("page_touch", bd_touch, true);
	counting(false);
}

static void bench_file(void)
{
	static char data[200], buf[512];
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (char)('a' + i % 26);
	long fd = lt_syscall6(SYS_openat, AT_FDCWD, (long)DATAFILE, O_WRONLY | O_CREAT | O_TRUNC, 0644, 0, 0);
	if (fd < 0)
		fail("creating %s: %ld", DATAFILE, fd);
	if (sys_write((int)fd, data, sizeof data) != sizeof data)
		fail("writing %s", DATAFILE);
	sys_close((int)fd);
	for (int i = 0; i < WARMUP + FILE_ROUNDS; i++) {
		uint64_t t0 = rdtsc();
		fd = sys_open(DATAFILE, O_RDONLY);
		long n = sys_read((int)fd, buf, sizeof buf);
		long c = sys_close((int)fd);
		uint64_t t1 = rdtsc();
		if (fd < 0 || n != sizeof data || c != 0)
			fail("open/read/close of %s: %ld %ld %ld", DATAFILE, fd, n, c);
		if (i >= WARMUP)
			samples[i - WARMUP] = t1 - t0;
	}
	report("file_open_read_close", FILE_ROUNDS);
}

/* Macro workloads: busybox sh scripts, each run as a whole (fork + execve of
 * the shell + everything it spawns + wait). Every command is named by path
 * (/bin/busybox APPLET): the same fork + execve on both kernels, whatever
 * busybox's shell would otherwise run in-process. */
static char *const macro_spawn[] = {
	"/bin/busybox", "sh", "-c",
	"i=0; while [ $i -lt 200 ]; do /bin/busybox true; i=$((i+1)); done", NULL};
static char *const macro_sort[] = {
	"/bin/busybox", "sh", "-c",
	"b=/bin/busybox; "
	"n=$($b seq 1 3000 | $b awk '{ print ($1 * 7919) % 1000 }' | $b sort | $b uniq -c | $b sort -rn | $b wc -l); "
	"[ \"$n\" = 1000 ]", NULL};
static char *const macro_tar[] = {
	"/bin/busybox", "sh", "-c",
	"b=/bin/busybox; d=/tmp/lxbench.tgz; $b rm -rf $d; $b mkdir -p $d/src $d/out; "
	"i=0; while [ $i -lt 32 ]; do $b seq $i $((i * 7 + 100)) > $d/src/f$i; i=$((i+1)); done; "
	"cd $d && $b tar cf - src | $b gzip > a.tgz && $b gzip -dc a.tgz | $b tar xf - -C out && "
	"$b diff -r src out/src && cd / && $b rm -rf $d",
	NULL};

int main(void)
{
	uint64_t start = rdtsc();
	lt_printf("lxbench: boot tsc=%lu\n", (unsigned long)start);

	bench_syscalls();
	bench_pipe();
	bench_fork();
	static char *const nop[] = {"/bin/nop", NULL};
	bench_spawn("fork_exec_nop", nop, 5, EXECS);
	static char *const bbtrue[] = {"/bin/busybox", "true", NULL};
	bench_spawn("fork_exec_busybox", bbtrue, 2, BB_EXECS);
	bench_pages();
	bench_file();
	bench_spawn("macro_spawn200", macro_spawn, 1, MACRO_ROUNDS);
	bench_spawn("macro_sort_uniq", macro_sort, 1, MACRO_ROUNDS);
	bench_spawn("macro_tar_gzip", macro_tar, 1, MACRO_ROUNDS);

	lt_printf("lxbench: total tsc=%lu\n", (unsigned long)(rdtsc() - start));
	bench_breakdown(); /* after the timed runs: the counters stay off during those */
	lt_printf("lxbench: done\n");
	finish(0);
}
