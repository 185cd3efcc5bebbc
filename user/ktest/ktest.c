/* ktest: the kernel test suite — runs the test table on the real kernel, each test checked for leaks. */
#include <stdarg.h>
#include "ktest.h"
#include "format.h"
#include "harness.h"

static const struct ktest *const tables[] = {
	ktest_objects, ktest_thread, ktest_ipc, ktest_ipc_abort, ktest_memory, ktest_faults, ktest_irq, ktest_sched,
	ktest_vcpu,
};

static char fail_msg[400];
static int failed_now;

void kt_fail(const char *file, int line, const char *fmt, ...)
{
	if (failed_now)
		return; /* the first failure is the one to report */
	failed_now = 1;
	int n = snprintf(fail_msg, sizeof(fail_msg), "%s:%d: ", file, line);
	if (n < 0 || (size_t)n >= sizeof(fail_msg))
		return;
	va_list ap;
	va_start(ap, fmt);
	fmt_vsnprintf(fail_msg + n, sizeof(fail_msg) - (size_t)n, fmt, ap);
	va_end(ap);
}

/* What a test must give back: kernel memory, frames, objects, the root factory's bytes. */
struct resources {
	uint64_t kmem, frames, objects, factory_used, factory_limit;
};

static int snapshot(struct resources *r)
{
	long err = l4_kdebug_stats(&r->kmem, &r->frames, &r->objects);
	if (!err)
		err = l4_factory_info(PECAN_CAP_FACTORY, &r->factory_limit, &r->factory_used);
	return (int)err;
}

static void compare(const struct resources *a, const struct resources *b)
{
	if (a->kmem == b->kmem && a->frames == b->frames && a->objects == b->objects &&
	    a->factory_used == b->factory_used && a->factory_limit == b->factory_limit)
		return;
	kt_fail(__FILE__, __LINE__,
		"leak: free kernel memory %lu -> %lu, free frames %lu -> %lu, objects %lu -> %lu, "
		"root factory used %lu -> %lu (limit %lu -> %lu)",
		a->kmem, b->kmem, a->frames, b->frames, a->objects, b->objects, a->factory_used, b->factory_used,
		a->factory_limit, b->factory_limit);
}

static int starts_with(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return 0;
	return 1;
}

/* The scenario's arguments: test id prefixes separated by spaces (none: every test). */
static int selected(const char *id, const char *args)
{
	if (!args[0])
		return 1;
	char word[64];
	const char *p = args;
	while (*p) {
		while (*p == ' ')
			p++;
		size_t n = 0;
		while (*p && *p != ' ' && n + 1 < sizeof(word))
			word[n++] = *p++;
		word[n] = 0;
		if (n && starts_with(id, word))
			return 1;
	}
	return 0;
}

static int run_one(const struct ktest *t)
{
	struct resources before, after;
	printf("ktest: RUN %s\n", t->id);
	failed_now = 0;
	fail_msg[0] = 0;
	kt_harness_begin();
	if (snapshot(&before)) {
		kt_fail(__FILE__, __LINE__, "cannot read the kernel statistics before the test");
	} else {
		int r = t->fn();
		if (r && !failed_now)
			kt_fail(__FILE__, __LINE__, "the test returned %d without saying why", r);
		kt_harness_end();
		if (snapshot(&after))
			kt_fail(__FILE__, __LINE__, "cannot read the kernel statistics after the test");
		else
			compare(&before, &after);
	}
	if (failed_now) {
		printf("ktest: FAIL %s: %s\n", t->id, fail_msg);
		return 0;
	}
	printf("ktest: PASS %s\n", t->id);
	return 1;
}

int main(void)
{
	const struct pecan_kip *kip = l4_kip();
	const char *args = kip->args;
	printf("ktest: kernel test suite%s%s\n", args[0] ? ", selected: " : "", args);
	if (kt_harness_init())
		printf("ktest: warning: the warm-up did not complete; leak checks may report the first use\n");
	int passed = 0, failed = 0;
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		for (const struct ktest *t = tables[i]; t->id; t++) {
			if (!selected(t->id, args))
				continue;
			if (run_one(t))
				passed++;
			else
				failed++;
		}
	}
	printf("ktest: %d passed, %d failed\n", passed, failed);
	return failed;
}
