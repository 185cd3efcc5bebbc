/* hostile: the shared layout of the hostile-task test (task A = main, B = heartbeat, C = attacker). */
#ifndef HOSTILE_H
#define HOSTILE_H

#include <stdint.h>
#include "l4.h"

/*
 * Addresses inside B and C. Every page there comes from A: the program
 * image (mapped read+execute at the same addresses, so the thread entry
 * points and read-only data work unchanged), and pages from
 * l4_page_alloc() mapped at the fixed places below. A sees the same
 * frames at their window addresses.
 */
#define PRIV_BASE 0x0000500000000000ull     /* vital pages of B and C (stacks, UTCBs, shared pages) */
#define PRIV_SIZE 0x0000000000400000ull
#define PRIV_UTCB(i) (PRIV_BASE + 0x1000ull * (i))          /* UTCBs of the threads A creates in B/C */
#define PRIV_STACK(i) (PRIV_BASE + 0x100000ull + 0x10000ull * (i)) /* base of stack i */
#define STACK_PAGES 4
#define PRIV_BEAT (PRIV_BASE + 0x200000ull)  /* struct heartbeat, in B */
#define PRIV_STATS (PRIV_BASE + 0x201000ull) /* struct attack_stats, in C */

/* C's playground for memory items: the partner's receive window. */
#define SCRATCH_BASE 0x0000600000000000ull
#define SCRATCH_ORDER 20
#define SCRATCH_PAGES 4 /* mapped from A at the start of each epoch */

/* Capability selectors in C's own space (what the attacker plays with). */
enum {
	C_SEL_TASK = 1,        /* C itself, rights R|D: no EXIT, MAP or UNMAP on itself */
	C_SEL_THREAD = 2,      /* the attacker thread, right R only: no EX_REGS on itself */
	C_SEL_FACTORY = 3,     /* a sub-factory with a small quota */
	C_SEL_KDEBUG = 4,
	C_SEL_GATE_PARTNER = 6, /* gate to the partner thread in C */
	C_SEL_GATE_SELF = 7,   /* gate to the attacker itself */
	C_SEL_IRQ_BOUND = 8,   /* IRQ bound to the attacker */
	C_SEL_IRQ_FREE = 9,    /* unbound IRQ */
	C_SEL_TOY_THREAD = 10, /* an inactive, unbound thread (RWD) */
	C_SEL_TOY_GATE = 11,   /* gate to the toy thread */
	C_SEL_TOY_TASK = 12,   /* an empty task (RWD) */
	C_SEL_CAP_WINDOW = 16, /* selectors 16..31: where capability items may land */
	C_CAP_WINDOW_ORDER = 4,
};

/* The heartbeat's page (B writes, A reads). */
struct heartbeat {
	volatile uint64_t beats;
	volatile uint64_t last_tick;
	volatile uint64_t max_gap;      /* largest gap in ticks between beats while measuring */
	volatile uint64_t measuring;    /* set by A */
	volatile uint64_t odd_returns;  /* waits that returned something other than ETIMEOUT */
};

/* The attacker's page (C writes, A reads). */
#define ERR_SLOTS (PECAN_ERROR_COUNT + 1) /* the last slot counts codes outside the enum */
struct attack_stats {
	volatile uint64_t seed;         /* this epoch's seed, set by A */
	volatile uint64_t target;       /* invocations to make, set by A */
	volatile uint64_t trace_from;   /* print each invocation from this one on (~0: none), set by A */
	volatile uint64_t calls;        /* invocations made */
	volatile uint64_t err[ERR_SLOTS];
	volatile uint64_t regs_clobbered; /* calls after which a preserved register had changed */
	volatile uint64_t bad_code;     /* the last code outside the enum */
	volatile uint64_t partner_msgs; /* messages the partner received */
	volatile uint64_t defused;      /* invocations changed by defuse() */
	volatile uint64_t done;
};

/* attack.c */
void attacker_entry(void) __attribute__((noreturn));
void partner_entry(void) __attribute__((noreturn));
void sink_entry(void) __attribute__((noreturn));

/* The program image, from the default linker script. */
extern char __executable_start[], _end[];

#endif
