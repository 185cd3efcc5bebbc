/* hostile: the attacker (task C): random invocations with random messages, and its partner and sink threads. */
#include "stdio.h"
#include "string.h"
#include "hostile.h"

/*
 * Everything here runs in task C, which sees the program image read+execute
 * only: no writes to globals. State lives on the stack, in the UTCB and in
 * the stats page (PRIV_STATS).
 *
 * The attacker may do anything its capabilities allow, except a few things
 * that would only kill the test itself rather than attack the kernel;
 * defuse() changes those (and counts it):
 *  - granting away (GRANT item or TASK_MAP GRANT) a memory page the test
 *    lives on (the image, stacks, UTCBs, shared pages) or C's own task
 *    capability: such a grant becomes a MAP;
 *  - starting a thread at a random rip: EX_REGS with START always starts it
 *    at sink_entry, a loop of bounded open waits (threads created by C get
 *    the default priority 100, the heartbeat's, so a thread spinning in
 *    random code would be a denial of service built by the test, not one
 *    the kernel allows);
 *  - kdebug GETCHAR (would wait for serial input that never comes) and
 *    kdebug WRITE of random bytes (garbage on the console): the length word
 *    is made 0 or longer than the message, both print nothing;
 *  - receive windows over the vital pages / selectors 0..15.
 * Self-destruction by capability is impossible by construction: C's own
 * task capability has rights R|D (no EXIT, MAP or UNMAP on itself) and its
 * own thread capability only R (no EX_REGS, SCHED, CONTROL). Should the
 * attacker die or stall anyway, task A cancels its IPC and, failing that,
 * restarts C (counted as an unplanned restart).
 *
 * With the program argument trace=N the attacker prints every invocation
 * from the N-th on (counted over all epochs) and its result, to find the
 * one that brings the kernel down; the same seed and N reproduce it.
 */

struct rng {
	uint64_t s;
};

/* xorshift64: fixed seed, so that a failure reproduces. */
static uint64_t rnd(struct rng *r)
{
	uint64_t x = r->s;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return r->s = x;
}

static uint64_t below(struct rng *r, uint64_t n) { return rnd(r) % n; }
static int chance(struct rng *r, unsigned one_in) { return below(r, one_in) == 0; }

static uint64_t image_lo(void) { return (uint64_t)__executable_start & ~0xfffull; }
static uint64_t image_hi(void) { return ((uint64_t)_end + 0xfff) & ~0xfffull; }

/* An address that is likely to mean something (or to be wrong in an interesting way). */
static uint64_t rnd_addr(struct rng *r)
{
	static const uint64_t odd[] = {
		0, 0xfff, 0x1000, 0x00007ffffffff000ull, 0x00007fffffffe000ull, 0x0000800000000000ull,
		0xffff800000000000ull, 0xffffffff80000000ull, 0xfffffffffffff000ull, ~0ull, PECAN_BOOT_STACK_TOP,
	};
	switch (below(r, 9)) {
	case 0: return rnd(r);
	case 1: return below(r, 1u << 24);
	case 2: return image_lo() + below(r, image_hi() - image_lo());
	case 3: return SCRATCH_BASE + below(r, 1ull << SCRATCH_ORDER);
	case 4: return PRIV_BASE + below(r, PRIV_SIZE);
	case 5: return PECAN_PHYS_WINDOW + below(r, 1ull << 30);
	case 6: return 0xffff800000000000ull + below(r, 1ull << 40);
	case 7: return rnd(r) & 0x00007ffffffff000ull;
	default: return odd[below(r, sizeof(odd) / sizeof(odd[0]))];
	}
}

static unsigned rnd_order(struct rng *r, unsigned lo, unsigned hi)
{
	return chance(r, 8) ? (unsigned)below(r, 64) : lo + (unsigned)below(r, hi - lo + 1);
}

static uint64_t rnd_fpage(struct rng *r)
{
	switch (below(r, 10)) {
	case 0: return rnd(r); /* any bits, any kind */
	case 1: return 0;
	case 2: case 3: case 4: case 5: {
		unsigned order = rnd_order(r, 12, 22);
		uint64_t base = rnd_addr(r);
		if (!chance(r, 8) && order < 64)
			base &= ~((1ull << order) - 1);
		return pecan_fpage_mem(base, order, (unsigned)below(r, 16));
	}
	default: {
		unsigned order = rnd_order(r, 0, 5);
		uint64_t sel = chance(r, 8) ? rnd(r) >> 12 : below(r, 64);
		if (!chance(r, 8) && order < 64)
			sel &= ~((1ull << order) - 1);
		return pecan_fpage_cap(sel, order, (unsigned)below(r, 16));
	}
	}
}

/* A message word: mostly small numbers (selectors, operation arguments). */
static uint64_t rnd_word(struct rng *r)
{
	switch (below(r, 8)) {
	case 0: case 1: case 2: return below(r, 32);
	case 3: return rnd_addr(r);
	case 4: return rnd_fpage(r);
	case 5: return below(r, 8) | (chance(r, 2) ? 0 : (1ull << below(r, 64)));
	case 6: return below(r, 300); /* priorities, lines, lengths */
	default: return rnd(r);
	}
}

static uint64_t rnd_timeout(struct rng *r)
{
	if (chance(r, 8192))
		return chance(r, 2) ? PECAN_TIMEOUT_NEVER : rnd(r); /* A cancels it when it blocks */
	if (chance(r, 40))
		return 1 + below(r, 2000);
	return PECAN_TIMEOUT_ZERO;
}

static int overlaps(uint64_t base, uint64_t size, uint64_t lo, uint64_t hi)
{
	uint64_t end = base + size;
	if (end < base)
		end = ~0ull;
	return base < hi && end > lo;
}

/* Does a memory flexpage (aligned down to its size, or as written) cover a page the test lives on? */
static int vital_mem(pecan_fpage_t f)
{
	unsigned order = pecan_fpage_order(f);
	if (order >= 63)
		return 1;
	uint64_t size = 1ull << order, base = f & PECAN_FPAGE_BASE_MASK, aligned = base & ~(size - 1);
	for (int i = 0; i < 2; i++) {
		uint64_t b = i ? aligned : base;
		if (overlaps(b, size, image_lo(), image_hi()) || overlaps(b, size, PRIV_BASE, PRIV_BASE + PRIV_SIZE))
			return 1;
	}
	return 0;
}

/* Does a flexpage cover something C must not lose (any kind: the kernel decides what it is)? */
static int vital(pecan_fpage_t f)
{
	if (pecan_fpage_kind(f) == PECAN_FPAGE_CAP) {
		unsigned order = pecan_fpage_order(f);
		uint64_t sel = f >> 12;
		return order >= 12 || overlaps(sel, 1ull << order, 0, C_SEL_CAP_WINDOW) ||
		       overlaps(sel & ~((1ull << order) - 1), 1ull << order, 0, C_SEL_CAP_WINDOW);
	}
	return vital_mem(f);
}

/* Asks the kernel what sel names (CAP_INFO on C's own task); keeps the message registers. */
static int is_kdebug_or_unknown(struct pecan_utcb *u, uint64_t sel)
{
	uint64_t saved[8], type, rights;
	if (sel >= PECAN_CAP_SPACE_SIZE)
		return 0;
	memcpy(saved, u->mr, sizeof(saved));
	long err = l4_task_cap_info(C_SEL_TASK, sel, &type, &rights);
	memcpy(u->mr, saved, sizeof(saved));
	return err != PECAN_OK || type == PECAN_OBJ_KDEBUG;
}

/* See the comment at the top. Returns nonzero when it changed the message (or *tag). */
static int defuse(struct rng *r, struct pecan_utcb *u, uint64_t sel, pecan_msgtag_t *tag, uint64_t flags)
{
	int changed = 0;
	unsigned words = pecan_msgtag_words(*tag), items = pecan_msgtag_items(*tag);
	uint32_t label = pecan_msgtag_label(*tag);
	if (!(flags & PECAN_IPC_SEND))
		return 0;
	for (unsigned i = 0; i < items && words + 2 * i + 1 < PECAN_MR_COUNT; i++) {
		uint64_t *w = &u->mr[words + 2 * i];
		if ((w[0] & PECAN_ITEM_TYPE_MASK) != PECAN_ITEM_MAP && vital(w[1])) {
			w[0] = (w[0] & ~PECAN_ITEM_TYPE_MASK) | PECAN_ITEM_MAP;
			changed = 1;
		}
	}
	if (label == PECAN_TASK_MAP && (u->mr[3] & PECAN_ITEM_TYPE_MASK) != PECAN_ITEM_MAP && vital(u->mr[1])) {
		u->mr[3] = PECAN_ITEM_MAP;
		changed = 1;
	}
	if (label == PECAN_THREAD_EX_REGS && (u->mr[2] & PECAN_EXREGS_START)) {
		u->mr[0] = (uint64_t)sink_entry;
		u->mr[2] |= PECAN_EXREGS_SET_IP;
		changed = 1;
	}
	if ((label == PECAN_KDEBUG_WRITE || label == PECAN_KDEBUG_GETCHAR) && !(flags & PECAN_IPC_REPLY) &&
	    is_kdebug_or_unknown(u, sel)) {
		if (label == PECAN_KDEBUG_GETCHAR)
			*tag = pecan_msgtag(PECAN_KDEBUG_WRITE, words, items, pecan_msgtag_flags(*tag));
		u->mr[0] = chance(r, 2) ? 0 : 8 * (uint64_t)words + 1 + below(r, 1000);
		changed = 1;
	}
	return changed;
}

/* One invocation with canary values in the registers the ABI preserves (rdx, r8-r10, rbx, r12-r15). */
static long invoke_checked(uint64_t sel, uint64_t tag, uint64_t flags, uint64_t rcv_to, uint64_t snd_to,
			   uint64_t partner, uint64_t *rtag, uint64_t *rlabel, int *clobbered)
{
	register uint64_t r8 __asm__("r8") = rcv_to;
	register uint64_t r9 __asm__("r9") = snd_to;
	register uint64_t r10 __asm__("r10") = partner;
	register uint64_t r12 __asm__("r12") = 0x1212121212121212ull;
	register uint64_t r13 __asm__("r13") = 0x1313131313131313ull;
	register uint64_t r14 __asm__("r14") = 0x1414141414141414ull;
	register uint64_t r15 __asm__("r15") = 0x1515151515151515ull;
	uint64_t rbx = 0xbbbbbbbbbbbbbbbbull, rdx = flags, rax;
	__asm__ volatile("syscall"
			 : "=a"(rax), "+D"(sel), "+S"(tag), "+d"(rdx), "+r"(r8), "+r"(r9), "+r"(r10), "+r"(r12),
			   "+r"(r13), "+r"(r14), "+r"(r15), "+b"(rbx)
			 :
			 : "rcx", "r11", "memory");
	*clobbered = r8 != rcv_to || r9 != snd_to || r10 != partner || rdx != flags ||
		     r12 != 0x1212121212121212ull || r13 != 0x1313131313131313ull || r14 != 0x1414141414141414ull ||
		     r15 != 0x1515151515151515ull || rbx != 0xbbbbbbbbbbbbbbbbull;
	*rtag = tag;
	*rlabel = sel;
	return (long)rax;
}

/* Fills the UTCB's message registers for tag: random words, then typed items. */
static void fill_message(struct rng *r, struct pecan_utcb *u, pecan_msgtag_t tag)
{
	unsigned words = pecan_msgtag_words(tag), items = pecan_msgtag_items(tag);
	unsigned n = words + 2 * items;
	if (n > PECAN_MR_COUNT)
		n = PECAN_MR_COUNT;
	for (unsigned i = 0; i < n; i++)
		u->mr[i] = rnd_word(r);
	for (unsigned i = 0; i < items && words + 2 * i + 1 < PECAN_MR_COUNT; i++) {
		uint64_t type = chance(r, 10) ? below(r, 16) : (chance(r, 2) ? PECAN_ITEM_MAP : PECAN_ITEM_GRANT);
		u->mr[words + 2 * i] = pecan_item_word0((unsigned)type, rnd_addr(r));
		u->mr[words + 2 * i + 1] = rnd_fpage(r);
	}
}

static pecan_msgtag_t rnd_tag(struct rng *r)
{
	if (chance(r, 20))
		return rnd(r);
	if (chance(r, 2)) /* well-formed: an operation number and a plausible argument count */
		return pecan_msgtag((uint32_t)below(r, 8), (unsigned)below(r, 5), 0, 0);
	uint32_t label;
	unsigned v = (unsigned)below(r, 20);
	if (v < 13)
		label = (uint32_t)below(r, 8); /* operation numbers */
	else if (v < 15)
		label = chance(r, 2) ? PECAN_LABEL_PAGE_FAULT : PECAN_LABEL_EXCEPTION;
	else
		label = (uint32_t)rnd(r);
	unsigned words = chance(r, 4) ? (unsigned)below(r, 128) : (unsigned)below(r, 8);
	unsigned items = chance(r, 5) ? (chance(r, 4) ? (unsigned)below(r, 64) : 1 + (unsigned)below(r, 3)) : 0;
	unsigned flags = chance(r, 10) ? (unsigned)below(r, 1u << 16) : 0;
	return pecan_msgtag(label, words, items, flags);
}

static uint64_t rnd_selector(struct rng *r)
{
	static const uint64_t odd[] = {4095, 4096, 1ull << 12, 1ull << 32, 1ull << 40, ~0ull, 0x8000000000000001ull};
	static const uint8_t given[] = {
		C_SEL_TASK, C_SEL_THREAD, C_SEL_FACTORY, C_SEL_KDEBUG, C_SEL_GATE_PARTNER, C_SEL_GATE_SELF,
		C_SEL_IRQ_BOUND, C_SEL_IRQ_FREE, C_SEL_TOY_THREAD, C_SEL_TOY_GATE, C_SEL_TOY_TASK,
	};
	unsigned v = (unsigned)below(r, 100);
	if (v < 40)
		return given[below(r, sizeof(given))];
	if (v < 80)
		return below(r, 32);
	if (v < 92)
		return below(r, PECAN_CAP_SPACE_SIZE);
	if (v < 96)
		return odd[below(r, sizeof(odd) / sizeof(odd[0]))];
	return rnd(r);
}

static uint64_t rnd_flags(struct rng *r)
{
	static const uint64_t valid[] = {
		PECAN_IPC_CALL, PECAN_IPC_CALL, PECAN_IPC_CALL, PECAN_IPC_SEND, PECAN_IPC_WAIT, PECAN_IPC_RECV,
		PECAN_IPC_REPLY | PECAN_IPC_SEND, PECAN_IPC_REPLY_WAIT, PECAN_IPC_SEND | PECAN_IPC_WAIT,
	};
	unsigned v = (unsigned)below(r, 20);
	if (v < 17)
		return valid[below(r, sizeof(valid) / sizeof(valid[0]))];
	if (v < 19)
		return below(r, 16);
	return rnd(r);
}

/* Receive windows: random, but never over the vital pages or selectors 0..15. */
static void rnd_windows(struct rng *r, struct pecan_utcb *u)
{
	if (chance(r, 2))
		return; /* keep last time's */
	uint64_t mem = rnd_fpage(r);
	if (pecan_fpage_kind(mem) == PECAN_FPAGE_MEM && vital_mem(mem))
		mem = pecan_fpage_mem(SCRATCH_BASE, 12 + (unsigned)below(r, SCRATCH_ORDER - 11), (unsigned)below(r, 8));
	u->br[PECAN_BR_MEM_WINDOW] = chance(r, 4) ? 0 : mem;
	unsigned order = (unsigned)below(r, C_CAP_WINDOW_ORDER + 1);
	uint64_t sel = C_SEL_CAP_WINDOW + (below(r, 1u << C_CAP_WINDOW_ORDER) & ~((1ull << order) - 1));
	u->br[PECAN_BR_CAP_WINDOW] = chance(r, 4) ? 0 : pecan_fpage_cap(sel, order, (unsigned)below(r, 8));
	u->br[2] = chance(r, 2) ? 0 : rnd(r);
	u->br[3] = chance(r, 2) ? 0 : rnd(r);
}

static void count(struct attack_stats *st, long err, int clobbered)
{
	if (err >= 0 && err < PECAN_ERROR_COUNT) {
		st->err[err]++;
	} else {
		st->err[ERR_SLOTS - 1]++;
		st->bad_code = (uint64_t)err;
	}
	if (clobbered)
		st->regs_clobbered++;
}

/* Prints one invocation (the trace=N argument), keeping the message registers printing uses. */
static void trace(struct pecan_utcb *u, uint64_t n, uint64_t sel, pecan_msgtag_t tag, uint64_t flags,
		  uint64_t rcv_to, uint64_t snd_to, uint64_t partner)
{
	uint64_t saved[PECAN_MR_COUNT];
	char line[480];
	memcpy(saved, u->mr, sizeof(saved));
	unsigned words = pecan_msgtag_words(tag) + 2 * pecan_msgtag_items(tag);
	int len = snprintf(line, sizeof(line),
			   "hostile: call %lu: sel 0x%lx tag 0x%lx flags 0x%lx timeouts 0x%lx/0x%lx partner 0x%lx "
			   "br 0x%lx 0x%lx mr",
			   (unsigned long)n, sel, tag, flags, rcv_to, snd_to, partner, u->br[0], u->br[1]);
	for (unsigned i = 0; i < words && i < 12 && len < (int)sizeof(line); i++)
		len += snprintf(line + len, sizeof(line) - (unsigned)len, " 0x%lx", saved[i]);
	printf("%s\n", line);
	memcpy(u->mr, saved, sizeof(saved));
}

/* Waits a bounded time for anything, forever: where a thread ends up when it has nothing left to do. */
static void __attribute__((noreturn)) park(void)
{
	for (;;) {
		pecan_msgtag_t t;
		uint64_t l;
		l4_ipc_wait(&t, &l, 10000);
	}
}

void attacker_entry(void)
{
	struct attack_stats *st = (struct attack_stats *)PRIV_STATS;
	struct pecan_utcb *u = pecan_utcb();
	struct rng r = {st->seed | 1};
	while (st->calls < st->target) {
		uint64_t sel = rnd_selector(&r), flags = rnd_flags(&r);
		pecan_msgtag_t tag = rnd_tag(&r);
		fill_message(&r, u, tag);
		rnd_windows(&r, u);
		uint64_t rcv_to = rnd_timeout(&r), snd_to = rnd_timeout(&r);
		uint64_t partner = chance(&r, 10) ? rnd(&r) : below(&r, 32);
		if (defuse(&r, u, sel, &tag, flags))
			st->defused++;
		uint64_t rtag, rlabel;
		int clobbered;
		if (st->calls >= st->trace_from)
			trace(u, st->calls, sel, tag, flags, rcv_to, snd_to, partner);
		long err = invoke_checked(sel, tag, flags, rcv_to, snd_to, partner, &rtag, &rlabel, &clobbered);
		if (st->calls >= st->trace_from)
			printf("hostile: call %lu -> %ld\n", (unsigned long)st->calls, err);
		count(st, err, clobbered);
		st->calls++;
	}
	st->done = 1;
	park();
}

/* The partner: receives whatever comes (its windows in the scratch area and selectors 16..31) and
 * answers with a random reply; page faults and exceptions of C's threads it leaves unanswered. */
void partner_entry(void)
{
	struct attack_stats *st = (struct attack_stats *)PRIV_STATS;
	struct pecan_utcb *u = pecan_utcb();
	struct rng r = {(st->seed ^ 0x9e3779b97f4a7c15ull) | 1};
	for (;;) {
		u->br[PECAN_BR_MEM_WINDOW] = pecan_fpage_mem(SCRATCH_BASE, SCRATCH_ORDER, PECAN_FPAGE_RWX);
		u->br[PECAN_BR_CAP_WINDOW] = pecan_fpage_cap(C_SEL_CAP_WINDOW, C_CAP_WINDOW_ORDER, PECAN_CAP_RWD);
		u->br[2] = u->br[3] = 0;
		uint64_t rtag, rlabel;
		int clobbered;
		long err = invoke_checked(0, 0, PECAN_IPC_WAIT, 10000, 0, 0, &rtag, &rlabel, &clobbered);
		if (clobbered)
			st->regs_clobbered++;
		if (err != PECAN_OK)
			continue;
		st->partner_msgs++;
		uint32_t label = pecan_msgtag_label(rtag);
		if (label == PECAN_LABEL_PAGE_FAULT || label == PECAN_LABEL_EXCEPTION)
			continue;
		pecan_msgtag_t tag = rnd_tag(&r);
		fill_message(&r, u, tag);
		defuse(&r, u, 0, &tag, PECAN_IPC_REPLY | PECAN_IPC_SEND);
		invoke_checked(0, tag, PECAN_IPC_REPLY | PECAN_IPC_SEND, 0, 0, 0, &rtag, &rlabel, &clobbered);
		if (clobbered)
			st->regs_clobbered++;
	}
}

/* Where every thread the attacker starts runs: bounded open waits, no stack, no memory of its own. */
__asm__(".pushsection .text\n"
	".globl sink_entry\n"
	"sink_entry:\n"
	"1:	xor %edi, %edi\n"
	"	xor %esi, %esi\n"
	"	mov $6, %edx\n" /* PECAN_IPC_WAIT */
	"	mov $5000, %r8d\n"
	"	xor %r9d, %r9d\n"
	"	xor %r10d, %r10d\n"
	"	syscall\n"
	"	jmp 1b\n"
	".popsection\n");
