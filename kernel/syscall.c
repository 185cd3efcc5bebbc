/* The one system-call entry: decode the capability and operation, then invoke. */
#include "pecan/errors.h"
#include "pecan/syscall.h"
#include "console.h"
#include "program.h"
#include "uaccess.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/trap.h"

/* Named accessors for the syscall registers (include/pecan/syscall.h). */
static inline uint64_t sys_cap(const struct trap_frame *f) { return f->rdi; }
static inline uint64_t sys_op(const struct trap_frame *f) { return f->rsi; }
static inline uint64_t sys_arg0(const struct trap_frame *f) { return f->rdx; }
static inline uint64_t sys_arg1(const struct trap_frame *f) { return f->r10; }

static int kdebug_write(const struct trap_frame *f)
{
	uint64_t len = sys_arg1(f);
	if (len > PECAN_KDEBUG_WRITE_MAX)
		return PECAN_EINVAL;
	char buf[256];
	for (uint64_t done = 0; done < len;) {
		uint64_t n = len - done < sizeof(buf) ? len - done : sizeof(buf);
		int err = copy_from_user(&program_current()->as, buf, sys_arg0(f) + done, n);
		if (err)
			return err;
		console_write(buf, n);
		done += n;
	}
	return PECAN_OK;
}

static int kdebug_getchar(uint64_t *result)
{
	int c;
	while ((c = arch_serial_getc_nonblock()) < 0)
		cpu_relax();
	*result = (uint64_t)c;
	return PECAN_OK;
}

static int invoke_kdebug(const struct trap_frame *f, uint64_t *result)
{
	switch (sys_op(f)) {
	case PECAN_KDEBUG_WRITE:
		return kdebug_write(f);
	case PECAN_KDEBUG_GETCHAR:
		return kdebug_getchar(result);
	}
	return PECAN_ENOSYS;
}

static int invoke_task(const struct trap_frame *f)
{
	switch (sys_op(f)) {
	case PECAN_TASK_EXIT:
		program_exit((long)sys_arg0(f));
	}
	return PECAN_ENOSYS;
}

void syscall_dispatch(struct trap_frame *f)
{
	uint64_t result = 0;
	int err;
	switch (sys_cap(f)) {
	case PECAN_CAP_TASK:
		err = invoke_task(f);
		break;
	case PECAN_CAP_KDEBUG:
		err = invoke_kdebug(f, &result);
		break;
	default:
		err = PECAN_ECAP;
	}
	f->rax = (uint64_t)err;
	f->rdx = result;
}
