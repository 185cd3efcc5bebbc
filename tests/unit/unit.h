/* unit.h - minimal host unit-test framework: a table of tests, each run in its own forked child. */
#ifndef PECAN_TESTS_UNIT_H
#define PECAN_TESTS_UNIT_H

/*
 * Usage:
 *   static void test_foo(void) { CHECK_EQ_INT(f(1), 2); }
 *   static const struct unit_test tests[] = { {"area.foo", test_foo} };
 *   UNIT_MAIN(tests)
 *
 * Output, one line per test on stdout (the runner parses this):
 *   PASS unit/<id>
 *   FAIL unit/<id>: <file>:<line>: <what failed>
 * and exit status 0 iff every test passed. A crash, sanitizer report or
 * timeout in a test is a FAIL of that test only, because each test runs
 * in a forked child. CHECK* record the failure and let the test go on
 * (later failures go to stderr; the FAIL line names the first);
 * REQUIRE stops the test at once. Arguments: test ids or id prefixes
 * select tests; "-l" lists the ids.
 */

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct unit_test {
	const char *id;
	void (*fn)(void);
};

/* A hung test is killed by SIGALRM after this many seconds. */
#ifndef UNIT_TIMEOUT_S
#define UNIT_TIMEOUT_S 60
#endif

#define UNIT_MSG_MAX 1024
#define UNIT_MAX_EXTRA_REPORTS 20

static int unit_nfailed;        /* failed checks in the current child */
static int unit_report_fd = -1; /* pipe to the parent for the first one */

/* Record a failure at file:line; the message is kept to one line. */
static inline void unit_failf(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static inline void unit_failf(const char *file, int line, const char *fmt, ...)
{
	char msg[UNIT_MSG_MAX];
	va_list ap;
	int n;
	char *p;

	n = snprintf(msg, sizeof msg, "%s:%d: ", file, line);
	va_start(ap, fmt);
	if (n > 0 && (size_t)n < sizeof msg)
		vsnprintf(msg + n, sizeof msg - (size_t)n, fmt, ap);
	va_end(ap);
	/* The runner reads one line per test. */
	for (p = msg; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';

	if (unit_nfailed == 0 && unit_report_fd >= 0) {
		/* Short enough to be one atomic pipe write. */
		ssize_t w = write(unit_report_fd, msg, strlen(msg));
		(void)w;
	} else if (unit_nfailed <= UNIT_MAX_EXTRA_REPORTS) {
		fprintf(stderr, "  also failed: %s\n", msg);
	}
	unit_nfailed++;
}

/* Quote a string C-style into buf for messages (NULL-safe, bounded). */
static inline const char *unit_quote(const char *s, char *buf, size_t size)
{
	size_t o = 0, limit = size > 16 ? size - 8 : 0;

	if (s == NULL) {
		snprintf(buf, size, "NULL");
		return buf;
	}
	buf[o++] = '"';
	for (; *s && o < limit; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			o += (size_t)snprintf(buf + o, size - o, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			o += (size_t)snprintf(buf + o, size - o, "\\x%02x", c);
		else
			buf[o++] = (char)c;
	}
	snprintf(buf + o, size - o, *s ? "\"..." : "\"");
	return buf;
}

#define UNIT_FAIL(...) unit_failf(__FILE__, __LINE__, __VA_ARGS__)

#define CHECK(cond)							\
	do {								\
		if (!(cond))						\
			UNIT_FAIL("CHECK(%s) failed", #cond);		\
	} while (0)

#define REQUIRE(cond)							\
	do {								\
		if (!(cond)) {						\
			UNIT_FAIL("REQUIRE(%s) failed", #cond);		\
			exit(1);					\
		}							\
	} while (0)

#define CHECK_EQ_INT(a, b)						\
	do {								\
		long long unit_a_ = (long long)(a);			\
		long long unit_b_ = (long long)(b);			\
		if (unit_a_ != unit_b_)					\
			UNIT_FAIL("CHECK_EQ_INT(%s, %s): %lld (0x%llx) != %lld (0x%llx)", \
				  #a, #b, unit_a_, (unsigned long long)unit_a_, \
				  unit_b_, (unsigned long long)unit_b_); \
	} while (0)

#define CHECK_STR(a, b)							\
	do {								\
		const char *unit_a_ = (a), *unit_b_ = (b);		\
		if (unit_a_ == NULL || unit_b_ == NULL ?		\
		    unit_a_ != unit_b_ : strcmp(unit_a_, unit_b_) != 0) { \
			char unit_qa_[256], unit_qb_[256];		\
			UNIT_FAIL("CHECK_STR(%s, %s): %s != %s", #a, #b, \
				  unit_quote(unit_a_, unit_qa_, sizeof unit_qa_), \
				  unit_quote(unit_b_, unit_qb_, sizeof unit_qb_)); \
		}							\
	} while (0)

#define CHECK_CONTAINS(haystack, needle)				\
	do {								\
		const char *unit_h_ = (haystack), *unit_n_ = (needle);	\
		if (unit_h_ == NULL || unit_n_ == NULL ||		\
		    strstr(unit_h_, unit_n_) == NULL) {			\
			char unit_qh_[256], unit_qn_[256];		\
			UNIT_FAIL("CHECK_CONTAINS(%s, %s): %s does not contain %s", \
				  #haystack, #needle,			\
				  unit_quote(unit_h_, unit_qh_, sizeof unit_qh_), \
				  unit_quote(unit_n_, unit_qn_, sizeof unit_qn_)); \
		}							\
	} while (0)

static inline int unit_selected(const char *id, int argc, char **argv)
{
	int i;

	if (argc <= 1)
		return 1;
	for (i = 1; i < argc; i++)
		if (strncmp(id, argv[i], strlen(argv[i])) == 0)
			return 1;
	return 0;
}

/*
 * Turn a sanitizer report line from the child's stderr into
 * "<file>:<line>: <what>" so the FAIL line says where it happened.
 * UBSan lines already look like "file:line:col: runtime error: ...";
 * ASan ends with "SUMMARY: AddressSanitizer: <kind> <file>:<line> in <fn>".
 */
static inline void unit_scan_report_line(const char *line, char *out, size_t size,
					 int *have)
{
	const char *sum = "SUMMARY: AddressSanitizer: ";
	const char *p;

	if (*have >= 2)
		return;
	if (strstr(line, ": runtime error: ") != NULL) {
		snprintf(out, size, "%s", line);
		*have = 2;
	} else if ((p = strstr(line, sum)) != NULL && *have == 0) {
		const char *kind = p + strlen(sum);
		const char *loc = strchr(kind, ' ');
		const char *in = loc ? strstr(loc, " in ") : NULL;

		if (loc && in && in > loc + 1)
			snprintf(out, size, "%.*s: AddressSanitizer: %.*s%s", (int)(in - loc - 1),
				 loc + 1, (int)(loc - kind), kind, in);
		else
			snprintf(out, size, "%s", p + strlen("SUMMARY: "));
		*have = 1;
	}
}

/* Run one test in a child; returns 1 if it passed. */
static inline int unit_run_one(const struct unit_test *t)
{
	char msg[UNIT_MSG_MAX + 1], san[UNIT_MSG_MAX], line[UNIT_MSG_MAX];
	size_t got = 0, ll = 0;
	int fds[2], efds[2], status, have_san = 0;
	pid_t pid;
	ssize_t r;
	char *q;

	if (pipe(fds) != 0 || pipe(efds) != 0) {
		printf("FAIL unit/%s: %s:%d: pipe() failed\n", t->id, __FILE__, __LINE__);
		return 0;
	}
	/* Nothing buffered may be duplicated into the child. */
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		printf("FAIL unit/%s: %s:%d: fork() failed\n", t->id, __FILE__, __LINE__);
		close(fds[0]);
		close(fds[1]);
		close(efds[0]);
		close(efds[1]);
		return 0;
	}
	if (pid == 0) {
		close(fds[0]);
		close(efds[0]);
		/* stderr goes through the parent, which passes it on and
		 * picks out sanitizer reports. */
		dup2(efds[1], 2);
		close(efds[1]);
		unit_report_fd = fds[1];
		unit_nfailed = 0;
		alarm(UNIT_TIMEOUT_S);
		t->fn();
		/* exit(), not _exit(): leak checking runs at exit. */
		exit(unit_nfailed ? 1 : 0);
	}
	close(fds[1]);
	close(efds[1]);
	for (;;) {
		char chunk[4096];

		r = read(efds[0], chunk, sizeof chunk);
		if (r < 0)
			continue;
		if (r == 0)
			break;
		fwrite(chunk, 1, (size_t)r, stderr);
		for (q = chunk; q < chunk + r; q++) {
			if (*q == '\n') {
				line[ll] = '\0';
				unit_scan_report_line(line, san, sizeof san, &have_san);
				ll = 0;
			} else if (ll + 1 < sizeof line) {
				line[ll++] = *q;
			}
		}
	}
	line[ll] = '\0';
	unit_scan_report_line(line, san, sizeof san, &have_san);
	close(efds[0]);
	/* The child wrote at most one short message here, so it fit. */
	while (got < UNIT_MSG_MAX &&
	       (r = read(fds[0], msg + got, UNIT_MSG_MAX - got)) != 0) {
		if (r < 0)
			break;
		got += (size_t)r;
	}
	msg[got] = '\0';
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0)
		;

	if (got > 0) {
		if (WIFSIGNALED(status))
			printf("FAIL unit/%s: %s (then killed by signal %d, %s)\n",
			       t->id, msg, WTERMSIG(status), strsignal(WTERMSIG(status)));
		else
			printf("FAIL unit/%s: %s\n", t->id, msg);
		return 0;
	}
	if (have_san) {
		printf("FAIL unit/%s: %s\n", t->id, san);
		return 0;
	}
	if (WIFSIGNALED(status)) {
		printf("FAIL unit/%s: %s:%d: killed by signal %d (%s)%s\n", t->id,
		       __FILE__, __LINE__, WTERMSIG(status), strsignal(WTERMSIG(status)),
		       WTERMSIG(status) == SIGALRM ? ", timed out" : "");
		return 0;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		printf("FAIL unit/%s: %s:%d: exited with status %d without a failed check (see stderr)\n",
		       t->id, __FILE__, __LINE__, WEXITSTATUS(status));
		return 0;
	}
	printf("PASS unit/%s\n", t->id);
	return 1;
}

static inline int unit_main(const struct unit_test *tests, size_t n,
			    int argc, char **argv)
{
	size_t i, j;
	int ok = 1;

	if (argc == 2 && strcmp(argv[1], "-l") == 0) {
		for (i = 0; i < n; i++)
			printf("unit/%s\n", tests[i].id);
		return 0;
	}
	for (i = 0; i < n; i++) {
		int dup = 0;

		if (!unit_selected(tests[i].id, argc, argv))
			continue;
		/* Ids must be stable and unique for the runner to track them. */
		for (j = 0; j < i; j++)
			if (strcmp(tests[i].id, tests[j].id) == 0)
				dup = 1;
		if (dup) {
			printf("FAIL unit/%s: %s:%d: duplicate test id\n",
			       tests[i].id, __FILE__, __LINE__);
			ok = 0;
			continue;
		}
		if (!unit_run_one(&tests[i]))
			ok = 0;
		/* Keep whole lines apart from stderr when both go to one place. */
		fflush(stdout);
	}
	fflush(stdout);
	return ok ? 0 : 1;
}

/*
 * Sanitizer defaults: UBSan must stop the test (by default it only
 * prints and carries on, which would let the test PASS).
 */
#define UNIT_MAIN(table)						\
	const char *__ubsan_default_options(void);			\
	const char *__ubsan_default_options(void)			\
	{								\
		return "halt_on_error=1:print_stacktrace=1";		\
	}								\
	int main(int argc, char **argv)					\
	{								\
		return unit_main(table, sizeof(table) / sizeof((table)[0]), \
				 argc, argv);				\
	}

#endif
