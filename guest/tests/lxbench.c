/* lxbench: guest benchmarks timed with rdtsc: getpid, an unknown system call, fork + exit + wait. */
#include "lt.h"

const char lt_name[] = "lxbench";

enum { WARMUP = 200, ROUNDS = 2000, FORKS = 200 };

static uint64_t samples[ROUNDS];

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi)::"memory");
	return ((uint64_t)hi << 32) | lo;
}

static void sort(uint64_t *a, int n)
{
	for (int i = 1; i < n; i++) {
		uint64_t v = a[i];
		int j = i;
		while (j > 0 && a[j - 1] > v) {
			a[j] = a[j - 1];
			j--;
		}
		a[j] = v;
	}
}

static void report(const char *name, int n)
{
	sort(samples, n);
	lt_printf("lxbench: %s median=%lu min=%lu rounds=%d\n", name, (unsigned long)samples[n / 2],
		  (unsigned long)samples[0], n);
}

int main(void)
{
	for (int i = 0; i < WARMUP + ROUNDS; i++) {
		uint64_t t0 = rdtsc();
		sys_getpid();
		uint64_t t1 = rdtsc();
		if (i >= WARMUP)
			samples[i - WARMUP] = t1 - t0;
	}
	report("getpid", ROUNDS);
	for (int i = 0; i < WARMUP + ROUNDS; i++) {
		uint64_t t0 = rdtsc();
		lt_syscall(500, 0, 0, 0);
		uint64_t t1 = rdtsc();
		if (i >= WARMUP)
			samples[i - WARMUP] = t1 - t0;
	}
	report("enosys", ROUNDS);
	for (int i = 0; i < FORKS; i++) {
		uint64_t t0 = rdtsc();
		long pid = sys_fork();
		if (pid == 0)
			sys_exit(0);
		int status;
		if (pid < 0 || sys_wait4((int)pid, &status, 0, 0) != pid) {
			lt_printf("lxbench: FAIL fork/wait\n");
			return 1;
		}
		samples[i] = rdtsc() - t0;
	}
	report("fork_exit_wait", FORKS);
	lt_printf("lxbench: done\n");
	/* the scenario ends when the benchmark has run */
	if (sys_getpid() == 1)
		sys_reboot(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_POWER_OFF);
	return 0;
}
