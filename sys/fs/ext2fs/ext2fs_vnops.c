/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ext2fs vnode operations that change the name space: create (regular
 * files, device nodes, FIFOs, sockets), mkdir, symlink, link, remove,
 * rmdir and rename.  Also readlink, open, close, access and pathconf, and
 * the three operation vectors: files, directories and symbolic links;
 * device nodes; FIFOs.  The data and attribute operations are in
 * ext2fs_readwrite.c and ext2fs_inode.c, the directory blocks in
 * ext2fs_lookup.c.
 *
 * The VFS has done the permission, sticky-bit, type and emptiness checks
 * and locked the vnodes (sys/vnode.h) before these run.  What is left
 * here is the on-disk work, in an order that undoes what it can when a
 * step fails.  A new inode is only given a name once it is complete.
 * Rename rewrites ".." first, then the target entry, then removes the
 * source entry, and puts back what it changed when a later step fails.
 *
 * Link counts follow Linux.  A directory has 2 links plus one for each
 * subdirectory.  Without the dir_nlink feature a directory cannot have
 * more than EXT2_DIR_LINK_MAX links (EMLINK); with it, a count that
 * would pass EXT2_LINK_MAX becomes 1, which means "many" and is never
 * decremented.  Other files have at most EXT2_LINK_MAX links.
 *
 * Times follow Linux as well: adding, removing or rewriting an entry
 * sets the directory's mtime and ctime (ext2fs_lookup.c does that), a
 * change of a file's link count sets its ctime, and rename sets the
 * ctime of the file renamed.  Every inode changed is written to its
 * inode table block before the operation returns (ext2fs_iupdate).
 *
 * Device numbers are kept in i_block as Linux does: a major and minor
 * below 256 each in the 16-bit old encoding in i_block[0], anything else
 * in the 32-bit new encoding in i_block[1] with i_block[0] zero.
 *
 * Symbolic links whose target is shorter than i_block (60 bytes) are
 * "fast": the target lives in i_block.  Longer targets, up to a block
 * less one byte, go into a data block.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/fcntl.h>
#include <sys/kauth.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#include <fs/ext2fs/ext2fs.h>

/* Maximum links of a directory without dir_nlink, as in Linux's ext2. */
#define EXT2_DIR_LINK_MAX	32000

/*
 * pathconf names: the values of the GNU C library for Linux
 * (bits/confname.h), which programs pass through fpathconf.
 */
#define EXT2_PC_LINK_MAX		0
#define EXT2_PC_MAX_CANON		1
#define EXT2_PC_MAX_INPUT		2
#define EXT2_PC_NAME_MAX		3
#define EXT2_PC_PATH_MAX		4
#define EXT2_PC_PIPE_BUF		5
#define EXT2_PC_CHOWN_RESTRICTED	6
#define EXT2_PC_NO_TRUNC		7
#define EXT2_PC_VDISABLE		8
#define EXT2_PC_SYNC_IO			9
#define EXT2_PC_FILESIZEBITS		13
#define EXT2_PC_SYMLINK_MAX		19
#define EXT2_PC_2_SYMLINKS		20

/* PIPE_BUF in bytes, as on Linux. */
#define EXT2_PIPE_BUF		4096

static bool
ext2fs_has_dir_nlink(const struct ext2fs_mount *ump)
{

	return (ump->um_rocompat & EXT4F_ROCOMPAT_DIR_NLINK) != 0;
}

/*
 * True for an immutable or append-only inode, whose names and (for a
 * directory) entries may not be removed or renamed.
 */
static bool
ext2fs_is_pinned(const struct ext2fs_inode *ip)
{

	return (ip->i_din->i_flags & (EXT2_IMMUTABLE_FL | EXT2_APPEND_FL)) != 0;
}

static uint32_t
ext2fs_nlink(const struct ext2fs_inode *ip)
{

	return ip->i_din->i_links_count;
}

static bool
ext2fs_sync_mount(const struct ext2fs_inode *ip)
{

	return (ip->i_ump->um_mntopts & EXT2_MNT_SYNC) != 0;
}

/* Write an inode back, at once on sync mounts. */
static int
ext2fs_iflush(struct ext2fs_inode *ip)
{

	return ext2fs_iupdate(ip, ext2fs_sync_mount(ip));
}

/*
 * Directory link counts.
 */

/* Return 0 when directory dp may take one more subdirectory, or EMLINK. */
static int
ext2fs_dir_can_link(const struct ext2fs_inode *dp)
{

	if (ext2fs_has_dir_nlink(dp->i_ump))
		return 0;
	return ext2fs_nlink(dp) >= EXT2_DIR_LINK_MAX ? EMLINK : 0;
}

/* Count the ".." of a new subdirectory of dp. */
static void
ext2fs_dir_link_inc(struct ext2fs_inode *dp)
{
	uint32_t n = ext2fs_nlink(dp);

	if (ext2fs_has_dir_nlink(dp->i_ump)) {
		if (n == 1 || n + 1 > EXT2_LINK_MAX) {
			ext2fs_set_nlink(dp, 1);
			return;
		}
	}
	ext2fs_set_nlink(dp, n + 1);
}

/* Uncount the ".." of a subdirectory that left dp. */
static void
ext2fs_dir_link_dec(struct ext2fs_inode *dp)
{
	uint32_t n = ext2fs_nlink(dp);

	/* 1 means "many" with dir_nlink, and 2 is a directory's minimum. */
	if (n > 2)
		ext2fs_set_nlink(dp, n - 1);
}

/* Count the loss of one name of a file that is not a directory. */
static void
ext2fs_file_unlink(struct ext2fs_inode *ip)
{
	uint32_t n = ext2fs_nlink(ip);

	if (n > 0)
		n--;
	ext2fs_set_nlink(ip, n);
	if (n == 0)
		ip->i_unlinked = true;
	ext2fs_itimes(ip, EXT2_ICHANGE);
}

/* Drop all links of a removed directory: its name and its ".". */
static void
ext2fs_dir_unlink(struct ext2fs_inode *ip)
{

	ext2fs_set_nlink(ip, 0);
	ip->i_unlinked = true;
	ext2fs_itimes(ip, EXT2_ICHANGE);
}

/*
 * Making inodes.
 */

/*
 * Make a new inode of type and permissions mode in directory dvp and
 * return its vnode referenced and locked exclusive, without a name yet.
 */
static int
ext2fs_makeinode(struct vnode *dvp, mode_t mode, kauth_cred_t cred,
    struct vnode **vpp)
{
	struct ext2fs_inode *dp = VTOI(dvp);
	struct vnode *vp;
	int error;

	KASSERT(vn_locked_exclusive(dvp));
	if (ext2fs_nlink(dp) == 0)
		return ENOENT;
	error = ext2fs_newinode(dp, mode, cred, &vp);
	if (error != 0)
		return error;
	error = vn_lock(vp, LK_EXCLUSIVE);
	if (error != 0) {
		vrele(vp);
		return error;
	}
	*vpp = vp;
	return 0;
}

/*
 * Give up a new inode that got no name.  With no links, ext2fs_inactive
 * frees it when the vnode is released.
 */
static void
ext2fs_makeinode_abort(struct vnode *vp)
{
	struct ext2fs_inode *ip = VTOI(vp);

	ext2fs_set_nlink(ip, 0);
	ip->i_unlinked = true;
	vput(vp);
}

/*
 * Enter the complete new inode of vp under cnp's name in dvp, write
 * both inodes and return vp referenced and unlocked.  On failure the new
 * inode is given up.
 */
static int
ext2fs_makeinode_finish(struct vnode *dvp, const struct componentname *cnp,
    struct vnode *vp, struct vnode **vpp)
{
	struct ext2fs_inode *dp = VTOI(dvp), *ip = VTOI(vp);
	int error;

	error = ext2fs_direnter(dp, cnp, ip, cnp->cn_cred);
	if (error != 0) {
		ext2fs_makeinode_abort(vp);
		return error;
	}
	error = ext2fs_iflush(ip);
	if (error == 0)
		error = ext2fs_iflush(dp);
	vn_unlock(vp);
	/* The name exists now, even when the inode write-back failed. */
	cache_enter(dvp, vp, cnp->cn_nameptr, cnp->cn_namelen);
	*vpp = vp;
	if (error != 0)
		log(LOG_ERR, "ext2fs: %s: inode %u: write-back after create "
		    "failed: error %d\n", dp->i_ump->um_mp->mnt_source,
		    ip->i_number, error);
	return 0;
}

static int
ext2fs_create(struct vnode *dvp, const struct componentname *cnp,
    struct vattr *va, struct vnode **vpp)
{
	struct ext2fs_inode *ip;
	struct vnode *vp;
	mode_t mode;
	int error;

	switch (va->va_type) {
	case VREG:
	case VCHR:
	case VBLK:
	case VFIFO:
	case VSOCK:
		break;
	default:
		return EINVAL;
	}
	/* The new encoding has 12 bits of major and 20 of minor. */
	if ((va->va_type == VCHR || va->va_type == VBLK) &&
	    (major(va->va_rdev) >= 4096 || minor(va->va_rdev) >= (1U << 20)))
		return EINVAL;

	mode = vtype_to_mode(va->va_type) | (va->va_mode & ALLPERMS);
	error = ext2fs_makeinode(dvp, mode, cnp->cn_cred, &vp);
	if (error != 0)
		return error;
	ip = VTOI(vp);

	/* Special files keep nothing in i_block but a device number. */
	if (va->va_type != VREG) {
		memset(ip->i_din->i_block, 0, sizeof(ip->i_din->i_block));
		ip->i_din->i_flags &= ~EXT4_EXTENTS_FL;
		ip->i_dirty = true;
	}
	if (va->va_type == VCHR || va->va_type == VBLK)
		ext2fs_set_rdev(ip, va->va_rdev);
	return ext2fs_makeinode_finish(dvp, cnp, vp, vpp);
}

static int
ext2fs_mkdir(struct vnode *dvp, const struct componentname *cnp,
    struct vattr *va, struct vnode **vpp)
{
	struct ext2fs_inode *dp = VTOI(dvp), *ip;
	struct vnode *vp;
	mode_t mode;
	int error;

	error = ext2fs_dir_can_link(dp);
	if (error != 0)
		return error;

	mode = S_IFDIR | (va->va_mode & (ACCESSPERMS | S_ISVTX));
	if (dp->i_din->i_mode & S_ISGID)
		mode |= S_ISGID;
	error = ext2fs_makeinode(dvp, mode, cnp->cn_cred, &vp);
	if (error != 0)
		return error;
	ip = VTOI(vp);

	/* A new directory is linear, with two links: its name and ".". */
	ip->i_din->i_flags &= ~EXT2_INDEX_FL;
	ext2fs_set_nlink(ip, 2);
	error = ext2fs_dirinit(ip, dp, cnp->cn_cred);
	if (error != 0) {
		ext2fs_makeinode_abort(vp);
		return error;
	}

	error = ext2fs_direnter(dp, cnp, ip, cnp->cn_cred);
	if (error != 0) {
		ext2fs_makeinode_abort(vp);
		return error;
	}
	ext2fs_dir_link_inc(dp);
	error = ext2fs_iflush(ip);
	if (error == 0)
		error = ext2fs_iflush(dp);
	if (error != 0)
		log(LOG_ERR, "ext2fs: %s: inode %u: write-back after mkdir "
		    "failed: error %d\n", dp->i_ump->um_mp->mnt_source,
		    ip->i_number, error);
	vn_unlock(vp);
	cache_enter(dvp, vp, cnp->cn_nameptr, cnp->cn_namelen);
	*vpp = vp;
	return 0;
}

static int
ext2fs_symlink(struct vnode *dvp, const struct componentname *cnp,
    struct vattr *va, const char *target, struct vnode **vpp)
{
	struct ext2fs_inode *dp = VTOI(dvp), *ip;
	struct ext2fs_mount *ump = dp->i_ump;
	struct ext2fs_dinode *din;
	struct vnode *vp;
	struct buf *bp;
	uint64_t bn;
	size_t len = strlen(target);
	int error;

	/* The target and its NUL must fit in one block, as on Linux. */
	if (len == 0)
		return ENOENT;
	if (len + 1 > ump->um_bsize)
		return ENAMETOOLONG;

	error = ext2fs_makeinode(dvp, S_IFLNK | ACCESSPERMS, cnp->cn_cred,
	    &vp);
	if (error != 0)
		return error;
	ip = VTOI(vp);
	din = ip->i_din;

	if (len < sizeof(din->i_block)) {
		memset(din->i_block, 0, sizeof(din->i_block));
		memcpy(din->i_block, target, len);
		din->i_flags &= ~EXT4_EXTENTS_FL;
	} else {
		error = ext2fs_balloc(ip, 0, cnp->cn_cred, true, &bn, &bp);
		if (error != 0) {
			ext2fs_makeinode_abort(vp);
			return error;
		}
		memset(bp->b_data, 0, ump->um_bsize);
		memcpy(bp->b_data, target, len);
		if (ext2fs_sync_mount(ip))
			error = bwrite(bp);
		else
			bdwrite(bp);
		if (error != 0) {
			ext2fs_makeinode_abort(vp);
			return error;
		}
	}
	ext2fs_setsize(ip, len);
	return ext2fs_makeinode_finish(dvp, cnp, vp, vpp);
}

static int
ext2fs_link(struct vnode *dvp, const struct componentname *cnp,
    struct vnode *vp)
{
	struct ext2fs_inode *dp = VTOI(dvp), *ip = VTOI(vp);
	int error;

	KASSERT(vn_locked_exclusive(dvp) && vn_locked_exclusive(vp));
	if (vp->v_type == VDIR)
		return EPERM;
	if (dvp->v_mount != vp->v_mount)
		return EXDEV;
	if (ext2fs_nlink(dp) == 0 || ext2fs_nlink(ip) == 0)
		return ENOENT;
	if (ext2fs_nlink(ip) >= EXT2_LINK_MAX)
		return EMLINK;
	if (ext2fs_is_pinned(ip))
		return EPERM;

	error = ext2fs_direnter(dp, cnp, ip, cnp->cn_cred);
	if (error != 0)
		return error;
	ext2fs_set_nlink(ip, ext2fs_nlink(ip) + 1);
	ext2fs_itimes(ip, EXT2_ICHANGE);
	error = ext2fs_iflush(ip);
	if (error == 0)
		error = ext2fs_iflush(dp);
	cache_enter(dvp, vp, cnp->cn_nameptr, cnp->cn_namelen);
	return error;
}

static int
ext2fs_remove(struct vnode *dvp, const struct componentname *cnp,
    struct vnode *vp)
{
	struct ext2fs_inode *dp = VTOI(dvp), *ip = VTOI(vp);
	int error;

	KASSERT(vn_locked_exclusive(dvp) && vn_locked_exclusive(vp));
	if (vp->v_type == VDIR)
		return EISDIR;
	if (ext2fs_is_pinned(dp) || ext2fs_is_pinned(ip))
		return EPERM;

	error = ext2fs_dirremove(dp, cnp);
	if (error != 0)
		return error;
	cache_purge_name(dvp, cnp->cn_nameptr, cnp->cn_namelen);
	ext2fs_file_unlink(ip);
	error = ext2fs_iflush(ip);
	if (error == 0)
		error = ext2fs_iflush(dp);
	return error;
}

static int
ext2fs_rmdir(struct vnode *dvp, const struct componentname *cnp,
    struct vnode *vp)
{
	struct ext2fs_inode *dp = VTOI(dvp), *ip = VTOI(vp);
	int error;

	KASSERT(vn_locked_exclusive(dvp) && vn_locked_exclusive(vp));
	if (vp->v_type != VDIR)
		return ENOTDIR;
	if (vp == dvp)
		return EINVAL;
	if (ext2fs_is_pinned(dp) || ext2fs_is_pinned(ip))
		return EPERM;
	if (!ext2fs_dirempty(ip, dp->i_number, cnp->cn_cred))
		return ENOTEMPTY;

	error = ext2fs_dirremove(dp, cnp);
	if (error != 0)
		return error;
	cache_purge_name(dvp, cnp->cn_nameptr, cnp->cn_namelen);
	cache_purge(vp);
	ext2fs_dir_unlink(ip);
	ext2fs_dir_link_dec(dp);
	error = ext2fs_iflush(ip);
	if (error == 0)
		error = ext2fs_iflush(dp);
	return error;
}

/*
 * Rename.
 */

/*
 * Swap the inodes of two entries (RENAME_EXCHANGE).  A directory that
 * changes parent gets its ".." rewritten, and its link moves between the
 * parents.
 */
static int
ext2fs_rename_exchange(struct vnode *fdvp, const struct componentname *fcnp,
    struct vnode *fvp, struct vnode *tdvp, const struct componentname *tcnp,
    struct vnode *tvp)
{
	struct ext2fs_inode *fdp = VTOI(fdvp), *tdp = VTOI(tdvp);
	struct ext2fs_inode *fip = VTOI(fvp), *tip = VTOI(tvp);
	bool fisdir = fvp->v_type == VDIR, tisdir = tvp->v_type == VDIR;
	bool moved = fdp != tdp;
	int error;

	if (moved && fisdir && !tisdir) {
		error = ext2fs_dir_can_link(tdp);
		if (error != 0)
			return error;
	}
	if (moved && tisdir && !fisdir) {
		error = ext2fs_dir_can_link(fdp);
		if (error != 0)
			return error;
	}

	/* ".." first, the step most likely to fail on a damaged directory. */
	if (moved && fisdir) {
		error = ext2fs_dirrewrite_dotdot(fip, tdp);
		if (error != 0)
			return error;
	}
	if (moved && tisdir) {
		error = ext2fs_dirrewrite_dotdot(tip, fdp);
		if (error != 0)
			goto undo_fdotdot;
	}
	error = ext2fs_dirrewrite(fdp, fcnp, tip);
	if (error != 0)
		goto undo_tdotdot;
	error = ext2fs_dirrewrite(tdp, tcnp, fip);
	if (error != 0)
		goto undo_fentry;

	if (moved && fisdir && !tisdir) {
		ext2fs_dir_link_dec(fdp);
		ext2fs_dir_link_inc(tdp);
	}
	if (moved && tisdir && !fisdir) {
		ext2fs_dir_link_dec(tdp);
		ext2fs_dir_link_inc(fdp);
	}
	ext2fs_itimes(fip, EXT2_ICHANGE);
	ext2fs_itimes(tip, EXT2_ICHANGE);
	return 0;

undo_fentry:
	(void)ext2fs_dirrewrite(fdp, fcnp, fip);
undo_tdotdot:
	if (moved && tisdir)
		(void)ext2fs_dirrewrite_dotdot(tip, tdp);
undo_fdotdot:
	if (moved && fisdir)
		(void)ext2fs_dirrewrite_dotdot(fip, fdp);
	return error;
}

/*
 * Move the entry fcnp (fvp) of fdvp to tcnp in tdvp, replacing tvp when
 * there is one.
 */
static int
ext2fs_rename_move(struct vnode *fdvp, const struct componentname *fcnp,
    struct vnode *fvp, struct vnode *tdvp, const struct componentname *tcnp,
    struct vnode *tvp)
{
	struct ext2fs_inode *fdp = VTOI(fdvp), *tdp = VTOI(tdvp);
	struct ext2fs_inode *fip = VTOI(fvp), *tip = NULL;
	bool fisdir = fvp->v_type == VDIR, tisdir = false;
	bool moved = fdp != tdp;
	int error;

	if (tvp != NULL) {
		tip = VTOI(tvp);
		tisdir = tvp->v_type == VDIR;
		if (tisdir && !ext2fs_dirempty(tip, tdp->i_number,
		    tcnp->cn_cred))
			return ENOTEMPTY;
	}
	/* A directory new to tdp adds a link unless it replaces one. */
	if (moved && fisdir && !tisdir) {
		error = ext2fs_dir_can_link(tdp);
		if (error != 0)
			return error;
	}

	if (moved && fisdir) {
		error = ext2fs_dirrewrite_dotdot(fip, tdp);
		if (error != 0)
			return error;
	}
	if (tip != NULL)
		error = ext2fs_dirrewrite(tdp, tcnp, fip);
	else
		error = ext2fs_direnter(tdp, tcnp, fip, tcnp->cn_cred);
	if (error != 0)
		goto undo_dotdot;
	error = ext2fs_dirremove(fdp, fcnp);
	if (error != 0)
		goto undo_target;

	/* A replaced file loses a name, a replaced directory all links. */
	if (tip != NULL) {
		if (tisdir) {
			ext2fs_dir_unlink(tip);
			ext2fs_dir_link_dec(tdp);
		} else {
			ext2fs_file_unlink(tip);
		}
	}
	if (moved && fisdir) {
		ext2fs_dir_link_dec(fdp);
		ext2fs_dir_link_inc(tdp);
	}
	ext2fs_itimes(fip, EXT2_ICHANGE);
	return 0;

undo_target:
	if (tip != NULL)
		(void)ext2fs_dirrewrite(tdp, tcnp, tip);
	else
		(void)ext2fs_dirremove(tdp, tcnp);
undo_dotdot:
	if (moved && fisdir)
		(void)ext2fs_dirrewrite_dotdot(fip, fdp);
	return error;
}

static int
ext2fs_rename(struct vnode *fdvp, const struct componentname *fcnp,
    struct vnode *fvp, struct vnode *tdvp, const struct componentname *tcnp,
    struct vnode *tvp, int flags)
{
	struct ext2fs_inode *fdp = VTOI(fdvp), *tdp = VTOI(tdvp);
	struct ext2fs_inode *fip = VTOI(fvp);
	int error, error2;

	KASSERT(vn_locked_exclusive(fdvp) && vn_locked_exclusive(tdvp));
	KASSERT(vn_locked_exclusive(fvp));
	KASSERT(tvp == NULL || vn_locked_exclusive(tvp));
	if (fdvp->v_mount != tdvp->v_mount || fvp->v_mount != tdvp->v_mount)
		return EXDEV;
	if (ext2fs_nlink(tdp) == 0 || ext2fs_nlink(fip) == 0)
		return ENOENT;
	if (ext2fs_is_pinned(fdp) || ext2fs_is_pinned(fip) ||
	    (tvp != NULL && (ext2fs_is_pinned(tdp) ||
	    ext2fs_is_pinned(VTOI(tvp)))))
		return EPERM;

	if (flags & RENAME_EXCHANGE) {
		if (tvp == NULL)
			return ENOENT;
		error = ext2fs_rename_exchange(fdvp, fcnp, fvp, tdvp, tcnp,
		    tvp);
	} else {
		/* Two names of one file: nothing happens, as POSIX requires. */
		if (fvp == tvp)
			return 0;
		error = ext2fs_rename_move(fdvp, fcnp, fvp, tdvp, tcnp, tvp);
	}
	if (error != 0)
		return error;

	cache_purge_name(fdvp, fcnp->cn_nameptr, fcnp->cn_namelen);
	cache_purge_name(tdvp, tcnp->cn_nameptr, tcnp->cn_namelen);
	if (tvp != NULL && tvp->v_type == VDIR && !(flags & RENAME_EXCHANGE))
		cache_purge(tvp);

	/* Write back every inode that changed; report the first failure. */
	error = ext2fs_iflush(fip);
	if (tvp != NULL && (error2 = ext2fs_iflush(VTOI(tvp))) != 0 &&
	    error == 0)
		error = error2;
	if ((error2 = ext2fs_iflush(fdp)) != 0 && error == 0)
		error = error2;
	if (tdp != fdp && (error2 = ext2fs_iflush(tdp)) != 0 && error == 0)
		error = error2;
	return error;
}

/*
 * Symbolic links.
 */

/*
 * Tell whether the target of symbolic link ip is in i_block: when it is
 * shorter than i_block and the inode has no data block.  A block of
 * extended attributes does not count.  Linux's ext2 decides the same way.
 */
static bool
ext2fs_symlink_isfast(const struct ext2fs_inode *ip)
{
	const struct ext2fs_dinode *din = ip->i_din;
	struct ext2fs_mount *ump = ip->i_ump;
	uint64_t blocks, eablocks = 0;

	if (ip->i_size >= sizeof(din->i_block))
		return false;
	blocks = din->i_blocks_lo;
	if (din->i_file_acl_lo != 0 || din->i_file_acl_high != 0)
		eablocks = (din->i_flags & EXT4_HUGE_FILE_FL) ? 1 :
		    ump->um_bsize / DEV_BSIZE;
	return blocks <= eablocks;
}

static int
ext2fs_readlink(struct vnode *vp, struct uio *uio, kauth_cred_t cred)
{
	struct ext2fs_inode *ip = VTOI(vp);
	struct ext2fs_mount *ump = ip->i_ump;
	struct buf *bp;
	uint64_t bn;
	size_t len;
	int error;

	if (vp->v_type != VLNK)
		return EINVAL;
	if (ip->i_size == 0 || ip->i_size >= ump->um_bsize) {
		ext2fs_corrupt(ump, ip->i_number, 0, "symbolic link of %llu "
		    "bytes", (unsigned long long)ip->i_size);
		return EFSCORRUPTED;
	}
	len = MIN((size_t)ip->i_size, uio->uio_resid);

	if (ext2fs_symlink_isfast(ip)) {
		error = uiomove(ip->i_din->i_block, len, uio);
	} else {
		error = ext2fs_bmap(ip, 0, &bn, NULL);
		if (error != 0)
			return error;
		if (bn == 0) {
			ext2fs_corrupt(ump, ip->i_number, 0, "symbolic link "
			    "without a data block");
			return EFSCORRUPTED;
		}
		error = ext2fs_blkread(ip, 0, &bp);
		if (error != 0)
			return error;
		error = uiomove(bp->b_data, len, uio);
		brelse(bp, 0);
	}
	ext2fs_iaccessed(ip);
	return error;
}

/*
 * Open, close, access, pathconf.
 */

static int
ext2fs_open(struct vnode *vp, int fflag, kauth_cred_t cred)
{
	struct ext2fs_inode *ip = VTOI(vp);
	uint32_t flags = ip->i_din->i_flags;

	/* Linux fails an open of a socket file with ENXIO. */
	if (vp->v_type == VSOCK)
		return ENXIO;
	/* An append-only file is written only at its end, never truncated. */
	if ((flags & EXT2_APPEND_FL) && (fflag & FWRITE) &&
	    ((fflag & O_APPEND) == 0 || (fflag & O_TRUNC) != 0))
		return EPERM;
	return 0;
}

static int
ext2fs_close(struct vnode *vp, int fflag, kauth_cred_t cred)
{

	return 0;
}

/* Writing an immutable file is EPERM; the rest is vaccess. */
static int
ext2fs_access(struct vnode *vp, int accmode, kauth_cred_t cred)
{
	struct ext2fs_inode *ip = VTOI(vp);
	struct vattr va;
	int error;

	if ((accmode & VWRITE) && (ip->i_din->i_flags & EXT2_IMMUTABLE_FL) &&
	    (vp->v_type == VREG || vp->v_type == VDIR || vp->v_type == VLNK))
		return EPERM;
	error = ext2fs_getattr(vp, &va, cred);
	if (error != 0)
		return error;
	return vaccess(va.va_type, va.va_mode, va.va_uid, va.va_gid, accmode,
	    cred);
}

static int
ext2fs_pathconf(struct vnode *vp, int name, register_t *retval)
{
	struct ext2fs_inode *ip = VTOI(vp);

	switch (name) {
	case EXT2_PC_LINK_MAX:
		if (vp->v_type == VDIR && !ext2fs_has_dir_nlink(ip->i_ump))
			*retval = EXT2_DIR_LINK_MAX;
		else
			*retval = EXT2_LINK_MAX;
		return 0;
	case EXT2_PC_NAME_MAX:
		*retval = EXT2_NAME_LEN;
		return 0;
	case EXT2_PC_PATH_MAX:
		*retval = PATH_MAX;
		return 0;
	case EXT2_PC_PIPE_BUF:
		*retval = EXT2_PIPE_BUF;
		return 0;
	case EXT2_PC_CHOWN_RESTRICTED:
	case EXT2_PC_NO_TRUNC:
		*retval = 1;
		return 0;
	case EXT2_PC_VDISABLE:
		*retval = 0;
		return 0;
	case EXT2_PC_SYNC_IO:
		*retval = 1;
		return 0;
	case EXT2_PC_FILESIZEBITS:
		*retval = 64;
		return 0;
	case EXT2_PC_SYMLINK_MAX:
		*retval = ip->i_ump->um_bsize - 1;
		return 0;
	case EXT2_PC_2_SYMLINKS:
		*retval = 1;
		return 0;
	default:
		return EINVAL;
	}
}

static int
ext2fs_fifo_reclaim(struct vnode *vp)
{

	fifo_reclaim(vp);
	return ext2fs_reclaim(vp);
}

const struct vnodeops ext2fs_vnodeops = {
	.vop_fsname = "ext2fs",
	.vop_lookup = ext2fs_lookup,
	.vop_create = ext2fs_create,
	.vop_mkdir = ext2fs_mkdir,
	.vop_symlink = ext2fs_symlink,
	.vop_link = ext2fs_link,
	.vop_remove = ext2fs_remove,
	.vop_rmdir = ext2fs_rmdir,
	.vop_rename = ext2fs_rename,
	.vop_open = ext2fs_open,
	.vop_close = ext2fs_close,
	.vop_access = ext2fs_access,
	.vop_getattr = ext2fs_getattr,
	.vop_setattr = ext2fs_setattr,
	.vop_read = ext2fs_read,
	.vop_write = ext2fs_write,
	.vop_fallocate = ext2fs_fallocate,
	.vop_fsync = ext2fs_fsync,
	.vop_seekdata = ext2fs_seekdata,
	.vop_readdir = ext2fs_readdir,
	.vop_readlink = ext2fs_readlink,
	.vop_inactive = ext2fs_inactive,
	.vop_reclaim = ext2fs_reclaim,
	.vop_pathconf = ext2fs_pathconf,
	.vop_bmap = ext2fs_vop_bmap,
};

/* Device nodes: the device switch does the I/O, ext2fs the inode. */
const struct vnodeops ext2fs_specops = {
	.vop_fsname = "ext2fs",
	.vop_open = spec_open,
	.vop_close = spec_close,
	.vop_access = ext2fs_access,
	.vop_getattr = ext2fs_getattr,
	.vop_setattr = ext2fs_setattr,
	.vop_read = spec_read,
	.vop_write = spec_write,
	.vop_ioctl = spec_ioctl,
	.vop_poll = spec_poll,
	.vop_fsync = spec_fsync,
	.vop_inactive = ext2fs_inactive,
	.vop_reclaim = ext2fs_reclaim,
	.vop_pathconf = ext2fs_pathconf,
};

/* FIFOs: the FIFO code keeps the pipe in memory, ext2fs the inode. */
const struct vnodeops ext2fs_fifoops = {
	.vop_fsname = "ext2fs",
	.vop_open = fifo_open,
	.vop_close = fifo_close,
	.vop_access = ext2fs_access,
	.vop_getattr = ext2fs_getattr,
	.vop_setattr = ext2fs_setattr,
	.vop_read = fifo_read,
	.vop_write = fifo_write,
	.vop_ioctl = fifo_ioctl,
	.vop_poll = fifo_poll,
	.vop_fsync = ext2fs_fsync,
	.vop_inactive = ext2fs_inactive,
	.vop_reclaim = ext2fs_fifo_reclaim,
	.vop_pathconf = ext2fs_pathconf,
};
