/*
 * memtest: brk, anonymous mmap, munmap and mprotect.
 *
 * brk grows by 1 MiB (every page written and read back) and shrinks again;
 * a page given back is gone (touching it in a child: SIGSEGV) and comes back
 * zeroed when brk grows again. An anonymous 4 MiB mmap reads as zeros, holds
 * what is written to each page, and after munmap touching it kills a child
 * with SIGSEGV; munmap of the middle page of three leaves the outer ones.
 * mprotect(PROT_READ) keeps the contents readable, and a write then kills a
 * child with SIGSEGV; PROT_READ|PROT_WRITE makes it writable again. Bad
 * arguments give -EINVAL.
 *
 * Nothing of a process stays visible after it: a child maps and writes a
 * page at a fixed address and exits; the next children (lx gives them the
 * emptied task of the one before) die with SIGSEGV touching that address.
 * A child that maps and writes such a page and then execs this program
 * with "--probe" dies with SIGSEGV too.
 *
 * Running out of memory: a child that touches page after page of a 1 GiB
 * mapping is killed with SIGKILL when the guest memory is gone (lx first
 * drops the pages it keeps for programs nobody runs), and then a fork and
 * execve of /bin/nop still work.
 */
#include "lt.h"

const char lt_name[] = "memtest";

#define MIB (1024ul * 1024)

static void touch_write(void *p)
{
	*(volatile unsigned char *)p = 0x5a;
}

static void touch_read(void *p)
{
	(void)*(volatile unsigned char *)p;
}

static void expect_segv(void (*fn)(void *), void *p, const char *what)
{
	char buf[64];
	long st = lt_in_child(fn, p);
	lt_check(st >= 0 && WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "%s (%p) kills a child with SIGSEGV (%s)",
		 what, p, lt_status_text(st, buf, sizeof buf));
}

static void test_brk(void)
{
	long start = sys_brk(0);
	lt_check(start > 0, "brk(0) = 0x%lx", start);
	/* from the next page boundary: the page brk(0) is in may be shared with .bss */
	unsigned long base = ((unsigned long)start + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	long top = sys_brk(base + MIB);
	if (!lt_check_eq(top, (long)(base + MIB), "brk grows by 1 MiB"))
		return;
	int bad = 0;
	for (unsigned long p = base; p < base + MIB; p += PAGE_SIZE)
		if (*(volatile unsigned long *)p != 0)
			bad++;
	lt_check_eq(bad, 0, "the new brk pages read as zeros");
	for (unsigned long p = base; p < base + MIB; p += PAGE_SIZE)
		*(volatile unsigned long *)p = p ^ 0x1234;
	bad = 0;
	for (unsigned long p = base; p < base + MIB; p += PAGE_SIZE)
		if (*(volatile unsigned long *)p != (p ^ 0x1234))
			bad++;
	lt_check_eq(bad, 0, "each of the %lu brk pages holds what was written", MIB / PAGE_SIZE);
	lt_check_eq(sys_brk(0), (long)(base + MIB), "brk(0) reports the new end");
	lt_check_eq(sys_brk(base + PAGE_SIZE), (long)(base + PAGE_SIZE), "brk shrinks to one page");
	lt_check(*(volatile unsigned long *)base == (base ^ 0x1234), "the page kept below the break keeps its data");
	expect_segv(touch_read, (void *)(base + 2 * PAGE_SIZE), "reading brk memory given back");
	lt_check_eq(sys_brk(base + 4 * PAGE_SIZE), (long)(base + 4 * PAGE_SIZE), "brk grows again");
	lt_check(*(volatile unsigned long *)(base + 2 * PAGE_SIZE) == 0, "memory given back comes back zeroed");
	lt_check_eq(sys_brk(start), start, "brk back to where it started");
}

static void test_mmap(void)
{
	long m = sys_mmap(NULL, 4 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!lt_check(m > 0 && !(m & (PAGE_SIZE - 1)), "mmap of 4 MiB anonymous memory (0x%lx)", m))
		return;
	unsigned long base = (unsigned long)m;
	int bad = 0;
	for (unsigned long p = base; p < base + 4 * MIB; p += PAGE_SIZE)
		if (*(volatile unsigned long *)(p + 8) != 0)
			bad++;
	lt_check_eq(bad, 0, "the mapping reads as zeros");
	for (unsigned long p = base; p < base + 4 * MIB; p += PAGE_SIZE)
		*(volatile unsigned long *)(p + 8) = ~p;
	bad = 0;
	for (unsigned long p = base; p < base + 4 * MIB; p += PAGE_SIZE)
		if (*(volatile unsigned long *)(p + 8) != ~p)
			bad++;
	lt_check_eq(bad, 0, "each of its %lu pages holds what was written", 4 * MIB / PAGE_SIZE);
	lt_check_eq(sys_munmap((void *)base, 4 * MIB), 0, "munmap of the 4 MiB");
	expect_segv(touch_read, (void *)base, "reading unmapped memory");
	expect_segv(touch_write, (void *)(base + 4 * MIB - PAGE_SIZE), "writing unmapped memory");

	/* three pages, the middle one unmapped */
	m = sys_mmap(NULL, 3 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!lt_check(m > 0, "mmap of 3 pages (0x%lx)", m))
		return;
	base = (unsigned long)m;
	for (int i = 0; i < 3; i++)
		*(volatile int *)(base + i * PAGE_SIZE) = 100 + i;
	lt_check_eq(sys_munmap((void *)(base + PAGE_SIZE), PAGE_SIZE), 0, "munmap of the middle page");
	lt_check(*(volatile int *)base == 100 && *(volatile int *)(base + 2 * PAGE_SIZE) == 102,
		 "the pages around it keep their data");
	expect_segv(touch_read, (void *)(base + PAGE_SIZE), "reading the unmapped middle page");
	lt_check_eq(sys_munmap((void *)base, 3 * PAGE_SIZE), 0, "munmap over a hole");

	lt_check_eq(sys_mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), -EINVAL,
		    "mmap of length 0 gives -EINVAL");
	lt_check_eq(sys_munmap((void *)(base + 1), PAGE_SIZE), -EINVAL, "munmap of an unaligned address gives -EINVAL");
}

static void test_mprotect(void)
{
	long m = sys_mmap(NULL, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!lt_check(m > 0, "mmap of 2 pages for mprotect (0x%lx)", m))
		return;
	volatile int *p = (volatile int *)m;
	p[0] = 7;
	p[PAGE_SIZE / sizeof(int)] = 8;
	lt_check_eq(sys_mprotect((void *)m, PAGE_SIZE, PROT_READ), 0, "mprotect(PROT_READ) of the first page");
	lt_check(p[0] == 7, "the read-only page keeps its contents");
	expect_segv(touch_write, (void *)m, "writing the read-only page");
	p[PAGE_SIZE / sizeof(int)] = 9;
	lt_check(p[PAGE_SIZE / sizeof(int)] == 9, "the second page stays writable");
	lt_check_eq(sys_mprotect((void *)m, PAGE_SIZE, PROT_READ | PROT_WRITE), 0, "mprotect(PROT_READ|PROT_WRITE)");
	p[0] = 10;
	lt_check(p[0] == 10, "the page is writable again");
	lt_check_eq(sys_mprotect((void *)m, PAGE_SIZE, PROT_NONE), 0, "mprotect(PROT_NONE)");
	expect_segv(touch_read, (void *)m, "reading a PROT_NONE page");
	lt_check_eq(sys_mprotect((void *)(m + 1), PAGE_SIZE, PROT_READ), -EINVAL,
		    "mprotect of an unaligned address gives -EINVAL");
	lt_check_eq(sys_munmap((void *)m, 2 * PAGE_SIZE), 0, "munmap");
}

#define LEFTOVER ((void *)0x6f0000000000ul)

static void map_and_write(void *p)
{
	long m = sys_mmap(p, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (m != (long)p)
		sys_exit(3);
	touch_write(p);
}

static void map_write_exec(void *p)
{
	map_and_write(p);
	char *argv[] = {"/bin/memtest", "--probe", NULL}, *envp[] = {NULL};
	sys_execve(argv[0], argv, envp);
	sys_exit(4);
}

static void test_leftovers(void)
{
	char buf[64];
	for (int round = 0; round < 3; round++) {
		long st = lt_in_child(map_and_write, LEFTOVER);
		lt_check(st == 0, "a child maps and writes a page at %p and exits (%s)", LEFTOVER,
			 lt_status_text(st, buf, sizeof buf));
		expect_segv(touch_read, LEFTOVER, "reading the page in the next child");
		expect_segv(touch_write, LEFTOVER, "writing it in the one after");
	}
	long st = lt_in_child(map_write_exec, LEFTOVER);
	lt_check(st >= 0 && WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV,
		 "after execve the page written before is gone: the program dies reading it (%s)",
		 lt_status_text(st, buf, sizeof buf));
}

static void hog(void *unused)
{
	(void)unused;
	unsigned long size = 1024 * MIB;
	long m = sys_mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if ((unsigned long)m > (unsigned long)MAP_FAILED_MAX)
		sys_exit(3);
	for (unsigned long off = 0; off < size; off += PAGE_SIZE)
		touch_write((char *)m + off);
	sys_exit(4); /* more than 1 GiB of guest memory: not this scenario's */
}

static void run_nop(void *unused)
{
	(void)unused;
	char *argv[] = {"/bin/nop", NULL}, *envp[] = {NULL};
	sys_execve(argv[0], argv, envp);
	sys_exit(5);
}

static void test_out_of_memory(void)
{
	char buf[64];
	long st = lt_in_child(hog, NULL);
	lt_check(st >= 0 && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
		 "a child touching page after page of 1 GiB is killed with SIGKILL when memory runs out (%s)",
		 lt_status_text(st, buf, sizeof buf));
	st = lt_in_child(run_nop, NULL);
	lt_check(st == 0, "then fork + execve of /bin/nop still work (%s)", lt_status_text(st, buf, sizeof buf));
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--probe")) {
		touch_read(LEFTOVER);
		return 5;
	}
	lt_no_core_dumps();
	test_brk();
	test_mmap();
	test_mprotect();
	test_leftovers();
	test_out_of_memory();
	return lt_finish();
}
