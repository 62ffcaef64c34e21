/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The system call table.
 *
 * Numbers are this kernel's own, listed once in kern/syscalls.master.  A
 * handler takes the calling lwp, the argument block (one register_t slot
 * per argument, layout in sys/syscallargs.h) and a two-slot return value
 * array, and returns 0 or an errno value.  Every slot starts as sys_nosys;
 * each faction fills in the calls it implements when it is initialised, so
 * a call whose faction is not linked in fails with ENOSYS.
 */

#ifndef _SYS_SYSCALLVAR_H_
#define _SYS_SYSCALLVAR_H_

#include <sys/types.h>

struct lwp;

typedef int sy_call_t(struct lwp *, const void *, register_t *);

struct sysent {
	short		 sy_narg;	/* number of arguments */
	short		 sy_argsize;	/* bytes of the argument block */
	sy_call_t	*sy_call;	/* handler; written at boot only */
};

extern struct sysent sysent[];
extern const char *const syscallnames[];

struct rump_onesyscall {
	int		 ros_num;
	sy_call_t	*ros_handler;
};

/* Install a faction's handlers; called during boot, before any call. */
void	syscall_establish(const struct rump_onesyscall *, size_t);

/* Run system call num for l; returns 0 or an errno value. */
int	syscall_dispatch(struct lwp *, int, const void *, size_t, register_t *);

int	sys_nosys(struct lwp *, const void *, register_t *);

#endif /* _SYS_SYSCALLVAR_H_ */
