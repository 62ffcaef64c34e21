/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Callouts: functions called once after a delay, from the clock thread.
 *
 * Theory of operation
 *
 * The kernel has no periodic clock interrupt.  Every armed callout is on
 * one queue, callout_queue, sorted by its due time c_when, in ns of the
 * host's monotonic clock.  Callouts due at the same time keep the order in
 * which they were armed.  A single kernel thread, the clock thread, sleeps
 * on callout_clock_cv until the due time of the first callout on the
 * queue.
 * Arming a callout that becomes the new first entry wakes it early, and so
 * does callout_shutdown.  When it wakes, the thread takes due callouts off
 * the queue one at a time and calls each function with callout_lock
 * released, so a function may sleep, take locks and arm callouts, its own
 * included.  A function that sleeps delays every callout due after it.
 *
 * States of a callout, as bits of c_flags (all under callout_lock):
 *
 *	PENDING		on the queue.  Set by callout_reset/_schedule, cleared
 *			by callout_stop/_halt and when the clock thread takes
 *			the callout off the queue to run it.
 *	FIRED		the function was started since the callout was last
 *			armed.  Set when it is taken off the queue to run,
 *			cleared when it is armed or stopped.
 *	INVOKING	the function was started and nobody has called
 *			callout_ack since.  Lets a function that takes an
 *			interlock find out, with callout_pending and
 *			callout_expired, whether it was stopped or re-armed
 *			while it waited for that lock.
 *	RUNNING		the function is running now.  Set with FIRED and
 *			cleared when the function returns.
 *
 * Only the clock thread runs functions, so at most one callout is running
 * at a time: callout_current.  callout_halt waits on callout_done_cv until
 * callout_current is no longer the callout it halts, unless the caller is
 * the clock thread itself, that is, the function halting its own callout.
 * While a halt waits, callout_halting tells the clock thread to disarm the
 * callout again if its function re-armed it, so the halt cannot be
 * overtaken by a new run.  A function may destroy its own callout: the
 * destroy clears callout_current so the clock thread does not touch the
 * callout's memory after the function returns.
 *
 * Callouts run only when kernel threads are enabled.  Booted with
 * RUMP_THREADS=0, the kernel has no clock thread: callouts can be armed,
 * stopped and halted, but never fire.
 *
 * Lock order: an interlock passed to callout_halt, then callout_lock.
 * callout_lock is a spin mutex, so nothing that may sleep is called while
 * it is held, except the condition variable waits, which release it.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/callout.h>
#include <sys/condvar.h>
#include <sys/kthread.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/time.h>

/* c_magic of an initialised callout, and of a destroyed one. */
#define CALLOUT_MAGIC		0x63616c6cU
#define CALLOUT_MAGIC_DEAD	0x64656164U

#define CALLOUT_CHECK(c)						\
	KASSERTMSG((c)->c_magic == CALLOUT_MAGIC,			\
	    "callout %p is not initialised or was destroyed "		\
	    "(magic %#x)", (c), (c)->c_magic)

static kmutex_t callout_lock;
static TAILQ_HEAD(, callout) callout_queue;	/* callout_lock: by c_when */
static kcondvar_t callout_clock_cv;	/* callout_lock: clock thread sleeps */
static kcondvar_t callout_done_cv;	/* callout_lock: callout_halt sleeps */
static callout_t *callout_current;	/* callout_lock: function running */
static bool	 callout_halting;	/* callout_lock: a halt waits for it */
static u_int	 callout_nwaiters;	/* callout_lock: threads in halt */
static bool	 callout_exiting;	/* callout_lock: shutdown requested */
static struct lwp *callout_thread_lwp;	/* callout_lock: the clock thread */
static struct lwp *callout_join_lwp;	/* boot and halt only: for the join */

void
callout_startup(void)
{

	mutex_init(&callout_lock, MUTEX_SPIN, IPL_SCHED);
	TAILQ_INIT(&callout_queue);
	cv_init(&callout_clock_cv, "callout");
	cv_init(&callout_done_cv, "callhalt");
}

void
callout_init(callout_t *c, u_int flags)
{

	KASSERTMSG((flags & ~CALLOUT_MPSAFE) == 0,
	    "callout_init: unknown flags %#x", flags);
	memset(c, 0, sizeof(*c));
	c->c_flags = flags;
	c->c_magic = CALLOUT_MAGIC;
}

/*
 * Destroy a callout.  It must not be pending, and its function must not be
 * running unless the caller is that function.
 */
void
callout_destroy(callout_t *c)
{

	CALLOUT_CHECK(c);
	mutex_spin_enter(&callout_lock);
	KASSERTMSG((c->c_flags & CALLOUT_PENDING) == 0,
	    "callout_destroy: callout %p is pending", c);
	if (callout_current == c) {
		KASSERTMSG(curlwp == callout_thread_lwp,
		    "callout_destroy: callout %p is running", c);
		callout_current = NULL;
	}
	c->c_magic = CALLOUT_MAGIC_DEAD;
	mutex_spin_exit(&callout_lock);
}

void
callout_setfunc(callout_t *c, void (*func)(void *), void *arg)
{

	CALLOUT_CHECK(c);
	KASSERT(func != NULL);
	mutex_spin_enter(&callout_lock);
	c->c_func = func;
	c->c_arg = arg;
	mutex_spin_exit(&callout_lock);
}

/*
 * Arm c to fire ticks clock ticks from now, or as soon as possible when
 * ticks <= 0, replacing any earlier due time.  The caller holds
 * callout_lock.
 */
static void
callout_schedule_locked(callout_t *c, int ticks)
{
	callout_t *next;
	uint64_t when;

	KASSERT(mutex_owned(&callout_lock));
	KASSERTMSG(c->c_func != NULL, "callout %p armed without a function", c);

	when = mono_ns();
	if (ticks > 0)
		when += (uint64_t)ticks * NSEC_PER_TICK;

	if (c->c_flags & CALLOUT_PENDING)
		TAILQ_REMOVE(&callout_queue, c, c_entry);
	c->c_when = when;
	c->c_flags = (c->c_flags & ~CALLOUT_FIRED) | CALLOUT_PENDING;

	/*
	 * Insert before the first callout due later, so callouts due at the
	 * same time fire in the order they were armed.
	 * NOTE: this walk is linear in the number of armed callouts.
	 */
	TAILQ_FOREACH(next, &callout_queue, c_entry) {
		if (next->c_when > when)
			break;
	}
	if (next != NULL)
		TAILQ_INSERT_BEFORE(next, c, c_entry);
	else
		TAILQ_INSERT_TAIL(&callout_queue, c, c_entry);

	/* The clock thread sleeps until the old first entry was due. */
	if (TAILQ_FIRST(&callout_queue) == c)
		cv_signal(&callout_clock_cv);
}

void
callout_reset(callout_t *c, int ticks, void (*func)(void *), void *arg)
{

	CALLOUT_CHECK(c);
	KASSERT(func != NULL);
	mutex_spin_enter(&callout_lock);
	c->c_func = func;
	c->c_arg = arg;
	callout_schedule_locked(c, ticks);
	mutex_spin_exit(&callout_lock);
}

void
callout_schedule(callout_t *c, int ticks)
{

	CALLOUT_CHECK(c);
	mutex_spin_enter(&callout_lock);
	callout_schedule_locked(c, ticks);
	mutex_spin_exit(&callout_lock);
}

/*
 * Disarm c.  Returns true when its function was started since c was last
 * armed.  The caller holds callout_lock.
 */
static bool
callout_stop_locked(callout_t *c)
{
	bool expired;

	KASSERT(mutex_owned(&callout_lock));

	expired = (c->c_flags & CALLOUT_FIRED) != 0;
	if (c->c_flags & CALLOUT_PENDING)
		TAILQ_REMOVE(&callout_queue, c, c_entry);
	c->c_flags &= ~(CALLOUT_PENDING | CALLOUT_FIRED);
	return expired;
}

bool
callout_stop(callout_t *c)
{
	bool expired;

	CALLOUT_CHECK(c);
	mutex_spin_enter(&callout_lock);
	expired = callout_stop_locked(c);
	mutex_spin_exit(&callout_lock);
	return expired;
}

/*
 * Disarm c and wait until its function is no longer running, unless the
 * caller is that function.  When interlock is not NULL the caller holds
 * it, and it is released while waiting and held again on return.  Returns
 * true when the function was started since c was last armed.
 */
bool
callout_halt(callout_t *c, struct kmutex *interlock)
{
	bool expired;

	CALLOUT_CHECK(c);
	KASSERT(interlock == NULL || mutex_owned(interlock));

	mutex_spin_enter(&callout_lock);
	expired = callout_stop_locked(c);
	while (callout_current == c && curlwp != callout_thread_lwp) {
		callout_halting = true;
		callout_nwaiters++;
		if (interlock != NULL)
			mutex_exit(interlock);
		cv_wait(&callout_done_cv, &callout_lock);
		callout_nwaiters--;

		/* Take the locks again in their order. */
		if (interlock != NULL) {
			mutex_spin_exit(&callout_lock);
			mutex_enter(interlock);
			mutex_spin_enter(&callout_lock);
		}

		/* Another thread may have armed it while we waited. */
		(void)callout_stop_locked(c);
	}
	mutex_spin_exit(&callout_lock);
	return expired;
}

bool
callout_pending(callout_t *c)
{
	bool pending;

	CALLOUT_CHECK(c);
	mutex_spin_enter(&callout_lock);
	pending = (c->c_flags & CALLOUT_PENDING) != 0;
	mutex_spin_exit(&callout_lock);
	return pending;
}

bool
callout_expired(callout_t *c)
{
	bool expired;

	CALLOUT_CHECK(c);
	mutex_spin_enter(&callout_lock);
	expired = (c->c_flags & CALLOUT_FIRED) != 0;
	mutex_spin_exit(&callout_lock);
	return expired;
}

/* True when the callout is armed or has fired since it was last armed. */
bool
callout_active(callout_t *c)
{
	bool active;

	CALLOUT_CHECK(c);
	mutex_spin_enter(&callout_lock);
	active = (c->c_flags & (CALLOUT_PENDING | CALLOUT_FIRED)) != 0;
	mutex_spin_exit(&callout_lock);
	return active;
}

bool
callout_invoking(callout_t *c)
{
	bool invoking;

	CALLOUT_CHECK(c);
	mutex_spin_enter(&callout_lock);
	invoking = (c->c_flags & CALLOUT_INVOKING) != 0;
	mutex_spin_exit(&callout_lock);
	return invoking;
}

void
callout_ack(callout_t *c)
{

	CALLOUT_CHECK(c);
	mutex_spin_enter(&callout_lock);
	c->c_flags &= ~CALLOUT_INVOKING;
	mutex_spin_exit(&callout_lock);
}

/*
 * Take the due callout c off the queue and call its function with
 * callout_lock released.  Called by the clock thread with callout_lock
 * held; returns with it held.
 */
static void
callout_run_locked(callout_t *c)
{
	void (*func)(void *);
	void *arg;

	KASSERT(mutex_owned(&callout_lock));

	TAILQ_REMOVE(&callout_queue, c, c_entry);
	c->c_flags &= ~CALLOUT_PENDING;
	c->c_flags |= CALLOUT_FIRED | CALLOUT_INVOKING | CALLOUT_RUNNING;
	func = c->c_func;
	arg = c->c_arg;
	callout_current = c;
	callout_halting = false;
	mutex_spin_exit(&callout_lock);

	(*func)(arg);

	mutex_spin_enter(&callout_lock);

	/* A NULL callout_current means the function destroyed c. */
	if (callout_current == c) {
		c->c_flags &= ~CALLOUT_RUNNING;
		if (callout_halting)
			(void)callout_stop_locked(c);
	}
	callout_current = NULL;
	callout_halting = false;
	if (callout_nwaiters > 0)
		cv_broadcast(&callout_done_cv);
}

/*
 * The clock thread: sleep until the first callout is due, run every due
 * callout, repeat until callout_shutdown.
 */
static void
callout_thread(void *arg)
{
	callout_t *c;

	mutex_spin_enter(&callout_lock);
	callout_thread_lwp = curlwp;
	while (!callout_exiting) {
		c = TAILQ_FIRST(&callout_queue);
		if (c == NULL) {
			cv_wait(&callout_clock_cv, &callout_lock);
			continue;
		}
		if (c->c_when > mono_ns()) {
			(void)cv_timedwait_ns(&callout_clock_cv, &callout_lock,
			    c->c_when, false);
			continue;
		}
		callout_run_locked(c);
	}
	callout_thread_lwp = NULL;
	mutex_spin_exit(&callout_lock);
	kthread_exit(0);
}

void
callout_startthread(void)
{
	int error;

	KASSERT(callout_join_lwp == NULL);
	if (!kthreads_enabled)
		return;

	error = kthread_create(PRI_NONE, KTHREAD_MPSAFE | KTHREAD_MUSTJOIN,
	    NULL, callout_thread, NULL, &callout_join_lwp, "clock");
	if (error != 0)
		panic("callout_startthread: creating the clock thread failed: "
		    "error %d", error);
}

void
callout_shutdown(void)
{

	if (callout_join_lwp == NULL)
		return;

	mutex_spin_enter(&callout_lock);
	callout_exiting = true;
	cv_signal(&callout_clock_cv);
	mutex_spin_exit(&callout_lock);

	kthread_join(callout_join_lwp);
	callout_join_lwp = NULL;
}
