/*
 * sysfuzz: random system calls against lx (docs/fuzzing.md).
 *
 * ONLY RUN THIS ON lx. On a real Linux host it makes random system calls as
 * whatever user runs it: that is how to lose files. As a safeguard it
 * refuses to start unless uname(2) says "pecan-lx".
 *
 * A supervisor (pid 1 in the `fuzz` scenarios) forks a heartbeat process and
 * W workers. Each worker issues random system calls: numbers over the whole
 * x86-64 table and beyond it, arguments mixing small integers, pointers into
 * a scratch buffer, valid path strings, unmapped, kernel-range and
 * non-canonical addresses, huge sizes, random flags, fds and pids. The few
 * calls that would end the run rather than test the kernel are filtered or
 * rewritten (docs/fuzzing.md lists them). Workers report their counts
 * through a pipe; a worker that dies (a signal, a random exit) is replaced;
 * one that makes no progress for STUCK_MS is killed with SIGKILL.
 *
 * The heartbeat prints "sysfuzz: beat N" every BEAT_MS and measures its own
 * gaps (CLOCK_MONOTONIC); a gap over BEAT_BOUND_MS fails the run. At the end
 * the workers and the heartbeat are killed, the workers' files removed, the
 * free memory compared with the figure from before the run (MemFree of
 * /proc/meminfo, else sysinfo(2) freeram), and `busybox sh -c 'echo alive'`
 * run. Then: the summary, "sysfuzz: PASS" or "sysfuzz: FAIL <why>", and
 * power-off when pid 1.
 *
 * usage: sysfuzz [CALLS [SEED]]. As init (no arguments) the count depends
 * on the guest memory lx was given: MemTotal >= FULL_MEM_MIB gives the full
 * run (conf/fuzz.cfg), less the quick one (conf/fuzz-quick.cfg), since lx
 * passes no arguments to its init.
 */
#include <stdbool.h>
#include "lt.h"

const char lt_name[] = "sysfuzz";

/* ---- tuning ---- */
enum {
	FULL_CALLS = 1000000,   /* make fuzz */
	QUICK_CALLS = 100000,   /* make check (fuzz-quick) */
	FULL_MEM_MIB = 100,     /* as init: at least this much guest memory means the full run */
	WORKERS = 4,
	REPORT_EVERY = 64,      /* a worker reports its counts after this many calls */
	STUCK_MS = 3000,        /* a worker without a report for this long is killed */
	BEAT_MS = 200,          /* the heartbeat's period */
	BEAT_BOUND_MS = 1500,   /* the largest gap between two beats that passes */
	POLL_MS = 20,           /* the supervisor's loop */
	LEAK_SLACK_KIB = 512,   /* "near": free memory at the end >= start - this */
	SCRATCH_SIZE = 64 * 1024,
	REPORT_FD = 47,         /* the workers' end of the report pipe */
	MAX_NR = 451,           /* the x86-64 table: 0..450 */
};

#define DEFAULT_SEED 0x5eedf022c0ffee01ull
#define SCRATCH_ADDR 0x0000100000000000ull /* 16 TiB: far from the program, its brk and the stack */
#define PATHS_ADDR   0x0000100000100000ull

/* ---- system calls the supervisor uses ---- */
enum {
	NR_rt_sigreturn = 15, NR_pause = 34, NR_nanosleep = 35, NR_dup2 = 33, NR_clone = 56, NR_fork = 57,
	NR_vfork = 58, NR_execve = 59, NR_exit = 60, NR_kill = 62, NR_fcntl = 72, NR_chdir = 80, NR_mkdir = 83,
	NR_sysinfo = 99, NR_ptrace = 101, NR_rt_sigqueueinfo = 129, NR_rt_sigsuspend = 130, NR_prlimit = 302,
	NR_tkill = 200, NR_tgkill = 234, NR_clock_gettime = 228, NR_clock_nanosleep = 230,
	NR_exit_group = 231, NR_pipe2 = 293, NR_rt_tgsigqueueinfo = 297, NR_process_vm_readv = 310,
	NR_process_vm_writev = 311, NR_execveat = 322, NR_pidfd_send_signal = 424, NR_clone3 = 435,
	NR_close_range = 436, NR_poll = 7, NR_select = 23, NR_futex = 202, NR_epoll_wait = 232,
	NR_pselect6 = 270, NR_ppoll = 271, NR_epoll_pwait = 281, NR_rt_sigtimedwait = 128,
	NR_epoll_pwait2 = 441, NR_futex_waitv = 449, NR_setrlimit = 160, NR_wait4 = 61, NR_waitid = 247,
};
#define O_WRONLY 1
#define O_RDWR 2
#define O_CREAT 0100
#define O_NONBLOCK 04000
#define O_DIRECTORY 0200000
#define O_CLOEXEC 02000000
#define WNOHANG 1
#define CLOCK_MONOTONIC 1
#define F_SETFD 2
#define FD_CLOEXEC 1

struct ts {
	long sec, nsec;
};

static long now_ms(void)
{
	struct ts t;
	if (lt_syscall(NR_clock_gettime, CLOCK_MONOTONIC, &t, 0) != 0)
		return 0;
	return t.sec * 1000 + t.nsec / 1000000;
}

static void sleep_ms(long ms)
{
	struct ts t = {ms / 1000, (ms % 1000) * 1000000};
	lt_syscall(NR_nanosleep, &t, 0, 0);
}

/* ---- the PRNG: xorshift64*, seeded through splitmix64 ---- */
static uint64_t rng;
static uint64_t splitmix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}
static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ull;
}
static uint64_t below(uint64_t n) { return n ? rnd() % n : 0; }

/* ---- reports: 64-byte records through a pipe (a multiple of the pipe's size, so never split) ---- */
enum {
	R_CALLS, R_OK, R_ENOSYS, R_EFAULT, R_EINVAL, R_EBADF, R_OTHER, R_F_REBOOT, R_F_KILL, R_F_BLOCK, R_F_FD,
	R_F_OTHER, R_REWRITTEN, R_FORKS, R_ENOMEM, R_NFIELDS
};
#define REPORT_MAGIC 0x5f7a0000u
struct report {
	uint32_t magic_slot;  /* REPORT_MAGIC | slot */
	uint32_t f[R_NFIELDS];
};
_Static_assert(sizeof(struct report) == 64, "a report is 64 bytes");

struct beat {
	uint32_t magic, n;
	int64_t gap_ms;
};
#define BEAT_MAGIC 0xbea7beefu

/* ---- what workers share with the supervisor (set before they are forked) ---- */
static long super_pid, beat_pid;
static uint64_t base_seed;
static uint8_t implemented[MAX_NR];   /* from the probe: not -ENOSYS */
static uint16_t impl_list[MAX_NR];
static unsigned impl_count;

/* ================= the worker ================= */

/*
 * The system call, in assembly: the registers straight from the arguments;
 * for rt_sigreturn the stack pointer points into the scratch buffer first
 * (the "signal frame" is random there, not the worker's real stack); the
 * child of a fork-like call exits at once, without touching its stack
 * (clone may have given it a random one).
 */
long fz_call(long nr, const long *a, long alt_sp);
__asm__(".text\n"
	".globl fz_call\n"
	"fz_call:\n"
	"	push %rbx\n"
	"	push %rbp\n"
	"	push %r12\n"
	"	push %r13\n"
	"	mov %rsp, %r12\n"          /* the real stack */
	"	mov %rdi, %r13\n"          /* the number */
	"	mov %rsi, %rbx\n"
	"	mov %rdi, %rax\n"
	"	mov 0(%rbx), %rdi\n"
	"	mov 8(%rbx), %rsi\n"
	"	mov 24(%rbx), %r10\n"
	"	mov 32(%rbx), %r8\n"
	"	mov 40(%rbx), %r9\n"
	"	cmp $15, %r13\n"
	"	jne 1f\n"
	"	mov %rdx, %rsp\n"
	"1:	mov 16(%rbx), %rdx\n"
	"	syscall\n"
	"	test %rax, %rax\n"
	"	jne 2f\n"
	"	cmp $56, %r13\n"
	"	je 3f\n"
	"	cmp $57, %r13\n"
	"	je 3f\n"
	"	cmp $58, %r13\n"
	"	je 3f\n"
	"	cmp $435, %r13\n"
	"	je 3f\n"
	"2:	mov %r12, %rsp\n"
	"	pop %r13\n"
	"	pop %r12\n"
	"	pop %rbp\n"
	"	pop %rbx\n"
	"	ret\n"
	"3:	mov $60, %eax\n"           /* the child of fork, vfork, clone: exit(0) */
	"	xor %edi, %edi\n"
	"	syscall\n"
	"	ud2\n");

static int slot;
static long my_pid;
static uint8_t *scratch;      /* SCRATCH_SIZE bytes the calls may read and write */
static char *paths;           /* read-only: path strings and zero timeouts */
static long path_ptrs[16];
static unsigned npaths;
static long zero_ts, short_ts, noexist_path;
static int fds[12];
static unsigned nfds;
static struct report rep;
static unsigned since_report;

static void report_send(void)
{
	rep.magic_slot = REPORT_MAGIC | (uint32_t)slot;
	sys_write(REPORT_FD, &rep, sizeof rep);
	memset(rep.f, 0, sizeof rep.f);
	since_report = 0;
}

static const char *const path_strings[] = {
	"f0", "f1", "d", "/tmp/fz/w%d/f0", "/tmp/fz/w%d/f1", "/tmp/fz/w%d/d", "/tmp/fz/w%d/l", "/tmp/fz/w%d",
	".", "", "/dev/null", "/dev/zero", "/nonexistent/x", "/tmp/fz/w%d/d/deeper/still",
};

static void setup_memory(void)
{
	long r = sys_mmap((void *)SCRATCH_ADDR, SCRATCH_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
			  -1, 0);
	scratch = r == (long)SCRATCH_ADDR ? (uint8_t *)r : 0;
	if (scratch)
		/* random bytes, no '/' or '.' (a random path stays in the worker's
		 * directory), a NUL now and then (strings end) */
		for (unsigned i = 0; i < SCRATCH_SIZE; i++) {
			uint8_t b = (uint8_t)rnd();
			if (b == '/' || b == '.')
				b = 'a';
			if ((b & 7) == 0)
				b = 0;
			scratch[i] = b;
		}
	r = sys_mmap((void *)PATHS_ADDR, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	paths = r == (long)PATHS_ADDR ? (char *)r : 0;
	if (!paths)
		return;
	/* everything at offsets that are not page aligned: munmap, mprotect and
	 * MAP_FIXED with these pointers fail (EINVAL), the strings stay */
	unsigned off = 16;
	memset(paths, 0, PAGE_SIZE);
	zero_ts = (long)paths + off; /* a zero timespec and a zero timeval */
	off += 16;
	short_ts = (long)paths + off;
	((long *)(paths + off))[1] = 10000000; /* 10 ms */
	off += 16;
	noexist_path = (long)paths + off;
	memcpy(paths + off, "/nonexistent/sysfuzz-exec", 26);
	off += 32;
	npaths = 0;
	for (unsigned i = 0; i < sizeof path_strings / sizeof path_strings[0]; i++) {
		int n = lt_snprintf(paths + off, 128, path_strings[i], slot);
		path_ptrs[npaths++] = (long)paths + off;
		off += (unsigned)n + 1;
	}
	/* a name too long for any file system */
	path_ptrs[npaths++] = (long)paths + off;
	for (unsigned i = 0; i < 300; i++)
		paths[off + i] = 'n';
	off += 301;
	sys_mprotect(paths, PAGE_SIZE, PROT_READ);
}

static void setup_files(void)
{
	/* fds 0..63 closed but the report pipe; then a few of the worker's own */
	for (int fd = 0; fd < 64; fd++)
		if (fd != REPORT_FD)
			sys_close(fd);
	char dir[64];
	lt_snprintf(dir, sizeof dir, "/tmp/fz/w%d", slot);
	lt_syscall(NR_mkdir, dir, 0755, 0);
	lt_syscall(NR_chdir, dir, 0, 0);
	lt_syscall(NR_mkdir, "d", 0755, 0);
	nfds = 0;
	long fd;
	if ((fd = lt_syscall6(SYS_openat, AT_FDCWD, (long)"f0", O_RDWR | O_CREAT, 0644, 0, 0)) >= 0)
		fds[nfds++] = (int)fd;
	if ((fd = sys_open("/dev/null", O_RDWR)) >= 0)
		fds[nfds++] = (int)fd;
	if ((fd = sys_open("/dev/zero", O_RDONLY)) >= 0)
		fds[nfds++] = (int)fd;
	if ((fd = sys_open(".", O_RDONLY | O_DIRECTORY)) >= 0)
		fds[nfds++] = (int)fd;
	int p[2];
	if (lt_syscall(NR_pipe2, p, O_NONBLOCK, 0) == 0) {
		fds[nfds++] = p[0];
		fds[nfds++] = p[1];
	}
}

static long pick_fd(void)
{
	switch (below(8)) {
	case 0:
		return (long)below(16);
	case 1: {
		static const long odd[] = {-1, 63, 64, 65, 1000, 1 << 20, AT_FDCWD, 0x7fffffff, -0x80000000l, REPORT_FD + 1};
		return odd[below(sizeof odd / sizeof odd[0])];
	}
	default:
		return nfds ? fds[below(nfds)] : 0;
	}
}

static long pick_pid(void)
{
	switch (below(6)) {
	case 0:
		return my_pid;
	case 1:
		return super_pid;
	case 2:
		return beat_pid;
	case 3:
		return (long)below(4) - 1; /* -1, 0, 1, 2 */
	case 4:
		return my_pid + 1 + (long)below(8); /* the worker's children, the other workers */
	default:
		return (long)below(100);
	}
}

static long scratch_ptr(void)
{
	if (below(8) == 0)
		return (long)SCRATCH_ADDR + SCRATCH_SIZE - 1 - (long)below(16); /* crosses into nothing */
	return (long)SCRATCH_ADDR + (long)(below(SCRATCH_SIZE) & ~7ull);
}

static long pick_arg(void)
{
	uint64_t c = below(100);
	if (c < 20) { /* small integers */
		switch (below(4)) {
		case 0:
			return (long)below(17);
		case 1:
			return (long)below(4097);
		case 2:
			return -1 - (long)below(4);
		default:
			return (long)below(65);
		}
	}
	if (c < 40)
		return scratch_ptr();
	if (c < 48) {
		if (below(4) == 0)
			return below(2) ? zero_ts : short_ts;
		return npaths ? path_ptrs[below(npaths)] : 0;
	}
	if (c < 58)
		return pick_fd();
	if (c < 66) { /* user addresses with (most likely) nothing mapped */
		static const long un[] = {0, 1, 8, 0x1000, 0x7ffffffff000l, 0x7fffffffefffl, 0x7ffffffde000l + 0x1000};
		if (below(2))
			return un[below(sizeof un / sizeof un[0])];
		return (long)(rnd() & 0x00007ffffffff000ull);
	}
	if (c < 74) { /* the kernel half */
		static const uint64_t k[] = {0xffff800000000000ull, 0xffffffff80000000ull, 0xfffffffffffff000ull,
					     0xffffffffffffffffull, 0xffff888000000000ull};
		if (below(2))
			return (long)k[below(sizeof k / sizeof k[0])];
		return (long)(0xffff800000000000ull | rnd());
	}
	if (c < 80) { /* non-canonical */
		static const uint64_t nc[] = {0x0000800000000000ull, 0x8000000000000000ull, 0x00007ffffffff000ull + 0x1000,
					      0x1234567890abcdefull};
		return (long)nc[below(sizeof nc / sizeof nc[0])];
	}
	if (c < 88) { /* huge sizes */
		static const uint64_t h[] = {1ull << 31, 1ull << 32, (1ull << 32) - 1, 1ull << 40, 1ull << 47,
					     1ull << 62, 0x7fffffffffffffffull, 0xfffffffffffff000ull, 0x10000000ull,
					     (1ull << 40) + 1};
		return (long)h[below(sizeof h / sizeof h[0])];
	}
	if (c < 96) { /* flags */
		switch (below(4)) {
		case 0:
			return (long)(1ull << below(64));
		case 1:
			return (long)(rnd() & rnd() & rnd() & 0xffffffffull);
		case 2:
			return (long)(rnd() & 0xffffffffull);
		default:
			return (long)rnd();
		}
	}
	return pick_pid();
}

static uint64_t pick_nr(void)
{
	uint64_t c = below(100);
	if (c < 40 || impl_count == 0)
		return below(MAX_NR);
	if (c < 85)
		return impl_list[below(impl_count)];
	if (c < 95)
		return MAX_NR + below(1024 - MAX_NR);
	static const uint64_t odd[] = {~0ull, 1ull << 32, (1ull << 32) + 39, 0x8000000000000000ull, 0x40000000ull + 39,
				       0x40000000ull + 1, 512, 511, 0xffffffffull};
	if (below(2))
		return odd[below(sizeof odd / sizeof odd[0])];
	return rnd();
}

static bool is_guarded_pid(long pid)
{
	int p = (int)pid;
	return p <= 0 || p == (int)super_pid || p == (int)beat_pid || p == 1;
}

enum { PASS_CALL, FILTER_REBOOT, FILTER_KILL, FILTER_BLOCK, FILTER_FD, FILTER_OTHER };

/* Filters and rewrites the calls that would end the run rather than test the kernel (docs/fuzzing.md). */
static int sanitize(uint64_t nr, long *a, bool *rewritten)
{
	for (int i = 0; i < 6; i++)
		if ((int)a[i] == REPORT_FD)
			return FILTER_FD; /* would close, dup over, read or write the report pipe */
	switch (nr) {
	case 169: /* reboot */
		return FILTER_REBOOT;
	case NR_execve: /* would replace the worker: a path that does not exist */
		a[0] = noexist_path, *rewritten = true;
		return PASS_CALL;
	case NR_execveat:
		a[1] = noexist_path, *rewritten = true;
		return PASS_CALL;
	case NR_kill:
	case NR_tkill:
	case NR_rt_sigqueueinfo:
		return is_guarded_pid(a[0]) && (int)a[0] != (int)my_pid ? FILTER_KILL : PASS_CALL;
	case NR_tgkill:
	case NR_rt_tgsigqueueinfo:
		return (is_guarded_pid(a[0]) && (int)a[0] != (int)my_pid) ||
				       (is_guarded_pid(a[1]) && (int)a[1] != (int)my_pid)
			       ? FILTER_KILL
			       : PASS_CALL;
	case NR_ptrace:
		return is_guarded_pid(a[1]) ? FILTER_KILL : PASS_CALL;
	case NR_process_vm_readv:
	case NR_process_vm_writev:
	case NR_prlimit:
		return (int)a[0] != 0 && is_guarded_pid(a[0]) ? FILTER_KILL : PASS_CALL;
	case NR_pidfd_send_signal:
		return FILTER_KILL; /* which process a pidfd names is not checked here */
	case NR_close_range:
		if ((uint32_t)a[0] <= REPORT_FD && (uint32_t)a[1] >= REPORT_FD)
			return FILTER_FD;
		return PASS_CALL;
	case NR_pause:
	case NR_rt_sigsuspend:
		/* wait for a signal that may never come: now and then let one
		 * block (the supervisor's SIGKILL ends it), filter the rest */
		return below(64) == 0 ? PASS_CALL : FILTER_BLOCK;
	case NR_nanosleep:
		if (below(8))
			a[0] = below(4) ? zero_ts : short_ts, *rewritten = true;
		return PASS_CALL;
	case NR_clock_nanosleep:
		if (below(8))
			a[2] = below(4) ? zero_ts : short_ts, *rewritten = true;
		return PASS_CALL;
	case NR_poll:
	case NR_epoll_wait:
	case NR_epoll_pwait:
		a[nr == NR_poll ? 2 : 3] = 0, *rewritten = true;
		return PASS_CALL;
	case NR_select:
	case NR_pselect6:
		a[4] = zero_ts, *rewritten = true;
		return PASS_CALL;
	case NR_ppoll:
	case NR_rt_sigtimedwait:
		a[2] = zero_ts, *rewritten = true;
		return PASS_CALL;
	case NR_epoll_pwait2:
	case NR_futex:
	case NR_futex_waitv:
		a[3] = zero_ts, *rewritten = true;
		return PASS_CALL;
	case NR_wait4:
		a[2] |= WNOHANG, *rewritten = true; /* children exit at once, but a stray may not */
		return PASS_CALL;
	case NR_waitid:
		a[3] |= WNOHANG, *rewritten = true;
		return PASS_CALL;
	}
	return PASS_CALL;
}

static void count_result(uint64_t nr, long r, bool counted)
{
	if (!counted)
		rep.f[R_CALLS]++;
	if (r >= 0 || r < -4095) {
		rep.f[R_OK]++;
		if ((nr == NR_fork || nr == NR_vfork || nr == NR_clone || nr == NR_clone3) && r > 0) {
			rep.f[R_FORKS]++;
			/* reap what exited already (the children exit at once) */
			while (sys_wait4(-1, 0, WNOHANG, 0) > 0)
				;
		}
		return;
	}
	switch (-r) {
	case ENOSYS:
		rep.f[R_ENOSYS]++;
		break;
	case EFAULT:
		rep.f[R_EFAULT]++;
		break;
	case EINVAL:
		rep.f[R_EINVAL]++;
		break;
	case EBADF:
		rep.f[R_EBADF]++;
		break;
	case ENOMEM:
		rep.f[R_ENOMEM]++;
		break;
	default:
		rep.f[R_OTHER]++;
	}
}

static bool maybe_fatal(uint64_t nr)
{
	return nr == NR_exit || nr == NR_exit_group || nr == NR_kill || nr == NR_tkill || nr == NR_tgkill ||
	       nr == NR_rt_sigreturn || nr == NR_rt_sigqueueinfo || nr == NR_rt_tgsigqueueinfo || nr == NR_pause ||
	       nr == NR_rt_sigsuspend;
}

static void __attribute__((noreturn)) worker(int s, uint64_t seed)
{
	slot = s;
	rng = splitmix(seed) | 1;
	my_pid = sys_getpid();
	memset(&rep, 0, sizeof rep);
	setup_files();
	setup_memory();
	for (;;) {
		uint64_t nr = pick_nr();
		long a[6];
		for (int i = 0; i < 6; i++)
			a[i] = pick_arg();
		bool rewritten = false;
		int why = sanitize(nr, a, &rewritten);
		if (why != PASS_CALL) {
			rep.f[why == FILTER_REBOOT ? R_F_REBOOT
			      : why == FILTER_KILL ? R_F_KILL
			      : why == FILTER_BLOCK ? R_F_BLOCK
			      : why == FILTER_FD   ? R_F_FD
						   : R_F_OTHER]++;
			continue;
		}
		if (rewritten)
			rep.f[R_REWRITTEN]++;
		if (maybe_fatal(nr)) {
			/* count it now: the worker may not come back */
			rep.f[R_CALLS]++;
			report_send();
			count_result(nr, fz_call((long)nr, a, scratch_ptr() & ~15l), true);
		} else {
			count_result(nr, fz_call((long)nr, a, 0), false);
		}
		if (++since_report >= REPORT_EVERY) {
			while (sys_wait4(-1, 0, WNOHANG, 0) > 0)
				;
			report_send();
		}
	}
}

/* ================= the heartbeat ================= */

static void __attribute__((noreturn)) heartbeat(int beat_fd)
{
	long last = now_ms();
	for (uint32_t n = 1;; n++) {
		sleep_ms(BEAT_MS);
		long t = now_ms();
		struct beat b = {BEAT_MAGIC, n, t - last};
		last = t;
		if (n == 1 || n % 50 == 0) /* alive, on the console: every 10 s */
			lt_printf("sysfuzz: beat %u\n", n);
		sys_write(beat_fd, &b, sizeof b);
	}
}

/* ================= the supervisor ================= */

static struct {
	long pid;
	long last_ms;        /* the last report */
	bool alive;
} workers[WORKERS];

static uint64_t totals[R_NFIELDS];
static unsigned generation, deaths, died_signal, died_exit, stuck_kills, strays, fork_failures;
static long last_fork_error; /* the last failed fork's result */
static unsigned death_sig[65];

static long spawn_worker(int s, int report_rd, int beat_rd)
{
	uint64_t seed = base_seed ^ splitmix(++generation);
	long pid = sys_fork();
	if (pid == 0) {
		sys_close(report_rd);
		sys_close(beat_rd);
		worker(s, seed);
	}
	if (pid < 0) {
		fork_failures++;
		last_fork_error = pid;
		return pid;
	}
	workers[s].pid = pid;
	workers[s].alive = true;
	workers[s].last_ms = now_ms();
	return pid;
}

static void drain_reports(int fd)
{
	static struct report buf[32];
	for (;;) {
		long n = sys_read(fd, buf, sizeof buf);
		if (n <= 0)
			return;
		for (long i = 0; i < n / (long)sizeof(struct report); i++) {
			if ((buf[i].magic_slot & 0xffff0000u) != REPORT_MAGIC)
				continue;
			unsigned s = buf[i].magic_slot & 0xffff;
			for (int f = 0; f < R_NFIELDS; f++)
				totals[f] += buf[i].f[f];
			if (s < WORKERS)
				workers[s].last_ms = now_ms();
		}
	}
}

static uint32_t beats;
static long last_beat_ms, max_gap_ms;
static char fail_why[160];

static void fail(const char *why)
{
	if (!fail_why[0])
		lt_snprintf(fail_why, sizeof fail_why, "%s", why);
}

static void drain_beats(int fd)
{
	struct beat b[16];
	for (;;) {
		long n = sys_read(fd, b, sizeof b);
		if (n <= 0)
			return;
		for (long i = 0; i < n / (long)sizeof(struct beat); i++) {
			if (b[i].magic != BEAT_MAGIC)
				continue;
			beats = b[i].n;
			last_beat_ms = now_ms();
			if (b[i].gap_ms > max_gap_ms)
				max_gap_ms = b[i].gap_ms;
			if (b[i].gap_ms > BEAT_BOUND_MS) {
				char why[96];
				lt_snprintf(why, sizeof why, "heartbeat missed: %ld ms between beats %u and %u (bound %d ms)",
					    (long)b[i].gap_ms, b[i].n - 1, b[i].n, BEAT_BOUND_MS);
				fail(why);
			}
		}
	}
}

/* Free memory in KiB: MemFree of /proc/meminfo, else sysinfo's freeram; -1 when neither exists. */
static long free_kib(const char **how)
{
	long fd = sys_open("/proc/meminfo", O_RDONLY);
	if (fd >= 0) {
		char buf[1024];
		long n = sys_read((int)fd, buf, sizeof buf - 1);
		sys_close((int)fd);
		if (n > 0) {
			buf[n] = 0;
			for (char *s = buf; s && *s; s = strchr(s, '\n'), s = s ? s + 1 : 0) {
				if (strncmp(s, "MemFree:", 8))
					continue;
				s += 8;
				while (*s == ' ')
					s++;
				long v = 0;
				while (*s >= '0' && *s <= '9')
					v = v * 10 + (*s++ - '0');
				*how = "MemFree of /proc/meminfo";
				return v;
			}
		}
	}
	uint64_t si[16];
	memset(si, 0, sizeof si);
	if (lt_syscall(NR_sysinfo, si, 0, 0) == 0) {
		uint32_t unit = (uint32_t)si[13]; /* mem_unit at byte 104 */
		*how = "sysinfo freeram";
		return (long)((si[5] * (unit ? unit : 1)) >> 10); /* freeram at byte 40 */
	}
	*how = "none";
	return -1;
}

static long total_mib(void)
{
	long fd = sys_open("/proc/meminfo", O_RDONLY);
	if (fd >= 0) {
		char buf[256];
		long n = sys_read((int)fd, buf, sizeof buf - 1);
		sys_close((int)fd);
		if (n > 9 && !strncmp(buf, "MemTotal:", 9)) {
			buf[n] = 0;
			char *s = buf + 9;
			while (*s == ' ')
				s++;
			long v = 0;
			while (*s >= '0' && *s <= '9')
				v = v * 10 + (*s++ - '0');
			return v >> 10;
		}
	}
	uint64_t si[16];
	memset(si, 0, sizeof si);
	if (lt_syscall(NR_sysinfo, si, 0, 0) == 0) {
		uint32_t unit = (uint32_t)si[13];
		return (long)((si[4] * (unit ? unit : 1)) >> 20);
	}
	return -1;
}

static bool contains(const char *s, const char *w)
{
	for (size_t n = strlen(w); *s; s++)
		if (!strncmp(s, w, n))
			return true;
	return false;
}

static char *const env[] = {"PATH=/bin", "HOME=/", "TERM=linux", NULL};

/* fork + execve + wait4: the wait status, or -errno */
static long run_prog(char *const argv[])
{
	long pid = sys_fork();
	if (pid == 0) {
		sys_execve(argv[0], argv, env);
		sys_exit(127);
	}
	if (pid < 0)
		return pid;
	int st = 0;
	long r;
	while ((r = sys_wait4((int)pid, &st, 0, 0)) != pid)
		if (r != -EINTR && r < 0)
			return r;
	return st;
}

/* The probe: each number once, in a child, with arguments that are all a
 * kernel address as a pointer and a negative number as an int; which ones
 * lx implements (not -ENOSYS). The calls that would end or block the child
 * are left out of the probe (they are fuzzed all the same). */
static void probe(void)
{
	static const uint16_t skip[] = {NR_rt_sigreturn, NR_pause, NR_execve, NR_exit, NR_kill, NR_fork, NR_vfork,
					NR_clone, 169, NR_tkill, NR_tgkill, NR_exit_group, NR_rt_sigqueueinfo,
					NR_rt_sigsuspend, NR_rt_tgsigqueueinfo, NR_ptrace, NR_process_vm_readv,
					NR_process_vm_writev, NR_execveat, NR_clone3, NR_pidfd_send_signal, NR_poll,
					NR_select, NR_pselect6, NR_ppoll, NR_epoll_wait, NR_epoll_pwait,
					NR_epoll_pwait2, NR_futex, NR_futex_waitv, NR_rt_sigtimedwait, NR_nanosleep,
					NR_clock_nanosleep, NR_close_range, NR_wait4, NR_waitid, NR_setrlimit};
	int p[2];
	if (sys_pipe(p) < 0)
		return;
	long pid = sys_fork();
	if (pid == 0) {
		sys_close(p[0]);
		for (int nr = 0; nr < MAX_NR; nr++) {
			bool s = false;
			for (unsigned i = 0; i < sizeof skip / sizeof skip[0]; i++)
				s |= skip[i] == nr;
			uint8_t v = 2; /* skipped: counts as implemented */
			if (!s) {
				const long k = (long)0xffff8000fffff000ull;
				long args[6] = {k, k, k, k, k, k};
				v = fz_call(nr, args, 0) == -ENOSYS ? 0 : 1;
			}
			sys_write(p[1], &v, 1);
		}
		sys_exit(0);
	}
	sys_close(p[1]);
	int got = 0;
	while (got < MAX_NR) {
		long n = sys_read(p[0], implemented + got, (size_t)(MAX_NR - got));
		if (n <= 0)
			break;
		got += (int)n;
	}
	sys_close(p[0]);
	int st;
	sys_wait4((int)pid, &st, 0, 0);
	unsigned real = 0;
	for (int nr = 0; nr < MAX_NR; nr++) {
		if (nr >= got)
			implemented[nr] = 2;
		if (implemented[nr])
			impl_list[impl_count++] = (uint16_t)nr;
		real += implemented[nr] == 1;
	}
	lt_printf("sysfuzz: probe: lx implements %u of the %d numbers probed (%u left out of the probe)\n", real,
		  got, impl_count - real);
}

static void kill_and_reap_all(int report_rd, int beat_rd)
{
	for (int s = 0; s < WORKERS; s++)
		if (workers[s].alive)
			sys_kill((int)workers[s].pid, SIGKILL);
	if (beat_pid > 0)
		sys_kill((int)beat_pid, SIGKILL);
	for (;;) {
		int st;
		long r = sys_wait4(-1, &st, 0, 0);
		if (r == -EINTR)
			continue;
		if (r <= 0)
			break;
		for (int s = 0; s < WORKERS; s++)
			if (workers[s].alive && workers[s].pid == r)
				workers[s].alive = false;
		drain_reports(report_rd);
		drain_beats(beat_rd);
	}
	drain_reports(report_rd);
	drain_beats(beat_rd);
}

int main(int argc, char **argv)
{
	/* the safeguard: lx only */
	char uts[390];
	if (sys_uname(uts) != 0 || !contains(uts + 130, "pecan-lx")) {
		lt_printf("sysfuzz: not on lx (uname release is not *pecan-lx*): refusing to make random system calls\n");
		return 2;
	}
	super_pid = sys_getpid();
	long target = 0;
	base_seed = DEFAULT_SEED;
	if (argc > 1) {
		for (const char *s = argv[1]; *s >= '0' && *s <= '9'; s++)
			target = target * 10 + (*s - '0');
	}
	if (argc > 2) {
		base_seed = 0;
		for (const char *s = argv[2]; *s; s++)
			base_seed = base_seed * 16 + (uint64_t)(*s <= '9' ? *s - '0' : (*s | 0x20) - 'a' + 10);
	}
	long mib = total_mib();
	if (target <= 0)
		target = mib >= FULL_MEM_MIB ? FULL_CALLS : QUICK_CALLS;
	lt_printf("sysfuzz: %ld calls by %d workers, seed 0x%lx, guest memory %ld MiB\n", target, WORKERS,
		  (unsigned long)base_seed, mib);

	/* the workers' directory; the free memory before */
	lt_syscall(NR_mkdir, "/tmp", 01777, 0);
	lt_syscall(NR_mkdir, "/tmp/fz", 0755, 0);
	probe();
	const char *how;
	long free_before = free_kib(&how);
	lt_printf("sysfuzz: free memory before: %ld KiB (%s)\n", free_before, how);

	int rp[2], bp[2];
	if (lt_syscall(NR_pipe2, rp, O_CLOEXEC, 0) < 0 || lt_syscall(NR_pipe2, bp, O_CLOEXEC, 0) < 0) {
		lt_printf("sysfuzz: FAIL no pipes\n");
		return 1;
	}
	/* the write end of the report pipe at REPORT_FD (inherited by the workers) */
	if (lt_syscall(NR_dup2, rp[1], REPORT_FD, 0) != REPORT_FD) {
		lt_printf("sysfuzz: FAIL cannot place the report pipe at fd %d\n", REPORT_FD);
		return 1;
	}
	sys_close(rp[1]);
	lt_syscall(NR_fcntl, REPORT_FD, F_SETFD, FD_CLOEXEC);
	lt_syscall(NR_fcntl, rp[0], 4 /* F_SETFL */, O_NONBLOCK);
	lt_syscall(NR_fcntl, bp[0], 4, O_NONBLOCK);

	beat_pid = sys_fork();
	if (beat_pid == 0) {
		sys_close(rp[0]);
		sys_close(REPORT_FD);
		sys_close(bp[0]);
		heartbeat(bp[1]);
	}
	sys_close(bp[1]);
	long t0 = now_ms();
	last_beat_ms = t0;
	for (int s = 0; s < WORKERS; s++)
		spawn_worker(s, rp[0], bp[0]);

	uint64_t next_progress = (uint64_t)target / 10;
	bool beat_alive = true;
	long no_workers_since = 0; /* when the last worker was seen alive, while none is */
	while (totals[R_CALLS] < (uint64_t)target && !fail_why[0]) {
		sleep_ms(POLL_MS);
		drain_reports(rp[0]);
		drain_beats(bp[0]);
		long now = now_ms();
		int st;
		long pid;
		while ((pid = sys_wait4(-1, &st, WNOHANG, 0)) > 0) {
			int s = -1;
			for (int i = 0; i < WORKERS; i++)
				if (workers[i].alive && workers[i].pid == pid)
					s = i;
			if (pid == beat_pid) {
				beat_alive = false;
				fail("the heartbeat process died");
				continue;
			}
			if (s < 0) {
				strays++; /* a worker's orphan (clone with CLONE_PARENT, or its parent died first) */
				continue;
			}
			workers[s].alive = false;
			deaths++;
			if (WIFSIGNALED(st)) {
				died_signal++;
				death_sig[WTERMSIG(st) & 63]++;
			} else {
				died_exit++;
			}
			drain_reports(rp[0]);
			if (totals[R_CALLS] < (uint64_t)target)
				spawn_worker(s, rp[0], bp[0]);
		}
		for (int s = 0; s < WORKERS; s++) {
			if (!workers[s].alive)
				spawn_worker(s, rp[0], bp[0]); /* a fork that failed before */
			else if (now - workers[s].last_ms > STUCK_MS) {
				sys_kill((int)workers[s].pid, SIGKILL);
				stuck_kills++;
				workers[s].last_ms = now; /* once per STUCK_MS */
			}
		}
		int alive = 0;
		for (int s = 0; s < WORKERS; s++)
			alive += workers[s].alive;
		if (alive)
			no_workers_since = 0;
		else if (!no_workers_since)
			no_workers_since = now;
		else if (now - no_workers_since > STUCK_MS) {
			char why[96];
			lt_snprintf(why, sizeof why, "no worker could be forked for %ld ms (fork: %ld; %u forks failed)",
				    now - no_workers_since, last_fork_error, fork_failures);
			fail(why);
		}
		if (beat_alive && now - last_beat_ms > 3 * BEAT_BOUND_MS) {
			char why[96];
			lt_snprintf(why, sizeof why, "heartbeat missed: no beat for %ld ms after beat %u", now - last_beat_ms,
				    beats);
			fail(why);
		}
		if (totals[R_CALLS] >= next_progress) {
			lt_printf("sysfuzz: %lu calls, %u workers died, %u stuck ones killed, %ld s\n",
				  (unsigned long)totals[R_CALLS], deaths, stuck_kills, (now - t0) / 1000);
			next_progress += (uint64_t)target / 10;
		}
	}
	long t1 = now_ms();
	kill_and_reap_all(rp[0], bp[0]);
	sys_close(rp[0]);
	sys_close(REPORT_FD);
	sys_close(bp[0]);

	/* the workers' files go; then the memory must be back */
	char *rm[] = {"/bin/busybox", "rm", "-rf", "/tmp/fz", NULL};
	long st_rm = run_prog(rm);
	long free_after = free_kib(&how);
	lt_printf("sysfuzz: free memory after: %ld KiB (%s), before %ld KiB, difference %ld KiB (slack %d KiB)\n",
		  free_after, how, free_before, free_after - free_before, LEAK_SLACK_KIB);
	if (st_rm != 0)
		lt_printf("sysfuzz: note: rm -rf /tmp/fz gave status %ld\n", st_rm);
	if (free_before >= 0 && free_after < free_before - LEAK_SLACK_KIB) {
		char why[96];
		lt_snprintf(why, sizeof why, "memory leak: %ld KiB less free memory than before the run",
			    free_before - free_after);
		fail(why);
	}
	char *sh[] = {"/bin/busybox", "sh", "-c", "echo alive", NULL};
	long st_sh = run_prog(sh);
	if (st_sh != 0) {
		char why[64];
		lt_snprintf(why, sizeof why, "busybox sh -c 'echo alive' gave status %ld", st_sh);
		fail(why);
	}

	uint64_t filtered = totals[R_F_REBOOT] + totals[R_F_KILL] + totals[R_F_BLOCK] + totals[R_F_FD] + totals[R_F_OTHER];
	lt_printf("sysfuzz: %lu calls by %u workers, %u workers died, filtered %lu; errors: ok %lu, ENOSYS %lu, "
		  "EFAULT %lu, EINVAL %lu, EBADF %lu, ENOMEM %lu, other %lu\n",
		  (unsigned long)totals[R_CALLS], generation, deaths, (unsigned long)filtered,
		  (unsigned long)totals[R_OK], (unsigned long)totals[R_ENOSYS], (unsigned long)totals[R_EFAULT],
		  (unsigned long)totals[R_EINVAL], (unsigned long)totals[R_EBADF], (unsigned long)totals[R_ENOMEM],
		  (unsigned long)totals[R_OTHER]);
	lt_printf("sysfuzz: filtered: reboot %lu, kill/ptrace of the fuzzer %lu, blocking %lu, report fd %lu; "
		  "rewritten %lu; forks %lu\n",
		  (unsigned long)totals[R_F_REBOOT], (unsigned long)totals[R_F_KILL], (unsigned long)totals[R_F_BLOCK],
		  (unsigned long)totals[R_F_FD], (unsigned long)totals[R_REWRITTEN], (unsigned long)totals[R_FORKS]);
	char sigs[256];
	int o = 0;
	sigs[0] = 0;
	for (int i = 1; i < 65; i++)
		if (death_sig[i] && o < 230)
			o += lt_snprintf(sigs + o, sizeof sigs - (size_t)o, " sig%d:%u", i, death_sig[i]);
	lt_printf("sysfuzz: deaths: %u by signal (%s ), %u by exit; %u stuck ones killed; %u strays reaped; "
		  "%u failed forks\n",
		  died_signal, sigs, died_exit, stuck_kills, strays, fork_failures);
	lt_printf("sysfuzz: heartbeat: %u beats, largest gap %ld ms (bound %d ms); %ld s of fuzzing, %lu calls/s\n",
		  beats, max_gap_ms, BEAT_BOUND_MS, (t1 - t0) / 1000,
		  (unsigned long)(totals[R_CALLS] * 1000 / (uint64_t)(t1 - t0 > 0 ? t1 - t0 : 1)));
	if (totals[R_CALLS] < (uint64_t)target)
		fail("the run ended early");
	if (fail_why[0])
		lt_printf("sysfuzz: FAIL %s\n", fail_why);
	else
		lt_printf("sysfuzz: PASS\n");
	if (super_pid == 1)
		sys_reboot(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_POWER_OFF);
	return fail_why[0] ? 1 : 0;
}
