/* linux/atomic.h - atomic counters (lx has one CPU; these are still real atomic operations). */
#ifndef _LINUX_ATOMIC_H
#define _LINUX_ATOMIC_H
#include <linux/types.h>
#include <linux/compiler.h>

#define ATOMIC_INIT(i) {(i)}
#define ATOMIC64_INIT(i) {(i)}
#define ATOMIC_LONG_INIT(i) {(i)}

#define __lx_atomic_ops(pfx, t, v)                                                                     \
	static inline t pfx##_read(const v *a) { return __atomic_load_n(&a->counter, __ATOMIC_SEQ_CST); } \
	static inline void pfx##_set(v *a, t i) { __atomic_store_n(&a->counter, i, __ATOMIC_SEQ_CST); }    \
	static inline void pfx##_add(t i, v *a) { __atomic_add_fetch(&a->counter, i, __ATOMIC_SEQ_CST); }  \
	static inline void pfx##_sub(t i, v *a) { __atomic_sub_fetch(&a->counter, i, __ATOMIC_SEQ_CST); }  \
	static inline void pfx##_inc(v *a) { pfx##_add(1, a); }                                          \
	static inline void pfx##_dec(v *a) { pfx##_sub(1, a); }                                          \
	static inline t pfx##_add_return(t i, v *a) { return __atomic_add_fetch(&a->counter, i, __ATOMIC_SEQ_CST); } \
	static inline t pfx##_sub_return(t i, v *a) { return __atomic_sub_fetch(&a->counter, i, __ATOMIC_SEQ_CST); } \
	static inline t pfx##_fetch_add(t i, v *a) { return __atomic_fetch_add(&a->counter, i, __ATOMIC_SEQ_CST); } \
	static inline t pfx##_fetch_sub(t i, v *a) { return __atomic_fetch_sub(&a->counter, i, __ATOMIC_SEQ_CST); } \
	static inline t pfx##_inc_return(v *a) { return pfx##_add_return(1, a); }                       \
	static inline t pfx##_dec_return(v *a) { return pfx##_sub_return(1, a); }                       \
	static inline bool pfx##_dec_and_test(v *a) { return pfx##_dec_return(a) == 0; }                \
	static inline bool pfx##_inc_and_test(v *a) { return pfx##_inc_return(a) == 0; }                \
	static inline bool pfx##_sub_and_test(t i, v *a) { return pfx##_sub_return(i, a) == 0; }        \
	static inline t pfx##_xchg(v *a, t n) { return __atomic_exchange_n(&a->counter, n, __ATOMIC_SEQ_CST); } \
	static inline t pfx##_cmpxchg(v *a, t old, t n)                                                  \
	{                                                                                                \
		__atomic_compare_exchange_n(&a->counter, &old, n, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); \
		return old;                                                                              \
	}                                                                                                \
	static inline bool pfx##_try_cmpxchg(v *a, t *old, t n)                                          \
	{                                                                                                \
		return __atomic_compare_exchange_n(&a->counter, old, n, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); \
	}                                                                                                \
	static inline t pfx##_add_unless(v *a, t i, t u)                                                 \
	{                                                                                                \
		t c = pfx##_read(a);                                                                     \
		while (c != u && !pfx##_try_cmpxchg(a, &c, c + i))                                       \
			;                                                                                \
		return c;                                                                                \
	}                                                                                                \
	static inline bool pfx##_inc_not_zero(v *a) { return pfx##_add_unless(a, 1, 0) != 0; }

__lx_atomic_ops(atomic, int, atomic_t)
__lx_atomic_ops(atomic64, long, atomic64_t)
#define atomic_long_read atomic64_read
#define atomic_long_set atomic64_set
#define atomic_long_inc atomic64_inc
#define atomic_long_dec atomic64_dec
#define atomic_long_add atomic64_add
#define atomic_long_sub atomic64_sub
#define atomic_long_cmpxchg atomic64_cmpxchg
#define atomic_long_xchg atomic64_xchg

#define cmpxchg(ptr, old, n)                                                                       \
	({                                                                                         \
		__typeof__(*(ptr)) __old = (old);                                                  \
		__atomic_compare_exchange_n(ptr, &__old, n, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); \
		__old;                                                                             \
	})
#define xchg(ptr, n) __atomic_exchange_n(ptr, n, __ATOMIC_SEQ_CST)
#define smp_mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define smp_rmb() smp_mb()
#define smp_wmb() smp_mb()
#define mb() smp_mb()
#define rmb() smp_mb()
#define wmb() smp_mb()
#define smp_mb__before_atomic() smp_mb()
#define smp_mb__after_atomic() smp_mb()

#include <linux/bitops.h>
#endif
