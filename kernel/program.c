/* Loading and running boot programs: ELF check, address space, user stack, entry into ring 3. */
#include "program.h"
#include "console.h"
#include "elf64.h"
#include "format.h"
#include "panic.h"
#include "pmem.h"
#include "string.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/layout.h"

#define USER_STACK_TOP 0x00007ffffffff000ull
#define USER_STACK_PAGES 16

extern uint64_t syscall_kernel_rsp; /* entry.S */

static struct program *current;          /* the program in user mode, or NULL */
static struct kernel_context kernel_ctx; /* where the kernel resumes when it ends */
static uint8_t program_kstack[KSTACK_SIZE] __attribute__((aligned(16)));

struct program *program_current(void) { return current; }

static unsigned elf_perms(uint32_t flags)
{
	return ((flags & ELF_PF_R) ? MAP_READ : 0) | ((flags & ELF_PF_W) ? MAP_WRITE : 0) |
	       ((flags & ELF_PF_X) ? MAP_EXEC : 0);
}

/* Map one fresh frame at va and fill it with the file bytes that fall into it. */
static bool load_page(struct program *p, const uint8_t *file, const struct elf_segment *s,
		      uint64_t va)
{
	uint64_t pa = pmem_alloc();
	if (!pa)
		return false;
	uint64_t lo = va > s->vaddr ? va : s->vaddr;
	uint64_t hi = va + PAGE_SIZE;
	if (hi > s->vaddr + s->filesz)
		hi = s->vaddr + s->filesz;
	if (lo < hi)
		memcpy((uint8_t *)phys_to_virt(pa) + (lo - va), file + s->offset + (lo - s->vaddr), hi - lo);
	if (!as_map(&p->as, va, pa, elf_perms(s->flags))) {
		pmem_free(pa);
		return false;
	}
	return true;
}

/* Builds the program's address space; on failure says why and leaves nothing allocated. */
static bool program_load(struct program *p, const struct boot_module *m, uint64_t *entry, uint64_t *sp,
			 uint64_t *arg)
{
	const uint8_t *file = phys_to_virt(m->start);
	struct elf_image img;
	char err[160];
	if (elf_check_exec(file, m->end - m->start, USER_STACK_TOP - USER_STACK_PAGES * PAGE_SIZE, &img,
			   err, sizeof(err)) != 0) {
		kprintf("pecan: cannot start %s: invalid ELF: %s\n", m->name, err);
		return false;
	}
	if (!as_create(&p->as)) {
		kprintf("pecan: cannot start %s: out of memory\n", m->name);
		return false;
	}
	for (unsigned i = 0; i < img.nsegments; i++) {
		const struct elf_segment *s = &img.seg[i];
		for (uint64_t va = s->vaddr & ~(PAGE_SIZE - 1); va < s->vaddr + s->memsz; va += PAGE_SIZE)
			if (!load_page(p, file, s, va))
				goto oom;
	}
	for (unsigned i = 1; i <= USER_STACK_PAGES; i++) {
		uint64_t pa = pmem_alloc();
		if (!pa)
			goto oom;
		if (!as_map(&p->as, USER_STACK_TOP - i * PAGE_SIZE, pa, MAP_READ | MAP_WRITE)) {
			pmem_free(pa);
			goto oom;
		}
	}
	/* The module's arguments go to the top of the stack; rdi points at them. */
	size_t n = strlen(m->args) + 1;
	if (n > 1024)
		n = 1024;
	uint64_t args_va = (USER_STACK_TOP - n) & ~15ull, pa;
	unsigned perms;
	if (!as_lookup(&p->as, args_va & ~(PAGE_SIZE - 1), &pa, &perms))
		panic("user stack of %s not mapped", p->name);
	memcpy((uint8_t *)phys_to_virt(pa) + (args_va & (PAGE_SIZE - 1)), m->args, n - 1);
	*entry = img.entry;
	*sp = args_va - 8; /* as after a call: rsp + 8 is 16-byte aligned */
	*arg = args_va;
	return true;
oom:
	kprintf("pecan: cannot start %s: out of memory\n", m->name);
	as_destroy(&p->as);
	return false;
}

static void program_start(struct program *p, uint64_t entry, uint64_t sp, uint64_t arg)
{
	uint64_t top = (uint64_t)(program_kstack + sizeof(program_kstack));
	struct trap_frame *f = (struct trap_frame *)top - 1;
	memset(f, 0, sizeof(*f));
	f->rip = entry;
	f->cs = SEL_UCODE;
	f->rflags = RFLAGS_IF | 0x2;
	f->rsp = sp;
	f->ss = SEL_UDATA;
	f->rdi = arg;
	gdt_set_kernel_stack(top);
	syscall_kernel_rsp = top;
	current = p;
	as_activate(&p->as);
	arch_enter_user(f, &kernel_ctx); /* returns when the program has ended */
	current = NULL;
	as_activate_kernel();
	as_destroy(&p->as);
}

void program_exit(long code)
{
	assert(current);
	kprintf("pecan: %s exited with code %ld\n", current->name, code);
	arch_leave_user(&kernel_ctx);
}

void program_fault(const struct trap_frame *f)
{
	assert(current);
	kprintf("pecan: %s crashed: %s at rip=0x%lx", current->name, trap_name(f->vector), f->rip);
	if (f->vector == VEC_PF)
		kprintf(", address 0x%lx", read_cr2());
	kprintf(" (error code 0x%lx); program ended\n", f->error);
	arch_leave_user(&kernel_ctx);
}

unsigned programs_run(const struct boot_info *bi)
{
	size_t len;
	const char *list = bootinfo_arg(bi, "run", &len);
	unsigned failed = 0;
	if (!list || len == 0) {
		kprintf("pecan: no boot programs (kernel argument run=NAME,... is missing)\n");
		return 0;
	}
	const char *end = list + len;
	while (list < end) {
		const char *comma = list;
		while (comma < end && *comma != ',')
			comma++;
		size_t n = (size_t)(comma - list);
		const struct boot_module *m = bootinfo_module(bi, list, n);
		if (!m) {
			kprintf("pecan: run=: no boot module named '%.*s'\n", (int)n, list);
			failed++;
		} else {
			static struct program prog;
			uint64_t entry, sp, arg;
			memset(&prog, 0, sizeof(prog));
			memcpy(prog.name, m->name, sizeof(prog.name));
			if (program_load(&prog, m, &entry, &sp, &arg))
				program_start(&prog, entry, sp, arg);
			else
				failed++;
		}
		list = comma + 1;
	}
	return failed;
}
