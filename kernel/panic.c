/* Panic: print the cause and a backtrace with symbol names, then stop the machine failing. */
#include "panic.h"
#include "console.h"
#include "ksyms.h"
#include "power.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/layout.h"

static void print_location(uint64_t rip)
{
	uint64_t off;
	const char *name = ksyms_lookup(rip, &off);
	if (name)
		kprintf("  [<%016lx>] %s+0x%lx\n", rip, name, off);
	else
		kprintf("  [<%016lx>] ?\n", rip);
}

void backtrace_from(uint64_t rbp, uint64_t rip)
{
	kprintf("backtrace:\n");
	print_location(rip);
	/* Follow the frame-pointer chain while it stays inside the kernel
	 * image's half and grows upwards; a zero rbp ends it (boot.S). */
	for (int depth = 0; depth < 32 && rbp >= KERNEL_VMA && (rbp & 7) == 0; depth++) {
		const uint64_t *frame = (const uint64_t *)rbp;
		uint64_t next = frame[0], ret = frame[1];
		if (ret == 0)
			break;
		print_location(ret);
		if (next <= rbp)
			break;
		rbp = next;
	}
}

void backtrace(void)
{
	uint64_t rbp;
	__asm__ volatile("mov %%rbp, %0" : "=r"(rbp));
	backtrace_from(rbp, (uint64_t)__builtin_return_address(0));
}

void panic(const char *fmt, ...)
{
	static int nested;
	irq_disable();
	if (nested++) {
		kprintf("PANIC (nested)\n");
		power_fail_exit();
	}
	va_list ap;
	va_start(ap, fmt);
	kprintf("\nPANIC: ");
	kvprintf(fmt, ap);
	va_end(ap);
	kprintf("\n");
	backtrace();
	power_fail_exit();
}
