/* Ready queues per priority with a bitmap, timeouts in a sorted list, the idle loop. */
#include "sched.h"
#include "boot_program.h"
#include "console.h"
#include "kobject.h"
#include "panic.h"
#include "task.h"
#include "thread.h"
#include "vcpu.h"
#include "pecan/errors.h"
#include "pecan/ops.h"
#include "pecan/syscall.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/switch.h"

struct thread *current;
bool need_resched;

static struct thread idle_thread;              /* runs on the boot stack; not a kernel object */
struct thread *ready_head[PECAN_PRIO_MAX + 1], *ready_tail[PECAN_PRIO_MAX + 1];
uint64_t ready_bits[4];                        /* bit p: queue p is not empty */
static volatile uint64_t ticks;

void sched_init(void)
{
	idle_thread.state = TS_READY;
	idle_thread.prio = 0;
	current = &idle_thread;
}

uint64_t sched_ticks(void) { return ticks; }

void sched_ready(struct thread *t, bool front)
{
	assert(t != &idle_thread && t->state != TS_DEAD);
	unsigned p = t->prio;
	t->state = TS_READY;
	if (front) {
		t->rq_prev = NULL;
		t->rq_next = ready_head[p];
		if (ready_head[p])
			ready_head[p]->rq_prev = t;
		else
			ready_tail[p] = t;
		ready_head[p] = t;
	} else {
		t->rq_next = NULL;
		t->rq_prev = ready_tail[p];
		if (ready_tail[p])
			ready_tail[p]->rq_next = t;
		else
			ready_head[p] = t;
		ready_tail[p] = t;
	}
	ready_bits[p / 64] |= 1ull << (p % 64);
	if (current == &idle_thread || p > current->prio)
		need_resched = true;
}

void sched_unready(struct thread *t)
{
	unsigned p = t->prio;
	if (t->rq_prev)
		t->rq_prev->rq_next = t->rq_next;
	else
		ready_head[p] = t->rq_next;
	if (t->rq_next)
		t->rq_next->rq_prev = t->rq_prev;
	else
		ready_tail[p] = t->rq_prev;
	t->rq_next = t->rq_prev = NULL;
	if (!ready_head[p])
		ready_bits[p / 64] &= ~(1ull << (p % 64));
}

static struct thread *pick(void)
{
	for (int w = 3; w >= 0; w--)
		if (ready_bits[w])
			return ready_head[w * 64 + 63 - __builtin_clzll(ready_bits[w])];
	return &idle_thread;
}

void sched_handoff(struct thread *cur, struct thread *next)
{
	unsigned p = cur->prio;
	if (next->prio == p) {
		/* next takes cur's place in the queue: a few stores instead of two queue operations */
		next->rq_prev = cur->rq_prev;
		next->rq_next = cur->rq_next;
		if (cur->rq_prev)
			cur->rq_prev->rq_next = next;
		else
			ready_head[p] = next;
		if (cur->rq_next)
			cur->rq_next->rq_prev = next;
		else
			ready_tail[p] = next;
		cur->rq_next = cur->rq_prev = NULL;
		next->state = TS_READY;
	} else {
		sched_unready(cur);
		sched_ready(next, true);
	}
	need_resched = false;
	current = next;
	if (next->ticks_left == 0)
		next->ticks_left = next->slice_ticks;
	arch_prepare_switch(cur, next);
	arch_switch(&cur->ksp, next->ksp);
}

void schedule(void)
{
	need_resched = false;
	struct thread *next = pick();
	if (next->ticks_left == 0)
		next->ticks_left = next->slice_ticks; /* also when it is picked again: a new slice */
	if (next == current)
		return;
	struct thread *prev = current;
	current = next;
	arch_prepare_switch(prev, next);
	arch_switch(&prev->ksp, next->ksp);
	/* back on prev's stack: someone chose prev again */
}

void sched_yield(void)
{
	struct thread *t = current;
	if (t == &idle_thread || t->state != TS_READY)
		return;
	sched_unready(t);
	sched_ready(t, false);
	t->ticks_left = t->slice_ticks;
	schedule();
}

/*
 * Timeouts live in a wheel of unsorted lists indexed by the wakeup tick:
 * arming and cancelling are O(1), which matters because IPC arms one on
 * every blocking call with a finite timeout. Each tick looks at one bucket.
 */
#define WHEEL_SLOTS 256
static struct thread *wheel[WHEEL_SLOTS];
static unsigned armed; /* threads with a timeout */

void sched_set_timeout(struct thread *t, uint64_t us)
{
	if (us == PECAN_TIMEOUT_NEVER)
		return;
	uint64_t delta = (us + (1000000 / SCHED_HZ) - 1) / (1000000 / SCHED_HZ);
	if (delta == 0)
		delta = 1;
	if (delta > (1ull << 48))
		delta = 1ull << 48; /* some thousand years: far enough, and no overflow */
	t->wakeup = ticks + delta + 1; /* +1: the current tick is partly gone already */
	struct thread **head = &wheel[t->wakeup % WHEEL_SLOTS];
	t->to_prev = NULL;
	t->to_next = *head;
	if (*head)
		(*head)->to_prev = t;
	*head = t;
	armed++;
}

void sched_cancel_timeout(struct thread *t)
{
	if (!t->wakeup)
		return;
	if (t->to_prev)
		t->to_prev->to_next = t->to_next;
	else
		wheel[t->wakeup % WHEEL_SLOTS] = t->to_next;
	if (t->to_next)
		t->to_next->to_prev = t->to_prev;
	t->to_next = t->to_prev = NULL;
	t->wakeup = 0;
	armed--;
}

bool sched_has_timeouts(void) { return armed != 0; }

void sched_tick(void)
{
	ticks++;
	for (struct thread *t = wheel[ticks % WHEEL_SLOTS], *next; t; t = next) {
		next = t->to_next;
		if (t->wakeup > ticks)
			continue; /* a later round of the wheel */
		sched_cancel_timeout(t);
		thread_abort_ipc(t, PECAN_ETIMEOUT);
	}
	struct thread *c = current;
	if (c != &idle_thread && c->state == TS_READY && c->ticks_left && --c->ticks_left == 0) {
		/* slice used up: to the tail of its priority */
		sched_unready(c);
		sched_ready(c, false);
		need_resched = true;
	}
}

void sched_before_user(void)
{
	if (kobject_pending())
		kobject_destroy_pending();
	while (need_resched || current->state != TS_READY)
		schedule();
	if (current->vcpu_task && current->irq_pending)
		vcpu_check_irqs(current);
}

void sched_idle_loop(void)
{
	for (;;) {
		kobject_destroy_pending();
		thread_reap();
		boot_program_poll();
		if (pick() != &idle_thread) {
			schedule();
			continue;
		}
		if (boot_program_stuck())
			continue;
		cpu_idle(); /* an interrupt may make a thread ready */
	}
}
