/* syscall_errors: malformed invocations get error codes, never a crash or a hang. */
#include "stdio.h"
#include "l4.h"

static int failures;

static void expect(const char *what, long got, long want)
{
	if (got == want) {
		printf("syscall_errors: ok: %s -> %s\n", what, l4_strerror(got));
	} else {
		printf("syscall_errors: FAIL: %s -> %ld (%s), expected %ld (%s)\n", what, got, l4_strerror(got),
		       want, l4_strerror(want));
		failures++;
	}
}

static long raw(uint64_t cap, pecan_msgtag_t tag, uint64_t flags)
{
	uint64_t rtag, label;
	return pecan_syscall(cap, tag, flags, PECAN_TIMEOUT_ZERO, PECAN_TIMEOUT_ZERO, 0, &rtag, &label);
}

int main(void)
{
	struct pecan_utcb *u = pecan_utcb();
	expect("call selector 0", raw(PECAN_CAP_NONE, pecan_msgtag(1, 0, 0, 0), PECAN_IPC_CALL), PECAN_ECAP);
	expect("call selector 4095 (empty)", raw(4095, pecan_msgtag(1, 0, 0, 0), PECAN_IPC_CALL), PECAN_ECAP);
	expect("call selector 1 << 40", raw(1ull << 40, pecan_msgtag(1, 0, 0, 0), PECAN_IPC_CALL), PECAN_ECAP);
	expect("no send and no receive flag", raw(PECAN_CAP_KDEBUG, pecan_msgtag(1, 0, 0, 0), 0), PECAN_EINVAL);
	expect("unknown flag bits", raw(PECAN_CAP_KDEBUG, pecan_msgtag(1, 0, 0, 0), 0xff00 | PECAN_IPC_CALL),
	       PECAN_EINVAL);
	expect("64 words + 1 item", raw(PECAN_CAP_KDEBUG, pecan_msgtag(1, 64, 1, 0), PECAN_IPC_CALL), PECAN_EINVAL);
	expect("kdebug unknown op", raw(PECAN_CAP_KDEBUG, pecan_msgtag(99, 0, 0, 0), PECAN_IPC_CALL), PECAN_ENOSYS);
	u->mr[0] = 100;
	expect("kdebug write: length beyond the words sent",
	       raw(PECAN_CAP_KDEBUG, pecan_msgtag(PECAN_KDEBUG_WRITE, 2, 0, 0), PECAN_IPC_CALL), PECAN_EINVAL);
	expect("kdebug write: no words", raw(PECAN_CAP_KDEBUG, pecan_msgtag(PECAN_KDEBUG_WRITE, 0, 0, 0),
					      PECAN_IPC_CALL), PECAN_EINVAL);
	expect("write empty", l4_kdebug_write("x", 0), PECAN_OK);
	expect("reply without a caller", l4_ipc_reply(pecan_msgtag(0, 0, 0, 0)), PECAN_ECAP);
	pecan_msgtag_t t;
	uint64_t label;
	expect("poll with nothing to receive", l4_ipc_wait(&t, &label, PECAN_TIMEOUT_ZERO), PECAN_ETIMEOUT);
	expect("unknown op on a thread", l4_invoke(PECAN_CAP_THREAD, 99, 0, 0, 0, 0), PECAN_ENOSYS);
	expect("kdebug op on the factory", l4_invoke(PECAN_CAP_FACTORY, PECAN_KDEBUG_CLOCK + 100, 0, 0, 0, 0), PECAN_ENOSYS);
	printf("syscall_errors: %d failures\n", failures);
	return failures;
}
