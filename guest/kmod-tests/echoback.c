/* echoback.c - a misc device (/dev/echoback) that gives back what was last written to it; ioctl 0 clears it. */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#define CAP 4096
static char *buf;
static size_t len;

static ssize_t echoback_read(struct file *f, char __user *u, size_t n, loff_t *off)
{
	return simple_read_from_buffer(u, n, off, buf, len);
}

static ssize_t echoback_write(struct file *f, const char __user *u, size_t n, loff_t *off)
{
	if (*off == 0)
		len = 0; /* a new write replaces the text */
	if (n > CAP - len)
		n = CAP - len;
	if (!n)
		return -ENOSPC;
	if (copy_from_user(buf + len, u, n))
		return -EFAULT;
	len += n;
	*off += n;
	return n;
}

static long echoback_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	if (cmd != 0)
		return -ENOTTY;
	len = 0;
	return 0;
}

static int echoback_open(struct inode *inode, struct file *f)
{
	/* misc_open's convention: private_data is the miscdevice */
	return f->private_data ? 0 : -ENODEV;
}

static const struct file_operations echoback_fops = {
	.owner = THIS_MODULE,
	.open = echoback_open,
	.read = echoback_read,
	.write = echoback_write,
	.unlocked_ioctl = echoback_ioctl,
};

static struct miscdevice echoback_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "echoback",
	.fops = &echoback_fops,
	.mode = 0666,
};

static int __init echoback_init(void)
{
	int e;
	buf = kzalloc(CAP, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	e = misc_register(&echoback_dev);
	if (e) {
		kfree(buf);
		return e;
	}
	pr_info("echoback: /dev/echoback is 10:%d\n", echoback_dev.minor);
	return 0;
}

static void __exit echoback_exit(void)
{
	misc_deregister(&echoback_dev);
	kfree(buf);
}

module_init(echoback_init);
module_exit(echoback_exit);
MODULE_LICENSE("GPL");
