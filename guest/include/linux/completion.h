/* linux/completion.h - completions over wait queues. */
#ifndef _LINUX_COMPLETION_H
#define _LINUX_COMPLETION_H
#include <linux/types.h>
#include <linux/wait.h>

struct completion {
	unsigned int done;
	wait_queue_head_t wait;
};
#define COMPLETION_INITIALIZER(work) {0, __WAIT_QUEUE_HEAD_INITIALIZER((work).wait)}
#define DECLARE_COMPLETION(work) struct completion work = COMPLETION_INITIALIZER(work)
static inline void init_completion(struct completion *x)
{
	x->done = 0;
	init_waitqueue_head(&x->wait);
}
static inline void reinit_completion(struct completion *x) { x->done = 0; }
static inline void complete(struct completion *x)
{
	if (x->done != ~0u)
		x->done++;
	wake_up_all(&x->wait);
}
static inline void complete_all(struct completion *x)
{
	x->done = ~0u;
	wake_up_all(&x->wait);
}
static inline void __lx_completion_take(struct completion *x)
{
	if (x->done != ~0u)
		x->done--;
}
static inline void wait_for_completion(struct completion *x)
{
	wait_event(x->wait, x->done);
	__lx_completion_take(x);
}
static inline int wait_for_completion_interruptible(struct completion *x)
{
	int r = wait_event_interruptible(x->wait, x->done);
	if (!r)
		__lx_completion_take(x);
	return r;
}
static inline unsigned long wait_for_completion_timeout(struct completion *x, unsigned long timeout)
{
	long r = wait_event_timeout(x->wait, x->done, timeout);
	if (r > 0)
		__lx_completion_take(x);
	return r > 0 ? (unsigned long)r : 0;
}
static inline bool completion_done(struct completion *x) { return x->done != 0; }
static inline bool try_wait_for_completion(struct completion *x)
{
	if (!x->done)
		return false;
	__lx_completion_take(x);
	return true;
}

#endif
