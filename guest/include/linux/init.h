/* linux/init.h - __init/__exit sections and module_init/module_exit. */
#ifndef _LINUX_INIT_H
#define _LINUX_INIT_H
#include <linux/compiler.h>
#include <linux/types.h>

/* lx frees a module's .init* sections once its init has run (docs/modules.md). */
#define __init __section(".init.text") __cold
#define __initdata __section(".init.data")
#define __initconst __section(".init.rodata")
#define __exit __section(".exit.text") __cold
#define __exitdata __section(".exit.data")
#define __exit_p(x) x
#define __init_or_module
#define __ref
#define __refdata

typedef int (*initcall_t)(void);
typedef void (*exitcall_t)(void);

/* The kbuild's generated NAME.mod.c points struct module's init and exit
 * at init_module and cleanup_module: these make them aliases of the
 * module's functions (a module may also define them itself, as hello-1). */
#define module_init(initfn)                                                              \
	static inline __maybe_unused initcall_t __inittest(void) { return initfn; }       \
	int init_module(void) __attribute__((alias(#initfn), copy(initfn)));
#define module_exit(exitfn)                                                              \
	static inline __maybe_unused exitcall_t __exittest(void) { return exitfn; }       \
	void cleanup_module(void) __attribute__((alias(#exitfn), copy(exitfn)));

/* Built-in initcalls: in a module they are module_init. */
#define early_initcall(fn) module_init(fn)
#define core_initcall(fn) module_init(fn)
#define subsys_initcall(fn) module_init(fn)
#define fs_initcall(fn) module_init(fn)
#define device_initcall(fn) module_init(fn)
#define late_initcall(fn) module_init(fn)

#endif
