/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Path name lookup.
 *
 * namei resolves a path (in the caller's memory, or the kernel's with
 * NAMEI_KPATH) relative to a directory descriptor or AT_FDCWD, following
 * Linux's rules: absolute paths start at the process root (chroot), ".."
 * at the root stays there and at a mount's root goes to the covered
 * directory's parent, symbolic links are followed in every component but
 * the last (and in the last with NAMEI_FOLLOW), at most 40 links per
 * lookup (ELOOP), a path of PATH_MAX bytes or more or a component over
 * NAME_MAX is ENAMETOOLONG, an empty path is ENOENT unless
 * NAMEI_EMPTYPATH, a trailing slash requires a directory (ENOTDIR), and
 * every directory searched needs execute permission (EACCES).
 *
 * Results are referenced and unlocked.  Lookups use the name cache,
 * which remembers misses too; file systems purge it when they change a
 * directory (cache_purge_name, cache_purge).
 */

#ifndef _SYS_NAMEI_H_
#define _SYS_NAMEI_H_

#include <sys/types.h>
#include <sys/param.h>
#include <sys/mutex.h>

struct vnode;
struct lwp;
struct proc;
struct componentname;

/* namei flags */
#define NAMEI_FOLLOW	0x0001	/* follow a symbolic link at the end */
#define NAMEI_EMPTYPATH	0x0002	/* "" names the directory descriptor */
#define NAMEI_KPATH	0x0004	/* the path is in kernel memory */
#define NAMEI_NOCROSSMOUNT 0x0008 /* do not enter a mount at the end */

/* The whole path: the vnode it names. */
int	namei(struct lwp *, int dirfd, const char *path, int flags,
	    struct vnode **vpp);

/*
 * All but the last component: the directory that holds it, and the
 * last component's name.  For a path that ends at "/" (no last
 * component) np_namelen is 0 and np_dvp is that directory; "." and ".."
 * are returned as names for the caller to reject as the call requires.
 */
struct nameiparent {
	struct vnode	*np_dvp;	/* referenced, unlocked */
	char		 np_name[NAME_MAX + 1];
	size_t		 np_namelen;
	bool		 np_trailingslash;
};
int	namei_parent(struct lwp *, int dirfd, const char *path, int flags,
	    struct nameiparent *);
void	namei_parent_done(struct nameiparent *);

/* Build a componentname for np's last component and credentials. */
void	namei_cn(struct nameiparent *, struct componentname *, struct lwp *);

/*
 * The name cache.  cache_lookup returns 0 with *vpp referenced, ENOENT
 * for a remembered miss, or -1 when it has no entry for the name.
 */
int	cache_lookup(struct vnode *dvp, const char *, size_t,
	    struct vnode **vpp);
void	cache_enter(struct vnode *dvp, struct vnode *vp, const char *,
	    size_t);
void	cache_purge_name(struct vnode *dvp, const char *, size_t);
/* Forget every entry naming vp or inside directory vp. */
void	cache_purge(struct vnode *vp);
/*
 * Copy a cached name of vp in directory dvp to name (NAME_MAX + 1 bytes,
 * NUL-terminated) and return its length, or 0 when none is cached.
 */
size_t	cache_revlookup(struct vnode *vp, struct vnode *dvp, char *name);

/* Set up the name cache; called once by vfsinit. */
void	cache_init(void);

/*
 * Working and root directories of a process.  A process changes its own
 * cwdinfo with chdir(2) and chroot(2) while other lwps of it may read it,
 * so the pointers are read and replaced under cwdi_lock, and a reader
 * takes its own vnode reference before dropping the lock.
 */
struct cwdinfo {
	kmutex_t	 cwdi_lock;
	struct vnode	*cwdi_cdir;	/* referenced */
	struct vnode	*cwdi_rdir;	/* referenced; NULL: rootvnode */
	mode_t		 cwdi_cmask;	/* p_umask when made; umask(2)
					   changes only p_umask, the one
					   to use */
};

/*
 * The working and root directories of p, each referenced for the caller
 * (vrele them); the root is rootvnode unless p is chrooted.
 */
void	cwd_getdirs(struct proc *, struct vnode **cdirp, struct vnode **rdirp);
/*
 * Give proc0 its cwdinfo (root and working directory: rootvnode) and
 * register the process hook that copies it to every new process and
 * releases it at exit.  The VFS faction calls it once the root is
 * mounted.
 */
void	cwd_sys_init(void);

#endif /* _SYS_NAMEI_H_ */
