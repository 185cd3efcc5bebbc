/* lx's kernel log: printk into a ring buffer that dmesg reads (syslog(2)). */
#ifndef LX_PRINTK_H
#define LX_PRINTK_H

#include <stdarg.h>
#include "lx.h"

/* Linux's levels: a message starts with "<N>" (or KERN_SOH "\001" N); none is level 4 (warning). */
#define LX_KERN_EMERG "<0>"
#define LX_KERN_ALERT "<1>"
#define LX_KERN_CRIT "<2>"
#define LX_KERN_ERR "<3>"
#define LX_KERN_WARNING "<4>"
#define LX_KERN_NOTICE "<5>"
#define LX_KERN_INFO "<6>"
#define LX_KERN_DEBUG "<7>"

/*
 * Records one message (split at newlines into lines) in the 64 KiB ring as
 * "<L>[    s.uuuuuu] text" (the time since lx started), the oldest lines
 * giving way. A line whose level is below the console level (5 at start:
 * levels 0-4) is also printed through lx_log.
 */
void lx_printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void lx_vprintk(const char *fmt, va_list ap);

/* syslog(2) (nr 103, busybox dmesg): actions 0-10 as Linux's. */
long lx_syslog(struct lx_proc *p, int action, uint64_t ubuf, long len);

#endif
