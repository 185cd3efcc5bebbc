/* The system-call convention: one entry that invokes a capability. */
#ifndef PECAN_SYSCALL_H
#define PECAN_SYSCALL_H

#include <stdint.h>

/*
 * Every operation is an invocation of a capability through one entry, the
 * `syscall` instruction:
 *
 *   in   rdi  capability selector (index into the caller's capability space)
 *        rsi  message tag (msgtag.h): untyped words and typed items in the UTCB
 *        rdx  IPC flags (below)
 *        r8   receive timeout (below)
 *        r9   send timeout
 *        r10  partner selector for a closed receive without a send phase
 *   out  rax  enum pecan_error
 *        rsi  tag of the received message (reply or request)
 *        rdi  label of the received message: the IPC gate's label, an
 *             IRQ's label, or 0 for a reply
 *
 * rcx and r11 are clobbered by the instruction; every other register is
 * preserved. Message contents travel in the UTCB (utcb.h).
 *
 * Invoking a kernel object (task, thread, factory, IRQ, ...) is a call:
 * the tag's label names the operation, the untyped words are its
 * arguments, and the reply's words its results (ops.h). Invoking an IPC
 * gate sends to the thread bound to it.
 */

/* IPC flags (rdx). */
enum pecan_ipc_flags {
	PECAN_IPC_SEND = 1 << 0,  /* a send phase to the invoked capability */
	PECAN_IPC_RECV = 1 << 1,  /* a receive phase after the send phase */
	PECAN_IPC_OPEN = 1 << 2,  /* receive from any sender (else: from the partner) */
	PECAN_IPC_REPLY = 1 << 3, /* the send phase goes to the last caller; rdi is ignored */
};

#define PECAN_IPC_CALL (PECAN_IPC_SEND | PECAN_IPC_RECV)
#define PECAN_IPC_WAIT (PECAN_IPC_RECV | PECAN_IPC_OPEN)
#define PECAN_IPC_REPLY_WAIT (PECAN_IPC_REPLY | PECAN_IPC_SEND | PECAN_IPC_RECV | PECAN_IPC_OPEN)

/* Timeouts: relative, in microseconds; these two values are special. */
#define PECAN_TIMEOUT_NEVER (~0ull) /* block as long as it takes */
#define PECAN_TIMEOUT_ZERO 0ull     /* do not block: fail at once with PECAN_ETIMEOUT */

/* Capability selectors present in every boot program's capability space. */
enum pecan_cap_selector {
	PECAN_CAP_NONE = 0,    /* never names an object */
	PECAN_CAP_TASK = 1,    /* the program's own task */
	PECAN_CAP_THREAD = 2,  /* its first thread */
	PECAN_CAP_FACTORY = 3, /* the root factory, whose quota is the kernel memory */
	PECAN_CAP_KDEBUG = 4,  /* the kernel debug console */
	PECAN_CAP_ICU = 5,     /* the interrupt controller: attaches hardware lines to IRQs */
	PECAN_CAP_FIRST_FREE = 8,
};

/* The number of selectors in a capability space. */
#define PECAN_CAP_SPACE_SIZE 4096

#endif
