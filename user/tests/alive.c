/* alive: runs after the faulting programs to show that the kernel kept going. */
#include "stdio.h"

int main(void)
{
	printf("alive: the kernel survived the faulting programs\n");
	return 0;
}
