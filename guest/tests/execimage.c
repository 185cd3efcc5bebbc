/*
 * execimage: execve loads a program's pages on demand from a snapshot of
 * the file, so what the program sees is the file as it was at execve.
 *
 * The parent copies its own binary to /tmp/execimage.prog and runs the copy
 * with "--child". The exec'd program checks that the bss after its
 * initialized data is zero and the data holds its initial values; then it
 * truncates and overwrites its own file with 0xff bytes and unlinks it, and
 * only then reads a 64 KiB table of constants (16 pages it has not touched
 * before) and checks every entry; it exits with 53. The parent checks that
 * code and that the file is gone.
 *
 * Processes running the same file share its read-only pages: the parent
 * reads the table, then runs itself with "--scribble", which makes the
 * table's pages writable with mprotect, overwrites them and checks that it
 * sees its own bytes (exit 54); the parent's table must be intact after.
 *
 * Then execve of an empty executable file and of a file with a broken ELF
 * header gives -ENOEXEC, and the caller goes on.
 */
#include "lt.h"

const char lt_name[] = "execimage";

#define CHILD_OK 53
#define SCRIBBLE_OK 54
#define COPY "/tmp/execimage.prog"
#define BAD "/tmp/execimage.bad"
#define O_WRONLY 01
#define O_CREAT 0100
#define O_TRUNC 01000
#define ENOEXEC 8
enum { SYS_unlink = 87 };

/* 16,384 words, each a function of its index: pages of .rodata to touch late */
#define K 2654435761u
#define T1(i) ((uint32_t)((i) * K + 7))
#define T4(i) T1(i), T1((i) + 1), T1((i) + 2), T1((i) + 3)
#define T16(i) T4(i), T4((i) + 4), T4((i) + 8), T4((i) + 12)
#define T64(i) T16(i), T16((i) + 16), T16((i) + 32), T16((i) + 48)
#define T256(i) T64(i), T64((i) + 64), T64((i) + 128), T64((i) + 192)
#define T1024(i) T256(i), T256((i) + 256), T256((i) + 512), T256((i) + 768)
#define T4096(i) T1024(i), T1024((i) + 1024), T1024((i) + 2048), T1024((i) + 3072)
#define TABLE_N 16384
static const uint32_t table[TABLE_N] = {T4096(0), T4096(4096), T4096(8192), T4096(12288)};

static volatile uint64_t data_words[4] = {0x1122334455667788ull, 2, 3, 4};
static volatile unsigned char bss_bytes[5000];

static long open_mode(const char *path, int flags, int mode)
{
	return lt_syscall6(SYS_openat, AT_FDCWD, (long)path, flags, mode, 0, 0);
}

static int child(const char *self)
{
	int zero = 1;
	for (unsigned i = 0; i < sizeof(bss_bytes); i++)
		zero &= bss_bytes[i] == 0;
	lt_check(zero, "exec'd: the bss is zero");
	lt_check(data_words[0] == 0x1122334455667788ull && data_words[3] == 4, "exec'd: the data has its initial values");

	/* the file changes under the running program, then goes */
	long fd = open_mode(self, O_WRONLY | O_TRUNC, 0);
	if (lt_check(fd >= 0, "exec'd: open own file for writing (%ld)", fd)) {
		static unsigned char junk[4096];
		memset(junk, 0xff, sizeof(junk));
		long total = 0;
		for (int i = 0; i < 40; i++)
			total += sys_write((int)fd, junk, sizeof(junk));
		lt_check_eq(total, 40 * 4096, "exec'd: overwrite own file");
		sys_close((int)fd);
	}
	lt_check_eq(lt_syscall(SYS_unlink, self, 0, 0), 0, "exec'd: unlink own file");

	int bad = -1;
	for (int i = 0; i < TABLE_N && bad < 0; i++)
		if (table[i] != T1((uint32_t)i))
			bad = i;
	lt_check(bad < 0, "exec'd: 64 KiB of constants first touched after the file changed are intact (first bad: %d)",
		 bad);
	return lt_failures() ? 1 : CHILD_OK;
}

static int table_bad(void)
{
	for (int i = 0; i < TABLE_N; i++)
		if (table[i] != T1((uint32_t)i))
			return i;
	return -1;
}

static int scribble(void)
{
	if (table_bad() >= 0) /* read first: the pages are then the ones shared with the parent */
		return 4;
	unsigned long lo = (unsigned long)table & ~(PAGE_SIZE - 1);
	unsigned long hi = ((unsigned long)(table + TABLE_N) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	if (sys_mprotect((void *)lo, hi - lo, PROT_READ | PROT_WRITE))
		return 2;
	/* the compiler must not know that this points at a const object */
	uint32_t *table_rw;
	__asm__("" : "=r"(table_rw) : "0"(table));
	volatile uint32_t *t = table_rw;
	for (int i = 0; i < TABLE_N; i++)
		t[i] = ~T1((uint32_t)i);
	for (int i = 0; i < TABLE_N; i++)
		if (t[i] != ~T1((uint32_t)i))
			return 3;
	return SCRIBBLE_OK;
}

static int copy_file(const char *from, const char *to)
{
	long in = sys_open(from, O_RDONLY);
	long out = open_mode(to, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	static char buf[4096];
	long n = -1;
	if (in >= 0 && out >= 0)
		while ((n = sys_read((int)in, buf, sizeof(buf))) > 0)
			if (sys_write((int)out, buf, (size_t)n) != n) {
				n = -1;
				break;
			}
	if (in >= 0)
		sys_close((int)in);
	if (out >= 0)
		sys_close((int)out);
	return n == 0 ? 0 : -1;
}

static long run(const char *path, const char *how, int *status)
{
	char *cargv[] = {(char *)path, (char *)how, NULL};
	char *cenvp[] = {NULL};
	long pid = sys_fork();
	if (pid == 0) {
		long r = sys_execve(path, cargv, cenvp);
		lt_printf("execimage: execve(%s) failed: %ld\n", path, r);
		sys_exit(2);
	}
	if (pid < 0)
		return pid;
	return sys_wait4((int)pid, status, 0, NULL);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--child"))
		return child(argv[0]);
	if (argc > 1 && !strcmp(argv[1], "--scribble"))
		return scribble();

	if (lt_check(copy_file(argv[0], COPY) == 0, "copy %s to " COPY, argv[0])) {
		int status = -1;
		long w = run(COPY, "--child", &status);
		lt_check(w > 0, "fork + wait4 (%ld)", w);
		lt_check(status == CHILD_OK << 8, "the program ran from its snapshot (wait status 0x%x)", status);
		lt_check_eq(sys_open(COPY, O_RDONLY), -ENOENT, "the program removed its file");
	}

	int bad = table_bad();
	lt_check(bad < 0, "the table reads as built (first bad: %d)", bad);
	int status = -1;
	long w = run(argv[0], "--scribble", &status);
	lt_check(w > 0 && status == SCRIBBLE_OK << 8,
		 "a process running this program made its table writable and overwrote it (wait status 0x%x)", status);
	bad = table_bad();
	lt_check(bad < 0, "this process's table is intact after that (first bad: %d)", bad);

	char *cargv[] = {BAD, NULL};
	char *cenvp[] = {NULL};
	long fd = open_mode(BAD, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if (lt_check(fd >= 0, "create " BAD " (%ld)", fd))
		sys_close((int)fd);
	lt_check_eq(sys_execve(BAD, cargv, cenvp), -ENOEXEC, "execve of an empty file gives -ENOEXEC");
	fd = open_mode(BAD, O_WRONLY | O_TRUNC, 0);
	if (fd >= 0) {
		static const char head[] = "\177ELF\2\1\1\0garbage, not a program header table";
		sys_write((int)fd, head, sizeof(head));
		sys_close((int)fd);
	}
	lt_check_eq(sys_execve(BAD, cargv, cenvp), -ENOEXEC, "execve of a broken ELF header gives -ENOEXEC");
	lt_syscall(SYS_unlink, BAD, 0, 0);
	lt_check_eq(sys_getpid(), sys_getpid(), "still running after the failed execve calls");
	return lt_finish();
}
