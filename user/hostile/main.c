/* hostile: task A sets up a heartbeat task B and an attacker task C, supervises them and judges the kernel. */
#include "stdio.h"
#include "string.h"
#include "hostile.h"

/*
 * The attacker (task C, priority 50) makes at least TOTAL_CALLS random
 * invocations (attack.c) in epochs of EPOCH_CALLS: after each epoch A
 * deletes C with everything C built and starts a fresh C with the next
 * seed, so object teardown in every state is attacked too. Meanwhile the
 * heartbeat thread (task B, priority 100 — the highest a thread can get,
 * and above the attacker's 50) sleeps HEARTBEAT_SLEEP_US and records the
 * largest gap between its beats in timer ticks.
 *
 * The gap bound: a beat normally comes every 2-3 ticks (2 ms rounded up to
 * the 1 ms tick, plus the tick in progress). What may delay it legitimately
 * is kernel work that is not preemptible (deleting C at an epoch's end,
 * an unmap) and A's own bookkeeping at the same priority, each well under
 * a few ms even under TCG. Under TCG the tick is host time; a host that
 * deschedules QEMU for a while loses timer interrupts rather than
 * delivering them late in a burst, so stalls of the host do not show up as
 * ticks. 20 ms leaves a margin of about 7 over the normal gap while still
 * catching an unbounded kernel operation (a 2^47-byte unmap walked page by
 * page, a quadratic teardown) or a priority inversion.
 *
 * Passing: no kernel panic (the harness sees it), the heartbeat never went
 * MAX_GAP_MS without a beat, at least TOTAL_CALLS invocations, no return
 * code outside enum pecan_error, no preserved register changed by a call,
 * and after the last C is gone the kernel's free memory and live objects
 * are what they were before the first attack epoch. (Free frames are
 * printed but may drop while free kernel memory stays the same: the
 * kernel's size-class allocator keeps pages it carved on its free lists.
 * Frames that really leak the kernel itself reports when the program ends.)
 */

#define DEFAULT_SEED 0x5eedc0ffee15deadull
#define TOTAL_CALLS 100000u
#define EPOCH_CALLS 12500u
#define HEARTBEAT_SLEEP_US 2000
#define MAX_GAP_MS 20
#define WATCH_US 5000            /* A looks at the attacker this often */
#define STALL_CANCEL_MS 50       /* no progress this long: cancel the attacker's IPC */
#define STALL_RESTART_MS 300     /* no progress this long (or dead): restart C */
#define MAX_UNPLANNED_RESTARTS 3
#define DEADLINE_S 150           /* the whole attack; keep below HOSTILE_TIMEOUT_S */
#define C_QUOTA (256u * 1024)    /* kernel memory C may create objects from */
#define PRIO_HEARTBEAT 100
#define PRIO_ATTACKER 50

/* Selectors in A's space. Everything of one epoch sits in one aligned block, deleted as one flexpage. */
enum {
	A_B_TASK = 16,
	A_B_THREAD = 17,
	A_EPOCH = 64,
	A_EPOCH_ORDER = 6,
	A_C_TASK = A_EPOCH,
	A_C_ATTACKER,
	A_C_PARTNER,
	A_C_FACTORY,
	A_C_GATE_PARTNER,
	A_C_GATE_SELF,
	A_C_IRQ_BOUND,
	A_C_IRQ_FREE,
	A_C_TOY_THREAD,
	A_C_TOY_GATE,
	A_C_TOY_TASK,
};

/* A's view (window addresses) of the pages it lends to B and C. */
static char *stacks[3];               /* 0 heartbeat, 1 attacker, 2 partner; STACK_PAGES each */
static struct heartbeat *beat;
static struct attack_stats *stats;
static char *scratch[SCRATCH_PAGES];
static uint64_t hz = 1000;

/* Totals over the epochs. */
static uint64_t total_calls, total_err[ERR_SLOTS], total_defused, total_partner, total_clobbered, bad_code;
static unsigned cancels, unplanned;
static uint64_t trace_from; /* global number of the first invocation to print */

static uint64_t ms_to_ticks(uint64_t ms) { return (ms * hz + 999) / 1000; }

/* The heartbeat's bound in ticks; at a coarse tick, never below a few sleeps' worth. */
static uint64_t gap_bound(void)
{
	uint64_t floor = 2 * ms_to_ticks(HEARTBEAT_SLEEP_US / 1000) + 2;
	return ms_to_ticks(MAX_GAP_MS) > floor ? ms_to_ticks(MAX_GAP_MS) : floor;
}

static uint64_t now_ticks(void)
{
	uint64_t t, h;
	return l4_kdebug_clock(&t, &h) == PECAN_OK ? t : 0;
}

static void sleep_us(uint64_t us)
{
	pecan_msgtag_t t;
	uint64_t l;
	l4_ipc_wait(&t, &l, us); /* nothing is bound to A's thread: PECAN_ETIMEOUT */
}

static long failed(const char *what, long err)
{
	printf("hostile: FAIL setup: %s: %s (%ld)\n", what, l4_strerror(err), err);
	return err ? err : -1;
}

#define TRY(what, call)                                \
	do {                                           \
		long err_ = (call);                    \
		if (err_ != PECAN_OK)                  \
			return failed((what), err_);   \
	} while (0)

/* l4_page_alloc() pages, touched so that they are mapped in A (map skips unmapped pages). */
static void *page(unsigned n)
{
	char *first = 0;
	for (unsigned i = 0; i < n; i++) {
		char *p = l4_page_alloc();
		if (!p || (first && p != first + 4096ull * i))
			return 0; /* out of memory, or not contiguous */
		p[0] = 0;
		if (!first)
			first = p;
	}
	return first;
}

static long map_image(uint64_t task)
{
	uint64_t lo = (uint64_t)__executable_start & ~0xfffull, hi = ((uint64_t)_end + 0xfff) & ~0xfffull;
	for (uint64_t p = lo; p < hi; p += 4096)
		TRY("map image page",
		    l4_task_map(task, PECAN_CAP_TASK, pecan_fpage_mem(p, 12, PECAN_FPAGE_R | PECAN_FPAGE_X), p,
				PECAN_ITEM_MAP));
	return PECAN_OK;
}

static long map_pages(uint64_t task, const void *window, uint64_t dest, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		TRY("map page", l4_task_map(task, PECAN_CAP_TASK,
					    pecan_fpage_mem((uint64_t)window + 4096ull * i, 12, PECAN_FPAGE_R | PECAN_FPAGE_W),
					    dest + 4096ull * i, PECAN_ITEM_MAP));
	return PECAN_OK;
}

static long map_cap(uint64_t task, uint64_t a_sel, uint64_t dest, unsigned rights)
{
	return l4_task_map(task, PECAN_CAP_TASK, pecan_fpage_cap(a_sel, 0, rights), dest, PECAN_ITEM_MAP);
}

/* Binds thread (A's selector) to task with its UTCB, sets its priority, starts it at entry. */
static long start_thread(uint64_t thread, uint64_t task, uint64_t utcb, unsigned stack, unsigned prio,
			 void (*entry)(void))
{
	TRY("thread control", l4_thread_control(thread, task, utcb, 0, 0));
	TRY("thread sched", l4_thread_sched(thread, prio, 0));
	uint64_t top = PRIV_STACK(stack) + STACK_PAGES * 4096ull - 8; /* as if called: rsp+8 16-aligned */
	TRY("thread start", l4_thread_ex_regs(thread, (uint64_t)entry, top,
					      PECAN_EXREGS_SET_IP | PECAN_EXREGS_SET_SP | PECAN_EXREGS_START));
	return PECAN_OK;
}

/* Runs in task B: beats every HEARTBEAT_SLEEP_US. Touches only its stack, UTCB and the beat page. */
static void __attribute__((noreturn)) heartbeat_entry(void)
{
	struct heartbeat *hb = (struct heartbeat *)PRIV_BEAT;
	for (;;) {
		pecan_msgtag_t t;
		uint64_t l, now, h;
		if (l4_ipc_wait(&t, &l, HEARTBEAT_SLEEP_US) != PECAN_ETIMEOUT)
			hb->odd_returns++;
		if (l4_kdebug_clock(&now, &h) != PECAN_OK) {
			hb->odd_returns++;
			continue;
		}
		if (hb->beats && hb->measuring && now - hb->last_tick > hb->max_gap)
			hb->max_gap = now - hb->last_tick;
		hb->last_tick = now;
		hb->beats++;
	}
}

static long setup_heartbeat(void)
{
	TRY("create task B", l4_factory_create(PECAN_CAP_FACTORY, PECAN_FACTORY_CREATE_TASK, A_B_TASK));
	TRY("create heartbeat thread", l4_factory_create(PECAN_CAP_FACTORY, PECAN_FACTORY_CREATE_THREAD, A_B_THREAD));
	long err;
	if ((err = map_image(A_B_TASK)) || (err = map_pages(A_B_TASK, stacks[0], PRIV_STACK(0), STACK_PAGES)) ||
	    (err = map_pages(A_B_TASK, beat, PRIV_BEAT, 1)))
		return err;
	TRY("map kdebug into B", map_cap(A_B_TASK, PECAN_CAP_KDEBUG, PECAN_CAP_KDEBUG, PECAN_CAP_R));
	return start_thread(A_B_THREAD, A_B_TASK, PRIV_UTCB(0), 0, PRIO_HEARTBEAT, heartbeat_entry);
}

/* Builds task C and its toys, and starts the attacker and its partner for one epoch. */
static long setup_epoch(uint64_t seed, uint64_t target)
{
	memset((void *)stats, 0, sizeof(*stats));
	stats->seed = seed;
	stats->target = target;
	stats->trace_from = trace_from > total_calls ? trace_from - total_calls : 0;
	uint64_t f = PECAN_CAP_FACTORY;
	TRY("create task C", l4_factory_create(f, PECAN_FACTORY_CREATE_TASK, A_C_TASK));
	TRY("create attacker", l4_factory_create(f, PECAN_FACTORY_CREATE_THREAD, A_C_ATTACKER));
	TRY("create partner", l4_factory_create(f, PECAN_FACTORY_CREATE_THREAD, A_C_PARTNER));
	TRY("create C's factory", l4_factory_create_factory(f, A_C_FACTORY, C_QUOTA));
	TRY("create partner gate", l4_factory_create_gate(f, A_C_GATE_PARTNER, A_C_PARTNER, 0x66));
	TRY("create self gate", l4_factory_create_gate(f, A_C_GATE_SELF, A_C_ATTACKER, 0x77));
	TRY("create IRQ", l4_factory_create(f, PECAN_FACTORY_CREATE_IRQ, A_C_IRQ_BOUND));
	TRY("bind IRQ", l4_irq_bind(A_C_IRQ_BOUND, A_C_ATTACKER, 0x88));
	TRY("create IRQ", l4_factory_create(f, PECAN_FACTORY_CREATE_IRQ, A_C_IRQ_FREE));
	TRY("create toy thread", l4_factory_create(f, PECAN_FACTORY_CREATE_THREAD, A_C_TOY_THREAD));
	TRY("create toy gate", l4_factory_create_gate(f, A_C_TOY_GATE, A_C_TOY_THREAD, 0x11));
	TRY("create toy task", l4_factory_create(f, PECAN_FACTORY_CREATE_TASK, A_C_TOY_TASK));

	long err;
	if ((err = map_image(A_C_TASK)) || (err = map_pages(A_C_TASK, stacks[1], PRIV_STACK(1), STACK_PAGES)) ||
	    (err = map_pages(A_C_TASK, stacks[2], PRIV_STACK(2), STACK_PAGES)) ||
	    (err = map_pages(A_C_TASK, stats, PRIV_STATS, 1)))
		return err;
	for (unsigned i = 0; i < SCRATCH_PAGES; i++)
		if ((err = map_pages(A_C_TASK, scratch[i], SCRATCH_BASE + 4096ull * i, 1)))
			return err;

	static const struct {
		uint8_t a_sel, c_sel, rights;
	} caps[] = {
		{A_C_TASK, C_SEL_TASK, PECAN_CAP_R | PECAN_CAP_D},
		{A_C_ATTACKER, C_SEL_THREAD, PECAN_CAP_R},
		{A_C_FACTORY, C_SEL_FACTORY, PECAN_CAP_RWD},
		{PECAN_CAP_KDEBUG, C_SEL_KDEBUG, PECAN_CAP_RWD},
		{A_C_GATE_PARTNER, C_SEL_GATE_PARTNER, PECAN_CAP_RWD},
		{A_C_GATE_SELF, C_SEL_GATE_SELF, PECAN_CAP_RWD},
		{A_C_IRQ_BOUND, C_SEL_IRQ_BOUND, PECAN_CAP_RWD},
		{A_C_IRQ_FREE, C_SEL_IRQ_FREE, PECAN_CAP_RWD},
		{A_C_TOY_THREAD, C_SEL_TOY_THREAD, PECAN_CAP_RWD},
		{A_C_TOY_GATE, C_SEL_TOY_GATE, PECAN_CAP_RWD},
		{A_C_TOY_TASK, C_SEL_TOY_TASK, PECAN_CAP_RWD},
	};
	for (unsigned i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
		TRY("map a capability into C", map_cap(A_C_TASK, caps[i].a_sel, caps[i].c_sel, caps[i].rights));

	if ((err = start_thread(A_C_PARTNER, A_C_TASK, PRIV_UTCB(1), 2, PRIO_ATTACKER, partner_entry)))
		return err;
	return start_thread(A_C_ATTACKER, A_C_TASK, PRIV_UTCB(0), 1, PRIO_ATTACKER, attacker_entry);
}

/* Deletes C and everything only it held: unmapping A's capabilities (and all derived from them). */
static long teardown_epoch(void)
{
	TRY("delete C", l4_task_unmap(PECAN_CAP_TASK, pecan_fpage_cap(A_EPOCH, A_EPOCH_ORDER, PECAN_CAP_RWD),
				      PECAN_UNMAP_SELF));
	return PECAN_OK;
}

/* Lets one epoch run to its end; returns nonzero on the deadline or a setup error. */
static long run_epoch(unsigned n, uint64_t seed, uint64_t target, uint64_t deadline, const char **why)
{
	long err = setup_epoch(seed, target);
	if (err)
		return err;
	uint64_t last_calls = 0, last_progress = now_ticks(), last_cancel = 0;
	int restarted = 0;
	while (!stats->done) {
		sleep_us(WATCH_US);
		uint64_t now = now_ticks();
		if (now > deadline) {
			*why = "deadline passed (the attacker is too slow or stuck)";
			return -1;
		}
		if (stats->calls != last_calls) {
			last_calls = stats->calls;
			last_progress = now;
			continue;
		}
		uint64_t state = 0, prio;
		l4_thread_info(A_C_ATTACKER, &state, &prio);
		if (state == PECAN_THREAD_STATE_DEAD || now - last_progress >= ms_to_ticks(STALL_RESTART_MS)) {
			printf("hostile: epoch %u: attacker %s after %lu calls; restarting C\n", n,
			       state == PECAN_THREAD_STATE_DEAD ? "dead" : "stuck", (unsigned long)stats->calls);
			unplanned++;
			restarted = 1;
			break;
		}
		if (now - last_progress >= ms_to_ticks(STALL_CANCEL_MS) && last_progress != last_cancel) {
			l4_thread_ex_regs(A_C_ATTACKER, 0, 0, PECAN_EXREGS_CANCEL);
			cancels++;
			last_cancel = last_progress;
		}
	}
	total_calls += stats->calls;
	for (unsigned i = 0; i < ERR_SLOTS; i++)
		total_err[i] += stats->err[i];
	total_defused += stats->defused;
	total_partner += stats->partner_msgs;
	total_clobbered += stats->regs_clobbered;
	if (stats->err[ERR_SLOTS - 1])
		bad_code = stats->bad_code;
	if ((err = teardown_epoch()))
		return err;
	uint64_t kmem = 0, frames = 0, objects = 0;
	l4_kdebug_stats(&kmem, &frames, &objects);
	printf("hostile: epoch %u: seed 0x%lx, %lu calls, %lu defused, %lu partner messages%s; after it: "
	       "kernel memory free %lu, frames free %lu, objects %lu\n",
	       n, (unsigned long)seed, (unsigned long)stats->calls, (unsigned long)stats->defused,
	       (unsigned long)stats->partner_msgs, restarted ? " (unplanned restart)" : "", (unsigned long)kmem,
	       (unsigned long)frames, (unsigned long)objects);
	return PECAN_OK;
}

/* The number after "NAME=" in the program's arguments (decimal or 0x hex), or dflt. */
static uint64_t parse_arg(const char *args, const char *name, uint64_t dflt)
{
	size_t n = strlen(name);
	for (const char *p = args; *p; p++) {
		if ((p != args && p[-1] != ' ') || memcmp(p, name, n) != 0 || p[n] != '=')
			continue;
		uint64_t v = 0;
		unsigned base = 10;
		p += n + 1;
		if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
			base = 16;
			p += 2;
		}
		for (;; p++) {
			unsigned d;
			if (*p >= '0' && *p <= '9')
				d = (unsigned)(*p - '0');
			else if (base == 16 && (*p | 0x20) >= 'a' && (*p | 0x20) <= 'f')
				d = (unsigned)((*p | 0x20) - 'a' + 10);
			else
				break;
			v = v * base + d;
		}
		return v;
	}
	return dflt;
}

static int fail(const char *why)
{
	printf("hostile: FAIL %s\n", why);
	return 1;
}

int main(void)
{
	const struct pecan_kip *kip = l4_kip();
	uint64_t seed = parse_arg(kip->args, "seed", DEFAULT_SEED);
	trace_from = parse_arg(kip->args, "trace", ~0ull);
	if (!seed)
		seed = DEFAULT_SEED;
	if (kip->timer_hz)
		hz = kip->timer_hz;
	printf("hostile: seed 0x%lx (arguments: seed=N for another, trace=N to print the invocations from the "
	       "N-th on)\n", (unsigned long)seed);

	for (unsigned i = 0; i < 3; i++)
		stacks[i] = page(STACK_PAGES);
	beat = page(1);
	stats = page(1);
	for (unsigned i = 0; i < SCRATCH_PAGES; i++)
		scratch[i] = page(1);
	if (!stacks[0] || !stacks[1] || !stacks[2] || !beat || !stats || !scratch[SCRATCH_PAGES - 1])
		return fail("setup: out of pages");
	if (l4_thread_sched(PECAN_CAP_THREAD, PRIO_HEARTBEAT, 0) != PECAN_OK)
		return fail("setup: cannot set A's priority");
	if (setup_heartbeat())
		return 1;
	uint64_t start = now_ticks();
	while (beat->beats < 3) {
		sleep_us(1000);
		if (now_ticks() - start > ms_to_ticks(2000))
			return fail("the heartbeat does not beat");
	}

	/* A first epoch without calls, so that everything allocated once (A's capability-table page for
	 * the epoch selectors, ...) is there before the leak baseline is taken. */
	const char *why = "setup";
	uint64_t deadline = now_ticks() + ms_to_ticks(DEADLINE_S * 1000ull);
	if (run_epoch(0, seed, 0, deadline, &why))
		return fail(why);
	total_calls = 0;
	uint64_t kmem0, frames0, objects0, kmem1, frames1, objects1;
	if (l4_kdebug_stats(&kmem0, &frames0, &objects0) != PECAN_OK)
		return fail("kdebug stats");

	beat->measuring = 1;
	uint64_t beats0 = beat->beats;
	for (unsigned n = 1; total_calls < TOTAL_CALLS; n++) {
		uint64_t left = TOTAL_CALLS - total_calls;
		uint64_t epoch_seed = seed ^ (0x9e3779b97f4a7c15ull * n);
		if (run_epoch(n, epoch_seed ? epoch_seed : 1, left < EPOCH_CALLS ? left : EPOCH_CALLS, deadline, &why))
			return fail(why);
		if (unplanned > MAX_UNPLANNED_RESTARTS)
			break;
	}
	uint64_t last_beat = beat->last_tick, end = now_ticks();
	beat->measuring = 0;
	uint64_t beats = beat->beats - beats0, max_gap = beat->max_gap;
	uint64_t since_last = end > last_beat ? end - last_beat : 0;

	/* Deletion might finish a moment later in a kernel that defers it: look a few times. */
	for (int i = 0; i < 10; i++) {
		if (l4_kdebug_stats(&kmem1, &frames1, &objects1) != PECAN_OK)
			return fail("kdebug stats");
		if (kmem1 == kmem0 && objects1 == objects0)
			break;
		sleep_us(10000);
	}

	char line[400];
	int len = snprintf(line, sizeof(line), "hostile: %lu invocations, errors:", (unsigned long)total_calls);
	static const char *const names[ERR_SLOTS] = {
		"ok", "ecap", "eperm", "einval", "efault", "enomem", "enosys", "etimeout", "ecanceled", "ebusy",
		"erange", "other",
	};
	for (unsigned i = 0; i < ERR_SLOTS && len < (int)sizeof(line); i++)
		len += snprintf(line + len, sizeof(line) - (unsigned)len, " %s=%lu", names[i],
				(unsigned long)total_err[i]);
	printf("%s\n", line);
	printf("hostile: defused %lu, partner messages %lu, cancels %u, unplanned restarts %u, %lu ticks\n",
	       (unsigned long)total_defused, (unsigned long)total_partner, cancels, unplanned,
	       (unsigned long)(end - start));
	printf("hostile: heartbeat beats=%lu max_gap_ticks=%lu (bound %lu ticks = %u ms at %lu Hz)\n",
	       (unsigned long)beats, (unsigned long)max_gap, (unsigned long)gap_bound(), MAX_GAP_MS,
	       (unsigned long)hz);
	printf("hostile: kernel memory free %lu -> %lu bytes, frames free %lu -> %lu, objects %lu -> %lu\n",
	       (unsigned long)kmem0, (unsigned long)kmem1, (unsigned long)frames0, (unsigned long)frames1,
	       (unsigned long)objects0, (unsigned long)objects1);

	char msg[160];
	if (total_calls < TOTAL_CALLS)
		snprintf(msg, sizeof(msg), "only %lu invocations (%u unplanned restarts)", (unsigned long)total_calls,
			 unplanned);
	else if (total_err[ERR_SLOTS - 1])
		snprintf(msg, sizeof(msg), "%lu return codes outside enum pecan_error (last %ld)",
			 (unsigned long)total_err[ERR_SLOTS - 1], (long)bad_code);
	else if (total_clobbered)
		snprintf(msg, sizeof(msg), "%lu invocations changed a register the ABI preserves",
			 (unsigned long)total_clobbered);
	else if (beats == 0 || max_gap > gap_bound() || since_last > gap_bound())
		snprintf(msg, sizeof(msg), "heartbeat missed: max gap %lu ticks, %lu ticks since the last beat",
			 (unsigned long)max_gap, (unsigned long)since_last);
	else if (beat->odd_returns)
		snprintf(msg, sizeof(msg), "the heartbeat's sleep returned something other than a timeout %lu times",
			 (unsigned long)beat->odd_returns);
	else if (kmem1 != kmem0 || objects1 != objects0)
		snprintf(msg, sizeof(msg), "leak: kernel memory %ld bytes, frames %ld, objects %ld not returned",
			 (long)(kmem0 - kmem1), (long)(frames0 - frames1), (long)(objects1 - objects0));
	else
		msg[0] = 0;
	if (msg[0])
		return fail(msg);
	printf("hostile: PASS\n");
	return 0;
}
