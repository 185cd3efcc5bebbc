/* badinit.c - its init registers a device and then fails: insmod reports the error and nothing stays. */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>

static const struct file_operations badinit_fops = {.owner = THIS_MODULE};
static struct miscdevice badinit_dev = {.minor = MISC_DYNAMIC_MINOR, .name = "badinit", .fops = &badinit_fops};

static int __init badinit_init(void)
{
	int e = misc_register(&badinit_dev);
	if (e)
		return e;
	pr_info("badinit: failing on purpose (and leaving /dev/badinit registered)\n");
	return -ENODEV;
}

static void __exit badinit_exit(void) { misc_deregister(&badinit_dev); }

module_init(badinit_init);
module_exit(badinit_exit);
MODULE_LICENSE("GPL");
