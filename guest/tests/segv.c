/*
 * segv: a process that faults is killed by the matching signal, and its
 * parent's wait4 status says so (WIFSIGNALED, WTERMSIG = status & 0x7f).
 * Children: read from NULL and write to NULL (SIGSEGV, 11), write to the
 * program's own read-only text (SIGSEGV), execute ud2 (SIGILL, 4), divide
 * by zero (SIGFPE, 8). The parent keeps running through all of it.
 */
#include "lt.h"

const char lt_name[] = "segv";

static void read_null(void *arg)
{
	(void)arg;
	(void)*(volatile int *)0;
}

static void write_null(void *arg)
{
	(void)arg;
	*(volatile int *)0 = 1;
}

static void write_text(void *arg)
{
	(void)arg;
	*(volatile unsigned char *)(void *)_start = 0xc3;
}

static void undefined_instruction(void *arg)
{
	(void)arg;
	__asm__ volatile("ud2");
}

static void divide_by_zero(void *arg)
{
	unsigned divisor = (unsigned)(long)arg, eax = 100, edx = 0;
	__asm__ volatile("divl %2" : "+a"(eax), "+d"(edx) : "r"(divisor));
}

static void killed(void (*fn)(void *), int sig, const char *what)
{
	char buf[64];
	long st = lt_in_child(fn, 0);
	lt_check(st >= 0 && WIFSIGNALED(st) && WTERMSIG(st) == sig, "%s: the child is killed by signal %d (%s)", what,
		 sig, lt_status_text(st, buf, sizeof buf));
}

int main(void)
{
	lt_no_core_dumps();
	killed(read_null, SIGSEGV, "reading NULL");
	killed(write_null, SIGSEGV, "writing NULL");
	killed(write_text, SIGSEGV, "writing the program text");
	killed(undefined_instruction, SIGILL, "ud2");
	killed(divide_by_zero, SIGFPE, "dividing by zero");
	long me = sys_getpid();
	lt_check(me > 0, "the parent runs on (pid %ld)", me);
	return lt_finish();
}
