/* linux/errno.h - error numbers, and the kernel-internal ones a system call never returns. */
#ifndef _LINUX_ERRNO_H
#define _LINUX_ERRNO_H
#include <asm/errno.h>

#define ERESTARTSYS 512    /* a sleep was interrupted by a signal: the call becomes EINTR (docs/modules.md) */
#define ERESTARTNOINTR 513
#define ERESTARTNOHAND 514
#define ENOIOCTLCMD 515
#define ENOTSUPP 524

#endif
