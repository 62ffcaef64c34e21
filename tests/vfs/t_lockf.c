/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Advisory locks: POSIX record locks between rump processes, OFD locks,
 * flock locks, and how they interact and go away, with the results Linux
 * gives.  Two or three rump processes are made with
 * rump_pub_lwproc_rfork and the test thread switches between them; a
 * request that must wait runs in a helper thread bound to its process,
 * and every wait for that thread is bounded.
 */

#include <sys/types.h>
#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <atf-c.h>

#include <rump/rump.h>

#define FILEPATH	"/lockfile"
#define WAIT_SECONDS	10	/* a blocked helper must finish by then */

#define RL(x)								\
	ATF_REQUIRE_MSG((x) != -1, "%s: %s", #x, strerror(errno))

#define RE(x, e) do {							\
	errno = 0;							\
	long rv_ = (long)(x);						\
	ATF_REQUIRE_MSG(rv_ == -1 && errno == (e),			\
	    "%s: expected %s, got %ld (%s)", #x, strerror(e), rv_,	\
	    errno == 0 ? "no error" : strerror(errno));			\
} while (0)

/* One rump process: its lwp, pid and descriptor of FILEPATH. */
struct rproc {
	struct lwp	*lwp;
	pid_t		 pid;
	int		 fd;
};

static void
boot(int sigmodel)
{
	int error, fd;

	if (sigmodel >= 0)
		rump_boot_setsigmodel(sigmodel);
	error = rump_init();
	ATF_REQUIRE_EQ_MSG(error, 0, "rump_init: %s", strerror(error));
	RL(fd = rump_sys_open(FILEPATH, O_CREAT | O_RDWR, 0666));
	ATF_REQUIRE_EQ(rump_sys_ftruncate(fd, 1000), 0);
	RL(rump_sys_close(fd));
}

/* Make a rump process with its own descriptor of FILEPATH, and leave it. */
static void
rproc_make(struct rproc *rp)
{

	rump_pub_lwproc_switch(NULL);
	ATF_REQUIRE_EQ(rump_pub_lwproc_rfork(RUMP_RFCFDG), 0);
	rp->lwp = rump_pub_lwproc_curlwp();
	rp->pid = rump_sys_getpid();
	RL(rp->fd = rump_sys_open(FILEPATH, O_RDWR));
	rump_pub_lwproc_switch(NULL);
}

static void
rproc_enter(struct rproc *rp)
{

	rump_pub_lwproc_switch(NULL);
	rump_pub_lwproc_switch(rp->lwp);
}

/* fcntl(2) record lock call on fd with the given fields. */
static int
lockop(int fd, int cmd, short type, short whence, off_t start, off_t len)
{
	struct flock fl;

	memset(&fl, 0, sizeof(fl));
	fl.l_type = type;
	fl.l_whence = whence;
	fl.l_start = start;
	fl.l_len = len;
	return rump_sys_fcntl(fd, cmd, &fl);
}

/* F_GETLK (or F_OFD_GETLK) for a request, with the result in *fl. */
static void
getlk(int fd, int cmd, short type, off_t start, off_t len, struct flock *fl)
{

	memset(fl, 0, sizeof(*fl));
	fl->l_type = type;
	fl->l_whence = SEEK_SET;
	fl->l_start = start;
	fl->l_len = len;
	RL(rump_sys_fcntl(fd, cmd, fl));
}

/* Require F_GETLK's result to be the given lock. */
#define CHECK_LOCK(fl, type, start, len, pid) do {			\
	ATF_CHECK_EQ((fl).l_type, (type));				\
	if ((type) != F_UNLCK) {					\
		ATF_CHECK_EQ((fl).l_whence, SEEK_SET);			\
		ATF_CHECK_EQ((fl).l_start, (start));			\
		ATF_CHECK_EQ((fl).l_len, (len));			\
		ATF_CHECK_EQ((fl).l_pid, (pid));			\
	}								\
} while (0)

/*
 * A helper thread that binds to a process and makes one lock call that
 * may block.  done is set when the call has returned, with its result
 * and errno.
 */
struct waiter {
	pthread_t	 thread;
	struct rproc	*rp;
	int		 fd;
	int		 cmd;		/* fcntl command, or -1 for flock */
	short		 type;		/* l_type, or the flock operation */
	off_t		 start, len;
	atomic_bool	 done;
	int		 result;
	int		 error;
};

static void *
waiter_main(void *arg)
{
	struct waiter *w = arg;

	rump_pub_lwproc_switch(w->rp->lwp);
	errno = 0;
	if (w->cmd == -1)
		w->result = rump_sys_flock(w->fd, w->type);
	else
		w->result = lockop(w->fd, w->cmd, w->type, SEEK_SET, w->start,
		    w->len);
	w->error = errno;
	rump_pub_lwproc_switch(NULL);
	atomic_store(&w->done, true);
	return NULL;
}

/* Start w in process rp; the calling thread must not be bound to rp. */
static void
waiter_start(struct waiter *w, struct rproc *rp, int cmd, short type,
    off_t start, off_t len)
{

	w->rp = rp;
	w->fd = rp->fd;
	w->cmd = cmd;
	w->type = type;
	w->start = start;
	w->len = len;
	atomic_store(&w->done, false);
	ATF_REQUIRE_EQ(pthread_create(&w->thread, NULL, waiter_main, w), 0);
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Wait at most WAIT_SECONDS for w to finish, then join it. */
static void
waiter_join(struct waiter *w)
{
	int i;

	for (i = 0; i < WAIT_SECONDS * 100 && !atomic_load(&w->done); i++)
		sleep_ms(10);
	ATF_REQUIRE_MSG(atomic_load(&w->done),
	    "the blocked lock call did not return in %d seconds",
	    WAIT_SECONDS);
	ATF_REQUIRE_EQ(pthread_join(w->thread, NULL), 0);
}

/* Give w time to block, and require that it did. */
static void
waiter_check_blocked(struct waiter *w)
{

	sleep_ms(200);
	ATF_REQUIRE_MSG(!atomic_load(&w->done),
	    "the lock call returned %d (%s) instead of waiting", w->result,
	    strerror(w->error));
}

/* ------------------------------------------------------------------ */

ATF_TC(posix_conflict);
ATF_TC_HEAD(posix_conflict, tc)
{
	atf_tc_set_md_var(tc, "descr", "POSIX locks between two processes: "
	    "conflicts, F_GETLK reports and shared locks");
}
ATF_TC_BODY(posix_conflict, tc)
{
	struct rproc a, b;
	struct flock fl;

	boot(-1);
	rproc_make(&a);
	rproc_make(&b);

	rproc_enter(&a);
	RL(lockop(a.fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10));
	RL(lockop(a.fd, F_SETLK, F_RDLCK, SEEK_SET, 100, 10));
	/* The owner sees no conflict with its own locks. */
	getlk(a.fd, F_GETLK, F_WRLCK, 0, 0, &fl);
	CHECK_LOCK(fl, F_UNLCK, 0, 0, 0);

	rproc_enter(&b);
	RE(lockop(b.fd, F_SETLK, F_RDLCK, SEEK_SET, 5, 1), EAGAIN);
	RE(lockop(b.fd, F_SETLK, F_WRLCK, SEEK_SET, 9, 100), EAGAIN);
	RL(lockop(b.fd, F_SETLK, F_WRLCK, SEEK_SET, 10, 90));
	RL(lockop(b.fd, F_SETLK, F_RDLCK, SEEK_SET, 100, 5));
	RE(lockop(b.fd, F_SETLK, F_WRLCK, SEEK_SET, 105, 1), EAGAIN);
	getlk(b.fd, F_GETLK, F_RDLCK, 0, 0, &fl);
	CHECK_LOCK(fl, F_WRLCK, 0, 10, a.pid);
	getlk(b.fd, F_GETLK, F_WRLCK, 50, 0, &fl);
	CHECK_LOCK(fl, F_RDLCK, 100, 10, a.pid);
	getlk(b.fd, F_GETLK, F_RDLCK, 100, 0, &fl);
	CHECK_LOCK(fl, F_UNLCK, 0, 0, 0);

	/* A free range leaves everything but l_type as it was. */
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_CUR;
	fl.l_start = 200;
	fl.l_len = 3;
	fl.l_pid = 77;
	RL(rump_sys_fcntl(b.fd, F_GETLK, &fl));
	ATF_CHECK_EQ(fl.l_type, F_UNLCK);
	ATF_CHECK_EQ(fl.l_whence, SEEK_CUR);
	ATF_CHECK_EQ(fl.l_start, 200);
	ATF_CHECK_EQ(fl.l_pid, 77);

	rproc_enter(&a);
	RL(lockop(a.fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0));
	getlk(a.fd, F_GETLK, F_WRLCK, 0, 0, &fl);
	CHECK_LOCK(fl, F_WRLCK, 10, 90, b.pid);
	rproc_enter(&b);
	RL(lockop(b.fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10));
	rump_pub_lwproc_switch(NULL);
}

ATF_TC(posix_ranges);
ATF_TC_HEAD(posix_ranges, tc)
{
	atf_tc_set_md_var(tc, "descr", "POSIX lock ranges: split, merge, "
	    "upgrade, downgrade, whence bases, negative lengths, errors");
}
ATF_TC_BODY(posix_ranges, tc)
{
	struct rproc a, b;
	struct flock fl;
	int rofd;

	boot(-1);
	rproc_make(&a);
	rproc_make(&b);

	/* Split: unlock the middle of a lock. */
	rproc_enter(&a);
	RL(lockop(a.fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 100));
	RL(lockop(a.fd, F_SETLK, F_UNLCK, SEEK_SET, 40, 20));
	rproc_enter(&b);
	getlk(b.fd, F_GETLK, F_RDLCK, 0, 0, &fl);
	CHECK_LOCK(fl, F_WRLCK, 0, 40, a.pid);
	getlk(b.fd, F_GETLK, F_RDLCK, 40, 20, &fl);
	CHECK_LOCK(fl, F_UNLCK, 0, 0, 0);
	getlk(b.fd, F_GETLK, F_RDLCK, 45, 100, &fl);
	CHECK_LOCK(fl, F_WRLCK, 60, 40, a.pid);

	/* Merge: filling the gap makes one lock again. */
	rproc_enter(&a);
	RL(lockop(a.fd, F_SETLK, F_WRLCK, SEEK_SET, 40, 20));
	rproc_enter(&b);
	getlk(b.fd, F_GETLK, F_RDLCK, 0, 0, &fl);
	CHECK_LOCK(fl, F_WRLCK, 0, 100, a.pid);

	/* Downgrade a part, then upgrade it back. */
	rproc_enter(&a);
	RL(lockop(a.fd, F_SETLK, F_RDLCK, SEEK_SET, 20, 10));
	rproc_enter(&b);
	RL(lockop(b.fd, F_SETLK, F_RDLCK, SEEK_SET, 20, 10));
	RE(lockop(b.fd, F_SETLK, F_WRLCK, SEEK_SET, 25, 1), EAGAIN);
	getlk(b.fd, F_GETLK, F_WRLCK, 0, 0, &fl);
	CHECK_LOCK(fl, F_WRLCK, 0, 20, a.pid);
	getlk(b.fd, F_GETLK, F_WRLCK, 20, 10, &fl);
	CHECK_LOCK(fl, F_RDLCK, 20, 10, a.pid);
	rproc_enter(&a);
	RE(lockop(a.fd, F_SETLK, F_WRLCK, SEEK_SET, 20, 10), EAGAIN);
	rproc_enter(&b);
	RL(lockop(b.fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0));
	rproc_enter(&a);
	RL(lockop(a.fd, F_SETLK, F_WRLCK, SEEK_SET, 20, 10));
	rproc_enter(&b);
	getlk(b.fd, F_GETLK, F_RDLCK, 0, 0, &fl);
	CHECK_LOCK(fl, F_WRLCK, 0, 100, a.pid);

	/* Bases and lengths: SEEK_CUR, SEEK_END, negative, to the end. */
	rproc_enter(&a);
	RL(lockop(a.fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0));
	ATF_REQUIRE_EQ(rump_sys_lseek(a.fd, 300, SEEK_SET), 300);
	RL(lockop(a.fd, F_SETLK, F_WRLCK, SEEK_CUR, -10, 5));
	RL(lockop(a.fd, F_SETLK, F_WRLCK, SEEK_SET, 210, -10));
	RL(lockop(a.fd, F_SETLK, F_RDLCK, SEEK_END, -100, 0));
	rproc_enter(&b);
	getlk(b.fd, F_GETLK, F_WRLCK, 0, 0, &fl);
	CHECK_LOCK(fl, F_WRLCK, 200, 10, a.pid);
	getlk(b.fd, F_GETLK, F_WRLCK, 211, 0, &fl);
	CHECK_LOCK(fl, F_WRLCK, 290, 5, a.pid);
	getlk(b.fd, F_GETLK, F_WRLCK, 295, 0, &fl);
	CHECK_LOCK(fl, F_RDLCK, 900, 0, a.pid);

	/* Errors. */
	RE(lockop(b.fd, F_SETLK, F_WRLCK, SEEK_SET, -1, 1), EINVAL);
	RE(lockop(b.fd, F_SETLK, F_WRLCK, SEEK_SET, 5, -10), EINVAL);
	RE(lockop(b.fd, F_SETLK, F_WRLCK, 9, 0, 1), EINVAL);
	RE(lockop(b.fd, F_SETLK, 7, SEEK_SET, 0, 1), EINVAL);
	RE(lockop(b.fd, F_GETLK, F_UNLCK, SEEK_SET, 0, 1), EINVAL);
	RE(lockop(b.fd, F_SETLK, F_RDLCK, SEEK_SET, INT64_MAX, 2), EOVERFLOW);
	RL(lockop(b.fd, F_SETLK, F_RDLCK, SEEK_SET, INT64_MAX, 1));
	RL(rofd = rump_sys_open(FILEPATH, O_RDONLY));
	RE(lockop(rofd, F_SETLK, F_WRLCK, SEEK_SET, 0, 1), EBADF);
	RL(lockop(rofd, F_SETLK, F_UNLCK, SEEK_SET, 0, 1));
	RL(lockop(rofd, F_GETLK, F_WRLCK, SEEK_SET, 0, 1));
	RL(rump_sys_close(rofd));
	rump_pub_lwproc_switch(NULL);
}

ATF_TC(posix_ranges_model);
ATF_TC_HEAD(posix_ranges_model, tc)
{
	atf_tc_set_md_var(tc, "descr", "Random POSIX lock and unlock calls "
	    "of one process agree byte for byte with a simple model");
}
ATF_TC_BODY(posix_ranges_model, tc)
{
	enum { NBYTES = 64, NOPS = 3000 };
	static const short types[] = { F_RDLCK, F_WRLCK, F_UNLCK };
	short model[NBYTES];
	struct rproc a, b;
	struct flock fl;
	int op, i, first, last;
	off_t start, len;
	short type;

	boot(-1);
	rproc_make(&a);
	rproc_make(&b);
	for (i = 0; i < NBYTES; i++)
		model[i] = F_UNLCK;
	srandom(12345);

	for (op = 0; op < NOPS; op++) {
		start = random() % NBYTES;
		len = 1 + random() % (NBYTES - start);
		type = types[random() % 3];
		rproc_enter(&a);
		RL(lockop(a.fd, F_SETLK, type, SEEK_SET, start, len));
		for (i = start; i < start + len; i++)
			model[i] = type;
		if (op % 10 != 0)
			continue;

		/*
		 * Each byte reports the lock over it, merged with its
		 * neighbours of the same type, or nothing.
		 */
		rproc_enter(&b);
		for (i = 0; i < NBYTES; i++) {
			getlk(b.fd, F_GETLK, F_WRLCK, i, 1, &fl);
			ATF_REQUIRE_EQ_MSG(fl.l_type, model[i],
			    "operation %d, byte %d: type %d, expected %d", op, i,
			    fl.l_type, model[i]);
			if (model[i] == F_UNLCK)
				continue;
			for (first = i; first > 0 &&
			    model[first - 1] == model[i]; first--)
				continue;
			for (last = i; last < NBYTES - 1 &&
			    model[last + 1] == model[i]; last++)
				continue;
			ATF_REQUIRE_EQ_MSG(fl.l_start, first,
			    "operation %d, byte %d: start %jd, expected %d", op,
			    i, (intmax_t)fl.l_start, first);
			ATF_REQUIRE_EQ_MSG(fl.l_len, last - first + 1,
			    "operation %d, byte %d: length %jd, expected %d", op,
			    i, (intmax_t)fl.l_len, last - first + 1);
		}
	}
	rump_pub_lwproc_switch(NULL);
}

ATF_TC(posix_setlkw);
ATF_TC_HEAD(posix_setlkw, tc)
{
	atf_tc_set_md_var(tc, "descr", "F_SETLKW waits for the conflicting "
	    "lock and is granted when it goes");
}
ATF_TC_BODY(posix_setlkw, tc)
{
	struct rproc a, b;
	struct waiter w;
	struct flock fl;

	boot(-1);
	rproc_make(&a);
	rproc_make(&b);

	rproc_enter(&a);
	RL(lockop(a.fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10));
	waiter_start(&w, &b, F_SETLKW, F_WRLCK, 5, 10);
	waiter_check_blocked(&w);
	RL(lockop(a.fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 5));
	waiter_check_blocked(&w);
	RL(lockop(a.fd, F_SETLK, F_UNLCK, SEEK_SET, 5, 5));
	waiter_join(&w);
	ATF_CHECK_EQ_MSG(w.result, 0, "F_SETLKW: %s", strerror(w.error));
	getlk(a.fd, F_GETLK, F_RDLCK, 0, 0, &fl);
	CHECK_LOCK(fl, F_WRLCK, 5, 10, b.pid);
	rump_pub_lwproc_switch(NULL);
}

ATF_TC(posix_setlkw_eintr);
ATF_TC_HEAD(posix_setlkw_eintr, tc)
{
	atf_tc_set_md_var(tc, "descr", "A signal ends an F_SETLKW wait "
	    "with EINTR");
}
ATF_TC_BODY(posix_setlkw_eintr, tc)
{
	struct rproc a, b;
	struct waiter w;

	boot(RUMP_SIGMODEL_RECORD);
	rproc_make(&a);
	rproc_make(&b);

	rproc_enter(&a);
	RL(lockop(a.fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 0));
	waiter_start(&w, &b, F_SETLKW, F_RDLCK, 0, 1);
	waiter_check_blocked(&w);
	RL(rump_sys_kill(b.pid, SIGUSR1));
	waiter_join(&w);
	ATF_CHECK_EQ(w.result, -1);
	ATF_CHECK_EQ_MSG(w.error, EINTR, "got %s", strerror(w.error));
	rump_pub_lwproc_switch(NULL);
}

ATF_TC(posix_deadlock);
ATF_TC_HEAD(posix_deadlock, tc)
{
	atf_tc_set_md_var(tc, "descr", "F_SETLKW fails with EDEADLK when it "
	    "would close a cycle of two or three waiting processes");
}
ATF_TC_BODY(posix_deadlock, tc)
{
	struct rproc a, b, c;
	struct waiter wb, wc;

	boot(-1);
	rproc_make(&a);
	rproc_make(&b);
	rproc_make(&c);

	/* Two processes: a holds 0, b holds 1, b waits for 0. */
	rproc_enter(&b);
	RL(lockop(b.fd, F_SETLK, F_WRLCK, SEEK_SET, 1, 1));
	rproc_enter(&a);
	RL(lockop(a.fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 1));
	waiter_start(&wb, &b, F_SETLKW, F_WRLCK, 0, 1);
	waiter_check_blocked(&wb);
	RE(lockop(a.fd, F_SETLKW, F_WRLCK, SEEK_SET, 1, 1), EDEADLK);
	/* F_SETLK does not check for deadlocks, it just fails. */
	RE(lockop(a.fd, F_SETLK, F_WRLCK, SEEK_SET, 1, 1), EAGAIN);
	RL(lockop(a.fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 1));
	waiter_join(&wb);
	ATF_CHECK_EQ_MSG(wb.result, 0, "F_SETLKW: %s", strerror(wb.error));

	/* Three: b holds 0 and 1, c holds 2; c waits for b, b for a. */
	RL(lockop(a.fd, F_SETLK, F_WRLCK, SEEK_SET, 10, 1));
	rproc_enter(&c);
	RL(lockop(c.fd, F_SETLK, F_WRLCK, SEEK_SET, 2, 1));
	rproc_enter(&a);
	waiter_start(&wc, &c, F_SETLKW, F_WRLCK, 0, 1);
	waiter_check_blocked(&wc);
	waiter_start(&wb, &b, F_SETLKW, F_WRLCK, 10, 1);
	waiter_check_blocked(&wb);
	RE(lockop(a.fd, F_SETLKW, F_WRLCK, SEEK_SET, 2, 1), EDEADLK);
	/* A wait that closes no cycle just waits. */
	RL(lockop(a.fd, F_SETLK, F_UNLCK, SEEK_SET, 10, 1));
	waiter_join(&wb);
	ATF_CHECK_EQ_MSG(wb.result, 0, "F_SETLKW: %s", strerror(wb.error));
	rproc_enter(&b);
	RL(lockop(b.fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0));
	rump_pub_lwproc_switch(NULL);
	waiter_join(&wc);
	ATF_CHECK_EQ_MSG(wc.result, 0, "F_SETLKW: %s", strerror(wc.error));
}

/* A worker of posix_stress: random waits and unlocks until stop. */
struct stress_worker {
	pthread_t	 thread;
	struct rproc	*rp;
	atomic_bool	*stop;
	atomic_bool	 done;
	unsigned	 seed;
	long		 granted, deadlocks;
	int		 error;		/* an unexpected errno, or 0 */
};

static void *
stress_main(void *arg)
{
	struct stress_worker *sw = arg;
	off_t start;
	short type;

	rump_pub_lwproc_switch(sw->rp->lwp);
	while (!atomic_load(sw->stop) && sw->error == 0) {
		start = rand_r(&sw->seed) % 16;
		type = rand_r(&sw->seed) % 2 ? F_WRLCK : F_RDLCK;
		if (lockop(sw->rp->fd, F_SETLKW, type, SEEK_SET, start,
		    1 + rand_r(&sw->seed) % 4) == 0) {
			sw->granted++;
			if (rand_r(&sw->seed) % 2 == 0)
				continue;
		} else if (errno == EDEADLK) {
			sw->deadlocks++;
		} else {
			sw->error = errno;
		}
		/* Drop everything now and then, so waiters move on. */
		if (lockop(sw->rp->fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0) != 0)
			sw->error = errno;
	}
	(void)lockop(sw->rp->fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0);
	rump_pub_lwproc_switch(NULL);
	atomic_store(&sw->done, true);
	return NULL;
}

ATF_TC(posix_stress);
ATF_TC_HEAD(posix_stress, tc)
{
	atf_tc_set_md_var(tc, "descr", "Four processes lock and wait on "
	    "overlapping ranges for two seconds: no hang, only EDEADLK");
}
ATF_TC_BODY(posix_stress, tc)
{
	enum { NWORKERS = 4 };
	struct stress_worker sw[NWORKERS];
	struct rproc rp[NWORKERS], probe;
	atomic_bool stop;
	struct flock fl;
	int i, j;

	boot(-1);
	atomic_store(&stop, false);
	for (i = 0; i < NWORKERS; i++)
		rproc_make(&rp[i]);
	rproc_make(&probe);
	for (i = 0; i < NWORKERS; i++) {
		memset(&sw[i], 0, sizeof(sw[i]));
		sw[i].rp = &rp[i];
		sw[i].stop = &stop;
		sw[i].seed = 1000 + i;
		atomic_store(&sw[i].done, false);
		ATF_REQUIRE_EQ(pthread_create(&sw[i].thread, NULL, stress_main,
		    &sw[i]), 0);
	}
	sleep_ms(2000);
	atomic_store(&stop, true);

	/* A worker stuck in F_SETLKW would never see stop. */
	for (j = 0; j < WAIT_SECONDS * 100; j++) {
		for (i = 0; i < NWORKERS && atomic_load(&sw[i].done); i++)
			continue;
		if (i == NWORKERS)
			break;
		sleep_ms(10);
	}
	for (i = 0; i < NWORKERS; i++) {
		ATF_REQUIRE_MSG(atomic_load(&sw[i].done),
		    "worker %d hangs in a lock call", i);
		ATF_REQUIRE_EQ(pthread_join(sw[i].thread, NULL), 0);
		ATF_CHECK_EQ_MSG(sw[i].error, 0, "worker %d: %s", i,
		    strerror(sw[i].error));
		ATF_CHECK_MSG(sw[i].granted > 0, "worker %d got no lock", i);
		printf("worker %d: %ld granted, %ld EDEADLK\n", i,
		    sw[i].granted, sw[i].deadlocks);
	}

	rproc_enter(&probe);
	getlk(probe.fd, F_GETLK, F_WRLCK, 0, 0, &fl);
	CHECK_LOCK(fl, F_UNLCK, 0, 0, 0);
	rump_pub_lwproc_switch(NULL);
}

ATF_TC(ofd_locks);
ATF_TC_HEAD(ofd_locks, tc)
{
	atf_tc_set_md_var(tc, "descr", "OFD locks belong to the open file: "
	    "conflicts within a process, l_pid rules, release at last close");
}
ATF_TC_BODY(ofd_locks, tc)
{
	struct rproc a, b;
	struct flock fl;
	int fd2, dupfd;

	boot(-1);
	rproc_make(&a);
	rproc_make(&b);
	rproc_enter(&a);
	RL(fd2 = rump_sys_open(FILEPATH, O_RDWR));

	RL(lockop(a.fd, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 10));
	/* Another open file of the same process conflicts. */
	RE(lockop(fd2, F_OFD_SETLK, F_RDLCK, SEEK_SET, 5, 1), EAGAIN);
	getlk(fd2, F_OFD_GETLK, F_RDLCK, 0, 0, &fl);
	CHECK_LOCK(fl, F_WRLCK, 0, 10, -1);
	/* So does a POSIX lock of the same process. */
	RE(lockop(fd2, F_SETLK, F_RDLCK, SEEK_SET, 5, 1), EAGAIN);
	getlk(fd2, F_GETLK, F_RDLCK, 0, 0, &fl);
	CHECK_LOCK(fl, F_WRLCK, 0, 10, -1);
	/* The same open file upgrades and splits its own lock. */
	RL(lockop(a.fd, F_OFD_SETLK, F_RDLCK, SEEK_SET, 0, 5));
	RL(lockop(fd2, F_OFD_SETLK, F_RDLCK, SEEK_SET, 0, 5));

	/* l_pid must be 0. */
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_RDLCK;
	fl.l_pid = 1;
	RE(rump_sys_fcntl(a.fd, F_OFD_SETLK, &fl), EINVAL);
	RE(rump_sys_fcntl(a.fd, F_OFD_GETLK, &fl), EINVAL);

	/* A POSIX lock reports its pid to F_OFD_GETLK. */
	rproc_enter(&b);
	RL(lockop(b.fd, F_SETLK, F_WRLCK, SEEK_SET, 50, 1));
	rproc_enter(&a);
	getlk(a.fd, F_OFD_GETLK, F_WRLCK, 20, 0, &fl);
	CHECK_LOCK(fl, F_WRLCK, 50, 1, b.pid);

	/* Closing a dup or another file keeps the lock; the last close not. */
	RL(dupfd = rump_sys_dup(a.fd));
	RL(rump_sys_close(dupfd));
	RL(rump_sys_close(fd2));
	rproc_enter(&b);
	RE(lockop(b.fd, F_SETLK, F_WRLCK, SEEK_SET, 5, 1), EAGAIN);
	rproc_enter(&a);
	RL(rump_sys_close(a.fd));
	rproc_enter(&b);
	RL(lockop(b.fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10));
	rump_pub_lwproc_switch(NULL);
}

ATF_TC(flock_locks);
ATF_TC_HEAD(flock_locks, tc)
{
	atf_tc_set_md_var(tc, "descr", "flock locks: shared, exclusive, "
	    "conversion, LOCK_NB, waiting, and independence from POSIX locks");
}
ATF_TC_BODY(flock_locks, tc)
{
	struct rproc a, b;
	struct waiter w;
	int fd2, dupfd;

	boot(-1);
	rproc_make(&a);
	rproc_make(&b);
	rproc_enter(&a);
	RL(fd2 = rump_sys_open(FILEPATH, O_RDONLY));

	/* Two open files of one process conflict; read-only may lock too. */
	RL(rump_sys_flock(a.fd, LOCK_EX));
	RE(rump_sys_flock(fd2, LOCK_SH | LOCK_NB), EWOULDBLOCK);
	RL(rump_sys_flock(a.fd, LOCK_EX));
	RL(rump_sys_flock(a.fd, LOCK_SH));
	RL(rump_sys_flock(fd2, LOCK_SH | LOCK_NB));

	/* A failed conversion loses the old lock, as on Linux. */
	RE(rump_sys_flock(a.fd, LOCK_EX | LOCK_NB), EWOULDBLOCK);
	RL(rump_sys_flock(fd2, LOCK_EX | LOCK_NB));
	RL(rump_sys_flock(fd2, LOCK_UN));
	RL(rump_sys_flock(fd2, LOCK_UN));

	/* POSIX locks and flock locks do not see each other. */
	RL(rump_sys_flock(a.fd, LOCK_EX));
	rproc_enter(&b);
	RL(lockop(b.fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 0));
	RE(rump_sys_flock(b.fd, LOCK_SH | LOCK_NB), EWOULDBLOCK);
	RL(lockop(b.fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0));

	/* LOCK_EX without LOCK_NB waits until the holder lets go. */
	rproc_enter(&a);
	waiter_start(&w, &b, -1, LOCK_EX, 0, 0);
	waiter_check_blocked(&w);
	RL(rump_sys_flock(a.fd, LOCK_UN));
	waiter_join(&w);
	ATF_CHECK_EQ_MSG(w.result, 0, "flock: %s", strerror(w.error));
	RE(rump_sys_flock(a.fd, LOCK_SH | LOCK_NB), EWOULDBLOCK);

	/* The lock stays until the open file's last descriptor closes. */
	rproc_enter(&b);
	RL(dupfd = rump_sys_dup(b.fd));
	RL(rump_sys_close(b.fd));
	rproc_enter(&a);
	RE(rump_sys_flock(a.fd, LOCK_SH | LOCK_NB), EWOULDBLOCK);
	rproc_enter(&b);
	RL(rump_sys_close(dupfd));
	rproc_enter(&a);
	RL(rump_sys_flock(a.fd, LOCK_SH | LOCK_NB));
	RL(rump_sys_close(fd2));
	rump_pub_lwproc_switch(NULL);
}

ATF_TC(posix_close_releases);
ATF_TC_HEAD(posix_close_releases, tc)
{
	atf_tc_set_md_var(tc, "descr", "A process's POSIX locks on a file go "
	    "when it closes any descriptor of the file, or exits");
}
ATF_TC_BODY(posix_close_releases, tc)
{
	struct rproc a, b;
	struct flock fl;
	int fd2, dupfd;

	boot(-1);
	rproc_make(&a);
	rproc_make(&b);

	/* Closing another open file of the same file. */
	rproc_enter(&a);
	RL(lockop(a.fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10));
	RL(fd2 = rump_sys_open(FILEPATH, O_RDONLY));
	RL(rump_sys_close(fd2));
	rproc_enter(&b);
	getlk(b.fd, F_GETLK, F_WRLCK, 0, 0, &fl);
	CHECK_LOCK(fl, F_UNLCK, 0, 0, 0);

	/* Closing a dup of the locking descriptor. */
	rproc_enter(&a);
	RL(lockop(a.fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10));
	RL(dupfd = rump_sys_dup(a.fd));
	RL(rump_sys_close(dupfd));
	rproc_enter(&b);
	getlk(b.fd, F_GETLK, F_WRLCK, 0, 0, &fl);
	CHECK_LOCK(fl, F_UNLCK, 0, 0, 0);

	/* Another process's close leaves the locks alone. */
	rproc_enter(&a);
	RL(lockop(a.fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10));
	rproc_enter(&b);
	RL(fd2 = rump_sys_open(FILEPATH, O_RDONLY));
	RL(rump_sys_close(fd2));
	getlk(b.fd, F_GETLK, F_WRLCK, 0, 0, &fl);
	CHECK_LOCK(fl, F_WRLCK, 0, 10, a.pid);

	/* The process going away. */
	rproc_enter(&a);
	rump_pub_lwproc_releaselwp();
	rproc_enter(&b);
	getlk(b.fd, F_GETLK, F_WRLCK, 0, 0, &fl);
	CHECK_LOCK(fl, F_UNLCK, 0, 0, 0);
	rump_pub_lwproc_switch(NULL);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, posix_conflict);
	ATF_TP_ADD_TC(tp, posix_ranges);
	ATF_TP_ADD_TC(tp, posix_ranges_model);
	ATF_TP_ADD_TC(tp, posix_setlkw);
	ATF_TP_ADD_TC(tp, posix_setlkw_eintr);
	ATF_TP_ADD_TC(tp, posix_deadlock);
	ATF_TP_ADD_TC(tp, posix_stress);
	ATF_TP_ADD_TC(tp, ofd_locks);
	ATF_TP_ADD_TC(tp, flock_locks);
	ATF_TP_ADD_TC(tp, posix_close_releases);
	return atf_no_error();
}
