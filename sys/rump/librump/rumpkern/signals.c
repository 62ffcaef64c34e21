/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Posting signals to processes, per the signal model chosen at boot
 * (rump_boot_setsigmodel):
 *
 *	PANIC	panic, except for SIGSYS and SIGPIPE, which are dropped
 *	IGNORE	drop
 *	RAISE	raise the signal in the host process (a local process:
 *		in the posting thread when its system call returns) or in
 *		the client (a remote process); the default
 *	RECORD	mark it pending in the process; each pending signal ends
 *		one interruptible sleep of the process with EINTR and is
 *		consumed by it
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/signal.h>

#include <rump/rumpdefs.h>

#include "rump_private.h"

int rump_sigmodel = RUMP_SIGMODEL_RAISE;

/*
 * Post sig to p.  The caller may hold proc_lock, but not p->p_lock.
 */
void
psignal(struct proc *p, int sig)
{
	struct lwp *l;

	KASSERT(sig > 0 && sig < NSIG);
	switch (rump_sigmodel) {
	case RUMP_SIGMODEL_PANIC:
		if (sig == SIGSYS || sig == SIGPIPE)
			return;
		panic("signal %d posted to pid %d (signal model panic)", sig,
		    p->p_pid);
	case RUMP_SIGMODEL_IGNORE:
		return;
	case RUMP_SIGMODEL_RECORD:
		mutex_enter(&p->p_lock);
		if (p->p_sigignore & sigmask(sig)) {
			mutex_exit(&p->p_lock);
			return;
		}
		atomic_or_64(&p->p_sigpend, sigmask(sig));
		LIST_FOREACH(l, &p->p_lwps, l_sibling)
			lwp_signal_wakeup(l);
		mutex_exit(&p->p_lock);
		if (p == initproc)
			rump_implicit_signal_wakeup();
		return;
	default:
		l = curlwp;
		if (p->p_vmspace != NULL)
			(void)rumpuser_sp_raise(p->p_vmspace, sig);
		else if (l != NULL && (l->l_flag & LW_SYSTEM) == 0)
			l->l_raisepend |= sigmask(sig);
		else {
			/*
			 * A kernel thread never returns to a program: send
			 * it to the host process now.  Kernel threads block
			 * every signal, so a thread of the program gets it.
			 */
			(void)rumpuser_kill(p->p_pid, sig);
		}
		return;
	}
}

/*
 * Raise the signals that the calling thread's system call posted under
 * RAISE, in the host process.  Called when the call has left the kernel,
 * because the program's signal handler may call into the kernel and must
 * not find the poster's CPU and locks still held.  raise() runs the
 * handler in this thread before returning.
 */
void
rump_signals_raise(uint64_t pend)
{
	int sig;

	while (pend != 0) {
		sig = ffs64(pend);
		pend &= pend - 1;
		(void)rumpuser_kill(RUMPUSER_PID_SELF, sig);
	}
}

/*
 * Take a pending signal of l's process: returns the lowest pending
 * signal number that l does not block, after clearing it, or 0.  For a
 * process that must leave the kernel (PK_WEXIT), SIGKILL is returned every
 * time and never cleared.
 */
int
lwp_pending_signal(struct lwp *l)
{
	struct proc *p = l->l_proc;
	uint64_t pend, bit;

	if (atomic_load_relaxed(&p->p_flag) & PK_WEXIT)
		return SIGKILL;
	pend = atomic_load_relaxed(&p->p_sigpend);
	while ((pend & ~l->l_sigmask) != 0) {
		bit = (pend & ~l->l_sigmask) & -(pend & ~l->l_sigmask);
		if (atomic_cas_64(&p->p_sigpend, pend, pend & ~bit) == pend)
			return ffs64(bit);
		pend = atomic_load_relaxed(&p->p_sigpend);
	}
	return 0;
}
