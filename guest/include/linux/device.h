/* linux/device.h - device classes and devices: device_create makes /dev/NAME (lx's devtmpfs work). */
#ifndef _LINUX_DEVICE_H
#define _LINUX_DEVICE_H
#include <linux/types.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/err.h>
#include <linux/printk.h>
#include <linux/kdev_t.h>

struct module;
struct device;

struct class {
	const char *name;
	char *(*devnode)(const struct device *dev, umode_t *mode);
	struct list_head __lx_devices;
	char __lx_name[32];
};

struct device {
	struct kobject kobj;
	struct device *parent;
	struct class *class;
	dev_t devt;
	void *driver_data;
	void *platform_data;
	const char *init_name;
	struct list_head __lx_node;
	char __lx_name[64];            /* the node is /dev/<this> */
};

/* class_create(name), as since Linux 6.4; the older class_create(THIS_MODULE, name) is accepted too. */
struct class *class_create(const char *name);
#define __lx_class_create_pick(_1, _2, fn, ...) fn
#define __lx_class_create_owner(owner, name) ((void)(owner), class_create(name))
#define class_create(...) __lx_class_create_pick(__VA_ARGS__, __lx_class_create_owner, class_create)(__VA_ARGS__)
void class_destroy(const struct class *cls);
struct device *device_create(const struct class *cls, struct device *parent, dev_t devt, void *drvdata,
			     const char *fmt, ...) __printf(5, 6);
void device_destroy(const struct class *cls, dev_t devt);
static inline void *dev_get_drvdata(const struct device *dev) { return dev->driver_data; }
static inline void dev_set_drvdata(struct device *dev, void *data) { dev->driver_data = data; }
static inline const char *dev_name(const struct device *dev) { return dev->__lx_name; }

#define dev_emerg(dev, fmt, ...) printk(KERN_EMERG "%s: " fmt, dev_name(dev), ##__VA_ARGS__)
#define dev_alert(dev, fmt, ...) printk(KERN_ALERT "%s: " fmt, dev_name(dev), ##__VA_ARGS__)
#define dev_crit(dev, fmt, ...) printk(KERN_CRIT "%s: " fmt, dev_name(dev), ##__VA_ARGS__)
#define dev_err(dev, fmt, ...) printk(KERN_ERR "%s: " fmt, dev_name(dev), ##__VA_ARGS__)
#define dev_warn(dev, fmt, ...) printk(KERN_WARNING "%s: " fmt, dev_name(dev), ##__VA_ARGS__)
#define dev_notice(dev, fmt, ...) printk(KERN_NOTICE "%s: " fmt, dev_name(dev), ##__VA_ARGS__)
#define dev_info(dev, fmt, ...) printk(KERN_INFO "%s: " fmt, dev_name(dev), ##__VA_ARGS__)
#define dev_dbg(dev, fmt, ...) no_printk(KERN_DEBUG "%s: " fmt, dev_name(dev), ##__VA_ARGS__)

#endif
