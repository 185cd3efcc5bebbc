/* l4re_input_*: serial input from the log server, for the program the config script routes it to. */
#include "l4/re/c/input.h"
#include "l4.h"
#include "string.h"
#include "pecan/rt/env.h"
#include "pecan/rt/log.h"

enum { READ_MAX = 8 * (PECAN_MR_COUNT - 1) };

/* Bytes of the last READ the caller had no room for (one thread reads). */
static char pending[READ_MAX];
static size_t pending_pos, pending_len;

long l4re_input_bind(uint64_t irq_sel)
{
	struct pecan_utcb *u = pecan_utcb();
	u->mr[0] = pecan_item_word0(PECAN_ITEM_MAP, 0);
	u->mr[1] = pecan_fpage_cap(irq_sel, 0, PECAN_CAP_R | PECAN_CAP_W | PECAN_CAP_D);
	pecan_msgtag_t rtag;
	long err = l4_ipc_call(PECAN_RT_CAP_LOG, pecan_msgtag(PECAN_LOG_BIND_INPUT, 0, 1, 0), PECAN_TIMEOUT_NEVER,
			       &rtag);
	return err ? err : (long)pecan_msgtag_label(rtag);
}

long l4re_input_read(char *buf, size_t size, size_t *got)
{
	*got = 0;
	if (pending_len == 0 && size > 0) {
		struct pecan_utcb *u = pecan_utcb();
		pecan_msgtag_t rtag;
		long err = l4_ipc_call(PECAN_RT_CAP_LOG, pecan_msgtag(PECAN_LOG_READ, 0, 0, 0), PECAN_TIMEOUT_NEVER,
				       &rtag);
		if (!err)
			err = (long)pecan_msgtag_label(rtag);
		if (err)
			return err;
		uint64_t n = pecan_msgtag_words(rtag) ? u->mr[0] : 0;
		if (n > READ_MAX || (n && (n + 7) / 8 + 1 > pecan_msgtag_words(rtag)))
			return PECAN_EINVAL; /* not what the protocol says */
		memcpy(pending, &u->mr[1], n);
		pending_pos = 0;
		pending_len = n;
	}
	size_t n = pending_len < size ? pending_len : size;
	memcpy(buf, &pending[pending_pos], n);
	pending_pos += n;
	pending_len -= n;
	*got = n;
	return PECAN_OK;
}
