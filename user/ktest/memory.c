/* ktest: typed items (map, grant, capability delegation, windows) and map/grant/unmap with recursive revocation. */
#include "ktest.h"

#define F PECAN_CAP_FACTORY
#define SELF PECAN_CAP_TASK
#define RW (PECAN_FPAGE_R | PECAN_FPAGE_W)
#define WINDOW 0x20000000ull /* receive windows in child tasks */
#define VB 0x21000000ull     /* where task B sees the page */
#define VC 0x22000000ull     /* where task C sees it */
#define MAGIC 0x6d61676963000000ull

/* A page of the own memory holding MAGIC + tag in its first word. */
static uint64_t *magic_page(uint64_t tag)
{
	uint64_t *p = kt_page();
	if (p)
		p[0] = MAGIC + tag;
	return p;
}

/* ---- a receiver of typed items in a child task -------------------------------- */
struct item_rcv {
	uint64_t br0, br1;           /* its receive windows */
	l4_cap_t report;             /* selector in the child: report and pager gate */
	uint64_t read_addr;          /* after the message: read here (0: no) */
	uint64_t write_addr, write_val; /* and write here (0: no) */
	l4_cap_t use_cap;            /* and send through this selector (0: no) */
};

/* Reports [error, tag, gate label, value read, error of the use_cap send]. */
static void item_rcv_fn(void *p)
{
	struct item_rcv *a = p;
	struct pecan_utcb *u = pecan_utcb();
	pecan_msgtag_t tag = 0;
	uint64_t label = 0;
	u->br[PECAN_BR_MEM_WINDOW] = a->br0;
	u->br[PECAN_BR_CAP_WINDOW] = a->br1;
	long err = l4_ipc_wait(&tag, &label, PECAN_TIMEOUT_NEVER);
	uint64_t r[5] = {(uint64_t)err, tag, label, 0, 0};
	if (!err) {
		if (a->read_addr)
			r[3] = *(volatile uint64_t *)a->read_addr;
		if (a->write_addr)
			*(volatile uint64_t *)a->write_addr = a->write_val;
		if (a->use_cap)
			r[4] = (uint64_t)l4_ipc_send(a->use_cap, pecan_msgtag(0x5a, 0, 0, 0), KT_TIMEOUT);
	}
	kt_report(a->report, 5, r);
	kt_park();
}

struct receiver {
	struct kt_task task;
	struct kt_thread th;
	struct item_rcv *arg;
	l4_cap_t gate;   /* own space, bound to the receiver */
	l4_cap_t report; /* own space, bound to the main thread */
};

/* A child task with a receiver thread, not started; fill r->arg, then start_receiver. */
static int make_receiver(struct receiver *r)
{
	KT_CHECK(kt_task_create(&r->task));
	r->report = kt_main_gate(KT_LABEL_REPORT);
	KT_ASSERT(r->report);
	KT_OK(kt_task_map_cap(&r->task, r->report, PECAN_CAP_R, KT_CSEL_REPORT));
	KT_CHECK(kt_thread_create(&r->th, &r->task, KT_CSEL_REPORT, KT_CSEL_REPORT));
	r->gate = kt_sel();
	KT_OK(l4_factory_create_gate(F, r->gate, r->th.cap, 0x6a7e));
	r->arg = r->th.data;
	r->arg->report = KT_CSEL_REPORT;
	return 0;
}

static int start_receiver(struct receiver *r)
{
	KT_OK(kt_thread_start(&r->th, item_rcv_fn, r->arg));
	KT_CHECK(kt_wait_state(r->th.cap, PECAN_THREAD_STATE_RECEIVING));
	return 0;
}

/* The main thread sends one typed item (and no words) to gate. */
static long send_item(l4_cap_t gate, unsigned type, uint64_t hotspot, pecan_fpage_t fp)
{
	struct pecan_utcb *u = pecan_utcb();
	u->mr[0] = pecan_item_word0(type, hotspot);
	u->mr[1] = fp;
	return l4_ipc_send(gate, pecan_msgtag(0x17, 0, 1, 0), KT_TIMEOUT);
}

/* ---- typed items ---------------------------------------------------------------- */
static int t_item_map_page(void)
{
	struct receiver r;
	uint64_t *page = magic_page(1), rep[5];
	KT_ASSERT(page);
	KT_CHECK(make_receiver(&r));
	r.arg->br0 = pecan_fpage_mem(WINDOW, 12, PECAN_FPAGE_RWX);
	r.arg->read_addr = WINDOW;
	r.arg->write_addr = WINDOW + 8;
	r.arg->write_val = 0xfeed;
	KT_CHECK(start_receiver(&r));
	KT_OK(send_item(r.gate, PECAN_ITEM_MAP, 0, pecan_fpage_mem((uint64_t)page, 12, RW)));
	KT_REPORT(r.report, 5, rep);
	KT_ERR(rep[0], PECAN_OK);
	KT_EQ(pecan_msgtag_label(rep[1]), 0x17);
	KT_EQ(rep[2], 0x6a7e);
	KT_EQ(rep[3], MAGIC + 1);
	KT_EQ(((volatile uint64_t *)page)[1], 0xfeed); /* shared */
	/* Unmapping the sender's page (not its own) revokes the receiver's. */
	KT_PROBE_OK(&r.task, WINDOW, MAGIC + 1);
	KT_OK(l4_task_unmap(SELF, pecan_fpage_mem((uint64_t)page, 12, RW), 0));
	KT_PROBE_FAULT(&r.task, WINDOW, 0);
	return 0;
}

static int t_item_map_hotspot(void)
{
	struct receiver r;
	uint64_t *page = magic_page(2), rep[5];
	KT_ASSERT(page);
	KT_CHECK(make_receiver(&r));
	r.arg->br0 = pecan_fpage_mem(WINDOW, 16, PECAN_FPAGE_RWX); /* 64 KiB window */
	r.arg->read_addr = WINDOW + 0x3000;
	KT_CHECK(start_receiver(&r));
	KT_OK(send_item(r.gate, PECAN_ITEM_MAP, 0x7773000, pecan_fpage_mem((uint64_t)page, 12, RW)));
	KT_REPORT(r.report, 5, rep);
	KT_ERR(rep[0], PECAN_OK);
	KT_EQ(rep[3], MAGIC + 2);
	KT_PROBE_FAULT(&r.task, WINDOW, 0);
	return 0;
}

static int t_item_map_readonly(void)
{
	struct receiver r;
	uint64_t *page = magic_page(3), rep[5];
	KT_ASSERT(page);
	KT_CHECK(make_receiver(&r));
	r.arg->br0 = pecan_fpage_mem(WINDOW, 12, PECAN_FPAGE_RWX);
	KT_CHECK(start_receiver(&r));
	KT_OK(send_item(r.gate, PECAN_ITEM_MAP, 0, pecan_fpage_mem((uint64_t)page, 12, PECAN_FPAGE_R)));
	KT_REPORT(r.report, 5, rep);
	KT_ERR(rep[0], PECAN_OK);
	KT_PROBE_OK(&r.task, WINDOW, MAGIC + 3);
	KT_PROBE_FAULT(&r.task, WINDOW, 1);
	KT_EQ(page[0], MAGIC + 3);
	return 0;
}

static int t_item_grant_page(void)
{
	struct receiver r;
	uint64_t *page = magic_page(4), rep[5];
	uint64_t s = KT_SCRATCH + 0x1000;
	KT_ASSERT(page);
	/* A mapping of the own task that is not a window root: it can go away. */
	KT_OK(l4_task_map(SELF, SELF, pecan_fpage_mem((uint64_t)page, 12, RW), s, PECAN_ITEM_MAP));
	KT_PROBE_OK(0, s, MAGIC + 4);
	KT_CHECK(make_receiver(&r));
	r.arg->br0 = pecan_fpage_mem(WINDOW, 12, PECAN_FPAGE_RWX);
	r.arg->read_addr = WINDOW;
	r.arg->write_addr = WINDOW + 16;
	r.arg->write_val = 0x9a47;
	KT_CHECK(start_receiver(&r));
	KT_OK(send_item(r.gate, PECAN_ITEM_GRANT, 0, pecan_fpage_mem(s, 12, RW)));
	KT_REPORT(r.report, 5, rep);
	KT_ERR(rep[0], PECAN_OK);
	KT_EQ(rep[3], MAGIC + 4);
	KT_EQ(((volatile uint64_t *)page)[2], 0x9a47);
	KT_PROBE_FAULT(0, s, 0); /* the sender lost it */
	KT_PROBE_OK(&r.task, WINDOW, MAGIC + 4);
	/* The granted mapping still derives from the window page. */
	KT_OK(l4_task_unmap(SELF, pecan_fpage_mem((uint64_t)page, 12, RW), 0));
	KT_PROBE_FAULT(&r.task, WINDOW, 0);
	return 0;
}

static int t_item_map_cap(void)
{
	struct receiver r;
	uint64_t rep[5], type, rights;
	l4_cap_t g = kt_main_gate(0x1c);
	KT_ASSERT(g);
	KT_CHECK(make_receiver(&r));
	r.arg->br1 = pecan_fpage_cap(KT_CSEL_WINDOW, 0, PECAN_CAP_RWD);
	r.arg->use_cap = KT_CSEL_WINDOW;
	KT_CHECK(start_receiver(&r));
	KT_OK(send_item(r.gate, PECAN_ITEM_MAP, 0, pecan_fpage_cap(g, 0, PECAN_CAP_R)));
	pecan_msgtag_t tag;
	uint64_t label;
	KT_OK(l4_ipc_receive(g, &tag, &label, KT_TIMEOUT)); /* it used the capability */
	KT_EQ(label, 0x1c);
	KT_EQ(pecan_msgtag_label(tag), 0x5a);
	KT_REPORT(r.report, 5, rep);
	KT_ERR(rep[0], PECAN_OK);
	KT_ERR(rep[4], PECAN_OK);
	KT_OK(l4_task_cap_info(r.task.cap, KT_CSEL_WINDOW, &type, &rights));
	KT_EQ(type, PECAN_OBJ_GATE);
	KT_EQ(rights, PECAN_CAP_R);
	/* Derived: deleting the original revokes it. */
	KT_OK(kt_delete(g));
	KT_OK(l4_task_cap_info(r.task.cap, KT_CSEL_WINDOW, &type, &rights));
	KT_EQ(type, PECAN_OBJ_NONE);
	return 0;
}

static int t_item_cap_no_delegate(void)
{
	struct receiver r;
	uint64_t rep[5], type, rights;
	l4_cap_t g = kt_main_gate(0x1d), nd = kt_sel();
	KT_ASSERT(g);
	KT_OK(kt_map_self(g, PECAN_CAP_R | PECAN_CAP_W, nd));
	KT_CHECK(make_receiver(&r));
	r.arg->br1 = pecan_fpage_cap(KT_CSEL_WINDOW, 0, PECAN_CAP_RWD);
	KT_CHECK(start_receiver(&r));
	KT_ERR(send_item(r.gate, PECAN_ITEM_MAP, 0, pecan_fpage_cap(nd, 0, PECAN_CAP_R)), PECAN_EPERM);
	KT_REPORT(r.report, 5, rep);
	KT_ERR(rep[0], PECAN_EPERM);
	KT_OK(l4_task_cap_info(r.task.cap, KT_CSEL_WINDOW, &type, &rights));
	KT_EQ(type, PECAN_OBJ_NONE);
	return 0;
}

static int t_item_window_missing(void)
{
	struct receiver m, c;
	uint64_t rep[5];
	uint64_t *page = magic_page(5);
	KT_ASSERT(page);
	KT_CHECK(make_receiver(&m));
	m.arg->br1 = pecan_fpage_cap(KT_CSEL_WINDOW, 0, PECAN_CAP_RWD); /* a window, but of the other kind */
	KT_CHECK(start_receiver(&m));
	KT_ERR(send_item(m.gate, PECAN_ITEM_MAP, 0, pecan_fpage_mem((uint64_t)page, 12, RW)), PECAN_ERANGE);
	KT_REPORT(m.report, 5, rep);
	KT_ERR(rep[0], PECAN_ERANGE);
	KT_CHECK(make_receiver(&c));
	c.arg->br0 = pecan_fpage_mem(WINDOW, 12, PECAN_FPAGE_RWX);
	KT_CHECK(start_receiver(&c));
	KT_ERR(send_item(c.gate, PECAN_ITEM_MAP, 0, pecan_fpage_cap(PECAN_CAP_KDEBUG, 0, PECAN_CAP_R)), PECAN_ERANGE);
	KT_REPORT(c.report, 5, rep);
	KT_ERR(rep[0], PECAN_ERANGE);
	return 0;
}

static int t_item_window_too_small(void)
{
	struct receiver m, c;
	uint64_t rep[5];
	uint64_t *page = magic_page(6), type, rights;
	KT_ASSERT(page);
	KT_CHECK(make_receiver(&m));
	m.arg->br0 = pecan_fpage_mem(WINDOW, 12, PECAN_FPAGE_RWX);
	KT_CHECK(start_receiver(&m));
	KT_ERR(send_item(m.gate, PECAN_ITEM_MAP, 0, pecan_fpage_mem((uint64_t)page & ~0x1fffull, 13, RW)), PECAN_ERANGE);
	KT_REPORT(m.report, 5, rep);
	KT_ERR(rep[0], PECAN_ERANGE);
	KT_PROBE_FAULT(&m.task, WINDOW, 0);
	KT_CHECK(make_receiver(&c));
	c.arg->br1 = pecan_fpage_cap(KT_CSEL_WINDOW, 0, PECAN_CAP_RWD);
	KT_CHECK(start_receiver(&c));
	KT_ERR(send_item(c.gate, PECAN_ITEM_MAP, 0, pecan_fpage_cap(PECAN_CAP_KDEBUG & ~1ull, 1, PECAN_CAP_R)),
	       PECAN_ERANGE);
	KT_REPORT(c.report, 5, rep);
	KT_ERR(rep[0], PECAN_ERANGE);
	KT_OK(l4_task_cap_info(c.task.cap, KT_CSEL_WINDOW, &type, &rights));
	KT_EQ(type, PECAN_OBJ_NONE);
	return 0;
}

static int t_item_bad(void)
{
	struct receiver r;
	uint64_t rep[5];
	uint64_t *page = magic_page(7);
	KT_ASSERT(page);
	KT_CHECK(make_receiver(&r));
	r.arg->br0 = pecan_fpage_mem(WINDOW, 12, PECAN_FPAGE_RWX);
	KT_CHECK(start_receiver(&r));
	KT_ERR(send_item(r.gate, 0, 0, pecan_fpage_mem((uint64_t)page, 12, RW)), PECAN_EINVAL);
	KT_REPORT(r.report, 5, rep);
	KT_ERR(rep[0], PECAN_EINVAL);
	/* The receiver waits again (parked): each is refused the same way. */
	KT_ERR(send_item(r.gate, 0xf, 0, pecan_fpage_mem((uint64_t)page, 12, RW)), PECAN_EINVAL);
	KT_ERR(send_item(r.gate, PECAN_ITEM_MAP, 0, pecan_fpage_mem((uint64_t)page, 11, RW)), PECAN_EINVAL);
	KT_ERR(send_item(r.gate, PECAN_ITEM_MAP, 0, 0), PECAN_EINVAL);
	return 0;
}

static int t_item_unmapped_skipped(void)
{
	struct receiver r;
	uint64_t rep[5];
	KT_CHECK(make_receiver(&r));
	r.arg->br0 = pecan_fpage_mem(WINDOW, 12, PECAN_FPAGE_RWX);
	KT_CHECK(start_receiver(&r));
	KT_OK(send_item(r.gate, PECAN_ITEM_MAP, 0, pecan_fpage_mem(KT_SCRATCH + 0x5000, 12, RW)));
	KT_REPORT(r.report, 5, rep);
	KT_ERR(rep[0], PECAN_OK);
	KT_PROBE_FAULT(&r.task, WINDOW, 0);
	return 0;
}

/* ---- map, grant, unmap across three tasks ---------------------------------------- */
static int t_map_revoke_mem(void)
{
	struct kt_task b, c;
	uint64_t *page = magic_page(8);
	uint64_t s = KT_SCRATCH + 0x2000;
	pecan_fpage_t fs = pecan_fpage_mem(s, 12, RW);
	KT_ASSERT(page);
	KT_CHECK(kt_task_create(&b));
	KT_CHECK(kt_task_create(&c));
	KT_OK(l4_task_map(SELF, SELF, pecan_fpage_mem((uint64_t)page, 12, RW), s, PECAN_ITEM_MAP));
	/* A -> B -> C; A unmaps: B and C lose it, A keeps it. */
	KT_OK(l4_task_map(b.cap, SELF, fs, VB, PECAN_ITEM_MAP));
	KT_OK(l4_task_map(c.cap, b.cap, pecan_fpage_mem(VB, 12, RW), VC, PECAN_ITEM_MAP));
	KT_PROBE_OK(&c, VC, MAGIC + 8);
	KT_PROBE_OK(&b, VB, MAGIC + 8);
	KT_OK(l4_task_unmap(SELF, fs, 0));
	KT_PROBE_FAULT(&c, VC, 0);
	KT_PROBE_FAULT(&b, VB, 0);
	KT_PROBE_OK(0, s, MAGIC + 8);
	/* B unmaps: only C loses it. */
	KT_OK(l4_task_map(b.cap, SELF, fs, VB, PECAN_ITEM_MAP));
	KT_OK(l4_task_map(c.cap, b.cap, pecan_fpage_mem(VB, 12, RW), VC, PECAN_ITEM_MAP));
	KT_OK(l4_task_unmap(b.cap, pecan_fpage_mem(VB, 12, RW), 0));
	KT_PROBE_FAULT(&c, VC, 0);
	KT_PROBE_OK(&b, VB, MAGIC + 8);
	/* A unmaps with SELF: everyone loses it. */
	KT_OK(l4_task_map(c.cap, b.cap, pecan_fpage_mem(VB, 12, RW), VC, PECAN_ITEM_MAP));
	KT_PROBE_OK(&c, VC, MAGIC + 8);
	KT_OK(l4_task_unmap(SELF, fs, PECAN_UNMAP_SELF));
	KT_PROBE_FAULT(&c, VC, 0);
	KT_PROBE_FAULT(&b, VB, 0);
	KT_PROBE_FAULT(0, s, 0);
	KT_EQ(page[0], MAGIC + 8); /* the window root stays */
	return 0;
}

static int t_map_revoke_cap(void)
{
	struct kt_task b, c;
	uint64_t type, rights, objects;
	l4_cap_t g = kt_main_gate(0x2c);
	KT_ASSERT(g);
	KT_CHECK(kt_task_create(&b));
	KT_CHECK(kt_task_create(&c));
	pecan_fpage_t fg = pecan_fpage_cap(g, 0, PECAN_CAP_RWD);
	objects = kt_objects();
	KT_OK(l4_task_map(b.cap, SELF, fg, 20, PECAN_ITEM_MAP));
	KT_OK(l4_task_map(c.cap, b.cap, pecan_fpage_cap(20, 0, PECAN_CAP_R | PECAN_CAP_D), 21, PECAN_ITEM_MAP));
	KT_OK(l4_task_cap_info(b.cap, 20, &type, &rights));
	KT_EQ(type, PECAN_OBJ_GATE);
	KT_EQ(rights, PECAN_CAP_RWD);
	KT_OK(l4_task_cap_info(c.cap, 21, &type, &rights));
	KT_EQ(type, PECAN_OBJ_GATE);
	KT_EQ(rights, PECAN_CAP_R | PECAN_CAP_D);
	KT_OK(l4_task_unmap(SELF, fg, 0));
	KT_OK(l4_task_cap_info(b.cap, 20, &type, &rights));
	KT_EQ(type, PECAN_OBJ_NONE);
	KT_OK(l4_task_cap_info(c.cap, 21, &type, &rights));
	KT_EQ(type, PECAN_OBJ_NONE);
	KT_OK(l4_task_cap_info(SELF, g, &type, &rights));
	KT_EQ(type, PECAN_OBJ_GATE);
	KT_EQ(kt_objects(), objects);
	/* Again, then with SELF: all gone, and the gate with them. */
	KT_OK(l4_task_map(b.cap, SELF, fg, 20, PECAN_ITEM_MAP));
	KT_OK(l4_task_map(c.cap, b.cap, pecan_fpage_cap(20, 0, PECAN_CAP_RWD), 21, PECAN_ITEM_MAP));
	KT_OK(l4_task_unmap(SELF, fg, PECAN_UNMAP_SELF));
	KT_OK(l4_task_cap_info(SELF, g, &type, &rights));
	KT_EQ(type, PECAN_OBJ_NONE);
	KT_OK(l4_task_cap_info(b.cap, 20, &type, &rights));
	KT_EQ(type, PECAN_OBJ_NONE);
	KT_OK(l4_task_cap_info(c.cap, 21, &type, &rights));
	KT_EQ(type, PECAN_OBJ_NONE);
	KT_EQ(kt_objects(), objects - 1);
	return 0;
}

static int t_map_grant_cap(void)
{
	struct kt_task b;
	uint64_t type, rights, objects;
	l4_cap_t g = kt_main_gate(0x2d);
	KT_ASSERT(g);
	KT_CHECK(kt_task_create(&b));
	objects = kt_objects();
	KT_OK(l4_task_map(b.cap, SELF, pecan_fpage_cap(g, 0, PECAN_CAP_RWD), 20, PECAN_ITEM_GRANT));
	KT_OK(l4_task_cap_info(SELF, g, &type, &rights));
	KT_EQ(type, PECAN_OBJ_NONE);
	KT_OK(l4_task_cap_info(b.cap, 20, &type, &rights));
	KT_EQ(type, PECAN_OBJ_GATE);
	KT_EQ(kt_objects(), objects);
	/* B's is now the only capability: deleting B deletes the gate. */
	KT_OK(kt_delete(b.cap));
	KT_EQ(kt_objects(), objects - 2);
	return 0;
}

static int t_map_grant_mem(void)
{
	struct kt_task b;
	uint64_t *page = magic_page(9);
	uint64_t s = KT_SCRATCH + 0x3000;
	KT_ASSERT(page);
	KT_CHECK(kt_task_create(&b));
	KT_OK(l4_task_map(SELF, SELF, pecan_fpage_mem((uint64_t)page, 12, RW), s, PECAN_ITEM_MAP));
	KT_OK(l4_task_map(b.cap, SELF, pecan_fpage_mem(s, 12, RW), VB, PECAN_ITEM_GRANT));
	KT_PROBE_FAULT(0, s, 0);
	KT_PROBE_OK(&b, VB, MAGIC + 9);
	return 0;
}

static int t_map_replace(void)
{
	struct kt_task b;
	uint64_t *p1 = magic_page(10), *p2 = magic_page(11);
	KT_ASSERT(p1 && p2);
	KT_CHECK(kt_task_create(&b));
	KT_OK(l4_task_map(b.cap, SELF, pecan_fpage_mem((uint64_t)p1, 12, RW), VB, PECAN_ITEM_MAP));
	KT_PROBE_OK(&b, VB, MAGIC + 10);
	KT_OK(l4_task_map(b.cap, SELF, pecan_fpage_mem((uint64_t)p2, 12, RW), VB, PECAN_ITEM_MAP));
	KT_PROBE_OK(&b, VB, MAGIC + 11);
	/* The replaced mapping no longer derives from p1. */
	KT_OK(l4_task_unmap(SELF, pecan_fpage_mem((uint64_t)p1, 12, RW), 0));
	KT_PROBE_OK(&b, VB, MAGIC + 11);
	return 0;
}

static int t_map_multi_page(void)
{
	struct kt_task b;
	uint64_t *p[3] = {kt_page(), kt_page(), kt_page()};
	KT_ASSERT(p[0] && p[1] && p[2]);
	uint64_t base = 0;
	for (int i = 0; i < 2; i++)
		if ((uint64_t)p[i + 1] == (uint64_t)p[i] + 4096 && ((uint64_t)p[i] & 0x1fff) == 0)
			base = (uint64_t)p[i];
	if (!base)
		KT_FAIL("no two adjacent pool pages aligned to 8 KiB (%p %p %p)", (void *)p[0], (void *)p[1], (void *)p[2]);
	((uint64_t *)base)[0] = MAGIC + 12;
	((uint64_t *)(base + 4096))[0] = MAGIC + 13;
	KT_CHECK(kt_task_create(&b));
	KT_OK(l4_task_map(b.cap, SELF, pecan_fpage_mem(base, 13, PECAN_FPAGE_R), VB, PECAN_ITEM_MAP));
	KT_PROBE_OK(&b, VB, MAGIC + 12);
	KT_PROBE_OK(&b, VB + 4096, MAGIC + 13);
	KT_PROBE_FAULT(&b, VB + 8192, 0);
	KT_PROBE_FAULT(&b, VB + 4096, 1);
	/* Unmapping one page of the two. */
	KT_OK(l4_task_unmap(SELF, pecan_fpage_mem(base + 4096, 12, RW), 0));
	KT_PROBE_OK(&b, VB, MAGIC + 12);
	KT_PROBE_FAULT(&b, VB + 4096, 0);
	return 0;
}

const struct ktest ktest_memory[] = {
	{"item.map_page", "a page mapped by IPC is shared; unmapping revokes it", t_item_map_page},
	{"item.map_hotspot", "a page lands in a larger window at the hotspot", t_item_map_hotspot},
	{"item.map_readonly", "a read-only mapping faults on write", t_item_map_readonly},
	{"item.grant_page", "a granted page moves: the sender loses it", t_item_grant_page},
	{"item.map_cap", "a capability delegated by IPC lands in the window and works", t_item_map_cap},
	{"item.cap_no_delegate", "a capability without D cannot be sent: EPERM for both sides", t_item_cap_no_delegate},
	{"item.window_missing", "no window of the item's kind: ERANGE for both sides", t_item_window_missing},
	{"item.window_too_small", "a flexpage larger than the window: ERANGE for both sides", t_item_window_too_small},
	{"item.bad", "malformed typed items give EINVAL", t_item_bad},
	{"item.unmapped_skipped", "pages the sender has not mapped are skipped", t_item_unmapped_skipped},
	{"map.revoke_mem", "A->B->C page mappings: unmap revokes recursively, SELF too", t_map_revoke_mem},
	{"map.revoke_cap", "A->B->C capability mappings: unmap revokes recursively, SELF too", t_map_revoke_cap},
	{"map.grant_cap", "a granted capability moves to the other task", t_map_grant_cap},
	{"map.grant_mem", "a granted page moves to the other task", t_map_grant_mem},
	{"map.replace", "a map onto a mapped page replaces it", t_map_replace},
	{"map.multi_page", "an 8 KiB flexpage maps two pages; unmapping one leaves the other", t_map_multi_page},
	{0, 0, 0},
};
