/* Symbol lookup over the table that tools/gen-ksyms.sh generates at link time. */
#include "ksyms.h"

/* Layout emitted by tools/gen-ksyms.sh: sorted by address. */
struct ksym {
	uint64_t addr;
	const char *name;
};
extern const struct ksym ksyms_table[];
extern const uint64_t ksyms_count;
extern const char __text_start[], __text_end[];

const char *ksyms_lookup(uint64_t addr, uint64_t *offset)
{
	if (addr < (uint64_t)__text_start || addr >= (uint64_t)__text_end || ksyms_count == 0)
		return 0;
	/* binary search for the last symbol at or below addr */
	uint64_t lo = 0, hi = ksyms_count;
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (ksyms_table[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	if (ksyms_table[lo].addr > addr)
		return 0;
	*offset = addr - ksyms_table[lo].addr;
	return ksyms_table[lo].name;
}
