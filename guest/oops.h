/* lx's oops: faults in module code are reported and lx runs on (oops.c). */
#ifndef LX_OOPS_H
#define LX_OOPS_H

#include <stdbool.h>
#include <stdint.h>

/* What the guard saw of the last oops. */
struct lx_oops {
	uint64_t rip, addr, vector, error;
	bool page_fault;
};
extern struct lx_oops lx_oops_info;

/* Starts the guard and makes it this (the vCPU) thread's pager and exception handler; sp: the stack lx_oops_recover runs on. 0 or an error. */
long lx_oops_guard_start(uint64_t sp);
/* Where a faulting module's thread resumes, on a fresh stack (main.c): reports, kills the process, schedules. */
void lx_oops_recover(void) __attribute__((noreturn));
/* Logs the oops line and marks (or, if its init faulted, unloads) the module. */
void lx_oops_report(void);

#endif
