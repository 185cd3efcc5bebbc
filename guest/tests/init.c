/*
 * init: the guest's /init in the `lx` scenario (rdinit=/init).
 *
 * Runs each test program (/bin/NAME) in turn with fork + execve + wait4 and
 * reports "init: NAME exited with status N" (or "killed by signal N"; a
 * failure adds "init: FAIL NAME ..."), then a few busybox commands the same
 * way, prints "init: all done" and powers off with reboot(2), which ends
 * lx and the scenario. If reboot returns, it exits.
 *
 * On the host: `build/guest/tests/init build/guest/rootfs` runs everything
 * under that directory instead of / (the paths and the file arguments get
 * the prefix); it powers off only as pid 1.
 */
#include "lt.h"

const char lt_name[] = "init";

static const char *const tests[] = {"forktree", "cow", "execargs", "execimage", "memtest", "badptr", "segv", "enosys", "sighandler", "sigfault", "sigproc", "sigpipe", "fstest", "polltest", "cputime", "modtest"};
#define NTESTS (sizeof tests / sizeof tests[0])

static char *const env[] = {"PATH=/bin", "HOME=/", "TERM=linux", NULL};
static const char *prefix = "";
static int failures;

static char *path(char *buf, size_t size, const char *p)
{
	lt_snprintf(buf, size, "%s%s", prefix, p);
	return buf;
}

/* fork + execve(file, argv) + wait4; reports and returns the wait status */
static long run(const char *label, const char *file, char *const argv[])
{
	long pid = sys_fork();
	if (pid == 0) {
		long r = sys_execve(file, argv, env);
		lt_printf("init: execve(%s) failed: %ld\n", file, r);
		sys_exit(127);
	}
	if (pid < 0) {
		lt_printf("init: FAIL %s: fork failed: %ld\n", label, pid);
		failures++;
		return pid;
	}
	int status = 0;
	long r;
	do
		r = sys_wait4((int)pid, &status, 0, NULL);
	while (r == -EINTR);
	char buf[64];
	if (r != pid) {
		lt_printf("init: FAIL %s: wait4(%ld) returned %ld\n", label, pid, r);
		failures++;
		return r < 0 ? r : -ECHILD;
	}
	lt_printf("init: %s %s\n", label, lt_status_text(status, buf, sizeof buf));
	if (status != 0) {
		lt_printf("init: FAIL %s (%s)\n", label, buf);
		failures++;
	}
	return status;
}

int main(int argc, char **argv)
{
	if (argc > 1)
		prefix = argv[1];
	long me = sys_getpid();
	lt_printf("init: started (pid %ld)\n", me);

	char file[256], arg[256];
	int passed = 0;
	for (unsigned i = 0; i < NTESTS; i++) {
		char bin[64];
		lt_snprintf(bin, sizeof bin, "/bin/%s", tests[i]);
		path(file, sizeof file, bin);
		char *targv[] = {file, NULL};
		if (run(tests[i], file, targv) == 0)
			passed++;
	}
	lt_printf("init: %d of %d test programs passed\n", passed, (int)NTESTS);

	path(file, sizeof file, "/bin/busybox");
	char *echo[] = {"/bin/busybox", "echo", "hello from busybox", NULL};
	run("busybox echo", file, echo);
	char *ls[] = {"/bin/busybox", "ls", "-l", path(arg, sizeof arg, "/"), NULL};
	run("busybox ls", file, ls);
	char *cat[] = {"/bin/busybox", "cat", path(arg, sizeof arg, "/etc/motd"), NULL};
	run("busybox cat", file, cat);
	char *sh[] = {"/bin/busybox", "sh", "-c", "for i in 1 2 3; do echo $i; done", NULL};
	run("busybox sh", file, sh);

	lt_printf("init: all done%s\n", failures ? " (with failures: see the 'init: FAIL' lines)" : "");
	if (me != 1) {
		lt_printf("init: not pid 1, so no power-off\n");
		return failures ? 1 : 0;
	}
	long r = sys_reboot(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_POWER_OFF);
	lt_printf("init: reboot returned %ld\n", r);
	return 0;
}
