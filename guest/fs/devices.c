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

static const struct lx_file_ops null_ops = {.read = null_read, .write = null_write, .seekable = true};
static const struct lx_file_ops zero_ops = {.read = zero_read, .write = null_write, .seekable = true};

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

/* ---- the console and tty (major 5, minors 0 and 1) ---- */

static long console_read(struct lx_proc *p, struct lx_file *f, uint64_t buf, size_t n, uint64_t *pos)
{
	(void)pos;
	if (n == 0)
		return 0;
	char tmp[512];
	if (n > sizeof(tmp))
		n = sizeof(tmp);
	long got = lx_console_take(tmp, n, false);
	if (got < 0) {
		struct lx_termios t;
		lx_console_get_termios(&t);
		if (!(t.c_lflag & LX_ICANON) && t.c_cc[LX_VMIN] == 0)
			return 0; /* a polling raw read */
		if (f->flags & LX_O_NONBLOCK)
			return -LX_EAGAIN;
		p->wait_channel = lx_console_channel;
		p->state = LX_SLEEPING;
		return LX_BLOCK;
	}
	/* Consumed only once the bytes are the caller's: a bad buffer loses no input. */
	if (got > 0 && lx_copy_to_user(p, buf, tmp, (size_t)got))
		return -LX_EFAULT;
	lx_console_take(tmp, (size_t)(got ? got : 1), true);
	return got;
}

static long console_write(struct lx_proc *p, struct lx_file *f, uint64_t buf, size_t n, uint64_t *pos)
{
	(void)f, (void)pos;
	char tmp[512];
	size_t done = 0;
	while (done < n) {
		size_t chunk = n - done < sizeof(tmp) ? n - done : sizeof(tmp);
		if (lx_copy_from_user(p, tmp, buf + done, chunk))
			return done ? (long)done : -LX_EFAULT;
		lx_console_write(tmp, chunk);
		done += chunk;
	}
	return (long)done;
}

enum {
	TCGETS = 0x5401, TCSETS = 0x5402, TCSETSW = 0x5403, TCSETSF = 0x5404, TIOCGPGRP = 0x540f,
	TIOCSPGRP = 0x5410, TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414, TIOCSCTTY = 0x540e, TIOCNOTTY = 0x5422,
	TCFLSH = 0x540b, TCXONC = 0x540a, TCSBRK = 0x5409, FIONREAD = 0x541b, TIOCGSID = 0x5429,
};

static long console_ioctl(struct lx_proc *p, struct lx_file *f, unsigned cmd, uint64_t arg)
{
	(void)f;
	struct lx_termios t;
	switch (cmd) {
	case TCGETS:
		lx_console_get_termios(&t);
		return lx_copy_to_user(p, arg, &t, sizeof(t));
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		if (lx_copy_from_user(p, &t, arg, sizeof(t)))
			return -LX_EFAULT;
		lx_console_set_termios(&t);
		return 0;
	case TIOCGWINSZ: {
		uint16_t ws[4] = {24, 80, 0, 0}; /* rows, columns, pixels */
		return lx_copy_to_user(p, arg, ws, sizeof(ws));
	}
	case TIOCSWINSZ:
		return 0;
	case TIOCGPGRP:
	case TIOCGSID: {
		int32_t pid = p->pid;
		return lx_copy_to_user(p, arg, &pid, sizeof(pid));
	}
	case TIOCSPGRP: {
		int32_t pgrp;
		return lx_copy_from_user(p, &pgrp, arg, sizeof(pgrp));
	}
	case FIONREAD: {
		char tmp[512];
		long got = lx_console_take(tmp, sizeof(tmp), false);
		int32_t n = got > 0 ? (int32_t)got : 0;
		return lx_copy_to_user(p, arg, &n, sizeof(n));
	}
	case TIOCSCTTY:
	case TIOCNOTTY:
	case TCFLSH:
	case TCXONC:
	case TCSBRK:
		return 0;
	default:
		return -LX_ENOTTY;
	}
}

static unsigned console_poll(struct lx_file *f, const void **channel)
{
	(void)f;
	char c;
	*channel = lx_console_channel;
	return LX_POLLOUT | (lx_console_take(&c, 1, false) >= 0 ? LX_POLLIN : 0);
}

static const struct lx_file_ops console_ops = {
	.read = console_read,
	.write = console_write,
	.ioctl = console_ioctl,
	.poll = console_poll,
};
static const struct lx_chrdev console_dev = {.major = 5, .minor_first = 0, .minor_count = 2, .name = "console",
					      .ops = &console_ops};

long devices_init(void)
{
	long err;
	if ((err = fs_chrdev_register(&mem_dev)) || (err = fs_chrdev_register(&console_dev)))
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
