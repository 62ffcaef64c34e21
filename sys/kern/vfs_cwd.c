/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Working and root directories of processes (struct cwdinfo in
 * sys/namei.h), and the system calls that use them: chdir, fchdir,
 * chroot and getcwd.
 *
 * Every process has a cwdinfo from creation to exit.  proc0 gets one when
 * the root file system is mounted; a new process gets a copy of its
 * parent's, with references of its own on both directories (a rump kernel
 * has no CLONE_FS, so nothing is shared), and exit releases it.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/dirent.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mount.h>
#include <sys/mutex.h>
#include <sys/namei.h>
#include <sys/poll.h>		/* fd_set, which syscallargs.h uses */
#include <sys/proc.h>
#include <sys/syscallargs.h>
#include <sys/uio.h>
#include <sys/vnode.h>

/* Bytes of directory entries read at a time while searching for a name. */
#define GETCWD_DIRBUFSIZE	4096

static struct cwdinfo *
cwdinfo_alloc(struct vnode *cdir, struct vnode *rdir, mode_t cmask)
{
	struct cwdinfo *cwdi;

	cwdi = kmem_zalloc(sizeof(*cwdi), KM_SLEEP);
	mutex_init(&cwdi->cwdi_lock, MUTEX_DEFAULT, IPL_NONE);
	cwdi->cwdi_cdir = cdir;
	cwdi->cwdi_rdir = rdir;
	cwdi->cwdi_cmask = cmask;
	return cwdi;
}

static int
cwd_fork(struct proc *parent, struct proc *child, int flags)
{
	struct cwdinfo *pc = parent->p_cwdi;
	struct vnode *cdir, *rdir;
	mode_t cmask;

	if (pc == NULL) {
		/* Only before the root is mounted; nothing to copy. */
		child->p_cwdi = NULL;
		return 0;
	}
	mutex_enter(&pc->cwdi_lock);
	cdir = pc->cwdi_cdir;
	rdir = pc->cwdi_rdir;
	cmask = pc->cwdi_cmask;
	vref(cdir);
	if (rdir != NULL)
		vref(rdir);
	mutex_exit(&pc->cwdi_lock);
	child->p_cwdi = cwdinfo_alloc(cdir, rdir, cmask);
	return 0;
}

static void
cwd_exit(struct proc *p)
{
	struct cwdinfo *cwdi = p->p_cwdi;

	if (cwdi == NULL)
		return;
	p->p_cwdi = NULL;
	vrele(cwdi->cwdi_cdir);
	if (cwdi->cwdi_rdir != NULL)
		vrele(cwdi->cwdi_rdir);
	mutex_destroy(&cwdi->cwdi_lock);
	kmem_free(cwdi, sizeof(*cwdi));
}

static const struct proc_hook cwd_hook = {
	.ph_fork = cwd_fork,
	.ph_exit = cwd_exit,
};

void
cwd_sys_init(void)
{

	KASSERT(rootvnode != NULL);
	vref(rootvnode);
	proc0.p_cwdi = cwdinfo_alloc(rootvnode, NULL, proc0.p_umask);
	if (proc_hook_register(&cwd_hook) < 0)
		panic("cwd_sys_init: no free process hook slot");
}

void
cwd_getdirs(struct proc *p, struct vnode **cdirp, struct vnode **rdirp)
{
	struct cwdinfo *cwdi = p->p_cwdi;
	struct vnode *cdir, *rdir;

	if (cwdi == NULL) {
		/* Before cwd_sys_init: everything is at the root, if any. */
		cdir = rdir = rootvnode;
		if (rootvnode != NULL) {
			vref(rootvnode);
			vref(rootvnode);
		}
		*cdirp = cdir;
		*rdirp = rdir;
		return;
	}
	mutex_enter(&cwdi->cwdi_lock);
	cdir = cwdi->cwdi_cdir;
	rdir = cwdi->cwdi_rdir != NULL ? cwdi->cwdi_rdir : rootvnode;
	vref(cdir);
	vref(rdir);
	mutex_exit(&cwdi->cwdi_lock);
	*cdirp = cdir;
	*rdirp = rdir;
}

/* Check that vp is a directory the caller may search; 0 or an errno. */
static int
cwd_checkdir(struct vnode *vp, kauth_cred_t cred)
{
	int error;

	if (vp->v_type != VDIR)
		return ENOTDIR;
	error = vn_lock(vp, LK_SHARED);
	if (error)
		return ENOENT;
	error = VOP_ACCESS(vp, VEXEC, cred);
	vn_unlock(vp);
	return error;
}

/* Make vp (referenced; the reference moves) the working directory. */
static void
cwd_setcdir(struct proc *p, struct vnode *vp)
{
	struct cwdinfo *cwdi = p->p_cwdi;
	struct vnode *old;

	mutex_enter(&cwdi->cwdi_lock);
	old = cwdi->cwdi_cdir;
	cwdi->cwdi_cdir = vp;
	mutex_exit(&cwdi->cwdi_lock);
	vrele(old);
}

int
sys_chdir(struct lwp *l, const struct sys_chdir_args *uap,
    register_t *retval)
{
	struct vnode *vp;
	int error;

	error = namei(l, AT_FDCWD, SCARG(uap, path), NAMEI_FOLLOW, &vp);
	if (error)
		return error;
	error = cwd_checkdir(vp, l->l_cred);
	if (error) {
		vrele(vp);
		return error;
	}
	cwd_setcdir(l->l_proc, vp);
	return 0;
}

int
sys_fchdir(struct lwp *l, const struct sys_fchdir_args *uap,
    register_t *retval)
{
	struct file *fp;
	struct vnode *vp;
	int error;

	fp = fd_getfile(SCARG(uap, fd));
	if (fp == NULL)
		return EBADF;
	if (fp->f_type != DTYPE_VNODE) {
		fd_putfile(fp);
		return ENOTDIR;
	}
	vp = fp->f_data;
	vref(vp);
	fd_putfile(fp);

	error = cwd_checkdir(vp, l->l_cred);
	if (error) {
		vrele(vp);
		return error;
	}
	cwd_setcdir(l->l_proc, vp);
	return 0;
}

/*
 * chroot(2): Linux looks the path up (a non-directory is ENOTDIR), checks
 * search permission and only then privilege, so an unprivileged caller
 * learns ENOENT, ENOTDIR and EACCES before EPERM.  The working directory
 * stays where it is, possibly outside the new root.
 */
int
sys_chroot(struct lwp *l, const struct sys_chroot_args *uap,
    register_t *retval)
{
	struct cwdinfo *cwdi = l->l_proc->p_cwdi;
	struct vnode *vp, *old;
	int error;

	error = namei(l, AT_FDCWD, SCARG(uap, path), NAMEI_FOLLOW, &vp);
	if (error)
		return error;
	error = cwd_checkdir(vp, l->l_cred);
	if (error == 0 && !kauth_cred_privileged(l->l_cred))
		error = EPERM;
	if (error) {
		vrele(vp);
		return error;
	}

	mutex_enter(&cwdi->cwdi_lock);
	old = cwdi->cwdi_rdir;
	cwdi->cwdi_rdir = vp;
	mutex_exit(&cwdi->cwdi_lock);
	if (old != NULL)
		vrele(old);
	return 0;
}

/* ------------------------------------------------------------------ */
/* getcwd */

/*
 * The path under construction, filled from the end of a MAXPATHLEN
 * buffer towards its start.
 */
struct cwdpath {
	char	*cp_buf;
	char	*cp_start;	/* first byte of the path so far */
};

static int
cwdpath_prepend(struct cwdpath *cp, const char *s, size_t len)
{

	if ((size_t)(cp->cp_start - cp->cp_buf) < len)
		return ENAMETOOLONG;
	cp->cp_start -= len;
	memcpy(cp->cp_start, s, len);
	return 0;
}

/*
 * Search directory dvp for an entry with inode number fileid other than
 * "." and "..": its name goes to name (NAME_MAX + 1 bytes).  ENOENT when
 * there is none.  No permission is needed, as on Linux.
 */
static int
getcwd_scandir(struct vnode *dvp, ino_t fileid, char *name,
    kauth_cred_t cred)
{
	struct linux_dirent64 *d;
	struct iovec iov;
	struct uio uio;
	char *dirbuf;
	off_t off = 0;
	size_t got, pos, namelen;
	int eof, error;

	dirbuf = kmem_alloc(GETCWD_DIRBUFSIZE, KM_SLEEP);
	error = vn_lock(dvp, LK_SHARED);
	if (error) {
		error = ENOENT;
		goto out;
	}
	for (;;) {
		eof = 0;
		uio_init_kernel(&uio, &iov, dirbuf, GETCWD_DIRBUFSIZE, off,
		    UIO_READ);
		error = VOP_READDIR(dvp, &uio, cred, &eof);
		if (error)
			break;
		got = GETCWD_DIRBUFSIZE - uio.uio_resid;
		if (got == 0) {
			error = ENOENT;
			break;
		}
		for (pos = 0; pos < got; pos += d->d_reclen) {
			d = (struct linux_dirent64 *)(dirbuf + pos);
			if (d->d_reclen == 0 || pos + d->d_reclen > got) {
				error = EIO;
				goto unlock;
			}
			namelen = strnlen(d->d_name, d->d_reclen -
			    offsetof(struct linux_dirent64, d_name));
			if (d->d_ino != fileid || namelen > NAME_MAX ||
			    (namelen == 1 && d->d_name[0] == '.') ||
			    (namelen == 2 && d->d_name[0] == '.' &&
			    d->d_name[1] == '.'))
				continue;
			memcpy(name, d->d_name, namelen);
			name[namelen] = '\0';
			goto unlock;
		}
		off = uio.uio_offset;
		if (eof) {
			error = ENOENT;
			break;
		}
	}
 unlock:
	vn_unlock(dvp);
 out:
	kmem_free(dirbuf, GETCWD_DIRBUFSIZE);
	return error;
}

/* Attributes of vp, locking it shared. */
static int
getcwd_getattr(struct vnode *vp, struct vattr *va, kauth_cred_t cred)
{
	int error;

	error = vn_lock(vp, LK_SHARED);
	if (error)
		return ENOENT;
	error = VOP_GETATTR(vp, va, cred);
	vn_unlock(vp);
	return error;
}

/*
 * Build the path of the working directory cdir relative to rdir in cp,
 * walking ".." upwards and finding each directory's name in its parent.
 * A directory not below rdir is ENOENT (see sys_getcwd).
 */
static int
getcwd_build(struct vnode *cdir, struct vnode *rdir, struct cwdpath *cp,
    kauth_cred_t cred)
{
	struct componentname cn;
	struct vattr va;
	struct vnode *vp, *parent, *covered;
	char *name;
	size_t namelen;
	int error;

	/* A removed directory has no path. */
	error = getcwd_getattr(cdir, &va, cred);
	if (error)
		return error;
	if (va.va_nlink == 0)
		return ENOENT;

	name = kmem_alloc(NAME_MAX + 1, KM_SLEEP);
	vp = cdir;
	vref(vp);
	while (vp != rdir) {
		/* At the root of a mount, continue from the covered dir. */
		if (vp->v_vflag & VV_ROOT) {
			mutex_enter(&mountlist_lock);
			covered = vp->v_mount->mnt_vnodecovered;
			if (covered != NULL)
				vref(covered);
			mutex_exit(&mountlist_lock);
			if (covered == NULL) {
				error = ENOENT;
				break;
			}
			vrele(vp);
			vp = covered;
			continue;
		}

		error = getcwd_getattr(vp, &va, cred);
		if (error)
			break;
		error = vn_lock(vp, LK_SHARED);
		if (error) {
			error = ENOENT;
			break;
		}
		cn.cn_nameptr = "..";
		cn.cn_namelen = 2;
		cn.cn_cred = cred;
		error = VOP_LOOKUP(vp, &cn, &parent);
		vn_unlock(vp);
		if (error)
			break;

		namelen = cache_revlookup(vp, parent, name);
		if (namelen == 0) {
			error = getcwd_scandir(parent, va.va_fileid, name,
			    cred);
			if (error == 0)
				namelen = strlen(name);
		}
		if (error == 0)
			error = cwdpath_prepend(cp, name, namelen);
		if (error == 0)
			error = cwdpath_prepend(cp, "/", 1);
		vrele(vp);
		vp = parent;
		if (error)
			break;
	}
	vrele(vp);
	kmem_free(name, NAME_MAX + 1);
	if (error)
		return error;

	if (cp->cp_start == cp->cp_buf + MAXPATHLEN - 1)
		error = cwdpath_prepend(cp, "/", 1);
	return error;
}

/*
 * getcwd(2) with the C library's interface: the path goes to buf and the
 * call returns buf.  Errors as glibc (2.27 and later) over Linux gives
 * them: EINVAL for a size of 0, ENOENT when the working directory was
 * removed, ERANGE when the path and its NUL do not fit, EFAULT for a bad
 * buf.  A working directory outside the process root is ENOENT too: the
 * Linux system call returns "(unreachable)" and the path from the top of
 * the tree there, which glibc rejects because it is not absolute.  A path
 * longer than PATH_MAX is ENAMETOOLONG.
 */
int
sys_getcwd(struct lwp *l, const struct sys_getcwd_args *uap,
    register_t *retval)
{
	struct cwdpath cp;
	struct vnode *cdir, *rdir;
	size_t len;
	int error;

	if (SCARG(uap, size) == 0)
		return EINVAL;

	cwd_getdirs(l->l_proc, &cdir, &rdir);
	if (cdir == NULL)
		return ENOENT;
	cp.cp_buf = kmem_alloc(MAXPATHLEN, KM_SLEEP);
	cp.cp_start = cp.cp_buf + MAXPATHLEN - 1;
	*cp.cp_start = '\0';
	error = getcwd_build(cdir, rdir, &cp, l->l_cred);
	vrele(cdir);
	vrele(rdir);
	if (error)
		goto out;

	len = cp.cp_buf + MAXPATHLEN - cp.cp_start;	/* NUL included */
	if (len > SCARG(uap, size)) {
		error = ERANGE;
		goto out;
	}
	error = copyout(cp.cp_start, SCARG(uap, buf), len);
	if (error == 0)
		retval[0] = (register_t)(uintptr_t)SCARG(uap, buf);
 out:
	kmem_free(cp.cp_buf, MAXPATHLEN);
	return error;
}
