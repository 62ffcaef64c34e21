/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Path system calls that open and examine files: open, openat, creat,
 * lseek, the stat family and statx, getdents64, readlink, readlinkat and
 * the access family.  The calls that change the namespace are in
 * vfs_syscalls_dir.c, those that change attributes or data in
 * vfs_syscalls_attr.c; chdir, chroot, getcwd, mount and statfs belong to
 * the VFS core (vfs_cwd.c, vfs_mount.c).
 *
 * Every call takes Linux's arguments and returns Linux's errors, in
 * Linux's order where a call can fail more than one way: the flag checks
 * come first, then the path lookup, then type and permission checks.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/dirent.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/poll.h>
#include <sys/proc.h>
#include <sys/stat.h>
#include <sys/syscallargs.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#include "vfs_syscalls.h"

/* access(2) modes. */
#define F_OK	0
#define X_OK	1
#define W_OK	2
#define R_OK	4

/*
 * Tell whether the user path upath is the empty string, for the calls
 * whose AT_EMPTY_PATH means the descriptor itself: 0 or EFAULT.
 */
static int
vfs_path_isempty(const char *upath, bool *emptyp)
{
	char c;
	int error;

	error = copyin(upath, &c, 1);
	if (error != 0)
		return error;
	*emptyp = c == '\0';
	return 0;
}

/*
 * open, openat, creat.
 */

static int
vfs_openat(struct lwp *l, int dirfd, const char *path, int oflags,
    mode_t mode, register_t *retval)
{
	struct filedesc *fdp = fd_table();
	struct file *fp;
	int fd, error;

	/* Like Linux, take the descriptor first: EMFILE beats ENOENT. */
	error = fd_alloc(fdp, 0, &fd);
	if (error != 0)
		return error;
	error = vn_open(l, dirfd, path, oflags, mode, &fp);
	if (error != 0) {
		fd_abort(fdp, fd);
		return error;
	}
	fd_affix(fdp, fd, fp, (oflags & O_CLOEXEC) != 0);
	retval[0] = fd;
	return 0;
}

int
sys_open(struct lwp *l, const struct sys_open_args *uap, register_t *retval)
{

	return vfs_openat(l, AT_FDCWD, SCARG(uap, path), SCARG(uap, flags),
	    SCARG(uap, mode), retval);
}

int
sys_openat(struct lwp *l, const struct sys_openat_args *uap,
    register_t *retval)
{

	return vfs_openat(l, SCARG(uap, dirfd), SCARG(uap, path),
	    SCARG(uap, flags), SCARG(uap, mode), retval);
}

int
sys_creat(struct lwp *l, const struct sys_creat_args *uap, register_t *retval)
{

	return vfs_openat(l, AT_FDCWD, SCARG(uap, path),
	    O_CREAT | O_WRONLY | O_TRUNC, SCARG(uap, mode), retval);
}

/*
 * lseek.  Regular files and devices take every whence; SEEK_DATA and
 * SEEK_HOLE ask the file system, and fail with ENXIO at a negative
 * offset or at or past the end.  A directory's offset is its readdir
 * cookie, set with SEEK_SET or moved with SEEK_CUR; the other whence
 * values are EINVAL, as on tmpfs.  Pipes and FIFOs are ESPIPE.
 */
int
sys_lseek(struct lwp *l, const struct sys_lseek_args *uap, register_t *retval)
{
	off_t offset = SCARG(uap, offset);
	int whence = SCARG(uap, whence);
	struct file *fp;
	struct vnode *vp;
	struct vattr va;
	off_t newoff;
	int error;

	error = fd_getvnode(SCARG(uap, fd), false, ESPIPE, &fp, &vp);
	if (error != 0)
		return error;
	if (vp->v_type == VFIFO) {
		error = ESPIPE;
		goto out;
	}
	if (vp->v_type == VDIR && whence != SEEK_SET && whence != SEEK_CUR) {
		error = EINVAL;
		goto out;
	}

	mutex_enter(&fp->f_poslock);
	switch (whence) {
	case SEEK_SET:
		newoff = offset;
		break;
	case SEEK_CUR:
		if (__builtin_add_overflow(fp->f_offset, offset, &newoff))
			error = EINVAL;
		break;
	case SEEK_END:
		error = vn_getattr(vp, &va, fp->f_cred);
		if (error == 0 &&
		    __builtin_add_overflow((off_t)va.va_size, offset, &newoff))
			error = EINVAL;
		break;
	case SEEK_DATA:
	case SEEK_HOLE:
		if (offset < 0) {
			error = ENXIO;
			break;
		}
		error = vn_lock(vp, LK_SHARED);
		if (error != 0)
			break;
		error = VOP_SEEKDATA(vp, offset, whence, &newoff);
		vn_unlock(vp);
		break;
	default:
		error = EINVAL;
		break;
	}
	if (error == 0 && newoff < 0)
		error = EINVAL;
	if (error == 0) {
		fp->f_offset = newoff;
		retval[0] = newoff;
	}
	mutex_exit(&fp->f_poslock);
out:
	fd_putfile(fp);
	return error;
}

/*
 * The stat family.
 */

/*
 * Find the file that (dirfd, upath, AT_* flags) names.  An empty path
 * with AT_EMPTY_PATH names the descriptor itself, which may be any kind
 * of file; nullpath means upath is NULL, which statx(2) accepts for that.
 * Returns a vnode in *vpp (referenced), or for a descriptor that is not
 * a vnode (a pipe) *vpp NULL and its struct stat in *st.
 */
static int
vfs_statat(struct lwp *l, int dirfd, const char *upath, bool nullpath,
    int atflags, struct vnode **vpp, struct stat *st)
{
	struct file *fp;
	bool empty;
	int error;

	*vpp = NULL;
	empty = nullpath;
	if (!nullpath && (atflags & AT_EMPTY_PATH) != 0) {
		error = vfs_path_isempty(upath, &empty);
		if (error != 0)
			return error;
	}
	if (empty && dirfd != AT_FDCWD) {
		fp = fd_getfile(dirfd);
		if (fp == NULL)
			return EBADF;
		if (fp->f_type == DTYPE_VNODE) {
			*vpp = fp->f_data;
			vref(*vpp);
			error = 0;
		} else {
			error = (*fp->f_ops->fo_stat)(fp, st);
		}
		fd_putfile(fp);
		return error;
	}

	return namei(l, dirfd, nullpath ? "" : upath,
	    ((atflags & AT_SYMLINK_NOFOLLOW) != 0 ? 0 : NAMEI_FOLLOW) |
	    ((atflags & AT_EMPTY_PATH) != 0 ? NAMEI_EMPTYPATH : 0) |
	    (nullpath ? NAMEI_KPATH : 0), vpp);
}

static int
vfs_fstatat(struct lwp *l, int dirfd, const char *path, struct stat *ubuf,
    int flags)
{
	struct stat st;
	struct vattr va;
	struct vnode *vp;
	int error;

	if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH |
	    AT_NO_AUTOMOUNT)) != 0)
		return EINVAL;
	error = vfs_statat(l, dirfd, path, false, flags, &vp, &st);
	if (error != 0)
		return error;
	if (vp != NULL) {
		error = vn_getattr(vp, &va, l->l_cred);
		vrele(vp);
		if (error != 0)
			return error;
		vn_vattr_to_stat(&va, &st);
	}
	return copyout(&st, ubuf, sizeof(st));
}

int
sys_stat(struct lwp *l, const struct sys_stat_args *uap, register_t *retval)
{

	return vfs_fstatat(l, AT_FDCWD, SCARG(uap, path), SCARG(uap, buf), 0);
}

int
sys_lstat(struct lwp *l, const struct sys_lstat_args *uap, register_t *retval)
{

	return vfs_fstatat(l, AT_FDCWD, SCARG(uap, path), SCARG(uap, buf),
	    AT_SYMLINK_NOFOLLOW);
}

int
sys_fstatat(struct lwp *l, const struct sys_fstatat_args *uap,
    register_t *retval)
{

	return vfs_fstatat(l, SCARG(uap, dirfd), SCARG(uap, path),
	    SCARG(uap, buf), SCARG(uap, flags));
}

/* statx of a file that is not a vnode (a pipe), from its struct stat. */
static void
vfs_stat_to_statx(const struct stat *st, struct statx *stx)
{

	memset(stx, 0, sizeof(*stx));
	stx->stx_mask = STATX_BASIC_STATS;
	stx->stx_blksize = (uint32_t)st->st_blksize;
	stx->stx_nlink = (uint32_t)st->st_nlink;
	stx->stx_uid = st->st_uid;
	stx->stx_gid = st->st_gid;
	stx->stx_mode = (uint16_t)st->st_mode;
	stx->stx_ino = st->st_ino;
	stx->stx_size = (uint64_t)st->st_size;
	stx->stx_blocks = (uint64_t)st->st_blocks;
	stx->stx_atime.tv_sec = st->st_atim.tv_sec;
	stx->stx_atime.tv_nsec = (uint32_t)st->st_atim.tv_nsec;
	stx->stx_mtime.tv_sec = st->st_mtim.tv_sec;
	stx->stx_mtime.tv_nsec = (uint32_t)st->st_mtim.tv_nsec;
	stx->stx_ctime.tv_sec = st->st_ctim.tv_sec;
	stx->stx_ctime.tv_nsec = (uint32_t)st->st_ctim.tv_nsec;
	stx->stx_rdev_major = major(st->st_rdev);
	stx->stx_rdev_minor = minor(st->st_rdev);
	stx->stx_dev_major = major(st->st_dev);
	stx->stx_dev_minor = minor(st->st_dev);
}

/*
 * statx.  The sync mode flags are accepted and change nothing: every
 * file system of ours returns current attributes.  A NULL path with
 * AT_EMPTY_PATH names the descriptor, as since Linux 6.11.
 */
int
sys_statx(struct lwp *l, const struct sys_statx_args *uap, register_t *retval)
{
	const char *path = SCARG(uap, path);
	int flags = SCARG(uap, flags);
	unsigned int mask = SCARG(uap, mask);
	struct statx stx;
	struct stat st;
	struct vattr va;
	struct vnode *vp;
	int error;

	if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH |
	    AT_STATX_SYNC_TYPE)) != 0 ||
	    (flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE)
		return EINVAL;
	if ((mask & STATX__RESERVED) != 0)
		return EINVAL;
	if (path == NULL && (flags & AT_EMPTY_PATH) == 0)
		return EFAULT;

	error = vfs_statat(l, SCARG(uap, dirfd), path, path == NULL, flags,
	    &vp, &st);
	if (error != 0)
		return error;
	if (vp == NULL) {
		vfs_stat_to_statx(&st, &stx);
	} else {
		error = vn_getattr(vp, &va, l->l_cred);
		if (error == 0)
			vn_vattr_to_statx(vp, &va, mask, &stx);
		vrele(vp);
		if (error != 0)
			return error;
	}
	return copyout(&stx, SCARG(uap, buf), sizeof(stx));
}

/*
 * getdents64: directory entries from the file offset, which is the file
 * system's cookie of the next entry.  EINVAL when the buffer cannot hold
 * one entry, ENOENT once the directory has been removed (as Linux).
 */
int
sys_getdents64(struct lwp *l, const struct sys_getdents64_args *uap,
    register_t *retval)
{
	struct file *fp;
	struct vnode *vp;
	struct vattr va;
	struct iovec iov;
	struct uio uio;
	size_t count;
	int eof, error;

	error = fd_getvnode(SCARG(uap, fd), false, ENOTDIR, &fp, &vp);
	if (error != 0)
		return error;
	if (vp->v_type != VDIR) {
		error = ENOTDIR;
		goto out;
	}

	/* Linux takes the count as an int. */
	count = MIN(SCARG(uap, count), (size_t)INT_MAX);
	iov.iov_base = SCARG(uap, dirp);
	iov.iov_len = count;
	uio.uio_iov = &iov;
	uio.uio_iovcnt = 1;
	uio.uio_resid = count;
	uio.uio_rw = UIO_READ;
	uio.uio_segflg = UIO_USERSPACE;

	mutex_enter(&fp->f_poslock);
	error = vn_lock(vp, LK_SHARED);
	if (error == 0) {
		error = VOP_GETATTR(vp, &va, fp->f_cred);
		if (error == 0 && va.va_nlink == 0)
			error = ENOENT;
		if (error == 0) {
			uio.uio_offset = fp->f_offset;
			error = VOP_READDIR(vp, &uio, fp->f_cred, &eof);
			fp->f_offset = uio.uio_offset;
		}
		vn_unlock(vp);
	}
	mutex_exit(&fp->f_poslock);
	if (error == 0)
		retval[0] = (register_t)(count - uio.uio_resid);
out:
	fd_putfile(fp);
	return error;
}

/*
 * readlink, readlinkat.  The contents go out without a NUL, truncated to
 * the buffer.  An empty path names the descriptor, which must be an
 * O_PATH | O_NOFOLLOW open of a symbolic link (else ENOENT, as Linux).
 */
static int
vfs_readlinkat(struct lwp *l, int dirfd, const char *path, char *ubuf,
    size_t bufsiz, register_t *retval)
{
	struct vnode *vp;
	struct iovec iov;
	struct uio uio;
	int len, error;
	bool empty;

	/* Linux takes the size as an int. */
	len = (int)bufsiz;
	if (len <= 0)
		return EINVAL;
	error = vfs_path_isempty(path, &empty);
	if (error != 0)
		return error;
	error = namei(l, dirfd, path, NAMEI_EMPTYPATH, &vp);
	if (error != 0)
		return error;
	if (vp->v_type != VLNK) {
		error = empty ? ENOENT : EINVAL;
		goto out;
	}

	iov.iov_base = ubuf;
	iov.iov_len = (size_t)len;
	uio.uio_iov = &iov;
	uio.uio_iovcnt = 1;
	uio.uio_offset = 0;
	uio.uio_resid = (size_t)len;
	uio.uio_rw = UIO_READ;
	uio.uio_segflg = UIO_USERSPACE;
	error = vn_lock(vp, LK_SHARED);
	if (error != 0)
		goto out;
	error = VOP_READLINK(vp, &uio, l->l_cred);
	vn_unlock(vp);
	if (error == 0)
		retval[0] = (register_t)((size_t)len - uio.uio_resid);
out:
	vrele(vp);
	return error;
}

int
sys_readlink(struct lwp *l, const struct sys_readlink_args *uap,
    register_t *retval)
{

	return vfs_readlinkat(l, AT_FDCWD, SCARG(uap, path), SCARG(uap, buf),
	    SCARG(uap, bufsiz), retval);
}

int
sys_readlinkat(struct lwp *l, const struct sys_readlinkat_args *uap,
    register_t *retval)
{

	return vfs_readlinkat(l, SCARG(uap, dirfd), SCARG(uap, path),
	    SCARG(uap, buf), SCARG(uap, bufsiz), retval);
}

/*
 * access, faccessat, faccessat2.  Unless AT_EACCESS is given, the check
 * (the lookup's search permissions included) runs with the real user
 * and group ids as the effective ones: the lwp's credential is replaced
 * by such a copy for the length of the call.
 */
static int
vfs_faccessat(struct lwp *l, int dirfd, const char *path, int mode, int flags)
{
	kauth_cred_t cred, saved;
	struct vnode *vp;
	int accmode, error;

	if ((mode & ~(R_OK | W_OK | X_OK)) != 0)
		return EINVAL;
	if ((flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) != 0)
		return EINVAL;

	saved = l->l_cred;
	cred = NULL;
	if ((flags & AT_EACCESS) == 0 &&
	    (kauth_cred_getuid(saved) != kauth_cred_geteuid(saved) ||
	    kauth_cred_getgid(saved) != kauth_cred_getegid(saved))) {
		cred = kauth_cred_dup(saved);
		kauth_cred_seteuid(cred, kauth_cred_getuid(saved));
		kauth_cred_setegid(cred, kauth_cred_getgid(saved));
		l->l_cred = cred;
	}

	error = namei(l, dirfd, path,
	    ((flags & AT_SYMLINK_NOFOLLOW) != 0 ? 0 : NAMEI_FOLLOW) |
	    ((flags & AT_EMPTY_PATH) != 0 ? NAMEI_EMPTYPATH : 0), &vp);
	if (error != 0)
		goto out;

	accmode = 0;
	if ((mode & R_OK) != 0)
		accmode |= VREAD;
	if ((mode & W_OK) != 0)
		accmode |= VWRITE;
	if ((mode & X_OK) != 0)
		accmode |= VEXEC;
	if ((accmode & VWRITE) != 0 &&
	    (vp->v_type == VREG || vp->v_type == VDIR || vp->v_type == VLNK))
		error = vfs_writable(vp);
	if (error == 0 && accmode != 0) {
		error = vn_lock(vp, LK_SHARED);
		if (error == 0) {
			error = VOP_ACCESS(vp, accmode, l->l_cred);
			vn_unlock(vp);
		}
	}
	vrele(vp);
out:
	if (cred != NULL) {
		l->l_cred = saved;
		kauth_cred_free(cred);
	}
	return error;
}

int
sys_access(struct lwp *l, const struct sys_access_args *uap,
    register_t *retval)
{

	return vfs_faccessat(l, AT_FDCWD, SCARG(uap, path), SCARG(uap, mode),
	    0);
}

int
sys_faccessat(struct lwp *l, const struct sys_faccessat_args *uap,
    register_t *retval)
{

	return vfs_faccessat(l, SCARG(uap, dirfd), SCARG(uap, path),
	    SCARG(uap, mode), SCARG(uap, flags));
}

int
sys_faccessat2(struct lwp *l, const struct sys_faccessat2_args *uap,
    register_t *retval)
{

	return vfs_faccessat(l, SCARG(uap, dirfd), SCARG(uap, path),
	    SCARG(uap, mode), SCARG(uap, flags));
}
