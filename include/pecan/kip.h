/* The kernel info page: what a boot program learns about the machine at start. */
#ifndef PECAN_KIP_H
#define PECAN_KIP_H

#include <stdint.h>

#define PECAN_KIP_MAGIC 0x4e414345505ull /* "PECAN" */

/* Fixed addresses in a boot program's address space. */
#define PECAN_BOOT_UTCB 0x00007ffffffff000ull  /* UTCB of the first thread */
#define PECAN_BOOT_KIP 0x00007fffffffe000ull   /* this page, read-only */
#define PECAN_BOOT_STACK_TOP 0x00007fffffff0000ull
#define PECAN_BOOT_STACK_SIZE 0x10000ull
/* Physical memory window: frame P of the memory the program owns, and every
 * boot module (read-only), appear at PECAN_PHYS_WINDOW + P. The kernel maps
 * a page there on first touch (sigma0's role); these are the roots of every
 * mapping the program hands on. */
#define PECAN_PHYS_WINDOW 0x0000400000000000ull

#define PECAN_KIP_MAX_MEM 16
#define PECAN_KIP_MAX_MODULES 24
#define PECAN_KIP_NAME_MAX 40
#define PECAN_KIP_MODARGS_MAX 56
#define PECAN_KIP_ARGS_MAX 512

struct pecan_kip_mem {
	uint64_t start, end; /* physical [start, end): memory the program owns (read-write) */
};

struct pecan_kip_module {
	uint64_t start, size;          /* physical; read-only in the window */
	char name[PECAN_KIP_NAME_MAX]; /* "hello" for .../build/user/bin/hello */
	char args[PECAN_KIP_MODARGS_MAX];
};

struct pecan_kip {
	uint64_t magic;
	uint64_t timer_hz;     /* scheduler ticks per second */
	uint64_t boot_time;    /* the CMOS clock at boot: seconds since 1970-01-01 UTC (0: unknown) */
	uint64_t nmem;
	struct pecan_kip_mem mem[PECAN_KIP_MAX_MEM];
	uint64_t nmodules;
	struct pecan_kip_module modules[PECAN_KIP_MAX_MODULES];
	char args[PECAN_KIP_ARGS_MAX]; /* this program's arguments from the scenario */
};

_Static_assert(sizeof(struct pecan_kip) <= 4096, "the KIP is one page");

#endif
