/* hello: the first program. Started by the kernel it greets from user mode; started by the launcher, the world (through the log server). */
#include "stdio.h"
#include "pecan/rt/env.h"

extern const struct pecan_env *__pecan_env;

int main(int argc, char **argv)
{
	printf(__pecan_env ? "Hello World!\n" : "Hello from user mode\n");
	for (int i = 1; i < argc; i++)
		printf("hello: argument %d: %s\n", i, argv[i]);
	return 0;
}
