/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The buffer cache: blocks of block devices kept in memory for the file
 * systems that live on them.  sys/buf.h states the interface; this is
 * how it works.
 *
 * Buffers.  A cached block is a struct cbuf, whose first member is the
 * struct buf that callers see (b_cache points back to the cbuf).  It is
 * named by (b_vp, b_blkno) and found through one hash table.  Each device
 * vnode that has buffers gets a struct bufdev, which lists the device's
 * buffers and its dirty ones, counts its writes in flight and remembers
 * the first failed delayed write for the next bflush.  A bufdev holds a
 * reference on its vnode until binvalall frees it.
 *
 * States of a buffer (b_cflags and the lists it is on):
 *
 *	busy		BC_BUSY: a caller owns it (between getblk/bread and
 *			brelse/bwrite/bawrite/bdwrite) or a write owns it
 *			(cb_writing).  Others who want it sleep on cb_cv.
 *	clean		not busy, BC_VALID, on the LRU list: may be reused.
 *	dirty		BC_DELWRI, on its device's dirty list in the order
 *			the buffers became dirty; not on the LRU list even
 *			when not busy.  Written by the syncer, bflush or
 *			the dirty limit, or at once by bwrite and bawrite.
 *
 * A buffer that is not busy is always valid, because an invalid one is
 * freed when its owner releases it.  Ownership ends in bufcache_unbusy,
 * and a buffer leaves the cache in bufcache_remove, both under
 * bufcache_lock.  A thread that requests a block it has busy already
 * gets EDEADLK from bread (a panic from getblk) instead of waiting for
 * itself forever.
 *
 * Writing.  Dirty buffers of a device are written by bufcache_flushdev.
 * It takes the device's dirty buffers that are not busy, marks them busy
 * for the write, sorts them by block number and writes each run of
 * adjacent blocks, up to BUF_MAXCLUSTER bytes, in one transfer through a
 * bounce buffer.  At most BUF_MAXWRITES transfers are in flight at once.
 * The completion (bufcache_writedone, on the driver's thread) marks the
 * buffers clean, or after an error dirty again with the error remembered
 * for the device, and releases them.
 *
 * Reading.  bread reads one buffer.  bread_ahead also makes buffers for
 * the following uncached blocks of the run the file system gives and
 * reads them all in one transfer.  The first block after the one asked
 * for gets cb_trigger: when a reader reaches it, the next uncached blocks
 * of the run are read asynchronously (bufcache_readahead), and the first
 * of those carries the trigger on.  So a sequential reader copies one
 * cluster while the next is being read.  Buffers being read ahead are
 * busy, owned by the transfer, and a reader that gets there first waits.
 *
 * Size.  bufcache_bytes counts the data of all buffers.  When it passes
 * vfs.bufcache.max, the least recently used clean buffers are reused for
 * new blocks of their size, or freed.  Dirty data is limited too.  Once a
 * quarter of the maximum is dirty and not being written, a bdwrite writes
 * its device's dirty buffers, and past half of it the writer waits for
 * writes to end.  Under memory pressure the kmem reclaim hook frees clean
 * buffers.
 *
 * The syncer thread wakes every second and writes the dirty buffers of
 * each device whose oldest dirty buffer has waited vfs.bufcache.delay
 * seconds (default BUF_DELAY_DEFAULT).  Without kernel threads
 * (RUMP_THREADS=0) dirty buffers wait for bflush, sync or the dirty
 * limit.  At halt a shutdown hook, which runs before the VFS unmounts
 * the file systems, writes every dirty buffer and stops the thread; the
 * unmounts then write what the file systems dirty last with bflush.
 *
 * Locking.  bufcache_lock protects the hash table, the lists, every
 * cbuf's lists, b_cflags and cb_* fields, every bufdev, and the counters.
 * A buffer's b_data, block and cb_trigger belong to whoever has it busy.  The lock
 * is never held across I/O, memory allocation or a call to a driver.  It
 * is taken in the completion of transfers and by the kmem reclaim hook,
 * so no allocation may be made under it.  Lock order: vnode locks, then
 * bufcache_lock, then v_interlock (vref of a device).
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/buf.h>
#include <sys/condvar.h>
#include <sys/conf.h>
#include <sys/kmem.h>
#include <sys/kthread.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/queue.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/sysctl.h>
#include <sys/time.h>
#include <sys/vnode.h>

/* Largest transfer that clustering makes, in bytes. */
#define BUF_MAXCLUSTER		(1024 * 1024)
/* Clustered writes in flight at once, over all devices. */
#define BUF_MAXWRITES		8
/* Default of vfs.bufcache.delay, seconds. */
#define BUF_DELAY_DEFAULT	5
/*
 * Bounds of the default of vfs.bufcache.max.  The cap is low because a
 * bigger cache makes streaming writes slower, not faster: each new buffer
 * is memory the host must fault in and clear, while a full cache reuses
 * memory.  Writing 256 MiB to ext2 on tmpfs took about 40% more CPU time
 * with a 256 MiB cache than with a 64 MiB one (an estimate from a few
 * runs on a loaded 2-core machine).
 */
#define BUF_MAX_MIN		(4ULL * 1024 * 1024)
#define BUF_MAX_CAP		(64ULL * 1024 * 1024)
/* Hash buckets: one per this many bytes of the default maximum. */
#define BUF_HASHBYTES		4096
/* Bounce buffers of BUF_MAXCLUSTER bytes kept for reuse. */
#define BUF_NBOUNCE		(BUF_MAXWRITES + 2)
/* Distinct buffer sizes a device remembers for overlap searches. */
#define BUF_NSIZES		4

struct bufdev;

struct cbuf {
	struct buf	 cb_buf;	/* first: what callers see */
	LIST_ENTRY(cbuf) cb_hash;	/* hash chain */
	TAILQ_ENTRY(cbuf) cb_lru;	/* bufcache_lru: clean, not busy */
	TAILQ_ENTRY(cbuf) cb_dirtyq;	/* bd_dirty: dirty, not being written */
	TAILQ_ENTRY(cbuf) cb_devq;	/* bd_bufs: every buffer */
	struct bufdev	*cb_dev;	/* set when it enters the cache */
	uint64_t	 cb_dirtied;	/* uptime_ns when it became dirty */
	kcondvar_t	 cb_cv;		/* waiters for BC_BUSY to clear */
	u_int		 cb_nwaiters;
	struct lwp	*cb_owner;	/* the caller that has it busy, or NULL */
	bool		 cb_writing;	/* busy for a write */
	bool		 cb_onlru;
	bool		 cb_ondirtyq;
	bool		 cb_gone;	/* removed; the last waiter frees it */
	bool		 cb_trigger;	/* owner's: starts the next read-ahead */
};
#define CBUF(bp)	((struct cbuf *)(bp)->b_cache)
TAILQ_HEAD(cbuflist, cbuf);

struct bufdev {
	struct vnode	*bd_vp;		/* fixed; referenced */
	dev_t		 bd_dev;	/* fixed: bd_vp->v_rdev */
	LIST_ENTRY(bufdev) bd_entries;	/* bufcache_devs */
	struct cbuflist	 bd_bufs;
	struct cbuflist	 bd_dirty;	/* oldest first; not being written */
	u_int		 bd_nbufs;
	u_int		 bd_ndirty;
	u_int		 bd_nwriting;	/* writes in flight */
	u_int		 bd_nreading;	/* read-ahead transfers in flight */
	u_int		 bd_holds;	/* threads working on it unlocked */
	int		 bd_error;	/* first failed delayed write */
	u_int		 bd_sizes[BUF_NSIZES]; /* buffer sizes seen, sectors */
	bool		 bd_manysizes;	/* more sizes than bd_sizes holds */
	u_int		 bd_syncpass;	/* last syncer pass that wrote it */
};

/* One transfer of a run of buffers. */
struct bufcluster {
	struct bufdev	*bc_dev;
	char		*bc_bounce;	/* NULL when one buffer: its b_data */
	size_t		 bc_len;
	u_int		 bc_nbufs;
	struct cbuf	*bc_bufs[];
};

static kmutex_t bufcache_lock;
static kcondvar_t bufcache_iocv;	/* a transfer ended; dirty shrank */
static LIST_HEAD(, cbuf) *bufcache_hash;
static u_int bufcache_hashmask;		/* fixed at boot: buckets - 1 */
static void *bufcache_bounces[BUF_NBOUNCE]; /* free bounce buffers */
static u_int bufcache_nbounces;
static struct cbuflist bufcache_lru = TAILQ_HEAD_INITIALIZER(bufcache_lru);
static LIST_HEAD(, bufdev) bufcache_devs =
    LIST_HEAD_INITIALIZER(bufcache_devs);
static uint64_t bufcache_bytes;		/* data of all buffers */
static uint64_t bufcache_dirtybytes;	/* data of BC_DELWRI buffers */
static uint64_t bufcache_writingbytes;	/* of those, being written */
static u_int bufcache_nwriting;		/* clustered writes in flight */
static u_int bufcache_nreading;		/* read-ahead transfers in flight */
static uint64_t bufcache_max;		/* vfs.bufcache.max */
static int bufcache_delay = BUF_DELAY_DEFAULT; /* vfs.bufcache.delay */
static uint64_t bufcache_hits, bufcache_misses;	/* statistics */
static uint64_t bufcache_readbytes, bufcache_writebytes; /* atomic */
static uint64_t bufcache_nreads, bufcache_nwrites;	/* atomic */

static struct lwp *bufcache_syncer_lwp;
static kcondvar_t bufcache_syncer_cv;
static bool bufcache_exiting;
static bool bufcache_initialized;
static struct kmem_reclaimer bufcache_reclaimer;

/* Rate limit of error lines: at most BUF_LOGBURST per second. */
#define BUF_LOGBURST	10
static uint64_t bufcache_logsec;
static u_int bufcache_lognum, bufcache_logdropped;

static void bufcache_flushdev(struct bufdev *, bool);
static void bufcache_free(struct cbuf *);
static void bufcache_markclean(struct cbuf *);
static void bufcache_bounce_put(void *);

/*
 * Error log, rate-limited because a failing device can produce an error
 * for every block.
 */
static void
bufcache_log(const char *what, struct bufdev *bd, daddr_t blkno,
    size_t len, int error)
{
	uint64_t sec = uptime_ns() / NSEC_PER_SEC;
	u_int dropped = 0;
	bool print;

	mutex_enter(&bufcache_lock);
	if (sec != bufcache_logsec) {
		bufcache_logsec = sec;
		dropped = bufcache_logdropped;
		bufcache_lognum = 0;
		bufcache_logdropped = 0;
	}
	print = bufcache_lognum++ < BUF_LOGBURST;
	if (!print)
		bufcache_logdropped++;
	mutex_exit(&bufcache_lock);

	if (dropped > 0)
		log(LOG_ERR, "bufcache: %u error messages suppressed\n",
		    dropped);
	if (print)
		log(LOG_ERR, "bufcache: %s error %d on device %u,%u at block "
		    "%llu (%zu bytes)\n", what, error,
		    (u_int)major(bd->bd_dev), (u_int)minor(bd->bd_dev),
		    (unsigned long long)blkno, len);
}

/*
 * Devices and the hash table.
 */

static u_int
bufcache_hashidx(const struct vnode *vp, daddr_t blkno)
{
	uint64_t h;

	h = ((uint64_t)(uintptr_t)vp >> 6) ^ blkno;
	h *= 0x9e3779b97f4a7c15ULL;
	return (u_int)(h >> 32) & bufcache_hashmask;
}

static struct cbuf *
bufcache_lookup(const struct vnode *vp, daddr_t blkno)
{
	struct cbuf *cb;

	KASSERT(mutex_owned(&bufcache_lock));
	LIST_FOREACH(cb, &bufcache_hash[bufcache_hashidx(vp, blkno)],
	    cb_hash) {
		if (cb->cb_buf.b_blkno == blkno && cb->cb_buf.b_vp == vp)
			return cb;
	}
	return NULL;
}

static struct bufdev *
bufcache_findvp(const struct vnode *vp)
{
	struct bufdev *bd;

	KASSERT(mutex_owned(&bufcache_lock));
	LIST_FOREACH(bd, &bufcache_devs, bd_entries) {
		if (bd->bd_vp == vp)
			return bd;
	}
	return NULL;
}

static void
bufcache_notesize(struct bufdev *bd, size_t size)
{
	u_int n = (u_int)(size / DEV_BSIZE);
	int i;

	for (i = 0; i < BUF_NSIZES; i++) {
		if (bd->bd_sizes[i] == n)
			return;
		if (bd->bd_sizes[i] == 0) {
			bd->bd_sizes[i] = n;
			return;
		}
	}
	bd->bd_manysizes = true;
}

/*
 * Make a buffer that is not busy busy for the caller, taking it off the
 * LRU list if it is clean.
 */
static void
bufcache_takebusy(struct cbuf *cb)
{

	KASSERT(mutex_owned(&bufcache_lock));
	KASSERT((cb->cb_buf.b_cflags & BC_BUSY) == 0);
	if (cb->cb_onlru) {
		TAILQ_REMOVE(&bufcache_lru, cb, cb_lru);
		cb->cb_onlru = false;
	}
	cb->cb_buf.b_cflags |= BC_BUSY;
}

/*
 * Wait for cb to stop being busy.  The caller looks it up again after,
 * because it may have been removed meanwhile: then the last waiter to
 * leave frees it, dropping and retaking the lock.
 */
static void
bufcache_waitbusy(struct cbuf *cb)
{

	KASSERT(mutex_owned(&bufcache_lock));
	cb->cb_nwaiters++;
	while ((cb->cb_buf.b_cflags & BC_BUSY) && !cb->cb_gone)
		cv_wait(&cb->cb_cv, &bufcache_lock);
	cb->cb_nwaiters--;
	if (cb->cb_gone && cb->cb_nwaiters == 0) {
		mutex_exit(&bufcache_lock);
		bufcache_free(cb);
		mutex_enter(&bufcache_lock);
	}
}

/*
 * Take busy cb out of the cache.  The caller frees it with bufcache_free
 * after releasing the lock, unless threads wait for it (cb_nwaiters), in
 * which case the last of them frees it.
 */
static void
bufcache_remove(struct cbuf *cb)
{
	struct buf *bp = &cb->cb_buf;
	struct bufdev *bd = cb->cb_dev;

	KASSERT(mutex_owned(&bufcache_lock));
	KASSERT(bp->b_cflags & BC_BUSY);
	LIST_REMOVE(cb, cb_hash);
	TAILQ_REMOVE(&bd->bd_bufs, cb, cb_devq);
	bd->bd_nbufs--;
	bufcache_markclean(cb);		/* off the dirty list */
	KASSERT(!cb->cb_onlru && !cb->cb_writing);
	bufcache_bytes -= bp->b_bcount;
	bp->b_cflags &= ~(BC_VALID | BC_DELWRI);
	cb->cb_gone = true;
}

/*
 * After bufcache_remove: queue cb on victims to be freed once the lock is
 * dropped, unless threads woken from waiting for it have yet to leave
 * bufcache_waitbusy, in which case the last of them frees it.
 */
static void
bufcache_dispose(struct cbuf *cb, struct cbuflist *victims)
{

	KASSERT(mutex_owned(&bufcache_lock) && cb->cb_gone);
	if (cb->cb_nwaiters == 0)
		TAILQ_INSERT_TAIL(victims, cb, cb_lru);
}

static struct cbuf *
bufcache_alloc(size_t size)
{
	struct cbuf *cb;

	cb = kmem_zalloc(sizeof(*cb), KM_SLEEP);
	cb->cb_buf.b_data = kmem_alloc(size, KM_SLEEP);
	cb->cb_buf.b_bcount = size;
	cb->cb_buf.b_cache = cb;
	cv_init(&cb->cb_cv, "bufwait");
	return cb;
}

static void
bufcache_free(struct cbuf *cb)
{

	cv_destroy(&cb->cb_cv);
	kmem_free(cb->cb_buf.b_data, cb->cb_buf.b_bcount);
	kmem_free(cb, sizeof(*cb));
}

/*
 * Free least recently used clean buffers until the cache has at most
 * target bytes or none is left.  Returns the bytes freed.
 */
static size_t
bufcache_trim(uint64_t target)
{
	struct cbuflist victims = TAILQ_HEAD_INITIALIZER(victims);
	struct cbuf *cb;
	size_t freed = 0;

	mutex_enter(&bufcache_lock);
	while (bufcache_bytes > target &&
	    (cb = TAILQ_FIRST(&bufcache_lru)) != NULL) {
		bufcache_takebusy(cb);
		bufcache_remove(cb);
		freed += cb->cb_buf.b_bcount;
		bufcache_dispose(cb, &victims);
	}
	mutex_exit(&bufcache_lock);

	while ((cb = TAILQ_FIRST(&victims)) != NULL) {
		TAILQ_REMOVE(&victims, cb, cb_lru);
		bufcache_free(cb);
	}
	return freed;
}

static void
bufcache_trim_to_max(void)
{

	if (atomic_load_relaxed(&bufcache_bytes) >
	    atomic_load_relaxed(&bufcache_max))
		(void)bufcache_trim(atomic_load_relaxed(&bufcache_max));
}

/*
 * End the ownership of a busy buffer: a valid one becomes clean (LRU) or
 * stays dirty; an invalid one is removed.  Returns true when the caller
 * must free cb (after dropping the lock).
 */
static bool
bufcache_unbusy(struct cbuf *cb)
{
	struct buf *bp = &cb->cb_buf;

	KASSERT(mutex_owned(&bufcache_lock));
	KASSERT(bp->b_cflags & BC_BUSY);
	KASSERT(!cb->cb_writing);
	cb->cb_owner = NULL;
	if ((bp->b_cflags & BC_VALID) == 0) {
		bufcache_remove(cb);
		bp->b_cflags &= ~BC_BUSY;
		if (cb->cb_nwaiters > 0) {
			/* The waiters find it gone; the last one frees it. */
			cv_broadcast(&cb->cb_cv);
			return false;
		}
		return true;
	}
	bp->b_cflags &= ~BC_BUSY;
	if ((bp->b_cflags & BC_DELWRI) == 0) {
		TAILQ_INSERT_TAIL(&bufcache_lru, cb, cb_lru);
		cb->cb_onlru = true;
	}
	if (cb->cb_nwaiters > 0)
		cv_broadcast(&cb->cb_cv);
	return false;
}

/* Put cb at the end of its device's dirty list, dirtied now. */
static void
bufcache_dirtyq_insert(struct cbuf *cb)
{
	struct bufdev *bd = cb->cb_dev;

	KASSERT(mutex_owned(&bufcache_lock));
	cb->cb_dirtied = uptime_ns();
	TAILQ_INSERT_TAIL(&bd->bd_dirty, cb, cb_dirtyq);
	cb->cb_ondirtyq = true;
	bd->bd_ndirty++;
}

/* Take cb off its device's dirty list. */
static void
bufcache_dirtyq_remove(struct cbuf *cb)
{
	struct bufdev *bd = cb->cb_dev;

	KASSERT(mutex_owned(&bufcache_lock));
	KASSERT(cb->cb_ondirtyq);
	TAILQ_REMOVE(&bd->bd_dirty, cb, cb_dirtyq);
	cb->cb_ondirtyq = false;
	bd->bd_ndirty--;
}

/* Mark a busy valid buffer dirty, keeping the time it first became so. */
static void
bufcache_markdirty(struct cbuf *cb)
{
	struct buf *bp = &cb->cb_buf;

	KASSERT(mutex_owned(&bufcache_lock));
	bp->b_cflags |= BC_VALID;
	if (bp->b_cflags & BC_DELWRI)
		return;
	bp->b_cflags |= BC_DELWRI;
	bufcache_dirtyq_insert(cb);
	bufcache_dirtybytes += bp->b_bcount;
}

/*
 * Hand a busy dirty buffer to a write: it leaves the dirty list but
 * stays BC_DELWRI, and counts as dirty, until the write ends.
 */
static void
bufcache_startwriting(struct cbuf *cb)
{

	KASSERT(mutex_owned(&bufcache_lock));
	KASSERT((cb->cb_buf.b_cflags & (BC_BUSY | BC_DELWRI)) ==
	    (BC_BUSY | BC_DELWRI));
	KASSERT(!cb->cb_writing);
	bufcache_dirtyq_remove(cb);
	cb->cb_writing = true;
	cb->cb_owner = NULL;
	bufcache_writingbytes += cb->cb_buf.b_bcount;
}

/*
 * End the write of a buffer: it becomes clean, or after an error goes
 * back to the end of the dirty list to wait another delay.
 */
static void
bufcache_endwriting(struct cbuf *cb, int error)
{
	struct buf *bp = &cb->cb_buf;

	KASSERT(mutex_owned(&bufcache_lock));
	KASSERT(cb->cb_writing && (bp->b_cflags & BC_DELWRI));
	cb->cb_writing = false;
	bufcache_writingbytes -= bp->b_bcount;
	if (error == 0) {
		bp->b_cflags &= ~BC_DELWRI;
		bufcache_dirtybytes -= bp->b_bcount;
	} else
		bufcache_dirtyq_insert(cb);
	cv_broadcast(&bufcache_iocv);
}

/* Mark a busy buffer clean after its data reached the device. */
static void
bufcache_markclean(struct cbuf *cb)
{
	struct buf *bp = &cb->cb_buf;

	KASSERT(mutex_owned(&bufcache_lock));
	if ((bp->b_cflags & BC_DELWRI) == 0)
		return;
	bp->b_cflags &= ~BC_DELWRI;
	bufcache_dirtyq_remove(cb);
	bufcache_dirtybytes -= bp->b_bcount;
	cv_broadcast(&bufcache_iocv);
}

/*
 * Transfers.
 */

static const struct bdevsw *
bufcache_bdevsw(struct vnode *vp)
{
	const struct bdevsw *bdev;

	if (vp->v_type != VBLK)
		return NULL;
	bdev = bdevsw_lookup(vp->v_rdev);
	if (bdev == NULL || bdev->d_strategy == NULL)
		return NULL;
	return bdev;
}

static void
bufcache_count_io(int flags, size_t len)
{

	if (flags & B_READ) {
		atomic_add_64(&bufcache_nreads, 1);
		atomic_add_64(&bufcache_readbytes, len);
	} else {
		atomic_add_64(&bufcache_nwrites, 1);
		atomic_add_64(&bufcache_writebytes, len);
	}
}

/* One synchronous transfer of len bytes at blkno; returns the errno. */
static int
bufcache_rw(struct vnode *vp, int flags, daddr_t blkno, void *data,
    size_t len)
{
	const struct bdevsw *bdev;
	struct buf *bp;
	int error;

	KASSERT(len % DEV_BSIZE == 0);
	bdev = bufcache_bdevsw(vp);
	if (bdev == NULL)
		return ENXIO;
	bufcache_count_io(flags, len);
	bp = getiobuf(true);
	bp->b_flags = flags;
	bp->b_dev = vp->v_rdev;
	bp->b_blkno = blkno;
	bp->b_data = data;
	bp->b_bcount = len;
	bp->b_resid = len;
	(*bdev->d_strategy)(bp);
	error = biowait(bp);
	if (error == 0 && bp->b_resid != 0)
		error = EIO;
	putiobuf(bp);
	return error;
}

/*
 * Bounce buffers for clustered transfers: always BUF_MAXCLUSTER bytes,
 * kept on a small free list, because a streaming writer or reader needs
 * one per megabyte and allocating that much costs page faults.
 */
static char *
bufcache_bounce_get(void)
{
	void *p = NULL;

	mutex_enter(&bufcache_lock);
	if (bufcache_nbounces > 0)
		p = bufcache_bounces[--bufcache_nbounces];
	mutex_exit(&bufcache_lock);
	if (p == NULL)
		p = kmem_alloc(BUF_MAXCLUSTER, KM_SLEEP);
	return p;
}

static void
bufcache_bounce_put(void *p)
{

	mutex_enter(&bufcache_lock);
	if (bufcache_nbounces < BUF_NBOUNCE) {
		bufcache_bounces[bufcache_nbounces++] = p;
		p = NULL;
	}
	mutex_exit(&bufcache_lock);
	if (p != NULL)
		kmem_free(p, BUF_MAXCLUSTER);
}

/* Free the kept bounce buffers; returns the bytes freed. */
static size_t
bufcache_bounce_drain(void)
{
	void *p;
	size_t freed = 0;

	for (;;) {
		mutex_enter(&bufcache_lock);
		p = bufcache_nbounces > 0 ?
		    bufcache_bounces[--bufcache_nbounces] : NULL;
		mutex_exit(&bufcache_lock);
		if (p == NULL)
			return freed;
		kmem_free(p, BUF_MAXCLUSTER);
		freed += BUF_MAXCLUSTER;
	}
}

/*
 * Completion of a clustered write, on the driver's thread: the buffers
 * become clean, or on an error dirty again with the error remembered for
 * the next bflush, and are released.
 */
static void
bufcache_writedone(struct buf *iobp)
{
	struct bufcluster *bc = iobp->b_private;
	struct bufdev *bd = bc->bc_dev;
	struct cbuf *cb;
	int error = iobp->b_error;
	size_t len = bc->bc_len;
	bool freeit;
	u_int i;

	if (error == 0 && iobp->b_resid != 0)
		error = EIO;
	if (error != 0)
		bufcache_log("write", bd, bc->bc_bufs[0]->cb_buf.b_blkno,
		    len, error);

	mutex_enter(&bufcache_lock);
	for (i = 0; i < bc->bc_nbufs; i++) {
		cb = bc->bc_bufs[i];
		bufcache_endwriting(cb, error);
		if (error != 0 && bd->bd_error == 0)
			bd->bd_error = error;
		/* A write owns only valid buffers, so none is freed. */
		freeit = bufcache_unbusy(cb);
		KASSERT(!freeit);
		(void)freeit;
	}
	bd->bd_nwriting--;
	bufcache_nwriting--;
	cv_broadcast(&bufcache_iocv);
	mutex_exit(&bufcache_lock);

	if (bc->bc_bounce != NULL)
		bufcache_bounce_put(bc->bc_bounce);
	kmem_free(bc, sizeof(*bc) + bc->bc_nbufs * sizeof(bc->bc_bufs[0]));
	putiobuf(iobp);
}

/*
 * Start writing the run bufs[0 .. n-1], adjacent busy buffers owned by
 * the write, in one transfer.  The caller has counted it in bd_nwriting
 * and bufcache_nwriting.
 */
static void
bufcache_startwrite(struct bufdev *bd, struct cbuf **bufs, u_int n)
{
	const struct bdevsw *bdev;
	struct bufcluster *bc;
	struct buf *iobp;
	size_t len, off;
	u_int i;

	bc = kmem_alloc(sizeof(*bc) + n * sizeof(bc->bc_bufs[0]), KM_SLEEP);
	bc->bc_dev = bd;
	bc->bc_nbufs = n;
	len = 0;
	for (i = 0; i < n; i++) {
		bc->bc_bufs[i] = bufs[i];
		len += bufs[i]->cb_buf.b_bcount;
	}
	bc->bc_len = len;
	bc->bc_bounce = NULL;
	if (n > 1) {
		KASSERT(len <= BUF_MAXCLUSTER);
		bc->bc_bounce = bufcache_bounce_get();
		for (i = 0, off = 0; i < n; i++) {
			memcpy(bc->bc_bounce + off, bufs[i]->cb_buf.b_data,
			    bufs[i]->cb_buf.b_bcount);
			off += bufs[i]->cb_buf.b_bcount;
		}
	}

	bufcache_count_io(B_WRITE, len);
	iobp = getiobuf(true);
	iobp->b_flags = B_WRITE | B_ASYNC;
	iobp->b_dev = bd->bd_dev;
	iobp->b_blkno = bufs[0]->cb_buf.b_blkno;
	iobp->b_data = n > 1 ? bc->bc_bounce : bufs[0]->cb_buf.b_data;
	iobp->b_bcount = len;
	iobp->b_resid = len;
	iobp->b_iodone = bufcache_writedone;
	iobp->b_private = bc;

	bdev = bufcache_bdevsw(bd->bd_vp);
	if (bdev == NULL) {
		iobp->b_error = ENXIO;
		iobp->b_isdone = true;
		bufcache_writedone(iobp);
		return;
	}
	(*bdev->d_strategy)(iobp);
}

/* Order buffers by block number (heap sort: no recursion, no memory). */
static void
bufcache_sift(struct cbuf **a, size_t root, size_t n)
{
	struct cbuf *tmp;
	size_t child;

	while ((child = 2 * root + 1) < n) {
		if (child + 1 < n && a[child + 1]->cb_buf.b_blkno >
		    a[child]->cb_buf.b_blkno)
			child++;
		if (a[root]->cb_buf.b_blkno >= a[child]->cb_buf.b_blkno)
			return;
		tmp = a[root];
		a[root] = a[child];
		a[child] = tmp;
		root = child;
	}
}

static void
bufcache_sort(struct cbuf **a, size_t n)
{
	struct cbuf *tmp;
	size_t i;

	if (n < 2)
		return;
	for (i = n / 2; i-- > 0;)
		bufcache_sift(a, i, n);
	for (i = n - 1; i > 0; i--) {
		tmp = a[0];
		a[0] = a[i];
		a[i] = tmp;
		bufcache_sift(a, 0, i);
	}
}

/*
 * Write the dirty buffers of bd that are not busy, in clustered
 * transfers.  With wait, also wait until every write of the device in
 * flight has ended.  The caller holds bd (bd_holds) and not the lock.
 */
static void
bufcache_flushdev(struct bufdev *bd, bool wait)
{
	struct cbuf **bufs, *cb;
	size_t cap, n, i, j, len;
	size_t allocsize;

	/*
	 * Collect: the array is sized before the lock is taken, so dirty
	 * buffers made meanwhile may be left for the next flush.
	 */
	mutex_enter(&bufcache_lock);
	cap = bd->bd_ndirty;
	mutex_exit(&bufcache_lock);
	bufs = NULL;
	allocsize = 0;
	if (cap > 0) {
		allocsize = cap * sizeof(*bufs);
		bufs = kmem_alloc(allocsize, KM_SLEEP);
	}

	n = 0;
	mutex_enter(&bufcache_lock);
	TAILQ_FOREACH(cb, &bd->bd_dirty, cb_dirtyq) {
		if (n == cap)
			break;
		if (cb->cb_buf.b_cflags & BC_BUSY)
			continue;
		bufs[n++] = cb;
	}
	for (i = 0; i < n; i++) {
		bufcache_takebusy(bufs[i]);
		bufcache_startwriting(bufs[i]);
	}
	mutex_exit(&bufcache_lock);

	bufcache_sort(bufs, n);
	for (i = 0; i < n; i = j) {
		/* The run bufs[i .. j-1]: adjacent, within the cluster size. */
		len = bufs[i]->cb_buf.b_bcount;
		for (j = i + 1; j < n; j++) {
			if (bufs[j]->cb_buf.b_blkno != bufs[j - 1]->cb_buf.b_blkno +
			    bufs[j - 1]->cb_buf.b_bcount / DEV_BSIZE ||
			    len + bufs[j]->cb_buf.b_bcount > BUF_MAXCLUSTER)
				break;
			len += bufs[j]->cb_buf.b_bcount;
		}

		mutex_enter(&bufcache_lock);
		while (bufcache_nwriting >= BUF_MAXWRITES)
			cv_wait(&bufcache_iocv, &bufcache_lock);
		bufcache_nwriting++;
		bd->bd_nwriting++;
		mutex_exit(&bufcache_lock);
		bufcache_startwrite(bd, &bufs[i], (u_int)(j - i));
	}
	if (bufs != NULL)
		kmem_free(bufs, allocsize);

	if (wait) {
		mutex_enter(&bufcache_lock);
		while (bd->bd_nwriting > 0)
			cv_wait(&bufcache_iocv, &bufcache_lock);
		mutex_exit(&bufcache_lock);
	}
}

/*
 * Keep the dirty data within bounds.  Once a quarter of the maximum is
 * dirty and not being written, the writer starts writing its device, and
 * past half of it the writer also waits for writes to end.
 */
static void
bufcache_throttle(struct bufdev *bd)
{
	uint64_t max = atomic_load_relaxed(&bufcache_max);

	if (atomic_load_relaxed(&bufcache_dirtybytes) -
	    atomic_load_relaxed(&bufcache_writingbytes) >= max / 4)
		bufcache_flushdev(bd, false);
	if (atomic_load_relaxed(&bufcache_dirtybytes) <= max / 2)
		return;

	mutex_enter(&bufcache_lock);
	while (bufcache_dirtybytes > max / 2 && bufcache_nwriting > 0)
		cv_wait(&bufcache_iocv, &bufcache_lock);
	mutex_exit(&bufcache_lock);
}

/*
 * Getting buffers.
 */

/*
 * Take the least recently used clean buffer out of the cache for reuse
 * when the cache is full and that buffer has the requested size.
 * Return NULL otherwise.
 */
static struct cbuf *
bufcache_steal(size_t size)
{
	struct cbuf *cb;

	KASSERT(mutex_owned(&bufcache_lock));
	if (bufcache_bytes + size <= bufcache_max)
		return NULL;
	cb = TAILQ_FIRST(&bufcache_lru);
	if (cb == NULL || cb->cb_buf.b_bcount != size || cb->cb_nwaiters > 0)
		return NULL;
	bufcache_takebusy(cb);
	bufcache_remove(cb);
	KASSERT(cb->cb_nwaiters == 0);
	cb->cb_gone = false;
	cb->cb_trigger = false;
	cb->cb_buf.b_cflags = 0;
	return cb;
}

/* bufcache_get flags */
#define BG_NEWONLY	0x01	/* return NULL when the block is cached */

/*
 * Find or make the busy buffer of (vp, blkno).  *madep is set when it
 * was made, and so contains no data yet.  A cached buffer of another size
 * is written if dirty and thrown away first.  With BG_NEWONLY, a cached
 * block, busy or not, gives NULL.  A block that the calling thread has
 * busy already gives NULL and EDEADLK in *errorp, because waiting for it
 * would never end: a damaged file system can make a driver ask for a
 * block twice.
 */
static struct cbuf *
bufcache_get(struct vnode *vp, daddr_t blkno, size_t size, int flags,
    bool *madep, int *errorp)
{
	struct cbuf *cb, *ncb = NULL;
	struct bufdev *bd, *nbd = NULL;
	int error;

	KASSERT(size > 0 && size % DEV_BSIZE == 0);
	*errorp = 0;
	mutex_enter(&bufcache_lock);
	for (;;) {
		cb = bufcache_lookup(vp, blkno);
		if (cb != NULL && (flags & BG_NEWONLY)) {
			cb = NULL;
			goto out;
		}
		if (cb != NULL && (cb->cb_buf.b_cflags & BC_BUSY) &&
		    cb->cb_owner == curlwp) {
			cb = NULL;
			*errorp = EDEADLK;
			goto out;
		}
		if (cb != NULL && (cb->cb_buf.b_cflags & BC_BUSY)) {
			bufcache_waitbusy(cb);
			continue;
		}
		if (cb != NULL && cb->cb_buf.b_bcount == size) {
			bufcache_takebusy(cb);
			cb->cb_owner = curlwp;
			bufcache_hits++;
			*madep = false;
			goto out;
		}
		if (cb != NULL) {
			/* Another size: write it if dirty, then forget it. */
			bufcache_takebusy(cb);
			mutex_exit(&bufcache_lock);
			if (cb->cb_buf.b_cflags & BC_DELWRI) {
				error = bufcache_rw(vp, B_WRITE, blkno,
				    cb->cb_buf.b_data, cb->cb_buf.b_bcount);
				if (error != 0)
					bufcache_log("write", cb->cb_dev,
					    blkno, cb->cb_buf.b_bcount, error);
			}
			mutex_enter(&bufcache_lock);
			cb->cb_buf.b_cflags &= ~BC_VALID;
			if (bufcache_unbusy(cb)) {
				mutex_exit(&bufcache_lock);
				bufcache_free(cb);
				mutex_enter(&bufcache_lock);
			}
			continue;
		}

		/*
		 * A miss: reuse the least recently used clean buffer when the
		 * cache is full and it has the size, else allocate without
		 * the lock and look again.
		 */
		bd = bufcache_findvp(vp);
		if (ncb == NULL)
			ncb = bufcache_steal(size);
		if (ncb != NULL && (bd != NULL || nbd != NULL))
			break;
		mutex_exit(&bufcache_lock);
		if (ncb == NULL)
			ncb = bufcache_alloc(size);
		if (bd == NULL && nbd == NULL)
			nbd = kmem_zalloc(sizeof(*nbd), KM_SLEEP);
		mutex_enter(&bufcache_lock);
	}

	if (bd == NULL) {
		bd = nbd;
		nbd = NULL;
		bd->bd_vp = vp;
		bd->bd_dev = vp->v_rdev;
		TAILQ_INIT(&bd->bd_bufs);
		TAILQ_INIT(&bd->bd_dirty);
		vref(vp);
		LIST_INSERT_HEAD(&bufcache_devs, bd, bd_entries);
	}
	cb = ncb;
	ncb = NULL;
	cb->cb_dev = bd;
	cb->cb_buf.b_vp = vp;
	cb->cb_buf.b_dev = vp->v_rdev;
	cb->cb_buf.b_blkno = blkno;
	cb->cb_buf.b_cflags = BC_BUSY;
	cb->cb_owner = curlwp;
	LIST_INSERT_HEAD(&bufcache_hash[bufcache_hashidx(vp, blkno)], cb,
	    cb_hash);
	TAILQ_INSERT_TAIL(&bd->bd_bufs, cb, cb_devq);
	bd->bd_nbufs++;
	bufcache_notesize(bd, size);
	bufcache_bytes += size;
	bufcache_misses++;
	*madep = true;

out:
	mutex_exit(&bufcache_lock);
	if (ncb != NULL)
		bufcache_free(ncb);
	if (nbd != NULL)
		kmem_free(nbd, sizeof(*nbd));
	if (cb != NULL && *madep)
		bufcache_trim_to_max();
	return cb;
}

struct buf *
getblk(struct vnode *devvp, daddr_t blkno, size_t size, int flags)
{
	struct cbuf *cb;
	bool made;
	int error;

	cb = bufcache_get(devvp, blkno, size, 0, &made, &error);
	if (cb == NULL)
		panic("getblk: device %u,%u block %llu: the calling thread "
		    "has it busy already", (u_int)major(devvp->v_rdev),
		    (u_int)minor(devvp->v_rdev), (unsigned long long)blkno);
	return &cb->cb_buf;
}

/* Log a block that a thread asked for while it had it busy. */
static void
bufcache_log_deadlock(struct vnode *devvp, daddr_t blkno)
{

	log(LOG_ERR, "bufcache: device %u,%u block %llu read while the "
	    "same thread has it busy (a damaged file system?)\n",
	    (u_int)major(devvp->v_rdev), (u_int)minor(devvp->v_rdev),
	    (unsigned long long)blkno);
}

/* Fill a new buffer from the device; on failure it is thrown away. */
static int
bufcache_fill(struct cbuf *cb)
{
	struct buf *bp = &cb->cb_buf;
	int error;

	error = bufcache_rw(bp->b_vp, B_READ, bp->b_blkno, bp->b_data,
	    bp->b_bcount);
	if (error != 0) {
		bufcache_log("read", cb->cb_dev, bp->b_blkno, bp->b_bcount,
		    error);
		brelse(bp, BC_INVAL);
		return error;
	}
	mutex_enter(&bufcache_lock);
	bp->b_cflags |= BC_VALID;
	mutex_exit(&bufcache_lock);
	return 0;
}

int
bread(struct vnode *devvp, daddr_t blkno, size_t size, int flags,
    struct buf **bpp)
{
	struct cbuf *cb;
	bool made;
	int error;

	*bpp = NULL;
	cb = bufcache_get(devvp, blkno, size, 0, &made, &error);
	if (cb == NULL) {
		bufcache_log_deadlock(devvp, blkno);
		return error;
	}
	if (cb->cb_buf.b_cflags & BC_VALID) {
		*bpp = &cb->cb_buf;
		return 0;
	}
	error = bufcache_fill(cb);
	if (error == 0)
		*bpp = &cb->cb_buf;
	return error;
}

/* Buffers of one read-ahead transfer at most, on the stack. */
#define BUF_MAXRUN	256

/* One asynchronous read-ahead transfer. */
struct bufreadahead {
	struct bufdev	*br_dev;
	char		*br_bounce;
	size_t		 br_size;	/* of each buffer */
	u_int		 br_nbufs;
	struct cbuf	*br_bufs[BUF_MAXRUN];
};

/*
 * Completion of a read-ahead, on the driver's thread: the buffers get
 * their data and the first one the trigger, or after an error they are
 * dropped (a reader then reads the block itself), and all are released.
 */
static void
bufcache_readahead_done(struct buf *iobp)
{
	struct bufreadahead *br = iobp->b_private;
	struct cbuf *cb;
	bool ok, freeit;
	u_int i;

	ok = iobp->b_error == 0 && iobp->b_resid == 0;
	if (ok) {
		for (i = 0; i < br->br_nbufs; i++)
			memcpy(br->br_bufs[i]->cb_buf.b_data,
			    br->br_bounce + i * br->br_size, br->br_size);
	}

	mutex_enter(&bufcache_lock);
	for (i = 0; i < br->br_nbufs; i++) {
		cb = br->br_bufs[i];
		if (ok)
			cb->cb_buf.b_cflags |= BC_VALID;
		cb->cb_trigger = ok && i == 0;
		freeit = bufcache_unbusy(cb);
		if (freeit)
			br->br_bufs[i] = cb;		/* freed below */
		else
			br->br_bufs[i] = NULL;
	}
	br->br_dev->bd_nreading--;
	bufcache_nreading--;
	cv_broadcast(&bufcache_iocv);
	mutex_exit(&bufcache_lock);

	for (i = 0; i < br->br_nbufs; i++) {
		if (br->br_bufs[i] != NULL)
			bufcache_free(br->br_bufs[i]);
	}
	bufcache_bounce_put(br->br_bounce);
	kmem_free(br, sizeof(*br));
	putiobuf(iobp);
}

/*
 * Start reading the uncached blocks that follow blkno, within the next
 * nahead blocks of the file system's run, in one asynchronous transfer.
 * Nothing is started when too many read-aheads are in flight already.
 */
static void
bufcache_readahead(struct vnode *devvp, daddr_t blkno, size_t size,
    u_int nahead)
{
	const struct bdevsw *bdev;
	struct bufreadahead *br;
	struct bufdev *bd;
	struct cbuf *cb;
	struct buf *iobp;
	daddr_t nblk = size / DEV_BSIZE, first;
	size_t maxrun, n, k;
	bool made;
	int error;

	bdev = bufcache_bdevsw(devvp);
	if (bdev == NULL || nahead == 0)
		return;
	maxrun = MIN(BUF_MAXRUN, MAX(BUF_MAXCLUSTER / size, 1));

	/* Skip the blocks of the run that are cached already. */
	mutex_enter(&bufcache_lock);
	if (bufcache_nreading >= BUF_MAXWRITES) {
		mutex_exit(&bufcache_lock);
		return;
	}
	for (k = 1; k <= nahead && k <= maxrun; k++) {
		if (bufcache_lookup(devvp, blkno + k * nblk) == NULL)
			break;
	}
	mutex_exit(&bufcache_lock);
	if (k > nahead || k > maxrun)
		return;
	first = blkno + k * nblk;

	br = kmem_alloc(sizeof(*br), KM_SLEEP);
	for (n = 0; n < maxrun && k + n <= nahead; n++) {
		cb = bufcache_get(devvp, first + n * nblk, size, BG_NEWONLY,
		    &made, &error);
		if (cb == NULL)
			break;
		br->br_bufs[n] = cb;
	}
	if (n == 0) {
		kmem_free(br, sizeof(*br));
		return;
	}

	/* From here the buffers belong to the transfer, not to this lwp. */
	bd = br->br_bufs[0]->cb_dev;
	mutex_enter(&bufcache_lock);
	for (k = 0; k < n; k++)
		br->br_bufs[k]->cb_owner = NULL;
	bd->bd_nreading++;
	bufcache_nreading++;
	mutex_exit(&bufcache_lock);

	br->br_dev = bd;
	br->br_size = size;
	br->br_nbufs = (u_int)n;
	br->br_bounce = bufcache_bounce_get();
	bufcache_count_io(B_READ, n * size);
	iobp = getiobuf(true);
	iobp->b_flags = B_READ | B_ASYNC;
	iobp->b_dev = devvp->v_rdev;
	iobp->b_blkno = first;
	iobp->b_data = br->br_bounce;
	iobp->b_bcount = n * size;
	iobp->b_resid = n * size;
	iobp->b_iodone = bufcache_readahead_done;
	iobp->b_private = br;
	(*bdev->d_strategy)(iobp);
}

int
bread_ahead(struct vnode *devvp, daddr_t blkno, size_t size, u_int nahead,
    struct buf **bpp)
{
	struct cbuf *run[BUF_MAXRUN], *cb;
	daddr_t nblk = size / DEV_BSIZE;
	size_t maxrun, n, i, len;
	char *bounce;
	bool made;
	int error;

	*bpp = NULL;
	cb = bufcache_get(devvp, blkno, size, 0, &made, &error);
	if (cb == NULL) {
		bufcache_log_deadlock(devvp, blkno);
		return error;
	}
	if (cb->cb_buf.b_cflags & BC_VALID) {
		if (cb->cb_trigger) {
			cb->cb_trigger = false;
			bufcache_readahead(devvp, blkno, size, nahead);
		}
		*bpp = &cb->cb_buf;
		return 0;
	}

	/* The following blocks that are not cached, as new busy buffers. */
	maxrun = MIN(BUF_MAXRUN, MAX(BUF_MAXCLUSTER / size, 1));
	run[0] = cb;
	for (n = 1; n < maxrun && n <= nahead; n++) {
		run[n] = bufcache_get(devvp, blkno + n * nblk, size,
		    BG_NEWONLY, &made, &error);
		if (run[n] == NULL)
			break;
	}
	if (n == 1)
		goto single;

	len = n * size;
	KASSERT(len <= BUF_MAXCLUSTER);
	bounce = bufcache_bounce_get();
	error = bufcache_rw(devvp, B_READ, blkno, bounce, len);
	if (error == 0) {
		for (i = 0; i < n; i++)
			memcpy(run[i]->cb_buf.b_data, bounce + i * size, size);
	}
	bufcache_bounce_put(bounce);

	/*
	 * A failed run (it may reach past the end of the device) is
	 * retried as the one block that was asked for.
	 */
	mutex_enter(&bufcache_lock);
	for (i = 0; i < n && error == 0; i++)
		run[i]->cb_buf.b_cflags |= BC_VALID;
	if (error == 0)
		run[1]->cb_trigger = true;
	mutex_exit(&bufcache_lock);
	for (i = 1; i < n; i++)
		brelse(&run[i]->cb_buf, error != 0 ? BC_INVAL : 0);
	if (error == 0) {
		*bpp = &cb->cb_buf;
		return 0;
	}

single:
	error = bufcache_fill(cb);
	if (error == 0)
		*bpp = &cb->cb_buf;
	return error;
}

/*
 * Handing buffers back.
 */

void
brelse(struct buf *bp, int set)
{
	struct cbuf *cb = CBUF(bp);
	bool freeit;

	mutex_enter(&bufcache_lock);
	KASSERT(bp->b_cflags & BC_BUSY);
	if (set & BC_INVAL)
		bp->b_cflags &= ~BC_VALID;
	else if ((set & BC_NOCACHE) && !(bp->b_cflags & BC_DELWRI))
		bp->b_cflags &= ~BC_VALID;
	freeit = bufcache_unbusy(cb);
	mutex_exit(&bufcache_lock);
	if (freeit)
		bufcache_free(cb);
}

int
bwrite(struct buf *bp)
{
	struct cbuf *cb = CBUF(bp);
	bool freeit;
	int error;

	KASSERT(bp->b_cflags & BC_BUSY);
	error = bufcache_rw(bp->b_vp, B_WRITE, bp->b_blkno, bp->b_data,
	    bp->b_bcount);
	if (error != 0)
		bufcache_log("write", cb->cb_dev, bp->b_blkno, bp->b_bcount,
		    error);

	/* A failed write keeps the data as a delayed write. */
	mutex_enter(&bufcache_lock);
	bp->b_cflags |= BC_VALID;
	if (error == 0)
		bufcache_markclean(cb);
	else
		bufcache_markdirty(cb);
	freeit = bufcache_unbusy(cb);
	mutex_exit(&bufcache_lock);
	KASSERT(!freeit);
	(void)freeit;
	return error;
}

void
bawrite(struct buf *bp)
{
	struct cbuf *cb = CBUF(bp);
	struct bufdev *bd = cb->cb_dev;

	mutex_enter(&bufcache_lock);
	KASSERT(bp->b_cflags & BC_BUSY);
	bufcache_markdirty(cb);
	bufcache_startwriting(cb);
	while (bufcache_nwriting >= BUF_MAXWRITES)
		cv_wait(&bufcache_iocv, &bufcache_lock);
	bufcache_nwriting++;
	bd->bd_nwriting++;
	mutex_exit(&bufcache_lock);
	bufcache_startwrite(bd, &cb, 1);
}

void
bdwrite(struct buf *bp)
{
	struct cbuf *cb = CBUF(bp);
	struct bufdev *bd = cb->cb_dev;
	bool freeit;

	mutex_enter(&bufcache_lock);
	KASSERT(bp->b_cflags & BC_BUSY);
	bufcache_markdirty(cb);
	freeit = bufcache_unbusy(cb);
	bd->bd_holds++;
	mutex_exit(&bufcache_lock);
	KASSERT(!freeit);
	(void)freeit;

	bufcache_throttle(bd);
	mutex_enter(&bufcache_lock);
	bd->bd_holds--;
	cv_broadcast(&bufcache_iocv);
	mutex_exit(&bufcache_lock);
}

/*
 * Whole devices.
 */

int
bflush(struct vnode *devvp, int flags)
{
	struct bufdev *bd;
	int error;

	mutex_enter(&bufcache_lock);
	bd = bufcache_findvp(devvp);
	if (bd == NULL) {
		mutex_exit(&bufcache_lock);
		return 0;
	}
	bd->bd_holds++;
	mutex_exit(&bufcache_lock);

	bufcache_flushdev(bd, (flags & FSYNC_WAIT) != 0);

	mutex_enter(&bufcache_lock);
	error = bd->bd_error;
	bd->bd_error = 0;
	bd->bd_holds--;
	cv_broadcast(&bufcache_iocv);
	mutex_exit(&bufcache_lock);
	return error;
}

void
binvalall(struct vnode *devvp)
{
	struct cbuflist victims = TAILQ_HEAD_INITIALIZER(victims);
	struct bufdev *bd;
	struct cbuf *cb;

	mutex_enter(&bufcache_lock);
	for (;;) {
		bd = bufcache_findvp(devvp);
		if (bd == NULL) {
			mutex_exit(&bufcache_lock);
			return;
		}
		if (bd->bd_nwriting > 0 || bd->bd_nreading > 0 ||
		    bd->bd_holds > 0) {
			cv_wait(&bufcache_iocv, &bufcache_lock);
			continue;
		}
		TAILQ_FOREACH(cb, &bd->bd_bufs, cb_devq) {
			if (cb->cb_buf.b_cflags & BC_BUSY)
				break;
		}
		if (cb == NULL)
			break;
		if (cb->cb_owner == curlwp)
			panic("binvalall: device %u,%u block %llu is busy in the "
			    "calling thread", (u_int)major(bd->bd_dev),
			    (u_int)minor(bd->bd_dev),
			    (unsigned long long)cb->cb_buf.b_blkno);
		/* None should be busy now; wait rather than break it. */
		bufcache_waitbusy(cb);
	}

	if (bd->bd_ndirty > 0)
		log(LOG_WARNING, "bufcache: device %u,%u: %u dirty buffers "
		    "dropped unwritten\n", (u_int)major(bd->bd_dev),
		    (u_int)minor(bd->bd_dev), bd->bd_ndirty);
	while ((cb = TAILQ_FIRST(&bd->bd_bufs)) != NULL) {
		bufcache_takebusy(cb);
		bufcache_remove(cb);
		bufcache_dispose(cb, &victims);
	}
	LIST_REMOVE(bd, bd_entries);
	mutex_exit(&bufcache_lock);

	while ((cb = TAILQ_FIRST(&victims)) != NULL) {
		TAILQ_REMOVE(&victims, cb, cb_lru);
		bufcache_free(cb);
	}
	vrele(bd->bd_vp);
	kmem_free(bd, sizeof(*bd));
}

/*
 * Call fn for every buffer of bd that overlaps [blkno, blkno + nblk) until
 * it returns true, and return that buffer, or NULL.  Buffers may start at
 * any block.  So for each buffer size the device has used, every start
 * that could overlap is looked up, unless walking the device's list is
 * cheaper.
 */
static struct cbuf *
bufcache_overlap(struct bufdev *bd, daddr_t blkno, daddr_t nblk,
    bool (*fn)(struct cbuf *, daddr_t, daddr_t, void *), void *arg)
{
	struct cbuf *cb;
	daddr_t b, first, lookups = 0, cbblk;
	u_int s;
	int i;

	KASSERT(mutex_owned(&bufcache_lock));
	for (i = 0; i < BUF_NSIZES && bd->bd_sizes[i] != 0; i++)
		lookups += nblk + bd->bd_sizes[i] - 1;
	if (bd->bd_manysizes || lookups >= bd->bd_nbufs) {
		TAILQ_FOREACH(cb, &bd->bd_bufs, cb_devq) {
			cbblk = cb->cb_buf.b_bcount / DEV_BSIZE;
			if (cb->cb_buf.b_blkno < blkno + nblk &&
			    cb->cb_buf.b_blkno + cbblk > blkno &&
			    fn(cb, blkno, nblk, arg))
				return cb;
		}
		return NULL;
	}
	for (i = 0; i < BUF_NSIZES && bd->bd_sizes[i] != 0; i++) {
		s = bd->bd_sizes[i];
		first = blkno >= s - 1 ? blkno - (s - 1) : 0;
		for (b = first; b < blkno + nblk; b++) {
			cb = bufcache_lookup(bd->bd_vp, b);
			if (cb != NULL && cb->cb_buf.b_bcount ==
			    (size_t)s * DEV_BSIZE && fn(cb, blkno, nblk, arg))
				return cb;
		}
	}
	return NULL;
}

static bool
bufcache_overlap_any(struct cbuf *cb, daddr_t blkno, daddr_t nblk,
    void *arg)
{

	return true;
}

void
binval(struct vnode *devvp, daddr_t blkno, size_t size)
{
	struct bufdev *bd;
	struct cbuf *cb;
	bool freeit;

	mutex_enter(&bufcache_lock);
	while ((bd = bufcache_findvp(devvp)) != NULL &&
	    (cb = bufcache_overlap(bd, blkno, howmany(size, DEV_BSIZE),
	    bufcache_overlap_any, NULL)) != NULL) {
		if ((cb->cb_buf.b_cflags & BC_BUSY) &&
		    cb->cb_owner == curlwp)
			panic("binval: device %u,%u block %llu is busy in the "
			    "calling thread", (u_int)major(bd->bd_dev),
			    (u_int)minor(bd->bd_dev),
			    (unsigned long long)cb->cb_buf.b_blkno);
		if (cb->cb_buf.b_cflags & BC_BUSY) {
			bufcache_waitbusy(cb);
			continue;
		}
		bufcache_takebusy(cb);
		cb->cb_buf.b_cflags &= ~BC_VALID;
		freeit = bufcache_unbusy(cb);
		if (freeit) {
			mutex_exit(&bufcache_lock);
			bufcache_free(cb);
			mutex_enter(&bufcache_lock);
		}
	}
	mutex_exit(&bufcache_lock);
}

/*
 * Uncached transfers.
 */

struct bufcache_copy {
	char	*data;		/* the transfer's memory */
	bool	 tocache;	/* copy data into the buffers, else out */
};

static bool
bufcache_overlap_writing(struct cbuf *cb, daddr_t blkno, daddr_t nblk,
    void *arg)
{

	return cb->cb_writing;
}

/* Copy the part of a cached buffer that overlaps an uncached transfer. */
static bool
bufcache_overlap_copy(struct cbuf *cb, daddr_t blkno, daddr_t nblk,
    void *arg)
{
	struct bufcache_copy *c = arg;
	struct buf *bp = &cb->cb_buf;
	daddr_t start, end;
	char *cached, *data;
	size_t len;

	if (!(bp->b_cflags & BC_VALID))
		return false;
	/* Reads see only what the device lacks: dirty buffers. */
	if (!c->tocache && !(bp->b_cflags & BC_DELWRI))
		return false;
	start = MAX(blkno, bp->b_blkno);
	end = MIN(blkno + nblk, bp->b_blkno + bp->b_bcount / DEV_BSIZE);
	cached = (char *)bp->b_data + (start - bp->b_blkno) * DEV_BSIZE;
	data = c->data + (start - blkno) * DEV_BSIZE;
	len = (end - start) * DEV_BSIZE;
	if (!c->tocache) {
		memcpy(data, cached, len);
		return false;
	}

	/*
	 * The copy is dirty until the uncached write that follows has
	 * ended, so it must not be dropped as clean meanwhile.
	 */
	memcpy(cached, data, len);
	if (cb->cb_onlru) {
		TAILQ_REMOVE(&bufcache_lru, cb, cb_lru);
		cb->cb_onlru = false;
	}
	bufcache_markdirty(cb);
	return false;
}

/*
 * Make the cached copies of [blkno, blkno + len) agree with an uncached
 * transfer.  After a read (tocache false) the dirty copies overwrite the
 * data read.  Before a write (tocache true) the data replaces the cached
 * copies, which become dirty.  Copies being written are waited for first,
 * so that an older write cannot land after the new one.
 */
static void
bufcache_overlap_sync(struct vnode *devvp, daddr_t blkno, void *data,
    size_t len, bool tocache)
{
	struct bufcache_copy c = { .data = data, .tocache = tocache };
	struct bufdev *bd;
	struct cbuf *cb;

	mutex_enter(&bufcache_lock);
	while (tocache && (bd = bufcache_findvp(devvp)) != NULL &&
	    (cb = bufcache_overlap(bd, blkno, len / DEV_BSIZE,
	    bufcache_overlap_writing, NULL)) != NULL)
		bufcache_waitbusy(cb);
	bd = bufcache_findvp(devvp);
	if (bd != NULL)
		(void)bufcache_overlap(bd, blkno, len / DEV_BSIZE,
		    bufcache_overlap_copy, &c);
	mutex_exit(&bufcache_lock);
}

int
bio_read(struct vnode *devvp, daddr_t blkno, void *data, size_t len)
{
	int error;

	KASSERT(len % DEV_BSIZE == 0);
	error = bufcache_rw(devvp, B_READ, blkno, data, len);
	if (error != 0) {
		log(LOG_ERR, "bufcache: read error %d on device %u,%u at "
		    "block %llu (%zu bytes)\n", error,
		    (u_int)major(devvp->v_rdev), (u_int)minor(devvp->v_rdev),
		    (unsigned long long)blkno, len);
		return error;
	}
	bufcache_overlap_sync(devvp, blkno, data, len, false);
	return 0;
}

int
bio_write(struct vnode *devvp, daddr_t blkno, const void *data, size_t len)
{
	int error;

	KASSERT(len % DEV_BSIZE == 0);
	bufcache_overlap_sync(devvp, blkno, (void *)(uintptr_t)data, len, true);
	error = bufcache_rw(devvp, B_WRITE, blkno, (void *)(uintptr_t)data, len);
	if (error != 0)
		log(LOG_ERR, "bufcache: write error %d on device %u,%u at "
		    "block %llu (%zu bytes)\n", error,
		    (u_int)major(devvp->v_rdev), (u_int)minor(devvp->v_rdev),
		    (unsigned long long)blkno, len);
	return error;
}

/*
 * The syncer, memory reclaim, sysctl nodes, boot and halt.
 */

/*
 * Write the devices whose oldest dirty buffer has waited the delay, or,
 * with all, every device that has dirty buffers.  Each device is flushed
 * at most once per pass (bd_syncpass), so that buffers that stay busy or
 * fail again cannot keep the pass going.
 */
static void
bufcache_sync_expired(bool all)
{
	static u_int pass;
	struct bufdev *bd;
	struct cbuf *cb;
	uint64_t now, delay;

	mutex_enter(&bufcache_lock);
	pass++;
again:
	now = uptime_ns();
	delay = (uint64_t)bufcache_delay * NSEC_PER_SEC;
	LIST_FOREACH(bd, &bufcache_devs, bd_entries) {
		cb = TAILQ_FIRST(&bd->bd_dirty);
		if (cb == NULL || bd->bd_syncpass == pass)
			continue;
		if (!all && cb->cb_dirtied + delay > now)
			continue;
		bd->bd_syncpass = pass;
		bd->bd_holds++;
		mutex_exit(&bufcache_lock);
		bufcache_flushdev(bd, all);
		mutex_enter(&bufcache_lock);
		bd->bd_holds--;
		cv_broadcast(&bufcache_iocv);
		goto again;
	}
	mutex_exit(&bufcache_lock);
}

static void
bufcache_syncer(void *arg)
{

	mutex_enter(&bufcache_lock);
	while (!bufcache_exiting) {
		(void)cv_timedwait(&bufcache_syncer_cv, &bufcache_lock, HZ);
		if (bufcache_exiting)
			break;
		mutex_exit(&bufcache_lock);
		bufcache_sync_expired(false);
		bufcache_trim_to_max();
		mutex_enter(&bufcache_lock);
	}
	mutex_exit(&bufcache_lock);
	kthread_exit(0);
}

/* kmem reclaim hook: give back kept bounce buffers and clean buffers. */
static size_t
bufcache_reclaim(void *arg, size_t want)
{
	uint64_t bytes = atomic_load_relaxed(&bufcache_bytes);
	size_t freed;

	freed = bufcache_bounce_drain();
	if (freed >= want)
		return freed;
	want -= freed;
	return freed + bufcache_trim(bytes > want ? bytes - want : 0);
}

/* vfs.bufcache.max: bytes, at least 64 KiB. */
static int
bufcache_sysctl_max(const struct sysctlnode *node, int op, void *buf,
    size_t *lenp)
{
	uint64_t value;

	if (op == SYSCTL_GET) {
		value = atomic_load_relaxed(&bufcache_max);
		memcpy(buf, &value, sizeof(value));
		*lenp = sizeof(value);
		return 0;
	}
	memcpy(&value, buf, sizeof(value));
	if (value < 64 * 1024)
		return EINVAL;
	atomic_store_relaxed(&bufcache_max, value);
	/* Handlers may not sleep: the next allocation or syncer pass trims. */
	return 0;
}

/* vfs.bufcache.delay: seconds, 0 to one day. */
static int
bufcache_sysctl_delay(const struct sysctlnode *node, int op, void *buf,
    size_t *lenp)
{
	int value;

	if (op == SYSCTL_GET) {
		value = atomic_load_relaxed(&bufcache_delay);
		memcpy(buf, &value, sizeof(value));
		*lenp = sizeof(value);
		return 0;
	}
	memcpy(&value, buf, sizeof(value));
	if (value < 0 || value > 86400)
		return EINVAL;
	atomic_store_relaxed(&bufcache_delay, value);
	return 0;
}

static void
bufcache_sysctl_init(void)
{
	static const struct {
		const char	*name;
		u_int		 type;
		u_int		 flags;
		void		*data;
		size_t		 size;
		sysctl_handler_t func;
		const char	*desc;
	} nodes[] = {
		{ "max", CTLTYPE_QUAD, CTLFLAG_READWRITE, NULL,
		    sizeof(uint64_t), bufcache_sysctl_max,
		    "Maximum bytes of cached blocks" },
		{ "delay", CTLTYPE_INT, CTLFLAG_READWRITE, NULL, sizeof(int),
		    bufcache_sysctl_delay,
		    "Seconds a delayed write waits for the syncer" },
		{ "bytes", CTLTYPE_QUAD, CTLFLAG_READONLY, &bufcache_bytes,
		    sizeof(uint64_t), NULL, "Bytes of cached blocks" },
		{ "dirty", CTLTYPE_QUAD, CTLFLAG_READONLY,
		    &bufcache_dirtybytes, sizeof(uint64_t), NULL,
		    "Bytes of cached blocks waiting to be written" },
		{ "hits", CTLTYPE_QUAD, CTLFLAG_READONLY, &bufcache_hits,
		    sizeof(uint64_t), NULL, "Lookups that found the block" },
		{ "misses", CTLTYPE_QUAD, CTLFLAG_READONLY, &bufcache_misses,
		    sizeof(uint64_t), NULL, "Lookups that made a buffer" },
		{ "reads", CTLTYPE_QUAD, CTLFLAG_READONLY, &bufcache_nreads,
		    sizeof(uint64_t), NULL, "Transfers from devices" },
		{ "readbytes", CTLTYPE_QUAD, CTLFLAG_READONLY,
		    &bufcache_readbytes, sizeof(uint64_t), NULL,
		    "Bytes transferred from devices" },
		{ "writes", CTLTYPE_QUAD, CTLFLAG_READONLY, &bufcache_nwrites,
		    sizeof(uint64_t), NULL, "Transfers to devices" },
		{ "writebytes", CTLTYPE_QUAD, CTLFLAG_READONLY,
		    &bufcache_writebytes, sizeof(uint64_t), NULL,
		    "Bytes transferred to devices" },
	};
	size_t i;
	int error;

	error = sysctl_create("vfs", CTL_CREATE, "bufcache", CTLTYPE_NODE, 0,
	    NULL, 0, NULL, "Buffer cache");
	for (i = 0; error == 0 && i < __arraycount(nodes); i++)
		error = sysctl_create("vfs.bufcache", CTL_CREATE,
		    nodes[i].name, nodes[i].type, nodes[i].flags,
		    nodes[i].data, nodes[i].size, nodes[i].func,
		    nodes[i].desc);
	if (error != 0)
		panic("bufinit: cannot create the vfs.bufcache nodes: error %d",
		    error);
}

/*
 * At halt, before the VFS syncs and unmounts the file systems: write what
 * is dirty (unless RB_NOSYNC) and stop the syncer.  Blocks of devices that
 * no file system has mounted are written here, while their device vnodes
 * still work.  File systems write the rest at their unmount with bflush,
 * which needs no syncer.
 */
static void
bufcache_shutdown(void *arg)
{
	struct lwp *l;

	if (!(shutdown_howto & RB_NOSYNC))
		bufcache_sync_expired(true);
	mutex_enter(&bufcache_lock);
	bufcache_exiting = true;
	cv_broadcast(&bufcache_syncer_cv);
	l = bufcache_syncer_lwp;
	bufcache_syncer_lwp = NULL;
	mutex_exit(&bufcache_lock);
	if (l != NULL)
		(void)kthread_join(l);
	kmem_reclaimer_unregister(&bufcache_reclaimer);
}

/* The default of vfs.bufcache.max: an eighth of the kernel's memory. */
static uint64_t
bufcache_default_max(void)
{
	uint64_t mem = physmem_bytes;

	if (kmem_limit() != 0 && kmem_limit() < mem)
		mem = kmem_limit();
	return MIN(MAX(mem / 8, BUF_MAX_MIN), BUF_MAX_CAP);
}

void
bufinit(void)
{
	u_int nbuckets, i;
	int error;

	KASSERT(!bufcache_initialized);
	bufcache_initialized = true;
	mutex_init(&bufcache_lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&bufcache_iocv, "bufio");
	cv_init(&bufcache_syncer_cv, "syncer");
	bufcache_max = bufcache_default_max();
	nbuckets = 1024;
	while (nbuckets < bufcache_max / BUF_HASHBYTES)
		nbuckets *= 2;
	bufcache_hashmask = nbuckets - 1;
	bufcache_hash = kmem_alloc(nbuckets * sizeof(*bufcache_hash),
	    KM_SLEEP);
	for (i = 0; i < nbuckets; i++)
		LIST_INIT(&bufcache_hash[i]);
	bufcache_sysctl_init();

	bufcache_reclaimer.kr_reclaim = bufcache_reclaim;
	bufcache_reclaimer.kr_arg = NULL;
	kmem_reclaimer_register(&bufcache_reclaimer);
	if (kthreads_enabled) {
		error = kthread_create(PRI_NONE, KTHREAD_MPSAFE |
		    KTHREAD_MUSTJOIN, NULL, bufcache_syncer, NULL,
		    &bufcache_syncer_lwp, "syncer");
		if (error != 0)
			panic("bufinit: cannot create the syncer thread: "
			    "error %d", error);
	}
	(void)shutdownhook_establish(bufcache_shutdown, NULL);
}
