/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Kernel side of t_pool: each rump_test_pool_* function runs one case and
 * returns 0, or the source line of the check that failed after printing
 * it on the console.  The test program calls them between rump_schedule()
 * and rump_unschedule().
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/condvar.h>
#include <sys/kmem.h>
#include <sys/mutex.h>
#include <sys/pool.h>

#include "kcheck.h"

#define PT_SIZE		100
#define PT_MAGIC	0x706f6f6cU
#define PT_MAXOBJS	256

/* Constructor and destructor calls of one cache. */
struct ptest {
	volatile u_int	 pt_nctor;	/* atomic */
	volatile u_int	 pt_ndtor;	/* atomic */
	volatile u_int	 pt_baddtor;	/* atomic: dtor saw no ctor's mark */
	bool		 pt_ctor_fails;
};

/* Mark the object so the destructor and reusers can check it. */
static int
pt_ctor(void *arg, void *obj, int flags)
{
	struct ptest *pt = arg;

	if (pt->pt_ctor_fails)
		return ENOMEM;
	atomic_inc_uint(&pt->pt_nctor);
	*(uint32_t *)obj = PT_MAGIC;
	return 0;
}

static void
pt_dtor(void *arg, void *obj)
{
	struct ptest *pt = arg;

	if (*(uint32_t *)obj != PT_MAGIC)
		atomic_inc_uint(&pt->pt_baddtor);
	*(uint32_t *)obj = 0;
	atomic_inc_uint(&pt->pt_ndtor);
}

static pool_cache_t
pt_create(struct ptest *pt, size_t size, u_int align)
{

	memset(pt, 0, sizeof(*pt));
	return pool_cache_init(size, align, 0, 0, "ptest", NULL, IPL_NONE,
	    pt_ctor, pt_dtor, pt);
}

int rump_test_pool_ctor_dtor(void);
int
rump_test_pool_ctor_dtor(void)
{
	static void *objs[40];
	struct ptest pt;
	pool_cache_t pc;
	int error = 0, i, n = __arraycount(objs);

	pc = pt_create(&pt, PT_SIZE, 0);
	for (i = 0; i < n; i++)
		objs[i] = NULL;

	/* New objects: one constructor call each. */
	for (i = 0; i < n; i++) {
		objs[i] = pool_cache_get(pc, PR_WAITOK);
		KCHECK(objs[i] != NULL);
	}
	KCHECK_MSG(pt.pt_nctor == n, "%u constructor calls", pt.pt_nctor);
	KCHECK(pool_cache_nget(pc) == n);
	KCHECK(pool_cache_nidle(pc) == 0);

	/* Put back: kept constructed, no destructor call. */
	for (i = 0; i < n; i++) {
		pool_cache_put(pc, objs[i]);
		objs[i] = NULL;
	}
	KCHECK(pt.pt_ndtor == 0);
	KCHECK_MSG(pool_cache_nidle(pc) == n, "%u idle",
	    pool_cache_nidle(pc));

	/* Get again: all reused, still constructed, no constructor call. */
	for (i = 0; i < n; i++) {
		objs[i] = pool_cache_get(pc, PR_WAITOK);
		KCHECK(objs[i] != NULL);
		KCHECK(*(uint32_t *)objs[i] == PT_MAGIC);
	}
	KCHECK_MSG(pt.pt_nctor == n, "%u constructor calls", pt.pt_nctor);
	KCHECK(pool_cache_nget(pc) == 2 * n);
	KCHECK(pool_cache_nidle(pc) == 0);
 out:
	for (i = 0; i < n; i++)
		if (objs[i] != NULL)
			pool_cache_put(pc, objs[i]);
	pool_cache_destroy(pc);

	/* Destroying the cache destructs every object exactly once. */
	if (error == 0 && (pt.pt_ndtor != pt.pt_nctor || pt.pt_baddtor != 0)) {
		printf("%s:%d: %u constructor calls, %u destructor calls, "
		    "%u on unconstructed objects\n", __FILE__, __LINE__,
		    pt.pt_nctor, pt.pt_ndtor, pt.pt_baddtor);
		error = __LINE__;
	}
	return error;
}

int rump_test_pool_reuse(void);
int
rump_test_pool_reuse(void)
{
	struct ptest pt;
	pool_cache_t pc;
	void *a, *b;
	int error = 0;

	pc = pt_create(&pt, PT_SIZE, 0);

	/* Without sleeping we stay on our CPU and get the same object. */
	a = pool_cache_get(pc, PR_WAITOK);
	pool_cache_put(pc, a);
	b = pool_cache_get(pc, PR_NOWAIT);
	KCHECK(b == a);
	KCHECK(pt.pt_nctor == 1);
	pool_cache_put(pc, b);
 out:
	pool_cache_destroy(pc);
	return error;
}

int rump_test_pool_reclaim(void);
int
rump_test_pool_reclaim(void)
{
	static void *objs[PT_MAXOBJS];
	struct ptest pt;
	pool_cache_t pc;
	size_t freed;
	int error = 0, i, n = __arraycount(objs);

	pc = pt_create(&pt, PT_SIZE, 0);
	for (i = 0; i < n; i++)
		objs[i] = pool_cache_get(pc, PR_WAITOK);
	for (i = 0; i < n; i++)
		pool_cache_put(pc, objs[i]);
	KCHECK(pool_cache_nidle(pc) == n);

	/* Every idle object, per-CPU or shared, is destructed and freed. */
	freed = pool_cache_reclaim(pc);
	KCHECK_MSG(freed >= (size_t)n * PT_SIZE, "%zu bytes freed", freed);
	KCHECK_MSG(pt.pt_ndtor == n, "%u destructor calls", pt.pt_ndtor);
	KCHECK(pt.pt_baddtor == 0);
	KCHECK(pool_cache_nidle(pc) == 0);
	KCHECK(pool_cache_reclaim(pc) == 0);

	/* The cache still works and constructs anew. */
	objs[0] = pool_cache_get(pc, PR_WAITOK);
	KCHECK(pt.pt_nctor == n + 1);
	pool_cache_put(pc, objs[0]);
 out:
	pool_cache_destroy(pc);
	return error;
}

int rump_test_pool_align_zero(void);
int
rump_test_pool_align_zero(void)
{
	static const u_int aligns[] = { 0, 8, 16, 64, 512, 4096 };
	static void *objs[8];
	struct ptest pt;
	pool_cache_t pc;
	u_int align;
	uint8_t *p;
	int error = 0, a, i, j;

	pc = NULL;
	for (a = 0; a < __arraycount(aligns); a++) {
		align = aligns[a];
		pc = pool_cache_init(24, align, 0, 0, "ptalign", NULL,
		    IPL_NONE, NULL, NULL, &pt);
		for (i = 0; i < __arraycount(objs); i++) {
			objs[i] = pool_cache_get(pc, PR_WAITOK);
			KCHECK_MSG(align == 0 ||
			    (uintptr_t)objs[i] % align == 0,
			    "object %p, alignment %u", objs[i], align);
			memset(objs[i], 0xa5, 24);
		}
		for (i = 0; i < __arraycount(objs); i++) {
			pool_cache_put(pc, objs[i]);
			objs[i] = NULL;
		}

		/* PR_ZERO clears a reused object. */
		p = pool_cache_get(pc, PR_WAITOK | PR_ZERO);
		for (j = 0; j < 24; j++)
			KCHECK_MSG(p[j] == 0, "byte %d is %#x", j, p[j]);
		pool_cache_put(pc, p);
		pool_cache_destroy(pc);
		pc = NULL;
	}
 out:
	if (pc != NULL) {
		for (i = 0; i < __arraycount(objs); i++)
			if (objs[i] != NULL)
				pool_cache_put(pc, objs[i]);
		pool_cache_destroy(pc);
	}
	return error;
}

int rump_test_pool_ctor_fails(void);
int
rump_test_pool_ctor_fails(void)
{
	struct ptest pt;
	pool_cache_t pc;
	int error = 0;

	pc = pt_create(&pt, PT_SIZE, 0);
	pt.pt_ctor_fails = true;
	KCHECK(pool_cache_get(pc, PR_NOWAIT) == NULL);
	KCHECK(pool_cache_nget(pc) == 0);
	KCHECK(pool_cache_nidle(pc) == 0);
 out:
	pool_cache_destroy(pc);
	return error;
}

/*
 * Booted with a memory limit: PR_NOWAIT gets fail once the limit is
 * reached, and after the objects are put back a KM_SLEEP allocation that
 * needs their memory gets it through the pool reclaimer.
 */
#define PT_BIG		(64 * 1024)

int rump_test_pool_memlimit(void);
int
rump_test_pool_memlimit(void)
{
	struct ptest pt;
	pool_cache_t pc;
	void **objs;
	void *big;
	size_t maxobjs, bigsize;
	u_int n, i, nidle, ndtor;
	int error = 0;

	if (kmem_limit() == 0) {
		printf("%s:%d: booted without RUMP_MEMLIMIT\n", __FILE__,
		    __LINE__);
		return __LINE__;
	}
	maxobjs = 2 * kmem_limit() / PT_BIG + 16;
	objs = kmem_zalloc(maxobjs * sizeof(*objs), KM_SLEEP);
	pc = pt_create(&pt, PT_BIG, 0);
	big = NULL;
	bigsize = 0;

	for (n = 0; n < maxobjs; n++) {
		objs[n] = pool_cache_get(pc, PR_NOWAIT);
		if (objs[n] == NULL)
			break;
	}
	KCHECK_MSG(n < maxobjs, "%u gets under a limit of %llu bytes "
	    "never failed", n, (unsigned long long)kmem_limit());
	KCHECK(n > 0);

	/*
	 * Put them back.  While the kernel is under pressure (above 7/8 of
	 * the limit) put frees them at once; the rest stay idle.
	 */
	for (i = 0; i < n; i++) {
		pool_cache_put(pc, objs[i]);
		objs[i] = NULL;
	}
	nidle = pool_cache_nidle(pc);
	KCHECK_MSG(nidle + pt.pt_ndtor == n, "%u idle, %u destructed, %u out",
	    nidle, pt.pt_ndtor, n);
	KCHECK_MSG(nidle > 0, "all %u objects were freed at once", n);

	/* Ask for more than is free: only the idle objects can make room. */
	ndtor = pt.pt_ndtor;
	bigsize = kmem_limit() - kmem_inuse() + (size_t)nidle * PT_BIG / 2;
	big = kmem_alloc(bigsize, KM_SLEEP);
	KCHECK(big != NULL);
	KCHECK_MSG(pt.pt_ndtor > ndtor, "no object destructed for an "
	    "allocation of %zu bytes", bigsize);
 out:
	if (big != NULL)
		kmem_free(big, bigsize);
	for (i = 0; i < n; i++)
		if (objs[i] != NULL)
			pool_cache_put(pc, objs[i]);
	pool_cache_destroy(pc);
	kmem_free(objs, maxobjs * sizeof(*objs));
	return error;
}

/* Gets and puts from many threads: ends with every object back. */
static pool_cache_t many_pc;
static struct ptest many_pt;

void rump_test_pool_many_setup(void);
void
rump_test_pool_many_setup(void)
{

	many_pc = pt_create(&many_pt, PT_SIZE, 0);
}

int rump_test_pool_many_run(int);
int
rump_test_pool_many_run(int rounds)
{
	void *objs[2 * 16 + 3];
	int error = 0, r, i, n;

	for (r = 0; r < rounds; r++) {
		/* Vary the batch so per-CPU stacks fill and spill. */
		n = 1 + r % __arraycount(objs);
		for (i = 0; i < n; i++) {
			objs[i] = pool_cache_get(many_pc, PR_WAITOK);
			if (*(uint32_t *)objs[i] != PT_MAGIC) {
				printf("%s:%d: object %p lost its mark\n",
				    __FILE__, __LINE__, objs[i]);
				error = __LINE__;
			}
		}
		for (i = 0; i < n; i++)
			pool_cache_put(many_pc, objs[i]);
		if (r % 64 == 0)
			kpause("ptmany", false, 1, NULL);
	}
	return error;
}

int rump_test_pool_many_finish(void);
int
rump_test_pool_many_finish(void)
{
	u_int nidle;
	int error = 0;

	nidle = pool_cache_nidle(many_pc);
	KCHECK_MSG(nidle == many_pt.pt_nctor, "%u idle, %u constructed",
	    nidle, many_pt.pt_nctor);
 out:
	pool_cache_destroy(many_pc);
	if (error == 0 && many_pt.pt_ndtor != many_pt.pt_nctor) {
		printf("%s:%d: %u constructed, %u destructed\n", __FILE__,
		    __LINE__, many_pt.pt_nctor, many_pt.pt_ndtor);
		error = __LINE__;
	}
	return error;
}

/* Destroying a cache with an object out panics a DIAGNOSTIC kernel. */
int rump_test_pool_destroy_busy(void);
int
rump_test_pool_destroy_busy(void)
{
	struct ptest pt;
	pool_cache_t pc;

	pc = pt_create(&pt, PT_SIZE, 0);
	(void)pool_cache_get(pc, PR_WAITOK);
	pool_cache_destroy(pc);
	return 0;
}
