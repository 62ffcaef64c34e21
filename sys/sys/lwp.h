/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Light-weight processes: the kernel's threads of control.
 *
 * Every host thread that runs kernel code does so as an lwp.  An lwp is
 * either bound to a host thread by the rump_pub_lwproc interface or by
 * kthread_create, or it is an implicit lwp of the init process that the
 * scheduler lends to an unbound host thread for the length of one kernel
 * entry.  An lwp belongs to exactly one process for its whole life.
 *
 * Locking legend: (p) the process's p_lock, (i) the interlock of the
 * condition variable the lwp sleeps on, (s) l_sleeplock, (c) fixed at
 * creation, (o) only the lwp itself touches it, (a) atomic.
 */

#ifndef _SYS_LWP_H_
#define _SYS_LWP_H_

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/signal.h>

struct proc;
struct cpu_info;
struct kauth_cred;
struct kcondvar;

struct lwp {
	struct proc	*l_proc;	/* (c) */
	lwpid_t		 l_lid;		/* (c) */
	int		 l_flag;	/* (p) LW_* */
	int		 l_stat;	/* (p) LSIDL, LSRUN, LSZOMB */
	struct cpu_info	*l_cpu;		/* (o) CPU held, or last held */
	struct kauth_cred *l_cred;	/* (o) credentials for this call */
	volatile u_int	 l_bound;	/* (a) bound to a host thread */
	LIST_ENTRY(lwp)	 l_sibling;	/* (p) on p_lwps */
	LIST_ENTRY(lwp)	 l_list;	/* alllwp_lock: every explicit lwp */
	uint64_t	 l_raisepend;	/* (o) signals to raise on return */
	uint64_t	 l_sigmask;	/* (o) signals that end no sleep */
	char		 l_name[20];	/* (c) kernel thread name */

	/* Sleeping: see kern/kern_sleepq.c for the protocol. */
	TAILQ_ENTRY(lwp) l_sleepchain;	/* (i) on a condvar's queue */
	struct kcondvar	*l_wchan;	/* (i) condvar slept on, or NULL */
	void		*l_sleeplock;	/* (c) hypervisor mutex for wakeups */
	void		*l_sleepcv;	/* (c) hypervisor condvar for wakeups */
	int		 l_wakeup;	/* (s) LWAKE_* */
	bool		 l_sleepintr;	/* (s) signals may end the sleep */

	/* Kernel threads. */
	void		(*l_func)(void *); /* (c) */
	void		*l_arg;		/* (c) */
	void		*l_hostthread;	/* (c) join cookie, or NULL */

	void		*l_private;	/* (o) for the owner's use */
	void		*l_selstate;	/* (o) poll/select state, see select.h */
};

/* l_flag */
#define LW_SYSTEM	0x0001		/* kernel thread */
#define LW_IMPLICIT	0x0002		/* lent to unbound host threads */
#define LW_WEXIT	0x0004		/* must exit at the next kernel exit */
#define LW_WREBOOT	0x0008		/* the thread halting the kernel */
#define LW_MUSTJOIN	0x0010		/* kthread_join will reap it */
#define LW_INTR		0x0020		/* softint or clock thread */

/* l_stat */
#define LSIDL		1
#define LSRUN		2
#define LSZOMB		3

/* l_wakeup */
#define LWAKE_NONE	0		/* sleeping, or not asleep */
#define LWAKE_SIGNAL	1		/* woken by cv_signal/broadcast */
#define LWAKE_INTR	2		/* woken by a posted signal */

extern struct lwp lwp0;		/* the boot thread, in proc0 */

struct lwp	*lwp_curlwp(void);
#define curlwp		lwp_curlwp()
#define curproc		(curlwp->l_proc)

/*
 * Creation and destruction of lwps (rumpkern provides the host side).
 * lwp_create makes an lwp in process p that no thread runs yet;
 * lwp_destroy frees an lwp that is no longer running, and with it the
 * process when it was the last one.
 */
struct lwp	*lwp_create(struct proc *, int);
void		 lwp_destroy(struct lwp *);

/* Interrupt l if it sleeps interruptibly (after a signal was posted). */
void		 lwp_signal_wakeup(struct lwp *);

/*
 * Take a pending signal of the lwp's process that l_sigmask does not
 * block: its number, or 0.  Blocked signals stay pending.  Always
 * SIGKILL once the process must leave the kernel (PK_WEXIT).
 */
int		 lwp_pending_signal(struct lwp *);

#endif /* _SYS_LWP_H_ */
