/* Names of the invocation error codes. */
#include "l4.h"

static const char *const names[PECAN_ERROR_COUNT] = {
	[PECAN_OK] = "ok",
	[PECAN_ECAP] = "invalid capability",
	[PECAN_EPERM] = "missing right",
	[PECAN_EINVAL] = "invalid argument",
	[PECAN_EFAULT] = "bad address",
	[PECAN_ENOMEM] = "out of memory",
	[PECAN_ENOSYS] = "operation not supported",
	[PECAN_ETIMEOUT] = "timeout",
	[PECAN_ECANCELED] = "partner gone",
	[PECAN_EBUSY] = "busy",
	[PECAN_ERANGE] = "out of range",
};

const char *l4_strerror(long err)
{
	if (err < 0 || err >= PECAN_ERROR_COUNT)
		return "unknown error";
	return names[err];
}
