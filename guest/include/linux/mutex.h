/* linux/mutex.h - sleeping locks; a contended one sleeps like a wait queue does (docs/modules.md). */
#ifndef _LINUX_MUTEX_H
#define _LINUX_MUTEX_H
#include <linux/types.h>

struct mutex {
	int locked;
	const char *name;
};

#define __MUTEX_INITIALIZER(lockname) {0, #lockname}
#define DEFINE_MUTEX(mutexname) struct mutex mutexname = __MUTEX_INITIALIZER(mutexname)
static inline void __mutex_init_lx(struct mutex *m, const char *name)
{
	m->locked = 0;
	m->name = name;
}
#define mutex_init(m) __mutex_init_lx(m, #m)
#define mutex_destroy(m) do { } while (0)
void mutex_lock(struct mutex *m);
int mutex_lock_interruptible(struct mutex *m);
int mutex_lock_killable(struct mutex *m);
int mutex_trylock(struct mutex *m);
void mutex_unlock(struct mutex *m);
static inline bool mutex_is_locked(struct mutex *m) { return m->locked != 0; }
#define mutex_lock_nested(m, subclass) mutex_lock(m)

#endif
