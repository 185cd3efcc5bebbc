/* Module API: string functions, number parsing, kmalloc/kfree, vmalloc, kmem caches. */
#include <linux/kernel.h>
#include <linux/export.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/uaccess.h>
#include "stdlib.h"

/* ---- what lx's libc has: exported as they are ---- */
EXPORT_SYMBOL(memcpy);
EXPORT_SYMBOL(memset);
EXPORT_SYMBOL(memcmp);
EXPORT_SYMBOL(memchr);
EXPORT_SYMBOL(strlen);
EXPORT_SYMBOL(strcmp);
EXPORT_SYMBOL(strncmp);
EXPORT_SYMBOL(strchr);
EXPORT_SYMBOL(strrchr);
EXPORT_SYMBOL(strlcpy);

/* ---- the rest of linux/string.h ---- */

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	if (d < s || d >= s + n) {
		for (size_t i = 0; i < n; i++)
			d[i] = s[i];
	} else {
		while (n--)
			d[n] = s[n];
	}
	return dst;
}
EXPORT_SYMBOL(memmove);

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;
	while (n < max && s[n])
		n++;
	return n;
}
EXPORT_SYMBOL(strnlen);

char *strcpy(char *dst, const char *src)
{
	char *d = dst;
	while ((*d++ = *src++))
		;
	return dst;
}
EXPORT_SYMBOL(strcpy);

char *strncpy(char *dst, const char *src, size_t n)
{
	size_t i = 0;
	for (; i < n && src[i]; i++)
		dst[i] = src[i];
	for (; i < n; i++)
		dst[i] = 0;
	return dst;
}
EXPORT_SYMBOL(strncpy);

ssize_t strscpy(char *dst, const char *src, size_t size)
{
	if (size == 0)
		return -E2BIG;
	size_t n = strnlen(src, size);
	if (n == size) {
		memcpy(dst, src, size - 1);
		dst[size - 1] = 0;
		return -E2BIG;
	}
	memcpy(dst, src, n + 1);
	return (ssize_t)n;
}
EXPORT_SYMBOL(strscpy);

char *strcat(char *dst, const char *src)
{
	strcpy(dst + strlen(dst), src);
	return dst;
}
EXPORT_SYMBOL(strcat);

char *strncat(char *dst, const char *src, size_t n)
{
	char *d = dst + strlen(dst);
	size_t i = 0;
	for (; i < n && src[i]; i++)
		d[i] = src[i];
	d[i] = 0;
	return dst;
}
EXPORT_SYMBOL(strncat);

char *strstr(const char *haystack, const char *needle)
{
	size_t n = strlen(needle);
	for (; *haystack; haystack++)
		if (!strncmp(haystack, needle, n))
			return (char *)haystack;
	return n ? NULL : (char *)haystack;
}
EXPORT_SYMBOL(strstr);

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

int strncasecmp(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int d = lower((unsigned char)a[i]) - lower((unsigned char)b[i]);
		if (d || !a[i])
			return d;
	}
	return 0;
}
EXPORT_SYMBOL(strncasecmp);

int strcasecmp(const char *a, const char *b) { return strncasecmp(a, b, (size_t)-1); }
EXPORT_SYMBOL(strcasecmp);

char *strsep(char **s, const char *delim)
{
	char *begin = *s;
	if (!begin)
		return NULL;
	char *end = begin;
	while (*end && !strchr(delim, *end))
		end++;
	if (*end) {
		*end = 0;
		*s = end + 1;
	} else {
		*s = NULL;
	}
	return begin;
}
EXPORT_SYMBOL(strsep);

static bool space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

char *skip_spaces(const char *s)
{
	while (space(*s))
		s++;
	return (char *)s;
}
EXPORT_SYMBOL(skip_spaces);

char *strim(char *s)
{
	size_t n = strlen(s);
	while (n && space(s[n - 1]))
		s[--n] = 0;
	return skip_spaces(s);
}
EXPORT_SYMBOL(strim);

bool sysfs_streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	if (*a == *b)
		return true;
	if (!*a && *b == '\n' && !b[1])
		return true;
	return !*b && *a == '\n' && !a[1];
}
EXPORT_SYMBOL(sysfs_streq);

/* ---- numbers ---- */

/* Parses an unsigned number (base 0: 0x, 0 or decimal): the digits used, 0 for none; *overflow on overflow. */
static size_t parse_ull(const char *s, unsigned base, unsigned long long *res, bool *overflow)
{
	size_t i = 0;
	if (base == 0) {
		base = 10;
		if (s[0] == '0') {
			base = 8;
			if ((s[1] | 32) == 'x' && ((s[2] >= '0' && s[2] <= '9') || ((s[2] | 32) >= 'a' && (s[2] | 32) <= 'f'))) {
				base = 16;
				i = 2;
			}
		}
	} else if (base == 16 && s[0] == '0' && (s[1] | 32) == 'x') {
		i = 2;
	}
	unsigned long long v = 0;
	size_t start = i;
	*overflow = false;
	for (;; i++) {
		unsigned d;
		char c = s[i];
		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if ((c | 32) >= 'a' && (c | 32) <= 'z')
			d = (unsigned)((c | 32) - 'a' + 10);
		else
			break;
		if (d >= base)
			break;
		if (__builtin_mul_overflow(v, base, &v) || __builtin_add_overflow(v, d, &v))
			*overflow = true;
	}
	*res = v;
	if (i == start)
		return start == 2 ? 1 : 0; /* "0x" alone: the 0 */
	return i;
}

int kstrtoull(const char *s, unsigned int base, unsigned long long *res)
{
	if (*s == '+')
		s++;
	bool overflow;
	size_t n = parse_ull(s, base, res, &overflow);
	if (!n)
		return -EINVAL;
	if (overflow)
		return -ERANGE;
	if (s[n] == '\n')
		n++;
	return s[n] ? -EINVAL : 0;
}
EXPORT_SYMBOL(kstrtoull);

int kstrtoll(const char *s, unsigned int base, long long *res)
{
	unsigned long long v;
	int e;
	if (*s == '-') {
		if ((e = kstrtoull(s + 1, base, &v)))
			return e;
		if (v > (unsigned long long)LLONG_MAX + 1)
			return -ERANGE;
		*res = (long long)(0 - v);
		return 0;
	}
	if ((e = kstrtoull(s, base, &v)))
		return e;
	if (v > (unsigned long long)LLONG_MAX)
		return -ERANGE;
	*res = (long long)v;
	return 0;
}
EXPORT_SYMBOL(kstrtoll);

#define KSTRTO_U(name, type, maxv)                                                               \
	int name(const char *s, unsigned int base, type *res)                                   \
	{                                                                                        \
		unsigned long long v;                                                            \
		int e = kstrtoull(s, base, &v);                                                  \
		if (e)                                                                           \
			return e;                                                                \
		if (v > (maxv))                                                                  \
			return -ERANGE;                                                          \
		*res = (type)v;                                                                  \
		return 0;                                                                        \
	}                                                                                        \
	EXPORT_SYMBOL(name);
#define KSTRTO_S(name, type, minv, maxv)                                                         \
	int name(const char *s, unsigned int base, type *res)                                   \
	{                                                                                        \
		long long v;                                                                     \
		int e = kstrtoll(s, base, &v);                                                   \
		if (e)                                                                           \
			return e;                                                                \
		if (v < (minv) || v > (maxv))                                                    \
			return -ERANGE;                                                          \
		*res = (type)v;                                                                  \
		return 0;                                                                        \
	}                                                                                        \
	EXPORT_SYMBOL(name);
KSTRTO_U(kstrtoul, unsigned long, ULONG_MAX)
KSTRTO_U(kstrtouint, unsigned int, UINT_MAX)
KSTRTO_U(kstrtou16, u16, 0xffff)
KSTRTO_U(kstrtou8, u8, 0xff)
KSTRTO_S(kstrtol, long, LONG_MIN, LONG_MAX)
KSTRTO_S(kstrtoint, int, INT_MIN, INT_MAX)
KSTRTO_S(kstrtos16, s16, -32768, 32767)
KSTRTO_S(kstrtos8, s8, -128, 127)

int kstrtobool(const char *s, bool *res)
{
	if (!s)
		return -EINVAL;
	switch (s[0]) {
	case 'y': case 'Y': case 't': case 'T': case '1':
		*res = true;
		return 0;
	case 'n': case 'N': case 'f': case 'F': case '0':
		*res = false;
		return 0;
	case 'o': case 'O':
		if ((s[1] | 32) == 'n') {
			*res = true;
			return 0;
		}
		if ((s[1] | 32) == 'f') {
			*res = false;
			return 0;
		}
		break;
	}
	return -EINVAL;
}
EXPORT_SYMBOL(kstrtobool);

unsigned long simple_strtoul(const char *cp, char **endp, unsigned int base)
{
	unsigned long long v = 0;
	bool overflow;
	size_t n = parse_ull(cp, base, &v, &overflow);
	if (endp)
		*endp = (char *)cp + n;
	return (unsigned long)v;
}
EXPORT_SYMBOL(simple_strtoul);

long simple_strtol(const char *cp, char **endp, unsigned int base)
{
	if (*cp == '-') {
		long v = -(long)simple_strtoul(cp + 1, endp, base);
		if (endp && *endp == cp + 1)
			*endp = (char *)cp;
		return v;
	}
	return (long)simple_strtoul(cp, endp, base);
}
EXPORT_SYMBOL(simple_strtol);

#define KSTRTO_FROM_USER(name, type, conv)                                                       \
	int name(const char __user *s, size_t count, unsigned int base, type *res)              \
	{                                                                                        \
		char buf[24];                                                                    \
		if (count >= sizeof(buf))                                                        \
			count = sizeof(buf) - 1;                                                 \
		if (copy_from_user(buf, s, count))                                               \
			return -EFAULT;                                                          \
		buf[count] = 0;                                                                  \
		return conv(buf, base, res);                                                     \
	}                                                                                        \
	EXPORT_SYMBOL(name);
KSTRTO_FROM_USER(kstrtoint_from_user, int, kstrtoint)
KSTRTO_FROM_USER(kstrtol_from_user, long, kstrtol)
KSTRTO_FROM_USER(kstrtoul_from_user, unsigned long, kstrtoul)

/* ---- memory: lx's heap (malloc), which never sleeps ---- */

void *kmalloc(size_t size, gfp_t flags)
{
	if (size == 0)
		return ZERO_SIZE_PTR;
	if (size > KMALLOC_MAX_SIZE)
		return NULL;
	return (flags & __GFP_ZERO) ? calloc(1, size) : malloc(size);
}
EXPORT_SYMBOL(kmalloc);

void kfree(const void *p)
{
	if (!ZERO_OR_NULL_PTR(p))
		free((void *)p);
}
EXPORT_SYMBOL(kfree);

void *krealloc(const void *p, size_t new_size, gfp_t flags)
{
	if (new_size == 0) {
		kfree(p);
		return ZERO_SIZE_PTR;
	}
	if (ZERO_OR_NULL_PTR(p))
		return kmalloc(new_size, flags);
	return realloc((void *)p, new_size);
}
EXPORT_SYMBOL(krealloc);

char *kstrdup(const char *s, gfp_t gfp)
{
	if (!s)
		return NULL;
	return kmemdup(s, strlen(s) + 1, gfp);
}
EXPORT_SYMBOL(kstrdup);

char *kstrndup(const char *s, size_t max, gfp_t gfp)
{
	if (!s)
		return NULL;
	size_t n = strnlen(s, max);
	char *d = kmalloc(n + 1, gfp);
	if (d) {
		memcpy(d, s, n);
		d[n] = 0;
	}
	return d;
}
EXPORT_SYMBOL(kstrndup);

void *kmemdup(const void *src, size_t len, gfp_t gfp)
{
	void *d = kmalloc(len, gfp);
	if (d && !ZERO_OR_NULL_PTR(d))
		memcpy(d, src, len);
	return d;
}
EXPORT_SYMBOL(kmemdup);

void *vmalloc(unsigned long size) { return kmalloc(size, GFP_KERNEL); }
EXPORT_SYMBOL(vmalloc);
void *vzalloc(unsigned long size) { return kzalloc(size, GFP_KERNEL); }
EXPORT_SYMBOL(vzalloc);
void vfree(const void *addr) { kfree(addr); }
EXPORT_SYMBOL(vfree);

struct kmem_cache {
	unsigned int size;
	void (*ctor)(void *);
	char name[32];
};

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align, unsigned long flags,
				     void (*ctor)(void *))
{
	(void)align, (void)flags;
	struct kmem_cache *c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (c) {
		c->size = size ? size : 1;
		c->ctor = ctor;
		strscpy(c->name, name ? name : "", sizeof(c->name));
	}
	return c;
}
EXPORT_SYMBOL(kmem_cache_create);

void kmem_cache_destroy(struct kmem_cache *cache) { kfree(cache); }
EXPORT_SYMBOL(kmem_cache_destroy);

void *kmem_cache_alloc(struct kmem_cache *cache, gfp_t flags)
{
	void *p = kmalloc(cache->size, flags);
	if (p && cache->ctor)
		cache->ctor(p);
	return p;
}
EXPORT_SYMBOL(kmem_cache_alloc);

void *kmem_cache_zalloc(struct kmem_cache *cache, gfp_t flags) { return kmem_cache_alloc(cache, flags | __GFP_ZERO); }
EXPORT_SYMBOL(kmem_cache_zalloc);

void kmem_cache_free(struct kmem_cache *cache, void *obj)
{
	(void)cache;
	kfree(obj);
}
EXPORT_SYMBOL(kmem_cache_free);
