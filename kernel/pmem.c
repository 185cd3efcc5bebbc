/* Physical frames: the kernel pool in a free list threaded through the physmap, user memory as ranges. */
#include "pmem.h"
#include "panic.h"
#include "string.h"
#include "console.h"
#include "arch/x86_64/layout.h"

extern const char __kernel_phys_start[], __kernel_end_phys[];

static uint64_t free_head;   /* physical address of the first free frame, 0 = none */
static uint64_t free_count;  /* frames on the free list */
static uint64_t total_count; /* frames of the kernel pool */
static struct pmem_range user[PMEM_MAX_USER_RANGES];
static unsigned nuser;
static uint64_t set_aside_start, set_aside_end; /* the contiguous block */

enum { KERNEL_POOL_MIN = 16ul << 20 };

static bool overlaps(uint64_t a, uint64_t b, uint64_t c, uint64_t d) { return a < d && c < b; }

static bool reserved(const struct boot_info *bi, uint64_t pa, uint64_t len)
{
	if (pa < 0x100000) /* the first MiB: BIOS data, real-mode leftovers */
		return true;
	if (overlaps(pa, pa + len, (uint64_t)__kernel_phys_start, (uint64_t)__kernel_end_phys))
		return true;
	if (overlaps(pa, pa + len, set_aside_start, set_aside_end))
		return true;
	for (unsigned i = 0; i < bi->nreserved; i++)
		if (overlaps(pa, pa + len, bi->reserved[i].start, bi->reserved[i].end))
			return true;
	return false;
}

static uint64_t set_aside(const struct boot_info *bi, uint64_t bytes)
{
	bytes = (bytes + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	for (unsigned r = 0; r < bi->nmemory; r++) {
		uint64_t start = (bi->memory[r].start + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
		for (uint64_t pa = start; pa + bytes <= bi->memory[r].end; pa += PAGE_SIZE)
			if (!reserved(bi, pa, bytes))
				return pa;
	}
	return 0;
}

static void add_user_frame(uint64_t pa)
{
	if (nuser && user[nuser - 1].end == pa) {
		user[nuser - 1].end += PAGE_SIZE;
		return;
	}
	if (nuser == PMEM_MAX_USER_RANGES)
		return; /* too fragmented: the frame is simply not used */
	user[nuser++] = (struct pmem_range){pa, pa + PAGE_SIZE};
}

void pmem_init(const struct boot_info *bi, uint64_t contiguous, uint64_t *contiguous_pa)
{
	uint64_t pa_block = set_aside(bi, contiguous);
	if (!pa_block)
		panic("no %lu KiB of contiguous free memory at boot", contiguous >> 10);
	set_aside_start = pa_block;
	set_aside_end = pa_block + ((contiguous + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1));
	*contiguous_pa = pa_block;

	uint64_t usable = 0;
	for (unsigned r = 0; r < bi->nmemory; r++)
		for (uint64_t pa = (bi->memory[r].start + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
		     pa + PAGE_SIZE <= bi->memory[r].end; pa += PAGE_SIZE)
			usable += !reserved(bi, pa, PAGE_SIZE);
	uint64_t pool = usable / 4;
	if (pool < KERNEL_POOL_MIN / PAGE_SIZE)
		pool = usable < KERNEL_POOL_MIN / PAGE_SIZE ? usable : KERNEL_POOL_MIN / PAGE_SIZE;

	/* Frames in address order: the first `pool` go to the kernel, the rest to user memory. */
	uint64_t seen = 0;
	for (unsigned r = 0; r < bi->nmemory; r++) {
		for (uint64_t pa = (bi->memory[r].start + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
		     pa + PAGE_SIZE <= bi->memory[r].end; pa += PAGE_SIZE) {
			if (reserved(bi, pa, PAGE_SIZE))
				continue;
			if (seen++ < pool) {
				pmem_free(pa);
				total_count++;
			} else {
				add_user_frame(pa);
			}
		}
	}
	if (free_count == 0)
		panic("no usable physical memory");
}

uint64_t pmem_alloc(void)
{
	uint64_t pa = free_head;
	if (!pa)
		return 0;
	free_head = *(uint64_t *)phys_to_virt(pa);
	free_count--;
	memset(phys_to_virt(pa), 0, PAGE_SIZE);
	return pa;
}

void pmem_free(uint64_t pa)
{
	assert(pa && (pa & (PAGE_SIZE - 1)) == 0 && pa < PHYSMAP_SIZE && !pmem_is_user(pa));
	*(uint64_t *)phys_to_virt(pa) = free_head;
	free_head = pa;
	free_count++;
}

uint64_t pmem_free_frames(void) { return free_count; }
uint64_t pmem_total_frames(void) { return total_count; }

unsigned pmem_user_ranges(const struct pmem_range **ranges)
{
	*ranges = user;
	return nuser;
}

bool pmem_is_user(uint64_t pa)
{
	for (unsigned i = 0; i < nuser; i++)
		if (pa >= user[i].start && pa < user[i].end)
			return true;
	return false;
}
