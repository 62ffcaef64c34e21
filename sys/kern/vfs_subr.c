/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * VFS helpers: attribute initialisation, the permission check every file
 * system shares, file type conversions, the checks at the start of a
 * write, the readdir record, and the VOP_* wrappers through which the
 * kernel calls a vnode's operations.
 *
 * The wrappers supply the defaults that sys/vnode.h lists for operations
 * a file system leaves NULL, and keep the name cache correct: every
 * operation that adds, removes or renames a directory entry purges the
 * names involved (negative entries included), whatever the file system
 * does itself, so a file system cannot leave a stale entry behind by
 * forgetting to purge.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/dirent.h>
#include <sys/fcntl.h>
#include <sys/kauth.h>
#include <sys/namei.h>
#include <sys/poll.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/vnode.h>

void
vattr_null(struct vattr *va)
{

	va->va_type = VNON;
	va->va_mode = (mode_t)VNOVAL;
	va->va_nlink = (nlink_t)VNOVAL;
	va->va_uid = (uid_t)VNOVAL;
	va->va_gid = (gid_t)VNOVAL;
	va->va_fsid = (dev_t)VNOVAL;
	va->va_fileid = (ino_t)VNOVAL;
	va->va_size = (uint64_t)VNOVAL;
	va->va_bytes = (uint64_t)VNOVAL;
	va->va_blocksize = VNOVAL;
	va->va_atime.tv_sec = VNOVAL;
	va->va_atime.tv_nsec = VNOVAL;
	va->va_mtime.tv_sec = VNOVAL;
	va->va_mtime.tv_nsec = VNOVAL;
	va->va_ctime.tv_sec = VNOVAL;
	va->va_ctime.tv_nsec = VNOVAL;
	va->va_birthtime.tv_sec = VNOVAL;
	va->va_birthtime.tv_nsec = VNOVAL;
	va->va_rdev = (dev_t)VNOVAL;
	va->va_gen = (uint64_t)VNOVAL;
	va->va_flags = (uint32_t)VNOVAL;
}

/*
 * Linux's discretionary access check.  Exactly one class of the mode
 * applies: the owner's when the effective uid owns the file, else the
 * group's when the effective gid or a supplementary group is the file's
 * group, else the others'.  A denial by the applicable class is final,
 * even when a later class would allow the access.  uid 0 reads and writes anything and
 * searches any directory, but executes a non-directory only when some
 * execute bit is set.
 */
int
vaccess(enum vtype type, mode_t mode, uid_t uid, gid_t gid, int accmode,
    kauth_cred_t cred)
{
	mode_t want = 0, granted;

	if (accmode & (VWRITE | VAPPEND))
		want |= S_IWOTH;
	if (accmode & VREAD)
		want |= S_IROTH;
	if (accmode & VEXEC)
		want |= S_IXOTH;

	if (kauth_cred_privileged(cred)) {
		if ((accmode & VEXEC) && type != VDIR &&
		    (mode & (S_IXUSR | S_IXGRP | S_IXOTH)) == 0)
			return EACCES;
		return 0;
	}

	if (kauth_cred_geteuid(cred) == uid)
		granted = (mode >> 6) & 07;
	else if (kauth_cred_groupmember(cred, gid))
		granted = (mode >> 3) & 07;
	else
		granted = mode & 07;
	return (want & ~granted) == 0 ? 0 : EACCES;
}

enum vtype
vtype_from_mode(mode_t mode)
{

	switch (mode & S_IFMT) {
	case S_IFREG:
		return VREG;
	case S_IFDIR:
		return VDIR;
	case S_IFLNK:
		return VLNK;
	case S_IFBLK:
		return VBLK;
	case S_IFCHR:
		return VCHR;
	case S_IFIFO:
		return VFIFO;
	case S_IFSOCK:
		return VSOCK;
	default:
		return VNON;
	}
}

mode_t
vtype_to_mode(enum vtype type)
{

	switch (type) {
	case VREG:
		return S_IFREG;
	case VDIR:
		return S_IFDIR;
	case VLNK:
		return S_IFLNK;
	case VBLK:
		return S_IFBLK;
	case VCHR:
		return S_IFCHR;
	case VFIFO:
		return S_IFIFO;
	case VSOCK:
		return S_IFSOCK;
	default:
		return 0;
	}
}

int
vfs_write_clamp(struct uio *uio, int ioflag, uint64_t size, uint64_t maxsize,
    size_t *excessp)
{

	*excessp = 0;
	if (ioflag & IO_APPEND)
		uio->uio_offset = (off_t)size;
	if (uio->uio_offset < 0)
		return EINVAL;
	if (uio->uio_resid == 0)
		return 0;

	/* Past the largest size nothing is written: EFBIG. */
	if ((uint64_t)uio->uio_offset >= maxsize)
		return EFBIG;
	if (uio->uio_resid > maxsize - (uint64_t)uio->uio_offset) {
		*excessp = uio->uio_resid -
		    (size_t)(maxsize - (uint64_t)uio->uio_offset);
		uio->uio_resid -= *excessp;
	}
	return 0;
}

int
vfs_dirent_emit(struct uio *uio, uint64_t ino, const char *name,
    size_t namlen, uint8_t type, uint64_t next)
{
	union {
		struct linux_dirent64 d;
		char buf[LINUX_DIRENT64_RECLEN(NAME_MAX)];
	} rec;
	size_t reclen = LINUX_DIRENT64_RECLEN(namlen);
	int error;

	KASSERT(namlen <= NAME_MAX);
	if (reclen > uio->uio_resid)
		return ENOSPC;
	memset(&rec, 0, reclen);
	rec.d.d_ino = ino;
	rec.d.d_off = (int64_t)next;
	rec.d.d_reclen = (uint16_t)reclen;
	rec.d.d_type = type;
	memcpy(rec.d.d_name, name, namlen);
	error = uiomove(&rec, reclen, uio);
	if (error == 0)
		uio->uio_offset = (off_t)next;
	return error;
}

/* ------------------------------------------------------------------ */
/* The VOP_* wrappers.  Locking is the caller's, as sys/vnode.h states. */

#define VOP_CALL(vp, op, ...)						\
	((vp)->v_op->op != NULL ? (vp)->v_op->op(__VA_ARGS__) : EOPNOTSUPP)

static void
purge_name(struct vnode *dvp, const struct componentname *cnp)
{

	cache_purge_name(dvp, cnp->cn_nameptr, cnp->cn_namelen);
}

int
VOP_LOOKUP(struct vnode *dvp, const struct componentname *cnp,
    struct vnode **vpp)
{

	return VOP_CALL(dvp, vop_lookup, dvp, cnp, vpp);
}

int
VOP_CREATE(struct vnode *dvp, const struct componentname *cnp,
    struct vattr *vap, struct vnode **vpp)
{
	int error;

	error = VOP_CALL(dvp, vop_create, dvp, cnp, vap, vpp);
	purge_name(dvp, cnp);
	return error;
}

int
VOP_MKDIR(struct vnode *dvp, const struct componentname *cnp,
    struct vattr *vap, struct vnode **vpp)
{
	int error;

	error = VOP_CALL(dvp, vop_mkdir, dvp, cnp, vap, vpp);
	purge_name(dvp, cnp);
	return error;
}

int
VOP_SYMLINK(struct vnode *dvp, const struct componentname *cnp,
    struct vattr *vap, const char *target, struct vnode **vpp)
{
	int error;

	error = VOP_CALL(dvp, vop_symlink, dvp, cnp, vap, target, vpp);
	purge_name(dvp, cnp);
	return error;
}

int
VOP_LINK(struct vnode *dvp, const struct componentname *cnp,
    struct vnode *vp)
{
	int error;

	error = VOP_CALL(dvp, vop_link, dvp, cnp, vp);
	purge_name(dvp, cnp);
	return error;
}

int
VOP_REMOVE(struct vnode *dvp, const struct componentname *cnp,
    struct vnode *vp)
{
	int error;

	error = VOP_CALL(dvp, vop_remove, dvp, cnp, vp);
	purge_name(dvp, cnp);
	return error;
}

int
VOP_RMDIR(struct vnode *dvp, const struct componentname *cnp,
    struct vnode *vp)
{
	int error;

	error = VOP_CALL(dvp, vop_rmdir, dvp, cnp, vp);
	purge_name(dvp, cnp);
	if (error == 0)
		cache_purge(vp);
	return error;
}

int
VOP_RENAME(struct vnode *fdvp, const struct componentname *fcnp,
    struct vnode *fvp, struct vnode *tdvp, const struct componentname *tcnp,
    struct vnode *tvp, int flags)
{
	int error;

	error = VOP_CALL(fdvp, vop_rename, fdvp, fcnp, fvp, tdvp, tcnp, tvp,
	    flags);
	purge_name(fdvp, fcnp);
	purge_name(tdvp, tcnp);
	/* A replaced directory is gone with everything cached inside it. */
	if (error == 0 && tvp != NULL && tvp->v_type == VDIR)
		cache_purge(tvp);
	return error;
}

int
VOP_OPEN(struct vnode *vp, int fflag, kauth_cred_t cred)
{

	if (vp->v_op->vop_open == NULL)
		return 0;
	return vp->v_op->vop_open(vp, fflag, cred);
}

int
VOP_CLOSE(struct vnode *vp, int fflag, kauth_cred_t cred)
{

	if (vp->v_op->vop_close == NULL)
		return 0;
	return vp->v_op->vop_close(vp, fflag, cred);
}

int
VOP_ACCESS(struct vnode *vp, int accmode, kauth_cred_t cred)
{
	struct vattr va;
	int error;

	if (vp->v_op->vop_access != NULL)
		return vp->v_op->vop_access(vp, accmode, cred);
	error = VOP_GETATTR(vp, &va, cred);
	if (error)
		return error;
	return vaccess(va.va_type, va.va_mode, va.va_uid, va.va_gid, accmode,
	    cred);
}

int
VOP_GETATTR(struct vnode *vp, struct vattr *vap, kauth_cred_t cred)
{

	return VOP_CALL(vp, vop_getattr, vp, vap, cred);
}

int
VOP_SETATTR(struct vnode *vp, struct vattr *vap, kauth_cred_t cred)
{

	return VOP_CALL(vp, vop_setattr, vp, vap, cred);
}

int
VOP_READ(struct vnode *vp, struct uio *uio, int ioflag, kauth_cred_t cred)
{

	return VOP_CALL(vp, vop_read, vp, uio, ioflag, cred);
}

int
VOP_WRITE(struct vnode *vp, struct uio *uio, int ioflag, kauth_cred_t cred)
{

	return VOP_CALL(vp, vop_write, vp, uio, ioflag, cred);
}

int
VOP_FALLOCATE(struct vnode *vp, off_t off, off_t len, int mode)
{

	return VOP_CALL(vp, vop_fallocate, vp, off, len, mode);
}

int
VOP_FSYNC(struct vnode *vp, int flags, kauth_cred_t cred)
{

	if (vp->v_op->vop_fsync == NULL)
		return 0;
	return vp->v_op->vop_fsync(vp, flags, cred);
}

/*
 * Without a vop_seekdata the file has no holes.  Offsets compare as
 * unsigned, so a negative one is past the end (ENXIO), as on Linux.
 */
int
VOP_SEEKDATA(struct vnode *vp, off_t off, int whence, off_t *resultp)
{
	struct vattr va;
	int error;

	if (vp->v_op->vop_seekdata != NULL)
		return vp->v_op->vop_seekdata(vp, off, whence, resultp);
	if (whence != SEEK_DATA && whence != SEEK_HOLE)
		return EINVAL;
	error = VOP_GETATTR(vp, &va, kauth_cred_get());
	if (error)
		return error;
	if ((uint64_t)off >= va.va_size)
		return ENXIO;
	*resultp = whence == SEEK_DATA ? off : (off_t)va.va_size;
	return 0;
}

int
VOP_READDIR(struct vnode *vp, struct uio *uio, kauth_cred_t cred,
    int *eofflag)
{

	return VOP_CALL(vp, vop_readdir, vp, uio, cred, eofflag);
}

int
VOP_READLINK(struct vnode *vp, struct uio *uio, kauth_cred_t cred)
{

	return VOP_CALL(vp, vop_readlink, vp, uio, cred);
}

int
VOP_IOCTL(struct vnode *vp, u_long cmd, void *data, int fflag,
    kauth_cred_t cred)
{

	return VOP_CALL(vp, vop_ioctl, vp, cmd, data, fflag, cred);
}

/* Returns events, not an errno: a file without vop_poll never blocks. */
int
VOP_POLL(struct vnode *vp, int events, struct lwp *l)
{

	if (vp->v_op->vop_poll == NULL)
		return events & (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM);
	return vp->v_op->vop_poll(vp, events, l);
}

int
VOP_INACTIVE(struct vnode *vp, bool *recycle)
{

	*recycle = false;
	if (vp->v_op->vop_inactive == NULL)
		return 0;
	return vp->v_op->vop_inactive(vp, recycle);
}

int
VOP_RECLAIM(struct vnode *vp)
{

	if (vp->v_op->vop_reclaim == NULL)
		return 0;
	return vp->v_op->vop_reclaim(vp);
}

int
VOP_PATHCONF(struct vnode *vp, int name, register_t *retval)
{

	return VOP_CALL(vp, vop_pathconf, vp, name, retval);
}

int
VOP_STRATEGY(struct vnode *vp, struct buf *bp)
{

	return VOP_CALL(vp, vop_strategy, vp, bp);
}

int
VOP_BMAP(struct vnode *vp, daddr_t lbn, struct vnode **devvp, daddr_t *bnp,
    int *runp)
{

	return VOP_CALL(vp, vop_bmap, vp, lbn, devvp, bnp, runp);
}
