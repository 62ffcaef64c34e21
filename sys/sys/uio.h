/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Scatter/gather vectors of readv(2), writev(2) and the socket calls,
 * in Linux's layout.
 */

#ifndef _SYS_UIO_H_
#define _SYS_UIO_H_

#include <sys/types.h>

struct iovec {
	void	*iov_base;	/* start of the buffer */
	size_t	iov_len;	/* bytes */
};
__CTASSERT(sizeof(struct iovec) == 16);

/* Maximum vectors in one call; Linux rejects more with EINVAL. */
#define UIO_MAXIOV	1024
#define IOV_MAX		UIO_MAXIOV

/*
 * A transfer between a kernel buffer and a scatter/gather list, which is
 * in the calling process's memory (UIO_USERSPACE: reached with copyin and
 * copyout, so it works for remote clients too) or in the kernel's
 * (UIO_SYSSPACE).  uio_rw says which way the data goes from the point of
 * view of the object: UIO_READ copies from the object into the list,
 * UIO_WRITE from the list into the object.  Each uiomove consumes the
 * front of the list: it advances uio_iov, uio_offset and uio_resid.
 * Whoever builds a uio owns it and its iovec array; nothing is shared.
 */
enum uio_rw { UIO_READ, UIO_WRITE };
enum uio_seg { UIO_USERSPACE, UIO_SYSSPACE };

struct uio {
	struct iovec	*uio_iov;	/* the next vector to use */
	int		 uio_iovcnt;	/* vectors left, from uio_iov */
	off_t		 uio_offset;	/* position in the object */
	size_t		 uio_resid;	/* bytes left to move */
	enum uio_rw	 uio_rw;
	enum uio_seg	 uio_segflg;	/* where the iovec buffers are */
};

/*
 * Move up to n bytes between the kernel buffer buf and uio, in the
 * direction of uio_rw, stopping early when uio_resid runs out.  Returns 0
 * or EFAULT (a bad user address; what was copied before it stays
 * accounted for in the uio).
 */
int	uiomove(void *buf, size_t n, struct uio *);
/*
 * uiomove for an object held in one kernel buffer of buflen bytes: moves
 * the part of buf that starts at uio_offset.  An offset at or past the
 * end moves nothing and returns 0; a negative offset is EINVAL.
 */
int	uiomove_frombuf(void *buf, size_t buflen, struct uio *);
/* Mark uio's buffers as kernel memory (UIO_SYSSPACE). */
void	uio_setup_sysspace(struct uio *);
/*
 * Fill in uio and iov for one kernel buffer of len bytes at offset off:
 * the usual way for kernel code to call vop_read, vop_readlink and
 * vop_readdir on its own buffers.
 */
void	uio_init_kernel(struct uio *, struct iovec *, void *buf, size_t len,
	    off_t off, enum uio_rw);

#endif /* _SYS_UIO_H_ */
