/*
 * fstest: file-system calls and their errors: open's flags (O_CREAT,
 * O_EXCL, O_TRUNC, O_APPEND, O_DIRECTORY), ENOENT, EEXIST, ENOTDIR,
 * EISDIR, ENOTEMPTY, EBADF, EFAULT, EINVAL; fcntl (F_DUPFD,
 * F_DUPFD_CLOEXEC, F_GETFD/F_SETFD, F_GETFL/F_SETFL); O_CLOEXEC across
 * execve (the program runs itself as the checker); pread/pwrite,
 * readv/writev; rename, link, symlink/readlink, truncate/ftruncate, statfs.
 * Works in /tmp/fstest.PID, removed at the end.
 */
#include "lt.h"

const char lt_name[] = "fstest";

enum {
	SYS_open = 2, SYS_fstat = 5, SYS_pread64 = 17, SYS_pwrite64 = 18, SYS_readv = 19, SYS_writev = 20,
	SYS_dup = 32, SYS_fcntl = 72, SYS_truncate = 76, SYS_ftruncate = 77, SYS_rename = 82, SYS_mkdir = 83,
	SYS_rmdir = 84, SYS_link = 86, SYS_unlink = 87, SYS_symlink = 88, SYS_readlink = 89, SYS_statfs = 137,
};
enum { ENOTDIR = 20, EISDIR = 21, EEXIST = 17, ENOTEMPTY = 39 };
enum {
	O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0100, O_EXCL = 0200, O_TRUNC = 01000, O_APPEND = 02000,
	O_NONBLOCK = 04000, O_DIRECTORY = 0200000, O_CLOEXEC = 02000000,
};
enum { F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, F_DUPFD_CLOEXEC = 1030, FD_CLOEXEC = 1 };

static char dir[64];

static char *at(const char *name)
{
	static char buf[4][128];
	static int k;
	k = (k + 1) % 4;
	lt_snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
	return buf[k];
}

static long open3(const char *path, int flags, int mode) { return lt_syscall(SYS_open, path, flags, mode); }
static long fcntl(int fd, int cmd, long arg) { return lt_syscall(SYS_fcntl, fd, cmd, arg); }

/* st_size and st_nlink of the x86-64 struct stat */
static long fsize(int fd)
{
	unsigned long st[18];
	long r = lt_syscall(SYS_fstat, fd, st, 0);
	return r < 0 ? r : (long)st[6];
}
static long fnlink(int fd)
{
	unsigned long st[18];
	long r = lt_syscall(SYS_fstat, fd, st, 0);
	return r < 0 ? r : (long)st[2];
}

static long put(const char *path, const char *text, int flags)
{
	long fd = open3(path, O_WRONLY | O_CREAT | flags, 0644);
	if (fd < 0)
		return fd;
	long r = sys_write((int)fd, text, strlen(text));
	sys_close((int)fd);
	return r;
}

/* The bytes of path (NUL-terminated) in buf. */
static long get(const char *path, char *buf, size_t size)
{
	long fd = sys_open(path, O_RDONLY);
	if (fd < 0)
		return fd;
	long n = sys_read((int)fd, buf, size - 1);
	sys_close((int)fd);
	buf[n < 0 ? 0 : n] = 0;
	return n;
}

/* After execve: fd a (opened with O_CLOEXEC) must be closed, fd b (without) open. */
static int exec_child(const char *a, const char *b)
{
	int ca = 0, cb = 0;
	for (; *a; a++)
		ca = ca * 10 + (*a - '0');
	for (; *b; b++)
		cb = cb * 10 + (*b - '0');
	lt_check_eq(fcntl(ca, F_GETFD, 0), -EBADF, "after execve the O_CLOEXEC descriptor %d is closed", ca);
	lt_check_eq(fcntl(cb, F_GETFD, 0), 0, "after execve the other descriptor %d is open", cb);
	return lt_failures() ? 1 : 0; /* the parent reports PASS or FAIL */
}

static void errors(void)
{
	char buf[16];
	lt_check_eq(sys_open(at("none"), O_RDONLY), -ENOENT, "open of a missing file: ENOENT");
	lt_check_eq(put(at("f"), "hello", 0), 5, "create f");
	lt_check_eq(open3(at("f"), O_WRONLY | O_CREAT | O_EXCL, 0644), -EEXIST, "O_CREAT | O_EXCL of f: EEXIST");
	lt_check_eq(lt_syscall(SYS_mkdir, at("f"), 0755, 0), -EEXIST, "mkdir of an existing name: EEXIST");
	lt_check_eq(sys_open(at("f/x"), O_RDONLY), -ENOTDIR, "f/x: ENOTDIR");
	lt_check_eq(open3(at("f"), O_RDONLY | O_DIRECTORY, 0), -ENOTDIR, "O_DIRECTORY of a file: ENOTDIR");
	lt_check_eq(lt_syscall(SYS_mkdir, at("d"), 0755, 0), 0, "mkdir d");
	lt_check_eq(open3(at("d"), O_WRONLY, 0), -EISDIR, "a directory opened for writing: EISDIR");
	lt_check_eq(lt_syscall(SYS_unlink, at("d"), 0, 0), -EISDIR, "unlink of a directory: EISDIR");
	lt_check_eq(put(at("d/in"), "x", 0), 1, "a file in d");
	lt_check_eq(lt_syscall(SYS_rmdir, at("d"), 0, 0), -ENOTEMPTY, "rmdir of a non-empty directory: ENOTEMPTY");
	lt_check_eq(lt_syscall(SYS_rmdir, at("f"), 0, 0), -ENOTDIR, "rmdir of a file: ENOTDIR");
	lt_check_eq(sys_read(60, buf, 1), -EBADF, "read of a closed descriptor: EBADF");
	lt_check_eq(sys_close(60), -EBADF, "close of a closed descriptor: EBADF");
	long fd = sys_open(at("f"), O_RDONLY);
	lt_check_eq(sys_write((int)fd, "x", 1), -EBADF, "write to a read-only descriptor: EBADF");
	lt_check_eq(sys_read((int)fd, (void *)8, 4), -EFAULT, "read into a bad buffer: EFAULT");
	lt_check_eq(sys_open((const char *)8, O_RDONLY), -EFAULT, "open of a bad path pointer: EFAULT");
	lt_check_eq(sys_lseek((int)fd, 0, 7), -EINVAL, "lseek with a bad whence: EINVAL");
	lt_check_eq(fcntl((int)fd, 9999, 0), -EINVAL, "an unknown fcntl command: EINVAL");
	lt_check_eq(lt_syscall(SYS_readlink, at("f"), buf, sizeof buf), -EINVAL, "readlink of a file: EINVAL");
	sys_close((int)fd);
}

static void flags_and_fcntl(void)
{
	char buf[64];
	long fd = open3(at("f"), O_RDWR | O_APPEND, 0);
	lt_check_eq(sys_write((int)fd, " world", 6), 6, "O_APPEND write");
	get(at("f"), buf, sizeof buf);
	lt_check(!strcmp(buf, "hello world"), "O_APPEND wrote at the end (\"%s\")", buf);
	lt_check_eq(fcntl((int)fd, F_GETFL, 0) & (O_RDWR | O_APPEND | O_NONBLOCK), O_RDWR | O_APPEND, "F_GETFL");
	lt_check_eq(fcntl((int)fd, F_SETFL, O_NONBLOCK), 0, "F_SETFL O_NONBLOCK (clears O_APPEND)");
	lt_check_eq(fcntl((int)fd, F_GETFL, 0) & (O_APPEND | O_NONBLOCK), O_NONBLOCK, "F_GETFL after it");
	long d = fcntl((int)fd, F_DUPFD, 20);
	lt_check(d >= 20, "F_DUPFD 20 gives a descriptor >= 20 (%ld)", d);
	lt_check_eq(fcntl((int)d, F_GETFD, 0), 0, "without FD_CLOEXEC");
	long e = fcntl((int)fd, F_DUPFD_CLOEXEC, 0);
	lt_check(e >= 0, "F_DUPFD_CLOEXEC (%ld)", e);
	lt_check_eq(fcntl((int)e, F_GETFD, 0), FD_CLOEXEC, "with FD_CLOEXEC");
	lt_check_eq(fcntl((int)d, F_SETFD, FD_CLOEXEC), 0, "F_SETFD");
	lt_check_eq(fcntl((int)d, F_GETFD, 0), FD_CLOEXEC, "F_GETFD after F_SETFD");
	lt_check_eq(fcntl(60, F_GETFD, 0), -EBADF, "fcntl of a closed descriptor: EBADF");
	sys_close((int)d);
	sys_close((int)e);
	sys_close((int)fd);

	fd = open3(at("f"), O_WRONLY | O_TRUNC, 0);
	lt_check_eq(fsize((int)fd), 0, "O_TRUNC empties the file");
	sys_close((int)fd);
}

static void positioned_and_vectors(void)
{
	char buf[32];
	long fd = open3(at("p"), O_RDWR | O_CREAT, 0644);
	lt_check_eq(sys_write((int)fd, "0123456789", 10), 10, "write 10 bytes");
	lt_check_eq(lt_syscall6(SYS_pwrite64, fd, (long)"AB", 2, 4, 0, 0), 2, "pwrite at 4");
	lt_check_eq(sys_lseek((int)fd, 0, 1), 10, "pwrite left the offset");
	memset(buf, 0, sizeof buf);
	lt_check_eq(lt_syscall6(SYS_pread64, fd, (long)buf, 6, 2, 0, 0), 6, "pread 6 at 2");
	lt_check(!memcmp(buf, "23AB67", 6), "pread sees the pwrite (\"%s\")", buf);
	lt_check_eq(lt_syscall6(SYS_pread64, fd, (long)buf, 6, -1, 0, 0), -EINVAL, "pread at -1: EINVAL");
	struct { const void *base; unsigned long len; } iov[3] = {{"ab", 2}, {"", 0}, {"cde", 3}};
	lt_check_eq(lt_syscall(SYS_writev, fd, iov, 3), 5, "writev of 2 + 0 + 3 bytes");
	char x[3], y[4];
	struct { void *base; unsigned long len; } rv[2] = {{x, 3}, {y, 4}};
	sys_lseek((int)fd, 8, 0);
	lt_check_eq(lt_syscall(SYS_readv, fd, rv, 2), 7, "readv of 3 + 4 bytes");
	lt_check(!memcmp(x, "89a", 3) && !memcmp(y, "bcde", 4), "readv filled both buffers");
	lt_check_eq(lt_syscall(SYS_ftruncate, fd, 4, 0), 0, "ftruncate to 4");
	lt_check_eq(fsize((int)fd), 4, "the size is 4");
	lt_check_eq(lt_syscall(SYS_truncate, at("p"), 100, 0), 0, "truncate to 100");
	lt_check_eq(fsize((int)fd), 100, "the size is 100");
	memset(buf, 1, sizeof buf);
	lt_check_eq(lt_syscall6(SYS_pread64, fd, (long)buf, 4, 50, 0, 0), 4, "pread of the grown part");
	lt_check(buf[0] == 0 && buf[3] == 0, "which reads zeros");
	lt_check_eq(lt_syscall(SYS_truncate, at("d"), 0, 0), -EISDIR, "truncate of a directory: EISDIR");
	sys_close((int)fd);
}

static void names(void)
{
	char buf[64];
	lt_check_eq(put(at("a"), "AAA", 0), 3, "create a");
	lt_check_eq(lt_syscall(SYS_rename, at("a"), at("b"), 0), 0, "rename a to b");
	lt_check_eq(sys_open(at("a"), O_RDONLY), -ENOENT, "a is gone");
	lt_check_eq(get(at("b"), buf, sizeof buf), 3, "b has a's bytes");
	lt_check_eq(lt_syscall(SYS_rename, at("none"), at("c"), 0), -ENOENT, "rename of a missing name: ENOENT");
	lt_check_eq(lt_syscall(SYS_rename, at("d"), at("b"), 0), -ENOTDIR, "rename of a directory over a file: ENOTDIR");
	lt_check_eq(lt_syscall(SYS_mkdir, at("e"), 0755, 0), 0, "mkdir e");
	lt_check_eq(lt_syscall(SYS_rename, at("e"), at("d"), 0), -ENOTEMPTY, "rename over a non-empty directory");
	lt_check_eq(lt_syscall(SYS_rename, at("b"), at("e"), 0), -EISDIR, "rename of a file over a directory: EISDIR");
	lt_check_eq(lt_syscall(SYS_rmdir, at("e"), 0, 0), 0, "rmdir e");

	lt_check_eq(lt_syscall(SYS_link, at("b"), at("h"), 0), 0, "link b h");
	lt_check_eq(lt_syscall(SYS_link, at("b"), at("h"), 0), -EEXIST, "link to an existing name: EEXIST");
	long fd = sys_open(at("h"), O_RDONLY);
	lt_check_eq(fnlink((int)fd), 2, "two names");
	lt_check_eq(lt_syscall(SYS_unlink, at("b"), 0, 0), 0, "unlink b");
	lt_check_eq(fnlink((int)fd), 1, "one name left");
	lt_check_eq(lt_syscall(SYS_unlink, at("h"), 0, 0), 0, "unlink h");
	lt_check_eq(sys_read((int)fd, buf, sizeof buf), 3, "an unlinked open file is still readable");
	sys_close((int)fd);

	lt_check_eq(lt_syscall(SYS_symlink, "d/in", at("s"), 0), 0, "symlink s -> d/in");
	long n = lt_syscall(SYS_readlink, at("s"), buf, sizeof buf);
	lt_check(n == 4 && !memcmp(buf, "d/in", 4), "readlink gives d/in (%ld)", n);
	lt_check_eq(get(at("s"), buf, sizeof buf), 1, "the link leads to d/in");
	lt_check_eq(lt_syscall(SYS_symlink, "x", at("s"), 0), -EEXIST, "symlink over an existing name: EEXIST");
	lt_check_eq(lt_syscall(SYS_readlink, at("none"), buf, sizeof buf), -ENOENT, "readlink of nothing: ENOENT");
}

static void file_systems(void)
{
	unsigned long sf[15];
	lt_check_eq(lt_syscall(SYS_statfs, dir, sf, 0), 0, "statfs of the directory");
	lt_check(sf[0] != 0 && sf[1] > 0, "a file-system type and block size");
	lt_check_eq(lt_syscall(SYS_statfs, "/proc", sf, 0), 0, "statfs of /proc");
	lt_check_eq((long)sf[0], 0x9fa0, "/proc is procfs (PROC_SUPER_MAGIC)");
	lt_check_eq(lt_syscall(SYS_statfs, at("none"), sf, 0), -ENOENT, "statfs of nothing: ENOENT");
	lt_check_eq(lt_syscall(SYS_statfs, at("d"), (void *)8, 0), -EFAULT, "statfs into a bad buffer: EFAULT");
}

static void cloexec_across_exec(void)
{
	long a = open3(at("d/in"), O_RDONLY | O_CLOEXEC, 0), b = sys_open(at("d/in"), O_RDONLY);
	long pid = sys_fork();
	if (pid == 0) {
		char sa[12], sb[12];
		lt_snprintf(sa, sizeof sa, "%ld", a);
		lt_snprintf(sb, sizeof sb, "%ld", b);
		char *argv[] = {lt_argv[0], "--exec-child", sa, sb, NULL};
		sys_execve(lt_argv[0], argv, lt_envp);
		sys_exit(127);
	}
	int st = -1;
	sys_wait4((int)pid, &st, 0, NULL);
	lt_check_eq(st, 0, "the execed checker (%s) passed", lt_argv[0]);
	sys_close((int)a);
	sys_close((int)b);
}

static void cleanup(void)
{
	static const char *const files[] = {"f", "p", "s", "d/in"};
	for (unsigned i = 0; i < sizeof files / sizeof files[0]; i++)
		lt_syscall(SYS_unlink, at(files[i]), 0, 0);
	lt_syscall(SYS_rmdir, at("d"), 0, 0);
	lt_check_eq(lt_syscall(SYS_rmdir, dir, 0, 0), 0, "the work directory is empty at the end");
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "--exec-child"))
		return exec_child(argv[2], argv[3]);
	lt_snprintf(dir, sizeof dir, "/tmp/fstest.%ld", sys_getpid());
	lt_check_eq(lt_syscall(SYS_mkdir, dir, 0700, 0), 0, "mkdir %s", dir);
	errors();
	flags_and_fcntl();
	positioned_and_vectors();
	names();
	file_systems();
	cloexec_across_exec();
	cleanup();
	return lt_finish();
}
