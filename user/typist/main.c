/* typist: the input client of the system tests; reads one line of serial input through the log server. */
#include "stdio.h"
#include "l4.h"
#include "l4/re/c/input.h"
#include "pecan/rt/env.h"

enum {
	SEL_IRQ = PECAN_RT_CAP_FIRST_FREE,
	IRQ_LABEL = 0x7e,
	LINE_MAX = 128,
};
#define WAIT_US 30000000ull /* fail after 30 s instead of hanging */

int main(void)
{
	long err = l4_factory_create(PECAN_RT_CAP_FACTORY, PECAN_FACTORY_CREATE_IRQ, SEL_IRQ);
	if (!err)
		err = l4_irq_bind(SEL_IRQ, PECAN_RT_CAP_THREAD, IRQ_LABEL);
	if (err) {
		printf("typist: cannot make the input IRQ: %s\n", l4_strerror(err));
		return 1;
	}
	err = l4re_input_bind(SEL_IRQ);
	if (err) {
		printf("typist: input bind failed: %s\n", l4_strerror(err));
		return 1;
	}
	printf("typist: ready\n");

	char line[LINE_MAX + 1];
	size_t len = 0;
	for (;;) {
		/* take what is there first: input may have come before the IRQ was bound */
		char buf[64];
		size_t got;
		do {
			err = l4re_input_read(buf, sizeof(buf), &got);
			if (err) {
				printf("typist: read failed: %s\n", l4_strerror(err));
				return 1;
			}
			for (size_t i = 0; i < got; i++) {
				if (buf[i] == '\r' || buf[i] == '\n') {
					line[len] = 0;
					printf("typist: got \"%s\"\n", line);
					return 0;
				}
				if (len < LINE_MAX)
					line[len++] = buf[i];
			}
		} while (got);
		pecan_msgtag_t tag;
		uint64_t label;
		err = l4_ipc_receive(SEL_IRQ, &tag, &label, WAIT_US);
		if (err) {
			printf("typist: waiting for input: %s\n", l4_strerror(err));
			return 1;
		}
	}
}
