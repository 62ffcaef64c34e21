/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ext2fs: the file system type.  Mounting (the superblock, the group
 * descriptors, the feature checks, mount options), remounting, unmount,
 * statfs, sync, and loading inodes into vnodes.
 *
 * Mounting.  The device is opened read-only first.  The superblock is
 * read with an uncached transfer, and every field that the driver uses is
 * checked against the others and against the device size.  Then the
 * features decide what the mount may do:
 *
 *	read-write	ext2 and ext3 features: dir_prealloc, imagic_inodes,
 *			has_journal (when the journal needs no recovery),
 *			ext_attr, resize_inode, dir_index and other compat
 *			features; sparse_super and large_file; filetype and
 *			meta_bg
 *	read-only	extent, 64bit, flex_bg, mmp, ea_inode,
 *			metadata_csum_seed, large_dir; every known and unknown
 *			ro_compat feature beyond sparse_super and large_file.
 *			The mount is made read-only and a line names the
 *			feature.
 *	refused		compression, journal_dev, dirdata, inline_data,
 *			encrypt, casefold and unknown incompat features:
 *			EINVAL and a line naming the feature.
 *
 * A journal that needs recovery (needs_recovery) is never replayed: a
 * read-write mount fails with EROFS, a read-only one shows the state
 * before the journal.
 *
 * The group descriptors are read into um_gd and checked (locations,
 * counts, checksums).  A read-write mount then clears VALID_FS in s_state,
 * counts the mount and writes the superblock at once, so a crash leaves
 * a file system that e2fsck checks.  Unmount and a remount to read-only
 * write the state of mount time back, the superblock and descriptors
 * with all their backups, and flush the device.
 *
 * Inodes are written to their inode table buffers whenever they change
 * (ext2fs_iupdate), and bitmaps whenever they change (ext2fs_alloc.c),
 * so sync writes the superblock and descriptors and flushes the device.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/buf.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/time.h>
#include <sys/vnode.h>

#include <fs/ext2fs/ext2fs.h>

/* Corruption reports per mount before they are suppressed. */
#define EXT2_CORRUPT_LOG_MAX	20

/* Features a read-write mount handles. */
#define EXT2F_INCOMPAT_RW	(EXT2F_INCOMPAT_FILETYPE | EXT2F_INCOMPAT_META_BG)
#define EXT2F_ROCOMPAT_RW	(EXT2F_ROCOMPAT_SPARSE_SUPER | \
	EXT2F_ROCOMPAT_LARGE_FILE)
/* Incompat features that a read-only mount handles as well. */
#define EXT2F_INCOMPAT_RO	(EXT2F_INCOMPAT_RW | EXT3F_INCOMPAT_RECOVER | \
	EXT4F_INCOMPAT_EXTENTS | EXT4F_INCOMPAT_64BIT | EXT4F_INCOMPAT_MMP | \
	EXT4F_INCOMPAT_FLEX_BG | EXT4F_INCOMPAT_EA_INODE | \
	EXT4F_INCOMPAT_CSUM_SEED | EXT4F_INCOMPAT_LARGEDIR)

struct ext2fs_feature_name {
	uint32_t	 fn_bit;
	const char	*fn_name;	/* as e2fsprogs names it */
};

static const struct ext2fs_feature_name ext2fs_incompat_names[] = {
	{ EXT2F_INCOMPAT_COMPRESSION,	"compression" },
	{ EXT2F_INCOMPAT_FILETYPE,	"filetype" },
	{ EXT3F_INCOMPAT_RECOVER,	"needs_recovery" },
	{ EXT3F_INCOMPAT_JOURNAL_DEV,	"journal_dev" },
	{ EXT2F_INCOMPAT_META_BG,	"meta_bg" },
	{ EXT4F_INCOMPAT_EXTENTS,	"extent" },
	{ EXT4F_INCOMPAT_64BIT,		"64bit" },
	{ EXT4F_INCOMPAT_MMP,		"mmp" },
	{ EXT4F_INCOMPAT_FLEX_BG,	"flex_bg" },
	{ EXT4F_INCOMPAT_EA_INODE,	"ea_inode" },
	{ EXT4F_INCOMPAT_DIRDATA,	"dirdata" },
	{ EXT4F_INCOMPAT_CSUM_SEED,	"metadata_csum_seed" },
	{ EXT4F_INCOMPAT_LARGEDIR,	"large_dir" },
	{ EXT4F_INCOMPAT_INLINE_DATA,	"inline_data" },
	{ EXT4F_INCOMPAT_ENCRYPT,	"encrypt" },
	{ EXT4F_INCOMPAT_CASEFOLD,	"casefold" },
	{ 0, NULL }
};

static const struct ext2fs_feature_name ext2fs_rocompat_names[] = {
	{ EXT2F_ROCOMPAT_SPARSE_SUPER,	"sparse_super" },
	{ EXT2F_ROCOMPAT_LARGE_FILE,	"large_file" },
	{ EXT2F_ROCOMPAT_BTREE_DIR,	"btree_dir" },
	{ EXT4F_ROCOMPAT_HUGE_FILE,	"huge_file" },
	{ EXT4F_ROCOMPAT_GDT_CSUM,	"uninit_bg" },
	{ EXT4F_ROCOMPAT_DIR_NLINK,	"dir_nlink" },
	{ EXT4F_ROCOMPAT_EXTRA_ISIZE,	"extra_isize" },
	{ EXT4F_ROCOMPAT_QUOTA,		"quota" },
	{ EXT4F_ROCOMPAT_BIGALLOC,	"bigalloc" },
	{ EXT4F_ROCOMPAT_METADATA_CSUM,	"metadata_csum" },
	{ EXT4F_ROCOMPAT_READONLY,	"read-only" },
	{ EXT4F_ROCOMPAT_PROJECT,	"project" },
	{ EXT4F_ROCOMPAT_SHARED_BLOCKS,	"shared_blocks" },
	{ EXT4F_ROCOMPAT_VERITY,	"verity" },
	{ EXT4F_ROCOMPAT_ORPHAN_PRESENT, "orphan_present" },
	{ 0, NULL }
};

static const char *const ext2fs_aliases[] = { "ext2", "ext3", "ext4", NULL };

static const char *
ext2fs_mntname(struct ext2fs_mount *ump)
{

	return ump->um_mp->mnt_source;
}

void
ext2fs_corrupt(struct ext2fs_mount *ump, uint32_t ino, uint64_t blk,
    const char *fmt, ...)
{
	char msg[160];
	va_list ap;
	u_int n;

	/*
	 * As on Linux, the superblock records that the file system has
	 * errors, so that e2fsck checks it.  Callers may hold um_lock, so
	 * the flag only goes into the state that unmount writes.
	 */
	if (!ump->um_ronly)
		__atomic_fetch_or(&ump->um_mntstate, EXT2_ERROR_FS,
		    __ATOMIC_RELAXED);

	n = atomic_inc_uint_nv(&ump->um_ncorrupt);
	if (n > EXT2_CORRUPT_LOG_MAX + 1)
		return;
	if (n == EXT2_CORRUPT_LOG_MAX + 1) {
		log(LOG_ERR, "ext2fs %s: more corruption found; further "
		    "reports suppressed, run e2fsck\n", ext2fs_mntname(ump));
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ino != 0 && blk != 0)
		log(LOG_ERR, "ext2fs %s: inode %u, block %llu: %s\n",
		    ext2fs_mntname(ump), ino, (unsigned long long)blk, msg);
	else if (ino != 0)
		log(LOG_ERR, "ext2fs %s: inode %u: %s\n", ext2fs_mntname(ump),
		    ino, msg);
	else if (blk != 0)
		log(LOG_ERR, "ext2fs %s: block %llu: %s\n",
		    ext2fs_mntname(ump), (unsigned long long)blk, msg);
	else
		log(LOG_ERR, "ext2fs %s: %s\n", ext2fs_mntname(ump), msg);
}

/* ------------------------------------------------------------------ */
/* Group descriptors and the superblock's split fields. */

struct ext2fs_gd *
ext2fs_gd(struct ext2fs_mount *ump, uint32_t g)
{

	KASSERT(g < ump->um_ngroups);
	return (struct ext2fs_gd *)(ump->um_gd + (size_t)g * ump->um_descsize);
}

void
ext2fs_gd_dirty(struct ext2fs_mount *ump, uint32_t g)
{

	KASSERT(mutex_owned(&ump->um_lock));
	ump->um_gddirty[g / (ump->um_bsize / ump->um_descsize)] = 1;
	ump->um_sbdirty = true;
}

static bool
ext2fs_gd_is64(struct ext2fs_mount *ump)
{

	return ump->um_descsize >= EXT2_MIN_DESC_SIZE_64;
}

uint64_t
ext2fs_gd_block_bitmap(struct ext2fs_mount *ump, const struct ext2fs_gd *gd)
{

	return gd->bg_block_bitmap_lo | (ext2fs_gd_is64(ump) ?
	    (uint64_t)gd->bg_block_bitmap_hi << 32 : 0);
}

uint64_t
ext2fs_gd_inode_bitmap(struct ext2fs_mount *ump, const struct ext2fs_gd *gd)
{

	return gd->bg_inode_bitmap_lo | (ext2fs_gd_is64(ump) ?
	    (uint64_t)gd->bg_inode_bitmap_hi << 32 : 0);
}

uint64_t
ext2fs_gd_inode_table(struct ext2fs_mount *ump, const struct ext2fs_gd *gd)
{

	return gd->bg_inode_table_lo | (ext2fs_gd_is64(ump) ?
	    (uint64_t)gd->bg_inode_table_hi << 32 : 0);
}

uint32_t
ext2fs_gd_free_blocks(struct ext2fs_mount *ump, const struct ext2fs_gd *gd)
{

	return gd->bg_free_blocks_count_lo | (ext2fs_gd_is64(ump) ?
	    (uint32_t)gd->bg_free_blocks_count_hi << 16 : 0);
}

uint32_t
ext2fs_gd_free_inodes(struct ext2fs_mount *ump, const struct ext2fs_gd *gd)
{

	return gd->bg_free_inodes_count_lo | (ext2fs_gd_is64(ump) ?
	    (uint32_t)gd->bg_free_inodes_count_hi << 16 : 0);
}

uint32_t
ext2fs_gd_used_dirs(struct ext2fs_mount *ump, const struct ext2fs_gd *gd)
{

	return gd->bg_used_dirs_count_lo | (ext2fs_gd_is64(ump) ?
	    (uint32_t)gd->bg_used_dirs_count_hi << 16 : 0);
}

static uint32_t
ext2fs_gd_itable_unused(struct ext2fs_mount *ump, const struct ext2fs_gd *gd)
{
	uint32_t n;

	n = gd->bg_itable_unused_lo | (ext2fs_gd_is64(ump) ?
	    (uint32_t)gd->bg_itable_unused_hi << 16 : 0);
	return MIN(n, ump->um_ipg);
}

void
ext2fs_gd_set_free_blocks(struct ext2fs_mount *ump, struct ext2fs_gd *gd,
    uint32_t v)
{

	gd->bg_free_blocks_count_lo = (uint16_t)v;
	if (ext2fs_gd_is64(ump))
		gd->bg_free_blocks_count_hi = (uint16_t)(v >> 16);
}

void
ext2fs_gd_set_free_inodes(struct ext2fs_mount *ump, struct ext2fs_gd *gd,
    uint32_t v)
{

	gd->bg_free_inodes_count_lo = (uint16_t)v;
	if (ext2fs_gd_is64(ump))
		gd->bg_free_inodes_count_hi = (uint16_t)(v >> 16);
}

void
ext2fs_gd_set_used_dirs(struct ext2fs_mount *ump, struct ext2fs_gd *gd,
    uint32_t v)
{

	gd->bg_used_dirs_count_lo = (uint16_t)v;
	if (ext2fs_gd_is64(ump))
		gd->bg_used_dirs_count_hi = (uint16_t)(v >> 16);
}

uint64_t
ext2fs_free_blocks(struct ext2fs_mount *ump)
{
	const struct ext2fs_super *sb = &ump->um_sb;

	return sb->s_free_blocks_count_lo |
	    ((ump->um_incompat & EXT4F_INCOMPAT_64BIT) ?
	    (uint64_t)sb->s_free_blocks_count_hi << 32 : 0);
}

void
ext2fs_set_free_blocks(struct ext2fs_mount *ump, uint64_t v)
{
	struct ext2fs_super *sb = &ump->um_sb;

	sb->s_free_blocks_count_lo = (uint32_t)v;
	if (ump->um_incompat & EXT4F_INCOMPAT_64BIT)
		sb->s_free_blocks_count_hi = (uint32_t)(v >> 32);
	ump->um_sbdirty = true;
}

static uint64_t
ext2fs_sb_blocks(const struct ext2fs_super *sb, uint32_t incompat)
{

	return sb->s_blocks_count_lo | ((incompat & EXT4F_INCOMPAT_64BIT) ?
	    (uint64_t)sb->s_blocks_count_hi << 32 : 0);
}

static uint64_t
ext2fs_sb_rblocks(const struct ext2fs_super *sb, uint32_t incompat)
{

	return sb->s_r_blocks_count_lo | ((incompat & EXT4F_INCOMPAT_64BIT) ?
	    (uint64_t)sb->s_r_blocks_count_hi << 32 : 0);
}

/* ------------------------------------------------------------------ */
/* Geometry: where superblocks, descriptors and tables live. */

/* True when n is a power of b (1 counts: b^0). */
static bool
ext2fs_is_power_of(uint32_t n, uint32_t b)
{

	while (n > 1 && n % b == 0)
		n /= b;
	return n == 1;
}

bool
ext2fs_group_has_super(struct ext2fs_mount *ump, uint32_t g)
{
	const struct ext2fs_super *sb = &ump->um_sb;

	if (g == 0)
		return true;
	if (ump->um_compat & EXT2F_COMPAT_SPARSE_SUPER2)
		return g == sb->s_backup_bgs[0] || g == sb->s_backup_bgs[1];
	if (!(ump->um_rocompat & EXT2F_ROCOMPAT_SPARSE_SUPER))
		return true;
	/* Groups 1 and the powers of 3, 5 and 7. */
	return g == 1 || ext2fs_is_power_of(g, 3) || ext2fs_is_power_of(g, 5) ||
	    ext2fs_is_power_of(g, 7);
}

uint64_t
ext2fs_group_first_block(struct ext2fs_mount *ump, uint32_t g)
{

	return (uint64_t)ump->um_sb.s_first_data_block +
	    (uint64_t)g * ump->um_bpg;
}

/* Descriptor blocks that follow every superblock copy (all without META_BG). */
static uint32_t
ext2fs_gdb_classic(struct ext2fs_mount *ump)
{

	if (ump->um_incompat & EXT2F_INCOMPAT_META_BG)
		return MIN(ump->um_gdbcount, ump->um_sb.s_first_meta_bg);
	return ump->um_gdbcount;
}

/* Groups whose descriptors one descriptor block holds. */
static uint32_t
ext2fs_gdpb(struct ext2fs_mount *ump)
{

	return ump->um_bsize / ump->um_descsize;
}

/*
 * With META_BG, descriptor block i (from s_first_meta_bg on) describes
 * meta group i and is kept in the first, second and last group of it.
 * True when group g contains such a copy.
 */
static bool
ext2fs_group_has_metabg_gd(struct ext2fs_mount *ump, uint32_t g)
{
	uint32_t gdpb = ext2fs_gdpb(ump), mg = g / gdpb, pos = g % gdpb;

	if (!(ump->um_incompat & EXT2F_INCOMPAT_META_BG) ||
	    mg < ump->um_sb.s_first_meta_bg)
		return false;
	return pos == 0 || pos == 1 || pos == gdpb - 1;
}

uint32_t
ext2fs_group_sbgd_blocks(struct ext2fs_mount *ump, uint32_t g)
{
	uint32_t n = 0;

	if (ext2fs_group_has_super(ump, g)) {
		n = 1 + ext2fs_gdb_classic(ump);
		if (ump->um_compat & EXT2F_COMPAT_RESIZE_INODE)
			n += ump->um_sb.s_reserved_gdt_blocks;
	}
	if (ext2fs_group_has_metabg_gd(ump, g))
		n++;
	return n;
}

/*
 * Block of copy `copy' of descriptor block i: copy 0 is the primary, the
 * others the backups in order.  0 when there is no such copy.
 */
static uint64_t
ext2fs_gdblock_loc(struct ext2fs_mount *ump, uint32_t i, uint32_t copy)
{
	uint32_t gdpb = ext2fs_gdpb(ump), g, seen, first;
	uint64_t sbblock = EXT2_SUPER_OFFSET / ump->um_bsize;

	if (i < ext2fs_gdb_classic(ump)) {
		if (copy == 0)
			return sbblock + 1 + i;
		/* The copy-th group after group 0 that holds a superblock. */
		seen = 0;
		for (g = 1; g < ump->um_ngroups; g++) {
			if (ext2fs_group_has_super(ump, g) && ++seen == copy)
				return ext2fs_group_first_block(ump, g) + 1 + i;
		}
		return 0;
	}

	first = i * gdpb;
	switch (copy) {
	case 0:
		g = first;
		break;
	case 1:
		g = first + 1;
		break;
	case 2:
		g = first + gdpb - 1;
		break;
	default:
		return 0;
	}
	if (g >= ump->um_ngroups)
		return 0;
	return ext2fs_group_first_block(ump, g) +
	    (ext2fs_group_has_super(ump, g) ? 1 : 0);
}

/* True when [start, start + count) meets a group's leading metadata. */
static bool
ext2fs_range_meets_sbgd(struct ext2fs_mount *ump, uint64_t start,
    uint64_t count)
{
	uint64_t first, last, gfirst;
	uint32_t g, glast, n;

	first = start - ump->um_sb.s_first_data_block;
	last = first + count - 1;
	glast = (uint32_t)MIN(last / ump->um_bpg, ump->um_ngroups - 1);
	for (g = (uint32_t)(first / ump->um_bpg); g <= glast; g++) {
		n = ext2fs_group_sbgd_blocks(ump, g);
		gfirst = ext2fs_group_first_block(ump, g);
		if (n != 0 && start < gfirst + n && start + count > gfirst)
			return true;
	}
	return false;
}

static bool
ext2fs_ranges_meet(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{

	return a < b + blen && b < a + alen;
}

bool
ext2fs_blk_is_meta(struct ext2fs_mount *ump, uint64_t bn, uint32_t count)
{
	const struct ext2fs_gd *gd;
	uint32_t g, h, hfirst, hlast;

	if (count == 0)
		count = 1;
	if (bn < ump->um_sb.s_first_data_block || bn == 0 ||
	    bn >= ump->um_nblocks || count > ump->um_nblocks - bn)
		return true;
	if (ext2fs_range_meets_sbgd(ump, bn, count))
		return true;

	/*
	 * Bitmaps and inode tables.  Without flex_bg those of group g lie
	 * in g.  With it, those of a flex group are packed in its first
	 * groups, so every group of the flex group is checked.
	 */
	g = (uint32_t)((bn - ump->um_sb.s_first_data_block) / ump->um_bpg);
	hfirst = g - g % ump->um_flexsize;
	hlast = (uint32_t)MIN((uint64_t)hfirst + ump->um_flexsize,
	    ump->um_ngroups);
	for (h = hfirst; h < hlast; h++) {
		gd = ext2fs_gd(ump, h);
		if (ext2fs_ranges_meet(bn, count,
		    ext2fs_gd_block_bitmap(ump, gd), 1) ||
		    ext2fs_ranges_meet(bn, count,
		    ext2fs_gd_inode_bitmap(ump, gd), 1) ||
		    ext2fs_ranges_meet(bn, count,
		    ext2fs_gd_inode_table(ump, gd), ump->um_itbpg))
			return true;
	}
	return false;
}

/* ------------------------------------------------------------------ */
/* The superblock on the device. */

/*
 * Read or write the primary superblock: 1024 bytes at byte 1024, in a
 * transfer of whole sectors (a read, patch and write when a sector is
 * larger than the superblock).
 */
static int
ext2fs_sb_io(struct vnode *devvp, u_int secsize, struct ext2fs_super *sb,
    bool write)
{
	uint64_t start, end;
	size_t len;
	char *buf;
	int error;

	if (secsize < DEV_BSIZE)
		secsize = DEV_BSIZE;
	start = rounddown(EXT2_SUPER_OFFSET, secsize);
	end = roundup(EXT2_SUPER_OFFSET + EXT2_SUPER_SIZE, secsize);
	len = (size_t)(end - start);
	if (len == EXT2_SUPER_SIZE) {
		if (write)
			return bio_write(devvp, start / DEV_BSIZE, sb, len);
		return bio_read(devvp, start / DEV_BSIZE, sb, len);
	}

	buf = kmem_alloc(len, KM_SLEEP);
	error = bio_read(devvp, start / DEV_BSIZE, buf, len);
	if (error == 0 && !write)
		memcpy(sb, buf + (EXT2_SUPER_OFFSET - start), EXT2_SUPER_SIZE);
	if (error == 0 && write) {
		memcpy(buf + (EXT2_SUPER_OFFSET - start), sb, EXT2_SUPER_SIZE);
		error = bio_write(devvp, start / DEV_BSIZE, buf, len);
	}
	kmem_free(buf, len);
	return error;
}

/* The largest regular file a block map can describe, in bytes. */
static uint64_t
ext2fs_map_maxsize(uint32_t bsize)
{
	uint64_t p = bsize / 4, blocks, limit, meta, lo, hi, mid;

	/* What the map can address. */
	blocks = EXT2_NDIR_BLOCKS + p + p * p + p * p * p;

	/*
	 * i_blocks counts 512-byte units in 32 bits and includes the
	 * indirect blocks: find the largest dense file that fits.
	 */
	limit = 0xffffffffULL / (bsize / 512);
	lo = 0;
	hi = blocks;
	while (lo < hi) {
		mid = lo + (hi - lo + 1) / 2;
		meta = 0;
		if (mid > EXT2_NDIR_BLOCKS)
			meta += 1;
		if (mid > EXT2_NDIR_BLOCKS + p)
			meta += 1 + howmany(MIN(mid, EXT2_NDIR_BLOCKS + p + p * p) -
			    EXT2_NDIR_BLOCKS - p, p);
		if (mid > EXT2_NDIR_BLOCKS + p + p * p)
			meta += 1 + howmany(mid - EXT2_NDIR_BLOCKS - p - p * p,
			    p * p) + howmany(mid - EXT2_NDIR_BLOCKS - p - p * p, p);
		if (mid + meta <= limit)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo * bsize;
}

/* Log one line: what, then the names of the features in bits. */
static void
ext2fs_log_features(struct mount *mp, const char *what,
    const struct ext2fs_feature_name *names, uint32_t bits)
{
	const struct ext2fs_feature_name *fn;
	char list[256];
	uint32_t known = 0;
	size_t len = 0;

	list[0] = '\0';
	for (fn = names; fn->fn_name != NULL; fn++) {
		known |= fn->fn_bit;
		if ((bits & fn->fn_bit) && len < sizeof(list))
			len += snprintf(list + len, sizeof(list) - len, "%s%s",
			    len > 0 ? ", " : "", fn->fn_name);
	}
	if ((bits & ~known) && len < sizeof(list))
		snprintf(list + len, sizeof(list) - len, "%sunknown 0x%x",
		    len > 0 ? ", " : "", bits & ~known);
	log(LOG_WARNING, "ext2fs %s: %s: %s\n", mp->mnt_source, what, list);
}

/*
 * Check the superblock in ump->um_sb and fill in the geometry.  EINVAL
 * for what is not an ext2 file system we can read, EFSCORRUPTED for
 * fields that contradict each other.
 */
static int
ext2fs_sb_check(struct ext2fs_mount *ump, uint64_t devsize)
{
	struct ext2fs_super *sb = &ump->um_sb;
	const char *name = ump->um_mp->mnt_source;
	uint64_t nblocks, groups;
	uint32_t gdpb;

	if (sb->s_magic != EXT2_SUPER_MAGIC) {
		log(LOG_ERR, "ext2fs %s: not an ext2 file system: superblock "
		    "magic 0x%04x, expected 0x%04x\n", name, sb->s_magic,
		    EXT2_SUPER_MAGIC);
		return EINVAL;
	}
	if (sb->s_rev_level > EXT2_DYNAMIC_REV) {
		log(LOG_ERR, "ext2fs %s: revision %u is not supported\n", name,
		    sb->s_rev_level);
		return EINVAL;
	}
	if (sb->s_rev_level == EXT2_GOOD_OLD_REV) {
		ump->um_compat = ump->um_rocompat = ump->um_incompat = 0;
		if (sb->s_feature_compat | sb->s_feature_ro_compat |
		    sb->s_feature_incompat)
			log(LOG_WARNING, "ext2fs %s: revision 0 file system "
			    "with feature flags set; ignoring them\n", name);
	} else {
		ump->um_compat = sb->s_feature_compat;
		ump->um_rocompat = sb->s_feature_ro_compat;
		ump->um_incompat = sb->s_feature_incompat;
	}

	/*
	 * bigalloc counts clusters of several blocks in the bitmaps and
	 * group counters, which this driver does not implement.
	 */
	if (ump->um_rocompat & EXT4F_ROCOMPAT_BIGALLOC) {
		log(LOG_ERR, "ext2fs %s: cannot mount, unsupported ro_compat "
		    "feature: bigalloc\n", name);
		return EINVAL;
	}

	/* METADATA_CSUM: the superblock checks itself first. */
	if (ump->um_rocompat & EXT4F_ROCOMPAT_METADATA_CSUM) {
		if (sb->s_checksum_type != EXT4_CRC32C_CHKSUM) {
			log(LOG_ERR, "ext2fs %s: unknown checksum type %u\n",
			    name, sb->s_checksum_type);
			return EINVAL;
		}
		if (ext2fs_sb_csum(sb) != sb->s_checksum) {
			log(LOG_ERR, "ext2fs %s: superblock checksum mismatch\n",
			    name);
			return EFSCORRUPTED;
		}
	}

	if (sb->s_log_block_size > EXT2_MAX_BLOCK_LOG - EXT2_MIN_BLOCK_LOG) {
		log(LOG_ERR, "ext2fs %s: invalid block size 2^%u KiB\n", name,
		    sb->s_log_block_size);
		return EFSCORRUPTED;
	}
	ump->um_bshift = EXT2_MIN_BLOCK_LOG + sb->s_log_block_size;
	ump->um_bsize = 1U << ump->um_bshift;
	ump->um_fsbtodb = ump->um_bshift - DEV_BSHIFT;
	if (ump->um_bsize < ump->um_secsize) {
		log(LOG_ERR, "ext2fs %s: block size %u is below the device's "
		    "sector size %u\n", name, ump->um_bsize, ump->um_secsize);
		return EINVAL;
	}

	if (sb->s_rev_level == EXT2_GOOD_OLD_REV) {
		ump->um_inodesize = EXT2_GOOD_OLD_INODE_SIZE;
		ump->um_first_ino = EXT2_GOOD_OLD_FIRST_INO;
	} else {
		ump->um_inodesize = sb->s_inode_size;
		ump->um_first_ino = sb->s_first_ino;
	}
	if (ump->um_inodesize < EXT2_GOOD_OLD_INODE_SIZE ||
	    ump->um_inodesize > ump->um_bsize ||
	    !powerof2(ump->um_inodesize)) {
		log(LOG_ERR, "ext2fs %s: invalid inode size %u\n", name,
		    ump->um_inodesize);
		return EFSCORRUPTED;
	}

	ump->um_bpg = sb->s_blocks_per_group;
	ump->um_ipg = sb->s_inodes_per_group;
	if (ump->um_bpg < 8 || ump->um_bpg > 8 * ump->um_bsize ||
	    ump->um_bpg % 8 != 0) {
		log(LOG_ERR, "ext2fs %s: invalid blocks per group %u\n", name,
		    ump->um_bpg);
		return EFSCORRUPTED;
	}
	if (ump->um_ipg == 0 || ump->um_ipg > 8 * ump->um_bsize ||
	    ump->um_ipg % 8 != 0) {
		log(LOG_ERR, "ext2fs %s: invalid inodes per group %u\n", name,
		    ump->um_ipg);
		return EFSCORRUPTED;
	}
	ump->um_itbpg = (uint32_t)howmany((uint64_t)ump->um_ipg *
	    ump->um_inodesize, ump->um_bsize);

	nblocks = ext2fs_sb_blocks(sb, ump->um_incompat);
	if (sb->s_first_data_block != (ump->um_bsize == 1024 ? 1U : 0U)) {
		log(LOG_ERR, "ext2fs %s: invalid first data block %u\n", name,
		    sb->s_first_data_block);
		return EFSCORRUPTED;
	}
	if (nblocks <= sb->s_first_data_block + 1) {
		log(LOG_ERR, "ext2fs %s: invalid block count %llu\n", name,
		    (unsigned long long)nblocks);
		return EFSCORRUPTED;
	}
	if (nblocks > devsize / ump->um_bsize) {
		log(LOG_ERR, "ext2fs %s: file system of %llu blocks is larger "
		    "than the device (%llu bytes)\n", name,
		    (unsigned long long)nblocks, (unsigned long long)devsize);
		return EINVAL;
	}
	ump->um_nblocks = nblocks;

	groups = howmany(nblocks - sb->s_first_data_block, ump->um_bpg);
	if (groups > UINT32_MAX / ump->um_ipg ||
	    (uint64_t)sb->s_inodes_count != groups * ump->um_ipg) {
		log(LOG_ERR, "ext2fs %s: inode count %u does not match %llu "
		    "groups of %u\n", name, sb->s_inodes_count,
		    (unsigned long long)groups, ump->um_ipg);
		return EFSCORRUPTED;
	}
	ump->um_ngroups = (uint32_t)groups;
	if (ump->um_first_ino < EXT2_GOOD_OLD_FIRST_INO ||
	    ump->um_first_ino >= sb->s_inodes_count) {
		log(LOG_ERR, "ext2fs %s: invalid first inode %u\n", name,
		    ump->um_first_ino);
		return EFSCORRUPTED;
	}
	if (ext2fs_sb_rblocks(sb, ump->um_incompat) > nblocks ||
	    ext2fs_free_blocks(ump) > nblocks ||
	    sb->s_free_inodes_count > sb->s_inodes_count) {
		log(LOG_ERR, "ext2fs %s: free or reserved counts exceed the "
		    "totals\n", name);
		return EFSCORRUPTED;
	}

	if (ump->um_incompat & EXT4F_INCOMPAT_64BIT) {
		ump->um_descsize = sb->s_desc_size;
		if (ump->um_descsize < EXT2_MIN_DESC_SIZE_64 ||
		    ump->um_descsize > EXT2_MAX_DESC_SIZE ||
		    !powerof2(ump->um_descsize)) {
			log(LOG_ERR, "ext2fs %s: invalid descriptor size %u\n",
			    name, ump->um_descsize);
			return EFSCORRUPTED;
		}
	} else
		ump->um_descsize = EXT2_MIN_DESC_SIZE;
	if (ump->um_descsize > ump->um_bsize) {
		log(LOG_ERR, "ext2fs %s: descriptor size %u exceeds the block "
		    "size\n", name, ump->um_descsize);
		return EFSCORRUPTED;
	}
	gdpb = ump->um_bsize / ump->um_descsize;
	ump->um_gdbcount = howmany(ump->um_ngroups, gdpb);

	if ((ump->um_incompat & EXT2F_INCOMPAT_META_BG) &&
	    sb->s_first_meta_bg > ump->um_gdbcount) {
		log(LOG_ERR, "ext2fs %s: first meta group %u is past the %u "
		    "descriptor blocks\n", name, sb->s_first_meta_bg,
		    ump->um_gdbcount);
		return EFSCORRUPTED;
	}
	if ((ump->um_compat & EXT2F_COMPAT_RESIZE_INODE) &&
	    sb->s_reserved_gdt_blocks > ump->um_bsize / 4) {
		log(LOG_ERR, "ext2fs %s: %u reserved descriptor blocks are too "
		    "many\n", name, sb->s_reserved_gdt_blocks);
		return EFSCORRUPTED;
	}
	if ((ump->um_compat & EXT2F_COMPAT_SPARSE_SUPER2) &&
	    (sb->s_backup_bgs[0] >= ump->um_ngroups ||
	    sb->s_backup_bgs[1] >= ump->um_ngroups)) {
		log(LOG_ERR, "ext2fs %s: backup groups %u and %u out of "
		    "range\n", name, sb->s_backup_bgs[0], sb->s_backup_bgs[1]);
		return EFSCORRUPTED;
	}
	/* Group 0's superblock and descriptors must fit in the group. */
	if (ext2fs_group_sbgd_blocks(ump, 0) >= MIN(ump->um_bpg,
	    nblocks - sb->s_first_data_block)) {
		log(LOG_ERR, "ext2fs %s: %u descriptor blocks do not fit in "
		    "group 0\n", name, ump->um_gdbcount);
		return EFSCORRUPTED;
	}

	ump->um_flexsize = 1;
	if (ump->um_incompat & EXT4F_INCOMPAT_FLEX_BG) {
		if (sb->s_log_groups_per_flex > 31) {
			log(LOG_ERR, "ext2fs %s: invalid flex group size "
			    "2^%u\n", name, sb->s_log_groups_per_flex);
			return EFSCORRUPTED;
		}
		ump->um_flexsize = 1U << sb->s_log_groups_per_flex;
	}

	if (ump->um_rocompat & EXT4F_ROCOMPAT_METADATA_CSUM) {
		if (ump->um_incompat & EXT4F_INCOMPAT_CSUM_SEED)
			ump->um_csum_seed = sb->s_checksum_seed;
		else
			ump->um_csum_seed = ext2fs_crc32c(~0U, sb->s_uuid,
			    sizeof(sb->s_uuid));
	}

	/*
	 * Hashed directories: s_flags records whether names were hashed as
	 * signed or unsigned chars.  When it records neither, Linux uses
	 * the char type of the machine.
	 */
	if (sb->s_flags & EXT2_FLAGS_UNSIGNED_HASH)
		ump->um_hash_unsigned = 1;
	else if (sb->s_flags & EXT2_FLAGS_SIGNED_HASH)
		ump->um_hash_unsigned = 0;
	else {
#ifdef __CHAR_UNSIGNED__
		ump->um_hash_unsigned = 1;
#else
		ump->um_hash_unsigned = 0;
#endif
	}

	/* The largest regular file. */
	if (ump->um_incompat & EXT4F_INCOMPAT_EXTENTS)
		ump->um_maxfilesize = 0xffffffffULL * ump->um_bsize;
	else
		ump->um_maxfilesize = ext2fs_map_maxsize(ump->um_bsize);
	if (sb->s_rev_level == EXT2_GOOD_OLD_REV)
		ump->um_maxfilesize = MIN(ump->um_maxfilesize, 0x7fffffffULL);
	return 0;
}

/*
 * Decide from the features what the mount may do: EINVAL for a feature
 * we cannot read, and *rdonlyp set (with a log line) for one we cannot
 * write.
 */
static int
ext2fs_features_check(struct ext2fs_mount *ump, bool *rdonlyp)
{
	struct mount *mp = ump->um_mp;
	uint32_t bad;

	bad = ump->um_incompat & ~EXT2F_INCOMPAT_RO;
	if (bad != 0) {
		ext2fs_log_features(mp, "cannot mount, unsupported "
		    "incompat features", ext2fs_incompat_names, bad);
		return EINVAL;
	}

	ump->um_forced_ro = false;
	bad = ump->um_incompat & ~(EXT2F_INCOMPAT_RW | EXT3F_INCOMPAT_RECOVER);
	if (bad != 0) {
		if (!*rdonlyp)
			ext2fs_log_features(mp, "mounting read-only, no write "
			    "support for incompat features",
			    ext2fs_incompat_names, bad);
		ump->um_forced_ro = true;
	}
	bad = ump->um_rocompat & ~EXT2F_ROCOMPAT_RW;
	if (bad != 0) {
		if (!*rdonlyp)
			ext2fs_log_features(mp, "mounting read-only, no write "
			    "support for ro_compat features",
			    ext2fs_rocompat_names, bad);
		ump->um_forced_ro = true;
	}
	if (ump->um_forced_ro)
		*rdonlyp = true;

	if (ump->um_incompat & EXT3F_INCOMPAT_RECOVER) {
		if (!*rdonlyp) {
			log(LOG_ERR, "ext2fs %s: the journal needs recovery, "
			    "which is not supported: cannot mount read-write; "
			    "run e2fsck first\n", mp->mnt_source);
			return EROFS;
		}
		log(LOG_WARNING, "ext2fs %s: the journal needs recovery; "
		    "reading the file system without it\n", mp->mnt_source);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Group descriptors on the device. */

/* Check descriptor g: locations inside the file system, counts, checksum. */
static int
ext2fs_gd_check(struct ext2fs_mount *ump, uint32_t g)
{
	const struct ext2fs_gd *gd = ext2fs_gd(ump, g);
	uint64_t lo, hi, bb, ib, it;

	bb = ext2fs_gd_block_bitmap(ump, gd);
	ib = ext2fs_gd_inode_bitmap(ump, gd);
	it = ext2fs_gd_inode_table(ump, gd);
	if (ump->um_incompat & EXT4F_INCOMPAT_FLEX_BG) {
		lo = ump->um_sb.s_first_data_block;
		hi = ump->um_nblocks;
	} else {
		lo = ext2fs_group_first_block(ump, g);
		hi = MIN(lo + ump->um_bpg, ump->um_nblocks);
	}
	if (bb < lo || bb >= hi || ext2fs_range_meets_sbgd(ump, bb, 1)) {
		ext2fs_corrupt(ump, 0, bb, "group %u: block bitmap out of "
		    "range", g);
		return EFSCORRUPTED;
	}
	if (ib < lo || ib >= hi || ext2fs_range_meets_sbgd(ump, ib, 1)) {
		ext2fs_corrupt(ump, 0, ib, "group %u: inode bitmap out of "
		    "range", g);
		return EFSCORRUPTED;
	}
	if (it < lo || it >= hi || ump->um_itbpg > hi - it ||
	    ext2fs_range_meets_sbgd(ump, it, ump->um_itbpg)) {
		ext2fs_corrupt(ump, 0, it, "group %u: inode table out of "
		    "range", g);
		return EFSCORRUPTED;
	}
	if (ext2fs_gd_free_blocks(ump, gd) > ump->um_bpg ||
	    ext2fs_gd_free_inodes(ump, gd) > ump->um_ipg ||
	    ext2fs_gd_used_dirs(ump, gd) > ump->um_ipg) {
		ext2fs_corrupt(ump, 0, 0, "group %u: counts out of range", g);
		return EFSCORRUPTED;
	}
	if ((ump->um_rocompat & (EXT4F_ROCOMPAT_METADATA_CSUM |
	    EXT4F_ROCOMPAT_GDT_CSUM)) &&
	    ext2fs_gd_csum(ump, g, gd) != gd->bg_checksum) {
		ext2fs_corrupt(ump, 0, 0, "group %u: descriptor checksum "
		    "mismatch", g);
		return EFSCORRUPTED;
	}
	return 0;
}

/*
 * Read all group descriptors into um_gd and check them; set the
 * superblock's free counts from them, as the descriptors are what the
 * allocator keeps exact.
 */
static int
ext2fs_gd_load(struct ext2fs_mount *ump)
{
	size_t total = (size_t)ump->um_ngroups * ump->um_descsize, off, n;
	uint64_t bn, freeb = 0, freei = 0;
	struct buf *bp;
	uint32_t i, g;
	int error;

	ump->um_gd = kmem_alloc(total, KM_SLEEP);
	ump->um_gddirty = kmem_zalloc(ump->um_gdbcount, KM_SLEEP);
	for (i = 0, off = 0; i < ump->um_gdbcount; i++, off += n) {
		bn = ext2fs_gdblock_loc(ump, i, 0);
		if (bn == 0 || bn >= ump->um_nblocks) {
			ext2fs_corrupt(ump, 0, bn, "descriptor block %u out "
			    "of range", i);
			return EFSCORRUPTED;
		}
		error = bread(ump->um_devvp, EXT2_FSBTODB(ump, bn),
		    ump->um_bsize, 0, &bp);
		if (error != 0)
			return error;
		n = MIN(ump->um_bsize, total - off);
		memcpy(ump->um_gd + off, bp->b_data, n);
		brelse(bp, 0);
	}

	for (g = 0; g < ump->um_ngroups; g++) {
		error = ext2fs_gd_check(ump, g);
		if (error != 0)
			return error;
		freeb += ext2fs_gd_free_blocks(ump, ext2fs_gd(ump, g));
		freei += ext2fs_gd_free_inodes(ump, ext2fs_gd(ump, g));
	}
	if (freeb > ump->um_nblocks || freei > ump->um_sb.s_inodes_count) {
		ext2fs_corrupt(ump, 0, 0, "descriptors count %llu free blocks "
		    "and %llu free inodes, more than exist",
		    (unsigned long long)freeb, (unsigned long long)freei);
		return EFSCORRUPTED;
	}
	if (freeb != ext2fs_free_blocks(ump) ||
	    freei != ump->um_sb.s_free_inodes_count) {
		ext2fs_set_free_blocks(ump, freeb);
		ump->um_sb.s_free_inodes_count = (uint32_t)freei;
		ump->um_sbdirty = true;
	}
	return 0;
}

/*
 * Blocks of the internal journal (from its inode's size), 0 without one
 * or when the inode cannot be read or is implausible.
 */
static uint64_t
ext2fs_journal_blocks(struct ext2fs_mount *ump)
{
	struct ext2fs_dinode *din;
	uint32_t ino = ump->um_sb.s_journal_inum;
	uint64_t size;
	struct buf *bp;

	if (!(ump->um_compat & EXT3F_COMPAT_HAS_JOURNAL) || ino == 0 ||
	    ump->um_sb.s_journal_dev != 0)
		return 0;
	if (ext2fs_inode_bread(ump, ino, &bp, &din) != 0)
		return 0;
	size = din->i_size | ((uint64_t)din->i_size_high << 32);
	brelse(bp, 0);
	size >>= ump->um_bshift;
	return size < ump->um_nblocks ? size : 0;
}

/*
 * Count the blocks that statfs leaves out of f_blocks, as Linux 6.18
 * does (compared by mounting mke2fs images with both).  That is
 * s_overhead_blocks when mke2fs recorded it.  Otherwise it is the blocks
 * before the first data block, the superblock copies with the
 * descriptor blocks and reserved descriptor blocks after them, two
 * bitmaps and the inode table per group, and the internal journal.
 */
static void
ext2fs_compute_overhead(struct ext2fs_mount *ump)
{
	uint64_t overhead = ump->um_sb.s_first_data_block;
	uint32_t g;

	if (ump->um_sb.s_overhead_blocks != 0) {
		ump->um_overhead = MIN(ump->um_sb.s_overhead_blocks,
		    ump->um_nblocks);
		return;
	}
	for (g = 0; g < ump->um_ngroups; g++)
		overhead += ext2fs_group_sbgd_blocks(ump, g);
	overhead += (uint64_t)ump->um_ngroups * (2 + ump->um_itbpg);
	overhead += ext2fs_journal_blocks(ump);
	ump->um_overhead = MIN(overhead, ump->um_nblocks);
}

/* ------------------------------------------------------------------ */
/* Writing the superblock and descriptors back. */

/* Copy the dirty descriptor blocks (all with `all') to their buffers. */
static int
ext2fs_gd_write(struct ext2fs_mount *ump, bool all, bool wait)
{
	size_t total = (size_t)ump->um_ngroups * ump->um_descsize, off, n;
	uint32_t i, copy, g, gdpb = ext2fs_gdpb(ump);
	struct ext2fs_gd *gd;
	struct buf *bp;
	uint64_t bn;
	int error, first = 0;

	KASSERT(mutex_owned(&ump->um_lock));
	for (i = 0; i < ump->um_gdbcount; i++) {
		if (!all && !ump->um_gddirty[i])
			continue;
		ump->um_gddirty[i] = 0;
		off = (size_t)i * ump->um_bsize;
		n = MIN(ump->um_bsize, total - off);
		if (ump->um_rocompat & (EXT4F_ROCOMPAT_METADATA_CSUM |
		    EXT4F_ROCOMPAT_GDT_CSUM)) {
			for (g = i * gdpb; g < MIN((i + 1) * gdpb,
			    ump->um_ngroups); g++) {
				gd = ext2fs_gd(ump, g);
				gd->bg_checksum = ext2fs_gd_csum(ump, g, gd);
			}
		}
		for (copy = 0; copy == 0 || all; copy++) {
			bn = ext2fs_gdblock_loc(ump, i, copy);
			if (bn == 0)
				break;
			error = bread(ump->um_devvp, EXT2_FSBTODB(ump, bn),
			    ump->um_bsize, 0, &bp);
			if (error != 0) {
				if (first == 0)
					first = error;
				continue;
			}
			memcpy(bp->b_data, ump->um_gd + off, n);
			if (wait) {
				error = bwrite(bp);
				if (error != 0 && first == 0)
					first = error;
			} else
				bdwrite(bp);
		}
	}
	return first;
}

/* Write the superblock copies in the backup groups (at unmount). */
static int
ext2fs_sb_write_backups(struct ext2fs_mount *ump, const struct ext2fs_super *sb)
{
	struct ext2fs_super *copy;
	struct buf *bp;
	uint32_t g;
	int error, first = 0;

	copy = kmem_alloc(sizeof(*copy), KM_SLEEP);
	for (g = 1; g < ump->um_ngroups; g++) {
		if (!ext2fs_group_has_super(ump, g))
			continue;
		memcpy(copy, sb, sizeof(*copy));
		copy->s_block_group_nr = (uint16_t)g;
		if (ump->um_rocompat & EXT4F_ROCOMPAT_METADATA_CSUM)
			copy->s_checksum = ext2fs_sb_csum(copy);
		error = bread(ump->um_devvp, EXT2_FSBTODB(ump,
		    ext2fs_group_first_block(ump, g)), ump->um_bsize, 0, &bp);
		if (error != 0) {
			if (first == 0)
				first = error;
			continue;
		}
		memcpy(bp->b_data, copy, sizeof(*copy));
		bdwrite(bp);
	}
	kmem_free(copy, sizeof(*copy));
	return first;
}

/*
 * Write the superblock and the descriptors; with backups also every
 * backup copy of both.  The caller flushes the device afterwards.
 */
static int
ext2fs_sbupdate_common(struct ext2fs_mount *ump, bool wait, bool backups)
{
	struct ext2fs_super *sb;
	int error, error2;

	if (ump->um_ronly)
		return 0;
	sb = kmem_alloc(sizeof(*sb), KM_SLEEP);
	mutex_enter(&ump->um_lock);
	if (!ump->um_sbdirty && !backups) {
		mutex_exit(&ump->um_lock);
		kmem_free(sb, sizeof(*sb));
		return 0;
	}
	ump->um_sbdirty = false;
	ump->um_sb.s_wtime = (uint32_t)time_second;
	if (ump->um_rocompat & EXT4F_ROCOMPAT_METADATA_CSUM)
		ump->um_sb.s_checksum = ext2fs_sb_csum(&ump->um_sb);
	memcpy(sb, &ump->um_sb, sizeof(*sb));
	error = ext2fs_gd_write(ump, backups, wait);
	mutex_exit(&ump->um_lock);

	error2 = ext2fs_sb_io(ump->um_devvp, ump->um_secsize, sb, true);
	if (error == 0)
		error = error2;
	if (backups) {
		error2 = ext2fs_sb_write_backups(ump, sb);
		if (error == 0)
			error = error2;
	}
	kmem_free(sb, sizeof(*sb));
	if (error != 0)
		log(LOG_ERR, "ext2fs %s: writing the superblock failed: error "
		    "%d\n", ext2fs_mntname(ump), error);
	return error;
}

int
ext2fs_sbupdate(struct ext2fs_mount *ump, bool wait)
{

	return ext2fs_sbupdate_common(ump, wait, false);
}

/* A read-write mount begins: not clean any more, one more mount. */
static int
ext2fs_mark_mounted(struct ext2fs_mount *ump)
{
	struct ext2fs_super *sb = &ump->um_sb;

	mutex_enter(&ump->um_lock);
	ump->um_mntstate = sb->s_state;
	if (!(sb->s_state & EXT2_VALID_FS))
		log(LOG_WARNING, "ext2fs %s: mounting a file system that was "
		    "not cleanly unmounted; running e2fsck is recommended\n",
		    ext2fs_mntname(ump));
	else if (sb->s_state & EXT2_ERROR_FS)
		log(LOG_WARNING, "ext2fs %s: mounting a file system with "
		    "errors; running e2fsck is recommended\n",
		    ext2fs_mntname(ump));
	sb->s_state &= ~EXT2_VALID_FS;
	sb->s_mnt_count++;
	sb->s_mtime = (uint32_t)time_second;
	ump->um_sbdirty = true;
	mutex_exit(&ump->um_lock);
	return ext2fs_sbupdate(ump, true);
}

/*
 * A read-write mount ends (unmount, remount read-only): the state of
 * mount time, every copy of the superblock and descriptors, all written.
 */
static int
ext2fs_mark_unmounted(struct ext2fs_mount *ump)
{
	int error, error2;

	mutex_enter(&ump->um_lock);
	ump->um_sb.s_state = ump->um_mntstate;
	ump->um_sbdirty = true;
	mutex_exit(&ump->um_lock);
	error = ext2fs_sbupdate_common(ump, false, true);
	error2 = bflush(ump->um_devvp, FSYNC_WAIT);
	return error != 0 ? error : error2;
}

/* ------------------------------------------------------------------ */
/* Mounting. */

/*
 * The options: ro, rw, noatime and sync.  *rdonlyp starts as the
 * mount's MNT_RDONLY; ro and rw change it, the last one winning.
 */
static int
ext2fs_parse_options(struct mount *mp, const char *options, int *mntoptsp,
    bool *rdonlyp)
{
	char name[32], value[64];
	const char *opts = options;
	int mntopts = 0;

	if (mp->mnt_flag & MNT_NOATIME)
		mntopts |= EXT2_MNT_NOATIME;
	if (mp->mnt_flag & MNT_SYNCHRONOUS)
		mntopts |= EXT2_MNT_SYNC;
	while (vfs_getopt(&opts, name, sizeof(name), value, sizeof(value))) {
		if (strcmp(name, "ro") == 0 && value[0] == '\0')
			*rdonlyp = true;
		else if (strcmp(name, "rw") == 0 && value[0] == '\0')
			*rdonlyp = false;
		else if (strcmp(name, "noatime") == 0 && value[0] == '\0')
			mntopts |= EXT2_MNT_NOATIME;
		else if (strcmp(name, "sync") == 0 && value[0] == '\0')
			mntopts |= EXT2_MNT_SYNC;
		else {
			log(LOG_ERR, "ext2fs %s: unknown mount option \"%s\"; "
			    "the options are ro, rw, noatime and sync\n",
			    mp->mnt_source, name);
			return EINVAL;
		}
	}
	*mntoptsp = mntopts;
	return 0;
}

static void
ext2fs_set_mnt_rdonly(struct mount *mp, bool rdonly)
{

	mutex_enter(&mp->mnt_lock);
	if (rdonly)
		mp->mnt_flag |= MNT_RDONLY;
	else
		mp->mnt_flag &= ~MNT_RDONLY;
	mutex_exit(&mp->mnt_lock);
}

static void
ext2fs_free_mount(struct ext2fs_mount *ump)
{

	if (ump->um_gd != NULL)
		kmem_free(ump->um_gd, (size_t)ump->um_ngroups *
		    ump->um_descsize);
	if (ump->um_gddirty != NULL)
		kmem_free(ump->um_gddirty, ump->um_gdbcount);
	mutex_destroy(&ump->um_lock);
	kmem_free(ump, sizeof(*ump));
}

static int
ext2fs_mountfs(struct mount *mp, const char *source, int mntopts,
    bool rdonly)
{
	struct ext2fs_mount *ump;
	struct vnode *devvp;
	uint64_t devsize;
	u_int secsize;
	int error;

	if (source == NULL || source[0] == '\0')
		return EINVAL;
	error = vfs_opendev(mp, source, true, &devvp);
	if (error != 0)
		return error;
	error = vfs_devsize(devvp, &devsize, &secsize);
	if (error != 0) {
		vfs_closedev(mp, devvp);
		return error;
	}

	ump = kmem_zalloc(sizeof(*ump), KM_SLEEP);
	mutex_init(&ump->um_lock, MUTEX_DEFAULT, IPL_NONE);
	ump->um_mp = mp;
	ump->um_devvp = devvp;
	ump->um_secsize = secsize;
	ump->um_mntopts = mntopts;
	ump->um_ronly = true;

	error = ext2fs_sb_io(devvp, secsize, &ump->um_sb, false);
	if (error != 0) {
		log(LOG_ERR, "ext2fs %s: reading the superblock failed: "
		    "error %d\n", source, error);
		goto fail;
	}
	error = ext2fs_sb_check(ump, devsize);
	if (error == 0)
		error = ext2fs_features_check(ump, &rdonly);
	if (error == 0)
		error = ext2fs_gd_load(ump);
	if (error != 0)
		goto fail;
	ext2fs_compute_overhead(ump);

	if (!rdonly) {
		error = vfs_devsetrw(devvp, true);
		if (error != 0) {
			log(LOG_ERR, "ext2fs %s: cannot open the device for "
			    "writing: error %d\n", source, error);
			goto fail;
		}
		ump->um_ronly = false;
	}

	mp->mnt_data = ump;
	mp->mnt_dev = vfs_alloc_dev();
	mp->mnt_fstypemagic = EXT2_SUPER_MAGIC;
	ext2fs_set_mnt_rdonly(mp, rdonly);
	if (!rdonly) {
		error = ext2fs_mark_mounted(ump);
		if (error != 0) {
			mp->mnt_data = NULL;
			goto fail;
		}
	}
	return 0;

fail:
	binvalall(devvp);
	vfs_closedev(mp, devvp);
	ext2fs_free_mount(ump);
	return error;
}

/* MS_REMOUNT: switch between read-only and read-write, take new options. */
static int
ext2fs_remount(struct mount *mp, int mntopts, bool rdonly)
{
	struct ext2fs_mount *ump = mp->mnt_data;
	int error;

	if (rdonly && !ump->um_ronly) {
		/* The VFS synced and checked that nothing is open to write. */
		error = ext2fs_mark_unmounted(ump);
		if (error != 0)
			return error;
		ump->um_ronly = true;
		(void)vfs_devsetrw(ump->um_devvp, false);
	} else if (!rdonly && ump->um_ronly) {
		if (ump->um_forced_ro) {
			log(LOG_ERR, "ext2fs %s: cannot remount read-write: "
			    "the file system has features without write "
			    "support\n", mp->mnt_source);
			return EROFS;
		}
		if (ump->um_incompat & EXT3F_INCOMPAT_RECOVER) {
			log(LOG_ERR, "ext2fs %s: cannot remount read-write: "
			    "the journal needs recovery\n", mp->mnt_source);
			return EROFS;
		}
		error = vfs_devsetrw(ump->um_devvp, true);
		if (error != 0)
			return error;
		ump->um_ronly = false;
		error = ext2fs_mark_mounted(ump);
		if (error != 0) {
			ump->um_ronly = true;
			(void)vfs_devsetrw(ump->um_devvp, false);
			return error;
		}
	}
	ump->um_mntopts = mntopts;
	return 0;
}

static int
ext2fs_mount(struct mount *mp, const char *source, const char *options,
    struct lwp *l)
{
	bool rdonly, remount;
	int mntopts, error;

	mutex_enter(&mp->mnt_lock);
	rdonly = (mp->mnt_flag & MNT_RDONLY) != 0;
	remount = (mp->mnt_flag & MS_REMOUNT) != 0;
	mutex_exit(&mp->mnt_lock);

	error = ext2fs_parse_options(mp, options, &mntopts, &rdonly);
	if (error != 0)
		return error;
	if (remount)
		return ext2fs_remount(mp, mntopts, rdonly);
	return ext2fs_mountfs(mp, source, mntopts, rdonly);
}

static int
ext2fs_unmount(struct mount *mp, int flags)
{
	struct ext2fs_mount *ump = mp->mnt_data;
	struct vnode *devvp = ump->um_devvp;
	int error = 0;

	if (!ump->um_ronly)
		error = ext2fs_mark_unmounted(ump);
	else
		(void)bflush(devvp, FSYNC_WAIT);
	if (error != 0 && !(flags & MNT_FORCE))
		return error;
	binvalall(devvp);
	vfs_closedev(mp, devvp);
	mp->mnt_data = NULL;
	ext2fs_free_mount(ump);
	return 0;
}

static int
ext2fs_root(struct mount *mp, struct vnode **vpp)
{

	return vcache_get(mp, EXT2_ROOT_INO, vpp);
}

static int
ext2fs_statfs(struct mount *mp, struct statfs *sbp)
{
	struct ext2fs_mount *ump = mp->mnt_data;
	uint64_t freeb, rblocks, fsid;
	uint32_t freei;

	mutex_enter(&ump->um_lock);
	freeb = ext2fs_free_blocks(ump);
	freei = ump->um_sb.s_free_inodes_count;
	rblocks = ext2fs_sb_rblocks(&ump->um_sb, ump->um_incompat);
	mutex_exit(&ump->um_lock);

	sbp->f_type = EXT2_SUPER_MAGIC;
	sbp->f_bsize = ump->um_bsize;
	sbp->f_frsize = ump->um_bsize;
	sbp->f_blocks = ump->um_nblocks - ump->um_overhead;
	/*
	 * With extents, Linux also keeps 2% of the blocks, at most 4096,
	 * from unprivileged users for delayed allocation.
	 */
	if (ump->um_incompat & EXT4F_INCOMPAT_EXTENTS)
		rblocks += MIN(ump->um_nblocks / 50, 4096);
	sbp->f_bfree = freeb;
	sbp->f_bavail = freeb > rblocks ? freeb - rblocks : 0;
	sbp->f_files = ump->um_sb.s_inodes_count;
	sbp->f_ffree = freei;
	sbp->f_namelen = EXT2_NAME_LEN;
	/* Linux folds the UUID's two halves into the id. */
	memcpy(&fsid, ump->um_sb.s_uuid, sizeof(fsid));
	{
		uint64_t hi;

		memcpy(&hi, ump->um_sb.s_uuid + 8, sizeof(hi));
		fsid ^= hi;
	}
	sbp->f_fsid.val[0] = (int32_t)(fsid & 0xffffffffU);
	sbp->f_fsid.val[1] = (int32_t)(fsid >> 32);
	return 0;
}

static int
ext2fs_sync(struct mount *mp, int flags)
{
	struct ext2fs_mount *ump = mp->mnt_data;
	int error, error2;

	if (ump->um_ronly)
		return 0;
	error = ext2fs_sbupdate(ump, false);
	error2 = bflush(ump->um_devvp, flags & FSYNC_WAIT);
	return error != 0 ? error : error2;
}

/* ------------------------------------------------------------------ */
/* Inodes into vnodes. */

/*
 * Check what loadvnode relies on in a freshly read inode: the type, the
 * extra size, a fast symlink's length and the root of an extent tree.
 */
static int
ext2fs_dinode_check(struct ext2fs_mount *ump, uint32_t ino,
    const struct ext2fs_dinode *din, uint64_t size)
{
	const struct ext4_extent_header *eh;
	mode_t mode = din->i_mode;

	switch (mode & S_IFMT) {
	case S_IFREG:
	case S_IFDIR:
	case S_IFLNK:
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		break;
	default:
		ext2fs_corrupt(ump, ino, 0, "invalid file type in mode 0%o",
		    (unsigned)mode);
		return EFSCORRUPTED;
	}
	if (ump->um_inodesize > EXT2_GOOD_OLD_INODE_SIZE &&
	    (din->i_extra_isize > ump->um_inodesize - EXT2_GOOD_OLD_INODE_SIZE ||
	    din->i_extra_isize % 4 != 0)) {
		ext2fs_corrupt(ump, ino, 0, "invalid extra inode size %u",
		    din->i_extra_isize);
		return EFSCORRUPTED;
	}
	if (S_ISREG(mode) && size > ump->um_maxfilesize &&
	    !(din->i_flags & EXT4_EXTENTS_FL)) {
		ext2fs_corrupt(ump, ino, 0, "size %llu exceeds the largest "
		    "file", (unsigned long long)size);
		return EFSCORRUPTED;
	}
	if (din->i_flags & EXT4_INLINE_DATA_FL) {
		ext2fs_corrupt(ump, ino, 0, "inline data flag without the "
		    "inline_data feature");
		return EFSCORRUPTED;
	}
	if (din->i_flags & EXT4_EXTENTS_FL) {
		if (!(ump->um_incompat & EXT4F_INCOMPAT_EXTENTS)) {
			ext2fs_corrupt(ump, ino, 0, "extent flag without the "
			    "extent feature");
			return EFSCORRUPTED;
		}
		eh = (const struct ext4_extent_header *)din->i_block;
		if (eh->eh_magic != EXT4_EXT_MAGIC ||
		    eh->eh_depth > EXT4_EXT_MAX_DEPTH ||
		    eh->eh_max > (sizeof(din->i_block) - sizeof(*eh)) /
		    sizeof(struct ext4_extent) || eh->eh_entries > eh->eh_max) {
			ext2fs_corrupt(ump, ino, 0, "invalid extent tree root");
			return EFSCORRUPTED;
		}
	}
	return 0;
}

int
ext2fs_inode_csum_verify(struct ext2fs_mount *ump, uint32_t ino,
    const struct ext2fs_dinode *din)
{
	uint32_t csum, stored;

	if (!(ump->um_rocompat & EXT4F_ROCOMPAT_METADATA_CSUM))
		return 0;
	csum = ext2fs_inode_csum(ump, ino, din);
	stored = din->i_checksum_lo;
	if (ump->um_inodesize > EXT2_GOOD_OLD_INODE_SIZE &&
	    EXT2_GOOD_OLD_INODE_SIZE + din->i_extra_isize >=
	    offsetof(struct ext2fs_dinode, i_checksum_hi) + 2)
		stored |= (uint32_t)din->i_checksum_hi << 16;
	else
		csum &= 0xffff;
	if (csum != stored) {
		ext2fs_corrupt(ump, ino, 0, "inode checksum mismatch");
		return EFSCORRUPTED;
	}
	return 0;
}

static int
ext2fs_loadvnode(struct mount *mp, struct vnode *vp, uint64_t key)
{
	struct ext2fs_mount *ump = mp->mnt_data;
	struct ext2fs_dinode *din, *slot;
	struct ext2fs_inode *ip;
	const struct ext2fs_gd *gd;
	uint32_t ino, g, index;
	size_t dinsize;
	struct buf *bp;
	uint64_t size;
	int error;

	if (key == 0 || key > ump->um_sb.s_inodes_count ||
	    (key < ump->um_first_ino && key != EXT2_ROOT_INO)) {
		ext2fs_corrupt(ump, (uint32_t)MIN(key, UINT32_MAX), 0,
		    "inode number out of range");
		return EFSCORRUPTED;
	}
	ino = (uint32_t)key;
	g = (ino - 1) / ump->um_ipg;
	index = (ino - 1) % ump->um_ipg;
	gd = ext2fs_gd(ump, g);
	if ((ump->um_rocompat & (EXT4F_ROCOMPAT_GDT_CSUM |
	    EXT4F_ROCOMPAT_METADATA_CSUM)) &&
	    ((gd->bg_flags & EXT2_BG_INODE_UNINIT) ||
	    index >= ump->um_ipg - ext2fs_gd_itable_unused(ump, gd))) {
		ext2fs_corrupt(ump, ino, 0, "inode is in the unused part of "
		    "its group");
		return EFSCORRUPTED;
	}

	error = ext2fs_inode_bread(ump, ino, &bp, &slot);
	if (error != 0)
		return error;
	/* At least the whole struct, so that the extra fields read as 0. */
	dinsize = MAX(ump->um_inodesize, sizeof(struct ext2fs_dinode));
	din = kmem_zalloc(dinsize, KM_SLEEP);
	memcpy(din, slot, ump->um_inodesize);
	brelse(bp, 0);

	error = ext2fs_inode_csum_verify(ump, ino, din);
	if (error != 0)
		goto fail;
	/*
	 * An inode without links is free (or deleted, keeping its mode):
	 * Linux refuses it too.  Open files that lose their last link keep
	 * the vnode they had.
	 */
	if (din->i_links_count == 0) {
		ext2fs_corrupt(ump, ino, 0, "reference to an unused inode");
		error = EFSCORRUPTED;
		goto fail;
	}
	size = din->i_size;
	if (S_ISREG(din->i_mode) || (S_ISDIR(din->i_mode) &&
	    (ump->um_incompat & EXT4F_INCOMPAT_LARGEDIR)))
		size |= (uint64_t)din->i_size_high << 32;
	error = ext2fs_dinode_check(ump, ino, din, size);
	if (error != 0)
		goto fail;
	if (ino == EXT2_ROOT_INO && !S_ISDIR(din->i_mode)) {
		ext2fs_corrupt(ump, ino, 0, "root inode is not a directory");
		error = EFSCORRUPTED;
		goto fail;
	}

	ip = kmem_zalloc(sizeof(*ip), KM_SLEEP);
	ip->i_vnode = vp;
	ip->i_ump = ump;
	ip->i_number = ino;
	ip->i_size = size;
	ip->i_din = din;
	ip->i_unlinked = din->i_links_count == 0;

	vp->v_type = vtype_from_mode(din->i_mode);
	switch (vp->v_type) {
	case VCHR:
	case VBLK:
		vp->v_op = &ext2fs_specops;
		vp->v_rdev = ext2fs_rdev(ip);
		break;
	case VFIFO:
		vp->v_op = &ext2fs_fifoops;
		break;
	default:
		vp->v_op = &ext2fs_vnodeops;
		break;
	}
	vp->v_data = ip;
	if (ino == EXT2_ROOT_INO)
		vp->v_vflag |= VV_ROOT;
	return 0;

fail:
	kmem_free(din, dinsize);
	return error;
}

static void
ext2fs_init(void)
{

	ext2fs_csum_init();
}

static void
ext2fs_done(void)
{
}

struct vfsops ext2fs_vfsops = {
	.vfs_name = "ext2fs",
	.vfs_aliases = ext2fs_aliases,
	.vfs_mount = ext2fs_mount,
	.vfs_unmount = ext2fs_unmount,
	.vfs_root = ext2fs_root,
	.vfs_statfs = ext2fs_statfs,
	.vfs_sync = ext2fs_sync,
	.vfs_loadvnode = ext2fs_loadvnode,
	.vfs_init = ext2fs_init,
	.vfs_done = ext2fs_done,
};
