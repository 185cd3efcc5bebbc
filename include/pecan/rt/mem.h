/* The roottask's memory protocol: dataspaces and the rom/ namespace. */
#ifndef PECAN_RT_MEM_H
#define PECAN_RT_MEM_H

/*
 * A dataspace is memory the roottask hands out: anonymous memory of a given
 * size (zero-filled, writable), or a boot module (read-only, rom/NAME).
 * Each is named by a capability to a roottask gate whose label identifies
 * it. Requests are calls; the reply's tag label is the status (enum
 * pecan_error). Capabilities come back as typed items: set the capability
 * receive window (UTCB br[1]) before calling.
 */
enum pecan_mem_op {
	/* on the mem gate (PECAN_RT_CAP_MEM): */
	/* MR[0] size in bytes -> a dataspace capability (typed item); charged to
	 * the caller's memory quota (PECAN_ENOMEM when it is used up) */
	PECAN_MEM_ALLOC = 1,
	/* MR[0] name length, MR[1..] the name ("rom/hello") -> a read-only
	 * dataspace capability (typed item); PECAN_EINVAL when there is none */
	PECAN_MEM_QUERY = 2,
	/* -> MR[0] bytes of the caller's memory quota in use, MR[1] its limit */
	PECAN_MEM_INFO = 3,
	/* MR[0] exit code: the program ends; the roottask deletes its task and
	 * everything it held (exit() of a launched program sends this; the call
	 * does not come back) */
	PECAN_MEM_EXIT = 4,

	/* on a dataspace capability: */
	/* -> MR[0] size in bytes, MR[1] PECAN_DS_* flags */
	PECAN_DS_INFO = 16,
	/* MR[0] offset (page aligned), MR[1] size order (>= 12, naturally
	 * aligned within the dataspace) -> map item of those pages, into the
	 * caller's memory receive window (br[0]); read-only for a rom dataspace */
	PECAN_DS_MAP = 17,
	/* give the memory back (the capability becomes useless) */
	PECAN_DS_FREE = 18,
};

enum pecan_ds_flags {
	PECAN_DS_READONLY = 1 << 0,
	PECAN_DS_ROM = 1 << 1,
};

#endif
