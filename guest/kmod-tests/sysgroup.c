/* sysgroup: an attribute group on a nested kobject, a store that refuses (-EINVAL), and a kobject left behind at exit. */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/sysfs.h>

static struct kobject *top, *inner, *left;
static int level = 3;
static char label[32] = "none";

static ssize_t level_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sprintf(buf, "%d\n", level);
}

/* only 0..9 */
static ssize_t level_store(struct kobject *kobj, struct kobj_attribute *attr, const char *buf, size_t count)
{
	int v;
	if (sscanf(buf, "%d", &v) != 1 || v < 0 || v > 9)
		return -EINVAL;
	level = v;
	return count;
}

static ssize_t label_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sprintf(buf, "%s in %s\n", label, kobject_name(kobj));
}

static ssize_t label_store(struct kobject *kobj, struct kobj_attribute *attr, const char *buf, size_t count)
{
	snprintf(label, sizeof(label), "%.*s", (int)(count && buf[count - 1] == '\n' ? count - 1 : count), buf);
	return count;
}

static ssize_t secret_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sprintf(buf, "ro\n");
}

static struct kobj_attribute level_attr = __ATTR_RW(level);
static struct kobj_attribute label_attr = __ATTR(label, 0644, label_show, label_store);
static struct kobj_attribute secret_attr = __ATTR_RO(secret);

static struct attribute *inner_attrs[] = {&level_attr.attr, &label_attr.attr, &secret_attr.attr, NULL};
static const struct attribute_group inner_group = {.attrs = inner_attrs};

static int __init sysgroup_init(void)
{
	top = kobject_create_and_add("sysgroup", kernel_kobj);
	if (!top)
		return -ENOMEM;
	inner = kobject_create_and_add("inner", top);
	if (!inner || sysfs_create_group(inner, &inner_group)) {
		kobject_put(inner);
		kobject_put(top);
		return -ENOMEM;
	}
	if (kobject_create_and_add("sysgroup", kernel_kobj))
		pr_info("sysgroup: a second sysgroup was made\n");
	left = kobject_create_and_add("sysleft", NULL);
	pr_info("sysgroup: ready\n");
	return 0;
}

static void __exit sysgroup_exit(void)
{
	sysfs_remove_group(inner, &inner_group);
	kobject_put(inner);
	kobject_put(top);
	/* left is left for lx to remove */
}

module_init(sysgroup_init);
module_exit(sysgroup_exit);

MODULE_LICENSE("GPL");
