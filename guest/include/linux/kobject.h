/* linux/kobject.h - kobjects: lx has no sysfs; the type exists for the API's signatures. */
#ifndef _LINUX_KOBJECT_H
#define _LINUX_KOBJECT_H
#include <linux/types.h>

struct kobject {
	const char *name;
	struct kobject *parent;
};

#endif
