/* File system calls on descriptors: read, write and their variants, lseek, ioctl, fcntl, dup, close. */
#include "fs/fs.h"
#include "fs/sys_fs.h"
#include "string.h"

#define IO_MAX 0x7ffff000ul /* Linux's limit for one read or write */
#define IOV_MAX 1024

/* A descriptor argument: an int for Linux (the register's upper half is
 * ignored), so *fd is cut to 32 bits; its file or NULL. */
static struct lx_file *fd_arg(struct lx_proc *p, uint64_t *fd)
{
	*fd = (uint32_t)*fd;
	return fd_get(p, (int)*fd);
}

/* The open file at fd for reading or writing, with the op it needs. */
static long io_file(struct lx_proc *p, uint64_t fd, bool write, struct lx_file **out)
{
	struct lx_file *f = fd_arg(p, &fd);
	if (!f || (f->flags & LX_O_PATH))
		return -LX_EBADF;
	unsigned acc = f->flags & LX_O_ACCMODE;
	if (write ? acc == LX_O_RDONLY : acc == LX_O_WRONLY)
		return -LX_EBADF;
	if (!f->ops || !(write ? f->ops->write : f->ops->read))
		return -LX_EINVAL;
	*out = f;
	return 0;
}

static long io(struct lx_proc *p, struct lx_file *f, bool write, uint64_t buf, size_t n, uint64_t *pos)
{
	if (n > IO_MAX)
		n = IO_MAX;
	return write ? f->ops->write(p, f, buf, n, pos) : f->ops->read(p, f, buf, n, pos);
}

static long sys_read(struct lx_proc *p, uint64_t fd, uint64_t buf, uint64_t n, uint64_t a3, uint64_t a4,
		     uint64_t a5)
{
	(void)a3, (void)a4, (void)a5;
	struct lx_file *f;
	long err = io_file(p, fd, false, &f);
	return err ? err : io(p, f, false, buf, n, &f->pos);
}

static long sys_write(struct lx_proc *p, uint64_t fd, uint64_t buf, uint64_t n, uint64_t a3, uint64_t a4,
		      uint64_t a5)
{
	(void)a3, (void)a4, (void)a5;
	struct lx_file *f;
	long err = io_file(p, fd, true, &f);
	return err ? err : io(p, f, true, buf, n, &f->pos);
}

static long positioned(struct lx_proc *p, uint64_t fd, bool write, uint64_t buf, uint64_t n, uint64_t off)
{
	struct lx_file *f;
	long err = io_file(p, fd, write, &f);
	if (err)
		return err;
	if (!f->ops->seekable)
		return -LX_ESPIPE;
	if ((int64_t)off < 0)
		return -LX_EINVAL;
	uint64_t pos = off;
	return io(p, f, write, buf, n, &pos);
}

static long sys_pread64(struct lx_proc *p, uint64_t fd, uint64_t buf, uint64_t n, uint64_t off, uint64_t a4,
			uint64_t a5)
{
	(void)a4, (void)a5;
	return positioned(p, fd, false, buf, n, off);
}

static long sys_pwrite64(struct lx_proc *p, uint64_t fd, uint64_t buf, uint64_t n, uint64_t off, uint64_t a4,
			 uint64_t a5)
{
	(void)a4, (void)a5;
	return positioned(p, fd, true, buf, n, off);
}

static long vectored(struct lx_proc *p, uint64_t fd, bool write, uint64_t iov, uint64_t iovcnt)
{
	struct lx_file *f;
	long err = io_file(p, fd, write, &f);
	if (err)
		return err;
	if (iovcnt > IOV_MAX)
		return -LX_EINVAL;
	size_t total = 0;
	for (uint64_t i = 0; i < iovcnt; i++) {
		uint64_t v[2]; /* base, length */
		if (lx_copy_from_user(p, v, iov + 16 * i, sizeof(v)))
			return total ? (long)total : -LX_EFAULT;
		if ((int64_t)v[1] < 0)
			return total ? (long)total : -LX_EINVAL;
		if (!v[1])
			continue;
		if (v[1] > IO_MAX - total)
			v[1] = IO_MAX - total;
		long r = io(p, f, write, v[0], v[1], &f->pos);
		if (r == LX_BLOCK && total) {
			/* what came so far is the answer: not asleep after all */
			p->state = LX_RUNNABLE;
			p->wait_channel = NULL;
			break;
		}
		if (r < 0)
			return total ? (long)total : r;
		total += (size_t)r;
		if ((uint64_t)r < v[1] || total == IO_MAX)
			break;
	}
	return (long)total;
}

static long sys_readv(struct lx_proc *p, uint64_t fd, uint64_t iov, uint64_t cnt, uint64_t a3, uint64_t a4,
		      uint64_t a5)
{
	(void)a3, (void)a4, (void)a5;
	return vectored(p, fd, false, iov, cnt);
}

static long sys_writev(struct lx_proc *p, uint64_t fd, uint64_t iov, uint64_t cnt, uint64_t a3, uint64_t a4,
		       uint64_t a5)
{
	(void)a3, (void)a4, (void)a5;
	return vectored(p, fd, true, iov, cnt);
}

static long sys_lseek(struct lx_proc *p, uint64_t fd, uint64_t off, uint64_t whence, uint64_t a3, uint64_t a4,
		      uint64_t a5)
{
	(void)a3, (void)a4, (void)a5;
	struct lx_file *f = fd_arg(p, &fd);
	if (!f || (f->flags & LX_O_PATH))
		return -LX_EBADF;
	if (!f->ops || !f->ops->seekable)
		return -LX_ESPIPE;
	int64_t base;
	switch (whence) {
	case 0: /* SEEK_SET */
		base = 0;
		break;
	case 1: /* SEEK_CUR */
		base = (int64_t)f->pos;
		break;
	case 2: /* SEEK_END */
		base = f->inode && LX_S_ISREG(f->inode->mode) ? (int64_t)f->inode->size : 0;
		break;
	default:
		return -LX_EINVAL;
	}
	int64_t pos;
	if (__builtin_add_overflow(base, (int64_t)off, &pos) || pos < 0)
		return -LX_EINVAL;
	f->pos = (uint64_t)pos;
	return pos;
}

enum { FIONBIO = 0x5421, FIONCLEX = 0x5450, FIOCLEX = 0x5451 };

static long sys_ioctl(struct lx_proc *p, uint64_t fd, uint64_t cmd, uint64_t arg, uint64_t a3, uint64_t a4,
		      uint64_t a5)
{
	(void)a3, (void)a4, (void)a5;
	struct lx_file *f = fd_arg(p, &fd);
	if (!f || (f->flags & LX_O_PATH))
		return -LX_EBADF;
	switch ((unsigned)cmd) {
	case FIOCLEX:
	case FIONCLEX:
		p->cloexec[fd] = (unsigned)cmd == FIOCLEX;
		return 0;
	case FIONBIO: {
		int32_t on;
		if (lx_copy_from_user(p, &on, arg, sizeof(on)))
			return -LX_EFAULT;
		f->flags = on ? f->flags | LX_O_NONBLOCK : f->flags & ~(unsigned)LX_O_NONBLOCK;
		return 0;
	}
	}
	if (!f->ops || !f->ops->ioctl)
		return -LX_ENOTTY;
	return f->ops->ioctl(p, f, (unsigned)cmd, arg);
}

static long sys_close(struct lx_proc *p, uint64_t fd, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
		      uint64_t a5)
{
	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	struct lx_file *f = fd_arg(p, &fd);
	if (!f)
		return -LX_EBADF;
	p->fds[fd] = NULL;
	p->cloexec[fd] = false;
	file_put(f);
	return 0;
}

static long sys_dup(struct lx_proc *p, uint64_t fd, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
		    uint64_t a5)
{
	(void)a1, (void)a2, (void)a3, (void)a4, (void)a5;
	struct lx_file *f = fd_arg(p, &fd);
	if (!f)
		return -LX_EBADF;
	long nfd = fd_install(p, f, 0, false);
	if (nfd >= 0)
		file_get(f);
	return nfd;
}

static long dup_to(struct lx_proc *p, uint64_t oldfd, uint64_t newfd, bool cloexec)
{
	struct lx_file *f = fd_arg(p, &oldfd);
	newfd = (uint32_t)newfd;
	if (!f || newfd >= LX_MAX_FDS)
		return -LX_EBADF;
	if (oldfd == newfd)
		return (long)newfd;
	file_get(f);
	if (p->fds[newfd])
		file_put(p->fds[newfd]);
	p->fds[newfd] = f;
	p->cloexec[newfd] = cloexec;
	return (long)newfd;
}

static long sys_dup2(struct lx_proc *p, uint64_t oldfd, uint64_t newfd, uint64_t a2, uint64_t a3, uint64_t a4,
		     uint64_t a5)
{
	(void)a2, (void)a3, (void)a4, (void)a5;
	return dup_to(p, oldfd, newfd, false);
}

static long sys_dup3(struct lx_proc *p, uint64_t oldfd, uint64_t newfd, uint64_t flags, uint64_t a3, uint64_t a4,
		     uint64_t a5)
{
	(void)a3, (void)a4, (void)a5;
	if (flags & ~(uint64_t)LX_O_CLOEXEC)
		return -LX_EINVAL;
	if (oldfd == newfd)
		return -LX_EINVAL;
	return dup_to(p, oldfd, newfd, flags & LX_O_CLOEXEC);
}

enum {
	F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, F_GETLK = 5, F_SETLK = 6, F_SETLKW = 7,
	F_DUPFD_CLOEXEC = 1030, FD_CLOEXEC = 1,
};

static long sys_fcntl(struct lx_proc *p, uint64_t fd, uint64_t cmd, uint64_t arg, uint64_t a3, uint64_t a4,
		      uint64_t a5)
{
	(void)a3, (void)a4, (void)a5;
	struct lx_file *f = fd_arg(p, &fd);
	if (!f)
		return -LX_EBADF;
	switch ((unsigned)cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC: {
		if (arg >= LX_MAX_FDS)
			return -LX_EINVAL;
		long nfd = fd_install(p, f, (int)arg, (unsigned)cmd == F_DUPFD_CLOEXEC);
		if (nfd >= 0)
			file_get(f);
		return nfd;
	}
	case F_GETFD:
		return p->cloexec[fd] ? FD_CLOEXEC : 0;
	case F_SETFD:
		p->cloexec[fd] = arg & FD_CLOEXEC;
		return 0;
	case F_GETFL:
		return f->flags;
	case F_SETFL: {
		const unsigned settable = LX_O_APPEND | LX_O_NONBLOCK;
		f->flags = (f->flags & ~settable) | ((unsigned)arg & settable);
		return 0;
	}
	case F_GETLK: {
		/* no locks are ever held: l_type = F_UNLCK */
		int16_t unlocked = 2;
		return lx_copy_to_user(p, arg, &unlocked, sizeof(unlocked));
	}
	case F_SETLK:
	case F_SETLKW:
		return 0;
	default:
		return -LX_EINVAL;
	}
}

void fs_register_syscalls(void)
{
	lx_syscall_register(0, "read", sys_read);
	lx_syscall_register(1, "write", sys_write);
	lx_syscall_register(3, "close", sys_close);
	lx_syscall_register(8, "lseek", sys_lseek);
	lx_syscall_register(16, "ioctl", sys_ioctl);
	lx_syscall_register(17, "pread64", sys_pread64);
	lx_syscall_register(18, "pwrite64", sys_pwrite64);
	lx_syscall_register(19, "readv", sys_readv);
	lx_syscall_register(20, "writev", sys_writev);
	lx_syscall_register(32, "dup", sys_dup);
	lx_syscall_register(33, "dup2", sys_dup2);
	lx_syscall_register(72, "fcntl", sys_fcntl);
	lx_syscall_register(292, "dup3", sys_dup3);
	sys_fs_path_register();
}
