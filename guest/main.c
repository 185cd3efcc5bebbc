/* lx main: start up (memory, initramfs, vCPU, timer), then the event loop that runs the guest processes. */
#include "console.h"
#include "counters.h"
#include "l4bdds.h"
#include "exec.h"
#include "mm.h"
#include "module.h"
#include "oops.h"
#include "printk.h"
#include "proc.h"
#include "sel.h"
#include "signal.h"
#include "syscall.h"
#include "sys_misc.h"
#include "stdio.h"
#include "stdlib.h"
#include "string.h"
#include "l4/re/env.h"

/* Where lx keeps things in its own address space. */
#define LX_PHYS 0x0000600000000000ull      /* guest memory (1 GiB aligned) */
#define LX_INITRD 0x0000610000000000ull
#define LX_VCPU_STATE 0x00007fff00000000ull
#define LX_TIMER_UTCB 0x00007fff00001000ull
#define LX_EVENT_STACK_SIZE (64 * 1024)

enum { LABEL_TIMER = 1, LABEL_CONSOLE = 2 };
enum { TIMER_PERIOD_US = 10000 };

struct lx_proc *lx_current;
static struct pecan_vcpu_state *vcpu;
static uint64_t ticks;
static uint8_t event_stack[LX_EVENT_STACK_SIZE] __attribute__((aligned(16)));
static uint8_t timer_stack[16384] __attribute__((aligned(16)));
static uint64_t sel_timer_irq, sel_console_irq, sel_timer_thread;

extern const char lx_vcpu_entry[];

/* Whose FPU/SSE image is in the state area (the kernel saves the running
 * process's there at every event and loads it at resume): it moves to
 * that process's lx_proc only when another process is run. The pid tells
 * a reused table slot from the process that left the image. */
static struct lx_proc *fpu_owner;
static int fpu_owner_pid;
static bool fpu_written; /* lx wrote the image in the state area since the last event */
/* Set by the timer and sched_yield: the next resume picks round robin
 * instead of going back to the process whose event this was. */
static bool need_resched;
/* The process lx resumed last (NULL: idle), for /proc/stat's ctxt. */
static struct lx_proc *last_run;
static int last_run_pid;

static bool owns_fpu(const struct lx_proc *p)
{
	return p == fpu_owner && p->pid == fpu_owner_pid && p->state != LX_FREE && p->state != LX_ZOMBIE;
}

/* The user registers between the state area and a process: 20 words with
 * one `rep movsq` (the compiler's struct copy may pick 4-byte moves, and
 * under icount every iteration is an instruction; this is on every event). */
static inline void regs_copy(struct pecan_vcpu_regs *dst, const struct pecan_vcpu_regs *src)
{
	_Static_assert(sizeof(*dst) % 8 == 0, "whole words");
	uint64_t n = sizeof(*dst) / 8;
	__asm__ volatile("rep movsq" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
}

const uint8_t *lx_fpu(struct lx_proc *p) { return owns_fpu(p) ? vcpu->fpu : p->fpu; }

uint8_t *lx_fpu_write(struct lx_proc *p)
{
	if (!owns_fpu(p))
		return p->fpu;
	fpu_written = true;
	return vcpu->fpu;
}

void lx_resched(void) { need_resched = true; }

uint64_t lx_ticks(void) { return ticks; }

void lx_power_off(int status)
{
	lx_log("lx: halted");
	exit(status ? 1 : 0);
}

/* ---- the timer: a plain thread that triggers the vCPU's timer IRQ ---- */

static void __attribute__((noreturn)) timer_thread(void)
{
	for (;;) {
		pecan_msgtag_t tag;
		uint64_t label;
		l4_ipc_wait(&tag, &label, TIMER_PERIOD_US);
		l4_irq_trigger(sel_timer_irq);
	}
}

static long start_timer(void)
{
	long e;
	sel_timer_thread = lx_sel_alloc();
	if ((e = l4_factory_create(PECAN_RT_CAP_FACTORY, PECAN_FACTORY_CREATE_THREAD, sel_timer_thread)) ||
	    (e = l4_thread_control(sel_timer_thread, PECAN_RT_CAP_TASK, LX_TIMER_UTCB, PECAN_RT_CAP_PAGER,
				   PECAN_RT_CAP_PAGER)) ||
	    (e = l4_thread_ex_regs(sel_timer_thread, (uint64_t)timer_thread,
				   (uint64_t)(timer_stack + sizeof(timer_stack)) - 8,
				   PECAN_EXREGS_SET_IP | PECAN_EXREGS_SET_SP | PECAN_EXREGS_START)))
		return e;
	return 0;
}

/* ---- interrupts ---- */

/* `running`: the process the interrupt came to as an event (NULL: lx
 * waited idle); `user`: it had run in user mode since its resume (else the
 * tick was pending while lx worked on events: system time). */
static void handle_irq(uint64_t label, struct lx_proc *running, bool user)
{
	if (label == LABEL_TIMER) {
		ticks++;
		proc_account_tick(running, user);
		proc_calc_load(ticks);
		need_resched = true; /* the time slice (one tick) is over */
		proc_tick(ticks);
		module_tick(ticks); /* modules' timers, work and kthreads (module.c) */
	} else if (label == LABEL_CONSOLE) {
		lx_console_input_irq();
	}
}

/* ---- the event loop ---- */

static long vcpu_resume(void)
{
	uint64_t rtag, rlabel;
	return pecan_syscall(PECAN_RT_CAP_THREAD, pecan_msgtag(PECAN_THREAD_VCPU_RESUME, 0, 0, 0), PECAN_IPC_CALL,
			     PECAN_TIMEOUT_NEVER, PECAN_TIMEOUT_NEVER, 0, &rtag, &rlabel);
}

/* Runs the next process; when none is runnable, waits for an interrupt.
 * `prev`: the process whose event was handled; it runs on if it still can
 * and its time slice is not over (as Linux returns from a system call to
 * the caller unless it must reschedule). Never returns. */
static void __attribute__((noreturn)) lx_schedule(struct lx_proc *prev)
{
	for (;;) {
		struct lx_proc *p;
		if (prev && prev->state == LX_RUNNABLE && !need_resched) {
			p = prev;
		} else {
			need_resched = false;
			p = proc_pick();
		}
		prev = NULL;
		if (p) {
			/* pending signals first: a handler frame, or stop or death */
			lx_signal_deliver(p);
			if (p->state != LX_RUNNABLE)
				continue;
			lx_current = p;
			if (p != last_run || p->pid != last_run_pid) {
				lx_cpustat.ctxt++;
				last_run = p;
				last_run_pid = p->pid;
			}
			regs_copy(&vcpu->user, &p->regs);
			bool keep = owns_fpu(p) && !fpu_written;
			if (!owns_fpu(p)) {
				if (fpu_owner && owns_fpu(fpu_owner))
					memcpy(fpu_owner->fpu, vcpu->fpu, sizeof(vcpu->fpu));
				memcpy(vcpu->fpu, p->fpu, sizeof(vcpu->fpu));
				fpu_owner = p;
				fpu_owner_pid = p->pid;
			}
			fpu_written = false;
			vcpu->user_task = p->task_sel;
			/* lx is built with -mgeneral-regs-only: it never uses the FPU itself */
			vcpu->flags = (vcpu->flags & ~(uint64_t)PECAN_VCPU_FPU_KEEP) | PECAN_VCPU_IRQS |
				      (keep ? PECAN_VCPU_FPU_KEEP : 0);
			long err = vcpu_resume(); /* comes back only when it failed */
			lx_log("lx: cannot run %s (pid %d): %s; killed", p->comm, p->pid, l4_strerror(err));
			vcpu->flags &= ~(uint64_t)PECAN_VCPU_IRQS;
			proc_signal_kill(p, 11); /* Linux: SIGSEGV for a context it cannot restore */
			continue;
		}
		lx_current = NULL;
		pecan_msgtag_t tag;
		uint64_t label;
		if (last_run) {
			lx_cpustat.ctxt++; /* to idle */
			last_run = NULL;
		}
		if (l4_ipc_wait(&tag, &label, PECAN_TIMEOUT_NEVER) == PECAN_OK)
			handle_irq(label, NULL, false);
	}
}

static void handle_syscall(struct lx_proc *p)
{
	uint64_t nr = p->regs.rax;
	uint64_t args[6] = {p->regs.rdi, p->regs.rsi, p->regs.rdx, p->regs.r10, p->regs.r8, p->regs.r9};
	p->orig_rax = nr;
	long r = lx_syscall(p, nr, args);
	if (p->state == LX_ZOMBIE || p->state == LX_FREE)
		return;
	if (r == LX_BLOCK) {
		/* run the call again when woken: back to the syscall instruction */
		p->regs.rip -= 2;
		p->regs.rax = nr;
		return;
	}
	if ((nr == 59 && r == 0) || nr == 15)
		return; /* execve: the new program's registers are set; rt_sigreturn: restored */
	p->regs.rax = (uint64_t)r;
}

enum { VEC_DE = 0, VEC_DB = 1, VEC_BP = 3, VEC_OF = 4, VEC_BR = 5, VEC_UD = 6, VEC_NP = 11, VEC_SS = 12, VEC_GP = 13,
       VEC_PF = 14, VEC_MF = 16, VEC_AC = 17, VEC_XM = 19 };

/* An x87 (#MF) or SSE (#XM) exception: the si_code from the unmasked exception bits that are set. */
static int fpe_code(const uint8_t *fx, bool sse)
{
	uint32_t st, mask;
	if (sse) {
		memcpy(&st, fx + 24, 4); /* MXCSR: flags 0-5, masks 7-12 */
		mask = st >> 7;
	} else {
		uint16_t fsw, fcw;
		memcpy(&fcw, fx, 2);
		memcpy(&fsw, fx + 2, 2);
		st = fsw;
		mask = fcw;
	}
	uint32_t e = st & ~mask & 0x3f;
	if (e & 1)
		return LX_FPE_FLTINV;
	if (e & 4)
		return LX_FPE_FLTDIV;
	if (e & 8)
		return LX_FPE_FLTOVF;
	if (e & 0x12)
		return LX_FPE_FLTUND;
	if (e & 0x20)
		return LX_FPE_FLTRES;
	return 0;
}

/* A CPU exception becomes the signal Linux sends for it. */
static void exception_signal(struct lx_proc *p, uint64_t vector, uint64_t error)
{
	uint64_t rip = p->regs.rip;
	switch (vector) {
	case VEC_DE:
		lx_signal_fault_trap(p, LX_SIGFPE, LX_FPE_INTDIV, rip, vector, error);
		return;
	case VEC_MF:
	case VEC_XM:
		lx_signal_fault_trap(p, LX_SIGFPE, fpe_code(lx_fpu(p), vector == VEC_XM), rip, vector, error);
		return;
	case VEC_DB:
		lx_signal_fault_trap(p, LX_SIGTRAP, LX_TRAP_TRACE, rip, vector, error);
		return;
	case VEC_BP:
		lx_signal_fault_trap(p, LX_SIGTRAP, LX_SI_KERNEL, 0, vector, error);
		return;
	case VEC_UD:
		lx_signal_fault_trap(p, LX_SIGILL, LX_ILL_ILLOPN, rip, vector, error);
		return;
	case VEC_AC:
		lx_signal_fault_trap(p, LX_SIGBUS, LX_BUS_ADRALN, 0, vector, error);
		return;
	case VEC_NP:
	case VEC_SS:
		lx_signal_fault_trap(p, LX_SIGBUS, LX_SI_KERNEL, 0, vector, error);
		return;
	}
	if (vector == VEC_GP) {
		/* int3 goes through an IDT gate user mode may not use (Pecan's
		 * gates are all DPL 0), so it arrives as #GP at the instruction.
		 * Make it Linux's trap: SIGTRAP, rip after the instruction. */
		uint8_t insn[2] = {0, 0};
		uint64_t len = 0;
		if (lx_copy_from_user(p, insn, rip, 1) == 0 && insn[0] == 0xcc)
			len = 1;
		else if (insn[0] == 0xcd && lx_copy_from_user(p, insn, rip, 2) == 0 && insn[1] == 3)
			len = 2;
		if (len) {
			p->regs.rip = rip + len;
			lx_signal_fault_trap(p, LX_SIGTRAP, LX_SI_KERNEL, 0, VEC_BP, 0);
			return;
		}
	}
	/* #GP and the rest */
	lx_signal_fault_trap(p, LX_SIGSEGV, LX_SI_KERNEL, 0, vector, error);
}

/* A page fault lx cannot resolve: SIGSEGV (no region: SEGV_MAPERR; the wrong access: SEGV_ACCERR). */
static void page_fault_signal(struct lx_proc *p, uint64_t addr, uint64_t error, long err)
{
	if (err == -LX_ENOMEM) {
		lx_log("lx: %s (pid %d): out of memory at 0x%lx; killed", p->comm, p->pid, (unsigned long)addr);
		proc_exit(p, LX_SIGKILL); /* not a signal: init too */
		return;
	}
	bool mapped = addr < LX_USER_TOP && mm_find(p->mm, addr & ~(LX_PAGE - 1));
	lx_signal_fault_trap(p, LX_SIGSEGV, mapped ? LX_SEGV_ACCERR : LX_SEGV_MAPERR, addr, VEC_PF, error);
}

/* The process whose system call or page fault lx is handling: the one an oops kills. */
static struct lx_proc *oops_victim;

/* An oops (oops.c): the faulting thread resumes here, on a fresh event
 * stack. As on Linux, the process the module worked for dies (SIGSEGV) and
 * whatever the module held (its locks, half-done state) stays as it was. */
void lx_oops_recover(void)
{
	vcpu->flags &= ~(uint64_t)PECAN_VCPU_IRQS;
	lx_oops_report();
	struct lx_proc *p = oops_victim;
	oops_victim = NULL;
	if (p && p->state != LX_ZOMBIE && p->state != LX_FREE) {
		lx_log("lx: %s (pid %d) killed by the oops", p->comm, p->pid);
		proc_exit(p, LX_SIGSEGV);
	}
	lx_schedule(NULL);
}

/* Every event of a process starts here (entry.S), on the event stack. */
void lx_event(struct pecan_vcpu_state *s) __attribute__((noreturn));
void lx_event(struct pecan_vcpu_state *s)
{
	struct lx_proc *p = lx_current;
	/* An IRQ pending at the resume comes at once, before user mode runs,
	 * with the registers lx wrote (p->regs); one that interrupted user
	 * mode brings the registers it had reached. */
	bool in_user = s->event == PECAN_VCPU_EV_IRQ && p && memcmp(&s->user, &p->regs, sizeof(s->user)) != 0;
	if (p)
		regs_copy(&p->regs, &s->user); /* the FPU image stays in the state area (fpu_owner) */
	oops_victim = s->event == PECAN_VCPU_EV_IRQ ? NULL : p;
	switch (s->event) {
	case PECAN_VCPU_EV_SYSCALL:
		if (p)
			handle_syscall(p);
		break;
	case PECAN_VCPU_EV_PAGE_FAULT:
		if (p) {
			long err = mm_fault(p, s->fault_addr, s->error & 2, s->error & 16);
			if (err)
				page_fault_signal(p, s->fault_addr, s->error, err);
		}
		break;
	case PECAN_VCPU_EV_EXCEPTION:
		if (p)
			exception_signal(p, s->vector, s->error);
		break;
	case PECAN_VCPU_EV_IRQ:
		handle_irq(s->irq_label, p, in_user);
		break;
	}
	oops_victim = NULL;
	lx_schedule(p);
}

/* ---- start ---- */

static const char *arg_value(int argc, char **argv, const char *key, const char *fallback)
{
	size_t n = strlen(key);
	for (int i = 1; i < argc; i++)
		if (strncmp(argv[i], key, n) == 0 && argv[i][n] == '=')
			return argv[i] + n + 1;
	return fallback;
}

static uint64_t parse_size(const char *s)
{
	char *end;
	uint64_t v = strtoul(s, &end, 0);
	if (*end == 'K' || *end == 'k')
		v <<= 10;
	else if (*end == 'M' || *end == 'm')
		v <<= 20;
	else if (*end == 'G' || *end == 'g')
		v <<= 30;
	return v;
}

/* Maps a dataspace at addr in the largest aligned pieces. */
static long map_ds(uint64_t ds, uint64_t size, uint64_t addr)
{
	size = (size + LX_PAGE - 1) & ~(LX_PAGE - 1);
	for (uint64_t off = 0; off < size;) {
		unsigned order = 12;
		while (order < 30 && (off & ((2ull << order) - 1)) == 0 && off + (2ull << order) <= size)
			order++;
		long e = l4re_ds_map(ds, off, order, addr + off);
		if (e)
			return e;
		off += 1ull << order;
	}
	return 0;
}

static void __attribute__((noreturn)) fail(const char *what, long err)
{
	lx_log("lx: %s: %s", what, err < 0 ? "error" : l4_strerror(err));
	exit(1);
}

int main(int argc, char **argv)
{
	const char *init = arg_value(argc, argv, "rdinit", "/init");
	const char *initrd = arg_value(argc, argv, "initrd", "rom/initramfs.cpio");
	uint64_t mem = parse_size(arg_value(argc, argv, "mem", "64M"));
	if (mem < (4ull << 20) || mem > (1ull << 30))
		fail("mem= must be between 4M and 1G", PECAN_EINVAL);
	lx_log("lx: Linux-ABI guest kernel on Pecan; memory %lu MiB, initrd %s, init %s", (unsigned long)(mem >> 20),
	       initrd, init);
	lx_printk(LX_KERN_NOTICE "Linux version 6.1.0-pecan-lx: lx, the Linux-ABI guest kernel on Pecan; "
		  "memory %lu MiB, initrd %s, init %s", (unsigned long)(mem >> 20), initrd, init);

	long e;
	uint64_t sel_mem = lx_sel_alloc(), sel_initrd = lx_sel_alloc(), size, flags;
	if ((e = l4re_ds_alloc(mem, sel_mem)) || (e = map_ds(sel_mem, mem, LX_PHYS)))
		fail("no guest memory", e);
	mm_init((void *)LX_PHYS, mem);
	if ((e = l4re_ns_query(initrd, sel_initrd)) || (e = l4re_ds_info(sel_initrd, &size, &flags)) ||
	    (e = map_ds(sel_initrd, size, LX_INITRD)))
		fail("cannot map the initramfs", e);
	sys_proc_register();
	sys_mem_register();
	sys_pipe_register();
	fs_register_syscalls();
	sys_misc_register();
	lx_realtime_init(l4re_env() ? l4re_env()->boot_time : 0); /* the machine's clock, from the kernel */
	if (fs_init((const void *)LX_INITRD, size) < 0)
		fail("the initramfs is unusable", -1);
	l4bdds_init(argc, argv); /* /dev/l4bddsN for the l4bdds.add= arguments */
	module_register_syscalls(); /* insmod, rmmod, /proc/modules (module.c) */
	lx_counters_init(); /* /proc/pecan/counters, with the capability kdebug (counters.c) */

	/* the first thread becomes the vCPU */
	if ((e = l4_invoke(PECAN_RT_CAP_THREAD, PECAN_THREAD_VCPU_CONTROL, (uint64_t[]){LX_VCPU_STATE}, 1, 0, 0)))
		fail("no vCPU", e);
	vcpu = (struct pecan_vcpu_state *)LX_VCPU_STATE;
	vcpu->entry_ip = (uint64_t)lx_vcpu_entry;
	vcpu->entry_sp = (uint64_t)(event_stack + sizeof(event_stack));
	vcpu->flags = 0;
	/* faults in module code become oopses (oops.c) */
	if ((e = lx_oops_guard_start(vcpu->entry_sp)))
		fail("no oops guard", e);

	sel_timer_irq = lx_sel_alloc();
	sel_console_irq = lx_sel_alloc();
	if ((e = l4_factory_create(PECAN_RT_CAP_FACTORY, PECAN_FACTORY_CREATE_IRQ, sel_timer_irq)) ||
	    (e = l4_irq_bind(sel_timer_irq, PECAN_RT_CAP_THREAD, LABEL_TIMER)) ||
	    (e = l4_factory_create(PECAN_RT_CAP_FACTORY, PECAN_FACTORY_CREATE_IRQ, sel_console_irq)) ||
	    (e = l4_irq_bind(sel_console_irq, PECAN_RT_CAP_THREAD, LABEL_CONSOLE)) || (e = start_timer()))
		fail("no interrupts", e);
	if (lx_console_init(sel_console_irq) < 0)
		lx_log("lx: no console input (not the input client of the config script)");

	struct lx_proc *p = proc_alloc(0);
	if (!p)
		fail("cannot create init", PECAN_ENOMEM);
	p->mm = mm_create();
	char *iargv[] = {(char *)init};
	char *ienv[] = {"HOME=/", "PATH=/bin:/sbin:/usr/bin:/usr/sbin", "TERM=linux"};
	if (!p->mm || fs_open_console(p) < 0 || (e = lx_exec(p, init, iargv, 1, ienv, 3)) < 0) {
		lx_log("lx: cannot run %s (error %ld)", init, e);
		exit(1);
	}
	p->state = LX_RUNNABLE;
	lx_log("lx: running %s as pid %d", init, p->pid);
	lx_schedule(NULL);
}
