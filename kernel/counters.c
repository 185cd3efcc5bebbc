/* Measurement counters: the accounting behind the counting entry points (counters.h). */
#include "counters.h"
#include "sched.h"
#include "thread.h"
#include "pecan/ops.h"
#include "arch/x86_64/cpu.h"

uint64_t counters_t_enter, counters_t_enter_count, counters_t_work, counters_t_leave, counters_t_leave_counted,
	counters_t_exit;

static uint64_t counter[PECAN_CNT_COUNT];
static bool on;

/*
 * One CPU: a pass through the kernel stamps enter, enter_count, work,
 * leave, leave_counted, exit, and the next pass follows, as long as every
 * entry and exit is a counting one. The kernel's time is enter to
 * enter_count, work to leave and leave_counted to exit; the counting's is
 * the rest of the pass. An entry or exit that does not count (a thread
 * that entered before PECAN_COUNTERS_ON, or was created since and starts
 * through the plain exit) breaks the chain: the time across the break
 * goes to PECAN_CNT_UNATTRIBUTED. `mark` is the last stamp accounted for.
 */
static uint64_t mark;
static bool pending_work;    /* an entry counted, its exit not yet */
static bool pending_exit;    /* an exit counted, the next entry not yet: user mode runs */
static unsigned entry_class; /* who was running at the last counted entry */
static uint64_t last_cr3;    /* the address space of the last exit to user mode */

/*
 * The stamps' own instructions that fall inside the intervals measured
 * (entry.S: STAMP_KEEP has 2 instructions before its rdtsc and 5 after,
 * STAMP none before and 3 after; one rdtsc per interval): moved from the
 * interval to the counting's time, so that under -icount shift=0 the
 * kernel's and user mode's figures are their own instructions.
 */
enum {
	STAMP_USER = 5 + 2 + 1,        /* exit's STAMP_KEEP to entry's STAMP_KEEP */
	STAMP_KERNEL_ENTRY = 5 + 0 + 1, /* STAMP_KEEP to STAMP */
	STAMP_KERNEL_WORK = 3 + 0 + 1,  /* STAMP to STAMP */
	STAMP_KERNEL_EXIT = 3 + 2 + 1,  /* STAMP to STAMP_KEEP */
};

/* Adds the interval [from, to] less the stamp instructions in it to *c, those to the counting's time. */
static void account(uint64_t *c, uint64_t from, uint64_t to, uint64_t stamps)
{
	uint64_t d = to - from;
	if (d < stamps)
		stamps = d;
	*c += d - stamps;
	counter[PECAN_CNT_OVERHEAD] += stamps;
}

static unsigned class_of(const struct thread *t)
{
	if (t->vcpu && t->vcpu_task)
		return PECAN_CNT_PROCESS;
	if (t->vcpu)
		return PECAN_CNT_GUEST;
	return PECAN_CNT_OTHER;
}

/* An entry from user mode, after saving the frame (counters_t_enter_count). */
void counters_enter(void)
{
	if (!on)
		return; /* a thread still on its way through a counting entry after PECAN_COUNTERS_OFF */
	unsigned c = class_of(current);
	if (pending_exit) {
		/* the rest of the last pass, then user mode */
		counter[PECAN_CNT_OVERHEAD] += counters_t_leave_counted - mark;
		account(&counter[PECAN_CNT_KERNEL + entry_class], counters_t_leave_counted, counters_t_exit,
			STAMP_KERNEL_EXIT);
		account(&counter[PECAN_CNT_USER + c], counters_t_exit, counters_t_enter, STAMP_USER);
	} else {
		counter[PECAN_CNT_UNATTRIBUTED] += counters_t_enter - mark;
	}
	account(&counter[PECAN_CNT_KERNEL + c], counters_t_enter, counters_t_enter_count, STAMP_KERNEL_ENTRY);
	counter[PECAN_CNT_ENTRIES + c]++;
	entry_class = c;
	mark = counters_t_enter_count;
	pending_exit = false;
	pending_work = true;
}

/* On the way back to user mode, before restoring the frame (counters_t_leave). */
void counters_exit(void)
{
	if (!on)
		return;
	if (pending_work) {
		counter[PECAN_CNT_OVERHEAD] += counters_t_work - mark;
		account(&counter[PECAN_CNT_KERNEL + entry_class], counters_t_work, counters_t_leave, STAMP_KERNEL_WORK);
	} else {
		counter[PECAN_CNT_UNATTRIBUTED] += counters_t_leave - mark;
		entry_class = class_of(current); /* for the rest of this pass */
	}
	uint64_t cr3 = read_cr3();
	if (cr3 != last_cr3) {
		counter[PECAN_CNT_SWITCHES]++;
		last_cr3 = cr3;
	}
	mark = counters_t_leave;
	pending_work = false;
	pending_exit = true;
}

bool counters_on(void) { return on; }

void counters_switch(bool want)
{
	if (want == on)
		return;
	on = want;
	if (on) {
		/* the chain starts at the first counted entry */
		mark = rdtsc();
		pending_work = pending_exit = false;
		last_cr3 = read_cr3();
	}
	arch_counting_entries(on);
}

void counters_read(uint64_t *out)
{
	for (unsigned i = 0; i < PECAN_CNT_COUNT; i++)
		out[i] = counter[i];
}
