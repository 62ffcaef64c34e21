/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Process identity system calls: pids, user and group ids, supplementary
 * groups, the file creation mask, and kill(2).
 *
 * The rules for changing ids are Linux's (kernel/sys.c of Linux 6.x, and
 * glibc's wrappers for seteuid and setegid), with "privileged" meaning an
 * effective uid of 0 where Linux checks CAP_SETUID, CAP_SETGID or
 * CAP_KILL.  The user and group variants share one implementation because
 * Linux applies the same rules to both.  There is no file system uid or
 * gid, and no process groups or sessions.
 *
 * A change reads the process's current credential, computes the new ids
 * and installs a modified copy.  If another lwp of the process installed
 * a credential in the meantime, the change starts again from that one.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kmem.h>
#include <sys/mutex.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/signal.h>
#include <sys/kauth.h>
#include <sys/syscallargs.h>

int
sys_getpid(struct lwp *l, const void *v, register_t *retval)
{

	retval[0] = l->l_proc->p_pid;
	return 0;
}

int
sys_getppid(struct lwp *l, const void *v, register_t *retval)
{
	struct proc *parent;

	mutex_enter(&proc_lock);
	parent = l->l_proc->p_pptr;
	retval[0] = parent != NULL ? parent->p_pid : 0;
	mutex_exit(&proc_lock);
	return 0;
}

int
sys_getuid(struct lwp *l, const void *v, register_t *retval)
{

	retval[0] = kauth_cred_getuid(l->l_cred);
	return 0;
}

int
sys_geteuid(struct lwp *l, const void *v, register_t *retval)
{

	retval[0] = kauth_cred_geteuid(l->l_cred);
	return 0;
}

int
sys_getgid(struct lwp *l, const void *v, register_t *retval)
{

	retval[0] = kauth_cred_getgid(l->l_cred);
	return 0;
}

int
sys_getegid(struct lwp *l, const void *v, register_t *retval)
{

	retval[0] = kauth_cred_getegid(l->l_cred);
	return 0;
}

/* uid_t and gid_t are both 32-bit unsigned, and -1 means "unchanged". */
CTASSERT(sizeof(uid_t) == sizeof(uint32_t));
CTASSERT(sizeof(gid_t) == sizeof(uint32_t));
#define ID_UNCHANGED	((uint32_t)-1)

/* The real, effective and saved ids of one kind: user or group. */
struct prot_ids {
	uint32_t	pi_real;
	uint32_t	pi_eff;
	uint32_t	pi_saved;
};

enum prot_idkind {
	PROT_UIDS,
	PROT_GIDS
};

enum prot_op {
	PROT_SETID,		/* setuid(a), setgid(a) */
	PROT_SETEID,		/* seteuid(a): setresuid(-1, a, -1) */
	PROT_SETREID		/* setreuid(a, b), setregid(a, b) */
};

static void
prot_ids_get(kauth_cred_t cred, enum prot_idkind kind, struct prot_ids *ids)
{

	if (kind == PROT_UIDS) {
		ids->pi_real = kauth_cred_getuid(cred);
		ids->pi_eff = kauth_cred_geteuid(cred);
		ids->pi_saved = kauth_cred_getsvuid(cred);
	} else {
		ids->pi_real = kauth_cred_getgid(cred);
		ids->pi_eff = kauth_cred_getegid(cred);
		ids->pi_saved = kauth_cred_getsvgid(cred);
	}
}

static void
prot_ids_set(kauth_cred_t cred, enum prot_idkind kind,
    const struct prot_ids *ids)
{

	if (kind == PROT_UIDS) {
		kauth_cred_setuid(cred, ids->pi_real);
		kauth_cred_seteuid(cred, ids->pi_eff);
		kauth_cred_setsvuid(cred, ids->pi_saved);
	} else {
		kauth_cred_setgid(cred, ids->pi_real);
		kauth_cred_setegid(cred, ids->pi_eff);
		kauth_cred_setsvgid(cred, ids->pi_saved);
	}
}

/*
 * Compute the ids that operation op with arguments a and b produces from
 * cur, into *new.  Returns 0, or EPERM when an unprivileged caller asks
 * for an id it may not take.
 */
static int
prot_ids_compute(const struct prot_ids *cur, bool privileged, enum prot_op op,
    uint32_t a, uint32_t b, struct prot_ids *new)
{

	*new = *cur;
	switch (op) {
	case PROT_SETID:
		/* Privileged: all three.  Otherwise back to real or saved. */
		if (privileged) {
			new->pi_real = new->pi_eff = new->pi_saved = a;
			return 0;
		}
		if (a != cur->pi_real && a != cur->pi_saved)
			return EPERM;
		new->pi_eff = a;
		return 0;

	case PROT_SETEID:
		if (!privileged && a != cur->pi_real && a != cur->pi_eff &&
		    a != cur->pi_saved)
			return EPERM;
		new->pi_eff = a;
		return 0;

	case PROT_SETREID:
		if (a != ID_UNCHANGED) {
			if (!privileged && a != cur->pi_real &&
			    a != cur->pi_eff)
				return EPERM;
			new->pi_real = a;
		}
		if (b != ID_UNCHANGED) {
			if (!privileged && b != cur->pi_real &&
			    b != cur->pi_eff && b != cur->pi_saved)
				return EPERM;
			new->pi_eff = b;
		}

		/*
		 * Setting the real id, or an effective id other than the
		 * old real one, also saves the new effective id, so the
		 * caller cannot switch back to the old one later.
		 */
		if (a != ID_UNCHANGED ||
		    (b != ID_UNCHANGED && b != cur->pi_real))
			new->pi_saved = new->pi_eff;
		return 0;
	}
	panic("%s: operation %d", __func__, op);
}

/*
 * Apply an id change to the credential of l's process and of l.
 * Returns 0 or EPERM.
 */
static int
prot_ids_change(struct lwp *l, enum prot_idkind kind, enum prot_op op,
    uint32_t a, uint32_t b)
{
	struct proc *p = l->l_proc;
	struct prot_ids cur, new;
	kauth_cred_t curcred, newcred;
	int error;

	for (;;) {
		curcred = proc_cred_hold(p);
		prot_ids_get(curcred, kind, &cur);
		error = prot_ids_compute(&cur, kauth_cred_privileged(curcred),
		    op, a, b, &new);
		if (error != 0 || (new.pi_real == cur.pi_real &&
		    new.pi_eff == cur.pi_eff && new.pi_saved == cur.pi_saved)) {
			kauth_cred_free(curcred);
			return error;
		}

		newcred = kauth_cred_dup(curcred);
		prot_ids_set(newcred, kind, &new);
		if (proc_replace_cred(p, curcred, newcred)) {
			kauth_cred_free(curcred);
			return 0;
		}

		/* Another lwp changed the credential first: start over. */
		kauth_cred_free(newcred);
		kauth_cred_free(curcred);
	}
}

int
sys_setuid(struct lwp *l, const struct sys_setuid_args *uap,
    register_t *retval)
{
	uid_t uid = SCARG(uap, uid);

	if (uid == ID_UNCHANGED)
		return EINVAL;
	return prot_ids_change(l, PROT_UIDS, PROT_SETID, uid, 0);
}

int
sys_setgid(struct lwp *l, const struct sys_setgid_args *uap,
    register_t *retval)
{
	gid_t gid = SCARG(uap, gid);

	if (gid == ID_UNCHANGED)
		return EINVAL;
	return prot_ids_change(l, PROT_GIDS, PROT_SETID, gid, 0);
}

int
sys_seteuid(struct lwp *l, const struct sys_seteuid_args *uap,
    register_t *retval)
{
	uid_t euid = SCARG(uap, euid);

	if (euid == ID_UNCHANGED)
		return EINVAL;
	return prot_ids_change(l, PROT_UIDS, PROT_SETEID, euid, 0);
}

int
sys_setegid(struct lwp *l, const struct sys_setegid_args *uap,
    register_t *retval)
{
	gid_t egid = SCARG(uap, egid);

	if (egid == ID_UNCHANGED)
		return EINVAL;
	return prot_ids_change(l, PROT_GIDS, PROT_SETEID, egid, 0);
}

int
sys_setreuid(struct lwp *l, const struct sys_setreuid_args *uap,
    register_t *retval)
{

	return prot_ids_change(l, PROT_UIDS, PROT_SETREID,
	    SCARG(uap, ruid), SCARG(uap, euid));
}

int
sys_setregid(struct lwp *l, const struct sys_setregid_args *uap,
    register_t *retval)
{

	return prot_ids_change(l, PROT_GIDS, PROT_SETREID,
	    SCARG(uap, rgid), SCARG(uap, egid));
}

int
sys_setgroups(struct lwp *l, const struct sys_setgroups_args *uap,
    register_t *retval)
{
	struct proc *p = l->l_proc;
	size_t size = SCARG(uap, size);
	kauth_cred_t curcred, newcred;
	gid_t *groups = NULL;
	int error;

	/* Linux checks the privilege before the size. */
	if (!kauth_cred_privileged(l->l_cred))
		return EPERM;
	if (size > NGROUPS_MAX)
		return EINVAL;

	if (size > 0) {
		groups = kmem_alloc(size * sizeof(gid_t), KM_SLEEP);
		error = copyin(SCARG(uap, list), groups, size * sizeof(gid_t));
		if (error != 0)
			goto out;
	}

	for (;;) {
		curcred = proc_cred_hold(p);
		newcred = kauth_cred_dup(curcred);
		error = kauth_cred_setgroups(newcred, groups, size);
		if (error != 0) {
			kauth_cred_free(newcred);
			kauth_cred_free(curcred);
			goto out;
		}
		if (proc_replace_cred(p, curcred, newcred)) {
			kauth_cred_free(curcred);
			break;
		}
		kauth_cred_free(newcred);
		kauth_cred_free(curcred);
	}

out:
	if (groups != NULL)
		kmem_free(groups, size * sizeof(gid_t));
	return error;
}

int
sys_getgroups(struct lwp *l, const struct sys_getgroups_args *uap,
    register_t *retval)
{
	kauth_cred_t cred = l->l_cred;
	int size = SCARG(uap, size);
	u_int ngroups, i;
	gid_t *groups;
	int error;

	if (size < 0)
		return EINVAL;
	ngroups = kauth_cred_ngroups(cred);
	retval[0] = ngroups;

	/* Size 0 requests the count only. */
	if (size == 0 || ngroups == 0)
		return 0;
	if ((u_int)size < ngroups)
		return EINVAL;

	groups = kmem_alloc(ngroups * sizeof(gid_t), KM_SLEEP);
	for (i = 0; i < ngroups; i++)
		groups[i] = kauth_cred_group(cred, i);
	error = copyout(groups, SCARG(uap, list), ngroups * sizeof(gid_t));
	kmem_free(groups, ngroups * sizeof(gid_t));
	return error;
}

int
sys_umask(struct lwp *l, const struct sys_umask_args *uap, register_t *retval)
{
	struct proc *p = l->l_proc;

	mutex_enter(&p->p_lock);
	retval[0] = p->p_umask;
	p->p_umask = SCARG(uap, mask) & 0777;
	mutex_exit(&p->p_lock);
	return 0;
}

/*
 * Return 0 when a caller with credential cred may signal p, else EPERM.
 * The caller's real or effective uid must match the target's real or
 * saved uid.  Called with proc_lock held.
 */
static int
prot_kill_permitted(kauth_cred_t cred, struct proc *p)
{
	kauth_cred_t target;
	uid_t ruid, euid;
	int error = EPERM;

	KASSERT(mutex_owned(&proc_lock));
	if (kauth_cred_privileged(cred))
		return 0;

	ruid = kauth_cred_getuid(cred);
	euid = kauth_cred_geteuid(cred);
	mutex_enter(&p->p_lock);
	target = p->p_cred;
	if (target != NULL &&
	    (ruid == kauth_cred_getuid(target) ||
	    ruid == kauth_cred_getsvuid(target) ||
	    euid == kauth_cred_getuid(target) ||
	    euid == kauth_cred_getsvuid(target)))
		error = 0;
	mutex_exit(&p->p_lock);
	return error;
}

/*
 * Signal every process but proc0, the init process and the caller's own.
 * As on Linux, the result is ESRCH when there is no such process,
 * otherwise EINVAL for a bad signal number and 0 for a good one, even
 * when the caller may signal none of the processes.  Called with
 * proc_lock held.
 */
static int
prot_kill_all(struct lwp *l, int sig, bool sigvalid)
{
	struct proc *p;
	bool found = false;
	pid_t pid;

	KASSERT(mutex_owned(&proc_lock));

	/*
	 * NOTE: proc.h exports no iterator over all processes, so this
	 * looks up every possible pid.  An allproc walk would be cheaper.
	 */
	for (pid = 2; pid < PID_MAX; pid++) {
		p = proc_find_locked(pid);
		if (p == NULL || p == l->l_proc)
			continue;
		found = true;
		if (!sigvalid)
			break;
		if (prot_kill_permitted(l->l_cred, p) == 0 && sig != 0)
			psignal(p, sig);
	}
	if (!found)
		return ESRCH;
	return sigvalid ? 0 : EINVAL;
}

/*
 * Linux looks the target up before it checks the signal number, and
 * checks the number before the permission: kill(2) of a missing pid is
 * ESRCH whatever the signal.
 */
int
sys_kill(struct lwp *l, const struct sys_kill_args *uap, register_t *retval)
{
	pid_t pid = SCARG(uap, pid);
	int sig = SCARG(uap, sig);
	bool sigvalid = sig >= 0 && sig < NSIG;
	struct proc *p;
	int error;

	/* There are no process groups, so no group -pid exists. */
	if (pid < -1)
		return ESRCH;

	mutex_enter(&proc_lock);
	if (pid == -1) {
		error = prot_kill_all(l, sig, sigvalid);
		mutex_exit(&proc_lock);
		return error;
	}

	/* Process group 0 is the caller's, which holds only itself. */
	if (pid == 0)
		p = l->l_proc;
	else
		p = proc_find_locked(pid);
	if (p == NULL)
		error = ESRCH;
	else if (!sigvalid)
		error = EINVAL;
	else
		error = prot_kill_permitted(l->l_cred, p);
	if (error == 0 && sig != 0)
		psignal(p, sig);
	mutex_exit(&proc_lock);
	return error;
}
