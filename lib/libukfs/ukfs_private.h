/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Internals of libukfs shared by its files: the handle, the partition
 * descriptor and the calls that bind a host thread to a handle's rump
 * process for the length of one operation.
 */

#ifndef _LIBUKFS_UKFS_PRIVATE_H_
#define _LIBUKFS_UKFS_PRIVATE_H_

#include <sys/types.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <rump/ukfs.h>

struct lwp;

/* Kinds of image part that a struct ukfs_part selects. */
enum ukfs_part_kind {
	UKFS_PART_NONE,		/* the whole image */
	UKFS_PART_NA,		/* not a disk: devpath goes to mount as is */
	UKFS_PART_OFFSET,	/* the byte window [start, end) */
	UKFS_PART_NUMBER	/* partition n of the image's MBR or GPT */
};

struct ukfs_part {
	enum ukfs_part_kind part_kind;
	uint64_t	part_start;	/* UKFS_PART_OFFSET */
	uint64_t	part_end;	/* UKFS_PART_OFFSET, exclusive */
	unsigned	part_number;	/* UKFS_PART_NUMBER, from 1 */
	unsigned	part_refcnt;	/* atomic; static parts ignore it */
	bool		part_static;	/* ukfs_part_none or ukfs_part_na */
};

/* Idle lwps a handle keeps for later calls; more are released. */
#define UKFS_IDLE_LWPS	8

/*
 * A handle.  ukfs_lock protects ukfs_idle, ukfs_nidle, ukfs_nlwps and
 * ukfs_releasing; the rest is fixed from ukfs_mount_disk() until
 * ukfs_release(), except ukfs_specific, which belongs to the caller.
 */
struct ukfs {
	pthread_mutex_t	 ukfs_lock;
	struct lwp	*ukfs_idle[UKFS_IDLE_LWPS]; /* unbound lwps of ukfs_pid */
	int		 ukfs_nidle;
	int		 ukfs_nlwps;	/* idle ones and those in calls */
	bool		 ukfs_releasing; /* ukfs_release() is at work */
	pid_t		 ukfs_pid;	/* the handle's rump process */
	int		 ukfs_escapefd;	/* O_PATH descriptor of the kernel's / */
	char		*ukfs_mountpath; /* where the mount is, in the kernel */
	bool		 ukfs_madedir;	/* ukfs made the mount point */
	char		*ukfs_devkey;	/* etfs key of the image, or NULL */
	void		*ukfs_specific;
	unsigned	 ukfs_id;
	struct ukfs	*ukfs_next;	/* ukfs_list, under ukfs_list_lock */
};

/*
 * One operation's binding: the lwp of the handle that the calling thread
 * runs on and the lwp it ran on before (NULL: the implicit context).
 */
struct ukfs_call {
	struct lwp	*uc_lwp;
	struct lwp	*uc_prev;
};

/*
 * Bind the calling thread to an lwp of fs's process: 0, or -1 with errno
 * set.  ukfs_leave() unbinds it again and keeps errno as it was.
 */
int	ukfs_enter(struct ukfs *fs, struct ukfs_call *uc);
void	ukfs_leave(struct ukfs *fs, struct ukfs_call *uc);

/* True once _ukfs_init() has booted the kernel. */
bool	ukfs_kernel_up(void);

/*
 * The kernel path of the block device that part selects of the image
 * registered at key: key itself, or its partition node (key1, or keyp1
 * when key ends in a digit).  Returns 0 or an errno value.
 */
int	ukfs_part_devnode(const struct ukfs_part *part, const char *key,
	    char *buf, size_t buflen);

#endif /* _LIBUKFS_UKFS_PRIVATE_H_ */
