/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Where the rump_sys_* entry points send their calls: to the local kernel
 * in librump, or to a server in librumpclient (built with RUMP_CLIENT).
 */

#ifndef _RUMP_SYS_RSYS_H_
#define _RUMP_SYS_RSYS_H_

#include <sys/types.h>

#ifdef RUMP_CLIENT
int	rumpclient_syscall(int, const void *, size_t, register_t *);
void	rumpclient_seterrno(int);
#define rsys_syscall(num, data, len, rv) rumpclient_syscall(num, data, len, rv)
#define rsys_seterrno(e)	rumpclient_seterrno(e)
#else
int	rump_syscall(int, void *, size_t, register_t *);
void	rumpuser_seterrno(int);
#define rsys_syscall(num, data, len, rv) rump_syscall(num, (void *)(data), len, rv)
#define rsys_seterrno(e)	rumpuser_seterrno(e)
#endif

#endif /* _RUMP_SYS_RSYS_H_ */
