/* User memory access through the page tables and the physmap: a bad address is an error, never a kernel fault. */
#include "uaccess.h"
#include "string.h"
#include "pecan/errors.h"
#include "arch/x86_64/layout.h"

static int copy_user(const struct address_space *as, uint64_t uva, void *kbuf, size_t len, bool to_user)
{
	if (uva >= USER_TOP || len > USER_TOP - uva)
		return PECAN_EFAULT;
	uint8_t *k = kbuf;
	while (len) {
		uint64_t pa;
		unsigned perms;
		if (!as_lookup(as, uva & ~0xfffull, &pa, &perms))
			return PECAN_EFAULT;
		if (to_user && !(perms & MAP_WRITE))
			return PECAN_EFAULT;
		size_t off = uva & 0xfff, n = 4096 - off;
		if (n > len)
			n = len;
		uint8_t *p = (uint8_t *)phys_to_virt(pa) + off;
		if (to_user)
			memcpy(p, k, n);
		else
			memcpy(k, p, n);
		k += n;
		uva += n;
		len -= n;
	}
	return PECAN_OK;
}

int copy_from_user(const struct address_space *as, void *dst, uint64_t src, size_t len)
{
	return copy_user(as, src, dst, len, false);
}

int copy_to_user(const struct address_space *as, uint64_t dst, const void *src, size_t len)
{
	return copy_user(as, dst, (void *)src, len, true);
}
