/* nop: the smallest static program; it only exits (status 0). lxbench's exec target. */
#include "lt.h"

const char lt_name[] = "nop";

int main(void)
{
	return 0;
}
