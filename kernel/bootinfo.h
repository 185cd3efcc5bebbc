/* What the boot loader handed over, in the kernel's own terms (parsed from multiboot). */
#ifndef KERNEL_BOOTINFO_H
#define KERNEL_BOOTINFO_H

#include <stddef.h>
#include <stdint.h>

#define BOOT_MAX_MODULES 32
#define BOOT_MAX_MEMORY 32
#define BOOT_NAME_MAX 64

struct boot_module {
	uint64_t start, end;      /* physical [start, end) */
	char name[BOOT_NAME_MAX]; /* file name without directory: how programs refer to it */
	const char *args;         /* rest of the module's command line, "" if none */
};

struct boot_memory {
	uint64_t start, end; /* physical [start, end), usable RAM */
};

struct boot_reserved {
	uint64_t start, end; /* physical ranges the frame allocator must not hand out */
};

struct boot_info {
	const char *cmdline; /* kernel arguments, without the kernel's own file name */
	unsigned nmodules;
	struct boot_module modules[BOOT_MAX_MODULES];
	unsigned nmemory;
	struct boot_memory memory[BOOT_MAX_MEMORY];
	unsigned nreserved;
	struct boot_reserved reserved[BOOT_MAX_MODULES * 2 + 8];
};

/* Parses the multiboot information; panics with a clear message when the
 * loader gave no memory map or the magic is wrong. */
void bootinfo_parse(struct boot_info *bi, uint32_t magic, uint64_t mbi_phys);

/* Looks up a boot module by name; NULL when there is none. */
const struct boot_module *bootinfo_module(const struct boot_info *bi, const char *name, size_t len);

/* Finds "key=" in the kernel command line; returns the value (up to the next
 * blank) and its length, or NULL. A bare "key" gives an empty value. */
const char *bootinfo_arg(const struct boot_info *bi, const char *key, size_t *len);

#endif
