/* chatty: prints many lines, each in several pieces, so that a log server that mixed lines up would show it. */
#include "stdio.h"
#include "l4.h"
#include "pecan/rt/env.h"

/* argv[1] the number of lines (default 200), argv[2] a name to tell instances apart. */
static long parse(const char *s, long fallback)
{
	long v = 0;
	if (!s || !*s)
		return fallback;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return fallback;
		v = v * 10 + (*s - '0');
	}
	return v;
}

int main(int argc, char **argv)
{
	long lines = parse(argc > 1 ? argv[1] : 0, 200);
	const char *name = argc > 2 ? argv[2] : "?";
	for (long i = 1; i <= lines; i++) {
		/* three writes to the log server per line; yielding between them
		 * lets the other chatty programs write in between */
		printf("chatty line %ld", i);
		l4_thread_yield(PECAN_RT_CAP_THREAD);
		printf(" of %ld from %s", lines, name);
		l4_thread_yield(PECAN_RT_CAP_THREAD);
		printf(" abcdefghijklmnopqrstuvwxyz\n");
	}
	printf("chatty %s: done\n", name);
	return 0;
}
