/* Panic and assertions: the kernel's two kinds of checks. */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

#include <stdint.h>

/* Always on: what must never happen in production either. Prints the
 * cause and a backtrace, then ends QEMU with a failing exit status. */
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* Print a backtrace starting from the given frame pointer. */
void backtrace_from(uint64_t rbp, uint64_t rip);
void backtrace(void);

/* Debug checks on invariants; no side effects allowed in cond. */
static const int kernel_asserts = 1;
#define assert(cond)                                                                   \
	do {                                                                           \
		if (kernel_asserts && !(cond))                                         \
			panic("assertion failed: %s (%s:%d)", #cond, __FILE__, __LINE__); \
	} while (0)

#endif
