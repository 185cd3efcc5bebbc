/* l4/re/c/log.h - for modules: print through lx's log to the L4 console (the exercise's bridge), as L4Re's API. */
#ifndef L4_RE_C_LOG_H
#define L4_RE_C_LOG_H

/* Writes s to lx's log: each line shows on the console as `lx | line`. */
void l4re_log_print(const char *s);
/* The same with a printf format. */
void l4re_log_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
