/* Page-table management: create, map, look up and tear down user address spaces. */
#include "paging.h"
#include "cpu.h"
#include "layout.h"
#include "../../panic.h"
#include "../../pmem.h"

extern uint64_t boot_pml4[]; /* boot.S: lies in the identity-mapped boot section */

static uint64_t kernel_pml4;  /* physical address; user half empty */
static uint64_t nx_bit;       /* PTE_NX when EFER.NXE is on, else 0 */

static uint64_t *table(uint64_t pa) { return phys_to_virt(pa & PTE_ADDR); }

void paging_init(void)
{
	/* boot_pml4's link address is its physical address (boot section). */
	kernel_pml4 = (uint64_t)boot_pml4;
	uint64_t *pml4 = table(kernel_pml4);
	pml4[0] = 0; /* drop the identity map: the lower half belongs to user space */
	write_cr3(kernel_pml4);
	nx_bit = (rdmsr(MSR_EFER) & EFER_NXE) ? PTE_NX : 0;
}

bool as_create(struct address_space *as)
{
	uint64_t pa = pmem_alloc();
	if (!pa)
		return false;
	uint64_t *dst = table(pa), *src = table(kernel_pml4);
	for (int i = 256; i < 512; i++)
		dst[i] = src[i];
	as->pml4 = pa;
	return true;
}

/* The entry for va at the given level (3 = PML4 .. 0 = PT), creating tables on the way. */
static uint64_t *walk(uint64_t pml4, uint64_t va, bool create)
{
	uint64_t *t = table(pml4);
	for (int level = 3; level > 0; level--) {
		uint64_t *e = &t[(va >> (12 + 9 * level)) & 511];
		if (!(*e & PTE_P)) {
			if (!create)
				return 0;
			uint64_t pa = pmem_alloc();
			if (!pa)
				return 0;
			*e = pa | PTE_P | PTE_W | PTE_U;
		}
		assert(!(*e & PTE_PS)); /* user halves use 4 KiB pages only */
		t = table(*e);
	}
	return &t[(va >> 12) & 511];
}

bool as_map(struct address_space *as, uint64_t va, uint64_t pa, unsigned perms)
{
	assert((va & 0xfff) == 0 && va < USER_TOP && (pa & 0xfff) == 0);
	uint64_t *e = walk(as->pml4, va, true);
	if (!e)
		return false;
	assert(!(*e & PTE_P));
	*e = pa | PTE_P | PTE_U | ((perms & MAP_WRITE) ? PTE_W : 0) | ((perms & MAP_EXEC) ? 0 : nx_bit);
	return true;
}

bool as_lookup(const struct address_space *as, uint64_t va, uint64_t *pa, unsigned *perms)
{
	if (va >= USER_TOP)
		return false;
	uint64_t *e = walk(as->pml4, va, false);
	if (!e || !(*e & PTE_P))
		return false;
	*pa = *e & PTE_ADDR;
	*perms = MAP_READ | ((*e & PTE_W) ? MAP_WRITE : 0) | ((*e & nx_bit) && nx_bit ? 0 : MAP_EXEC);
	return true;
}

static void free_level(uint64_t pa, int level)
{
	uint64_t *t = table(pa);
	for (int i = 0; i < 512; i++) {
		if (!(t[i] & PTE_P))
			continue;
		if (level > 0)
			free_level(t[i] & PTE_ADDR, level - 1);
		else
			pmem_free(t[i] & PTE_ADDR);
	}
	pmem_free(pa);
}

void as_destroy(struct address_space *as)
{
	if (read_cr3() == as->pml4)
		write_cr3(kernel_pml4);
	uint64_t *pml4 = table(as->pml4);
	for (int i = 0; i < 256; i++)
		if (pml4[i] & PTE_P)
			free_level(pml4[i] & PTE_ADDR, 2);
	pmem_free(as->pml4);
	as->pml4 = 0;
}

void as_activate(const struct address_space *as) { write_cr3(as->pml4); }
void as_activate_kernel(void) { write_cr3(kernel_pml4); }
