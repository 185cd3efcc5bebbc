/* lx: the paravirtualized Linux-ABI guest kernel. Shared types and the interfaces between its parts. */
#ifndef LX_H
#define LX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "l4.h"
#include "pecan/rt/env.h"
#include "pecan/vcpu.h"

/*
 * lx runs as an ordinary launched program. Its first thread is a vCPU: in
 * kernel mode it is lx, in user mode it runs a guest process in that
 * process's L4 task. Every Linux system call, exception, page fault and
 * interrupt of a process is a vCPU event that lx handles in core/event
 * code, on a fresh stack each time (docs/lx.md).
 *
 * Parts: main.c (start, event loop, scheduler), mm.c (guest memory and
 * per-process page tables), proc.c (processes: fork, exit, wait), exec.c
 * (execve of static ELF), syscall.c (the table), sys_*.c (system calls),
 * fs/ (initramfs, ramfs, devices, file system calls), console.c.
 */

/* ---- Linux ABI numbers lx uses (x86-64) ---- */
enum {
	LX_EPERM = 1, LX_ENOENT = 2, LX_ESRCH = 3, LX_EINTR = 4, LX_EIO = 5, LX_ENXIO = 6, LX_E2BIG = 7,
	LX_ENOEXEC = 8, LX_EBADF = 9, LX_ECHILD = 10, LX_EAGAIN = 11, LX_ENOMEM = 12, LX_EACCES = 13,
	LX_EFAULT = 14, LX_EBUSY = 16, LX_EEXIST = 17, LX_EXDEV = 18, LX_ENODEV = 19, LX_ENOTDIR = 20,
	LX_EISDIR = 21, LX_EINVAL = 22, LX_ENFILE = 23, LX_EMFILE = 24, LX_ENOTTY = 25, LX_EFBIG = 27,
	LX_ENOSPC = 28, LX_ESPIPE = 29, LX_EROFS = 30, LX_EMLINK = 31, LX_EPIPE = 32, LX_ERANGE = 34,
	LX_ENAMETOOLONG = 36, LX_ENOSYS = 38, LX_ENOTEMPTY = 39, LX_ELOOP = 40,
};

/* A system call that must wait: the process sleeps on a channel and the
 * call runs again from the start when the channel is woken (sys_*.c and
 * fs/ return it; the core handles it). */
#define LX_BLOCK (-1000)

#define LX_MAX_FDS 64
#define LX_PATH_MAX 256
#define LX_PAGE 4096ull

/* ---- guest memory (mm.c) ---- */
/* lx's "physical memory": a dataspace from the roottask, mapped into lx. */
void *lx_page_alloc(void);           /* a zeroed page of guest memory, or NULL */
void lx_page_get(void *page);        /* one more reference (copy-on-write) */
void lx_page_put(void *page);        /* one less; freed at zero */
uint64_t lx_pages_free(void);

struct lx_mm;                        /* a process's address space (software page tables, regions) */

/* ---- processes (proc.c) ---- */
enum lx_proc_state { LX_FREE, LX_RUNNABLE, LX_SLEEPING, LX_ZOMBIE, LX_STOPPED };

struct lx_file;                      /* fs/: an open file (shared by dup and fork) */
struct lx_sigstate;                  /* signal.c: handlers, mask, pending, altstack */

struct lx_proc {
	int pid, ppid;
	enum lx_proc_state state;
	struct pecan_vcpu_regs regs;     /* user registers while not running */
	uint8_t fpu[512] __attribute__((aligned(64))); /* its FPU/SSE state */
	uint64_t orig_rax;               /* the system call number, for restarting */
	const void *wait_channel;        /* what a sleeping process waits for */
	uint64_t wake_tick;              /* sleeping with a timeout: when to wake (0: none) */
	uint64_t task_sel;               /* its L4 task, in lx's capability space */
	struct lx_mm *mm;
	int exit_status;                 /* wait status once a zombie */
	char comm[16];                   /* the program name */
	/* files (fs/) */
	struct lx_file *fds[LX_MAX_FDS];
	bool cloexec[LX_MAX_FDS];
	char cwd[LX_PATH_MAX];
	uint64_t umask;
	uint64_t clear_child_tid;
	/* process groups and sessions (signal.c) */
	int pgid, sid;
	struct lx_sigstate *sig;         /* NULL: all defaults (signal.c allocates) */
	bool woken_by_signal;            /* a sleeping call was interrupted: EINTR or restart */
	/* CPU time in ticks (proc.c, docs/lx.md "CPU time"): its own, and its
	 * reaped children's (their own plus their cutime/cstime) */
	uint64_t utime, stime, cutime, cstime;
	uint64_t start_tick;             /* lx_ticks() at its creation */
};

extern struct lx_proc *lx_current;   /* the process whose event is being handled */

/* p's FPU/SSE image (FXSAVE format) wherever it is now: the vCPU state area
 * for the process whose image is loaded there, else p->fpu (main.c).
 * lx_fpu_write is for changing it (the kernel must then load it again). */
const uint8_t *lx_fpu(struct lx_proc *p);
uint8_t *lx_fpu_write(struct lx_proc *p);
/* The next resume picks the next runnable process round robin, instead of
 * going back to the current one (the timer does it every tick). */
void lx_resched(void);

/* Wakes every process sleeping on channel (their call runs again). */
void lx_wake(const void *channel);
/* Ticks of lx's clock since boot (100 per second) */
uint64_t lx_ticks(void);

/* ---- user memory access (mm.c) ---- */
/* 0 or -LX_EFAULT; these walk the process's page tables and never fault lx. */
long lx_copy_from_user(struct lx_proc *p, void *dst, uint64_t src, size_t n);
long lx_copy_to_user(struct lx_proc *p, uint64_t dst, const void *src, size_t n);
/* the string's length, -LX_EFAULT, or -LX_ENAMETOOLONG when no NUL within max - 1 bytes */
long lx_strncpy_from_user(struct lx_proc *p, char *dst, uint64_t src, size_t max);

/* ---- console (console.c) ---- */
/* Process output (fd 1/2 on /dev/console): passed to the log server as it comes. */
void lx_console_write(const char *s, size_t n);
/* Takes up to n bytes of console input; 0 when there is none (then sleep on
 * lx_console_channel and return LX_BLOCK). */
size_t lx_console_read(char *buf, size_t n);
extern const char lx_console_channel[];
/* lx's own messages: "lx: ..." lines through the log server. */
void lx_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- the file system (fs/) ---- */
/* Unpacks a cpio (newc) archive into the RAM file system; 0 or -errno, with
 * a message naming the bad entry printed through lx_log. */
long fs_init(const void *cpio, size_t size);
/* Opens path (relative to p's cwd) for execve: the whole file's bytes,
 * valid until the file is removed. 0 or -errno. */
long fs_exec_file(struct lx_proc *p, const char *path, const uint8_t **data, size_t *size);
/* An immutable snapshot of a file's bytes that execve's regions fill their
 * pages from (fs/ramfs.c): it stays as it was when the file is changed or
 * removed, and lives while a reference is held. data is NULL when size is 0. */
struct lx_file_image {
	uint32_t refs;
	const uint8_t *data;
	uint64_t size;
	/* mm.c's: the regions using it, the pages of its read-only segments
	 * that processes running it share, the list of snapshots with such pages */
	uint32_t regions;
	struct lx_mm *shared_pages;
	uint64_t shared_count;           /* pages in shared_pages */
	struct lx_file_image *next_shared;
};
/* Like fs_exec_file, but the snapshot, with a reference for the caller. */
long fs_exec_image(struct lx_proc *p, const char *path, struct lx_file_image **img);
void fs_image_get(struct lx_file_image *img);
void fs_image_put(struct lx_file_image *img);
/* A snapshot goes: mm.c lets go of the pages it shared (mm.c). */
void mm_image_gone(struct lx_file_image *img);
/* Gives a new process the standard input, output and error (/dev/console). */
long fs_open_console(struct lx_proc *p);
void fs_fork(struct lx_proc *parent, struct lx_proc *child); /* share open files, copy cwd */
void fs_exec(struct lx_proc *p);                              /* close the close-on-exec files */
void fs_exit(struct lx_proc *p);                              /* close everything */

/* ---- signals (signal.c) ---- */
/* Queues signo for p (a sleeping p wakes; SIGKILL and SIGCONT act at once). */
void lx_signal_send(struct lx_proc *p, int signo);
/* To every process of a process group (the tty's ^C, ^Z, kill(-pgid)). */
void lx_signal_pgrp(int pgid, int signo);
/* A CPU fault of p: signo with si_code and si_addr (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP). */
void lx_signal_fault(struct lx_proc *p, int signo, int code, uint64_t addr);
/* Is an unblocked signal pending for p? */
bool lx_signal_pending(struct lx_proc *p);
/* Before p runs again: run its pending signals (a handler frame on its
 * stack, or the default action: terminate, core, stop, ignore). */
void lx_signal_deliver(struct lx_proc *p);
/* A process ends: its parent gets SIGCHLD (signal.c decides, by the parent's action). */
void lx_signal_child_exit(struct lx_proc *child);

/* ---- system calls (syscall.c) ---- */
typedef long (*lx_syscall_fn)(struct lx_proc *p, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
			      uint64_t a4, uint64_t a5);
/* Registration for the parts: the table lives in syscall.c. */
void lx_syscall_register(unsigned nr, const char *name, lx_syscall_fn fn);
void fs_register_syscalls(void);

#endif
