/* ipc_client: calls the gate `echo` (named in the config script) and checks the server's answers. */
#include "stdio.h"
#include "stdlib.h"
#include "l4.h"
#include "l4/re/env.h"

int main(int argc, char **argv)
{
	uint64_t gate = l4re_env_get_cap("echo");
	if (!gate) {
		printf("client: FAIL: no capability named echo\n");
		return 1;
	}
	unsigned rounds = 3;
	if (argc > 1) {
		rounds = 0;
		for (const char *s = argv[1]; *s >= '0' && *s <= '9'; s++)
			rounds = rounds * 10 + (unsigned)(*s - '0');
	}
	struct pecan_utcb *u = pecan_utcb();
	for (unsigned r = 1; r <= rounds; r++) {
		u->mr[0] = r;
		u->mr[1] = r * 100;
		u->mr[2] = r * 10000;
		pecan_msgtag_t rtag;
		long err = l4_ipc_call(gate, pecan_msgtag(7, 3, 0, 0), 1000000, &rtag);
		if (err) {
			printf("client: FAIL: call %u: %s\n", r, l4_strerror(err));
			return 1;
		}
		if (pecan_msgtag_words(rtag) != 4 || u->mr[0] != r || u->mr[1] != r * 10000 || u->mr[3] != r) {
			printf("client: FAIL: call %u: wrong answer (%u words: %lu %lu %lu %lu)\n", r,
			       pecan_msgtag_words(rtag), (unsigned long)u->mr[0], (unsigned long)u->mr[1],
			       (unsigned long)u->mr[2], (unsigned long)u->mr[3]);
			return 1;
		}
		printf("client: call %u answered: count %lu, words reversed\n", r, (unsigned long)u->mr[0]);
	}
	printf("client: %u calls through the gate, all answered\n", rounds);
	return 0;
}
