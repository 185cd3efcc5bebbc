/* printf and friends: format into a line buffer, write it with one kernel call per line. */
#include "stdio.h"
#include "string.h"
#include "format.h"
#include "l4.h"

struct line {
	char buf[256];
	size_t len;
};

static void flush(struct line *l)
{
	if (l->len)
		l4_kdebug_write(l->buf, l->len);
	l->len = 0;
}

static void sink(void *ctx, char c)
{
	struct line *l = ctx;
	l->buf[l->len++] = c;
	if (c == '\n' || l->len == sizeof(l->buf))
		flush(l);
}

int vprintf(const char *fmt, va_list ap)
{
	struct line l = {.len = 0};
	int n = fmt_vformat(sink, &l, fmt, ap);
	flush(&l);
	return n;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int puts(const char *s) { return printf("%s\n", s); }
