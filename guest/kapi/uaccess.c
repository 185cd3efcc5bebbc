/* Module API: user memory of the calling process, through lx's page-table walks (a bad address is -EFAULT, never a fault of lx). */
#include <linux/kernel.h>
#include <linux/export.h>
#include <linux/uaccess.h>
#include "lx.h"

/*
 * The user is lx_current, the process whose system call runs the module's
 * code. Outside a system call (a timer, work, a kthread) there is no user
 * memory and every access fails with -EFAULT.
 *
 * lx_copy_*_user are all-or-nothing; Linux's return the bytes NOT copied,
 * so after a failure the copy is redone page by page up to the bad page.
 */
#define PAGE 4096ul

static unsigned long copy_partial(bool to_user, void *kbuf, unsigned long uaddr, unsigned long n)
{
	struct lx_proc *p = lx_current;
	if (!p)
		return n;
	if (!(to_user ? lx_copy_to_user(p, uaddr, kbuf, n) : lx_copy_from_user(p, kbuf, uaddr, n)))
		return 0;
	unsigned long done = 0;
	while (done < n) {
		unsigned long chunk = PAGE - ((uaddr + done) & (PAGE - 1));
		if (chunk > n - done)
			chunk = n - done;
		char *k = (char *)kbuf + done;
		if (to_user ? lx_copy_to_user(p, uaddr + done, k, chunk) : lx_copy_from_user(p, k, uaddr + done, chunk))
			break;
		done += chunk;
	}
	return n - done;
}

unsigned long copy_from_user(void *to, const void __user *from, unsigned long n)
{
	unsigned long left = copy_partial(false, to, (unsigned long)from, n);
	if (left)
		memset((char *)to + (n - left), 0, left); /* as Linux: the rest is zeroed */
	return left;
}
EXPORT_SYMBOL(copy_from_user);

unsigned long copy_to_user(void __user *to, const void *from, unsigned long n)
{
	return copy_partial(true, (void *)from, (unsigned long)to, n);
}
EXPORT_SYMBOL(copy_to_user);
__LX_EXPORT_AS(copy_from_user, "_copy_from_user", "");
__LX_EXPORT_AS(copy_to_user, "_copy_to_user", "");

unsigned long clear_user(void __user *to, unsigned long n)
{
	static const char zeros[256];
	unsigned long done = 0;
	while (done < n) {
		unsigned long chunk = n - done < sizeof(zeros) ? n - done : sizeof(zeros);
		unsigned long left = copy_to_user((char __user *)to + done, zeros, chunk);
		done += chunk - left;
		if (left)
			break;
	}
	return n - done;
}
EXPORT_SYMBOL(clear_user);

long strncpy_from_user(char *dst, const char __user *src, long count)
{
	if (count <= 0)
		return 0;
	for (long i = 0; i < count; i++) {
		if (copy_from_user(dst + i, src + i, 1))
			return -EFAULT;
		if (!dst[i])
			return i;
	}
	return count; /* no NUL within count bytes: dst is not terminated, as Linux's */
}
EXPORT_SYMBOL(strncpy_from_user);

long strnlen_user(const char __user *s, long n)
{
	for (long i = 0; i < n; i++) {
		char c;
		if (copy_from_user(&c, s + i, 1))
			return 0;
		if (!c)
			return i + 1;
	}
	return n + 1;
}
EXPORT_SYMBOL(strnlen_user);

int __lx_get_user(void *dst, const void __user *src, unsigned long size)
{
	return copy_from_user(dst, src, size) ? -EFAULT : 0;
}
EXPORT_SYMBOL(__lx_get_user);

int __lx_put_user(const void *src, void __user *dst, unsigned long size)
{
	return copy_to_user(dst, src, size) ? -EFAULT : 0;
}
EXPORT_SYMBOL(__lx_put_user);
