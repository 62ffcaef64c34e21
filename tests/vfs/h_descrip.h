/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Helpers of the descriptor, pipe and poll tests (t_descrip, t_pipe,
 * t_poll): booting, errno checks, host time, and worker threads that run
 * as lwps of a chosen rump process.
 */

#ifndef _TESTS_VFS_H_DESCRIP_H_
#define _TESTS_VFS_H_DESCRIP_H_

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sys/param.h>

#include <atf-c.h>

#include <rump/rump.h>

#ifndef __arraycount
#define __arraycount(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/*
 * The kernel's O_LARGEFILE, which F_GETFL reports for files opened by
 * path; glibc defines O_LARGEFILE as 0 on 64-bit hosts.
 */
#if defined(__x86_64__)
#define KERNEL_O_LARGEFILE	0100000
#elif defined(__aarch64__)
#define KERNEL_O_LARGEFILE	0400000
#else
#error KERNEL_O_LARGEFILE: unknown architecture
#endif

/* Longest time a worker may take before a test gives up on it. */
#define WORKER_TIMEOUT_S	20

/*
 * Boot with the RECORD signal model: SIGPIPE and the signals the tests
 * post stay pending in the rump process instead of hitting the host.
 */
static inline void
boot_kernel(void)
{
	int error;

	rump_boot_setsigmodel(RUMP_SIGMODEL_RECORD);
	error = rump_init();
	ATF_REQUIRE_EQ_MSG(error, 0, "rump_init: %s", strerror(error));
}

/* Check that call fails with errno err. */
#define CHECK_ERRNO(err, call) do {					\
	long rv_;							\
									\
	errno = 0;							\
	rv_ = (long)(call);						\
	ATF_CHECK_MSG(rv_ == -1 && errno == (err),			\
	    "%s: returned %ld, errno %d (%s), expected %s", #call, rv_,	\
	    errno, strerror(errno), #err);				\
} while (0)

/* Require that call succeeds; its value. */
#define REQUIRE_OK(call) ({						\
	long rv_;							\
									\
	errno = 0;							\
	rv_ = (long)(call);						\
	ATF_REQUIRE_MSG(rv_ != -1, "%s: %s", #call, strerror(errno));	\
	rv_;								\
})

static inline int64_t
host_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Create a process for the calling thread (rump_pub_lwproc_rfork). */
static inline pid_t
proc_create(int flags)
{
	int error;

	error = rump_pub_lwproc_rfork(flags);
	ATF_REQUIRE_EQ_MSG(error, 0, "rfork: %s", strerror(error));
	return (pid_t)rump_sys_getpid();
}

/*
 * A host thread that runs w_fn as an lwp of process w_pid (0: as an
 * implicit lwp of the init process).  w_done is set when w_fn returns.
 */
struct worker {
	pthread_t	 w_thread;
	pid_t		 w_pid;
	void		(*w_fn)(struct worker *);
	int		 w_fd;		/* for w_fn's use */
	void		*w_buf;
	size_t		 w_len;
	long		 w_rv;		/* w_fn's result */
	int		 w_errno;
	int64_t		 w_ns;		/* how long w_fn took */
	volatile int	 w_done;
};

static inline void *
worker_main(void *arg)
{
	struct worker *w = arg;
	int64_t start;

	if (w->w_pid > 0 && rump_pub_lwproc_newlwp(w->w_pid) != 0) {
		fprintf(stderr, "worker: newlwp(%d) failed\n", (int)w->w_pid);
		abort();
	}
	start = host_now_ns();
	w->w_fn(w);
	w->w_ns = host_now_ns() - start;
	if (w->w_pid > 0)
		rump_pub_lwproc_releaselwp();
	__atomic_store_n(&w->w_done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static inline void
worker_start(struct worker *w, pid_t pid, void (*fn)(struct worker *))
{

	w->w_pid = pid;
	w->w_fn = fn;
	w->w_done = 0;
	ATF_REQUIRE_EQ(pthread_create(&w->w_thread, NULL, worker_main, w), 0);
}

static inline bool
worker_done(struct worker *w)
{

	return __atomic_load_n(&w->w_done, __ATOMIC_ACQUIRE) != 0;
}

/* Wait for the worker, at most WORKER_TIMEOUT_S seconds. */
static inline void
worker_join(struct worker *w)
{
	struct timespec deadline;
	int error;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += WORKER_TIMEOUT_S;
	error = pthread_timedjoin_np(w->w_thread, NULL, &deadline);
	ATF_REQUIRE_EQ_MSG(error, 0, "worker did not finish within %d s: %s",
	    WORKER_TIMEOUT_S, strerror(error));
}

/* Sleep for ms milliseconds on the host. */
static inline void
sleep_ms(int ms)
{

	usleep((useconds_t)ms * 1000);
}

#endif /* _TESTS_VFS_H_DESCRIP_H_ */
