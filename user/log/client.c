/* The log server's clients: one tag and one line buffer per client gate; whole lines out, one kdebug WRITE each. */
#include <stdarg.h>
#include "logsrv.h"
#include "format.h"
#include "l4.h"
#include "string.h"

enum { CLIENTS_MAX = 64 };

/* One client gate. Only the server's one thread touches the table. */
struct log_client {
	uint64_t label;                      /* its gate's label; 0 = slot free */
	char tag[PECAN_LOG_TAG_MAX];         /* not NUL-terminated: tag_len bytes */
	size_t tag_len;
	char line[PECAN_LOG_LINE_MAX];       /* the bytes since the last newline */
	size_t line_len;                     /* at most PECAN_LOG_LINE_MAX */
};

static struct log_client clients[CLIENTS_MAX];

struct log_client *client_find(uint64_t label)
{
	if (label == LOG_CONTROL_LABEL)
		return NULL;
	for (size_t i = 0; i < CLIENTS_MAX; i++)
		if (clients[i].label == label)
			return &clients[i];
	return NULL;
}

long client_register(uint64_t label, const char *tag, size_t len)
{
	if (label == LOG_CONTROL_LABEL || label == LOG_SERIAL_IRQ_LABEL)
		return PECAN_EINVAL;
	struct log_client *c = client_find(label);
	if (!c)
		for (size_t i = 0; i < CLIENTS_MAX && !c; i++)
			if (clients[i].label == 0)
				c = &clients[i];
	if (!c)
		return PECAN_ENOMEM;
	/* a client registered again keeps its unfinished line, under the new tag */
	c->label = label;
	c->tag_len = len < PECAN_LOG_TAG_MAX ? len : PECAN_LOG_TAG_MAX;
	memcpy(c->tag, tag, c->tag_len);
	return PECAN_OK;
}

void log_emit(const char *tag, size_t tag_len, const char *text, size_t len)
{
	/* tag, " | ", text, "\n": at most 16 + 3 + 200 + 1 bytes, so one WRITE
	 * (which the kernel puts out without interruption) keeps the line whole */
	static char out[PECAN_LOG_TAG_MAX + 3 + PECAN_LOG_LINE_MAX + 1];
	_Static_assert(sizeof(out) <= LOG_MSG_BYTES, "a line fits one kdebug WRITE");
	if (tag_len > PECAN_LOG_TAG_MAX)
		tag_len = PECAN_LOG_TAG_MAX;
	if (len > PECAN_LOG_LINE_MAX)
		len = PECAN_LOG_LINE_MAX;
	size_t n = 0;
	memcpy(&out[n], tag, tag_len);
	n += tag_len;
	memcpy(&out[n], " | ", 3);
	n += 3;
	memcpy(&out[n], text, len);
	n += len;
	out[n++] = '\n';
	l4_kdebug_write(out, n);
}

void log_say(const char *fmt, ...)
{
	char text[PECAN_LOG_LINE_MAX + 1];
	va_list ap;
	va_start(ap, fmt);
	int n = fmt_vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n > PECAN_LOG_LINE_MAX)
		n = PECAN_LOG_LINE_MAX;
	log_emit("log", 3, text, (size_t)n);
}

void client_write(struct log_client *c, const char *bytes, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char ch = bytes[i];
		if (ch == '\r')
			continue;
		if (ch == '\n') {
			log_emit(c->tag, c->tag_len, c->line, c->line_len);
			c->line_len = 0;
			continue;
		}
		/* a full line goes out as a piece of its own when more comes; a
		 * line of exactly PECAN_LOG_LINE_MAX bytes and its newline stay one */
		if (c->line_len == PECAN_LOG_LINE_MAX) {
			log_emit(c->tag, c->tag_len, c->line, c->line_len);
			c->line_len = 0;
		}
		c->line[c->line_len++] = ch;
	}
}
