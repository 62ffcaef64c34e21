/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Device special files: the device switch, block I/O requests, the
 * spec_* vnode operations and the opening of block devices for mounts.
 *
 * The switch is two arrays indexed by major number, one of character and
 * one of block device switches (sys/conf.h).  Attaching and detaching
 * take devsw_lock; lookups read an array slot with an acquire load and no
 * lock, so opening /dev/zero costs no shared lock.  A slot is cleared
 * only by devsw_detach, which its driver calls when none of its devices
 * is open, so a switch found by a lookup stays valid for the open, I/O or
 * close that follows.
 *
 * The spec_* operations serve the VCHR and VBLK vnodes of every file
 * system: a file system points these members of its ops vector here and
 * keeps attributes, access checks and the life cycle for itself.  They
 * dispatch on v_rdev.  Character devices get each read and write as it
 * comes, with the vnode unlocked, so a device that blocks (a host pipe
 * behind an etfs node) does not hold up other users of the node.  Block
 * devices take only whole DEV_BSIZE blocks: spec_blkrw splits reads and
 * writes at any offset into block requests through a bounce buffer,
 * reading the partial blocks at either end of a write first.  These
 * transfers bypass the buffer cache but stay coherent with it (bio_read
 * and bio_write): a read returns blocks that a file system has dirtied and
 * not yet written, and a write updates cached copies.  fsync writes the
 * device's dirty buffers and asks the driver to flush its own cache
 * (DIOCCACHESYNC).
 *
 * Mounts open their device with vfs_opendev, which claims the device
 * number for the mount (devclaim list) so that a second mount of the
 * same device fails with EBUSY.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/buf.h>
#include <sys/conf.h>
#include <sys/disk.h>
#include <sys/fcntl.h>
#include <sys/filio.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/poll.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/vnode.h>

/* Largest block request of spec_blkrw, and its bounce buffer size. */
#define SPEC_MAXPHYS	(64 * 1024)

/* The dynamic major ranges, searched in this order (Linux's). */
static const struct {
	int	first;
	int	last;
} devsw_dynamic[] = {
	{ 254, 234 },
	{ DEVSW_MAJOR_MAX - 1, 384 },
};

/*
 * devsw_lock protects attach and detach.  It is made on first use, so a
 * driver may attach from any component's init, whatever the order.
 */
static kmutex_t *volatile devsw_lock;
static const struct cdevsw *volatile cdevsw_table[DEVSW_MAJOR_MAX];
static const struct bdevsw *volatile bdevsw_table[DEVSW_MAJOR_MAX];
static const char *cdevsw_names[DEVSW_MAJOR_MAX];	/* devsw_lock */
static const char *bdevsw_names[DEVSW_MAJOR_MAX];	/* devsw_lock */

static kmutex_t *
devsw_lock_get(void)
{
	kmutex_t *lock, *found;

	lock = atomic_load_acquire(&devsw_lock);
	if (__predict_true(lock != NULL))
		return lock;
	lock = mutex_obj_alloc(MUTEX_DEFAULT, IPL_NONE);
	found = atomic_cas_ptr(&devsw_lock, NULL, lock);
	if (found != NULL) {
		mutex_obj_free(lock);
		return found;
	}
	return lock;
}

/* Pick a free dynamic major of one table, or -1. */
static int
devsw_find_free(const void *volatile *table)
{
	size_t r;
	int major;

	for (r = 0; r < __arraycount(devsw_dynamic); r++) {
		for (major = devsw_dynamic[r].first;
		    major >= devsw_dynamic[r].last; major--) {
			if (table[major] == NULL)
				return major;
		}
	}
	return -1;
}

/* Check or pick the major of one switch; devsw_lock is held. */
static int
devsw_claim(const void *volatile *table, const void *sw, int *majorp)
{
	int major = *majorp;

	if (sw == NULL)
		return 0;
	if (major < 0) {
		major = devsw_find_free(table);
		if (major < 0)
			return EBUSY;
	} else if (major >= DEVSW_MAJOR_MAX) {
		return EINVAL;
	} else if (table[major] != NULL && table[major] != sw) {
		return EEXIST;
	}
	*majorp = major;
	return 0;
}

int
devsw_attach(const char *name, const struct bdevsw *bdev, int *bmajor,
    const struct cdevsw *cdev, int *cmajor)
{
	kmutex_t *lock = devsw_lock_get();
	int bmaj = bdev != NULL ? *bmajor : -1;
	int cmaj = cdev != NULL ? *cmajor : -1;
	int error;

	/* Both majors are checked before either table changes. */
	mutex_enter(lock);
	error = devsw_claim((const void *volatile *)bdevsw_table, bdev,
	    &bmaj);
	if (error == 0)
		error = devsw_claim((const void *volatile *)cdevsw_table,
		    cdev, &cmaj);
	if (error != 0) {
		mutex_exit(lock);
		return error;
	}
	if (bdev != NULL) {
		bdevsw_names[bmaj] = name;
		atomic_store_release(&bdevsw_table[bmaj], bdev);
		*bmajor = bmaj;
	}
	if (cdev != NULL) {
		cdevsw_names[cmaj] = name;
		atomic_store_release(&cdevsw_table[cmaj], cdev);
		*cmajor = cmaj;
	}
	mutex_exit(lock);
	return 0;
}

void
devsw_detach(const struct bdevsw *bdev, const struct cdevsw *cdev)
{
	kmutex_t *lock = devsw_lock_get();
	int major;

	mutex_enter(lock);
	for (major = 0; major < DEVSW_MAJOR_MAX; major++) {
		if (bdev != NULL && bdevsw_table[major] == bdev) {
			atomic_store_release(&bdevsw_table[major], NULL);
			bdevsw_names[major] = NULL;
		}
		if (cdev != NULL && cdevsw_table[major] == cdev) {
			atomic_store_release(&cdevsw_table[major], NULL);
			cdevsw_names[major] = NULL;
		}
	}
	mutex_exit(lock);
}

const struct cdevsw *
cdevsw_lookup(dev_t dev)
{
	uint32_t major = major(dev);

	if (major >= DEVSW_MAJOR_MAX)
		return NULL;
	return atomic_load_acquire(&cdevsw_table[major]);
}

const struct bdevsw *
bdevsw_lookup(dev_t dev)
{
	uint32_t major = major(dev);

	if (major >= DEVSW_MAJOR_MAX)
		return NULL;
	return atomic_load_acquire(&bdevsw_table[major]);
}

static const char *
devsw_getname(const char **names, int major)
{
	kmutex_t *lock = devsw_lock_get();
	const char *name;

	if (major < 0 || major >= DEVSW_MAJOR_MAX)
		return NULL;
	mutex_enter(lock);
	name = names[major];
	mutex_exit(lock);
	return name;
}

const char *
cdevsw_getname(int major)
{

	return devsw_getname(cdevsw_names, major);
}

const char *
bdevsw_getname(int major)
{

	return devsw_getname(bdevsw_names, major);
}

/*
 * Block I/O requests.
 */

struct buf *
getiobuf(bool waitok)
{
	struct buf *bp;

	bp = kmem_zalloc(sizeof(*bp), waitok ? KM_SLEEP : KM_NOSLEEP);
	if (bp == NULL)
		return NULL;
	mutex_init(&bp->b_lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&bp->b_done, "biowait");
	return bp;
}

void
putiobuf(struct buf *bp)
{

	cv_destroy(&bp->b_done);
	mutex_destroy(&bp->b_lock);
	kmem_free(bp, sizeof(*bp));
}

int
biowait(struct buf *bp)
{

	KASSERT((bp->b_flags & B_ASYNC) == 0);
	mutex_enter(&bp->b_lock);
	while (!bp->b_isdone)
		cv_wait(&bp->b_done, &bp->b_lock);
	mutex_exit(&bp->b_lock);
	return bp->b_error;
}

/*
 * End a transfer.  For a synchronous request the waiter may free bp as
 * soon as b_lock is released, so nothing touches bp after that.
 */
void
biodone(struct buf *bp)
{

	if (bp->b_flags & B_ASYNC) {
		bp->b_isdone = true;
		(*bp->b_iodone)(bp);
		return;
	}
	mutex_enter(&bp->b_lock);
	bp->b_isdone = true;
	cv_broadcast(&bp->b_done);
	mutex_exit(&bp->b_lock);
}

/*
 * Helpers of the operations.
 */

/* Devices on a nodev mount cannot be opened (EACCES, as on Linux). */
static bool
spec_nodev(struct vnode *vp)
{
	struct mount *mp = vp->v_mount;
	bool nodev;

	if (mp == NULL)
		return false;
	mutex_enter(&mp->mnt_lock);
	nodev = (mp->mnt_flag & MNT_NODEV) != 0;
	mutex_exit(&mp->mnt_lock);
	return nodev;
}

/*
 * Unlock vp, which the caller holds locked, around a character device
 * transfer that may block; spec_relock takes the lock back in the mode
 * spec_unlock returned.
 */
static int
spec_unlock(struct vnode *vp)
{
	int mode;

	mode = vn_locked_exclusive(vp) ? LK_EXCLUSIVE : LK_SHARED;
	vn_unlock(vp);
	return mode;
}

static void
spec_relock(struct vnode *vp, int mode)
{

	(void)vn_lock(vp, mode | LK_RETRY);
}

/* Ask a block driver to flush its write cache; ENOTTY counts as done. */
static int
spec_cachesync(const struct bdevsw *bdev, dev_t dev)
{
	int force = 1, error;

	if (bdev->d_ioctl == NULL)
		return 0;
	error = (*bdev->d_ioctl)(dev, DIOCCACHESYNC, &force, FWRITE, curlwp);
	return error == ENOTTY ? 0 : error;
}

/*
 * Read or write a block device at any offset and length.  As on Linux, a
 * read at or past the end of the device returns nothing, and a write
 * there fails with ENOSPC unless it wrote some bytes before.
 */
static int
spec_blkrw(struct vnode *vp, struct uio *uio, int ioflag)
{
	const struct bdevsw *bdev;
	dev_t dev = vp->v_rdev;
	uint64_t nblocks, devsize, off;
	size_t n, skip, span, done;
	char *bounce;
	int error;

	bdev = bdevsw_lookup(dev);
	if (bdev == NULL || bdev->d_strategy == NULL)
		return ENXIO;
	if (uio->uio_offset < 0)
		return EINVAL;
	if (bdev->d_psize == NULL)
		return ENXIO;
	error = (*bdev->d_psize)(dev, &nblocks);
	if (error != 0)
		return error;
	devsize = nblocks * DEV_BSIZE;

	bounce = kmem_alloc(SPEC_MAXPHYS, KM_SLEEP);
	done = 0;
	while (uio->uio_resid > 0) {
		off = (uint64_t)uio->uio_offset;
		if (off >= devsize) {
			if (uio->uio_rw == UIO_WRITE && done == 0)
				error = ENOSPC;
			break;
		}

		/* The blocks [off - skip, off - skip + span) cover this step. */
		skip = off % DEV_BSIZE;
		n = MIN(uio->uio_resid, SPEC_MAXPHYS - skip);
		n = MIN(n, devsize - off);
		span = roundup(skip + n, DEV_BSIZE);

		if (uio->uio_rw == UIO_READ ||
		    skip != 0 || (skip + n) % DEV_BSIZE != 0) {
			/* A write of part of a block keeps the rest of it. */
			error = bio_read(vp, (daddr_t)(off / DEV_BSIZE),
			    bounce, span);
			if (error != 0)
				break;
		}
		error = uiomove(bounce + skip, n, uio);
		if (error != 0)
			break;
		if (uio->uio_rw == UIO_WRITE) {
			error = bio_write(vp, (daddr_t)(off / DEV_BSIZE),
			    bounce, span);
			if (error != 0)
				break;
		}
		done += n;
	}
	kmem_free(bounce, SPEC_MAXPHYS);
	if (error == 0 && done > 0 && uio->uio_rw == UIO_WRITE &&
	    (ioflag & (IO_SYNC | IO_DSYNC)))
		error = spec_cachesync(bdev, dev);
	return error;
}

/*
 * The operations.
 */

int
spec_open(struct vnode *vp, int fflag, kauth_cred_t cred)
{
	const struct cdevsw *cdev;
	const struct bdevsw *bdev;
	dev_t dev = vp->v_rdev;

	if (spec_nodev(vp))
		return EACCES;

	switch (vp->v_type) {
	case VCHR:
		cdev = cdevsw_lookup(dev);
		if (cdev == NULL)
			return ENXIO;
		if (cdev->d_open == NULL)
			return 0;
		return (*cdev->d_open)(dev, fflag, S_IFCHR, curlwp);
	case VBLK:
		bdev = bdevsw_lookup(dev);
		if (bdev == NULL)
			return ENXIO;
		if (bdev->d_open == NULL)
			return 0;
		return (*bdev->d_open)(dev, fflag, S_IFBLK, curlwp);
	default:
		return ENXIO;
	}
}

int
spec_close(struct vnode *vp, int fflag, kauth_cred_t cred)
{
	const struct cdevsw *cdev;
	const struct bdevsw *bdev;
	dev_t dev = vp->v_rdev;

	switch (vp->v_type) {
	case VCHR:
		cdev = cdevsw_lookup(dev);
		if (cdev == NULL || cdev->d_close == NULL)
			return 0;
		return (*cdev->d_close)(dev, fflag, S_IFCHR, curlwp);
	case VBLK:
		bdev = bdevsw_lookup(dev);
		if (bdev == NULL || bdev->d_close == NULL)
			return 0;
		return (*bdev->d_close)(dev, fflag, S_IFBLK, curlwp);
	default:
		return 0;
	}
}

int
spec_read(struct vnode *vp, struct uio *uio, int ioflag, kauth_cred_t cred)
{
	const struct cdevsw *cdev;
	int error, mode;

	switch (vp->v_type) {
	case VCHR:
		cdev = cdevsw_lookup(vp->v_rdev);
		if (cdev == NULL)
			return ENXIO;
		if (cdev->d_read == NULL)
			return EINVAL;
		mode = spec_unlock(vp);
		error = (*cdev->d_read)(vp->v_rdev, uio, ioflag);
		spec_relock(vp, mode);
		return error;
	case VBLK:
		return spec_blkrw(vp, uio, ioflag);
	default:
		return ENXIO;
	}
}

int
spec_write(struct vnode *vp, struct uio *uio, int ioflag, kauth_cred_t cred)
{
	const struct cdevsw *cdev;
	int error, mode;

	switch (vp->v_type) {
	case VCHR:
		cdev = cdevsw_lookup(vp->v_rdev);
		if (cdev == NULL)
			return ENXIO;
		if (cdev->d_write == NULL)
			return EINVAL;
		mode = spec_unlock(vp);
		error = (*cdev->d_write)(vp->v_rdev, uio, ioflag);
		spec_relock(vp, mode);
		return error;
	case VBLK:
		return spec_blkrw(vp, uio, ioflag);
	default:
		return ENXIO;
	}
}

int
spec_ioctl(struct vnode *vp, u_long cmd, void *data, int fflag,
    kauth_cred_t cred)
{
	const struct cdevsw *cdev;
	const struct bdevsw *bdev;
	uint64_t nblocks;
	int error;

	switch (vp->v_type) {
	case VCHR:
		cdev = cdevsw_lookup(vp->v_rdev);
		if (cdev == NULL)
			return ENXIO;
		if (cdev->d_ioctl == NULL)
			return ENOTTY;
		return (*cdev->d_ioctl)(vp->v_rdev, cmd, data, fflag, curlwp);
	case VBLK:
		bdev = bdevsw_lookup(vp->v_rdev);
		if (bdev == NULL)
			return ENXIO;
		error = ENOTTY;
		if (bdev->d_ioctl != NULL)
			error = (*bdev->d_ioctl)(vp->v_rdev, cmd, data, fflag,
			    curlwp);
		if (error != ENOTTY)
			return error;

		/* The spec layer serves these for every block device driver. */
		switch (cmd) {
		case BLKGETSIZE64:
		case BLKGETSIZE:
			if (bdev->d_psize == NULL)
				return ENOTTY;
			error = (*bdev->d_psize)(vp->v_rdev, &nblocks);
			if (error != 0)
				return error;
			if (cmd == BLKGETSIZE64)
				*(uint64_t *)data = nblocks * DEV_BSIZE;
			else
				*(unsigned long *)data = nblocks;
			return 0;
		case BLKSSZGET:
			*(int *)data = DEV_BSIZE;
			return 0;
		case BLKPBSZGET:
			*(u_int *)data = DEV_BSIZE;
			return 0;
		default:
			return ENOTTY;
		}
	default:
		return ENOTTY;
	}
}

int
spec_poll(struct vnode *vp, int events, struct lwp *l)
{
	const struct cdevsw *cdev;

	if (vp->v_type == VCHR) {
		cdev = cdevsw_lookup(vp->v_rdev);
		if (cdev == NULL)
			return POLLERR;
		if (cdev->d_poll != NULL)
			return (*cdev->d_poll)(vp->v_rdev, events, l);
	}
	/* Devices without a poll routine never block, as regular files. */
	return events & (POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM);
}

/*
 * fsync of a block device: write its dirty buffers, then have the driver
 * flush its own cache (the host's page cache behind etfs).  Character
 * devices have nothing to flush.
 */
int
spec_fsync(struct vnode *vp, int flags, kauth_cred_t cred)
{
	const struct bdevsw *bdev;
	int error, error2;

	if (vp->v_type != VBLK)
		return 0;
	error = bflush(vp, FSYNC_WAIT);
	bdev = bdevsw_lookup(vp->v_rdev);
	if (bdev == NULL)
		return error != 0 ? error : ENXIO;
	error2 = spec_cachesync(bdev, vp->v_rdev);
	return error != 0 ? error : error2;
}

/*
 * Block devices of mounts.
 *
 * A claim records which mount has a device number open, and in which
 * mode (FREAD, FWRITE).  Claims are few (one per mounted disk), so they
 * are a list under devclaim_lock, a leaf lock made on first use.
 */

struct devclaim {
	LIST_ENTRY(devclaim) dc_entries;	/* devclaim_lock */
	dev_t		 dc_dev;		/* fixed */
	struct vnode	*dc_vp;			/* fixed; referenced */
	struct mount	*dc_mp;			/* fixed */
	int		 dc_mode;		/* FREAD | FWRITE of the open */
};

static kmutex_t *volatile devclaim_lock;
static LIST_HEAD(, devclaim) devclaims = LIST_HEAD_INITIALIZER(devclaims);

static kmutex_t *
devclaim_lock_get(void)
{
	kmutex_t *lock, *found;

	lock = atomic_load_acquire(&devclaim_lock);
	if (__predict_true(lock != NULL))
		return lock;
	lock = mutex_obj_alloc(MUTEX_DEFAULT, IPL_NONE);
	found = atomic_cas_ptr(&devclaim_lock, NULL, lock);
	if (found != NULL) {
		mutex_obj_free(lock);
		return found;
	}
	return lock;
}

/* The claim on devvp, or NULL; devclaim_lock is held. */
static struct devclaim *
devclaim_find(struct vnode *devvp)
{
	struct devclaim *dc;

	LIST_FOREACH(dc, &devclaims, dc_entries) {
		if (dc->dc_vp == devvp)
			return dc;
	}
	return NULL;
}

/* Open or close a block device vnode in mode, locking it around. */
static int
devclaim_open(struct vnode *vp, int mode)
{
	int error;

	error = vn_lock(vp, LK_EXCLUSIVE);
	if (error != 0)
		return error;
	error = VOP_OPEN(vp, mode, kauth_cred_get());
	vn_unlock(vp);
	return error;
}

static void
devclaim_close(struct vnode *vp, int mode)
{

	if (vn_lock(vp, LK_EXCLUSIVE | LK_RETRY) == 0) {
		(void)VOP_CLOSE(vp, mode, kauth_cred_get());
		vn_unlock(vp);
	}
}

int
vfs_opendev(struct mount *mp, const char *source, bool rdonly,
    struct vnode **devvpp)
{
	kmutex_t *lock = devclaim_lock_get();
	struct devclaim *dc, *other;
	struct vnode *vp;
	int error;

	if (source == NULL)
		return EINVAL;
	error = namei(curlwp, AT_FDCWD, source, NAMEI_FOLLOW | NAMEI_KPATH,
	    &vp);
	if (error != 0)
		return error;
	if (vp->v_type != VBLK) {
		vrele(vp);
		return ENOTBLK;
	}
	if (bdevsw_lookup(vp->v_rdev) == NULL) {
		vrele(vp);
		return ENXIO;
	}

	/* Claim first, so that two mounts cannot both open it. */
	dc = kmem_zalloc(sizeof(*dc), KM_SLEEP);
	dc->dc_dev = vp->v_rdev;
	dc->dc_vp = vp;
	dc->dc_mp = mp;
	dc->dc_mode = FREAD | (rdonly ? 0 : FWRITE);
	mutex_enter(lock);
	LIST_FOREACH(other, &devclaims, dc_entries) {
		if (other->dc_dev == dc->dc_dev)
			break;
	}
	if (other == NULL)
		LIST_INSERT_HEAD(&devclaims, dc, dc_entries);
	mutex_exit(lock);
	if (other != NULL) {
		kmem_free(dc, sizeof(*dc));
		vrele(vp);
		return EBUSY;
	}

	error = devclaim_open(vp, dc->dc_mode);
	if (error != 0) {
		mutex_enter(lock);
		LIST_REMOVE(dc, dc_entries);
		mutex_exit(lock);
		kmem_free(dc, sizeof(*dc));
		vrele(vp);
		return error;
	}
	*devvpp = vp;
	return 0;
}

void
vfs_closedev(struct mount *mp, struct vnode *devvp)
{
	kmutex_t *lock = devclaim_lock_get();
	struct devclaim *dc;

	mutex_enter(lock);
	dc = devclaim_find(devvp);
	KASSERTMSG(dc != NULL && dc->dc_mp == mp,
	    "vfs_closedev: device not opened by vfs_opendev for this mount");
	LIST_REMOVE(dc, dc_entries);
	mutex_exit(lock);

	devclaim_close(devvp, dc->dc_mode);
	kmem_free(dc, sizeof(*dc));
	vrele(devvp);
}

int
vfs_devsize(struct vnode *devvp, uint64_t *sizep, u_int *secsizep)
{
	const struct bdevsw *bdev;
	uint64_t nblocks;
	int secsize, error;

	if (devvp->v_type != VBLK)
		return ENOTBLK;
	bdev = bdevsw_lookup(devvp->v_rdev);
	if (bdev == NULL || bdev->d_psize == NULL)
		return ENXIO;
	error = (*bdev->d_psize)(devvp->v_rdev, &nblocks);
	if (error != 0)
		return error;

	secsize = DEV_BSIZE;
	if (bdev->d_ioctl != NULL) {
		error = (*bdev->d_ioctl)(devvp->v_rdev, BLKSSZGET, &secsize,
		    FREAD, curlwp);
		if (error == ENOTTY)
			secsize = DEV_BSIZE;
		else if (error != 0)
			return error;
	}
	if (secsize != 512 && secsize != 4096) {
		log(LOG_WARNING, "vfs_devsize: device %u,%u reports sector "
		    "size %d; using 512\n", (u_int)major(devvp->v_rdev),
		    (u_int)minor(devvp->v_rdev), secsize);
		secsize = DEV_BSIZE;
	}
	*sizep = nblocks * DEV_BSIZE;
	*secsizep = (u_int)secsize;
	return 0;
}

int
vfs_devsetrw(struct vnode *devvp, bool rw)
{
	kmutex_t *lock = devclaim_lock_get();
	struct devclaim *dc;
	int oldmode, newmode, error;

	mutex_enter(lock);
	dc = devclaim_find(devvp);
	mutex_exit(lock);
	if (dc == NULL)
		return EINVAL;

	/* The mount's own calls are serialised, so dc_mode is stable. */
	oldmode = dc->dc_mode;
	newmode = FREAD | (rw ? FWRITE : 0);
	if (newmode == oldmode)
		return 0;
	error = devclaim_open(devvp, newmode);
	if (error != 0)
		return error;
	devclaim_close(devvp, oldmode);
	dc->dc_mode = newmode;
	return 0;
}
