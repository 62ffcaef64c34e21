/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * poll, ppoll, select and pselect over pipes, FIFOs and regular files:
 * ready events, timeouts (and select's update of its timeout), wakeups
 * from other threads, POLLNVAL and EBADF, EINTR, and the argument checks.
 * Expected values are Linux's (6.18, x86-64), observed with the same
 * calls on the host.  Timing bounds are generous: test machines are busy.
 */

#include <sys/select.h>
#include <sys/stat.h>

#include <fcntl.h>
#include <poll.h>

#include "h_descrip.h"

/* Slack for timeouts: a sleep may end this much later than asked. */
#define LATE_NS		(3LL * 1000 * 1000 * 1000)
/* ... and this much earlier (clock granularity). */
#define EARLY_NS	(10LL * 1000 * 1000)
#define MS		(1000LL * 1000)

static void
write_later_fn(struct worker *w)
{

	sleep_ms(200);
	w->w_rv = rump_sys_write(w->w_fd, "x", 1);
	w->w_errno = errno;
}

static void
close_later_fn(struct worker *w)
{

	sleep_ms(200);
	w->w_rv = rump_sys_close(w->w_fd);
	w->w_errno = errno;
}

static void
poll_forever_fn(struct worker *w)
{
	struct pollfd pfd;

	pfd.fd = w->w_fd;
	pfd.events = POLLIN;
	errno = 0;
	w->w_rv = rump_sys_poll(&pfd, 1, -1);
	w->w_errno = errno;
	w->w_len = (size_t)(unsigned short)pfd.revents;
}

/* ppoll on w_fd for up to 2 s with SIGUSR1 blocked. */
static void
ppoll_masked_fn(struct worker *w)
{
	struct timespec ts = { 2, 0 };
	struct pollfd pfd;
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	pfd.fd = w->w_fd;
	pfd.events = POLLIN;
	errno = 0;
	w->w_rv = rump_sys_ppoll(&pfd, 1, &ts, &mask);
	w->w_errno = errno;
}

static void
select_forever_fn(struct worker *w)
{
	fd_set rs;

	FD_ZERO(&rs);
	FD_SET(w->w_fd, &rs);
	errno = 0;
	w->w_rv = rump_sys_select(w->w_fd + 1, &rs, NULL, NULL, NULL);
	w->w_errno = errno;
	w->w_len = FD_ISSET(w->w_fd, &rs);
}

ATF_TC(poll_ready_events);
ATF_TC_HEAD(poll_ready_events, tc)
{
	atf_tc_set_md_var(tc, "descr", "poll reports the requested events "
	    "that are ready on pipes and regular files");
}
ATF_TC_BODY(poll_ready_events, tc)
{
	struct pollfd pfd[3];
	int p[2], fd;

	boot_kernel();
	REQUIRE_OK(rump_sys_pipe(p));
	fd = REQUIRE_OK(rump_sys_open("/f", O_CREAT | O_WRONLY, 0644));
	pfd[0].fd = p[0];
	pfd[1].fd = p[1];
	pfd[2].fd = fd;
	pfd[0].events = pfd[1].events = pfd[2].events = POLLIN | POLLOUT |
	    POLLRDNORM | POLLWRNORM | POLLPRI;
	ATF_CHECK_EQ(rump_sys_poll(pfd, 3, 0), 2);
	ATF_CHECK_EQ(pfd[0].revents, 0);
	ATF_CHECK_EQ(pfd[1].revents, POLLOUT | POLLWRNORM);
	/* Regular files are always ready, whatever the open mode. */
	ATF_CHECK_EQ(pfd[2].revents, POLLIN | POLLOUT | POLLRDNORM |
	    POLLWRNORM);

	ATF_REQUIRE_EQ(rump_sys_write(p[1], "x", 1), 1);
	ATF_CHECK_EQ(rump_sys_poll(pfd, 3, 0), 3);
	ATF_CHECK_EQ(pfd[0].revents, POLLIN | POLLRDNORM);
}

ATF_TC(poll_timeout);
ATF_TC_HEAD(poll_timeout, tc)
{
	atf_tc_set_md_var(tc, "descr", "poll waits for its timeout when "
	    "nothing is ready, and not at all for a timeout of 0");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(poll_timeout, tc)
{
	struct pollfd pfd;
	int64_t start, took;
	int p[2];

	boot_kernel();
	REQUIRE_OK(rump_sys_pipe(p));
	pfd.fd = p[0];
	pfd.events = POLLIN;

	start = host_now_ns();
	ATF_CHECK_EQ(rump_sys_poll(&pfd, 1, 300), 0);
	took = host_now_ns() - start;
	ATF_CHECK_MSG(took >= 300 * MS - EARLY_NS && took < 300 * MS + LATE_NS,
	    "poll(300 ms) took %lld ns", (long long)took);

	start = host_now_ns();
	ATF_CHECK_EQ(rump_sys_poll(&pfd, 1, 0), 0);
	took = host_now_ns() - start;
	ATF_CHECK_MSG(took < LATE_NS, "poll(0) took %lld ns", (long long)took);

	/* No descriptors at all: a plain sleep. */
	start = host_now_ns();
	ATF_CHECK_EQ(rump_sys_poll(NULL, 0, 100), 0);
	took = host_now_ns() - start;
	ATF_CHECK_MSG(took >= 100 * MS - EARLY_NS, "poll(NULL, 0, 100) took "
	    "%lld ns", (long long)took);
}

ATF_TC(poll_wakeup);
ATF_TC_HEAD(poll_wakeup, tc)
{
	atf_tc_set_md_var(tc, "descr", "a poll without timeout wakes up when "
	    "another thread writes to the pipe or closes its write end");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(poll_wakeup, tc)
{
	struct pollfd pfd;
	struct worker w;
	int64_t start, took;
	int p[2];

	boot_kernel();
	REQUIRE_OK(rump_sys_pipe(p));
	memset(&w, 0, sizeof(w));
	w.w_fd = p[1];
	worker_start(&w, 0, write_later_fn);
	pfd.fd = p[0];
	pfd.events = POLLIN;
	start = host_now_ns();
	ATF_CHECK_EQ(rump_sys_poll(&pfd, 1, -1), 1);
	took = host_now_ns() - start;
	ATF_CHECK_EQ(pfd.revents, POLLIN);
	ATF_CHECK_MSG(took >= 150 * MS, "poll returned after %lld ns",
	    (long long)took);
	worker_join(&w);
	ATF_CHECK_EQ(w.w_rv, 1);

	/* The pipe still contains the byte, and a closed writer adds POLLHUP. */
	w.w_fd = p[1];
	worker_start(&w, 0, close_later_fn);
	pfd.events = POLLOUT;
	ATF_CHECK_EQ(rump_sys_poll(&pfd, 1, -1), 1);
	ATF_CHECK_EQ(pfd.revents, POLLHUP);
	worker_join(&w);
}

ATF_TC(poll_nval);
ATF_TC_HEAD(poll_nval, tc)
{
	atf_tc_set_md_var(tc, "descr", "poll reports POLLNVAL for descriptors "
	    "that are not open and skips negative ones");
}
ATF_TC_BODY(poll_nval, tc)
{
	struct pollfd pfd[3];
	int p[2];

	boot_kernel();
	REQUIRE_OK(rump_sys_pipe(p));
	pfd[0].fd = 200;
	pfd[0].events = POLLIN;
	pfd[1].fd = -5;
	pfd[1].events = POLLIN;
	pfd[1].revents = 7;
	pfd[2].fd = p[1];
	pfd[2].events = 0;
	ATF_CHECK_EQ(rump_sys_poll(pfd, 3, 1000), 1);
	ATF_CHECK_EQ(pfd[0].revents, POLLNVAL);
	ATF_CHECK_EQ(pfd[1].revents, 0);
	ATF_CHECK_EQ(pfd[2].revents, 0);
	ATF_CHECK_EQ(pfd[0].fd, 200);
	ATF_CHECK_EQ(pfd[0].events, POLLIN);
}

ATF_TC(poll_limits);
ATF_TC_HEAD(poll_limits, tc)
{
	atf_tc_set_md_var(tc, "descr", "poll rejects more entries than "
	    "RLIMIT_NOFILE with EINVAL and a bad array with EFAULT");
}
ATF_TC_BODY(poll_limits, tc)
{
	static struct pollfd many[1024];
	int i;

	boot_kernel();
	CHECK_ERRNO(EINVAL, rump_sys_poll(NULL, 1025, 0));
	CHECK_ERRNO(EFAULT, rump_sys_poll(NULL, 1024, 0));
	CHECK_ERRNO(EFAULT, rump_sys_poll((void *)8, 1, 0));
	for (i = 0; i < 1024; i++) {
		many[i].fd = -1;
		many[i].events = POLLIN;
	}
	many[1023].fd = 3;
	ATF_CHECK_EQ(rump_sys_poll(many, 1024, 0), 1);
	ATF_CHECK_EQ(many[1023].revents, POLLNVAL);
}

ATF_TC(poll_eintr);
ATF_TC_HEAD(poll_eintr, tc)
{
	atf_tc_set_md_var(tc, "descr", "a signal ends a waiting poll with "
	    "EINTR; a pending signal does so even with a zero timeout");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(poll_eintr, tc)
{
	struct pollfd pfd;
	struct worker w;
	pid_t pid;
	int p[2];

	boot_kernel();
	pid = proc_create(RUMP_RFCFDG);
	REQUIRE_OK(rump_sys_pipe(p));
	memset(&w, 0, sizeof(w));
	w.w_fd = p[0];
	worker_start(&w, pid, poll_forever_fn);
	sleep_ms(200);
	ATF_CHECK(!worker_done(&w));
	REQUIRE_OK(rump_sys_kill(pid, SIGUSR1));
	worker_join(&w);
	ATF_CHECK_EQ(w.w_rv, -1);
	ATF_CHECK_EQ(w.w_errno, EINTR);

	/* Pending, nothing ready: EINTR at once. */
	REQUIRE_OK(rump_sys_kill(pid, SIGUSR1));
	pfd.fd = p[0];
	pfd.events = POLLIN;
	CHECK_ERRNO(EINTR, rump_sys_poll(&pfd, 1, 0));
	ATF_CHECK_EQ(rump_sys_poll(&pfd, 1, 0), 0);

	/* Pending with a ready descriptor: the descriptor wins. */
	ATF_REQUIRE_EQ(rump_sys_write(p[1], "x", 1), 1);
	REQUIRE_OK(rump_sys_kill(pid, SIGUSR1));
	ATF_CHECK_EQ(rump_sys_poll(&pfd, 1, 1000), 1);
	CHECK_ERRNO(EINTR, rump_sys_poll(NULL, 0, 1000));
}

ATF_TC(poll_many_pipes);
ATF_TC_HEAD(poll_many_pipes, tc)
{
	atf_tc_set_md_var(tc, "descr", "poll over 64 pipes wakes for the one "
	    "that becomes readable and reports only it");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(poll_many_pipes, tc)
{
	struct pollfd pfd[64];
	struct worker w;
	int p[64][2], i;

	boot_kernel();
	for (i = 0; i < 64; i++) {
		REQUIRE_OK(rump_sys_pipe(p[i]));
		pfd[i].fd = p[i][0];
		pfd[i].events = POLLIN;
	}
	memset(&w, 0, sizeof(w));
	w.w_fd = p[37][1];
	worker_start(&w, 0, write_later_fn);
	ATF_CHECK_EQ(rump_sys_poll(pfd, 64, WORKER_TIMEOUT_S * 1000), 1);
	for (i = 0; i < 64; i++)
		ATF_CHECK_EQ_MSG(pfd[i].revents, i == 37 ? POLLIN : 0,
		    "pipe %d: revents %#x", i, pfd[i].revents);
	worker_join(&w);
}

ATF_TC(ppoll_rules);
ATF_TC_HEAD(ppoll_rules, tc)
{
	atf_tc_set_md_var(tc, "descr", "ppoll takes a timespec timeout (NULL "
	    "waits without limit) and rejects invalid ones with EINVAL");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(ppoll_rules, tc)
{
	struct timespec ts;
	struct pollfd pfd;
	int64_t start, took;
	sigset_t mask;
	int p[2];

	boot_kernel();
	REQUIRE_OK(rump_sys_pipe(p));
	pfd.fd = p[0];
	pfd.events = POLLIN;
	ts.tv_sec = 0;
	ts.tv_nsec = 200 * MS;
	start = host_now_ns();
	ATF_CHECK_EQ(rump_sys_ppoll(&pfd, 1, &ts, NULL), 0);
	took = host_now_ns() - start;
	ATF_CHECK_MSG(took >= 200 * MS - EARLY_NS && took < 200 * MS + LATE_NS,
	    "ppoll(200 ms) took %lld ns", (long long)took);
	/* The timeout is not updated. */
	ATF_CHECK_EQ(ts.tv_nsec, 200 * MS);

	ATF_REQUIRE_EQ(rump_sys_write(p[1], "x", 1), 1);
	sigemptyset(&mask);
	ATF_CHECK_EQ(rump_sys_ppoll(&pfd, 1, NULL, &mask), 1);
	ATF_CHECK_EQ(pfd.revents, POLLIN);

	ts.tv_nsec = 1000000000;
	CHECK_ERRNO(EINVAL, rump_sys_ppoll(&pfd, 1, &ts, NULL));
	ts.tv_sec = -1;
	ts.tv_nsec = 0;
	CHECK_ERRNO(EINVAL, rump_sys_ppoll(&pfd, 1, &ts, NULL));
	CHECK_ERRNO(EFAULT, rump_sys_ppoll(&pfd, 1, (void *)8, NULL));
}

ATF_TC(ppoll_pselect_sigmask);
ATF_TC_HEAD(ppoll_pselect_sigmask, tc)
{
	atf_tc_set_md_var(tc, "descr", "the signal mask of ppoll and pselect "
	    "blocks its signals for the call: they do not end the wait and "
	    "stay pending; other signals still interrupt; SIGKILL cannot be "
	    "blocked");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(ppoll_pselect_sigmask, tc)
{
	struct timespec ts = { 0, 0 };
	struct pollfd pfd;
	struct worker w;
	sigset_t usr1, usr2, kill;
	fd_set rs;
	pid_t pid;
	int p[2];

	boot_kernel();
	pid = proc_create(RUMP_RFCFDG);
	REQUIRE_OK(rump_sys_pipe(p));
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigemptyset(&usr2);
	sigaddset(&usr2, SIGUSR2);
	sigemptyset(&kill);
	sigaddset(&kill, SIGKILL);

	/* A blocked signal posted during the wait does not end it. */
	memset(&w, 0, sizeof(w));
	w.w_fd = p[0];
	worker_start(&w, pid, ppoll_masked_fn);
	sleep_ms(200);
	REQUIRE_OK(rump_sys_kill(pid, SIGUSR1));
	worker_join(&w);
	ATF_CHECK_EQ_MSG(w.w_rv, 0, "ppoll returned %d (errno %d), not a "
	    "timeout", w.w_rv, w.w_errno);

	/* It stayed pending: blocked again it waits, unblocked it ends. */
	pfd.fd = p[0];
	pfd.events = POLLIN;
	ATF_CHECK_EQ(rump_sys_ppoll(&pfd, 1, &ts, &usr1), 0);
	FD_ZERO(&rs);
	FD_SET(p[0], &rs);
	ATF_CHECK_EQ(rump_sys_pselect(p[0] + 1, &rs, NULL, NULL, &ts, &usr1),
	    0);
	CHECK_ERRNO(EINTR, rump_sys_ppoll(&pfd, 1, &ts, &usr2));
	/* Consumed now. */
	ATF_CHECK_EQ(rump_sys_poll(&pfd, 1, 0), 0);

	/* A signal outside the mask still interrupts pselect. */
	REQUIRE_OK(rump_sys_kill(pid, SIGUSR2));
	FD_SET(p[0], &rs);
	CHECK_ERRNO(EINTR, rump_sys_pselect(p[0] + 1, &rs, NULL, NULL, &ts,
	    &usr1));

	/* The mask ends with the call: a later poll is interrupted. */
	REQUIRE_OK(rump_sys_kill(pid, SIGUSR1));
	ATF_CHECK_EQ(rump_sys_ppoll(&pfd, 1, &ts, &usr1), 0);
	CHECK_ERRNO(EINTR, rump_sys_poll(&pfd, 1, 0));

	/* SIGKILL is never blocked; a bad mask pointer is EFAULT. */
	REQUIRE_OK(rump_sys_kill(pid, SIGKILL));
	CHECK_ERRNO(EINTR, rump_sys_ppoll(&pfd, 1, &ts, &kill));
	CHECK_ERRNO(EFAULT, rump_sys_ppoll(&pfd, 1, &ts, (void *)8));
	CHECK_ERRNO(EFAULT, rump_sys_pselect(p[0] + 1, &rs, NULL, NULL, &ts,
	    (void *)8));
}

ATF_TC(select_basic);
ATF_TC_HEAD(select_basic, tc)
{
	atf_tc_set_md_var(tc, "descr", "select returns the ready descriptors "
	    "in each set and counts every set bit");
}
ATF_TC_BODY(select_basic, tc)
{
	fd_set rs, ws, es;
	struct timeval tv;
	int p[2], q[2], fd;

	boot_kernel();
	REQUIRE_OK(rump_sys_pipe(p));
	REQUIRE_OK(rump_sys_pipe(q));
	fd = REQUIRE_OK(rump_sys_open("/f", O_CREAT | O_RDWR, 0644));
	ATF_REQUIRE_EQ(rump_sys_write(q[1], "x", 1), 1);

	FD_ZERO(&rs);
	FD_ZERO(&ws);
	FD_ZERO(&es);
	FD_SET(p[0], &rs);
	FD_SET(q[0], &rs);
	FD_SET(fd, &rs);
	FD_SET(p[1], &ws);
	FD_SET(fd, &ws);
	FD_SET(p[0], &es);
	FD_SET(fd, &es);
	tv.tv_sec = 1;
	tv.tv_usec = 0;
	ATF_CHECK_EQ(rump_sys_select(fd + 1, &rs, &ws, &es, &tv), 4);
	ATF_CHECK(!FD_ISSET(p[0], &rs));
	ATF_CHECK(FD_ISSET(q[0], &rs));
	ATF_CHECK(FD_ISSET(fd, &rs));
	ATF_CHECK(FD_ISSET(p[1], &ws));
	ATF_CHECK(FD_ISSET(fd, &ws));
	ATF_CHECK(!FD_ISSET(p[0], &es));
	ATF_CHECK(!FD_ISSET(fd, &es));

	/* Broken pipes: the read end is readable, the write end writable. */
	REQUIRE_OK(rump_sys_close(q[1]));
	REQUIRE_OK(rump_sys_close(p[0]));
	FD_ZERO(&rs);
	FD_ZERO(&ws);
	FD_SET(q[0], &rs);
	FD_SET(p[1], &ws);
	tv.tv_sec = 0;
	ATF_CHECK_EQ(rump_sys_select(fd + 1, &rs, &ws, NULL, &tv), 2);

	/* No sets: a plain sleep. */
	tv.tv_sec = 0;
	tv.tv_usec = 1000;
	ATF_CHECK_EQ(rump_sys_select(0, NULL, NULL, NULL, &tv), 0);
}

ATF_TC(select_ebadf);
ATF_TC_HEAD(select_ebadf, tc)
{
	atf_tc_set_md_var(tc, "descr", "select fails with EBADF for a closed "
	    "descriptor in a set and leaves the sets alone");
}
ATF_TC_BODY(select_ebadf, tc)
{
	fd_set rs, ws;
	struct timeval tv;
	int p[2];

	boot_kernel();
	REQUIRE_OK(rump_sys_pipe(p));
	ATF_REQUIRE_EQ(rump_sys_write(p[1], "x", 1), 1);
	FD_ZERO(&rs);
	FD_ZERO(&ws);
	FD_SET(p[0], &rs);
	FD_SET(5, &ws);
	tv.tv_sec = 1;
	tv.tv_usec = 0;
	CHECK_ERRNO(EBADF, rump_sys_select(6, &rs, &ws, NULL, &tv));
	ATF_CHECK(FD_ISSET(p[0], &rs));
	ATF_CHECK(FD_ISSET(5, &ws));
	/* Above nfds it does not count. */
	ATF_CHECK_EQ(rump_sys_select(5, &rs, &ws, NULL, &tv), 1);
	CHECK_ERRNO(EFAULT, rump_sys_select(5, (void *)8, NULL, NULL, &tv));
	CHECK_ERRNO(EFAULT, rump_sys_select(5, &rs, NULL, NULL, (void *)8));
}

ATF_TC(select_timeout_update);
ATF_TC_HEAD(select_timeout_update, tc)
{
	atf_tc_set_md_var(tc, "descr", "select stores the time left in its "
	    "timeout, as Linux does");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(select_timeout_update, tc)
{
	struct worker w;
	struct timeval tv;
	int64_t start, took, left;
	fd_set rs;
	int p[2];

	boot_kernel();
	REQUIRE_OK(rump_sys_pipe(p));
	FD_ZERO(&rs);
	FD_SET(p[0], &rs);
	tv.tv_sec = 0;
	tv.tv_usec = 300000;
	start = host_now_ns();
	ATF_CHECK_EQ(rump_sys_select(p[0] + 1, &rs, NULL, NULL, &tv), 0);
	took = host_now_ns() - start;
	ATF_CHECK_MSG(took >= 300 * MS - EARLY_NS, "select(300 ms) took "
	    "%lld ns", (long long)took);
	ATF_CHECK_EQ(tv.tv_sec, 0);
	ATF_CHECK_EQ(tv.tv_usec, 0);
	ATF_CHECK(!FD_ISSET(p[0], &rs));

	/* Woken after about 200 ms of 5 s: about 4.8 s left. */
	memset(&w, 0, sizeof(w));
	w.w_fd = p[1];
	worker_start(&w, 0, write_later_fn);
	FD_SET(p[0], &rs);
	tv.tv_sec = 5;
	tv.tv_usec = 0;
	ATF_CHECK_EQ(rump_sys_select(p[0] + 1, &rs, NULL, NULL, &tv), 1);
	worker_join(&w);
	left = tv.tv_sec * 1000 * MS + tv.tv_usec * 1000LL;
	ATF_CHECK_MSG(left > 1000 * MS && left <= 4850 * MS,
	    "%lld ns left", (long long)left);
	ATF_CHECK(tv.tv_usec >= 0 && tv.tv_usec < 1000000);

	/* tv_usec beyond a second is carried into seconds, not refused. */
	tv.tv_sec = 0;
	tv.tv_usec = 1100000;
	ATF_CHECK_EQ(rump_sys_select(p[0] + 1, &rs, NULL, NULL, &tv), 1);
	left = tv.tv_sec * 1000 * MS + tv.tv_usec * 1000LL;
	ATF_CHECK_MSG(left > 600 * MS && left <= 1100 * MS, "%lld ns left",
	    (long long)left);
	ATF_CHECK(tv.tv_usec < 1000000);
}

ATF_TC(select_einval);
ATF_TC_HEAD(select_einval, tc)
{
	atf_tc_set_md_var(tc, "descr", "select and pselect reject a negative "
	    "nfds and invalid timeouts with EINVAL");
}
ATF_TC_BODY(select_einval, tc)
{
	struct timespec ts;
	struct timeval tv;
	fd_set rs;

	boot_kernel();
	FD_ZERO(&rs);
	tv.tv_sec = 0;
	tv.tv_usec = 1000;
	CHECK_ERRNO(EINVAL, rump_sys_select(-1, &rs, NULL, NULL, &tv));
	tv.tv_sec = -1;
	CHECK_ERRNO(EINVAL, rump_sys_select(1, &rs, NULL, NULL, &tv));
	tv.tv_sec = 0;
	tv.tv_usec = -1;
	CHECK_ERRNO(EINVAL, rump_sys_select(1, &rs, NULL, NULL, &tv));

	ts.tv_sec = 0;
	ts.tv_nsec = 1000000000;
	CHECK_ERRNO(EINVAL, rump_sys_pselect(1, &rs, NULL, NULL, &ts, NULL));
	ts.tv_sec = -1;
	ts.tv_nsec = 0;
	CHECK_ERRNO(EINVAL, rump_sys_pselect(1, &rs, NULL, NULL, &ts, NULL));
	ts.tv_sec = 0;
	CHECK_ERRNO(EINVAL, rump_sys_pselect(-1, &rs, NULL, NULL, &ts, NULL));
}

ATF_TC(select_nfds_clamp);
ATF_TC_HEAD(select_nfds_clamp, tc)
{
	atf_tc_set_md_var(tc, "descr", "select ignores descriptors beyond the "
	    "size of the descriptor table, as Linux does");
}
ATF_TC_BODY(select_nfds_clamp, tc)
{
	static fd_mask big[5000 / NFDBITS + 1];
	struct timeval tv;
	fd_set rs;
	int p[2];

	boot_kernel();
	(void)proc_create(RUMP_RFCFDG);
	REQUIRE_OK(rump_sys_pipe(p));
	ATF_REQUIRE_EQ(rump_sys_write(p[1], "x", 1), 1);

	/* The table has 64 slots: fd 1000 is not looked at. */
	FD_ZERO(&rs);
	FD_SET(1000, &rs);
	tv.tv_sec = 0;
	tv.tv_usec = 1000;
	ATF_CHECK_EQ(rump_sys_select(1001, &rs, NULL, NULL, &tv), 0);
	/* Within the table, a closed descriptor is EBADF. */
	FD_ZERO(&rs);
	FD_SET(63, &rs);
	CHECK_ERRNO(EBADF, rump_sys_select(64, &rs, NULL, NULL, &tv));

	/* Sets larger than FD_SETSIZE work. */
	big[p[0] / NFDBITS] |= (fd_mask)1 << (p[0] % NFDBITS);
	big[4500 / NFDBITS] |= (fd_mask)1 << (4500 % NFDBITS);
	ATF_CHECK_EQ(rump_sys_select(5000, (fd_set *)big, NULL, NULL, &tv), 1);
	ATF_CHECK(big[p[0] / NFDBITS] & ((fd_mask)1 << (p[0] % NFDBITS)));

	/* After the table grows, fd 1000 counts. */
	ATF_REQUIRE_EQ(rump_sys_dup2(p[0], 1000), 1000);
	FD_ZERO(&rs);
	FD_SET(1000, &rs);
	ATF_CHECK_EQ(rump_sys_select(1001, &rs, NULL, NULL, &tv), 1);
	ATF_CHECK(FD_ISSET(1000, &rs));
}

ATF_TC(select_eintr);
ATF_TC_HEAD(select_eintr, tc)
{
	atf_tc_set_md_var(tc, "descr", "a signal ends a waiting select with "
	    "EINTR");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(select_eintr, tc)
{
	struct worker w;
	pid_t pid;
	int p[2];

	boot_kernel();
	pid = proc_create(RUMP_RFCFDG);
	REQUIRE_OK(rump_sys_pipe(p));
	memset(&w, 0, sizeof(w));
	w.w_fd = p[0];
	worker_start(&w, pid, select_forever_fn);
	sleep_ms(200);
	ATF_CHECK(!worker_done(&w));
	REQUIRE_OK(rump_sys_kill(pid, SIGUSR1));
	worker_join(&w);
	ATF_CHECK_EQ(w.w_rv, -1);
	ATF_CHECK_EQ(w.w_errno, EINTR);
	/* On an error the set is left as the caller gave it. */
	ATF_CHECK_EQ(w.w_len, 1);
}

ATF_TC(select_closed_while_waiting);
ATF_TC_HEAD(select_closed_while_waiting, tc)
{
	atf_tc_set_md_var(tc, "descr", "a descriptor closed while select "
	    "waits counts as ready when select looks again");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(select_closed_while_waiting, tc)
{
	struct worker w;
	int p[2];

	boot_kernel();
	REQUIRE_OK(rump_sys_pipe(p));
	memset(&w, 0, sizeof(w));
	w.w_fd = p[0];
	worker_start(&w, 0, select_forever_fn);
	sleep_ms(200);
	REQUIRE_OK(rump_sys_close(p[0]));
	sleep_ms(100);
	ATF_CHECK(!worker_done(&w));
	/* The write wakes select, which finds the descriptor gone. */
	ATF_REQUIRE_EQ(rump_sys_write(p[1], "x", 1), 1);
	worker_join(&w);
	ATF_CHECK_EQ(w.w_rv, 1);
	ATF_CHECK_EQ(w.w_len, 1);

	/* select held the read end until it returned. */
	CHECK_ERRNO(EPIPE, rump_sys_write(p[1], "x", 1));
	CHECK_ERRNO(EINTR, rump_sys_poll(NULL, 0, 0));
}

ATF_TC(pselect_rules);
ATF_TC_HEAD(pselect_rules, tc)
{
	atf_tc_set_md_var(tc, "descr", "pselect waits for its timespec "
	    "timeout and does not change it");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(pselect_rules, tc)
{
	struct timespec ts;
	int64_t start, took;
	sigset_t mask;
	fd_set rs;
	int p[2];

	boot_kernel();
	REQUIRE_OK(rump_sys_pipe(p));
	FD_ZERO(&rs);
	FD_SET(p[0], &rs);
	ts.tv_sec = 0;
	ts.tv_nsec = 200 * MS;
	sigemptyset(&mask);
	start = host_now_ns();
	ATF_CHECK_EQ(rump_sys_pselect(p[0] + 1, &rs, NULL, NULL, &ts, &mask),
	    0);
	took = host_now_ns() - start;
	ATF_CHECK_MSG(took >= 200 * MS - EARLY_NS && took < 200 * MS + LATE_NS,
	    "pselect(200 ms) took %lld ns", (long long)took);
	ATF_CHECK_EQ(ts.tv_sec, 0);
	ATF_CHECK_EQ(ts.tv_nsec, 200 * MS);

	ATF_REQUIRE_EQ(rump_sys_write(p[1], "x", 1), 1);
	FD_SET(p[0], &rs);
	ATF_CHECK_EQ(rump_sys_pselect(p[0] + 1, &rs, NULL, NULL, NULL, NULL),
	    1);
}

ATF_TC(poll_fifo_and_o_path);
ATF_TC_HEAD(poll_fifo_and_o_path, tc)
{
	atf_tc_set_md_var(tc, "descr", "FIFO ends poll by their open mode; an "
	    "O_PATH descriptor is POLLNVAL in poll and ready in select");
}
ATF_TC_BODY(poll_fifo_and_o_path, tc)
{
	struct pollfd pfd[2];
	fd_set rs, ws, es;
	struct timeval tv;
	int r, w, o;

	boot_kernel();
	REQUIRE_OK(rump_sys_mknod("/fifo", S_IFIFO | 0600, 0));
	r = REQUIRE_OK(rump_sys_open("/fifo", O_RDONLY | O_NONBLOCK));
	w = REQUIRE_OK(rump_sys_open("/fifo", O_WRONLY | O_NONBLOCK));
	ATF_REQUIRE_EQ(rump_sys_write(w, "x", 1), 1);
	pfd[0].fd = r;
	pfd[1].fd = w;
	pfd[0].events = pfd[1].events = POLLIN | POLLOUT;
	ATF_CHECK_EQ(rump_sys_poll(pfd, 2, 0), 2);
	ATF_CHECK_EQ(pfd[0].revents, POLLIN);
	ATF_CHECK_EQ(pfd[1].revents, POLLOUT);

	o = REQUIRE_OK(rump_sys_open("/fifo", O_PATH));
	pfd[0].fd = o;
	ATF_CHECK_EQ(rump_sys_poll(pfd, 1, 0), 1);
	ATF_CHECK_EQ(pfd[0].revents, POLLNVAL);
	FD_ZERO(&rs);
	FD_ZERO(&ws);
	FD_ZERO(&es);
	FD_SET(o, &rs);
	FD_SET(o, &ws);
	FD_SET(o, &es);
	tv.tv_sec = 0;
	tv.tv_usec = 0;
	ATF_CHECK_EQ(rump_sys_select(o + 1, &rs, &ws, &es, &tv), 3);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, poll_ready_events);
	ATF_TP_ADD_TC(tp, poll_timeout);
	ATF_TP_ADD_TC(tp, poll_wakeup);
	ATF_TP_ADD_TC(tp, poll_nval);
	ATF_TP_ADD_TC(tp, poll_limits);
	ATF_TP_ADD_TC(tp, poll_eintr);
	ATF_TP_ADD_TC(tp, poll_many_pipes);
	ATF_TP_ADD_TC(tp, ppoll_rules);
	ATF_TP_ADD_TC(tp, ppoll_pselect_sigmask);
	ATF_TP_ADD_TC(tp, select_basic);
	ATF_TP_ADD_TC(tp, select_ebadf);
	ATF_TP_ADD_TC(tp, select_timeout_update);
	ATF_TP_ADD_TC(tp, select_einval);
	ATF_TP_ADD_TC(tp, select_nfds_clamp);
	ATF_TP_ADD_TC(tp, select_eintr);
	ATF_TP_ADD_TC(tp, select_closed_while_waiting);
	ATF_TP_ADD_TC(tp, pselect_rules);
	ATF_TP_ADD_TC(tp, poll_fifo_and_o_path);
	return 0;
}
