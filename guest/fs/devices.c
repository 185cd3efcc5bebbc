/* Character devices: the driver table and the built-in /dev/null, /dev/zero, /dev/console, /dev/tty. */
#include "fs/fs.h"
#include "console.h"
#include "string.h"

#define CHRDEV_MAX 32
static const struct lx_chrdev *chrdevs[CHRDEV_MAX];

static bool overlaps(const struct lx_chrdev *a, const struct lx_chrdev *b)
{
	return a->major == b->major && a->minor_first < b->minor_first + b->minor_count &&
	       b->minor_first < a->minor_first + a->minor_count;
}

long fs_chrdev_register(const struct lx_chrdev *dev)
{
	int free_slot = -1;
	for (int i = 0; i < CHRDEV_MAX; i++) {
		if (!chrdevs[i]) {
			if (free_slot < 0)
				free_slot = i;
		} else if (overlaps(chrdevs[i], dev)) {
			return -LX_EBUSY;
		}
	}
	if (free_slot < 0)
		return -LX_ENOMEM;
	chrdevs[free_slot] = dev;
	return 0;
}

void fs_chrdev_unregister(const struct lx_chrdev *dev)
{
	for (int i = 0; i < CHRDEV_MAX; i++)
		if (chrdevs[i] == dev)
			chrdevs[i] = NULL;
}

const struct lx_chrdev *fs_chrdev_find(uint32_t rdev)
{
	unsigned major = rdev >> 8, minor = rdev & 0xff;
	for (int i = 0; i < CHRDEV_MAX; i++) {
		const struct lx_chrdev *d = chrdevs[i];
		if (d && d->major == major && minor >= d->minor_first && minor - d->minor_first < d->minor_count)
			return d;
	}
	return NULL;
}

const struct lx_chrdev *fs_chrdev_at(unsigned i)
{
	for (unsigned k = 0; k < CHRDEV_MAX; k++)
		if (chrdevs[k] && i-- == 0)
			return chrdevs[k];
	return NULL;
}

long fs_mknod(const char *path, uint32_t mode, unsigned major, unsigned minor)
{
	struct lx_inode *dir;
	char name[LX_NAME_MAX + 1];
	bool slash;
	if (path[0] != '/' || major > 255 || minor > 255)
		return -LX_EINVAL;
	long err = path_parent(NULL, LX_AT_FDCWD, path, &dir, name, &slash);
	if (err)
		return err;
	if (!strcmp(name, ".") || !strcmp(name, "..") || slash)
		return -LX_EEXIST;
	struct lx_inode *ip = inode_new(mode, LX_MKDEV(major, minor), NULL);
	if (!ip)
		return -LX_ENOMEM;
	err = dir_link(dir, name, strlen(name), ip);
	if (err)
		inode_maybe_free(ip);
	return err;
}

/* ---- null and zero (major 1) ---- */

static long null_read(struct lx_proc *p, struct lx_file *f, uint64_t buf, size_t n, uint64_t *pos)
{
	(void)p, (void)f, (void)buf, (void)n, (void)pos;
	return 0;
}

static long null_write(struct lx_proc *p, struct lx_file *f, uint64_t buf, size_t n, uint64_t *pos)
{
	(void)p, (void)f, (void)buf, (void)pos;
	return (long)n;
}

static long zero_read(struct lx_proc *p, struct lx_file *f, uint64_t buf, size_t n, uint64_t *pos)
{
	(void)f, (void)pos;
	static const uint8_t zeros[4096];
	size_t done = 0;
	while (done < n) {
		size_t chunk = n - done < sizeof(zeros) ? n - done : sizeof(zeros);
		if (lx_copy_to_user(p, buf + done, zeros, chunk))
			return done ? (long)done : -LX_EFAULT;
		done += chunk;
	}
	return (long)done;
}

static long null_kwrite(struct lx_file *f, const void *buf, size_t n, uint64_t *pos)
{
	(void)f, (void)buf, (void)pos;
	return (long)n;
}

static const struct lx_file_ops null_ops = {.read = null_read, .write = null_write, .kwrite = null_kwrite,
					    .seekable = true};
static const struct lx_file_ops zero_ops = {.read = zero_read, .write = null_write, .kwrite = null_kwrite,
					    .seekable = true};

static long mem_open(struct lx_proc *p, struct lx_file *f)
{
	(void)p;
	unsigned minor = f->inode->rdev & 0xff;
	if (minor == 3)
		f->ops = &null_ops;
	else if (minor == 5)
		f->ops = &zero_ops;
	else
		return -LX_ENXIO;
	return 0;
}

static const struct lx_file_ops mem_ops = {.open = mem_open};
static const struct lx_chrdev mem_dev = {.major = 1, .minor_first = 0, .minor_count = 256, .name = "mem", .ops = &mem_ops};

/* ---- the console and tty (major 5, minors 0 and 1): console.c ---- */

long devices_init(void)
{
	long err;
	if ((err = fs_chrdev_register(&mem_dev)) || (err = fs_chrdev_register(&lx_console_dev)))
		return err;
	struct lx_inode *dev;
	if (path_walk(fs_root, "/dev", true, &dev) == -LX_ENOENT) {
		struct lx_inode *ip = inode_new(LX_S_IFDIR | 0755, 0, NULL);
		if (!ip)
			return -LX_ENOMEM;
		if ((err = dir_link(fs_root, "dev", 3, ip))) {
			inode_maybe_free(ip);
			return err;
		}
	}
	static const struct {
		const char *path;
		unsigned mode, major, minor;
	} nodes[] = {
		{"/dev/console", 0600, 5, 1},
		{"/dev/tty", 0666, 5, 0},
		{"/dev/null", 0666, 1, 3},
		{"/dev/zero", 0666, 1, 5},
	};
	for (unsigned i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++) {
		err = fs_mknod(nodes[i].path, LX_S_IFCHR | nodes[i].mode, nodes[i].major, nodes[i].minor);
		if (err && err != -LX_EEXIST) {
			lx_log("lx: cannot create %s: error %ld", nodes[i].path, -err);
			return err;
		}
	}
	return 0;
}
