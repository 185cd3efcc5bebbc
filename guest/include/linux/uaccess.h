/* linux/uaccess.h - user memory of the calling process: bad addresses give -EFAULT (lx walks the process's page tables). */
#ifndef _LINUX_UACCESS_H
#define _LINUX_UACCESS_H
#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/errno.h>

#define TASK_SIZE_MAX 0x00007ffffffff000UL
#define access_ok(addr, size) \
	((unsigned long)(addr) < TASK_SIZE_MAX && (unsigned long)(size) <= TASK_SIZE_MAX - (unsigned long)(addr))

/* The number of bytes NOT copied (0: all of them). */
unsigned long copy_from_user(void *to, const void __user *from, unsigned long n);
unsigned long copy_to_user(void __user *to, const void *from, unsigned long n);
unsigned long clear_user(void __user *to, unsigned long n);
/* The string's length (without NUL, at most count), or -EFAULT. */
long strncpy_from_user(char *dst, const char __user *src, long count);
long strnlen_user(const char __user *s, long n);

#define raw_copy_from_user copy_from_user
#define raw_copy_to_user copy_to_user
#define __copy_from_user copy_from_user
#define __copy_to_user copy_to_user
#define __clear_user clear_user

/* 0 or -EFAULT */
int __lx_get_user(void *dst, const void __user *src, unsigned long size);
int __lx_put_user(const void *src, void __user *dst, unsigned long size);

#define get_user(x, ptr)                                                                        \
	({                                                                                      \
		unsigned long long __gu_val = 0;                                                \
		int __gu_err = __lx_get_user(&__gu_val, (ptr), sizeof(*(ptr)));                 \
		(x) = (__typeof__(*(ptr)))(unsigned long)__gu_val;                              \
		__gu_err;                                                                       \
	})
#define put_user(x, ptr)                                                                        \
	({                                                                                      \
		__typeof__(*(ptr)) __pu_val = (x);                                              \
		__lx_put_user(&__pu_val, (ptr), sizeof(*(ptr)));                                \
	})
#define __get_user(x, ptr) get_user(x, ptr)
#define __put_user(x, ptr) put_user(x, ptr)

#endif
