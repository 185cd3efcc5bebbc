/* The architecture part of a thread switch, and the lazily switched FPU/SSE state. */
#include "switch.h"
#include "cpu.h"
#include "gdt.h"
#include "layout.h"
#include "../../panic.h"
#include "../../string.h"
#include "../../task.h"
#include "../../thread.h"

extern uint64_t syscall_kernel_rsp; /* entry.S */
extern const char thread_first_entry[];

enum { MSR_GS_BASE = 0xc0000101, CR0_TS = 1 << 3 };

static struct thread *fpu_owner; /* whose state the FPU registers hold */

static uint64_t loaded_cr3;   /* what CR3 holds, to skip reading it */
static bool fpu_trapping = true; /* CR0.TS as set by fpu_init and here */

void arch_prepare_switch(struct thread *prev, struct thread *next)
{
	(void)prev;
	if (!next->kstack)
		return; /* the idle thread: stays on the boot stack and the current CR3 */
	uint64_t top = (uint64_t)(next->kstack + KSTACK_BYTES);
	gdt_set_kernel_stack(top);
	syscall_kernel_rsp = top;
	if (next->task && loaded_cr3 != next->task->as.pml4) {
		loaded_cr3 = next->task->as.pml4;
		write_cr3(loaded_cr3);
	}
	wrmsr(MSR_GS_BASE, next->utcb_user);
	/* Trap the first FPU/SSE instruction of a thread whose state is not loaded. */
	bool trap = next != fpu_owner;
	if (trap != fpu_trapping) {
		fpu_trapping = trap;
		if (trap)
			write_cr0(read_cr0() | CR0_TS);
		else
			__asm__ volatile("clts");
	}
}

void arch_note_cr3(uint64_t cr3) { loaded_cr3 = cr3; }

void arch_thread_init_stack(struct thread *t)
{
	/* Below the trap frame: the return address and six callee-saved registers
	 * that arch_switch pops. */
	uint64_t *sp = (uint64_t *)thread_frame(t);
	*--sp = (uint64_t)thread_first_entry;
	for (int i = 0; i < 6; i++)
		*--sp = 0;
	t->ksp = (uint64_t)sp;
}

void fpu_init_area(uint8_t *area)
{
	memset(area, 0, 512);
	*(uint16_t *)(area + 0) = 0x037f;     /* FCW: all exceptions masked, extended precision */
	*(uint32_t *)(area + 24) = 0x1f80;    /* MXCSR: all SIMD exceptions masked */
}

void fpu_init(void)
{
	write_cr0(read_cr0() | CR0_TS);
}

void fpu_trap(void)
{
	extern struct thread *current;
	__asm__ volatile("clts");
	fpu_trapping = false;
	if (fpu_owner == current)
		return;
	if (fpu_owner)
		__asm__ volatile("fxsave64 (%0)" ::"r"(fpu_owner->fpu) : "memory");
	assert(current->fpu);
	__asm__ volatile("fxrstor64 (%0)" ::"r"(current->fpu) : "memory");
	fpu_owner = current;
}

void fpu_forget(struct thread *t)
{
	if (fpu_owner == t)
		fpu_owner = NULL;
}
