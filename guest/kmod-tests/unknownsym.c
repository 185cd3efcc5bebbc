/* unknownsym.c - calls a function nobody exports: insmod fails with ENOENT ("Unknown symbol"). */
#include <linux/module.h>

int no_such_function(void);

static int __init unknownsym_init(void) { return no_such_function(); }

module_init(unknownsym_init);
MODULE_LICENSE("GPL");
