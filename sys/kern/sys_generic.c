/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Generic I/O on descriptors of any type: read, write, pread, pwrite,
 * readv, writev, preadv, pwritev and ioctl.  Each call finds the file,
 * applies the checks that Linux applies before the file type sees the
 * request, and hands the rest to the type's fileops.
 *
 * The order of the checks is Linux's, because it decides which errno a
 * caller sees when several apply (Linux 6.18, checked on the host):
 * a negative pread offset (EINVAL) before the descriptor (EBADF); an
 * O_PATH descriptor counts as not open (EBADF); pread on a pipe, FIFO or
 * socket is ESPIPE before the open mode is looked at; a descriptor not
 * open for reading or writing is EBADF; readv's vector is checked after
 * all that (EINVAL for more than UIO_MAXIOV entries or a length above
 * SSIZE_MAX, EFAULT) and a vector of 0 bytes returns 0 at once.  A read
 * or write of 0 bytes still reaches the file type, because some answer
 * it with an error (a directory: EISDIR).  One call moves at most
 * RW_MAX bytes, and when some bytes moved their count is returned even
 * if the file type then failed.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/filio.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/pipe.h>
#include <sys/proc.h>
#include <sys/syscallargs.h>
#include <sys/uio.h>
#include <sys/vnode.h>

/* Linux's MAX_RW_COUNT: INT_MAX rounded down to a page. */
#define RW_MAX		((size_t)(INT_MAX & ~PAGE_MASK))

/* iovec arrays up to this length are copied to the stack. */
#define IOV_ONSTACK	8

/* ioctl arguments up to this size are copied to the stack. */
#define IOCTL_ONSTACK	128

/* fd's file for I/O: an O_PATH descriptor counts as not open. */
static struct file *
fd_getfile_io(int fd)
{
	struct file *f;

	f = fd_getfile(fd);
	if (f != NULL && (f->f_flag & O_PATH) != 0) {
		fd_putfile(f);
		return NULL;
	}
	return f;
}

/* True for files without a position: pipes, FIFOs and sockets. */
static bool
file_is_stream(struct file *f)
{
	struct vnode *vp;

	switch (f->f_type) {
	case DTYPE_PIPE:
	case DTYPE_SOCKET:
		return true;
	case DTYPE_VNODE:
		vp = f->f_data;
		return vp->v_type == VFIFO;
	default:
		return false;
	}
}

/*
 * True when I/O at the file offset holds f_poslock: Linux serialises it
 * for regular files and directories only.  Other files (devices) use
 * f_offset without the lock, and a pipe's offset means nothing.
 */
static bool
file_locks_offset(struct file *f)
{
	struct vnode *vp;

	if (f->f_type != DTYPE_VNODE)
		return false;
	vp = f->f_data;
	return vp->v_type == VREG || vp->v_type == VDIR;
}

/*
 * Copy in a caller's iovec array of iovcnt entries.  *iovp is iovstack
 * when the array fits there, else memory to give back with iov_free.
 * The total is capped at RW_MAX by shortening the entries, as Linux does.
 */
static int
iov_import(const struct iovec *uiov, int iovcnt, struct iovec *iovstack,
    struct iovec **iovp, size_t *totalp)
{
	struct iovec *iov;
	size_t total = 0;
	int error, i;

	if ((u_int)iovcnt > UIO_MAXIOV)
		return EINVAL;
	iov = iovstack;
	if (iovcnt > IOV_ONSTACK)
		iov = kmem_alloc(iovcnt * sizeof(*iov), KM_SLEEP);
	error = copyin(uiov, iov, iovcnt * sizeof(*iov));
	if (error)
		goto fail;
	for (i = 0; i < iovcnt; i++) {
		if ((ssize_t)iov[i].iov_len < 0) {
			error = EINVAL;
			goto fail;
		}
		if (iov[i].iov_len > RW_MAX - total)
			iov[i].iov_len = RW_MAX - total;
		total += iov[i].iov_len;
	}
	*iovp = iov;
	*totalp = total;
	return 0;

 fail:
	if (iov != iovstack)
		kmem_free(iov, iovcnt * sizeof(*iov));
	return error;
}

static void
iov_free(struct iovec *iov, int iovcnt, struct iovec *iovstack)
{

	if (iov != iovstack)
		kmem_free(iov, iovcnt * sizeof(*iov));
}

/* The request of one read or write call, before the file is looked at. */
struct rwreq {
	enum uio_rw	 rw_dir;	/* UIO_READ: read calls */
	void		*rw_buf;	/* read, write: the buffer */
	size_t		 rw_count;	/* read, write: its size */
	const struct iovec *rw_uiov;	/* the vector calls: the iovecs */
	int		 rw_iovcnt;	/* and their number */
	bool		 rw_vector;	/* readv, writev, preadv, pwritev */
	bool		 rw_positioned;	/* pread, pwrite, preadv, pwritev */
	off_t		 rw_offset;	/* the positioned calls' offset */
};

/* Run the request through fo_read or fo_write. */
static int
rw_transfer(struct file *f, struct uio *uio, const struct rwreq *rq)
{
	off_t offset;
	int error;

	if (rq->rw_positioned) {
		offset = rq->rw_offset;
		if (uio->uio_resid > (size_t)(INT64_MAX - offset))
			return EINVAL;
		return rq->rw_dir == UIO_READ ?
		    f->f_ops->fo_read(f, &offset, uio, f->f_cred, 0) :
		    f->f_ops->fo_write(f, &offset, uio, f->f_cred, 0);
	}
	if (!file_locks_offset(f)) {
		return rq->rw_dir == UIO_READ ?
		    f->f_ops->fo_read(f, &f->f_offset, uio, f->f_cred,
		    FOF_UPDATE_OFFSET) :
		    f->f_ops->fo_write(f, &f->f_offset, uio, f->f_cred,
		    FOF_UPDATE_OFFSET);
	}

	mutex_enter(&f->f_poslock);
	if (uio->uio_resid > (size_t)(INT64_MAX - f->f_offset))
		error = EINVAL;
	else if (rq->rw_dir == UIO_READ)
		error = f->f_ops->fo_read(f, &f->f_offset, uio, f->f_cred,
		    FOF_UPDATE_OFFSET);
	else
		error = f->f_ops->fo_write(f, &f->f_offset, uio, f->f_cred,
		    FOF_UPDATE_OFFSET);
	mutex_exit(&f->f_poslock);
	return error;
}

/* The common part of the eight read and write calls. */
static int
dofilerw(int fd, const struct rwreq *rq, register_t *retval)
{
	struct iovec iovstack[IOV_ONSTACK], *iov = iovstack;
	struct uio uio;
	struct file *f;
	size_t count;
	int error, iovcnt = 1, mode;

	f = fd_getfile_io(fd);
	if (f == NULL)
		return EBADF;
	if (rq->rw_positioned && file_is_stream(f)) {
		error = ESPIPE;
		goto out;
	}
	mode = rq->rw_dir == UIO_READ ? FREAD : FWRITE;
	if ((f->f_flag & mode) == 0) {
		error = EBADF;
		goto out;
	}
	if (rq->rw_dir == UIO_READ ? f->f_ops->fo_read == NULL :
	    f->f_ops->fo_write == NULL) {
		error = EINVAL;
		goto out;
	}

	if (rq->rw_vector) {
		iovcnt = rq->rw_iovcnt;
		error = iov_import(rq->rw_uiov, iovcnt, iovstack, &iov, &count);
		if (error)
			goto out;
		if (count == 0) {
			retval[0] = 0;
			goto free_iov;
		}
	} else {
		count = MIN(rq->rw_count, RW_MAX);
		iov[0].iov_base = rq->rw_buf;
		iov[0].iov_len = count;
	}

	uio.uio_iov = iov;
	uio.uio_iovcnt = iovcnt;
	uio.uio_offset = 0;
	uio.uio_resid = count;
	uio.uio_rw = rq->rw_dir;
	uio.uio_segflg = UIO_USERSPACE;
	error = rw_transfer(f, &uio, rq);

	/* Bytes that moved are reported, whatever went wrong after. */
	if (uio.uio_resid < count) {
		error = 0;
		retval[0] = count - uio.uio_resid;
	} else if (error == 0)
		retval[0] = 0;
 free_iov:
	if (rq->rw_vector)
		iov_free(iov, iovcnt, iovstack);
 out:
	fd_putfile(f);
	return error;
}

int
sys_read(struct lwp *l, const struct sys_read_args *uap, register_t *retval)
{
	struct rwreq rq = {
		.rw_dir = UIO_READ,
		.rw_buf = SCARG(uap, buf),
		.rw_count = SCARG(uap, count),
	};

	return dofilerw(SCARG(uap, fd), &rq, retval);
}

int
sys_write(struct lwp *l, const struct sys_write_args *uap, register_t *retval)
{
	struct rwreq rq = {
		.rw_dir = UIO_WRITE,
		.rw_buf = (void *)(uintptr_t)SCARG(uap, buf),
		.rw_count = SCARG(uap, count),
	};

	return dofilerw(SCARG(uap, fd), &rq, retval);
}

int
sys_pread(struct lwp *l, const struct sys_pread_args *uap, register_t *retval)
{
	struct rwreq rq = {
		.rw_dir = UIO_READ,
		.rw_buf = SCARG(uap, buf),
		.rw_count = SCARG(uap, count),
		.rw_positioned = true,
		.rw_offset = SCARG(uap, offset),
	};

	if (rq.rw_offset < 0)
		return EINVAL;
	return dofilerw(SCARG(uap, fd), &rq, retval);
}

int
sys_pwrite(struct lwp *l, const struct sys_pwrite_args *uap,
    register_t *retval)
{
	struct rwreq rq = {
		.rw_dir = UIO_WRITE,
		.rw_buf = (void *)(uintptr_t)SCARG(uap, buf),
		.rw_count = SCARG(uap, count),
		.rw_positioned = true,
		.rw_offset = SCARG(uap, offset),
	};

	if (rq.rw_offset < 0)
		return EINVAL;
	return dofilerw(SCARG(uap, fd), &rq, retval);
}

int
sys_readv(struct lwp *l, const struct sys_readv_args *uap, register_t *retval)
{
	struct rwreq rq = {
		.rw_dir = UIO_READ,
		.rw_uiov = SCARG(uap, iov),
		.rw_iovcnt = SCARG(uap, iovcnt),
		.rw_vector = true,
	};

	return dofilerw(SCARG(uap, fd), &rq, retval);
}

int
sys_writev(struct lwp *l, const struct sys_writev_args *uap,
    register_t *retval)
{
	struct rwreq rq = {
		.rw_dir = UIO_WRITE,
		.rw_uiov = SCARG(uap, iov),
		.rw_iovcnt = SCARG(uap, iovcnt),
		.rw_vector = true,
	};

	return dofilerw(SCARG(uap, fd), &rq, retval);
}

int
sys_preadv(struct lwp *l, const struct sys_preadv_args *uap,
    register_t *retval)
{
	struct rwreq rq = {
		.rw_dir = UIO_READ,
		.rw_uiov = SCARG(uap, iov),
		.rw_iovcnt = SCARG(uap, iovcnt),
		.rw_vector = true,
		.rw_positioned = true,
		.rw_offset = SCARG(uap, offset),
	};

	if (rq.rw_offset < 0)
		return EINVAL;
	return dofilerw(SCARG(uap, fd), &rq, retval);
}

int
sys_pwritev(struct lwp *l, const struct sys_pwritev_args *uap,
    register_t *retval)
{
	struct rwreq rq = {
		.rw_dir = UIO_WRITE,
		.rw_uiov = SCARG(uap, iov),
		.rw_iovcnt = SCARG(uap, iovcnt),
		.rw_vector = true,
		.rw_positioned = true,
		.rw_offset = SCARG(uap, offset),
	};

	if (rq.rw_offset < 0)
		return EINVAL;
	return dofilerw(SCARG(uap, fd), &rq, retval);
}

/*
 * True when f can signal with O_ASYNC, so that FIOASYNC may change it.
 * Linux fails FIOASYNC with ENOTTY on files without a fasync method:
 * regular files, directories and most devices.
 */
static bool
file_has_async(struct file *f)
{
	struct vnode *vp;

	switch (f->f_type) {
	case DTYPE_PIPE:
	case DTYPE_SOCKET:
		return true;
	case DTYPE_VNODE:
		vp = f->f_data;
		return vp->v_type == VFIFO;
	default:
		return false;
	}
}

/* FIONBIO and FIOASYNC: set flag for a nonzero int argument, else clear it. */
static int
ioctl_setflag(struct file *f, void *uarg, int flag)
{
	int on, error, fflag;

	error = copyin(uarg, &on, sizeof(on));
	if (error)
		return error;
	fflag = file_getflags(f);
	if (flag == O_ASYNC && ((fflag & O_ASYNC) != 0) != (on != 0) &&
	    !file_has_async(f))
		return ENOTTY;
	/* NOTE: O_ASYNC is recorded, but no SIGIO is ever sent. */
	fflag = on ? (fflag | flag) : (fflag & ~flag);
	error = f->f_ops->fo_setflags(f, fflag);
	if (error)
		return error;
	mutex_enter(&f->f_lock);
	f->f_flag = on ? (f->f_flag | flag) : (f->f_flag & ~flag);
	mutex_exit(&f->f_lock);
	return 0;
}

/*
 * Pass a request to the file type with a kernel copy of its argument:
 * sized by the request's encoding, or by the generic table for the
 * requests that predate it.
 */
static int
ioctl_dispatch(struct file *f, u_int cmd, void *uarg)
{
	char stackbuf[IOCTL_ONSTACK] __aligned(8);
	bool in, out;
	size_t size;
	void *buf;
	int error;

	if (f->f_ops->fo_ioctl == NULL)
		return ENOTTY;
	switch (cmd) {
	case FIONREAD:
		size = sizeof(int);
		in = false;
		out = true;
		break;
	case FIOQSIZE:
		size = sizeof(int64_t);
		in = false;
		out = true;
		break;
	default:
		size = _IOC_SIZE(cmd);
		in = (_IOC_DIR(cmd) & _IOC_WRITE) != 0;
		out = (_IOC_DIR(cmd) & _IOC_READ) != 0;
		if (_IOC_DIR(cmd) == _IOC_NONE)
			size = 0;
		break;
	}
	if (size == 0)
		return f->f_ops->fo_ioctl(f, cmd, uarg);

	buf = size <= sizeof(stackbuf) ? stackbuf : kmem_alloc(size, KM_SLEEP);
	if (in)
		error = copyin(uarg, buf, size);
	else {
		memset(buf, 0, size);
		error = 0;
	}
	if (error == 0)
		error = f->f_ops->fo_ioctl(f, cmd, buf);
	if (error == 0 && out)
		error = copyout(buf, uarg, size);
	if (buf != stackbuf)
		kmem_free(buf, size);
	return error;
}

/* Return EBADF when the FICLONE source is not open, else EOPNOTSUPP. */
static int
ioctl_clonesrc(int srcfd)
{
	struct file *src;

	if ((src = fd_getfile(srcfd)) == NULL)
		return EBADF;
	fd_putfile(src);
	return EOPNOTSUPP;
}

int
sys_ioctl(struct lwp *l, const struct sys_ioctl_args *uap, register_t *retval)
{
	/* Linux takes the request as an unsigned int. */
	u_int cmd = (u_int)SCARG(uap, request);
	void *uarg = SCARG(uap, arg);
	struct file *f;
	int error, fd = SCARG(uap, fd);

	f = fd_getfile_io(fd);
	if (f == NULL)
		return EBADF;
	switch (cmd) {
	case FIOCLEX:
		error = fd_setcloexec(fd, true);
		break;
	case FIONCLEX:
		error = fd_setcloexec(fd, false);
		break;
	case FIONBIO:
		error = ioctl_setflag(f, uarg, O_NONBLOCK);
		break;
	case FIOASYNC:
		error = ioctl_setflag(f, uarg, O_ASYNC);
		break;
	case PIPEIOC_GETSIZE:
	case PIPEIOC_SETSIZE:
		/* The kernel's own requests behind F_GETPIPE_SZ. */
		error = ENOTTY;
		break;
	case FICLONE:
		/*
		 * The argument is the source descriptor.  No file system
		 * here shares blocks between files, so a valid source gets
		 * EOPNOTSUPP, which makes cp --reflink=auto copy instead.
		 */
		error = ioctl_clonesrc((int)(intptr_t)uarg);
		break;
	default:
		error = ioctl_dispatch(f, cmd, uarg);
		break;
	}
	fd_putfile(f);
	if (error == 0)
		retval[0] = 0;
	return error;
}
