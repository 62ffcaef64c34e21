/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ioctl(2) request numbers: Linux's encoding of a request and the
 * generic file requests.  x86-64 and AArch64 both use the encoding of
 * Linux's generic headers:
 *
 *	bits 31..30	direction: _IOC_NONE, _IOC_WRITE, _IOC_READ or both
 *	bits 29..16	size of the argument, bytes
 *	bits 15..8	type: a letter or number per driver
 *	bits  7..0	number within the type
 *
 * The direction is seen from the caller: _IOC_WRITE means the kernel
 * reads the argument (copyin), _IOC_READ that it writes it (copyout).
 */

#ifndef _SYS_FILIO_H_
#define _SYS_FILIO_H_

#include <sys/types.h>

#define _IOC_NRBITS	8
#define _IOC_TYPEBITS	8
#define _IOC_SIZEBITS	14
#define _IOC_DIRBITS	2

#define _IOC_NRMASK	((1 << _IOC_NRBITS) - 1)
#define _IOC_TYPEMASK	((1 << _IOC_TYPEBITS) - 1)
#define _IOC_SIZEMASK	((1 << _IOC_SIZEBITS) - 1)
#define _IOC_DIRMASK	((1 << _IOC_DIRBITS) - 1)

#define _IOC_NRSHIFT	0
#define _IOC_TYPESHIFT	(_IOC_NRSHIFT + _IOC_NRBITS)	/* 8 */
#define _IOC_SIZESHIFT	(_IOC_TYPESHIFT + _IOC_TYPEBITS) /* 16 */
#define _IOC_DIRSHIFT	(_IOC_SIZESHIFT + _IOC_SIZEBITS) /* 30 */

#define _IOC_NONE	0U		/* no argument copied */
#define _IOC_WRITE	1U		/* argument copied in */
#define _IOC_READ	2U		/* argument copied out */

#define _IOC(dir, type, nr, size)					\
	(((dir) << _IOC_DIRSHIFT) | ((type) << _IOC_TYPESHIFT) |	\
	    ((nr) << _IOC_NRSHIFT) | ((size) << _IOC_SIZESHIFT))

/* Requests with no argument, and with an argument of type t. */
#define _IO(type, nr)		_IOC(_IOC_NONE, (type), (nr), 0)
#define _IOR(type, nr, t)	_IOC(_IOC_READ, (type), (nr), sizeof(t))
#define _IOW(type, nr, t)	_IOC(_IOC_WRITE, (type), (nr), sizeof(t))
#define _IOWR(type, nr, t)						\
	_IOC(_IOC_READ | _IOC_WRITE, (type), (nr), sizeof(t))

/* The fields of a request. */
#define _IOC_DIR(req)	(((req) >> _IOC_DIRSHIFT) & _IOC_DIRMASK)
#define _IOC_TYPE(req)	(((req) >> _IOC_TYPESHIFT) & _IOC_TYPEMASK)
#define _IOC_NR(req)	(((req) >> _IOC_NRSHIFT) & _IOC_NRMASK)
#define _IOC_SIZE(req)	(((req) >> _IOC_SIZESHIFT) & _IOC_SIZEMASK)

/* The direction and size bits in place, for masking a request. */
#define IOC_IN		(_IOC_WRITE << _IOC_DIRSHIFT)
#define IOC_OUT		(_IOC_READ << _IOC_DIRSHIFT)
#define IOC_INOUT	((_IOC_WRITE | _IOC_READ) << _IOC_DIRSHIFT)
#define IOCSIZE_MASK	(_IOC_SIZEMASK << _IOC_SIZESHIFT)
#define IOCSIZE_SHIFT	(_IOC_SIZESHIFT)

/*
 * Generic file requests.  They predate the encoding above: each is type
 * 'T' with direction and size 0, so the argument size comes from this
 * table, not from the request.
 */
#define FIONREAD	0x541b		/* int *: bytes ready to read */
#define FIONBIO		0x5421		/* const int *: nonzero sets O_NONBLOCK */
#define FIONCLEX	0x5450		/* no argument: clear FD_CLOEXEC */
#define FIOCLEX		0x5451		/* no argument: set FD_CLOEXEC */
#define FIOASYNC	0x5452		/* const int *: nonzero sets O_ASYNC */
#define FIOQSIZE	0x5460		/* int64_t *: size of a file,
					   directory or symlink */

/*
 * The clone request, which shares blocks between files.  FICLONE takes the
 * source descriptor itself as its argument, not a pointer to it.
 */
#define FICLONE		_IOW(0x94, 9, int)

/*
 * The terminal request that isatty(3) makes.  A kernel without terminals
 * fails it with ENOTTY, which isatty(3) takes to mean "not a terminal".
 */
#define TCGETS		0x5401		/* struct termios * */

#endif /* _SYS_FILIO_H_ */
