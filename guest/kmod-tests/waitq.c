/* waitq.c - /dev/waitq: a read sleeps (wait_event_interruptible) until a write brings data and wakes it. */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

static DECLARE_WAIT_QUEUE_HEAD(readers);
static char data[128];
static size_t have;
static int sleeps; /* how often a reader found nothing (each sleep runs the read again) */

static ssize_t waitq_read(struct file *f, char __user *u, size_t n, loff_t *off)
{
	size_t k;
	if (!have) {
		if (f->f_flags & O_NONBLOCK)
			return -EAGAIN;
		sleeps++;
	}
	if (wait_event_interruptible(readers, have > 0))
		return -ERESTARTSYS;
	k = n < have ? n : have;
	if (copy_to_user(u, data, k))
		return -EFAULT;
	memmove(data, data + k, have - k);
	have -= k;
	return k;
}

static ssize_t waitq_write(struct file *f, const char __user *u, size_t n, loff_t *off)
{
	if (n > sizeof(data) - have)
		n = sizeof(data) - have;
	if (copy_from_user(data + have, u, n))
		return -EFAULT;
	have += n;
	wake_up_interruptible(&readers);
	return n;
}

static const struct file_operations waitq_fops = {
	.owner = THIS_MODULE,
	.read = waitq_read,
	.write = waitq_write,
};

static struct miscdevice waitq_dev = {.minor = MISC_DYNAMIC_MINOR, .name = "waitq", .fops = &waitq_fops};

static int __init waitq_init(void) { return misc_register(&waitq_dev); }

static void __exit waitq_exit(void)
{
	pr_info("waitq: readers slept %d times\n", sleeps);
	misc_deregister(&waitq_dev);
}

module_init(waitq_init);
module_exit(waitq_exit);
MODULE_LICENSE("GPL");
