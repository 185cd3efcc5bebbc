/* The kernel's own symbol table, linked in for backtraces with names. */
#ifndef KERNEL_KSYMS_H
#define KERNEL_KSYMS_H

#include <stdint.h>

/* Finds the function containing addr; returns its name and sets *offset,
 * or returns 0 when addr lies outside the kernel's text. */
const char *ksyms_lookup(uint64_t addr, uint64_t *offset);

#endif
