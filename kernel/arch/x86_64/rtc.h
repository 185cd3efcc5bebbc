/* The CMOS real-time clock. */
#ifndef ARCH_RTC_H
#define ARCH_RTC_H

#include <stdbool.h>
#include <stdint.h>

/* Seconds since 1970-01-01 UTC now, or 0 when the clock reads nonsense. */
uint64_t rtc_read_unix_time(void);

#endif
