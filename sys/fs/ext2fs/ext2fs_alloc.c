/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ext2fs: block and inode allocation.
 *
 * Each group has a block bitmap (one bit per block of the group, bit i
 * of byte i / 8 for block i, set when in use) and an inode bitmap (one
 * bit per inode of the group).  The bitmaps are read and changed through
 * the buffer cache and written back as delayed writes.  Every change also
 * moves the free counts of the group descriptor and of the superblock,
 * so they stay exact and statfs can read them directly.  All of it
 * happens under um_lock, which is held across the bread of a bitmap.
 *
 * Placement.  A block goes as close after its goal as possible (the goal
 * is the block after the file's previous one), taking a run of free
 * blocks when the caller wants several: sequential writes get contiguous
 * files.  Without a goal a file's blocks start in the group of its
 * inode.  New directories go to a group with more free inodes and blocks
 * than the average and the fewest directories, which spreads the tree
 * over the disk.  Other files go to their directory's group.
 *
 * Blocks that s_r_blocks_count reserves are given
 * only to privileged callers, to s_def_resuid and to members of a
 * non-zero s_def_resgid.  A bitmap bit that would hand out a block of
 * metadata, a free of a block already free or of metadata, and a free
 * inode bit that a free finds clear are reported as corruption and not
 * followed.
 *
 * Groups marked BLOCK_UNINIT or INODE_UNINIT only exist on file systems
 * with checksummed descriptors, which are mounted read-only, so the
 * allocator never meets them.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/kauth.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vnode.h>

#include <fs/ext2fs/ext2fs.h>

static bool
bit_isset(const uint8_t *map, uint32_t i)
{

	return (map[i >> 3] & (1U << (i & 7))) != 0;
}

static void
bit_set(uint8_t *map, uint32_t i)
{

	map[i >> 3] |= (uint8_t)(1U << (i & 7));
}

static void
bit_clear(uint8_t *map, uint32_t i)
{

	map[i >> 3] &= (uint8_t)~(1U << (i & 7));
}

/* First clear bit in [from, to) of map, or to when there is none. */
static uint32_t
bit_find_clear(const uint8_t *map, uint32_t from, uint32_t to)
{
	uint64_t word;
	uint32_t i = from;

	/* Bit by bit up to a 64-bit boundary, then a word at a time. */
	while (i < to && (i & 63) != 0) {
		if (!bit_isset(map, i))
			return i;
		i++;
	}
	while (i + 64 <= to) {
		memcpy(&word, map + (i >> 3), sizeof(word));
		if (word != ~0ULL)
			return i + (uint32_t)ffs64(~word) - 1;
		i += 64;
	}
	while (i < to) {
		if (!bit_isset(map, i))
			return i;
		i++;
	}
	return to;
}

/* Blocks in group g (the last group may be short). */
static uint32_t
ext2fs_group_nblocks(struct ext2fs_mount *ump, uint32_t g)
{
	uint64_t first = ext2fs_group_first_block(ump, g);

	return (uint32_t)MIN((uint64_t)ump->um_bpg, ump->um_nblocks - first);
}

static uint32_t
ext2fs_blk_group(struct ext2fs_mount *ump, uint64_t bn)
{

	return (uint32_t)((bn - ump->um_sb.s_first_data_block) / ump->um_bpg);
}

/* May cred use the blocks reserved for the super-user? */
static bool
ext2fs_may_use_reserve(struct ext2fs_mount *ump, kauth_cred_t cred)
{
	gid_t resgid = ump->um_sb.s_def_resgid;

	if (cred == NULL || kauth_cred_privileged(cred))
		return true;
	if (kauth_cred_geteuid(cred) == ump->um_sb.s_def_resuid)
		return true;
	return resgid != 0 && kauth_cred_groupmember(cred, resgid);
}

/*
 * Take up to want free blocks of group g, contiguous, the first at or
 * after index start of the group (or anywhere in the group when none is
 * free after it).  ENOSPC when the group has none.
 */
static int
ext2fs_group_blkalloc(struct ext2fs_mount *ump, uint32_t g, uint32_t start,
    uint32_t want, uint64_t *bnp, uint32_t *gotp)
{
	struct ext2fs_gd *gd = ext2fs_gd(ump, g);
	uint32_t nbits, i, n, k, freeb;
	uint64_t first, bn;
	struct buf *bp;
	uint8_t *map;
	int error;

	KASSERT(mutex_owned(&ump->um_lock));
	freeb = ext2fs_gd_free_blocks(ump, gd);
	if (freeb == 0)
		return ENOSPC;
	nbits = ext2fs_group_nblocks(ump, g);
	first = ext2fs_group_first_block(ump, g);
	if (start >= nbits)
		start = 0;

	error = bread(ump->um_devvp, EXT2_FSBTODB(ump,
	    ext2fs_gd_block_bitmap(ump, gd)), ump->um_bsize, 0, &bp);
	if (error != 0)
		return error;
	map = bp->b_data;
	i = bit_find_clear(map, start, nbits);
	if (i == nbits && start > 0)
		i = bit_find_clear(map, 0, start);
	if (i >= nbits) {
		brelse(bp, 0);
		ext2fs_corrupt(ump, 0, ext2fs_gd_block_bitmap(ump, gd),
		    "group %u: %u free blocks counted, none in the bitmap", g,
		    freeb);
		return EFSCORRUPTED;
	}
	want = MIN(want, freeb);
	for (n = 1; n < want && i + n < nbits && !bit_isset(map, i + n); n++)
		continue;

	bn = first + i;
	if (ext2fs_blk_is_meta(ump, bn, n)) {
		brelse(bp, 0);
		ext2fs_corrupt(ump, 0, bn, "group %u: block bitmap marks "
		    "metadata free", g);
		return EFSCORRUPTED;
	}
	for (k = 0; k < n; k++)
		bit_set(map, i + k);
	bdwrite(bp);

	ext2fs_gd_set_free_blocks(ump, gd, freeb - n);
	ext2fs_set_free_blocks(ump, ext2fs_free_blocks(ump) - n);
	ext2fs_gd_dirty(ump, g);
	*bnp = bn;
	*gotp = n;
	return 0;
}

int
ext2fs_blkalloc_run(struct ext2fs_inode *ip, uint64_t goal, kauth_cred_t cred,
    uint64_t *bnp, uint32_t *countp)
{
	struct ext2fs_mount *ump = ip->i_ump;
	uint64_t freeb, reserve, first;
	uint32_t g, g0, tries, want = *countp, start;
	int error;

	KASSERT(want > 0);
	KASSERT(!ump->um_ronly);

	mutex_enter(&ump->um_lock);
	freeb = ext2fs_free_blocks(ump);
	reserve = ext2fs_may_use_reserve(ump, cred) ? 0 :
	    (ump->um_sb.s_r_blocks_count_lo |
	    ((ump->um_incompat & EXT4F_INCOMPAT_64BIT) ?
	    (uint64_t)ump->um_sb.s_r_blocks_count_hi << 32 : 0));
	if (freeb <= reserve) {
		mutex_exit(&ump->um_lock);
		return ENOSPC;
	}
	want = (uint32_t)MIN((uint64_t)want, freeb - reserve);

	first = ump->um_sb.s_first_data_block;
	if (goal < first || goal >= ump->um_nblocks) {
		g0 = (ip->i_number - 1) / ump->um_ipg;
		start = 0;
	} else {
		g0 = ext2fs_blk_group(ump, goal);
		start = (uint32_t)(goal - ext2fs_group_first_block(ump, g0));
	}

	/* The goal's group, then the following ones, wrapping around. */
	error = ENOSPC;
	for (tries = 0, g = g0; tries < ump->um_ngroups; tries++) {
		error = ext2fs_group_blkalloc(ump, g, start, want, bnp, countp);
		if (error != ENOSPC)
			break;
		start = 0;
		if (++g == ump->um_ngroups)
			g = 0;
	}
	mutex_exit(&ump->um_lock);
	return error;
}

int
ext2fs_blkalloc(struct ext2fs_inode *ip, uint64_t goal, kauth_cred_t cred,
    uint64_t *bnp)
{
	uint32_t count = 1;

	return ext2fs_blkalloc_run(ip, goal, cred, bnp, &count);
}

void
ext2fs_blkfree(struct ext2fs_mount *ump, uint64_t bn, uint32_t count)
{
	struct ext2fs_gd *gd;
	struct buf *bp;
	uint32_t g, i, n, k, freed;
	uint64_t first;
	uint8_t *map;
	int error;

	if (count == 0)
		return;
	if (ext2fs_blk_is_meta(ump, bn, count)) {
		ext2fs_corrupt(ump, 0, bn, "freeing %u blocks of metadata or "
		    "out of range; not freed", count);
		return;
	}

	mutex_enter(&ump->um_lock);
	while (count > 0) {
		g = ext2fs_blk_group(ump, bn);
		first = ext2fs_group_first_block(ump, g);
		i = (uint32_t)(bn - first);
		n = MIN(count, ext2fs_group_nblocks(ump, g) - i);
		gd = ext2fs_gd(ump, g);
		error = bread(ump->um_devvp, EXT2_FSBTODB(ump,
		    ext2fs_gd_block_bitmap(ump, gd)), ump->um_bsize, 0, &bp);
		if (error != 0) {
			log(LOG_ERR, "ext2fs %s: cannot free blocks %llu-%llu: "
			    "bitmap read error %d\n", ump->um_mp->mnt_source,
			    (unsigned long long)bn,
			    (unsigned long long)(bn + n - 1), error);
			goto next;
		}
		map = bp->b_data;
		for (k = 0, freed = 0; k < n; k++) {
			if (!bit_isset(map, i + k)) {
				ext2fs_corrupt(ump, 0, bn + k, "freeing a free "
				    "block");
				continue;
			}
			bit_clear(map, i + k);
			freed++;
		}
		bdwrite(bp);
		ext2fs_gd_set_free_blocks(ump, gd,
		    ext2fs_gd_free_blocks(ump, gd) + freed);
		ext2fs_set_free_blocks(ump, ext2fs_free_blocks(ump) + freed);
		ext2fs_gd_dirty(ump, g);
next:
		bn += n;
		count -= n;
	}
	mutex_exit(&ump->um_lock);
}

/* ------------------------------------------------------------------ */
/* Inodes. */

/*
 * Choose the group for a new directory.  Among the groups with at least
 * the average of free inodes and free blocks it takes the one with the
 * fewest directories, searching from after the last choice.  Failing
 * that, any group with a free inode.
 */
static uint32_t
ext2fs_dir_group(struct ext2fs_mount *ump)
{
	const struct ext2fs_gd *gd;
	uint64_t avgfreei, avgfreeb;
	uint32_t g, i, best = UINT32_MAX, bestdirs = UINT32_MAX, dirs;

	avgfreei = ump->um_sb.s_free_inodes_count / ump->um_ngroups;
	avgfreeb = ext2fs_free_blocks(ump) / ump->um_ngroups;
	for (i = 0; i < ump->um_ngroups; i++) {
		g = (ump->um_lastdir_group + 1 + i) % ump->um_ngroups;
		gd = ext2fs_gd(ump, g);
		if (ext2fs_gd_free_inodes(ump, gd) == 0 ||
		    ext2fs_gd_free_inodes(ump, gd) < avgfreei ||
		    ext2fs_gd_free_blocks(ump, gd) < avgfreeb)
			continue;
		dirs = ext2fs_gd_used_dirs(ump, gd);
		if (dirs < bestdirs) {
			best = g;
			bestdirs = dirs;
		}
	}
	if (best == UINT32_MAX) {
		for (g = 0; g < ump->um_ngroups; g++) {
			if (ext2fs_gd_free_inodes(ump, ext2fs_gd(ump, g)) > 0)
				return g;
		}
		return 0;
	}
	ump->um_lastdir_group = best;
	return best;
}

/*
 * Group for another new file: its directory's group when that has a
 * free inode and a free block, else a quadratic probe from there for
 * one, else any group with a free inode.
 */
static uint32_t
ext2fs_file_group(struct ext2fs_mount *ump, uint32_t parent)
{
	const struct ext2fs_gd *gd;
	uint32_t g, step;

	gd = ext2fs_gd(ump, parent);
	if (ext2fs_gd_free_inodes(ump, gd) > 0 &&
	    ext2fs_gd_free_blocks(ump, gd) > 0)
		return parent;
	g = parent;
	for (step = 1; step < ump->um_ngroups; step <<= 1) {
		g = (uint32_t)(((uint64_t)g + step) % ump->um_ngroups);
		gd = ext2fs_gd(ump, g);
		if (ext2fs_gd_free_inodes(ump, gd) > 0 &&
		    ext2fs_gd_free_blocks(ump, gd) > 0)
			return g;
	}
	for (step = 1; step < ump->um_ngroups; step++) {
		g = (parent + step) % ump->um_ngroups;
		if (ext2fs_gd_free_inodes(ump, ext2fs_gd(ump, g)) > 0)
			return g;
	}
	return parent;
}

/* Take a free inode of group g: ENOSPC when it has none. */
static int
ext2fs_group_inoalloc(struct ext2fs_mount *ump, uint32_t g, bool isdir,
    uint32_t *inop)
{
	struct ext2fs_gd *gd = ext2fs_gd(ump, g);
	uint32_t freei, i, start;
	struct buf *bp;
	uint64_t ino;
	int error;

	KASSERT(mutex_owned(&ump->um_lock));
	freei = ext2fs_gd_free_inodes(ump, gd);
	if (freei == 0)
		return ENOSPC;
	error = bread(ump->um_devvp, EXT2_FSBTODB(ump,
	    ext2fs_gd_inode_bitmap(ump, gd)), ump->um_bsize, 0, &bp);
	if (error != 0)
		return error;

	/* The reserved inodes at the start of group 0 are never handed out. */
	start = g == 0 ? MIN(ump->um_first_ino - 1, ump->um_ipg) : 0;
	i = bit_find_clear(bp->b_data, start, ump->um_ipg);
	ino = (uint64_t)g * ump->um_ipg + i + 1;
	if (i >= ump->um_ipg || ino > ump->um_sb.s_inodes_count) {
		brelse(bp, 0);
		ext2fs_corrupt(ump, 0, ext2fs_gd_inode_bitmap(ump, gd),
		    "group %u: %u free inodes counted, none in the bitmap", g,
		    freei);
		return EFSCORRUPTED;
	}
	bit_set(bp->b_data, i);
	bdwrite(bp);

	ext2fs_gd_set_free_inodes(ump, gd, freei - 1);
	ump->um_sb.s_free_inodes_count--;
	if (isdir)
		ext2fs_gd_set_used_dirs(ump, gd,
		    ext2fs_gd_used_dirs(ump, gd) + 1);
	ext2fs_gd_dirty(ump, g);
	*inop = (uint32_t)ino;
	return 0;
}

int
ext2fs_inoalloc(struct ext2fs_inode *dip, mode_t mode, uint32_t *inop)
{
	struct ext2fs_mount *ump = dip->i_ump;
	bool isdir = S_ISDIR(mode);
	uint32_t g, tries;
	int error;

	KASSERT(!ump->um_ronly);

	mutex_enter(&ump->um_lock);
	if (ump->um_sb.s_free_inodes_count == 0) {
		mutex_exit(&ump->um_lock);
		return ENOSPC;
	}
	if (isdir)
		g = ext2fs_dir_group(ump);
	else
		g = ext2fs_file_group(ump, (dip->i_number - 1) / ump->um_ipg);

	error = ENOSPC;
	for (tries = 0; tries < ump->um_ngroups; tries++) {
		error = ext2fs_group_inoalloc(ump, g, isdir, inop);
		if (error != ENOSPC)
			break;
		if (++g == ump->um_ngroups)
			g = 0;
	}
	mutex_exit(&ump->um_lock);
	return error;
}

void
ext2fs_inofree(struct ext2fs_mount *ump, uint32_t ino, bool isdir)
{
	struct ext2fs_gd *gd;
	struct buf *bp;
	uint32_t g, i;
	int error;

	if (ino < ump->um_first_ino || ino > ump->um_sb.s_inodes_count) {
		ext2fs_corrupt(ump, ino, 0, "freeing a reserved or "
		    "out-of-range inode; not freed");
		return;
	}
	g = (ino - 1) / ump->um_ipg;
	i = (ino - 1) % ump->um_ipg;
	gd = ext2fs_gd(ump, g);

	mutex_enter(&ump->um_lock);
	error = bread(ump->um_devvp, EXT2_FSBTODB(ump,
	    ext2fs_gd_inode_bitmap(ump, gd)), ump->um_bsize, 0, &bp);
	if (error != 0) {
		mutex_exit(&ump->um_lock);
		log(LOG_ERR, "ext2fs %s: cannot free inode %u: bitmap read "
		    "error %d\n", ump->um_mp->mnt_source, ino, error);
		return;
	}
	if (!bit_isset(bp->b_data, i)) {
		brelse(bp, 0);
		mutex_exit(&ump->um_lock);
		ext2fs_corrupt(ump, ino, 0, "freeing a free inode");
		return;
	}
	bit_clear(bp->b_data, i);
	bdwrite(bp);

	ext2fs_gd_set_free_inodes(ump, gd, ext2fs_gd_free_inodes(ump, gd) + 1);
	ump->um_sb.s_free_inodes_count++;
	if (isdir && ext2fs_gd_used_dirs(ump, gd) > 0)
		ext2fs_gd_set_used_dirs(ump, gd,
		    ext2fs_gd_used_dirs(ump, gd) - 1);
	ext2fs_gd_dirty(ump, g);
	mutex_exit(&ump->um_lock);
}
