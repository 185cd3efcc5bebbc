/* ktest: IPC timeouts (zero, relative, never) and aborts (cancel, deleted partners, stale replies). */
#include "ipc.h"

#define F PECAN_CAP_FACTORY

/* ---- timeouts --------------------------------------------------------------- */
static int t_timeout_zero(void)
{
	struct kt_thread idle, waiter;
	pecan_msgtag_t tag;
	uint64_t label;
	l4_cap_t g = kt_main_gate(1);
	KT_ASSERT(g);
	KT_ERR(l4_ipc_wait(&tag, &label, PECAN_TIMEOUT_ZERO), PECAN_ETIMEOUT);
	KT_ERR(l4_ipc_receive(g, &tag, &label, PECAN_TIMEOUT_ZERO), PECAN_ETIMEOUT);
	/* A receiver that is not waiting. */
	KT_CHECK(kt_thread_create(&idle, 0, 0, 0));
	l4_cap_t gi = kt_sel();
	KT_OK(l4_factory_create_gate(F, gi, idle.cap, 2));
	KT_ERR(l4_ipc_send(gi, pecan_msgtag(1, 0, 0, 0), PECAN_TIMEOUT_ZERO), PECAN_ETIMEOUT);
	KT_ERR(l4_ipc_call(gi, pecan_msgtag(1, 0, 0, 0), PECAN_TIMEOUT_ZERO, &tag), PECAN_ETIMEOUT);
	/* A receiver that waits takes the message at once. */
	KT_CHECK(kt_thread_create(&waiter, 0, 0, 0));
	KT_OK(kt_thread_start(&waiter, count_fn, waiter.data));
	KT_CHECK(kt_wait_state(waiter.cap, PECAN_THREAD_STATE_RECEIVING));
	l4_cap_t gw = kt_sel();
	KT_OK(l4_factory_create_gate(F, gw, waiter.cap, 3));
	KT_OK(l4_ipc_send(gw, pecan_msgtag(1, 0, 0, 0), PECAN_TIMEOUT_ZERO));
	KT_CHECK(kt_wait_state(waiter.cap, PECAN_THREAD_STATE_RECEIVING));
	KT_EQ(*(volatile uint64_t *)waiter.data, 1);
	return 0;
}

static int t_timeout_recv(void)
{
	pecan_msgtag_t tag;
	uint64_t label;
	l4_cap_t g = kt_main_gate(1);
	KT_ASSERT(g);
	uint64_t t0 = kt_ticks();
	KT_ERR(l4_ipc_receive(g, &tag, &label, 20000), PECAN_ETIMEOUT);
	uint64_t t1 = kt_ticks();
	if (t1 - t0 < kt_us_to_ticks(20000) || t1 - t0 > kt_hz)
		KT_FAIL("a 20 ms receive timeout took %lu ticks at %lu Hz", t1 - t0, kt_hz);
	t0 = kt_ticks();
	KT_ERR(l4_ipc_wait(&tag, &label, 20000), PECAN_ETIMEOUT);
	t1 = kt_ticks();
	if (t1 - t0 < kt_us_to_ticks(20000) || t1 - t0 > kt_hz)
		KT_FAIL("a 20 ms open-wait timeout took %lu ticks at %lu Hz", t1 - t0, kt_hz);
	return 0;
}

static int t_timeout_send(void)
{
	struct kt_thread idle;
	KT_CHECK(kt_thread_create(&idle, 0, 0, 0));
	l4_cap_t g = kt_sel();
	KT_OK(l4_factory_create_gate(F, g, idle.cap, 2));
	uint64_t t0 = kt_ticks();
	KT_ERR(l4_ipc_send(g, pecan_msgtag(1, 0, 0, 0), 20000), PECAN_ETIMEOUT);
	uint64_t t1 = kt_ticks();
	if (t1 - t0 < kt_us_to_ticks(20000) || t1 - t0 > kt_hz)
		KT_FAIL("a 20 ms send timeout took %lu ticks at %lu Hz", t1 - t0, kt_hz);
	/* The timed-out sender is no longer queued. */
	uint64_t state, prio;
	KT_OK(l4_thread_info(idle.cap, &state, &prio));
	KT_EQ(state, PECAN_THREAD_STATE_INACTIVE);
	return 0;
}

/* Cancels the main thread's IPC unless told within KT_TIMEOUT that all is well. */
static void watchdog_fn(void *unused)
{
	(void)unused;
	pecan_msgtag_t tag;
	uint64_t label;
	if (l4_ipc_wait(&tag, &label, KT_TIMEOUT) == PECAN_ETIMEOUT)
		l4_thread_ex_regs(PECAN_CAP_THREAD, 0, 0, PECAN_EXREGS_CANCEL);
	kt_park();
}

static int t_timeout_never(void)
{
	struct kt_thread dog, s;
	l4_cap_t g = kt_main_gate(0x4e), rep = kt_main_gate(0x4f), wg = kt_sel();
	KT_ASSERT(g && rep);
	KT_CHECK(kt_thread_spawn(&dog, 0, PECAN_PRIO_DEFAULT, 0, 0, watchdog_fn, 0));
	KT_OK(l4_factory_create_gate(F, wg, dog.cap, 1));
	KT_CHECK(spawn_job(&s, g, rep, 0x4e4e, 1, KT_TIMEOUT, 0, 30000));
	pecan_msgtag_t tag;
	uint64_t label;
	uint64_t t0 = kt_ticks();
	long err = l4_ipc_receive(g, &tag, &label, PECAN_TIMEOUT_NEVER);
	uint64_t t1 = kt_ticks();
	if (err == PECAN_ECANCELED)
		KT_FAIL("no message within %llu us on a receive without timeout", KT_TIMEOUT);
	KT_OK(err);
	KT_OK(l4_ipc_send(wg, pecan_msgtag(1, 0, 0, 0), KT_TIMEOUT));
	KT_EQ(pecan_msgtag_label(tag), 0x4e4e);
	KT_ASSERT(t1 - t0 >= kt_us_to_ticks(30000));
	uint64_t r[3];
	KT_REPORT(rep, 3, r);
	KT_ERR(r[0], PECAN_OK);
	return 0;
}

/* ---- aborts ------------------------------------------------------------------ */
static int t_cancel_receive(void)
{
	struct kt_thread w;
	l4_cap_t rep = kt_main_gate(0xcc);
	KT_ASSERT(rep);
	KT_CHECK(kt_thread_create(&w, 0, 0, 0));
	struct wait_job *j = w.data;
	j->partner = 0;
	j->report = rep;
	KT_OK(kt_thread_start(&w, wait_fn, j));
	KT_CHECK(kt_wait_state(w.cap, PECAN_THREAD_STATE_RECEIVING));
	KT_OK(l4_thread_ex_regs(w.cap, 0, 0, PECAN_EXREGS_CANCEL));
	uint64_t r;
	KT_REPORT(rep, 1, &r);
	KT_ERR(r, PECAN_ECANCELED);
	return 0;
}

static int t_cancel_send(void)
{
	struct kt_thread s;
	l4_cap_t g = kt_main_gate(0xc1), rep = kt_main_gate(0xc2);
	KT_ASSERT(g && rep);
	KT_CHECK(spawn_job(&s, g, rep, 1, 1, PECAN_TIMEOUT_NEVER, 0, 0));
	KT_CHECK(kt_wait_state(s.cap, PECAN_THREAD_STATE_SENDING));
	KT_OK(l4_thread_ex_regs(s.cap, 0, 0, PECAN_EXREGS_CANCEL));
	uint64_t r[3];
	KT_REPORT(rep, 3, r);
	KT_ERR(r[0], PECAN_ECANCELED);
	pecan_msgtag_t tag;
	uint64_t label;
	KT_ERR(l4_ipc_receive(g, &tag, &label, PECAN_TIMEOUT_ZERO), PECAN_ETIMEOUT);
	return 0;
}

static int t_abort_callee_deleted(void)
{
	struct kt_thread srv, cl;
	l4_cap_t gs = kt_sel(), rep = kt_main_gate(0xde);
	KT_ASSERT(rep);
	KT_CHECK(kt_thread_create(&srv, 0, 0, 0));
	KT_OK(kt_thread_start(&srv, swallow_fn, srv.data));
	KT_OK(l4_factory_create_gate(F, gs, srv.cap, 5));
	KT_CHECK(spawn_job(&cl, gs, rep, 1, 1, PECAN_TIMEOUT_NEVER, 1, 0));
	if (wait_flag(srv.data))
		KT_FAIL("the server never received the call");
	KT_OK(kt_delete(srv.cap));
	uint64_t r[3];
	KT_REPORT(rep, 3, r);
	KT_ERR(r[0], PECAN_ECANCELED);
	return 0;
}

static int t_abort_gate_thread_deleted(void)
{
	struct kt_thread idle, s;
	l4_cap_t g = kt_sel(), rep = kt_main_gate(0xdf);
	KT_ASSERT(rep);
	KT_CHECK(kt_thread_create(&idle, 0, 0, 0));
	KT_OK(l4_factory_create_gate(F, g, idle.cap, 6));
	KT_CHECK(spawn_job(&s, g, rep, 1, 1, PECAN_TIMEOUT_NEVER, 0, 0));
	KT_CHECK(kt_wait_state(s.cap, PECAN_THREAD_STATE_SENDING));
	KT_OK(kt_delete(idle.cap));
	uint64_t r[3];
	KT_REPORT(rep, 3, r);
	KT_ERR(r[0], PECAN_ECANCELED);
	/* The gate outlives its thread; sending to it is canceled at once. */
	KT_ERR(l4_ipc_send(g, pecan_msgtag(1, 0, 0, 0), PECAN_TIMEOUT_ZERO), PECAN_ECANCELED);
	return 0;
}

static int t_abort_gate_deleted(void)
{
	struct kt_thread idle, s;
	l4_cap_t g = kt_sel(), rep = kt_main_gate(0xe0);
	KT_ASSERT(rep);
	KT_CHECK(kt_thread_create(&idle, 0, 0, 0));
	KT_OK(l4_factory_create_gate(F, g, idle.cap, 7));
	KT_CHECK(spawn_job(&s, g, rep, 1, 1, PECAN_TIMEOUT_NEVER, 0, 0));
	KT_CHECK(kt_wait_state(s.cap, PECAN_THREAD_STATE_SENDING));
	KT_OK(kt_delete(g));
	uint64_t r[3];
	KT_REPORT(rep, 3, r);
	KT_ERR(r[0], PECAN_ECANCELED);
	return 0;
}

static int t_reply_no_caller(void)
{
	KT_ERR(l4_ipc_reply(pecan_msgtag(0, 0, 0, 0)), PECAN_ECAP);
	KT_ERR(l4_ipc_reply(pecan_msgtag(0, 3, 0, 0)), PECAN_ECAP);
	return 0;
}

static int t_reply_caller_gone(void)
{
	struct kt_thread cl;
	l4_cap_t g = kt_main_gate(0x70), rep = kt_main_gate(0x71);
	KT_ASSERT(g && rep);
	KT_CHECK(spawn_job(&cl, g, rep, 0x72, 1, 20000, 1, 0));
	pecan_msgtag_t tag;
	uint64_t label;
	KT_OK(l4_ipc_receive(g, &tag, &label, KT_TIMEOUT));
	KT_EQ(pecan_msgtag_label(tag), 0x72);
	/* Wait for its receive phase to time out without receiving anything
	 * ourselves (that could replace the reply target): yield to it until
	 * it blocks sending its report. */
	uint64_t state = 0, prio, t0 = kt_ticks();
	while (state != PECAN_THREAD_STATE_SENDING && kt_ticks() - t0 < kt_hz) {
		KT_OK(l4_thread_yield(PECAN_CAP_THREAD));
		KT_OK(l4_thread_info(cl.cap, &state, &prio));
	}
	KT_EQ(state, PECAN_THREAD_STATE_SENDING);
	KT_ERR(l4_ipc_reply(pecan_msgtag(0, 0, 0, 0)), PECAN_ECANCELED);
	/* The target was consumed. */
	KT_ERR(l4_ipc_reply(pecan_msgtag(0, 0, 0, 0)), PECAN_ECAP);
	uint64_t r[3];
	KT_REPORT(rep, 3, r);
	KT_ERR(r[0], PECAN_ETIMEOUT);
	return 0;
}

const struct ktest ktest_ipc_abort[] = {
	{"ipc.timeout_zero", "zero timeouts poll: ETIMEOUT unless the partner is ready", t_timeout_zero},
	{"ipc.timeout_recv", "a 20 ms receive timeout lasts at least 20 ms", t_timeout_recv},
	{"ipc.timeout_send", "a 20 ms send timeout lasts at least 20 ms", t_timeout_send},
	{"ipc.timeout_never", "a receive without timeout waits for a late sender", t_timeout_never},
	{"ipc.cancel_receive", "EX_REGS CANCEL aborts a blocked receive with ECANCELED", t_cancel_receive},
	{"ipc.cancel_send", "EX_REGS CANCEL aborts a blocked send with ECANCELED", t_cancel_send},
	{"ipc.abort_callee_deleted", "a caller whose server is deleted gets ECANCELED", t_abort_callee_deleted},
	{"ipc.abort_gate_thread_deleted", "a sender blocked on a gate whose thread is deleted gets ECANCELED",
	 t_abort_gate_thread_deleted},
	{"ipc.abort_gate_deleted", "a sender blocked on a deleted gate gets ECANCELED", t_abort_gate_deleted},
	{"ipc.reply_no_caller", "reply without a caller gives ECAP", t_reply_no_caller},
	{"ipc.reply_caller_gone", "reply to a caller that timed out gives ECANCELED", t_reply_caller_gone},
	{0, 0, 0},
};
