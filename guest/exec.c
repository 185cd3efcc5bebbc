/* execve: load a static ELF program into a fresh address space and build the System V start stack. */
#include "exec.h"
#include "elf64.h"
#include "mm.h"
#include "stdio.h"
#include "stdlib.h"
#include "string.h"

enum {
	AT_NULL = 0, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_PAGESZ = 6, AT_BASE = 7, AT_FLAGS = 8,
	AT_ENTRY = 9, AT_UID = 11, AT_EUID = 12, AT_GID = 13, AT_EGID = 14, AT_PLATFORM = 15, AT_HWCAP = 16,
	AT_CLKTCK = 17, AT_SECURE = 23, AT_RANDOM = 25, AT_EXECFN = 31,
};

static uint64_t rd(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static uint64_t random_state = 0x9e3779b97f4a7c15ull;
uint64_t lx_random(void)
{
	random_state ^= random_state << 13;
	random_state ^= random_state >> 7;
	random_state ^= random_state << 17;
	return random_state;
}

/* Gives each segment its region, filled from the file's snapshot on first touch (mm.c). */
static long load_segments(struct lx_mm *mm, struct lx_file_image *file, const struct elf_image *img, uint64_t *brk)
{
	uint64_t top = 0;
	for (unsigned i = 0; i < img->nsegments; i++) {
		const struct elf_segment *s = &img->seg[i];
		uint64_t start = s->vaddr & ~(LX_PAGE - 1), end = (s->vaddr + s->memsz + LX_PAGE - 1) & ~(LX_PAGE - 1);
		unsigned prot = ((s->flags & ELF_PF_R) ? LX_PROT_READ : 0) | ((s->flags & ELF_PF_W) ? LX_PROT_WRITE : 0) |
				((s->flags & ELF_PF_X) ? LX_PROT_EXEC : 0);
		if (mm_add_file_vma(mm, start, end, prot, file, s->vaddr, s->offset, s->filesz))
			return -LX_ENOMEM;
		if (end > top)
			top = end;
	}
	*brk = top;
	return 0;
}

/* Pushes bytes on the new stack; returns their address. */
static uint64_t push(struct lx_proc *p, uint64_t *sp, const void *data, size_t n, long *err)
{
	*sp -= n;
	if (!*err)
		*err = lx_copy_to_user(p, *sp, data, n);
	return *sp;
}

static long exec_image(struct lx_proc *p, const char *path, struct lx_file_image *image, char *const *argv, int argc,
		       char *const *envp, int envc)
{
	const uint8_t *file = image->data;
	size_t size = (size_t)image->size;
	static const uint8_t empty[1];
	if (!file)
		file = empty;
	long err;
	struct elf_image img;
	char why[160];
	if (elf_check_exec(file, size, LX_MMAP_TOP, &img, why, sizeof(why))) {
		lx_log("lx: execve %s: not a program lx can run: %s", path, why);
		return -LX_ENOEXEC;
	}
	uint64_t phoff = rd(file + 32, 8), phnum = rd(file + 56, 2), phentsize = rd(file + 54, 2);
	uint64_t phdr = 0;
	for (unsigned i = 0; i < img.nsegments; i++)
		if (phoff >= img.seg[i].offset && phoff < img.seg[i].offset + img.seg[i].filesz)
			phdr = img.seg[i].vaddr + (phoff - img.seg[i].offset);

	struct lx_mm *mm = mm_create();
	if (!mm)
		return -LX_ENOMEM;
	uint64_t brk = 0;
	if ((err = load_segments(mm, image, &img, &brk)) ||
	    (err = mm_add_vma(mm, LX_STACK_TOP - LX_STACK_SIZE, LX_STACK_TOP, LX_PROT_READ | LX_PROT_WRITE))) {
		mm_destroy(mm);
		return err;
	}
	mm->brk_start = mm->brk = brk;

	/* the new image replaces the old one from here on: nothing can fail but memory */
	struct lx_mm *old = p->mm;
	p->mm = mm;
	uint64_t sp = LX_STACK_TOP;
	long e = 0;
	static const char platform[] = "x86_64";
	uint64_t platform_at = push(p, &sp, platform, sizeof(platform), &e);
	uint64_t execfn_at = push(p, &sp, path, strlen(path) + 1, &e);
	uint64_t rnd[2] = {lx_random(), lx_random()};
	uint64_t random_at = push(p, &sp, rnd, 16, &e);
	uint64_t *argp = malloc(sizeof(uint64_t) * (size_t)(argc + envc + 2));
	if (!argp) {
		p->mm = old;
		mm_destroy(mm);
		return -LX_ENOMEM;
	}
	for (int i = envc - 1; i >= 0; i--)
		argp[argc + 1 + i] = push(p, &sp, envp[i], strlen(envp[i]) + 1, &e);
	for (int i = argc - 1; i >= 0; i--)
		argp[i] = push(p, &sp, argv[i], strlen(argv[i]) + 1, &e);
	argp[argc] = 0;
	argp[argc + 1 + envc] = 0;
	uint32_t a, b, c, d;
	__asm__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	uint64_t auxv[] = {
		AT_PHDR, phdr, AT_PHENT, phentsize, AT_PHNUM, phnum, AT_PAGESZ, LX_PAGE, AT_BASE, 0, AT_FLAGS, 0,
		AT_ENTRY, img.entry, AT_UID, 0, AT_EUID, 0, AT_GID, 0, AT_EGID, 0, AT_PLATFORM, platform_at,
		AT_HWCAP, d, AT_CLKTCK, 100, AT_SECURE, 0, AT_RANDOM, random_at, AT_EXECFN, execfn_at, AT_NULL, 0,
	};
	/* argc, argv[], NULL, envp[], NULL, auxv: 16-byte aligned at argc */
	size_t words = 1 + (size_t)argc + 1 + (size_t)envc + 1 + sizeof(auxv) / 8;
	sp = (sp - words * 8) & ~15ull;
	uint64_t at = sp;
	uint64_t argc64 = (uint64_t)argc;
	if (!e)
		e = lx_copy_to_user(p, at, &argc64, 8);
	at += 8;
	if (!e)
		e = lx_copy_to_user(p, at, argp, 8 * (size_t)(argc + 1));
	at += 8 * (uint64_t)(argc + 1);
	if (!e)
		e = lx_copy_to_user(p, at, argp + argc + 1, 8 * (size_t)(envc + 1));
	at += 8 * (uint64_t)(envc + 1);
	if (!e)
		e = lx_copy_to_user(p, at, auxv, sizeof(auxv));
	free(argp);
	if (e) {
		p->mm = old;
		mm_destroy(mm);
		return -LX_E2BIG;
	}
	mm_unmap_present(p, old);
	mm_destroy(old);
	memset(&p->regs, 0, sizeof(p->regs));
	p->regs.rip = img.entry;
	p->regs.rsp = sp;
	p->regs.rflags = 0x202;
	uint8_t *fpu = lx_fpu_write(p);
	memset(fpu, 0, sizeof(p->fpu));
	*(uint16_t *)(fpu + 0) = 0x037f;
	*(uint32_t *)(fpu + 24) = 0x1f80;
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	strlcpy(p->comm, base, sizeof(p->comm));
	fs_exec(p);
	return 0;
}

long lx_exec(struct lx_proc *p, const char *path, char *const *argv, int argc, char *const *envp, int envc)
{
	struct lx_file_image *image;
	long err = fs_exec_image(p, path, &image);
	if (err)
		return err;
	/* the regions hold their own references to the snapshot */
	err = exec_image(p, path, image, argv, argc, envp, envc);
	fs_image_put(image);
	return err;
}
