/* cpio.h - the cpio "newc" archive format and a bounds-checked iterator over its entries. */
#ifndef PECAN_LIB_CPIO_H
#define PECAN_LIB_CPIO_H

#include <stddef.h>
#include <stdint.h>

/*
 * On-disk layout of one entry (the format Linux's initramfs uses, also
 * written by `cpio -H newc`):
 *
 *   header   110 bytes: "070701" and 13 fields of 8 ASCII hex digits:
 *            ino mode uid gid nlink mtime filesize devmajor devminor
 *            rdevmajor rdevminor namesize check
 *   name     namesize bytes, the last a NUL; header + name padded with
 *            zeros to a multiple of 4 bytes (counted from the archive start)
 *   data     filesize bytes (a symlink's data is its target, no NUL),
 *            padded to a multiple of 4 bytes
 *
 * The entry named "TRAILER!!!" ends the archive; what follows it (usually
 * zero padding to 512 bytes) is ignored.
 */
#define CPIO_MAGIC        "070701"
#define CPIO_MAGIC_LEN    6
#define CPIO_HEADER_SIZE  110
#define CPIO_FIELD_COUNT  13
#define CPIO_TRAILER      "TRAILER!!!"

/* The mode's file type bits (the values of Linux's S_IF*). */
#define CPIO_S_IFMT   0170000u
#define CPIO_S_IFSOCK 0140000u
#define CPIO_S_IFLNK  0120000u
#define CPIO_S_IFREG  0100000u
#define CPIO_S_IFBLK  0060000u
#define CPIO_S_IFDIR  0040000u
#define CPIO_S_IFCHR  0020000u
#define CPIO_S_IFIFO  0010000u

/* One entry, pointing into the archive. */
struct cpio_entry {
	const char *name;       /* NUL-terminated, inside the archive */
	size_t name_len;        /* without the NUL */
	const uint8_t *data;    /* filesize bytes, inside the archive */
	size_t size;
	uint32_t ino, mode, uid, gid, nlink, mtime;
	uint32_t devmajor, devminor, rdevmajor, rdevminor;
	size_t offset;          /* of the header, from the archive start */
};

/* Where the iteration stands; set up by cpio_iter_init. */
struct cpio_iter {
	const uint8_t *base;
	size_t size;
	size_t offset;          /* of the next header */
	unsigned index;         /* of the next entry, from 0 */
	int state;              /* 0 going, 1 trailer seen, -1 error seen */
};

void cpio_iter_init(struct cpio_iter *it, const void *archive, size_t size);

/*
 * The next entry: 1 with *e filled in, 0 once the trailer has been read
 * (the trailer itself is not returned), or -1 with a one-line reason in
 * err ("entry N (NAME): what is wrong", or "entry N (at offset X): ..."
 * while the name is not known yet). Checked: the magic, that every field
 * is 8 hex digits, that the name ends in its only NUL and lies inside the
 * archive, that the data lies inside the archive, and that a trailer
 * comes before the end. After 0 or -1 every further call returns the same.
 * Never reads outside [archive, archive + size). err may be NULL.
 */
int cpio_next(struct cpio_iter *it, struct cpio_entry *e, char *err, size_t errlen);

/* Checks a whole archive: 0, or -1 with the first problem in err. */
int cpio_check(const void *archive, size_t size, char *err, size_t errlen);

#endif
