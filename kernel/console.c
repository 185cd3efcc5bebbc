/* Kernel console: kprintf over the serial line, with \n -> \r\n. */
#include "console.h"
#include "format.h"

void console_init(void) { arch_serial_init(); }

static void console_putc(char c)
{
	if (c == '\n')
		arch_serial_putc('\r');
	arch_serial_putc(c);
}

void console_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		console_putc(s[i]);
}

static void sink(void *ctx, char c)
{
	(void)ctx;
	console_putc(c);
}

int kvprintf(const char *fmt, va_list ap) { return fmt_vformat(sink, NULL, fmt, ap); }

int kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = kvprintf(fmt, ap);
	va_end(ap);
	return n;
}
