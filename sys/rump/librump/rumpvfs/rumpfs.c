/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rumpfs: the in-memory file system that is the root of the rump kernel's
 * namespace, and that can be mounted anywhere else too ("rumpfs").
 *
 * Nodes.  Every file is a struct rumpfs_node (rumpfs_private.h).  The
 * types are regular files (data in rumpfs_data.c), directories
 * (rumpfs_dir.c), symbolic links (the target is kept as given), device
 * nodes, FIFOs and sockets.  A socket node is only a type: binding a
 * socket to it is the socket layer's job.  A node's vnode is found with
 * vcache_get(mp, key), where the key is the node's address.  A node
 * stays allocated while it has a vnode or a name, and only code that
 * holds a name of it (a directory entry, under that directory's vnode
 * lock) or its vnode passes it to vcache_get.
 *
 * Life cycle.  A node is born with a name.  When its last name goes
 * (nlink 0), it lives on while its vnode is referenced: an unlinked but
 * open file.  The last vrele makes vop_inactive ask for recycling, and
 * vop_reclaim frees the node and its data.  A node that still has names
 * outlives its vnode: vop_reclaim leaves it alone and the next lookup
 * makes a new vnode.  A removed directory keeps its parent for "..", as
 * on Linux, so it holds the parent (rn_holds), which is freed only when
 * it has no name, no vnode and no holds.  Unmounting frees every node
 * that is left.
 *
 * Times follow Linux's tmpfs: creating, removing or renaming an entry
 * sets the directory's mtime and ctime; writes, truncation and fallocate
 * set the file's mtime and ctime; attribute changes and new links set
 * ctime; reads, readdir and readlink set atime under the mount's policy:
 * relatime by default (only when atime is not newer than mtime and ctime,
 * or is a day old), strictatime, or noatime.  All stamps come from the
 * wall clock with nanoseconds.
 *
 * Ownership of new nodes: the creator's effective uid, and the
 * directory's group if the directory is set-group-id (a new directory
 * inherits S_ISGID) or else the creator's effective gid.  The VFS has
 * already applied the umask to va_mode; a set-group-id bit that the
 * creator may not set (not a member of the file's group, not privileged)
 * is dropped here, as Linux does.
 *
 * Locking: the vnode locks as the VFS takes them (sys/vnode.h) protect
 * the nodes; see the legend in rumpfs_private.h.  Directory operations
 * change only directories whose vnodes the VFS locked exclusive.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/buf.h>
#include <sys/callout.h>
#include <sys/conf.h>
#include <sys/fcntl.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/kthread.h>
#include <sys/lwp.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#include <rump-sys/kern.h>

#include "rumpfs_private.h"

/* The relatime rule: atime is refreshed once it is a day old. */
#define RUMPFS_RELATIME_SECS	(24 * 60 * 60)

/*
 * A coarse wall clock in seconds for the relatime check of every read,
 * which would otherwise read the host's clock each time.  A clock read
 * makes the cached value valid and arms a one-shot callout that makes it
 * invalid again a second later, so the value is at most about a second
 * old and an idle kernel gets no wakeups.  Without kernel threads the
 * callout never fires, so every check reads the clock.
 */
static callout_t rumpfs_clock_callout;
static volatile time_t rumpfs_clock_sec;	/* atomic */
static volatile u_int rumpfs_clock_valid;	/* atomic: 1 while armed */

/* The root file system's mount, once it is mounted. */
static struct rumpfs_mount *volatile rumpfs_root;

struct rumpfs_mount *
rumpfs_rootmount(void)
{

	return atomic_load_acquire(&rumpfs_root);
}

/*
 * Nodes and their times.
 */

/* Store atime field by field for the unlocked readers; rn_timelock is held. */
static inline void
rumpfs_set_atime(struct rumpfs_node *rn, const struct timespec *ts)
{

	KASSERT(mutex_owned(&rn->rn_timelock));
	atomic_store_relaxed(&rn->rn_atime.tv_sec, ts->tv_sec);
	atomic_store_relaxed(&rn->rn_atime.tv_nsec, ts->tv_nsec);
}


/*
 * Make a node with no links and every time stamp set to now.  NULL when
 * memory is short (callers fail with ENOSPC).
 */
struct rumpfs_node *
rumpfs_node_alloc(struct rumpfs_mount *rm, enum vtype type, mode_t mode,
    uid_t uid, gid_t gid, dev_t rdev)
{
	struct rumpfs_node *rn;
	struct timespec now;

	rn = kmem_zalloc(sizeof(*rn), KM_NOSLEEP);
	if (rn == NULL)
		return NULL;
	rn->rn_mount = rm;
	rn->rn_type = type;
	rn->rn_ino = atomic_add_64_nv(&rm->rm_nextino, 1);
	rn->rn_gen = rn->rn_ino;
	rn->rn_mode = mode & ALLPERMS;
	rn->rn_uid = uid;
	rn->rn_gid = gid;
	rn->rn_rdev = (type == VCHR || type == VBLK) ? rdev : 0;
	mutex_init(&rn->rn_timelock, MUTEX_DEFAULT, IPL_NONE);
	nanotime(&now);
	rn->rn_atime = rn->rn_mtime = rn->rn_ctime = rn->rn_btime = now;
	if (type == VDIR) {
		rn->rn_dir.dir_nextserial = RUMPFS_COOKIE_FIRST;
		rn->rn_dir.dir_parent = rn;
	}

	mutex_enter(&rm->rm_lock);
	LIST_INSERT_HEAD(&rm->rm_nodes, rn, rn_entries);
	mutex_exit(&rm->rm_lock);
	atomic_add_64(&rm->rm_nnodes, 1);
	return rn;
}

void
rumpfs_node_free(struct rumpfs_node *rn)
{
	struct rumpfs_mount *rm = rn->rn_mount;

	switch (rn->rn_type) {
	case VREG:
		rumpfs_data_free(rn);
		break;
	case VDIR:
		rumpfs_dir_free(rn);
		break;
	case VLNK:
		if (rn->rn_lnk.target == NULL)
			break;
		if (rn->rn_lnk.len >= RUMPFS_SHORT_SYMLINK)
			rumpfs_page_free(rm, rn->rn_lnk.target);
		else
			kmem_free(rn->rn_lnk.target, rn->rn_lnk.len + 1);
		break;
	default:
		break;
	}
	if (rn->rn_etfs != NULL)
		etfs_node_reclaim(rn);

	mutex_enter(&rm->rm_lock);
	LIST_REMOVE(rn, rn_entries);
	mutex_exit(&rm->rm_lock);
	atomic_add_64(&rm->rm_nnodes, -1);
	mutex_destroy(&rn->rn_timelock);
	kmem_free(rn, sizeof(*rn));
}

/*
 * Record that a directory lost its name (rmdir, replaced by rename, etfs
 * removal).  Its link count drops to 0, and it takes a hold on its
 * parent, which its ".." still names.  The caller has the directory's
 * vnode locked exclusive, or the parent's when the directory has no
 * vnode.
 */
void
rumpfs_dir_orphan(struct rumpfs_node *rn)
{
	struct rumpfs_mount *rm = rn->rn_mount;

	KASSERT(rn->rn_type == VDIR);
	rn->rn_nlink = 0;
	if (rn->rn_dir.dir_parent == rn)
		return;
	mutex_enter(&rm->rm_lock);
	rn->rn_dir.dir_parent->rn_holds++;
	mutex_exit(&rm->rm_lock);
}

/* True when rn has no name, no vnode and no holds: nothing reaches it. */
static bool
rumpfs_node_unused(struct rumpfs_node *rn)
{

	KASSERT(mutex_owned(&rn->rn_mount->rm_lock));
	return rn->rn_nlink == 0 && !rn->rn_hasvnode && rn->rn_holds == 0 &&
	    (rn->rn_flags & RN_KEEP) == 0;
}

/*
 * Free rn, which is unused, and then each parent that only rn's hold
 * kept, up the chain of removed directories.
 */
static void
rumpfs_node_free_chain(struct rumpfs_node *rn)
{
	struct rumpfs_mount *rm = rn->rn_mount;
	struct rumpfs_node *parent;
	bool unused;

	while (rn != NULL) {
		parent = NULL;
		if (rn->rn_type == VDIR && rn->rn_dir.dir_parent != rn)
			parent = rn->rn_dir.dir_parent;
		rumpfs_node_free(rn);
		if (parent == NULL)
			break;

		mutex_enter(&rm->rm_lock);
		KASSERT(parent->rn_holds > 0);
		parent->rn_holds--;
		unused = rumpfs_node_unused(parent);
		mutex_exit(&rm->rm_lock);
		rn = unused ? parent : NULL;
	}
}

/*
 * Make a node and enter it in directory dn under name, counting the
 * links and, for a listed entry, setting dn's mtime and ctime.  target
 * is a symbolic link's target (VLNK only).  hidden makes an unlisted
 * etfs entry.  The caller holds dn's vnode lock exclusive (or dn's mount
 * is not visible yet) and has checked that the name is free.  ENOSPC
 * when memory is short.
 */
int
rumpfs_node_create(struct rumpfs_node *dn, const char *name, size_t len,
    enum vtype type, mode_t mode, uid_t uid, gid_t gid, dev_t rdev,
    const char *target, bool hidden, struct rumpfs_node **rnp)
{
	struct rumpfs_node *rn;
	size_t tlen;
	int error;

	if (type == VLNK && strlen(target) >= PAGE_SIZE)
		return ENAMETOOLONG;
	rn = rumpfs_node_alloc(dn->rn_mount, type, mode, uid, gid, rdev);
	if (rn == NULL)
		return ENOSPC;
	if (type == VLNK) {
		tlen = strlen(target);
		if (tlen >= RUMPFS_SHORT_SYMLINK)
			rn->rn_lnk.target = rumpfs_page_alloc(dn->rn_mount);
		else
			rn->rn_lnk.target = kmem_alloc(tlen + 1, KM_NOSLEEP);
		if (rn->rn_lnk.target == NULL) {
			rumpfs_node_free(rn);
			return ENOSPC;
		}
		memcpy(rn->rn_lnk.target, target, tlen + 1);
		rn->rn_lnk.len = tlen;
	}

	error = rumpfs_dir_enter(dn, name, len, rn, hidden);
	if (error != 0) {
		rumpfs_node_free(rn);
		return error;
	}
	if (type == VDIR) {
		rn->rn_nlink = 2;
		dn->rn_nlink++;
	} else {
		rn->rn_nlink = 1;
	}
	/* An unlisted etfs entry does not change the directory's times. */
	if (!hidden)
		dn->rn_mtime = dn->rn_ctime = rn->rn_ctime;
	*rnp = rn;
	return 0;
}

/* Set the given time stamps (RN_TOUCH_*) to now. */
void
rumpfs_node_touch(struct rumpfs_node *rn, int which)
{
	struct timespec now;

	nanotime(&now);
	if (which & RN_TOUCH_MTIME)
		rn->rn_mtime = now;
	if (which & RN_TOUCH_CTIME)
		rn->rn_ctime = now;
	if (which & RN_TOUCH_ATIME) {
		mutex_enter(&rn->rn_timelock);
		rumpfs_set_atime(rn, &now);
		mutex_exit(&rn->rn_timelock);
	}
}

static void
rumpfs_clock_expire(void *arg)
{

	atomic_store_release(&rumpfs_clock_valid, 0);
}

static time_t
rumpfs_coarse_seconds(void)
{
	struct timespec now;

	if (atomic_load_acquire(&rumpfs_clock_valid))
		return atomic_load_relaxed(&rumpfs_clock_sec);
	nanotime(&now);
	atomic_store_relaxed(&rumpfs_clock_sec, now.tv_sec);
	if (kthreads_enabled &&
	    atomic_cas_uint(&rumpfs_clock_valid, 0, 1) == 0)
		callout_schedule(&rumpfs_clock_callout, HZ);
	return now.tv_sec;
}

static inline bool
timespec_le(const struct timespec *a, const struct timespec *b)
{

	return a->tv_sec < b->tv_sec ||
	    (a->tv_sec == b->tv_sec && a->tv_nsec <= b->tv_nsec);
}

/*
 * Record a read access under the mount's atime policy.  Callers hold the
 * vnode lock, at least shared, so mtime and ctime are stable, and readers
 * race only with each other on atime, which rn_timelock serialises.
 *
 * The common relatime case (atime newer than mtime and ctime, and less
 * than a day old by the coarse clock) is decided without the lock and
 * without reading the clock.  Its unlocked read of atime may mix the
 * seconds and nanoseconds of two updates, but only while another reader
 * is setting atime to the current time, which is all this call would do.
 */
void
rumpfs_node_accessed(struct rumpfs_node *rn)
{
	struct rumpfs_mount *rm = rn->rn_mount;
	struct timespec now, atime;
	int policy;

	policy = atomic_load_relaxed(&rm->rm_atime);
	if (policy == RUMPFS_ATIME_NONE ||
	    (rn->rn_type == VDIR && atomic_load_relaxed(&rm->rm_nodiratime)))
		return;
	if (policy == RUMPFS_ATIME_RELATIME) {
		atime.tv_sec = atomic_load_relaxed(&rn->rn_atime.tv_sec);
		atime.tv_nsec = atomic_load_relaxed(&rn->rn_atime.tv_nsec);
		if (!timespec_le(&atime, &rn->rn_mtime) &&
		    !timespec_le(&atime, &rn->rn_ctime) &&
		    rumpfs_coarse_seconds() - atime.tv_sec <
		    RUMPFS_RELATIME_SECS)
			return;
	}

	nanotime(&now);
	mutex_enter(&rn->rn_timelock);
	if (policy == RUMPFS_ATIME_STRICT ||
	    timespec_le(&rn->rn_atime, &rn->rn_mtime) ||
	    timespec_le(&rn->rn_atime, &rn->rn_ctime) ||
	    now.tv_sec - rn->rn_atime.tv_sec >= RUMPFS_RELATIME_SECS)
		rumpfs_set_atime(rn, &now);
	mutex_exit(&rn->rn_timelock);
}

/*
 * Clear the set-user-id bit, and the set-group-id bit of a group
 * executable file, when an unprivileged caller changes the file's data.
 */
static void
rumpfs_kill_privs(struct rumpfs_node *rn, kauth_cred_t cred)
{
	mode_t kill = S_ISUID;

	if ((rn->rn_mode & (S_ISUID | S_ISGID)) == 0 ||
	    kauth_cred_privileged(cred))
		return;
	if (rn->rn_mode & S_IXGRP)
		kill |= S_ISGID;
	rn->rn_mode &= ~kill;
}

/*
 * The vnode operations.
 */

static int
rumpfs_getvnode(struct rumpfs_node *rn, struct vnode **vpp)
{

	return vcache_get(rn->rn_mount->rm_mp, (uint64_t)(uintptr_t)rn, vpp);
}

static int
rumpfs_lookup(struct vnode *dvp, const struct componentname *cn,
    struct vnode **vpp)
{
	struct rumpfs_node *dn = dvp->v_data, *rn;
	struct rumpfs_dirent *de;
	int error;

	if (dn->rn_type != VDIR)
		return ENOTDIR;

	/* A removed directory still has "." and "..", as on Linux. */
	if (cn->cn_namelen == 1 && cn->cn_nameptr[0] == '.') {
		vref(dvp);
		*vpp = dvp;
		return 0;
	}
	if (cn->cn_namelen == 2 && cn->cn_nameptr[0] == '.' &&
	    cn->cn_nameptr[1] == '.') {
		rn = dn->rn_dir.dir_parent;
		if (rn == dn) {
			vref(dvp);
			*vpp = dvp;
			return 0;
		}
		return rumpfs_getvnode(rn, vpp);
	}
	if (dn->rn_nlink == 0)
		return ENOENT;

	if (dn->rn_etfs != NULL && etfs_isdir(dn)) {
		error = etfs_lookup(dn, cn->cn_nameptr, cn->cn_namelen, &rn);
		if (error != 0)
			return error;
		return rumpfs_getvnode(rn, vpp);
	}
	de = rumpfs_dir_lookup(dn, cn->cn_nameptr, cn->cn_namelen);
	if (de == NULL)
		return ENOENT;
	return rumpfs_getvnode(de->de_node, vpp);
}

/* Check that directory dn can take a new entry named by cn. */
static int
rumpfs_dir_writable(struct rumpfs_node *dn, const struct componentname *cn)
{

	if (dn->rn_type != VDIR)
		return ENOTDIR;
	if (dn->rn_nlink == 0)
		return ENOENT;
	/* The namespace of an etfs directory is the host's. */
	if (dn->rn_etfs != NULL)
		return EOPNOTSUPP;
	if (rumpfs_dir_lookup(dn, cn->cn_nameptr, cn->cn_namelen) != NULL)
		return EEXIST;
	return 0;
}

/*
 * Make a node of any type in dvp and return its vnode.  target is the
 * symbolic link's target (VLNK only).
 */
static int
rumpfs_makenode(struct vnode *dvp, const struct componentname *cn,
    struct vattr *va, const char *target, struct vnode **vpp)
{
	struct rumpfs_node *dn = dvp->v_data, *rn;
	kauth_cred_t cred = cn->cn_cred;
	mode_t mode = va->va_mode & ALLPERMS;
	gid_t gid;
	int error;

	KASSERT(vn_locked_exclusive(dvp));
	error = rumpfs_dir_writable(dn, cn);
	if (error != 0)
		return error;
	switch (va->va_type) {
	case VREG: case VDIR: case VLNK: case VCHR: case VBLK:
	case VFIFO: case VSOCK:
		break;
	default:
		return EINVAL;
	}

	/* Ownership and the set-group-id rules. */
	if (dn->rn_mode & S_ISGID) {
		gid = dn->rn_gid;
		if (va->va_type == VDIR)
			mode |= S_ISGID;
		else if ((mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP) &&
		    !kauth_cred_groupmember(cred, gid) &&
		    !kauth_cred_privileged(cred))
			mode &= ~S_ISGID;
	} else {
		gid = kauth_cred_getegid(cred);
	}

	error = rumpfs_node_create(dn, cn->cn_nameptr, cn->cn_namelen,
	    va->va_type, mode, kauth_cred_geteuid(cred), gid, va->va_rdev,
	    target, false, &rn);
	if (error != 0)
		return error;
	cache_purge_name(dvp, cn->cn_nameptr, cn->cn_namelen);

	return rumpfs_getvnode(rn, vpp);
}

static int
rumpfs_create(struct vnode *dvp, const struct componentname *cn,
    struct vattr *va, struct vnode **vpp)
{

	if (va->va_type == VDIR || va->va_type == VLNK)
		return EINVAL;
	return rumpfs_makenode(dvp, cn, va, NULL, vpp);
}

static int
rumpfs_mkdir(struct vnode *dvp, const struct componentname *cn,
    struct vattr *va, struct vnode **vpp)
{

	va->va_type = VDIR;
	return rumpfs_makenode(dvp, cn, va, NULL, vpp);
}

static int
rumpfs_symlink(struct vnode *dvp, const struct componentname *cn,
    struct vattr *va, const char *target, struct vnode **vpp)
{

	va->va_type = VLNK;
	return rumpfs_makenode(dvp, cn, va, target, vpp);
}

static int
rumpfs_link(struct vnode *dvp, const struct componentname *cn,
    struct vnode *vp)
{
	struct rumpfs_node *dn = dvp->v_data, *rn = vp->v_data;
	int error;

	KASSERT(vn_locked_exclusive(dvp) && vn_locked_exclusive(vp));
	if (rn->rn_type == VDIR)
		return EPERM;
	if (rn->rn_nlink == 0)
		return ENOENT;
	if (rn->rn_etfs != NULL)
		return EOPNOTSUPP;
	if (dn->rn_mount != rn->rn_mount)
		return EXDEV;
	error = rumpfs_dir_writable(dn, cn);
	if (error != 0)
		return error;

	error = rumpfs_dir_enter(dn, cn->cn_nameptr, cn->cn_namelen, rn,
	    false);
	if (error != 0)
		return error;
	rn->rn_nlink++;
	rumpfs_node_touch(rn, RN_TOUCH_CTIME);
	dn->rn_mtime = dn->rn_ctime = rn->rn_ctime;
	cache_purge_name(dvp, cn->cn_nameptr, cn->cn_namelen);
	return 0;
}

/*
 * Find the entry cn of dn that names rn.  etfs keys cannot be removed
 * or renamed here (EBUSY): rump_pub_etfs_remove owns them.
 */
static int
rumpfs_dir_findentry(struct rumpfs_node *dn, const struct componentname *cn,
    struct rumpfs_node *rn, struct rumpfs_dirent **dep)
{
	struct rumpfs_dirent *de;

	if (dn->rn_etfs != NULL)
		return EOPNOTSUPP;
	de = rumpfs_dir_lookup(dn, cn->cn_nameptr, cn->cn_namelen);
	if (de == NULL || (rn != NULL && de->de_node != rn))
		return ENOENT;
	if (de->de_hidden)
		return EBUSY;
	*dep = de;
	return 0;
}

static int
rumpfs_remove(struct vnode *dvp, const struct componentname *cn,
    struct vnode *vp)
{
	struct rumpfs_node *dn = dvp->v_data, *rn = vp->v_data;
	struct rumpfs_dirent *de;
	int error;

	KASSERT(vn_locked_exclusive(dvp) && vn_locked_exclusive(vp));
	if (rn->rn_type == VDIR)
		return EISDIR;
	error = rumpfs_dir_findentry(dn, cn, rn, &de);
	if (error != 0)
		return error;

	rumpfs_dir_detach(dn, de);
	rn->rn_nlink--;
	rumpfs_node_touch(rn, RN_TOUCH_CTIME);
	dn->rn_mtime = dn->rn_ctime = rn->rn_ctime;
	cache_purge_name(dvp, cn->cn_nameptr, cn->cn_namelen);
	return 0;
}

static int
rumpfs_rmdir(struct vnode *dvp, const struct componentname *cn,
    struct vnode *vp)
{
	struct rumpfs_node *dn = dvp->v_data, *rn = vp->v_data;
	struct rumpfs_dirent *de;
	int error;

	KASSERT(vn_locked_exclusive(dvp) && vn_locked_exclusive(vp));
	if (rn->rn_type != VDIR)
		return ENOTDIR;
	if (rn == dn)
		return EINVAL;
	error = rumpfs_dir_findentry(dn, cn, rn, &de);
	if (error != 0)
		return error;
	/* Hidden etfs entries count: the directory contains a key. */
	if (!rumpfs_dir_empty(rn))
		return ENOTEMPTY;
	if (rn->rn_etfs != NULL)
		return EBUSY;

	rumpfs_dir_detach(dn, de);
	rumpfs_dir_orphan(rn);
	dn->rn_nlink--;
	rumpfs_node_touch(rn, RN_TOUCH_CTIME);
	dn->rn_mtime = dn->rn_ctime = rn->rn_ctime;
	cache_purge_name(dvp, cn->cn_nameptr, cn->cn_namelen);
	cache_purge(vp);
	return 0;
}

/*
 * Give the other entry's node to each of two entries (RENAME_EXCHANGE).
 * Both entries keep their names and cookies.
 */
static void
rumpfs_rename_exchange(struct rumpfs_node *fdn, struct rumpfs_dirent *fde,
    struct rumpfs_node *tdn, struct rumpfs_dirent *tde)
{
	struct rumpfs_node *fn = fde->de_node, *tn = tde->de_node;

	fde->de_node = tn;
	tde->de_node = fn;
	if (fdn == tdn)
		return;
	if (fn->rn_type == VDIR) {
		fn->rn_dir.dir_parent = tdn;
		fdn->rn_nlink--;
		tdn->rn_nlink++;
	}
	if (tn->rn_type == VDIR) {
		tn->rn_dir.dir_parent = fdn;
		tdn->rn_nlink--;
		fdn->rn_nlink++;
	}
}

static int
rumpfs_rename(struct vnode *fdvp, const struct componentname *fcn,
    struct vnode *fvp, struct vnode *tdvp, const struct componentname *tcn,
    struct vnode *tvp, int flags)
{
	struct rumpfs_node *fdn = fdvp->v_data, *tdn = tdvp->v_data;
	struct rumpfs_node *fn = fvp->v_data, *tn = NULL;
	struct rumpfs_dirent *fde, *tde = NULL;
	int error;

	if (fdn->rn_mount != tdn->rn_mount)
		return EXDEV;
	if (tdn->rn_nlink == 0)
		return ENOENT;
	error = rumpfs_dir_findentry(fdn, fcn, fn, &fde);
	if (error != 0)
		return error;
	if (tvp != NULL) {
		tn = tvp->v_data;
		error = rumpfs_dir_findentry(tdn, tcn, tn, &tde);
		if (error != 0)
			return error;
	} else if (tdn->rn_etfs != NULL) {
		return EOPNOTSUPP;
	} else if (rumpfs_dir_lookup(tdn, tcn->cn_nameptr,
	    tcn->cn_namelen) != NULL) {
		/* A hidden etfs key has this name. */
		return EBUSY;
	}

	if (flags & RENAME_EXCHANGE) {
		if (tde == NULL)
			return ENOENT;
		rumpfs_rename_exchange(fdn, fde, tdn, tde);
		rumpfs_node_touch(fn, RN_TOUCH_CTIME);
		tn->rn_ctime = fn->rn_ctime;
		goto done;
	}

	/* Two names of one file: nothing happens, as POSIX requires. */
	if (fn == tn)
		return 0;
	if (tn != NULL && tn->rn_type == VDIR && !rumpfs_dir_empty(tn))
		return ENOTEMPTY;

	/*
	 * Point the target entry at fn, or make the new entry; only the
	 * latter allocates, so a failure changes nothing.
	 */
	if (tde != NULL) {
		tde->de_node = fn;
		if (fn->rn_type == VDIR)
			fn->rn_dir.dir_parent = tdn;
	} else {
		error = rumpfs_dir_enter(tdn, tcn->cn_nameptr,
		    tcn->cn_namelen, fn, false);
		if (error != 0)
			return error;
	}
	rumpfs_dir_detach(fdn, fde);

	/* A replaced directory takes its ".." link from tdn with it. */
	if (tn != NULL) {
		if (tn->rn_type == VDIR) {
			rumpfs_dir_orphan(tn);
			tdn->rn_nlink--;
		} else {
			tn->rn_nlink--;
		}
	}
	if (fn->rn_type == VDIR && fdn != tdn) {
		fdn->rn_nlink--;
		tdn->rn_nlink++;
	}
	rumpfs_node_touch(fn, RN_TOUCH_CTIME);
	if (tn != NULL)
		tn->rn_ctime = fn->rn_ctime;

done:
	fdn->rn_mtime = fdn->rn_ctime = fn->rn_ctime;
	tdn->rn_mtime = tdn->rn_ctime = fn->rn_ctime;
	cache_purge_name(fdvp, fcn->cn_nameptr, fcn->cn_namelen);
	cache_purge_name(tdvp, tcn->cn_nameptr, tcn->cn_namelen);
	if (fn->rn_type == VDIR)
		cache_purge(fvp);
	if (tvp != NULL && tn->rn_type == VDIR)
		cache_purge(tvp);
	return 0;
}

static int
rumpfs_open(struct vnode *vp, int fflag, kauth_cred_t cred)
{
	struct rumpfs_node *rn = vp->v_data;

	/* Linux fails an open of a socket file with ENXIO. */
	if (rn->rn_type == VSOCK)
		return ENXIO;
	if (rn->rn_etfs != NULL)
		return etfs_open(rn, fflag);
	return 0;
}

static int
rumpfs_close(struct vnode *vp, int fflag, kauth_cred_t cred)
{
	struct rumpfs_node *rn = vp->v_data;

	if (rn->rn_etfs != NULL)
		etfs_close(rn, fflag);
	return 0;
}

static int
rumpfs_getattr(struct vnode *vp, struct vattr *va, kauth_cred_t cred)
{
	struct rumpfs_node *rn = vp->v_data;
	uint64_t size = 0, bytes = 0;

	switch (rn->rn_type) {
	case VREG:
		if (rn->rn_etfs != NULL) {
			if (etfs_getsize(rn, &size) != 0)
				size = 0;
			bytes = roundup(size, S_BLKSIZE);
		} else {
			size = rn->rn_size;
			bytes = rn->rn_pages.rp_count * PAGE_SIZE;
		}
		break;
	case VDIR:
		size = rumpfs_dir_size(rn);
		break;
	case VLNK:
		size = rn->rn_lnk.len;
		if (size >= RUMPFS_SHORT_SYMLINK)
			bytes = PAGE_SIZE;
		break;
	default:
		break;
	}

	vattr_null(va);
	va->va_type = rn->rn_type;
	va->va_mode = rn->rn_mode;
	va->va_nlink = rn->rn_nlink;
	va->va_uid = rn->rn_uid;
	va->va_gid = rn->rn_gid;
	va->va_fsid = vp->v_mount->mnt_dev;
	va->va_fileid = rn->rn_ino;
	va->va_size = size;
	va->va_bytes = bytes;
	/* Like Linux: a block device that exists has its own block size. */
	va->va_blocksize = PAGE_SIZE;
	if (rn->rn_type == VBLK && bdevsw_lookup(rn->rn_rdev) != NULL)
		va->va_blocksize = DEV_BSIZE;
	mutex_enter(&rn->rn_timelock);
	va->va_atime = rn->rn_atime;
	mutex_exit(&rn->rn_timelock);
	va->va_mtime = rn->rn_mtime;
	va->va_ctime = rn->rn_ctime;
	va->va_birthtime = rn->rn_btime;
	va->va_rdev = rn->rn_rdev;
	va->va_gen = rn->rn_gen;
	va->va_flags = 0;
	return 0;
}

/* A time of setattr: tv_sec VNOVAL leaves it alone; UTIME_NOW is now. */
static bool
rumpfs_settime(struct timespec *dst, const struct timespec *src,
    const struct timespec *now)
{

	if (src->tv_sec == VNOVAL || src->tv_nsec == UTIME_OMIT)
		return false;
	*dst = src->tv_nsec == UTIME_NOW ? *now : *src;
	return true;
}

static int
rumpfs_setattr(struct vnode *vp, struct vattr *va, kauth_cred_t cred)
{
	struct rumpfs_node *rn = vp->v_data;
	struct timespec now, atime;
	bool changed = false, mtimeset;
	int error;

	KASSERT(vn_locked_exclusive(vp));
	nanotime(&now);

	/*
	 * Size first: it is the only change that can fail.  Linux ignores
	 * truncation of devices, FIFOs and sockets (O_TRUNC on /dev/null).
	 */
	if (va->va_size != (uint64_t)VNOVAL) {
		switch (rn->rn_type) {
		case VREG:
			if (rn->rn_etfs != NULL)
				return EOPNOTSUPP;
			if (va->va_size > RUMPFS_MAXFILESIZE)
				return EFBIG;
			error = rumpfs_data_truncate(rn, va->va_size);
			if (error != 0)
				return error;
			/* Linux's truncate sets mtime even at the same size. */
			rn->rn_mtime = now;
			changed = true;
			break;
		case VDIR:
			return EISDIR;
		case VLNK:
			return EINVAL;
		default:
			break;
		}
	}

	if (va->va_mode != (mode_t)VNOVAL) {
		rn->rn_mode = va->va_mode & ALLPERMS;
		changed = true;
	}
	if (va->va_uid != (uid_t)VNOVAL) {
		rn->rn_uid = va->va_uid;
		changed = true;
	}
	if (va->va_gid != (gid_t)VNOVAL) {
		rn->rn_gid = va->va_gid;
		changed = true;
	}
	mtimeset = rumpfs_settime(&rn->rn_mtime, &va->va_mtime, &now);
	if (rumpfs_settime(&atime, &va->va_atime, &now)) {
		mutex_enter(&rn->rn_timelock);
		rumpfs_set_atime(rn, &atime);
		mutex_exit(&rn->rn_timelock);
		changed = true;
	}
	if (mtimeset)
		changed = true;
	(void)rumpfs_settime(&rn->rn_btime, &va->va_birthtime, &now);

	/* Every change sets ctime, unless the caller gives one. */
	if (!rumpfs_settime(&rn->rn_ctime, &va->va_ctime, &now) && changed)
		rn->rn_ctime = now;
	return 0;
}

static int
rumpfs_read(struct vnode *vp, struct uio *uio, int ioflag, kauth_cred_t cred)
{
	struct rumpfs_node *rn = vp->v_data;
	int error;

	switch (rn->rn_type) {
	case VREG:
		break;
	case VDIR:
		return EISDIR;
	default:
		return EINVAL;
	}
	if (uio->uio_offset < 0)
		return EINVAL;
	if (uio->uio_resid == 0)
		return 0;

	if (rn->rn_etfs != NULL)
		error = etfs_read(rn, uio);
	else
		error = rumpfs_data_read(rn, uio);
	if ((ioflag & IO_NOATIME) == 0)
		rumpfs_node_accessed(rn);
	return error;
}

static int
rumpfs_write(struct vnode *vp, struct uio *uio, int ioflag, kauth_cred_t cred)
{
	struct rumpfs_node *rn = vp->v_data;
	size_t excess, written;
	int error;

	KASSERT(vn_locked_exclusive(vp));
	switch (rn->rn_type) {
	case VREG:
		break;
	case VDIR:
		return EISDIR;
	default:
		return EINVAL;
	}
	if (rn->rn_etfs != NULL) {
		error = etfs_write(rn, uio, ioflag);
		if (error == 0)
			rumpfs_node_touch(rn, RN_TOUCH_MTIME | RN_TOUCH_CTIME);
		return error;
	}

	error = vfs_write_clamp(uio, ioflag, rn->rn_size, RUMPFS_MAXFILESIZE,
	    &excess);
	if (error != 0 || uio->uio_resid == 0)
		return error;

	error = rumpfs_data_write(rn, uio, ioflag, &written);
	uio->uio_resid += excess;
	if (written > 0) {
		rumpfs_kill_privs(rn, cred);
		rumpfs_node_touch(rn, RN_TOUCH_MTIME | RN_TOUCH_CTIME);
		/* A short write reports what was written, as Linux does. */
		error = 0;
	}
	return error;
}

static int
rumpfs_fallocate(struct vnode *vp, off_t off, off_t len, int mode)
{
	struct rumpfs_node *rn = vp->v_data;
	uint64_t end;
	int error;

	KASSERT(vn_locked_exclusive(vp));
	if (rn->rn_type == VDIR)
		return EISDIR;
	if (rn->rn_type != VREG)
		return ENODEV;
	if (rn->rn_etfs != NULL)
		return EOPNOTSUPP;
	if (off < 0 || len <= 0)
		return EINVAL;
	if ((uint64_t)off > RUMPFS_MAXFILESIZE - (uint64_t)len)
		return EFBIG;
	end = (uint64_t)off + (uint64_t)len;

	/*
	 * Allocation only, growing the file unless FALLOC_FL_KEEP_SIZE.
	 * TODO: FALLOC_FL_PUNCH_HOLE, which Linux's tmpfs has, once the
	 * VFS passes it on.
	 */
	if (mode != 0 && mode != FALLOC_FL_KEEP_SIZE)
		return EOPNOTSUPP;
	error = rumpfs_data_allocate(rn, (uint64_t)off, (uint64_t)len);
	if (error != 0)
		return error;
	if (mode == 0 && end > rn->rn_size)
		rn->rn_size = end;
	rumpfs_kill_privs(rn, kauth_cred_get());
	rumpfs_node_touch(rn, RN_TOUCH_MTIME | RN_TOUCH_CTIME);
	return 0;
}

static int
rumpfs_fsync(struct vnode *vp, int flags, kauth_cred_t cred)
{

	/* The data lives in memory only: there is nothing to write back. */
	return 0;
}

static int
rumpfs_seekdata(struct vnode *vp, off_t off, int whence, off_t *resultp)
{
	struct rumpfs_node *rn = vp->v_data;
	uint64_t size;
	int error;

	if (rn->rn_type != VREG)
		return EINVAL;
	if (rn->rn_etfs == NULL)
		return rumpfs_data_seek(rn, off, whence, resultp);

	/* A host file is all data. */
	error = etfs_getsize(rn, &size);
	if (error != 0)
		return error;
	if (off < 0 || (uint64_t)off >= size)
		return ENXIO;
	*resultp = whence == SEEK_DATA ? off : (off_t)size;
	return 0;
}

static int
rumpfs_readdir(struct vnode *vp, struct uio *uio, kauth_cred_t cred,
    int *eofflag)
{
	struct rumpfs_node *rn = vp->v_data;
	int error;

	if (rn->rn_type != VDIR)
		return ENOTDIR;
	/* Linux fails a listing of a removed directory with ENOENT. */
	if (rn->rn_nlink == 0)
		return ENOENT;
	if (rn->rn_etfs != NULL && etfs_isdir(rn))
		error = etfs_readdir(rn, uio, eofflag);
	else
		error = rumpfs_dir_read(rn, uio, eofflag);
	rumpfs_node_accessed(rn);
	return error;
}

static int
rumpfs_readlink(struct vnode *vp, struct uio *uio, kauth_cred_t cred)
{
	struct rumpfs_node *rn = vp->v_data;
	int error;

	if (rn->rn_type != VLNK)
		return EINVAL;
	error = uiomove(rn->rn_lnk.target, MIN(rn->rn_lnk.len,
	    uio->uio_resid), uio);
	rumpfs_node_accessed(rn);
	return error;
}

static int
rumpfs_inactive(struct vnode *vp, bool *recycle)
{
	struct rumpfs_node *rn = vp->v_data;

	*recycle = rn->rn_nlink == 0;
	return 0;
}

static int
rumpfs_reclaim(struct vnode *vp)
{
	struct rumpfs_node *rn = vp->v_data;
	struct rumpfs_mount *rm = rn->rn_mount;
	bool unused;

	vp->v_data = NULL;
	mutex_enter(&rm->rm_lock);
	rn->rn_hasvnode = false;
	unused = rumpfs_node_unused(rn);
	mutex_exit(&rm->rm_lock);
	if (unused)
		rumpfs_node_free_chain(rn);
	return 0;
}

static int
rumpfs_fifo_reclaim(struct vnode *vp)
{

	fifo_reclaim(vp);
	return rumpfs_reclaim(vp);
}

const struct vnodeops rumpfs_vnodeops = {
	.vop_fsname = "rumpfs",
	.vop_lookup = rumpfs_lookup,
	.vop_create = rumpfs_create,
	.vop_mkdir = rumpfs_mkdir,
	.vop_symlink = rumpfs_symlink,
	.vop_link = rumpfs_link,
	.vop_remove = rumpfs_remove,
	.vop_rmdir = rumpfs_rmdir,
	.vop_rename = rumpfs_rename,
	.vop_open = rumpfs_open,
	.vop_close = rumpfs_close,
	.vop_getattr = rumpfs_getattr,
	.vop_setattr = rumpfs_setattr,
	.vop_read = rumpfs_read,
	.vop_write = rumpfs_write,
	.vop_fallocate = rumpfs_fallocate,
	.vop_fsync = rumpfs_fsync,
	.vop_seekdata = rumpfs_seekdata,
	.vop_readdir = rumpfs_readdir,
	.vop_readlink = rumpfs_readlink,
	.vop_inactive = rumpfs_inactive,
	.vop_reclaim = rumpfs_reclaim,
};

/* Device nodes: the device switch does the I/O, rumpfs the attributes. */
const struct vnodeops rumpfs_specops = {
	.vop_fsname = "rumpfs",
	.vop_open = spec_open,
	.vop_close = spec_close,
	.vop_getattr = rumpfs_getattr,
	.vop_setattr = rumpfs_setattr,
	.vop_read = spec_read,
	.vop_write = spec_write,
	.vop_ioctl = spec_ioctl,
	.vop_poll = spec_poll,
	.vop_fsync = spec_fsync,
	.vop_inactive = rumpfs_inactive,
	.vop_reclaim = rumpfs_reclaim,
};

const struct vnodeops rumpfs_fifoops = {
	.vop_fsname = "rumpfs",
	.vop_open = fifo_open,
	.vop_close = fifo_close,
	.vop_getattr = rumpfs_getattr,
	.vop_setattr = rumpfs_setattr,
	.vop_read = fifo_read,
	.vop_write = fifo_write,
	.vop_ioctl = fifo_ioctl,
	.vop_poll = fifo_poll,
	.vop_fsync = rumpfs_fsync,
	.vop_inactive = rumpfs_inactive,
	.vop_reclaim = rumpfs_fifo_reclaim,
};

/*
 * Mounting.
 */

/* Settings from the mount options and flags. */
struct rumpfs_args {
	int		ra_atime;	/* RUMPFS_ATIME_* */
	bool		ra_nodiratime;
	int		ra_rdonly;	/* -1: not given, 0: rw, 1: ro */
	bool		ra_sizeset;
	uint64_t	ra_maxpages;	/* with ra_sizeset; 0: no limit */
};

/*
 * Parse a size= value: bytes with an optional k, m or g suffix (powers
 * of 1024), or a percentage of the kernel's memory, rounded up to whole
 * pages.  False when malformed or too large.
 */
static bool
rumpfs_parse_size(const char *value, uint64_t *pagesp)
{
	unsigned long long v;
	uint64_t mult = 1, mem;
	char *end;
	int error = 0;

	v = strtoull_err(value, &end, 10, &error);
	if (error != 0 || end == value)
		return false;
	switch (*end) {
	case 'k': case 'K':
		mult = 1024;
		end++;
		break;
	case 'm': case 'M':
		mult = 1024 * 1024;
		end++;
		break;
	case 'g': case 'G':
		mult = 1024 * 1024 * 1024;
		end++;
		break;
	case '%':
		end++;
		if (*end != '\0' || v > 100)
			return false;
		mem = kmem_limit() != 0 ? kmem_limit() : physmem_bytes;
		*pagesp = howmany(mem / 100 * v, PAGE_SIZE);
		return true;
	}
	if (*end != '\0' || v > RUMPFS_MAXFILESIZE / mult)
		return false;
	*pagesp = howmany(v * mult, PAGE_SIZE);
	return true;
}

static int
rumpfs_parse_options(struct mount *mp, const char *options,
    struct rumpfs_args *ra)
{
	char name[32], value[32];
	const char *opts = options;
	int flags;

	mutex_enter(&mp->mnt_lock);
	flags = mp->mnt_flag;
	mutex_exit(&mp->mnt_lock);

	/* The VFS sets relatime unless noatime or strictatime was asked. */
	if (flags & MNT_NOATIME)
		ra->ra_atime = RUMPFS_ATIME_NONE;
	else if (flags & MNT_RELATIME)
		ra->ra_atime = RUMPFS_ATIME_RELATIME;
	else
		ra->ra_atime = RUMPFS_ATIME_STRICT;
	ra->ra_nodiratime = (flags & MNT_NODIRATIME) != 0;
	ra->ra_rdonly = -1;
	ra->ra_sizeset = false;
	ra->ra_maxpages = 0;
	if (opts == NULL)
		return 0;

	while (vfs_getopt(&opts, name, sizeof(name), value, sizeof(value))) {
		if (strcmp(name, "rw") == 0) {
			ra->ra_rdonly = 0;
		} else if (strcmp(name, "ro") == 0) {
			ra->ra_rdonly = 1;
		} else if (strcmp(name, "noatime") == 0) {
			ra->ra_atime = RUMPFS_ATIME_NONE;
		} else if (strcmp(name, "strictatime") == 0) {
			ra->ra_atime = RUMPFS_ATIME_STRICT;
		} else if (strcmp(name, "relatime") == 0) {
			ra->ra_atime = RUMPFS_ATIME_RELATIME;
		} else if (strcmp(name, "nodiratime") == 0) {
			ra->ra_nodiratime = true;
		} else if (strcmp(name, "size") == 0) {
			if (!rumpfs_parse_size(value, &ra->ra_maxpages)) {
				log(LOG_ERR, "rumpfs: invalid size \"%s\": "
				    "expected bytes with an optional k, m or g "
				    "suffix, or a percentage\n", value);
				return EINVAL;
			}
			ra->ra_sizeset = true;
		} else {
			log(LOG_ERR, "rumpfs: unknown mount option \"%s\"\n",
			    name);
			return EINVAL;
		}
	}
	return 0;
}

static void
rumpfs_apply_args(struct mount *mp, struct rumpfs_mount *rm,
    const struct rumpfs_args *ra)
{

	atomic_store_relaxed(&rm->rm_atime, ra->ra_atime);
	atomic_store_relaxed(&rm->rm_nodiratime, ra->ra_nodiratime);
	if (ra->ra_sizeset) {
		mutex_enter(&rm->rm_lock);
		atomic_store_relaxed(&rm->rm_maxpages, ra->ra_maxpages);
		mutex_exit(&rm->rm_lock);
	}
	if (ra->ra_rdonly >= 0) {
		mutex_enter(&mp->mnt_lock);
		if (ra->ra_rdonly)
			mp->mnt_flag |= MNT_RDONLY;
		else
			mp->mnt_flag &= ~MNT_RDONLY;
		mutex_exit(&mp->mnt_lock);
	}
}

/* Make a node of the root file system before the mount is visible. */
static struct rumpfs_node *
rumpfs_boot_node(struct rumpfs_node *dn, const char *name, enum vtype type,
    mode_t mode, dev_t rdev)
{
	struct rumpfs_node *rn;
	int error;

	error = rumpfs_node_create(dn, name, strlen(name), type, mode, 0, 0,
	    rdev, NULL, false, &rn);
	if (error != 0)
		panic("rumpfs: cannot make \"%s\" at boot: error %d", name,
		    error);
	return rn;
}

/* The device nodes in /dev, with Linux's numbers and modes. */
static void
rumpfs_populate_dev(struct rumpfs_mount *rm)
{
	static const struct {
		const char	*name;
		int		 major;
		int		 minor;
		mode_t		 mode;
	} nodes[] = {
		{ "null", MEM_MAJOR, MEM_MINOR_NULL, 0666 },
		{ "zero", MEM_MAJOR, MEM_MINOR_ZERO, 0666 },
		{ "full", MEM_MAJOR, MEM_MINOR_FULL, 0666 },
		{ "random", MEM_MAJOR, MEM_MINOR_RANDOM, 0666 },
		{ "urandom", MEM_MAJOR, MEM_MINOR_URANDOM, 0666 },
		{ "console", TTYAUX_MAJOR, TTYAUX_MINOR_CONSOLE, 0600 },
	};
	struct rumpfs_node *dev;
	size_t i;

	dev = rumpfs_boot_node(rm->rm_root, "dev", VDIR, 0755, 0);
	for (i = 0; i < __arraycount(nodes); i++)
		(void)rumpfs_boot_node(dev, nodes[i].name, VCHR,
		    nodes[i].mode, makedev(nodes[i].major, nodes[i].minor));
}

static int
rumpfs_mount(struct mount *mp, const char *source, const char *options,
    struct lwp *l)
{
	struct rumpfs_mount *rm;
	struct rumpfs_args ra;
	bool isroot;
	int flags, error;

	error = rumpfs_parse_options(mp, options, &ra);
	if (error != 0)
		return error;

	mutex_enter(&mp->mnt_lock);
	flags = mp->mnt_flag;
	mutex_exit(&mp->mnt_lock);
	if (flags & MS_REMOUNT) {
		rm = mp->mnt_data;
		/* Like tmpfs: the limit cannot go below what is in use. */
		if (ra.ra_sizeset && ra.ra_maxpages != 0 &&
		    ra.ra_maxpages < atomic_load_relaxed(&rm->rm_npages))
			return EINVAL;
		rumpfs_apply_args(mp, rm, &ra);
		return 0;
	}

	rm = kmem_zalloc(sizeof(*rm), KM_SLEEP);
	rm->rm_mp = mp;
	mutex_init(&rm->rm_lock, MUTEX_DEFAULT, IPL_NONE);
	LIST_INIT(&rm->rm_nodes);
	rm->rm_nextino = 1;

	/*
	 * The first rumpfs mounted before the kernel has a root is the
	 * root: 0755 like Linux's "/", with /dev and the boot-time etfs
	 * keys.  Any other gets tmpfs's 1777.
	 */
	isroot = rootvnode == NULL && rumpfs_rootmount() == NULL;
	rm->rm_root = rumpfs_node_alloc(rm, VDIR, isroot ? 0755 : 01777,
	    kauth_cred_geteuid(l->l_cred), kauth_cred_getegid(l->l_cred), 0);
	if (rm->rm_root == NULL) {
		mutex_destroy(&rm->rm_lock);
		kmem_free(rm, sizeof(*rm));
		return ENOSPC;
	}
	rm->rm_root->rn_nlink = 2;
	rumpfs_apply_args(mp, rm, &ra);

	mp->mnt_data = rm;
	mp->mnt_dev = vfs_alloc_dev();
	mp->mnt_fstypemagic = RUMPFS_MAGIC;

	if (isroot) {
		rumpfs_populate_dev(rm);
		atomic_store_release(&rumpfs_root, rm);
		etfs_boot(rm);
	}
	return 0;
}

/* Every vnode is gone (vflush): free the nodes that are left. */
static int
rumpfs_unmount(struct mount *mp, int flags)
{
	struct rumpfs_mount *rm = mp->mnt_data;
	struct rumpfs_node *rn;

	if (rumpfs_rootmount() == rm)
		atomic_store_release(&rumpfs_root, NULL);
	/* Directories first lose their entries, then nodes go in any order. */
	LIST_FOREACH(rn, &rm->rm_nodes, rn_entries) {
		if (rn->rn_type == VDIR)
			rumpfs_dir_free(rn);
	}
	while ((rn = LIST_FIRST(&rm->rm_nodes)) != NULL)
		rumpfs_node_free(rn);
	KASSERT(rm->rm_npages == 0);
	mutex_destroy(&rm->rm_lock);
	kmem_free(rm, sizeof(*rm));
	mp->mnt_data = NULL;
	return 0;
}

static int
rumpfs_root_vnode(struct mount *mp, struct vnode **vpp)
{
	struct rumpfs_mount *rm = mp->mnt_data;

	return rumpfs_getvnode(rm->rm_root, vpp);
}

/*
 * Block counts are in pages: the mount's size= limit, else the kernel's
 * memory limit, else the host's memory.  Free space is also bounded by
 * what the kernel has left, less the reserve that file data leaves to
 * the rest of the kernel.  Inodes: half as many as pages, as tmpfs
 * counts by default; they are not enforced, memory is the only limit.
 */
static int
rumpfs_statfs(struct mount *mp, struct statfs *sbp)
{
	struct rumpfs_mount *rm = mp->mnt_data;
	uint64_t total, used, avail, kfree, limit, inuse, nnodes;

	limit = kmem_limit();
	total = atomic_load_relaxed(&rm->rm_maxpages);
	if (total == 0)
		total = (limit != 0 ? limit : physmem_bytes) / PAGE_SIZE;
	used = atomic_load_relaxed(&rm->rm_npages);
	avail = total > used ? total - used : 0;
	if (limit != 0) {
		limit -= rumpfs_kmem_reserve();
		inuse = rumpfs_kmem_inuse();
		kfree = limit > inuse ? (limit - inuse) / PAGE_SIZE : 0;
		avail = MIN(avail, kfree);
	}
	nnodes = atomic_load_relaxed(&rm->rm_nnodes);

	memset(sbp, 0, sizeof(*sbp));
	sbp->f_type = RUMPFS_MAGIC;
	sbp->f_bsize = PAGE_SIZE;
	sbp->f_frsize = PAGE_SIZE;
	sbp->f_blocks = total;
	sbp->f_bfree = avail;
	sbp->f_bavail = avail;
	sbp->f_files = MAX(total / 2, nnodes);
	sbp->f_ffree = sbp->f_files - nnodes;
	sbp->f_fsid.val[0] = (int32_t)(uint32_t)mp->mnt_dev;
	sbp->f_fsid.val[1] = (int32_t)(uint32_t)(mp->mnt_dev >> 32);
	sbp->f_namelen = NAME_MAX;
	/* The VFS adds the mount's flags; the options may add these. */
	if (atomic_load_relaxed(&rm->rm_atime) == RUMPFS_ATIME_NONE)
		sbp->f_flags |= ST_NOATIME;
	if (atomic_load_relaxed(&rm->rm_nodiratime))
		sbp->f_flags |= ST_NODIRATIME;
	return 0;
}

static int
rumpfs_sync(struct mount *mp, int flags)
{

	return 0;
}

/* The key is the node's address; see the top of this file. */
static int
rumpfs_loadvnode(struct mount *mp, struct vnode *vp, uint64_t key)
{
	struct rumpfs_mount *rm = mp->mnt_data;
	struct rumpfs_node *rn = (struct rumpfs_node *)(uintptr_t)key;

	KASSERT(rn->rn_mount == rm);
	vp->v_type = rn->rn_type;
	switch (rn->rn_type) {
	case VCHR:
	case VBLK:
		vp->v_op = &rumpfs_specops;
		break;
	case VFIFO:
		vp->v_op = &rumpfs_fifoops;
		break;
	default:
		vp->v_op = &rumpfs_vnodeops;
		break;
	}
	vp->v_data = rn;
	vp->v_rdev = rn->rn_rdev;
	if (rn == rm->rm_root)
		vp->v_vflag |= VV_ROOT;
	mutex_enter(&rm->rm_lock);
	KASSERT(!rn->rn_hasvnode);
	rn->rn_hasvnode = true;
	mutex_exit(&rm->rm_lock);
	return 0;
}

static void
rumpfs_init(void)
{

	rumpfs_data_init();
}

static void
rumpfs_done(void)
{
}

static struct vfsops rumpfs_vfsops = {
	.vfs_name = "rumpfs",
	.vfs_mount = rumpfs_mount,
	.vfs_unmount = rumpfs_unmount,
	.vfs_root = rumpfs_root_vnode,
	.vfs_statfs = rumpfs_statfs,
	.vfs_sync = rumpfs_sync,
	.vfs_loadvnode = rumpfs_loadvnode,
	.vfs_init = rumpfs_init,
	.vfs_done = rumpfs_done,
};

RUMP_COMPONENT(RUMP_COMPONENT_VFS)
{
	int error;

	callout_init(&rumpfs_clock_callout, CALLOUT_MPSAFE);
	callout_setfunc(&rumpfs_clock_callout, rumpfs_clock_expire, NULL);
	error = vfs_register(&rumpfs_vfsops);
	if (error != 0)
		panic("rumpfs: cannot register the file system type: "
		    "error %d", error);
}
