/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Tests of the thread hypercalls: rumpuser_thread_create(),
 * rumpuser_thread_exit() and rumpuser_thread_join(), thread names, and the
 * current lwp kept by rumpuser_curlwpop() and rumpuser_curlwp().
 */

#include <sys/types.h>
#include <sys/wait.h>

#include <atf-c.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "h_hyperup.h"

/* What a test thread saw. */
struct thread_report {
	void *arg;
	char name[32];
	struct lwp *curlwp;
	atomic_int finished;
};

static void
report_self(struct thread_report *report)
{

	report->arg = report;
	if (pthread_getname_np(pthread_self(), report->name,
	    sizeof(report->name)) != 0)
		strcpy(report->name, "(unknown)");
	report->curlwp = rumpuser_curlwp();
}

static void *
returning_thread(void *arg)
{
	struct thread_report *report = arg;

	report_self(report);
	atomic_store(&report->finished, 1);
	return NULL;
}

static void *
exiting_thread(void *arg)
{
	struct thread_report *report = arg;

	report_self(report);
	atomic_store(&report->finished, 1);
	rumpuser_thread_exit();
}

ATF_TC(create_join);
ATF_TC_HEAD(create_join, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "A joinable thread runs with its argument and name and is joined "
	    "without a CPU");
}
ATF_TC_BODY(create_join, tc)
{
	struct thread_report report;
	void *cookie;

	h_init();
	memset(&report, 0, sizeof(report));
	cookie = NULL;
	ATF_REQUIRE_EQ(rumpuser_thread_create(returning_thread, &report,
	    "ru_worker", 1, 0, -1, &cookie), 0);
	ATF_REQUIRE_EQ(rumpuser_thread_join(cookie), 0);

	ATF_CHECK_EQ(atomic_load(&report.finished), 1);
	ATF_CHECK(report.arg == &report);
	ATF_CHECK_STREQ(report.name, "ru_worker");
	ATF_CHECK(report.curlwp == NULL);
	ATF_CHECK_EQ(atomic_load(&h_backend_unschedule_calls), 1);
	ATF_CHECK_EQ(atomic_load(&h_backend_schedule_calls), 1);
	h_check_upcalls();
}

ATF_TC(name_truncated);
ATF_TC_HEAD(name_truncated, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "Thread names are cut to the host's 15 characters, and NULL means "
	    "no name");
}
ATF_TC_BODY(name_truncated, tc)
{
	struct thread_report report;
	void *cookie;

	h_init();
	memset(&report, 0, sizeof(report));
	ATF_REQUIRE_EQ(rumpuser_thread_create(returning_thread, &report,
	    "a_very_long_thread_name", 1, 5, 0, &cookie), 0);
	ATF_REQUIRE_EQ(rumpuser_thread_join(cookie), 0);
	ATF_CHECK_STREQ(report.name, "a_very_long_thr");

	memset(&report, 0, sizeof(report));
	ATF_REQUIRE_EQ(rumpuser_thread_create(returning_thread, &report,
	    NULL, 1, 0, -1, &cookie), 0);
	ATF_REQUIRE_EQ(rumpuser_thread_join(cookie), 0);
	ATF_CHECK_EQ(atomic_load(&report.finished), 1);
	h_check_upcalls();
}

ATF_TC(detached);
ATF_TC_HEAD(detached, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "A thread created without mustjoin runs detached and needs no "
	    "cookie");
}
ATF_TC_BODY(detached, tc)
{
	struct thread_report report;

	h_init();
	memset(&report, 0, sizeof(report));
	ATF_REQUIRE_EQ(rumpuser_thread_create(returning_thread, &report,
	    "ru_detached", 0, 0, -1, NULL), 0);
	ATF_REQUIRE_MSG(h_wait_for_count(&report.finished, 1, 10000),
	    "the detached thread did not run within 10 s");
	ATF_CHECK_STREQ(report.name, "ru_detached");
	h_check_upcalls();
}

ATF_TC(thread_exit);
ATF_TC_HEAD(thread_exit, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "rumpuser_thread_exit ends a thread, which can then be joined");
}
ATF_TC_BODY(thread_exit, tc)
{
	struct thread_report report;
	void *cookie;

	h_init();
	memset(&report, 0, sizeof(report));
	ATF_REQUIRE_EQ(rumpuser_thread_create(exiting_thread, &report,
	    "ru_exiting", 1, 0, -1, &cookie), 0);
	ATF_REQUIRE_EQ(rumpuser_thread_join(cookie), 0);
	ATF_CHECK_EQ(atomic_load(&report.finished), 1);
	h_check_upcalls();
}

ATF_TC(many_threads);
ATF_TC_HEAD(many_threads, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "Fifty joinable threads can run at once and are all joined");
}
ATF_TC_BODY(many_threads, tc)
{
	enum { NTHREADS = 50 };
	static struct thread_report reports[NTHREADS];
	void *cookies[NTHREADS];
	int i;

	h_init();
	for (i = 0; i < NTHREADS; i++)
		ATF_REQUIRE_EQ(rumpuser_thread_create(returning_thread,
		    &reports[i], "ru_many", 1, 0, i % 4, &cookies[i]), 0);
	for (i = 0; i < NTHREADS; i++) {
		ATF_REQUIRE_EQ(rumpuser_thread_join(cookies[i]), 0);
		ATF_CHECK_EQ(atomic_load(&reports[i].finished), 1);
		ATF_CHECK(reports[i].arg == &reports[i]);
	}
	h_check_upcalls();
}

static void *
curlwp_thread(void *arg)
{
	struct thread_report *report = arg;
	struct lwp own = { 2 };

	report->curlwp = rumpuser_curlwp();
	rumpuser_curlwpop(RUMPUSER_LWP_SET, &own);
	if (rumpuser_curlwp() == &own)
		atomic_store(&report->finished, 1);
	rumpuser_curlwpop(RUMPUSER_LWP_CLEAR, &own);
	return NULL;
}

ATF_TC(curlwp_set_clear);
ATF_TC_HEAD(curlwp_set_clear, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "SET and CLEAR bind and unbind the calling thread's lwp only");
}
ATF_TC_BODY(curlwp_set_clear, tc)
{
	struct thread_report report;
	struct lwp l = { 1 };
	pthread_t thread;

	h_init();
	ATF_CHECK(rumpuser_curlwp() == NULL);
	rumpuser_curlwpop(RUMPUSER_LWP_CREATE, &l);
	ATF_CHECK(rumpuser_curlwp() == NULL);
	rumpuser_curlwpop(RUMPUSER_LWP_SET, &l);
	ATF_CHECK(rumpuser_curlwp() == &l);

	/* Another thread starts with no lwp and binds its own. */
	memset(&report, 0, sizeof(report));
	report.curlwp = &l;
	ATF_REQUIRE_EQ(pthread_create(&thread, NULL, curlwp_thread, &report),
	    0);
	ATF_REQUIRE_EQ(pthread_join(thread, NULL), 0);
	ATF_CHECK(report.curlwp == NULL);
	ATF_CHECK_EQ(atomic_load(&report.finished), 1);
	ATF_CHECK(rumpuser_curlwp() == &l);

	rumpuser_curlwpop(RUMPUSER_LWP_CLEAR, &l);
	ATF_CHECK(rumpuser_curlwp() == NULL);
	rumpuser_curlwpop(RUMPUSER_LWP_SET, &l);
	ATF_CHECK(rumpuser_curlwp() == &l);
	rumpuser_curlwpop(RUMPUSER_LWP_CLEAR, &l);
	rumpuser_curlwpop(RUMPUSER_LWP_DESTROY, &l);
	ATF_CHECK(rumpuser_curlwp() == NULL);
	h_check_upcalls();
}

/* Run op_a then op_b on the current lwp; this must abort. */
static void
expect_abort(int op_a, struct lwp *la, int op_b, struct lwp *lb)
{
	char what[64];

	snprintf(what, sizeof(what), "curlwpop %d then %d", op_a, op_b);
	H_EXPECT_ABORT(what, {
		rumpuser_curlwpop(op_a, la);
		rumpuser_curlwpop(op_b, lb);
	});
}

ATF_TC(curlwp_misuse);
ATF_TC_HEAD(curlwp_misuse, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "A second SET, a CLEAR of another lwp or a DESTROY of the current "
	    "lwp aborts");
}
ATF_TC_BODY(curlwp_misuse, tc)
{
	struct lwp l1 = { 1 }, l2 = { 2 };

	h_init();
	expect_abort(RUMPUSER_LWP_SET, &l1, RUMPUSER_LWP_SET, &l2);
	expect_abort(RUMPUSER_LWP_SET, &l1, RUMPUSER_LWP_CLEAR, &l2);
	expect_abort(RUMPUSER_LWP_CREATE, &l1, RUMPUSER_LWP_CLEAR, &l1);
	expect_abort(RUMPUSER_LWP_SET, &l1, RUMPUSER_LWP_DESTROY, &l1);
	expect_abort(RUMPUSER_LWP_CREATE, &l1, 17, &l1);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, create_join);
	ATF_TP_ADD_TC(tp, name_truncated);
	ATF_TP_ADD_TC(tp, detached);
	ATF_TP_ADD_TC(tp, thread_exit);
	ATF_TP_ADD_TC(tp, many_threads);
	ATF_TP_ADD_TC(tp, curlwp_set_clear);
	ATF_TP_ADD_TC(tp, curlwp_misuse);
	return atf_no_error();
}
