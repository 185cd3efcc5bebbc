/* lt: start, strings, printf and checks of the guest test programs (lt.h). */
#include "lt.h"

int lt_argc;
char **lt_argv;
char **lt_envp;
unsigned long *lt_auxv;
unsigned long lt_initial_sp;

int main(int argc, char **argv, char **envp); /* the program's (it may take fewer arguments) */
__attribute__((noreturn, used)) void lt_start_c(unsigned long *sp);
__attribute__((noreturn, used)) void lt_start_c(unsigned long *sp)
{
	lt_initial_sp = (unsigned long)sp;
	lt_argc = (int)sp[0];
	lt_argv = (char **)(sp + 1);
	lt_envp = lt_argv + lt_argc + 1;
	char **e = lt_envp;
	while (*e)
		e++;
	lt_auxv = (unsigned long *)(e + 1);
	sys_exit_group(main(lt_argc, lt_argv, lt_envp));
}

unsigned long lt_getauxval(unsigned long type, int *found)
{
	for (unsigned long *a = lt_auxv; a[0] != AT_NULL; a += 2) {
		if (a[0] == type) {
			if (found)
				*found = 1;
			return a[1];
		}
	}
	if (found)
		*found = 0;
	return 0;
}

void lt_no_core_dumps(void)
{
	unsigned long lim[2] = {0, 0};
	lt_syscall6(SYS_prlimit64, 0, 4 /* RLIMIT_CORE */, (long)lim, 0, 0, 0);
}

/* ---- strings ---- */
size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			return 0;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	if (d < s) {
		while (n--)
			*d++ = *s++;
	} else {
		while (n--)
			d[n] = s[n];
	}
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

/* ---- formatting ---- */
struct out {
	char *buf;
	size_t size, len;  /* len counts everything, also what did not fit */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_num(struct out *o, unsigned long v, unsigned base, int neg, int width, char pad)
{
	char tmp[24];
	int n = 0;
	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		width--;
	if (neg && pad == '0')
		put(o, '-');
	for (int i = n; i < width; i++)
		put(o, pad);
	if (neg && pad != '0')
		put(o, '-');
	while (n)
		put(o, tmp[--n]);
}

static void vformat(struct out *o, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(o, *fmt);
			continue;
		}
		fmt++;
		char pad = ' ';
		int width = 0, lng = 0;
		if (*fmt == '0') {
			pad = '0';
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l' || *fmt == 'z') {
			lng = 1;
			fmt++;
		}
		switch (*fmt) {
		case 'd':
		case 'i': {
			long v = lng ? va_arg(ap, long) : va_arg(ap, int);
			put_num(o, v < 0 ? -(unsigned long)v : (unsigned long)v, 10, v < 0, width, pad);
			break;
		}
		case 'u':
			put_num(o, lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 10, 0, width, pad);
			break;
		case 'x':
			put_num(o, lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 16, 0, width, pad);
			break;
		case 'p':
			put(o, '0');
			put(o, 'x');
			put_num(o, (unsigned long)va_arg(ap, void *), 16, 0, width, pad);
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			int n = (int)strlen(s);
			for (int i = n; i < width; i++)
				put(o, ' ');
			while (*s)
				put(o, *s++);
			break;
		}
		case 'c':
			put(o, (char)va_arg(ap, int));
			break;
		case '%':
			put(o, '%');
			break;
		case '\0':
			return;
		default:
			put(o, '%');
			put(o, *fmt);
			break;
		}
	}
}

int lt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct out o = {buf, size, 0};
	vformat(&o, fmt, ap);
	va_end(ap);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

static long write_all(int fd, const char *s, size_t n)
{
	size_t done = 0;
	while (done < n) {
		long r = sys_write(fd, s + done, n - done);
		if (r == -EINTR)
			continue;
		if (r <= 0)
			return r < 0 ? r : -EINVAL;
		done += (size_t)r;
	}
	return (long)done;
}

int lt_vdprintf(int fd, const char *fmt, va_list ap)
{
	char buf[1024];
	struct out o = {buf, sizeof buf, 0};
	vformat(&o, fmt, ap);
	size_t n = o.len < sizeof buf - 1 ? o.len : sizeof buf - 1;
	write_all(fd, buf, n);
	return (int)n;
}

int lt_dprintf(int fd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = lt_vdprintf(fd, fmt, ap);
	va_end(ap);
	return n;
}

int lt_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = lt_vdprintf(1, fmt, ap);
	va_end(ap);
	return n;
}

/* ---- checks ---- */
static int failures;
static char first_failure[200];

static int report(int ok, const char *extra, const char *fmt, va_list ap)
{
	char what[200];
	struct out o = {what, sizeof what, 0};
	vformat(&o, fmt, ap);
	what[o.len < sizeof what ? o.len : sizeof what - 1] = '\0';
	if (ok) {
		lt_printf("%s: ok: %s\n", lt_name, what);
	} else {
		lt_printf("%s: not ok: %s%s\n", lt_name, what, extra);
		if (!failures++)
			lt_snprintf(first_failure, sizeof first_failure, "%s%s", what, extra);
	}
	return ok;
}

int lt_check(int ok, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(ok, "", fmt, ap);
	va_end(ap);
	return ok;
}

int lt_check_eq(long got, long want, const char *fmt, ...)
{
	char extra[80] = "";
	if (got != want)
		lt_snprintf(extra, sizeof extra, " (got %ld, expected %ld)", got, want);
	va_list ap;
	va_start(ap, fmt);
	report(got == want, extra, fmt, ap);
	va_end(ap);
	return got == want;
}

int lt_failures(void)
{
	return failures;
}

int lt_finish(void)
{
	if (!failures) {
		lt_printf("%s: PASS\n", lt_name);
		return 0;
	}
	lt_printf("%s: FAIL %s%s\n", lt_name, first_failure,
		  failures > 1 ? " (and more: see the 'not ok' lines)" : "");
	return 1;
}

long lt_in_child(void (*fn)(void *), void *arg)
{
	long pid = sys_fork();
	if (pid < 0)
		return pid;
	if (pid == 0) {
		fn(arg);
		sys_exit(0);
	}
	int status = 0;
	long r;
	do
		r = sys_wait4((int)pid, &status, 0, NULL);
	while (r == -EINTR);
	if (r < 0)
		return r;
	if (r != pid)
		return -ECHILD;
	return status;
}

const char *lt_status_text(long status, char *buf, size_t size)
{
	if (status < 0)
		lt_snprintf(buf, size, "error %ld", -status);
	else if (WIFEXITED(status))
		lt_snprintf(buf, size, "exited with status %ld", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		lt_snprintf(buf, size, "killed by signal %ld", WTERMSIG(status));
	else
		lt_snprintf(buf, size, "wait status 0x%lx", status);
	return buf;
}
