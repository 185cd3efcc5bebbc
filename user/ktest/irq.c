/* ktest: IRQ objects — software triggers, delivery as messages, pending collapse, closed waits; the ICU. */
#include "ktest.h"

#define F PECAN_CAP_FACTORY
#define COM1_LINE 4

/* A new software IRQ, bound to thread with label (thread 0: unbound); 0 on error (recorded). */
static l4_cap_t irq_new(l4_cap_t thread, uint64_t label)
{
	l4_cap_t irq = kt_sel();
	long err = irq ? l4_factory_create(F, PECAN_FACTORY_CREATE_IRQ, irq) : PECAN_EINVAL;
	if (!err && thread)
		err = l4_irq_bind(irq, thread, label);
	if (err) {
		kt_fail(__FILE__, __LINE__, "create and bind an IRQ: %s", l4_strerror(err));
		return 0;
	}
	return irq;
}

static int t_irq_trigger(void)
{
	l4_cap_t irq = irq_new(PECAN_CAP_THREAD, 0x1e0);
	KT_ASSERT(irq);
	pecan_msgtag_t tag;
	uint64_t label;
	KT_ERR(l4_ipc_wait(&tag, &label, PECAN_TIMEOUT_ZERO), PECAN_ETIMEOUT);
	KT_OK(l4_irq_trigger(irq));
	KT_OK(l4_ipc_wait(&tag, &label, KT_TIMEOUT));
	KT_EQ(label, 0x1e0);
	KT_EQ(pecan_msgtag_label(tag), 0);
	KT_EQ(pecan_msgtag_words(tag), 0);
	KT_EQ(pecan_msgtag_items(tag), 0);
	KT_ERR(l4_ipc_wait(&tag, &label, PECAN_TIMEOUT_ZERO), PECAN_ETIMEOUT);
	/* A second trigger after the delivery is a new interrupt. */
	KT_OK(l4_irq_trigger(irq));
	KT_OK(l4_ipc_wait(&tag, &label, KT_TIMEOUT));
	KT_EQ(label, 0x1e0);
	return 0;
}

static int t_irq_pending_collapse(void)
{
	l4_cap_t irq = irq_new(PECAN_CAP_THREAD, 0x1e1);
	KT_ASSERT(irq);
	pecan_msgtag_t tag;
	uint64_t label;
	for (int i = 0; i < 3; i++)
		KT_OK(l4_irq_trigger(irq));
	KT_OK(l4_ipc_receive(irq, &tag, &label, KT_TIMEOUT));
	KT_EQ(label, 0x1e1);
	KT_ERR(l4_ipc_receive(irq, &tag, &label, PECAN_TIMEOUT_ZERO), PECAN_ETIMEOUT);
	KT_ERR(l4_ipc_wait(&tag, &label, PECAN_TIMEOUT_ZERO), PECAN_ETIMEOUT);
	return 0;
}

static int t_irq_closed_wait(void)
{
	struct kt_thread other;
	l4_cap_t a = irq_new(PECAN_CAP_THREAD, 0xa), b = irq_new(PECAN_CAP_THREAD, 0xb);
	KT_ASSERT(a && b);
	pecan_msgtag_t tag;
	uint64_t label;
	KT_OK(l4_irq_trigger(a));
	KT_OK(l4_irq_trigger(b));
	KT_OK(l4_ipc_receive(b, &tag, &label, KT_TIMEOUT));
	KT_EQ(label, 0xb);
	KT_OK(l4_ipc_receive(a, &tag, &label, KT_TIMEOUT));
	KT_EQ(label, 0xa);
	KT_ERR(l4_ipc_receive(a, &tag, &label, PECAN_TIMEOUT_ZERO), PECAN_ETIMEOUT);
	/* An IRQ bound to another thread. */
	KT_CHECK(kt_thread_spawn(&other, 0, PECAN_PRIO_DEFAULT, 0, 0, kt_park_fn, 0));
	l4_cap_t c = irq_new(other.cap, 0xc);
	KT_ASSERT(c);
	KT_ERR(l4_ipc_receive(c, &tag, &label, PECAN_TIMEOUT_ZERO), PECAN_EINVAL);
	return 0;
}

/* Sends one message on the gate in arg[0], then parks. */
static void send_once_fn(void *p)
{
	uint64_t *arg = p;
	l4_ipc_send(arg[0], pecan_msgtag(0x5e, 0, 0, 0), KT_TIMEOUT);
	kt_park();
}

static int t_irq_before_senders(void)
{
	struct kt_thread snd;
	l4_cap_t g = kt_main_gate(0x9a), irq = irq_new(PECAN_CAP_THREAD, 0x9b);
	KT_ASSERT(g && irq);
	/* A sender queued first, then the IRQ: the open wait takes the IRQ first. */
	KT_CHECK(kt_thread_create(&snd, 0, 0, 0));
	uint64_t *arg = snd.data;
	arg[0] = g;
	KT_OK(kt_thread_start(&snd, send_once_fn, arg));
	KT_CHECK(kt_wait_state(snd.cap, PECAN_THREAD_STATE_SENDING));
	KT_OK(l4_irq_trigger(irq));
	pecan_msgtag_t tag;
	uint64_t label;
	KT_OK(l4_ipc_wait(&tag, &label, KT_TIMEOUT));
	KT_EQ(label, 0x9b);
	KT_OK(l4_ipc_wait(&tag, &label, KT_TIMEOUT));
	KT_EQ(label, 0x9a);
	KT_EQ(pecan_msgtag_label(tag), 0x5e);
	return 0;
}

struct irq_waiter {
	l4_cap_t report;
};

static void irq_wait_fn(void *p)
{
	struct irq_waiter *w = p;
	pecan_msgtag_t tag = 0;
	uint64_t label = 0;
	long err = l4_ipc_wait(&tag, &label, KT_TIMEOUT);
	uint64_t r[3] = {(uint64_t)err, label, tag};
	kt_report(w->report, 3, r);
	kt_park();
}

static int t_irq_other_thread(void)
{
	struct kt_thread w;
	l4_cap_t rep = kt_main_gate(0x3e);
	KT_ASSERT(rep);
	KT_CHECK(kt_thread_create(&w, 0, 0, 0));
	struct irq_waiter *a = w.data;
	a->report = rep;
	l4_cap_t irq = irq_new(w.cap, 0x1e2);
	KT_ASSERT(irq);
	KT_OK(kt_thread_start(&w, irq_wait_fn, a));
	KT_CHECK(kt_wait_state(w.cap, PECAN_THREAD_STATE_RECEIVING));
	KT_OK(l4_irq_trigger(irq));
	uint64_t r[3];
	KT_REPORT(rep, 3, r);
	KT_ERR(r[0], PECAN_OK);
	KT_EQ(r[1], 0x1e2);
	KT_EQ(pecan_msgtag_words(r[2]), 0);
	return 0;
}

static int t_irq_unbind(void)
{
	struct kt_thread t;
	pecan_msgtag_t tag;
	uint64_t label;
	l4_cap_t irq = irq_new(PECAN_CAP_THREAD, 0x1e3);
	KT_ASSERT(irq);
	KT_OK(l4_irq_unbind(irq));
	KT_OK(l4_irq_trigger(irq));
	KT_ERR(l4_ipc_wait(&tag, &label, PECAN_TIMEOUT_ZERO), PECAN_ETIMEOUT);
	/* Deleting the bound thread unbinds it: the IRQ stays usable. */
	KT_CHECK(kt_thread_create(&t, 0, 0, 0));
	l4_cap_t irq2 = irq_new(t.cap, 0x1e4);
	KT_ASSERT(irq2);
	KT_OK(kt_delete(t.cap));
	KT_OK(l4_irq_trigger(irq2));
	KT_OK(l4_irq_bind(irq2, PECAN_CAP_THREAD, 0x1e5));
	KT_OK(l4_irq_trigger(irq2));
	KT_OK(l4_ipc_receive(irq2, &tag, &label, KT_TIMEOUT));
	KT_EQ(label, 0x1e5);
	return 0;
}

static int t_irq_errors(void)
{
	l4_cap_t irq = irq_new(0, 0), r = kt_sel(), w = kt_sel();
	KT_ASSERT(irq);
	KT_OK(kt_map_self(irq, PECAN_CAP_R, r));
	KT_OK(kt_map_self(irq, PECAN_CAP_W, w));
	uint64_t args[2] = {PECAN_CAP_THREAD, 1};
	KT_ERR(l4_invoke(irq, PECAN_IRQ_BIND, args, 1, 0, 0), PECAN_EINVAL);
	KT_ERR(l4_irq_bind(r, PECAN_CAP_THREAD, 1), PECAN_EPERM);
	KT_ERR(l4_irq_unbind(r), PECAN_EPERM);
	KT_ERR(l4_irq_trigger(w), PECAN_EPERM);
	KT_ERR(l4_irq_unmask(w), PECAN_EPERM);
	KT_OK(l4_irq_bind(w, PECAN_CAP_THREAD, 1));
	KT_OK(l4_irq_trigger(r));
	pecan_msgtag_t tag;
	uint64_t label;
	KT_OK(l4_ipc_receive(irq, &tag, &label, KT_TIMEOUT));
	KT_EQ(label, 1);
	return 0;
}

static int t_icu_attach(void)
{
	l4_cap_t a = irq_new(0, 0), b = irq_new(0, 0), r = kt_sel();
	KT_ASSERT(a && b);
	KT_OK(kt_map_self(PECAN_CAP_ICU, PECAN_CAP_R, r));
	KT_ERR(l4_icu_attach(r, COM1_LINE, a), PECAN_EPERM);
	KT_ERR(l4_icu_attach(PECAN_CAP_ICU, 16, a), PECAN_EINVAL);
	KT_ERR(l4_icu_attach(PECAN_CAP_ICU, 255, a), PECAN_EINVAL);
	uint64_t args[2] = {COM1_LINE, a};
	KT_ERR(l4_invoke(PECAN_CAP_ICU, PECAN_ICU_ATTACH, args, 1, 0, 0), PECAN_EINVAL);
	KT_OK(l4_icu_attach(PECAN_CAP_ICU, COM1_LINE, a));
	KT_ERR(l4_icu_attach(PECAN_CAP_ICU, COM1_LINE, b), PECAN_EBUSY);
	KT_ERR(l4_icu_detach(r, COM1_LINE), PECAN_EPERM);
	KT_OK(l4_irq_unmask(a));
	KT_OK(l4_icu_detach(PECAN_CAP_ICU, COM1_LINE));
	KT_OK(l4_icu_attach(PECAN_CAP_ICU, COM1_LINE, b));
	/* Deleting an attached IRQ detaches its line. */
	KT_OK(kt_delete(b));
	KT_OK(l4_icu_attach(PECAN_CAP_ICU, COM1_LINE, a));
	KT_OK(l4_icu_detach(PECAN_CAP_ICU, COM1_LINE));
	return 0;
}

const struct ktest ktest_irq[] = {
	{"irq.trigger", "a triggered IRQ arrives as a message with its label and no words", t_irq_trigger},
	{"irq.pending_collapse", "triggers while pending collapse into one delivery", t_irq_pending_collapse},
	{"irq.closed_wait", "a closed wait takes only its IRQ; one bound elsewhere gives EINVAL", t_irq_closed_wait},
	{"irq.before_senders", "an open wait takes a pending IRQ before a queued sender", t_irq_before_senders},
	{"irq.other_thread", "an IRQ bound to a waiting thread wakes it", t_irq_other_thread},
	{"irq.unbind", "an unbound IRQ delivers nothing; deleting its thread unbinds it", t_irq_unbind},
	{"irq.errors", "BIND/UNBIND need W, TRIGGER/UNMASK need R, missing words", t_irq_errors},
	{"icu.attach", "ICU attach COM1's line, twice (EBUSY), detach, bad lines, rights", t_icu_attach},
	{0, 0, 0},
};
