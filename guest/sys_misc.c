/*
 * System calls busybox's applets need beyond the core: the clock (realtime,
 * monotonic, sleeping), sysinfo, times, getrusage, sendfile, mount and
 * umount2, prctl, syslog, the scheduler's affinity and CPU queries, and
 * silent -ENOSYS for the calls glibc only probes (rseq).
 */
#include "fs/fs.h"
#include "mm.h"
#include "printk.h"
#include "proc.h"
#include "sys_misc.h"
#include "stdlib.h"
#include "string.h"

#define ARGS uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5
#define UNUSED6 (void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5

long sys_enosys_silent(struct lx_proc *p, ARGS)
{
	(void)p;
	UNUSED6;
	return -LX_ENOSYS;
}

/* ---- the clock ---- */

/*
 * The realtime clock starts at the machine's clock at boot (the kernel
 * reads the CMOS RTC into the kernel info page, the roottask passes it in
 * lx's environment: lx_realtime_init), or at LX_EPOCH, the build's time,
 * when there is none; it runs with lx's tick; clock_settime and
 * settimeofday move it.
 */
#ifndef LX_EPOCH
#define LX_EPOCH 1767225600 /* 2026-01-01 00:00:00 UTC */
#endif
static int64_t realtime_offset_ns = (int64_t)LX_EPOCH * 1000000000;

void lx_realtime_init(uint64_t boot_time)
{
	if (boot_time)
		realtime_offset_ns = (int64_t)boot_time * 1000000000;
}

static int64_t uptime_ns(void)
{
	return (int64_t)(lx_ticks() * LX_TICK_NS);
}

int64_t lx_boot_time(void)
{
	return realtime_offset_ns / 1000000000;
}

enum {
	CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1, CLOCK_PROCESS_CPUTIME_ID = 2, CLOCK_THREAD_CPUTIME_ID = 3,
	CLOCK_MONOTONIC_RAW = 4, CLOCK_REALTIME_COARSE = 5, CLOCK_MONOTONIC_COARSE = 6, CLOCK_BOOTTIME = 7,
	CLOCK_REALTIME_ALARM = 8, CLOCK_BOOTTIME_ALARM = 9, CLOCK_TAI = 11,
};

static bool clock_valid(uint64_t clock)
{
	return clock <= 11 && clock != 10;
}

static bool is_realtime(uint64_t clock)
{
	return clock == CLOCK_REALTIME || clock == CLOCK_REALTIME_COARSE || clock == CLOCK_REALTIME_ALARM ||
	       clock == CLOCK_TAI;
}

/* The clock's time in ns (the CPU-time clocks give the uptime here: see sys_clock_gettime). */
static int64_t clock_ns(uint64_t clock)
{
	return is_realtime(clock) ? realtime_offset_ns + uptime_ns() : uptime_ns();
}

struct ktimespec {
	int64_t sec, nsec;
};

static long sys_clock_gettime(struct lx_proc *p, ARGS)
{
	UNUSED6;
	if (!clock_valid(a0))
		return -LX_EINVAL;
	int64_t ns = clock_ns(a0);
	if (a0 == CLOCK_PROCESS_CPUTIME_ID || a0 == CLOCK_THREAD_CPUTIME_ID)
		ns = (int64_t)((p->utime + p->stime) * LX_TICK_NS); /* the caller's CPU time, by the tick */
	struct ktimespec ts = {ns / 1000000000, ns % 1000000000};
	return lx_copy_to_user(p, a1, &ts, sizeof(ts));
}

static long sys_clock_getres(struct lx_proc *p, ARGS)
{
	UNUSED6;
	if (!clock_valid(a0))
		return -LX_EINVAL;
	struct ktimespec ts = {0, (int64_t)LX_TICK_NS};
	return a1 ? lx_copy_to_user(p, a1, &ts, sizeof(ts)) : 0;
}

static long set_realtime(int64_t ns)
{
	if (ns < 0)
		return -LX_EINVAL;
	realtime_offset_ns = ns - uptime_ns();
	return 0;
}

static long sys_clock_settime(struct lx_proc *p, ARGS)
{
	UNUSED6;
	if (!clock_valid(a0))
		return -LX_EINVAL;
	if (a0 != CLOCK_REALTIME)
		return -LX_EINVAL;
	struct ktimespec ts;
	if (lx_copy_from_user(p, &ts, a1, sizeof(ts)))
		return -LX_EFAULT;
	if (ts.nsec < 0 || ts.nsec >= 1000000000)
		return -LX_EINVAL;
	return set_realtime(ts.sec * 1000000000 + ts.nsec);
}

static long sys_gettimeofday(struct lx_proc *p, ARGS)
{
	UNUSED6;
	int64_t ns = clock_ns(CLOCK_REALTIME);
	int64_t tv[2] = {ns / 1000000000, ns % 1000000000 / 1000};
	if (a0 && lx_copy_to_user(p, a0, tv, sizeof(tv)))
		return -LX_EFAULT;
	int32_t tz[2] = {0, 0}; /* UTC */
	if (a1 && lx_copy_to_user(p, a1, tz, sizeof(tz)))
		return -LX_EFAULT;
	return 0;
}

static long sys_settimeofday(struct lx_proc *p, ARGS)
{
	UNUSED6;
	if (!a0)
		return 0;
	int64_t tv[2];
	if (lx_copy_from_user(p, tv, a0, sizeof(tv)))
		return -LX_EFAULT;
	if (tv[1] < 0 || tv[1] >= 1000000)
		return -LX_EINVAL;
	return set_realtime(tv[0] * 1000000000 + tv[1] * 1000);
}

static long sys_time(struct lx_proc *p, ARGS)
{
	UNUSED6;
	int64_t t = clock_ns(CLOCK_REALTIME) / 1000000000;
	if (a0 && lx_copy_to_user(p, a0, &t, 8))
		return -LX_EFAULT;
	return t;
}

/* Sleeps until the deadline (ticks); a rerun goes on with the first run's deadline. */
static long sleep_to(struct lx_proc *p, uint64_t deadline)
{
	if (lx_ticks() >= deadline) {
		lx_wait_done(p);
		return 0;
	}
	return lx_wait_sleep(p, NULL, deadline, false);
}

static long sys_nanosleep(struct lx_proc *p, ARGS)
{
	UNUSED6;
	uint64_t deadline;
	if (!lx_wait_resume(p, &deadline)) {
		struct ktimespec ts;
		if (lx_copy_from_user(p, &ts, a0, sizeof(ts)))
			return -LX_EFAULT;
		if (ts.sec < 0 || ts.nsec < 0 || ts.nsec >= 1000000000)
			return -LX_EINVAL;
		if (ts.sec > 100000000)
			ts.sec = 100000000;
		deadline = lx_deadline_after_ns((uint64_t)ts.sec * 1000000000 + (uint64_t)ts.nsec);
	}
	return sleep_to(p, deadline);
}

/* clock_nanosleep(clock, flags, request, remain): TIMER_ABSTIME too. */
static long sys_clock_nanosleep(struct lx_proc *p, ARGS)
{
	UNUSED6;
	if (!clock_valid(a0) || a0 == CLOCK_THREAD_CPUTIME_ID)
		return -LX_EINVAL;
	uint64_t deadline;
	if (!lx_wait_resume(p, &deadline)) {
		struct ktimespec ts;
		if (lx_copy_from_user(p, &ts, a2, sizeof(ts)))
			return -LX_EFAULT;
		if (ts.sec < 0 || ts.nsec < 0 || ts.nsec >= 1000000000)
			return -LX_EINVAL;
		if (ts.sec > 100000000)
			ts.sec = 100000000;
		int64_t ns = ts.sec * 1000000000 + ts.nsec;
		if (a1 & 1) { /* TIMER_ABSTIME: the clock's time to wake at */
			int64_t now = a0 == CLOCK_PROCESS_CPUTIME_ID ? (int64_t)((p->utime + p->stime) * LX_TICK_NS)
								     : clock_ns(a0);
			ns = ns > now ? ns - now : 0;
		}
		deadline = lx_deadline_after_ns((uint64_t)ns);
	}
	return sleep_to(p, deadline);
}

/* ---- system information ---- */

static unsigned count_procs(void)
{
	unsigned n = 0;
	for (unsigned i = 0; i < LX_MAX_PROCS; i++)
		n += lx_procs[i].state != LX_FREE;
	return n;
}

struct ksysinfo {
	int64_t uptime;
	uint64_t loads[3];
	uint64_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	uint16_t procs, pad;
	uint32_t pad2;
	uint64_t totalhigh, freehigh;
	uint32_t mem_unit;
	char reserved[4];
};
_Static_assert(sizeof(struct ksysinfo) == 112, "x86-64 struct sysinfo");

static long sys_sysinfo(struct lx_proc *p, ARGS)
{
	UNUSED6;
	struct ksysinfo si;
	memset(&si, 0, sizeof(si));
	si.uptime = (int64_t)(lx_ticks() / 100);
	si.totalram = lx_pages_total() * LX_PAGE;
	si.freeram = lx_pages_free() * LX_PAGE;
	si.procs = (uint16_t)count_procs();
	for (unsigned k = 0; k < 3; k++)
		si.loads[k] = lx_avenrun[k] << (16 - LX_FSHIFT); /* sysinfo's loads: fixed point with 16 bits */
	si.mem_unit = 1;
	return lx_copy_to_user(p, a0, &si, sizeof(si));
}

/* times: the caller's CPU times and its reaped children's, in ticks
 * (USER_HZ is lx's 100 Hz); the value is the ticks since boot. */
static long sys_times(struct lx_proc *p, ARGS)
{
	UNUSED6;
	uint64_t tms[4] = {p->utime, p->stime, p->cutime, p->cstime};
	if (a0 && lx_copy_to_user(p, a0, tms, sizeof(tms)))
		return -LX_EFAULT;
	return (long)lx_ticks();
}

void lx_fill_rusage(uint8_t ru[LX_RUSAGE_SIZE], uint64_t utime, uint64_t stime)
{
	/* struct rusage: ru_utime, ru_stime (struct timeval each), then 14 longs lx leaves 0 */
	memset(ru, 0, LX_RUSAGE_SIZE);
	int64_t tv[4] = {(int64_t)(utime / 100), (int64_t)(utime % 100 * 10000), (int64_t)(stime / 100),
			 (int64_t)(stime % 100 * 10000)};
	memcpy(ru, tv, sizeof(tv));
}

static long sys_getrusage(struct lx_proc *p, ARGS)
{
	UNUSED6;
	int who = (int)a0;
	if (who != 0 && who != -1 && who != 1)
		return -LX_EINVAL;
	/* RUSAGE_SELF (0) and RUSAGE_THREAD (1, one thread per process): its own; RUSAGE_CHILDREN (-1): the reaped ones' */
	uint8_t ru[LX_RUSAGE_SIZE];
	if (who == -1)
		lx_fill_rusage(ru, p->cutime, p->cstime);
	else
		lx_fill_rusage(ru, p->utime, p->stime);
	return lx_copy_to_user(p, a1, ru, sizeof(ru));
}

/* ---- sendfile: from a file whose bytes lx holds (RAM file, /proc) to any fd that can take them ---- */

#define IO_MAX 0x7ffff000ul

static long sys_sendfile(struct lx_proc *p, ARGS)
{
	UNUSED6;
	struct lx_file *out = fd_get(p, (int)(uint32_t)a0), *in = fd_get(p, (int)(uint32_t)a1);
	if (!out || !in || (in->flags & LX_O_PATH) || (out->flags & LX_O_PATH))
		return -LX_EBADF;
	if ((in->flags & LX_O_ACCMODE) == LX_O_WRONLY || (out->flags & LX_O_ACCMODE) == LX_O_RDONLY)
		return -LX_EBADF;
	if (out->flags & LX_O_APPEND)
		return -LX_EINVAL;
	const uint8_t *data;
	size_t size;
	if (in->inode && in->ops == &fs_regular_ops && LX_S_ISREG(in->inode->mode)) {
		data = in->inode->reg.data;
		size = (size_t)in->inode->size;
	} else if (!procfs_file_data(in, &data, &size)) {
		return -LX_EINVAL; /* busybox reads and writes instead */
	}
	bool console = out->inode && LX_S_ISCHR(out->inode->mode) && (out->inode->rdev >> 8) == 5;
	if (!out->ops || (!out->ops->kwrite && !console))
		return -LX_EINVAL;
	uint64_t pos = in->pos;
	if (a2) {
		int64_t off;
		if (lx_copy_from_user(p, &off, a2, 8))
			return -LX_EFAULT;
		if (off < 0)
			return -LX_EINVAL;
		pos = (uint64_t)off;
	}
	uint64_t count = a3 > IO_MAX ? IO_MAX : a3;
	size_t n = pos >= size ? 0 : (size_t)(size - pos < count ? size - pos : count);
	/* through a buffer: the destination may be the source itself (its data may move) */
	size_t done = 0;
	uint8_t *tmp = n ? malloc(n < 65536 ? n : 65536) : NULL;
	if (n && !tmp)
		return -LX_ENOMEM;
	long err = 0;
	while (done < n) {
		size_t c = n - done < 65536 ? n - done : 65536;
		memcpy(tmp, data + pos + done, c);
		long w;
		if (console) {
			lx_console_write((const char *)tmp, c);
			w = (long)c;
		} else {
			w = out->ops->kwrite(out, tmp, c, &out->pos);
		}
		if (w <= 0) {
			err = w;
			break;
		}
		done += (size_t)w;
		if ((size_t)w < c)
			break;
		if (in->inode && LX_S_ISREG(in->inode->mode) && in->ops == &fs_regular_ops)
			data = in->inode->reg.data; /* may have moved */
	}
	free(tmp);
	if (!done && err < 0)
		return err;
	if (a2) {
		int64_t off = (int64_t)(pos + done);
		if (lx_copy_to_user(p, a2, &off, 8))
			return -LX_EFAULT;
	} else {
		in->pos = pos + done;
	}
	return (long)done;
}

/* ---- mount ---- */

static long string_arg(struct lx_proc *p, uint64_t u, char *buf, size_t size, const char **out)
{
	*out = NULL;
	if (!u)
		return 0;
	long n = lx_strncpy_from_user(p, buf, u, size);
	if (n < 0)
		return n;
	*out = buf;
	return 0;
}

static long sys_mount(struct lx_proc *p, ARGS)
{
	UNUSED6;
	char source[64], target[LX_PATH_MAX], type[32];
	const char *s, *t, *ty;
	long err;
	if ((err = string_arg(p, a0, source, sizeof(source), &s)) || (err = string_arg(p, a1, target, sizeof(target), &t)) ||
	    (err = string_arg(p, a2, type, sizeof(type), &ty)))
		return err;
	if (!t)
		return -LX_EFAULT;
	unsigned long flags = a3;
	if ((flags & 0xffff0000ul) == 0xc0ed0000ul)
		flags &= 0xffff; /* the old magic */
	err = fs_mount(p, s, t, ty, flags);
	if (!err)
		lx_printk(LX_KERN_INFO "lx: mounted %s (%s) on %s", s ? s : "none", ty ? ty : "bind", t);
	return err;
}

static long sys_umount2(struct lx_proc *p, ARGS)
{
	UNUSED6;
	char target[LX_PATH_MAX];
	long err = lx_strncpy_from_user(p, target, a0, sizeof(target));
	if (err < 0)
		return err;
	return fs_umount(p, target, (unsigned)a1);
}

/* ---- processes ---- */

enum { PR_SET_PDEATHSIG = 1, PR_GET_PDEATHSIG = 2, PR_GET_DUMPABLE = 3, PR_SET_DUMPABLE = 4, PR_SET_NAME = 15,
       PR_GET_NAME = 16 };

static long sys_prctl(struct lx_proc *p, ARGS)
{
	UNUSED6;
	switch (a0) {
	case PR_SET_NAME: {
		char name[16];
		memset(name, 0, sizeof(name));
		long n = lx_strncpy_from_user(p, name, a1, sizeof(name));
		if (n == -LX_ENAMETOOLONG) {
			if (lx_copy_from_user(p, name, a1, sizeof(name) - 1))
				return -LX_EFAULT;
			name[15] = 0;
		} else if (n < 0) {
			return n;
		}
		memcpy(p->comm, name, sizeof(p->comm));
		return 0;
	}
	case PR_GET_NAME:
		return lx_copy_to_user(p, a1, p->comm, sizeof(p->comm));
	case PR_SET_PDEATHSIG:
		return a1 < 65 ? 0 : -LX_EINVAL; /* accepted, not kept */
	case PR_GET_PDEATHSIG: {
		int32_t zero = 0;
		return lx_copy_to_user(p, a1, &zero, 4);
	}
	case PR_GET_DUMPABLE:
		return 1;
	case PR_SET_DUMPABLE:
		return a1 <= 1 ? 0 : -LX_EINVAL;
	}
	return -LX_EINVAL;
}

static long sys_syslog(struct lx_proc *p, ARGS)
{
	UNUSED6;
	return lx_syslog(p, (int)a0, a1, (long)(int32_t)a2);
}

/* ---- the one CPU ---- */

static long sys_sched_getaffinity(struct lx_proc *p, ARGS)
{
	UNUSED6;
	if ((int)a0 != 0 && !proc_find((int)a0))
		return -LX_ESRCH;
	if (a1 < 8 || (a1 & 7))
		return -LX_EINVAL;
	uint64_t mask = 1;
	if (lx_copy_to_user(p, a2, &mask, 8))
		return -LX_EFAULT;
	return 8;
}

static long sys_sched_setaffinity(struct lx_proc *p, ARGS)
{
	UNUSED6;
	(void)p;
	if ((int)a0 != 0 && !proc_find((int)a0))
		return -LX_ESRCH;
	return 0; /* there is one CPU: every mask with it is the same */
}

static long sys_getcpu(struct lx_proc *p, ARGS)
{
	UNUSED6;
	uint32_t zero = 0;
	if ((a0 && lx_copy_to_user(p, a0, &zero, 4)) || (a1 && lx_copy_to_user(p, a1, &zero, 4)))
		return -LX_EFAULT;
	return 0;
}

static long sys_membarrier(struct lx_proc *p, ARGS)
{
	UNUSED6;
	(void)p;
	return a0 == 0 ? 0 : -LX_EINVAL; /* MEMBARRIER_CMD_QUERY: none needed (one thread per process) */
}

static long sys_getpriority(struct lx_proc *p, ARGS)
{
	UNUSED6;
	(void)p;
	if (a0 > 2)
		return -LX_EINVAL;
	return 20; /* 20 - nice: everyone runs at nice 0 */
}

static long sys_setpriority(struct lx_proc *p, ARGS)
{
	UNUSED6;
	(void)p;
	return a0 > 2 ? -LX_EINVAL : 0; /* accepted: lx's scheduler has no priorities */
}

void sys_misc_register(void)
{
	lx_syscall_register(228, "clock_gettime", sys_clock_gettime);
	lx_syscall_register(229, "clock_getres", sys_clock_getres);
	lx_syscall_register(227, "clock_settime", sys_clock_settime);
	lx_syscall_register(96, "gettimeofday", sys_gettimeofday);
	lx_syscall_register(164, "settimeofday", sys_settimeofday);
	lx_syscall_register(201, "time", sys_time);
	lx_syscall_register(35, "nanosleep", sys_nanosleep);
	lx_syscall_register(230, "clock_nanosleep", sys_clock_nanosleep);
	lx_syscall_register(99, "sysinfo", sys_sysinfo);
	lx_syscall_register(100, "times", sys_times);
	lx_syscall_register(98, "getrusage", sys_getrusage);
	lx_syscall_register(40, "sendfile", sys_sendfile);
	lx_syscall_register(165, "mount", sys_mount);
	lx_syscall_register(166, "umount2", sys_umount2);
	lx_syscall_register(157, "prctl", sys_prctl);
	lx_syscall_register(103, "syslog", sys_syslog);
	lx_syscall_register(203, "sched_setaffinity", sys_sched_setaffinity);
	lx_syscall_register(204, "sched_getaffinity", sys_sched_getaffinity);
	lx_syscall_register(309, "getcpu", sys_getcpu);
	lx_syscall_register(324, "membarrier", sys_membarrier);
	lx_syscall_register(140, "getpriority", sys_getpriority);
	lx_syscall_register(141, "setpriority", sys_setpriority);
	lx_syscall_register(334, "rseq", sys_enosys_silent);
	sys_poll_register();
}
