/* Size-class allocator over kernel frames: blocks of one class are carved from whole pages. */
#include "kmem.h"
#include "panic.h"
#include "pmem.h"
#include "string.h"
#include "arch/x86_64/layout.h"

enum { CLASSES = 8 }; /* 32, 64, ..., 4096 */

struct free_block {
	struct free_block *next;
};

static struct free_block *free_lists[CLASSES]; /* per class; 4096 blocks go back to pmem */
static uint64_t free_bytes[CLASSES];           /* bytes on each free list */
static uint64_t in_use;                        /* bytes handed out */

static unsigned size_class(size_t size)
{
	unsigned c = 0;
	size_t s = KMEM_MIN;
	while (s < size) {
		s <<= 1;
		c++;
	}
	return c;
}

size_t kmem_size(size_t size) { return (size_t)KMEM_MIN << size_class(size); }

void *kmem_alloc(size_t size)
{
	assert(size > 0 && size <= KMEM_MAX);
	unsigned c = size_class(size);
	size_t bs = (size_t)KMEM_MIN << c;
	void *p;
	if (bs == KMEM_MAX) {
		uint64_t pa = pmem_alloc();
		if (!pa)
			return NULL;
		p = phys_to_virt(pa); /* pmem hands out zeroed frames */
	} else {
		if (!free_lists[c]) {
			uint64_t pa = pmem_alloc();
			if (!pa)
				return NULL;
			uint8_t *page = phys_to_virt(pa);
			for (size_t off = 0; off < PAGE_SIZE; off += bs) {
				struct free_block *b = (struct free_block *)(page + off);
				b->next = free_lists[c];
				free_lists[c] = b;
			}
			free_bytes[c] += PAGE_SIZE;
		}
		struct free_block *b = free_lists[c];
		free_lists[c] = b->next;
		free_bytes[c] -= bs;
		p = b;
		memset(p, 0, bs);
	}
	in_use += bs;
	return p;
}

void kmem_free(void *p, size_t size)
{
	if (!p)
		return;
	unsigned c = size_class(size);
	size_t bs = (size_t)KMEM_MIN << c;
	assert(in_use >= bs);
	in_use -= bs;
	if (bs == KMEM_MAX) {
		pmem_free(virt_to_phys(p));
		return;
	}
	struct free_block *b = p;
	b->next = free_lists[c];
	free_lists[c] = b;
	free_bytes[c] += bs;
}

uint64_t kmem_in_use(void) { return in_use; }

uint64_t kmem_available(void)
{
	uint64_t n = pmem_free_frames() * PAGE_SIZE;
	for (unsigned c = 0; c < CLASSES; c++)
		n += free_bytes[c];
	return n;
}
