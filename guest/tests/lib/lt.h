/*
 * lt: the tiny runtime of lx's guest test programs (guest/tests/).
 *
 * These are plain static Linux x86-64 programs: they make Linux system calls
 * with the `syscall` instruction and know nothing of L4 or Pecan. They run
 * unchanged on the host's Linux kernel (which validates the tests) and on
 * lx. No libc: start.S reads argc/argv/envp/auxv from the initial stack, the
 * system-call wrappers below return the kernel's value as is (errors are
 * -errno), lt.c has a printf to a file descriptor and string helpers.
 */
#ifndef LT_H
#define LT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* ---- Linux x86-64 ABI numbers ---- */
enum {
	SYS_read = 0, SYS_write = 1, SYS_close = 3, SYS_lseek = 8, SYS_mmap = 9, SYS_mprotect = 10,
	SYS_munmap = 11, SYS_brk = 12, SYS_pipe = 22, SYS_sched_yield = 24, SYS_nanosleep = 35,
	SYS_getpid = 39, SYS_fork = 57, SYS_execve = 59, SYS_exit = 60, SYS_wait4 = 61, SYS_kill = 62,
	SYS_uname = 63, SYS_getppid = 110, SYS_reboot = 169, SYS_exit_group = 231,
	SYS_openat = 257, SYS_prlimit64 = 302,
};

enum {
	EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EBADF = 9, ECHILD = 10, EAGAIN = 11, ENOMEM = 12,
	EACCES = 13, EFAULT = 14, EINVAL = 22, ENOSYS = 38,
};

enum { SIGILL = 4, SIGTRAP = 5, SIGFPE = 8, SIGKILL = 9, SIGSEGV = 11 };

#define AT_FDCWD (-100)
#define O_RDONLY 0
#define SEEK_SET 0

#define PROT_NONE 0
#define PROT_READ 1
#define PROT_WRITE 2
#define PROT_EXEC 4
#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_FAILED_MAX (-4096L)   /* mmap returns an error when (unsigned long)r > -4096 */

#define AT_NULL 0
#define AT_PHDR 3
#define AT_PHENT 4
#define AT_PHNUM 5
#define AT_PAGESZ 6
#define AT_ENTRY 9
#define AT_RANDOM 25

/* wait status (wait4) */
#define WIFEXITED(s) (((s) & 0x7f) == 0)
#define WEXITSTATUS(s) (((s) >> 8) & 0xff)
#define WIFSIGNALED(s) (((s) & 0x7f) != 0 && ((s) & 0x7f) != 0x7f)
#define WTERMSIG(s) ((s) & 0x7f)

#define LINUX_REBOOT_MAGIC1 0xfee1deadL
#define LINUX_REBOOT_MAGIC2 672274793L
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321fedcL

#define PAGE_SIZE 4096ul

/* ---- system calls ---- */
static inline long lt_syscall6(long n, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}
#define lt_syscall(n, a, b, c) lt_syscall6((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)

static inline long sys_read(int fd, void *buf, size_t n) { return lt_syscall(SYS_read, fd, buf, n); }
static inline long sys_write(int fd, const void *buf, size_t n) { return lt_syscall(SYS_write, fd, buf, n); }
static inline long sys_open(const char *path, int flags) { return lt_syscall6(SYS_openat, AT_FDCWD, (long)path, flags, 0, 0, 0); }
static inline long sys_close(int fd) { return lt_syscall(SYS_close, fd, 0, 0); }
static inline long sys_lseek(int fd, long off, int whence) { return lt_syscall(SYS_lseek, fd, off, whence); }
static inline long sys_mmap(void *addr, size_t len, int prot, int flags, int fd, long off)
{
	return lt_syscall6(SYS_mmap, (long)addr, (long)len, prot, flags, fd, off);
}
static inline long sys_mprotect(void *addr, size_t len, int prot) { return lt_syscall(SYS_mprotect, addr, len, prot); }
static inline long sys_munmap(void *addr, size_t len) { return lt_syscall(SYS_munmap, addr, len, 0); }
static inline long sys_brk(unsigned long addr) { return lt_syscall(SYS_brk, addr, 0, 0); }
static inline long sys_pipe(int fds[2]) { return lt_syscall(SYS_pipe, fds, 0, 0); }
static inline long sys_sched_yield(void) { return lt_syscall(SYS_sched_yield, 0, 0, 0); }
static inline long sys_getpid(void) { return lt_syscall(SYS_getpid, 0, 0, 0); }
static inline long sys_getppid(void) { return lt_syscall(SYS_getppid, 0, 0, 0); }
static inline long sys_fork(void) { return lt_syscall(SYS_fork, 0, 0, 0); }
static inline long sys_execve(const char *path, char *const argv[], char *const envp[])
{
	return lt_syscall(SYS_execve, path, argv, envp);
}
static inline long sys_wait4(int pid, int *status, int options, void *rusage)
{
	return lt_syscall6(SYS_wait4, pid, (long)status, options, (long)rusage, 0, 0);
}
static inline long sys_kill(int pid, int sig) { return lt_syscall(SYS_kill, pid, sig, 0); }
static inline long sys_uname(void *buf) { return lt_syscall(SYS_uname, buf, 0, 0); }
static inline long sys_reboot(long magic1, long magic2, long cmd)
{
	return lt_syscall6(SYS_reboot, magic1, magic2, cmd, 0, 0, 0);
}
__attribute__((noreturn)) static inline void sys_exit_group(int code)
{
	for (;;)
		lt_syscall(SYS_exit_group, code, 0, 0);
}
__attribute__((noreturn)) static inline void sys_exit(int code)
{
	for (;;)
		lt_syscall(SYS_exit, code, 0, 0);
}
/* No core dumps from the crashes the tests cause on purpose (the host's
 * kernel may be set to dump them); errors (e.g. ENOSYS on lx) are ignored. */
void lt_no_core_dumps(void);

/* ---- the process's start (start.S, lt.c) ---- */
extern int lt_argc;
extern char **lt_argv;
extern char **lt_envp;
extern unsigned long *lt_auxv;        /* pairs (type, value) up to AT_NULL */
extern unsigned long lt_initial_sp;   /* rsp at _start */
unsigned long lt_getauxval(unsigned long type, int *found);
void _start(void);

/* ---- strings and memory ---- */
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

/* ---- output: %d %i %u %x %p %s %c %%, with l/ll/z, a width and the 0 flag;
 * one write per call (a line stays whole on lx's console) ---- */
int lt_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int lt_dprintf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int lt_vdprintf(int fd, const char *fmt, va_list ap);
int lt_snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* ---- checks: each program defines lt_name ---- */
extern const char lt_name[];
/* Prints "NAME: ok: <what>" or "NAME: not ok: <what>" and remembers the
 * first failure; returns ok. */
int lt_check(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Like lt_check(got == want, ...), adding both values when they differ. */
int lt_check_eq(long got, long want, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* "NAME: PASS" (returns 0) or "NAME: FAIL <first failure>" (returns 1). */
int lt_finish(void);
int lt_failures(void);

/* Runs fn(arg) in a child, which then exits with code 0 (or fn's exit);
 * returns the child's wait status, or -errno when fork or wait4 failed. */
long lt_in_child(void (*fn)(void *), void *arg);
/* "exited with status N" / "killed by signal N" for a wait status */
const char *lt_status_text(long status, char *buf, size_t size);

#endif
