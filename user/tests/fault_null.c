/* fault_null: dereferences a null pointer; the kernel must end it and go on. */
#include "stdio.h"

int main(void)
{
	printf("fault_null: reading address 0\n");
	volatile int *p = (volatile int *)0;
	return *p;
}
