/* ktest: every operation of the factory, task and kdebug objects and capabilities in general, with their error paths. */
#include "ktest.h"

#define F PECAN_CAP_FACTORY

/* ---- capabilities in general ------------------------------------------------ */
static int t_bad_selector(void)
{
	uint64_t a, b;
	l4_cap_t empty = kt_sel();
	KT_ERR(l4_factory_info(PECAN_CAP_NONE, &a, &b), PECAN_ECAP);
	KT_ERR(l4_factory_info(empty, &a, &b), PECAN_ECAP);
	KT_ERR(l4_factory_info(PECAN_CAP_SPACE_SIZE - 1, &a, &b), PECAN_ECAP);
	KT_ERR(l4_factory_info(PECAN_CAP_SPACE_SIZE, &a, &b), PECAN_ECAP);
	KT_ERR(l4_factory_info(1ull << 40, &a, &b), PECAN_ECAP);
	KT_ERR(l4_thread_info(empty, &a, &b), PECAN_ECAP);
	KT_ERR(l4_ipc_send(empty, pecan_msgtag(1, 0, 0, 0), PECAN_TIMEOUT_ZERO), PECAN_ECAP);
	KT_ERR(l4_ipc_send(PECAN_CAP_NONE, pecan_msgtag(1, 0, 0, 0), PECAN_TIMEOUT_ZERO), PECAN_ECAP);
	return 0;
}

static int t_wrong_type(void)
{
	uint64_t objects = kt_objects();
	l4_cap_t d = kt_sel(), empty = kt_sel(), irq = kt_sel(), th = kt_sel(), task = kt_sel();
	KT_OK(l4_factory_create(F, PECAN_FACTORY_CREATE_IRQ, irq));
	KT_OK(l4_factory_create(F, PECAN_FACTORY_CREATE_THREAD, th));
	KT_OK(l4_factory_create(F, PECAN_FACTORY_CREATE_TASK, task));
	uint64_t base = kt_objects();
	/* A gate's thread must be a thread. */
	KT_ERR(l4_factory_create_gate(F, d, PECAN_CAP_TASK, 1), PECAN_ECAP);
	KT_ERR(l4_factory_create_gate(F, d, empty, 1), PECAN_ECAP);
	/* An IRQ binds to a thread. */
	KT_ERR(l4_irq_bind(irq, PECAN_CAP_KDEBUG, 1), PECAN_ECAP);
	KT_ERR(l4_irq_bind(irq, empty, 1), PECAN_ECAP);
	/* The ICU attaches IRQs. */
	KT_ERR(l4_icu_attach(PECAN_CAP_ICU, 4, th), PECAN_ECAP);
	/* A thread binds to a task. */
	KT_ERR(l4_thread_control(th, F, KT_UTCB_BASE + 0x1ff000, 0, 0), PECAN_ECAP);
	/* A map's source is a task; the destination is invoked as a task. */
	KT_ERR(l4_task_map(task, th, pecan_fpage_cap(PECAN_CAP_KDEBUG, 0, PECAN_CAP_R), 8, PECAN_ITEM_MAP),
	       PECAN_ECAP);
	KT_ERR(l4_task_map(task, empty, pecan_fpage_cap(PECAN_CAP_KDEBUG, 0, PECAN_CAP_R), 8, PECAN_ITEM_MAP),
	       PECAN_ECAP);
	KT_EQ(kt_objects(), base);
	uint64_t type, rights;
	KT_OK(l4_task_cap_info(PECAN_CAP_TASK, d, &type, &rights));
	KT_EQ(type, PECAN_OBJ_NONE);
	KT_OK(l4_thread_info(th, &type, &rights));
	KT_EQ(type, PECAN_THREAD_STATE_INACTIVE); /* the failed control bound nothing */
	KT_OK(kt_delete(task));
	KT_OK(kt_delete(th));
	KT_OK(kt_delete(irq));
	KT_EQ(kt_objects(), objects);
	return 0;
}

static int t_unknown_op(void)
{
	l4_cap_t irq = kt_sel();
	KT_OK(l4_factory_create(F, PECAN_FACTORY_CREATE_IRQ, irq));
	const l4_cap_t caps[] = {PECAN_CAP_TASK, PECAN_CAP_THREAD, F, PECAN_CAP_KDEBUG, PECAN_CAP_ICU, irq};
	for (unsigned i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		KT_ERR(l4_invoke(caps[i], 99, 0, 0, 0, 0), PECAN_ENOSYS);
		KT_ERR(l4_invoke(caps[i], 0x10000, 0, 0, 0, 0), PECAN_ENOSYS);
	}
	return 0;
}

/* ---- factory ------------------------------------------------------------- */
static int t_factory_create_each(void)
{
	static const struct {
		unsigned op, type;
	} kinds[] = {
		{PECAN_FACTORY_CREATE_TASK, PECAN_OBJ_TASK},
		{PECAN_FACTORY_CREATE_THREAD, PECAN_OBJ_THREAD},
		{PECAN_FACTORY_CREATE_IRQ, PECAN_OBJ_IRQ},
	};
	uint64_t objects = kt_objects(), limit, used0, used, type, rights;
	KT_OK(l4_factory_info(F, &limit, &used0));
	KT_ASSERT(limit >= used0);
	l4_cap_t sel[5];
	for (unsigned i = 0; i < 3; i++) {
		sel[i] = kt_sel();
		KT_OK(l4_factory_create(F, kinds[i].op, sel[i]));
		KT_OK(l4_task_cap_info(PECAN_CAP_TASK, sel[i], &type, &rights));
		KT_EQ(type, kinds[i].type);
		KT_EQ(rights, PECAN_CAP_RWD);
	}
	sel[3] = kt_sel();
	KT_OK(l4_factory_create_gate(F, sel[3], sel[1], 0x1234));
	KT_OK(l4_task_cap_info(PECAN_CAP_TASK, sel[3], &type, &rights));
	KT_EQ(type, PECAN_OBJ_GATE);
	KT_EQ(rights, PECAN_CAP_RWD);
	sel[4] = kt_sel();
	KT_OK(l4_factory_create_factory(F, sel[4], 64 * 1024));
	KT_OK(l4_task_cap_info(PECAN_CAP_TASK, sel[4], &type, &rights));
	KT_EQ(type, PECAN_OBJ_FACTORY);
	KT_EQ(rights, PECAN_CAP_RWD);
	KT_EQ(kt_objects(), objects + 5);
	KT_OK(l4_factory_info(F, &limit, &used));
	KT_ASSERT(used >= used0 + 64 * 1024);
	for (int i = 4; i >= 0; i--) {
		KT_OK(kt_delete(sel[i]));
		KT_OK(l4_task_cap_info(PECAN_CAP_TASK, sel[i], &type, &rights));
		KT_EQ(type, PECAN_OBJ_NONE);
	}
	KT_EQ(kt_objects(), objects);
	KT_OK(l4_factory_info(F, &limit, &used));
	KT_EQ(used, used0);
	return 0;
}

static int t_factory_bad_dest(void)
{
	uint64_t objects = kt_objects(), limit, used0, used;
	KT_OK(l4_factory_info(F, &limit, &used0));
	l4_cap_t th = kt_sel();
	KT_OK(l4_factory_create(F, PECAN_FACTORY_CREATE_THREAD, th));
	static const unsigned ops[] = {PECAN_FACTORY_CREATE_TASK, PECAN_FACTORY_CREATE_THREAD, PECAN_FACTORY_CREATE_IRQ};
	for (unsigned i = 0; i < 3; i++) {
		KT_ERR(l4_factory_create(F, ops[i], 0), PECAN_EINVAL);
		KT_ERR(l4_factory_create(F, ops[i], PECAN_CAP_SPACE_SIZE), PECAN_EINVAL);
		KT_ERR(l4_factory_create(F, ops[i], 1ull << 40), PECAN_EINVAL);
		KT_ERR(l4_factory_create(F, ops[i], PECAN_CAP_TASK), PECAN_EBUSY);
		KT_ERR(l4_factory_create(F, ops[i], th), PECAN_EBUSY);
	}
	KT_ERR(l4_factory_create_gate(F, 0, th, 1), PECAN_EINVAL);
	KT_ERR(l4_factory_create_gate(F, PECAN_CAP_SPACE_SIZE, th, 1), PECAN_EINVAL);
	KT_ERR(l4_factory_create_gate(F, th, th, 1), PECAN_EBUSY);
	KT_ERR(l4_factory_create_factory(F, 0, 4096), PECAN_EINVAL);
	KT_ERR(l4_factory_create_factory(F, PECAN_CAP_FACTORY, 4096), PECAN_EBUSY);
	/* The boot capabilities are all still there. */
	uint64_t type, rights;
	KT_OK(l4_task_cap_info(PECAN_CAP_TASK, PECAN_CAP_TASK, &type, &rights));
	KT_EQ(type, PECAN_OBJ_TASK);
	KT_OK(l4_task_cap_info(PECAN_CAP_TASK, th, &type, &rights));
	KT_EQ(type, PECAN_OBJ_THREAD);
	KT_EQ(kt_objects(), objects + 1);
	KT_OK(kt_delete(th));
	KT_OK(l4_factory_info(F, &limit, &used));
	KT_EQ(used, used0);
	return 0;
}

static int t_factory_missing_words(void)
{
	uint64_t objects = kt_objects();
	l4_cap_t d = kt_sel();
	uint64_t a[3] = {d, PECAN_CAP_THREAD, 7};
	KT_ERR(l4_invoke(F, PECAN_FACTORY_CREATE_TASK, a, 0, 0, 0), PECAN_EINVAL);
	KT_ERR(l4_invoke(F, PECAN_FACTORY_CREATE_THREAD, a, 0, 0, 0), PECAN_EINVAL);
	KT_ERR(l4_invoke(F, PECAN_FACTORY_CREATE_IRQ, a, 0, 0, 0), PECAN_EINVAL);
	KT_ERR(l4_invoke(F, PECAN_FACTORY_CREATE_GATE, a, 2, 0, 0), PECAN_EINVAL);
	KT_ERR(l4_invoke(F, PECAN_FACTORY_CREATE_GATE, a, 1, 0, 0), PECAN_EINVAL);
	KT_ERR(l4_invoke(F, PECAN_FACTORY_CREATE_FACTORY, a, 1, 0, 0), PECAN_EINVAL);
	KT_EQ(kt_objects(), objects);
	/* Extra words are ignored. */
	KT_OK(l4_invoke(F, PECAN_FACTORY_CREATE_IRQ, a, 3, 0, 0));
	KT_EQ(kt_objects(), objects + 1);
	return 0;
}

static int t_factory_rights(void)
{
	l4_cap_t r = kt_sel(), w = kt_sel(), d = kt_sel();
	KT_OK(kt_map_self(F, PECAN_CAP_R, r));
	KT_OK(kt_map_self(F, PECAN_CAP_W, w));
	uint64_t limit, used, type, rights;
	KT_OK(l4_task_cap_info(PECAN_CAP_TASK, r, &type, &rights));
	KT_EQ(type, PECAN_OBJ_FACTORY);
	KT_EQ(rights, PECAN_CAP_R);
	uint64_t objects = kt_objects();
	KT_ERR(l4_factory_create(r, PECAN_FACTORY_CREATE_IRQ, d), PECAN_EPERM);
	KT_ERR(l4_factory_create(r, PECAN_FACTORY_CREATE_TASK, d), PECAN_EPERM);
	KT_ERR(l4_factory_create(r, PECAN_FACTORY_CREATE_THREAD, d), PECAN_EPERM);
	KT_ERR(l4_factory_create_gate(r, d, PECAN_CAP_THREAD, 1), PECAN_EPERM);
	KT_ERR(l4_factory_create_factory(r, d, 4096), PECAN_EPERM);
	KT_EQ(kt_objects(), objects);
	KT_OK(l4_factory_info(r, &limit, &used));
	KT_ERR(l4_factory_info(w, &limit, &used), PECAN_EPERM);
	KT_OK(l4_factory_create(w, PECAN_FACTORY_CREATE_IRQ, d));
	KT_EQ(kt_objects(), objects + 1);
	/* A derived capability goes, the object stays while the original names it. */
	KT_OK(kt_delete(r));
	KT_OK(l4_factory_info(F, &limit, &used));
	return 0;
}

static int t_factory_quota(void)
{
	uint64_t limit, used0, used1, used;
	l4_cap_t th = kt_sel();
	KT_OK(l4_factory_info(F, &limit, &used0));
	KT_OK(l4_factory_create(F, PECAN_FACTORY_CREATE_THREAD, th));
	KT_OK(l4_factory_info(F, &limit, &used1));
	uint64_t cost = used1 - used0;
	KT_ASSERT(used1 > used0);
	KT_OK(kt_delete(th));
	KT_OK(l4_factory_info(F, &limit, &used));
	KT_EQ(used, used0);

	uint64_t quota = 3 * cost + cost / 2;
	l4_cap_t sub = kt_sel();
	KT_OK(l4_factory_create_factory(F, sub, quota));
	KT_OK(l4_factory_info(F, &limit, &used));
	KT_ASSERT(used >= used0 + quota);
	KT_OK(l4_factory_info(sub, &limit, &used));
	KT_EQ(limit, quota);
	KT_EQ(used, 0);
	/* More than it has cannot be passed on. */
	l4_cap_t subsub = kt_sel();
	KT_ERR(l4_factory_create_factory(sub, subsub, quota + 4096), PECAN_ENOMEM);

	uint64_t objects = kt_objects();
	l4_cap_t made[8];
	unsigned n = 0;
	long err = PECAN_OK;
	while (n < 8) {
		l4_cap_t s = kt_sel();
		err = l4_factory_create(sub, PECAN_FACTORY_CREATE_THREAD, s);
		if (err)
			break;
		made[n++] = s;
	}
	KT_ERR(err, PECAN_ENOMEM);
	KT_EQ(n, 3);
	/* Nothing of the failed create exists. */
	uint64_t type, rights;
	KT_OK(l4_task_cap_info(PECAN_CAP_TASK, made[n - 1] + 1, &type, &rights));
	KT_EQ(type, PECAN_OBJ_NONE);
	KT_EQ(kt_objects(), objects + n);
	KT_OK(l4_factory_info(sub, &limit, &used));
	KT_EQ(limit, quota);
	KT_EQ(used, n * cost);
	KT_ASSERT(limit - used < cost);
	/* Smaller objects may still fit; a thread never. */
	KT_ERR(l4_factory_create(sub, PECAN_FACTORY_CREATE_THREAD, subsub), PECAN_ENOMEM);
	/* Freeing one makes room for one. */
	KT_OK(kt_delete(made[0]));
	KT_OK(l4_factory_info(sub, &limit, &used));
	KT_EQ(used, (n - 1) * cost);
	KT_OK(l4_factory_create(sub, PECAN_FACTORY_CREATE_THREAD, made[0]));
	for (unsigned i = 0; i < n; i++)
		KT_OK(kt_delete(made[i]));
	KT_OK(l4_factory_info(sub, &limit, &used));
	KT_EQ(used, 0);
	KT_OK(kt_delete(sub));
	KT_OK(l4_factory_info(F, &limit, &used));
	KT_EQ(used, used0);
	return 0;
}

/* ---- task ------------------------------------------------------------------ */
static int t_task_cap_info(void)
{
	static const struct {
		l4_cap_t sel;
		unsigned type;
	} boot[] = {
		{PECAN_CAP_TASK, PECAN_OBJ_TASK},     {PECAN_CAP_THREAD, PECAN_OBJ_THREAD},
		{PECAN_CAP_FACTORY, PECAN_OBJ_FACTORY}, {PECAN_CAP_KDEBUG, PECAN_OBJ_KDEBUG},
		{PECAN_CAP_ICU, PECAN_OBJ_ICU},
	};
	uint64_t type, rights;
	for (unsigned i = 0; i < 5; i++) {
		KT_OK(l4_task_cap_info(PECAN_CAP_TASK, boot[i].sel, &type, &rights));
		KT_EQ(type, boot[i].type);
		KT_ASSERT(rights & PECAN_CAP_R);
	}
	KT_OK(l4_task_cap_info(PECAN_CAP_TASK, 7, &type, &rights));
	KT_EQ(type, PECAN_OBJ_NONE);
	KT_OK(l4_task_cap_info(PECAN_CAP_TASK, PECAN_CAP_SPACE_SIZE - 1, &type, &rights));
	KT_EQ(type, PECAN_OBJ_NONE);
	KT_ERR(l4_task_cap_info(PECAN_CAP_TASK, PECAN_CAP_SPACE_SIZE, &type, &rights), PECAN_EINVAL);
	KT_ERR(l4_invoke(PECAN_CAP_TASK, PECAN_TASK_CAP_INFO, 0, 0, 0, 0), PECAN_EINVAL);
	/* Another task's space: the rights are those it got. */
	struct kt_task t;
	KT_CHECK(kt_task_create(&t));
	KT_OK(l4_task_cap_info(t.cap, KT_CSEL_KDEBUG, &type, &rights));
	KT_EQ(type, PECAN_OBJ_KDEBUG);
	KT_EQ(rights, PECAN_CAP_R);
	KT_OK(l4_task_cap_info(t.cap, PECAN_CAP_TASK, &type, &rights));
	KT_EQ(type, PECAN_OBJ_NONE); /* a created task starts with an empty space */
	return 0;
}

static int t_task_rights(void)
{
	struct kt_task t;
	KT_CHECK(kt_task_create(&t));
	l4_cap_t r = kt_sel(), w = kt_sel();
	KT_OK(kt_map_self(t.cap, PECAN_CAP_R, r));
	KT_OK(kt_map_self(t.cap, PECAN_CAP_W, w));
	uint64_t type, rights;
	KT_ERR(l4_task_map(r, PECAN_CAP_TASK, pecan_fpage_cap(PECAN_CAP_KDEBUG, 0, PECAN_CAP_R), 20, PECAN_ITEM_MAP),
	       PECAN_EPERM);
	KT_ERR(l4_task_unmap(r, pecan_fpage_cap(KT_CSEL_KDEBUG, 0, PECAN_CAP_RWD), PECAN_UNMAP_SELF), PECAN_EPERM);
	KT_ERR(l4_task_exit(r, 1), PECAN_EPERM);
	KT_OK(l4_task_cap_info(r, KT_CSEL_KDEBUG, &type, &rights));
	KT_EQ(type, PECAN_OBJ_KDEBUG); /* the failed unmap changed nothing */
	KT_ERR(l4_task_cap_info(w, KT_CSEL_KDEBUG, &type, &rights), PECAN_EPERM);
	/* The source task of a map needs R. */
	KT_ERR(l4_task_map(PECAN_CAP_TASK, w, pecan_fpage_cap(KT_CSEL_KDEBUG, 0, PECAN_CAP_R), kt_sel(), PECAN_ITEM_MAP),
	       PECAN_EPERM);
	KT_OK(l4_task_map(w, PECAN_CAP_TASK, pecan_fpage_cap(PECAN_CAP_KDEBUG, 0, PECAN_CAP_R), 20, PECAN_ITEM_MAP));
	KT_OK(l4_task_cap_info(t.cap, 20, &type, &rights));
	KT_EQ(type, PECAN_OBJ_KDEBUG);
	return 0;
}

static int t_task_map_cap(void)
{
	uint64_t type, rights, objects = kt_objects();
	l4_cap_t irq = kt_sel(), a = kt_sel(), b = kt_sel(), c = kt_sel();
	KT_OK(l4_factory_create(F, PECAN_FACTORY_CREATE_IRQ, irq));
	/* Rights are the intersection of the flexpage's and the source's. */
	KT_OK(kt_map_self(irq, PECAN_CAP_R | PECAN_CAP_D, a));
	KT_OK(l4_task_cap_info(PECAN_CAP_TASK, a, &type, &rights));
	KT_EQ(type, PECAN_OBJ_IRQ);
	KT_EQ(rights, PECAN_CAP_R | PECAN_CAP_D);
	KT_OK(kt_map_self(a, PECAN_CAP_RWD, b));
	KT_OK(l4_task_cap_info(PECAN_CAP_TASK, b, &type, &rights));
	KT_EQ(rights, PECAN_CAP_R | PECAN_CAP_D);
	/* Without D it cannot be passed on. */
	KT_OK(kt_map_self(irq, PECAN_CAP_R | PECAN_CAP_W, c));
	l4_cap_t e = kt_sel();
	KT_ERR(kt_map_self(c, PECAN_CAP_R, e), PECAN_EPERM);
	KT_OK(l4_task_cap_info(PECAN_CAP_TASK, e, &type, &rights));
	KT_EQ(type, PECAN_OBJ_NONE);
	KT_EQ(kt_objects(), objects + 1);
	/* An empty source selector is skipped. */
	KT_OK(kt_map_self(e, PECAN_CAP_RWD, kt_sel()));
	/* A map replaces what the destination held: the IRQ's last capability
	 * goes when a, b and c are replaced or deleted and irq too. */
	l4_cap_t irq2 = kt_sel();
	KT_OK(l4_factory_create(F, PECAN_FACTORY_CREATE_IRQ, irq2));
	KT_EQ(kt_objects(), objects + 2);
	KT_OK(kt_map_self(PECAN_CAP_KDEBUG, PECAN_CAP_R, irq2));
	KT_OK(l4_task_cap_info(PECAN_CAP_TASK, irq2, &type, &rights));
	KT_EQ(type, PECAN_OBJ_KDEBUG);
	KT_EQ(kt_objects(), objects + 1);
	/* Deleting the original revokes the derived ones. */
	KT_OK(kt_delete(irq));
	KT_OK(l4_task_cap_info(PECAN_CAP_TASK, a, &type, &rights));
	KT_EQ(type, PECAN_OBJ_NONE);
	KT_OK(l4_task_cap_info(PECAN_CAP_TASK, b, &type, &rights));
	KT_EQ(type, PECAN_OBJ_NONE);
	KT_OK(l4_task_cap_info(PECAN_CAP_TASK, c, &type, &rights));
	KT_EQ(type, PECAN_OBJ_NONE);
	KT_EQ(kt_objects(), objects);
	return 0;
}

static int t_task_map_errors(void)
{
	struct kt_task t;
	KT_CHECK(kt_task_create(&t));
	uint64_t page = (uint64_t)kt_page();
	uint64_t type, rights;
	l4_cap_t T = t.cap, S = PECAN_CAP_TASK;
	pecan_fpage_t cap = pecan_fpage_cap(PECAN_CAP_KDEBUG, 0, PECAN_CAP_R);
	KT_ERR(l4_task_map(T, S, 0, 20, PECAN_ITEM_MAP), PECAN_EINVAL);                   /* no flexpage */
	KT_ERR(l4_task_map(T, S, cap, 20, 0), PECAN_EINVAL);                              /* no item type */
	KT_ERR(l4_task_map(T, S, cap, 20, 3), PECAN_EINVAL);                              /* unknown item type */
	KT_ERR(l4_task_map(T, S, cap, PECAN_CAP_SPACE_SIZE, PECAN_ITEM_MAP), PECAN_EINVAL); /* beyond the space */
	KT_ERR(l4_task_map(T, S, pecan_fpage_cap(PECAN_CAP_SPACE_SIZE, 0, PECAN_CAP_R), 20, PECAN_ITEM_MAP),
	       PECAN_EINVAL);
	KT_ERR(l4_task_map(T, S, pecan_fpage_mem(page, 11, PECAN_FPAGE_R), page, PECAN_ITEM_MAP), PECAN_EINVAL);
	/* Bit 12 set: never aligned to 8 KiB. */
	KT_ERR(l4_task_map(T, S, pecan_fpage_mem(page | 0x1000, 13, PECAN_FPAGE_R), page & ~0x1fffull, PECAN_ITEM_MAP),
	       PECAN_EINVAL);
	KT_ERR(l4_task_map(T, S, pecan_fpage_mem(page, 12, PECAN_FPAGE_R), page + 0x800, PECAN_ITEM_MAP),
	       PECAN_EINVAL); /* unaligned destination */
	KT_ERR(l4_task_map(T, S, pecan_fpage_mem(page, 12, PECAN_FPAGE_R), 0xffff800000000000ull, PECAN_ITEM_MAP),
	       PECAN_EINVAL); /* not a user address */
	uint64_t args[4] = {S, cap, 20, PECAN_ITEM_MAP};
	KT_ERR(l4_invoke(T, PECAN_TASK_MAP, args, 3, 0, 0), PECAN_EINVAL);
	uint64_t uargs[2] = {pecan_fpage_cap(20, 0, PECAN_CAP_RWD), 0};
	KT_ERR(l4_invoke(T, PECAN_TASK_UNMAP, uargs, 1, 0, 0), PECAN_EINVAL);
	KT_ERR(l4_task_unmap(T, 0, 0), PECAN_EINVAL);
	KT_ERR(l4_invoke(T, PECAN_TASK_EXIT, 0, 0, 0, 0), PECAN_EINVAL);
	KT_OK(l4_task_cap_info(T, 20, &type, &rights));
	KT_EQ(type, PECAN_OBJ_NONE);
	return 0;
}

static void report_state_fn(void *p)
{
	l4_cap_t gate = *(l4_cap_t *)p;
	kt_report1(gate, 1);
	kt_park();
}

static int t_task_exit_child(void)
{
	struct kt_task t;
	struct kt_thread a, b;
	KT_CHECK(kt_task_create(&t));
	l4_cap_t rep = kt_main_gate(1);
	KT_ASSERT(rep);
	KT_OK(kt_task_map_cap(&t, rep, PECAN_CAP_R, KT_CSEL_REPORT));
	KT_CHECK(kt_thread_create(&a, &t, 0, 0));
	KT_CHECK(kt_thread_create(&b, &t, 0, 0));
	*(l4_cap_t *)a.data = KT_CSEL_REPORT;
	KT_OK(kt_thread_start(&a, report_state_fn, a.data));
	uint64_t w;
	KT_REPORT(rep, 1, &w);
	KT_CHECK(kt_wait_state(a.cap, PECAN_THREAD_STATE_RECEIVING));
	KT_OK(kt_thread_start(&b, kt_spin_fn, b.data));
	KT_OK(l4_task_exit(t.cap, 7));
	uint64_t state, prio;
	KT_OK(l4_thread_info(a.cap, &state, &prio));
	KT_EQ(state, PECAN_THREAD_STATE_DEAD);
	KT_OK(l4_thread_info(b.cap, &state, &prio));
	KT_EQ(state, PECAN_THREAD_STATE_DEAD);
	/* The spinning one makes no progress any more. */
	uint64_t c = *(volatile uint64_t *)b.data;
	kt_sleep_us(3000);
	KT_EQ(*(volatile uint64_t *)b.data, c);
	return 0;
}

/* ---- kdebug ---------------------------------------------------------------- */

/* PECAN_KDEBUG_COUNTERS: MR[0] what; r[0] on, r[1..] the counters */
static long counters(l4_cap_t cap, uint64_t what, uint64_t r[1 + PECAN_CNT_COUNT])
{
	return l4_invoke(cap, PECAN_KDEBUG_COUNTERS, &what, 1, r, 1 + PECAN_CNT_COUNT);
}

static int t_kdebug_counters(void)
{
	uint64_t a[1 + PECAN_CNT_COUNT], b[1 + PECAN_CNT_COUNT], c[1 + PECAN_CNT_COUNT], t, hz;
	l4_cap_t r = kt_sel();
	KT_OK(kt_map_self(PECAN_CAP_KDEBUG, PECAN_CAP_R, r));
	KT_OK(counters(PECAN_CAP_KDEBUG, PECAN_COUNTERS_READ, a));
	KT_EQ(a[0], 0); /* off from boot */
	KT_ERR(counters(PECAN_CAP_KDEBUG, PECAN_COUNTERS_OFF + 1, a), PECAN_EINVAL);
	KT_ERR(counters(r, PECAN_COUNTERS_ON, a), PECAN_EPERM); /* switching needs W */
	KT_OK(counters(r, PECAN_COUNTERS_READ, a));
	KT_EQ(a[0], 0);
	/* on: 100 invocations by this thread (class "other") count, with time in the kernel and in user mode */
	KT_OK(counters(PECAN_CAP_KDEBUG, PECAN_COUNTERS_ON, a));
	KT_EQ(a[0], 1);
	for (int i = 0; i < 100; i++)
		KT_OK(l4_kdebug_clock(&t, &hz));
	KT_OK(counters(PECAN_CAP_KDEBUG, PECAN_COUNTERS_READ, b));
	KT_EQ(b[0], 1);
	KT_ASSERT(b[1 + PECAN_CNT_ENTRIES + PECAN_CNT_OTHER] >= a[1 + PECAN_CNT_ENTRIES + PECAN_CNT_OTHER] + 100);
	KT_ASSERT(b[1 + PECAN_CNT_KERNEL + PECAN_CNT_OTHER] > a[1 + PECAN_CNT_KERNEL + PECAN_CNT_OTHER]);
	KT_ASSERT(b[1 + PECAN_CNT_USER + PECAN_CNT_OTHER] > a[1 + PECAN_CNT_USER + PECAN_CNT_OTHER]);
	KT_ASSERT(b[1 + PECAN_CNT_OVERHEAD] > a[1 + PECAN_CNT_OVERHEAD]);
	/* no vCPU ran */
	KT_EQ(b[1 + PECAN_CNT_ENTRIES + PECAN_CNT_PROCESS], a[1 + PECAN_CNT_ENTRIES + PECAN_CNT_PROCESS]);
	/* a sleep: timer interrupts and thread switches through the counting entries */
	kt_sleep_us(2000);
	/* off: the counters keep their values and stop */
	KT_OK(counters(PECAN_CAP_KDEBUG, PECAN_COUNTERS_OFF, b));
	KT_EQ(b[0], 0);
	for (int i = 0; i < 10; i++)
		KT_OK(l4_kdebug_clock(&t, &hz));
	KT_OK(counters(PECAN_CAP_KDEBUG, PECAN_COUNTERS_READ, c));
	for (unsigned i = 1; i <= PECAN_CNT_COUNT; i++)
		KT_EQ(c[i], b[i]);
	return 0;
}

static int t_kdebug_ops(void)
{
	uint64_t kmem, frames, objects, t1, t2, hz;
	KT_OK(l4_kdebug_stats(&kmem, &frames, &objects));
	KT_ASSERT(kmem > 0);
	KT_ASSERT(objects > 0);
	KT_OK(l4_kdebug_clock(&t1, &hz));
	KT_ASSERT(hz >= 100);
	kt_sleep_us(2000);
	KT_OK(l4_kdebug_clock(&t2, &hz));
	KT_ASSERT(t2 >= t1 + 2 * hz / 1000);
	struct pecan_utcb *u = pecan_utcb();
	pecan_msgtag_t tag;
	KT_ERR(l4_ipc_call(PECAN_CAP_KDEBUG, pecan_msgtag(PECAN_KDEBUG_WRITE, 0, 0, 0), KT_TIMEOUT, &tag), PECAN_EINVAL);
	u->mr[0] = 9; /* nine bytes, but only one word of them */
	KT_ERR(l4_ipc_call(PECAN_CAP_KDEBUG, pecan_msgtag(PECAN_KDEBUG_WRITE, 2, 0, 0), KT_TIMEOUT, &tag), PECAN_EINVAL);
	u->mr[0] = 505;
	KT_ERR(l4_ipc_call(PECAN_CAP_KDEBUG, pecan_msgtag(PECAN_KDEBUG_WRITE, 64, 0, 0), KT_TIMEOUT, &tag), PECAN_EINVAL);
	u->mr[0] = 0;
	KT_OK(l4_ipc_call(PECAN_CAP_KDEBUG, pecan_msgtag(PECAN_KDEBUG_WRITE, 1, 0, 0), KT_TIMEOUT, &tag));
	/* A kernel object's reply carries label 0 in rdi and the results as words. */
	uint64_t rtag, label;
	KT_OK(pecan_syscall(PECAN_CAP_KDEBUG, pecan_msgtag(PECAN_KDEBUG_CLOCK, 0, 0, 0), PECAN_IPC_CALL, KT_TIMEOUT,
			    KT_TIMEOUT, 0, &rtag, &label));
	KT_EQ(label, 0);
	KT_ASSERT(pecan_msgtag_words(rtag) >= 2);
	/* Rights. */
	l4_cap_t r = kt_sel(), w = kt_sel();
	KT_OK(kt_map_self(PECAN_CAP_KDEBUG, PECAN_CAP_R, r));
	KT_OK(kt_map_self(PECAN_CAP_KDEBUG, PECAN_CAP_W | PECAN_CAP_D, w));
	KT_OK(l4_invoke(r, PECAN_KDEBUG_CLOCK, 0, 0, 0, 0));
	KT_ERR(l4_invoke(w, PECAN_KDEBUG_STATS, 0, 0, 0, 0), PECAN_EPERM);
	KT_ERR(l4_invoke(w, PECAN_KDEBUG_CLOCK, 0, 0, 0, 0), PECAN_EPERM);
	/* A kernel object invoked with a typed item. */
	u->mr[0] = pecan_item_word0(PECAN_ITEM_MAP, 0);
	u->mr[1] = pecan_fpage_cap(PECAN_CAP_KDEBUG, 0, PECAN_CAP_R);
	KT_ERR(l4_ipc_call(PECAN_CAP_KDEBUG, pecan_msgtag(PECAN_KDEBUG_CLOCK, 0, 1, 0), KT_TIMEOUT, &tag), PECAN_EINVAL);
	return 0;
}

const struct ktest ktest_objects[] = {
	{"cap.bad_selector", "selector 0, empty, 4095, 4096 and huge selectors give ECAP", t_bad_selector},
	{"cap.wrong_type", "argument selectors naming the wrong kind of object give ECAP, change nothing", t_wrong_type},
	{"cap.unknown_op", "an unknown operation on every object gives ENOSYS", t_unknown_op},
	{"factory.create_each", "create a task, thread, IRQ, gate, factory; CAP_INFO; delete them all", t_factory_create_each},
	{"factory.bad_dest", "create into selector 0, 4096 (EINVAL) or a used one (EBUSY)", t_factory_bad_dest},
	{"factory.missing_words", "creates with too few argument words give EINVAL", t_factory_missing_words},
	{"factory.rights", "create needs W, INFO needs R", t_factory_rights},
	{"factory.quota", "a sub-factory's quota runs out with ENOMEM and nothing half-created", t_factory_quota},
	{"task.cap_info", "CAP_INFO of boot capabilities, empty and out-of-range selectors", t_task_cap_info},
	{"task.rights", "MAP/UNMAP/EXIT need W, CAP_INFO needs R, a map's source task needs R", t_task_rights},
	{"task.map_cap", "capability maps: rights intersect, D needed, replace, recursive delete", t_task_map_cap},
	{"task.map_errors", "malformed MAP and UNMAP arguments give EINVAL", t_task_map_errors},
	{"task.exit_child", "EXIT of a child task makes its threads dead", t_task_exit_child},
	{"kdebug.ops", "kdebug STATS, CLOCK, WRITE errors and rights", t_kdebug_ops},
	{"kdebug.counters", "measurement counters: off from boot, W to switch, on they count, off they stop", t_kdebug_counters},
	{0, 0, 0},
};
