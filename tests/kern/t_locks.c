/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Kernel locks, condition variables and sleeps: timed waits, wakeups,
 * interruption by signals, rwlock upgrade and downgrade, kernel threads.
 */

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "h_kern.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
boot_with_locks(void)
{

	rump_boot_setsigmodel(RUMP_SIGMODEL_RECORD);
	boot_kernel(2);
	rump_schedule();
	rump_test_locks_init();
	rump_unschedule();
}

ATF_TC(cv_timedwait);
ATF_TC_HEAD(cv_timedwait, tc)
{
	atf_tc_set_md_var(tc, "descr", "an unsignalled timed wait returns "
	    "EWOULDBLOCK after its timeout");
}
ATF_TC_BODY(cv_timedwait, tc)
{
	double t0, dt;
	int error;

	boot_with_locks();
	t0 = now();
	rump_schedule();
	error = rump_test_cv_wait(20, 0);	/* 20 ticks = 200 ms */
	rump_unschedule();
	dt = now() - t0;
	ATF_CHECK_EQ(error, EWOULDBLOCK);
	ATF_CHECK_MSG(dt >= 0.19, "woke after %.3f s", dt);
	ATF_CHECK_MSG(dt < 5.0, "woke after %.3f s", dt);
}

struct waiter {
	pthread_t	thread;
	int		ticks;
	int		intr;
	int		bind;
	int		error;
	int		second;		/* a short second wait after the first */
};

static void *
waiter_run(void *arg)
{
	struct waiter *w = arg;

	if (w->bind && rump_pub_lwproc_rfork(RUMP_RFCFDG) != 0) {
		w->error = -1;
		return NULL;
	}
	rump_schedule();
	w->error = rump_test_cv_wait(w->ticks, w->intr);
	if (w->intr)
		w->second = rump_test_cv_wait(5, w->intr);
	rump_unschedule();
	return NULL;
}

static void
wait_for_waiters(int n)
{
	int i, got = -1;

	for (i = 0; i < 1000; i++) {
		rump_schedule();
		got = rump_test_cv_nwaiters();
		rump_unschedule();
		if (got == n)
			return;
		usleep(5000);
	}
	atf_tc_fail("expected %d waiters, have %d", n, got);
}

ATF_TC(cv_signal_broadcast);
ATF_TC_HEAD(cv_signal_broadcast, tc)
{
	atf_tc_set_md_var(tc, "descr", "cv_signal wakes one waiter, "
	    "cv_broadcast the rest");
}
ATF_TC_BODY(cv_signal_broadcast, tc)
{
	struct waiter w[4];
	int i;

	boot_with_locks();
	memset(w, 0, sizeof(w));
	for (i = 0; i < 4; i++) {
		w[i].ticks = 60 * 100;		/* a minute: a safety net */
		ATF_REQUIRE_EQ(pthread_create(&w[i].thread, NULL, waiter_run,
		    &w[i]), 0);
	}
	wait_for_waiters(4);
	rump_schedule();
	rump_test_cv_wake(0);
	rump_unschedule();
	wait_for_waiters(3);
	rump_schedule();
	rump_test_cv_wake(1);
	rump_unschedule();
	for (i = 0; i < 4; i++) {
		ATF_REQUIRE_EQ(pthread_join(w[i].thread, NULL), 0);
		ATF_CHECK_EQ_MSG(w[i].error, 0, "waiter %d: %d", i, w[i].error);
	}
}

ATF_TC(cv_wait_sig);
ATF_TC_HEAD(cv_wait_sig, tc)
{
	atf_tc_set_md_var(tc, "descr", "a signal posted with kill ends an "
	    "interruptible wait with EINTR");
}
ATF_TC_BODY(cv_wait_sig, tc)
{
	struct waiter w;
	pid_t pid = 0;
	int i;

	boot_with_locks();
	memset(&w, 0, sizeof(w));
	w.ticks = 60 * 100;
	w.intr = 1;
	w.bind = 1;
	ATF_REQUIRE_EQ(pthread_create(&w.thread, NULL, waiter_run, &w), 0);
	wait_for_waiters(1);
	/* The waiter's process is the newest: the highest pid in use. */
	for (i = 2; i < 100 && pid == 0; i++)
		if (rump_sys_kill(i, 0) == 0)
			pid = i;
	ATF_REQUIRE(pid > 1);
	ATF_REQUIRE_EQ(rump_sys_kill(pid, SIGUSR1), 0);
	ATF_REQUIRE_EQ(pthread_join(w.thread, NULL), 0);
	ATF_CHECK_EQ(w.error, EINTR);
	/* The signal was taken by the first wait: the second times out. */
	ATF_CHECK_EQ(w.second, EWOULDBLOCK);
}

static volatile sig_atomic_t handler_pid;

static void
getpid_handler(int sig)
{

	handler_pid = rump_sys_getpid();
}

ATF_TC(raise_after_return);
ATF_TC_HEAD(raise_after_return, tc)
{
	atf_tc_set_md_var(tc, "descr", "under the RAISE model a handler that "
	    "calls into the kernel runs after kill returns");
}
ATF_TC_BODY(raise_after_return, tc)
{

	rump_boot_setsigmodel(RUMP_SIGMODEL_RAISE);
	boot_kernel(1);
	ATF_REQUIRE(signal(SIGUSR1, getpid_handler) != SIG_ERR);
	ATF_REQUIRE_EQ(rump_sys_kill(1, SIGUSR1), 0);
	ATF_CHECK_EQ(handler_pid, 1);
}

static void *
unbound_sleeper(void *arg)
{
	int *errorp = arg;

	rump_schedule();
	*errorp = rump_test_kpause_sig(60 * 100);
	rump_unschedule();
	return NULL;
}

ATF_TC(signal_wakes_implicit);
ATF_TC_HEAD(signal_wakes_implicit, tc)
{
	atf_tc_set_md_var(tc, "descr", "a signal to pid 1 ends the "
	    "interruptible sleep of an unbound thread");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(signal_wakes_implicit, tc)
{
	pthread_t t;
	double t0;
	int error = -1;

	boot_with_locks();
	ATF_REQUIRE_EQ(pthread_create(&t, NULL, unbound_sleeper, &error), 0);
	usleep(200 * 1000);
	t0 = now();
	ATF_REQUIRE_EQ(rump_sys_kill(1, SIGUSR1), 0);
	ATF_REQUIRE_EQ(pthread_join(t, NULL), 0);
	ATF_CHECK_EQ(error, EINTR);
	ATF_CHECK_MSG(now() - t0 < 10.0, "woke after %.3f s", now() - t0);
}

static volatile pid_t handler_tid;

static void
tid_handler(int sig)
{

	handler_tid = gettid();
}

static volatile int spin_stop;

static void *
getpid_spinner(void *arg)
{

	while (!spin_stop)
		rump_sys_getpid();
	return NULL;
}

ATF_TC(raise_in_poster);
ATF_TC_HEAD(raise_in_poster, tc)
{
	atf_tc_set_md_var(tc, "descr", "under RAISE the handler runs in the "
	    "posting thread before its kill returns");
}
ATF_TC_BODY(raise_in_poster, tc)
{
	pthread_t t[3];
	int i, wrong = 0;

	rump_boot_setsigmodel(RUMP_SIGMODEL_RAISE);
	boot_kernel(2);
	ATF_REQUIRE(signal(SIGUSR1, tid_handler) != SIG_ERR);
	for (i = 0; i < 3; i++)
		ATF_REQUIRE_EQ(pthread_create(&t[i], NULL, getpid_spinner,
		    NULL), 0);
	for (i = 0; i < 500; i++) {
		handler_tid = 0;
		ATF_REQUIRE_EQ(rump_sys_kill(1, SIGUSR1), 0);
		if (handler_tid != gettid())
			wrong++;
	}
	spin_stop = 1;
	for (i = 0; i < 3; i++)
		ATF_REQUIRE_EQ(pthread_join(t[i], NULL), 0);
	ATF_CHECK_EQ_MSG(wrong, 0, "%d of 500 not handled in the poster",
	    wrong);
}

ATF_TC(kpause_sig);
ATF_TC_HEAD(kpause_sig, tc)
{
	atf_tc_set_md_var(tc, "descr", "a pending signal ends the next "
	    "interruptible sleep at once, and only one");
}
ATF_TC_BODY(kpause_sig, tc)
{
	pid_t pid;

	boot_with_locks();
	ATF_REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	pid = rump_sys_getpid();
	ATF_REQUIRE_EQ(rump_sys_kill(pid, SIGUSR2), 0);
	rump_schedule();
	ATF_CHECK_EQ(rump_test_kpause_sig(60 * 100), EINTR);
	ATF_CHECK_EQ(rump_test_kpause_sig(2), EWOULDBLOCK);
	rump_unschedule();
	rump_pub_lwproc_releaselwp();
}

ATF_TC(rwlock);
ATF_TC_HEAD(rwlock, tc)
{
	atf_tc_set_md_var(tc, "descr", "rwlock sharing, upgrade, downgrade "
	    "and held queries");
}
ATF_TC_BODY(rwlock, tc)
{
	int step;

	boot_with_locks();
	rump_schedule();
	step = rump_test_rwlock();
	rump_unschedule();
	ATF_CHECK_EQ_MSG(step, 0, "step %d failed", step);
}

ATF_TC(kthread);
ATF_TC_HEAD(kthread, tc)
{
	atf_tc_set_md_var(tc, "descr", "a joinable kernel thread runs and is "
	    "joined");
}
ATF_TC_BODY(kthread, tc)
{
	int i;

	boot_with_locks();
	for (i = 0; i < 50; i++) {
		rump_schedule();
		ATF_CHECK_EQ(rump_test_kthread(), 0);
		rump_unschedule();
	}
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, cv_timedwait);
	ATF_TP_ADD_TC(tp, cv_signal_broadcast);
	ATF_TP_ADD_TC(tp, cv_wait_sig);
	ATF_TP_ADD_TC(tp, raise_after_return);
	ATF_TP_ADD_TC(tp, signal_wakes_implicit);
	ATF_TP_ADD_TC(tp, raise_in_poster);
	ATF_TP_ADD_TC(tp, kpause_sig);
	ATF_TP_ADD_TC(tp, rwlock);
	ATF_TP_ADD_TC(tp, kthread);
	return atf_no_error();
}
