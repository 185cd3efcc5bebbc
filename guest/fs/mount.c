/* Mounts: a small table of trees covering directories (tmpfs/ramfs, proc, devtmpfs), mount(2) and umount2(2). */
#include "fs/fs.h"
#include "fs/sysfs.h"
#include "stdlib.h"
#include "string.h"

static struct lx_mount mounts[LX_MOUNT_MAX];
static unsigned nmounts;
static uint32_t next_tmpfs_dev = LX_DEV_TMPFS_FIRST;

enum { MS_RDONLY = 1, MS_REMOUNT = 32, MS_BIND = 4096, MS_MOVE = 8192, MNT_FORCE = 1, MNT_DETACH = 2 };
enum { RAMFS_MAGIC = 0x858458f6, TMPFS_MAGIC = 0x01021994, PROC_MAGIC = 0x9fa0, SYSFS_MAGIC = 0x62656572 };

const struct lx_mount *mount_at(unsigned i)
{
	return i < nmounts ? &mounts[i] : NULL;
}

struct lx_inode *mount_follow(struct lx_inode *ip)
{
	/* the last mount on a point is the one seen; a root mounted on itself (devtmpfs on /dev) ends it */
	for (unsigned guard = 0; guard < LX_MOUNT_MAX; guard++) {
		struct lx_inode *next = NULL;
		for (unsigned i = nmounts; i-- > 1;)
			if (mounts[i].point == ip) {
				next = mounts[i].root;
				break;
			}
		if (!next || next == ip)
			return next ? next : ip;
		ip = next;
	}
	return ip;
}

struct lx_inode *mount_point_of(struct lx_inode *root)
{
	for (unsigned i = nmounts; i-- > 1;)
		if (mounts[i].root == root)
			return mounts[i].point;
	return NULL;
}

bool mount_is_point(const struct lx_inode *ip)
{
	for (unsigned i = 1; i < nmounts; i++)
		if (mounts[i].point == ip && mounts[i].root != ip)
			return true;
	return false;
}

const struct lx_mount *mount_of_dev(uint32_t dev)
{
	for (unsigned i = nmounts; i-- > 0;)
		if (mounts[i].dev == dev)
			return &mounts[i];
	return &mounts[0];
}

static long add(struct lx_inode *point, struct lx_inode *root, const char *source, const char *type,
		const char *path, unsigned long flags, uint32_t dev, uint32_t magic)
{
	if (nmounts == LX_MOUNT_MAX)
		return -LX_ENOMEM;
	struct lx_mount *m = &mounts[nmounts++];
	memset(m, 0, sizeof(*m));
	m->point = point;
	m->root = root;
	strlcpy(m->source, source && *source ? source : "none", sizeof(m->source));
	strlcpy(m->type, type, sizeof(m->type));
	strlcpy(m->path, path, sizeof(m->path));
	m->flags = flags;
	m->dev = dev;
	m->magic = magic;
	if (point)
		inode_hold(point); /* the covered directory stays while covered */
	if (root)
		inode_hold(root);
	return 0;
}

long mount_init(void)
{
	if (nmounts)
		return 0;
	long err = add(NULL, fs_root, "none", "ramfs", "/", 0, LX_DEV_ROOT, RAMFS_MAGIC);
	if (err)
		return err;
	/* /proc works from the start (an init script's `mount -t proc proc /proc` changes nothing) */
	struct lx_inode *proc;
	if (path_walk(fs_root, "/proc", true, &proc) == -LX_ENOENT) {
		proc = inode_new(LX_S_IFDIR | 0555, 0, NULL);
		if (!proc)
			return -LX_ENOMEM;
		if ((err = dir_link(fs_root, "proc", 4, proc))) {
			inode_maybe_free(proc);
			return err;
		}
	}
	if (LX_S_ISDIR(proc->mode)) { /* an archive with a file /proc: no procfs */
		struct lx_inode *root = procfs_root();
		root->dir.parent = proc->dir.parent;
		if ((err = add(proc, root, "proc", "proc", "/proc", 0, LX_DEV_PROC, PROC_MAGIC)))
			return err;
	}
	/* and /sys, the module API's kobjects (fs/sysfs.h) */
	struct lx_inode *sys;
	if (path_walk(fs_root, "/sys", true, &sys) == -LX_ENOENT) {
		sys = inode_new(LX_S_IFDIR | 0555, 0, NULL);
		if (!sys)
			return -LX_ENOMEM;
		if ((err = dir_link(fs_root, "sys", 3, sys))) {
			inode_maybe_free(sys);
			return err;
		}
	}
	if (!LX_S_ISDIR(sys->mode))
		return 0;
	struct lx_inode *sroot = sysfs_root();
	if (!sroot)
		return -LX_ENOMEM;
	sroot->dir.parent = sys->dir.parent;
	return add(sys, sroot, "sysfs", "sysfs", "/sys", 0, LX_DEV_SYS, SYSFS_MAGIC);
}

/* A fresh, empty RAM file system for tmpfs and ramfs. */
static struct lx_inode *new_tree(struct lx_inode *point, bool tmpfs)
{
	struct lx_inode *root = inode_new(LX_S_IFDIR | (tmpfs ? 01777 : 0755), 0, NULL);
	if (!root)
		return NULL;
	root->nlink = 2;
	root->dir.parent = point->dir.parent ? point->dir.parent : fs_root;
	root->dev = next_tmpfs_dev++;
	return root;
}

/* Removes every name of a RAM tree (inodes still open stay until closed). */
static void free_tree(struct lx_inode *dir, int depth)
{
	while (dir->dir.first) {
		struct lx_dirent *d = dir->dir.first;
		if (LX_S_ISDIR(d->inode->mode) && depth < 64)
			free_tree(d->inode, depth + 1);
		if (LX_S_ISDIR(d->inode->mode) && d->inode->dir.first) {
			/* too deep to empty: unlink it anyway (its entries leak) */
			d->inode->dir.first = d->inode->dir.last = NULL;
		}
		dir_unlink(dir, d->name, d->name_len);
	}
}

long fs_mount(struct lx_proc *p, const char *source, const char *target, const char *type, unsigned long flags)
{
	struct lx_inode *point;
	long err = path_lookup(p, LX_AT_FDCWD, target, true, &point);
	if (err)
		return err;
	if (!LX_S_ISDIR(point->mode))
		return -LX_ENOTDIR;
	char path[LX_PATH_MAX];
	if ((err = path_of_dir(point, path, sizeof(path))))
		return err;

	if (flags & MS_REMOUNT) {
		/* the flags change; nothing else does (nothing is read-only in lx yet) */
		for (unsigned i = nmounts; i-- > 0;)
			if (mounts[i].root == point) {
				mounts[i].flags = (flags & ~(unsigned long)MS_REMOUNT) | (mounts[i].flags & MS_BIND);
				return 0;
			}
		return -LX_EINVAL;
	}
	if (flags & MS_MOVE)
		return -LX_EINVAL;
	if (point == fs_root)
		return -LX_EBUSY; /* nothing is mounted over / */

	struct lx_inode *root;
	uint32_t dev, magic;
	if (flags & MS_BIND) {
		if (!source)
			return -LX_EFAULT;
		if ((err = path_lookup(p, LX_AT_FDCWD, source, true, &root)))
			return err;
		if (!LX_S_ISDIR(root->mode))
			return -LX_ENOTDIR;
		dev = root->dev;
		magic = mount_of_dev(dev)->magic;
		type = mount_of_dev(dev)->type;
	} else if (!type) {
		return -LX_EINVAL;
	} else if (!strcmp(type, "proc")) {
		root = procfs_root();
		if (point == root)
			return 0; /* already there: procfs is one tree */
		root->dir.parent = point->dir.parent;
		dev = LX_DEV_PROC;
		magic = PROC_MAGIC;
	} else if (!strcmp(type, "sysfs")) {
		root = sysfs_root();
		if (!root)
			return -LX_ENOMEM;
		if (point == root)
			return 0; /* already there: sysfs is one tree */
		root->dir.parent = point->dir.parent;
		dev = LX_DEV_SYS;
		magic = SYSFS_MAGIC;
	} else if (!strcmp(type, "devtmpfs")) {
		/* lx's /dev is the device file system */
		long e2 = path_walk(fs_root, "/dev", true, &root);
		if (e2)
			return e2;
		dev = root->dev;
		magic = TMPFS_MAGIC;
	} else if (!strcmp(type, "tmpfs") || !strcmp(type, "ramfs")) {
		root = new_tree(point, type[0] == 't');
		if (!root)
			return -LX_ENOMEM;
		dev = root->dev;
		magic = type[0] == 't' ? TMPFS_MAGIC : RAMFS_MAGIC;
	} else {
		return -LX_ENODEV; /* not a file system lx knows (/proc/filesystems) */
	}
	err = add(point, root, source, type, path, flags, dev, magic);
	if (err && (!strcmp(type, "tmpfs") || !strcmp(type, "ramfs")) && !(flags & MS_BIND)) {
		root->nlink = 0;
		inode_maybe_free(root);
	}
	return err;
}

long fs_umount(struct lx_proc *p, const char *target, unsigned flags)
{
	if (flags & ~(unsigned)(MNT_FORCE | MNT_DETACH | 4 /* MNT_EXPIRE */ | 8 /* UMOUNT_NOFOLLOW */))
		return -LX_EINVAL;
	struct lx_inode *ip;
	long err = path_lookup(p, LX_AT_FDCWD, target, !(flags & 8), &ip);
	if (err)
		return err;
	for (unsigned i = nmounts; i-- > 1;) {
		struct lx_mount *m = &mounts[i];
		if (m->root != ip)
			continue;
		struct lx_inode *point = m->point, *root = m->root;
		bool fresh = !(m->flags & MS_BIND) && (!strcmp(m->type, "tmpfs") || !strcmp(m->type, "ramfs"));
		for (unsigned j = i; j + 1 < nmounts; j++)
			mounts[j] = mounts[j + 1];
		nmounts--;
		if (fresh) {
			free_tree(root, 0);
			root->nlink = 0;
			root->dir.parent = NULL;
		}
		inode_release(root);
		inode_release(point);
		return 0;
	}
	return -LX_EINVAL; /* not a mount point */
}
