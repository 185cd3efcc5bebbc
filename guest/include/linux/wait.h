/* linux/wait.h - wait queues. How a sleep works in lx depends on who sleeps: docs/modules.md. */
#ifndef _LINUX_WAIT_H
#define _LINUX_WAIT_H
#include <linux/types.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/errno.h>

struct wait_queue_head {
	spinlock_t lock;
	struct list_head head;
};
typedef struct wait_queue_head wait_queue_head_t;

#define __WAIT_QUEUE_HEAD_INITIALIZER(name) {.lock = __SPIN_LOCK_UNLOCKED(name.lock), .head = LIST_HEAD_INIT(name.head)}
#define DECLARE_WAIT_QUEUE_HEAD(name) wait_queue_head_t name = __WAIT_QUEUE_HEAD_INITIALIZER(name)
static inline void init_waitqueue_head(wait_queue_head_t *wq)
{
	spin_lock_init(&wq->lock);
	INIT_LIST_HEAD(&wq->head);
}

/* Wakes everyone sleeping on wq (processes, kthreads). */
void __wake_up(wait_queue_head_t *wq, unsigned int mode, int nr, void *key);
#define wake_up(x) __wake_up(x, 3, 1, NULL)
#define wake_up_nr(x, nr) __wake_up(x, 3, nr, NULL)
#define wake_up_all(x) __wake_up(x, 3, 0, NULL)
#define wake_up_interruptible(x) __wake_up(x, 1, 1, NULL)
#define wake_up_interruptible_all(x) __wake_up(x, 1, 0, NULL)
#define wake_up_interruptible_sync(x) __wake_up(x, 1, 1, NULL)
static inline int waitqueue_active(wait_queue_head_t *wq) { (void)wq; return 1; }

/* One sleep on wq until a wake_up, at most *timeout ticks when timeout is
 * not NULL (it is left with the ticks remaining). 0 when woken or timed
 * out, -ERESTARTSYS when interruptible and a signal is pending. In a file
 * operation of a process it does not return but ends the operation, which
 * runs again from its start once woken (docs/modules.md). */
long __lx_wait(wait_queue_head_t *wq, int interruptible, long *timeout);

#define __lx_wait_event(wq, cond, intr)                                                          \
	({                                                                                       \
		long __ret = 0;                                                                  \
		while (!(cond)) {                                                                \
			__ret = __lx_wait(&(wq), intr, NULL);                                     \
			if (__ret)                                                               \
				break;                                                           \
		}                                                                                \
		__ret;                                                                           \
	})
#define __lx_wait_event_timeout(wq, cond, intr, tmo)                                             \
	({                                                                                       \
		long __t = (long)(tmo), __ret = 0;                                               \
		while (!(cond) && __t > 0) {                                                     \
			__ret = __lx_wait(&(wq), intr, &__t);                                     \
			if (__ret)                                                               \
				break;                                                           \
		}                                                                                \
		__ret ? __ret : (cond) ? (__t > 0 ? __t : 1) : 0;                                \
	})
#define wait_event(wq, cond) do { (void)__lx_wait_event(wq, cond, 0); } while (0)
#define wait_event_interruptible(wq, cond) ((int)__lx_wait_event(wq, cond, 1))
#define wait_event_killable(wq, cond) ((int)__lx_wait_event(wq, cond, 1))
#define wait_event_timeout(wq, cond, timeout) __lx_wait_event_timeout(wq, cond, 0, timeout)
#define wait_event_interruptible_timeout(wq, cond, timeout) __lx_wait_event_timeout(wq, cond, 1, timeout)

#endif
