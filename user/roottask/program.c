/* Programs: their kernel objects, address-space regions, on-demand paging, crash reports and teardown. */
#include "roottask.h"
#include "stdio.h"
#include "string.h"
#include "pecan/rt/env.h"
#include "pecan/rt/mem.h"

struct program programs[RT_MAX_PROGRAMS];

static uint8_t *owner;        /* per frame: the id of the program whose page it is, 0: none */
static uint64_t owner_frames;

static void owner_init(void)
{
	const struct pecan_kip *kip = l4_kip();
	uint64_t top = 0;
	for (unsigned i = 0; i < kip->nmem && i < PECAN_KIP_MAX_MEM; i++)
		if (kip->mem[i].end > top)
			top = kip->mem[i].end;
	owner_frames = top / 4096;
	uint64_t pa = pool_alloc(owner_frames, 4096);
	if (pa == ~0ull) {
		rt_log("no memory for the page owner table");
		l4_exit(1);
	}
	owner = window(pa);
	memset(owner, 0, owner_frames);
}

uint64_t program_page_alloc(struct program *p)
{
	if (p->mem_used + 4096 > p->mem_limit)
		return ~0ull;
	uint64_t pa = pool_alloc(4096, 4096);
	if (pa == ~0ull)
		return ~0ull;
	owner[pa / 4096] = (uint8_t)p->id;
	p->mem_used += 4096;
	return pa;
}

static unsigned elf_rights(uint32_t flags)
{
	return ((flags & ELF_PF_R) ? PECAN_FPAGE_R : 0) | ((flags & ELF_PF_W) ? PECAN_FPAGE_W : 0) |
	       ((flags & ELF_PF_X) ? PECAN_FPAGE_X : 0);
}

/* Gives a capability of the roottask's to the program at sel there. */
static long give(struct program *p, uint64_t from, uint64_t sel, unsigned rights)
{
	return l4_task_map(p->sel_task, PECAN_CAP_TASK, pecan_fpage_cap(from, 0, rights), sel, PECAN_ITEM_MAP);
}

struct program *program_create(const char *name, const char *tag, const uint8_t *image, uint64_t size,
			       uint64_t kmem, uint64_t mem, bool server)
{
	if (!owner)
		owner_init();
	struct program *p = NULL;
	for (unsigned i = 0; i < RT_MAX_PROGRAMS; i++)
		if (!programs[i].used) {
			p = &programs[i];
			memset(p, 0, sizeof(*p));
			p->id = i + 1;
			break;
		}
	if (!p) {
		rt_log("cannot start %s: too many programs (at most %d)", name, RT_MAX_PROGRAMS);
		return NULL;
	}
	struct elf_image img;
	char err[160];
	if (elf_check_exec(image, size, PECAN_HEAP_BASE, &img, err, sizeof(err))) {
		rt_log("cannot start %s: invalid ELF: %s", name, err);
		return NULL;
	}
	p->used = true;
	p->server = server;
	strlcpy(p->name, name, sizeof(p->name));
	strlcpy(p->tag, tag, sizeof(p->tag));
	p->image = image;
	p->image_size = size;
	p->entry = img.entry;
	p->mem_limit = mem;
	for (unsigned i = 0; i < img.nsegments; i++) {
		const struct elf_segment *s = &img.seg[i];
		p->regions[p->nregions++] = (struct region){
			.start = s->vaddr & ~4095ull, .end = (s->vaddr + s->memsz + 4095) & ~4095ull,
			.perms = elf_rights(s->flags), .data_va = s->vaddr, .data_off = s->offset, .data_len = s->filesz,
		};
	}
	p->regions[p->nregions++] = (struct region){PECAN_BOOT_STACK_TOP - RT_STACK_SIZE, PECAN_BOOT_STACK_TOP,
						    PECAN_FPAGE_R | PECAN_FPAGE_W, 0, 0, 0};
	uint64_t heap = mem < RT_HEAP_MAX ? mem : RT_HEAP_MAX;
	p->regions[p->nregions++] = (struct region){PECAN_HEAP_BASE, PECAN_HEAP_BASE + (heap & ~4095ull),
						    PECAN_FPAGE_R | PECAN_FPAGE_W, 0, 0, 0};

	long e = PECAN_ENOMEM;
	if (!(p->sel_factory = sel_alloc()) || (e = l4_factory_create_factory(PECAN_CAP_FACTORY, p->sel_factory, kmem)))
		goto fail;
	if (!(p->sel_task = sel_alloc()) || (e = l4_factory_create(p->sel_factory, PECAN_FACTORY_CREATE_TASK, p->sel_task)))
		goto fail;
	if (!(p->sel_thread = sel_alloc()) ||
	    (e = l4_factory_create(p->sel_factory, PECAN_FACTORY_CREATE_THREAD, p->sel_thread)))
		goto fail;
	if (!(p->sel_fault_gate = sel_alloc()) ||
	    (e = l4_factory_create_gate(PECAN_CAP_FACTORY, p->sel_fault_gate, PECAN_CAP_THREAD, rt_label(KIND_FAULT, p->id))))
		goto fail;
	if (!(p->sel_mem_gate = sel_alloc()) ||
	    (e = l4_factory_create_gate(PECAN_CAP_FACTORY, p->sel_mem_gate, PECAN_CAP_THREAD, rt_label(KIND_MEM, p->id))))
		goto fail;
	if ((e = give(p, p->sel_task, PECAN_RT_CAP_TASK, PECAN_CAP_RWD)) ||
	    (e = give(p, p->sel_thread, PECAN_RT_CAP_THREAD, PECAN_CAP_RWD)) ||
	    (e = give(p, p->sel_factory, PECAN_RT_CAP_FACTORY, PECAN_CAP_RWD)) ||
	    (e = give(p, p->sel_mem_gate, PECAN_RT_CAP_MEM, PECAN_CAP_R)) ||
	    (e = give(p, p->sel_fault_gate, PECAN_RT_CAP_PAGER, PECAN_CAP_R)))
		goto fail;
	p->alive = true;
	return p;
fail:
	rt_log("cannot start %s: %s (kernel-memory quota %lu KiB)", name, l4_strerror(e), kmem >> 10);
	p->alive = true;
	program_kill(p, NULL);
	return NULL;
}

static long map_env(struct program *p, const struct pecan_env *env)
{
	uint64_t pa = program_page_alloc(p);
	if (pa == ~0ull)
		return PECAN_ENOMEM;
	memset(window(pa), 0, 4096);
	memcpy(window(pa), env, sizeof(*env));
	p->env_pa = pa;
	return l4_task_map(p->sel_task, PECAN_CAP_TASK, pecan_fpage_mem((uint64_t)window(pa), 12, PECAN_FPAGE_R),
			   PECAN_ENV_ADDR, PECAN_ITEM_MAP);
}

long program_start(struct program *p, const struct pecan_env *env, unsigned prio)
{
	long e = PECAN_ENOMEM;
	if ((e = map_env(p, env)) ||
	    (e = l4_thread_control(p->sel_thread, p->sel_task, PECAN_BOOT_UTCB, PECAN_RT_CAP_PAGER, PECAN_RT_CAP_PAGER)) ||
	    (e = l4_thread_sched(p->sel_thread, prio, 0)) ||
	    (e = l4_thread_ex_regs(p->sel_thread, p->entry, PECAN_BOOT_STACK_TOP - 8,
				   PECAN_EXREGS_SET_IP | PECAN_EXREGS_SET_SP | PECAN_EXREGS_START))) {
		rt_log("cannot start %s: %s", p->name, l4_strerror(e));
		program_kill(p, NULL);
	}
	return e;
}

static const struct region *region_of(const struct program *p, uint64_t va)
{
	for (unsigned i = 0; i < p->nregions; i++)
		if (va >= p->regions[i].start && va < p->regions[i].end)
			return &p->regions[i];
	return NULL;
}

/* A fresh page for va of region r: zeroes and the file's bytes that fall into it. */
static uint64_t fill_page(struct program *p, const struct region *r, uint64_t va)
{
	uint64_t pa = program_page_alloc(p);
	if (pa == ~0ull)
		return pa;
	uint8_t *page = window(pa);
	memset(page, 0, 4096);
	if (r->data_len) {
		uint64_t lo = va > r->data_va ? va : r->data_va, hi = va + 4096;
		if (hi > r->data_va + r->data_len)
			hi = r->data_va + r->data_len;
		if (lo < hi)
			memcpy(page + (lo - va), p->image + r->data_off + (lo - r->data_va), hi - lo);
	}
	return pa;
}

long program_prefault(struct program *p)
{
	for (unsigned i = 0; i < p->nregions; i++) {
		const struct region *r = &p->regions[i];
		if (r->start == PECAN_HEAP_BASE)
			continue; /* the heap stays on demand: the log server has none */
		for (uint64_t va = r->start; va < r->end; va += 4096) {
			uint64_t pa = fill_page(p, r, va);
			if (pa == ~0ull)
				return PECAN_ENOMEM;
			long e = l4_task_map(p->sel_task, PECAN_CAP_TASK, pecan_fpage_mem((uint64_t)window(pa), 12, r->perms),
					     va, PECAN_ITEM_MAP);
			if (e)
				return e;
		}
	}
	return PECAN_OK;
}

static const char *const exception_names[32] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow", "#BR bound range",
	"#UD invalid opcode", "#NM device not available", "#DF double fault", "coprocessor overrun",
	"#TS invalid TSS", "#NP segment not present", "#SS stack fault", "#GP general protection",
	"#PF page fault", "reserved", "#MF x87 floating point", "#AC alignment check", "#MC machine check",
	"#XM SIMD floating point",
};

static void crash(struct program *p, const char *what, uint64_t rip, const char *detail)
{
	rt_log("%s crashed: %s at rip=0x%lx%s", p->name, what, rip, detail);
	program_kill(p, NULL);
}

bool program_fault(struct program *p, uint64_t tag, pecan_msgtag_t *reply)
{
	uint64_t *mr = pecan_utcb()->mr;
	unsigned words = pecan_msgtag_words(tag);
	char detail[96];
	if (pecan_msgtag_label(tag) == PECAN_LABEL_PAGE_FAULT && words >= PECAN_PF_WORDS) {
		uint64_t addr = mr[0] & ~0xfffull, bits = mr[0] & 7, rip = mr[1];
		const struct region *r = region_of(p, addr);
		const char *why = NULL;
		if (!r)
			why = "nothing mapped there";
		else if ((bits & PECAN_PF_WRITE) && !(r->perms & PECAN_FPAGE_W))
			why = "write to a read-only page";
		else if ((bits & PECAN_PF_EXEC) && !(r->perms & PECAN_FPAGE_X))
			why = "execution of a non-executable page";
		if (why) {
			snprintf(detail, sizeof(detail), ", address 0x%lx (%s)", (uint64_t)(mr[0] & ~7ull), why);
			crash(p, "#PF page fault", rip, detail);
			return false;
		}
		uint64_t pa = fill_page(p, r, addr);
		if (pa == ~0ull) {
			snprintf(detail, sizeof(detail), ", address 0x%lx (out of memory: mem quota %lu KiB)", addr,
				 p->mem_limit >> 10);
			crash(p, "#PF page fault", rip, detail);
			return false;
		}
		mr[0] = pecan_item_word0(PECAN_ITEM_MAP, addr);
		mr[1] = pecan_fpage_mem((uint64_t)window(pa), 12, r->perms);
		*reply = pecan_msgtag(0, 0, 1, 0);
		return true;
	}
	if (pecan_msgtag_label(tag) == PECAN_LABEL_EXCEPTION && words >= PECAN_EXC_WORDS) {
		uint64_t v = mr[PECAN_EXC_VECTOR];
		const char *name = v < 32 && exception_names[v] ? exception_names[v] : "exception";
		snprintf(detail, sizeof(detail), " (vector %lu, error code 0x%lx)", v, mr[PECAN_EXC_ERROR]);
		crash(p, name, mr[PECAN_EXC_RIP], detail);
		return false;
	}
	*reply = pecan_msgtag(PECAN_EINVAL, 0, 0, 0); /* not a message the kernel makes */
	return true;
}

void program_kill(struct program *p, const char *why)
{
	if (!p->alive)
		return;
	if (why)
		rt_log("%s: %s", p->name, why);
	p->alive = false;
	/* the task first: its threads die and every mapping it held goes */
	sel_delete(p->sel_task);
	sel_delete(p->sel_thread);
	sel_delete(p->sel_fault_gate);
	sel_delete(p->sel_mem_gate);
	sel_delete(p->sel_log_gate);
	sel_delete(p->sel_factory);
	p->sel_task = p->sel_thread = p->sel_fault_gate = p->sel_mem_gate = p->sel_log_gate = p->sel_factory = 0;
	for (uint64_t f = 0; f < owner_frames; f++) {
		if (owner[f] == p->id) {
			owner[f] = 0;
			pool_free(f * 4096, 4096);
		}
	}
	ds_free_of(p);
	p->mem_used = 0;
	launcher_program_ended(p);
	p->used = false;
}

bool programs_all_clients_done(void)
{
	for (unsigned i = 0; i < RT_MAX_PROGRAMS; i++)
		if (programs[i].used && programs[i].alive && !programs[i].server)
			return false;
	return true;
}
