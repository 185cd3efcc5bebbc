/* The environment of a program started by the launcher: its name, log tag, arguments and named capabilities. */
#ifndef PECAN_RT_ENV_H
#define PECAN_RT_ENV_H

#include <stdint.h>

/*
 * The launcher (roottask) maps one read-only page at PECAN_ENV_ADDR into
 * every program it starts; such a program starts with rdi = 0 and finds it
 * there. Boot programs started by the kernel get the kernel info page in
 * rdi instead (kip.h).
 *
 * Address space of a launched program: ELF segments where the file says,
 * the UTCB of the first thread at PECAN_BOOT_UTCB, this page, the stack
 * below PECAN_BOOT_STACK_TOP, and the heap at PECAN_HEAP_BASE. The stack and
 * heap are mapped on demand by the roottask (the program's pager), from the
 * program's memory quota.
 */
#define PECAN_ENV_MAGIC 0x564e454e41434550ull /* "PECANENV" */
#define PECAN_ENV_ADDR 0x00007fffffffd000ull
#define PECAN_HEAP_BASE 0x0000100000000000ull
#define PECAN_ENV_NAME_MAX 32
#define PECAN_ENV_ARGS_MAX 1024
#define PECAN_ENV_MAX_CAPS 32

/* Selectors every launched program has. Selector 4 speaks the debug
 * console's WRITE protocol (the log server's), so printf works the same
 * in boot programs and launched programs. */
enum pecan_rt_cap {
	PECAN_RT_CAP_TASK = 1,    /* own task (R|W|D) */
	PECAN_RT_CAP_THREAD = 2,  /* own first thread */
	PECAN_RT_CAP_FACTORY = 3, /* a factory with the program's kernel-memory quota */
	PECAN_RT_CAP_LOG = 4,     /* its log gate (tag from the config script) */
	PECAN_RT_CAP_MEM = 5,     /* the roottask: dataspaces and the rom/ namespace (mem.h) */
	PECAN_RT_CAP_PAGER = 6,   /* the roottask as its threads' pager and exception handler */
	PECAN_RT_CAP_FIRST_NAMED = 16, /* named capabilities from the config script, in order */
	PECAN_RT_CAP_FIRST_FREE = 64,  /* the program's own from here */
};

struct pecan_env_cap {
	char name[PECAN_ENV_NAME_MAX]; /* as in the config script: cap=NAME */
	uint64_t sel;
	uint64_t rights;               /* PECAN_CAP_R|W|D */
};

struct pecan_env {
	uint64_t magic;
	char name[PECAN_ENV_NAME_MAX];  /* the program's name in the config script */
	char tag[PECAN_ENV_NAME_MAX];   /* its log tag */
	uint64_t heap_size;             /* bytes usable at PECAN_HEAP_BASE */
	uint64_t boot_time;             /* the machine's clock at boot (the KIP's), 0: unknown */
	uint32_t argc;                  /* argv[0] is the name */
	uint32_t args_len;
	char args[PECAN_ENV_ARGS_MAX];  /* argc NUL-terminated strings, one after the other */
	uint32_t ncaps;
	uint32_t reserved;
	struct pecan_env_cap caps[PECAN_ENV_MAX_CAPS];
};

_Static_assert(sizeof(struct pecan_env) <= 4096, "the environment is one page");

#endif
