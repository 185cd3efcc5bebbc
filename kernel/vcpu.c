/* vCPU: save user state into the state area and upcall the guest kernel; resume user mode from it. */
#include "vcpu.h"
#include "cap.h"
#include "console.h"
#include "factory.h"
#include "irq.h"
#include "mapping.h"
#include "panic.h"
#include "pmem.h"
#include "sched.h"
#include "string.h"
#include "task.h"
#include "thread.h"
#include "boot_program.h"
#include "pecan/errors.h"
#include "pecan/fpage.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/switch.h"

int vcpu_control(struct thread *t, uint64_t addr)
{
	if (!t->task || t->state == TS_DEAD)
		return PECAN_EINVAL;
	if (t->vcpu)
		return PECAN_EBUSY;
	if (addr == 0 || (addr & (PAGE_SIZE - 1)) || addr >= USER_TOP)
		return PECAN_EFAULT;
	struct pecan_vcpu_state *s = factory_alloc(t->obj.factory, PAGE_SIZE);
	if (!s)
		return PECAN_ENOMEM;
	int err = mapping_map_pinned(t->task, addr, virt_to_phys(s), MAP_READ | MAP_WRITE);
	if (err) {
		factory_free(t->obj.factory, s, PAGE_SIZE);
		return err;
	}
	fpu_init_area(s->fpu);
	t->vcpu = s;
	t->vcpu_phys = virt_to_phys(s);
	t->vcpu_user = addr;
	return PECAN_OK;
}

void vcpu_release(struct thread *t)
{
	if (t->vcpu_task) {
		kobject_put(&t->vcpu_task->obj);
		t->vcpu_task = NULL;
	}
	if (!t->vcpu)
		return;
	if (t->task)
		mapping_unmap_pinned(t->task, t->vcpu_user);
	factory_free(t->obj.factory, t->vcpu, PAGE_SIZE);
	t->vcpu = NULL;
}

/* FXSAVE's MXCSR with reserved bits set would make FXRSTOR fault in the kernel. */
enum { FXSAVE_MXCSR = 24, MXCSR_VALID = 0xffbf };

/* The frame becomes the guest kernel's entry: rip, rsp and rdi = the area. */
static void enter_kernel_mode(struct thread *t, struct trap_frame *f)
{
	const struct pecan_vcpu_state *s = t->vcpu;
	memset(f, 0, sizeof(*f));
	f->rip = s->entry_ip;
	f->rsp = s->entry_sp;
	f->rflags = RFLAGS_IF | 0x2;
	f->cs = SEL_UCODE;
	f->ss = SEL_UDATA;
	f->rdi = t->vcpu_user;
	arch_enter_space(t);
}

void vcpu_event(struct thread *t, unsigned event, uint64_t vector, uint64_t error, uint64_t addr,
		uint64_t irq_label)
{
	struct pecan_vcpu_state *s = t->vcpu;
	struct trap_frame *f = thread_frame(t);
	assert(s && t->vcpu_task && t == current);
	s->user = (struct pecan_vcpu_regs){
		.rax = f->rax, .rbx = f->rbx, .rcx = f->rcx, .rdx = f->rdx, .rsi = f->rsi, .rdi = f->rdi,
		.rbp = f->rbp, .rsp = f->rsp, .r8 = f->r8, .r9 = f->r9, .r10 = f->r10, .r11 = f->r11,
		.r12 = f->r12, .r13 = f->r13, .r14 = f->r14, .r15 = f->r15, .rip = f->rip, .rflags = f->rflags,
		.fs_base = t->fs_base, .gs_base = t->gs_base_user,
	};
	/* the user FPU state: from the registers if they hold it, else from the thread's area */
	fpu_save_to(t, s->fpu);
	s->event = event;
	s->vector = vector;
	s->error = error;
	s->fault_addr = addr;
	s->irq_label = irq_label;
	s->flags &= ~(uint64_t)(PECAN_VCPU_IRQS | PECAN_VCPU_FPU_KEEP);

	struct task *user = t->vcpu_task;
	t->vcpu_task = NULL;
	t->fs_base = 0;
	if (s->entry_ip >= USER_TOP) {
		kprintf("pecan: %s: vCPU thread %p has no valid entry point (0x%lx); thread stopped\n",
			boot_program_name(t->task), (void *)t, s->entry_ip);
		kobject_put(&user->obj);
		thread_kill(t);
		return;
	}
	enter_kernel_mode(t, f);
	kobject_put(&user->obj); /* may queue its destruction: it is no longer loaded */
}

int vcpu_resume(struct thread *t)
{
	struct pecan_vcpu_state *s = t->vcpu;
	if (!s || t->vcpu_task)
		return PECAN_EINVAL;
	struct cap *tc;
	int err = cap_get(t->task, s->user_task, PECAN_OBJ_TASK, PECAN_CAP_W, &tc);
	if (err)
		return err;
	struct task *user = (struct task *)tc->obj;
	if (user == t->task || user->exited)
		return PECAN_EINVAL;
	/* everything the CPU would refuse in the kernel is refused here */
	if (s->user.rip >= USER_TOP || s->user.fs_base >= USER_TOP || s->user.gs_base >= USER_TOP)
		return PECAN_EINVAL;

	if (!(s->flags & PECAN_VCPU_FPU_KEEP)) {
		/* A new image: the thread's state from now on, loaded at its next
		 * use. With KEEP, the thread's FPU state (registers or save area)
		 * is still the one the last event saved. Before the IRQ check: an
		 * IRQ delivered at once must not lose an image the guest kernel
		 * wrote, or a later KEEP would resume with the older one. */
		uint32_t *mxcsr = (uint32_t *)(s->fpu + FXSAVE_MXCSR);
		*mxcsr &= MXCSR_VALID;
		fpu_load_from(t, s->fpu);
	}
	if ((s->flags & PECAN_VCPU_IRQS) && t->irq_pending) {
		/* interrupts are on and one waits: it is the event, and user mode does
		 * not run. The area keeps the user state the guest kernel wrote; only
		 * the event fields change, and the thread re-enters kernel mode. */
		if (s->entry_ip >= USER_TOP)
			return PECAN_EINVAL;
		struct irq *irq = irq_take_pending(t, NULL);
		s->event = PECAN_VCPU_EV_IRQ;
		s->vector = s->error = s->fault_addr = 0;
		s->irq_label = irq->label;
		s->flags &= ~(uint64_t)(PECAN_VCPU_IRQS | PECAN_VCPU_FPU_KEEP);
		enter_kernel_mode(t, thread_frame(t));
		return PECAN_OK;
	}
	kobject_get(&user->obj);
	t->vcpu_task = user;
	struct trap_frame *f = thread_frame(t);
	const uint64_t user_flags = 0xcd5 | RFLAGS_AC | RFLAGS_TF; /* arithmetic, DF, OF, AC, TF */
	f->rax = s->user.rax;
	f->rbx = s->user.rbx;
	f->rcx = s->user.rcx;
	f->rdx = s->user.rdx;
	f->rsi = s->user.rsi;
	f->rdi = s->user.rdi;
	f->rbp = s->user.rbp;
	f->rsp = s->user.rsp;
	f->r8 = s->user.r8;
	f->r9 = s->user.r9;
	f->r10 = s->user.r10;
	f->r11 = s->user.r11;
	f->r12 = s->user.r12;
	f->r13 = s->user.r13;
	f->r14 = s->user.r14;
	f->r15 = s->user.r15;
	f->rip = s->user.rip;
	f->rflags = (s->user.rflags & user_flags) | RFLAGS_IF | 0x2;
	f->cs = SEL_UCODE;
	f->ss = SEL_UDATA;
	t->fs_base = s->user.fs_base;
	t->gs_base_user = s->user.gs_base;
	arch_enter_space(t);
	return PECAN_OK;
}

void vcpu_check_irqs(struct thread *t)
{
	if (!t->vcpu || !t->vcpu_task || !(t->vcpu->flags & PECAN_VCPU_IRQS) || !t->irq_pending)
		return;
	struct irq *irq = irq_take_pending(t, NULL);
	vcpu_event(t, PECAN_VCPU_EV_IRQ, 0, 0, 0, irq->label);
}
