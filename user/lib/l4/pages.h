/* A boot program's page allocator over the memory its kernel info page says it owns. */
#ifndef L4_PAGES_H
#define L4_PAGES_H

#include <stdint.h>
#include "pecan/kip.h"

/* Returns the window address (PECAN_PHYS_WINDOW + physical) of a zeroed
 * 4 KiB page the program owns, or 0 when none is left. Zeroing it is the
 * first touch, which makes the kernel map it (the physical window). */
void *l4_page_alloc(void);
/* Gives a page from l4_page_alloc back. */
void l4_page_free(void *page);
/* Physical address of a window page, and back. */
static inline uint64_t l4_window_to_phys(const void *p) { return (uint64_t)p - PECAN_PHYS_WINDOW; }
static inline void *l4_phys_to_window(uint64_t pa) { return (void *)(pa + PECAN_PHYS_WINDOW); }

#endif
