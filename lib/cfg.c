/* cfg.c - parser and checker of the launcher's config scripts; the language is described in docs/config.md. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cfg.h"
#include "format.h"

/*
 * The script is read as a stream of characters with line joining already
 * done (cfg_next), cut into words with quotes and comments handled
 * (cfg_word), and each statement is decoded word by word straight into
 * *out. The first error ends the parse. Nothing is recursive and nothing
 * is allocated: the only buffer is one word in struct cfg_parser.
 */

/* Longest word kept in full. Nothing valid is longer: the longest is an
 * argument, and argv[0] takes at least 2 of the CFG_ARGS_MAX bytes. Longer
 * words are still counted, so length checks see their true length. */
#define CFG_WORD_MAX CFG_ARGS_MAX

/* Characters of a word quoted in an error message. */
#define CFG_SHOW_MAX 40
#define CFG_SHOW_SIZE (CFG_SHOW_MAX + 4)

/* cfg_next's result besides a character 0..255 and -1 (error). */
#define CFG_END 256

struct cfg_parser {
	const char *text;
	size_t len;
	size_t pos;          /* next byte of text to read */
	unsigned line;       /* line of text[pos], from 1 */
	unsigned stmt_line;  /* first line of the statement being read */
	bool stmt_done;      /* its line end has been read */
	const char *file;    /* for messages */
	char *err;
	size_t errlen;
	struct cfg *out;
	size_t wordlen;      /* length of the last word, also beyond CFG_WORD_MAX */
	char word[CFG_WORD_MAX + 1]; /* its first CFG_WORD_MAX bytes and a NUL */
};

static const char *const cfg_builtins[] = { "log", "mem", "kdebug" };

/* ---- small string helpers (no libc here) ---- */

static size_t cfg_strlen(const char *s)
{
	size_t n = 0;

	while (s[n] != '\0')
		n++;
	return n;
}

/* s[0..n) equals the C string lit. */
static bool cfg_eq(const char *s, size_t n, const char *lit)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (lit[i] == '\0' || lit[i] != s[i])
			return false;
	return lit[n] == '\0';
}

/* Copy s[0..n) into dst[size] and fill the rest with NULs, so that no
 * stale byte of the caller's buffer survives behind a name. n < size. */
static void cfg_copy(char *dst, size_t size, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < size; i++)
		dst[i] = i < n ? s[i] : '\0';
}

static bool cfg_is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

/* A word for a message: at most CFG_SHOW_MAX characters, anything not
 * printable as '?', "..." when cut, so the message stays one line. */
static const char *cfg_show(char buf[CFG_SHOW_SIZE], const char *s, size_t n)
{
	size_t i, k = n < CFG_SHOW_MAX ? n : CFG_SHOW_MAX;

	for (i = 0; i < k; i++)
		buf[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	if (k < n) {
		buf[k++] = '.';
		buf[k++] = '.';
		buf[k++] = '.';
	}
	buf[k] = '\0';
	return buf;
}

__attribute__((format(printf, 3, 4)))
static int cfg_fail(struct cfg_parser *p, unsigned line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (p->err == NULL || p->errlen == 0)
		return -1;
	n = fmt_snprintf(p->err, p->errlen, "%s:%u: ",
			 p->file != NULL ? p->file : "(null)", line);
	if (n >= 0 && (size_t)n < p->errlen) {
		va_start(ap, fmt);
		fmt_vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* ---- characters and words ---- */

/*
 * The next character of the statement with lines joined: a backslash
 * that ends a line (before "\n" or "\r\n") stands for one blank and the
 * statement goes on on the next line. Returns the character, CFG_END at
 * the statement's end (its line end is then consumed), or -1 on error.
 */
static int cfg_next(struct cfg_parser *p)
{
	unsigned char c;

	if (p->stmt_done || p->pos >= p->len) {
		p->stmt_done = true;
		return CFG_END;
	}
	c = (unsigned char)p->text[p->pos];
	if (c == '\0')
		return cfg_fail(p, p->stmt_line, "NUL byte in the text");
	if (c == '\n' || (c == '\r' && p->pos + 1 < p->len && p->text[p->pos + 1] == '\n')) {
		p->pos += c == '\r' ? 2 : 1;
		p->line++;
		p->stmt_done = true;
		return CFG_END;
	}
	if (c == '\\') {
		size_t nl = p->pos + 1;

		if (nl + 1 < p->len && p->text[nl] == '\r' && p->text[nl + 1] == '\n')
			nl++;
		if (nl >= p->len)
			return cfg_fail(p, p->stmt_line,
					"backslash at the end of the file (no line to join)");
		if (p->text[nl] == '\n') {
			if (nl + 1 >= p->len)
				return cfg_fail(p, p->stmt_line,
						"backslash at the end of the file (no line to join)");
			p->pos = nl + 1;
			p->line++;
			return ' ';
		}
	}
	p->pos++;
	return c;
}

/* The character cfg_next would return, without consuming it. */
static int cfg_peek(struct cfg_parser *p)
{
	size_t pos = p->pos;
	unsigned line = p->line;
	bool done = p->stmt_done;
	int c = cfg_next(p);

	p->pos = pos;
	p->line = line;
	p->stmt_done = done;
	return c;
}

static void cfg_put(struct cfg_parser *p, int c)
{
	if (p->wordlen < CFG_WORD_MAX)
		p->word[p->wordlen] = (char)c;
	p->wordlen++;
}

/*
 * Read the statement's next word into p->word / p->wordlen. Returns 1, or
 * 0 when the statement has no more words (a comment ends it), or -1 on
 * error. Double quotes may enclose any part of a word; inside them blanks
 * and '#' are ordinary and \" and \\ are escapes.
 */
static int cfg_word(struct cfg_parser *p)
{
	bool quoted = false, any = false;
	int c;

	p->wordlen = 0;
	do
		c = cfg_next(p);
	while (c == ' ' || c == '\t');
	for (;;) {
		if (c < 0)
			return -1;
		if (c == CFG_END) {
			if (quoted)
				return cfg_fail(p, p->stmt_line, "unbalanced quotes");
			break;
		}
		if (!quoted && (c == ' ' || c == '\t'))
			break;
		if (!quoted && c == '#') {
			/* The comment runs to the statement's end. */
			while ((c = cfg_next(p)) != CFG_END)
				if (c < 0)
					return -1;
			break;
		}
		if (c == '"') {
			quoted = !quoted;
			any = true;
			c = cfg_next(p);
			continue;
		}
		if (quoted && c == '\\') {
			int d = cfg_peek(p);

			if (d < 0)
				return -1;
			if (d == '"' || d == '\\')
				c = cfg_next(p);
		}
		cfg_put(p, c);
		any = true;
		c = cfg_next(p);
	}
	p->word[p->wordlen < CFG_WORD_MAX ? p->wordlen : CFG_WORD_MAX] = '\0';
	return any ? 1 : 0;
}

/* ---- values ---- */

/* Decimal or 0x hex, at least one digit, no sign, no overflow. */
static bool cfg_number(const char *s, size_t n, uint64_t *v)
{
	uint64_t x = 0;
	size_t i = 0;

	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		for (i = 2; i < n; i++) {
			char c = s[i];
			unsigned d;

			if (c >= '0' && c <= '9')
				d = (unsigned)(c - '0');
			else if (c >= 'a' && c <= 'f')
				d = (unsigned)(c - 'a' + 10);
			else if (c >= 'A' && c <= 'F')
				d = (unsigned)(c - 'A' + 10);
			else
				return false;
			if (x > UINT64_MAX >> 4)
				return false;
			x = x << 4 | d;
		}
		*v = x;
		return true;
	}
	if (n == 0)
		return false;
	for (i = 0; i < n; i++) {
		unsigned d;

		if (s[i] < '0' || s[i] > '9')
			return false;
		d = (unsigned)(s[i] - '0');
		if (x > (UINT64_MAX - d) / 10)
			return false;
		x = x * 10 + d;
	}
	*v = x;
	return true;
}

/* A number with an optional suffix K, M or G (KiB, MiB, GiB); > 0. */
static bool cfg_size(const char *s, size_t n, uint64_t *v)
{
	unsigned shift = 0;
	uint64_t x;

	if (n > 0 && s[n - 1] == 'K')
		shift = 10;
	else if (n > 0 && s[n - 1] == 'M')
		shift = 20;
	else if (n > 0 && s[n - 1] == 'G')
		shift = 30;
	if (shift != 0)
		n--;
	if (!cfg_number(s, n, &x) || x == 0 || x > UINT64_MAX >> shift)
		return false;
	*v = x << shift;
	return true;
}

/* A non-empty set of the letters r, w, d, each at most once. */
static bool cfg_rights(const char *s, size_t n, unsigned *rights)
{
	unsigned r = 0, bit;
	size_t i;

	if (n == 0)
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] == 'r')
			bit = CFG_RIGHT_R;
		else if (s[i] == 'w')
			bit = CFG_RIGHT_W;
		else if (s[i] == 'd')
			bit = CFG_RIGHT_D;
		else
			return false;
		if (r & bit)
			return false;
		r |= bit;
	}
	*rights = r;
	return true;
}

static bool cfg_is_builtin(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof cfg_builtins / sizeof cfg_builtins[0]; i++)
		if (cfg_eq(s, n, cfg_builtins[i]))
			return true;
	return false;
}

/* Check the syntax of a name; what names (program, gate, capability)
 * goes into the message. */
static int cfg_check_name(struct cfg_parser *p, const char *what, const char *s, size_t n)
{
	char show[CFG_SHOW_SIZE];
	size_t i;

	if (n >= CFG_NAME_MAX)
		return cfg_fail(p, p->stmt_line,
				"%s name '%s' is too long (at most %u characters)",
				what, cfg_show(show, s, n), CFG_NAME_MAX - 1);
	for (i = 0; i < n; i++)
		if (!cfg_is_name_char(s[i]))
			break;
	if (n == 0 || i < n)
		return cfg_fail(p, p->stmt_line,
				"bad %s name '%s' (letters, digits, '_', '-' and '.' only)",
				what, cfg_show(show, s, n));
	return 0;
}

static int cfg_find_gate(const struct cfg *c, const char *s, size_t n)
{
	unsigned i;

	for (i = 0; i < c->ngates; i++)
		if (cfg_eq(s, n, c->gates[i].name))
			return (int)i;
	return -1;
}

/* ---- statements ---- */

/* gate NAME */
static int cfg_gate_stmt(struct cfg_parser *p)
{
	struct cfg *out = p->out;
	struct cfg_gate *g;
	char show[CFG_SHOW_SIZE];
	int r, dup;

	r = cfg_word(p);
	if (r < 0)
		return -1;
	if (r == 0)
		return cfg_fail(p, p->stmt_line, "missing gate name");
	if (cfg_check_name(p, "gate", p->word, p->wordlen) < 0)
		return -1;
	if (cfg_is_builtin(p->word, p->wordlen))
		return cfg_fail(p, p->stmt_line, "'%s' is a builtin name, not a gate name",
				p->word);
	dup = cfg_find_gate(out, p->word, p->wordlen);
	if (dup >= 0)
		return cfg_fail(p, p->stmt_line, "gate '%s' is declared twice (first at line %u)",
				p->word, out->gates[dup].line);
	if (out->ngates >= CFG_MAX_GATES)
		return cfg_fail(p, p->stmt_line, "too many gates (at most %u)", CFG_MAX_GATES);
	g = &out->gates[out->ngates];
	cfg_copy(g->name, sizeof g->name, p->word, p->wordlen);
	g->line = p->stmt_line;
	g->server = -1;
	g->label = 0;

	r = cfg_word(p);
	if (r < 0)
		return -1;
	if (r > 0)
		return cfg_fail(p, p->stmt_line, "unexpected '%s' after the gate name",
				cfg_show(show, p->word, p->wordlen));
	out->ngates++;
	return 0;
}

/* FILE of a start statement: rom/ and then printable non-blank characters. */
static int cfg_file(struct cfg_parser *p, struct cfg_program *prog)
{
	char show[CFG_SHOW_SIZE];
	const char *s = p->word;
	size_t n = p->wordlen, i;

	if (n >= CFG_FILE_MAX)
		return cfg_fail(p, p->stmt_line, "file name '%s' is too long (at most %u characters)",
				cfg_show(show, s, n), CFG_FILE_MAX - 1);
	if (n < 4 || !cfg_eq(s, 4, "rom/"))
		return cfg_fail(p, p->stmt_line,
				"file '%s' is not under rom/ (boot modules are the only files)",
				cfg_show(show, s, n));
	for (i = 4; i < n; i++)
		if (s[i] <= 0x20 || s[i] >= 0x7f)
			break;
	if (n == 4 || i < n)
		return cfg_fail(p, p->stmt_line,
				"bad file name '%s' (rom/ and a module name without blanks or control characters)",
				cfg_show(show, s, n));
	cfg_copy(prog->file, sizeof prog->file, s, n);
	return 0;
}

/* cap=NAME[:RIGHTS]; v[0..n) is what follows "cap=". */
static int cfg_cap_opt(struct cfg_parser *p, struct cfg_program *prog, const char *v, size_t n)
{
	char show[CFG_SHOW_SIZE];
	unsigned rights = CFG_RIGHT_R, i;
	size_t k;
	struct cfg_cap *cap;

	for (k = 0; k < n && v[k] != ':'; k++)
		;
	if (cfg_check_name(p, "capability", v, k) < 0)
		return -1;
	if (cfg_eq(v, k, "log") || cfg_eq(v, k, "mem"))
		return cfg_fail(p, p->stmt_line,
				"every program has capability '%s' already (no cap= needed)",
				cfg_show(show, v, k));
	if (k < n && !cfg_rights(v + k + 1, n - k - 1, &rights))
		return cfg_fail(p, p->stmt_line,
				"bad rights '%s' for capability '%.*s' (letters r, w, d, each at most once)",
				cfg_show(show, v + k + 1, n - k - 1), (int)k, v);
	for (i = 0; i < prog->ncaps; i++)
		if (cfg_eq(v, k, prog->caps[i].name))
			return cfg_fail(p, p->stmt_line,
					"capability '%.*s' given twice to program '%s'",
					(int)k, v, prog->name);
	if (prog->ncaps >= CFG_MAX_CAPS)
		return cfg_fail(p, p->stmt_line, "too many capabilities for program '%s' (at most %u)",
				prog->name, CFG_MAX_CAPS);
	cap = &prog->caps[prog->ncaps++];
	cfg_copy(cap->name, sizeof cap->name, v, k);
	cap->rights = rights;
	cap->line = p->stmt_line;
	cap->gate = -1; /* resolved when the whole script is read */
	return 0;
}

/* serve=NAME[:LABEL]; the gate must be declared before. */
static int cfg_serve_opt(struct cfg_parser *p, unsigned idx, const char *v, size_t n)
{
	struct cfg_program *prog = &p->out->programs[idx];
	struct cfg_gate *g;
	char show[CFG_SHOW_SIZE];
	uint64_t label = 0;
	size_t k;
	int gi;

	for (k = 0; k < n && v[k] != ':'; k++)
		;
	if (cfg_check_name(p, "gate", v, k) < 0)
		return -1;
	if (k < n && !cfg_number(v + k + 1, n - k - 1, &label))
		return cfg_fail(p, p->stmt_line,
				"bad label '%s' for gate '%.*s' (a number, decimal or 0x hex)",
				cfg_show(show, v + k + 1, n - k - 1), (int)k, v);
	gi = cfg_find_gate(p->out, v, k);
	if (gi < 0)
		return cfg_fail(p, p->stmt_line,
				"gate '%.*s' is not declared (serve= needs a gate declared before it)",
				(int)k, v);
	g = &p->out->gates[gi];
	if (g->server == (int)idx)
		return cfg_fail(p, p->stmt_line, "program '%s' serves gate '%s' twice",
				prog->name, g->name);
	if (g->server >= 0)
		return cfg_fail(p, p->stmt_line,
				"gate '%s' is served by program '%s' already (line %u)",
				g->name, p->out->programs[g->server].name,
				p->out->programs[g->server].line);
	if (prog->nserves >= CFG_MAX_SERVES)
		return cfg_fail(p, p->stmt_line, "too many serve= for program '%s' (at most %u)",
				prog->name, CFG_MAX_SERVES);
	g->server = (int)idx;
	g->label = label;
	prog->serves[prog->nserves].gate = gi;
	prog->serves[prog->nserves].label = label;
	prog->nserves++;
	return 0;
}

/* One OPTION word of a start statement (not "--"). */
static int cfg_option(struct cfg_parser *p, unsigned idx, unsigned *seen)
{
	enum { SEEN_TAG = 1, SEEN_PRIO = 2, SEEN_KMEM = 4, SEEN_MEM = 8, SEEN_INPUT = 16 };
	struct cfg_program *prog = &p->out->programs[idx];
	const char *w = p->word, *v;
	char show[CFG_SHOW_SIZE];
	size_t k, n;
	uint64_t x;
	unsigned i, bit;

	if (p->wordlen > CFG_WORD_MAX)
		return cfg_fail(p, p->stmt_line, "option '%s' is too long",
				cfg_show(show, w, p->wordlen));
	if (cfg_eq(w, p->wordlen, "input")) {
		if (*seen & SEEN_INPUT)
			return cfg_fail(p, p->stmt_line, "option 'input' given twice");
		for (i = 0; i < idx; i++)
			if (p->out->programs[i].input)
				return cfg_fail(p, p->stmt_line,
						"serial input goes to program '%s' already (line %u)",
						p->out->programs[i].name, p->out->programs[i].line);
		*seen |= SEEN_INPUT;
		prog->input = true;
		return 0;
	}
	for (k = 0; k < p->wordlen && w[k] != '='; k++)
		;
	if (k == p->wordlen)
		return cfg_fail(p, p->stmt_line, "unknown option '%s'", cfg_show(show, w, p->wordlen));
	v = w + k + 1;
	n = p->wordlen - k - 1;
	if (cfg_eq(w, k, "cap"))
		return cfg_cap_opt(p, prog, v, n);
	if (cfg_eq(w, k, "serve"))
		return cfg_serve_opt(p, idx, v, n);

	if (cfg_eq(w, k, "tag"))
		bit = SEEN_TAG;
	else if (cfg_eq(w, k, "prio"))
		bit = SEEN_PRIO;
	else if (cfg_eq(w, k, "kmem"))
		bit = SEEN_KMEM;
	else if (cfg_eq(w, k, "mem"))
		bit = SEEN_MEM;
	else
		return cfg_fail(p, p->stmt_line, "unknown option '%s'", cfg_show(show, w, p->wordlen));
	if (*seen & bit)
		return cfg_fail(p, p->stmt_line, "option '%.*s' given twice", (int)k, w);
	*seen |= bit;

	if (bit == SEEN_TAG) {
		for (i = 0; i < n; i++)
			if (v[i] < 0x20 || v[i] >= 0x7f)
				break;
		if (n == 0 || n >= CFG_NAME_MAX || i < n)
			return cfg_fail(p, p->stmt_line,
					"bad tag '%s' (1 to %u printable characters)",
					cfg_show(show, v, n), CFG_NAME_MAX - 1);
		cfg_copy(prog->tag, sizeof prog->tag, v, n);
	} else if (bit == SEEN_PRIO) {
		if (!cfg_number(v, n, &x) || x < 1 || x > 99)
			return cfg_fail(p, p->stmt_line, "bad prio '%s' (a number from 1 to 99)",
					cfg_show(show, v, n));
		prog->prio = (unsigned)x;
	} else {
		if (!cfg_size(v, n, &x))
			return cfg_fail(p, p->stmt_line,
					"bad size '%s' for %s (a number > 0, decimal or 0x hex, and K, M or G)",
					cfg_show(show, v, n), bit == SEEN_KMEM ? "kmem" : "mem");
		if (bit == SEEN_KMEM)
			prog->kmem = x;
		else
			prog->mem = x;
	}
	return 0;
}

/* One argument after "--": appended to args verbatim. */
static int cfg_arg(struct cfg_parser *p, struct cfg_program *prog)
{
	size_t i;

	if (p->wordlen >= CFG_ARGS_MAX - prog->args_len)
		return cfg_fail(p, p->stmt_line,
				"too many argument bytes for program '%s' (at most %u, with its name and a NUL after each)",
				prog->name, CFG_ARGS_MAX);
	/* wordlen < CFG_ARGS_MAX - args_len <= CFG_WORD_MAX: the word is whole. */
	for (i = 0; i < p->wordlen; i++)
		prog->args[prog->args_len + i] = p->word[i];
	prog->args[prog->args_len + p->wordlen] = '\0';
	prog->args_len += p->wordlen + 1;
	prog->argc++;
	return 0;
}

/* start NAME FILE [OPTION ...] [-- ARG ...] */
static int cfg_start_stmt(struct cfg_parser *p)
{
	struct cfg *out = p->out;
	struct cfg_program *prog;
	unsigned idx = out->nprograms, seen = 0, i;
	bool in_args = false;
	size_t n;
	int r;

	r = cfg_word(p);
	if (r < 0)
		return -1;
	if (r == 0)
		return cfg_fail(p, p->stmt_line, "missing program name");
	if (cfg_check_name(p, "program", p->word, p->wordlen) < 0)
		return -1;
	if (cfg_is_builtin(p->word, p->wordlen))
		return cfg_fail(p, p->stmt_line, "'%s' is a builtin name, not a program name",
				p->word);
	for (i = 0; i < idx; i++)
		if (cfg_eq(p->word, p->wordlen, out->programs[i].name))
			return cfg_fail(p, p->stmt_line,
					"program '%s' is declared twice (first at line %u)",
					p->word, out->programs[i].line);
	if (idx >= CFG_MAX_PROGRAMS)
		return cfg_fail(p, p->stmt_line, "too many programs (at most %u)", CFG_MAX_PROGRAMS);

	prog = &out->programs[idx];
	n = p->wordlen;
	cfg_copy(prog->name, sizeof prog->name, p->word, n);
	cfg_copy(prog->tag, sizeof prog->tag, p->word, n);
	cfg_copy(prog->file, sizeof prog->file, "", 0);
	prog->prio = CFG_DEFAULT_PRIO;
	prog->kmem = CFG_DEFAULT_KMEM;
	prog->mem = CFG_DEFAULT_MEM;
	prog->ncaps = 0;
	prog->nserves = 0;
	prog->input = false;
	cfg_copy(prog->args, sizeof prog->args, p->word, n);
	prog->argc = 1;
	prog->args_len = n + 1;
	prog->line = p->stmt_line;

	r = cfg_word(p);
	if (r < 0)
		return -1;
	if (r == 0)
		return cfg_fail(p, p->stmt_line, "missing file for program '%s'", prog->name);
	if (cfg_file(p, prog) < 0)
		return -1;

	while ((r = cfg_word(p)) > 0) {
		if (in_args)
			r = cfg_arg(p, prog);
		else if (cfg_eq(p->word, p->wordlen, "--"))
			in_args = true;
		else
			r = cfg_option(p, idx, &seen);
		if (r < 0)
			return -1;
	}
	if (r < 0)
		return -1;
	out->nprograms++;
	return 0;
}

/* What can only be checked with the whole script read. */
static int cfg_check_all(struct cfg_parser *p)
{
	struct cfg *out = p->out;
	unsigned i, j;

	for (i = 0; i < out->ngates; i++)
		if (out->gates[i].server < 0)
			return cfg_fail(p, out->gates[i].line, "gate '%s' is served by no program",
					out->gates[i].name);
	for (i = 0; i < out->nprograms; i++) {
		struct cfg_program *prog = &out->programs[i];

		for (j = 0; j < prog->ncaps; j++) {
			struct cfg_cap *cap = &prog->caps[j];

			if (cfg_eq(cap->name, cfg_strlen(cap->name), "kdebug")) {
				cap->gate = -1;
				continue;
			}
			cap->gate = cfg_find_gate(out, cap->name, cfg_strlen(cap->name));
			if (cap->gate < 0)
				return cfg_fail(p, prog->line, "capability '%s' is never defined",
						cap->name);
		}
	}
	return 0;
}

int cfg_parse(const char *text, size_t len, const char *file, struct cfg *out,
	      char *err, size_t errlen)
{
	struct cfg_parser p;
	int r;

	p.text = text;
	p.len = text != NULL ? len : 0;
	p.pos = 0;
	p.line = 1;
	p.stmt_line = 1;
	p.stmt_done = false;
	p.file = file;
	p.err = err;
	p.errlen = errlen;
	p.out = out;
	p.wordlen = 0;
	p.word[0] = '\0';
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (out == NULL)
		return cfg_fail(&p, 0, "no output buffer");
	out->nprograms = 0;
	out->ngates = 0;

	while (p.pos < p.len) {
		p.stmt_line = p.line;
		p.stmt_done = false;
		r = cfg_word(&p);
		if (r < 0)
			return -1;
		if (r == 0)
			continue; /* blank or comment */
		if (cfg_eq(p.word, p.wordlen, "gate"))
			r = cfg_gate_stmt(&p);
		else if (cfg_eq(p.word, p.wordlen, "start"))
			r = cfg_start_stmt(&p);
		else {
			char show[CFG_SHOW_SIZE];

			r = cfg_fail(&p, p.stmt_line, "unknown keyword '%s' (expected gate or start)",
				     cfg_show(show, p.word, p.wordlen));
		}
		if (r < 0)
			return -1;
	}
	return cfg_check_all(&p);
}
