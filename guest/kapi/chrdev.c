/* Module API: char devices (number regions, register_chrdev, cdev, misc devices), classes and /dev nodes, and the file operations called from lx's open files. */
#include <linux/fs.h>
#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "kapi/kapi.h"
#include "kapi/internal.h"
#include "fs/fs.h"

/*
 * lx's driver table (fs/devices.c) maps device numbers to lx_file_ops;
 * every number range a module registers points at kapi_file_ops below,
 * which finds the module's file_operations at open and calls them with a
 * struct file and struct inode made for that open. lx's nodes take majors
 * and minors up to 255 (LX_MKDEV), so do the numbers modules register.
 */

struct region {
	struct list_head node;
	struct lx_chrdev lx;            /* in lx's driver table */
	char name[64];
	const struct file_operations *fops; /* register_chrdev's, a misc device's; NULL: a cdev decides */
	struct miscdevice *misc;
	bool for_cdev;                  /* made by cdev_add for numbers nobody reserved: goes with it */
	struct lx_module *owner;        /* the module that registered it */
};

static LIST_HEAD(regions);
static LIST_HEAD(cdevs);
static LIST_HEAD(classes);

static const struct lx_file_ops kapi_file_ops;

enum { DYN_MAJOR_FIRST = 254, DYN_MAJOR_LAST = 234, LX_NUM_MAX = 255 };

static struct region *region_find(unsigned major, unsigned minor)
{
	struct region *r;
	list_for_each_entry(r, &regions, node)
		if (r->lx.major == major && minor >= r->lx.minor_first && minor - r->lx.minor_first < r->lx.minor_count)
			return r;
	return NULL;
}

/* Registers numbers with lx (major 0: the first free dynamic one). The region, or an ERR_PTR. */
static struct region *region_add(unsigned major, unsigned baseminor, unsigned count, const char *name,
				 const struct file_operations *fops, struct lx_module *owner)
{
	if (major > LX_NUM_MAX || count == 0 || baseminor > LX_NUM_MAX || count > LX_NUM_MAX + 1 - baseminor) {
		pr_err("%s: char device numbers %u:%u+%u: lx takes majors and minors up to 255\n", name, major, baseminor,
		       count);
		return ERR_PTR(-EINVAL);
	}
	struct region *r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return ERR_PTR(-ENOMEM);
	strscpy(r->name, name ? name : "", sizeof(r->name));
	r->lx = (struct lx_chrdev){.major = major, .minor_first = baseminor, .minor_count = count, .name = r->name,
				   .ops = &kapi_file_ops};
	r->fops = fops;
	r->owner = owner;
	long e = -EBUSY;
	if (major) {
		e = fs_chrdev_register(&r->lx);
	} else {
		for (unsigned m = DYN_MAJOR_FIRST; m >= DYN_MAJOR_LAST && e; m--) {
			r->lx.major = m;
			e = fs_chrdev_register(&r->lx);
		}
		if (e)
			pr_err("%s: no free dynamic major (%u to %u)\n", r->name, DYN_MAJOR_LAST, DYN_MAJOR_FIRST);
	}
	if (e) {
		kfree(r);
		return ERR_PTR(e == -LX_ENOMEM ? -EBUSY : (int)e);
	}
	list_add_tail(&r->node, &regions);
	return r;
}

static void region_del(struct region *r)
{
	fs_chrdev_unregister(&r->lx);
	list_del(&r->node);
	kfree(r);
}

static struct region *region_exact(unsigned major, unsigned baseminor)
{
	struct region *r;
	list_for_each_entry(r, &regions, node)
		if (r->lx.major == major && r->lx.minor_first == baseminor && !r->misc && !r->for_cdev)
			return r;
	return NULL;
}

int __register_chrdev(unsigned int major, unsigned int baseminor, unsigned int count, const char *name,
		      const struct file_operations *fops)
{
	struct region *r = region_add(major, baseminor, count, name, fops, kapi_caller());
	if (IS_ERR(r))
		return (int)PTR_ERR(r);
	return major ? 0 : (int)r->lx.major;
}
EXPORT_SYMBOL(__register_chrdev);

void __unregister_chrdev(unsigned int major, unsigned int baseminor, unsigned int count, const char *name)
{
	(void)count, (void)name;
	struct region *r = region_exact(major, baseminor);
	if (r)
		region_del(r);
}
EXPORT_SYMBOL(__unregister_chrdev);

int alloc_chrdev_region(dev_t *dev, unsigned baseminor, unsigned count, const char *name)
{
	struct region *r = region_add(0, baseminor, count, name, NULL, kapi_caller());
	if (IS_ERR(r))
		return (int)PTR_ERR(r);
	*dev = MKDEV(r->lx.major, baseminor);
	return 0;
}
EXPORT_SYMBOL(alloc_chrdev_region);

int register_chrdev_region(dev_t from, unsigned count, const char *name)
{
	struct region *r = region_add(MAJOR(from), MINOR(from), count, name, NULL, kapi_caller());
	return IS_ERR(r) ? (int)PTR_ERR(r) : 0;
}
EXPORT_SYMBOL(register_chrdev_region);

void unregister_chrdev_region(dev_t from, unsigned count)
{
	__unregister_chrdev(MAJOR(from), MINOR(from), count, NULL);
}
EXPORT_SYMBOL(unregister_chrdev_region);

/* ---- cdev ---- */

void cdev_init(struct cdev *cdev, const struct file_operations *fops)
{
	memset(cdev, 0, sizeof(*cdev));
	INIT_LIST_HEAD(&cdev->list);
	cdev->ops = fops;
}
EXPORT_SYMBOL(cdev_init);

struct cdev *cdev_alloc(void)
{
	struct cdev *c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (c)
		INIT_LIST_HEAD(&c->list);
	return c;
}
EXPORT_SYMBOL(cdev_alloc);

int cdev_add(struct cdev *cdev, dev_t dev, unsigned count)
{
	cdev->dev = dev;
	cdev->count = count;
	cdev->__lx = NULL;
	if (!region_find(MAJOR(dev), MINOR(dev))) {
		/* numbers nobody reserved: they are registered for this cdev alone */
		struct region *r = region_add(MAJOR(dev), MINOR(dev), count, "cdev", NULL, kapi_caller());
		if (IS_ERR(r))
			return (int)PTR_ERR(r);
		r->for_cdev = true;
		cdev->__lx = r;
	}
	list_add_tail(&cdev->list, &cdevs);
	return 0;
}
EXPORT_SYMBOL(cdev_add);

void cdev_del(struct cdev *cdev)
{
	if (cdev->list.next && !list_empty(&cdev->list))
		list_del_init(&cdev->list);
	if (cdev->__lx)
		region_del(cdev->__lx);
	cdev->__lx = NULL;
}
EXPORT_SYMBOL(cdev_del);

static struct cdev *cdev_find(unsigned major, unsigned minor)
{
	struct cdev *c;
	list_for_each_entry(c, &cdevs, list)
		if (MAJOR(c->dev) == major && minor >= MINOR(c->dev) && minor - MINOR(c->dev) < c->count)
			return c;
	return NULL;
}

/* ---- file operations: lx's open file → the module's file_operations ---- */

struct kfile {
	struct file file;
	struct inode inode;
	char name[LX_NAME_MAX + 1];     /* the node's name (f_path.dentry->d_name) */
};

/*
 * Sleeping (docs/modules.md): lx runs every event on one stack and a
 * blocking call does not keep its stack while it sleeps; it is run again
 * from its start when woken (LX_BLOCK). A module's file operation that
 * sleeps (wait_event, a contended mutex, msleep) therefore ends here, by
 * a jump back to the wrapper that called it, which returns LX_BLOCK; when
 * woken, the system call, and with it the file operation, starts again
 * and finds its condition true. What the operation did before sleeping is
 * done again: Linux drivers check their condition first, so this holds
 * for the usual pattern.
 */
struct kapi_file_op_frame *kapi_file_op_frame; /* KAPI_FILE_OP in internal.h */
#define FILE_OP KAPI_FILE_OP

bool kapi_in_file_op(void) { return kapi_file_op_frame && lx_current; }

void kapi_file_op_sleep(const void *channel, long ticks)
{
	struct lx_proc *p = lx_current;
	p->wait_channel = channel;
	p->wake_tick = ticks > 0 ? lx_ticks() + (uint64_t)ticks : 0;
	p->state = LX_SLEEPING;
	__builtin_longjmp(kapi_file_op_frame->jmp, 1);
}

/* A module's result as lx's: kernel-internal restart codes become EINTR. */
long kapi_lx_result(long r)
{
	if (r == LX_BLOCK)
		return r;
	if (r == -ERESTARTSYS || r == -ERESTARTNOINTR || r == -ERESTARTNOHAND)
		return -LX_EINTR;
	if (r == -ENOIOCTLCMD)
		return -LX_ENOTTY;
	return r;
}

static struct kfile *kfile_of(struct lx_file *f)
{
	struct kfile *kf = f->priv;
	kf->file.f_flags = f->flags; /* fcntl may have changed O_NONBLOCK */
	return kf;
}

static long kapi_open(struct lx_proc *p, struct lx_file *f)
{
	(void)p;
	unsigned major = f->inode->rdev >> 8, minor = f->inode->rdev & 0xff;
	struct region *r = region_find(major, minor);
	struct cdev *c = NULL;
	const struct file_operations *fops = r ? r->fops : NULL;
	if (!fops && (c = cdev_find(major, minor)))
		fops = c->ops;
	if (!fops)
		return -LX_ENXIO;
	if (!try_module_get(fops->owner))
		return -LX_ENXIO; /* its module is going away */
	struct kfile *kf = kzalloc(sizeof(*kf), GFP_KERNEL);
	if (!kf) {
		module_put(fops->owner);
		return -LX_ENOMEM;
	}
	char path[LX_PATH_MAX];
	const char *base = r ? r->name : "";
	if (path_of_inode(f->inode, path, sizeof(path)) == 0)
		base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	strscpy(kf->name, base, sizeof(kf->name));
	kf->inode = (struct inode){.i_mode = (umode_t)f->inode->mode, .i_rdev = MKDEV(major, minor),
				   .i_ino = (unsigned long)f->inode->ino, .i_size = 0, .i_cdev = c};
	struct file *file = &kf->file;
	file->__lx_dentry.d_name = (struct qstr){.name = kf->name, .len = (u32)strlen(kf->name)};
	file->__lx_dentry.d_inode = &kf->inode;
	file->f_path.dentry = &file->__lx_dentry;
	file->f_inode = &kf->inode;
	file->f_op = fops;
	file->f_flags = f->flags;
	unsigned acc = f->flags & LX_O_ACCMODE;
	file->f_mode = FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE | (acc != LX_O_WRONLY ? FMODE_READ : 0) |
		       (acc != LX_O_RDONLY ? FMODE_WRITE : 0);
	file->__lx_file = f;
	if (r && r->misc)
		file->private_data = r->misc; /* as misc_open does */
	long e = 0;
	if (fops->open)
		FILE_OP(e, fops->open(&kf->inode, file));
	if (e) {
		module_put(fops->owner);
		kfree(kf);
		return kapi_lx_result(e);
	}
	f->priv = kf;
	return 0;
}

static long kapi_read(struct lx_proc *p, struct lx_file *f, uint64_t buf, size_t n, uint64_t *pos)
{
	(void)p;
	struct kfile *kf = kfile_of(f);
	if (!kf->file.f_op->read)
		return -LX_EINVAL;
	loff_t off = (loff_t)*pos;
	long r;
	FILE_OP(r, kf->file.f_op->read(&kf->file, (char __user *)buf, n, &off));
	if (r >= 0) {
		*pos = (uint64_t)off;
		kf->file.f_pos = off;
	}
	return kapi_lx_result(r);
}

static long kapi_write(struct lx_proc *p, struct lx_file *f, uint64_t buf, size_t n, uint64_t *pos)
{
	(void)p;
	struct kfile *kf = kfile_of(f);
	if (!kf->file.f_op->write)
		return -LX_EINVAL;
	loff_t off = (loff_t)*pos;
	long r;
	FILE_OP(r, kf->file.f_op->write(&kf->file, (const char __user *)buf, n, &off));
	if (r >= 0) {
		*pos = (uint64_t)off;
		kf->file.f_pos = off;
	}
	return kapi_lx_result(r);
}

static long kapi_ioctl(struct lx_proc *p, struct lx_file *f, unsigned cmd, uint64_t arg)
{
	(void)p;
	struct kfile *kf = kfile_of(f);
	if (!kf->file.f_op->unlocked_ioctl)
		return -LX_ENOTTY;
	long r;
	FILE_OP(r, kf->file.f_op->unlocked_ioctl(&kf->file, cmd, (unsigned long)arg));
	return kapi_lx_result(r);
}

static unsigned kapi_poll(struct lx_file *f, const void **channel)
{
	struct kfile *kf = kfile_of(f);
	if (!kf->file.f_op->poll)
		return LX_POLLIN | LX_POLLOUT | LX_POLLRDNORM | LX_POLLWRNORM;
	poll_table pt = {NULL};
	unsigned bits = kf->file.f_op->poll(&kf->file, &pt);
	*channel = pt.__lx_first;
	return bits; /* Linux's POLL* bits are lx's */
}

static void kapi_release(struct lx_file *f)
{
	struct kfile *kf = f->priv;
	const struct file_operations *fops = kf->file.f_op;
	if (fops->release)
		fops->release(&kf->inode, &kf->file);
	module_put(fops->owner);
	kfree(kf);
}

static const struct lx_file_ops kapi_file_ops = {
	.open = kapi_open,
	.read = kapi_read,
	.write = kapi_write,
	.ioctl = kapi_ioctl,
	.poll = kapi_poll,
	.release = kapi_release,
	.seekable = true,
};

/* ---- seeking and buffers (lx keeps the file position: lseek works on every module's file) ---- */

loff_t noop_llseek(struct file *file, loff_t offset, int whence)
{
	(void)offset, (void)whence;
	return file->f_pos;
}
EXPORT_SYMBOL(noop_llseek);

loff_t no_llseek(struct file *file, loff_t offset, int whence)
{
	(void)file, (void)offset, (void)whence;
	return -ESPIPE;
}
EXPORT_SYMBOL(no_llseek);

loff_t fixed_size_llseek(struct file *file, loff_t offset, int whence, loff_t size)
{
	loff_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? file->f_pos : whence == SEEK_END ? size : -1;
	if (base < 0 || base + offset < 0 || base + offset > size)
		return -EINVAL;
	return file->f_pos = base + offset;
}
EXPORT_SYMBOL(fixed_size_llseek);

loff_t default_llseek(struct file *file, loff_t offset, int whence)
{
	return fixed_size_llseek(file, offset, whence, MAX_LFS_FILESIZE);
}
EXPORT_SYMBOL(default_llseek);
__LX_EXPORT_AS(default_llseek, "generic_file_llseek", "");

int nonseekable_open(struct inode *inode, struct file *filp)
{
	(void)inode;
	filp->f_mode &= ~(fmode_t)(FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE);
	return 0;
}
EXPORT_SYMBOL(nonseekable_open);
__LX_EXPORT_AS(nonseekable_open, "stream_open", "");

ssize_t simple_read_from_buffer(void __user *to, size_t count, loff_t *ppos, const void *from, size_t available)
{
	loff_t pos = *ppos;
	if (pos < 0)
		return -EINVAL;
	if ((size_t)pos >= available || !count)
		return 0;
	if (count > available - (size_t)pos)
		count = available - (size_t)pos;
	size_t left = copy_to_user(to, (const char *)from + pos, count);
	if (left == count)
		return -EFAULT;
	*ppos = pos + (loff_t)(count - left);
	return (ssize_t)(count - left);
}
EXPORT_SYMBOL(simple_read_from_buffer);

ssize_t simple_write_to_buffer(void *to, size_t available, loff_t *ppos, const void __user *from, size_t count)
{
	loff_t pos = *ppos;
	if (pos < 0)
		return -EINVAL;
	if ((size_t)pos >= available || !count)
		return 0;
	if (count > available - (size_t)pos)
		count = available - (size_t)pos;
	size_t left = copy_from_user((char *)to + pos, from, count);
	if (left == count)
		return -EFAULT;
	*ppos = pos + (loff_t)(count - left);
	return (ssize_t)(count - left);
}
EXPORT_SYMBOL(simple_write_to_buffer);

/* ---- /dev nodes (the work of Linux's devtmpfs) ---- */

static long node_make(const char *name, unsigned major, unsigned minor, umode_t mode)
{
	char path[LX_PATH_MAX];
	snprintf(path, sizeof(path), "/dev/%s", name);
	long e = fs_mknod(path, LX_S_IFCHR | (mode ? mode & 07777 : 0600), major, minor);
	if (e == -LX_EEXIST) {
		struct lx_inode *ip;
		if (path_walk(fs_root, path, false, &ip) == 0 && LX_S_ISCHR(ip->mode)) {
			ip->rdev = LX_MKDEV(major, minor); /* a node left behind: it names this device now */
			return 0;
		}
	}
	if (e)
		pr_err("lx: cannot create %s: error %ld\n", path, -e);
	return e;
}

static void node_remove(const char *name, unsigned major, unsigned minor)
{
	char path[LX_PATH_MAX], last[LX_NAME_MAX + 1];
	struct lx_inode *dir, *ip;
	bool slash;
	snprintf(path, sizeof(path), "/dev/%s", name);
	if (path_parent(NULL, LX_AT_FDCWD, path, &dir, last, &slash))
		return;
	ip = dir_lookup(dir, last, strlen(last));
	if (ip && LX_S_ISCHR(ip->mode) && ip->rdev == LX_MKDEV(major, minor))
		dir_unlink(dir, last, strlen(last));
}

/* ---- classes and devices ---- */

struct lx_class {
	struct class cls;
	struct list_head node;
	struct lx_module *owner;
};

struct class *(class_create)(const char *name)
{
	struct lx_class *c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return ERR_PTR(-ENOMEM);
	strscpy(c->cls.__lx_name, name ? name : "", sizeof(c->cls.__lx_name));
	c->cls.name = c->cls.__lx_name;
	INIT_LIST_HEAD(&c->cls.__lx_devices);
	c->owner = kapi_caller();
	list_add_tail(&c->node, &classes);
	return &c->cls;
}
EXPORT_SYMBOL(class_create);
/* Linux before 6.4 named it __class_create(owner, name, key). */
static struct class *class_create_old(struct module *owner, const char *name, void *key)
{
	(void)owner, (void)key;
	return (class_create)(name);
}
__LX_EXPORT_AS(class_create_old, "__class_create", "");

static void device_free(struct device *dev)
{
	if (MAJOR(dev->devt))
		node_remove(dev->__lx_name, MAJOR(dev->devt), MINOR(dev->devt));
	list_del(&dev->__lx_node);
	kfree(dev);
}

void class_destroy(const struct class *cls)
{
	if (IS_ERR_OR_NULL(cls))
		return;
	struct lx_class *c = container_of(cls, struct lx_class, cls);
	while (!list_empty(&c->cls.__lx_devices))
		device_free(list_first_entry(&c->cls.__lx_devices, struct device, __lx_node));
	list_del(&c->node);
	kfree(c);
}
EXPORT_SYMBOL(class_destroy);

struct device *device_create(const struct class *cls, struct device *parent, dev_t devt, void *drvdata,
			     const char *fmt, ...)
{
	if (IS_ERR_OR_NULL(cls))
		return ERR_PTR(-EINVAL);
	struct device *dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return ERR_PTR(-ENOMEM);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(dev->__lx_name, sizeof(dev->__lx_name), fmt, ap);
	va_end(ap);
	dev->parent = parent;
	dev->class = (struct class *)cls;
	dev->devt = devt;
	dev->driver_data = drvdata;
	dev->kobj.name = dev->__lx_name;
	if (MAJOR(devt) > LX_NUM_MAX || MINOR(devt) > LX_NUM_MAX) {
		pr_err("%s: device numbers %u:%u: lx takes up to 255:255\n", dev->__lx_name, MAJOR(devt), MINOR(devt));
		kfree(dev);
		return ERR_PTR(-EINVAL);
	}
	if (MAJOR(devt)) {
		long e = node_make(dev->__lx_name, MAJOR(devt), MINOR(devt), 0600);
		if (e) {
			kfree(dev);
			return ERR_PTR(e);
		}
	}
	list_add_tail(&dev->__lx_node, &dev->class->__lx_devices);
	return dev;
}
EXPORT_SYMBOL(device_create);

void device_destroy(const struct class *cls, dev_t devt)
{
	if (IS_ERR_OR_NULL(cls))
		return;
	struct device *dev;
	list_for_each_entry(dev, &cls->__lx_devices, __lx_node)
		if (dev->devt == devt) {
			device_free(dev);
			return;
		}
}
EXPORT_SYMBOL(device_destroy);

/* ---- misc devices: major 10 ---- */

int misc_register(struct miscdevice *misc)
{
	struct lx_module *owner = kapi_caller();
	struct region *r = NULL;
	if (misc->minor == MISC_DYNAMIC_MINOR) {
		for (int m = 254; m >= 64 && IS_ERR_OR_NULL(r); m--) {
			if (region_find(MISC_MAJOR, (unsigned)m) || fs_chrdev_find(LX_MKDEV(MISC_MAJOR, m)))
				continue;
			r = region_add(MISC_MAJOR, (unsigned)m, 1, misc->name, misc->fops, owner);
		}
		if (IS_ERR_OR_NULL(r))
			return -EBUSY;
		misc->minor = (int)r->lx.minor_first;
	} else {
		r = region_add(MISC_MAJOR, (unsigned)misc->minor, 1, misc->name, misc->fops, owner);
		if (IS_ERR(r))
			return (int)PTR_ERR(r);
	}
	r->misc = misc;
	const char *node = misc->nodename ? misc->nodename : misc->name;
	struct device *dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	long e = dev ? node_make(node, MISC_MAJOR, (unsigned)misc->minor, misc->mode) : -ENOMEM;
	if (e) {
		kfree(dev);
		region_del(r);
		return (int)e;
	}
	strscpy(dev->__lx_name, node, sizeof(dev->__lx_name));
	dev->devt = MKDEV(MISC_MAJOR, misc->minor);
	INIT_LIST_HEAD(&dev->__lx_node);
	misc->this_device = dev;
	misc->__lx = r;
	return 0;
}
EXPORT_SYMBOL(misc_register);

void misc_deregister(struct miscdevice *misc)
{
	struct region *r = misc->__lx;
	if (!r)
		return;
	if (misc->this_device) {
		node_remove(misc->this_device->__lx_name, MISC_MAJOR, (unsigned)misc->minor);
		kfree(misc->this_device);
		misc->this_device = NULL;
	}
	region_del(r);
	misc->__lx = NULL;
}
EXPORT_SYMBOL(misc_deregister);

/* ---- what a module left behind ---- */

void chrdev_module_gone(struct lx_module *m)
{
	const char *name = module_name_of(m);
	struct region *r, *rn;
	struct cdev *c, *cn;
	list_for_each_entry_safe(c, cn, &cdevs, list) {
		struct region *cr = c->__lx;
		if ((cr && cr->owner == m) || module_of_addr((uint64_t)c->ops) == m) {
			pr_warn("%s: left cdev %u:%u added; removed\n", name, MAJOR(c->dev), MINOR(c->dev));
			list_del_init(&c->list);
			if (cr)
				region_del(cr);
		}
	}
	list_for_each_entry_safe(r, rn, &regions, node) {
		if (r->owner != m)
			continue;
		pr_warn("%s: left char device %u (%s) registered; removed\n", name, r->lx.major, r->name);
		if (r->misc && r->misc->this_device) {
			node_remove(r->misc->this_device->__lx_name, MISC_MAJOR, r->lx.minor_first);
			kfree(r->misc->this_device);
		}
		region_del(r);
	}
	struct lx_class *k, *kn;
	list_for_each_entry_safe(k, kn, &classes, node)
		if (k->owner == m) {
			pr_warn("%s: left class %s; destroyed\n", name, k->cls.name);
			class_destroy(&k->cls);
		}
}
