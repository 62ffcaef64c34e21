/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Advisory file locks: the lock lists of files, conflicts, waiting and
 * deadlock detection.  sys/lockf.h lists the three kinds of lock and
 * their owners.  vfs_vnops.c (vnodes) and sys_pipe.c (pipes) turn
 * fcntl(2) and flock(2) requests into struct lockf_request and call in
 * here with the file's list head, which is a vnode's v_lockf or a pipe's
 * pipe_lockf.
 *
 * Each list holds the granted locks of one file sorted by start offset.
 * The locks of one owner and kind never overlap.  Setting a lock first
 * cuts the new range out of the owner's existing locks of that kind,
 * splitting one that covers it on both sides.  Then it inserts the new
 * range, merged with the owner's locks of the same type that overlap or
 * touch it.  Unlocking is the same cut without the insert.  So a lock
 * of one owner can be upgraded, downgraded or split in place, and
 * F_GETLK reports the ranges as Linux does.
 *
 * A request that conflicts with a lock of another owner either fails
 * (EAGAIN) or sleeps on the kernel-wide condition variable lg_cv.  Every
 * change to any lock list broadcasts lg_cv, and each sleeper checks its
 * request again.  That
 * wakes more sleepers than necessary, but lock waits are rare and a
 * missed wakeup is impossible.
 *
 * Deadlock detection follows Linux: only POSIX waits take part.  Before
 * a POSIX request of owner P (a process) sleeps, the
 * owners of the locks that block it are examined.  If one of them is
 * itself waiting (a POSIX wait) for a lock held by P, directly or through
 * a chain of waiting owners, the request fails with EDEADLK instead of
 * sleeping.  Chains longer than LF_MAXCHAIN waits are not followed, so a
 * very long cycle can go unnoticed.
 *
 * Locking: lg_lock protects every file's lock list, the waiter list
 * and the lock records.  It is a leaf lock: no other lock is taken while
 * it is held, and a sleeping request releases it.
 *
 * NOTE: vnode.h puts v_lockf under v_interlock; this file uses the one
 * kernel-wide lg_lock for it instead, because deadlock detection reads
 * the lock lists of several vnodes at once.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/condvar.h>
#include <sys/fcntl.h>
#include <sys/kmem.h>
#include <sys/lockf.h>
#include <sys/mutex.h>
#include <sys/queue.h>

/* A granted lock, on its file's lock list. */
struct lockf {
	struct lockf	*lf_next;	/* next by lf_start */
	int		 lf_kind;	/* LF_POSIX, LF_OFD, LF_FLOCK */
	short		 lf_type;	/* F_RDLCK or F_WRLCK */
	off_t		 lf_start;
	off_t		 lf_end;	/* included; LF_OFF_MAX: to the end */
	void		*lf_owner;	/* struct proc or struct file */
	pid_t		 lf_pid;	/* POSIX: the owner's pid */
};

/* A request that sleeps, for deadlock detection. */
struct lockf_waiter {
	LIST_ENTRY(lockf_waiter) lw_entry;
	struct lockf	**lw_head;
	const struct lockf_request *lw_request;
};

/* Maximum length of a chain of waits that deadlock detection follows. */
#define LF_MAXCHAIN	32

/*
 * The lock, condition variable and waiter list, made on first use so
 * that locking needs no boot hook.  They live as long as the kernel.
 */
struct lockf_global {
	kmutex_t	 lg_lock;
	kcondvar_t	 lg_cv;		/* lg_lock: a lock list changed */
	LIST_HEAD(, lockf_waiter) lg_waiters;	/* lg_lock */
};

static struct lockf_global *lockf_global;

static struct lockf_global *
lf_global(void)
{
	struct lockf_global *lg, *new;

	lg = atomic_load_acquire(&lockf_global);
	if (__predict_true(lg != NULL))
		return lg;

	new = kmem_zalloc(sizeof(*new), KM_SLEEP);
	mutex_init(&new->lg_lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&new->lg_cv, "lockf");
	LIST_INIT(&new->lg_waiters);
	lg = atomic_cas_ptr(&lockf_global, NULL, new);
	if (lg == NULL)
		return new;

	/* Another thread made them first. */
	cv_destroy(&new->lg_cv);
	mutex_destroy(&new->lg_lock);
	kmem_free(new, sizeof(*new));
	return lg;
}

int
lf_range(off_t base, off_t start, off_t len, off_t *startp, off_t *endp)
{
	off_t s;

	/* The start: base + start, neither overflowing nor negative. */
	if (start > 0 && base > LF_OFF_MAX - start)
		return EOVERFLOW;
	s = base + start;
	if (s < 0)
		return EINVAL;

	/*
	 * A positive length counts forward from s, a negative one backward
	 * from s - 1 (POSIX), and 0 means to the end of the file, however
	 * far it grows.
	 */
	if (len > 0) {
		if (len - 1 > LF_OFF_MAX - s)
			return EOVERFLOW;
		*startp = s;
		*endp = s + (len - 1);
	} else if (len < 0) {
		if (s + len < 0)
			return EINVAL;
		*startp = s + len;
		*endp = s - 1;
	} else {
		*startp = s;
		*endp = LF_OFF_MAX;
	}
	return 0;
}

static bool
lf_is_record(int kind)
{

	return kind == LF_POSIX || kind == LF_OFD;
}

/* True when lf belongs to the request's owner and is of its kind. */
static bool
lf_same_owner(const struct lockf *lf, const struct lockf_request *req)
{

	return lf->lf_kind == req->lr_kind && lf->lf_owner == req->lr_owner;
}

static bool
lf_overlaps(const struct lockf *lf, off_t start, off_t end)
{

	return lf->lf_start <= end && start <= lf->lf_end;
}

/* True when lf overlaps [start, end] or touches it at either end. */
static bool
lf_touches(const struct lockf *lf, off_t start, off_t end)
{

	if (end != LF_OFF_MAX && lf->lf_start > end + 1)
		return false;
	if (start != 0 && lf->lf_end < start - 1)
		return false;
	return true;
}

/*
 * True when the granted lock lf keeps req from being granted: another
 * owner (or another kind of record lock), the same class of lock
 * (record or flock), overlapping ranges, and a write lock on one side.
 */
static bool
lf_conflicts(const struct lockf *lf, const struct lockf_request *req)
{

	if (lf_same_owner(lf, req))
		return false;
	if (lf_is_record(lf->lf_kind) != lf_is_record(req->lr_kind))
		return false;
	if (!lf_overlaps(lf, req->lr_start, req->lr_end))
		return false;
	return lf->lf_type == F_WRLCK || req->lr_type == F_WRLCK;
}

/* The first lock on the list head that conflicts with req, or NULL. */
static struct lockf *
lf_find_conflict(struct lockf **head, const struct lockf_request *req)
{
	struct lockf *lf;

	for (lf = *head; lf != NULL; lf = lf->lf_next) {
		if (lf_conflicts(lf, req))
			return lf;
	}
	return NULL;
}

/* Link lf into the list head at its place by lf_start. */
static void
lf_insert(struct lockf **head, struct lockf *lf)
{
	struct lockf **prevp;

	prevp = head;
	while (*prevp != NULL && (*prevp)->lf_start <= lf->lf_start)
		prevp = &(*prevp)->lf_next;
	lf->lf_next = *prevp;
	*prevp = lf;
}

/*
 * Deadlock detection: true when a POSIX lock of owner blocks req on head,
 * or when the owner of a POSIX lock that blocks req waits itself, for a
 * POSIX lock, and the same holds for that wait.  depth counts the waits
 * followed so far.
 */
static bool
lf_leads_to(struct lockf_global *lg, struct lockf **head,
    const struct lockf_request *req, void *owner, int depth)
{
	struct lockf_waiter *w;
	struct lockf *lf;

	KASSERT(mutex_owned(&lg->lg_lock));
	if (depth > LF_MAXCHAIN)
		return false;

	for (lf = *head; lf != NULL; lf = lf->lf_next) {
		if (!lf_conflicts(lf, req) || lf->lf_kind != LF_POSIX)
			continue;
		if (lf->lf_owner == owner)
			return true;

		/* Does the blocking process wait itself? */
		LIST_FOREACH(w, &lg->lg_waiters, lw_entry) {
			if (w->lw_request->lr_kind != LF_POSIX ||
			    w->lw_request->lr_owner != lf->lf_owner)
				continue;
			if (lf_leads_to(lg, w->lw_head, w->lw_request, owner,
			    depth + 1))
				return true;
		}
	}
	return false;
}

/*
 * Give req's range of the owner's locks req's type.  The range is cut out
 * of the owner's locks, splitting one that covers it on both sides.
 * Unless req unlocks, a lock for the range is then inserted, merged with
 * the owner's locks of that type that overlap or touch it.  spare1 and
 * spare2 are free records, which the function uses or leaves in place.
 */
static void
lf_apply(struct lockf **head, const struct lockf_request *req,
    struct lockf **spare1, struct lockf **spare2)
{
	struct lockf *lf, **prevp, *piece, *moved;
	off_t start, end;

	start = req->lr_start;
	end = req->lr_end;

	/* Widen the new range over the owner's touching locks of its type. */
	if (req->lr_type != F_UNLCK) {
		for (lf = *head; lf != NULL; lf = lf->lf_next) {
			if (!lf_same_owner(lf, req) ||
			    lf->lf_type != req->lr_type ||
			    !lf_touches(lf, start, end))
				continue;
			start = MIN(start, lf->lf_start);
			end = MAX(end, lf->lf_end);
		}
	}

	/*
	 * Cut [start, end] out of the owner's locks.  A lock whose start
	 * moves is unlinked and inserted again to keep the list sorted.
	 */
	moved = NULL;
	prevp = head;
	while ((lf = *prevp) != NULL) {
		if (!lf_same_owner(lf, req) ||
		    !lf_overlaps(lf, start, end)) {
			prevp = &lf->lf_next;
			continue;
		}
		if (lf->lf_start < start && lf->lf_end > end) {
			/* Covers the range on both sides: split it. */
			piece = *spare2;
			*spare2 = NULL;
			KASSERT(piece != NULL);
			*piece = *lf;
			piece->lf_start = end + 1;
			lf->lf_end = start - 1;
			piece->lf_next = moved;
			moved = piece;
			prevp = &lf->lf_next;
		} else if (lf->lf_start < start) {
			lf->lf_end = start - 1;
			prevp = &lf->lf_next;
		} else if (lf->lf_end > end) {
			*prevp = lf->lf_next;
			lf->lf_start = end + 1;
			lf->lf_next = moved;
			moved = lf;
		} else {
			*prevp = lf->lf_next;
			kmem_free(lf, sizeof(*lf));
		}
	}
	while ((lf = moved) != NULL) {
		moved = lf->lf_next;
		lf_insert(head, lf);
	}

	if (req->lr_type == F_UNLCK)
		return;
	lf = *spare1;
	*spare1 = NULL;
	lf->lf_kind = req->lr_kind;
	lf->lf_type = req->lr_type;
	lf->lf_start = start;
	lf->lf_end = end;
	lf->lf_owner = req->lr_owner;
	lf->lf_pid = req->lr_pid;
	lf_insert(head, lf);
}

/*
 * Drop the flock lock of req's owner, if it has one of another type.
 * Returns true when it already holds a lock of req's type.  Linux
 * converts a flock lock the same way: the old lock goes first, so a
 * conversion that then fails or is interrupted leaves no lock at all.
 */
static bool
lf_flock_convert(struct lockf_global *lg, struct lockf **head,
    const struct lockf_request *req)
{
	struct lockf *lf, **prevp;

	for (prevp = head; (lf = *prevp) != NULL;
	    prevp = &lf->lf_next) {
		if (!lf_same_owner(lf, req))
			continue;
		if (lf->lf_type == req->lr_type)
			return true;
		*prevp = lf->lf_next;
		kmem_free(lf, sizeof(*lf));
		cv_broadcast(&lg->lg_cv);
		return false;
	}
	return false;
}

int
lf_setlock(struct lockf **head, const struct lockf_request *req, bool wait)
{
	struct lockf_global *lg = lf_global();
	struct lockf *spare1, *spare2;
	struct lockf_waiter waiter;
	int error;

	KASSERT(req->lr_type == F_RDLCK || req->lr_type == F_WRLCK ||
	    req->lr_type == F_UNLCK);
	KASSERT(req->lr_start >= 0 && req->lr_start <= req->lr_end);

	/* At most two records are needed: the new lock and a split piece. */
	spare1 = kmem_zalloc(sizeof(*spare1), KM_SLEEP);
	spare2 = kmem_zalloc(sizeof(*spare2), KM_SLEEP);

	mutex_enter(&lg->lg_lock);
	if (req->lr_kind == LF_FLOCK && lf_flock_convert(lg, head, req)) {
		error = 0;
		goto out;
	}

	/* Wait until nothing conflicts, unless this is an unlock. */
	waiter.lw_head = head;
	waiter.lw_request = req;
	while (req->lr_type != F_UNLCK &&
	    lf_find_conflict(head, req) != NULL) {
		if (!wait) {
			error = EAGAIN;
			goto out;
		}
		if (req->lr_kind == LF_POSIX &&
		    lf_leads_to(lg, head, req, req->lr_owner, 0)) {
			error = EDEADLK;
			goto out;
		}
		LIST_INSERT_HEAD(&lg->lg_waiters, &waiter, lw_entry);
		error = cv_wait_sig(&lg->lg_cv, &lg->lg_lock);
		LIST_REMOVE(&waiter, lw_entry);
		if (error != 0) {
			error = EINTR;
			goto out;
		}
	}

	lf_apply(head, req, &spare1, &spare2);
	cv_broadcast(&lg->lg_cv);
	error = 0;

out:
	mutex_exit(&lg->lg_lock);
	if (spare1 != NULL)
		kmem_free(spare1, sizeof(*spare1));
	if (spare2 != NULL)
		kmem_free(spare2, sizeof(*spare2));
	return error;
}

void
lf_getlock(struct lockf **head, const struct lockf_request *req,
    struct flock *fl)
{
	struct lockf_global *lg = lf_global();
	struct lockf *lf;

	mutex_enter(&lg->lg_lock);
	lf = lf_find_conflict(head, req);
	if (lf == NULL) {
		fl->l_type = F_UNLCK;
		mutex_exit(&lg->lg_lock);
		return;
	}
	fl->l_type = lf->lf_type;
	fl->l_whence = SEEK_SET;
	fl->l_start = lf->lf_start;
	fl->l_len = lf->lf_end == LF_OFF_MAX ? 0 :
	    lf->lf_end - lf->lf_start + 1;
	fl->l_pid = lf->lf_kind == LF_OFD ? -1 : lf->lf_pid;
	mutex_exit(&lg->lg_lock);
}

void
lf_release(struct lockf **head, int kind, void *owner)
{
	struct lockf_global *lg;
	struct lockf *lf, **prevp;
	bool changed;

	/* Most files never see a lock: skip the global lock for them. */
	if (atomic_load_relaxed(head) == NULL)
		return;

	lg = lf_global();
	changed = false;
	mutex_enter(&lg->lg_lock);
	prevp = head;
	while ((lf = *prevp) != NULL) {
		if (lf->lf_kind != kind || lf->lf_owner != owner) {
			prevp = &lf->lf_next;
			continue;
		}
		*prevp = lf->lf_next;
		kmem_free(lf, sizeof(*lf));
		changed = true;
	}
	if (changed)
		cv_broadcast(&lg->lg_cv);
	mutex_exit(&lg->lg_lock);
}
