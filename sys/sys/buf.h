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

	/* The buffer cache's part (vfs_bio.c); unused by plain requests. */
	struct vnode	*b_vp;		/* device vnode of a cached block */
	int		 b_cflags;	/* BC_*: bufcache lock */
	void		*b_cache;	/* the cache's own bookkeeping */
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


/*
 * The buffer cache (vfs_bio.c).
 *
 * File systems on block devices read and write their blocks through it.
 * A cached block is named by the device vnode (VBLK, opened with
 * vfs_opendev) and its block number in DEV_BSIZE units on that device.
 * File data is cached under the device blocks that bmap gives, so there
 * is exactly one copy of every block.  Buffers of one device must not
 * overlap: a file system reads every block in the same size (its block
 * size), and one that needs a block in another size (the superblock)
 * first throws the old buffer away with brelse(bp, BC_INVAL), or reads it
 * with bio_read, which does not cache.
 *
 * A buffer returned by bread, bread_ahead or getblk is busy: the caller
 * has it alone until it hands it back with exactly one of brelse,
 * bwrite, bawrite or bdwrite.  Another thread asking for the same block
 * meanwhile waits.  b_data holds b_bcount bytes.
 *
 * Writes: bwrite writes now and waits; bawrite starts the write and
 * returns; bdwrite marks the buffer dirty, and the syncer thread writes
 * it after a delay (vfs.bufcache.delay seconds), or bflush does earlier.
 * Dirty buffers that are next to each other on the device are written
 * in one transfer.
 *
 * Size.  The cache holds at most vfs.bufcache.max bytes (sysctl; see the
 * default in vfs_bio.c and rump(3)) and reuses the least recently used
 * clean buffers past it; when too much is dirty, the writer that makes
 * more waits for write-back.
 *
 * Errors.  A failed read returns EIO (or the driver's errno) with *bpp
 * set to NULL and logs the device and block.  A failed delayed write is
 * logged, the buffer stays dirty and the error is returned by the next
 * bflush of that device (so fsync and unmount report it).
 */

/* b_cflags: the cache's state of a buffer. */
#define BC_BUSY		0x0001		/* somebody has it */
#define BC_VALID	0x0002		/* b_data holds the block */
#define BC_DELWRI	0x0004		/* dirty: to be written */
#define BC_INVAL	0x0008		/* brelse: forget the block */
#define BC_NOCACHE	0x0010		/* brelse: do not keep it */

struct vnode;

/*
 * Read size bytes at blkno of devvp; on success *bpp is the busy
 * buffer.  flags: 0 for now.
 */
int	bread(struct vnode *devvp, daddr_t blkno, size_t size, int flags,
	    struct buf **bpp);
/*
 * Read like bread, and also read the next nahead blocks of the same size
 * that follow on the device (blkno + size / DEV_BSIZE, ...) and are not
 * cached.  They are read in as few transfers as possible, so that a
 * sequential reader finds them cached.  The file system passes the run
 * length from bmap.
 */
int	bread_ahead(struct vnode *devvp, daddr_t blkno, size_t size,
	    u_int nahead, struct buf **bpp);
/*
 * Return the busy buffer for blkno without reading it.  BC_VALID is set
 * in b_cflags when it contains the block already.  Otherwise the caller
 * fills all of b_data before writing it.
 */
struct buf *getblk(struct vnode *devvp, daddr_t blkno, size_t size,
	    int flags);
/* Hand back a busy buffer; set: BC_INVAL or BC_NOCACHE, or 0. */
void	brelse(struct buf *, int set);
int	bwrite(struct buf *);
void	bawrite(struct buf *);
void	bdwrite(struct buf *);
/*
 * Write every dirty buffer of devvp; with FSYNC_WAIT wait for the
 * writes and for earlier asynchronous ones.  Returns the first error
 * since the last bflush of the device, also of delayed writes.
 */
int	bflush(struct vnode *devvp, int flags);
/*
 * Forget every buffer of devvp (at unmount, after bflush): dirty ones
 * are dropped unwritten.  No buffer of devvp may be busy.
 */
void	binvalall(struct vnode *devvp);
/* Forget the cached copy of [blkno, blkno + size) if there is one. */
void	binval(struct vnode *devvp, daddr_t blkno, size_t size);
/*
 * Uncached transfer of len bytes (a multiple of DEV_BSIZE) at blkno,
 * waiting for it: for the superblock and other odd-sized reads.
 * Writes through any cached copy of the blocks as well.
 */
int	bio_read(struct vnode *devvp, daddr_t blkno, void *data, size_t len);
int	bio_write(struct vnode *devvp, daddr_t blkno, const void *data,
	    size_t len);
/*
 * Set the cache up: sysctl nodes, syncer thread, memory reclaim hook and
 * the halt hook.  Called once by the VFS faction after vfsinit, so that
 * the halt hook runs before the VFS's, which unmounts the file systems.
 */
void	bufinit(void);

#endif /* _SYS_BUF_H_ */
