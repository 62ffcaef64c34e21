/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Pools of fixed-size objects.
 *
 * A pool cache keeps freed objects in their constructed state: the
 * constructor runs when an object is first made and the destructor when
 * the cache gives the memory back, not at every get and put.  Free objects
 * are kept in per-CPU lists first and in a shared list after that; the
 * memory of idle objects returns to the system when the kernel is short of
 * memory or when the cache is destroyed.  PR_WAITOK gets fail only when
 * the constructor fails; PR_NOWAIT gets also return NULL when memory is
 * short.  PR_ZERO clears the object just before it is returned, which
 * undoes the constructor's work, so it suits caches without one.
 */

#ifndef _SYS_POOL_H_
#define _SYS_POOL_H_

#include <sys/types.h>

#define PR_WAITOK	0x01
#define PR_NOWAIT	0x02
#define PR_ZERO		0x04

typedef struct pool_cache *pool_cache_t;

pool_cache_t pool_cache_init(size_t, u_int, u_int, u_int, const char *,
	    void *, int, int (*)(void *, void *, int), void (*)(void *, void *),
	    void *);
void	pool_cache_destroy(pool_cache_t);
void	*pool_cache_get(pool_cache_t, int);
void	pool_cache_put(pool_cache_t, void *);
/* Give the memory of idle objects back; returns the bytes freed. */
size_t	pool_cache_reclaim(pool_cache_t);

/* Statistics. */
u_int	pool_cache_nget(pool_cache_t);
u_int	pool_cache_nidle(pool_cache_t);

/*
 * Set up the list of pool caches and register their memory reclaimer with
 * kmem.  Called once at boot, after kmem and before any pool_cache_init.
 */
void	pool_init_subsystem(void);

#endif /* _SYS_POOL_H_ */
