/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The vnode cache: making, finding, referencing, locking and reclaiming
 * vnodes.  sys/vnode.h describes the life cycle; this is how it is kept.
 *
 * Every vnode that exists is in the cache: on the hash chain of its
 * (mount, key) while its file may still be looked up (VI_HASHED), and on
 * its mount's mnt_vnodes list until it is reclaimed.  A vnode with no
 * reference is VS_ACTIVE and sits on the free list, least recently used
 * first.  It keeps its file system data and its mount reference, so the
 * next vcache_get of its key finds it again without loading.
 *
 * Locks, in the order they are taken:
 *
 *	v_lock		the vnode lock (vn_lock).  Whoever holds it holds a
 *			reference too, so a vnode on the free list is never
 *			locked.
 *	name cache lock	(vfs_cache.c) may be held when taking vcache_lock.
 *	vcache_lock	hash chains, the free list, mnt_vnodes lists and the
 *			counters.  With v_interlock, every change of a
 *			vnode's v_usecount between 0 and 1 and of its v_state,
 *			except VS_LOADING -> VS_ACTIVE at the end of loading.
 *	v_interlock	v_state, v_iflag; waiting on v_cv.  Holding
 *			v_interlock is enough to read v_state, and either
 *			mutex is enough to rely on v_usecount not leaving or
 *			reaching 0.
 *
 * References.  Above one reference, vref and vrele are plain atomic
 * operations, and vrele's decrement is a compare-and-swap that never
 * takes the count below 1 (sys/vnode.h gives the rules).  The last vrele
 * takes the vnode lock, runs VOP_INACTIVE and then, under both mutexes,
 * either puts the vnode on the free list or, when the file system asked
 * for it, reclaims and frees it.  Somebody may take a new reference
 * meanwhile (vcache_get, the name cache), so each of these steps first
 * tries the same compare-and-swap.  When it succeeds, the new holder's
 * vrele finishes the job.  When it fails, the new holder has released
 * again and ours is the last reference after all.  The vnode lock, held
 * from VOP_INACTIVE to the end, kept out every change of the file
 * meanwhile, so the answer of VOP_INACTIVE still holds.
 *
 * Reclaiming.  A vnode is reclaimed by one thread holding its vnode lock
 * exclusive and one reference: the state goes VS_ACTIVE -> VS_RECLAIMING
 * (under both mutexes), VOP_RECLAIM runs, the name cache forgets the
 * vnode, and under both mutexes again it leaves the hash and its mount's
 * list, gets the dead ops and becomes VS_RECLAIMED.  Finders that meet a
 * vnode being loaded or reclaimed take a reference, sleep on v_cv until
 * the state settles and retry.  A VS_RECLAIMED vnode is freed (and its
 * mount reference dropped) by whoever releases its last reference.
 *
 * The free list is trimmed to kern.maxvnodes vnodes in all, and under
 * memory pressure further, by the "vdrain" kernel thread, so that file
 * system code that calls vcache_get or allocates memory while holding its
 * own locks never reclaims another vnode of its file system in the same
 * thread.  Without kernel threads (RUMP_THREADS=0) the thread that puts a
 * vnode on the free list trims it.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/condvar.h>
#include <sys/fcntl.h>
#include <sys/kmem.h>
#include <sys/kthread.h>
#include <sys/mount.h>
#include <sys/mutex.h>
#include <sys/namei.h>
#include <sys/poll.h>
#include <sys/queue.h>
#include <sys/rwlock.h>
#include <sys/sysctl.h>
#include <sys/vnode.h>

/*
 * Default of kern.maxvnodes: enough for the working set of a program that
 * walks a large tree, small enough that the cached vnodes and the file
 * system data they keep stay in the tens of megabytes.  The VFS glue may
 * replace it from RUMP_NVNODES before vcache_init.
 */
u_int maxvnodes_default = 8192;

/* Hash chains: a fixed power of two, about one chain per cached vnode. */
#define VCACHE_HASHSIZE	8192

/*
 * Bytes that reclaiming one free vnode gives back, as the memory reclaimer
 * reports it: the vnode itself and a guess at its file system's in-core
 * inode and name cache entries.
 */
#define VNODE_RECLAIM_ESTIMATE	(sizeof(struct vnode) + 512)

struct vnode *rootvnode;

static kmutex_t vcache_lock;
static LIST_HEAD(vcache_chain, vnode) vcache_hashtab[VCACHE_HASHSIZE];
static TAILQ_HEAD(, vnode) vnode_free_list =		/* vcache_lock */
    TAILQ_HEAD_INITIALIZER(vnode_free_list);
static u_int numvnodes;					/* vcache_lock */
static u_int numfreevnodes;				/* vcache_lock */
static u_int maxvnodes;					/* sysctl tree */

/* The vdrain thread and what it is asked to do. */
static kmutex_t vdrain_lock;
static kcondvar_t vdrain_cv;
static bool vdrain_wanted;				/* vdrain_lock */
static u_int vdrain_extra;				/* vdrain_lock */
static bool vdrain_exiting;				/* vdrain_lock */
static struct lwp *vdrain_lwp;
static struct kmem_reclaimer vcache_reclaimer;

static void vrele_last(struct vnode *);
static void vcache_reclaim(struct vnode *);
static void vdrain_kick(u_int);

/* ------------------------------------------------------------------ */
/* Allocation and the hash. */

static struct vcache_chain *
vcache_chain(struct mount *mp, uint64_t key)
{
	uint64_t h;

	/* Mix the mount's address into the key, then fold (Fibonacci). */
	h = key ^ ((uint64_t)(uintptr_t)mp >> 4);
	h *= 0x9e3779b97f4a7c15ULL;
	return &vcache_hashtab[h >> (64 - 13)];
}
CTASSERT(VCACHE_HASHSIZE == 1 << 13);

static struct vnode *
vcache_hash_lookup(struct mount *mp, uint64_t key)
{
	struct vnode *vp;

	KASSERT(mutex_owned(&vcache_lock));
	LIST_FOREACH(vp, vcache_chain(mp, key), v_hash)
		if (vp->v_mount == mp && vp->v_key == key)
			return vp;
	return NULL;
}

/* A new vnode for (mp, key), in no list yet, holding a mount reference. */
static struct vnode *
vnode_alloc(struct mount *mp, uint64_t key)
{
	struct vnode *vp;

	vp = kmem_zalloc(sizeof(*vp), KM_SLEEP);
	mutex_init(&vp->v_interlock, MUTEX_DEFAULT, IPL_NONE);
	rw_init(&vp->v_lock);
	cv_init(&vp->v_cv, "vnode");
	vp->v_usecount = 1;
	vp->v_state = VS_LOADING;
	vp->v_type = VNON;
	vp->v_mount = mp;
	vp->v_key = key;
	LIST_INIT(&vp->v_dnclist);
	LIST_INIT(&vp->v_nclist);
	vfs_ref(mp);
	return vp;
}

/* Free a vnode that is in no list and has no reference. */
static void
vnode_free(struct vnode *vp)
{
	struct mount *mp = vp->v_mount;

	KASSERT(vp->v_usecount == 0);
	KASSERT((vp->v_iflag & (VI_HASHED | VI_ONFREELIST)) == 0);
	KASSERT(LIST_EMPTY(&vp->v_dnclist) && LIST_EMPTY(&vp->v_nclist));
	cv_destroy(&vp->v_cv);
	rw_destroy(&vp->v_lock);
	mutex_destroy(&vp->v_interlock);
	kmem_free(vp, sizeof(*vp));
	vfs_rele(mp);
}

/*
 * Release the last reference to the VS_ACTIVE vnode vp and put it on the
 * free list: v_usecount goes from 1 to 0.  The caller holds vcache_lock
 * and v_interlock.
 */
static void
vnode_freelist_insert(struct vnode *vp)
{

	KASSERT(mutex_owned(&vcache_lock) && mutex_owned(&vp->v_interlock));
	KASSERT(vp->v_state == VS_ACTIVE);
	KASSERTMSG(vp->v_usecount == 1 && !(vp->v_iflag & VI_ONFREELIST),
	    "vnode %p: v_usecount %u, v_iflag %#x going onto the free list",
	    vp, vp->v_usecount, vp->v_iflag);
	atomic_store_relaxed(&vp->v_usecount, 0);
	TAILQ_INSERT_TAIL(&vnode_free_list, vp, v_freelist);
	vp->v_iflag |= VI_ONFREELIST;
	numfreevnodes++;
}

/*
 * Take the unreferenced VS_ACTIVE vnode vp off the free list.  The caller
 * holds vcache_lock and v_interlock, and gives vp its first reference
 * before dropping them.
 */
static void
vnode_freelist_remove(struct vnode *vp)
{

	KASSERT(mutex_owned(&vcache_lock) && mutex_owned(&vp->v_interlock));
	KASSERTMSG(vp->v_usecount == 0 && vp->v_state == VS_ACTIVE &&
	    (vp->v_iflag & VI_ONFREELIST),
	    "vnode %p: v_usecount %u, v_state %d, v_iflag %#x coming off the "
	    "free list", vp, vp->v_usecount, vp->v_state, vp->v_iflag);
	TAILQ_REMOVE(&vnode_free_list, vp, v_freelist);
	vp->v_iflag &= ~VI_ONFREELIST;
	numfreevnodes--;
}

/* ------------------------------------------------------------------ */
/* References. */

void
vref(struct vnode *vp)
{

	KASSERT(vp->v_usecount > 0);
	atomic_inc_uint(&vp->v_usecount);
}

/*
 * Drop a reference unless it is the last one, and return true when it was
 * dropped.  This is the only way to lower v_usecount from above 1, with
 * or without locks.
 */
static bool
vrele_nonlast(struct vnode *vp)
{
	u_int use;

	for (;;) {
		use = atomic_load_relaxed(&vp->v_usecount);
		KASSERTMSG(use > 0, "vrele: vnode %p has no reference", vp);
		if (use == 1)
			return false;
		if (atomic_cas_uint(&vp->v_usecount, use, use - 1) == use)
			return true;
	}
}

void
vrele(struct vnode *vp)
{
	struct mount *mp = vp->v_mount;
	bool detachedroot;

	/*
	 * The root of a lazily unmounted mount keeps the mount's own
	 * reference, so the release of the last other reference goes the
	 * fast way.  Check then whether the unmount can finish.
	 */
	detachedroot = (vp->v_vflag & VV_ROOT) &&
	    (atomic_load_relaxed(&mp->mnt_iflag) & IMNT_DETACHED);
	if (detachedroot)
		vfs_ref(mp);
	if (vrele_nonlast(vp)) {
		if (detachedroot) {
			vfs_detached_idle(mp);
			vfs_rele(mp);
		}
		return;
	}
	if (detachedroot)
		vfs_rele(mp);
	vrele_last(vp);
}

void
vput(struct vnode *vp)
{

	vn_unlock(vp);
	vrele(vp);
}

/*
 * Release what was the last reference when vrele looked.  See the comment
 * at the top of the file for the steps.
 */
static void
vrele_last(struct vnode *vp)
{
	struct mount *mp = vp->v_mount;
	bool recycle = false, trim;

	/*
	 * Take the vnode lock.  A thread that holds it has a reference, so
	 * when it is busy our reference is not the last any more: drop it
	 * and let the holder do the work.  If the holder released meanwhile,
	 * retry.
	 */
	while (!rw_tryenter(&vp->v_lock, RW_WRITER)) {
		if (vrele_nonlast(vp))
			return;
		(void)kpause("vrele", false, 1, NULL);
	}

	/* Tell the file system, unless another reference was taken. */
	if (atomic_load_relaxed(&vp->v_state) == VS_ACTIVE) {
		if (vrele_nonlast(vp)) {
			rw_exit(&vp->v_lock);
			return;
		}
		(void)VOP_INACTIVE(vp, &recycle);
	}

	/* A lazily unmounted file system keeps no unused vnodes. */
	if (mp->mnt_iflag & (IMNT_DETACHED | IMNT_GONE))
		recycle = true;

	/*
	 * Under both mutexes, a count of 1 is ours alone and stays so (see
	 * sys/vnode.h).  A higher count may drop back to 1 at any moment,
	 * so only vrele_nonlast may lower it.
	 */
	mutex_enter(&vcache_lock);
	mutex_enter(&vp->v_interlock);
	if (vrele_nonlast(vp))
		goto unlock;

	if (vp->v_state == VS_ACTIVE && recycle) {
		vp->v_state = VS_RECLAIMING;
		mutex_exit(&vp->v_interlock);
		mutex_exit(&vcache_lock);
		vcache_reclaim(vp);
		mutex_enter(&vcache_lock);
		mutex_enter(&vp->v_interlock);
		if (vrele_nonlast(vp))
			goto unlock;
	}

	if (vp->v_state == VS_RECLAIMED) {
		atomic_store_relaxed(&vp->v_usecount, 0);
		numvnodes--;
		mutex_exit(&vp->v_interlock);
		mutex_exit(&vcache_lock);
		rw_exit(&vp->v_lock);
		/* Keep mp while checking whether a lazy unmount can end. */
		vfs_ref(mp);
		vnode_free(vp);
		if (mp->mnt_iflag & IMNT_DETACHED)
			vfs_detached_idle(mp);
		vfs_rele(mp);
		return;
	}

	/* Cached: onto the free list, unlocked. */
	vnode_freelist_insert(vp);
	rw_exit(&vp->v_lock);
	trim = numvnodes > maxvnodes;
	mutex_exit(&vp->v_interlock);
	mutex_exit(&vcache_lock);
	if (trim)
		vdrain_kick(0);
	return;

 unlock:
	/* Another thread took a reference and releases the vnode later. */
	mutex_exit(&vp->v_interlock);
	mutex_exit(&vcache_lock);
	rw_exit(&vp->v_lock);
}

int
vcache_tryvget(struct vnode *vp)
{

	mutex_enter(&vp->v_interlock);
	if (vp->v_state != VS_ACTIVE) {
		mutex_exit(&vp->v_interlock);
		return EBUSY;
	}
	if (vp->v_usecount > 0) {
		atomic_inc_uint(&vp->v_usecount);
		mutex_exit(&vp->v_interlock);
		return 0;
	}
	mutex_exit(&vp->v_interlock);

	/* From 0 to 1: take it off the free list, under both mutexes. */
	mutex_enter(&vcache_lock);
	mutex_enter(&vp->v_interlock);
	if (vp->v_state != VS_ACTIVE) {
		mutex_exit(&vp->v_interlock);
		mutex_exit(&vcache_lock);
		return EBUSY;
	}
	if (vp->v_usecount == 0)
		vnode_freelist_remove(vp);
	atomic_inc_uint(&vp->v_usecount);
	mutex_exit(&vp->v_interlock);
	mutex_exit(&vcache_lock);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Finding and loading. */

/*
 * Sleep until vp, which the caller found with vcache_lock held and is
 * being loaded or reclaimed, settles; then drop the reference taken for
 * the wait.  Called with vcache_lock and v_interlock held, returns with
 * neither.
 */
static void
vcache_wait_settled(struct vnode *vp)
{

	KASSERT(vp->v_usecount > 0);
	atomic_inc_uint(&vp->v_usecount);
	mutex_exit(&vcache_lock);
	while (vp->v_state == VS_LOADING || vp->v_state == VS_RECLAIMING)
		cv_wait(&vp->v_cv, &vp->v_interlock);
	mutex_exit(&vp->v_interlock);
	vrele(vp);
}

int
vcache_get(struct mount *mp, uint64_t key, struct vnode **vpp)
{
	struct vnode *vp, *newvp = NULL;
	int error;

	for (;;) {
		mutex_enter(&vcache_lock);
		vp = vcache_hash_lookup(mp, key);
		if (vp == NULL && newvp != NULL)
			break;
		if (vp == NULL) {
			/* Allocate without the lock, then look again. */
			mutex_exit(&vcache_lock);
			newvp = vnode_alloc(mp, key);
			continue;
		}

		mutex_enter(&vp->v_interlock);
		if (vp->v_state == VS_ACTIVE) {
			if (vp->v_usecount == 0)
				vnode_freelist_remove(vp);
			atomic_inc_uint(&vp->v_usecount);
			mutex_exit(&vp->v_interlock);
			mutex_exit(&vcache_lock);
			if (newvp != NULL) {
				atomic_store_relaxed(&newvp->v_usecount, 0);
				newvp->v_state = VS_RECLAIMED;
				vnode_free(newvp);
			}
			*vpp = vp;
			return 0;
		}
		vcache_wait_settled(vp);
	}

	/* Not cached: enter newvp as VS_LOADING so finders wait for it. */
	vp = newvp;
	LIST_INSERT_HEAD(vcache_chain(mp, key), vp, v_hash);
	vp->v_iflag |= VI_HASHED;
	TAILQ_INSERT_TAIL(&mp->mnt_vnodes, vp, v_mntvnodes);
	numvnodes++;
	mutex_exit(&vcache_lock);

	error = mp->mnt_op->vfs_loadvnode(mp, vp, key);
	if (error) {
		mutex_enter(&vcache_lock);
		mutex_enter(&vp->v_interlock);
		LIST_REMOVE(vp, v_hash);
		vp->v_iflag &= ~VI_HASHED;
		TAILQ_REMOVE(&mp->mnt_vnodes, vp, v_mntvnodes);
		vp->v_op = &dead_vnodeops;
		vp->v_data = NULL;
		vp->v_state = VS_RECLAIMED;
		cv_broadcast(&vp->v_cv);
		mutex_exit(&vp->v_interlock);
		mutex_exit(&vcache_lock);
		vrele(vp);
		return error;
	}
	KASSERTMSG(vp->v_op != NULL && vp->v_type != VNON,
	    "%s: vfs_loadvnode left the vnode of key %llu without ops or type",
	    mp->mnt_fstype, (unsigned long long)key);

	mutex_enter(&vp->v_interlock);
	vp->v_state = VS_ACTIVE;
	cv_broadcast(&vp->v_cv);
	mutex_exit(&vp->v_interlock);
	*vpp = vp;
	return 0;
}

void
vcache_remove_key(struct vnode *vp)
{

	mutex_enter(&vcache_lock);
	mutex_enter(&vp->v_interlock);
	if (vp->v_iflag & VI_HASHED) {
		LIST_REMOVE(vp, v_hash);
		vp->v_iflag &= ~VI_HASHED;
	}
	mutex_exit(&vp->v_interlock);
	mutex_exit(&vcache_lock);
}

/* ------------------------------------------------------------------ */
/* Reclaiming. */

/*
 * Detach vp from its file: the caller holds the vnode lock exclusive and
 * a reference, and set VS_RECLAIMING.
 */
static void
vcache_reclaim(struct vnode *vp)
{
	struct mount *mp = vp->v_mount;
	int error;

	KASSERT(rw_write_held(&vp->v_lock));
	KASSERT(vp->v_state == VS_RECLAIMING);

	error = VOP_RECLAIM(vp);
	if (error)
		log(LOG_ERR, "%s: reclaiming the vnode of inode %llu failed: "
		    "error %d; its in-core state is dropped anyway\n",
		    mp->mnt_fstype, (unsigned long long)vp->v_key, error);
	cache_purge(vp);

	mutex_enter(&vcache_lock);
	mutex_enter(&vp->v_interlock);
	if (vp->v_iflag & VI_HASHED) {
		LIST_REMOVE(vp, v_hash);
		vp->v_iflag &= ~VI_HASHED;
	}
	TAILQ_REMOVE(&mp->mnt_vnodes, vp, v_mntvnodes);
	vp->v_op = &dead_vnodeops;
	vp->v_data = NULL;
	vp->v_state = VS_RECLAIMED;
	cv_broadcast(&vp->v_cv);
	mutex_exit(&vp->v_interlock);
	mutex_exit(&vcache_lock);
}

/*
 * Take the free vnode vp off the free list for reclaiming: it gets one
 * reference and VS_RECLAIMING.  The caller holds vcache_lock and
 * v_interlock.
 */
static void
vcache_take(struct vnode *vp)
{

	KASSERT(vp->v_usecount == 0 && vp->v_state == VS_ACTIVE);
	vnode_freelist_remove(vp);
	atomic_store_relaxed(&vp->v_usecount, 1);
	vp->v_state = VS_RECLAIMING;
}

/*
 * vcache_take the least recently used free vnode.  NULL when the list is
 * empty or, with uselimit, when no more than limit vnodes exist.
 */
static struct vnode *
vcache_take_free(u_int limit, bool uselimit)
{
	struct vnode *vp;

	KASSERT(mutex_owned(&vcache_lock));
	if (uselimit && numvnodes <= limit)
		return NULL;
	vp = TAILQ_FIRST(&vnode_free_list);
	if (vp == NULL)
		return NULL;
	mutex_enter(&vp->v_interlock);
	vcache_take(vp);
	mutex_exit(&vp->v_interlock);
	return vp;
}

/* Reclaim a vnode from vcache_take_free and release it (freeing it). */
static void
vcache_reclaim_taken(struct vnode *vp)
{

	rw_enter(&vp->v_lock, RW_WRITER);
	vcache_reclaim(vp);
	rw_exit(&vp->v_lock);
	vrele(vp);
}

void
vcache_drain(u_int target)
{
	struct vnode *vp;

	for (;;) {
		mutex_enter(&vcache_lock);
		vp = vcache_take_free(target, true);
		mutex_exit(&vcache_lock);
		if (vp == NULL)
			return;
		vcache_reclaim_taken(vp);
	}
}

/* Reclaim up to n free vnodes whatever the limit; returns how many. */
static u_int
vcache_drain_count(u_int n)
{
	struct vnode *vp;
	u_int done;

	for (done = 0; done < n; done++) {
		mutex_enter(&vcache_lock);
		vp = vcache_take_free(0, false);
		mutex_exit(&vcache_lock);
		if (vp == NULL)
			break;
		vcache_reclaim_taken(vp);
	}
	return done;
}

void
vgone(struct vnode *vp)
{

	KASSERT(vp->v_usecount > 0);
	rw_enter(&vp->v_lock, RW_WRITER);
	mutex_enter(&vcache_lock);
	mutex_enter(&vp->v_interlock);
	if (vp->v_state != VS_ACTIVE) {
		/* Reclaimed already: the lock holder finished it. */
		KASSERT(vp->v_state == VS_RECLAIMED);
		mutex_exit(&vp->v_interlock);
		mutex_exit(&vcache_lock);
		rw_exit(&vp->v_lock);
		return;
	}
	vp->v_state = VS_RECLAIMING;
	mutex_exit(&vp->v_interlock);
	mutex_exit(&vcache_lock);
	vcache_reclaim(vp);
	rw_exit(&vp->v_lock);
}

int
vflush(struct mount *mp, struct vnode *skipvp, bool force)
{
	struct vnode *vp;

	if (!force && vcache_busy_count(mp) > (skipvp != NULL &&
	    skipvp->v_usecount > 0 ? 1 : 0))
		return EBUSY;

	for (;;) {
		mutex_enter(&vcache_lock);
		TAILQ_FOREACH(vp, &mp->mnt_vnodes, v_mntvnodes)
			if (vp != skipvp)
				break;
		if (vp == NULL) {
			mutex_exit(&vcache_lock);
			return 0;
		}

		mutex_enter(&vp->v_interlock);
		if (vp->v_state != VS_ACTIVE) {
			/* Being loaded or reclaimed by another thread. */
			vcache_wait_settled(vp);
			continue;
		}
		if (vp->v_usecount == 0) {
			vcache_take(vp);
			mutex_exit(&vp->v_interlock);
			mutex_exit(&vcache_lock);
			vcache_reclaim_taken(vp);
			continue;
		}
		if (!force) {
			mutex_exit(&vp->v_interlock);
			mutex_exit(&vcache_lock);
			return EBUSY;
		}
		atomic_inc_uint(&vp->v_usecount);
		mutex_exit(&vp->v_interlock);
		mutex_exit(&vcache_lock);
		vgone(vp);
		vrele(vp);
	}
}

u_int
vcache_busy_count(struct mount *mp)
{
	struct vnode *vp;
	u_int n = 0;

	/*
	 * A vnode being reclaimed holds a reference of the reclaimer only
	 * (the drain thread's, or a vgone's), leaves the mount's list when
	 * done, and vflush waits for it: not a user of the mount.  Its
	 * VS_RECLAIMING is set with vcache_lock held, so it is stable here.
	 */
	mutex_enter(&vcache_lock);
	TAILQ_FOREACH(vp, &mp->mnt_vnodes, v_mntvnodes)
		if (atomic_load_relaxed(&vp->v_usecount) > 0 &&
		    vp->v_state != VS_RECLAIMING)
			n++;
	mutex_exit(&vcache_lock);
	return n;
}

u_int
vcache_writecount(struct mount *mp)
{
	struct vnode *vp;
	u_int n = 0;

	/* v_writecount is read without its interlock: a snapshot. */
	mutex_enter(&vcache_lock);
	TAILQ_FOREACH(vp, &mp->mnt_vnodes, v_mntvnodes)
		if (vp->v_type == VREG)
			n += atomic_load_relaxed(&vp->v_writecount);
	mutex_exit(&vcache_lock);
	return n;
}

/* ------------------------------------------------------------------ */
/* Vnode locks. */

int
vn_lock(struct vnode *vp, int flags)
{
	krw_t op;

	KASSERT((flags & (LK_SHARED | LK_EXCLUSIVE)) == LK_SHARED ||
	    (flags & (LK_SHARED | LK_EXCLUSIVE)) == LK_EXCLUSIVE);
	KASSERT(vp->v_usecount > 0);

	op = (flags & LK_EXCLUSIVE) ? RW_WRITER : RW_READER;
	if (flags & LK_NOWAIT) {
		if (!rw_tryenter(&vp->v_lock, op))
			return EBUSY;
	} else
		rw_enter(&vp->v_lock, op);

	/* Reclaiming holds the lock exclusive, so the state is settled. */
	if (!(flags & LK_RETRY) &&
	    atomic_load_relaxed(&vp->v_state) == VS_RECLAIMED) {
		rw_exit(&vp->v_lock);
		return EBADF;
	}
	return 0;
}

void
vn_unlock(struct vnode *vp)
{

	rw_exit(&vp->v_lock);
}

bool
vn_locked_exclusive(struct vnode *vp)
{

	return rw_write_held(&vp->v_lock) != 0;
}

/* Lower address first; a NULL vnode is skipped. */
void
vn_lock_pair(struct vnode *a, struct vnode *b)
{

	if (a == b || b == NULL) {
		rw_enter(&a->v_lock, RW_WRITER);
		return;
	}
	if (a == NULL) {
		rw_enter(&b->v_lock, RW_WRITER);
		return;
	}
	if ((uintptr_t)a < (uintptr_t)b) {
		rw_enter(&a->v_lock, RW_WRITER);
		rw_enter(&b->v_lock, RW_WRITER);
	} else {
		rw_enter(&b->v_lock, RW_WRITER);
		rw_enter(&a->v_lock, RW_WRITER);
	}
}

void
vn_unlock_pair(struct vnode *a, struct vnode *b)
{

	if (a != NULL)
		rw_exit(&a->v_lock);
	if (b != NULL && b != a)
		rw_exit(&b->v_lock);
}

/* ------------------------------------------------------------------ */
/* Trimming: the vdrain thread, the memory reclaimer and kern.maxvnodes. */

/*
 * Ask for the free list to be trimmed to kern.maxvnodes and for extra
 * more free vnodes to be reclaimed.  Without kernel threads the caller
 * does it at once.
 */
static void
vdrain_kick(u_int extra)
{

	if (vdrain_lwp == NULL) {
		vcache_drain(maxvnodes);
		if (extra > 0)
			(void)vcache_drain_count(extra);
		return;
	}
	mutex_enter(&vdrain_lock);
	vdrain_wanted = true;
	vdrain_extra += extra;
	cv_signal(&vdrain_cv);
	mutex_exit(&vdrain_lock);
}

static void
vdrain_thread(void *arg)
{
	u_int extra;

	mutex_enter(&vdrain_lock);
	for (;;) {
		while (!vdrain_wanted && !vdrain_exiting)
			cv_wait(&vdrain_cv, &vdrain_lock);
		if (vdrain_exiting)
			break;
		vdrain_wanted = false;
		extra = vdrain_extra;
		vdrain_extra = 0;
		mutex_exit(&vdrain_lock);

		vcache_drain(maxvnodes);
		if (extra > 0)
			(void)vcache_drain_count(extra);

		mutex_enter(&vdrain_lock);
	}
	mutex_exit(&vdrain_lock);
	kthread_exit(0);
}

/*
 * Memory reclaimer, called when the kernel is short of memory.  The
 * allocating thread may hold file system locks, so the vdrain thread
 * reclaims the free vnodes and this returns at once.  The allocator
 * retries until the memory comes back.  Without kernel threads nothing is
 * done here, because reclaiming in the allocating thread could deadlock.
 */
static size_t
vcache_reclaim_memory(void *arg, size_t want)
{
	u_int n;

	if (vdrain_lwp == NULL)
		return 0;
	n = (want + VNODE_RECLAIM_ESTIMATE - 1) / VNODE_RECLAIM_ESTIMATE;
	mutex_enter(&vcache_lock);
	if (n > numfreevnodes)
		n = numfreevnodes;
	mutex_exit(&vcache_lock);
	if (n > 0)
		vdrain_kick(n);
	return 0;
}

/* kern.maxvnodes: a positive count; lowering it trims the free list. */
static int
sysctl_maxvnodes(const struct sysctlnode *node, int op, void *buf,
    size_t *lenp)
{
	int value;

	if (op == SYSCTL_GET) {
		value = (int)atomic_load_relaxed(&maxvnodes);
		memcpy(buf, &value, sizeof(value));
		*lenp = sizeof(value);
		return 0;
	}
	memcpy(&value, buf, sizeof(value));
	if (value <= 0)
		return EINVAL;
	atomic_store_relaxed(&maxvnodes, (u_int)value);
	/* The handler may not sleep: the thread trims, or the next vrele. */
	if (vdrain_lwp != NULL) {
		mutex_enter(&vdrain_lock);
		vdrain_wanted = true;
		cv_signal(&vdrain_cv);
		mutex_exit(&vdrain_lock);
	}
	return 0;
}

void
vcache_init(void)
{
	int error, i;

	mutex_init(&vcache_lock, MUTEX_DEFAULT, IPL_NONE);
	for (i = 0; i < VCACHE_HASHSIZE; i++)
		LIST_INIT(&vcache_hashtab[i]);
	maxvnodes = maxvnodes_default > 0 ? maxvnodes_default : 1;

	error = sysctl_create("kern", CTL_CREATE, "maxvnodes", CTLTYPE_INT,
	    CTLFLAG_READWRITE, NULL, sizeof(int), sysctl_maxvnodes,
	    "Number of vnodes to keep, free ones included");
	if (error)
		panic("vcache_init: cannot create kern.maxvnodes: error %d",
		    error);
	error = sysctl_create("vfs", CTL_CREATE, "numvnodes", CTLTYPE_INT,
	    CTLFLAG_READONLY, &numvnodes, sizeof(int), NULL,
	    "Number of vnodes in the cache, free ones included");
	if (error)
		panic("vcache_init: cannot create vfs.numvnodes: error %d",
		    error);

	mutex_init(&vdrain_lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&vdrain_cv, "vdrain");
	if (kthreads_enabled) {
		error = kthread_create(PRI_NONE, KTHREAD_MPSAFE |
		    KTHREAD_MUSTJOIN, NULL, vdrain_thread, NULL, &vdrain_lwp,
		    "vdrain");
		if (error)
			panic("vcache_init: cannot create the vdrain thread: "
			    "error %d", error);
	}
	vcache_reclaimer.kr_reclaim = vcache_reclaim_memory;
	vcache_reclaimer.kr_arg = NULL;
	kmem_reclaimer_register(&vcache_reclaimer);
}

void
vcache_shutdown(void)
{
	struct lwp *l;

	kmem_reclaimer_unregister(&vcache_reclaimer);
	l = vdrain_lwp;
	if (l == NULL)
		return;
	mutex_enter(&vdrain_lock);
	vdrain_exiting = true;
	cv_signal(&vdrain_cv);
	mutex_exit(&vdrain_lock);
	(void)kthread_join(l);
	vdrain_lwp = NULL;
}

/* ------------------------------------------------------------------ */
/* The operations of a reclaimed vnode. */

static int
dead_lookup(struct vnode *dvp, const struct componentname *cnp,
    struct vnode **vpp)
{

	return ENOENT;
}

static int
dead_create(struct vnode *dvp, const struct componentname *cnp,
    struct vattr *vap, struct vnode **vpp)
{

	return ENOENT;
}

static int
dead_symlink(struct vnode *dvp, const struct componentname *cnp,
    struct vattr *vap, const char *target, struct vnode **vpp)
{

	return ENOENT;
}

static int
dead_entry(struct vnode *dvp, const struct componentname *cnp,
    struct vnode *vp)
{

	return ENOENT;
}

static int
dead_rename(struct vnode *fdvp, const struct componentname *fcnp,
    struct vnode *fvp, struct vnode *tdvp, const struct componentname *tcnp,
    struct vnode *tvp, int flags)
{

	return ENOENT;
}

/* Closing a revoked file succeeds, so its descriptor can go. */
static int
dead_close(struct vnode *vp, int fflag, kauth_cred_t cred)
{

	return 0;
}

static int
dead_openaccess(struct vnode *vp, int mode, kauth_cred_t cred)
{

	return EBADF;
}

static int
dead_attr(struct vnode *vp, struct vattr *vap, kauth_cred_t cred)
{

	return EBADF;
}

static int
dead_rdwr(struct vnode *vp, struct uio *uio, int ioflag, kauth_cred_t cred)
{

	return EBADF;
}

static int
dead_fallocate(struct vnode *vp, off_t off, off_t len, int mode)
{

	return EBADF;
}

static int
dead_fsync(struct vnode *vp, int flags, kauth_cred_t cred)
{

	return EBADF;
}

static int
dead_seekdata(struct vnode *vp, off_t off, int whence, off_t *resultp)
{

	return EBADF;
}

static int
dead_readdir(struct vnode *vp, struct uio *uio, kauth_cred_t cred,
    int *eofflag)
{

	return EBADF;
}

static int
dead_readlink(struct vnode *vp, struct uio *uio, kauth_cred_t cred)
{

	return EBADF;
}

static int
dead_ioctl(struct vnode *vp, u_long cmd, void *data, int fflag,
    kauth_cred_t cred)
{

	return EBADF;
}

/* A revoked file polls as hung up with an error, so pollers wake. */
static int
dead_poll(struct vnode *vp, int events, struct lwp *l)
{

	return POLLHUP | POLLERR;
}

static int
dead_inactive(struct vnode *vp, bool *recycle)
{

	*recycle = false;
	return 0;
}

static int
dead_reclaim(struct vnode *vp)
{

	return 0;
}

static int
dead_pathconf(struct vnode *vp, int name, register_t *retval)
{

	return EBADF;
}

static int
dead_strategy(struct vnode *vp, struct buf *bp)
{

	return EBADF;
}

static int
dead_bmap(struct vnode *vp, daddr_t lbn, struct vnode **devvp, daddr_t *bnp,
    int *runp)
{

	return EBADF;
}

const struct vnodeops dead_vnodeops = {
	.vop_fsname = "dead",
	.vop_lookup = dead_lookup,
	.vop_create = dead_create,
	.vop_mkdir = dead_create,
	.vop_symlink = dead_symlink,
	.vop_link = dead_entry,
	.vop_remove = dead_entry,
	.vop_rmdir = dead_entry,
	.vop_rename = dead_rename,
	.vop_open = dead_openaccess,
	.vop_close = dead_close,
	.vop_access = dead_openaccess,
	.vop_getattr = dead_attr,
	.vop_setattr = dead_attr,
	.vop_read = dead_rdwr,
	.vop_write = dead_rdwr,
	.vop_fallocate = dead_fallocate,
	.vop_fsync = dead_fsync,
	.vop_seekdata = dead_seekdata,
	.vop_readdir = dead_readdir,
	.vop_readlink = dead_readlink,
	.vop_ioctl = dead_ioctl,
	.vop_poll = dead_poll,
	.vop_inactive = dead_inactive,
	.vop_reclaim = dead_reclaim,
	.vop_pathconf = dead_pathconf,
	.vop_strategy = dead_strategy,
	.vop_bmap = dead_bmap,
};
