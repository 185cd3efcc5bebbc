/* ktest: scheduling — preemption by a higher priority on time, strict priorities, round robin, yield. */
#include "ktest.h"

/* Lateness a wakeup may have, in ticks: the tick it expires in, interrupt
 * delivery under emulation, and the switch. */
#define SLACK_TICKS 3

static int t_preempt(void)
{
	struct kt_thread low;
	KT_CHECK(kt_thread_create(&low, 0, 0, 0));
	volatile uint64_t *count = low.data;
	/* A long slice: without preemption the main thread would wait ~100 ms. */
	KT_OK(l4_thread_sched(low.cap, 50, 100000));
	KT_OK(kt_thread_start(&low, kt_spin_fn, low.data));
	uint64_t last = *count, want = kt_us_to_ticks(5000);
	for (int i = 0; i < 10; i++) {
		uint64_t t0 = kt_ticks();
		kt_sleep_us(5000);
		uint64_t t1 = kt_ticks(), c = *count;
		if (t1 - t0 < want || t1 - t0 > want + SLACK_TICKS)
			KT_FAIL("wakeup %d: a 5 ms sleep took %lu ticks (%lu Hz) with a spinning low-priority thread", i,
				t1 - t0, kt_hz);
		if (c <= last)
			KT_FAIL("wakeup %d: the low-priority thread made no progress (%lu)", i, c);
		last = c;
	}
	return 0;
}

static int t_priority_strict(void)
{
	struct kt_thread low;
	KT_CHECK(kt_thread_create(&low, 0, 0, 0));
	volatile uint64_t *count = low.data;
	KT_OK(l4_thread_sched(low.cap, 90, 0));
	KT_OK(kt_thread_start(&low, kt_spin_fn, low.data));
	/* While the main thread is ready, a lower priority never runs. */
	uint64_t t0 = kt_ticks();
	while (kt_ticks() - t0 < kt_us_to_ticks(20000))
		;
	KT_EQ(*count, 0);
	kt_sleep_us(3000);
	KT_ASSERT(*count > 0);
	return 0;
}

static int t_round_robin(void)
{
	struct kt_thread a, b;
	KT_CHECK(kt_thread_create(&a, 0, 0, 0));
	KT_CHECK(kt_thread_create(&b, 0, 0, 0));
	volatile uint64_t *ca = a.data, *cb = b.data;
	KT_OK(l4_thread_sched(a.cap, 90, 0));
	KT_OK(l4_thread_sched(b.cap, 90, 0));
	KT_OK(kt_thread_start(&a, kt_spin_fn, a.data));
	KT_OK(kt_thread_start(&b, kt_spin_fn, b.data));
	uint64_t la = 0, lb = 0;
	for (int i = 0; i < 2; i++) {
		kt_sleep_us(100000);
		uint64_t xa = *ca, xb = *cb;
		if (xa <= la || xb <= lb)
			KT_FAIL("round %d: two spinning threads of one priority: %lu -> %lu and %lu -> %lu in 100 ms", i,
				la, xa, lb, xb);
		la = xa;
		lb = xb;
	}
	return 0;
}

static int t_slice_main(void)
{
	struct kt_thread t;
	KT_CHECK(kt_thread_create(&t, 0, 0, 0));
	volatile uint64_t *count = t.data;
	/* First alone at its priority for more than a slice: the slice ends
	 * with no one to take over, and a new one must begin. */
	uint64_t t0 = kt_ticks();
	while (kt_ticks() - t0 < kt_us_to_ticks(25000))
		;
	KT_OK(kt_thread_start(&t, kt_spin_fn, t.data));
	/* The main thread stays ready (kernel calls only, no blocking) for
	 * five slices: the other thread of its priority must get its turns. */
	t0 = kt_ticks();
	while (kt_ticks() - t0 < kt_us_to_ticks(50000))
		;
	if (*count == 0)
		KT_FAIL("a thread of the main thread's priority did not run in 50 ms while the main thread was ready");
	return 0;
}

static void yield_fn(void *p)
{
	volatile uint64_t *count = p;
	for (;;) {
		(*count)++;
		l4_thread_yield(PECAN_CAP_THREAD);
	}
}

static int t_yield(void)
{
	struct kt_thread t;
	KT_CHECK(kt_thread_create(&t, 0, 0, 0));
	volatile uint64_t *count = t.data;
	KT_OK(kt_thread_start(&t, yield_fn, t.data));
	/* Equal priorities, no blocking: only yields let the other run. */
	for (int i = 0; i < 20; i++)
		KT_OK(l4_thread_yield(PECAN_CAP_THREAD));
	if (*count < 10)
		KT_FAIL("20 yields let the other thread of the same priority run %lu times", *count);
	return 0;
}

const struct ktest ktest_sched[] = {
	{"sched.preempt", "a sleeping thread preempts a spinning lower one on time, every time", t_preempt},
	{"sched.priority_strict", "a lower priority does not run while a higher one is ready", t_priority_strict},
	{"sched.round_robin", "two spinning threads of one priority both make progress", t_round_robin},
	{"sched.slice_main", "the main thread, always ready, shares the CPU with its priority", t_slice_main},
	{"sched.yield", "YIELD hands the CPU to a ready thread of the same priority", t_yield},
	{0, 0, 0},
};
