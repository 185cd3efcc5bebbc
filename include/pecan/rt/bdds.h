/* The block device server's protocol (bdds): boot modules and RAM disks as block devices. */
#ifndef PECAN_RT_BDDS_H
#define PECAN_RT_BDDS_H

/*
 * Each device is a gate to bdds whose label is the device number (the
 * order of the devices on bdds's command line). A client first shares a
 * buffer with the server (SETUP), then moves data through it. Requests are
 * calls; the reply's tag label is the status (enum pecan_error):
 * PECAN_ERANGE for blocks outside the device, PECAN_EINVAL for malformed
 * requests, PECAN_EPERM for writes to a read-only device, PECAN_EBUSY
 * before SETUP, PECAN_EFAULT when the client's buffer turned out unusable
 * (unmapped or read-only; the device then forgets it). docs/bdds.md has
 * the details.
 */
#define PECAN_BDDS_BLOCK_SIZE 512

enum pecan_bdds_op {
	/* -> MR[0] number of blocks, MR[1] block size, MR[2] 1 when read-only */
	PECAN_BDDS_INFO = 1,
	/* a typed item mapping the client's buffer (order 12..16, writable) into
	 * the server; replaces an earlier buffer */
	PECAN_BDDS_SETUP = 2,
	/* MR[0] first block, MR[1] number of blocks -> the data at the start of
	 * the buffer */
	PECAN_BDDS_READ = 3,
	/* MR[0] first block, MR[1] number of blocks: the data from the buffer
	 * (RAM disks only) */
	PECAN_BDDS_WRITE = 4,
};

#endif
