/* linux/miscdevice.h - a single-node char device of major 10, its /dev node made by misc_register. */
#ifndef _LINUX_MISCDEVICE_H
#define _LINUX_MISCDEVICE_H
#include <linux/types.h>
#include <linux/list.h>
#include <linux/fs.h>
#include <linux/device.h>

#define MISC_MAJOR 10
#define MISC_DYNAMIC_MINOR 255

struct miscdevice {
	int minor;                     /* MISC_DYNAMIC_MINOR: lx picks one (and writes it here) */
	const char *name;
	const struct file_operations *fops;
	struct list_head list;
	struct device *parent;
	struct device *this_device;
	const char *nodename;          /* /dev/<nodename>, else /dev/<name> */
	umode_t mode;
	void *__lx;
};

int misc_register(struct miscdevice *misc);
void misc_deregister(struct miscdevice *misc);

#endif
