/* Module API: printk into lx's kernel log, the sprintf family, sscanf, panic, and l4re_log_print for modules. */
#include <linux/kernel.h>
#include <linux/export.h>
#include <linux/slab.h>
#include "kapi/kapi.h"
#include "format.h"
#include "printk.h"

void lx_power_off(int status) __attribute__((noreturn)); /* main.c */

/*
 * lib/format.c does the formatting; Linux's format strings have a few
 * extras it does not know, rewritten here first: the length L (as ll,
 * "%Ld" in the guide's procfs4) and the %p extensions (%pK, %pS, ...),
 * which print as a plain %p.
 */
static const char *linux_format(const char *fmt, char *buf, size_t size)
{
	size_t n = 0;
	for (const char *s = fmt; *s; s++) {
		if (n + 3 >= size)
			return fmt; /* too long to rewrite: as it is */
		buf[n++] = *s;
		if (*s != '%')
			continue;
		s++;
		while (*s && strchr("-+ #0123456789.*", *s)) {
			if (n + 3 >= size)
				return fmt;
			buf[n++] = *s++;
		}
		if (!*s)
			break;
		if (*s == 'L') {
			buf[n++] = 'l';
			buf[n++] = 'l';
			continue;
		}
		buf[n++] = *s;
		if (*s == 'p')
			while (s[1] && ((s[1] >= 'a' && s[1] <= 'z') || (s[1] >= 'A' && s[1] <= 'Z') ||
					(s[1] >= '0' && s[1] <= '9')))
				s++;
	}
	buf[n] = 0;
	return buf;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
	char tmp[512];
	return fmt_vsnprintf(buf, size, linux_format(fmt, tmp, sizeof(tmp)), args);
}
EXPORT_SYMBOL(vsnprintf);

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
EXPORT_SYMBOL(snprintf);

int vsprintf(char *buf, const char *fmt, va_list args) { return vsnprintf(buf, 1u << 30, fmt, args); }
EXPORT_SYMBOL(vsprintf);

int sprintf(char *buf, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsprintf(buf, fmt, ap);
	va_end(ap);
	return n;
}
EXPORT_SYMBOL(sprintf);

int vscnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
	int n = vsnprintf(buf, size, fmt, args);
	if (size == 0)
		return 0;
	return (size_t)n < size ? n : (int)size - 1;
}
EXPORT_SYMBOL(vscnprintf);

int scnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vscnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
EXPORT_SYMBOL(scnprintf);

char *kasprintf(gfp_t gfp, const char *fmt, ...)
{
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	char *s = kmalloc((size_t)n + 1, gfp);
	if (s)
		vsnprintf(s, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	va_end(ap);
	return s;
}
EXPORT_SYMBOL(kasprintf);

/* ---- printk: into the kernel log (dmesg); the console shows levels below its log level ---- */

int vprintk(const char *fmt, va_list args)
{
	char line[1024];
	int n = vsnprintf(line, sizeof(line), fmt, args);
	/* KERN_CONT: a continuation is a message of its own here */
	const char *text = line;
	if (text[0] == KERN_SOH_ASCII && text[1] == 'c')
		text += 2;
	lx_printk("%s", text);
	return n;
}
EXPORT_SYMBOL(vprintk);

int printk(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}
EXPORT_SYMBOL(printk);
/* Linux 5.15+ names the function _printk; a module built with other headers may ask for it. */
__LX_EXPORT_AS(printk, "_printk", "");

void kapi_printk_line(const char *text) { lx_printk("%s", text); }

void panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	lx_log("lx: Kernel panic - not syncing: %s", msg);
	lx_power_off(1);
}
EXPORT_SYMBOL(panic);

void dump_stack(void)
{
	lx_log("lx: dump_stack: called from 0x%lx (lx has no stack unwinder)", (unsigned long)__builtin_return_address(0));
}
EXPORT_SYMBOL(dump_stack);

/* ---- l4re_log_print: the exercise's bridge from a module to the L4 console ---- */

/* lx's libc has l4re_log_print too (writing straight to the log gate);
 * modules get this one, which goes through lx's console output so that
 * lx's own messages keep starting on lines of their own. */
static void module_l4re_log_print(const char *s) { lx_console_write(s, strlen(s)); }
__LX_EXPORT_AS(module_l4re_log_print, "l4re_log_print", "");

static void module_l4re_log_printf(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	lx_console_write(buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}
__LX_EXPORT_AS(module_l4re_log_printf, "l4re_log_printf", "");

/* ---- sscanf: the conversions modules use (d i u x o s c n, with h hh l ll z, a width and *) ---- */

static bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

int sscanf(const char *buf, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	const char *s = buf;
	int count = 0;
	while (*fmt) {
		if (is_space(*fmt)) {
			while (is_space(*s))
				s++;
			fmt++;
			continue;
		}
		if (*fmt != '%' || fmt[1] == '%') {
			if (*fmt == '%')
				fmt++;
			if (*s != *fmt)
				break;
			s++, fmt++;
			continue;
		}
		fmt++;
		bool skip = *fmt == '*';
		if (skip)
			fmt++;
		unsigned width = 0;
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (unsigned)(*fmt++ - '0');
		int len = 0; /* -2 hh, -1 h, 0, 1 l, 2 ll */
		while (*fmt == 'h' || *fmt == 'l' || *fmt == 'z' || *fmt == 'L') {
			len += *fmt == 'h' ? -1 : 1;
			fmt++;
		}
		char conv = *fmt++;
		if (conv == 'n') {
			if (!skip)
				*va_arg(ap, int *) = (int)(s - buf);
			continue;
		}
		if (conv != 'c')
			while (is_space(*s))
				s++;
		if (!*s)
			break;
		if (conv == 's' || conv == 'c') {
			unsigned max = width ? width : conv == 'c' ? 1 : ~0u;
			char *out = skip ? NULL : va_arg(ap, char *);
			unsigned k = 0;
			while (s[k] && k < max && (conv == 'c' || !is_space(s[k]))) {
				if (out)
					out[k] = s[k];
				k++;
			}
			if (out && conv == 's')
				out[k] = 0;
			s += k;
		} else {
			unsigned base = conv == 'x' || conv == 'X' ? 16 : conv == 'o' ? 8 : conv == 'i' ? 0 : 10;
			char numbuf[32];
			unsigned k = 0, max = width && width < sizeof(numbuf) ? width : sizeof(numbuf) - 1;
			while (s[k] && k < max && !is_space(s[k]))
				numbuf[k] = s[k], k++;
			numbuf[k] = 0;
			char *end;
			unsigned long long v;
			if (conv == 'd' || conv == 'i')
				v = (unsigned long long)simple_strtol(numbuf, &end, base);
			else
				v = simple_strtoul(numbuf, &end, base);
			if (end == numbuf)
				break;
			s += end - numbuf;
			if (!skip) {
				if (len <= -2)
					*va_arg(ap, char *) = (char)v;
				else if (len == -1)
					*va_arg(ap, short *) = (short)v;
				else if (len == 0)
					*va_arg(ap, int *) = (int)v;
				else
					*va_arg(ap, long long *) = (long long)v;
			}
		}
		if (!skip)
			count++;
	}
	va_end(ap);
	return count;
}
EXPORT_SYMBOL(sscanf);
