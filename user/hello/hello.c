/* hello: the first user program; prints through the kernel debug console. */
#include "stdio.h"
#include "l4.h"

int main(const struct pecan_kip *kip)
{
	printf("Hello from user mode\n");
	if (kip->args[0])
		printf("hello: my arguments are \"%s\"\n", kip->args);
	return 0;
}
