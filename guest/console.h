/* The console: process output to the log server, serial input through a small line discipline. */
#ifndef LX_CONSOLE_H
#define LX_CONSOLE_H

#include <stdbool.h>
#include "lx.h"

/* Makes lx the log server's input client on irq_sel (an IRQ bound to lx's
 * vCPU thread); 0, or the l4re_input_bind error negated (< 0; -PECAN_EPERM
 * when the config script does not route the input to lx). */
long lx_console_init(uint64_t irq_sel);
/* The input IRQ came: takes all typed bytes through the line discipline,
 * echoes them, wakes the readers of lx_console_channel. */
void lx_console_input_irq(void);

/* struct termios as the TCGETS/TCSETS ioctls pass it (x86-64, 36 bytes). */
#define LX_NCCS 19
struct lx_termios {
	uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
	uint8_t c_line;
	uint8_t c_cc[LX_NCCS];
};
_Static_assert(sizeof(struct lx_termios) == 36, "the kernel's struct termios");

/* the flags and c_cc slots the line discipline uses (Linux values) */
enum {
	LX_ICRNL = 0400, LX_IGNCR = 0200, LX_INLCR = 0100,
	LX_ISIG = 0001, LX_ICANON = 0002, LX_ECHO = 0010, LX_ECHOE = 0020, LX_ECHOK = 0040,
	LX_ECHONL = 0100, LX_NOFLSH = 0200, LX_ECHOCTL = 01000, LX_ECHOKE = 04000, LX_IEXTEN = 0100000,
	LX_VINTR = 0, LX_VQUIT = 1, LX_VERASE = 2, LX_VKILL = 3, LX_VEOF = 4, LX_VTIME = 5, LX_VMIN = 6,
	LX_VSUSP = 10, LX_VEOL = 11, LX_VWERASE = 14, LX_VEOL2 = 16,
};
/* the signals the terminal sends to its foreground process group */
enum { LX_TTY_SIGINT = 2, LX_TTY_SIGQUIT = 3, LX_TTY_SIGTSTP = 20 };

void lx_console_get_termios(struct lx_termios *t);
void lx_console_set_termios(const struct lx_termios *t);

/* Console input for a reader: > 0 bytes copied to buf (at most one line in
 * canonical mode), 0 end of file (^D at the start of a line, consumed),
 * -1 nothing waiting. With consume false the bytes stay (a peek; an end of
 * file stays too). */
long lx_console_take(char *buf, size_t n, bool consume);

/*
 * The tty device behind /dev/console (5,1) and /dev/tty (5,0), registered by
 * devices_init. It keeps the terminal's foreground process group
 * (TIOCSPGRP/TIOCGPGRP; TIOCSCTTY makes the caller's group the foreground):
 * with ISIG, ^C sends SIGINT, ^\ SIGQUIT and ^Z SIGTSTP to that group
 * (lx_signal_pgrp), and the input not yet read is dropped (unless NOFLSH).
 */
struct lx_chrdev;
extern const struct lx_chrdev lx_console_dev;

#endif
