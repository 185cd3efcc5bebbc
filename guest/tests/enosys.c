/*
 * enosys: system calls that do not exist return -ENOSYS (38): numbers 500,
 * 1000, 100000, 0x7fffffff and -1; the process runs on
 * (lx logs an unknown number once and never panics).
 */
#include "lt.h"

const char lt_name[] = "enosys";

int main(void)
{
	long nrs[] = {500, 1000, 100000, 0x7fffffff, -1};
	for (unsigned i = 0; i < sizeof nrs / sizeof nrs[0]; i++)
		lt_check_eq(lt_syscall6(nrs[i], 1, 2, 3, 4, 5, 6), -ENOSYS, "system call %ld gives -ENOSYS", nrs[i]);
	lt_check_eq(lt_syscall6(500, 0, 0, 0, 0, 0, 0), -ENOSYS, "system call 500 again gives -ENOSYS");
	long me = sys_getpid();
	lt_check(me > 0, "still running: getpid() = %ld", me);
	return lt_finish();
}
