/* internal.h - what the parts of guest/kapi/ share among themselves. */
#ifndef LX_KAPI_INTERNAL_H
#define LX_KAPI_INTERNAL_H

#include <linux/types.h>
#include "kapi/kapi.h"

/* chrdev.c: inside a file operation of a process (it may sleep by restarting). */
bool kapi_in_file_op(void);
/* chrdev.c: ends the file operation now; it runs again from its start once channel is woken
 * (ticks > 0: or after that many ticks). Only when kapi_in_file_op(). */
__attribute__((noreturn)) void kapi_file_op_sleep(const void *channel, long ticks);
/*
 * chrdev.c: the wake-and-retry wrapper of a module's file operation (chrdev.c
 * explains it). KAPI_FILE_OP(result, call): result = call, or LX_BLOCK when the
 * call slept by kapi_file_op_sleep (the system call is run again when woken).
 * Used by chrdev.c and procfs.c.
 */
struct kapi_file_op_frame {
	void *jmp[5];                   /* __builtin_setjmp's buffer */
	struct kapi_file_op_frame *prev;
};
extern struct kapi_file_op_frame *kapi_file_op_frame;
#define KAPI_FILE_OP(result, call)                                                                \
	do {                                                                                      \
		struct kapi_file_op_frame fr_ = {.prev = kapi_file_op_frame};                     \
		kapi_file_op_frame = &fr_;                                                        \
		if (__builtin_setjmp(fr_.jmp) == 0) {                                             \
			result = (call);                                                          \
			kapi_file_op_frame = fr_.prev;                                            \
		} else {                                                                          \
			kapi_file_op_frame = fr_.prev;                                            \
			result = LX_BLOCK;                                                        \
		}                                                                                 \
	} while (0)
/* chrdev.c: a module's file-operation result as lx's (restart codes become EINTR, ENOIOCTLCMD ENOTTY). */
long kapi_lx_result(long r);
/* sched.c: the running kthread, or NULL. */
struct task_struct *kapi_kthread_current(void);
/* sched.c: the running kthread sleeps until channel is woken (or ticks pass, when > 0): 0, or 1 when timed out. */
int kapi_kthread_sleep(const void *channel, long ticks);
/* sched.c: wakes kthreads sleeping on channel. */
void kapi_kthread_wake(const void *channel);

/* The module whose code called the function that calls this (NULL: lx). */
#define kapi_caller() module_of_addr((uint64_t)__builtin_return_address(0))
/* What module m left registered when it went: removed, with a message (chrdev.c, sched.c). */
void chrdev_module_gone(struct lx_module *m);
void sched_module_gone(struct lx_module *m);
void procfs_module_gone(struct lx_module *m); /* procfs.c */
void sysfs_module_gone(struct lx_module *m); /* sysfs.c */

#endif
