/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Path system calls that change the namespace: mkdir, mknod, symlink,
 * link, unlink, rmdir and rename, with their *at variants.
 *
 * Creating a name follows Linux's filename_create: "/", "." and ".." as
 * the last component are EEXIST, an existing name is EEXIST (a dangling
 * symbolic link too), a missing name with a trailing slash is ENOENT
 * except for mkdir, then EROFS, then EACCES without write and search
 * permission on the directory.  Removing one follows may_delete: write
 * and search permission on the directory, the sticky-bit rule (in a
 * sticky directory only the owner of the file or of the directory, or
 * privilege, may remove or rename an entry: EPERM), then the type
 * (EISDIR, ENOTDIR) and EBUSY for a mount point.
 *
 * Locking: the directory is locked exclusive for the lookup of the last
 * component and the change, and an entry's vnode after it.  Rename takes
 * the mount's rename lock, which keeps the shape of the directory tree
 * fixed, then the two directories (an ancestor before its descendant,
 * unrelated ones with vn_lock_pair), then the entries (directories
 * first).  A rename looks the entries up once without locks to check
 * ancestry, and again under the directory locks; if they changed in
 * between, it starts over.
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

/* Bytes of directory entries read at a time by vn_dir_isempty. */
#define VN_DIRBUFSIZE	4096

/*
 * Link to a file one does not own only if it is a regular file without
 * set-user-id (or executable set-group-id) and one may read and write
 * it.  This is Linux's fs.protected_hardlinks = 1, the setting of common
 * distributions; the Linux kernel's own default is 0.
 */
static const bool vfs_protected_hardlinks = true;

/*
 * Creating a name.
 */

/*
 * Prepare the creation of the last component of (dirfd, upath): look up
 * its directory, check that the name is free and may be made there.
 * On success the directory np->np_dvp is locked exclusive; finish with
 * vfs_create_end.  With checkaccess false the caller checks EACCES
 * itself (link(2) checks EXDEV first).
 */
static int
vfs_create_begin(struct lwp *l, int dirfd, const char *upath, bool isdir,
    bool checkaccess, struct nameiparent *np)
{
	struct vnode *dvp, *vp;
	int error;

	error = namei_parent(l, dirfd, upath, 0, np);
	if (error != 0)
		return error;
	dvp = np->np_dvp;
	if (np->np_namelen == 0 || vn_name_isdot(np->np_name,
	    np->np_namelen)) {
		error = EEXIST;
		goto done;
	}

	error = vn_lock(dvp, LK_EXCLUSIVE);
	if (error != 0)
		goto done;
	error = vn_lookup_last(np, l, &vp);
	if (error == 0) {
		vrele(vp);
		error = EEXIST;
		goto unlock;
	}
	if (error != ENOENT)
		goto unlock;

	/* "name/" names a directory, and there is none. */
	if (np->np_trailingslash && !isdir) {
		error = ENOENT;
		goto unlock;
	}
	error = vfs_writable(dvp);
	if (error == 0 && checkaccess)
		error = VOP_ACCESS(dvp, VWRITE | VEXEC, l->l_cred);
	if (error == 0)
		return 0;
unlock:
	vn_unlock(dvp);
done:
	namei_parent_done(np);
	return error;
}

static void
vfs_create_end(struct nameiparent *np)
{

	vn_unlock(np->np_dvp);
	namei_parent_done(np);
}

/*
 * The permission bits of a new file or node: mode less the umask, and
 * S_ISGID dropped as vn_open does it (see vn_create_mode there).
 */
static mode_t
vfs_newmode(struct lwp *l, struct vnode *dvp, mode_t mode, mode_t permmask)
{
	struct vattr dva;

	mode &= permmask & ~vn_cmask(l);
	if ((mode & (S_ISGID | S_IXGRP)) != (S_ISGID | S_IXGRP) ||
	    kauth_cred_privileged(l->l_cred))
		return mode;
	if (VOP_GETATTR(dvp, &dva, l->l_cred) != 0 ||
	    ((dva.va_mode & S_ISGID) != 0 &&
	    !kauth_cred_groupmember(l->l_cred, dva.va_gid)))
		mode &= ~S_ISGID;
	return mode;
}

/*
 * mkdir, mkdirat.  The new directory keeps only the permission and
 * sticky bits of mode (S_ISUID and S_ISGID go, as on Linux; a file
 * system gives S_ISGID to a subdirectory of a set-group-id directory).
 */
static int
vfs_mkdirat(struct lwp *l, int dirfd, const char *path, mode_t mode)
{
	struct nameiparent np;
	struct componentname cn;
	struct vattr va;
	struct vnode *vp;
	int error;

	error = vfs_create_begin(l, dirfd, path, true, true, &np);
	if (error != 0)
		return error;
	vattr_null(&va);
	va.va_type = VDIR;
	va.va_mode = vfs_newmode(l, np.np_dvp, mode, S_ISVTX | ACCESSPERMS);
	namei_cn(&np, &cn, l);
	error = VOP_MKDIR(np.np_dvp, &cn, &va, &vp);
	vfs_create_end(&np);
	if (error == 0)
		vrele(vp);
	return error;
}

int
sys_mkdir(struct lwp *l, const struct sys_mkdir_args *uap, register_t *retval)
{

	return vfs_mkdirat(l, AT_FDCWD, SCARG(uap, path), SCARG(uap, mode));
}

int
sys_mkdirat(struct lwp *l, const struct sys_mkdirat_args *uap,
    register_t *retval)
{

	return vfs_mkdirat(l, SCARG(uap, dirfd), SCARG(uap, path),
	    SCARG(uap, mode));
}

/*
 * mknod, mknodat: regular files (also for a type of 0), FIFOs and
 * sockets for everyone, device nodes with privilege (EPERM after the
 * other checks, as Linux), directories never (EPERM), other types EINVAL
 * before the path is looked at.
 */
static int
vfs_mknodat(struct lwp *l, int dirfd, const char *path, mode_t mode,
    dev_t dev)
{
	struct nameiparent np;
	struct componentname cn;
	struct vattr va;
	struct vnode *vp;
	enum vtype type;
	int error;

	switch (mode & S_IFMT) {
	case 0:
	case S_IFREG:
		type = VREG;
		break;
	case S_IFIFO:
		type = VFIFO;
		break;
	case S_IFSOCK:
		type = VSOCK;
		break;
	case S_IFCHR:
		type = VCHR;
		break;
	case S_IFBLK:
		type = VBLK;
		break;
	case S_IFDIR:
		return EPERM;
	default:
		return EINVAL;
	}

	error = vfs_create_begin(l, dirfd, path, false, true, &np);
	if (error != 0)
		return error;
	if ((type == VCHR || type == VBLK) &&
	    !kauth_cred_privileged(l->l_cred)) {
		error = EPERM;
		goto out;
	}
	vattr_null(&va);
	va.va_type = type;
	va.va_mode = vfs_newmode(l, np.np_dvp, mode, ALLPERMS);
	if (type == VCHR || type == VBLK)
		va.va_rdev = dev;
	namei_cn(&np, &cn, l);
	error = VOP_CREATE(np.np_dvp, &cn, &va, &vp);
	if (error == 0)
		vrele(vp);
out:
	vfs_create_end(&np);
	return error;
}

int
sys_mknod(struct lwp *l, const struct sys_mknod_args *uap, register_t *retval)
{

	return vfs_mknodat(l, AT_FDCWD, SCARG(uap, path), SCARG(uap, mode),
	    SCARG(uap, dev));
}

int
sys_mknodat(struct lwp *l, const struct sys_mknodat_args *uap,
    register_t *retval)
{

	return vfs_mknodat(l, SCARG(uap, dirfd), SCARG(uap, path),
	    SCARG(uap, mode), SCARG(uap, dev));
}

/* symlink, symlinkat.  An empty target is ENOENT before anything else. */
static int
vfs_symlinkat(struct lwp *l, const char *utarget, int dirfd, const char *path)
{
	struct nameiparent np;
	struct componentname cn;
	struct vattr va;
	struct vnode *vp;
	char *target;
	size_t len;
	int error;

	target = kmem_alloc(MAXPATHLEN, KM_SLEEP);
	error = copyinstr(utarget, target, MAXPATHLEN, &len);
	if (error == 0 && target[0] == '\0')
		error = ENOENT;
	if (error != 0)
		goto out;

	error = vfs_create_begin(l, dirfd, path, false, true, &np);
	if (error != 0)
		goto out;
	vattr_null(&va);
	va.va_type = VLNK;
	va.va_mode = ACCESSPERMS;
	namei_cn(&np, &cn, l);
	error = VOP_SYMLINK(np.np_dvp, &cn, &va, target, &vp);
	vfs_create_end(&np);
	if (error == 0)
		vrele(vp);
out:
	kmem_free(target, MAXPATHLEN);
	return error;
}

int
sys_symlink(struct lwp *l, const struct sys_symlink_args *uap,
    register_t *retval)
{

	return vfs_symlinkat(l, SCARG(uap, target), AT_FDCWD,
	    SCARG(uap, linkpath));
}

int
sys_symlinkat(struct lwp *l, const struct sys_symlinkat_args *uap,
    register_t *retval)
{

	return vfs_symlinkat(l, SCARG(uap, target), SCARG(uap, newdirfd),
	    SCARG(uap, linkpath));
}

/*
 * May the caller link to vp (locked), per vfs_protected_hardlinks?
 * 0 or EPERM.
 */
static int
vfs_may_link(struct vnode *vp, kauth_cred_t cred)
{
	struct vattr va;
	int error;

	if (!vfs_protected_hardlinks || kauth_cred_privileged(cred))
		return 0;
	error = VOP_GETATTR(vp, &va, cred);
	if (error != 0)
		return error;
	if (va.va_uid == kauth_cred_geteuid(cred))
		return 0;
	if (vp->v_type != VREG || (va.va_mode & S_ISUID) != 0 ||
	    (va.va_mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
		return EPERM;
	if (VOP_ACCESS(vp, VREAD | VWRITE, cred) != 0)
		return EPERM;
	return 0;
}

/*
 * link, linkat.  With AT_EMPTY_PATH and an empty path the descriptor
 * itself is linked; like Linux 6.10 and later, that needs privilege
 * unless the file was opened with the caller's own credential (else
 * ENOENT).  Directories are EPERM, a name on another mount EXDEV, and
 * the file system fails with EMLINK at its link count limit.
 */
static int
vfs_linkat(struct lwp *l, int fdirfd, const char *fpath, int tdirfd,
    const char *tpath, int flags)
{
	struct nameiparent np;
	struct componentname cn;
	struct file *fp;
	struct vnode *vp, *dvp;
	char c;
	int error;

	if ((flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) != 0)
		return EINVAL;
	if ((flags & AT_EMPTY_PATH) != 0 && fdirfd != AT_FDCWD &&
	    !kauth_cred_privileged(l->l_cred)) {
		error = copyin(fpath, &c, 1);
		if (error != 0)
			return error;
		if (c == '\0') {
			fp = fd_getfile(fdirfd);
			if (fp == NULL)
				return EBADF;
			error = fp->f_cred == l->l_cred ? 0 : ENOENT;
			fd_putfile(fp);
			if (error != 0)
				return error;
		}
	}

	error = namei(l, fdirfd, fpath,
	    ((flags & AT_SYMLINK_FOLLOW) != 0 ? NAMEI_FOLLOW : 0) |
	    ((flags & AT_EMPTY_PATH) != 0 ? NAMEI_EMPTYPATH : 0), &vp);
	if (error != 0)
		return error;
	error = vfs_create_begin(l, tdirfd, tpath, false, false, &np);
	if (error != 0)
		goto out;
	dvp = np.np_dvp;

	if (vp->v_mount != dvp->v_mount) {
		error = EXDEV;
		goto end;
	}
	if (vp->v_type != VDIR) {
		/* dvp is locked; a non-directory is locked after directories. */
		error = vn_lock(vp, LK_EXCLUSIVE);
		if (error != 0)
			goto end;
		error = vfs_may_link(vp, l->l_cred);
		if (error == 0)
			error = VOP_ACCESS(dvp, VWRITE | VEXEC, l->l_cred);
		if (error == 0) {
			namei_cn(&np, &cn, l);
			error = VOP_LINK(dvp, &cn, vp);
		}
		vn_unlock(vp);
	} else {
		error = VOP_ACCESS(dvp, VWRITE | VEXEC, l->l_cred);
		if (error == 0)
			error = EPERM;
	}
end:
	vfs_create_end(&np);
out:
	vrele(vp);
	return error;
}

int
sys_link(struct lwp *l, const struct sys_link_args *uap, register_t *retval)
{

	return vfs_linkat(l, AT_FDCWD, SCARG(uap, oldpath), AT_FDCWD,
	    SCARG(uap, newpath), 0);
}

int
sys_linkat(struct lwp *l, const struct sys_linkat_args *uap,
    register_t *retval)
{

	return vfs_linkat(l, SCARG(uap, olddirfd), SCARG(uap, oldpath),
	    SCARG(uap, newdirfd), SCARG(uap, newpath), SCARG(uap, flags));
}

/*
 * Removing a name.
 */

/*
 * May the caller remove (or rename away) the entry vp of directory dvp,
 * expected to be a directory when isdir?  Both are locked.  Returns 0,
 * EACCES, EPERM (sticky directory), ENOTDIR, EISDIR or EBUSY (the root
 * of a mount).
 */
static int
vn_may_delete(struct vnode *dvp, struct vnode *vp, bool isdir,
    kauth_cred_t cred)
{
	struct vattr dva, va;
	uid_t euid;
	int error;

	error = VOP_ACCESS(dvp, VWRITE | VEXEC, cred);
	if (error != 0)
		return error;
	error = VOP_GETATTR(dvp, &dva, cred);
	if (error != 0)
		return error;
	if ((dva.va_mode & S_ISVTX) != 0 && !kauth_cred_privileged(cred)) {
		error = VOP_GETATTR(vp, &va, cred);
		if (error != 0)
			return error;
		euid = kauth_cred_geteuid(cred);
		if (euid != va.va_uid && euid != dva.va_uid)
			return EPERM;
	}
	if (isdir) {
		if (vp->v_type != VDIR)
			return ENOTDIR;
		if ((vp->v_vflag & VV_ROOT) != 0)
			return EBUSY;
	} else if (vp->v_type == VDIR) {
		return EISDIR;
	}
	return 0;
}

/*
 * Read the directory vp (locked) and tell whether it has entries other
 * than "." and "..".
 */
static int
vn_dir_isempty(struct vnode *vp, kauth_cred_t cred, bool *emptyp)
{
	struct linux_dirent64 *d;
	struct iovec iov;
	struct uio uio;
	char *buf;
	size_t pos, n;
	off_t off;
	int eof, error;

	buf = kmem_alloc(VN_DIRBUFSIZE, KM_SLEEP);
	*emptyp = true;
	off = 0;
	for (;;) {
		uio_init_kernel(&uio, &iov, buf, VN_DIRBUFSIZE, off, UIO_READ);
		eof = 0;
		error = VOP_READDIR(vp, &uio, cred, &eof);
		if (error != 0)
			break;
		n = VN_DIRBUFSIZE - uio.uio_resid;
		for (pos = 0; pos < n; pos += d->d_reclen) {
			d = (struct linux_dirent64 *)(buf + pos);
			KASSERT(d->d_reclen > 0);
			if (strcmp(d->d_name, ".") != 0 &&
			    strcmp(d->d_name, "..") != 0) {
				*emptyp = false;
				goto out;
			}
		}
		if (eof || n == 0)
			break;
		off = uio.uio_offset;
	}
out:
	kmem_free(buf, VN_DIRBUFSIZE);
	return error;
}

/*
 * Look up the last component of np for removal: EROFS first, then the
 * entry, which is returned locked exclusive like its directory.
 */
static int
vfs_remove_begin(struct lwp *l, struct nameiparent *np, struct vnode **vpp)
{
	struct vnode *dvp = np->np_dvp, *vp;
	int error;

	error = vfs_writable(dvp);
	if (error != 0)
		return error;
	error = vn_lock(dvp, LK_EXCLUSIVE);
	if (error != 0)
		return error;
	error = vn_lookup_last(np, l, &vp);
	if (error != 0) {
		vn_unlock(dvp);
		return error;
	}
	error = vn_lock(vp, LK_EXCLUSIVE);
	if (error != 0) {
		vrele(vp);
		vn_unlock(dvp);
		return error;
	}
	*vpp = vp;
	return 0;
}

static void
vfs_remove_end(struct nameiparent *np, struct vnode *vp)
{

	vput(vp);
	vn_unlock(np->np_dvp);
}

/*
 * rmdir, unlinkat with AT_REMOVEDIR: "/" is EBUSY, "." EINVAL and ".."
 * ENOTEMPTY, as Linux; the file system reports ENOTEMPTY for a
 * directory with entries.
 */
static int
vfs_rmdirat(struct lwp *l, int dirfd, const char *path)
{
	struct nameiparent np;
	struct componentname cn;
	struct vnode *vp;
	int error;

	error = namei_parent(l, dirfd, path, 0, &np);
	if (error != 0)
		return error;
	if (np.np_namelen == 0) {
		error = EBUSY;
		goto out;
	}
	if (vn_name_isdot(np.np_name, np.np_namelen)) {
		error = np.np_namelen == 1 ? EINVAL : ENOTEMPTY;
		goto out;
	}

	error = vfs_remove_begin(l, &np, &vp);
	if (error != 0)
		goto out;
	error = vn_may_delete(np.np_dvp, vp, true, l->l_cred);
	if (error == 0 && vp->v_mountedhere != NULL)
		error = EBUSY;
	if (error == 0) {
		namei_cn(&np, &cn, l);
		error = VOP_RMDIR(np.np_dvp, &cn, vp);
	}
	vfs_remove_end(&np, vp);
out:
	namei_parent_done(&np);
	return error;
}

/*
 * unlink, unlinkat: "/", "." and ".." are EISDIR; "name/" is EISDIR for
 * a directory and ENOTDIR for anything else, as Linux.
 */
static int
vfs_unlinkat(struct lwp *l, int dirfd, const char *path, int flags)
{
	struct nameiparent np;
	struct componentname cn;
	struct vnode *vp;
	int error;

	if ((flags & ~AT_REMOVEDIR) != 0)
		return EINVAL;
	if ((flags & AT_REMOVEDIR) != 0)
		return vfs_rmdirat(l, dirfd, path);

	error = namei_parent(l, dirfd, path, 0, &np);
	if (error != 0)
		return error;
	if (np.np_namelen == 0 || vn_name_isdot(np.np_name, np.np_namelen)) {
		error = EISDIR;
		goto out;
	}

	error = vfs_remove_begin(l, &np, &vp);
	if (error != 0)
		goto out;
	if (np.np_trailingslash)
		error = vp->v_type == VDIR ? EISDIR : ENOTDIR;
	if (error == 0)
		error = vn_may_delete(np.np_dvp, vp, false, l->l_cred);
	if (error == 0) {
		namei_cn(&np, &cn, l);
		error = VOP_REMOVE(np.np_dvp, &cn, vp);
	}
	vfs_remove_end(&np, vp);
out:
	namei_parent_done(&np);
	return error;
}

int
sys_rmdir(struct lwp *l, const struct sys_rmdir_args *uap, register_t *retval)
{

	return vfs_rmdirat(l, AT_FDCWD, SCARG(uap, path));
}

int
sys_unlink(struct lwp *l, const struct sys_unlink_args *uap,
    register_t *retval)
{

	return vfs_unlinkat(l, AT_FDCWD, SCARG(uap, path), 0);
}

int
sys_unlinkat(struct lwp *l, const struct sys_unlinkat_args *uap,
    register_t *retval)
{

	return vfs_unlinkat(l, SCARG(uap, dirfd), SCARG(uap, path),
	    SCARG(uap, flags));
}

/*
 * Rename.
 */

/*
 * Tell whether directory anc is vp or one of vp's ancestors within
 * their mount, walking ".." up from vp.  The caller holds the mount's
 * rename lock, so the tree keeps its shape meanwhile, and no vnode lock.
 */
static int
vn_is_ancestor(struct vnode *anc, struct vnode *vp, kauth_cred_t cred,
    bool *resultp)
{
	static const char dotdot[] = "..";
	struct componentname cn;
	struct vnode *cur, *parent, *mark;
	u_int steps, span;
	int error;

	cn.cn_nameptr = dotdot;
	cn.cn_namelen = 2;
	cn.cn_cred = cred;

	/*
	 * A damaged file system can make ".." lead round in a circle.  The
	 * walk keeps a mark that it moves to the current directory after
	 * 1, 2, 4, ... steps; meeting the mark again means a loop.
	 */
	mark = NULL;
	steps = 0;
	span = 1;
	*resultp = false;
	cur = vp;
	vref(cur);
	for (;;) {
		if (cur == anc) {
			*resultp = true;
			error = 0;
			break;
		}
		if ((cur->v_vflag & VV_ROOT) != 0 || cur->v_type != VDIR) {
			error = 0;
			break;
		}
		error = vn_lock(cur, LK_SHARED);
		if (error != 0)
			break;
		error = VOP_LOOKUP(cur, &cn, &parent);
		vn_unlock(cur);
		if (error != 0)
			break;
		if (parent == cur) {
			vrele(parent);
			break;
		}
		vrele(cur);
		cur = parent;
		if (cur == mark) {
			log(LOG_ERR, "vfs: \"..\" entries of a %s file "
			    "system form a loop\n", cur->v_mount != NULL ?
			    cur->v_mount->mnt_fstype : "?");
			error = EFSCORRUPTED;
			break;
		}
		if (++steps == span) {
			if (mark != NULL)
				vrele(mark);
			mark = cur;
			vref(mark);
			steps = 0;
			span *= 2;
		}
	}
	if (mark != NULL)
		vrele(mark);
	vrele(cur);
	return error;
}

/* Look up np's last component with its directory locked shared. */
static int
vfs_lookup_unlocked(struct lwp *l, struct nameiparent *np, struct vnode **vpp)
{
	int error;

	error = vn_lock(np->np_dvp, LK_SHARED);
	if (error != 0)
		return error;
	error = vn_lookup_last(np, l, vpp);
	vn_unlock(np->np_dvp);
	return error;
}

/* The vnodes of one rename and the state of their locks. */
struct vfs_rename {
	struct nameiparent *fnp, *tnp;
	struct vnode	*fdvp, *tdvp;	/* from the lookups, referenced */
	struct vnode	*fvp, *tvp;	/* referenced; tvp may be NULL */
	bool		 dirslocked;
	bool		 childrenlocked;
};

static void
vfs_rename_unlock(struct vfs_rename *r)
{

	if (r->childrenlocked) {
		if (r->tvp != NULL)
			vn_unlock_pair(r->fvp, r->tvp);
		else
			vn_unlock(r->fvp);
		r->childrenlocked = false;
	}
	if (r->dirslocked) {
		vn_unlock_pair(r->fdvp, r->tdvp);
		r->dirslocked = false;
	}
}

static void
vfs_rename_release(struct vfs_rename *r)
{

	vfs_rename_unlock(r);
	if (r->fvp != NULL)
		vrele(r->fvp);
	if (r->tvp != NULL)
		vrele(r->tvp);
	r->fvp = r->tvp = NULL;
}

/*
 * Lock the two directories, the ancestor first when one contains the
 * other (as lookups and removals lock parent before child), else in
 * vn_lock_pair's order.
 */
static int
vfs_rename_lock_dirs(struct vfs_rename *r, kauth_cred_t cred)
{
	struct vnode *first, *second;
	bool above;
	int error;

	if (r->fdvp == r->tdvp) {
		error = vn_lock(r->fdvp, LK_EXCLUSIVE);
		if (error != 0)
			return error;
		r->dirslocked = true;
		return 0;
	}

	error = vn_is_ancestor(r->fdvp, r->tdvp, cred, &above);
	if (error != 0)
		return error;
	if (above) {
		first = r->fdvp;
		second = r->tdvp;
	} else {
		error = vn_is_ancestor(r->tdvp, r->fdvp, cred, &above);
		if (error != 0)
			return error;
		if (!above) {
			vn_lock_pair(r->fdvp, r->tdvp);
			r->dirslocked = true;
			return 0;
		}
		first = r->tdvp;
		second = r->fdvp;
	}
	error = vn_lock(first, LK_EXCLUSIVE);
	if (error != 0)
		return error;
	error = vn_lock(second, LK_EXCLUSIVE);
	if (error != 0) {
		vn_unlock(first);
		return error;
	}
	r->dirslocked = true;
	return 0;
}

/* Lock the entries, directories before other files. */
static void
vfs_rename_lock_children(struct vfs_rename *r)
{
	struct vnode *fvp = r->fvp, *tvp = r->tvp;

	if (tvp == NULL) {
		(void)vn_lock(fvp, LK_EXCLUSIVE | LK_RETRY);
	} else if ((fvp->v_type == VDIR) == (tvp->v_type == VDIR)) {
		vn_lock_pair(fvp, tvp);
	} else if (fvp->v_type == VDIR) {
		(void)vn_lock(fvp, LK_EXCLUSIVE | LK_RETRY);
		(void)vn_lock(tvp, LK_EXCLUSIVE | LK_RETRY);
	} else {
		(void)vn_lock(tvp, LK_EXCLUSIVE | LK_RETRY);
		(void)vn_lock(fvp, LK_EXCLUSIVE | LK_RETRY);
	}
	r->childrenlocked = true;
}

/*
 * Look the entries up again under the directory locks: true when they
 * are still the vnodes found before.
 */
static int
vfs_rename_recheck(struct lwp *l, struct vfs_rename *r, bool *samep)
{
	struct vnode *vp;
	int error;

	*samep = false;
	error = vn_lookup_last(r->fnp, l, &vp);
	if (error != 0)
		return error == ENOENT ? 0 : error;
	vrele(vp);
	if (vp != r->fvp)
		return 0;
	error = vn_lookup_last(r->tnp, l, &vp);
	if (error == ENOENT) {
		*samep = r->tvp == NULL;
		return 0;
	}
	if (error != 0)
		return error;
	vrele(vp);
	*samep = vp == r->tvp;
	return 0;
}

/*
 * The checks of Linux's do_renameat2 and vfs_rename that need the
 * entries, in their order, and the rename itself.  Called with the
 * mount's rename lock held.
 */
static int
vfs_rename_locked(struct lwp *l, struct vfs_rename *r, unsigned int flags)
{
	kauth_cred_t cred = l->l_cred;
	struct componentname fcn, tcn;
	bool exchange, fisdir, tisdir, is, same, empty;
	int error;

	exchange = (flags & RENAME_EXCHANGE) != 0;
retry:
	/* The entries: the source must exist, the target per the flags. */
	error = vfs_lookup_unlocked(l, r->fnp, &r->fvp);
	if (error != 0)
		return error;
	error = vfs_lookup_unlocked(l, r->tnp, &r->tvp);
	if (error == ENOENT) {
		r->tvp = NULL;
		error = 0;
	}
	if (error != 0)
		goto out;
	if ((flags & RENAME_NOREPLACE) != 0 && r->tvp != NULL) {
		error = EEXIST;
		goto out;
	}
	if (exchange && r->tvp == NULL) {
		error = ENOENT;
		goto out;
	}
	fisdir = r->fvp->v_type == VDIR;
	tisdir = r->tvp != NULL && r->tvp->v_type == VDIR;

	/* A trailing slash needs a directory on its side. */
	if (!fisdir && (r->fnp->np_trailingslash ||
	    (!exchange && r->tnp->np_trailingslash))) {
		error = ENOTDIR;
		goto out;
	}
	if (exchange && !tisdir && r->tnp->np_trailingslash) {
		error = ENOTDIR;
		goto out;
	}

	/*
	 * A directory cannot move into its own subtree (EINVAL), and the
	 * target cannot be an ancestor of the source: a directory with
	 * entries (ENOTEMPTY), or for an exchange EINVAL.
	 */
	if (fisdir) {
		error = vn_is_ancestor(r->fvp, r->tdvp, cred, &is);
		if (error == 0 && is)
			error = EINVAL;
		if (error != 0)
			goto out;
	}
	if (tisdir) {
		error = vn_is_ancestor(r->tvp, r->fdvp, cred, &is);
		if (error == 0 && is)
			error = exchange ? EINVAL : ENOTEMPTY;
		if (error != 0)
			goto out;
	}

	/* Two names of one file: nothing to do. */
	if (r->fvp == r->tvp) {
		error = 0;
		goto out;
	}

	error = vfs_rename_lock_dirs(r, cred);
	if (error != 0)
		goto out;
	error = vfs_rename_recheck(l, r, &same);
	if (error != 0)
		goto out;
	if (!same) {
		vfs_rename_release(r);
		goto retry;
	}
	vfs_rename_lock_children(r);

	/* Permissions, sticky directories and the types of the two ends. */
	error = vn_may_delete(r->fdvp, r->fvp, fisdir, cred);
	if (error != 0)
		goto out;
	if (r->tvp != NULL)
		error = vn_may_delete(r->tdvp, r->tvp,
		    exchange ? tisdir : fisdir, cred);
	else
		error = VOP_ACCESS(r->tdvp, VWRITE | VEXEC, cred);
	if (error != 0)
		goto out;

	/* A directory that changes parent has its ".." rewritten. */
	if (r->fdvp != r->tdvp) {
		if (fisdir)
			error = VOP_ACCESS(r->fvp, VWRITE, cred);
		if (error == 0 && exchange && tisdir)
			error = VOP_ACCESS(r->tvp, VWRITE, cred);
		if (error != 0)
			goto out;
	}

	if (r->fvp->v_mountedhere != NULL ||
	    (r->tvp != NULL && r->tvp->v_mountedhere != NULL)) {
		error = EBUSY;
		goto out;
	}
	if (!exchange && tisdir) {
		error = vn_dir_isempty(r->tvp, cred, &empty);
		if (error == 0 && !empty)
			error = ENOTEMPTY;
		if (error != 0)
			goto out;
	}

	namei_cn(r->fnp, &fcn, l);
	namei_cn(r->tnp, &tcn, l);
	error = VOP_RENAME(r->fdvp, &fcn, r->fvp, r->tdvp, &tcn, r->tvp,
	    (int)flags);
out:
	vfs_rename_release(r);
	return error;
}

/*
 * renameat2.  RENAME_NOREPLACE and RENAME_EXCHANGE are supported;
 * RENAME_WHITEOUT is EINVAL.  NOTE: Linux supports whiteouts on some
 * file systems (privileged); none of ours has them.
 */
static int
vfs_renameat2(struct lwp *l, int fdirfd, const char *fpath, int tdirfd,
    const char *tpath, unsigned int flags)
{
	struct nameiparent fnp, tnp;
	struct vfs_rename r;
	struct mount *mp;
	int error;

	if ((flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE |
	    RENAME_WHITEOUT)) != 0)
		return EINVAL;
	if ((flags & RENAME_NOREPLACE) != 0 && (flags & RENAME_EXCHANGE) != 0)
		return EINVAL;
	if ((flags & RENAME_WHITEOUT) != 0)
		return EINVAL;

	error = namei_parent(l, fdirfd, fpath, 0, &fnp);
	if (error != 0)
		return error;
	error = namei_parent(l, tdirfd, tpath, 0, &tnp);
	if (error != 0)
		goto out1;

	memset(&r, 0, sizeof(r));
	r.fnp = &fnp;
	r.tnp = &tnp;
	r.fdvp = fnp.np_dvp;
	r.tdvp = tnp.np_dvp;
	mp = r.fdvp->v_mount;
	if (r.tdvp->v_mount != mp) {
		error = EXDEV;
		goto out2;
	}

	/* "/", "." and ".." on either side: EBUSY, as Linux. */
	if (fnp.np_namelen == 0 ||
	    vn_name_isdot(fnp.np_name, fnp.np_namelen) ||
	    tnp.np_namelen == 0 ||
	    vn_name_isdot(tnp.np_name, tnp.np_namelen)) {
		error = EBUSY;
		goto out2;
	}
	error = vfs_writable(r.fdvp);
	if (error != 0)
		goto out2;

	mutex_enter(&mp->mnt_renamelock);
	error = vfs_rename_locked(l, &r, flags);
	mutex_exit(&mp->mnt_renamelock);
out2:
	namei_parent_done(&tnp);
out1:
	namei_parent_done(&fnp);
	return error;
}

int
sys_rename(struct lwp *l, const struct sys_rename_args *uap,
    register_t *retval)
{

	return vfs_renameat2(l, AT_FDCWD, SCARG(uap, oldpath), AT_FDCWD,
	    SCARG(uap, newpath), 0);
}

int
sys_renameat(struct lwp *l, const struct sys_renameat_args *uap,
    register_t *retval)
{

	return vfs_renameat2(l, SCARG(uap, olddirfd), SCARG(uap, oldpath),
	    SCARG(uap, newdirfd), SCARG(uap, newpath), 0);
}

int
sys_renameat2(struct lwp *l, const struct sys_renameat2_args *uap,
    register_t *retval)
{

	return vfs_renameat2(l, SCARG(uap, olddirfd), SCARG(uap, oldpath),
	    SCARG(uap, newdirfd), SCARG(uap, newpath), SCARG(uap, flags));
}
