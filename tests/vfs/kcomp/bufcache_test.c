/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Kernel side of t_bufcache: thin wrappers that let the test program
 * drive the buffer cache (sys/buf.h) and the mount-time device calls
 * (vfs_opendev and friends, sys/mount.h) on one block device.  This file
 * is kernel code, built into librumptestvfs.  Each rump_test_bufcache_*
 * function schedules itself, so the test program may call it from any
 * host thread, several at once.  They return an errno value unless
 * stated otherwise.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/mount.h>
#include <sys/vnode.h>

#include <rump/rump.h>

/* The device under test and the mount that claims it (never mounted). */
static struct vnode *bt_devvp;
static struct mount bt_mount;

int	rump_test_bufcache_open(const char *, int);
int	rump_test_bufcache_open_other(const char *);
int	rump_test_bufcache_close(void);
int	rump_test_bufcache_devsize(uint64_t *, unsigned int *);
int	rump_test_bufcache_setrw(int);
int	rump_test_bufcache_read(uint64_t, size_t, unsigned int, void *);
int	rump_test_bufcache_write(uint64_t, size_t, const void *, int, int);
int	rump_test_bufcache_flush(int);
void	rump_test_bufcache_invalall(void);
void	rump_test_bufcache_inval(uint64_t, size_t);
int	rump_test_bufcache_bio(int, uint64_t, void *, size_t);
int	rump_test_bufcache_reread_busy(uint64_t, size_t, unsigned int);

/* Open path as the device under test, read-only when rdonly is set. */
int
rump_test_bufcache_open(const char *path, int rdonly)
{
	int error;

	rump_schedule();
	error = vfs_opendev(&bt_mount, path, rdonly != 0, &bt_devvp);
	rump_unschedule();
	return error;
}

/* Try to open path for a second mount: expected to fail with EBUSY. */
int
rump_test_bufcache_open_other(const char *path)
{
	static struct mount other;
	struct vnode *vp;
	int error;

	rump_schedule();
	error = vfs_opendev(&other, path, true, &vp);
	if (error == 0)
		vfs_closedev(&other, vp);
	rump_unschedule();
	return error;
}

/* Unmount-like close: flush and wait, forget every buffer, close. */
int
rump_test_bufcache_close(void)
{
	int error;

	rump_schedule();
	error = bflush(bt_devvp, FSYNC_WAIT);
	binvalall(bt_devvp);
	vfs_closedev(&bt_mount, bt_devvp);
	bt_devvp = NULL;
	rump_unschedule();
	return error;
}

int
rump_test_bufcache_devsize(uint64_t *sizep, unsigned int *secsizep)
{
	int error;

	rump_schedule();
	error = vfs_devsize(bt_devvp, sizep, secsizep);
	rump_unschedule();
	return error;
}

int
rump_test_bufcache_setrw(int rw)
{
	int error;

	rump_schedule();
	error = vfs_devsetrw(bt_devvp, rw != 0);
	rump_unschedule();
	return error;
}

/*
 * Copy size bytes at blkno into out through the cache: bread when nahead
 * is 0, else bread_ahead with nahead more blocks.
 */
int
rump_test_bufcache_read(uint64_t blkno, size_t size, unsigned int nahead,
    void *out)
{
	struct buf *bp;
	int error;

	rump_schedule();
	if (nahead == 0)
		error = bread(bt_devvp, blkno, size, 0, &bp);
	else
		error = bread_ahead(bt_devvp, blkno, size, nahead, &bp);
	if (error == 0) {
		if (bp == NULL || bp->b_bcount != size ||
		    (bp->b_cflags & (BC_BUSY | BC_VALID)) !=
		    (BC_BUSY | BC_VALID)) {
			printf("bufcache_test: bread returned a bad buffer\n");
			error = EFAULT;
		} else {
			memcpy(out, bp->b_data, size);
		}
		if (bp != NULL)
			brelse(bp, 0);
	} else if (bp != NULL) {
		printf("bufcache_test: failed bread returned a buffer\n");
		error = EFAULT;
	}
	rump_unschedule();
	return error;
}

/*
 * Store size bytes of data at blkno through the cache.  how: 0 bdwrite,
 * 1 bwrite, 2 bawrite.  With partial set, only the first 512 bytes are
 * replaced, through bread, so the rest must come from the device.
 */
int
rump_test_bufcache_write(uint64_t blkno, size_t size, const void *data,
    int how, int partial)
{
	struct buf *bp;
	int error = 0;

	rump_schedule();
	if (partial) {
		error = bread(bt_devvp, blkno, size, 0, &bp);
		if (error != 0)
			goto out;
		memcpy(bp->b_data, data, DEV_BSIZE);
	} else {
		bp = getblk(bt_devvp, blkno, size, 0);
		memcpy(bp->b_data, data, size);
	}
	switch (how) {
	case 0:
		bdwrite(bp);
		break;
	case 1:
		error = bwrite(bp);
		break;
	default:
		bawrite(bp);
		break;
	}
out:
	rump_unschedule();
	return error;
}

int
rump_test_bufcache_flush(int wait)
{
	int error;

	rump_schedule();
	error = bflush(bt_devvp, wait ? FSYNC_WAIT : 0);
	rump_unschedule();
	return error;
}

void
rump_test_bufcache_invalall(void)
{

	rump_schedule();
	binvalall(bt_devvp);
	rump_unschedule();
}

void
rump_test_bufcache_inval(uint64_t blkno, size_t size)
{

	rump_schedule();
	binval(bt_devvp, blkno, size);
	rump_unschedule();
}

/* bio_read (write 0) or bio_write (write 1) of len bytes at blkno. */
int
rump_test_bufcache_bio(int write, uint64_t blkno, void *data, size_t len)
{
	int error;

	rump_schedule();
	if (write)
		error = bio_write(bt_devvp, blkno, data, len);
	else
		error = bio_read(bt_devvp, blkno, data, len);
	rump_unschedule();
	return error;
}

/*
 * Read blkno while holding it busy, as a driver misled by a damaged file
 * system would: returns the second read's errno (EDEADLK expected), or
 * EFAULT when that read returned a buffer.
 */
int
rump_test_bufcache_reread_busy(uint64_t blkno, size_t size,
    unsigned int nahead)
{
	struct buf *bp, *bp2;
	int error;

	rump_schedule();
	error = bread(bt_devvp, blkno, size, 0, &bp);
	if (error == 0) {
		if (nahead == 0)
			error = bread(bt_devvp, blkno, size, 0, &bp2);
		else
			error = bread_ahead(bt_devvp, blkno, size, nahead,
			    &bp2);
		if (error == 0) {
			printf("bufcache_test: a busy block was read again\n");
			brelse(bp2, 0);
			error = EFAULT;
		}
		brelse(bp, 0);
	}
	rump_unschedule();
	return error;
}
