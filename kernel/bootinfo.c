/* Parse the multiboot (version 1) information structure. */
#include "bootinfo.h"
#include "panic.h"
#include "string.h"
#include "console.h"
#include "arch/x86_64/layout.h"

enum {
	MB_LOADER_MAGIC = 0x2badb002,
	MBI_CMDLINE = 1 << 2, MBI_MODS = 1 << 3, MBI_MMAP = 1 << 6,
	MMAP_AVAILABLE = 1,
};

/* Multiboot structures are read field by field at their documented offsets. */
static uint32_t rd32(uint64_t pa) { return *(const volatile uint32_t *)phys_to_virt(pa); }
static uint64_t rd64(uint64_t pa) { return *(const volatile uint64_t *)phys_to_virt(pa); }

static void reserve(struct boot_info *bi, uint64_t start, uint64_t end)
{
	assert(bi->nreserved < sizeof(bi->reserved) / sizeof(bi->reserved[0]));
	bi->reserved[bi->nreserved++] = (struct boot_reserved){start, end};
}

static void reserve_string(struct boot_info *bi, uint64_t pa)
{
	reserve(bi, pa, pa + strlen(phys_to_virt(pa)) + 1);
}

static const char *skip_word(const char *s)
{
	while (*s && *s != ' ')
		s++;
	while (*s == ' ')
		s++;
	return s;
}

static void parse_module(struct boot_module *m, uint64_t entry)
{
	m->start = rd32(entry);
	m->end = rd32(entry + 4);
	const char *s = phys_to_virt(rd32(entry + 8));
	/* the first word is the path the loader was given; the name is its last component */
	const char *word_end = s, *base = s;
	while (*word_end && *word_end != ' ') {
		if (*word_end == '/')
			base = word_end + 1;
		word_end++;
	}
	size_t n = (size_t)(word_end - base);
	if (n >= BOOT_NAME_MAX)
		n = BOOT_NAME_MAX - 1;
	memcpy(m->name, base, n);
	m->name[n] = 0;
	m->args = skip_word(s);
}

void bootinfo_parse(struct boot_info *bi, uint32_t magic, uint64_t mbi)
{
	memset(bi, 0, sizeof(*bi));
	if (magic != MB_LOADER_MAGIC)
		panic("not started by a multiboot loader (eax=0x%x)", magic);
	uint32_t flags = rd32(mbi);
	reserve(bi, mbi, mbi + 88);

	bi->cmdline = "";
	if (flags & MBI_CMDLINE) {
		uint64_t pa = rd32(mbi + 16);
		reserve_string(bi, pa);
		bi->cmdline = skip_word(phys_to_virt(pa));
	}

	if (flags & MBI_MODS) {
		uint32_t count = rd32(mbi + 20);
		uint64_t addr = rd32(mbi + 24);
		if (count > BOOT_MAX_MODULES)
			panic("%u boot modules given, at most %d supported", count, BOOT_MAX_MODULES);
		reserve(bi, addr, addr + 16ull * count);
		for (uint32_t i = 0; i < count; i++) {
			uint64_t entry = addr + 16ull * i;
			struct boot_module *m = &bi->modules[bi->nmodules++];
			parse_module(m, entry);
			reserve(bi, m->start, m->end);
			reserve_string(bi, rd32(entry + 8));
		}
	}

	if (!(flags & MBI_MMAP))
		panic("the boot loader passed no memory map");
	uint64_t mmap = rd32(mbi + 48), mmap_end = mmap + rd32(mbi + 44);
	reserve(bi, mmap, mmap_end);
	/* each entry: u32 size (not counting itself), u64 base, u64 length, u32 type */
	for (uint64_t e = mmap; e < mmap_end; e += rd32(e) + 4) {
		uint64_t base = rd64(e + 4), len = rd64(e + 12);
		if (rd32(e + 20) != MMAP_AVAILABLE || len == 0)
			continue;
		if (base >= PHYSMAP_SIZE) {
			kprintf("pecan: ignoring RAM above 4 GiB at 0x%lx (+0x%lx)\n", base, len);
			continue;
		}
		if (base + len > PHYSMAP_SIZE)
			len = PHYSMAP_SIZE - base;
		if (bi->nmemory == BOOT_MAX_MEMORY) {
			kprintf("pecan: too many memory regions, ignoring 0x%lx (+0x%lx)\n", base, len);
			continue;
		}
		bi->memory[bi->nmemory++] = (struct boot_memory){base, base + len};
	}
}

const struct boot_module *bootinfo_module(const struct boot_info *bi, const char *name, size_t len)
{
	for (unsigned i = 0; i < bi->nmodules; i++) {
		const struct boot_module *m = &bi->modules[i];
		if (strlen(m->name) == len && memcmp(m->name, name, len) == 0)
			return m;
	}
	return NULL;
}

const char *bootinfo_arg(const struct boot_info *bi, const char *key, size_t *len)
{
	size_t klen = strlen(key);
	for (const char *s = bi->cmdline; *s; s = skip_word(s)) {
		if (strncmp(s, key, klen) != 0)
			continue;
		const char *v = s + klen;
		if (*v != '=' && *v != ' ' && *v != 0)
			continue;
		if (*v == '=')
			v++;
		const char *e = v;
		while (*e && *e != ' ')
			e++;
		*len = (size_t)(e - v);
		return v;
	}
	return NULL;
}
