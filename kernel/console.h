/* Kernel console output (the serial line) and the kprintf family. */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <stdarg.h>
#include <stddef.h>

void arch_serial_init(void);
void arch_serial_putc(char c);
int arch_serial_getc_nonblock(void);

void console_init(void);
void console_write(const char *s, size_t n);
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int kvprintf(const char *fmt, va_list ap);

#endif
