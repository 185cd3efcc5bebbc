/* linux/seq_file.h - a file's text written record by record (seq_printf), read with seq_read (docs/modules.md). */
#ifndef _LINUX_SEQ_FILE_H
#define _LINUX_SEQ_FILE_H
#include <stdarg.h>
#include <linux/types.h>
#include <linux/fs.h>
#include <linux/list.h>
#include <linux/compiler.h>

/* lx makes the whole text at the first read (start ... stop until start
 * finds nothing more) and reads go from that buffer: simple and consistent
 * for the small files modules make. */
struct seq_file {
	char *buf;
	size_t size;                   /* of buf */
	size_t count;                  /* bytes in buf */
	loff_t index;                  /* the iterator's position */
	const struct seq_operations *op;
	void *private;
	struct file *file;
	bool __lx_made;                /* the text is made */
	bool __lx_overflow;            /* the text went past lx's limit (1 MiB) */
};

struct seq_operations {
	void *(*start)(struct seq_file *m, loff_t *pos);
	void (*stop)(struct seq_file *m, void *v);
	void *(*next)(struct seq_file *m, void *v, loff_t *pos);
	int (*show)(struct seq_file *m, void *v);
};

#define SEQ_SKIP 1
#define SEQ_START_TOKEN ((void *)1)

int seq_open(struct file *file, const struct seq_operations *op);
int seq_release(struct inode *inode, struct file *file);
ssize_t seq_read(struct file *file, char __user *buf, size_t size, loff_t *ppos);
loff_t seq_lseek(struct file *file, loff_t offset, int whence);
int single_open(struct file *file, int (*show)(struct seq_file *, void *), void *data);
int single_open_size(struct file *file, int (*show)(struct seq_file *, void *), void *data, size_t size);
int single_release(struct inode *inode, struct file *file);
void *__seq_open_private(struct file *file, const struct seq_operations *op, int psize);
int seq_open_private(struct file *file, const struct seq_operations *op, int psize);
int seq_release_private(struct inode *inode, struct file *file);

void seq_printf(struct seq_file *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void seq_vprintf(struct seq_file *m, const char *fmt, va_list args);
void seq_puts(struct seq_file *m, const char *s);
void seq_putc(struct seq_file *m, char c);
void seq_write(struct seq_file *m, const void *data, size_t len);
static inline bool seq_has_overflowed(struct seq_file *m) { return m->__lx_overflow; }

struct list_head *seq_list_start(struct list_head *head, loff_t pos);
struct list_head *seq_list_start_head(struct list_head *head, loff_t pos);
struct list_head *seq_list_next(void *v, struct list_head *head, loff_t *ppos);

#define DEFINE_SHOW_ATTRIBUTE(__name)                                                \
	static int __name##_open(struct inode *inode, struct file *file)            \
	{                                                                            \
		return single_open(file, __name##_show, inode->i_private);          \
	}                                                                            \
	static const struct file_operations __name##_fops = {                       \
		.owner = THIS_MODULE,                                                \
		.open = __name##_open,                                               \
		.read = seq_read,                                                    \
		.llseek = seq_lseek,                                                 \
		.release = single_release,                                           \
	}

#define DEFINE_PROC_SHOW_ATTRIBUTE(__name)                                           \
	static int __name##_open(struct inode *inode, struct file *file)            \
	{                                                                            \
		return single_open(file, __name##_show, inode->i_private);          \
	}                                                                            \
	static const struct proc_ops __name##_proc_ops = {                          \
		.proc_open = __name##_open,                                          \
		.proc_read = seq_read,                                               \
		.proc_lseek = seq_lseek,                                             \
		.proc_release = single_release,                                      \
	}

#endif
