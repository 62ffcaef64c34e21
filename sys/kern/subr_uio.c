/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Moving data between a kernel buffer and a struct uio (sys/uio.h).
 *
 * The I/O paths of every object type (vnodes, pipes, sockets) produce or
 * consume data in kernel buffers and hand it to the caller's scatter/gather
 * list with uiomove.  A uio in user space is reached with copyin and
 * copyout only, so the same code serves local callers and remote clients.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/uio.h>

int
uiomove(void *buf, size_t n, struct uio *uio)
{
	char *cp = buf;
	struct iovec *iov;
	size_t cnt;
	int error;

	KASSERT(uio->uio_rw == UIO_READ || uio->uio_rw == UIO_WRITE);

	while (n > 0 && uio->uio_resid > 0) {
		/* Skip empty vectors; uio_resid says when the list ends. */
		KASSERT(uio->uio_iovcnt > 0);
		iov = uio->uio_iov;
		cnt = iov->iov_len;
		if (cnt == 0) {
			uio->uio_iov++;
			uio->uio_iovcnt--;
			continue;
		}
		if (cnt > n)
			cnt = n;
		if (cnt > uio->uio_resid)
			cnt = uio->uio_resid;

		if (uio->uio_segflg == UIO_SYSSPACE) {
			if (uio->uio_rw == UIO_READ)
				memcpy(iov->iov_base, cp, cnt);
			else
				memcpy(cp, iov->iov_base, cnt);
		} else {
			if (uio->uio_rw == UIO_READ)
				error = copyout(cp, iov->iov_base, cnt);
			else
				error = copyin(iov->iov_base, cp, cnt);
			if (error)
				return error;
		}

		iov->iov_base = (char *)iov->iov_base + cnt;
		iov->iov_len -= cnt;
		uio->uio_resid -= cnt;
		uio->uio_offset += cnt;
		cp += cnt;
		n -= cnt;
	}
	return 0;
}

int
uiomove_frombuf(void *buf, size_t buflen, struct uio *uio)
{
	size_t off;

	if (uio->uio_offset < 0)
		return EINVAL;
	off = (size_t)uio->uio_offset;
	if (off >= buflen)
		return 0;
	return uiomove((char *)buf + off, buflen - off, uio);
}

void
uio_setup_sysspace(struct uio *uio)
{

	uio->uio_segflg = UIO_SYSSPACE;
}

void
uio_init_kernel(struct uio *uio, struct iovec *iov, void *buf, size_t len,
    off_t off, enum uio_rw rw)
{

	iov->iov_base = buf;
	iov->iov_len = len;
	uio->uio_iov = iov;
	uio->uio_iovcnt = 1;
	uio->uio_offset = off;
	uio->uio_resid = len;
	uio->uio_rw = rw;
	uio_setup_sysspace(uio);
}
