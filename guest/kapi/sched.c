/* Module API: current, wait queues, mutexes, jiffies and delays, timers, work queues and kthreads, run from lx's timer tick. */
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/wait.h>
#include <linux/mutex.h>
#include <linux/delay.h>
#include <linux/timer.h>
#include <linux/workqueue.h>
#include <linux/kthread.h>
#include <linux/completion.h>
#include <linux/slab.h>
#include "kapi/kapi.h"
#include "kapi/internal.h"
#include "lx.h"
#include "sel.h"

/*
 * The model (docs/modules.md). Module code runs in one of three places:
 *
 *  - a system call of a process (insmod's init, rmmod's exit, a file
 *    operation): current is that process. A file operation sleeps by
 *    ending and running again when woken (chrdev.c); init and exit cannot
 *    sleep that way, so while they wait lx runs the kthreads, timers and
 *    work that could end the wait ("pumping"), for at most PUMP_LIMIT;
 *  - a kthread: a coroutine with its own stack, switched to from lx's
 *    timer tick; it sleeps by switching back;
 *  - a timer or a work item: called from lx's timer tick with no process
 *    (current is pid 0); they must not sleep.
 *
 * One CPU, no preemption inside lx: code runs until it returns or sleeps.
 */


/*
 * Time: jiffies are lx's ticks (HZ = 100, its timer), plus the time lx
 * itself slept for modules (below): lx counts ticks only while it handles
 * interrupts, which it does not inside a system call, so a delay there
 * would otherwise stand still.
 *
 * A delay in lx (udelay, mdelay, msleep outside a kthread) blocks lx's
 * thread in a closed receive from an IRQ that is never triggered, with
 * the delay as its timeout: nothing else of lx runs meanwhile (its own
 * interrupts wait), as a busy wait would, but the CPU is free.
 */
static uint64_t sleep_irq;      /* 0: not made yet; ~0: could not be made */
static uint64_t slept_us;

static void lx_sleep_us(uint64_t us)
{
	if (!sleep_irq) {
		uint64_t sel = lx_sel_alloc();
		sleep_irq = sel && !l4_factory_create(PECAN_RT_CAP_FACTORY, PECAN_FACTORY_CREATE_IRQ, sel) &&
					    !l4_irq_bind(sel, PECAN_RT_CAP_THREAD, 0x6b6d6f64 /* "kmod" */)
				    ? sel
				    : ~0ull;
		if (sleep_irq == ~0ull)
			pr_warn("lx: no IRQ for module delays: they do not wait\n");
	}
	if (sleep_irq != ~0ull && us) {
		pecan_msgtag_t tag;
		uint64_t label;
		l4_ipc_receive(sleep_irq, &tag, &label, us);
	}
	slept_us += us;
}

u64 get_jiffies_64(void) { return lx_ticks() + slept_us / (USEC_PER_SEC / HZ); }
EXPORT_SYMBOL(get_jiffies_64);

/* Milliseconds, for the limits below. */
static uint64_t clock_ms(void) { return get_jiffies_64() * (MSEC_PER_SEC / HZ); }

void udelay(unsigned long usecs) { lx_sleep_us(usecs); }
EXPORT_SYMBOL(udelay);

void ndelay(unsigned long nsecs) { lx_sleep_us((nsecs + 999) / 1000); }
EXPORT_SYMBOL(ndelay);

/* ---- kthreads ---- */

enum kstate { K_NEW, K_RUNNABLE, K_SLEEPING, K_DONE };
#define KTHREAD_STACK (32 * 1024)

struct kthread {
	struct task_struct task;
	struct list_head node;
	enum kstate state;
	void *sp;                      /* saved while switched out */
	uint8_t *stack;
	int (*fn)(void *data);
	void *data;
	const void *channel;           /* sleeping on (NULL: only a timeout or wake_up_process) */
	u64 wake_at;                   /* jiffies; 0: no timeout */
	bool timed_out;
	bool should_stop;
	int result;
	struct lx_module *owner;
};

static LIST_HEAD(kthreads);
static struct kthread *kthread_running;
static void *lx_sp;                     /* lx's stack while a kthread runs */
static int next_kpid = 10000;

/* Saves the callee-saved registers and the stack pointer in *save, switches to stack sp. */
void kapi_switch(void **save, void *sp);
__asm__(".text\n"
	".globl kapi_switch\n"
	"kapi_switch:\n"
	"	pushq %rbp\n	pushq %rbx\n	pushq %r12\n	pushq %r13\n	pushq %r14\n	pushq %r15\n"
	"	movq %rsp, (%rdi)\n"
	"	movq %rsi, %rsp\n"
	"	popq %r15\n	popq %r14\n	popq %r13\n	popq %r12\n	popq %rbx\n	popq %rbp\n"
	"	ret\n");

static void __noreturn kthread_finish(int result)
{
	struct kthread *k = kthread_running;
	k->result = result;
	k->state = K_DONE;
	kapi_kthread_wake(k); /* kthread_stop waits on it */
	kapi_switch(&k->sp, lx_sp);
	__builtin_unreachable();
}

static void kthread_entry(void)
{
	struct kthread *k = kthread_running;
	kthread_finish(k->fn(k->data));
}

struct task_struct *kapi_kthread_current(void) { return kthread_running ? &kthread_running->task : NULL; }

/* Runs k until it sleeps or ends (from lx's context, never from a kthread). */
static void kthread_run_once(struct kthread *k)
{
	struct lx_proc *saved = lx_current;
	lx_current = NULL; /* no user memory in a kthread */
	kthread_running = k;
	k->state = K_RUNNABLE;
	kapi_switch(&lx_sp, k->sp);
	kthread_running = NULL;
	lx_current = saved;
	if (k->state == K_DONE && k->stack) {
		kfree(k->stack);
		k->stack = NULL;
	}
}

int kapi_kthread_sleep(const void *channel, long ticks)
{
	struct kthread *k = kthread_running;
	k->channel = channel;
	k->wake_at = ticks > 0 ? get_jiffies_64() + (u64)ticks : 0;
	k->timed_out = false;
	k->state = K_SLEEPING;
	kapi_switch(&k->sp, lx_sp);
	return k->timed_out;
}

void kapi_kthread_wake(const void *channel)
{
	struct kthread *k;
	list_for_each_entry(k, &kthreads, node)
		if (k->state == K_SLEEPING && k->channel == channel && channel)
			k->state = K_RUNNABLE;
}

struct task_struct *kthread_create_on_node(int (*threadfn)(void *data), void *data, int node, const char namefmt[], ...)
{
	(void)node;
	struct kthread *k = kzalloc(sizeof(*k), GFP_KERNEL);
	uint8_t *stack = kmalloc(KTHREAD_STACK, GFP_KERNEL);
	if (!k || !stack) {
		kfree(k);
		kfree(stack);
		return ERR_PTR(-ENOMEM);
	}
	va_list ap;
	va_start(ap, namefmt);
	vsnprintf(k->task.comm, sizeof(k->task.comm), namefmt, ap);
	va_end(ap);
	k->task.pid = k->task.tgid = next_kpid++;
	k->task.flags = PF_KTHREAD;
	k->task.__lx = k;
	k->fn = threadfn;
	k->data = data;
	k->stack = stack;
	k->owner = kapi_caller();
	/* the first switch "returns" into kthread_entry with the stack aligned as after a call */
	uint64_t *top = (uint64_t *)(stack + KTHREAD_STACK);
	top[-1] = 0;
	top[-2] = (uint64_t)kthread_entry;
	for (int i = 3; i <= 8; i++)
		top[-i] = 0; /* rbp rbx r12 r13 r14 r15 */
	k->sp = &top[-8];
	k->state = K_NEW; /* runs after wake_up_process, as Linux's */
	list_add_tail(&k->node, &kthreads);
	return &k->task;
}
EXPORT_SYMBOL(kthread_create_on_node);

int wake_up_process(struct task_struct *p)
{
	struct kthread *k = p && (p->flags & PF_KTHREAD) ? p->__lx : NULL;
	if (!k || k->state == K_RUNNABLE || k->state == K_DONE)
		return 0;
	k->state = K_RUNNABLE;
	return 1;
}
EXPORT_SYMBOL(wake_up_process);

bool kthread_should_stop(void) { return kthread_running && kthread_running->should_stop; }
EXPORT_SYMBOL(kthread_should_stop);

void kthread_bind(struct task_struct *k, unsigned int cpu) { (void)k, (void)cpu; }
EXPORT_SYMBOL(kthread_bind);

void kthread_exit(long result)
{
	if (!kthread_running)
		panic("kthread_exit outside a kthread");
	kthread_finish((int)result);
}
EXPORT_SYMBOL(kthread_exit);

void kthread_complete_and_exit(struct completion *comp, long code)
{
	if (comp)
		complete(comp);
	kthread_exit(code);
}
EXPORT_SYMBOL(kthread_complete_and_exit);

static void kthread_free(struct kthread *k)
{
	list_del(&k->node);
	kfree(k->stack);
	kfree(k);
}

static bool run_due(void);

#define PUMP_LIMIT_MS 30000

int kthread_stop(struct task_struct *t)
{
	struct kthread *k = t->__lx;
	k->should_stop = true;
	if (kthread_running == k)
		kthread_exit(0);
	uint64_t give_up = clock_ms() + PUMP_LIMIT_MS;
	for (int round = 0; k->state != K_DONE; round++) {
		if (round >= 10)
			udelay(1000); /* it keeps running: give it time (and the clock a chance to move) */
		if (k->state != K_RUNNABLE) /* as Linux: it is woken to see that it should stop */
			k->state = K_RUNNABLE;
		if (kthread_running) {
			kapi_kthread_sleep(k, 1); /* a kthread stops another: wait for it */
			continue;
		}
		run_due();
		if (clock_ms() > give_up) {
			pr_err("kthread_stop: %s (pid %d) did not stop within %d s; left running\n", t->comm, t->pid,
			       PUMP_LIMIT_MS / 1000);
			return -EINTR;
		}
	}
	int r = k->result;
	kthread_free(k);
	return r;
}
EXPORT_SYMBOL(kthread_stop);

/* ---- current ---- */

static struct task_struct process_task, swapper_task = {.comm = "swapper"};

struct task_struct *get_current(void)
{
	if (kthread_running)
		return &kthread_running->task;
	struct lx_proc *p = lx_current;
	if (!p)
		return &swapper_task;
	/* refreshed on each call: the process's view of the moment */
	process_task.pid = process_task.tgid = p->pid;
	memcpy(process_task.comm, p->comm, sizeof(process_task.comm));
	process_task.__lx = p;
	process_task.flags = 0;
	process_task.pending.signal.sig[0] = lx_signal_pending(p) ? 1 : 0;
	process_task.blocked.sig[0] = 0;
	return &process_task;
}
EXPORT_SYMBOL(get_current);

int signal_pending(struct task_struct *t)
{
	return t && !(t->flags & PF_KTHREAD) && t->__lx && lx_signal_pending(t->__lx);
}
EXPORT_SYMBOL(signal_pending);
__LX_EXPORT_AS(signal_pending, "fatal_signal_pending", "");

/* ---- sleeping ---- */

static bool pumping;

/* Outside a file operation and a kthread (init, exit, timers, work):
 * runs what could end the wait, once. 0, or -ERESTARTSYS when nothing
 * ever could (then the caller gives up). */
static long pump(long *timeout)
{
	static uint64_t give_up, last;
	if (pumping || !lx_current) {
		pr_err("lx: a module sleeps where it cannot (a timer or work item, or nested): not sleeping\n");
		return -ERESTARTSYS;
	}
	uint64_t now = clock_ms();
	if (!give_up || now > last + 100)
		give_up = now + PUMP_LIMIT_MS; /* a new wait (the last pump was a while ago) */
	last = now;
	if (now > give_up) {
		pr_err("lx: a module's init or exit waited %d s; giving up the wait\n", PUMP_LIMIT_MS / 1000);
		give_up = 0;
		return -ERESTARTSYS;
	}
	u64 before = get_jiffies_64();
	pumping = true;
	bool progress = run_due();
	pumping = false;
	if (!progress)
		udelay(1000);
	if (timeout)
		*timeout -= (long)(get_jiffies_64() - before);
	return 0;
}

long __lx_wait(wait_queue_head_t *wq, int interruptible, long *timeout)
{
	if (kapi_in_file_op()) {
		if (interruptible && lx_signal_pending(lx_current))
			return -ERESTARTSYS;
		kapi_file_op_sleep(wq, timeout ? *timeout : 0);
	}
	if (kthread_running) {
		u64 before = get_jiffies_64();
		int timed_out = kapi_kthread_sleep(wq, timeout ? *timeout : 0);
		if (timeout)
			*timeout = timed_out ? 0 : *timeout - (long)(get_jiffies_64() - before);
		return 0;
	}
	return pump(timeout);
}
EXPORT_SYMBOL(__lx_wait);

void __wake_up(wait_queue_head_t *wq, unsigned int mode, int nr, void *key)
{
	(void)mode, (void)nr, (void)key;
	lx_wake(wq);
	kapi_kthread_wake(wq);
}
EXPORT_SYMBOL(__wake_up);

void schedule(void)
{
	struct kthread *k = kthread_running;
	if (k) {
		/* set_current_state(TASK_INTERRUPTIBLE); schedule(): until wake_up_process */
		if (k->task.__state != TASK_RUNNING)
			kapi_kthread_sleep(&k->task, 0);
		else
			kapi_kthread_sleep(NULL, 1);
		k->task.__state = TASK_RUNNING;
		return;
	}
	current->__state = TASK_RUNNING;
}
EXPORT_SYMBOL(schedule);
__LX_EXPORT_AS(schedule, "yield", "");

long schedule_timeout(long timeout)
{
	struct kthread *k = kthread_running;
	if (k) {
		u64 start = get_jiffies_64();
		bool timed_out = kapi_kthread_sleep(k->task.__state != TASK_RUNNING ? &k->task : NULL, timeout);
		k->task.__state = TASK_RUNNING;
		long left = timeout - (long)(get_jiffies_64() - start);
		return timed_out || left < 0 ? 0 : left;
	}
	udelay((unsigned long)jiffies_to_usecs((unsigned long)timeout));
	return 0;
}
EXPORT_SYMBOL(schedule_timeout);
__LX_EXPORT_AS(schedule_timeout, "schedule_timeout_interruptible", "");
__LX_EXPORT_AS(schedule_timeout, "schedule_timeout_uninterruptible", "");

/* msleep: a kthread sleeps; elsewhere it waits busily (a file operation cannot sleep for a time and go on). */
void msleep(unsigned int msecs)
{
	if (kthread_running) {
		kapi_kthread_sleep(NULL, (long)msecs_to_jiffies(msecs) + 1);
		return;
	}
	udelay((unsigned long)msecs * 1000);
}
EXPORT_SYMBOL(msleep);

unsigned long msleep_interruptible(unsigned int msecs)
{
	msleep(msecs);
	return 0;
}
EXPORT_SYMBOL(msleep_interruptible);

void usleep_range(unsigned long min, unsigned long max)
{
	(void)max;
	if (kthread_running && min >= 10000)
		msleep((unsigned int)(min / 1000));
	else
		udelay(min);
}
EXPORT_SYMBOL(usleep_range);

/* ---- mutexes ---- */

void mutex_lock(struct mutex *m)
{
	while (m->locked)
		if (__lx_wait((wait_queue_head_t *)m, 0, NULL))
			break; /* cannot wait here: taken anyway (the holder is stuck) */
	m->locked = 1;
}
EXPORT_SYMBOL(mutex_lock);

int mutex_lock_interruptible(struct mutex *m)
{
	while (m->locked) {
		long e = __lx_wait((wait_queue_head_t *)m, 1, NULL);
		if (e)
			return (int)e;
	}
	m->locked = 1;
	return 0;
}
EXPORT_SYMBOL(mutex_lock_interruptible);
__LX_EXPORT_AS(mutex_lock_interruptible, "mutex_lock_killable", "");

int mutex_trylock(struct mutex *m)
{
	if (m->locked)
		return 0;
	m->locked = 1;
	return 1;
}
EXPORT_SYMBOL(mutex_trylock);

void mutex_unlock(struct mutex *m)
{
	m->locked = 0;
	__wake_up((wait_queue_head_t *)m, TASK_NORMAL, 1, NULL);
}
EXPORT_SYMBOL(mutex_unlock);

/* ---- timers ---- */

static LIST_HEAD(timers);

void timer_setup(struct timer_list *timer, void (*func)(struct timer_list *), unsigned int flags)
{
	timer->entry.next = timer->entry.prev = NULL;
	timer->function = func;
	timer->flags = flags;
	timer->__lx_pending = 0;
}
EXPORT_SYMBOL(timer_setup);

int timer_delete(struct timer_list *timer)
{
	if (!timer->__lx_pending)
		return 0;
	list_del(&timer->entry);
	timer->__lx_pending = 0;
	return 1;
}
EXPORT_SYMBOL(timer_delete);
__LX_EXPORT_AS(timer_delete, "timer_delete_sync", "");

int mod_timer(struct timer_list *timer, unsigned long expires)
{
	int was = timer_delete(timer);
	timer->expires = expires;
	list_add_tail(&timer->entry, &timers);
	timer->__lx_pending = 1;
	return was;
}
EXPORT_SYMBOL(mod_timer);

void add_timer(struct timer_list *timer) { mod_timer(timer, timer->expires); }
EXPORT_SYMBOL(add_timer);

/* Runs the timers that are due: whether any ran. */
static bool run_timers(void)
{
	bool ran = false;
	unsigned long now = (unsigned long)get_jiffies_64();
	for (;;) {
		struct timer_list *t, *due = NULL;
		list_for_each_entry(t, &timers, entry)
			if (time_after_eq(now, t->expires)) {
				due = t;
				break;
			}
		if (!due)
			return ran;
		timer_delete(due);
		due->function(due);
		ran = true;
	}
}

/* ---- work queues: one list for all, run in order from the tick ---- */

struct workqueue_struct {
	char name[32];
};
static struct workqueue_struct system_wq_s = {"events"};
struct workqueue_struct *system_wq = &system_wq_s;
EXPORT_SYMBOL(system_wq);

struct queued {
	struct list_head node;
	struct work_struct *work;
	struct workqueue_struct *wq;
};
static LIST_HEAD(work_list);

void __lx_init_work(struct work_struct *work, work_func_t func)
{
	work->entry.next = work->entry.prev = NULL;
	work->func = func;
	work->__lx_pending = 0;
}
EXPORT_SYMBOL(__lx_init_work);

static void delayed_work_timer(struct timer_list *t)
{
	struct delayed_work *dw = from_timer(dw, t, timer);
	queue_work(dw->wq ? dw->wq : system_wq, &dw->work);
}

void __lx_init_delayed_work(struct delayed_work *dwork, work_func_t func)
{
	__lx_init_work(&dwork->work, func);
	timer_setup(&dwork->timer, delayed_work_timer, 0);
	dwork->wq = NULL;
}
EXPORT_SYMBOL(__lx_init_delayed_work);

struct workqueue_struct *alloc_workqueue(const char *fmt, unsigned int flags, int max_active, ...)
{
	(void)flags, (void)max_active;
	struct workqueue_struct *wq = kzalloc(sizeof(*wq), GFP_KERNEL);
	if (wq) {
		va_list ap;
		va_start(ap, max_active);
		vsnprintf(wq->name, sizeof(wq->name), fmt, ap);
		va_end(ap);
	}
	return wq;
}
EXPORT_SYMBOL(alloc_workqueue);

bool queue_work(struct workqueue_struct *wq, struct work_struct *work)
{
	if (work->__lx_pending)
		return false;
	struct queued *q = kmalloc(sizeof(*q), GFP_ATOMIC);
	if (!q)
		return false;
	q->work = work;
	q->wq = wq;
	list_add_tail(&q->node, &work_list);
	work->__lx_pending = 1;
	return true;
}
EXPORT_SYMBOL(queue_work);

bool schedule_work(struct work_struct *work) { return queue_work(system_wq, work); }
EXPORT_SYMBOL(schedule_work);

bool queue_delayed_work(struct workqueue_struct *wq, struct delayed_work *dwork, unsigned long delay)
{
	if (dwork->work.__lx_pending || dwork->timer.__lx_pending)
		return false;
	if (!dwork->timer.function)
		timer_setup(&dwork->timer, delayed_work_timer, 0);
	dwork->wq = wq;
	if (!delay)
		return queue_work(wq, &dwork->work);
	mod_timer(&dwork->timer, (unsigned long)get_jiffies_64() + delay);
	return true;
}
EXPORT_SYMBOL(queue_delayed_work);

bool schedule_delayed_work(struct delayed_work *dwork, unsigned long delay)
{
	return queue_delayed_work(system_wq, dwork, delay);
}
EXPORT_SYMBOL(schedule_delayed_work);

/* Runs queued work (of wq only, when not NULL; only work, when only is not NULL): whether any ran. */
static bool run_work(struct workqueue_struct *wq, struct work_struct *only)
{
	bool ran = false;
	for (;;) {
		struct queued *q, *found = NULL;
		list_for_each_entry(q, &work_list, node)
			if ((!wq || q->wq == wq) && (!only || q->work == only)) {
				found = q;
				break;
			}
		if (!found)
			return ran;
		struct work_struct *w = found->work;
		list_del(&found->node);
		kfree(found);
		w->__lx_pending = 0;
		w->func(w);
		ran = true;
	}
}

static bool dequeue(struct work_struct *work)
{
	struct queued *q, *n;
	list_for_each_entry_safe(q, n, &work_list, node)
		if (q->work == work) {
			list_del(&q->node);
			kfree(q);
			work->__lx_pending = 0;
			return true;
		}
	return false;
}

void flush_workqueue(struct workqueue_struct *wq) { run_work(wq, NULL); }
EXPORT_SYMBOL(flush_workqueue);
__LX_EXPORT_AS(flush_workqueue, "__flush_workqueue", "");

void flush_scheduled_work(void) { run_work(system_wq, NULL); }
EXPORT_SYMBOL(flush_scheduled_work);

bool flush_work(struct work_struct *work) { return run_work(NULL, work); }
EXPORT_SYMBOL(flush_work);

bool cancel_work_sync(struct work_struct *work) { return dequeue(work); }
EXPORT_SYMBOL(cancel_work_sync);

bool cancel_delayed_work(struct delayed_work *dwork)
{
	bool t = timer_delete(&dwork->timer);
	return dequeue(&dwork->work) || t;
}
EXPORT_SYMBOL(cancel_delayed_work);
__LX_EXPORT_AS(cancel_delayed_work, "cancel_delayed_work_sync", "");

bool flush_delayed_work(struct delayed_work *dwork)
{
	if (timer_delete(&dwork->timer))
		queue_work(dwork->wq ? dwork->wq : system_wq, &dwork->work);
	return flush_work(&dwork->work);
}
EXPORT_SYMBOL(flush_delayed_work);

void destroy_workqueue(struct workqueue_struct *wq)
{
	run_work(wq, NULL);
	if (wq != system_wq)
		kfree(wq);
}
EXPORT_SYMBOL(destroy_workqueue);

/* ---- the tick ---- */

/* Timers, work, then each runnable kthread once: whether anything ran. */
static bool run_due(void)
{
	bool ran = run_timers();
	ran |= run_work(NULL, NULL);
	u64 now = get_jiffies_64();
	struct kthread *k, *n;
	list_for_each_entry_safe(k, n, &kthreads, node) {
		if (k->state == K_SLEEPING && k->wake_at && now >= k->wake_at) {
			k->timed_out = true;
			k->state = K_RUNNABLE;
		}
		if (k->state == K_RUNNABLE) {
			kthread_run_once(k);
			ran = true;
		}
	}
	return ran;
}

void kapi_tick(uint64_t ticks)
{
	(void)ticks;
	if (pumping || kthread_running || (list_empty(&timers) && list_empty(&work_list) && list_empty(&kthreads)))
		return;
	struct lx_proc *saved = lx_current;
	lx_current = NULL; /* timers and work run outside any process */
	pumping = true;
	run_due();
	pumping = false;
	lx_current = saved;
}

/* ---- what a module left behind ---- */

void sched_module_gone(struct lx_module *m)
{
	const char *name = module_name_of(m);
	struct timer_list *t, *tn;
	list_for_each_entry_safe(t, tn, &timers, entry)
		if (module_of_addr((uint64_t)t->function) == m || module_of_addr((uint64_t)t) == m) {
			pr_warn("%s: left a timer pending; deleted\n", name);
			timer_delete(t);
		}
	struct queued *q, *qn;
	list_for_each_entry_safe(q, qn, &work_list, node)
		if (module_of_addr((uint64_t)q->work->func) == m || module_of_addr((uint64_t)q->work) == m) {
			pr_warn("%s: left work queued; dropped\n", name);
			dequeue(q->work);
		}
	struct kthread *k, *kn;
	list_for_each_entry_safe(k, kn, &kthreads, node)
		if (k->owner == m || module_of_addr((uint64_t)k->fn) == m) {
			if (k->state != K_DONE)
				pr_warn("%s: left kthread %s running; it is gone\n", name, k->task.comm);
			kthread_free(k);
		}
}
