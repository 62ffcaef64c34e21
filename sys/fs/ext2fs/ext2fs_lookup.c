/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ext2fs directories: reading and checking directory blocks, lookup,
 * readdir, and adding, removing and rewriting entries.
 *
 * A directory is a file whose blocks hold variable-length entries
 * (struct ext2fs_direct): inode number, record length, name length, file
 * type and name.  The records of a block tile it exactly; an entry with
 * inode 0 is unused space.  With METADATA_CSUM every leaf block ends in
 * a 12-byte tail that looks like an unused entry and carries a crc32c of
 * the block.  Hashed directories (dir_index) hide an index in the slack
 * of some blocks; ext2fs_htree.c reads it.
 *
 * Checking.  Every block is checked whole when it is read, before any of
 * its entries is used:
 *
 *	record length	at least 12, a multiple of 4, long enough for the
 *			name, not past the end of the block
 *	name length	1 to 255 bytes in a live entry
 *	inode number	within the file system, and not a reserved inode
 *			other than the root
 *	checksum	with METADATA_CSUM, the tail and its crc32c
 *
 * A block that fails is reported with ext2fs_corrupt and the operation
 * fails with EFSCORRUPTED.  Nothing is written into a block that failed.
 *
 * Lookup uses the index of a hashed directory.  When the index is
 * damaged, it logs one line and scans linearly instead, starting at the
 * block of the previous hit (i_dir_hint).  namei puts lookup results in
 * the name cache, and ext2fs_vnops.c enters the names it adds and purges
 * the names it removes.
 *
 * Readdir cookies are byte offsets in the directory: the offset of the
 * next entry.  Entries never move once written, because an insertion
 * only splits an entry's slack and a removal merges an entry into the one
 * before it or marks it unused.  So a cookie stays valid while the
 * directory changes, and one that no longer starts an entry resumes at
 * the next entry of its block.  "." and ".." come first because they are
 * the first entries on disk.
 *
 * Adding to a hashed directory puts the entry into the leaf that the
 * index selects when it has room, which keeps the index valid.  When it
 * has none, or the index is damaged, the directory loses EXT2_INDEX_FL
 * and becomes a linear one, which the format allows.  e2fsck and Linux
 * read it as a linear directory, and e2fsck -D rebuilds an index.  The
 * index blocks are valid unused directory space to a linear reader.
 *
 * Locking: the directory's vnode lock, shared for lookup and readdir,
 * exclusive for the changes.  i_dir_hint is only a hint and is read and
 * written without further locking.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/buf.h>
#include <sys/dirent.h>
#include <sys/kauth.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#include <fs/ext2fs/ext2fs.h>

/* Smallest record: a one-byte name. */
#define DIR_MINRECLEN		EXT2_DIR_RECLEN(1)
/* Byte size of the checksum tail of a leaf block. */
#define DIR_TAILSIZE		((uint32_t)sizeof(struct ext2fs_dirent_tail))
/* Largest directory without largedir: i_size is then 32 bits. */
#define DIR_MAXSIZE_SMALL	0xffffffffULL

/* A directory block, read and checked. */
struct dirblk {
	struct buf	*db_bp;		/* busy */
	char		*db_data;
	uint64_t	 db_lbn;	/* block of the directory */
	uint32_t	 db_end;	/* entries end here (tail excluded) */
	bool		 db_tail;	/* has a checksum tail to update */
	bool		 db_index;	/* a node of a hashed directory's index */
};

/* A live entry found by name. */
struct dirhit {
	struct dirblk	 dh_blk;	/* busy while the caller keeps it */
	uint32_t	 dh_off;	/* the entry's offset in the block */
	int32_t		 dh_prevoff;	/* the entry before it; -1: none */
	uint32_t	 dh_ino;
};

static bool
dir_has_filetype(const struct ext2fs_mount *ump)
{

	return (ump->um_incompat & EXT2F_INCOMPAT_FILETYPE) != 0;
}

static bool
dir_has_csum(const struct ext2fs_mount *ump)
{

	return (ump->um_rocompat & EXT4F_ROCOMPAT_METADATA_CSUM) != 0;
}

/* Whole blocks of the directory; a partial last block is not used. */
static uint64_t
dir_nblocks(const struct ext2fs_inode *dp)
{

	return dp->i_size >> dp->i_ump->um_bshift;
}

/*
 * Record length of an entry.  Blocks of 64 KiB store their full length
 * as 0 or 65535, since it does not fit in 16 bits.
 */
static uint32_t
dirent_reclen(const struct ext2fs_mount *ump, const struct ext2fs_direct *de)
{
	uint32_t len = de->e2d_reclen;

	if (ump->um_bsize >= 65536 && (len == 0 || len == 65535))
		return 65536;
	return len;
}

static void
dirent_set_reclen(const struct ext2fs_mount *ump, struct ext2fs_direct *de,
    uint32_t len)
{

	KASSERT(len <= ump->um_bsize && len % 4 == 0);
	de->e2d_reclen = len >= 65536 ? 65535 : (uint16_t)len;
}

/*
 * Name length of an entry.  Without the filetype feature the type byte
 * is the high byte of a 16-bit length, which a valid entry keeps at 0.
 */
static uint32_t
dirent_namlen(const struct ext2fs_mount *ump, const struct ext2fs_direct *de)
{

	if (dir_has_filetype(ump))
		return de->e2d_namlen;
	return de->e2d_namlen | ((uint32_t)de->e2d_type << 8);
}

static inline bool
dirent_isdot(const struct ext2fs_direct *de, uint32_t namlen)
{

	return (namlen == 1 && de->e2d_name[0] == '.') ||
	    (namlen == 2 && de->e2d_name[0] == '.' && de->e2d_name[1] == '.');
}

/* File system block of a directory buffer, for messages. */
static uint64_t
dirblk_fsblock(const struct ext2fs_mount *ump, const struct buf *bp)
{

	return (uint64_t)bp->b_blkno >> ump->um_fsbtodb;
}

uint8_t
ext2fs_mode2ft(mode_t mode)
{

	switch (mode & S_IFMT) {
	case S_IFREG:
		return EXT2_FT_REG_FILE;
	case S_IFDIR:
		return EXT2_FT_DIR;
	case S_IFCHR:
		return EXT2_FT_CHRDEV;
	case S_IFBLK:
		return EXT2_FT_BLKDEV;
	case S_IFIFO:
		return EXT2_FT_FIFO;
	case S_IFSOCK:
		return EXT2_FT_SOCK;
	case S_IFLNK:
		return EXT2_FT_SYMLINK;
	default:
		return EXT2_FT_UNKNOWN;
	}
}

static uint8_t
dir_ft2dt(uint8_t ft)
{

	switch (ft) {
	case EXT2_FT_REG_FILE:
		return DT_REG;
	case EXT2_FT_DIR:
		return DT_DIR;
	case EXT2_FT_CHRDEV:
		return DT_CHR;
	case EXT2_FT_BLKDEV:
		return DT_BLK;
	case EXT2_FT_FIFO:
		return DT_FIFO;
	case EXT2_FT_SOCK:
		return DT_SOCK;
	case EXT2_FT_SYMLINK:
		return DT_LNK;
	default:
		return DT_UNKNOWN;
	}
}

/*
 * Reading and checking blocks.
 */

/* The checksum tail at the end of a leaf block, when it is there. */
static bool
dirblk_tail_present(const struct ext2fs_mount *ump, const char *block)
{
	const struct ext2fs_dirent_tail *t;

	t = (const struct ext2fs_dirent_tail *)(block + ump->um_bsize -
	    DIR_TAILSIZE);
	return t->det_reserved_zero1 == 0 &&
	    t->det_rec_len == DIR_TAILSIZE &&
	    t->det_reserved_zero2 == 0 &&
	    t->det_reserved_ft == EXT2_FT_DIR_CSUM;
}

/*
 * Tell whether a block is a node of a hashed directory's index, which
 * carries no leaf checksum tail.  The root is block 0 with "." and a ".."
 * that spans the rest of the block.  An interior node is one unused
 * entry that spans the whole block.  A leaf block of a checksummed
 * directory looks like neither, because its entries stop before the tail.
 */
static bool
dirblk_looks_index(const struct ext2fs_mount *ump, uint64_t lbn,
    const char *block)
{
	const struct ext2fs_direct *de = (const struct ext2fs_direct *)block;
	const struct ext2fs_direct *dotdot;

	if (lbn == 0) {
		if (de->e2d_reclen != 12 || de->e2d_namlen != 1)
			return false;
		dotdot = (const struct ext2fs_direct *)(block + 12);
		return dotdot->e2d_namlen == 2 &&
		    dirent_reclen(ump, dotdot) == ump->um_bsize - 12;
	}
	return de->e2d_ino == 0 && de->e2d_namlen == 0 &&
	    dirent_reclen(ump, de) == ump->um_bsize;
}

/*
 * Check every entry of a block up to db_end.  Logs the first bad one and
 * returns EFSCORRUPTED for it.
 */
static int
dirblk_check_entries(struct ext2fs_inode *dp, const struct dirblk *db)
{
	struct ext2fs_mount *ump = dp->i_ump;
	const struct ext2fs_direct *de;
	const char *why = NULL;
	uint32_t off, reclen = 0, namlen = 0, ino = 0;

	for (off = 0; off < db->db_end; off += reclen) {
		if (db->db_end - off < EXT2_DIR_HEADER) {
			why = "entry header crosses the end of the block";
			break;
		}
		de = (const struct ext2fs_direct *)(db->db_data + off);
		reclen = dirent_reclen(ump, de);
		namlen = dirent_namlen(ump, de);
		ino = de->e2d_ino;
		if (reclen < DIR_MINRECLEN)
			why = "record length below 12";
		else if (reclen % 4 != 0)
			why = "record length not a multiple of 4";
		else if (reclen > db->db_end - off)
			why = "record length past the end of the block";
		else if (namlen > EXT2_NAME_LEN)
			why = "name longer than 255 bytes";
		else if (EXT2_DIR_RECLEN(namlen) > reclen)
			why = "name longer than its record";
		else if (ino != 0 && namlen == 0)
			why = "empty name";
		else if (ino != 0 && ino > ump->um_sb.s_inodes_count)
			why = "inode number out of range";
		else if (ino != 0 && ino < ump->um_first_ino &&
		    ino != EXT2_ROOT_INO)
			why = "entry names a reserved inode";
		if (why != NULL)
			break;
	}
	if (why == NULL)
		return 0;

	ext2fs_corrupt(ump, dp->i_number, dirblk_fsblock(ump, db->db_bp),
	    "directory block %llu, offset %u: %s (rec_len %u, name_len %u, "
	    "inode %u)", (unsigned long long)db->db_lbn, off, why, reclen,
	    namlen, ino);
	return EFSCORRUPTED;
}

/*
 * Read block lbn of directory dp and check it.  On success db holds the
 * busy buffer; release it with dirblk_release or dirblk_write.
 */
static int
dirblk_read(struct ext2fs_inode *dp, uint64_t lbn, struct dirblk *db)
{
	struct ext2fs_mount *ump = dp->i_ump;
	const struct ext2fs_dirent_tail *tail;
	uint32_t bsize = ump->um_bsize;
	int error;

	KASSERT(lbn < dir_nblocks(dp));
	error = ext2fs_blkread(dp, lbn, &db->db_bp);
	if (error != 0)
		return error;
	db->db_data = db->db_bp->b_data;
	db->db_lbn = lbn;
	db->db_end = bsize;
	db->db_tail = false;
	db->db_index = false;

	if (dir_has_csum(ump)) {
		if (dirblk_tail_present(ump, db->db_data)) {
			db->db_end = bsize - DIR_TAILSIZE;
			db->db_tail = true;
			tail = (const struct ext2fs_dirent_tail *)(db->db_data +
			    db->db_end);
			if (tail->det_checksum != ext2fs_dirblock_csum(ump, dp,
			    db->db_data, db->db_end)) {
				ext2fs_corrupt(ump, dp->i_number,
				    dirblk_fsblock(ump, db->db_bp),
				    "directory block %llu: checksum mismatch",
				    (unsigned long long)lbn);
				error = EFSCORRUPTED;
				goto fail;
			}
		} else if (dirblk_looks_index(ump, lbn, db->db_data)) {
			/* ext2fs_htree.c checks the index's own checksum. */
			db->db_index = true;
		} else {
			ext2fs_corrupt(ump, dp->i_number,
			    dirblk_fsblock(ump, db->db_bp),
			    "directory block %llu: checksum tail missing",
			    (unsigned long long)lbn);
			error = EFSCORRUPTED;
			goto fail;
		}
	}

	error = dirblk_check_entries(dp, db);
	if (error != 0)
		goto fail;
	return 0;

fail:
	brelse(db->db_bp, 0);
	db->db_bp = NULL;
	return error;
}

static void
dirblk_release(struct dirblk *db)
{

	brelse(db->db_bp, 0);
	db->db_bp = NULL;
}

/* Directory changes go to the disk at once on sync mounts. */
static bool
dir_sync(const struct ext2fs_inode *dp)
{

	return (dp->i_ump->um_mntopts & EXT2_MNT_SYNC) != 0 ||
	    (dp->i_din->i_flags & (EXT2_DIRSYNC_FL | EXT2_SYNC_FL)) != 0;
}

/* Update the checksum tail and write the block back, releasing it. */
static int
dirblk_write(struct ext2fs_inode *dp, struct dirblk *db)
{
	struct ext2fs_mount *ump = dp->i_ump;
	struct ext2fs_dirent_tail *tail;
	struct buf *bp = db->db_bp;

	if (db->db_tail) {
		tail = (struct ext2fs_dirent_tail *)(db->db_data + db->db_end);
		tail->det_checksum = ext2fs_dirblock_csum(ump, dp, db->db_data,
		    db->db_end);
	}
	db->db_bp = NULL;
	if (dir_sync(dp))
		return bwrite(bp);
	bdwrite(bp);
	return 0;
}

/*
 * Allocate block lbn of dp as a zeroed directory block with a fresh
 * checksum tail when the file system has them (the entries end before
 * it).  The caller fills in the entries and writes the block.
 */
static int
dirblk_new(struct ext2fs_inode *dp, uint64_t lbn, kauth_cred_t cred,
    struct dirblk *db)
{
	struct ext2fs_mount *ump = dp->i_ump;
	struct ext2fs_dirent_tail *tail;
	uint64_t bn;
	int error;

	error = ext2fs_balloc(dp, lbn, cred, true, &bn, &db->db_bp);
	if (error != 0)
		return error;
	db->db_data = db->db_bp->b_data;
	db->db_lbn = lbn;
	db->db_end = ump->um_bsize;
	db->db_tail = false;
	db->db_index = false;
	memset(db->db_data, 0, ump->um_bsize);
	if (!dir_has_csum(ump))
		return 0;

	db->db_end = ump->um_bsize - DIR_TAILSIZE;
	db->db_tail = true;
	tail = (struct ext2fs_dirent_tail *)(db->db_data + db->db_end);
	tail->det_rec_len = DIR_TAILSIZE;
	tail->det_reserved_ft = EXT2_FT_DIR_CSUM;
	return 0;
}

/* Fill in the entry at de, keeping its record length. */
static void
dirent_fill(struct ext2fs_mount *ump, struct ext2fs_direct *de,
    uint32_t ino, const char *name, size_t namlen, uint8_t ft)
{

	de->e2d_ino = ino;
	de->e2d_namlen = (uint8_t)namlen;
	de->e2d_type = dir_has_filetype(ump) ? ft : 0;
	memcpy(de->e2d_name, name, namlen);
	/* Zero the padding up to the next 4 bytes. */
	memset(de->e2d_name + namlen, 0, EXT2_DIR_RECLEN(namlen) -
	    EXT2_DIR_HEADER - namlen);
}

/*
 * Finding entries.
 */

/*
 * Look for the live entry name in block lbn.  Returns 0 with hit filled
 * in and its block busy, ENOENT when the name is not there, or an error.
 */
static int
dirblk_search(struct ext2fs_inode *dp, uint64_t lbn, const char *name,
    size_t len, struct dirhit *hit)
{
	struct ext2fs_mount *ump = dp->i_ump;
	const struct ext2fs_direct *de;
	uint32_t off, reclen;
	int32_t prev = -1;
	int error;

	error = dirblk_read(dp, lbn, &hit->dh_blk);
	if (error != 0)
		return error;

	for (off = 0; off < hit->dh_blk.db_end; off += reclen) {
		de = (const struct ext2fs_direct *)(hit->dh_blk.db_data + off);
		reclen = dirent_reclen(ump, de);
		/* Names in one directory often differ only at the end. */
		if (de->e2d_ino != 0 && dirent_namlen(ump, de) == len &&
		    de->e2d_name[len - 1] == name[len - 1] &&
		    memcmp(de->e2d_name, name, len) == 0) {
			hit->dh_off = off;
			hit->dh_prevoff = prev;
			hit->dh_ino = de->e2d_ino;
			return 0;
		}
		prev = (int32_t)off;
	}
	dirblk_release(&hit->dh_blk);
	return ENOENT;
}

/*
 * Log a damaged index, at most about once a minute for all mounts together.
 * NOTE: the check of last is not atomic, so racing threads may both log.
 */
static void
dir_index_damaged(struct ext2fs_inode *dp, const char *why, int error)
{
	static volatile time_t last;
	time_t now = time_second, then;

	then = atomic_load_relaxed(&last);
	if (now - then < 60 && then != 0)
		return;
	atomic_store_relaxed(&last, now);
	log(LOG_WARNING, "ext2fs: %s: inode %u: hashed directory index "
	    "unusable (%s, error %d); using a linear scan\n",
	    dp->i_ump->um_mp->mnt_source, dp->i_number,
	    why != NULL ? why : "read failed", error);
}

static bool
dir_is_hashed(const struct ext2fs_inode *dp)
{

	return (dp->i_din->i_flags & EXT2_INDEX_FL) != 0 &&
	    (dp->i_ump->um_compat & EXT2F_COMPAT_DIR_INDEX) != 0;
}

/*
 * Find name through the index.  Returns EAGAIN, after logging, when the
 * index cannot be used, so that the caller scans linearly.
 */
static int
dir_find_hashed(struct ext2fs_inode *dp, const char *name, size_t len,
    struct dirhit *hit)
{
	struct ext2fs_htree_cursor hc;
	const char *why;
	int error;

	error = ext2fs_htree_find(dp, name, len, &hc, &why);
	while (error == 0) {
		error = dirblk_search(dp, hc.hc_leaf, name, len, hit);
		if (error != ENOENT)
			return error;
		error = ext2fs_htree_next(dp, &hc, &why);
	}
	if (error == ENOENT)
		return ENOENT;
	dir_index_damaged(dp, why, error);
	return EAGAIN;
}

/*
 * Find the live entry name in directory dp.  Returns 0 with hit filled
 * in and its block busy, ENOENT, or an error.
 */
static int
dir_find(struct ext2fs_inode *dp, const char *name, size_t len,
    struct dirhit *hit)
{
	uint64_t nblocks = dir_nblocks(dp), start, lbn, i;
	uint32_t hint;
	int error;

	if (len == 0 || len > EXT2_NAME_LEN)
		return ENOENT;

	/* "." and ".." are the first entries of block 0, outside any index. */
	if ((len == 1 && name[0] == '.') ||
	    (len == 2 && name[0] == '.' && name[1] == '.')) {
		if (nblocks == 0)
			return ENOENT;
		error = dirblk_search(dp, 0, name, len, hit);
		if (error != ENOENT)
			return error;
	} else if (dir_is_hashed(dp)) {
		error = dir_find_hashed(dp, name, len, hit);
		if (error != EAGAIN)
			return error;
	}

	/* Linear: from the block of the last hit, wrapping around. */
	hint = atomic_load_relaxed(&dp->i_dir_hint);
	start = (uint64_t)hint >> dp->i_ump->um_bshift;
	if (start >= nblocks)
		start = 0;
	for (i = 0; i < nblocks; i++) {
		lbn = start + i < nblocks ? start + i : start + i - nblocks;
		error = dirblk_search(dp, lbn, name, len, hit);
		if (error == 0) {
			hint = (lbn << dp->i_ump->um_bshift) > 0xffffffffULL ?
			    0 : (uint32_t)(lbn << dp->i_ump->um_bshift);
			atomic_store_relaxed(&dp->i_dir_hint, hint);
		}
		if (error != ENOENT)
			return error;
	}
	return ENOENT;
}

int
ext2fs_lookup(struct vnode *dvp, const struct componentname *cnp,
    struct vnode **vpp)
{
	struct ext2fs_inode *dp = VTOI(dvp);
	struct ext2fs_mount *ump = dp->i_ump;
	struct dirhit hit;
	bool dotdot;
	int error;

	if (dvp->v_type != VDIR)
		return ENOTDIR;
	if (cnp->cn_namelen == 1 && cnp->cn_nameptr[0] == '.') {
		vref(dvp);
		*vpp = dvp;
		return 0;
	}
	dotdot = cnp->cn_namelen == 2 && cnp->cn_nameptr[0] == '.' &&
	    cnp->cn_nameptr[1] == '.';
	/* A removed directory has no entries but "." and "..". */
	if (dp->i_din->i_links_count == 0 && !dotdot)
		return ENOENT;

	error = dir_find(dp, cnp->cn_nameptr, cnp->cn_namelen, &hit);
	if (error != 0)
		return error;
	dirblk_release(&hit.dh_blk);

	/*
	 * Only "." and the root's ".." name the directory itself; any
	 * other such entry would make a loop of one directory.
	 */
	if (hit.dh_ino == dp->i_number) {
		if (!dotdot || dp->i_number != EXT2_ROOT_INO) {
			ext2fs_corrupt(ump, dp->i_number, 0,
			    "directory entry \"%.*s\" names the directory "
			    "itself", (int)cnp->cn_namelen, cnp->cn_nameptr);
			return EFSCORRUPTED;
		}
		vref(dvp);
		*vpp = dvp;
		return 0;
	}
	return vcache_get(ump->um_mp, hit.dh_ino, vpp);
}

/*
 * Readdir.
 */

/*
 * The d_type of an entry: its file type, or without the filetype feature
 * the type in its inode's mode, read from the inode table without loading
 * a vnode (DT_UNKNOWN when that fails).  The type of an allocated inode
 * never changes, and new inodes are written before they get a name, so
 * the table is up to date for it.
 */
static uint8_t
dir_entry_dtype(struct ext2fs_inode *dp, const struct ext2fs_direct *de,
    uint32_t namlen)
{
	struct ext2fs_mount *ump = dp->i_ump;
	struct ext2fs_dinode *din;
	struct buf *bp;
	uint8_t type;

	if (dir_has_filetype(ump))
		return dir_ft2dt(de->e2d_type);
	if (dirent_isdot(de, namlen))
		return DT_DIR;
	if (ext2fs_inode_bread(ump, de->e2d_ino, &bp, &din) != 0)
		return DT_UNKNOWN;
	type = (uint8_t)IFTODT(din->i_mode);
	brelse(bp, 0);
	return type;
}

int
ext2fs_readdir(struct vnode *vp, struct uio *uio, kauth_cred_t cred,
    int *eofflag)
{
	struct ext2fs_inode *dp = VTOI(vp);
	struct ext2fs_mount *ump = dp->i_ump;
	const struct ext2fs_direct *de;
	struct dirblk db;
	uint64_t nblocks, lbn, cookie, next;
	uint32_t off, start, reclen, namlen;
	size_t startresid = uio->uio_resid;
	int error = 0;

	*eofflag = 0;
	if (vp->v_type != VDIR)
		return ENOTDIR;
	if (uio->uio_offset < 0)
		return EINVAL;
	cookie = (uint64_t)uio->uio_offset;
	nblocks = dir_nblocks(dp);

	for (lbn = cookie >> ump->um_bshift; lbn < nblocks; lbn++) {
		start = lbn == cookie >> ump->um_bshift ?
		    (uint32_t)(cookie & (ump->um_bsize - 1)) : 0;
		error = dirblk_read(dp, lbn, &db);
		if (error != 0)
			break;
		for (off = 0; off < db.db_end; off += reclen) {
			de = (const struct ext2fs_direct *)(db.db_data + off);
			reclen = dirent_reclen(ump, de);
			if (off < start || de->e2d_ino == 0)
				continue;
			namlen = dirent_namlen(ump, de);
			next = (lbn << ump->um_bshift) + off + reclen;
			if (off + reclen == db.db_end)
				next = (lbn + 1) << ump->um_bshift;
			error = vfs_dirent_emit(uio, de->e2d_ino, de->e2d_name,
			    namlen, dir_entry_dtype(dp, de, namlen), next);
			if (error != 0)
				break;
		}
		dirblk_release(&db);
		if (error != 0)
			break;
		/* Whole blocks of unused entries move the offset on too. */
		uio->uio_offset = (off_t)((lbn + 1) << ump->um_bshift);
	}
	if (error == 0 && lbn >= nblocks)
		*eofflag = 1;

	/* What was copied before a full buffer or a bad block is returned. */
	if (uio->uio_resid != startresid) {
		if (error != 0 && error != ENOSPC)
			*eofflag = 0;
		error = 0;
	} else if (error == ENOSPC) {
		error = EINVAL;
	}
	ext2fs_iaccessed(dp);
	return error;
}

/*
 * Changing directories.
 */

/* An entry changed: the directory's mtime and ctime, as Linux sets them. */
static void
dir_touch(struct ext2fs_inode *dp)
{

	ext2fs_itimes(dp, EXT2_IUPDATE | EXT2_ICHANGE);
}

/*
 * Put an entry for (name, ino, ft) into block lbn, in the slack after a
 * live entry or in an unused entry.  Returns ENOSPC when neither fits.
 */
static int
dirblk_insert(struct ext2fs_inode *dp, uint64_t lbn, const char *name,
    size_t len, uint32_t ino, uint8_t ft)
{
	struct ext2fs_mount *ump = dp->i_ump;
	struct ext2fs_direct *de, *nde;
	struct dirblk db;
	uint32_t need = EXT2_DIR_RECLEN(len), off, reclen, used;
	int error;

	error = dirblk_read(dp, lbn, &db);
	if (error != 0)
		return error;
	/* Index blocks of a checksummed directory have no tail to keep. */
	if (db.db_index) {
		dirblk_release(&db);
		return ENOSPC;
	}

	for (off = 0; off < db.db_end; off += reclen) {
		de = (struct ext2fs_direct *)(db.db_data + off);
		reclen = dirent_reclen(ump, de);
		used = de->e2d_ino == 0 ? 0 :
		    EXT2_DIR_RECLEN(dirent_namlen(ump, de));
		if (reclen - used < need)
			continue;
		if (used == 0) {
			nde = de;
		} else {
			dirent_set_reclen(ump, de, used);
			nde = (struct ext2fs_direct *)(db.db_data + off + used);
			dirent_set_reclen(ump, nde, reclen - used);
		}
		dirent_fill(ump, nde, ino, name, len, ft);
		return dirblk_write(dp, &db);
	}
	dirblk_release(&db);
	return ENOSPC;
}

/* Add a block at the end of the directory holding only the new entry. */
static int
dir_append(struct ext2fs_inode *dp, const char *name, size_t len,
    uint32_t ino, uint8_t ft, kauth_cred_t cred)
{
	struct ext2fs_mount *ump = dp->i_ump;
	struct ext2fs_direct *de;
	struct dirblk db;
	uint64_t lbn = dir_nblocks(dp), maxsize;
	int error;

	maxsize = (ump->um_incompat & EXT4F_INCOMPAT_LARGEDIR) ?
	    UINT64_MAX : DIR_MAXSIZE_SMALL;
	if ((lbn + 1) << ump->um_bshift > maxsize)
		return ENOSPC;

	error = dirblk_new(dp, lbn, cred, &db);
	if (error != 0)
		return error;

	de = (struct ext2fs_direct *)db.db_data;
	dirent_set_reclen(ump, de, db.db_end);
	dirent_fill(ump, de, ino, name, len, ft);
	ext2fs_setsize(dp, (lbn + 1) << ump->um_bshift);
	return dirblk_write(dp, &db);
}

/* Make a hashed directory a linear one (see the top of the file). */
static void
dir_drop_index(struct ext2fs_inode *dp)
{

	dp->i_din->i_flags &= ~EXT2_INDEX_FL;
	dp->i_dirty = true;
}

int
ext2fs_direnter(struct ext2fs_inode *dp, const struct componentname *cnp,
    struct ext2fs_inode *ip, kauth_cred_t cred)
{
	struct ext2fs_htree_cursor hc;
	const char *name = cnp->cn_nameptr, *why;
	size_t len = cnp->cn_namelen;
	uint64_t nblocks, lbn, i;
	uint8_t ft;
	int error;

	KASSERT(vn_locked_exclusive(ITOV(dp)));
	if (len == 0 || len > EXT2_NAME_LEN)
		return ENAMETOOLONG;
	/* Every directory has a block with "." and "..". */
	if (dir_nblocks(dp) == 0) {
		ext2fs_corrupt(dp->i_ump, dp->i_number, 0,
		    "directory without blocks");
		return EFSCORRUPTED;
	}
	ft = ext2fs_mode2ft(ip->i_din->i_mode);

	/* A hashed directory: the leaf for the name keeps the index valid. */
	if (dir_is_hashed(dp)) {
		error = ext2fs_htree_find(dp, name, len, &hc, &why);
		if (error == 0) {
			error = dirblk_insert(dp, hc.hc_leaf, name, len,
			    ip->i_number, ft);
			if (error != ENOSPC)
				goto done;
		} else {
			dir_index_damaged(dp, why, error);
		}
	}
	if (dp->i_din->i_flags & EXT2_INDEX_FL)
		dir_drop_index(dp);

	/*
	 * The last block first, where a growing directory has its room,
	 * then the first block with room, else a new block.
	 */
	nblocks = dir_nblocks(dp);
	for (i = 0; i < nblocks; i++) {
		lbn = i == 0 ? nblocks - 1 : i - 1;
		error = dirblk_insert(dp, lbn, name, len, ip->i_number, ft);
		if (error != ENOSPC)
			goto done;
	}
	error = dir_append(dp, name, len, ip->i_number, ft, cred);

done:
	if (error == 0)
		dir_touch(dp);
	return error;
}

int
ext2fs_dirremove(struct ext2fs_inode *dp, const struct componentname *cnp)
{
	struct ext2fs_mount *ump = dp->i_ump;
	struct ext2fs_direct *de, *prev;
	struct dirhit hit;
	int error;

	KASSERT(vn_locked_exclusive(ITOV(dp)));
	error = dir_find(dp, cnp->cn_nameptr, cnp->cn_namelen, &hit);
	if (error != 0)
		return error;

	/* Merge into the entry before it, or mark the first one unused. */
	de = (struct ext2fs_direct *)(hit.dh_blk.db_data + hit.dh_off);
	if (hit.dh_prevoff >= 0) {
		prev = (struct ext2fs_direct *)(hit.dh_blk.db_data +
		    hit.dh_prevoff);
		dirent_set_reclen(ump, prev, dirent_reclen(ump, prev) +
		    dirent_reclen(ump, de));
	} else {
		de->e2d_ino = 0;
	}
	error = dirblk_write(dp, &hit.dh_blk);
	if (error == 0)
		dir_touch(dp);
	return error;
}

/* Point the entry name of dp at ino, with file type ft. */
static int
dir_rewrite(struct ext2fs_inode *dp, const char *name, size_t len,
    uint32_t ino, uint8_t ft)
{
	struct ext2fs_direct *de;
	struct dirhit hit;
	int error;

	KASSERT(vn_locked_exclusive(ITOV(dp)));
	error = dir_find(dp, name, len, &hit);
	if (error != 0)
		return error;
	de = (struct ext2fs_direct *)(hit.dh_blk.db_data + hit.dh_off);
	de->e2d_ino = ino;
	if (dir_has_filetype(dp->i_ump))
		de->e2d_type = ft;
	return dirblk_write(dp, &hit.dh_blk);
}

int
ext2fs_dirrewrite(struct ext2fs_inode *dp, const struct componentname *cnp,
    struct ext2fs_inode *ip)
{
	int error;

	error = dir_rewrite(dp, cnp->cn_nameptr, cnp->cn_namelen,
	    ip->i_number, ext2fs_mode2ft(ip->i_din->i_mode));
	if (error == 0)
		dir_touch(dp);
	return error;
}

int
ext2fs_dirrewrite_dotdot(struct ext2fs_inode *dp, struct ext2fs_inode *parent)
{

	return dir_rewrite(dp, "..", 2, parent->i_number, EXT2_FT_DIR);
}

int
ext2fs_dirempty(struct ext2fs_inode *ip, uint32_t parentino,
    kauth_cred_t cred)
{
	struct ext2fs_mount *ump = ip->i_ump;
	const struct ext2fs_direct *de;
	struct dirblk db;
	uint64_t nblocks = dir_nblocks(ip), lbn;
	uint32_t off, reclen, namlen;
	bool empty = true;

	for (lbn = 0; lbn < nblocks && empty; lbn++) {
		/* A block that cannot be read counts as full: keep it. */
		if (dirblk_read(ip, lbn, &db) != 0)
			return 0;
		for (off = 0; off < db.db_end; off += reclen) {
			de = (const struct ext2fs_direct *)(db.db_data + off);
			reclen = dirent_reclen(ump, de);
			if (de->e2d_ino == 0)
				continue;
			namlen = dirent_namlen(ump, de);
			if (!dirent_isdot(de, namlen)) {
				empty = false;
				break;
			}
		}
		dirblk_release(&db);
	}
	return empty ? 1 : 0;
}

int
ext2fs_dirinit(struct ext2fs_inode *ip, struct ext2fs_inode *parent,
    kauth_cred_t cred)
{
	struct ext2fs_mount *ump = ip->i_ump;
	struct ext2fs_direct *de;
	struct dirblk db;
	int error;

	KASSERT(ip->i_size == 0);
	error = dirblk_new(ip, 0, cred, &db);
	if (error != 0)
		return error;

	de = (struct ext2fs_direct *)db.db_data;
	dirent_set_reclen(ump, de, EXT2_DIR_RECLEN(1));
	dirent_fill(ump, de, ip->i_number, ".", 1, EXT2_FT_DIR);
	de = (struct ext2fs_direct *)(db.db_data + EXT2_DIR_RECLEN(1));
	dirent_set_reclen(ump, de, db.db_end - EXT2_DIR_RECLEN(1));
	dirent_fill(ump, de, parent->i_number, "..", 2, EXT2_FT_DIR);

	ext2fs_setsize(ip, ump->um_bsize);
	return dirblk_write(ip, &db);
}
