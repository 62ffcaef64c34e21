/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The ext2 family of file systems (ext2, ext3, ext4): on-disk layout,
 * in-memory state and the interfaces between the driver's files.
 *
 * Layout facts come from the published ext4 disk layout description.
 * Everything on disk is little-endian.  The hosts we run on (x86-64 and
 * AArch64 Linux) are little-endian too, so the structures below are read
 * and written in place.  A big-endian build stops at the check below.
 *
 * Files of the driver:
 *
 *	ext2fs_vfsops.c	mount, unmount, statfs, sync, loadvnode: the
 *			superblock, group descriptors, feature checks, the
 *			ext3 journal check, mount options
 *	ext2fs_alloc.c	block and inode allocation, bitmaps, counters
 *	ext2fs_inode.c	inode read and write, checksums, bmap over
 *			indirect blocks and extents, block allocation for
 *			a file, truncate, getattr, setattr, inactive,
 *			reclaim
 *	ext2fs_readwrite.c  read, write, fallocate, fsync, seekdata
 *	ext2fs_lookup.c	directory blocks: lookup (linear and hashed),
 *			readdir, adding, removing and rewriting entries
 *	ext2fs_htree.c	hashed directories: the name hashes and the walk
 *			through the index
 *	ext2fs_vnops.c	the vnode operations that change the name space
 *			(create, mkdir, symlink, link, remove, rmdir,
 *			rename), readlink, open, close, pathconf, and the
 *			operation vectors
 *	ext2fs_csum.c	crc16 and crc32c checksums of metadata
 *
 * Locking.  A vnode's lock (v_lock) protects its struct ext2fs_inode,
 * the inode's block map and the file's data blocks.  um_lock protects the
 * in-memory superblock counters, the group descriptors and the bitmaps
 * while they are changed; it is a leaf: nothing is locked after it, but
 * it may be held across bread of a bitmap block.  Directory operations
 * hold the directory's vnode lock exclusive, so entries of one directory
 * change one at a time.
 *
 * Errors.  Anything on disk that contradicts the layout (a block number
 * past the end, a bad rec_len, a checksum mismatch) is reported with
 * ext2fs_corrupt, which logs the device and the inode or block, and the
 * operation fails with EFSCORRUPTED (Linux's EUCLEAN).  Nothing is
 * written on the strength of a damaged structure.
 */

#ifndef _FS_EXT2FS_EXT2FS_H_
#define _FS_EXT2FS_EXT2FS_H_

#include <sys/types.h>
#include <sys/mutex.h>
#include <sys/vnode.h>

/* Limits that sys/types.h leaves out. */
#ifndef UINT16_MAX
#define UINT16_MAX	__UINT16_MAX__
#endif
#ifndef UINT32_MAX
#define UINT32_MAX	__UINT32_MAX__
#endif
#ifndef INT32_MAX
#define INT32_MAX	__INT32_MAX__
#endif
#ifndef INT32_MIN
#define INT32_MIN	(-INT32_MAX - 1)
#endif

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "ext2fs reads its on-disk structures in place: little-endian only"
#endif


/* ------------------------------------------------------------------ */
/* Superblock: 1024 bytes at byte 1024 of the device. */

#define EXT2_SUPER_OFFSET	1024
#define EXT2_SUPER_SIZE		1024
#define EXT2_SUPER_MAGIC	0xef53	/* spelt as sys/statfs.h has it */
#define EXT2_ROOT_INO		2
#define EXT2_RESIZE_INO		7
#define EXT2_JOURNAL_INO	8	/* the usual s_journal_inum */
#define EXT2_GOOD_OLD_FIRST_INO	11
#define EXT2_GOOD_OLD_INODE_SIZE 128
#define EXT2_MIN_BLOCK_LOG	10	/* s_log_block_size 0: 1024 bytes */
#define EXT2_MAX_BLOCK_LOG	16	/* 65536 bytes */
#define EXT2_NDIR_BLOCKS	12
#define EXT2_IND_BLOCK		12
#define EXT2_DIND_BLOCK		13
#define EXT2_TIND_BLOCK		14
#define EXT2_N_BLOCKS		15
#define EXT2_NAME_LEN		255
#define EXT2_LINK_MAX		65000	/* hard links of a non-directory */

/* s_rev_level */
#define EXT2_GOOD_OLD_REV	0
#define EXT2_DYNAMIC_REV	1

/* s_state */
#define EXT2_VALID_FS		0x0001	/* cleanly unmounted */
#define EXT2_ERROR_FS		0x0002	/* errors detected */
#define EXT3_ORPHAN_FS		0x0004	/* orphans being recovered */

/* s_feature_compat */
#define EXT2F_COMPAT_DIR_PREALLOC	0x0001
#define EXT2F_COMPAT_IMAGIC_INODES	0x0002
#define EXT3F_COMPAT_HAS_JOURNAL	0x0004
#define EXT2F_COMPAT_EXT_ATTR		0x0008
#define EXT2F_COMPAT_RESIZE_INODE	0x0010
#define EXT2F_COMPAT_DIR_INDEX		0x0020
#define EXT2F_COMPAT_SPARSE_SUPER2	0x0200
#define EXT2F_COMPAT_FAST_COMMIT	0x0400
#define EXT2F_COMPAT_STABLE_INODES	0x0800
#define EXT2F_COMPAT_ORPHAN_FILE	0x1000

/* s_feature_ro_compat */
#define EXT2F_ROCOMPAT_SPARSE_SUPER	0x0001
#define EXT2F_ROCOMPAT_LARGE_FILE	0x0002
#define EXT2F_ROCOMPAT_BTREE_DIR	0x0004
#define EXT4F_ROCOMPAT_HUGE_FILE	0x0008
#define EXT4F_ROCOMPAT_GDT_CSUM		0x0010
#define EXT4F_ROCOMPAT_DIR_NLINK	0x0020
#define EXT4F_ROCOMPAT_EXTRA_ISIZE	0x0040
#define EXT4F_ROCOMPAT_QUOTA		0x0100
#define EXT4F_ROCOMPAT_BIGALLOC		0x0200
#define EXT4F_ROCOMPAT_METADATA_CSUM	0x0400
#define EXT4F_ROCOMPAT_READONLY		0x1000
#define EXT4F_ROCOMPAT_PROJECT		0x2000
#define EXT4F_ROCOMPAT_SHARED_BLOCKS	0x4000
#define EXT4F_ROCOMPAT_VERITY		0x8000
#define EXT4F_ROCOMPAT_ORPHAN_PRESENT	0x10000

/* s_feature_incompat */
#define EXT2F_INCOMPAT_COMPRESSION	0x0001
#define EXT2F_INCOMPAT_FILETYPE		0x0002
#define EXT3F_INCOMPAT_RECOVER		0x0004	/* journal needs recovery */
#define EXT3F_INCOMPAT_JOURNAL_DEV	0x0008
#define EXT2F_INCOMPAT_META_BG		0x0010
#define EXT4F_INCOMPAT_EXTENTS		0x0040
#define EXT4F_INCOMPAT_64BIT		0x0080
#define EXT4F_INCOMPAT_MMP		0x0100
#define EXT4F_INCOMPAT_FLEX_BG		0x0200
#define EXT4F_INCOMPAT_EA_INODE		0x0400
#define EXT4F_INCOMPAT_DIRDATA		0x1000
#define EXT4F_INCOMPAT_CSUM_SEED	0x2000
#define EXT4F_INCOMPAT_LARGEDIR		0x4000
#define EXT4F_INCOMPAT_INLINE_DATA	0x8000
#define EXT4F_INCOMPAT_ENCRYPT		0x10000
#define EXT4F_INCOMPAT_CASEFOLD		0x20000

/* s_def_hash_version and dx_root_info.hash_version */
#define EXT2_HTREE_LEGACY		0
#define EXT2_HTREE_HALF_MD4		1
#define EXT2_HTREE_TEA			2
#define EXT2_HTREE_LEGACY_UNSIGNED	3
#define EXT2_HTREE_HALF_MD4_UNSIGNED	4
#define EXT2_HTREE_TEA_UNSIGNED		5

/* s_flags */
#define EXT2_FLAGS_SIGNED_HASH		0x0001
#define EXT2_FLAGS_UNSIGNED_HASH	0x0002

/* s_checksum_type */
#define EXT4_CRC32C_CHKSUM		1

struct ext2fs_super {
	uint32_t	s_inodes_count;
	uint32_t	s_blocks_count_lo;
	uint32_t	s_r_blocks_count_lo;
	uint32_t	s_free_blocks_count_lo;
	uint32_t	s_free_inodes_count;
	uint32_t	s_first_data_block;	/* 1 with 1 KiB blocks, else 0 */
	uint32_t	s_log_block_size;	/* block size 1024 << this */
	uint32_t	s_log_cluster_size;
	uint32_t	s_blocks_per_group;
	uint32_t	s_clusters_per_group;
	uint32_t	s_inodes_per_group;
	uint32_t	s_mtime;
	uint32_t	s_wtime;
	uint16_t	s_mnt_count;
	int16_t		s_max_mnt_count;
	uint16_t	s_magic;
	uint16_t	s_state;
	uint16_t	s_errors;
	uint16_t	s_minor_rev_level;
	uint32_t	s_lastcheck;
	uint32_t	s_checkinterval;
	uint32_t	s_creator_os;
	uint32_t	s_rev_level;
	uint16_t	s_def_resuid;
	uint16_t	s_def_resgid;
	/* EXT2_DYNAMIC_REV */
	uint32_t	s_first_ino;
	uint16_t	s_inode_size;
	uint16_t	s_block_group_nr;
	uint32_t	s_feature_compat;
	uint32_t	s_feature_incompat;
	uint32_t	s_feature_ro_compat;
	uint8_t		s_uuid[16];
	char		s_volume_name[16];
	char		s_last_mounted[64];
	uint32_t	s_algorithm_usage_bitmap;
	uint8_t		s_prealloc_blocks;
	uint8_t		s_prealloc_dir_blocks;
	uint16_t	s_reserved_gdt_blocks;
	/* journalling */
	uint8_t		s_journal_uuid[16];
	uint32_t	s_journal_inum;
	uint32_t	s_journal_dev;
	uint32_t	s_last_orphan;
	uint32_t	s_hash_seed[4];
	uint8_t		s_def_hash_version;
	uint8_t		s_jnl_backup_type;
	uint16_t	s_desc_size;		/* with 64BIT: 64 or more */
	uint32_t	s_default_mount_opts;
	uint32_t	s_first_meta_bg;
	uint32_t	s_mkfs_time;
	uint32_t	s_jnl_blocks[17];
	/* 64BIT */
	uint32_t	s_blocks_count_hi;
	uint32_t	s_r_blocks_count_hi;
	uint32_t	s_free_blocks_count_hi;
	uint16_t	s_min_extra_isize;
	uint16_t	s_want_extra_isize;
	uint32_t	s_flags;
	uint16_t	s_raid_stride;
	uint16_t	s_mmp_interval;
	uint64_t	s_mmp_block;
	uint32_t	s_raid_stripe_width;
	uint8_t		s_log_groups_per_flex;
	uint8_t		s_checksum_type;
	uint16_t	s_reserved_pad;
	uint64_t	s_kbytes_written;
	uint32_t	s_snapshot_inum;
	uint32_t	s_snapshot_id;
	uint64_t	s_snapshot_r_blocks_count;
	uint32_t	s_snapshot_list;
	uint32_t	s_error_count;
	uint32_t	s_first_error_time;
	uint32_t	s_first_error_ino;
	uint64_t	s_first_error_block;
	uint8_t		s_first_error_func[32];
	uint32_t	s_first_error_line;
	uint32_t	s_last_error_time;
	uint32_t	s_last_error_ino;
	uint32_t	s_last_error_line;
	uint64_t	s_last_error_block;
	uint8_t		s_last_error_func[32];
	uint8_t		s_mount_opts[64];
	uint32_t	s_usr_quota_inum;
	uint32_t	s_grp_quota_inum;
	uint32_t	s_overhead_blocks;
	uint32_t	s_backup_bgs[2];
	uint8_t		s_encrypt_algos[4];
	uint8_t		s_encrypt_pw_salt[16];
	uint32_t	s_lpf_ino;
	uint32_t	s_prj_quota_inum;
	uint32_t	s_checksum_seed;	/* with CSUM_SEED */
	uint8_t		s_wtime_hi;
	uint8_t		s_mtime_hi;
	uint8_t		s_mkfs_time_hi;
	uint8_t		s_lastcheck_hi;
	uint8_t		s_first_error_time_hi;
	uint8_t		s_last_error_time_hi;
	uint8_t		s_first_error_errcode;
	uint8_t		s_last_error_errcode;
	uint16_t	s_encoding;
	uint16_t	s_encoding_flags;
	uint32_t	s_orphan_file_inum;
	uint32_t	s_reserved[94];
	uint32_t	s_checksum;		/* crc32c of the bytes before */
};
_Static_assert(sizeof(struct ext2fs_super) == EXT2_SUPER_SIZE,
    "superblock layout");

/* ------------------------------------------------------------------ */
/* Group descriptors: s_desc_size bytes each (32 without 64BIT). */

#define EXT2_MIN_DESC_SIZE	32
#define EXT2_MIN_DESC_SIZE_64	64
#define EXT2_MAX_DESC_SIZE	1024

/* bg_flags */
#define EXT2_BG_INODE_UNINIT	0x0001	/* inode table and bitmap unused */
#define EXT2_BG_BLOCK_UNINIT	0x0002	/* block bitmap not initialised */
#define EXT2_BG_INODE_ZEROED	0x0004	/* inode table zeroed */

struct ext2fs_gd {
	uint32_t	bg_block_bitmap_lo;
	uint32_t	bg_inode_bitmap_lo;
	uint32_t	bg_inode_table_lo;
	uint16_t	bg_free_blocks_count_lo;
	uint16_t	bg_free_inodes_count_lo;
	uint16_t	bg_used_dirs_count_lo;
	uint16_t	bg_flags;
	uint32_t	bg_exclude_bitmap_lo;
	uint16_t	bg_block_bitmap_csum_lo;
	uint16_t	bg_inode_bitmap_csum_lo;
	uint16_t	bg_itable_unused_lo;
	uint16_t	bg_checksum;		/* crc16 or crc32c & 0xffff */
	/* 64BIT with s_desc_size >= 64 */
	uint32_t	bg_block_bitmap_hi;
	uint32_t	bg_inode_bitmap_hi;
	uint32_t	bg_inode_table_hi;
	uint16_t	bg_free_blocks_count_hi;
	uint16_t	bg_free_inodes_count_hi;
	uint16_t	bg_used_dirs_count_hi;
	uint16_t	bg_itable_unused_hi;
	uint32_t	bg_exclude_bitmap_hi;
	uint16_t	bg_block_bitmap_csum_hi;
	uint16_t	bg_inode_bitmap_csum_hi;
	uint32_t	bg_reserved;
};
_Static_assert(sizeof(struct ext2fs_gd) == 64, "group descriptor layout");

/* ------------------------------------------------------------------ */
/* Inodes: s_inode_size bytes (128 for revision 0). */

/* i_flags */
#define EXT2_SECRM_FL		0x00000001
#define EXT2_UNRM_FL		0x00000002
#define EXT2_COMPR_FL		0x00000004
#define EXT2_SYNC_FL		0x00000008
#define EXT2_IMMUTABLE_FL	0x00000010
#define EXT2_APPEND_FL		0x00000020
#define EXT2_NODUMP_FL		0x00000040
#define EXT2_NOATIME_FL		0x00000080
#define EXT2_INDEX_FL		0x00001000	/* hashed directory */
#define EXT3_JOURNAL_DATA_FL	0x00004000
#define EXT2_DIRSYNC_FL		0x00010000
#define EXT2_TOPDIR_FL		0x00020000
#define EXT4_HUGE_FILE_FL	0x00040000	/* i_blocks in fs blocks */
#define EXT4_EXTENTS_FL		0x00080000	/* i_block holds an extent tree */
#define EXT4_EA_INODE_FL	0x00200000
#define EXT4_INLINE_DATA_FL	0x10000000
#define EXT4_PROJINHERIT_FL	0x20000000
#define EXT4_CASEFOLD_FL	0x40000000

struct ext2fs_dinode {
	uint16_t	i_mode;
	uint16_t	i_uid;			/* low 16 bits */
	uint32_t	i_size;			/* low 32 bits */
	uint32_t	i_atime;
	uint32_t	i_ctime;
	uint32_t	i_mtime;
	uint32_t	i_dtime;		/* deletion time; orphan list link */
	uint16_t	i_gid;			/* low 16 bits */
	uint16_t	i_links_count;
	uint32_t	i_blocks_lo;		/* 512-byte units (see HUGE_FILE) */
	uint32_t	i_flags;
	uint32_t	i_version_lo;
	uint32_t	i_block[EXT2_N_BLOCKS];	/* block map, extents or symlink */
	uint32_t	i_generation;
	uint32_t	i_file_acl_lo;
	uint32_t	i_size_high;		/* regular files: high 32 bits */
	uint32_t	i_faddr;
	uint16_t	i_blocks_high;
	uint16_t	i_file_acl_high;
	uint16_t	i_uid_high;
	uint16_t	i_gid_high;
	uint16_t	i_checksum_lo;		/* crc32c low 16 bits */
	uint16_t	i_reserved;
	/* large inodes: i_extra_isize bytes of the following are in use */
	uint16_t	i_extra_isize;
	uint16_t	i_checksum_hi;
	uint32_t	i_ctime_extra;		/* (nsec << 2) | epoch bits */
	uint32_t	i_mtime_extra;
	uint32_t	i_atime_extra;
	uint32_t	i_crtime;
	uint32_t	i_crtime_extra;
	uint32_t	i_version_hi;
	uint32_t	i_projid;
};
_Static_assert(sizeof(struct ext2fs_dinode) == 160, "inode layout");

/* The file type bits of i_mode are S_IF* (sys/stat.h). */

/* ------------------------------------------------------------------ */
/* Extents (EXT4_EXTENTS_FL): a tree rooted in i_block. */

#define EXT4_EXT_MAGIC		0xF30A
#define EXT4_EXT_MAX_LEN	32768	/* ee_len above this: unwritten */
#define EXT4_EXT_MAX_DEPTH	5

struct ext4_extent_header {
	uint16_t	eh_magic;
	uint16_t	eh_entries;
	uint16_t	eh_max;
	uint16_t	eh_depth;		/* 0: entries are leaves */
	uint32_t	eh_generation;
};

struct ext4_extent {			/* leaf */
	uint32_t	ee_block;		/* first file block */
	uint16_t	ee_len;
	uint16_t	ee_start_hi;
	uint32_t	ee_start_lo;
};

struct ext4_extent_idx {		/* interior */
	uint32_t	ei_block;
	uint32_t	ei_leaf_lo;
	uint16_t	ei_leaf_hi;
	uint16_t	ei_unused;
};

/* After the entries of a non-root extent block, with METADATA_CSUM. */
struct ext4_extent_tail {
	uint32_t	et_checksum;
};

/* ------------------------------------------------------------------ */
/* Directories. */

/* file_type of an entry (with FILETYPE) */
#define EXT2_FT_UNKNOWN		0
#define EXT2_FT_REG_FILE	1
#define EXT2_FT_DIR		2
#define EXT2_FT_CHRDEV		3
#define EXT2_FT_BLKDEV		4
#define EXT2_FT_FIFO		5
#define EXT2_FT_SOCK		6
#define EXT2_FT_SYMLINK		7
#define EXT2_FT_MAX		8
#define EXT2_FT_DIR_CSUM	0xDE	/* the checksum tail's fake entry */

struct ext2fs_direct {
	uint32_t	e2d_ino;		/* 0: unused entry */
	uint16_t	e2d_reclen;		/* to the next entry, 4-aligned */
	uint8_t		e2d_namlen;
	uint8_t		e2d_type;		/* EXT2_FT_*, or high byte of a
						 * 16-bit name length on
						 * revision 0 */
	char		e2d_name[EXT2_NAME_LEN];
};
#define EXT2_DIR_HEADER		8
/* Space an entry with a name of n bytes needs. */
#define EXT2_DIR_RECLEN(n)	(((n) + EXT2_DIR_HEADER + 3) & ~3)

/* The last 12 bytes of a leaf block with METADATA_CSUM. */
struct ext2fs_dirent_tail {
	uint32_t	det_reserved_zero1;	/* inode 0 */
	uint16_t	det_rec_len;		/* 12 */
	uint8_t		det_reserved_zero2;	/* name length 0 */
	uint8_t		det_reserved_ft;	/* EXT2_FT_DIR_CSUM */
	uint32_t	det_checksum;
};

/* Hashed directories: block 0 holds the root of the index. */
struct ext2fs_dx_root_info {
	uint32_t	reserved_zero;
	uint8_t		hash_version;
	uint8_t		info_length;		/* 8 */
	uint8_t		indirect_levels;
	uint8_t		unused_flags;
};

struct ext2fs_dx_entry {
	uint32_t	hash;
	uint32_t	block;			/* directory block */
};

/* The first dx_entry of a node: its hash field contains limit and count. */
struct ext2fs_dx_countlimit {
	uint16_t	limit;
	uint16_t	count;
};

/* After the entries of an index node, with METADATA_CSUM. */
struct ext2fs_dx_tail {
	uint32_t	dt_reserved;
	uint32_t	dt_checksum;
};

/* ------------------------------------------------------------------ */
/* In-memory state. */

struct mount;
struct vfsops;
struct buf;
struct uio;

/* Per mount: mnt_data. */
struct ext2fs_mount {
	struct mount	*um_mp;
	struct vnode	*um_devvp;		/* the block device, open */
	kmutex_t	 um_lock;		/* see Locking above */
	struct ext2fs_super um_sb;		/* um_lock: in-memory copy */
	bool		 um_sbdirty;		/* um_lock: write at sync */
	bool		 um_ronly;		/* mounted read-only */
	bool		 um_forced_ro;		/* features allow no writes */
	int		 um_mntopts;		/* EXT2_MNT_* */
	uint32_t	 um_bsize;		/* block size in bytes */
	uint32_t	 um_bshift;		/* log2(um_bsize) */
	uint32_t	 um_fsbtodb;		/* fs block << this: DEV_BSIZE block */
	uint32_t	 um_inodesize;
	uint32_t	 um_ipg;		/* inodes per group */
	uint32_t	 um_bpg;		/* blocks per group */
	uint32_t	 um_ngroups;
	uint32_t	 um_descsize;		/* group descriptor size */
	uint32_t	 um_gdbcount;		/* blocks of group descriptors */
	uint64_t	 um_nblocks;		/* blocks in the file system */
	uint32_t	 um_first_ino;		/* first non-reserved inode */
	uint32_t	 um_incompat;		/* s_feature_* copies */
	uint32_t	 um_rocompat;
	uint32_t	 um_compat;
	uint32_t	 um_csum_seed;		/* crc32c seed, METADATA_CSUM */
	int		 um_hash_unsigned;	/* htree hash of unsigned chars */
	char		*um_gd;			/* um_lock: all descriptors,
						 * um_ngroups * um_descsize */
	uint8_t		*um_gddirty;		/* um_lock: per descriptor block */
	uint32_t	 um_lastalloc_group;	/* um_lock: allocation hint */
	/* Added by the core files; fixed at mount unless noted. */
	u_int		 um_secsize;		/* device sector size */
	uint32_t	 um_itbpg;		/* inode table blocks per group */
	uint32_t	 um_flexsize;		/* groups per flex group, 1 without */
	uint64_t	 um_maxfilesize;	/* largest regular file, bytes */
	uint32_t	 um_lastdir_group;	/* um_lock: directory spreading */
	uint64_t	 um_overhead;		/* statfs: blocks of fixed metadata */
	uint16_t	 um_mntstate;		/* s_state to restore at unmount */
	u_int		 um_ncorrupt;		/* corruption reports logged */
};

/* um_mntopts */
#define EXT2_MNT_NOATIME	0x0001
#define EXT2_MNT_SYNC		0x0002

/* Per vnode: v_data. */
struct ext2fs_inode {
	struct vnode	*i_vnode;
	struct ext2fs_mount *i_ump;
	uint32_t	 i_number;
	uint64_t	 i_size;		/* the file size, both halves */
	bool		 i_dirty;		/* write the inode back */
	bool		 i_unlinked;		/* no links: free at inactive */
	uint32_t	 i_dir_hint;		/* lookup: offset of the last hit */
	struct ext2fs_dinode *i_din;		/* um_inodesize bytes */
	/* Added by the core files; the vnode lock protects them. */
	uint64_t	 i_lastalloc;		/* last block given to the file */
	bool		 i_freed;		/* inode freed on disk already */
};

#define VTOI(vp)	((struct ext2fs_inode *)(vp)->v_data)
#define ITOV(ip)	((ip)->i_vnode)

/* ------------------------------------------------------------------ */
/* Interfaces between the driver's files. */

/* ext2fs_vfsops.c */
extern struct vfsops ext2fs_vfsops;	/* registered by the component glue */
void	ext2fs_corrupt(struct ext2fs_mount *, uint32_t ino, uint64_t blk,
	    const char *fmt, ...) __printflike(4, 5);
/* The descriptor of group g (in um_gd); caller holds um_lock to change. */
struct ext2fs_gd *ext2fs_gd(struct ext2fs_mount *, uint32_t g);
/* Mark the group's descriptor and the superblock for write-back. */
void	ext2fs_gd_dirty(struct ext2fs_mount *, uint32_t g);
/* Write superblock and descriptors (with their backups) when dirty. */
int	ext2fs_sbupdate(struct ext2fs_mount *, bool wait);
/* Group g holds a superblock backup (sparse_super rules). */
bool	ext2fs_group_has_super(struct ext2fs_mount *, uint32_t g);
/* The 64-bit fields of a descriptor and the superblock. */
uint64_t ext2fs_gd_block_bitmap(struct ext2fs_mount *, const struct ext2fs_gd *);
uint64_t ext2fs_gd_inode_bitmap(struct ext2fs_mount *, const struct ext2fs_gd *);
uint64_t ext2fs_gd_inode_table(struct ext2fs_mount *, const struct ext2fs_gd *);
uint64_t ext2fs_free_blocks(struct ext2fs_mount *);
/* The counters of a descriptor, both halves; set them under um_lock. */
uint32_t ext2fs_gd_free_blocks(struct ext2fs_mount *, const struct ext2fs_gd *);
uint32_t ext2fs_gd_free_inodes(struct ext2fs_mount *, const struct ext2fs_gd *);
uint32_t ext2fs_gd_used_dirs(struct ext2fs_mount *, const struct ext2fs_gd *);
void	ext2fs_gd_set_free_blocks(struct ext2fs_mount *, struct ext2fs_gd *,
	    uint32_t);
void	ext2fs_gd_set_free_inodes(struct ext2fs_mount *, struct ext2fs_gd *,
	    uint32_t);
void	ext2fs_gd_set_used_dirs(struct ext2fs_mount *, struct ext2fs_gd *,
	    uint32_t);
/* Set the superblock's free block count (both halves), under um_lock. */
void	ext2fs_set_free_blocks(struct ext2fs_mount *, uint64_t);
/* First block of group g. */
uint64_t ext2fs_group_first_block(struct ext2fs_mount *, uint32_t g);
/*
 * Blocks at the start of group g taken by the superblock backup, the
 * group descriptors and the reserved descriptor blocks.
 */
uint32_t ext2fs_group_sbgd_blocks(struct ext2fs_mount *, uint32_t g);
/*
 * True when count blocks from bn are not all data blocks: past the end
 * of the file system, before its first data block, or overlapping a
 * superblock, descriptor block, bitmap or inode table.
 */
bool	ext2fs_blk_is_meta(struct ext2fs_mount *, uint64_t bn, uint32_t count);

/* Device block (DEV_BSIZE units) of file system block b. */
#define EXT2_FSBTODB(ump, b)	((daddr_t)(b) << (ump)->um_fsbtodb)

/* ext2fs_alloc.c; all take um_lock themselves. */
/*
 * Allocate a block near goal (0: anywhere) and return it in *bnp.
 * ENOSPC when none is free (root-reserved blocks count for uid 0 only).
 */
int	ext2fs_blkalloc(struct ext2fs_inode *, uint64_t goal,
	    kauth_cred_t, uint64_t *bnp);
/* Allocate up to *countp contiguous blocks at or after goal. */
int	ext2fs_blkalloc_run(struct ext2fs_inode *, uint64_t goal,
	    kauth_cred_t, uint64_t *bnp, uint32_t *countp);
void	ext2fs_blkfree(struct ext2fs_mount *, uint64_t bn, uint32_t count);
/*
 * Allocate an inode for a new file of type mode in directory dip:
 * returns its number.  ENOSPC when none is free.
 */
int	ext2fs_inoalloc(struct ext2fs_inode *dip, mode_t mode,
	    uint32_t *inop);
void	ext2fs_inofree(struct ext2fs_mount *, uint32_t ino, bool isdir);

/* ext2fs_inode.c */
/*
 * Make the inode of a new file: allocate it, fill in mode, owner (from
 * cred, group from the directory or its setgid bit), times and flags
 * inherited from dip, and load it into the vnode cache.  The vnode is
 * returned referenced and unlocked, with one link and nothing written to
 * the directory yet.
 */
int	ext2fs_newinode(struct ext2fs_inode *dip, mode_t mode,
	    kauth_cred_t, struct vnode **vpp);
/* Write the inode back to the inode table (with its checksum). */
int	ext2fs_iupdate(struct ext2fs_inode *, bool wait);
/* Set the timestamps named by EXT2_I* to now and mark the inode dirty. */
void	ext2fs_itimes(struct ext2fs_inode *, int which);
#define EXT2_IACCESS	0x01
#define EXT2_IUPDATE	0x02	/* mtime */
#define EXT2_ICHANGE	0x04	/* ctime */
/* uid, gid, link count and i_blocks accessors over the split fields. */
uid_t	ext2fs_uid(const struct ext2fs_inode *);
gid_t	ext2fs_gid(const struct ext2fs_inode *);
void	ext2fs_set_nlink(struct ext2fs_inode *, uint32_t);
/*
 * File block lbn: *bnp is the file system block, 0 in a hole; *runp,
 * when not NULL, the count of following blocks that are contiguous on
 * the device.  Works for block maps and extent trees.
 */
int	ext2fs_bmap(struct ext2fs_inode *, uint64_t lbn, uint64_t *bnp,
	    uint32_t *runp);
/*
 * Give file block lbn a block if it has none; *bnp is the block.  When
 * bpp is not NULL, return the busy buffer of the block (zeroed if it was
 * just allocated and clear is true).
 */
int	ext2fs_balloc(struct ext2fs_inode *, uint64_t lbn, kauth_cred_t,
	    bool clear, uint64_t *bnp, struct buf **bpp);
/*
 * Give the hole at file block lbn up to want blocks, contiguous on the
 * device, for lbn and the following file blocks of the same map block
 * that are holes too.  Their contents are left to the caller.  *gotp is
 * the count given and *newp is true.  When lbn has a block already, *bnp
 * is it, *gotp 1 and *newp false.
 */
int	ext2fs_balloc_run(struct ext2fs_inode *, uint64_t lbn, uint32_t want,
	    kauth_cred_t, uint64_t *bnp, uint32_t *gotp, bool *newp);
/* Read file block lbn (a hole reads as zeros into a new buffer). */
int	ext2fs_blkread(struct ext2fs_inode *, uint64_t lbn, struct buf **bpp);
/* Shrink or grow the file to length, freeing blocks past it. */
int	ext2fs_truncate(struct ext2fs_inode *, uint64_t length,
	    kauth_cred_t);
/*
 * Device nodes: the device number kept in i_block (the old 16-bit
 * encoding in i_block[0] when it fits, else the new one in i_block[1]).
 * ext2fs_set_rdev also sets v_rdev: for a new node, before it is entered
 * in a directory.
 */
dev_t	ext2fs_rdev(const struct ext2fs_inode *);
void	ext2fs_set_rdev(struct ext2fs_inode *, dev_t);
/*
 * Where inode ino lives: block *bnp of its group's inode table, at byte
 * *offp.  EFSCORRUPTED when the number is out of range.
 */
int	ext2fs_inode_loc(struct ext2fs_mount *, uint32_t ino, uint64_t *bnp,
	    uint32_t *offp);
/*
 * Read the inode table block that holds inode ino: *bpp is the busy
 * buffer, which the caller releases, and *dinp points at the inode in it
 * (um_inodesize bytes, which may be fewer than the struct).
 */
int	ext2fs_inode_bread(struct ext2fs_mount *, uint32_t ino,
	    struct buf **bpp, struct ext2fs_dinode **dinp);
/* Set the file size in the inode (both halves), marking it dirty. */
void	ext2fs_setsize(struct ext2fs_inode *, uint64_t);
/* Verify an inode's checksum (METADATA_CSUM); EFSCORRUPTED on mismatch. */
int	ext2fs_inode_csum_verify(struct ext2fs_mount *, uint32_t ino,
	    const struct ext2fs_dinode *);

int	ext2fs_getattr(struct vnode *, struct vattr *, kauth_cred_t);
int	ext2fs_setattr(struct vnode *, struct vattr *, kauth_cred_t);
int	ext2fs_inactive(struct vnode *, bool *recycle);
int	ext2fs_reclaim(struct vnode *);
int	ext2fs_vop_bmap(struct vnode *, daddr_t, struct vnode **, daddr_t *,
	    int *);

/* ext2fs_readwrite.c */
int	ext2fs_read(struct vnode *, struct uio *, int ioflag, kauth_cred_t);
int	ext2fs_write(struct vnode *, struct uio *, int ioflag, kauth_cred_t);
int	ext2fs_fallocate(struct vnode *, off_t, off_t, int);
int	ext2fs_fsync(struct vnode *, int flags, kauth_cred_t);
int	ext2fs_seekdata(struct vnode *, off_t, int, off_t *);

/* ext2fs_lookup.c */
int	ext2fs_lookup(struct vnode *dvp, const struct componentname *,
	    struct vnode **vpp);
int	ext2fs_readdir(struct vnode *, struct uio *, kauth_cred_t,
	    int *eofflag);
/* Add an entry for ip under cnp's name to directory dp. */
int	ext2fs_direnter(struct ext2fs_inode *dp, const struct componentname *,
	    struct ext2fs_inode *ip, kauth_cred_t);
/* Remove the entry of cnp's name from dp. */
int	ext2fs_dirremove(struct ext2fs_inode *dp, const struct componentname *);
/* Point the existing entry of cnp's name in dp at ip. */
int	ext2fs_dirrewrite(struct ext2fs_inode *dp, const struct componentname *,
	    struct ext2fs_inode *ip);
/* 1 when the directory holds only "." and "..", 0 otherwise. */
int	ext2fs_dirempty(struct ext2fs_inode *, uint32_t parentino,
	    kauth_cred_t);
/* Write "." and ".." into the first block of a new directory. */
int	ext2fs_dirinit(struct ext2fs_inode *ip, struct ext2fs_inode *parent,
	    kauth_cred_t);
/* EXT2_FT_* of a mode. */
uint8_t	ext2fs_mode2ft(mode_t);
/*
 * Point the ".." entry of directory dp at parent, leaving dp's times
 * alone (rename of a directory to another parent).
 */
int	ext2fs_dirrewrite_dotdot(struct ext2fs_inode *dp,
	    struct ext2fs_inode *parent);
/*
 * Record a read access (read, readdir, readlink) under the mount's atime
 * policy: nothing on read-only and noatime mounts, else relatime.
 */
void	ext2fs_iaccessed(struct ext2fs_inode *);

/* ext2fs_htree.c */
/*
 * Compute the hash of a name for hashed directories, by EXT2_HTREE_*
 * version (the unsigned variants included) and the superblock's seed.
 * The minor hash is stored in *minorp when it is not NULL.
 */
uint32_t ext2fs_htree_hash(int version, const uint32_t seed[4],
	    const char *name, size_t len, uint32_t *minorp);
/* Position of a walk through a directory's index. */
#define EXT2_HTREE_MAXLEVELS	3
struct ext2fs_htree_cursor {
	uint32_t	hc_hash;		/* hash of the name */
	int		hc_version;		/* EXT2_HTREE_* used */
	uint32_t	hc_nlevels;		/* index levels, root included */
	struct {
		uint64_t lbn;			/* directory block of the node */
		uint32_t pos;			/* entry followed */
		uint32_t count;			/* entries in the node */
	}		hc_level[EXT2_HTREE_MAXLEVELS];
	uint64_t	hc_leaf;		/* leaf block to search */
};
/*
 * Find the leaf block of hashed directory dp that holds name, if any
 * does.  EFSCORRUPTED (or a read error) when the index is damaged, with
 * the reason in *whyp for the caller to log.
 */
int	ext2fs_htree_find(struct ext2fs_inode *dp, const char *name,
	    size_t len, struct ext2fs_htree_cursor *, const char **whyp);
/*
 * Move to the next leaf when it continues the same hash (a collision
 * spread over blocks): 0 with hc_leaf set, ENOENT when there is none.
 */
int	ext2fs_htree_next(struct ext2fs_inode *dp,
	    struct ext2fs_htree_cursor *, const char **whyp);

/* ext2fs_vnops.c */
extern const struct vnodeops ext2fs_vnodeops;	/* files, dirs, symlinks */
extern const struct vnodeops ext2fs_specops;	/* device nodes */
extern const struct vnodeops ext2fs_fifoops;	/* FIFOs */

/* ext2fs_csum.c */
/* Build the checksum tables; called once when the type registers. */
void	ext2fs_csum_init(void);
uint16_t ext2fs_crc16(uint16_t crc, const void *, size_t);
uint32_t ext2fs_crc32c(uint32_t crc, const void *, size_t);
/* Checksum of group descriptor g, as stored in bg_checksum. */
uint16_t ext2fs_gd_csum(struct ext2fs_mount *, uint32_t g,
	    const struct ext2fs_gd *);
/* Checksums of the metadata blocks (METADATA_CSUM). */
uint32_t ext2fs_inode_csum(struct ext2fs_mount *, uint32_t ino,
	    const struct ext2fs_dinode *);
uint32_t ext2fs_dirblock_csum(struct ext2fs_mount *, const struct
	    ext2fs_inode *, const void *block, size_t len);
uint32_t ext2fs_extent_csum(struct ext2fs_mount *, const struct
	    ext2fs_inode *, const void *block, size_t len);
uint32_t ext2fs_bitmap_csum(struct ext2fs_mount *, const void *, size_t);
/*
 * The CRC-32C seed of an inode's own structures (the file system seed,
 * then the inode number and generation): directory index nodes chain
 * their parts from it.
 */
uint32_t ext2fs_inode_seed(struct ext2fs_mount *, const struct ext2fs_inode *);
uint32_t ext2fs_sb_csum(const struct ext2fs_super *);

#endif /* _FS_EXT2FS_EXT2FS_H_ */
