/* elf64.c - bounds- and overflow-checked validation of ELF64 executables before loading. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "elf64.h"
#include "format.h"

#define ELF_PAGE_SHIFT 12
#define ELF_PAGE_MASK  0xfffull

/* Little-endian decoders: the file may sit at any alignment, so fields
 * are assembled from bytes instead of read through struct pointers. */
static uint16_t elf_rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (unsigned)p[1] << 8);
}

static uint32_t elf_rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 |
	       (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t elf_rd64(const uint8_t *p)
{
	return (uint64_t)elf_rd32(p) | (uint64_t)elf_rd32(p + 4) << 32;
}

static void elf_read_phdr(const uint8_t *p, struct elf64_phdr *ph)
{
	ph->p_type = elf_rd32(p + 0);
	ph->p_flags = elf_rd32(p + 4);
	ph->p_offset = elf_rd64(p + 8);
	ph->p_vaddr = elf_rd64(p + 16);
	ph->p_paddr = elf_rd64(p + 24);
	ph->p_filesz = elf_rd64(p + 32);
	ph->p_memsz = elf_rd64(p + 40);
	ph->p_align = elf_rd64(p + 48);
}

__attribute__((format(printf, 3, 4)))
static int elf_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		fmt_vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* %llx wants unsigned long long; uint64_t is unsigned long on LP64. */
#define ELF_X(v) ((unsigned long long)(v))

int elf_check_exec(const void *file, size_t size, uint64_t user_top,
		   struct elf_image *out, char *err, size_t errlen)
{
	const uint8_t *f = file;
	struct elf_image local;
	struct elf_image *img = out != NULL ? out : &local;
	unsigned phidx[ELF_MAX_SEGMENTS]; /* program header index per load */
	unsigned phnum, phentsize, nload, i, j, k;
	uint64_t entry, phoff;
	uint32_t u;

	if (file == NULL)
		return elf_fail(err, errlen, "no file (NULL pointer)");
	if (size < ELF64_EHDR_SIZE)
		return elf_fail(err, errlen,
				"truncated: file is %zu bytes, ELF header needs %u",
				size, ELF64_EHDR_SIZE);
	if (f[0] != ELF_MAG0 || f[1] != ELF_MAG1 || f[2] != ELF_MAG2 ||
	    f[3] != ELF_MAG3)
		return elf_fail(err, errlen, "not an ELF file (bad magic)");
	if (f[ELF_EI_CLASS] != ELF_CLASS64)
		return elf_fail(err, errlen, "wrong class %u (need ELFCLASS64 = 2)",
				f[ELF_EI_CLASS]);
	if (f[ELF_EI_DATA] != ELF_DATA2LSB)
		return elf_fail(err, errlen,
				"wrong byte order (EI_DATA %u, need little-endian = 1)",
				f[ELF_EI_DATA]);
	if (f[ELF_EI_VERSION] != ELF_EV_CURRENT)
		return elf_fail(err, errlen, "wrong ELF version %u (need 1)",
				f[ELF_EI_VERSION]);
	u = elf_rd16(f + 16);
	if (u != ELF_ET_EXEC)
		return elf_fail(err, errlen, "wrong type %u (need ET_EXEC = 2)", u);
	u = elf_rd16(f + 18);
	if (u != ELF_EM_X86_64)
		return elf_fail(err, errlen, "wrong machine %u (need x86-64 = 62)", u);
	u = elf_rd32(f + 20);
	if (u != ELF_EV_CURRENT)
		return elf_fail(err, errlen,
				"wrong ELF version %u in e_version (need 1)", u);

	entry = elf_rd64(f + 24);
	phoff = elf_rd64(f + 32);
	phentsize = elf_rd16(f + 54);
	phnum = elf_rd16(f + 56);

	if (phnum == 0)
		return elf_fail(err, errlen,
				"no loadable segment (no program headers)");
	if (phentsize != ELF64_PHDR_SIZE)
		return elf_fail(err, errlen, "program header entry size %u (need %u)",
				phentsize, ELF64_PHDR_SIZE);
	/* phnum * 56 < 2^22, so only the offset can be absurd; compare
	 * against what is left after it instead of adding. */
	if (phoff > size || size - phoff < (uint64_t)phnum * ELF64_PHDR_SIZE)
		return elf_fail(err, errlen,
				"program headers [off 0x%llx, %u x %u bytes] outside file of %zu bytes",
				ELF_X(phoff), phnum, ELF64_PHDR_SIZE, size);

	/* Count first so the error names the real total. */
	nload = 0;
	for (i = 0; i < phnum; i++)
		if (elf_rd32(f + phoff + (size_t)i * ELF64_PHDR_SIZE) == ELF_PT_LOAD)
			nload++;
	if (nload == 0)
		return elf_fail(err, errlen, "no loadable segment");
	if (nload > ELF_MAX_SEGMENTS)
		return elf_fail(err, errlen,
				"too many loadable segments (%u, max %u)",
				nload, ELF_MAX_SEGMENTS);

	k = 0;
	for (i = 0; i < phnum; i++) {
		struct elf64_phdr ph;
		uint64_t first, last;

		elf_read_phdr(f + phoff + (size_t)i * ELF64_PHDR_SIZE, &ph);
		if (ph.p_type != ELF_PT_LOAD)
			continue;

		if (ph.p_offset > size || ph.p_filesz > size - ph.p_offset)
			return elf_fail(err, errlen,
					"segment %u: file range 0x%llx+0x%llx outside file of %zu bytes",
					i, ELF_X(ph.p_offset), ELF_X(ph.p_filesz), size);
		if (ph.p_filesz > ph.p_memsz)
			return elf_fail(err, errlen,
					"segment %u: filesz 0x%llx > memsz 0x%llx",
					i, ELF_X(ph.p_filesz), ELF_X(ph.p_memsz));
		/* An empty segment has no well-defined page range; refuse it
		 * rather than let loaders disagree about it. */
		if (ph.p_memsz == 0)
			return elf_fail(err, errlen, "segment %u: empty (memsz 0)", i);
		if (ph.p_memsz > UINT64_MAX - ph.p_vaddr)
			return elf_fail(err, errlen,
					"segment %u: vaddr 0x%llx + memsz 0x%llx wraps around, outside user range [0x%x, 0x%llx)",
					i, ELF_X(ph.p_vaddr), ELF_X(ph.p_memsz),
					ELF_USER_MIN, ELF_X(user_top));
		/* Whole pages are mapped, so the last touched page must end
		 * at or below user_top (which then need not be aligned). */
		first = ph.p_vaddr >> ELF_PAGE_SHIFT;
		last = (ph.p_vaddr + (ph.p_memsz - 1)) >> ELF_PAGE_SHIFT;
		if (ph.p_vaddr < ELF_USER_MIN ||
		    last >= (user_top >> ELF_PAGE_SHIFT))
			return elf_fail(err, errlen,
					"segment %u: [0x%llx,0x%llx) outside user range [0x%x, 0x%llx)",
					i, ELF_X(ph.p_vaddr),
					ELF_X(ph.p_vaddr + (ph.p_memsz - 1) + 1),
					ELF_USER_MIN, ELF_X(user_top));
		/* Pages are mapped straight from the file, which needs the
		 * same offset within the page on both sides. */
		if ((ph.p_vaddr ^ ph.p_offset) & ELF_PAGE_MASK)
			return elf_fail(err, errlen,
					"segment %u: vaddr 0x%llx and offset 0x%llx differ modulo the 4 KiB page",
					i, ELF_X(ph.p_vaddr), ELF_X(ph.p_offset));
		/* Two segments in one page would need one mapping with two
		 * sets of permissions and contents. */
		for (j = 0; j < k; j++) {
			const struct elf_segment *o = &img->seg[j];
			uint64_t ofirst = o->vaddr >> ELF_PAGE_SHIFT;
			uint64_t olast = (o->vaddr + (o->memsz - 1)) >> ELF_PAGE_SHIFT;

			if (first <= olast && ofirst <= last)
				return elf_fail(err, errlen,
						"segment %u overlaps segment %u (both use page 0x%llx)",
						i, phidx[j],
						ELF_X((first > ofirst ? first : ofirst)
						      << ELF_PAGE_SHIFT));
		}

		img->seg[k].vaddr = ph.p_vaddr;
		img->seg[k].memsz = ph.p_memsz;
		img->seg[k].offset = ph.p_offset;
		img->seg[k].filesz = ph.p_filesz;
		img->seg[k].flags = ph.p_flags;
		phidx[k] = i;
		k++;
	}

	for (j = 0; j < k; j++) {
		const struct elf_segment *s = &img->seg[j];

		if ((s->flags & ELF_PF_X) && entry >= s->vaddr &&
		    entry - s->vaddr < s->memsz)
			break;
	}
	if (j == k)
		return elf_fail(err, errlen,
				"entry point 0x%llx not inside an executable segment",
				ELF_X(entry));

	img->entry = entry;
	img->nsegments = k;
	return 0;
}
