/* Program start: tell the kernel info page from a launcher environment, build argv, run main. */
#include "stdlib.h"
#include "l4.h"
#include "pecan/rt/env.h"

int main(int argc, char **argv);

const struct pecan_env *__pecan_env; /* NULL in a boot program */

enum { ARGV_MAX = 64 };

/* Splits a copy of s at blanks into argv (boot programs: the scenario's arguments). */
static int split_blanks(const char *s, char *buf, size_t size, char **argv, int argc)
{
	size_t n = 0;
	while (*s && argc < ARGV_MAX) {
		while (*s == ' ')
			s++;
		if (!*s)
			break;
		argv[argc++] = &buf[n];
		while (*s && *s != ' ' && n + 1 < size)
			buf[n++] = *s++;
		buf[n++] = 0;
	}
	return argc;
}

void __libc_start(const void *boot) __attribute__((noreturn));
void __libc_start(const void *boot)
{
	static char *argv[ARGV_MAX + 1];
	static char buf[PECAN_KIP_ARGS_MAX + 16];
	int argc = 0;
	if (!boot)
		boot = (const void *)PECAN_ENV_ADDR; /* launched by the roottask (env.h) */
	if (*(const uint64_t *)boot == PECAN_ENV_MAGIC) {
		const struct pecan_env *env = boot;
		__pecan_env = env;
		const char *p = env->args, *end = env->args + env->args_len;
		for (uint32_t i = 0; i < env->argc && p < end && argc < ARGV_MAX; i++) {
			argv[argc++] = (char *)p;
			while (p < end && *p)
				p++;
			p++;
		}
	} else {
		argv[argc++] = "boot-program";
		if (boot && *(const uint64_t *)boot == PECAN_KIP_MAGIC)
			argc = split_blanks(((const struct pecan_kip *)boot)->args, buf, sizeof(buf), argv, argc);
	}
	argv[argc] = 0;
	exit(main(argc, argv));
}
