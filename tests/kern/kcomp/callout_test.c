/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Kernel side of t_callout: each rump_test_callout_* function runs one
 * case and returns 0, or the source line of the check that failed after
 * printing it on the console.  The test program calls them between
 * rump_schedule() and rump_unschedule().  Every wait has a deadline, so a
 * callout that never fires fails the case instead of hanging it.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/callout.h>
#include <sys/condvar.h>
#include <sys/kmem.h>
#include <sys/mutex.h>
#include <sys/time.h>

#include "kcheck.h"

/* How long a case waits for a callout that should fire soon. */
#define CT_WAIT_NS	(10 * NSEC_PER_SEC)

/* A callout and what its function recorded. */
struct ctest {
	kmutex_t	 ct_lock;
	kcondvar_t	 ct_cv;		/* ct_lock: broadcast on any change */
	callout_t	 ct_callout;
	int		 ct_count;	/* ct_lock: calls of the function */
	int		 ct_limit;	/* fixed: runs of a re-arming callout */
	uint64_t	 ct_fired_ns;	/* ct_lock: mono_ns() at last call */
	int		 ct_started;	/* ct_lock: ct_sleep_fn began */
	int		 ct_finished;	/* ct_lock: ct_sleep_fn slept */
	/* ct_lock: results in ct_halt_self_fn, 1 for true, 2 for false */
	int		 ct_halt1;
	int		 ct_halt2;
	int		 ct_pending;
};

static struct ctest *
ctest_create(void)
{
	struct ctest *ct;

	ct = kmem_zalloc(sizeof(*ct), KM_SLEEP);
	mutex_init(&ct->ct_lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&ct->ct_cv, "ctest");
	callout_init(&ct->ct_callout, CALLOUT_MPSAFE);
	return ct;
}

/* Disarm the callout, wait for its function and free everything. */
static void
ctest_destroy(struct ctest *ct)
{

	callout_halt(&ct->ct_callout, NULL);
	callout_destroy(&ct->ct_callout);
	cv_destroy(&ct->ct_cv);
	mutex_destroy(&ct->ct_lock);
	kmem_free(ct, sizeof(*ct));
}

/*
 * Wait until *field >= want, for at most CT_WAIT_NS.  The caller holds
 * ct_lock.  Returns true when the value was reached.
 */
static bool
ctest_wait_locked(struct ctest *ct, const int *field, int want)
{
	uint64_t deadline;

	deadline = mono_ns() + CT_WAIT_NS;
	while (*field < want) {
		if (cv_timedwait_ns(&ct->ct_cv, &ct->ct_lock, deadline,
		    false) == EWOULDBLOCK && *field < want)
			return false;
	}
	return true;
}

static bool
ctest_wait(struct ctest *ct, const int *field, int want)
{
	bool reached;

	mutex_enter(&ct->ct_lock);
	reached = ctest_wait_locked(ct, field, want);
	mutex_exit(&ct->ct_lock);
	return reached;
}

static int
ctest_get(struct ctest *ct, const int *field)
{
	int value;

	mutex_enter(&ct->ct_lock);
	value = *field;
	mutex_exit(&ct->ct_lock);
	return value;
}

/* Callout functions. */

static void
ct_count_fn(void *arg)
{
	struct ctest *ct = arg;

	mutex_enter(&ct->ct_lock);
	ct->ct_fired_ns = mono_ns();
	ct->ct_count++;
	cv_broadcast(&ct->ct_cv);
	mutex_exit(&ct->ct_lock);
}

/* Re-arm until ct_limit calls, alternating 0 and 1 tick delays. */
static void
ct_rearm_fn(void *arg)
{
	struct ctest *ct = arg;

	mutex_enter(&ct->ct_lock);
	ct->ct_count++;
	if (ct->ct_count < ct->ct_limit)
		callout_schedule(&ct->ct_callout, ct->ct_count % 2);
	cv_broadcast(&ct->ct_cv);
	mutex_exit(&ct->ct_lock);
}

/* Mark ct_started, sleep 200 ms, mark ct_finished, each under ct_lock. */
static void
ct_sleep_fn(void *arg)
{
	struct ctest *ct = arg;

	mutex_enter(&ct->ct_lock);
	ct->ct_started = 1;
	cv_broadcast(&ct->ct_cv);
	mutex_exit(&ct->ct_lock);

	kpause("ctsleep", false, 20, NULL);

	mutex_enter(&ct->ct_lock);
	ct->ct_finished = 1;
	cv_broadcast(&ct->ct_cv);
	mutex_exit(&ct->ct_lock);
}

/* Halt its own callout twice: once as it is, once after re-arming it. */
static void
ct_halt_self_fn(void *arg)
{
	struct ctest *ct = arg;
	bool first, second, pending;

	first = callout_halt(&ct->ct_callout, NULL);
	callout_schedule(&ct->ct_callout, 1000);
	second = callout_halt(&ct->ct_callout, NULL);
	pending = callout_pending(&ct->ct_callout);

	mutex_enter(&ct->ct_lock);
	ct->ct_halt1 = first ? 1 : 2;
	ct->ct_halt2 = second ? 1 : 2;
	ct->ct_pending = pending ? 1 : 2;
	ct->ct_count++;
	cv_broadcast(&ct->ct_cv);
	mutex_exit(&ct->ct_lock);
}

/* Cases. */

int rump_test_callout_fires(void);
int
rump_test_callout_fires(void)
{
	struct ctest *ct = ctest_create();
	callout_t *c = &ct->ct_callout;
	uint64_t armed, delay;
	int error = 0;

	KCHECK(!callout_pending(c) && !callout_active(c));
	armed = mono_ns();
	callout_reset(c, 5, ct_count_fn, ct);
	KCHECK(callout_pending(c));
	KCHECK(callout_active(c));
	KCHECK(!callout_expired(c));

	KCHECK(ctest_wait(ct, &ct->ct_count, 1));
	delay = ct->ct_fired_ns - armed;
	KCHECK_MSG(delay >= 5 * NSEC_PER_TICK, "fired after %llu ns",
	    (unsigned long long)delay);
	KCHECK_MSG(delay < 5 * NSEC_PER_SEC, "fired after %llu ns",
	    (unsigned long long)delay);

	/* Fired: no longer pending, expired and invoking until acked. */
	KCHECK(!callout_pending(c));
	KCHECK(callout_expired(c));
	KCHECK(callout_active(c));
	KCHECK(callout_invoking(c));
	callout_ack(c);
	KCHECK(!callout_invoking(c));

	/* callout_stop reports that it had fired, and clears FIRED. */
	KCHECK(callout_stop(c));
	KCHECK(!callout_expired(c));
	KCHECK(!callout_active(c));
	KCHECK(ctest_get(ct, &ct->ct_count) == 1);
 out:
	ctest_destroy(ct);
	return error;
}

int rump_test_callout_stop(void);
int
rump_test_callout_stop(void)
{
	struct ctest *ct = ctest_create();
	callout_t *c = &ct->ct_callout;
	int error = 0;

	/* Never armed: nothing to stop. */
	KCHECK(!callout_stop(c));

	callout_reset(c, 20, ct_count_fn, ct);
	KCHECK(callout_pending(c));
	KCHECK(!callout_stop(c));
	KCHECK(!callout_pending(c));
	KCHECK(!callout_active(c));

	/* callout_halt disarms a pending callout the same way. */
	callout_reset(c, 20, ct_count_fn, ct);
	KCHECK(!callout_halt(c, NULL));
	KCHECK(!callout_pending(c));

	/* Wait twice the delay: neither may fire. */
	kpause("ctstop", false, 40, NULL);
	KCHECK(ctest_get(ct, &ct->ct_count) == 0);
 out:
	ctest_destroy(ct);
	return error;
}

int rump_test_callout_reset(void);
int
rump_test_callout_reset(void)
{
	struct ctest *ct = ctest_create();
	callout_t *c = &ct->ct_callout;
	int error = 0;

	/* A later reset to a shorter delay replaces the long one. */
	callout_reset(c, 1000, ct_count_fn, ct);
	callout_reset(c, 2, ct_count_fn, ct);
	KCHECK(ctest_wait(ct, &ct->ct_count, 1));
	KCHECK(!callout_pending(c));

	/* And a reset to a longer delay replaces a short one. */
	callout_reset(c, 50, ct_count_fn, ct);
	callout_reset(c, 1000, ct_count_fn, ct);
	kpause("ctreset", false, 100, NULL);
	KCHECK(ctest_get(ct, &ct->ct_count) == 1);
	KCHECK(callout_pending(c));

	/* callout_schedule re-arms with the function set before. */
	callout_schedule(c, 1);
	KCHECK(ctest_wait(ct, &ct->ct_count, 2));
	KCHECK(!callout_pending(c));

	/* So does a function set with callout_setfunc. */
	KCHECK(callout_stop(c));
	callout_setfunc(c, ct_count_fn, ct);
	callout_schedule(c, 0);
	KCHECK(ctest_wait(ct, &ct->ct_count, 3));
 out:
	ctest_destroy(ct);
	return error;
}

int rump_test_callout_rearm(int);
int
rump_test_callout_rearm(int n)
{
	struct ctest *ct = ctest_create();
	callout_t *c = &ct->ct_callout;
	int error = 0, count;

	ct->ct_limit = n;
	callout_reset(c, 1, ct_rearm_fn, ct);
	KCHECK(ctest_wait(ct, &ct->ct_count, n));

	/* The last call did not re-arm: no further calls. */
	kpause("ctrearm", false, 10, NULL);
	count = ctest_get(ct, &ct->ct_count);
	KCHECK_MSG(count == n, "%d calls, expected %d", count, n);
	KCHECK(!callout_pending(c));
 out:
	ctest_destroy(ct);
	return error;
}

int rump_test_callout_halt(void);
int
rump_test_callout_halt(void)
{
	struct ctest *ct = ctest_create();
	callout_t *c = &ct->ct_callout;
	int error = 0;

	callout_reset(c, 0, ct_sleep_fn, ct);
	KCHECK(ctest_wait(ct, &ct->ct_started, 1));

	/* The function sleeps 200 ms, and halt must wait for it. */
	KCHECK(callout_halt(c, NULL));
	KCHECK(ctest_get(ct, &ct->ct_finished) == 1);
	KCHECK(!callout_pending(c));
 out:
	ctest_destroy(ct);
	return error;
}

int rump_test_callout_halt_interlock(void);
int
rump_test_callout_halt_interlock(void)
{
	struct ctest *ct = ctest_create();
	callout_t *c = &ct->ct_callout;
	bool started, expired, owned;
	int error = 0, finished;

	/*
	 * The function needs ct_lock after its sleep, and we hold ct_lock
	 * while we halt: halt must release it while it waits.
	 */
	callout_reset(c, 0, ct_sleep_fn, ct);
	mutex_enter(&ct->ct_lock);
	started = ctest_wait_locked(ct, &ct->ct_started, 1);
	expired = started && callout_halt(c, &ct->ct_lock);
	owned = mutex_owned(&ct->ct_lock);
	finished = ct->ct_finished;
	mutex_exit(&ct->ct_lock);

	KCHECK(started);
	KCHECK(expired);
	KCHECK(owned);
	KCHECK(finished == 1);
 out:
	ctest_destroy(ct);
	return error;
}

int rump_test_callout_halt_self(void);
int
rump_test_callout_halt_self(void)
{
	struct ctest *ct = ctest_create();
	callout_t *c = &ct->ct_callout;
	int error = 0;

	callout_reset(c, 0, ct_halt_self_fn, ct);
	if (!ctest_wait(ct, &ct->ct_count, 1)) {
		/* The clock thread is stuck in our function: keep ct. */
		printf("callout_halt from its own function did not return\n");
		return __LINE__;
	}
	KCHECK(ctest_get(ct, &ct->ct_halt1) == 1);	/* it had fired */
	KCHECK(ctest_get(ct, &ct->ct_halt2) == 2);	/* re-armed since */
	KCHECK(ctest_get(ct, &ct->ct_pending) == 2);	/* and disarmed */
 out:
	ctest_destroy(ct);
	return error;
}

/* A callout whose function destroys and frees it. */
struct ct_selfdestruct {
	callout_t	 sd_callout;
	struct ctest	*sd_ct;
};

static void
ct_selfdestruct_fn(void *arg)
{
	struct ct_selfdestruct *sd = arg;
	struct ctest *ct = sd->sd_ct;

	callout_destroy(&sd->sd_callout);
	kmem_free(sd, sizeof(*sd));
	ct_count_fn(ct);
}

int rump_test_callout_destroy_self(void);
int
rump_test_callout_destroy_self(void)
{
	struct ctest *ct = ctest_create();
	struct ct_selfdestruct *sd;
	int error = 0;

	sd = kmem_zalloc(sizeof(*sd), KM_SLEEP);
	sd->sd_ct = ct;
	callout_init(&sd->sd_callout, 0);
	callout_reset(&sd->sd_callout, 1, ct_selfdestruct_fn, sd);
	KCHECK(ctest_wait(ct, &ct->ct_count, 1));

	/* The clock thread goes on after the function freed its callout. */
	callout_reset(&ct->ct_callout, 1, ct_count_fn, ct);
	KCHECK(ctest_wait(ct, &ct->ct_count, 2));
 out:
	ctest_destroy(ct);
	return error;
}

/* Callouts with random delays, and the order in which they fired. */
struct ct_order {
	callout_t	 co_callout;
	struct ctest	*co_ct;
	int		 co_index;
	uint64_t	 co_when;	/* due time after arming */
	uint64_t	 co_fired;	/* ct_lock: mono_ns() when called */
};

struct ct_order_log {
	struct ctest	 ol_ct;
	int		*ol_order;	/* ct_lock: indexes in firing order */
};

static void
ct_order_fn(void *arg)
{
	struct ct_order *co = arg;
	struct ctest *ct = co->co_ct;
	struct ct_order_log *ol = (struct ct_order_log *)ct;

	mutex_enter(&ct->ct_lock);
	co->co_fired = mono_ns();
	ol->ol_order[ct->ct_count++] = co->co_index;
	cv_broadcast(&ct->ct_cv);
	mutex_exit(&ct->ct_lock);
}

int rump_test_callout_order(int, unsigned);
int
rump_test_callout_order(int n, unsigned seed)
{
	struct ct_order_log *ol;
	struct ct_order *cos, *prev, *cur;
	struct ctest *ct;
	uint32_t rnd = seed;
	int error = 0, i, delay;

	ol = kmem_zalloc(sizeof(*ol), KM_SLEEP);
	ol->ol_order = kmem_zalloc(n * sizeof(int), KM_SLEEP);
	cos = kmem_zalloc(n * sizeof(*cos), KM_SLEEP);
	ct = &ol->ol_ct;
	mutex_init(&ct->ct_lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&ct->ct_cv, "ctorder");

	/* Delays of 1 to 30 ticks from a linear congruential generator. */
	for (i = 0; i < n; i++) {
		rnd = rnd * 1103515245U + 12345U;
		delay = 1 + (rnd >> 16) % 30;
		cos[i].co_ct = ct;
		cos[i].co_index = i;
		callout_init(&cos[i].co_callout, CALLOUT_MPSAFE);
		callout_reset(&cos[i].co_callout, delay, ct_order_fn, &cos[i]);
		cos[i].co_when = cos[i].co_callout.c_when;
	}
	KCHECK(ctest_wait(ct, &ct->ct_count, n));

	/* By due time, and by arming order for the same due time. */
	for (i = 1; i < n; i++) {
		prev = &cos[ol->ol_order[i - 1]];
		cur = &cos[ol->ol_order[i]];
		KCHECK_MSG(prev->co_when < cur->co_when ||
		    (prev->co_when == cur->co_when &&
		    prev->co_index < cur->co_index),
		    "callout %d (due %llu) fired before callout %d (due %llu)",
		    prev->co_index, (unsigned long long)prev->co_when,
		    cur->co_index, (unsigned long long)cur->co_when);
	}
	for (i = 0; i < n; i++)
		KCHECK_MSG(cos[i].co_fired >= cos[i].co_when,
		    "callout %d fired %llu ns early", i,
		    (unsigned long long)(cos[i].co_when - cos[i].co_fired));
 out:
	for (i = 0; i < n; i++) {
		callout_halt(&cos[i].co_callout, NULL);
		callout_destroy(&cos[i].co_callout);
	}
	cv_destroy(&ct->ct_cv);
	mutex_destroy(&ct->ct_lock);
	kmem_free(cos, n * sizeof(*cos));
	kmem_free(ol->ol_order, n * sizeof(int));
	kmem_free(ol, sizeof(*ol));
	return error;
}

/* Booted with RUMP_THREADS=0: callouts can be armed but never fire. */
int rump_test_callout_nothreads(void);
int
rump_test_callout_nothreads(void)
{
	struct ctest *ct = ctest_create();
	callout_t *c = &ct->ct_callout;
	int error = 0;

	callout_reset(c, 1, ct_count_fn, ct);
	kpause("ctnothr", false, 20, NULL);
	KCHECK(ctest_get(ct, &ct->ct_count) == 0);
	KCHECK(callout_pending(c));
	KCHECK(!callout_stop(c));
	KCHECK(!callout_pending(c));
 out:
	ctest_destroy(ct);
	return error;
}

/* Misuse that DIAGNOSTIC kernels catch; these do not return there. */

int rump_test_callout_destroy_pending(void);
int
rump_test_callout_destroy_pending(void)
{
	static callout_t c;

	callout_init(&c, 0);
	callout_reset(&c, 1000, ct_count_fn, NULL);
	callout_destroy(&c);
	return 0;
}

int rump_test_callout_use_destroyed(void);
int
rump_test_callout_use_destroyed(void)
{
	static callout_t c;

	callout_init(&c, 0);
	callout_destroy(&c);
	callout_reset(&c, 1000, ct_count_fn, NULL);
	return 0;
}

/* Non-zero when the kernel was built with DIAGNOSTIC. */
int rump_test_is_diagnostic(void);
int
rump_test_is_diagnostic(void)
{

#ifdef DIAGNOSTIC
	return 1;
#else
	return 0;
#endif
}
