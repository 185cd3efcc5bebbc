/* bdds internals: the devices (boot modules and RAM disks) and the clients' buffer windows. */
#ifndef BDDS_BDDS_H
#define BDDS_BDDS_H

#include <stdbool.h>
#include <stdint.h>
#include "pecan/rt/bdds.h"

enum {
	BDDS_MAX_DEVICES = 16,
	BDDS_NO_SLOT = -1,
};

/* Where device i's contents are mapped: a private 4 GiB region each. */
#define BDDS_DEVICE_BASE 0x0000200000000000ull
#define BDDS_DEVICE_STRIDE 0x100000000ull
#define BDDS_DEVICE_MAX_BYTES BDDS_DEVICE_STRIDE

/* Client buffers land in 64 KiB windows (one per device plus one spare
 * that is the receive window of the next wait). */
#define BDDS_WINDOW_BASE 0x0000300000000000ull
#define BDDS_WINDOW_ORDER 16
#define BDDS_WINDOW_SIZE (1ull << BDDS_WINDOW_ORDER)
#define BDDS_BUFFER_MIN_ORDER 12
#define BDDS_BUFFER_MAX_ORDER BDDS_WINDOW_ORDER

struct bdds_device {
	const char *spec;    /* as on the command line: rom/NAME or ram:SIZE */
	uint8_t *data;       /* the contents, mapped at BDDS_DEVICE_BASE + i * stride */
	uint64_t bytes;      /* real size: a module's file size, a RAM disk's size */
	uint64_t blocks;     /* bytes rounded up to whole blocks */
	bool readonly;       /* a boot module */
	uint64_t ds;         /* the dataspace selector */
	/* the client's buffer (after SETUP): */
	int slot;            /* window slot holding it, BDDS_NO_SLOT before SETUP */
	uint8_t *buffer;     /* where it is mapped in that window */
	uint64_t buffer_blocks;
};

/* Sets up device i from its command-line spec; prints why on failure.
 * Returns enum pecan_error. */
long bdds_device_init(struct bdds_device *d, unsigned i, const char *spec);

/* Makes a guard thread the serving thread's pager (guard.c). Returns enum
 * pecan_error. */
long bdds_guard_start(void);
/* Set by the guard when bdds touched a client buffer page that was not
 * usable; cleared by the server before each copy. */
extern volatile bool bdds_buffer_faulted;

#endif
