/* kmod.h - loadable kernel modules (.ko): validation, layout, symbol resolution and relocation of ELF64 relocatable objects. */
#ifndef PECAN_LIB_KMOD_H
#define PECAN_LIB_KMOD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A module is an x86-64 ELF64 ET_REL file as `ld -r` makes it (the
 * guest's kbuild: guest/kbuild/, docs/modules.md). Loading it is four
 * steps, each pure (no allocation, no I/O), so the host tests run them:
 *
 *   kmod_parse     checks every header, section, symbol and relocation
 *                  against the file's bounds and lays the SHF_ALLOC
 *                  sections out in two areas: core (kept while loaded)
 *                  and init (sections named .init*, freed after init);
 *   kmod_modinfo / kmod_check_modinfo
 *                  read and check the .modinfo strings (name, vermagic,
 *                  license);
 *   kmod_resolve   gives every symbol its address: defined ones from
 *                  the layout, undefined ones through the caller's
 *                  lookup (the kernel's and other modules' exports);
 *   kmod_relocate  copies the sections into the areas and applies the
 *                  RELA relocations, each range- and overflow-checked.
 *
 * Every failure returns a negative Linux errno (-KMOD_ENOEXEC for a
 * malformed file, -KMOD_ENOENT for an unknown symbol, ...) and writes
 * one line saying what is wrong into err. Nothing ever reads outside
 * [file, file + size) or writes outside the areas given.
 */

/* Linux errno values (the loader's results go to the init_module caller). */
enum { KMOD_ENOENT = 2, KMOD_ENOEXEC = 8, KMOD_ENOMEM = 12, KMOD_EINVAL = 22 };

/* ELF numbers for relocatable x86-64 objects. */
enum {
	KMOD_ET_REL = 1,
	KMOD_SHT_NULL = 0, KMOD_SHT_PROGBITS = 1, KMOD_SHT_SYMTAB = 2, KMOD_SHT_STRTAB = 3,
	KMOD_SHT_RELA = 4, KMOD_SHT_NOBITS = 8, KMOD_SHT_REL = 9, KMOD_SHT_DYNSYM = 11,
	KMOD_SHF_WRITE = 1, KMOD_SHF_ALLOC = 2, KMOD_SHF_EXECINSTR = 4,
	KMOD_SHN_UNDEF = 0, KMOD_SHN_LORESERVE = 0xff00, KMOD_SHN_ABS = 0xfff1, KMOD_SHN_COMMON = 0xfff2,
	KMOD_STB_LOCAL = 0, KMOD_STB_GLOBAL = 1, KMOD_STB_WEAK = 2,
	KMOD_EHDR_SIZE = 64, KMOD_SHDR_SIZE = 64, KMOD_SYM_SIZE = 24, KMOD_RELA_SIZE = 24,
};

/* x86-64 relocation types (System V psABI). */
enum {
	KMOD_R_NONE = 0, KMOD_R_64 = 1, KMOD_R_PC32 = 2, KMOD_R_GOT32 = 3, KMOD_R_PLT32 = 4,
	KMOD_R_GOTPCREL = 9, KMOD_R_32 = 10, KMOD_R_32S = 11, KMOD_R_PC64 = 24,
	KMOD_R_GOTPCRELX = 41, KMOD_R_REX_GOTPCRELX = 42,
};

#define KMOD_MAX_SECTIONS 1024    /* more is refused (a -ffunction-sections build stays far below) */
#define KMOD_MAX_ALIGN    4096    /* sh_addralign above a page is refused */
#define KMOD_NAME_MAX     56      /* module names: 1..55 bytes of [A-Za-z0-9_] (Linux's MODULE_NAME_LEN) */

/* Where an SHF_ALLOC section goes. */
enum kmod_area { KMOD_AREA_NONE, KMOD_AREA_CORE, KMOD_AREA_INIT };

struct kmod_section {
	const char *name;           /* in the file's section-name table (NUL-terminated there) */
	uint32_t type;              /* KMOD_SHT_* */
	uint64_t flags;             /* KMOD_SHF_* */
	uint64_t offset, size;      /* in the file (NOBITS: size only) */
	uint64_t align;             /* a power of two, at least 1 */
	uint32_t link, info;
	enum kmod_area area;        /* NONE: not loaded */
	uint64_t area_off;          /* offset within its area */
};

/* A checked module file. Large: allocate it, do not put it on a small stack. */
struct kmod_image {
	const uint8_t *file;
	size_t size;
	unsigned nsections;
	struct kmod_section sect[KMOD_MAX_SECTIONS];
	unsigned symtab, strtab;    /* section indexes */
	uint64_t nsyms;             /* symbol-table entries (entry 0 is the null symbol) */
	unsigned modinfo;           /* section index, 0: none (kmod_parse refuses that) */
	unsigned this_module;       /* .gnu.linkonce.this_module */
	unsigned param;             /* __param, 0: none */
	unsigned ksymtab, ksymtab_gpl; /* __ksymtab, __ksymtab_gpl, 0: none */
	uint64_t got_slots;         /* GOT-relative relocations: one 8-byte slot each, at got_off in core */
	uint64_t got_off;
	uint64_t core_size, init_size; /* bytes of each area (multiples of 8); core's alignment is core_align */
	uint64_t core_align, init_align;
};

/*
 * Checks file[0..size) and lays it out (see above). this_module_size is
 * sizeof(struct module) of the headers modules are built with: the
 * .gnu.linkonce.this_module section must have exactly that size.
 * 0 or -KMOD_ENOEXEC.
 */
int kmod_parse(struct kmod_image *m, const void *file, size_t size, uint64_t this_module_size, char *err,
	       size_t errlen);

/*
 * The value of the first .modinfo string "tag=value" for tag (its length
 * in *len), or NULL. The strings are NUL-separated; a last one without
 * its NUL ends at the section's end (*len counts what is there).
 */
const char *kmod_modinfo(const struct kmod_image *m, const char *tag, size_t *len);

/* What kmod_check_modinfo found. */
struct kmod_info {
	char name[KMOD_NAME_MAX];   /* from name= ('-' becomes '_') */
	bool gpl_compatible;        /* license= is one Linux accepts as GPL-compatible */
	char license[32];           /* the license= string, or "" (none: Linux taints and warns) */
};

/*
 * Checks the .modinfo strings: name= present and a valid module name,
 * vermagic= present and equal to vermagic (the running kernel's).
 * 0 or -KMOD_ENOEXEC.
 */
int kmod_check_modinfo(const struct kmod_image *m, const char *vermagic, struct kmod_info *info, char *err,
		       size_t errlen);

/* Looks up an undefined symbol: 0 with *value and *gpl_only, or -1 when unknown. */
typedef int (*kmod_lookup_fn)(void *ctx, const char *name, uint64_t *value, bool *gpl_only);
/* Hears of each symbol that cannot be resolved, with the one-line reason. */
typedef void (*kmod_unknown_fn)(void *ctx, const char *name, const char *why);

/*
 * Gives every symbol its final address, in symval[0 .. m->nsyms): defined
 * ones from their section's place (core_addr or init_addr + offset), ABS
 * as they are, undefined ones through lookup (a weak one that is unknown
 * is 0). GPL-only symbols need gpl_compatible. Every symbol that stays
 * unknown goes to unknown (if not NULL), as Linux reports each; then the
 * result is -KMOD_ENOENT with the first as "Unknown symbol NAME".
 */
int kmod_resolve(const struct kmod_image *m, uint64_t core_addr, uint64_t init_addr, bool gpl_compatible,
		 kmod_lookup_fn lookup, kmod_unknown_fn unknown, void *ctx, uint64_t *symval, char *err,
		 size_t errlen);

/*
 * Copies the sections into the areas (core: m->core_size bytes at core,
 * which the code will see at core_addr; init likewise), zero-filling
 * NOBITS, then applies every relocation whose target is loaded, with the
 * symbol values of kmod_resolve. 32-bit results that do not fit give
 * -KMOD_ENOEXEC ("relocation overflow"). The areas must be zeroed.
 */
int kmod_relocate(const struct kmod_image *m, uint8_t *core, uint64_t core_addr, uint8_t *init, uint64_t init_addr,
		  const uint64_t *symval, char *err, size_t errlen);

/* The name of symbol i (i < m->nsyms), from the checked string table. */
const char *kmod_sym_name(const struct kmod_image *m, uint64_t i);

/* The address a loaded section has (its area's address + offset); 0 when not loaded. */
uint64_t kmod_section_addr(const struct kmod_image *m, unsigned i, uint64_t core_addr, uint64_t init_addr);

/*
 * Module parameters: splits the next "name=value" off args (as Linux's
 * next_arg: spaces separate, double quotes group, a value is optional).
 * NUL-terminates name and value in place; *value is NULL without '='.
 * Returns the rest of args after it, or NULL when args holds no more
 * parameters (then *name and *value are unset).
 */
char *kmod_next_param(char *args, char **name, char **value);

#endif
