/* Memory system calls: brk, mmap, munmap, mprotect, madvise. */
#include "mm.h"
#include "proc.h"
#include "syscall.h"
#include "string.h"

enum { MAP_SHARED = 1, MAP_PRIVATE = 2, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20, MAP_FIXED_NOREPLACE = 0x100000 };

static uint64_t page_up(uint64_t v) { return (v + LX_PAGE - 1) & ~(LX_PAGE - 1); }

static long sys_brk(struct lx_proc *p, uint64_t want, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	struct lx_mm *mm = p->mm;
	if (want < mm->brk_start || want >= LX_MMAP_TOP)
		return (long)mm->brk; /* Linux answers a refused brk with the current break */
	uint64_t old_end = page_up(mm->brk), new_end = page_up(want);
	if (new_end > old_end) {
		if (mm_overlap(mm, old_end, new_end))
			return (long)mm->brk; /* would run into a mapping */
		if (mm_add_vma(mm, old_end, new_end, LX_PROT_READ | LX_PROT_WRITE))
			return (long)mm->brk;
	} else if (new_end < old_end) {
		mm_remove_range(mm, new_end, old_end);
		mm_unmap_task(p, new_end, old_end - new_end);
	}
	mm->brk = want;
	return (long)want;
}

static long sys_mmap(struct lx_proc *p, uint64_t addr, uint64_t len, uint64_t prot, uint64_t flags, uint64_t fd,
		     uint64_t off)
{
	(void)fd, (void)off;
	struct lx_mm *mm = p->mm;
	if (len == 0 || len > (1ull << 40) || (addr & (LX_PAGE - 1)) || (prot & ~7ull))
		return -LX_EINVAL;
	if (!(flags & MAP_ANONYMOUS))
		return -LX_ENODEV; /* file mappings: not yet (docs/lx.md) */
	if (!(flags & (MAP_PRIVATE | MAP_SHARED)))
		return -LX_EINVAL;
	uint64_t size = page_up(len), start;
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if (addr < LX_PAGE || addr >= LX_USER_TOP || size > LX_USER_TOP - addr)
			return -LX_EINVAL;
		if ((flags & MAP_FIXED_NOREPLACE) && mm_overlap(mm, addr, addr + size))
			return -LX_EEXIST;
		mm_remove_range(mm, addr, addr + size);
		mm_unmap_task(p, addr, size);
		start = addr;
	} else {
		/* top down below the last mapping: the first free gap large enough */
		uint64_t top = mm->mmap_top, floor = page_up(mm->brk) + (64ull << 20);
		for (;;) {
			if (top < floor || top - floor < size)
				return -LX_ENOMEM;
			start = top - size;
			struct lx_vma *clash = NULL;
			for (struct lx_vma *v = mm->vmas; v && !clash; v = v->next)
				if (v->start < start + size && start < v->end)
					clash = v;
			if (!clash)
				break;
			top = clash->start;
		}
		if (start < mm->mmap_top)
			mm->mmap_top = start;
	}
	if (mm_add_vma(mm, start, start + size, (unsigned)prot))
		return -LX_ENOMEM;
	return (long)start;
}

static long sys_munmap(struct lx_proc *p, uint64_t addr, uint64_t len, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	(void)a2, (void)a3, (void)a4, (void)a5;
	if ((addr & (LX_PAGE - 1)) || len == 0 || addr >= LX_USER_TOP || page_up(len) > LX_USER_TOP - addr)
		return -LX_EINVAL;
	long err = mm_remove_range(p->mm, addr, addr + page_up(len));
	mm_unmap_task(p, addr, page_up(len));
	return err;
}

static long sys_mprotect(struct lx_proc *p, uint64_t addr, uint64_t len, uint64_t prot, uint64_t a3, uint64_t a4,
			 uint64_t a5)
{
	(void)a3, (void)a4, (void)a5;
	if ((addr & (LX_PAGE - 1)) || (prot & ~7ull) || addr >= LX_USER_TOP || page_up(len) > LX_USER_TOP - addr)
		return -LX_EINVAL;
	if (len == 0)
		return 0;
	long err = mm_protect_range(p->mm, addr, addr + page_up(len), (unsigned)prot);
	/* the task's mappings carry the old rights: they come back with the new ones */
	if (!err)
		mm_unmap_task(p, addr, page_up(len));
	return err;
}

static long sys_madvise(struct lx_proc *p, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	(void)p, (void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	return 0;
}

void sys_mem_register(void)
{
	lx_syscall_register(12, "brk", sys_brk);
	lx_syscall_register(9, "mmap", sys_mmap);
	lx_syscall_register(11, "munmap", sys_munmap);
	lx_syscall_register(10, "mprotect", sys_mprotect);
	lx_syscall_register(28, "madvise", sys_madvise);
}
