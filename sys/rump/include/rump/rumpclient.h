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

struct rumpclient_fork;

enum rumpclient_closevariant {
	RUMPCLIENT_CLOSE_CLOSE,
	RUMPCLIENT_CLOSE_DUP2,
	RUMPCLIENT_CLOSE_FCLOSEM
};

int	rumpclient_init(void);
int	rumpclient_syscall(int, const void *, size_t, long *);
void	rumpclient_seterrno(int);
void	rumpclient_setconnretry(time_t);

struct rumpclient_fork *rumpclient_prefork(void);
int	rumpclient_fork_init(struct rumpclient_fork *);
void	rumpclient_fork_cancel(struct rumpclient_fork *);
void	rumpclient_fork_vparent(struct rumpclient_fork *);
pid_t	rumpclient_fork(void);
int	rumpclient_exec(const char *, char *const [], char *const []);
int	rumpclient_daemon(int, int);
int	rumpclient__closenotify(int *, enum rumpclient_closevariant);

/*
 * The child of a real vfork shares its parent's memory and may only exec
 * or exit, but it would have to open a connection of its own.  So
 * rumpclient_vfork is rumpclient_fork, which a program written for vfork
 * can use unchanged.
 */
#define rumpclient_vfork()	rumpclient_fork()

#ifdef __cplusplus
}
#endif

#endif /* _RUMP_RUMPCLIENT_H_ */
