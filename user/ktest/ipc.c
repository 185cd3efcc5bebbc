/* ktest: IPC — call/reply, send/receive, open and closed waits, server loops, message limits. */
#include "ipc.h"

#define F PECAN_CAP_FACTORY

uint64_t pattern(unsigned i)
{
	return 0x5ec0de0000000000ull ^ ((uint64_t)i << 32) ^ (i * 0x01010101ull);
}

void fill(unsigned n)
{
	struct pecan_utcb *u = pecan_utcb();
	for (unsigned i = 0; i < n; i++)
		u->mr[i] = pattern(i);
}

/* ---- thread bodies ---------------------------------------------------------- */

/* A server: replies to each message with its words complemented and the
 * request label XOR the gate label, then waits for the next. */
void echo_fn(void *unused)
{
	(void)unused;
	pecan_msgtag_t tag;
	uint64_t label;
	long err = l4_ipc_wait(&tag, &label, PECAN_TIMEOUT_NEVER);
	for (;;) {
		if (err) {
			err = l4_ipc_wait(&tag, &label, PECAN_TIMEOUT_NEVER);
			continue;
		}
		struct pecan_utcb *u = pecan_utcb();
		unsigned n = pecan_msgtag_words(tag);
		for (unsigned i = 0; i < n; i++)
			u->mr[i] = ~u->mr[i];
		err = l4_ipc_reply_and_wait(pecan_msgtag(pecan_msgtag_label(tag) ^ (uint32_t)label, n, 0, 0), &tag,
					    &label, PECAN_TIMEOUT_NEVER);
	}
}

/* One IPC from a helper thread, then a report [error, received tag, mr0]. */
struct ipc_job {
	l4_cap_t gate, report;
	uint32_t label;
	unsigned words;
	uint64_t timeout, delay_us;
	int call;
};

void job_fn(void *p)
{
	struct ipc_job *j = p;
	if (j->delay_us)
		kt_thread_sleep_us(j->delay_us);
	fill(j->words);
	uint64_t rtag = 0, rlabel = 0;
	long err = pecan_syscall(j->gate, pecan_msgtag(j->label, j->words, 0, 0),
				 j->call ? PECAN_IPC_CALL : PECAN_IPC_SEND, j->timeout, j->timeout, 0, &rtag, &rlabel);
	uint64_t r[3] = {(uint64_t)err, rtag, pecan_utcb()->mr[0]};
	kt_report(j->report, 3, r);
	kt_park();
}

int spawn_job(struct kt_thread *t, l4_cap_t gate, l4_cap_t report, uint32_t label, unsigned words,
		     uint64_t timeout, int call, uint64_t delay_us)
{
	if (kt_thread_create(t, 0, 0, 0))
		return -1;
	struct ipc_job *j = t->data;
	j->gate = gate;
	j->report = report;
	j->label = label;
	j->words = words;
	j->timeout = timeout;
	j->call = call;
	j->delay_us = delay_us;
	long err = kt_thread_start(t, job_fn, j);
	if (err)
		kt_fail(__FILE__, __LINE__, "start a job: %s", l4_strerror(err));
	return err ? -1 : 0;
}

/* Counts the messages it receives in its data page. */
void count_fn(void *p)
{
	volatile uint64_t *count = p;
	pecan_msgtag_t tag;
	uint64_t label;
	for (;;)
		if (l4_ipc_wait(&tag, &label, PECAN_TIMEOUT_NEVER) == PECAN_OK)
			(*count)++;
}

/* Takes one message, raises a flag, never replies. */
void swallow_fn(void *p)
{
	volatile uint64_t *flag = p;
	pecan_msgtag_t tag;
	uint64_t label;
	while (l4_ipc_wait(&tag, &label, PECAN_TIMEOUT_NEVER) != PECAN_OK)
		;
	*flag = 1;
	kt_park();
}

/* Waits (open, or closed on a partner) and reports the error. */
void wait_fn(void *p)
{
	struct wait_job *w = p;
	pecan_msgtag_t tag;
	uint64_t label;
	long err = w->partner ? l4_ipc_receive(w->partner, &tag, &label, PECAN_TIMEOUT_NEVER)
			      : l4_ipc_wait(&tag, &label, PECAN_TIMEOUT_NEVER);
	kt_report1(w->report, (uint64_t)err);
	kt_park();
}

int wait_flag(volatile uint64_t *flag)
{
	for (int i = 0; i < 1000 && !*flag; i++)
		kt_sleep_us(1000);
	return *flag ? 0 : -1;
}

/* The main thread calls an echo server through gate (label gate_label). */
int echo_check(l4_cap_t gate, uint32_t gate_label, unsigned n, uint32_t label)
{
	struct pecan_utcb *u = pecan_utcb();
	fill(n);
	uint64_t rtag, rlabel;
	KT_OK(pecan_syscall(gate, pecan_msgtag(label, n, 0, 0), PECAN_IPC_CALL, KT_TIMEOUT, KT_TIMEOUT, 0, &rtag,
			    &rlabel));
	KT_EQ(rlabel, 0); /* a reply */
	KT_EQ(pecan_msgtag_label(rtag), label ^ gate_label);
	KT_EQ(pecan_msgtag_words(rtag), n);
	KT_EQ(pecan_msgtag_items(rtag), 0);
	for (unsigned i = 0; i < n; i++)
		if (u->mr[i] != ~pattern(i))
			KT_FAIL("reply word %u: got %#lx, expected %#lx", i, u->mr[i], ~pattern(i));
	return 0;
}

/* ---- call and reply --------------------------------------------------------- */
static int t_call_reply(void)
{
	struct kt_thread srv;
	l4_cap_t g = kt_sel();
	KT_CHECK(kt_thread_spawn(&srv, 0, PECAN_PRIO_DEFAULT, 0, 0, echo_fn, 0));
	KT_OK(l4_factory_create_gate(F, g, srv.cap, 0xca11));
	KT_CHECK(echo_check(g, 0xca11, 3, 0x100));
	KT_CHECK(echo_check(g, 0xca11, 0, 0x101));
	KT_CHECK(echo_check(g, 0xca11, 8, 0x102));
	return 0;
}

static int t_call_reply_cross(void)
{
	struct kt_task t;
	struct kt_thread srv;
	l4_cap_t g = kt_sel();
	KT_CHECK(kt_task_create(&t));
	KT_CHECK(kt_thread_spawn(&srv, &t, PECAN_PRIO_DEFAULT, 0, 0, echo_fn, 0));
	KT_OK(l4_factory_create_gate(F, g, srv.cap, 0xc055));
	KT_CHECK(echo_check(g, 0xc055, 5, 0x200));
	KT_CHECK(echo_check(g, 0xc055, 1, 0x201));
	return 0;
}

struct client_arg {
	l4_cap_t gate, report;
	unsigned words;
};

/* Calls gate with a pattern; reports [error, reply tag, whether the words are complemented]. */
static void client_fn(void *p)
{
	struct client_arg *a = p;
	fill(a->words);
	pecan_msgtag_t rtag = 0;
	long err = l4_ipc_call(a->gate, pecan_msgtag(0x77, a->words, 0, 0), KT_TIMEOUT, &rtag);
	uint64_t ok = 1;
	for (unsigned i = 0; i < a->words; i++)
		if (pecan_utcb()->mr[i] != ~pattern(i))
			ok = 0;
	uint64_t r[3] = {(uint64_t)err, rtag, ok};
	kt_report(a->report, 3, r);
	kt_park();
}

static int t_call_from_child(void)
{
	struct kt_task t;
	struct kt_thread cl;
	KT_CHECK(kt_task_create(&t));
	l4_cap_t g = kt_main_gate(0x66), rep = kt_main_gate(0x67);
	KT_ASSERT(g && rep);
	KT_OK(kt_task_map_cap(&t, g, PECAN_CAP_R, KT_CSEL_GATE));
	KT_OK(kt_task_map_cap(&t, rep, PECAN_CAP_R, KT_CSEL_REPORT));
	KT_CHECK(kt_thread_create(&cl, &t, 0, 0));
	struct client_arg *a = cl.data;
	a->gate = KT_CSEL_GATE;
	a->report = KT_CSEL_REPORT;
	a->words = 6;
	KT_OK(kt_thread_start(&cl, client_fn, a));
	pecan_msgtag_t tag;
	uint64_t label;
	struct pecan_utcb *u = pecan_utcb();
	KT_OK(l4_ipc_receive(g, &tag, &label, KT_TIMEOUT));
	KT_EQ(label, 0x66);
	KT_EQ(pecan_msgtag_label(tag), 0x77);
	KT_EQ(pecan_msgtag_words(tag), 6);
	for (unsigned i = 0; i < 6; i++) {
		KT_EQ(u->mr[i], pattern(i));
		u->mr[i] = ~u->mr[i];
	}
	KT_OK(l4_ipc_reply(pecan_msgtag(0x88, 6, 0, 0)));
	uint64_t r[3];
	KT_REPORT(rep, 3, r);
	KT_ERR(r[0], PECAN_OK);
	KT_EQ(pecan_msgtag_label(r[1]), 0x88);
	KT_EQ(pecan_msgtag_words(r[1]), 6);
	KT_EQ(r[2], 1);
	return 0;
}

static int t_send_receive(void)
{
	struct kt_thread s;
	l4_cap_t g = kt_main_gate(0x5e), rep = kt_main_gate(0x5f);
	KT_ASSERT(g && rep);
	KT_CHECK(spawn_job(&s, g, rep, 0x300, 4, KT_TIMEOUT, 0, 0));
	pecan_msgtag_t tag;
	uint64_t label;
	KT_OK(l4_ipc_receive(g, &tag, &label, KT_TIMEOUT));
	KT_EQ(label, 0x5e);
	KT_EQ(pecan_msgtag_label(tag), 0x300);
	KT_EQ(pecan_msgtag_words(tag), 4);
	for (unsigned i = 0; i < 4; i++)
		KT_EQ(pecan_utcb()->mr[i], pattern(i));
	uint64_t r[3];
	KT_REPORT(rep, 3, r);
	KT_ERR(r[0], PECAN_OK);
	/* A one-way message leaves no reply target. */
	KT_ERR(l4_ipc_reply(pecan_msgtag(0, 0, 0, 0)), PECAN_ECAP);
	return 0;
}

static int t_open_wait(void)
{
	struct kt_thread s1, s2;
	l4_cap_t g1 = kt_main_gate(0x11), g2 = kt_main_gate(0x22), rep = kt_main_gate(0x33);
	KT_ASSERT(g1 && g2 && rep);
	KT_CHECK(spawn_job(&s1, g1, rep, 0xa1, 1, KT_TIMEOUT, 0, 0));
	KT_CHECK(kt_wait_state(s1.cap, PECAN_THREAD_STATE_SENDING));
	KT_CHECK(spawn_job(&s2, g2, rep, 0xa2, 1, KT_TIMEOUT, 0, 0));
	KT_CHECK(kt_wait_state(s2.cap, PECAN_THREAD_STATE_SENDING));
	unsigned seen1 = 0, seen2 = 0, reports = 0;
	for (int i = 0; i < 4; i++) {
		pecan_msgtag_t tag;
		uint64_t label;
		KT_OK(l4_ipc_wait(&tag, &label, KT_TIMEOUT));
		if (label == 0x11) {
			KT_EQ(pecan_msgtag_label(tag), 0xa1);
			KT_EQ(seen1, 0);
			KT_EQ(seen2, 0); /* first in, first out */
			seen1++;
		} else if (label == 0x22) {
			KT_EQ(pecan_msgtag_label(tag), 0xa2);
			seen2++;
		} else if (label == 0x33) {
			KT_ERR(pecan_utcb()->mr[0], PECAN_OK);
			reports++;
		} else {
			KT_FAIL("unexpected label %#lx", label);
		}
	}
	KT_EQ(seen1, 1);
	KT_EQ(seen2, 1);
	KT_EQ(reports, 2);
	return 0;
}

static int t_closed_wait(void)
{
	struct kt_thread s1, s2;
	l4_cap_t g1 = kt_main_gate(0x11), g2 = kt_main_gate(0x22), rep = kt_main_gate(0x33);
	KT_ASSERT(g1 && g2 && rep);
	KT_CHECK(spawn_job(&s1, g1, rep, 0xa1, 1, KT_TIMEOUT, 0, 0));
	KT_CHECK(kt_wait_state(s1.cap, PECAN_THREAD_STATE_SENDING));
	KT_CHECK(spawn_job(&s2, g2, rep, 0xa2, 1, KT_TIMEOUT, 0, 0));
	KT_CHECK(kt_wait_state(s2.cap, PECAN_THREAD_STATE_SENDING));
	pecan_msgtag_t tag;
	uint64_t label, r[3];
	/* The later sender, because the wait names its gate. */
	KT_OK(l4_ipc_receive(g2, &tag, &label, KT_TIMEOUT));
	KT_EQ(label, 0x22);
	KT_EQ(pecan_msgtag_label(tag), 0xa2);
	KT_REPORT(rep, 3, r);
	KT_ERR(r[0], PECAN_OK);
	KT_OK(l4_ipc_receive(g1, &tag, &label, KT_TIMEOUT));
	KT_EQ(label, 0x11);
	KT_EQ(pecan_msgtag_label(tag), 0xa1);
	KT_REPORT(rep, 3, r);
	KT_ERR(r[0], PECAN_OK);
	KT_ERR(l4_ipc_receive(g1, &tag, &label, PECAN_TIMEOUT_ZERO), PECAN_ETIMEOUT);
	return 0;
}

static int t_closed_wait_foreign(void)
{
	struct kt_thread other;
	KT_CHECK(kt_thread_spawn(&other, 0, PECAN_PRIO_DEFAULT, 0, 0, kt_park_fn, 0));
	l4_cap_t g = kt_sel();
	KT_OK(l4_factory_create_gate(F, g, other.cap, 1));
	pecan_msgtag_t tag;
	uint64_t label;
	KT_ERR(l4_ipc_receive(g, &tag, &label, PECAN_TIMEOUT_ZERO), PECAN_EINVAL);
	return 0;
}

static int t_closed_wait_bad_partner(void)
{
	l4_cap_t empty = kt_sel(), th = kt_sel();
	pecan_msgtag_t tag;
	uint64_t label;
	KT_OK(l4_factory_create(F, PECAN_FACTORY_CREATE_THREAD, th));
	/* Neither a gate nor an IRQ: "an object of the wrong type" (section 1). */
	KT_ERR(l4_ipc_receive(th, &tag, &label, PECAN_TIMEOUT_ZERO), PECAN_ECAP);
	KT_ERR(l4_ipc_receive(empty, &tag, &label, PECAN_TIMEOUT_ZERO), PECAN_ECAP);
	KT_ERR(l4_ipc_receive(PECAN_CAP_THREAD, &tag, &label, PECAN_TIMEOUT_ZERO), PECAN_ECAP);
	KT_ERR(l4_ipc_receive(PECAN_CAP_FACTORY, &tag, &label, PECAN_TIMEOUT_ZERO), PECAN_ECAP);
	return 0;
}

static int t_fifo(void)
{
	struct kt_thread s[3];
	l4_cap_t g = kt_main_gate(0xf1), rep = kt_main_gate(0xf2);
	KT_ASSERT(g && rep);
	for (unsigned i = 0; i < 3; i++) {
		KT_CHECK(spawn_job(&s[i], g, rep, 0xb0 + i, 1, KT_TIMEOUT, 0, 0));
		KT_CHECK(kt_wait_state(s[i].cap, PECAN_THREAD_STATE_SENDING));
	}
	for (unsigned i = 0; i < 3; i++) {
		pecan_msgtag_t tag;
		uint64_t label, r[3];
		KT_OK(l4_ipc_receive(g, &tag, &label, KT_TIMEOUT));
		KT_EQ(pecan_msgtag_label(tag), 0xb0 + i);
		KT_REPORT(rep, 3, r);
		KT_ERR(r[0], PECAN_OK);
	}
	return 0;
}

struct multi_arg {
	l4_cap_t gate, report;
	uint64_t id, gate_label;
};

static void multi_client_fn(void *p)
{
	struct multi_arg *a = p;
	struct pecan_utcb *u = pecan_utcb();
	uint64_t ok = 0;
	for (uint64_t i = 0; i < 5; i++) {
		u->mr[0] = a->id * 100 + i;
		pecan_msgtag_t rtag;
		if (l4_ipc_call(a->gate, pecan_msgtag(0x50, 1, 0, 0), KT_TIMEOUT, &rtag) != PECAN_OK)
			continue;
		if (pecan_msgtag_label(rtag) == (0x50 ^ a->gate_label) && u->mr[0] == ~(a->id * 100 + i))
			ok++;
	}
	uint64_t r[2] = {a->id, ok};
	kt_report(a->report, 2, r);
	kt_park();
}

static int t_server_loop(void)
{
	struct kt_thread srv, cl[3];
	l4_cap_t rep = kt_main_gate(0x99);
	KT_ASSERT(rep);
	KT_CHECK(kt_thread_spawn(&srv, 0, PECAN_PRIO_DEFAULT, 0, 0, echo_fn, 0));
	for (unsigned i = 0; i < 3; i++) {
		l4_cap_t g = kt_sel();
		KT_OK(l4_factory_create_gate(F, g, srv.cap, 1 + i));
		KT_CHECK(kt_thread_create(&cl[i], 0, 0, 0));
		struct multi_arg *a = cl[i].data;
		a->gate = g;
		a->report = rep;
		a->id = i;
		a->gate_label = 1 + i;
	}
	for (unsigned i = 0; i < 3; i++)
		KT_OK(kt_thread_start(&cl[i], multi_client_fn, cl[i].data));
	unsigned seen = 0;
	for (unsigned i = 0; i < 3; i++) {
		uint64_t r[2];
		KT_REPORT(rep, 2, r);
		KT_ASSERT(r[0] < 3);
		if (r[1] != 5)
			KT_FAIL("client %lu: %lu of 5 calls answered through its own gate", r[0], r[1]);
		seen |= 1u << r[0];
	}
	KT_EQ(seen, 7);
	return 0;
}

/* ---- message limits ---------------------------------------------------------- */
static int t_long_message(void)
{
	struct kt_thread srv;
	l4_cap_t g = kt_sel();
	KT_CHECK(kt_thread_spawn(&srv, 0, PECAN_PRIO_DEFAULT, 0, 0, echo_fn, 0));
	KT_OK(l4_factory_create_gate(F, g, srv.cap, 0x63));
	KT_CHECK(echo_check(g, 0x63, 63, 0x6363));
	return 0;
}

static int t_max_words(void)
{
	struct kt_task t;
	struct kt_thread srv;
	l4_cap_t g = kt_sel();
	KT_CHECK(kt_task_create(&t));
	KT_CHECK(kt_thread_spawn(&srv, &t, PECAN_PRIO_DEFAULT, 0, 0, echo_fn, 0));
	KT_OK(l4_factory_create_gate(F, g, srv.cap, 0x64));
	KT_CHECK(echo_check(g, 0x64, PECAN_MR_COUNT, 0x6464));
	return 0;
}

static int t_tag_invalid(void)
{
	struct kt_thread rcv;
	KT_CHECK(kt_thread_create(&rcv, 0, 0, 0));
	volatile uint64_t *count = rcv.data;
	KT_OK(kt_thread_start(&rcv, count_fn, rcv.data));
	KT_CHECK(kt_wait_state(rcv.cap, PECAN_THREAD_STATE_RECEIVING));
	l4_cap_t g = kt_sel();
	KT_OK(l4_factory_create_gate(F, g, rcv.cap, 1));
	uint64_t rtag, label;
	KT_ERR(l4_ipc_send(g, pecan_msgtag(1, 65, 0, 0), PECAN_TIMEOUT_ZERO), PECAN_EINVAL);
	KT_ERR(l4_ipc_send(g, pecan_msgtag(1, 127, 0, 0), PECAN_TIMEOUT_ZERO), PECAN_EINVAL);
	KT_ERR(l4_ipc_send(g, pecan_msgtag(1, 63, 1, 0), PECAN_TIMEOUT_ZERO), PECAN_EINVAL);
	KT_ERR(l4_ipc_send(g, pecan_msgtag(1, 0, 33, 0), PECAN_TIMEOUT_ZERO), PECAN_EINVAL);
	KT_ERR(pecan_syscall(g, pecan_msgtag(1, 0, 0, 0), 0, 0, 0, 0, &rtag, &label), PECAN_EINVAL);
	KT_ERR(pecan_syscall(g, pecan_msgtag(1, 0, 0, 0), PECAN_IPC_OPEN, 0, 0, 0, &rtag, &label), PECAN_EINVAL);
	KT_ERR(pecan_syscall(g, pecan_msgtag(1, 0, 0, 0), 0x100 | PECAN_IPC_SEND, 0, 0, 0, &rtag, &label),
	       PECAN_EINVAL);
	kt_sleep_us(2000);
	KT_EQ(*count, 0);
	KT_OK(l4_ipc_send(g, pecan_msgtag(1, PECAN_MR_COUNT, 0, 0), PECAN_TIMEOUT_ZERO));
	KT_CHECK(kt_wait_state(rcv.cap, PECAN_THREAD_STATE_RECEIVING));
	KT_EQ(*count, 1);
	return 0;
}

static int t_gate_rights(void)
{
	struct kt_thread rcv;
	KT_CHECK(kt_thread_create(&rcv, 0, 0, 0));
	volatile uint64_t *count = rcv.data;
	KT_OK(kt_thread_start(&rcv, count_fn, rcv.data));
	KT_CHECK(kt_wait_state(rcv.cap, PECAN_THREAD_STATE_RECEIVING));
	l4_cap_t g = kt_sel(), r = kt_sel(), wd = kt_sel();
	KT_OK(l4_factory_create_gate(F, g, rcv.cap, 1));
	KT_OK(kt_map_self(g, PECAN_CAP_R, r));
	KT_OK(kt_map_self(g, PECAN_CAP_W | PECAN_CAP_D, wd));
	KT_ERR(l4_ipc_send(wd, pecan_msgtag(1, 0, 0, 0), PECAN_TIMEOUT_ZERO), PECAN_EPERM);
	pecan_msgtag_t tag;
	KT_ERR(l4_ipc_call(wd, pecan_msgtag(1, 0, 0, 0), PECAN_TIMEOUT_ZERO, &tag), PECAN_EPERM);
	KT_OK(l4_ipc_send(r, pecan_msgtag(1, 0, 0, 0), PECAN_TIMEOUT_ZERO));
	KT_CHECK(kt_wait_state(rcv.cap, PECAN_THREAD_STATE_RECEIVING));
	KT_EQ(*count, 1);
	return 0;
}

const struct ktest ktest_ipc[] = {
	{"ipc.call_reply", "call and reply between two threads of one task", t_call_reply},
	{"ipc.call_reply_cross", "call a server thread in another task", t_call_reply_cross},
	{"ipc.call_from_child", "a thread of another task calls a gate the main thread serves", t_call_from_child},
	{"ipc.send_receive", "one-way send and closed receive; no reply target after a send", t_send_receive},
	{"ipc.open_wait", "an open wait takes senders of two gates in order, told apart by label", t_open_wait},
	{"ipc.closed_wait", "a closed wait takes only its gate's sender, even a later one", t_closed_wait},
	{"ipc.closed_wait_foreign", "a closed wait on a gate bound elsewhere gives EINVAL", t_closed_wait_foreign},
	{"ipc.closed_wait_bad_partner", "a closed wait on an empty selector or a non-gate gives ECAP",
	 t_closed_wait_bad_partner},
	{"ipc.fifo", "senders queued on a gate are received first in, first out", t_fifo},
	{"ipc.server_loop", "reply_and_wait server with three clients told apart by gate label", t_server_loop},
	{"ipc.long_message", "a message of 63 words arrives intact both ways", t_long_message},
	{"ipc.max_words", "a message of 64 words crosses address spaces intact", t_max_words},
	{"ipc.tag_invalid", "too many words or items, or bad flags, give EINVAL and deliver nothing", t_tag_invalid},
	{"ipc.gate_rights", "sending needs R on the gate", t_gate_rights},
	{0, 0, 0},
};
