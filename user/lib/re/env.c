/* The launcher's environment and the dataspace calls to the roottask. */
#include "l4/re/env.h"
#include "l4.h"
#include "string.h"
#include "pecan/rt/mem.h"

extern const struct pecan_env *__pecan_env; /* set by __libc_start */

const struct pecan_env *l4re_env(void) { return __pecan_env; }

uint64_t l4re_env_get_cap(const char *name)
{
	const struct pecan_env *e = __pecan_env;
	if (!e)
		return 0;
	for (uint32_t i = 0; i < e->ncaps && i < PECAN_ENV_MAX_CAPS; i++)
		if (strcmp(e->caps[i].name, name) == 0)
			return e->caps[i].sel;
	return 0;
}

/* A call that receives one capability at dest. */
static long call_for_cap(uint64_t gate, unsigned op, unsigned words, uint64_t dest)
{
	struct pecan_utcb *u = pecan_utcb();
	uint64_t saved = u->br[PECAN_BR_CAP_WINDOW];
	u->br[PECAN_BR_CAP_WINDOW] = pecan_fpage_cap(dest, 0, PECAN_CAP_RWD);
	pecan_msgtag_t rtag;
	long err = l4_ipc_call(gate, pecan_msgtag(op, words, 0, 0), PECAN_TIMEOUT_NEVER, &rtag);
	u->br[PECAN_BR_CAP_WINDOW] = saved;
	if (!err)
		err = (long)pecan_msgtag_label(rtag);
	return err;
}

long l4re_ds_alloc(uint64_t size, uint64_t dest)
{
	pecan_utcb()->mr[0] = size;
	return call_for_cap(PECAN_RT_CAP_MEM, PECAN_MEM_ALLOC, 1, dest);
}

long l4re_ns_query(const char *name, uint64_t dest)
{
	struct pecan_utcb *u = pecan_utcb();
	size_t n = strlen(name);
	if (n > 8 * (PECAN_MR_COUNT - 2))
		return PECAN_EINVAL;
	u->mr[0] = n;
	memcpy(&u->mr[1], name, n);
	return call_for_cap(PECAN_RT_CAP_MEM, PECAN_MEM_QUERY, 1 + (unsigned)((n + 7) / 8), dest);
}

long l4re_ds_info(uint64_t ds, uint64_t *size, uint64_t *flags)
{
	uint64_t r[2] = {0, 0};
	long err = l4_invoke(ds, PECAN_DS_INFO, 0, 0, r, 2);
	*size = r[0];
	*flags = r[1];
	return err;
}

long l4re_ds_map(uint64_t ds, uint64_t offset, unsigned order, uint64_t addr)
{
	struct pecan_utcb *u = pecan_utcb();
	uint64_t saved = u->br[PECAN_BR_MEM_WINDOW];
	u->br[PECAN_BR_MEM_WINDOW] = pecan_fpage_mem(addr, order, PECAN_FPAGE_RWX);
	uint64_t a[2] = {offset, order};
	long err = l4_invoke(ds, PECAN_DS_MAP, a, 2, 0, 0);
	u->br[PECAN_BR_MEM_WINDOW] = saved;
	return err;
}

long l4re_ds_free(uint64_t ds) { return l4_invoke(ds, PECAN_DS_FREE, 0, 0, 0, 0); }
