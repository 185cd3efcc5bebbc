/* bdds's fault guard: a pager thread that catches faults on client buffers, so a bad client cannot crash bdds. */
#include "bdds.h"
#include "l4.h"
#include "stdio.h"
#include "pecan/rt/env.h"

/*
 * A client's buffer may have pages its owner never mapped, mapped
 * read-only, or unmapped after SETUP; bdds touching them faults. The
 * roottask, bdds's pager, would end bdds for a fault there. So the serving
 * thread's pager is this guard thread instead: a fault inside the buffer
 * windows gets a scratch page mapped over the faulting page and sets
 * bdds_buffer_faulted, which fails the request with PECAN_EFAULT; any
 * other fault is passed on to the roottask unchanged. The roottask
 * prefaults a program's image and stack, so in practice only buffer
 * faults come here.
 */
enum {
	SEL_GUARD_THREAD = PECAN_RT_CAP_FIRST_FREE + BDDS_MAX_DEVICES,
	SEL_GUARD_GATE,
	GUARD_STACK_SIZE = 8192,
};
#define GUARD_UTCB 0x0000310000000000ull
#define WINDOWS_END (BDDS_WINDOW_BASE + (BDDS_MAX_DEVICES + 1) * BDDS_WINDOW_SIZE)

volatile bool bdds_buffer_faulted;

static uint8_t guard_stack[GUARD_STACK_SIZE] __attribute__((aligned(16)));
static uint8_t scratch_page[4096] __attribute__((aligned(4096)));

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
		uint64_t addr = u->mr[0] & ~0xfffull;
		if (pecan_msgtag_label(tag) != PECAN_LABEL_PAGE_FAULT || pecan_msgtag_words(tag) < PECAN_PF_WORDS) {
			reply = pecan_msgtag(PECAN_EINVAL, 0, 0, 0);
		} else if (addr >= BDDS_WINDOW_BASE && addr < WINDOWS_END) {
			bdds_buffer_faulted = true;
			u->mr[0] = pecan_item_word0(PECAN_ITEM_MAP, addr);
			u->mr[1] = pecan_fpage_mem((uint64_t)scratch_page, 12, PECAN_FPAGE_R | PECAN_FPAGE_W);
			reply = pecan_msgtag(0, 0, 1, 0);
		} else {
			/* the roottask's reply maps at the fault address (its hotspot);
			 * the whole address space is the window, since it is ours */
			u->br[PECAN_BR_MEM_WINDOW] = pecan_fpage_mem(0, 47, PECAN_FPAGE_RWX);
			pecan_msgtag_t rtag;
			l4_ipc_call(PECAN_RT_CAP_PAGER, tag, PECAN_TIMEOUT_NEVER, &rtag);
			u->br[PECAN_BR_MEM_WINDOW] = 0;
			reply = pecan_msgtag(0, 0, 0, 0); /* retry: the page is there now, or we are gone */
		}
		err = l4_ipc_reply_and_wait(reply, &tag, &label, PECAN_TIMEOUT_NEVER);
	}
}

long bdds_guard_start(void)
{
	long err;
	/* both must be mapped before the guard may hand them on or run on them */
	for (unsigned i = 0; i < GUARD_STACK_SIZE; i += 4096)
		((volatile uint8_t *)guard_stack)[i] = 0;
	((volatile uint8_t *)scratch_page)[0] = 0;
	uint64_t sp = (uint64_t)(guard_stack + GUARD_STACK_SIZE) - 8; /* as if called */
	if ((err = l4_factory_create(PECAN_RT_CAP_FACTORY, PECAN_FACTORY_CREATE_THREAD, SEL_GUARD_THREAD)) ||
	    (err = l4_thread_control(SEL_GUARD_THREAD, PECAN_RT_CAP_TASK, GUARD_UTCB, PECAN_RT_CAP_PAGER,
				     PECAN_RT_CAP_PAGER)) ||
	    (err = l4_factory_create_gate(PECAN_RT_CAP_FACTORY, SEL_GUARD_GATE, SEL_GUARD_THREAD, 0)) ||
	    (err = l4_thread_ex_regs(SEL_GUARD_THREAD, (uint64_t)guard_loop, sp,
				     PECAN_EXREGS_SET_IP | PECAN_EXREGS_SET_SP | PECAN_EXREGS_START)))
		return err;
	/* from now on this thread's page faults go to the guard */
	return l4_thread_control(PECAN_RT_CAP_THREAD, 0, 0, SEL_GUARD_GATE, PECAN_RT_CAP_PAGER);
}
