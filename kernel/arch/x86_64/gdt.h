/* GDT and TSS setup. */
#ifndef ARCH_GDT_H
#define ARCH_GDT_H

#include <stdint.h>

enum { IST_DOUBLE_FAULT = 1, IST_NMI = 2 };

void gdt_init(void);
/* The stack the CPU switches to when an interrupt or exception arrives in user mode. */
void gdt_set_kernel_stack(uint64_t top);

#endif
