/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Counting semaphores: p and v across threads, many waiters, tryp,
 * timedp timing out and being woken, and sema_p_sig interrupted by a
 * signal.  The cases run in kcomp/sema_test.c; a non-zero result is the
 * source line of the check that failed there, which the kernel also
 * prints.
 */

#include <stdio.h>
#include <string.h>

#include "h_kern.h"

int	rump_test_sema_pingpong(int);
int	rump_test_sema_waiters(int);
int	rump_test_sema_tryp(void);
int	rump_test_sema_timedp_timeout(void);
int	rump_test_sema_timedp_wakeup(void);
int	rump_test_sema_p_sig(void);

static void
require_case(const char *name, int line)
{

	ATF_REQUIRE_EQ_MSG(line, 0, "%s: check at kcomp/sema_test.c line %d "
	    "failed", name, line);
}

static void
run_case(const char *name, int (*fn)(void))
{
	int line;

	boot_kernel(2);
	rump_schedule();
	line = fn();
	rump_unschedule();
	require_case(name, line);
}

ATF_TC(p_v_threads);
ATF_TC_HEAD(p_v_threads, tc)
{
	atf_tc_set_md_var(tc, "descr", "two threads alternate through a pair "
	    "of semaphores without losing a count");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(p_v_threads, tc)
{
	int line;

	boot_kernel(2);
	rump_schedule();
	line = rump_test_sema_pingpong(2000);
	rump_unschedule();
	require_case("pingpong", line);
}

ATF_TC(many_waiters);
ATF_TC_HEAD(many_waiters, tc)
{
	atf_tc_set_md_var(tc, "descr", "one sema_v per waiter releases every "
	    "waiter exactly once");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(many_waiters, tc)
{
	int line;

	boot_kernel(2);
	rump_schedule();
	line = rump_test_sema_waiters(8);
	rump_unschedule();
	require_case("waiters", line);
}

ATF_TC(tryp);
ATF_TC_HEAD(tryp, tc)
{
	atf_tc_set_md_var(tc, "descr", "sema_tryp takes a count while there "
	    "is one and fails without waiting after");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(tryp, tc)
{

	run_case("tryp", rump_test_sema_tryp);
}

ATF_TC(timedp_timeout);
ATF_TC_HEAD(timedp_timeout, tc)
{
	atf_tc_set_md_var(tc, "descr", "sema_timedp returns EWOULDBLOCK after "
	    "its timeout when no count comes");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(timedp_timeout, tc)
{

	run_case("timedp_timeout", rump_test_sema_timedp_timeout);
}

ATF_TC(timedp_wakeup);
ATF_TC_HEAD(timedp_wakeup, tc)
{
	atf_tc_set_md_var(tc, "descr", "sema_timedp returns 0 when another "
	    "thread gives a count before the timeout");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(timedp_wakeup, tc)
{

	run_case("timedp_wakeup", rump_test_sema_timedp_wakeup);
}

ATF_TC(p_sig_interrupted);
ATF_TC_HEAD(p_sig_interrupted, tc)
{
	atf_tc_set_md_var(tc, "descr", "a signal ends sema_p_sig with EINTR "
	    "unless a count is available");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(p_sig_interrupted, tc)
{
	int line;

	rump_boot_setsigmodel(RUMP_SIGMODEL_RECORD);
	boot_kernel(2);
	ATF_REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	rump_schedule();
	line = rump_test_sema_p_sig();
	rump_unschedule();
	rump_pub_lwproc_releaselwp();
	require_case("p_sig", line);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, p_v_threads);
	ATF_TP_ADD_TC(tp, many_waiters);
	ATF_TP_ADD_TC(tp, tryp);
	ATF_TP_ADD_TC(tp, timedp_timeout);
	ATF_TP_ADD_TC(tp, timedp_wakeup);
	ATF_TP_ADD_TC(tp, p_sig_interrupted);
	return atf_no_error();
}
