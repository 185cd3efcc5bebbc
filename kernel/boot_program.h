/* Boot programs: the scenario's run= programs, started one after another, each owning the machine's user memory. */
#ifndef KERNEL_BOOT_PROGRAM_H
#define KERNEL_BOOT_PROGRAM_H

#include <stdbool.h>
#include <stdint.h>
#include "bootinfo.h"

struct task;
struct thread;
struct boot_program;

void boot_programs_init(const struct boot_info *bi);
/* From the idle loop: finish an ended program, start the next, power off after the last. */
void boot_program_poll(void);
/* From the idle loop when nothing is ready: ends a program that can never
 * make progress again (nothing blocked has a timeout or an interrupt to wait
 * for). Returns true when it did. */
bool boot_program_stuck(void);

void boot_program_exited(struct boot_program *bp, long code);
void boot_program_main_died(struct thread *t);
void boot_program_task_gone(struct boot_program *bp);
/* Resolves a fault in the physical window of a boot program's task. */
bool boot_program_window_fault(struct task *t, uint64_t addr, bool write);
/* For messages: the name of the running boot program. */
const char *boot_program_name(struct task *t);

#endif
