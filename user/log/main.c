/* log: the console server. Each client line goes to the serial console as `tag | text`, whole; serial input goes to one client. */
#include <stdbool.h>
#include "logsrv.h"
#include "l4.h"
#include "string.h"
#include "l4/re/env.h"

/*
 * One thread, one loop: wait for a message (a client's gate, the control
 * gate or the serial IRQ), handle it, reply with a zero send timeout and
 * wait again. Nothing a client sends can block the server or crash it:
 * every length is checked against the words that came, and a reply to a
 * caller that has gone fails at once.
 */

enum {
	/* Capabilities clients send land in one of these: the bound notification
	 * IRQ lives in one, the receive window is the other. */
	SEL_WINDOW_A = PECAN_RT_CAP_FIRST_FREE + 1,
	SEL_WINDOW_B = PECAN_RT_CAP_FIRST_FREE + 2,
};

/* A request, copied out of the UTCB: the server's own kdebug calls reuse the MRs. */
struct request {
	uint64_t label;              /* the gate's label: which client */
	unsigned op;
	unsigned words, items;
	uint64_t window;             /* where a delegated capability landed (items > 0) */
	uint64_t mr[PECAN_MR_COUNT];
};

struct reply {
	long status;                 /* the tag label: enum pecan_error */
	unsigned words;
	uint64_t mr[PECAN_MR_COUNT];
};

/* A WRITE's bytes: MR[0] the length, MR[1..] the bytes. */
static long do_write(struct log_client *c, const struct request *rq)
{
	if (rq->words < 1 || rq->items)
		return PECAN_EINVAL;
	uint64_t n = rq->mr[0];
	if (n > LOG_MSG_BYTES || (n + 7) / 8 > rq->words - 1)
		return PECAN_EINVAL;
	client_write(c, (const char *)&rq->mr[1], (size_t)n);
	return PECAN_OK;
}

static long do_read(const struct request *rq, struct reply *rp)
{
	if (rq->label != input_client())
		return PECAN_EPERM;
	if (rq->items)
		return PECAN_EINVAL;
	size_t n = input_take((char *)&rp->mr[1], LOG_MSG_BYTES);
	rp->mr[0] = n;
	rp->words = 1 + (unsigned)((n + 7) / 8);
	return PECAN_OK;
}

/* Keeps the IRQ capability that came with the request. Returns whether it was kept. */
static long do_bind_input(const struct request *rq, bool *kept)
{
	if (rq->label != input_client())
		return PECAN_EPERM;
	if (rq->items != 1)
		return PECAN_EINVAL;
	uint64_t type = 0, rights = 0;
	long err = l4_task_cap_info(PECAN_RT_CAP_TASK, rq->window, &type, &rights);
	if (err || type != PECAN_OBJ_IRQ || !(rights & PECAN_CAP_R))
		return PECAN_EINVAL;
	input_bind(rq->window);
	*kept = true;
	return PECAN_OK;
}

/* The roottask's requests on the control gate. */
static long do_control(const struct request *rq)
{
	if (rq->items)
		return PECAN_EINVAL;
	switch (rq->op) {
	case PECAN_LOG_REGISTER: {
		if (rq->words < 2)
			return PECAN_EINVAL;
		uint64_t len = rq->mr[1];
		if (len > 8 * (uint64_t)(rq->words - 2))
			return PECAN_EINVAL;
		return client_register(rq->mr[0], (const char *)&rq->mr[2], (size_t)len);
	}
	case PECAN_LOG_SET_INPUT:
		if (rq->words < 1 || rq->mr[0] == LOG_CONTROL_LABEL || rq->mr[0] == LOG_SERIAL_IRQ_LABEL)
			return PECAN_EINVAL;
		input_set_client(rq->mr[0]);
		return PECAN_OK;
	}
	return PECAN_ENOSYS;
}

static long handle(const struct request *rq, struct reply *rp)
{
	bool kept = false;
	long status;
	if (rq->label == LOG_CONTROL_LABEL) {
		status = do_control(rq);
	} else {
		struct log_client *c = client_find(rq->label);
		if (!c)
			status = PECAN_EPERM;
		else if (rq->op == PECAN_LOG_WRITE)
			status = do_write(c, rq);
		else if (rq->op == PECAN_LOG_READ)
			status = do_read(rq, rp);
		else if (rq->op == PECAN_LOG_BIND_INPUT)
			status = do_bind_input(rq, &kept);
		else
			status = PECAN_ENOSYS;
	}
	/* a capability nobody asked for is not kept */
	if (rq->items && !kept)
		l4_task_unmap(PECAN_RT_CAP_TASK, pecan_fpage_cap(rq->window, 0, PECAN_CAP_RWD), PECAN_UNMAP_SELF);
	if (status)
		rp->words = 0;
	return status;
}

int main(void)
{
	const struct pecan_env *env = l4re_env();
	log_say("log server up%s", env ? "" : " (started by the kernel, not the roottask)");
	input_init();

	static struct request rq;
	static struct reply rp;
	bool reply_due = false;
	for (;;) {
		struct pecan_utcb *u = pecan_utcb();
		uint64_t window = input_bound() == SEL_WINDOW_A ? SEL_WINDOW_B : SEL_WINDOW_A;
		u->br[PECAN_BR_MEM_WINDOW] = 0;
		u->br[PECAN_BR_CAP_WINDOW] = pecan_fpage_cap(window, 0, PECAN_CAP_RWD);
		pecan_msgtag_t tag = 0;
		uint64_t label = 0;
		long err;
		if (reply_due) {
			for (unsigned i = 0; i < rp.words; i++)
				u->mr[i] = rp.mr[i];
			err = l4_ipc_reply_and_wait(pecan_msgtag((uint32_t)rp.status, rp.words, 0, 0), &tag, &label,
						    PECAN_TIMEOUT_NEVER);
		} else {
			err = l4_ipc_wait(&tag, &label, PECAN_TIMEOUT_NEVER);
		}
		reply_due = false;
		/* The caller went away before the reply, or a message failed on the
		 * way in (a typed item that fits no window): nothing to answer. */
		if (err)
			continue;
		if (label == LOG_SERIAL_IRQ_LABEL) {
			input_irq(); /* an interrupt, not a call: no reply */
			continue;
		}
		rq.label = label;
		rq.op = (unsigned)pecan_msgtag_label(tag);
		rq.words = pecan_msgtag_words(tag);
		rq.items = pecan_msgtag_items(tag);
		rq.window = window;
		for (unsigned i = 0; i < rq.words && i < PECAN_MR_COUNT; i++)
			rq.mr[i] = u->mr[i];
		rp.words = 0;
		rp.status = handle(&rq, &rp);
		reply_due = true;
	}
}
