/* ktest: what the runner asks of the helpers — warm-up, and the clean-up after each test. */
#ifndef KTEST_HARNESS_H
#define KTEST_HARNESS_H

/* Once before the first test: the page pool, the sleep gate, and a first use
 * of every selector, UTCB slot and scratch address that tests will use, so
 * that kernel memory allocated on first use (capability-table pages, page
 * tables) is not taken for a leak. Returns nonzero when a step failed. */
int kt_harness_init(void);
/* Before each test: a fresh selector range and page pool. */
void kt_harness_begin(void);
/* After each test: delete every capability the test left in its selectors,
 * unmap the scratch region, clear the main thread's buffer registers. */
void kt_harness_end(void);

#endif
