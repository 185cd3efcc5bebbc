/* linux/sysfs.h - attribute files in /sys: struct attribute, __ATTR, groups (docs/modules.md). */
#ifndef _LINUX_SYSFS_H
#define _LINUX_SYSFS_H
#include <linux/types.h>

struct kobject;

#ifndef PAGE_SIZE
#define PAGE_SIZE 4096UL /* the buffer a sysfs show fills */
#endif

struct attribute {
	const char *name;
	umode_t mode;
};

struct attribute_group {
	const char *name;               /* a subdirectory for the files; NULL: the kobject's own */
	struct attribute **attrs;       /* NULL-terminated */
};

#define __ATTR(_name, _mode, _show, _store)                                                            \
	{                                                                                               \
		.attr = {.name = #_name, .mode = (_mode)}, .show = (_show), .store = (_store),             \
	}
#define __ATTR_RO(_name) __ATTR(_name, 0444, _name##_show, NULL)
#define __ATTR_RO_MODE(_name, _mode) __ATTR(_name, _mode, _name##_show, NULL)
#define __ATTR_WO(_name) __ATTR(_name, 0200, NULL, _name##_store)
#define __ATTR_RW(_name) __ATTR(_name, 0644, _name##_show, _name##_store)
#define __ATTR_RW_MODE(_name, _mode) __ATTR(_name, _mode, _name##_show, _name##_store)
#define __ATTR_NULL {.attr = {.name = NULL}}

/* attr must be the attr of a struct kobj_attribute (linux/kobject.h). 0 or -errno. */
int sysfs_create_file(struct kobject *kobj, const struct attribute *attr);
void sysfs_remove_file(struct kobject *kobj, const struct attribute *attr);
int sysfs_create_group(struct kobject *kobj, const struct attribute_group *grp);
void sysfs_remove_group(struct kobject *kobj, const struct attribute_group *grp);

#endif
