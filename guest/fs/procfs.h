/* procfs for the other parts of lx: files in /proc whose content they generate (/proc/modules, ...). */
#ifndef LX_FS_PROCFS_H
#define LX_FS_PROCFS_H

#include <stdarg.h>
#include "lx.h"

/* The text of a /proc file being generated (at open time, like Linux's seq_file). */
struct procfs_buf;
void procfs_printf(struct procfs_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void procfs_write(struct procfs_buf *b, const void *data, size_t n);

/* Writes the file's content for the process p that opens it. */
typedef void (*procfs_gen_fn)(struct lx_proc *p, struct procfs_buf *b);

/* Adds /proc/NAME (mode 0444), or replaces the generator of a built-in one
 * of that name (/proc/modules is built in and empty until the module loader
 * registers its own). name: no '/', kept by pointer. 0, -LX_EEXIST (a name
 * registered before, or a process directory's number), -LX_ENOMEM. */
long procfs_register(const char *name, procfs_gen_fn gen);

/*
 * Files of /proc that another part of lx serves itself (the module API's
 * proc_create): opens, reads, writes, ioctls, polls and releases of
 * /proc/NAME go to ops (fs/fs.h's lx_file_ops; f->inode->proc.entry is
 * the entry). The entry stays the caller's; it must live until
 * procfs_remove and the release of every file opened on it.
 */
struct lx_file_ops;
struct procfs_entry {
	const char *name;               /* no '/', kept by pointer */
	uint32_t mode;                  /* permission bits (07777) */
	uint64_t size;                  /* what stat shows */
	const struct lx_file_ops *ops;  /* NULL for a directory */
	struct procfs_entry *parent;    /* a directory entry, or NULL: in /proc itself */
	bool dir;                       /* a directory (holds the entries whose parent it is) */
	struct procfs_entry *next;      /* procfs's */
};
/* Adds /proc/[PARENT/]NAME: 0, -LX_EEXIST (the name is taken), -LX_EINVAL (a bad name).
 * Remove a directory's entries before the directory. */
long procfs_add(struct procfs_entry *e);
/* Removes it: lookups no longer find it; files open on it stay open. */
void procfs_remove(struct procfs_entry *e);

#endif
