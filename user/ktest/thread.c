/* ktest: every operation of the thread object — CONTROL, EX_REGS, SCHED, INFO, YIELD — with its error paths. */
#include "ktest.h"

#define F PECAN_CAP_FACTORY

/* ---- thread ---------------------------------------------------------------- */
struct send_arg {
	l4_cap_t gate;
};

static void blocked_send_fn(void *p)
{
	struct send_arg *a = p;
	l4_ipc_send(a->gate, pecan_msgtag(1, 0, 0, 0), PECAN_TIMEOUT_NEVER);
	kt_park();
}

static int t_thread_info_states(void)
{
	struct kt_thread recv, send, spin;
	uint64_t state, prio;
	l4_cap_t unbound = kt_sel();
	KT_OK(l4_factory_create(F, PECAN_FACTORY_CREATE_THREAD, unbound));
	KT_OK(l4_thread_info(unbound, &state, &prio));
	KT_EQ(state, PECAN_THREAD_STATE_INACTIVE);
	KT_EQ(prio, PECAN_PRIO_DEFAULT);
	KT_CHECK(kt_thread_create(&recv, 0, 0, 0));
	KT_OK(l4_thread_info(recv.cap, &state, &prio));
	KT_EQ(state, PECAN_THREAD_STATE_INACTIVE);
	KT_OK(kt_thread_start(&recv, kt_park_fn, 0));
	KT_CHECK(kt_wait_state(recv.cap, PECAN_THREAD_STATE_RECEIVING));

	l4_cap_t g = kt_main_gate(2);
	KT_ASSERT(g);
	KT_CHECK(kt_thread_create(&send, 0, 0, 0));
	struct send_arg *sa = send.data;
	sa->gate = g;
	KT_OK(kt_thread_start(&send, blocked_send_fn, sa));
	KT_CHECK(kt_wait_state(send.cap, PECAN_THREAD_STATE_SENDING));

	KT_CHECK(kt_thread_create(&spin, 0, 0, 0));
	KT_OK(kt_thread_start(&spin, kt_spin_fn, spin.data));
	KT_OK(l4_thread_info(spin.cap, &state, &prio));
	KT_EQ(state, PECAN_THREAD_STATE_READY);
	KT_OK(l4_thread_ex_regs(spin.cap, 0, 0, PECAN_EXREGS_STOP));
	KT_OK(l4_thread_info(spin.cap, &state, &prio));
	KT_EQ(state, PECAN_THREAD_STATE_INACTIVE);
	/* The sender's message is still there for the taking. */
	pecan_msgtag_t tag;
	uint64_t label;
	KT_OK(l4_ipc_receive(g, &tag, &label, PECAN_TIMEOUT_ZERO));
	KT_EQ(label, 2);
	KT_CHECK(kt_wait_state(send.cap, PECAN_THREAD_STATE_RECEIVING));
	return 0;
}

static int t_thread_stop_start(void)
{
	struct kt_thread spin;
	volatile uint64_t *count;
	KT_CHECK(kt_thread_create(&spin, 0, 0, 0));
	count = spin.data;
	KT_OK(kt_thread_start(&spin, kt_spin_fn, spin.data));
	kt_sleep_us(3000);
	KT_ASSERT(*count > 0);
	KT_OK(l4_thread_ex_regs(spin.cap, 0, 0, PECAN_EXREGS_STOP));
	uint64_t c = *count;
	kt_sleep_us(5000);
	KT_EQ(*count, c);
	KT_OK(l4_thread_ex_regs(spin.cap, 0, 0, PECAN_EXREGS_START)); /* resumes where it stopped */
	kt_sleep_us(5000);
	KT_ASSERT(*count > c);
	return 0;
}

static int t_thread_control_errors(void)
{
	uint64_t state, prio;
	l4_cap_t th = kt_sel(), irq = kt_sel();
	KT_OK(l4_factory_create(F, PECAN_FACTORY_CREATE_THREAD, th));
	KT_OK(l4_factory_create(F, PECAN_FACTORY_CREATE_IRQ, irq));
	uint64_t utcb = KT_UTCB_BASE + 0x1ff000; /* the last slot: never used by kt_thread_create in one run */
	uint64_t args[4] = {PECAN_CAP_TASK, utcb, 0, 0};
	KT_ERR(l4_invoke(th, PECAN_THREAD_CONTROL, args, 3, 0, 0), PECAN_EINVAL);
	KT_ERR(l4_thread_control(th, irq, utcb, 0, 0), PECAN_ECAP);
	KT_ERR(l4_thread_control(th, PECAN_CAP_TASK, utcb + 8, 0, 0), PECAN_EFAULT);
	KT_ERR(l4_thread_control(th, PECAN_CAP_TASK, 0xffff800000000000ull, 0, 0), PECAN_EFAULT);
	KT_ERR(l4_thread_control(th, PECAN_CAP_TASK, 0x0000800000000000ull, 0, 0), PECAN_EFAULT);
	uint64_t code = (uint64_t)__executable_start & ~0xfffull;
	KT_ERR(l4_thread_control(th, PECAN_CAP_TASK, code, 0, 0), PECAN_EBUSY);
	KT_ERR(l4_thread_control(th, PECAN_CAP_TASK, PECAN_BOOT_UTCB, 0, 0), PECAN_EBUSY);
	KT_OK(l4_thread_info(th, &state, &prio));
	KT_EQ(state, PECAN_THREAD_STATE_INACTIVE);
	KT_ERR(l4_thread_ex_regs(th, (uint64_t)kt_park_fn, 0, PECAN_EXREGS_SET_IP | PECAN_EXREGS_START),
	       PECAN_EINVAL); /* still unbound */
	KT_OK(l4_thread_control(th, PECAN_CAP_TASK, utcb, 0, 0));
	KT_ERR(l4_thread_control(th, PECAN_CAP_TASK, utcb - 0x1000, 0, 0), PECAN_EBUSY);
	/* Another thread cannot take the same UTCB page. */
	l4_cap_t th2 = kt_sel();
	KT_OK(l4_factory_create(F, PECAN_FACTORY_CREATE_THREAD, th2));
	KT_ERR(l4_thread_control(th2, PECAN_CAP_TASK, utcb, 0, 0), PECAN_EBUSY);
	/* Task 0 keeps the binding and only changes pager and handler (UTCB argument assumed ignored). */
	KT_OK(l4_thread_control(th, 0, 0, KT_CSEL_FAULT, KT_CSEL_FAULT));
	return 0;
}

static int t_thread_exregs_errors(void)
{
	l4_cap_t th = kt_sel();
	KT_OK(l4_factory_create(F, PECAN_FACTORY_CREATE_THREAD, th));
	KT_ERR(l4_thread_ex_regs(th, 0, 0, PECAN_EXREGS_START), PECAN_EINVAL);
	uint64_t args[3] = {0, 0, PECAN_EXREGS_START};
	KT_ERR(l4_invoke(th, PECAN_THREAD_EX_REGS, args, 2, 0, 0), PECAN_EINVAL);
	uint64_t state, prio;
	KT_OK(l4_thread_info(th, &state, &prio));
	KT_EQ(state, PECAN_THREAD_STATE_INACTIVE);
	/* Stopping or canceling a thread that does nothing is harmless. */
	struct kt_thread t;
	KT_CHECK(kt_thread_create(&t, 0, 0, 0));
	KT_OK(l4_thread_ex_regs(t.cap, 0, 0, PECAN_EXREGS_CANCEL));
	KT_OK(l4_thread_ex_regs(t.cap, 0, 0, PECAN_EXREGS_STOP));
	KT_OK(l4_thread_info(t.cap, &state, &prio));
	KT_EQ(state, PECAN_THREAD_STATE_INACTIVE);
	return 0;
}

static int t_thread_rights(void)
{
	struct kt_thread t;
	KT_CHECK(kt_thread_create(&t, 0, 0, 0));
	l4_cap_t r = kt_sel(), w = kt_sel();
	KT_OK(kt_map_self(t.cap, PECAN_CAP_R, r));
	KT_OK(kt_map_self(t.cap, PECAN_CAP_W, w));
	uint64_t state, prio;
	KT_ERR(l4_thread_control(r, 0, 0, 0, 0), PECAN_EPERM);
	KT_ERR(l4_thread_ex_regs(r, 0, 0, PECAN_EXREGS_STOP), PECAN_EPERM);
	KT_ERR(l4_thread_sched(r, 50, 0), PECAN_EPERM);
	KT_OK(l4_thread_info(r, &state, &prio));
	KT_EQ(prio, PECAN_PRIO_DEFAULT); /* the failed sched changed nothing */
	KT_OK(l4_thread_yield(r));
	KT_ERR(l4_thread_info(w, &state, &prio), PECAN_EPERM);
	KT_ERR(l4_thread_yield(w), PECAN_EPERM);
	KT_OK(l4_thread_sched(w, 60, 0));
	KT_OK(l4_thread_info(r, &state, &prio));
	KT_EQ(prio, 60);
	return 0;
}

struct sched_arg {
	l4_cap_t target, report;
};

static void sched_other_fn(void *p)
{
	struct sched_arg *a = p;
	uint64_t r[2];
	r[0] = (uint64_t)l4_thread_sched(a->target, 60, 0);
	r[1] = (uint64_t)l4_thread_sched(a->target, 40, 0);
	kt_report(a->report, 2, r);
	kt_park();
}

static int t_thread_sched(void)
{
	struct kt_thread t, low;
	uint64_t state, prio;
	KT_CHECK(kt_thread_create(&t, 0, 0, 0));
	KT_ERR(l4_thread_sched(t.cap, PECAN_PRIO_DEFAULT + 1, 0), PECAN_EPERM);
	KT_ERR(l4_thread_sched(t.cap, PECAN_PRIO_MAX, 0), PECAN_EPERM);
	KT_ERR(l4_thread_sched(PECAN_CAP_THREAD, PECAN_PRIO_DEFAULT + 1, 0), PECAN_EPERM);
	uint64_t args[2] = {50, 0};
	KT_ERR(l4_invoke(t.cap, PECAN_THREAD_SCHED, args, 1, 0, 0), PECAN_EINVAL);
	KT_OK(l4_thread_info(t.cap, &state, &prio));
	KT_EQ(prio, PECAN_PRIO_DEFAULT);
	KT_OK(l4_thread_sched(t.cap, 50, 0));
	KT_OK(l4_thread_info(t.cap, &state, &prio));
	KT_EQ(prio, 50);
	KT_OK(l4_thread_sched(t.cap, 0, 20000));
	KT_OK(l4_thread_info(t.cap, &state, &prio));
	KT_EQ(prio, 0);
	KT_OK(l4_thread_sched(t.cap, PECAN_PRIO_DEFAULT, 0));
	/* The limit is the caller's priority: a thread at 50 may not set 60. */
	l4_cap_t rep = kt_main_gate(3);
	KT_ASSERT(rep);
	KT_CHECK(kt_thread_create(&low, 0, 0, 0));
	KT_OK(l4_thread_sched(low.cap, 50, 0));
	struct sched_arg *a = low.data;
	a->target = t.cap;
	a->report = rep;
	KT_OK(kt_thread_start(&low, sched_other_fn, a));
	uint64_t r[2];
	KT_REPORT(rep, 2, r);
	KT_ERR(r[0], PECAN_EPERM);
	KT_ERR(r[1], PECAN_OK);
	KT_OK(l4_thread_info(t.cap, &state, &prio));
	KT_EQ(prio, 40);
	return 0;
}

const struct ktest ktest_thread[] = {
	{"thread.info_states", "THREAD_INFO: inactive, receiving, sending, ready, stopped", t_thread_info_states},
	{"thread.stop_start", "EX_REGS STOP halts a spinning thread, START resumes it", t_thread_stop_start},
	{"thread.control_errors", "CONTROL: bad UTCB (EFAULT/EBUSY), wrong task (ECAP), twice (EBUSY)", t_thread_control_errors},
	{"thread.exregs_errors", "EX_REGS: starting an unbound thread (EINVAL), missing words", t_thread_exregs_errors},
	{"thread.rights", "CONTROL/EX_REGS/SCHED need W, INFO/YIELD need R", t_thread_rights},
	{"thread.sched", "SCHED above the caller's priority gives EPERM; INFO shows the priority", t_thread_sched},
	{0, 0, 0},
};
