/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Counting semaphores on a kernel mutex and condition variable.  sem_count
 * is never negative, and waiters sleep on sem_cv until it is positive.  Each
 * sema_v wakes one waiter, and a waiter that finds the count taken by
 * another thread goes back to sleep.  A waiter whose sleep ends by timeout
 * or signal still takes a count that is there, so the wakeup of a sema_v
 * is never lost.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/condvar.h>
#include <sys/mutex.h>
#include <sys/sema.h>
#include <sys/time.h>

void
sema_init(ksema_t *sem, int count, const char *name)
{

	KASSERTMSG(count >= 0, "sema_init: %s: negative count %d", name, count);
	mutex_init(&sem->sem_lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&sem->sem_cv, name);
	sem->sem_count = count;
}

/* Destroy a semaphore, which must have no waiters. */
void
sema_destroy(ksema_t *sem)
{

	KASSERTMSG(!cv_has_waiters(&sem->sem_cv),
	    "sema_destroy: semaphore %p has waiters", sem);
	cv_destroy(&sem->sem_cv);
	mutex_destroy(&sem->sem_lock);
}

void
sema_p(ksema_t *sem)
{

	mutex_enter(&sem->sem_lock);
	while (sem->sem_count == 0)
		cv_wait(&sem->sem_cv, &sem->sem_lock);
	sem->sem_count--;
	mutex_exit(&sem->sem_lock);
}

/*
 * Like sema_p, but a signal posted to the caller's process ends the wait:
 * returns 0 when the count was taken, EINTR otherwise.
 */
int
sema_p_sig(ksema_t *sem)
{
	int error;

	error = 0;
	mutex_enter(&sem->sem_lock);
	while (sem->sem_count == 0) {
		if (cv_wait_sig(&sem->sem_cv, &sem->sem_lock) != 0 &&
		    sem->sem_count == 0) {
			error = EINTR;
			break;
		}
	}
	if (error == 0)
		sem->sem_count--;
	mutex_exit(&sem->sem_lock);
	return error;
}

/*
 * Like sema_p, but give up after timo clock ticks: returns 0 when the
 * count was taken, EWOULDBLOCK when the timeout passed first.  A timo of
 * 0 means no timeout, as for cv_timedwait.
 */
int
sema_timedp(ksema_t *sem, int timo)
{
	uint64_t deadline;
	int error;

	KASSERTMSG(timo >= 0, "sema_timedp: negative timeout %d", timo);
	if (timo == 0) {
		sema_p(sem);
		return 0;
	}

	/* One deadline for the whole wait, however often we wake. */
	deadline = mono_ns() + (uint64_t)timo * NSEC_PER_TICK;
	error = 0;
	mutex_enter(&sem->sem_lock);
	while (sem->sem_count == 0) {
		if (cv_timedwait_ns(&sem->sem_cv, &sem->sem_lock, deadline,
		    false) == EWOULDBLOCK && sem->sem_count == 0) {
			error = EWOULDBLOCK;
			break;
		}
	}
	if (error == 0)
		sem->sem_count--;
	mutex_exit(&sem->sem_lock);
	return error;
}

/* Take a count without waiting: returns 1 on success, 0 if there is none. */
int
sema_tryp(ksema_t *sem)
{
	int taken;

	mutex_enter(&sem->sem_lock);
	taken = sem->sem_count > 0;
	if (taken)
		sem->sem_count--;
	mutex_exit(&sem->sem_lock);
	return taken;
}

void
sema_v(ksema_t *sem)
{

	mutex_enter(&sem->sem_lock);
	sem->sem_count++;
	cv_signal(&sem->sem_cv);
	mutex_exit(&sem->sem_lock);
}
