/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Pipes and FIFOs, on one buffer implementation with Linux's semantics.
 *
 * pipe(2) and pipe2(2) make a struct pipe and two files on it: the read
 * end (FREAD) and the write end (FWRITE).  A FIFO keeps its struct pipe
 * in vp->v_fifoinfo, made at the first open and freed when the vnode is
 * reclaimed; the fifo_* vnode operations count its readers and writers
 * per open.  The buffer itself is described in sys/pipe.h.
 *
 * The rules, as Linux 6.x applies them (checked on the host):
 *
 *  - read returns what is buffered, up to the request, and does not wait
 *    for more once it got some.  With nothing buffered it returns 0 when
 *    no writer is left, EAGAIN when non-blocking, and sleeps otherwise.
 *    In packet mode one read takes one packet and drops what does not
 *    fit in the request.
 *  - write needs a free slot (or room in the newest mergeable slot for
 *    the part beyond whole pages); a write of up to a page fills one
 *    slot, so writes of up to PIPE_BUF bytes are never interleaved.  A
 *    blocking writer waits for room; a non-blocking one writes what fits
 *    and fails with EAGAIN if nothing does.  With no reader left it
 *    posts SIGPIPE and fails with EPIPE (or returns what it wrote).
 *  - both calls return 0 at once for 0 bytes; sleeps end with EINTR when
 *    a signal is posted, returning what was moved so far, if anything.
 *  - poll: read side POLLIN|POLLRDNORM with data, POLLHUP with no
 *    writer; write side POLLOUT|POLLWRNORM with a free slot, POLLERR
 *    with no reader.
 *  - FIFO open: O_RDONLY waits for a writer unless O_NONBLOCK, O_WRONLY
 *    waits for a reader, or fails with ENXIO under O_NONBLOCK, O_RDWR
 *    never waits.  A FIFO that all openers left loses its data and its
 *    capacity goes back to the default.
 *
 * Reference counting: pipe_refs counts the files of a pipe(2) pipe (two
 * at first); for a FIFO it counts the vnode's link (until reclaim) and
 * each fifo_* operation in progress, so a reclaim during a sleeping read
 * cannot free the buffer under it.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/condvar.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/filio.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/lockf.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/pipe.h>
#include <sys/poll.h>
#include <sys/proc.h>
#include <sys/rwlock.h>
#include <sys/select.h>
#include <sys/signal.h>
#include <sys/stat.h>
#include <sys/syscallargs.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/vnode.h>

/*
 * st_dev of pipe(2) pipes: an anonymous device number (major 0), as
 * Linux's pipefs has.  The minor Linux picks depends on its mount order;
 * this one is fixed.
 */
#define PIPE_DEV	makedev(0, 15)

static volatile uint64_t pipe_lastino;	/* atomic: st_ino of pipes */

/* ------------------------------------------------------------------ */
/* The buffer */

/* The i-th slot from the oldest. */
static struct pipeslot *
pipe_slot(struct pipe *pp, u_int i)
{

	return &pp->pipe_slots[(pp->pipe_head + i) & (pp->pipe_nslots - 1)];
}

/* A free page for a new slot: the spare one, or a new one. */
static char *
pipe_page_get(struct pipe *pp)
{
	char *page;

	KASSERT(mutex_owned(&pp->pipe_lock));
	page = pp->pipe_spare;
	if (page != NULL) {
		pp->pipe_spare = NULL;
		return page;
	}
	return kmem_page_alloc(PAGE_SIZE, KM_SLEEP);
}

/* Keep one free page for the next write; free the others. */
static void
pipe_page_put(struct pipe *pp, char *page)
{

	KASSERT(mutex_owned(&pp->pipe_lock));
	if (pp->pipe_spare == NULL)
		pp->pipe_spare = page;
	else
		kmem_page_free(page, PAGE_SIZE);
}

/* Remove the oldest slot, which is empty or being emptied. */
static void
pipe_slot_pop(struct pipe *pp)
{
	struct pipeslot *ps = pipe_slot(pp, 0);

	KASSERT(pp->pipe_nused > 0);
	pipe_page_put(pp, ps->ps_page);
	memset(ps, 0, sizeof(*ps));
	pp->pipe_head = (pp->pipe_head + 1) & (pp->pipe_nslots - 1);
	pp->pipe_nused--;
}

/* Drop everything buffered and the spare page. */
static void
pipe_discard(struct pipe *pp)
{

	while (pp->pipe_nused > 0) {
		pp->pipe_nbytes -= pipe_slot(pp, 0)->ps_len;
		pipe_slot_pop(pp);
	}
	KASSERT(pp->pipe_nbytes == 0);
	pp->pipe_head = 0;
	if (pp->pipe_spare != NULL) {
		kmem_page_free(pp->pipe_spare, PAGE_SIZE);
		pp->pipe_spare = NULL;
	}
}

static struct pipe *
pipe_alloc(int flags, kauth_cred_t cred)
{
	struct pipe *pp;

	pp = kmem_zalloc(sizeof(*pp), KM_SLEEP);
	mutex_init(&pp->pipe_lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&pp->pipe_rcv, "piperd");
	cv_init(&pp->pipe_wcv, "pipewr");
	cv_init(&pp->pipe_opencv, "fifoopen");
	cv_init(&pp->pipe_flockcv, "pipelock");
	LIST_INIT(&pp->pipe_flocks);
	selinit(&pp->pipe_rsel);
	selinit(&pp->pipe_wsel);
	pp->pipe_nslots = PIPE_DEFAULT_SIZE / PAGE_SIZE;
	pp->pipe_slots = kmem_zalloc(pp->pipe_nslots * sizeof(struct pipeslot),
	    KM_SLEEP);
	pp->pipe_flags = flags;
	pp->pipe_ino = atomic_add_64_nv(&pipe_lastino, 1);
	pp->pipe_mode = S_IRUSR | S_IWUSR;
	pp->pipe_uid = kauth_cred_geteuid(cred);
	pp->pipe_gid = kauth_cred_getegid(cred);
	nanotime(&pp->pipe_ctime);
	pp->pipe_atime = pp->pipe_ctime;
	pp->pipe_mtime = pp->pipe_ctime;
	return pp;
}

static void
pipe_free(struct pipe *pp)
{

	mutex_enter(&pp->pipe_lock);
	pipe_discard(pp);
	mutex_exit(&pp->pipe_lock);
	kmem_free(pp->pipe_slots, pp->pipe_nslots * sizeof(struct pipeslot));
	seldestroy(&pp->pipe_rsel);
	seldestroy(&pp->pipe_wsel);
	KASSERT(LIST_EMPTY(&pp->pipe_flocks));
	/* Every close released its process's and its file's record locks. */
	KASSERT(pp->pipe_lockf == NULL);
	cv_destroy(&pp->pipe_flockcv);
	cv_destroy(&pp->pipe_opencv);
	cv_destroy(&pp->pipe_wcv);
	cv_destroy(&pp->pipe_rcv);
	mutex_destroy(&pp->pipe_lock);
	kmem_free(pp, sizeof(*pp));
}

static void
pipe_rele(struct pipe *pp)
{

	if (atomic_dec_uint_nv(&pp->pipe_refs) == 0)
		pipe_free(pp);
}

/* Wake readers and read-side pollers: data came, or the writers left. */
static void
pipe_wake_readers(struct pipe *pp)
{

	KASSERT(mutex_owned(&pp->pipe_lock));
	cv_broadcast(&pp->pipe_rcv);
	selnotify(&pp->pipe_rsel, POLLIN | POLLRDNORM);
}

/* Wake writers and write-side pollers: a slot was freed, or no reader. */
static void
pipe_wake_writers(struct pipe *pp)
{

	KASSERT(mutex_owned(&pp->pipe_lock));
	cv_broadcast(&pp->pipe_wcv);
	selnotify(&pp->pipe_wsel, POLLOUT | POLLWRNORM);
}

/* ------------------------------------------------------------------ */
/* Reading, writing, polling */

/*
 * Read from the pipe into uio.  Returns 0 with the count in uio, 0 with
 * nothing moved at end of file, or EAGAIN, EINTR or EFAULT when nothing
 * was moved.
 */
static int
pipe_read(struct pipe *pp, struct uio *uio, bool nonblock)
{
	struct pipeslot *ps;
	size_t n, resid, moved = 0;
	bool freed = false, packet;
	int error = 0;

	if (uio->uio_resid == 0)
		return 0;

	mutex_enter(&pp->pipe_lock);
	for (;;) {
		while (pp->pipe_nused > 0 && uio->uio_resid > 0) {
			ps = pipe_slot(pp, 0);
			n = MIN(ps->ps_len, uio->uio_resid);
			resid = uio->uio_resid;
			error = uiomove(ps->ps_page + ps->ps_off, n, uio);
			if (error) {
				/* The pipe keeps what a failed copy saw. */
				uio->uio_resid = resid;
				goto out;
			}
			ps->ps_off += n;
			ps->ps_len -= n;
			pp->pipe_nbytes -= n;
			moved += n;

			/* A packet is consumed whole, by one read. */
			packet = (ps->ps_flags & PS_PACKET) != 0;
			if (packet) {
				pp->pipe_nbytes -= ps->ps_len;
				ps->ps_len = 0;
			}
			if (ps->ps_len == 0) {
				pipe_slot_pop(pp);
				freed = true;
			}
			if (packet)
				goto out;
		}
		if (moved > 0 || uio->uio_resid == 0)
			break;

		/* Nothing buffered. */
		if (pp->pipe_writers == 0)
			break;
		if (nonblock) {
			error = EAGAIN;
			break;
		}
		error = cv_wait_sig(&pp->pipe_rcv, &pp->pipe_lock);
		if (error)
			break;
	}
 out:
	if (freed)
		pipe_wake_writers(pp);
	mutex_exit(&pp->pipe_lock);
	return moved > 0 ? 0 : error;
}

/*
 * Add a slot with up to a page from uio.  Returns EFAULT, and leaves the
 * pipe and uio_resid as they were, when the copy fails.
 */
static int
pipe_write_slot(struct pipe *pp, struct uio *uio, bool packet, size_t *movedp)
{
	struct pipeslot *ps;
	size_t n, resid;
	char *page;
	int error;

	KASSERT(pp->pipe_nused < pp->pipe_nslots);
	n = MIN(uio->uio_resid, PAGE_SIZE);
	page = pipe_page_get(pp);
	resid = uio->uio_resid;
	error = uiomove(page, n, uio);
	if (error) {
		uio->uio_resid = resid;
		pipe_page_put(pp, page);
		return error;
	}
	ps = pipe_slot(pp, pp->pipe_nused);
	ps->ps_page = page;
	ps->ps_off = 0;
	ps->ps_len = n;
	ps->ps_flags = packet ? PS_PACKET : PS_MERGE;
	pp->pipe_nused++;
	pp->pipe_nbytes += n;
	*movedp += n;
	return 0;
}

/*
 * Write uio into the pipe; packet selects packet mode.  Returns 0 with
 * the count in uio, or EPIPE (SIGPIPE posted), EAGAIN, EINTR or EFAULT
 * when nothing was written.
 */
static int
pipe_write(struct pipe *pp, struct uio *uio, bool nonblock, bool packet)
{
	struct pipeslot *ps;
	size_t rem, resid, moved = 0;
	bool sigpipe = false;
	int error = 0;

	if (uio->uio_resid == 0)
		return 0;

	mutex_enter(&pp->pipe_lock);
	if (pp->pipe_readers == 0) {
		sigpipe = true;
		error = EPIPE;
		goto out;
	}

	/*
	 * The part beyond whole pages goes into the newest slot when it
	 * fits there; the rest fills new slots a page at a time.  A write
	 * of up to a page thus never spans two slots.
	 */
	rem = uio->uio_resid % PAGE_SIZE;
	if (rem != 0 && pp->pipe_nused > 0) {
		ps = pipe_slot(pp, pp->pipe_nused - 1);
		if ((ps->ps_flags & PS_MERGE) != 0 &&
		    ps->ps_off + ps->ps_len + rem <= PAGE_SIZE) {
			resid = uio->uio_resid;
			error = uiomove(ps->ps_page + ps->ps_off + ps->ps_len,
			    rem, uio);
			if (error) {
				uio->uio_resid = resid;
				goto out;
			}
			ps->ps_len += rem;
			pp->pipe_nbytes += rem;
			moved += rem;
		}
	}

	while (uio->uio_resid > 0) {
		if (pp->pipe_readers == 0) {
			sigpipe = true;
			error = EPIPE;
			break;
		}
		if (pp->pipe_nused < pp->pipe_nslots) {
			error = pipe_write_slot(pp, uio, packet, &moved);
			if (error)
				break;
			continue;
		}

		/* Full: wait for a reader to free a slot. */
		if (nonblock) {
			error = EAGAIN;
			break;
		}
		if (moved > 0)
			pipe_wake_readers(pp);
		error = cv_wait_sig(&pp->pipe_wcv, &pp->pipe_lock);
		if (error)
			break;
	}
 out:
	if (moved > 0)
		pipe_wake_readers(pp);
	mutex_exit(&pp->pipe_lock);

	if (sigpipe)
		psignal(curproc, SIGPIPE);
	return moved > 0 ? 0 : error;
}

/*
 * The ready events among events, for the sides in mode (FREAD, FWRITE).
 * Records l for a wakeup when none is ready.
 */
static int
pipe_poll(struct pipe *pp, int events, int mode, struct lwp *l)
{
	int revents = 0;

	mutex_enter(&pp->pipe_lock);
	if (mode & FREAD) {
		if (pp->pipe_nused > 0)
			revents |= POLLIN | POLLRDNORM;
		/* A FIFO reader sees no hangup before any writer came. */
		if (pp->pipe_writers == 0 && ((pp->pipe_flags & PIPE_FIFO) == 0 ||
		    pp->pipe_wgen != pp->pipe_hupgen))
			revents |= POLLHUP;
	}
	if (mode & FWRITE) {
		if (pp->pipe_nused < pp->pipe_nslots)
			revents |= POLLOUT | POLLWRNORM;
		if (pp->pipe_readers == 0)
			revents |= POLLERR;
	}
	revents &= events;
	if (revents == 0) {
		if (mode & FREAD)
			selrecord(l, &pp->pipe_rsel);
		if (mode & FWRITE)
			selrecord(l, &pp->pipe_wsel);
	}
	mutex_exit(&pp->pipe_lock);
	return revents;
}

/*
 * F_SETPIPE_SZ: *sizep is the requested size in, the new capacity out.
 * Linux rounds up to a power of two of pages, lets only privileged
 * callers grow a pipe beyond PIPE_MAX_SIZE, and fails with EBUSY when
 * the data would not fit.
 */
static int
pipe_setsize(struct pipe *pp, u_int *sizep)
{
	struct pipeslot *slots, *oldslots;
	u_int size, nslots, oldnslots, i;

	if (*sizep > PIPE_REQUEST_MAX)
		return EINVAL;
	for (size = PAGE_SIZE; size < *sizep; size <<= 1)
		continue;
	nslots = size / PAGE_SIZE;

	mutex_enter(&pp->pipe_lock);
	oldnslots = pp->pipe_nslots;
	mutex_exit(&pp->pipe_lock);
	if (nslots > oldnslots && size > PIPE_MAX_SIZE &&
	    !kauth_cred_privileged(kauth_cred_get()))
		return EPERM;

	slots = kmem_zalloc(nslots * sizeof(struct pipeslot), KM_SLEEP);
	mutex_enter(&pp->pipe_lock);
	if (pp->pipe_nused > nslots) {
		mutex_exit(&pp->pipe_lock);
		kmem_free(slots, nslots * sizeof(struct pipeslot));
		return EBUSY;
	}
	for (i = 0; i < pp->pipe_nused; i++)
		slots[i] = *pipe_slot(pp, i);
	oldslots = pp->pipe_slots;
	oldnslots = pp->pipe_nslots;
	pp->pipe_slots = slots;
	pp->pipe_nslots = nslots;
	pp->pipe_head = 0;
	if (nslots > oldnslots)
		pipe_wake_writers(pp);
	mutex_exit(&pp->pipe_lock);

	kmem_free(oldslots, oldnslots * sizeof(struct pipeslot));
	*sizep = size;
	return 0;
}

/* FIONREAD and the capacity requests of sys/pipe.h; ENOTTY otherwise. */
static int
pipe_ioctl(struct pipe *pp, u_long cmd, void *data)
{

	switch (cmd) {
	case FIONREAD:
		mutex_enter(&pp->pipe_lock);
		*(int *)data = (int)MIN(pp->pipe_nbytes, (size_t)INT_MAX);
		mutex_exit(&pp->pipe_lock);
		return 0;
	case PIPEIOC_GETSIZE:
		mutex_enter(&pp->pipe_lock);
		*(u_int *)data = pp->pipe_nslots * PAGE_SIZE;
		mutex_exit(&pp->pipe_lock);
		return 0;
	case PIPEIOC_SETSIZE:
		return pipe_setsize(pp, data);
	default:
		return ENOTTY;
	}
}

/* ------------------------------------------------------------------ */
/* pipe(2) files */

/*
 * f_flag is read without f_lock: a concurrent F_SETFL may or may not
 * apply to a call already running, as on Linux.
 */
static int
pipe_fop_read(struct file *f, off_t *offp, struct uio *uio, kauth_cred_t cred,
    int flags)
{
	int fflag = atomic_load_relaxed(&f->f_flag);

	return pipe_read(f->f_data, uio, (fflag & O_NONBLOCK) != 0);
}

static int
pipe_fop_write(struct file *f, off_t *offp, struct uio *uio,
    kauth_cred_t cred, int flags)
{
	int fflag = atomic_load_relaxed(&f->f_flag);

	return pipe_write(f->f_data, uio, (fflag & O_NONBLOCK) != 0,
	    (fflag & O_DIRECT) != 0);
}

static int
pipe_fop_ioctl(struct file *f, u_long cmd, void *data)
{

	return pipe_ioctl(f->f_data, cmd, data);
}

static int
pipe_fop_poll(struct file *f, int events, struct lwp *l)
{

	return pipe_poll(f->f_data, events, f->f_flag & (FREAD | FWRITE), l);
}

/*
 * What Linux's fstat reports for a pipe end: both ends share the inode.
 * Reads and writes leave the times alone, as they do on Linux 6.18.
 */
static int
pipe_fop_stat(struct file *f, struct stat *st)
{
	struct pipe *pp = f->f_data;

	st->st_dev = PIPE_DEV;
	st->st_ino = pp->pipe_ino;
	st->st_nlink = 1;
	st->st_rdev = 0;
	st->st_size = 0;
	st->st_blksize = PAGE_SIZE;
	st->st_blocks = 0;
	mutex_enter(&pp->pipe_lock);
	st->st_mode = S_IFIFO | pp->pipe_mode;
	st->st_uid = pp->pipe_uid;
	st->st_gid = pp->pipe_gid;
	st->st_atim = pp->pipe_atime;
	st->st_mtim = pp->pipe_mtime;
	st->st_ctim = pp->pipe_ctime;
	mutex_exit(&pp->pipe_lock);
	return 0;
}

/* fchmod, fchown and futimens of a pipe end change the shared inode. */
static int
pipe_fop_setattr(struct file *f, const struct vattr *va)
{
	struct pipe *pp = f->f_data;

	mutex_enter(&pp->pipe_lock);
	if (va->va_mode != (mode_t)VNOVAL)
		pp->pipe_mode = va->va_mode & ALLPERMS;
	if (va->va_uid != (uid_t)VNOVAL)
		pp->pipe_uid = va->va_uid;
	if (va->va_gid != (gid_t)VNOVAL)
		pp->pipe_gid = va->va_gid;
	if (va->va_atime.tv_sec != VNOVAL)
		pp->pipe_atime = va->va_atime;
	if (va->va_mtime.tv_sec != VNOVAL)
		pp->pipe_mtime = va->va_mtime;
	nanotime(&pp->pipe_ctime);
	mutex_exit(&pp->pipe_lock);
	return 0;
}

/*
 * Drop the flock lock of f, if it has one.  The caller frees the lock
 * after releasing pipe_lock.
 */
static struct pipeflock *
pipe_flock_remove(struct pipe *pp, struct file *f)
{
	struct pipeflock *pf;

	KASSERT(mutex_owned(&pp->pipe_lock));
	LIST_FOREACH(pf, &pp->pipe_flocks, pf_link) {
		if (pf->pf_file == f) {
			LIST_REMOVE(pf, pf_link);
			cv_broadcast(&pp->pipe_flockcv);
			return pf;
		}
	}
	return NULL;
}

/* True when a lock of another file than f conflicts with type. */
static bool
pipe_flock_conflict(struct pipe *pp, struct file *f, int type)
{
	struct pipeflock *pf;

	LIST_FOREACH(pf, &pp->pipe_flocks, pf_link)
		if (pf->pf_file != f &&
		    (type == F_WRLCK || pf->pf_type == F_WRLCK))
			return true;
	return false;
}

/*
 * fcntl(2) record locks on a pipe end: POSIX ones owned by the process,
 * OFD ones by the open file, kept by kern_lockf.c in the pipe's own list,
 * because both ends are one inode on Linux.  A pipe has neither a size
 * nor a file position, so SEEK_CUR and SEEK_END count from 0, as Linux
 * counts them.
 */
static int
pipe_recordlock(struct file *f, int op, struct flock *fl, void *owner)
{
	struct pipe *pp = f->f_data;
	struct lockf_request req;
	struct proc *p;
	int fflag, error, cmd = op & ~(FADV_WAIT | FADV_OFD);

	memset(&req, 0, sizeof(req));
	req.lr_type = cmd == FADV_UNLK ? F_UNLCK : fl->l_type;
	if (req.lr_type != F_RDLCK && req.lr_type != F_WRLCK &&
	    req.lr_type != F_UNLCK)
		return EINVAL;
	if ((op & FADV_OFD) != 0) {
		if (fl->l_pid != 0)
			return EINVAL;
		req.lr_kind = LF_OFD;
		req.lr_owner = f;
	} else {
		p = owner != NULL ? owner : curproc;
		req.lr_kind = LF_POSIX;
		req.lr_owner = p;
		req.lr_pid = p->p_pid;
	}
	if (fl->l_whence != SEEK_SET && fl->l_whence != SEEK_CUR &&
	    fl->l_whence != SEEK_END)
		return EINVAL;
	error = lf_range(0, fl->l_start, fl->l_len, &req.lr_start,
	    &req.lr_end);
	if (error != 0)
		return error;

	if (cmd == FADV_GETLK) {
		if (req.lr_type == F_UNLCK)
			return EINVAL;
		lf_getlock(&pp->pipe_lockf, &req, fl);
		return 0;
	}
	mutex_enter(&f->f_lock);
	fflag = f->f_flag;
	mutex_exit(&f->f_lock);
	if ((req.lr_type == F_RDLCK && (fflag & FREAD) == 0) ||
	    (req.lr_type == F_WRLCK && (fflag & FWRITE) == 0))
		return EBADF;
	return lf_setlock(&pp->pipe_lockf, &req, (op & FADV_WAIT) != 0);
}

/*
 * flock(2) on a pipe end.  The pipe is one inode for both ends, so the
 * ends' files compete for its lock, as on Linux.  Like Linux, a
 * conversion first drops the old lock, and it stays dropped when the new
 * one fails.
 */
static int
pipe_fop_advlock(struct file *f, int op, struct flock *fl, void *owner)
{
	struct pipe *pp = f->f_data;
	struct pipeflock *old, *new;
	int error = 0, cmd = op & ~(FADV_WAIT | FADV_FLOCK | FADV_OFD);

	if ((op & FADV_FLOCK) == 0)
		return pipe_recordlock(f, op, fl, owner);
	if (cmd == FADV_GETLK)
		return EINVAL;
	new = NULL;
	if (cmd == FADV_SETLK) {
		new = kmem_alloc(sizeof(*new), KM_SLEEP);
		new->pf_file = f;
		new->pf_type = fl->l_type;
	}

	mutex_enter(&pp->pipe_lock);
	old = pipe_flock_remove(pp, f);
	if (old != NULL && new != NULL && old->pf_type == new->pf_type) {
		/* Already held: keep it. */
		LIST_INSERT_HEAD(&pp->pipe_flocks, old, pf_link);
		old = NULL;
		goto out;
	}
	while (new != NULL && pipe_flock_conflict(pp, f, new->pf_type)) {
		if ((op & FADV_WAIT) == 0) {
			error = EWOULDBLOCK;
			break;
		}
		error = cv_wait_sig(&pp->pipe_flockcv, &pp->pipe_lock);
		if (error)
			break;
	}
	if (new != NULL && error == 0) {
		LIST_INSERT_HEAD(&pp->pipe_flocks, new, pf_link);
		new = NULL;
	}
 out:
	mutex_exit(&pp->pipe_lock);
	if (old != NULL)
		kmem_free(old, sizeof(*old));
	if (new != NULL)
		kmem_free(new, sizeof(*new));
	return error;
}

static int
pipe_fop_close(struct file *f)
{
	struct pipe *pp = f->f_data;
	struct pipeflock *pf;

	lf_release(&pp->pipe_lockf, LF_OFD, f);
	mutex_enter(&pp->pipe_lock);
	pf = pipe_flock_remove(pp, f);
	if (f->f_flag & FREAD) {
		KASSERT(pp->pipe_readers > 0);
		if (--pp->pipe_readers == 0)
			pipe_wake_writers(pp);
	}
	if (f->f_flag & FWRITE) {
		KASSERT(pp->pipe_writers > 0);
		if (--pp->pipe_writers == 0)
			pipe_wake_readers(pp);
	}
	mutex_exit(&pp->pipe_lock);
	if (pf != NULL)
		kmem_free(pf, sizeof(*pf));
	pipe_rele(pp);
	return 0;
}

static const struct fileops pipeops = {
	.fo_read = pipe_fop_read,
	.fo_write = pipe_fop_write,
	.fo_ioctl = pipe_fop_ioctl,
	.fo_poll = pipe_fop_poll,
	.fo_stat = pipe_fop_stat,
	.fo_close = pipe_fop_close,
	.fo_advlock = pipe_fop_advlock,
	.fo_setflags = fnullop_setflags,
	.fo_setattr = pipe_fop_setattr,
};

/*
 * pipe2(2).  The descriptors are stored in the caller's array before
 * they are installed, so a bad array leaves no descriptor behind.
 * NOTE: O_NOTIFICATION_PIPE fails with EINVAL; Linux built without
 * watch queues fails it with ENOPKG.
 */
static int
pipe_create(struct lwp *l, int *ufds, int flags)
{
	struct filedesc *fdp = fd_table();
	struct file *rf, *wf;
	struct pipe *pp;
	int error, fflag, fds[2];
	bool cloexec;

	if ((flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT)) != 0)
		return EINVAL;
	cloexec = (flags & O_CLOEXEC) != 0;
	fflag = flags & (O_NONBLOCK | O_DIRECT);

	pp = pipe_alloc(0, l->l_cred);
	pp->pipe_readers = 1;
	pp->pipe_writers = 1;
	pp->pipe_refs = 2;
	rf = file_alloc(DTYPE_PIPE, &pipeops, pp, FREAD | fflag, l->l_cred);
	wf = file_alloc(DTYPE_PIPE, &pipeops, pp, FWRITE | fflag, l->l_cred);

	error = fd_alloc(fdp, 0, &fds[0]);
	if (error)
		goto release_files;
	error = fd_alloc(fdp, 0, &fds[1]);
	if (error)
		goto abort_read_fd;
	error = copyout(fds, ufds, sizeof(fds));
	if (error)
		goto abort_write_fd;
	fd_affix(fdp, fds[0], rf, cloexec);
	fd_affix(fdp, fds[1], wf, cloexec);
	return 0;

 abort_write_fd:
	fd_abort(fdp, fds[1]);
 abort_read_fd:
	fd_abort(fdp, fds[0]);
 release_files:
	(void)file_release(rf);
	(void)file_release(wf);
	return error;
}

int
sys_pipe(struct lwp *l, const struct sys_pipe_args *uap, register_t *retval)
{

	return pipe_create(l, SCARG(uap, fds), 0);
}

int
sys_pipe2(struct lwp *l, const struct sys_pipe2_args *uap, register_t *retval)
{

	return pipe_create(l, SCARG(uap, fds), SCARG(uap, flags));
}

/* ------------------------------------------------------------------ */
/* FIFOs */

/*
 * Take a reference to vp's pipe, making it at the first open (create).
 * Returns NULL when there is none and create is false.
 */
static struct pipe *
fifo_get(struct vnode *vp, bool create)
{
	struct pipe *pp, *newpp = NULL;

	for (;;) {
		mutex_enter(&vp->v_interlock);
		pp = vp->v_fifoinfo;
		if (pp == NULL && newpp != NULL) {
			/* The vnode's own reference. */
			newpp->pipe_refs = 1;
			vp->v_fifoinfo = pp = newpp;
			newpp = NULL;
		}
		if (pp != NULL)
			atomic_inc_uint(&pp->pipe_refs);
		mutex_exit(&vp->v_interlock);
		if (pp != NULL || !create)
			break;
		newpp = pipe_alloc(PIPE_FIFO, kauth_cred_get());
	}
	if (newpp != NULL)
		pipe_free(newpp);	/* another open made one first */
	return pp;
}

/*
 * The last opener left: drop the data and restore the default capacity,
 * as Linux does when it frees a FIFO's pipe.
 */
static void
fifo_reset(struct pipe *pp)
{

	KASSERT(mutex_owned(&pp->pipe_lock));
	pipe_discard(pp);
	if (pp->pipe_nslots != PIPE_DEFAULT_SIZE / PAGE_SIZE) {
		kmem_free(pp->pipe_slots,
		    pp->pipe_nslots * sizeof(struct pipeslot));
		pp->pipe_nslots = PIPE_DEFAULT_SIZE / PAGE_SIZE;
		pp->pipe_slots = kmem_zalloc(
		    pp->pipe_nslots * sizeof(struct pipeslot), KM_SLEEP);
	}
}

/*
 * The fifo_* operations are called with the vnode locked (shared for
 * read, exclusive otherwise, see sys/vnode.h).  Those that may sleep on
 * the pipe release the vnode lock first, because the other end needs the
 * vnode too: a reader sleeping for data with the lock held would keep
 * the writer out.  They take the rwlock directly rather than through
 * vn_lock and vn_unlock, because this file is part of librump, which
 * cannot call into librumpvfs.  Relocking waits for the lock even if the
 * vnode was reclaimed meanwhile, as vn_lock with LK_RETRY does.
 */
static void
fifo_vnode_unlock(struct vnode *vp)
{

	KASSERT(rw_lock_held(&vp->v_lock));
	rw_exit(&vp->v_lock);
}

static void
fifo_vnode_relock(struct vnode *vp, krw_t op)
{

	rw_enter(&vp->v_lock, op);
}

/* Wait for the generation counter genp to move on, or the FIFO's end. */
static int
fifo_wait_partner(struct pipe *pp, const u_int *genp)
{
	u_int gen = *genp;
	int error = 0;

	while (*genp == gen && (pp->pipe_flags & PIPE_DEAD) == 0) {
		error = cv_wait_sig(&pp->pipe_opencv, &pp->pipe_lock);
		if (error)
			break;
	}
	return error;
}

int
fifo_open(struct vnode *vp, int fflag, kauth_cred_t cred)
{
	struct pipe *pp;
	int error = 0;

	if ((fflag & (FREAD | FWRITE)) == 0)
		return EINVAL;
	pp = fifo_get(vp, true);
	fifo_vnode_unlock(vp);

	mutex_enter(&pp->pipe_lock);
	switch (fflag & (FREAD | FWRITE)) {
	case FREAD | FWRITE:
		pp->pipe_readers++;
		pp->pipe_writers++;
		pp->pipe_rgen++;
		pp->pipe_wgen++;
		cv_broadcast(&pp->pipe_opencv);
		break;
	case FREAD:
		pp->pipe_readers++;
		pp->pipe_rgen++;
		cv_broadcast(&pp->pipe_opencv);
		if (pp->pipe_writers > 0)
			break;
		if (fflag & O_NONBLOCK) {
			pp->pipe_hupgen = pp->pipe_wgen;
			break;
		}
		error = fifo_wait_partner(pp, &pp->pipe_wgen);
		if (error && --pp->pipe_readers == 0)
			pipe_wake_writers(pp);
		break;
	case FWRITE:
		if ((fflag & O_NONBLOCK) && pp->pipe_readers == 0) {
			error = ENXIO;
			break;
		}
		pp->pipe_writers++;
		pp->pipe_wgen++;
		cv_broadcast(&pp->pipe_opencv);
		if (pp->pipe_readers > 0)
			break;
		error = fifo_wait_partner(pp, &pp->pipe_rgen);
		if (error && --pp->pipe_writers == 0)
			pipe_wake_readers(pp);
		break;
	}
	/* A reclaimed vnode leaves the counts at 0: nothing to undo. */
	if (error == 0 && (pp->pipe_flags & PIPE_DEAD) != 0)
		error = ENXIO;
	if (error && pp->pipe_readers == 0 && pp->pipe_writers == 0)
		fifo_reset(pp);
	mutex_exit(&pp->pipe_lock);

	fifo_vnode_relock(vp, RW_WRITER);
	pipe_rele(pp);
	return error;
}

int
fifo_close(struct vnode *vp, int fflag, kauth_cred_t cred)
{
	struct pipe *pp;

	pp = fifo_get(vp, false);
	if (pp == NULL)
		return 0;
	mutex_enter(&pp->pipe_lock);
	/* After a reclaim the counts are 0 already. */
	if ((fflag & FREAD) && pp->pipe_readers > 0 &&
	    --pp->pipe_readers == 0)
		pipe_wake_writers(pp);
	if ((fflag & FWRITE) && pp->pipe_writers > 0 &&
	    --pp->pipe_writers == 0)
		pipe_wake_readers(pp);
	if (pp->pipe_readers == 0 && pp->pipe_writers == 0)
		fifo_reset(pp);
	mutex_exit(&pp->pipe_lock);
	pipe_rele(pp);
	return 0;
}

int
fifo_read(struct vnode *vp, struct uio *uio, int ioflag, kauth_cred_t cred)
{
	struct pipe *pp;
	int error;

	if (uio->uio_resid == 0)
		return 0;
	pp = fifo_get(vp, false);
	if (pp == NULL)
		return 0;
	fifo_vnode_unlock(vp);
	error = pipe_read(pp, uio, (ioflag & IO_NDELAY) != 0);
	fifo_vnode_relock(vp, RW_READER);
	pipe_rele(pp);
	return error;
}

/* NOTE: packet mode (O_DIRECT) is not available on FIFOs. */
int
fifo_write(struct vnode *vp, struct uio *uio, int ioflag, kauth_cred_t cred)
{
	struct pipe *pp;
	int error;

	if (uio->uio_resid == 0)
		return 0;
	pp = fifo_get(vp, false);
	if (pp == NULL)
		return EPIPE;
	fifo_vnode_unlock(vp);
	error = pipe_write(pp, uio, (ioflag & IO_NDELAY) != 0, false);
	fifo_vnode_relock(vp, RW_WRITER);
	pipe_rele(pp);
	return error;
}

int
fifo_ioctl(struct vnode *vp, u_long cmd, void *data, int fflag,
    kauth_cred_t cred)
{
	struct pipe *pp;
	int error;

	pp = fifo_get(vp, false);
	if (pp == NULL)
		return ENOTTY;
	error = pipe_ioctl(pp, cmd, data);
	pipe_rele(pp);
	return error;
}

/*
 * The vnode operation does not know the open mode, so it reports both
 * sides.  The poll code drops the events of the side a descriptor cannot
 * use from the request.
 * NOTE: POLLHUP waits for a writer after a non-blocking read open for
 * the whole FIFO, where Linux tracks it per open file.
 */
int
fifo_poll(struct vnode *vp, int events, struct lwp *l)
{
	struct pipe *pp;
	int revents;

	pp = fifo_get(vp, false);
	if (pp == NULL)
		return 0;
	revents = pipe_poll(pp, events, FREAD | FWRITE, l);
	pipe_rele(pp);
	return revents;
}

void
fifo_reclaim(struct vnode *vp)
{
	struct pipe *pp;

	mutex_enter(&vp->v_interlock);
	pp = vp->v_fifoinfo;
	vp->v_fifoinfo = NULL;
	mutex_exit(&vp->v_interlock);
	if (pp == NULL)
		return;

	/* Operations still sleeping on the pipe end as if all had closed. */
	mutex_enter(&pp->pipe_lock);
	pp->pipe_flags |= PIPE_DEAD;
	pp->pipe_readers = 0;
	pp->pipe_writers = 0;
	cv_broadcast(&pp->pipe_opencv);
	pipe_wake_readers(pp);
	pipe_wake_writers(pp);
	mutex_exit(&pp->pipe_lock);
	pipe_rele(pp);
}
