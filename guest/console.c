/* lx's console: output to the log server as it comes, input through a small tty line discipline,
 * job control (the foreground process group), and the tty device behind /dev/console and /dev/tty. */
#include <stdarg.h>
#include "console.h"
#include "format.h"
#include "fs/fs.h"
#include "l4.h"
#include "proc.h"
#include "string.h"
#include "l4/re/c/input.h"

const char lx_console_channel[] = "console input";

/* ---- output ---- */

/* The last byte written ended a line: lx_log starts its own line then. */
static bool at_line_start = true;
/* A line is being typed: bytes came since the last end of line typed. */
static bool typing;

void lx_console_write(const char *s, size_t n)
{
	if (!n)
		return;
	/* The log server buffers until '\n' and prefixes the line with lx's tag. */
	l4_kdebug_write(s, n);
	at_line_start = s[n - 1] == '\n';
}

/*
 * A reader is about to wait for input. The log server shows only whole
 * lines, so a prompt (output without a newline) would stay invisible until
 * the line typed after it is finished. So when a process waits for input
 * while its output has left a line open, and nothing has been typed on the
 * current input line yet, lx ends the output line here: the prompt shows at
 * once as a line of its own, and what is typed follows on the next line
 * (echoed there when the input line ends). Once typing has begun the open
 * line is left alone: a line editor in raw mode (busybox's) waits for every
 * key and must not get a line per key.
 */
static void reader_waits(void)
{
	if (!at_line_start && !typing)
		lx_console_write("\n", 1);
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

/* ---- job control: the foreground process group ---- */

/* The terminal's foreground process group (0: none set yet) and the session
 * that made the console its controlling terminal (TIOCSCTTY; 0: none). */
static int fg_pgrp, ctty_sid;

/* Until a process has a group or a session of its own it counts as its own. */
static int pgid_of(const struct lx_proc *p) { return p->pgid ? p->pgid : p->pid; }
static int sid_of(const struct lx_proc *p) { return p->sid ? p->sid : p->pid; }

/* Does a process (a zombie counts, as in Linux, until it is reaped) have this group? */
static bool group_exists(int pgrp)
{
	if (pgrp <= 0)
		return false;
	for (unsigned i = 0; i < LX_MAX_PROCS; i++)
		if (lx_procs[i].state != LX_FREE && pgid_of(&lx_procs[i]) == pgrp)
			return true;
	return false;
}

/* The foreground group, or 0 when none is set or it is gone. */
static int foreground(void)
{
	return group_exists(fg_pgrp) ? fg_pgrp : 0;
}

/* ---- input ---- */

/* Drops what was typed and not yet read. */
static void flush_input(void)
{
	edit_len = 0;
	in_rd = in_wr;
	lines_rd = lines_wr;
}

/* ^C, ^\, ^Z with ISIG: the signal for the foreground group; the input typed
 * and not yet read goes (unless NOFLSH), as Linux's n_tty does. */
static void input_signal(char c, int signo)
{
	echo_char(c);
	if (termios.c_lflag & LX_ECHO)
		echo("\n", 1);
	if (!(termios.c_lflag & LX_NOFLSH))
		flush_input();
	typing = false;
	int fg = foreground();
	if (fg)
		lx_signal_pgrp(fg, signo);
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

	if ((termios.c_lflag & LX_ISIG) && u) {
		int signo = u == cc[LX_VINTR] ? LX_TTY_SIGINT
			  : u == cc[LX_VQUIT] ? LX_TTY_SIGQUIT
			  : u == cc[LX_VSUSP] ? LX_TTY_SIGTSTP : 0;
		if (signo) {
			input_signal(c, signo);
			return;
		}
	}
	/* a raw reader ends its lines with either; a canonical one with '\n' */
	typing = !(c == '\n' || c == '\r' || (canonical() && u && u == cc[LX_VEOF]));

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

/* ---- the tty device: /dev/console (5,1) and /dev/tty (5,0) ---- */

static long tty_read(struct lx_proc *p, struct lx_file *f, uint64_t buf, size_t n, uint64_t *pos)
{
	(void)pos;
	if (n == 0)
		return 0;
	char tmp[512];
	if (n > sizeof(tmp))
		n = sizeof(tmp);
	long got = lx_console_take(tmp, n, false);
	if (got < 0) {
		if (!canonical() && termios.c_cc[LX_VMIN] == 0)
			return 0; /* a polling raw read */
		if (f->flags & LX_O_NONBLOCK)
			return -LX_EAGAIN;
		reader_waits();
		p->wait_channel = lx_console_channel;
		p->state = LX_SLEEPING;
		return LX_BLOCK;
	}
	/* Consumed only once the bytes are the caller's: a bad buffer loses no input. */
	if (got > 0 && lx_copy_to_user(p, buf, tmp, (size_t)got))
		return -LX_EFAULT;
	lx_console_take(tmp, (size_t)(got ? got : 1), true);
	return got;
}

/*
 * Drops the cursor-position query ESC [ 6 n (busybox's line editor sends it
 * after each prompt): the log server holds it until the line ends, so a
 * terminal could not answer in time, and its late answer would arrive as
 * typed input. The editor does not wait for an answer. Returns the new length.
 */
static size_t drop_cursor_queries(char *s, size_t n)
{
	size_t out = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == 033 && i + 3 < n && s[i + 1] == '[' && s[i + 2] == '6' && s[i + 3] == 'n') {
			i += 3;
			continue;
		}
		s[out++] = s[i];
	}
	return out;
}

static long tty_write(struct lx_proc *p, struct lx_file *f, uint64_t buf, size_t n, uint64_t *pos)
{
	(void)f, (void)pos;
	char tmp[512];
	size_t done = 0;
	while (done < n) {
		size_t chunk = n - done < sizeof(tmp) ? n - done : sizeof(tmp);
		if (lx_copy_from_user(p, tmp, buf + done, chunk))
			return done ? (long)done : -LX_EFAULT;
		lx_console_write(tmp, drop_cursor_queries(tmp, chunk));
		done += chunk;
	}
	return (long)done;
}

enum {
	TCGETS = 0x5401, TCSETS = 0x5402, TCSETSW = 0x5403, TCSETSF = 0x5404, TIOCGPGRP = 0x540f,
	TIOCSPGRP = 0x5410, TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414, TIOCSCTTY = 0x540e, TIOCNOTTY = 0x5422,
	TCFLSH = 0x540b, TCXONC = 0x540a, TCSBRK = 0x5409, FIONREAD = 0x541b, TIOCGSID = 0x5429,
};

static long put_int(struct lx_proc *p, uint64_t arg, int32_t v)
{
	return lx_copy_to_user(p, arg, &v, sizeof(v));
}

static long tty_ioctl(struct lx_proc *p, struct lx_file *f, unsigned cmd, uint64_t arg)
{
	(void)f;
	struct lx_termios t;
	switch (cmd) {
	case TCGETS:
		lx_console_get_termios(&t);
		return lx_copy_to_user(p, arg, &t, sizeof(t));
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		if (lx_copy_from_user(p, &t, arg, sizeof(t)))
			return -LX_EFAULT;
		if (cmd == TCSETSF)
			flush_input(); /* first, as Linux does */
		lx_console_set_termios(&t);
		return 0;
	case TIOCGWINSZ: {
		uint16_t ws[4] = {24, 80, 0, 0}; /* rows, columns, pixels */
		return lx_copy_to_user(p, arg, ws, sizeof(ws));
	}
	case TIOCSWINSZ:
		return 0;
	case TIOCGPGRP: {
		/* No foreground group yet (or it is gone: a shell that ended):
		 * the caller's, so that a new shell finds itself in the
		 * foreground instead of stopping itself with SIGTTIN. */
		int fg = foreground();
		return put_int(p, arg, fg ? fg : pgid_of(p));
	}
	case TIOCSPGRP: {
		int32_t pgrp;
		if (lx_copy_from_user(p, &pgrp, arg, sizeof(pgrp)))
			return -LX_EFAULT;
		if (pgrp <= 0)
			return -LX_EINVAL;
		if (!group_exists(pgrp))
			return -LX_ESRCH;
		fg_pgrp = pgrp;
		return 0;
	}
	case TIOCGSID:
		return put_int(p, arg, ctty_sid ? ctty_sid : sid_of(p));
	case TIOCSCTTY:
		/* the caller's session takes the console; its group is the foreground */
		ctty_sid = sid_of(p);
		fg_pgrp = pgid_of(p);
		return 0;
	case FIONREAD: {
		char tmp[512];
		long got = lx_console_take(tmp, sizeof(tmp), false);
		return put_int(p, arg, got > 0 ? (int32_t)got : 0);
	}
	case TCFLSH:
		if (arg == 0 || arg == 2) /* TCIFLUSH, TCIOFLUSH */
			flush_input();
		return 0;
	case TIOCNOTTY:
	case TCXONC:
	case TCSBRK:
		return 0;
	default:
		return -LX_ENOTTY;
	}
}

static unsigned tty_poll(struct lx_file *f, const void **channel)
{
	(void)f;
	char c;
	*channel = lx_console_channel;
	if (lx_console_take(&c, 1, false) >= 0)
		return LX_POLLOUT | LX_POLLIN;
	reader_waits();
	return LX_POLLOUT;
}

static const struct lx_file_ops tty_ops = {
	.read = tty_read,
	.write = tty_write,
	.ioctl = tty_ioctl,
	.poll = tty_poll,
};
const struct lx_chrdev lx_console_dev = {.major = 5, .minor_first = 0, .minor_count = 2, .name = "console",
					 .ops = &tty_ops};
