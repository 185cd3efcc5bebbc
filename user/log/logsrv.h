/* The log server's parts: the client table with its line buffers, and the serial input. */
#ifndef LOG_LOGSRV_H
#define LOG_LOGSRV_H

#include <stddef.h>
#include <stdint.h>
#include "pecan/rt/log.h"

/* The label of the control gate (the roottask's). */
#define LOG_CONTROL_LABEL 0ull
/* The label of the serial IRQ; REGISTER refuses it, so no client gate has it. */
#define LOG_SERIAL_IRQ_LABEL 0x5e71a1000000004ull
/* Most bytes one WRITE carries, and one READ returns: all MRs but the length. */
#define LOG_MSG_BYTES (8 * (PECAN_MR_COUNT - 1))

/* ---- clients (client.c) ---------------------------------------------- */

struct log_client;

/* The client whose gate has this label, or NULL. */
struct log_client *client_find(uint64_t label);
/* Registers (or renames) the client of a gate label with a tag (cut to
 * PECAN_LOG_TAG_MAX). Returns enum pecan_error: PECAN_EINVAL for the
 * control or IRQ label, PECAN_ENOMEM when the table is full. */
long client_register(uint64_t label, const char *tag, size_t len);
/* Appends a client's bytes to its line buffer and emits every line that
 * is complete (or full). */
void client_write(struct log_client *c, const char *bytes, size_t len);
/* Writes one line `tag | text\n` to the console with one kdebug WRITE;
 * text is cut at PECAN_LOG_LINE_MAX. */
void log_emit(const char *tag, size_t tag_len, const char *text, size_t len);
/* The server's own lines, tagged `log`. */
void log_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- serial input (input.c) ------------------------------------------ */

/* Creates the serial IRQ, binds it to this thread and attaches it to COM1. */
void input_init(void);
/* Handles an interrupt of the serial line: reads everything waiting. */
void input_irq(void);
/* Makes the client with this label (0: none) the input client. */
void input_set_client(uint64_t label);
/* The input client's label, 0 when there is none. */
uint64_t input_client(void);
/* The input client's notification IRQ is at sel now (0: none). */
void input_bind(uint64_t sel);
/* The selector of the bound notification IRQ, 0 when none. */
uint64_t input_bound(void);
/* Moves up to max bytes of buffered input to buf; returns how many. */
size_t input_take(char *buf, size_t max);

#endif
