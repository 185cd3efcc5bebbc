/* Guest memory: pages of lx's memory dataspace, per-process software page tables, demand paging, copy-on-write. */
#include "mm.h"
#include "stdio.h"
#include "stdlib.h"
#include "string.h"

static uint8_t *mem_base;        /* lx's mapping of the dataspace */
static uint64_t mem_pages;
static uint16_t *refs;           /* per page: references (0: free) */
static uint32_t *free_stack;     /* indices of free pages */
static uint64_t free_top;
static uint32_t *table_span;     /* per page that is a page table: where its present entries are (span_note) */
static uint64_t shared_idle;     /* shared pages of programs nobody runs: free on demand (drop_unused_shared) */

void mm_init(void *base, uint64_t size)
{
	mem_base = base;
	mem_pages = size / LX_PAGE;
	refs = calloc(mem_pages, sizeof(*refs));
	free_stack = malloc(mem_pages * sizeof(*free_stack));
	table_span = calloc(mem_pages, sizeof(*table_span));
	if (!refs || !free_stack || !table_span) {
		lx_log("lx: no memory for the page tables of %lu pages", (unsigned long)mem_pages);
		exit(1);
	}
	for (uint64_t i = mem_pages; i > 0; i--)
		free_stack[free_top++] = (uint32_t)(i - 1);
}

static uint64_t page_index(const void *page) { return (uint64_t)((const uint8_t *)page - mem_base) / LX_PAGE; }

static bool drop_unused_shared(void);

/* A free page with one reference, as it was (the caller fills it), or NULL. */
static uint8_t *page_take(void)
{
	if (!free_top && !drop_unused_shared())
		return NULL;
	uint64_t i = free_stack[--free_top];
	refs[i] = 1;
	return mem_base + i * LX_PAGE;
}

void *lx_page_alloc(void)
{
	uint8_t *p = page_take();
	if (p)
		memset(p, 0, LX_PAGE);
	return p;
}

void lx_page_get(void *page) { refs[page_index(page)]++; }

void lx_page_put(void *page)
{
	uint64_t i = page_index(page);
	if (refs[i] == 0) {
		lx_log("lx: BUG: page %lu freed twice", (unsigned long)i);
		return;
	}
	if (--refs[i] == 0)
		free_stack[free_top++] = (uint32_t)i;
}

uint64_t lx_pages_free(void) { return free_top + shared_idle; }
uint64_t lx_pages_total(void) { return mem_pages; }
static unsigned page_refs(const void *page) { return refs[page_index(page)]; }

/* ---- software page tables: four levels of 512 entries, like the hardware's ---- */

enum { PTE_PRESENT = 1, PTE_WRITE = 2, PTE_COW = 4 };
#define PTE_ADDR (~0xfffull)

/*
 * A table's span: the first and the last of its entries that were ever made
 * present (SPAN_USED | first | last << 16; 0: none). Walks look only
 * between the two: a process's tables are sparse (the program at the
 * bottom of the address space, the stack at the top), and scanning all 512
 * entries of each table was most of the cost of fork, exit and execve.
 * Entries cleared later stay inside the span: it only ever grows.
 */
enum { SPAN_USED = 1u << 31 };

static void span_note(const uint64_t *t, unsigned i)
{
	uint32_t *s = &table_span[page_index(t)];
	unsigned lo = i, hi = i;
	if (*s) {
		lo = *s & 511;
		hi = (*s >> 16) & 511;
		lo = i < lo ? i : lo;
		hi = i > hi ? i : hi;
	}
	*s = SPAN_USED | lo | hi << 16;
}

/* false when the table never had a present entry */
static bool span_of(const uint64_t *t, unsigned *lo, unsigned *hi)
{
	uint32_t s = table_span[page_index(t)];
	*lo = s & 511;
	*hi = (s >> 16) & 511;
	return s != 0;
}

static uint64_t *table_alloc(void)
{
	uint64_t *t = lx_page_alloc();
	if (t)
		table_span[page_index(t)] = 0;
	return t;
}

/* Sets a leaf entry that was not present (the table's span then covers it). */
static void pte_make_present(uint64_t *pte, uint64_t value)
{
	span_note((const uint64_t *)((uint64_t)pte & ~(LX_PAGE - 1)), (unsigned)(((uint64_t)pte & (LX_PAGE - 1)) / 8));
	*pte = value;
}

/* The leaf entry of va, creating tables when create; NULL when missing or out of memory. */
static uint64_t *pte_of(struct lx_mm *mm, uint64_t va, bool create)
{
	uint64_t *t = mm->root;
	for (int level = 3; level > 0; level--) {
		unsigned i = (va >> (12 + 9 * level)) & 511;
		uint64_t *e = &t[i];
		if (!(*e & PTE_PRESENT)) {
			if (!create)
				return NULL;
			uint64_t *n = table_alloc();
			if (!n)
				return NULL;
			*e = (uint64_t)n | PTE_PRESENT;
			span_note(t, i);
		}
		t = (uint64_t *)(*e & PTE_ADDR);
	}
	return &t[(va >> 12) & 511];
}

struct lx_mm *mm_create(void)
{
	struct lx_mm *mm = calloc(1, sizeof(*mm));
	if (!mm)
		return NULL;
	mm->root = table_alloc();
	if (!mm->root) {
		free(mm);
		return NULL;
	}
	mm->mmap_top = LX_MMAP_TOP;
	return mm;
}

/* Drops every page of a table subtree, then frees the tables. */
static void free_level(uint64_t *t, int level)
{
	unsigned first, last;
	if (span_of(t, &first, &last)) {
		for (unsigned i = first; i <= last; i++) {
			if (!(t[i] & PTE_PRESENT))
				continue;
			if (level > 0)
				free_level((uint64_t *)(t[i] & PTE_ADDR), level - 1);
			else
				lx_page_put((void *)(t[i] & PTE_ADDR));
		}
	}
	lx_page_put(t);
}

static void vma_free(struct lx_vma *v)
{
	struct lx_file_image *img = v->image;
	if (img) {
		if (--img->regions == 0)
			shared_idle += img->shared_count;
		fs_image_put(img);
	}
	free(v);
}

/* A copy of v (the file reference too) for a split; NULL when out of memory. */
static struct lx_vma *vma_dup(const struct lx_vma *v)
{
	struct lx_vma *n = malloc(sizeof(*n));
	if (!n)
		return NULL;
	*n = *v;
	if (n->image) {
		fs_image_get(n->image);
		if (n->image->regions++ == 0)
			shared_idle -= n->image->shared_count;
	}
	return n;
}

void mm_destroy(struct lx_mm *mm)
{
	if (!mm)
		return;
	free_level(mm->root, 3);
	struct lx_vma *v = mm->vmas;
	while (v) {
		struct lx_vma *n = v->next;
		vma_free(v);
		v = n;
	}
	free(mm);
}

struct lx_vma *mm_find(struct lx_mm *mm, uint64_t va)
{
	for (struct lx_vma *v = mm->vmas; v; v = v->next)
		if (va >= v->start && va < v->end)
			return v;
	return NULL;
}

/* Keeps the list sorted; no overlap checks: callers make room first. */
static long add_vma(struct lx_mm *mm, const struct lx_vma *model)
{
	struct lx_vma *v = vma_dup(model);
	if (!v)
		return -LX_ENOMEM;
	uint64_t start = v->start;
	struct lx_vma **pp = &mm->vmas;
	while (*pp && (*pp)->start < start)
		pp = &(*pp)->next;
	v->next = *pp;
	*pp = v;
	return 0;
}

long mm_add_vma(struct lx_mm *mm, uint64_t start, uint64_t end, unsigned prot)
{
	return add_vma(mm, &(struct lx_vma){.start = start, .end = end, .prot = prot});
}

long mm_add_file_vma(struct lx_mm *mm, uint64_t start, uint64_t end, unsigned prot, struct lx_file_image *image,
		     uint64_t va, uint64_t off, uint64_t filesz)
{
	return add_vma(mm, &(struct lx_vma){.start = start, .end = end, .prot = prot, .image = image,
					    .file_va = va, .file_end = va + filesz, .file_off = off});
}

/*
 * Calls fn on every present leaf entry of [start, end), visiting only the
 * tables that exist: its cost follows the pages present, not the size of
 * the range (a region may be a terabyte that nobody touched). fn returns
 * false to stop the walk; so does walk_range.
 */
typedef bool (*walk_fn)(uint64_t *pte, uint64_t va, void *ctx);

static bool walk_level(uint64_t *t, int level, uint64_t base, uint64_t start, uint64_t end, walk_fn fn, void *ctx)
{
	uint64_t span = 1ull << (12 + 9 * level);
	unsigned first = start > base ? (unsigned)((start - base) / span) : 0, first_used, last_used;
	if (!span_of(t, &first_used, &last_used))
		return true;
	if (first < first_used)
		first = first_used;
	for (unsigned i = first; i <= last_used; i++) {
		uint64_t lo = base + (uint64_t)i * span;
		if (lo >= end)
			break;
		if (!(t[i] & PTE_PRESENT))
			continue;
		if (level == 0) {
			if (!fn(&t[i], lo, ctx))
				return false;
		} else if (!walk_level((uint64_t *)(t[i] & PTE_ADDR), level - 1, lo, start, end, fn, ctx)) {
			return false;
		}
	}
	return true;
}

static bool walk_range(struct lx_mm *mm, uint64_t start, uint64_t end, walk_fn fn, void *ctx)
{
	if (start >= end)
		return true;
	return walk_level(mm->root, 3, 0, start, end, fn, ctx);
}

static bool drop_one(uint64_t *pte, uint64_t va, void *ctx)
{
	(void)va, (void)ctx;
	lx_page_put((void *)(*pte & PTE_ADDR));
	*pte = 0;
	return true;
}

/* Drops the pages of [start, end) from the tables (the L4 task is the caller's business). */
static void drop_pages(struct lx_mm *mm, uint64_t start, uint64_t end) { walk_range(mm, start, end, drop_one, NULL); }

struct lx_vma *mm_overlap(struct lx_mm *mm, uint64_t start, uint64_t end)
{
	for (struct lx_vma *v = mm->vmas; v; v = v->next)
		if (v->start < end && start < v->end)
			return v;
	return NULL;
}

static bool clear_write(uint64_t *pte, uint64_t va, void *ctx)
{
	(void)va, (void)ctx;
	*pte &= ~(uint64_t)PTE_WRITE;
	return true;
}

long mm_remove_range(struct lx_mm *mm, uint64_t start, uint64_t end)
{
	/* split the regions that straddle the range, then cut */
	for (struct lx_vma **pp = &mm->vmas; *pp;) {
		struct lx_vma *v = *pp;
		if (v->end <= start || v->start >= end) {
			pp = &v->next;
			continue;
		}
		if (v->start < start && v->end > end) {
			struct lx_vma *tail = vma_dup(v);
			if (!tail)
				return -LX_ENOMEM;
			tail->start = end;
			v->end = start;
			v->next = tail;
			pp = &tail->next;
			continue;
		}
		if (v->start < start) {
			v->end = start;
			pp = &v->next;
		} else if (v->end > end) {
			v->start = end;
			pp = &v->next;
		} else {
			*pp = v->next;
			vma_free(v);
		}
	}
	drop_pages(mm, start, end);
	return 0;
}

long mm_protect_range(struct lx_mm *mm, uint64_t start, uint64_t end, unsigned prot)
{
	/* Linux: the range must be mapped, without holes (the list is sorted) */
	uint64_t covered = start;
	for (struct lx_vma *v = mm->vmas; v && covered < end; v = v->next)
		if (v->start <= covered && v->end > covered)
			covered = v->end;
	if (covered < end)
		return -LX_ENOMEM;
	/* cut the range into its own regions, then set them */
	struct lx_vma *v;
	for (struct lx_vma **pp = &mm->vmas; (v = *pp); pp = &v->next) {
		if (v->end <= start || v->start >= end)
			continue;
		if (v->start < start) {
			struct lx_vma *n = vma_dup(v);
			if (!n)
				return -LX_ENOMEM;
			n->start = start;
			v->end = start;
			v->next = n;
			continue;
		}
		if (v->end > end) {
			struct lx_vma *n = vma_dup(v);
			if (!n)
				return -LX_ENOMEM;
			n->start = end;
			v->end = end;
			v->next = n;
		}
		v->prot = prot;
	}
	/* writable entries lose their write right where the region did */
	if (!(prot & LX_PROT_WRITE))
		walk_range(mm, start, end, clear_write, NULL);
	return 0;
}

/* A new page for va of a file-backed region: the file's bytes where the
 * region has them, zeros around them (the bss tail among them). */
static void *page_alloc_file(const struct lx_vma *v, uint64_t va)
{
	uint8_t *page = page_take();
	if (!page)
		return NULL;
	uint64_t lo = va > v->file_va ? va : v->file_va, hi = va + LX_PAGE < v->file_end ? va + LX_PAGE : v->file_end;
	if (lo >= hi) {
		memset(page, 0, LX_PAGE);
		return page;
	}
	memset(page, 0, lo - va);
	memcpy(page + (lo - va), v->image->data + v->file_off + (lo - v->file_va), hi - lo);
	memset(page + (hi - va), 0, va + LX_PAGE - hi);
	return page;
}

/*
 * The page for va of a read-only file-backed region (text, read-only data):
 * one page shared by every process that runs the file, kept in a table of
 * the snapshot's own (shared_pages, addressed like the processes' tables:
 * the file's segments lie at the same addresses in all of them). Read-only
 * everywhere; a write after mprotect copies it, as it has more than one
 * reference. NULL when out of memory; the caller's reference comes with it.
 */
static struct lx_file_image *images_sharing; /* the snapshots with shared_pages */

static void *page_shared_file(const struct lx_vma *v, uint64_t va)
{
	struct lx_file_image *img = v->image;
	if (!img->shared_pages) {
		if (!(img->shared_pages = mm_create()))
			return NULL;
		img->next_shared = images_sharing;
		images_sharing = img;
	}
	uint64_t *pte = pte_of(img->shared_pages, va, true);
	if (!pte)
		return NULL;
	if (!(*pte & PTE_PRESENT)) {
		void *page = page_alloc_file(v, va);
		if (!page)
			return NULL;
		pte_make_present(pte, (uint64_t)page | PTE_PRESENT);
		img->shared_count++;
	}
	void *page = (void *)(*pte & PTE_ADDR);
	lx_page_get(page);
	return page;
}

static void drop_shared(struct lx_file_image *img)
{
	/* the pages live on where processes still have them */
	mm_destroy(img->shared_pages);
	img->shared_pages = NULL;
	if (!img->regions)
		shared_idle -= img->shared_count;
	img->shared_count = 0;
	for (struct lx_file_image **pp = &images_sharing; *pp; pp = &(*pp)->next_shared)
		if (*pp == img) {
			*pp = img->next_shared;
			break;
		}
}

void mm_image_gone(struct lx_file_image *img)
{
	if (img->shared_pages)
		drop_shared(img);
}

/* Out of pages: the shared pages of programs nobody runs now go (they are
 * kept for the next execve of the file until then). true when some went. */
static bool drop_unused_shared(void)
{
	bool dropped = false;
	for (struct lx_file_image *img = images_sharing, *next; img; img = next) {
		next = img->next_shared;
		if (!img->regions) {
			drop_shared(img);
			dropped = true;
		}
	}
	return dropped && free_top;
}

/* Makes va present (and writable when write): demand zero pages and copy-on-write.
 * Returns the page, or NULL with *err set (-LX_EFAULT, -LX_ENOMEM). */
static void *ensure(struct lx_mm *mm, uint64_t va, bool write, long *err, bool *changed)
{
	struct lx_vma *v = mm_find(mm, va);
	if (!v || (write && !(v->prot & LX_PROT_WRITE)) || !(v->prot & (LX_PROT_READ | LX_PROT_WRITE | LX_PROT_EXEC))) {
		*err = -LX_EFAULT;
		return NULL;
	}
	uint64_t *pte = pte_of(mm, va, true);
	if (!pte) {
		*err = -LX_ENOMEM;
		return NULL;
	}
	if (!(*pte & PTE_PRESENT)) {
		void *page = !v->image                    ? lx_page_alloc()
			     : (v->prot & LX_PROT_WRITE) ? page_alloc_file(v, va)
							 : page_shared_file(v, va);
		if (!page) {
			*err = -LX_ENOMEM;
			return NULL;
		}
		pte_make_present(pte, (uint64_t)page | PTE_PRESENT | ((v->prot & LX_PROT_WRITE) ? PTE_WRITE : 0));
		*changed = true;
	} else if (write && !(*pte & PTE_WRITE)) {
		void *page = (void *)(*pte & PTE_ADDR);
		if (page_refs(page) > 1) {
			void *copy = lx_page_alloc();
			if (!copy) {
				*err = -LX_ENOMEM;
				return NULL;
			}
			memcpy(copy, page, LX_PAGE);
			lx_page_put(page);
			page = copy;
		}
		*pte = (uint64_t)page | PTE_PRESENT | PTE_WRITE;
		*changed = true;
	}
	return (void *)(*pte & PTE_ADDR);
}

long mm_fault(struct lx_proc *p, uint64_t addr, bool write, bool exec)
{
	struct lx_mm *mm = p->mm;
	uint64_t va = addr & ~(LX_PAGE - 1);
	if (addr >= LX_USER_TOP)
		return -LX_EFAULT;
	struct lx_vma *v = mm_find(mm, va);
	if (!v || (exec && !(v->prot & LX_PROT_EXEC)))
		return -LX_EFAULT;
	long err = 0;
	bool changed = false;
	void *page = ensure(mm, va, write, &err, &changed);
	if (!page)
		return err;
	uint64_t *pte = pte_of(mm, va, false);
	unsigned rights = PECAN_FPAGE_R | ((*pte & PTE_WRITE) ? PECAN_FPAGE_W : 0) |
			  ((v->prot & LX_PROT_EXEC) ? PECAN_FPAGE_X : 0);
	long e = l4_task_map(p->task_sel, PECAN_RT_CAP_TASK, pecan_fpage_mem((uint64_t)page, 12, rights), va,
			     PECAN_ITEM_MAP);
	return e ? -LX_ENOMEM : 0;
}

/*
 * Pages to unmap from a task, gathered into runs: one TASK_UNMAP per run
 * instead of one per page, or one of the whole space (whose cost in the
 * kernel follows the page tables it scans). With all set every mapping of
 * the task goes: a run then also spans the holes between the pages (the
 * task maps nothing there) up to the end of a 2 MiB block, and goes with
 * the smallest flexpage that covers it. Otherwise a run is neighbouring
 * pages only.
 */
struct unmap_runs {
	struct lx_proc *p;
	bool all;
	uint64_t start, end;
};

enum { RUN_BLOCK = 21 }; /* 2 MiB: what one last-level table maps */

static void runs_flush(struct unmap_runs *r)
{
	if (r->end > r->start) {
		if (r->all) {
			unsigned order = 12;
			while ((r->start >> order) != ((r->end - 1) >> order))
				order++;
			l4_task_unmap(r->p->task_sel, pecan_fpage_mem(r->start & ~((1ull << order) - 1), order, PECAN_FPAGE_RWX),
				      PECAN_UNMAP_SELF);
		} else {
			mm_unmap_task(r->p, r->start, r->end - r->start);
		}
	}
	r->start = r->end = 0;
}

static void runs_add(struct unmap_runs *r, uint64_t va)
{
	bool joins = r->all ? r->end > r->start && (va >> RUN_BLOCK) == (r->start >> RUN_BLOCK)
			    : r->end > r->start && va == r->end;
	if (!joins) {
		runs_flush(r);
		r->start = va;
	}
	r->end = va + LX_PAGE;
}

static bool unmap_one(uint64_t *pte, uint64_t va, void *runs)
{
	(void)pte;
	runs_add(runs, va);
	return true;
}

void mm_unmap_present(struct lx_proc *p, struct lx_mm *mm)
{
	/* a task maps only pages present in the tables, at their addresses */
	struct unmap_runs runs = {p, true, 0, 0};
	walk_range(mm, 0, LX_USER_TOP, unmap_one, &runs);
	runs_flush(&runs);
}

/* fork: the child's entry shares the parent's page; a write on either side copies it */
struct share_ctx {
	struct lx_mm *child;
	struct unmap_runs writable; /* the parent's task may map these writable */
	uint64_t *table, block;     /* the child's last-level table of the last page, and its 2 MiB block */
};

static bool share_one(uint64_t *src, uint64_t va, void *ctx)
{
	struct share_ctx *c = ctx;
	uint64_t *dst;
	if (c->table && va >> 21 == c->block) {
		dst = &c->table[(va >> 12) & 511]; /* the walk visits a table's pages one after another */
	} else {
		dst = pte_of(c->child, va, true);
		if (!dst)
			return false;
		c->table = (uint64_t *)((uint64_t)dst & ~(LX_PAGE - 1));
		c->block = va >> 21;
	}
	if (*src & PTE_WRITE)
		runs_add(&c->writable, va);
	*src &= ~(uint64_t)PTE_WRITE;
	pte_make_present(dst, *src);
	lx_page_get((void *)(*src & PTE_ADDR));
	return true;
}

struct lx_mm *mm_clone(struct lx_proc *p)
{
	struct lx_mm *parent = p->mm;
	struct lx_mm *mm = mm_create();
	if (!mm)
		return NULL;
	mm->brk_start = parent->brk_start;
	mm->brk = parent->brk;
	mm->mmap_top = parent->mmap_top;
	for (struct lx_vma *v = parent->vmas; v; v = v->next)
		if (add_vma(mm, v))
			goto fail;
	/* Only the pages that were writable leave the parent's task: the others
	 * are mapped read-only already, and stay right (the same page). */
	struct share_ctx ctx = {mm, {p, false, 0, 0}, NULL, 0};
	for (struct lx_vma *v = parent->vmas; v; v = v->next)
		if (!walk_range(parent, v->start, v->end, share_one, &ctx)) {
			runs_flush(&ctx.writable);
			goto fail;
		}
	runs_flush(&ctx.writable);
	return mm;
fail:
	mm_destroy(mm);
	return NULL;
}

/* ---- user memory access ---- */

static long access_user(struct lx_proc *p, uint64_t uva, void *kbuf, size_t n, bool write)
{
	if (uva >= LX_USER_TOP || n > LX_USER_TOP - uva)
		return -LX_EFAULT;
	uint8_t *k = kbuf;
	while (n) {
		long err = 0;
		bool changed = false;
		uint8_t *page = ensure(p->mm, uva & ~(LX_PAGE - 1), write, &err, &changed);
		if (!page)
			return -LX_EFAULT;
		if (changed && write)
			/* a copied page: the process's task still maps the old one */
			mm_unmap_task(p, uva & ~(LX_PAGE - 1), LX_PAGE);
		size_t off = uva & (LX_PAGE - 1), chunk = LX_PAGE - off;
		if (chunk > n)
			chunk = n;
		if (write)
			memcpy(page + off, k, chunk);
		else
			memcpy(k, page + off, chunk);
		k += chunk;
		uva += chunk;
		n -= chunk;
	}
	return 0;
}

long lx_copy_from_user(struct lx_proc *p, void *dst, uint64_t src, size_t n) { return access_user(p, src, dst, n, false); }
long lx_copy_to_user(struct lx_proc *p, uint64_t dst, const void *src, size_t n)
{
	return access_user(p, dst, (void *)src, n, true);
}

long lx_strncpy_from_user(struct lx_proc *p, char *dst, uint64_t src, size_t max)
{
	/* up to the end of the page at a time: a page readable at its first
	 * byte is readable to its end, so nothing past the string can fault */
	for (size_t i = 0; i < max;) {
		size_t chunk = LX_PAGE - ((src + i) & (LX_PAGE - 1));
		if (chunk > max - i)
			chunk = max - i;
		if (access_user(p, src + i, dst + i, chunk, false))
			return -LX_EFAULT;
		for (size_t end = i + chunk; i < end; i++)
			if (!dst[i])
				return (long)i;
	}
	return -LX_ENAMETOOLONG;
}

void mm_unmap_task(struct lx_proc *p, uint64_t start, uint64_t size)
{
	/* the largest aligned flexpages that cover the range */
	uint64_t a = start, end = start + size;
	while (a < end) {
		unsigned order = 12;
		while (order < 47 && (a & ((2ull << order) - 1)) == 0 && a + (2ull << order) <= end)
			order++;
		l4_task_unmap(p->task_sel, pecan_fpage_mem(a, order, PECAN_FPAGE_RWX), PECAN_UNMAP_SELF);
		a += 1ull << order;
	}
}
