/*
 * procsleep.c - /proc/procsleep, in the style of the guide's sleep.c: a /proc
 * file whose handlers sleep. One reader at a time: a second open for reading
 * sleeps until the first reader closes (O_NONBLOCK: -EAGAIN). A read sleeps
 * until a write has left a message; writers are not limited.
 */
#include <linux/atomic.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#define NAME "procsleep"

static struct proc_dir_entry *entry;
static atomic_t reader_in = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(open_wait);
static DECLARE_WAIT_QUEUE_HEAD(data_wait);
static char msg[80];
static size_t msg_len;
static int open_sleeps, read_sleeps;

static int ps_open(struct inode *inode, struct file *file)
{
	if (!(file->f_mode & FMODE_READ))
		return 0;
	while (atomic_cmpxchg(&reader_in, 0, 1) != 0) {
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		open_sleeps++;
		if (wait_event_interruptible(open_wait, atomic_read(&reader_in) == 0))
			return -ERESTARTSYS;
	}
	return 0;
}

static int ps_release(struct inode *inode, struct file *file)
{
	if (file->f_mode & FMODE_READ) {
		atomic_set(&reader_in, 0);
		wake_up(&open_wait);
	}
	return 0;
}

static ssize_t ps_read(struct file *file, char __user *buf, size_t len, loff_t *off)
{
	size_t n;
	if (!msg_len) {
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		read_sleeps++;
	}
	if (wait_event_interruptible(data_wait, msg_len > 0))
		return -ERESTARTSYS;
	if (*off >= (loff_t)msg_len)
		return 0;
	n = msg_len - (size_t)*off;
	if (n > len)
		n = len;
	if (copy_to_user(buf, msg + *off, n))
		return -EFAULT;
	*off += n;
	return n;
}

static ssize_t ps_write(struct file *file, const char __user *buf, size_t len, loff_t *off)
{
	size_t n = len < sizeof(msg) ? len : sizeof(msg);
	if (copy_from_user(msg, buf, n))
		return -EFAULT;
	msg_len = n;
	wake_up_interruptible(&data_wait);
	return len;
}

static const struct proc_ops ps_ops = {
	.proc_open = ps_open,
	.proc_read = ps_read,
	.proc_write = ps_write,
	.proc_release = ps_release,
};

static int __init procsleep_init(void)
{
	entry = proc_create(NAME, 0666, NULL, &ps_ops);
	if (!entry)
		return -ENOMEM;
	pr_info("procsleep: /proc/%s created\n", NAME);
	return 0;
}

static void __exit procsleep_exit(void)
{
	pr_info("procsleep: openers slept %d times, readers %d times\n", open_sleeps, read_sleeps);
	proc_remove(entry);
}

module_init(procsleep_init);
module_exit(procsleep_exit);
MODULE_LICENSE("GPL");
