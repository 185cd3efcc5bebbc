/* kernel_main: bring the machine up, run the boot programs, power off. */
#include <stdint.h>
#include "bootinfo.h"
#include "console.h"
#include "panic.h"
#include "pmem.h"
#include "power.h"
#include "program.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/trap.h"

void cpu_init(void);

extern const char __kernel_phys_start[], __kernel_end_phys[];
static struct boot_info boot_info;

enum { TIMER_HZ = 100 };

static void memory_summary(const struct boot_info *bi)
{
	uint64_t usable = 0, modules = 0;
	for (unsigned i = 0; i < bi->nmemory; i++)
		usable += bi->memory[i].end - bi->memory[i].start;
	for (unsigned i = 0; i < bi->nmodules; i++)
		modules += bi->modules[i].end - bi->modules[i].start;
	kprintf("memory: %lu MiB usable in %u regions; kernel %lu KiB; %u boot modules, %lu KiB; "
		"%lu frames free (%lu MiB)\n",
		usable >> 20, bi->nmemory,
		((uint64_t)__kernel_end_phys - (uint64_t)__kernel_phys_start) >> 10, bi->nmodules,
		modules >> 10, pmem_free_frames(), (pmem_free_frames() * PAGE_SIZE) >> 20);
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
	pmem_init(&boot_info);
	memory_summary(&boot_info);
	cpu_init();
	lapic_init();
	lapic_timer_start(TIMER_HZ);
	kprintf("timer: LAPIC timer at %lu kHz, %u Hz tick\n", lapic_timer_frequency() / 1000, TIMER_HZ);

	size_t len;
	if (bootinfo_arg(&boot_info, "test.kernel_fault", &len))
		test_kernel_fault();

	uint64_t free_before = pmem_free_frames();
	unsigned failed = programs_run(&boot_info);
	uint64_t free_after = pmem_free_frames();
	if (free_after != free_before)
		kprintf("pecan: LEAK: %ld frames not returned by the boot programs\n",
			(long)(free_before - free_after));
	else
		kprintf("pecan: all boot programs ended, %lu frames free, none leaked\n", free_after);
	if (failed)
		kprintf("pecan: %u boot programs could not be started\n", failed);
	kprintf("pecan: scenario finished, powering off\n");
	power_off();
}
