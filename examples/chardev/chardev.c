/*
 * chardev.c - a read-only character device, in the way of the Linux module
 * guides: it registers a major number, makes /dev/chardev through a device
 * class, and says how often it has been read.
 *
 *   insmod chardev.ko; cat /dev/chardev; cat /dev/chardev; rmmod chardev
 */
#include <linux/atomic.h>
#include <linux/cdev.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/types.h>
#include <linux/uaccess.h>
#include <linux/version.h>
#include <asm/errno.h>

#define DEVICE_NAME "chardev" /* the name in /proc/devices and /dev */
#define BUF_LEN 80            /* the longest message */

static int device_open(struct inode *, struct file *);
static int device_release(struct inode *, struct file *);
static ssize_t device_read(struct file *, char __user *, size_t, loff_t *);
static ssize_t device_write(struct file *, const char __user *, size_t, loff_t *);

static int major;             /* given by register_chrdev */

enum {
	CDEV_NOT_USED = 0,
	CDEV_EXCLUSIVE_OPEN = 1,
};
/* one open at a time */
static atomic_t already_open = ATOMIC_INIT(CDEV_NOT_USED);

static char msg[BUF_LEN + 1];
static struct class *cls;

static struct file_operations chardev_fops = {
	.read = device_read,
	.write = device_write,
	.open = device_open,
	.release = device_release,
};

static int __init chardev_init(void)
{
	major = register_chrdev(0, DEVICE_NAME, &chardev_fops);
	if (major < 0) {
		pr_alert("Registering char device failed with %d\n", major);
		return major;
	}
	pr_info("I was assigned major number %d.\n", major);

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
	cls = class_create(DEVICE_NAME);
#else
	cls = class_create(THIS_MODULE, DEVICE_NAME);
#endif
	if (IS_ERR(cls)) {
		unregister_chrdev(major, DEVICE_NAME);
		return PTR_ERR(cls);
	}
	device_create(cls, NULL, MKDEV(major, 0), NULL, DEVICE_NAME);
	pr_info("Device created on /dev/%s\n", DEVICE_NAME);
	return 0;
}

static void __exit chardev_exit(void)
{
	device_destroy(cls, MKDEV(major, 0));
	class_destroy(cls);
	unregister_chrdev(major, DEVICE_NAME);
}

/* cat /dev/chardev */
static int device_open(struct inode *inode, struct file *file)
{
	static int counter;

	if (atomic_cmpxchg(&already_open, CDEV_NOT_USED, CDEV_EXCLUSIVE_OPEN))
		return -EBUSY;
	sprintf(msg, "I already told you %d times Hello world!\n", counter++);
	return 0;
}

static int device_release(struct inode *inode, struct file *file)
{
	atomic_set(&already_open, CDEV_NOT_USED); /* ready for the next caller */
	return 0;
}

/* Gives the message from *offset on; 0 (end of file) once it was all read. */
static ssize_t device_read(struct file *filp, char __user *buffer, size_t length, loff_t *offset)
{
	int bytes_read = 0;
	const char *msg_ptr = msg;

	if (!*(msg_ptr + *offset)) { /* at the end of the message */
		*offset = 0;          /* for the next read */
		return 0;
	}
	msg_ptr += *offset;
	while (length && *msg_ptr) {
		/* the buffer is in user memory: put_user copies a byte there */
		if (put_user(*(msg_ptr++), buffer++))
			return -EFAULT;
		length--;
		bytes_read++;
	}
	*offset += bytes_read;
	return bytes_read;
}

/* echo hi > /dev/chardev */
static ssize_t device_write(struct file *filp, const char __user *buff, size_t len, loff_t *off)
{
	pr_alert("Sorry, this operation is not supported.\n");
	return -EINVAL;
}

module_init(chardev_init);
module_exit(chardev_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("A read-only character device for lx");
