/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Kernel time.  The wall clock and the monotonic clock both come from the
 * host; uptime counts from rump_init().  Clock ticks (HZ per second) are a
 * unit of timeouts only: getticks() derives them from the monotonic clock,
 * so there is no periodic interrupt.
 */

#ifndef _SYS_TIME_H_
#define _SYS_TIME_H_

#include <sys/types.h>
#include <sys/param.h>

struct timespec {
	time_t	tv_sec;
	long	tv_nsec;
};

struct timeval {
	time_t		tv_sec;
	suseconds_t	tv_usec;
};

struct timezone {
	int	tz_minuteswest;
	int	tz_dsttime;
};

/* Linux clock ids. */
#define CLOCK_REALTIME		0
#define CLOCK_MONOTONIC		1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID	3
#define CLOCK_MONOTONIC_RAW	4
#define CLOCK_REALTIME_COARSE	5
#define CLOCK_MONOTONIC_COARSE	6
#define CLOCK_BOOTTIME		7
#define CLOCK_TAI		11

#define NSEC_PER_SEC	1000000000LL
#define NSEC_PER_TICK	(NSEC_PER_SEC / HZ)

void	nanotime(struct timespec *);		/* wall clock */
void	microtime(struct timeval *);
void	getnanotime(struct timespec *);
void	nanouptime(struct timespec *);		/* since boot */
uint64_t mono_ns(void);				/* host monotonic, ns */
uint64_t uptime_ns(void);			/* since boot, ns */
time_t	time_second_get(void);
#define time_second	time_second_get()
#define time_uptime	((time_t)(uptime_ns() / NSEC_PER_SEC))

extern struct timespec boottime;		/* wall time at boot */

int	getticks(void);				/* ticks since boot */
int	mstohz(int);
int	tstohz(const struct timespec *);

/* True when the timespec has tv_nsec within 0 .. 999999999. */
#define timespec_valid(ts) ((ts)->tv_nsec >= 0 && (ts)->tv_nsec < NSEC_PER_SEC)

#endif /* _SYS_TIME_H_ */
