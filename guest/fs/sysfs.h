/* sysfs: the tree at /sys whose directories and files the module API makes (kobjects, attributes; kapi/sysfs.c). */
#ifndef LX_FS_SYSFS_H
#define LX_FS_SYSFS_H

#include "fs/fs.h"

/*
 * /sys is a RAM tree of its own (st_dev LX_DEV_SYS) whose names only this
 * file makes: processes cannot create, remove or rename anything in it.
 * Directories are ordinary RAM directories; a file is a regular inode whose
 * opens go to the lx_file_ops given (ip->sysfs_ops, ip->sysfs_priv).
 */

/* The root of the tree (made on the first call), and /sys/kernel. */
struct lx_inode *sysfs_root(void);
struct lx_inode *sysfs_kernel_dir(void);
/* A new directory NAME in dir (NULL: the root), held for the caller (inode_release
 * when done with it); or NULL with *err (-LX_EEXIST, -LX_ENOENT, -LX_ENOMEM, -LX_EINVAL). */
struct lx_inode *sysfs_mkdir(struct lx_inode *dir, const char *name, long *err);
/* A new file NAME in dir with permission bits mode: 0 or -errno as above. */
long sysfs_add_file(struct lx_inode *dir, const char *name, uint32_t mode, const struct lx_file_ops *ops,
		    void *priv);
/* Removes NAME from dir (a directory with everything in it); nothing if not there. */
void sysfs_remove(struct lx_inode *dir, const char *name);

#endif
