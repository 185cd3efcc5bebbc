/* Power-off through ACPI PM1a (QEMU's PC), failing exit through isa-debug-exit. */
#include "cpu.h"
#include "../../console.h"
#include "../../power.h"

enum {
	PM1A_CNT = 0x604,           /* where SeaBIOS puts the PIIX4/ICH9 PM1a control block */
	PM1_SLP_EN = 1 << 13,       /* sleep type 0 = S5 (soft off) on QEMU's chipsets */
	DEBUG_EXIT_PORT = 0xf4,     /* -device isa-debug-exit,iobase=0xf4: QEMU exits (v << 1) | 1 */
};

static void __attribute__((noreturn)) halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

void power_off(void)
{
	irq_disable();
	/* QEMU acts on the request after this instruction, so nothing more is
	 * printed here: on a machine without this PM port the CPU just halts. */
	outw(PM1A_CNT, PM1_SLP_EN);
	halt_forever();
}

void power_fail_exit(void)
{
	irq_disable();
	outb(DEBUG_EXIT_PORT, 1); /* QEMU exits with status 3 */
	kprintf("pecan: halted after panic\n");
	halt_forever();
}
