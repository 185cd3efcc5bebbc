/* Serial input through the log server: the API of the one client the config script routes input to. */
#ifndef L4_RE_C_INPUT_H
#define L4_RE_C_INPUT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Gives the log server an IRQ (the caller's selector irq_sel, which needs
 * R|W|D) that it triggers whenever serial input for this program arrives;
 * bind the IRQ to a thread of your own to wait for it. Both calls go to the
 * log gate (PECAN_RT_CAP_LOG). Returns enum pecan_error: PECAN_EPERM when
 * this program is not the input client, PECAN_EINVAL when irq_sel names no
 * IRQ, or an IPC error. */
long l4re_input_bind(uint64_t irq_sel);

/* Moves up to size bytes of the input typed so far into buf, *got of them;
 * never blocks (*got = 0: nothing waiting). Bytes the server handed over
 * beyond size are kept for the next call. Errors as l4re_input_bind. */
long l4re_input_read(char *buf, size_t size, size_t *got);

#ifdef __cplusplus
}
#endif

#endif
