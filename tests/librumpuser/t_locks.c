/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Tests of the lock hypercalls.  Mutex tests cover owner records and
 * contention with and without giving up the virtual CPU.  Reader/writer
 * lock tests cover sharing, exclusion, writer precedence, upgrade,
 * downgrade and held queries.  Condition variable tests cover signal,
 * broadcast, timed waits, waiter counts, and the order in which the mutex
 * and the CPU are taken back.
 *
 * Each contending party is a "kernel thread": a host thread with its own
 * fake lwp and a virtual CPU in the fake kernel of h_hyperup.h.  Every wait
 * for another thread is bounded by WAIT_MS.
 */

#include <sys/types.h>

#include <atf-c.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "h_hyperup.h"

/* Maximum wait for another thread to reach a point, in milliseconds. */
#define WAIT_MS		10000

/* How long a thread that should stay blocked is watched, in milliseconds. */
#define BLOCKED_MS	100

/* Giant holds that a kernel thread pretends to have. */
#define THREAD_GIANT	3

static struct lwp main_lwp = { 1 };

/* Initialise librumpuser and make the test's main thread a kernel thread. */
static void
locks_init(void)
{

	h_init();
	h_enter_kernel(&main_lwp);
}

/*
 * A kernel thread running one step of a test, and what it observed.  The
 * results are read only after the thread has finished.
 */
struct kthread {
	pthread_t kt_thread;
	struct lwp kt_lwp;
	void (*kt_fn)(struct kthread *);
	void *kt_arg;
	int kt_mode;			/* selects a variant of kt_fn */
	atomic_int kt_started;
	atomic_int kt_acquired;		/* set once the lock is held */
	atomic_int kt_finished;
	int kt_result;
	int kt_backend_unschedules;
	int kt_backend_schedules;
	int kt_interlocked_unschedules;
	int kt_giant_after;		/* giant holds after the lock call */
	bool kt_cpu_after;		/* had a CPU after the lock call */
	struct lwp *kt_owner_after;	/* mutex owner seen while holding it */
	int64_t kt_elapsed_ns;
};

static void *
kthread_main(void *arg)
{
	struct kthread *kt = arg;

	h_enter_kernel(&kt->kt_lwp);
	h_giant_holds = THREAD_GIANT;
	atomic_store(&kt->kt_started, 1);
	kt->kt_fn(kt);
	kt->kt_backend_unschedules = h_thread_backend_unschedules;
	kt->kt_backend_schedules = h_thread_backend_schedules;
	kt->kt_interlocked_unschedules = h_thread_interlocked_unschedules;
	h_leave_kernel(&kt->kt_lwp);
	atomic_store(&kt->kt_finished, 1);
	return NULL;
}

static void
kthread_start(struct kthread *kt, int id, void (*fn)(struct kthread *),
    void *arg, int mode)
{

	memset(kt, 0, sizeof(*kt));
	kt->kt_lwp.l_id = id;
	kt->kt_fn = fn;
	kt->kt_arg = arg;
	kt->kt_mode = mode;
	ATF_REQUIRE_EQ(pthread_create(&kt->kt_thread, NULL, kthread_main, kt),
	    0);
	ATF_REQUIRE_MSG(h_wait_for_count(&kt->kt_started, 1, WAIT_MS),
	    "kernel thread %d did not start", id);
}

static void
kthread_finish(struct kthread *kt)
{

	ATF_REQUIRE_MSG(h_wait_for_count(&kt->kt_finished, 1, WAIT_MS),
	    "kernel thread %d did not finish within %d ms", kt->kt_lwp.l_id,
	    WAIT_MS);
	ATF_REQUIRE_EQ(pthread_join(kt->kt_thread, NULL), 0);
}

/* Record the calling kernel thread's CPU and giant state after a lock call. */
static void
kthread_record(struct kthread *kt)
{

	kt->kt_giant_after = h_giant_holds;
	kt->kt_cpu_after = h_has_cpu;
}

/* Check that kt is still blocked after BLOCKED_MS. */
static void
check_blocked(struct kthread *kt)
{

	h_sleep_ms(BLOCKED_MS);
	ATF_CHECK_EQ_MSG(atomic_load(&kt->kt_acquired), 0,
	    "kernel thread %d got the lock too early", kt->kt_lwp.l_id);
}

/*
 * Mutexes
 */

enum { MUTEX_ENTER, MUTEX_ENTER_NOWRAP, MUTEX_TRYENTER };

/* Take the mutex kt_arg in the way kt_mode selects, record, and release it. */
static void
mutex_fn(struct kthread *kt)
{
	struct rumpuser_mtx *mtx = kt->kt_arg;

	switch (kt->kt_mode) {
	case MUTEX_ENTER:
		rumpuser_mutex_enter(mtx);
		break;
	case MUTEX_ENTER_NOWRAP:
		rumpuser_mutex_enter_nowrap(mtx);
		break;
	case MUTEX_TRYENTER:
		kt->kt_result = rumpuser_mutex_tryenter(mtx);
		if (kt->kt_result != 0)
			return;
		break;
	}
	atomic_store(&kt->kt_acquired, 1);
	kthread_record(kt);
	rumpuser_mutex_owner(mtx, &kt->kt_owner_after);
	rumpuser_mutex_exit(mtx);
}

ATF_TC(mutex_tryenter_owner);
ATF_TC_HEAD(mutex_tryenter_owner, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "mutex tryenter returns 0 or EBUSY and the owner is the holder's "
	    "lwp");
}
ATF_TC_BODY(mutex_tryenter_owner, tc)
{
	struct rumpuser_mtx *mtx;
	struct kthread kt;
	struct lwp *owner;

	locks_init();
	rumpuser_mutex_init(&mtx, RUMPUSER_MTX_KMUTEX);
	rumpuser_mutex_owner(mtx, &owner);
	ATF_CHECK(owner == NULL);

	ATF_REQUIRE_EQ(rumpuser_mutex_tryenter(mtx), 0);
	rumpuser_mutex_owner(mtx, &owner);
	ATF_CHECK(owner == &main_lwp);

	kthread_start(&kt, 2, mutex_fn, mtx, MUTEX_TRYENTER);
	kthread_finish(&kt);
	ATF_CHECK_EQ(kt.kt_result, EBUSY);

	rumpuser_mutex_exit(mtx);
	rumpuser_mutex_owner(mtx, &owner);
	ATF_CHECK(owner == NULL);

	kthread_start(&kt, 3, mutex_fn, mtx, MUTEX_TRYENTER);
	kthread_finish(&kt);
	ATF_CHECK_EQ(kt.kt_result, 0);
	ATF_CHECK(kt.kt_owner_after == &kt.kt_lwp);

	rumpuser_mutex_enter(mtx);
	rumpuser_mutex_owner(mtx, &owner);
	ATF_CHECK(owner == &main_lwp);
	rumpuser_mutex_exit(mtx);
	rumpuser_mutex_destroy(mtx);

	ATF_CHECK_EQ(atomic_load(&h_backend_unschedule_calls), 0);
	h_check_upcalls();
}

ATF_TC(mutex_contention);
ATF_TC_HEAD(mutex_contention, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "A contended mutex is waited for without the CPU and the giant "
	    "holds come back");
}
ATF_TC_BODY(mutex_contention, tc)
{
	struct rumpuser_mtx *mtx;
	struct kthread kt;
	struct lwp *owner;

	locks_init();
	rumpuser_mutex_init(&mtx, RUMPUSER_MTX_KMUTEX);
	rumpuser_mutex_enter(mtx);

	kthread_start(&kt, 2, mutex_fn, mtx, MUTEX_ENTER);
	ATF_REQUIRE_MSG(h_wait_for_count(&h_backend_unschedule_calls, 1,
	    WAIT_MS), "the contending thread kept its CPU");
	check_blocked(&kt);
	rumpuser_mutex_owner(mtx, &owner);
	ATF_CHECK(owner == &main_lwp);
	rumpuser_mutex_exit(mtx);
	kthread_finish(&kt);

	ATF_CHECK_EQ(kt.kt_backend_unschedules, 1);
	ATF_CHECK_EQ(kt.kt_backend_schedules, 1);
	ATF_CHECK_EQ(kt.kt_interlocked_unschedules, 0);
	ATF_CHECK_EQ(kt.kt_giant_after, THREAD_GIANT);
	ATF_CHECK(kt.kt_cpu_after);
	ATF_CHECK(kt.kt_owner_after == &kt.kt_lwp);
	rumpuser_mutex_owner(mtx, &owner);
	ATF_CHECK(owner == NULL);
	rumpuser_mutex_destroy(mtx);
	h_check_upcalls();
}

/*
 * Contend for a mutex with flags in the way mode selects.  The waiter must
 * block without giving up its CPU.
 */
static void
contend_keeping_cpu(int flags, int mode)
{
	struct rumpuser_mtx *mtx;
	struct kthread kt;

	locks_init();
	rumpuser_mutex_init(&mtx, flags);
	rumpuser_mutex_enter(mtx);

	kthread_start(&kt, 2, mutex_fn, mtx, mode);
	check_blocked(&kt);
	rumpuser_mutex_exit(mtx);
	kthread_finish(&kt);

	ATF_CHECK_EQ(atomic_load(&kt.kt_acquired), 1);
	ATF_CHECK_EQ(kt.kt_backend_unschedules, 0);
	ATF_CHECK_EQ(kt.kt_backend_schedules, 0);
	ATF_CHECK_EQ(kt.kt_giant_after, THREAD_GIANT);
	ATF_CHECK(kt.kt_owner_after == &kt.kt_lwp);
	ATF_CHECK_EQ(atomic_load(&h_backend_unschedule_calls), 0);
	rumpuser_mutex_destroy(mtx);
	h_check_upcalls();
}

ATF_TC(mutex_spin_keeps_cpu);
ATF_TC_HEAD(mutex_spin_keeps_cpu, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "Entering a contended spin mutex never releases the CPU");
}
ATF_TC_BODY(mutex_spin_keeps_cpu, tc)
{

	contend_keeping_cpu(RUMPUSER_MTX_SPIN | RUMPUSER_MTX_KMUTEX,
	    MUTEX_ENTER);
}

ATF_TC(mutex_nowrap_keeps_cpu);
ATF_TC_HEAD(mutex_nowrap_keeps_cpu, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "mutex_enter_nowrap on a contended mutex never releases the CPU");
}
ATF_TC_BODY(mutex_nowrap_keeps_cpu, tc)
{

	contend_keeping_cpu(RUMPUSER_MTX_KMUTEX, MUTEX_ENTER_NOWRAP);
}

ATF_TC(mutex_misuse);
ATF_TC_HEAD(mutex_misuse, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "Invalid mutex flags and an owner query on a non-KMUTEX mutex "
	    "abort");
}
ATF_TC_BODY(mutex_misuse, tc)
{
	struct rumpuser_mtx *mtx;
	struct lwp *owner;

	locks_init();
	H_EXPECT_ABORT("mutex_init with flags 0",
	    rumpuser_mutex_init(&mtx, 0));
	H_EXPECT_ABORT("mutex_init with flags 4",
	    rumpuser_mutex_init(&mtx, RUMPUSER_MTX_SPIN | 4));
	H_EXPECT_ABORT("mutex_owner of a SPIN mutex",
	    rumpuser_mutex_init(&mtx, RUMPUSER_MTX_SPIN);
	    rumpuser_mutex_owner(mtx, &owner));
}

/*
 * Reader/writer locks
 */

enum { RW_ENTER_READ, RW_ENTER_WRITE, RW_TRY_READ, RW_TRY_WRITE };

/*
 * Take the lock kt_arg in the way kt_mode selects, record, wait until the
 * main thread sets rw_release, and release it.
 */
static atomic_int rw_release;

static void
rw_fn(struct kthread *kt)
{
	struct rumpuser_rw *rw = kt->kt_arg;
	int held;

	switch (kt->kt_mode) {
	case RW_ENTER_READ:
		rumpuser_rw_enter(RUMPUSER_RW_READER, rw);
		break;
	case RW_ENTER_WRITE:
		rumpuser_rw_enter(RUMPUSER_RW_WRITER, rw);
		break;
	case RW_TRY_READ:
		kt->kt_result = rumpuser_rw_tryenter(RUMPUSER_RW_READER, rw);
		break;
	case RW_TRY_WRITE:
		kt->kt_result = rumpuser_rw_tryenter(RUMPUSER_RW_WRITER, rw);
		break;
	}
	if (kt->kt_result != 0)
		return;
	atomic_store(&kt->kt_acquired, 1);
	kthread_record(kt);

	/* kt_owner_after doubles as "held(WRITER) was true". */
	rumpuser_rw_held(RUMPUSER_RW_WRITER, rw, &held);
	kt->kt_owner_after = held ? &kt->kt_lwp : NULL;
	h_wait_for_count(&rw_release, 1, WAIT_MS);
	rumpuser_rw_exit(rw);
}

static int
rw_held(int type, struct rumpuser_rw *rw)
{
	int held;

	held = -1;
	rumpuser_rw_held(type, rw, &held);
	return held;
}

ATF_TC(rw_readers_share);
ATF_TC_HEAD(rw_readers_share, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "Readers share a rwlock, and a writer cannot enter while they hold "
	    "it");
}
ATF_TC_BODY(rw_readers_share, tc)
{
	struct rumpuser_rw *rw;
	struct kthread kt;

	locks_init();
	rumpuser_rw_init(&rw);
	ATF_CHECK_EQ(rw_held(RUMPUSER_RW_READER, rw), 0);
	ATF_CHECK_EQ(rw_held(RUMPUSER_RW_WRITER, rw), 0);

	rumpuser_rw_enter(RUMPUSER_RW_READER, rw);
	ATF_CHECK_EQ(rw_held(RUMPUSER_RW_READER, rw), 1);
	ATF_CHECK_EQ(rw_held(RUMPUSER_RW_WRITER, rw), 0);

	atomic_store(&rw_release, 1);
	kthread_start(&kt, 2, rw_fn, rw, RW_TRY_READ);
	kthread_finish(&kt);
	ATF_CHECK_EQ(kt.kt_result, 0);
	kthread_start(&kt, 3, rw_fn, rw, RW_ENTER_READ);
	kthread_finish(&kt);
	ATF_CHECK_EQ(kt.kt_backend_unschedules, 0);
	kthread_start(&kt, 4, rw_fn, rw, RW_TRY_WRITE);
	kthread_finish(&kt);
	ATF_CHECK_EQ(kt.kt_result, EBUSY);
	ATF_CHECK_EQ(rumpuser_rw_tryenter(RUMPUSER_RW_WRITER, rw), EBUSY);

	rumpuser_rw_exit(rw);
	ATF_CHECK_EQ(rw_held(RUMPUSER_RW_READER, rw), 0);
	ATF_CHECK_EQ(rumpuser_rw_tryenter(RUMPUSER_RW_WRITER, rw), 0);
	ATF_CHECK_EQ(rw_held(RUMPUSER_RW_WRITER, rw), 1);
	rumpuser_rw_exit(rw);
	rumpuser_rw_destroy(rw);
	ATF_CHECK_EQ(atomic_load(&h_backend_unschedule_calls), 0);
	h_check_upcalls();
}

ATF_TC(rw_writer_excludes);
ATF_TC_HEAD(rw_writer_excludes, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "A writer excludes readers, who wait without the CPU");
}
ATF_TC_BODY(rw_writer_excludes, tc)
{
	struct rumpuser_rw *rw;
	struct kthread kt;

	locks_init();
	rumpuser_rw_init(&rw);
	rumpuser_rw_enter(RUMPUSER_RW_WRITER, rw);
	ATF_CHECK_EQ(rw_held(RUMPUSER_RW_WRITER, rw), 1);
	ATF_CHECK_EQ(rw_held(RUMPUSER_RW_READER, rw), 0);

	atomic_store(&rw_release, 1);
	kthread_start(&kt, 2, rw_fn, rw, RW_TRY_READ);
	kthread_finish(&kt);
	ATF_CHECK_EQ(kt.kt_result, EBUSY);

	kthread_start(&kt, 3, rw_fn, rw, RW_ENTER_READ);
	ATF_REQUIRE_MSG(h_wait_for_count(&h_backend_unschedule_calls, 1,
	    WAIT_MS), "the blocked reader kept its CPU");
	check_blocked(&kt);
	rumpuser_rw_exit(rw);
	kthread_finish(&kt);

	ATF_CHECK_EQ(atomic_load(&kt.kt_acquired), 1);
	ATF_CHECK_EQ(kt.kt_backend_unschedules, 1);
	ATF_CHECK_EQ(kt.kt_backend_schedules, 1);
	ATF_CHECK_EQ(kt.kt_giant_after, THREAD_GIANT);
	ATF_CHECK(kt.kt_cpu_after);
	ATF_CHECK(kt.kt_owner_after == NULL);
	rumpuser_rw_destroy(rw);
	h_check_upcalls();
}

ATF_TC(rw_held_by_lwp);
ATF_TC_HEAD(rw_held_by_lwp, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "held(WRITER) is true only for the writer's own lwp");
}
ATF_TC_BODY(rw_held_by_lwp, tc)
{
	struct rumpuser_rw *rw;
	struct kthread kt;

	locks_init();
	rumpuser_rw_init(&rw);

	atomic_store(&rw_release, 0);
	kthread_start(&kt, 2, rw_fn, rw, RW_ENTER_WRITE);
	ATF_REQUIRE(h_wait_for_count(&kt.kt_acquired, 1, WAIT_MS));
	ATF_CHECK_EQ(rw_held(RUMPUSER_RW_WRITER, rw), 0);
	ATF_CHECK_EQ(rw_held(RUMPUSER_RW_READER, rw), 0);
	atomic_store(&rw_release, 1);
	kthread_finish(&kt);
	ATF_CHECK(kt.kt_owner_after == &kt.kt_lwp);
	ATF_CHECK_EQ(rw_held(RUMPUSER_RW_WRITER, rw), 0);
	rumpuser_rw_destroy(rw);
	h_check_upcalls();
}

ATF_TC(rw_writer_precedence);
ATF_TC_HEAD(rw_writer_precedence, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "A waiting writer keeps new readers out and gets the lock next");
}
ATF_TC_BODY(rw_writer_precedence, tc)
{
	struct rumpuser_rw *rw;
	struct kthread writer, reader;

	locks_init();
	rumpuser_rw_init(&rw);
	rumpuser_rw_enter(RUMPUSER_RW_READER, rw);

	atomic_store(&rw_release, 0);
	kthread_start(&writer, 2, rw_fn, rw, RW_ENTER_WRITE);
	ATF_REQUIRE(h_wait_for_count(&h_backend_unschedule_calls, 1,
	    WAIT_MS));
	ATF_CHECK_EQ(rumpuser_rw_tryenter(RUMPUSER_RW_READER, rw), EBUSY);
	kthread_start(&reader, 3, rw_fn, rw, RW_ENTER_READ);
	ATF_REQUIRE(h_wait_for_count(&h_backend_unschedule_calls, 2,
	    WAIT_MS));
	check_blocked(&writer);
	check_blocked(&reader);

	/* The last reader leaves: the writer goes first, then the reader. */
	rumpuser_rw_exit(rw);
	ATF_REQUIRE(h_wait_for_count(&writer.kt_acquired, 1, WAIT_MS));
	check_blocked(&reader);
	atomic_store(&rw_release, 1);
	kthread_finish(&writer);
	kthread_finish(&reader);

	ATF_CHECK(writer.kt_owner_after == &writer.kt_lwp);
	ATF_CHECK_EQ(writer.kt_giant_after, THREAD_GIANT);
	ATF_CHECK_EQ(atomic_load(&reader.kt_acquired), 1);
	ATF_CHECK_EQ(reader.kt_giant_after, THREAD_GIANT);
	rumpuser_rw_destroy(rw);
	h_check_upcalls();
}

ATF_TC(rw_tryupgrade);
ATF_TC_HEAD(rw_tryupgrade, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "tryupgrade succeeds for the only reader and returns EBUSY "
	    "otherwise");
}
ATF_TC_BODY(rw_tryupgrade, tc)
{
	struct rumpuser_rw *rw;
	struct kthread kt;

	locks_init();
	rumpuser_rw_init(&rw);
	rumpuser_rw_enter(RUMPUSER_RW_READER, rw);

	/* A second reader makes the upgrade fail. */
	atomic_store(&rw_release, 0);
	kthread_start(&kt, 2, rw_fn, rw, RW_ENTER_READ);
	ATF_REQUIRE(h_wait_for_count(&kt.kt_acquired, 1, WAIT_MS));
	ATF_CHECK_EQ(rumpuser_rw_tryupgrade(rw), EBUSY);
	ATF_CHECK_EQ(rw_held(RUMPUSER_RW_READER, rw), 1);
	ATF_CHECK_EQ(rw_held(RUMPUSER_RW_WRITER, rw), 0);
	atomic_store(&rw_release, 1);
	kthread_finish(&kt);

	ATF_CHECK_EQ(rumpuser_rw_tryupgrade(rw), 0);
	ATF_CHECK_EQ(rw_held(RUMPUSER_RW_WRITER, rw), 1);
	ATF_CHECK_EQ(rw_held(RUMPUSER_RW_READER, rw), 0);
	ATF_CHECK_EQ(rumpuser_rw_tryenter(RUMPUSER_RW_READER, rw), EBUSY);
	ATF_CHECK_EQ(rumpuser_rw_tryupgrade(rw), EBUSY);
	rumpuser_rw_exit(rw);
	ATF_CHECK_EQ(rw_held(RUMPUSER_RW_WRITER, rw), 0);
	rumpuser_rw_destroy(rw);
	h_check_upcalls();
}

ATF_TC(rw_downgrade_blocks_writer);
ATF_TC_HEAD(rw_downgrade_blocks_writer, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "downgrade turns a write hold into a read hold with no waiting "
	    "writer getting in between");
}
ATF_TC_BODY(rw_downgrade_blocks_writer, tc)
{
	struct rumpuser_rw *rw;
	struct kthread kt;

	locks_init();
	rumpuser_rw_init(&rw);
	rumpuser_rw_enter(RUMPUSER_RW_WRITER, rw);

	atomic_store(&rw_release, 1);
	kthread_start(&kt, 2, rw_fn, rw, RW_ENTER_WRITE);
	ATF_REQUIRE(h_wait_for_count(&h_backend_unschedule_calls, 1,
	    WAIT_MS));

	rumpuser_rw_downgrade(rw);
	ATF_CHECK_EQ(rw_held(RUMPUSER_RW_WRITER, rw), 0);
	ATF_CHECK_EQ(rw_held(RUMPUSER_RW_READER, rw), 1);
	check_blocked(&kt);
	ATF_CHECK_EQ(rumpuser_rw_tryenter(RUMPUSER_RW_WRITER, rw), EBUSY);

	rumpuser_rw_exit(rw);
	kthread_finish(&kt);
	ATF_CHECK(kt.kt_owner_after == &kt.kt_lwp);
	rumpuser_rw_destroy(rw);
	h_check_upcalls();
}

ATF_TC(rw_downgrade_admits_readers);
ATF_TC_HEAD(rw_downgrade_admits_readers, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "downgrade lets waiting readers in beside the former writer");
}
ATF_TC_BODY(rw_downgrade_admits_readers, tc)
{
	struct rumpuser_rw *rw;
	struct kthread kt;

	locks_init();
	rumpuser_rw_init(&rw);
	rumpuser_rw_enter(RUMPUSER_RW_WRITER, rw);

	atomic_store(&rw_release, 0);
	kthread_start(&kt, 2, rw_fn, rw, RW_ENTER_READ);
	ATF_REQUIRE(h_wait_for_count(&h_backend_unschedule_calls, 1,
	    WAIT_MS));
	check_blocked(&kt);

	rumpuser_rw_downgrade(rw);
	ATF_REQUIRE_MSG(h_wait_for_count(&kt.kt_acquired, 1, WAIT_MS),
	    "the reader did not get in after the downgrade");
	ATF_CHECK_EQ(rw_held(RUMPUSER_RW_READER, rw), 1);
	rumpuser_rw_exit(rw);
	ATF_CHECK_EQ(rw_held(RUMPUSER_RW_READER, rw), 1);
	atomic_store(&rw_release, 1);
	kthread_finish(&kt);
	ATF_CHECK_EQ(rw_held(RUMPUSER_RW_READER, rw), 0);
	rumpuser_rw_destroy(rw);
	h_check_upcalls();
}

/* Shared state of rw_stress. */
static struct {
	struct rumpuser_rw *rw;
	atomic_int readers_in;
	atomic_int writers_in;
	atomic_int exclusion_failures;
	atomic_int upgrades;
} stress;

static void
stress_check_writer(void)
{

	if (atomic_fetch_add(&stress.writers_in, 1) != 0 ||
	    atomic_load(&stress.readers_in) != 0)
		atomic_fetch_add(&stress.exclusion_failures, 1);
	atomic_fetch_sub(&stress.writers_in, 1);
}

static void
stress_check_reader(void)
{

	atomic_fetch_add(&stress.readers_in, 1);
	if (atomic_load(&stress.writers_in) != 0)
		atomic_fetch_add(&stress.exclusion_failures, 1);
	atomic_fetch_sub(&stress.readers_in, 1);
}

static void
stress_fn(struct kthread *kt)
{
	int i, held;

	for (i = 0; i < 5000; i++) {
		if ((i + kt->kt_lwp.l_id) % 4 == 0) {
			rumpuser_rw_enter(RUMPUSER_RW_WRITER, stress.rw);
			stress_check_writer();
			rumpuser_rw_held(RUMPUSER_RW_WRITER, stress.rw, &held);
			if (!held)
				atomic_fetch_add(&stress.exclusion_failures,
				    1);
			rumpuser_rw_exit(stress.rw);
			continue;
		}

		rumpuser_rw_enter(RUMPUSER_RW_READER, stress.rw);
		stress_check_reader();
		if (i % 3 == 0 && rumpuser_rw_tryupgrade(stress.rw) == 0) {
			atomic_fetch_add(&stress.upgrades, 1);
			stress_check_writer();
			rumpuser_rw_downgrade(stress.rw);
			stress_check_reader();
		}
		rumpuser_rw_exit(stress.rw);
	}
	kthread_record(kt);
}

ATF_TC(rw_stress);
ATF_TC_HEAD(rw_stress, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "Four threads mixing reads, writes, upgrades and downgrades never "
	    "break exclusion");
	atf_tc_set_md_var(tc, "timeout", "120");
}
ATF_TC_BODY(rw_stress, tc)
{
	enum { NTHREADS = 4 };
	struct kthread kt[NTHREADS];
	int i;

	locks_init();
	rumpuser_rw_init(&stress.rw);
	for (i = 0; i < NTHREADS; i++)
		kthread_start(&kt[i], 10 + i, stress_fn, NULL, 0);
	for (i = 0; i < NTHREADS; i++) {
		ATF_REQUIRE_MSG(h_wait_for_count(&kt[i].kt_finished, 1, 100000),
		    "stress thread %d did not finish within 100 s", i);
		ATF_REQUIRE_EQ(pthread_join(kt[i].kt_thread, NULL), 0);
		ATF_CHECK_EQ(kt[i].kt_backend_unschedules,
		    kt[i].kt_backend_schedules);
		ATF_CHECK_EQ(kt[i].kt_giant_after, THREAD_GIANT);
	}
	ATF_CHECK_EQ(atomic_load(&stress.exclusion_failures), 0);
	ATF_CHECK(atomic_load(&stress.upgrades) > 0);
	ATF_CHECK_EQ(rw_held(RUMPUSER_RW_READER, stress.rw), 0);
	rumpuser_rw_destroy(stress.rw);
	h_check_upcalls();
}

ATF_TC(rw_misuse);
ATF_TC_HEAD(rw_misuse, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "Releasing a free rwlock, downgrading a read hold or destroying a "
	    "held lock aborts");
}
ATF_TC_BODY(rw_misuse, tc)
{
	struct rumpuser_rw *rw;

	locks_init();
	rumpuser_rw_init(&rw);
	H_EXPECT_ABORT("rw_exit of a free lock", rumpuser_rw_exit(rw));
	H_EXPECT_ABORT("rw_downgrade of a read hold",
	    rumpuser_rw_enter(RUMPUSER_RW_READER, rw);
	    rumpuser_rw_downgrade(rw));
	H_EXPECT_ABORT("rw_destroy of a held lock",
	    rumpuser_rw_enter(RUMPUSER_RW_WRITER, rw);
	    rumpuser_rw_destroy(rw));
	H_EXPECT_ABORT("rw_enter with an invalid type",
	    rumpuser_rw_enter(7, rw));
	rumpuser_rw_destroy(rw);
}

/*
 * Condition variables
 */

enum { CV_WAIT, CV_WAIT_NOWRAP, CV_TIMEDWAIT };

struct cv_test {
	struct rumpuser_mtx *mtx;
	struct rumpuser_cv *cv;
	int mtx_flags;
	atomic_int go;			/* the predicate waited for */
};

/*
 * Wait on the condition variable of kt_arg in the way kt_mode says until
 * go is set, and record what holds on return.
 */
static void
cv_fn(struct kthread *kt)
{
	struct cv_test *t = kt->kt_arg;
	int64_t start;

	start = h_now_ns();
	rumpuser_mutex_enter(t->mtx);
	atomic_store(&kt->kt_acquired, 1);
	while (!atomic_load(&t->go)) {
		switch (kt->kt_mode) {
		case CV_WAIT:
			rumpuser_cv_wait(t->cv, t->mtx);
			break;
		case CV_WAIT_NOWRAP:
			rumpuser_cv_wait_nowrap(t->cv, t->mtx);
			break;
		case CV_TIMEDWAIT:
			kt->kt_result = rumpuser_cv_timedwait(t->cv, t->mtx,
			    30, 0);
			break;
		}
		if (kt->kt_result != 0)
			break;
	}
	kt->kt_elapsed_ns = h_now_ns() - start;
	kthread_record(kt);
	if (t->mtx_flags & RUMPUSER_MTX_KMUTEX)
		rumpuser_mutex_owner(t->mtx, &kt->kt_owner_after);
	rumpuser_mutex_exit(t->mtx);
}

static void
cv_test_init(struct cv_test *t, int mtx_flags)
{

	memset(t, 0, sizeof(*t));
	t->mtx_flags = mtx_flags;
	rumpuser_mutex_init(&t->mtx, mtx_flags);
	rumpuser_cv_init(&t->cv);
}

static void
cv_test_destroy(struct cv_test *t)
{

	rumpuser_cv_destroy(t->cv);
	rumpuser_mutex_destroy(t->mtx);
}

static int
cv_waiters(struct cv_test *t)
{
	int n;

	rumpuser_mutex_enter(t->mtx);
	n = -1;
	rumpuser_cv_has_waiters(t->cv, &n);
	rumpuser_mutex_exit(t->mtx);
	return n;
}

/* Wait until n threads wait on t's condition variable. */
static void
cv_wait_for_waiters(struct cv_test *t, int n)
{
	int64_t deadline;

	deadline = h_now_ns() + (int64_t)WAIT_MS * 1000000;
	while (cv_waiters(t) < n) {
		ATF_REQUIRE_MSG(h_now_ns() < deadline,
		    "%d threads did not start waiting within %d ms", n,
		    WAIT_MS);
		h_sleep_ms(1);
	}
}

/* Wait until mtx has no owner; returns false after WAIT_MS. */
static bool
wait_for_no_owner(struct rumpuser_mtx *mtx)
{
	struct lwp *owner;
	int64_t deadline;

	deadline = h_now_ns() + (int64_t)WAIT_MS * 1000000;
	for (;;) {
		rumpuser_mutex_owner(mtx, &owner);
		if (owner == NULL)
			return true;
		if (h_now_ns() > deadline)
			return false;
		h_sleep_ms(1);
	}
}

/* Set the predicate and wake the waiters, one (signal) or all. */
static void
cv_release(struct cv_test *t, bool all)
{

	rumpuser_mutex_enter(t->mtx);
	atomic_store(&t->go, 1);
	if (all)
		rumpuser_cv_broadcast(t->cv);
	else
		rumpuser_cv_signal(t->cv);
	rumpuser_mutex_exit(t->mtx);
}

ATF_TC(cv_signal);
ATF_TC_HEAD(cv_signal, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "cv_wait sleeps without the CPU and returns with the mutex, its "
	    "owner record and the CPU");
}
ATF_TC_BODY(cv_signal, tc)
{
	struct cv_test t;
	struct kthread kt;

	locks_init();
	cv_test_init(&t, RUMPUSER_MTX_KMUTEX);
	ATF_CHECK_EQ(cv_waiters(&t), 0);

	kthread_start(&kt, 2, cv_fn, &t, CV_WAIT);

	/*
	 * Once the waiter holds the mutex, its owner record must go away
	 * when it goes to sleep.  The mutex is not touched meanwhile, so
	 * nothing else can clear the record.
	 */
	ATF_REQUIRE(h_wait_for_count(&kt.kt_acquired, 1, WAIT_MS));
	ATF_CHECK_MSG(wait_for_no_owner(t.mtx),
	    "a sleeping waiter still owns the mutex");
	cv_wait_for_waiters(&t, 1);

	cv_release(&t, false);
	kthread_finish(&kt);
	ATF_CHECK_EQ(kt.kt_interlocked_unschedules, 1);
	ATF_CHECK(atomic_load(&h_schedule_interlock) == (void *)t.mtx);
	ATF_CHECK_EQ(kt.kt_giant_after, THREAD_GIANT);
	ATF_CHECK(kt.kt_cpu_after);
	ATF_CHECK(kt.kt_owner_after == &kt.kt_lwp);
	ATF_CHECK_EQ(cv_waiters(&t), 0);
	cv_test_destroy(&t);
	h_check_upcalls();
}

ATF_TC(cv_broadcast);
ATF_TC_HEAD(cv_broadcast, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "has_waiters counts the waiters and cv_broadcast wakes them all");
}
ATF_TC_BODY(cv_broadcast, tc)
{
	enum { NWAITERS = 3 };
	struct kthread kt[NWAITERS];
	struct cv_test t;
	int i;

	locks_init();
	cv_test_init(&t, RUMPUSER_MTX_KMUTEX);
	for (i = 0; i < NWAITERS; i++)
		kthread_start(&kt[i], 2 + i, cv_fn, &t, CV_WAIT);
	cv_wait_for_waiters(&t, NWAITERS);
	ATF_CHECK_EQ(cv_waiters(&t), NWAITERS);

	cv_release(&t, true);
	for (i = 0; i < NWAITERS; i++) {
		kthread_finish(&kt[i]);
		ATF_CHECK(kt[i].kt_owner_after == &kt[i].kt_lwp);
		ATF_CHECK_EQ(kt[i].kt_giant_after, THREAD_GIANT);
	}
	ATF_CHECK_EQ(cv_waiters(&t), 0);
	cv_test_destroy(&t);
	h_check_upcalls();
}

ATF_TC(cv_timedwait_timeout);
ATF_TC_HEAD(cv_timedwait_timeout, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "cv_timedwait returns ETIMEDOUT after its relative timeout, with "
	    "the mutex held");
}
ATF_TC_BODY(cv_timedwait_timeout, tc)
{
	struct lwp *owner;
	struct cv_test t;
	int64_t start, elapsed;

	locks_init();
	cv_test_init(&t, RUMPUSER_MTX_KMUTEX);
	rumpuser_mutex_enter(t.mtx);
	h_giant_holds = 2;

	start = h_now_ns();
	ATF_CHECK_EQ(rumpuser_cv_timedwait(t.cv, t.mtx, 0, 100000000),
	    ETIMEDOUT);
	elapsed = h_now_ns() - start;
	ATF_CHECK_MSG(elapsed >= 100000000, "timed out after %lld ns",
	    (long long)elapsed);
	rumpuser_mutex_owner(t.mtx, &owner);
	ATF_CHECK(owner == &main_lwp);
	ATF_CHECK_EQ(h_giant_holds, 2);

	/* Zero, negative and denormalised timeouts. */
	ATF_CHECK_EQ(rumpuser_cv_timedwait(t.cv, t.mtx, 0, 0), ETIMEDOUT);
	ATF_CHECK_EQ(rumpuser_cv_timedwait(t.cv, t.mtx, -1, 0), ETIMEDOUT);
	ATF_CHECK_EQ(rumpuser_cv_timedwait(t.cv, t.mtx, 0, -5), ETIMEDOUT);
	start = h_now_ns();
	ATF_CHECK_EQ(rumpuser_cv_timedwait(t.cv, t.mtx, -1, 1050000000),
	    ETIMEDOUT);
	elapsed = h_now_ns() - start;
	ATF_CHECK_MSG(elapsed >= 50000000 && elapsed < 5000000000LL,
	    "-1 s + 1.05e9 ns timed out after %lld ns", (long long)elapsed);

	rumpuser_mutex_owner(t.mtx, &owner);
	ATF_CHECK(owner == &main_lwp);
	rumpuser_mutex_exit(t.mtx);
	ATF_CHECK_EQ(cv_waiters(&t), 0);
	cv_test_destroy(&t);
	h_check_upcalls();
}

ATF_TC(cv_timedwait_signalled);
ATF_TC_HEAD(cv_timedwait_signalled, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "cv_timedwait returns 0 when signalled before its timeout");
}
ATF_TC_BODY(cv_timedwait_signalled, tc)
{
	struct cv_test t;
	struct kthread kt;

	locks_init();
	cv_test_init(&t, RUMPUSER_MTX_KMUTEX);
	kthread_start(&kt, 2, cv_fn, &t, CV_TIMEDWAIT);
	cv_wait_for_waiters(&t, 1);
	cv_release(&t, false);
	kthread_finish(&kt);
	ATF_CHECK_EQ(kt.kt_result, 0);
	ATF_CHECK(kt.kt_elapsed_ns < 20000000000LL);
	ATF_CHECK(kt.kt_owner_after == &kt.kt_lwp);
	ATF_CHECK_EQ(kt.kt_giant_after, THREAD_GIANT);
	cv_test_destroy(&t);
	h_check_upcalls();
}

/*
 * Wake a waiter on a condition variable whose mutex has mtx_flags and
 * return whether the mutex was held when the waiter asked for its CPU.
 */
static bool
cv_mutex_held_at_reschedule(int mtx_flags)
{
	struct cv_test t;
	struct kthread kt;
	int held, free;

	cv_test_init(&t, mtx_flags);
	atomic_store(&h_interlock_held_at_schedule, 0);
	atomic_store(&h_interlock_free_at_schedule, 0);
	kthread_start(&kt, 2, cv_fn, &t, CV_WAIT);
	cv_wait_for_waiters(&t, 1);
	atomic_store(&h_probe_interlock, true);
	cv_release(&t, false);
	kthread_finish(&kt);
	atomic_store(&h_probe_interlock, false);

	held = atomic_load(&h_interlock_held_at_schedule);
	free = atomic_load(&h_interlock_free_at_schedule);
	ATF_REQUIRE_EQ_MSG(held + free, 1, "flags %#x: %d reschedules seen",
	    mtx_flags, held + free);
	ATF_CHECK_EQ(kt.kt_giant_after, THREAD_GIANT);
	ATF_CHECK(kt.kt_cpu_after);
	if (mtx_flags & RUMPUSER_MTX_KMUTEX)
		ATF_CHECK(kt.kt_owner_after == &kt.kt_lwp);
	cv_test_destroy(&t);
	return held == 1;
}

ATF_TC(cv_reacquire_order);
ATF_TC_HEAD(cv_reacquire_order, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "After a wait, a SPIN|KMUTEX mutex is taken after the CPU, other "
	    "mutexes before it");
}
ATF_TC_BODY(cv_reacquire_order, tc)
{

	locks_init();
	ATF_CHECK_MSG(!cv_mutex_held_at_reschedule(RUMPUSER_MTX_SPIN |
	    RUMPUSER_MTX_KMUTEX), "SPIN|KMUTEX mutex taken before the CPU");
	ATF_CHECK_MSG(cv_mutex_held_at_reschedule(RUMPUSER_MTX_SPIN),
	    "SPIN mutex taken after the CPU");
	ATF_CHECK_MSG(cv_mutex_held_at_reschedule(RUMPUSER_MTX_KMUTEX),
	    "KMUTEX mutex taken after the CPU");
	h_check_upcalls();
}

ATF_TC(cv_wait_nowrap);
ATF_TC_HEAD(cv_wait_nowrap, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "cv_wait_nowrap waits and wakes without touching the CPU");
}
ATF_TC_BODY(cv_wait_nowrap, tc)
{
	struct lwp *owner;
	struct cv_test t;
	struct kthread kt;

	locks_init();
	cv_test_init(&t, RUMPUSER_MTX_SPIN | RUMPUSER_MTX_KMUTEX);
	kthread_start(&kt, 2, cv_fn, &t, CV_WAIT_NOWRAP);
	cv_wait_for_waiters(&t, 1);
	rumpuser_mutex_owner(t.mtx, &owner);
	ATF_CHECK(owner == NULL);
	cv_release(&t, false);
	kthread_finish(&kt);

	ATF_CHECK_EQ(kt.kt_backend_unschedules, 0);
	ATF_CHECK_EQ(kt.kt_backend_schedules, 0);
	ATF_CHECK_EQ(kt.kt_giant_after, THREAD_GIANT);
	ATF_CHECK(kt.kt_owner_after == &kt.kt_lwp);
	ATF_CHECK_EQ(atomic_load(&h_backend_unschedule_calls), 0);
	cv_test_destroy(&t);
	h_check_upcalls();
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, mutex_tryenter_owner);
	ATF_TP_ADD_TC(tp, mutex_contention);
	ATF_TP_ADD_TC(tp, mutex_spin_keeps_cpu);
	ATF_TP_ADD_TC(tp, mutex_nowrap_keeps_cpu);
	ATF_TP_ADD_TC(tp, mutex_misuse);
	ATF_TP_ADD_TC(tp, rw_readers_share);
	ATF_TP_ADD_TC(tp, rw_writer_excludes);
	ATF_TP_ADD_TC(tp, rw_held_by_lwp);
	ATF_TP_ADD_TC(tp, rw_writer_precedence);
	ATF_TP_ADD_TC(tp, rw_tryupgrade);
	ATF_TP_ADD_TC(tp, rw_downgrade_blocks_writer);
	ATF_TP_ADD_TC(tp, rw_downgrade_admits_readers);
	ATF_TP_ADD_TC(tp, rw_stress);
	ATF_TP_ADD_TC(tp, rw_misuse);
	ATF_TP_ADD_TC(tp, cv_signal);
	ATF_TP_ADD_TC(tp, cv_broadcast);
	ATF_TP_ADD_TC(tp, cv_timedwait_timeout);
	ATF_TP_ADD_TC(tp, cv_timedwait_signalled);
	ATF_TP_ADD_TC(tp, cv_reacquire_order);
	ATF_TP_ADD_TC(tp, cv_wait_nowrap);
	return atf_no_error();
}
