/* The system-call table: numbers to handlers, and the once-only report of unknown calls. */
#include "syscall.h"
#include "stdio.h"

extern const char *const lx_syscall_names[];
extern const unsigned lx_syscall_name_count;

#define NR_MAX 512

static struct {
	const char *name;
	lx_syscall_fn fn;
} table[NR_MAX];
static uint8_t reported[NR_MAX / 8 + 1]; /* unknown numbers already logged */

void lx_syscall_register(unsigned nr, const char *name, lx_syscall_fn fn)
{
	if (nr < NR_MAX) {
		table[nr].name = name;
		table[nr].fn = fn;
	}
}

long lx_syscall(struct lx_proc *p, uint64_t nr, const uint64_t a[6])
{
	if (nr < NR_MAX && table[nr].fn)
		return table[nr].fn(p, a[0], a[1], a[2], a[3], a[4], a[5]);
	unsigned bit = nr < NR_MAX ? (unsigned)nr : NR_MAX;
	if (!(reported[bit / 8] & (1u << (bit % 8)))) {
		reported[bit / 8] |= (uint8_t)(1u << (bit % 8));
		const char *name = nr < lx_syscall_name_count ? lx_syscall_names[nr] : "";
		lx_log("lx: %s (pid %d) called unknown system call %lu%s%s; it returns -ENOSYS (reported once)",
		       p->comm, p->pid, (unsigned long)nr, *name ? " " : "", name);
	}
	return -LX_ENOSYS;
}
