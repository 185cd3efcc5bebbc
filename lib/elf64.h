/* elf64.h - ELF64 file layout and validation of x86-64 executables before loading. */
#ifndef PECAN_LIB_ELF64_H
#define PECAN_LIB_ELF64_H

#include <stddef.h>
#include <stdint.h>

/*
 * On-disk layout (System V gABI, little-endian x86-64). The structs
 * document the format and let tests build images; the validator itself
 * decodes the bytes one by one because the file may be unaligned.
 */
#define ELF_EI_NIDENT   16
#define ELF_EI_CLASS    4
#define ELF_EI_DATA     5
#define ELF_EI_VERSION  6
#define ELF_EI_OSABI    7

#define ELF_MAG0        0x7f
#define ELF_MAG1        'E'
#define ELF_MAG2        'L'
#define ELF_MAG3        'F'
#define ELF_CLASS64     2
#define ELF_DATA2LSB    1
#define ELF_EV_CURRENT  1
#define ELF_ET_EXEC     2
#define ELF_EM_X86_64   62

#define ELF_PT_NULL     0
#define ELF_PT_LOAD     1
#define ELF_PT_DYNAMIC  2
#define ELF_PT_INTERP   3
#define ELF_PT_NOTE     4
#define ELF_PT_PHDR     6
#define ELF_PT_TLS      7
#define ELF_PT_GNU_STACK 0x6474e551

#define ELF_PF_X        0x1
#define ELF_PF_W        0x2
#define ELF_PF_R        0x4

#define ELF64_EHDR_SIZE 64
#define ELF64_PHDR_SIZE 56

struct elf64_ehdr {
	uint8_t  e_ident[ELF_EI_NIDENT];
	uint16_t e_type;
	uint16_t e_machine;
	uint32_t e_version;
	uint64_t e_entry;
	uint64_t e_phoff;
	uint64_t e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize;
	uint16_t e_phentsize;
	uint16_t e_phnum;
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
};

struct elf64_phdr {
	uint32_t p_type;
	uint32_t p_flags;
	uint64_t p_offset;
	uint64_t p_vaddr;
	uint64_t p_paddr;
	uint64_t p_filesz;
	uint64_t p_memsz;
	uint64_t p_align;
};

_Static_assert(sizeof(struct elf64_ehdr) == ELF64_EHDR_SIZE, "ELF64 header layout");
_Static_assert(sizeof(struct elf64_phdr) == ELF64_PHDR_SIZE, "ELF64 phdr layout");

/* What a loader needs from a checked executable. */
#define ELF_MAX_SEGMENTS 16

/* Lowest user address a segment may use: page 0 stays unmapped. */
#define ELF_USER_MIN    0x1000

struct elf_segment {
	uint64_t vaddr, memsz, offset, filesz;
	uint32_t flags; /* ELF_PF_* */
};

struct elf_image {
	uint64_t entry;
	unsigned nsegments;
	struct elf_segment seg[ELF_MAX_SEGMENTS];
};

/*
 * Check that file[0..size) is an x86-64 ELF64 ET_EXEC whose PT_LOAD
 * segments lie inside the file and inside [ELF_USER_MIN, user_top),
 * do not share pages, keep vaddr == offset modulo 4 KiB, and whose entry
 * point is in an executable segment. On success returns 0 with *out
 * holding the PT_LOAD segments in file order (out may be NULL to only
 * validate). On failure returns -1 and writes a one-line reason to err
 * (err may be NULL or errlen 0); *out is then unspecified.
 * "segment N" in messages is the program header index, as in readelf.
 * Never reads outside [file, file + size).
 */
int elf_check_exec(const void *file, size_t size, uint64_t user_top,
		   struct elf_image *out, char *err, size_t errlen);

#endif
