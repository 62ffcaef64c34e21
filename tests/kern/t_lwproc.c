/* SPDX-License-Identifier: BSD-2-Clause */
/* Processes and lwps through the rump_pub_lwproc interface. */

#include <sys/wait.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "h_kern.h"

ATF_TC(implicit_context);
ATF_TC_HEAD(implicit_context, tc)
{
	atf_tc_set_md_var(tc, "descr", "an unbound thread runs in the init "
	    "process and has no curlwp");
}
ATF_TC_BODY(implicit_context, tc)
{

	boot_kernel(0);
	ATF_CHECK(rump_pub_lwproc_curlwp() == NULL);
	ATF_CHECK_EQ(rump_sys_getpid(), 1);
	ATF_CHECK_EQ(rump_sys_getppid(), 0);
}

ATF_TC(rfork_basic);
ATF_TC_HEAD(rfork_basic, tc)
{
	atf_tc_set_md_var(tc, "descr", "rfork makes a child with a new pid "
	    "and binds its lwp");
}
ATF_TC_BODY(rfork_basic, tc)
{
	struct lwp *l1, *l2;
	pid_t p1, p2;

	boot_kernel(0);
	ATF_REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFFDG), 0);
	l1 = rump_pub_lwproc_curlwp();
	ATF_REQUIRE(l1 != NULL);
	p1 = rump_sys_getpid();
	ATF_CHECK(p1 > 1);
	ATF_CHECK_EQ(rump_sys_getppid(), 1);

	/* A child of the child. */
	ATF_REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	l2 = rump_pub_lwproc_curlwp();
	p2 = rump_sys_getpid();
	ATF_CHECK(l2 != l1);
	ATF_CHECK(p2 != p1);
	ATF_CHECK_EQ(rump_sys_getppid(), p1);

	/* Back to the first; then release it: the grandchild is adopted. */
	rump_pub_lwproc_switch(l1);
	ATF_CHECK_EQ(rump_sys_getpid(), p1);
	rump_pub_lwproc_releaselwp();
	ATF_CHECK(rump_pub_lwproc_curlwp() == NULL);
	ATF_CHECK_EQ(rump_sys_getpid(), 1);
	rump_pub_lwproc_switch(l2);
	ATF_CHECK_EQ(rump_sys_getpid(), p2);
	ATF_CHECK_EQ(rump_sys_getppid(), 1);
	rump_pub_lwproc_releaselwp();

	ATF_CHECK_EQ(rump_pub_lwproc_rfork(RUMP_RFFDG | RUMP_RFCFDG), EINVAL);
	ATF_CHECK_EQ(rump_pub_lwproc_rfork(0x100), EINVAL);
}

ATF_TC(newlwp);
ATF_TC_HEAD(newlwp, tc)
{
	atf_tc_set_md_var(tc, "descr", "newlwp adds an lwp to a process, "
	    "which lives until its last lwp is released");
}
ATF_TC_BODY(newlwp, tc)
{
	struct lwp *l1, *l2;
	pid_t pid;

	boot_kernel(0);
	ATF_REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFFDG), 0);
	l1 = rump_pub_lwproc_curlwp();
	pid = rump_sys_getpid();
	ATF_REQUIRE_EQ(rump_pub_lwproc_newlwp(pid), 0);
	l2 = rump_pub_lwproc_curlwp();
	ATF_CHECK(l2 != l1);
	ATF_CHECK_EQ(rump_sys_getpid(), pid);

	rump_pub_lwproc_releaselwp();		/* l2 */
	ATF_CHECK_EQ(rump_pub_lwproc_newlwp(pid), 0);	/* still there */
	rump_pub_lwproc_releaselwp();
	rump_pub_lwproc_switch(l1);
	rump_pub_lwproc_releaselwp();		/* last one: process ends */
	ATF_CHECK_EQ(rump_pub_lwproc_newlwp(pid), ESRCH);
	ATF_CHECK_EQ(rump_pub_lwproc_newlwp(12345), ESRCH);
	ATF_CHECK_EQ(rump_pub_lwproc_newlwp(-1), ESRCH);
}

ATF_TC(pid_reuse);
ATF_TC_HEAD(pid_reuse, tc)
{
	atf_tc_set_md_var(tc, "descr", "pids increase and are not reused at "
	    "once");
}
ATF_TC_BODY(pid_reuse, tc)
{
	pid_t prev = 1, pid;
	int i;

	boot_kernel(0);
	for (i = 0; i < 1000; i++) {
		ATF_REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
		pid = rump_sys_getpid();
		ATF_REQUIRE_MSG(pid > prev, "pid %d after %d", pid, prev);
		prev = pid;
		rump_pub_lwproc_releaselwp();
	}
}

static void *
thread_getpid(void *arg)
{
	struct lwp *l = arg;
	intptr_t pid;

	rump_pub_lwproc_switch(l);
	pid = rump_sys_getpid();
	rump_pub_lwproc_switch(NULL);
	return (void *)pid;
}

ATF_TC(switch_threads);
ATF_TC_HEAD(switch_threads, tc)
{
	atf_tc_set_md_var(tc, "descr", "an lwp moves between host threads");
}
ATF_TC_BODY(switch_threads, tc)
{
	struct lwp *l;
	pthread_t t;
	void *ret;
	pid_t pid;

	boot_kernel(0);
	ATF_REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFFDG), 0);
	l = rump_pub_lwproc_curlwp();
	pid = rump_sys_getpid();
	rump_pub_lwproc_switch(NULL);
	ATF_REQUIRE_EQ(pthread_create(&t, NULL, thread_getpid, l), 0);
	ATF_REQUIRE_EQ(pthread_join(t, &ret), 0);
	ATF_CHECK_EQ((intptr_t)ret, pid);
	rump_pub_lwproc_switch(l);
	rump_pub_lwproc_releaselwp();
}

ATF_TC(double_bind_panics);
ATF_TC_HEAD(double_bind_panics, tc)
{
	atf_tc_set_md_var(tc, "descr", "binding one lwp to two threads "
	    "panics");
}
ATF_TC_BODY(double_bind_panics, tc)
{
	struct lwp *l;
	pthread_t t;
	int status;
	pid_t child;

	/* The kernel boots in the child: fork after boot is not safe. */
	child = fork();
	ATF_REQUIRE(child != -1);
	if (child == 0) {
		if (freopen("panic.txt", "w", stderr) == NULL)
			_exit(3);
		if (rump_init() != 0 || rump_pub_lwproc_rfork(RUMP_RFFDG) != 0)
			_exit(4);
		/* l stays bound here; another thread binds it too. */
		l = rump_pub_lwproc_curlwp();
		pthread_create(&t, NULL, thread_getpid, l);
		pthread_join(t, NULL);
		_exit(0);
	}
	ATF_REQUIRE(waitpid(child, &status, 0) == child);
	ATF_CHECK_MSG(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT,
	    "status %#x", status);
	ATF_CHECK(atf_utils_grep_file("^panic: .*already bound", "panic.txt"));
}

ATF_TC(release_unbound_panics);
ATF_TC_HEAD(release_unbound_panics, tc)
{
	atf_tc_set_md_var(tc, "descr", "releaselwp without a bound lwp "
	    "panics");
}
ATF_TC_BODY(release_unbound_panics, tc)
{
	int status;
	pid_t child;

	child = fork();
	ATF_REQUIRE(child != -1);
	if (child == 0) {
		if (freopen("panic.txt", "w", stderr) == NULL)
			_exit(3);
		if (rump_init() != 0)
			_exit(4);
		rump_pub_lwproc_releaselwp();
		_exit(0);
	}
	ATF_REQUIRE(waitpid(child, &status, 0) == child);
	ATF_CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
	ATF_CHECK(atf_utils_grep_file("^panic: .*no lwp is bound",
	    "panic.txt"));
}

static volatile int race_stop;
static volatile pid_t race_lastpid;

static void *
race_forker(void *arg)
{

	while (!race_stop) {
		if (rump_pub_lwproc_rfork(RUMP_RFCFDG) != 0)
			continue;
		race_lastpid = rump_sys_getpid();
		rump_pub_lwproc_releaselwp();
	}
	return NULL;
}

static void *
race_sniper(void *arg)
{

	while (!race_stop) {
		if (rump_pub_lwproc_newlwp(race_lastpid + 1) == 0)
			rump_pub_lwproc_releaselwp();
	}
	return NULL;
}

ATF_TC(newlwp_during_rfork);
ATF_TC_HEAD(newlwp_during_rfork, tc)
{
	atf_tc_set_md_var(tc, "descr", "newlwp on a process being created "
	    "fails or works, never frees it under its creator");
	atf_tc_set_md_var(tc, "timeout", "120");
}
ATF_TC_BODY(newlwp_during_rfork, tc)
{
	pthread_t t[6];
	int i;

	boot_kernel(2);
	for (i = 0; i < 6; i++)
		ATF_REQUIRE_EQ(pthread_create(&t[i], NULL,
		    i < 2 ? race_forker : race_sniper, NULL), 0);
	sleep(2);
	race_stop = 1;
	for (i = 0; i < 6; i++)
		ATF_REQUIRE_EQ(pthread_join(t[i], NULL), 0);
	ATF_CHECK_EQ(rump_sys_getpid(), 1);
}

ATF_TC(switch_released_panics);
ATF_TC_HEAD(switch_released_panics, tc)
{
	atf_tc_set_md_var(tc, "descr", "switching to a released lwp panics");
}
ATF_TC_BODY(switch_released_panics, tc)
{
	struct lwp *l;
	int status;
	pid_t child;

	child = fork();
	ATF_REQUIRE(child != -1);
	if (child == 0) {
		if (freopen("panic.txt", "w", stderr) == NULL)
			_exit(3);
		if (rump_init() != 0 || rump_pub_lwproc_rfork(RUMP_RFFDG) != 0)
			_exit(4);
		l = rump_pub_lwproc_curlwp();
		rump_pub_lwproc_releaselwp();
		rump_pub_lwproc_switch(l);
		_exit(0);
	}
	ATF_REQUIRE(waitpid(child, &status, 0) == child);
	ATF_CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
	ATF_CHECK(atf_utils_grep_file("^panic: .*not an lwp", "panic.txt"));
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, newlwp_during_rfork);
	ATF_TP_ADD_TC(tp, switch_released_panics);
	ATF_TP_ADD_TC(tp, implicit_context);
	ATF_TP_ADD_TC(tp, rfork_basic);
	ATF_TP_ADD_TC(tp, newlwp);
	ATF_TP_ADD_TC(tp, pid_reuse);
	ATF_TP_ADD_TC(tp, switch_threads);
	ATF_TP_ADD_TC(tp, double_bind_panics);
	ATF_TP_ADD_TC(tp, release_unbound_panics);
	return atf_no_error();
}
