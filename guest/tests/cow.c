/*
 * cow: fork copies the address space (copy-on-write): after fork, parent and
 * child write the same pages with different values and each sees only its
 * own. The pages: a global array in .bss, a page of initialized .data, a
 * buffer on the stack, memory from brk and from an anonymous mmap.
 *
 * Order (pipes keep it; without pipe() the test still runs, unsynchronized):
 * the child checks it sees the pre-fork contents, writes its own values and
 * tells the parent; the parent checks it still sees the pre-fork contents,
 * writes its values and tells the child; the child checks its values are
 * still there and exits with 42 (or a mask of what went wrong); the parent
 * checks its own values and the child's exit code.
 */
#include "lt.h"

const char lt_name[] = "cow";

#define CHILD_OK 42
enum { BAD_PREFORK = 1, BAD_OWN = 2, BAD_LEAK = 4, BAD_SYNC = 8 };

static unsigned char bss_pages[3 * PAGE_SIZE] __attribute__((aligned(4096)));
static unsigned char data_page[PAGE_SIZE] __attribute__((aligned(4096))) = {1, 2, 3};

struct region {
	const char *name;
	volatile unsigned char *p;
	size_t len;
};
#define NREG 5
static struct region regions[NREG];

static void fill(unsigned char seed)
{
	for (int r = 0; r < NREG; r++)
		for (size_t i = 0; i < regions[r].len; i++)
			regions[r].p[i] = (unsigned char)(seed + i * 7 + r);
}

/* the first region that does not hold seed's pattern, or -1 */
static int differs(unsigned char seed)
{
	for (int r = 0; r < NREG; r++)
		for (size_t i = 0; i < regions[r].len; i++)
			if (regions[r].p[i] != (unsigned char)(seed + i * 7 + r))
				return r;
	return -1;
}

static int have_pipes;
static int c2p[2], p2c[2];

static int sync_send(int fd)
{
	if (!have_pipes) {
		for (int i = 0; i < 200; i++)
			sys_sched_yield();
		return 0;
	}
	return sys_write(fd, "x", 1) == 1 ? 0 : -1;
}

static int sync_wait(int fd)
{
	if (!have_pipes) {
		for (int i = 0; i < 200; i++)
			sys_sched_yield();
		return 0;
	}
	char c;
	long r;
	do
		r = sys_read(fd, &c, 1);
	while (r == -EINTR);
	return r == 1 ? 0 : -1;
}

static __attribute__((noinline)) int run(void)
{
	volatile unsigned char stack_buf[2 * PAGE_SIZE];
	long cur = sys_brk(0);
	long top = sys_brk(cur + 2 * PAGE_SIZE);
	lt_check(top == cur + (long)(2 * PAGE_SIZE), "brk grows by 2 pages (0x%lx -> 0x%lx)", cur, top);
	long m = sys_mmap(NULL, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!lt_check(m > 0 && !(m & (PAGE_SIZE - 1)), "mmap of 2 anonymous pages (0x%lx)", m))
		return 1;
	regions[0] = (struct region){".bss array", bss_pages, sizeof bss_pages};
	regions[1] = (struct region){".data page", data_page, sizeof data_page};
	regions[2] = (struct region){"stack buffer", stack_buf, sizeof stack_buf};
	regions[3] = (struct region){"brk memory", (unsigned char *)cur, 2 * PAGE_SIZE};
	regions[4] = (struct region){"mmap memory", (unsigned char *)m, 2 * PAGE_SIZE};

	fill('P');
	long r = sys_pipe(c2p);
	have_pipes = r == 0 && sys_pipe(p2c) == 0;
	if (!have_pipes)
		lt_printf("cow: note: pipe() = %ld; parent and child run unsynchronized\n", r);

	long pid = sys_fork();
	if (pid < 0) {
		lt_check(0, "fork (%ld)", pid);
		return 1;
	}
	if (pid == 0) {
		int bad = 0;
		if (differs('P') >= 0)
			bad |= BAD_PREFORK;
		fill('C');
		if (differs('C') >= 0)
			bad |= BAD_OWN;
		if (sync_send(c2p[1]) || sync_wait(p2c[0]))
			bad |= BAD_SYNC;
		/* the parent has written its values now */
		if (differs('C') >= 0)
			bad |= BAD_LEAK;
		sys_exit(bad ? bad : CHILD_OK);
	}
	lt_check(sync_wait(c2p[0]) == 0, "the child wrote its values");
	int d = differs('P');
	lt_check(d < 0, "the parent still sees the pre-fork contents after the child wrote%s%s",
		 d < 0 ? "" : ": not in the ", d < 0 ? "" : regions[d].name);
	fill('A');
	d = differs('A');
	lt_check(d < 0, "the parent sees its own values%s%s", d < 0 ? "" : ": not in the ",
		 d < 0 ? "" : regions[d].name);
	lt_check(sync_send(p2c[1]) == 0, "the parent told the child");
	int status = -1;
	long w = sys_wait4((int)pid, &status, 0, NULL);
	lt_check_eq(w, pid, "wait4 returns the child");
	if (!lt_check(status == CHILD_OK << 8,
		      "the child saw the pre-fork contents, then only its own values (wait status 0x%x)", status)) {
		if (WIFEXITED(status)) {
			int c = WEXITSTATUS(status);
			lt_printf("cow: the child reports:%s%s%s%s\n", c & BAD_PREFORK ? " pre-fork contents wrong;" : "",
				  c & BAD_OWN ? " its own writes not visible;" : "",
				  c & BAD_LEAK ? " the parent's writes leaked into it;" : "",
				  c & BAD_SYNC ? " pipe synchronization failed;" : "");
		}
	}
	d = differs('A');
	lt_check(d < 0, "after the child exited the parent still sees its own values%s%s",
		 d < 0 ? "" : ": not in the ", d < 0 ? "" : regions[d].name);

	/* a second child that only reads: pages stay shared until someone writes */
	pid = sys_fork();
	if (pid == 0)
		sys_exit(differs('A') < 0 ? CHILD_OK : 1);
	fill('B');
	w = sys_wait4((int)pid, &status, 0, NULL);
	lt_check(w == pid && status == CHILD_OK << 8,
		 "a reading child sees the parent's values as of fork (wait status 0x%x)", status);
	lt_check(differs('B') < 0, "the parent's writes after the second fork stay");
	lt_check_eq(sys_munmap((void *)m, 2 * PAGE_SIZE), 0, "munmap");
	lt_check_eq(sys_brk(cur), cur, "brk shrinks back");
	return 0;
}

int main(void)
{
	run();
	return lt_finish();
}
