/* Physical memory: the kernel's frame pool, and the user memory boot programs own. */
#ifndef KERNEL_PMEM_H
#define KERNEL_PMEM_H

#include <stdbool.h>
#include <stdint.h>
#include "bootinfo.h"

#define PAGE_SIZE 4096ul
#define PMEM_MAX_USER_RANGES 16

struct pmem_range {
	uint64_t start, end;
};

/*
 * Splits usable RAM: the lowest quarter (at least what the kernel needs)
 * becomes the kernel's frame pool, for kernel objects, page tables and
 * boot program images; the rest is user memory, handed whole to the running
 * boot program through its physical window. Before that it sets aside
 * `contiguous` bytes in one piece (for the mapping database) and returns
 * their physical address through *contiguous_pa.
 */
void pmem_init(const struct boot_info *bi, uint64_t contiguous, uint64_t *contiguous_pa);
/* A zeroed frame of the kernel pool, or 0 when it is exhausted. */
uint64_t pmem_alloc(void);
void pmem_free(uint64_t pa);
uint64_t pmem_free_frames(void);
uint64_t pmem_total_frames(void);
/* User memory: the ranges, and whether a frame is one of them. */
unsigned pmem_user_ranges(const struct pmem_range **ranges);
bool pmem_is_user(uint64_t pa);

#endif
