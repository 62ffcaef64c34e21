/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Credentials.  A credential is immutable once more than one holder
 * references it: to change one, duplicate it, change the copy and install
 * the copy.  uid 0 as effective uid is privileged.
 */

#ifndef _SYS_KAUTH_H_
#define _SYS_KAUTH_H_

#include <sys/types.h>

typedef struct kauth_cred *kauth_cred_t;

kauth_cred_t kauth_cred_alloc(void);
kauth_cred_t kauth_cred_dup(kauth_cred_t);
void	kauth_cred_hold(kauth_cred_t);
void	kauth_cred_free(kauth_cred_t);
kauth_cred_t kauth_cred_get(void);	/* curlwp's, not held */

uid_t	kauth_cred_getuid(kauth_cred_t);
uid_t	kauth_cred_geteuid(kauth_cred_t);
uid_t	kauth_cred_getsvuid(kauth_cred_t);
gid_t	kauth_cred_getgid(kauth_cred_t);
gid_t	kauth_cred_getegid(kauth_cred_t);
gid_t	kauth_cred_getsvgid(kauth_cred_t);
void	kauth_cred_setuid(kauth_cred_t, uid_t);
void	kauth_cred_seteuid(kauth_cred_t, uid_t);
void	kauth_cred_setsvuid(kauth_cred_t, uid_t);
void	kauth_cred_setgid(kauth_cred_t, gid_t);
void	kauth_cred_setegid(kauth_cred_t, gid_t);
void	kauth_cred_setsvgid(kauth_cred_t, gid_t);

u_int	kauth_cred_ngroups(kauth_cred_t);
gid_t	kauth_cred_group(kauth_cred_t, u_int);
/* Replace the supplementary groups; ENOMEM, or EINVAL past NGROUPS_MAX. */
int	kauth_cred_setgroups(kauth_cred_t, const gid_t *, size_t);
/* True when gid is the effective gid or one of the supplementary groups. */
bool	kauth_cred_groupmember(kauth_cred_t, gid_t);

/* True when the credential is privileged (effective uid 0). */
bool	kauth_cred_privileged(kauth_cred_t);

struct proc;
struct lwp;

/*
 * Install newcred as p's credential (p->p_cred, under p->p_lock).  The
 * call takes over the caller's reference to newcred and drops the
 * reference to the old credential.  When curlwp belongs to p, its
 * l_cred is switched to newcred too, so the rest of the current system
 * call already runs with the new identity.
 */
void	proc_set_cred(struct proc *, kauth_cred_t);

/*
 * Like proc_set_cred, but only when p's credential is still oldcred.
 * Returns true when newcred was installed; on false the caller keeps its
 * reference to newcred.  A read-modify-write of a process's credential
 * (setuid and friends) uses it to lose no concurrent change.
 */
bool	proc_replace_cred(struct proc *, kauth_cred_t, kauth_cred_t);

/*
 * Return p's current credential with a reference held for the caller,
 * who releases it with kauth_cred_free.
 */
kauth_cred_t proc_cred_hold(struct proc *);

/*
 * Refresh l->l_cred from its process's credential.  The system call
 * entry calls it when l->l_cred != l->l_proc->p_cred, so a credential
 * change made by another lwp of the process takes effect at the next
 * call.  Only l itself, or the creator of l before l runs, may call it.
 */
void	lwp_update_cred(struct lwp *);

#endif /* _SYS_KAUTH_H_ */
