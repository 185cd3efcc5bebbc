/* lx's memory management: regions and software page tables of a process. */
#ifndef LX_MM_H
#define LX_MM_H

#include "lx.h"

#define LX_USER_TOP 0x00007ffffffff000ull
#define LX_STACK_TOP 0x00007ffffffde000ull
#define LX_STACK_SIZE (8ull << 20)
#define LX_MMAP_TOP (LX_STACK_TOP - LX_STACK_SIZE - (1ull << 30))

enum { LX_PROT_READ = 1, LX_PROT_WRITE = 2, LX_PROT_EXEC = 4 };

struct lx_vma {
	uint64_t start, end; /* page aligned */
	unsigned prot;       /* LX_PROT_* */
	/* An ELF segment's region: its pages fill on first touch with the bytes
	 * of image that lie in [file_va, file_end) (image offset file_off at
	 * file_va), zeros elsewhere. NULL: anonymous (zero pages). A reference. */
	struct lx_file_image *image;
	uint64_t file_va, file_end, file_off;
	struct lx_vma *next; /* sorted by start */
};

struct lx_mm {
	uint64_t *root;      /* software page table (lx pages) */
	struct lx_vma *vmas;
	uint64_t brk_start, brk;
	uint64_t mmap_top;   /* next mmap goes below it */
};

void mm_init(void *base, uint64_t size);
uint64_t lx_pages_total(void);       /* the guest memory, in pages (lx_pages_free: the free ones) */
struct lx_mm *mm_create(void);
void mm_destroy(struct lx_mm *mm);
/* fork: a copy of p's address space, sharing every page copy-on-write;
 * p's task loses its mappings of the pages that were writable. */
struct lx_mm *mm_clone(struct lx_proc *p);
struct lx_vma *mm_find(struct lx_mm *mm, uint64_t va);
/* The first region that overlaps [start, end), or NULL. */
struct lx_vma *mm_overlap(struct lx_mm *mm, uint64_t start, uint64_t end);
long mm_add_vma(struct lx_mm *mm, uint64_t start, uint64_t end, unsigned prot);
/* A region filled from image on demand: the filesz bytes at offset off of
 * the file appear at va (both in [start, end)); takes a reference. */
long mm_add_file_vma(struct lx_mm *mm, uint64_t start, uint64_t end, unsigned prot, struct lx_file_image *image,
		     uint64_t va, uint64_t off, uint64_t filesz);
long mm_remove_range(struct lx_mm *mm, uint64_t start, uint64_t end);
long mm_protect_range(struct lx_mm *mm, uint64_t start, uint64_t end, unsigned prot);
/* A page fault of p: make the page present and map it into p's task; 0 or -LX_EFAULT (a signal). */
long mm_fault(struct lx_proc *p, uint64_t addr, bool write, bool exec);
/* Removes p's task's mappings of [start, start + size) (they come back by faults). */
void mm_unmap_task(struct lx_proc *p, uint64_t start, uint64_t size);
/* Removes p's task's mappings of mm's pages (p's task maps no others while p->mm is mm). */
void mm_unmap_present(struct lx_proc *p, struct lx_mm *mm);

#endif
