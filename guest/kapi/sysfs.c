/* Module API: kobjects as directories in /sys and their attribute files (kobject_create_and_add, sysfs_create_file), through fs/sysfs.h. */
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include "kapi/kapi.h"
#include "kapi/internal.h"
#include "fs/fs.h"
#include "fs/sysfs.h"

/*
 * A kobject made by kobject_create_and_add is a kdir: its directory's inode
 * (held) and the inode of the directory holding it (held too, so that a
 * parent put first leaves nothing dangling). Each attribute file is a sattr
 * in the list below: it holds the inode of its directory. Reading a file
 * calls show() into a PAGE_SIZE buffer; a write calls store() with all the
 * bytes written at once. The module that made the file is held
 * (try_module_get) while a file is open on it, so rmmod says "in use" until
 * it is closed; a file removed while open gives EIO until closed.
 */

struct kdir {
	struct kobject kobj;
	struct list_head node;
	struct lx_inode *pdir;          /* the directory holding it */
	struct lx_module *owner;
	char name[LX_NAME_MAX + 1];
};

struct sattr {
	struct list_head node;
	struct kobject *kobj;
	const struct attribute *attr;   /* in a struct kobj_attribute */
	struct lx_inode *dir;           /* held */
	struct lx_module *owner;
	int opens;
	bool removed;
};

struct sopen {
	struct sattr *sa;
	char *buf;                      /* PAGE_SIZE + 1 */
	size_t len;
	bool made;
};

static LIST_HEAD(kdirs);
static LIST_HEAD(sattrs);
static const struct lx_file_ops sattr_ops;

static struct kdir kernel_kdir = {.kobj = {.name = "kernel", .__lx_refs = 1}};
struct kobject *kernel_kobj = &kernel_kdir.kobj;
EXPORT_SYMBOL(kernel_kobj);

static struct lx_inode *dir_of(struct kobject *kobj)
{
	if (kobj == &kernel_kdir.kobj)
		return sysfs_kernel_dir();
	return kobj ? kobj->__lx_dir : NULL;
}

static const char *errname(long e)
{
	return e == -LX_EEXIST ? "the name is taken" : e == -LX_ENOMEM ? "out of memory" : "a bad name or parent";
}

struct kobject *kobject_create_and_add(const char *name, struct kobject *parent)
{
	struct lx_inode *pdir = parent ? dir_of(parent) : sysfs_root();
	if (!name || !pdir) {
		pr_err("kobject_create_and_add: %s: no name or no parent directory\n", name ? name : "(null)");
		return NULL;
	}
	if (strlen(name) > LX_NAME_MAX)
		return NULL;
	struct kdir *kd = kzalloc(sizeof(*kd), GFP_KERNEL);
	if (!kd)
		return NULL;
	strscpy(kd->name, name, sizeof(kd->name));
	long err;
	struct lx_inode *dir = sysfs_mkdir(pdir, kd->name, &err);
	if (!dir) {
		pr_err("kobject_create_and_add: %s: %s\n", name, errname(err));
		kfree(kd);
		return NULL;
	}
	inode_hold(pdir);
	kd->pdir = pdir;
	kd->owner = kapi_caller();
	kd->kobj.name = kd->name;
	kd->kobj.parent = parent;
	kd->kobj.__lx_refs = 1;
	kd->kobj.__lx_dir = dir;
	kd->kobj.__lx_owner = kd->owner;
	list_add_tail(&kd->node, &kdirs);
	return &kd->kobj;
}
EXPORT_SYMBOL(kobject_create_and_add);

struct kobject *kobject_get(struct kobject *kobj)
{
	if (kobj)
		kobj->__lx_refs++;
	return kobj;
}
EXPORT_SYMBOL(kobject_get);

static void sattr_remove(struct sattr *sa)
{
	if (sa->removed)
		return;
	sysfs_remove(sa->dir, sa->attr->name);
	inode_release(sa->dir);
	sa->dir = NULL;
	list_del(&sa->node);
	sa->removed = true;
	if (!sa->opens)
		kfree(sa);
}

static void kdir_remove(struct kdir *kd)
{
	struct sattr *sa, *sn;
	list_for_each_entry_safe(sa, sn, &sattrs, node)
		if (sa->kobj == &kd->kobj)
			sattr_remove(sa);
	struct lx_inode *dir = kd->kobj.__lx_dir;
	sysfs_remove(kd->pdir, kd->name);
	inode_release(dir);
	inode_release(kd->pdir);
	list_del(&kd->node);
	kfree(kd);
}

static struct kdir *kdir_of(struct kobject *kobj)
{
	struct kdir *kd;
	list_for_each_entry(kd, &kdirs, node)
		if (&kd->kobj == kobj)
			return kd;
	return NULL;
}

void kobject_put(struct kobject *kobj)
{
	if (!kobj || kobj == &kernel_kdir.kobj)
		return;
	struct kdir *kd = kdir_of(kobj);
	if (!kd) {
		if (--kobj->__lx_refs < 0)
			kobj->__lx_refs = 0; /* embedded in another structure: nothing of lx's to free */
		return;
	}
	if (--kobj->__lx_refs <= 0)
		kdir_remove(kd);
}
EXPORT_SYMBOL(kobject_put);

static int add_attr(struct kobject *kobj, struct lx_inode *dir, const struct attribute *attr, struct lx_module *owner)
{
	if (!attr || !attr->name || !dir)
		return -EINVAL;
	struct sattr *sa = kzalloc(sizeof(*sa), GFP_KERNEL);
	if (!sa)
		return -ENOMEM;
	sa->kobj = kobj;
	sa->attr = attr;
	sa->dir = dir;
	sa->owner = owner;
	umode_t mode = attr->mode & 0777;
	long e = sysfs_add_file(dir, attr->name, mode, &sattr_ops, sa);
	if (e) {
		pr_err("sysfs: %s/%s: %s\n", kobj->name ? kobj->name : "?", attr->name, errname(e));
		kfree(sa);
		return (int)e;
	}
	inode_hold(dir);
	list_add_tail(&sa->node, &sattrs);
	return 0;
}

static struct sattr *find_attr(struct kobject *kobj, const struct attribute *attr)
{
	struct sattr *sa;
	list_for_each_entry(sa, &sattrs, node)
		if (sa->kobj == kobj && sa->attr == attr)
			return sa;
	return NULL;
}

int sysfs_create_file(struct kobject *kobj, const struct attribute *attr)
{
	if (!kobj)
		return -EINVAL;
	return add_attr(kobj, dir_of(kobj), attr, kapi_caller());
}
EXPORT_SYMBOL(sysfs_create_file);

void sysfs_remove_file(struct kobject *kobj, const struct attribute *attr)
{
	struct sattr *sa = find_attr(kobj, attr);
	if (sa)
		sattr_remove(sa);
}
EXPORT_SYMBOL(sysfs_remove_file);

static void remove_group(struct kobject *kobj, const struct attribute_group *grp)
{
	for (struct attribute **a = grp->attrs; a && *a; a++)
		sysfs_remove_file(kobj, *a);
	if (grp->name)
		sysfs_remove(dir_of(kobj), grp->name);
}

int sysfs_create_group(struct kobject *kobj, const struct attribute_group *grp)
{
	if (!kobj || !grp || !dir_of(kobj))
		return -EINVAL;
	struct lx_module *owner = kapi_caller();
	struct lx_inode *dir = dir_of(kobj);
	if (grp->name) {
		long err;
		dir = sysfs_mkdir(dir, grp->name, &err);
		if (!dir) {
			pr_err("sysfs_create_group: %s/%s: %s\n", kobj->name ? kobj->name : "?", grp->name, errname(err));
			return (int)err;
		}
	}
	int e = 0;
	for (struct attribute **a = grp->attrs; a && *a && !e; a++)
		e = add_attr(kobj, dir, *a, owner);
	if (grp->name)
		inode_release(dir); /* each file holds it */
	if (e)
		remove_group(kobj, grp);
	return e;
}
EXPORT_SYMBOL(sysfs_create_group);

void sysfs_remove_group(struct kobject *kobj, const struct attribute_group *grp)
{
	if (kobj && grp)
		remove_group(kobj, grp);
}
EXPORT_SYMBOL(sysfs_remove_group);

void sysfs_module_gone(struct lx_module *m)
{
	struct sattr *sa, *sn;
	list_for_each_entry_safe(sa, sn, &sattrs, node)
		if (sa->owner == m && sa->kobj == &kernel_kdir.kobj) {
			pr_warn("%s: left /sys/kernel/%s; removed\n", module_name_of(m), sa->attr->name);
			sattr_remove(sa);
		}
	/* children before parents: the newest first */
	for (struct list_head *l = kdirs.prev, *pl; l != &kdirs; l = pl) {
		pl = l->prev;
		struct kdir *kd = list_entry(l, struct kdir, node);
		if (kd->owner == m) {
			pr_warn("%s: left kobject %s in /sys; removed\n", module_name_of(m), kd->name);
			kdir_remove(kd);
		}
	}
	list_for_each_entry_safe(sa, sn, &sattrs, node)
		if (sa->owner == m) {
			pr_warn("%s: left /sys file %s; removed\n", module_name_of(m), sa->attr->name);
			sattr_remove(sa);
		}
}

/* ---- lx's open file → show and store ---- */

static struct kobj_attribute *kattr_of(struct sattr *sa)
{
	return container_of((struct attribute *)sa->attr, struct kobj_attribute, attr);
}

static long sattr_open(struct lx_proc *p, struct lx_file *f)
{
	(void)p;
	struct sattr *sa = f->inode->sysfs_priv;
	if (!sa || sa->removed)
		return -LX_ENOENT;
	struct kobj_attribute *ka = kattr_of(sa);
	unsigned acc = f->flags & LX_O_ACCMODE;
	if ((acc != LX_O_RDONLY && !ka->store) || (acc != LX_O_WRONLY && !ka->show))
		return -LX_EACCES; /* as Linux's sysfs: no handler for that direction */
	if (sa->owner && !module_get(sa->owner))
		return -LX_ENOENT; /* its module is going away */
	struct sopen *so = kzalloc(sizeof(*so), GFP_KERNEL);
	char *buf = kzalloc(PAGE_SIZE + 1, GFP_KERNEL);
	if (!so || !buf) {
		kfree(so);
		kfree(buf);
		if (sa->owner)
			module_put_ref(sa->owner);
		return -LX_ENOMEM;
	}
	so->sa = sa;
	so->buf = buf;
	sa->opens++;
	f->priv = so;
	return 0;
}

static long sattr_read(struct lx_proc *p, struct lx_file *f, uint64_t buf, size_t n, uint64_t *pos)
{
	struct sopen *so = f->priv;
	struct sattr *sa = so->sa;
	if (sa->removed)
		return -LX_EIO;
	struct kobj_attribute *ka = kattr_of(sa);
	if (!ka->show)
		return -LX_EIO;
	if (!so->made || *pos == 0) {
		memset(so->buf, 0, PAGE_SIZE + 1);
		ssize_t r = ka->show(sa->kobj, ka, so->buf);
		if (r < 0)
			return kapi_lx_result(r);
		so->len = (size_t)r > PAGE_SIZE ? PAGE_SIZE : (size_t)r;
		so->made = true;
	}
	if (*pos >= so->len)
		return 0;
	size_t k = so->len - (size_t)*pos;
	if (k > n)
		k = n;
	if (lx_copy_to_user(p, buf, so->buf + *pos, k))
		return -LX_EFAULT;
	*pos += k;
	return (long)k;
}

static long sattr_write(struct lx_proc *p, struct lx_file *f, uint64_t buf, size_t n, uint64_t *pos)
{
	struct sopen *so = f->priv;
	struct sattr *sa = so->sa;
	if (sa->removed)
		return -LX_EIO;
	struct kobj_attribute *ka = kattr_of(sa);
	if (!ka->store)
		return -LX_EIO;
	if (n == 0)
		return 0;
	if (n > PAGE_SIZE - 1)
		n = PAGE_SIZE - 1;
	if (lx_copy_from_user(p, so->buf, buf, n))
		return -LX_EFAULT;
	so->buf[n] = '\0';
	so->made = false;
	ssize_t r = ka->store(sa->kobj, ka, so->buf, n);
	if (r < 0)
		return kapi_lx_result(r);
	if ((size_t)r > n)
		r = (ssize_t)n;
	*pos += (uint64_t)r;
	return (long)r;
}

static void sattr_release(struct lx_file *f)
{
	struct sopen *so = f->priv;
	if (!so)
		return;
	struct sattr *sa = so->sa;
	struct lx_module *owner = sa->owner;
	if (--sa->opens == 0 && sa->removed)
		kfree(sa);
	if (owner)
		module_put_ref(owner);
	kfree(so->buf);
	kfree(so);
}

static const struct lx_file_ops sattr_ops = {
	.open = sattr_open,
	.read = sattr_read,
	.write = sattr_write,
	.release = sattr_release,
	.seekable = true,
};
