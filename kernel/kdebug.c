/* The kernel debug console: write to the serial line, read from it, kernel statistics, the clock. */
#include "kdebug.h"
#include "console.h"
#include "counters.h"
#include "kmem.h"
#include "pmem.h"
#include "sched.h"
#include "thread.h"
#include "pecan/errors.h"
#include "pecan/fpage.h"
#include "pecan/utcb.h"

struct kobject kdebug_object = {.type = PECAN_OBJ_KDEBUG, .refs = 1}; /* the kernel's reference keeps it */

/* Waits for a byte by polling once per tick: the console line's interrupt
 * belongs to whoever attaches it through the ICU. */
static int getchar_blocking(struct thread *cur, uint64_t *c)
{
	for (;;) {
		int v = arch_serial_getc_nonblock();
		if (v >= 0) {
			*c = (uint64_t)v;
			return PECAN_OK;
		}
		/* a receive that nothing can satisfy, with a one-tick timeout */
		cur->state = TS_RECEIVING;
		cur->partner = NULL;
		cur->recv_open = false;
		cur->recv_from = &kdebug_object;
		sched_unready(cur);
		sched_set_timeout(cur, 1000000 / SCHED_HZ);
		schedule();
		if (cur->ipc_err != PECAN_ETIMEOUT)
			return cur->ipc_err; /* canceled */
	}
}

int kdebug_invoke(unsigned rights, struct thread *caller, unsigned op, unsigned words, unsigned *nres)
{
	uint64_t *mr = caller->utcb->mr;
	if (op < PECAN_KDEBUG_WRITE || op > PECAN_KDEBUG_COUNTERS)
		return PECAN_ENOSYS;
	if (!(rights & PECAN_CAP_R))
		return PECAN_EPERM;
	switch (op) {
	case PECAN_KDEBUG_WRITE:
		if (words < 1 || mr[0] > 8 * (uint64_t)(words - 1))
			return PECAN_EINVAL;
		console_write((const char *)&mr[1], mr[0]);
		return PECAN_OK;
	case PECAN_KDEBUG_GETCHAR: {
		int err = getchar_blocking(caller, &mr[0]);
		if (err)
			return err;
		*nres = 1;
		return PECAN_OK;
	}
	case PECAN_KDEBUG_STATS:
		mr[0] = kmem_available();
		mr[1] = pmem_free_frames();
		mr[2] = kobject_count();
		*nres = 3;
		return PECAN_OK;
	case PECAN_KDEBUG_CLOCK:
		mr[0] = sched_ticks();
		mr[1] = SCHED_HZ;
		*nres = 2;
		return PECAN_OK;
	case PECAN_KDEBUG_COUNTERS: {
		uint64_t what = words ? mr[0] : PECAN_COUNTERS_READ;
		if (what > PECAN_COUNTERS_OFF)
			return PECAN_EINVAL;
		if (what != PECAN_COUNTERS_READ && !(rights & PECAN_CAP_W))
			return PECAN_EPERM;
		if (what != PECAN_COUNTERS_READ)
			counters_switch(what == PECAN_COUNTERS_ON);
		mr[0] = counters_on();
		counters_read(&mr[1]);
		*nres = 1 + PECAN_CNT_COUNT;
		return PECAN_OK;
	}
	case PECAN_KDEBUG_READ: {
		char *buf = (char *)&mr[1];
		uint64_t n = 0;
		int c;
		while (n < 8 * (PECAN_MR_COUNT - 1) && (c = arch_serial_getc_nonblock()) >= 0)
			buf[n++] = (char)c;
		mr[0] = n;
		*nres = 1 + (unsigned)((n + 7) / 8);
		return PECAN_OK;
	}
	}
	return PECAN_ENOSYS;
}
