/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Time system calls: gettimeofday, clock_gettime, clock_getres and
 * nanosleep, with Linux clock ids and error values.
 *
 * The realtime clocks read the host's wall clock and the monotonic ones
 * the host's monotonic clock, so a rump kernel's times can be compared
 * with the host's.  Time zones are not kept: the time zone that
 * gettimeofday reports is always zero, as on a Linux system that never
 * set one.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/mutex.h>
#include <sys/condvar.h>
#include <sys/time.h>
#include <sys/syscallargs.h>

/* The latest deadline handed to cv_timedwait_ns: "forever" in practice. */
#define DEADLINE_MAX	((uint64_t)__INT64_MAX__)

static void
ns_to_timespec(uint64_t ns, struct timespec *ts)
{

	ts->tv_sec = (time_t)(ns / NSEC_PER_SEC);
	ts->tv_nsec = (long)(ns % NSEC_PER_SEC);
}

int
sys_gettimeofday(struct lwp *l, const struct sys_gettimeofday_args *uap,
    register_t *retval)
{
	struct timeval tv;
	struct timezone tz;
	int error;

	if (SCARG(uap, tv) != NULL) {
		microtime(&tv);
		error = copyout(&tv, SCARG(uap, tv), sizeof(tv));
		if (error != 0)
			return error;
	}
	if (SCARG(uap, tz) != NULL) {
		memset(&tz, 0, sizeof(tz));
		error = copyout(&tz, SCARG(uap, tz), sizeof(tz));
		if (error != 0)
			return error;
	}
	return 0;
}

/*
 * Return the resolution of clock id in nanoseconds, or 0 when the clock
 * is not supported.
 */
static long
clock_resolution(clockid_t id)
{

	switch (id) {
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_BOOTTIME:
	case CLOCK_TAI:
		return 1;
	case CLOCK_REALTIME_COARSE:
	case CLOCK_MONOTONIC_COARSE:
		return NSEC_PER_TICK;
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
		/* NOTE: CPU time is not accounted, so these clocks fail. */
		return 0;
	default:
		return 0;
	}
}

int
sys_clock_gettime(struct lwp *l, const struct sys_clock_gettime_args *uap,
    register_t *retval)
{
	clockid_t id = SCARG(uap, clockid);
	struct timespec ts;

	if (clock_resolution(id) == 0)
		return EINVAL;

	switch (id) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_TAI:
		/* NOTE: the TAI offset is 0, as on a host without NTP's. */
		nanotime(&ts);
		break;
	default:
		/*
		 * The monotonic clocks.  The host's monotonic clock stops
		 * while the host is suspended, so CLOCK_BOOTTIME does not
		 * count suspended time as it does on Linux.
		 */
		ns_to_timespec(mono_ns(), &ts);
		break;
	}
	return copyout(&ts, SCARG(uap, tp), sizeof(ts));
}

int
sys_clock_getres(struct lwp *l, const struct sys_clock_getres_args *uap,
    register_t *retval)
{
	struct timespec ts;
	long res;

	res = clock_resolution(SCARG(uap, clockid));
	if (res == 0)
		return EINVAL;
	if (SCARG(uap, res) == NULL)
		return 0;
	ts.tv_sec = 0;
	ts.tv_nsec = res;
	return copyout(&ts, SCARG(uap, res), sizeof(ts));
}

/*
 * Return now plus the interval ts on the monotonic clock, saturating at
 * DEADLINE_MAX instead of overflowing.  ts must be valid and not
 * negative.
 */
static uint64_t
deadline_after(uint64_t now, const struct timespec *ts)
{
	uint64_t room;

	if (now >= DEADLINE_MAX)
		return DEADLINE_MAX;
	room = DEADLINE_MAX - now;
	if ((uint64_t)ts->tv_nsec > room ||
	    (uint64_t)ts->tv_sec > (room - ts->tv_nsec) / NSEC_PER_SEC)
		return DEADLINE_MAX;
	return now + (uint64_t)ts->tv_sec * NSEC_PER_SEC + ts->tv_nsec;
}

int
sys_nanosleep(struct lwp *l, const struct sys_nanosleep_args *uap,
    register_t *retval)
{
	struct timespec req, rem;
	uint64_t deadline, now;
	kmutex_t lock;
	kcondvar_t cv;
	int error;

	error = copyin(SCARG(uap, req), &req, sizeof(req));
	if (error != 0)
		return error;
	if (req.tv_sec < 0 || !timespec_valid(&req))
		return EINVAL;

	/*
	 * Sleep on a condition variable that is never signalled, so only
	 * the deadline or a signal posted to the process ends the sleep.
	 * A wakeup before the deadline without a signal sleeps again.
	 */
	deadline = deadline_after(mono_ns(), &req);
	mutex_init(&lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&cv, "nanoslp");
	mutex_enter(&lock);
	while ((now = mono_ns()) < deadline) {
		error = cv_timedwait_ns(&cv, &lock, deadline, true);
		if (error == EINTR)
			break;
		error = 0;
	}
	mutex_exit(&lock);
	cv_destroy(&cv);
	mutex_destroy(&lock);

	if (error != EINTR)
		return 0;

	/* Interrupted: report the time left, as Linux does. */
	if (SCARG(uap, rem) != NULL) {
		now = mono_ns();
		ns_to_timespec(now < deadline ? deadline - now : 0, &rem);
		error = copyout(&rem, SCARG(uap, rem), sizeof(rem));
		if (error != 0)
			return error;
	}
	return EINTR;
}
