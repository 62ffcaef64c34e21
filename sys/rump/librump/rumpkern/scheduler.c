/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The virtual CPU scheduler.
 *
 * Theory of operation.  The kernel has ncpu virtual CPUs.  A host thread
 * runs kernel code only while it holds one, so at most ncpu threads are in
 * the kernel at any moment and a CPU-local datum needs no lock when only
 * the holder touches it.  There is no preemption: a thread keeps its CPU
 * until it leaves the kernel or blocks.  Every hypercall that can block
 * gives the CPU up first (through the backend upcalls below) and takes one
 * back, possibly another, before returning into the kernel.
 *
 * Each CPU has one word of state, rc_state:
 *
 *	RCPU_BUSY	held by a thread
 *	RCPU_WANTED	held, and at least one thread waits for it
 *	anything else	free; the value is the lwp that held it last
 *
 * Taking a CPU is a compare-and-swap from a free value to RCPU_BUSY.  The
 * fast path is the common case of a bound lwp coming back to the CPU it
 * used last, which nobody took in between: one CAS on a cache line that
 * this thread already owns.  Otherwise the thread scans all CPUs for a
 * free one, spins briefly, and at last sleeps on the CPU's host condition
 * variable after marking it RCPU_WANTED under the CPU's host mutex.
 * Releasing is an atomic exchange that stores the releasing lwp; if it
 * returns RCPU_WANTED, the releaser wakes the waiters under the same host
 * mutex, so no wakeup is lost.
 *
 * Lock order: a CPU's rc_lock is a leaf.  It is taken with the _nowrap
 * hypercall because the thread holds no CPU at that point.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/cpu.h>
#include <sys/kauth.h>
#include <sys/lwp.h>
#include <sys/proc.h>

#include <rump/rump.h>

#include "rump_private.h"

#define RCPU_BUSY	((void *)1)
#define RCPU_WANTED	((void *)2)
#define RCPU_FREE_P(v)	((v) != RCPU_BUSY && (v) != RCPU_WANTED)

/* Scans of all CPUs before a thread goes to sleep waiting for one. */
#define RCPU_SPINS	64

struct rumpcpu {
	void *volatile	 rc_state;	/* see above */
	struct cpu_info	*rc_ci;		/* fixed at boot */
	struct rumpuser_mtx *rc_lock;	/* fixed at boot */
	struct rumpuser_cv *rc_cv;	/* rc_lock: threads waiting */
	struct lwp	*rc_implicit;	/* holder: cached implicit lwps */
	int		 rc_nimplicit;	/* holder */
	struct lwp	*rc_zombies;	/* holder: implicit lwps to free */
} __aligned(CACHE_LINE_SIZE);

struct cpu_info *cpu_infos;
static struct rumpcpu *rumpcpus;

static inline void
cpu_relax(void)
{
#if defined(__x86_64__)
	__asm volatile("pause" ::: "memory");
#elif defined(__aarch64__)
	__asm volatile("yield" ::: "memory");
#endif
}

/*
 * Create the virtual CPUs.  Called once at boot from the boot thread,
 * which holds no CPU yet.
 */
void
rump_scheduler_init(int n)
{
	void *mem;
	int i;

	if (rumpuser_malloc(sizeof(*cpu_infos) * n, CACHE_LINE_SIZE, &mem))
		panic("cannot allocate %d CPUs", n);
	memset(mem, 0, sizeof(*cpu_infos) * n);
	cpu_infos = mem;
	if (rumpuser_malloc(sizeof(*rumpcpus) * n, CACHE_LINE_SIZE, &mem))
		panic("cannot allocate %d CPUs", n);
	memset(mem, 0, sizeof(*rumpcpus) * n);
	rumpcpus = mem;

	for (i = 0; i < n; i++) {
		struct rumpcpu *rc = &rumpcpus[i];

		cpu_infos[i].ci_index = i;
		cpu_infos[i].ci_schedstate = rc;
		rc->rc_ci = &cpu_infos[i];
		rc->rc_state = NULL;
		rumpuser_mutex_init(&rc->rc_lock, RUMPUSER_MTX_SPIN);
		rumpuser_cv_init(&rc->rc_cv);
	}
	ncpu = n;
}

static bool
cpu_tryget(struct rumpcpu *rc)
{
	void *v;

	v = atomic_load_relaxed(&rc->rc_state);
	return RCPU_FREE_P(v) && atomic_cas_ptr(&rc->rc_state, v, RCPU_BUSY) == v;
}

/* Sleep until rc is released, unless it is free already. */
static void
cpu_wait(struct rumpcpu *rc)
{
	void *v;

	rumpuser_mutex_enter_nowrap(rc->rc_lock);
	for (;;) {
		v = atomic_load_relaxed(&rc->rc_state);
		if (RCPU_FREE_P(v))
			break;
		if (v == RCPU_BUSY &&
		    atomic_cas_ptr(&rc->rc_state, RCPU_BUSY, RCPU_WANTED) !=
		    RCPU_BUSY)
			continue;
		rumpuser_cv_wait_nowrap(rc->rc_cv, rc->rc_lock);
		break;
	}
	rumpuser_mutex_exit(rc->rc_lock);
}

/*
 * Take a CPU for l, which the calling thread has as curlwp (or is about
 * to).  Does not return without one.
 */
static struct rumpcpu *
cpu_acquire(struct lwp *l)
{
	struct rumpcpu *rc;
	u_int start, i;
	int spins;

	/* Fast path: back to our last CPU, untouched since. */
	if (__predict_true(l != NULL && l->l_cpu != NULL)) {
		rc = l->l_cpu->ci_schedstate;
		if (__predict_true(atomic_cas_ptr(&rc->rc_state, l,
		    RCPU_BUSY) == l))
			return rc;
		start = l->l_cpu->ci_index;
	} else {
		/*
		 * An unbound thread has nowhere to remember its last CPU.
		 * Its stack address tells threads apart well enough to
		 * start them on different CPUs: glibc places thread stacks
		 * megabytes apart.
		 */
		uintptr_t sp = (uintptr_t)__builtin_frame_address(0);

		start = (u_int)((sp >> 23) ^ (sp >> 17)) % (u_int)ncpu;
	}

	for (spins = 0;; spins++) {
		for (i = 0; i < (u_int)ncpu; i++) {
			rc = &rumpcpus[(start + i) % ncpu];
			if (cpu_tryget(rc))
				return rc;
		}
		if (spins < RCPU_SPINS) {
			cpu_relax();
			continue;
		}
		cpu_wait(&rumpcpus[start]);
		spins = 0;
	}
}

static void
cpu_release(struct rumpcpu *rc, struct lwp *l)
{
	void *old;

	old = atomic_swap_ptr(&rc->rc_state, (void *)l);
	KASSERT(!RCPU_FREE_P(old));
	if (__predict_false(old == RCPU_WANTED)) {
		rumpuser_mutex_enter_nowrap(rc->rc_lock);
		rumpuser_cv_broadcast(rc->rc_cv);
		rumpuser_mutex_exit(rc->rc_lock);
	}
}

/*
 * Give l a CPU.  l is the calling thread's curlwp and holds no CPU.
 */
void
rump_schedule_cpu(struct lwp *l)
{
	struct rumpcpu *rc;

	rc = cpu_acquire(l);
	l->l_cpu = rc->rc_ci;
	rc->rc_ci->ci_curlwp = l;
	rc->rc_ci->ci_nswitch++;
}

/*
 * Release l's CPU.  l stays the thread's curlwp; the CPU remembers l so
 * that l finds it again on the fast path.
 */
void
rump_unschedule_cpu(struct lwp *l)
{
	struct rumpcpu *rc = l->l_cpu->ci_schedstate;

	KASSERT(l->l_cpu->ci_curlwp == l);
	l->l_cpu->ci_curlwp = NULL;
	cpu_release(rc, l);
}

/*
 * Enter the kernel: run curlwp on a CPU, or an implicit lwp of the init
 * process when the thread has none bound.
 */
void
rump_schedule(void)
{
	struct lwp *l;
	struct rumpcpu *rc;

	l = rumpuser_curlwp();
	if (__predict_true(l != NULL)) {
		rump_schedule_cpu(l);
		return;
	}

	if (__predict_false(rump_state != RUMP_STATE_UP &&
	    rump_state != RUMP_STATE_HALTED)) {
		rumpuser_dprintf("rump_schedule: the kernel is not booted: "
		    "call rump_init() first and wait for it to return\n");
		rumpuser_exit(RUMPUSER_PANIC);
	}
	rc = cpu_acquire(NULL);
	l = rump_implicit_get(rc->rc_ci);
	l->l_cpu = rc->rc_ci;
	rc->rc_ci->ci_curlwp = l;
	rc->rc_ci->ci_nswitch++;
	rumpuser_curlwpop(RUMPUSER_LWP_SET, l);

	/* A new implicit lwp takes its credentials once it can lock. */
	if (__predict_false(l->l_cred == NULL))
		lwp_update_cred(l);
}

/*
 * Leave the kernel.  An implicit lwp goes back to the CPU's cache; a
 * bound lwp stays bound to the thread.
 */
void
rump_unschedule(void)
{
	struct lwp *l = rumpuser_curlwp();
	struct cpu_info *ci;
	uint64_t raise;

	KASSERT(l != NULL && l->l_cpu->ci_curlwp == l);
	raise = l->l_raisepend;
	if (__predict_false(raise != 0))
		l->l_raisepend = 0;
	if (__predict_true((l->l_flag & LW_IMPLICIT) == 0)) {
		rump_unschedule_cpu(l);
		if (__predict_false(raise != 0))
			rump_signals_raise(raise);
		return;
	}

	/* Reaping may block and move l to another CPU: look again after. */
	if (__predict_false(((struct rumpcpu *)
	    l->l_cpu->ci_schedstate)->rc_zombies != NULL))
		rump_implicit_reap(l->l_cpu);
	ci = l->l_cpu;
	ci->ci_curlwp = NULL;
	rump_implicit_put(ci, l);
	rumpuser_curlwpop(RUMPUSER_LWP_CLEAR, l);
	cpu_release(ci->ci_schedstate, NULL);
	if (__predict_false(raise != 0))
		rump_signals_raise(raise);
}

/*
 * Backend upcalls: a hypercall about to block releases the CPU and takes
 * one back afterwards.  There is no big kernel lock, so the lock count
 * is always 0.  A thread that is not in the kernel (no curlwp, or curlwp
 * holding no CPU) has nothing to release.
 */
void
rump_user_unschedule(int nlocks, int *countp, void *interlock)
{
	struct lwp *l = rumpuser_curlwp();

	if (countp != NULL)
		*countp = 0;
	if (l == NULL || l->l_cpu == NULL || l->l_cpu->ci_curlwp != l)
		return;
	rump_unschedule_cpu(l);
}

void
rump_user_schedule(int nlocks, void *interlock)
{
	struct lwp *l = rumpuser_curlwp();

	if (l == NULL)
		return;
	rump_schedule_cpu(l);
}

struct lwp *
rump_implicit_get(struct cpu_info *ci)
{
	struct rumpcpu *rc = ci->ci_schedstate;
	struct lwp *l;

	l = rc->rc_implicit;
	if (__predict_true(l != NULL)) {
		rc->rc_implicit = l->l_private;
		rc->rc_nimplicit--;
		l->l_private = NULL;
		return l;
	}
	return lwp_create(initproc, LW_IMPLICIT);
}

/*
 * Implicit lwps kept per CPU.  More go to the CPU's list of lwps to free,
 * which rump_implicit_reap empties later.  Freeing takes kernel locks, so
 * it must run on a thread with a valid curlwp, and a thread that is giving
 * its implicit lwp back has none.
 */
#define RCPU_MAXIMPLICIT	8

void
rump_implicit_put(struct cpu_info *ci, struct lwp *l)
{
	struct rumpcpu *rc = ci->ci_schedstate;

	KASSERT(l->l_flag & LW_IMPLICIT);
	if (rc->rc_nimplicit >= RCPU_MAXIMPLICIT) {
		l->l_private = rc->rc_zombies;
		rc->rc_zombies = l;
		return;
	}
	l->l_private = rc->rc_implicit;
	rc->rc_implicit = l;
	rc->rc_nimplicit++;
}

/*
 * Free the CPU's surplus implicit lwps; curlwp must not be one of them.
 * The list is taken off the CPU first, because freeing may block and the
 * caller may come back on another CPU.
 */
void
rump_implicit_reap(struct cpu_info *ci)
{
	struct rumpcpu *rc = ci->ci_schedstate;
	struct lwp *l, *next;

	next = rc->rc_zombies;
	rc->rc_zombies = NULL;
	while ((l = next) != NULL) {
		next = l->l_private;
		l->l_private = NULL;
		lwp_destroy(l);
	}
}
