/* A user thread's exception: resolve it in the kernel (window, FPU), or call the pager / exception handler, or end the thread. */
#include "fault.h"
#include "boot_program.h"
#include "cap.h"
#include "console.h"
#include "gate.h"
#include "ipc.h"
#include "sched.h"
#include "task.h"
#include "thread.h"
#include "vcpu.h"
#include "pecan/errors.h"
#include "pecan/ops.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/switch.h"

enum { PF_ERR_PRESENT = 1, PF_ERR_WRITE = 2, PF_ERR_FETCH = 16 };

static void crash(struct thread *t, const struct trap_frame *f, uint64_t addr, const char *why)
{
	kprintf("pecan: %s: thread %p crashed: %s at rip=0x%lx", boot_program_name(t->task), (void *)t,
		trap_name(f->vector), f->rip);
	if (f->vector == VEC_PF)
		kprintf(", address 0x%lx", addr);
	kprintf(" (error code 0x%lx): %s; thread stopped\n", f->error, why);
	thread_kill(t);
}

void fault_user_exception(struct trap_frame *f)
{
	struct thread *t = current;
	if (f->vector == VEC_NM) {
		fpu_trap();
		return;
	}
	if (t->vcpu_task) {
		/* a guest process: the event goes to its guest kernel, not to a pager */
		if (f->vector == VEC_PF)
			vcpu_event(t, PECAN_VCPU_EV_PAGE_FAULT, f->vector, f->error, read_cr2(), 0);
		else
			vcpu_event(t, PECAN_VCPU_EV_EXCEPTION, f->vector, f->error, 0, 0);
		return;
	}
	uint64_t sel = t->exc_sel, addr = f->vector == VEC_PF ? read_cr2() : 0;
	t->fault = FAULT_EXCEPTION;
	t->fault_addr = addr;
	if (f->vector == VEC_PF) {
		bool write = f->error & PF_ERR_WRITE;
		if (t->task->boot && boot_program_window_fault(t->task, addr, write))
			goto resolved;
		t->fault = FAULT_PAGE;
		t->fault_addr = (addr & ~7ull) | (write ? PECAN_PF_WRITE : 0) |
				((f->error & PF_ERR_FETCH) ? PECAN_PF_EXEC : 0) |
				((f->error & PF_ERR_PRESENT) ? PECAN_PF_PRESENT : 0);
		sel = t->pager_sel;
	}
	struct cap *c = cap_lookup(t->task, sel);
	if (!c || c->obj->type != PECAN_OBJ_GATE) {
		t->fault = FAULT_NONE;
		crash(t, f, addr, f->vector == VEC_PF ? "no pager" : "no exception handler");
		return;
	}
	int err = ipc_fault_call(t, (struct gate *)c->obj);
	if (err == PECAN_ECANCELED && (!((struct gate *)c->obj)->thread)) {
		t->fault = FAULT_NONE;
		crash(t, f, addr, f->vector == VEC_PF ? "the pager is gone" : "the exception handler is gone");
		return;
	}
	/* otherwise retry the instruction (a page fault faults again if the
	 * pager mapped nothing) or resume where the handler said */
resolved:
	t->fault = FAULT_NONE;
}
