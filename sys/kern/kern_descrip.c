/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Descriptor tables (sys/filedesc.h) and the system calls that work on
 * descriptors as such: close, dup, dup2, dup3, fcntl, flock and fstat.
 *
 * Theory of operation.  A table is an array of slots, fd_ofiles, and a
 * bitmap, fd_inuse, with one bit per slot that is in use: either
 * installed (fe_file set) or reserved by an open in progress.  Allocation
 * finds the lowest clear bit at or above max(minfd, fd_freefile) and
 * sets it.  fd_freefile is never above the lowest clear bit, and
 * fd_lastfile is the highest set bit.  The arrays grow as Linux's
 * fdtable does (64 slots, then the smallest power of two above the
 * descriptor, at least 128), up to fd_maxfiles; they never shrink.  Growth
 * allocates with fd_lock released and then checks again, because the
 * allocator may sleep.
 *
 * Every lookup takes fd_lock and a file reference.  This keeps the table
 * simple and obviously safe against concurrent close and growth.
 * TODO: a lock-free fast path needs type-stable file memory first.
 *
 * Tables belong to processes through the process hooks: fork copies,
 * clears or shares the parent's table (PROC_FD_*); exit drops the
 * process's share, releases its POSIX locks and, with the last share,
 * closes every descriptor.  proc0 gets an empty table at boot, and
 * initproc an empty one as proc0's child.
 *
 * The Linux rules of the calls (errno values and their order) were taken
 * from the Linux man pages and checked against Linux 6.18 on x86-64.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/filio.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/pipe.h>
#include <sys/proc.h>
#include <sys/stat.h>
#include <sys/syscallargs.h>
#include <sys/vnode.h>

#define FD_INITIAL_NFILES	64	/* Linux's NR_OPEN_DEFAULT on LP64 */
#define FD_BITS			64	/* slots per fd_inuse word */
#define FD_NWORDS(n)		howmany((n), FD_BITS)

/* Open flags that F_GETFL never reports: Linux drops them at open. */
#define FD_GETFL_HIDDEN	(O_CLOEXEC | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC)

static int fd_hook_slot = -1;

/* ------------------------------------------------------------------ */
/* Table memory */

/* Slot count of a table with room for descriptor fd, as Linux sizes it. */
static int
fd_table_size(int fd)
{
	int n;

	if (fd < FD_INITIAL_NFILES)
		return FD_INITIAL_NFILES;
	for (n = 2 * FD_INITIAL_NFILES; n <= fd; n <<= 1)
		continue;
	return n;
}

static struct filedesc *
fd_table_alloc(int nfiles, int maxfiles)
{
	struct filedesc *fdp;

	KASSERT(nfiles % FD_BITS == 0);
	fdp = kmem_zalloc(sizeof(*fdp), KM_SLEEP);
	mutex_init(&fdp->fd_lock, MUTEX_DEFAULT, IPL_NONE);
	fdp->fd_refcnt = 1;
	fdp->fd_nfiles = nfiles;
	fdp->fd_lastfile = -1;
	fdp->fd_freefile = 0;
	fdp->fd_maxfiles = maxfiles;
	fdp->fd_ofiles = kmem_zalloc(nfiles * sizeof(struct fdent), KM_SLEEP);
	fdp->fd_inuse = kmem_zalloc(FD_NWORDS(nfiles) * sizeof(uint64_t),
	    KM_SLEEP);
	return fdp;
}

static void
fd_table_free(struct filedesc *fdp)
{

	KASSERT(fdp->fd_lastfile == -1);
	kmem_free(fdp->fd_ofiles, fdp->fd_nfiles * sizeof(struct fdent));
	kmem_free(fdp->fd_inuse, FD_NWORDS(fdp->fd_nfiles) * sizeof(uint64_t));
	mutex_destroy(&fdp->fd_lock);
	kmem_free(fdp, sizeof(*fdp));
}

/*
 * Make the table big enough for descriptor fd.  Called and returns with
 * fd_lock held, but may release it meanwhile: the caller looks at the
 * table again afterwards.
 */
static void
fd_expand(struct filedesc *fdp, int fd)
{
	struct fdent *ofiles, *oldofiles;
	uint64_t *inuse, *oldinuse;
	int nfiles, oldnfiles;

	KASSERT(mutex_owned(&fdp->fd_lock));
	KASSERT(fd < fdp->fd_maxfiles);
	while (fd >= fdp->fd_nfiles) {
		nfiles = fd_table_size(fd);
		mutex_exit(&fdp->fd_lock);
		ofiles = kmem_zalloc(nfiles * sizeof(struct fdent), KM_SLEEP);
		inuse = kmem_zalloc(FD_NWORDS(nfiles) * sizeof(uint64_t),
		    KM_SLEEP);
		mutex_enter(&fdp->fd_lock);

		oldnfiles = fdp->fd_nfiles;
		if (nfiles <= oldnfiles) {
			/* Another thread grew it meanwhile. */
			kmem_free(ofiles, nfiles * sizeof(struct fdent));
			kmem_free(inuse, FD_NWORDS(nfiles) * sizeof(uint64_t));
			continue;
		}
		oldofiles = fdp->fd_ofiles;
		oldinuse = fdp->fd_inuse;
		memcpy(ofiles, oldofiles, oldnfiles * sizeof(struct fdent));
		memcpy(inuse, oldinuse, FD_NWORDS(oldnfiles) * sizeof(uint64_t));
		fdp->fd_ofiles = ofiles;
		fdp->fd_inuse = inuse;
		fdp->fd_nfiles = nfiles;
		kmem_free(oldofiles, oldnfiles * sizeof(struct fdent));
		kmem_free(oldinuse, FD_NWORDS(oldnfiles) * sizeof(uint64_t));
	}
}

/* ------------------------------------------------------------------ */
/* Slot bookkeeping, all under fd_lock */

/* The lowest slot >= from that is free; fd_nfiles when all are used. */
static int
fd_find_free(struct filedesc *fdp, int from)
{
	int w, nwords = FD_NWORDS(fdp->fd_nfiles);
	uint64_t bits;

	KASSERT(mutex_owned(&fdp->fd_lock));
	if (from >= fdp->fd_nfiles)
		return from;
	w = from / FD_BITS;
	bits = ~fdp->fd_inuse[w] & (~(uint64_t)0 << (from % FD_BITS));
	while (bits == 0) {
		if (++w == nwords)
			return fdp->fd_nfiles;
		bits = ~fdp->fd_inuse[w];
	}
	return w * FD_BITS + ffs64(bits) - 1;
}

/* The highest used slot below limit, or -1. */
static int
fd_find_last(struct filedesc *fdp, int limit)
{
	int w;
	uint64_t bits;

	if (limit <= 0)
		return -1;
	w = (limit - 1) / FD_BITS;
	bits = fdp->fd_inuse[w];
	if (limit % FD_BITS != 0)
		bits &= ((uint64_t)1 << (limit % FD_BITS)) - 1;
	while (bits == 0) {
		if (w-- == 0)
			return -1;
		bits = fdp->fd_inuse[w];
	}
	return w * FD_BITS + fls64(bits) - 1;
}

static void
fd_mark_used(struct filedesc *fdp, int fd)
{

	KASSERT(mutex_owned(&fdp->fd_lock));
	KASSERT((fdp->fd_inuse[fd / FD_BITS] & ((uint64_t)1 << (fd % FD_BITS)))
	    == 0);
	fdp->fd_inuse[fd / FD_BITS] |= (uint64_t)1 << (fd % FD_BITS);
	if (fd > fdp->fd_lastfile)
		fdp->fd_lastfile = fd;
	if (fd == fdp->fd_freefile)
		fdp->fd_freefile = fd + 1;
}

/* Give slot fd back: it was installed or reserved. */
static void
fd_mark_free(struct filedesc *fdp, int fd)
{
	struct fdent *fe = &fdp->fd_ofiles[fd];

	KASSERT(mutex_owned(&fdp->fd_lock));
	KASSERT(fdp->fd_inuse[fd / FD_BITS] & ((uint64_t)1 << (fd % FD_BITS)));
	fdp->fd_inuse[fd / FD_BITS] &= ~((uint64_t)1 << (fd % FD_BITS));
	fe->fe_file = NULL;
	fe->fe_cloexec = false;
	fe->fe_reserved = false;
	if (fd < fdp->fd_freefile)
		fdp->fd_freefile = fd;
	if (fd == fdp->fd_lastfile)
		fdp->fd_lastfile = fd_find_last(fdp, fd);
}

/* ------------------------------------------------------------------ */
/* Allocation and lookup */

struct filedesc *
fd_table(void)
{

	return curproc->p_fd;
}

int
fd_alloc(struct filedesc *fdp, int minfd, int *fdp_out)
{
	int fd;

	KASSERT(minfd >= 0);
	mutex_enter(&fdp->fd_lock);
	for (;;) {
		fd = fd_find_free(fdp, MAX(minfd, fdp->fd_freefile));
		if (fd >= fdp->fd_maxfiles) {
			mutex_exit(&fdp->fd_lock);
			return EMFILE;
		}
		if (fd < fdp->fd_nfiles)
			break;
		fd_expand(fdp, fd);
	}
	fd_mark_used(fdp, fd);
	fdp->fd_ofiles[fd].fe_reserved = true;
	mutex_exit(&fdp->fd_lock);
	*fdp_out = fd;
	return 0;
}

void
fd_affix(struct filedesc *fdp, int fd, struct file *f, bool cloexec)
{
	struct fdent *fe;

	mutex_enter(&fdp->fd_lock);
	fe = &fdp->fd_ofiles[fd];
	KASSERT(fe->fe_reserved && fe->fe_file == NULL);
	fe->fe_file = f;
	fe->fe_cloexec = cloexec;
	fe->fe_reserved = false;
	mutex_exit(&fdp->fd_lock);
}

void
fd_abort(struct filedesc *fdp, int fd)
{

	mutex_enter(&fdp->fd_lock);
	KASSERT(fdp->fd_ofiles[fd].fe_reserved);
	fd_mark_free(fdp, fd);
	mutex_exit(&fdp->fd_lock);
}

struct file *
fd_getfile(int fd)
{
	struct filedesc *fdp = curproc->p_fd;
	struct file *f = NULL;

	if (fdp == NULL || fd < 0)
		return NULL;
	mutex_enter(&fdp->fd_lock);
	if (fd < fdp->fd_nfiles) {
		f = fdp->fd_ofiles[fd].fe_file;
		if (f != NULL)
			file_hold(f);
	}
	mutex_exit(&fdp->fd_lock);
	return f;
}

void
fd_putfile(struct file *f)
{

	(void)file_release(f);
}

/* ------------------------------------------------------------------ */
/* Closing */

/*
 * Release the POSIX locks that process p holds on f: every close of a
 * descriptor does that on Linux, not only the last close of the file.
 */
static void
fd_unlock_posix(struct file *f, struct proc *p)
{
	struct flock fl;

	if ((f->f_type != DTYPE_VNODE && f->f_type != DTYPE_PIPE) ||
	    f->f_ops->fo_advlock == NULL)
		return;
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_UNLCK;
	fl.l_whence = SEEK_SET;
	fl.l_start = 0;
	fl.l_len = 0;
	(void)f->f_ops->fo_advlock(f, FADV_UNLK, &fl, p);
}

/* Drop the table's reference to f after p closed a descriptor of it. */
static int
fd_closefile(struct filedesc *fdp, struct file *f, struct proc *p)
{

	if (atomic_load_relaxed(&fdp->fd_posixlocks))
		fd_unlock_posix(f, p);
	return file_release(f);
}

int
fd_close(int fd)
{
	struct proc *p = curproc;
	struct filedesc *fdp = p->p_fd;
	struct file *f;

	if (fdp == NULL || fd < 0)
		return EBADF;
	mutex_enter(&fdp->fd_lock);
	if (fd >= fdp->fd_nfiles ||
	    (f = fdp->fd_ofiles[fd].fe_file) == NULL) {
		mutex_exit(&fdp->fd_lock);
		return EBADF;
	}
	fd_mark_free(fdp, fd);
	mutex_exit(&fdp->fd_lock);

	return fd_closefile(fdp, f, p);
}

/* ------------------------------------------------------------------ */
/* Duplication and descriptor flags */

int
fd_dup(struct file *f, int minfd, int *newfdp, bool cloexec)
{
	struct filedesc *fdp = fd_table();
	int error, fd;

	error = fd_alloc(fdp, minfd, &fd);
	if (error)
		return error;
	file_hold(f);
	fd_affix(fdp, fd, f, cloexec);
	*newfdp = fd;
	return 0;
}

int
fd_dup2(struct file *f, int newfd, bool cloexec)
{
	struct filedesc *fdp = fd_table();
	struct fdent *fe;
	struct file *old;

	mutex_enter(&fdp->fd_lock);
	if (newfd < 0 || newfd >= fdp->fd_maxfiles) {
		mutex_exit(&fdp->fd_lock);
		return EBADF;
	}
	fd_expand(fdp, newfd);
	fe = &fdp->fd_ofiles[newfd];
	if (fe->fe_reserved) {
		mutex_exit(&fdp->fd_lock);
		return EBUSY;
	}
	old = fe->fe_file;
	if (old == NULL)
		fd_mark_used(fdp, newfd);
	file_hold(f);
	fe->fe_file = f;
	fe->fe_cloexec = cloexec;
	mutex_exit(&fdp->fd_lock);

	if (old != NULL)
		(void)fd_closefile(fdp, old, curproc);
	return 0;
}

int
fd_getcloexec(int fd, bool *cloexecp)
{
	struct filedesc *fdp = fd_table();
	int error = EBADF;

	if (fd < 0)
		return EBADF;
	mutex_enter(&fdp->fd_lock);
	if (fd < fdp->fd_nfiles && fdp->fd_ofiles[fd].fe_file != NULL) {
		*cloexecp = fdp->fd_ofiles[fd].fe_cloexec;
		error = 0;
	}
	mutex_exit(&fdp->fd_lock);
	return error;
}

int
fd_setcloexec(int fd, bool cloexec)
{
	struct filedesc *fdp = fd_table();
	int error = EBADF;

	if (fd < 0)
		return EBADF;
	mutex_enter(&fdp->fd_lock);
	if (fd < fdp->fd_nfiles && fdp->fd_ofiles[fd].fe_file != NULL) {
		fdp->fd_ofiles[fd].fe_cloexec = cloexec;
		error = 0;
	}
	mutex_exit(&fdp->fd_lock);
	return error;
}

int
fd_count_open(struct filedesc *fdp)
{
	int fd, n = 0;

	mutex_enter(&fdp->fd_lock);
	for (fd = 0; fd <= fdp->fd_lastfile; fd++)
		if (fdp->fd_ofiles[fd].fe_file != NULL)
			n++;
	mutex_exit(&fdp->fd_lock);
	return n;
}

/* ------------------------------------------------------------------ */
/* Process hooks */

/* A copy of fdp for a forked process: the same files, held again. */
static struct filedesc *
fd_copy(struct filedesc *pfdp)
{
	struct filedesc *fdp;
	struct fdent *fe;
	int fd, lastfile, nfiles;

	mutex_enter(&pfdp->fd_lock);
	for (;;) {
		lastfile = pfdp->fd_lastfile;
		nfiles = fd_table_size(MAX(lastfile, 0));
		mutex_exit(&pfdp->fd_lock);
		fdp = fd_table_alloc(nfiles, pfdp->fd_maxfiles);
		mutex_enter(&pfdp->fd_lock);
		if (pfdp->fd_lastfile < nfiles)
			break;
		/* The parent's table grew meanwhile: try a bigger one. */
		mutex_exit(&pfdp->fd_lock);
		fd_table_free(fdp);
		mutex_enter(&pfdp->fd_lock);
	}

	/* Reserved slots belong to opens in progress in the parent. */
	for (fd = 0; fd <= pfdp->fd_lastfile; fd++) {
		fe = &pfdp->fd_ofiles[fd];
		if (fe->fe_file == NULL)
			continue;
		file_hold(fe->fe_file);
		fdp->fd_ofiles[fd].fe_file = fe->fe_file;
		fdp->fd_ofiles[fd].fe_cloexec = fe->fe_cloexec;
		fdp->fd_inuse[fd / FD_BITS] |= (uint64_t)1 << (fd % FD_BITS);
		fdp->fd_lastfile = fd;
	}
	fdp->fd_maxfiles = pfdp->fd_maxfiles;
	mutex_exit(&pfdp->fd_lock);

	mutex_enter(&fdp->fd_lock);
	fdp->fd_freefile = fd_find_free(fdp, 0);
	mutex_exit(&fdp->fd_lock);
	return fdp;
}

static int
fd_fork_hook(struct proc *parent, struct proc *child, int flags)
{
	struct filedesc *pfdp = parent->p_fd;

	if (pfdp == NULL) {
		child->p_fd = fd_table_alloc(FD_INITIAL_NFILES,
		    FD_DEFAULT_MAXFILES);
		return 0;
	}
	switch (flags & (PROC_FD_COPY | PROC_FD_CLEAR)) {
	case PROC_FD_COPY:
		child->p_fd = fd_copy(pfdp);
		break;
	case PROC_FD_CLEAR:
		child->p_fd = fd_table_alloc(FD_INITIAL_NFILES,
		    pfdp->fd_maxfiles);
		break;
	default:
		atomic_inc_uint(&pfdp->fd_refcnt);
		child->p_fd = pfdp;
		break;
	}
	return 0;
}

/*
 * Release the POSIX locks of p on every file of a table that other
 * processes still use.  Each file is held while fd_lock is dropped.
 */
static void
fd_unlock_posix_all(struct filedesc *fdp, struct proc *p)
{
	struct file *f;
	int fd;

	for (fd = 0;; fd++) {
		mutex_enter(&fdp->fd_lock);
		for (f = NULL; fd <= fdp->fd_lastfile; fd++) {
			f = fdp->fd_ofiles[fd].fe_file;
			if (f != NULL)
				break;
		}
		if (f == NULL) {
			mutex_exit(&fdp->fd_lock);
			return;
		}
		file_hold(f);
		mutex_exit(&fdp->fd_lock);
		fd_unlock_posix(f, p);
		(void)file_release(f);
	}
}

/* Close every descriptor of a table that no other process uses. */
static void
fd_close_all(struct filedesc *fdp, struct proc *p)
{
	struct file *f;
	int fd;

	for (;;) {
		mutex_enter(&fdp->fd_lock);
		fd = fdp->fd_lastfile;
		if (fd < 0) {
			mutex_exit(&fdp->fd_lock);
			return;
		}
		/* A reserved slot here is an open that will never finish. */
		f = fdp->fd_ofiles[fd].fe_file;
		fd_mark_free(fdp, fd);
		mutex_exit(&fdp->fd_lock);
		if (f != NULL)
			(void)fd_closefile(fdp, f, p);
	}
}

static void
fd_exit_hook(struct proc *p)
{
	struct filedesc *fdp = p->p_fd;

	if (fdp == NULL)
		return;
	p->p_fd = NULL;
	if (atomic_dec_uint_nv(&fdp->fd_refcnt) > 0) {
		if (atomic_load_relaxed(&fdp->fd_posixlocks))
			fd_unlock_posix_all(fdp, p);
		return;
	}
	fd_close_all(fdp, p);
	fd_table_free(fdp);
}

/*
 * Close the calling process's close-on-exec descriptors at exec.  A table
 * shared with other processes is first replaced by a copy, as Linux
 * unshares it at execve, so that the others keep their descriptors.  The
 * caller must be the only lwp of the process in the kernel, because it
 * replaces p_fd without a lock.
 */
void
fd_closeexec(void)
{
	struct proc *p = curproc;
	struct filedesc *fdp = p->p_fd, *ofdp;
	struct file *f;
	int fd;

	if (fdp == NULL)
		return;
	/*
	 * NOTE: remote clients, the only callers so far, never share their
	 * tables, so no test runs this branch.
	 */
	if (atomic_load_relaxed(&fdp->fd_refcnt) > 1) {
		ofdp = fdp;
		fdp = fd_copy(ofdp);
		/* The copy holds the same files, which may carry our locks. */
		if (atomic_load_relaxed(&ofdp->fd_posixlocks))
			atomic_store_relaxed(&fdp->fd_posixlocks, 1);
		p->p_fd = fdp;
		if (atomic_dec_uint_nv(&ofdp->fd_refcnt) == 0) {
			/* The other sharers exited meanwhile. */
			fd_close_all(ofdp, p);
			fd_table_free(ofdp);
		} else if (atomic_load_relaxed(&ofdp->fd_posixlocks)) {
			fd_unlock_posix_all(ofdp, p);
		}
	}

	for (fd = 0;; fd++) {
		mutex_enter(&fdp->fd_lock);
		for (f = NULL; fd <= fdp->fd_lastfile; fd++) {
			if (fdp->fd_ofiles[fd].fe_file != NULL &&
			    fdp->fd_ofiles[fd].fe_cloexec) {
				f = fdp->fd_ofiles[fd].fe_file;
				break;
			}
		}
		if (f == NULL) {
			mutex_exit(&fdp->fd_lock);
			return;
		}
		fd_mark_free(fdp, fd);
		mutex_exit(&fdp->fd_lock);
		(void)fd_closefile(fdp, f, p);
	}
}

static const struct proc_hook fd_proc_hook = {
	.ph_fork = fd_fork_hook,
	.ph_exit = fd_exit_hook,
};

/*
 * Register the hooks and give proc0 its table.  Runs at boot before
 * initproc exists, which then gets an empty table as proc0's child.
 */
void
fd_sys_init(void)
{

	KASSERT(initproc == NULL);
	fd_hook_slot = proc_hook_register(&fd_proc_hook);
	if (fd_hook_slot < 0)
		panic("fd_sys_init: no free process hook slot");
	proc0.p_fd = fd_table_alloc(FD_INITIAL_NFILES, FD_DEFAULT_MAXFILES);
}

/* ------------------------------------------------------------------ */
/* System calls */

int
sys_close(struct lwp *l, const struct sys_close_args *uap, register_t *retval)
{

	return fd_close(SCARG(uap, fd));
}

int
sys_dup(struct lwp *l, const struct sys_dup_args *uap, register_t *retval)
{
	struct file *f;
	int error, newfd;

	f = fd_getfile(SCARG(uap, oldfd));
	if (f == NULL)
		return EBADF;
	error = fd_dup(f, 0, &newfd, false);
	fd_putfile(f);
	if (error == 0)
		retval[0] = newfd;
	return error;
}

/* dup2 and dup3 once the arguments are checked. */
static int
dodup3(int oldfd, int newfd, bool cloexec, register_t *retval)
{
	struct file *f;
	int error;

	f = fd_getfile(oldfd);
	if (f == NULL)
		return EBADF;
	error = fd_dup2(f, newfd, cloexec);
	fd_putfile(f);
	if (error == 0)
		retval[0] = newfd;
	return error;
}

int
sys_dup2(struct lwp *l, const struct sys_dup2_args *uap, register_t *retval)
{
	int oldfd = SCARG(uap, oldfd), newfd = SCARG(uap, newfd);
	struct file *f;

	/* Linux: dup2(fd, fd) returns fd when it is open, EBADF otherwise. */
	if (oldfd == newfd) {
		f = fd_getfile(oldfd);
		if (f == NULL)
			return EBADF;
		fd_putfile(f);
		retval[0] = newfd;
		return 0;
	}
	return dodup3(oldfd, newfd, false, retval);
}

int
sys_dup3(struct lwp *l, const struct sys_dup3_args *uap, register_t *retval)
{
	int flags = SCARG(uap, flags);

	if ((flags & ~O_CLOEXEC) != 0)
		return EINVAL;
	if (SCARG(uap, oldfd) == SCARG(uap, newfd))
		return EINVAL;
	return dodup3(SCARG(uap, oldfd), SCARG(uap, newfd),
	    (flags & O_CLOEXEC) != 0, retval);
}

/*
 * Replace the bits of f_flag in mask by those of bits, after the file
 * type accepted the new value.  Two concurrent changes of one file may
 * both call fo_setflags before either stores; the later store wins.
 */
static int
file_setflags(struct file *f, int mask, int bits)
{
	int fflag, error;

	fflag = (file_getflags(f) & ~mask) | (bits & mask);
	error = f->f_ops->fo_setflags(f, fflag);
	if (error)
		return error;
	mutex_enter(&f->f_lock);
	f->f_flag = (f->f_flag & ~mask) | (bits & mask);
	mutex_exit(&f->f_lock);
	return 0;
}

/* F_GETFL: the open flags as Linux reports them. */
static int
fcntl_getfl(struct file *f)
{
	int oflags;

	oflags = OFLAGS(file_getflags(f)) & ~FD_GETFL_HIDDEN;
	/* Linux opens every file of a 64-bit program with O_LARGEFILE. */
	if (f->f_type == DTYPE_VNODE && (oflags & O_PATH) == 0)
		oflags |= O_LARGEFILE;
	return oflags;
}

/* F_GETLK, F_SETLK, F_SETLKW and their open-file-description forms. */
static int
fcntl_lock(struct lwp *l, struct file *f, int cmd, void *uarg)
{
	struct flock fl;
	bool ofd, posix_set;
	void *owner;
	int error, op;

	ofd = cmd == F_OFD_GETLK || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
	error = copyin(uarg, &fl, sizeof(fl));
	if (error)
		return error;
	if (fl.l_whence != SEEK_SET && fl.l_whence != SEEK_CUR &&
	    fl.l_whence != SEEK_END)
		return EINVAL;

	switch (cmd) {
	case F_GETLK:
	case F_OFD_GETLK:
		if (fl.l_type != F_RDLCK && fl.l_type != F_WRLCK)
			return EINVAL;
		op = FADV_GETLK;
		break;
	default:
		switch (fl.l_type) {
		case F_RDLCK:
			if ((f->f_flag & FREAD) == 0)
				return EBADF;
			op = FADV_SETLK;
			break;
		case F_WRLCK:
			if ((f->f_flag & FWRITE) == 0)
				return EBADF;
			op = FADV_SETLK;
			break;
		case F_UNLCK:
			op = FADV_UNLK;
			break;
		default:
			return EINVAL;
		}
		if (op == FADV_SETLK && (cmd == F_SETLKW || cmd == F_OFD_SETLKW))
			op |= FADV_WAIT;
		break;
	}
	if (ofd)
		op |= FADV_OFD;

	if (f->f_ops->fo_advlock == NULL)
		return EINVAL;

	/* Closes must release POSIX locks from now on: see fd_closefile. */
	posix_set = !ofd && (op & ~FADV_WAIT) == FADV_SETLK;
	if (posix_set) {
		atomic_store_relaxed(&l->l_proc->p_fd->fd_posixlocks, 1);
		membar_sync();
	}

	owner = ofd ? (void *)f : (void *)l->l_proc;
	error = f->f_ops->fo_advlock(f, op, &fl, owner);
	if (error == 0 && (op & ~FADV_OFD) == FADV_GETLK)
		error = copyout(&fl, uarg, sizeof(fl));
	return error;
}

/* True when f is a pipe end or an open FIFO. */
static bool
file_is_pipe(struct file *f)
{
	struct vnode *vp;

	if (f->f_type == DTYPE_PIPE)
		return true;
	if (f->f_type != DTYPE_VNODE)
		return false;
	vp = f->f_data;
	return vp->v_type == VFIFO;
}

/* F_GETPIPE_SZ and F_SETPIPE_SZ, through the pipe's private ioctls. */
static int
fcntl_pipesize(struct file *f, int cmd, u_int arg, register_t *retval)
{
	u_int size = arg;
	int error;

	if (!file_is_pipe(f) || f->f_ops->fo_ioctl == NULL)
		return EBADF;
	error = f->f_ops->fo_ioctl(f, cmd == F_GETPIPE_SZ ? PIPEIOC_GETSIZE :
	    PIPEIOC_SETSIZE, &size);
	if (error == 0)
		retval[0] = size;
	return error;
}

/* The commands that Linux allows on an O_PATH descriptor. */
static bool
fcntl_path_ok(int cmd)
{

	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
	case F_GETFD:
	case F_SETFD:
	case F_GETFL:
		return true;
	default:
		return false;
	}
}

int
sys_fcntl(struct lwp *l, const struct sys_fcntl_args *uap, register_t *retval)
{
	int fd = SCARG(uap, fd), cmd = SCARG(uap, cmd);
	long arg = SCARG(uap, arg);
	struct file *f;
	bool cloexec;
	int error = 0, newfd;

	f = fd_getfile(fd);
	if (f == NULL)
		return EBADF;
	if ((f->f_flag & O_PATH) != 0 && !fcntl_path_ok(cmd)) {
		error = EBADF;
		goto out;
	}

	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		/* Linux takes the argument as an unsigned int. */
		if ((u_int)arg >= (u_int)l->l_proc->p_fd->fd_maxfiles) {
			error = EINVAL;
			break;
		}
		error = fd_dup(f, (int)(u_int)arg, &newfd,
		    cmd == F_DUPFD_CLOEXEC);
		if (error == 0)
			retval[0] = newfd;
		break;
	case F_GETFD:
		error = fd_getcloexec(fd, &cloexec);
		if (error == 0)
			retval[0] = cloexec ? FD_CLOEXEC : 0;
		break;
	case F_SETFD:
		error = fd_setcloexec(fd, (arg & FD_CLOEXEC) != 0);
		break;
	case F_GETFL:
		retval[0] = fcntl_getfl(f);
		break;
	case F_SETFL:
		error = file_setflags(f, FCNTLFLAGS, (int)arg);
		break;
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_GETLK:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
		error = fcntl_lock(l, f, cmd, (void *)arg);
		break;
	case F_GETPIPE_SZ:
	case F_SETPIPE_SZ:
		error = fcntl_pipesize(f, cmd, (u_int)arg, retval);
		break;
	default:
		/*
		 * NOTE: F_GETOWN, F_SETOWN, F_GETSIG, F_SETSIG and the lease
		 * commands fail here, although Linux accepts them: there is
		 * no SIGIO delivery and no lease support yet.
		 */
		error = EINVAL;
		break;
	}
 out:
	fd_putfile(f);
	return error;
}

int
sys_flock(struct lwp *l, const struct sys_flock_args *uap, register_t *retval)
{
	int operation = SCARG(uap, operation);
	struct flock fl;
	struct file *f;
	int error, op, type;

	switch (operation & ~LOCK_NB) {
	case LOCK_SH:
		type = F_RDLCK;
		break;
	case LOCK_EX:
		type = F_WRLCK;
		break;
	case LOCK_UN:
		type = F_UNLCK;
		break;
	default:
		return EINVAL;
	}

	f = fd_getfile(SCARG(uap, fd));
	if (f == NULL)
		return EBADF;
	error = EBADF;
	if ((f->f_flag & O_PATH) != 0)
		goto out;
	if (type != F_UNLCK && (f->f_flag & (FREAD | FWRITE)) == 0)
		goto out;
	error = EINVAL;
	if (f->f_ops->fo_advlock == NULL)
		goto out;

	memset(&fl, 0, sizeof(fl));
	fl.l_type = type;
	fl.l_whence = SEEK_SET;
	op = FADV_FLOCK | (type == F_UNLCK ? FADV_UNLK : FADV_SETLK);
	if (type != F_UNLCK && (operation & LOCK_NB) == 0)
		op |= FADV_WAIT;
	error = f->f_ops->fo_advlock(f, op, &fl, f);
 out:
	fd_putfile(f);
	return error;
}

int
sys_fstat(struct lwp *l, const struct sys_fstat_args *uap, register_t *retval)
{
	struct stat st;
	struct file *f;
	int error;

	f = fd_getfile(SCARG(uap, fd));
	if (f == NULL)
		return EBADF;
	memset(&st, 0, sizeof(st));
	if (f->f_ops->fo_stat == NULL)
		error = EOPNOTSUPP;
	else
		error = f->f_ops->fo_stat(f, &st);
	fd_putfile(f);
	if (error)
		return error;
	return copyout(&st, SCARG(uap, buf), sizeof(st));
}
