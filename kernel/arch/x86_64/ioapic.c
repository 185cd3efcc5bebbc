/* IOAPIC redirection entries for the ISA lines, all masked until attached. */
#include "ioapic.h"
#include "cpu.h"
#include "layout.h"

enum {
	IOAPIC_BASE = 0xfec00000, /* where PC firmware and QEMU put the first IOAPIC */
	IOREGSEL = 0x00, IOWIN = 0x10, REDTBL = 0x10,
	MASKED = 1 << 16,
	COM1 = 0x3f8, COM1_LINE = 4,
};

static volatile uint32_t *regs;

static void write_reg(unsigned reg, uint32_t v)
{
	regs[IOREGSEL / 4] = reg;
	regs[IOWIN / 4] = v;
}

void ioapic_init(void)
{
	regs = phys_to_virt(IOAPIC_BASE);
	for (unsigned line = 0; line < 24; line++) {
		/* fixed delivery to APIC 0, edge triggered, active high (ISA) */
		write_reg(REDTBL + 2 * line + 1, 0);
		write_reg(REDTBL + 2 * line, MASKED | (IRQ_VECTOR_BASE + line));
	}
}

void ioapic_mask(unsigned line, bool masked)
{
	write_reg(REDTBL + 2 * line, (masked ? MASKED : 0) | (IRQ_VECTOR_BASE + line));
}

bool ioapic_line_reserved(unsigned line) { return line == 0 || line == 2; }

void ioapic_line_attached(unsigned line)
{
	if (line == COM1_LINE) {
		outb(COM1 + 4, 0x0b); /* DTR, RTS, OUT2: the UART's interrupt reaches the IOAPIC */
		outb(COM1 + 1, 0x01); /* interrupt on received data */
	}
}

void ioapic_line_detached(unsigned line)
{
	if (line == COM1_LINE)
		outb(COM1 + 1, 0x00);
}
