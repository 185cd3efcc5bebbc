/* lx's loadable kernel modules: the module system calls, the module list, /proc/modules. */
#ifndef LX_MODULE_H
#define LX_MODULE_H

#include "lx.h"

/* Registers init_module, finit_module and delete_module and /proc/modules (main.c calls it once the file system is up). */
void module_register_syscalls(void);
/* The timer tick's work for modules: their timers, work items and kthreads (main.c calls it each tick). */
void module_tick(uint64_t ticks);

/* For an oops: the module whose code holds addr, the function and the offset in it (*fn NULL when no symbol covers it); false if none. */
bool module_symbolize(uint64_t addr, const char **mod, const char **fn, uint64_t *off);
/* After an oops at rip: the module is marked (D); one whose init faulted is unloaded. */
void module_oops(uint64_t rip);

#endif
