/* Process system calls: fork, execve, exit, wait4, ids, uname, arch_prctl, clocks, sleep, reboot. */
#include "exec.h"
#include "mm.h"
#include "proc.h"
#include "signal.h"
#include "syscall.h"
#include "sys_misc.h"
#include "stdio.h"
#include "stdlib.h"
#include "string.h"

void lx_power_off(int status) __attribute__((noreturn));

#define ARGS_MAX 256      /* argv + envp entries */
#define ARG_BYTES (128 * 1024)

static long sys_getpid(struct lx_proc *p, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	(void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	return p->pid;
}

static long sys_getppid(struct lx_proc *p, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	(void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	return p->ppid;
}

/* getuid and friends, setuid and friends: everyone is root */
static long sys_zero(struct lx_proc *p, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	(void)p, (void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	return 0;
}

static long sys_fork(struct lx_proc *p, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	(void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	return proc_fork(p, 0);
}

enum { CLONE_VM = 0x100, CLONE_VFORK = 0x4000, CLONE_THREAD = 0x10000, CLONE_SETTLS = 0x80000,
       CLONE_PARENT_SETTID = 0x100000, CLONE_CHILD_CLEARTID = 0x200000, CLONE_CHILD_SETTID = 0x1000000 };

/* clone for processes only: CLONE_VM (posix_spawn's vfork) is done as a copy. */
static long sys_clone(struct lx_proc *p, uint64_t flags, uint64_t stack, uint64_t ptid, uint64_t ctid, uint64_t tls,
		      uint64_t a5)
{
	(void)a5;
	if (flags & CLONE_THREAD)
		return -LX_ENOSYS; /* threads are not supported (docs/lx.md) */
	long pid = proc_fork(p, stack);
	if (pid < 0)
		return pid;
	struct lx_proc *c = proc_find((int)pid);
	int32_t v = (int32_t)pid;
	if (flags & CLONE_PARENT_SETTID)
		lx_copy_to_user(p, ptid, &v, 4);
	if (flags & CLONE_CHILD_SETTID)
		lx_copy_to_user(c, ctid, &v, 4);
	if (flags & CLONE_CHILD_CLEARTID)
		c->clear_child_tid = ctid;
	if (flags & CLONE_SETTLS)
		c->regs.fs_base = tls;
	return pid;
}

/* Copies a NULL-terminated array of user strings into one kernel buffer. */
static long copy_strings(struct lx_proc *p, uint64_t uarr, char **out, int max, int *count, char *buf, size_t *used)
{
	int n = 0;
	if (!uarr) {
		*count = 0;
		return 0;
	}
	for (;;) {
		uint64_t s;
		if (lx_copy_from_user(p, &s, uarr + 8 * (uint64_t)n, 8))
			return -LX_EFAULT;
		if (!s)
			break;
		if (n == max)
			return -LX_E2BIG;
		long len = lx_strncpy_from_user(p, buf + *used, s, ARG_BYTES - *used);
		if (len == -LX_ENAMETOOLONG)
			return -LX_E2BIG;
		if (len < 0)
			return len;
		out[n++] = buf + *used;
		*used += (size_t)len + 1;
	}
	*count = n;
	return 0;
}

/* "#!interpreter [argument]": run the interpreter with the script's path. */
static long exec_script(struct lx_proc *p, const char *path, char **argv, int argc, char **envp, int envc,
			const uint8_t *file, size_t size)
{
	char line[128];
	size_t n = 0;
	for (size_t i = 2; i < size && file[i] != '\n' && n < sizeof(line) - 1; i++)
		line[n++] = (char)file[i];
	line[n] = 0;
	char *s = line;
	while (*s == ' ' || *s == '\t')
		s++;
	char *interp = s;
	while (*s && *s != ' ' && *s != '\t')
		s++;
	char *arg = NULL;
	if (*s) {
		*s++ = 0;
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s)
			arg = s;
	}
	if (!*interp)
		return -LX_ENOEXEC;
	char *nargv[ARGS_MAX + 3];
	int k = 0;
	nargv[k++] = interp;
	if (arg)
		nargv[k++] = arg;
	nargv[k++] = (char *)path;
	for (int i = 1; i < argc && k < ARGS_MAX + 2; i++)
		nargv[k++] = argv[i];
	return lx_exec(p, interp, nargv, k, envp, envc);
}

static long sys_execve(struct lx_proc *p, uint64_t upath, uint64_t uargv, uint64_t uenvp, uint64_t a3, uint64_t a4,
		       uint64_t a5)
{
	(void)a3, (void)a4, (void)a5;
	char path[LX_PATH_MAX];
	long err = lx_strncpy_from_user(p, path, upath, sizeof(path));
	if (err < 0)
		return err;
	err = 0;
	char *buf = malloc(ARG_BYTES);
	char **argv = malloc(sizeof(char *) * ARGS_MAX), **envp = malloc(sizeof(char *) * ARGS_MAX);
	size_t used = 0;
	int argc = 0, envc = 0;
	if (!buf || !argv || !envp)
		err = -LX_ENOMEM;
	if (!err)
		err = copy_strings(p, uargv, argv, ARGS_MAX, &argc, buf, &used);
	if (!err)
		err = copy_strings(p, uenvp, envp, ARGS_MAX, &envc, buf, &used);
	if (!err) {
		const uint8_t *file;
		size_t size;
		err = fs_exec_file(p, path, &file, &size);
		if (!err && size > 2 && file[0] == '#' && file[1] == '!')
			err = exec_script(p, path, argv, argc, envp, envc, file, size);
		else if (!err)
			err = lx_exec(p, path, argv, argc, envp, envc);
		if (!err)
			lx_signal_exec(p); /* handlers back to default */
	}
	free(buf);
	free(argv);
	free(envp);
	return err;
}

static long sys_exit(struct lx_proc *p, uint64_t code, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	if (p->clear_child_tid) {
		int32_t zero = 0;
		lx_copy_to_user(p, p->clear_child_tid, &zero, 4);
	}
	proc_exit(p, (int)((code & 0xff) << 8));
	return 0;
}

enum { WNOHANG = 1, WUNTRACED = 2, WCONTINUED = 8, WNOTHREAD = 0x20000000, WALL = 0x40000000, WCLONE = 0x80000000 };

static long sys_wait4(struct lx_proc *p, uint64_t upid, uint64_t ustatus, uint64_t options, uint64_t urusage,
		      uint64_t a4, uint64_t a5)
{
	(void)a4, (void)a5;
	int pid = (int)upid;
	if (options & ~(uint64_t)(WNOHANG | WUNTRACED | WCONTINUED | WNOTHREAD | WALL | WCLONE))
		return -LX_EINVAL;
	bool any_child = false;
	for (unsigned i = 0; i < LX_MAX_PROCS; i++) {
		struct lx_proc *c = &lx_procs[i];
		if (c->state == LX_FREE || c->ppid != p->pid || c == p)
			continue;
		/* pid > 0: that child; -1: any; 0: any of the caller's group; < -1: any of group -pid */
		if (pid > 0 ? c->pid != pid : pid == 0 ? c->pgid != p->pgid : pid < -1 ? c->pgid != -pid : false)
			continue;
		any_child = true;
		int32_t status;
		bool reap = c->state == LX_ZOMBIE;
		if (reap) {
			status = c->exit_status;
		} else {
			int st = lx_signal_wait_report(c, (unsigned)options);
			if (st < 0)
				continue;
			status = st; /* a stop or a continue: the child stays */
		}
		if (ustatus && lx_copy_to_user(p, ustatus, &status, 4))
			return -LX_EFAULT;
		if (urusage) {
			/* the child's times with its own reaped children's, as Linux reports them */
			uint8_t ru[LX_RUSAGE_SIZE];
			lx_fill_rusage(ru, c->utime + c->cutime, c->stime + c->cstime);
			lx_copy_to_user(p, urusage, ru, sizeof(ru));
		}
		int cpid = c->pid;
		if (reap) {
			proc_reap_times(p, c); /* into the parent's cutime and cstime */
			memset(c, 0, sizeof(*c)); /* reaped: the slot is free */
		}
		return cpid;
	}
	if (!any_child)
		return -LX_ECHILD;
	if (options & WNOHANG)
		return 0;
	p->state = LX_SLEEPING;
	p->wait_channel = p; /* proc_exit, stops and continues wake the parent */
	return LX_BLOCK;
}

struct utsname {
	char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65];
};

static long sys_uname(struct lx_proc *p, uint64_t ubuf, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	struct utsname u;
	memset(&u, 0, sizeof(u));
	strlcpy(u.sysname, "Linux", sizeof(u.sysname));
	strlcpy(u.nodename, "pecan", sizeof(u.nodename));
	strlcpy(u.release, "6.1.0-pecan-lx", sizeof(u.release)); /* glibc refuses kernels it thinks too old */
	strlcpy(u.version, "#1 lx on Pecan", sizeof(u.version));
	strlcpy(u.machine, "x86_64", sizeof(u.machine));
	strlcpy(u.domainname, "(none)", sizeof(u.domainname));
	return lx_copy_to_user(p, ubuf, &u, sizeof(u));
}

enum { ARCH_SET_GS = 0x1001, ARCH_SET_FS = 0x1002, ARCH_GET_FS = 0x1003, ARCH_GET_GS = 0x1004 };

static long sys_arch_prctl(struct lx_proc *p, uint64_t code, uint64_t addr, uint64_t a2, uint64_t a3, uint64_t a4,
			   uint64_t a5)
{
	(void)a2, (void)a3, (void)a4, (void)a5;
	switch (code) {
	case ARCH_SET_FS:
		if (addr >= LX_USER_TOP)
			return -LX_EPERM;
		p->regs.fs_base = addr;
		return 0;
	case ARCH_SET_GS:
		if (addr >= LX_USER_TOP)
			return -LX_EPERM;
		p->regs.gs_base = addr;
		return 0;
	case ARCH_GET_FS:
		return lx_copy_to_user(p, addr, &p->regs.fs_base, 8);
	case ARCH_GET_GS:
		return lx_copy_to_user(p, addr, &p->regs.gs_base, 8);
	}
	return -LX_EINVAL;
}

static long sys_set_tid_address(struct lx_proc *p, uint64_t tidptr, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
				uint64_t a5)
{
	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	p->clear_child_tid = tidptr;
	return p->pid;
}

static long sys_sched_yield(struct lx_proc *p, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
			    uint64_t a5)
{
	(void)p, (void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	lx_resched(); /* the next runnable process, round robin */
	return 0;
}

static long sys_getrandom(struct lx_proc *p, uint64_t ubuf, uint64_t len, uint64_t flags, uint64_t a3, uint64_t a4,
			  uint64_t a5)
{
	(void)flags, (void)a3, (void)a4, (void)a5;
	if (len > 4096)
		len = 4096;
	uint8_t buf[256];
	for (uint64_t done = 0; done < len;) {
		uint64_t n = len - done < sizeof(buf) ? len - done : sizeof(buf);
		for (uint64_t i = 0; i < n; i += 8) {
			uint64_t r = lx_random();
			memcpy(buf + i, &r, n - i < 8 ? n - i : 8);
		}
		if (lx_copy_to_user(p, ubuf + done, buf, n))
			return -LX_EFAULT;
		done += n;
	}
	return (long)len;
}

static long sys_prlimit64(struct lx_proc *p, uint64_t pid, uint64_t resource, uint64_t unew, uint64_t uold,
			  uint64_t a4, uint64_t a5)
{
	(void)pid, (void)unew, (void)a4, (void)a5;
	if (resource >= 16)
		return -LX_EINVAL;
	uint64_t lim[2] = {~0ull, ~0ull};
	if (resource == 3) /* RLIMIT_STACK */
		lim[0] = lim[1] = 8ull << 20;
	if (resource == 7) /* RLIMIT_NOFILE */
		lim[0] = lim[1] = LX_MAX_FDS;
	return uold ? lx_copy_to_user(p, uold, lim, sizeof(lim)) : 0;
}

static long sys_getrlimit(struct lx_proc *p, uint64_t resource, uint64_t uold, uint64_t a2, uint64_t a3, uint64_t a4,
			  uint64_t a5)
{
	(void)a2, (void)a3, (void)a4, (void)a5;
	return sys_prlimit64(p, 0, resource, 0, uold, 0, 0);
}

/* ---- process groups and sessions ---- */

static long sys_getpgrp(struct lx_proc *p, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	(void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	return p->pgid;
}

/* The process pid names (0: p itself), or NULL. */
static struct lx_proc *target(struct lx_proc *p, int pid)
{
	if (pid == 0)
		return p;
	struct lx_proc *t = proc_find(pid);
	return t && t->state != LX_FREE ? t : NULL;
}

static long sys_getpgid(struct lx_proc *p, uint64_t pid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	struct lx_proc *t = target(p, (int)pid);
	return t ? t->pgid : -LX_ESRCH;
}

static long sys_getsid(struct lx_proc *p, uint64_t pid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	struct lx_proc *t = target(p, (int)pid);
	return t ? t->sid : -LX_ESRCH;
}

static long sys_setpgid(struct lx_proc *p, uint64_t upid, uint64_t upgid, uint64_t a2, uint64_t a3, uint64_t a4,
			uint64_t a5)
{
	(void)a2, (void)a3, (void)a4, (void)a5;
	int pid = (int)upid, pgid = (int)upgid;
	if (pgid < 0)
		return -LX_EINVAL;
	struct lx_proc *t = target(p, pid);
	/* p itself or a child of p */
	if (!t || t->state == LX_ZOMBIE || (t != p && t->ppid != p->pid))
		return -LX_ESRCH;
	if (t != p) {
		if (t->sid != p->sid)
			return -LX_EPERM;
		if (lx_signal_execed(t))
			return -LX_EACCES;
	}
	if (t->sid == t->pid)
		return -LX_EPERM; /* a session leader stays in its group */
	if (pgid == 0)
		pgid = t->pid;
	if (pgid != t->pid) {
		/* joining a group: it must exist in the caller's session */
		bool ok = false;
		for (unsigned i = 0; i < LX_MAX_PROCS && !ok; i++)
			ok = lx_procs[i].state != LX_FREE && lx_procs[i].pgid == pgid && lx_procs[i].sid == p->sid;
		if (!ok)
			return -LX_EPERM;
	}
	t->pgid = pgid;
	return 0;
}

static long sys_setsid(struct lx_proc *p, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	(void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	/* not when a process group with p's pid exists (p leads one) */
	for (unsigned i = 0; i < LX_MAX_PROCS; i++)
		if (lx_procs[i].state != LX_FREE && lx_procs[i].pgid == p->pid)
			return -LX_EPERM;
	p->pgid = p->sid = p->pid;
	return p->sid;
}

static long sys_umask(struct lx_proc *p, uint64_t mask, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	uint64_t old = p->umask;
	p->umask = mask & 0777;
	return (long)old;
}

enum { REBOOT_MAGIC1 = 0xfee1dead, REBOOT_MAGIC2 = 672274793, REBOOT_POWER_OFF = 0x4321fedc, REBOOT_HALT = 0xcdef0123 };

static long sys_reboot(struct lx_proc *p, uint64_t m1, uint64_t m2, uint64_t cmd, uint64_t a3, uint64_t a4, uint64_t a5)
{
	(void)a3, (void)a4, (void)a5;
	if (m1 != REBOOT_MAGIC1 || m2 != REBOOT_MAGIC2)
		return -LX_EINVAL;
	if (cmd == REBOOT_POWER_OFF || cmd == REBOOT_HALT) {
		lx_log("lx: power off requested by %s (pid %d)", p->comm, p->pid);
		lx_power_off(0);
	}
	return -LX_EINVAL;
}

static long sys_futex(struct lx_proc *p, uint64_t uaddr, uint64_t op, uint64_t val, uint64_t a3, uint64_t a4,
		      uint64_t a5)
{
	(void)p, (void)uaddr, (void)val, (void)a3, (void)a4, (void)a5;
	/* one thread per process: nobody else can wake a waiter */
	return (op & 0x7f) == 1 ? 0 : -LX_EAGAIN;
}

void sys_proc_register(void)
{
	lx_syscall_register(39, "getpid", sys_getpid);
	lx_syscall_register(186, "gettid", sys_getpid);
	lx_syscall_register(110, "getppid", sys_getppid);
	/* everyone is root: the ids are 0 and setting them succeeds */
	lx_syscall_register(102, "getuid", sys_zero);
	lx_syscall_register(104, "getgid", sys_zero);
	lx_syscall_register(107, "geteuid", sys_zero);
	lx_syscall_register(108, "getegid", sys_zero);
	lx_syscall_register(105, "setuid", sys_zero);
	lx_syscall_register(106, "setgid", sys_zero);
	lx_syscall_register(113, "setreuid", sys_zero);
	lx_syscall_register(114, "setregid", sys_zero);
	lx_syscall_register(117, "setresuid", sys_zero);
	lx_syscall_register(119, "setresgid", sys_zero);
	lx_syscall_register(122, "setfsuid", sys_zero);
	lx_syscall_register(123, "setfsgid", sys_zero);
	lx_syscall_register(57, "fork", sys_fork);
	lx_syscall_register(58, "vfork", sys_fork);
	lx_syscall_register(56, "clone", sys_clone);
	lx_syscall_register(59, "execve", sys_execve);
	lx_syscall_register(60, "exit", sys_exit);
	lx_syscall_register(231, "exit_group", sys_exit);
	lx_syscall_register(61, "wait4", sys_wait4);
	lx_syscall_register(63, "uname", sys_uname);
	lx_syscall_register(158, "arch_prctl", sys_arch_prctl);
	lx_syscall_register(218, "set_tid_address", sys_set_tid_address);
	lx_syscall_register(273, "set_robust_list", sys_zero);
	lx_syscall_register(162, "sync", sys_zero); /* nothing is buffered */
	lx_syscall_register(24, "sched_yield", sys_sched_yield);
	lx_syscall_register(318, "getrandom", sys_getrandom);
	lx_syscall_register(302, "prlimit64", sys_prlimit64);
	lx_syscall_register(97, "getrlimit", sys_getrlimit);
	lx_syscall_register(111, "getpgrp", sys_getpgrp);
	lx_syscall_register(121, "getpgid", sys_getpgid);
	lx_syscall_register(124, "getsid", sys_getsid);
	lx_syscall_register(109, "setpgid", sys_setpgid);
	lx_syscall_register(112, "setsid", sys_setsid);
	lx_syscall_register(95, "umask", sys_umask);
	lx_syscall_register(169, "reboot", sys_reboot);
	lx_syscall_register(202, "futex", sys_futex);
	/* signal.c: rt_sig*, sigaltstack, kill, tkill, tgkill, pause */
	sys_signal_register();
}
