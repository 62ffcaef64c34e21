/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Kernel side of t_sema: each rump_test_sema_* function runs one case and
 * returns 0, or the source line of the check that failed after printing
 * it on the console.  The test program calls them between rump_schedule()
 * and rump_unschedule().  Waits use sema_timedp with a deadline of a few
 * seconds, so a lost wakeup fails a case instead of hanging it.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/condvar.h>
#include <sys/kmem.h>
#include <sys/kthread.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/sema.h>
#include <sys/signal.h>
#include <sys/time.h>

#include "kcheck.h"

/* Timeout of every wait that should succeed: 5 s. */
#define SE_TIMO		(5 * HZ)
#define SE_MAXTHREADS	8

struct setest {
	ksema_t		 se_ping;
	ksema_t		 se_pong;
	int		 se_rounds;	/* fixed: ping-pong rounds */
	volatile u_int	 se_done;	/* atomic: rounds or waits done */
	volatile u_int	 se_failed;	/* atomic: waits that timed out */
	struct proc	*se_target;	/* fixed: process to signal */
};

static struct setest *
setest_create(int ping, int pong)
{
	struct setest *se;

	se = kmem_zalloc(sizeof(*se), KM_SLEEP);
	sema_init(&se->se_ping, ping, "seping");
	sema_init(&se->se_pong, pong, "sepong");
	return se;
}

static void
setest_destroy(struct setest *se)
{

	sema_destroy(&se->se_ping);
	sema_destroy(&se->se_pong);
	kmem_free(se, sizeof(*se));
}

/* Give a pong for every ping, until a ping times out. */
static void
se_ponger(void *arg)
{
	struct setest *se = arg;
	int i;

	for (i = 0; i < se->se_rounds; i++) {
		if (sema_timedp(&se->se_ping, SE_TIMO) != 0) {
			atomic_inc_uint(&se->se_failed);
			break;
		}
		atomic_inc_uint(&se->se_done);
		sema_v(&se->se_pong);
	}
	kthread_exit(0);
}

int rump_test_sema_pingpong(int);
int
rump_test_sema_pingpong(int rounds)
{
	struct setest *se = setest_create(0, 0);
	struct lwp *l = NULL;
	int error = 0, i, rv;

	se->se_rounds = rounds;
	rv = kthread_create(PRI_NONE, KTHREAD_MPSAFE | KTHREAD_MUSTJOIN, NULL,
	    se_ponger, se, &l, "seponger");
	KCHECK_MSG(rv == 0, "kthread_create: error %d", rv);
	for (i = 0; i < rounds; i++) {
		sema_v(&se->se_ping);
		rv = sema_timedp(&se->se_pong, SE_TIMO);
		KCHECK_MSG(rv == 0, "round %d: sema_timedp: error %d", i, rv);
	}
	KCHECK(kthread_join(l) == 0);
	l = NULL;
	KCHECK(se->se_failed == 0);
	KCHECK(se->se_done == rounds);
	KCHECK(!sema_tryp(&se->se_ping));
	KCHECK(!sema_tryp(&se->se_pong));
 out:
	if (l != NULL) {
		/* Let the ponger finish its rounds before we free se. */
		for (i = 0; i < rounds; i++)
			sema_v(&se->se_ping);
		kthread_join(l);
	}
	setest_destroy(se);
	return error;
}

/* Take one count each, with the full timeout. */
static void
se_waiter(void *arg)
{
	struct setest *se = arg;

	if (sema_timedp(&se->se_ping, SE_TIMO) == 0)
		atomic_inc_uint(&se->se_done);
	else
		atomic_inc_uint(&se->se_failed);
	kthread_exit(0);
}

int rump_test_sema_waiters(int);
int
rump_test_sema_waiters(int nthreads)
{
	struct setest *se = setest_create(0, 0);
	struct lwp *l[SE_MAXTHREADS];
	int error = 0, i, n, rv;

	n = 0;
	KCHECK(nthreads <= SE_MAXTHREADS);
	for (n = 0; n < nthreads; n++) {
		rv = kthread_create(PRI_NONE,
		    KTHREAD_MPSAFE | KTHREAD_MUSTJOIN, NULL, se_waiter, se,
		    &l[n], "sewaiter");
		KCHECK_MSG(rv == 0, "kthread_create: error %d", rv);
	}

	/* Let them block, then release exactly one count per waiter. */
	kpause("sewait", false, 5, NULL);
	for (i = 0; i < nthreads; i++)
		sema_v(&se->se_ping);
 out:
	for (i = 0; i < n; i++)
		kthread_join(l[i]);
	if (error == 0 && (se->se_done != nthreads || se->se_failed != 0 ||
	    sema_tryp(&se->se_ping))) {
		printf("%s:%d: %u waiters got a count, %u timed out\n",
		    __FILE__, __LINE__, se->se_done, se->se_failed);
		error = __LINE__;
	}
	setest_destroy(se);
	return error;
}

int rump_test_sema_tryp(void);
int
rump_test_sema_tryp(void)
{
	struct setest *se = setest_create(2, 0);
	int error = 0;

	KCHECK(sema_tryp(&se->se_ping));
	KCHECK(sema_tryp(&se->se_ping));
	KCHECK(!sema_tryp(&se->se_ping));
	sema_v(&se->se_ping);
	KCHECK(sema_tryp(&se->se_ping));
	KCHECK(!sema_tryp(&se->se_ping));

	/* sema_p takes an available count without waiting. */
	sema_v(&se->se_ping);
	sema_p(&se->se_ping);
	KCHECK(!sema_tryp(&se->se_ping));
 out:
	setest_destroy(se);
	return error;
}

int rump_test_sema_timedp_timeout(void);
int
rump_test_sema_timedp_timeout(void)
{
	struct setest *se = setest_create(0, 0);
	uint64_t t0, waited;
	int error = 0, rv;

	t0 = mono_ns();
	rv = sema_timedp(&se->se_ping, 10);
	waited = mono_ns() - t0;
	KCHECK_MSG(rv == EWOULDBLOCK, "sema_timedp returned %d", rv);
	KCHECK_MSG(waited >= 10 * NSEC_PER_TICK, "waited %llu ns",
	    (unsigned long long)waited);
	KCHECK_MSG(waited < 5 * NSEC_PER_SEC, "waited %llu ns",
	    (unsigned long long)waited);

	/* With a count there, it returns at once. */
	sema_v(&se->se_ping);
	KCHECK(sema_timedp(&se->se_ping, 10) == 0);
 out:
	setest_destroy(se);
	return error;
}

/* Give one count after 100 ms. */
static void
se_late_v(void *arg)
{
	struct setest *se = arg;

	kpause("selate", false, 10, NULL);
	sema_v(&se->se_ping);
	kthread_exit(0);
}

int rump_test_sema_timedp_wakeup(void);
int
rump_test_sema_timedp_wakeup(void)
{
	struct setest *se = setest_create(0, 0);
	struct lwp *l = NULL;
	uint64_t t0, waited;
	int error = 0, rv;

	t0 = mono_ns();
	rv = kthread_create(PRI_NONE, KTHREAD_MPSAFE | KTHREAD_MUSTJOIN, NULL,
	    se_late_v, se, &l, "selatev");
	KCHECK_MSG(rv == 0, "kthread_create: error %d", rv);
	rv = sema_timedp(&se->se_ping, SE_TIMO);
	waited = mono_ns() - t0;
	KCHECK_MSG(rv == 0, "sema_timedp returned %d", rv);
	KCHECK_MSG(waited >= 10 * NSEC_PER_TICK, "woke after %llu ns",
	    (unsigned long long)waited);
	KCHECK_MSG(waited < 4 * NSEC_PER_SEC, "woke after %llu ns",
	    (unsigned long long)waited);
 out:
	if (l != NULL)
		kthread_join(l);
	setest_destroy(se);
	return error;
}

/* Post SIGUSR1 to se_target after 100 ms. */
static void
se_late_signal(void *arg)
{
	struct setest *se = arg;

	kpause("selatesig", false, 10, NULL);
	psignal(se->se_target, SIGUSR1);
	kthread_exit(0);
}

/*
 * Booted with the signal model RECORD, in a process of its own: a signal
 * ends sema_p_sig with EINTR, one already pending before it waits too,
 * and an available count is taken even with a signal pending.
 */
int rump_test_sema_p_sig(void);
int
rump_test_sema_p_sig(void)
{
	struct setest *se = setest_create(0, 0);
	struct lwp *l = NULL;
	int error = 0, rv;

	se->se_target = curproc;
	rv = kthread_create(PRI_NONE, KTHREAD_MPSAFE | KTHREAD_MUSTJOIN, NULL,
	    se_late_signal, se, &l, "selatesig");
	KCHECK_MSG(rv == 0, "kthread_create: error %d", rv);
	rv = sema_p_sig(&se->se_ping);
	KCHECK_MSG(rv == EINTR, "sema_p_sig returned %d", rv);
	KCHECK(kthread_join(l) == 0);
	l = NULL;

	psignal(curproc, SIGUSR1);
	rv = sema_p_sig(&se->se_ping);
	KCHECK_MSG(rv == EINTR, "sema_p_sig returned %d", rv);

	sema_v(&se->se_ping);
	KCHECK(sema_p_sig(&se->se_ping) == 0);
	KCHECK(!sema_tryp(&se->se_ping));
 out:
	if (l != NULL)
		kthread_join(l);
	setest_destroy(se);
	return error;
}
