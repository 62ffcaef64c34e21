/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Pool caches: allocators of fixed-size objects that keep freed objects
 * constructed for reuse.
 *
 * Every object is a kmem allocation of its own, laid out as
 *
 *	[padding][struct pool_item][object of pc_size bytes]
 *
 * with the padding chosen so the object starts at a multiple of the
 * cache's alignment.  The header keeps the object's links and bookkeeping
 * outside the object, because an idle object stays constructed and its
 * bytes belong to the constructor.
 *
 * An idle object is in one of two places.  Each CPU has a small stack of
 * up to POOL_PCPU_MAX idle objects.  pool_cache_put pushes onto the stack
 * of the caller's CPU and pool_cache_get pops from it.  When a stack is
 * full, put moves half of it to the cache's shared list.  When it is
 * empty, get takes one object from the shared list, and when that is empty
 * too, it allocates and constructs a new object.  Each per-CPU stack has its own
 * spin mutex, held only for a few instructions, so CPUs do not contend for
 * it except when pool_cache_reclaim empties every stack.
 *
 * Idle objects are destructed and their memory freed by
 * pool_cache_reclaim, by the kmem reclaimer that this file registers for
 * all caches, when put finds the kernel under memory pressure, and by
 * pool_cache_destroy.  Objects handed out are counted as pool_cache_get
 * calls minus pool_cache_put calls.
 *
 * Locks, in the order they are taken:
 *	pool_caches_lock	(adaptive) the list of caches
 *	pcpu_lock		(spin, one per cache and CPU) that CPU's stack
 *	pc_lock			(spin, one per cache) the shared list
 * Constructors, destructors and kmem are called with none of them held,
 * except that the reclaimer holds pool_caches_lock while it destructs.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/cpu.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/pool.h>
#include <sys/queue.h>

/* Idle objects kept per CPU before they go to the shared list. */
#define POOL_PCPU_MAX		16

/*
 * Alignment of kmem_alloc memory that this file relies on (pointer
 * alignment), and the alignment of objects when the caller gives 0.
 */
#define POOL_KMEM_ALIGN		8

/* pi_state */
#define POOL_ITEM_IDLE		0x69646c65U
#define POOL_ITEM_OUT		0x6f757420U

/* Header in front of every object. */
struct pool_item {
	struct pool_item *pi_next;	/* owner's lock: on an idle list */
	void		*pi_base;	/* fixed: start of the allocation */
	struct pool_cache *pi_cache;	/* fixed: owning cache */
	u_int		 pi_state;	/* POOL_ITEM_*, for DIAGNOSTIC */
	u_int		 pi_spare;
};
CTASSERT(sizeof(struct pool_item) % POOL_KMEM_ALIGN == 0);

/* Per-CPU part of a cache. */
struct pool_pcpu {
	kmutex_t	 pcpu_lock;
	u_int		 pcpu_nidle;	/* pcpu_lock */
	uint64_t	 pcpu_nget;	/* pcpu_lock: gets on this CPU */
	uint64_t	 pcpu_nput;	/* pcpu_lock: puts on this CPU */
	/* pcpu_lock: a stack, top at pcpu_nidle - 1 */
	struct pool_item *pcpu_idle[POOL_PCPU_MAX];
};

struct pool_cache {
	LIST_ENTRY(pool_cache) pc_list;	/* pool_caches_lock */
	char		 pc_name[32];	/* fixed */
	size_t		 pc_size;	/* fixed: object size */
	size_t		 pc_allocsize;	/* fixed: kmem size of one object */
	u_int		 pc_align;	/* fixed: object alignment */
	int		(*pc_ctor)(void *, void *, int);	/* fixed */
	void		(*pc_dtor)(void *, void *);	/* fixed */
	void		*pc_arg;	/* fixed: for ctor and dtor */
	kmutex_t	 pc_lock;
	struct pool_item *pc_free;	/* pc_lock: shared idle list */
	u_int		 pc_nfree;	/* pc_lock: length of pc_free */
	struct pool_pcpu *pc_pcpu;	/* fixed: ncpu entries */
};

static kmutex_t pool_caches_lock;
static LIST_HEAD(, pool_cache) pool_caches =	/* pool_caches_lock */
    LIST_HEAD_INITIALIZER(pool_caches);
static struct kmem_reclaimer pool_reclaimer;
static bool pool_initialised;

static size_t	pool_reclaim_hook(void *, size_t);

void
pool_init_subsystem(void)
{

	KASSERT(!pool_initialised);
	mutex_init(&pool_caches_lock, MUTEX_DEFAULT, IPL_NONE);
	pool_reclaimer.kr_reclaim = pool_reclaim_hook;
	pool_reclaimer.kr_arg = NULL;
	kmem_reclaimer_register(&pool_reclaimer);
	pool_initialised = true;
}

static inline void *
pool_item_object(struct pool_item *pi)
{

	return (char *)pi + sizeof(*pi);
}

static inline struct pool_item *
pool_object_item(void *obj)
{

	return (struct pool_item *)((char *)obj - sizeof(struct pool_item));
}

/*
 * Create a pool cache of objects of size bytes aligned to align (a power
 * of two, or 0 for pointer alignment).  ctor, when not NULL, runs when an
 * object is first made and may fail by returning non-zero.  dtor, when not
 * NULL, runs before its memory is freed.  Both get arg as first argument.
 * align_offset must be 0.  flags, palloc and ipl are accepted for
 * compatibility and ignored: memory always comes from kmem_alloc and the
 * locks are spin mutexes usable at any level.
 */
pool_cache_t
pool_cache_init(size_t size, u_int align, u_int align_offset, u_int flags,
    const char *name, void *palloc, int ipl,
    int (*ctor)(void *, void *, int), void (*dtor)(void *, void *),
    void *arg)
{
	struct pool_cache *pc;
	u_int i;

	KASSERTMSG(pool_initialised,
	    "pool_cache_init called before pool_init_subsystem");
	KASSERTMSG(size > 0, "pool_cache_init: %s: object size 0", name);
	KASSERTMSG(align == 0 || powerof2(align),
	    "pool_cache_init: %s: alignment %u is not a power of two",
	    name, align);
	KASSERTMSG(align_offset == 0,
	    "pool_cache_init: %s: align_offset is not supported", name);

	if (align < POOL_KMEM_ALIGN)
		align = POOL_KMEM_ALIGN;

	pc = kmem_zalloc(sizeof(*pc), KM_SLEEP);
	strlcpy(pc->pc_name, name, sizeof(pc->pc_name));
	pc->pc_size = size;
	pc->pc_align = align;
	pc->pc_allocsize = sizeof(struct pool_item) + size +
	    (align - POOL_KMEM_ALIGN);
	pc->pc_ctor = ctor;
	pc->pc_dtor = dtor;
	pc->pc_arg = arg;
	mutex_init(&pc->pc_lock, MUTEX_SPIN, IPL_VM);
	pc->pc_pcpu = kmem_zalloc(ncpu * sizeof(pc->pc_pcpu[0]), KM_SLEEP);
	for (i = 0; i < ncpu; i++)
		mutex_init(&pc->pc_pcpu[i].pcpu_lock, MUTEX_SPIN, IPL_VM);

	mutex_enter(&pool_caches_lock);
	LIST_INSERT_HEAD(&pool_caches, pc, pc_list);
	mutex_exit(&pool_caches_lock);
	return pc;
}

/*
 * Allocate and construct a new object.  Returns NULL when PR_WAITOK is not
 * set and memory is short, or when the constructor fails.
 */
static struct pool_item *
pool_item_create(struct pool_cache *pc, int flags)
{
	struct pool_item *pi;
	uintptr_t base, obj;

	base = (uintptr_t)kmem_alloc(pc->pc_allocsize,
	    (flags & PR_WAITOK) ? KM_SLEEP : KM_NOSLEEP);
	if (base == 0)
		return NULL;
	KASSERT(base % POOL_KMEM_ALIGN == 0);

	obj = base + sizeof(*pi);
	obj = (obj + pc->pc_align - 1) & ~((uintptr_t)pc->pc_align - 1);
	pi = pool_object_item((void *)obj);
	pi->pi_next = NULL;
	pi->pi_base = (void *)base;
	pi->pi_cache = pc;
	pi->pi_state = POOL_ITEM_OUT;

	if (pc->pc_ctor != NULL &&
	    (*pc->pc_ctor)(pc->pc_arg, (void *)obj, flags) != 0) {
		kmem_free((void *)base, pc->pc_allocsize);
		return NULL;
	}
	return pi;
}

/* Destruct an idle object and free its memory. */
static void
pool_item_destroy(struct pool_cache *pc, struct pool_item *pi)
{

	KASSERT(pi->pi_cache == pc);
	if (pc->pc_dtor != NULL)
		(*pc->pc_dtor)(pc->pc_arg, pool_item_object(pi));
	pi->pi_state = 0;
	kmem_free(pi->pi_base, pc->pc_allocsize);
}

/* Pop an idle object from the shared list, or return NULL. */
static struct pool_item *
pool_cache_get_shared(struct pool_cache *pc)
{
	struct pool_item *pi;

	mutex_spin_enter(&pc->pc_lock);
	pi = pc->pc_free;
	if (pi != NULL) {
		pc->pc_free = pi->pi_next;
		pc->pc_nfree--;
	}
	mutex_spin_exit(&pc->pc_lock);
	return pi;
}

/*
 * Get an object: an idle one when there is one, a new one otherwise.
 * flags are PR_WAITOK or PR_NOWAIT (a get without PR_WAITOK never sleeps),
 * optionally with PR_ZERO, which clears the object, after construction
 * when it is new.  Returns NULL when a get that may not sleep finds memory
 * short, or when the constructor fails.
 */
void *
pool_cache_get(pool_cache_t pc, int flags)
{
	struct pool_pcpu *pcpu;
	struct pool_item *pi;
	void *obj;

	KASSERTMSG((flags & (PR_WAITOK | PR_NOWAIT)) !=
	    (PR_WAITOK | PR_NOWAIT),
	    "pool_cache_get: %s: both PR_WAITOK and PR_NOWAIT in flags %#x",
	    pc->pc_name, flags);

	/* curcpu() stays ours while we do not sleep. */
	pcpu = &pc->pc_pcpu[curcpu()->ci_index];
	mutex_spin_enter(&pcpu->pcpu_lock);
	if (pcpu->pcpu_nidle > 0) {
		pi = pcpu->pcpu_idle[--pcpu->pcpu_nidle];
		pcpu->pcpu_nget++;
		mutex_spin_exit(&pcpu->pcpu_lock);
		goto found;
	}
	mutex_spin_exit(&pcpu->pcpu_lock);

	pi = pool_cache_get_shared(pc);
	if (pi == NULL) {
		pi = pool_item_create(pc, flags);
		if (pi == NULL)
			return NULL;
	}

	/* kmem_alloc may have slept: count on the CPU we hold now. */
	pcpu = &pc->pc_pcpu[curcpu()->ci_index];
	mutex_spin_enter(&pcpu->pcpu_lock);
	pcpu->pcpu_nget++;
	mutex_spin_exit(&pcpu->pcpu_lock);

found:
	KASSERTMSG(pi->pi_cache == pc &&
	    (pi->pi_state == POOL_ITEM_IDLE || pi->pi_state == POOL_ITEM_OUT),
	    "pool_cache_get: %s: idle object %p is corrupt", pc->pc_name,
	    pool_item_object(pi));
	pi->pi_state = POOL_ITEM_OUT;
	obj = pool_item_object(pi);
	if (flags & PR_ZERO)
		memset(obj, 0, pc->pc_size);
	return obj;
}

/*
 * Move the older half of a full per-CPU stack to the shared list.  The
 * caller holds pcpu_lock.
 */
static void
pool_pcpu_spill_locked(struct pool_cache *pc, struct pool_pcpu *pcpu)
{
	struct pool_item *head, *tail, *pi;
	u_int i, n;

	KASSERT(mutex_owned(&pcpu->pcpu_lock));

	/* Chain the bottom n entries, ending with the bottom one, tail. */
	n = POOL_PCPU_MAX / 2;
	head = NULL;
	tail = pcpu->pcpu_idle[0];
	for (i = 0; i < n; i++) {
		pi = pcpu->pcpu_idle[i];
		pi->pi_next = head;
		head = pi;
	}
	memmove(&pcpu->pcpu_idle[0], &pcpu->pcpu_idle[n],
	    (pcpu->pcpu_nidle - n) * sizeof(pcpu->pcpu_idle[0]));
	pcpu->pcpu_nidle -= n;

	mutex_spin_enter(&pc->pc_lock);
	tail->pi_next = pc->pc_free;
	pc->pc_free = head;
	pc->pc_nfree += n;
	mutex_spin_exit(&pc->pc_lock);
}

/*
 * Return an object to its cache, constructed.  When the kernel is short of
 * memory the object is destructed and freed at once.
 */
void
pool_cache_put(pool_cache_t pc, void *obj)
{
	struct pool_pcpu *pcpu;
	struct pool_item *pi;
	bool pressure;

	KASSERT(obj != NULL);
	pi = pool_object_item(obj);
	KASSERTMSG(pi->pi_cache == pc,
	    "pool_cache_put: %s: object %p does not belong to this cache",
	    pc->pc_name, obj);
	KASSERTMSG(pi->pi_state == POOL_ITEM_OUT,
	    "pool_cache_put: %s: object %p is not in use (put twice?)",
	    pc->pc_name, obj);
	pi->pi_state = POOL_ITEM_IDLE;
	pressure = kmem_under_pressure();

	pcpu = &pc->pc_pcpu[curcpu()->ci_index];
	mutex_spin_enter(&pcpu->pcpu_lock);
	pcpu->pcpu_nput++;
	if (pressure) {
		mutex_spin_exit(&pcpu->pcpu_lock);
		pool_item_destroy(pc, pi);
		return;
	}
	if (pcpu->pcpu_nidle == POOL_PCPU_MAX)
		pool_pcpu_spill_locked(pc, pcpu);
	pcpu->pcpu_idle[pcpu->pcpu_nidle++] = pi;
	mutex_spin_exit(&pcpu->pcpu_lock);
}

/*
 * Destruct every idle object of the cache and free its memory.  Returns
 * the number of bytes given back to kmem.
 */
size_t
pool_cache_reclaim(pool_cache_t pc)
{
	struct pool_pcpu *pcpu;
	struct pool_item *list, *pi;
	size_t freed;
	u_int i;

	/* Collect the idle objects, then destruct them with no lock held. */
	list = NULL;
	for (i = 0; i < ncpu; i++) {
		pcpu = &pc->pc_pcpu[i];
		mutex_spin_enter(&pcpu->pcpu_lock);
		while (pcpu->pcpu_nidle > 0) {
			pi = pcpu->pcpu_idle[--pcpu->pcpu_nidle];
			pi->pi_next = list;
			list = pi;
		}
		mutex_spin_exit(&pcpu->pcpu_lock);
	}

	mutex_spin_enter(&pc->pc_lock);
	while ((pi = pc->pc_free) != NULL) {
		pc->pc_free = pi->pi_next;
		pi->pi_next = list;
		list = pi;
	}
	pc->pc_nfree = 0;
	mutex_spin_exit(&pc->pc_lock);

	freed = 0;
	while ((pi = list) != NULL) {
		list = pi->pi_next;
		KASSERT(pi->pi_state == POOL_ITEM_IDLE);
		pool_item_destroy(pc, pi);
		freed += pc->pc_allocsize;
	}
	return freed;
}

/* Objects handed out and not yet put back. */
static uint64_t
pool_cache_nout(struct pool_cache *pc)
{
	struct pool_pcpu *pcpu;
	uint64_t nget, nput;
	u_int i;

	nget = nput = 0;
	for (i = 0; i < ncpu; i++) {
		pcpu = &pc->pc_pcpu[i];
		mutex_spin_enter(&pcpu->pcpu_lock);
		nget += pcpu->pcpu_nget;
		nput += pcpu->pcpu_nput;
		mutex_spin_exit(&pcpu->pcpu_lock);
	}
	return nget - nput;
}

/*
 * Destroy a cache: free every idle object and the cache itself.  Every
 * object must have been put back, or a DIAGNOSTIC kernel panics.
 */
void
pool_cache_destroy(pool_cache_t pc)
{
	uint64_t nout __unused;
	u_int i;

	mutex_enter(&pool_caches_lock);
	LIST_REMOVE(pc, pc_list);
	mutex_exit(&pool_caches_lock);

	(void)pool_cache_reclaim(pc);
	nout = pool_cache_nout(pc);
	KASSERTMSG(nout == 0,
	    "pool_cache_destroy: %s: %ju objects still in use",
	    pc->pc_name, (uintmax_t)nout);

	for (i = 0; i < ncpu; i++)
		mutex_destroy(&pc->pc_pcpu[i].pcpu_lock);
	kmem_free(pc->pc_pcpu, ncpu * sizeof(pc->pc_pcpu[0]));
	mutex_destroy(&pc->pc_lock);
	kmem_free(pc, sizeof(*pc));
}

/* Number of successful pool_cache_get calls, modulo 2^32. */
u_int
pool_cache_nget(pool_cache_t pc)
{
	uint64_t nget;
	u_int i;

	nget = 0;
	for (i = 0; i < ncpu; i++)
		nget += atomic_load_relaxed(&pc->pc_pcpu[i].pcpu_nget);
	return (u_int)nget;
}

/* Number of idle objects, per-CPU and shared, as a snapshot. */
u_int
pool_cache_nidle(pool_cache_t pc)
{
	u_int i, nidle;

	nidle = atomic_load_relaxed(&pc->pc_nfree);
	for (i = 0; i < ncpu; i++)
		nidle += atomic_load_relaxed(&pc->pc_pcpu[i].pcpu_nidle);
	return nidle;
}

/*
 * The kmem reclaimer of all pool caches: free idle objects, cache by
 * cache, until at least wanted bytes are freed (all of them when wanted is
 * 0).  Returns the bytes freed.
 */
static size_t
pool_reclaim_hook(void *arg, size_t wanted)
{
	struct pool_cache *pc;
	size_t freed;

	/* A destructor that allocates may bring us back here. */
	if (mutex_owned(&pool_caches_lock))
		return 0;

	freed = 0;
	mutex_enter(&pool_caches_lock);
	LIST_FOREACH(pc, &pool_caches, pc_list) {
		freed += pool_cache_reclaim(pc);
		if (wanted > 0 && freed >= wanted)
			break;
	}
	mutex_exit(&pool_caches_lock);
	return freed;
}
