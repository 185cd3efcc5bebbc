/* The IDT and the dispatch of exceptions and interrupts. */
#include <stdint.h>
#include "trap.h"
#include "gdt.h"
#include "cpu.h"
#include "lapic.h"
#include "layout.h"
#include "../../console.h"
#include "../../counters.h"
#include "../../panic.h"
#include "../../power.h"
#include "ioapic.h"
#include "../../fault.h"
#include "../../irq.h"
#include "../../sched.h"

struct idt_entry {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type; /* present | DPL | gate type */
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
} __attribute__((packed));

static struct idt_entry idt[256];
extern const char trap_vectors[]; /* 256 stubs of 16 bytes each, entry.S */
extern const char trap_vectors_counting[]; /* the same for the counting entry points */
extern const char syscall_entry[], syscall_entry_counting[];

static const char *const exception_names[32] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow",
	"#BR bound range", "#UD invalid opcode", "#NM device not available",
	"#DF double fault", "coprocessor segment overrun", "#TS invalid TSS",
	"#NP segment not present", "#SS stack fault", "#GP general protection",
	"#PF page fault", "reserved 15", "#MF x87 floating point", "#AC alignment check",
	"#MC machine check", "#XM SIMD floating point", "#VE virtualization",
	"#CP control protection",
};

const char *trap_name(uint64_t vector)
{
	if (vector < 32 && exception_names[vector])
		return exception_names[vector];
	if (vector < 32)
		return "reserved exception";
	return "interrupt";
}

static void set_gate_to(const char *stubs, unsigned vector, unsigned ist, unsigned dpl)
{
	uint64_t addr = (uint64_t)(stubs + 16 * vector);
	idt[vector] = (struct idt_entry){
		.offset_low = addr & 0xffff,
		.selector = SEL_KCODE,
		.ist = ist,
		.type = 0x80 | (dpl << 5) | 0xe, /* present, interrupt gate: IF cleared on entry */
		.offset_mid = (addr >> 16) & 0xffff,
		.offset_high = addr >> 32,
	};
}

static void set_gates(const char *stubs)
{
	for (unsigned v = 0; v < 256; v++)
		set_gate_to(stubs, v, 0, 0);
	/* these two run on stacks of their own and may interrupt anything,
	 * a counting entry too: always the plain stubs */
	set_gate_to(trap_vectors, VEC_DF, IST_DOUBLE_FAULT, 0);
	set_gate_to(trap_vectors, VEC_NMI, IST_NMI, 0);
	/* int3 and into are instructions user programs may execute: DPL 3, so
	 * that they raise #BP/#OF rather than #GP */
	set_gate_to(stubs, VEC_BP, 0, 3);
	set_gate_to(stubs, VEC_OF, 0, 3);
}

/* Called with interrupts off (in a system call): no gate is used half-written. */
void arch_counting_entries(bool on)
{
	set_gates(on ? trap_vectors_counting : trap_vectors);
	wrmsr(MSR_LSTAR, (uint64_t)(on ? syscall_entry_counting : syscall_entry));
}

void trap_init(void)
{
	set_gates(trap_vectors);
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idtr = {sizeof(idt) - 1, (uint64_t)idt};
	__asm__ volatile("lidt %0" ::"m"(idtr));
}

static void dump_frame(const struct trap_frame *f)
{
	kprintf("  rip %016lx  cs %04lx  rflags %016lx  rsp %016lx  ss %04lx\n", f->rip, f->cs,
		f->rflags, f->rsp, f->ss);
	kprintf("  rax %016lx  rbx %016lx  rcx %016lx  rdx %016lx\n", f->rax, f->rbx, f->rcx, f->rdx);
	kprintf("  rsi %016lx  rdi %016lx  rbp %016lx  r8  %016lx\n", f->rsi, f->rdi, f->rbp, f->r8);
	kprintf("  r9  %016lx  r10 %016lx  r11 %016lx  r12 %016lx\n", f->r9, f->r10, f->r11, f->r12);
	kprintf("  r13 %016lx  r14 %016lx  r15 %016lx\n", f->r13, f->r14, f->r15);
	kprintf("  cr2 %016lx  cr3 %016lx\n", read_cr2(), read_cr3());
}

static void __attribute__((noreturn)) kernel_exception(const struct trap_frame *f)
{
	kprintf("\nPANIC: kernel exception %s (vector %lu, error code 0x%lx) at rip=0x%lx\n",
		trap_name(f->vector), f->vector, f->error, f->rip);
	dump_frame(f);
	backtrace_from(f->rbp, f->rip);
	power_fail_exit();
}

void trap_dispatch(struct trap_frame *f)
{
	bool user = trap_from_user(f);
	if (f->vector == VEC_TIMER) {
		lapic_eoi();
		sched_tick();
	} else if (f->vector >= IRQ_VECTOR_BASE && f->vector < IRQ_VECTOR_BASE + IRQ_LINES) {
		lapic_eoi();
		irq_line_interrupt((unsigned)(f->vector - IRQ_VECTOR_BASE));
	} else if (f->vector == VEC_APIC_SPURIOUS || f->vector == VEC_PIC_SPURIOUS) {
		/* nothing to acknowledge */
	} else if (f->vector < 32) {
		if (!user)
			kernel_exception(f);
		fault_user_exception(f);
	} else {
		kprintf("pecan: unexpected interrupt vector %lu, ignored\n", f->vector);
		lapic_eoi();
	}
	/* Back to user mode only as the best ready thread; in the kernel (the
	 * idle loop) the loop itself looks at need_resched. */
	if (user)
		sched_before_user();
}
