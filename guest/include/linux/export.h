/* linux/export.h - EXPORT_SYMBOL: in a module a __ksymtab entry the loader reads; in lx its own table (guest/ksyms.c). */
#ifndef _LINUX_EXPORT_H
#define _LINUX_EXPORT_H
#include <linux/compiler.h>

/* One exported symbol: its address and name (lx's layout: two pointers,
 * both filled by R_X86_64_64 relocations). */
struct kernel_symbol {
	void *value;
	const char *name;
};

#ifdef MODULE
#define __EXPORT_SYMBOL(sym, sec)                                                                     \
	extern __typeof__(sym) sym;                                                                   \
	static const char __kstrtab_##sym[] = #sym;                                                   \
	static const struct kernel_symbol __ksymtab_##sym __used __section("__ksymtab" sec) __aligned(8) = { \
		(void *)&sym, __kstrtab_##sym}
#else
/* lx's own exports (guest/kapi/): entries of the section lx_ksymtab. */
struct lx_ksym {
	const char *name;
	void *value;
	unsigned long gpl_only;
};
#define __EXPORT_SYMBOL(sym, sec) __LX_EXPORT_AS(sym, #sym, sec)
/* lx only: exports sym under another name (lx's wrapper of a function lx's libc also has). */
#define __LX_EXPORT_AS(sym, name, sec)                                                                \
	extern __typeof__(sym) sym;                                                                   \
	static const struct lx_ksym __PASTE(__lx_ksym_##sym, __COUNTER__) __used __section("lx_ksymtab") \
		__aligned(8) = {                                                                      \
		name, (void *)&sym, sizeof(sec) > 1}
#endif

#define EXPORT_SYMBOL(sym) __EXPORT_SYMBOL(sym, "")
#define EXPORT_SYMBOL_GPL(sym) __EXPORT_SYMBOL(sym, "_gpl")
#define EXPORT_SYMBOL_NS(sym, ns) __EXPORT_SYMBOL(sym, "")
#define EXPORT_SYMBOL_NS_GPL(sym, ns) __EXPORT_SYMBOL(sym, "_gpl")

#endif
