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
	LX_ECHONL = 0100, LX_ECHOCTL = 01000, LX_ECHOKE = 04000, LX_IEXTEN = 0100000,
	LX_VINTR = 0, LX_VQUIT = 1, LX_VERASE = 2, LX_VKILL = 3, LX_VEOF = 4, LX_VTIME = 5, LX_VMIN = 6,
	LX_VEOL = 11, LX_VWERASE = 14, LX_VEOL2 = 16,
};

void lx_console_get_termios(struct lx_termios *t);
void lx_console_set_termios(const struct lx_termios *t);

/* Console input for a reader: > 0 bytes copied to buf (at most one line in
 * canonical mode), 0 end of file (^D at the start of a line, consumed),
 * -1 nothing waiting. With consume false the bytes stay (a peek; an end of
 * file stays too). */
long lx_console_take(char *buf, size_t n, bool consume);

/* Called on ^C / ^\ (with ISIG) with the signal number (2, 3) if the core
 * defines it: the signal for the console's foreground processes. */
void lx_console_signal(int signo) __attribute__((weak));

#endif
