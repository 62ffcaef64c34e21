/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Path and descriptor system calls that change a file's attributes or
 * size, or write it back: chmod, chown, utimensat and their variants,
 * truncate, ftruncate, fallocate, fsync and fdatasync.
 *
 * The ownership rules are Linux's (with "privileged" for the
 * capabilities CAP_FOWNER, CAP_CHOWN and CAP_FSETID):
 *
 *	chmod	  the owner or privilege (EPERM); S_ISGID is dropped when
 *		  the caller is neither in the file's group nor privileged
 *	chown	  a new owner needs privilege; the owner may set the group
 *		  to one of its groups; -1 leaves an id alone, and a call
 *		  that changes nothing succeeds for anybody.  Any chown of a
 *		  non-directory clears S_ISUID, and S_ISGID if group-
 *		  executable (or the caller is outside the file's group
 *		  without privilege), privileged callers included
 *	utimes	  explicit times need the owner or privilege (EPERM);
 *		  "now" also works with write permission (else EACCES)
 *	truncate  write permission; an unprivileged truncate clears
 *		  S_ISUID and executable S_ISGID, as a write would
 *
 * A read-only mount fails every change with EROFS.  The file systems
 * update the change time (ctime) with each VOP_SETATTR.
 *
 * fchmod, fchown and futimens of a pipe change the attributes that the
 * pipe keeps for fstat, under the same rules, as they change the pipe's
 * inode on Linux.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/kauth.h>
#include <sys/lwp.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/poll.h>
#include <sys/proc.h>
#include <sys/stat.h>
#include <sys/syscallargs.h>
#include <sys/time.h>
#include <sys/vnode.h>

#include "vfs_syscalls.h"

/* chown's "leave this id alone". */
#define VFS_ID_UNCHANGED	((uint32_t)-1)

/*
 * The file whose attributes a chmod, chown or utimens call changes: a
 * vnode (af_vp), or a descriptor's file of another type (af_vp NULL), such
 * as a pipe, whose fileops keep its attributes (fo_stat, fo_setattr).
 * The rules below treat both kinds alike, as Linux does for every inode.
 */
struct vfs_attrfile {
	struct vnode	*af_vp;
	struct file	*af_fp;		/* NULL after a path lookup */
};

/* Lock the file for a change: a vnode exclusive, other files not at all. */
static int
vfs_attr_lock(struct vfs_attrfile *af)
{

	if (af->af_vp == NULL)
		return 0;
	return vn_lock(af->af_vp, LK_EXCLUSIVE);
}

static void
vfs_attr_unlock(struct vfs_attrfile *af)
{

	if (af->af_vp != NULL)
		vn_unlock(af->af_vp);
}

/*
 * Read the attributes that the rules check into cur: EROFS on a
 * read-only mount.  For a file that is not a vnode, cur holds only the
 * type, the permission bits and the owner that fo_stat reports.
 */
static int
vfs_attr_get(struct vfs_attrfile *af, kauth_cred_t cred, struct vattr *cur)
{
	const struct fileops *fops;
	struct stat st;
	int error;

	if (af->af_vp != NULL) {
		error = vfs_writable(af->af_vp);
		if (error != 0)
			return error;
		return VOP_GETATTR(af->af_vp, cur, cred);
	}

	fops = af->af_fp->f_ops;
	if (fops->fo_stat == NULL)
		return EOPNOTSUPP;
	memset(&st, 0, sizeof(st));
	error = fops->fo_stat(af->af_fp, &st);
	if (error != 0)
		return error;
	vattr_null(cur);
	cur->va_type = vtype_from_mode(st.st_mode);
	cur->va_mode = st.st_mode & ALLPERMS;
	cur->va_uid = st.st_uid;
	cur->va_gid = st.st_gid;
	return 0;
}

/* The file's type; some file systems leave va_type out of VOP_GETATTR. */
static enum vtype
vfs_attr_type(const struct vfs_attrfile *af, const struct vattr *cur)
{

	return af->af_vp != NULL ? af->af_vp->v_type : cur->va_type;
}

/* Check accmode on the file: VOP_ACCESS, or vaccess on cur. */
static int
vfs_attr_access(struct vfs_attrfile *af, const struct vattr *cur,
    int accmode, kauth_cred_t cred)
{

	if (af->af_vp != NULL)
		return VOP_ACCESS(af->af_vp, accmode, cred);
	return vaccess(cur->va_type, cur->va_mode, cur->va_uid, cur->va_gid,
	    accmode, cred);
}

/*
 * Store the fields of va that are not VNOVAL.  A file type without
 * fo_setattr takes the change without effect.
 *
 * NOTE: a file that is not a vnode stays unlocked between vfs_attr_get and
 * this call, so two changes racing on one pipe may both pass their checks
 * on the old attributes.  A chown that clears set-id bits may then undo a
 * concurrent chmod.  Linux holds the inode lock across both steps.
 */
static int
vfs_attr_set(struct vfs_attrfile *af, struct vattr *va, kauth_cred_t cred)
{
	const struct fileops *fops;

	if (af->af_vp != NULL)
		return VOP_SETATTR(af->af_vp, va, cred);
	fops = af->af_fp->f_ops;
	if (fops->fo_setattr == NULL)
		return 0;
	return fops->fo_setattr(af->af_fp, va);
}

/*
 * The file behind descriptor fd for fchmod, fchown and futimens, held
 * until vfs_fd_attrdone: EBADF for O_PATH.
 */
static int
vfs_fd_attrfile(int fd, struct vfs_attrfile *af)
{
	struct file *fp;

	fp = fd_getfile(fd);
	if (fp == NULL)
		return EBADF;
	if (fp->f_ops == &vnops_path) {
		fd_putfile(fp);
		return EBADF;
	}
	af->af_fp = fp;
	af->af_vp = fp->f_type == DTYPE_VNODE ? fp->f_data : NULL;
	return 0;
}

/* Release what vfs_fd_attrfile returned. */
static void
vfs_fd_attrdone(struct vfs_attrfile *af)
{

	fd_putfile(af->af_fp);
}

/*
 * The file that fchmodat, fchownat or utimensat names, held until
 * vfs_path_attrdone: what namei finds, or with AT_EMPTY_PATH and an empty
 * path the file of descriptor dirfd, which may be a pipe, as on Linux.
 * An O_PATH descriptor names its vnode here.
 */
static int
vfs_path_attrfile(struct lwp *l, int dirfd, const char *path, int flags,
    struct vfs_attrfile *af)
{
	struct file *fp;
	char c;
	int error;

	af->af_fp = NULL;
	af->af_vp = NULL;
	if ((flags & AT_EMPTY_PATH) != 0 && dirfd != AT_FDCWD) {
		error = copyin(path, &c, 1);
		if (error != 0)
			return error;
		fp = c == '\0' ? fd_getfile(dirfd) : NULL;
		if (fp != NULL && fp->f_type != DTYPE_VNODE) {
			af->af_fp = fp;
			return 0;
		}
		/* A vnode or a bad descriptor: namei deals with it. */
		if (fp != NULL)
			fd_putfile(fp);
	}
	return namei(l, dirfd, path,
	    ((flags & AT_SYMLINK_NOFOLLOW) != 0 ? 0 : NAMEI_FOLLOW) |
	    ((flags & AT_EMPTY_PATH) != 0 ? NAMEI_EMPTYPATH : 0), &af->af_vp);
}

/* Release what vfs_path_attrfile returned. */
static void
vfs_path_attrdone(struct vfs_attrfile *af)
{

	if (af->af_fp != NULL)
		fd_putfile(af->af_fp);
	else
		vrele(af->af_vp);
}

/*
 * chmod family.
 */

static int
vfs_chmod(struct vfs_attrfile *af, mode_t mode, kauth_cred_t cred)
{
	struct vattr va;
	int error;

	error = vfs_attr_lock(af);
	if (error != 0)
		return error;
	if (af->af_vp != NULL && af->af_vp->v_type == VLNK) {
		/* Only reached with AT_SYMLINK_NOFOLLOW: Linux has no link modes. */
		error = EOPNOTSUPP;
		goto out;
	}
	error = vfs_attr_get(af, cred, &va);
	if (error != 0)
		goto out;
	if (!kauth_cred_privileged(cred)) {
		if (va.va_uid != kauth_cred_geteuid(cred)) {
			error = EPERM;
			goto out;
		}
		if (!kauth_cred_groupmember(cred, va.va_gid))
			mode &= ~S_ISGID;
	}
	vattr_null(&va);
	va.va_mode = mode & ALLPERMS;
	error = vfs_attr_set(af, &va, cred);
out:
	vfs_attr_unlock(af);
	return error;
}

static int
vfs_fchmodat(struct lwp *l, int dirfd, const char *path, mode_t mode,
    int flags)
{
	struct vfs_attrfile af;
	int error;

	if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) != 0)
		return EINVAL;
	error = vfs_path_attrfile(l, dirfd, path, flags, &af);
	if (error != 0)
		return error;
	error = vfs_chmod(&af, mode, l->l_cred);
	vfs_path_attrdone(&af);
	return error;
}

int
sys_chmod(struct lwp *l, const struct sys_chmod_args *uap, register_t *retval)
{

	return vfs_fchmodat(l, AT_FDCWD, SCARG(uap, path), SCARG(uap, mode), 0);
}

/*
 * fchmodat takes flags, as Linux's fchmodat2 does: AT_SYMLINK_NOFOLLOW
 * works on every file but a symbolic link (EOPNOTSUPP).
 */
int
sys_fchmodat(struct lwp *l, const struct sys_fchmodat_args *uap,
    register_t *retval)
{

	return vfs_fchmodat(l, SCARG(uap, dirfd), SCARG(uap, path),
	    SCARG(uap, mode), SCARG(uap, flags));
}

int
sys_fchmod(struct lwp *l, const struct sys_fchmod_args *uap,
    register_t *retval)
{
	struct vfs_attrfile af;
	int error;

	error = vfs_fd_attrfile(SCARG(uap, fd), &af);
	if (error != 0)
		return error;
	error = vfs_chmod(&af, SCARG(uap, mode), l->l_cred);
	vfs_fd_attrdone(&af);
	return error;
}

/*
 * chown family.
 */

static int
vfs_chown(struct vfs_attrfile *af, uid_t uid, gid_t gid, kauth_cred_t cred)
{
	struct vattr va;
	enum vtype type;
	mode_t mode;
	bool privileged;
	int error;

	error = vfs_attr_lock(af);
	if (error != 0)
		return error;
	error = vfs_attr_get(af, cred, &va);
	if (error != 0)
		goto out;
	type = vfs_attr_type(af, &va);

	privileged = kauth_cred_privileged(cred);
	if (!privileged) {
		/* Only the owner may "change" the uid, and only to itself. */
		if (uid != VFS_ID_UNCHANGED &&
		    (uid != va.va_uid ||
		    kauth_cred_geteuid(cred) != va.va_uid)) {
			error = EPERM;
			goto out;
		}
		if (gid != VFS_ID_UNCHANGED &&
		    (kauth_cred_geteuid(cred) != va.va_uid ||
		    (gid != va.va_gid &&
		    !kauth_cred_groupmember(cred, gid)))) {
			error = EPERM;
			goto out;
		}
	}

	mode = va.va_mode;
	if (type != VDIR) {
		mode &= ~S_ISUID;
		if ((mode & S_ISGID) != 0 && ((mode & S_IXGRP) != 0 ||
		    (!privileged && !kauth_cred_groupmember(cred, va.va_gid))))
			mode &= ~S_ISGID;
	}

	vattr_null(&va);
	if (uid != VFS_ID_UNCHANGED)
		va.va_uid = uid;
	if (gid != VFS_ID_UNCHANGED)
		va.va_gid = gid;
	/*
	 * The mode goes along even where it stays the same (directories):
	 * as on Linux, every chown sets the change time, even one with
	 * both ids -1, and file systems set it when an attribute is set.
	 */
	va.va_mode = mode;
	error = vfs_attr_set(af, &va, cred);
out:
	vfs_attr_unlock(af);
	return error;
}

static int
vfs_fchownat(struct lwp *l, int dirfd, const char *path, uid_t uid,
    gid_t gid, int flags)
{
	struct vfs_attrfile af;
	int error;

	if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) != 0)
		return EINVAL;
	error = vfs_path_attrfile(l, dirfd, path, flags, &af);
	if (error != 0)
		return error;
	error = vfs_chown(&af, uid, gid, l->l_cred);
	vfs_path_attrdone(&af);
	return error;
}

int
sys_chown(struct lwp *l, const struct sys_chown_args *uap, register_t *retval)
{

	return vfs_fchownat(l, AT_FDCWD, SCARG(uap, path), SCARG(uap, owner),
	    SCARG(uap, group), 0);
}

int
sys_lchown(struct lwp *l, const struct sys_lchown_args *uap,
    register_t *retval)
{

	return vfs_fchownat(l, AT_FDCWD, SCARG(uap, path), SCARG(uap, owner),
	    SCARG(uap, group), AT_SYMLINK_NOFOLLOW);
}

int
sys_fchownat(struct lwp *l, const struct sys_fchownat_args *uap,
    register_t *retval)
{

	return vfs_fchownat(l, SCARG(uap, dirfd), SCARG(uap, path),
	    SCARG(uap, owner), SCARG(uap, group), SCARG(uap, flags));
}

int
sys_fchown(struct lwp *l, const struct sys_fchown_args *uap,
    register_t *retval)
{
	struct vfs_attrfile af;
	int error;

	error = vfs_fd_attrfile(SCARG(uap, fd), &af);
	if (error != 0)
		return error;
	error = vfs_chown(&af, SCARG(uap, owner), SCARG(uap, group),
	    l->l_cred);
	vfs_fd_attrdone(&af);
	return error;
}

/*
 * utimensat, futimens.
 */

static bool
vfs_utime_nsec_valid(long nsec)
{

	return nsec == UTIME_NOW || nsec == UTIME_OMIT ||
	    (nsec >= 0 && nsec < NSEC_PER_SEC);
}

/*
 * Set the access and modification times of the file: ts[0] and ts[1]
 * with UTIME_NOW and UTIME_OMIT, or both "now" when ts is NULL.
 */
static int
vfs_utimens(struct vfs_attrfile *af, const struct timespec *ts,
    kauth_cred_t cred)
{
	struct timespec now;
	struct vattr va;
	bool touch;
	int error;

	if (ts != NULL && (!vfs_utime_nsec_valid(ts[0].tv_nsec) ||
	    !vfs_utime_nsec_valid(ts[1].tv_nsec)))
		return EINVAL;
	touch = ts == NULL ||
	    (ts[0].tv_nsec == UTIME_NOW && ts[1].tv_nsec == UTIME_NOW);

	error = vfs_attr_lock(af);
	if (error != 0)
		return error;
	error = vfs_attr_get(af, cred, &va);
	if (error != 0)
		goto out;
	if (!kauth_cred_privileged(cred) &&
	    va.va_uid != kauth_cred_geteuid(cred)) {
		if (!touch) {
			error = EPERM;
			goto out;
		}
		error = vfs_attr_access(af, &va, VWRITE, cred);
		if (error != 0)
			goto out;
	}

	/*
	 * One clock reading, so "now" gives equal atime, mtime and ctime.
	 * NOTE: a pipe's fo_setattr ignores va_ctime and reads the clock
	 * again, so there ctime ends up a little later than the other two,
	 * where Linux gives all three the same value.
	 */
	nanotime(&now);
	vattr_null(&va);
	va.va_ctime = now;
	if (ts == NULL || ts[0].tv_nsec == UTIME_NOW)
		va.va_atime = now;
	else if (ts[0].tv_nsec != UTIME_OMIT)
		va.va_atime = ts[0];
	if (ts == NULL || ts[1].tv_nsec == UTIME_NOW)
		va.va_mtime = now;
	else if (ts[1].tv_nsec != UTIME_OMIT)
		va.va_mtime = ts[1];
	error = vfs_attr_set(af, &va, cred);
out:
	vfs_attr_unlock(af);
	return error;
}

/*
 * utimensat.  Like Linux: two UTIME_OMIT times succeed at once, even
 * for a missing file; a NULL path names the descriptor dirfd (with no
 * flags allowed); tv_nsec is checked after the lookup.
 */
int
sys_utimensat(struct lwp *l, const struct sys_utimensat_args *uap,
    register_t *retval)
{
	const char *path = SCARG(uap, path);
	int dirfd = SCARG(uap, dirfd), flags = SCARG(uap, flags);
	struct timespec ts[2], *tsp;
	struct vfs_attrfile af;
	int error;

	tsp = NULL;
	if (SCARG(uap, times) != NULL) {
		error = copyin(SCARG(uap, times), ts, sizeof(ts));
		if (error != 0)
			return error;
		if (ts[0].tv_nsec == UTIME_OMIT && ts[1].tv_nsec == UTIME_OMIT)
			return 0;
		tsp = ts;
	}

	if (path == NULL && dirfd != AT_FDCWD) {
		if (flags != 0)
			return EINVAL;
		error = vfs_fd_attrfile(dirfd, &af);
		if (error != 0)
			return error;
		error = vfs_utimens(&af, tsp, l->l_cred);
		vfs_fd_attrdone(&af);
		return error;
	}

	if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) != 0)
		return EINVAL;
	error = vfs_path_attrfile(l, dirfd, path, flags, &af);
	if (error != 0)
		return error;
	error = vfs_utimens(&af, tsp, l->l_cred);
	vfs_path_attrdone(&af);
	return error;
}

int
sys_futimens(struct lwp *l, const struct sys_futimens_args *uap,
    register_t *retval)
{
	struct timespec ts[2], *tsp;
	struct vfs_attrfile af;
	int error;

	tsp = NULL;
	if (SCARG(uap, times) != NULL) {
		error = copyin(SCARG(uap, times), ts, sizeof(ts));
		if (error != 0)
			return error;
		if (ts[0].tv_nsec == UTIME_OMIT && ts[1].tv_nsec == UTIME_OMIT)
			return 0;
		tsp = ts;
	}
	error = vfs_fd_attrfile(SCARG(uap, fd), &af);
	if (error != 0)
		return error;
	error = vfs_utimens(&af, tsp, l->l_cred);
	vfs_fd_attrdone(&af);
	return error;
}

/*
 * truncate, ftruncate.
 */

/*
 * Set the size of the regular file vp (locked exclusive).  An
 * unprivileged caller's truncate clears the set-id bits first.
 */
static int
vn_truncate_locked(struct vnode *vp, off_t length, kauth_cred_t cred)
{
	struct vattr va;
	int error;

	if (!kauth_cred_privileged(cred)) {
		error = vn_clear_setid(vp, cred);
		if (error != 0)
			return error;
	}
	vattr_null(&va);
	va.va_size = (uint64_t)length;
	return VOP_SETATTR(vp, &va, cred);
}

int
sys_truncate(struct lwp *l, const struct sys_truncate_args *uap,
    register_t *retval)
{
	off_t length = SCARG(uap, length);
	struct vnode *vp;
	int error;

	if (length < 0)
		return EINVAL;
	error = namei(l, AT_FDCWD, SCARG(uap, path), NAMEI_FOLLOW, &vp);
	if (error != 0)
		return error;
	if (vp->v_type == VDIR) {
		error = EISDIR;
		goto out;
	}
	if (vp->v_type != VREG) {
		error = EINVAL;
		goto out;
	}
	error = vn_lock(vp, LK_EXCLUSIVE);
	if (error != 0)
		goto out;
	error = vfs_writable(vp);
	if (error == 0)
		error = VOP_ACCESS(vp, VWRITE, l->l_cred);
	if (error == 0)
		error = vn_truncate_locked(vp, length, l->l_cred);
	vn_unlock(vp);
out:
	vrele(vp);
	return error;
}

/* ftruncate: EINVAL for anything but a regular file open for writing. */
int
sys_ftruncate(struct lwp *l, const struct sys_ftruncate_args *uap,
    register_t *retval)
{
	off_t length = SCARG(uap, length);
	struct file *fp;
	struct vnode *vp;
	int error;

	if (length < 0)
		return EINVAL;
	error = fd_getvnode(SCARG(uap, fd), false, EINVAL, &fp, &vp);
	if (error != 0)
		return error;
	if (vp->v_type != VREG || (fp->f_flag & FWRITE) == 0) {
		error = EINVAL;
		goto out;
	}
	error = vn_lock(vp, LK_EXCLUSIVE);
	if (error != 0)
		goto out;
	error = vfs_writable(vp);
	if (error == 0)
		error = vn_truncate_locked(vp, length, l->l_cred);
	vn_unlock(vp);
out:
	fd_putfile(fp);
	return error;
}

/*
 * fallocate.  The errors come in Linux's order: a bad range (EINVAL),
 * mode bits Linux does not know (EOPNOTSUPP), a descriptor not open for
 * writing (EBADF), then the file type: pipes and FIFOs ESPIPE,
 * directories EISDIR, other non-regular files ENODEV; then a range past
 * the largest offset (EFBIG).  Modes other than 0 and
 * FALLOC_FL_KEEP_SIZE are EOPNOTSUPP from the file system.
 */
#define VFS_FALLOC_KNOWN	(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE | \
	FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_ZERO_RANGE | \
	FALLOC_FL_INSERT_RANGE | FALLOC_FL_UNSHARE_RANGE)

int
sys_fallocate(struct lwp *l, const struct sys_fallocate_args *uap,
    register_t *retval)
{
	int mode = SCARG(uap, mode);
	off_t offset = SCARG(uap, offset), len = SCARG(uap, len), end;
	struct file *fp;
	struct vnode *vp;
	int error;

	fp = fd_getfile(SCARG(uap, fd));
	if (fp == NULL)
		return EBADF;
	if (fp->f_ops == &vnops_path) {
		error = EBADF;
		goto out;
	}
	if (offset < 0 || len <= 0) {
		error = EINVAL;
		goto out;
	}
	if ((mode & ~VFS_FALLOC_KNOWN) != 0) {
		error = EOPNOTSUPP;
		goto out;
	}
	if ((fp->f_flag & FWRITE) == 0) {
		error = EBADF;
		goto out;
	}
	if (fp->f_type != DTYPE_VNODE) {
		error = fp->f_type == DTYPE_PIPE ? ESPIPE : ENODEV;
		goto out;
	}
	vp = fp->f_data;
	switch (vp->v_type) {
	case VFIFO:
		error = ESPIPE;
		goto out;
	case VDIR:
		error = EISDIR;
		goto out;
	case VREG:
	case VBLK:
		break;
	default:
		error = ENODEV;
		goto out;
	}
	if (__builtin_add_overflow(offset, len, &end)) {
		error = EFBIG;
		goto out;
	}
	if (mode != 0 && mode != FALLOC_FL_KEEP_SIZE) {
		error = EOPNOTSUPP;
		goto out;
	}

	error = vn_lock(vp, LK_EXCLUSIVE);
	if (error != 0)
		goto out;
	error = vfs_writable(vp);
	if (error == 0)
		error = VOP_FALLOCATE(vp, offset, len, mode);
	vn_unlock(vp);
out:
	fd_putfile(fp);
	return error;
}

/*
 * fsync, fdatasync.  Pipes, FIFOs, sockets and character devices have
 * nothing to write back: EINVAL, as on Linux.
 */
static int
vfs_fsync(int fd, int flags)
{
	struct file *fp;
	struct vnode *vp;
	int error;

	error = fd_getvnode(fd, false, EINVAL, &fp, &vp);
	if (error != 0)
		return error;
	switch (vp->v_type) {
	case VFIFO:
	case VSOCK:
	case VCHR:
		error = EINVAL;
		goto out;
	default:
		break;
	}
	error = vn_lock(vp, LK_EXCLUSIVE);
	if (error != 0)
		goto out;
	error = VOP_FSYNC(vp, flags, fp->f_cred);
	vn_unlock(vp);
out:
	fd_putfile(fp);
	return error;
}

int
sys_fsync(struct lwp *l, const struct sys_fsync_args *uap, register_t *retval)
{

	return vfs_fsync(SCARG(uap, fd), FSYNC_WAIT);
}

int
sys_fdatasync(struct lwp *l, const struct sys_fdatasync_args *uap,
    register_t *retval)
{

	return vfs_fsync(SCARG(uap, fd), FSYNC_WAIT | FSYNC_DATAONLY);
}
