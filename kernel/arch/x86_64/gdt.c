/* The GDT with kernel and user segments, and the TSS that holds the kernel stack for user entries. */
#include <stdint.h>
#include "gdt.h"
#include "layout.h"
#include "../../string.h"

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

static struct tss tss;
/* null, kernel code, kernel data, user data, user code, TSS (two slots).
 * The user data/code order is what sysret expects (STAR: base+8 = SS, base+16 = CS). */
static uint64_t gdt[7];
static uint8_t double_fault_stack[4096] __attribute__((aligned(16)));
static uint8_t nmi_stack[4096] __attribute__((aligned(16)));

enum {
	SEG_P = 1ull << 47, SEG_S = 1ull << 44, SEG_CODE = 1ull << 43, SEG_RW = 1ull << 41,
	SEG_L = 1ull << 53, SEG_DB = 1ull << 54, SEG_G = 1ull << 55,
	SEG_LIMIT = 0x000f00000000ffffull,
};
#define SEG_DPL(n) ((uint64_t)(n) << 45)

void gdt_init(void)
{
	gdt[0] = 0;
	gdt[SEL_KCODE >> 3] = SEG_P | SEG_S | SEG_CODE | SEG_RW | SEG_L | SEG_G | SEG_LIMIT;
	gdt[SEL_KDATA >> 3] = SEG_P | SEG_S | SEG_RW | SEG_DB | SEG_G | SEG_LIMIT;
	gdt[SEL_UDATA >> 3] = SEG_P | SEG_S | SEG_RW | SEG_DB | SEG_G | SEG_LIMIT | SEG_DPL(3);
	gdt[SEL_UCODE >> 3] = SEG_P | SEG_S | SEG_CODE | SEG_RW | SEG_L | SEG_G | SEG_LIMIT | SEG_DPL(3);

	memset(&tss, 0, sizeof(tss));
	tss.ist[IST_DOUBLE_FAULT - 1] = (uint64_t)(double_fault_stack + sizeof(double_fault_stack));
	tss.ist[IST_NMI - 1] = (uint64_t)(nmi_stack + sizeof(nmi_stack));
	tss.iomap_base = sizeof(tss); /* no I/O bitmap: user port I/O faults */
	uint64_t base = (uint64_t)&tss, limit = sizeof(tss) - 1;
	gdt[SEL_TSS >> 3] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x9ull << 40) | SEG_P |
			    (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[(SEL_TSS >> 3) + 1] = base >> 32;

	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) gdtr = {sizeof(gdt) - 1, (uint64_t)gdt};
	__asm__ volatile("lgdt %0\n"
			 "pushq %1\n"
			 "leaq 1f(%%rip), %%rax\n"
			 "pushq %%rax\n"
			 "lretq\n"
			 "1: mov %2, %%ax\n"
			 "mov %%ax, %%ds\n"
			 "mov %%ax, %%es\n"
			 "mov %%ax, %%ss\n"
			 "ltr %w3\n"
			 :
			 : "m"(gdtr), "i"(SEL_KCODE), "i"(SEL_KDATA), "r"(SEL_TSS)
			 : "rax", "memory");
}

void gdt_set_kernel_stack(uint64_t top) { tss.rsp[0] = top; }
