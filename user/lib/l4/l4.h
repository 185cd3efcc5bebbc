/* libl4: C bindings for Pecan's invocations and IPC. Each documents the rights it needs and its errors. */
#ifndef L4_L4_H
#define L4_L4_H

#include <stddef.h>
#include <stdint.h>
#include "pecan/errors.h"
#include "pecan/fpage.h"
#include "pecan/kip.h"
#include "pecan/msgtag.h"
#include "pecan/ops.h"
#include "pecan/syscall.h"
#include "pecan/utcb.h"
#include "arch/x86_64/invoke.h"
#include "pages.h"

typedef uint64_t l4_cap_t;

/* ---- IPC (all return enum pecan_error) ----------------------------------
 * Errors: PECAN_ECAP (not a gate / reply target), PECAN_EPERM (no R right on
 * the gate), PECAN_ETIMEOUT, PECAN_ECANCELED (partner deleted, or the
 * operation was canceled), PECAN_EINVAL (bad tag or typed item),
 * PECAN_ERANGE (receive window too small). */

/* Send to a gate and wait for the reply. */
static inline long l4_ipc_call(l4_cap_t gate, pecan_msgtag_t tag, uint64_t timeout, pecan_msgtag_t *rtag)
{
	uint64_t label;
	return pecan_syscall(gate, tag, PECAN_IPC_CALL, timeout, timeout, 0, rtag, &label);
}

static inline long l4_ipc_send(l4_cap_t gate, pecan_msgtag_t tag, uint64_t timeout)
{
	uint64_t rtag, label;
	return pecan_syscall(gate, tag, PECAN_IPC_SEND, 0, timeout, 0, &rtag, &label);
}

/* Open wait: the next message from any gate bound to this thread or IRQ. */
static inline long l4_ipc_wait(pecan_msgtag_t *rtag, uint64_t *label, uint64_t timeout)
{
	return pecan_syscall(0, 0, PECAN_IPC_WAIT, timeout, 0, 0, rtag, label);
}

/* Closed wait: only a message through this gate, or this IRQ. */
static inline long l4_ipc_receive(l4_cap_t partner, pecan_msgtag_t *rtag, uint64_t *label, uint64_t timeout)
{
	return pecan_syscall(0, 0, PECAN_IPC_RECV, timeout, 0, partner, rtag, label);
}

/* Reply to the last caller; never blocks. */
static inline long l4_ipc_reply(pecan_msgtag_t tag)
{
	uint64_t rtag, label;
	return pecan_syscall(0, tag, PECAN_IPC_REPLY | PECAN_IPC_SEND, 0, PECAN_TIMEOUT_ZERO, 0, &rtag, &label);
}

/* Reply to the last caller, then wait for the next message (a server's loop). */
static inline long l4_ipc_reply_and_wait(pecan_msgtag_t tag, pecan_msgtag_t *rtag, uint64_t *label,
					 uint64_t timeout)
{
	return pecan_syscall(0, tag, PECAN_IPC_REPLY_WAIT, timeout, PECAN_TIMEOUT_ZERO, 0, rtag, label);
}

/* ---- kernel objects -------------------------------------------------------
 * Each returns enum pecan_error: PECAN_ECAP when the selector names no
 * object of the right type, PECAN_EPERM when the capability lacks the right
 * the operation needs (see include/pecan/ops.h), PECAN_EINVAL for a bad
 * argument, PECAN_ENOMEM when the factory's quota is exhausted, PECAN_EBUSY
 * when a destination selector is already in use. */

long l4_factory_create(l4_cap_t factory, unsigned op, l4_cap_t dest);
long l4_factory_create_gate(l4_cap_t factory, l4_cap_t dest, l4_cap_t thread, uint64_t label);
long l4_factory_create_factory(l4_cap_t factory, l4_cap_t dest, uint64_t quota);
long l4_factory_info(l4_cap_t factory, uint64_t *limit, uint64_t *used);

long l4_task_map(l4_cap_t task, l4_cap_t src_task, pecan_fpage_t fpage, uint64_t dest, unsigned type);
long l4_task_unmap(l4_cap_t task, pecan_fpage_t fpage, unsigned flags);
long l4_task_exit(l4_cap_t task, long code);
long l4_task_cap_info(l4_cap_t task, l4_cap_t sel, uint64_t *type, uint64_t *rights);

long l4_thread_control(l4_cap_t thread, l4_cap_t task, uint64_t utcb, l4_cap_t pager, l4_cap_t exc_handler);
long l4_thread_ex_regs(l4_cap_t thread, uint64_t ip, uint64_t sp, unsigned flags);
long l4_thread_sched(l4_cap_t thread, unsigned prio, uint64_t slice_us);
long l4_thread_info(l4_cap_t thread, uint64_t *state, uint64_t *prio);
long l4_thread_yield(l4_cap_t thread);

long l4_irq_bind(l4_cap_t irq, l4_cap_t thread, uint64_t label);
long l4_irq_unbind(l4_cap_t irq);
long l4_irq_trigger(l4_cap_t irq);
long l4_irq_unmask(l4_cap_t irq);
long l4_icu_attach(l4_cap_t icu, unsigned line, l4_cap_t irq);
long l4_icu_detach(l4_cap_t icu, unsigned line);

/* Kernel debug console (selector PECAN_CAP_KDEBUG; in a launched program
 * the same selector is its log gate, which speaks the same WRITE). */
long l4_kdebug_write(const char *s, size_t len);
int l4_kdebug_getchar(void);
long l4_kdebug_stats(uint64_t *free_kmem, uint64_t *free_frames, uint64_t *objects);
long l4_kdebug_clock(uint64_t *ticks, uint64_t *hz);

/* Invoke a kernel object or a runtime server: op with nargs words from
 * args; up to nres result words to res. Returns the IPC error, or else the
 * status in the reply's label (runtime servers; kernel objects reply 0).
 * The generic form behind the functions above. */
long l4_invoke(l4_cap_t cap, unsigned op, const uint64_t *args, unsigned nargs, uint64_t *res, unsigned nres);

/* Ends the calling task (its own task capability). */
void l4_exit(long code) __attribute__((noreturn));

/* A name for an error code, for messages. */
const char *l4_strerror(long err);

/* The kernel info page of a boot program. */
static inline const struct pecan_kip *l4_kip(void) { return (const struct pecan_kip *)PECAN_BOOT_KIP; }

#endif
