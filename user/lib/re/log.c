/* l4re_log_print: the runtime's log API, over the log gate every launched program has. */
#include "l4/re/c/log.h"
#include "stdio.h"
#include "string.h"
#include "l4.h"

void l4re_log_print(const char *s) { l4_kdebug_write(s, strlen(s)); }

void l4re_log_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}
