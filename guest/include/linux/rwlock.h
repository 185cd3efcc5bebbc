/* linux/rwlock.h - reader-writer spin locks (see linux/spinlock.h: one CPU, no preemption). */
#ifndef _LINUX_RWLOCK_H
#define _LINUX_RWLOCK_H
#include <linux/types.h>

typedef struct {
	int readers, writer;
} rwlock_t;

#define __RW_LOCK_UNLOCKED(lockname) {0, 0}
#define DEFINE_RWLOCK(x) rwlock_t x = __RW_LOCK_UNLOCKED(x)
static inline void rwlock_init(rwlock_t *l) { l->readers = l->writer = 0; }
static inline void read_lock(rwlock_t *l) { l->readers++; }
static inline void read_unlock(rwlock_t *l) { l->readers--; }
static inline void write_lock(rwlock_t *l) { l->writer = 1; }
static inline void write_unlock(rwlock_t *l) { l->writer = 0; }
#define read_lock_irqsave(l, flags) do { (flags) = 0; read_lock(l); } while (0)
#define read_unlock_irqrestore(l, flags) do { (void)(flags); read_unlock(l); } while (0)
#define write_lock_irqsave(l, flags) do { (flags) = 0; write_lock(l); } while (0)
#define write_unlock_irqrestore(l, flags) do { (void)(flags); write_unlock(l); } while (0)
#define read_lock_irq read_lock
#define read_unlock_irq read_unlock
#define write_lock_irq write_lock
#define write_unlock_irq write_unlock
#define read_lock_bh read_lock
#define read_unlock_bh read_unlock
#define write_lock_bh write_lock
#define write_unlock_bh write_unlock

#endif
