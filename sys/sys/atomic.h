/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Atomic operations and memory barriers on the compiler's __atomic
 * builtins.  The _nv variants return the new value.  Plain operations are
 * relaxed; the barriers order them where needed.
 */

#ifndef _SYS_ATOMIC_H_
#define _SYS_ATOMIC_H_

#include <sys/types.h>

#define atomic_load_relaxed(p)	__atomic_load_n((p), __ATOMIC_RELAXED)
#define atomic_load_acquire(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define atomic_store_relaxed(p, v) __atomic_store_n((p), (v), __ATOMIC_RELAXED)
#define atomic_store_release(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)

#define atomic_inc_uint(p)	((void)__atomic_add_fetch((p), 1, __ATOMIC_RELAXED))
#define atomic_dec_uint(p)	((void)__atomic_sub_fetch((p), 1, __ATOMIC_RELAXED))
#define atomic_inc_uint_nv(p)	__atomic_add_fetch((p), 1, __ATOMIC_SEQ_CST)
#define atomic_dec_uint_nv(p)	__atomic_sub_fetch((p), 1, __ATOMIC_SEQ_CST)
#define atomic_add_int(p, v)	((void)__atomic_add_fetch((p), (v), __ATOMIC_RELAXED))
#define atomic_add_int_nv(p, v)	__atomic_add_fetch((p), (v), __ATOMIC_SEQ_CST)
#define atomic_add_long(p, v)	((void)__atomic_add_fetch((p), (v), __ATOMIC_RELAXED))
#define atomic_add_long_nv(p, v) __atomic_add_fetch((p), (v), __ATOMIC_SEQ_CST)
#define atomic_add_64(p, v)	((void)__atomic_add_fetch((p), (v), __ATOMIC_RELAXED))
#define atomic_add_64_nv(p, v)	__atomic_add_fetch((p), (v), __ATOMIC_SEQ_CST)
#define atomic_or_uint(p, v)	((void)__atomic_or_fetch((p), (v), __ATOMIC_SEQ_CST))
#define atomic_and_uint(p, v)	((void)__atomic_and_fetch((p), (v), __ATOMIC_SEQ_CST))
#define atomic_or_64(p, v)	((void)__atomic_or_fetch((p), (v), __ATOMIC_SEQ_CST))
#define atomic_and_64(p, v)	((void)__atomic_and_fetch((p), (v), __ATOMIC_SEQ_CST))
#define atomic_swap_ptr(p, v)	__atomic_exchange_n((p), (v), __ATOMIC_SEQ_CST)
#define atomic_swap_uint(p, v)	__atomic_exchange_n((p), (v), __ATOMIC_SEQ_CST)
#define atomic_swap_64(p, v)	__atomic_exchange_n((p), (v), __ATOMIC_SEQ_CST)

/* Compare and swap: returns the value found at *p (== old on success). */
static inline void *
atomic_cas_ptr(volatile void *p, void *old, void *new)
{
	__atomic_compare_exchange_n((void *volatile *)p, &old, new, false,
	    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	return old;
}

static inline unsigned int
atomic_cas_uint(volatile unsigned int *p, unsigned int old, unsigned int new)
{
	__atomic_compare_exchange_n(p, &old, new, false,
	    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	return old;
}

static inline uint64_t
atomic_cas_64(volatile uint64_t *p, uint64_t old, uint64_t new)
{
	__atomic_compare_exchange_n(p, &old, new, false,
	    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	return old;
}

#define membar_acquire()	__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define membar_release()	__atomic_thread_fence(__ATOMIC_RELEASE)
#define membar_sync()		__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define membar_producer()	__atomic_thread_fence(__ATOMIC_RELEASE)
#define membar_consumer()	__atomic_thread_fence(__ATOMIC_ACQUIRE)

#endif /* _SYS_ATOMIC_H_ */
