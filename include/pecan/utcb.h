/* The user thread control block: message and buffer registers shared by a thread and the kernel. */
#ifndef PECAN_UTCB_H
#define PECAN_UTCB_H

#include <stdint.h>

#define PECAN_MR_COUNT 64 /* message registers */
#define PECAN_BR_COUNT 4  /* buffer registers: receive windows for typed items */

/* Buffer registers. */
enum {
	PECAN_BR_MEM_WINDOW = 0, /* memory fpage (fpage.h) where mapped pages may land; 0 = none */
	PECAN_BR_CAP_WINDOW = 1, /* capability fpage where delegated capabilities may land; 0 = none */
};

/*
 * One page per thread, allocated by the kernel and mapped into the thread's
 * task at the address given in thread control. While a thread runs, the GS
 * base register holds its UTCB's address, and `self` (at %gs:0) holds it
 * too, so that user code finds its UTCB with one load.
 */
struct pecan_utcb {
	uint64_t self;                /* this UTCB's user address, written by the kernel */
	uint64_t mr[PECAN_MR_COUNT];  /* message registers */
	uint64_t br[PECAN_BR_COUNT];  /* buffer registers */
	uint64_t user[8];             /* free for the runtime (e.g. thread-local pointers) */
};

#endif
