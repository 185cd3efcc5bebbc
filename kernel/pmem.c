/* Physical frames in a free list threaded through the physmap. */
#include "pmem.h"
#include "panic.h"
#include "string.h"
#include "console.h"
#include "arch/x86_64/layout.h"

extern const char __kernel_phys_start[], __kernel_end_phys[];

static uint64_t free_head;   /* physical address of the first free frame, 0 = none */
static uint64_t free_count;  /* frames on the free list */
static uint64_t total_count; /* frames the allocator ever managed */

static int reserved(const struct boot_info *bi, uint64_t pa)
{
	if (pa < 0x100000) /* the first MiB: BIOS data, real-mode leftovers */
		return 1;
	if (pa < (uint64_t)__kernel_end_phys && pa + PAGE_SIZE > (uint64_t)__kernel_phys_start)
		return 1;
	for (unsigned i = 0; i < bi->nreserved; i++)
		if (pa < bi->reserved[i].end && pa + PAGE_SIZE > bi->reserved[i].start)
			return 1;
	return 0;
}

void pmem_init(const struct boot_info *bi)
{
	for (unsigned r = 0; r < bi->nmemory; r++) {
		uint64_t start = (bi->memory[r].start + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
		uint64_t end = bi->memory[r].end & ~(PAGE_SIZE - 1);
		/* Push in descending order so that allocation starts at low addresses. */
		for (uint64_t pa = end; pa > start; pa -= PAGE_SIZE) {
			uint64_t frame = pa - PAGE_SIZE;
			if (reserved(bi, frame))
				continue;
			pmem_free(frame);
			total_count++;
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
	assert(pa && (pa & (PAGE_SIZE - 1)) == 0 && pa < PHYSMAP_SIZE);
	*(uint64_t *)phys_to_virt(pa) = free_head;
	free_head = pa;
	free_count++;
}

uint64_t pmem_free_frames(void) { return free_count; }
uint64_t pmem_total_frames(void) { return total_count; }
