/* test_format.c - unit tests for lib/format.c, checked against the host libc snprintf. */
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "unit.h"

/*
 * Same call through both formatters; gcc checks the literal format and
 * argument types, so the libc reference is called with well-defined input.
 */
#define CMP(...)							\
	do {								\
		char cmp_e_[1024], cmp_g_[1024];			\
		int cmp_en_ = snprintf(cmp_e_, sizeof cmp_e_, __VA_ARGS__); \
		int cmp_gn_ = fmt_snprintf(cmp_g_, sizeof cmp_g_, __VA_ARGS__); \
		cmp_report(__FILE__, __LINE__, #__VA_ARGS__, cmp_e_, cmp_en_, \
			   cmp_g_, cmp_gn_);				\
	} while (0)

static void cmp_report(const char *file, int line, const char *call,
		       const char *exp, int en, const char *got, int gn)
{
	char qe[256], qg[256];

	if (en != gn || strcmp(exp, got) != 0)
		unit_failf(file, line, "format(%s): got %s (%d), libc %s (%d)",
			   call, unit_quote(got, qg, sizeof qg), gn,
			   unit_quote(exp, qe, sizeof qe), en);
}

/* Unchecked wrappers: for formats built at run time or deliberately
 * invalid ones that gcc would (rightly) warn about. */
static int our(char *buf, size_t n, const char *f, ...)
{
	va_list ap;
	int r;

	va_start(ap, f);
	r = fmt_vsnprintf(buf, n, f, ap);
	va_end(ap);
	return r;
}

static int libc(char *buf, size_t n, const char *f, ...)
{
	va_list ap;
	int r;

	va_start(ap, f);
	r = vsnprintf(buf, n, f, ap);
	va_end(ap);
	return r;
}

#define EXPECT(want, ...)						\
	do {								\
		char exp_b_[512];					\
		int exp_n_ = our(exp_b_, sizeof exp_b_, __VA_ARGS__);	\
		CHECK_STR(exp_b_, want);				\
		CHECK_EQ_INT(exp_n_, (int)strlen(want));		\
	} while (0)

static void test_literal(void)
{
	CMP("hello, world");
	CMP("%s", "");
	CMP("%%");
	CMP("100%% sure %d%%", 5);
	CMP("a%cb", 'x');
	EXPECT("", "");
}

static void test_signed(void)
{
	static const int vals[] = { 0, 1, -1, 9, 10, -10, 42, -42, 12345,
				    INT_MAX, INT_MIN, INT_MIN + 1 };
	size_t i;

	for (i = 0; i < sizeof vals / sizeof vals[0]; i++) {
		int v = vals[i];

		CMP("%d", v);
		CMP("%i", v);
		CMP("[%5d]", v);
		CMP("[%-5d]", v);
		CMP("[%05d]", v);
		CMP("[%+d]", v);
		CMP("[% d]", v);
		CMP("[% 05d]", v);
		CMP("[%+-8d]", v);
		CMP("[%.0d]", v);
		CMP("[%.3d]", v);
		CMP("[%8.3d]", v);
		CMP("[%-8.3d]", v);
		CMP("[%+.12d]", v);
		CMP("[%20d]", v);
	}
}

static void test_unsigned(void)
{
	static const unsigned vals[] = { 0, 1, 7, 8, 9, 10, 15, 16, 255, 256,
					 0xdeadbeef, UINT_MAX, 0x80000000u };
	size_t i;

	for (i = 0; i < sizeof vals / sizeof vals[0]; i++) {
		unsigned v = vals[i];

		CMP("%u %x %X %o", v, v, v, v);
		CMP("[%#x] [%#X] [%#o]", v, v, v);
		CMP("[%10x] [%-10X] [%010o]", v, v, v);
		CMP("[%#10x] [%#-10X] [%#010o] [%#010x]", v, v, v, v);
		CMP("[%.0x] [%.0o] [%#.0o] [%#.0x] [%.0u]", v, v, v, v, v);
		CMP("[%.5x] [%#.5x] [%#.5o] [%#8.5o]", v, v, v, v);
		/* Flags gcc warns about (" +" on unsigned, "0" with a
		 * precision) are covered by format.flag_matrix. */
	}
}

static void test_length_modifiers(void)
{
	CMP("%hhd %hhd %hhd %hhu %hhx", 127, -128, 300, 300, 0x1ff);
	CMP("%hd %hd %hu %hx %ho", 32767, -32768, 70000, 0x1ffff, 65535);
	CMP("%ld %ld %lu %lx", LONG_MAX, LONG_MIN, ULONG_MAX, ULONG_MAX);
	CMP("%lld %lld %llu %llx %llo", LLONG_MAX, LLONG_MIN, ULLONG_MAX,
	    ULLONG_MAX, ULLONG_MAX);
	CMP("%#llx %#llo %#llX", 0x123456789abcdefULL, 01234567012345670ULL,
	    0xfedcba9876543210ULL);
	CMP("%zu %zx %zd %zd", SIZE_MAX, SIZE_MAX, (ssize_t)-5, (ssize_t)PTRDIFF_MAX);
	CMP("%td %td %tu %tx", PTRDIFF_MIN, PTRDIFF_MAX, (ptrdiff_t)-1,
	    (ptrdiff_t)12345);
	CMP("%jd %jd %ju %jx", INTMAX_MIN, INTMAX_MAX, UINTMAX_MAX,
	    (uintmax_t)0xabcdef);
	CMP("[%-25lld] [%025lld] [%+.22lld]", LLONG_MIN, LLONG_MIN, 1LL);
	CMP("[%30.25llo] [%#30.25llo]", ULLONG_MAX, ULLONG_MAX);
}

/* Every combination of flags, width and precision for each integer
 * conversion, with the format string built at run time. */
static void test_flag_matrix(void)
{
	static const char flagchars[] = "-0+ #";
	static const char *const widths[] = { "", "1", "5", "12", "*" };
	static const char *const precs[] = { "", ".", ".0", ".1", ".3", ".15", ".*" };
	static const char convs[] = "diuxXo";
	static const long long vals[] = { 0, 1, -1, 7, 42, -42, 4096, INT_MAX,
					  INT_MIN, 0x1234abcd, LLONG_MIN, LLONG_MAX };
	static const char *const lens[] = { "", "ll" };
	unsigned mask, wi, pi, ci, vi, li;
	unsigned long cases = 0;

	for (mask = 0; mask < 32; mask++)
	for (wi = 0; wi < sizeof widths / sizeof widths[0]; wi++)
	for (pi = 0; pi < sizeof precs / sizeof precs[0]; pi++)
	for (ci = 0; ci < sizeof convs - 1; ci++)
	for (li = 0; li < 2; li++)
	for (vi = 0; vi < sizeof vals / sizeof vals[0]; vi++) {
		char f[64], e[256], g[256];
		char *p = f;
		unsigned b;
		int en, gn;
		char conv = convs[ci];

		/* '#' is undefined for d, i and u in C. */
		if ((mask & 16) && (conv == 'd' || conv == 'i' || conv == 'u'))
			continue;
		*p++ = '[';
		*p++ = '%';
		for (b = 0; b < 5; b++)
			if (mask & (1u << b))
				*p++ = flagchars[b];
		p += sprintf(p, "%s%s%s%c]", widths[wi], precs[pi], lens[li], conv);

		if (li == 0) {
			int v = (int)vals[vi];

			if (wi == 4 && pi == 6) {
				en = libc(e, sizeof e, f, 9, 4, v);
				gn = our(g, sizeof g, f, 9, 4, v);
			} else if (wi == 4 || pi == 6) {
				en = libc(e, sizeof e, f, 6, v);
				gn = our(g, sizeof g, f, 6, v);
			} else {
				en = libc(e, sizeof e, f, v);
				gn = our(g, sizeof g, f, v);
			}
		} else {
			long long v = vals[vi];

			if (wi == 4 && pi == 6) {
				en = libc(e, sizeof e, f, 30, 20, v);
				gn = our(g, sizeof g, f, 30, 20, v);
			} else if (wi == 4 || pi == 6) {
				en = libc(e, sizeof e, f, -7, v);
				gn = our(g, sizeof g, f, -7, v);
			} else {
				en = libc(e, sizeof e, f, v);
				gn = our(g, sizeof g, f, v);
			}
		}
		cases++;
		if (en != gn || strcmp(e, g) != 0) {
			char qe[128], qg[128];

			UNIT_FAIL("format \"%s\" value %lld: got %s (%d), libc %s (%d)",
				  f, vals[vi], unit_quote(g, qg, sizeof qg), gn,
				  unit_quote(e, qe, sizeof qe), en);
		}
	}
	CHECK(cases > 20000);
}

static void test_string(void)
{
	static const char unterminated[3] = { 'a', 'b', 'c' };
	char buf[64];

	CMP("%s", "abc");
	CMP("[%10s] [%-10s] [%2s]", "abc", "abc", "abcdef");
	CMP("[%.0s] [%.2s] [%.10s] [%8.2s] [%-8.2s]", "abc", "abc", "abc",
	    "abc", "abc");
	CMP("[%.*s] [%*s] [%-*s] [%.*s]", 2, "abcdef", 6, "ab", 6, "ab", -1, "xyz");
	/* Precision bounds the read: the array has no NUL (ASan checks). */
	CMP("[%.3s] [%.*s]", unterminated, 3, unterminated);
	EXPECT("(null)", "%s", (char *)NULL);
	EXPECT("[  (null)]", "[%8s]", (char *)NULL);
	EXPECT("[(nu]", "[%.3s]", (char *)NULL);
	CHECK_EQ_INT(fmt_snprintf(buf, sizeof buf, "%s%s", "ab", "cd"), 4);
	CHECK_STR(buf, "abcd");
}

static void test_char(void)
{
	char buf[16];

	CMP("%c%c%c", 'a', 'B', '~');
	CMP("[%5c] [%-5c] [%1c]", 'x', 'y', 'z');
	CMP("[%c]", 200);
	CMP("[%*c] [%-*c]", 3, 'q', -3, 'r');
	/* A NUL character still counts as output. */
	memset(buf, 'Z', sizeof buf);
	CHECK_EQ_INT(fmt_snprintf(buf, sizeof buf, "a%cb", 0), 3);
	CHECK(buf[0] == 'a' && buf[1] == '\0' && buf[2] == 'b' && buf[3] == '\0');
}

static void test_star(void)
{
	CMP("[%*d] [%-*d] [%*d]", 6, 42, 6, 42, -6, 42);
	CMP("[%.*d] [%.*d] [%.*d]", 4, 42, 0, 0, -3, 42);
	CMP("[%*.*x] [%-*.*o]", 10, 6, 0xabcu, 9, 5, 8u);
	CMP("[%0*d] [%0*d]", 8, -5, -8, -5);
	CMP("[%*d]", 300, 1);
}

static void test_pointer(void)
{
	int x;
	char buf[64];

	CMP("%p", (void *)&x);
	CMP("%p", (void *)(uintptr_t)0x1234);
	CMP("%p", (void *)UINTPTR_MAX);
	CMP("[%24p] [%-24p]", (void *)&x, (void *)0xabcdef);
	/* glibc prints "(nil)"; we promise "0x" + hex for every value. */
	CHECK_EQ_INT(fmt_snprintf(buf, sizeof buf, "%p", (void *)NULL), 3);
	CHECK_STR(buf, "0x0");
	fmt_snprintf(buf, sizeof buf, "[%6p]", (void *)NULL);
	CHECK_STR(buf, "[   0x0]");
}

static void test_unknown_conversion(void)
{
	EXPECT("%q", "%q");
	EXPECT("a%qb", "a%qb");
	EXPECT("[%-5q]", "[%-5q]");
	EXPECT("%q 7", "%q %d", 7);
	EXPECT("%n", "%n");
	EXPECT("%f", "%f");
	EXPECT("%lq", "%lq");
	/* Format strings that stop inside a conversion. */
	EXPECT("abc%", "abc%");
	EXPECT("%-08", "%-08");
	EXPECT("%5.3l", "%5.3l");
	EXPECT("%hh", "%hh");
	EXPECT("x%", "x%");
}

/* Truncation at every buffer size, with canaries past the end. */
static void test_truncation(void)
{
	static const char *const fmts[] = { "%s|%d|%x", "%-12s|%+05d|%#o" };
	size_t fi, size;

	for (fi = 0; fi < 2; fi++) {
		char full[64];
		int len = libc(full, sizeof full, fmts[fi], "hello", -42, 0x2au);

		for (size = 0; size <= (size_t)len + 2; size++) {
			char buf[80];
			int n;
			size_t k;

			memset(buf, '#', sizeof buf);
			n = our(buf, size, fmts[fi], "hello", -42, 0x2au);
			CHECK_EQ_INT(n, len);
			if (size > 0) {
				size_t keep = size - 1 < (size_t)len ? size - 1 : (size_t)len;

				CHECK(memcmp(buf, full, keep) == 0);
				CHECK_EQ_INT(buf[keep], '\0');
				for (k = keep + 1; k < sizeof buf; k++)
					if (buf[k] != '#')
						break;
				CHECK_EQ_INT(k, sizeof buf);
			} else {
				CHECK_EQ_INT(buf[0], '#');
			}
		}
	}
	/* size 0 allows a NULL buffer and still reports the length. */
	CHECK_EQ_INT(fmt_snprintf(NULL, 0, "%d-%s", 12345, "abc"), 9);
	CHECK_EQ_INT(our(NULL, 0, ""), 0);
}

/* Huge widths produce long output but must not overflow anything. */
static void test_huge_width(void)
{
	char buf[8];

	CHECK_EQ_INT(fmt_snprintf(buf, sizeof buf, "%100000d", 5), 100000);
	CHECK_STR(buf, "       ");
	CHECK_EQ_INT(fmt_snprintf(buf, sizeof buf, "%.100000d", 5), 100000);
	CHECK_STR(buf, "0000000");
	CHECK_EQ_INT(fmt_snprintf(buf, sizeof buf, "%-*d|", -70000, 5), 70001);
	CHECK_STR(buf, "5      ");
}

struct count_sink {
	char buf[128];
	size_t n;
};

static void count_sink_put(void *ctx, char c)
{
	struct count_sink *s = ctx;

	if (s->n < sizeof s->buf)
		s->buf[s->n] = c;
	s->n++;
}

static int vformat_helper(struct count_sink *s, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = fmt_vformat(count_sink_put, s, fmt, ap);
	va_end(ap);
	return r;
}

static void test_sink(void)
{
	struct count_sink s = { { 0 }, 0 };
	int r;

	r = vformat_helper(&s, "pid %u: %s at %#lx%c", 7u, "fault", 0xffff8000UL, '!');
	CHECK_EQ_INT(r, (int)s.n);
	CHECK_EQ_INT(s.n, strlen("pid 7: fault at 0xffff8000!"));
	s.buf[s.n] = '\0';
	CHECK_STR(s.buf, "pid 7: fault at 0xffff8000!");

	s.n = 0;
	r = fmt_format(count_sink_put, &s, "%5s|%-3d|", "ab", 1);
	CHECK_EQ_INT(r, 10);
	s.buf[s.n] = '\0';
	CHECK_STR(s.buf, "   ab|1  |");
}

/* Deterministic random formats against libc. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rng(void)
{
	/* xorshift64*: small and good enough to spread test inputs. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static void test_random_vs_libc(void)
{
	static const char convs[] = "diuxXo";
	static const char flagchars[] = "-0+ #";
	int i;

	for (i = 0; i < 20000; i++) {
		char f[64], e[256], g[256];
		char *p = f;
		char conv = convs[rng() % 6];
		unsigned long long v = rng();
		unsigned nflags = (unsigned)(rng() % 4), k, kind;
		int en, gn;

		*p++ = '%';
		for (k = 0; k < nflags; k++) {
			char fl = flagchars[rng() % 5];

			if (fl == '#' && (conv == 'd' || conv == 'i' || conv == 'u'))
				continue;
			*p++ = fl;
		}
		if (rng() % 2)
			p += sprintf(p, "%u", (unsigned)(rng() % 40));
		if (rng() % 2)
			p += sprintf(p, ".%u", (unsigned)(rng() % 30));
		/* 0: plain int, 1: hh (int vararg), 2: ll, 3: j */
		kind = (unsigned)(rng() % 4);
		if (kind == 1)
			p += sprintf(p, "hh");
		else if (kind == 2)
			p += sprintf(p, "ll");
		else if (kind == 3)
			p += sprintf(p, "j");
		*p++ = conv;
		*p = '\0';
		if (kind <= 1) {
			v = (unsigned)v;
			en = libc(e, sizeof e, f, (unsigned)v);
			gn = our(g, sizeof g, f, (unsigned)v);
		} else {
			en = libc(e, sizeof e, f, v);
			gn = our(g, sizeof g, f, v);
		}
		if (en != gn || strcmp(e, g) != 0) {
			UNIT_FAIL("format \"%s\" value 0x%llx: got \"%s\" (%d), libc \"%s\" (%d)",
				  f, v, g, gn, e, en);
			return;
		}
	}
}

static const struct unit_test tests[] = {
	{ "format.literal", test_literal },
	{ "format.signed", test_signed },
	{ "format.unsigned", test_unsigned },
	{ "format.length_modifiers", test_length_modifiers },
	{ "format.flag_matrix", test_flag_matrix },
	{ "format.string", test_string },
	{ "format.char", test_char },
	{ "format.star", test_star },
	{ "format.pointer", test_pointer },
	{ "format.unknown_conversion", test_unknown_conversion },
	{ "format.truncation", test_truncation },
	{ "format.huge_width", test_huge_width },
	{ "format.sink", test_sink },
	{ "format.random_vs_libc", test_random_vs_libc },
};

UNIT_MAIN(tests)
