/* linux/module.h - what a module is to lx: struct module, THIS_MODULE, MODULE_* information, references. */
#ifndef _LINUX_MODULE_H
#define _LINUX_MODULE_H
#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/stat.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/export.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>
#include <linux/kobject.h>
#include <linux/list.h>

#define MODULE_NAME_LEN 56

/*
 * The module's own description, in its section .gnu.linkonce.this_module
 * (written by the kbuild's NAME.mod.c). The loader checks the section's
 * size against this struct's, reads name, init and exit, and sets lx to
 * its own record of the module (guest/module.c). lx's layout, not Linux's.
 */
struct module {
	char name[MODULE_NAME_LEN];
	int (*init)(void);
	void (*exit)(void);
	void *lx;
	unsigned long __reserved[6];
} __aligned(64);
_Static_assert(sizeof(struct module) == 128, "struct module is 128 bytes (the loader checks it)");

#ifdef MODULE
extern struct module __this_module;
#define THIS_MODULE (&__this_module)
#define MODULE_INFO(tag, info)                                                                   \
	static const char __UNIQUE_ID(tag)[] __used __section(".modinfo") __aligned(1) = __stringify(tag) "=" info
#else
#define THIS_MODULE ((struct module *)0)
#define MODULE_INFO(tag, info)
#endif

#define MODULE_LICENSE(_license) MODULE_INFO(license, _license)
#define MODULE_AUTHOR(_author) MODULE_INFO(author, _author)
#define MODULE_DESCRIPTION(_description) MODULE_INFO(description, _description)
#define MODULE_VERSION(_version) MODULE_INFO(version, _version)
#define MODULE_ALIAS(_alias) MODULE_INFO(alias, _alias)
#define MODULE_SOFTDEP(_softdep) MODULE_INFO(softdep, _softdep)
#define MODULE_FIRMWARE(_firmware) MODULE_INFO(firmware, _firmware)
#define MODULE_IMPORT_NS(ns) MODULE_INFO(import_ns, #ns)
#define MODULE_DEVICE_TABLE(type, name)

/* A reference keeps a module from being unloaded (rmmod: "in use"). */
bool try_module_get(struct module *module);
void __module_get(struct module *module);
void module_put(struct module *module);
int module_refcount(struct module *module);
#define module_name(mod) ((mod) ? (mod)->name : "kernel")

#endif
