/* User-mode faults: the physical window, page faults to the pager, exceptions to the handler. */
#ifndef KERNEL_FAULT_H
#define KERNEL_FAULT_H

#include "arch/x86_64/trap.h"

/* A CPU exception of the current thread in user mode. */
void fault_user_exception(struct trap_frame *f);

#endif
