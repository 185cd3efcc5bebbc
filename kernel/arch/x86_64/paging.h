/* Four-level x86-64 page tables: the kernel half shared, a user half per address space. */
#ifndef ARCH_PAGING_H
#define ARCH_PAGING_H

#include <stdbool.h>
#include <stdint.h>

enum {
	PTE_P = 1 << 0, PTE_W = 1 << 1, PTE_U = 1 << 2, PTE_PS = 1 << 7,
};
#define PTE_NX (1ull << 63)
#define PTE_ADDR 0x000ffffffffff000ull

/* Page permissions in the arch-independent form the generic kernel uses. */
enum { MAP_READ = 1, MAP_WRITE = 2, MAP_EXEC = 4 };

struct address_space {
	uint64_t pml4; /* physical address of the top-level table */
};

void paging_init(void);
/* A fresh address space whose upper half is the kernel's; false when out of memory. */
bool as_create(struct address_space *as);
/* Maps one user page; false when a page table could not be allocated.
 * Precondition: va is a page-aligned user address and not yet mapped. */
bool as_map(struct address_space *as, uint64_t va, uint64_t pa, unsigned perms);
/* The frame behind a user page and its permissions; false when unmapped. */
bool as_lookup(const struct address_space *as, uint64_t va, uint64_t *pa, unsigned *perms);
/* Frees the user half: its page tables, and the mapped frames too. */
void as_destroy(struct address_space *as);
void as_activate(const struct address_space *as);
/* Makes the kernel's own tables current (no user half). */
void as_activate_kernel(void);

#endif
