/* The block device client API: INFO, SETUP, READ and WRITE calls to bdds. */
#include "l4/re/c/bdds.h"
#include "l4.h"

long l4re_bdds_info(uint64_t dev, uint64_t *blocks, uint64_t *block_size, int *readonly)
{
	uint64_t r[3] = {0, 0, 0};
	long err = l4_invoke(dev, PECAN_BDDS_INFO, 0, 0, r, 3);
	*blocks = r[0];
	*block_size = r[1];
	*readonly = r[2] != 0;
	return err;
}

long l4re_bdds_setup(uint64_t dev, void *buffer, unsigned order)
{
	uint64_t addr = (uint64_t)buffer;
	if (order < 12 || order > 16 || (addr & ((1ull << order) - 1)))
		return PECAN_EINVAL;
	struct pecan_utcb *u = pecan_utcb();
	/* the server's window is as large as the largest buffer: the hotspot
	 * does not matter */
	u->mr[0] = pecan_item_word0(PECAN_ITEM_MAP, 0);
	u->mr[1] = pecan_fpage_mem(addr, order, PECAN_FPAGE_R | PECAN_FPAGE_W);
	pecan_msgtag_t rtag;
	long err = l4_ipc_call(dev, pecan_msgtag(PECAN_BDDS_SETUP, 0, 1, 0), PECAN_TIMEOUT_NEVER, &rtag);
	if (!err)
		err = (long)pecan_msgtag_label(rtag);
	return err;
}

long l4re_bdds_read(uint64_t dev, uint64_t first, uint64_t count)
{
	uint64_t a[2] = {first, count};
	return l4_invoke(dev, PECAN_BDDS_READ, a, 2, 0, 0);
}

long l4re_bdds_write(uint64_t dev, uint64_t first, uint64_t count)
{
	uint64_t a[2] = {first, count};
	return l4_invoke(dev, PECAN_BDDS_WRITE, a, 2, 0, 0);
}
