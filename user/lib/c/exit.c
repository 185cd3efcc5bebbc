/* exit: end the program: through the roottask when it launched us, else through the own task. */
#include "stdlib.h"
#include "l4.h"
#include "pecan/rt/env.h"
#include "pecan/rt/mem.h"

extern const struct pecan_env *__pecan_env;

void exit(int code)
{
	if (__pecan_env) {
		/* the roottask deletes us and reports; the call does not come back */
		uint64_t a[1] = {(uint64_t)(int64_t)code};
		l4_invoke(PECAN_RT_CAP_MEM, PECAN_MEM_EXIT, a, 1, 0, 0);
	}
	l4_exit(code);
}
