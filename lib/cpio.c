/* cpio.c - iteration over a cpio newc archive, every field checked against the archive's bounds. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpio.h"
#include "format.h"

/* The header's fields in file order, for messages. */
static const char *const cpio_field_names[CPIO_FIELD_COUNT] = {
	"ino", "mode", "uid", "gid", "nlink", "mtime", "filesize",
	"devmajor", "devminor", "rdevmajor", "rdevminor", "namesize", "check",
};

enum {
	F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE,
	F_DEVMAJOR, F_DEVMINOR, F_RDEVMAJOR, F_RDEVMINOR, F_NAMESIZE, F_CHECK,
};

static size_t cpio_align4(size_t x)
{
	return (x + 3) & ~(size_t)3;
}

/* 8 ASCII hex digits (either case) to a number; false if any is not one. */
static bool cpio_hex8(const uint8_t *p, uint32_t *out)
{
	uint32_t v = 0;

	for (int i = 0; i < 8; i++) {
		uint8_t c = p[i];
		uint32_t d;

		if (c >= '0' && c <= '9')
			d = (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (uint32_t)(c - 'A' + 10);
		else
			return false;
		v = v << 4 | d;
	}
	*out = v;
	return true;
}

/* Printable copy of n bytes (others as '?'), for quoting bad input. */
static void cpio_printable(char *dst, const uint8_t *src, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] = src[i] >= 0x20 && src[i] < 0x7f ? (char)src[i] : '?';
	dst[n] = '\0';
}

/* An error at the current entry before its name is known. */
__attribute__((format(printf, 4, 5)))
static int cpio_fail_at(struct cpio_iter *it, char *err, size_t errlen, const char *fmt, ...)
{
	if (err && errlen) {
		int n = fmt_snprintf(err, errlen, "entry %u (at offset %zu): ", it->index, it->offset);
		if (n >= 0 && (size_t)n < errlen) {
			va_list ap;
			va_start(ap, fmt);
			fmt_vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
			va_end(ap);
		}
	}
	it->state = -1;
	return -1;
}

/* An error at the current entry once its name is known (and NUL-terminated). */
__attribute__((format(printf, 5, 6)))
static int cpio_fail_named(struct cpio_iter *it, const char *name, char *err, size_t errlen, const char *fmt,
			   ...)
{
	if (err && errlen) {
		int n = fmt_snprintf(err, errlen, "entry %u (%.100s): ", it->index, name);
		if (n >= 0 && (size_t)n < errlen) {
			va_list ap;
			va_start(ap, fmt);
			fmt_vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
			va_end(ap);
		}
	}
	it->state = -1;
	return -1;
}

void cpio_iter_init(struct cpio_iter *it, const void *archive, size_t size)
{
	it->base = archive;
	it->size = archive ? size : 0;
	it->offset = 0;
	it->index = 0;
	it->state = 0;
}

int cpio_next(struct cpio_iter *it, struct cpio_entry *e, char *err, size_t errlen)
{
	if (it->state == 1)
		return 0;
	if (it->state == -1) {
		if (err && errlen)
			fmt_snprintf(err, errlen, "entry %u (at offset %zu): the archive had an error before",
				     it->index, it->offset);
		return -1;
	}

	const size_t off = it->offset;
	const size_t left = it->size - off; /* offset <= size always holds */
	if (left == 0)
		return cpio_fail_at(it, err, errlen, "the archive ends without a \"" CPIO_TRAILER "\" entry");
	if (left < CPIO_HEADER_SIZE)
		return cpio_fail_at(it, err, errlen, "truncated header: %zu of %d bytes before the end of the archive",
				    left, CPIO_HEADER_SIZE);

	const uint8_t *h = it->base + off;
	for (int i = 0; i < CPIO_MAGIC_LEN; i++) {
		if (h[i] != (uint8_t)CPIO_MAGIC[i]) {
			char shown[CPIO_MAGIC_LEN + 1];
			cpio_printable(shown, h, CPIO_MAGIC_LEN);
			return cpio_fail_at(it, err, errlen, "bad magic \"%s\" (expected \"" CPIO_MAGIC
					    "\", the newc format)", shown);
		}
	}

	uint32_t f[CPIO_FIELD_COUNT];
	for (int i = 0; i < CPIO_FIELD_COUNT; i++) {
		const uint8_t *p = h + CPIO_MAGIC_LEN + 8 * i;
		if (!cpio_hex8(p, &f[i])) {
			char shown[9];
			cpio_printable(shown, p, 8);
			return cpio_fail_at(it, err, errlen, "field %s is \"%s\", not 8 hex digits",
					    cpio_field_names[i], shown);
		}
	}

	const size_t name_off = off + CPIO_HEADER_SIZE;
	const size_t namesize = f[F_NAMESIZE];
	if (namesize == 0)
		return cpio_fail_at(it, err, errlen, "name size is 0 (it counts the name's NUL)");
	if (namesize > it->size - name_off)
		return cpio_fail_at(it, err, errlen, "the name (%zu bytes) runs past the end of the archive (%zu bytes left)",
				    namesize, it->size - name_off);
	const char *name = (const char *)(it->base + name_off);
	size_t name_len = 0;
	while (name_len < namesize && name[name_len] != '\0')
		name_len++;
	if (name_len == namesize)
		return cpio_fail_at(it, err, errlen, "the name (%zu bytes) does not end in a NUL", namesize);
	if (name_len + 1 != namesize)
		return cpio_fail_named(it, name, err, errlen, "a NUL inside the name (%zu bytes long, NUL at %zu)",
				       namesize, name_len);
	if (name_len == 0)
		return cpio_fail_at(it, err, errlen, "the name is empty");

	/* name_off + namesize <= size, so this cannot overflow. */
	const size_t data_off = cpio_align4(name_off + namesize);
	const size_t filesize = f[F_FILESIZE];
	if (data_off > it->size || filesize > it->size - data_off)
		return cpio_fail_named(it, name, err, errlen,
				       "the file size %zu runs past the end of the archive (%zu bytes left)", filesize,
				       data_off > it->size ? (size_t)0 : it->size - data_off);

	bool trailer = name_len == sizeof(CPIO_TRAILER) - 1;
	for (size_t i = 0; trailer && i < name_len; i++)
		trailer = name[i] == CPIO_TRAILER[i];
	if (trailer) {
		it->state = 1;
		it->offset = data_off + filesize;
		return 0;
	}

	e->name = name;
	e->name_len = name_len;
	e->data = it->base + data_off;
	e->size = filesize;
	e->ino = f[F_INO];
	e->mode = f[F_MODE];
	e->uid = f[F_UID];
	e->gid = f[F_GID];
	e->nlink = f[F_NLINK];
	e->mtime = f[F_MTIME];
	e->devmajor = f[F_DEVMAJOR];
	e->devminor = f[F_DEVMINOR];
	e->rdevmajor = f[F_RDEVMAJOR];
	e->rdevminor = f[F_RDEVMINOR];
	e->offset = off;

	/* The last entry's data padding may be missing; then the next call
	 * finds the end and says the trailer is missing. */
	size_t next = cpio_align4(data_off + filesize);
	it->offset = next < it->size ? next : it->size;
	it->index++;
	return 1;
}

int cpio_check(const void *archive, size_t size, char *err, size_t errlen)
{
	struct cpio_iter it;
	struct cpio_entry e;
	int r;

	cpio_iter_init(&it, archive, size);
	while ((r = cpio_next(&it, &e, err, errlen)) == 1)
		;
	return r;
}
