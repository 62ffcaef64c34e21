/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Block I/O requests.
 *
 * A struct buf describes one transfer between memory and a block device:
 * b_bcount bytes at block b_blkno (in DEV_BSIZE units) of b_dev, in the
 * direction of B_READ.  The requester fills it in and hands it to the
 * driver's d_strategy (sys/conf.h).  When the transfer has ended, the
 * driver sets b_error and b_resid and calls biodone, from any thread.  A
 * synchronous requester then sleeps in biowait; an asynchronous one sets
 * b_iodone, which biodone calls instead of waking anybody.
 *
 * This is only the request; a buffer cache, when there is one, extends
 * it.  Requests are made with getiobuf and freed with putiobuf.
 *
 * Locking: b_lock protects b_done and b_isdone; the other fields belong
 * to the requester until d_strategy is called and to the driver until
 * biodone.
 */

#ifndef _SYS_BUF_H_
#define _SYS_BUF_H_

#include <sys/types.h>
#include <sys/mutex.h>
#include <sys/condvar.h>

/* The unit of block numbers and of block device transfers. */
#ifndef DEV_BSHIFT
#define DEV_BSHIFT	9
#define DEV_BSIZE	(1 << DEV_BSHIFT)
#endif

struct buf {
	int		 b_flags;	/* B_* */
	int		 b_error;	/* errno of the transfer, 0 when none */
	dev_t		 b_dev;		/* device */
	daddr_t		 b_blkno;	/* first block, DEV_BSIZE units */
	void		*b_data;	/* memory of the transfer */
	size_t		 b_bcount;	/* bytes, a multiple of DEV_BSIZE */
	size_t		 b_resid;	/* bytes not transferred */
	void		(*b_iodone)(struct buf *); /* asynchronous completion */
	void		*b_private;	/* the requester's */
	kmutex_t	 b_lock;
	kcondvar_t	 b_done;	/* b_lock: biodone happened */
	bool		 b_isdone;	/* b_lock */
};

/* b_flags */
#define B_READ		0x0001		/* device to memory; else memory to device */
#define B_WRITE		0x0000
#define B_SYNC		0x0002		/* write through to stable storage */
#define B_ASYNC		0x0004		/* biodone calls b_iodone */

struct buf *getiobuf(bool waitok);	/* NULL only when !waitok */
void	putiobuf(struct buf *);
/* Wait for biodone; returns b_error. */
int	biowait(struct buf *);
void	biodone(struct buf *);

#endif /* _SYS_BUF_H_ */
