/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * poll(2) and select(2): struct pollfd and its event bits, and the
 * descriptor sets of select(2) in Linux's layout, an array of unsigned
 * long words in which descriptor fd is bit (fd % NFDBITS) of word
 * (fd / NFDBITS).  The values are those of Linux's generic headers,
 * which x86-64 and AArch64 both use.
 */

#ifndef _SYS_POLL_H_
#define _SYS_POLL_H_

#include <sys/types.h>

typedef unsigned long nfds_t;

struct pollfd {
	int	fd;		/* negative: the entry is skipped */
	short	events;		/* requested POLL* events */
	short	revents;	/* returned events */
};
__CTASSERT(sizeof(struct pollfd) == 8);

/*
 * Event bits.  POLLERR, POLLHUP and POLLNVAL are returned even when not
 * requested.
 */
#define POLLIN		0x0001		/* data to read */
#define POLLPRI		0x0002		/* urgent data to read */
#define POLLOUT		0x0004		/* writing will not block */
#define POLLERR		0x0008		/* error condition */
#define POLLHUP		0x0010		/* hung up */
#define POLLNVAL	0x0020		/* fd is not an open descriptor */
#define POLLRDNORM	0x0040		/* normal data to read */
#define POLLRDBAND	0x0080		/* priority band data to read */
#define POLLWRNORM	0x0100		/* normal data may be written */
#define POLLWRBAND	0x0200		/* priority band data may be written */
#define POLLMSG		0x0400		/* a message is available (SVR4) */
#define POLLRDHUP	0x2000		/* stream peer closed its write side */

/*
 * select(2) descriptor sets.  A caller's fd_set has FD_SETSIZE bits, but
 * Linux also accepts larger arrays.  select(2) reads and writes
 * FDSET_BYTES(n) bytes of each set, where n is nfds capped at the size of
 * the caller's descriptor table, and FD_SETSIZE plays no part.  A kernel
 * copy of such a set is an array of FDSET_NWORDS(n) fd_mask words,
 * indexed with FDSET_WORD() and FDSET_BIT().
 */
typedef unsigned long fd_mask;

#define FD_SETSIZE	1024
#define NFDBITS		(sizeof(fd_mask) * NBBY)	/* bits per word */

typedef struct {
	fd_mask	fds_bits[FD_SETSIZE / NFDBITS];
} fd_set;
__CTASSERT(sizeof(fd_set) == FD_SETSIZE / NBBY);

#define FDSET_WORD(fd)		((unsigned)(fd) / NFDBITS)
#define FDSET_BIT(fd)		((fd_mask)1 << ((unsigned)(fd) % NFDBITS))
#define FDSET_NWORDS(nfds)	(((size_t)(nfds) + NFDBITS - 1) / NFDBITS)
#define FDSET_BYTES(nfds)	(FDSET_NWORDS(nfds) * sizeof(fd_mask))

/* The usual operations, on an fd_set of FD_SETSIZE bits. */
#define FD_SET(fd, set)	((set)->fds_bits[FDSET_WORD(fd)] |= FDSET_BIT(fd))
#define FD_CLR(fd, set)	((set)->fds_bits[FDSET_WORD(fd)] &= ~FDSET_BIT(fd))
#define FD_ISSET(fd, set)						\
	(((set)->fds_bits[FDSET_WORD(fd)] & FDSET_BIT(fd)) != 0)
#define FD_ZERO(set)	__builtin_memset((set), 0, sizeof(fd_set))

#endif /* _SYS_POLL_H_ */
