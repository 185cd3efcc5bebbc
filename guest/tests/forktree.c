/*
 * forktree: a tree of processes, depth 3 and fan-out 2 (14 descendants).
 *
 * Nodes are numbered heap-style (the root 0, the children of n are 2n+1 and
 * 2n+2); every descendant exits with code 100 + its number when its own
 * checks and its whole subtree passed, 1 otherwise. A parent waits for its
 * children with wait4(-1) and checks which pid came back and its status
 * (exited, status == code << 8); getpid() and getppid() must agree with what
 * fork returned, and a childless wait4 gives -ECHILD.
 *
 * Then SEQUENTIAL processes, BATCH alive at a time (fork them, each waits
 * for the end of a pipe the parent then closes, exits; wait4 each): more than a kernel has slots for processes, threads or
 * capabilities of any fixed table, so whatever a process holds must come
 * back when it is reaped (on lx: its task's capability selector, of which
 * it has 4,096; it keeps 8 exited tasks for reuse).
 */
#include "lt.h"

const char lt_name[] = "forktree";

#define DEPTH 3
#define FANOUT 2
#define SEQUENTIAL 5200
#define BATCH 40

static int descendants_ok;  /* the root's count */

/* Runs node `node` at `depth` (its own checks done by the caller); returns
 * the number of failures in its subtree. Quiet except for failures. */
static int run_node(int node, int depth, int me)
{
	int failed = 0;
	if (depth == DEPTH)
		return 0;
	long pids[FANOUT];
	for (int i = 0; i < FANOUT; i++) {
		int child = node * FANOUT + i + 1;
		long pid = sys_fork();
		if (pid < 0) {
			lt_printf("forktree: node %d: fork failed: %ld\n", node, pid);
			pids[i] = 0;
			failed++;
			continue;
		}
		if (pid == 0) {
			/* the child: its own identity first */
			int f = 0;
			long self = sys_getpid(), parent = sys_getppid();
			if (parent != me) {
				lt_printf("forktree: node %d: getppid() = %ld, the parent is %d\n", child, parent, me);
				f++;
			}
			if (self <= 0 || self == me) {
				lt_printf("forktree: node %d: getpid() = %ld (the parent is %d)\n", child, self, me);
				f++;
			}
			f += run_node(child, depth + 1, (int)self);
			sys_exit(f ? 1 : 100 + child);
		}
		pids[i] = pid;
	}
	/* wait4(-1): children in any order; each must come back once, with its code */
	int seen[FANOUT] = {0};
	for (int n = 0; n < FANOUT; n++) {
		if (!pids[n])
			continue;
		int status = -1;
		long r = sys_wait4(-1, &status, 0, NULL);
		int i;
		for (i = 0; i < FANOUT; i++)
			if (pids[i] && r == pids[i])
				break;
		if (i == FANOUT || seen[i]) {
			lt_printf("forktree: node %d: wait4(-1) returned %ld, not a child still to wait for\n", node, r);
			failed++;
			continue;
		}
		seen[i] = 1;
		int code = 100 + node * FANOUT + i + 1;
		if (status != (code << 8)) {
			lt_printf("forktree: node %d: child node %d (pid %ld) gave wait status 0x%x, expected 0x%x"
				  " (exited with %d)\n", node, node * FANOUT + i + 1, r, status, code << 8, code);
			failed++;
		} else if (node == 0) {
			descendants_ok++;
		}
	}
	long r = sys_wait4(-1, NULL, 0, NULL);
	if (r != -ECHILD) {
		lt_printf("forktree: node %d: wait4 with no children left returned %ld, expected %d\n", node, r,
			  -ECHILD);
		failed++;
	}
	return failed;
}

int main(void)
{
	long me = sys_getpid();
	lt_check(me > 0, "getpid() = %ld is positive", me);
	long parent = sys_getppid();
	lt_check(parent >= 0 && parent != me, "getppid() = %ld differs from getpid()", parent);
	lt_check_eq(sys_getpid(), me, "getpid() is stable");

	int failed = run_node(0, 0, (int)me);
	lt_check_eq(descendants_ok, FANOUT, "both subtrees (%d processes each) exited with their codes",
		    (1 << DEPTH) - 1);
	lt_check_eq(failed, 0, "%d forks, every wait4 status and getppid() as expected",
		    (1 << (DEPTH + 1)) - 2);
	lt_check_eq(sys_wait4(-1, NULL, 0, NULL), -ECHILD, "wait4 with no children left gives -ECHILD");
	lt_check_eq(sys_getppid(), parent, "getppid() unchanged after the tree");

	/* in batches of BATCH alive at once, so that a kernel that keeps a few
	 * exited processes' resources for reuse still has to free the rest */
	int done = 0;
	long bad = 0;
	while (done < SEQUENTIAL && !bad) {
		long pids[BATCH];
		int n = 0, gate[2];
		if (sys_pipe(gate) != 0) {
			bad = -1;
			lt_printf("forktree: no pipe\n");
			break;
		}
		for (; n < BATCH; n++) {
			long pid = sys_fork();
			if (pid == 0) {
				/* alive until the whole batch is: the parent closes the pipe */
				char c;
				sys_close(gate[1]);
				sys_read(gate[0], &c, 1);
				sys_exit((done + n) & 0x7f);
			}
			if (pid < 0) {
				bad = pid;
				lt_printf("forktree: process %d: fork gave %ld\n", done + n, pid);
				break;
			}
			pids[n] = pid;
		}
		sys_close(gate[0]);
		sys_close(gate[1]);
		for (int i = 0; i < n; i++) {
			int status = -1;
			long r = sys_wait4(pids[i], &status, 0, NULL);
			if (r != pids[i] || status != (((done + i) & 0x7f) << 8)) {
				lt_printf("forktree: process %d: wait4 %ld (pid %ld), status 0x%x\n", done + i, r, pids[i], status);
				bad = bad ? bad : -1;
			}
		}
		done += n;
	}
	lt_check(done >= SEQUENTIAL && !bad, "%d processes, %d at a time: each forked, exited and reaped (stopped at %d: %ld)",
		 SEQUENTIAL, BATCH, done, bad);
	return lt_finish();
}
