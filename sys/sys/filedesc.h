/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Descriptor tables.
 *
 * Each process has a table of open descriptors, shared with processes
 * rfork'ed with RUMP_RFFD_SHARE, copied for RUMP_RFFDG and empty for
 * RUMP_RFCFDG.  The table grows on demand up to fd_maxfiles (RLIMIT_NOFILE:
 * 1024 by default, as on Linux, EMFILE beyond).  Descriptors are handed
 * out lowest first, as POSIX requires.  The slot array grows as Linux's
 * does, from 64 slots to the smallest power of two above the highest
 * descriptor (at least 128), and select(2) ignores descriptors past it.
 *
 * Using a descriptor: fd_getfile(fd) returns its file with a reference
 * held for the call (NULL: EBADF), fd_putfile drops it.  A close by
 * another thread meanwhile removes the descriptor but the call keeps its
 * file until it drops the reference.  fd_getfile returns O_PATH files
 * too: a call that Linux refuses on an O_PATH descriptor (read, write,
 * ioctl, flock, fchmod, ...) checks f_flag & O_PATH itself and fails
 * with EBADF.
 *
 * POSIX record locks belong to a process.  Closing any descriptor of a
 * file releases the closing process's POSIX locks on that file, and a
 * process's exit releases all of them, as on Linux; fd_close and the exit
 * hook do that through fo_advlock(FADV_UNLK) with the process as owner,
 * once some process of the table has taken a POSIX lock
 * (fd_posixlocks).
 *
 * Locking: fd_lock protects the table's slots and size.  It is a leaf
 * lock: never call into a file's operations while holding it.
 */

#ifndef _SYS_FILEDESC_H_
#define _SYS_FILEDESC_H_

#include <sys/types.h>
#include <sys/mutex.h>

struct file;
struct proc;
struct lwp;

struct fdent {
	struct file	*fe_file;	/* NULL: free or reserved */
	bool		 fe_cloexec;
	bool		 fe_reserved;	/* allocated, not yet installed */
};

struct filedesc {
	kmutex_t	 fd_lock;
	volatile u_int	 fd_refcnt;	/* atomic: processes sharing it */
	int		 fd_nfiles;	/* fd_lock: slots in fd_ofiles */
	int		 fd_lastfile;	/* fd_lock: highest used, or -1 */
	int		 fd_freefile;	/* fd_lock: no free slot below */
	int		 fd_maxfiles;	/* fd_lock: RLIMIT_NOFILE */
	struct fdent	*fd_ofiles;	/* fd_lock */
	uint64_t	*fd_inuse;	/* fd_lock: bit per used or reserved slot */
	volatile u_int	 fd_posixlocks;	/* atomic: a POSIX lock was taken */
};

#define FD_DEFAULT_MAXFILES	1024

/* The calling process's table. */
struct filedesc *fd_table(void);

struct file *fd_getfile(int fd);
void	fd_putfile(struct file *);

/*
 * Reserve the lowest free descriptor >= minfd (EMFILE when none), then
 * either install a file in it with fd_affix or give it back with
 * fd_abort.  A reserved slot is invisible to fd_getfile.  fd_affix takes
 * over the caller's reference to the file: the table holds it from then
 * on, and the caller must not release it.
 */
int	fd_alloc(struct filedesc *, int minfd, int *fdp);
void	fd_affix(struct filedesc *, int fd, struct file *, bool cloexec);
void	fd_abort(struct filedesc *, int fd);

/*
 * Close fd: EBADF when not open.  Otherwise the descriptor is gone, and
 * the result is that of fo_close when this was the file's last reference.
 */
int	fd_close(int fd);
/*
 * dup semantics; dup2/dup3 close newfd first when open.  Both take a
 * reference of their own to the file.  fd_dup2 fails with EBADF for a
 * newfd out of range and with EBUSY when newfd is reserved by an open in
 * progress, as Linux does.
 */
int	fd_dup(struct file *, int minfd, int *newfdp, bool cloexec);
int	fd_dup2(struct file *, int newfd, bool cloexec);
int	fd_getcloexec(int fd, bool *);
int	fd_setcloexec(int fd, bool);

/* Process hooks: create, copy, share and free tables. */
void	fd_sys_init(void);

/*
 * Close the calling process's close-on-exec descriptors, after replacing
 * a table shared with other processes by a copy of its own.  For exec;
 * no other lwp of the process may be in the kernel.
 */
void	fd_closeexec(void);

/* The number of open descriptors in a table. */
int	fd_count_open(struct filedesc *);

#endif /* _SYS_FILEDESC_H_ */
