/* Ending the machine: clean power-off, or a failing exit for panics. */
#ifndef KERNEL_POWER_H
#define KERNEL_POWER_H

void power_off(void) __attribute__((noreturn));
void power_fail_exit(void) __attribute__((noreturn));

#endif
