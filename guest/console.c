/* lx's console: output to the log server as it comes, input through a small tty line discipline. */
#include <stdarg.h>
#include "console.h"
#include "format.h"
#include "l4.h"
#include "string.h"
#include "l4/re/c/input.h"

const char lx_console_channel[] = "console input";

/* ---- output ---- */

/* The last byte written ended a line: lx_log starts its own line then. */
static bool at_line_start = true;

void lx_console_write(const char *s, size_t n)
{
	if (!n)
		return;
	/* The log server buffers until '\n' and prefixes the line with lx's tag. */
	l4_kdebug_write(s, n);
	at_line_start = s[n - 1] == '\n';
}

void lx_log(const char *fmt, ...)
{
	char buf[256];
	size_t n = 0;
	if (!at_line_start)
		buf[n++] = '\n'; /* not inside a process's unfinished line */
	va_list ap;
	va_start(ap, fmt);
	int len = fmt_vsnprintf(buf + n, sizeof(buf) - n - 1, fmt, ap);
	va_end(ap);
	if (len < 0)
		len = 0;
	n += (size_t)len < sizeof(buf) - n - 1 ? (size_t)len : sizeof(buf) - n - 2;
	if (buf[n - 1] != '\n')
		buf[n++] = '\n';
	lx_console_write(buf, n);
}

/* ---- the line discipline ---- */

static struct lx_termios termios = {
	.c_iflag = LX_ICRNL | 02000 /* IXON */,
	.c_oflag = 01 /* OPOST */ | 04 /* ONLCR */,
	.c_cflag = 017 /* B38400 */ | 060 /* CS8 */ | 0200 /* CREAD */ | 02000 /* HUPCL */,
	.c_lflag = LX_ISIG | LX_ICANON | LX_ECHO | LX_ECHOE | LX_ECHOK | LX_ECHOCTL | LX_ECHOKE | LX_IEXTEN,
	.c_line = 0,
	.c_cc = {3, 034, 0177, 025, 4, 0, 1, 0, 021, 023, 032, 0, 022, 017, 027, 026, 0},
};

/* Input ready for readers: a ring of bytes (absolute counters) and, in
 * canonical mode, where each finished line ends. A line that ends where
 * the previous one did is an end of file (^D on an empty line). */
#define IN_SIZE 4096
#define LINES_MAX 64
static char in_ring[IN_SIZE];
static uint64_t in_rd, in_wr;
static uint64_t line_end[LINES_MAX];
static unsigned lines_rd, lines_wr;

/* The line being typed (canonical mode). */
#define EDIT_MAX 1024
static char edit[EDIT_MAX];
static size_t edit_len;

/* Echo collected while handling one interrupt, written at once. */
static char echo_buf[512];
static size_t echo_len;

static bool canonical(void) { return termios.c_lflag & LX_ICANON; }

static void echo_flush(void)
{
	lx_console_write(echo_buf, echo_len);
	echo_len = 0;
}

static void echo(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (echo_len == sizeof(echo_buf))
			echo_flush();
		echo_buf[echo_len++] = s[i];
	}
}

/* Echoes a typed byte: control characters as ^X with ECHOCTL (an escape
 * sequence typed must not move the cursor). */
static void echo_char(char c)
{
	if (!(termios.c_lflag & LX_ECHO))
		return;
	unsigned char u = (unsigned char)c;
	if ((termios.c_lflag & LX_ECHOCTL) && (u < 0x20 || u == 0x7f) && c != '\n' && c != '\t') {
		char s[2] = {'^', (char)(u == 0x7f ? '?' : u + 0x40)};
		echo(s, 2);
	} else {
		echo(&c, 1);
	}
}

static void echo_erase(void)
{
	if ((termios.c_lflag & LX_ECHO) && (termios.c_lflag & LX_ECHOE))
		echo("\b \b", 3);
}

static bool ring_put(const char *s, size_t n)
{
	if (IN_SIZE - (in_wr - in_rd) < n)
		return false; /* full: the input is lost, as a full tty drops it */
	for (size_t i = 0; i < n; i++)
		in_ring[(in_wr + i) % IN_SIZE] = s[i];
	in_wr += n;
	return true;
}

/* A finished line (with its '\n' unless it ended with ^D) for readers. */
static void push_line(void)
{
	if (lines_wr - lines_rd < LINES_MAX && ring_put(edit, edit_len)) {
		line_end[lines_wr % LINES_MAX] = in_wr;
		lines_wr++;
	}
	edit_len = 0;
}

static void input_byte(char c)
{
	const uint8_t *cc = termios.c_cc;
	uint8_t u = (uint8_t)c;

	if (c == '\r' && (termios.c_iflag & LX_IGNCR))
		return;
	if (c == '\r' && (termios.c_iflag & LX_ICRNL))
		c = '\n';
	else if (c == '\n' && (termios.c_iflag & LX_INLCR))
		c = '\r';
	u = (uint8_t)c;

	if ((termios.c_lflag & LX_ISIG) && u && (u == cc[LX_VINTR] || u == cc[1 /* VQUIT */])) {
		echo_char(c);
		if (termios.c_lflag & LX_ECHO)
			echo("\n", 1);
		edit_len = 0; /* the line typed so far goes, as with Linux's flush on a signal */
		if (lx_console_signal)
			lx_console_signal(u == cc[LX_VINTR] ? 2 : 3);
		return;
	}

	if (!canonical()) {
		echo_char(c);
		ring_put(&c, 1);
		return;
	}

	if (u && (u == cc[LX_VERASE] || u == 0x08)) {
		if (edit_len) {
			edit_len--;
			echo_erase();
		}
	} else if (u && u == cc[LX_VKILL]) {
		while (edit_len) {
			edit_len--;
			echo_erase();
		}
	} else if (u && u == cc[LX_VWERASE] && (termios.c_lflag & LX_IEXTEN)) {
		while (edit_len && edit[edit_len - 1] == ' ') {
			edit_len--;
			echo_erase();
		}
		while (edit_len && edit[edit_len - 1] != ' ') {
			edit_len--;
			echo_erase();
		}
	} else if (u && u == cc[LX_VEOF]) {
		push_line(); /* without a '\n'; empty: end of file */
	} else if (c == '\n' || (u && (u == cc[LX_VEOL] || u == cc[LX_VEOL2]))) {
		if ((termios.c_lflag & LX_ECHO) || (c == '\n' && (termios.c_lflag & LX_ECHONL)))
			echo(&c, 1);
		edit[edit_len++] = c; /* there is always room for the end of the line */
		push_line();
	} else if (edit_len < EDIT_MAX - 1) {
		edit[edit_len++] = c;
		echo_char(c);
	}
}

long lx_console_init(uint64_t irq_sel)
{
	long err = l4re_input_bind(irq_sel);
	return err > 0 ? -err : err;
}

void lx_console_input_irq(void)
{
	char buf[256];
	size_t got;
	uint64_t before = in_wr;
	unsigned lines_before = lines_wr;

	while (l4re_input_read(buf, sizeof(buf), &got) == 0 && got) {
		for (size_t i = 0; i < got; i++)
			input_byte(buf[i]);
	}
	echo_flush();
	if (in_wr != before || lines_wr != lines_before)
		lx_wake(lx_console_channel);
}

long lx_console_take(char *buf, size_t n, bool consume)
{
	uint64_t avail;
	if (canonical()) {
		if (lines_rd == lines_wr)
			return -1;
		uint64_t end = line_end[lines_rd % LINES_MAX];
		avail = end - in_rd;
		if (avail == 0) {
			if (consume)
				lines_rd++;
			return 0;
		}
	} else {
		avail = in_wr - in_rd;
		if (avail == 0)
			return -1;
	}
	if (n > avail)
		n = (size_t)avail;
	for (size_t i = 0; i < n; i++)
		buf[i] = in_ring[(in_rd + i) % IN_SIZE];
	if (consume) {
		in_rd += n;
		/* the line is done once wholly read (only this one: an end of
		 * file right after it ends at the same place) */
		if (canonical() && line_end[lines_rd % LINES_MAX] == in_rd)
			lines_rd++;
	}
	return (long)n;
}

size_t lx_console_read(char *buf, size_t n)
{
	long got = n ? lx_console_take(buf, n, true) : 0;
	return got > 0 ? (size_t)got : 0;
}

void lx_console_get_termios(struct lx_termios *t)
{
	*t = termios;
}

void lx_console_set_termios(const struct lx_termios *t)
{
	bool was_canonical = canonical();
	termios = *t;
	if (was_canonical && !canonical()) {
		/* what was typed so far becomes readable at once */
		ring_put(edit, edit_len);
		edit_len = 0;
		lines_rd = lines_wr = 0;
	} else if (!was_canonical && canonical() && in_wr != in_rd && lines_wr - lines_rd < LINES_MAX) {
		/* bytes typed in raw mode are one line for canonical readers */
		line_end[lines_wr % LINES_MAX] = in_wr;
		lines_wr++;
	}
	if (in_wr != in_rd)
		lx_wake(lx_console_channel);
}
