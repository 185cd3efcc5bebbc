/* fault_hlt: executes the privileged hlt instruction in ring 3. */
#include "stdio.h"

int main(void)
{
	printf("fault_hlt: executing hlt\n");
	__asm__ volatile("hlt");
	printf("fault_hlt: still running after hlt (wrong)\n");
	return 1;
}
