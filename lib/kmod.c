/* kmod.c - loadable kernel modules: checks a .ko against its bounds, lays it out, resolves its symbols, applies its relocations. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "format.h"
#include "kmod.h"

/* An area may hold at most this much: far more than any module, and small
 * enough that offsets and sums of sizes cannot overflow. */
#define KMOD_AREA_MAX (1ull << 30)

/* Little-endian decoders: the file may sit at any alignment. */
static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | (unsigned)p[1] << 8); }
static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint64_t rd64(const uint8_t *p) { return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32; }
static void wr32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}
static void wr64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

__attribute__((format(printf, 3, 4))) static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	if (err && errlen) {
		va_list ap;
		va_start(ap, fmt);
		fmt_vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -KMOD_ENOEXEC;
}

#define X(v) ((unsigned long long)(v))

static bool str_eq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static bool str_starts(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return false;
	return true;
}

/* ---- symbols and relocations as stored ---- */

struct sym {
	uint32_t name;
	uint8_t info;
	uint16_t shndx;
	uint64_t value;
};

static struct sym sym_at(const struct kmod_image *m, uint64_t i)
{
	const uint8_t *p = m->file + m->sect[m->symtab].offset + i * KMOD_SYM_SIZE;
	return (struct sym){.name = rd32(p), .info = p[4], .shndx = rd16(p + 6), .value = rd64(p + 8)};
}

const char *kmod_sym_name(const struct kmod_image *m, uint64_t i)
{
	return (const char *)m->file + m->sect[m->strtab].offset + sym_at(m, i).name;
}

struct rela {
	uint64_t offset;
	uint32_t type;
	uint32_t sym;
	int64_t addend;
};

static struct rela rela_at(const struct kmod_image *m, const struct kmod_section *s, uint64_t j)
{
	const uint8_t *p = m->file + s->offset + j * KMOD_RELA_SIZE;
	uint64_t info = rd64(p + 8);
	return (struct rela){.offset = rd64(p), .type = (uint32_t)info, .sym = (uint32_t)(info >> 32),
			     .addend = (int64_t)rd64(p + 16)};
}

static const char *rel_name(uint32_t type)
{
	switch (type) {
	case KMOD_R_NONE: return "R_X86_64_NONE";
	case KMOD_R_64: return "R_X86_64_64";
	case KMOD_R_PC32: return "R_X86_64_PC32";
	case KMOD_R_PLT32: return "R_X86_64_PLT32";
	case KMOD_R_GOTPCREL: return "R_X86_64_GOTPCREL";
	case KMOD_R_32: return "R_X86_64_32";
	case KMOD_R_32S: return "R_X86_64_32S";
	case KMOD_R_PC64: return "R_X86_64_PC64";
	case KMOD_R_GOTPCRELX: return "R_X86_64_GOTPCRELX";
	case KMOD_R_REX_GOTPCRELX: return "R_X86_64_REX_GOTPCRELX";
	}
	return NULL;
}

/* Bytes a relocation writes; -1 for an unknown type. */
static int rel_width(uint32_t type)
{
	switch (type) {
	case KMOD_R_NONE: return 0;
	case KMOD_R_64:
	case KMOD_R_PC64: return 8;
	case KMOD_R_PC32:
	case KMOD_R_PLT32:
	case KMOD_R_32:
	case KMOD_R_32S:
	case KMOD_R_GOTPCREL:
	case KMOD_R_GOTPCRELX:
	case KMOD_R_REX_GOTPCRELX: return 4;
	}
	return -1;
}

static bool rel_uses_got(uint32_t type)
{
	return type == KMOD_R_GOTPCREL || type == KMOD_R_GOTPCRELX || type == KMOD_R_REX_GOTPCRELX;
}

/* ---- kmod_parse ---- */

static bool is_pow2(uint64_t v) { return v && !(v & (v - 1)); }

/* A string table: inside the file (checked before), not empty, ending in NUL. */
static bool strtab_ok(const struct kmod_image *m, unsigned i)
{
	const struct kmod_section *s = &m->sect[i];
	return s->type == KMOD_SHT_STRTAB && s->size > 0 && m->file[s->offset + s->size - 1] == 0;
}

static int check_header(struct kmod_image *m, uint64_t *shoff, unsigned *shstrndx, char *err, size_t errlen)
{
	const uint8_t *f = m->file;
	size_t size = m->size;
	if (size < KMOD_EHDR_SIZE)
		return fail(err, errlen, "truncated: the file has %zu bytes, the ELF header needs %u", size,
			    KMOD_EHDR_SIZE);
	if (f[0] != 0x7f || f[1] != 'E' || f[2] != 'L' || f[3] != 'F')
		return fail(err, errlen, "not an ELF file (bad magic)");
	if (f[4] != 2)
		return fail(err, errlen, "wrong ELF class %u (need ELFCLASS64 = 2)", f[4]);
	if (f[5] != 1)
		return fail(err, errlen, "wrong byte order %u (need little-endian = 1)", f[5]);
	if (f[6] != 1 || rd32(f + 20) != 1)
		return fail(err, errlen, "wrong ELF version (need 1)");
	if (rd16(f + 16) != KMOD_ET_REL)
		return fail(err, errlen, "wrong ELF type %u (a module is relocatable: ET_REL = 1)", rd16(f + 16));
	if (rd16(f + 18) != 62)
		return fail(err, errlen, "wrong machine %u (need x86-64 = 62)", rd16(f + 18));
	if (rd16(f + 58) != KMOD_SHDR_SIZE)
		return fail(err, errlen, "section header size %u (need %u)", rd16(f + 58), KMOD_SHDR_SIZE);
	unsigned shnum = rd16(f + 60);
	*shoff = rd64(f + 40);
	*shstrndx = rd16(f + 62);
	if (shnum == 0)
		return fail(err, errlen, "no section headers");
	if (shnum > KMOD_MAX_SECTIONS)
		return fail(err, errlen, "too many sections (%u, at most %u)", shnum, KMOD_MAX_SECTIONS);
	if (*shoff > size || size - *shoff < (uint64_t)shnum * KMOD_SHDR_SIZE)
		return fail(err, errlen, "section headers [offset 0x%llx, %u x %u bytes] outside the file of %zu bytes",
			    X(*shoff), shnum, KMOD_SHDR_SIZE, size);
	if (*shstrndx == 0 || *shstrndx >= shnum)
		return fail(err, errlen, "section-name table index %u out of range (%u sections)", *shstrndx, shnum);
	m->nsections = shnum;
	return 0;
}

static int read_sections(struct kmod_image *m, uint64_t shoff, unsigned shstrndx, char *err, size_t errlen)
{
	for (unsigned i = 0; i < m->nsections; i++) {
		const uint8_t *p = m->file + shoff + (uint64_t)i * KMOD_SHDR_SIZE;
		struct kmod_section *s = &m->sect[i];
		*s = (struct kmod_section){
			.type = rd32(p + 4), .flags = rd64(p + 8), .offset = rd64(p + 24), .size = rd64(p + 32),
			.link = rd32(p + 40), .info = rd32(p + 44), .align = rd64(p + 48),
		};
		s->name = (const char *)(uintptr_t)rd32(p); /* an offset until the name table is checked */
		if (i == 0) {
			if (s->type != KMOD_SHT_NULL)
				return fail(err, errlen, "section 0 is not SHT_NULL (type %u)", s->type);
			continue;
		}
		if (s->type != KMOD_SHT_NOBITS && s->type != KMOD_SHT_NULL &&
		    (s->offset > m->size || s->size > m->size - s->offset))
			return fail(err, errlen,
				    "section %u: file range [0x%llx, +0x%llx) outside the file of %zu bytes", i,
				    X(s->offset), X(s->size), m->size);
		if (s->align == 0)
			s->align = 1;
		if (!is_pow2(s->align))
			return fail(err, errlen, "section %u: alignment 0x%llx is not a power of two", i, X(s->align));
		if ((s->flags & KMOD_SHF_ALLOC) && s->align > KMOD_MAX_ALIGN)
			return fail(err, errlen, "section %u: alignment 0x%llx is above a page", i, X(s->align));
		if ((s->flags & KMOD_SHF_ALLOC) && s->size > KMOD_AREA_MAX)
			return fail(err, errlen, "section %u: 0x%llx bytes is too large", i, X(s->size));
	}
	m->sect[0].name = "";
	m->sect[0].align = 1;
	if (!strtab_ok(m, shstrndx))
		return fail(err, errlen, "section-name table (section %u) is not a string table ending in NUL",
			    shstrndx);
	const struct kmod_section *names = &m->sect[shstrndx];
	for (unsigned i = 1; i < m->nsections; i++) {
		uint64_t off = (uint64_t)(uintptr_t)m->sect[i].name;
		if (off >= names->size)
			return fail(err, errlen, "section %u: name offset 0x%llx outside the name table (0x%llx bytes)",
				    i, X(off), X(names->size));
		m->sect[i].name = (const char *)m->file + names->offset + off;
	}
	return 0;
}

/* Finds the symbol table and the special sections by name. */
static int find_sections(struct kmod_image *m, uint64_t this_module_size, char *err, size_t errlen)
{
	unsigned nsymtab = 0, nthis = 0;
	for (unsigned i = 1; i < m->nsections; i++) {
		struct kmod_section *s = &m->sect[i];
		if (s->type == KMOD_SHT_SYMTAB) {
			nsymtab++;
			m->symtab = i;
		}
		if (str_eq(s->name, ".modinfo")) {
			if (m->modinfo)
				return fail(err, errlen, "more than one .modinfo section (%u and %u)", m->modinfo, i);
			if (s->type == KMOD_SHT_NOBITS)
				return fail(err, errlen, ".modinfo has no contents (NOBITS)");
			m->modinfo = i;
		} else if (str_eq(s->name, ".gnu.linkonce.this_module")) {
			nthis++;
			m->this_module = i;
		} else if (str_eq(s->name, "__param")) {
			m->param = i;
		} else if (str_eq(s->name, "__ksymtab")) {
			m->ksymtab = i;
		} else if (str_eq(s->name, "__ksymtab_gpl")) {
			m->ksymtab_gpl = i;
		}
	}
	if (nsymtab != 1)
		return fail(err, errlen, nsymtab ? "more than one symbol table" : "module has no symbols (stripped?)");
	if (!m->modinfo)
		return fail(err, errlen, "no .modinfo section (not built as a module: use the kbuild)");
	if (nthis != 1)
		return fail(err, errlen, nthis ? "more than one .gnu.linkonce.this_module section"
					       : "no .gnu.linkonce.this_module section (no struct module: use the kbuild)");
	const struct kmod_section *t = &m->sect[m->this_module];
	if (!(t->flags & KMOD_SHF_ALLOC) || t->type != KMOD_SHT_PROGBITS)
		return fail(err, errlen, ".gnu.linkonce.this_module is not allocated data");
	if (t->size != this_module_size)
		return fail(err, errlen,
			    ".gnu.linkonce.this_module has %llu bytes, this kernel's struct module %llu "
			    "(built with other headers?)",
			    X(t->size), X(this_module_size));
	for (unsigned i = 1; i < m->nsections; i++) {
		const struct kmod_section *s = &m->sect[i];
		if ((i == m->param || i == m->ksymtab || i == m->ksymtab_gpl) && !(s->flags & KMOD_SHF_ALLOC))
			return fail(err, errlen, "section %s is not allocated", s->name);
	}

	struct kmod_section *st = &m->sect[m->symtab];
	if (st->size % KMOD_SYM_SIZE || st->size < KMOD_SYM_SIZE)
		return fail(err, errlen, "symbol table size 0x%llx is not a multiple of %u", X(st->size), KMOD_SYM_SIZE);
	if (st->link == 0 || st->link >= m->nsections || !strtab_ok(m, st->link))
		return fail(err, errlen, "symbol table's string table (section %u) is missing or not NUL-terminated",
			    st->link);
	m->strtab = st->link;
	m->nsyms = st->size / KMOD_SYM_SIZE;
	return 0;
}

static int check_symbols(struct kmod_image *m, char *err, size_t errlen)
{
	uint64_t strsize = m->sect[m->strtab].size;
	for (uint64_t i = 0; i < m->nsyms; i++) { /* 0 too: a relocation may name it */
		struct sym s = sym_at(m, i);
		if (s.name >= strsize)
			return fail(err, errlen, "symbol %llu: name offset 0x%x outside the string table (0x%llx bytes)",
				    X(i), s.name, X(strsize));
		const char *name = kmod_sym_name(m, i);
		if (s.shndx == KMOD_SHN_COMMON)
			return fail(err, errlen, "symbol '%s' is a common symbol: compile with -fno-common", name);
		if (s.shndx == KMOD_SHN_UNDEF || s.shndx == KMOD_SHN_ABS)
			continue;
		if (s.shndx >= m->nsections)
			return fail(err, errlen, "symbol '%s': section index %u out of range (%u sections)", name,
				    s.shndx, m->nsections);
		const struct kmod_section *sec = &m->sect[s.shndx];
		if ((sec->flags & KMOD_SHF_ALLOC) && s.value > sec->size)
			return fail(err, errlen, "symbol '%s': value 0x%llx beyond its section %s (0x%llx bytes)", name,
				    X(s.value), sec->name, X(sec->size));
	}
	return 0;
}

static bool loaded(const struct kmod_image *m, unsigned i) { return m->sect[i].area != KMOD_AREA_NONE; }

static int check_relocations(struct kmod_image *m, char *err, size_t errlen)
{
	for (unsigned i = 1; i < m->nsections; i++) {
		const struct kmod_section *s = &m->sect[i];
		if (s->type != KMOD_SHT_RELA && s->type != KMOD_SHT_REL)
			continue;
		if (s->info == 0 || s->info >= m->nsections)
			return fail(err, errlen, "relocation section %s: target section %u out of range", s->name, s->info);
		if (!loaded(m, s->info))
			continue; /* debug information and the like: not loaded, not relocated */
		const struct kmod_section *t = &m->sect[s->info];
		if (s->type == KMOD_SHT_REL)
			return fail(err, errlen, "%s: REL relocations are not supported (x86-64 uses RELA)", s->name);
		if (s->link != m->symtab)
			return fail(err, errlen, "%s: linked to section %u, not the symbol table", s->name, s->link);
		if (s->size % KMOD_RELA_SIZE)
			return fail(err, errlen, "%s: size 0x%llx is not a multiple of %u", s->name, X(s->size),
				    KMOD_RELA_SIZE);
		if (t->type == KMOD_SHT_NOBITS && s->size)
			return fail(err, errlen, "%s: relocations in %s, which has no contents", s->name, t->name);
		for (uint64_t j = 0; j < s->size / KMOD_RELA_SIZE; j++) {
			struct rela r = rela_at(m, s, j);
			int width = rel_width(r.type);
			if (width < 0)
				return fail(err, errlen, "%s entry %llu: unknown relocation type %u", s->name, X(j), r.type);
			if (r.sym >= m->nsyms)
				return fail(err, errlen, "%s entry %llu: symbol index %u out of range (%llu symbols)",
					    s->name, X(j), r.sym, X(m->nsyms));
			if (r.offset > t->size || t->size - r.offset < (uint64_t)width)
				return fail(err, errlen, "%s entry %llu: %s at offset 0x%llx outside %s (0x%llx bytes)",
					    s->name, X(j), rel_name(r.type), X(r.offset), t->name, X(t->size));
			struct sym sy = sym_at(m, r.sym);
			if (sy.shndx != KMOD_SHN_UNDEF && sy.shndx != KMOD_SHN_ABS && !loaded(m, sy.shndx))
				return fail(err, errlen, "%s entry %llu: refers to '%s' in %s, which is not loaded", s->name,
					    X(j), kmod_sym_name(m, r.sym), m->sect[sy.shndx].name);
			if (rel_uses_got(r.type))
				m->got_slots++;
		}
	}
	return 0;
}

static uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }

/* Places every SHF_ALLOC section: code first, then read-only data, then
 * writable data, then zero-filled data, each group in file order. */
static int layout(struct kmod_image *m, char *err, size_t errlen)
{
	uint64_t size[3] = {0, 0, 0}, align[3] = {8, 8, 8};
	for (int group = 0; group < 4; group++) {
		for (unsigned i = 1; i < m->nsections; i++) {
			struct kmod_section *s = &m->sect[i];
			if (!(s->flags & KMOD_SHF_ALLOC) || i == m->modinfo || str_eq(s->name, "__versions"))
				continue;
			int g = s->type == KMOD_SHT_NOBITS ? 3 : (s->flags & KMOD_SHF_EXECINSTR) ? 0
							       : !(s->flags & KMOD_SHF_WRITE)    ? 1
												 : 2;
			if (g != group)
				continue;
			s->area = str_starts(s->name, ".init") ? KMOD_AREA_INIT : KMOD_AREA_CORE;
			s->area_off = align_up(size[s->area], s->align);
			size[s->area] = s->area_off + s->size;
			if (s->align > align[s->area])
				align[s->area] = s->align;
			if (size[s->area] > KMOD_AREA_MAX)
				return fail(err, errlen, "the module is too large");
		}
	}
	m->got_off = align_up(size[KMOD_AREA_CORE], 8);
	m->core_size = m->got_off + 8 * m->got_slots;
	m->init_size = align_up(size[KMOD_AREA_INIT], 8);
	m->core_align = align[KMOD_AREA_CORE];
	m->init_align = align[KMOD_AREA_INIT];
	return 0;
}

int kmod_parse(struct kmod_image *m, const void *file, size_t size, uint64_t this_module_size, char *err,
	       size_t errlen)
{
	uint64_t shoff = 0;
	unsigned shstrndx = 0;
	int e;
	for (size_t i = 0; i < sizeof(*m); i++)
		((uint8_t *)m)[i] = 0;
	if (!file)
		return fail(err, errlen, "no file");
	m->file = file;
	m->size = size;
	if ((e = check_header(m, &shoff, &shstrndx, err, errlen)) || (e = read_sections(m, shoff, shstrndx, err, errlen)) ||
	    (e = find_sections(m, this_module_size, err, errlen)) || (e = check_symbols(m, err, errlen)) ||
	    (e = layout(m, err, errlen)) || (e = check_relocations(m, err, errlen)))
		return e;
	/* the GOT slots come after the core's sections: place them again now that they are counted */
	m->core_size = m->got_off + 8 * m->got_slots;
	return 0;
}

/* ---- .modinfo ---- */

const char *kmod_modinfo(const struct kmod_image *m, const char *tag, size_t *len)
{
	const struct kmod_section *s = &m->sect[m->modinfo];
	const char *p = (const char *)m->file + s->offset, *end = p + s->size;
	while (p < end) {
		const char *q = p;
		while (q < end && *q)
			q++;
		const char *t = tag, *v = p;
		while (*t && v < q && *v == *t)
			v++, t++;
		if (!*t && v < q && *v == '=') {
			if (len)
				*len = (size_t)(q - v - 1);
			return v + 1;
		}
		p = q + 1;
	}
	return NULL;
}

static bool bytes_eq(const char *a, size_t n, const char *b)
{
	size_t i = 0;
	for (; i < n && b[i]; i++)
		if (a[i] != b[i])
			return false;
	return i == n && !b[i];
}

static const char *const gpl_licenses[] = {
	"GPL", "GPL v2", "GPL and additional rights", "Dual BSD/GPL", "Dual MIT/GPL", "Dual MPL/GPL",
};

int kmod_check_modinfo(const struct kmod_image *m, const char *vermagic, struct kmod_info *info, char *err,
		       size_t errlen)
{
	size_t n;
	const char *name = kmod_modinfo(m, "name", &n);
	if (!name)
		return fail(err, errlen, "no name= in .modinfo (not built with the kbuild?)");
	if (n == 0 || n >= KMOD_NAME_MAX)
		return fail(err, errlen, "module name of %zu bytes (1 to %d)", n, KMOD_NAME_MAX - 1);
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return fail(err, errlen, "bad character 0x%02x in the module name", (unsigned char)c);
		info->name[i] = c == '-' ? '_' : c;
	}
	info->name[n] = 0;

	const char *vm = kmod_modinfo(m, "vermagic", &n);
	if (!vm)
		return fail(err, errlen, "%s: no vermagic= in .modinfo (not built with the kbuild?)", info->name);
	if (!bytes_eq(vm, n, vermagic)) {
		char got[80];
		size_t k = n < sizeof(got) - 1 ? n : sizeof(got) - 1;
		for (size_t i = 0; i < k; i++)
			got[i] = vm[i] >= ' ' && vm[i] < 127 ? vm[i] : '?';
		got[k] = 0;
		return fail(err, errlen, "%s: version magic '%s' should be '%s'", info->name, got, vermagic);
	}

	const char *lic = kmod_modinfo(m, "license", &n);
	info->license[0] = 0;
	info->gpl_compatible = false;
	if (lic) {
		size_t k = n < sizeof(info->license) - 1 ? n : sizeof(info->license) - 1;
		for (size_t i = 0; i < k; i++)
			info->license[i] = lic[i];
		info->license[k] = 0;
		for (size_t i = 0; i < sizeof(gpl_licenses) / sizeof(gpl_licenses[0]); i++)
			if (bytes_eq(lic, n, gpl_licenses[i]))
				info->gpl_compatible = true;
	}
	return 0;
}

/* ---- kmod_resolve ---- */

uint64_t kmod_section_addr(const struct kmod_image *m, unsigned i, uint64_t core_addr, uint64_t init_addr)
{
	const struct kmod_section *s = &m->sect[i];
	if (s->area == KMOD_AREA_CORE)
		return core_addr + s->area_off;
	if (s->area == KMOD_AREA_INIT)
		return init_addr + s->area_off;
	return 0;
}

int kmod_resolve(const struct kmod_image *m, uint64_t core_addr, uint64_t init_addr, bool gpl_compatible,
		 kmod_lookup_fn lookup, kmod_unknown_fn unknown, void *ctx, uint64_t *symval, char *err,
		 size_t errlen)
{
	int result = 0;
	symval[0] = 0;
	for (uint64_t i = 1; i < m->nsyms; i++) {
		struct sym s = sym_at(m, i);
		const char *name = kmod_sym_name(m, i);
		if (s.shndx == KMOD_SHN_ABS) {
			symval[i] = s.value;
		} else if (s.shndx != KMOD_SHN_UNDEF) {
			symval[i] = loaded(m, s.shndx) ? kmod_section_addr(m, s.shndx, core_addr, init_addr) + s.value : 0;
		} else if (!*name || str_eq(name, "_GLOBAL_OFFSET_TABLE_")) {
			symval[i] = 0;
		} else {
			bool gpl_only = false;
			const char *why = NULL;
			if (lookup(ctx, name, &symval[i], &gpl_only) != 0) {
				symval[i] = 0;
				if ((s.info >> 4) != KMOD_STB_WEAK)
					why = "Unknown symbol %s (err -2)";
			} else if (gpl_only && !gpl_compatible) {
				symval[i] = 0;
				why = "Unknown symbol %s (a GPL-only symbol, and the module's license is not GPL)";
			}
			if (why) {
				char line[160];
				fmt_snprintf(line, sizeof(line), why, name);
				if (unknown)
					unknown(ctx, name, line);
				if (!result)
					fail(err, errlen, "%s", line);
				result = -KMOD_ENOENT;
			}
		}
	}
	return result;
}

/* ---- kmod_relocate ---- */

int kmod_relocate(const struct kmod_image *m, uint8_t *core, uint64_t core_addr, uint8_t *init, uint64_t init_addr,
		  const uint64_t *symval, char *err, size_t errlen)
{
	for (unsigned i = 1; i < m->nsections; i++) {
		const struct kmod_section *s = &m->sect[i];
		if (!loaded(m, i) || s->type == KMOD_SHT_NOBITS)
			continue;
		uint8_t *dst = (s->area == KMOD_AREA_CORE ? core : init) + s->area_off;
		const uint8_t *src = m->file + s->offset;
		for (uint64_t k = 0; k < s->size; k++)
			dst[k] = src[k];
	}
	uint64_t got = 0;
	for (unsigned i = 1; i < m->nsections; i++) {
		const struct kmod_section *s = &m->sect[i];
		if (s->type != KMOD_SHT_RELA || !loaded(m, s->info))
			continue;
		const struct kmod_section *t = &m->sect[s->info];
		uint8_t *base = (t->area == KMOD_AREA_CORE ? core : init) + t->area_off;
		uint64_t base_addr = kmod_section_addr(m, s->info, core_addr, init_addr);
		for (uint64_t j = 0; j < s->size / KMOD_RELA_SIZE; j++) {
			struct rela r = rela_at(m, s, j);
			uint8_t *loc = base + r.offset;
			uint64_t P = base_addr + r.offset, S = symval[r.sym], A = (uint64_t)r.addend;
			uint64_t v;
			bool fits = true;
			switch (r.type) {
			case KMOD_R_NONE:
				continue;
			case KMOD_R_64:
				wr64(loc, S + A);
				continue;
			case KMOD_R_PC64:
				wr64(loc, S + A - P);
				continue;
			case KMOD_R_PC32:
			case KMOD_R_PLT32: /* no PLT: a call goes straight to its target */
				v = S + A - P;
				fits = (int64_t)v == (int32_t)v;
				break;
			case KMOD_R_32:
				v = S + A;
				fits = v == (uint32_t)v;
				break;
			case KMOD_R_32S:
				v = S + A;
				fits = (int64_t)v == (int32_t)v;
				break;
			default: { /* GOT-relative: a slot of our own GOT holds S */
				uint64_t slot = m->got_off + 8 * got++;
				wr64(core + slot, S);
				v = core_addr + slot + A - P;
				fits = (int64_t)v == (int32_t)v;
				break;
			}
			}
			if (!fits)
				return fail(err, errlen,
					    "relocation overflow: %s at %s+0x%llx against '%s' (value 0x%llx) does not fit "
					    "in 32 bits",
					    rel_name(r.type), t->name, X(r.offset), kmod_sym_name(m, r.sym), X(v));
			wr32(loc, (uint32_t)v);
		}
	}
	return 0;
}

/* ---- parameters ---- */

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

char *kmod_next_param(char *args, char **name, char **value)
{
	while (is_space(*args))
		args++;
	if (!*args)
		return NULL;
	bool quoted = *args == '"', in_quote = quoted;
	if (quoted)
		args++;
	size_t i = 0, equals = 0;
	bool has_equals = false;
	for (; args[i]; i++) {
		if (is_space(args[i]) && !in_quote)
			break;
		if (!has_equals && args[i] == '=') {
			has_equals = true;
			equals = i;
		}
		if (args[i] == '"')
			in_quote = !in_quote;
	}
	*name = args;
	*value = NULL;
	if (has_equals) {
		args[equals] = 0;
		*value = args + equals + 1;
		if (**value == '"') { /* the quotes are not part of the value */
			(*value)++;
			if (i > equals + 1 && args[i - 1] == '"')
				args[i - 1] = 0;
		}
	}
	if (quoted && i > 0 && args[i - 1] == '"')
		args[i - 1] = 0;
	char *rest = args + i;
	if (*rest)
		*rest++ = 0;
	while (is_space(*rest))
		rest++;
	return rest;
}
