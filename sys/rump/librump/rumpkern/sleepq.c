/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Sleeping: condition variables and kpause.
 *
 * Theory of operation.  A kernel condition variable is a queue of lwps
 * (cv_sleepq) protected by the interlock mutex its users hold.  Each lwp
 * owns a hypervisor mutex and condition variable (l_sleeplock and
 * l_sleepcv) on which it alone ever blocks.  A sleeping lwp is described
 * by three fields under l_sleeplock:
 *
 *	l_wakeup	LWAKE_NONE while nobody has woken it, then the reason
 *	l_sleepintr	true when a posted signal may end the sleep
 *	l_wchan		the condvar it is queued on (under the interlock)
 *
 * To sleep, an lwp queues itself on the condvar, publishes l_wakeup =
 * LWAKE_NONE under l_sleeplock, releases the interlock and blocks on
 * l_sleepcv until l_wakeup changes, a signal is pending (interruptible
 * sleeps only) or the deadline passes.  The blocking hypercall gives the
 * virtual CPU up while it waits.  Afterwards the lwp takes the interlock
 * back and removes itself from the queue if a waker has not already.
 *
 * cv_signal removes the first lwp from the queue and sets its l_wakeup
 * under its l_sleeplock.  An lwp already woken by a timeout or a signal
 * is skipped, so a cv_signal is never spent on a sleeper that is leaving
 * anyway.  psignal sets the pending bit before it takes l_sleeplock, and
 * the sleeper checks the pending bits under l_sleeplock before it blocks:
 * one of the two always sees the other.
 *
 * Lock order: interlock, then l_sleeplock.  l_sleeplock is a spin mutex
 * and a leaf.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/condvar.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/time.h>

#include "rump_private.h"

/* l_wakeup value for an expired deadline; the others are in lwp.h. */
#define LWAKE_TIMEOUT	3

void
cv_init(kcondvar_t *cv, const char *wmesg)
{

	TAILQ_INIT(&cv->cv_sleepq);
	cv->cv_wmesg = wmesg;
}

void
cv_destroy(kcondvar_t *cv)
{

	KASSERTMSG(TAILQ_EMPTY(&cv->cv_sleepq),
	    "condvar %s destroyed with waiters", cv->cv_wmesg);
}

/*
 * Block the calling lwp until woken, interrupted (when intr) or past the
 * deadline (monotonic ns, 0 for none).  The caller holds l_sleeplock,
 * has set l_wakeup to LWAKE_NONE and holds a CPU; returns with
 * l_sleeplock held and the reason in l_wakeup.
 */
static void
sleep_block(struct lwp *l, uint64_t deadline, bool intr)
{
	uint64_t now, left;

	while (l->l_wakeup == LWAKE_NONE) {
		if (intr && lwp_pending_signal(l)) {
			l->l_wakeup = LWAKE_INTR;
			break;
		}
		if (deadline == 0) {
			rumpuser_cv_wait(l->l_sleepcv, l->l_sleeplock);
			continue;
		}
		now = mono_ns();
		if (now >= deadline) {
			l->l_wakeup = LWAKE_TIMEOUT;
			break;
		}
		left = deadline - now;
		(void)rumpuser_cv_timedwait(l->l_sleepcv, l->l_sleeplock,
		    (int64_t)(left / NSEC_PER_SEC),
		    (int64_t)(left % NSEC_PER_SEC));
	}
}

static int
wakeup_error(int why)
{

	switch (why) {
	case LWAKE_SIGNAL:
		return 0;
	case LWAKE_INTR:
		return EINTR;
	default:
		return EWOULDBLOCK;
	}
}

static int
cv_sleep(kcondvar_t *cv, kmutex_t *mtx, uint64_t deadline, bool intr)
{
	struct lwp *l = curlwp;
	int why;

	KASSERTMSG(mutex_owned(mtx), "condvar %s: interlock not held",
	    cv->cv_wmesg);
	if (intr && lwp_pending_signal(l))
		return EINTR;

	TAILQ_INSERT_TAIL(&cv->cv_sleepq, l, l_sleepchain);
	l->l_wchan = cv;
	rumpuser_mutex_enter_nowrap(l->l_sleeplock);
	l->l_wakeup = LWAKE_NONE;
	l->l_sleepintr = intr;
	mutex_exit(mtx);

	sleep_block(l, deadline, intr);
	why = l->l_wakeup;	/* stays set: lwp_wake skips a leaving lwp */
	l->l_sleepintr = false;
	rumpuser_mutex_exit(l->l_sleeplock);

	mutex_enter(mtx);
	if (l->l_wchan == cv) {
		TAILQ_REMOVE(&cv->cv_sleepq, l, l_sleepchain);
		l->l_wchan = NULL;
	}
	return wakeup_error(why);
}

static uint64_t
ticks_deadline(int ticks)
{

	if (ticks <= 0)
		return 0;
	return mono_ns() + (uint64_t)ticks * NSEC_PER_TICK;
}

void
cv_wait(kcondvar_t *cv, kmutex_t *mtx)
{

	(void)cv_sleep(cv, mtx, 0, false);
}

int
cv_wait_sig(kcondvar_t *cv, kmutex_t *mtx)
{

	return cv_sleep(cv, mtx, 0, true);
}

int
cv_timedwait(kcondvar_t *cv, kmutex_t *mtx, int ticks)
{

	return cv_sleep(cv, mtx, ticks_deadline(ticks), false);
}

int
cv_timedwait_sig(kcondvar_t *cv, kmutex_t *mtx, int ticks)
{

	return cv_sleep(cv, mtx, ticks_deadline(ticks), true);
}

int
cv_timedwait_ns(kcondvar_t *cv, kmutex_t *mtx, uint64_t deadline, bool intr)
{

	if (deadline == 0)
		deadline = 1;	/* already past, not "forever" */
	return cv_sleep(cv, mtx, deadline, intr);
}

/* Wake l if it still sleeps; returns false when it was woken already. */
static bool
lwp_wake(struct lwp *l, int why)
{
	bool woke = false;

	rumpuser_mutex_enter_nowrap(l->l_sleeplock);
	if (l->l_wakeup == LWAKE_NONE) {
		l->l_wakeup = why;
		rumpuser_cv_signal(l->l_sleepcv);
		woke = true;
	}
	rumpuser_mutex_exit(l->l_sleeplock);
	return woke;
}

void
cv_signal(kcondvar_t *cv)
{
	struct lwp *l;

	while ((l = TAILQ_FIRST(&cv->cv_sleepq)) != NULL) {
		KASSERT(l->l_wchan == cv);
		TAILQ_REMOVE(&cv->cv_sleepq, l, l_sleepchain);
		l->l_wchan = NULL;
		if (lwp_wake(l, LWAKE_SIGNAL))
			break;
	}
}

void
cv_broadcast(kcondvar_t *cv)
{
	struct lwp *l;

	while ((l = TAILQ_FIRST(&cv->cv_sleepq)) != NULL) {
		TAILQ_REMOVE(&cv->cv_sleepq, l, l_sleepchain);
		l->l_wchan = NULL;
		(void)lwp_wake(l, LWAKE_SIGNAL);
	}
}

bool
cv_has_waiters(kcondvar_t *cv)
{

	return !TAILQ_EMPTY(&cv->cv_sleepq);
}

/*
 * Interrupt l if it sleeps interruptibly.  Called by psignal after the
 * signal was made pending; any context that holds a CPU.  The sleeper
 * itself takes the pending signal (sleep_block), so that one signal ends
 * exactly one sleep.
 */
void
lwp_signal_wakeup(struct lwp *l)
{

	rumpuser_mutex_enter_nowrap(l->l_sleeplock);
	if (l->l_sleepintr && l->l_wakeup == LWAKE_NONE)
		rumpuser_cv_signal(l->l_sleepcv);
	rumpuser_mutex_exit(l->l_sleeplock);
}

int
kpause(const char *wmesg, bool intr, int ticks, kmutex_t *mtx)
{
	struct lwp *l = curlwp;
	int why;

	if (ticks <= 0 && !intr)
		panic("kpause %s: no timeout and not interruptible", wmesg);
	if (intr && lwp_pending_signal(l))
		return EINTR;
	if (mtx != NULL)
		mutex_exit(mtx);

	rumpuser_mutex_enter_nowrap(l->l_sleeplock);
	l->l_wakeup = LWAKE_NONE;
	l->l_sleepintr = intr;
	sleep_block(l, ticks_deadline(ticks), intr);
	why = l->l_wakeup;	/* stays set: lwp_wake skips a leaving lwp */
	l->l_sleepintr = false;
	rumpuser_mutex_exit(l->l_sleeplock);

	if (mtx != NULL)
		mutex_enter(mtx);
	return why == LWAKE_INTR ? EINTR : (why == LWAKE_TIMEOUT ?
	    EWOULDBLOCK : 0);
}
