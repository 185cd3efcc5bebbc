/*
 * l4log.c - exercise task 2 and 3: a character device /dev/l4log that a
 * Linux program (the shell's echo) writes a string to, and the module
 * prints that string on the L4 serial console with l4re_log_print(), the
 * L4Re log API (through lx's log gate: the console shows `lx | ...`).
 *
 *   insmod l4log.ko
 *   echo "Hello, L4" > /dev/l4log      # the console shows: lx | l4log: Hello, L4
 *   cat /dev/l4log                     # the last string again
 *   rmmod l4log
 */
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/uaccess.h>
#include <l4/re/c/log.h>

#define DEVICE_NAME "l4log"
#define PREFIX DEVICE_NAME ": "
#define MSG_MAX 256 /* a longer write comes in pieces of this size */

static int major;
static struct class *cls;
static DEFINE_MUTEX(lock);
static char last[MSG_MAX + 1];   /* the last string written, for read */
static size_t last_len;
static unsigned long messages;

static ssize_t l4log_write(struct file *file, const char __user *ubuf, size_t len, loff_t *off)
{
	char line[sizeof(PREFIX) + MSG_MAX + 1];
	size_t n = len < MSG_MAX ? len : MSG_MAX;
	size_t p = sizeof(PREFIX) - 1;

	memcpy(line, PREFIX, p);
	/* ubuf is the writer's memory: copy it in, never touch it directly */
	if (copy_from_user(line + p, ubuf, n))
		return -EFAULT;
	mutex_lock(&lock);
	memcpy(last, line + p, n);
	last[n] = '\0';
	last_len = n;
	messages++;
	mutex_unlock(&lock);

	/* the log shows whole lines: end the text with one */
	p += n;
	if (n == 0 || line[p - 1] != '\n')
		line[p++] = '\n';
	line[p] = '\0';
	l4re_log_print(line);
	return n;
}

static ssize_t l4log_read(struct file *file, char __user *ubuf, size_t len, loff_t *off)
{
	ssize_t r;

	mutex_lock(&lock);
	r = simple_read_from_buffer(ubuf, len, off, last, last_len);
	mutex_unlock(&lock);
	return r;
}

static const struct file_operations l4log_fops = {
	.owner = THIS_MODULE,
	.read = l4log_read,
	.write = l4log_write,
};

static int __init l4log_init(void)
{
	struct device *dev;

	major = register_chrdev(0, DEVICE_NAME, &l4log_fops);
	if (major < 0)
		return major;
	cls = class_create(DEVICE_NAME);
	if (IS_ERR(cls)) {
		unregister_chrdev(major, DEVICE_NAME);
		return PTR_ERR(cls);
	}
	dev = device_create(cls, NULL, MKDEV(major, 0), NULL, DEVICE_NAME);
	if (IS_ERR(dev)) {
		class_destroy(cls);
		unregister_chrdev(major, DEVICE_NAME);
		return PTR_ERR(dev);
	}
	l4re_log_print(PREFIX "ready: echo a string > /dev/" DEVICE_NAME "\n");
	return 0;
}

static void __exit l4log_exit(void)
{
	device_destroy(cls, MKDEV(major, 0));
	class_destroy(cls);
	unregister_chrdev(major, DEVICE_NAME);
	pr_info(PREFIX "%lu strings printed\n", messages);
}

module_init(l4log_init);
module_exit(l4log_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Prints what is written to /dev/l4log on the L4 console with l4re_log_print()");
