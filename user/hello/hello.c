/* hello: the first user program; prints through the kernel debug console. */
#include "stdio.h"

int main(const char *args)
{
	printf("Hello from user mode\n");
	if (args[0])
		printf("hello: my arguments are \"%s\"\n", args);
	return 0;
}
