/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Private interface between the vnode file operations (vfs_vnops.c) and
 * the path system calls (vfs_syscalls*.c).  Nothing outside those files
 * includes it.
 */

#ifndef _KERN_VFS_SYSCALLS_H_
#define _KERN_VFS_SYSCALLS_H_

#include <sys/types.h>
#include <sys/kauth.h>

struct file;
struct lwp;
struct nameiparent;
struct stat;
struct statx;
struct vattr;
struct vnode;

/* The fileops of DTYPE_VNODE files, and of O_PATH opens of any vnode. */
extern const struct fileops vnops;
extern const struct fileops vnops_path;

/*
 * open(2) and openat(2): resolve upath (in the caller's memory) relative
 * to dirfd, create the file if the flags ask for it, check permissions,
 * open and truncate it, and return a new file with one reference.  mode
 * is the creation mode before the umask.
 */
int	vn_open(struct lwp *, int dirfd, const char *upath, int oflags,
	    mode_t mode, struct file **fpp);

/* VOP_GETATTR with vp locked shared for the call. */
int	vn_getattr(struct vnode *, struct vattr *, kauth_cred_t);

/* struct stat of stat(2), and struct statx for the statx(2) mask. */
void	vn_vattr_to_stat(const struct vattr *, struct stat *);
void	vn_vattr_to_statx(struct vnode *, const struct vattr *,
	    unsigned int mask, struct statx *);

/*
 * Clear S_ISUID, and S_ISGID when group-executable, of the regular file
 * vp (locked exclusive), as Linux does on a write or truncate by an
 * unprivileged caller.
 */
int	vn_clear_setid(struct vnode *, kauth_cred_t);

/* The caller's umask. */
mode_t	vn_cmask(struct lwp *);

/*
 * The vnode file behind descriptor fd, with a reference on the file that
 * the caller drops with fd_putfile.  EBADF when fd is not open, or is an
 * O_PATH descriptor and allowpath is false; nottype (an errno) when it is
 * not a vnode file.
 */
int	fd_getvnode(int fd, bool allowpath, int nottype, struct file **fpp,
	    struct vnode **vpp);

/*
 * Look up the last component of np in its directory, which the caller
 * holds locked: 0 with *vpp referenced and unlocked, or ENOENT.  The
 * name must not be empty, "." or "..".  Search permission on the
 * directory is namei_parent's check, so it is not repeated here.
 */
int	vn_lookup_last(struct nameiparent *, struct lwp *, struct vnode **vpp);

/* True when name (namelen bytes) is "." or "..". */
bool	vn_name_isdot(const char *name, size_t namelen);

#endif /* _KERN_VFS_SYSCALLS_H_ */
