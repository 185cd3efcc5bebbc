/* linux/kobject.h - kobjects: directories in /sys (kobject_create_and_add, kobject_put; docs/modules.md). */
#ifndef _LINUX_KOBJECT_H
#define _LINUX_KOBJECT_H
#include <linux/types.h>
#include <linux/sysfs.h>

/* name and parent are Linux's; the rest is lx's. A kobject embedded in
 * another structure (struct device, struct cdev) has no directory. */
struct kobject {
	const char *name;
	struct kobject *parent;
	int __lx_refs;
	void *__lx_dir;                 /* its directory in /sys (a struct lx_inode) */
	void *__lx_owner;               /* the module that made it */
	void *__lx_next;                /* lx's list of kobjects with directories */
};

/* /sys/kernel */
extern struct kobject *kernel_kobj;

/* A directory NAME in parent's (NULL: /sys); the kobject, or NULL. */
struct kobject *kobject_create_and_add(const char *name, struct kobject *parent);
struct kobject *kobject_get(struct kobject *kobj);
/* Drops a reference; the last removes the directory and everything in it. */
void kobject_put(struct kobject *kobj);
static inline const char *kobject_name(const struct kobject *kobj) { return kobj->name; }

/* A file of a kobject's directory: show fills buf (PAGE_SIZE bytes) and
 * gives its length; store gets what was written (count bytes, at most
 * PAGE_SIZE, NUL-terminated) and gives count or -errno. */
struct kobj_attribute {
	struct attribute attr;
	ssize_t (*show)(struct kobject *kobj, struct kobj_attribute *attr, char *buf);
	ssize_t (*store)(struct kobject *kobj, struct kobj_attribute *attr, const char *buf, size_t count);
};

#endif
