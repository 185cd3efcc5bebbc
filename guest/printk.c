/* printk: lx's kernel log, a ring of text lines with level and time, read by syslog(2) (dmesg). */
#include "printk.h"
#include "format.h"
#include "stdlib.h"
#include "string.h"

#define LOG_SIZE (64 * 1024)
#define LINE_MAX 1024

static char ring[LOG_SIZE];
static size_t head, used;         /* the lines: used bytes from head, wrapping */
static size_t unread_from;        /* SYSLOG_ACTION_READ consumes from here (an offset from head) */
static int console_loglevel = 5;  /* lines of a level below it go to the console too */
static bool console_on = true;
enum { DEFAULT_LEVEL = 4, MIN_CONSOLE_LEVEL = 1 };

static char at(size_t i) { return ring[(head + i) % LOG_SIZE]; }

/* Drops the oldest line. */
static void drop_line(void)
{
	size_t n = 0;
	while (n < used && at(n) != '\n')
		n++;
	n = n < used ? n + 1 : used;
	head = (head + n) % LOG_SIZE;
	used -= n;
	unread_from = unread_from > n ? unread_from - n : 0;
}

static void append(const char *s, size_t n)
{
	if (n > LOG_SIZE)
		return;
	while (used + n > LOG_SIZE)
		drop_line();
	for (size_t i = 0; i < n; i++)
		ring[(head + used + i) % LOG_SIZE] = s[i];
	used += n;
}

struct linebuf {
	char buf[LINE_MAX];
	size_t len;
};

static void sink(void *ctx, char c)
{
	struct linebuf *l = ctx;
	if (l->len < sizeof(l->buf) - 1)
		l->buf[l->len++] = c;
}

static void record(int level, const char *text, size_t n)
{
	uint64_t t = lx_ticks();
	char line[LINE_MAX + 48];
	int k = fmt_snprintf(line, sizeof(line), "<%d>[%5lu.%06lu] ", level, (unsigned long)(t / 100),
			     (unsigned long)(t % 100) * 10000);
	if (k < 0)
		return;
	if (n > sizeof(line) - (size_t)k - 1)
		n = sizeof(line) - (size_t)k - 1;
	memcpy(line + k, text, n);
	line[k + n] = '\n';
	append(line, (size_t)k + n + 1);
	lx_wake(ring); /* syslog(SYSLOG_ACTION_READ) waiters */
	if (console_on && level < console_loglevel)
		lx_log("%.*s", (int)n, text);
}

/* "<N>" or "\001N" at the start: the level (else -1). */
static int level_prefix(const char *s, size_t *skip)
{
	if (s[0] == '<' && s[1] >= '0' && s[1] <= '7' && s[2] == '>') {
		*skip = 3;
		return s[1] - '0';
	}
	if (s[0] == '\001' && s[1] >= '0' && s[1] <= '7') {
		*skip = 2;
		return s[1] - '0';
	}
	*skip = 0;
	return -1;
}

void lx_vprintk(const char *fmt, va_list ap)
{
	struct linebuf l;
	l.len = 0;
	fmt_vformat(sink, &l, fmt, ap);
	l.buf[l.len] = 0;
	size_t skip;
	int level = level_prefix(l.buf, &skip);
	if (level < 0)
		level = DEFAULT_LEVEL;
	const char *s = l.buf + skip, *end = l.buf + l.len;
	/* one record per line; a final newline ends the last one */
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl ? nl : end;
		record(level, s, (size_t)(e - s));
		s = nl ? nl + 1 : end;
	}
	if (l.len == skip)
		record(level, "", 0);
}

void lx_printk(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	lx_vprintk(fmt, ap);
	va_end(ap);
}

/* ---- syslog(2) ---- */

enum {
	SYSLOG_CLOSE = 0, SYSLOG_OPEN = 1, SYSLOG_READ = 2, SYSLOG_READ_ALL = 3, SYSLOG_READ_CLEAR = 4,
	SYSLOG_CLEAR = 5, SYSLOG_CONSOLE_OFF = 6, SYSLOG_CONSOLE_ON = 7, SYSLOG_CONSOLE_LEVEL = 8,
	SYSLOG_SIZE_UNREAD = 9, SYSLOG_SIZE_BUFFER = 10,
};

/* Copies the last len bytes' worth of whole lines from offset from; the count or -LX_EFAULT. */
static long copy_out(struct lx_proc *p, uint64_t ubuf, size_t len, size_t from)
{
	size_t start = from;
	/* the newest lines that fit: skip whole lines from the front */
	while (used - start > len) {
		while (start < used && at(start) != '\n')
			start++;
		if (start < used)
			start++;
	}
	size_t n = used - start;
	char tmp[512];
	for (size_t done = 0; done < n;) {
		size_t c = n - done < sizeof(tmp) ? n - done : sizeof(tmp);
		for (size_t i = 0; i < c; i++)
			tmp[i] = at(start + done + i);
		if (lx_copy_to_user(p, ubuf + done, tmp, c))
			return -LX_EFAULT;
		done += c;
	}
	return (long)n;
}

long lx_syslog(struct lx_proc *p, int action, uint64_t ubuf, long len)
{
	switch (action) {
	case SYSLOG_CLOSE:
	case SYSLOG_OPEN:
		return 0;
	case SYSLOG_READ: {
		if (!ubuf || len < 0)
			return -LX_EINVAL;
		if (len == 0)
			return 0;
		if (unread_from >= used) {
			/* nothing new: wait for printk (woken by the timer's re-check) */
			p->state = LX_SLEEPING;
			p->wait_channel = ring;
			p->wake_tick = lx_ticks() + 10;
			return LX_BLOCK;
		}
		size_t n = used - unread_from < (size_t)len ? used - unread_from : (size_t)len;
		char tmp[512];
		for (size_t done = 0; done < n;) {
			size_t c = n - done < sizeof(tmp) ? n - done : sizeof(tmp);
			for (size_t i = 0; i < c; i++)
				tmp[i] = at(unread_from + done + i);
			if (lx_copy_to_user(p, ubuf + done, tmp, c))
				return done ? (long)done : -LX_EFAULT;
			done += c;
		}
		unread_from += n;
		return (long)n;
	}
	case SYSLOG_READ_ALL:
	case SYSLOG_READ_CLEAR: {
		if (!ubuf || len < 0)
			return -LX_EINVAL;
		long r = copy_out(p, ubuf, (size_t)len, 0);
		if (r >= 0 && action == SYSLOG_READ_CLEAR)
			head = (head + used) % LOG_SIZE, used = 0, unread_from = 0;
		return r;
	}
	case SYSLOG_CLEAR:
		head = (head + used) % LOG_SIZE;
		used = 0;
		unread_from = 0;
		return 0;
	case SYSLOG_CONSOLE_OFF:
		console_on = false;
		return 0;
	case SYSLOG_CONSOLE_ON:
		console_on = true;
		return 0;
	case SYSLOG_CONSOLE_LEVEL:
		if (len < 1 || len > 8)
			return -LX_EINVAL;
		console_loglevel = len < MIN_CONSOLE_LEVEL ? MIN_CONSOLE_LEVEL : (int)len;
		console_on = true;
		return 0;
	case SYSLOG_SIZE_UNREAD:
		return (long)(used - unread_from);
	case SYSLOG_SIZE_BUFFER:
		return LOG_SIZE;
	}
	return -LX_EINVAL;
}
