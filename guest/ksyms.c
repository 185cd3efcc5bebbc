/* lx's exported symbols: the table modules' undefined symbols are resolved against (EXPORT_SYMBOL in guest/kapi/). */
#include "kapi/kapi.h"
#include "string.h"
#include <linux/export.h> /* struct lx_ksym (this file is built with the module headers: guest/guest.mk) */

/*
 * Each EXPORT_SYMBOL(sym) in lx's own code (the files of guest/kapi/, compiled
 * without MODULE) puts a struct lx_ksym into the section lx_ksymtab; the
 * linker brackets that section with these two symbols. So the table is
 * exactly what the sources export, next to each definition, as in Linux.
 */
extern const struct lx_ksym __start_lx_ksymtab[], __stop_lx_ksymtab[];

int ksyms_lookup(const char *name, uint64_t *value, bool *gpl_only)
{
	for (const struct lx_ksym *s = __start_lx_ksymtab; s < __stop_lx_ksymtab; s++)
		if (!strcmp(s->name, name)) {
			*value = (uint64_t)s->value;
			*gpl_only = s->gpl_only != 0;
			return 0;
		}
	return -1;
}
