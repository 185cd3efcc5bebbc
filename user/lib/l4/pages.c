/* Page allocation for boot programs: a bump pointer over the KIP's memory regions, plus a free list. */
#include "l4.h"
#include "pages.h"
#include "string.h"

static unsigned region;   /* KIP memory region the bump pointer is in */
static uint64_t next;     /* next never-used physical page in that region, 0 = not started */
static void *free_list;   /* pages given back, linked through their first word */

void *l4_page_alloc(void)
{
	if (free_list) {
		void *p = free_list;
		free_list = *(void **)p;
		memset(p, 0, 4096);
		return p;
	}
	const struct pecan_kip *kip = l4_kip();
	while (region < kip->nmem) {
		if (next < kip->mem[region].start)
			next = (kip->mem[region].start + 4095) & ~4095ull;
		if (next + 4096 <= kip->mem[region].end) {
			void *p = l4_phys_to_window(next);
			next += 4096;
			/* the window shows memory as it is: an earlier boot program may have used it */
			memset(p, 0, 4096);
			return p;
		}
		region++;
		next = 0;
	}
	return 0;
}

void l4_page_free(void *page)
{
	*(void **)page = free_list;
	free_list = page;
}
