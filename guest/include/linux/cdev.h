/* linux/cdev.h - a char device driving a range of device numbers. */
#ifndef _LINUX_CDEV_H
#define _LINUX_CDEV_H
#include <linux/types.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/fs.h>

struct cdev {
	struct kobject kobj;
	struct module *owner;
	const struct file_operations *ops;
	struct list_head list;
	dev_t dev;
	unsigned int count;
	void *__lx;                    /* lx's registration while added */
};

void cdev_init(struct cdev *cdev, const struct file_operations *fops);
struct cdev *cdev_alloc(void);
int cdev_add(struct cdev *cdev, dev_t dev, unsigned count);
void cdev_del(struct cdev *cdev);

#endif
