/* test_kmod.c - unit tests for lib/kmod.c: modules built in memory, each hostile input, and a fuzz run. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmod.h"
#include "unit.h"

#define THIS_MODULE_SIZE 128
#define VERMAGIC "6.1.0-pecan-lx mod_unload"
#define CORE_ADDR 0x40000000ull
#define INIT_ADDR 0x40100000ull
#define PRINTK_ADDR 0x401234ull
#define GPLSYM_ADDR 0x405000ull

/* ---- an ELF relocatable object, built in memory ---- */

enum { S_TEXT = 1, S_RODATA, S_DATA, S_BSS, S_INIT, S_MODINFO, S_THIS, S_RELA_TEXT, S_RELA_THIS, S_COMMENT,
       S_RELA_COMMENT, S_SYMTAB, S_STRTAB, S_SHSTRTAB, NSECT };
enum { Y_TEXT = 1, Y_INIT_MODULE, Y_CLEANUP, Y_PRINTK, Y_MSG, Y_COUNTER, Y_WEAK, Y_GPLSYM, NSYM };

struct img {
	uint8_t *b;
	size_t len;
	size_t shoff;                   /* section headers */
	size_t sec_off[NSECT];          /* each section's contents */
};

struct spec {
	const char *name;
	uint32_t type;
	uint64_t flags, align, entsize;
	uint32_t link, info;
	const void *data;
	size_t size;
};

static const uint8_t text_bytes[40];
static const char rodata_bytes[] = "hello";
static const uint8_t data_bytes[16] = {1, 2, 3};
static const uint8_t init_bytes[16] = {0xc3};
static const char modinfo_gpl[] = "license=GPL\0name=test-mod\0vermagic=" VERMAGIC;
static const uint8_t this_bytes[THIS_MODULE_SIZE];
static const uint8_t comment_bytes[8];

struct sym_spec {
	const char *name;
	uint8_t info;
	uint16_t shndx;
	uint64_t value;
};
static const struct sym_spec syms[NSYM] = {
	[Y_TEXT] = {"", 3 /* STT_SECTION */, S_TEXT, 0},
	[Y_INIT_MODULE] = {"init_module", 0x12, S_INIT, 0},
	[Y_CLEANUP] = {"cleanup_module", 0x12, S_TEXT, 0},
	[Y_PRINTK] = {"printk", 0x10, 0, 0},
	[Y_MSG] = {"msg", 0x01, S_RODATA, 0},
	[Y_COUNTER] = {"counter", 0x01, S_BSS, 8},
	[Y_WEAK] = {"maybe_there", 0x20, 0, 0},
	[Y_GPLSYM] = {"gpl_only_fn", 0x10, 0, 0},
};

struct rel_spec {
	uint64_t offset;
	uint32_t type, sym;
	int64_t addend;
};
static const struct rel_spec text_rels[] = {
	{1, KMOD_R_PLT32, Y_PRINTK, -4},
	{5, KMOD_R_PC32, Y_MSG, -4},
	{9, KMOD_R_32S, Y_COUNTER, 0},
	{13, KMOD_R_64, Y_MSG, 2},
	{21, KMOD_R_32, Y_MSG, 0},
	{25, KMOD_R_REX_GOTPCRELX, Y_PRINTK, -4},
	{29, KMOD_R_64, Y_WEAK, 0},
	{0, KMOD_R_NONE, 0, 0},
};
static const struct rel_spec this_rels[] = {
	{56, KMOD_R_64, Y_INIT_MODULE, 0},
	{64, KMOD_R_64, Y_CLEANUP, 0},
};
static const struct rel_spec comment_rels[] = {
	{0, KMOD_R_32, Y_MSG, 0}, /* a debug-like section: never applied */
};

static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

static size_t align8(size_t v) { return (v + 7) & ~(size_t)7; }

/* The standard test module; modinfo may be replaced (NULL: the GPL one). */
static void build(struct img *m, const char *modinfo, size_t modinfo_size)
{
	if (!modinfo) {
		modinfo = modinfo_gpl;
		modinfo_size = sizeof(modinfo_gpl);
	}
	/* string tables */
	static char strtab[256], shstrtab[512];
	size_t strtab_len = 1, shstr_len = 1;
	uint32_t sym_name[NSYM] = {0}, sec_name[NSECT] = {0};
	strtab[0] = shstrtab[0] = 0;
	for (int i = 1; i < NSYM; i++) {
		if (!*syms[i].name)
			continue;
		sym_name[i] = (uint32_t)strtab_len;
		strcpy(strtab + strtab_len, syms[i].name);
		strtab_len += strlen(syms[i].name) + 1;
	}
	/* symbols and relocations */
	static uint8_t symtab[NSYM * 24], rela_text[sizeof(text_rels) / sizeof(text_rels[0]) * 24],
		rela_this[sizeof(this_rels) / sizeof(this_rels[0]) * 24],
		rela_comment[sizeof(comment_rels) / sizeof(comment_rels[0]) * 24];
	memset(symtab, 0, sizeof(symtab));
	for (int i = 1; i < NSYM; i++) {
		uint8_t *p = symtab + i * 24;
		put32(p, sym_name[i]);
		p[4] = syms[i].info;
		put16(p + 6, syms[i].shndx);
		put64(p + 8, syms[i].value);
	}
	const struct {
		const struct rel_spec *r;
		size_t n;
		uint8_t *out;
	} rels[] = {
		{text_rels, sizeof(text_rels) / sizeof(text_rels[0]), rela_text},
		{this_rels, sizeof(this_rels) / sizeof(this_rels[0]), rela_this},
		{comment_rels, sizeof(comment_rels) / sizeof(comment_rels[0]), rela_comment},
	};
	for (size_t k = 0; k < 3; k++)
		for (size_t j = 0; j < rels[k].n; j++) {
			uint8_t *p = rels[k].out + j * 24;
			put64(p, rels[k].r[j].offset);
			put64(p + 8, (uint64_t)rels[k].r[j].sym << 32 | rels[k].r[j].type);
			put64(p + 16, (uint64_t)rels[k].r[j].addend);
		}

	struct spec sp[NSECT] = {
		[S_TEXT] = {".text", KMOD_SHT_PROGBITS, 6, 16, 0, 0, 0, text_bytes, sizeof(text_bytes)},
		[S_RODATA] = {".rodata", KMOD_SHT_PROGBITS, 2, 1, 0, 0, 0, rodata_bytes, sizeof(rodata_bytes)},
		[S_DATA] = {".data", KMOD_SHT_PROGBITS, 3, 8, 0, 0, 0, data_bytes, sizeof(data_bytes)},
		[S_BSS] = {".bss", KMOD_SHT_NOBITS, 3, 32, 0, 0, 0, NULL, 64},
		[S_INIT] = {".init.text", KMOD_SHT_PROGBITS, 6, 16, 0, 0, 0, init_bytes, sizeof(init_bytes)},
		[S_MODINFO] = {".modinfo", KMOD_SHT_PROGBITS, 2, 1, 0, 0, 0, modinfo, modinfo_size},
		[S_THIS] = {".gnu.linkonce.this_module", KMOD_SHT_PROGBITS, 3, 64, 0, 0, 0, this_bytes, sizeof(this_bytes)},
		[S_RELA_TEXT] = {".rela.text", KMOD_SHT_RELA, 0x40, 8, 24, S_SYMTAB, S_TEXT, rela_text, sizeof(rela_text)},
		[S_RELA_THIS] = {".rela.gnu.linkonce.this_module", KMOD_SHT_RELA, 0x40, 8, 24, S_SYMTAB, S_THIS, rela_this,
				 sizeof(rela_this)},
		[S_COMMENT] = {".comment", KMOD_SHT_PROGBITS, 0, 1, 0, 0, 0, comment_bytes, sizeof(comment_bytes)},
		[S_RELA_COMMENT] = {".rela.comment", KMOD_SHT_RELA, 0x40, 8, 24, S_SYMTAB, S_COMMENT, rela_comment,
				    sizeof(rela_comment)},
		[S_SYMTAB] = {".symtab", KMOD_SHT_SYMTAB, 0, 8, 24, S_STRTAB, Y_PRINTK, symtab, sizeof(symtab)},
		[S_STRTAB] = {".strtab", KMOD_SHT_STRTAB, 0, 1, 0, 0, 0, strtab, 0},
		[S_SHSTRTAB] = {".shstrtab", KMOD_SHT_STRTAB, 0, 1, 0, 0, 0, shstrtab, 0},
	};
	for (int i = 1; i < NSECT; i++) {
		sec_name[i] = (uint32_t)shstr_len;
		strcpy(shstrtab + shstr_len, sp[i].name);
		shstr_len += strlen(sp[i].name) + 1;
	}
	sp[S_STRTAB].size = strtab_len;
	sp[S_SHSTRTAB].size = shstr_len;

	size_t off = 64;
	for (int i = 1; i < NSECT; i++)
		if (sp[i].type != KMOD_SHT_NOBITS)
			off = align8(off) + sp[i].size;
	m->shoff = align8(off);
	m->len = m->shoff + NSECT * 64;
	m->b = calloc(1, m->len);
	uint8_t *b = m->b;
	memcpy(b, "\x7f" "ELF\2\1\1", 7);
	put16(b + 16, KMOD_ET_REL);
	put16(b + 18, 62);
	put32(b + 20, 1);
	put64(b + 40, m->shoff);
	put16(b + 52, 64);
	put16(b + 58, 64);
	put16(b + 60, NSECT);
	put16(b + 62, S_SHSTRTAB);
	off = 64;
	for (int i = 1; i < NSECT; i++) {
		uint8_t *h = b + m->shoff + (size_t)i * 64;
		m->sec_off[i] = sp[i].type == KMOD_SHT_NOBITS ? 0 : align8(off);
		if (sp[i].type != KMOD_SHT_NOBITS) {
			memcpy(b + m->sec_off[i], sp[i].data, sp[i].size);
			off = m->sec_off[i] + sp[i].size;
		}
		put32(h, sec_name[i]);
		put32(h + 4, sp[i].type);
		put64(h + 8, sp[i].flags);
		put64(h + 24, m->sec_off[i]);
		put64(h + 32, sp[i].size);
		put32(h + 40, sp[i].link);
		put32(h + 44, sp[i].info);
		put64(h + 48, sp[i].align);
		put64(h + 56, sp[i].entsize);
	}
}

static size_t sh(const struct img *m, int i, int field) { return m->shoff + (size_t)i * 64 + (size_t)field; }
enum { SH_NAME = 0, SH_TYPE = 4, SH_FLAGS = 8, SH_OFFSET = 24, SH_SIZE = 32, SH_LINK = 40, SH_INFO = 44, SH_ALIGN = 48 };
static size_t sym_field(const struct img *m, int i, int field) { return m->sec_off[S_SYMTAB] + (size_t)i * 24 + (size_t)field; }
static size_t rela_field(const struct img *m, int sec, int j, int field) { return m->sec_off[sec] + (size_t)j * 24 + (size_t)field; }

/* ---- running the loader ---- */

struct lookup_ctx {
	bool have_printk;
	int calls;
	int unknown;               /* symbols reported unknown */
};

static void unknown(void *ctx, const char *name, const char *why)
{
	struct lookup_ctx *c = ctx;
	c->unknown++;
	if (!strstr(why, name))
		UNIT_FAIL("the reason '%s' does not name %s", why, name);
}

static int lookup(void *ctx, const char *name, uint64_t *value, bool *gpl_only)
{
	struct lookup_ctx *c = ctx;
	c->calls++;
	if (!strcmp(name, "printk") && c->have_printk) {
		*value = PRINTK_ADDR;
		*gpl_only = false;
		return 0;
	}
	if (!strcmp(name, "gpl_only_fn")) {
		*value = GPLSYM_ADDR;
		*gpl_only = true;
		return 0;
	}
	return -1;
}

struct result {
	int rc;
	char err[200];
	struct kmod_image *m;
	struct kmod_info info;
	uint8_t *core, *init;
	uint64_t *symval;
};

/* All four steps on an exact-size heap copy (ASan sees any overread). */
static void load(const uint8_t *bytes, size_t len, uint64_t core_addr, struct lookup_ctx *ctx, struct result *r)
{
	memset(r, 0, sizeof(*r));
	uint8_t *copy = malloc(len ? len : 1);
	memcpy(copy, bytes, len);
	r->m = malloc(sizeof(*r->m));
	REQUIRE(copy && r->m);
	r->rc = kmod_parse(r->m, copy, len, THIS_MODULE_SIZE, r->err, sizeof(r->err));
	if (!r->rc)
		r->rc = kmod_check_modinfo(r->m, VERMAGIC, &r->info, r->err, sizeof(r->err));
	if (!r->rc && (r->m->core_size > (1u << 20) || r->m->init_size > (1u << 20))) {
		r->rc = -1000; /* the fuzzer's large sizes: layout checked, not loaded */
	}
	if (!r->rc) {
		r->symval = calloc(r->m->nsyms, sizeof(uint64_t));
		r->core = calloc(1, r->m->core_size ? r->m->core_size : 1);
		r->init = calloc(1, r->m->init_size ? r->m->init_size : 1);
		r->rc = kmod_resolve(r->m, core_addr, INIT_ADDR, r->info.gpl_compatible, lookup, unknown, ctx, r->symval,
				     r->err, sizeof(r->err));
		if (!r->rc)
			r->rc = kmod_relocate(r->m, r->core, core_addr, r->init, INIT_ADDR, r->symval, r->err,
					      sizeof(r->err));
	}
	r->m->file = NULL; /* the copy goes now */
	free(copy);
}

static void result_free(struct result *r)
{
	free(r->m);
	free(r->core);
	free(r->init);
	free(r->symval);
}

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}
static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

/* Expect a failure with rc and a message containing want. */
#define EXPECT_FAIL(img, len, rc_want, want)                                     \
	do {                                                                     \
		struct lookup_ctx ctx_ = {.have_printk = true};                  \
		struct result r_;                                                \
		load((img)->b, (len), CORE_ADDR, &ctx_, &r_);                    \
		CHECK_EQ_INT(r_.rc, (rc_want));                                  \
		CHECK_CONTAINS(r_.err, (want));                                  \
		result_free(&r_);                                                \
	} while (0)

/* ---- the tests ---- */

static void test_valid(void)
{
	struct img m;
	build(&m, NULL, 0);
	struct lookup_ctx ctx = {.have_printk = true};
	struct result r;
	load(m.b, m.len, CORE_ADDR, &ctx, &r);
	REQUIRE(r.rc == 0);
	CHECK_STR(r.info.name, "test_mod");
	CHECK(r.info.gpl_compatible);
	CHECK_STR(r.info.license, "GPL");
	const struct kmod_image *k = r.m;
	CHECK_EQ_INT(k->sect[S_TEXT].area, KMOD_AREA_CORE);
	CHECK_EQ_INT(k->sect[S_INIT].area, KMOD_AREA_INIT);
	CHECK_EQ_INT(k->sect[S_MODINFO].area, KMOD_AREA_NONE);
	CHECK_EQ_INT(k->sect[S_COMMENT].area, KMOD_AREA_NONE);
	CHECK_EQ_INT(k->sect[S_TEXT].area_off, 0); /* code first */
	CHECK_EQ_INT(k->got_slots, 1);
	CHECK_EQ_INT(k->this_module, S_THIS);
	CHECK_EQ_INT(k->sect[S_THIS].area_off % 64, 0);
	CHECK_EQ_INT(k->sect[S_BSS].area_off % 32, 0);
	CHECK(k->sect[S_BSS].area_off >= k->sect[S_THIS].area_off + THIS_MODULE_SIZE); /* zero-fill last */

	uint64_t text = CORE_ADDR + k->sect[S_TEXT].area_off, rodata = CORE_ADDR + k->sect[S_RODATA].area_off;
	uint64_t bss = CORE_ADDR + k->sect[S_BSS].area_off;
	const uint8_t *t = r.core + k->sect[S_TEXT].area_off;
	CHECK_EQ_INT((int32_t)rd32(t + 1), (int64_t)(PRINTK_ADDR - 4 - (text + 1)));
	CHECK_EQ_INT((int32_t)rd32(t + 5), (int64_t)(rodata - 4 - (text + 5)));
	CHECK_EQ_INT(rd32(t + 9), bss + 8);
	CHECK_EQ_INT(rd64(t + 13), rodata + 2);
	CHECK_EQ_INT(rd32(t + 21), rodata);
	/* GOTPCRELX: points at a slot that holds printk's address */
	uint64_t slot = text + 25 + 4 + (uint64_t)(int64_t)(int32_t)rd32(t + 25); /* P - A + value */
	CHECK_EQ_INT(slot, CORE_ADDR + k->got_off);
	CHECK_EQ_INT(rd64(r.core + k->got_off), PRINTK_ADDR);
	CHECK_EQ_INT(rd64(t + 29), 0); /* the weak symbol nobody has */
	/* struct module's init and exit pointers */
	const uint8_t *th = r.core + k->sect[S_THIS].area_off;
	CHECK_EQ_INT(rd64(th + 56), INIT_ADDR + k->sect[S_INIT].area_off);
	CHECK_EQ_INT(rd64(th + 64), text);
	/* contents copied, bss zero */
	CHECK_STR((const char *)r.core + k->sect[S_RODATA].area_off, "hello");
	CHECK_EQ_INT(r.core[k->sect[S_DATA].area_off + 2], 3);
	CHECK_EQ_INT(r.init[k->sect[S_INIT].area_off], 0xc3);
	/* the non-loaded section's relocation was not applied anywhere: comment bytes stay in the file only */
	CHECK_EQ_INT(r.symval[Y_COUNTER], bss + 8);
	result_free(&r);
	free(m.b);
}

static void test_trailing_bytes(void)
{
	struct img m;
	build(&m, NULL, 0);
	uint8_t *b = calloc(1, m.len + 100);
	memcpy(b, m.b, m.len);
	struct lookup_ctx ctx = {.have_printk = true};
	struct result r;
	load(b, m.len + 100, CORE_ADDR, &ctx, &r);
	CHECK_EQ_INT(r.rc, 0);
	result_free(&r);
	free(b);
	free(m.b);
}

static void test_truncated(void)
{
	struct img m;
	build(&m, NULL, 0);
	for (size_t len = 0; len < m.len; len++) {
		struct lookup_ctx ctx = {.have_printk = true};
		struct result r;
		load(m.b, len, CORE_ADDR, &ctx, &r);
		if (r.rc != -KMOD_ENOEXEC)
			UNIT_FAIL("truncated to %zu bytes: rc %d (%s)", len, r.rc, r.err);
		result_free(&r);
	}
	EXPECT_FAIL(&m, 10, -KMOD_ENOEXEC, "truncated");
	EXPECT_FAIL(&m, m.len - 1, -KMOD_ENOEXEC, "section headers");
	free(m.b);
}

static void test_header(void)
{
	struct img m;
	build(&m, NULL, 0);
	m.b[0] = 0x7e;
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "bad magic");
	m.b[0] = 0x7f;
	m.b[4] = 1;
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "class");
	m.b[4] = 2;
	m.b[5] = 2;
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "byte order");
	m.b[5] = 1;
	put16(m.b + 16, 2);
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "ET_REL");
	put16(m.b + 16, 1);
	put16(m.b + 18, 3);
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "machine");
	put16(m.b + 18, 62);
	put16(m.b + 58, 40);
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "section header size");
	put16(m.b + 58, 64);
	put64(m.b + 40, m.len);
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "outside the file");
	put64(m.b + 40, ~0ull - 10);
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "outside the file");
	put64(m.b + 40, m.shoff);
	put16(m.b + 60, NSECT + 1);
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "outside the file");
	put16(m.b + 60, 0);
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "no section headers");
	put16(m.b + 60, 2000);
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "too many sections");
	put16(m.b + 60, NSECT);
	put16(m.b + 62, NSECT);
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "section-name table index");
	put16(m.b + 62, S_TEXT);
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "section-name table");
	free(m.b);
}

static void test_sections(void)
{
	struct img m;
	build(&m, NULL, 0);
	uint8_t *save = malloc(m.len);
	memcpy(save, m.b, m.len);
#define RESET() memcpy(m.b, save, m.len)
	put64(m.b + sh(&m, S_DATA, SH_OFFSET), m.len);
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "outside the file");
	RESET();
	put64(m.b + sh(&m, S_DATA, SH_SIZE), ~0ull);
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "outside the file");
	RESET();
	put64(m.b + sh(&m, S_BSS, SH_SIZE), 1ull << 40);
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "too large");
	RESET();
	put32(m.b + sh(&m, S_DATA, SH_NAME), 100000);
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "name offset");
	RESET();
	put64(m.b + sh(&m, S_DATA, SH_ALIGN), 24);
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "power of two");
	RESET();
	put64(m.b + sh(&m, S_DATA, SH_ALIGN), 1 << 16);
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "above a page");
	RESET();
	put32(m.b + sh(&m, 0, SH_TYPE), 1);
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "SHT_NULL");
	RESET();
	/* the section-name table without its final NUL */
	m.b[m.sec_off[S_SHSTRTAB] + rd64(m.b + sh(&m, S_SHSTRTAB, SH_SIZE)) - 1] = 'x';
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "section-name table");
	RESET();
	/* two symbol tables, none */
	put32(m.b + sh(&m, S_COMMENT, SH_TYPE), KMOD_SHT_SYMTAB);
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "more than one symbol table");
	RESET();
	put32(m.b + sh(&m, S_SYMTAB, SH_TYPE), KMOD_SHT_PROGBITS);
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "no symbols");
	RESET();
	put32(m.b + sh(&m, S_SYMTAB, SH_LINK), NSECT + 5);
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "string table");
	RESET();
	put32(m.b + sh(&m, S_SYMTAB, SH_LINK), S_TEXT);
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "string table");
	RESET();
	put64(m.b + sh(&m, S_SYMTAB, SH_SIZE), NSYM * 24 - 1);
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "multiple");
	RESET();
	/* .modinfo renamed away: missing */
	memcpy(m.b + m.sec_off[S_SHSTRTAB] + rd32(m.b + sh(&m, S_MODINFO, SH_NAME)), ".modinfX", 8);
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "no .modinfo");
	RESET();
	/* this_module: missing, wrong size, not allocated */
	memcpy(m.b + m.sec_off[S_SHSTRTAB] + rd32(m.b + sh(&m, S_THIS, SH_NAME)), ".gnu.linkonce.that", 18);
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "no .gnu.linkonce.this_module");
	RESET();
	put64(m.b + sh(&m, S_THIS, SH_SIZE), THIS_MODULE_SIZE - 8);
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "struct module");
	RESET();
	put64(m.b + sh(&m, S_THIS, SH_FLAGS), 0);
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "not allocated");
	RESET();
#undef RESET
	free(save);
	free(m.b);
}

static void test_symbols(void)
{
	struct img m;
	build(&m, NULL, 0);
	uint8_t *save = malloc(m.len);
	memcpy(save, m.b, m.len);
	put32(m.b + sym_field(&m, Y_MSG, 0), 5000);
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "name offset");
	memcpy(m.b, save, m.len);
	put16(m.b + sym_field(&m, Y_MSG, 6), NSECT + 3);
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "section index");
	memcpy(m.b, save, m.len);
	put16(m.b + sym_field(&m, Y_MSG, 6), KMOD_SHN_COMMON);
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "-fno-common");
	memcpy(m.b, save, m.len);
	put64(m.b + sym_field(&m, Y_MSG, 8), 4096);
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "beyond its section");
	memcpy(m.b, save, m.len);
	/* a relocation in loaded code against a symbol of a section that is not loaded */
	put16(m.b + sym_field(&m, Y_MSG, 6), S_COMMENT);
	put64(m.b + sym_field(&m, Y_MSG, 8), 0);
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "not loaded");
	free(save);
	free(m.b);
}

static void test_relocations(void)
{
	struct img m;
	build(&m, NULL, 0);
	uint8_t *save = malloc(m.len);
	memcpy(save, m.b, m.len);
	put64(m.b + rela_field(&m, S_RELA_TEXT, 1, 8), (uint64_t)Y_MSG << 32 | 37);
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "unknown relocation type 37");
	memcpy(m.b, save, m.len);
	put64(m.b + rela_field(&m, S_RELA_TEXT, 1, 8), (uint64_t)NSYM << 32 | KMOD_R_PC32);
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "symbol index");
	memcpy(m.b, save, m.len);
	put64(m.b + rela_field(&m, S_RELA_TEXT, 3, 0), sizeof(text_bytes) - 7); /* an R_X86_64_64 past the end */
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "outside .text");
	memcpy(m.b, save, m.len);
	put64(m.b + rela_field(&m, S_RELA_TEXT, 0, 0), ~0ull - 2);
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "outside .text");
	memcpy(m.b, save, m.len);
	put32(m.b + sh(&m, S_RELA_TEXT, SH_INFO), NSECT + 1);
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "target section");
	memcpy(m.b, save, m.len);
	put32(m.b + sh(&m, S_RELA_TEXT, SH_LINK), S_STRTAB);
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "not the symbol table");
	memcpy(m.b, save, m.len);
	put64(m.b + sh(&m, S_RELA_TEXT, SH_SIZE), 25);
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "multiple");
	memcpy(m.b, save, m.len);
	put32(m.b + sh(&m, S_RELA_TEXT, SH_TYPE), KMOD_SHT_REL);
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "REL relocations");
	memcpy(m.b, save, m.len);
	/* an unknown type in a section that is not loaded is never looked at */
	put64(m.b + rela_field(&m, S_RELA_COMMENT, 0, 8), (uint64_t)Y_MSG << 32 | 99);
	EXPECT_FAIL(&m, m.len, 0, "");
	free(save);
	free(m.b);
}

static void test_overflow(void)
{
	struct img m;
	build(&m, NULL, 0);
	/* the module far from the kernel: PLT32 to printk cannot reach, R_X86_64_32 cannot hold the address */
	struct lookup_ctx ctx = {.have_printk = true};
	struct result r;
	load(m.b, m.len, 0x600000000000ull, &ctx, &r);
	CHECK_EQ_INT(r.rc, -KMOD_ENOEXEC);
	CHECK_CONTAINS(r.err, "relocation overflow: R_X86_64_PLT32 at .text+0x1 against 'printk'");
	result_free(&r);
	/* near, but an addend that leaves 32 bits */
	put64(m.b + rela_field(&m, S_RELA_TEXT, 4, 16), 1ull << 32);
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "R_X86_64_32 at .text+0x15 against 'msg'");
	put64(m.b + rela_field(&m, S_RELA_TEXT, 4, 16), 0);
	put64(m.b + rela_field(&m, S_RELA_TEXT, 2, 16), 0x7ff00000ull); /* 32S past +2 GiB */
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "R_X86_64_32S");
	free(m.b);
}

static void test_modinfo(void)
{
	struct img m;
	static const char no_vermagic[] = "license=GPL\0name=x";
	build(&m, no_vermagic, sizeof(no_vermagic));
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "no vermagic");
	free(m.b);
	static const char other_vermagic[] = "vermagic=6.12.0 SMP preempt mod_unload\0name=hello\0license=GPL";
	build(&m, other_vermagic, sizeof(other_vermagic));
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "hello: version magic '6.12.0 SMP preempt mod_unload' should be '" VERMAGIC "'");
	free(m.b);
	static const char no_name[] = "license=GPL\0vermagic=" VERMAGIC;
	build(&m, no_name, sizeof(no_name));
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "no name=");
	free(m.b);
	static const char bad_name[] = "name=a/b\0vermagic=" VERMAGIC;
	build(&m, bad_name, sizeof(bad_name));
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "bad character");
	free(m.b);
	static const char long_name[] = "name=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\0vermagic=" VERMAGIC;
	build(&m, long_name, sizeof(long_name));
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "module name of");
	free(m.b);
	/* the last string without its NUL still counts; the vermagic prefix alone does not match */
	static const char unterminated[] = {'n', 'a', 'm', 'e', '=', 'z', 0, 'v', 'e', 'r', 'm', 'a', 'g', 'i', 'c', '=', '6'};
	build(&m, unterminated, sizeof(unterminated));
	EXPECT_FAIL(&m, m.len, -KMOD_ENOEXEC, "version magic '6'");
	free(m.b);
	/* kmod_modinfo */
	build(&m, NULL, 0);
	struct kmod_image *k = malloc(sizeof(*k));
	REQUIRE(kmod_parse(k, m.b, m.len, THIS_MODULE_SIZE, NULL, 0) == 0);
	size_t n;
	const char *v = kmod_modinfo(k, "license", &n);
	REQUIRE(v != NULL);
	CHECK_EQ_INT(n, 3);
	CHECK(!memcmp(v, "GPL", 3));
	CHECK(kmod_modinfo(k, "licens", &n) == NULL);
	CHECK(kmod_modinfo(k, "author", &n) == NULL);
	free(k);
	free(m.b);
}

static void test_unknown_symbol(void)
{
	struct img m;
	build(&m, NULL, 0);
	struct lookup_ctx ctx = {.have_printk = false};
	struct result r;
	load(m.b, m.len, CORE_ADDR, &ctx, &r);
	CHECK_EQ_INT(r.rc, -KMOD_ENOENT);
	CHECK_STR(r.err, "Unknown symbol printk (err -2)");
	CHECK_EQ_INT(ctx.unknown, 1); /* the weak one is not reported */
	result_free(&r);
	/* every unknown symbol is reported, the first is the error */
	put16(m.b + sym_field(&m, Y_WEAK, 4), 0x10); /* maybe_there: now a strong reference */
	struct lookup_ctx ctx2 = {.have_printk = false};
	load(m.b, m.len, CORE_ADDR, &ctx2, &r);
	CHECK_EQ_INT(r.rc, -KMOD_ENOENT);
	CHECK_STR(r.err, "Unknown symbol printk (err -2)");
	CHECK_EQ_INT(ctx2.unknown, 2);
	result_free(&r);
	free(m.b);
}

static void test_gpl_only(void)
{
	/* make the weak symbol a strong reference to the GPL-only one */
	struct img m;
	static const char proprietary[] = "license=Proprietary\0name=p\0vermagic=" VERMAGIC;
	build(&m, proprietary, sizeof(proprietary));
	put32(m.b + sym_field(&m, Y_WEAK, 0), rd32(m.b + sym_field(&m, Y_GPLSYM, 0)));
	m.b[sym_field(&m, Y_WEAK, 4)] = 0x10; /* GLOBAL, no longer weak */
	EXPECT_FAIL(&m, m.len, -KMOD_ENOENT, "Unknown symbol gpl_only_fn (a GPL-only symbol");
	free(m.b);
	/* the same with license GPL loads */
	build(&m, NULL, 0);
	put32(m.b + sym_field(&m, Y_WEAK, 0), rd32(m.b + sym_field(&m, Y_GPLSYM, 0)));
	m.b[sym_field(&m, Y_WEAK, 4)] = 0x10;
	struct lookup_ctx ctx = {.have_printk = true};
	struct result r;
	load(m.b, m.len, CORE_ADDR, &ctx, &r);
	CHECK_EQ_INT(r.rc, 0);
	if (!r.rc)
		CHECK_EQ_INT(rd64(r.core + r.m->sect[S_TEXT].area_off + 29), GPLSYM_ADDR);
	result_free(&r);
	free(m.b);
}

static void test_params(void)
{
	char args[] = "  a=1 b=\"two words\" flag \"c=x y\"  d=  e=\"\" ";
	char *name, *value, *p = args;
	struct { const char *n, *v; } want[] = {{"a", "1"}, {"b", "two words"}, {"flag", NULL}, {"c", "x y"}, {"d", ""},
					       {"e", ""}};
	for (unsigned i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		p = kmod_next_param(p, &name, &value);
		REQUIRE(p != NULL);
		CHECK_STR(name, want[i].n);
		CHECK_STR(value, want[i].v);
	}
	CHECK(kmod_next_param(p, &name, &value) == NULL);
	char empty[] = "   ";
	CHECK(kmod_next_param(empty, &name, &value) == NULL);
}

static void test_small_error_buffer(void)
{
	struct img m;
	build(&m, NULL, 0);
	m.b[4] = 1;
	struct kmod_image *k = malloc(sizeof(*k));
	char err[8];
	memset(err, 'x', sizeof(err));
	CHECK_EQ_INT(kmod_parse(k, m.b, m.len, THIS_MODULE_SIZE, err, sizeof(err)), -KMOD_ENOEXEC);
	CHECK_EQ_INT(strlen(err), 7);
	CHECK_EQ_INT(kmod_parse(k, m.b, m.len, THIS_MODULE_SIZE, NULL, 0), -KMOD_ENOEXEC);
	free(k);
	free(m.b);
}

/* Fixed-seed mutations of the valid module and random files: never a crash, an overread or an overwrite. */
static void test_fuzz(void)
{
	struct img m;
	build(&m, NULL, 0);
	uint64_t seed = 0x6b6d6f64; /* "kmod" */
	int accepted = 0;
	uint8_t *b = malloc(m.len);
	for (int it = 0; it < 20000; it++) {
		memcpy(b, m.b, m.len);
		size_t len = m.len;
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		int mode = (int)(seed >> 60) & 3;
		int flips = 1 + (int)((seed >> 33) % 8);
		for (int f = 0; f < flips; f++) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			size_t at = (size_t)(seed >> 20) % m.len;
			if (mode == 0) { /* a header or table byte */
				at = (seed >> 40) & 1 ? m.shoff + (size_t)(seed >> 20) % (NSECT * 64) : (size_t)(seed >> 20) % 64;
			}
			b[at] = (uint8_t)(seed >> 8);
		}
		if (mode == 3)
			len = (size_t)(seed >> 24) % (m.len + 1);
		if (it % 10 == 9) { /* pure noise with a valid-looking start */
			for (size_t i = 0; i < len; i++) {
				seed = seed * 6364136223846793005ull + 1442695040888963407ull;
				b[i] = (uint8_t)(seed >> 56);
			}
			if (len > 20)
				memcpy(b, m.b, 20);
		}
		struct lookup_ctx ctx = {.have_printk = (it & 1) == 0};
		struct result r;
		load(b, len, CORE_ADDR, &ctx, &r);
		if (r.rc == 0)
			accepted++;
		else if (r.err[0] == 0 && r.rc != -1000)
			UNIT_FAIL("iteration %d: rc %d without a message", it, r.rc);
		result_free(&r);
	}
	fprintf(stderr, "kmod fuzz: %d of 20000 mutated modules accepted\n", accepted);
	free(b);
	free(m.b);
}

static const struct unit_test tests[] = {
	{"kmod.valid", test_valid},
	{"kmod.trailing_bytes", test_trailing_bytes},
	{"kmod.truncated", test_truncated},
	{"kmod.header", test_header},
	{"kmod.sections", test_sections},
	{"kmod.symbols", test_symbols},
	{"kmod.relocations", test_relocations},
	{"kmod.overflow", test_overflow},
	{"kmod.modinfo", test_modinfo},
	{"kmod.unknown_symbol", test_unknown_symbol},
	{"kmod.gpl_only", test_gpl_only},
	{"kmod.params", test_params},
	{"kmod.small_error_buffer", test_small_error_buffer},
	{"kmod.fuzz", test_fuzz},
};

UNIT_MAIN(tests)
