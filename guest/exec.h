/* execve of static ELF programs. */
#ifndef LX_EXEC_H
#define LX_EXEC_H

#include "lx.h"

/* Replaces p's program; on success p's registers start the new one. 0 or -errno
 * (then p is unchanged). */
long lx_exec(struct lx_proc *p, const char *path, char *const *argv, int argc, char *const *envp, int envc);
uint64_t lx_random(void);

#endif
