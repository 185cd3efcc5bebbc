/* linux/fs.h - files as a driver sees them: struct file, struct inode, file_operations, char device numbers. */
#ifndef _LINUX_FS_H
#define _LINUX_FS_H
#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/kdev_t.h>
#include <linux/stat.h>
#include <linux/fcntl.h>
#include <linux/err.h>
#include <linux/list.h>
#include <linux/wait.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/uidgid.h>

struct module;
struct cdev;
struct poll_table_struct;
struct vm_area_struct;
typedef unsigned int __poll_t;

struct qstr {
	const char *name;
	u32 len;
};

struct dentry {
	struct qstr d_name;
	struct inode *d_inode;
};

struct path {
	struct dentry *dentry;
};

/* What lx gives a driver for a device node: made for each open. */
struct inode {
	umode_t i_mode;
	dev_t i_rdev;
	unsigned long i_ino;
	loff_t i_size;
	kuid_t i_uid;
	kgid_t i_gid;
	struct cdev *i_cdev;
	void *i_private;
};

#define FMODE_READ 0x1
#define FMODE_WRITE 0x2
#define FMODE_LSEEK 0x4
#define FMODE_PREAD 0x8
#define FMODE_PWRITE 0x10

/* One open of a device node (shared by dup and fork, like lx's open file). */
struct file {
	struct path f_path;
	struct inode *f_inode;
	const struct file_operations *f_op;
	unsigned int f_flags;          /* O_* as opened (O_NONBLOCK may change by fcntl) */
	fmode_t f_mode;
	loff_t f_pos;
	void *private_data;            /* the driver's */
	struct dentry __lx_dentry;     /* f_path.dentry points here */
	void *__lx_file;               /* lx's open file */
};

struct file_operations {
	struct module *owner;          /* held while the file is open: rmmod says "in use" */
	loff_t (*llseek)(struct file *, loff_t, int);
	ssize_t (*read)(struct file *, char __user *, size_t, loff_t *);
	ssize_t (*write)(struct file *, const char __user *, size_t, loff_t *);
	__poll_t (*poll)(struct file *, struct poll_table_struct *);
	long (*unlocked_ioctl)(struct file *, unsigned int, unsigned long);
	long (*compat_ioctl)(struct file *, unsigned int, unsigned long);
	int (*mmap)(struct file *, struct vm_area_struct *);
	int (*open)(struct inode *, struct file *);
	int (*flush)(struct file *, void *id);
	int (*release)(struct inode *, struct file *);
	int (*fsync)(struct file *, loff_t, loff_t, int datasync);
};

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define MAX_LFS_FILESIZE ((loff_t)0x7fffffffffffffffLL)

static inline unsigned iminor(const struct inode *inode) { return MINOR(inode->i_rdev); }
static inline unsigned imajor(const struct inode *inode) { return MAJOR(inode->i_rdev); }
static inline struct inode *file_inode(const struct file *f) { return f->f_inode; }

/* Character devices: major 0 asks for a free one (from 254 down). */
#define CHRDEV_MAJOR_MAX 256
int __register_chrdev(unsigned int major, unsigned int baseminor, unsigned int count, const char *name,
		      const struct file_operations *fops);
void __unregister_chrdev(unsigned int major, unsigned int baseminor, unsigned int count, const char *name);
static inline int register_chrdev(unsigned int major, const char *name, const struct file_operations *fops)
{
	return __register_chrdev(major, 0, 256, name, fops);
}
static inline void unregister_chrdev(unsigned int major, const char *name) { __unregister_chrdev(major, 0, 256, name); }
int alloc_chrdev_region(dev_t *dev, unsigned baseminor, unsigned count, const char *name);
int register_chrdev_region(dev_t from, unsigned count, const char *name);
void unregister_chrdev_region(dev_t from, unsigned count);

loff_t noop_llseek(struct file *file, loff_t offset, int whence);
loff_t no_llseek(struct file *file, loff_t offset, int whence);
loff_t default_llseek(struct file *file, loff_t offset, int whence);
loff_t generic_file_llseek(struct file *file, loff_t offset, int whence);
loff_t fixed_size_llseek(struct file *file, loff_t offset, int whence, loff_t size);
int nonseekable_open(struct inode *inode, struct file *filp);
int stream_open(struct inode *inode, struct file *filp);
ssize_t simple_read_from_buffer(void __user *to, size_t count, loff_t *ppos, const void *from, size_t available);
ssize_t simple_write_to_buffer(void *to, size_t available, loff_t *ppos, const void __user *from, size_t count);

#endif
