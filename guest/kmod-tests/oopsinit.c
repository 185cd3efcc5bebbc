/* oopsinit.c - its init dereferences NULL: insmod dies, the load is abandoned, lx runs on. */
#include <linux/module.h>

static int *volatile nowhere;

static int __init oopsinit_init(void)
{
	pr_info("oopsinit: about to dereference NULL\n");
	return *nowhere;
}

module_init(oopsinit_init);
MODULE_LICENSE("GPL");
