/* Synchronous IPC: send, receive, call, reply, and the kernel-made fault calls. */
#ifndef KERNEL_IPC_H
#define KERNEL_IPC_H

#include <stdbool.h>
#include <stdint.h>

struct thread;
struct gate;
struct kobject;

/* The send phase through a gate; with call, then the receive of the reply.
 * The received tag and label end up in cur->ipc_tag / ipc_label. */
int ipc_send(struct thread *cur, struct gate *g, uint64_t tag, uint64_t snd_timeout, uint64_t rcv_timeout,
	     bool call);
/* Sends to the reply target (never blocks). */
int ipc_reply(struct thread *cur, uint64_t tag);
/* The receive phase: open, or closed on a gate or IRQ (from). */
int ipc_receive(struct thread *cur, bool open, struct kobject *from, uint64_t timeout);
/* A page fault or exception of t becomes a call to the gate (t->fault says which). */
int ipc_fault_call(struct thread *t, struct gate *g);

#endif
