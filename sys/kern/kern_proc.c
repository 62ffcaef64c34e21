/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Processes: the pid table, creation with per-subsystem fork hooks, and
 * exit.  See sys/proc.h for the life cycle and the locking legend.
 *
 * pids are handed out in increasing order from 2 up to PID_MAX - 1 and
 * then wrap around, skipping pids in use, so a pid is not reused soon
 * after its process went away.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/proc.h>

#define PIDHASH_SIZE	256		/* power of two */
#define PIDHASH(pid)	(&pidhash[(pid) & (PIDHASH_SIZE - 1)])

/* Per-subsystem hooks; registered at boot, read without a lock. */
#define PROC_MAXHOOKS	8

struct proc proc0;
struct proc *initproc;
kmutex_t proc_lock;

static LIST_HEAD(, proc) allproc;			/* proc_lock */
static LIST_HEAD(pidhead, proc) pidhash[PIDHASH_SIZE];	/* proc_lock */
static pid_t pid_next = 1;				/* proc_lock */
static int nprocs;					/* proc_lock */
static const struct proc_hook *proc_hooks[PROC_MAXHOOKS];
static int proc_nhooks;

int
proc_hook_register(const struct proc_hook *ph)
{

	if (proc_nhooks == PROC_MAXHOOKS)
		return -1;
	proc_hooks[proc_nhooks] = ph;
	return proc_nhooks++;
}

struct proc *
proc_find_locked(pid_t pid)
{
	struct proc *p;

	KASSERT(mutex_owned(&proc_lock));
	if (pid < 0)
		return NULL;
	LIST_FOREACH(p, PIDHASH(pid), p_hash)
		if (p->p_pid == pid)
			return p;
	return NULL;
}

/* The next free pid, or 0 when every pid is in use. */
static pid_t
pid_alloc_locked(void)
{
	pid_t pid;
	int tries;

	KASSERT(mutex_owned(&proc_lock));
	for (tries = 0; tries < PID_MAX; tries++) {
		pid = pid_next++;
		if (pid_next >= PID_MAX)
			pid_next = 2;
		if (proc_find_locked(pid) == NULL)
			return pid;
	}
	return 0;
}

static void
proc_setup(struct proc *p, const char *comm)
{

	mutex_init(&p->p_lock, MUTEX_DEFAULT, IPL_NONE);
	LIST_INIT(&p->p_children);
	LIST_INIT(&p->p_lwps);
	p->p_stat = SIDL;
	strlcpy(p->p_comm, comm, sizeof(p->p_comm));
}

void
proc_init(void)
{
	int i;

	mutex_init(&proc_lock, MUTEX_DEFAULT, IPL_NONE);
	LIST_INIT(&allproc);
	for (i = 0; i < PIDHASH_SIZE; i++)
		LIST_INIT(&pidhash[i]);

	proc_setup(&proc0, "system");
	proc0.p_stat = SACTIVE;
	proc0.p_pid = 0;
	proc0.p_flag = PK_SYSTEM;
	proc0.p_umask = 022;
	proc0.p_cred = kauth_cred_alloc();
	LIST_INSERT_HEAD(&proc0.p_lwps, &lwp0, l_sibling);
	proc0.p_nlwps = 1;
	proc0.p_nextlid = 1;
	LIST_INSERT_HEAD(&allproc, &proc0, p_list);
	LIST_INSERT_HEAD(PIDHASH(0), &proc0, p_hash);
	nprocs = 1;
}

/*
 * Create a child of parent.  flags are passed to the fork hooks (PROC_FD_*
 * for the descriptor table).  With lp not NULL the child gets one lwp,
 * returned there.  The caller holds a CPU; returns 0 or an errno value.
 */
int
proc_create(struct proc *parent, int flags, const char *comm,
    struct lwp **lp)
{
	struct proc *p;
	struct lwp *l;
	int error, i;

	p = kmem_zalloc(sizeof(*p), KM_SLEEP);
	proc_setup(p, comm != NULL ? comm : parent->p_comm);
	mutex_enter(&parent->p_lock);
	p->p_cred = parent->p_cred;
	kauth_cred_hold(p->p_cred);
	p->p_umask = parent->p_umask;
	p->p_sigignore = parent->p_sigignore;
	mutex_exit(&parent->p_lock);

	for (i = 0; i < proc_nhooks; i++) {
		if (proc_hooks[i]->ph_fork == NULL)
			continue;
		error = proc_hooks[i]->ph_fork(parent, p, flags);
		if (error)
			goto undo_hooks;
	}

	mutex_enter(&proc_lock);
	p->p_pid = pid_alloc_locked();
	if (p->p_pid == 0) {
		mutex_exit(&proc_lock);
		error = EAGAIN;
		goto undo_hooks;
	}
	p->p_pptr = parent;
	LIST_INSERT_HEAD(&parent->p_children, p, p_sibling);
	LIST_INSERT_HEAD(PIDHASH(p->p_pid), p, p_hash);
	LIST_INSERT_HEAD(&allproc, p, p_list);
	nprocs++;
	mutex_exit(&proc_lock);

	if (lp != NULL) {
		l = lwp_create(p, 0);
		KASSERT(l != NULL);
		*lp = l;
	}

	/* Only now may others add lwps to it (newlwp) or see it run. */
	mutex_enter(&p->p_lock);
	p->p_stat = SACTIVE;
	mutex_exit(&p->p_lock);
	return 0;

 undo_hooks:
	while (--i >= 0)
		if (proc_hooks[i]->ph_exit != NULL)
			proc_hooks[i]->ph_exit(p);
	kauth_cred_free(p->p_cred);
	mutex_destroy(&p->p_lock);
	kmem_free(p, sizeof(*p));
	return error;
}

void
initproc_create(void)
{
	int error;

	error = proc_create(&proc0, PROC_FD_CLEAR, "init", NULL);
	if (error)
		panic("cannot create the init process: error %d", error);
	mutex_enter(&proc_lock);
	initproc = LIST_FIRST(&proc0.p_children);
	mutex_exit(&proc_lock);
	KASSERT(initproc->p_pid == 1);
}

/*
 * A process whose last lwp went away: run the exit hooks, give its
 * children to initproc and free it.  The caller holds a CPU.
 */
void
proc_exit(struct proc *p)
{
	struct proc *child;
	int i;

	KASSERT(p->p_nlwps == 0 && p->p_stat == SDYING);
	KASSERT(p != &proc0 && p != initproc);

	for (i = proc_nhooks - 1; i >= 0; i--)
		if (proc_hooks[i]->ph_exit != NULL)
			proc_hooks[i]->ph_exit(p);

	mutex_enter(&proc_lock);
	while ((child = LIST_FIRST(&p->p_children)) != NULL) {
		LIST_REMOVE(child, p_sibling);
		child->p_pptr = initproc;
		LIST_INSERT_HEAD(&initproc->p_children, child, p_sibling);
	}
	LIST_REMOVE(p, p_sibling);
	LIST_REMOVE(p, p_hash);
	LIST_REMOVE(p, p_list);
	nprocs--;
	mutex_exit(&proc_lock);

	kauth_cred_free(p->p_cred);
	mutex_destroy(&p->p_lock);
	kmem_free(p, sizeof(*p));
}

/* Number of processes, proc0 and initproc included. */
int
proc_count(void)
{
	int n;

	mutex_enter(&proc_lock);
	n = nprocs;
	mutex_exit(&proc_lock);
	return n;
}
