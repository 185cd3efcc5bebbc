/* The RAM file system: inodes, directories as lists of names, file data in one growing buffer. */
#include "fs/fs.h"
#include "sys_misc.h"
#include "stdlib.h"
#include "string.h"

/* Bytes of file data in the RAM file systems, and their limit (docs/lx-fs.md). */
#define RAMFS_BUDGET (48ull << 20)
static uint64_t ramfs_bytes;

struct lx_inode *fs_root;
static uint64_t next_ino = 1;

uint64_t fs_now(void)
{
	return (uint64_t)lx_boot_time() + lx_ticks() / 100; /* the realtime clock (sys_misc.c) */
}

struct lx_inode *inode_new(uint32_t mode, uint32_t rdev, const char *target)
{
	struct lx_inode *ip = calloc(1, sizeof(*ip));
	if (!ip)
		return NULL;
	ip->ino = next_ino++;
	ip->mode = mode;
	ip->rdev = rdev;
	ip->mtime = ip->ctime = fs_now();
	ip->dev = LX_DEV_ROOT;
	if (LX_S_ISDIR(mode)) {
		ip->dir.next_cookie = 2; /* 0 and 1 are "." and ".." */
	} else if (LX_S_ISLNK(mode)) {
		size_t len = target ? strlen(target) : 0;
		ip->link.target = malloc(len + 1);
		if (!ip->link.target) {
			free(ip);
			return NULL;
		}
		memcpy(ip->link.target, target ? target : "", len + 1);
		ip->size = len;
	}
	return ip;
}

void inode_maybe_free(struct lx_inode *ip)
{
	if (ip->nlink || ip->holders || ip == fs_root)
		return;
	if (LX_S_ISREG(ip->mode)) {
		ramfs_bytes -= ip->reg.cap;
		if (ip->reg.image)
			fs_image_put(ip->reg.image); /* the bytes live on while a program uses them */
		else
			free(ip->reg.data);
	} else if (LX_S_ISLNK(ip->mode))
		free(ip->link.target);
	/* a directory is removed only when empty: no entries to free */
	free(ip);
}

void inode_hold(struct lx_inode *ip)
{
	ip->holders++;
}

void inode_release(struct lx_inode *ip)
{
	ip->holders--;
	inode_maybe_free(ip);
}

/* ---- directories ---- */

struct lx_inode *dir_lookup(struct lx_inode *dir, const char *name, size_t name_len)
{
	if (fs_is_proc(dir))
		return procfs_lookup(dir, name, name_len);
	for (struct lx_dirent *d = dir->dir.first; d; d = d->next)
		if (d->name_len == name_len && memcmp(d->name, name, name_len) == 0)
			return d->inode;
	return NULL;
}

long dir_link(struct lx_inode *dir, const char *name, size_t name_len, struct lx_inode *ip)
{
	if (!dir->nlink && dir != fs_root)
		return -LX_ENOENT;
	if (dir_lookup(dir, name, name_len))
		return -LX_EEXIST;
	if (fs_is_proc(dir))
		return -LX_EACCES; /* procfs makes its names itself */
	if (fs_is_sys(dir) && !sysfs_linking)
		return -LX_EACCES; /* and sysfs too */
	if (!ip->nlink)
		ip->dev = dir->dev; /* a new inode belongs to its directory's file system */
	struct lx_dirent *d = malloc(sizeof(*d) + name_len + 1);
	if (!d)
		return -LX_ENOMEM;
	d->next = NULL;
	d->inode = ip;
	d->cookie = dir->dir.next_cookie++;
	d->name_len = name_len;
	memcpy(d->name, name, name_len);
	d->name[name_len] = '\0';
	if (dir->dir.last)
		dir->dir.last->next = d;
	else
		dir->dir.first = d;
	dir->dir.last = d;
	if (LX_S_ISDIR(ip->mode)) {
		ip->dir.parent = dir;
		ip->nlink = 2;
		dir->nlink++;
	} else {
		ip->nlink++;
	}
	dir->mtime = dir->ctime = fs_now();
	return 0;
}

void dir_unlink(struct lx_inode *dir, const char *name, size_t name_len)
{
	struct lx_dirent *prev = NULL, *d = dir->dir.first;
	while (d && !(d->name_len == name_len && memcmp(d->name, name, name_len) == 0)) {
		prev = d;
		d = d->next;
	}
	if (!d)
		return;
	if (prev)
		prev->next = d->next;
	else
		dir->dir.first = d->next;
	if (dir->dir.last == d)
		dir->dir.last = prev;
	struct lx_inode *ip = d->inode;
	free(d);
	if (LX_S_ISDIR(ip->mode)) {
		ip->nlink = 0;
		ip->dir.parent = NULL;
		dir->nlink--;
	} else {
		ip->nlink--;
	}
	ip->ctime = dir->mtime = dir->ctime = fs_now();
	inode_maybe_free(ip);
}

bool dir_empty(const struct lx_inode *dir)
{
	return dir->dir.first == NULL;
}

/* ---- regular files ---- */

/*
 * Execve's snapshot of a file (docs/lx.md, "Processes and their memory").
 * It shares the file's buffer and counts the inode as one holder; a change
 * of the file first detaches it: then the snapshot keeps the old buffer
 * (the file gets a copy) unless nobody else holds it.
 */
long fs_image_of(struct lx_inode *ip, struct lx_file_image **out)
{
	if (!ip->reg.image) {
		struct lx_file_image *img = malloc(sizeof(*img));
		if (!img)
			return -LX_ENOMEM;
		img->refs = 1; /* the inode's */
		img->data = ip->reg.data;
		img->size = ip->size;
		img->regions = 0;
		img->shared_pages = NULL;
		img->shared_count = 0;
		img->next_shared = NULL;
		ip->reg.image = img;
	}
	ip->reg.image->refs++;
	*out = ip->reg.image;
	return 0;
}

void fs_image_get(struct lx_file_image *img) { img->refs++; }

void fs_image_put(struct lx_file_image *img)
{
	if (--img->refs)
		return;
	mm_image_gone(img);
	free((void *)img->data);
	free(img);
}

/* Before the bytes or the size of ip change: the snapshot keeps what it saw. */
static long file_detach_image(struct lx_inode *ip)
{
	struct lx_file_image *img = ip->reg.image;
	if (!img)
		return 0;
	if (img->refs > 1) {
		uint8_t *copy = NULL;
		if (ip->reg.cap) {
			copy = malloc(ip->reg.cap);
			if (!copy)
				return -LX_ENOSPC;
			memcpy(copy, ip->reg.data, (size_t)ip->size);
		}
		ip->reg.data = copy;
		img->refs--;
	} else {
		free(img);
	}
	ip->reg.image = NULL;
	return 0;
}

long file_reserve(struct lx_inode *ip, uint64_t size)
{
	long err = file_detach_image(ip);
	if (err)
		return err;
	if (size <= ip->reg.cap)
		return 0;
	if (size > (1ull << 32))
		return -LX_EFBIG;
	/* grow by half again at least, so appends stay cheap */
	uint64_t cap = ip->reg.cap + ip->reg.cap / 2;
	if (cap < size)
		cap = size;
	if (cap < 64)
		cap = 64;
	/* file data lives in lx's own heap: a budget keeps a process that grows
	 * files from taking lx's memory (then ENOSPC, as a full disk) */
	if (ramfs_bytes - ip->reg.cap + cap > RAMFS_BUDGET)
		cap = size;
	if (ramfs_bytes - ip->reg.cap + cap > RAMFS_BUDGET)
		return -LX_ENOSPC;
	uint8_t *data = realloc(ip->reg.data, cap);
	if (!data && cap > size)
		data = realloc(ip->reg.data, cap = size);
	if (!data)
		return -LX_ENOSPC;
	ramfs_bytes = ramfs_bytes - ip->reg.cap + cap;
	ip->reg.data = data;
	ip->reg.cap = cap;
	return 0;
}

long file_resize(struct lx_inode *ip, uint64_t size)
{
	long err = file_detach_image(ip);
	if (err)
		return err;
	if (size > ip->size) {
		err = file_reserve(ip, size);
		if (err)
			return err;
		memset(ip->reg.data + ip->size, 0, size - ip->size);
	}
	ip->size = size;
	ip->mtime = ip->ctime = fs_now();
	return 0;
}

static long regular_read(struct lx_proc *p, struct lx_file *f, uint64_t buf, size_t n, uint64_t *pos)
{
	struct lx_inode *ip = f->inode;
	if (*pos >= ip->size)
		return 0;
	if (n > ip->size - *pos)
		n = (size_t)(ip->size - *pos);
	if (lx_copy_to_user(p, buf, ip->reg.data + *pos, n))
		return -LX_EFAULT;
	*pos += n;
	return (long)n;
}

static long regular_write(struct lx_proc *p, struct lx_file *f, uint64_t buf, size_t n, uint64_t *pos)
{
	struct lx_inode *ip = f->inode;
	if (f->flags & LX_O_APPEND)
		*pos = ip->size;
	if (*pos > (1ull << 32) || n > (1ull << 32))
		return -LX_EFBIG;
	/* In pieces, so that a bad buffer stops the write where it starts to be bad. */
	size_t done = 0;
	while (done < n) {
		size_t chunk = n - done < 65536 ? n - done : 65536;
		uint64_t at = *pos + done;
		long err = file_reserve(ip, at + chunk);
		if (!err && lx_copy_from_user(p, ip->reg.data + at, buf + done, chunk))
			err = -LX_EFAULT;
		if (err) {
			if (!done)
				return err;
			break;
		}
		if (at > ip->size)
			memset(ip->reg.data + ip->size, 0, at - ip->size); /* a hole reads as zeros */
		if (at + chunk > ip->size)
			ip->size = at + chunk;
		done += chunk;
	}
	*pos += done;
	ip->mtime = ip->ctime = fs_now();
	return (long)done;
}

/* A write from lx's memory (sendfile's destination). */
static long regular_kwrite(struct lx_file *f, const void *buf, size_t n, uint64_t *pos)
{
	struct lx_inode *ip = f->inode;
	if (f->flags & LX_O_APPEND)
		*pos = ip->size;
	if (*pos > (1ull << 32) || n > (1ull << 32))
		return -LX_EFBIG;
	long err = file_reserve(ip, *pos + n);
	if (err)
		return err;
	if (*pos > ip->size)
		memset(ip->reg.data + ip->size, 0, *pos - ip->size);
	memcpy(ip->reg.data + *pos, buf, n);
	if (*pos + n > ip->size)
		ip->size = *pos + n;
	*pos += n;
	ip->mtime = ip->ctime = fs_now();
	return (long)n;
}

const struct lx_file_ops fs_regular_ops = {
	.read = regular_read,
	.write = regular_write,
	.kwrite = regular_kwrite,
	.seekable = true,
};

static long dir_read(struct lx_proc *p, struct lx_file *f, uint64_t buf, size_t n, uint64_t *pos)
{
	(void)p, (void)f, (void)buf, (void)n, (void)pos;
	return -LX_EISDIR;
}

const struct lx_file_ops fs_dir_ops = {
	.read = dir_read,
	.write = dir_read,
	.seekable = true,
};
