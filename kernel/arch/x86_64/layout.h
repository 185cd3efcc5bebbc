/* The kernel's virtual memory layout and the selectors of its GDT. */
#ifndef ARCH_LAYOUT_H
#define ARCH_LAYOUT_H

/*
 * 0x0000000000000000 .. 0x00007fffffffffff  user space (the lower half)
 * 0xffff800000000000 .. +4 GiB              physmap: all physical memory below 4 GiB, 1:1
 * 0xffffffff80000000 .. +1 GiB              kernel image (linked at KERNEL_VMA + 1 MiB)
 */
#define KERNEL_VMA 0xffffffff80000000
#define PHYSMAP_BASE 0xffff800000000000
#define PHYSMAP_SIZE 0x100000000 /* 4 GiB, the range the boot page tables cover */
#define USER_TOP 0x0000800000000000

#define SEL_KCODE 0x08
#define SEL_KDATA 0x10
#define SEL_UDATA 0x1b /* 0x18 | RPL 3 */
#define SEL_UCODE 0x23 /* 0x20 | RPL 3 */
#define SEL_TSS 0x28

#define KSTACK_SIZE 16384

#ifndef __ASSEMBLER__
#include <stdint.h>
static inline void *phys_to_virt(uint64_t pa) { return (void *)(pa + PHYSMAP_BASE); }
static inline uint64_t virt_to_phys(const void *va)
{
	uint64_t v = (uint64_t)va;
	return v >= KERNEL_VMA ? v - KERNEL_VMA : v - PHYSMAP_BASE;
}
#endif

#endif
