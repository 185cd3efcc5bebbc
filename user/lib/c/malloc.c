/* malloc: first fit over an address-ordered free list, neighbours merged on free. */
#include <stdbool.h>
#include "stdlib.h"
#include "string.h"
#include "errno.h"
#include "l4.h"
#include "pecan/rt/env.h"

extern const struct pecan_env *__pecan_env;

/* Every block starts with its size (header included); a free block also
 * links to the next free one, in address order. */
struct block {
	size_t size;
	struct block *next;
};

#define HEADER 16 /* keeps payloads 16-byte aligned */
#define MIN_BLOCK 32

static struct block *free_list;
static uint8_t *heap_next, *heap_end; /* launched programs: untouched rest of the heap */

static void insert_free(struct block *b)
{
	struct block **pp = &free_list, *prev = NULL;
	while (*pp && *pp < b) {
		prev = *pp;
		pp = &(*pp)->next;
	}
	b->next = *pp;
	*pp = b;
	/* merge with the following block, then with the previous one */
	if (b->next && (uint8_t *)b + b->size == (uint8_t *)b->next) {
		b->size += b->next->size;
		b->next = b->next->next;
	}
	if (prev && (uint8_t *)prev + prev->size == (uint8_t *)b) {
		prev->size += b->size;
		prev->next = b->next;
	}
}

/* New memory of at least size bytes for the free list. */
static bool morecore(size_t size)
{
	if (__pecan_env) {
		if (!heap_next) {
			heap_next = (uint8_t *)PECAN_HEAP_BASE;
			heap_end = heap_next + __pecan_env->heap_size;
		}
		size_t chunk = (size + 65535) & ~(size_t)65535;
		if ((size_t)(heap_end - heap_next) < chunk)
			chunk = (size_t)(heap_end - heap_next);
		if (chunk < size)
			return false;
		struct block *b = (struct block *)heap_next;
		heap_next += chunk;
		b->size = chunk;
		insert_free(b);
		return true;
	}
	if (size > 4096)
		return false;
	struct block *b = l4_page_alloc();
	if (!b)
		return false;
	b->size = 4096;
	insert_free(b);
	return true;
}

void *malloc(size_t size)
{
	if (size == 0 || size > ((size_t)1 << 40)) {
		errno = ENOMEM;
		return NULL;
	}
	size_t need = (size + HEADER + 15) & ~(size_t)15;
	for (int attempt = 0; attempt < 2; attempt++) {
		for (struct block **pp = &free_list; *pp; pp = &(*pp)->next) {
			struct block *b = *pp;
			if (b->size < need)
				continue;
			if (b->size - need >= MIN_BLOCK) {
				struct block *rest = (struct block *)((uint8_t *)b + need);
				rest->size = b->size - need;
				rest->next = b->next;
				*pp = rest;
				b->size = need;
			} else {
				*pp = b->next;
			}
			return (uint8_t *)b + HEADER;
		}
		if (!morecore(need))
			break;
	}
	errno = ENOMEM;
	return NULL;
}

void free(void *p)
{
	if (p)
		insert_free((struct block *)((uint8_t *)p - HEADER));
}

void *calloc(size_t n, size_t size)
{
	if (size && n > ((size_t)-1) / size)
		return NULL;
	void *p = malloc(n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

void *realloc(void *p, size_t size)
{
	if (!p)
		return malloc(size);
	if (!size) {
		free(p);
		return NULL;
	}
	struct block *b = (struct block *)((uint8_t *)p - HEADER);
	if (b->size - HEADER >= size)
		return p;
	void *q = malloc(size);
	if (q) {
		memcpy(q, p, b->size - HEADER);
		free(p);
	}
	return q;
}

unsigned long strtoul(const char *s, char **end, int base)
{
	unsigned long v = 0;
	while (*s == ' ' || *s == '\t')
		s++;
	if ((base == 0 || base == 16) && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		base = 16;
	} else if (base == 0) {
		base = s[0] == '0' ? 8 : 10;
	}
	for (;; s++) {
		int d;
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'z')
			d = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'Z')
			d = *s - 'A' + 10;
		else
			break;
		if (d >= base)
			break;
		v = v * (unsigned long)base + (unsigned long)d;
	}
	if (end)
		*end = (char *)s;
	return v;
}
