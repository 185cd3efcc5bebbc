/* Local APIC: enable, calibrate the timer against the PIT, run it periodically. */
#include "lapic.h"
#include "cpu.h"
#include "layout.h"
#include "trap.h"
#include "../../console.h"
#include "../../panic.h"

enum {
	LAPIC_ID = 0x20, LAPIC_EOI = 0xb0, LAPIC_SVR = 0xf0, LAPIC_LVT_TIMER = 0x320,
	LAPIC_TIMER_INIT = 0x380, LAPIC_TIMER_CURRENT = 0x390, LAPIC_TIMER_DIVIDE = 0x3e0,
	SVR_ENABLE = 1 << 8, LVT_MASKED = 1 << 16, LVT_PERIODIC = 1 << 17,
	DIVIDE_BY_16 = 0x3,
	PIT_HZ = 1193182, PIT_CH2 = 0x42, PIT_CMD = 0x43, PIT_GATE = 0x61,
	CALIBRATE_MS = 10,
};

static volatile uint32_t *lapic;
static uint64_t timer_hz;     /* LAPIC timer counts per second (divided by 16) */
static volatile uint64_t ticks; /* timer interrupts since lapic_timer_start */

static uint32_t lapic_read(unsigned reg) { return lapic[reg / 4]; }
static void lapic_write(unsigned reg, uint32_t v) { lapic[reg / 4] = v; }

static void pic_disable(void)
{
	/* Remap the 8259s to 0x20/0x28 first, so that a spurious IRQ they still
	 * raise cannot look like a CPU exception, then mask every line. */
	outb(0x20, 0x11); outb(0xa0, 0x11);
	outb(0x21, 0x20); outb(0xa1, 0x28);
	outb(0x21, 0x04); outb(0xa1, 0x02);
	outb(0x21, 0x01); outb(0xa1, 0x01);
	outb(0x21, 0xff); outb(0xa1, 0xff);
}

/* Count LAPIC timer ticks over CALIBRATE_MS measured by PIT channel 2. */
static uint64_t calibrate(void)
{
	uint16_t count = PIT_HZ * CALIBRATE_MS / 1000;
	outb(PIT_GATE, (inb(PIT_GATE) & ~0x02) | 0x01); /* gate on, speaker off */
	outb(PIT_CMD, 0xb0);                           /* channel 2, lo/hi, mode 0 */
	outb(PIT_CH2, count & 0xff);
	outb(PIT_CH2, count >> 8);
	lapic_write(LAPIC_TIMER_DIVIDE, DIVIDE_BY_16);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VEC_TIMER);
	/* restart channel 2 by toggling its gate, then start the LAPIC count */
	uint8_t g = inb(PIT_GATE);
	outb(PIT_GATE, g & ~0x01);
	outb(PIT_GATE, g | 0x01);
	lapic_write(LAPIC_TIMER_INIT, 0xffffffff);
	while (!(inb(PIT_GATE) & 0x20))
		cpu_relax();
	uint32_t elapsed = 0xffffffff - lapic_read(LAPIC_TIMER_CURRENT);
	lapic_write(LAPIC_TIMER_INIT, 0);
	return (uint64_t)elapsed * 1000 / CALIBRATE_MS;
}

void lapic_init(void)
{
	pic_disable();
	uint64_t base = rdmsr(MSR_APIC_BASE);
	uint64_t phys = base & 0xffffff000ull;
	if (phys >= PHYSMAP_SIZE)
		panic("local APIC at 0x%lx lies outside the physmap", phys);
	wrmsr(MSR_APIC_BASE, base | (1 << 11)); /* global enable */
	lapic = phys_to_virt(phys);
	lapic_write(LAPIC_SVR, SVR_ENABLE | VEC_APIC_SPURIOUS);
	timer_hz = calibrate();
	if (timer_hz == 0)
		panic("LAPIC timer calibration measured 0 ticks");
}

void lapic_timer_start(unsigned hz)
{
	assert(hz > 0);
	uint64_t init = timer_hz / hz;
	if (init == 0 || init > 0xffffffff)
		panic("LAPIC timer: cannot run at %u Hz (timer runs at %lu Hz)", hz, timer_hz);
	lapic_write(LAPIC_TIMER_DIVIDE, DIVIDE_BY_16);
	lapic_write(LAPIC_LVT_TIMER, LVT_PERIODIC | VEC_TIMER);
	lapic_write(LAPIC_TIMER_INIT, (uint32_t)init);
}

void lapic_timer_tick(void) { ticks++; }
void lapic_eoi(void) { lapic_write(LAPIC_EOI, 0); }
uint64_t lapic_ticks(void) { return ticks; }
uint64_t lapic_timer_frequency(void) { return timer_hz; }
