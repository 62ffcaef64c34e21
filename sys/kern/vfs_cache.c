/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The name cache: remembers what a directory entry resolves to, so that
 * path lookups skip the file system for names seen before.
 *
 * An entry maps (directory vnode, name) to a vnode (positive) or to
 * nothing (negative: the name was looked up and does not exist).  Entries
 * hold no vnode references: a cached vnode may sit on the free list and
 * be recycled, and reclaiming a vnode calls cache_purge, which drops every
 * entry naming it or inside it.  That is what makes a pointer in an entry
 * safe to follow while the cache lock is held.  "." and ".." are never
 * cached; namei handles them.
 *
 * Entries are on a hash chain by (directory, name), on a global LRU list,
 * and on two per-vnode lists (v_dnclist of the directory, v_nclist of the
 * named vnode) for purging.  The cache has at most ncache_max entries.
 * Adding one beyond that drops the least recently used, and the kernel's
 * memory reclaimer may drop more.
 *
 * Locking: one mutex, namecache_lock, protects everything here and the
 * per-vnode lists.  It is taken before the vnode cache's locks (to take a
 * reference with vcache_tryvget) and never while allocating.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kmem.h>
#include <sys/mutex.h>
#include <sys/namei.h>
#include <sys/queue.h>
#include <sys/vnode.h>

struct namecache {
	LIST_ENTRY(namecache)	 nc_hash;	/* hash chain */
	TAILQ_ENTRY(namecache)	 nc_lru;	/* global LRU, oldest first */
	LIST_ENTRY(namecache)	 nc_dvlist;	/* on nc_dvp->v_dnclist */
	LIST_ENTRY(namecache)	 nc_vlist;	/* on nc_vp->v_nclist */
	struct vnode		*nc_dvp;	/* the directory */
	struct vnode		*nc_vp;		/* NULL: negative entry */
	uint32_t		 nc_hashval;
	uint8_t			 nc_namelen;
	char			 nc_name[];	/* nc_namelen bytes, no NUL */
};

/* Hash chains: a fixed power of two. */
#define NCHASH_BITS	12
#define NCHASH_SIZE	(1U << NCHASH_BITS)

/* Bytes an entry takes, for the allocator and the memory reclaimer. */
#define NC_SIZE(namelen)	(sizeof(struct namecache) + (namelen))

static kmutex_t namecache_lock;
static LIST_HEAD(nchashhead, namecache) nchashtab[NCHASH_SIZE];
static TAILQ_HEAD(, namecache) nclru = TAILQ_HEAD_INITIALIZER(nclru);
static u_int ncache_count;		/* namecache_lock */
static u_int ncache_max;		/* fixed at init */
static struct kmem_reclaimer ncache_reclaimer;

/* FNV-1a over the name, mixed with the directory's address. */
static uint32_t
nc_hash(struct vnode *dvp, const char *name, size_t namelen)
{
	uint32_t h = 2166136261U;
	uintptr_t dv = (uintptr_t)dvp;
	size_t i;

	for (i = 0; i < namelen; i++) {
		h ^= (uint8_t)name[i];
		h *= 16777619U;
	}
	h ^= (uint32_t)(dv >> 4) ^ (uint32_t)(dv >> 36);
	h *= 16777619U;
	return h;
}

static struct nchashhead *
nc_chain(uint32_t hashval)
{

	return &nchashtab[hashval & (NCHASH_SIZE - 1)];
}

static struct namecache *
nc_find(struct vnode *dvp, const char *name, size_t namelen,
    uint32_t hashval)
{
	struct namecache *nc;

	KASSERT(mutex_owned(&namecache_lock));
	LIST_FOREACH(nc, nc_chain(hashval), nc_hash) {
		if (nc->nc_hashval == hashval && nc->nc_dvp == dvp &&
		    nc->nc_namelen == namelen &&
		    memcmp(nc->nc_name, name, namelen) == 0)
			return nc;
	}
	return NULL;
}

/* Unlink an entry from every list; the caller frees it unlocked. */
static void
nc_remove(struct namecache *nc)
{

	KASSERT(mutex_owned(&namecache_lock));
	LIST_REMOVE(nc, nc_hash);
	TAILQ_REMOVE(&nclru, nc, nc_lru);
	LIST_REMOVE(nc, nc_dvlist);
	if (nc->nc_vp != NULL)
		LIST_REMOVE(nc, nc_vlist);
	ncache_count--;
}

static void
nc_free(struct namecache *nc)
{

	kmem_free(nc, NC_SIZE(nc->nc_namelen));
}

/* Entries removed under the lock wait here to be freed after it. */
LIST_HEAD(nc_freelist, namecache);

static void
nc_remove_tofree(struct namecache *nc, struct nc_freelist *fl)
{

	nc_remove(nc);
	LIST_INSERT_HEAD(fl, nc, nc_hash);
}

static void
nc_free_list(struct nc_freelist *fl)
{
	struct namecache *nc;

	while ((nc = LIST_FIRST(fl)) != NULL) {
		LIST_REMOVE(nc, nc_hash);
		nc_free(nc);
	}
}

static bool
nc_dotname(const char *name, size_t namelen)
{

	return (namelen == 1 && name[0] == '.') ||
	    (namelen == 2 && name[0] == '.' && name[1] == '.');
}

int
cache_lookup(struct vnode *dvp, const char *name, size_t namelen,
    struct vnode **vpp)
{
	struct namecache *nc;
	struct vnode *vp;
	uint32_t hashval;

	if (namelen > NAME_MAX || nc_dotname(name, namelen))
		return -1;
	hashval = nc_hash(dvp, name, namelen);

	mutex_enter(&namecache_lock);
	nc = nc_find(dvp, name, namelen, hashval);
	if (nc == NULL) {
		mutex_exit(&namecache_lock);
		return -1;
	}
	TAILQ_REMOVE(&nclru, nc, nc_lru);
	TAILQ_INSERT_TAIL(&nclru, nc, nc_lru);
	vp = nc->nc_vp;
	if (vp == NULL) {
		mutex_exit(&namecache_lock);
		return ENOENT;
	}
	/* The entry keeps vp's memory valid while the lock is held. */
	if (vcache_tryvget(vp) != 0) {
		mutex_exit(&namecache_lock);
		return -1;
	}
	mutex_exit(&namecache_lock);
	*vpp = vp;
	return 0;
}

/* True when vp is usable (not being loaded or reclaimed). */
static bool
nc_vnode_active(struct vnode *vp)
{
	bool active;

	mutex_enter(&vp->v_interlock);
	active = vp->v_state == VS_ACTIVE;
	mutex_exit(&vp->v_interlock);
	return active;
}

void
cache_enter(struct vnode *dvp, struct vnode *vp, const char *name,
    size_t namelen)
{
	struct nc_freelist fl = LIST_HEAD_INITIALIZER(fl);
	struct namecache *nc, *old;
	uint32_t hashval;

	if (namelen > NAME_MAX || nc_dotname(name, namelen) ||
	    ncache_max == 0)
		return;
	hashval = nc_hash(dvp, name, namelen);

	/* The entry is optional, so the allocation does not wait. */
	nc = kmem_alloc(NC_SIZE(namelen), KM_NOSLEEP);
	if (nc == NULL)
		return;
	nc->nc_dvp = dvp;
	nc->nc_vp = vp;
	nc->nc_hashval = hashval;
	nc->nc_namelen = (uint8_t)namelen;
	memcpy(nc->nc_name, name, namelen);

	mutex_enter(&namecache_lock);

	/*
	 * An entry for a vnode that is being reclaimed would outlive the
	 * reclaim's purge.  Reclaiming marks the vnode before it purges,
	 * and purging needs this lock, so checking here is enough.
	 */
	if (!nc_vnode_active(dvp) || (vp != NULL && !nc_vnode_active(vp))) {
		mutex_exit(&namecache_lock);
		nc_free(nc);
		return;
	}

	old = nc_find(dvp, name, namelen, hashval);
	if (old != NULL)
		nc_remove_tofree(old, &fl);
	while (ncache_count >= ncache_max &&
	    (old = TAILQ_FIRST(&nclru)) != NULL)
		nc_remove_tofree(old, &fl);

	LIST_INSERT_HEAD(nc_chain(hashval), nc, nc_hash);
	TAILQ_INSERT_TAIL(&nclru, nc, nc_lru);
	LIST_INSERT_HEAD(&dvp->v_dnclist, nc, nc_dvlist);
	if (vp != NULL)
		LIST_INSERT_HEAD(&vp->v_nclist, nc, nc_vlist);
	ncache_count++;
	mutex_exit(&namecache_lock);

	nc_free_list(&fl);
}

void
cache_purge_name(struct vnode *dvp, const char *name, size_t namelen)
{
	struct namecache *nc;
	uint32_t hashval;

	if (namelen > NAME_MAX || nc_dotname(name, namelen))
		return;
	hashval = nc_hash(dvp, name, namelen);
	mutex_enter(&namecache_lock);
	nc = nc_find(dvp, name, namelen, hashval);
	if (nc != NULL)
		nc_remove(nc);
	mutex_exit(&namecache_lock);
	if (nc != NULL)
		nc_free(nc);
}

void
cache_purge(struct vnode *vp)
{
	struct nc_freelist fl = LIST_HEAD_INITIALIZER(fl);
	struct namecache *nc;

	mutex_enter(&namecache_lock);
	while ((nc = LIST_FIRST(&vp->v_dnclist)) != NULL)
		nc_remove_tofree(nc, &fl);
	while ((nc = LIST_FIRST(&vp->v_nclist)) != NULL)
		nc_remove_tofree(nc, &fl);
	mutex_exit(&namecache_lock);
	nc_free_list(&fl);
}

/*
 * Copy a cached name of vp in directory dvp to name (NAME_MAX + 1 bytes,
 * NUL-terminated) and return its length, or return 0 when the cache has
 * none.  getcwd uses it before searching the directory.
 */
size_t
cache_revlookup(struct vnode *vp, struct vnode *dvp, char *name)
{
	struct namecache *nc;
	size_t len = 0;

	mutex_enter(&namecache_lock);
	LIST_FOREACH(nc, &vp->v_nclist, nc_vlist) {
		if (nc->nc_dvp == dvp) {
			len = nc->nc_namelen;
			memcpy(name, nc->nc_name, len);
			name[len] = '\0';
			break;
		}
	}
	mutex_exit(&namecache_lock);
	return len;
}

/* Memory reclaimer: drop the oldest entries. */
static size_t
cache_reclaim_memory(void *arg, size_t want)
{
	struct nc_freelist fl = LIST_HEAD_INITIALIZER(fl);
	struct namecache *nc;
	size_t freed = 0;

	mutex_enter(&namecache_lock);
	while (freed < want && (nc = TAILQ_FIRST(&nclru)) != NULL) {
		freed += NC_SIZE(nc->nc_namelen);
		nc_remove_tofree(nc, &fl);
	}
	mutex_exit(&namecache_lock);
	nc_free_list(&fl);
	return freed;
}

void
cache_init(void)
{
	u_int i;

	mutex_init(&namecache_lock, MUTEX_DEFAULT, IPL_NONE);
	for (i = 0; i < NCHASH_SIZE; i++)
		LIST_INIT(&nchashtab[i]);
	/* Two names per cached vnode: its own and a miss or a link. */
	ncache_max = 2 * maxvnodes_default;
	ncache_reclaimer.kr_reclaim = cache_reclaim_memory;
	ncache_reclaimer.kr_arg = NULL;
	kmem_reclaimer_register(&ncache_reclaimer);
}
