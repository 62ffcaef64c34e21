/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A fake kernel for the librumpuser tests.  Its upcall functions count
 * their calls and model two things that the real kernel tracks per thread:
 * whether the thread holds a virtual CPU, and how many holds it has on the
 * giant lock.  An upcall made in the wrong state (a CPU taken twice
 * or released without being held) is counted in h_violations, which every
 * test checks at its end.  Test threads that stand for kernel threads call
 * h_enter_kernel() first.
 *
 * Each test program is one source file, so everything here is static.
 */

#ifndef _TESTS_LIBRUMPUSER_H_HYPERUP_H_
#define _TESTS_LIBRUMPUSER_H_HYPERUP_H_

#ifndef LIBRUMPUSER
#define LIBRUMPUSER
#endif

#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <atf-c.h>
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <rump/rumpuser.h>

#define H_UNUSED __attribute__((__unused__))

#if defined(__SANITIZE_ADDRESS__)
/*
 * libatf-c does not free its test case list before exiting, so
 * LeakSanitizer would fail every program on that.  Leaks elsewhere are
 * still reported.  The summary of suppressed leaks is turned off because
 * kyua rejects a test case list that comes with output on stderr.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_options(void);

const char *
__lsan_default_suppressions(void)
{

	return "leak:libatf-c.so\n";
}

const char *
__lsan_default_options(void)
{

	return "print_suppressions=0";
}
#endif

/* The fake kernel's lwp: any structure will do for librumpuser. */
struct lwp {
	int l_id;
};

/* Upcall counters. */
static atomic_int h_schedule_calls;
static atomic_int h_unschedule_calls;
static atomic_int h_backend_unschedule_calls;
static atomic_int h_backend_schedule_calls;
static atomic_int h_newlwp_calls;
static atomic_int h_violations;

/* Interlock argument of the latest backend schedule upcall. */
static _Atomic(void *) h_schedule_interlock;

/*
 * When set, the backend schedule upcall checks whether its interlock mutex
 * is held by the caller and counts the results.
 */
static atomic_bool h_probe_interlock;
static atomic_int h_interlock_held_at_schedule;
static atomic_int h_interlock_free_at_schedule;

/* Per-thread state of the fake kernel. */
static __thread bool h_has_cpu;
static __thread int h_giant_holds;
static __thread int h_thread_backend_unschedules;
static __thread int h_thread_backend_schedules;
static __thread int h_thread_interlocked_unschedules;

static void
h_violation(void)
{

	atomic_fetch_add(&h_violations, 1);
}

static void
h_schedule(void)
{

	if (h_has_cpu)
		h_violation();
	h_has_cpu = true;
	atomic_fetch_add(&h_schedule_calls, 1);
}

static void
h_unschedule(void)
{

	if (!h_has_cpu)
		h_violation();
	h_has_cpu = false;
	atomic_fetch_add(&h_unschedule_calls, 1);
}

static void
h_backend_unschedule(int nlocks, int *countp, void *interlock)
{

	if (!h_has_cpu || nlocks != 0)
		h_violation();
	*countp = h_giant_holds;
	h_giant_holds = 0;
	h_has_cpu = false;
	h_thread_backend_unschedules++;
	if (interlock != NULL)
		h_thread_interlocked_unschedules++;
	atomic_fetch_add(&h_backend_unschedule_calls, 1);
}

static void
h_backend_schedule(int nlocks, void *interlock)
{
	struct rumpuser_mtx *mtx = interlock;

	if (h_has_cpu)
		h_violation();
	if (mtx != NULL && atomic_load(&h_probe_interlock)) {
		if (rumpuser_mutex_tryenter(mtx) == 0) {
			rumpuser_mutex_exit(mtx);
			atomic_fetch_add(&h_interlock_free_at_schedule, 1);
		} else {
			atomic_fetch_add(&h_interlock_held_at_schedule, 1);
		}
	}
	h_has_cpu = true;
	h_giant_holds = nlocks;
	h_thread_backend_schedules++;
	atomic_store(&h_schedule_interlock, interlock);
	atomic_fetch_add(&h_backend_schedule_calls, 1);
}

/* Give the calling thread a new lwp of the given process. */
static int
h_lwproc_newlwp(pid_t pid)
{
	struct lwp *l;

	if (!h_has_cpu)
		h_violation();
	l = malloc(sizeof(*l));
	if (l == NULL)
		return ENOMEM;
	l->l_id = 1000 + (int)pid + atomic_fetch_add(&h_newlwp_calls, 1);
	rumpuser_curlwpop(RUMPUSER_LWP_CREATE, l);
	rumpuser_curlwpop(RUMPUSER_LWP_SET, l);
	return 0;
}

static const struct rumpuser_hyperup h_hyperup H_UNUSED = {
	.hyp_schedule = h_schedule,
	.hyp_unschedule = h_unschedule,
	.hyp_backend_unschedule = h_backend_unschedule,
	.hyp_backend_schedule = h_backend_schedule,
	.hyp_lwproc_newlwp = h_lwproc_newlwp,
};

/* Initialise librumpuser with the fake upcalls; the caller has a CPU. */
static H_UNUSED void
h_init(void)
{

	ATF_REQUIRE_EQ(rumpuser_init(RUMPUSER_VERSION, &h_hyperup), 0);
	h_has_cpu = true;
}

/* Make the calling thread a kernel thread: bind l and take a CPU. */
static H_UNUSED void
h_enter_kernel(struct lwp *l)
{

	rumpuser_curlwpop(RUMPUSER_LWP_CREATE, l);
	rumpuser_curlwpop(RUMPUSER_LWP_SET, l);
	h_has_cpu = true;
}

/* Undo h_enter_kernel(). */
static H_UNUSED void
h_leave_kernel(struct lwp *l)
{

	h_has_cpu = false;
	rumpuser_curlwpop(RUMPUSER_LWP_CLEAR, l);
	rumpuser_curlwpop(RUMPUSER_LWP_DESTROY, l);
}

/*
 * Run the statements after what in a child process that must die of
 * SIGABRT, without leaving a core file.
 */
#define H_EXPECT_ABORT(what, ...)					\
	do {								\
		struct rlimit h_nocore = { 0, 0 };			\
		pid_t h_child;						\
		int h_status;						\
									\
		h_child = fork();					\
		ATF_REQUIRE(h_child != -1);				\
		if (h_child == 0) {					\
			setrlimit(RLIMIT_CORE, &h_nocore);		\
			__VA_ARGS__;					\
			_exit(0);					\
		}							\
		ATF_REQUIRE_EQ(waitpid(h_child, &h_status, 0), h_child); \
		ATF_CHECK_MSG(WIFSIGNALED(h_status) &&			\
		    WTERMSIG(h_status) == SIGABRT,			\
		    "%s did not abort (wait status %#x)", what, h_status); \
	} while (0)

/* Monotonic time in nanoseconds. */
static H_UNUSED int64_t
h_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Sleep for ms milliseconds. */
static H_UNUSED void
h_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) == -1)
		continue;
}

/*
 * Wait until *counter reaches at least value, for at most timeout_ms
 * milliseconds.  Returns whether it did.
 */
static H_UNUSED bool
h_wait_for_count(atomic_int *counter, int value, long timeout_ms)
{
	int64_t deadline;

	deadline = h_now_ns() + (int64_t)timeout_ms * 1000000;
	while (atomic_load(counter) < value) {
		if (h_now_ns() > deadline)
			return false;
		h_sleep_ms(1);
	}
	return true;
}

/* Check that the calling thread holds a CPU and no upcall was misused. */
static H_UNUSED void
h_check_upcalls(void)
{

	ATF_CHECK_MSG(h_has_cpu, "the test thread lost its virtual CPU");
	ATF_CHECK_EQ_MSG(atomic_load(&h_violations), 0,
	    "%d upcalls were made in the wrong CPU state",
	    atomic_load(&h_violations));
}

#endif /* _TESTS_LIBRUMPUSER_H_HYPERUP_H_ */
