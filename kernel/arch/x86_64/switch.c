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
static uint64_t loaded_fs;    /* what FS base holds */
static bool fpu_trapping = true; /* CR0.TS as set by fpu_init and here */

/* Address space, FS and GS base of the mode t is in (vCPU user mode or not). */
static inline void load_space(struct thread *t)
{
	struct task *space = thread_space(t);
	if (space && loaded_cr3 != space->as.pml4) {
		loaded_cr3 = space->as.pml4;
		write_cr3(loaded_cr3);
	}
	wrmsr(MSR_GS_BASE, t->vcpu_task ? t->gs_base_user : t->utcb_user);
	if (t->fs_base != loaded_fs) {
		loaded_fs = t->fs_base;
		wrmsr(MSR_FS_BASE, loaded_fs);
	}
}

void arch_prepare_switch(struct thread *prev, struct thread *next)
{
	(void)prev;
	if (!next->kstack)
		return; /* the idle thread: stays on the boot stack and the current CR3 */
	uint64_t top = (uint64_t)(next->kstack + KSTACK_BYTES);
	gdt_set_kernel_stack(top);
	syscall_kernel_rsp = top;
	load_space(next);
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

void arch_enter_space(struct thread *t) { load_space(t); }

void fpu_save_to(struct thread *t, uint8_t *area)
{
	if (fpu_owner == t) {
		__asm__ volatile("clts");
		fpu_trapping = false;
		__asm__ volatile("fxsave64 (%0)" ::"r"(area) : "memory");
	} else if (!t->fpu_in_vcpu_area) {
		memcpy(area, t->fpu, 512);
		t->fpu_in_vcpu_area = true;
	}
}

void fpu_load_from(struct thread *t, const uint8_t *area)
{
	memcpy(t->fpu, area, 512);
	t->fpu_in_vcpu_area = true;
	if (fpu_owner == t) {
		/* the registers hold an older state: trap the next use, which loads this one */
		fpu_owner = NULL;
		fpu_trapping = true;
		write_cr0(read_cr0() | CR0_TS);
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
	if (fpu_owner) {
		__asm__ volatile("fxsave64 (%0)" ::"r"(fpu_owner->fpu) : "memory");
		fpu_owner->fpu_in_vcpu_area = false; /* newer than a vCPU's area, maybe */
	}
	assert(current->fpu);
	__asm__ volatile("fxrstor64 (%0)" ::"r"(current->fpu) : "memory");
	fpu_owner = current;
}

void fpu_forget(struct thread *t)
{
	if (fpu_owner == t)
		fpu_owner = NULL;
}
