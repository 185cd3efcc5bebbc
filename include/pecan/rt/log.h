/* The log server's protocol: tagged console output, serial input for one client. */
#ifndef PECAN_RT_LOG_H
#define PECAN_RT_LOG_H

/*
 * Every client has its own gate to the log server; the gate's label tells
 * the server which client (and so which tag) a message comes from. Each
 * line a client writes appears on the serial console as `tag | text`, whole:
 * lines of different clients never interleave. Requests are calls; the
 * reply's tag label is the status (enum pecan_error), as for every runtime
 * server.
 *
 * WRITE has the number and layout of the debug console's WRITE, so that
 * the same printf works against either.
 */
enum pecan_log_op {
	/* MR[0] length, MR[1..] bytes (at most 504). Bytes up to a newline are
	 * kept until the newline comes (or the line is full). */
	PECAN_LOG_WRITE = 1,
	/* the input client only: -> MR[0] number of bytes, MR[1..] the bytes (at
	 * most 504) typed since the last READ; never blocks (0 bytes: none) */
	PECAN_LOG_READ = 2,
	/* the input client only: a typed item delegating an IRQ capability (with
	 * R); the server triggers it whenever input arrives */
	PECAN_LOG_BIND_INPUT = 3,

	/* control gate (the roottask only): */
	/* MR[0] a client gate's label, MR[1] tag length, MR[2..] the tag */
	PECAN_LOG_REGISTER = 16,
	/* MR[0] the label of the client that gets serial input */
	PECAN_LOG_SET_INPUT = 17,
};

#define PECAN_LOG_LINE_MAX 200 /* longer lines are split */
#define PECAN_LOG_TAG_MAX 16   /* longer tags are cut */

#endif
