/* linux/moduleparam.h - module parameters: the __param section the loader fills from insmod's arguments. */
#ifndef _LINUX_MODULEPARAM_H
#define _LINUX_MODULEPARAM_H
#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/stringify.h>

struct module;
struct kernel_param;

struct kernel_param_ops {
	unsigned int flags;
	int (*set)(const char *val, const struct kernel_param *kp);    /* 0 or -errno */
	int (*get)(char *buffer, const struct kernel_param *kp);       /* the length written */
	void (*free)(void *arg);
};

struct kparam_string {
	unsigned int maxlen;
	char *string;
};

struct kparam_array {
	unsigned int max;
	unsigned int elemsize;
	unsigned int *num;
	const struct kernel_param_ops *ops;
	void *elem;
};

/* One entry of __param (40 bytes, as Linux's). */
struct kernel_param {
	const char *name;
	struct module *mod;
	const struct kernel_param_ops *ops;
	const u16 perm;
	s8 level;
	u8 flags;
	union {
		void *arg;
		const struct kparam_string *str;
		const struct kparam_array *arr;
	};
};

#define MAX_PARAM_PREFIX_LEN (64 - sizeof(unsigned long))

#ifdef MODULE
#define __MODULE_PARM_TYPE(name, _type) MODULE_INFO(parmtype, #name ":" _type)
#define MODULE_PARM_DESC(_parm, desc) MODULE_INFO(parm, #_parm ":" desc)
#else
#define __MODULE_PARM_TYPE(name, _type)
#define MODULE_PARM_DESC(_parm, desc)
#endif

#define __module_param_call(prefix, name, ops, arg, perm, level, flags)                               \
	static const char __param_str_##name[] = prefix #name;                                        \
	static struct kernel_param __param_##name __used __section("__param") __aligned(sizeof(void *)) = { \
		__param_str_##name, THIS_MODULE, ops, perm, level, flags, {arg}}

#define module_param_cb(name, ops, arg, perm) __module_param_call("", name, ops, arg, perm, -1, 0)
#define module_param_named(name, value, type, perm)                                                   \
	param_check_##type(name, &(value));                                                           \
	module_param_cb(name, &param_ops_##type, &value, perm);                                       \
	__MODULE_PARM_TYPE(name, #type)
#define module_param(name, type, perm) module_param_named(name, name, type, perm)
#define module_param_unsafe(name, type, perm) module_param(name, type, perm)

#define module_param_string(name, string, len, perm)                                                  \
	static const struct kparam_string __param_string_##name = {len, string};                      \
	__module_param_call("", name, &param_ops_string, .str = &__param_string_##name, perm, -1, 0); \
	__MODULE_PARM_TYPE(name, "string")

#define module_param_array_named(name, array, type, nump, perm)                                       \
	param_check_##type(name, &(array)[0]);                                                        \
	static const struct kparam_array __param_arr_##name = {                                       \
		.max = sizeof(array) / sizeof((array)[0]), .num = nump, .ops = &param_ops_##type,      \
		.elemsize = sizeof((array)[0]), .elem = array};                                        \
	__module_param_call("", name, &param_array_ops, .arr = &__param_arr_##name, perm, -1, 0);     \
	__MODULE_PARM_TYPE(name, "array of " #type)
#define module_param_array(name, type, nump, perm) module_param_array_named(name, name, type, nump, perm)

/* Type checks: the variable must have the parameter's type. */
#define __param_check(name, p, type) static inline __maybe_unused type *__check_##name(void) { return (p); }
#define param_check_byte(name, p) __param_check(name, p, unsigned char)
#define param_check_short(name, p) __param_check(name, p, short)
#define param_check_ushort(name, p) __param_check(name, p, unsigned short)
#define param_check_int(name, p) __param_check(name, p, int)
#define param_check_uint(name, p) __param_check(name, p, unsigned int)
#define param_check_long(name, p) __param_check(name, p, long)
#define param_check_ulong(name, p) __param_check(name, p, unsigned long)
#define param_check_ullong(name, p) __param_check(name, p, unsigned long long)
#define param_check_hexint(name, p) __param_check(name, p, unsigned int)
#define param_check_charp(name, p) __param_check(name, p, char *)
#define param_check_bool(name, p) __param_check(name, p, bool)
#define param_check_invbool(name, p) __param_check(name, p, bool)

#define __lx_param_type(type)                                                                         \
	extern const struct kernel_param_ops param_ops_##type;                                       \
	int param_set_##type(const char *val, const struct kernel_param *kp);                         \
	int param_get_##type(char *buffer, const struct kernel_param *kp);
__lx_param_type(byte)
__lx_param_type(short)
__lx_param_type(ushort)
__lx_param_type(int)
__lx_param_type(uint)
__lx_param_type(long)
__lx_param_type(ulong)
__lx_param_type(ullong)
__lx_param_type(hexint)
__lx_param_type(charp)
__lx_param_type(bool)
__lx_param_type(invbool)
__lx_param_type(string)
extern const struct kernel_param_ops param_array_ops;

#endif
