/* bdds: the block device server. Serves boot modules (read-only) and RAM disks (read-write) as block devices (include/pecan/rt/bdds.h, docs/bdds.md). */
#include "bdds.h"
#include "l4.h"
#include "stdio.h"
#include "string.h"
#include "pecan/rt/env.h"

/*
 * Clients are told apart by the gate label only, which is the device
 * number: every client of a device shares its one buffer, and a SETUP
 * replaces it. Buffers live in window slots: one per device plus one spare,
 * which is the memory receive window of every wait. A SETUP moves the
 * spare slot to its device and frees the device's old slot as the new
 * spare; any other message that brought memory has it unmapped again.
 */
static struct bdds_device devices[BDDS_MAX_DEVICES];
static unsigned ndevices;
static int spare_slot; /* the slot no device holds: the next receive window */

static uint64_t slot_base(int slot) { return BDDS_WINDOW_BASE + (uint64_t)slot * BDDS_WINDOW_SIZE; }

/* Drops whatever a client mapped into a slot (nothing derives from it). */
static void slot_clear(int slot)
{
	l4_task_unmap(PECAN_RT_CAP_TASK, pecan_fpage_mem(slot_base(slot), BDDS_WINDOW_ORDER, PECAN_FPAGE_RWX),
		      PECAN_UNMAP_SELF);
}

/* One received request: the tag's label is the op, the gate's the device. */
struct request {
	uint64_t label;
	unsigned op, words, items;
	const uint64_t *mr;
};

/* MR[0] first, MR[1] count of READ and WRITE: checks them against the
 * device and the buffer (the order of the checks is docs/bdds.md's). */
static long check_blocks(const struct request *rq, const struct bdds_device *d, uint64_t *first,
			 uint64_t *count)
{
	if (rq->words < 2 || rq->items)
		return PECAN_EINVAL;
	if (rq->op == PECAN_BDDS_WRITE && d->readonly)
		return PECAN_EPERM;
	if (d->slot == BDDS_NO_SLOT)
		return PECAN_EBUSY;
	*first = rq->mr[0];
	*count = rq->mr[1];
	if (*count == 0 || *count > d->buffer_blocks)
		return PECAN_EINVAL;
	if (*first >= d->blocks || *count > d->blocks - *first)
		return PECAN_ERANGE;
	return PECAN_OK;
}

static long op_info(const struct request *rq, const struct bdds_device *d, uint64_t *res, unsigned *nres)
{
	if (rq->items)
		return PECAN_EINVAL;
	res[0] = d->blocks;
	res[1] = PECAN_BDDS_BLOCK_SIZE;
	res[2] = d->readonly;
	*nres = 3;
	return PECAN_OK;
}

/* The buffer arrived in the spare slot: where the kernel placed it there
 * (window base + hotspot mod window size, aligned down to its size). */
static long op_setup(const struct request *rq, struct bdds_device *d)
{
	if (rq->items != 1)
		return PECAN_EINVAL;
	uint64_t w0 = rq->mr[rq->words], fp = rq->mr[rq->words + 1];
	unsigned order = pecan_fpage_order(fp), rights = pecan_fpage_rights(fp);
	const unsigned rw = PECAN_FPAGE_R | PECAN_FPAGE_W;
	if (pecan_fpage_kind(fp) != PECAN_FPAGE_MEM || order < BDDS_BUFFER_MIN_ORDER ||
	    order > BDDS_BUFFER_MAX_ORDER || (rights & rw) != rw)
		return PECAN_EINVAL;
	uint64_t size = 1ull << order;
	uint64_t offset = (w0 & PECAN_ITEM_HOTSPOT_MASK & (BDDS_WINDOW_SIZE - 1)) & ~(size - 1);

	int old = d->slot;
	d->slot = spare_slot;
	d->buffer = (uint8_t *)(slot_base(spare_slot) + offset);
	d->buffer_blocks = size / PECAN_BDDS_BLOCK_SIZE;
	if (old == BDDS_NO_SLOT) {
		/* the first SETUP of a device: a never-used slot becomes the spare */
		spare_slot = -1;
		for (int s = 0; s <= (int)ndevices && spare_slot < 0; s++) {
			bool used = false;
			for (unsigned i = 0; i < ndevices; i++)
				used |= devices[i].slot == s;
			if (!used)
				spare_slot = s;
		}
	} else {
		slot_clear(old);
		spare_slot = old;
	}
	return PECAN_OK;
}

static void copy_out(struct bdds_device *d, uint64_t first, uint64_t count)
{
	/* a module's last block is padded with zeros */
	uint64_t off = first * PECAN_BDDS_BLOCK_SIZE, len = count * PECAN_BDDS_BLOCK_SIZE;
	uint64_t have = d->readonly ? d->bytes : d->blocks * PECAN_BDDS_BLOCK_SIZE;
	uint64_t n = off < have ? have - off : 0;
	if (n > len)
		n = len;
	memcpy(d->buffer, d->data + off, n);
	memset(d->buffer + n, 0, len - n);
}

/* Handles one request; returns the status for the reply's label and the
 * result words in res. */
static long handle(const struct request *rq, uint64_t *res, unsigned *nres)
{
	*nres = 0;
	if (rq->label >= ndevices)
		return PECAN_EINVAL; /* a gate of no device: a wrong config script */
	struct bdds_device *d = &devices[rq->label];
	uint64_t first = 0, count = 0;
	long err;
	switch (rq->op) {
	case PECAN_BDDS_INFO:
		return op_info(rq, d, res, nres);
	case PECAN_BDDS_SETUP:
		return op_setup(rq, d);
	case PECAN_BDDS_READ:
	case PECAN_BDDS_WRITE:
		err = check_blocks(rq, d, &first, &count);
		if (err)
			return err;
		bdds_buffer_faulted = false;
		if (rq->op == PECAN_BDDS_READ)
			copy_out(d, first, count);
		else
			memcpy(d->data + first * PECAN_BDDS_BLOCK_SIZE, d->buffer, count * PECAN_BDDS_BLOCK_SIZE);
		if (bdds_buffer_faulted) {
			/* the client's buffer was not (all) there: forget it; a
			 * WRITE may have stored the guard's scratch data */
			slot_clear(d->slot);
			d->slot = BDDS_NO_SLOT;
			d->buffer = NULL;
			d->buffer_blocks = 0;
			return PECAN_EFAULT;
		}
		return PECAN_OK;
	}
	return PECAN_ENOSYS;
}

static void set_receive_window(void)
{
	pecan_utcb()->br[PECAN_BR_MEM_WINDOW] =
		pecan_fpage_mem(slot_base(spare_slot), BDDS_WINDOW_ORDER, PECAN_FPAGE_RWX);
	pecan_utcb()->br[PECAN_BR_CAP_WINDOW] = 0; /* bdds takes no capabilities */
}

static void serve(void) __attribute__((noreturn));
static void serve(void)
{
	struct pecan_utcb *u = pecan_utcb();
	pecan_msgtag_t tag = 0;
	uint64_t label = 0;
	set_receive_window();
	long err = l4_ipc_wait(&tag, &label, PECAN_TIMEOUT_NEVER);
	for (;;) {
		if (err) {
			/* the reply found no caller, or a message failed on its way in
			 * (e.g. a bad typed item); the spare slot may hold part of it */
			slot_clear(spare_slot);
			set_receive_window();
			err = l4_ipc_wait(&tag, &label, PECAN_TIMEOUT_NEVER);
			continue;
		}
		struct request rq = {
			.label = label,
			.op = pecan_msgtag_label(tag),
			.words = pecan_msgtag_words(tag),
			.items = pecan_msgtag_items(tag),
			.mr = u->mr,
		};
		int slot_before = spare_slot;
		uint64_t res[3];
		unsigned nres;
		long status = handle(&rq, res, &nres);
		if (rq.items && (status || rq.op != PECAN_BDDS_SETUP))
			slot_clear(slot_before); /* memory nobody asked for */
		for (unsigned i = 0; i < nres; i++)
			u->mr[i] = res[i];
		set_receive_window();
		err = l4_ipc_reply_and_wait(pecan_msgtag((uint32_t)status, nres, 0, 0), &tag, &label,
					    PECAN_TIMEOUT_NEVER);
	}
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		printf("bdds: usage: bdds DEVICE... (rom/NAME or ram:SIZE)\n");
		return 1;
	}
	if (argc - 1 > BDDS_MAX_DEVICES) {
		printf("bdds: %d devices; at most %d\n", argc - 1, BDDS_MAX_DEVICES);
		return 1;
	}
	for (int i = 1; i < argc; i++) {
		/* a device that fails would shift the numbers of all after it */
		if (bdds_device_init(&devices[ndevices], ndevices, argv[i]))
			return 1;
		ndevices++;
	}
	spare_slot = 0;
	long err = bdds_guard_start();
	if (err) {
		printf("bdds: cannot start the fault guard: %s\n", l4_strerror(err));
		return 1;
	}
	printf("bdds: serving %u devices\n", ndevices);
	serve();
}
