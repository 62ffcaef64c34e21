/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * lwps and their binding to host threads: lwp creation and destruction,
 * implicit lwps, and the rump_pub_lwproc interface.
 *
 * A host thread's curlwp lives in the hypervisor's thread-local storage.
 * Outside the kernel it is NULL or an explicit lwp bound by
 * rump_pub_lwproc_*; an explicit lwp may be bound to one thread at a time
 * (l_bound records it and a second binding panics).  Inside the kernel an
 * unbound thread runs on an implicit lwp of the init process, which it
 * gets from the CPU's cache at rump_schedule and gives back at
 * rump_unschedule, so the common unbound call allocates nothing.
 * Implicit lwps are not on their process's lwp list and do not keep it
 * alive.  They are made with host memory directly, because they are made
 * before the thread has a curlwp to block with.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/proc.h>

#include <rump/rump.h>

#include "rump_private.h"

struct lwp lwp0;

/*
 * Every explicit lwp is on alllwp, so that rump_pub_lwproc_switch can
 * tell an lwp from a stale pointer.  Implicit lwps are on implicit_lwps,
 * under a hypervisor spin lock because they come and go without a
 * curlwp; psignal walks it to interrupt the init process's sleepers.
 */
static kmutex_t alllwp_lock;
static LIST_HEAD(, lwp) alllwp = LIST_HEAD_INITIALIZER(alllwp); /* alllwp_lock */
static struct rumpuser_mtx *implicit_lock;
static LIST_HEAD(, lwp) implicit_lwps =			/* implicit_lock */
    LIST_HEAD_INITIALIZER(implicit_lwps);

void
rump_lwproc_init(void)
{

	mutex_init(&alllwp_lock, MUTEX_DEFAULT, IPL_NONE);
	rumpuser_mutex_init(&implicit_lock, RUMPUSER_MTX_SPIN);
}

/*
 * Bind l to the calling thread, panicking unless l is a live explicit lwp
 * that no thread has bound.  Checking and binding under alllwp_lock keeps
 * l from being released in between (only its bound thread releases it).
 */
static void
lwp_validate_bind(struct lwp *l)
{
	struct lwp *l2;

	mutex_enter(&alllwp_lock);
	LIST_FOREACH(l2, &alllwp, l_list)
		if (l2 == l)
			break;
	if (l2 == NULL)
		panic("rump_pub_lwproc_switch: %p is not an lwp (released?)",
		    l);
	if (atomic_cas_uint(&l->l_bound, 0, 1) != 0)
		panic("lwp %d.%d is already bound to another thread",
		    l->l_proc->p_pid, l->l_lid);
	mutex_exit(&alllwp_lock);
}

/* Interrupt the interruptible sleeps of every implicit lwp. */
void
rump_implicit_signal_wakeup(void)
{
	struct lwp *l;

	rumpuser_mutex_enter_nowrap(implicit_lock);
	LIST_FOREACH(l, &implicit_lwps, l_sibling)
		lwp_signal_wakeup(l);
	rumpuser_mutex_exit(implicit_lock);
}

struct lwp *
lwp_curlwp(void)
{

	return rumpuser_curlwp();
}

void
rump_lwp_hostinit(struct lwp *l)
{

	rumpuser_mutex_init((struct rumpuser_mtx **)&l->l_sleeplock,
	    RUMPUSER_MTX_SPIN | RUMPUSER_MTX_KMUTEX);
	rumpuser_cv_init((struct rumpuser_cv **)&l->l_sleepcv);
	rumpuser_curlwpop(RUMPUSER_LWP_CREATE, l);
}

void
rump_lwp_hostfini(struct lwp *l)
{

	rumpuser_curlwpop(RUMPUSER_LWP_DESTROY, l);
	rumpuser_cv_destroy(l->l_sleepcv);
	rumpuser_mutex_destroy(l->l_sleeplock);
}

/* lwp0: the boot thread's lwp, in proc0. */
void
rump_lwp0_init(void)
{

	lwp0.l_proc = &proc0;
	lwp0.l_lid = 1;
	lwp0.l_stat = LSRUN;
	lwp0.l_flag = LW_SYSTEM;
	strlcpy(lwp0.l_name, "lwp0", sizeof(lwp0.l_name));
	rump_lwp_hostinit(&lwp0);
}

static struct lwp *
implicit_create(struct proc *p)
{
	struct lwp *l;
	void *mem;

	if (rumpuser_malloc(sizeof(*l), 0, &mem) != 0)
		panic("out of host memory for an implicit lwp");
	l = mem;
	memset(l, 0, sizeof(*l));
	l->l_proc = p;
	l->l_lid = 0;
	l->l_flag = LW_IMPLICIT;
	l->l_stat = LSRUN;
	/* Set at the first rump_schedule, under p_lock: see there. */
	l->l_cred = NULL;
	rump_lwp_hostinit(l);
	rumpuser_mutex_enter_nowrap(implicit_lock);
	LIST_INSERT_HEAD(&implicit_lwps, l, l_sibling);
	rumpuser_mutex_exit(implicit_lock);
	return l;
}

/*
 * Create an lwp in p.  flags may be LW_IMPLICIT, LW_SYSTEM, LW_MUSTJOIN.
 * Except for implicit lwps the caller holds a CPU as curlwp.  Returns NULL
 * when p is exiting.
 */
struct lwp *
lwp_create(struct proc *p, int flags)
{
	struct lwp *l;

	if (flags & LW_IMPLICIT)
		return implicit_create(p);

	l = kmem_zalloc(sizeof(*l), KM_SLEEP);
	l->l_proc = p;
	l->l_flag = flags;
	l->l_stat = LSIDL;
	rump_lwp_hostinit(l);

	mutex_enter(&p->p_lock);
	if (p->p_stat == SDYING) {
		mutex_exit(&p->p_lock);
		rump_lwp_hostfini(l);
		kmem_free(l, sizeof(*l));
		return NULL;
	}
	l->l_lid = ++p->p_nextlid;
	l->l_cred = p->p_cred;
	kauth_cred_hold(l->l_cred);
	LIST_INSERT_HEAD(&p->p_lwps, l, l_sibling);
	p->p_nlwps++;
	l->l_stat = LSRUN;
	mutex_exit(&p->p_lock);

	mutex_enter(&alllwp_lock);
	LIST_INSERT_HEAD(&alllwp, l, l_list);
	mutex_exit(&alllwp_lock);
	return l;
}

/*
 * Free an lwp that no thread runs any more.  The last lwp of a process
 * takes the process with it.  The caller holds a CPU and l is not its
 * curlwp, except that an implicit lwp may free itself.
 */
void
lwp_destroy(struct lwp *l)
{
	struct proc *p = l->l_proc;
	bool last;

	if (l->l_flag & LW_IMPLICIT) {
		rumpuser_mutex_enter_nowrap(implicit_lock);
		LIST_REMOVE(l, l_sibling);
		rumpuser_mutex_exit(implicit_lock);
		if (l->l_cred != NULL)
			kauth_cred_free(l->l_cred);
		rump_lwp_hostfini(l);
		rumpuser_free(l, sizeof(*l));
		return;
	}

	KASSERT(l != curlwp);
	mutex_enter(&alllwp_lock);
	LIST_REMOVE(l, l_list);
	mutex_exit(&alllwp_lock);

	mutex_enter(&p->p_lock);
	LIST_REMOVE(l, l_sibling);
	last = --p->p_nlwps == 0 && (p->p_flag & PK_SYSTEM) == 0 &&
	    p != initproc;
	if (last)
		p->p_stat = SDYING;
	l->l_stat = LSZOMB;
	mutex_exit(&p->p_lock);

	kauth_cred_free(l->l_cred);
	rump_lwp_hostfini(l);
	kmem_free(l, sizeof(*l));
	if (last)
		proc_exit(p);
}

/*
 * Hand the CPU of the calling thread from its curlwp to nl (an implicit
 * lwp when nl is NULL).  The caller is scheduled.  The old lwp, when
 * explicit, stays alive and unbound.
 */
static void
lwproc_switch(struct lwp *nl, bool validate)
{
	struct lwp *ol = curlwp;
	struct cpu_info *ci;

	if (nl == ol)
		return;
	if (nl == NULL)
		nl = rump_implicit_get(ol->l_cpu);
	else if (validate)
		lwp_validate_bind(nl);	/* may block */
	else {
		if (nl->l_stat != LSRUN)
			panic("lwp %d.%d is not alive", nl->l_proc->p_pid,
			    nl->l_lid);
		if (atomic_cas_uint(&nl->l_bound, 0, 1) != 0)
			panic("lwp %d.%d is already bound to another thread",
			    nl->l_proc->p_pid, nl->l_lid);
	}
	ci = ol->l_cpu;

	ci->ci_curlwp = nl;
	nl->l_cpu = ci;
	rumpuser_curlwpop(RUMPUSER_LWP_CLEAR, ol);
	rumpuser_curlwpop(RUMPUSER_LWP_SET, nl);

	/* ci is still ours: nothing above can block. */
	if (ol->l_flag & LW_IMPLICIT)
		rump_implicit_put(ci, ol);
	else
		atomic_store_release(&ol->l_bound, 0);

	/* These may block, and nl may then hold another CPU. */
	if (nl->l_cred == NULL)
		lwp_update_cred(nl);
	rump_implicit_reap(nl->l_cpu);
}

void
rump_lwproc_switch_scheduled(struct lwp *nl)
{

	lwproc_switch(nl, false);
}

int
rump_hyp_lwproc_rfork(void *priv, int flags, const char *comm)
{
	struct lwp *nl;
	int error;

	error = proc_create(curproc, flags, comm, &nl);
	if (error)
		return error;
	nl->l_proc->p_vmspace = priv;
	rump_lwproc_switch_scheduled(nl);
	return 0;
}

int
rump_hyp_lwproc_newlwp(pid_t pid)
{
	struct proc *p;
	struct lwp *nl;

	mutex_enter(&proc_lock);
	p = proc_find_locked(pid);
	if (p == NULL || p->p_stat != SACTIVE) {
		mutex_exit(&proc_lock);
		return ESRCH;
	}
	/* The lwp keeps p alive once on its list. */
	nl = lwp_create(p, 0);
	mutex_exit(&proc_lock);
	if (nl == NULL)
		return ESRCH;
	rump_lwproc_switch_scheduled(nl);
	return 0;
}

void
rump_hyp_lwproc_switch(struct lwp *l)
{

	rump_lwproc_switch_scheduled(l);
}

void
rump_hyp_lwproc_release(void)
{
	struct lwp *l = curlwp;

	if (l->l_flag & LW_IMPLICIT)
		panic("rump_pub_lwproc_releaselwp: no lwp is bound");
	rump_lwproc_switch_scheduled(NULL);
	lwp_destroy(l);
}

struct lwp *
rump_hyp_lwproc_curlwp(void)
{
	struct lwp *l = curlwp;

	return (l == NULL || (l->l_flag & LW_IMPLICIT)) ? NULL : l;
}

int
rump_pub_lwproc_rfork(int flags)
{
	int error;

	if (rump_state != RUMP_STATE_UP)
		return ENXIO;
	if (flags & ~(RUMP_RFFDG | RUMP_RFCFDG) ||
	    (flags & (RUMP_RFFDG | RUMP_RFCFDG)) == (RUMP_RFFDG | RUMP_RFCFDG))
		return EINVAL;
	rump_schedule();
	error = rump_hyp_lwproc_rfork(curproc->p_vmspace, flags, NULL);
	rump_unschedule();
	return error;
}

int
rump_pub_lwproc_newlwp(pid_t pid)
{
	int error;

	if (rump_state != RUMP_STATE_UP)
		return ENXIO;
	rump_schedule();
	error = rump_hyp_lwproc_newlwp(pid);
	rump_unschedule();
	return error;
}

void
rump_pub_lwproc_switch(struct lwp *l)
{

	rump_schedule();
	lwproc_switch(l, true);
	rump_unschedule();
}

void
rump_pub_lwproc_releaselwp(void)
{

	rump_schedule();
	rump_hyp_lwproc_release();
	rump_unschedule();
}

struct lwp *
rump_pub_lwproc_curlwp(void)
{
	struct lwp *l = rumpuser_curlwp();

	return (l == NULL || (l->l_flag & LW_IMPLICIT)) ? NULL : l;
}
