/* Loadable kernel modules: init_module/finit_module/delete_module, module memory near lx's image, symbols, references, /proc/modules. */
#include "module.h"
#include "sel.h"
#include "fs/fs.h"
#include "fs/procfs.h"
#include "kapi/kapi.h"
#include "kmod.h"
#include "printk.h"
#include "include/linux/vermagic.h"
#include "l4/re/env.h"
#include "stdlib.h"
#include "string.h"


/* The loader's messages go to the kernel log (dmesg), as Linux's: errors
 * and warnings show on the console too (printk.c's console level). */
#define mod_err(...) lx_printk(LX_KERN_ERR __VA_ARGS__)
#define mod_warn(...) lx_printk(LX_KERN_WARNING __VA_ARGS__)

/*
 * Module memory (docs/modules.md): modules are built for the small code
 * model, so their code and data must lie in the low 2 GiB, like lx's own
 * image at 0x400000 whose functions they call. lx's heap is neither low
 * nor executable, so module memory is its own region at MOD_ARENA_BASE:
 * dataspaces from the roottask (mapped read-write-execute) added 4 MiB at
 * a time as modules need them, handed out in pages.
 */
#define MOD_ARENA_BASE 0x0000000040000000ull
#define MOD_ARENA_CHUNK (4ull << 20)
#define MOD_ARENA_MAX (64ull << 20)
#define MOD_ARENA_PAGES (MOD_ARENA_MAX / LX_PAGE)
#define MOD_IMAGE_MAX (64ull << 20)   /* a .ko file may have at most this many bytes */
#define MOD_ARGS_MAX 4096             /* insmod's parameter string */
#define MOD_USES_MAX 16               /* modules one module may take symbols from */

static uint8_t arena_used[MOD_ARENA_PAGES]; /* 1: the page belongs to a module */
static uint64_t arena_mapped;               /* bytes mapped from MOD_ARENA_BASE */

static long arena_grow(void)
{
	if (arena_mapped >= MOD_ARENA_MAX)
		return -LX_ENOMEM;
	uint64_t sel = lx_sel_alloc();
	if (!sel || l4re_ds_alloc(MOD_ARENA_CHUNK, sel) ||
	    l4re_ds_map(sel, 0, (unsigned)__builtin_ctzll(MOD_ARENA_CHUNK), MOD_ARENA_BASE + arena_mapped)) {
		if (sel)
			lx_sel_free(sel);
		mod_err("module: no memory for module code (%lu MiB in use)", (unsigned long)(arena_mapped >> 20));
		return -LX_ENOMEM;
	}
	arena_mapped += MOD_ARENA_CHUNK;
	return 0;
}

/* size bytes (page granular), zeroed, or NULL. */
static uint8_t *arena_alloc(uint64_t size)
{
	uint64_t pages = size ? (size + LX_PAGE - 1) / LX_PAGE : 1;
	for (uint64_t i = 0; i + pages <= MOD_ARENA_PAGES;) {
		uint64_t n = 0;
		while (n < pages && !arena_used[i + n])
			n++;
		if (n < pages) {
			i += n + 1;
			continue;
		}
		while (arena_mapped < (i + pages) * LX_PAGE)
			if (arena_grow())
				return NULL;
		memset(arena_used + i, 1, pages);
		uint8_t *p = (uint8_t *)(MOD_ARENA_BASE + i * LX_PAGE);
		memset(p, 0, pages * LX_PAGE);
		return p;
	}
	return NULL;
}

static void arena_free(uint8_t *p, uint64_t size)
{
	if (!p)
		return;
	uint64_t first = ((uint64_t)p - MOD_ARENA_BASE) / LX_PAGE;
	uint64_t pages = size ? (size + LX_PAGE - 1) / LX_PAGE : 1;
	memset(arena_used + first, 0, pages);
}

/* ---- the module list ---- */

enum mod_state { MOD_COMING, MOD_LIVE, MOD_GOING };

/* A function of a module, from its ELF symbol table: where an oops happened. */
struct mod_sym {
	uint64_t addr, size;
	uint32_t name; /* offset in symnames */
};

struct lx_module {
	struct lx_module *next;        /* newest first, as /proc/modules lists them */
	char name[KMOD_NAME_MAX];
	enum mod_state state;
	uint8_t *core, *init;          /* in the arena; init is gone once init ran */
	uint64_t core_size, init_size;
	void *this_module;             /* its struct module, in core */
	int refs;                      /* try_module_get + modules using its symbols */
	struct lx_module *uses[MOD_USES_MAX]; /* each holds one of refs */
	unsigned nuses;
	const void *ksyms, *ksyms_gpl; /* its __ksymtab, __ksymtab_gpl (in core) */
	size_t nksyms, nksyms_gpl;
	bool gpl, has_init, has_exit;
	bool oopsed;                   /* faulted (an oops): tainted, shown as (D) in /proc/modules */
	struct mod_sym *syms;          /* its functions, for an oops's report (malloc'd) */
	size_t nsyms;
	char *symnames;
};

static struct lx_module *modules;

static struct lx_module *module_find(const char *name)
{
	for (struct lx_module *m = modules; m; m = m->next)
		if (!strcmp(m->name, name))
			return m;
	return NULL;
}

bool module_get(struct lx_module *m)
{
	if (m->state == MOD_GOING)
		return false;
	m->refs++;
	return true;
}

void module_put_ref(struct lx_module *m)
{
	if (m->refs > 0)
		m->refs--;
}

int module_refs(struct lx_module *m) { return m->refs; }
const char *module_name_of(struct lx_module *m) { return m->name; }

struct lx_module *module_of_addr(uint64_t addr)
{
	for (struct lx_module *m = modules; m; m = m->next) {
		if (addr >= (uint64_t)m->core && addr - (uint64_t)m->core < m->core_size)
			return m;
		if (m->init && addr >= (uint64_t)m->init && addr - (uint64_t)m->init < m->init_size)
			return m;
	}
	return NULL;
}

/* A module's own export of name: 0 with *value, or -1. */
static int module_export(const struct lx_module *m, const char *name, uint64_t *value, bool *gpl_only)
{
	for (size_t i = 0; i < m->nksyms; i++)
		if (!strcmp(kapi_ksym_at(m->ksyms, i, value), name)) {
			*gpl_only = false;
			return 0;
		}
	for (size_t i = 0; i < m->nksyms_gpl; i++)
		if (!strcmp(kapi_ksym_at(m->ksyms_gpl, i, value), name)) {
			*gpl_only = true;
			return 0;
		}
	return -1;
}

/* ---- /proc/modules ---- */

/* One line per module, newest first, as Linux's: name, bytes, references,
 * the modules using it ("-" for none), state, address, taint. */
static void gen_modules(struct lx_proc *p, struct procfs_buf *b)
{
	(void)p;
	for (struct lx_module *m = modules; m; m = m->next) {
		uint64_t bytes = (m->core_size + m->init_size + LX_PAGE - 1) & ~(LX_PAGE - 1);
		procfs_printf(b, "%s %lu %d ", m->name, (unsigned long)bytes, m->refs);
		bool any = false;
		for (struct lx_module *u = modules; u; u = u->next)
			for (unsigned i = 0; i < u->nuses; i++)
				if (u->uses[i] == m) {
					procfs_printf(b, "%s,", u->name);
					any = true;
				}
		if (m->has_init && !m->has_exit) {
			procfs_printf(b, "[permanent],");
			any = true;
		}
		procfs_printf(b, "%s %s 0x%016lx%s%s%s%s\n", any ? "" : "-",
			      m->state == MOD_LIVE ? "Live" : m->state == MOD_COMING ? "Loading" : "Unloading",
			      (unsigned long)m->core, m->gpl && !m->oopsed ? "" : " (", m->gpl ? "" : "P",
			      m->oopsed ? "D" : "", m->gpl && !m->oopsed ? "" : ")");
	}
}

/* ---- loading ---- */

struct resolve_ctx {
	struct lx_module *self;
	const char *unusable;          /* a module that has the symbol but cannot take another user */
};

static bool add_use(struct lx_module *self, struct lx_module *m)
{
	for (unsigned i = 0; i < self->nuses; i++)
		if (self->uses[i] == m)
			return true;
	if (self->nuses == MOD_USES_MAX || !module_get(m))
		return false;
	self->uses[self->nuses++] = m;
	return true;
}

static int resolve_symbol(void *ctx, const char *name, uint64_t *value, bool *gpl_only)
{
	struct resolve_ctx *c = ctx;
	if (ksyms_lookup(name, value, gpl_only) == 0)
		return 0;
	for (struct lx_module *m = modules; m; m = m->next) {
		if (m == c->self || m->state != MOD_LIVE || module_export(m, name, value, gpl_only))
			continue;
		if (add_use(c->self, m))
			return 0;
		c->unusable = m->name;
	}
	return -1;
}

static void report_unknown(void *ctx, const char *name, const char *why)
{
	struct resolve_ctx *c = ctx;
	(void)name;
	if (c->unusable)
		mod_err("%s: %s (module %s has it, but takes no more users)", c->self->name, why, c->unusable);
	else
		mod_err("%s: %s", c->self->name, why);
	c->unusable = NULL;
}

static void drop_uses(struct lx_module *m)
{
	for (unsigned i = 0; i < m->nuses; i++)
		module_put_ref(m->uses[i]);
	m->nuses = 0;
}

static void module_unlink(struct lx_module *m)
{
	for (struct lx_module **pp = &modules; *pp; pp = &(*pp)->next)
		if (*pp == m) {
			*pp = m->next;
			return;
		}
}

static void module_free(struct lx_module *m)
{
	drop_uses(m);
	arena_free(m->core, m->core_size);
	arena_free(m->init, m->init_size);
	free(m->syms);
	free(m->symnames);
	free(m);
}

/* Keeps the module's function symbols (name, address, size) for oops reports; without memory, none. */
static void keep_symbols(struct lx_module *m, const struct kmod_image *k, const uint64_t *symval)
{
	const struct kmod_section *st = &k->sect[k->symtab], *str = &k->sect[k->strtab];
	size_t n = 0, bytes = 0;
	for (int pass = 0; pass < 2; pass++) {
		for (uint64_t i = 1; i < k->nsyms; i++) {
			const uint8_t *e = k->file + st->offset + i * KMOD_SYM_SIZE;
			uint32_t name;
			uint16_t shndx;
			uint64_t size;
			memcpy(&name, e, 4);
			memcpy(&shndx, e + 6, 2);
			memcpy(&size, e + 16, 8);
			if ((e[4] & 0xf) != 2 || shndx == KMOD_SHN_UNDEF || shndx >= KMOD_SHN_LORESERVE || name >= str->size)
				continue; /* STT_FUNC, defined here */
			const char *nm = (const char *)k->file + str->offset + name;
			size_t len = 0;
			while (len < str->size - name && nm[len])
				len++;
			if (pass == 1) {
				m->syms[n] = (struct mod_sym){symval[i], size, (uint32_t)bytes};
				memcpy(m->symnames + bytes, nm, len);
				m->symnames[bytes + len] = 0;
			}
			n++;
			bytes += len + 1;
		}
		if (pass == 0) {
			if (!n || !(m->syms = malloc(n * sizeof(*m->syms))) || !(m->symnames = malloc(bytes))) {
				free(m->syms);
				m->syms = NULL;
				return;
			}
			m->nsyms = n;
			n = bytes = 0;
		}
	}
}

bool module_symbolize(uint64_t addr, const char **mod, const char **fn, uint64_t *off)
{
	struct lx_module *m = module_of_addr(addr);
	if (!m)
		return false;
	*mod = m->name;
	*fn = NULL;
	*off = 0;
	uint64_t best = 0;
	for (size_t i = 0; i < m->nsyms; i++) {
		const struct mod_sym *s = &m->syms[i];
		if (s->addr <= addr && (!*fn || s->addr > best) && (addr - s->addr < s->size || !s->size)) {
			best = s->addr;
			*fn = m->symnames + s->name;
			*off = addr - s->addr;
		}
	}
	return true;
}

void module_oops(uint64_t rip)
{
	struct lx_module *m = module_of_addr(rip);
	if (!m)
		return;
	m->oopsed = true;
	if (m->state == MOD_COMING) {
		/* its init faulted: the load is abandoned (module_load's own
		 * allocations, the kmod_image and symbol values, are leaked) */
		lx_printk(LX_KERN_ERR "%s: init oopsed; the module is not loaded", m->name);
		kapi_module_gone(m);
		module_unlink(m);
		module_free(m);
	}
}

/* The export table in section i: its address and entry count; false if its size is not whole entries. */
static bool export_table(const struct kmod_image *k, unsigned i, uint8_t *core, const void **table, size_t *count)
{
	*table = NULL;
	*count = 0;
	if (!i)
		return true;
	if (k->sect[i].size % kapi_kernel_symbol_size)
		return false;
	*table = core + k->sect[i].area_off;
	*count = k->sect[i].size / kapi_kernel_symbol_size;
	return k->sect[i].area == KMOD_AREA_CORE;
}

/* Another owner of one of m's exports: its name, or NULL. */
static const char *duplicate_export(const struct lx_module *m, const char **sym)
{
	const void *tables[2] = {m->ksyms, m->ksyms_gpl};
	size_t counts[2] = {m->nksyms, m->nksyms_gpl};
	for (int t = 0; t < 2; t++)
		for (size_t i = 0; i < counts[t]; i++) {
			uint64_t v;
			bool g;
			*sym = kapi_ksym_at(tables[t], i, &v);
			if (ksyms_lookup(*sym, &v, &g) == 0)
				return "the kernel";
			for (struct lx_module *o = modules; o; o = o->next)
				if (o != m && module_export(o, *sym, &v, &g) == 0)
					return o->name;
		}
	return NULL;
}

enum { MODULE_INIT_IGNORE_MODVERSIONS = 1, MODULE_INIT_IGNORE_VERMAGIC = 2, MODULE_INIT_COMPRESSED_FILE = 4 };

/* Loads the module in image[0..size) with the parameter string args
 * (modified) and runs its init: 0 or -errno, with the reason logged. */
static long module_load(const uint8_t *image, size_t size, char *args, unsigned flags)
{
	char err[200];
	long e;
	struct kmod_image *k = malloc(sizeof(*k));
	struct lx_module *m = calloc(1, sizeof(*m));
	uint64_t *symval = NULL;
	if (!k || !m) {
		e = -LX_ENOMEM;
		goto out;
	}
	if ((e = kmod_parse(k, image, size, kapi_this_module_size, err, sizeof(err)))) {
		mod_err("module: invalid module format: %s", err);
		goto out;
	}
	struct kmod_info info;
	const char *vermagic = VERMAGIC_STRING;
	size_t vlen;
	char theirs[80];
	const char *v = kmod_modinfo(k, "vermagic", &vlen);
	if ((flags & MODULE_INIT_IGNORE_VERMAGIC) && v && vlen < sizeof(theirs)) {
		memcpy(theirs, v, vlen); /* forced: whatever it says is accepted */
		theirs[vlen] = 0;
		vermagic = theirs;
	}
	if ((e = kmod_check_modinfo(k, vermagic, &info, err, sizeof(err)))) {
		mod_err("%s", err);
		goto out;
	}
	memcpy(m->name, info.name, sizeof(m->name));
	if (module_find(m->name)) {
		e = -LX_EEXIST;
		goto out;
	}
	if (!info.license[0])
		mod_warn("%s: module license unspecified taints kernel.", m->name);
	else if (!info.gpl_compatible)
		mod_warn("%s: module license '%s' taints kernel.", m->name, info.license);
	m->gpl = info.gpl_compatible;
	if (k->param && k->sect[k->param].size % kapi_kernel_param_size) {
		mod_err("%s: __param is not whole entries", m->name);
		e = -LX_ENOEXEC;
		goto out;
	}

	m->core_size = k->core_size;
	m->init_size = k->init_size;
	symval = malloc(k->nsyms * sizeof(*symval));
	if (!symval || !(m->core = arena_alloc(m->core_size)) || (m->init_size && !(m->init = arena_alloc(m->init_size)))) {
		e = -LX_ENOMEM;
		goto out;
	}
	struct resolve_ctx rc = {.self = m};
	if ((e = kmod_resolve(k, (uint64_t)m->core, (uint64_t)m->init, m->gpl, resolve_symbol, report_unknown, &rc, symval,
			      err, sizeof(err))))
		goto out;
	if ((e = kmod_relocate(k, m->core, (uint64_t)m->core, m->init, (uint64_t)m->init, symval, err, sizeof(err)))) {
		mod_err("%s: %s", m->name, err);
		goto out;
	}
	const char *sym, *owner;
	if (!export_table(k, k->ksymtab, m->core, &m->ksyms, &m->nksyms) ||
	    !export_table(k, k->ksymtab_gpl, m->core, &m->ksyms_gpl, &m->nksyms_gpl)) {
		mod_err("%s: its export table is malformed", m->name);
		e = -LX_ENOEXEC;
		goto out;
	}
	if ((owner = duplicate_export(m, &sym))) {
		mod_err("%s: exports duplicate symbol %s (owned by %s)", m->name, sym, owner);
		e = -LX_ENOEXEC;
		goto out;
	}
	m->this_module = m->core + k->sect[k->this_module].area_off;
	kapi_module_bind(m->this_module, m);
	m->has_init = kapi_module_has_init(m->this_module);
	m->has_exit = kapi_module_has_exit(m->this_module);
	if (k->param && (e = kapi_module_params((uint8_t *)kmod_section_addr(k, k->param, (uint64_t)m->core, (uint64_t)m->init),
						k->sect[k->param].size / kapi_kernel_param_size, args, m->name)))
		goto out;

	/* the module is on the list while its init runs (its exports are not used yet: not LIVE) */
	keep_symbols(m, k, symval);
	m->state = MOD_COMING;
	m->next = modules;
	modules = m;
	int r = kapi_module_run_init(m->this_module);
	if (r < 0) {
		kapi_module_gone(m);
		module_unlink(m);
		e = r;
		goto out;
	}
	if (r > 0)
		mod_warn("%s: init returned %d, a positive value: treated as success", m->name, r);
	m->state = MOD_LIVE;
	arena_free(m->init, m->init_size); /* the .init sections are done */
	m->init = NULL;
	m->init_size = 0;
	m = NULL;
	e = 0;
out:
	if (m)
		module_free(m);
	free(symval);
	free(k);
	return e;
}

/* insmod's parameter string, copied in: a malloc'd string or NULL with *err. */
static char *args_from_user(struct lx_proc *p, uint64_t uargs, long *err)
{
	char *args = malloc(MOD_ARGS_MAX);
	if (!args) {
		*err = -LX_ENOMEM;
		return NULL;
	}
	long n = uargs ? lx_strncpy_from_user(p, args, uargs, MOD_ARGS_MAX) : 0;
	if (n < 0) {
		*err = n == -LX_ENAMETOOLONG ? -LX_ENOSPC : n;
		free(args);
		return NULL;
	}
	args[n] = 0;
	return args;
}

static long sys_init_module(struct lx_proc *p, uint64_t umod, uint64_t len, uint64_t uargs, uint64_t a3, uint64_t a4,
			    uint64_t a5)
{
	(void)a3, (void)a4, (void)a5;
	if (len < 64)
		return -LX_ENOEXEC;
	if (len > MOD_IMAGE_MAX)
		return -LX_EFBIG;
	long e = 0;
	char *args = args_from_user(p, uargs, &e);
	if (!args)
		return e;
	uint8_t *image = malloc(len);
	if (!image)
		e = -LX_ENOMEM;
	else if (lx_copy_from_user(p, image, umod, len))
		e = -LX_EFAULT;
	else
		e = module_load(image, len, args, 0);
	free(image);
	free(args);
	return e;
}

static long sys_finit_module(struct lx_proc *p, uint64_t fd, uint64_t uargs, uint64_t flags, uint64_t a3,
			     uint64_t a4, uint64_t a5)
{
	(void)a3, (void)a4, (void)a5;
	if (flags & ~(uint64_t)(MODULE_INIT_IGNORE_MODVERSIONS | MODULE_INIT_IGNORE_VERMAGIC | MODULE_INIT_COMPRESSED_FILE))
		return -LX_EINVAL;
	if (flags & MODULE_INIT_COMPRESSED_FILE)
		return -95; /* EOPNOTSUPP: no decompressor in lx */
	struct lx_file *f = fd_get(p, (int)fd);
	if (!f || (f->flags & LX_O_ACCMODE) == LX_O_WRONLY)
		return -LX_EBADF;
	if (!f->inode || !LX_S_ISREG(f->inode->mode) || f->inode->sysfs_ops)
		return -LX_EINVAL; /* a /sys file has no bytes of its own */
	if (f->inode->size > MOD_IMAGE_MAX)
		return -LX_EFBIG;
	long e = 0;
	char *args = args_from_user(p, uargs, &e);
	if (!args)
		return e;
	/* the file's bytes as they are (the file cannot change while lx runs the load) */
	static const uint8_t empty[1];
	const uint8_t *data = f->inode->reg.data ? f->inode->reg.data : empty;
	e = module_load(data, (size_t)f->inode->size, args, (unsigned)flags);
	free(args);
	return e;
}

enum { DELETE_O_NONBLOCK = 04000, DELETE_O_TRUNC = 01000 };

static long sys_delete_module(struct lx_proc *p, uint64_t uname, uint64_t flags, uint64_t a2, uint64_t a3, uint64_t a4,
			      uint64_t a5)
{
	(void)a2, (void)a3, (void)a4, (void)a5;
	char name[KMOD_NAME_MAX];
	long n = lx_strncpy_from_user(p, name, uname, sizeof(name));
	if (n < 0)
		return n == -LX_ENAMETOOLONG ? -LX_ENOENT : n;
	struct lx_module *m = module_find(name);
	if (!m)
		return -LX_ENOENT;
	bool force = flags & DELETE_O_TRUNC;
	if (m->state != MOD_LIVE)
		return -LX_EBUSY;
	for (struct lx_module *u = modules; u; u = u->next)
		for (unsigned i = 0; i < u->nuses; i++)
			if (u->uses[i] == m)
				return -LX_EAGAIN; /* EWOULDBLOCK: another module uses it */
	if (m->has_init && !m->has_exit && !force)
		return -LX_EBUSY;
	if (m->refs > 0 && !force)
		return -LX_EAGAIN;
	m->state = MOD_GOING;
	if (m->has_exit)
		kapi_module_run_exit(m->this_module);
	kapi_module_gone(m);
	module_unlink(m);
	module_free(m);
	return 0;
}

void module_register_syscalls(void)
{
	lx_syscall_register(175, "init_module", sys_init_module);
	lx_syscall_register(313, "finit_module", sys_finit_module);
	lx_syscall_register(176, "delete_module", sys_delete_module);
	if (procfs_register("modules", gen_modules))
		mod_err("module: cannot provide /proc/modules");
}

void module_tick(uint64_t ticks) { kapi_tick(ticks); }
