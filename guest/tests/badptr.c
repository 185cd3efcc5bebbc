/*
 * badptr: system calls with bad user pointers fail with -EFAULT (14) and the
 * program keeps running: the kernel must check every address it is given
 * (lx: copy_from_user/copy_to_user walk the page tables, never fault).
 */
#include "lt.h"

const char lt_name[] = "badptr";

#define KERNEL_ADDR ((void *)0xffff800000000000ul)   /* kernel half */
#define NONCANONICAL ((void *)0x0000800000000000ul)  /* just above user space */

int main(int argc, char **argv)
{
	(void)argc;
	lt_check_eq(sys_write(1, (void *)1, 10), -EFAULT, "write(1, (void *)1, 10) gives -EFAULT");
	lt_check_eq(sys_write(1, KERNEL_ADDR, 10), -EFAULT, "write from a kernel address gives -EFAULT");
	lt_check_eq(sys_write(1, NONCANONICAL, 10), -EFAULT, "write from a non-canonical address gives -EFAULT");

	/* a readable file: this program itself */
	long fd = sys_open(argv[0], O_RDONLY);
	if (lt_check(fd >= 0, "open(%s) (%ld)", argv[0], fd)) {
		lt_check_eq(sys_read((int)fd, KERNEL_ADDR, 16), -EFAULT, "read into a kernel address gives -EFAULT");
		lt_check_eq(sys_read((int)fd, (void *)8, 16), -EFAULT, "read into address 8 gives -EFAULT");
		lt_check_eq(sys_read((int)fd, (void *)_start, 16), -EFAULT,
			    "read into the read-only program text gives -EFAULT");
		char buf[4] = {0};
		lt_check_eq(sys_lseek((int)fd, 0, SEEK_SET), 0, "lseek to 0");
		lt_check(sys_read((int)fd, buf, 4) == 4 && !memcmp(buf, "\177ELF", 4),
			 "the file still reads correctly (ELF magic)");
		sys_close((int)fd);
	}
	lt_check_eq(sys_open((const char *)1, O_RDONLY), -EFAULT, "open with a bad path pointer gives -EFAULT");

	/* paths at the end of a page whose next page is not mapped (lx copies a path a page at a time) */
	long m = sys_mmap(NULL, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (lt_check((unsigned long)m <= (unsigned long)MAP_FAILED_MAX, "mmap two pages (0x%lx)", m)) {
		char *page = (char *)m, *end = page + PAGE_SIZE;
		memset(page, '/', 2 * PAGE_SIZE);
		lt_check_eq(sys_open(page + PAGE_SIZE - 300, O_RDONLY), -36,
			    "a path of 300 slashes gives -ENAMETOOLONG");
		lt_check_eq(sys_munmap(end, PAGE_SIZE), 0, "munmap the second page");
		end[-1] = '\0';
		end[-2] = '/';
		long d = sys_open(end - 2, O_RDONLY);
		lt_check(d >= 0, "open of \"/\" ending at the last byte of a page before a hole (%ld)", d);
		if (d >= 0)
			sys_close((int)d);
		end[-1] = '/';
		lt_check_eq(sys_open(end - 2, O_RDONLY), -EFAULT, "a path running into a hole gives -EFAULT");
		sys_munmap(page, PAGE_SIZE);
	}
	lt_check_eq(sys_uname(KERNEL_ADDR), -EFAULT, "uname into a kernel address gives -EFAULT");
	lt_check_eq(sys_pipe((int *)KERNEL_ADDR), -EFAULT, "pipe into a kernel address gives -EFAULT");
	int st;
	lt_check_eq(sys_wait4(-1, &st, 0, NULL), -ECHILD, "still running: wait4 without children gives -ECHILD");
	return lt_finish();
}
