/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Pipes and FIFOs: the buffer that the two ends of a pipe(2), or the
 * openers of a FIFO, share.  Private to kern/sys_pipe.c, except for the
 * constants and for the two requests with which fcntl(2) reaches the
 * capacity of a pipe or FIFO through its fo_ioctl.
 *
 * The buffer is a ring of slots with up to one page of data each, as
 * Linux's pipes are.  The capacity is a number of pages (pipe_nslots, a
 * power of two).  A write of at most PIPE_BUF bytes always lands in one
 * slot, so it is atomic.  Small writes are merged into the newest slot
 * while it has room, and a writer may add data only when a slot is free.
 * Packet mode (O_DIRECT on the writing file) makes each write of up to a
 * page a slot of its own that one read consumes whole.
 *
 * Locking legend: (l) pipe_lock, (a) atomic, (c) fixed at creation.
 * Lock order: a FIFO's vnode lock, then pipe_lock.  A FIFO operation
 * that may sleep on the pipe releases the vnode lock first.  v_interlock
 * and pipe_lock are never held together.
 */

#ifndef _SYS_PIPE_H_
#define _SYS_PIPE_H_

#include <sys/types.h>
#include <sys/param.h>
#include <sys/condvar.h>
#include <sys/filio.h>
#include <sys/mutex.h>
#include <sys/queue.h>
#include <sys/select.h>
#include <sys/time.h>

/* Writes up to this size are atomic (POSIX PIPE_BUF, Linux's value). */
#define PIPE_BUF		4096
/* Capacity of a new pipe, as on Linux. */
#define PIPE_DEFAULT_SIZE	(16 * PAGE_SIZE)
/* Largest capacity an unprivileged caller may set (pipe-max-size). */
#define PIPE_MAX_SIZE		(1024 * 1024)
/* Largest F_SETPIPE_SZ request at all; above it EINVAL. */
#define PIPE_REQUEST_MAX	(1U << 31)

/*
 * fo_ioctl and fifo_ioctl requests behind F_GETPIPE_SZ and F_SETPIPE_SZ.
 * Their argument is a u_int: the requested size in, the capacity out.
 * sys_ioctl refuses them from callers with ENOTTY.
 */
#define PIPEIOC_GETSIZE	_IOC(_IOC_READ, 0, 0xf0, sizeof(u_int))
#define PIPEIOC_SETSIZE	_IOC(_IOC_READ | _IOC_WRITE, 0, 0xf1, sizeof(u_int))

#ifdef _KERNEL

/* One slot of the ring. */
struct pipeslot {
	char		*ps_page;	/* PAGE_SIZE bytes */
	uint32_t	 ps_off;	/* first unread byte in the page */
	uint32_t	 ps_len;	/* unread bytes, > 0 while in the ring */
	uint32_t	 ps_flags;	/* PS_* */
};

#define PS_MERGE	0x01		/* later small writes may append */
#define PS_PACKET	0x02		/* one read takes all of it */

struct file;

/* A flock(2) lock on a pipe(2) pipe, owned by one of its open files. */
struct pipeflock {
	LIST_ENTRY(pipeflock) pf_link;	/* (l) on pipe_flocks */
	struct file	*pf_file;	/* (l) the owner */
	int		 pf_type;	/* (l) F_RDLCK or F_WRLCK */
};

struct pipe {
	kmutex_t	 pipe_lock;
	kcondvar_t	 pipe_rcv;	/* (l) readers: data, EOF */
	kcondvar_t	 pipe_wcv;	/* (l) writers: room, no reader */
	kcondvar_t	 pipe_opencv;	/* (l) FIFO opens: a partner came */
	struct selinfo	 pipe_rsel;	/* (l) polls of the read side */
	struct selinfo	 pipe_wsel;	/* (l) polls of the write side */

	struct pipeslot	*pipe_slots;	/* (l) ring of pipe_nslots */
	u_int		 pipe_nslots;	/* (l) capacity in pages, 2^n */
	u_int		 pipe_head;	/* (l) index of the oldest slot */
	u_int		 pipe_nused;	/* (l) slots holding data */
	size_t		 pipe_nbytes;	/* (l) unread bytes in all slots */
	char		*pipe_spare;	/* (l) a free page kept for writes */

	u_int		 pipe_readers;	/* (l) open read ends or FIFO opens */
	u_int		 pipe_writers;	/* (l) open write ends or FIFO opens */
	u_int		 pipe_rgen;	/* (l) FIFO: read opens ever */
	u_int		 pipe_wgen;	/* (l) FIFO: write opens ever */
	u_int		 pipe_hupgen;	/* (l) FIFO: no POLLHUP at this wgen */
	int		 pipe_flags;	/* (l) PIPE_* */
	LIST_HEAD(, pipeflock) pipe_flocks; /* (l) flock(2) locks held */
	kcondvar_t	 pipe_flockcv;	/* (l) flock waiters */
	struct lockf	*pipe_lockf;	/* fcntl record locks (kern_lockf.c) */
	volatile u_int	 pipe_refs;	/* (a) see sys_pipe.c */

	ino_t		 pipe_ino;	/* (c) st_ino of a pipe(2) pipe */
	mode_t		 pipe_mode;	/* (l) permission bits, 0600 at first */
	uid_t		 pipe_uid;	/* (l) the creator's effective ids */
	gid_t		 pipe_gid;	/* (l) at first */
	struct timespec	 pipe_atime;	/* (l) st_atim: creation, futimens */
	struct timespec	 pipe_mtime;	/* (l) st_mtim: creation, futimens */
	struct timespec	 pipe_ctime;	/* (l) st_ctim: creation, attributes */
};

/* pipe_flags */
#define PIPE_FIFO	0x01		/* (c) behind a FIFO vnode */
#define PIPE_DEAD	0x02		/* the FIFO vnode was reclaimed */

#endif /* _KERNEL */

#endif /* _SYS_PIPE_H_ */
