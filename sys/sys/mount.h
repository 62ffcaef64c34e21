/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Mounts and file system types.
 *
 * A file system type registers a struct vfsops with vfs_register, under
 * its name and any aliases (ext2fs is also "ext2", "ext3" and "ext4").
 * mount(2) makes a struct mount, lets the type's vfs_mount read its source
 * and options, takes its root with vfs_root and puts the mount over the
 * directory it covers (v_mountedhere).  The root file system (rumpfs)
 * covers nothing.
 *
 * Busy counting.  Every operation that reaches a file system through a
 * vnode is safe because the vnode holds a reference on its mount
 * (mnt_refcnt) while it exists.  unmount(2) first marks the mount
 * IMNT_UNMOUNTING, so that path lookups stop entering it, then flushes its
 * vnodes: EBUSY if any is still referenced (except with MNT_FORCE, which
 * revokes them).  MNT_DETACH takes the mount out of the namespace at once
 * and finishes the unmount when the last vnode of it is released.
 *
 * Locking legend: (m) mountlist_lock, (c) fixed at creation, (l) mnt_lock.
 * Lock order: a vnode lock, then mountlist_lock, then mnt_lock.
 */

#ifndef _SYS_MOUNT_H_
#define _SYS_MOUNT_H_

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/mutex.h>
#include <sys/condvar.h>
#include <sys/statfs.h>

struct vnode;
struct lwp;

/* mnt_flag: the MS_* flags that stay with a mount. */
#define MNT_RDONLY	MS_RDONLY
#define MNT_NOSUID	MS_NOSUID
#define MNT_NODEV	MS_NODEV
#define MNT_NOEXEC	MS_NOEXEC
#define MNT_SYNCHRONOUS	MS_SYNCHRONOUS
#define MNT_NOATIME	MS_NOATIME
#define MNT_NODIRATIME	MS_NODIRATIME
#define MNT_RELATIME	MS_RELATIME
#define MNT_PERSISTENT_FLAGS (MNT_RDONLY | MNT_NOSUID | MNT_NODEV | \
	MNT_NOEXEC | MNT_SYNCHRONOUS | MNT_NOATIME | MNT_NODIRATIME | \
	MNT_RELATIME)

/* mnt_iflag */
#define IMNT_UNMOUNTING	0x0001		/* lookups must not enter */
#define IMNT_DETACHED	0x0002		/* out of the namespace (MNT_DETACH) */
#define IMNT_GONE	0x0004		/* unmounted; freed at last ref */
#define IMNT_FINISHING	0x0008		/* a lazy unmount is completing */
#define IMNT_EXPIRE	0x0010		/* umount2 MNT_EXPIRE marked it */
#define IMNT_IDLECHECK	0x0020		/* vfs_detached_idle is checking */
#define IMNT_RECHECK	0x0040		/* check again: a vnode went meanwhile */

struct mount {
	const struct vfsops *mnt_op;		/* (c) */
	struct vnode	*mnt_vnodecovered;	/* (m) referenced; NULL for / */
	struct vnode	*mnt_rootvp;		/* (m) referenced while mounted */
	kmutex_t	 mnt_lock;
	kcondvar_t	 mnt_cv;		/* (l) unmount waits */
	int		 mnt_flag;		/* (l) MNT_* */
	int		 mnt_iflag;		/* (l) IMNT_* */
	u_int		 mnt_refcnt;		/* (l) vnodes and holders */
	u_int		 mnt_busy;		/* (l) vfs_busy holders */
	void		*mnt_data;		/* (c) the file system's */
	dev_t		 mnt_dev;		/* (c) st_dev of its files */
	uint64_t	 mnt_id;		/* (c) statx stx_mnt_id */
	long		 mnt_fstypemagic;	/* (c) statfs f_type */
	char		 mnt_fstype[16];	/* (c) type name as given */
	char		 mnt_source[256];	/* (c) source as given */
	kmutex_t	 mnt_renamelock;	/* serialises renames */
	TAILQ_HEAD(, vnode) mnt_vnodes;		/* vcache lock */
	TAILQ_ENTRY(mount) mnt_list;		/* (m) */
};

/*
 * Operations of a file system type.  Locking: vfs_mount, vfs_unmount and
 * vfs_statfs run with no vnode locked.
 */
struct vfsops {
	const char	*vfs_name;
	const char *const *vfs_aliases;	/* NULL-terminated, or NULL */
	/*
	 * Mount: source is the kernel copy of mount(2)'s source (may be
	 * NULL), options its data as a NUL-terminated string of
	 * comma-separated options (may be NULL).  mp->mnt_flag has the MS_*
	 * flags; with MS_REMOUNT the mount exists already and the call
	 * changes its flags and options.  Fills in mnt_data, mnt_dev and
	 * mnt_fstypemagic.  An unknown option is EINVAL with a log line.
	 */
	int	(*vfs_mount)(struct mount *, const char *source,
		    const char *options, struct lwp *);
	/* Called after vflush emptied the mount; MNT_FORCE in flags. */
	int	(*vfs_unmount)(struct mount *, int flags);
	/* The root directory: referenced, unlocked. */
	int	(*vfs_root)(struct mount *, struct vnode **);
	int	(*vfs_statfs)(struct mount *, struct statfs *);
	/* Write everything back; FSYNC_WAIT in flags waits for it. */
	int	(*vfs_sync)(struct mount *, int flags);
	/*
	 * Fill in a new vnode for key: v_type, v_op, v_data, v_rdev and
	 * VV_ROOT.  ENOENT (or another error) when the file does not exist.
	 */
	int	(*vfs_loadvnode)(struct mount *, struct vnode *, uint64_t key);
	/* Called once when the type is registered, and at kernel halt. */
	void	(*vfs_init)(void);
	void	(*vfs_done)(void);

	LIST_ENTRY(vfsops) vfs_list;	/* vfs registry */
};

int	vfs_register(struct vfsops *);
const struct vfsops *vfs_getopsbyname(const char *);

/*
 * Mount a file system of type fstype over the directory vp (NULL for the
 * root), which the caller holds referenced.  Returns the mount.
 */
int	vfs_mount_at(struct vnode *vp, const char *fstype, const char *source,
	    int flags, const char *options, struct lwp *, struct mount **);
/* Unmount; flags are MNT_FORCE and MNT_DETACH. */
int	vfs_unmount(struct mount *, int flags);
/*
 * A vnode of a lazily unmounted (IMNT_DETACHED) mount was freed: finish
 * the unmount when no vnode of it is referenced any more.  Called by the
 * vnode cache with no lock held and a reference on mp.
 */
void	vfs_detached_idle(struct mount *);
/* Sync every mount (sync(2), and at halt unless RB_NOSYNC). */
void	vfs_sync_all(int flags);

void	vfs_ref(struct mount *);
void	vfs_rele(struct mount *);

/*
 * Keep mp mounted across a call into the file system that no vnode lock
 * protects (vfs_statfs, vfs_sync): an unmount waits for vfs_unbusy.
 * vfs_busy waits while an unmount is in progress and returns EIO once
 * the mount is gone.  A lazily unmounted mount stays usable until the
 * unmount finishes.
 */
int	vfs_busy(struct mount *);
void	vfs_unbusy(struct mount *);

/* Next unused device number for a mount (st_dev of its files). */
dev_t	vfs_alloc_dev(void);

extern kmutex_t mountlist_lock;
extern TAILQ_HEAD(mountlist, mount) mountlist;

/* Generic options parsing: next "name" or "name=value" of a list. */
bool	vfs_getopt(const char **optsp, char *name, size_t namelen,
	    char *value, size_t valuelen);

/*
 * Return EROFS when vp's file system is mounted read-only, else 0.  The
 * system calls check it before any change to a file (write, create,
 * remove, attribute change).  Writing to a device, FIFO or socket node
 * is no change to the file system, so as on Linux the callers skip the
 * check for the data I/O of VCHR, VBLK, VFIFO and VSOCK vnodes.
 */
int	vfs_writable(struct vnode *);

/*
 * statfs(2)'s view of a mount: the file system's vfs_statfs, with f_flags
 * (ST_VALID and the ST_* of mnt_flag), f_fsid (from mnt_dev) and
 * f_frsize filled in where the file system left them zero.
 */
int	vfs_getstatfs(struct mount *, struct statfs *);

/*
 * VFS set-up, run once by the VFS faction at boot.  vfsinit (vfs_init.c)
 * initialises the vnode and name caches, the mount list and the halt
 * hook.  The faction then lets the file system components register
 * (vfs_register), mounts the root file system with vfs_mountroot (which
 * sets rootvnode) and calls cwd_sys_init.
 */
void	vfsinit(void);
void	vfs_mount_sysinit(void);
int	vfs_mountroot(const char *fstype);

/*
 * Disk file systems: the block device that a mount's source names.
 * vfs_opendev looks source up (a kernel string, followed as namei
 * does) and requires a block device node (ENOTBLK otherwise, ENXIO when
 * no driver has it).  It opens the device for reading and, unless
 * rdonly, for writing, and claims it for mp, returning EBUSY while
 * another mount has it open.  *devvpp is
 * referenced and unlocked.  vfs_closedev flushes nothing; the file
 * system calls bflush and binvalall first.  vfs_devsize gives the size
 * in bytes and the sector size (512 or 4096).  vfs_devsetrw reopens the
 * device for writing (or back to read-only) at a remount.
 */
int	vfs_opendev(struct mount *mp, const char *source, bool rdonly,
	    struct vnode **devvpp);
void	vfs_closedev(struct mount *mp, struct vnode *devvp);
int	vfs_devsize(struct vnode *devvp, uint64_t *sizep, u_int *secsizep);
int	vfs_devsetrw(struct vnode *devvp, bool rw);

#endif /* _SYS_MOUNT_H_ */
