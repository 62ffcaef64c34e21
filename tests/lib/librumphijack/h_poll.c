/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * h_poll: poll, ppoll, select and pselect of a hijacked program over a
 * host pipe, a rump FIFO and a rump file.
 *
 * Run under LD_PRELOAD=librumphijack.so with RUMP_SERVER set:
 *
 *	h_poll DIR
 *
 * DIR is a directory in the rump namespace (/rump/...).  Each check
 * prints one line; the first failed check prints "FAIL: ..." and exits 1.
 * Timing limits are loose at the upper end because the machine may be
 * busy, and exact at the lower end: a wait must never end early.
 */

#include <sys/types.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The hijack's descriptor offset when RUMPHIJACK does not set fdoff. */
#define RUMP_FDOFF	128

#define CHECK(cond, ...) do {						\
	if (!(cond))							\
		fail(__LINE__, __VA_ARGS__);				\
} while (0)

static int hostpipe[2];		/* [0] read end, [1] write end */
static int rfifo;		/* rump FIFO, opened O_RDWR */
static int rfile;		/* rump regular file */
static volatile sig_atomic_t caught;

static void __attribute__((__noreturn__, __format__(__printf__, 2, 3)))
fail(int line, const char *fmt, ...)
{
	va_list ap;
	int error = errno;

	printf("FAIL (line %d): ", line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" (errno %d: %s)\n", error, strerror(error));
	fflush(stdout);
	exit(1);
}

static void
pass(const char *what)
{

	printf("ok %s\n", what);
	fflush(stdout);
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
on_signal(int sig)
{

	caught = sig;
}

/* Install on_signal for sig without SA_RESTART. */
static void
catch_signal(int sig)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	CHECK(sigaction(sig, &sa, NULL) == 0, "sigaction %d", sig);
}

/* A thread that waits, then writes one byte or sends a signal. */
struct later {
	int		l_delayms;
	int		l_fd;		/* write here when l_sig is 0 */
	int		l_sig;
	pthread_t	l_target;
	pthread_t	l_thread;
};

static void *
later_run(void *arg)
{
	struct later *l = arg;
	struct timespec ts = {
		.tv_sec = l->l_delayms / 1000,
		.tv_nsec = (long)(l->l_delayms % 1000) * 1000000
	};

	nanosleep(&ts, NULL);
	if (l->l_sig != 0)
		pthread_kill(l->l_target, l->l_sig);
	else if (write(l->l_fd, "x", 1) != 1)
		fail(__LINE__, "delayed write on %d", l->l_fd);
	return NULL;
}

static void
later_start(struct later *l, int delayms, int fd, int sig)
{

	l->l_delayms = delayms;
	l->l_fd = fd;
	l->l_sig = sig;
	l->l_target = pthread_self();
	CHECK(pthread_create(&l->l_thread, NULL, later_run, l) == 0,
	    "pthread_create");
}

static void
later_join(struct later *l)
{

	pthread_join(l->l_thread, NULL);
}

/* Empty the host pipe and the rump FIFO. */
static void
drain(void)
{
	char buf[64];

	while (read(hostpipe[0], buf, sizeof(buf)) > 0)
		continue;
	while (read(rfifo, buf, sizeof(buf)) > 0)
		continue;
}

static int
count_entries(const char *dir)
{
	DIR *d;
	struct dirent *de;
	int n = 0;

	CHECK((d = opendir(dir)) != NULL, "opendir %s", dir);
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static void
setup(const char *dir)
{
	char path[512];
	int flags;

	CHECK(pipe(hostpipe) == 0, "pipe");
	flags = fcntl(hostpipe[0], F_GETFL);
	CHECK(fcntl(hostpipe[0], F_SETFL, flags | O_NONBLOCK) == 0,
	    "O_NONBLOCK");
	CHECK(hostpipe[0] < RUMP_FDOFF,
	    "host pipe read end %d above the offset", hostpipe[0]);
	CHECK(hostpipe[1] < RUMP_FDOFF,
	    "host pipe write end %d above the offset", hostpipe[1]);

	snprintf(path, sizeof(path), "%s/fifo", dir);
	(void)unlink(path);
	CHECK(mknod(path, S_IFIFO | 0600, 0) == 0, "mknod %s", path);
	CHECK((rfifo = open(path, O_RDWR | O_NONBLOCK)) >= RUMP_FDOFF,
	    "open %s gave %d", path, rfifo);

	snprintf(path, sizeof(path), "%s/file", dir);
	CHECK((rfile = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644)) >=
	    RUMP_FDOFF, "open %s gave %d", path, rfile);
	CHECK(write(rfile, "data", 4) == 4, "write %s", path);
	pass("setup");
}

static void
set_mixed(struct pollfd *fds)
{

	memset(fds, 0, 3 * sizeof(*fds));
	fds[0].fd = hostpipe[0];
	fds[0].events = POLLIN;
	fds[1].fd = rfifo;
	fds[1].events = POLLIN;
	fds[2].fd = -1;
	fds[2].events = POLLIN;
}

static void
test_ready_now(void)
{
	struct pollfd fds[4];
	int n;

	/* A regular rump file is readable and writable at once. */
	memset(fds, 0, sizeof(fds));
	fds[0].fd = rfile;
	fds[0].events = POLLIN | POLLOUT;
	fds[1].fd = hostpipe[1];
	fds[1].events = POLLOUT;
	fds[2].fd = hostpipe[0];
	fds[2].events = POLLIN;
	fds[3].fd = rfifo;
	fds[3].events = POLLIN;
	n = poll(fds, 4, 5000);
	CHECK(n == 2, "poll returned %d, expected 2", n);
	CHECK(fds[0].revents == (POLLIN | POLLOUT), "file revents %#x",
	    fds[0].revents);
	CHECK(fds[1].revents == POLLOUT, "pipe revents %#x", fds[1].revents);
	CHECK(fds[2].revents == 0, "idle host pipe revents %#x",
	    fds[2].revents);
	CHECK(fds[3].revents == 0, "idle rump FIFO revents %#x",
	    fds[3].revents);
	pass("poll mixed ready at once");

	/* Zero timeout, rump descriptors only. */
	n = poll(fds, 1, 0);
	CHECK(n == 1, "poll rump file returned %d, expected 1", n);
	CHECK(fds[0].revents == (POLLIN | POLLOUT), "rump file revents %#x",
	    fds[0].revents);
	n = poll(&fds[3], 1, 0);
	CHECK(n == 0, "poll idle FIFO returned %d, expected 0", n);
	CHECK(fds[3].revents == 0, "idle FIFO revents %#x", fds[3].revents);
	pass("poll rump only, zero timeout");
}

static void
test_timeouts(void)
{
	struct pollfd fds[3];
	struct timespec ts;
	int64_t t0, dt;
	int n;

	set_mixed(fds);
	t0 = now_ms();
	n = poll(fds, 3, 300);
	dt = now_ms() - t0;
	CHECK(n == 0, "poll returned %d, expected a timeout", n);
	CHECK(dt >= 299, "poll(300 ms) returned early, after %lld ms",
	    (long long)dt);
	CHECK(dt < 3000, "poll(300 ms) took %lld ms", (long long)dt);
	pass("poll mixed timeout");

	/* The rump FIFO alone: the same wait with an empty host half. */
	t0 = now_ms();
	n = poll(&fds[1], 1, 200);
	dt = now_ms() - t0;
	CHECK(n == 0, "poll returned %d, expected a timeout", n);
	CHECK(dt >= 199, "poll(200 ms) returned early, after %lld ms",
	    (long long)dt);
	CHECK(dt < 3000, "poll(200 ms) took %lld ms", (long long)dt);
	pass("poll rump only timeout");

	ts.tv_sec = 0;
	ts.tv_nsec = 250 * 1000000;
	t0 = now_ms();
	n = ppoll(fds, 3, &ts, NULL);
	dt = now_ms() - t0;
	CHECK(n == 0, "ppoll returned %d, expected a timeout", n);
	CHECK(dt >= 249, "ppoll(250 ms) returned early, after %lld ms",
	    (long long)dt);
	CHECK(dt < 3000, "ppoll(250 ms) took %lld ms", (long long)dt);
	CHECK(ts.tv_sec == 0, "ppoll changed its timeout's tv_sec to %lld",
	    (long long)ts.tv_sec);
	CHECK(ts.tv_nsec == 250 * 1000000,
	    "ppoll changed its timeout's tv_nsec to %ld", (long)ts.tv_nsec);
	pass("ppoll mixed timeout");
}

static void
test_wakeups(void)
{
	struct pollfd fds[3];
	struct later l;
	int64_t t0, dt;
	int n;

	/* The rump side becomes ready while the caller waits on the host. */
	set_mixed(fds);
	later_start(&l, 200, rfifo, 0);
	t0 = now_ms();
	n = poll(fds, 3, -1);
	dt = now_ms() - t0;
	later_join(&l);
	CHECK(n == 1, "poll returned %d", n);
	CHECK(fds[1].revents == POLLIN, "rump FIFO revents %#x",
	    fds[1].revents);
	CHECK(fds[0].revents == 0, "host pipe revents %#x", fds[0].revents);
	CHECK(dt >= 150, "woke early, after %lld ms", (long long)dt);
	CHECK(dt < 5000, "woke after %lld ms", (long long)dt);
	drain();
	pass("poll mixed woken by rump FIFO");

	/* The host side becomes ready while the helper waits on rump. */
	set_mixed(fds);
	later_start(&l, 200, hostpipe[1], 0);
	n = poll(fds, 3, 10000);
	later_join(&l);
	CHECK(n == 1, "poll returned %d, expected 1", n);
	CHECK(fds[0].revents == POLLIN, "host pipe revents %#x",
	    fds[0].revents);
	CHECK(fds[1].revents == 0, "rump FIFO revents %#x", fds[1].revents);
	drain();
	pass("poll mixed woken by host pipe");

	/* Only rump descriptors, woken by a rump write. */
	later_start(&l, 200, rfifo, 0);
	n = poll(&fds[1], 1, 10000);
	later_join(&l);
	CHECK(n == 1, "poll returned %d, expected 1", n);
	CHECK(fds[1].revents == POLLIN, "rump FIFO revents %#x",
	    fds[1].revents);
	drain();
	pass("poll rump only woken");
}

static void
test_signals(void)
{
	struct pollfd fds[3];
	struct timespec ts;
	struct itimerval it;
	struct later l;
	sigset_t block, empty, pending;
	fd_set r;
	int n, nfds;

	/* A signal ends a mixed wait with EINTR. */
	catch_signal(SIGALRM);
	memset(&it, 0, sizeof(it));
	it.it_value.tv_usec = 200000;
	set_mixed(fds);
	caught = 0;
	CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0, "setitimer");
	n = poll(fds, 3, 10000);
	CHECK(n == -1, "poll returned %d, expected -1", n);
	CHECK(errno == EINTR, "poll failed with errno %d, expected EINTR",
	    errno);
	CHECK(caught == SIGALRM, "handler did not run");
	pass("poll mixed EINTR");

	/* ... and a wait on rump descriptors only. */
	caught = 0;
	CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0, "setitimer");
	n = poll(&fds[1], 1, -1);
	CHECK(n == -1, "poll returned %d, expected -1", n);
	CHECK(errno == EINTR, "poll failed with errno %d, expected EINTR",
	    errno);
	CHECK(caught == SIGALRM, "caught signal %d, expected SIGALRM",
	    (int)caught);
	pass("poll rump only EINTR");

	caught = 0;
	CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0, "setitimer");
	FD_ZERO(&r);
	FD_SET(hostpipe[0], &r);
	FD_SET(rfifo, &r);
	nfds = rfifo + 1;
	n = select(nfds, &r, NULL, NULL, NULL);
	CHECK(n == -1, "select returned %d, expected -1", n);
	CHECK(errno == EINTR, "select failed with errno %d, expected EINTR",
	    errno);
	CHECK(caught == SIGALRM, "caught signal %d, expected SIGALRM",
	    (int)caught);
	pass("select mixed EINTR");

	/* ppoll opens the mask for its wait: a blocked SIGUSR1 gets in. */
	catch_signal(SIGUSR1);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigemptyset(&empty);
	CHECK(pthread_sigmask(SIG_BLOCK, &block, NULL) == 0, "sigmask");
	caught = 0;
	later_start(&l, 200, -1, SIGUSR1);
	n = ppoll(fds, 3, NULL, &empty);
	later_join(&l);
	CHECK(n == -1, "ppoll returned %d, expected -1", n);
	CHECK(errno == EINTR, "ppoll failed with errno %d, expected EINTR",
	    errno);
	CHECK(caught == SIGUSR1, "caught signal %d, expected SIGUSR1",
	    (int)caught);
	pass("ppoll mask lets a blocked signal in");

	/* A mask that blocks the signal keeps it pending past the timeout. */
	caught = 0;
	ts.tv_sec = 0;
	ts.tv_nsec = 400 * 1000000;
	later_start(&l, 100, -1, SIGUSR1);
	n = ppoll(fds, 3, &ts, &block);
	later_join(&l);
	CHECK(n == 0, "ppoll returned %d, expected a timeout", n);
	CHECK(caught == 0, "caught signal %d through the mask", (int)caught);
	CHECK(sigpending(&pending) == 0, "sigpending");
	CHECK(sigismember(&pending, SIGUSR1), "SIGUSR1 is not pending");
	pass("ppoll mask keeps a signal pending");

	/* pselect with an open mask delivers the pending signal at once. */
	FD_ZERO(&r);
	FD_SET(hostpipe[0], &r);
	FD_SET(rfifo, &r);
	ts.tv_sec = 5;
	ts.tv_nsec = 0;
	n = pselect(nfds, &r, NULL, NULL, &ts, &empty);
	CHECK(n == -1, "pselect returned %d, expected -1", n);
	CHECK(errno == EINTR, "pselect failed with errno %d, expected EINTR",
	    errno);
	CHECK(caught == SIGUSR1, "caught signal %d, expected SIGUSR1",
	    (int)caught);
	CHECK(pthread_sigmask(SIG_UNBLOCK, &block, NULL) == 0, "sigmask");
	pass("pselect mask");
}

static void
test_select(void)
{
	struct timeval tv;
	fd_set r, w, e;
	int64_t t0, dt;
	int n, nfds, closed;

	nfds = (rfile > rfifo ? rfile : rfifo) + 1;
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_ZERO(&e);
	FD_SET(hostpipe[0], &r);
	FD_SET(rfifo, &r);
	FD_SET(rfile, &r);
	FD_SET(rfile, &w);
	FD_SET(hostpipe[1], &w);
	FD_SET(rfifo, &e);
	tv.tv_sec = 5;
	tv.tv_usec = 0;
	n = select(nfds, &r, &w, &e, &tv);
	CHECK(n == 3, "select returned %d, expected 3", n);
	CHECK(FD_ISSET(rfile, &r), "rump file missing from the read set");
	CHECK(!FD_ISSET(rfifo, &r), "idle rump FIFO in the read set");
	CHECK(!FD_ISSET(hostpipe[0], &r), "idle host pipe in the read set");
	CHECK(FD_ISSET(rfile, &w), "rump file missing from the write set");
	CHECK(FD_ISSET(hostpipe[1], &w),
	    "host pipe missing from the write set");
	CHECK(!FD_ISSET(rfifo, &e), "except set wrong");
	CHECK(tv.tv_sec >= 4, "time left %ld s", (long)tv.tv_sec);
	pass("select mixed ready");

	/* Timeout, with the time left written back as zero. */
	FD_ZERO(&r);
	FD_SET(hostpipe[0], &r);
	FD_SET(rfifo, &r);
	tv.tv_sec = 0;
	tv.tv_usec = 300000;
	t0 = now_ms();
	n = select(nfds, &r, NULL, NULL, &tv);
	dt = now_ms() - t0;
	CHECK(n == 0, "select returned %d, expected a timeout", n);
	CHECK(dt >= 299, "select(300 ms) returned early, after %lld ms",
	    (long long)dt);
	CHECK(dt < 3000, "select(300 ms) took %lld ms", (long long)dt);
	CHECK(tv.tv_sec == 0, "time left %ld.%06ld, expected 0",
	    (long)tv.tv_sec, (long)tv.tv_usec);
	CHECK(tv.tv_usec == 0, "time left %ld.%06ld, expected 0",
	    (long)tv.tv_sec, (long)tv.tv_usec);
	CHECK(!FD_ISSET(hostpipe[0], &r), "host pipe not cleared from the set");
	CHECK(!FD_ISSET(rfifo, &r), "rump FIFO not cleared from the set");
	pass("select mixed timeout");

	/* Data in the rump FIFO. */
	CHECK(write(rfifo, "y", 1) == 1, "write fifo");
	FD_ZERO(&r);
	FD_SET(hostpipe[0], &r);
	FD_SET(rfifo, &r);
	n = select(nfds, &r, NULL, NULL, NULL);
	CHECK(n == 1, "select returned %d, expected 1", n);
	CHECK(FD_ISSET(rfifo, &r), "rump FIFO missing from the read set");
	drain();
	pass("select rump FIFO readable");

	/* A rump descriptor that is not open. */
	closed = dup(rfile);
	CHECK(closed >= RUMP_FDOFF, "dup gave %d", closed);
	CHECK(close(closed) == 0, "close");
	FD_ZERO(&r);
	FD_SET(hostpipe[0], &r);
	FD_SET(closed, &r);
	n = select(closed + 1, &r, NULL, NULL, NULL);
	CHECK(n == -1, "select returned %d, expected -1", n);
	CHECK(errno == EBADF, "select failed with errno %d, expected EBADF",
	    errno);
	CHECK(FD_ISSET(closed, &r), "sets changed on an error");
	pass("select EBADF");
}

static void
test_nval_and_large(void)
{
	struct pollfd fds[100];
	int i, n, closed;

	closed = dup(rfile);
	CHECK(close(closed) == 0, "close");
	memset(fds, 0, sizeof(fds));
	fds[0].fd = closed;
	fds[0].events = POLLIN;
	fds[1].fd = hostpipe[0];
	fds[1].events = POLLIN;
	n = poll(fds, 2, 1000);
	CHECK(n == 1, "poll returned %d, expected 1", n);
	CHECK(fds[0].revents == POLLNVAL, "closed descriptor revents %#x",
	    fds[0].revents);
	pass("poll POLLNVAL");

	/* More entries than fit on the stack, alternating kernels. */
	for (i = 0; i < 100; i++) {
		fds[i].fd = (i % 2) ? rfile : hostpipe[1];
		fds[i].events = POLLOUT;
	}
	n = poll(fds, 100, 1000);
	CHECK(n == 100, "poll returned %d", n);
	for (i = 0; i < 100; i++)
		CHECK(fds[i].revents == POLLOUT, "entry %d revents %#x", i,
		    fds[i].revents);
	pass("poll 100 entries");
}

static void
test_no_leaks(void)
{
	struct pollfd fds[3];
	int threads, hostfds, rfd, i, n;

	threads = count_entries("/proc/self/task");
	hostfds = count_entries("/proc/self/fd");
	rfd = dup(rfile);
	CHECK(close(rfd) == 0, "close");

	set_mixed(fds);
	for (i = 0; i < 30; i++) {
		n = poll(fds, 3, 5);
		CHECK(n == 0, "poll returned %d", n);
		n = poll(&fds[1], 1, 5);
		CHECK(n == 0, "poll returned %d", n);
	}
	n = count_entries("/proc/self/task");
	CHECK(n == threads, "%d threads, %d before", n, threads);
	n = count_entries("/proc/self/fd");
	CHECK(n == hostfds, "%d host descriptors, %d before", n, hostfds);
	n = dup(rfile);
	CHECK(n == rfd, "next rump descriptor %d, %d before", n, rfd);
	close(n);
	pass("no thread or descriptor left behind");
}

int
main(int argc, char **argv)
{

	if (argc != 2) {
		fprintf(stderr, "usage: h_poll DIR\n");
		return 2;
	}
	setup(argv[1]);
	test_ready_now();
	test_timeouts();
	test_wakeups();
	test_signals();
	test_select();
	test_nval_and_large();
	test_no_leaks();
	printf("all passed\n");
	return 0;
}
