/* The runtime libc's process and memory functions. */
#ifndef C_STDLIB_H
#define C_STDLIB_H

#include <stddef.h>

void exit(int code) __attribute__((noreturn));

/* The heap: in a launched program the region at PECAN_HEAP_BASE (its mem
 * quota, mapped on first touch); in a boot program single pages of its own
 * memory (so at most a page minus 16 bytes per allocation). */
void *malloc(size_t size);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t size);
void free(void *p);

unsigned long strtoul(const char *s, char **end, int base);

#endif
