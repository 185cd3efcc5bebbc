/*
 * lx's capability selectors. Every process is an L4 task at a selector of
 * lx's capability space, and so is every thread, IRQ and dataspace lx makes:
 * the selectors of ended processes must come back, or lx runs out of them
 * after a few thousand forks. A bitmap over the whole space; the search
 * starts after the last selector handed out, so a freed one is reused late.
 */
#include "sel.h"
#include "lx.h"

/* Below this, the runtime's fixed capabilities (PECAN_RT_CAP_*). */
#define SEL_FIRST 64

static uint64_t used[PECAN_CAP_SPACE_SIZE / 64];
static unsigned next = SEL_FIRST, in_use;

uint64_t lx_sel_alloc(void)
{
	for (unsigned k = 0; k < PECAN_CAP_SPACE_SIZE - SEL_FIRST; k++) {
		unsigned s = next + k;
		if (s >= PECAN_CAP_SPACE_SIZE)
			s -= PECAN_CAP_SPACE_SIZE - SEL_FIRST;
		if (!(used[s / 64] & (1ull << (s % 64)))) {
			used[s / 64] |= 1ull << (s % 64);
			next = s + 1 < PECAN_CAP_SPACE_SIZE ? s + 1 : SEL_FIRST;
			in_use++;
			return s;
		}
	}
	return 0;
}

void lx_sel_free(uint64_t sel)
{
	if (sel < SEL_FIRST || sel >= PECAN_CAP_SPACE_SIZE || !(used[sel / 64] & (1ull << (sel % 64))))
		return;
	l4_task_unmap(PECAN_RT_CAP_TASK, pecan_fpage_cap(sel, 0, PECAN_CAP_RWD), PECAN_UNMAP_SELF);
	used[sel / 64] &= ~(1ull << (sel % 64));
	in_use--;
}

unsigned lx_sel_used(void) { return in_use; }
