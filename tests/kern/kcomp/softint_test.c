/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Kernel side of t_softint: each rump_test_softint_* function runs one
 * case and returns 0, or the source line of the check that failed after
 * printing it on the console.  The test program calls them between
 * rump_schedule() and rump_unschedule().  Every wait has a deadline.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/condvar.h>
#include <sys/intr.h>
#include <sys/kmem.h>
#include <sys/mutex.h>
#include <sys/time.h>

#include "kcheck.h"

#define ST_WAIT_NS	(10 * NSEC_PER_SEC)
#define ST_MAXORDER	16

/* Shared state of the handlers of one case. */
struct stest {
	kmutex_t	 st_lock;
	kcondvar_t	 st_cv;		/* st_lock: broadcast on any change */
	int		 st_gate;	/* st_lock: gated handlers may go on */
	int		 st_order[ST_MAXORDER];	/* st_lock: tags as they ran */
	int		 st_norder;	/* st_lock */
	int		 st_depth;	/* st_lock: nested handler calls */
	int		 st_maxdepth;	/* st_lock */
};

/* One softint handle with its own counters. */
struct shandler {
	struct stest	*sh_st;
	void		*sh_cookie;	/* from softint_establish */
	int		 sh_tag;	/* recorded in st_order */
	int		 sh_count;	/* st_lock: calls */
	int		 sh_started;	/* st_lock: calls begun */
	int		 sh_finished;	/* st_lock: calls ended */
	int		 sh_limit;	/* fixed: self-scheduling calls */
};

static struct stest *
stest_create(void)
{
	struct stest *st;

	st = kmem_zalloc(sizeof(*st), KM_SLEEP);
	mutex_init(&st->st_lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&st->st_cv, "stest");
	return st;
}

static void
stest_destroy(struct stest *st)
{

	cv_destroy(&st->st_cv);
	mutex_destroy(&st->st_lock);
	kmem_free(st, sizeof(*st));
}

static void
shandler_init(struct shandler *sh, struct stest *st, u_int level,
    void (*func)(void *), int tag)
{

	memset(sh, 0, sizeof(*sh));
	sh->sh_st = st;
	sh->sh_tag = tag;
	sh->sh_cookie = softint_establish(level | SOFTINT_MPSAFE, func, sh);
}

static void
shandler_fini(struct shandler *sh)
{

	if (sh->sh_cookie != NULL)
		softint_disestablish(sh->sh_cookie);
	sh->sh_cookie = NULL;
}

/* Wait until *field >= want, for at most ST_WAIT_NS. */
static bool
stest_wait(struct stest *st, const int *field, int want)
{
	uint64_t deadline;
	bool reached = true;

	deadline = mono_ns() + ST_WAIT_NS;
	mutex_enter(&st->st_lock);
	while (*field < want) {
		if (cv_timedwait_ns(&st->st_cv, &st->st_lock, deadline,
		    false) == EWOULDBLOCK && *field < want) {
			reached = false;
			break;
		}
	}
	mutex_exit(&st->st_lock);
	return reached;
}

static int
stest_get(struct stest *st, const int *field)
{
	int value;

	mutex_enter(&st->st_lock);
	value = *field;
	mutex_exit(&st->st_lock);
	return value;
}

static void
stest_open_gate(struct stest *st)
{

	mutex_enter(&st->st_lock);
	st->st_gate = 1;
	cv_broadcast(&st->st_cv);
	mutex_exit(&st->st_lock);
}

/* Handlers. */

/* Count the call and record its tag in st_order. */
static void
sh_count_fn(void *arg)
{
	struct shandler *sh = arg;
	struct stest *st = sh->sh_st;

	mutex_enter(&st->st_lock);
	sh->sh_count++;
	if (st->st_norder < ST_MAXORDER)
		st->st_order[st->st_norder++] = sh->sh_tag;
	cv_broadcast(&st->st_cv);
	mutex_exit(&st->st_lock);
}

/* Wait, for at most ST_WAIT_NS, until the test opens the gate. */
static void
sh_gate_fn(void *arg)
{
	struct shandler *sh = arg;
	struct stest *st = sh->sh_st;
	uint64_t deadline;

	deadline = mono_ns() + ST_WAIT_NS;
	mutex_enter(&st->st_lock);
	sh->sh_started++;
	cv_broadcast(&st->st_cv);
	while (!st->st_gate) {
		if (cv_timedwait_ns(&st->st_cv, &st->st_lock, deadline,
		    false) == EWOULDBLOCK)
			break;
	}
	sh->sh_count++;
	cv_broadcast(&st->st_cv);
	mutex_exit(&st->st_lock);
}

/* Sleep 200 ms between marking the call started and finished. */
static void
sh_sleep_fn(void *arg)
{
	struct shandler *sh = arg;
	struct stest *st = sh->sh_st;

	mutex_enter(&st->st_lock);
	sh->sh_started++;
	cv_broadcast(&st->st_cv);
	mutex_exit(&st->st_lock);

	kpause("stsleep", false, 20, NULL);

	mutex_enter(&st->st_lock);
	sh->sh_finished++;
	sh->sh_count++;
	cv_broadcast(&st->st_cv);
	mutex_exit(&st->st_lock);
}

/* Schedule itself again until sh_limit calls, tracking nesting depth. */
static void
sh_reschedule_fn(void *arg)
{
	struct shandler *sh = arg;
	struct stest *st = sh->sh_st;
	bool again;

	mutex_enter(&st->st_lock);
	st->st_depth++;
	if (st->st_depth > st->st_maxdepth)
		st->st_maxdepth = st->st_depth;
	sh->sh_count++;
	again = sh->sh_count < sh->sh_limit;
	mutex_exit(&st->st_lock);

	/*
	 * Without threads this only marks it pending, and the call of
	 * softint_schedule that runs us runs it again after we return.
	 */
	if (again)
		softint_schedule(sh->sh_cookie);

	mutex_enter(&st->st_lock);
	st->st_depth--;
	cv_broadcast(&st->st_cv);
	mutex_exit(&st->st_lock);
}

/* Cases. */

int rump_test_softint_run(void);
int
rump_test_softint_run(void)
{
	struct stest *st = stest_create();
	struct shandler sh;
	int error = 0;

	shandler_init(&sh, st, SOFTINT_NET, sh_count_fn, 1);
	KCHECK(sh.sh_cookie != NULL);

	softint_schedule(sh.sh_cookie);
	KCHECK(stest_wait(st, &sh.sh_count, 1));
	kpause("strun", false, 5, NULL);
	KCHECK(stest_get(st, &sh.sh_count) == 1);

	/* Once it has run, scheduling it again runs it again. */
	softint_schedule(sh.sh_cookie);
	KCHECK(stest_wait(st, &sh.sh_count, 2));
 out:
	shandler_fini(&sh);
	stest_destroy(st);
	return error;
}

int rump_test_softint_once(void);
int
rump_test_softint_once(void)
{
	struct stest *st = stest_create();
	struct shandler gate, counted;
	int error = 0, count;

	shandler_init(&gate, st, SOFTINT_NET, sh_gate_fn, 1);
	shandler_init(&counted, st, SOFTINT_NET, sh_count_fn, 2);

	/*
	 * Without sleeping in between, so all three land on this CPU's
	 * list: the gated handler comes first and blocks the softint thread
	 * until we open the gate, so the second schedule finds the first
	 * one still pending.
	 */
	softint_schedule(gate.sh_cookie);
	softint_schedule(counted.sh_cookie);
	softint_schedule(counted.sh_cookie);

	KCHECK(stest_wait(st, &gate.sh_started, 1));
	stest_open_gate(st);
	KCHECK(stest_wait(st, &counted.sh_count, 1));
	kpause("stonce", false, 10, NULL);
	count = stest_get(st, &counted.sh_count);
	KCHECK_MSG(count == 1, "handler ran %d times", count);
	KCHECK(stest_get(st, &gate.sh_count) == 1);
 out:
	stest_open_gate(st);
	shandler_fini(&gate);
	shandler_fini(&counted);
	stest_destroy(st);
	return error;
}

/*
 * With one CPU, which we hold, nothing runs until we sleep: then the
 * thread must run the pending handlers highest level first, in scheduling
 * order within a level.
 */
int rump_test_softint_priority(void);
int
rump_test_softint_priority(void)
{
	static const u_int levels[] = {
		SOFTINT_CLOCK, SOFTINT_BIO, SOFTINT_NET, SOFTINT_SERIAL,
		SOFTINT_NET
	};
	static const int expected[] = { 3, 2, 4, 1, 0 };
	struct stest *st = stest_create();
	struct shandler sh[__arraycount(levels)];
	int error = 0, i;

	for (i = 0; i < __arraycount(levels); i++)
		shandler_init(&sh[i], st, levels[i], sh_count_fn, i);
	KCHECK_MSG(ncpu == 1, "needs one CPU, have %d", ncpu);

	for (i = 0; i < __arraycount(levels); i++)
		softint_schedule(sh[i].sh_cookie);
	KCHECK(stest_wait(st, &st->st_norder, __arraycount(levels)));
	for (i = 0; i < __arraycount(expected); i++)
		KCHECK_MSG(st->st_order[i] == expected[i],
		    "position %d: handler %d ran, expected %d", i,
		    st->st_order[i], expected[i]);
 out:
	for (i = 0; i < __arraycount(levels); i++)
		shandler_fini(&sh[i]);
	stest_destroy(st);
	return error;
}

int rump_test_softint_disestablish_running(void);
int
rump_test_softint_disestablish_running(void)
{
	struct stest *st = stest_create();
	struct shandler sh;
	int error = 0;

	shandler_init(&sh, st, SOFTINT_BIO, sh_sleep_fn, 1);
	softint_schedule(sh.sh_cookie);
	KCHECK(stest_wait(st, &sh.sh_started, 1));

	/* The handler sleeps 200 ms, and disestablish must wait for it. */
	shandler_fini(&sh);
	KCHECK(stest_get(st, &sh.sh_finished) == 1);
 out:
	shandler_fini(&sh);
	stest_destroy(st);
	return error;
}

int rump_test_softint_disestablish_pending(void);
int
rump_test_softint_disestablish_pending(void)
{
	struct stest *st = stest_create();
	struct shandler sleeper, pending;
	int error = 0;

	shandler_init(&sleeper, st, SOFTINT_NET, sh_sleep_fn, 1);
	shandler_init(&pending, st, SOFTINT_NET, sh_count_fn, 2);

	/* Both on this CPU: the second waits behind the 200 ms sleeper. */
	softint_schedule(sleeper.sh_cookie);
	softint_schedule(pending.sh_cookie);
	shandler_fini(&pending);
	KCHECK(stest_get(st, &pending.sh_count) == 1);
 out:
	shandler_fini(&pending);
	shandler_fini(&sleeper);
	stest_destroy(st);
	return error;
}

int rump_test_softint_reschedule(void);
int
rump_test_softint_reschedule(void)
{
	struct stest *st = stest_create();
	struct shandler sh;
	int error = 0;

	shandler_init(&sh, st, SOFTINT_SERIAL, sh_reschedule_fn, 1);
	sh.sh_limit = 5;
	softint_schedule(sh.sh_cookie);
	KCHECK(stest_wait(st, &sh.sh_count, 5));
	kpause("stresch", false, 5, NULL);
	KCHECK(stest_get(st, &sh.sh_count) == 5);
 out:
	shandler_fini(&sh);
	stest_destroy(st);
	return error;
}

/*
 * Booted with RUMP_THREADS=0: the handler runs inside softint_schedule,
 * and a schedule from the handler itself runs it again after it returns
 * instead of nesting.
 */
int rump_test_softint_nothreads(void);
int
rump_test_softint_nothreads(void)
{
	struct stest *st = stest_create();
	struct shandler sh;
	int error = 0;

	shandler_init(&sh, st, SOFTINT_NET, sh_reschedule_fn, 1);
	sh.sh_limit = 3;
	softint_schedule(sh.sh_cookie);
	KCHECK_MSG(sh.sh_count == 3, "%d calls", sh.sh_count);
	KCHECK_MSG(st->st_maxdepth == 1, "handler nested %d deep",
	    st->st_maxdepth);
 out:
	shandler_fini(&sh);
	stest_destroy(st);
	return error;
}

/*
 * Scheduling from many threads.  Each scheduler bumps many_gen before
 * softint_schedule; each call of the handler records the highest value it
 * saw.  A schedule is never lost if, once everyone is done, the handler
 * has seen the final value.
 */
static void *many_cookie;
static volatile u_int many_gen;		/* atomic: schedules so far */
static volatile u_int many_seen;	/* atomic: max many_gen seen */
static volatile u_int many_runs;	/* atomic: handler calls */

static void
many_fn(void *arg)
{
	u_int gen, seen;

	gen = atomic_load_acquire(&many_gen);
	seen = atomic_load_relaxed(&many_seen);
	while (seen < gen && atomic_cas_uint(&many_seen, seen, gen) != seen)
		seen = atomic_load_relaxed(&many_seen);
	atomic_inc_uint(&many_runs);
}

void rump_test_softint_many_setup(void);
void
rump_test_softint_many_setup(void)
{

	many_cookie = softint_establish(SOFTINT_NET | SOFTINT_MPSAFE,
	    many_fn, NULL);
}

void rump_test_softint_many_schedule(int);
void
rump_test_softint_many_schedule(int n)
{
	int i;

	for (i = 0; i < n; i++) {
		(void)atomic_inc_uint_nv(&many_gen);
		softint_schedule(many_cookie);
	}
}

int rump_test_softint_many_finish(void);
int
rump_test_softint_many_finish(void)
{
	uint64_t deadline;
	u_int gen, runs;
	int error = 0;

	gen = atomic_load_acquire(&many_gen);
	deadline = mono_ns() + ST_WAIT_NS;
	while (atomic_load_acquire(&many_seen) != gen && mono_ns() < deadline)
		kpause("stmany", false, 1, NULL);
	KCHECK_MSG(atomic_load_acquire(&many_seen) == gen,
	    "handler saw schedule %u of %u", many_seen, gen);
	runs = atomic_load_relaxed(&many_runs);
	KCHECK_MSG(runs >= 1 && runs <= gen, "%u calls for %u schedules",
	    runs, gen);
 out:
	softint_disestablish(many_cookie);
	many_cookie = NULL;
	return error;
}
