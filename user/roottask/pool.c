/* The roottask's physical memory: free ranges of the user memory the kernel info page lists. */
#include "roottask.h"

#define MAX_RANGES 128

struct range {
	uint64_t start, end;
};

static struct range ranges[MAX_RANGES]; /* free, sorted by start, never touching */
static unsigned nranges;

static void remove_at(unsigned i)
{
	for (; i + 1 < nranges; i++)
		ranges[i] = ranges[i + 1];
	nranges--;
}

static bool insert_at(unsigned i, uint64_t start, uint64_t end)
{
	if (nranges == MAX_RANGES)
		return false;
	for (unsigned j = nranges; j > i; j--)
		ranges[j] = ranges[j - 1];
	ranges[i] = (struct range){start, end};
	nranges++;
	return true;
}

void pool_init(const struct pecan_kip *kip)
{
	for (unsigned i = 0; i < kip->nmem && i < PECAN_KIP_MAX_MEM; i++) {
		uint64_t s = (kip->mem[i].start + 4095) & ~4095ull, e = kip->mem[i].end & ~4095ull;
		if (s < e)
			pool_free(s, e - s);
	}
}

uint64_t pool_alloc(uint64_t size, uint64_t align)
{
	size = (size + 4095) & ~4095ull;
	if (align < 4096)
		align = 4096;
	for (unsigned i = 0; i < nranges; i++) {
		uint64_t s = (ranges[i].start + align - 1) & ~(align - 1);
		if (s < ranges[i].start || s >= ranges[i].end || ranges[i].end - s < size)
			continue;
		uint64_t e = s + size;
		struct range r = ranges[i];
		/* keep what is left on both sides */
		if (r.start < s && e < r.end) {
			if (!insert_at(i + 1, e, r.end))
				continue; /* no room to split: try elsewhere */
			ranges[i].end = s;
		} else if (r.start < s) {
			ranges[i].end = s;
		} else if (e < r.end) {
			ranges[i].start = e;
		} else {
			remove_at(i);
		}
		return s;
	}
	return ~0ull;
}

void pool_free(uint64_t pa, uint64_t size)
{
	size = (size + 4095) & ~4095ull;
	uint64_t end = pa + size;
	unsigned i = 0;
	while (i < nranges && ranges[i].start < pa)
		i++;
	bool join_prev = i > 0 && ranges[i - 1].end == pa;
	bool join_next = i < nranges && ranges[i].start == end;
	if (join_prev && join_next) {
		ranges[i - 1].end = ranges[i].end;
		remove_at(i);
	} else if (join_prev) {
		ranges[i - 1].end = end;
	} else if (join_next) {
		ranges[i].start = pa;
	} else if (!insert_at(i, pa, end)) {
		rt_log("memory pool: too fragmented, %lu KiB lost", size >> 10);
	}
}

uint64_t pool_free_bytes(void)
{
	uint64_t n = 0;
	for (unsigned i = 0; i < nranges; i++)
		n += ranges[i].end - ranges[i].start;
	return n;
}
