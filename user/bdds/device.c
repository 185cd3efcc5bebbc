/* bdds devices: a boot module (rom/NAME, read-only) or a zero-filled RAM disk (ram:SIZE), mapped into bdds. */
#include "bdds.h"
#include "l4.h"
#include "stdio.h"
#include "string.h"
#include "l4/re/env.h"
#include "pecan/rt/env.h"
#include "pecan/rt/mem.h"

#define PAGE_SIZE 4096ull
#define MAP_MAX_ORDER 30 /* larger chunks than 1 GiB are not worth trying */

/* Parses SIZE of ram:SIZE: decimal with an optional K, M or G suffix.
 * Returns false for anything else, 0, or more than a device can hold. */
static bool parse_size(const char *s, uint64_t *bytes)
{
	uint64_t v = 0;
	if (*s < '0' || *s > '9')
		return false;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (v > (BDDS_DEVICE_MAX_BYTES - (uint64_t)(*s - '0')) / 10)
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	unsigned shift = 0;
	if (*s == 'K' || *s == 'k')
		shift = 10;
	else if (*s == 'M' || *s == 'm')
		shift = 20;
	else if (*s == 'G' || *s == 'g')
		shift = 30;
	if (shift)
		s++;
	if (*s || v == 0 || v > (BDDS_DEVICE_MAX_BYTES >> shift))
		return false;
	*bytes = v << shift;
	return true;
}

/*
 * Maps size bytes (rounded up to pages) of dataspace ds at base, which is
 * aligned to BDDS_DEVICE_STRIDE: in naturally aligned power-of-two chunks,
 * each as large as the alignment and the rest allow. A chunk order the
 * roottask refuses is retried smaller, down to one page.
 */
static long map_dataspace(uint64_t ds, uint64_t size, uint64_t base)
{
	uint64_t end = (size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	for (uint64_t off = 0; off < end;) {
		unsigned order = PECAN_PAGE_ORDER;
		while (order < MAP_MAX_ORDER && (off & ((1ull << (order + 1)) - 1)) == 0 &&
		       off + (1ull << (order + 1)) <= end)
			order++;
		long err;
		while ((err = l4re_ds_map(ds, off, order, base + off)) != PECAN_OK && order > PECAN_PAGE_ORDER)
			order--;
		if (err)
			return err;
		off += 1ull << order;
	}
	return PECAN_OK;
}

long bdds_device_init(struct bdds_device *d, unsigned i, const char *spec)
{
	memset(d, 0, sizeof(*d));
	d->spec = spec;
	d->slot = BDDS_NO_SLOT;
	d->ds = PECAN_RT_CAP_FIRST_FREE + i;
	d->data = (uint8_t *)(BDDS_DEVICE_BASE + i * BDDS_DEVICE_STRIDE);

	long err;
	uint64_t size = 0, flags = 0;
	if (strlen(spec) > 4 && memcmp(spec, "rom/", 4) == 0) {
		d->readonly = true;
		err = l4re_ns_query(spec, d->ds);
		if (err) {
			printf("bdds: device %u: no module %s: %s\n", i, spec, l4_strerror(err));
			return err;
		}
		err = l4re_ds_info(d->ds, &size, &flags);
		if (err) {
			printf("bdds: device %u: %s: info: %s\n", i, spec, l4_strerror(err));
			return err;
		}
		if (size > BDDS_DEVICE_MAX_BYTES) {
			printf("bdds: device %u: %s: %llu bytes is too large\n", i, spec, (unsigned long long)size);
			return PECAN_ERANGE;
		}
	} else if (memcmp(spec, "ram:", 4) == 0) {
		if (!parse_size(spec + 4, &size)) {
			printf("bdds: device %u: bad size in %s (decimal, K/M/G suffix, at most 4G)\n", i, spec);
			return PECAN_EINVAL;
		}
		/* whole pages, so that the padding of the last block is ours */
		err = l4re_ds_alloc((size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1), d->ds);
		if (err) {
			printf("bdds: device %u: %s: alloc: %s\n", i, spec, l4_strerror(err));
			return err;
		}
	} else {
		printf("bdds: device %u: %s is neither rom/NAME nor ram:SIZE\n", i, spec);
		return PECAN_EINVAL;
	}
	d->bytes = size;
	d->blocks = (size + PECAN_BDDS_BLOCK_SIZE - 1) / PECAN_BDDS_BLOCK_SIZE;
	if (size) {
		err = map_dataspace(d->ds, size, (uint64_t)d->data);
		if (err) {
			printf("bdds: device %u: %s: map: %s\n", i, spec, l4_strerror(err));
			return err;
		}
	}
	printf("bdds: device %u: %s, %llu blocks (%llu bytes), %s\n", i, spec, (unsigned long long)d->blocks,
	       (unsigned long long)d->bytes, d->readonly ? "read-only" : "read-write");
	return PECAN_OK;
}
