/* lx's file system: the RAM file system's inodes, open files and their operations, path lookup. */
#ifndef LX_FS_H
#define LX_FS_H

#include "lx.h"

/* ---- Linux ABI numbers ---- */
enum {
	LX_S_IFMT = 0170000, LX_S_IFSOCK = 0140000, LX_S_IFLNK = 0120000, LX_S_IFREG = 0100000,
	LX_S_IFBLK = 0060000, LX_S_IFDIR = 0040000, LX_S_IFCHR = 0020000, LX_S_IFIFO = 0010000,
};
#define LX_S_ISDIR(m) (((m) & LX_S_IFMT) == LX_S_IFDIR)
#define LX_S_ISREG(m) (((m) & LX_S_IFMT) == LX_S_IFREG)
#define LX_S_ISLNK(m) (((m) & LX_S_IFMT) == LX_S_IFLNK)
#define LX_S_ISCHR(m) (((m) & LX_S_IFMT) == LX_S_IFCHR)

enum {
	LX_O_ACCMODE = 03, LX_O_RDONLY = 0, LX_O_WRONLY = 01, LX_O_RDWR = 02,
	LX_O_CREAT = 0100, LX_O_EXCL = 0200, LX_O_NOCTTY = 0400, LX_O_TRUNC = 01000, LX_O_APPEND = 02000,
	LX_O_NONBLOCK = 04000, LX_O_DIRECTORY = 0200000, LX_O_NOFOLLOW = 0400000, LX_O_CLOEXEC = 02000000,
	LX_O_PATH = 010000000,
};

enum {
	LX_AT_FDCWD = -100, LX_AT_SYMLINK_NOFOLLOW = 0x100, LX_AT_REMOVEDIR = 0x200,
	LX_AT_SYMLINK_FOLLOW = 0x400, LX_AT_EMPTY_PATH = 0x1000,
};

/* poll(2) readiness bits */
enum {
	LX_POLLIN = 0x1, LX_POLLPRI = 0x2, LX_POLLOUT = 0x4, LX_POLLERR = 0x8, LX_POLLHUP = 0x10, LX_POLLNVAL = 0x20,
	LX_POLLRDNORM = 0x40, LX_POLLRDBAND = 0x80, LX_POLLWRNORM = 0x100, LX_POLLWRBAND = 0x200,
};

/* st_dev of the file systems (0:N); tmpfs mounts count up from LX_DEV_TMPFS_FIRST */
enum { LX_DEV_ROOT = 1, LX_DEV_PROC = 3, LX_DEV_SYS = 4, LX_DEV_TMPFS_FIRST = 16 };

#define LX_NAME_MAX 255
#define LX_SYMLOOP_MAX 40
#define LX_MKDEV(major, minor) ((uint32_t)(major) << 8 | (uint32_t)(minor)) /* majors and minors < 256 */

/* ---- inodes (ramfs.c) ---- */
struct lx_inode;

struct lx_dirent {
	struct lx_dirent *next;         /* in creation order */
	struct lx_inode *inode;
	uint64_t cookie;                /* getdents64 position: unique and rising within the directory */
	size_t name_len;
	char name[];                    /* NUL-terminated */
};

struct lx_inode {
	uint64_t ino;
	uint32_t mode;                  /* type and permission bits */
	uint32_t nlink;                 /* names (a directory: 2 + its subdirectories); 0: removed */
	uint32_t holders;               /* open files and execs using it; freed when this and nlink are 0 */
	uint32_t rdev;                  /* a device's LX_MKDEV(major, minor) */
	uint64_t size;                  /* bytes of a file, length of a link's target */
	uint64_t mtime, ctime;          /* seconds */
	uint32_t dev;                   /* st_dev: the file system (LX_DEV_*; set when first linked) */
	/* procfs (procfs.c): what the inode shows; kind 0 for every other inode */
	struct {
		uint16_t kind;
		int32_t pid, fd;
		const void *entry;
	} proc;
	/* sysfs (sysfs.c): a file whose opens another part of lx serves (NULL for every other inode) */
	const struct lx_file_ops *sysfs_ops;
	void *sysfs_priv;
	union {
		struct {
			struct lx_dirent *first, *last;
			struct lx_inode *parent; /* the directory holding it (root: itself); NULL once removed */
			uint64_t next_cookie;
		} dir;
		struct {
			uint8_t *data;   /* one malloc'd buffer (exec needs the bytes contiguous) */
			size_t cap;
			/* the snapshot execve took of the bytes, sharing data (NULL: none); a
			 * change of the file first detaches it (file_detach_image) */
			struct lx_file_image *image;
		} reg;
		struct {
			char *target;    /* NUL-terminated */
		} link;
	};
};

extern struct lx_inode *fs_root;

/* The time stamp for changes: seconds. */
uint64_t fs_now(void);
/* A new inode with no name yet (nlink 0), or NULL. A symlink gets a copy of target. */
struct lx_inode *inode_new(uint32_t mode, uint32_t rdev, const char *target);
/* Frees ip if it has neither names nor holders. */
void inode_maybe_free(struct lx_inode *ip);
void inode_hold(struct lx_inode *ip);
void inode_release(struct lx_inode *ip);

/* Directories. name is name_len bytes (no NUL needed); the caller checked it. */
struct lx_inode *dir_lookup(struct lx_inode *dir, const char *name, size_t name_len);
/* Links ip under name in dir: 0, -LX_EEXIST, -LX_ENOMEM, -LX_ENOENT (dir removed). */
long dir_link(struct lx_inode *dir, const char *name, size_t name_len, struct lx_inode *ip);
/* Removes the name (which must exist); the inode goes if nothing else holds it. */
void dir_unlink(struct lx_inode *dir, const char *name, size_t name_len);
bool dir_empty(const struct lx_inode *dir);

/* Is ip procfs's (generated on lookup, read-only)? */
static inline bool fs_is_proc(const struct lx_inode *ip) { return ip->proc.kind != 0; }
/* Is ip sysfs's (names made by sysfs.c only)? */
static inline bool fs_is_sys(const struct lx_inode *ip) { return ip->dev == LX_DEV_SYS; }
extern bool sysfs_linking; /* sysfs.c: set while it links its own names */

/* Regular files: grows (zero-filled) or shrinks to size; 0 or -LX_ENOSPC. */
long file_resize(struct lx_inode *ip, uint64_t size);
/* Makes room for size bytes without changing the size; 0 or -LX_ENOSPC.
 * Both detach the file's exec snapshot first (the snapshot stays as it was). */
long file_reserve(struct lx_inode *ip, uint64_t size);
/* The file's exec snapshot (made on the first call, shared until the file
 * changes), with one more reference for the caller; 0 or -LX_ENOMEM. */
long fs_image_of(struct lx_inode *ip, struct lx_file_image **out);

/* ---- path lookup (path.c) ---- */
/* A user path, copied in: 0, -LX_EFAULT, -LX_ENAMETOOLONG, -LX_ENOENT (empty, unless empty_ok). */
long path_from_user(struct lx_proc *p, uint64_t upath, char *buf, bool empty_ok);
/* The directory relative paths start from: p's cwd or the directory open at dirfd. */
long path_start(struct lx_proc *p, int dirfd, struct lx_inode **dir);
/* Looks path up from dir (an absolute path from the root); symlinks are
 * followed, the last one only with follow_last. 0 with *out, or -errno. */
long path_walk(struct lx_inode *dir, const char *path, bool follow_last, struct lx_inode **out);
/* Looks up path relative to dirfd for p (both steps above). */
long path_lookup(struct lx_proc *p, int dirfd, const char *path, bool follow_last, struct lx_inode **out);
/* For creating and removing: the directory that holds path's last
 * component, and that component (in name, NUL-terminated). *trailing_slash
 * says whether the path ended in '/'. The component may be "." or "..". */
long path_parent(struct lx_proc *p, int dirfd, const char *path, struct lx_inode **parent, char *name,
		 bool *trailing_slash);
/* The absolute path of a directory: 0, -LX_ENOENT (removed), -LX_ENAMETOOLONG. */
long path_of_dir(struct lx_inode *dir, char *buf, size_t size);
/* The absolute path of any inode with a name (a search of the tree for
 * files; procfs is not searched): 0 or -LX_ENOENT. */
long path_of_inode(struct lx_inode *ip, char *buf, size_t size);

/* ---- open files (file.c) ---- */
struct lx_file;

/* What a kind of open file does. buf is a user address; pos the offset to
 * use (&f->pos, or pread's own). Each returns a count, -errno or LX_BLOCK.
 * Missing ones: read/write -LX_EINVAL, ioctl -LX_ENOTTY, poll "ready". */
struct lx_file_ops {
	long (*open)(struct lx_proc *p, struct lx_file *f);   /* optional, when opened by path */
	long (*read)(struct lx_proc *p, struct lx_file *f, uint64_t buf, size_t n, uint64_t *pos);
	long (*write)(struct lx_proc *p, struct lx_file *f, uint64_t buf, size_t n, uint64_t *pos);
	long (*ioctl)(struct lx_proc *p, struct lx_file *f, unsigned cmd, uint64_t arg);
	/* LX_POLL* bits now; *channel: what to sleep on until that changes (or NULL) */
	unsigned (*poll)(struct lx_file *f, const void **channel);
	void (*release)(struct lx_file *f);                    /* the last reference went */
	/* optional: writes n bytes from lx's memory (sendfile's destination) */
	long (*kwrite)(struct lx_file *f, const void *buf, size_t n, uint64_t *pos);
	bool seekable;                  /* lseek/pread/pwrite allowed (else -LX_ESPIPE) */
	uint32_t stat_mode;             /* fstat's mode for a file without inode (a pipe: LX_S_IFIFO | 0600) */
};

struct lx_file {
	int refs;                       /* fds (in all processes) pointing at it */
	unsigned flags;                 /* LX_O_*: access mode, O_APPEND, O_NONBLOCK (fcntl may change these two) */
	uint64_t pos;                   /* offset; a directory's: the cookie to go on from */
	struct lx_inode *inode;         /* NULL for files outside the file system (pipes) */
	const struct lx_file_ops *ops;
	void *priv;                     /* the ops' own */
};

/* A new open file with one reference, or NULL. Holds inode (if any). */
struct lx_file *file_new(struct lx_inode *inode, const struct lx_file_ops *ops, unsigned flags, void *priv);
void file_get(struct lx_file *f);
void file_put(struct lx_file *f);
/* p's file at fd, or NULL. */
struct lx_file *fd_get(struct lx_proc *p, int fd);
/* Installs f (taking over the caller's reference) at the lowest free fd
 * >= min: the fd or -LX_EMFILE (then f is not taken). */
long fd_install(struct lx_proc *p, struct lx_file *f, int min, bool cloexec);
/* Opens an inode (a char device through its driver). The flags' access
 * mode decides read/write. 0 with *out, or -errno. */
long file_open_inode(struct lx_proc *p, struct lx_inode *ip, unsigned flags, struct lx_file **out);
/* Readiness of an open file, for poll/select. */
unsigned file_poll(struct lx_file *f, const void **channel);

/* ---- devices (devices.c) ---- */
struct lx_chrdev {
	unsigned major, minor_first, minor_count;
	const char *name;
	const struct lx_file_ops *ops;
};
/* Registers a character device driver (dev stays the caller's): 0 or -LX_EBUSY (numbers taken). */
long fs_chrdev_register(const struct lx_chrdev *dev);
void fs_chrdev_unregister(const struct lx_chrdev *dev);
const struct lx_chrdev *fs_chrdev_find(uint32_t rdev);
/* Creates a device node at an absolute path, as mknod does: 0 or -errno. */
long fs_mknod(const char *path, uint32_t mode, unsigned major, unsigned minor);
/* The built-in devices: /dev/null, zero, console, tty (nodes only where missing). */
long devices_init(void);

/* The registered drivers one by one (i from 0; NULL at the end): /proc/devices. */
const struct lx_chrdev *fs_chrdev_at(unsigned i);

/* regular file and directory operations (ramfs.c) */
extern const struct lx_file_ops fs_regular_ops, fs_dir_ops;

/* ---- mounts (mount.c) ---- */
/* The mount table: / (the RAM file system of the initramfs) first, then
 * what mount(2) added. A mount covers a directory (point) with the root of
 * another tree (a fresh RAM file system for tmpfs and ramfs, procfs's
 * root for proc, the existing /dev for devtmpfs); lookups that reach the
 * point go on in the root, ".." from the root goes to the point's parent. */
struct lx_mount {
	struct lx_inode *point;         /* NULL for / */
	struct lx_inode *root;
	char source[64], type[16], path[LX_PATH_MAX];
	unsigned long flags;            /* MS_RDONLY, ... as given */
	uint32_t dev;                   /* st_dev of the inodes under it */
	uint32_t magic;                 /* statfs f_type */
};
#define LX_MOUNT_MAX 16
/* The i-th mount (from 0), or NULL past the end. */
const struct lx_mount *mount_at(unsigned i);
/* What a lookup that reaches ip goes on with: the root mounted on it (the top one), or ip. */
struct lx_inode *mount_follow(struct lx_inode *ip);
/* The directory root is mounted on, or NULL when root is no mount's root. */
struct lx_inode *mount_point_of(struct lx_inode *root);
/* Is ip covered by a mount (rmdir, rename: EBUSY)? */
bool mount_is_point(const struct lx_inode *ip);
/* The mount whose inodes have st_dev dev (/ when none). */
const struct lx_mount *mount_of_dev(uint32_t dev);
/* mount(2) and umount2(2) with the arguments copied in: 0 or -errno. */
long fs_mount(struct lx_proc *p, const char *source, const char *target, const char *type, unsigned long flags);
long fs_umount(struct lx_proc *p, const char *target, unsigned flags);
/* At start (fs_init): the table's / and procfs on /proc. */
long mount_init(void);

/* ---- procfs (procfs.c; the interface for other parts: fs/procfs.h) ---- */
long procfs_init(void);
struct lx_inode *procfs_root(void);
/* Lookup and listing in a procfs directory (dir_lookup and getdents64 call these). */
struct lx_inode *procfs_lookup(struct lx_inode *dir, const char *name, size_t name_len);
/* The k-th entry (from 0) of a procfs directory: 0 with *name and *ip, or -1 after the last. */
int procfs_readdir(struct lx_inode *dir, uint64_t k, char *name, struct lx_inode **ip);
/* The name of a procfs inode in its directory (path_of_dir): 0 or -LX_ENOENT. */
long procfs_name(struct lx_inode *ip, char *buf, size_t size);
extern const struct lx_file_ops procfs_file_ops;
/* For sendfile: the bytes of an open procfs file (generated at open). */
bool procfs_file_data(struct lx_file *f, const uint8_t **data, size_t *size);

#endif
