/* lx's oops: a guard thread is the pager and exception handler of lx's vCPU thread, so a fault in module code is reported and survived. */
#include "oops.h"
#include "sel.h"
#include "module.h"
#include "kapi/kapi.h"
#include "printk.h"
#include "l4.h"
#include "pecan/rt/env.h"

/*
 * lx's first thread (the vCPU) faults only where lx or a module has a bug:
 * lx's memory is mapped up front. The roottask, its pager, would end lx for
 * such a fault. So its pager and exception handler is this guard thread
 * (as bdds's guard, user/bdds/guard.c): a page fault or exception whose rip
 * lies in module code is an oops. The guard notes what happened and moves
 * the faulting thread, with EX_REGS, to lx_oops_recover on a fresh event
 * stack, which reports it and kills the guest process the module was
 * working for. Any other fault goes on to the roottask unchanged.
 */
#define OOPS_GUARD_UTCB 0x00007fff00002000ull
#define OOPS_GUARD_STACK_SIZE 8192

struct lx_oops lx_oops_info;

static uint64_t recover_sp;
static uint8_t guard_stack[OOPS_GUARD_STACK_SIZE] __attribute__((aligned(16)));

static void guard_loop(void) __attribute__((noreturn));
static void guard_loop(void)
{
	struct pecan_utcb *u = pecan_utcb();
	pecan_msgtag_t tag = 0, reply = 0;
	uint64_t label = 0;
	u->br[PECAN_BR_CAP_WINDOW] = 0;
	u->br[PECAN_BR_MEM_WINDOW] = 0;
	long err = l4_ipc_wait(&tag, &label, PECAN_TIMEOUT_NEVER);
	for (;;) {
		if (err) {
			err = l4_ipc_wait(&tag, &label, PECAN_TIMEOUT_NEVER);
			continue;
		}
		uint64_t lbl = pecan_msgtag_label(tag), words = pecan_msgtag_words(tag);
		bool pf = lbl == PECAN_LABEL_PAGE_FAULT && words >= PECAN_PF_WORDS;
		bool exc = lbl == PECAN_LABEL_EXCEPTION && words >= PECAN_EXC_WORDS;
		uint64_t rip = pf ? u->mr[1] : exc ? u->mr[PECAN_EXC_RIP] : 0;
		if ((pf || exc) && module_of_addr(rip)) {
			lx_oops_info.rip = rip;
			lx_oops_info.page_fault = pf;
			lx_oops_info.addr = pf ? u->mr[0] : u->mr[PECAN_EXC_CR2];
			lx_oops_info.vector = pf ? 14 : u->mr[PECAN_EXC_VECTOR];
			lx_oops_info.error = pf ? 0 : u->mr[PECAN_EXC_ERROR];
			/* the faulting call is cancelled: the thread resumes at the new rip and rsp */
			if (l4_thread_ex_regs(PECAN_RT_CAP_THREAD, (uint64_t)lx_oops_recover, recover_sp,
					      PECAN_EXREGS_SET_IP | PECAN_EXREGS_SET_SP | PECAN_EXREGS_CANCEL) == 0) {
				err = l4_ipc_wait(&tag, &label, PECAN_TIMEOUT_NEVER);
				continue;
			}
		}
		/* not an oops: the roottask handles it as it would have (a page
		 * fault's mapping lands in our address space: the window is all of it) */
		u->br[PECAN_BR_MEM_WINDOW] = pecan_fpage_mem(0, 47, PECAN_FPAGE_RWX);
		pecan_msgtag_t rtag = 0;
		l4_ipc_call(PECAN_RT_CAP_PAGER, tag, PECAN_TIMEOUT_NEVER, &rtag);
		u->br[PECAN_BR_MEM_WINDOW] = 0;
		/* a page fault retries; an exception resumes as the roottask said */
		reply = pf ? pecan_msgtag(0, 0, 0, 0) : pecan_msgtag(0, 0, pecan_msgtag_words(rtag), 0);
		err = l4_ipc_reply_and_wait(reply, &tag, &label, PECAN_TIMEOUT_NEVER);
	}
}

long lx_oops_guard_start(uint64_t sp)
{
	long err;
	recover_sp = sp - 8; /* as if called */
	for (unsigned i = 0; i < OOPS_GUARD_STACK_SIZE; i += 4096)
		((volatile uint8_t *)guard_stack)[i] = 0;
	uint64_t thread = lx_sel_alloc(), gate = lx_sel_alloc();
	if (!thread || !gate)
		return PECAN_ENOMEM;
	if ((err = l4_factory_create(PECAN_RT_CAP_FACTORY, PECAN_FACTORY_CREATE_THREAD, thread)) ||
	    (err = l4_thread_control(thread, PECAN_RT_CAP_TASK, OOPS_GUARD_UTCB, PECAN_RT_CAP_PAGER,
				     PECAN_RT_CAP_PAGER)) ||
	    (err = l4_factory_create_gate(PECAN_RT_CAP_FACTORY, gate, thread, 0)) ||
	    (err = l4_thread_ex_regs(thread, (uint64_t)guard_loop,
				     (uint64_t)(guard_stack + OOPS_GUARD_STACK_SIZE) - 8,
				     PECAN_EXREGS_SET_IP | PECAN_EXREGS_SET_SP | PECAN_EXREGS_START)))
		return err;
	return l4_thread_control(PECAN_RT_CAP_THREAD, 0, 0, gate, gate);
}

void lx_oops_report(void)
{
	const struct lx_oops *o = &lx_oops_info;
	const char *mod = "?", *fn = NULL;
	uint64_t off = 0;
	module_symbolize(o->rip, &mod, &fn, &off);
	const char *what = o->page_fault ? (o->addr < 4096 ? "NULL pointer dereference" : "page fault")
		: o->vector == 0 ? "divide error" : o->vector == 6 ? "invalid opcode"
		: o->vector == 13 ? "general protection fault" : "exception";
	if (fn)
		lx_printk(LX_KERN_ALERT "lx: Oops: %s at %s:%s+0x%lx (rip 0x%lx, address 0x%lx, vector %lu)", what, mod,
			  fn, (unsigned long)off, (unsigned long)o->rip, (unsigned long)(o->addr & ~7ull),
			  (unsigned long)o->vector);
	else
		lx_printk(LX_KERN_ALERT "lx: Oops: %s at %s:0x%lx (rip 0x%lx, address 0x%lx, vector %lu)", what, mod,
			  (unsigned long)o->rip, (unsigned long)o->rip, (unsigned long)(o->addr & ~7ull),
			  (unsigned long)o->vector);
	module_oops(o->rip);
}
