/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Vnodes as open files: open(2)'s path and permission logic (vn_open),
 * the fileops of DTYPE_VNODE files, and the conversion of attributes to
 * struct stat and struct statx.
 *
 * Opening.  vn_open resolves the path, creates the file for O_CREAT,
 * checks the open against the file's type and permissions, calls
 * VOP_OPEN, truncates for O_TRUNC and wraps the referenced vnode in a
 * struct file.  The checks follow Linux's order, because programs and
 * tests see which error comes first:
 *
 *	flags	  O_TMPFILE needs O_WRONLY or O_RDWR; O_DIRECTORY | O_CREAT
 *		  is EINVAL (Linux 6.4 and later)
 *	lookup	  namei's errors; with O_CREAT a trailing slash, "." or ".."
 *		  as the last component, or a directory is EISDIR, and an
 *		  existing name with O_EXCL is EEXIST even for a dangling
 *		  symbolic link
 *	type	  a final symbolic link without following is ELOOP, O_DIRECTORY
 *		  on a non-directory ENOTDIR, writing or truncating a
 *		  directory EISDIR
 *	access	  EROFS for writing a file, directory or link on a read-only
 *		  mount, then EACCES from VOP_ACCESS; a file this open created
 *		  skips both, so open("f", O_CREAT | O_RDWR, 0) works
 *	open	  VOP_OPEN (devices: ENXIO, ENODEV, EACCES on nodev mounts;
 *		  FIFOs: ENXIO or waiting for the other end); sockets ENXIO
 *	truncate  O_TRUNC empties a regular file, and is ignored for others
 *
 * O_PATH opens stop after the lookup and the O_DIRECTORY check: the file
 * gets vnops_path, whose I/O operations fail with EBADF, and is usable
 * only as a directory descriptor and for fstat, fchdir and the like.
 *
 * I/O.  Reads lock the vnode shared and writes exclusive, as vnode.h
 * requires; the file systems' special-file operations (spec_*, fifo_*)
 * unlock around transfers that may block.  The offset to use is the one
 * the caller passes (f_offset under f_poslock, or pread's own).
 *
 * Closing.  The last reference to the file calls vn_close: it releases
 * the open file's OFD and flock locks and the closing process's POSIX
 * locks on the vnode, calls VOP_CLOSE and drops the vnode.  POSIX locks
 * must also go when the process closes any other descriptor of the file,
 * as on Linux; the descriptor layer does that by calling fo_advlock with
 * FADV_UNLK over the whole file, on every close of a vnode descriptor.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/filio.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/lockf.h>
#include <sys/lwp.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/poll.h>
#include <sys/proc.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#include "vfs_syscalls.h"

/* Symbolic links followed by one open(2) with O_CREAT, as namei allows. */
#define VN_OPEN_MAXLINKS	40

/* Events poll(2) reports for a regular file, which is always ready. */
#define VN_POLL_READY	(POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)

mode_t
vn_cmask(struct lwp *l)
{
	struct proc *p = l->l_proc;
	mode_t cmask;

	/*
	 * NOTE: umask(2) changes p_umask, so that is the mask used here;
	 * cwdinfo's cwdi_cmask is not kept up to date by it.
	 */
	mutex_enter(&p->p_lock);
	cmask = p->p_umask;
	mutex_exit(&p->p_lock);
	return cmask;
}

bool
vn_name_isdot(const char *name, size_t namelen)
{

	return (namelen == 1 && name[0] == '.') ||
	    (namelen == 2 && name[0] == '.' && name[1] == '.');
}

int
vn_lookup_last(struct nameiparent *np, struct lwp *l, struct vnode **vpp)
{
	struct componentname cn;

	KASSERT(np->np_namelen > 0);
	KASSERT(!vn_name_isdot(np->np_name, np->np_namelen));

	namei_cn(np, &cn, l);
	return VOP_LOOKUP(np->np_dvp, &cn, vpp);
}

int
vn_getattr(struct vnode *vp, struct vattr *va, kauth_cred_t cred)
{
	int error;

	error = vn_lock(vp, LK_SHARED);
	if (error != 0)
		return error;
	error = VOP_GETATTR(vp, va, cred);
	vn_unlock(vp);
	return error;
}

int
fd_getvnode(int fd, bool allowpath, int nottype, struct file **fpp,
    struct vnode **vpp)
{
	struct file *fp;

	fp = fd_getfile(fd);
	if (fp == NULL)
		return EBADF;
	if (fp->f_type != DTYPE_VNODE) {
		fd_putfile(fp);
		return nottype;
	}
	if (!allowpath && fp->f_ops == &vnops_path) {
		fd_putfile(fp);
		return EBADF;
	}
	*fpp = fp;
	*vpp = fp->f_data;
	return 0;
}

/*
 * Attribute conversion.
 */

void
vn_vattr_to_stat(const struct vattr *va, struct stat *st)
{

	memset(st, 0, sizeof(*st));
	st->st_dev = va->va_fsid;
	st->st_ino = va->va_fileid;
	st->st_mode = vtype_to_mode(va->va_type) | (va->va_mode & ALLPERMS);
	st->st_nlink = va->va_nlink;
	st->st_uid = va->va_uid;
	st->st_gid = va->va_gid;
	if (va->va_type == VCHR || va->va_type == VBLK)
		st->st_rdev = va->va_rdev;
	st->st_size = (off_t)va->va_size;
	st->st_blksize = va->va_blocksize;
	st->st_blocks = (blkcnt_t)howmany(va->va_bytes, S_BLKSIZE);
	st->st_atim = va->va_atime;
	st->st_mtim = va->va_mtime;
	st->st_ctim = va->va_ctime;
}

static void
vn_timespec_to_statx(const struct timespec *ts, struct statx_timestamp *sts)
{

	sts->tv_sec = ts->tv_sec;
	sts->tv_nsec = (uint32_t)ts->tv_nsec;
	sts->__reserved = 0;
}

/*
 * The statx fields are filled whatever the mask; stx_mask lists those
 * that hold values, computed as Linux 6.18 does for tmpfs:
 *
 *	- the basic fields of struct stat always, except that the two
 *	  change times are left out when the caller asked for neither
 *	  (Linux does so for file systems with fine-grained timestamps,
 *	  which tmpfs and ext4 are since 6.13);
 *	- the birth time only when asked for and known;
 *	- STATX_MNT_ID_UNIQUE when asked for, else STATX_MNT_ID, with
 *	  the mount's id (unique for the kernel's life either way).
 */
void
vn_vattr_to_statx(struct vnode *vp, const struct vattr *va, unsigned int mask,
    struct statx *stx)
{
	uint32_t result;

	memset(stx, 0, sizeof(*stx));

	result = STATX_BASIC_STATS;
	if ((mask & (STATX_MTIME | STATX_CTIME)) == 0)
		result &= ~(STATX_MTIME | STATX_CTIME);
	if ((mask & STATX_BTIME) != 0 && va->va_birthtime.tv_sec != VNOVAL) {
		result |= STATX_BTIME;
		vn_timespec_to_statx(&va->va_birthtime, &stx->stx_btime);
	}
	if ((mask & STATX_MNT_ID_UNIQUE) != 0)
		result |= STATX_MNT_ID_UNIQUE;
	else
		result |= STATX_MNT_ID;
	stx->stx_mnt_id = vp->v_mount != NULL ? vp->v_mount->mnt_id : 0;
	stx->stx_mask = result;

	stx->stx_blksize = (uint32_t)va->va_blocksize;
	stx->stx_nlink = (uint32_t)va->va_nlink;
	stx->stx_uid = va->va_uid;
	stx->stx_gid = va->va_gid;
	stx->stx_mode = (uint16_t)(vtype_to_mode(va->va_type) |
	    (va->va_mode & ALLPERMS));
	stx->stx_ino = va->va_fileid;
	stx->stx_size = va->va_size;
	stx->stx_blocks = howmany(va->va_bytes, S_BLKSIZE);
	vn_timespec_to_statx(&va->va_atime, &stx->stx_atime);
	vn_timespec_to_statx(&va->va_mtime, &stx->stx_mtime);
	vn_timespec_to_statx(&va->va_ctime, &stx->stx_ctime);
	if (va->va_type == VCHR || va->va_type == VBLK) {
		stx->stx_rdev_major = major(va->va_rdev);
		stx->stx_rdev_minor = minor(va->va_rdev);
	}
	stx->stx_dev_major = major(va->va_fsid);
	stx->stx_dev_minor = minor(va->va_fsid);

	/*
	 * The attribute bits that the VFS supports for every file system.  No file
	 * system of ours has file flags (append-only, immutable, ...), so
	 * none of those is in the mask.
	 */
	stx->stx_attributes_mask = STATX_ATTR_AUTOMOUNT |
	    STATX_ATTR_MOUNT_ROOT | STATX_ATTR_DAX;
	if ((vp->v_vflag & VV_ROOT) != 0)
		stx->stx_attributes |= STATX_ATTR_MOUNT_ROOT;
}

/*
 * Opening.
 */

/* The file flags an open keeps in f_flag, as Linux keeps them. */
static int
vn_open_fflags(int oflags)
{

	if ((oflags & O_PATH) != 0)
		return oflags & (O_PATH | O_DIRECTORY | O_NOFOLLOW);
	return (FFLAGS(oflags) & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC |
	    O_CLOEXEC)) | O_LARGEFILE;
}

/*
 * Follow the symbolic link vp, the last component of *kpathp, for an
 * O_CREAT open: replace the path with one that names the link's target
 * from the same starting directory (the link's directory part, then the
 * target).  *kpathp is a MAXPATHLEN buffer.
 */
static int
vn_open_follow(struct vnode *vp, char *kpath, kauth_cred_t cred)
{
	struct iovec iov;
	struct uio uio;
	char *target, *slash;
	size_t dirlen, targetlen;
	int error;

	target = kmem_alloc(MAXPATHLEN, KM_SLEEP);
	uio_init_kernel(&uio, &iov, target, MAXPATHLEN - 1, 0, UIO_READ);
	error = vn_lock(vp, LK_SHARED);
	if (error != 0)
		goto out;
	error = VOP_READLINK(vp, &uio, cred);
	vn_unlock(vp);
	if (error != 0)
		goto out;
	targetlen = MAXPATHLEN - 1 - uio.uio_resid;
	target[targetlen] = '\0';
	if (targetlen == 0) {
		error = ENOENT;
		goto out;
	}

	/* An absolute target replaces the path, a relative one its last part. */
	dirlen = 0;
	if (target[0] != '/') {
		slash = strrchr(kpath, '/');
		dirlen = slash != NULL ? (size_t)(slash - kpath) + 1 : 0;
	}
	if (dirlen + targetlen >= MAXPATHLEN) {
		error = ENAMETOOLONG;
		goto out;
	}
	memcpy(kpath + dirlen, target, targetlen + 1);
out:
	kmem_free(target, MAXPATHLEN);
	return error;
}

/*
 * Creation mode for a new file of the given mode in directory dvp: the
 * permission bits less the umask, and S_ISGID dropped where Linux drops
 * it (group-executable, in a set-group-id directory whose group the
 * caller is not in, without privilege: the file would get that group).
 */
static mode_t
vn_create_mode(struct vnode *dvp, mode_t mode, mode_t cmask,
    kauth_cred_t cred)
{
	struct vattr dva;

	mode &= ALLPERMS & ~cmask;
	if ((mode & (S_ISGID | S_IXGRP)) != (S_ISGID | S_IXGRP))
		return mode;
	if (kauth_cred_privileged(cred))
		return mode;
	if (VOP_GETATTR(dvp, &dva, cred) != 0)
		return mode & ~S_ISGID;
	if ((dva.va_mode & S_ISGID) != 0 &&
	    !kauth_cred_groupmember(cred, dva.va_gid))
		return mode & ~S_ISGID;
	return mode;
}

/*
 * The O_CREAT half of open: find or create the last component of the
 * kernel path kpath.  Returns the vnode referenced and unlocked, with
 * *createdp telling whether this call made it.
 */
static int
vn_open_create(struct lwp *l, int dirfd, char *kpath, int oflags,
    mode_t mode, struct vnode **vpp, bool *createdp)
{
	struct nameiparent np;
	struct componentname cn;
	struct vattr va;
	struct vnode *dvp, *vp;
	int error, nlinks;

	*createdp = false;
	for (nlinks = 0;; nlinks++) {
		error = namei_parent(l, dirfd, kpath, NAMEI_KPATH, &np);
		if (error != 0)
			return error;
		dvp = np.np_dvp;

		/* "/", ".", ".." and "name/" would all be directories. */
		if (np.np_namelen == 0 || np.np_trailingslash ||
		    vn_name_isdot(np.np_name, np.np_namelen)) {
			error = EISDIR;
			goto out;
		}

		error = vn_lock(dvp, LK_EXCLUSIVE);
		if (error != 0)
			goto out;
		error = vn_lookup_last(&np, l, &vp);
		if (error == ENOENT) {
			/* Missing: create it, EROFS before EACCES as Linux. */
			error = vfs_writable(dvp);
			if (error == 0)
				error = VOP_ACCESS(dvp, VWRITE | VEXEC,
				    l->l_cred);
			if (error == 0) {
				vattr_null(&va);
				va.va_type = VREG;
				va.va_mode = vn_create_mode(dvp, mode,
				    vn_cmask(l), l->l_cred);
				namei_cn(&np, &cn, l);
				error = VOP_CREATE(dvp, &cn, &va, &vp);
			}
			vn_unlock(dvp);
			if (error == 0) {
				*createdp = true;
				*vpp = vp;
			}
			goto out;
		}
		vn_unlock(dvp);
		if (error != 0)
			goto out;

		/* It exists. */
		if ((oflags & O_EXCL) != 0) {
			vrele(vp);
			error = EEXIST;
			goto out;
		}
		if (vp->v_type != VLNK) {
			*vpp = vp;
			goto out;
		}
		if ((oflags & O_NOFOLLOW) != 0) {
			vrele(vp);
			error = ELOOP;
			goto out;
		}
		if (nlinks >= VN_OPEN_MAXLINKS) {
			vrele(vp);
			error = ELOOP;
			goto out;
		}

		/* A symbolic link: start again from its target. */
		error = vn_open_follow(vp, kpath, l->l_cred);
		vrele(vp);
		namei_parent_done(&np);
		if (error != 0)
			return error;
	}
out:
	namei_parent_done(&np);
	return error;
}

/*
 * Check an open of vp with open flags oflags and make it (VOP_OPEN and
 * O_TRUNC).  vp is referenced and unlocked.  created is true when this
 * open made the file.
 */
static int
vn_open_vnode(struct lwp *l, struct vnode *vp, int oflags, int fflags,
    bool created)
{
	kauth_cred_t cred = l->l_cred;
	struct vattr va;
	int accmode, mode, error;
	bool truncate;

	/* An O_PATH open needs nothing but the right type. */
	if ((oflags & O_PATH) != 0) {
		if ((oflags & O_DIRECTORY) != 0 && vp->v_type != VDIR)
			return ENOTDIR;
		return 0;
	}
	if ((oflags & O_CREAT) != 0 && vp->v_type == VDIR)
		return EISDIR;

	accmode = 0;
	switch (oflags & O_ACCMODE) {
	case O_RDONLY:
		accmode = VREAD;
		break;
	case O_WRONLY:
		accmode = VWRITE;
		break;
	default:
		/* O_RDWR, and O_ACCMODE, which Linux checks as O_RDWR. */
		accmode = VREAD | VWRITE;
		break;
	}
	if ((oflags & O_TRUNC) != 0)
		accmode |= VWRITE;

	if ((oflags & O_DIRECTORY) != 0 && vp->v_type != VDIR)
		return ENOTDIR;
	switch (vp->v_type) {
	case VLNK:
		return ELOOP;
	case VDIR:
		if ((accmode & VWRITE) != 0)
			return EISDIR;
		break;
	default:
		break;
	}

	error = vn_lock(vp, LK_EXCLUSIVE);
	if (error != 0)
		return error;
	if (!created) {
		if ((accmode & VWRITE) != 0 &&
		    (vp->v_type == VREG || vp->v_type == VDIR)) {
			error = vfs_writable(vp);
			if (error != 0)
				goto out;
		}
		error = VOP_ACCESS(vp, accmode, cred);
		if (error != 0)
			goto out;
	}

	/* O_NOATIME is for the owner (or privilege) only. */
	if ((oflags & O_NOATIME) != 0 && !kauth_cred_privileged(cred)) {
		error = VOP_GETATTR(vp, &va, cred);
		if (error == 0 && va.va_uid != kauth_cred_geteuid(cred))
			error = EPERM;
		if (error != 0)
			goto out;
	}

	if (vp->v_type == VSOCK) {
		error = ENXIO;
		goto out;
	}
	mode = fflags & ~O_PATH;
	error = VOP_OPEN(vp, mode, cred);
	if (error != 0)
		goto out;

	/* A new file is empty already; other types ignore O_TRUNC. */
	truncate = (oflags & O_TRUNC) != 0 && !created && vp->v_type == VREG;
	if (truncate) {
		vattr_null(&va);
		va.va_size = 0;
		error = VOP_SETATTR(vp, &va, cred);
		if (error != 0) {
			(void)VOP_CLOSE(vp, mode, cred);
			goto out;
		}
	}
	if ((fflags & FWRITE) != 0) {
		mutex_enter(&vp->v_interlock);
		vp->v_writecount++;
		mutex_exit(&vp->v_interlock);
	}
out:
	vn_unlock(vp);
	return error;
}

int
vn_open(struct lwp *l, int dirfd, const char *upath, int oflags, mode_t mode,
    struct file **fpp)
{
	struct vnode *vp;
	char *kpath;
	size_t len;
	int fflags, error;
	bool created;

	/* Flag combinations Linux rejects before looking at the path. */
	if ((oflags & __O_TMPFILE) != 0) {
		if ((oflags & O_TMPFILE) != O_TMPFILE ||
		    (oflags & O_CREAT) != 0 ||
		    ((oflags & O_ACCMODE) != O_WRONLY &&
		    (oflags & O_ACCMODE) != O_RDWR))
			return EINVAL;
	} else if ((oflags & (O_DIRECTORY | O_CREAT)) ==
	    (O_DIRECTORY | O_CREAT)) {
		return EINVAL;
	}
	if ((oflags & O_PATH) != 0)
		oflags &= O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	fflags = vn_open_fflags(oflags);

	/* Find the vnode, creating it for O_CREAT. */
	created = false;
	if ((oflags & O_CREAT) != 0) {
		kpath = kmem_alloc(MAXPATHLEN, KM_SLEEP);
		error = copyinstr(upath, kpath, MAXPATHLEN, &len);
		if (error == 0 && kpath[0] == '\0')
			error = ENOENT;
		if (error == 0)
			error = vn_open_create(l, dirfd, kpath, oflags, mode,
			    &vp, &created);
		kmem_free(kpath, MAXPATHLEN);
	} else {
		error = namei(l, dirfd, upath,
		    (oflags & O_NOFOLLOW) != 0 ? 0 : NAMEI_FOLLOW, &vp);
	}
	if (error != 0)
		return error;

	/*
	 * O_TMPFILE: the path names the directory to make the file in.
	 * NOTE: no file system supports unnamed files yet.
	 */
	if ((oflags & __O_TMPFILE) != 0) {
		error = vp->v_type == VDIR ? EOPNOTSUPP : ENOTDIR;
		vrele(vp);
		return error;
	}

	error = vn_open_vnode(l, vp, oflags, fflags, created);
	if (error != 0) {
		vrele(vp);
		return error;
	}

	/* The file takes over the vnode reference. */
	*fpp = file_alloc(DTYPE_VNODE,
	    (oflags & O_PATH) != 0 ? &vnops_path : &vnops, vp, fflags,
	    l->l_cred);
	return 0;
}

/*
 * The fileops of vnode files.
 */

/*
 * I/O flags for VOP_READ and VOP_WRITE from the file flags.  f_flag is
 * read without f_lock: an F_SETFL racing with the I/O may or may not
 * apply to it, as on Linux, and the read path stays free of shared locks.
 */
static int
vn_ioflags(struct file *fp)
{
	int fflag, ioflag;

	fflag = atomic_load_relaxed(&fp->f_flag);

	ioflag = 0;
	if ((fflag & O_NONBLOCK) != 0)
		ioflag |= IO_NDELAY;
	if ((fflag & O_NOATIME) != 0)
		ioflag |= IO_NOATIME;
	if ((fflag & O_APPEND) != 0)
		ioflag |= IO_APPEND;
	if ((fflag & __O_SYNC) != 0)
		ioflag |= IO_SYNC;
	else if ((fflag & O_DSYNC) != 0)
		ioflag |= IO_DSYNC;
	return ioflag;
}

static int
vn_read(struct file *fp, off_t *offp, struct uio *uio, kauth_cred_t cred,
    int flags)
{
	struct vnode *vp = fp->f_data;
	int ioflag, error;

	if (vp->v_type == VDIR)
		return EISDIR;
	ioflag = vn_ioflags(fp) & ~(IO_APPEND | IO_SYNC | IO_DSYNC);

	error = vn_lock(vp, LK_SHARED);
	if (error != 0)
		return error;
	uio->uio_offset = *offp;
	error = VOP_READ(vp, uio, ioflag, cred);
	*offp = uio->uio_offset;
	vn_unlock(vp);
	return error;
}

int
vn_clear_setid(struct vnode *vp, kauth_cred_t cred)
{
	struct vattr va;
	mode_t mode;
	int error;

	error = VOP_GETATTR(vp, &va, cred);
	if (error != 0)
		return error;
	mode = va.va_mode;
	if ((mode & S_ISUID) == 0 &&
	    (mode & (S_ISGID | S_IXGRP)) != (S_ISGID | S_IXGRP))
		return 0;
	mode &= ~S_ISUID;
	if ((mode & S_IXGRP) != 0)
		mode &= ~S_ISGID;
	vattr_null(&va);
	va.va_mode = mode;
	return VOP_SETATTR(vp, &va, cred);
}

static int
vn_write(struct file *fp, off_t *offp, struct uio *uio, kauth_cred_t cred,
    int flags)
{
	struct vnode *vp = fp->f_data;
	int ioflag, error;

	ioflag = vn_ioflags(fp);
	error = vn_lock(vp, LK_EXCLUSIVE);
	if (error != 0)
		return error;

	/* A mount made read-only since the open refuses file data. */
	if (vp->v_type == VREG) {
		error = vfs_writable(vp);
		if (error == 0 && !kauth_cred_privileged(cred))
			error = vn_clear_setid(vp, cred);
		if (error != 0)
			goto out;
	}
	uio->uio_offset = *offp;
	error = VOP_WRITE(vp, uio, ioflag, cred);
	*offp = uio->uio_offset;
out:
	vn_unlock(vp);
	return error;
}

static int
vn_ioctl(struct file *fp, u_long cmd, void *data)
{
	struct vnode *vp = fp->f_data;
	struct vattr va;
	off_t offset;
	int fflag, error;

	switch (vp->v_type) {
	case VREG:
	case VDIR:
	case VLNK:
		/* Linux handles these for files and directories itself. */
		if (cmd == FIOQSIZE) {
			error = vn_getattr(vp, &va, fp->f_cred);
			if (error == 0)
				*(int64_t *)data = (int64_t)va.va_bytes;
			return error;
		}
		if (cmd == FIONREAD && vp->v_type == VREG) {
			error = vn_getattr(vp, &va, fp->f_cred);
			if (error != 0)
				return error;
			mutex_enter(&fp->f_poslock);
			offset = fp->f_offset;
			mutex_exit(&fp->f_poslock);
			*(int *)data = (int)((off_t)va.va_size - offset);
			return 0;
		}
		return ENOTTY;
	default:
		break;
	}

	mutex_enter(&fp->f_lock);
	fflag = fp->f_flag;
	mutex_exit(&fp->f_lock);
	error = vn_lock(vp, LK_SHARED);
	if (error != 0)
		return error;
	error = VOP_IOCTL(vp, cmd, data, fflag, fp->f_cred);
	vn_unlock(vp);
	if (error == EOPNOTSUPP)
		error = ENOTTY;
	return error;
}

static int
vn_poll(struct file *fp, int events, struct lwp *l)
{
	struct vnode *vp = fp->f_data;
	int revents;

	switch (vp->v_type) {
	case VREG:
	case VDIR:
	case VLNK:
		return events & VN_POLL_READY;
	default:
		break;
	}
	if (vn_lock(vp, LK_SHARED) != 0)
		return POLLERR;
	revents = VOP_POLL(vp, events, l);
	vn_unlock(vp);
	return revents;
}

static int
vn_fstat(struct file *fp, struct stat *st)
{
	struct vnode *vp = fp->f_data;
	struct vattr va;
	int error;

	error = vn_getattr(vp, &va, fp->f_cred);
	if (error != 0)
		return error;
	vn_vattr_to_stat(&va, st);
	return 0;
}

/*
 * Advisory locks go to kern_lockf.c; see sys/lockf.h for the kinds.  For
 * POSIX locks owner is the calling process (curproc when NULL); the
 * other kinds belong to fp.
 *
 * NOTE: Linux makes the descriptor table the owner of POSIX locks, so
 * processes sharing a table (RUMP_RFFD_SHARE) would share locks there;
 * here each process owns its own, as the descriptor layer releases them
 * per process.
 */
static int
vn_advlock(struct file *fp, int op, struct flock *fl, void *owner)
{
	struct vnode *vp = fp->f_data;
	struct lockf_request req;
	struct flock whole;
	struct vattr va;
	struct proc *p;
	off_t base;
	int fflag, cmd, error;

	cmd = op & ~(FADV_WAIT | FADV_FLOCK | FADV_OFD);
	memset(&req, 0, sizeof(req));
	if (cmd == FADV_UNLK && fl == NULL) {
		/* A close: every lock of the owner goes, whatever its range. */
		fl = &whole;
		memset(&whole, 0, sizeof(whole));
		whole.l_whence = SEEK_SET;
	}
	req.lr_type = cmd == FADV_UNLK ? F_UNLCK : fl->l_type;
	if (req.lr_type != F_RDLCK && req.lr_type != F_WRLCK &&
	    req.lr_type != F_UNLCK)
		return EINVAL;

	/* flock(2): the open file owns a lock on the whole file. */
	if ((op & FADV_FLOCK) != 0) {
		req.lr_kind = LF_FLOCK;
		req.lr_owner = fp;
		req.lr_start = 0;
		req.lr_end = LF_OFF_MAX;
		if (cmd == FADV_GETLK)
			return EINVAL;
		return lf_setlock(&vp->v_lockf, &req, (op & FADV_WAIT) != 0);
	}

	/* Record locks: POSIX ones belong to the process, OFD ones to fp. */
	if ((op & FADV_OFD) != 0) {
		if (fl->l_pid != 0)
			return EINVAL;
		req.lr_kind = LF_OFD;
		req.lr_owner = fp;
	} else {
		p = owner != NULL ? owner : curproc;
		req.lr_kind = LF_POSIX;
		req.lr_owner = p;
		req.lr_pid = p->p_pid;
	}

	switch (fl->l_whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		mutex_enter(&fp->f_poslock);
		base = fp->f_offset;
		mutex_exit(&fp->f_poslock);
		break;
	case SEEK_END:
		error = vn_getattr(vp, &va, fp->f_cred);
		if (error != 0)
			return error;
		base = (off_t)va.va_size;
		break;
	default:
		return EINVAL;
	}
	error = lf_range(base, fl->l_start, fl->l_len, &req.lr_start,
	    &req.lr_end);
	if (error != 0)
		return error;

	if (cmd == FADV_GETLK) {
		if (req.lr_type == F_UNLCK)
			return EINVAL;
		lf_getlock(&vp->v_lockf, &req, fl);
		return 0;
	}

	/* Setting a lock needs the matching access; unlocking does not. */
	mutex_enter(&fp->f_lock);
	fflag = fp->f_flag;
	mutex_exit(&fp->f_lock);
	if ((req.lr_type == F_RDLCK && (fflag & FREAD) == 0) ||
	    (req.lr_type == F_WRLCK && (fflag & FWRITE) == 0))
		return EBADF;
	return lf_setlock(&vp->v_lockf, &req, (op & FADV_WAIT) != 0);
}

static int
vn_setflags(struct file *fp, int fflag)
{

	return 0;
}

static int
vn_close(struct file *fp)
{
	struct vnode *vp = fp->f_data;
	int error;

	lf_release(&vp->v_lockf, LF_OFD, fp);
	lf_release(&vp->v_lockf, LF_FLOCK, fp);
	lf_release(&vp->v_lockf, LF_POSIX, curproc);

	if ((fp->f_flag & FWRITE) != 0) {
		mutex_enter(&vp->v_interlock);
		KASSERT(vp->v_writecount > 0);
		vp->v_writecount--;
		mutex_exit(&vp->v_interlock);
	}
	error = vn_lock(vp, LK_EXCLUSIVE | LK_RETRY);
	if (error == 0) {
		error = VOP_CLOSE(vp, fp->f_flag, fp->f_cred);
		vn_unlock(vp);
	}
	vrele(vp);
	return error;
}

const struct fileops vnops = {
	.fo_read = vn_read,
	.fo_write = vn_write,
	.fo_ioctl = vn_ioctl,
	.fo_poll = vn_poll,
	.fo_stat = vn_fstat,
	.fo_close = vn_close,
	.fo_advlock = vn_advlock,
	.fo_setflags = vn_setflags,
};

/*
 * O_PATH files: a location and nothing more.  fstat and the path calls
 * that take a descriptor work; everything else is EBADF, and poll
 * reports POLLNVAL, as Linux does.
 */

static int
vn_path_rw(struct file *fp, off_t *offp, struct uio *uio, kauth_cred_t cred,
    int flags)
{

	return EBADF;
}

static int
vn_path_ioctl(struct file *fp, u_long cmd, void *data)
{

	return EBADF;
}

static int
vn_path_poll(struct file *fp, int events, struct lwp *l)
{

	return POLLNVAL;
}

static int
vn_path_close(struct file *fp)
{

	vrele(fp->f_data);
	return 0;
}

static int
vn_path_advlock(struct file *fp, int op, struct flock *fl, void *owner)
{

	return EBADF;
}

static int
vn_path_setflags(struct file *fp, int fflag)
{

	return EBADF;
}

const struct fileops vnops_path = {
	.fo_read = vn_path_rw,
	.fo_write = vn_path_rw,
	.fo_ioctl = vn_path_ioctl,
	.fo_poll = vn_path_poll,
	.fo_stat = vn_fstat,
	.fo_close = vn_path_close,
	.fo_advlock = vn_path_advlock,
	.fo_setflags = vn_path_setflags,
};
