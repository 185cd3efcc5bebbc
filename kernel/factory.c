/* Factory objects: quota accounting and the creation of tasks, threads, gates, IRQs and factories. */
#include "factory.h"
#include "cap.h"
#include "gate.h"
#include "irq.h"
#include "kmem.h"
#include "panic.h"
#include "task.h"
#include "thread.h"
#include "pecan/errors.h"
#include "pecan/fpage.h"

static bool charge(struct factory *f, size_t bytes)
{
	if (f->used + bytes > f->limit || f->used + bytes < f->used)
		return false;
	f->used += bytes;
	return true;
}

void *factory_alloc(struct factory *f, size_t size)
{
	size_t bytes = kmem_size(size);
	if (!charge(f, bytes))
		return NULL;
	void *p = kmem_alloc(size);
	if (!p)
		f->used -= bytes;
	return p;
}

void factory_free(struct factory *f, void *p, size_t size)
{
	size_t bytes = kmem_size(size);
	assert(f->used >= bytes);
	f->used -= bytes;
	kmem_free(p, size);
}

bool factory_move_charge(struct factory *from, struct factory *to, size_t bytes)
{
	if (from == to)
		return true;
	if (!charge(to, bytes))
		return false;
	assert(from->used >= bytes);
	from->used -= bytes;
	return true;
}

void *factory_new_object(struct factory *f, size_t size, unsigned type)
{
	struct kobject *o = factory_alloc(f, size);
	if (!o)
		return NULL;
	o->type = (uint8_t)type;
	o->factory = f;
	o->charge = size;
	kobject_get(&f->obj); /* the factory lives while objects are charged to it */
	kobject_count_add(1);
	return o;
}

void factory_delete_object(struct kobject *o)
{
	struct factory *f = o->factory;
	kobject_count_add(-1);
	if (!f) { /* a root factory: charged to nobody */
		kmem_free(o, o->charge);
		return;
	}
	factory_free(f, o, o->charge);
	kobject_put(&f->obj);
}

struct factory *factory_create_root(uint64_t limit)
{
	struct factory *f = kmem_alloc(sizeof(*f));
	if (!f)
		return NULL;
	f->obj.type = PECAN_OBJ_FACTORY;
	f->obj.charge = sizeof(*f);
	f->limit = limit;
	kobject_count_add(1);
	return f;
}

static struct factory *factory_create_sub(struct factory *parent, uint64_t quota)
{
	/* The quota is taken from the parent up front, like memory it used. */
	if (!charge(parent, quota))
		return NULL;
	struct factory *f = factory_new_object(parent, sizeof(*f), PECAN_OBJ_FACTORY);
	if (!f) {
		parent->used -= quota;
		return NULL;
	}
	f->limit = quota;
	return f;
}

void factory_destroy(struct factory *f)
{
	assert(f->used == 0);
	if (f->obj.factory)
		f->obj.factory->used -= f->limit;
	factory_delete_object(&f->obj);
}


int factory_invoke(struct factory *f, unsigned rights, struct thread *caller, unsigned op, unsigned words,
		   unsigned *nres)
{
	const uint64_t *mr = caller->utcb->mr;
	struct task *space = caller->task;
	static const unsigned args[] = {
		[PECAN_FACTORY_CREATE_TASK] = 1, [PECAN_FACTORY_CREATE_THREAD] = 1, [PECAN_FACTORY_CREATE_GATE] = 3,
		[PECAN_FACTORY_CREATE_IRQ] = 1,  [PECAN_FACTORY_CREATE_FACTORY] = 2, [PECAN_FACTORY_INFO] = 0,
	};
	if (op < PECAN_FACTORY_CREATE_TASK || op > PECAN_FACTORY_INFO)
		return PECAN_ENOSYS;
	unsigned need = op == PECAN_FACTORY_INFO ? PECAN_CAP_R : PECAN_CAP_W;
	if ((rights & need) != need)
		return PECAN_EPERM;
	if (words < args[op])
		return PECAN_EINVAL;
	if (op == PECAN_FACTORY_INFO) {
		caller->utcb->mr[0] = f->limit;
		caller->utcb->mr[1] = f->used;
		*nres = 2;
		return PECAN_OK;
	}

	/* decode: the destination selector, and the gate's thread */
	uint64_t dest = mr[0];
	int err = cap_check_free(space, dest);
	if (err)
		return err;
	struct thread *gate_thread = NULL;
	if (op == PECAN_FACTORY_CREATE_GATE) {
		struct cap *tc;
		if ((err = cap_get(space, mr[1], PECAN_OBJ_THREAD, 0, &tc)))
			return err;
		gate_thread = (struct thread *)tc->obj;
	}
	if ((err = cap_prepare(space, dest)))
		return err;

	struct kobject *o = NULL;
	switch (op) {
	case PECAN_FACTORY_CREATE_TASK:
		o = (struct kobject *)task_create(f);
		break;
	case PECAN_FACTORY_CREATE_THREAD:
		/* never above its creator: a factory is no way around SCHED's rule */
		o = (struct kobject *)thread_create(f, caller->prio < PECAN_PRIO_DEFAULT ? caller->prio
											: PECAN_PRIO_DEFAULT);
		break;
	case PECAN_FACTORY_CREATE_GATE:
		o = (struct kobject *)gate_create(f, gate_thread, mr[2]);
		break;
	case PECAN_FACTORY_CREATE_IRQ:
		o = (struct kobject *)irq_create(f);
		break;
	case PECAN_FACTORY_CREATE_FACTORY:
		o = (struct kobject *)factory_create_sub(f, mr[1]);
		break;
	}
	if (!o) {
		/* the prepared capability page stays only if something else uses it */
		if (!cap_lookup(space, dest))
			cap_release_page_if_empty(space, dest);
		return PECAN_ENOMEM;
	}
	cap_insert_root(space, dest, o, PECAN_CAP_RWD);
	return PECAN_OK;
}
