/* linux/delay.h - busy waits (udelay, mdelay) and sleeps (msleep: see docs/modules.md for what sleeps in lx). */
#ifndef _LINUX_DELAY_H
#define _LINUX_DELAY_H
#include <linux/types.h>

void udelay(unsigned long usecs);
void ndelay(unsigned long nsecs);
static inline void mdelay(unsigned long msecs) { udelay(msecs * 1000); }
void msleep(unsigned int msecs);
unsigned long msleep_interruptible(unsigned int msecs);
static inline void ssleep(unsigned int seconds) { msleep(seconds * 1000); }
void usleep_range(unsigned long min, unsigned long max);
static inline void fsleep(unsigned long usecs) { usleep_range(usecs, usecs); }

#endif
