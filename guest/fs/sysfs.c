/* sysfs: the /sys tree of directories and attribute files that the module API's kobjects make (fs/sysfs.h). */
#include "fs/sysfs.h"
#include "stdlib.h"
#include "string.h"

bool sysfs_linking;
static struct lx_inode *root, *kernel_dir;

static bool good_name(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	return n && n <= LX_NAME_MAX && !strchr(name, '/') && strcmp(name, ".") && strcmp(name, "..");
}

static long link_new(struct lx_inode *dir, const char *name, struct lx_inode *ip)
{
	sysfs_linking = true;
	long err = dir_link(dir, name, strlen(name), ip);
	sysfs_linking = false;
	return err;
}

struct lx_inode *sysfs_root(void)
{
	if (!root) {
		root = inode_new(LX_S_IFDIR | 0755, 0, NULL);
		if (!root)
			return NULL;
		root->nlink = 2;
		root->dev = LX_DEV_SYS;
		root->dir.parent = fs_root;
		inode_hold(root); /* for good */
		long err;
		kernel_dir = sysfs_mkdir(root, "kernel", &err);
	}
	return root;
}

struct lx_inode *sysfs_kernel_dir(void)
{
	sysfs_root();
	return kernel_dir;
}

struct lx_inode *sysfs_mkdir(struct lx_inode *dir, const char *name, long *err)
{
	if (!dir)
		dir = sysfs_root();
	if (!dir || !good_name(name)) {
		*err = dir ? -LX_EINVAL : -LX_ENOMEM;
		return NULL;
	}
	struct lx_inode *ip = inode_new(LX_S_IFDIR | 0755, 0, NULL);
	if (!ip) {
		*err = -LX_ENOMEM;
		return NULL;
	}
	if ((*err = link_new(dir, name, ip))) {
		inode_maybe_free(ip);
		return NULL;
	}
	inode_hold(ip);
	return ip;
}

long sysfs_add_file(struct lx_inode *dir, const char *name, uint32_t mode, const struct lx_file_ops *ops,
		    void *priv)
{
	if (!dir || !good_name(name) || !ops)
		return -LX_EINVAL;
	struct lx_inode *ip = inode_new(LX_S_IFREG | (mode & 0666), 0, NULL); /* never executable */
	if (!ip)
		return -LX_ENOMEM;
	ip->sysfs_ops = ops;
	ip->sysfs_priv = priv;
	ip->size = 4096; /* what Linux's sysfs shows */
	long err = link_new(dir, name, ip);
	if (err)
		inode_maybe_free(ip);
	return err;
}

static void empty_dir(struct lx_inode *dir, int depth)
{
	while (dir->dir.first) {
		struct lx_dirent *d = dir->dir.first;
		if (LX_S_ISDIR(d->inode->mode) && depth < 64)
			empty_dir(d->inode, depth + 1);
		if (LX_S_ISDIR(d->inode->mode) && d->inode->dir.first)
			d->inode->dir.first = d->inode->dir.last = NULL; /* too deep: its entries leak */
		dir_unlink(dir, d->name, d->name_len);
	}
}

void sysfs_remove(struct lx_inode *dir, const char *name)
{
	if (!dir || !name)
		return;
	struct lx_inode *ip = dir_lookup(dir, name, strlen(name));
	if (!ip)
		return;
	if (LX_S_ISDIR(ip->mode))
		empty_dir(ip, 0);
	dir_unlink(dir, name, strlen(name));
}
