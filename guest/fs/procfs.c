/*
 * procfs: /proc, generated. Its inodes are made on lookup and cached (one
 * per name, so stat, open and getdents agree on the inode numbers); those
 * of a process go when the process is gone (and no open file holds them).
 * A file's text is generated when it is opened, into a buffer of the open
 * file (like Linux's seq_file): a reader sees one consistent snapshot.
 * Symbolic links (/proc/self, /proc/PID/fd/N, cwd, exe) get their target
 * anew at each lookup.
 */
#include "fs/fs.h"
#include "fs/procfs.h"
#include "format.h"
#include "mm.h"
#include "proc.h"
#include "sys_misc.h"
#include "stdlib.h"
#include "string.h"

enum { K_ROOT = 1, K_FILE, K_SELF, K_PIDDIR, K_PIDFILE, K_PIDLINK, K_FDDIR, K_FDLINK, K_ENTRY, K_EDIR };

/* ---- the text buffer ---- */

struct procfs_buf {
	char *data;
	size_t len, cap;
	bool nomem;
};

void procfs_write(struct procfs_buf *b, const void *data, size_t n)
{
	if (b->nomem)
		return;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 1024;
		while (cap < b->len + n)
			cap *= 2;
		char *d = realloc(b->data, cap);
		if (!d) {
			b->nomem = true;
			return;
		}
		b->data = d;
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, n);
	b->len += n;
}

static void buf_sink(void *ctx, char c)
{
	procfs_write(ctx, &c, 1);
}

void procfs_printf(struct procfs_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fmt_vformat(buf_sink, b, fmt, ap);
	va_end(ap);
}

/* ---- the files of /proc ---- */

static uint64_t kb(uint64_t pages) { return pages * (LX_PAGE / 1024); }

static void gen_meminfo(struct lx_proc *p, struct procfs_buf *b)
{
	(void)p;
	uint64_t total = kb(lx_pages_total()), free = kb(lx_pages_free());
	procfs_printf(b,
		      "MemTotal:       %8lu kB\nMemFree:        %8lu kB\nMemAvailable:   %8lu kB\n"
		      "Buffers:        %8lu kB\nCached:         %8lu kB\nSwapCached:     %8lu kB\n"
		      "Active:         %8lu kB\nInactive:       %8lu kB\nSwapTotal:      %8lu kB\n"
		      "SwapFree:       %8lu kB\nDirty:          %8lu kB\nShmem:          %8lu kB\n"
		      "SReclaimable:   %8lu kB\n",
		      (unsigned long)total, (unsigned long)free, (unsigned long)free, 0ul, 0ul, 0ul,
		      (unsigned long)(total - free), 0ul, 0ul, 0ul, 0ul, 0ul, 0ul);
}

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}

static const char *const flags_1d[32] = {
	"fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cx8", "apic", NULL, "sep", "mtrr", "pge", "mca",
	"cmov", "pat", "pse36", "pn", "clflush", NULL, "dts", "acpi", "mmx", "fxsr", "sse", "sse2", "ss", "ht",
	"tm", "ia64", "pbe",
};
static const char *const flags_1c[32] = {
	"pni", "pclmulqdq", "dtes64", "monitor", "ds_cpl", "vmx", "smx", "est", "tm2", "ssse3", "cid", "sdbg",
	"fma", "cx16", "xtpr", "pdcm", NULL, "pcid", "dca", "sse4_1", "sse4_2", "x2apic", "movbe", "popcnt",
	"tsc_deadline_timer", "aes", "xsave", "osxsave", "avx", "f16c", "rdrand", "hypervisor",
};
static const char *const flags_7b[32] = {
	"fsgsbase", NULL, "sgx", "bmi1", "hle", "avx2", NULL, "smep", "bmi2", "erms", "invpcid", "rtm", NULL,
	NULL, "mpx", NULL, "avx512f", "avx512dq", "rdseed", "adx", "smap", "avx512ifma", NULL, "clflushopt",
	"clwb", NULL, "avx512pf", "avx512er", "avx512cd", "sha_ni", "avx512bw", "avx512vl",
};
static const char *const flags_81d[32] = {
	[11] = "syscall", [20] = "nx", [22] = "mmxext", [25] = "fxsr_opt", [26] = "pdpe1gb", [27] = "rdtscp",
	[29] = "lm", [30] = "3dnowext", [31] = "3dnow",
};
static const char *const flags_81c[32] = {
	[0] = "lahf_lm", [1] = "cmp_legacy", [2] = "svm", [5] = "abm", [6] = "sse4a", [8] = "3dnowprefetch",
	[11] = "xop", [16] = "fma4", [21] = "tbm",
};

static void put_flags(struct procfs_buf *b, uint32_t bits, const char *const names[32])
{
	for (int i = 0; i < 32; i++)
		if ((bits & (1u << i)) && names[i])
			procfs_printf(b, " %s", names[i]);
}

static void gen_cpuinfo(struct lx_proc *p, struct procfs_buf *b)
{
	(void)p;
	uint32_t r[4], max, maxext;
	char vendor[13], model[49];
	cpuid(0, 0, r);
	max = r[0];
	memcpy(vendor, &r[1], 4);
	memcpy(vendor + 4, &r[3], 4);
	memcpy(vendor + 8, &r[2], 4);
	vendor[12] = 0;
	cpuid(0x80000000u, 0, r);
	maxext = r[0];
	memset(model, 0, sizeof(model));
	if (maxext >= 0x80000004u)
		for (uint32_t i = 0; i < 3; i++) {
			cpuid(0x80000002u + i, 0, r);
			memcpy(model + 16 * i, r, 16);
		}
	const char *m = model;
	while (*m == ' ')
		m++;
	uint32_t l1[4];
	cpuid(1, 0, l1);
	unsigned family = (l1[0] >> 8) & 0xf, mdl = (l1[0] >> 4) & 0xf, stepping = l1[0] & 0xf;
	if (family == 0xf)
		family += (l1[0] >> 20) & 0xff;
	if (family >= 6)
		mdl |= ((l1[0] >> 16) & 0xf) << 4;
	procfs_printf(b,
		      "processor\t: 0\nvendor_id\t: %s\ncpu family\t: %u\nmodel\t\t: %u\nmodel name\t: %s\n"
		      "stepping\t: %u\nphysical id\t: 0\nsiblings\t: 1\ncore id\t\t: 0\ncpu cores\t: 1\n"
		      "fpu\t\t: yes\nfpu_exception\t: yes\ncpuid level\t: %u\nwp\t\t: yes\nflags\t\t:",
		      vendor, family, mdl, *m ? m : "unknown", stepping, max);
	put_flags(b, l1[3], flags_1d);
	put_flags(b, l1[2], flags_1c);
	if (maxext >= 0x80000001u) {
		cpuid(0x80000001u, 0, r);
		put_flags(b, r[3], flags_81d);
		put_flags(b, r[2], flags_81c);
	}
	if (max >= 7) {
		cpuid(7, 0, r);
		put_flags(b, r[1], flags_7b);
	}
	procfs_printf(b, "\naddress sizes\t: 48 bits physical, 48 bits virtual\n\n");
}

static void gen_uptime(struct lx_proc *p, struct procfs_buf *b)
{
	(void)p;
	uint64_t t = lx_ticks(), idle = lx_cpustat.idle;
	procfs_printf(b, "%lu.%02lu %lu.%02lu\n", (unsigned long)(t / 100), (unsigned long)(t % 100),
		      (unsigned long)(idle / 100), (unsigned long)(idle % 100));
}

static void count_procs(unsigned *running, unsigned *total, int *last)
{
	*running = *total = 0;
	*last = 0;
	for (unsigned i = 0; i < LX_MAX_PROCS; i++) {
		struct lx_proc *t = &lx_procs[i];
		if (t->state == LX_FREE)
			continue;
		++*total;
		*running += t->state == LX_RUNNABLE;
		if (t->pid > *last)
			*last = t->pid;
	}
}

static void gen_loadavg(struct lx_proc *p, struct procfs_buf *b)
{
	(void)p;
	unsigned running, total;
	int last;
	count_procs(&running, &total, &last);
	/* the load in fixed point (proc.c), printed with two decimals, rounded */
	unsigned long l[3];
	for (unsigned k = 0; k < 3; k++)
		l[k] = lx_avenrun[k] + LX_FIXED_1 / 200;
#define LOAD_INT(x) ((x) >> LX_FSHIFT)
#define LOAD_FRAC(x) ((((x) & (LX_FIXED_1 - 1)) * 100) >> LX_FSHIFT)
	procfs_printf(b, "%lu.%02lu %lu.%02lu %lu.%02lu %u/%u %d\n", LOAD_INT(l[0]), LOAD_FRAC(l[0]), LOAD_INT(l[1]),
		      LOAD_FRAC(l[1]), LOAD_INT(l[2]), LOAD_FRAC(l[2]), running ? running : 1, total, last);
#undef LOAD_INT
#undef LOAD_FRAC
}

static void gen_stat(struct lx_proc *p, struct procfs_buf *b)
{
	(void)p;
	unsigned running, total;
	int last;
	count_procs(&running, &total, &last);
	(void)last;
	/* ticks by the tick accounting (proc.c): user nice system idle iowait irq softirq steal guest guest_nice */
	unsigned long user = (unsigned long)lx_cpustat.user, sys = (unsigned long)lx_cpustat.system,
		      idle = (unsigned long)lx_cpustat.idle;
	for (int cpu = -1; cpu < 1; cpu++)
		procfs_printf(b, cpu < 0 ? "cpu  %lu 0 %lu %lu 0 0 0 0 0 0\n" : "cpu0 %lu 0 %lu %lu 0 0 0 0 0 0\n", user,
			      sys, idle);
	procfs_printf(b,
		      "intr 0\nctxt %lu\nbtime %ld\nprocesses %lu\nprocs_running %u\nprocs_blocked 0\n"
		      "softirq 0 0 0 0 0 0 0 0 0 0 0\n",
		      (unsigned long)lx_cpustat.ctxt, (long)lx_boot_time(), (unsigned long)lx_cpustat.processes,
		      running ? running : 1);
}

static void gen_mounts(struct lx_proc *p, struct procfs_buf *b)
{
	(void)p;
	const struct lx_mount *m;
	for (unsigned i = 0; (m = mount_at(i)); i++) {
		bool proc = m->dev == LX_DEV_PROC;
		procfs_printf(b, "%s %s %s %s%s 0 0\n", m->source, m->path, m->type, m->flags & 1 ? "ro" : "rw",
			      proc ? ",nosuid,nodev,noexec,relatime" : ",relatime");
	}
}

static void gen_version(struct lx_proc *p, struct procfs_buf *b)
{
	(void)p;
	procfs_printf(b, "Linux version 6.1.0-pecan-lx (lx@pecan) (lx, the Linux-ABI guest kernel of Pecan) "
			 "#1 lx on Pecan\n");
}

static void gen_filesystems(struct lx_proc *p, struct procfs_buf *b)
{
	(void)p;
	procfs_printf(b, "nodev\tramfs\nnodev\ttmpfs\nnodev\tdevtmpfs\nnodev\tproc\nnodev\tsysfs\n");
}

static void gen_empty(struct lx_proc *p, struct procfs_buf *b)
{
	(void)p, (void)b;
}

static void gen_devices(struct lx_proc *p, struct procfs_buf *b)
{
	(void)p;
	procfs_printf(b, "Character devices:\n");
	/* each major once, in order */
	for (unsigned major = 0; major < 256; major++) {
		const struct lx_chrdev *d;
		for (unsigned i = 0; (d = fs_chrdev_at(i)); i++)
			if (d->major == major) {
				procfs_printf(b, "%3u %s\n", major, d->name);
				break;
			}
	}
	procfs_printf(b, "\nBlock devices:\n");
}

#define ROOT_MAX 32
static struct rentry {
	const char *name;
	procfs_gen_fn gen;
} rentries[ROOT_MAX] = {
	{"meminfo", gen_meminfo}, {"cpuinfo", gen_cpuinfo}, {"uptime", gen_uptime}, {"loadavg", gen_loadavg},
	{"stat", gen_stat}, {"mounts", gen_mounts}, {"version", gen_version}, {"filesystems", gen_filesystems},
	{"modules", gen_empty}, {"devices", gen_devices}, {"cmdline", gen_empty},
};
static unsigned nrentries = 11;
static const char self_name[] = "self";

static bool all_digits(const char *s, size_t n)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

long procfs_register(const char *name, procfs_gen_fn gen)
{
	size_t n = strlen(name);
	if (!n || strchr(name, '/') || all_digits(name, n) || !strcmp(name, self_name) || !gen)
		return -LX_EINVAL;
	for (unsigned i = 0; i < nrentries; i++)
		if (!strcmp(rentries[i].name, name)) {
			if (rentries[i].gen != gen_empty)
				return -LX_EEXIST;
			rentries[i].gen = gen;
			return 0;
		}
	if (nrentries == ROOT_MAX)
		return -LX_ENOMEM;
	rentries[nrentries].name = name;
	rentries[nrentries].gen = gen;
	nrentries++;
	return 0;
}

/* ---- files served by other parts of lx (the module API) ---- */

static struct procfs_entry *entries;

static bool name_taken(const char *name, const struct procfs_entry *parent)
{
	for (struct procfs_entry *e = entries; e; e = e->next)
		if (e->parent == parent && !strcmp(e->name, name))
			return true;
	if (parent)
		return false;
	for (unsigned i = 0; i < nrentries; i++)
		if (!strcmp(rentries[i].name, name))
			return true;
	return !strcmp(name, self_name);
}

long procfs_add(struct procfs_entry *e)
{
	size_t n = strlen(e->name);
	if (!n || n > LX_NAME_MAX || strchr(e->name, '/') || !strcmp(e->name, ".") || !strcmp(e->name, "..") ||
	    (!e->ops && !e->dir) || (e->parent && !e->parent->dir))
		return -LX_EINVAL;
	if (name_taken(e->name, e->parent) || (!e->parent && all_digits(e->name, n)))
		return -LX_EEXIST;
	struct procfs_entry **pp = &entries;
	while (*pp)
		pp = &(*pp)->next;
	e->next = NULL;
	*pp = e;
	return 0;
}

static void cache_drop(const void *entry);

void procfs_remove(struct procfs_entry *e)
{
	for (struct procfs_entry **pp = &entries; *pp; pp = &(*pp)->next)
		if (*pp == e) {
			*pp = e->next;
			e->next = NULL;
			cache_drop(e);
			return;
		}
}

static unsigned nentries(const struct procfs_entry *parent)
{
	unsigned n = 0;
	for (struct procfs_entry *e = entries; e; e = e->next)
		n += e->parent == parent;
	return n;
}

/* The k-th entry in parent (NULL: /proc), or NULL. */
static struct procfs_entry *nth_entry(const struct procfs_entry *parent, uint64_t k)
{
	for (struct procfs_entry *e = entries; e; e = e->next)
		if (e->parent == parent && k-- == 0)
			return e;
	return NULL;
}

/* ---- a process's files ---- */

/* Where a process's argv and environment strings are: found from the start
 * stack that execve built (exec.c): the auxv entry AT_PLATFORM points at
 * the top of the stack; below the auxv lie envp[], argv[] and argc. */
struct pargs {
	uint64_t arg_start, arg_end, env_start, env_end, execfn;
};

static bool rd64(struct lx_proc *t, uint64_t a, uint64_t *v)
{
	return lx_copy_from_user(t, v, a, 8) == 0;
}

static uint64_t str_end(struct lx_proc *t, uint64_t a)
{
	char c[64];
	for (unsigned k = 0; k < 64; k++, a += sizeof(c)) {
		size_t n = sizeof(c);
		if (lx_copy_from_user(t, c, a, n))
			return a;
		for (size_t i = 0; i < n; i++)
			if (!c[i])
				return a + i + 1;
	}
	return a;
}

static bool find_args(struct lx_proc *t, struct pargs *pa)
{
	memset(pa, 0, sizeof(*pa));
	if (!t->mm || t->state == LX_ZOMBIE)
		return false;
	const uint64_t platform = LX_STACK_TOP - 7; /* "x86_64", pushed first */
	uint64_t *page = malloc(LX_PAGE);
	if (!page)
		return false;
	uint64_t found = 0, above_first = 0;
	for (uint64_t at = LX_STACK_TOP - LX_PAGE; at >= LX_STACK_TOP - 40 * LX_PAGE && !found; at -= LX_PAGE) {
		if (!mm_find(t->mm, at) || lx_copy_from_user(t, page, at, LX_PAGE))
			break;
		if (page[511] == 15 && above_first == platform)
			found = at + 8 * 511;
		for (int i = 510; i >= 0 && !found; i--)
			if (page[i] == 15 && page[i + 1] == platform)
				found = at + 8 * (uint64_t)i;
		above_first = page[0];
	}
	free(page);
	if (!found)
		return false;
	/* back to the auxv's start: pairs with small keys */
	uint64_t aux = found, w;
	for (int n = 0; n < 64; n++) {
		if (!rd64(t, aux - 16, &w) || w == 0 || w >= 64)
			break;
		aux -= 16;
	}
	for (uint64_t a = aux; a < aux + 64 * 16; a += 16) {
		uint64_t k, v;
		if (!rd64(t, a, &k) || !rd64(t, a + 8, &v) || k == 0)
			break;
		if (k == 31)
			pa->execfn = v;
	}
	/* envp[] ends at aux - 8; argv[] ends before it; argc is the word whose value counts them */
	uint64_t a = aux - 16, envc = 0, argc = 0, first_env = 0, first_arg = 0;
	while (envc < 4096 && rd64(t, a, &w) && w) {
		first_env = w;
		envc++;
		a -= 8;
	}
	a -= 8; /* argv's NULL */
	while (argc < 4096 && rd64(t, a, &w) && w != argc) {
		first_arg = w;
		argc++;
		a -= 8;
	}
	if (w != argc)
		return false;
	if (argc) {
		pa->arg_start = first_arg;
		uint64_t last;
		rd64(t, a + 8 * argc, &last);
		pa->arg_end = str_end(t, last);
	}
	if (envc) {
		pa->env_start = first_env;
		uint64_t last;
		rd64(t, aux - 16, &last);
		pa->env_end = str_end(t, last);
	}
	return true;
}

static void put_user_range(struct procfs_buf *b, struct lx_proc *t, uint64_t start, uint64_t end)
{
	char tmp[256];
	if (end > start + 65536)
		end = start + 65536;
	while (start < end) {
		size_t n = end - start < sizeof(tmp) ? (size_t)(end - start) : sizeof(tmp);
		if (lx_copy_from_user(t, tmp, start, n))
			return;
		procfs_write(b, tmp, n);
		start += n;
	}
}

static void gen_cmdline(struct lx_proc *p, struct lx_proc *t, struct procfs_buf *b)
{
	(void)p;
	struct pargs pa;
	if (find_args(t, &pa))
		put_user_range(b, t, pa.arg_start, pa.arg_end);
}

static void gen_environ(struct lx_proc *p, struct lx_proc *t, struct procfs_buf *b)
{
	(void)p;
	struct pargs pa;
	if (find_args(t, &pa))
		put_user_range(b, t, pa.env_start, pa.env_end);
}

static void gen_comm(struct lx_proc *p, struct lx_proc *t, struct procfs_buf *b)
{
	(void)p;
	procfs_printf(b, "%s\n", t->comm);
}

static char state_char(const struct lx_proc *t)
{
	switch (t->state) {
	case LX_RUNNABLE: return 'R';
	case LX_SLEEPING: return 'S';
	case LX_ZOMBIE: return 'Z';
	case LX_STOPPED: return 'T';
	default: return 'X';
	}
}

static const char *state_name(char c)
{
	switch (c) {
	case 'R': return "running";
	case 'S': return "sleeping";
	case 'Z': return "zombie";
	case 'T': return "stopped";
	default: return "dead";
	}
}

static uint64_t count_present(const uint64_t *table, int level)
{
	uint64_t n = 0;
	for (int i = 0; i < 512; i++) {
		if (!(table[i] & 1))
			continue;
		n += level ? count_present((const uint64_t *)(table[i] & ~0xfffull), level - 1) : 1;
	}
	return n;
}

struct vmstat {
	uint64_t size, rss, data, stack, exe; /* pages */
};

static void vm_stat(struct lx_proc *t, struct vmstat *v)
{
	memset(v, 0, sizeof(*v));
	if (!t->mm)
		return;
	for (struct lx_vma *m = t->mm->vmas; m; m = m->next) {
		uint64_t pages = (m->end - m->start) / LX_PAGE;
		v->size += pages;
		if (m->end == LX_STACK_TOP)
			v->stack += pages;
		else if (m->prot & LX_PROT_EXEC)
			v->exe += pages;
		else if (m->prot & LX_PROT_WRITE)
			v->data += pages;
	}
	/* the software page table's present leaves (mm.c: four levels, bit 0 present) */
	v->rss = t->mm->root ? count_present(t->mm->root, 3) : 0;
}

static unsigned tty_of(struct lx_proc *t)
{
	for (int fd = 0; fd < 3; fd++) {
		struct lx_file *f = t->fds[fd];
		if (f && f->inode && LX_S_ISCHR(f->inode->mode) && (f->inode->rdev >> 8) == 5)
			return f->inode->rdev; /* major 5: the console; tty_nr is major << 8 | minor */
	}
	return 0;
}

static void gen_pid_stat(struct lx_proc *p, struct lx_proc *t, struct procfs_buf *b)
{
	(void)p;
	struct vmstat v;
	vm_stat(t, &v);
	unsigned long brk_start = t->mm ? (unsigned long)t->mm->brk_start : 0;
	int pgid = t->pgid ? t->pgid : t->pid, sid = t->sid ? t->sid : t->pid;
	unsigned tty = tty_of(t);
	/* fields 1-9: pid comm state ppid pgrp session tty_nr tpgid flags */
	procfs_printf(b, "%d (%s) %c %d %d %d %u %d %u", t->pid, t->comm, state_char(t), t->ppid, pgid, sid, tty,
		      tty ? pgid : -1, 0x400000u);
	/* 10-13: minflt cminflt majflt cmajflt; 14-17: utime stime cutime cstime (ticks, proc.c);
	 * 18-21: priority nice num_threads itrealvalue */
	procfs_printf(b, " 0 0 0 0 %lu %lu %lu %lu 20 0 1 0", (unsigned long)t->utime, (unsigned long)t->stime,
		      (unsigned long)t->cutime, (unsigned long)t->cstime);
	/* 22-25: starttime (ticks since boot) vsize rss rsslim */
	procfs_printf(b, " %lu %lu %lu %lu", (unsigned long)t->start_tick, (unsigned long)(v.size * LX_PAGE),
		      (unsigned long)v.rss, ~0ul);
	/* 26-37: startcode endcode startstack kstkesp kstkeip signal blocked sigignore sigcatch wchan nswap cnswap */
	procfs_printf(b, " 0 0 %lu 0 0 0 0 0 0 0 0 0", (unsigned long)LX_STACK_TOP);
	/* 38-52: exit_signal processor rt_priority policy delayacct guest cguest start_data end_data start_brk
	 * arg_start arg_end env_start env_end exit_code */
	procfs_printf(b, " 17 0 0 0 0 0 0 0 0 %lu 0 0 0 0 %d\n", brk_start,
		      t->state == LX_ZOMBIE ? t->exit_status : 0);
}

static void gen_statm(struct lx_proc *p, struct lx_proc *t, struct procfs_buf *b)
{
	(void)p;
	struct vmstat v;
	vm_stat(t, &v);
	procfs_printf(b, "%lu %lu 0 %lu 0 %lu 0\n", (unsigned long)v.size, (unsigned long)v.rss,
		      (unsigned long)v.exe, (unsigned long)(v.data + v.stack));
}

static void gen_status(struct lx_proc *p, struct lx_proc *t, struct procfs_buf *b)
{
	(void)p;
	char c = state_char(t);
	procfs_printf(b,
		      "Name:\t%s\nUmask:\t%04lo\nState:\t%c (%s)\nTgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\n"
		      "TracerPid:\t0\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nFDSize:\t%d\nGroups:\t\n",
		      t->comm, (unsigned long)t->umask, c, state_name(c), t->pid, t->pid, t->ppid, LX_MAX_FDS);
	if (t->mm) {
		struct vmstat v;
		vm_stat(t, &v);
		procfs_printf(b,
			      "VmPeak:\t%8lu kB\nVmSize:\t%8lu kB\nVmLck:\t       0 kB\nVmHWM:\t%8lu kB\n"
			      "VmRSS:\t%8lu kB\nVmData:\t%8lu kB\nVmStk:\t%8lu kB\nVmExe:\t%8lu kB\n",
			      (unsigned long)kb(v.size), (unsigned long)kb(v.size), (unsigned long)kb(v.rss),
			      (unsigned long)kb(v.rss), (unsigned long)kb(v.data), (unsigned long)kb(v.stack),
			      (unsigned long)kb(v.exe));
	}
	procfs_printf(b,
		      "Threads:\t1\nSigQ:\t0/0\nSigPnd:\t0000000000000000\nShdPnd:\t0000000000000000\n"
		      "Cpus_allowed:\t1\nCpus_allowed_list:\t0\nvoluntary_ctxt_switches:\t0\n"
		      "nonvoluntary_ctxt_switches:\t0\n");
}

static void gen_maps(struct lx_proc *p, struct lx_proc *t, struct procfs_buf *b)
{
	(void)p;
	if (!t->mm)
		return;
	for (struct lx_vma *m = t->mm->vmas; m; m = m->next) {
		const char *name = "";
		if (m->end == LX_STACK_TOP)
			name = "[stack]";
		else if (t->mm->brk > t->mm->brk_start && m->start <= t->mm->brk_start && t->mm->brk_start < m->end)
			name = "[heap]";
		char line[128];
		int n = fmt_snprintf(line, sizeof(line), "%08lx-%08lx %c%c%cp 00000000 00:00 0",
				     (unsigned long)m->start, (unsigned long)m->end, m->prot & LX_PROT_READ ? 'r' : '-',
				     m->prot & LX_PROT_WRITE ? 'w' : '-', m->prot & LX_PROT_EXEC ? 'x' : '-');
		procfs_printf(b, "%s%*s%s\n", line, *name ? 73 - n : 0, "", name);
	}
}

/* The name a link of /proc/PID/fd shows for an open file. */
static void file_name(struct lx_file *f, char *buf, size_t size)
{
	if (!f->inode) {
		uint64_t ino = ((uint64_t)(uintptr_t)(f->priv ? f->priv : f) >> 4) & 0xffffff;
		if (f->ops && (f->ops->stat_mode & LX_S_IFMT) == LX_S_IFIFO)
			fmt_snprintf(buf, size, "pipe:[%lu]", (unsigned long)ino);
		else
			fmt_snprintf(buf, size, "anon_inode:[%lu]", (unsigned long)ino);
		return;
	}
	if (path_of_inode(f->inode, buf, size))
		strlcpy(buf, "(deleted)", size);
}

static const struct pentry {
	const char *name;
	uint16_t kind; /* K_PIDFILE, K_PIDLINK, K_FDDIR */
	void (*gen)(struct lx_proc *p, struct lx_proc *t, struct procfs_buf *b);
} pentries[] = {
	{"cmdline", K_PIDFILE, gen_cmdline}, {"comm", K_PIDFILE, gen_comm}, {"cwd", K_PIDLINK, NULL},
	{"environ", K_PIDFILE, gen_environ}, {"exe", K_PIDLINK, NULL}, {"fd", K_FDDIR, NULL},
	{"maps", K_PIDFILE, gen_maps}, {"stat", K_PIDFILE, gen_pid_stat}, {"statm", K_PIDFILE, gen_statm},
	{"status", K_PIDFILE, gen_status},
};
#define NPENTRIES (sizeof(pentries) / sizeof(pentries[0]))

/* ---- inodes: made on lookup, cached ---- */

static struct lx_inode *root;
static struct lx_inode **cache;
static size_t ncache, cache_cap;

/* Drops the cached inodes of processes that are gone (an open file keeps its inode until closed). */
static void cache_gc(void)
{
	size_t k = 0;
	for (size_t i = 0; i < ncache; i++) {
		struct lx_inode *ip = cache[i];
		if (ip->proc.pid && !proc_find(ip->proc.pid)) {
			ip->nlink = 0;
			inode_maybe_free(ip);
			continue;
		}
		cache[k++] = ip;
	}
	ncache = k;
}

/* Drops the cached inode of a removed entry (an open file keeps it until closed). */
static void cache_drop(const void *entry)
{
	for (size_t i = 0; i < ncache; i++) {
		struct lx_inode *ip = cache[i];
		if ((ip->proc.kind == K_ENTRY || ip->proc.kind == K_EDIR) && ip->proc.entry == entry) {
			cache[i] = cache[--ncache];
			ip->nlink = 0;
			inode_maybe_free(ip);
			return;
		}
	}
}

static void set_target(struct lx_inode *ip, const char *target)
{
	size_t len = strlen(target);
	if (ip->link.target && !strcmp(ip->link.target, target))
		return;
	char *t = malloc(len + 1);
	if (!t)
		return; /* the old target stays */
	memcpy(t, target, len + 1);
	free(ip->link.target);
	ip->link.target = t;
	ip->size = len;
}

static struct lx_inode *get(struct lx_inode *dir, uint16_t kind, int pid, int fd, const void *entry,
			    const char *target)
{
	for (size_t i = 0; i < ncache; i++) {
		struct lx_inode *ip = cache[i];
		if (ip->proc.kind == kind && ip->proc.pid == pid && ip->proc.fd == fd && ip->proc.entry == entry) {
			if (target)
				set_target(ip, target);
			return ip;
		}
	}
	if (ncache == cache_cap) {
		size_t cap = cache_cap ? cache_cap * 2 : 64;
		struct lx_inode **c = realloc(cache, cap * sizeof(*c));
		if (!c)
			return NULL;
		cache = c;
		cache_cap = cap;
	}
	uint32_t mode = target ? LX_S_IFLNK | 0777
		      : (kind == K_PIDDIR || kind == K_FDDIR || kind == K_EDIR) ? LX_S_IFDIR | (kind == K_FDDIR ? 0500 : 0555)
							       : LX_S_IFREG | 0444;
	struct lx_inode *ip = inode_new(mode, 0, target);
	if (!ip)
		return NULL;
	ip->nlink = LX_S_ISDIR(mode) ? 2 : 1;
	ip->dev = LX_DEV_PROC;
	ip->proc.kind = kind;
	ip->proc.pid = pid;
	ip->proc.fd = fd;
	ip->proc.entry = entry;
	if (LX_S_ISDIR(mode))
		ip->dir.parent = dir;
	cache[ncache++] = ip;
	return ip;
}

static int parse_num(const char *s, size_t n)
{
	if (!all_digits(s, n) || n > 9 || (n > 1 && s[0] == '0'))
		return -1;
	int v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

static bool name_is(const char *s, size_t n, const char *name)
{
	return strlen(name) == n && !memcmp(s, name, n);
}

/*
 * The file p runs: the path execve was given (AT_EXECFN), resolved. A
 * program run through /proc/self/exe (busybox re-runs itself so) ran what
 * its process ran before, which fork copied from the parent: the parent's.
 * Resolving can come back here (a path through another /proc/PID/exe):
 * the nesting is bounded.
 */
static const char *exe_of(struct lx_proc *t, char *buf, size_t size)
{
	static int depth;
	char path[LX_PATH_MAX], self[32];
	struct pargs pa;
	struct lx_inode *ip;
	const char *r = NULL;
	if (depth >= 4)
		return NULL;
	depth++;
	for (int up = 0; up < 8 && t; up++) {
		if (!find_args(t, &pa) || !pa.execfn || lx_strncpy_from_user(t, path, pa.execfn, sizeof(path)) <= 0)
			break;
		fmt_snprintf(self, sizeof(self), "/proc/%d/exe", t->pid);
		if (!strcmp(path, "/proc/self/exe") || !strcmp(path, self)) {
			t = proc_find(t->ppid);
			continue;
		}
		if (path_lookup(t, LX_AT_FDCWD, path, true, &ip) == 0 && !fs_is_proc(ip) &&
		    path_of_inode(ip, buf, size) == 0)
			r = buf;
		break;
	}
	depth--;
	return r;
}

/* The entry name in parent (NULL: /proc) as an inode of dir. */
static struct lx_inode *entry_lookup(struct lx_inode *dir, const struct procfs_entry *parent, const char *name,
				     size_t n)
{
	for (struct procfs_entry *e = entries; e; e = e->next)
		if (e->parent == parent && name_is(name, n, e->name)) {
			struct lx_inode *ip = get(dir, e->dir ? K_EDIR : K_ENTRY, 0, 0, e, NULL);
			if (ip && !e->dir) {
				ip->mode = LX_S_IFREG | (e->mode & 07777);
				ip->size = e->size;
			} else if (ip) {
				ip->mode = LX_S_IFDIR | (e->mode & 07777);
			}
			return ip;
		}
	return NULL;
}

struct lx_inode *procfs_lookup(struct lx_inode *dir, const char *name, size_t n)
{
	cache_gc();
	char tmp[LX_PATH_MAX];
	switch (dir->proc.kind) {
	case K_ROOT: {
		if (name_is(name, n, self_name)) {
			fmt_snprintf(tmp, sizeof(tmp), "%d", lx_current ? lx_current->pid : 0);
			return get(dir, K_SELF, 0, 0, self_name, tmp);
		}
		int pid = parse_num(name, n);
		if (pid > 0)
			return proc_find(pid) ? get(dir, K_PIDDIR, pid, 0, NULL, NULL) : NULL;
		for (unsigned i = 0; i < nrentries; i++)
			if (name_is(name, n, rentries[i].name))
				return get(dir, K_FILE, 0, 0, &rentries[i], NULL);
		return entry_lookup(dir, NULL, name, n);
	}
	case K_EDIR:
		return dir->nlink ? entry_lookup(dir, dir->proc.entry, name, n) : NULL;
	case K_PIDDIR: {
		struct lx_proc *t = proc_find(dir->proc.pid);
		if (!t)
			return NULL;
		for (unsigned i = 0; i < NPENTRIES; i++) {
			const struct pentry *e = &pentries[i];
			if (!name_is(name, n, e->name))
				continue;
			if (e->kind != K_PIDLINK)
				return get(dir, e->kind, t->pid, 0, e, NULL);
			const char *target = e->name[0] == 'c' ? (t->cwd[0] == '/' ? t->cwd : "/")
							       : exe_of(t, tmp, sizeof(tmp));
			return target ? get(dir, K_PIDLINK, t->pid, 0, e, target) : NULL;
		}
		return NULL;
	}
	case K_FDDIR: {
		struct lx_proc *t = proc_find(dir->proc.pid);
		int fd = parse_num(name, n);
		if (!t || fd < 0 || fd >= LX_MAX_FDS || !t->fds[fd])
			return NULL;
		file_name(t->fds[fd], tmp, sizeof(tmp));
		return get(dir, K_FDLINK, t->pid, fd, NULL, tmp);
	}
	}
	return NULL;
}

int procfs_readdir(struct lx_inode *dir, uint64_t k, char *name, struct lx_inode **ip)
{
	char buf[16];
	const char *nm = NULL;
	switch (dir->proc.kind) {
	case K_ROOT: {
		unsigned nfixed = nrentries + nentries(NULL);
		if (k < nrentries) {
			nm = rentries[k].name;
		} else if (k < nfixed) {
			nm = nth_entry(NULL, k - nrentries)->name;
		} else if (k == nfixed) {
			nm = self_name;
		} else {
			/* the processes by rising pid: the (k - nfixed)-th */
			uint64_t want = k - nfixed - 1;
			int last = 0;
			for (uint64_t j = 0; j <= want; j++) {
				int next = 0;
				for (unsigned i = 0; i < LX_MAX_PROCS; i++) {
					int pid = lx_procs[i].pid;
					if (lx_procs[i].state != LX_FREE && pid > last && (!next || pid < next))
						next = pid;
				}
				if (!next)
					return -1;
				last = next;
			}
			fmt_snprintf(buf, sizeof(buf), "%d", last);
			nm = buf;
		}
		break;
	}
	case K_EDIR: {
		const struct procfs_entry *e = dir->nlink ? nth_entry(dir->proc.entry, k) : NULL;
		if (!e)
			return -1;
		nm = e->name;
		break;
	}
	case K_PIDDIR:
		if (k >= NPENTRIES || !proc_find(dir->proc.pid))
			return -1;
		nm = pentries[k].name;
		break;
	case K_FDDIR: {
		struct lx_proc *t = proc_find(dir->proc.pid);
		if (!t)
			return -1;
		for (int fd = 0; fd < LX_MAX_FDS; fd++)
			if (t->fds[fd] && k-- == 0) {
				fmt_snprintf(buf, sizeof(buf), "%d", fd);
				nm = buf;
				break;
			}
		if (!nm)
			return -1;
		break;
	}
	default:
		return -1;
	}
	strlcpy(name, nm, LX_NAME_MAX + 1);
	*ip = procfs_lookup(dir, nm, strlen(nm));
	return *ip ? 0 : -1;
}

long procfs_name(struct lx_inode *ip, char *buf, size_t size)
{
	switch (ip->proc.kind) {
	case K_FILE:
		strlcpy(buf, ((const struct rentry *)ip->proc.entry)->name, size);
		return 0;
	case K_ENTRY:
	case K_EDIR:
		strlcpy(buf, ((const struct procfs_entry *)ip->proc.entry)->name, size);
		return 0;
	case K_SELF:
		strlcpy(buf, self_name, size);
		return 0;
	case K_PIDDIR:
		fmt_snprintf(buf, size, "%d", ip->proc.pid);
		return 0;
	case K_PIDFILE:
	case K_PIDLINK:
	case K_FDDIR:
		strlcpy(buf, ((const struct pentry *)ip->proc.entry)->name, size);
		return 0;
	case K_FDLINK:
		fmt_snprintf(buf, size, "%d", ip->proc.fd);
		return 0;
	}
	return -LX_ENOENT;
}

struct lx_inode *procfs_root(void)
{
	return root;
}

long procfs_init(void)
{
	if (root)
		return 0;
	root = inode_new(LX_S_IFDIR | 0555, 0, NULL);
	if (!root)
		return -LX_ENOMEM;
	root->nlink = 2;
	root->dev = LX_DEV_PROC;
	root->proc.kind = K_ROOT;
	root->dir.parent = fs_root;
	return 0;
}

/* ---- open files: the text made at open ---- */

static long pf_open(struct lx_proc *p, struct lx_file *f)
{
	struct lx_inode *ip = f->inode;
	if (ip->proc.kind == K_ENTRY) {
		const struct procfs_entry *e = ip->proc.entry;
		if (!ip->nlink)
			return -LX_ENOENT; /* removed */
		if ((f->flags & LX_O_ACCMODE) != LX_O_RDONLY && !(e->mode & 0222))
			return -LX_EACCES;
		return e->ops->open ? e->ops->open(p, f) : 0;
	}
	if ((f->flags & LX_O_ACCMODE) != LX_O_RDONLY)
		return -LX_EACCES;
	struct procfs_buf *b = calloc(1, sizeof(*b));
	if (!b)
		return -LX_ENOMEM;
	if (ip->proc.kind == K_FILE) {
		((const struct rentry *)ip->proc.entry)->gen(p, b);
	} else {
		struct lx_proc *t = proc_find(ip->proc.pid);
		if (!t) {
			free(b);
			return -LX_ESRCH;
		}
		((const struct pentry *)ip->proc.entry)->gen(p, t, b);
	}
	if (b->nomem) {
		free(b->data);
		free(b);
		return -LX_ENOMEM;
	}
	f->priv = b;
	return 0;
}

static const struct lx_file_ops *entry_ops(struct lx_file *f)
{
	return f->inode && f->inode->proc.kind == K_ENTRY ? ((const struct procfs_entry *)f->inode->proc.entry)->ops
							   : NULL;
}

static long pf_read(struct lx_proc *p, struct lx_file *f, uint64_t buf, size_t n, uint64_t *pos)
{
	const struct lx_file_ops *ops = entry_ops(f);
	if (ops)
		return ops->read ? ops->read(p, f, buf, n, pos) : -LX_EINVAL;
	struct procfs_buf *b = f->priv;
	if (*pos >= b->len)
		return 0;
	if (n > b->len - *pos)
		n = (size_t)(b->len - *pos);
	if (lx_copy_to_user(p, buf, b->data + *pos, n))
		return -LX_EFAULT;
	*pos += n;
	return (long)n;
}

static long pf_write(struct lx_proc *p, struct lx_file *f, uint64_t buf, size_t n, uint64_t *pos)
{
	const struct lx_file_ops *ops = entry_ops(f);
	if (ops && ops->write)
		return ops->write(p, f, buf, n, pos);
	return -LX_EINVAL;
}

static long pf_ioctl(struct lx_proc *p, struct lx_file *f, unsigned cmd, uint64_t arg)
{
	const struct lx_file_ops *ops = entry_ops(f);
	if (ops && ops->ioctl)
		return ops->ioctl(p, f, cmd, arg);
	return -LX_ENOTTY;
}

static unsigned pf_poll(struct lx_file *f, const void **channel)
{
	const struct lx_file_ops *ops = entry_ops(f);
	if (ops && ops->poll)
		return ops->poll(f, channel);
	return LX_POLLIN | LX_POLLOUT;
}

static void pf_release(struct lx_file *f)
{
	const struct lx_file_ops *ops = entry_ops(f);
	if (ops) {
		if (ops->release)
			ops->release(f);
		return;
	}
	struct procfs_buf *b = f->priv;
	if (b) {
		free(b->data);
		free(b);
	}
}

const struct lx_file_ops procfs_file_ops = {
	.open = pf_open,
	.read = pf_read,
	.write = pf_write,
	.ioctl = pf_ioctl,
	.poll = pf_poll,
	.release = pf_release,
	.seekable = true,
};

bool procfs_file_data(struct lx_file *f, const uint8_t **data, size_t *size)
{
	if (f->ops != &procfs_file_ops || !f->priv || entry_ops(f))
		return false;
	struct procfs_buf *b = f->priv;
	*data = (const uint8_t *)b->data;
	*size = b->len;
	return true;
}
