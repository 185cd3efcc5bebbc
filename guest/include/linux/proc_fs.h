/* linux/proc_fs.h - files in /proc served by a module: proc_create with struct proc_ops (docs/modules.md). */
#ifndef _LINUX_PROC_FS_H
#define _LINUX_PROC_FS_H
#include <linux/types.h>
#include <linux/fs.h>
#include <linux/uidgid.h>

struct proc_dir_entry;                 /* lx's: opaque to modules */
struct seq_file;
struct poll_table_struct;
struct vm_area_struct;

#define PROC_ENTRY_PERMANENT 1U

/* Linux 5.6's file operations of a /proc file. lx keeps the file position
 * itself: .proc_lseek is accepted and not called (lseek works on every
 * file); .proc_mmap and .proc_get_unmapped_area are not called. */
struct proc_ops {
	unsigned int proc_flags;
	int (*proc_open)(struct inode *, struct file *);
	ssize_t (*proc_read)(struct file *, char __user *, size_t, loff_t *);
	ssize_t (*proc_write)(struct file *, const char __user *, size_t, loff_t *);
	loff_t (*proc_lseek)(struct file *, loff_t, int);
	int (*proc_release)(struct inode *, struct file *);
	__poll_t (*proc_poll)(struct file *, struct poll_table_struct *);
	long (*proc_ioctl)(struct file *, unsigned int, unsigned long);
	long (*proc_compat_ioctl)(struct file *, unsigned int, unsigned long);
	int (*proc_mmap)(struct file *, struct vm_area_struct *);
	unsigned long (*proc_get_unmapped_area)(struct file *, unsigned long, unsigned long, unsigned long,
						unsigned long);
};

/* /proc/NAME, or NAME in the directory parent (proc_mkdir); NAME has no '/'.
 * mode 0 means 0444. The entry, or NULL (a name taken, a bad parent). */
struct proc_dir_entry *proc_create(const char *name, umode_t mode, struct proc_dir_entry *parent,
				   const struct proc_ops *proc_ops);
struct proc_dir_entry *proc_create_data(const char *name, umode_t mode, struct proc_dir_entry *parent,
					const struct proc_ops *proc_ops, void *data);
/* A read-only file whose text show writes through seq_file (single_open). */
struct proc_dir_entry *proc_create_single_data(const char *name, umode_t mode, struct proc_dir_entry *parent,
					       int (*show)(struct seq_file *, void *), void *data);
#define proc_create_single(name, mode, parent, show) proc_create_single_data(name, mode, parent, show, NULL)
/* A directory /proc/NAME (or in parent), mode 0 meaning 0555; proc_create
 * with it as parent puts files in it. NULL when the name is taken. */
struct proc_dir_entry *proc_mkdir(const char *name, struct proc_dir_entry *parent);
struct proc_dir_entry *proc_mkdir_mode(const char *name, umode_t mode, struct proc_dir_entry *parent);
struct proc_dir_entry *proc_mkdir_data(const char *name, umode_t mode, struct proc_dir_entry *parent, void *data);
/* Removal: of a directory removes what is in it too (remove_proc_entry as well). */
void proc_remove(struct proc_dir_entry *de);
int remove_proc_subtree(const char *name, struct proc_dir_entry *parent);
void remove_proc_entry(const char *name, struct proc_dir_entry *parent);
void proc_set_size(struct proc_dir_entry *de, loff_t size);
void proc_set_user(struct proc_dir_entry *de, kuid_t uid, kgid_t gid);
/* The data given to proc_create_data (inode->i_private of an open). */
static inline void *pde_data(const struct inode *inode) { return inode->i_private; }
#define PDE_DATA(inode) pde_data(inode)

#endif
