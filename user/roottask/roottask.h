/* The roottask: memory manager, rom/ namespace, program loader, pager and launcher. */
#ifndef ROOTTASK_H
#define ROOTTASK_H

#include <stdbool.h>
#include <stdint.h>
#include "cfg.h"
#include "elf64.h"
#include "l4.h"
#include "pecan/rt/env.h"

/* Gate labels: the kind in the top byte, an index below. */
enum rt_kind { KIND_FAULT = 1, KIND_MEM = 2, KIND_DS = 3 };
#define KIND_SHIFT 56
static inline uint64_t rt_label(unsigned kind, uint64_t index) { return ((uint64_t)kind << KIND_SHIFT) | index; }
static inline unsigned rt_label_kind(uint64_t label) { return (unsigned)(label >> KIND_SHIFT); }
static inline uint64_t rt_label_index(uint64_t label) { return label & ((1ull << KIND_SHIFT) - 1); }

/* ---- physical memory (pool.c) ---- */
void pool_init(const struct pecan_kip *kip);
/* size bytes (page multiple) aligned to align; physical address or ~0 when none */
uint64_t pool_alloc(uint64_t size, uint64_t align);
void pool_free(uint64_t pa, uint64_t size);
uint64_t pool_free_bytes(void);
static inline void *window(uint64_t pa) { return (void *)(PECAN_PHYS_WINDOW + pa); }

/* ---- selectors of the roottask's own capability space (main.c) ---- */
uint64_t sel_alloc(void);
/* deletes the capability (and everything derived from it) and frees the selector */
void sel_delete(uint64_t sel);

/* ---- programs (program.c) ---- */
#define RT_MAX_PROGRAMS 24
#define RT_STACK_SIZE (256 * 1024ull)
#define RT_HEAP_MAX (256ull << 20)

struct region {
	uint64_t start, end;      /* page-aligned virtual range */
	unsigned perms;           /* PECAN_FPAGE_R/W/X */
	uint64_t data_va;         /* where the file bytes start (virtual), for ELF segments */
	uint64_t data_off, data_len; /* file offset and length of those bytes; 0: zero-filled */
};

struct program {
	bool used, alive, server;
	unsigned id;                       /* index + 1: the byte in the page owner table */
	char name[CFG_NAME_MAX], tag[CFG_NAME_MAX];
	const uint8_t *image;              /* the ELF file in the window */
	uint64_t image_size;
	unsigned nregions;
	struct region regions[ELF_MAX_SEGMENTS + 2];
	uint64_t entry;
	uint64_t mem_limit, mem_used;      /* user memory (pages and dataspaces) */
	uint64_t env_pa;                   /* its environment page */
	/* its objects, in the roottask's capability space */
	uint64_t sel_task, sel_thread, sel_factory, sel_fault_gate, sel_mem_gate, sel_log_gate;
	uint64_t log_label;
};

extern struct program programs[RT_MAX_PROGRAMS];

/* Creates the task, thread, factory and gates of a program and loads nothing
 * yet; returns NULL with a message printed when that fails. */
struct program *program_create(const char *name, const char *tag, const uint8_t *image, uint64_t size,
			       uint64_t kmem, uint64_t mem, bool server);
/* Maps the environment page and starts the first thread. */
long program_start(struct program *p, const struct pecan_env *env, unsigned prio);
/* Maps every page of the program now (the log server must never fault on the roottask). */
long program_prefault(struct program *p);
/* A page fault or exception message from one of p's threads. Returns true
 * when a reply is due (tag in *reply). */
bool program_fault(struct program *p, uint64_t tag, pecan_msgtag_t *reply);
/* Ends a program: deletes its objects, frees its memory and dataspaces. */
void program_kill(struct program *p, const char *why);
bool programs_all_clients_done(void);
/* Gives pages to a program: charged to its quota, owner recorded. */
uint64_t program_page_alloc(struct program *p);

/* ---- dataspaces (ds.c) ---- */
void ds_init(const struct pecan_kip *kip);
/* MEM gate requests of program p; returns the reply tag. */
pecan_msgtag_t mem_request(struct program *p, uint64_t tag);
/* requests on a dataspace capability */
pecan_msgtag_t ds_request(uint64_t index, uint64_t tag);
void ds_free_of(struct program *p);
/* The module named name (without "rom/"), or NULL. */
const struct pecan_kip_module *rom_find(const char *name, size_t len);

/* ---- launcher (launcher.c) ---- */
/* Reads and checks the script, starts the log server and the programs.
 * Returns 0, or prints what is wrong and returns nonzero. */
int launcher_run(const char *script_name);
/* A program ended: tell the log server nothing more, and check whether the scenario is over. */
void launcher_program_ended(struct program *p);

/* ---- output ---- */
/* The roottask's own lines, `roottask | text`, written whole to the debug console. */
void rt_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
