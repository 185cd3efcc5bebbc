/* linux/spinlock.h - spin locks: lx runs module code on one CPU without preemption, so a lock only records that it is held. */
#ifndef _LINUX_SPINLOCK_H
#define _LINUX_SPINLOCK_H
#include <linux/types.h>
#include <linux/compiler.h>

typedef struct spinlock {
	int locked;
} spinlock_t;
typedef spinlock_t raw_spinlock_t;

#define __SPIN_LOCK_UNLOCKED(lockname) {0}
#define DEFINE_SPINLOCK(x) spinlock_t x = __SPIN_LOCK_UNLOCKED(x)
#define DEFINE_RAW_SPINLOCK(x) raw_spinlock_t x = __SPIN_LOCK_UNLOCKED(x)

static inline void spin_lock_init(spinlock_t *l) { l->locked = 0; }
static inline void spin_lock(spinlock_t *l) { l->locked = 1; barrier(); }
static inline void spin_unlock(spinlock_t *l) { barrier(); l->locked = 0; }
static inline int spin_trylock(spinlock_t *l)
{
	if (l->locked)
		return 0;
	l->locked = 1;
	return 1;
}
static inline int spin_is_locked(spinlock_t *l) { return l->locked; }
#define spin_lock_irq spin_lock
#define spin_unlock_irq spin_unlock
#define spin_lock_bh spin_lock
#define spin_unlock_bh spin_unlock
#define spin_lock_irqsave(l, flags) do { (flags) = 0; spin_lock(l); } while (0)
#define spin_unlock_irqrestore(l, flags) do { (void)(flags); spin_unlock(l); } while (0)
#define raw_spin_lock_init spin_lock_init
#define raw_spin_lock spin_lock
#define raw_spin_unlock spin_unlock
#define raw_spin_lock_irqsave spin_lock_irqsave
#define raw_spin_unlock_irqrestore spin_unlock_irqrestore
#define local_irq_save(flags) do { (flags) = 0; } while (0)
#define local_irq_restore(flags) do { (void)(flags); } while (0)
#define local_irq_disable() do { } while (0)
#define local_irq_enable() do { } while (0)
#define preempt_disable() do { } while (0)
#define preempt_enable() do { } while (0)

#include <linux/rwlock.h>
#endif
