/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Vnodes: the VFS's handle on a file of any file system.
 *
 * Life cycle.  A vnode is in one of these states (v_state):
 *
 *	VS_LOADING	just made by vcache_get; the file system's loadvnode
 *			is filling it in.  Others who find it wait.
 *	VS_ACTIVE	usable.  v_usecount counts the references; at zero
 *			the vnode sits on the free list (LRU), still cached,
 *			until it is used again or recycled.
 *	VS_RECLAIMING	being detached from its file (VOP_RECLAIM runs).
 *	VS_RECLAIMED	detached: v_op is the dead ops vector, whose
 *			operations fail with EBADF or ENOENT; the memory is
 *			freed when the last reference goes.
 *
 * vcache_get(mp, key) finds the vnode of a file by mount and key (inode
 * number, or any 64-bit identity the file system chooses), making and
 * loading it if needed, and returns it referenced.  vref adds a reference
 * to a vnode already referenced; vrele drops one.  When the last
 * reference goes, VOP_INACTIVE runs with the vnode locked.  When the file
 * system asks for the vnode to go at once (an unlinked file), it is
 * reclaimed and freed; otherwise it goes to the free list.  The
 * vnode count is bounded by kern.maxvnodes (default 8192, or RUMP_NVNODES):
 * past it, or when the kernel is short of memory, the least recently used
 * free vnodes are reclaimed.  vgone reclaims a vnode that is still
 * referenced (forced unmount, revoked etfs key); its holders then see the
 * dead ops.
 *
 * Locking.  v_interlock (a mutex) protects v_state, v_iflag and the moves
 * of v_usecount between 0 and 1.  vfs_vnode.c holds its cache lock too for
 * all of these changes but one: a loaded vnode becomes VS_ACTIVE under
 * v_interlock alone.  The comment above struct vnode gives the rules for
 * v_usecount.  v_lock (a reader/writer lock, taken with
 * vn_lock) serialises the file system's operations on the file: readers
 * take it shared, anything that changes the file or its directory entries
 * takes it exclusive.  Lock order: the vnode lock of a directory before
 * those of its entries, except that lookup never holds two vnode locks
 * (it returns the child referenced and unlocked); rename takes the mount's
 * rename lock first and then the vnodes in a fixed order (vn_lock_pair).
 * v_interlock is taken after vnode locks and never held across an
 * operation that sleeps.
 */

#ifndef _SYS_VNODE_H_
#define _SYS_VNODE_H_

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/mutex.h>
#include <sys/rwlock.h>
#include <sys/condvar.h>
#include <sys/time.h>
#include <sys/kauth.h>

struct mount;
struct uio;
struct lwp;
struct vnode;
struct lockf;
struct selinfo;
struct buf;
struct namecache;

enum vtype { VNON, VREG, VDIR, VBLK, VCHR, VLNK, VSOCK, VFIFO, VBAD };

/*
 * File attributes.  In vop_setattr, every field that is VNOVAL (for
 * timespecs: tv_sec == VNOVAL) is left unchanged.
 */
#define VNOVAL	(-1)

struct vattr {
	enum vtype	 va_type;
	mode_t		 va_mode;	/* permission bits and S_ISUID, S_ISGID, S_ISVTX */
	nlink_t		 va_nlink;
	uid_t		 va_uid;
	gid_t		 va_gid;
	dev_t		 va_fsid;	/* the mount's device number */
	ino_t		 va_fileid;	/* inode number */
	uint64_t	 va_size;	/* bytes */
	uint64_t	 va_bytes;	/* bytes of storage used */
	long		 va_blocksize;	/* preferred I/O size */
	struct timespec	 va_atime;
	struct timespec	 va_mtime;
	struct timespec	 va_ctime;
	struct timespec	 va_birthtime;	/* tv_sec VNOVAL when unknown */
	dev_t		 va_rdev;	/* for VCHR and VBLK */
	uint64_t	 va_gen;
	uint32_t	 va_flags;	/* file flags, unused for now */
};

void	vattr_null(struct vattr *);

/* Access modes for vop_access and vaccess. */
#define VREAD	0x04
#define VWRITE	0x02
#define VEXEC	0x01
#define VAPPEND	0x08		/* with VWRITE: the write only appends */

/* I/O flags for vop_read and vop_write. */
#define IO_APPEND	0x0001		/* write at the end of the file */
#define IO_SYNC		0x0002		/* data and metadata to storage */
#define IO_DSYNC	0x0004		/* data to storage */
#define IO_NDELAY	0x0008		/* non-blocking (FIFOs, devices) */
#define IO_NOATIME	0x0010		/* do not update the access time */

/* vop_fsync flags. */
#define FSYNC_WAIT	0x01
#define FSYNC_DATAONLY	0x02

/* Name of a directory entry, as passed to the directory operations. */
struct componentname {
	const char	*cn_nameptr;	/* not NUL-terminated */
	size_t		 cn_namelen;	/* 1 .. NAME_MAX */
	kauth_cred_t	 cn_cred;
};

/*
 * The operations a file system provides for its vnodes.  Locking rules,
 * unless stated: directory operations get dvp locked exclusive (lookup:
 * shared or exclusive) and return new vnodes referenced and unlocked;
 * file operations get vp locked (shared for read, getattr, readdir,
 * readlink, access; exclusive otherwise).  Permission checks are the
 * VFS's job (it calls vop_access and applies the sticky-bit, ownership
 * and privilege rules) before it calls the operation that changes things.
 * A NULL member means the operation is not supported (EOPNOTSUPP), except
 * where vfs_vnops.c supplies a default.
 */
struct vnodeops {
	const char *vop_fsname;

	/*
	 * Find name in directory dvp.  "." returns dvp itself with a new
	 * reference, ".." its parent (the VFS handles ".." at a mount's root
	 * and at the process root before asking).  ENOENT when missing.
	 */
	int	(*vop_lookup)(struct vnode *dvp, const struct componentname *,
		    struct vnode **vpp);
	/* Make a regular file, FIFO, socket or device node (va_type). */
	int	(*vop_create)(struct vnode *dvp, const struct componentname *,
		    struct vattr *, struct vnode **vpp);
	int	(*vop_mkdir)(struct vnode *dvp, const struct componentname *,
		    struct vattr *, struct vnode **vpp);
	int	(*vop_symlink)(struct vnode *dvp, const struct componentname *,
		    struct vattr *, const char *target, struct vnode **vpp);
	/* vp is locked exclusive too. */
	int	(*vop_link)(struct vnode *dvp, const struct componentname *,
		    struct vnode *vp);
	/* vp, the entry's vnode, is locked exclusive too. */
	int	(*vop_remove)(struct vnode *dvp, const struct componentname *,
		    struct vnode *vp);
	int	(*vop_rmdir)(struct vnode *dvp, const struct componentname *,
		    struct vnode *vp);
	/*
	 * Rename fdvp/fcnp (vnode fvp) to tdvp/tcnp (vnode tvp, NULL when
	 * the target does not exist).  Called with the mount's rename lock
	 * held and all vnodes locked exclusive.  The VFS has checked the
	 * flags (RENAME_NOREPLACE, RENAME_EXCHANGE), types, emptiness of a
	 * replaced directory and that fvp is not an ancestor of tdvp.
	 */
	int	(*vop_rename)(struct vnode *fdvp, const struct componentname *,
		    struct vnode *fvp, struct vnode *tdvp,
		    const struct componentname *, struct vnode *tvp, int flags);

	int	(*vop_open)(struct vnode *, int fflag, kauth_cred_t);
	int	(*vop_close)(struct vnode *, int fflag, kauth_cred_t);
	/* Default: vaccess on the attributes from vop_getattr. */
	int	(*vop_access)(struct vnode *, int accmode, kauth_cred_t);
	int	(*vop_getattr)(struct vnode *, struct vattr *, kauth_cred_t);
	int	(*vop_setattr)(struct vnode *, struct vattr *, kauth_cred_t);
	int	(*vop_read)(struct vnode *, struct uio *, int ioflag,
		    kauth_cred_t);
	int	(*vop_write)(struct vnode *, struct uio *, int ioflag,
		    kauth_cred_t);
	/* Reserve space [off, off + len); FALLOC_FL_KEEP_SIZE in mode. */
	int	(*vop_fallocate)(struct vnode *, off_t off, off_t len,
		    int mode);
	int	(*vop_fsync)(struct vnode *, int flags, kauth_cred_t);
	/*
	 * SEEK_DATA and SEEK_HOLE: the next data (or hole) at or after
	 * off, ENXIO past the end.  Default: the whole file is data.
	 */
	int	(*vop_seekdata)(struct vnode *, off_t off, int whence,
		    off_t *resultp);
	/*
	 * Read entries as struct linux_dirent64 records into uio, starting
	 * at the directory offset uio_offset (a cookie that the file system
	 * defines and stores in each record's d_off as the offset of the
	 * next entry).  "." and ".." come first.  Stops before an entry that
	 * does not fit; EINVAL when not even one fits.
	 */
	int	(*vop_readdir)(struct vnode *, struct uio *, kauth_cred_t,
		    int *eofflag);
	int	(*vop_readlink)(struct vnode *, struct uio *, kauth_cred_t);
	int	(*vop_ioctl)(struct vnode *, u_long cmd, void *data,
		    int fflag, kauth_cred_t);
	/* Poll for events (POLL*); record si for a later wakeup. */
	int	(*vop_poll)(struct vnode *, int events, struct lwp *);
	/*
	 * The last reference went away.  vp is locked exclusive.  Set
	 * *recycle when the vnode should be reclaimed at once (the file was
	 * removed); otherwise it stays cached.
	 */
	int	(*vop_inactive)(struct vnode *, bool *recycle);
	/* Detach v_data from the vnode and free it; vp is unreferenced. */
	int	(*vop_reclaim)(struct vnode *);
	int	(*vop_pathconf)(struct vnode *, int name, register_t *retval);
	/* Buffer cache I/O, for file systems on block devices. */
	int	(*vop_strategy)(struct vnode *, struct buf *);
	int	(*vop_bmap)(struct vnode *, daddr_t lbn, struct vnode **devvp,
		    daddr_t *bnp, int *runp);
};

/*
 * References and the free list.  v_usecount counts the references.  Once
 * the vnode is in the cache, the count moves between 0 and 1 only with
 * both the vcache lock and v_interlock held, and the thread that moves it
 * also puts the vnode on or takes it off the free list under the same two
 * mutexes.  So a VS_ACTIVE vnode has VI_ONFREELIST set exactly when its
 * count is 0.  Above 1 the count changes without locks, and a decrement
 * there is a compare-and-swap that never goes below 1 (vrele_nonlast in
 * vfs_vnode.c).  Checking for "more than one" and then decrementing is
 * wrong even with both mutexes held, because another holder can release
 * its reference without locks in between, and the count then reaches 0
 * with the vnode off the free list.  In turn, a thread that holds both
 * mutexes and sees a count of 1, its own reference, knows that the count
 * stays 1 until it lets go of them.
 */
struct vnode {
	kmutex_t	 v_interlock;
	krwlock_t	 v_lock;	/* the vnode lock: vn_lock */
	kcondvar_t	 v_cv;		/* v_interlock: state changes */
	volatile u_int	 v_usecount;	/* atomic; 0 <-> 1 under both mutexes */
	int		 v_state;	/* v_interlock: VS_* */
	int		 v_iflag;	/* v_interlock and vcache lock: VI_* */
	int		 v_vflag;	/* fixed after load: VV_* */
	enum vtype	 v_type;	/* fixed after load */
	struct mount	*v_mount;	/* fixed at creation */
	const struct vnodeops *v_op;	/* fixed after load, then dead ops */
	void		*v_data;	/* file system's, fixed after load */
	uint64_t	 v_key;		/* fixed at creation: vcache key */
	dev_t		 v_rdev;	/* fixed after load: VCHR, VBLK */
	struct mount	*v_mountedhere;	/* v_lock: mount covering this dir */
	void		*v_specinfo;	/* VCHR, VBLK: device state */
	void		*v_fifoinfo;	/* VFIFO: the pipe behind it */
	struct lockf	*v_lockf;	/* v_interlock: advisory locks */
	u_int		 v_writecount;	/* v_interlock: opens for writing */
	LIST_ENTRY(vnode) v_hash;	/* vcache lock: hash chain */
	TAILQ_ENTRY(vnode) v_freelist;	/* vcache lock: LRU when unused */
	TAILQ_ENTRY(vnode) v_mntvnodes;	/* vcache lock: on its mount */
	LIST_HEAD(, namecache) v_dnclist; /* name cache: entries in this dir */
	LIST_HEAD(, namecache) v_nclist; /* name cache: entries naming it */
};

/* v_state */
#define VS_LOADING	1
#define VS_ACTIVE	2
#define VS_RECLAIMING	3
#define VS_RECLAIMED	4

/* v_iflag */
#define VI_ONFREELIST	0x0001		/* on the free list */
#define VI_HASHED	0x0002		/* on its vcache hash chain */

/* v_vflag */
#define VV_ROOT		0x0001		/* root of its mount */

/* vn_lock flags. */
#define LK_SHARED	0x01
#define LK_EXCLUSIVE	0x02
#define LK_NOWAIT	0x04
#define LK_RETRY	0x08		/* lock even a reclaimed vnode */

void	vref(struct vnode *);
void	vrele(struct vnode *);
void	vput(struct vnode *);		/* unlock, then vrele */
int	vn_lock(struct vnode *, int);	/* EBADF for a reclaimed vnode */
void	vn_unlock(struct vnode *);
bool	vn_locked_exclusive(struct vnode *);
/* Lock two vnodes exclusive without deadlock; they may be the same. */
void	vn_lock_pair(struct vnode *, struct vnode *);
void	vn_unlock_pair(struct vnode *, struct vnode *);

/*
 * The vnode cache.  vcache_get returns the vnode of (mp, key), loading it
 * with the mount's vfs_loadvnode when not cached; referenced, unlocked.
 */
int	vcache_get(struct mount *, uint64_t key, struct vnode **);
/* Forget the key of a vnode whose file is gone (so a reused key loads anew). */
void	vcache_remove_key(struct vnode *);
/* Reclaim vp now, even if referenced (holders see the dead ops). */
void	vgone(struct vnode *);
/*
 * Reclaim every vnode of mp except skipvp.  Without force, EBUSY when
 * one is referenced; with force, referenced ones are vgone'd.
 */
int	vflush(struct mount *, struct vnode *skipvp, bool force);
/* Count of referenced vnodes of a mount, for EBUSY checks. */
u_int	vcache_busy_count(struct mount *);
/* Opens for writing of the regular files of a mount (v_writecount). */
u_int	vcache_writecount(struct mount *);

/*
 * Permission check on a file with the given type, mode, owner and group:
 * 0 or EACCES.  Privileged credentials pass, except that VEXEC on a
 * non-directory needs some execute bit set.
 */
int	vaccess(enum vtype, mode_t, uid_t, gid_t, int accmode, kauth_cred_t);

/* Vnode type from an S_IF* mode, and back. */
enum vtype vtype_from_mode(mode_t);
mode_t	vtype_to_mode(enum vtype);

/*
 * Check and clamp a vop_write of uio to a file of size bytes whose size
 * cannot pass maxsize.  IO_APPEND in ioflag moves the offset to size.
 * Returns EINVAL for a negative offset, and EFBIG for an offset at or past
 * maxsize when uio_resid is not 0.  The part of the request past maxsize
 * is taken off uio_resid and stored in *excessp.  The caller writes the
 * rest and then adds *excessp back, so the write is short, as on Linux.
 */
int	vfs_write_clamp(struct uio *, int ioflag, uint64_t size,
	    uint64_t maxsize, size_t *excessp);
/*
 * Copy one struct linux_dirent64 record (sys/dirent.h) for a vop_readdir
 * into uio, with d_off next, and set uio_offset to next.  namlen is at
 * most NAME_MAX.  Returns ENOSPC, copying nothing, when the record does
 * not fit in uio_resid, or the error of uiomove.
 */
int	vfs_dirent_emit(struct uio *, uint64_t ino, const char *name,
	    size_t namlen, uint8_t type, uint64_t next);

extern const struct vnodeops dead_vnodeops;

/*
 * Calling a vnode's operations.  Everybody calls them through these
 * wrappers (vfs_subr.c) and never through v_op directly, so the defaults
 * below apply everywhere.  A NULL member of the ops vector fails with
 * EOPNOTSUPP, except:
 *
 *	VOP_ACCESS	vaccess on the attributes from vop_getattr
 *	VOP_SEEKDATA	the whole file is data: SEEK_DATA returns off,
 *			SEEK_HOLE the size; ENXIO at or past the size
 *	VOP_POLL	always readable and writable, as a regular file
 *	VOP_OPEN, VOP_CLOSE, VOP_FSYNC, VOP_RECLAIM	succeed, doing nothing
 *	VOP_INACTIVE	succeeds and keeps the vnode cached
 *
 * vop_reclaim may run without a vop_inactive before it (vgone of a
 * referenced vnode at a forced unmount): it must release everything the
 * file holds in memory.
 */
int	VOP_LOOKUP(struct vnode *, const struct componentname *,
	    struct vnode **);
int	VOP_CREATE(struct vnode *, const struct componentname *,
	    struct vattr *, struct vnode **);
int	VOP_MKDIR(struct vnode *, const struct componentname *,
	    struct vattr *, struct vnode **);
int	VOP_SYMLINK(struct vnode *, const struct componentname *,
	    struct vattr *, const char *, struct vnode **);
int	VOP_LINK(struct vnode *, const struct componentname *, struct vnode *);
int	VOP_REMOVE(struct vnode *, const struct componentname *,
	    struct vnode *);
int	VOP_RMDIR(struct vnode *, const struct componentname *,
	    struct vnode *);
int	VOP_RENAME(struct vnode *, const struct componentname *,
	    struct vnode *, struct vnode *, const struct componentname *,
	    struct vnode *, int);
int	VOP_OPEN(struct vnode *, int, kauth_cred_t);
int	VOP_CLOSE(struct vnode *, int, kauth_cred_t);
int	VOP_ACCESS(struct vnode *, int, kauth_cred_t);
int	VOP_GETATTR(struct vnode *, struct vattr *, kauth_cred_t);
int	VOP_SETATTR(struct vnode *, struct vattr *, kauth_cred_t);
int	VOP_READ(struct vnode *, struct uio *, int, kauth_cred_t);
int	VOP_WRITE(struct vnode *, struct uio *, int, kauth_cred_t);
int	VOP_FALLOCATE(struct vnode *, off_t, off_t, int);
int	VOP_FSYNC(struct vnode *, int, kauth_cred_t);
int	VOP_SEEKDATA(struct vnode *, off_t, int, off_t *);
int	VOP_READDIR(struct vnode *, struct uio *, kauth_cred_t, int *);
int	VOP_READLINK(struct vnode *, struct uio *, kauth_cred_t);
int	VOP_IOCTL(struct vnode *, u_long, void *, int, kauth_cred_t);
int	VOP_POLL(struct vnode *, int, struct lwp *);
int	VOP_INACTIVE(struct vnode *, bool *);
int	VOP_RECLAIM(struct vnode *);
int	VOP_PATHCONF(struct vnode *, int, register_t *);
int	VOP_STRATEGY(struct vnode *, struct buf *);
int	VOP_BMAP(struct vnode *, daddr_t, struct vnode **, daddr_t *, int *);

/*
 * The vnode cache's set-up, called once by vfsinit: the hash table, the
 * free list with its kern.maxvnodes limit (default maxvnodes_default,
 * which the VFS glue may set from RUMP_NVNODES first) and the memory
 * reclaimer.
 */
void	vcache_init(void);
extern u_int maxvnodes_default;
/*
 * Take a reference to vp when it is in use or cached (VS_ACTIVE),
 * taking it off the free list if needed: 0, or EBUSY when it is being
 * loaded or reclaimed.  For finders that reach vnodes without a reference
 * (the name cache); the caller keeps vp's memory valid meanwhile.
 */
int	vcache_tryvget(struct vnode *);
/*
 * Reclaim free vnodes, least recently used first, until at most target
 * vnodes exist or none is free.
 */
void	vcache_drain(u_int target);
/* Stop the vnode cache's thread at halt. */
void	vcache_shutdown(void);

/*
 * Generic operations for special files living on any file system: a file
 * system's ops vector for VCHR, VBLK and VFIFO vnodes points open, close,
 * read, write, ioctl, poll and fsync at these and keeps its own getattr,
 * setattr, access, inactive and reclaim.
 */
int	spec_open(struct vnode *, int, kauth_cred_t);
int	spec_close(struct vnode *, int, kauth_cred_t);
int	spec_read(struct vnode *, struct uio *, int, kauth_cred_t);
int	spec_write(struct vnode *, struct uio *, int, kauth_cred_t);
int	spec_ioctl(struct vnode *, u_long, void *, int, kauth_cred_t);
int	spec_poll(struct vnode *, int, struct lwp *);
int	spec_fsync(struct vnode *, int, kauth_cred_t);
int	fifo_open(struct vnode *, int, kauth_cred_t);
int	fifo_close(struct vnode *, int, kauth_cred_t);
int	fifo_read(struct vnode *, struct uio *, int, kauth_cred_t);
int	fifo_write(struct vnode *, struct uio *, int, kauth_cred_t);
int	fifo_ioctl(struct vnode *, u_long, void *, int, kauth_cred_t);
int	fifo_poll(struct vnode *, int, struct lwp *);
/* Free the FIFO state of a vnode being reclaimed. */
void	fifo_reclaim(struct vnode *);

/* The root of the file system tree (rumpfs, mounted at boot). */
extern struct vnode *rootvnode;

#endif /* _SYS_VNODE_H_ */
