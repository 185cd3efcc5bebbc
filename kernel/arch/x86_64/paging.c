/* Page-table management: build, walk and free the user half of address spaces. */
#include "paging.h"
#include "cpu.h"
#include "layout.h"
#include "switch.h"
#include "../../panic.h"

extern uint64_t boot_pml4[]; /* boot.S: lies in the identity-mapped boot section */

static uint64_t kernel_pml4;  /* physical address; user half empty */
static uint64_t nx_bit;       /* PTE_NX when EFER.NXE is on, else 0 */

static uint64_t *table(uint64_t pa) { return phys_to_virt(pa & PTE_ADDR); }

uint64_t paging_nx_bit(void) { return nx_bit; }

void paging_init(void)
{
	/* boot_pml4's link address is its physical address (boot section). */
	kernel_pml4 = (uint64_t)boot_pml4;
	uint64_t *pml4 = table(kernel_pml4);
	pml4[0] = 0; /* drop the identity map: the lower half belongs to user space */
	write_cr3(kernel_pml4);
	arch_note_cr3(kernel_pml4);
	nx_bit = (rdmsr(MSR_EFER) & EFER_NXE) ? PTE_NX : 0;
}

void as_init(struct address_space *as, void *pml4_page)
{
	uint64_t *dst = pml4_page, *src = table(kernel_pml4);
	for (int i = 256; i < 512; i++)
		dst[i] = src[i];
	as->pml4 = virt_to_phys(pml4_page);
}

uint64_t *as_pte(const struct address_space *as, uint64_t va, pt_alloc_fn alloc, void *ctx)
{
	assert(va < USER_TOP);
	uint64_t *t = table(as->pml4);
	for (int level = 3; level > 0; level--) {
		uint64_t *e = &t[(va >> (12 + 9 * level)) & 511];
		if (!(*e & PTE_P)) {
			void *page = alloc ? alloc(ctx) : 0;
			if (!page)
				return 0;
			*e = virt_to_phys(page) | PTE_P | PTE_W | PTE_U;
		}
		t = table(*e);
	}
	return &t[(va >> 12) & 511];
}

/* Visits the entries of one table that overlap [start, end): only those,
 * so that walking one page costs a few steps, not the whole table. */
static void walk_level(uint64_t table_pa, int level, uint64_t base, uint64_t start, uint64_t end,
		       void (*fn)(void *, uint64_t, uint64_t *), void *ctx)
{
	uint64_t *t = table(table_pa);
	unsigned shift = 12 + 9 * (unsigned)level;
	uint64_t span = 1ull << shift;
	unsigned first = start > base ? (unsigned)((start - base) >> shift) : 0;
	unsigned last = end - base >= 512 * span ? 511 : (unsigned)((end - 1 - base) >> shift);
	for (unsigned i = first; i <= last; i++) {
		if (!(t[i] & PTE_P))
			continue;
		uint64_t lo = base + (uint64_t)i * span;
		if (level == 0)
			fn(ctx, lo, &t[i]);
		else
			walk_level(t[i] & PTE_ADDR, level - 1, lo, start, end, fn, ctx);
	}
}

void as_walk(const struct address_space *as, uint64_t start, uint64_t end,
	     void (*fn)(void *ctx, uint64_t va, uint64_t *pte), void *ctx)
{
	if (end > USER_TOP)
		end = USER_TOP;
	if (start >= end)
		return;
	/* the user half is the lower 256 entries of the PML4; recursion is
	 * bounded by the four levels */
	walk_level(as->pml4, 3, 0, start, end, fn, ctx);
}

static void free_level(uint64_t pa, int level, pt_free_fn free, void *ctx)
{
	uint64_t *t = table(pa);
	if (level > 0)
		for (int i = 0; i < 512; i++)
			if (t[i] & PTE_P)
				free_level(t[i] & PTE_ADDR, level - 1, free, ctx);
	free(ctx, t);
}

void as_free_tables(struct address_space *as, pt_free_fn free, void *ctx)
{
	if (read_cr3() == as->pml4) {
		write_cr3(kernel_pml4);
		arch_note_cr3(kernel_pml4);
	}
	uint64_t *pml4 = table(as->pml4);
	for (int i = 0; i < 256; i++)
		if (pml4[i] & PTE_P)
			free_level(pml4[i] & PTE_ADDR, 2, free, ctx);
	free(ctx, pml4);
	as->pml4 = 0;
}

void as_flush(const struct address_space *as, uint64_t va)
{
	if (read_cr3() == as->pml4)
		__asm__ volatile("invlpg (%0)" ::"r"(va) : "memory");
}

void as_activate_kernel(void)
{
	write_cr3(kernel_pml4);
	arch_note_cr3(kernel_pml4);
}
