/* Open files and the per-process descriptor table: open, share on fork, close on exec and exit. */
#include "fs/fs.h"
#include "stdlib.h"
#include "string.h"

struct lx_file *file_new(struct lx_inode *inode, const struct lx_file_ops *ops, unsigned flags, void *priv)
{
	struct lx_file *f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->refs = 1;
	f->flags = flags & ~(unsigned)(LX_O_CREAT | LX_O_EXCL | LX_O_NOCTTY | LX_O_TRUNC | LX_O_CLOEXEC);
	f->inode = inode;
	f->ops = ops;
	f->priv = priv;
	if (inode)
		inode_hold(inode);
	return f;
}

void file_get(struct lx_file *f)
{
	f->refs++;
}

void file_put(struct lx_file *f)
{
	if (--f->refs > 0)
		return;
	if (f->ops && f->ops->release)
		f->ops->release(f);
	if (f->inode)
		inode_release(f->inode);
	free(f);
}

struct lx_file *fd_get(struct lx_proc *p, int fd)
{
	if (fd < 0 || fd >= LX_MAX_FDS)
		return NULL;
	return p->fds[fd];
}

long fd_install(struct lx_proc *p, struct lx_file *f, int min, bool cloexec)
{
	for (int fd = min < 0 ? 0 : min; fd < LX_MAX_FDS; fd++) {
		if (!p->fds[fd]) {
			p->fds[fd] = f;
			p->cloexec[fd] = cloexec;
			return fd;
		}
	}
	return -LX_EMFILE;
}

long file_open_inode(struct lx_proc *p, struct lx_inode *ip, unsigned flags, struct lx_file **out)
{
	const struct lx_file_ops *ops;
	if (flags & LX_O_PATH) {
		ops = NULL;
	} else if (LX_S_ISREG(ip->mode)) {
		ops = ip->sysfs_ops ? ip->sysfs_ops : fs_is_proc(ip) ? &procfs_file_ops : &fs_regular_ops;
	} else if (LX_S_ISDIR(ip->mode)) {
		ops = &fs_dir_ops;
	} else if (LX_S_ISCHR(ip->mode)) {
		const struct lx_chrdev *dev = fs_chrdev_find(ip->rdev);
		if (!dev)
			return -LX_ENXIO;
		ops = dev->ops;
	} else if (LX_S_ISLNK(ip->mode)) {
		return -LX_ELOOP; /* only O_PATH opens a link itself */
	} else {
		return -LX_ENXIO; /* fifos, sockets and block devices: nothing behind them */
	}
	struct lx_file *f = file_new(ip, ops, flags, NULL);
	if (!f)
		return -LX_ENOMEM;
	if (ops && ops->open) {
		long err = ops->open(p, f);
		if (err) {
			f->ops = NULL; /* not opened: no release */
			file_put(f);
			return err;
		}
	}
	*out = f;
	return 0;
}

unsigned file_poll(struct lx_file *f, const void **channel)
{
	*channel = NULL;
	if (f->ops && f->ops->poll)
		return f->ops->poll(f, channel);
	return LX_POLLIN | LX_POLLOUT;
}

/* ---- the interface of lx.h ---- */

long fs_open_console(struct lx_proc *p)
{
	struct lx_inode *ip;
	struct lx_file *f;
	long err = path_walk(fs_root, "/dev/console", true, &ip);
	if (!err)
		err = file_open_inode(p, ip, LX_O_RDWR, &f);
	if (err)
		return err;
	for (int fd = 0; fd < 3; fd++) {
		if (p->fds[fd])
			file_put(p->fds[fd]);
		if (fd)
			file_get(f);
		p->fds[fd] = f;
		p->cloexec[fd] = false;
	}
	if (p->cwd[0] != '/')
		memcpy(p->cwd, "/", 2);
	return 0;
}

void fs_fork(struct lx_proc *parent, struct lx_proc *child)
{
	for (int fd = 0; fd < LX_MAX_FDS; fd++) {
		child->fds[fd] = parent->fds[fd];
		child->cloexec[fd] = parent->cloexec[fd];
		if (child->fds[fd])
			file_get(child->fds[fd]);
	}
	memcpy(child->cwd, parent->cwd, sizeof(child->cwd));
	child->umask = parent->umask;
}

void fs_exec(struct lx_proc *p)
{
	for (int fd = 0; fd < LX_MAX_FDS; fd++) {
		if (p->fds[fd] && p->cloexec[fd]) {
			file_put(p->fds[fd]);
			p->fds[fd] = NULL;
		}
		p->cloexec[fd] = false;
	}
}

void fs_exit(struct lx_proc *p)
{
	for (int fd = 0; fd < LX_MAX_FDS; fd++) {
		if (p->fds[fd]) {
			file_put(p->fds[fd]);
			p->fds[fd] = NULL;
		}
		p->cloexec[fd] = false;
	}
}

/* The regular, executable file at path for execve, or -errno. */
static long exec_lookup(struct lx_proc *p, const char *path, struct lx_inode **ipp)
{
	long err = path_lookup(p, LX_AT_FDCWD, path, true, ipp);
	if (err)
		return err;
	if (!LX_S_ISREG((*ipp)->mode) || !((*ipp)->mode & 0111) || (*ipp)->sysfs_ops)
		return -LX_EACCES;
	return 0;
}

long fs_exec_file(struct lx_proc *p, const char *path, const uint8_t **data, size_t *size)
{
	struct lx_inode *ip;
	long err = exec_lookup(p, path, &ip);
	if (err)
		return err;
	static const uint8_t empty[1];
	*data = ip->reg.data ? ip->reg.data : empty;
	*size = (size_t)ip->size;
	return 0;
}

long fs_exec_image(struct lx_proc *p, const char *path, struct lx_file_image **img)
{
	struct lx_inode *ip;
	long err = exec_lookup(p, path, &ip);
	return err ? err : fs_image_of(ip, img);
}
