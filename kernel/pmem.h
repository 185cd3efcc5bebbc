/* The physical frame allocator: 4 KiB frames of RAM, from the boot memory map. */
#ifndef KERNEL_PMEM_H
#define KERNEL_PMEM_H

#include <stdint.h>
#include "bootinfo.h"

#define PAGE_SIZE 4096ul

void pmem_init(const struct boot_info *bi);
/* A zeroed frame's physical address, or 0 when memory is exhausted. */
uint64_t pmem_alloc(void);
void pmem_free(uint64_t pa);
uint64_t pmem_free_frames(void);
uint64_t pmem_total_frames(void);

#endif
