/* linux/kthread.h - kernel threads: coroutines with their own stacks, run by lx's timer tick (docs/modules.md). */
#ifndef _LINUX_KTHREAD_H
#define _LINUX_KTHREAD_H
#include <linux/types.h>
#include <linux/err.h>
#include <linux/sched.h>

struct completion;

struct task_struct *kthread_create_on_node(int (*threadfn)(void *data), void *data, int node,
					   const char namefmt[], ...) __printf(4, 5);
#define kthread_create(threadfn, data, namefmt, arg...) kthread_create_on_node(threadfn, data, -1, namefmt, ##arg)
#define kthread_run(threadfn, data, namefmt, ...)                                                \
	({                                                                                       \
		struct task_struct *__k = kthread_create(threadfn, data, namefmt, ##__VA_ARGS__); \
		if (!IS_ERR(__k))                                                                \
			wake_up_process(__k);                                                    \
		__k;                                                                             \
	})
int kthread_stop(struct task_struct *k);
bool kthread_should_stop(void);
void kthread_bind(struct task_struct *k, unsigned int cpu);
void __noreturn kthread_exit(long result);
void __noreturn kthread_complete_and_exit(struct completion *comp, long code);
#define complete_and_exit kthread_complete_and_exit

#endif
