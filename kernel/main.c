/* kernel_main: bring the machine up, then become the idle loop that runs the boot programs. */
#include <stdint.h>
#include "boot_program.h"
#include "bootinfo.h"
#include "console.h"
#include "mapping.h"
#include "panic.h"
#include "pmem.h"
#include "sched.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/ioapic.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/switch.h"
#include "arch/x86_64/trap.h"

void cpu_init(void);

extern const char __kernel_phys_start[], __kernel_end_phys[];
static struct boot_info boot_info;

static void memory_summary(const struct boot_info *bi)
{
	uint64_t usable = 0, modules = 0, user = 0;
	for (unsigned i = 0; i < bi->nmemory; i++)
		usable += bi->memory[i].end - bi->memory[i].start;
	for (unsigned i = 0; i < bi->nmodules; i++)
		modules += bi->modules[i].end - bi->modules[i].start;
	const struct pmem_range *r;
	unsigned n = pmem_user_ranges(&r);
	for (unsigned i = 0; i < n; i++)
		user += r[i].end - r[i].start;
	kprintf("memory: %lu MiB usable in %u regions; kernel %lu KiB; %u boot modules, %lu KiB; "
		"kernel pool %lu MiB, user memory %lu MiB in %u ranges\n",
		usable >> 20, bi->nmemory,
		((uint64_t)__kernel_end_phys - (uint64_t)__kernel_phys_start) >> 10, bi->nmodules,
		modules >> 10, (pmem_free_frames() * PAGE_SIZE) >> 20, user >> 20, n);
	for (unsigned i = 0; i < bi->nmodules; i++)
		kprintf("  module %u: %s [0x%lx, 0x%lx) %s\n", i, bi->modules[i].name, bi->modules[i].start,
			bi->modules[i].end, bi->modules[i].args);
}

/* Test hook (test-only scenario "panic"): a kernel page fault on purpose,
 * to show that the exception path reports and stops the machine failing. */
static void __attribute__((noinline)) test_kernel_fault(void)
{
	kprintf("pecan: test.kernel_fault: touching an unmapped address from the kernel\n");
	*(volatile uint64_t *)0x0000000000dead00 = 1;
}

void kernel_main(uint32_t magic, uint64_t mbi)
{
	console_init();
	kprintf("\nPecan microkernel, x86-64\n");
	gdt_init();
	trap_init();
	bootinfo_parse(&boot_info, magic, mbi);
	kprintf("cmdline: %s\n", boot_info.cmdline);
	paging_init();
	uint64_t table_bytes = mapping_table_bytes(&boot_info), table_pa;
	pmem_init(&boot_info, table_bytes, &table_pa);
	mapping_init(table_pa, table_bytes);
	memory_summary(&boot_info);
	cpu_init();
	fpu_init();
	lapic_init();
	ioapic_init();
	lapic_timer_start(SCHED_HZ);
	kprintf("timer: LAPIC timer at %lu kHz, %u Hz tick\n", lapic_timer_frequency() / 1000, SCHED_HZ);
	sched_init();

	size_t len;
	if (bootinfo_arg(&boot_info, "test.kernel_fault", &len))
		test_kernel_fault();

	boot_programs_init(&boot_info);
	sched_idle_loop();
}
