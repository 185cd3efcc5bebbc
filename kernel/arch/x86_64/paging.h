/* Four-level x86-64 page tables: the kernel half shared, a user half per address space. */
#ifndef ARCH_PAGING_H
#define ARCH_PAGING_H

#include <stdbool.h>
#include <stdint.h>

enum {
	PTE_P = 1 << 0, PTE_W = 1 << 1, PTE_U = 1 << 2, PTE_PS = 1 << 7,
	PTE_PINNED = 1 << 9, /* software: a kernel-managed page (UTCB, KIP), not in the mapping database */
};
#define PTE_NX (1ull << 63)
#define PTE_ADDR 0x000ffffffffff000ull

/* Page permissions in the arch-independent form (same bits as PECAN_FPAGE_R/W/X). */
enum { MAP_READ = 1, MAP_WRITE = 2, MAP_EXEC = 4 };

struct address_space {
	uint64_t pml4; /* physical address of the top-level table */
};

/* Allocates a zeroed page for a page table (kernel virtual address) or returns NULL. */
typedef void *(*pt_alloc_fn)(void *ctx);
typedef void (*pt_free_fn)(void *ctx, void *table);

void paging_init(void);
/* Makes pml4_page (zeroed, from pt_alloc) the top of a new space sharing the kernel half. */
void as_init(struct address_space *as, void *pml4_page);
/* The PTE of va; creates missing tables with alloc when alloc is not NULL.
 * NULL when a table is missing (or could not be allocated). */
uint64_t *as_pte(const struct address_space *as, uint64_t va, pt_alloc_fn alloc, void *ctx);
/* Calls fn for every present PTE in [start, end), skipping empty tables. fn
 * may clear the PTE it is given (not others). */
void as_walk(const struct address_space *as, uint64_t start, uint64_t end,
	     void (*fn)(void *ctx, uint64_t va, uint64_t *pte), void *ctx);
/* Frees the page tables of the user half (the PTEs must be cleared already). */
void as_free_tables(struct address_space *as, pt_free_fn free, void *ctx);

static inline uint64_t pte_make(uint64_t pa, unsigned perms, bool pinned);
static inline unsigned pte_perms(uint64_t pte);
static inline uint64_t pte_frame(uint64_t pte) { return pte & PTE_ADDR; }

/* Forget a stale translation of va if as is the current address space. */
void as_flush(const struct address_space *as, uint64_t va);
void as_activate_kernel(void);
uint64_t paging_nx_bit(void);

static inline uint64_t pte_make(uint64_t pa, unsigned perms, bool pinned)
{
	return pa | PTE_P | PTE_U | ((perms & MAP_WRITE) ? PTE_W : 0) | (pinned ? PTE_PINNED : 0) |
	       ((perms & MAP_EXEC) ? 0 : paging_nx_bit());
}

static inline unsigned pte_perms(uint64_t pte)
{
	return MAP_READ | ((pte & PTE_W) ? MAP_WRITE : 0) | ((pte & PTE_NX) ? 0 : MAP_EXEC);
}

#endif
