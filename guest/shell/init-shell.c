/*
 * init-shell: the guest's init in the `shell` scenario (`make run`;
 * rdinit=/sbin/init-shell in conf/shell.cfg). docs/shell.md.
 *
 * As pid 1 it
 *   1. runs /etc/init.d/rcS with /bin/sh (mounts /proc, /dev, /tmp where
 *      lx can, prints the banner);
 *   2. starts an interactive login shell, `-sh` (/bin/sh, busybox ash), on
 *      the console in a session of its own that has the console as its
 *      controlling terminal (setsid + TIOCSCTTY), and starts a new one
 *      whenever it exits (after a pause of a second if it lived less than
 *      two: a shell that cannot start must not spin);
 *   3. reaps every orphan meanwhile;
 *   4. powers off (reboot(2), which ends lx and the scenario) when busybox's
 *      `poweroff`, `halt` or `reboot` asks init to: they send pid 1
 *      SIGUSR2, SIGUSR1 or SIGTERM. lx has no reboot: all three power off.
 *      `poweroff -f` calls reboot(2) itself.
 *
 * It is a small static program rather than a shell script because a shell
 * runs a trap only once its foreground command has ended: a script as init
 * would notice `poweroff` only after the interactive shell had exited.
 */
#include "lt.h"

const char lt_name[] = "init-shell";

enum {
	NR_rt_sigaction = 13, NR_ioctl = 16, NR_setsid = 112, NR_sync = 162, NR_clock_gettime = 228,
	SIGUSR1 = 10, SIGUSR2 = 12, SIGTERM = 15,
	SA_RESTORER = 0x04000000,
	TIOCSCTTY = 0x540e,
	CLOCK_MONOTONIC = 1,
};

static char *const env[] = {"HOME=/root", "PATH=/sbin:/usr/sbin:/bin:/usr/bin", "TERM=vt100", "SHELL=/bin/sh",
			    "USER=root", "LOGNAME=root", NULL};

static volatile int shutdown_signal;

static void on_shutdown(int sig)
{
	shutdown_signal = sig;
}

/* returning from a handler: rt_sigreturn */
void init_restorer(void);
__asm__(".text\n.globl init_restorer\ninit_restorer:\n\tmov $15, %eax\n\tsyscall\n\thlt\n");

struct k_sigaction {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	unsigned long mask;
};

static void catch_signal(int sig)
{
	/* no SA_RESTART: wait4 returns EINTR and the loop sees the flag */
	struct k_sigaction sa = {on_shutdown, SA_RESTORER, init_restorer, 0};
	lt_syscall6(NR_rt_sigaction, sig, (long)&sa, 0, sizeof(sa.mask), 0, 0);
}

static long seconds_now(void)
{
	long ts[2] = {0, 0};
	lt_syscall(NR_clock_gettime, CLOCK_MONOTONIC, ts, 0);
	return ts[0];
}

static void pause_seconds(long s)
{
	long ts[2] = {s, 0};
	lt_syscall(SYS_nanosleep, ts, 0, 0);
}

static long spawn(const char *file, char *const argv[], int login)
{
	long pid = sys_fork();
	if (pid == 0) {
		if (login) {
			lt_syscall(NR_setsid, 0, 0, 0);
			lt_syscall(NR_ioctl, 0, TIOCSCTTY, 0);
		}
		long r = sys_execve(file, argv, env);
		lt_printf("init-shell: cannot run %s: error %ld\n", file, -r);
		sys_exit(127);
	}
	if (pid < 0)
		lt_printf("init-shell: cannot fork: error %ld\n", -pid);
	return pid;
}

/* Waits until child ends (reaping the others on the way); 0 when a shutdown signal came first. */
static int wait_for(long child, int *status)
{
	for (;;) {
		if (shutdown_signal)
			return 0;
		long r = sys_wait4(-1, status, 0, NULL);
		if (r == child)
			return 1;
		if (r == -ECHILD)
			return 1; /* it is gone (should not happen) */
	}
}

int main(void)
{
	catch_signal(SIGUSR1);
	catch_signal(SIGUSR2);
	catch_signal(SIGTERM);

	int status;
	char *rcs[] = {"sh", "/etc/init.d/rcS", NULL};
	long pid = spawn("/bin/sh", rcs, 0);
	if (pid > 0)
		wait_for(pid, &status);

	char *shell[] = {"-sh", NULL};
	while (!shutdown_signal) {
		long started = seconds_now();
		pid = spawn("/bin/sh", shell, 1);
		if (pid < 0) {
			pause_seconds(1);
			continue;
		}
		if (!wait_for(pid, &status))
			break;
		char buf[64];
		lt_printf("init-shell: the shell %s; starting a new one\n", lt_status_text(status, buf, sizeof buf));
		if (seconds_now() - started < 2)
			pause_seconds(1);
	}
	const char *why = shutdown_signal == SIGUSR2 ? "poweroff" : shutdown_signal == SIGUSR1 ? "halt" : "reboot";
	lt_printf("init-shell: %s: powering off\n", why);
	lt_syscall(NR_sync, 0, 0, 0);
	long r = sys_reboot(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_POWER_OFF);
	lt_printf("init-shell: reboot returned %ld\n", r);
	return 1;
}
