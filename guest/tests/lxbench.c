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
 *   lxbench: done
 *
 * Under QEMU with -icount shift=0 a TSC tick is one executed instruction (or
 * one nanosecond of idle virtual time); under plain TCG and KVM it is a tick
 * of the host's TSC. Then, as pid 1, it powers off with reboot(2) (on Linux
 * too: reboot(POWER_OFF) from init ends QEMU). A failure prints
 * "lxbench: FAIL <what>" and powers off as well (as Linux's init, exiting
 * would panic the kernel).
 */
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
	lt_printf("lxbench: done\n");
	finish(0);
}
