/* /proc/pecan/counters: the Pecan kernel's measurement counters, for the processes (docs/lx.md). */
#include <stdarg.h>
#include "counters.h"
#include "fs/fs.h"
#include "fs/procfs.h"
#include "format.h"
#include "stdlib.h"
#include "string.h"
#include "l4.h"
#include "l4/re/env.h"

/*
 * The kernel counts, when switched on, its entries from user mode, the TSC
 * ticks it spends on them, the ticks in user mode, each by who was running
 * (a guest process, lx in its vCPU's kernel mode, or another thread), and
 * the address-space switches (docs/abi.md, "Measurement counters"). lx
 * shows them as they are: a process's work in lx is the time lx's vCPU
 * runs in kernel mode, which the kernel sees as user mode of class "guest".
 * Present only when the config script gives lx the capability `kdebug`
 * (conf/lxbench.cfg); writing 1 or 0 switches the counting on or off.
 */

static uint64_t sel_kdebug;

static const char *const names[PECAN_CNT_COUNT] = {
	[PECAN_CNT_ENTRIES + PECAN_CNT_PROCESS] = "kernel_entries_process",
	[PECAN_CNT_ENTRIES + PECAN_CNT_GUEST] = "kernel_entries_lx",
	[PECAN_CNT_ENTRIES + PECAN_CNT_OTHER] = "kernel_entries_other",
	[PECAN_CNT_KERNEL + PECAN_CNT_PROCESS] = "kernel_ticks_process",
	[PECAN_CNT_KERNEL + PECAN_CNT_GUEST] = "kernel_ticks_lx",
	[PECAN_CNT_KERNEL + PECAN_CNT_OTHER] = "kernel_ticks_other",
	[PECAN_CNT_USER + PECAN_CNT_PROCESS] = "user_ticks_process",
	[PECAN_CNT_USER + PECAN_CNT_GUEST] = "user_ticks_lx",
	[PECAN_CNT_USER + PECAN_CNT_OTHER] = "user_ticks_other",
	[PECAN_CNT_SWITCHES] = "address_space_switches",
	[PECAN_CNT_OVERHEAD] = "counting_ticks",
	[PECAN_CNT_UNATTRIBUTED] = "unattributed_ticks",
};

struct text {
	char buf[1024];
	size_t len;
};

static void text_sink(void *ctx, char c)
{
	struct text *t = ctx;
	if (t->len < sizeof(t->buf))
		t->buf[t->len++] = c;
}

static void text_printf(struct text *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fmt_vformat(text_sink, t, fmt, ap);
	va_end(ap);
}

/* The snapshot at open: a reader sees one consistent set. */
static long counters_open(struct lx_proc *p, struct lx_file *f)
{
	(void)p;
	uint64_t r[1 + PECAN_CNT_COUNT];
	long e = l4_invoke(sel_kdebug, PECAN_KDEBUG_COUNTERS, (uint64_t[]){PECAN_COUNTERS_READ}, 1, r,
			   1 + PECAN_CNT_COUNT);
	if (e)
		return -LX_EIO;
	struct text *t = malloc(sizeof(*t));
	if (!t)
		return -LX_ENOMEM;
	t->len = 0;
	text_printf(t, "counting %lu\n", (unsigned long)r[0]);
	for (unsigned i = 0; i < PECAN_CNT_COUNT; i++)
		text_printf(t, "%s %lu\n", names[i], (unsigned long)r[1 + i]);
	f->priv = t;
	return 0;
}

static long counters_read(struct lx_proc *p, struct lx_file *f, uint64_t buf, size_t n, uint64_t *pos)
{
	struct text *t = f->priv;
	if (!t || *pos >= t->len)
		return 0;
	if (n > t->len - *pos)
		n = (size_t)(t->len - *pos);
	if (lx_copy_to_user(p, buf, t->buf + *pos, n))
		return -LX_EFAULT;
	*pos += n;
	return (long)n;
}

/* "1" switches the counting on, "0" off (a trailing newline is fine). */
static long counters_write(struct lx_proc *p, struct lx_file *f, uint64_t buf, size_t n, uint64_t *pos)
{
	(void)f;
	char c = 0;
	if (n == 0)
		return 0;
	if (lx_copy_from_user(p, &c, buf, 1))
		return -LX_EFAULT;
	if ((c != '0' && c != '1') || (n > 1 && n != 2))
		return -LX_EINVAL;
	if (n == 2) {
		char nl = 0;
		if (lx_copy_from_user(p, &nl, buf + 1, 1))
			return -LX_EFAULT;
		if (nl != '\n')
			return -LX_EINVAL;
	}
	uint64_t what = c == '1' ? PECAN_COUNTERS_ON : PECAN_COUNTERS_OFF, on;
	if (l4_invoke(sel_kdebug, PECAN_KDEBUG_COUNTERS, &what, 1, &on, 1))
		return -LX_EPERM;
	*pos += n;
	return (long)n;
}

static void counters_release(struct lx_file *f)
{
	free(f->priv);
	f->priv = NULL;
}

static const struct lx_file_ops counters_ops = {
	.open = counters_open,
	.read = counters_read,
	.write = counters_write,
	.release = counters_release,
	.seekable = true,
};

static struct procfs_entry dir = {.name = "pecan", .mode = 0555, .dir = true};
static struct procfs_entry file = {.name = "counters", .mode = 0644, .ops = &counters_ops, .parent = &dir};

void lx_counters_init(void)
{
	uint64_t r[1 + PECAN_CNT_COUNT];
	sel_kdebug = l4re_env_get_cap("kdebug");
	/* a kernel that answers the operation, through a capability that may read it */
	if (!sel_kdebug || l4_invoke(sel_kdebug, PECAN_KDEBUG_COUNTERS, (uint64_t[]){PECAN_COUNTERS_READ}, 1, r,
				     1 + PECAN_CNT_COUNT))
		return;
	if (procfs_add(&dir) == 0 && procfs_add(&file) != 0)
		procfs_remove(&dir);
}
