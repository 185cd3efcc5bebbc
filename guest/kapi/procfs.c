/* Module API: files in /proc (proc_create, struct proc_ops) and seq_file, served through lx's procfs (fs/procfs.h). */
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "kapi/kapi.h"
#include "kapi/internal.h"
#include "fs/fs.h"
#include "fs/procfs.h"

/*
 * Each proc_create adds a procfs_entry (fs/procfs.h) whose lx_file_ops
 * (pde_file_ops below) call the module's proc_ops with a struct file and
 * struct inode made for that open, as chrdev.c does for file_operations.
 * struct proc_ops has no owner: the module whose code called proc_create
 * owns the entry and is held (try_module_get) while a file is open on it,
 * so rmmod says "in use" until it is closed. An entry removed while open
 * stays until the last close; reads and writes on it then give EIO.
 * Handlers may sleep (wait_event, a contended mutex): open, read, write and
 * ioctl run in KAPI_FILE_OP (internal.h), the wake-and-retry wrapper of
 * chrdev.c, so a sleeping handler ends and is run again from its start when
 * woken.
 */

struct proc_dir_entry {
	struct procfs_entry lx;         /* in lx's procfs */
	struct list_head node;
	char name[LX_NAME_MAX + 1];
	umode_t mode;
	const struct proc_ops *ops;
	int (*single_show)(struct seq_file *, void *); /* proc_create_single */
	void *data;
	struct lx_module *owner;
	struct proc_dir_entry *parent;  /* a proc_mkdir directory, or NULL: /proc */
	int opens;                      /* files open on it */
	bool removed;
};

struct pfile {
	struct file file;
	struct inode inode;
	struct proc_dir_entry *pde;
};

static LIST_HEAD(pdes);
static const struct lx_file_ops pde_file_ops;
static const struct proc_ops single_proc_ops;

static struct proc_dir_entry *pde_add(const char *name, umode_t mode, struct proc_dir_entry *parent,
				      const struct proc_ops *ops, void *data, struct lx_module *owner, bool dir)
{
	if (!name || strlen(name) > LX_NAME_MAX)
		return NULL;
	if (parent && (!parent->lx.dir || parent->removed)) {
		pr_err("proc_create: %s: the parent is not a directory\n", name);
		return NULL;
	}
	struct proc_dir_entry *de = kzalloc(sizeof(*de), GFP_KERNEL);
	if (!de)
		return NULL;
	strscpy(de->name, name, sizeof(de->name));
	if (!(mode & 0777))
		mode |= dir ? 0555 : 0444;
	de->mode = mode & 07777;
	de->ops = ops;
	de->data = data;
	de->owner = owner;
	de->parent = parent;
	de->lx = (struct procfs_entry){.name = de->name, .mode = de->mode, .ops = dir ? NULL : &pde_file_ops,
				       .parent = parent ? &parent->lx : NULL, .dir = dir};
	long e = procfs_add(&de->lx);
	if (e) {
		pr_err("proc_create: /proc/%s%s%s: %s\n", parent ? parent->name : "", parent ? "/" : "", name,
		       e == -LX_EEXIST ? "the name is taken" : "a bad name");
		kfree(de);
		return NULL;
	}
	list_add_tail(&de->node, &pdes);
	return de;
}

struct proc_dir_entry *proc_create_data(const char *name, umode_t mode, struct proc_dir_entry *parent,
					const struct proc_ops *proc_ops, void *data)
{
	return pde_add(name, mode, parent, proc_ops, data, kapi_caller(), false);
}
EXPORT_SYMBOL(proc_create_data);

struct proc_dir_entry *proc_create(const char *name, umode_t mode, struct proc_dir_entry *parent,
				   const struct proc_ops *proc_ops)
{
	return pde_add(name, mode, parent, proc_ops, NULL, kapi_caller(), false);
}
EXPORT_SYMBOL(proc_create);

struct proc_dir_entry *proc_create_single_data(const char *name, umode_t mode, struct proc_dir_entry *parent,
					       int (*show)(struct seq_file *, void *), void *data)
{
	struct proc_dir_entry *de = pde_add(name, mode, parent, &single_proc_ops, data, kapi_caller(), false);
	if (de)
		de->single_show = show;
	return de;
}
EXPORT_SYMBOL(proc_create_single_data);

struct proc_dir_entry *proc_mkdir_data(const char *name, umode_t mode, struct proc_dir_entry *parent, void *data)
{
	return pde_add(name, mode, parent, NULL, data, kapi_caller(), true);
}
EXPORT_SYMBOL(proc_mkdir_data);

struct proc_dir_entry *proc_mkdir_mode(const char *name, umode_t mode, struct proc_dir_entry *parent)
{
	return pde_add(name, mode, parent, NULL, NULL, kapi_caller(), true);
}
EXPORT_SYMBOL(proc_mkdir_mode);

struct proc_dir_entry *proc_mkdir(const char *name, struct proc_dir_entry *parent)
{
	return pde_add(name, 0, parent, NULL, NULL, kapi_caller(), true);
}
EXPORT_SYMBOL(proc_mkdir);

/* Removes de and, for a directory, what is in it (first). A directory's
 * entry is kept (not freed): an inode of it (a process's cwd) may still
 * name it. */
static void pde_remove(struct proc_dir_entry *de)
{
	struct proc_dir_entry *c;
	if (de->removed)
		return;
again:
	list_for_each_entry(c, &pdes, node)
		if (c->parent == de) {
			pde_remove(c);
			goto again;
		}
	procfs_remove(&de->lx);
	list_del(&de->node);
	de->removed = true;
	if (!de->opens && !de->lx.dir)
		kfree(de);
}

void proc_remove(struct proc_dir_entry *de)
{
	if (de)
		pde_remove(de);
}
EXPORT_SYMBOL(proc_remove);

static struct proc_dir_entry *pde_find(const char *name, struct proc_dir_entry *parent)
{
	struct proc_dir_entry *de;
	if (name)
		list_for_each_entry(de, &pdes, node)
			if (de->parent == parent && !strcmp(de->name, name))
				return de;
	return NULL;
}

/* On Linux a directory not empty stays (with a warning); lx removes what is in it too. */
void remove_proc_entry(const char *name, struct proc_dir_entry *parent)
{
	struct proc_dir_entry *de = pde_find(name, parent);
	if (de)
		pde_remove(de);
	else
		pr_warn("remove_proc_entry: no /proc/%s%s%s\n", parent ? parent->name : "", parent ? "/" : "",
			name ? name : "(null)");
}
EXPORT_SYMBOL(remove_proc_entry);

int remove_proc_subtree(const char *name, struct proc_dir_entry *parent)
{
	struct proc_dir_entry *de = pde_find(name, parent);
	if (!de)
		return -ENOENT;
	pde_remove(de);
	return 0;
}
EXPORT_SYMBOL(remove_proc_subtree);

void proc_set_size(struct proc_dir_entry *de, loff_t size)
{
	if (de)
		de->lx.size = size < 0 ? 0 : (uint64_t)size;
}
EXPORT_SYMBOL(proc_set_size);

void proc_set_user(struct proc_dir_entry *de, kuid_t uid, kgid_t gid)
{
	(void)de, (void)uid, (void)gid; /* every process is root in lx */
}
EXPORT_SYMBOL(proc_set_user);

void procfs_module_gone(struct lx_module *m)
{
	struct proc_dir_entry *de;
again:
	list_for_each_entry(de, &pdes, node)
		if (de->owner == m) {
			pr_warn("%s: left /proc/%s%s%s; removed\n", module_name_of(m), de->parent ? de->parent->name : "",
				de->parent ? "/" : "", de->name);
			pde_remove(de);
			goto again;
		}
}

/* ---- lx's open file → the module's proc_ops ---- */

static struct proc_dir_entry *pde_of(struct lx_file *f)
{
	return container_of((struct procfs_entry *)f->inode->proc.entry, struct proc_dir_entry, lx);
}

static struct pfile *pfile_of(struct lx_file *f)
{
	struct pfile *pf = f->priv;
	pf->file.f_flags = f->flags;
	return pf;
}

static long pde_open(struct lx_proc *p, struct lx_file *f)
{
	(void)p;
	struct proc_dir_entry *de = pde_of(f);
	if (de->removed)
		return -LX_ENOENT;
	if (de->owner && !module_get(de->owner))
		return -LX_ENOENT; /* its module is going away */
	struct pfile *pf = kzalloc(sizeof(*pf), GFP_KERNEL);
	if (!pf) {
		if (de->owner)
			module_put_ref(de->owner);
		return -LX_ENOMEM;
	}
	pf->pde = de;
	pf->inode = (struct inode){.i_mode = (umode_t)(S_IFREG | de->mode), .i_ino = (unsigned long)f->inode->ino,
				   .i_size = (loff_t)de->lx.size, .i_private = de->data};
	struct file *file = &pf->file;
	file->__lx_dentry.d_name = (struct qstr){.name = de->name, .len = (u32)strlen(de->name)};
	file->__lx_dentry.d_inode = &pf->inode;
	file->f_path.dentry = &file->__lx_dentry;
	file->f_inode = &pf->inode;
	file->f_flags = f->flags;
	unsigned acc = f->flags & LX_O_ACCMODE;
	file->f_mode = FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE | (acc != LX_O_WRONLY ? FMODE_READ : 0) |
		       (acc != LX_O_RDONLY ? FMODE_WRITE : 0);
	file->__lx_file = f;
	de->opens++;
	long e = 0;
	if (de->ops && de->ops->proc_open)
		KAPI_FILE_OP(e, de->ops->proc_open(&pf->inode, file));
	if (e) {
		de->opens--;
		if (de->owner)
			module_put_ref(de->owner);
		kfree(pf);
		return kapi_lx_result(e);
	}
	f->priv = pf;
	return 0;
}

static long pde_read(struct lx_proc *p, struct lx_file *f, uint64_t buf, size_t n, uint64_t *pos)
{
	(void)p;
	struct pfile *pf = pfile_of(f);
	const struct proc_ops *ops = pf->pde->ops;
	if (pf->pde->removed || !ops || !ops->proc_read)
		return -LX_EIO;
	loff_t off = (loff_t)*pos;
	pf->file.f_pos = off;
	long r;
	KAPI_FILE_OP(r, ops->proc_read(&pf->file, (char __user *)buf, n, &off));
	if (r >= 0)
		*pos = (uint64_t)(pf->file.f_pos = off);
	return kapi_lx_result(r);
}

static long pde_write(struct lx_proc *p, struct lx_file *f, uint64_t buf, size_t n, uint64_t *pos)
{
	(void)p;
	struct pfile *pf = pfile_of(f);
	const struct proc_ops *ops = pf->pde->ops;
	if (pf->pde->removed || !ops || !ops->proc_write)
		return -LX_EIO;
	loff_t off = (loff_t)*pos;
	pf->file.f_pos = off;
	long r;
	KAPI_FILE_OP(r, ops->proc_write(&pf->file, (const char __user *)buf, n, &off));
	if (r >= 0)
		*pos = (uint64_t)(pf->file.f_pos = off);
	return kapi_lx_result(r);
}

static long pde_ioctl(struct lx_proc *p, struct lx_file *f, unsigned cmd, uint64_t arg)
{
	(void)p;
	struct pfile *pf = pfile_of(f);
	const struct proc_ops *ops = pf->pde->ops;
	if (pf->pde->removed || !ops || !ops->proc_ioctl)
		return -LX_ENOTTY;
	long r;
	KAPI_FILE_OP(r, ops->proc_ioctl(&pf->file, cmd, (unsigned long)arg));
	return kapi_lx_result(r);
}

static unsigned pde_poll(struct lx_file *f, const void **channel)
{
	struct pfile *pf = pfile_of(f);
	const struct proc_ops *ops = pf->pde->ops;
	if (pf->pde->removed)
		return LX_POLLERR;
	if (!ops || !ops->proc_poll)
		return LX_POLLIN | LX_POLLOUT | LX_POLLRDNORM | LX_POLLWRNORM;
	poll_table pt = {NULL};
	unsigned bits = ops->proc_poll(&pf->file, &pt);
	*channel = pt.__lx_first;
	return bits;
}

static void pde_release(struct lx_file *f)
{
	struct pfile *pf = f->priv;
	if (!pf)
		return;
	struct proc_dir_entry *de = pf->pde;
	if (de->ops && de->ops->proc_release)
		de->ops->proc_release(&pf->inode, &pf->file);
	struct lx_module *owner = de->owner;
	if (--de->opens == 0 && de->removed)
		kfree(de);
	if (owner)
		module_put_ref(owner);
	kfree(pf);
}

static const struct lx_file_ops pde_file_ops = {
	.open = pde_open,
	.read = pde_read,
	.write = pde_write,
	.ioctl = pde_ioctl,
	.poll = pde_poll,
	.release = pde_release,
	.seekable = true,
};

/* proc_create_single: the show given at creation, through single_open */
static int single_pde_open(struct inode *inode, struct file *file)
{
	struct pfile *pf = container_of(inode, struct pfile, inode);
	return single_open(file, pf->pde->single_show, inode->i_private);
}

static const struct proc_ops single_proc_ops = {
	.proc_open = single_pde_open,
	.proc_read = seq_read,
	.proc_lseek = seq_lseek,
	.proc_release = single_release,
};

/* ---- seq_file ---- */

#define SEQ_MAX (1u << 20)

void seq_write(struct seq_file *m, const void *data, size_t len)
{
	if (m->__lx_overflow)
		return;
	if (m->count + len > SEQ_MAX) {
		m->__lx_overflow = true;
		return;
	}
	if (m->count + len > m->size) {
		size_t size = m->size ? m->size : 256;
		while (size < m->count + len)
			size *= 2;
		char *b = krealloc(m->buf, size, GFP_KERNEL);
		if (!b) {
			m->__lx_overflow = true;
			return;
		}
		m->buf = b;
		m->size = size;
	}
	memcpy(m->buf + m->count, data, len);
	m->count += len;
}
EXPORT_SYMBOL(seq_write);

void seq_vprintf(struct seq_file *m, const char *fmt, va_list args)
{
	char small[256];
	va_list ap;
	va_copy(ap, args);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(small)) {
		seq_write(m, small, (size_t)n);
		return;
	}
	char *big = kmalloc((size_t)n + 1, GFP_KERNEL);
	if (!big) {
		m->__lx_overflow = true;
		return;
	}
	vsnprintf(big, (size_t)n + 1, fmt, args);
	seq_write(m, big, (size_t)n);
	kfree(big);
}
EXPORT_SYMBOL(seq_vprintf);

void seq_printf(struct seq_file *m, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	seq_vprintf(m, fmt, ap);
	va_end(ap);
}
EXPORT_SYMBOL(seq_printf);

void seq_puts(struct seq_file *m, const char *s) { seq_write(m, s, strlen(s)); }
EXPORT_SYMBOL(seq_puts);

void seq_putc(struct seq_file *m, char c) { seq_write(m, &c, 1); }
EXPORT_SYMBOL(seq_putc);

int seq_open(struct file *file, const struct seq_operations *op)
{
	struct seq_file *m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	m->op = op;
	m->file = file;
	file->private_data = m;
	return 0;
}
EXPORT_SYMBOL(seq_open);

int seq_release(struct inode *inode, struct file *file)
{
	(void)inode;
	struct seq_file *m = file->private_data;
	if (m) {
		kfree(m->buf);
		kfree(m);
	}
	file->private_data = NULL;
	return 0;
}
EXPORT_SYMBOL(seq_release);

/* The whole text: start, show and next until next finds no more, stop;
 * again from start at the position reached until start finds nothing. */
static int seq_make(struct seq_file *m)
{
	loff_t pos = 0;
	for (unsigned round = 0; round < 65536 && !m->__lx_overflow; round++) {
		void *p = m->op->start(m, &pos);
		if (!p || IS_ERR(p)) {
			m->op->stop(m, p);
			if (IS_ERR(p))
				return (int)PTR_ERR(p);
			break;
		}
		while (p && !IS_ERR(p) && !m->__lx_overflow) {
			size_t before = m->count;
			int e = m->op->show(m, p);
			if (e < 0) {
				m->op->stop(m, p);
				return e;
			}
			if (e > 0)
				m->count = before; /* SEQ_SKIP */
			p = m->op->next(m, p, &pos);
		}
		m->op->stop(m, p);
		if (IS_ERR(p))
			return (int)PTR_ERR(p);
	}
	m->index = pos;
	if (m->__lx_overflow)
		pr_warn("seq_file: the text of %s went past %u bytes (or memory ran out); cut\n",
			m->file && m->file->f_path.dentry ? m->file->f_path.dentry->d_name.name : "a file", SEQ_MAX);
	return 0;
}

ssize_t seq_read(struct file *file, char __user *buf, size_t size, loff_t *ppos)
{
	struct seq_file *m = file->private_data;
	if (!m)
		return -EINVAL;
	if (!m->__lx_made) {
		int e = seq_make(m);
		if (e) {
			m->count = 0;
			return e;
		}
		m->__lx_made = true;
	}
	return simple_read_from_buffer(buf, size, ppos, m->buf, m->count);
}
EXPORT_SYMBOL(seq_read);

loff_t seq_lseek(struct file *file, loff_t offset, int whence)
{
	loff_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? file->f_pos : -1;
	if (base < 0 || base + offset < 0)
		return -EINVAL;
	return file->f_pos = base + offset;
}
EXPORT_SYMBOL(seq_lseek);

static void *single_start(struct seq_file *m, loff_t *pos)
{
	(void)m;
	return *pos ? NULL : SEQ_START_TOKEN;
}

static void *single_next(struct seq_file *m, void *v, loff_t *pos)
{
	(void)m, (void)v;
	++*pos;
	return NULL;
}

static void single_stop(struct seq_file *m, void *v) { (void)m, (void)v; }

int single_open(struct file *file, int (*show)(struct seq_file *, void *), void *data)
{
	struct seq_operations *op = kzalloc(sizeof(*op), GFP_KERNEL);
	if (!op)
		return -ENOMEM;
	op->start = single_start;
	op->next = single_next;
	op->stop = single_stop;
	op->show = show;
	int e = seq_open(file, op);
	if (e) {
		kfree(op);
		return e;
	}
	((struct seq_file *)file->private_data)->private = data;
	return 0;
}
EXPORT_SYMBOL(single_open);

int single_open_size(struct file *file, int (*show)(struct seq_file *, void *), void *data, size_t size)
{
	(void)size; /* the buffer grows as needed */
	return single_open(file, show, data);
}
EXPORT_SYMBOL(single_open_size);

int single_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;
	const struct seq_operations *op = m ? m->op : NULL;
	int e = seq_release(inode, file);
	kfree(op);
	return e;
}
EXPORT_SYMBOL(single_release);

void *__seq_open_private(struct file *file, const struct seq_operations *op, int psize)
{
	void *priv = kzalloc((size_t)psize, GFP_KERNEL);
	if (!priv)
		return NULL;
	if (seq_open(file, op)) {
		kfree(priv);
		return NULL;
	}
	((struct seq_file *)file->private_data)->private = priv;
	return priv;
}
EXPORT_SYMBOL(__seq_open_private);

int seq_open_private(struct file *file, const struct seq_operations *op, int psize)
{
	return __seq_open_private(file, op, psize) ? 0 : -ENOMEM;
}
EXPORT_SYMBOL(seq_open_private);

int seq_release_private(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;
	if (m)
		kfree(m->private);
	return seq_release(inode, file);
}
EXPORT_SYMBOL(seq_release_private);

struct list_head *seq_list_start(struct list_head *head, loff_t pos)
{
	struct list_head *lh;
	list_for_each(lh, head)
		if (pos-- == 0)
			return lh;
	return NULL;
}
EXPORT_SYMBOL(seq_list_start);

struct list_head *seq_list_start_head(struct list_head *head, loff_t pos)
{
	return pos ? seq_list_start(head, pos - 1) : head;
}
EXPORT_SYMBOL(seq_list_start_head);

struct list_head *seq_list_next(void *v, struct list_head *head, loff_t *ppos)
{
	struct list_head *lh = ((struct list_head *)v)->next;
	++*ppos;
	return lh == head ? NULL : lh;
}
EXPORT_SYMBOL(seq_list_next);
