/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Tests of the clock hypercalls: rumpuser_clock_gettime() on both clocks,
 * relative sleeps on the wall clock and absolute sleeps on the monotonic
 * clock.
 */

#include <sys/types.h>

#include <atf-c.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "h_hyperup.h"

#define NSEC_PER_SEC	1000000000LL
#define NSEC_PER_MSEC	1000000LL

static int64_t
host_clock_ns(clockid_t clock)
{
	struct timespec ts;

	ATF_REQUIRE_EQ(clock_gettime(clock, &ts), 0);
	return (int64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

static int64_t
rump_clock_ns(int clock)
{
	int64_t sec;
	long nsec;

	ATF_REQUIRE_EQ(rumpuser_clock_gettime(clock, &sec, &nsec), 0);
	ATF_CHECK(nsec >= 0 && nsec < NSEC_PER_SEC);
	return sec * NSEC_PER_SEC + nsec;
}

ATF_TC(gettime_wall);
ATF_TC_HEAD(gettime_wall, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "RUMPUSER_CLOCK_RELWALL returns the host's wall-clock time");
}
ATF_TC_BODY(gettime_wall, tc)
{
	int64_t before, now, after;

	h_init();
	before = host_clock_ns(CLOCK_REALTIME);
	now = rump_clock_ns(RUMPUSER_CLOCK_RELWALL);
	after = host_clock_ns(CLOCK_REALTIME);
	ATF_CHECK(before <= now && now <= after);
	h_check_upcalls();
}

ATF_TC(gettime_mono);
ATF_TC_HEAD(gettime_mono, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "RUMPUSER_CLOCK_ABSMONO returns the host's monotonic time");
}
ATF_TC_BODY(gettime_mono, tc)
{
	int64_t before, now, later, after;

	h_init();
	before = host_clock_ns(CLOCK_MONOTONIC);
	now = rump_clock_ns(RUMPUSER_CLOCK_ABSMONO);
	later = rump_clock_ns(RUMPUSER_CLOCK_ABSMONO);
	after = host_clock_ns(CLOCK_MONOTONIC);
	ATF_CHECK(before <= now && now <= later && later <= after);
	h_check_upcalls();
}

ATF_TC(gettime_invalid);
ATF_TC_HEAD(gettime_invalid, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "rumpuser_clock_gettime returns EINVAL for an unknown clock");
}
ATF_TC_BODY(gettime_invalid, tc)
{
	int64_t sec;
	long nsec;

	h_init();
	ATF_CHECK_EQ(rumpuser_clock_gettime(2, &sec, &nsec), EINVAL);
	ATF_CHECK_EQ(rumpuser_clock_gettime(-1, &sec, &nsec), EINVAL);
	ATF_CHECK_EQ(rumpuser_clock_sleep(2, 0, 0), EINVAL);
}

ATF_TC(sleep_relative);
ATF_TC_HEAD(sleep_relative, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "A relative sleep lasts at least its duration, without a CPU");
}
ATF_TC_BODY(sleep_relative, tc)
{
	int64_t start, elapsed;

	h_init();
	start = host_clock_ns(CLOCK_MONOTONIC);
	ATF_REQUIRE_EQ(rumpuser_clock_sleep(RUMPUSER_CLOCK_RELWALL, 0,
	    50 * NSEC_PER_MSEC), 0);
	elapsed = host_clock_ns(CLOCK_MONOTONIC) - start;
	ATF_CHECK_MSG(elapsed >= 50 * NSEC_PER_MSEC,
	    "slept only %lld ns", (long long)elapsed);

	start = host_clock_ns(CLOCK_MONOTONIC);
	ATF_REQUIRE_EQ(rumpuser_clock_sleep(RUMPUSER_CLOCK_RELWALL, 1, 0), 0);
	elapsed = host_clock_ns(CLOCK_MONOTONIC) - start;
	ATF_CHECK_MSG(elapsed >= NSEC_PER_SEC, "slept only %lld ns",
	    (long long)elapsed);

	ATF_CHECK_EQ(atomic_load(&h_backend_unschedule_calls), 2);
	ATF_CHECK_EQ(atomic_load(&h_backend_schedule_calls), 2);
	h_check_upcalls();
}

static void
on_sigusr1(int sig)
{

	(void)sig;
}

static void *
signal_sender(void *arg)
{
	pthread_t target = *(pthread_t *)arg;
	int i;

	for (i = 0; i < 10; i++) {
		h_sleep_ms(10);
		pthread_kill(target, SIGUSR1);
	}
	return NULL;
}

ATF_TC(sleep_interrupted);
ATF_TC_HEAD(sleep_interrupted, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "Signals do not cut a relative or absolute sleep short");
}
ATF_TC_BODY(sleep_interrupted, tc)
{
	struct sigaction sa;
	pthread_t self, sender;
	int64_t start, elapsed, deadline;

	h_init();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigusr1;
	ATF_REQUIRE_EQ(sigaction(SIGUSR1, &sa, NULL), 0);
	self = pthread_self();

	ATF_REQUIRE_EQ(pthread_create(&sender, NULL, signal_sender, &self),
	    0);
	start = host_clock_ns(CLOCK_MONOTONIC);
	ATF_REQUIRE_EQ(rumpuser_clock_sleep(RUMPUSER_CLOCK_RELWALL, 0,
	    200 * NSEC_PER_MSEC), 0);
	elapsed = host_clock_ns(CLOCK_MONOTONIC) - start;
	ATF_REQUIRE_EQ(pthread_join(sender, NULL), 0);
	ATF_CHECK_MSG(elapsed >= 200 * NSEC_PER_MSEC, "slept only %lld ns",
	    (long long)elapsed);

	ATF_REQUIRE_EQ(pthread_create(&sender, NULL, signal_sender, &self),
	    0);
	deadline = host_clock_ns(CLOCK_MONOTONIC) + 200 * NSEC_PER_MSEC;
	ATF_REQUIRE_EQ(rumpuser_clock_sleep(RUMPUSER_CLOCK_ABSMONO,
	    deadline / NSEC_PER_SEC, (long)(deadline % NSEC_PER_SEC)), 0);
	ATF_CHECK(host_clock_ns(CLOCK_MONOTONIC) >= deadline);
	ATF_REQUIRE_EQ(pthread_join(sender, NULL), 0);
	h_check_upcalls();
}

ATF_TC(sleep_absolute);
ATF_TC_HEAD(sleep_absolute, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "An absolute monotonic sleep returns once the deadline has passed");
}
ATF_TC_BODY(sleep_absolute, tc)
{
	int64_t sec, deadline, start;
	long nsec;

	h_init();
	ATF_REQUIRE_EQ(rumpuser_clock_gettime(RUMPUSER_CLOCK_ABSMONO, &sec,
	    &nsec), 0);
	deadline = sec * NSEC_PER_SEC + nsec + 80 * NSEC_PER_MSEC;
	ATF_REQUIRE_EQ(rumpuser_clock_sleep(RUMPUSER_CLOCK_ABSMONO,
	    deadline / NSEC_PER_SEC, (long)(deadline % NSEC_PER_SEC)), 0);
	ATF_CHECK(host_clock_ns(CLOCK_MONOTONIC) >= deadline);

	/* A deadline in the past returns at once. */
	start = host_clock_ns(CLOCK_MONOTONIC);
	ATF_CHECK_EQ(rumpuser_clock_sleep(RUMPUSER_CLOCK_ABSMONO,
	    sec - 10, 0), 0);
	ATF_CHECK_EQ(rumpuser_clock_sleep(RUMPUSER_CLOCK_ABSMONO, -5, 0), 0);
	ATF_CHECK(host_clock_ns(CLOCK_MONOTONIC) - start <
	    50 * NSEC_PER_MSEC);
	h_check_upcalls();
}

ATF_TC(sleep_invalid);
ATF_TC_HEAD(sleep_invalid, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "rumpuser_clock_sleep rejects negative durations and bad "
	    "nanoseconds");
}
ATF_TC_BODY(sleep_invalid, tc)
{

	h_init();
	ATF_CHECK_EQ(rumpuser_clock_sleep(RUMPUSER_CLOCK_RELWALL, -1, 0),
	    EINVAL);
	ATF_CHECK_EQ(rumpuser_clock_sleep(RUMPUSER_CLOCK_RELWALL, 0, -1),
	    EINVAL);
	ATF_CHECK_EQ(rumpuser_clock_sleep(RUMPUSER_CLOCK_RELWALL, 0,
	    NSEC_PER_SEC), EINVAL);
	ATF_CHECK_EQ(rumpuser_clock_sleep(RUMPUSER_CLOCK_ABSMONO, 0,
	    NSEC_PER_SEC), EINVAL);
	ATF_CHECK_EQ(rumpuser_clock_sleep(RUMPUSER_CLOCK_RELWALL, 0, 0), 0);
	h_check_upcalls();
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, gettime_wall);
	ATF_TP_ADD_TC(tp, gettime_mono);
	ATF_TP_ADD_TC(tp, gettime_invalid);
	ATF_TP_ADD_TC(tp, sleep_relative);
	ATF_TP_ADD_TC(tp, sleep_interrupted);
	ATF_TP_ADD_TC(tp, sleep_absolute);
	ATF_TP_ADD_TC(tp, sleep_invalid);
	return atf_no_error();
}
