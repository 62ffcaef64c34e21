/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ext2fs: inodes.  Reading and writing inodes in the inode table, and
 * their split fields: sizes, owners, block counts, and times with
 * nanoseconds and epoch bits in the extra fields of large inodes.  The
 * file block map, truncation, attributes, and the end of an inode's life.
 *
 * Block maps.  A file's blocks are found through i_block: twelve direct
 * pointers, then one single, one double and one triple indirect block,
 * each indirect block holding bsize / 4 pointers; 0 is a hole.  ext4
 * files with EXT4_EXTENTS_FL keep an extent tree in i_block instead,
 * which ext2fs_bmap reads (such file systems are mounted read-only, so
 * nothing here writes extents).  Every pointer read from disk is checked
 * before use: a block outside the file system or on its metadata is
 * reported as corruption and not followed.
 *
 * Allocation.  ext2fs_balloc_run fills a hole, allocating the indirect
 * blocks on the way.  It gives one run of contiguous blocks to the holes
 * that follow in the same map block.  So sequential writes get
 * contiguous files, with each indirect block just before the data it
 * maps.  i_blocks counts 512-byte units of data and indirect blocks.
 *
 * Life cycle.  An inode is written to its inode table buffer by
 * ext2fs_iupdate whenever it changes.  When the last link is gone and the
 * last reference too (ext2fs_inactive), its blocks and extended
 * attribute block are freed, i_dtime is set, and the inode is freed in the
 * bitmap.  ext2fs_reclaim does the same for a file that a forced unmount
 * reclaims while it is still open.
 *
 * Locking: the vnode lock of the file, exclusive for every change (the
 * read path's atime update is in ext2fs_readwrite.c).
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/cprng.h>
#include <sys/fcntl.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/vnode.h>

#include <fs/ext2fs/ext2fs.h>

/* Extended attribute blocks: the header's magic and reference count. */
#define EXT2_XATTR_MAGIC	0xEA020000U
struct ext2fs_xattr_header {
	uint32_t	h_magic;
	uint32_t	h_refcount;
	uint32_t	h_blocks;
	uint32_t	h_hash;
};

/* Flags a new inode inherits from its directory, and which of them stay. */
#define EXT2_FL_INHERITED	(EXT2_SECRM_FL | EXT2_UNRM_FL | EXT2_SYNC_FL | \
	EXT2_NODUMP_FL | EXT2_NOATIME_FL | EXT3_JOURNAL_DATA_FL | \
	EXT2_DIRSYNC_FL)
#define EXT2_FL_REG_MASK	(~(EXT2_DIRSYNC_FL | EXT2_TOPDIR_FL))
#define EXT2_FL_OTHER_MASK	(EXT2_NODUMP_FL | EXT2_NOATIME_FL)

/* The extra size that new large inodes get when the superblock names none. */
#define EXT2_DEFAULT_EXTRA_ISIZE	32

/* Map levels: direct, single, double and triple indirect. */
#define EXT2_MAP_LEVELS		4

/* True when the extra part of din contains the field of sz bytes at off. */
static bool
ext2fs_extra_fits(const struct ext2fs_mount *ump,
    const struct ext2fs_dinode *din, size_t off, size_t sz)
{

	return ump->um_inodesize > EXT2_GOOD_OLD_INODE_SIZE &&
	    EXT2_GOOD_OLD_INODE_SIZE + (size_t)din->i_extra_isize >= off + sz;
}
#define EXT2_EXTRA_FITS(ump, din, field)				\
	ext2fs_extra_fits((ump), (din), offsetof(struct ext2fs_dinode, field), \
	    sizeof((din)->field))

int
ext2fs_inode_loc(struct ext2fs_mount *ump, uint32_t ino, uint64_t *bnp,
    uint32_t *offp)
{
	const struct ext2fs_gd *gd;
	uint64_t byte;
	uint32_t g;

	if (ino == 0 || ino > ump->um_sb.s_inodes_count) {
		ext2fs_corrupt(ump, ino, 0, "inode number out of range");
		return EFSCORRUPTED;
	}
	g = (ino - 1) / ump->um_ipg;
	gd = ext2fs_gd(ump, g);
	byte = (uint64_t)((ino - 1) % ump->um_ipg) * ump->um_inodesize;
	*bnp = ext2fs_gd_inode_table(ump, gd) + (byte >> ump->um_bshift);
	*offp = (uint32_t)(byte & (ump->um_bsize - 1));
	return 0;
}

int
ext2fs_inode_bread(struct ext2fs_mount *ump, uint32_t ino, struct buf **bpp,
    struct ext2fs_dinode **dinp)
{
	uint64_t bn;
	uint32_t off;
	int error;

	error = ext2fs_inode_loc(ump, ino, &bn, &off);
	if (error != 0)
		return error;
	error = bread(ump->um_devvp, EXT2_FSBTODB(ump, bn), ump->um_bsize, 0,
	    bpp);
	if (error != 0)
		return error;
	*dinp = (struct ext2fs_dinode *)((char *)(*bpp)->b_data + off);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Split fields. */

uid_t
ext2fs_uid(const struct ext2fs_inode *ip)
{

	return ip->i_din->i_uid | ((uid_t)ip->i_din->i_uid_high << 16);
}

gid_t
ext2fs_gid(const struct ext2fs_inode *ip)
{

	return ip->i_din->i_gid | ((gid_t)ip->i_din->i_gid_high << 16);
}

static void
ext2fs_set_uid(struct ext2fs_inode *ip, uid_t uid)
{

	ip->i_din->i_uid = (uint16_t)uid;
	ip->i_din->i_uid_high = (uint16_t)(uid >> 16);
}

static void
ext2fs_set_gid(struct ext2fs_inode *ip, gid_t gid)
{

	ip->i_din->i_gid = (uint16_t)gid;
	ip->i_din->i_gid_high = (uint16_t)(gid >> 16);
}

void
ext2fs_set_nlink(struct ext2fs_inode *ip, uint32_t nlink)
{

	KASSERT(nlink <= UINT16_MAX);
	ip->i_din->i_links_count = (uint16_t)nlink;
	ip->i_unlinked = nlink == 0;
	ip->i_dirty = true;
}

void
ext2fs_setsize(struct ext2fs_inode *ip, uint64_t size)
{
	struct ext2fs_mount *ump = ip->i_ump;
	struct ext2fs_dinode *din = ip->i_din;

	ip->i_size = size;
	din->i_size = (uint32_t)size;
	if (S_ISREG(din->i_mode) || (S_ISDIR(din->i_mode) &&
	    (ump->um_incompat & EXT4F_INCOMPAT_LARGEDIR)))
		din->i_size_high = (uint32_t)(size >> 32);
	ip->i_dirty = true;

	/* A revision 1 file system gets large_file once a file passes 2 GiB. */
	if (S_ISREG(din->i_mode) && size > 0x7fffffffULL &&
	    !(ump->um_rocompat & EXT2F_ROCOMPAT_LARGE_FILE) &&
	    ump->um_sb.s_rev_level >= EXT2_DYNAMIC_REV) {
		mutex_enter(&ump->um_lock);
		ump->um_sb.s_feature_ro_compat |= EXT2F_ROCOMPAT_LARGE_FILE;
		ump->um_rocompat |= EXT2F_ROCOMPAT_LARGE_FILE;
		ump->um_sbdirty = true;
		mutex_exit(&ump->um_lock);
	}
}

/* i_blocks in 512-byte units, from both halves and the HUGE_FILE rules. */
static uint64_t
ext2fs_iblocks(const struct ext2fs_inode *ip)
{
	const struct ext2fs_mount *ump = ip->i_ump;
	const struct ext2fs_dinode *din = ip->i_din;
	uint64_t n = din->i_blocks_lo;

	if (ump->um_rocompat & EXT4F_ROCOMPAT_HUGE_FILE) {
		n |= (uint64_t)din->i_blocks_high << 32;
		if (din->i_flags & EXT4_HUGE_FILE_FL)
			n <<= ump->um_bshift - DEV_BSHIFT;
	}
	return n;
}

/*
 * Count n file system blocks more (or fewer, negative) in i_blocks.
 * Writable file systems have no HUGE_FILE, so the low half is all.
 */
static void
ext2fs_iblocks_add(struct ext2fs_inode *ip, int64_t n)
{
	struct ext2fs_dinode *din = ip->i_din;
	int64_t units = n * ((int64_t)1 << (ip->i_ump->um_bshift - DEV_BSHIFT));

	if (units < 0 && (uint64_t)-units > din->i_blocks_lo)
		din->i_blocks_lo = 0;
	else
		din->i_blocks_lo = (uint32_t)((int64_t)din->i_blocks_lo + units);
	ip->i_dirty = true;
}

/* The extended attribute block, 0 when none. */
static uint64_t
ext2fs_file_acl(const struct ext2fs_inode *ip)
{
	const struct ext2fs_dinode *din = ip->i_din;

	return din->i_file_acl_lo |
	    ((ip->i_ump->um_incompat & EXT4F_INCOMPAT_64BIT) ?
	    (uint64_t)din->i_file_acl_high << 32 : 0);
}

/*
 * True when i_block is a block map or extent tree: not for device nodes,
 * FIFOs, sockets and fast symlinks (whose target is in i_block).
 */
static bool
ext2fs_has_blocks(const struct ext2fs_inode *ip)
{
	const struct ext2fs_dinode *din = ip->i_din;
	uint64_t eablocks;

	switch (din->i_mode & S_IFMT) {
	case S_IFREG:
	case S_IFDIR:
		return true;
	case S_IFLNK:
		if (din->i_flags & EXT4_EXTENTS_FL)
			return true;
		eablocks = ext2fs_file_acl(ip) != 0 ?
		    ip->i_ump->um_bsize / DEV_BSIZE : 0;
		return ext2fs_iblocks(ip) > eablocks;
	default:
		return false;
	}
}

dev_t
ext2fs_rdev(const struct ext2fs_inode *ip)
{
	const struct ext2fs_dinode *din = ip->i_din;
	uint32_t v;

	if (din->i_block[0] != 0) {
		v = din->i_block[0];
		return makedev((v >> 8) & 0xff, v & 0xff);
	}
	v = din->i_block[1];
	return makedev((v & 0xfff00) >> 8, (v & 0xff) | ((v >> 12) & 0xfff00));
}

void
ext2fs_set_rdev(struct ext2fs_inode *ip, dev_t rdev)
{
	struct ext2fs_dinode *din = ip->i_din;
	uint32_t maj = major(rdev), min = minor(rdev);

	if (maj < 256 && min < 256) {
		din->i_block[0] = (maj << 8) | min;
		din->i_block[1] = 0;
	} else {
		din->i_block[0] = 0;
		din->i_block[1] = (min & 0xff) | (maj << 8) |
		    ((min & ~0xffU) << 12);
	}
	din->i_block[2] = 0;
	ITOV(ip)->v_rdev = rdev;
	ip->i_dirty = true;
}

/* ------------------------------------------------------------------ */
/* Times. */

enum ext2fs_time { EXT2_ATIME, EXT2_MTIME, EXT2_CTIME, EXT2_CRTIME };

static void
ext2fs_time_fields(struct ext2fs_dinode *din, enum ext2fs_time which,
    uint32_t **secp, uint32_t **extrap, size_t *extraoffp)
{

	switch (which) {
	case EXT2_ATIME:
		*secp = &din->i_atime;
		*extrap = &din->i_atime_extra;
		*extraoffp = offsetof(struct ext2fs_dinode, i_atime_extra);
		break;
	case EXT2_MTIME:
		*secp = &din->i_mtime;
		*extrap = &din->i_mtime_extra;
		*extraoffp = offsetof(struct ext2fs_dinode, i_mtime_extra);
		break;
	case EXT2_CTIME:
		*secp = &din->i_ctime;
		*extrap = &din->i_ctime_extra;
		*extraoffp = offsetof(struct ext2fs_dinode, i_ctime_extra);
		break;
	case EXT2_CRTIME:
		*secp = &din->i_crtime;
		*extrap = &din->i_crtime_extra;
		*extraoffp = offsetof(struct ext2fs_dinode, i_crtime_extra);
		break;
	}
}

/*
 * Read a time stamp.  The seconds field is signed 32 bits.  An extra
 * field, when the inode has it, adds nanoseconds (bits 31..2) and two
 * epoch bits that extend the seconds past 2038.  False when the inode has
 * no such stamp (a birth time on a small inode).
 */
static bool
ext2fs_time_get(const struct ext2fs_inode *ip, enum ext2fs_time which,
    struct timespec *ts)
{
	const struct ext2fs_mount *ump = ip->i_ump;
	struct ext2fs_dinode *din = ip->i_din;
	uint32_t *sec, *extra;
	size_t extraoff;

	ext2fs_time_fields(din, which, &sec, &extra, &extraoff);
	if (which == EXT2_CRTIME && !EXT2_EXTRA_FITS(ump, din, i_crtime))
		return false;
	ts->tv_sec = (int32_t)*sec;
	ts->tv_nsec = 0;
	if (ext2fs_extra_fits(ump, din, extraoff, sizeof(*extra))) {
		ts->tv_sec += (time_t)(*extra & 3) << 32;
		ts->tv_nsec = (long)(*extra >> 2);
		if (ts->tv_nsec >= NSEC_PER_SEC)
			ts->tv_nsec = NSEC_PER_SEC - 1;
	}
	return true;
}

static void
ext2fs_time_set(struct ext2fs_inode *ip, enum ext2fs_time which,
    const struct timespec *ts)
{
	const struct ext2fs_mount *ump = ip->i_ump;
	struct ext2fs_dinode *din = ip->i_din;
	uint32_t *sec, *extra;
	size_t extraoff;

	int64_t t = ts->tv_sec;

	ext2fs_time_fields(din, which, &sec, &extra, &extraoff);
	if (which == EXT2_CRTIME && !EXT2_EXTRA_FITS(ump, din, i_crtime))
		return;
	/*
	 * Clamp to what the inode can hold: signed 32-bit seconds, and
	 * with the extra field three more epochs of 2^32 seconds after
	 * them.  Seconds outside would wrap to a far away date.
	 */
	if (t < INT32_MIN)
		t = INT32_MIN;
	if (ext2fs_extra_fits(ump, din, extraoff, sizeof(*extra))) {
		if (t > INT32_MAX + ((int64_t)3 << 32))
			t = INT32_MAX + ((int64_t)3 << 32);
		*extra = (uint32_t)(((t - (int32_t)t) >> 32) & 3) |
		    ((uint32_t)ts->tv_nsec << 2);
	} else if (t > INT32_MAX)
		t = INT32_MAX;
	*sec = (uint32_t)t;
	ip->i_dirty = true;
}

void
ext2fs_itimes(struct ext2fs_inode *ip, int which)
{
	struct timespec now;

	if (ip->i_ump->um_ronly)
		return;
	nanotime(&now);
	if (which & EXT2_IACCESS)
		ext2fs_time_set(ip, EXT2_ATIME, &now);
	if (which & EXT2_IUPDATE)
		ext2fs_time_set(ip, EXT2_MTIME, &now);
	if (which & EXT2_ICHANGE)
		ext2fs_time_set(ip, EXT2_CTIME, &now);
}

/* ------------------------------------------------------------------ */
/* Writing inodes. */

/* Copy din (inode ino) into its inode table block. */
static int
ext2fs_dinode_write(struct ext2fs_mount *ump, uint32_t ino,
    struct ext2fs_dinode *din, bool wait)
{
	struct ext2fs_dinode *slot;
	struct buf *bp;
	uint32_t csum;
	int error;

	if (ump->um_rocompat & EXT4F_ROCOMPAT_METADATA_CSUM) {
		csum = ext2fs_inode_csum(ump, ino, din);
		din->i_checksum_lo = (uint16_t)csum;
		if (EXT2_EXTRA_FITS(ump, din, i_checksum_hi))
			din->i_checksum_hi = (uint16_t)(csum >> 16);
	}
	error = ext2fs_inode_bread(ump, ino, &bp, &slot);
	if (error != 0)
		return error;
	memcpy(slot, din, ump->um_inodesize);
	if (wait)
		return bwrite(bp);
	bdwrite(bp);
	return 0;
}

int
ext2fs_iupdate(struct ext2fs_inode *ip, bool wait)
{
	int error;

	if (ip->i_ump->um_ronly)
		return 0;
	error = ext2fs_dinode_write(ip->i_ump, ip->i_number, ip->i_din, wait);
	if (error == 0)
		ip->i_dirty = false;
	return error;
}

/* The i_extra_isize of new large inodes. */
static uint16_t
ext2fs_new_extra_isize(struct ext2fs_mount *ump)
{
	uint32_t room = ump->um_inodesize - EXT2_GOOD_OLD_INODE_SIZE;
	uint32_t want = ump->um_sb.s_want_extra_isize;

	if (room == 0)
		return 0;
	if (want < 4 || want % 4 != 0 || want > room)
		want = EXT2_DEFAULT_EXTRA_ISIZE;
	return (uint16_t)MIN(want, room);
}

/*
 * Check that the inode table slot of a newly allocated inode is free
 * (no links).  A slot in use means the bitmap was damaged: the bit
 * stays set and the caller gets EFSCORRUPTED.
 */
static int
ext2fs_check_free_slot(struct ext2fs_mount *ump, uint32_t ino)
{
	struct ext2fs_dinode *din;
	struct buf *bp;
	bool inuse;
	int error;

	error = ext2fs_inode_bread(ump, ino, &bp, &din);
	if (error != 0)
		return error;
	inuse = din->i_links_count != 0;
	brelse(bp, 0);
	if (inuse) {
		ext2fs_corrupt(ump, ino, 0, "inode marked free in the bitmap "
		    "has links");
		return EFSCORRUPTED;
	}
	return 0;
}

int
ext2fs_newinode(struct ext2fs_inode *dip, mode_t mode, kauth_cred_t cred,
    struct vnode **vpp)
{
	struct ext2fs_mount *ump = dip->i_ump;
	struct ext2fs_dinode *din;
	struct ext2fs_inode tmp, *ip;
	struct timespec now;
	uint32_t ino, flags;
	size_t dinsize;
	gid_t gid;
	int error;

	KASSERT(!ump->um_ronly);
	error = ext2fs_inoalloc(dip, mode, &ino);
	if (error != 0)
		return error;
	error = ext2fs_check_free_slot(ump, ino);
	if (error != 0)
		return error;

	dinsize = MAX(ump->um_inodesize, sizeof(struct ext2fs_dinode));
	din = kmem_zalloc(dinsize, KM_SLEEP);
	memset(&tmp, 0, sizeof(tmp));
	tmp.i_ump = ump;
	tmp.i_number = ino;
	tmp.i_din = din;

	/*
	 * Owner: the creator.  Group: the directory's when it is set-group-
	 * id (a new directory inherits the bit), else the creator's.  A
	 * set-group-id bit the creator may not set is dropped, as on Linux.
	 */
	if (dip->i_din->i_mode & S_ISGID) {
		gid = ext2fs_gid(dip);
		if (S_ISDIR(mode))
			mode |= S_ISGID;
	} else
		gid = kauth_cred_getegid(cred);
	if ((mode & S_ISGID) && !S_ISDIR(mode) &&
	    !kauth_cred_groupmember(cred, gid) &&
	    !kauth_cred_privileged(cred))
		mode &= ~S_ISGID;
	din->i_mode = (uint16_t)mode;
	ext2fs_set_uid(&tmp, kauth_cred_geteuid(cred));
	ext2fs_set_gid(&tmp, gid);
	din->i_links_count = 1;
	din->i_extra_isize = ext2fs_new_extra_isize(ump);
	(void)cprng_fill(&din->i_generation, sizeof(din->i_generation));

	flags = dip->i_din->i_flags & EXT2_FL_INHERITED;
	if (S_ISREG(mode))
		flags &= EXT2_FL_REG_MASK;
	else if (!S_ISDIR(mode))
		flags &= EXT2_FL_OTHER_MASK;
	din->i_flags = flags;

	nanotime(&now);
	ext2fs_time_set(&tmp, EXT2_ATIME, &now);
	ext2fs_time_set(&tmp, EXT2_MTIME, &now);
	ext2fs_time_set(&tmp, EXT2_CTIME, &now);
	ext2fs_time_set(&tmp, EXT2_CRTIME, &now);

	/* Write it, so that loading the vnode reads the new inode. */
	error = ext2fs_dinode_write(ump, ino, din, false);
	kmem_free(din, dinsize);
	if (error == 0)
		error = vcache_get(ump->um_mp, ino, vpp);
	if (error != 0) {
		ext2fs_inofree(ump, ino, S_ISDIR(mode));
		return error;
	}

	/*
	 * A vnode that was cached already belongs to a file that a damaged
	 * bitmap marked free.  The new file is not made.
	 */
	ip = VTOI(*vpp);
	if (ip->i_din->i_links_count != 1 || ip->i_size != 0 ||
	    ip->i_din->i_mode != (uint16_t)mode) {
		vrele(*vpp);
		*vpp = NULL;
		ext2fs_corrupt(ump, ino, 0, "inode marked free in the bitmap "
		    "is in use");
		return EFSCORRUPTED;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Block maps. */

/* Pointers per indirect block, and their log2. */
static uint32_t
ext2fs_nindir(const struct ext2fs_mount *ump)
{

	return ump->um_bsize / sizeof(uint32_t);
}

/*
 * The path to file block lbn: the index into i_block, then into each
 * indirect block on the way.  Returns the levels used (1 for a direct
 * block), 0 when lbn is past what the map can address.  spans[l] is the
 * number of file blocks that one entry at level l maps.
 */
static int
ext2fs_map_path(const struct ext2fs_mount *ump, uint64_t lbn,
    uint32_t offs[EXT2_MAP_LEVELS], uint64_t spans[EXT2_MAP_LEVELS])
{
	uint64_t p = ext2fs_nindir(ump);
	uint32_t shift = ump->um_bshift - 2;

	if (lbn < EXT2_NDIR_BLOCKS) {
		offs[0] = (uint32_t)lbn;
		spans[0] = 1;
		return 1;
	}
	lbn -= EXT2_NDIR_BLOCKS;
	if (lbn < p) {
		offs[0] = EXT2_IND_BLOCK;
		offs[1] = (uint32_t)lbn;
		spans[0] = p;
		spans[1] = 1;
		return 2;
	}
	lbn -= p;
	if (lbn < p * p) {
		offs[0] = EXT2_DIND_BLOCK;
		offs[1] = (uint32_t)(lbn >> shift);
		offs[2] = (uint32_t)(lbn & (p - 1));
		spans[0] = p * p;
		spans[1] = p;
		spans[2] = 1;
		return 3;
	}
	lbn -= p * p;
	if (lbn < p * p * p) {
		offs[0] = EXT2_TIND_BLOCK;
		offs[1] = (uint32_t)(lbn >> (2 * shift));
		offs[2] = (uint32_t)((lbn >> shift) & (p - 1));
		offs[3] = (uint32_t)(lbn & (p - 1));
		spans[0] = p * p * p;
		spans[1] = p * p;
		spans[2] = p;
		spans[3] = 1;
		return 4;
	}
	return 0;
}

/* Check a pointer read from the map before following it. */
static int
ext2fs_check_ptr(struct ext2fs_inode *ip, uint64_t bn, uint64_t lbn,
    const char *what)
{

	if (!ext2fs_blk_is_meta(ip->i_ump, bn, 1))
		return 0;
	ext2fs_corrupt(ip->i_ump, ip->i_number, bn, "%s for file block %llu "
	    "points outside the data blocks", what, (unsigned long long)lbn);
	return EFSCORRUPTED;
}

/*
 * Count how many of the n entries after ptrs[0] continue the run of
 * ptrs[0] (contiguous blocks, or holes when ptrs[0] is 0).
 */
static uint32_t
ext2fs_ptr_run(const uint32_t *ptrs, uint32_t n)
{
	uint32_t k;

	for (k = 1; k <= n; k++) {
		if (ptrs[0] == 0 ? ptrs[k] != 0 : ptrs[k] != ptrs[0] + k)
			break;
	}
	return k - 1;
}

static int
ext2fs_bmap_map(struct ext2fs_inode *ip, uint64_t lbn, uint64_t *bnp,
    uint32_t *runp)
{
	struct ext2fs_mount *ump = ip->i_ump;
	uint32_t offs[EXT2_MAP_LEVELS], nent, run;
	uint64_t spans[EXT2_MAP_LEVELS], bn, holerun;
	const uint32_t *ptrs;
	struct buf *bp;
	int levels, level, l, error;

	levels = ext2fs_map_path(ump, lbn, offs, spans);
	if (levels == 0) {
		*bnp = 0;
		if (runp != NULL)
			*runp = 0;
		return 0;
	}

	ptrs = ip->i_din->i_block;
	nent = levels == 1 ? EXT2_NDIR_BLOCKS : EXT2_N_BLOCKS;
	bp = NULL;
	for (level = 0;; level++) {
		bn = ptrs[offs[level]];
		if (bn == 0 || level == levels - 1)
			break;
		if (bp != NULL)
			brelse(bp, 0);
		error = ext2fs_check_ptr(ip, bn, lbn, "indirect block");
		if (error != 0)
			return error;
		error = bread(ump->um_devvp, EXT2_FSBTODB(ump, bn),
		    ump->um_bsize, 0, &bp);
		if (error != 0)
			return error;
		ptrs = bp->b_data;
		nent = ext2fs_nindir(ump);
	}

	if (bn == 0) {
		/*
		 * A hole: the rest of the subtree under this entry is a hole
		 * too, and so are the subtrees of the following entries that
		 * are 0 in the same block (in i_block only the direct ones,
		 * whose neighbours map alike).
		 */
		holerun = 0;
		for (l = level + 1; l < levels; l++)
			holerun += (uint64_t)(ext2fs_nindir(ump) - 1 -
			    offs[l]) * spans[l];
		if (level > 0 || levels == 1) {
			run = ext2fs_ptr_run(&ptrs[offs[level]], nent - 1 -
			    offs[level]);
			holerun += (uint64_t)run * spans[level];
		}
		if (bp != NULL)
			brelse(bp, 0);
		*bnp = 0;
		if (runp != NULL)
			*runp = (uint32_t)MIN(holerun, UINT32_MAX);
		return 0;
	}

	run = 0;
	if (runp != NULL)
		run = ext2fs_ptr_run(&ptrs[offs[level]], nent - 1 -
		    offs[level]);
	if (bp != NULL)
		brelse(bp, 0);
	if (ext2fs_blk_is_meta(ump, bn, run + 1)) {
		error = ext2fs_check_ptr(ip, bn, lbn, "block");
		if (error != 0)
			return error;
		run = 0;
	}
	*bnp = bn;
	if (runp != NULL)
		*runp = run;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Extent trees (read-only). */

/* Check a node's header: magic, depth, counts within what fits. */
static int
ext2fs_ext_check(struct ext2fs_inode *ip, const struct ext4_extent_header *eh,
    size_t size, int depth, uint64_t bn)
{
	size_t fit = (size - sizeof(*eh)) / sizeof(struct ext4_extent);

	if (eh->eh_magic != EXT4_EXT_MAGIC || eh->eh_depth != depth ||
	    eh->eh_max == 0 || eh->eh_max > fit ||
	    eh->eh_entries > eh->eh_max) {
		ext2fs_corrupt(ip->i_ump, ip->i_number, bn, "invalid extent "
		    "node (magic 0x%04x, depth %u, %u of %u entries)",
		    eh->eh_magic, eh->eh_depth, eh->eh_entries, eh->eh_max);
		return EFSCORRUPTED;
	}
	return 0;
}

/* Verify the checksum in the tail of a non-root extent block. */
static int
ext2fs_ext_csum_verify(struct ext2fs_inode *ip, const void *block,
    uint64_t bn)
{
	struct ext2fs_mount *ump = ip->i_ump;
	const struct ext4_extent_header *eh = block;
	const struct ext4_extent_tail *et;
	size_t off;

	if (!(ump->um_rocompat & EXT4F_ROCOMPAT_METADATA_CSUM))
		return 0;
	off = sizeof(*eh) + (size_t)eh->eh_max * sizeof(struct ext4_extent);
	if (off + sizeof(*et) > ump->um_bsize) {
		ext2fs_corrupt(ump, ip->i_number, bn, "extent block has no "
		    "room for its checksum");
		return EFSCORRUPTED;
	}
	et = (const struct ext4_extent_tail *)((const char *)block + off);
	if (et->et_checksum != ext2fs_extent_csum(ump, ip, block, off)) {
		ext2fs_corrupt(ump, ip->i_number, bn, "extent block checksum "
		    "mismatch");
		return EFSCORRUPTED;
	}
	return 0;
}

static int
ext2fs_bmap_extents(struct ext2fs_inode *ip, uint64_t lbn, uint64_t *bnp,
    uint32_t *runp)
{
	struct ext2fs_mount *ump = ip->i_ump;
	const struct ext4_extent_header *eh;
	const struct ext4_extent_idx *ix;
	const struct ext4_extent *ex;
	uint64_t nodebn = 0, child, start, holeend = UINT64_MAX;
	uint32_t len, i, n;
	struct buf *bp = NULL;
	size_t size;
	int depth, error;

	*bnp = 0;
	if (runp != NULL)
		*runp = 0;
	if (lbn > UINT32_MAX)
		return 0;

	eh = (const struct ext4_extent_header *)ip->i_din->i_block;
	size = sizeof(ip->i_din->i_block);
	depth = eh->eh_depth;
	for (;;) {
		error = ext2fs_ext_check(ip, eh, size, depth, nodebn);
		if (error != 0)
			goto out;
		n = eh->eh_entries;
		if (depth == 0)
			break;

		/* The last index entry that starts at or before lbn. */
		ix = (const struct ext4_extent_idx *)(eh + 1);
		for (i = 0; i < n && ix[i].ei_block <= lbn; i++)
			continue;
		if (i == 0)
			goto out;
		if (i < n)
			holeend = MIN(holeend, ix[i].ei_block);
		child = ix[i - 1].ei_leaf_lo |
		    ((uint64_t)ix[i - 1].ei_leaf_hi << 32);
		if (ext2fs_blk_is_meta(ump, child, 1)) {
			ext2fs_corrupt(ump, ip->i_number, child, "extent index "
			    "points outside the data blocks");
			error = EFSCORRUPTED;
			goto out;
		}
		if (bp != NULL)
			brelse(bp, 0);
		bp = NULL;
		error = bread(ump->um_devvp, EXT2_FSBTODB(ump, child),
		    ump->um_bsize, 0, &bp);
		if (error != 0)
			goto out;
		eh = bp->b_data;
		nodebn = child;
		size = ump->um_bsize;
		depth--;
		error = ext2fs_ext_check(ip, eh, size, depth, nodebn);
		if (error == 0)
			error = ext2fs_ext_csum_verify(ip, eh, nodebn);
		if (error != 0)
			goto out;
	}

	/* The last extent that starts at or before lbn. */
	ex = (const struct ext4_extent *)(eh + 1);
	for (i = 0; i < n && ex[i].ee_block <= lbn; i++)
		continue;
	if (i < n)
		holeend = MIN(holeend, ex[i].ee_block);
	if (i > 0) {
		ex = &ex[i - 1];
		len = ex->ee_len > EXT4_EXT_MAX_LEN ?
		    ex->ee_len - EXT4_EXT_MAX_LEN : ex->ee_len;
		if (lbn < (uint64_t)ex->ee_block + len) {
			start = ex->ee_start_lo | ((uint64_t)ex->ee_start_hi << 32);
			if (ext2fs_blk_is_meta(ump, start, len)) {
				ext2fs_corrupt(ump, ip->i_number, nodebn,
				    "extent for file block %u points outside "
				    "the data blocks", ex->ee_block);
				error = EFSCORRUPTED;
				goto out;
			}
			/* An unwritten extent reads as a hole. */
			if (ex->ee_len > EXT4_EXT_MAX_LEN) {
				if (runp != NULL)
					*runp = (uint32_t)(ex->ee_block + len -
					    lbn - 1);
				goto out;
			}
			*bnp = start + (lbn - ex->ee_block);
			if (runp != NULL)
				*runp = (uint32_t)(ex->ee_block + len - lbn - 1);
			goto out;
		}
	}
	if (runp != NULL && holeend != UINT64_MAX && holeend > lbn)
		*runp = (uint32_t)MIN(holeend - lbn - 1, UINT32_MAX);
	else if (runp != NULL && holeend == UINT64_MAX)
		*runp = (uint32_t)(UINT32_MAX - lbn);
out:
	if (bp != NULL)
		brelse(bp, 0);
	return error;
}

int
ext2fs_bmap(struct ext2fs_inode *ip, uint64_t lbn, uint64_t *bnp,
    uint32_t *runp)
{

	if (!ext2fs_has_blocks(ip)) {
		*bnp = 0;
		if (runp != NULL)
			*runp = 0;
		return 0;
	}
	if (ip->i_din->i_flags & EXT4_EXTENTS_FL)
		return ext2fs_bmap_extents(ip, lbn, bnp, runp);
	return ext2fs_bmap_map(ip, lbn, bnp, runp);
}

/* ------------------------------------------------------------------ */
/* Allocating blocks of a file. */

/* A new indirect block: allocated near goal, zeroed, written later. */
static int
ext2fs_new_indirect(struct ext2fs_inode *ip, uint64_t goal, kauth_cred_t cred,
    uint64_t *bnp)
{
	struct ext2fs_mount *ump = ip->i_ump;
	struct buf *bp;
	int error;

	error = ext2fs_blkalloc(ip, goal, cred, bnp);
	if (error != 0)
		return error;
	bp = getblk(ump->um_devvp, EXT2_FSBTODB(ump, *bnp), ump->um_bsize, 0);
	memset(bp->b_data, 0, ump->um_bsize);
	bdwrite(bp);
	ext2fs_iblocks_add(ip, 1);
	ip->i_lastalloc = *bnp;
	return 0;
}

/*
 * Goal of a new indirect block at entry off of ptrs (whose block is
 * parentbn, 0 for i_block): after the file's last block, else after the
 * nearest earlier entry, else after the parent.
 */
static uint64_t
ext2fs_indirect_goal(struct ext2fs_inode *ip, const uint32_t *ptrs,
    uint32_t off, uint64_t parentbn)
{

	if (ip->i_lastalloc != 0)
		return ip->i_lastalloc + 1;
	while (off-- > 0) {
		if (ptrs[off] != 0)
			return (uint64_t)ptrs[off] + 1;
	}
	return parentbn != 0 ? parentbn + 1 : 0;
}

int
ext2fs_balloc_run(struct ext2fs_inode *ip, uint64_t lbn, uint32_t want,
    kauth_cred_t cred, uint64_t *bnp, uint32_t *gotp, bool *newp)
{
	struct ext2fs_mount *ump = ip->i_ump;
	uint32_t offs[EXT2_MAP_LEVELS], nent, holes, got, k, *ptrs;
	uint64_t spans[EXT2_MAP_LEVELS], bn, nbn, goal, parentbn;
	struct buf *bp = NULL, *nbp;
	int levels, level, error;

	KASSERT(vn_locked_exclusive(ITOV(ip)));
	KASSERT(want > 0);
	if (ump->um_ronly)
		return EROFS;
	if (ip->i_din->i_flags & EXT4_EXTENTS_FL)
		return EOPNOTSUPP;
	levels = ext2fs_map_path(ump, lbn, offs, spans);
	if (levels == 0)
		return EFBIG;

	/* Down the map, making the missing indirect blocks. */
	ptrs = ip->i_din->i_block;
	nent = levels == 1 ? EXT2_NDIR_BLOCKS : EXT2_N_BLOCKS;
	parentbn = 0;
	for (level = 0; level < levels - 1; level++) {
		bn = ptrs[offs[level]];
		if (bn == 0) {
			goal = ext2fs_indirect_goal(ip, ptrs, offs[level],
			    parentbn);
			error = ext2fs_new_indirect(ip, goal, cred, &bn);
			if (error != 0)
				goto out;
			ptrs[offs[level]] = (uint32_t)bn;
			if (bp != NULL)
				bdwrite(bp);
			else
				ip->i_dirty = true;
		} else {
			error = ext2fs_check_ptr(ip, bn, lbn, "indirect block");
			if (error == 0 && bp != NULL)
				brelse(bp, 0);
			if (error != 0)
				goto out;
		}
		bp = NULL;
		error = bread(ump->um_devvp, EXT2_FSBTODB(ump, bn),
		    ump->um_bsize, 0, &bp);
		if (error != 0) {
			bp = NULL;
			goto out;
		}
		ptrs = bp->b_data;
		nent = ext2fs_nindir(ump);
		parentbn = bn;
	}

	/* The block itself. */
	bn = ptrs[offs[level]];
	if (bn != 0) {
		error = ext2fs_check_ptr(ip, bn, lbn, "block");
		if (error == 0) {
			*bnp = bn;
			*gotp = 1;
			*newp = false;
		}
		goto out;
	}

	/* Holes from here to the end of this map block, up to want. */
	for (holes = 1; holes < want && offs[level] + holes < nent &&
	    ptrs[offs[level] + holes] == 0; holes++)
		continue;

	/*
	 * Goal: after the previous block of the map block, else after the
	 * indirect block, else after the file's last block.
	 */
	if (offs[level] > 0 && ptrs[offs[level] - 1] != 0)
		goal = (uint64_t)ptrs[offs[level] - 1] + 1;
	else if (parentbn != 0)
		goal = parentbn + 1;
	else if (ip->i_lastalloc != 0)
		goal = ip->i_lastalloc + 1;
	else
		goal = 0;
	got = holes;
	error = ext2fs_blkalloc_run(ip, goal, cred, &nbn, &got);
	if (error != 0)
		goto out;
	for (k = 0; k < got; k++)
		ptrs[offs[level] + k] = (uint32_t)(nbn + k);
	ext2fs_iblocks_add(ip, got);
	ip->i_lastalloc = nbn + got - 1;
	if (bp != NULL) {
		nbp = bp;
		bp = NULL;
		bdwrite(nbp);
	} else
		ip->i_dirty = true;
	*bnp = nbn;
	*gotp = got;
	*newp = true;
	error = 0;
out:
	if (bp != NULL)
		brelse(bp, 0);
	return error;
}

int
ext2fs_balloc(struct ext2fs_inode *ip, uint64_t lbn, kauth_cred_t cred,
    bool clear, uint64_t *bnp, struct buf **bpp)
{
	struct ext2fs_mount *ump = ip->i_ump;
	uint32_t got;
	bool isnew;
	int error;

	error = ext2fs_balloc_run(ip, lbn, 1, cred, bnp, &got, &isnew);
	if (error != 0 || bpp == NULL)
		return error;
	if (!isnew)
		return bread(ump->um_devvp, EXT2_FSBTODB(ump, *bnp),
		    ump->um_bsize, 0, bpp);
	*bpp = getblk(ump->um_devvp, EXT2_FSBTODB(ump, *bnp), ump->um_bsize, 0);
	if (clear)
		memset((*bpp)->b_data, 0, ump->um_bsize);
	return 0;
}

/* Directory and symlink blocks are read ahead this far when contiguous. */
#define EXT2_BLKREAD_AHEAD	8

/*
 * NOTE: a hole cannot be handed out as a buffer of the cache, which names
 * blocks by their device address, so a hole here fails with EFSCORRUPTED.
 * The callers read directories and slow symlinks, where ext2 has no holes.
 */
int
ext2fs_blkread(struct ext2fs_inode *ip, uint64_t lbn, struct buf **bpp)
{
	struct ext2fs_mount *ump = ip->i_ump;
	uint64_t bn;
	uint32_t run;
	int error;

	*bpp = NULL;
	error = ext2fs_bmap(ip, lbn, &bn, &run);
	if (error != 0)
		return error;
	if (bn == 0) {
		ext2fs_corrupt(ump, ip->i_number, 0, "unexpected hole at file "
		    "block %llu", (unsigned long long)lbn);
		return EFSCORRUPTED;
	}
	return bread_ahead(ump->um_devvp, EXT2_FSBTODB(ump, bn), ump->um_bsize,
	    MIN(run, EXT2_BLKREAD_AHEAD), bpp);
}

/* ------------------------------------------------------------------ */
/* Truncation. */

/* Runs of freed blocks kept for the end of a truncation. */
#define EXT2_FREE_RUNS		64

/*
 * Blocks to free, gathered into runs.  The runs are freed when the walk
 * over the map has let go of every buffer: first their cached buffers
 * are dropped (binval waits for busy ones), then the bitmap bits cleared.
 * Dropping must come first, or another file could be given the blocks
 * and lose its new data.  When more runs come than the list keeps, the
 * older ones are freed at once and keep their buffers, which only costs
 * writes of data that no file uses any more.
 */
struct ext2fs_freelist {
	struct {
		uint64_t start;
		uint32_t count;
	}		fl_runs[EXT2_FREE_RUNS];
	u_int		fl_nruns;
	uint64_t	fl_total;	/* blocks freed in all */
	uint64_t	fl_changes;	/* pointers cleared */
	bool		fl_corrupt;	/* a bad pointer was dropped */
};

/* Free the listed runs; binval first when no buffer is held. */
static void
ext2fs_freelist_flush(struct ext2fs_inode *ip, struct ext2fs_freelist *fl,
    bool drop_buffers)
{
	struct ext2fs_mount *ump = ip->i_ump;
	u_int i;

	for (i = 0; i < fl->fl_nruns; i++) {
		if (drop_buffers)
			binval(ump->um_devvp,
			    EXT2_FSBTODB(ump, fl->fl_runs[i].start),
			    (size_t)fl->fl_runs[i].count << ump->um_bshift);
		ext2fs_blkfree(ump, fl->fl_runs[i].start,
		    fl->fl_runs[i].count);
		fl->fl_total += fl->fl_runs[i].count;
	}
	fl->fl_nruns = 0;
}

static void
ext2fs_freelist_add(struct ext2fs_inode *ip, struct ext2fs_freelist *fl,
    uint64_t bn)
{
	u_int n = fl->fl_nruns;

	if (n > 0 && bn == fl->fl_runs[n - 1].start +
	    fl->fl_runs[n - 1].count && fl->fl_runs[n - 1].count < UINT32_MAX) {
		fl->fl_runs[n - 1].count++;
		return;
	}
	if (n == EXT2_FREE_RUNS) {
		ext2fs_freelist_flush(ip, fl, false);
		n = 0;
	}
	fl->fl_runs[n].start = bn;
	fl->fl_runs[n].count = 1;
	fl->fl_nruns = n + 1;
}

/*
 * Free the part of the subtree under pointer *ptrp (height levels of
 * indirection above the data, 0 for a data block) that maps file blocks
 * at or after cut.  The subtree maps file blocks from start on, span of
 * them per entry of its top block.  The pointer is cleared when all of
 * the subtree goes.  The buffers of the indirect blocks above, listed in
 * path, stay busy meanwhile: a pointer back to one of them is damage.
 */
static int
ext2fs_free_branch(struct ext2fs_inode *ip, uint32_t *ptrp, int height,
    uint64_t start, uint64_t cut, struct ext2fs_freelist *fl,
    const uint64_t *path, int depth)
{
	struct ext2fs_mount *ump = ip->i_ump;
	uint64_t span, bn = *ptrp, first, mypath[EXT2_MAP_LEVELS];
	uint32_t p = ext2fs_nindir(ump), i, *ptrs;
	uint64_t changes = fl->fl_changes;
	struct buf *bp;
	int h, k, error = 0;

	if (bn == 0)
		return 0;
	for (k = 0; k < depth && path[k] != bn; k++)
		continue;
	if (k < depth || ext2fs_blk_is_meta(ump, bn, 1)) {
		ext2fs_corrupt(ump, ip->i_number, bn, "%s pointer outside the "
		    "data blocks or in a loop dropped", height == 0 ? "block" :
		    "indirect block");
		fl->fl_corrupt = true;
		fl->fl_changes++;
		*ptrp = 0;
		return 0;
	}
	if (height == 0) {
		ext2fs_freelist_add(ip, fl, bn);
		fl->fl_changes++;
		*ptrp = 0;
		return 0;
	}

	for (span = 1, h = 1; h < height; h++)
		span *= p;
	error = bread(ump->um_devvp, EXT2_FSBTODB(ump, bn), ump->um_bsize, 0,
	    &bp);
	if (error != 0)
		return error;
	KASSERT(depth < EXT2_MAP_LEVELS);
	memcpy(mypath, path, depth * sizeof(*path));
	mypath[depth] = bn;
	ptrs = bp->b_data;
	first = cut > start ? (cut - start) / span : 0;
	for (i = (uint32_t)first; i < p; i++) {
		if (ptrs[i] == 0)
			continue;
		error = ext2fs_free_branch(ip, &ptrs[i], height - 1,
		    start + i * span, cut, fl, mypath, depth + 1);
		if (error != 0)
			break;
	}
	if (error == 0 && cut <= start) {
		/* All of it went: the indirect block goes too. */
		brelse(bp, BC_INVAL);
		ext2fs_freelist_add(ip, fl, bn);
		fl->fl_changes++;
		*ptrp = 0;
		return 0;
	}
	if (fl->fl_changes != changes)
		bdwrite(bp);
	else
		brelse(bp, 0);
	return error;
}

/* Free every block that maps file blocks at or after cut. */
static int
ext2fs_free_from(struct ext2fs_inode *ip, uint64_t cut)
{
	struct ext2fs_mount *ump = ip->i_ump;
	struct ext2fs_dinode *din = ip->i_din;
	struct ext2fs_freelist *fl;
	uint64_t p = ext2fs_nindir(ump), start, span;
	uint32_t i;
	int height, error = 0;

	fl = kmem_zalloc(sizeof(*fl), KM_SLEEP);
	for (i = (uint32_t)MIN(cut, EXT2_NDIR_BLOCKS); i < EXT2_NDIR_BLOCKS;
	    i++)
		(void)ext2fs_free_branch(ip, &din->i_block[i], 0, i, cut, fl,
		    NULL, 0);

	start = EXT2_NDIR_BLOCKS;
	span = p;
	for (height = 1; height <= 3 && error == 0; height++) {
		if (cut < start + span)
			error = ext2fs_free_branch(ip,
			    &din->i_block[EXT2_IND_BLOCK + height - 1], height,
			    start, cut, fl, NULL, 0);
		start += span;
		span *= p;
	}
	ext2fs_freelist_flush(ip, fl, true);
	ext2fs_iblocks_add(ip, -(int64_t)fl->fl_total);
	if (error == 0 && fl->fl_corrupt)
		error = EFSCORRUPTED;
	kmem_free(fl, sizeof(*fl));
	return error;
}

/* Zero the part of file block lbn from byte off on, if the block exists. */
static int
ext2fs_zero_tail(struct ext2fs_inode *ip, uint64_t lbn, uint32_t off)
{
	struct ext2fs_mount *ump = ip->i_ump;
	struct buf *bp;
	uint64_t bn;
	int error;

	error = ext2fs_bmap(ip, lbn, &bn, NULL);
	if (error != 0 || bn == 0)
		return error;
	error = bread(ump->um_devvp, EXT2_FSBTODB(ump, bn), ump->um_bsize, 0,
	    &bp);
	if (error != 0)
		return error;
	memset((char *)bp->b_data + off, 0, ump->um_bsize - off);
	bdwrite(bp);
	return 0;
}

int
ext2fs_truncate(struct ext2fs_inode *ip, uint64_t length, kauth_cred_t cred)
{
	struct ext2fs_mount *ump = ip->i_ump;
	uint64_t old = ip->i_size, cut;
	uint32_t bmask = ump->um_bsize - 1;
	int error;

	KASSERT(vn_locked_exclusive(ITOV(ip)));
	if (ump->um_ronly)
		return EROFS;
	if (!ext2fs_has_blocks(ip)) {
		ext2fs_setsize(ip, length);
		return ext2fs_iupdate(ip, false);
	}
	if (ip->i_din->i_flags & EXT4_EXTENTS_FL)
		return EOPNOTSUPP;
	if (S_ISREG(ip->i_din->i_mode) && length > ump->um_maxfilesize)
		return EFBIG;

	/*
	 * Bytes past the end of the last block read as zeros when the file
	 * grows again: clear them in the block that keeps the end.
	 */
	if (length < old && (length & bmask) != 0)
		error = ext2fs_zero_tail(ip, length >> ump->um_bshift,
		    (uint32_t)(length & bmask));
	else if (length > old && (old & bmask) != 0)
		error = ext2fs_zero_tail(ip, old >> ump->um_bshift,
		    (uint32_t)(old & bmask));
	else
		error = 0;
	if (error != 0)
		return error;

	ext2fs_setsize(ip, length);
	cut = (length + bmask) >> ump->um_bshift;
	if (length <= old)
		error = ext2fs_free_from(ip, cut);
	if (length == 0)
		ip->i_lastalloc = 0;
	if (ext2fs_iupdate(ip, false) != 0 && error == 0)
		error = EIO;
	return error;
}

/* ------------------------------------------------------------------ */
/* Attributes. */

int
ext2fs_getattr(struct vnode *vp, struct vattr *va, kauth_cred_t cred)
{
	struct ext2fs_inode *ip = VTOI(vp);
	struct ext2fs_mount *ump = ip->i_ump;
	const struct ext2fs_dinode *din = ip->i_din;

	vattr_null(va);
	va->va_type = vp->v_type;
	va->va_mode = din->i_mode & ALLPERMS;
	va->va_nlink = din->i_links_count;
	va->va_uid = ext2fs_uid(ip);
	va->va_gid = ext2fs_gid(ip);
	va->va_fsid = vp->v_mount->mnt_dev;
	va->va_fileid = ip->i_number;
	va->va_size = ip->i_size;
	va->va_bytes = ext2fs_iblocks(ip) << DEV_BSHIFT;
	va->va_blocksize = ump->um_bsize;
	(void)ext2fs_time_get(ip, EXT2_ATIME, &va->va_atime);
	(void)ext2fs_time_get(ip, EXT2_MTIME, &va->va_mtime);
	(void)ext2fs_time_get(ip, EXT2_CTIME, &va->va_ctime);
	if (!ext2fs_time_get(ip, EXT2_CRTIME, &va->va_birthtime)) {
		va->va_birthtime.tv_sec = VNOVAL;
		va->va_birthtime.tv_nsec = VNOVAL;
	}
	va->va_rdev = (vp->v_type == VCHR || vp->v_type == VBLK) ?
	    vp->v_rdev : 0;
	va->va_gen = din->i_generation;
	va->va_flags = 0;
	return 0;
}

/* A time of setattr: tv_sec VNOVAL or UTIME_OMIT leaves it, UTIME_NOW is now. */
static bool
ext2fs_settime(struct ext2fs_inode *ip, enum ext2fs_time which,
    const struct timespec *ts, const struct timespec *now)
{

	if (ts->tv_sec == VNOVAL || ts->tv_nsec == UTIME_OMIT)
		return false;
	ext2fs_time_set(ip, which, ts->tv_nsec == UTIME_NOW ? now : ts);
	return true;
}

int
ext2fs_setattr(struct vnode *vp, struct vattr *va, kauth_cred_t cred)
{
	struct ext2fs_inode *ip = VTOI(vp);
	struct ext2fs_dinode *din = ip->i_din;
	struct timespec now;
	bool changed = false;
	int error;

	KASSERT(vn_locked_exclusive(vp));
	if (ip->i_ump->um_ronly)
		return EROFS;
	if (din->i_flags & EXT2_IMMUTABLE_FL)
		return EPERM;
	nanotime(&now);

	/* Size first: the only change that can fail half-way. */
	if (va->va_size != (uint64_t)VNOVAL) {
		switch (vp->v_type) {
		case VREG:
			if (din->i_flags & EXT2_APPEND_FL)
				return EPERM;
			error = ext2fs_truncate(ip, va->va_size, cred);
			if (error != 0)
				return error;
			/* Linux's truncate sets mtime even at the same size. */
			ext2fs_time_set(ip, EXT2_MTIME, &now);
			changed = true;
			break;
		case VDIR:
			return EISDIR;
		case VLNK:
			return EINVAL;
		default:
			break;
		}
	}

	if (va->va_mode != (mode_t)VNOVAL) {
		din->i_mode = (uint16_t)((din->i_mode & S_IFMT) |
		    (va->va_mode & ALLPERMS));
		changed = true;
	}
	if (va->va_uid != (uid_t)VNOVAL) {
		ext2fs_set_uid(ip, va->va_uid);
		changed = true;
	}
	if (va->va_gid != (gid_t)VNOVAL) {
		ext2fs_set_gid(ip, va->va_gid);
		changed = true;
	}
	if (ext2fs_settime(ip, EXT2_MTIME, &va->va_mtime, &now))
		changed = true;
	if (ext2fs_settime(ip, EXT2_ATIME, &va->va_atime, &now))
		changed = true;
	(void)ext2fs_settime(ip, EXT2_CRTIME, &va->va_birthtime, &now);

	/* Every change sets ctime, unless the caller gives one. */
	if (!ext2fs_settime(ip, EXT2_CTIME, &va->va_ctime, &now) && changed)
		ext2fs_time_set(ip, EXT2_CTIME, &now);
	ip->i_dirty = true;
	return ext2fs_iupdate(ip, false);
}

/* ------------------------------------------------------------------ */
/* The end of an inode. */

/* Drop the inode's reference to its extended attribute block. */
static void
ext2fs_free_xattr_block(struct ext2fs_inode *ip)
{
	struct ext2fs_mount *ump = ip->i_ump;
	struct ext2fs_xattr_header *h;
	uint64_t bn = ext2fs_file_acl(ip);
	struct buf *bp;
	bool last;

	if (bn == 0)
		return;
	ip->i_din->i_file_acl_lo = 0;
	ip->i_din->i_file_acl_high = 0;
	ip->i_dirty = true;
	if (ext2fs_blk_is_meta(ump, bn, 1)) {
		ext2fs_corrupt(ump, ip->i_number, bn, "extended attribute "
		    "block outside the data blocks dropped");
		return;
	}
	if (bread(ump->um_devvp, EXT2_FSBTODB(ump, bn), ump->um_bsize, 0,
	    &bp) != 0)
		return;
	h = bp->b_data;
	if (h->h_magic != EXT2_XATTR_MAGIC || h->h_refcount == 0) {
		brelse(bp, 0);
		ext2fs_corrupt(ump, ip->i_number, bn, "invalid extended "
		    "attribute block (magic 0x%08x, %u references) dropped",
		    h->h_magic, h->h_refcount);
		return;
	}
	last = --h->h_refcount == 0;
	if (last)
		brelse(bp, BC_INVAL);
	else
		bdwrite(bp);
	ext2fs_iblocks_add(ip, -1);
	if (last)
		ext2fs_blkfree(ump, bn, 1);
}

/*
 * Free a file without links: its blocks, its attribute block, then the
 * inode itself, with i_dtime set.  The vnode leaves the cache's hash
 * first, so that the inode number can be handed out again at once.
 */
static void
ext2fs_ifree(struct ext2fs_inode *ip)
{
	struct ext2fs_mount *ump = ip->i_ump;
	struct ext2fs_dinode *din = ip->i_din;
	bool isdir = S_ISDIR(din->i_mode);
	int error;

	KASSERT(!ump->um_ronly && !ip->i_freed);
	if (ext2fs_has_blocks(ip) && !(din->i_flags & EXT4_EXTENTS_FL)) {
		ext2fs_setsize(ip, 0);
		error = ext2fs_free_from(ip, 0);
		if (error != 0)
			log(LOG_ERR, "ext2fs %s: inode %u: freeing its blocks "
			    "failed: error %d\n", ump->um_mp->mnt_source,
			    ip->i_number, error);
	}
	ext2fs_free_xattr_block(ip);
	din->i_dtime = (uint32_t)time_second;
	(void)ext2fs_iupdate(ip, false);

	vcache_remove_key(ITOV(ip));
	ext2fs_inofree(ump, ip->i_number, isdir);
	ip->i_freed = true;
}

int
ext2fs_inactive(struct vnode *vp, bool *recycle)
{
	struct ext2fs_inode *ip = VTOI(vp);

	KASSERT(vn_locked_exclusive(vp));
	*recycle = false;
	if (ip->i_din->i_links_count == 0) {
		if (!ip->i_ump->um_ronly && !ip->i_freed)
			ext2fs_ifree(ip);
		*recycle = true;
	} else if (ip->i_dirty)
		(void)ext2fs_iupdate(ip, false);
	return 0;
}

int
ext2fs_reclaim(struct vnode *vp)
{
	struct ext2fs_inode *ip = VTOI(vp);
	struct ext2fs_mount *ump = ip->i_ump;

	/* A forced unmount reclaims open files without inactive first. */
	if (!ump->um_ronly && !ip->i_freed) {
		if (ip->i_din->i_links_count == 0)
			ext2fs_ifree(ip);
		else if (ip->i_dirty)
			(void)ext2fs_iupdate(ip, false);
	}
	vp->v_data = NULL;
	kmem_free(ip->i_din, MAX(ump->um_inodesize,
	    sizeof(struct ext2fs_dinode)));
	kmem_free(ip, sizeof(*ip));
	return 0;
}

int
ext2fs_vop_bmap(struct vnode *vp, daddr_t lbn, struct vnode **devvpp,
    daddr_t *bnp, int *runp)
{
	struct ext2fs_inode *ip = VTOI(vp);
	uint64_t bn;
	uint32_t run;
	int error;

	error = ext2fs_bmap(ip, (uint64_t)lbn, &bn, &run);
	if (error != 0)
		return error;
	if (devvpp != NULL)
		*devvpp = ip->i_ump->um_devvp;
	if (bnp != NULL)
		*bnp = bn == 0 ? (daddr_t)-1 : EXT2_FSBTODB(ip->i_ump, bn);
	if (runp != NULL)
		*runp = bn == 0 ? 0 : (int)MIN(run, INT32_MAX);
	return 0;
}
