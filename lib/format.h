/* format.h - small printf-style formatter shared by the kernel, user programs and host tests. */
#ifndef PECAN_LIB_FORMAT_H
#define PECAN_LIB_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/*
 * Output goes through a sink, one character at a time, so the same
 * formatter can drive a serial port, a console buffer or a string.
 */
typedef void (*fmt_sink)(void *ctx, char c);

/*
 * Supported: flags "-0+ #", width and precision (digits or '*'),
 * length modifiers hh h l ll z t j, conversions d i u x X o c s p %.
 * "%s" with NULL prints "(null)"; "%p" prints "0x" and the hex address
 * (also for NULL: "0x0"). A conversion we do not know is printed
 * literally, e.g. "%q" -> "%q". There is no "%n" and no floating point.
 * Returns the number of characters handed to the sink.
 */
int fmt_vformat(fmt_sink sink, void *ctx, const char *fmt, va_list ap);
int fmt_format(fmt_sink sink, void *ctx, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * C99 snprintf semantics: at most size-1 characters are stored, the
 * result is NUL-terminated whenever size > 0 (buf may be NULL when size
 * is 0), and the return value is the length the full output would have.
 */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
