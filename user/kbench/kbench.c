/* kbench: micro-benchmarks of the kernel's hot paths (IPC, invocation, page fault, switch), timed with rdtsc. */
#include "stdio.h"
#include "string.h"
#include "l4.h"
#include "pecan/vcpu.h"

/*
 * Each benchmark times WARMUP + ROUNDS rounds with rdtsc and reports the
 * median and the minimum of the last ROUNDS, in raw TSC ticks. Under QEMU
 * TCG with `-icount shift=0` the TSC advances by one per guest instruction,
 * so the figures are instruction counts (user and kernel); under KVM they
 * are TSC cycles. tools/bench.py runs this and prints the table.
 *
 * One line per benchmark:  kbench: <name> median=<n> min=<n> rounds=<n>
 *   rdtsc          two back-to-back timestamps (the overhead in every figure)
 *   null_invoke    an invocation of an empty selector: capability lookup fails, PECAN_ECAP
 *   thread_info    THREAD_INFO on the own thread: the cheapest kernel-object call with a reply
 *   ipc_intra_rtt  call + reply between two threads of one task (empty messages)
 *   ipc_inter_rtt  call + reply to a thread in another task (empty messages)
 *   yield_switch   THREAD_YIELD ping-pong between two threads at one priority, per switch
 *   page_fault_rtt a thread in another task touches an unmapped page; its pager (this
 *                  thread) replies with a map item; the thread's access completes
 *   vcpu_rtt       a vCPU's user mode (in another task) executes `syscall`; the event
 *                  enters its kernel mode, which resumes user mode at once
 * then `kbench: done`. On an error: `kbench: FAIL <what>` and exit code 1.
 *
 * Every blocking call has a finite timeout (TIMEOUT_US), so a kernel bug
 * ends in FAIL rather than a hang; like a real server's, the timeout is
 * part of what is measured.
 */

#define WARMUP 1000u
#define ROUNDS 10000u
#define PF_RING 64u                 /* pages the fault thread cycles through; unmapped after each pass */
#define TIMEOUT_US 1000000ull       /* 1 s */
#define STACK_PAGES 4
#define SAMPLE_PAGES ((ROUNDS * 8 + 4095) / 4096)

/* Addresses in the helper tasks (and for UTCBs of helper threads in this task). */
#define PRIV_BASE 0x0000500000000000ull
#define PRIV_UTCB(i) (PRIV_BASE + 0x1000ull * (i))
#define PRIV_STACK 0x0000500000100000ull
#define PRIV_SAMPLES 0x0000500000200000ull
#define PF_TOUCH 0x0000600000000000ull
#define VCPU_STATE PRIV_UTCB(3)   /* the vCPU's state area in this task */

/* Selectors: in this task, and the pager gate in the fault task. */
enum {
	SEL_EMPTY = 31,
	SEL_SERVER_THREAD = 16, SEL_SERVER_GATE, SEL_S_TASK, SEL_S_THREAD, SEL_S_GATE,
	SEL_P_TASK, SEL_P_THREAD, SEL_PAGER_GATE, SEL_Y_THREAD,
	SEL_V_TASK, SEL_V_THREAD, SEL_V_GATE,
	P_SEL_PAGER = 5,
};

enum { LABEL_PF_UNMAP = 1, LABEL_PF_DONE = 2 };
enum { VCPU_OP_ROUND = 1, VCPU_OP_DONE = 2, LABEL_VCPU_DONE = 1, LABEL_VCPU_FAIL = 2 };

extern char __executable_start[], _end[];

static uint64_t *samples; /* SAMPLE_PAGES contiguous pages */

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}

/* An invocation with finite timeouts, straight to the trap stub. */
static inline long sys(uint64_t sel, pecan_msgtag_t tag, uint64_t flags, uint64_t timeout)
{
	uint64_t rtag, label;
	return pecan_syscall(sel, tag, flags, timeout, timeout, 0, &rtag, &label);
}

static int failed(const char *what, long err)
{
	printf("kbench: FAIL %s: %s (%ld)\n", what, l4_strerror(err), err);
	return 1;
}

#define TRY(what, call)                              \
	do {                                         \
		long err_ = (call);                  \
		if (err_ != PECAN_OK)                \
			return failed((what), err_); \
	} while (0)

static void sift_down(uint64_t *a, unsigned i, unsigned n)
{
	for (;;) {
		unsigned c = 2 * i + 1;
		if (c >= n)
			return;
		if (c + 1 < n && a[c + 1] > a[c])
			c++;
		if (a[i] >= a[c])
			return;
		uint64_t t = a[i];
		a[i] = a[c];
		a[c] = t;
		i = c;
	}
}

/* Heapsort, in place. */
static void sort(uint64_t *a, unsigned n)
{
	for (unsigned i = n / 2; i-- > 0;)
		sift_down(a, i, n);
	for (unsigned end = n; end-- > 1;) {
		uint64_t t = a[0];
		a[0] = a[end];
		a[end] = t;
		sift_down(a, 0, end);
	}
}

static void report(const char *name, unsigned n)
{
	sort(samples, n);
	printf("kbench: %s median=%lu min=%lu rounds=%u\n", name, (unsigned long)samples[n / 2],
	       (unsigned long)samples[0], n);
}

/* Contiguous zeroed pages from l4_page_alloc(), touched so that they are mapped here. */
static void *pages(unsigned n)
{
	char *first = 0;
	for (unsigned i = 0; i < n; i++) {
		char *p = l4_page_alloc();
		if (!p || (first && p != first + 4096ull * i))
			return 0;
		p[0] = 0;
		if (!first)
			first = p;
	}
	return first;
}

static void __attribute__((noreturn)) park(void)
{
	for (;;) {
		pecan_msgtag_t t;
		uint64_t l;
		l4_ipc_wait(&t, &l, TIMEOUT_US);
	}
}

/* ---- helper threads (they use no globals: some run in other tasks, which see the image read-only) ---- */

/* Answers every message with an empty reply. */
static void __attribute__((noreturn)) server_entry(void)
{
	pecan_msgtag_t tag;
	uint64_t label;
	long err = l4_ipc_wait(&tag, &label, TIMEOUT_US);
	for (;;) {
		if (err == PECAN_OK)
			err = l4_ipc_reply_and_wait(pecan_msgtag(0, 0, 0, 0), &tag, &label, TIMEOUT_US);
		else
			err = l4_ipc_wait(&tag, &label, TIMEOUT_US);
	}
}

static volatile int yield_run, yield_started;

static void __attribute__((noreturn)) yield_entry(void)
{
	yield_started = 1;
	while (yield_run)
		sys(PECAN_CAP_THREAD, pecan_msgtag(PECAN_THREAD_YIELD, 0, 0, 0), PECAN_IPC_CALL, TIMEOUT_US);
	park();
}

/* Runs in task P: touches PF_RING fresh pages per pass, asks the pager to unmap them between passes. */
static void __attribute__((noreturn)) fault_entry(void)
{
	uint64_t *out = (uint64_t *)PRIV_SAMPLES;
	for (unsigned i = 0; i < WARMUP + ROUNDS; i++) {
		unsigned slot = i % PF_RING;
		if (slot == 0 && i)
			sys(P_SEL_PAGER, pecan_msgtag(LABEL_PF_UNMAP, 0, 0, 0), PECAN_IPC_CALL, TIMEOUT_US);
		volatile uint64_t *p = (volatile uint64_t *)(PF_TOUCH + 4096ull * slot);
		uint64_t t0 = rdtsc();
		*p = i;
		uint64_t t1 = rdtsc();
		if (i >= WARMUP)
			out[i - WARMUP] = t1 - t0;
	}
	sys(P_SEL_PAGER, pecan_msgtag(LABEL_PF_DONE, 0, 0, 0), PECAN_IPC_CALL, TIMEOUT_US);
	park();
}

/* The guest of vcpu_rtt: user mode of the vCPU, in task V (no UTCB, no globals). A
 * `syscall` there is an event for the vCPU's kernel mode; rax says what it wants. */
static inline void guest_syscall(uint64_t op)
{
	__asm__ volatile("syscall" : "+a"(op) : : "rcx", "r11", "memory");
}

static void __attribute__((noreturn)) vcpu_guest(void)
{
	uint64_t *out = (uint64_t *)PRIV_SAMPLES;
	for (unsigned i = 0; i < WARMUP + ROUNDS; i++) {
		uint64_t t0 = rdtsc();
		guest_syscall(VCPU_OP_ROUND);
		uint64_t t1 = rdtsc();
		if (i >= WARMUP)
			out[i - WARMUP] = t1 - t0;
	}
	for (;;)
		guest_syscall(VCPU_OP_DONE);
}

/* The vCPU's kernel mode: every event enters vcpu_entry on the entry stack with rdi =
 * the state area. A round's syscall is resumed at once; anything else ends the run. */
void vcpu_event(struct pecan_vcpu_state *s) __attribute__((noreturn));
__asm__(".pushsection .text\n"
	".globl vcpu_entry\n"
	"vcpu_entry:\n"
	"	and $-16, %rsp\n"
	"	call vcpu_event\n"
	"	ud2\n"
	".popsection\n");
extern char vcpu_entry[];

static uint64_t vcpu_stack_top;

void vcpu_event(struct pecan_vcpu_state *s)
{
	if (s->event == PECAN_VCPU_EV_SYSCALL && s->user.rax == VCPU_OP_ROUND) {
		s->flags |= PECAN_VCPU_FPU_KEEP; /* the same process again, its FPU image untouched (as lx does) */
		sys(SEL_V_THREAD, pecan_msgtag(PECAN_THREAD_VCPU_RESUME, 0, 0, 0), PECAN_IPC_CALL, TIMEOUT_US);
	}
	/* the last syscall, another event, or a failed resume */
	int done = s->event == PECAN_VCPU_EV_SYSCALL && s->user.rax == VCPU_OP_DONE;
	pecan_utcb()->mr[0] = s->event;
	pecan_utcb()->mr[1] = s->user.rip;
	sys(SEL_V_GATE, pecan_msgtag(done ? LABEL_VCPU_DONE : LABEL_VCPU_FAIL, 2, 0, 0), PECAN_IPC_SEND, TIMEOUT_US);
	park();
}

/* The vCPU thread's start: fill the state area, go to user mode. */
static void __attribute__((noreturn)) vcpu_start(void)
{
	struct pecan_vcpu_state *s = (struct pecan_vcpu_state *)VCPU_STATE;
	s->entry_ip = (uint64_t)vcpu_entry;
	s->entry_sp = vcpu_stack_top;
	s->user_task = SEL_V_TASK;
	s->flags = 0;
	s->user.rip = (uint64_t)vcpu_guest;
	s->user.rsp = PRIV_STACK + STACK_PAGES * 4096ull - 8;
	s->user.rflags = 0x202;
	long err = sys(SEL_V_THREAD, pecan_msgtag(PECAN_THREAD_VCPU_RESUME, 0, 0, 0), PECAN_IPC_CALL, TIMEOUT_US);
	pecan_utcb()->mr[0] = (uint64_t)err;
	pecan_utcb()->mr[1] = 0;
	sys(SEL_V_GATE, pecan_msgtag(LABEL_VCPU_FAIL, 2, 0, 0), PECAN_IPC_SEND, TIMEOUT_US);
	park();
}

/* ---- setup ---- */

static long map_image(uint64_t task)
{
	uint64_t lo = (uint64_t)__executable_start & ~0xfffull, hi = ((uint64_t)_end + 0xfff) & ~0xfffull;
	for (uint64_t p = lo; p < hi; p += 4096) {
		long err = l4_task_map(task, PECAN_CAP_TASK, pecan_fpage_mem(p, 12, PECAN_FPAGE_R | PECAN_FPAGE_X), p,
				       PECAN_ITEM_MAP);
		if (err)
			return err;
	}
	return PECAN_OK;
}

static long map_pages(uint64_t task, const void *window, uint64_t dest, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		long err = l4_task_map(task, PECAN_CAP_TASK,
				       pecan_fpage_mem((uint64_t)window + 4096ull * i, 12, PECAN_FPAGE_R | PECAN_FPAGE_W),
				       dest + 4096ull * i, PECAN_ITEM_MAP);
		if (err)
			return err;
	}
	return PECAN_OK;
}

/* Binds a thread to a task (UTCB, pager), and starts it at entry with the stack top given. */
static long start_thread(uint64_t thread, uint64_t task, uint64_t utcb, uint64_t pager, uint64_t stack_top,
			 void (*entry)(void))
{
	long err = l4_thread_control(thread, task, utcb, pager, 0);
	if (!err)
		err = l4_thread_ex_regs(thread, (uint64_t)entry, stack_top - 8,
					PECAN_EXREGS_SET_IP | PECAN_EXREGS_SET_SP | PECAN_EXREGS_START);
	return err;
}

/* A task with the image (read+execute) and a stack at PRIV_STACK. */
static long new_task(uint64_t task, void *stack)
{
	long err = l4_factory_create(PECAN_CAP_FACTORY, PECAN_FACTORY_CREATE_TASK, task);
	if (!err)
		err = map_image(task);
	if (!err)
		err = map_pages(task, stack, PRIV_STACK, STACK_PAGES);
	return err;
}

static long delete_caps(uint64_t first, unsigned order)
{
	return l4_task_unmap(PECAN_CAP_TASK, pecan_fpage_cap(first, order, PECAN_CAP_RWD), PECAN_UNMAP_SELF);
}

/* ---- benchmarks ---- */

static int bench_call(const char *name, uint64_t gate)
{
	for (unsigned i = 0; i < WARMUP + ROUNDS; i++) {
		pecan_msgtag_t rtag;
		uint64_t t0 = rdtsc();
		long err = l4_ipc_call(gate, pecan_msgtag(0, 0, 0, 0), TIMEOUT_US, &rtag);
		uint64_t t1 = rdtsc();
		if (err)
			return failed(name, err);
		if (i >= WARMUP)
			samples[i - WARMUP] = t1 - t0;
	}
	report(name, ROUNDS);
	return 0;
}

static int bench_invocations(void)
{
	for (unsigned i = 0; i < WARMUP + ROUNDS; i++) {
		uint64_t t0 = rdtsc();
		uint64_t t1 = rdtsc();
		if (i >= WARMUP)
			samples[i - WARMUP] = t1 - t0;
	}
	report("rdtsc", ROUNDS);
	for (unsigned i = 0; i < WARMUP + ROUNDS; i++) {
		uint64_t t0 = rdtsc();
		long err = sys(SEL_EMPTY, pecan_msgtag(0, 0, 0, 0), PECAN_IPC_CALL, PECAN_TIMEOUT_ZERO);
		uint64_t t1 = rdtsc();
		if (err != PECAN_ECAP)
			return failed("null_invoke: expected PECAN_ECAP", err);
		if (i >= WARMUP)
			samples[i - WARMUP] = t1 - t0;
	}
	report("null_invoke", ROUNDS);
	for (unsigned i = 0; i < WARMUP + ROUNDS; i++) {
		uint64_t t0 = rdtsc();
		long err = sys(PECAN_CAP_THREAD, pecan_msgtag(PECAN_THREAD_INFO, 0, 0, 0), PECAN_IPC_CALL, TIMEOUT_US);
		uint64_t t1 = rdtsc();
		if (err)
			return failed("thread_info", err);
		if (i >= WARMUP)
			samples[i - WARMUP] = t1 - t0;
	}
	report("thread_info", ROUNDS);
	return 0;
}

static int bench_ipc(void)
{
	void *stack = pages(STACK_PAGES), *s_stack = pages(STACK_PAGES);
	if (!stack || !s_stack)
		return failed("ipc: out of pages", PECAN_ENOMEM);
	TRY("ipc: create thread", l4_factory_create(PECAN_CAP_FACTORY, PECAN_FACTORY_CREATE_THREAD, SEL_SERVER_THREAD));
	TRY("ipc: create gate", l4_factory_create_gate(PECAN_CAP_FACTORY, SEL_SERVER_GATE, SEL_SERVER_THREAD, 1));
	TRY("ipc: start server", start_thread(SEL_SERVER_THREAD, PECAN_CAP_TASK, PRIV_UTCB(0), 0,
					      (uint64_t)stack + STACK_PAGES * 4096ull, server_entry));
	if (bench_call("ipc_intra_rtt", SEL_SERVER_GATE))
		return 1;

	TRY("ipc: create task", new_task(SEL_S_TASK, s_stack));
	TRY("ipc: create thread", l4_factory_create(PECAN_CAP_FACTORY, PECAN_FACTORY_CREATE_THREAD, SEL_S_THREAD));
	TRY("ipc: create gate", l4_factory_create_gate(PECAN_CAP_FACTORY, SEL_S_GATE, SEL_S_THREAD, 2));
	TRY("ipc: start server", start_thread(SEL_S_THREAD, SEL_S_TASK, PRIV_UTCB(0), 0,
					      PRIV_STACK + STACK_PAGES * 4096ull, server_entry));
	if (bench_call("ipc_inter_rtt", SEL_S_GATE))
		return 1;
	TRY("ipc: delete servers", delete_caps(16, 2)); /* selectors 16..19 */
	TRY("ipc: delete servers", delete_caps(SEL_S_GATE, 0));
	return 0;
}

static int bench_yield(void)
{
	void *stack = pages(STACK_PAGES);
	if (!stack)
		return failed("yield: out of pages", PECAN_ENOMEM);
	yield_run = 1;
	TRY("yield: create thread", l4_factory_create(PECAN_CAP_FACTORY, PECAN_FACTORY_CREATE_THREAD, SEL_Y_THREAD));
	TRY("yield: start thread", start_thread(SEL_Y_THREAD, PECAN_CAP_TASK, PRIV_UTCB(1), 0,
						(uint64_t)stack + STACK_PAGES * 4096ull, yield_entry));
	for (unsigned i = 0; !yield_started; i++) {
		if (i > 1000)
			return failed("yield: the other thread never ran", PECAN_ETIMEOUT);
		TRY("yield", sys(PECAN_CAP_THREAD, pecan_msgtag(PECAN_THREAD_YIELD, 0, 0, 0), PECAN_IPC_CALL, TIMEOUT_US));
	}
	for (unsigned i = 0; i < WARMUP + ROUNDS; i++) {
		uint64_t t0 = rdtsc();
		long err = sys(PECAN_CAP_THREAD, pecan_msgtag(PECAN_THREAD_YIELD, 0, 0, 0), PECAN_IPC_CALL, TIMEOUT_US);
		uint64_t t1 = rdtsc();
		if (err)
			return failed("yield", err);
		if (i >= WARMUP)
			samples[i - WARMUP] = (t1 - t0) / 2; /* there and back: two switches */
	}
	yield_run = 0;
	report("yield_switch", ROUNDS);
	TRY("yield: delete thread", delete_caps(SEL_Y_THREAD, 0));
	return 0;
}

static int bench_page_fault(void)
{
	void *stack = pages(STACK_PAGES), *backing = pages(1);
	if (!stack || !backing)
		return failed("page fault: out of pages", PECAN_ENOMEM);
	TRY("page fault: create task", new_task(SEL_P_TASK, stack));
	TRY("page fault: map samples", map_pages(SEL_P_TASK, samples, PRIV_SAMPLES, SAMPLE_PAGES));
	TRY("page fault: create thread", l4_factory_create(PECAN_CAP_FACTORY, PECAN_FACTORY_CREATE_THREAD, SEL_P_THREAD));
	TRY("page fault: create gate", l4_factory_create_gate(PECAN_CAP_FACTORY, SEL_PAGER_GATE, PECAN_CAP_THREAD, 3));
	TRY("page fault: map pager gate", l4_task_map(SEL_P_TASK, PECAN_CAP_TASK, pecan_fpage_cap(SEL_PAGER_GATE, 0, PECAN_CAP_R),
						      P_SEL_PAGER, PECAN_ITEM_MAP));
	TRY("page fault: start thread", start_thread(SEL_P_THREAD, SEL_P_TASK, PRIV_UTCB(0), P_SEL_PAGER,
						     PRIV_STACK + STACK_PAGES * 4096ull, fault_entry));

	struct pecan_utcb *u = pecan_utcb();
	pecan_msgtag_t tag;
	uint64_t label;
	unsigned faults = 0;
	long err = l4_ipc_wait(&tag, &label, TIMEOUT_US);
	for (;;) {
		if (err)
			return failed("page fault: pager wait", err);
		uint32_t op = pecan_msgtag_label(tag);
		pecan_msgtag_t reply = pecan_msgtag(0, 0, 0, 0);
		if (op == PECAN_LABEL_PAGE_FAULT) {
			uint64_t addr = u->mr[0] & ~0xfffull;
			u->mr[0] = pecan_item_word0(PECAN_ITEM_MAP, addr);
			u->mr[1] = pecan_fpage_mem((uint64_t)backing, 12, PECAN_FPAGE_R | PECAN_FPAGE_W);
			reply = pecan_msgtag(0, 0, 1, 0);
			faults++;
		} else if (op == LABEL_PF_UNMAP) {
			TRY("page fault: unmap", l4_task_unmap(PECAN_CAP_TASK, pecan_fpage_mem((uint64_t)backing, 12,
									 PECAN_FPAGE_RWX), 0));
		} else if (op == LABEL_PF_DONE) {
			TRY("page fault: last reply", l4_ipc_reply(reply));
			break;
		} else {
			printf("kbench: FAIL page fault: unexpected message label 0x%x\n", op);
			return 1;
		}
		err = l4_ipc_reply_and_wait(reply, &tag, &label, TIMEOUT_US);
	}
	if (faults != WARMUP + ROUNDS) {
		printf("kbench: FAIL page fault: %u faults for %u touches\n", faults, WARMUP + ROUNDS);
		return 1;
	}
	report("page_fault_rtt", ROUNDS);
	TRY("page fault: delete", delete_caps(SEL_P_TASK, 0));
	TRY("page fault: delete", delete_caps(SEL_P_THREAD, 0));
	TRY("page fault: delete", delete_caps(SEL_PAGER_GATE, 0));
	return 0;
}

static int bench_vcpu(void)
{
	void *stack = pages(STACK_PAGES), *g_stack = pages(STACK_PAGES);
	if (!stack || !g_stack)
		return failed("vcpu: out of pages", PECAN_ENOMEM);
	vcpu_stack_top = (uint64_t)stack + STACK_PAGES * 4096ull;
	TRY("vcpu: create task", new_task(SEL_V_TASK, g_stack));
	TRY("vcpu: map samples", map_pages(SEL_V_TASK, samples, PRIV_SAMPLES, SAMPLE_PAGES));
	TRY("vcpu: create thread", l4_factory_create(PECAN_CAP_FACTORY, PECAN_FACTORY_CREATE_THREAD, SEL_V_THREAD));
	TRY("vcpu: create gate", l4_factory_create_gate(PECAN_CAP_FACTORY, SEL_V_GATE, PECAN_CAP_THREAD, 4));
	TRY("vcpu: bind thread", l4_thread_control(SEL_V_THREAD, PECAN_CAP_TASK, PRIV_UTCB(2), 0, 0));
	uint64_t area = VCPU_STATE;
	TRY("vcpu: VCPU_CONTROL", l4_invoke(SEL_V_THREAD, PECAN_THREAD_VCPU_CONTROL, &area, 1, 0, 0));
	TRY("vcpu: start thread", l4_thread_ex_regs(SEL_V_THREAD, (uint64_t)vcpu_start, vcpu_stack_top - 8,
						    PECAN_EXREGS_SET_IP | PECAN_EXREGS_SET_SP | PECAN_EXREGS_START));
	pecan_msgtag_t tag;
	uint64_t label;
	/* 11,000 round trips take well under the timeout, even under TCG */
	TRY("vcpu: wait for the guest", l4_ipc_receive(SEL_V_GATE, &tag, &label, 10 * TIMEOUT_US));
	if (pecan_msgtag_label(tag) != LABEL_VCPU_DONE) {
		struct pecan_utcb *u = pecan_utcb();
		printf("kbench: FAIL vcpu: event %lu at rip 0x%lx (or resume error %ld)\n", (unsigned long)u->mr[0],
		       (unsigned long)u->mr[1], (long)u->mr[0]);
		return 1;
	}
	report("vcpu_rtt", ROUNDS);
	TRY("vcpu: delete", delete_caps(SEL_V_GATE, 0));
	TRY("vcpu: delete", delete_caps(SEL_V_THREAD, 0));
	TRY("vcpu: delete", delete_caps(SEL_V_TASK, 0));
	return 0;
}

int main(void)
{
	samples = pages(SAMPLE_PAGES);
	if (!samples)
		return failed("out of pages for the samples", PECAN_ENOMEM);
	if (bench_invocations() || bench_ipc() || bench_yield() || bench_page_fault() || bench_vcpu())
		return 1;
	printf("kbench: done\n");
	return 0;
}
