/* test_cfg.c - unit tests for lib/cfg.c: a script with every feature, one test per error, limits and a fuzz run. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfg.h"
#include "unit.h"

#define FILE_NAME "t.cfg"
#define ERR_SIZE 256

/*
 * Parse text[0..len) from an exact-size heap copy (no NUL after it), so
 * ASan catches any read past the end. *out starts filled with junk so
 * that fields the parser forgets to set show up.
 */
static int run_len(const char *text, size_t len, struct cfg *out, char *err, size_t errlen)
{
	char *copy = malloc(len ? len : 1);
	char *e = errlen ? malloc(errlen) : NULL;
	int r;

	REQUIRE(copy != NULL);
	memcpy(copy, text, len);
	memset(out, 0xa5, sizeof *out);
	if (e)
		memset(e, 'Z', errlen);
	r = cfg_parse(copy, len, FILE_NAME, out, e, errlen);
	if (errlen)
		memcpy(err, e, errlen);
	free(e);
	free(copy);
	return r;
}

static struct cfg *new_cfg(void)
{
	struct cfg *c = malloc(sizeof *c);

	REQUIRE(c != NULL);
	return c;
}

/* Parse a valid script; a failure reports the parser's message. */
#define ACCEPT(text, out)						\
	do {								\
		char ac_err_[ERR_SIZE];					\
		int ac_r_ = run_len((text), strlen(text), (out), ac_err_, sizeof ac_err_); \
		if (ac_r_ != 0)						\
			UNIT_FAIL("rejected a valid script: %s", ac_err_); \
		else							\
			CHECK_STR(ac_err_, "");				\
	} while (0)

/* Expect rejection with "t.cfg:LINE: " and every key word in the message. */
#define REJECT_LEN(text, len, line, ...)				\
	do {								\
		const char *rj_keys_[] = { __VA_ARGS__ };		\
		char rj_err_[ERR_SIZE], rj_prefix_[64];			\
		struct cfg *rj_out_ = new_cfg();			\
		size_t rj_i_;						\
		int rj_r_ = run_len((text), (len), rj_out_, rj_err_, sizeof rj_err_); \
		free(rj_out_);						\
		CHECK_EQ_INT(rj_r_, -1);				\
		if (rj_r_ == -1) {					\
			snprintf(rj_prefix_, sizeof rj_prefix_, FILE_NAME ":%d: ", (int)(line)); \
			if (strncmp(rj_err_, rj_prefix_, strlen(rj_prefix_)) != 0) \
				UNIT_FAIL("message \"%s\" does not start with \"%s\"", \
					  rj_err_, rj_prefix_);		\
			CHECK(strchr(rj_err_, '\n') == NULL);		\
			for (rj_i_ = 0; rj_i_ < sizeof rj_keys_ / sizeof rj_keys_[0]; rj_i_++) \
				CHECK_CONTAINS(rj_err_, rj_keys_[rj_i_]); \
		}							\
	} while (0)

#define REJECT(text, line, ...) REJECT_LEN((text), strlen(text), (line), __VA_ARGS__)

/* argv[i] of a program, or NULL. */
static const char *argv_at(const struct cfg_program *p, unsigned i)
{
	const char *a = p->args;
	unsigned k;

	if (i >= p->argc)
		return NULL;
	for (k = 0; k < i; k++)
		a += strlen(a) + 1;
	return a;
}

/* The args are argc NUL-terminated strings filling exactly args_len bytes. */
static void check_args_layout(const struct cfg_program *p)
{
	size_t off = 0;
	unsigned i;

	for (i = 0; i < p->argc; i++) {
		REQUIRE(off < p->args_len);
		off += strnlen(p->args + off, p->args_len - off) + 1;
	}
	CHECK_EQ_INT(off, p->args_len);
	CHECK_STR(p->args, p->name);
}

/* Names, tags and files are NUL-padded to their full size. */
static void check_padded(const char *s, size_t size)
{
	size_t i;

	for (i = strnlen(s, size); i < size; i++)
		if (s[i] != '\0') {
			UNIT_FAIL("byte %zu of \"%s\" is 0x%02x, not NUL", i, s, (unsigned char)s[i]);
			return;
		}
}

static const char full_script[] =
	"# every feature of the language\n"                             /* 1 */
	"\n"                                                             /* 2 */
	"gate echo   # trailing comment\n"                               /* 3 */
	"\tgate disk.0\n"                                                /* 4 */
	"start client rom/client cap=echo cap=late:rwd cap=kdebug:w \\\n" /* 5 */
	"      cap=disk.0:dr prio=7 kmem=0x10K mem=3M tag=\"my client\" \\\n" /* 6 */
	"      input -- plain \"two words\" \"q\\\"uote\" \"back\\\\slash\" \\\n" /* 7 */
	"      \"#nocomment\" a\\b \"x\\ny\" \"\" -- tag=x # comment\n"   /* 8 */
	"gate late\n"                                                    /* 9 */
	"start server rom/dir/server serve=echo serve=disk.0:0x10 serve=late:42 \\\n" /* 10 */
	"      kmem=1G mem=4096 prio=99\n"                               /* 11 */
	"start plain rom/plain\n";                                       /* 12 */

static void test_full(void)
{
	struct cfg *c = new_cfg();
	const struct cfg_program *p;
	static const char *const client_argv[] = {
		"client", "plain", "two words", "q\"uote", "back\\slash", "#nocomment",
		"a\\b", "x\\ny", "", "--", "tag=x",
	};
	unsigned i;

	ACCEPT(full_script, c);
	REQUIRE(c->nprograms == 3);
	REQUIRE(c->ngates == 3);

	CHECK_STR(c->gates[0].name, "echo");
	CHECK_EQ_INT(c->gates[0].line, 3);
	CHECK_EQ_INT(c->gates[0].server, 1);
	CHECK_EQ_INT(c->gates[0].label, 0);
	CHECK_STR(c->gates[1].name, "disk.0");
	CHECK_EQ_INT(c->gates[1].line, 4);
	CHECK_EQ_INT(c->gates[1].server, 1);
	CHECK_EQ_INT(c->gates[1].label, 0x10);
	CHECK_STR(c->gates[2].name, "late");
	CHECK_EQ_INT(c->gates[2].line, 9);
	CHECK_EQ_INT(c->gates[2].server, 1);
	for (i = 0; i < c->ngates; i++)
		check_padded(c->gates[i].name, CFG_NAME_MAX);

	p = &c->programs[0];
	CHECK_STR(p->name, "client");
	CHECK_STR(p->file, "rom/client");
	CHECK_STR(p->tag, "my client");
	CHECK_EQ_INT(p->prio, 7);
	CHECK_EQ_INT(p->kmem, 0x10 << 10);
	CHECK_EQ_INT(p->mem, 3 << 20);
	CHECK_EQ_INT(p->line, 5);
	CHECK(p->input);
	CHECK_EQ_INT(p->nserves, 0);
	REQUIRE(p->ncaps == 4);
	CHECK_STR(p->caps[0].name, "echo");
	CHECK_EQ_INT(p->caps[0].rights, CFG_RIGHT_R);
	CHECK_EQ_INT(p->caps[0].gate, 0);
	CHECK_STR(p->caps[1].name, "late"); /* declared after its use */
	CHECK_EQ_INT(p->caps[1].rights, CFG_RIGHT_R | CFG_RIGHT_W | CFG_RIGHT_D);
	CHECK_EQ_INT(p->caps[1].gate, 2);
	CHECK_STR(p->caps[2].name, "kdebug");
	CHECK_EQ_INT(p->caps[2].rights, CFG_RIGHT_W);
	CHECK_EQ_INT(p->caps[2].gate, -1);
	CHECK_STR(p->caps[3].name, "disk.0");
	CHECK_EQ_INT(p->caps[3].rights, CFG_RIGHT_D | CFG_RIGHT_R);
	CHECK_EQ_INT(p->caps[3].gate, 1);
	for (i = 0; i < p->ncaps; i++) {
		CHECK_EQ_INT(p->caps[i].line, 5);
		check_padded(p->caps[i].name, CFG_NAME_MAX);
	}
	REQUIRE(p->argc == sizeof client_argv / sizeof client_argv[0]);
	for (i = 0; i < p->argc; i++)
		CHECK_STR(argv_at(p, i), client_argv[i]);
	check_args_layout(p);
	check_padded(p->name, CFG_NAME_MAX);
	check_padded(p->tag, CFG_NAME_MAX);
	check_padded(p->file, CFG_FILE_MAX);

	p = &c->programs[1];
	CHECK_STR(p->name, "server");
	CHECK_STR(p->file, "rom/dir/server");
	CHECK_STR(p->tag, "server");
	CHECK_EQ_INT(p->prio, 99);
	CHECK_EQ_INT(p->kmem, 1ull << 30);
	CHECK_EQ_INT(p->mem, 4096);
	CHECK_EQ_INT(p->line, 10);
	CHECK(!p->input);
	CHECK_EQ_INT(p->ncaps, 0);
	REQUIRE(p->nserves == 3);
	CHECK_EQ_INT(p->serves[0].gate, 0);
	CHECK_EQ_INT(p->serves[0].label, 0);
	CHECK_EQ_INT(p->serves[1].gate, 1);
	CHECK_EQ_INT(p->serves[1].label, 0x10);
	CHECK_EQ_INT(p->serves[2].gate, 2);
	CHECK_EQ_INT(p->serves[2].label, 42);
	CHECK_EQ_INT(c->gates[2].label, 42);
	CHECK_EQ_INT(p->argc, 1);
	CHECK_EQ_INT(p->args_len, 7);
	check_args_layout(p);

	p = &c->programs[2];
	CHECK_STR(p->name, "plain");
	CHECK_EQ_INT(p->line, 12);
	free(c);
}

static void test_defaults(void)
{
	struct cfg *c = new_cfg();
	const struct cfg_program *p;

	/* No newline at the end of the file. */
	ACCEPT("start hello rom/hello", c);
	REQUIRE(c->nprograms == 1);
	CHECK_EQ_INT(c->ngates, 0);
	p = &c->programs[0];
	CHECK_STR(p->name, "hello");
	CHECK_STR(p->file, "rom/hello");
	CHECK_STR(p->tag, "hello");
	CHECK_EQ_INT(p->prio, 50);
	CHECK_EQ_INT(p->prio, CFG_DEFAULT_PRIO);
	CHECK_EQ_INT(p->kmem, 256 * 1024);
	CHECK_EQ_INT(p->kmem, CFG_DEFAULT_KMEM);
	CHECK_EQ_INT(p->mem, 16 * 1024 * 1024);
	CHECK_EQ_INT(p->mem, CFG_DEFAULT_MEM);
	CHECK_EQ_INT(p->ncaps, 0);
	CHECK_EQ_INT(p->nserves, 0);
	CHECK(!p->input);
	CHECK_EQ_INT(p->argc, 1);
	CHECK_EQ_INT(p->args_len, 6);
	CHECK_EQ_INT(memcmp(p->args, "hello", 6), 0);
	CHECK_EQ_INT(p->line, 1);

	/* "--" with nothing after it, and a quoted keyword. */
	ACCEPT("\"start\" x rom/x --\n", c);
	REQUIRE(c->nprograms == 1);
	CHECK_EQ_INT(c->programs[0].argc, 1);
	CHECK_EQ_INT(c->programs[0].args_len, 2);
	free(c);
}

static void test_empty(void)
{
	struct cfg *c = new_cfg();
	char err[ERR_SIZE];

	ACCEPT("", c);
	CHECK_EQ_INT(c->nprograms, 0);
	CHECK_EQ_INT(c->ngates, 0);
	ACCEPT("\n\n  \t \n# only a comment\n   # another\n", c);
	CHECK_EQ_INT(c->nprograms, 0);
	CHECK_EQ_INT(c->ngates, 0);
	/* A NULL text of length 0 is an empty script. */
	CHECK_EQ_INT(cfg_parse(NULL, 0, FILE_NAME, c, err, sizeof err), 0);
	CHECK_EQ_INT(c->nprograms, 0);
	free(c);
}

static void test_sizes(void)
{
	static const struct { const char *text; uint64_t v; } ok[] = {
		{ "1", 1 }, { "4096", 4096 }, { "0x1000", 0x1000 }, { "0X1f", 0x1f },
		{ "0xABCdef", 0xabcdef }, { "007", 7 }, { "1K", 1024 }, { "64K", 64 << 10 },
		{ "0x10K", 0x4000 }, { "2M", 2 << 20 }, { "0x2M", 2 << 20 }, { "3G", 3ull << 30 },
		{ "18446744073709551615", UINT64_MAX }, { "0xffffffffffffffff", UINT64_MAX },
		{ "0x0000000000000000001", 1 }, { "17179869183G", 17179869183ull << 30 },
		{ "17592186044415M", 17592186044415ull << 20 },
	};
	struct cfg *c = new_cfg();
	char text[128];
	unsigned i;

	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		snprintf(text, sizeof text, "start a rom/a mem=%s kmem=%s\n", ok[i].text, ok[i].text);
		ACCEPT(text, c);
		if (c->nprograms == 1) {
			CHECK_EQ_INT(c->programs[0].mem, ok[i].v);
			CHECK_EQ_INT(c->programs[0].kmem, ok[i].v);
		}
	}
	free(c);
}

static void test_rights(void)
{
	static const struct { const char *text; unsigned rights; } ok[] = {
		{ "", CFG_RIGHT_R }, { ":r", CFG_RIGHT_R }, { ":w", CFG_RIGHT_W },
		{ ":d", CFG_RIGHT_D }, { ":rw", CFG_RIGHT_R | CFG_RIGHT_W },
		{ ":wr", CFG_RIGHT_R | CFG_RIGHT_W }, { ":rd", CFG_RIGHT_R | CFG_RIGHT_D },
		{ ":rwd", 7 }, { ":dwr", 7 }, { ":wd", CFG_RIGHT_W | CFG_RIGHT_D },
	};
	static const char *const bad[] = { ":", ":rr", ":x", ":R", ":rwdr", ":r w", ":rwx", ":r:w" };
	struct cfg *c = new_cfg();
	char text[128];
	unsigned i;

	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		snprintf(text, sizeof text, "start a rom/a cap=kdebug%s\n", ok[i].text);
		ACCEPT(text, c);
		if (c->nprograms == 1 && c->programs[0].ncaps == 1)
			CHECK_EQ_INT(c->programs[0].caps[0].rights, ok[i].rights);
		else
			UNIT_FAIL("%s: no cap", text);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(text, sizeof text, "start a rom/a \"cap=kdebug%s\"\n", bad[i]);
		REJECT(text, 1, "bad rights", "kdebug");
	}
	free(c);
}

static void test_quotes(void)
{
	struct cfg *c = new_cfg();
	const struct cfg_program *p;

	/* Quotes anywhere in a word, blanks and '#' inside them, escapes. */
	ACCEPT("start \"a\"b rom/\"x\"z tag=\"#one two\" -- a\"b c\"d \"\\\\\\\"\" \\ \"\\t\"\n", c);
	REQUIRE(c->nprograms == 1);
	p = &c->programs[0];
	CHECK_STR(p->name, "ab");
	CHECK_STR(p->file, "rom/xz");
	CHECK_STR(p->tag, "#one two");
	REQUIRE(p->argc == 5);
	CHECK_STR(argv_at(p, 1), "ab cd");
	CHECK_STR(argv_at(p, 2), "\\\"");
	CHECK_STR(argv_at(p, 3), "\\");   /* a lone backslash outside quotes */
	CHECK_STR(argv_at(p, 4), "\\t");  /* other backslashes are literal */
	check_args_layout(p);
	free(c);
}

static void test_quoted_file_blank(void)
{
	REJECT("start a \"rom/x y\"\n", 1, "bad file name");
}

static void test_continuation(void)
{
	struct cfg *c = new_cfg();
	const struct cfg_program *p;

	/* CRLF line ends; a continuation is one blank, also inside quotes;
	 * a comment that ends in a backslash goes on on the next line. */
	ACCEPT("# comment \\\r\n"
	       "start hidden rom/hidden\r\n"
	       "\r\n"
	       "start a\\\r\n"
	       "rom/a -- \"x\\\n"
	       "y\"\\\n"
	       "\\\n"
	       "z\n"
	       "start b rom/b\n", c);
	REQUIRE(c->nprograms == 2);
	p = &c->programs[0];
	CHECK_STR(p->name, "a");
	CHECK_EQ_INT(p->line, 4);
	REQUIRE(p->argc == 3);
	CHECK_STR(argv_at(p, 1), "x y");
	CHECK_STR(argv_at(p, 2), "z");
	CHECK_STR(c->programs[1].name, "b");
	CHECK_EQ_INT(c->programs[1].line, 9);

	/* An error in a continued statement names its first line. */
	REJECT("\n"
	       "start a rom/a \\\n"
	       "  prio=100\n", 2, "bad prio");
	REJECT("\n"
	       "start a rom/a \\\n"
	       "\n"
	       "gate x x\n", 4, "unexpected");
	/* A lone CR is no line end. */
	REJECT("start a rom/a\rgate x\n", 1, "bad file name");
	free(c);
}

static void test_forward_ref(void)
{
	struct cfg *c = new_cfg();

	ACCEPT("start client rom/c cap=g2 cap=g1:w\n"
	       "gate g1\n"
	       "start server rom/s serve=g1:7\n"
	       "gate g2\n"
	       "start s2 rom/s2 serve=g2\n", c);
	REQUIRE(c->nprograms == 3 && c->ngates == 2);
	CHECK_EQ_INT(c->programs[0].caps[0].gate, 1);
	CHECK_EQ_INT(c->programs[0].caps[1].gate, 0);
	CHECK_EQ_INT(c->gates[0].server, 1);
	CHECK_EQ_INT(c->gates[0].label, 7);
	CHECK_EQ_INT(c->gates[1].server, 2);
	free(c);
}

static void test_names(void)
{
	struct cfg *c = new_cfg();
	char name31[32], name32[33], text[256];

	memset(name31, 'n', 31);
	name31[31] = '\0';
	memset(name32, 'n', 32);
	name32[32] = '\0';
	snprintf(text, sizeof text, "gate %s\nstart %s rom/x serve=%s tag=%s\n"
		 "start c rom/c cap=%s\n", name31, name31, name31, name31, name31);
	ACCEPT(text, c);
	REQUIRE(c->nprograms == 2);
	CHECK_STR(c->gates[0].name, name31);
	CHECK_STR(c->programs[0].name, name31);
	CHECK_STR(c->programs[0].tag, name31);
	CHECK_STR(c->programs[1].caps[0].name, name31);

	/* Every name character; a gate and a program may share a name. */
	ACCEPT("gate Az09_-.\nstart Az09_-. rom/x serve=Az09_-.\n", c);
	CHECK_EQ_INT(c->ngates, 1);

	snprintf(text, sizeof text, "gate %s\n", name32);
	REJECT(text, 1, "gate name", "too long");
	snprintf(text, sizeof text, "start %s rom/x\n", name32);
	REJECT(text, 1, "program name", "too long");
	snprintf(text, sizeof text, "start a rom/x cap=%s\n", name32);
	REJECT(text, 1, "capability name", "too long");
	snprintf(text, sizeof text, "start a rom/x serve=%s\n", name32);
	REJECT(text, 1, "gate name", "too long");
	snprintf(text, sizeof text, "start a rom/x tag=%s\n", name32);
	REJECT(text, 1, "bad tag");
	free(c);
}

static void test_bad_name(void)
{
	REJECT("gate a/b\n", 1, "bad gate name", "a/b");
	REJECT("gate \"\"\n", 1, "bad gate name");
	REJECT("gate \"a b\"\n", 1, "bad gate name");
	REJECT("start a:b rom/x\n", 1, "bad program name");
	REJECT("start a rom/x cap=a/b\n", 1, "bad capability name");
	REJECT("start a rom/x cap=\n", 1, "bad capability name");
	REJECT("start a rom/x cap=:r\n", 1, "bad capability name");
	REJECT("start a rom/x serve=\n", 1, "bad gate name");
	REJECT("start a rom/x serve=a!\n", 1, "bad gate name");
	/* Control characters are shown as '?' so the message stays one line. */
	REJECT("gate a\x01\x1b\n", 1, "bad gate name", "'a?" "?'");
}

static void test_builtin_name(void)
{
	REJECT("gate log\n", 1, "builtin", "'log'");
	REJECT("\ngate mem\n", 2, "builtin", "'mem'");
	REJECT("gate kdebug\n", 1, "builtin", "'kdebug'");
	REJECT("start log rom/log\n", 1, "builtin", "'log'");
}

static void test_unknown_keyword(void)
{
	REJECT("gate a\nstart s rom/s serve=a\nbegin x\n", 3, "unknown keyword 'begin'",
	       "expected gate or start");
	REJECT("Gate x\n", 1, "unknown keyword 'Gate'");
	/* Checked before anything else on the line. */
	REJECT("frob \"unbalanced\n", 1, "unknown keyword 'frob'");
	REJECT("frob \\", 1, "unknown keyword 'frob'");
	REJECT_LEN("frob x\0y\n", 9, 1, "unknown keyword 'frob'");
	REJECT("--\n", 1, "unknown keyword '--'");
	REJECT("cap=x\n", 1, "unknown keyword");
}

static void test_unbalanced_quotes(void)
{
	REJECT("gate \"abc\n", 1, "unbalanced quotes");
	REJECT("\nstart a rom/a -- \"x\\\" \n", 2, "unbalanced quotes");
	REJECT("start a rom/a -- \"x", 1, "unbalanced quotes");
	REJECT("\"", 1, "unbalanced quotes");
}

static void test_nul_byte(void)
{
	REJECT_LEN("start a rom/a\n\0", 15, 2, "NUL");
	REJECT_LEN("gate a\n# a \0 in a comment\n", 26, 2, "NUL");
	REJECT_LEN("start a rom/a -- \"\0\"\n", 21, 1, "NUL");
}

static void test_trailing_backslash(void)
{
	REJECT("start a rom/a \\", 1, "backslash", "end of the file");
	REJECT("gate a\nstart a rom/a \\\n", 2, "backslash", "end of the file");
	REJECT("gate a\nstart a rom/a \\\r\n", 2, "backslash", "end of the file");
	REJECT("start a \\\nrom/a \\\n", 1, "backslash", "end of the file");
	REJECT("# comment \\", 1, "backslash", "end of the file");
}

static void test_missing(void)
{
	REJECT("gate\n", 1, "missing gate name");
	REJECT("gate # x\n", 1, "missing gate name");
	REJECT("\n\nstart\n", 3, "missing program name");
	REJECT("start a\n", 1, "missing file", "'a'");
	REJECT("start a # rom/a\n", 1, "missing file");
}

static void test_gate_extra_word(void)
{
	REJECT("gate a b\n", 1, "unexpected 'b'");
}

static void test_file(void)
{
	struct cfg *c = new_cfg();
	char text[256], file63[64], file64[65];

	REJECT("start a hello\n", 1, "not under rom/", "'hello'");
	REJECT("start a /rom/hello\n", 1, "not under rom/");
	REJECT("start a ROM/hello\n", 1, "not under rom/");
	REJECT("start a rom\n", 1, "not under rom/");
	REJECT("start a tag=x\n", 1, "not under rom/");
	REJECT("start a rom/\n", 1, "bad file name");
	REJECT("start a \"rom/a\tb\"\n", 1, "bad file name");
	REJECT("start a rom/\x7f\n", 1, "bad file name");
	REJECT("start a rom/\xc3\xa9\n", 1, "bad file name");

	memcpy(file63, "rom/", 4);
	memset(file63 + 4, 'f', 59);
	file63[63] = '\0';
	memcpy(file64, "rom/", 4);
	memset(file64 + 4, 'f', 60);
	file64[64] = '\0';
	snprintf(text, sizeof text, "start a %s\n", file63);
	ACCEPT(text, c);
	CHECK_STR(c->programs[0].file, file63);
	snprintf(text, sizeof text, "start a %s\n", file64);
	REJECT(text, 1, "file name", "too long");
	free(c);
}

static void test_duplicate(void)
{
	REJECT("gate a\ngate b\n\ngate a\n", 4, "gate 'a' is declared twice", "line 1");
	REJECT("start a rom/a\nstart a rom/b\n", 2, "program 'a' is declared twice", "line 1");
}

static void test_unknown_option(void)
{
	REJECT("start a rom/a priority=3\n", 1, "unknown option 'priority=3'");
	REJECT("start a rom/a inputs\n", 1, "unknown option 'inputs'");
	REJECT("start a rom/a input=1\n", 1, "unknown option 'input=1'");
	REJECT("start a rom/a TAG=x\n", 1, "unknown option");
	REJECT("start a rom/a -\n", 1, "unknown option '-'");
	REJECT("start a rom/a =x\n", 1, "unknown option '=x'");
	REJECT("start a rom/a ---\n", 1, "unknown option '---'");
}

static void test_option_twice(void)
{
	REJECT("start a rom/a tag=x tag=x\n", 1, "'tag' given twice");
	REJECT("start a rom/a prio=1 prio=2\n", 1, "'prio' given twice");
	REJECT("start a rom/a kmem=1 kmem=2\n", 1, "'kmem' given twice");
	REJECT("start a rom/a mem=1 mem=2\n", 1, "'mem' given twice");
	REJECT("start a rom/a input input\n", 1, "'input' given twice");
}

static void test_option_too_long(void)
{
	char text[2048];

	snprintf(text, sizeof text, "start a rom/a kmem=%01000d\n", 1);
	REJECT(text, 1, "too long");
	/* An over-long word anywhere else is reported by what it is. */
	snprintf(text, sizeof text, "start %01000d rom/a\n", 1);
	REJECT(text, 1, "program name", "too long", "...");
	snprintf(text, sizeof text, "%01000d rom/a\n", 1);
	REJECT(text, 1, "unknown keyword", "...");
}

static void test_bad_tag(void)
{
	REJECT("start a rom/a tag=\n", 1, "bad tag");
	REJECT("start a rom/a tag=\"\"\n", 1, "bad tag");
	REJECT("start a rom/a \"tag=a\tb\"\n", 1, "bad tag");
	REJECT("start a rom/a tag=0123456789012345678901234567890123\n", 1, "bad tag");
}

static void test_bad_prio(void)
{
	struct cfg *c = new_cfg();
	static const char *const bad[] = { "0", "100", "-1", "+5", "", "x", "5x", "0x", "0x64",
					   "99999999999999999999999", "1K" };
	char text[128];
	unsigned i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(text, sizeof text, "\nstart a rom/a prio=%s\n", bad[i]);
		REJECT(text, 2, "bad prio", "1 to 99");
	}
	ACCEPT("start a rom/a prio=1\nstart b rom/b prio=0x63\n", c);
	CHECK_EQ_INT(c->programs[0].prio, 1);
	CHECK_EQ_INT(c->programs[1].prio, 99);
	free(c);
}

static void test_bad_size(void)
{
	static const char *const bad[] = {
		"0", "0K", "0x0", "", "K", "0x", "0xK", "1k", "1m", "1KB", "1T", "-1", "+1",
		"1 ", "1.5M", "18446744073709551616", "0x10000000000000000",
		"17179869184G", "17592186044416M", "18014398509481984K", "0xg",
	};
	char text[128];
	unsigned i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(text, sizeof text, "start a rom/a \"kmem=%s\"\n", bad[i]);
		REJECT(text, 1, "bad size", "kmem");
		snprintf(text, sizeof text, "start a rom/a \"mem=%s\"\n", bad[i]);
		REJECT(text, 1, "bad size", "for mem");
	}
}

static void test_cap_log_mem(void)
{
	REJECT("start a rom/a cap=log\n", 1, "every program has", "'log'");
	REJECT("start a rom/a cap=mem:rw\n", 1, "every program has", "'mem'");
}

static void test_cap_twice(void)
{
	REJECT("gate g\nstart s rom/s serve=g\nstart a rom/a cap=g:r cap=g:w\n", 3,
	       "capability 'g' given twice", "'a'");
	REJECT("start a rom/a cap=kdebug cap=kdebug\n", 1, "given twice");
}

static void test_too_many_caps(void)
{
	char text[4096];
	size_t o;
	unsigned i;

	/* The 25th is refused while the statement is read (cfg.caps_full
	 * has 24). */
	o = (size_t)snprintf(text, sizeof text, "start a rom/a cap=kdebug");
	for (i = 1; i < CFG_MAX_CAPS; i++)
		o += (size_t)snprintf(text + o, sizeof text - o, " cap=g%u", i);
	snprintf(text + o, sizeof text - o, " cap=one-more\n");
	REJECT(text, 1, "too many capabilities", "at most 24");
}

static void test_caps_full(void)
{
	struct cfg *c = new_cfg();
	char text[4096];
	size_t o = 0;
	unsigned i;

	/* Exactly 24 caps on one program, all resolved in the order written. */
	for (i = 0; i < CFG_MAX_CAPS; i++)
		o += (size_t)snprintf(text + o, sizeof text - o, "gate g%u\n", i);
	o += (size_t)snprintf(text + o, sizeof text - o, "start s rom/s");
	for (i = 0; i < CFG_MAX_SERVES; i++)
		o += (size_t)snprintf(text + o, sizeof text - o, " serve=g%u:%u", i, i);
	o += (size_t)snprintf(text + o, sizeof text - o, "\nstart s2 rom/s");
	for (i = CFG_MAX_SERVES; i < 2 * CFG_MAX_SERVES; i++)
		o += (size_t)snprintf(text + o, sizeof text - o, " serve=g%u", i);
	o += (size_t)snprintf(text + o, sizeof text - o, "\nstart s3 rom/s");
	for (i = 2 * CFG_MAX_SERVES; i < CFG_MAX_CAPS; i++)
		o += (size_t)snprintf(text + o, sizeof text - o, " serve=g%u", i);
	o += (size_t)snprintf(text + o, sizeof text - o, "\nstart c rom/c");
	for (i = CFG_MAX_CAPS; i-- > 0;)
		o += (size_t)snprintf(text + o, sizeof text - o, " cap=g%u", i);
	snprintf(text + o, sizeof text - o, "\n");
	ACCEPT(text, c);
	REQUIRE(c->nprograms == 4);
	REQUIRE(c->programs[3].ncaps == CFG_MAX_CAPS);
	for (i = 0; i < CFG_MAX_CAPS; i++)
		CHECK_EQ_INT(c->programs[3].caps[i].gate, CFG_MAX_CAPS - 1 - i);
	REQUIRE(c->programs[0].nserves == CFG_MAX_SERVES);
	for (i = 0; i < CFG_MAX_SERVES; i++) {
		CHECK_EQ_INT(c->programs[0].serves[i].gate, i);
		CHECK_EQ_INT(c->programs[0].serves[i].label, i);
	}
	free(c);
}

static void test_serve_errors(void)
{
	REJECT("start s rom/s serve=g\ngate g\n", 1, "gate 'g' is not declared");
	REJECT("gate g\nstart s rom/s serve=g serve=g:1\n", 2, "program 's' serves gate 'g' twice");
	REJECT("gate g\nstart s rom/s serve=g\nstart t rom/t serve=g\n", 3,
	       "gate 'g' is served by program 's' already", "line 2");
	REJECT("gate g\nstart s rom/s serve=g:x\n", 2, "bad label 'x'");
	REJECT("gate g\nstart s rom/s serve=g:\n", 2, "bad label");
	REJECT("gate g\nstart s rom/s serve=g:-1\n", 2, "bad label");
	REJECT("gate g\nstart s rom/s serve=g:0x10000000000000000\n", 2, "bad label");
	REJECT("gate g\nstart s rom/s serve=g:1K\n", 2, "bad label");
	REJECT("start s rom/s serve=kdebug\n", 1, "not declared");
	REJECT("start s rom/s serve=log\n", 1, "not declared");
}

static void test_label_max(void)
{
	struct cfg *c = new_cfg();

	ACCEPT("gate g\nstart s rom/s serve=g:0xffffffffffffffff\n", c);
	CHECK_EQ_INT(c->gates[0].label, UINT64_MAX);
	free(c);
}

static void test_too_many_serves(void)
{
	char text[1024];
	size_t o = 0;
	unsigned i;

	for (i = 0; i <= CFG_MAX_SERVES; i++)
		o += (size_t)snprintf(text + o, sizeof text - o, "gate g%u\n", i);
	o += (size_t)snprintf(text + o, sizeof text - o, "start s rom/s");
	for (i = 0; i <= CFG_MAX_SERVES; i++)
		o += (size_t)snprintf(text + o, sizeof text - o, " serve=g%u", i);
	snprintf(text + o, sizeof text - o, "\n");
	REJECT(text, CFG_MAX_SERVES + 2, "too many serve=", "at most 8");
}

static void test_input(void)
{
	struct cfg *c = new_cfg();

	ACCEPT("start a rom/a\nstart b rom/b input\nstart c rom/c\n", c);
	CHECK(!c->programs[0].input);
	CHECK(c->programs[1].input);
	CHECK(!c->programs[2].input);
	REJECT("start a rom/a input\nstart b rom/b\nstart c rom/c input\n", 3,
	       "serial input goes to program 'a' already", "line 1");
	free(c);
}

/* A program "a" (argv[0] = "a\0", 2 bytes) and one argument of n bytes. */
static void args_script(char *text, size_t size, size_t n)
{
	size_t o = (size_t)snprintf(text, size, "start a rom/a -- ");

	memset(text + o, 'x', n);
	text[o + n] = '\n';
	text[o + n + 1] = '\0';
}

static void test_args_limit(void)
{
	struct cfg *c = new_cfg();
	char text[2048];
	size_t o;
	unsigned i;

	/* 2 + 509 + 1 = 512 bytes: exactly full. */
	args_script(text, sizeof text, CFG_ARGS_MAX - 3);
	ACCEPT(text, c);
	REQUIRE(c->nprograms == 1);
	CHECK_EQ_INT(c->programs[0].args_len, CFG_ARGS_MAX);
	CHECK_EQ_INT(c->programs[0].argc, 2);
	CHECK_EQ_INT(strlen(argv_at(&c->programs[0], 1)), CFG_ARGS_MAX - 3);
	check_args_layout(&c->programs[0]);
	/* One byte more. */
	args_script(text, sizeof text, CFG_ARGS_MAX - 2);
	REJECT(text, 1, "too many argument bytes", "'a'", "512");
	args_script(text, sizeof text, 1500);
	REJECT(text, 1, "too many argument bytes");

	/* Many empty arguments: each costs its NUL. 2 + 510 = 512. */
	o = (size_t)snprintf(text, sizeof text, "start a rom/a --");
	for (i = 0; i < CFG_ARGS_MAX - 2; i++)
		o += (size_t)snprintf(text + o, sizeof text - o, " \"\"");
	snprintf(text + o, sizeof text - o, "\n");
	ACCEPT(text, c);
	CHECK_EQ_INT(c->programs[0].argc, CFG_ARGS_MAX - 1);
	CHECK_EQ_INT(c->programs[0].args_len, CFG_ARGS_MAX);
	snprintf(text + o, sizeof text - o, " \"\"\n");
	REJECT(text, 1, "too many argument bytes");
	free(c);
}

static void test_programs_limit(void)
{
	struct cfg *c = new_cfg();
	char text[2048];
	size_t o = 0;
	unsigned i;

	for (i = 0; i < CFG_MAX_PROGRAMS; i++)
		o += (size_t)snprintf(text + o, sizeof text - o, "start p%u rom/p\n", i);
	ACCEPT(text, c);
	CHECK_EQ_INT(c->nprograms, CFG_MAX_PROGRAMS);
	CHECK_STR(c->programs[CFG_MAX_PROGRAMS - 1].name, "p15");
	snprintf(text + o, sizeof text - o, "start p%u rom/p\n", i);
	REJECT(text, CFG_MAX_PROGRAMS + 1, "too many programs", "at most 16");
	free(c);
}

static void test_gates_limit(void)
{
	struct cfg *c = new_cfg();
	char text[4096];
	size_t o = 0;
	unsigned i;

	/* 32 gates, served 8 each by 4 programs, then a 33rd. */
	for (i = 0; i < CFG_MAX_GATES; i++)
		o += (size_t)snprintf(text + o, sizeof text - o, "gate g%u\n", i);
	for (i = 0; i < CFG_MAX_GATES; i++) {
		if (i % CFG_MAX_SERVES == 0)
			o += (size_t)snprintf(text + o, sizeof text - o, "%sstart s%u rom/s",
					      i ? "\n" : "", i);
		o += (size_t)snprintf(text + o, sizeof text - o, " serve=g%u", i);
	}
	o += (size_t)snprintf(text + o, sizeof text - o, "\n");
	ACCEPT(text, c);
	CHECK_EQ_INT(c->ngates, CFG_MAX_GATES);
	CHECK_EQ_INT(c->nprograms, CFG_MAX_GATES / CFG_MAX_SERVES);
	CHECK_EQ_INT(c->gates[CFG_MAX_GATES - 1].server, CFG_MAX_GATES / CFG_MAX_SERVES - 1);
	snprintf(text + o, sizeof text - o, "gate one-more\n");
	REJECT(text, CFG_MAX_GATES + CFG_MAX_GATES / CFG_MAX_SERVES + 1, "too many gates",
	       "at most 32");
	free(c);
}

static void test_gate_unserved(void)
{
	REJECT("gate a\n\ngate b\nstart s rom/s serve=a\n", 3, "gate 'b' is served by no program");
}

static void test_cap_undefined(void)
{
	REJECT("gate a\nstart s rom/s serve=a\n\nstart c rom/c \\\n cap=a cap=nothere\n", 4,
	       "capability 'nothere' is never defined");
}

static void test_error_buffer(void)
{
	struct cfg *c = new_cfg();
	char err[8];

	/* Truncated, but NUL-terminated; NULL and 0 are fine. */
	memset(err, 'Z', sizeof err);
	CHECK_EQ_INT(cfg_parse("gate\n", 5, "long-file-name.cfg", c, err, sizeof err), -1);
	CHECK_STR(err, "long-fi");
	CHECK_EQ_INT(cfg_parse("gate\n", 5, "f", c, err, 1), -1);
	CHECK_STR(err, "");
	CHECK_EQ_INT(cfg_parse("gate\n", 5, "f", c, NULL, 0), -1);
	CHECK_EQ_INT(cfg_parse("gate\n", 5, "f", c, err, 0), -1);
	CHECK_EQ_INT(cfg_parse("gate\n", 5, "f", NULL, err, sizeof err), -1);
	free(c);
}

/* Read a file of the repository: the binary is build/host/unit/test_cfg,
 * or else the tests run from the repository root. */
static char *read_repo_file(const char *rel, size_t *len)
{
	char path[4096], *slash, *buf;
	ssize_t n;
	unsigned up;
	FILE *f = NULL;
	long size;

	n = readlink("/proc/self/exe", path, sizeof path - 1);
	if (n > 0) {
		path[n] = '\0';
		for (up = 0; up < 4 && (slash = strrchr(path, '/')) != NULL; up++)
			*slash = '\0';
		snprintf(path + strlen(path), sizeof path - strlen(path), "/%s", rel);
		f = fopen(path, "rb");
	}
	if (f == NULL)
		f = fopen(rel, "rb");
	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)size + 1);
	if (buf != NULL && fread(buf, 1, (size_t)size, f) != (size_t)size) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (buf != NULL) {
		buf[size] = '\0';
		*len = (size_t)size;
	}
	return buf;
}

static void test_examples(void)
{
	static const char *const files[] = { "conf/hello.cfg", "conf/ipc.cfg", "conf/bdds.cfg" };
	struct cfg *c[3];
	char err[ERR_SIZE];
	unsigned i;

	for (i = 0; i < 3; i++) {
		size_t len = 0;
		char *text = read_repo_file(files[i], &len);

		c[i] = new_cfg();
		if (text == NULL) {
			UNIT_FAIL("cannot read %s", files[i]);
			continue;
		}
		if (run_len(text, len, c[i], err, sizeof err) != 0)
			UNIT_FAIL("%s: %s", files[i], err);
		free(text);
	}
	REQUIRE(c[0]->nprograms == 1);
	CHECK_STR(c[0]->programs[0].name, "hello");
	CHECK_STR(c[0]->programs[0].file, "rom/hello");
	CHECK_STR(c[0]->programs[0].tag, "hello");

	REQUIRE(c[1]->nprograms == 2 && c[1]->ngates == 1);
	CHECK_STR(c[1]->gates[0].name, "echo");
	CHECK_EQ_INT(c[1]->gates[0].server, 0);
	CHECK_STR(c[1]->programs[0].file, "rom/ipc_server");
	CHECK_STR(c[1]->programs[0].tag, "server");
	CHECK_STR(c[1]->programs[1].file, "rom/ipc_client");
	CHECK_STR(c[1]->programs[1].tag, "client");
	REQUIRE(c[1]->programs[1].ncaps == 1);
	CHECK_EQ_INT(c[1]->programs[1].caps[0].gate, 0);
	CHECK_EQ_INT(c[1]->programs[1].caps[0].rights, CFG_RIGHT_R);
	CHECK_EQ_INT(c[1]->programs[1].argc, 2);
	CHECK_STR(argv_at(&c[1]->programs[1], 1), "5");

	REQUIRE(c[2]->nprograms == 2 && c[2]->ngates == 2);
	CHECK_EQ_INT(c[2]->gates[0].label, 0);
	CHECK_EQ_INT(c[2]->gates[1].label, 1);
	CHECK_EQ_INT(c[2]->programs[0].nserves, 2);
	REQUIRE(c[2]->programs[0].argc == 3);
	CHECK_STR(argv_at(&c[2]->programs[0], 1), "rom/bdds_image");
	CHECK_STR(argv_at(&c[2]->programs[0], 2), "ram:64K");
	CHECK_STR(c[2]->programs[1].tag, "check");
	REQUIRE(c[2]->programs[1].ncaps == 2);
	CHECK_EQ_INT(c[2]->programs[1].caps[0].gate, 0);
	CHECK_EQ_INT(c[2]->programs[1].caps[1].gate, 1);
	for (i = 0; i < 3; i++)
		free(c[i]);
}

/* The last example of docs/config.md parses as the text after it says. */
static void test_doc_example(void)
{
	struct cfg *c = new_cfg();
	char err[ERR_SIZE];
	size_t len = 0;
	char *doc = read_repo_file("docs/config.md", &len), *from, *to;
	const struct cfg_program *p;

	REQUIRE(doc != NULL);
	from = strstr(doc, "More of the language");
	REQUIRE(from != NULL);
	from = strstr(from, "```\n");
	REQUIRE(from != NULL);
	from += 4;
	to = strstr(from, "```");
	REQUIRE(to != NULL);
	if (run_len(from, (size_t)(to - from), c, err, sizeof err) != 0)
		UNIT_FAIL("docs/config.md example: %s", err);
	REQUIRE(c->nprograms == 3);
	p = &c->programs[1];
	CHECK_STR(p->name, "user");
	REQUIRE(p->ncaps == 3);
	CHECK_STR(p->caps[0].name, "data");
	CHECK_EQ_INT(p->caps[0].rights, CFG_RIGHT_R | CFG_RIGHT_W);
	CHECK_STR(p->caps[1].name, "kdebug");
	CHECK_EQ_INT(p->caps[1].rights, CFG_RIGHT_W);
	CHECK_EQ_INT(p->caps[1].gate, -1);
	CHECK_STR(p->caps[2].name, "late");
	CHECK_EQ_INT(p->caps[2].rights, CFG_RIGHT_R);
	REQUIRE(p->argc == 4);
	CHECK_STR(argv_at(p, 1), "-v");
	CHECK_STR(argv_at(p, 2), "two words");
	CHECK_STR(argv_at(p, 3), "q\"uote");
	CHECK_STR(c->programs[0].tag, "store srv");
	CHECK(c->programs[0].input);
	CHECK_EQ_INT(c->programs[0].mem, 0x4000000);
	CHECK_EQ_INT(c->gates[0].label, 7);
	free(doc);
	free(c);
}

/* ---- fuzz ---- */

/* Deterministic PRNG (splitmix64) so any failure reproduces. */
static uint64_t fuzz_state = 0xc0f19a5c1e7e5eedULL;

static uint64_t fuzz_rand(void)
{
	uint64_t z = (fuzz_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned fuzz_below(unsigned n)
{
	return (unsigned)(fuzz_rand() % n);
}

/* Characters that matter to the grammar, to make mutations interesting. */
static const char fuzz_chars[] = "\"\\#\n\r\t =:-0x9KMGrwd\0a/.";

/* The message must be "t.cfg:LINE: text", LINE within the script. */
static void check_message(const char *err, unsigned nlines, int iter)
{
	const char *p = err;
	unsigned line = 0;

	if (strncmp(p, FILE_NAME ":", strlen(FILE_NAME ":")) != 0)
		goto bad;
	p += strlen(FILE_NAME ":");
	if (*p < '1' || *p > '9')
		goto bad;
	while (*p >= '0' && *p <= '9')
		line = line * 10 + (unsigned)(*p++ - '0');
	if (p[0] != ':' || p[1] != ' ' || p[2] == '\0' || line > nlines)
		goto bad;
	if (strchr(err, '\n') != NULL || strchr(err, '\r') != NULL)
		goto bad;
	return;
bad:
	UNIT_FAIL("iteration %d: bad message \"%s\" (script has %u lines)", iter, err, nlines);
}

static void test_fuzz(void)
{
	static const char *const seeds[] = {
		full_script,
		"gate echo\nstart echo-server rom/ipc_server serve=echo tag=server\n"
		"start echo-client rom/ipc_client cap=echo tag=client -- 5\n",
		"gate disk0\ngate disk1\nstart bdds rom/bdds serve=disk0:0 serve=disk1:1 tag=bdds \\\n"
		"\t-- rom/bdds_image ram:64K\n"
		"start bddscheck rom/bddscheck cap=disk0 cap=disk1 tag=check -- rom/bdds_image\n",
		"start a rom/a prio=1 kmem=0x1000 mem=1G input -- \"a b\" \"\\\"\" x\r\n",
	};
	struct cfg *c = new_cfg();
	char buf[4096], err[ERR_SIZE];
	int iter, accepted = 0, rejected = 0;

	for (iter = 0; iter < 20000; iter++) {
		size_t len, i;
		unsigned nlines, m, nmut;
		int r;

		if (iter % 10 == 9) {
			/* Byte soup, half of it from the grammar's characters. */
			len = fuzz_below(600);
			for (i = 0; i < len; i++)
				buf[i] = fuzz_below(2) ? (char)fuzz_rand()
						       : fuzz_chars[fuzz_below(sizeof fuzz_chars - 1)];
		} else {
			const char *s = seeds[fuzz_below(sizeof seeds / sizeof seeds[0])];

			len = strlen(s);
			memcpy(buf, s, len);
			nmut = 1 + fuzz_below(4);
			for (m = 0; m < nmut; m++) {
				size_t at = len ? fuzz_below((unsigned)len) : 0;

				switch (fuzz_below(6)) {
				case 0: /* replace a byte */
					if (len)
						buf[at] = fuzz_chars[fuzz_below(sizeof fuzz_chars - 1)];
					break;
				case 1: /* random byte */
					if (len)
						buf[at] = (char)fuzz_rand();
					break;
				case 2: /* delete a byte */
					if (len) {
						memmove(buf + at, buf + at + 1, len - at - 1);
						len--;
					}
					break;
				case 3: /* insert a byte */
					if (len + 1 < sizeof buf) {
						memmove(buf + at + 1, buf + at, len - at);
						buf[at] = fuzz_chars[fuzz_below(sizeof fuzz_chars - 1)];
						len++;
					}
					break;
				case 4: /* truncate */
					len = at;
					break;
				default: /* duplicate a stretch */
					if (len) {
						size_t n = fuzz_below(200);

						if (n > len - at)
							n = len - at;
						if (len + n < sizeof buf) {
							memmove(buf + at + n, buf + at, len - at);
							len += n;
						}
					}
					break;
				}
			}
		}
		nlines = 1;
		for (i = 0; i < len; i++)
			nlines += buf[i] == '\n';
		err[0] = '\0';
		r = run_len(buf, len, c, err, sizeof err);
		if (r == 0) {
			unsigned p, k;

			accepted++;
			CHECK_STR(err, "");
			/* Whatever is accepted must be consistent. */
			CHECK(c->nprograms <= CFG_MAX_PROGRAMS);
			CHECK(c->ngates <= CFG_MAX_GATES);
			for (k = 0; k < c->ngates && k < CFG_MAX_GATES; k++)
				CHECK(c->gates[k].server >= 0 &&
				      (unsigned)c->gates[k].server < c->nprograms);
			for (p = 0; p < c->nprograms && p < CFG_MAX_PROGRAMS; p++) {
				const struct cfg_program *pr = &c->programs[p];

				CHECK(pr->args_len <= CFG_ARGS_MAX);
				CHECK(pr->prio >= 1 && pr->prio <= 99);
				CHECK(pr->kmem > 0 && pr->mem > 0);
				CHECK(strnlen(pr->name, CFG_NAME_MAX) < CFG_NAME_MAX);
				CHECK(strnlen(pr->tag, CFG_NAME_MAX) < CFG_NAME_MAX);
				CHECK(strncmp(pr->file, "rom/", 4) == 0);
				for (k = 0; k < pr->ncaps && k < CFG_MAX_CAPS; k++)
					CHECK(pr->caps[k].gate >= -1 &&
					      pr->caps[k].gate < (int)c->ngates &&
					      pr->caps[k].rights != 0 && pr->caps[k].rights <= 7);
				check_args_layout(pr);
			}
		} else if (r == -1) {
			rejected++;
			check_message(err, nlines, iter);
		} else {
			UNIT_FAIL("iteration %d: result %d", iter, r);
		}
		if (unit_nfailed > 0)
			break;
	}
	CHECK(accepted > 1000);
	CHECK(rejected > 1000);
	fprintf(stderr, "cfg.fuzz: %d accepted, %d rejected\n", accepted, rejected);
	free(c);
}

static const struct unit_test tests[] = {
	{ "cfg.full", test_full },
	{ "cfg.defaults", test_defaults },
	{ "cfg.empty", test_empty },
	{ "cfg.sizes", test_sizes },
	{ "cfg.rights", test_rights },
	{ "cfg.quotes", test_quotes },
	{ "cfg.quoted_file_blank", test_quoted_file_blank },
	{ "cfg.continuation", test_continuation },
	{ "cfg.forward_ref", test_forward_ref },
	{ "cfg.names", test_names },
	{ "cfg.label_max", test_label_max },
	{ "cfg.caps_full", test_caps_full },
	{ "cfg.input", test_input },
	{ "cfg.examples", test_examples },
	{ "cfg.doc_example", test_doc_example },
	{ "cfg.err.bad_name", test_bad_name },
	{ "cfg.err.builtin_name", test_builtin_name },
	{ "cfg.err.unknown_keyword", test_unknown_keyword },
	{ "cfg.err.unbalanced_quotes", test_unbalanced_quotes },
	{ "cfg.err.nul_byte", test_nul_byte },
	{ "cfg.err.trailing_backslash", test_trailing_backslash },
	{ "cfg.err.missing", test_missing },
	{ "cfg.err.gate_extra_word", test_gate_extra_word },
	{ "cfg.err.file", test_file },
	{ "cfg.err.duplicate", test_duplicate },
	{ "cfg.err.unknown_option", test_unknown_option },
	{ "cfg.err.option_twice", test_option_twice },
	{ "cfg.err.option_too_long", test_option_too_long },
	{ "cfg.err.bad_tag", test_bad_tag },
	{ "cfg.err.bad_prio", test_bad_prio },
	{ "cfg.err.bad_size", test_bad_size },
	{ "cfg.err.cap_log_mem", test_cap_log_mem },
	{ "cfg.err.cap_twice", test_cap_twice },
	{ "cfg.err.too_many_caps", test_too_many_caps },
	{ "cfg.err.serve", test_serve_errors },
	{ "cfg.err.too_many_serves", test_too_many_serves },
	{ "cfg.err.args_limit", test_args_limit },
	{ "cfg.err.programs_limit", test_programs_limit },
	{ "cfg.err.gates_limit", test_gates_limit },
	{ "cfg.err.gate_unserved", test_gate_unserved },
	{ "cfg.err.cap_undefined", test_cap_undefined },
	{ "cfg.err.error_buffer", test_error_buffer },
	{ "cfg.fuzz", test_fuzz },
};

UNIT_MAIN(tests)
