/* test_cpio.c - unit tests for lib/cpio.c: archives built in memory, each kind of corruption, a fuzz run. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpio.h"
#include "unit.h"

#define ARC_CAP 0x10000

struct arc {
	uint8_t b[ARC_CAP];
	size_t len;
};

static void pad4(struct arc *a)
{
	while (a->len % 4)
		a->b[a->len++] = 0;
}

/* Appends one entry with the given fields; returns its header offset. */
static size_t add_full(struct arc *a, const char *name, uint32_t mode, const void *data, size_t size, uint32_t ino,
		       uint32_t nlink)
{
	size_t off = a->len;
	size_t namesize = strlen(name) + 1;
	char hdr[CPIO_HEADER_SIZE + 1];

	snprintf(hdr, sizeof hdr, "%s%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x", CPIO_MAGIC, ino, mode, 0u,
		 0u, nlink, 1700000000u, (unsigned)size, 3u, 1u, 0u, 0u, (unsigned)namesize, 0u);
	REQUIRE(strlen(hdr) == CPIO_HEADER_SIZE);
	REQUIRE(a->len + CPIO_HEADER_SIZE + namesize + size + 8 < ARC_CAP);
	memcpy(a->b + a->len, hdr, CPIO_HEADER_SIZE);
	a->len += CPIO_HEADER_SIZE;
	memcpy(a->b + a->len, name, namesize);
	a->len += namesize;
	pad4(a);
	if (size)
		memcpy(a->b + a->len, data, size);
	a->len += size;
	pad4(a);
	return off;
}

static unsigned next_ino = 100;

static size_t add(struct arc *a, const char *name, uint32_t mode, const char *data)
{
	return add_full(a, name, mode, data, data ? strlen(data) : 0, next_ino++, (mode & CPIO_S_IFMT) == CPIO_S_IFDIR ? 2 : 1);
}

static size_t trailer(struct arc *a)
{
	size_t off = add_full(a, CPIO_TRAILER, 0, NULL, 0, 0, 1);
	while (a->len % 512)
		a->b[a->len++] = 0;
	return off;
}

static size_t sample_trailer; /* the trailer's header offset in the sample */

/* A small tree: directories, files (one empty, one of odd length), symlinks. */
static void build_sample(struct arc *a)
{
	memset(a, 0, sizeof *a);
	add(a, ".", CPIO_S_IFDIR | 0755, NULL);
	add(a, "bin", CPIO_S_IFDIR | 0755, NULL);
	add(a, "bin/busybox", CPIO_S_IFREG | 0755, "\177ELF pretend this is a program");
	add(a, "bin/sh", CPIO_S_IFLNK | 0777, "busybox");
	add(a, "etc", CPIO_S_IFDIR | 0755, NULL);
	add(a, "etc/empty", CPIO_S_IFREG | 0644, NULL);
	add(a, "etc/motd", CPIO_S_IFREG | 0644, "hello\n");
	add(a, "init", CPIO_S_IFLNK | 0777, "/bin/sh");
	sample_trailer = trailer(a);
}

/* Runs the iterator to its end; returns the result and the entry count. */
static int run_all(const void *buf, size_t len, unsigned *count, char *err, size_t errlen)
{
	struct cpio_iter it;
	struct cpio_entry e;
	int r;

	*count = 0;
	err[0] = '\0';
	cpio_iter_init(&it, buf, len);
	while ((r = cpio_next(&it, &e, err, errlen)) == 1)
		(*count)++;
	return r;
}

static void put_field(struct arc *a, size_t hdr, int field, const char *eight)
{
	memcpy(a->b + hdr + CPIO_MAGIC_LEN + 8 * field, eight, 8);
}

static void put_field_num(struct arc *a, size_t hdr, int field, uint32_t v)
{
	char s[9];
	snprintf(s, sizeof s, "%08x", v);
	put_field(a, hdr, field, s);
}

enum { FIELD_MODE = 1, FIELD_FILESIZE = 6, FIELD_NAMESIZE = 11 };

static struct arc A;

static void test_valid(void)
{
	struct cpio_iter it;
	struct cpio_entry e;
	char err[256] = "";

	build_sample(&A);
	cpio_iter_init(&it, A.b, A.len);

	REQUIRE(cpio_next(&it, &e, err, sizeof err) == 1);
	CHECK_STR(e.name, ".");
	CHECK_EQ_INT(e.mode, CPIO_S_IFDIR | 0755);
	CHECK_EQ_INT(e.nlink, 2);
	CHECK_EQ_INT(e.offset, 0);

	REQUIRE(cpio_next(&it, &e, err, sizeof err) == 1);
	CHECK_STR(e.name, "bin");
	CHECK_EQ_INT(e.name_len, 3);
	CHECK_EQ_INT(e.size, 0);

	REQUIRE(cpio_next(&it, &e, err, sizeof err) == 1);
	CHECK_STR(e.name, "bin/busybox");
	CHECK_EQ_INT(e.mode, CPIO_S_IFREG | 0755);
	CHECK_EQ_INT(e.size, strlen("\177ELF pretend this is a program"));
	CHECK(memcmp(e.data, "\177ELF pretend this is a program", e.size) == 0);
	CHECK_EQ_INT(e.mtime, 1700000000);
	CHECK_EQ_INT(e.devmajor, 3);
	CHECK_EQ_INT(e.devminor, 1);
	CHECK_EQ_INT(((const uint8_t *)e.data - A.b) % 4, 0);

	REQUIRE(cpio_next(&it, &e, err, sizeof err) == 1);
	CHECK_STR(e.name, "bin/sh");
	CHECK_EQ_INT(e.mode & CPIO_S_IFMT, CPIO_S_IFLNK);
	CHECK_EQ_INT(e.size, 7);
	CHECK(memcmp(e.data, "busybox", 7) == 0);

	REQUIRE(cpio_next(&it, &e, err, sizeof err) == 1);
	CHECK_STR(e.name, "etc");
	REQUIRE(cpio_next(&it, &e, err, sizeof err) == 1);
	CHECK_STR(e.name, "etc/empty");
	CHECK_EQ_INT(e.size, 0);
	REQUIRE(cpio_next(&it, &e, err, sizeof err) == 1);
	CHECK_STR(e.name, "etc/motd");
	CHECK_EQ_INT(e.size, 6);
	REQUIRE(cpio_next(&it, &e, err, sizeof err) == 1);
	CHECK_STR(e.name, "init");
	CHECK(memcmp(e.data, "/bin/sh", 7) == 0);

	CHECK_EQ_INT(cpio_next(&it, &e, err, sizeof err), 0);
	CHECK_EQ_INT(cpio_next(&it, &e, err, sizeof err), 0); /* stays at the end */
	CHECK_EQ_INT(cpio_check(A.b, A.len, err, sizeof err), 0);
}

static void test_only_trailer(void)
{
	unsigned n;
	char err[256];

	memset(&A, 0, sizeof A);
	trailer(&A);
	CHECK_EQ_INT(run_all(A.b, A.len, &n, err, sizeof err), 0);
	CHECK_EQ_INT(n, 0);
}

static void test_bytes_after_trailer_ignored(void)
{
	unsigned n;
	char err[256];

	build_sample(&A);
	memcpy(A.b + A.len, "garbage after the end", 21);
	CHECK_EQ_INT(run_all(A.b, A.len + 21, &n, err, sizeof err), 0);
	CHECK_EQ_INT(n, 8);
}

static void test_uppercase_hex(void)
{
	unsigned n;
	char err[256];

	memset(&A, 0, sizeof A);
	size_t h = add(&A, "f", CPIO_S_IFREG | 0644, "0123456789ab");
	put_field(&A, h, FIELD_FILESIZE, "0000000C");
	trailer(&A);
	CHECK_EQ_INT(run_all(A.b, A.len, &n, err, sizeof err), 0);
	CHECK_EQ_INT(n, 1);
}

static void test_empty_input(void)
{
	unsigned n;
	char err[256];

	CHECK_EQ_INT(run_all(A.b, 0, &n, err, sizeof err), -1);
	CHECK_STR(err, "entry 0 (at offset 0): the archive ends without a \"TRAILER!!!\" entry");
	CHECK_EQ_INT(run_all(NULL, 100, &n, err, sizeof err), -1);
}

static void test_missing_trailer(void)
{
	unsigned n;
	char err[256];

	memset(&A, 0, sizeof A);
	add(&A, "a", CPIO_S_IFREG | 0644, "abc");
	add(&A, "b", CPIO_S_IFDIR | 0755, NULL);
	CHECK_EQ_INT(run_all(A.b, A.len, &n, err, sizeof err), -1);
	CHECK_EQ_INT(n, 2);
	CHECK_CONTAINS(err, "entry 2 (at offset ");
	CHECK_CONTAINS(err, "without a \"TRAILER!!!\" entry");
}

static void test_missing_final_padding(void)
{
	unsigned n;
	char err[256];

	/* The last data's padding is cut off: the missing trailer is reported. */
	memset(&A, 0, sizeof A);
	add(&A, "a", CPIO_S_IFREG | 0644, "abcde");
	CHECK_EQ_INT(run_all(A.b, A.len - 3, &n, err, sizeof err), -1);
	CHECK_EQ_INT(n, 1);
	CHECK_CONTAINS(err, "without a \"TRAILER!!!\"");
}

static void test_bad_magic(void)
{
	unsigned n;
	char err[256];

	build_sample(&A);
	struct cpio_iter it;
	struct cpio_entry e;
	cpio_iter_init(&it, A.b, A.len);
	REQUIRE(cpio_next(&it, &e, err, sizeof err) == 1);
	size_t second = it.offset;
	memcpy(A.b + second, "070707", 6); /* the old portable format */
	CHECK_EQ_INT(run_all(A.b, A.len, &n, err, sizeof err), -1);
	CHECK_EQ_INT(n, 1);
	char want[128];
	snprintf(want, sizeof want, "entry 1 (at offset %zu): bad magic \"070707\"", second);
	CHECK_CONTAINS(err, want);

	A.b[second] = 0x01;
	CHECK_EQ_INT(run_all(A.b, A.len, &n, err, sizeof err), -1);
	CHECK_CONTAINS(err, "bad magic \"?70707\"");
}

static void test_non_hex(void)
{
	unsigned n;
	char err[256];

	memset(&A, 0, sizeof A);
	add(&A, "ok", CPIO_S_IFDIR | 0755, NULL);
	size_t h = add(&A, "f", CPIO_S_IFREG | 0644, "x");
	trailer(&A);
	put_field(&A, h, FIELD_FILESIZE, "0000000g");
	CHECK_EQ_INT(run_all(A.b, A.len, &n, err, sizeof err), -1);
	CHECK_EQ_INT(n, 1);
	CHECK_CONTAINS(err, "entry 1 (at offset 116): field filesize is \"0000000g\", not 8 hex digits");

	put_field(&A, h, FIELD_FILESIZE, "00000001");
	put_field(&A, h, FIELD_MODE, " 0081a4\n");
	CHECK_EQ_INT(run_all(A.b, A.len, &n, err, sizeof err), -1);
	CHECK_CONTAINS(err, "field mode is \" 0081a4?\"");

	put_field(&A, h, FIELD_MODE, "-00081a4");
	CHECK_EQ_INT(run_all(A.b, A.len, &n, err, sizeof err), -1);
	CHECK_CONTAINS(err, "field mode");

	put_field(&A, h, FIELD_MODE, "000081a4");
	put_field(&A, h, 12, "0x000000"); /* check: also a field */
	CHECK_EQ_INT(run_all(A.b, A.len, &n, err, sizeof err), -1);
	CHECK_CONTAINS(err, "field check");
}

static void test_name_without_nul(void)
{
	unsigned n;
	char err[256];

	memset(&A, 0, sizeof A);
	size_t h = add(&A, "abc", CPIO_S_IFREG | 0644, "data");
	trailer(&A);
	put_field_num(&A, h, FIELD_NAMESIZE, 3); /* leaves the NUL out */
	CHECK_EQ_INT(run_all(A.b, A.len, &n, err, sizeof err), -1);
	CHECK_STR(err, "entry 0 (at offset 0): the name (3 bytes) does not end in a NUL");
}

static void test_nul_inside_name(void)
{
	unsigned n;
	char err[256];

	memset(&A, 0, sizeof A);
	size_t h = add(&A, "abcdef", CPIO_S_IFREG | 0644, NULL);
	trailer(&A);
	A.b[h + CPIO_HEADER_SIZE + 2] = 0;
	CHECK_EQ_INT(run_all(A.b, A.len, &n, err, sizeof err), -1);
	CHECK_STR(err, "entry 0 (ab): a NUL inside the name (7 bytes long, NUL at 2)");
}

static void test_empty_name_and_zero_namesize(void)
{
	unsigned n;
	char err[256];

	memset(&A, 0, sizeof A);
	size_t h = add(&A, "", CPIO_S_IFREG | 0644, NULL);
	trailer(&A);
	CHECK_EQ_INT(run_all(A.b, A.len, &n, err, sizeof err), -1);
	CHECK_CONTAINS(err, "the name is empty");

	put_field_num(&A, h, FIELD_NAMESIZE, 0);
	CHECK_EQ_INT(run_all(A.b, A.len, &n, err, sizeof err), -1);
	CHECK_CONTAINS(err, "entry 0 (at offset 0): name size is 0");
}

static void test_name_beyond_end(void)
{
	unsigned n;
	char err[256];

	memset(&A, 0, sizeof A);
	add(&A, "first", CPIO_S_IFDIR | 0755, NULL);
	size_t h = add(&A, "second", CPIO_S_IFREG | 0644, NULL);
	trailer(&A);
	put_field_num(&A, h, FIELD_NAMESIZE, 0xffffffffu);
	CHECK_EQ_INT(run_all(A.b, A.len, &n, err, sizeof err), -1);
	CHECK_EQ_INT(n, 1);
	CHECK_CONTAINS(err, "entry 1 (at offset ");
	CHECK_CONTAINS(err, "the name (4294967295 bytes) runs past the end of the archive");

	/* The name ends exactly at the end of the input, without its NUL. */
	put_field_num(&A, h, FIELD_NAMESIZE, 7);
	CHECK_EQ_INT(run_all(A.b, h + CPIO_HEADER_SIZE + 6, &n, err, sizeof err), -1);
	CHECK_CONTAINS(err, "the name (7 bytes) runs past the end of the archive (6 bytes left)");
}

static void test_size_beyond_end(void)
{
	unsigned n;
	char err[256];

	memset(&A, 0, sizeof A);
	add(&A, "bin", CPIO_S_IFDIR | 0755, NULL);
	size_t h = add(&A, "bin/sh", CPIO_S_IFREG | 0755, "0123456789");
	size_t t = trailer(&A);
	put_field_num(&A, h, FIELD_FILESIZE, 0x7fffffffu);
	CHECK_EQ_INT(run_all(A.b, A.len, &n, err, sizeof err), -1);
	CHECK_EQ_INT(n, 1);
	CHECK_CONTAINS(err, "entry 1 (bin/sh): the file size 2147483647 runs past the end of the archive");

	/* One byte too many, with the archive cut right after the data. */
	put_field_num(&A, h, FIELD_FILESIZE, 11);
	size_t data_end = t - 2; /* the 10 data bytes are padded to 12 */
	CHECK_EQ_INT(run_all(A.b, data_end, &n, err, sizeof err), -1);
	CHECK_STR(err, "entry 1 (bin/sh): the file size 11 runs past the end of the archive (10 bytes left)");
	put_field_num(&A, h, FIELD_FILESIZE, 10);
	CHECK_EQ_INT(run_all(A.b, data_end, &n, err, sizeof err), -1);
	CHECK_CONTAINS(err, "without a \"TRAILER!!!\"");
}

static void test_truncated_header(void)
{
	unsigned n;
	char err[256];

	build_sample(&A);
	CHECK_EQ_INT(run_all(A.b, 50, &n, err, sizeof err), -1);
	CHECK_STR(err, "entry 0 (at offset 0): truncated header: 50 of 110 bytes before the end of the archive");
}

static void test_error_sticks_and_err_optional(void)
{
	struct cpio_iter it;
	struct cpio_entry e;
	char err[16];

	build_sample(&A);
	A.b[0] = 'x';
	cpio_iter_init(&it, A.b, A.len);
	CHECK_EQ_INT(cpio_next(&it, &e, NULL, 0), -1);
	CHECK_EQ_INT(cpio_next(&it, &e, err, sizeof err), -1);
	CHECK_EQ_INT(strlen(err), sizeof err - 1); /* cut, still terminated */
	CHECK_EQ_INT(cpio_check(A.b, A.len, NULL, 0), -1);
}

/* Deterministic PRNG (splitmix64) so any fuzz failure reproduces. */
static uint64_t fuzz_state = 0xc0ffee5eed1234ULL;

static uint64_t rnd(void)
{
	uint64_t z = (fuzz_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Mutates one header field to something near an edge. */
static void mutate_field(uint8_t *b, size_t len, const size_t *hdrs, unsigned nhdrs)
{
	static const uint32_t edges[] = {0, 1, 2, 3, 4, 7, 8, 0x6e, 0x6f, 0x70, 0xff, 0x100, 0x1000,
					 0x7fffffff, 0x80000000u, 0xfffffffeu, 0xffffffffu};
	size_t h = hdrs[rnd() % nhdrs];
	unsigned field = (unsigned)(rnd() % CPIO_FIELD_COUNT);
	size_t at = h + CPIO_MAGIC_LEN + 8 * field;
	char s[9];
	uint32_t v;

	if (at + 8 > len)
		return;
	switch (rnd() % 3) {
	case 0:
		v = edges[rnd() % (sizeof edges / sizeof edges[0])];
		break;
	case 1:
		v = (uint32_t)(len - h + rnd() % 9 - 4);
		break;
	default:
		v = (uint32_t)rnd();
		break;
	}
	snprintf(s, sizeof s, "%08x", v);
	memcpy(b + at, s, 8);
}

static void test_fuzz(void)
{
	size_t hdrs[32];
	unsigned nhdrs = 0;
	struct cpio_iter it;
	struct cpio_entry e;
	char err[200];
	unsigned accepted = 0, rejected = 0;

	build_sample(&A);
	cpio_iter_init(&it, A.b, A.len);
	while (cpio_next(&it, &e, NULL, 0) == 1)
		hdrs[nhdrs++] = e.offset;
	hdrs[nhdrs++] = sample_trailer;
	REQUIRE(memcmp(A.b + hdrs[nhdrs - 1], CPIO_MAGIC, 6) == 0);

	for (int iter = 0; iter < 20000; iter++) {
		size_t len = A.len;
		/* An exactly sized heap copy: ASan catches any read past its end. */
		uint8_t *b = malloc(len);
		REQUIRE(b != NULL);
		memcpy(b, A.b, len);

		unsigned rounds = 1 + (unsigned)(rnd() % 4);
		for (unsigned r = 0; r < rounds && len > 0; r++) {
			switch (rnd() % 5) {
			case 0: /* flip a byte */
				b[rnd() % len] ^= (uint8_t)(1 + rnd() % 255);
				break;
			case 1: /* a random byte */
				b[rnd() % len] = (uint8_t)rnd();
				break;
			case 2:
			case 3:
				mutate_field(b, len, hdrs, nhdrs);
				break;
			default: /* truncate */
				len = (size_t)(rnd() % (len + 1));
				break;
			}
		}
		uint8_t *t = malloc(len ? len : 1);
		REQUIRE(t != NULL);
		memcpy(t, b, len);
		free(b);

		cpio_iter_init(&it, t, len);
		unsigned count = 0;
		int res;
		err[0] = '\0';
		while ((res = cpio_next(&it, &e, err, sizeof err)) == 1) {
			count++;
			if (count > len / CPIO_HEADER_SIZE + 1) {
				UNIT_FAIL("iteration %d: %u entries from %zu bytes", iter, count, len);
				break;
			}
			if ((const uint8_t *)e.name < t || (const uint8_t *)e.name + e.name_len + 1 > t + len ||
			    e.name[e.name_len] != '\0' || strlen(e.name) != e.name_len || e.name_len == 0)
				UNIT_FAIL("iteration %d: entry %u: bad name", iter, count);
			if (e.data < t || e.size > len || e.data + e.size > t + len)
				UNIT_FAIL("iteration %d: entry %u: data out of bounds", iter, count);
		}
		if (res == 0)
			accepted++;
		else if (res == -1) {
			rejected++;
			if (strncmp(err, "entry ", 6) != 0)
				UNIT_FAIL("iteration %d: message \"%s\"", iter, err);
		} else {
			UNIT_FAIL("iteration %d: result %d", iter, res);
		}
		free(t);
	}
	fprintf(stderr, "cpio.fuzz: %u accepted, %u rejected\n", accepted, rejected);
	/* Both outcomes must be common, or the fuzzing tests little. */
	CHECK(accepted > 500);
	CHECK(rejected > 5000);
}

static const struct unit_test tests[] = {
	{"cpio.valid", test_valid},
	{"cpio.only_trailer", test_only_trailer},
	{"cpio.bytes_after_trailer_ignored", test_bytes_after_trailer_ignored},
	{"cpio.uppercase_hex", test_uppercase_hex},
	{"cpio.empty_input", test_empty_input},
	{"cpio.missing_trailer", test_missing_trailer},
	{"cpio.missing_final_padding", test_missing_final_padding},
	{"cpio.bad_magic", test_bad_magic},
	{"cpio.non_hex", test_non_hex},
	{"cpio.name_without_nul", test_name_without_nul},
	{"cpio.nul_inside_name", test_nul_inside_name},
	{"cpio.empty_name_and_zero_namesize", test_empty_name_and_zero_namesize},
	{"cpio.name_beyond_end", test_name_beyond_end},
	{"cpio.size_beyond_end", test_size_beyond_end},
	{"cpio.truncated_header", test_truncated_header},
	{"cpio.error_sticks_and_err_optional", test_error_sticks_and_err_optional},
	{"cpio.fuzz", test_fuzz},
};

UNIT_MAIN(tests)
