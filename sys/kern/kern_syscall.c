/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * System call dispatch.  The table itself (init_sysent.c) is generated
 * from syscalls.master; factions install their handlers at boot.
 */

#include <sys/types.h>
#include <sys/systm.h>
#include <sys/kauth.h>
#include <sys/lwp.h>
#include <sys/proc.h>
#include <sys/syscall.h>
#include <sys/syscallvar.h>

int
sys_nosys(struct lwp *l, const void *uap, register_t *retval)
{

	return ENOSYS;
}

void
syscall_establish(const struct rump_onesyscall *calls, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		KASSERT(calls[i].ros_num > 0 &&
		    calls[i].ros_num < SYS_MAXSYSCALL);
		if (sysent[calls[i].ros_num].sy_call != sys_nosys)
			panic("system call %d (%s) installed twice",
			    calls[i].ros_num, syscallnames[calls[i].ros_num]);
		sysent[calls[i].ros_num].sy_call = calls[i].ros_handler;
	}
}

/*
 * Run system call num for l, which holds a CPU.  args holds argsize
 * bytes; fewer than the call takes is EINVAL.  Returns 0 or an errno.
 */
int
syscall_dispatch(struct lwp *l, int num, const void *args, size_t argsize,
    register_t *retval)
{
	const struct sysent *callp;

	if (__predict_false(num <= 0 || num >= SYS_MAXSYSCALL))
		return ENOSYS;
	callp = &sysent[num];
	if (__predict_false(callp->sy_call == NULL))
		return ENOSYS;		/* a retired number */
	if (__predict_false(argsize < (size_t)callp->sy_argsize ||
	    (callp->sy_argsize != 0 && args == NULL)))
		return EINVAL;
	if (__predict_false(l->l_cred != l->l_proc->p_cred))
		lwp_update_cred(l);
	retval[0] = 0;
	retval[1] = 0;
	return callp->sy_call(l, args, retval);
}
