/* The one error enum of every invocation, shared verbatim by kernel and user space. */
#ifndef PECAN_ERRORS_H
#define PECAN_ERRORS_H

/*
 * Every invocation returns one of these in rax. Zero is success; the codes
 * are small positive numbers so that user space can index a name table.
 * Keep the list short and stable: a new code is an ABI change.
 */
enum pecan_error {
	PECAN_OK = 0,
	PECAN_ECAP = 1,     /* the capability selector names nothing, or the wrong kind of object */
	PECAN_EPERM = 2,    /* the capability lacks a right the operation needs */
	PECAN_EINVAL = 3,   /* an argument is malformed or out of range */
	PECAN_EFAULT = 4,   /* a user address is not mapped or not accessible */
	PECAN_ENOMEM = 5,   /* kernel memory or the caller's quota is exhausted */
	PECAN_ENOSYS = 6,   /* the object does not implement this operation */
	PECAN_ETIMEOUT = 7, /* an IPC timeout expired */
	PECAN_ECANCELED = 8,/* the partner went away while the operation was blocked */
	PECAN_EBUSY = 9,    /* the object is in a state that does not allow the operation */
	PECAN_ERANGE = 10,  /* a receive window or buffer is too small */
	PECAN_ERROR_COUNT
};

#endif
