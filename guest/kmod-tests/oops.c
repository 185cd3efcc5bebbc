/* oops.c - /dev/oops: reading gives "still here", writing dereferences NULL: an oops that kills the writer, not lx. */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>

static int *volatile nowhere; /* volatile: the compiler cannot see it is NULL */

static ssize_t oops_read(struct file *f, char __user *u, size_t n, loff_t *off)
{
	static const char msg[] = "still here\n";
	return simple_read_from_buffer(u, n, off, msg, sizeof(msg) - 1);
}

static ssize_t oops_write(struct file *f, const char __user *u, size_t n, loff_t *off)
{
	*nowhere = 42; /* the bug */
	return n;
}

static const struct file_operations oops_fops = {.owner = THIS_MODULE, .read = oops_read, .write = oops_write};
static struct miscdevice oops_dev = {.minor = MISC_DYNAMIC_MINOR, .name = "oops", .fops = &oops_fops};

static int __init oops_init(void) { return misc_register(&oops_dev); }
static void __exit oops_exit(void) { misc_deregister(&oops_dev); }

module_init(oops_init);
module_exit(oops_exit);
MODULE_LICENSE("GPL");
