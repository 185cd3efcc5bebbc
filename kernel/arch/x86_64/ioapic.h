/* The IOAPIC: routes ISA lines to vectors IRQ_VECTOR_BASE + line. */
#ifndef ARCH_IOAPIC_H
#define ARCH_IOAPIC_H

#include <stdbool.h>

#define IRQ_VECTOR_BASE 0x30

void ioapic_init(void);
void ioapic_mask(unsigned line, bool masked);
/* Lines the kernel keeps for itself (the PIT, the PIC cascade). */
bool ioapic_line_reserved(unsigned line);
/* A line got (or lost) a receiver: devices the kernel owns are told to interrupt. */
void ioapic_line_attached(unsigned line);
void ioapic_line_detached(unsigned line);

#endif
