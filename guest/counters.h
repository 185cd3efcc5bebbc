/* /proc/pecan/counters: the Pecan kernel's measurement counters (counters.c). */
#ifndef LX_COUNTERS_H
#define LX_COUNTERS_H

/* Adds /proc/pecan/counters when lx holds the capability `kdebug`. */
void lx_counters_init(void);

#endif
