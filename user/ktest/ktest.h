/* ktest: the kernel test suite's shared declarations — the test table, assertions and helpers. */
#ifndef KTEST_H
#define KTEST_H

#include <stdint.h>
#include "l4.h"
#include "stdio.h"
#include "string.h"

/* ---- the table ---------------------------------------------------------
 * A test returns 0 on success, -1 after recording a failure (the KT_*
 * macros do both). Every area file exports a table ended by {0}. */
struct ktest {
	const char *id;   /* stable dotted id: the system test expects "ktest: PASS <id>" */
	const char *name; /* what it checks, in words */
	int (*fn)(void);
};

extern const struct ktest ktest_objects[], ktest_thread[], ktest_ipc[], ktest_ipc_abort[], ktest_memory[],
	ktest_faults[], ktest_irq[], ktest_sched[], ktest_vcpu[];

/* ---- assertions: record file:line and what, then return -1 ---------------- */
void kt_fail(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#define KT_FAIL(...)                                        \
	do {                                                \
		kt_fail(__FILE__, __LINE__, __VA_ARGS__);  \
		return -1;                                  \
	} while (0)
#define KT_ASSERT(cond)                                         \
	do {                                                    \
		if (!(cond))                                    \
			KT_FAIL("assertion failed: %s", #cond); \
	} while (0)
#define KT_EQ(a, b)                                                                                  \
	do {                                                                                         \
		uint64_t kt_a_ = (uint64_t)(a), kt_b_ = (uint64_t)(b);                               \
		if (kt_a_ != kt_b_)                                                                  \
			KT_FAIL("%s == %s: got %#lx, expected %#lx", #a, #b, kt_a_, kt_b_);          \
	} while (0)
/* An invocation returns the expected error code. */
#define KT_ERR(expr, want)                                                                           \
	do {                                                                                         \
		long kt_e_ = (expr), kt_w_ = (want);                                                 \
		if (kt_e_ != kt_w_)                                                                  \
			KT_FAIL("%s: got %s (%ld), expected %s (%ld)", #expr, l4_strerror(kt_e_), kt_e_, \
				l4_strerror(kt_w_), kt_w_);                                          \
	} while (0)
#define KT_OK(expr) KT_ERR(expr, PECAN_OK)
/* A helper that itself recorded a failure (returns nonzero): pass it on. */
#define KT_CHECK(expr)                  \
	do {                            \
		if ((expr) != 0)        \
			return -1;      \
	} while (0)

/* ---- limits and fixed places ------------------------------------------- */
#define KT_TIMEOUT 1000000ull     /* µs: every blocking call of a test gives up after this */
#define KT_SEL_FIRST 8            /* per-test capability selectors: [KT_SEL_FIRST, KT_SEL_LIMIT) */
#define KT_SEL_LIMIT 256
#define KT_SEL_SLEEP 300          /* a gate bound to the main thread that no one sends to: for sleeping */
#define KT_POOL_PAGES 96          /* pages a single test may take */
#define KT_UTCB_BASE 0x00007fff00000000ull /* UTCBs of threads: one 2 MiB page table, slot 0 for warm-up */
#define KT_UTCB_SLOTS 500       /* slots 500..511 are for tests that pick a UTCB address themselves */
#define KT_SCRATCH 0x0000600000000000ull   /* own-task addresses for self-mappings (2 MiB) */

/* Selectors in a child task's capability space (kt_task_create fills 4). */
enum {
	KT_CSEL_KDEBUG = PECAN_CAP_KDEBUG, /* R only: printf works in the child */
	KT_CSEL_REPORT = 8,                /* the report gate of a probe or helper */
	KT_CSEL_FAULT = 9,                 /* pager / exception handler gate */
	KT_CSEL_GATE = 10,                 /* free for a test: a gate, ... */
	KT_CSEL_GATE2 = 11,
	KT_CSEL_PROBE = 12,                /* kt_probe's gate */
	KT_CSEL_WINDOW = 16,               /* free for a test: a capability receive window */
};

/* Gate labels the helpers use. */
enum {
	KT_LABEL_REPORT = 0x7e90,
	KT_LABEL_FAULT = 0x7e91,
	KT_LABEL_DONE = 0x7e92,
};

/* ---- resources ------------------------------------------------------- */
/* A free selector in the own capability space, 0 when the test used them all.
 * The harness deletes whatever is left in them after the test. */
l4_cap_t kt_sel(void);
/* A zeroed page of the program's own memory (window address), from a pool
 * that the harness takes back after each test; 0 when the pool is empty. */
void *kt_page(void);
/* Deletes a capability of the own space (unmap with SELF). */
long kt_delete(l4_cap_t sel);
/* Maps a capability of the own space to selector dest of the own space with
 * the given rights (TASK_MAP onto the own task). */
long kt_map_self(l4_cap_t src, unsigned rights, l4_cap_t dest);
/* Kernel statistics, the live-object count alone. */
uint64_t kt_objects(void);

/* ---- time ---------------------------------------------------------------- */
extern uint64_t kt_hz;
uint64_t kt_ticks(void);
/* Ticks that us microseconds last, rounded down. */
static inline uint64_t kt_us_to_ticks(uint64_t us) { return us * kt_hz / 1000000; }
/* The main thread blocks for us microseconds (closed wait on the sleep gate). */
void kt_sleep_us(uint64_t us);
/* Any thread: blocks for us microseconds with an open wait (nothing must be bound to it). */
void kt_thread_sleep_us(uint64_t us);

/* ---- tasks and threads ------------------------------------------------ */
struct kt_task {
	l4_cap_t cap;       /* in the own space */
	unsigned next_utcb; /* UTCB slots used in it */
};

/* Creates a task holding the program's image at the same addresses, and the
 * kdebug capability (R) at KT_CSEL_KDEBUG. */
int kt_task_create(struct kt_task *t);
/* Maps an own page into t at the same address. */
long kt_task_map_page(struct kt_task *t, const void *page, unsigned rights);
/* Maps an own capability into t at selector dest. */
long kt_task_map_cap(struct kt_task *t, l4_cap_t src, unsigned rights, l4_cap_t dest);

struct kt_thread {
	l4_cap_t cap;          /* in the own space */
	struct kt_task *task;  /* 0: the own task */
	uint64_t utcb;
	uint64_t *stack;       /* one page, also mapped into task */
	void *data;            /* one page for the thread's arguments and results, also mapped into task */
};

/* Creates a thread and binds it (CONTROL) to task (0: own), with pager and
 * exception handler selectors looked up in that task; not started. */
int kt_thread_create(struct kt_thread *t, struct kt_task *task, l4_cap_t pager, l4_cap_t exc);
/* Starts it at fn(arg); fn must never return (the trampoline parks it if it does). */
long kt_thread_start(struct kt_thread *t, void (*fn)(void *), void *arg);
/* create + SCHED (when prio differs from the default) + start. */
int kt_thread_spawn(struct kt_thread *t, struct kt_task *task, unsigned prio, l4_cap_t pager, l4_cap_t exc,
		    void (*fn)(void *), void *arg);
/* Polls THREAD_INFO until the state is reached (within KT_TIMEOUT); 0 or -1. */
int kt_wait_state(l4_cap_t thread, uint64_t state);
/* Blocks the calling thread forever. */
void kt_park(void) __attribute__((noreturn));
/* Thread bodies for any test: increment *(volatile uint64_t *)counter forever;
 * block forever. */
void kt_spin_fn(void *counter) __attribute__((noreturn));
void kt_park_fn(void *unused) __attribute__((noreturn));

/* ---- reports: helper threads tell the main thread what they saw ---------- */
/* Sends n words on gate with label KT_LABEL_REPORT in the tag (any thread). */
long kt_report(l4_cap_t gate, unsigned n, const uint64_t *words);
static inline long kt_report1(l4_cap_t gate, uint64_t w)
{
	return kt_report(gate, 1, &w);
}
/* The main thread receives a report on gate (closed wait, KT_TIMEOUT) into
 * words; records a failure and returns -1 unless one with n words came. */
int kt_expect_report(const char *file, int line, l4_cap_t gate, unsigned n, uint64_t *words);
#define KT_REPORT(gate, n, words) KT_CHECK(kt_expect_report(__FILE__, __LINE__, gate, n, words))

/* A gate bound to the main thread with the given label, in a new selector. */
l4_cap_t kt_main_gate(uint64_t label);

/* ---- probes: does an access at addr in a task work, or fault? ----------- */
enum kt_probe_result { KT_PROBE_OK, KT_PROBE_FAULT, KT_PROBE_ERROR };
/* Runs a thread in task (0: own) that reads (write: writes wval to) addr;
 * its pager is a gate of the main thread. KT_PROBE_OK: *out = the value
 * read (or wval); KT_PROBE_FAULT: *out = the page-fault word (address and
 * PECAN_PF_* bits). KT_PROBE_ERROR: neither came (failure recorded). The
 * thread and the gate are deleted afterwards. */
enum kt_probe_result kt_probe(struct kt_task *task, uint64_t addr, int write, uint64_t wval, uint64_t *out);

/* The probe's outcome checked: a read that gives want; an access that faults
 * at addr's page (with PECAN_PF_WRITE when write). */
int kt_probe_ok(const char *file, int line, struct kt_task *task, uint64_t addr, uint64_t want);
int kt_probe_fault(const char *file, int line, struct kt_task *task, uint64_t addr, int write);
#define KT_PROBE_OK(task, addr, want) KT_CHECK(kt_probe_ok(__FILE__, __LINE__, task, addr, want))
#define KT_PROBE_FAULT(task, addr, write) KT_CHECK(kt_probe_fault(__FILE__, __LINE__, task, addr, write))

/* ---- the linker's symbols for the program image ---------------------------- */
extern char __executable_start[], _end[];

#endif
