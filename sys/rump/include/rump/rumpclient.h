/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * librumpclient: make system calls into a rump kernel served by another
 * process (see rumpclient(3)).  The rump_sys_* calls of
 * <rump/rump_syscalls.h> are exported by the library as well.
 */

#ifndef _RUMP_RUMPCLIENT_H_
#define _RUMP_RUMPCLIENT_H_

#include <sys/types.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RUMPCLIENT_RETRYCONN_INFTIME	((time_t)-1)
#define RUMPCLIENT_RETRYCONN_ONCE	((time_t)-2)
#define RUMPCLIENT_RETRYCONN_DIE	((time_t)-3)

int	rumpclient_init(void);
int	rumpclient_syscall(int, const void *, size_t, long *);
void	rumpclient_seterrno(int);
void	rumpclient_setconnretry(time_t);

#ifdef __cplusplus
}
#endif

#endif /* _RUMP_RUMPCLIENT_H_ */
