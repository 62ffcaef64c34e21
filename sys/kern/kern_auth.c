/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Credentials: the user and group identity a process acts with.
 *
 * A credential carries the real, effective and saved user and group ids
 * and the supplementary groups.  It is reference counted and immutable
 * once shared: code that changes an identity duplicates the current
 * credential, changes the copy while it is still private, and installs
 * it with proc_set_cred or proc_replace_cred.
 *
 * Each process has a current credential in p_cred (under p_lock).  Each
 * lwp holds its own reference in l_cred, which only the lwp itself
 * touches: it is the identity of the system call in progress
 * (kauth_cred_get).  The system call entry refreshes l_cred from p_cred
 * with lwp_update_cred when the two differ, so a change made by one lwp
 * reaches the others at their next call.
 *
 * The supplementary groups are kept sorted in ascending order, duplicates
 * included, because getgroups(2) on Linux returns them that way.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/kmem.h>
#include <sys/mutex.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/kauth.h>

struct kauth_cred {
	unsigned int	 cr_refcnt;	/* atomic */
	uid_t		 cr_uid;	/* real */
	uid_t		 cr_euid;	/* effective */
	uid_t		 cr_svuid;	/* saved */
	gid_t		 cr_gid;
	gid_t		 cr_egid;
	gid_t		 cr_svgid;
	u_int		 cr_ngroups;
	gid_t		*cr_groups;	/* cr_ngroups entries, sorted, or NULL */
};

/* A credential whose ids change must not be visible to anyone else. */
#define CRED_ASSERT_PRIVATE(cred)					\
	KASSERTMSG(atomic_load_relaxed(&(cred)->cr_refcnt) == 1,	\
	    "changing a shared credential")

kauth_cred_t
kauth_cred_alloc(void)
{
	kauth_cred_t cred;

	cred = kmem_zalloc(sizeof(*cred), KM_SLEEP);
	cred->cr_refcnt = 1;
	return cred;
}

kauth_cred_t
kauth_cred_dup(kauth_cred_t cred)
{
	kauth_cred_t copy;

	KASSERT(cred != NULL);
	copy = kmem_alloc(sizeof(*copy), KM_SLEEP);
	*copy = *cred;
	copy->cr_refcnt = 1;
	if (cred->cr_ngroups > 0) {
		copy->cr_groups = kmem_alloc(
		    cred->cr_ngroups * sizeof(gid_t), KM_SLEEP);
		memcpy(copy->cr_groups, cred->cr_groups,
		    cred->cr_ngroups * sizeof(gid_t));
	}
	return copy;
}

void
kauth_cred_hold(kauth_cred_t cred)
{
	unsigned int refcnt __unused;

	KASSERT(cred != NULL);
	refcnt = atomic_inc_uint_nv(&cred->cr_refcnt);
	KASSERTMSG(refcnt > 1, "hold of a freed credential");
}

void
kauth_cred_free(kauth_cred_t cred)
{

	KASSERT(cred != NULL);
	KASSERTMSG(atomic_load_relaxed(&cred->cr_refcnt) > 0,
	    "free of a freed credential");

	/*
	 * Order this holder's reads of the credential before the drop, and
	 * the last holder's free after every other holder's drop.
	 */
	membar_release();
	if (atomic_dec_uint_nv(&cred->cr_refcnt) > 0)
		return;
	membar_acquire();

	if (cred->cr_groups != NULL)
		kmem_free(cred->cr_groups, cred->cr_ngroups * sizeof(gid_t));
	kmem_free(cred, sizeof(*cred));
}

kauth_cred_t
kauth_cred_get(void)
{

	return curlwp->l_cred;
}

uid_t
kauth_cred_getuid(kauth_cred_t cred)
{

	return cred->cr_uid;
}

uid_t
kauth_cred_geteuid(kauth_cred_t cred)
{

	return cred->cr_euid;
}

uid_t
kauth_cred_getsvuid(kauth_cred_t cred)
{

	return cred->cr_svuid;
}

gid_t
kauth_cred_getgid(kauth_cred_t cred)
{

	return cred->cr_gid;
}

gid_t
kauth_cred_getegid(kauth_cred_t cred)
{

	return cred->cr_egid;
}

gid_t
kauth_cred_getsvgid(kauth_cred_t cred)
{

	return cred->cr_svgid;
}

void
kauth_cred_setuid(kauth_cred_t cred, uid_t uid)
{

	CRED_ASSERT_PRIVATE(cred);
	cred->cr_uid = uid;
}

void
kauth_cred_seteuid(kauth_cred_t cred, uid_t uid)
{

	CRED_ASSERT_PRIVATE(cred);
	cred->cr_euid = uid;
}

void
kauth_cred_setsvuid(kauth_cred_t cred, uid_t uid)
{

	CRED_ASSERT_PRIVATE(cred);
	cred->cr_svuid = uid;
}

void
kauth_cred_setgid(kauth_cred_t cred, gid_t gid)
{

	CRED_ASSERT_PRIVATE(cred);
	cred->cr_gid = gid;
}

void
kauth_cred_setegid(kauth_cred_t cred, gid_t gid)
{

	CRED_ASSERT_PRIVATE(cred);
	cred->cr_egid = gid;
}

void
kauth_cred_setsvgid(kauth_cred_t cred, gid_t gid)
{

	CRED_ASSERT_PRIVATE(cred);
	cred->cr_svgid = gid;
}

u_int
kauth_cred_ngroups(kauth_cred_t cred)
{

	return cred->cr_ngroups;
}

gid_t
kauth_cred_group(kauth_cred_t cred, u_int idx)
{

	KASSERT(idx < cred->cr_ngroups);
	return cred->cr_groups[idx];
}

/* Move the larger children of groups[root] down a max-heap of n entries. */
static void
groups_sift_down(gid_t *groups, size_t root, size_t n)
{
	size_t child;
	gid_t tmp;

	while ((child = 2 * root + 1) < n) {
		if (child + 1 < n && groups[child + 1] > groups[child])
			child++;
		if (groups[root] >= groups[child])
			return;
		tmp = groups[root];
		groups[root] = groups[child];
		groups[child] = tmp;
		root = child;
	}
}

/*
 * Sort gids in ascending order.  Heapsort keeps the worst case at
 * O(n log n) for NGROUPS_MAX entries without extra memory.
 */
static void
groups_sort(gid_t *groups, size_t n)
{
	size_t i;
	gid_t tmp;

	if (n < 2)
		return;
	for (i = n / 2; i-- > 0;)
		groups_sift_down(groups, i, n);
	for (i = n - 1; i > 0; i--) {
		tmp = groups[0];
		groups[0] = groups[i];
		groups[i] = tmp;
		groups_sift_down(groups, 0, i);
	}
}

int
kauth_cred_setgroups(kauth_cred_t cred, const gid_t *groups, size_t n)
{
	gid_t *copy = NULL;

	CRED_ASSERT_PRIVATE(cred);
	if (n > NGROUPS_MAX)
		return EINVAL;

	if (n > 0) {
		copy = kmem_alloc(n * sizeof(gid_t), KM_SLEEP);
		memcpy(copy, groups, n * sizeof(gid_t));
		groups_sort(copy, n);
	}

	if (cred->cr_groups != NULL)
		kmem_free(cred->cr_groups, cred->cr_ngroups * sizeof(gid_t));
	cred->cr_groups = copy;
	cred->cr_ngroups = (u_int)n;
	return 0;
}

bool
kauth_cred_groupmember(kauth_cred_t cred, gid_t gid)
{
	size_t lo, hi, mid;

	if (cred->cr_egid == gid)
		return true;

	/* Binary search of the sorted list. */
	lo = 0;
	hi = cred->cr_ngroups;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (cred->cr_groups[mid] == gid)
			return true;
		if (cred->cr_groups[mid] < gid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

bool
kauth_cred_privileged(kauth_cred_t cred)
{

	return cred->cr_euid == 0;
}

/*
 * Return curlwp when it belongs to p, with a reference to newcred taken
 * for its l_cred, else NULL.  The reference must be taken before newcred
 * is published in p_cred: from then on another lwp may replace and free
 * it.
 */
static struct lwp *
proc_cred_prepare_curlwp(struct proc *p, kauth_cred_t newcred)
{
	struct lwp *l = curlwp;

	if (l == NULL || l->l_proc != p)
		return NULL;
	kauth_cred_hold(newcred);
	return l;
}

/*
 * Switch l's own reference to newcred, which proc_cred_prepare_curlwp
 * has held for it.  l_cred is touched only by its lwp, so no lock is
 * needed.
 */
static void
proc_cred_update_curlwp(struct lwp *l, kauth_cred_t newcred)
{
	kauth_cred_t oldcred;

	oldcred = l->l_cred;
	l->l_cred = newcred;
	if (oldcred != NULL)
		kauth_cred_free(oldcred);
}

void
proc_set_cred(struct proc *p, kauth_cred_t newcred)
{
	kauth_cred_t oldcred;
	struct lwp *l;

	KASSERT(newcred != NULL);
	l = proc_cred_prepare_curlwp(p, newcred);
	mutex_enter(&p->p_lock);
	oldcred = p->p_cred;
	p->p_cred = newcred;
	mutex_exit(&p->p_lock);

	if (l != NULL)
		proc_cred_update_curlwp(l, newcred);
	if (oldcred != NULL)
		kauth_cred_free(oldcred);
}

bool
proc_replace_cred(struct proc *p, kauth_cred_t oldcred, kauth_cred_t newcred)
{
	struct lwp *l;

	KASSERT(newcred != NULL);
	l = proc_cred_prepare_curlwp(p, newcred);
	mutex_enter(&p->p_lock);
	if (p->p_cred != oldcred) {
		mutex_exit(&p->p_lock);
		if (l != NULL)
			kauth_cred_free(newcred);
		return false;
	}
	p->p_cred = newcred;
	mutex_exit(&p->p_lock);

	if (l != NULL)
		proc_cred_update_curlwp(l, newcred);

	/* Drop the reference that p_cred held on oldcred. */
	kauth_cred_free(oldcred);
	return true;
}

kauth_cred_t
proc_cred_hold(struct proc *p)
{
	kauth_cred_t cred;

	mutex_enter(&p->p_lock);
	cred = p->p_cred;
	kauth_cred_hold(cred);
	mutex_exit(&p->p_lock);
	return cred;
}

void
lwp_update_cred(struct lwp *l)
{
	struct proc *p = l->l_proc;
	kauth_cred_t oldcred;

	mutex_enter(&p->p_lock);
	oldcred = l->l_cred;
	l->l_cred = p->p_cred;
	kauth_cred_hold(l->l_cred);
	mutex_exit(&p->p_lock);

	if (oldcred != NULL)
		kauth_cred_free(oldcred);
}
