/* The system-call table. */
#ifndef LX_SYSCALL_H
#define LX_SYSCALL_H

#include "lx.h"

/* Runs system call nr with arguments a[0..5]; returns the value for rax or LX_BLOCK. */
long lx_syscall(struct lx_proc *p, uint64_t nr, const uint64_t a[6]);
/* The process and memory system calls (sys_proc.c, sys_mem.c). */
void sys_proc_register(void);
void sys_mem_register(void);
void sys_pipe_register(void);

#endif
