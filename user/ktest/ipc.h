/* ktest: thread bodies and checks shared by the IPC tests (ipc.c, ipc_abort.c). */
#ifndef KTEST_IPC_H
#define KTEST_IPC_H

#include "ktest.h"

/* The i-th word of the test pattern; fill MR[0..n-1] with it. */
uint64_t pattern(unsigned i);
void fill(unsigned n);

/* A server: replies to each message with its words complemented and the
 * request label XOR the gate label, then waits for the next. */
void echo_fn(void *unused);
/* The main thread calls an echo server through gate (label gate_label) with
 * n pattern words and checks the reply. */
int echo_check(l4_cap_t gate, uint32_t gate_label, unsigned n, uint32_t label);

/* One IPC from a helper thread of the own task (send, or call when call),
 * after delay_us, then a report [error, received tag, mr0] on report. */
int spawn_job(struct kt_thread *t, l4_cap_t gate, l4_cap_t report, uint32_t label, unsigned words,
	      uint64_t timeout, int call, uint64_t delay_us);
/* Counts the messages it receives in *(uint64_t *)p. */
void count_fn(void *p);
/* Takes one message, sets *(uint64_t *)p, never replies. */
void swallow_fn(void *p);
/* Waits (open, or closed on partner) and reports the error. */
struct wait_job {
	l4_cap_t partner, report;
};
void wait_fn(void *p);
/* The main thread polls *flag for up to KT_TIMEOUT; 0 when it was set. */
int wait_flag(volatile uint64_t *flag);

#endif
