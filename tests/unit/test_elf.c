/* test_elf.c - unit tests for lib/elf64.c: hand-built ELF64 images, targeted corruptions and a fuzz run. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf64.h"
#include "unit.h"

#define USER_TOP 0x800000000000ULL
#define IMG_CAP  0x8000

struct seg_spec {
	uint32_t type;
	uint32_t flags;
	uint64_t offset, vaddr, filesz, memsz;
};

struct img {
	uint8_t b[IMG_CAP];
	size_t len;
};

/* The host is little-endian x86-64, so plain stores give file order. */
static void put16(struct img *m, size_t off, uint16_t v) { memcpy(m->b + off, &v, 2); }
static void put32(struct img *m, size_t off, uint32_t v) { memcpy(m->b + off, &v, 4); }
static void put64(struct img *m, size_t off, uint64_t v) { memcpy(m->b + off, &v, 8); }

/* Offsets of program header fields, for mutating built images. */
#define PH(i)       (ELF64_EHDR_SIZE + (size_t)(i) * ELF64_PHDR_SIZE)
#define PH_TYPE(i)   (PH(i) + 0)
#define PH_FLAGS(i)  (PH(i) + 4)
#define PH_OFFSET(i) (PH(i) + 8)
#define PH_VADDR(i)  (PH(i) + 16)
#define PH_FILESZ(i) (PH(i) + 32)
#define PH_MEMSZ(i)  (PH(i) + 40)
#define EH_TYPE      16
#define EH_MACHINE   18
#define EH_VERSION   20
#define EH_ENTRY     24
#define EH_PHOFF     32
#define EH_PHENTSIZE 54
#define EH_PHNUM     56

/* Build an ET_EXEC with the program headers right after the ELF header
 * and each segment's file bytes filled with a pattern. */
static void build(struct img *m, const struct seg_spec *s, unsigned n, uint64_t entry)
{
	struct elf64_ehdr eh;
	unsigned i;
	size_t end = PH(n);

	memset(m, 0, sizeof *m);
	memset(&eh, 0, sizeof eh);
	eh.e_ident[0] = ELF_MAG0;
	eh.e_ident[1] = ELF_MAG1;
	eh.e_ident[2] = ELF_MAG2;
	eh.e_ident[3] = ELF_MAG3;
	eh.e_ident[ELF_EI_CLASS] = ELF_CLASS64;
	eh.e_ident[ELF_EI_DATA] = ELF_DATA2LSB;
	eh.e_ident[ELF_EI_VERSION] = ELF_EV_CURRENT;
	eh.e_type = ELF_ET_EXEC;
	eh.e_machine = ELF_EM_X86_64;
	eh.e_version = ELF_EV_CURRENT;
	eh.e_entry = entry;
	eh.e_phoff = ELF64_EHDR_SIZE;
	eh.e_ehsize = ELF64_EHDR_SIZE;
	eh.e_phentsize = ELF64_PHDR_SIZE;
	eh.e_phnum = (uint16_t)n;
	memcpy(m->b, &eh, sizeof eh);
	for (i = 0; i < n; i++) {
		struct elf64_phdr ph;

		memset(&ph, 0, sizeof ph);
		ph.p_type = s[i].type;
		ph.p_flags = s[i].flags;
		ph.p_offset = s[i].offset;
		ph.p_vaddr = s[i].vaddr;
		ph.p_paddr = s[i].vaddr;
		ph.p_filesz = s[i].filesz;
		ph.p_memsz = s[i].memsz;
		ph.p_align = 0x1000;
		memcpy(m->b + PH(i), &ph, sizeof ph);
		if (s[i].type == ELF_PT_LOAD && s[i].offset + s[i].filesz <= IMG_CAP) {
			/* A segment may cover the headers; keep them intact. */
			uint64_t from = s[i].offset > PH(n) ? s[i].offset : PH(n);

			if (s[i].offset + s[i].filesz > from)
				memset(m->b + from, 0xc0 + (int)i,
				       s[i].offset + s[i].filesz - from);
			if (s[i].offset + s[i].filesz > end)
				end = s[i].offset + s[i].filesz;
		}
	}
	m->len = end;
}

/* text (entry), rodata, data+bss: what a small static program looks like. */
static const struct seg_spec valid3[] = {
	{ ELF_PT_LOAD, ELF_PF_R | ELF_PF_X, 0x1000, 0x401000, 0x80, 0x80 },
	{ ELF_PT_LOAD, ELF_PF_R,            0x2000, 0x402000, 0x40, 0x40 },
	{ ELF_PT_LOAD, ELF_PF_R | ELF_PF_W, 0x2100, 0x403100, 0x20, 0x2000 },
};
#define VALID_ENTRY 0x401000

static void build_valid(struct img *m)
{
	build(m, valid3, 3, VALID_ENTRY);
}

/*
 * Run the checker on an exact-size heap copy one byte past an aligned
 * address, so ASan catches any read past the end and nothing may rely on
 * alignment. The error buffer is also exact-size on the heap.
 */
static int run(const uint8_t *data, size_t len, uint64_t top,
	       struct elf_image *out, char *err, size_t errlen)
{
	uint8_t *raw = malloc(len + 1);
	char *e = errlen ? malloc(errlen) : NULL;
	int r;

	REQUIRE(raw != NULL);
	memcpy(raw + 1, data, len);
	r = elf_check_exec(raw + 1, len, top, out, e, errlen);
	if (errlen)
		memcpy(err, e, errlen);
	free(e);
	free(raw);
	return r;
}

/* Expect rejection with a one-line message holding all the key words. */
#define REJECT(m, len, top, ...)					\
	do {								\
		const char *rj_keys_[] = { __VA_ARGS__ };		\
		char rj_err_[200];					\
		struct elf_image rj_out_;				\
		size_t rj_i_;						\
		int rj_r_ = run((m)->b, (len), (top), &rj_out_, rj_err_, sizeof rj_err_); \
		CHECK_EQ_INT(rj_r_, -1);				\
		if (rj_r_ == -1) {					\
			CHECK(rj_err_[0] != '\0');			\
			CHECK(strchr(rj_err_, '\n') == NULL);		\
			for (rj_i_ = 0; rj_i_ < sizeof rj_keys_ / sizeof rj_keys_[0]; rj_i_++) \
				CHECK_CONTAINS(rj_err_, rj_keys_[rj_i_]); \
		}							\
	} while (0)

#define ACCEPT(m, len, top, outp)					\
	do {								\
		char ac_err_[200] = "";					\
		int ac_r_ = run((m)->b, (len), (top), (outp), ac_err_, sizeof ac_err_); \
		if (ac_r_ != 0)						\
			UNIT_FAIL("rejected a valid image: %s", ac_err_); \
	} while (0)

static void test_valid(void)
{
	struct img m;
	struct elf_image out;
	unsigned i;

	build_valid(&m);
	memset(&out, 0xa5, sizeof out);
	ACCEPT(&m, m.len, USER_TOP, &out);
	CHECK_EQ_INT(out.entry, VALID_ENTRY);
	REQUIRE(out.nsegments == 3);
	for (i = 0; i < 3; i++) {
		CHECK_EQ_INT(out.seg[i].vaddr, valid3[i].vaddr);
		CHECK_EQ_INT(out.seg[i].memsz, valid3[i].memsz);
		CHECK_EQ_INT(out.seg[i].offset, valid3[i].offset);
		CHECK_EQ_INT(out.seg[i].filesz, valid3[i].filesz);
		CHECK_EQ_INT(out.seg[i].flags, valid3[i].flags);
	}
	/* Validation only, and errors without a buffer. */
	CHECK_EQ_INT(elf_check_exec(m.b, m.len, USER_TOP, NULL, NULL, 0), 0);
	CHECK_EQ_INT(elf_check_exec(m.b, 10, USER_TOP, NULL, NULL, 0), -1);
	CHECK_EQ_INT(elf_check_exec(NULL, 0, USER_TOP, NULL, NULL, 0), -1);
}

static void test_valid_single_segment(void)
{
	static const struct seg_spec one[] = {
		/* Covers the headers too, as linkers often do. */
		{ ELF_PT_LOAD, ELF_PF_R | ELF_PF_W | ELF_PF_X, 0, 0x10000, 0x300, 0x300 },
	};
	struct img m;
	struct elf_image out;

	build(&m, one, 1, 0x102ff);
	ACCEPT(&m, m.len, USER_TOP, &out);
	CHECK_EQ_INT(out.nsegments, 1);
	CHECK_EQ_INT(out.seg[0].offset, 0);
}

static void test_trailing_garbage(void)
{
	struct img m;
	struct elf_image out;
	size_t i, len;

	build_valid(&m);
	len = m.len + 3001;
	for (i = m.len; i < len; i++)
		m.b[i] = (uint8_t)(i * 37);
	ACCEPT(&m, len, USER_TOP, &out);
	CHECK_EQ_INT(out.nsegments, 3);
}

static void test_non_load_ignored(void)
{
	static const struct seg_spec segs[] = {
		{ ELF_PT_PHDR, ELF_PF_R, 0x40, 0x400040, 0xa8, 0xa8 },
		{ ELF_PT_LOAD, ELF_PF_R | ELF_PF_X, 0x1000, 0x401000, 0x80, 0x80 },
		/* Nonsense in ignored headers must not matter. */
		{ ELF_PT_NOTE, 0, 0xffffffffffffff00ULL, 0, 0x1000, 0 },
		{ ELF_PT_GNU_STACK, ELF_PF_R | ELF_PF_W, 0, 0, 0, 0 },
		{ ELF_PT_LOAD, ELF_PF_R | ELF_PF_W, 0x2000, 0x402000, 0x10, 0x10 },
	};
	struct img m;
	struct elf_image out;

	build(&m, segs, 5, 0x401010);
	ACCEPT(&m, m.len, USER_TOP, &out);
	REQUIRE(out.nsegments == 2);
	CHECK_EQ_INT(out.seg[0].vaddr, 0x401000);
	CHECK_EQ_INT(out.seg[1].vaddr, 0x402000);
	/* Messages name program header indexes, as readelf does. */
	put64(&m, PH_MEMSZ(4), 0x8);
	REJECT(&m, m.len, USER_TOP, "segment 4", "filesz 0x10 > memsz 0x8");
}

static void test_truncated(void)
{
	static const size_t lens[] = { 0, 1, 4, 12, 16, 63 };
	struct img m;
	size_t i;
	char want[64];

	build_valid(&m);
	for (i = 0; i < sizeof lens / sizeof lens[0]; i++) {
		snprintf(want, sizeof want, "file is %zu bytes", lens[i]);
		REJECT(&m, lens[i], USER_TOP, "truncated", want, "64");
	}
	/* Header complete but program headers cut off. */
	REJECT(&m, 64, USER_TOP, "program headers", "outside file of 64 bytes");
	REJECT(&m, PH(3) - 1, USER_TOP, "program headers", "outside file");
	/* Segment data cut off: the last byte of segment 2 is missing. */
	REJECT(&m, m.len - 1, USER_TOP, "segment 2", "file range 0x2100+0x20",
	       "outside file");
	REJECT(&m, 0x2000, USER_TOP, "segment 1", "file range");
}

static void test_bad_magic(void)
{
	struct img m;
	int i;

	for (i = 0; i < 4; i++) {
		build_valid(&m);
		m.b[i] ^= 0x20;
		REJECT(&m, m.len, USER_TOP, "not an ELF file", "magic");
	}
	memset(&m, 0, sizeof m);
	memcpy(m.b, "#!/bin/sh\necho hi\n", 18);
	REJECT(&m, 100, USER_TOP, "not an ELF file");
}

static void test_wrong_class(void)
{
	struct img m;

	build_valid(&m);
	m.b[ELF_EI_CLASS] = 1;
	REJECT(&m, m.len, USER_TOP, "wrong class 1", "ELFCLASS64");
	m.b[ELF_EI_CLASS] = 0;
	REJECT(&m, m.len, USER_TOP, "wrong class 0");
	m.b[ELF_EI_CLASS] = 3;
	REJECT(&m, m.len, USER_TOP, "wrong class 3");
}

static void test_wrong_byte_order(void)
{
	struct img m;

	build_valid(&m);
	m.b[ELF_EI_DATA] = 2;
	REJECT(&m, m.len, USER_TOP, "wrong byte order");
	m.b[ELF_EI_DATA] = 0;
	REJECT(&m, m.len, USER_TOP, "wrong byte order");
}

static void test_wrong_version(void)
{
	struct img m;

	build_valid(&m);
	m.b[ELF_EI_VERSION] = 0;
	REJECT(&m, m.len, USER_TOP, "wrong ELF version 0");
	build_valid(&m);
	put32(&m, EH_VERSION, 2);
	REJECT(&m, m.len, USER_TOP, "wrong ELF version 2");
}

static void test_wrong_type(void)
{
	struct img m;

	build_valid(&m);
	put16(&m, EH_TYPE, 1);
	REJECT(&m, m.len, USER_TOP, "wrong type 1", "ET_EXEC");
	put16(&m, EH_TYPE, 3); /* ET_DYN: PIE binaries are not supported */
	REJECT(&m, m.len, USER_TOP, "wrong type 3", "ET_EXEC");
	put16(&m, EH_TYPE, 4);
	REJECT(&m, m.len, USER_TOP, "wrong type 4");
}

static void test_wrong_machine(void)
{
	struct img m;

	build_valid(&m);
	put16(&m, EH_MACHINE, 3);
	REJECT(&m, m.len, USER_TOP, "wrong machine 3", "x86-64 = 62");
	put16(&m, EH_MACHINE, 183); /* aarch64 */
	REJECT(&m, m.len, USER_TOP, "wrong machine 183");
}

static void test_bad_phentsize(void)
{
	struct img m;

	build_valid(&m);
	put16(&m, EH_PHENTSIZE, 40);
	REJECT(&m, m.len, USER_TOP, "program header entry size 40", "56");
	put16(&m, EH_PHENTSIZE, 0);
	REJECT(&m, m.len, USER_TOP, "program header entry size 0");
	put16(&m, EH_PHENTSIZE, 64);
	REJECT(&m, m.len, USER_TOP, "program header entry size 64");
}

static void test_phdrs_outside_file(void)
{
	static const uint64_t offs[] = { 0x2120, 0x2121, 0x2100, 0x20f0,
					 0xffffffffffffffffULL, 0xffffffffffffff00ULL,
					 0x8000000000000000ULL,
					 /* offset + table size wraps to a small number */
					 0xffffffffffffffa0ULL, 0xffffffffffffffc8ULL };
	struct img m;
	size_t i;

	for (i = 0; i < sizeof offs / sizeof offs[0]; i++) {
		build_valid(&m);
		REQUIRE(m.len == 0x2120);
		put64(&m, EH_PHOFF, offs[i]);
		REJECT(&m, m.len, USER_TOP, "program headers", "outside file of 8480 bytes");
	}
	build_valid(&m);
	put16(&m, EH_PHNUM, 0xffff);
	REJECT(&m, m.len, USER_TOP, "program headers", "65535");
	/* Exactly at the end is fine: the table may be the last thing. */
	build_valid(&m);
	memcpy(m.b + m.len, m.b + PH(0), 3 * ELF64_PHDR_SIZE);
	put64(&m, EH_PHOFF, m.len);
	ACCEPT(&m, m.len + 3 * ELF64_PHDR_SIZE, USER_TOP, NULL);
	REJECT(&m, m.len + 3 * ELF64_PHDR_SIZE - 1, USER_TOP, "program headers");
}

static void test_no_program_headers(void)
{
	struct img m;

	build_valid(&m);
	put16(&m, EH_PHNUM, 0);
	REJECT(&m, m.len, USER_TOP, "no loadable segment");
}

static void test_segment_outside_file(void)
{
	struct img m;

	build_valid(&m);
	put64(&m, PH_OFFSET(1), 0x3000);
	put64(&m, PH_VADDR(1), 0x402000);
	REJECT(&m, m.len, USER_TOP, "segment 1", "file range 0x3000+0x40",
	       "outside file of 8480 bytes");
	build_valid(&m);
	put64(&m, PH_FILESZ(2), 0x21);
	REJECT(&m, m.len, USER_TOP, "segment 2", "file range 0x2100+0x21");
	/* offset + filesz wraps around 2^64 to a small number. */
	build_valid(&m);
	put64(&m, PH_OFFSET(0), 0xffffffffffffff00ULL);
	put64(&m, PH_FILESZ(0), 0x200);
	put64(&m, PH_MEMSZ(0), 0x200);
	REJECT(&m, m.len, USER_TOP, "segment 0", "file range 0xffffffffffffff00+0x200");
	build_valid(&m);
	put64(&m, PH_FILESZ(0), 0xffffffffffffffffULL);
	put64(&m, PH_MEMSZ(0), 0xffffffffffffffffULL);
	REJECT(&m, m.len, USER_TOP, "segment 0", "file range");
	/* filesz 0 may point at the very end of the file. */
	build_valid(&m);
	put64(&m, PH_OFFSET(2), 0x2120);
	put64(&m, PH_VADDR(2), 0x403120);
	put64(&m, PH_FILESZ(2), 0);
	ACCEPT(&m, 0x2120, USER_TOP, NULL);
}

static void test_filesz_gt_memsz(void)
{
	struct img m;

	build_valid(&m);
	put64(&m, PH_MEMSZ(1), 0x3f);
	REJECT(&m, m.len, USER_TOP, "segment 1", "filesz 0x40 > memsz 0x3f");
}

static void test_empty_segment(void)
{
	struct img m;

	build_valid(&m);
	put64(&m, PH_FILESZ(1), 0);
	put64(&m, PH_MEMSZ(1), 0);
	REJECT(&m, m.len, USER_TOP, "segment 1", "memsz 0");
}

static void test_page_zero(void)
{
	static const uint64_t vaddrs[] = { 0x0, 0x100, 0xfff };
	struct img m;
	size_t i;

	for (i = 0; i < sizeof vaddrs / sizeof vaddrs[0]; i++) {
		build_valid(&m);
		put64(&m, PH_VADDR(1), vaddrs[i]);
		REJECT(&m, m.len, USER_TOP, "segment 1", "outside user range [0x1000, 0x800000000000)");
	}
	/* Lowest allowed page works. */
	build_valid(&m);
	put64(&m, PH_VADDR(1), 0x1000);
	ACCEPT(&m, m.len, USER_TOP, NULL);
}

static void test_above_user_top(void)
{
	struct img m;

	/* The bss of segment 2 ends at 0x405100, in page 0x405000. */
	build_valid(&m);
	ACCEPT(&m, m.len, 0x406000, NULL);
	REJECT(&m, m.len, 0x405000, "segment 2", "[0x403100,0x405100)",
	       "outside user range [0x1000, 0x405000)");
	REJECT(&m, m.len, 0x405100, "segment 2", "outside user range");
	REJECT(&m, m.len, 0x400000, "segment 0", "outside user range");
	REJECT(&m, m.len, 0, "segment 0", "outside user range");
	build_valid(&m);
	put64(&m, PH_VADDR(1), USER_TOP);
	REJECT(&m, m.len, USER_TOP, "segment 1", "[0x800000000000,0x800000000040)",
	       "outside user range");
	put64(&m, PH_VADDR(1), USER_TOP - 0x1000);
	put64(&m, PH_MEMSZ(1), 0x1001);
	REJECT(&m, m.len, USER_TOP, "segment 1", "outside user range");
	/* Ending exactly at user_top is allowed. */
	put64(&m, PH_MEMSZ(1), 0x1000);
	ACCEPT(&m, m.len, USER_TOP, NULL);
}

static void test_vaddr_wrap(void)
{
	struct img m;

	build_valid(&m);
	put64(&m, PH_VADDR(1), 0xfffffffffffff000ULL);
	put64(&m, PH_MEMSZ(1), 0x2000);
	REJECT(&m, m.len, USER_TOP, "segment 1", "wraps", "outside user range");
	put64(&m, PH_MEMSZ(1), 0x1000); /* ends exactly at 2^64 */
	REJECT(&m, m.len, USER_TOP, "segment 1", "outside user range");
	REJECT(&m, m.len, UINT64_MAX, "segment 1", "outside user range");
	build_valid(&m);
	put64(&m, PH_MEMSZ(2), 0xffffffffffffff00ULL);
	REJECT(&m, m.len, UINT64_MAX, "segment 2", "wraps");
}

static void test_misaligned(void)
{
	struct img m;

	build_valid(&m);
	put64(&m, PH_VADDR(1), 0x402010);
	REJECT(&m, m.len, USER_TOP, "segment 1", "vaddr 0x402010 and offset 0x2000",
	       "differ modulo the 4 KiB page");
	build_valid(&m);
	put64(&m, PH_OFFSET(2), 0x2101);
	put64(&m, PH_FILESZ(2), 0x1f);
	REJECT(&m, m.len, USER_TOP, "segment 2", "differ modulo");
}

static void test_overlap(void)
{
	struct img m;

	/* Different bytes, same page. */
	build_valid(&m);
	put64(&m, PH_VADDR(1), 0x401000 + 0x800);
	put64(&m, PH_OFFSET(1), 0x1800);
	REJECT(&m, m.len, USER_TOP, "segment 1 overlaps segment 0", "0x401000");
	/* Later segment below an earlier one, overlapping its bss. */
	build_valid(&m);
	put64(&m, PH_VADDR(1), 0x404000);
	REJECT(&m, m.len, USER_TOP, "segment 2 overlaps segment 1");
	/* One segment containing another. */
	build_valid(&m);
	put64(&m, PH_MEMSZ(0), 0x10000);
	REJECT(&m, m.len, USER_TOP, "segment 1 overlaps segment 0");
	/* Adjacent pages are fine. */
	build_valid(&m);
	put64(&m, PH_MEMSZ(0), 0x1000);
	ACCEPT(&m, m.len, USER_TOP, NULL);
}

static void build_many(struct img *m, unsigned n)
{
	struct seg_spec s[40];
	unsigned i;

	for (i = 0; i < n; i++) {
		s[i].type = ELF_PT_LOAD;
		s[i].flags = i == 0 ? ELF_PF_R | ELF_PF_X : ELF_PF_R;
		s[i].offset = 0x1000 + 0x100 * (uint64_t)i;
		s[i].vaddr = 0x400000 + 0x1000 * (uint64_t)i + 0x100 * (uint64_t)i;
		s[i].filesz = 0x10;
		s[i].memsz = 0x10;
	}
	build(m, s, n, 0x400000);
}

static void test_too_many_segments(void)
{
	struct img m;
	struct elf_image out;

	build_many(&m, ELF_MAX_SEGMENTS);
	ACCEPT(&m, m.len, USER_TOP, &out);
	CHECK_EQ_INT(out.nsegments, ELF_MAX_SEGMENTS);
	build_many(&m, 17);
	REJECT(&m, m.len, USER_TOP, "too many loadable segments (17, max 16)");
	build_many(&m, 40);
	REJECT(&m, m.len, USER_TOP, "too many loadable segments (40, max 16)");
	/* Non-load headers do not count. */
	build_many(&m, 20);
	put32(&m, PH_TYPE(17), ELF_PT_NOTE);
	put32(&m, PH_TYPE(18), ELF_PT_NULL);
	put32(&m, PH_TYPE(19), ELF_PT_GNU_STACK);
	REJECT(&m, m.len, USER_TOP, "too many loadable segments (17, max 16)");
	put32(&m, PH_TYPE(16), ELF_PT_TLS);
	ACCEPT(&m, m.len, USER_TOP, NULL);
}

static void test_no_load(void)
{
	struct img m;
	unsigned i;

	build_valid(&m);
	for (i = 0; i < 3; i++)
		put32(&m, PH_TYPE(i), ELF_PT_NOTE);
	REJECT(&m, m.len, USER_TOP, "no loadable segment");
}

static void test_entry(void)
{
	struct img m;

	build_valid(&m);
	put64(&m, EH_ENTRY, 0x402000); /* read-only data */
	REJECT(&m, m.len, USER_TOP, "entry point 0x402000", "not inside an executable segment");
	put64(&m, EH_ENTRY, 0x401080); /* one past the end of text */
	REJECT(&m, m.len, USER_TOP, "entry point 0x401080");
	put64(&m, EH_ENTRY, 0);
	REJECT(&m, m.len, USER_TOP, "entry point 0x0");
	put64(&m, EH_ENTRY, 0x40107f); /* last byte of text */
	ACCEPT(&m, m.len, USER_TOP, NULL);
	/* Same address, but the segment lost its X flag. */
	put32(&m, PH_FLAGS(0), ELF_PF_R);
	REJECT(&m, m.len, USER_TOP, "entry point 0x40107f");
}

static void test_small_error_buffer(void)
{
	struct img m;
	char err[8];

	build_valid(&m);
	m.b[0] = 0;
	/* run() hands over an exact 8-byte heap buffer; ASan guards it. */
	CHECK_EQ_INT(run(m.b, m.len, USER_TOP, NULL, err, sizeof err), -1);
	CHECK_STR(err, "not an ");
	CHECK_EQ_INT(run(m.b, m.len, USER_TOP, NULL, err, 1), -1);
	CHECK_EQ_INT(err[0], '\0');
}

/* Deterministic PRNG (splitmix64) so any fuzz failure reproduces. */
static uint64_t fuzz_state = 0x5eca4e1f00d1234ULL;

static uint64_t rnd(void)
{
	uint64_t z = (fuzz_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Values that sit on the edges the checker has to get right. */
static uint64_t interesting(size_t len)
{
	static const uint64_t v[] = {
		0, 1, 0x38, 0x40, 0xfff, 0x1000, 0x1001, 0x2000, 0x2100, 0x401000,
		0x7fffffffffffULL, 0x800000000000ULL, 0x7ffffffff000ULL,
		0xffffffffffffffffULL, 0xffffffffffffff00ULL, 0xfffffffffffff000ULL,
		0x8000000000000000ULL, 0xffffffff, 0x100000000ULL,
	};
	switch (rnd() % 4) {
	case 0:
		return len + rnd() % 3 - 1;
	case 1:
		return rnd();
	default:
		return v[rnd() % (sizeof v / sizeof v[0])] + (rnd() % 3 == 0 ? rnd() % 0x2000 : 0);
	}
}

/* Everything elf_check_exec promises about an image it accepted. */
static void check_invariants(const struct elf_image *o, size_t len, uint64_t top, int iter)
{
	unsigned i, j;
	int entry_ok = 0;

	if (o->nsegments < 1 || o->nsegments > ELF_MAX_SEGMENTS) {
		UNIT_FAIL("iteration %d: accepted with %u segments", iter, o->nsegments);
		return;
	}
	for (i = 0; i < o->nsegments; i++) {
		const struct elf_segment *s = &o->seg[i];
		unsigned __int128 vend = (unsigned __int128)s->vaddr + s->memsz;
		unsigned __int128 fend = (unsigned __int128)s->offset + s->filesz;

		if (fend > len || s->filesz > s->memsz || s->memsz == 0 ||
		    s->vaddr < 0x1000 || vend > top ||
		    ((s->vaddr ^ s->offset) & 0xfff))
			UNIT_FAIL("iteration %d: accepted bad segment %u: vaddr 0x%llx memsz 0x%llx offset 0x%llx filesz 0x%llx (file %zu, top 0x%llx)",
				  iter, i, (unsigned long long)s->vaddr,
				  (unsigned long long)s->memsz,
				  (unsigned long long)s->offset,
				  (unsigned long long)s->filesz, len,
				  (unsigned long long)top);
		for (j = 0; j < i; j++) {
			const struct elf_segment *t = &o->seg[j];

			if (s->vaddr / 0x1000 <= (t->vaddr + t->memsz - 1) / 0x1000 &&
			    t->vaddr / 0x1000 <= (s->vaddr + s->memsz - 1) / 0x1000)
				UNIT_FAIL("iteration %d: accepted overlapping segments %u and %u",
					  iter, j, i);
		}
		if ((s->flags & ELF_PF_X) && o->entry >= s->vaddr &&
		    o->entry - s->vaddr < s->memsz)
			entry_ok = 1;
	}
	if (!entry_ok)
		UNIT_FAIL("iteration %d: accepted entry 0x%llx outside executable segments",
			  iter, (unsigned long long)o->entry);
}

static void test_fuzz(void)
{
	static const size_t fields[] = { EH_TYPE, EH_MACHINE, EH_ENTRY, EH_PHOFF,
					 EH_PHENTSIZE, EH_PHNUM };
	struct img base, m;
	int iter, accepted = 0, rejected = 0;

	build_valid(&base);
	for (iter = 0; iter < 20000; iter++) {
		struct elf_image out;
		char err[160];
		unsigned nmut = 1 + (unsigned)(rnd() % 4), k;
		size_t len;
		uint64_t top = rnd() % 8 == 0 ? interesting(0) : USER_TOP;
		int r;

		if (rnd() % 4 == 0)
			build_many(&m, 1 + (unsigned)(rnd() % 18));
		else
			m = base;
		len = m.len;
		for (k = 0; k < nmut; k++) {
			unsigned ph = (unsigned)(rnd() % 4);

			switch (rnd() % 8) {
			case 0: /* random byte anywhere in the headers */
				m.b[rnd() % (PH(4))] = (uint8_t)rnd();
				break;
			case 1:
				put64(&m, PH_OFFSET(ph), interesting(len));
				break;
			case 2:
				put64(&m, PH_VADDR(ph), interesting(len));
				break;
			case 3:
				put64(&m, PH_FILESZ(ph), interesting(len));
				break;
			case 4:
				put64(&m, PH_MEMSZ(ph), interesting(len));
				break;
			case 5:
				put32(&m, PH_TYPE(ph), rnd() % 3 ? ELF_PT_LOAD : (uint32_t)rnd() % 8);
				put32(&m, PH_FLAGS(ph), (uint32_t)rnd() % 8);
				break;
			case 6: {
				size_t f = fields[rnd() % (sizeof fields / sizeof fields[0])];

				if (f == EH_ENTRY || f == EH_PHOFF)
					put64(&m, f, interesting(len));
				else
					put16(&m, f, (uint16_t)(rnd() % 3 ? rnd() % 64 : rnd()));
				break;
			}
			default: /* truncate, or keep trailing bytes */
				len = rnd() % 2 ? rnd() % (len + 1) : len + rnd() % 64;
				break;
			}
		}
		if (len > IMG_CAP)
			len = IMG_CAP;
		r = run(m.b, len, top, &out, err, sizeof err);
		if (r == 0) {
			accepted++;
			check_invariants(&out, len, top, iter);
		} else {
			rejected++;
			if (r != -1 || err[0] == '\0' || strchr(err, '\n'))
				UNIT_FAIL("iteration %d: bad failure report %d \"%s\"", iter, r, err);
		}
	}
	/* The mutations must leave enough valid images to test acceptance. */
	CHECK(accepted > 1000);
	CHECK(rejected > 1000);
	fprintf(stderr, "elf.fuzz: %d accepted, %d rejected\n", accepted, rejected);
}

static const struct unit_test tests[] = {
	{ "elf.valid", test_valid },
	{ "elf.valid_single_segment", test_valid_single_segment },
	{ "elf.trailing_garbage", test_trailing_garbage },
	{ "elf.non_load_ignored", test_non_load_ignored },
	{ "elf.truncated", test_truncated },
	{ "elf.bad_magic", test_bad_magic },
	{ "elf.wrong_class", test_wrong_class },
	{ "elf.wrong_byte_order", test_wrong_byte_order },
	{ "elf.wrong_version", test_wrong_version },
	{ "elf.wrong_type", test_wrong_type },
	{ "elf.wrong_machine", test_wrong_machine },
	{ "elf.bad_phentsize", test_bad_phentsize },
	{ "elf.phdrs_outside_file", test_phdrs_outside_file },
	{ "elf.no_program_headers", test_no_program_headers },
	{ "elf.segment_outside_file", test_segment_outside_file },
	{ "elf.filesz_gt_memsz", test_filesz_gt_memsz },
	{ "elf.empty_segment", test_empty_segment },
	{ "elf.page_zero", test_page_zero },
	{ "elf.above_user_top", test_above_user_top },
	{ "elf.vaddr_wrap", test_vaddr_wrap },
	{ "elf.misaligned", test_misaligned },
	{ "elf.overlap", test_overlap },
	{ "elf.too_many_segments", test_too_many_segments },
	{ "elf.no_load", test_no_load },
	{ "elf.entry", test_entry },
	{ "elf.small_error_buffer", test_small_error_buffer },
	{ "elf.fuzz", test_fuzz },
};

UNIT_MAIN(tests)
