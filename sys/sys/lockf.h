/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Advisory file locks on vnodes and pipes: fcntl(2) record locks, open
 * file description (OFD) record locks and flock(2) locks, with Linux's
 * rules.
 *
 *	kind	owner			range		released
 *	POSIX	the process		byte range	F_UNLCK, or any close by
 *						the owner of a descriptor
 *						for the file
 *	OFD	the open file		byte range	F_UNLCK, or last close
 *						of the open file
 *	flock	the open file		whole file	LOCK_UN, or last close
 *						of the open file
 *
 * POSIX and OFD locks are both record locks and conflict with each
 * other, even within one process.  flock locks are kept apart: they
 * conflict only with other flock locks, as on Linux.  A waiting POSIX
 * request that would close a cycle of processes waiting for each other
 * fails with EDEADLK; OFD and flock waits get no deadlock detection,
 * as on Linux.
 *
 * A file's list of granted locks (a vnode's v_lockf, a pipe's
 * pipe_lockf) is passed to these functions as its head.  One kernel-wide
 * mutex protects every such list and the list of waiting requests,
 * because deadlock detection follows waits across files.
 */

#ifndef _SYS_LOCKF_H_
#define _SYS_LOCKF_H_

#include <sys/types.h>

struct lockf;
struct file;
struct flock;
struct proc;

/* Lock kinds: the owner and the rules that apply. */
#define LF_POSIX	1	/* fcntl F_SETLK: owned by a process */
#define LF_OFD		2	/* fcntl F_OFD_SETLK: owned by an open file */
#define LF_FLOCK	3	/* flock(2): owned by an open file */

/* Largest offset: a lock that reaches it covers the file to its end. */
#define LF_OFF_MAX	INT64_MAX

/*
 * A lock request in absolute byte offsets, both ends included.  The
 * caller turns l_whence, l_start and l_len into lr_start and lr_end
 * with lf_range.
 */
struct lockf_request {
	int	 lr_kind;		/* LF_POSIX, LF_OFD or LF_FLOCK */
	short	 lr_type;		/* F_RDLCK, F_WRLCK or F_UNLCK */
	off_t	 lr_start;
	off_t	 lr_end;		/* LF_OFF_MAX: to the end of the file */
	void	*lr_owner;		/* struct proc or struct file */
	pid_t	 lr_pid;		/* owner's pid for F_GETLK; 0 for OFD */
};

/*
 * Turn a struct flock's l_start and l_len, relative to base (0, the file
 * offset or the file size, per l_whence), into [*startp, *endp].
 * Returns 0, EINVAL for a range that starts before 0, or EOVERFLOW for
 * one that ends past LF_OFF_MAX.
 */
int	lf_range(off_t base, off_t start, off_t len, off_t *startp,
	    off_t *endp);

/*
 * Set or clear a lock (lr_type F_UNLCK).  With wait, sleep until the
 * lock can be granted: EINTR when a signal arrives, EDEADLK for a POSIX
 * request that would deadlock.  Without wait, a conflict is EAGAIN
 * (EWOULDBLOCK, the same value, for flock).
 */
int	lf_setlock(struct lockf **head, const struct lockf_request *,
	    bool wait);

/*
 * F_GETLK: find a lock that conflicts with the request.  Fills *fl with
 * it (l_whence SEEK_SET, l_pid its owner's pid, -1 for an OFD lock), or
 * sets only l_type to F_UNLCK when there is none.
 */
void	lf_getlock(struct lockf **head, const struct lockf_request *,
	    struct flock *fl);

/* Release every lock of one kind that owner holds on the file. */
void	lf_release(struct lockf **head, int kind, void *owner);

#endif /* _SYS_LOCKF_H_ */
