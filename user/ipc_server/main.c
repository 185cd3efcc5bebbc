/* ipc_server: serves the gate `echo` from the config script: replies with the words reversed and a count. */
#include "stdio.h"
#include "l4.h"

int main(void)
{
	printf("server: waiting for clients\n");
	struct pecan_utcb *u = pecan_utcb();
	pecan_msgtag_t tag;
	uint64_t label;
	unsigned served = 0;
	long err = l4_ipc_wait(&tag, &label, PECAN_TIMEOUT_NEVER);
	for (;;) {
		if (err) {
			printf("server: wait: %s\n", l4_strerror(err));
			err = l4_ipc_wait(&tag, &label, PECAN_TIMEOUT_NEVER);
			continue;
		}
		unsigned n = pecan_msgtag_words(tag);
		uint64_t in[PECAN_MR_COUNT];
		for (unsigned i = 0; i < n; i++)
			in[i] = u->mr[i];
		served++;
		/* printf talks to the log server through the same message registers:
		 * print first, then fill in the reply */
		printf("server: request %u from label %lu with %u words\n", served, (unsigned long)label, n);
		/* the reply: the running count, then the request's words reversed */
		u->mr[0] = served;
		for (unsigned i = 0; i < n && i + 1 < PECAN_MR_COUNT; i++)
			u->mr[1 + i] = in[n - 1 - i];
		err = l4_ipc_reply_and_wait(pecan_msgtag(0, n + 1 < PECAN_MR_COUNT ? n + 1 : PECAN_MR_COUNT, 0, 0),
					    &tag, &label, PECAN_TIMEOUT_NEVER);
	}
}
