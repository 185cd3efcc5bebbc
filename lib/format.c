/* format.c - printf-style formatter without libc, floating point or allocation. */
#include <stdbool.h>
#include <stdint.h>

#include "format.h"

/* Widths and precisions saturate here so parsing never overflows an int. */
#define FMT_INT_MAX 0x7fffffff

struct fmt_spec {
	bool left;  /* '-' */
	bool zero;  /* '0' */
	bool plus;  /* '+' */
	bool space; /* ' ' */
	bool alt;   /* '#' */
	size_t width; /* 0 when absent */
	long prec;    /* -1 when absent */
};

enum fmt_len { FMT_LEN_NONE, FMT_LEN_HH, FMT_LEN_H, FMT_LEN_L, FMT_LEN_LL,
	       FMT_LEN_Z, FMT_LEN_T, FMT_LEN_J };

struct fmt_out {
	fmt_sink sink;
	void *ctx;
	size_t count; /* size_t so that a huge output cannot overflow */
};

static void fmt_put(struct fmt_out *o, char c)
{
	o->sink(o->ctx, c);
	o->count++;
}

static void fmt_repeat(struct fmt_out *o, char c, size_t n)
{
	while (n-- > 0)
		fmt_put(o, c);
}

static void fmt_put_range(struct fmt_out *o, const char *from, const char *to)
{
	while (from < to)
		fmt_put(o, *from++);
}

static bool fmt_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static long fmt_parse_num(const char **pp)
{
	const char *p = *pp;
	long v = 0;

	while (fmt_is_digit(*p)) {
		v = v * 10 + (*p - '0');
		if (v > FMT_INT_MAX)
			v = FMT_INT_MAX;
		p++;
	}
	*pp = p;
	return v;
}

/*
 * Emit an already-split number: sign (or 0), magnitude, base. The
 * caller decides whether a "0x" prefix applies because that depends on
 * the conversion (%#x only for non-zero values, %p always).
 */
static void fmt_integer(struct fmt_out *o, const struct fmt_spec *s,
			uintmax_t mag, char sign, unsigned base, bool upper,
			bool hex_prefix)
{
	const char *tab = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char digits[sizeof(uintmax_t) * 8 / 3 + 2];
	size_t nd = 0, zeros = 0, total, prefix_len;

	/* C99: precision 0 with value 0 prints no digits at all. */
	if (!(mag == 0 && s->prec == 0)) {
		do {
			digits[nd++] = tab[mag % base];
			mag /= base;
		} while (mag != 0);
	}
	if (s->prec >= 0 && (size_t)s->prec > nd)
		zeros = (size_t)s->prec - nd;
	/* %#o raises the precision just enough for a leading zero. */
	if (base == 8 && s->alt && zeros == 0 &&
	    (nd == 0 || digits[nd - 1] != '0'))
		zeros = 1;

	prefix_len = (sign ? 1u : 0u) + (hex_prefix ? 2u : 0u);
	total = prefix_len + zeros + nd;
	/* The '0' flag is ignored with '-' or with an explicit precision. */
	if (s->zero && !s->left && s->prec < 0 && s->width > total) {
		zeros += s->width - total;
		total = s->width;
	}
	if (!s->left && s->width > total)
		fmt_repeat(o, ' ', s->width - total);
	if (sign)
		fmt_put(o, sign);
	if (hex_prefix) {
		fmt_put(o, '0');
		fmt_put(o, upper ? 'X' : 'x');
	}
	fmt_repeat(o, '0', zeros);
	while (nd > 0)
		fmt_put(o, digits[--nd]);
	if (s->left && s->width > total)
		fmt_repeat(o, ' ', s->width - total);
}

static void fmt_string(struct fmt_out *o, const struct fmt_spec *s,
		       const char *str)
{
	size_t len = 0;

	if (str == NULL)
		str = "(null)";
	/* With a precision the string need not be NUL-terminated, so never
	 * look past the precision. */
	while ((s->prec < 0 || len < (size_t)s->prec) && str[len] != '\0')
		len++;
	if (!s->left && s->width > len)
		fmt_repeat(o, ' ', s->width - len);
	fmt_put_range(o, str, str + len);
	if (s->left && s->width > len)
		fmt_repeat(o, ' ', s->width - len);
}

int fmt_vformat(fmt_sink sink, void *ctx, const char *fmt, va_list ap)
{
	struct fmt_out o = { sink, ctx, 0 };
	const char *p = fmt;

	while (*p != '\0') {
		struct fmt_spec s = { false, false, false, false, false, 0, -1 };
		enum fmt_len len = FMT_LEN_NONE;
		const char *start;
		uintmax_t mag;
		intmax_t v;
		char conv;

		if (*p != '%') {
			fmt_put(&o, *p++);
			continue;
		}
		start = p++;

		for (;; p++) {
			if (*p == '-')
				s.left = true;
			else if (*p == '0')
				s.zero = true;
			else if (*p == '+')
				s.plus = true;
			else if (*p == ' ')
				s.space = true;
			else if (*p == '#')
				s.alt = true;
			else
				break;
		}

		if (*p == '*') {
			int w = va_arg(ap, int);

			p++;
			/* A negative '*' width means '-' plus that width. */
			if (w < 0) {
				s.left = true;
				s.width = w == -FMT_INT_MAX - 1 ?
					(size_t)FMT_INT_MAX + 1 : (size_t)-w;
			} else {
				s.width = (size_t)w;
			}
		} else {
			s.width = (size_t)fmt_parse_num(&p);
		}

		if (*p == '.') {
			p++;
			if (*p == '*') {
				int pr = va_arg(ap, int);

				p++;
				/* A negative '*' precision counts as absent. */
				s.prec = pr < 0 ? -1 : pr;
			} else {
				s.prec = fmt_parse_num(&p);
			}
		}

		if (p[0] == 'h' && p[1] == 'h') {
			len = FMT_LEN_HH;
			p += 2;
		} else if (p[0] == 'l' && p[1] == 'l') {
			len = FMT_LEN_LL;
			p += 2;
		} else if (*p == 'h') {
			len = FMT_LEN_H;
			p++;
		} else if (*p == 'l') {
			len = FMT_LEN_L;
			p++;
		} else if (*p == 'z') {
			len = FMT_LEN_Z;
			p++;
		} else if (*p == 't') {
			len = FMT_LEN_T;
			p++;
		} else if (*p == 'j') {
			len = FMT_LEN_J;
			p++;
		}

		conv = *p;
		if (conv == '\0') {
			/* Format ends inside a conversion: show what was there. */
			fmt_put_range(&o, start, p);
			break;
		}
		p++;

		switch (conv) {
		case 'd':
		case 'i':
			switch (len) {
			case FMT_LEN_HH: v = (signed char)va_arg(ap, int); break;
			case FMT_LEN_H:  v = (short)va_arg(ap, int); break;
			case FMT_LEN_L:  v = va_arg(ap, long); break;
			case FMT_LEN_LL: v = va_arg(ap, long long); break;
			/* ptrdiff_t is the signed type as wide as size_t here. */
			case FMT_LEN_Z:  v = va_arg(ap, ptrdiff_t); break;
			case FMT_LEN_T:  v = va_arg(ap, ptrdiff_t); break;
			case FMT_LEN_J:  v = va_arg(ap, intmax_t); break;
			default:         v = va_arg(ap, int); break;
			}
			/* Negate in unsigned arithmetic so INTMAX_MIN is fine. */
			mag = v < 0 ? (uintmax_t)0 - (uintmax_t)v : (uintmax_t)v;
			fmt_integer(&o, &s, mag,
				    v < 0 ? '-' : s.plus ? '+' : s.space ? ' ' : 0,
				    10, false, false);
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			switch (len) {
			case FMT_LEN_HH: mag = (unsigned char)va_arg(ap, unsigned); break;
			case FMT_LEN_H:  mag = (unsigned short)va_arg(ap, unsigned); break;
			case FMT_LEN_L:  mag = va_arg(ap, unsigned long); break;
			case FMT_LEN_LL: mag = va_arg(ap, unsigned long long); break;
			case FMT_LEN_Z:  mag = va_arg(ap, size_t); break;
			case FMT_LEN_T:  mag = (size_t)va_arg(ap, ptrdiff_t); break;
			case FMT_LEN_J:  mag = va_arg(ap, uintmax_t); break;
			default:         mag = va_arg(ap, unsigned); break;
			}
			if (conv == 'u')
				fmt_integer(&o, &s, mag, 0, 10, false, false);
			else if (conv == 'o')
				fmt_integer(&o, &s, mag, 0, 8, false, false);
			else
				fmt_integer(&o, &s, mag, 0, 16, conv == 'X',
					    s.alt && mag != 0);
			break;
		case 'p':
			mag = (uintptr_t)va_arg(ap, void *);
			fmt_integer(&o, &s, mag, 0, 16, false, true);
			break;
		case 'c': {
			char c = (char)va_arg(ap, int);

			/* Precision means nothing for %c; the char may be NUL. */
			if (!s.left && s.width > 1)
				fmt_repeat(&o, ' ', s.width - 1);
			fmt_put(&o, c);
			if (s.left && s.width > 1)
				fmt_repeat(&o, ' ', s.width - 1);
			break;
		}
		case 's':
			fmt_string(&o, &s, va_arg(ap, const char *));
			break;
		case '%':
			fmt_put(&o, '%');
			break;
		default:
			/* Unknown: print the whole specification as written. */
			fmt_put_range(&o, start, p);
			break;
		}
	}
	return o.count > FMT_INT_MAX ? FMT_INT_MAX : (int)o.count;
}

int fmt_format(fmt_sink sink, void *ctx, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vformat(sink, ctx, fmt, ap);
	va_end(ap);
	return n;
}

struct fmt_buf {
	char *buf;
	size_t size;
	size_t pos; /* characters produced so far, stored or not */
};

static void fmt_buf_sink(void *ctx, char c)
{
	struct fmt_buf *b = ctx;

	/* Keep the last byte for the terminating NUL. */
	if (b->pos + 1 < b->size)
		b->buf[b->pos] = c;
	b->pos++;
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_buf b = { buf, size, 0 };
	int n = fmt_vformat(fmt_buf_sink, &b, fmt, ap);

	if (size > 0)
		buf[b.pos < size ? b.pos : size - 1] = '\0';
	return n;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
