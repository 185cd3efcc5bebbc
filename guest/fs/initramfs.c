/* fs_init: the root directory, the initramfs (cpio newc) unpacked into it, and the devices in /dev. */
#include "fs/fs.h"
#include "cpio.h"
#include "format.h"
#include "stdlib.h"
#include "string.h"

/* Earlier names of files with several links (newc repeats the inode
 * number; the data comes with the last of them). */
struct hardlink {
	uint32_t ino, devmajor, devminor;
	struct lx_inode *inode;
};

struct unpack {
	struct hardlink *links;
	size_t nlinks, cap;
	unsigned index;
};

/* The entry's own problem: said once, and the whole unpack fails. */
__attribute__((format(printf, 3, 4)))
static long bad_entry(const struct unpack *u, const struct cpio_entry *e, const char *fmt, ...)
{
	char msg[200];
	va_list ap;
	va_start(ap, fmt);
	fmt_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	lx_log("lx: initramfs: entry %u (%.100s): %s", u->index, e->name, msg);
	return -LX_EINVAL;
}

static struct lx_inode *find_link(struct unpack *u, const struct cpio_entry *e)
{
	for (size_t i = 0; i < u->nlinks; i++)
		if (u->links[i].ino == e->ino && u->links[i].devmajor == e->devmajor &&
		    u->links[i].devminor == e->devminor)
			return u->links[i].inode;
	return NULL;
}

static long remember_link(struct unpack *u, const struct cpio_entry *e, struct lx_inode *ip)
{
	if (u->nlinks == u->cap) {
		size_t cap = u->cap ? 2 * u->cap : 16;
		struct hardlink *l = realloc(u->links, cap * sizeof(*l));
		if (!l)
			return -LX_ENOMEM;
		u->links = l;
		u->cap = cap;
	}
	u->links[u->nlinks++] = (struct hardlink){e->ino, e->devmajor, e->devminor, ip};
	return 0;
}

static long set_data(struct lx_inode *ip, const struct cpio_entry *e)
{
	if (!e->size)
		return 0;
	if (file_reserve(ip, e->size))
		return -LX_ENOMEM;
	memcpy(ip->reg.data, e->data, e->size);
	ip->size = e->size;
	return 0;
}

static long unpack_entry(struct unpack *u, const struct cpio_entry *e)
{
	/* names are relative to the root: "bin/sh", "./bin/sh", "." */
	const char *name = e->name;
	while (name[0] == '.' && name[1] == '/')
		name += 2;
	while (name[0] == '/')
		name++;
	uint32_t type = e->mode & LX_S_IFMT;
	uint32_t mode = type | (e->mode & 07777);

	if (!name[0] || !strcmp(name, ".")) {
		if (type != LX_S_IFDIR)
			return bad_entry(u, e, "the root must be a directory (mode 0%o)", e->mode);
		fs_root->mode = mode;
		fs_root->mtime = fs_root->ctime = e->mtime;
		return 0;
	}

	char path[LX_PATH_MAX];
	if (strlen(name) + 2 > sizeof(path))
		return bad_entry(u, e, "the name is longer than lx's %d-byte paths", LX_PATH_MAX - 1);
	path[0] = '/';
	memcpy(path + 1, name, strlen(name) + 1);

	struct lx_inode *dir;
	char last[LX_NAME_MAX + 1];
	bool slash;
	long err = path_parent(NULL, LX_AT_FDCWD, path, &dir, last, &slash);
	if (err == -LX_ENOENT || err == -LX_ENOTDIR)
		return bad_entry(u, e, "its directory is not in the archive before it");
	if (err == -LX_ENAMETOOLONG)
		return bad_entry(u, e, "a name component is longer than %d bytes", LX_NAME_MAX);
	if (err)
		return bad_entry(u, e, "cannot look up its directory (error %ld)", -err);
	if (!strcmp(last, ".") || !strcmp(last, ".."))
		return bad_entry(u, e, "the name ends in \"%s\"", last);
	size_t last_len = strlen(last);

	struct lx_inode *old = dir_lookup(dir, last, last_len);
	if (old) {
		/* a later entry of the same name replaces an earlier one, as in Linux */
		if (LX_S_ISDIR(old->mode) && type == LX_S_IFDIR) {
			old->mode = mode;
			old->mtime = old->ctime = e->mtime;
			return 0;
		}
		if (LX_S_ISDIR(old->mode) && !dir_empty(old))
			return bad_entry(u, e, "replaces a directory that is not empty");
		dir_unlink(dir, last, last_len);
	}

	struct lx_inode *ip = NULL;
	switch (type) {
	case LX_S_IFDIR:
	case LX_S_IFIFO:
	case LX_S_IFSOCK:
		break;
	case LX_S_IFREG:
		if (e->nlink > 1 && (ip = find_link(u, e))) {
			if (dir_link(dir, last, last_len, ip) || set_data(ip, e))
				return bad_entry(u, e, "out of memory");
			return 0;
		}
		break;
	case LX_S_IFLNK:
		if (e->size == 0 || e->size >= LX_PATH_MAX)
			return bad_entry(u, e, "a symbolic link's target of %zu bytes (1 to %d allowed)", e->size,
					 LX_PATH_MAX - 1);
		if (memchr(e->data, '\0', e->size))
			return bad_entry(u, e, "a NUL in the symbolic link's target");
		break;
	case LX_S_IFCHR:
	case LX_S_IFBLK:
		if (e->rdevmajor > 255 || e->rdevminor > 255)
			return bad_entry(u, e, "device %u:%u (lx has numbers up to 255)", e->rdevmajor, e->rdevminor);
		break;
	default:
		return bad_entry(u, e, "unknown file type (mode 0%o)", e->mode);
	}

	char target[LX_PATH_MAX];
	if (type == LX_S_IFLNK) {
		memcpy(target, e->data, e->size);
		target[e->size] = '\0';
	}
	ip = inode_new(mode, LX_MKDEV(e->rdevmajor & 0xff, e->rdevminor & 0xff), type == LX_S_IFLNK ? target : NULL);
	if (!ip)
		return bad_entry(u, e, "out of memory");
	if ((type == LX_S_IFREG && set_data(ip, e)) || dir_link(dir, last, last_len, ip)) {
		inode_maybe_free(ip);
		return bad_entry(u, e, "out of memory");
	}
	ip->mtime = ip->ctime = e->mtime;
	if (type == LX_S_IFREG && e->nlink > 1 && remember_link(u, e, ip))
		return bad_entry(u, e, "out of memory");
	return 0;
}

long fs_init(const void *archive, size_t size)
{
	if (!fs_root) {
		fs_root = inode_new(LX_S_IFDIR | 0755, 0, NULL);
		if (!fs_root) {
			lx_log("lx: initramfs: no memory for the root directory");
			return -LX_ENOMEM;
		}
		fs_root->nlink = 2;
		fs_root->dir.parent = fs_root;
	}

	struct cpio_iter it;
	struct cpio_entry e;
	struct unpack u = {0};
	char err[200];
	int r;
	long res = 0;
	cpio_iter_init(&it, archive, size);
	while ((r = cpio_next(&it, &e, err, sizeof(err))) == 1) {
		u.index = it.index - 1;
		if ((res = unpack_entry(&u, &e)))
			break;
	}
	free(u.links);
	if (r < 0) {
		lx_log("lx: initramfs: %s", err);
		return -LX_EINVAL;
	}
	if (res)
		return res;
	if ((res = devices_init()) || (res = procfs_init()))
		return res;
	return mount_init(); /* / and procfs on /proc */
}
