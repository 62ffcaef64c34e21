/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Kernel memory: kmem_alloc and friends on the malloc hypercall, with
 * accounting against the memory limit (RUMP_MEMLIMIT).
 *
 * Every allocation is counted in kmem_used before it is made.  When the
 * count would pass the limit, the allocator asks the registered reclaim
 * hooks to give memory back (caches of vnodes, buffers, pool objects);
 * if that is not enough, KM_NOSLEEP allocations fail and KM_SLEEP
 * allocations sleep until frees make room, asking the hooks again every
 * few ticks, for at most two seconds: then they go over the limit, which
 * is logged.  So the limit is firm for what can wait or fail and soft for
 * what cannot.
 *
 * DIAGNOSTIC kernels put a 16-byte header in front of each allocation
 * that records its size and state, and panic when kmem_free is given a
 * different size or a block that is not allocated.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/condvar.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mutex.h>

#include "rump_private.h"

#ifdef DIAGNOSTIC
#define KMEM_HDRSIZE	16
#define KMEM_MAGIC_ALLOC 0x6b6d656d616c6c63ULL
#define KMEM_MAGIC_FREE	 0x6b6d656d66726565ULL
struct kmem_header {
	uint64_t	kh_size;
	uint64_t	kh_magic;
};
CTASSERT(sizeof(struct kmem_header) == KMEM_HDRSIZE);
#else
#define KMEM_HDRSIZE	0
#endif

static volatile uint64_t kmem_used;	/* atomic: bytes allocated */
static uint64_t kmem_max;		/* fixed at boot: 0 = no limit */

static kmutex_t kmem_waitlock;
static kcondvar_t kmem_waitcv;		/* kmem_waitlock */
static volatile u_int kmem_nwaiters;	/* atomic */
static struct kmem_reclaimer *kmem_reclaimers; /* kmem_waitlock */
static bool kmem_warned;		/* kmem_waitlock */
static volatile uint64_t kmem_overcommits; /* racy count, for logs only */
static volatile bool kmem_overcommitted; /* over the limit since */

int
rump_kmem_init(uint64_t limit)
{

	kmem_max = limit;
	mutex_init(&kmem_waitlock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&kmem_waitcv, "kmemwait");
	return 0;
}

uint64_t
kmem_inuse(void)
{

	return atomic_load_relaxed(&kmem_used);
}

uint64_t
kmem_limit(void)
{

	return kmem_max;
}

bool
kmem_under_pressure(void)
{

	return kmem_max != 0 && kmem_inuse() > kmem_max - kmem_max / 8;
}

void
kmem_reclaimer_register(struct kmem_reclaimer *kr)
{

	mutex_enter(&kmem_waitlock);
	kr->kr_next = kmem_reclaimers;
	kmem_reclaimers = kr;
	mutex_exit(&kmem_waitlock);
}

void
kmem_reclaimer_unregister(struct kmem_reclaimer *kr)
{
	struct kmem_reclaimer **krp;

	mutex_enter(&kmem_waitlock);
	for (krp = &kmem_reclaimers; *krp != NULL; krp = &(*krp)->kr_next) {
		if (*krp == kr) {
			*krp = kr->kr_next;
			break;
		}
	}
	mutex_exit(&kmem_waitlock);
}

/*
 * Ask every reclaim hook for memory.  Hooks are called without
 * kmem_waitlock held: the list only grows at boot and when components
 * register, and unregistering ones are expected to be idle.
 */
static size_t
kmem_reclaim(size_t want)
{
	struct kmem_reclaimer *kr;
	size_t freed = 0;

	mutex_enter(&kmem_waitlock);
	kr = kmem_reclaimers;
	mutex_exit(&kmem_waitlock);
	for (; kr != NULL && freed < want; kr = kr->kr_next)
		freed += kr->kr_reclaim(kr->kr_arg, want - freed);
	return freed;
}

static bool
kmem_charge_try(size_t size)
{
	uint64_t old, new;

	old = atomic_load_relaxed(&kmem_used);
	do {
		new = old + size;
		if (kmem_max != 0 && new > kmem_max)
			return false;
	} while (!__atomic_compare_exchange_n(&kmem_used, &old, new, true,
	    __ATOMIC_RELAXED, __ATOMIC_RELAXED));
	return true;
}

/*
 * Count size bytes against the limit; false only for KM_NOSLEEP.  A
 * KM_SLEEP allocation waits at most KMEM_MAXWAIT ticks for room and then
 * goes over the limit, logging it: an allocation that can never fit, or
 * threads that each hold memory while waiting for more, must not hang
 * the kernel.
 */
#define KMEM_MAXWAIT	(2 * HZ)

static bool
kmem_charge(size_t size, km_flag_t flags)
{
	int waited;

	if (__predict_true(kmem_max == 0)) {
		atomic_add_64(&kmem_used, size);
		return true;
	}
	if (__predict_true(kmem_charge_try(size)))
		return true;

	for (waited = 0;; waited += HZ / 10) {
		(void)kmem_reclaim(size);
		if (kmem_charge_try(size))
			return true;
		if (flags & KM_NOSLEEP)
			return false;
		/*
		 * Waiting is pointless for what can never fit, and while the
		 * kernel is over the limit already: only frees help then,
		 * and an earlier allocation waited for them in vain.
		 */
		if (waited >= KMEM_MAXWAIT || size > kmem_max ||
		    kmem_overcommitted)
			break;

		mutex_enter(&kmem_waitlock);
		if (!kmem_warned) {
			kmem_warned = true;
			log(LOG_WARNING, "kmem: allocation of %zu bytes waits "
			    "for memory: %llu of %llu bytes in use "
			    "(RUMP_MEMLIMIT)\n", size,
			    (unsigned long long)kmem_inuse(),
			    (unsigned long long)kmem_max);
		}
		atomic_inc_uint(&kmem_nwaiters);
		(void)cv_timedwait(&kmem_waitcv, &kmem_waitlock, HZ / 10);
		atomic_dec_uint(&kmem_nwaiters);
		mutex_exit(&kmem_waitlock);
	}

	kmem_overcommitted = true;
	kmem_overcommits++;
	if (kmem_overcommits == 1 || kmem_overcommits % 1000 == 0)
		log(LOG_WARNING, "kmem: allocation of %zu bytes exceeds "
		    "RUMP_MEMLIMIT (%llu of %llu bytes in use; %llu time%s)\n",
		    size, (unsigned long long)kmem_inuse(),
		    (unsigned long long)kmem_max,
		    (unsigned long long)kmem_overcommits,
		    kmem_overcommits == 1 ? "" : "s");
	atomic_add_64(&kmem_used, size);
	return true;
}

static void
kmem_uncharge(size_t size)
{

	atomic_add_64(&kmem_used, -(int64_t)size);
	if (__predict_false(kmem_overcommitted) &&
	    atomic_load_relaxed(&kmem_used) <= kmem_max)
		kmem_overcommitted = false;
	if (__predict_false(atomic_load_relaxed(&kmem_nwaiters) != 0)) {
		mutex_enter(&kmem_waitlock);
		cv_broadcast(&kmem_waitcv);
		mutex_exit(&kmem_waitlock);
	}
}

void *
kmem_alloc(size_t size, km_flag_t flags)
{
	size_t total = size + KMEM_HDRSIZE;
	void *p;

	KASSERTMSG(flags == KM_SLEEP || flags == KM_NOSLEEP,
	    "kmem_alloc: bad flags %#x", flags);
	if (size == 0)
		total++;
	if (!kmem_charge(total, flags))
		return NULL;
	if (rumpuser_malloc(total, 0, &p) != 0) {
		kmem_uncharge(total);
		if (flags & KM_NOSLEEP)
			return NULL;
		panic("kmem_alloc: the host is out of memory for %zu bytes",
		    size);
	}
#ifdef DIAGNOSTIC
	((struct kmem_header *)p)->kh_size = size;
	((struct kmem_header *)p)->kh_magic = KMEM_MAGIC_ALLOC;
	p = (char *)p + KMEM_HDRSIZE;
#endif
	return p;
}

void *
kmem_zalloc(size_t size, km_flag_t flags)
{
	void *p;

	p = kmem_alloc(size, flags);
	if (p != NULL)
		memset(p, 0, size);
	return p;
}

void
kmem_free(void *p, size_t size)
{
	size_t total = size + KMEM_HDRSIZE;

	if (size == 0)
		total++;
#ifdef DIAGNOSTIC
	struct kmem_header *kh = (struct kmem_header *)((char *)p -
	    KMEM_HDRSIZE);

	if (kh->kh_magic != KMEM_MAGIC_ALLOC)
		panic("kmem_free(%p, %zu): not an allocated block%s", p, size,
		    kh->kh_magic == KMEM_MAGIC_FREE ? " (freed twice)" : "");
	if (kh->kh_size != size)
		panic("kmem_free(%p, %zu): allocated with size %llu", p, size,
		    (unsigned long long)kh->kh_size);
	kh->kh_magic = KMEM_MAGIC_FREE;
	p = kh;
#endif
	rumpuser_free(p, total);
	kmem_uncharge(total);
}

void *
kmem_intr_alloc(size_t size, km_flag_t flags)
{

	return kmem_alloc(size, flags);
}

void *
kmem_intr_zalloc(size_t size, km_flag_t flags)
{

	return kmem_zalloc(size, flags);
}

void
kmem_intr_free(void *p, size_t size)
{

	kmem_free(p, size);
}

char *
kmem_strdup(const char *s, km_flag_t flags)
{
	size_t len = strlen(s) + 1;
	char *p;

	p = kmem_alloc(len, flags);
	if (p != NULL)
		memcpy(p, s, len);
	return p;
}

void
kmem_strfree(char *s)
{

	kmem_free(s, strlen(s) + 1);
}

void *
kmem_page_alloc(size_t size, km_flag_t flags)
{
	void *p;

	KASSERT(size > 0);
	if (!kmem_charge(size, flags))
		return NULL;
	if (rumpuser_malloc(size, PAGE_SIZE, &p) != 0) {
		kmem_uncharge(size);
		if (flags & KM_NOSLEEP)
			return NULL;
		panic("kmem_page_alloc: the host is out of memory for %zu "
		    "bytes", size);
	}
	return p;
}

void
kmem_page_free(void *p, size_t size)
{

	rumpuser_free(p, size);
	kmem_uncharge(size);
}

void *
kmem_anon_map(size_t size, u_int alignshift)
{
	void *p;

	KASSERT(size > 0);
	if (rumpuser_anonmmap(NULL, size, (int)alignshift, 0, &p) != 0)
		return NULL;
	return p;
}

void
kmem_anon_unmap(void *p, size_t size)
{

	rumpuser_unmap(p, size);
}

bool
kmem_charge_bytes(size_t size, km_flag_t flags)
{

	KASSERTMSG(flags == KM_SLEEP || flags == KM_NOSLEEP,
	    "kmem_charge_bytes: bad flags %#x", flags);
	return kmem_charge(size, flags);
}

void
kmem_uncharge_bytes(size_t size)
{

	kmem_uncharge(size);
}
