/* Deferred destruction of kernel objects whose last reference went away. */
#include "kobject.h"
#include "factory.h"
#include "gate.h"
#include "irq.h"
#include "panic.h"
#include "task.h"
#include "thread.h"

static struct kobject *destroy_head, *destroy_tail; /* FIFO: bounds nothing, keeps it simple */
static uint64_t live_objects;

void kobject_put(struct kobject *o)
{
	assert(o->refs > 0);
	if (--o->refs > 0 || o->dying)
		return;
	o->dying = true;
	o->destroy_next = NULL;
	if (destroy_tail)
		destroy_tail->destroy_next = o;
	else
		destroy_head = o;
	destroy_tail = o;
}

void kobject_destroy_pending(void)
{
	/* Iterative, never recursive: a task's destruction drops the references
	 * of its capabilities, which only queues further objects here. */
	while (destroy_head) {
		struct kobject *o = destroy_head;
		destroy_head = o->destroy_next;
		if (!destroy_head)
			destroy_tail = NULL;
		switch (o->type) {
		case PECAN_OBJ_TASK:
			task_destroy((struct task *)o);
			break;
		case PECAN_OBJ_THREAD:
			thread_destroy((struct thread *)o);
			break;
		case PECAN_OBJ_GATE:
			gate_destroy((struct gate *)o);
			break;
		case PECAN_OBJ_IRQ:
			irq_destroy((struct irq *)o);
			break;
		case PECAN_OBJ_FACTORY:
			factory_destroy((struct factory *)o);
			break;
		default:
			panic("destroying a static object of type %u", o->type);
		}
	}
}

bool kobject_pending(void) { return destroy_head != NULL; }

uint64_t kobject_count(void) { return live_objects; }
void kobject_count_add(int delta) { live_objects += (uint64_t)(int64_t)delta; }
