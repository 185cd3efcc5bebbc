/* The local APIC and its timer (the legacy PIC is masked). */
#ifndef ARCH_LAPIC_H
#define ARCH_LAPIC_H

#include <stdint.h>

void lapic_init(void);
/* Starts the periodic timer at hz interrupts per second. */
void lapic_timer_start(unsigned hz);
void lapic_timer_tick(void);
void lapic_eoi(void);
uint64_t lapic_ticks(void);
/* LAPIC timer counts per second, measured against the PIT at boot. */
uint64_t lapic_timer_frequency(void);

#endif
