/* bddscheck: the bdds scenario's client: reads a boot module through bdds and directly, tries every error, writes and reads a RAM disk. */
#include <stdbool.h>
#include "l4.h"
#include "stdio.h"
#include "string.h"
#include "l4/re/env.h"
#include "l4/re/c/bdds.h"
#include "pecan/rt/env.h"

/*
 * bdds was started with `rom/bdds_image ram:64K` (conf/bdds.cfg); disk0 and
 * disk1 are its gates for those devices. argv[1] names the module.
 */
enum {
	SEL_BUFFER = PECAN_RT_CAP_FIRST_FREE, /* the buffer's dataspace */
	SEL_ROM,                              /* the module's, read directly */
	BUFFER_ORDER = 14,
	BUFFER_BLOCKS = (1 << BUFFER_ORDER) / PECAN_BDDS_BLOCK_SIZE,
	RAM_BLOCKS = 64 * 1024 / PECAN_BDDS_BLOCK_SIZE,
};
#define BUFFER_ADDR 0x0000200000000000ull
#define ROM_ADDR 0x0000210000000000ull
#define UNMAPPED_ADDR 0x0000220000000000ull /* nothing is mapped here */
#define RAW_TIMEOUT_US 2000000ull /* raw calls: bdds replies at once */

static uint8_t *buffer = (uint8_t *)BUFFER_ADDR;
static const char *rom_name;
static int failures;

static void fail(const char *what, long got, long want)
{
	printf("bddscheck: FAIL %s: got %s (%ld), expected %s\n", what, l4_strerror(got), got, l4_strerror(want));
	failures++;
}

static bool expect(const char *what, long got, long want)
{
	if (got != want)
		fail(what, got, want);
	return got == want;
}

/* 64-bit FNV-1a, continued from h. */
static uint64_t fnv1a(uint64_t h, const uint8_t *p, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}
#define FNV_BASIS 0xcbf29ce484222325ull

/* A raw call to a device: op with words from MR[0..] already set and the
 * given typed items after them; returns the IPC error or the status. */
static long raw_call(uint64_t dev, unsigned op, unsigned words, unsigned items)
{
	pecan_msgtag_t rtag;
	long err = l4_ipc_call(dev, pecan_msgtag(op, words, items, 0), RAW_TIMEOUT_US, &rtag);
	return err ? err : (long)pecan_msgtag_label(rtag);
}

/* The module read directly: mapped page-sized chunk by chunk at ROM_ADDR. */
static bool rom_direct(uint64_t *size, uint64_t *sum)
{
	long err = l4re_ns_query(rom_name, SEL_ROM);
	uint64_t flags = 0;
	if (!expect("ns_query of the module", err, PECAN_OK) ||
	    !expect("ds_info of the module", l4re_ds_info(SEL_ROM, size, &flags), PECAN_OK))
		return false;
	for (uint64_t off = 0; off < *size; off += 4096)
		if (!expect("ds_map of the module", l4re_ds_map(SEL_ROM, off, 12, ROM_ADDR + off), PECAN_OK))
			return false;
	*sum = fnv1a(FNV_BASIS, (const uint8_t *)ROM_ADDR, *size);
	return true;
}

/* Device 0 through bdds, in buffer-sized runs; checks the padding is zero. */
static bool rom_via_bdds(uint64_t disk0, uint64_t size, uint64_t *sum)
{
	uint64_t blocks = 0, bs = 0;
	int ro = 0;
	if (!expect("INFO disk0", l4re_bdds_info(disk0, &blocks, &bs, &ro), PECAN_OK))
		return false;
	uint64_t want_blocks = (size + PECAN_BDDS_BLOCK_SIZE - 1) / PECAN_BDDS_BLOCK_SIZE;
	if (blocks != want_blocks || bs != PECAN_BDDS_BLOCK_SIZE || !ro) {
		printf("bddscheck: FAIL INFO disk0: %llu blocks of %llu, ro %d; expected %llu of %d, ro 1\n",
		       (unsigned long long)blocks, (unsigned long long)bs, ro, (unsigned long long)want_blocks,
		       PECAN_BDDS_BLOCK_SIZE);
		failures++;
		return false;
	}
	*sum = FNV_BASIS;
	for (uint64_t first = 0; first < blocks; first += BUFFER_BLOCKS) {
		uint64_t count = blocks - first < BUFFER_BLOCKS ? blocks - first : BUFFER_BLOCKS;
		if (!expect("READ disk0", l4re_bdds_read(disk0, first, count), PECAN_OK))
			return false;
		uint64_t off = first * PECAN_BDDS_BLOCK_SIZE, len = count * PECAN_BDDS_BLOCK_SIZE;
		uint64_t real = off + len <= size ? len : size - off;
		*sum = fnv1a(*sum, buffer, real);
		for (uint64_t i = real; i < len; i++)
			if (buffer[i]) {
				printf("bddscheck: FAIL padding byte %llu of disk0 is %u\n",
				       (unsigned long long)(off + i), buffer[i]);
				failures++;
				return false;
			}
	}
	return true;
}

/* Every error the protocol documents, on device 0; bdds must keep serving. */
static void robustness(uint64_t disk0, uint64_t blocks)
{
	struct pecan_utcb *u = pecan_utcb();
	expect("READ first = blocks", l4re_bdds_read(disk0, blocks, 1), PECAN_ERANGE);
	expect("READ last block + 1", l4re_bdds_read(disk0, blocks - 1, 2), PECAN_ERANGE);
	expect("READ first + count overflows", l4re_bdds_read(disk0, ~0ull, 2), PECAN_ERANGE);
	expect("READ count 0", l4re_bdds_read(disk0, 0, 0), PECAN_EINVAL);
	expect("READ count > buffer", l4re_bdds_read(disk0, 0, BUFFER_BLOCKS + 1), PECAN_EINVAL);
	expect("READ huge count", l4re_bdds_read(disk0, 1, ~0ull), PECAN_EINVAL);
	expect("WRITE to rom", l4re_bdds_write(disk0, 0, 1), PECAN_EPERM);

	expect("unknown op 99", raw_call(disk0, 99, 0, 0), PECAN_ENOSYS);
	expect("op 0", raw_call(disk0, 0, 0, 0), PECAN_ENOSYS);
	u->mr[0] = 0;
	expect("READ with one word", raw_call(disk0, PECAN_BDDS_READ, 1, 0), PECAN_EINVAL);
	expect("WRITE without words", raw_call(disk0, PECAN_BDDS_WRITE, 0, 0), PECAN_EINVAL);
	expect("SETUP without item", raw_call(disk0, PECAN_BDDS_SETUP, 0, 0), PECAN_EINVAL);

	/* a valid map item where none belongs: bdds receives and drops it */
	u->mr[0] = 0;
	u->mr[1] = 1;
	u->mr[2] = pecan_item_word0(PECAN_ITEM_MAP, 0);
	u->mr[3] = pecan_fpage_mem(BUFFER_ADDR, 12, PECAN_FPAGE_R | PECAN_FPAGE_W);
	expect("READ with a map item", raw_call(disk0, PECAN_BDDS_READ, 2, 1), PECAN_EINVAL);
	u->mr[0] = pecan_item_word0(PECAN_ITEM_MAP, 0);
	u->mr[1] = pecan_fpage_mem(BUFFER_ADDR, 12, PECAN_FPAGE_R | PECAN_FPAGE_W);
	expect("INFO with a map item", raw_call(disk0, PECAN_BDDS_INFO, 0, 1), PECAN_EINVAL);
	/* SETUPs that bdds refuses: the buffer stays the one it had */
	u->mr[0] = pecan_item_word0(PECAN_ITEM_MAP, 0);
	u->mr[1] = pecan_fpage_mem(BUFFER_ADDR, 12, PECAN_FPAGE_R);
	expect("SETUP read-only buffer", raw_call(disk0, PECAN_BDDS_SETUP, 0, 1), PECAN_EINVAL);
	for (int i = 0; i < 2; i++) {
		u->mr[2 * i] = pecan_item_word0(PECAN_ITEM_MAP, 0);
		u->mr[2 * i + 1] = pecan_fpage_mem(BUFFER_ADDR, 12, PECAN_FPAGE_R | PECAN_FPAGE_W);
	}
	expect("SETUP with two items", raw_call(disk0, PECAN_BDDS_SETUP, 0, 2), PECAN_EINVAL);
	/* items the kernel refuses: the IPC fails for both sides, bdds waits again */
	u->mr[0] = 0x7; /* no such item type */
	u->mr[1] = pecan_fpage_mem(BUFFER_ADDR, 12, PECAN_FPAGE_R | PECAN_FPAGE_W);
	expect("bogus item type", raw_call(disk0, PECAN_BDDS_SETUP, 0, 1), PECAN_EINVAL);
	u->mr[0] = pecan_item_word0(PECAN_ITEM_MAP, 0);
	u->mr[1] = pecan_fpage_cap(SEL_BUFFER, 0, PECAN_CAP_R);
	expect("capability item", raw_call(disk0, PECAN_BDDS_SETUP, 0, 1), PECAN_ERANGE);
	u->mr[0] = pecan_item_word0(PECAN_ITEM_MAP, 0);
	u->mr[1] = pecan_fpage_mem(BUFFER_ADDR & ~((1ull << 20) - 1), 20, PECAN_FPAGE_R | PECAN_FPAGE_W);
	expect("SETUP 1 MiB buffer", raw_call(disk0, PECAN_BDDS_SETUP, 0, 1), PECAN_ERANGE);
}

/* Device 1: zero at first, then a pattern written and read back. */
static void ram_disk(uint64_t disk1)
{
	uint64_t blocks = 0, bs = 0;
	int ro = 1;
	if (!expect("INFO disk1", l4re_bdds_info(disk1, &blocks, &bs, &ro), PECAN_OK))
		return;
	if (blocks != RAM_BLOCKS || bs != PECAN_BDDS_BLOCK_SIZE || ro) {
		printf("bddscheck: FAIL INFO disk1: %llu blocks of %llu, ro %d; expected %d of %d, ro 0\n",
		       (unsigned long long)blocks, (unsigned long long)bs, ro, RAM_BLOCKS, PECAN_BDDS_BLOCK_SIZE);
		failures++;
		return;
	}
	expect("READ disk1 before SETUP", l4re_bdds_read(disk1, 0, 1), PECAN_EBUSY);
	if (!expect("SETUP disk1", l4re_bdds_setup(disk1, buffer, BUFFER_ORDER), PECAN_OK))
		return;
	memset(buffer, 0xee, 1 << BUFFER_ORDER);
	if (!expect("READ disk1 fresh", l4re_bdds_read(disk1, 0, BUFFER_BLOCKS), PECAN_OK))
		return;
	for (unsigned i = 0; i < 1 << BUFFER_ORDER; i++)
		if (buffer[i]) {
			printf("bddscheck: FAIL fresh RAM disk byte %u is %u\n", i, buffer[i]);
			failures++;
			return;
		}
	for (uint64_t first = 0; first < blocks; first += BUFFER_BLOCKS) {
		for (uint64_t i = 0; i < (1ull << BUFFER_ORDER); i++)
			buffer[i] = (uint8_t)((first * PECAN_BDDS_BLOCK_SIZE + i) * 7 + 3);
		if (!expect("WRITE disk1", l4re_bdds_write(disk1, first, BUFFER_BLOCKS), PECAN_OK))
			return;
	}
	expect("WRITE disk1 past the end", l4re_bdds_write(disk1, blocks - 1, 2), PECAN_ERANGE);
	/* read back in odd runs, so runs and blocks cross */
	for (uint64_t first = 0; first < blocks;) {
		uint64_t count = blocks - first < 5 ? blocks - first : 5;
		memset(buffer, 0, count * PECAN_BDDS_BLOCK_SIZE);
		if (!expect("READ disk1", l4re_bdds_read(disk1, first, count), PECAN_OK))
			return;
		for (uint64_t i = 0; i < count * PECAN_BDDS_BLOCK_SIZE; i++)
			if (buffer[i] != (uint8_t)((first * PECAN_BDDS_BLOCK_SIZE + i) * 7 + 3)) {
				printf("bddscheck: FAIL RAM disk byte %llu reads %u\n",
				       (unsigned long long)(first * PECAN_BDDS_BLOCK_SIZE + i), buffer[i]);
				failures++;
				return;
			}
		first += count;
	}
	printf("bddscheck: ram disk ok\n");
}

/* Buffers bdds cannot use (not mapped, or mapped read-only): the request
 * fails with PECAN_EFAULT, bdds drops the buffer and keeps serving. Block 0
 * of disk1 is undefined afterwards (a failed WRITE). */
static void bad_buffers(uint64_t disk1)
{
	expect("SETUP unmapped buffer", l4re_bdds_setup(disk1, (void *)UNMAPPED_ADDR, 12), PECAN_OK);
	expect("READ into unmapped buffer", l4re_bdds_read(disk1, 0, 1), PECAN_EFAULT);
	expect("READ after a dropped buffer", l4re_bdds_read(disk1, 0, 1), PECAN_EBUSY);
	expect("SETUP read-only mapped buffer", l4re_bdds_setup(disk1, (void *)ROM_ADDR, 12), PECAN_OK);
	expect("READ into read-only buffer", l4re_bdds_read(disk1, 0, 1), PECAN_EFAULT);
	expect("SETUP unmapped buffer again", l4re_bdds_setup(disk1, (void *)UNMAPPED_ADDR, 12), PECAN_OK);
	expect("WRITE from unmapped buffer", l4re_bdds_write(disk1, 0, 1), PECAN_EFAULT);
	if (expect("SETUP disk1 again", l4re_bdds_setup(disk1, buffer, BUFFER_ORDER), PECAN_OK) &&
	    expect("READ disk1 after bad buffers", l4re_bdds_read(disk1, 1, 1), PECAN_OK) &&
	    buffer[0] == (uint8_t)(PECAN_BDDS_BLOCK_SIZE * 7 + 3))
		printf("bddscheck: bad buffers refused\n");
	else {
		printf("bddscheck: FAIL disk1 after bad buffers\n");
		failures++;
	}
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		printf("bddscheck: FAIL usage: bddscheck rom/NAME\n");
		return 1;
	}
	rom_name = argv[1];
	uint64_t disk0 = l4re_env_get_cap("disk0"), disk1 = l4re_env_get_cap("disk1");
	if (!disk0 || !disk1) {
		printf("bddscheck: FAIL no disk0/disk1 capability\n");
		return 1;
	}
	if (!expect("ds_alloc buffer", l4re_ds_alloc(1 << BUFFER_ORDER, SEL_BUFFER), PECAN_OK) ||
	    !expect("ds_map buffer", l4re_ds_map(SEL_BUFFER, 0, BUFFER_ORDER, BUFFER_ADDR), PECAN_OK))
		return 1;

	uint64_t size = 0, sum_direct = 0, sum_bdds = 0;
	if (!rom_direct(&size, &sum_direct))
		return 1;
	expect("READ disk0 before SETUP", l4re_bdds_read(disk0, 0, 1), PECAN_EBUSY);
	if (!expect("SETUP disk0", l4re_bdds_setup(disk0, buffer, BUFFER_ORDER), PECAN_OK))
		return 1;
	if (!rom_via_bdds(disk0, size, &sum_bdds))
		return 1;
	printf("bddscheck: %s via bdds: %llu bytes, checksum 0x%016llx\n", rom_name, (unsigned long long)size,
	       (unsigned long long)sum_bdds);
	printf("bddscheck: %s via rom/: %llu bytes, checksum 0x%016llx\n", rom_name, (unsigned long long)size,
	       (unsigned long long)sum_direct);
	if (sum_bdds != sum_direct) {
		printf("bddscheck: FAIL checksums differ\n");
		return 1;
	}
	printf("bddscheck: checksums match\n");

	uint64_t blocks = (size + PECAN_BDDS_BLOCK_SIZE - 1) / PECAN_BDDS_BLOCK_SIZE;
	robustness(disk0, blocks);
	uint64_t sum_again = 0;
	if (rom_via_bdds(disk0, size, &sum_again) && sum_again == sum_direct)
		printf("bddscheck: server still serving\n");
	else {
		printf("bddscheck: FAIL disk0 reads differently after the errors\n");
		failures++;
	}

	ram_disk(disk1);
	bad_buffers(disk1);
	if (failures) {
		printf("bddscheck: FAIL %d checks\n", failures);
		return 1;
	}
	printf("bddscheck: PASS\n");
	return 0;
}
