/* ktest: page faults to a user-level pager, CPU exceptions to a handler that fixes them, threads without either. */
#include "ktest.h"

#define SELF PECAN_CAP_TASK
#define RW (PECAN_FPAGE_R | PECAN_FPAGE_W)
#define MAGIC 0x7061676572000000ull
#define FAULT_READ 0x30000000ull
#define FAULT_WRITE 0x30001000ull

struct pf_arg {
	uint64_t read_addr, write_addr, wval;
	l4_cap_t report;
};

/* Reads one address, writes another, reports what it read. */
static void pf_fn(void *p)
{
	struct pf_arg *a = p;
	uint64_t v = 0;
	if (a->read_addr)
		v = *(volatile uint64_t *)a->read_addr;
	if (a->write_addr)
		*(volatile uint64_t *)a->write_addr = a->wval;
	kt_report1(a->report, v);
	kt_park();
}

static int in_image(uint64_t rip)
{
	return rip >= (uint64_t)__executable_start && rip < (uint64_t)_end;
}

/* The main thread as pager: receive a fault on gate, check it. */
static int expect_fault(l4_cap_t gate, uint64_t addr, int write, int present)
{
	pecan_msgtag_t tag;
	uint64_t label;
	struct pecan_utcb *u = pecan_utcb();
	KT_OK(l4_ipc_receive(gate, &tag, &label, KT_TIMEOUT));
	KT_EQ(label, KT_LABEL_FAULT);
	KT_EQ(pecan_msgtag_label(tag), PECAN_LABEL_PAGE_FAULT);
	KT_EQ(pecan_msgtag_words(tag), PECAN_PF_WORDS);
	KT_EQ(u->mr[0] & ~0xfffull, addr & ~0xfffull);
	KT_EQ(!!(u->mr[0] & PECAN_PF_WRITE), !!write);
	KT_EQ(!!(u->mr[0] & PECAN_PF_PRESENT), !!present);
	KT_EQ(u->mr[0] & PECAN_PF_EXEC, 0);
	if (!in_image(u->mr[1]))
		KT_FAIL("fault rip %#lx outside the program image", u->mr[1]);
	return 0;
}

/* The pager's answer: a map item of page, landing at the fault address. */
static long reply_map(uint64_t fault_addr, const void *page, unsigned rights)
{
	struct pecan_utcb *u = pecan_utcb();
	u->mr[0] = pecan_item_word0(PECAN_ITEM_MAP, fault_addr);
	u->mr[1] = pecan_fpage_mem((uint64_t)page, 12, rights);
	return l4_ipc_reply(pecan_msgtag(0, 0, 1, 0));
}

static int t_pager_child(void)
{
	struct kt_task t;
	struct kt_thread th;
	uint64_t *p1 = kt_page(), *p2 = kt_page(), v;
	KT_ASSERT(p1 && p2);
	p1[0] = MAGIC + 1;
	l4_cap_t pg = kt_main_gate(KT_LABEL_FAULT), rep = kt_main_gate(KT_LABEL_REPORT);
	KT_ASSERT(pg && rep);
	KT_CHECK(kt_task_create(&t));
	KT_OK(kt_task_map_cap(&t, pg, PECAN_CAP_R, KT_CSEL_FAULT));
	KT_OK(kt_task_map_cap(&t, rep, PECAN_CAP_R, KT_CSEL_REPORT));
	KT_CHECK(kt_thread_create(&th, &t, KT_CSEL_FAULT, KT_CSEL_FAULT));
	struct pf_arg *a = th.data;
	a->read_addr = FAULT_READ + 8;
	a->write_addr = FAULT_WRITE + 16;
	a->wval = 0x3217;
	a->report = KT_CSEL_REPORT;
	KT_OK(kt_thread_start(&th, pf_fn, a));
	KT_CHECK(expect_fault(pg, FAULT_READ, 0, 0));
	/* A reply without an item: the thread retries and faults again. */
	KT_OK(l4_ipc_reply(pecan_msgtag(0, 0, 0, 0)));
	KT_CHECK(expect_fault(pg, FAULT_READ, 0, 0));
	p1[1] = MAGIC + 2;
	KT_OK(reply_map(FAULT_READ + 8, p1, RW));
	KT_CHECK(expect_fault(pg, FAULT_WRITE, 1, 0));
	KT_OK(reply_map(FAULT_WRITE + 16, p2, RW));
	KT_REPORT(rep, 1, &v);
	KT_EQ(v, MAGIC + 2);
	KT_EQ(((volatile uint64_t *)p2)[2], 0x3217);
	return 0;
}

static int t_pager_own_task(void)
{
	struct kt_thread th;
	uint64_t *p = kt_page(), v;
	KT_ASSERT(p);
	p[0] = MAGIC + 3;
	l4_cap_t pg = kt_main_gate(KT_LABEL_FAULT), rep = kt_main_gate(KT_LABEL_REPORT);
	KT_ASSERT(pg && rep);
	KT_CHECK(kt_thread_create(&th, 0, pg, pg));
	struct pf_arg *a = th.data;
	a->read_addr = KT_SCRATCH + 0x10000;
	a->report = rep;
	KT_OK(kt_thread_start(&th, pf_fn, a));
	KT_CHECK(expect_fault(pg, KT_SCRATCH + 0x10000, 0, 0));
	KT_OK(reply_map(KT_SCRATCH + 0x10000, p, PECAN_FPAGE_R));
	KT_REPORT(rep, 1, &v);
	KT_EQ(v, MAGIC + 3);
	return 0;
}

static int t_pager_write_protect(void)
{
	struct kt_task t;
	struct kt_thread th;
	uint64_t *p = kt_page(), v;
	KT_ASSERT(p);
	p[0] = MAGIC + 4;
	l4_cap_t pg = kt_main_gate(KT_LABEL_FAULT), rep = kt_main_gate(KT_LABEL_REPORT);
	KT_ASSERT(pg && rep);
	KT_CHECK(kt_task_create(&t));
	KT_OK(kt_task_map_cap(&t, pg, PECAN_CAP_R, KT_CSEL_FAULT));
	KT_OK(kt_task_map_cap(&t, rep, PECAN_CAP_R, KT_CSEL_REPORT));
	KT_OK(l4_task_map(t.cap, SELF, pecan_fpage_mem((uint64_t)p, 12, PECAN_FPAGE_R), FAULT_READ, PECAN_ITEM_MAP));
	KT_CHECK(kt_thread_create(&th, &t, KT_CSEL_FAULT, KT_CSEL_FAULT));
	struct pf_arg *a = th.data;
	a->read_addr = FAULT_READ;
	a->write_addr = FAULT_READ + 8;
	a->wval = 0x77;
	a->report = KT_CSEL_REPORT;
	KT_OK(kt_thread_start(&th, pf_fn, a));
	KT_CHECK(expect_fault(pg, FAULT_READ, 1, 1)); /* the read worked, the write hit a present page */
	KT_OK(reply_map(FAULT_READ, p, RW));
	KT_REPORT(rep, 1, &v);
	KT_EQ(v, MAGIC + 4);
	KT_EQ(((volatile uint64_t *)p)[1], 0x77);
	return 0;
}

/* ---- exceptions ----------------------------------------------------------------- */
struct exc_arg {
	l4_cap_t report;
};

static void ud2_fn(void *p)
{
	struct exc_arg *a = p;
	uint64_t rax;
	__asm__ volatile("mov $0x1111, %%eax\n\tud2"
			 : "=a"(rax)
			 : "b"(0xb0b0b0b0ull), "S"(0x5151ull), "D"(0xd1d1ull)
			 : "memory");
	kt_report1(a->report, rax);
	kt_park();
}

static void div_fn(void *p)
{
	struct exc_arg *a = p;
	uint64_t q = 100, d = 0;
	__asm__ volatile("xor %%edx, %%edx\n\tdiv %%rcx" : "+a"(q), "+c"(d) : : "rdx", "cc");
	uint64_t r[2] = {q, d};
	kt_report(a->report, 2, r);
	kt_park();
}

static int expect_exception(l4_cap_t gate, uint64_t vector, const struct kt_thread *th)
{
	pecan_msgtag_t tag;
	uint64_t label;
	struct pecan_utcb *u = pecan_utcb();
	KT_OK(l4_ipc_receive(gate, &tag, &label, KT_TIMEOUT));
	KT_EQ(pecan_msgtag_label(tag), PECAN_LABEL_EXCEPTION);
	KT_EQ(pecan_msgtag_words(tag), PECAN_EXC_WORDS);
	KT_EQ(u->mr[PECAN_EXC_VECTOR], vector);
	if (!in_image(u->mr[PECAN_EXC_RIP]))
		KT_FAIL("exception rip %#lx outside the program image", u->mr[PECAN_EXC_RIP]);
	uint64_t stack = (uint64_t)th->stack;
	if (u->mr[PECAN_EXC_RSP] < stack || u->mr[PECAN_EXC_RSP] >= stack + 4096)
		KT_FAIL("exception rsp %#lx outside the thread's stack %#lx", u->mr[PECAN_EXC_RSP], stack);
	return 0;
}

static int t_exception_ud2(void)
{
	struct kt_thread th;
	l4_cap_t eg = kt_main_gate(KT_LABEL_FAULT), rep = kt_main_gate(KT_LABEL_REPORT);
	KT_ASSERT(eg && rep);
	KT_CHECK(kt_thread_create(&th, 0, 0, eg));
	struct exc_arg *a = th.data;
	a->report = rep;
	KT_OK(kt_thread_start(&th, ud2_fn, a));
	KT_CHECK(expect_exception(eg, 6, &th));
	struct pecan_utcb *u = pecan_utcb();
	const uint8_t *insn = (const uint8_t *)u->mr[PECAN_EXC_RIP];
	KT_EQ(insn[0], 0x0f);
	KT_EQ(insn[1], 0x0b);
	KT_EQ(u->mr[PECAN_EXC_RAX], 0x1111);
	KT_EQ(u->mr[PECAN_EXC_RBX], 0xb0b0b0b0);
	KT_EQ(u->mr[PECAN_EXC_RSI], 0x5151);
	KT_EQ(u->mr[PECAN_EXC_RDI], 0xd1d1);
	u->mr[PECAN_EXC_RIP] += 2;
	u->mr[PECAN_EXC_RAX] = 0x1234;
	KT_OK(l4_ipc_reply(pecan_msgtag(0, PECAN_EXC_WORDS, 0, 0)));
	uint64_t v;
	KT_REPORT(rep, 1, &v);
	KT_EQ(v, 0x1234);
	return 0;
}

static int t_exception_div(void)
{
	struct kt_task t;
	struct kt_thread th;
	l4_cap_t eg = kt_main_gate(KT_LABEL_FAULT), rep = kt_main_gate(KT_LABEL_REPORT);
	KT_ASSERT(eg && rep);
	KT_CHECK(kt_task_create(&t));
	KT_OK(kt_task_map_cap(&t, eg, PECAN_CAP_R, KT_CSEL_FAULT));
	KT_OK(kt_task_map_cap(&t, rep, PECAN_CAP_R, KT_CSEL_REPORT));
	KT_CHECK(kt_thread_create(&th, &t, 0, KT_CSEL_FAULT));
	struct exc_arg *a = th.data;
	a->report = KT_CSEL_REPORT;
	KT_OK(kt_thread_start(&th, div_fn, a));
	KT_CHECK(expect_exception(eg, 0, &th));
	struct pecan_utcb *u = pecan_utcb();
	const uint8_t *insn = (const uint8_t *)u->mr[PECAN_EXC_RIP];
	KT_EQ(insn[0], 0x48); /* div %rcx: 48 f7 f1 */
	KT_EQ(insn[1], 0xf7);
	KT_EQ(u->mr[PECAN_EXC_RAX], 100);
	KT_EQ(u->mr[PECAN_EXC_RCX], 0);
	KT_EQ(u->mr[PECAN_EXC_RDX], 0);
	/* Retry the division with a divisor. */
	u->mr[PECAN_EXC_RCX] = 5;
	KT_OK(l4_ipc_reply(pecan_msgtag(0, PECAN_EXC_WORDS, 0, 0)));
	uint64_t r[2];
	KT_REPORT(rep, 2, r);
	KT_EQ(r[0], 20);
	KT_EQ(r[1], 5);
	return 0;
}

static int t_exception_retry(void)
{
	struct kt_thread th;
	l4_cap_t eg = kt_main_gate(KT_LABEL_FAULT), rep = kt_main_gate(KT_LABEL_REPORT);
	KT_ASSERT(eg && rep);
	KT_CHECK(kt_thread_create(&th, 0, 0, eg));
	struct exc_arg *a = th.data;
	a->report = rep;
	KT_OK(kt_thread_start(&th, ud2_fn, a));
	KT_CHECK(expect_exception(eg, 6, &th));
	struct pecan_utcb *u = pecan_utcb();
	uint64_t rip = u->mr[PECAN_EXC_RIP];
	/* Fewer words: resumed unchanged, so it faults again at the same place. */
	KT_OK(l4_ipc_reply(pecan_msgtag(0, 0, 0, 0)));
	KT_CHECK(expect_exception(eg, 6, &th));
	KT_EQ(u->mr[PECAN_EXC_RIP], rip);
	KT_EQ(u->mr[PECAN_EXC_RAX], 0x1111);
	u->mr[PECAN_EXC_RIP] += 2;
	KT_OK(l4_ipc_reply(pecan_msgtag(0, PECAN_EXC_WORDS, 0, 0)));
	uint64_t v;
	KT_REPORT(rep, 1, &v);
	KT_EQ(v, 0x1111);
	/* Not replying leaves it blocked. */
	uint64_t state, prio;
	KT_OK(l4_thread_info(th.cap, &state, &prio));
	KT_ASSERT(state != PECAN_THREAD_STATE_DEAD);
	return 0;
}

static int t_exception_no_handler(void)
{
	struct kt_thread none, empty, notgate;
	KT_CHECK(kt_thread_create(&none, 0, 0, 0));
	KT_CHECK(kt_thread_create(&empty, 0, 0, kt_sel()));
	KT_CHECK(kt_thread_create(&notgate, 0, 0, PECAN_CAP_KDEBUG));
	struct exc_arg *a = none.data;
	a->report = 0;
	KT_OK(kt_thread_start(&none, ud2_fn, a));
	KT_OK(kt_thread_start(&empty, ud2_fn, a));
	KT_OK(kt_thread_start(&notgate, ud2_fn, a));
	KT_CHECK(kt_wait_state(none.cap, PECAN_THREAD_STATE_DEAD));
	KT_CHECK(kt_wait_state(empty.cap, PECAN_THREAD_STATE_DEAD));
	KT_CHECK(kt_wait_state(notgate.cap, PECAN_THREAD_STATE_DEAD));
	return 0;
}

static int t_pagefault_no_pager(void)
{
	struct kt_task t;
	struct kt_thread th, own;
	KT_CHECK(kt_task_create(&t));
	KT_CHECK(kt_thread_create(&th, &t, 0, 0));
	struct pf_arg *a = th.data;
	a->read_addr = FAULT_READ;
	a->report = KT_CSEL_REPORT;
	KT_OK(kt_thread_start(&th, pf_fn, a));
	KT_CHECK(kt_wait_state(th.cap, PECAN_THREAD_STATE_DEAD));
	/* In the own task too (outside the physical window). */
	KT_CHECK(kt_thread_create(&own, 0, 0, 0));
	struct pf_arg *b = own.data;
	b->read_addr = KT_SCRATCH + 0x20000;
	KT_OK(kt_thread_start(&own, pf_fn, b));
	KT_CHECK(kt_wait_state(own.cap, PECAN_THREAD_STATE_DEAD));
	return 0;
}

const struct ktest ktest_faults[] = {
	{"pager.child", "a user-level pager maps pages for read and write faults of another task", t_pager_child},
	{"pager.own_task", "a pager serves a thread of the own task outside the window", t_pager_own_task},
	{"pager.write_protect", "a write to a read-only page faults as present+write; the pager upgrades it",
	 t_pager_write_protect},
	{"exception.ud2", "an invalid opcode goes to the handler, which skips it and sets rax", t_exception_ud2},
	{"exception.divide", "a division by zero in another task: the handler sets the divisor", t_exception_div},
	{"exception.retry", "a reply with fewer words resumes the thread unchanged", t_exception_retry},
	{"exception.no_handler", "a thread faulting without a handler (none, empty, not a gate) dies",
	 t_exception_no_handler},
	{"exception.no_pager", "a page fault without a pager kills the thread, not the program", t_pagefault_no_pager},
	{0, 0, 0},
};
