/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The cost of a system call into the rump kernel: nanoseconds per
 * rump_sys_getpid() from a host thread with no bound lwp (it borrows an
 * implicit lwp) and from one bound with rump_pub_lwproc_newlwp, on 1 and
 * 2 host threads at once, beside the host's own syscall(SYS_getpid) in
 * the same run.
 *
 * usage: bench_getpid [calls per thread]
 */

#include <sys/syscall.h>

#include <err.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>

enum mode { HOST, UNBOUND, BOUND };

struct worker {
	pthread_t	thread;
	enum mode	mode;
	long		calls;
	pthread_barrier_t *start;
	double		ns;		/* per call, this thread */
	double		t0, t1;		/* start and end, ns */
};

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void *
worker_run(void *arg)
{
	struct worker *w = arg;
	volatile long sink = 0;
	double t0;
	long i;

	if (w->mode == BOUND && rump_pub_lwproc_newlwp(1) != 0)
		errx(1, "rump_pub_lwproc_newlwp failed");
	/* Warm up: caches, the CPU's implicit lwp, the host's clocks. */
	for (i = 0; i < w->calls / 10; i++)
		sink += w->mode == HOST ? syscall(SYS_getpid) :
		    rump_sys_getpid();
	pthread_barrier_wait(w->start);
	t0 = now_ns();
	w->t0 = t0;
	switch (w->mode) {
	case HOST:
		for (i = 0; i < w->calls; i++)
			sink += syscall(SYS_getpid);
		break;
	default:
		for (i = 0; i < w->calls; i++)
			sink += rump_sys_getpid();
		break;
	}
	w->t1 = now_ns();
	w->ns = (w->t1 - t0) / w->calls;
	if (w->mode == BOUND)
		rump_pub_lwproc_releaselwp();
	return NULL;
}

/*
 * Run nthreads workers; returns the mean ns per call of a thread, and in
 * *rate the calls per second of them all: every call over the time from
 * the first start to the last end.
 */
static double
run(enum mode mode, int nthreads, long calls, double *rate)
{
	struct worker w[2];
	pthread_barrier_t start;
	double ns = 0, first = 0, last = 0;
	int i;

	pthread_barrier_init(&start, NULL, nthreads);
	for (i = 0; i < nthreads; i++) {
		w[i].mode = mode;
		w[i].calls = calls;
		w[i].start = &start;
		if (pthread_create(&w[i].thread, NULL, worker_run, &w[i]) != 0)
			errx(1, "pthread_create failed");
	}
	for (i = 0; i < nthreads; i++) {
		pthread_join(w[i].thread, NULL);
		ns += w[i].ns;
		if (i == 0 || w[i].t0 < first)
			first = w[i].t0;
		if (i == 0 || w[i].t1 > last)
			last = w[i].t1;
	}
	*rate = nthreads * (double)calls / ((last - first) / 1e9);
	pthread_barrier_destroy(&start);
	return ns / nthreads;
}

int
main(int argc, char **argv)
{
	static const char *names[] = { "host syscall(SYS_getpid)",
	    "rump_sys_getpid, unbound", "rump_sys_getpid, bound lwp" };
	long calls = argc > 1 ? atol(argv[1]) : 5000000;
	double ns1, ns2, rate1, rate2;
	int m;

	if (calls < 1000)
		errx(1, "calls per thread: at least 1000");
	if (getenv("RUMP_NCPU") == NULL)
		setenv("RUMP_NCPU", "2", 1);
	if (rump_init() != 0)
		errx(1, "rump_init failed");

	printf("%-28s %12s %12s %14s\n", "", "1 thread", "2 threads",
	    "2-thread speedup");
	for (m = HOST; m <= BOUND; m++) {
		ns1 = run(m, 1, calls, &rate1);
		ns2 = run(m, 2, calls, &rate2);
		printf("%-28s %9.1f ns %9.1f ns %13.2fx\n", names[m], ns1, ns2,
		    rate2 / rate1);
	}
	printf("(%ld calls per thread, RUMP_NCPU=%s, %ld host CPUs)\n", calls,
	    getenv("RUMP_NCPU"), sysconf(_SC_NPROCESSORS_ONLN));
	return 0;
}
