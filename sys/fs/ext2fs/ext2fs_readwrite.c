/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ext2fs: regular file data.  read, write, fallocate, fsync and the
 * SEEK_DATA / SEEK_HOLE search.
 *
 * File data lives in the buffer cache under the device blocks that bmap
 * gives.  A read requests each block with bread_ahead and the length of
 * the contiguous run that follows it, so a sequential reader gets large
 * transfers and finds the rest of the run cached.  A write of a whole
 * block takes the buffer with getblk, without reading it.  A partial
 * write reads the block first, or zeroes a block that it has just
 * allocated.  Holes get a run of contiguous blocks at once
 * (ext2fs_balloc_run), as many as the write covers in the same map block.
 * Data is written back later (bdwrite), or at once for IO_SYNC and
 * IO_DSYNC writes, on "sync" mounts and for files with EXT2_SYNC_FL.
 *
 * Access times follow Linux's relatime: a read (and a readdir or readlink,
 * through ext2fs_iaccessed) sets atime when it is not newer than mtime or
 * ctime, or is a day old.  It never sets atime on noatime or read-only
 * mounts, with IO_NOATIME, or for files with EXT2_NOATIME_FL.
 * Reads hold the vnode lock shared, so the update is serialised by
 * um_lock, the only change a shared holder makes to the inode.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/fcntl.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#include <fs/ext2fs/ext2fs.h>

/* The relatime rule: atime is refreshed once it is a day old. */
#define EXT2_RELATIME_SECS	(24 * 60 * 60)

/* Largest run of blocks a write allocates at once. */
#define EXT2_WRITE_MAXRUN	1024

static int
ext2fs_vtype_check(struct vnode *vp)
{

	switch (vp->v_type) {
	case VREG:
		return 0;
	case VDIR:
		return EISDIR;
	default:
		return EINVAL;
	}
}

/*
 * Record an access to ip (read, readdir, readlink) under the atime policy
 * above.  The caller holds the vnode lock, maybe shared.
 */
void
ext2fs_iaccessed(struct ext2fs_inode *ip)
{
	struct ext2fs_mount *ump = ip->i_ump;
	const struct ext2fs_dinode *din = ip->i_din;
	time_t now;

	if (ump->um_ronly || (ump->um_mntopts & EXT2_MNT_NOATIME) ||
	    (din->i_flags & EXT2_NOATIME_FL))
		return;

	/* Seconds suffice, because relatime only compares "not newer". */
	now = time_second;
	mutex_enter(&ump->um_lock);
	if ((int32_t)din->i_atime > (int32_t)din->i_mtime &&
	    (int32_t)din->i_atime > (int32_t)din->i_ctime &&
	    now - (int32_t)din->i_atime < EXT2_RELATIME_SECS) {
		mutex_exit(&ump->um_lock);
		return;
	}
	ext2fs_itimes(ip, EXT2_IACCESS);
	(void)ext2fs_iupdate(ip, false);
	mutex_exit(&ump->um_lock);
}

int
ext2fs_read(struct vnode *vp, struct uio *uio, int ioflag, kauth_cred_t cred)
{
	struct ext2fs_inode *ip = VTOI(vp);
	struct ext2fs_mount *ump = ip->i_ump;
	uint32_t bsize = ump->um_bsize, boff, run;
	uint64_t lbn, bn, size, runlbn = 0, runbn = 0, runcount = 0;
	char *zeros = NULL;
	struct buf *bp;
	size_t n;
	int error;

	error = ext2fs_vtype_check(vp);
	if (error != 0)
		return error;
	if (uio->uio_offset < 0)
		return EINVAL;
	if (uio->uio_resid == 0)
		return 0;

	size = ip->i_size;
	while (uio->uio_resid > 0 && (uint64_t)uio->uio_offset < size) {
		lbn = (uint64_t)uio->uio_offset >> ump->um_bshift;
		boff = (uint32_t)(uio->uio_offset & (bsize - 1));
		n = MIN((size_t)(bsize - boff), uio->uio_resid);
		n = (size_t)MIN((uint64_t)n, size - (uint64_t)uio->uio_offset);

		/* The run found for an earlier block may cover this one. */
		if (runcount > 0 && lbn >= runlbn && lbn - runlbn < runcount) {
			bn = runbn == 0 ? 0 : runbn + (lbn - runlbn);
			run = (uint32_t)(runcount - (lbn - runlbn) - 1);
		} else {
			error = ext2fs_bmap(ip, lbn, &bn, &run);
			if (error != 0)
				break;
			runlbn = lbn;
			runbn = bn;
			runcount = (uint64_t)run + 1;
		}
		if (bn == 0) {
			if (zeros == NULL)
				zeros = kmem_zalloc(bsize, KM_SLEEP);
			error = uiomove(zeros, n, uio);
		} else {
			error = bread_ahead(ump->um_devvp,
			    EXT2_FSBTODB(ump, bn), bsize, run, &bp);
			if (error != 0)
				break;
			error = uiomove((char *)bp->b_data + boff, n, uio);
			brelse(bp, 0);
		}
		if (error != 0)
			break;
	}
	if (zeros != NULL)
		kmem_free(zeros, bsize);
	if (!(ioflag & IO_NOATIME))
		ext2fs_iaccessed(ip);
	return error;
}

/* Writes of this file go to the disk at once. */
static bool
ext2fs_write_sync(struct ext2fs_inode *ip, int ioflag)
{

	return (ioflag & (IO_SYNC | IO_DSYNC)) ||
	    (ip->i_ump->um_mntopts & EXT2_MNT_SYNC) ||
	    (ip->i_din->i_flags & EXT2_SYNC_FL);
}

/*
 * The run of blocks the write loop is filling: file blocks [lbn, lbn +
 * count) are at device blocks from bn on, just allocated when isnew.
 */
struct ext2fs_wrun {
	uint64_t	wr_lbn;
	uint64_t	wr_bn;
	uint32_t	wr_count;
	bool		wr_new;
};

/*
 * The block for file block lbn, allocating it (with the following holes
 * the write covers) when it is a hole.
 */
static int
ext2fs_write_block(struct ext2fs_inode *ip, uint64_t lbn, uint32_t wantblocks,
    kauth_cred_t cred, struct ext2fs_wrun *wr, uint64_t *bnp, bool *newp)
{
	uint32_t run;
	uint64_t bn;
	int error;

	if (wr->wr_count > 0 && lbn >= wr->wr_lbn &&
	    lbn - wr->wr_lbn < wr->wr_count) {
		*bnp = wr->wr_bn + (lbn - wr->wr_lbn);
		*newp = wr->wr_new;
		return 0;
	}
	error = ext2fs_bmap(ip, lbn, &bn, &run);
	if (error != 0)
		return error;
	if (bn != 0) {
		wr->wr_lbn = lbn;
		wr->wr_bn = bn;
		wr->wr_count = run + 1;
		wr->wr_new = false;
	} else {
		error = ext2fs_balloc_run(ip, lbn, MAX(wantblocks, 1), cred,
		    &wr->wr_bn, &wr->wr_count, &wr->wr_new);
		if (error != 0)
			return error;
		wr->wr_lbn = lbn;
	}
	*bnp = wr->wr_bn;
	*newp = wr->wr_new;
	return 0;
}

int
ext2fs_write(struct vnode *vp, struct uio *uio, int ioflag, kauth_cred_t cred)
{
	struct ext2fs_inode *ip = VTOI(vp);
	struct ext2fs_mount *ump = ip->i_ump;
	uint32_t bsize = ump->um_bsize, boff, want;
	uint64_t lbn, bn, end;
	size_t n, excess, resid, written;
	struct ext2fs_wrun wr;
	struct buf *bp;
	bool sync, isnew, allocated = false;
	int error;

	KASSERT(vn_locked_exclusive(vp));
	error = ext2fs_vtype_check(vp);
	if (error != 0)
		return error;
	if (ump->um_ronly)
		return EROFS;
	if (ip->i_din->i_flags & EXT2_IMMUTABLE_FL)
		return EPERM;
	if (ip->i_din->i_flags & EXT4_EXTENTS_FL)
		return EROFS;

	error = vfs_write_clamp(uio, ioflag, ip->i_size, ump->um_maxfilesize,
	    &excess);
	if (error != 0 || uio->uio_resid == 0)
		return error;

	sync = ext2fs_write_sync(ip, ioflag);
	resid = uio->uio_resid;
	memset(&wr, 0, sizeof(wr));
	while (uio->uio_resid > 0) {
		lbn = (uint64_t)uio->uio_offset >> ump->um_bshift;
		boff = (uint32_t)(uio->uio_offset & (bsize - 1));
		n = MIN((size_t)(bsize - boff), uio->uio_resid);

		/* Allocate for the whole blocks this write still covers. */
		want = (uint32_t)MIN((uint64_t)(boff + uio->uio_resid) /
		    bsize, EXT2_WRITE_MAXRUN);
		error = ext2fs_write_block(ip, lbn, want, cred, &wr, &bn,
		    &isnew);
		if (error != 0)
			break;
		allocated |= isnew;

		if (n == bsize || isnew) {
			bp = getblk(ump->um_devvp, EXT2_FSBTODB(ump, bn), bsize,
			    0);
			if (isnew && n != bsize)
				memset(bp->b_data, 0, bsize);
		} else {
			error = bread(ump->um_devvp, EXT2_FSBTODB(ump, bn),
			    bsize, 0, &bp);
			if (error != 0)
				break;
		}

		error = uiomove((char *)bp->b_data + boff, n, uio);
		if (error != 0) {
			/*
			 * A failed copy leaves a new block zeroed; an old
			 * block taken without reading it is dropped, so the
			 * disk keeps its data.
			 */
			if (isnew) {
				memset(bp->b_data, 0, bsize);
				bdwrite(bp);
			} else if (n == bsize && !(bp->b_cflags & BC_VALID))
				brelse(bp, BC_INVAL);
			else
				brelse(bp, 0);
			break;
		}
		end = (uint64_t)uio->uio_offset;
		if (end > ip->i_size)
			ext2fs_setsize(ip, end);
		if (sync) {
			error = bwrite(bp);
			if (error != 0)
				break;
		} else
			bdwrite(bp);
	}

	/* Blocks allocated past what was written go again. */
	if (allocated && error != 0)
		(void)ext2fs_truncate(ip, ip->i_size, cred);

	written = resid - uio->uio_resid;
	uio->uio_resid += excess;
	if (written > 0) {
		/* A short write reports what was written, as Linux does. */
		error = 0;
		ext2fs_itimes(ip, EXT2_IUPDATE | EXT2_ICHANGE);
	}
	if (ip->i_dirty) {
		int error2 = ext2fs_iupdate(ip, sync);

		if (error == 0)
			error = error2;
	}
	return error;
}

int
ext2fs_fallocate(struct vnode *vp, off_t off, off_t len, int mode)
{
	struct ext2fs_inode *ip = VTOI(vp);
	struct ext2fs_mount *ump = ip->i_ump;
	uint64_t lbn, last, end, bn, k;
	uint32_t bsize = ump->um_bsize, got;
	struct buf *bp;
	bool isnew;
	int error = 0;

	KASSERT(vn_locked_exclusive(vp));
	error = ext2fs_vtype_check(vp);
	if (error != 0)
		return error == EINVAL ? ENODEV : error;
	if (ump->um_ronly)
		return EROFS;
	if (mode != 0 && mode != FALLOC_FL_KEEP_SIZE)
		return EOPNOTSUPP;
	if (off < 0 || len <= 0)
		return EINVAL;
	if ((uint64_t)off > ump->um_maxfilesize ||
	    (uint64_t)len > ump->um_maxfilesize - (uint64_t)off)
		return EFBIG;
	if (ip->i_din->i_flags & (EXT2_IMMUTABLE_FL | EXT2_APPEND_FL))
		return EPERM;
	if (ip->i_din->i_flags & EXT4_EXTENTS_FL)
		return EROFS;
	end = (uint64_t)off + (uint64_t)len;

	/*
	 * NOTE: a block map has no way to mark blocks past the size as
	 * allocated but unused (e2fsck counts them as corruption), so
	 * FALLOC_FL_KEEP_SIZE is refused for a range past the last block.
	 */
	if (mode == FALLOC_FL_KEEP_SIZE && end > roundup(ip->i_size, bsize))
		return EOPNOTSUPP;

	last = (end - 1) >> ump->um_bshift;
	for (lbn = (uint64_t)off >> ump->um_bshift; lbn <= last; ) {
		error = ext2fs_balloc_run(ip, lbn, (uint32_t)MIN(last - lbn + 1,
		    EXT2_WRITE_MAXRUN), NULL, &bn, &got, &isnew);
		if (error != 0)
			break;
		if (isnew) {
			/* New blocks read as zeros: write zeros to them. */
			for (k = 0; k < got; k++) {
				bp = getblk(ump->um_devvp,
				    EXT2_FSBTODB(ump, bn + k), bsize, 0);
				memset(bp->b_data, 0, bsize);
				bdwrite(bp);
			}
		}
		lbn += got;
	}

	if (error == 0 && mode == 0 && end > ip->i_size)
		ext2fs_setsize(ip, end);
	if (error != 0)
		(void)ext2fs_truncate(ip, ip->i_size, NULL);
	ext2fs_itimes(ip, EXT2_IUPDATE | EXT2_ICHANGE);
	if (ext2fs_iupdate(ip, false) != 0 && error == 0)
		error = EIO;
	return error;
}

int
ext2fs_fsync(struct vnode *vp, int flags, kauth_cred_t cred)
{
	struct ext2fs_inode *ip = VTOI(vp);
	struct ext2fs_mount *ump = ip->i_ump;
	int error, error2;

	if (ump->um_ronly)
		return 0;
	error = ext2fs_iupdate(ip, false);
	/* The counters too, so that the disk is consistent afterwards. */
	error2 = ext2fs_sbupdate(ump, false);
	if (error == 0)
		error = error2;
	error2 = bflush(ump->um_devvp, FSYNC_WAIT);
	if (error == 0)
		error = error2;
	return error;
}

int
ext2fs_seekdata(struct vnode *vp, off_t off, int whence, off_t *resultp)
{
	struct ext2fs_inode *ip = VTOI(vp);
	struct ext2fs_mount *ump = ip->i_ump;
	uint64_t size = ip->i_size, lbn, bn, pos;
	uint32_t run;
	int error;

	if (vp->v_type != VREG)
		return EINVAL;
	if (whence != SEEK_DATA && whence != SEEK_HOLE)
		return EINVAL;
	if (off < 0 || (uint64_t)off >= size)
		return ENXIO;

	for (lbn = (uint64_t)off >> ump->um_bshift;
	    lbn << ump->um_bshift < size; lbn += (uint64_t)run + 1) {
		error = ext2fs_bmap(ip, lbn, &bn, &run);
		if (error != 0)
			return error;
		if ((whence == SEEK_DATA) == (bn != 0)) {
			pos = MAX((uint64_t)off, lbn << ump->um_bshift);
			if (pos >= size)
				break;
			*resultp = (off_t)pos;
			return 0;
		}
	}
	/*
	 * Without more data SEEK_DATA fails with ENXIO.  Without a hole
	 * before the end, the end counts as the hole.
	 */
	if (whence == SEEK_DATA)
		return ENXIO;
	*resultp = (off_t)size;
	return 0;
}
