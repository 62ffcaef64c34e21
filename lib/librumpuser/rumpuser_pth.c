/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Threads, the current lwp, mutexes, reader/writer locks and condition
 * variables, implemented on POSIX threads.
 *
 * Virtual CPU rules.  A thread that blocks in the host while holding a
 * virtual CPU stops that CPU for every other kernel thread.  So any
 * operation here that may block first tries without blocking.  Only if
 * that fails does it release the CPU (rumpuser__unschedule), block, and
 * take a CPU back (rumpuser__reschedule) before returning.  The exceptions
 * never touch the CPU:
 *
 *  - mutexes created with RUMPUSER_MTX_SPIN, whose holders must never give
 *    up the CPU, and rumpuser_mutex_enter_nowrap();
 *  - rumpuser_cv_wait_nowrap(), which the kernel's scheduler uses while it
 *    has no CPU or is between CPUs;
 *  - calls that never block: exits, tryenters, signal, broadcast, queries.
 *
 * Condition variable waits pass their mutex as the interlock argument of
 * both upcalls.  The mutex is held when hyp_backend_unschedule is called.
 * When hyp_backend_schedule is called, the mutex is held unless it is both
 * SPIN and KMUTEX: such a mutex is taken back only after the CPU, because
 * a thread that holds a spin mutex must not wait for a CPU.
 *
 * The current lwp lives in a thread-local variable, so rumpuser_curlwp()
 * is a single load.
 */

#include <sys/types.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rump/rumpuser.h>

#include "rumpuser_int.h"

/* pthread_create() attempts on EAGAIN, and the pause between them. */
#define THREAD_CREATE_TRIES		10
#define THREAD_CREATE_RETRY_NSEC	(10 * 1000 * 1000L)

/* Linux thread names are at most 15 characters and a NUL. */
#define THREAD_NAME_SIZE		16

/* Alignment of lock objects, so that two locks never share a cache line. */
#define LOCK_ALIGN			64

/* Maximum relative timeout of rumpuser_cv_timedwait(), in seconds. */
#define CV_TIMEOUT_MAX_SEC		((int64_t)1 << 40)

#define NSEC_PER_SEC			1000000000L

/*
 * Threads
 */

/* Start routine, argument and name of a new thread, freed by the thread. */
struct thread_start {
	void *(*ts_fun)(void *);
	void *ts_arg;
	char ts_name[THREAD_NAME_SIZE];
};

/* A join cookie is the pthread_t itself. */
_Static_assert(sizeof(pthread_t) <= sizeof(void *),
    "pthread_t does not fit in a thread cookie");

static void *
thread_start_routine(void *arg)
{
	struct thread_start start;

	start = *(struct thread_start *)arg;
	free(arg);

	if (start.ts_name[0] != '\0')
		(void)pthread_setname_np(pthread_self(), start.ts_name);
	return start.ts_fun(start.ts_arg);
}

/*
 * Start a host thread running fun(arg), named thrname (cut to 15
 * characters).  If mustjoin is non-zero the thread is joinable and *cookie
 * receives the handle for rumpuser_thread_join(), otherwise it is
 * detached.  priority and cpuidx are hints that this host ignores.  Host
 * thread limits (EAGAIN) are retried for about 100 ms, sleeping with the
 * CPU held because this path is rare.
 */
int
rumpuser_thread_create(void *(*fun)(void *), void *arg, const char *thrname,
    int mustjoin, int priority, int cpuidx, void **cookie)
{
	const struct timespec retry = { 0, THREAD_CREATE_RETRY_NSEC };
	struct thread_start *start;
	pthread_attr_t attr;
	pthread_t thread;
	sigset_t allsigs, oldsigs;
	size_t namelen;
	int tries, error;

	(void)priority;
	(void)cpuidx;

	start = malloc(sizeof(*start));
	if (start == NULL)
		return ENOMEM;
	start->ts_fun = fun;
	start->ts_arg = arg;
	namelen = 0;
	if (thrname != NULL) {
		namelen = strnlen(thrname, THREAD_NAME_SIZE - 1);
		memcpy(start->ts_name, thrname, namelen);
	}
	start->ts_name[namelen] = '\0';

	error = pthread_attr_init(&attr);
	if (error != 0)
		goto out_free;
	if (!mustjoin) {
		error = pthread_attr_setdetachstate(&attr,
		    PTHREAD_CREATE_DETACHED);
		if (error != 0)
			goto out_attr;
	}

	/*
	 * Kernel threads start with every signal blocked, so that signals
	 * meant for the program's own threads are never delivered to them.
	 */
	sigfillset(&allsigs);
	pthread_sigmask(SIG_SETMASK, &allsigs, &oldsigs);
	for (tries = 1;; tries++) {
		error = pthread_create(&thread, &attr, thread_start_routine,
		    start);
		if (error != EAGAIN || tries == THREAD_CREATE_TRIES)
			break;
		nanosleep(&retry, NULL);
	}
	pthread_sigmask(SIG_SETMASK, &oldsigs, NULL);
	if (error != 0)
		goto out_attr;

	pthread_attr_destroy(&attr);
	if (mustjoin) {
		*cookie = NULL;
		memcpy(cookie, &thread, sizeof(thread));
	}
	return 0;

out_attr:
	pthread_attr_destroy(&attr);
out_free:
	free(start);
	return error;
}

/* End the calling thread, writing out its unfinished console line. */
void
rumpuser_thread_exit(void)
{

	rumpuser__console_flush();
	pthread_exit(NULL);
}

/* Wait, without a CPU, for the joinable thread of cookie to exit. */
int
rumpuser_thread_join(void *cookie)
{
	pthread_t thread;
	int nlocks, error;

	memcpy(&thread, &cookie, sizeof(thread));
	rumpuser__unschedule(&nlocks, NULL);
	error = pthread_join(thread, NULL);
	rumpuser__reschedule(nlocks, NULL);
	return error;
}

/*
 * The current lwp
 */

static __thread struct lwp *thread_curlwp
    __attribute__((__tls_model__("initial-exec")));

/*
 * Apply a context operation to lwp l.  CREATE and DESTROY only inform.
 * SET binds l to the calling thread, which must have no lwp.  CLEAR
 * unbinds l, which must be the calling thread's lwp.  A broken rule is a
 * kernel bug and aborts.
 */
void
rumpuser_curlwpop(int enum_rumplwpop, struct lwp *l)
{

	switch (enum_rumplwpop) {
	case RUMPUSER_LWP_CREATE:
		break;
	case RUMPUSER_LWP_DESTROY:
		if (l != NULL && l == thread_curlwp)
			rumpuser__fatal("rumpuser_curlwpop: DESTROY of lwp %p "
			    "while it is the current lwp", (void *)l);
		break;
	case RUMPUSER_LWP_SET:
		if (l == NULL)
			rumpuser__fatal("rumpuser_curlwpop: SET of a NULL lwp");
		if (thread_curlwp != NULL)
			rumpuser__fatal("rumpuser_curlwpop: SET of lwp %p "
			    "while lwp %p is current", (void *)l,
			    (void *)thread_curlwp);
		thread_curlwp = l;
		break;
	case RUMPUSER_LWP_CLEAR:
		if (l == NULL || l != thread_curlwp)
			rumpuser__fatal("rumpuser_curlwpop: CLEAR of lwp %p "
			    "but the current lwp is %p", (void *)l,
			    (void *)thread_curlwp);
		thread_curlwp = NULL;
		break;
	default:
		rumpuser__fatal("rumpuser_curlwpop: invalid operation %d",
		    enum_rumplwpop);
	}
}

/* Return the calling thread's lwp, or NULL if it has none. */
struct lwp *
rumpuser_curlwp(void)
{

	return thread_curlwp;
}

/*
 * Mutexes
 */

struct rumpuser_mtx {
	pthread_mutex_t mtx_lock;
	/*
	 * lwp of the holder, or NULL when free.  Written only by the
	 * holder and read without a lock, hence the relaxed atomics.  It is
	 * kept for every mutex but may be queried only for KMUTEX ones.
	 */
	struct lwp *mtx_owner;
	int mtx_flags;		/* RUMPUSER_MTX_*, fixed at creation */
};

static inline void
mtx_set_owner(struct rumpuser_mtx *mtx)
{

	__atomic_store_n(&mtx->mtx_owner, thread_curlwp, __ATOMIC_RELAXED);
}

static inline void
mtx_clear_owner(struct rumpuser_mtx *mtx)
{

	__atomic_store_n(&mtx->mtx_owner, NULL, __ATOMIC_RELAXED);
}

static inline void
mtx_lock_nowrap(struct rumpuser_mtx *mtx)
{

	RUMPUSER_NOFAIL(pthread_mutex_lock(&mtx->mtx_lock));
	mtx_set_owner(mtx);
}

/*
 * Allocate an unlocked mutex.  flags must contain RUMPUSER_MTX_SPIN,
 * RUMPUSER_MTX_KMUTEX or both, and nothing else.
 */
void
rumpuser_mutex_init(struct rumpuser_mtx **mtxp, int flags)
{
	const int known = RUMPUSER_MTX_SPIN | RUMPUSER_MTX_KMUTEX;
	struct rumpuser_mtx *mtx;
	size_t size;

	if ((flags & ~known) != 0 || (flags & known) == 0)
		rumpuser__fatal("rumpuser_mutex_init: invalid flags %#x",
		    flags);

	size = (sizeof(*mtx) + LOCK_ALIGN - 1) & ~(size_t)(LOCK_ALIGN - 1);
	mtx = aligned_alloc(LOCK_ALIGN, size);
	if (mtx == NULL)
		rumpuser__fatal_error("rumpuser_mutex_init", ENOMEM);
	RUMPUSER_NOFAIL(pthread_mutex_init(&mtx->mtx_lock, NULL));
	mtx->mtx_owner = NULL;
	mtx->mtx_flags = flags;
	*mtxp = mtx;
}

/*
 * Acquire mtx.  On a spin mutex this is rumpuser_mutex_enter_nowrap().
 * Otherwise a contended mutex is waited for without the CPU.
 */
void
rumpuser_mutex_enter(struct rumpuser_mtx *mtx)
{
	int nlocks, error;

	if (mtx->mtx_flags & RUMPUSER_MTX_SPIN) {
		mtx_lock_nowrap(mtx);
		return;
	}

	error = pthread_mutex_trylock(&mtx->mtx_lock);
	if (__builtin_expect(error != 0, 0)) {
		if (error != EBUSY)
			rumpuser__fatal_error("pthread_mutex_trylock", error);
		rumpuser__unschedule(&nlocks, NULL);
		RUMPUSER_NOFAIL(pthread_mutex_lock(&mtx->mtx_lock));
		rumpuser__reschedule(nlocks, NULL);
	}
	mtx_set_owner(mtx);
}

/* Acquire mtx, keeping the CPU however long it takes. */
void
rumpuser_mutex_enter_nowrap(struct rumpuser_mtx *mtx)
{

	mtx_lock_nowrap(mtx);
}

/* Acquire mtx if it is free.  Returns 0 or EBUSY. */
int
rumpuser_mutex_tryenter(struct rumpuser_mtx *mtx)
{
	int error;

	error = pthread_mutex_trylock(&mtx->mtx_lock);
	if (error == 0) {
		mtx_set_owner(mtx);
		return 0;
	}
	if (error != EBUSY)
		rumpuser__fatal_error("pthread_mutex_trylock", error);
	return EBUSY;
}

/* Release mtx, which the caller holds. */
void
rumpuser_mutex_exit(struct rumpuser_mtx *mtx)
{

	mtx_clear_owner(mtx);
	RUMPUSER_NOFAIL(pthread_mutex_unlock(&mtx->mtx_lock));
}

/* Free mtx, which must not be held. */
void
rumpuser_mutex_destroy(struct rumpuser_mtx *mtx)
{

	RUMPUSER_NOFAIL(pthread_mutex_destroy(&mtx->mtx_lock));
	free(mtx);
}

/*
 * Store the lwp that holds mtx, or NULL if it is free or held by a thread
 * without an lwp.  Only for KMUTEX mutexes.
 */
void
rumpuser_mutex_owner(struct rumpuser_mtx *mtx, struct lwp **lp)
{

	if (!(mtx->mtx_flags & RUMPUSER_MTX_KMUTEX))
		rumpuser__fatal("rumpuser_mutex_owner: mutex %p is not a "
		    "KMUTEX", (void *)mtx);
	*lp = __atomic_load_n(&mtx->mtx_owner, __ATOMIC_RELAXED);
}

/*
 * Reader/writer locks
 *
 * A lock is free, held by one writer, or held by any number of readers.
 * Writers take precedence: a new reader waits while a writer holds the
 * lock or waits for it, so a stream of readers cannot starve writers.  The
 * price is that a thread that already holds a read lock must not ask for
 * another one while a writer may be waiting, because it would wait for
 * itself.
 */

struct rumpuser_rw {
	pthread_mutex_t rw_lock;	/* protects the fields below */
	pthread_cond_t rw_readers_cv;	/* readers wait here */
	pthread_cond_t rw_writers_cv;	/* writers wait here */
	unsigned int rw_readers;	/* number of read holds */
	unsigned int rw_writers_waiting; /* writers blocked in rw_enter */
	bool rw_write_held;		/* held by a writer */
	struct lwp *rw_writer;		/* its lwp, if rw_write_held */
};

static bool
rw_can_read(const struct rumpuser_rw *rw)
{

	return !rw->rw_write_held && rw->rw_writers_waiting == 0;
}

static bool
rw_can_write(const struct rumpuser_rw *rw)
{

	return !rw->rw_write_held && rw->rw_readers == 0;
}

/* Take a read or write hold.  Called with rw_lock held. */
static void
rw_take_locked(struct rumpuser_rw *rw, bool write)
{

	if (write) {
		rw->rw_write_held = true;
		rw->rw_writer = thread_curlwp;
	} else {
		rw->rw_readers++;
	}
}

/*
 * Wake the threads that can make progress after a hold was dropped.
 * Called with rw_lock held.  Waiting writers go first.  Readers wake only
 * when no writer waits.
 */
static void
rw_wake_locked(struct rumpuser_rw *rw)
{

	if (rw->rw_writers_waiting > 0) {
		if (rw_can_write(rw))
			RUMPUSER_NOFAIL(pthread_cond_signal(
			    &rw->rw_writers_cv));
	} else if (!rw->rw_write_held) {
		RUMPUSER_NOFAIL(pthread_cond_broadcast(&rw->rw_readers_cv));
	}
}

static bool
rw_is_writer(int enum_rumprwlock)
{

	switch (enum_rumprwlock) {
	case RUMPUSER_RW_READER:
		return false;
	case RUMPUSER_RW_WRITER:
		return true;
	default:
		rumpuser__fatal("invalid rwlock type %d", enum_rumprwlock);
	}
}

/* Allocate a free reader/writer lock. */
void
rumpuser_rw_init(struct rumpuser_rw **rwp)
{
	struct rumpuser_rw *rw;
	size_t size;

	size = (sizeof(*rw) + LOCK_ALIGN - 1) & ~(size_t)(LOCK_ALIGN - 1);
	rw = aligned_alloc(LOCK_ALIGN, size);
	if (rw == NULL)
		rumpuser__fatal_error("rumpuser_rw_init", ENOMEM);
	RUMPUSER_NOFAIL(pthread_mutex_init(&rw->rw_lock, NULL));
	RUMPUSER_NOFAIL(pthread_cond_init(&rw->rw_readers_cv, NULL));
	RUMPUSER_NOFAIL(pthread_cond_init(&rw->rw_writers_cv, NULL));
	rw->rw_readers = 0;
	rw->rw_writers_waiting = 0;
	rw->rw_write_held = false;
	rw->rw_writer = NULL;
	*rwp = rw;
}

/*
 * Take a read or write hold on rw, waiting without the CPU if it cannot be
 * had at once.
 */
void
rumpuser_rw_enter(int enum_rumprwlock, struct rumpuser_rw *rw)
{
	bool write;
	int nlocks;

	write = rw_is_writer(enum_rumprwlock);
	if (rumpuser_rw_tryenter(enum_rumprwlock, rw) == 0)
		return;

	rumpuser__unschedule(&nlocks, NULL);
	RUMPUSER_NOFAIL(pthread_mutex_lock(&rw->rw_lock));
	if (write) {
		rw->rw_writers_waiting++;
		while (!rw_can_write(rw))
			RUMPUSER_NOFAIL(pthread_cond_wait(&rw->rw_writers_cv,
			    &rw->rw_lock));
		rw->rw_writers_waiting--;
	} else {
		while (!rw_can_read(rw))
			RUMPUSER_NOFAIL(pthread_cond_wait(&rw->rw_readers_cv,
			    &rw->rw_lock));
	}
	rw_take_locked(rw, write);
	RUMPUSER_NOFAIL(pthread_mutex_unlock(&rw->rw_lock));
	rumpuser__reschedule(nlocks, NULL);
}

/*
 * Take a read or write hold on rw if that needs no wait.  Returns 0 or
 * EBUSY.  A read hold is refused while a writer waits.
 */
int
rumpuser_rw_tryenter(int enum_rumprwlock, struct rumpuser_rw *rw)
{
	bool write, ok;

	write = rw_is_writer(enum_rumprwlock);
	RUMPUSER_NOFAIL(pthread_mutex_lock(&rw->rw_lock));
	ok = write ? rw_can_write(rw) : rw_can_read(rw);
	if (ok)
		rw_take_locked(rw, write);
	RUMPUSER_NOFAIL(pthread_mutex_unlock(&rw->rw_lock));
	return ok ? 0 : EBUSY;
}

/*
 * Turn the caller's read hold into a write hold if the caller is the only
 * reader.  Returns 0 or EBUSY.  Writers already waiting stay behind.
 */
int
rumpuser_rw_tryupgrade(struct rumpuser_rw *rw)
{
	bool ok;

	RUMPUSER_NOFAIL(pthread_mutex_lock(&rw->rw_lock));
	ok = !rw->rw_write_held && rw->rw_readers == 1;
	if (ok) {
		rw->rw_readers = 0;
		rw_take_locked(rw, true);
	}
	RUMPUSER_NOFAIL(pthread_mutex_unlock(&rw->rw_lock));
	return ok ? 0 : EBUSY;
}

/*
 * Turn the caller's write hold into a read hold.  Both changes happen
 * under rw_lock, so no writer can take the lock in between.
 */
void
rumpuser_rw_downgrade(struct rumpuser_rw *rw)
{

	RUMPUSER_NOFAIL(pthread_mutex_lock(&rw->rw_lock));
	if (!rw->rw_write_held)
		rumpuser__fatal("rumpuser_rw_downgrade: lock %p is not "
		    "write-held", (void *)rw);
	rw->rw_write_held = false;
	rw->rw_writer = NULL;
	rw->rw_readers = 1;
	rw_wake_locked(rw);
	RUMPUSER_NOFAIL(pthread_mutex_unlock(&rw->rw_lock));
}

/* Drop the caller's read or write hold on rw. */
void
rumpuser_rw_exit(struct rumpuser_rw *rw)
{

	RUMPUSER_NOFAIL(pthread_mutex_lock(&rw->rw_lock));
	if (rw->rw_write_held) {
		rw->rw_write_held = false;
		rw->rw_writer = NULL;
	} else if (rw->rw_readers > 0) {
		rw->rw_readers--;
	} else {
		rumpuser__fatal("rumpuser_rw_exit: lock %p is not held",
		    (void *)rw);
	}
	rw_wake_locked(rw);
	RUMPUSER_NOFAIL(pthread_mutex_unlock(&rw->rw_lock));
}

/* Free rw, which must not be held or waited for. */
void
rumpuser_rw_destroy(struct rumpuser_rw *rw)
{

	if (rw->rw_write_held || rw->rw_readers > 0 ||
	    rw->rw_writers_waiting > 0)
		rumpuser__fatal("rumpuser_rw_destroy: lock %p is in use",
		    (void *)rw);
	RUMPUSER_NOFAIL(pthread_cond_destroy(&rw->rw_writers_cv));
	RUMPUSER_NOFAIL(pthread_cond_destroy(&rw->rw_readers_cv));
	RUMPUSER_NOFAIL(pthread_mutex_destroy(&rw->rw_lock));
	free(rw);
}

/*
 * Store in *heldp whether the caller's lwp holds rw for writing (WRITER),
 * or whether anyone holds it for reading (READER).  A thread without an
 * lwp counts as the writer when a thread without an lwp holds the lock.
 */
void
rumpuser_rw_held(int enum_rumprwlock, struct rumpuser_rw *rw, int *heldp)
{
	bool write;

	write = rw_is_writer(enum_rumprwlock);
	RUMPUSER_NOFAIL(pthread_mutex_lock(&rw->rw_lock));
	if (write)
		*heldp = rw->rw_write_held && rw->rw_writer == thread_curlwp;
	else
		*heldp = rw->rw_readers > 0;
	RUMPUSER_NOFAIL(pthread_mutex_unlock(&rw->rw_lock));
}

/*
 * Condition variables
 *
 * The host condition variable waits on CLOCK_MONOTONIC, so timed waits
 * are not affected by changes of the wall clock.
 */

struct rumpuser_cv {
	pthread_cond_t cv_cond;
	int cv_nwaiters;	/* protected by the mutex of the waits */
};

/* Allocate a condition variable with no waiters. */
void
rumpuser_cv_init(struct rumpuser_cv **cvp)
{
	pthread_condattr_t attr;
	struct rumpuser_cv *cv;

	cv = malloc(sizeof(*cv));
	if (cv == NULL)
		rumpuser__fatal_error("rumpuser_cv_init", ENOMEM);
	RUMPUSER_NOFAIL(pthread_condattr_init(&attr));
	RUMPUSER_NOFAIL(pthread_condattr_setclock(&attr, CLOCK_MONOTONIC));
	RUMPUSER_NOFAIL(pthread_cond_init(&cv->cv_cond, &attr));
	pthread_condattr_destroy(&attr);
	cv->cv_nwaiters = 0;
	*cvp = cv;
}

/* Free cv, which must have no waiters. */
void
rumpuser_cv_destroy(struct rumpuser_cv *cv)
{

	if (cv->cv_nwaiters != 0)
		rumpuser__fatal("rumpuser_cv_destroy: %d threads still wait "
		    "on %p", cv->cv_nwaiters, (void *)cv);
	RUMPUSER_NOFAIL(pthread_cond_destroy(&cv->cv_cond));
	free(cv);
}

/*
 * Take the CPU back after a wait that returned with mtx held, and leave
 * with both held.
 */
static void
cv_reschedule(struct rumpuser_mtx *mtx, int nlocks)
{
	const int spin_kmutex = RUMPUSER_MTX_SPIN | RUMPUSER_MTX_KMUTEX;

	if ((mtx->mtx_flags & spin_kmutex) == spin_kmutex) {
		RUMPUSER_NOFAIL(pthread_mutex_unlock(&mtx->mtx_lock));
		rumpuser__reschedule(nlocks, mtx);
		RUMPUSER_NOFAIL(pthread_mutex_lock(&mtx->mtx_lock));
	} else {
		rumpuser__reschedule(nlocks, mtx);
	}
	mtx_set_owner(mtx);
}

/*
 * Release mtx, which the caller holds, wait without the CPU for cv to be
 * signalled, and return with mtx and a CPU held.  Wakeups may be spurious.
 */
void
rumpuser_cv_wait(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx)
{
	int nlocks;

	cv->cv_nwaiters++;
	rumpuser__unschedule(&nlocks, mtx);
	mtx_clear_owner(mtx);
	RUMPUSER_NOFAIL(pthread_cond_wait(&cv->cv_cond, &mtx->mtx_lock));
	cv->cv_nwaiters--;
	cv_reschedule(mtx, nlocks);
}

/* rumpuser_cv_wait() that leaves the caller's CPU alone. */
void
rumpuser_cv_wait_nowrap(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx)
{

	cv->cv_nwaiters++;
	mtx_clear_owner(mtx);
	RUMPUSER_NOFAIL(pthread_cond_wait(&cv->cv_cond, &mtx->mtx_lock));
	cv->cv_nwaiters--;
	mtx_set_owner(mtx);
}

/*
 * Compute the monotonic time sec.nsec from now.  A negative timeout means
 * now, and a timeout beyond CV_TIMEOUT_MAX_SEC is cut to that.
 */
static void
cv_deadline(int64_t sec, int64_t nsec, struct timespec *deadline)
{
	struct timespec now;
	int64_t carry;

	/* Move whole seconds out of nsec, leaving it in [0, 1 s). */
	carry = nsec / NSEC_PER_SEC;
	nsec %= NSEC_PER_SEC;
	if (nsec < 0) {
		carry--;
		nsec += NSEC_PER_SEC;
	}
	if (sec > CV_TIMEOUT_MAX_SEC)
		sec = CV_TIMEOUT_MAX_SEC;
	else if (sec < -CV_TIMEOUT_MAX_SEC)
		sec = -CV_TIMEOUT_MAX_SEC;
	sec += carry;
	if (sec < 0) {
		sec = 0;
		nsec = 0;
	} else if (sec > CV_TIMEOUT_MAX_SEC) {
		sec = CV_TIMEOUT_MAX_SEC;
	}

	if (clock_gettime(CLOCK_MONOTONIC, &now) != 0)
		rumpuser__fatal_error("clock_gettime", errno);
	deadline->tv_sec = now.tv_sec + (time_t)sec;
	deadline->tv_nsec = now.tv_nsec + (long)nsec;
	if (deadline->tv_nsec >= NSEC_PER_SEC) {
		deadline->tv_sec++;
		deadline->tv_nsec -= NSEC_PER_SEC;
	}
}

/*
 * rumpuser_cv_wait() for at most sec seconds and nsec nanoseconds.
 * Returns 0 if woken, ETIMEDOUT if the time ran out.
 */
int
rumpuser_cv_timedwait(struct rumpuser_cv *cv, struct rumpuser_mtx *mtx,
    int64_t sec, int64_t nsec)
{
	struct timespec deadline;
	int nlocks, error;

	cv_deadline(sec, nsec, &deadline);

	cv->cv_nwaiters++;
	rumpuser__unschedule(&nlocks, mtx);
	mtx_clear_owner(mtx);
	error = pthread_cond_timedwait(&cv->cv_cond, &mtx->mtx_lock,
	    &deadline);
	if (error != 0 && error != ETIMEDOUT)
		rumpuser__fatal_error("pthread_cond_timedwait", error);
	cv->cv_nwaiters--;
	cv_reschedule(mtx, nlocks);
	return error;
}

/* Wake one waiter of cv, if any. */
void
rumpuser_cv_signal(struct rumpuser_cv *cv)
{

	RUMPUSER_NOFAIL(pthread_cond_signal(&cv->cv_cond));
}

/* Wake every waiter of cv. */
void
rumpuser_cv_broadcast(struct rumpuser_cv *cv)
{

	RUMPUSER_NOFAIL(pthread_cond_broadcast(&cv->cv_cond));
}

/*
 * Store the number of threads waiting on cv.  The caller holds the mutex
 * that the waiters use.
 */
void
rumpuser_cv_has_waiters(struct rumpuser_cv *cv, int *waitersp)
{

	*waitersp = cv->cv_nwaiters;
}
