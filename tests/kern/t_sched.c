/* SPDX-License-Identifier: BSD-2-Clause */
/* The virtual CPU scheduler under many host threads. */

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "h_kern.h"

#define NTHREADS	8
#define NCALLS		100000

struct worker {
	pthread_t	thread;
	int		bind;		/* rfork a process of its own first */
	pid_t		expect;
	long		wrong;
	pid_t		pid;
};

static void *
worker_run(void *arg)
{
	struct worker *w = arg;
	int i;

	if (w->bind) {
		if (rump_pub_lwproc_rfork(RUMP_RFCFDG) != 0) {
			w->wrong = -1;
			return NULL;
		}
		w->pid = rump_sys_getpid();
		w->expect = w->pid;
	}
	for (i = 0; i < NCALLS; i++)
		if (rump_sys_getpid() != w->expect)
			w->wrong++;
	if (w->bind)
		rump_pub_lwproc_releaselwp();
	return NULL;
}

static void
run_workers(int bind)
{
	struct worker w[NTHREADS];
	int i, j;

	boot_kernel(2);
	memset(w, 0, sizeof(w));
	for (i = 0; i < NTHREADS; i++) {
		w[i].bind = bind;
		w[i].expect = 1;
		ATF_REQUIRE_EQ(pthread_create(&w[i].thread, NULL, worker_run,
		    &w[i]), 0);
	}
	for (i = 0; i < NTHREADS; i++)
		ATF_REQUIRE_EQ(pthread_join(w[i].thread, NULL), 0);
	for (i = 0; i < NTHREADS; i++) {
		ATF_CHECK_EQ_MSG(w[i].wrong, 0, "thread %d: %ld wrong results",
		    i, w[i].wrong);
		for (j = 0; j < i && bind; j++)
			ATF_CHECK_MSG(w[i].pid != w[j].pid,
			    "threads %d and %d share pid %d", i, j, w[i].pid);
	}
	/* Every lwp went away: a new process gets a fresh pid. */
	ATF_CHECK_EQ(rump_sys_getpid(), 1);
}

ATF_TC(unbound_threads);
ATF_TC_HEAD(unbound_threads, tc)
{
	atf_tc_set_md_var(tc, "descr", "8 unbound threads x 100000 getpid on "
	    "2 CPUs all get pid 1");
	atf_tc_set_md_var(tc, "timeout", "300");
}
ATF_TC_BODY(unbound_threads, tc)
{

	run_workers(0);
}

ATF_TC(bound_threads);
ATF_TC_HEAD(bound_threads, tc)
{
	atf_tc_set_md_var(tc, "descr", "8 threads with processes of their own "
	    "x 100000 getpid on 2 CPUs");
	atf_tc_set_md_var(tc, "timeout", "300");
}
ATF_TC_BODY(bound_threads, tc)
{

	run_workers(1);
}

static void *
worker_mutex(void *arg)
{

	rump_schedule();
	rump_test_mutex_add(20000);
	rump_unschedule();
	return NULL;
}

ATF_TC(mutex_contention);
ATF_TC_HEAD(mutex_contention, tc)
{
	atf_tc_set_md_var(tc, "descr", "8 threads increment a counter under "
	    "one kernel mutex on 2 CPUs");
	atf_tc_set_md_var(tc, "timeout", "300");
}
ATF_TC_BODY(mutex_contention, tc)
{
	pthread_t t[NTHREADS];
	int i;

	boot_kernel(2);
	rump_schedule();
	rump_test_locks_init();
	rump_unschedule();
	for (i = 0; i < NTHREADS; i++)
		ATF_REQUIRE_EQ(pthread_create(&t[i], NULL, worker_mutex, NULL),
		    0);
	for (i = 0; i < NTHREADS; i++)
		ATF_REQUIRE_EQ(pthread_join(t[i], NULL), 0);
	rump_schedule();
	ATF_CHECK_EQ(rump_test_counter(), NTHREADS * 20000L);
	rump_unschedule();
}

static volatile int storm_stop;

static void *
storm_switch(void *arg)
{

	while (!storm_stop)
		rump_pub_lwproc_switch(NULL);
	return NULL;
}

static void *
storm_creds(void *arg)
{

	while (!storm_stop) {
		rump_sys_umask(022);
		rump_sys_setuid(0);
	}
	return NULL;
}

static void *
storm_sleep(void *arg)
{
	struct timespec ts = { 0, 100000 };

	while (!storm_stop)
		rump_sys_nanosleep(&ts, NULL);
	return NULL;
}

ATF_TC(switch_storm);
ATF_TC_HEAD(switch_storm, tc)
{
	atf_tc_set_md_var(tc, "descr", "unbound threads switching, changing "
	    "credentials and sleeping for 3 s keep the kernel sane");
	atf_tc_set_md_var(tc, "timeout", "120");
}
ATF_TC_BODY(switch_storm, tc)
{
	void *(*fn[3])(void *) = { storm_switch, storm_creds, storm_sleep };
	pthread_t t[24];
	int i;

	boot_kernel(2);
	for (i = 0; i < 24; i++)
		ATF_REQUIRE_EQ(pthread_create(&t[i], NULL, fn[i % 3], NULL),
		    0);
	sleep(3);
	storm_stop = 1;
	for (i = 0; i < 24; i++)
		ATF_REQUIRE_EQ(pthread_join(t[i], NULL), 0);
	ATF_CHECK_EQ(rump_sys_getpid(), 1);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, switch_storm);
	ATF_TP_ADD_TC(tp, unbound_threads);
	ATF_TP_ADD_TC(tp, bound_threads);
	ATF_TP_ADD_TC(tp, mutex_contention);
	return atf_no_error();
}
