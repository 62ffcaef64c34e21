/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Open files: what a descriptor refers to.
 *
 * A struct file is shared by every descriptor dup'ed from it and by the
 * descriptor tables of forked processes; f_count counts those references
 * and the calls in progress on it (fd_getfile takes one for the length of
 * a call).  When the last reference goes, fo_close releases the object
 * behind it.  The object type's fileops implement the calls: a vnode
 * (vfs_vnops.c), a pipe (sys_pipe.c) and later a socket.
 *
 * Locking: f_count is atomic; f_flag is under f_lock.  A read or write
 * that uses the file offset of a regular file or directory holds
 * f_poslock for its whole length, so concurrent calls on one open file
 * see consistent offsets, as on Linux; f_offset is under f_poslock.  The
 * FREAD, FWRITE and O_PATH bits of f_flag never change after file_alloc,
 * so they may be read without f_lock.
 */

#ifndef _SYS_FILE_H_
#define _SYS_FILE_H_

#include <sys/types.h>
#include <sys/mutex.h>
#include <sys/kauth.h>
#include <sys/fcntl.h>

struct file;
struct uio;
struct stat;
struct flock;
struct lwp;
struct vattr;

/* f_type */
#define DTYPE_VNODE	1
#define DTYPE_PIPE	2
#define DTYPE_SOCKET	3
#define DTYPE_MISC	4

/* fo_read and fo_write flags. */
#define FOF_UPDATE_OFFSET 0x01	/* use and advance f_offset */

/* fo_advlock operations. */
#define FADV_GETLK	1	/* F_GETLK: report a conflicting lock */
#define FADV_SETLK	2	/* F_SETLK, or F_SETLKW with FADV_WAIT */
#define FADV_UNLK	3
#define FADV_WAIT	0x100	/* sleep until granted (interruptible) */
#define FADV_FLOCK	0x200	/* flock(2) semantics: owner is the file */
#define FADV_OFD	0x400	/* open file description locks */

/*
 * The operations of an object type.  Conventions that every type follows:
 *
 *  - fo_read and fo_write move uio_resid bytes at most and leave the
 *    rest in uio_resid.  When some bytes moved, the system call returns
 *    their count and drops the error, as Linux does.
 *  - fo_write that finds no reader left (pipes, FIFOs, sockets) posts
 *    SIGPIPE to curproc itself and returns EPIPE, or the count of what
 *    it wrote before.
 *  - fo_ioctl gets a kernel buffer of _IOC_SIZE bytes for a request that
 *    has a size.  It is copied in for _IOC_WRITE and copied out after
 *    success for _IOC_READ.  FIONREAD gets an int, FIOQSIZE an int64_t,
 *    and any other request without a size the caller's argument value as
 *    is.  An unknown request returns ENOTTY.
 *  - fo_advlock gets owner: the struct proc of the caller for POSIX locks
 *    (no FADV_FLOCK or FADV_OFD in op), the struct file itself otherwise.
 *  - fo_setflags gets the new f_flag value before it is stored and may
 *    reject it with an errno.  Then f_flag stays unchanged.
 */
struct fileops {
	/* offp is the offset to use and update (f_offset or pread's). */
	int	(*fo_read)(struct file *, off_t *offp, struct uio *,
		    kauth_cred_t, int flags);
	int	(*fo_write)(struct file *, off_t *offp, struct uio *,
		    kauth_cred_t, int flags);
	/* data is a kernel copy of the argument, when it has a size. */
	int	(*fo_ioctl)(struct file *, u_long cmd, void *data);
	/* Poll: returns the ready events among events, records the caller. */
	int	(*fo_poll)(struct file *, int events, struct lwp *);
	int	(*fo_stat)(struct file *, struct stat *);
	int	(*fo_close)(struct file *);
	/* Advisory locks (F_GETLK/F_SETLK/flock); NULL: EINVAL. */
	int	(*fo_advlock)(struct file *, int op, struct flock *,
		    void *owner);
	/* FCNTLFLAGS bits changed by F_SETFL, FIONBIO or FIOASYNC. */
	int	(*fo_setflags)(struct file *, int fflag);
	/*
	 * fchmod, fchown and futimens of a file that is not a vnode (a
	 * pipe): store the fields of va that are not VNOVAL (the permission
	 * bits of va_mode, va_uid, va_gid, va_atime, va_mtime) and set the
	 * change time.  The caller has applied the permission rules to the
	 * attributes from fo_stat.  NULL: the call succeeds without effect.
	 */
	int	(*fo_setattr)(struct file *, const struct vattr *);
};

struct file {
	kmutex_t	 f_lock;
	kmutex_t	 f_poslock;	/* held across offset-using I/O */
	volatile u_int	 f_count;	/* atomic */
	int		 f_flag;	/* f_lock: FFLAGS() of the open flags */
	int		 f_type;	/* fixed: DTYPE_* */
	const struct fileops *f_ops;	/* fixed */
	void		*f_data;	/* fixed: vnode, pipe, socket */
	off_t		 f_offset;	/* f_poslock, see above */
	kauth_cred_t	 f_cred;	/* fixed: the opener's, held */
};

/*
 * Allocate a file with one reference, for the given type and ops.  fflag
 * is in FFLAGS() form; the file holds its own reference to the
 * credential.
 */
struct file *file_alloc(int type, const struct fileops *, void *data,
	    int fflag, kauth_cred_t);
/* Add a reference; the caller already holds one (or the table does). */
void	file_hold(struct file *);
/*
 * Drop a reference; the last one calls fo_close, frees the file and
 * returns fo_close's result (0 otherwise).
 */
int	file_release(struct file *);
/* The current f_flag, read under f_lock. */
int	file_getflags(struct file *);

/* Default fileops members for operations a type does not support. */
int	fnullop_setflags(struct file *, int);
int	fbadop_advlock(struct file *, int, struct flock *, void *);

#endif /* _SYS_FILE_H_ */
