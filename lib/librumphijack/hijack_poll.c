/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * librumphijack: poll, ppoll, select and pselect over any mix of host and
 * rump descriptors, with the fortified __poll_chk and __ppoll_chk.
 *
 * A set that names only host descriptors goes to the host's call as it
 * is, so its behaviour is exactly the host's.  A set that names a rump
 * descriptor is split into a host half and a rump half (with the rump
 * kernel's own descriptor numbers), and select and pselect become polls.
 *
 * A split wait.  Each call creates a pipe in each kernel.  A helper thread
 * polls the rump half plus the read end of the rump pipe with no timeout.
 * The calling thread polls the host half plus the read end of the host
 * pipe with the host's ppoll, passing the caller's timeout and signal
 * mask.  So the timeout is kept by the host, and a signal ends the wait
 * with EINTR as it would without the hijack.  Whichever side returns
 * first wakes the other through that side's pipe.  The caller then joins
 * the helper and merges the revents of both halves.  So the helper never
 * outlives the call and makes no further call on the connection.  The helper runs with
 * every signal blocked, so signals go to the caller's thread.
 *
 * A set with only rump descriptors is first polled in the rump kernel with
 * a zero timeout.  Only when nothing is ready and the caller is willing to
 * wait does it take the split wait, with an empty host half.  A rump
 * kernel does not see the host's signals, so a plain wait there would not
 * end with EINTR and would ignore the signal mask of ppoll and pselect.
 *
 * Errors: a side that fails with anything but EINTR makes the call fail
 * with that errno.  EINTR is returned only when neither side found an
 * event, because the other side's events have to be reported.
 */

#include <sys/types.h>
#include <sys/resource.h>
#include <sys/select.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump_syscalls.h>

#include "hijack.h"

/* Entries of a poll set kept on the stack; larger sets are allocated. */
#define POLL_STACKFDS	32

/* Linux's select read, write and except conditions in poll terms. */
#define SELECT_READ	(POLLIN | POLLRDNORM | POLLRDBAND)
#define SELECT_READY_R	(SELECT_READ | POLLHUP | POLLERR)
#define SELECT_WRITE	(POLLOUT | POLLWRNORM | POLLWRBAND)
#define SELECT_READY_W	(SELECT_WRITE | POLLERR)
#define SELECT_EXCEPT	POLLPRI

void	__chk_fail(void) __attribute__((__noreturn__));

int	__poll_chk(struct pollfd *, nfds_t, int, size_t);
int	__ppoll_chk(struct pollfd *, nfds_t, const struct timespec *,
	    const sigset_t *, size_t);

static int (*host_poll)(struct pollfd *, nfds_t, int);
static int (*host_ppoll)(struct pollfd *, nfds_t, const struct timespec *,
    const sigset_t *);
static int (*host_select)(int, fd_set *, fd_set *, fd_set *,
    struct timeval *);
static int (*host_pselect)(int, fd_set *, fd_set *, fd_set *,
    const struct timespec *, const sigset_t *);
static int (*host_pipe2)(int *, int);
static ssize_t (*host_write)(int, const void *, size_t);
static int (*host_close)(int);

static pthread_once_t poll_once = PTHREAD_ONCE_INIT;

static void
poll_resolve(void)
{

	host_poll = hijack_hostsym("poll");
	host_ppoll = hijack_hostsym("ppoll");
	host_select = hijack_hostsym("select");
	host_pselect = hijack_hostsym("pselect");
	host_pipe2 = hijack_hostsym("pipe2");
	host_write = hijack_hostsym("write");
	host_close = hijack_hostsym("close");
}

static void
poll_init(void)
{

	hijack_init();
	pthread_once(&poll_once, poll_resolve);
}

/*
 * One split wait.  The helper thread owns ps_rfds, ps_rnready and
 * ps_rerror until it has been joined; everything else is fixed before it
 * starts.
 */
struct pollsplit {
	struct pollfd	*ps_rfds;	/* rump half, then the rump wake pipe */
	nfds_t		ps_nrfds;	/* entries of ps_rfds, pipe included */
	int		ps_rwake[2];	/* rump pipe; [0] polled by the helper */
	int		ps_hwake[2];	/* host pipe; [0] polled by the caller */
	int		ps_rnready;	/* helper's poll result, or -1 */
	int		ps_rerror;	/* helper's errno when ps_rnready is -1 */
	bool		ps_helperdone;	/* the caller saw the helper's wake-up */
	pthread_t	ps_thread;
};

static void
pollsplit_close(struct pollsplit *ps)
{

	rump_sys_close(ps->ps_rwake[0]);
	rump_sys_close(ps->ps_rwake[1]);
	host_close(ps->ps_hwake[0]);
	host_close(ps->ps_hwake[1]);
}

/* Poll the rump half until it has events or the caller wakes us. */
static void *
pollsplit_helper(void *arg)
{
	struct pollsplit *ps = arg;
	char byte = 0;

	ps->ps_rnready = rump_sys_poll(ps->ps_rfds, ps->ps_nrfds, -1);
	ps->ps_rerror = ps->ps_rnready < 0 ? errno : 0;
	(void)host_write(ps->ps_hwake[1], &byte, 1);
	return NULL;
}

/*
 * Wake the helper unless it has finished already, and join it.  Also the
 * cancellation cleanup of the caller's wait.
 */
static void
pollsplit_finish(void *arg)
{
	struct pollsplit *ps = arg;
	char byte = 0;

	if (!ps->ps_helperdone)
		(void)rump_sys_write(ps->ps_rwake[1], &byte, 1);
	pthread_join(ps->ps_thread, NULL);
	pollsplit_close(ps);
}

/*
 * Take the entries of fds that name one of our pipe ends out of the
 * poll (fd -1).  Returns whether there were any.
 */
static bool
pollsplit_disown(struct pollfd *fds, nfds_t n, const int pipefds[2])
{
	nfds_t i;
	bool found = false;

	for (i = 0; i < n; i++) {
		if (fds[i].fd == pipefds[0] || fds[i].fd == pipefds[1]) {
			fds[i].fd = -1;
			found = true;
		}
	}
	return found;
}

/*
 * Wait on both halves: hfds (nh entries plus one free slot at the end for
 * the host pipe) by the calling thread, rfds (nr entries plus one free
 * slot) by a helper thread.  Returns the host side's poll result, with
 * *rnreadyp and *rerrorp set from the rump side; -1 with errno set when
 * the wait could not be set up.
 */
static int
pollsplit_wait(struct pollfd *hfds, nfds_t nh, struct pollfd *rfds, nfds_t nr,
    const struct timespec *tmo, const sigset_t *mask, int *rnreadyp,
    int *rerrorp, int *herrorp)
{
	static const struct timespec zerots;
	struct pollsplit ps;
	sigset_t all, saved;
	int error, hnready;

	memset(&ps, 0, sizeof(ps));
	if (rump_sys_pipe2(ps.ps_rwake, O_CLOEXEC | O_NONBLOCK) != 0)
		return -1;
	if (host_pipe2(ps.ps_hwake, O_CLOEXEC | O_NONBLOCK) != 0) {
		error = errno;
		goto fail_rpipe;
	}

	/*
	 * A descriptor that the caller closed before the call may now be
	 * one of our pipes.  For the caller it is not open, so its entry
	 * gets POLLNVAL (fd -1 here, turned into POLLNVAL by the merge),
	 * and the call does not wait.
	 */
	if (pollsplit_disown(hfds, nh, ps.ps_hwake) |
	    pollsplit_disown(rfds, nr, ps.ps_rwake)) {
		hnready = host_ppoll(hfds, nh, &zerots, mask);
		*herrorp = hnready < 0 ? errno : 0;
		*rnreadyp = rump_sys_poll(rfds, nr, 0);
		*rerrorp = *rnreadyp < 0 ? errno : 0;
		error = errno;
		pollsplit_close(&ps);
		errno = error;
		return hnready;
	}

	rfds[nr].fd = ps.ps_rwake[0];
	rfds[nr].events = POLLIN;
	rfds[nr].revents = 0;
	ps.ps_rfds = rfds;
	ps.ps_nrfds = nr + 1;
	hfds[nh].fd = ps.ps_hwake[0];
	hfds[nh].events = POLLIN;
	hfds[nh].revents = 0;

	/* The helper inherits a mask that blocks every signal. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &saved);
	error = pthread_create(&ps.ps_thread, NULL, pollsplit_helper, &ps);
	pthread_sigmask(SIG_SETMASK, &saved, NULL);
	if (error != 0) {
		pollsplit_close(&ps);
		errno = error;
		return -1;
	}

	/*
	 * NOTE: a cancelled caller joins the helper and closes the pipes,
	 * but poll_mixed's arrays for sets above POLL_STACKFDS leak.
	 */
	pthread_cleanup_push(pollsplit_finish, &ps);
	hnready = host_ppoll(hfds, nh + 1, tmo, mask);
	*herrorp = hnready < 0 ? errno : 0;
	if (hnready > 0 && (hfds[nh].revents & POLLIN) != 0) {
		ps.ps_helperdone = true;
		hnready--;
	}
	pthread_cleanup_pop(1);

	*rnreadyp = ps.ps_rnready;
	*rerrorp = ps.ps_rerror;
	if (*rnreadyp > 0 && (rfds[nr].revents & POLLIN) != 0)
		(*rnreadyp)--;
	return hnready;

fail_rpipe:
	rump_sys_close(ps.ps_rwake[0]);
	rump_sys_close(ps.ps_rwake[1]);
	errno = error;
	return -1;
}

/*
 * Poll fds, which names at least one rump descriptor.  tmo NULL waits
 * without a limit; mask NULL keeps the caller's signal mask.
 */
static int
poll_mixed(struct pollfd *fds, nfds_t nfds, const struct timespec *tmo,
    const sigset_t *mask)
{
	struct pollfd hstack[POLL_STACKFDS + 1], rstack[POLL_STACKFDS + 1];
	struct pollfd *hfds = hstack, *rfds = rstack;
	int islotstack[POLL_STACKFDS], *islot = islotstack;
	nfds_t i, nh = 0, nr = 0;
	int rfd, hnready, rnready = 0, herror = 0, rerror = 0, nready, error;
	struct rlimit rl;
	bool zero;

	/* Linux's limit on the size of a poll set. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    nfds > rl.rlim_cur) {
		errno = EINVAL;
		return -1;
	}

	/* Each slot: -1 skipped, j >= 0 host entry j, -2 - j rump entry j. */
	if (nfds > POLL_STACKFDS) {
		hfds = calloc(nfds + 1, sizeof(*hfds));
		rfds = calloc(nfds + 1, sizeof(*rfds));
		islot = calloc(nfds, sizeof(*islot));
		if (hfds == NULL || rfds == NULL || islot == NULL) {
			error = ENOMEM;
			nready = -1;
			goto out;
		}
	}
	for (i = 0; i < nfds; i++) {
		fds[i].revents = 0;
		if (fds[i].fd < 0) {
			islot[i] = -1;
		} else if (hijack_fdkind(fds[i].fd, &rfd) == HIJACK_RUMP) {
			rfds[nr].fd = rfd;
			rfds[nr].events = fds[i].events;
			rfds[nr].revents = 0;
			islot[i] = -2 - (int)nr++;
		} else {
			hfds[nh] = fds[i];
			islot[i] = (int)nh++;
		}
	}

	zero = tmo != NULL && tmo->tv_sec == 0 && tmo->tv_nsec == 0;
	if (nh == 0) {
		/* Only rump descriptors: see whether one is ready now. */
		rnready = rump_sys_poll(rfds, nr, 0);
		rerror = rnready < 0 ? errno : 0;
		hnready = 0;
		if (rnready == 0 && !zero)
			hnready = pollsplit_wait(hfds, 0, rfds, nr, tmo, mask,
			    &rnready, &rerror, &herror);
	} else if (nr == 0) {
		hnready = host_ppoll(hfds, nh, tmo, mask);
		herror = hnready < 0 ? errno : 0;
		rnready = 0;
	} else if (zero) {
		/* With a zero timeout each side is polled in turn. */
		hnready = host_ppoll(hfds, nh, tmo, mask);
		herror = hnready < 0 ? errno : 0;
		rnready = rump_sys_poll(rfds, nr, 0);
		rerror = rnready < 0 ? errno : 0;
	} else {
		hnready = pollsplit_wait(hfds, nh, rfds, nr, tmo, mask,
		    &rnready, &rerror, &herror);
	}

	/* A setup failure or a hard error on either side fails the call. */
	if (hnready < 0 && herror == 0)
		herror = errno;
	if ((hnready < 0 && herror != EINTR) ||
	    (rnready < 0 && rerror != EINTR)) {
		error = hnready < 0 && herror != EINTR ? herror : rerror;
		nready = -1;
		goto out;
	}

	nready = 0;
	for (i = 0; i < nfds; i++) {
		struct pollfd *pfd = NULL;

		if (islot[i] >= 0)
			pfd = &hfds[islot[i]];
		else if (islot[i] <= -2)
			pfd = &rfds[-2 - islot[i]];
		if (pfd != NULL)
			fds[i].revents = pfd->fd >= 0 ? pfd->revents : POLLNVAL;
		if (fds[i].revents != 0)
			nready++;
	}
	error = 0;
	if (nready == 0 && (hnready < 0 || rnready < 0)) {
		error = EINTR;
		nready = -1;
	}

out:
	if (hfds != hstack) {
		free(hfds);
		free(rfds);
		free(islot);
	}
	if (nready < 0)
		errno = error;
	return nready;
}

/* Whether fds names a rump descriptor. */
static bool
poll_hasrump(const struct pollfd *fds, nfds_t nfds)
{
	nfds_t i;
	int rfd;

	for (i = 0; i < nfds; i++)
		if (fds[i].fd >= 0 &&
		    hijack_fdkind(fds[i].fd, &rfd) == HIJACK_RUMP)
			return true;
	return false;
}

int
poll(struct pollfd *fds, nfds_t nfds, int timeout)
{
	struct timespec ts, *tmo = NULL;

	poll_init();
	if (!poll_hasrump(fds, nfds))
		return host_poll(fds, nfds, timeout);
	if (timeout >= 0) {
		ts.tv_sec = timeout / 1000;
		ts.tv_nsec = (long)(timeout % 1000) * 1000000;
		tmo = &ts;
	}
	return poll_mixed(fds, nfds, tmo, NULL);
}

int
ppoll(struct pollfd *fds, nfds_t nfds, const struct timespec *tmo,
    const sigset_t *mask)
{

	poll_init();
	if (!poll_hasrump(fds, nfds))
		return host_ppoll(fds, nfds, tmo, mask);
	if (tmo != NULL && (tmo->tv_sec < 0 || tmo->tv_nsec < 0 ||
	    tmo->tv_nsec >= 1000000000)) {
		errno = EINVAL;
		return -1;
	}
	return poll_mixed(fds, nfds, tmo, mask);
}

int
__poll_chk(struct pollfd *fds, nfds_t nfds, int timeout, size_t fdslen)
{

	if (fdslen / sizeof(*fds) < nfds)
		__chk_fail();
	return poll(fds, nfds, timeout);
}

int
__ppoll_chk(struct pollfd *fds, nfds_t nfds, const struct timespec *tmo,
    const sigset_t *mask, size_t fdslen)
{

	if (fdslen / sizeof(*fds) < nfds)
		__chk_fail();
	return ppoll(fds, nfds, tmo, mask);
}

/* ------------------------------------------------------------------ */
/* select and pselect */

/*
 * fd_set bits are read and written directly, because FD_ISSET and FD_SET
 * are fortified against descriptors of FD_SETSIZE and above, which a
 * caller's larger sets may contain.
 */
#define SET_WORDBITS	(8 * (int)sizeof(unsigned long))

static bool
set_isset(const fd_set *set, int fd)
{
	const unsigned long *w = (const unsigned long *)(const void *)set;

	return set != NULL &&
	    (w[fd / SET_WORDBITS] & (1UL << (fd % SET_WORDBITS))) != 0;
}

static void
set_add(fd_set *set, int fd)
{
	unsigned long *w = (unsigned long *)(void *)set;

	w[fd / SET_WORDBITS] |= 1UL << (fd % SET_WORDBITS);
}

static void
set_clear(fd_set *set, int nfds)
{
	unsigned long *w = (unsigned long *)(void *)set;
	int fd;

	if (set == NULL)
		return;
	for (fd = 0; fd < nfds; fd++)
		w[fd / SET_WORDBITS] &= ~(1UL << (fd % SET_WORDBITS));
}

/* Whether the sets name a rump descriptor below nfds. */
static bool
select_hasrump(int nfds, const fd_set *r, const fd_set *w, const fd_set *e)
{
	int fd, rfd;

	for (fd = 0; fd < nfds; fd++) {
		if (!set_isset(r, fd) && !set_isset(w, fd) && !set_isset(e, fd))
			continue;
		if (hijack_fdkind(fd, &rfd) == HIJACK_RUMP)
			return true;
	}
	return false;
}

/*
 * Run select over sets that name a rump descriptor, as a poll.  On
 * success the sets contain the ready descriptors.  On an error they are
 * left unchanged, as Linux does.  A descriptor that is not open fails the call with EBADF.
 */
static int
select_mixed(int nfds, fd_set *r, fd_set *w, fd_set *e,
    const struct timespec *tmo, const sigset_t *mask)
{
	struct pollfd *fds;
	nfds_t n = 0, i;
	int fd, nready, error;

	for (fd = 0; fd < nfds; fd++)
		if (set_isset(r, fd) || set_isset(w, fd) || set_isset(e, fd))
			n++;
	if ((fds = calloc(n, sizeof(*fds))) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	for (fd = 0, i = 0; fd < nfds; fd++) {
		short events = 0;

		if (set_isset(r, fd))
			events |= SELECT_READ;
		if (set_isset(w, fd))
			events |= SELECT_WRITE;
		if (set_isset(e, fd))
			events |= SELECT_EXCEPT;
		if (events == 0)
			continue;
		fds[i].fd = fd;
		fds[i++].events = events;
	}

	nready = poll_mixed(fds, n, tmo, mask);
	if (nready < 0) {
		error = errno;
		goto out;
	}
	for (i = 0; i < n; i++) {
		if ((fds[i].revents & POLLNVAL) != 0) {
			error = EBADF;
			nready = -1;
			goto out;
		}
	}

	/*
	 * Each set keeps the ready descriptors among those it named.  An
	 * entry's events show which sets named it.
	 */
	set_clear(r, nfds);
	set_clear(w, nfds);
	set_clear(e, nfds);
	nready = 0;
	for (i = 0; i < n; i++) {
		short events = fds[i].events, revents = fds[i].revents;

		fd = fds[i].fd;
		if ((events & POLLIN) != 0 && (revents & SELECT_READY_R) != 0) {
			set_add(r, fd);
			nready++;
		}
		if ((events & POLLOUT) != 0 &&
		    (revents & SELECT_READY_W) != 0) {
			set_add(w, fd);
			nready++;
		}
		if ((events & POLLPRI) != 0 && (revents & POLLPRI) != 0) {
			set_add(e, fd);
			nready++;
		}
	}
	error = 0;
out:
	free(fds);
	if (nready < 0)
		errno = error;
	return nready;
}

static uint64_t
clock_nsec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
}

int
select(int nfds, fd_set *r, fd_set *w, fd_set *e, struct timeval *tv)
{
	struct timespec ts, *tmo = NULL;
	uint64_t start = 0, wait, spent;
	int nready, error;

	poll_init();
	if (nfds < 0) {
		errno = EINVAL;
		return -1;
	}
	if (!select_hasrump(nfds, r, w, e))
		return host_select(nfds, r, w, e, tv);

	/* Linux folds whole seconds of tv_usec into tv_sec. */
	if (tv != NULL) {
		if (tv->tv_sec < 0 || tv->tv_usec < 0) {
			errno = EINVAL;
			return -1;
		}
		ts.tv_sec = tv->tv_sec + tv->tv_usec / 1000000;
		ts.tv_nsec = (long)(tv->tv_usec % 1000000) * 1000;
		tmo = &ts;
		start = clock_nsec();
	}
	nready = select_mixed(nfds, r, w, e, tmo, NULL);
	error = errno;

	/* Linux stores the time left in the caller's timeval. */
	if (tv != NULL) {
		wait = (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
		spent = clock_nsec() - start;
		wait = spent < wait ? wait - spent : 0;
		tv->tv_sec = (time_t)(wait / 1000000000);
		tv->tv_usec = (suseconds_t)(wait % 1000000000 / 1000);
	}
	errno = error;
	return nready;
}

int
pselect(int nfds, fd_set *r, fd_set *w, fd_set *e, const struct timespec *tmo,
    const sigset_t *mask)
{

	poll_init();
	if (nfds < 0) {
		errno = EINVAL;
		return -1;
	}
	if (!select_hasrump(nfds, r, w, e))
		return host_pselect(nfds, r, w, e, tmo, mask);
	if (tmo != NULL && (tmo->tv_sec < 0 || tmo->tv_nsec < 0 ||
	    tmo->tv_nsec >= 1000000000)) {
		errno = EINVAL;
		return -1;
	}
	return select_mixed(nfds, r, w, e, tmo, mask);
}
