/* The log API of the runtime: print through the log server, as L4Re's l4re_log_print(). */
#ifndef L4_RE_C_LOG_H
#define L4_RE_C_LOG_H

#ifdef __cplusplus
extern "C" {
#endif

/* Writes s to the program's log: each line appears on the console as
 * `tag | line`. A text without a final newline is kept until one comes. */
void l4re_log_print(const char *s);
/* The same with a printf format. */
void l4re_log_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#ifdef __cplusplus
}
#endif

#endif
