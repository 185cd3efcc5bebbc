/* kapi.h - the seam between lx's module loader (guest/module.c, lx's headers) and the Linux module API (guest/kapi/, Linux's headers). */
#ifndef LX_KAPI_H
#define LX_KAPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * guest/module.c is written against lx's headers and knows nothing of
 * Linux's structs; guest/kapi/ is written against guest/include/linux/
 * (the headers modules are built with) and implements what modules call.
 * This header is all they share: plain C types, so both sides compile it.
 */

struct lx_module;                /* guest/module.c: a loaded module */

/* ---- kapi → module.c ---- */
/* A reference on a module (try_module_get): false once it is going away. */
bool module_get(struct lx_module *m);
void module_put_ref(struct lx_module *m);
int module_refs(struct lx_module *m);
/* The loaded module whose code or data holds addr, or NULL (lx itself). */
struct lx_module *module_of_addr(uint64_t addr);
const char *module_name_of(struct lx_module *m);

/* ---- module.c → kapi (modcore.c) ---- */
/* sizeof(struct module), sizeof(struct kernel_param), sizeof(struct kernel_symbol) of the module headers. */
extern const size_t kapi_this_module_size, kapi_kernel_param_size, kapi_kernel_symbol_size;
/* A loaded module's struct module: its init and exit, and the link back to lx's record. */
bool kapi_module_has_init(const void *this_module);
bool kapi_module_has_exit(const void *this_module);
int kapi_module_run_init(const void *this_module);
void kapi_module_run_exit(const void *this_module);
void kapi_module_bind(void *this_module, struct lx_module *m);
/* Entry i of an export table (__ksymtab): its name, with its address in *value. */
const char *kapi_ksym_at(const void *table, size_t i, uint64_t *value);
/* Applies insmod's argument string to the module's __param entries
 * (args is modified). 0, or -EINVAL / -ENOSPC with a message logged. */
int kapi_module_params(void *params, size_t count, char *args, const char *modname);
/* After a module's exit (or failed init), while m is still on the list:
 * undoes what its code left registered (char devices, misc devices, /dev
 * nodes, timers, work), with a message each. */
void kapi_module_gone(struct lx_module *m);

/* The timer tick: runs expired timers, queued work and runnable kthreads (kapi/sched.c). */
void kapi_tick(uint64_t ticks);
/* lx's own exported-symbol table (guest/ksyms.c): 0 with *value, or -1. */
int ksyms_lookup(const char *name, uint64_t *value, bool *gpl_only);
/* Prints a kernel message: KERN_* level prefix allowed (kapi/printk.c). */
void kapi_printk_line(const char *text);

#endif
