/* Boot programs: ELF modules the kernel starts one after another in their own address spaces. */
#ifndef KERNEL_PROGRAM_H
#define KERNEL_PROGRAM_H

#include "bootinfo.h"
#include "arch/x86_64/trap.h"
#include "arch/x86_64/paging.h"

/*
 * Until the roottask and its launcher exist, the kernel itself starts the
 * programs named by the kernel argument run=NAME[,NAME...], in that order,
 * each when the one before it has ended.
 */
struct program {
	char name[BOOT_NAME_MAX];
	struct address_space as;
};

/* Runs every program of run=; returns when all have ended. Returns the
 * number of programs that could not be started. */
unsigned programs_run(const struct boot_info *bi);

/* The running program; NULL while the kernel runs on its own. */
struct program *program_current(void);

/* End the running program (exit syscall / fault). Do not return. */
void program_exit(long code) __attribute__((noreturn));
void program_fault(const struct trap_frame *f) __attribute__((noreturn));

#endif
