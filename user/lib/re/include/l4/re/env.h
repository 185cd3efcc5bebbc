/* The program's environment: named capabilities from the config script, memory and the rom/ namespace. */
#ifndef L4_RE_ENV_H
#define L4_RE_ENV_H

#include <stdint.h>
#include "pecan/rt/env.h"

/* The environment, or NULL in a boot program started by the kernel. */
const struct pecan_env *l4re_env(void);
/* The selector of the capability the config script named `name` (cap=NAME),
 * or 0 when the program has none by that name. */
uint64_t l4re_env_get_cap(const char *name);

/* Dataspaces (include/pecan/rt/mem.h). Each returns enum pecan_error. */
/* Anonymous zero-filled memory of size bytes; its capability goes to selector dest. */
long l4re_ds_alloc(uint64_t size, uint64_t dest);
/* The dataspace of a boot module ("rom/NAME"), read-only, to selector dest. */
long l4re_ns_query(const char *name, uint64_t dest);
long l4re_ds_info(uint64_t ds, uint64_t *size, uint64_t *flags);
/* Maps 2^order bytes of the dataspace from offset at address addr (both
 * aligned to the size) into the caller's task. */
long l4re_ds_map(uint64_t ds, uint64_t offset, unsigned order, uint64_t addr);
long l4re_ds_free(uint64_t ds);

#endif
