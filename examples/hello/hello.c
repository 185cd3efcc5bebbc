/*
 * hello.c - the smallest useful module: a message when it is loaded and
 * one when it is unloaded (exercise task 1).
 *
 *   make                       # = make -C ../../guest/kbuild M=$PWD modules
 *   insmod hello.ko; rmmod hello; dmesg | tail -2
 */
#include <linux/init.h>   /* module_init, module_exit, __init, __exit */
#include <linux/module.h> /* every module needs it */
#include <linux/printk.h> /* pr_info */

static int __init hello_init(void)
{
	pr_info("Hello, world: a module runs inside lx\n");
	/* 0 means it loaded; a negative errno would make insmod fail */
	return 0;
}

static void __exit hello_exit(void)
{
	pr_info("Goodbye, world\n");
}

module_init(hello_init);
module_exit(hello_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("Pecan");
MODULE_DESCRIPTION("Hello world, as a loadable module of lx");
