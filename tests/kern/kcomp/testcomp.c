/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Kernel-side helpers for the kernel base tests.  This file is kernel
 * code, built into librumptestcomp; its rump_test_* functions are called
 * by the test programs between rump_schedule() and rump_unschedule(),
 * except where a comment says that they schedule themselves.
 *
 * It also registers components of several types that record the order in
 * which rump_init() runs them.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/condvar.h>
#include <sys/kmem.h>
#include <sys/kthread.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/rwlock.h>

#include <rump-sys/kern.h>

/* Component init order. */
static char complog[128];

static void
complog_add(const char *what)
{

	strlcat(complog, what, sizeof(complog));
	strlcat(complog, " ", sizeof(complog));
}

RUMP_COMPONENT(RUMP_COMPONENT_KERN)
{

	complog_add("kern");
}

RUMP_COMPONENT(RUMP_COMPONENT_KERN_VFS)
{

	complog_add("kern_vfs");
}

RUMP_COMPONENT(RUMP_COMPONENT_POSTINIT)
{

	/* The init process exists by now. */
	complog_add(initproc != NULL && initproc->p_pid == 1 ?
	    "postinit" : "postinit-without-init");
}

RUMP_COMPONENT(RUMP_COMPONENT_SYSCALL)
{

	complog_add("syscall");
}

size_t rump_test_complog(char *, size_t);
size_t
rump_test_complog(char *buf, size_t len)
{

	return strlcpy(buf, complog, len);
}

/* Mutex contention: a plain counter incremented under a mutex. */
static kmutex_t test_mtx;
static kcondvar_t test_cv;
static long test_counter;
static int test_waiters;

void rump_test_locks_init(void);
void
rump_test_locks_init(void)
{

	mutex_init(&test_mtx, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&test_cv, "testcv");
	test_counter = 0;
}

void rump_test_mutex_add(int);
void
rump_test_mutex_add(int n)
{
	int i;

	for (i = 0; i < n; i++) {
		mutex_enter(&test_mtx);
		test_counter++;
		mutex_exit(&test_mtx);
	}
}

long rump_test_counter(void);
long
rump_test_counter(void)
{

	return test_counter;
}

/* Wait on test_cv for ticks (0: until woken); returns the cv result. */
int rump_test_cv_wait(int, int);
int
rump_test_cv_wait(int ticks, int intr)
{
	int error;

	mutex_enter(&test_mtx);
	test_waiters++;
	if (intr)
		error = cv_timedwait_sig(&test_cv, &test_mtx, ticks);
	else if (ticks)
		error = cv_timedwait(&test_cv, &test_mtx, ticks);
	else {
		cv_wait(&test_cv, &test_mtx);
		error = 0;
	}
	test_waiters--;
	mutex_exit(&test_mtx);
	return error;
}

int rump_test_cv_nwaiters(void);
int
rump_test_cv_nwaiters(void)
{
	int n;

	mutex_enter(&test_mtx);
	n = test_waiters;
	mutex_exit(&test_mtx);
	return n;
}

void rump_test_cv_wake(int);
void
rump_test_cv_wake(int all)
{

	mutex_enter(&test_mtx);
	if (all)
		cv_broadcast(&test_cv);
	else
		cv_signal(&test_cv);
	mutex_exit(&test_mtx);
}

/*
 * rwlock semantics, checked in one thread: returns 0 or the number of
 * the failed step.
 */
int rump_test_rwlock(void);
int
rump_test_rwlock(void)
{
	krwlock_t rw;
	int step = 0;

	rw_init(&rw);
	rw_enter(&rw, RW_READER);
	step++;
	if (!rw_read_held(&rw) || rw_write_held(&rw))
		goto out;
	step++;
	if (!rw_tryenter(&rw, RW_READER))	/* readers share */
		goto out;
	step++;
	if (rw_tryupgrade(&rw))			/* two readers: no upgrade */
		goto out;
	rw_exit(&rw);
	step++;
	if (!rw_tryupgrade(&rw))		/* sole reader: upgrade */
		goto out;
	step++;
	if (!rw_write_held(&rw) || rw_tryenter(&rw, RW_READER))
		goto out;
	rw_downgrade(&rw);
	step++;
	if (rw_write_held(&rw) || !rw_read_held(&rw))
		goto out;
	rw_exit(&rw);
	step++;
	if (rw_lock_held(&rw))
		goto out;
	step = 0;
 out:
	rw_destroy(&rw);
	return step;
}

/* kmem: allocate and free from the test program. */
void *rump_test_kmem_alloc(size_t, int);
void *
rump_test_kmem_alloc(size_t size, int nosleep)
{

	return kmem_alloc(size, nosleep ? KM_NOSLEEP : KM_SLEEP);
}

void rump_test_kmem_free(void *, size_t);
void
rump_test_kmem_free(void *p, size_t size)
{

	kmem_free(p, size);
}

uint64_t rump_test_kmem_inuse(void);
uint64_t
rump_test_kmem_inuse(void)
{

	return kmem_inuse();
}

/* A reclaim hook that frees a block the test parked with it. */
static void *parked;
static size_t parked_size;
static volatile u_int reclaim_calls;

static size_t
test_reclaim(void *arg, size_t want)
{
	void *p = parked;
	size_t size = parked_size;

	atomic_inc_uint(&reclaim_calls);
	if (p == NULL)
		return 0;
	parked = NULL;
	kmem_free(p, size);
	return size;
}

static struct kmem_reclaimer test_reclaimer = { .kr_reclaim = test_reclaim };

void rump_test_reclaim_park(void *, size_t);
void
rump_test_reclaim_park(void *p, size_t size)
{
	static bool registered;

	if (!registered) {
		kmem_reclaimer_register(&test_reclaimer);
		registered = true;
	}
	parked = p;
	parked_size = size;
}

u_int rump_test_reclaim_calls(void);
u_int
rump_test_reclaim_calls(void)
{

	return reclaim_calls;
}

/* Kernel threads: a joinable thread that records it ran. */
static volatile int kthread_ran;

static void
test_kthread(void *arg)
{

	kthread_ran = (int)(intptr_t)arg;
	kthread_exit(0);
}

int rump_test_kthread(void);
int
rump_test_kthread(void)
{
	struct lwp *l;
	int error;

	kthread_ran = 0;
	error = kthread_create(PRI_NONE, KTHREAD_MUSTJOIN | KTHREAD_MPSAFE,
	    NULL, test_kthread, (void *)(intptr_t)42, &l, "testthread");
	if (error)
		return error;
	error = kthread_join(l);
	if (error)
		return error;
	return kthread_ran == 42 ? 0 : -1;
}

/* Sleep interruptibly until a signal arrives or ticks pass. */
int rump_test_kpause_sig(int);
int
rump_test_kpause_sig(int ticks)
{

	return kpause("testsig", true, ticks, NULL);
}
