/* echo: reads a line from the serial console and prints it back (tests typing into a scenario). */
#include "stdio.h"
#include "l4.h"

int main(void)
{
	char line[128];
	size_t n = 0;
	printf("echo: type a line\n");
	for (;;) {
		int c = l4_kdebug_getchar();
		if (c < 0)
			return 1;
		if (c == '\r' || c == '\n')
			break;
		if (n < sizeof(line) - 1)
			line[n++] = (char)c;
	}
	line[n] = 0;
	printf("echo: you typed \"%s\"\n", line);
	return 0;
}
