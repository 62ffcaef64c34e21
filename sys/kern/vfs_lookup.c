/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Path name lookup: namei and namei_parent (sys/namei.h), with Linux's
 * path resolution rules as path_resolution(7) describes them and as
 * Linux 6.x behaves:
 *
 *  - A path of PATH_MAX (4096) bytes or more, NUL included, is
 *    ENAMETOOLONG; so is a component longer than NAME_MAX (255), but
 *    only once the walk reaches it (a missing directory before it gives
 *    ENOENT).
 *  - "" is ENOENT, unless NAMEI_EMPTYPATH makes it name the directory
 *    descriptor (or the working directory for AT_FDCWD).
 *  - An absolute path starts at the process root and ignores dirfd.  A
 *    relative one starts at the working directory (AT_FDCWD) or at
 *    dirfd, which must be open (EBADF) and a directory (ENOTDIR).
 *  - Slashes in a row count as one; "//" is "/".
 *  - Before each component, the directory it is looked up in must be a
 *    directory (ENOTDIR) that the caller may search (EACCES), "." and
 *    ".." included.
 *  - ".." at the process root stays there; at the root of a mount it
 *    goes to the parent of the covered directory.
 *  - A directory that a mount covers is replaced by the mount's root,
 *    except at the end with NAMEI_NOCROSSMOUNT; mounts being unmounted
 *    are not entered.
 *  - Symbolic links are followed in every component but the last, in the
 *    last with NAMEI_FOLLOW, and always when a slash follows.  Each link
 *    followed counts; the 41st in one lookup is ELOOP.  An absolute
 *    target restarts at the process root; an empty target is ENOENT.
 *  - A trailing slash requires the result to be a directory (ENOTDIR).
 *
 * The walk holds the current directory referenced and unlocked between
 * components and locks it shared only to check permission and look up one
 * name, so it never holds two vnode locks.  The name cache is consulted
 * before the file system, and hits and misses are entered in it while the
 * directory is still locked, so a concurrent create or remove (which locks
 * the directory exclusive and purges the name) cannot leave a stale entry.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mount.h>
#include <sys/mutex.h>
#include <sys/namei.h>
#include <sys/proc.h>
#include <sys/uio.h>
#include <sys/vnode.h>

/* Linux's limit of symbolic links followed in one lookup. */
#define MAXSYMLINKS	40

/* State of one lookup. */
struct nameidata {
	struct lwp	*nd_lwp;
	kauth_cred_t	 nd_cred;
	int		 nd_flags;	/* NAMEI_* */
	struct vnode	*nd_root;	/* process root, referenced */
	struct vnode	*nd_cur;	/* current directory, referenced */
	char		*nd_buf;	/* the path left to resolve, kmem */
	size_t		 nd_bufsize;	/* bytes allocated at nd_buf */
	const char	*nd_next;	/* next byte to parse in nd_buf */
	int		 nd_nlinks;	/* symbolic links followed so far */
};

static void
nd_setcur(struct nameidata *nd, struct vnode *vp)
{

	if (nd->nd_cur != NULL)
		vrele(nd->nd_cur);
	nd->nd_cur = vp;
}

static void
nd_free(struct nameidata *nd)
{

	if (nd->nd_cur != NULL)
		vrele(nd->nd_cur);
	if (nd->nd_root != NULL)
		vrele(nd->nd_root);
	if (nd->nd_buf != NULL)
		kmem_free(nd->nd_buf, nd->nd_bufsize);
}

/*
 * Return the vnode of directory descriptor dirfd, referenced: of any type
 * with anytype (NAMEI_EMPTYPATH on ""), otherwise a directory.  Pipes and
 * sockets have no vnode, so their descriptors are ENOTDIR.
 */
static int
nd_dirfd_vnode(int dirfd, bool anytype, struct vnode **vpp)
{
	struct file *fp;
	struct vnode *vp;

	fp = fd_getfile(dirfd);
	if (fp == NULL)
		return EBADF;
	if (fp->f_type != DTYPE_VNODE) {
		fd_putfile(fp);
		return ENOTDIR;
	}
	vp = fp->f_data;
	vref(vp);
	fd_putfile(fp);
	if (!anytype && vp->v_type != VDIR) {
		vrele(vp);
		return ENOTDIR;
	}
	*vpp = vp;
	return 0;
}

/*
 * Copy the path in and find where the walk starts.  Returns 0 with
 * *emptyp set when the path is "" and NAMEI_EMPTYPATH allows it, and
 * then the start vnode is the result.
 */
static int
nd_start(struct nameidata *nd, struct lwp *l, int dirfd, const char *path,
    int flags, bool *emptyp)
{
	struct vnode *cdir, *rdir;
	int error;

	memset(nd, 0, sizeof(*nd));
	nd->nd_lwp = l;
	nd->nd_cred = l->l_cred;
	nd->nd_flags = flags;
	*emptyp = false;

	nd->nd_bufsize = MAXPATHLEN;
	nd->nd_buf = kmem_alloc(nd->nd_bufsize, KM_SLEEP);
	if (flags & NAMEI_KPATH)
		error = copystr(path, nd->nd_buf, MAXPATHLEN, NULL);
	else
		error = copyinstr(path, nd->nd_buf, MAXPATHLEN, NULL);
	if (error)
		return error;
	nd->nd_next = nd->nd_buf;
	if (nd->nd_buf[0] == '\0') {
		if (!(flags & NAMEI_EMPTYPATH))
			return ENOENT;
		*emptyp = true;
	}

	cwd_getdirs(l->l_proc, &cdir, &rdir);
	if (rdir == NULL) {
		/* No root file system yet. */
		return ENOENT;
	}
	nd->nd_root = rdir;

	if (nd->nd_buf[0] == '/') {
		vrele(cdir);
		vref(rdir);
		nd->nd_cur = rdir;
		return 0;
	}
	if (dirfd == AT_FDCWD) {
		nd->nd_cur = cdir;
		return 0;
	}
	vrele(cdir);
	return nd_dirfd_vnode(dirfd, *emptyp, &nd->nd_cur);
}

/*
 * Replace *vpp, a referenced directory, by the root of the mount on it,
 * repeatedly for stacked mounts.  Mounts being unmounted are skipped.
 */
static void
nd_cross_down(struct vnode **vpp)
{
	struct vnode *vp = *vpp, *rvp;
	struct mount *mp;

	while (vp->v_type == VDIR) {
		vn_lock(vp, LK_SHARED | LK_RETRY);
		mp = vp->v_mountedhere;
		if (mp == NULL) {
			vn_unlock(vp);
			break;
		}
		/* Under mnt_lock, unmount cannot have released the root. */
		mutex_enter(&mp->mnt_lock);
		if (mp->mnt_iflag &
		    (IMNT_UNMOUNTING | IMNT_DETACHED | IMNT_GONE)) {
			mutex_exit(&mp->mnt_lock);
			vn_unlock(vp);
			break;
		}
		rvp = mp->mnt_rootvp;
		vref(rvp);
		mutex_exit(&mp->mnt_lock);
		vn_unlock(vp);
		vrele(vp);
		vp = rvp;
	}
	*vpp = vp;
}

/*
 * "..": the parent of nd_cur, referenced, in *vpp.  At the process root
 * that is the root itself; at the root of a mount, the walk first moves
 * to the covered directory (the search permission was checked on the
 * directory ".." was looked up in, as Linux does).
 */
static int
nd_dotdot(struct nameidata *nd, struct vnode **vpp)
{
	struct componentname cn;
	struct vnode *vp = nd->nd_cur, *covered;
	int error;

	for (;;) {
		if (vp == nd->nd_root || !(vp->v_vflag & VV_ROOT))
			break;
		mutex_enter(&mountlist_lock);
		covered = vp->v_mount->mnt_vnodecovered;
		if (covered != NULL)
			vref(covered);
		mutex_exit(&mountlist_lock);
		if (covered == NULL)
			break;		/* the top of its tree */
		nd_setcur(nd, covered);
		vp = covered;
	}
	if (vp == nd->nd_root || ((vp->v_vflag & VV_ROOT) &&
	    vp->v_mount->mnt_vnodecovered == NULL)) {
		vref(vp);
		*vpp = vp;
		return 0;
	}

	error = vn_lock(vp, LK_SHARED);
	if (error)
		return ENOENT;
	cn.cn_nameptr = "..";
	cn.cn_namelen = 2;
	cn.cn_cred = nd->nd_cred;
	error = VOP_LOOKUP(vp, &cn, vpp);
	vn_unlock(vp);
	return error;
}

/*
 * Look up the component name in nd_cur, which the caller locked shared
 * and may search: the name cache first, then the file system.
 */
static int
nd_lookup_name(struct nameidata *nd, const char *name, size_t namelen,
    struct vnode **vpp)
{
	struct componentname cn;
	struct vnode *dvp = nd->nd_cur;
	int error;

	error = cache_lookup(dvp, name, namelen, vpp);
	if (error != -1)
		return error;

	cn.cn_nameptr = name;
	cn.cn_namelen = namelen;
	cn.cn_cred = nd->nd_cred;
	error = VOP_LOOKUP(dvp, &cn, vpp);
	if (error == 0)
		cache_enter(dvp, *vpp, name, namelen);
	else if (error == ENOENT)
		cache_enter(dvp, NULL, name, namelen);
	return error;
}

/*
 * Read the target of symbolic link vp and put it in front of what is left
 * of the path, rest (which starts at the slash after the link's
 * component, so a trailing slash stays).
 */
static int
nd_follow(struct nameidata *nd, struct vnode *vp, const char *rest)
{
	struct iovec iov;
	struct uio uio;
	char *target, *newbuf;
	size_t targetlen, restlen, newsize;
	int error;

	if (++nd->nd_nlinks > MAXSYMLINKS)
		return ELOOP;

	target = kmem_alloc(MAXPATHLEN, KM_SLEEP);
	uio_init_kernel(&uio, &iov, target, MAXPATHLEN, 0, UIO_READ);
	error = vn_lock(vp, LK_SHARED);
	if (error) {
		error = ENOENT;
		goto out;
	}
	error = VOP_READLINK(vp, &uio, nd->nd_cred);
	vn_unlock(vp);
	if (error)
		goto out;
	targetlen = MAXPATHLEN - uio.uio_resid;
	if (targetlen == 0) {
		error = ENOENT;
		goto out;
	}
	if (targetlen == MAXPATHLEN) {
		error = ENAMETOOLONG;
		goto out;
	}

	restlen = strlen(rest);
	newsize = targetlen + restlen + 1;
	newbuf = kmem_alloc(newsize, KM_SLEEP);
	memcpy(newbuf, target, targetlen);
	memcpy(newbuf + targetlen, rest, restlen + 1);
	kmem_free(nd->nd_buf, nd->nd_bufsize);
	nd->nd_buf = newbuf;
	nd->nd_bufsize = newsize;
	nd->nd_next = newbuf;

	if (newbuf[0] == '/') {
		vref(nd->nd_root);
		nd_setcur(nd, nd->nd_root);
	}
 out:
	kmem_free(target, MAXPATHLEN);
	return error;
}

/*
 * Walk the path from nd_cur.  Without np, resolve it all and return the
 * vnode in *vpp.  With np, stop before the last component and return its
 * directory and name there.
 */
static int
nd_walk(struct nameidata *nd, struct vnode **vpp, struct nameiparent *np)
{
	const char *comp, *end, *rest;
	struct vnode *next;
	size_t len;
	bool last, trailing, follow;
	int error;

	for (;;) {
		/* Skip slashes; a path that ends here names nd_cur. */
		while (*nd->nd_next == '/')
			nd->nd_next++;
		if (*nd->nd_next == '\0') {
			if (np != NULL) {
				np->np_namelen = 0;
				np->np_name[0] = '\0';
				np->np_trailingslash = false;
				np->np_dvp = nd->nd_cur;
			} else
				*vpp = nd->nd_cur;
			nd->nd_cur = NULL;
			return 0;
		}

		comp = nd->nd_next;
		for (end = comp; *end != '\0' && *end != '/'; end++)
			continue;
		len = end - comp;
		for (rest = end; *rest == '/'; rest++)
			continue;
		last = *rest == '\0';
		trailing = last && rest != end;
		nd->nd_next = end;

		if (nd->nd_cur->v_type != VDIR)
			return ENOTDIR;
		error = vn_lock(nd->nd_cur, LK_SHARED);
		if (error)
			return ENOENT;
		error = VOP_ACCESS(nd->nd_cur, VEXEC, nd->nd_cred);
		if (error == 0 && len > NAME_MAX)
			error = ENAMETOOLONG;
		if (error) {
			vn_unlock(nd->nd_cur);
			return error;
		}

		if (last && np != NULL) {
			vn_unlock(nd->nd_cur);
			memcpy(np->np_name, comp, len);
			np->np_name[len] = '\0';
			np->np_namelen = len;
			np->np_trailingslash = trailing;
			np->np_dvp = nd->nd_cur;
			nd->nd_cur = NULL;
			return 0;
		}

		if (len == 1 && comp[0] == '.') {
			vn_unlock(nd->nd_cur);
			next = nd->nd_cur;
			vref(next);
		} else if (len == 2 && comp[0] == '.' && comp[1] == '.') {
			vn_unlock(nd->nd_cur);
			error = nd_dotdot(nd, &next);
			if (error)
				return error;
			nd_cross_down(&next);
		} else {
			error = nd_lookup_name(nd, comp, len, &next);
			vn_unlock(nd->nd_cur);
			if (error)
				return error;
			if (!last || !(nd->nd_flags & NAMEI_NOCROSSMOUNT))
				nd_cross_down(&next);
		}

		follow = !last || trailing || (nd->nd_flags & NAMEI_FOLLOW);
		if (next->v_type == VLNK && follow) {
			error = nd_follow(nd, next, end);
			vrele(next);
			if (error)
				return error;
			continue;
		}

		if (!last) {
			nd_setcur(nd, next);
			continue;
		}
		if (trailing && next->v_type != VDIR) {
			vrele(next);
			return ENOTDIR;
		}
		*vpp = next;
		return 0;
	}
}

int
namei(struct lwp *l, int dirfd, const char *path, int flags,
    struct vnode **vpp)
{
	struct nameidata nd;
	bool empty;
	int error;

	error = nd_start(&nd, l, dirfd, path, flags, &empty);
	if (error == 0 && empty) {
		*vpp = nd.nd_cur;
		nd.nd_cur = NULL;
	} else if (error == 0)
		error = nd_walk(&nd, vpp, NULL);
	nd_free(&nd);
	return error;
}

int
namei_parent(struct lwp *l, int dirfd, const char *path, int flags,
    struct nameiparent *np)
{
	struct nameidata nd;
	bool empty;
	int error;

	np->np_dvp = NULL;
	error = nd_start(&nd, l, dirfd, path, flags & ~NAMEI_EMPTYPATH,
	    &empty);
	if (error == 0)
		error = nd_walk(&nd, NULL, np);
	nd_free(&nd);
	return error;
}

void
namei_parent_done(struct nameiparent *np)
{

	if (np->np_dvp != NULL) {
		vrele(np->np_dvp);
		np->np_dvp = NULL;
	}
}

void
namei_cn(struct nameiparent *np, struct componentname *cnp, struct lwp *l)
{

	cnp->cn_nameptr = np->np_name;
	cnp->cn_namelen = np->np_namelen;
	cnp->cn_cred = l->l_cred;
}
