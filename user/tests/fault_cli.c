/* fault_cli: executes the privileged cli instruction in ring 3. */
#include "stdio.h"

int main(void)
{
	printf("fault_cli: executing cli\n");
	__asm__ volatile("cli");
	printf("fault_cli: still running after cli (wrong)\n");
	return 1;
}
