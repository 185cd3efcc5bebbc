/* malloctest: exercises malloc/free/realloc on the heap the roottask pages in on demand. */
#include "stdio.h"
#include "stdlib.h"
#include "string.h"

int main(void)
{
	enum { N = 400 };
	static char *blocks[N];
	unsigned long seed = 12345;
	for (int round = 0; round < 20; round++) {
		for (int i = 0; i < N; i++) {
			seed = seed * 6364136223846793005ul + 1442695040888963407ul;
			size_t size = 1 + (seed >> 33) % 3000;
			if (blocks[i]) {
				free(blocks[i]);
				blocks[i] = NULL;
			}
			if ((seed >> 20) & 1) {
				blocks[i] = malloc(size);
				if (!blocks[i]) {
					printf("malloctest: FAIL: malloc(%lu) in round %d\n", (unsigned long)size, round);
					return 1;
				}
				memset(blocks[i], i & 0xff, size);
				blocks[i][0] = (char)i;
			}
		}
		for (int i = 0; i < N; i++)
			if (blocks[i] && blocks[i][0] != (char)i) {
				printf("malloctest: FAIL: block %d overwritten\n", i);
				return 1;
			}
	}
	char *big = malloc(1 << 20);
	if (!big) {
		printf("malloctest: FAIL: 1 MiB\n");
		return 1;
	}
	memset(big, 7, 1 << 20);
	big = realloc(big, 2 << 20);
	if (!big || big[12345] != 7) {
		printf("malloctest: FAIL: realloc\n");
		return 1;
	}
	printf("malloctest: PASS\n");
	return 0;
}
