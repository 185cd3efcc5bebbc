/* ktest helpers: selectors, pages, threads, child tasks, reports, probes, and the harness's warm-up. */
#include "ktest.h"
#include "harness.h"

/* ---- selectors and pages ----------------------------------------------- */
static l4_cap_t next_sel = KT_SEL_FIRST;
static void *pool[KT_POOL_PAGES];
static unsigned pool_count, pool_next;
static unsigned next_utcb_slot = 1; /* own task; slot 0 is the warm-up's; never reused */

l4_cap_t kt_sel(void)
{
	if (next_sel >= KT_SEL_LIMIT)
		return 0;
	return next_sel++;
}

void *kt_page(void)
{
	if (pool_next >= pool_count)
		return 0;
	void *p = pool[pool_next++];
	memset(p, 0, 4096); /* also the touch that maps it again if a test granted it away */
	return p;
}

long kt_delete(l4_cap_t sel)
{
	return l4_task_unmap(PECAN_CAP_TASK, pecan_fpage_cap(sel, 0, PECAN_CAP_RWD), PECAN_UNMAP_SELF);
}

long kt_map_self(l4_cap_t src, unsigned rights, l4_cap_t dest)
{
	return l4_task_map(PECAN_CAP_TASK, PECAN_CAP_TASK, pecan_fpage_cap(src, 0, rights), dest, PECAN_ITEM_MAP);
}

uint64_t kt_objects(void)
{
	uint64_t kmem, frames, objects;
	if (l4_kdebug_stats(&kmem, &frames, &objects))
		return ~0ull;
	return objects;
}

/* ---- time ---------------------------------------------------------------- */
uint64_t kt_hz = 1000;

uint64_t kt_ticks(void)
{
	uint64_t ticks, hz;
	if (l4_kdebug_clock(&ticks, &hz))
		return 0;
	return ticks;
}

void kt_sleep_us(uint64_t us)
{
	pecan_msgtag_t tag;
	uint64_t label;
	l4_ipc_receive(KT_SEL_SLEEP, &tag, &label, us);
}

void kt_thread_sleep_us(uint64_t us)
{
	pecan_msgtag_t tag;
	uint64_t label;
	l4_ipc_wait(&tag, &label, us);
}

/* ---- tasks ---------------------------------------------------------------- */
int kt_task_create(struct kt_task *t)
{
	t->cap = kt_sel();
	t->next_utcb = 0;
	if (!t->cap) {
		kt_fail(__FILE__, __LINE__, "out of selectors");
		return -1;
	}
	long err = l4_factory_create(PECAN_CAP_FACTORY, PECAN_FACTORY_CREATE_TASK, t->cap);
	if (err) {
		kt_fail(__FILE__, __LINE__, "create task: %s", l4_strerror(err));
		return -1;
	}
	uint64_t start = (uint64_t)__executable_start & ~0xfffull, end = ((uint64_t)_end + 0xfff) & ~0xfffull;
	for (uint64_t a = start; a < end; a += 4096) {
		err = l4_task_map(t->cap, PECAN_CAP_TASK, pecan_fpage_mem(a, 12, PECAN_FPAGE_RWX), a, PECAN_ITEM_MAP);
		if (err) {
			kt_fail(__FILE__, __LINE__, "map the program image page %#lx into a child task: %s", a,
				l4_strerror(err));
			return -1;
		}
	}
	err = kt_task_map_cap(t, PECAN_CAP_KDEBUG, PECAN_CAP_R, KT_CSEL_KDEBUG);
	if (err) {
		kt_fail(__FILE__, __LINE__, "map the kdebug capability into a child task: %s", l4_strerror(err));
		return -1;
	}
	return 0;
}

long kt_task_map_page(struct kt_task *t, const void *page, unsigned rights)
{
	uint64_t a = (uint64_t)page;
	return l4_task_map(t->cap, PECAN_CAP_TASK, pecan_fpage_mem(a, 12, rights), a, PECAN_ITEM_MAP);
}

long kt_task_map_cap(struct kt_task *t, l4_cap_t src, unsigned rights, l4_cap_t dest)
{
	return l4_task_map(t->cap, PECAN_CAP_TASK, pecan_fpage_cap(src, 0, rights), dest, PECAN_ITEM_MAP);
}

/* ---- threads ------------------------------------------------------------ */
/* Entry of every thread: the stack holds fn and arg (kt_thread_start). After
 * the two pops rsp is 16-byte aligned, so fn starts as after a normal call. */
__asm__(".text\n"
	".globl kt_thread_trampoline\n"
	".type kt_thread_trampoline, @function\n"
	"kt_thread_trampoline:\n"
	"	pop %rax\n"
	"	pop %rdi\n"
	"	xor %ebp, %ebp\n"
	"	call *%rax\n"
	"	call kt_park\n"
	"	ud2\n");
extern char kt_thread_trampoline[];

void kt_park(void)
{
	for (;;)
		kt_thread_sleep_us(PECAN_TIMEOUT_NEVER);
}

void kt_spin_fn(void *counter)
{
	volatile uint64_t *c = counter;
	for (;;)
		(*c)++;
}

void kt_park_fn(void *unused)
{
	(void)unused;
	kt_park();
}

int kt_thread_create(struct kt_thread *t, struct kt_task *task, l4_cap_t pager, l4_cap_t exc)
{
	memset(t, 0, sizeof(*t));
	t->task = task;
	t->cap = kt_sel();
	t->stack = kt_page();
	t->data = kt_page();
	if (!t->cap || !t->stack || !t->data) {
		kt_fail(__FILE__, __LINE__, "out of selectors or pool pages");
		return -1;
	}
	long err = l4_factory_create(PECAN_CAP_FACTORY, PECAN_FACTORY_CREATE_THREAD, t->cap);
	if (err) {
		kt_fail(__FILE__, __LINE__, "create thread: %s", l4_strerror(err));
		return -1;
	}
	if (task) {
		t->utcb = KT_UTCB_BASE + (uint64_t)task->next_utcb++ * 4096;
		err = kt_task_map_page(task, t->stack, PECAN_FPAGE_R | PECAN_FPAGE_W);
		if (!err)
			err = kt_task_map_page(task, t->data, PECAN_FPAGE_R | PECAN_FPAGE_W);
		if (err) {
			kt_fail(__FILE__, __LINE__, "map a thread's stack into its task: %s", l4_strerror(err));
			return -1;
		}
	} else {
		if (next_utcb_slot >= KT_UTCB_SLOTS) {
			kt_fail(__FILE__, __LINE__, "out of UTCB slots");
			return -1;
		}
		t->utcb = KT_UTCB_BASE + (uint64_t)next_utcb_slot++ * 4096;
	}
	err = l4_thread_control(t->cap, task ? task->cap : PECAN_CAP_TASK, t->utcb, pager, exc);
	if (err) {
		kt_fail(__FILE__, __LINE__, "thread control: %s", l4_strerror(err));
		return -1;
	}
	return 0;
}

long kt_thread_start(struct kt_thread *t, void (*fn)(void *), void *arg)
{
	uint64_t *top = t->stack + 512;
	top[-2] = (uint64_t)fn;
	top[-1] = (uint64_t)arg;
	return l4_thread_ex_regs(t->cap, (uint64_t)kt_thread_trampoline, (uint64_t)(top - 2),
				 PECAN_EXREGS_SET_IP | PECAN_EXREGS_SET_SP | PECAN_EXREGS_START);
}

int kt_thread_spawn(struct kt_thread *t, struct kt_task *task, unsigned prio, l4_cap_t pager, l4_cap_t exc,
		    void (*fn)(void *), void *arg)
{
	if (kt_thread_create(t, task, pager, exc))
		return -1;
	long err = PECAN_OK;
	if (prio != PECAN_PRIO_DEFAULT)
		err = l4_thread_sched(t->cap, prio, 0);
	if (err) {
		kt_fail(__FILE__, __LINE__, "thread sched %u: %s", prio, l4_strerror(err));
		return -1;
	}
	err = kt_thread_start(t, fn, arg);
	if (err) {
		kt_fail(__FILE__, __LINE__, "thread start: %s", l4_strerror(err));
		return -1;
	}
	return 0;
}

int kt_wait_state(l4_cap_t thread, uint64_t state)
{
	uint64_t s = ~0ull, prio;
	for (int i = 0; i < 1000; i++) {
		long err = l4_thread_info(thread, &s, &prio);
		if (err) {
			kt_fail(__FILE__, __LINE__, "thread info: %s", l4_strerror(err));
			return -1;
		}
		if (s == state)
			return 0;
		kt_sleep_us(1000);
	}
	kt_fail(__FILE__, __LINE__, "thread state %lu, waited for %lu", s, state);
	return -1;
}

/* ---- reports -------------------------------------------------------------- */
long kt_report(l4_cap_t gate, unsigned n, const uint64_t *words)
{
	struct pecan_utcb *u = pecan_utcb();
	for (unsigned i = 0; i < n; i++)
		u->mr[i] = words[i];
	return l4_ipc_send(gate, pecan_msgtag(KT_LABEL_REPORT, n, 0, 0), KT_TIMEOUT);
}

int kt_expect_report(const char *file, int line, l4_cap_t gate, unsigned n, uint64_t *words)
{
	pecan_msgtag_t tag;
	uint64_t label;
	long err = l4_ipc_receive(gate, &tag, &label, KT_TIMEOUT);
	if (err) {
		kt_fail(file, line, "waiting for a helper thread's report: %s", l4_strerror(err));
		return -1;
	}
	if (pecan_msgtag_label(tag) != KT_LABEL_REPORT || pecan_msgtag_words(tag) != n) {
		struct pecan_utcb *u = pecan_utcb();
		kt_fail(file, line, "expected a report of %u words, got label %#x with %u words (mr0 %#lx mr1 %#lx)",
			n, pecan_msgtag_label(tag), pecan_msgtag_words(tag), u->mr[0], u->mr[1]);
		return -1;
	}
	for (unsigned i = 0; i < n; i++)
		words[i] = pecan_utcb()->mr[i];
	return 0;
}

l4_cap_t kt_main_gate(uint64_t label)
{
	l4_cap_t g = kt_sel();
	long err = g ? l4_factory_create_gate(PECAN_CAP_FACTORY, g, PECAN_CAP_THREAD, label) : PECAN_EINVAL;
	if (err) {
		kt_fail(__FILE__, __LINE__, "create a gate to the main thread: %s", l4_strerror(err));
		return 0;
	}
	return g;
}

/* ---- probes ---------------------------------------------------------------- */
struct probe_arg {
	uint64_t addr, write, wval;
	l4_cap_t gate;
};

static void probe_fn(void *p)
{
	struct probe_arg *a = p;
	uint64_t v;
	if (a->write) {
		*(volatile uint64_t *)a->addr = a->wval;
		v = a->wval;
	} else {
		v = *(volatile uint64_t *)a->addr;
	}
	kt_report1(a->gate, v);
	kt_park();
}

enum kt_probe_result kt_probe(struct kt_task *task, uint64_t addr, int write, uint64_t wval, uint64_t *out)
{
	enum kt_probe_result result = KT_PROBE_ERROR;
	l4_cap_t g = kt_main_gate(KT_LABEL_FAULT), g_in = g;
	struct kt_thread th;
	if (!g)
		return KT_PROBE_ERROR;
	if (task) {
		long err = kt_task_map_cap(task, g, PECAN_CAP_R, KT_CSEL_PROBE);
		if (err) {
			kt_fail(__FILE__, __LINE__, "map the probe gate: %s", l4_strerror(err));
			goto out_gate;
		}
		g_in = KT_CSEL_PROBE;
	}
	/* The gate is the pager, the exception handler and the report channel. */
	if (kt_thread_create(&th, task, g_in, g_in))
		goto out_gate;
	struct probe_arg *a = th.data;
	a->addr = addr;
	a->write = (uint64_t)write;
	a->wval = wval;
	a->gate = g_in;
	long err = kt_thread_start(&th, probe_fn, a);
	if (err) {
		kt_fail(__FILE__, __LINE__, "start the probe: %s", l4_strerror(err));
		goto out_thread;
	}
	pecan_msgtag_t tag;
	uint64_t label;
	err = l4_ipc_receive(g, &tag, &label, KT_TIMEOUT);
	struct pecan_utcb *u = pecan_utcb();
	if (err) {
		kt_fail(__FILE__, __LINE__, "probe of %#lx: no report and no fault: %s", addr, l4_strerror(err));
	} else if (pecan_msgtag_label(tag) == KT_LABEL_REPORT && pecan_msgtag_words(tag) == 1) {
		*out = u->mr[0];
		result = KT_PROBE_OK;
	} else if (pecan_msgtag_label(tag) == PECAN_LABEL_PAGE_FAULT && pecan_msgtag_words(tag) == PECAN_PF_WORDS) {
		*out = u->mr[0];
		result = KT_PROBE_FAULT;
	} else {
		kt_fail(__FILE__, __LINE__, "probe of %#lx: unexpected message label %#x, %u words, mr0 %#lx", addr,
			pecan_msgtag_label(tag), pecan_msgtag_words(tag), u->mr[0]);
	}
out_thread:
	kt_delete(th.cap);
out_gate:
	kt_delete(g);
	return result;
}

int kt_probe_ok(const char *file, int line, struct kt_task *task, uint64_t addr, uint64_t want)
{
	uint64_t v = 0;
	enum kt_probe_result r = kt_probe(task, addr, 0, 0, &v);
	if (r == KT_PROBE_ERROR)
		return -1;
	if (r == KT_PROBE_FAULT) {
		kt_fail(file, line, "reading %#lx in %s faulted (fault word %#lx)", addr, task ? "a child task" : "the own task", v);
		return -1;
	}
	if (v != want) {
		kt_fail(file, line, "reading %#lx in %s gave %#lx, expected %#lx", addr, task ? "a child task" : "the own task", v, want);
		return -1;
	}
	return 0;
}

int kt_probe_fault(const char *file, int line, struct kt_task *task, uint64_t addr, int write)
{
	uint64_t v = 0;
	enum kt_probe_result r = kt_probe(task, addr, write, 0x600d600d, &v);
	if (r == KT_PROBE_ERROR)
		return -1;
	if (r == KT_PROBE_OK) {
		kt_fail(file, line, "%s %#lx in %s worked (value %#lx), expected a page fault", write ? "writing" : "reading",
			addr, task ? "a child task" : "the own task", v);
		return -1;
	}
	if ((v & ~0xfffull) != (addr & ~0xfffull) || !(v & PECAN_PF_WRITE) != !write) {
		kt_fail(file, line, "%s %#lx faulted with the fault word %#lx", write ? "writing" : "reading", addr, v);
		return -1;
	}
	return 0;
}

/* ---- the harness ---------------------------------------------------------- */
static void warn(const char *what, long err)
{
	printf("ktest: warm-up: %s: %s\n", what, l4_strerror(err));
}

int kt_harness_init(void)
{
	int bad = 0;
	uint64_t ticks, hz;
	if (!l4_kdebug_clock(&ticks, &hz) && hz)
		kt_hz = hz;
	else if (l4_kip()->timer_hz)
		kt_hz = l4_kip()->timer_hz;

	/* The page pool, touched once so that its window mappings exist. */
	for (pool_count = 0; pool_count < KT_POOL_PAGES; pool_count++) {
		void *p = l4_page_alloc();
		if (!p)
			break;
		memset(p, 0, 4096);
		pool[pool_count] = p;
	}
	if (pool_count < KT_POOL_PAGES) {
		printf("ktest: warm-up: only %u pool pages\n", pool_count);
		bad = 1;
	}

	long err = l4_factory_create_gate(PECAN_CAP_FACTORY, KT_SEL_SLEEP, PECAN_CAP_THREAD, 0x5eef);
	if (err) {
		warn("sleep gate", err);
		bad = 1;
	}

	/* Every per-test selector once: capability-table pages. */
	for (l4_cap_t s = KT_SEL_FIRST; s < KT_SEL_LIMIT; s++) {
		err = l4_factory_create(PECAN_CAP_FACTORY, PECAN_FACTORY_CREATE_IRQ, s);
		if (err) {
			warn("selectors", err);
			bad = 1;
			break;
		}
	}
	for (l4_cap_t s = KT_SEL_FIRST; s < KT_SEL_LIMIT; s++)
		kt_delete(s);

	/* A thread with a UTCB in the UTCB region: its page tables. */
	err = l4_factory_create(PECAN_CAP_FACTORY, PECAN_FACTORY_CREATE_THREAD, KT_SEL_FIRST);
	if (!err)
		err = l4_thread_control(KT_SEL_FIRST, PECAN_CAP_TASK, KT_UTCB_BASE, 0, 0);
	if (err) {
		warn("UTCB region", err);
		bad = 1;
	}
	kt_delete(KT_SEL_FIRST);

	/* A self-mapping in the scratch region: its page tables. */
	if (pool_count) {
		err = l4_task_map(PECAN_CAP_TASK, PECAN_CAP_TASK, pecan_fpage_mem((uint64_t)pool[0], 12, PECAN_FPAGE_RWX),
				  KT_SCRATCH, PECAN_ITEM_MAP);
		if (err) {
			warn("scratch region", err);
			bad = 1;
		}
		l4_task_unmap(PECAN_CAP_TASK, pecan_fpage_mem(KT_SCRATCH, 21, PECAN_FPAGE_RWX), PECAN_UNMAP_SELF);
	}

	/* Many objects of every kind at once, then none. The kernel keeps the
	 * pages it carved for small objects, so the first test that holds more
	 * of a kind than ever before would otherwise see free frames go. */
	kt_harness_begin();
	enum { TASKS = 4, THREADS = 32, FACTORIES = 8 };
	struct kt_task t[TASKS];
	int stop = 0;
	for (int i = 0; i < TASKS && !stop; i++) {
		if (kt_task_create(&t[i])) {
			printf("ktest: warm-up: cannot create a child task\n");
			stop = 1;
		}
		for (unsigned p = 0; p < pool_count; p++)
			kt_task_map_page(&t[i], pool[p], PECAN_FPAGE_R | PECAN_FPAGE_W);
	}
	for (int i = 0; i < THREADS && !stop; i++) {
		l4_cap_t th = kt_sel(), g = kt_sel();
		err = l4_factory_create(PECAN_CAP_FACTORY, PECAN_FACTORY_CREATE_THREAD, th);
		if (!err)
			err = l4_thread_control(th, t[i % TASKS].cap, KT_UTCB_BASE + (uint64_t)i * 4096, 0, 0);
		if (!err)
			err = l4_factory_create_gate(PECAN_CAP_FACTORY, g, th, (uint64_t)i);
		if (!err)
			err = kt_task_map_cap(&t[i % TASKS], g, PECAN_CAP_R, (l4_cap_t)(KT_CSEL_WINDOW + i));
		if (err) {
			warn("threads and gates", err);
			stop = 1;
		}
	}
	for (int i = 0; i < FACTORIES && !stop; i++) {
		err = l4_factory_create_factory(PECAN_CAP_FACTORY, kt_sel(), 65536);
		if (err) {
			warn("factories", err);
			stop = 1;
		}
	}
	kt_harness_end();
	return bad || stop;
}

void kt_harness_begin(void)
{
	next_sel = KT_SEL_FIRST;
	pool_next = 0;
}

void kt_harness_end(void)
{
	/* Newest first: gates and IRQs go before the threads they are bound to. */
	while (next_sel > KT_SEL_FIRST)
		kt_delete(--next_sel);
	l4_task_unmap(PECAN_CAP_TASK, pecan_fpage_mem(KT_SCRATCH, 21, PECAN_FPAGE_RWX), PECAN_UNMAP_SELF);
	struct pecan_utcb *u = pecan_utcb();
	for (int i = 0; i < PECAN_BR_COUNT; i++)
		u->br[i] = 0;
	/* A caller the test received but never answered (a faulting thread):
	 * consume the stale reply target so the next test starts without one. */
	l4_ipc_reply(pecan_msgtag(0, 0, 0, 0));
	pool_next = 0;
}
