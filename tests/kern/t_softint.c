/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Soft interrupts.  Covered: a scheduled handler runs; a second schedule
 * while pending runs it once; levels run in priority order; disestablish
 * waits for running and pending handlers; a handler may schedule itself;
 * schedules from many threads are never lost; a kernel without threads
 * runs handlers in softint_schedule.  The cases run in
 * kcomp/softint_test.c; a non-zero result is the source line of the check
 * that failed there, which the kernel also prints.
 */

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "h_kern.h"

int	rump_test_softint_run(void);
int	rump_test_softint_once(void);
int	rump_test_softint_priority(void);
int	rump_test_softint_disestablish_running(void);
int	rump_test_softint_disestablish_pending(void);
int	rump_test_softint_reschedule(void);
int	rump_test_softint_nothreads(void);
void	rump_test_softint_many_setup(void);
void	rump_test_softint_many_schedule(int);
int	rump_test_softint_many_finish(void);

/* Boot with ncpu CPUs and run one kernel-side case. */
static void
run_case(const char *name, int ncpu, int (*fn)(void))
{
	int line;

	boot_kernel(ncpu);
	rump_schedule();
	line = fn();
	rump_unschedule();
	ATF_REQUIRE_EQ_MSG(line, 0, "%s: check at kcomp/softint_test.c line "
	    "%d failed", name, line);
}

ATF_TC(schedule_runs);
ATF_TC_HEAD(schedule_runs, tc)
{
	atf_tc_set_md_var(tc, "descr", "a scheduled softint runs its handler "
	    "once per schedule");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(schedule_runs, tc)
{

	run_case("run", 2, rump_test_softint_run);
}

ATF_TC(pending_runs_once);
ATF_TC_HEAD(pending_runs_once, tc)
{
	atf_tc_set_md_var(tc, "descr", "scheduling a softint that is already "
	    "pending runs the handler only once");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(pending_runs_once, tc)
{

	run_case("once", 2, rump_test_softint_once);
}

ATF_TC(level_order);
ATF_TC_HEAD(level_order, tc)
{
	atf_tc_set_md_var(tc, "descr", "pending softints run highest level "
	    "first, in scheduling order within a level");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(level_order, tc)
{

	run_case("priority", 1, rump_test_softint_priority);
}

ATF_TC(disestablish_waits_running);
ATF_TC_HEAD(disestablish_waits_running, tc)
{
	atf_tc_set_md_var(tc, "descr", "softint_disestablish waits for a "
	    "handler that is running and sleeps");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(disestablish_waits_running, tc)
{

	run_case("disestablish_running", 2,
	    rump_test_softint_disestablish_running);
}

ATF_TC(disestablish_waits_pending);
ATF_TC_HEAD(disestablish_waits_pending, tc)
{
	atf_tc_set_md_var(tc, "descr", "softint_disestablish waits until a "
	    "pending handler has run");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(disestablish_waits_pending, tc)
{

	run_case("disestablish_pending", 2,
	    rump_test_softint_disestablish_pending);
}

ATF_TC(reschedule_self);
ATF_TC_HEAD(reschedule_self, tc)
{
	atf_tc_set_md_var(tc, "descr", "a handler that schedules itself runs "
	    "again, as often as it schedules");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(reschedule_self, tc)
{

	run_case("reschedule", 2, rump_test_softint_reschedule);
}

ATF_TC(no_threads_direct);
ATF_TC_HEAD(no_threads_direct, tc)
{
	atf_tc_set_md_var(tc, "descr", "with RUMP_THREADS=0 softint_schedule "
	    "runs the handler itself, without nesting");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(no_threads_direct, tc)
{

	setenv("RUMP_THREADS", "0", 1);
	run_case("nothreads", 2, rump_test_softint_nothreads);
}

#define MANY_THREADS	8
#define MANY_CALLS	300
#define MANY_PER_CALL	4

static void *
many_run(void *arg)
{
	int i;

	for (i = 0; i < MANY_CALLS; i++) {
		rump_schedule();
		rump_test_softint_many_schedule(MANY_PER_CALL);
		rump_unschedule();
	}
	return NULL;
}

ATF_TC(schedule_many_threads);
ATF_TC_HEAD(schedule_many_threads, tc)
{
	atf_tc_set_md_var(tc, "descr", "schedules from many threads on many "
	    "CPUs are never lost");
	atf_tc_set_md_var(tc, "timeout", "120");
}
ATF_TC_BODY(schedule_many_threads, tc)
{
	pthread_t threads[MANY_THREADS];
	int i, line;

	boot_kernel(4);
	rump_schedule();
	rump_test_softint_many_setup();
	rump_unschedule();

	for (i = 0; i < MANY_THREADS; i++)
		ATF_REQUIRE_EQ(pthread_create(&threads[i], NULL, many_run,
		    NULL), 0);
	for (i = 0; i < MANY_THREADS; i++)
		ATF_REQUIRE_EQ(pthread_join(threads[i], NULL), 0);

	rump_schedule();
	line = rump_test_softint_many_finish();
	rump_unschedule();
	ATF_REQUIRE_EQ_MSG(line, 0, "many: check at kcomp/softint_test.c "
	    "line %d failed", line);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, schedule_runs);
	ATF_TP_ADD_TC(tp, pending_runs_once);
	ATF_TP_ADD_TC(tp, level_order);
	ATF_TP_ADD_TC(tp, disestablish_waits_running);
	ATF_TP_ADD_TC(tp, disestablish_waits_pending);
	ATF_TP_ADD_TC(tp, reschedule_self);
	ATF_TP_ADD_TC(tp, no_threads_direct);
	ATF_TP_ADD_TC(tp, schedule_many_threads);
	return atf_no_error();
}
