/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rump_init() time and peak memory.  Each sample is a fresh process (the
 * kernel boots once per process): the child boots and reports how long
 * rump_init() took; the parent reads the child's peak RSS.  The same is
 * measured for a child that does not boot, so the difference is the
 * kernel's share.
 *
 * usage: bench_boot [samples]
 */

#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Run one child; returns its peak RSS in KiB and the boot time in ms. */
static long
sample(int boot, double *ms)
{
	struct rusage ru;
	int fds[2], status;
	pid_t pid;

	if (pipe(fds) == -1)
		err(1, "pipe");
	pid = fork();
	if (pid == -1)
		err(1, "fork");
	if (pid == 0) {
		double t0, t = 0;

		close(fds[0]);
		if (boot) {
			t0 = now_ms();
			if (rump_init() != 0)
				_exit(1);
			t = now_ms() - t0;
		}
		if (write(fds[1], &t, sizeof(t)) != sizeof(t))
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	if (read(fds[0], ms, sizeof(*ms)) != sizeof(*ms))
		errx(1, "child failed");
	close(fds[0]);
	if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		errx(1, "child failed");
	return ru.ru_maxrss;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int
main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 20;
	double ms[1000], dummy;
	long rss = 0, base = 0, r;
	int i;

	if (n < 1 || n > 1000)
		errx(1, "samples: 1 to 1000");
	for (i = 0; i < n; i++) {
		r = sample(0, &dummy);
		if (r > base)
			base = r;
		r = sample(1, &ms[i]);
		if (r > rss)
			rss = r;
	}
	qsort(ms, n, sizeof(ms[0]), cmp_double);
	printf("rump_init time:       median %.3f ms, min %.3f ms "
	    "(%d boots, RUMP_NCPU=%s)\n", ms[n / 2], ms[0], n,
	    getenv("RUMP_NCPU") ? getenv("RUMP_NCPU") : "default");
	printf("peak RSS with kernel: %.2f MiB\n", rss / 1024.0);
	printf("peak RSS without:     %.2f MiB (same program, no rump_init)\n",
	    base / 1024.0);
	printf("kernel's share:       %.2f MiB\n", (rss - base) / 1024.0);
	return 0;
}
