/*
 * execargs: execve passes argv, envp and the auxiliary vector.
 *
 * The parent forks a child that execs this same program (argv[0] is its
 * path) with "--child", an argument with a blank, an empty argument and a
 * long one, and an environment of its own. The exec'd program checks
 * argc/argv/envp exactly, the initial stack (16-byte aligned at _start) and
 * the auxv: AT_PAGESZ = 4096, AT_ENTRY = _start, AT_PHDR/AT_PHENT/AT_PHNUM
 * describe program headers with a loadable executable segment holding
 * _start, AT_RANDOM points to 16 readable bytes. It exits with 51 when
 * everything matched; the parent checks that code. Also: execve of a
 * missing file gives -ENOENT, a bad path pointer -EFAULT, and the caller
 * goes on.
 */
#include "lt.h"

const char lt_name[] = "execargs";

#define CHILD_OK 51

static char long_arg[301];
static char long_env[310];

static void make_long(void)
{
	for (int i = 0; i < 300; i++)
		long_arg[i] = (char)('a' + i % 26);
	long_arg[300] = '\0';
	memcpy(long_env, "LONG=", 5);
	memcpy(long_env + 5, long_arg, 301);
}

struct elf_phdr {
	uint32_t p_type, p_flags;
	uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
};
#define PT_LOAD 1
#define PT_PHDR 6
#define PF_X 1

static int child(int argc, char **argv, char **envp)
{
	const char *want_argv[] = {argv[0], "--child", "two words", "", long_arg};
	const char *want_env[] = {"FOO=bar", "EMPTY=", long_env};
	lt_check_eq(argc, 5, "exec'd: argc");
	if (argc == 5) {
		int ok = 1;
		for (int i = 1; i < 5; i++)
			if (strcmp(argv[i], want_argv[i]))
				ok = 0;
		lt_check(ok, "exec'd: argv[1..4] as given (with a blank, an empty and a 300-byte argument)");
	}
	lt_check(argv[argc] == NULL, "exec'd: argv[argc] is NULL");
	int n = 0, ok = 1;
	for (; envp[n]; n++)
		if (n >= 3 || strcmp(envp[n], want_env[n]))
			ok = 0;
	lt_check(ok && n == 3, "exec'd: envp as given (%d strings)", n);
	lt_check((lt_initial_sp & 15) == 0, "exec'd: the stack is 16-byte aligned at _start (rsp 0x%lx)",
		 lt_initial_sp);

	int found;
	unsigned long v = lt_getauxval(AT_PAGESZ, &found);
	lt_check(found && v == 4096, "exec'd: AT_PAGESZ = %lu", v);
	v = lt_getauxval(AT_ENTRY, &found);
	lt_check(found && v == (unsigned long)_start, "exec'd: AT_ENTRY = 0x%lx is _start (%p)", v, (void *)_start);
	unsigned long phdr = lt_getauxval(AT_PHDR, &found);
	int have_phdr = found;
	unsigned long phent = lt_getauxval(AT_PHENT, &found);
	lt_check(found && phent == sizeof(struct elf_phdr), "exec'd: AT_PHENT = %lu", phent);
	unsigned long phnum = lt_getauxval(AT_PHNUM, &found);
	lt_check(found && phnum >= 1 && phnum <= 32, "exec'd: AT_PHNUM = %lu", phnum);
	if (have_phdr && phdr && phnum >= 1 && phnum <= 32) {
		const struct elf_phdr *ph = (const struct elf_phdr *)phdr;
		int text = 0, self_ok = 1;
		for (unsigned long i = 0; i < phnum; i++) {
			if (ph[i].p_type == PT_LOAD && (ph[i].p_flags & PF_X) && ph[i].p_vaddr <= (unsigned long)_start &&
			    (unsigned long)_start < ph[i].p_vaddr + ph[i].p_memsz)
				text = 1;
			if (ph[i].p_type == PT_PHDR && ph[i].p_vaddr != phdr)
				self_ok = 0;
		}
		lt_check(text && self_ok, "exec'd: AT_PHDR = 0x%lx: program headers with the executable segment", phdr);
	} else {
		lt_check(0, "exec'd: AT_PHDR present (0x%lx)", phdr);
	}
	unsigned long rnd = lt_getauxval(AT_RANDOM, &found);
	if (lt_check(found && rnd, "exec'd: AT_RANDOM = 0x%lx", rnd)) {
		const volatile unsigned char *b = (const unsigned char *)rnd;
		unsigned sum = 0, nonzero = 0;
		for (int i = 0; i < 16; i++) {
			sum += b[i];
			nonzero += b[i] != 0;
		}
		lt_check(nonzero > 0, "exec'd: the 16 AT_RANDOM bytes are readable and not all zero (sum %u)", sum);
	}
	return lt_failures() ? 1 : CHILD_OK;
}

int main(int argc, char **argv, char **envp)
{
	make_long();
	if (argc > 1 && !strcmp(argv[1], "--child"))
		return child(argc, argv, envp);

	char *cargv[] = {argv[0], "--child", "two words", "", long_arg, NULL};
	char *cenvp[] = {"FOO=bar", "EMPTY=", long_env, NULL};
	long pid = sys_fork();
	if (pid == 0) {
		long r = sys_execve(argv[0], cargv, cenvp);
		lt_printf("execargs: execve(%s) failed: %ld\n", argv[0], r);
		sys_exit(2);
	}
	if (!lt_check(pid > 0, "fork (%ld)", pid))
		return lt_finish();
	int status = -1;
	long w = sys_wait4((int)pid, &status, 0, NULL);
	lt_check_eq(w, pid, "wait4 returns the child");
	lt_check(status == CHILD_OK << 8, "the exec'd program saw its argv, envp and auxv (wait status 0x%x)",
		 status);

	lt_check_eq(sys_execve("/no/such/program", cargv, cenvp), -ENOENT, "execve of a missing file gives -ENOENT");
	lt_check_eq(sys_execve((const char *)1, cargv, cenvp), -EFAULT, "execve with a bad path pointer gives -EFAULT");
	lt_check_eq(sys_getpid(), sys_getpid(), "still running after the failed execve calls");
	return lt_finish();
}
