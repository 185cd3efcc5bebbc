/* lx's loadable kernel modules: the module system calls, the module list, /proc/modules. */
#ifndef LX_MODULE_H
#define LX_MODULE_H

#include "lx.h"

/* Registers init_module, finit_module and delete_module and /proc/modules (main.c calls it once the file system is up). */
void module_register_syscalls(void);
/* The timer tick's work for modules: their timers, work items and kthreads (main.c calls it each tick). */
void module_tick(uint64_t ticks);

#endif
