/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Mounts: the file system type registry, the mount list, mounting and
 * unmounting, syncing, and the system calls mount, umount2, umount,
 * statfs, fstatfs, sync and syncfs.  sys/mount.h has the life cycle and
 * the locking legend.
 *
 * A mount holds one reference on itself (mnt_refcnt) from the moment it
 * is made until it is unmounted, and one on its root vnode (mnt_rootvp)
 * and on the directory it covers (mnt_vnodecovered) while it is mounted.
 * Every vnode of it holds a reference too, so the struct mount is freed
 * only when it is unmounted (IMNT_GONE) and its last vnode, dead ones of
 * a forced unmount included, has gone.
 *
 * Mount points.  A directory is covered by at most one mount
 * (v_mountedhere, set under the directory's vnode lock).  Mounting on a
 * directory that is the root of a mount stacks the new mount on top, as
 * Linux allows: lookups cross mount after mount until they reach a root
 * that nothing covers, and ".." climbs down the stack again.  The only
 * directory that cannot be covered is the global root (EBUSY), because
 * lookups of absolute paths start at it without crossing.
 *
 * Unmounting sets IMNT_UNMOUNTING first, so that lookups stop entering
 * the mount and vfs_busy callers wait, then checks for busy vnodes and
 * submounts, syncs, reclaims every vnode and calls the file system's
 * vfs_unmount.  Failing with EBUSY clears the flag again.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/fcntl.h>
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
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscallargs.h>
#include <sys/sysctl.h>
#include <sys/vnode.h>

/*
 * mount(2) flag bit that Linux reserves for kernel-internal mounts and
 * rejects from user space with EINVAL.
 */
#define MS_NOUSER	(1U << 31)

/* The propagation flags of mount(2), none of which is supported yet. */
#define MS_PROPAGATION	(MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE)

/* Flags that select an atime policy in mount(2). */
#define MS_ATIME_FLAGS	(MS_NOATIME | MS_NODIRATIME | MS_RELATIME | \
	MS_STRICTATIME)

/* statfs f_type of pipes and sockets (Linux's pipefs and sockfs). */
#define PIPEFS_MAGIC	0x50495045
#define SOCKFS_MAGIC	0x534f434b

/* vfs_unmount_steps flag: do not sync (a halt with RB_NOSYNC). */
#define UNMOUNT_NOSYNC	0x1000

kmutex_t mountlist_lock;
struct mountlist mountlist = TAILQ_HEAD_INITIALIZER(mountlist);

static kmutex_t vfs_list_lock;
static LIST_HEAD(, vfsops) vfs_list = LIST_HEAD_INITIALIZER(vfs_list);

static volatile uint64_t mount_nextid;
static volatile u_int anon_nextminor;

/* ------------------------------------------------------------------ */
/* File system types. */

static bool
vfsops_hasname(const struct vfsops *ops, const char *name)
{
	const char *const *alias;

	if (strcmp(ops->vfs_name, name) == 0)
		return true;
	if (ops->vfs_aliases == NULL)
		return false;
	for (alias = ops->vfs_aliases; *alias != NULL; alias++)
		if (strcmp(*alias, name) == 0)
			return true;
	return false;
}

static const struct vfsops *
vfs_getopsbyname_locked(const char *name)
{
	struct vfsops *ops;

	KASSERT(mutex_owned(&vfs_list_lock));
	LIST_FOREACH(ops, &vfs_list, vfs_list)
		if (vfsops_hasname(ops, name))
			return ops;
	return NULL;
}

/* Registers ops under its name and aliases; EEXIST if one is taken. */
int
vfs_register(struct vfsops *ops)
{
	const char *const *alias;

	mutex_enter(&vfs_list_lock);
	if (vfs_getopsbyname_locked(ops->vfs_name) != NULL)
		goto exists;
	if (ops->vfs_aliases != NULL) {
		for (alias = ops->vfs_aliases; *alias != NULL; alias++)
			if (vfs_getopsbyname_locked(*alias) != NULL)
				goto exists;
	}
	LIST_INSERT_HEAD(&vfs_list, ops, vfs_list);
	mutex_exit(&vfs_list_lock);

	if (ops->vfs_init != NULL)
		ops->vfs_init();
	return 0;

 exists:
	mutex_exit(&vfs_list_lock);
	printf("vfs_register: file system type %s: a type of that name or "
	    "alias is registered already\n", ops->vfs_name);
	return EEXIST;
}

const struct vfsops *
vfs_getopsbyname(const char *name)
{
	const struct vfsops *ops;

	mutex_enter(&vfs_list_lock);
	ops = vfs_getopsbyname_locked(name);
	mutex_exit(&vfs_list_lock);
	return ops;
}

/* ------------------------------------------------------------------ */
/* References and busy counts. */

static void
mount_free(struct mount *mp)
{

	KASSERT(mp->mnt_refcnt == 0 && mp->mnt_busy == 0);
	KASSERT(TAILQ_EMPTY(&mp->mnt_vnodes));
	mutex_destroy(&mp->mnt_renamelock);
	cv_destroy(&mp->mnt_cv);
	mutex_destroy(&mp->mnt_lock);
	kmem_free(mp, sizeof(*mp));
}

void
vfs_ref(struct mount *mp)
{

	mutex_enter(&mp->mnt_lock);
	KASSERT(mp->mnt_refcnt > 0);
	mp->mnt_refcnt++;
	mutex_exit(&mp->mnt_lock);
}

void
vfs_rele(struct mount *mp)
{
	bool last;

	mutex_enter(&mp->mnt_lock);
	KASSERT(mp->mnt_refcnt > 0);
	last = --mp->mnt_refcnt == 0;
	mutex_exit(&mp->mnt_lock);
	if (last) {
		KASSERTMSG(mp->mnt_iflag & IMNT_GONE,
		    "vfs_rele: last reference to mounted %s", mp->mnt_fstype);
		mount_free(mp);
	}
}

int
vfs_busy(struct mount *mp)
{

	mutex_enter(&mp->mnt_lock);
	while ((mp->mnt_iflag & (IMNT_UNMOUNTING | IMNT_DETACHED)) ==
	    IMNT_UNMOUNTING)
		cv_wait(&mp->mnt_cv, &mp->mnt_lock);
	if (mp->mnt_iflag & (IMNT_GONE | IMNT_FINISHING)) {
		mutex_exit(&mp->mnt_lock);
		return EIO;
	}
	mp->mnt_busy++;
	mutex_exit(&mp->mnt_lock);
	return 0;
}

/* The caller holds a reference to mp, or a vnode of it. */
void
vfs_unbusy(struct mount *mp)
{
	bool idle;

	mutex_enter(&mp->mnt_lock);
	KASSERT(mp->mnt_busy > 0);
	idle = --mp->mnt_busy == 0;
	if (idle)
		cv_broadcast(&mp->mnt_cv);
	idle = idle && (mp->mnt_iflag & IMNT_DETACHED);
	mutex_exit(&mp->mnt_lock);

	/* A lazy unmount that waited for this call may finish now. */
	if (idle)
		vfs_detached_idle(mp);
}

/* Wait for the vfs_busy holders to leave; the caller set a flag first. */
static void
mount_drain_busy(struct mount *mp)
{

	mutex_enter(&mp->mnt_lock);
	while (mp->mnt_busy > 0)
		cv_wait(&mp->mnt_cv, &mp->mnt_lock);
	mutex_exit(&mp->mnt_lock);
}

static void
mount_clear_iflag(struct mount *mp, int flags)
{

	mutex_enter(&mp->mnt_lock);
	mp->mnt_iflag &= ~flags;
	cv_broadcast(&mp->mnt_cv);
	mutex_exit(&mp->mnt_lock);
}

/* ------------------------------------------------------------------ */
/* Mounting. */

static struct mount *
mount_alloc(const struct vfsops *ops, const char *fstype, const char *source)
{
	struct mount *mp;

	mp = kmem_zalloc(sizeof(*mp), KM_SLEEP);
	mutex_init(&mp->mnt_lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&mp->mnt_cv, "mount");
	mutex_init(&mp->mnt_renamelock, MUTEX_DEFAULT, IPL_NONE);
	TAILQ_INIT(&mp->mnt_vnodes);
	mp->mnt_op = ops;
	mp->mnt_refcnt = 1;
	mp->mnt_id = atomic_add_64_nv(&mount_nextid, 1);
	strlcpy(mp->mnt_fstype, fstype, sizeof(mp->mnt_fstype));
	if (source != NULL)
		strlcpy(mp->mnt_source, source, sizeof(mp->mnt_source));
	return mp;
}

/*
 * The MNT_* flags a mount gets from mount(2) flags.  Like Linux, a mount
 * is relatime unless noatime or strictatime is asked for.
 */
static int
mount_flags(unsigned long flags)
{
	int mflags;

	mflags = flags & MNT_PERSISTENT_FLAGS;
	if (!(flags & MS_NOATIME))
		mflags |= MNT_RELATIME;
	if (flags & MS_STRICTATIME)
		mflags &= ~(MNT_RELATIME | MNT_NOATIME);
	return mflags;
}

/*
 * Undo a mount that never became visible: reclaim whatever vnodes the
 * file system made, let it unmount if it got that far, drop the mount.
 */
static void
mount_abort(struct mount *mp, bool fsmounted)
{
	int error;

	(void)vflush(mp, NULL, true);
	if (fsmounted && mp->mnt_op->vfs_unmount != NULL) {
		error = mp->mnt_op->vfs_unmount(mp, MNT_FORCE);
		if (error)
			log(LOG_ERR, "%s: unmounting a failed mount of %s: "
			    "error %d\n", mp->mnt_fstype, mp->mnt_source,
			    error);
	}
	mutex_enter(&mp->mnt_lock);
	mp->mnt_iflag |= IMNT_GONE;
	mutex_exit(&mp->mnt_lock);
	vfs_rele(mp);
}

int
vfs_mount_at(struct vnode *vp, const char *fstype, const char *source,
    int flags, const char *options, struct lwp *l, struct mount **mpp)
{
	const struct vfsops *ops;
	struct mount *mp;
	struct vnode *rvp;
	int error;

	if (!kauth_cred_privileged(l->l_cred))
		return EPERM;
	ops = vfs_getopsbyname(fstype);
	if (ops == NULL)
		return ENODEV;
	if (vp != NULL) {
		if (vp->v_type != VDIR)
			return ENOTDIR;
		if (vp == rootvnode)
			return EBUSY;
	}

	mp = mount_alloc(ops, fstype, source);
	mp->mnt_flag = mount_flags((unsigned long)flags);

	/* The file system may look paths up: no vnode lock is held. */
	error = ops->vfs_mount(mp, source, options, l);
	if (error) {
		mount_abort(mp, false);
		return error;
	}
	error = ops->vfs_root(mp, &rvp);
	if (error) {
		mount_abort(mp, true);
		return error;
	}
	rvp->v_vflag |= VV_ROOT;
	mp->mnt_rootvp = rvp;

	if (vp == NULL) {
		mutex_enter(&mountlist_lock);
		TAILQ_INSERT_TAIL(&mountlist, mp, mnt_list);
		mutex_exit(&mountlist_lock);
		*mpp = mp;
		return 0;
	}

	/* Cover vp, unless another mount covered it meanwhile. */
	error = vn_lock(vp, LK_EXCLUSIVE);
	if (error)
		error = ENOENT;
	else if (vp->v_mountedhere != NULL) {
		vn_unlock(vp);
		error = EBUSY;
	}
	if (error) {
		mp->mnt_rootvp = NULL;
		vrele(rvp);
		mount_abort(mp, true);
		return error;
	}
	vref(vp);
	mutex_enter(&mountlist_lock);
	mp->mnt_vnodecovered = vp;
	TAILQ_INSERT_TAIL(&mountlist, mp, mnt_list);
	mutex_exit(&mountlist_lock);
	vp->v_mountedhere = mp;
	vn_unlock(vp);
	*mpp = mp;
	return 0;
}

/*
 * MS_REMOUNT: new MNT_* flags and options for a mounted file system.  As
 * on Linux, flags that are not given are cleared, except that the atime
 * policy stays when no atime flag is given, and making a mount read-only
 * fails with EBUSY while a file on it is open for writing.  With
 * MS_BIND only the mount's own flags change and the file system is not
 * asked.
 */
/*
 * Apply the generic "ro" and "rw" options to MNT_* flags: as on Linux
 * they mean the same as giving or leaving out MS_RDONLY, the last one
 * given winning.
 */
static int
mount_options_rdonly(const char *options, int nflags)
{
	char name[32], value[8];
	const char *opts = options;

	if (opts == NULL)
		return nflags;
	while (vfs_getopt(&opts, name, sizeof(name), value, sizeof(value))) {
		if (strcmp(name, "ro") == 0)
			nflags |= MNT_RDONLY;
		else if (strcmp(name, "rw") == 0)
			nflags &= ~MNT_RDONLY;
	}
	return nflags;
}

static int
vfs_remount(struct mount *mp, unsigned long flags, const char *options,
    struct lwp *l)
{
	int oflags, nflags, error;

	if (!kauth_cred_privileged(l->l_cred))
		return EPERM;
	error = vfs_busy(mp);
	if (error)
		return error;

	nflags = mount_options_rdonly(options, mount_flags(flags));
	oflags = mp->mnt_flag;
	if (!(flags & MS_ATIME_FLAGS)) {
		nflags &= ~(MNT_NOATIME | MNT_NODIRATIME | MNT_RELATIME);
		nflags |= oflags & (MNT_NOATIME | MNT_NODIRATIME |
		    MNT_RELATIME);
	}

	if ((nflags & MNT_RDONLY) && !(oflags & MNT_RDONLY)) {
		if (vcache_writecount(mp) > 0) {
			error = EBUSY;
			goto out;
		}
		if (mp->mnt_op->vfs_sync != NULL)
			(void)mp->mnt_op->vfs_sync(mp, FSYNC_WAIT);
	}

	mutex_enter(&mp->mnt_lock);
	mp->mnt_flag = nflags | ((flags & MS_BIND) ? 0 : MS_REMOUNT);
	mutex_exit(&mp->mnt_lock);
	if (!(flags & MS_BIND))
		error = mp->mnt_op->vfs_mount(mp, mp->mnt_source, options, l);
	mutex_enter(&mp->mnt_lock);
	mp->mnt_flag = error ? oflags : nflags;
	mutex_exit(&mp->mnt_lock);
 out:
	vfs_unbusy(mp);
	return error;
}

/* ------------------------------------------------------------------ */
/* Unmounting. */

/*
 * A mount covering a directory of mp that is not being unmounted
 * (with all, any that is not gone), referenced; NULL if none.
 */
static struct mount *
mount_find_submount(struct mount *mp, bool all)
{
	struct mount *m;
	int skip;

	skip = all ? IMNT_GONE : (IMNT_GONE | IMNT_UNMOUNTING);
	mutex_enter(&mountlist_lock);
	TAILQ_FOREACH(m, &mountlist, mnt_list) {
		if (m->mnt_vnodecovered == NULL ||
		    m->mnt_vnodecovered->v_mount != mp)
			continue;
		mutex_enter(&m->mnt_lock);
		if ((m->mnt_iflag & skip) == 0) {
			m->mnt_refcnt++;
			mutex_exit(&m->mnt_lock);
			mutex_exit(&mountlist_lock);
			return m;
		}
		mutex_exit(&m->mnt_lock);
	}
	mutex_exit(&mountlist_lock);
	return NULL;
}

/*
 * Take mp off the directory it covers; it stays on the mount list.  A lazy
 * unmount and the completion of it may both get here: the one that takes
 * mnt_vnodecovered does the work.
 */
static void
mount_uncover(struct mount *mp)
{
	struct vnode *covered;

	mutex_enter(&mountlist_lock);
	covered = mp->mnt_vnodecovered;
	mp->mnt_vnodecovered = NULL;
	mutex_exit(&mountlist_lock);
	if (covered == NULL)
		return;

	vn_lock(covered, LK_EXCLUSIVE | LK_RETRY);
	KASSERT(covered->v_mountedhere == mp);
	covered->v_mountedhere = NULL;
	vn_unlock(covered);
	vrele(covered);
}

/*
 * The work of an unmount once IMNT_UNMOUNTING is set and the caller has
 * made sure nothing blocks it (or MNT_FORCE): sync, reclaim every vnode
 * with the root last, let the file system go, uncover and drop the
 * mount.  On failure the mount is left as it was, flag included.
 */
static int
vfs_unmount_steps(struct mount *mp, int flags)
{
	bool force = (flags & MNT_FORCE) != 0;
	struct vnode *rvp;
	int error;

	mount_drain_busy(mp);
	if (!(flags & UNMOUNT_NOSYNC) && mp->mnt_op->vfs_sync != NULL &&
	    !(mp->mnt_flag & MNT_RDONLY)) {
		error = mp->mnt_op->vfs_sync(mp, FSYNC_WAIT);
		if (error)
			log(LOG_WARNING, "%s: syncing %s before unmount "
			    "failed: error %d\n", mp->mnt_fstype,
			    mp->mnt_source, error);
	}

	rvp = mp->mnt_rootvp;
	error = vflush(mp, rvp, force);
	if (error)
		return error;
	if (!force && atomic_load_relaxed(&rvp->v_usecount) > 1)
		return EBUSY;
	vgone(rvp);
	/*
	 * With MNT_FORCE, lookups that were in the root while the others
	 * were flushed may have made new vnodes.  Now that no vnode of the
	 * mount is alive, no operation can make more: flush those too.
	 */
	if (force)
		(void)vflush(mp, NULL, true);
	mutex_enter(&mountlist_lock);
	mp->mnt_rootvp = NULL;
	mutex_exit(&mountlist_lock);
	vrele(rvp);

	if (mp->mnt_op->vfs_unmount != NULL) {
		error = mp->mnt_op->vfs_unmount(mp, flags & MNT_FORCE);
		if (error && !force) {
			/* Take the root back; the mount stays. */
			if (mp->mnt_op->vfs_root(mp, &rvp) == 0) {
				rvp->v_vflag |= VV_ROOT;
				mutex_enter(&mountlist_lock);
				mp->mnt_rootvp = rvp;
				mutex_exit(&mountlist_lock);
				return error;
			}
			log(LOG_ERR, "%s: unmount of %s failed with error %d "
			    "and its root cannot be loaded again: unmounting "
			    "anyway\n", mp->mnt_fstype, mp->mnt_source, error);
		} else if (error)
			log(LOG_ERR, "%s: forced unmount of %s: error %d\n",
			    mp->mnt_fstype, mp->mnt_source, error);
	}

	mount_uncover(mp);
	mutex_enter(&mountlist_lock);
	TAILQ_REMOVE(&mountlist, mp, mnt_list);
	mutex_exit(&mountlist_lock);
	mutex_enter(&mp->mnt_lock);
	mp->mnt_iflag |= IMNT_GONE;
	cv_broadcast(&mp->mnt_cv);
	mutex_exit(&mp->mnt_lock);
	vfs_rele(mp);
	return 0;
}

/*
 * MNT_DETACH: take mp and every mount below it out of the namespace now;
 * each finishes unmounting when its last vnode is released.
 */
static void
vfs_detach(struct mount *mp)
{
	struct mount *sub;

	while ((sub = mount_find_submount(mp, false)) != NULL) {
		(void)vfs_unmount(sub, MNT_DETACH);
		vfs_rele(sub);
	}
	mutex_enter(&mp->mnt_lock);
	mp->mnt_iflag |= IMNT_DETACHED;
	cv_broadcast(&mp->mnt_cv);
	mutex_exit(&mp->mnt_lock);
	mount_uncover(mp);
}

int
vfs_unmount(struct mount *mp, int flags)
{
	struct mount *sub;
	int error;

	mutex_enter(&mp->mnt_lock);
	if (mp->mnt_iflag & (IMNT_UNMOUNTING | IMNT_GONE)) {
		mutex_exit(&mp->mnt_lock);
		return EINVAL;
	}
	mp->mnt_iflag |= IMNT_UNMOUNTING;
	mutex_exit(&mp->mnt_lock);

	if (flags & MNT_DETACH) {
		vfs_ref(mp);
		vfs_detach(mp);
		vfs_detached_idle(mp);
		vfs_rele(mp);
		return 0;
	}

	sub = mount_find_submount(mp, true);
	if (sub != NULL) {
		vfs_rele(sub);
		error = EBUSY;
		goto fail;
	}
	/* Only the mount's own reference on its root may remain. */
	if (!(flags & MNT_FORCE) && (vcache_busy_count(mp) > 1 ||
	    atomic_load_relaxed(&mp->mnt_rootvp->v_usecount) > 1)) {
		error = EBUSY;
		goto fail;
	}
	error = vfs_unmount_steps(mp, flags);
	if (error)
		goto fail;
	return 0;

 fail:
	mount_clear_iflag(mp, IMNT_UNMOUNTING);
	return error;
}

/*
 * True when nothing keeps the detached mount mp: no vnode is referenced
 * but the root, by the mount alone, and no mount is below it.  The caller
 * holds IMNT_IDLECHECK, so mnt_rootvp stays.
 */
static bool
mount_detached_unused(struct mount *mp)
{
	struct mount *sub;

	if (vcache_busy_count(mp) > 1 ||
	    atomic_load_relaxed(&mp->mnt_rootvp->v_usecount) > 1)
		return false;
	sub = mount_find_submount(mp, true);
	if (sub != NULL) {
		vfs_rele(sub);
		return false;
	}
	return true;
}

/*
 * Several threads may release vnodes of the mount at once.  One of them
 * checks at a time (IMNT_IDLECHECK); the others set IMNT_RECHECK, so the
 * checker looks again before it gives up and no last release is missed.
 */
void
vfs_detached_idle(struct mount *mp)
{
	bool unused;
	int error;

	mutex_enter(&mp->mnt_lock);
	if ((mp->mnt_iflag & (IMNT_DETACHED | IMNT_GONE)) != IMNT_DETACHED) {
		mutex_exit(&mp->mnt_lock);
		return;
	}
	if (mp->mnt_iflag & IMNT_IDLECHECK) {
		mp->mnt_iflag |= IMNT_RECHECK;
		mutex_exit(&mp->mnt_lock);
		return;
	}
	mp->mnt_iflag |= IMNT_IDLECHECK;

	for (;;) {
		mp->mnt_iflag &= ~IMNT_RECHECK;
		/* vfs_unbusy checks again when the busy count drops to 0. */
		if (mp->mnt_busy > 0)
			break;
		mutex_exit(&mp->mnt_lock);
		unused = mount_detached_unused(mp);
		mutex_enter(&mp->mnt_lock);
		if (!unused || mp->mnt_busy > 0) {
			if (mp->mnt_iflag & IMNT_RECHECK)
				continue;
			break;
		}

		/* From here vfs_busy fails, so no new holder can come. */
		mp->mnt_iflag |= IMNT_FINISHING;
		mutex_exit(&mp->mnt_lock);
		/*
		 * NOTE: this runs in whichever thread released the last
		 * vnode, with whatever locks it holds, and calls into the
		 * file system.
		 */
		error = vfs_unmount_steps(mp, 0);
		mutex_enter(&mp->mnt_lock);
		if (error == 0)
			break;
		mp->mnt_iflag &= ~IMNT_FINISHING;
		if (error != EBUSY) {
			log(LOG_ERR, "%s: lazy unmount of %s failed: error %d; "
			    "it stays detached\n", mp->mnt_fstype,
			    mp->mnt_source, error);
			break;
		}
		if (!(mp->mnt_iflag & IMNT_RECHECK))
			break;
	}
	mp->mnt_iflag &= ~(IMNT_IDLECHECK | IMNT_RECHECK);
	cv_broadcast(&mp->mnt_cv);
	mutex_exit(&mp->mnt_lock);
}

/* ------------------------------------------------------------------ */
/* Syncing, device numbers, options, helpers for the system calls. */

/*
 * The mounts on the mount list that are not gone, referenced, in list
 * order (oldest first); *countp of them in a kmem array of *sizep bytes.
 */
static struct mount **
mount_snapshot(u_int *countp, size_t *sizep)
{
	struct mount **mps, *mp;
	u_int n, i;

	for (;;) {
		n = 0;
		mutex_enter(&mountlist_lock);
		TAILQ_FOREACH(mp, &mountlist, mnt_list)
			n++;
		mutex_exit(&mountlist_lock);

		*sizep = (n + 1) * sizeof(*mps);
		mps = kmem_alloc(*sizep, KM_SLEEP);
		i = 0;
		mutex_enter(&mountlist_lock);
		TAILQ_FOREACH(mp, &mountlist, mnt_list) {
			if (i == n + 1)
				break;
			mutex_enter(&mp->mnt_lock);
			if (!(mp->mnt_iflag & IMNT_GONE)) {
				mp->mnt_refcnt++;
				mps[i++] = mp;
			}
			mutex_exit(&mp->mnt_lock);
		}
		if (mp == NULL) {
			mutex_exit(&mountlist_lock);
			*countp = i;
			return mps;
		}
		/* The list grew meanwhile: try again with more room. */
		mutex_exit(&mountlist_lock);
		while (i > 0)
			vfs_rele(mps[--i]);
		kmem_free(mps, *sizep);
	}
}

void
vfs_sync_all(int flags)
{
	struct mount **mps, *mp;
	size_t size;
	u_int n, i;
	int error;

	mps = mount_snapshot(&n, &size);
	for (i = 0; i < n; i++) {
		mp = mps[i];
		if (mp->mnt_op->vfs_sync != NULL &&
		    !(mp->mnt_flag & MNT_RDONLY) && vfs_busy(mp) == 0) {
			error = mp->mnt_op->vfs_sync(mp, flags);
			if (error)
				log(LOG_WARNING, "%s: sync of %s failed: "
				    "error %d\n", mp->mnt_fstype,
				    mp->mnt_source, error);
			vfs_unbusy(mp);
		}
		vfs_rele(mp);
	}
	kmem_free(mps, size);
}

/*
 * Anonymous device numbers, as Linux gives file systems without a block
 * device: major 0, minors counting up from 1.
 */
dev_t
vfs_alloc_dev(void)
{

	return makedev(0, atomic_inc_uint_nv(&anon_nextminor));
}

/*
 * Options are "name" or "name=value", separated by commas; empty ones
 * are skipped.  A name or value too long for its buffer is cut short,
 * which makes it an option the file system does not know.
 */
bool
vfs_getopt(const char **optsp, char *name, size_t namelen, char *value,
    size_t valuelen)
{
	const char *p = *optsp, *start;
	size_t len;

	if (p == NULL)
		return false;
	while (*p == ',')
		p++;
	if (*p == '\0') {
		*optsp = p;
		return false;
	}

	start = p;
	while (*p != '\0' && *p != ',' && *p != '=')
		p++;
	len = p - start;
	if (namelen > 0) {
		if (len >= namelen)
			len = namelen - 1;
		memcpy(name, start, len);
		name[len] = '\0';
	}

	if (valuelen > 0)
		value[0] = '\0';
	if (*p == '=') {
		start = ++p;
		while (*p != '\0' && *p != ',')
			p++;
		len = p - start;
		if (valuelen > 0) {
			if (len >= valuelen)
				len = valuelen - 1;
			memcpy(value, start, len);
			value[len] = '\0';
		}
	}
	*optsp = p;
	return true;
}

int
vfs_writable(struct vnode *vp)
{

	if (atomic_load_relaxed(&vp->v_mount->mnt_flag) & MNT_RDONLY)
		return EROFS;
	return 0;
}

/* ST_* flags of statfs(2) for a mount's MNT_* flags. */
static int64_t
mount_stflags(int mflags)
{
	static const struct {
		int	mnt;
		int64_t	st;
	} map[] = {
		{ MNT_RDONLY, ST_RDONLY },
		{ MNT_NOSUID, ST_NOSUID },
		{ MNT_NODEV, ST_NODEV },
		{ MNT_NOEXEC, ST_NOEXEC },
		{ MNT_SYNCHRONOUS, ST_SYNCHRONOUS },
		{ MNT_NOATIME, ST_NOATIME },
		{ MNT_NODIRATIME, ST_NODIRATIME },
		{ MNT_RELATIME, ST_RELATIME },
	};
	int64_t st = ST_VALID;
	size_t i;

	for (i = 0; i < __arraycount(map); i++)
		if (mflags & map[i].mnt)
			st |= map[i].st;
	return st;
}

int
vfs_getstatfs(struct mount *mp, struct statfs *sbp)
{
	int64_t fsflags;
	uint64_t dev;
	int error;

	memset(sbp, 0, sizeof(*sbp));
	error = vfs_busy(mp);
	if (error)
		return error;
	if (mp->mnt_op->vfs_statfs != NULL)
		error = mp->mnt_op->vfs_statfs(mp, sbp);
	vfs_unbusy(mp);
	if (error)
		return error;

	if (sbp->f_type == 0)
		sbp->f_type = mp->mnt_fstypemagic;
	if (sbp->f_bsize == 0)
		sbp->f_bsize = PAGE_SIZE;
	if (sbp->f_frsize == 0)
		sbp->f_frsize = sbp->f_bsize;
	if (sbp->f_namelen == 0)
		sbp->f_namelen = NAME_MAX;
	if (sbp->f_fsid.val[0] == 0 && sbp->f_fsid.val[1] == 0) {
		/* Linux's default: the device number, low word first. */
		dev = mp->mnt_dev;
		sbp->f_fsid.val[0] = (int32_t)(uint32_t)dev;
		sbp->f_fsid.val[1] = (int32_t)(uint32_t)(dev >> 32);
	}
	/*
	 * The mount's flags decide, as on Linux; a file system that keeps
	 * its own atime policy (from its options) may add to it.
	 */
	fsflags = sbp->f_flags & (ST_NOATIME | ST_NODIRATIME);
	sbp->f_flags = mount_stflags(mp->mnt_flag) | fsflags;
	if (fsflags & ST_NOATIME)
		sbp->f_flags &= ~ST_RELATIME;
	return 0;
}

/* Fill in statfs(2) of a pipe or socket as Linux's pipefs and sockfs do. */
static void
statfs_anon(struct statfs *sbp, int64_t magic)
{

	memset(sbp, 0, sizeof(*sbp));
	sbp->f_type = magic;
	sbp->f_bsize = PAGE_SIZE;
	sbp->f_frsize = PAGE_SIZE;
	sbp->f_namelen = NAME_MAX;
	sbp->f_flags = ST_VALID;
}

/* ------------------------------------------------------------------ */
/* Boot and halt. */

int
vfs_mountroot(const char *fstype)
{
	struct mount *mp;
	int error;

	error = vfs_mount_at(NULL, fstype, fstype, 0, NULL, curlwp, &mp);
	if (error)
		return error;
	rootvnode = mp->mnt_rootvp;
	vref(rootvnode);
	return 0;
}

/*
 * At halt: sync every file system, then unmount them all by force, the
 * most recent first, so that file systems write their final state.  With
 * RB_NOSYNC nothing is written: the mounts are left as they are, as after
 * a crash, because an unmount would mark file systems clean whose data
 * was never written.
 */
static void
vfs_shutdown(void *arg)
{
	struct mount **mps, *mp;
	size_t size;
	u_int n, i;
	int error;

	if (!(shutdown_howto & RB_NOSYNC)) {
		vfs_sync_all(FSYNC_WAIT);

		mps = mount_snapshot(&n, &size);
		for (i = n; i-- > 0;) {
			mp = mps[i];
			mutex_enter(&mp->mnt_lock);
			if (mp->mnt_iflag & (IMNT_GONE | IMNT_FINISHING |
			    IMNT_IDLECHECK)) {
				mutex_exit(&mp->mnt_lock);
				continue;
			}
			/*
			 * Detached mounts are unmounting already: finish
			 * them, keeping vfs_detached_idle out.
			 */
			mp->mnt_iflag |= IMNT_UNMOUNTING | IMNT_FINISHING |
			    IMNT_IDLECHECK;
			mutex_exit(&mp->mnt_lock);
			error = vfs_unmount_steps(mp, MNT_FORCE);
			if (error)
				log(LOG_ERR, "%s: unmount of %s at halt failed: "
				    "error %d\n", mp->mnt_fstype,
				    mp->mnt_source, error);
		}
		for (i = 0; i < n; i++)
			vfs_rele(mps[i]);
		kmem_free(mps, size);
	}
	vcache_shutdown();
}

/* Size of the vfs.generic.fstypes string buffer, NUL included. */
#define FSTYPES_SYSCTL_SIZE	1024

/*
 * sysctl handler of vfs.generic.fstypes: the names of the registered file
 * system types (not their aliases), separated by single spaces, the most
 * recently registered first.  A list that does not fit the node's buffer
 * ends at the last whole name that does.  Read-only.
 */
static int
vfs_sysctl_fstypes(const struct sysctlnode *node, int op, void *buf,
    size_t *lenp)
{
	const struct vfsops *ops;
	char *out = buf;
	size_t len = 0, namelen, need;

	if (op != SYSCTL_GET)
		return EPERM;
	mutex_enter(&vfs_list_lock);
	LIST_FOREACH(ops, &vfs_list, vfs_list) {
		namelen = strlen(ops->vfs_name);
		need = namelen + (len > 0 ? 1 : 0);
		if (len + need >= FSTYPES_SYSCTL_SIZE)
			break;
		if (len > 0)
			out[len++] = ' ';
		memcpy(out + len, ops->vfs_name, namelen);
		len += namelen;
	}
	mutex_exit(&vfs_list_lock);
	out[len] = '\0';
	*lenp = len + 1;
	return 0;
}

void
vfs_mount_sysinit(void)
{
	int error;

	mutex_init(&mountlist_lock, MUTEX_DEFAULT, IPL_NONE);
	mutex_init(&vfs_list_lock, MUTEX_DEFAULT, IPL_NONE);
	(void)shutdownhook_establish(vfs_shutdown, NULL);

	error = sysctl_create("vfs", CTL_CREATE, "generic", CTLTYPE_NODE, 0,
	    NULL, 0, NULL, "Settings common to all file system types");
	if (error == 0)
		error = sysctl_create("vfs.generic", CTL_CREATE, "fstypes",
		    CTLTYPE_STRING, CTLFLAG_READONLY, NULL,
		    FSTYPES_SYSCTL_SIZE, vfs_sysctl_fstypes,
		    "Names of the registered file system types");
	if (error)
		panic("vfs_mount_sysinit: cannot create vfs.generic.fstypes: "
		    "error %d", error);
}

/* ------------------------------------------------------------------ */
/* System calls. */

/*
 * Copy a string argument of mount(2): NULL stays NULL, and like Linux a
 * string of PATH_MAX bytes or more is EINVAL.
 */
static int
mount_copystr(const char *uaddr, char **kstrp)
{
	char *kstr;
	int error;

	*kstrp = NULL;
	if (uaddr == NULL)
		return 0;
	kstr = kmem_alloc(PATH_MAX, KM_SLEEP);
	error = copyinstr(uaddr, kstr, PATH_MAX, NULL);
	if (error) {
		kmem_free(kstr, PATH_MAX);
		return error == ENAMETOOLONG ? EINVAL : error;
	}
	*kstrp = kstr;
	return 0;
}

/*
 * Copy mount(2)'s data: a string of options, cut at PAGE_SIZE - 1 bytes
 * as Linux does.
 */
static int
mount_copydata(const void *uaddr, char **kdatap)
{
	char *kdata;
	int error;

	*kdatap = NULL;
	if (uaddr == NULL)
		return 0;
	kdata = kmem_alloc(PAGE_SIZE, KM_SLEEP);
	error = copyinstr(uaddr, kdata, PAGE_SIZE, NULL);
	if (error == ENAMETOOLONG)
		error = copyin(uaddr, kdata, PAGE_SIZE - 1);
	if (error) {
		kmem_free(kdata, PAGE_SIZE);
		return error;
	}
	kdata[PAGE_SIZE - 1] = '\0';
	*kdatap = kdata;
	return 0;
}

/* True when vp is the root directory of its (mounted) file system. */
static bool
vnode_is_mountroot(struct vnode *vp)
{

	return (vp->v_vflag & VV_ROOT) && vp->v_mount->mnt_rootvp == vp &&
	    !(vp->v_mount->mnt_iflag & (IMNT_DETACHED | IMNT_GONE));
}

/*
 * mount(2).  Linux's order of checks: the strings are copied, the target
 * is looked up (following links), then MS_NOUSER is EINVAL, an
 * unprivileged caller is EPERM, and the kind of mount is chosen: remount,
 * bind, propagation change, move, or a new mount (no type: EINVAL,
 * unknown type: ENODEV, target not a directory: ENOTDIR).
 */
int
sys_mount(struct lwp *l, const struct sys_mount_args *uap,
    register_t *retval)
{
	unsigned long flags = SCARG(uap, mountflags);
	char *source = NULL, *fstype = NULL, *data = NULL;
	struct mount *mp;
	struct vnode *vp = NULL;
	int error;

	error = mount_copystr(SCARG(uap, fstype), &fstype);
	if (error == 0)
		error = mount_copystr(SCARG(uap, source), &source);
	if (error == 0)
		error = mount_copydata(SCARG(uap, data), &data);
	if (error == 0)
		error = namei(l, AT_FDCWD, SCARG(uap, target), NAMEI_FOLLOW,
		    &vp);
	if (error)
		goto out;

	if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
		flags &= ~(unsigned long)MS_MGC_MSK;
	if (flags & MS_NOUSER) {
		error = EINVAL;
		goto out;
	}
	if (!kauth_cred_privileged(l->l_cred)) {
		error = EPERM;
		goto out;
	}

	if (flags & MS_REMOUNT) {
		if (!vnode_is_mountroot(vp)) {
			error = EINVAL;
			goto out;
		}
		error = vfs_remount(vp->v_mount, flags, data, l);
		goto out;
	}
	/* NOTE: bind, move and propagation changes are not implemented. */
	if (flags & (MS_BIND | MS_MOVE | MS_PROPAGATION)) {
		error = EINVAL;
		goto out;
	}
	if (fstype == NULL) {
		error = EINVAL;
		goto out;
	}
	error = vfs_mount_at(vp, fstype, source, (int)flags, data, l, &mp);
 out:
	if (vp != NULL)
		vrele(vp);
	if (data != NULL)
		kmem_free(data, PAGE_SIZE);
	if (source != NULL)
		kmem_free(source, PATH_MAX);
	if (fstype != NULL)
		kmem_free(fstype, PATH_MAX);
	return error;
}

/*
 * umount2(2).  Linux's order: unknown flags are EINVAL, then the target
 * is looked up, then an unprivileged caller is EPERM and a target that is
 * not the root of a mount EINVAL, then MNT_EXPIRE with MNT_FORCE or
 * MNT_DETACH is EINVAL.  MNT_EXPIRE alone marks the mount and fails with
 * EAGAIN the first time, and unmounts when called again.
 *
 * NOTE: Linux clears the expiry mark whenever the mount is used; this
 * kernel keeps it until the second call.  The root file system cannot be
 * unmounted (EBUSY), because lookups need it.
 */
int
sys_umount2(struct lwp *l, const struct sys_umount2_args *uap,
    register_t *retval)
{
	int flags = SCARG(uap, flags);
	struct mount *mp;
	struct vnode *vp;
	bool marked;
	int error;

	if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
		return EINVAL;
	error = namei(l, AT_FDCWD, SCARG(uap, target),
	    (flags & UMOUNT_NOFOLLOW) ? 0 : NAMEI_FOLLOW, &vp);
	if (error)
		return error;
	if (!kauth_cred_privileged(l->l_cred))
		error = EPERM;
	else if (!vnode_is_mountroot(vp))
		error = EINVAL;
	else if ((flags & MNT_EXPIRE) && (flags & (MNT_FORCE | MNT_DETACH)))
		error = EINVAL;
	else if (vp == rootvnode)
		error = EBUSY;
	if (error) {
		vrele(vp);
		return error;
	}

	/* Our own reference would make the mount busy: keep the mount. */
	mp = vp->v_mount;
	vfs_ref(mp);
	vrele(vp);

	if (flags & MNT_EXPIRE) {
		mutex_enter(&mp->mnt_lock);
		marked = (mp->mnt_iflag & IMNT_EXPIRE) != 0;
		mp->mnt_iflag |= IMNT_EXPIRE;
		mutex_exit(&mp->mnt_lock);
		if (!marked) {
			vfs_rele(mp);
			return EAGAIN;
		}
	}
	error = vfs_unmount(mp, flags & (MNT_FORCE | MNT_DETACH));
	vfs_rele(mp);
	return error;
}

int
sys_umount(struct lwp *l, const struct sys_umount_args *uap,
    register_t *retval)
{
	struct sys_umount2_args ua;

	SCARG(&ua, target) = SCARG(uap, target);
	SCARG(&ua, flags) = 0;
	return sys_umount2(l, &ua, retval);
}

int
sys_statfs(struct lwp *l, const struct sys_statfs_args *uap,
    register_t *retval)
{
	struct statfs sb;
	struct vnode *vp;
	int error;

	error = namei(l, AT_FDCWD, SCARG(uap, path), NAMEI_FOLLOW, &vp);
	if (error)
		return error;
	error = vfs_getstatfs(vp->v_mount, &sb);
	vrele(vp);
	if (error)
		return error;
	return copyout(&sb, SCARG(uap, buf), sizeof(sb));
}

int
sys_fstatfs(struct lwp *l, const struct sys_fstatfs_args *uap,
    register_t *retval)
{
	struct statfs sb;
	struct file *fp;
	struct vnode *vp;
	int error = 0;

	fp = fd_getfile(SCARG(uap, fd));
	if (fp == NULL)
		return EBADF;
	switch (fp->f_type) {
	case DTYPE_VNODE:
		vp = fp->f_data;
		error = vfs_getstatfs(vp->v_mount, &sb);
		break;
	case DTYPE_PIPE:
		statfs_anon(&sb, PIPEFS_MAGIC);
		break;
	case DTYPE_SOCKET:
		statfs_anon(&sb, SOCKFS_MAGIC);
		break;
	default:
		error = EINVAL;
		break;
	}
	fd_putfile(fp);
	if (error)
		return error;
	return copyout(&sb, SCARG(uap, buf), sizeof(sb));
}

int
sys_sync(struct lwp *l, const void *uap, register_t *retval)
{

	vfs_sync_all(FSYNC_WAIT);
	return 0;
}

/* syncfs(2): the mount of the file; other kinds of file have nothing. */
int
sys_syncfs(struct lwp *l, const struct sys_syncfs_args *uap,
    register_t *retval)
{
	struct file *fp;
	struct mount *mp;
	int error = 0;

	fp = fd_getfile(SCARG(uap, fd));
	if (fp == NULL)
		return EBADF;
	if (fp->f_type == DTYPE_VNODE) {
		mp = ((struct vnode *)fp->f_data)->v_mount;
		if (mp->mnt_op->vfs_sync != NULL &&
		    !(mp->mnt_flag & MNT_RDONLY) &&
		    (error = vfs_busy(mp)) == 0) {
			error = mp->mnt_op->vfs_sync(mp, FSYNC_WAIT);
			vfs_unbusy(mp);
		}
	}
	fd_putfile(fp);
	return error;
}
