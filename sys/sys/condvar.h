/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Condition variables.
 *
 * A condition variable is a queue of sleeping lwps protected by the
 * interlock mutex that every waiter passes in.  The interlock must be held
 * to wait, to signal and to broadcast, and must be the same mutex for all
 * waiters at any one time.  Waiting releases the interlock atomically and
 * takes it back before returning.
 *
 * Return values: 0 when woken by cv_signal or cv_broadcast (or
 * spuriously; callers re-check their condition in a loop), EWOULDBLOCK when
 * the timeout passed, EINTR when the _sig variants were interrupted by a
 * signal posted to the process.  Timeouts are in clock ticks (HZ per
 * second); 0 means no timeout.  cv_timedwait_ns takes a deadline on the
 * monotonic clock in nanoseconds.
 */

#ifndef _SYS_CONDVAR_H_
#define _SYS_CONDVAR_H_

#include <sys/types.h>
#include <sys/queue.h>

struct lwp;
struct kmutex;

typedef struct kcondvar {
	TAILQ_HEAD(, lwp) cv_sleepq;	/* interlock: waiting lwps */
	const char	*cv_wmesg;	/* fixed at init */
} kcondvar_t;

void	cv_init(kcondvar_t *, const char *);
void	cv_destroy(kcondvar_t *);
void	cv_wait(kcondvar_t *, struct kmutex *);
int	cv_wait_sig(kcondvar_t *, struct kmutex *);
int	cv_timedwait(kcondvar_t *, struct kmutex *, int);
int	cv_timedwait_sig(kcondvar_t *, struct kmutex *, int);
int	cv_timedwait_ns(kcondvar_t *, struct kmutex *, uint64_t, bool);
void	cv_signal(kcondvar_t *);
void	cv_broadcast(kcondvar_t *);
bool	cv_has_waiters(kcondvar_t *);

/*
 * Sleep without a condition: kpause returns after the timeout (0 means
 * no timeout and requires intr), EINTR when interrupted.  When mtx is not
 * NULL it is released for the sleep and taken back.
 */
int	kpause(const char *, bool, int, struct kmutex *);

#endif /* _SYS_CONDVAR_H_ */
