/* linux/workqueue.h - deferred work: lx runs queued work from its timer tick, outside any process (docs/modules.md). */
#ifndef _LINUX_WORKQUEUE_H
#define _LINUX_WORKQUEUE_H
#include <linux/types.h>
#include <linux/list.h>
#include <linux/timer.h>

struct work_struct;
typedef void (*work_func_t)(struct work_struct *work);

struct work_struct {
	struct list_head entry;
	work_func_t func;
	int __lx_pending;
};

struct delayed_work {
	struct work_struct work;
	struct timer_list timer;
	struct workqueue_struct *wq;
};

struct workqueue_struct;

#define __WORK_INITIALIZER(n, f) {.entry = {NULL, NULL}, .func = (f), .__lx_pending = 0}
#define DECLARE_WORK(n, f) struct work_struct n = __WORK_INITIALIZER(n, f)
#define DECLARE_DELAYED_WORK(n, f) struct delayed_work n = {.work = __WORK_INITIALIZER(n.work, f)}
void __lx_init_work(struct work_struct *work, work_func_t func);
void __lx_init_delayed_work(struct delayed_work *dwork, work_func_t func);
#define INIT_WORK(w, f) __lx_init_work(w, f)
#define INIT_DELAYED_WORK(w, f) __lx_init_delayed_work(w, f)
#define to_delayed_work(w) container_of(w, struct delayed_work, work)

#define WQ_UNBOUND (1 << 1)
#define WQ_FREEZABLE (1 << 2)
#define WQ_MEM_RECLAIM (1 << 3)
#define WQ_HIGHPRI (1 << 4)
#define WQ_CPU_INTENSIVE (1 << 5)

struct workqueue_struct *alloc_workqueue(const char *fmt, unsigned int flags, int max_active, ...);
#define create_workqueue(name) alloc_workqueue("%s", 0, 1, (name))
#define create_singlethread_workqueue(name) alloc_workqueue("%s", WQ_UNBOUND, 1, (name))
#define alloc_ordered_workqueue(fmt, flags, ...) alloc_workqueue(fmt, WQ_UNBOUND | (flags), 1, ##__VA_ARGS__)
void destroy_workqueue(struct workqueue_struct *wq);
bool queue_work(struct workqueue_struct *wq, struct work_struct *work);
bool queue_delayed_work(struct workqueue_struct *wq, struct delayed_work *dwork, unsigned long delay);
bool schedule_work(struct work_struct *work);
bool schedule_delayed_work(struct delayed_work *dwork, unsigned long delay);
void flush_workqueue(struct workqueue_struct *wq);
void flush_scheduled_work(void);
bool flush_work(struct work_struct *work);
bool cancel_work_sync(struct work_struct *work);
bool cancel_delayed_work(struct delayed_work *dwork);
bool cancel_delayed_work_sync(struct delayed_work *dwork);
bool flush_delayed_work(struct delayed_work *dwork);
static inline bool work_pending(struct work_struct *w) { return w->__lx_pending; }

#endif
