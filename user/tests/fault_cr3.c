/* fault_cr3: tries to load cr3 from ring 3. */
#include "stdio.h"

int main(void)
{
	printf("fault_cr3: writing cr3\n");
	__asm__ volatile("mov %0, %%cr3" ::"r"(0ul));
	printf("fault_cr3: still running after mov cr3 (wrong)\n");
	return 1;
}
