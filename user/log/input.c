/* The log server's serial input: the COM1 interrupt, a ring buffer, and the one client it is routed to. */
#include <stdbool.h>
#include "logsrv.h"
#include "l4.h"
#include "string.h"
#include "l4/re/env.h"
#include "pecan/rt/env.h"

enum {
	SERIAL_LINE = 4,       /* COM1's ISA IRQ */
	RING_SIZE = 4096,      /* input kept for the input client until it reads */
	SEL_SERIAL_IRQ = PECAN_RT_CAP_FIRST_FREE,
	SEL_ICU_DEFAULT = PECAN_RT_CAP_FIRST_NAMED, /* the roottask's contract: the ICU is the first named cap */
};

/* Only the server's one thread touches these. */
static char ring[RING_SIZE];
static size_t ring_head, ring_len;  /* oldest byte at ring[ring_head] */
static uint64_t dropped_full;       /* bytes dropped since the last report: ring full */
static bool dropped_no_client_said; /* said once that input without an input client is dropped */
static uint64_t input_label;        /* the input client's gate label, 0 = none */
static uint64_t notify_sel;         /* its notification IRQ, 0 = none bound */
static bool serial_ok;              /* the IRQ is attached to COM1 */

static void ring_put(const char *bytes, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (ring_len == RING_SIZE) {
			dropped_full += n - i;
			return;
		}
		ring[(ring_head + ring_len++) % RING_SIZE] = bytes[i];
	}
}

size_t input_take(char *buf, size_t max)
{
	size_t n = 0;
	while (n < max && ring_len) {
		buf[n++] = ring[ring_head];
		ring_head = (ring_head + 1) % RING_SIZE;
		ring_len--;
	}
	if (dropped_full) {
		log_say("input: %lu bytes dropped, the buffer was full", (unsigned long)dropped_full);
		dropped_full = 0;
	}
	return n;
}

/* Reads everything the kernel has of serial input; returns how many bytes came. */
static size_t drain_serial(void)
{
	size_t total = 0;
	for (;;) {
		struct pecan_utcb *u = pecan_utcb();
		pecan_msgtag_t rtag;
		long err = l4_ipc_call(PECAN_CAP_KDEBUG, pecan_msgtag(PECAN_KDEBUG_READ, 0, 0, 0), PECAN_TIMEOUT_NEVER,
				       &rtag);
		if (err)
			return total;
		uint64_t n = u->mr[0];
		if (pecan_msgtag_words(rtag) < 1 || n == 0 || n > LOG_MSG_BYTES ||
		    (n + 7) / 8 > pecan_msgtag_words(rtag) - 1)
			return total;
		char bytes[LOG_MSG_BYTES];
		memcpy(bytes, &u->mr[1], n);
		total += n;
		if (input_label) {
			ring_put(bytes, n);
		} else if (!dropped_no_client_said) {
			dropped_no_client_said = true;
			log_say("serial input dropped: no input client");
		}
	}
}

static void notify(void)
{
	if (notify_sel && ring_len)
		l4_irq_trigger(notify_sel); /* never blocks; an IRQ whose client is gone just stays pending */
}

void input_init(void)
{
	/* started by the kernel (a test), the ICU is where every boot program has it */
	uint64_t icu = l4re_env() ? l4re_env_get_cap("icu") : PECAN_CAP_ICU;
	if (!icu)
		icu = SEL_ICU_DEFAULT;
	long err = l4_factory_create(PECAN_RT_CAP_FACTORY, PECAN_FACTORY_CREATE_IRQ, SEL_SERIAL_IRQ);
	if (err) {
		log_say("no serial input: creating the IRQ: %s", l4_strerror(err));
		return;
	}
	err = l4_irq_bind(SEL_SERIAL_IRQ, PECAN_RT_CAP_THREAD, LOG_SERIAL_IRQ_LABEL);
	if (!err)
		err = l4_icu_attach(icu, SERIAL_LINE, SEL_SERIAL_IRQ);
	if (err) {
		log_say("no serial input: attaching COM1 (line %d): %s", SERIAL_LINE, l4_strerror(err));
		return;
	}
	serial_ok = true;
	drain_serial(); /* what came before the attach raised no interrupt */
}

void input_irq(void)
{
	if (!serial_ok)
		return;
	drain_serial();
	l4_irq_unmask(SEL_SERIAL_IRQ);
	/* a byte that came while the line was masked raised no interrupt: look once more */
	drain_serial();
	notify();
}

void input_set_client(uint64_t label)
{
	if (label != input_label) {
		/* what was typed for the old client is not the new one's */
		ring_head = ring_len = 0;
		notify_sel = 0;
	}
	input_label = label;
}

uint64_t input_client(void) { return input_label; }

uint64_t input_bound(void) { return notify_sel; }

void input_bind(uint64_t sel)
{
	notify_sel = sel;
	notify(); /* input typed before the client was ready */
}
