/* Module API: struct module for the loader, module references, and module parameters (insmod's NAME=VALUE arguments). */
#include <linux/module.h>
#include <linux/slab.h>
#include "kapi/kapi.h"
#include "kapi/internal.h"
#include "kmod.h"

const size_t kapi_this_module_size = sizeof(struct module);
const size_t kapi_kernel_param_size = sizeof(struct kernel_param);
const size_t kapi_kernel_symbol_size = sizeof(struct kernel_symbol);

bool kapi_module_has_init(const void *tm) { return ((const struct module *)tm)->init != NULL; }
bool kapi_module_has_exit(const void *tm) { return ((const struct module *)tm)->exit != NULL; }

int kapi_module_run_init(const void *tm)
{
	const struct module *m = tm;
	return m->init ? m->init() : 0;
}

void kapi_module_run_exit(const void *tm)
{
	const struct module *m = tm;
	if (m->exit)
		m->exit();
}

void kapi_module_bind(void *tm, struct lx_module *lm) { ((struct module *)tm)->lx = lm; }

const char *kapi_ksym_at(const void *table, size_t i, uint64_t *value)
{
	const struct kernel_symbol *s = (const struct kernel_symbol *)table + i;
	*value = (uint64_t)s->value;
	return s->name ? s->name : "";
}

void kapi_module_gone(struct lx_module *m)
{
	chrdev_module_gone(m);
	sched_module_gone(m);
	procfs_module_gone(m);
	sysfs_module_gone(m);
}

/* ---- references ---- */

bool try_module_get(struct module *module)
{
	return !module || !module->lx || module_get(module->lx);
}
EXPORT_SYMBOL(try_module_get);

void __module_get(struct module *module)
{
	if (module && module->lx)
		module_get(module->lx);
}
EXPORT_SYMBOL(__module_get);

void module_put(struct module *module)
{
	if (module && module->lx)
		module_put_ref(module->lx);
}
EXPORT_SYMBOL(module_put);

int module_refcount(struct module *module) { return module && module->lx ? module_refs(module->lx) : 0; }
EXPORT_SYMBOL(module_refcount);

/* ---- parameters ---- */

#define KERNEL_PARAM_OPS_FL_NOARG 1

#define PARAM_INT(type, ctype, conv, fmt)                                                        \
	int param_set_##type(const char *val, const struct kernel_param *kp)                    \
	{                                                                                        \
		return val ? conv(val, 0, (ctype *)kp->arg) : -EINVAL;                           \
	}                                                                                        \
	EXPORT_SYMBOL(param_set_##type);                                                         \
	int param_get_##type(char *buffer, const struct kernel_param *kp)                       \
	{                                                                                        \
		return scnprintf(buffer, 4096, fmt "\n", *(ctype *)kp->arg);                     \
	}                                                                                        \
	EXPORT_SYMBOL(param_get_##type);                                                         \
	const struct kernel_param_ops param_ops_##type = {.set = param_set_##type, .get = param_get_##type}; \
	EXPORT_SYMBOL(param_ops_##type);

PARAM_INT(byte, unsigned char, kstrtou8, "%hhu")
PARAM_INT(short, short, kstrtos16, "%hi")
PARAM_INT(ushort, unsigned short, kstrtou16, "%hu")
PARAM_INT(int, int, kstrtoint, "%i")
PARAM_INT(uint, unsigned int, kstrtouint, "%u")
PARAM_INT(long, long, kstrtol, "%li")
PARAM_INT(ulong, unsigned long, kstrtoul, "%lu")
PARAM_INT(ullong, unsigned long long, kstrtoull, "%llu")
PARAM_INT(hexint, unsigned int, kstrtouint, "%#08x")

int param_set_charp(const char *val, const struct kernel_param *kp)
{
	if (!val)
		return -EINVAL;
	if (strlen(val) > 1024) {
		pr_err("%s: string parameter too long\n", kp->name);
		return -ENOSPC;
	}
	/* the argument string goes after the load: keep a copy (it stays for the module's lifetime) */
	char *copy = kstrdup(val, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	*(char **)kp->arg = copy;
	return 0;
}
EXPORT_SYMBOL(param_set_charp);
int param_get_charp(char *buffer, const struct kernel_param *kp)
{
	return scnprintf(buffer, 4096, "%s\n", *(char **)kp->arg ? *(char **)kp->arg : "(null)");
}
EXPORT_SYMBOL(param_get_charp);
const struct kernel_param_ops param_ops_charp = {.set = param_set_charp, .get = param_get_charp};
EXPORT_SYMBOL(param_ops_charp);

int param_set_bool(const char *val, const struct kernel_param *kp)
{
	if (!val) /* a bare name: true */
		val = "1";
	return kstrtobool(val, (bool *)kp->arg);
}
EXPORT_SYMBOL(param_set_bool);
int param_get_bool(char *buffer, const struct kernel_param *kp)
{
	return scnprintf(buffer, 4096, "%c\n", *(bool *)kp->arg ? 'Y' : 'N');
}
EXPORT_SYMBOL(param_get_bool);
const struct kernel_param_ops param_ops_bool = {.flags = KERNEL_PARAM_OPS_FL_NOARG, .set = param_set_bool,
						.get = param_get_bool};
EXPORT_SYMBOL(param_ops_bool);

int param_set_invbool(const char *val, const struct kernel_param *kp)
{
	bool v;
	int e = kstrtobool(val ? val : "1", &v);
	if (!e)
		*(bool *)kp->arg = !v;
	return e;
}
EXPORT_SYMBOL(param_set_invbool);
int param_get_invbool(char *buffer, const struct kernel_param *kp)
{
	return scnprintf(buffer, 4096, "%c\n", *(bool *)kp->arg ? 'N' : 'Y');
}
EXPORT_SYMBOL(param_get_invbool);
const struct kernel_param_ops param_ops_invbool = {.flags = KERNEL_PARAM_OPS_FL_NOARG, .set = param_set_invbool,
						   .get = param_get_invbool};
EXPORT_SYMBOL(param_ops_invbool);

int param_set_string(const char *val, const struct kernel_param *kp)
{
	if (!val)
		return -EINVAL;
	if (strlen(val) + 1 > kp->str->maxlen) {
		pr_err("%s: string doesn't fit in %u chars.\n", kp->name, kp->str->maxlen - 1);
		return -ENOSPC;
	}
	strcpy(kp->str->string, val);
	return 0;
}
EXPORT_SYMBOL(param_set_string);
int param_get_string(char *buffer, const struct kernel_param *kp)
{
	return scnprintf(buffer, 4096, "%s\n", kp->str->string);
}
EXPORT_SYMBOL(param_get_string);
const struct kernel_param_ops param_ops_string = {.set = param_set_string, .get = param_get_string};
EXPORT_SYMBOL(param_ops_string);

/* An array: comma-separated values, each set by the element type's ops. */
static int param_array_set(const char *val, const struct kernel_param *kp)
{
	const struct kparam_array *arr = kp->arr;
	if (!val)
		return -EINVAL;
	char *copy = kstrdup(val, GFP_KERNEL), *s = copy, *item;
	if (!copy)
		return -ENOMEM;
	unsigned int n = 0;
	int e = 0;
	while ((item = strsep(&s, ","))) {
		if (n == arr->max) {
			pr_err("%s: can only take %u arguments\n", kp->name, arr->max);
			e = -EINVAL;
			break;
		}
		struct kernel_param elem = {.name = kp->name, .mod = kp->mod, .ops = arr->ops, .perm = kp->perm, .level = 0,
					    .flags = 0, {.arg = (char *)arr->elem + (size_t)n * arr->elemsize}};
		if ((e = arr->ops->set(item, &elem)))
			break;
		n++;
	}
	if (!e && arr->num)
		*arr->num = n;
	kfree(copy);
	return e;
}

static int param_array_get(char *buffer, const struct kernel_param *kp)
{
	const struct kparam_array *arr = kp->arr;
	unsigned int n = arr->num ? *arr->num : arr->max;
	int off = 0;
	for (unsigned int i = 0; i < n; i++) {
		struct kernel_param elem = {.name = kp->name, .mod = kp->mod, .ops = arr->ops, .perm = kp->perm, .level = 0,
					    .flags = 0, {.arg = (char *)arr->elem + (size_t)i * arr->elemsize}};
		if (i)
			buffer[off - 1] = ','; /* over the element's newline */
		off += arr->ops->get(buffer + off, &elem);
	}
	return off;
}

const struct kernel_param_ops param_array_ops = {.set = param_array_set, .get = param_array_get};
EXPORT_SYMBOL(param_array_ops);

/* Linux treats - and _ in parameter names alike. */
static bool param_eq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (*a != *b && !((*a == '-' || *a == '_') && (*b == '-' || *b == '_')))
			return false;
	return *a == *b;
}

int kapi_module_params(void *params, size_t count, char *args, const char *modname)
{
	struct kernel_param *kp = params;
	char *name, *val;
	while ((args = kmod_next_param(args, &name, &val))) {
		size_t i = 0;
		while (i < count && !param_eq(kp[i].name, name))
			i++;
		if (i == count) {
			pr_warn("%s: unknown parameter '%s' ignored\n", modname, name);
			continue;
		}
		if (!val && !(kp[i].ops->flags & KERNEL_PARAM_OPS_FL_NOARG)) {
			pr_err("%s: parameter '%s' needs a value\n", modname, name);
			return -EINVAL;
		}
		int e = kp[i].ops->set(val, &kp[i]);
		if (e) {
			pr_err("%s: '%s' invalid for parameter '%s'\n", modname, val ? val : "", name);
			return e;
		}
	}
	return 0;
}
