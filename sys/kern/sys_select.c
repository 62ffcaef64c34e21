/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Waiting for descriptors: the selinfo machinery of sys/select.h and the
 * poll, ppoll, select and pselect system calls.
 *
 * Theory of operation.  A poll call owns a struct selstate, hung on
 * l_selstate between selscan_begin and selscan_end.  Each selrecord adds
 * a struct selrecord to the object's selinfo list.  The records live in
 * the selstate (an inline array, then chunks), so the poll call can
 * unlink all of them at the end without the objects' help.  selnotify
 * sets ss_notified in each recorded state and broadcasts its condition
 * variable, and selwait sleeps on that condition variable unless
 * ss_notified is already set.  Everything is under select_lock, so a
 * notification between selscan_begin and selwait is never lost.
 * seldestroy detaches the records of a dying object (sr_si = NULL) and
 * wakes their pollers.
 *
 * The calls scan every descriptor and sleep only when nothing was
 * ready.  After a wakeup they scan again from scratch.  A timeout ends
 * the sleep with one last scan, as on Linux.  A signal posted to the
 * process ends the call with EINTR when nothing is ready, even with a
 * zero timeout (Linux does the same).
 *
 * ppoll and pselect take a signal mask.  While the call runs, the
 * signals in it are blocked, so they neither end the wait nor are
 * consumed, and they stay pending for a later call.  The mask is the
 * first 64 bits of the caller's sigset (a glibc sigset_t works).  SIGKILL
 * and SIGSTOP cannot be blocked.  Outside these calls nothing is blocked:
 * the kernel keeps no signal mask of its own.  Signals matter only under
 * the RECORD signal model; under RAISE the host delivers them.
 *
 * Linux's rules (checked on Linux 6.18): poll skips negative descriptors
 * (revents 0), reports POLLNVAL for one that is not open or is O_PATH,
 * always adds POLLERR and POLLHUP to the requested events, and fails
 * with EINVAL when nfds exceeds RLIMIT_NOFILE.  select fails with EINVAL
 * for a negative nfds or timeout, clamps nfds to the size of the
 * descriptor table, fails with EBADF when a set names a descriptor that
 * is not open (on the first scan), counts an O_PATH descriptor as ready
 * in every set that names it, leaves the caller's sets alone on an error
 * and stores the time left in its timeout.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/condvar.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/poll.h>
#include <sys/proc.h>
#include <sys/queue.h>
#include <sys/select.h>
#include <sys/signal.h>
#include <sys/syscallargs.h>
#include <sys/time.h>
#include <sys/vnode.h>

struct selstate;

struct selrecord {
	LIST_ENTRY(selrecord) sr_link;	/* select_lock: on sr_si's list */
	struct selinfo	*sr_si;		/* select_lock: NULL when detached */
	struct selstate	*sr_state;	/* fixed: the poll call */
};

#define SELSTATE_INLINE	32		/* records without an allocation */
#define SELCHUNK_SIZE	64		/* records per further chunk */

struct selchunk {
	struct selchunk	*sc_next;
	struct selrecord sc_records[SELCHUNK_SIZE];
};

/* One poll call's state.  (o) only the polling lwp touches it. */
struct selstate {
	kcondvar_t	 ss_cv;		/* select_lock: notifications */
	bool		 ss_notified;	/* select_lock */
	u_int		 ss_nrecords;	/* (o) records handed out */
	struct selchunk	*ss_chunks;	/* (o) newest first */
	struct selrecord ss_inline[SELSTATE_INLINE];
};

static kmutex_t select_lock;

/* The events a descriptor without fo_poll has, like Linux's default. */
#define POLL_DEFAULT	(POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)

/* The events that put a descriptor in select's read, write, except sets. */
#define SELECT_IN	(POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR | \
			    POLLNVAL)
#define SELECT_OUT	(POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR | POLLNVAL)
#define SELECT_EX	(POLLPRI | POLLNVAL)

/* Events that need a readable or a writable descriptor (FIFOs). */
#define POLL_READ_SIDE	(POLLIN | POLLRDNORM | POLLRDBAND | POLLPRI)
#define POLL_WRITE_SIDE	(POLLOUT | POLLWRNORM | POLLWRBAND)

/* ------------------------------------------------------------------ */
/* selinfo */

void
select_sys_init(void)
{

	mutex_init(&select_lock, MUTEX_DEFAULT, IPL_NONE);
}

void
selinit(struct selinfo *si)
{

	LIST_INIT(&si->si_records);
}

/* Wake the poll call of ss.  select_lock is held. */
static void
selstate_wake(struct selstate *ss)
{

	KASSERT(mutex_owned(&select_lock));
	if (!ss->ss_notified) {
		ss->ss_notified = true;
		cv_broadcast(&ss->ss_cv);
	}
}

void
seldestroy(struct selinfo *si)
{
	struct selrecord *sr;

	if (atomic_load_relaxed(&si->si_records.lh_first) == NULL)
		return;
	mutex_enter(&select_lock);
	while ((sr = LIST_FIRST(&si->si_records)) != NULL) {
		LIST_REMOVE(sr, sr_link);
		sr->sr_si = NULL;
		selstate_wake(sr->sr_state);
	}
	mutex_exit(&select_lock);
}

/* The next unused record of ss. */
static struct selrecord *
selstate_record(struct selstate *ss)
{
	struct selchunk *sc;
	u_int i = ss->ss_nrecords;

	if (i < SELSTATE_INLINE) {
		ss->ss_nrecords++;
		return &ss->ss_inline[i];
	}
	i = (i - SELSTATE_INLINE) % SELCHUNK_SIZE;
	if (i == 0) {
		sc = kmem_zalloc(sizeof(*sc), KM_SLEEP);
		sc->sc_next = ss->ss_chunks;
		ss->ss_chunks = sc;
	}
	ss->ss_nrecords++;
	return &ss->ss_chunks->sc_records[i];
}

void
selrecord(struct lwp *l, struct selinfo *si)
{
	struct selstate *ss = l->l_selstate;
	struct selrecord *sr;

	if (ss == NULL)
		return;
	sr = selstate_record(ss);
	sr->sr_state = ss;
	mutex_enter(&select_lock);
	sr->sr_si = si;
	LIST_INSERT_HEAD(&si->si_records, sr, sr_link);
	mutex_exit(&select_lock);
}

/*
 * The unlocked look at the list is safe because of the rule in
 * sys/select.h: a record is only added under the object's lock, which
 * the notifier holds or released after changing the state.
 */
void
selnotify(struct selinfo *si, int events)
{
	struct selrecord *sr;

	if (atomic_load_relaxed(&si->si_records.lh_first) == NULL)
		return;
	mutex_enter(&select_lock);
	LIST_FOREACH(sr, &si->si_records, sr_link)
		selstate_wake(sr->sr_state);
	mutex_exit(&select_lock);
}

void
selscan_begin(struct lwp *l)
{
	struct selstate *ss;

	KASSERT(l->l_selstate == NULL);
	ss = kmem_alloc(sizeof(*ss), KM_SLEEP);
	cv_init(&ss->ss_cv, "select");
	ss->ss_notified = false;
	ss->ss_nrecords = 0;
	ss->ss_chunks = NULL;
	l->l_selstate = ss;
}

int
selwait(struct lwp *l, uint64_t deadline)
{
	struct selstate *ss = l->l_selstate;
	int error = 0;

	KASSERT(ss != NULL);
	mutex_enter(&select_lock);
	while (!ss->ss_notified) {
		if (deadline == UINT64_MAX) {
			error = EWOULDBLOCK;
			break;
		}
		if (deadline == 0)
			error = cv_wait_sig(&ss->ss_cv, &select_lock);
		else
			error = cv_timedwait_ns(&ss->ss_cv, &select_lock,
			    deadline, true);
		if (error)
			break;
	}
	mutex_exit(&select_lock);
	return error;
}

/* Take sr off its object's list, unless the object went first. */
static void
selrecord_unlink(struct selrecord *sr)
{

	KASSERT(mutex_owned(&select_lock));
	if (sr->sr_si != NULL) {
		LIST_REMOVE(sr, sr_link);
		sr->sr_si = NULL;
	}
}

void
selscan_end(struct lwp *l)
{
	struct selstate *ss = l->l_selstate;
	struct selchunk *sc;
	u_int i, n;

	KASSERT(ss != NULL);
	mutex_enter(&select_lock);
	n = MIN(ss->ss_nrecords, SELSTATE_INLINE);
	for (i = 0; i < n; i++)
		selrecord_unlink(&ss->ss_inline[i]);
	/* Chunks are zeroed: records never handed out have no state. */
	for (sc = ss->ss_chunks; sc != NULL; sc = sc->sc_next)
		for (i = 0; i < SELCHUNK_SIZE; i++)
			if (sc->sc_records[i].sr_state != NULL)
				selrecord_unlink(&sc->sc_records[i]);
	mutex_exit(&select_lock);

	while ((sc = ss->ss_chunks) != NULL) {
		ss->ss_chunks = sc->sc_next;
		kmem_free(sc, sizeof(*sc));
	}
	cv_destroy(&ss->ss_cv);
	kmem_free(ss, sizeof(*ss));
	l->l_selstate = NULL;
}

/* ------------------------------------------------------------------ */
/* Asking one descriptor */

/*
 * The ready events of f among events.  A FIFO's vnode operation reports
 * both sides, so the side the descriptor cannot use is not asked.
 */
static int
file_poll(struct file *f, int events, struct lwp *l)
{
	struct vnode *vp;

	if (f->f_type == DTYPE_VNODE) {
		vp = f->f_data;
		if (vp->v_type == VFIFO) {
			if ((f->f_flag & FREAD) == 0)
				events &= ~POLL_READ_SIDE;
			if ((f->f_flag & FWRITE) == 0)
				events &= ~POLL_WRITE_SIDE;
		}
	}
	if (f->f_ops->fo_poll == NULL)
		return POLL_DEFAULT & events;
	return f->f_ops->fo_poll(f, events, l) & events;
}

/* A timeout in ns from now as a selwait deadline (0: none). */
static uint64_t
deadline_from_ns(uint64_t ns)
{
	uint64_t now;

	if (ns == 0)
		return UINT64_MAX;
	now = mono_ns();
	if (ns >= UINT64_MAX - 1 - now)
		return 0;	/* centuries away: no deadline */
	return now + ns;
}

/* A relative timespec as a deadline; EINVAL when it is not valid. */
static int
deadline_from_timespec(const struct timespec *ts, uint64_t *deadlinep)
{
	uint64_t ns;

	if (ts->tv_sec < 0 || !timespec_valid(ts))
		return EINVAL;
	if ((uint64_t)ts->tv_sec > (UINT64_MAX / 2) / NSEC_PER_SEC)
		ns = UINT64_MAX / 2;
	else
		ns = (uint64_t)ts->tv_sec * NSEC_PER_SEC + ts->tv_nsec;
	*deadlinep = deadline_from_ns(ns);
	return 0;
}

/*
 * Wait after a scan that found nothing.  Returns 0 to scan again,
 * EWOULDBLOCK when the deadline passed (one more scan follows, without
 * sleeping), or EINTR.
 */
static int
poll_sleep(struct lwp *l, uint64_t *deadlinep)
{
	int error;

	if (*deadlinep == UINT64_MAX)
		return lwp_pending_signal(l) ? EINTR : EWOULDBLOCK;
	error = selwait(l, *deadlinep);
	if (error == EWOULDBLOCK) {
		*deadlinep = UINT64_MAX;
		return 0;
	}
	return error;
}

/*
 * The files one scan asked, held until the sleep after it is over.
 * Linux keeps every file a poll call waits on open, so a close by another
 * thread meanwhile does not close the file (a pipe keeps its reader); the
 * next scan then finds the descriptor gone.
 */
#define POLLHOLD_ONSTACK	32

struct pollhold {
	struct file	**ph_files;
	u_int		 ph_count;
	u_int		 ph_max;
	struct file	*ph_stack[POLLHOLD_ONSTACK];
};

static void
pollhold_init(struct pollhold *ph, u_int max)
{

	ph->ph_count = 0;
	ph->ph_max = max;
	ph->ph_files = ph->ph_stack;
	if (max > POLLHOLD_ONSTACK)
		ph->ph_files = kmem_alloc(max * sizeof(struct file *),
		    KM_SLEEP);
}

/* Keep f, whose reference the caller took with fd_getfile. */
static void
pollhold_add(struct pollhold *ph, struct file *f)
{

	KASSERT(ph->ph_count < ph->ph_max);
	ph->ph_files[ph->ph_count++] = f;
}

static void
pollhold_release(struct pollhold *ph)
{

	while (ph->ph_count > 0)
		fd_putfile(ph->ph_files[--ph->ph_count]);
}

static void
pollhold_fini(struct pollhold *ph)
{

	pollhold_release(ph);
	if (ph->ph_files != ph->ph_stack)
		kmem_free(ph->ph_files, ph->ph_max * sizeof(struct file *));
}

/* ------------------------------------------------------------------ */
/* poll and ppoll */

/* Ask every entry; returns the number with events. */
static int
pollscan(struct lwp *l, struct pollfd *fds, nfds_t nfds, struct pollhold *ph)
{
	struct file *f;
	nfds_t i;
	int n = 0;

	for (i = 0; i < nfds; i++) {
		fds[i].revents = 0;
		if (fds[i].fd < 0)
			continue;
		f = fd_getfile(fds[i].fd);
		if (f == NULL || (f->f_flag & O_PATH) != 0)
			fds[i].revents = POLLNVAL;
		else
			fds[i].revents = file_poll(f,
			    (u_short)fds[i].events | POLLERR | POLLHUP, l);
		if (f != NULL)
			pollhold_add(ph, f);
		if (fds[i].revents != 0)
			n++;
	}
	return n;
}

/* poll and ppoll once the timeout is a deadline. */
static int
pollcommon(struct lwp *l, struct pollfd *ufds, nfds_t nfds, uint64_t deadline,
    register_t *retval)
{
	struct pollfd stackfds[32], *fds = stackfds;
	struct pollhold ph;
	size_t size;
	int cerror, error, n;

	if (nfds > (nfds_t)l->l_proc->p_fd->fd_maxfiles)
		return EINVAL;
	size = nfds * sizeof(*fds);
	if (nfds > __arraycount(stackfds))
		fds = kmem_alloc(size, KM_SLEEP);
	error = copyin(ufds, fds, size);
	if (error)
		goto out;

	pollhold_init(&ph, nfds);
	for (;;) {
		selscan_begin(l);
		n = pollscan(l, fds, nfds, &ph);
		if (n == 0)
			error = poll_sleep(l, &deadline);
		selscan_end(l);
		pollhold_release(&ph);
		if (n > 0 || error != 0)
			break;
	}
	pollhold_fini(&ph);
	if (error == EWOULDBLOCK)
		error = 0;	/* timed out: n is 0 */

	/*
	 * Linux stores revents even when the call fails with EINTR.  The
	 * whole array goes back: fd and events are the caller's own values.
	 */
	if (error == 0 || error == EINTR) {
		cerror = copyout(fds, ufds, size);
		if (cerror)
			error = cerror;
	}
	if (error == 0)
		retval[0] = n;
 out:
	if (fds != stackfds)
		kmem_free(fds, size);
	return error;
}

int
sys_poll(struct lwp *l, const struct sys_poll_args *uap, register_t *retval)
{
	int timeout = SCARG(uap, timeout);
	uint64_t deadline;

	if (timeout < 0)
		deadline = 0;
	else
		deadline = deadline_from_ns((uint64_t)timeout * 1000000);
	return pollcommon(l, SCARG(uap, fds), SCARG(uap, nfds), deadline,
	    retval);
}

/*
 * Block the signals of the caller's mask umask (NULL: none) for the rest
 * of the call; *savep keeps the mask to restore with sigmask_restore.
 */
static int
sigmask_install(struct lwp *l, const void *umask, uint64_t *savep)
{
	uint64_t mask;
	int error;

	*savep = l->l_sigmask;
	if (umask == NULL)
		return 0;
	error = copyin(umask, &mask, sizeof(mask));
	if (error)
		return error;
	l->l_sigmask = mask & ~(sigmask(SIGKILL) | sigmask(SIGSTOP));
	return 0;
}

static void
sigmask_restore(struct lwp *l, uint64_t save)
{

	l->l_sigmask = save;
}

int
sys_ppoll(struct lwp *l, const struct sys_ppoll_args *uap, register_t *retval)
{
	struct timespec ts;
	uint64_t deadline = 0, savemask;
	int error;

	if (SCARG(uap, tmo) != NULL) {
		error = copyin(SCARG(uap, tmo), &ts, sizeof(ts));
		if (error)
			return error;
		error = deadline_from_timespec(&ts, &deadline);
		if (error)
			return error;
	}
	error = sigmask_install(l, SCARG(uap, sigmask), &savemask);
	if (error)
		return error;
	error = pollcommon(l, SCARG(uap, fds), SCARG(uap, nfds), deadline,
	    retval);
	sigmask_restore(l, savemask);
	return error;
}

/* ------------------------------------------------------------------ */
/* select and pselect */

/* The three requested sets of a select call and its three result sets. */
struct selsets {
	fd_mask	*ss_in[3];	/* requested: read, write, except */
	fd_mask	*ss_out[3];	/* results */
};

/*
 * Ask every descriptor named in the sets.  The first scan (first) fails
 * with EBADF for a descriptor that is not open.  Later scans report it
 * ready instead, because it was closed meanwhile.
 */
static int
selscan(struct lwp *l, const struct selsets *sets, int nfds, bool first,
    struct pollhold *ph, int *np)
{
	static const int setevents[3] = { SELECT_IN, SELECT_OUT, SELECT_EX };
	struct file *f;
	fd_mask bit, want[3];
	int fd, i, events, revents, n = 0;

	for (i = 0; i < 3; i++)
		if (sets->ss_out[i] != NULL)
			memset(sets->ss_out[i], 0, FDSET_BYTES(nfds));

	for (fd = 0; fd < nfds; fd++) {
		bit = FDSET_BIT(fd);
		events = 0;
		for (i = 0; i < 3; i++) {
			want[i] = sets->ss_in[i] != NULL ?
			    sets->ss_in[i][FDSET_WORD(fd)] & bit : 0;
			if (want[i] != 0)
				events |= setevents[i];
		}
		if (events == 0)
			continue;

		f = fd_getfile(fd);
		if (f == NULL && first)
			return EBADF;
		if (f == NULL || (f->f_flag & O_PATH) != 0)
			revents = POLLNVAL;
		else
			revents = file_poll(f, (events | SELECT_EX) &
			    ~POLLNVAL, l);
		if (f != NULL)
			pollhold_add(ph, f);

		for (i = 0; i < 3; i++) {
			if (want[i] != 0 && (revents & setevents[i]) != 0) {
				sets->ss_out[i][FDSET_WORD(fd)] |= bit;
				n++;
			}
		}
	}
	*np = n;
	return 0;
}

/* select and pselect once the timeout is a deadline. */
static int
selcommon(struct lwp *l, int nfds, fd_set *ureadfds, fd_set *uwritefds,
    fd_set *uexceptfds, uint64_t *deadlinep, register_t *retval)
{
	struct filedesc *fdp = l->l_proc->p_fd;
	fd_set *usets[3] = { ureadfds, uwritefds, uexceptfds };
	fd_mask stackbits[6 * FDSET_NWORDS(FD_SETSIZE)], *bits = stackbits;
	struct selsets sets;
	struct pollhold ph;
	size_t setbytes, allocbytes = 0;
	bool first = true;
	int error = 0, i, n = 0;

	if (nfds < 0)
		return EINVAL;
	mutex_enter(&fdp->fd_lock);
	if (nfds > fdp->fd_nfiles)
		nfds = fdp->fd_nfiles;
	mutex_exit(&fdp->fd_lock);

	setbytes = FDSET_BYTES(nfds);
	if (6 * setbytes > sizeof(stackbits)) {
		allocbytes = 6 * setbytes;
		bits = kmem_alloc(allocbytes, KM_SLEEP);
	}
	for (i = 0; i < 3; i++) {
		sets.ss_in[i] = NULL;
		sets.ss_out[i] = NULL;
		if (usets[i] == NULL)
			continue;
		sets.ss_in[i] = bits + (2 * i) * FDSET_NWORDS(nfds);
		sets.ss_out[i] = bits + (2 * i + 1) * FDSET_NWORDS(nfds);
		error = copyin(usets[i], sets.ss_in[i], setbytes);
		if (error)
			goto out;
		/* Bits at and above nfds in the last word do not count. */
		if (nfds % NFDBITS != 0)
			sets.ss_in[i][nfds / NFDBITS] &=
			    FDSET_BIT(nfds) - 1;
	}

	pollhold_init(&ph, nfds);
	for (;;) {
		selscan_begin(l);
		error = selscan(l, &sets, nfds, first, &ph, &n);
		first = false;
		if (error == 0 && n == 0)
			error = poll_sleep(l, deadlinep);
		selscan_end(l);
		pollhold_release(&ph);
		if (n > 0 || error != 0)
			break;
	}
	pollhold_fini(&ph);
	if (error == EWOULDBLOCK)
		error = 0;	/* timed out: n is 0 */
	if (error)
		goto out;

	for (i = 0; i < 3; i++) {
		if (usets[i] == NULL)
			continue;
		error = copyout(sets.ss_out[i], usets[i], setbytes);
		if (error)
			goto out;
	}
	retval[0] = n;
 out:
	if (allocbytes != 0)
		kmem_free(bits, allocbytes);
	return error;
}

int
sys_select(struct lwp *l, const struct sys_select_args *uap,
    register_t *retval)
{
	struct timeval tv;
	struct timespec ts;
	uint64_t deadline = 0, now, left;
	int error;

	if (SCARG(uap, nfds) < 0)
		return EINVAL;
	if (SCARG(uap, timeout) != NULL) {
		error = copyin(SCARG(uap, timeout), &tv, sizeof(tv));
		if (error)
			return error;
		if (tv.tv_sec < 0 || tv.tv_usec < 0)
			return EINVAL;
		/* Linux carries whole seconds out of tv_usec. */
		if (tv.tv_sec > INT64_MAX - tv.tv_usec / 1000000)
			ts.tv_sec = INT64_MAX;
		else
			ts.tv_sec = tv.tv_sec + tv.tv_usec / 1000000;
		ts.tv_nsec = (tv.tv_usec % 1000000) * 1000;
		error = deadline_from_timespec(&ts, &deadline);
		if (error)
			return error;
	}
	error = selcommon(l, SCARG(uap, nfds), SCARG(uap, readfds),
	    SCARG(uap, writefds), SCARG(uap, exceptfds), &deadline, retval);

	/*
	 * Linux stores the time left, whatever the result, unless the
	 * timeout was zero; a failure to store it is ignored.  A timeout
	 * too far away to have a deadline is left as it was.
	 */
	if (SCARG(uap, timeout) == NULL || (tv.tv_sec == 0 && tv.tv_usec == 0) ||
	    deadline == 0)
		return error;
	now = mono_ns();
	left = deadline != UINT64_MAX && deadline > now ? deadline - now : 0;
	tv.tv_sec = left / NSEC_PER_SEC;
	tv.tv_usec = (left % NSEC_PER_SEC) / 1000;
	(void)copyout(&tv, SCARG(uap, timeout), sizeof(tv));
	return error;
}

int
sys_pselect(struct lwp *l, const struct sys_pselect_args *uap,
    register_t *retval)
{
	struct timespec ts;
	uint64_t deadline = 0, savemask;
	int error;

	if (SCARG(uap, nfds) < 0)
		return EINVAL;
	if (SCARG(uap, timeout) != NULL) {
		error = copyin(SCARG(uap, timeout), &ts, sizeof(ts));
		if (error)
			return error;
		error = deadline_from_timespec(&ts, &deadline);
		if (error)
			return error;
	}
	error = sigmask_install(l, SCARG(uap, sigmask), &savemask);
	if (error)
		return error;
	error = selcommon(l, SCARG(uap, nfds), SCARG(uap, readfds),
	    SCARG(uap, writefds), SCARG(uap, exceptfds), &deadline, retval);
	sigmask_restore(l, savemask);
	return error;
}
