/* linux/jiffies.h - lx's clock: HZ ticks a second (its 10 ms timer). */
#ifndef _LINUX_JIFFIES_H
#define _LINUX_JIFFIES_H
#include <linux/types.h>

#define HZ 100
#define USER_HZ 100
#define MSEC_PER_SEC 1000L
#define USEC_PER_MSEC 1000L
#define NSEC_PER_USEC 1000L
#define NSEC_PER_MSEC 1000000L
#define USEC_PER_SEC 1000000L
#define NSEC_PER_SEC 1000000000L

/* Ticks since lx started: a function behind the usual name. */
u64 get_jiffies_64(void);
#define jiffies ((unsigned long)get_jiffies_64())
#define jiffies_64 get_jiffies_64()

#define time_after(a, b) ((long)((b) - (a)) < 0)
#define time_before(a, b) time_after(b, a)
#define time_after_eq(a, b) ((long)((a) - (b)) >= 0)
#define time_before_eq(a, b) time_after_eq(b, a)
#define time_in_range(a, b, c) (time_after_eq(a, b) && time_before_eq(a, c))
static inline unsigned long msecs_to_jiffies(unsigned int m) { return (m + (1000 / HZ) - 1) / (1000 / HZ); }
static inline unsigned long usecs_to_jiffies(unsigned int u) { return msecs_to_jiffies((u + 999) / 1000); }
static inline unsigned int jiffies_to_msecs(unsigned long j) { return (unsigned int)(j * (1000 / HZ)); }
static inline unsigned int jiffies_to_usecs(unsigned long j) { return (unsigned int)(j * (1000000 / HZ)); }

#endif
