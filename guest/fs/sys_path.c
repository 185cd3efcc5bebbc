/* File system calls on paths: open, stat, access, the cwd, mkdir, unlink, links, rename, getdents64. */
#include "fs/fs.h"
#include "fs/sys_fs.h"
#include "stdlib.h"
#include "string.h"

#define ARGS uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5
#define UNUSED6 (void)a0, (void)a1, (void)a2, (void)a3, (void)a4, (void)a5

/* A dirfd argument: an int (AT_FDCWD is -100). */
static int dirfd_arg(uint64_t v)
{
	return (int)(uint32_t)v;
}

static bool is_dot(const char *name)
{
	return !strcmp(name, ".") || !strcmp(name, "..");
}

/* ---- open ---- */

static long do_open(struct lx_proc *p, int dirfd, uint64_t upath, unsigned flags, unsigned mode)
{
	char path[LX_PATH_MAX];
	long err = path_from_user(p, upath, path, false);
	if (err)
		return err;
	unsigned acc = flags & LX_O_ACCMODE;
	if (flags & LX_O_PATH)
		flags &= LX_O_PATH | LX_O_DIRECTORY | LX_O_NOFOLLOW | LX_O_CLOEXEC;

	struct lx_inode *ip = NULL;
	if (flags & LX_O_CREAT) {
		struct lx_inode *dir;
		char name[LX_NAME_MAX + 1];
		bool slash;
		if ((err = path_parent(p, dirfd, path, &dir, name, &slash)))
			return err;
		if (is_dot(name) || slash) {
			if ((err = path_lookup(p, dirfd, path, true, &ip)))
				return err == -LX_ENOENT ? -LX_EISDIR : err;
		} else if ((ip = dir_lookup(dir, name, strlen(name)))) {
			if (flags & LX_O_EXCL)
				return -LX_EEXIST;
			if (LX_S_ISLNK(ip->mode)) {
				if (flags & LX_O_NOFOLLOW)
					return -LX_ELOOP;
				if ((err = path_walk(dir, name, true, &ip)))
					return err;
			}
		} else {
			if (!dir->nlink)
				return -LX_ENOENT;
			ip = inode_new(LX_S_IFREG | (mode & 07777 & ~(unsigned)p->umask), 0, NULL);
			if (!ip)
				return -LX_ENOMEM;
			if ((err = dir_link(dir, name, strlen(name), ip))) {
				inode_maybe_free(ip);
				return err;
			}
		}
	} else {
		if ((err = path_lookup(p, dirfd, path, !(flags & LX_O_NOFOLLOW), &ip)))
			return err;
		if (LX_S_ISLNK(ip->mode) && !(flags & LX_O_PATH))
			return -LX_ELOOP;
	}

	if ((flags & LX_O_DIRECTORY) && !LX_S_ISDIR(ip->mode))
		return -LX_ENOTDIR;
	if (LX_S_ISDIR(ip->mode) && !(flags & LX_O_PATH) && (acc != LX_O_RDONLY || (flags & LX_O_CREAT)))
		return -LX_EISDIR;
	if ((flags & LX_O_TRUNC) && LX_S_ISREG(ip->mode) && !ip->sysfs_ops && !(flags & LX_O_PATH) && acc != LX_O_RDONLY &&
	    (err = file_resize(ip, 0)))
		return err;

	struct lx_file *f;
	if ((err = file_open_inode(p, ip, flags, &f)))
		return err;
	long fd = fd_install(p, f, 0, flags & LX_O_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

/* A path from user space, looked up from dirfd (follow: the last symlink too). */
static long user_path_lookup(struct lx_proc *p, int dirfd, uint64_t upath, bool follow, struct lx_inode **ipp)
{
	char path[LX_PATH_MAX];
	long err = path_from_user(p, upath, path, false);
	return err ? err : path_lookup(p, dirfd, path, follow, ipp);
}

static long sys_open(struct lx_proc *p, ARGS)
{
	UNUSED6;
	return do_open(p, LX_AT_FDCWD, a0, (unsigned)a1, (unsigned)a2);
}

static long sys_openat(struct lx_proc *p, ARGS)
{
	UNUSED6;
	return do_open(p, dirfd_arg(a0), a1, (unsigned)a2, (unsigned)a3);
}

static long sys_creat(struct lx_proc *p, ARGS)
{
	UNUSED6;
	return do_open(p, LX_AT_FDCWD, a0, LX_O_CREAT | LX_O_WRONLY | LX_O_TRUNC, (unsigned)a1);
}

/* ---- stat ---- */

struct lx_stat {
	uint64_t st_dev, st_ino, st_nlink;
	uint32_t st_mode, st_uid, st_gid, pad0;
	uint64_t st_rdev;
	int64_t st_size, st_blksize, st_blocks;
	int64_t st_atime, st_atime_nsec, st_mtime, st_mtime_nsec, st_ctime, st_ctime_nsec;
	int64_t reserved[3];
};
_Static_assert(sizeof(struct lx_stat) == 144, "x86-64 struct stat");

#define ANON_DEV 12  /* st_dev of files outside the file systems, as Linux's pipefs (0:12) */

static long stat_out(struct lx_proc *p, uint64_t buf, struct lx_file *f, struct lx_inode *ip)
{
	struct lx_stat st;
	memset(&st, 0, sizeof(st));
	st.st_blksize = 4096;
	if (ip) {
		st.st_dev = ip->dev;
		st.st_ino = ip->ino;
		st.st_nlink = ip->nlink;
		st.st_mode = ip->mode;
		st.st_rdev = ip->rdev;
		st.st_size = (int64_t)ip->size;
		st.st_blocks = LX_S_ISREG(ip->mode) ? (int64_t)((ip->size + 511) / 512) : 0;
		st.st_atime = st.st_mtime = (int64_t)ip->mtime;
		st.st_ctime = (int64_t)ip->ctime;
	} else {
		st.st_dev = ANON_DEV;
		st.st_ino = ((uint64_t)(uintptr_t)f >> 4) & 0xffffff;
		st.st_nlink = 1;
		st.st_mode = f->ops ? f->ops->stat_mode : 0;
	}
	return lx_copy_to_user(p, buf, &st, sizeof(st));
}

static long do_stat(struct lx_proc *p, int dirfd, uint64_t upath, uint64_t buf, uint64_t flags)
{
	if (flags & ~(uint64_t)(LX_AT_SYMLINK_NOFOLLOW | LX_AT_EMPTY_PATH | 0x800 /* AT_NO_AUTOMOUNT */))
		return -LX_EINVAL;
	char path[LX_PATH_MAX];
	long err = path_from_user(p, upath, path, flags & LX_AT_EMPTY_PATH);
	if (err)
		return err;
	struct lx_inode *ip;
	if (!path[0]) {
		if (dirfd != LX_AT_FDCWD) {
			struct lx_file *f = fd_get(p, dirfd);
			if (!f)
				return -LX_EBADF;
			return stat_out(p, buf, f, f->inode);
		}
		err = path_start(p, dirfd, &ip);
	} else {
		err = path_lookup(p, dirfd, path, !(flags & LX_AT_SYMLINK_NOFOLLOW), &ip);
	}
	return err ? err : stat_out(p, buf, NULL, ip);
}

static long sys_stat(struct lx_proc *p, ARGS)
{
	UNUSED6;
	return do_stat(p, LX_AT_FDCWD, a0, a1, 0);
}

static long sys_lstat(struct lx_proc *p, ARGS)
{
	UNUSED6;
	return do_stat(p, LX_AT_FDCWD, a0, a1, LX_AT_SYMLINK_NOFOLLOW);
}

static long sys_newfstatat(struct lx_proc *p, ARGS)
{
	UNUSED6;
	return do_stat(p, dirfd_arg(a0), a1, a2, a3);
}

static long sys_fstat(struct lx_proc *p, ARGS)
{
	UNUSED6;
	struct lx_file *f = fd_get(p, dirfd_arg(a0));
	if (!f)
		return -LX_EBADF;
	return stat_out(p, a1, f, f->inode);
}

/* statfs: the mount's file system type; RAM file systems have no fixed
 * size (lx's free guest pages are shown as their size), procfs has none. */
static long statfs_out(struct lx_proc *p, uint64_t buf, struct lx_inode *ip)
{
	const struct lx_mount *m = mount_of_dev(ip ? ip->dev : LX_DEV_ROOT);
	uint64_t s[15];
	memset(s, 0, sizeof(s));
	s[0] = m->magic;   /* f_type */
	s[1] = 4096;       /* f_bsize */
	if (m->dev != LX_DEV_PROC)
		s[2] = s[3] = s[4] = lx_pages_free(); /* blocks, free, available */
	s[7] = m->dev;     /* f_fsid */
	s[8] = LX_NAME_MAX; /* f_namelen */
	s[9] = 4096;       /* f_frsize */
	s[10] = m->flags & 1 ? 1 : 0; /* f_flags: ST_RDONLY */
	return lx_copy_to_user(p, buf, s, 120);
}

static long sys_statfs(struct lx_proc *p, ARGS)
{
	UNUSED6;
	struct lx_inode *ip;
	long err = user_path_lookup(p, LX_AT_FDCWD, a0, true, &ip);
	return err ? err : statfs_out(p, a1, ip);
}

static long sys_fstatfs(struct lx_proc *p, ARGS)
{
	UNUSED6;
	struct lx_file *f = fd_get(p, dirfd_arg(a0));
	return f ? statfs_out(p, a1, f->inode) : -LX_EBADF;
}

/* ---- access ---- */

static long do_access(struct lx_proc *p, int dirfd, uint64_t upath, uint64_t mode)
{
	if (mode & ~(uint64_t)7)
		return -LX_EINVAL;
	char path[LX_PATH_MAX];
	struct lx_inode *ip;
	long err = path_from_user(p, upath, path, false);
	if (!err)
		err = path_lookup(p, dirfd, path, true, &ip);
	if (err)
		return err;
	/* every process is root: only execution needs a mode bit */
	if ((mode & 1) && !LX_S_ISDIR(ip->mode) && !(ip->mode & 0111))
		return -LX_EACCES;
	return 0;
}

static long sys_access(struct lx_proc *p, ARGS)
{
	UNUSED6;
	return do_access(p, LX_AT_FDCWD, a0, a1);
}

static long sys_faccessat(struct lx_proc *p, ARGS)
{
	UNUSED6;
	return do_access(p, dirfd_arg(a0), a1, a2);
}

/* ---- the working directory ---- */

static long sys_getcwd(struct lx_proc *p, ARGS)
{
	UNUSED6;
	const char *cwd = p->cwd[0] == '/' ? p->cwd : "/";
	size_t len = strlen(cwd) + 1;
	if (a1 < len)
		return -LX_ERANGE;
	if (lx_copy_to_user(p, a0, cwd, len))
		return -LX_EFAULT;
	return (long)len;
}

static long change_dir(struct lx_proc *p, struct lx_inode *ip)
{
	if (!LX_S_ISDIR(ip->mode))
		return -LX_ENOTDIR;
	char buf[LX_PATH_MAX];
	long err = path_of_dir(ip, buf, sizeof(buf));
	if (err)
		return err;
	memcpy(p->cwd, buf, strlen(buf) + 1);
	return 0;
}

static long sys_chdir(struct lx_proc *p, ARGS)
{
	UNUSED6;
	struct lx_inode *ip;
	long err = user_path_lookup(p, LX_AT_FDCWD, a0, true, &ip);
	return err ? err : change_dir(p, ip);
}

static long sys_fchdir(struct lx_proc *p, ARGS)
{
	UNUSED6;
	struct lx_file *f = fd_get(p, dirfd_arg(a0));
	if (!f)
		return -LX_EBADF;
	if (!f->inode)
		return -LX_ENOTDIR;
	return change_dir(p, f->inode);
}

/* ---- making and removing names ---- */

/* Copies the path in and finds its parent: the common start of the calls below. */
static long parent_of(struct lx_proc *p, int dirfd, uint64_t upath, char *path, struct lx_inode **dir, char *name,
		      bool *slash)
{
	long err = path_from_user(p, upath, path, false);
	return err ? err : path_parent(p, dirfd, path, dir, name, slash);
}

/* Links a new inode under a name that must not exist yet. */
static long make_node(struct lx_inode *dir, const char *name, uint32_t mode, uint32_t rdev, const char *target)
{
	if (is_dot(name) || dir_lookup(dir, name, strlen(name)))
		return -LX_EEXIST;
	if (!dir->nlink)
		return -LX_ENOENT;
	struct lx_inode *ip = inode_new(mode, rdev, target);
	if (!ip)
		return -LX_ENOMEM;
	long err = dir_link(dir, name, strlen(name), ip);
	if (err)
		inode_maybe_free(ip);
	return err;
}

static long do_mkdir(struct lx_proc *p, int dirfd, uint64_t upath, uint64_t mode)
{
	char path[LX_PATH_MAX], name[LX_NAME_MAX + 1];
	struct lx_inode *dir;
	bool slash;
	long err = parent_of(p, dirfd, upath, path, &dir, name, &slash);
	if (err)
		return err;
	return make_node(dir, name, LX_S_IFDIR | ((unsigned)mode & 07777 & ~(unsigned)p->umask), 0, NULL);
}

static long sys_mkdir(struct lx_proc *p, ARGS)
{
	UNUSED6;
	return do_mkdir(p, LX_AT_FDCWD, a0, a1);
}

static long sys_mkdirat(struct lx_proc *p, ARGS)
{
	UNUSED6;
	return do_mkdir(p, dirfd_arg(a0), a1, a2);
}

static long do_mknod(struct lx_proc *p, int dirfd, uint64_t upath, uint64_t mode, uint64_t dev)
{
	char path[LX_PATH_MAX], name[LX_NAME_MAX + 1];
	struct lx_inode *dir;
	bool slash;
	uint32_t type = (uint32_t)mode & LX_S_IFMT;
	if (type == 0)
		type = LX_S_IFREG;
	if (type != LX_S_IFREG && type != LX_S_IFCHR && type != LX_S_IFBLK && type != LX_S_IFIFO &&
	    type != LX_S_IFSOCK)
		return -LX_EINVAL;
	/* the kernel's encoding: major in bits 8-19, minor in 0-7 and 20-31 */
	unsigned major = (unsigned)(dev >> 8) & 0xfff, minor = (unsigned)(dev & 0xff) | (unsigned)((dev >> 12) & ~0xffull);
	if (major > 255 || minor > 255)
		return -LX_EINVAL;
	long err = parent_of(p, dirfd, upath, path, &dir, name, &slash);
	if (err)
		return err;
	uint32_t perm = (uint32_t)mode & 07777 & ~(uint32_t)p->umask;
	return make_node(dir, name, type | perm, LX_MKDEV(major, minor), NULL);
}

static long sys_mknod(struct lx_proc *p, ARGS)
{
	UNUSED6;
	return do_mknod(p, LX_AT_FDCWD, a0, a1, a2);
}

static long sys_mknodat(struct lx_proc *p, ARGS)
{
	UNUSED6;
	return do_mknod(p, dirfd_arg(a0), a1, a2, a3);
}

static long do_symlink(struct lx_proc *p, uint64_t utarget, int dirfd, uint64_t upath)
{
	char target[LX_PATH_MAX], path[LX_PATH_MAX], name[LX_NAME_MAX + 1];
	struct lx_inode *dir;
	bool slash;
	long err = path_from_user(p, utarget, target, false);
	if (!err)
		err = parent_of(p, dirfd, upath, path, &dir, name, &slash);
	return err ? err : make_node(dir, name, LX_S_IFLNK | 0777, 0, target);
}

static long sys_symlink(struct lx_proc *p, ARGS)
{
	UNUSED6;
	return do_symlink(p, a0, LX_AT_FDCWD, a1);
}

static long sys_symlinkat(struct lx_proc *p, ARGS)
{
	UNUSED6;
	return do_symlink(p, a0, dirfd_arg(a1), a2);
}

static long do_link(struct lx_proc *p, int olddirfd, uint64_t uold, int newdirfd, uint64_t unew, uint64_t flags)
{
	if (flags & ~(uint64_t)(LX_AT_SYMLINK_FOLLOW | LX_AT_EMPTY_PATH))
		return -LX_EINVAL;
	char old[LX_PATH_MAX], path[LX_PATH_MAX], name[LX_NAME_MAX + 1];
	struct lx_inode *ip, *dir;
	bool slash;
	long err = path_from_user(p, uold, old, false);
	if (!err)
		err = path_lookup(p, olddirfd, old, flags & LX_AT_SYMLINK_FOLLOW, &ip);
	if (!err)
		err = parent_of(p, newdirfd, unew, path, &dir, name, &slash);
	if (err)
		return err;
	if (LX_S_ISDIR(ip->mode))
		return -LX_EPERM;
	if (is_dot(name) || dir_lookup(dir, name, strlen(name)))
		return -LX_EEXIST;
	if (ip->dev != dir->dev)
		return -LX_EXDEV;
	err = dir_link(dir, name, strlen(name), ip);
	if (!err)
		ip->ctime = fs_now();
	return err;
}

static long sys_link(struct lx_proc *p, ARGS)
{
	UNUSED6;
	return do_link(p, LX_AT_FDCWD, a0, LX_AT_FDCWD, a1, 0);
}

static long sys_linkat(struct lx_proc *p, ARGS)
{
	UNUSED6;
	return do_link(p, dirfd_arg(a0), a1, dirfd_arg(a2), a3, a4);
}

static long do_rmdir(struct lx_proc *p, int dirfd, uint64_t upath)
{
	char path[LX_PATH_MAX], name[LX_NAME_MAX + 1];
	struct lx_inode *dir;
	bool slash;
	long err = parent_of(p, dirfd, upath, path, &dir, name, &slash);
	if (err)
		return err;
	if (!strcmp(name, ".")) {
		const char *s = path;
		while (*s == '/')
			s++;
		return *s ? -LX_EINVAL : -LX_EBUSY; /* "/" itself is busy */
	}
	if (!strcmp(name, ".."))
		return -LX_ENOTEMPTY;
	struct lx_inode *ip = dir_lookup(dir, name, strlen(name));
	if (!ip)
		return -LX_ENOENT;
	if (!LX_S_ISDIR(ip->mode))
		return -LX_ENOTDIR;
	if (fs_is_proc(dir) || fs_is_sys(dir))
		return -LX_EACCES;
	if (mount_is_point(ip) || mount_point_of(ip))
		return -LX_EBUSY;
	if (!dir_empty(ip))
		return -LX_ENOTEMPTY;
	dir_unlink(dir, name, strlen(name));
	return 0;
}

static long do_unlink(struct lx_proc *p, int dirfd, uint64_t upath)
{
	char path[LX_PATH_MAX], name[LX_NAME_MAX + 1];
	struct lx_inode *dir;
	bool slash;
	long err = parent_of(p, dirfd, upath, path, &dir, name, &slash);
	if (err)
		return err;
	if (is_dot(name))
		return -LX_EISDIR;
	struct lx_inode *ip = dir_lookup(dir, name, strlen(name));
	if (!ip)
		return -LX_ENOENT;
	if (LX_S_ISDIR(ip->mode))
		return -LX_EISDIR;
	if (slash)
		return -LX_ENOTDIR;
	if (fs_is_proc(dir) || fs_is_sys(dir))
		return -LX_EACCES;
	dir_unlink(dir, name, strlen(name));
	return 0;
}

static long sys_rmdir(struct lx_proc *p, ARGS)
{
	UNUSED6;
	return do_rmdir(p, LX_AT_FDCWD, a0);
}

static long sys_unlink(struct lx_proc *p, ARGS)
{
	UNUSED6;
	return do_unlink(p, LX_AT_FDCWD, a0);
}

static long sys_unlinkat(struct lx_proc *p, ARGS)
{
	UNUSED6;
	if (a2 & ~(uint64_t)LX_AT_REMOVEDIR)
		return -LX_EINVAL;
	return a2 & LX_AT_REMOVEDIR ? do_rmdir(p, dirfd_arg(a0), a1) : do_unlink(p, dirfd_arg(a0), a1);
}

/* Whether a is b or inside it (renaming a directory into itself). */
static bool is_within(struct lx_inode *a, struct lx_inode *b)
{
	for (struct lx_inode *d = a; d; d = d == fs_root ? NULL : d->dir.parent)
		if (d == b)
			return true;
	return false;
}

static long do_rename(struct lx_proc *p, int olddirfd, uint64_t uold, int newdirfd, uint64_t unew, uint64_t flags)
{
	enum { RENAME_NOREPLACE = 1 };
	if (flags & ~(uint64_t)RENAME_NOREPLACE)
		return -LX_EINVAL;
	char opath[LX_PATH_MAX], oname[LX_NAME_MAX + 1], npath[LX_PATH_MAX], nname[LX_NAME_MAX + 1];
	struct lx_inode *odir, *ndir;
	bool oslash, nslash;
	long err = parent_of(p, olddirfd, uold, opath, &odir, oname, &oslash);
	if (!err)
		err = parent_of(p, newdirfd, unew, npath, &ndir, nname, &nslash);
	if (err)
		return err;
	if (is_dot(oname) || is_dot(nname))
		return -LX_EBUSY;
	struct lx_inode *ip = dir_lookup(odir, oname, strlen(oname));
	if (!ip)
		return -LX_ENOENT;
	bool isdir = LX_S_ISDIR(ip->mode);
	if ((oslash || nslash) && !isdir)
		return -LX_ENOTDIR;
	if (fs_is_proc(odir) || fs_is_proc(ndir) || fs_is_sys(odir) || fs_is_sys(ndir))
		return -LX_EACCES;
	if (ip->dev != ndir->dev)
		return -LX_EXDEV;
	if (isdir && (mount_is_point(ip) || mount_point_of(ip)))
		return -LX_EBUSY;
	if (isdir && is_within(ndir, ip))
		return -LX_EINVAL;
	struct lx_inode *target = dir_lookup(ndir, nname, strlen(nname));
	if (target == ip)
		return 0;
	if (target) {
		if (flags & RENAME_NOREPLACE)
			return -LX_EEXIST;
		if (isdir && !LX_S_ISDIR(target->mode))
			return -LX_ENOTDIR;
		if (!isdir && LX_S_ISDIR(target->mode))
			return -LX_EISDIR;
		if (isdir && !dir_empty(target))
			return -LX_ENOTEMPTY;
	}
	if (!ndir->nlink)
		return -LX_ENOENT;
	/* Link under the new name first, so that nothing is lost if that fails. */
	inode_hold(ip);
	if (target)
		dir_unlink(ndir, nname, strlen(nname));
	err = dir_link(ndir, nname, strlen(nname), ip);
	if (!err) {
		/* the old name's removal must not cut the directory's new parent link */
		struct lx_inode *parent = isdir ? ip->dir.parent : NULL;
		uint32_t nlink = ip->nlink;
		dir_unlink(odir, oname, strlen(oname));
		if (isdir) {
			ip->dir.parent = parent;
			ip->nlink = nlink;
		}
	}
	inode_release(ip);
	return err;
}

static long sys_rename(struct lx_proc *p, ARGS)
{
	UNUSED6;
	return do_rename(p, LX_AT_FDCWD, a0, LX_AT_FDCWD, a1, 0);
}

static long sys_renameat(struct lx_proc *p, ARGS)
{
	UNUSED6;
	return do_rename(p, dirfd_arg(a0), a1, dirfd_arg(a2), a3, 0);
}

static long sys_renameat2(struct lx_proc *p, ARGS)
{
	UNUSED6;
	return do_rename(p, dirfd_arg(a0), a1, dirfd_arg(a2), a3, a4);
}

/* ---- reading links and directories ---- */

static long do_readlink(struct lx_proc *p, int dirfd, uint64_t upath, uint64_t buf, uint64_t size)
{
	if ((int32_t)size <= 0)
		return -LX_EINVAL;
	char path[LX_PATH_MAX];
	struct lx_inode *ip;
	long err = path_from_user(p, upath, path, false);
	if (!err)
		err = path_lookup(p, dirfd, path, false, &ip);
	if (err)
		return err;
	if (!LX_S_ISLNK(ip->mode))
		return -LX_EINVAL;
	size_t n = ip->size < (uint32_t)size ? (size_t)ip->size : (uint32_t)size;
	if (lx_copy_to_user(p, buf, ip->link.target, n))
		return -LX_EFAULT;
	return (long)n;
}

static long sys_readlink(struct lx_proc *p, ARGS)
{
	UNUSED6;
	return do_readlink(p, LX_AT_FDCWD, a0, a1, a2);
}

static long sys_readlinkat(struct lx_proc *p, ARGS)
{
	UNUSED6;
	return do_readlink(p, dirfd_arg(a0), a1, a2, a3);
}

static uint8_t dirent_type(uint32_t mode)
{
	switch (mode & LX_S_IFMT) {
	case LX_S_IFIFO: return 1;
	case LX_S_IFCHR: return 2;
	case LX_S_IFDIR: return 4;
	case LX_S_IFBLK: return 6;
	case LX_S_IFREG: return 8;
	case LX_S_IFLNK: return 10;
	case LX_S_IFSOCK: return 12;
	default: return 0;
	}
}

static long sys_getdents64(struct lx_proc *p, ARGS)
{
	UNUSED6;
	struct lx_file *f = fd_get(p, dirfd_arg(a0));
	if (!f || (f->flags & LX_O_PATH))
		return -LX_EBADF;
	if (!f->inode || !LX_S_ISDIR(f->inode->mode))
		return -LX_ENOTDIR;
	struct lx_inode *dir = f->inode;
	uint64_t buf = a1;
	size_t count = (uint32_t)a2, used = 0;
	struct lx_dirent *d = dir->dir.first;
	char pname[LX_NAME_MAX + 1];

	for (;;) {
		/* position 0 is ".", 1 is "..", then the entries by cookie */
		const char *name;
		size_t name_len;
		struct lx_inode *ip;
		uint64_t here = f->pos;
		if (here == 0) {
			name = ".", name_len = 1, ip = dir;
		} else if (here == 1) {
			name = "..", name_len = 2, ip = dir == fs_root || !dir->dir.parent ? dir : dir->dir.parent;
		} else if (fs_is_proc(dir)) {
			/* procfs: entry k is generated (position k + 2) */
			if (procfs_readdir(dir, here - 2, pname, &ip))
				break;
			name = pname, name_len = strlen(pname);
		} else {
			while (d && d->cookie < here)
				d = d->next;
			if (!d)
				break;
			name = d->name, name_len = d->name_len, ip = d->inode;
			here = d->cookie;
		}
		uint8_t rec[8 + 8 + 2 + 1 + LX_NAME_MAX + 1 + 7];
		size_t reclen = (19 + name_len + 1 + 7) & ~(size_t)7;
		if (reclen > count - used) {
			if (!used)
				return -LX_EINVAL;
			break;
		}
		uint64_t ino = ip->ino, next = here + 1;
		uint16_t rl = (uint16_t)reclen;
		memset(rec, 0, reclen);
		memcpy(rec, &ino, 8);
		memcpy(rec + 8, &next, 8);
		memcpy(rec + 16, &rl, 2);
		rec[18] = dirent_type(ip->mode);
		memcpy(rec + 19, name, name_len);
		if (lx_copy_to_user(p, buf + used, rec, reclen))
			return used ? (long)used : -LX_EFAULT;
		used += reclen;
		f->pos = next;
	}
	return (long)used;
}

/* ---- changing files ---- */

static long sys_truncate(struct lx_proc *p, ARGS)
{
	UNUSED6;
	struct lx_inode *ip;
	long err = user_path_lookup(p, LX_AT_FDCWD, a0, true, &ip);
	if (err)
		return err;
	if (LX_S_ISDIR(ip->mode))
		return -LX_EISDIR;
	if (!LX_S_ISREG(ip->mode) || (int64_t)a1 < 0)
		return -LX_EINVAL;
	return file_resize(ip, a1);
}

static long sys_ftruncate(struct lx_proc *p, ARGS)
{
	UNUSED6;
	struct lx_file *f = fd_get(p, dirfd_arg(a0));
	if (!f || (f->flags & LX_O_PATH))
		return -LX_EBADF;
	if (!f->inode || !LX_S_ISREG(f->inode->mode) || (f->flags & LX_O_ACCMODE) == LX_O_RDONLY ||
	    (int64_t)a1 < 0)
		return -LX_EINVAL;
	return file_resize(f->inode, a1);
}

static long set_mode(struct lx_inode *ip, uint64_t mode)
{
	ip->mode = (ip->mode & LX_S_IFMT) | ((uint32_t)mode & 07777);
	ip->ctime = fs_now();
	return 0;
}

static long sys_chmod(struct lx_proc *p, ARGS)
{
	UNUSED6;
	struct lx_inode *ip;
	long err = user_path_lookup(p, LX_AT_FDCWD, a0, true, &ip);
	return err ? err : set_mode(ip, a1);
}

static long sys_fchmodat(struct lx_proc *p, ARGS)
{
	UNUSED6;
	struct lx_inode *ip;
	long err = user_path_lookup(p, dirfd_arg(a0), a1, true, &ip);
	return err ? err : set_mode(ip, a2);
}

static long sys_fchmod(struct lx_proc *p, ARGS)
{
	UNUSED6;
	struct lx_file *f = fd_get(p, dirfd_arg(a0));
	if (!f)
		return -LX_EBADF;
	return f->inode ? set_mode(f->inode, a1) : 0;
}

/* Owners: everything belongs to root; a change to root is accepted. */
static long owner_ok(uint64_t uid, uint64_t gid)
{
	return ((uint32_t)uid == 0 || (uint32_t)uid == 0xffffffff) && ((uint32_t)gid == 0 || (uint32_t)gid == 0xffffffff)
		       ? 0
		       : -LX_EPERM;
}

static long sys_chown(struct lx_proc *p, ARGS)
{
	UNUSED6;
	struct lx_inode *ip;
	long err = user_path_lookup(p, LX_AT_FDCWD, a0, true, &ip);
	return err ? err : owner_ok(a1, a2);
}

static long sys_lchown(struct lx_proc *p, ARGS)
{
	UNUSED6;
	struct lx_inode *ip;
	long err = user_path_lookup(p, LX_AT_FDCWD, a0, false, &ip);
	return err ? err : owner_ok(a1, a2);
}

static long sys_fchown(struct lx_proc *p, ARGS)
{
	UNUSED6;
	return fd_get(p, dirfd_arg(a0)) ? owner_ok(a1, a2) : -LX_EBADF;
}

static long sys_fchownat(struct lx_proc *p, ARGS)
{
	UNUSED6;
	char path[LX_PATH_MAX];
	struct lx_inode *ip;
	long err = path_from_user(p, a1, path, a4 & LX_AT_EMPTY_PATH);
	if (!err && path[0])
		err = path_lookup(p, dirfd_arg(a0), path, !(a4 & LX_AT_SYMLINK_NOFOLLOW), &ip);
	return err ? err : owner_ok(a2, a3);
}

static long sys_fsync(struct lx_proc *p, ARGS)
{
	UNUSED6;
	return fd_get(p, dirfd_arg(a0)) ? 0 : -LX_EBADF;
}

/* utimensat(dirfd, path, times[2], flags): the modification time (seconds) is kept. */
static long sys_utimensat(struct lx_proc *p, ARGS)
{
	UNUSED6;
	enum { UTIME_NOW = (1 << 30) - 1, UTIME_OMIT = (1 << 30) - 2 };
	struct lx_inode *ip;
	long err;
	if (a1) {
		char path[LX_PATH_MAX];
		if ((err = path_from_user(p, a1, path, false)) ||
		    (err = path_lookup(p, dirfd_arg(a0), path, !(a3 & LX_AT_SYMLINK_NOFOLLOW), &ip)))
			return err;
	} else {
		struct lx_file *f = fd_get(p, dirfd_arg(a0));
		if (!f)
			return -LX_EBADF;
		if (!f->inode)
			return 0;
		ip = f->inode;
	}
	int64_t t[4] = {0, UTIME_NOW, 0, UTIME_NOW}; /* atime, mtime as (sec, nsec) */
	if (a2 && lx_copy_from_user(p, t, a2, sizeof(t)))
		return -LX_EFAULT;
	if (t[3] == UTIME_NOW)
		ip->mtime = fs_now();
	else if (t[3] != UTIME_OMIT)
		ip->mtime = (uint64_t)t[2];
	ip->ctime = fs_now();
	return 0;
}

void sys_fs_path_register(void)
{
	lx_syscall_register(2, "open", sys_open);
	lx_syscall_register(4, "stat", sys_stat);
	lx_syscall_register(5, "fstat", sys_fstat);
	lx_syscall_register(6, "lstat", sys_lstat);
	lx_syscall_register(21, "access", sys_access);
	lx_syscall_register(74, "fsync", sys_fsync);
	lx_syscall_register(75, "fdatasync", sys_fsync);
	lx_syscall_register(76, "truncate", sys_truncate);
	lx_syscall_register(77, "ftruncate", sys_ftruncate);
	lx_syscall_register(79, "getcwd", sys_getcwd);
	lx_syscall_register(80, "chdir", sys_chdir);
	lx_syscall_register(81, "fchdir", sys_fchdir);
	lx_syscall_register(82, "rename", sys_rename);
	lx_syscall_register(83, "mkdir", sys_mkdir);
	lx_syscall_register(84, "rmdir", sys_rmdir);
	lx_syscall_register(85, "creat", sys_creat);
	lx_syscall_register(86, "link", sys_link);
	lx_syscall_register(87, "unlink", sys_unlink);
	lx_syscall_register(88, "symlink", sys_symlink);
	lx_syscall_register(89, "readlink", sys_readlink);
	lx_syscall_register(90, "chmod", sys_chmod);
	lx_syscall_register(91, "fchmod", sys_fchmod);
	lx_syscall_register(92, "chown", sys_chown);
	lx_syscall_register(93, "fchown", sys_fchown);
	lx_syscall_register(94, "lchown", sys_lchown);
	lx_syscall_register(133, "mknod", sys_mknod);
	lx_syscall_register(137, "statfs", sys_statfs);
	lx_syscall_register(138, "fstatfs", sys_fstatfs);
	lx_syscall_register(217, "getdents64", sys_getdents64);
	lx_syscall_register(257, "openat", sys_openat);
	lx_syscall_register(258, "mkdirat", sys_mkdirat);
	lx_syscall_register(259, "mknodat", sys_mknodat);
	lx_syscall_register(260, "fchownat", sys_fchownat);
	lx_syscall_register(262, "newfstatat", sys_newfstatat);
	lx_syscall_register(263, "unlinkat", sys_unlinkat);
	lx_syscall_register(264, "renameat", sys_renameat);
	lx_syscall_register(265, "linkat", sys_linkat);
	lx_syscall_register(266, "symlinkat", sys_symlinkat);
	lx_syscall_register(267, "readlinkat", sys_readlinkat);
	lx_syscall_register(268, "fchmodat", sys_fchmodat);
	lx_syscall_register(269, "faccessat", sys_faccessat);
	lx_syscall_register(280, "utimensat", sys_utimensat);
	lx_syscall_register(316, "renameat2", sys_renameat2);
}
