/* Task objects: an address space and a capability space. */
#ifndef KERNEL_TASK_H
#define KERNEL_TASK_H

#include <stdbool.h>
#include "cap.h"
#include "kobject.h"
#include "arch/x86_64/paging.h"

struct factory;
struct thread;
struct boot_program;

struct task {
	struct kobject obj;
	struct address_space as;
	struct cap_space caps;
	struct thread *threads;       /* bound threads, linked by thread->task_next */
	bool exited;                  /* TASK_EXIT: its threads are dead */
	struct boot_program *boot;    /* set for a boot program's task: it has the physical window */
};

struct task *task_create(struct factory *f);
void task_destroy(struct task *t);
/* Makes every thread of the task dead (TASK_EXIT). */
void task_exit(struct task *t, long code);
int task_invoke(struct task *t, unsigned rights, struct thread *caller, unsigned op, unsigned words,
		unsigned *nres);
/* Maps or grants what a flexpage names from src into dst at dest (TASK_MAP,
 * typed items). Checks everything first; returns enum pecan_error. */
int task_map_fpage(struct task *dst, uint64_t dest, struct task *src, uint64_t fpage, unsigned rights,
		   bool grant);

#endif
