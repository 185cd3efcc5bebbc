/* linux/timer.h - timers: lx runs expired ones from its timer tick, outside any process (docs/modules.md). */
#ifndef _LINUX_TIMER_H
#define _LINUX_TIMER_H
#include <linux/types.h>
#include <linux/list.h>
#include <linux/jiffies.h>
#include <linux/container_of.h>

struct timer_list {
	struct list_head entry;         /* on lx's list while pending */
	unsigned long expires;          /* in jiffies */
	void (*function)(struct timer_list *);
	u32 flags;
	int __lx_pending;
};

#define TIMER_DEFERRABLE 0x00080000
#define TIMER_PINNED 0x00200000
#define TIMER_IRQSAFE 0x00400000

void timer_setup(struct timer_list *timer, void (*func)(struct timer_list *), unsigned int flags);
#define DEFINE_TIMER(_name, _function) \
	struct timer_list _name = {.entry = {NULL, NULL}, .expires = 0, .function = _function, .flags = 0}
void add_timer(struct timer_list *timer);
int mod_timer(struct timer_list *timer, unsigned long expires);
int timer_delete(struct timer_list *timer);
int timer_delete_sync(struct timer_list *timer);
#define del_timer timer_delete
#define del_timer_sync timer_delete_sync
static inline int timer_pending(const struct timer_list *timer) { return timer->__lx_pending; }
#define from_timer(var, callback_timer, timer_fieldname) container_of(callback_timer, __typeof__(*var), timer_fieldname)
#define timer_container_of from_timer

#endif
