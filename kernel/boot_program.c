/* Boot programs: load the ELF, give the first task its capabilities, KIP and window; clean up and check for leaks at its end. */
#include "boot_program.h"
#include "cap.h"
#include "console.h"
#include "elf64.h"
#include "factory.h"
#include "irq.h"
#include "kdebug.h"
#include "kmem.h"
#include "mapping.h"
#include "panic.h"
#include "pmem.h"
#include "power.h"
#include "sched.h"
#include "string.h"
#include "task.h"
#include "thread.h"
#include "pecan/fpage.h"
#include "pecan/kip.h"
#include "pecan/syscall.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/rtc.h"

struct boot_program {
	char name[BOOT_NAME_MAX];
	const struct boot_module *module;
	struct task *task;        /* NULL once destroyed */
	struct factory *factory;  /* its root factory; the kernel holds a reference */
	void *kip;                /* the KIP page, charged to the factory */
	bool running, ended;
	uint64_t base_kmem, base_objects, base_nodes; /* before it started: the leak check */
};

enum { KERNEL_RESERVE = 256 * 1024 }; /* kernel memory no boot program may take */

static const struct boot_info *boot_info;
static const char *run_next, *run_end; /* what is left of run=NAME,NAME,... */
static struct boot_program bp;
static unsigned failed, leaked;
static uint64_t boot_time; /* the CMOS clock when the kernel started */

void boot_programs_init(const struct boot_info *bi)
{
	size_t len;
	boot_info = bi;
	boot_time = rtc_read_unix_time();
	const char *list = bootinfo_arg(bi, "run", &len);
	if (!list || len == 0) {
		kprintf("pecan: no boot programs (kernel argument run=NAME,... is missing)\n");
		list = "";
		len = 0;
	}
	run_next = list;
	run_end = list + len;
}

const char *boot_program_name(struct task *t)
{
	(void)t; /* every task belongs to the one running boot program */
	return bp.running ? bp.name : "kernel";
}

static unsigned elf_perms(uint32_t flags)
{
	return ((flags & ELF_PF_R) ? MAP_READ : 0) | ((flags & ELF_PF_W) ? MAP_WRITE : 0) |
	       ((flags & ELF_PF_X) ? MAP_EXEC : 0);
}

/* A fresh page charged to the program, filled from the file, mapped as an owned root. */
static bool load_page(const uint8_t *file, const struct elf_segment *s, uint64_t va, unsigned perms)
{
	uint8_t *page = factory_alloc(bp.factory, PAGE_SIZE);
	if (!page)
		return false;
	if (s) {
		uint64_t lo = va > s->vaddr ? va : s->vaddr, hi = va + PAGE_SIZE;
		if (hi > s->vaddr + s->filesz)
			hi = s->vaddr + s->filesz;
		if (lo < hi)
			memcpy(page + (lo - va), file + s->offset + (lo - s->vaddr), hi - lo);
	}
	if (mapping_insert_root(bp.task, va, virt_to_phys(page), perms | MAPPING_OWNED)) {
		factory_free(bp.factory, page, PAGE_SIZE);
		return false;
	}
	return true;
}

static void fill_kip(struct pecan_kip *kip, const struct boot_module *m)
{
	kip->magic = PECAN_KIP_MAGIC;
	kip->timer_hz = SCHED_HZ;
	kip->boot_time = boot_time;
	const struct pmem_range *r;
	unsigned n = pmem_user_ranges(&r);
	for (unsigned i = 0; i < n && i < PECAN_KIP_MAX_MEM; i++)
		kip->mem[kip->nmem++] = (struct pecan_kip_mem){r[i].start, r[i].end};
	for (unsigned i = 0; i < boot_info->nmodules && i < PECAN_KIP_MAX_MODULES; i++) {
		const struct boot_module *bm = &boot_info->modules[i];
		struct pecan_kip_module *km = &kip->modules[kip->nmodules++];
		km->start = bm->start;
		km->size = bm->end - bm->start;
		memcpy(km->name, bm->name, strlen(bm->name) < PECAN_KIP_NAME_MAX ? strlen(bm->name) : PECAN_KIP_NAME_MAX - 1);
		size_t al = strlen(bm->args);
		memcpy(km->args, bm->args, al < PECAN_KIP_MODARGS_MAX ? al : PECAN_KIP_MODARGS_MAX - 1);
	}
	size_t al = strlen(m->args);
	memcpy(kip->args, m->args, al < PECAN_KIP_ARGS_MAX ? al : PECAN_KIP_ARGS_MAX - 1);
}

/* Builds the program; on failure says why and leaves the cleanup to finish(). */
static bool build(const struct boot_module *m, struct thread **main_thread)
{
	const uint8_t *file = phys_to_virt(m->start);
	struct elf_image img;
	char err[160];
	if (elf_check_exec(file, m->end - m->start, PECAN_PHYS_WINDOW, &img, err, sizeof(err)) != 0) {
		kprintf("pecan: cannot start %s: invalid ELF: %s\n", m->name, err);
		return false;
	}
	struct task *t = task_create(bp.factory);
	struct thread *th = t ? thread_create(bp.factory, PECAN_PRIO_DEFAULT) : NULL;
	if (!t || !th) {
		if (t) /* nothing refers to it yet: let the destroy queue take it */
			kobject_get(&t->obj), kobject_put(&t->obj);
		goto oom;
	}
	bp.task = t;
	t->boot = &bp;
	static const struct { uint64_t sel; unsigned what; } initial[] = {
		{PECAN_CAP_TASK, 0}, {PECAN_CAP_THREAD, 1}, {PECAN_CAP_FACTORY, 2},
		{PECAN_CAP_KDEBUG, 3}, {PECAN_CAP_ICU, 4},
	};
	if (cap_prepare(t, PECAN_CAP_TASK)) { /* selectors 1..5 share the first page */
		kobject_get(&t->obj), kobject_put(&t->obj);
		kobject_get(&th->obj), kobject_put(&th->obj);
		bp.task = NULL;
		goto oom;
	}
	for (unsigned i = 0; i < sizeof(initial) / sizeof(initial[0]); i++) {
		struct kobject *objs[] = {&t->obj, &th->obj, &bp.factory->obj, &kdebug_object, &icu_object};
		cap_insert_root(t, initial[i].sel, objs[initial[i].what], PECAN_CAP_RWD);
	}
	/* from here on, the task's capability space holds everything: finish() frees it */
	for (unsigned i = 0; i < img.nsegments; i++) {
		const struct elf_segment *s = &img.seg[i];
		for (uint64_t va = s->vaddr & ~(PAGE_SIZE - 1); va < s->vaddr + s->memsz; va += PAGE_SIZE)
			if (!load_page(file, s, va, elf_perms(s->flags)))
				goto oom;
	}
	for (uint64_t va = PECAN_BOOT_STACK_TOP - PECAN_BOOT_STACK_SIZE; va < PECAN_BOOT_STACK_TOP; va += PAGE_SIZE)
		if (!load_page(NULL, NULL, va, MAP_READ | MAP_WRITE))
			goto oom;
	bp.kip = factory_alloc(bp.factory, PAGE_SIZE);
	if (!bp.kip)
		goto oom;
	fill_kip(bp.kip, m);
	if (mapping_map_pinned(t, PECAN_BOOT_KIP, virt_to_phys(bp.kip), MAP_READ) ||
	    thread_bind(th, t, PECAN_BOOT_UTCB))
		goto oom;
	th->boot_main = true;
	thread_set_user_entry(th, img.entry, PECAN_BOOT_STACK_TOP - 8, PECAN_BOOT_KIP);
	*main_thread = th;
	return true;
oom:
	kprintf("pecan: cannot start %s: out of kernel memory\n", m->name);
	return false;
}

static void start(const struct boot_module *m)
{
	memset(&bp, 0, sizeof(bp));
	memcpy(bp.name, m->name, sizeof(bp.name));
	bp.module = m;
	bp.base_kmem = kmem_in_use();
	bp.base_objects = kobject_count();
	bp.base_nodes = mapping_node_count();
	uint64_t avail = kmem_available();
	bp.factory = factory_create_root(avail > KERNEL_RESERVE ? avail - KERNEL_RESERVE : 0);
	if (!bp.factory) {
		kprintf("pecan: cannot start %s: out of kernel memory\n", m->name);
		failed++;
		return;
	}
	kobject_get(&bp.factory->obj);
	bp.running = true;
	struct thread *th;
	if (build(m, &th)) {
		sched_ready(th, false);
		return;
	}
	failed++;
	bp.ended = true; /* poll() cleans up */
}

/* Deletes everything the program held and checks that all of it came back. */
static void finish(void)
{
	struct task *t = bp.task;
	if (t) {
		if (!t->exited)
			task_exit(t, 0);
		if (bp.kip) {
			mapping_unmap_pinned(t, PECAN_BOOT_KIP);
			factory_free(bp.factory, bp.kip, PAGE_SIZE);
			bp.kip = NULL;
		}
		cap_space_destroy(t); /* its own task capability goes too */
	}
	kobject_destroy_pending();
	thread_reap();
	if (bp.factory->used)
		/* kept, not destroyed: its charges point at memory someone still holds */
		kprintf("pecan: LEAK: %s: %lu bytes still charged to its factory\n", bp.name, bp.factory->used);
	else
		kobject_put(&bp.factory->obj);
	kobject_destroy_pending();
	if (kmem_in_use() != bp.base_kmem || kobject_count() != bp.base_objects ||
	    mapping_node_count() != bp.base_nodes) {
		kprintf("pecan: LEAK: %s: kernel memory %ld bytes, %ld objects, %ld mappings not returned\n", bp.name,
			(long)(kmem_in_use() - bp.base_kmem), (long)(kobject_count() - bp.base_objects),
			(long)(mapping_node_count() - bp.base_nodes));
		leaked++;
	}
	bp.running = false;
}

void boot_program_poll(void)
{
	if (bp.running) {
		if (bp.ended)
			finish();
		return;
	}
	if (run_next >= run_end) {
		if (leaked)
			kprintf("pecan: LEAK: %u boot programs did not return all kernel memory\n", leaked);
		else
			kprintf("pecan: all boot programs ended, %lu frames free, none leaked\n", pmem_free_frames());
		if (failed)
			kprintf("pecan: %u boot programs could not be started\n", failed);
		kprintf("pecan: scenario finished, powering off\n");
		power_off();
	}
	const char *comma = run_next;
	while (comma < run_end && *comma != ',')
		comma++;
	size_t n = (size_t)(comma - run_next);
	const struct boot_module *m = bootinfo_module(boot_info, run_next, n);
	if (!m) {
		kprintf("pecan: run=: no boot module named '%.*s'\n", (int)n, run_next);
		failed++;
	} else {
		start(m);
	}
	run_next = comma + 1;
}

bool boot_program_stuck(void)
{
	if (!bp.running || bp.ended || sched_has_timeouts() || irq_attached_lines())
		return false;
	kprintf("pecan: %s: every thread is blocked and nothing can wake one; ending it\n", bp.name);
	bp.ended = true;
	return true;
}

void boot_program_exited(struct boot_program *p, long code)
{
	if (p->ended)
		return;
	kprintf("pecan: %s exited with code %ld\n", p->name, code);
	p->ended = true;
}

void boot_program_main_died(struct thread *t)
{
	t->boot_main = false;
	if (bp.ended || !bp.running)
		return;
	kprintf("pecan: %s ended: its first thread is gone\n", bp.name);
	bp.ended = true;
}

void boot_program_task_gone(struct boot_program *p) { p->task = NULL; }

bool boot_program_window_fault(struct task *t, uint64_t addr, bool write)
{
	if (addr < PECAN_PHYS_WINDOW || addr - PECAN_PHYS_WINDOW >= PHYSMAP_SIZE || t != bp.task)
		return false;
	uint64_t pa = (addr - PECAN_PHYS_WINDOW) & ~(PAGE_SIZE - 1);
	unsigned rights;
	if (pmem_is_user(pa)) {
		rights = MAP_READ | MAP_WRITE | MAP_EXEC;
	} else {
		bool module = false;
		for (unsigned i = 0; i < boot_info->nmodules; i++)
			if (pa >= (boot_info->modules[i].start & ~(PAGE_SIZE - 1)) && pa < boot_info->modules[i].end)
				module = true;
		if (!module || write)
			return false;
		rights = MAP_READ;
	}
	/* every frame has at most one root: a page already handed on stays where it went */
	if (mapping_frame_in_use(pa))
		return false;
	return mapping_insert_root(t, addr & ~(PAGE_SIZE - 1), pa, rights) == 0;
}
