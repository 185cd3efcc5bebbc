/* libl4: C bindings for Pecan's capability invocations. */
#ifndef L4_L4_H
#define L4_L4_H

#include <stddef.h>
#include <stdint.h>
#include "pecan/errors.h"
#include "pecan/syscall.h"
#include "arch/x86_64/invoke.h"

/* Writes len bytes (at most PECAN_KDEBUG_WRITE_MAX) to the kernel console.
 * Needs: the kernel debug capability. Errors: PECAN_EINVAL (too long),
 * PECAN_EFAULT (buffer not mapped). */
static inline long l4_kdebug_write(const char *s, size_t len)
{
	return pecan_invoke(PECAN_CAP_KDEBUG, PECAN_KDEBUG_WRITE, (uint64_t)s, len, 0, 0, 0);
}

/* Waits for one byte of serial input; returns it, or a negative error. */
static inline int l4_kdebug_getchar(void)
{
	uint64_t c;
	long err = pecan_invoke(PECAN_CAP_KDEBUG, PECAN_KDEBUG_GETCHAR, 0, 0, 0, 0, &c);
	return err ? -(int)err : (int)c;
}

/* Ends the calling task with the given exit code. */
static inline void __attribute__((noreturn)) l4_task_exit(long code)
{
	pecan_invoke(PECAN_CAP_TASK, PECAN_TASK_EXIT, (uint64_t)code, 0, 0, 0, 0);
	for (;;)
		__asm__ volatile("ud2"); /* exit never returns; if it did, fault */
}

/* A name for an error code, for messages. */
const char *l4_strerror(long err);

#endif
