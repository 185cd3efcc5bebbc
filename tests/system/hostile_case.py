"""The hostile-task test's time limit (user/hostile), for the system test in tests.py.

The program makes 100,000 random invocations from task C in 8 epochs while a
heartbeat in task B beats every 2 ms. Estimated under TCG on a slow 2-core
machine: the invocations themselves a few seconds (most use timeout ZERO),
the ~2.5% with a short relative timeout (<= 2 ms) up to ~10 s when they
block, the 8 rebuilds of task C and the final leak check well under a
second each; 30-60 s in all. The program gives up by itself (`hostile: FAIL
deadline passed`) after 150 s of guest time (DEADLINE_S in
user/hostile/main.c), so this limit only catches a kernel that stops
everything, e.g. the timer.
"""

HOSTILE_TIMEOUT_S = 200
