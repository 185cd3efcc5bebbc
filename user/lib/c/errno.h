/* A minimal errno: the Linux numbers for the conditions the runtime reports. */
#ifndef C_ERRNO_H
#define C_ERRNO_H

extern int errno;

enum {
	EPERM = 1, ENOENT = 2, EINTR = 4, EIO = 5, EBADF = 9, EAGAIN = 11, ENOMEM = 12, EACCES = 13,
	EFAULT = 14, EBUSY = 16, EEXIST = 17, EINVAL = 22, ENOSPC = 28, ERANGE = 34, ENOSYS = 38,
	ETIMEDOUT = 110, ECANCELED = 125,
};

/* The errno for an enum pecan_error (0 for PECAN_OK). */
int pecan_errno(long pecan_error);

#endif
