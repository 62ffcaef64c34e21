/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Kernel mutexes.
 *
 * MUTEX_DEFAULT (also MUTEX_DRIVER) mutexes are adaptive: a thread that
 * finds one held gives up its virtual CPU while it waits, so it may be held
 * across sleeps.  MUTEX_SPIN mutexes, or any mutex initialised with an IPL
 * above IPL_NONE, never give up the CPU; hold them briefly and never sleep
 * while holding one.  Every mutex records its owner lwp, which
 * mutex_owned() compares with curlwp.
 *
 * mutex_tryenter returns non-zero when it acquired the mutex.
 */

#ifndef _SYS_MUTEX_H_
#define _SYS_MUTEX_H_

#include <sys/types.h>

typedef enum kmutex_type {
	MUTEX_DEFAULT,
	MUTEX_DRIVER,
	MUTEX_SPIN,
	MUTEX_ADAPTIVE
} kmutex_type_t;

/* Interrupt priority levels; only "none" versus "above none" matters. */
#define IPL_NONE	0
#define IPL_SOFTCLOCK	1
#define IPL_SOFTBIO	2
#define IPL_SOFTNET	3
#define IPL_SOFTSERIAL	4
#define IPL_VM		5
#define IPL_SCHED	6
#define IPL_HIGH	7
typedef int ipl_t;

typedef struct kmutex {
	void	*mtx_impl;		/* hypervisor mutex, fixed at init */
	int	 mtx_spin;		/* non-zero for a spin mutex */
} kmutex_t;

void	mutex_init(kmutex_t *, kmutex_type_t, ipl_t);
void	mutex_destroy(kmutex_t *);
void	mutex_enter(kmutex_t *);
void	mutex_exit(kmutex_t *);
int	mutex_tryenter(kmutex_t *);
int	mutex_owned(const kmutex_t *);
struct lwp *mutex_owner(const kmutex_t *);
void	mutex_spin_enter(kmutex_t *);
void	mutex_spin_exit(kmutex_t *);

/* Reference-counted mutexes that objects can share. */
kmutex_t *mutex_obj_alloc(kmutex_type_t, ipl_t);
void	mutex_obj_hold(kmutex_t *);
bool	mutex_obj_free(kmutex_t *);

#endif /* _SYS_MUTEX_H_ */
