/* The block device client API: talk to bdds through a device's gate (include/pecan/rt/bdds.h, docs/bdds.md). */
#ifndef L4_RE_C_BDDS_H
#define L4_RE_C_BDDS_H

#include <stdint.h>
#include "pecan/rt/bdds.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * dev is the selector of a device's gate (l4re_env_get_cap("disk0")). Each
 * call returns enum pecan_error: an IPC error of the call, or the server's
 * status. The calls block until bdds replies (it replies at once).
 */

/* The device's size in blocks, its block size (PECAN_BDDS_BLOCK_SIZE) and
 * whether it is read-only (a boot module). */
long l4re_bdds_info(uint64_t dev, uint64_t *blocks, uint64_t *block_size, int *readonly);

/* Shares the 2^order bytes at buffer (order 12..16, buffer aligned to its
 * size, mapped and writable in the caller) with bdds as the device's data
 * buffer; replaces the device's earlier buffer (of any client).
 * PECAN_EINVAL for a bad order or alignment. */
long l4re_bdds_setup(uint64_t dev, void *buffer, unsigned order);

/* Reads count blocks from block first into the start of the buffer.
 * PECAN_ERANGE outside the device, PECAN_EINVAL for count 0 or more than
 * the buffer holds, PECAN_EBUSY before l4re_bdds_setup. */
long l4re_bdds_read(uint64_t dev, uint64_t first, uint64_t count);

/* Writes count blocks from the start of the buffer to block first. As
 * l4re_bdds_read, and PECAN_EPERM on a read-only device. */
long l4re_bdds_write(uint64_t dev, uint64_t first, uint64_t count);

#ifdef __cplusplus
}
#endif

#endif
