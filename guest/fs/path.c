/* Path lookup: components, ".", "..", symbolic links (at most 40 per lookup), the cwd. */
#include "fs/fs.h"
#include "string.h"

long path_from_user(struct lx_proc *p, uint64_t upath, char *buf, bool empty_ok)
{
	long len = lx_strncpy_from_user(p, buf, upath, LX_PATH_MAX);
	if (len < 0)
		return len;
	if (len == 0 && !empty_ok)
		return -LX_ENOENT;
	return 0;
}

long path_start(struct lx_proc *p, int dirfd, struct lx_inode **dir)
{
	if (dirfd == LX_AT_FDCWD) {
		if (!p->cwd[0] || p->cwd[0] != '/') {
			*dir = fs_root;
			return 0;
		}
		return path_walk(fs_root, p->cwd, true, dir);
	}
	struct lx_file *f = fd_get(p, dirfd);
	if (!f)
		return -LX_EBADF;
	if (!f->inode || !LX_S_ISDIR(f->inode->mode))
		return -LX_ENOTDIR;
	*dir = f->inode;
	return 0;
}

static long walk(struct lx_inode *dir, const char *path, bool follow_last, int *links, struct lx_inode **out)
{
	struct lx_inode *cur = *path == '/' ? fs_root : dir;
	const char *s = path;
	bool trailing_slash = false;

	for (;;) {
		while (*s == '/')
			s++;
		if (!*s)
			break;
		const char *e = s;
		while (*e && *e != '/')
			e++;
		size_t len = (size_t)(e - s);
		const char *rest = e;
		while (*rest == '/')
			rest++;
		bool last = *rest == '\0';
		if (last && *e == '/')
			trailing_slash = true;

		if (!LX_S_ISDIR(cur->mode))
			return -LX_ENOTDIR;
		if (len > LX_NAME_MAX)
			return -LX_ENAMETOOLONG;
		struct lx_inode *next;
		if (len == 1 && s[0] == '.') {
			next = cur;
		} else if (len == 2 && s[0] == '.' && s[1] == '.') {
			/* from a mounted root: the parent of the directory it covers */
			struct lx_inode *base = cur, *pt;
			while (base != fs_root && (pt = mount_point_of(base)) && pt != base)
				base = pt;
			next = base == fs_root ? base : base->dir.parent;
			if (!next)
				return -LX_ENOENT; /* a removed directory */
		} else {
			next = dir_lookup(cur, s, len);
			if (!next)
				return -LX_ENOENT;
			next = mount_follow(next);
		}
		if (LX_S_ISLNK(next->mode) && (!last || follow_last || trailing_slash)) {
			if (++*links > LX_SYMLOOP_MAX)
				return -LX_ELOOP;
			if (!next->link.target[0])
				return -LX_ENOENT;
			long err = walk(cur, next->link.target, true, links, &next);
			if (err)
				return err;
		}
		cur = next;
		s = e;
	}
	if (trailing_slash && !LX_S_ISDIR(cur->mode))
		return -LX_ENOTDIR;
	*out = cur;
	return 0;
}

long path_walk(struct lx_inode *dir, const char *path, bool follow_last, struct lx_inode **out)
{
	int links = 0;
	if (!*path)
		return -LX_ENOENT;
	return walk(dir, path, follow_last, &links, out);
}

long path_lookup(struct lx_proc *p, int dirfd, const char *path, bool follow_last, struct lx_inode **out)
{
	struct lx_inode *dir = fs_root;
	if (*path != '/') {
		long err = path_start(p, dirfd, &dir);
		if (err)
			return err;
	}
	return path_walk(dir, path, follow_last, out);
}

long path_parent(struct lx_proc *p, int dirfd, const char *path, struct lx_inode **parent, char *name,
		 bool *trailing_slash)
{
	size_t len = strlen(path);
	if (!len)
		return -LX_ENOENT;
	size_t end = len;
	while (end > 1 && path[end - 1] == '/')
		end--;
	*trailing_slash = end < len;
	size_t start = end;
	while (start > 0 && path[start - 1] != '/')
		start--;
	if (end - start > LX_NAME_MAX)
		return -LX_ENAMETOOLONG;

	struct lx_inode *dir = fs_root;
	if (*path != '/') {
		long err = path_start(p, dirfd, &dir);
		if (err)
			return err;
	}
	if (start == end) {
		/* "/" (or "//"): the root has no parent; call it "." of the root */
		*parent = fs_root;
		memcpy(name, ".", 2);
		return 0;
	}
	if (start > 0) {
		char prefix[LX_PATH_MAX];
		memcpy(prefix, path, start);
		prefix[start] = '\0';
		long err = path_walk(dir, prefix, true, &dir);
		if (err)
			return err;
	}
	if (!LX_S_ISDIR(dir->mode))
		return -LX_ENOTDIR;
	memcpy(name, path + start, end - start);
	name[end - start] = '\0';
	*parent = dir;
	return 0;
}

long path_of_dir(struct lx_inode *dir, char *buf, size_t size)
{
	/* Built from the end: each directory's name is found in its parent. */
	char tmp[LX_PATH_MAX];
	size_t at = sizeof(tmp) - 1;
	tmp[at] = '\0';
	struct lx_inode *cur = dir;
	for (;;) {
		/* a mounted root is named by the directory it covers */
		struct lx_inode *pt;
		while (cur != fs_root && (pt = mount_point_of(cur)) && pt != cur)
			cur = pt;
		if (cur == fs_root)
			break;
		struct lx_inode *parent = cur->dir.parent;
		if (!parent)
			return -LX_ENOENT;
		char pname[LX_NAME_MAX + 1];
		const char *name = pname;
		size_t name_len;
		if (fs_is_proc(parent)) {
			if (procfs_name(cur, pname, sizeof(pname)))
				return -LX_ENOENT;
			name_len = strlen(pname);
		} else {
			struct lx_dirent *d = parent->dir.first;
			while (d && d->inode != cur)
				d = d->next;
			if (!d)
				return -LX_ENOENT;
			name = d->name;
			name_len = d->name_len;
		}
		if (name_len + 1 > at)
			return -LX_ENAMETOOLONG;
		at -= name_len;
		memcpy(tmp + at, name, name_len);
		tmp[--at] = '/';
		cur = parent;
	}
	if (at == sizeof(tmp) - 1)
		tmp[--at] = '/';
	size_t len = sizeof(tmp) - 1 - at;
	if (len + 1 > size)
		return -LX_ENAMETOOLONG;
	memcpy(buf, tmp + at, len + 1);
	return 0;
}

/* Depth-first search for ip under dir; on success buf holds the path of dir's entry that leads to it. */
static bool find_inode(struct lx_inode *dir, struct lx_inode *ip, char *buf, size_t size, size_t at, int depth)
{
	if (depth > 32 || fs_is_proc(dir))
		return false;
	for (struct lx_dirent *d = dir->dir.first; d; d = d->next) {
		if (at + 1 + d->name_len + 1 > size)
			continue;
		struct lx_inode *child = mount_follow(d->inode);
		buf[at] = '/';
		memcpy(buf + at + 1, d->name, d->name_len);
		buf[at + 1 + d->name_len] = '\0';
		if (child == ip || d->inode == ip)
			return true;
		if (LX_S_ISDIR(child->mode) && child != dir &&
		    find_inode(child, ip, buf, size, at + 1 + d->name_len, depth + 1))
			return true;
	}
	return false;
}

long path_of_inode(struct lx_inode *ip, char *buf, size_t size)
{
	if (LX_S_ISDIR(ip->mode))
		return path_of_dir(ip, buf, size);
	if (!ip->nlink)
		return -LX_ENOENT;
	return find_inode(fs_root, ip, buf, size, 0, 0) ? 0 : -LX_ENOENT;
}
