/* roottask main: set up memory and the namespace, run the launcher, then serve memory, dataspace and fault requests. */
#include "roottask.h"
#include "format.h"
#include "stdio.h"
#include "string.h"

/* ---- the roottask's own capability selectors ---- */

#define SEL_FIRST 64
static uint64_t sel_next = SEL_FIRST;
static uint64_t sel_free_list[512];
static unsigned sel_free_count;

uint64_t sel_alloc(void)
{
	if (sel_free_count)
		return sel_free_list[--sel_free_count];
	if (sel_next >= PECAN_CAP_SPACE_SIZE)
		return 0;
	return sel_next++;
}

void sel_delete(uint64_t sel)
{
	if (!sel)
		return;
	l4_task_unmap(PECAN_CAP_TASK, pecan_fpage_cap(sel, 0, PECAN_CAP_RWD), PECAN_UNMAP_SELF);
	if (sel_free_count < sizeof(sel_free_list) / sizeof(sel_free_list[0]))
		sel_free_list[sel_free_count++] = sel;
}

/* ---- output ---- */

struct line {
	char buf[240];
	size_t n;
};

static void line_sink(void *ctx, char c)
{
	struct line *l = ctx;
	if (l->n < sizeof(l->buf) - 1)
		l->buf[l->n++] = c;
}

void rt_log(const char *fmt, ...)
{
	/* one debug-console write per line: whole, like the log server's lines */
	struct line l = {.n = 0};
	const char *prefix = "roottask | ";
	while (*prefix)
		line_sink(&l, *prefix++);
	va_list ap;
	va_start(ap, fmt);
	fmt_vformat(line_sink, &l, fmt, ap);
	va_end(ap);
	l.buf[l.n++] = '\n';
	l4_kdebug_write(l.buf, l.n);
}

/* ---- the server loop ---- */

static pecan_msgtag_t dispatch(uint64_t tag, uint64_t label, bool *reply)
{
	*reply = true;
	unsigned kind = rt_label_kind(label);
	uint64_t index = rt_label_index(label);
	if (kind == KIND_DS)
		return ds_request(index, tag);
	if ((kind == KIND_MEM || kind == KIND_FAULT) && index >= 1 && index <= RT_MAX_PROGRAMS &&
	    programs[index - 1].alive) {
		struct program *p = &programs[index - 1];
		if (kind == KIND_MEM)
			return mem_request(p, tag);
		pecan_msgtag_t r = 0;
		*reply = program_fault(p, tag, &r);
		return r;
	}
	*reply = false; /* a gate of a program that is gone: nobody to answer */
	return 0;
}

static void serve(void)
{
	for (;;) {
		pecan_msgtag_t tag;
		uint64_t label;
		long err = l4_ipc_wait(&tag, &label, PECAN_TIMEOUT_NEVER);
		if (err) {
			rt_log("wait failed: %s", l4_strerror(err));
			continue;
		}
		bool reply;
		pecan_msgtag_t r = dispatch(tag, label, &reply);
		/* a reply can fail (the caller is gone, its window is too small);
		 * the caller sees the same error, the roottask serves on */
		if (reply)
			l4_ipc_reply(r);
		if (programs_all_clients_done()) {
			rt_log("every program has ended");
			return;
		}
	}
}

int main(int argc, char **argv)
{
	const struct pecan_kip *kip = l4_kip();
	if (argc < 2) {
		rt_log("usage: roottask rom/SCRIPT.cfg (no config script given on the command line)");
		return 1;
	}
	pool_init(kip);
	ds_init(kip);
	rt_log("%lu MiB of user memory, %lu boot modules; script %s", pool_free_bytes() >> 20,
	       (unsigned long)kip->nmodules, argv[1]);
	if (launcher_run(argv[1]))
		return 1;
	serve();
	return 0;
}
