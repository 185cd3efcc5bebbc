/* IRQ delivery as messages, binding to threads, and the ICU that attaches hardware lines. */
#include "irq.h"
#include "cap.h"
#include "factory.h"
#include "panic.h"
#include "sched.h"
#include "task.h"
#include "thread.h"
#include "pecan/errors.h"
#include "pecan/fpage.h"
#include "arch/x86_64/ioapic.h"

struct kobject icu_object = {.type = PECAN_OBJ_ICU, .refs = 1}; /* the kernel's reference keeps it */
static struct irq *lines[IRQ_LINES];

struct irq *irq_create(struct factory *f)
{
	struct irq *irq = factory_new_object(f, sizeof(*irq), PECAN_OBJ_IRQ);
	if (irq)
		irq->line = -1;
	return irq;
}

static void unbind(struct irq *irq)
{
	struct thread *t = irq->bound;
	if (!t)
		return;
	for (struct irq **pp = &t->irqs; *pp; pp = &(*pp)->bound_next)
		if (*pp == irq) {
			*pp = irq->bound_next;
			break;
		}
	for (struct irq **pp = &t->irq_pending; *pp; pp = &(*pp)->pending_next)
		if (*pp == irq) {
			*pp = irq->pending_next; /* stays pending on the IRQ itself */
			break;
		}
	irq->bound = NULL;
}

static bool waits_for(struct thread *t, struct irq *irq)
{
	return t->state == TS_RECEIVING && !t->partner && (t->recv_open || t->recv_from == &irq->obj);
}

static void deliver(struct thread *t, struct irq *irq)
{
	sched_cancel_timeout(t);
	t->recv_from = NULL;
	t->ipc_err = PECAN_OK;
	t->ipc_tag = 0;
	t->ipc_label = irq->label;
	sched_ready(t, false);
}

static void bind(struct irq *irq, struct thread *t, uint64_t label)
{
	unbind(irq);
	irq->bound = t;
	irq->label = label;
	irq->bound_next = t->irqs;
	t->irqs = irq;
	if (irq->pending) {
		irq->pending = false;
		irq_trigger(irq);
	}
}

void irq_trigger(struct irq *irq)
{
	struct thread *t = irq->bound;
	if (t && waits_for(t, irq)) {
		deliver(t, irq);
		return;
	}
	if (irq->pending)
		return; /* triggers collapse into one */
	irq->pending = true;
	if (t) {
		irq->pending_next = t->irq_pending;
		t->irq_pending = irq;
	}
}

struct irq *irq_take_pending(struct thread *t, struct kobject *from)
{
	for (struct irq **pp = &t->irq_pending; *pp; pp = &(*pp)->pending_next) {
		struct irq *irq = *pp;
		if (from && from != &irq->obj)
			continue;
		*pp = irq->pending_next;
		irq->pending = false;
		return irq;
	}
	return NULL;
}

void irq_thread_gone(struct thread *t)
{
	while (t->irqs)
		unbind(t->irqs);
}

static void detach(unsigned line)
{
	struct irq *irq = lines[line];
	ioapic_mask(line, true);
	ioapic_line_detached(line);
	irq->line = -1;
	lines[line] = NULL;
}

void irq_destroy(struct irq *irq)
{
	unbind(irq);
	if (irq->line >= 0)
		detach((unsigned)irq->line);
	factory_delete_object(&irq->obj);
}

void irq_line_interrupt(unsigned line)
{
	/* masked until the receiver says UNMASK: a level or noisy line cannot storm */
	ioapic_mask(line, true);
	if (line < IRQ_LINES && lines[line])
		irq_trigger(lines[line]);
}

unsigned irq_attached_lines(void)
{
	unsigned n = 0;
	for (unsigned i = 0; i < IRQ_LINES; i++)
		n += lines[i] != NULL;
	return n;
}

int irq_invoke(struct irq *irq, unsigned rights, struct thread *caller, unsigned op, unsigned words,
	       unsigned *nres)
{
	(void)nres;
	uint64_t *mr = caller->utcb->mr;
	unsigned need = (op == PECAN_IRQ_BIND || op == PECAN_IRQ_UNBIND) ? PECAN_CAP_W : PECAN_CAP_R;
	if (op < PECAN_IRQ_BIND || op > PECAN_IRQ_UNMASK)
		return PECAN_ENOSYS;
	if ((rights & need) != need)
		return PECAN_EPERM;
	switch (op) {
	case PECAN_IRQ_BIND: {
		if (words < 2)
			return PECAN_EINVAL;
		struct cap *tc;
		int err = cap_get(caller->task, mr[0], PECAN_OBJ_THREAD, 0, &tc);
		if (err)
			return err;
		struct thread *t = (struct thread *)tc->obj;
		if (t->state == TS_DEAD)
			return PECAN_EINVAL;
		bind(irq, t, mr[1]);
		return PECAN_OK;
	}
	case PECAN_IRQ_UNBIND:
		unbind(irq);
		return PECAN_OK;
	case PECAN_IRQ_TRIGGER:
		irq_trigger(irq);
		return PECAN_OK;
	case PECAN_IRQ_UNMASK:
		if (irq->line >= 0)
			ioapic_mask((unsigned)irq->line, false);
		return PECAN_OK;
	}
	return PECAN_ENOSYS;
}

int icu_invoke(unsigned rights, struct thread *caller, unsigned op, unsigned words, unsigned *nres)
{
	(void)nres;
	uint64_t *mr = caller->utcb->mr;
	if (op != PECAN_ICU_ATTACH && op != PECAN_ICU_DETACH)
		return PECAN_ENOSYS;
	if (!(rights & PECAN_CAP_W))
		return PECAN_EPERM;
	if (words < (op == PECAN_ICU_ATTACH ? 2u : 1u))
		return PECAN_EINVAL;
	uint64_t line = mr[0];
	if (line >= IRQ_LINES || ioapic_line_reserved((unsigned)line))
		return PECAN_EINVAL;
	if (op == PECAN_ICU_DETACH) {
		if (!lines[line])
			return PECAN_EINVAL;
		detach((unsigned)line);
		return PECAN_OK;
	}
	struct cap *ic;
	int err = cap_get(caller->task, mr[1], PECAN_OBJ_IRQ, PECAN_CAP_W, &ic);
	if (err)
		return err;
	struct irq *irq = (struct irq *)ic->obj;
	if (lines[line] || irq->line >= 0)
		return PECAN_EBUSY;
	lines[line] = irq;
	irq->line = (int)line;
	ioapic_line_attached((unsigned)line);
	ioapic_mask((unsigned)line, false);
	return PECAN_OK;
}
