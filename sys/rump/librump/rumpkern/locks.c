/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Kernel mutexes and reader/writer locks on the hypervisor's locks.
 *
 * Adaptive mutexes and rwlocks are hypervisor locks that give up the
 * virtual CPU when they must wait (the hypervisor calls the backend
 * unschedule upcall).  Spin mutexes never give it up.  Every mutex is a
 * RUMPUSER_MTX_KMUTEX, so the hypervisor records the owning lwp.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/rwlock.h>

#include "rump_private.h"

void
mutex_init(kmutex_t *mtx, kmutex_type_t type, ipl_t ipl)
{
	int flags = RUMPUSER_MTX_KMUTEX;

	mtx->mtx_spin = type == MUTEX_SPIN || ipl >= IPL_VM;
	if (mtx->mtx_spin)
		flags |= RUMPUSER_MTX_SPIN;
	rumpuser_mutex_init((struct rumpuser_mtx **)&mtx->mtx_impl, flags);
}

void
mutex_destroy(kmutex_t *mtx)
{

	KASSERT(mutex_owner(mtx) == NULL);
	rumpuser_mutex_destroy(mtx->mtx_impl);
	mtx->mtx_impl = NULL;
}

void
mutex_enter(kmutex_t *mtx)
{

	KASSERTMSG(mtx->mtx_impl != NULL, "mutex %p not initialised", mtx);
	KASSERTMSG(mutex_owner(mtx) != curlwp, "mutex %p: locking against "
	    "myself", mtx);
	rumpuser_mutex_enter(mtx->mtx_impl);
}

void
mutex_spin_enter(kmutex_t *mtx)
{

	KASSERT(mtx->mtx_spin);
	rumpuser_mutex_enter_nowrap(mtx->mtx_impl);
}

int
mutex_tryenter(kmutex_t *mtx)
{

	return rumpuser_mutex_tryenter(mtx->mtx_impl) == 0;
}

void
mutex_exit(kmutex_t *mtx)
{

	KASSERTMSG(mutex_owned(mtx), "mutex %p: exit by non-owner", mtx);
	rumpuser_mutex_exit(mtx->mtx_impl);
}

void
mutex_spin_exit(kmutex_t *mtx)
{

	mutex_exit(mtx);
}

struct lwp *
mutex_owner(const kmutex_t *mtx)
{
	struct lwp *l;

	rumpuser_mutex_owner(mtx->mtx_impl, &l);
	return l;
}

int
mutex_owned(const kmutex_t *mtx)
{

	return mutex_owner(mtx) == curlwp && curlwp != NULL;
}

struct mutex_obj {
	kmutex_t	mo_lock;
	volatile u_int	mo_refcnt;
};

kmutex_t *
mutex_obj_alloc(kmutex_type_t type, ipl_t ipl)
{
	struct mutex_obj *mo;

	mo = kmem_alloc(sizeof(*mo), KM_SLEEP);
	mutex_init(&mo->mo_lock, type, ipl);
	mo->mo_refcnt = 1;
	return &mo->mo_lock;
}

void
mutex_obj_hold(kmutex_t *mtx)
{
	struct mutex_obj *mo = (struct mutex_obj *)mtx;

	atomic_inc_uint(&mo->mo_refcnt);
}

bool
mutex_obj_free(kmutex_t *mtx)
{
	struct mutex_obj *mo = (struct mutex_obj *)mtx;

	if (atomic_dec_uint_nv(&mo->mo_refcnt) > 0)
		return false;
	mutex_destroy(&mo->mo_lock);
	kmem_free(mo, sizeof(*mo));
	return true;
}

void
rw_init(krwlock_t *rw)
{

	rumpuser_rw_init((struct rumpuser_rw **)&rw->rw_impl);
}

void
rw_destroy(krwlock_t *rw)
{

	KASSERT(!rw_lock_held(rw));
	rumpuser_rw_destroy(rw->rw_impl);
	rw->rw_impl = NULL;
}

void
rw_enter(krwlock_t *rw, krw_t op)
{

	KASSERTMSG(op != RW_WRITER || !rw_write_held(rw),
	    "rwlock %p: locking against myself", rw);
	rumpuser_rw_enter(op == RW_WRITER ? RUMPUSER_RW_WRITER :
	    RUMPUSER_RW_READER, rw->rw_impl);
}

int
rw_tryenter(krwlock_t *rw, krw_t op)
{

	return rumpuser_rw_tryenter(op == RW_WRITER ? RUMPUSER_RW_WRITER :
	    RUMPUSER_RW_READER, rw->rw_impl) == 0;
}

void
rw_exit(krwlock_t *rw)
{

	KASSERT(rw_lock_held(rw));
	rumpuser_rw_exit(rw->rw_impl);
}

int
rw_tryupgrade(krwlock_t *rw)
{

	KASSERT(rw_read_held(rw));
	return rumpuser_rw_tryupgrade(rw->rw_impl) == 0;
}

void
rw_downgrade(krwlock_t *rw)
{

	KASSERT(rw_write_held(rw));
	rumpuser_rw_downgrade(rw->rw_impl);
}

int
rw_write_held(krwlock_t *rw)
{
	int held;

	rumpuser_rw_held(RUMPUSER_RW_WRITER, rw->rw_impl, &held);
	return held;
}

int
rw_read_held(krwlock_t *rw)
{
	int held;

	rumpuser_rw_held(RUMPUSER_RW_READER, rw->rw_impl, &held);
	return held;
}

int
rw_lock_held(krwlock_t *rw)
{

	return rw_write_held(rw) || rw_read_held(rw);
}
