/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Soft interrupts: work that kernel code defers to a per-CPU kernel thread.
 *
 * softint_establish returns a handle with one slot per CPU.
 * softint_schedule marks the slot of the caller's CPU pending and queues
 * it on that CPU's list for its level.  Scheduling a slot that is already
 * pending does nothing.  Each CPU has one softint thread ("softint/N"),
 * which runs the pending handlers of its CPU, higher levels first (SERIAL,
 * NET, BIO, CLOCK) and in the order they were scheduled within a level.  It
 * calls each handler with no lock held, so a handler may sleep, but while
 * it sleeps the other softints of that CPU wait.  The thread is created
 * with the CPU as a hint only: a virtual CPU is not a host core, so it runs
 * on whichever virtual CPU it gets, and a softint scheduled on one CPU may
 * run while the same softint scheduled on another CPU runs too.
 *
 * States of a slot (ss_flags, under the CPU's sc_lock):
 *
 *	PENDING		scheduled and not yet started; on sc_pending.
 *	RUNNING		the handler runs now; ss_runner is the lwp running it.
 *
 * A slot is on its CPU's sc_pending list exactly while it is PENDING.  Both
 * bits may be set: the softint was scheduled again while its handler ran,
 * and it runs again after that.
 *
 * Each CPU is in one of three modes (sc_mode):
 *
 *	THREAD	the softint thread runs the handlers.
 *	DIRECT	there are no kernel threads (RUMP_THREADS=0): softint_schedule
 *		calls the handler itself, with whatever locks its caller
 *		holds, so such a handler must not take a lock that a caller
 *		of softint_schedule may hold.  A softint scheduled while its
 *		handler runs on that CPU runs again when the handler returns.
 *	HALTED	after softint_shutdown: scheduling marks the slot pending but
 *		nothing runs it any more.
 *
 * A CPU gets its mode at softint_init, before its state is published in
 * ci_softints, and leaves it only for HALTED.
 *
 * Locking: sc_lock is a spin mutex, taken after any lock of the caller of
 * softint_schedule.  Nothing that sleeps is called while it is held,
 * except the condition variable waits, which release it.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/condvar.h>
#include <sys/cpu.h>
#include <sys/intr.h>
#include <sys/kmem.h>
#include <sys/kthread.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/queue.h>

#define SOFTINT_NLEVELS	(SOFTINT_SERIAL + 1)

struct softint;

/* A softint's state on one CPU. */
struct softint_slot {
	TAILQ_ENTRY(softint_slot) ss_chain;	/* sc_lock: on sc_pending */
	struct softint	*ss_softint;		/* fixed at establish */
	u_int		 ss_flags;		/* sc_lock: SS_* */
	struct lwp	*ss_runner;		/* sc_lock: while SS_RUNNING */
};

#define SS_PENDING	0x01
#define SS_RUNNING	0x02

/* An established softint, as returned by softint_establish. */
struct softint {
	void		(*si_func)(void *);	/* fixed at establish */
	void		*si_arg;		/* fixed at establish */
	u_int		 si_level;		/* fixed at establish */
	struct softint_slot si_slots[];		/* one per CPU, by ci_index */
};

enum softint_mode {
	SOFTINT_MODE_DIRECT,
	SOFTINT_MODE_THREAD,
	SOFTINT_MODE_HALTED
};

/* Softint state of one CPU, pointed to by cpu_info.ci_softints. */
struct softint_cpu {
	kmutex_t	 sc_lock;
	TAILQ_HEAD(, softint_slot) sc_pending[SOFTINT_NLEVELS]; /* sc_lock */
	kcondvar_t	 sc_cv;		/* sc_lock: the thread waits for work */
	kcondvar_t	 sc_donecv;	/* sc_lock: disestablish waits */
	u_int		 sc_nwaiters;	/* sc_lock: threads on sc_donecv */
	enum softint_mode sc_mode;	/* sc_lock */
	struct lwp	*sc_lwp;	/* boot and halt only: for the join */
};

void *
softint_establish(u_int flags, void (*func)(void *), void *arg)
{
	struct softint *si;
	u_int level, i;

	level = flags & SOFTINT_LVLMASK;
	KASSERTMSG(level < SOFTINT_NLEVELS,
	    "softint_establish: invalid level %u", level);
	KASSERTMSG((flags & ~(SOFTINT_LVLMASK | SOFTINT_MPSAFE)) == 0,
	    "softint_establish: unknown flags %#x", flags);
	KASSERT(func != NULL);

	si = kmem_zalloc(sizeof(*si) + ncpu * sizeof(si->si_slots[0]),
	    KM_SLEEP);
	si->si_func = func;
	si->si_arg = arg;
	si->si_level = level;
	for (i = 0; i < ncpu; i++)
		si->si_slots[i].ss_softint = si;
	return si;
}

/*
 * Run the handler of slot ss in the calling thread until the slot is no
 * longer pending (DIRECT mode).  Called and returns with sc_lock held.
 */
static void
softint_run_direct_locked(struct softint_cpu *sc, struct softint_slot *ss)
{
	struct softint *si = ss->ss_softint;

	KASSERT(mutex_owned(&sc->sc_lock));
	KASSERT((ss->ss_flags & SS_RUNNING) == 0);

	ss->ss_flags |= SS_RUNNING;
	ss->ss_runner = curlwp;
	while ((ss->ss_flags & SS_PENDING) &&
	    sc->sc_mode == SOFTINT_MODE_DIRECT) {
		TAILQ_REMOVE(&sc->sc_pending[si->si_level], ss, ss_chain);
		ss->ss_flags &= ~SS_PENDING;
		mutex_spin_exit(&sc->sc_lock);
		(*si->si_func)(si->si_arg);
		mutex_spin_enter(&sc->sc_lock);
	}
	ss->ss_flags &= ~SS_RUNNING;
	ss->ss_runner = NULL;
	if (sc->sc_nwaiters > 0)
		cv_broadcast(&sc->sc_donecv);
}

void
softint_schedule(void *cookie)
{
	struct softint *si = cookie;
	struct cpu_info *ci = curcpu();
	struct softint_cpu *sc = atomic_load_acquire(&ci->ci_softints);
	struct softint_slot *ss = &si->si_slots[ci->ci_index];

	KASSERTMSG(sc != NULL, "softint_schedule called before softint_init");

	mutex_spin_enter(&sc->sc_lock);
	if (ss->ss_flags & SS_PENDING) {
		mutex_spin_exit(&sc->sc_lock);
		return;
	}
	ss->ss_flags |= SS_PENDING;
	TAILQ_INSERT_TAIL(&sc->sc_pending[si->si_level], ss, ss_chain);

	switch (sc->sc_mode) {
	case SOFTINT_MODE_DIRECT:
		/* A call running the handler loops while SS_PENDING is set. */
		if ((ss->ss_flags & SS_RUNNING) == 0)
			softint_run_direct_locked(sc, ss);
		break;
	case SOFTINT_MODE_THREAD:
		cv_signal(&sc->sc_cv);
		break;
	case SOFTINT_MODE_HALTED:
		break;
	}
	mutex_spin_exit(&sc->sc_lock);
}

/*
 * True while slot ss is running, or pending on a CPU whose thread will run
 * it.  The caller holds sc_lock.
 */
static bool
softint_slot_busy_locked(struct softint_cpu *sc, struct softint_slot *ss)
{

	KASSERT(mutex_owned(&sc->sc_lock));

	if (ss->ss_flags & SS_RUNNING)
		return true;
	return (ss->ss_flags & SS_PENDING) != 0 &&
	    sc->sc_mode == SOFTINT_MODE_THREAD;
}

/*
 * Wait until the softint is neither pending nor running on any CPU, then
 * free it.  The caller makes sure that nothing schedules it any more, and
 * a handler must not disestablish its own softint.  Slots still pending on
 * a CPU whose thread has stopped are dropped.
 */
void
softint_disestablish(void *cookie)
{
	struct softint *si = cookie;
	struct softint_cpu *sc;
	struct softint_slot *ss;
	u_int i;

	for (i = 0; i < ncpu; i++) {
		sc = cpu_lookup(i)->ci_softints;
		ss = &si->si_slots[i];
		if (sc == NULL)
			continue;

		mutex_spin_enter(&sc->sc_lock);
		KASSERTMSG((ss->ss_flags & SS_RUNNING) == 0 ||
		    ss->ss_runner != curlwp,
		    "softint_disestablish called from its own handler");
		while (softint_slot_busy_locked(sc, ss)) {
			sc->sc_nwaiters++;
			cv_wait(&sc->sc_donecv, &sc->sc_lock);
			sc->sc_nwaiters--;
		}
		if (ss->ss_flags & SS_PENDING) {
			KASSERT(sc->sc_mode == SOFTINT_MODE_HALTED);
			TAILQ_REMOVE(&sc->sc_pending[si->si_level], ss,
			    ss_chain);
			ss->ss_flags &= ~SS_PENDING;
		}
		mutex_spin_exit(&sc->sc_lock);
	}

	kmem_free(si, sizeof(*si) + ncpu * sizeof(si->si_slots[0]));
}

/* The first pending slot of the highest level with work, or NULL. */
static struct softint_slot *
softint_next_locked(struct softint_cpu *sc)
{
	struct softint_slot *ss;
	int level;

	KASSERT(mutex_owned(&sc->sc_lock));

	for (level = SOFTINT_NLEVELS - 1; level >= 0; level--) {
		ss = TAILQ_FIRST(&sc->sc_pending[level]);
		if (ss != NULL)
			return ss;
	}
	return NULL;
}

/* The softint thread of one CPU: run pending handlers until halted. */
static void
softint_thread(void *arg)
{
	struct softint_cpu *sc = arg;
	struct softint_slot *ss;
	struct softint *si;

	mutex_spin_enter(&sc->sc_lock);
	while (sc->sc_mode != SOFTINT_MODE_HALTED) {
		ss = softint_next_locked(sc);
		if (ss == NULL) {
			cv_wait(&sc->sc_cv, &sc->sc_lock);
			continue;
		}

		si = ss->ss_softint;
		TAILQ_REMOVE(&sc->sc_pending[si->si_level], ss, ss_chain);
		ss->ss_flags = (ss->ss_flags & ~SS_PENDING) | SS_RUNNING;
		ss->ss_runner = curlwp;
		mutex_spin_exit(&sc->sc_lock);

		(*si->si_func)(si->si_arg);

		/* Once SS_RUNNING is clear, disestablish may free si. */
		mutex_spin_enter(&sc->sc_lock);
		ss->ss_flags &= ~SS_RUNNING;
		ss->ss_runner = NULL;
		if (sc->sc_nwaiters > 0)
			cv_broadcast(&sc->sc_donecv);
	}
	mutex_spin_exit(&sc->sc_lock);
	kthread_exit(0);
}

void
softint_init(void)
{
	struct cpu_info *ci;
	struct softint_cpu *sc;
	int error, level;
	u_int i;

	for (i = 0; i < ncpu; i++) {
		ci = cpu_lookup(i);
		KASSERT(ci->ci_softints == NULL);
		sc = kmem_zalloc(sizeof(*sc), KM_SLEEP);
		mutex_init(&sc->sc_lock, MUTEX_SPIN, IPL_HIGH);
		for (level = 0; level < SOFTINT_NLEVELS; level++)
			TAILQ_INIT(&sc->sc_pending[level]);
		cv_init(&sc->sc_cv, "softint");
		cv_init(&sc->sc_donecv, "softdone");

		/*
		 * In THREAD mode softints scheduled before the thread starts
		 * wait on the list, and the thread finds them there.
		 */
		if (kthreads_enabled)
			sc->sc_mode = SOFTINT_MODE_THREAD;
		else
			sc->sc_mode = SOFTINT_MODE_DIRECT;
		atomic_store_release(&ci->ci_softints, sc);
	}

	if (!kthreads_enabled)
		return;

	for (i = 0; i < ncpu; i++) {
		ci = cpu_lookup(i);
		sc = ci->ci_softints;
		error = kthread_create(PRI_NONE,
		    KTHREAD_INTR | KTHREAD_MPSAFE | KTHREAD_MUSTJOIN, ci,
		    softint_thread, sc, &sc->sc_lwp, "softint/%u", i);
		if (error != 0)
			panic("softint_init: creating the softint thread of "
			    "cpu %u failed: error %d", i, error);
	}
}

void
softint_shutdown(void)
{
	struct softint_cpu *sc;
	u_int i;

	for (i = 0; i < ncpu; i++) {
		sc = cpu_lookup(i)->ci_softints;
		if (sc == NULL)
			continue;
		mutex_spin_enter(&sc->sc_lock);
		sc->sc_mode = SOFTINT_MODE_HALTED;
		cv_signal(&sc->sc_cv);
		cv_broadcast(&sc->sc_donecv);
		mutex_spin_exit(&sc->sc_lock);
	}

	for (i = 0; i < ncpu; i++) {
		sc = cpu_lookup(i)->ci_softints;
		if (sc == NULL || sc->sc_lwp == NULL)
			continue;
		kthread_join(sc->sc_lwp);
		sc->sc_lwp = NULL;
	}
}
