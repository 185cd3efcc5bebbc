/* Bindings for kernel-object operations: fill the message registers, call, read the results. */
#include "l4.h"

long l4_invoke(l4_cap_t cap, unsigned op, const uint64_t *args, unsigned nargs, uint64_t *res, unsigned nres)
{
	struct pecan_utcb *u = pecan_utcb();
	for (unsigned i = 0; i < nargs; i++)
		u->mr[i] = args[i];
	pecan_msgtag_t rtag;
	long err = l4_ipc_call(cap, pecan_msgtag(op, nargs, 0, 0), PECAN_TIMEOUT_NEVER, &rtag);
	if (err)
		return err;
	/* a kernel object replies with label 0; a runtime server puts its status there */
	if (pecan_msgtag_label(rtag))
		return (long)pecan_msgtag_label(rtag);
	unsigned got = pecan_msgtag_words(rtag);
	for (unsigned i = 0; i < nres; i++)
		res[i] = i < got ? u->mr[i] : 0;
	return PECAN_OK;
}

long l4_factory_create(l4_cap_t factory, unsigned op, l4_cap_t dest)
{
	uint64_t a[1] = {dest};
	return l4_invoke(factory, op, a, 1, 0, 0);
}

long l4_factory_create_gate(l4_cap_t factory, l4_cap_t dest, l4_cap_t thread, uint64_t label)
{
	uint64_t a[3] = {dest, thread, label};
	return l4_invoke(factory, PECAN_FACTORY_CREATE_GATE, a, 3, 0, 0);
}

long l4_factory_create_factory(l4_cap_t factory, l4_cap_t dest, uint64_t quota)
{
	uint64_t a[2] = {dest, quota};
	return l4_invoke(factory, PECAN_FACTORY_CREATE_FACTORY, a, 2, 0, 0);
}

long l4_factory_info(l4_cap_t factory, uint64_t *limit, uint64_t *used)
{
	uint64_t r[2] = {0, 0};
	long err = l4_invoke(factory, PECAN_FACTORY_INFO, 0, 0, r, 2);
	*limit = r[0];
	*used = r[1];
	return err;
}

long l4_task_map(l4_cap_t task, l4_cap_t src_task, pecan_fpage_t fpage, uint64_t dest, unsigned type)
{
	uint64_t a[4] = {src_task, fpage, dest, type};
	return l4_invoke(task, PECAN_TASK_MAP, a, 4, 0, 0);
}

long l4_task_unmap(l4_cap_t task, pecan_fpage_t fpage, unsigned flags)
{
	uint64_t a[2] = {fpage, flags};
	return l4_invoke(task, PECAN_TASK_UNMAP, a, 2, 0, 0);
}

long l4_task_exit(l4_cap_t task, long code)
{
	uint64_t a[1] = {(uint64_t)code};
	return l4_invoke(task, PECAN_TASK_EXIT, a, 1, 0, 0);
}

long l4_task_cap_info(l4_cap_t task, l4_cap_t sel, uint64_t *type, uint64_t *rights)
{
	uint64_t a[1] = {sel}, r[2] = {0, 0};
	long err = l4_invoke(task, PECAN_TASK_CAP_INFO, a, 1, r, 2);
	*type = r[0];
	*rights = r[1];
	return err;
}

long l4_thread_control(l4_cap_t thread, l4_cap_t task, uint64_t utcb, l4_cap_t pager, l4_cap_t exc_handler)
{
	uint64_t a[4] = {task, utcb, pager, exc_handler};
	return l4_invoke(thread, PECAN_THREAD_CONTROL, a, 4, 0, 0);
}

long l4_thread_ex_regs(l4_cap_t thread, uint64_t ip, uint64_t sp, unsigned flags)
{
	uint64_t a[3] = {ip, sp, flags};
	return l4_invoke(thread, PECAN_THREAD_EX_REGS, a, 3, 0, 0);
}

long l4_thread_sched(l4_cap_t thread, unsigned prio, uint64_t slice_us)
{
	uint64_t a[2] = {prio, slice_us};
	return l4_invoke(thread, PECAN_THREAD_SCHED, a, 2, 0, 0);
}

long l4_thread_info(l4_cap_t thread, uint64_t *state, uint64_t *prio)
{
	uint64_t r[2] = {0, 0};
	long err = l4_invoke(thread, PECAN_THREAD_INFO, 0, 0, r, 2);
	*state = r[0];
	*prio = r[1];
	return err;
}

long l4_thread_yield(l4_cap_t thread) { return l4_invoke(thread, PECAN_THREAD_YIELD, 0, 0, 0, 0); }

long l4_irq_bind(l4_cap_t irq, l4_cap_t thread, uint64_t label)
{
	uint64_t a[2] = {thread, label};
	return l4_invoke(irq, PECAN_IRQ_BIND, a, 2, 0, 0);
}

long l4_irq_unbind(l4_cap_t irq) { return l4_invoke(irq, PECAN_IRQ_UNBIND, 0, 0, 0, 0); }
long l4_irq_trigger(l4_cap_t irq) { return l4_invoke(irq, PECAN_IRQ_TRIGGER, 0, 0, 0, 0); }
long l4_irq_unmask(l4_cap_t irq) { return l4_invoke(irq, PECAN_IRQ_UNMASK, 0, 0, 0, 0); }

long l4_icu_attach(l4_cap_t icu, unsigned line, l4_cap_t irq)
{
	uint64_t a[2] = {line, irq};
	return l4_invoke(icu, PECAN_ICU_ATTACH, a, 2, 0, 0);
}

long l4_icu_detach(l4_cap_t icu, unsigned line)
{
	uint64_t a[1] = {line};
	return l4_invoke(icu, PECAN_ICU_DETACH, a, 1, 0, 0);
}

long l4_kdebug_write(const char *s, size_t len)
{
	struct pecan_utcb *u = pecan_utcb();
	const size_t max = 8 * (PECAN_MR_COUNT - 1);
	do {
		size_t n = len < max ? len : max;
		u->mr[0] = n;
		char *dst = (char *)&u->mr[1];
		for (size_t i = 0; i < n; i++)
			dst[i] = s[i];
		pecan_msgtag_t rtag;
		long err = l4_ipc_call(PECAN_CAP_KDEBUG, pecan_msgtag(PECAN_KDEBUG_WRITE, 1 + (unsigned)((n + 7) / 8), 0, 0),
				       PECAN_TIMEOUT_NEVER, &rtag);
		if (!err)
			err = (long)pecan_msgtag_label(rtag); /* the log server's status */
		if (err)
			return err;
		s += n;
		len -= n;
	} while (len);
	return PECAN_OK;
}

int l4_kdebug_getchar(void)
{
	uint64_t c;
	long err = l4_invoke(PECAN_CAP_KDEBUG, PECAN_KDEBUG_GETCHAR, 0, 0, &c, 1);
	return err ? -(int)err : (int)c;
}

long l4_kdebug_stats(uint64_t *free_kmem, uint64_t *free_frames, uint64_t *objects)
{
	uint64_t r[3] = {0, 0, 0};
	long err = l4_invoke(PECAN_CAP_KDEBUG, PECAN_KDEBUG_STATS, 0, 0, r, 3);
	*free_kmem = r[0];
	*free_frames = r[1];
	*objects = r[2];
	return err;
}

long l4_kdebug_clock(uint64_t *ticks, uint64_t *hz)
{
	uint64_t r[2] = {0, 0};
	long err = l4_invoke(PECAN_CAP_KDEBUG, PECAN_KDEBUG_CLOCK, 0, 0, r, 2);
	*ticks = r[0];
	*hz = r[1];
	return err;
}

void l4_exit(long code)
{
	l4_task_exit(PECAN_CAP_TASK, code);
	for (;;)
		__asm__ volatile("ud2"); /* exit of the own task never returns */
}
