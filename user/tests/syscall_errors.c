/* syscall_errors: bad capability, operation and pointer arguments get error codes, not crashes. */
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

int main(void)
{
	expect("invoke selector 0", pecan_invoke(PECAN_CAP_NONE, 1, 0, 0, 0, 0, 0), PECAN_ECAP);
	expect("invoke selector 12345", pecan_invoke(12345, 1, 0, 0, 0, 0, 0), PECAN_ECAP);
	expect("kdebug unknown op", pecan_invoke(PECAN_CAP_KDEBUG, 99, 0, 0, 0, 0, 0), PECAN_ENOSYS);
	expect("task unknown op", pecan_invoke(PECAN_CAP_TASK, 0, 0, 0, 0, 0, 0), PECAN_ENOSYS);
	expect("write from NULL", l4_kdebug_write((const char *)0, 10), PECAN_EFAULT);
	expect("write from kernel half", l4_kdebug_write((const char *)0xffffffff80100000ul, 10), PECAN_EFAULT);
	expect("write from non-canonical", l4_kdebug_write((const char *)0x0000900000000000ul, 10), PECAN_EFAULT);
	expect("write wrapping around", l4_kdebug_write((const char *)0x00007ffffffffff0ul, 0x40), PECAN_EFAULT);
	expect("write too long", l4_kdebug_write("x", PECAN_KDEBUG_WRITE_MAX + 1), PECAN_EINVAL);
	expect("write empty", l4_kdebug_write("x", 0), PECAN_OK);
	printf("syscall_errors: %d failures\n", failures);
	return failures;
}
