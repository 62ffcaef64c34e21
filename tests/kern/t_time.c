/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Time system calls: gettimeofday, clock_gettime, clock_getres and
 * nanosleep, checked against the host's clocks and error values.  Timing
 * bounds are generous, because test machines are loaded.
 */

#include <sys/time.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <atf-c.h>

#include <rump/rump.h>

/* Largest difference accepted between a rump clock and the host's. */
#define CLOCK_SLACK_NS	(1000LL * 1000 * 1000)

static void
boot(int sigmodel)
{
	int error;

	if (sigmodel >= 0)
		rump_boot_setsigmodel(sigmodel);
	error = rump_init();
	ATF_REQUIRE_EQ_MSG(error, 0, "rump_init: %s", strerror(error));
}

static int64_t
ts_ns(const struct timespec *ts)
{

	return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

static int64_t
host_ns(clockid_t id)
{
	struct timespec ts;

	ATF_REQUIRE_EQ(clock_gettime(id, &ts), 0);
	return ts_ns(&ts);
}

/* Check that rump's clock id reads between the host's before and after. */
static void
check_clock_near_host(clockid_t rumpid, clockid_t hostid, const char *name)
{
	struct timespec ts;
	int64_t before, after, got;

	before = host_ns(hostid);
	ATF_REQUIRE_EQ_MSG(rump_sys_clock_gettime(rumpid, &ts), 0,
	    "clock_gettime(%s): %s", name, strerror(errno));
	after = host_ns(hostid);
	got = ts_ns(&ts);

	ATF_CHECK_MSG(ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000,
	    "%s: tv_nsec %ld out of range", name, ts.tv_nsec);
	ATF_CHECK_MSG(got >= before - CLOCK_SLACK_NS &&
	    got <= after + CLOCK_SLACK_NS, "%s: %lld ns, host between %lld "
	    "and %lld", name, (long long)got, (long long)before,
	    (long long)after);
}

static void
check_einval(int rv, const char *what)
{

	ATF_CHECK_MSG(rv == -1 && errno == EINVAL, "%s: returned %d, "
	    "errno %d (%s), expected EINVAL", what, rv, errno,
	    strerror(errno));
}

ATF_TC(gettimeofday);
ATF_TC_HEAD(gettimeofday, tc)
{
	atf_tc_set_md_var(tc, "descr", "gettimeofday reads the host's wall "
	    "clock and reports a zero time zone");
}
ATF_TC_BODY(gettimeofday, tc)
{
	struct timeval tv, before, after;
	struct timezone tz;

	boot(-1);
	ATF_REQUIRE_EQ(gettimeofday(&before, NULL), 0);
	memset(&tz, 0x5a, sizeof(tz));
	ATF_REQUIRE_EQ(rump_sys_gettimeofday(&tv, &tz), 0);
	ATF_REQUIRE_EQ(gettimeofday(&after, NULL), 0);

	ATF_CHECK(tv.tv_usec >= 0 && tv.tv_usec < 1000000);
	ATF_CHECK_MSG(tv.tv_sec >= before.tv_sec - 1 &&
	    tv.tv_sec <= after.tv_sec + 1, "rump %lld s, host %lld..%lld s",
	    (long long)tv.tv_sec, (long long)before.tv_sec,
	    (long long)after.tv_sec);
	ATF_CHECK_EQ(tz.tz_minuteswest, 0);
	ATF_CHECK_EQ(tz.tz_dsttime, 0);

	/* Either pointer may be NULL. */
	ATF_CHECK_EQ(rump_sys_gettimeofday(NULL, NULL), 0);
	ATF_CHECK_EQ(rump_sys_gettimeofday(&tv, NULL), 0);
	ATF_CHECK_EQ(rump_sys_gettimeofday(NULL, &tz), 0);

	errno = 0;
	ATF_CHECK_EQ(rump_sys_gettimeofday((void *)8, NULL), -1);
	ATF_CHECK_EQ(errno, EFAULT);
	errno = 0;
	ATF_CHECK_EQ(rump_sys_gettimeofday(&tv, (void *)8), -1);
	ATF_CHECK_EQ(errno, EFAULT);
}

ATF_TC(clock_gettime);
ATF_TC_HEAD(clock_gettime, tc)
{
	atf_tc_set_md_var(tc, "descr", "each supported clock reads close to "
	    "the host's clock of the same id");
}
ATF_TC_BODY(clock_gettime, tc)
{
	struct timespec a, b;

	boot(-1);
	check_clock_near_host(CLOCK_REALTIME, CLOCK_REALTIME,
	    "CLOCK_REALTIME");
	check_clock_near_host(CLOCK_REALTIME_COARSE, CLOCK_REALTIME,
	    "CLOCK_REALTIME_COARSE");
	check_clock_near_host(CLOCK_MONOTONIC, CLOCK_MONOTONIC,
	    "CLOCK_MONOTONIC");
	check_clock_near_host(CLOCK_MONOTONIC_RAW, CLOCK_MONOTONIC,
	    "CLOCK_MONOTONIC_RAW");
	check_clock_near_host(CLOCK_MONOTONIC_COARSE, CLOCK_MONOTONIC,
	    "CLOCK_MONOTONIC_COARSE");
	check_clock_near_host(CLOCK_BOOTTIME, CLOCK_MONOTONIC,
	    "CLOCK_BOOTTIME");

	/* The monotonic clock does not go back. */
	ATF_REQUIRE_EQ(rump_sys_clock_gettime(CLOCK_MONOTONIC, &a), 0);
	ATF_REQUIRE_EQ(rump_sys_clock_gettime(CLOCK_MONOTONIC, &b), 0);
	ATF_CHECK(ts_ns(&b) >= ts_ns(&a));
}

ATF_TC(clock_gettime_errors);
ATF_TC_HEAD(clock_gettime_errors, tc)
{
	atf_tc_set_md_var(tc, "descr", "unknown and CPU-time clocks are "
	    "EINVAL, a bad pointer EFAULT");
}
ATF_TC_BODY(clock_gettime_errors, tc)
{
	struct timespec ts;

	boot(-1);
	errno = 0;
	check_einval(rump_sys_clock_gettime(100, &ts), "clock 100");
	errno = 0;
	check_einval(clock_gettime(100, &ts), "host clock 100");
	errno = 0;
	check_einval(rump_sys_clock_gettime(12, &ts), "clock 12");
	errno = 0;
	check_einval(rump_sys_clock_gettime(INT32_MAX, &ts), "clock max");

	/* NOTE: CPU time is not accounted, so these are unsupported. */
	errno = 0;
	check_einval(rump_sys_clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts),
	    "CLOCK_PROCESS_CPUTIME_ID");
	errno = 0;
	check_einval(rump_sys_clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts),
	    "CLOCK_THREAD_CPUTIME_ID");

	/* The clock id is checked before the pointer, as on Linux. */
	errno = 0;
	check_einval(rump_sys_clock_gettime(100, NULL), "clock 100, NULL");
	errno = 0;
	ATF_CHECK_EQ(rump_sys_clock_gettime(CLOCK_REALTIME, NULL), -1);
	ATF_CHECK_EQ(errno, EFAULT);
	errno = 0;
	ATF_CHECK_EQ(rump_sys_clock_gettime(CLOCK_MONOTONIC, (void *)8), -1);
	ATF_CHECK_EQ(errno, EFAULT);
}

ATF_TC(clock_getres);
ATF_TC_HEAD(clock_getres, tc)
{
	atf_tc_set_md_var(tc, "descr", "clock_getres gives 1 ns for precise "
	    "clocks, a tick for coarse ones, EINVAL for others");
}
ATF_TC_BODY(clock_getres, tc)
{
	static const clockid_t precise[] = { CLOCK_REALTIME, CLOCK_MONOTONIC,
	    CLOCK_MONOTONIC_RAW, CLOCK_BOOTTIME };
	static const clockid_t coarse[] = { CLOCK_REALTIME_COARSE,
	    CLOCK_MONOTONIC_COARSE };
	struct timespec res, host;
	size_t i;

	boot(-1);
	for (i = 0; i < sizeof(precise) / sizeof(precise[0]); i++) {
		memset(&res, 0x5a, sizeof(res));
		ATF_REQUIRE_EQ(rump_sys_clock_getres(precise[i], &res), 0);
		ATF_CHECK_MSG(res.tv_sec == 0 && res.tv_nsec == 1,
		    "clock %d: resolution %lld.%09ld", precise[i],
		    (long long)res.tv_sec, res.tv_nsec);

		/* The host's high-resolution clocks agree. */
		ATF_REQUIRE_EQ(clock_getres(precise[i], &host), 0);
		ATF_CHECK_EQ(host.tv_sec, res.tv_sec);
		ATF_CHECK_EQ(host.tv_nsec, res.tv_nsec);
	}
	for (i = 0; i < sizeof(coarse) / sizeof(coarse[0]); i++) {
		ATF_REQUIRE_EQ(rump_sys_clock_getres(coarse[i], &res), 0);
		/* One clock tick: 10 ms at 100 Hz. */
		ATF_CHECK_MSG(res.tv_sec == 0 && res.tv_nsec == 10000000,
		    "clock %d: resolution %lld.%09ld", coarse[i],
		    (long long)res.tv_sec, res.tv_nsec);
	}

	/* A NULL result is allowed; an unsupported clock is not. */
	ATF_CHECK_EQ(rump_sys_clock_getres(CLOCK_MONOTONIC, NULL), 0);
	errno = 0;
	check_einval(rump_sys_clock_getres(100, NULL), "clock 100, NULL");
	errno = 0;
	check_einval(rump_sys_clock_getres(100, &res), "clock 100");
	errno = 0;
	check_einval(rump_sys_clock_getres(CLOCK_THREAD_CPUTIME_ID, &res),
	    "CLOCK_THREAD_CPUTIME_ID");
	errno = 0;
	ATF_CHECK_EQ(rump_sys_clock_getres(CLOCK_REALTIME, (void *)8), -1);
	ATF_CHECK_EQ(errno, EFAULT);
}

ATF_TC(nanosleep_duration);
ATF_TC_HEAD(nanosleep_duration, tc)
{
	atf_tc_set_md_var(tc, "descr", "nanosleep sleeps at least the time "
	    "asked for, and not wildly more");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(nanosleep_duration, tc)
{
	static const long msecs[] = { 0, 1, 50, 250 };
	struct timespec req, rem;
	int64_t start, elapsed;
	size_t i;

	boot(-1);
	for (i = 0; i < sizeof(msecs) / sizeof(msecs[0]); i++) {
		req.tv_sec = msecs[i] / 1000;
		req.tv_nsec = (msecs[i] % 1000) * 1000000;
		memset(&rem, 0x5a, sizeof(rem));
		start = host_ns(CLOCK_MONOTONIC);
		ATF_REQUIRE_EQ_MSG(rump_sys_nanosleep(&req, &rem), 0,
		    "nanosleep(%ld ms): %s", msecs[i], strerror(errno));
		elapsed = host_ns(CLOCK_MONOTONIC) - start;
		ATF_CHECK_MSG(elapsed >= msecs[i] * 1000000,
		    "nanosleep(%ld ms) took %lld ns", msecs[i],
		    (long long)elapsed);
		ATF_CHECK_MSG(elapsed < msecs[i] * 1000000 + 5 * CLOCK_SLACK_NS,
		    "nanosleep(%ld ms) took %lld ns", msecs[i],
		    (long long)elapsed);
	}

	/* One second and a bit, through both fields. */
	req.tv_sec = 1;
	req.tv_nsec = 100000000;
	start = host_ns(CLOCK_MONOTONIC);
	ATF_REQUIRE_EQ(rump_sys_nanosleep(&req, NULL), 0);
	elapsed = host_ns(CLOCK_MONOTONIC) - start;
	ATF_CHECK_MSG(elapsed >= 1100000000, "took %lld ns",
	    (long long)elapsed);
	ATF_CHECK_MSG(elapsed < 1100000000 + 5 * CLOCK_SLACK_NS,
	    "took %lld ns", (long long)elapsed);
}

ATF_TC(nanosleep_errors);
ATF_TC_HEAD(nanosleep_errors, tc)
{
	atf_tc_set_md_var(tc, "descr", "nanosleep rejects negative and "
	    "out-of-range times as the host does");
}
ATF_TC_BODY(nanosleep_errors, tc)
{
	static const struct timespec bad[] = {
		{ 0, 1000000000 },
		{ 0, -1 },
		{ -1, 0 },
		{ -1, 500 },
		{ 1, 2000000000 },
		{ INT64_MIN, 0 },
		{ 0, INT64_MIN },
	};
	struct timespec rem;
	int rv, host_rv, host_err;
	size_t i;

	boot(-1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		host_rv = nanosleep(&bad[i], &rem);
		host_err = errno;
		errno = 0;
		rv = rump_sys_nanosleep(&bad[i], &rem);
		ATF_CHECK_MSG(rv == -1 && errno == EINVAL, "{%lld, %ld}: "
		    "returned %d, errno %d (%s)", (long long)bad[i].tv_sec,
		    bad[i].tv_nsec, rv, errno, strerror(errno));
		ATF_CHECK_MSG(rv == host_rv && errno == host_err,
		    "{%lld, %ld}: rump %d/%d, host %d/%d",
		    (long long)bad[i].tv_sec, bad[i].tv_nsec, rv, errno,
		    host_rv, host_err);
	}

	errno = 0;
	ATF_CHECK_EQ(rump_sys_nanosleep(NULL, NULL), -1);
	ATF_CHECK_EQ(errno, EFAULT);
	errno = 0;
	ATF_CHECK_EQ(rump_sys_nanosleep((void *)8, &rem), -1);
	ATF_CHECK_EQ(errno, EFAULT);
}

/* A thread that sleeps in a rump process until a signal ends the sleep. */
struct sleeper {
	struct lwp	*l;
	struct timespec	 req;
	struct timespec	 rem;
	bool		 want_rem;
	int		 rv;
	int		 err;
	int64_t		 elapsed;
};

static void *
sleeper_main(void *arg)
{
	struct sleeper *s = arg;
	int64_t start;

	rump_pub_lwproc_switch(s->l);
	memset(&s->rem, 0x5a, sizeof(s->rem));
	start = host_ns(CLOCK_MONOTONIC);
	errno = 0;
	s->rv = rump_sys_nanosleep(&s->req, s->want_rem ? &s->rem : NULL);
	s->err = errno;
	s->elapsed = host_ns(CLOCK_MONOTONIC) - start;
	rump_pub_lwproc_releaselwp();
	return NULL;
}

/* Sleep in a new process in a new thread, and interrupt the sleep. */
static void
interrupt_sleep(struct sleeper *s)
{
	pthread_t t;
	pid_t pid;

	ATF_REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	pid = rump_sys_getpid();
	s->l = rump_pub_lwproc_curlwp();
	rump_pub_lwproc_switch(NULL);

	ATF_REQUIRE_EQ(pthread_create(&t, NULL, sleeper_main, s), 0);
	usleep(200000);
	ATF_REQUIRE_EQ(rump_sys_kill(pid, SIGUSR1), 0);
	ATF_REQUIRE_EQ(pthread_join(t, NULL), 0);
}

ATF_TC(nanosleep_interrupted);
ATF_TC_HEAD(nanosleep_interrupted, tc)
{
	atf_tc_set_md_var(tc, "descr", "a signal ends nanosleep with EINTR "
	    "and the remaining time");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(nanosleep_interrupted, tc)
{
	struct sleeper s;
	int64_t rem;

	boot(RUMP_SIGMODEL_RECORD);

	memset(&s, 0, sizeof(s));
	s.req.tv_sec = 20;
	s.want_rem = true;
	interrupt_sleep(&s);
	ATF_CHECK_EQ(s.rv, -1);
	ATF_CHECK_EQ(s.err, EINTR);
	ATF_CHECK_MSG(s.elapsed < 15LL * 1000000000, "slept %lld ns",
	    (long long)s.elapsed);
	rem = ts_ns(&s.rem);
	ATF_CHECK(s.rem.tv_nsec >= 0 && s.rem.tv_nsec < 1000000000);
	ATF_CHECK_MSG(rem > 0 && rem <= 20LL * 1000000000 - s.elapsed +
	    CLOCK_SLACK_NS, "remaining %lld ns after %lld ns", (long long)rem,
	    (long long)s.elapsed);

	/* Without rem the result is the same. */
	memset(&s, 0, sizeof(s));
	s.req.tv_sec = 20;
	interrupt_sleep(&s);
	ATF_CHECK_EQ(s.rv, -1);
	ATF_CHECK_EQ(s.err, EINTR);
}

ATF_TC(nanosleep_huge);
ATF_TC_HEAD(nanosleep_huge, tc)
{
	atf_tc_set_md_var(tc, "descr", "the largest valid time sleeps "
	    "until a signal instead of overflowing");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(nanosleep_huge, tc)
{
	struct sleeper s;

	boot(RUMP_SIGMODEL_RECORD);
	memset(&s, 0, sizeof(s));
	s.req.tv_sec = INT64_MAX;
	s.req.tv_nsec = 999999999;
	s.want_rem = true;
	interrupt_sleep(&s);
	ATF_CHECK_EQ(s.rv, -1);
	ATF_CHECK_EQ(s.err, EINTR);
	ATF_CHECK_MSG(s.elapsed >= 150000000, "slept only %lld ns",
	    (long long)s.elapsed);
	/* The time left is still centuries. */
	ATF_CHECK_MSG(s.rem.tv_sec > 100LL * 365 * 86400, "remaining %lld s",
	    (long long)s.rem.tv_sec);
	ATF_CHECK(s.rem.tv_nsec >= 0 && s.rem.tv_nsec < 1000000000);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, gettimeofday);
	ATF_TP_ADD_TC(tp, clock_gettime);
	ATF_TP_ADD_TC(tp, clock_gettime_errors);
	ATF_TP_ADD_TC(tp, clock_getres);
	ATF_TP_ADD_TC(tp, nanosleep_duration);
	ATF_TP_ADD_TC(tp, nanosleep_errors);
	ATF_TP_ADD_TC(tp, nanosleep_interrupted);
	ATF_TP_ADD_TC(tp, nanosleep_huge);
	return atf_no_error();
}
