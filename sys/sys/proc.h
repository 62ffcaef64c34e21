/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Processes.
 *
 * proc0 (pid 0) is the kernel's own process and holds the kernel threads.
 * initproc (pid 1) is created at boot; unbound host threads run as its
 * implicit lwps, and it adopts the children of processes that go away.
 * rump_pub_lwproc_rfork() creates further processes as children of the
 * caller's process.  A process lives while it has lwps: releasing its last
 * lwp runs the exit hooks, reparents its children to initproc, frees its
 * pid and frees it.  There are no zombies because there is no wait().
 *
 * Locking legend: (g) proc_lock, (p) p_lock, (c) fixed at creation.
 * Lock order: proc_lock before p_lock.
 */

#ifndef _SYS_PROC_H_
#define _SYS_PROC_H_

#include <sys/types.h>
#include <sys/param.h>
#include <sys/queue.h>
#include <sys/mutex.h>
#include <sys/signal.h>
#include <sys/lwp.h>

struct kauth_cred;
struct vmspace;
struct filedesc;
struct cwdinfo;

struct proc {
	pid_t		 p_pid;		/* (c) */
	struct proc	*p_pptr;	/* (g) parent */
	LIST_HEAD(, proc) p_children;	/* (g) */
	LIST_ENTRY(proc) p_sibling;	/* (g) on the parent's p_children */
	LIST_ENTRY(proc) p_hash;	/* (g) on the pid hash chain */
	LIST_ENTRY(proc) p_list;	/* (g) on allproc */
	kmutex_t	 p_lock;
	LIST_HEAD(, lwp) p_lwps;	/* (p) */
	int		 p_nlwps;	/* (p) */
	lwpid_t		 p_nextlid;	/* (p) */
	int		 p_stat;	/* (p) SIDL, SACTIVE, SDYING */
	int		 p_flag;	/* (p) PK_* */
	struct kauth_cred *p_cred;	/* (p) current credentials */
	char		 p_comm[MAXCOMLEN + 1]; /* (p) */
	mode_t		 p_umask;	/* (p) */
	ksigset_t	 p_sigpend;	/* (p) posted, not yet taken */
	ksigset_t	 p_sigignore;	/* (p) */
	struct vmspace	*p_vmspace;	/* (c) whose memory copyin reaches */
	struct filedesc	*p_fd;		/* (c) descriptor table, or NULL;
					   exec may replace a shared one */
	struct cwdinfo	*p_cwdi;	/* (c) working and root directory */
	void		*p_specific[8];	/* (p) per-subsystem data, see below */
};

/* p_stat */
#define SIDL		0		/* being created */
#define SACTIVE		1
#define SDYING		2

/*
 * p_flag.  PK_WEXIT is set (with p_lock held, read without it) when the
 * process must leave the kernel: its client went away or replaced its
 * image.  From then on SIGKILL counts as pending for each of its lwps, so
 * every interruptible sleep ends with EINTR, also one that starts later.
 */
#define PK_SYSTEM	0x0001		/* proc0 */
#define PK_WEXIT	0x0002		/* leave the kernel: sleeps end early */

extern struct proc proc0;
extern struct proc *initproc;
extern kmutex_t proc_lock;

/* Look up a process by pid; the caller holds proc_lock. */
struct proc	*proc_find_locked(pid_t);

/*
 * Create a process as a child of parent with one lwp, which is returned.
 * flags are the rfork flags (PROC_FD_*), passed to every hook.
 */
#define PROC_FD_SHARE	0x00
#define PROC_FD_COPY	0x01
#define PROC_FD_CLEAR	0x02
int		 proc_create(struct proc *, int, const char *, struct lwp **);

/*
 * Per-subsystem process data.  A subsystem (file descriptors, working
 * directory, ...) registers a hook pair once at init: the fork hook fills
 * in the child's data from the parent's according to the flags, the exit
 * hook releases it.  proc_hook_register returns the slot index to use in
 * p_specific, or -1 when the table is full.
 */
struct proc_hook {
	int	(*ph_fork)(struct proc *, struct proc *, int);
	void	(*ph_exit)(struct proc *);
};
int		 proc_hook_register(const struct proc_hook *);

/* Post a signal to a process: per the boot-time signal model. */
void		 psignal(struct proc *, int);

/* Boot: set up proc0 and the pid table; later create initproc. */
void		 proc_init(void);
void		 initproc_create(void);
int		 proc_count(void);

/* Called by lwp_destroy for the last lwp of a process. */
void		 proc_exit(struct proc *);

#endif /* _SYS_PROC_H_ */
