/* IRQ objects (software-triggered or a hardware line through the ICU) and the ICU. */
#ifndef KERNEL_IRQ_H
#define KERNEL_IRQ_H

#include <stdbool.h>
#include <stdint.h>
#include "kobject.h"

struct thread;
struct factory;

#define IRQ_LINES 16

struct irq {
	struct kobject obj;
	struct thread *bound;      /* receiver, or NULL */
	uint64_t label;
	bool pending;              /* fired and not yet received */
	struct irq *pending_next;  /* on the bound thread's pending list */
	struct irq *bound_next;    /* on the bound thread's list of IRQs */
	int line;                  /* attached hardware line, or -1 */
};

struct irq *irq_create(struct factory *f);
void irq_destroy(struct irq *irq);
void irq_thread_gone(struct thread *t);
/* Raises the IRQ: delivered at once when its thread waits for it, else pending. */
void irq_trigger(struct irq *irq);
/* A pending IRQ of t (any when from is NULL, else only that one), taken off the list. */
struct irq *irq_take_pending(struct thread *t, struct kobject *from);
/* A hardware line fired (from the trap handler). */
void irq_line_interrupt(unsigned line);
/* Lines attached through the ICU: while there are any, an idle system may still wake. */
unsigned irq_attached_lines(void);
int irq_invoke(struct irq *irq, unsigned rights, struct thread *caller, unsigned op, unsigned words,
	       unsigned *nres);

/* The ICU, a static object. */
extern struct kobject icu_object;
int icu_invoke(unsigned rights, struct thread *caller, unsigned op, unsigned words, unsigned *nres);

#endif
