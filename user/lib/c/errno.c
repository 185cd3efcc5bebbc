/* errno and the mapping from the kernel's error codes. */
#include "errno.h"
#include "pecan/errors.h"

int errno;

int pecan_errno(long e)
{
	switch (e) {
	case PECAN_OK:
		return 0;
	case PECAN_ECAP:
		return EBADF;
	case PECAN_EPERM:
		return EPERM;
	case PECAN_EINVAL:
		return EINVAL;
	case PECAN_EFAULT:
		return EFAULT;
	case PECAN_ENOMEM:
		return ENOMEM;
	case PECAN_ENOSYS:
		return ENOSYS;
	case PECAN_ETIMEOUT:
		return ETIMEDOUT;
	case PECAN_ECANCELED:
		return ECANCELED;
	case PECAN_EBUSY:
		return EBUSY;
	case PECAN_ERANGE:
		return ERANGE;
	}
	return EIO;
}
