/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The memory devices and the console, under Linux's device numbers:
 *
 *	1,3	null	reads return end of file; writes are discarded
 *	1,5	zero	reads return zeroes; writes are discarded
 *	1,7	full	reads return zeroes; writes fail with ENOSPC
 *	1,8	random	reads return random bytes from the host's generator;
 *	1,9	urandom	writes are accepted and discarded
 *	5,1	console	writes go to the kernel console; reads return end
 *			of file
 *
 * None of them has a position: a transfer leaves uio_offset where it
 * was, so the file offset stays put, as on Linux where these devices
 * ignore it.  Linux mixes what is written to random and urandom into its
 * pool; here the host's generator cannot be fed, so those bytes are
 * dropped.  None of them blocks, so poll reports them always ready.
 *
 * rumpfs makes the nodes in /dev of the root file system.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/conf.h>
#include <sys/cons.h>
#include <sys/cprng.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include <rump-sys/kern.h>

/* Bytes moved per step of a read or write. */
#define MEMDEV_CHUNK	512

/* Only read transfers use it, so it stays zero. */
static char memdev_zeroes[PAGE_SIZE];

/* Consume the whole of uio, as a write that discards its data. */
static void
memdev_discard(struct uio *uio)
{
	struct iovec *iov;

	while (uio->uio_iovcnt > 0) {
		iov = uio->uio_iov;
		iov->iov_base = (char *)iov->iov_base + iov->iov_len;
		iov->iov_len = 0;
		uio->uio_iov++;
		uio->uio_iovcnt--;
	}
	uio->uio_resid = 0;
}

static int
memdev_read_zeroes(struct uio *uio)
{
	int error = 0;

	while (uio->uio_resid > 0 && error == 0)
		error = uiomove(memdev_zeroes,
		    MIN(uio->uio_resid, sizeof(memdev_zeroes)), uio);
	return error;
}

static int
memdev_read_random(struct uio *uio)
{
	char buf[MEMDEV_CHUNK];
	size_t n;
	int error = 0;

	while (uio->uio_resid > 0 && error == 0) {
		n = MIN(uio->uio_resid, sizeof(buf));
		error = cprng_fill(buf, n);
		if (error == 0)
			error = uiomove(buf, n, uio);
	}
	memset(buf, 0, sizeof(buf));
	return error;
}

static int
memdev_read(dev_t dev, struct uio *uio, int ioflag)
{
	off_t off = uio->uio_offset;
	int error;

	switch (minor(dev)) {
	case MEM_MINOR_NULL:
		error = 0;
		break;
	case MEM_MINOR_ZERO:
	case MEM_MINOR_FULL:
		error = memdev_read_zeroes(uio);
		break;
	case MEM_MINOR_RANDOM:
	case MEM_MINOR_URANDOM:
		error = memdev_read_random(uio);
		break;
	default:
		return ENXIO;
	}
	uio->uio_offset = off;
	return error;
}

static int
memdev_write(dev_t dev, struct uio *uio, int ioflag)
{

	switch (minor(dev)) {
	case MEM_MINOR_NULL:
	case MEM_MINOR_ZERO:
	case MEM_MINOR_RANDOM:
	case MEM_MINOR_URANDOM:
		memdev_discard(uio);
		return 0;
	case MEM_MINOR_FULL:
		return ENOSPC;
	default:
		return ENXIO;
	}
}

static int
memdev_open(dev_t dev, int flag, int devtype, struct lwp *l)
{

	switch (minor(dev)) {
	case MEM_MINOR_NULL:
	case MEM_MINOR_ZERO:
	case MEM_MINOR_FULL:
	case MEM_MINOR_RANDOM:
	case MEM_MINOR_URANDOM:
		return 0;
	default:
		return ENXIO;
	}
}

static const struct cdevsw memdev_cdevsw = {
	.d_open = memdev_open,
	.d_read = memdev_read,
	.d_write = memdev_write,
	.d_flag = D_MPSAFE,
};

static int
console_open(dev_t dev, int flag, int devtype, struct lwp *l)
{

	return minor(dev) == TTYAUX_MINOR_CONSOLE ? 0 : ENXIO;
}

static int
console_read(dev_t dev, struct uio *uio, int ioflag)
{

	return 0;
}

/* Copy the data in and hand it to the console a chunk at a time. */
static int
console_write(dev_t dev, struct uio *uio, int ioflag)
{
	char buf[MEMDEV_CHUNK];
	off_t off = uio->uio_offset;
	size_t n;
	int error = 0;

	while (uio->uio_resid > 0) {
		n = MIN(uio->uio_resid, sizeof(buf));
		error = uiomove(buf, n, uio);
		if (error != 0)
			break;
		cnwrite(buf, n);
	}
	uio->uio_offset = off;
	return error;
}

static const struct cdevsw console_cdevsw = {
	.d_open = console_open,
	.d_read = console_read,
	.d_write = console_write,
	.d_flag = D_MPSAFE,
};

/*
 * Attach early, as a KERN component: the switch needs nothing else, and
 * the root file system may open the devices as soon as it is mounted.
 */
RUMP_COMPONENT(RUMP_COMPONENT_KERN)
{
	int bmajor = -1, cmajor;
	int error;

	cmajor = MEM_MAJOR;
	error = devsw_attach("mem", NULL, &bmajor, &memdev_cdevsw, &cmajor);
	if (error != 0)
		panic("cannot attach the memory devices at major %d: "
		    "error %d", MEM_MAJOR, error);
	cmajor = TTYAUX_MAJOR;
	error = devsw_attach("console", NULL, &bmajor, &console_cdevsw,
	    &cmajor);
	if (error != 0)
		panic("cannot attach the console at major %d: error %d",
		    TTYAUX_MAJOR, error);
}
