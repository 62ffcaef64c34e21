/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * File control: open(2) flags, the flags and descriptor of the *at()
 * calls, fcntl(2) commands and record locks, flock(2) operations, the
 * flags of renameat2(2) and fallocate(2), lseek(2) whence values and the
 * special tv_nsec values of utimensat(2).  All of them are the Linux values
 * of the host architecture, so a program's own <fcntl.h> values pass
 * through rump_sys_*() unchanged.  x86-64 and AArch64 differ only in
 * O_DIRECTORY, O_NOFOLLOW, O_DIRECT and O_LARGEFILE.
 *
 * Inside the kernel an open file keeps its flags in FFLAGS() form: the
 * O_ACCMODE bits are replaced by FREAD and FWRITE, so "may this file be
 * read" is a single bit test, and every other bit keeps its O_* meaning.
 */

#ifndef _SYS_FCNTL_H_
#define _SYS_FCNTL_H_

#include <sys/types.h>

/* Access mode: the low two bits of the open flags. */
#define O_ACCMODE	00000003
#define O_RDONLY	00000000
#define O_WRONLY	00000001
#define O_RDWR		00000002

/* Open flags common to both architectures. */
#define O_CREAT		00000100	/* create the file if missing */
#define O_EXCL		00000200	/* with O_CREAT: fail if it exists */
#define O_NOCTTY	00000400	/* never becomes a controlling tty */
#define O_TRUNC		00001000	/* truncate a regular file to 0 */
#define O_APPEND	00002000	/* every write goes to the end */
#define O_NONBLOCK	00004000	/* I/O fails with EAGAIN, never waits */
#define O_NDELAY	O_NONBLOCK
#define O_DSYNC		00010000	/* write waits for the data to be stable */
#define O_ASYNC		00020000	/* SIGIO when I/O becomes possible */
#define FASYNC		O_ASYNC		/* BSD name */
#define O_NOATIME	01000000	/* reads leave the access time alone */
#define O_CLOEXEC	02000000	/* FD_CLOEXEC on the new descriptor */
#define __O_SYNC	04000000	/* never alone: see O_SYNC */
#define O_PATH		010000000	/* a location only: no read, no write */
#define __O_TMPFILE	020000000	/* never alone: see O_TMPFILE */

/*
 * The four flags whose bits depend on the architecture.  AArch64 uses the
 * bits of 32-bit ARM.  glibc defines O_LARGEFILE as 0 on both, because
 * Linux sets the bit itself on every open by a 64-bit program, so F_GETFL
 * reports it.
 */
#if defined(__x86_64__)
#define O_DIRECT	00040000	/* bypass the cache where possible */
#define O_LARGEFILE	00100000	/* offsets beyond 2 GiB allowed */
#define O_DIRECTORY	00200000	/* fail unless a directory */
#define O_NOFOLLOW	00400000	/* fail if the last component is a symlink */
#elif defined(__aarch64__)
#define O_DIRECTORY	00040000	/* fail unless a directory */
#define O_NOFOLLOW	00100000	/* fail if the last component is a symlink */
#define O_DIRECT	00200000	/* bypass the cache where possible */
#define O_LARGEFILE	00400000	/* offsets beyond 2 GiB allowed */
#else
#error fcntl.h: open flag values are known for x86-64 and AArch64 only
#endif

/*
 * O_SYNC includes the O_DSYNC bit, so a test for O_DSYNC also catches
 * O_SYNC.  O_TMPFILE includes O_DIRECTORY, and it must come with write
 * access, so a kernel that ignores __O_TMPFILE sees a write open of a
 * directory and fails it with EISDIR instead of creating nothing.
 */
#define O_SYNC		(__O_SYNC | O_DSYNC)
#define O_RSYNC		O_SYNC		/* glibc's value */
#define O_FSYNC		O_SYNC
#define O_TMPFILE	(__O_TMPFILE | O_DIRECTORY)

/*
 * Kernel file flags.  FFLAGS() turns open flags into the form an open
 * file keeps, and OFLAGS() turns that back into what F_GETFL returns:
 *
 *	O_RDONLY	FREAD
 *	O_WRONLY	FWRITE
 *	O_RDWR		FREAD | FWRITE
 *	O_ACCMODE	neither (Linux accepts it for ioctl-only opens)
 *	O_PATH		neither, whatever the access mode
 *
 * FFLAGS() drops the access mode of an O_PATH open, so
 * OFLAGS(FFLAGS(O_PATH | O_RDWR)) is O_PATH.  Linux also keeps no flag
 * but O_DIRECTORY, O_NOFOLLOW and O_CLOEXEC beside O_PATH, and the open
 * path must drop the others itself.  Both macros evaluate their argument
 * more than once.
 */
#define FREAD		0x00000001	/* descriptor may read */
#define FWRITE		0x00000002	/* descriptor may write */

#define FFLAGS(oflags)							\
	(((oflags) & ~O_ACCMODE) |					\
	    (((oflags) & O_PATH) ? 0 : (((oflags) + 1) & O_ACCMODE)))
#define OFLAGS(fflags)							\
	(((fflags) & ~O_ACCMODE) |					\
	    (((fflags) & O_PATH) ? 0 : (((fflags) - 1) & O_ACCMODE)))

/* The flags that F_SETFL may change.  It ignores the other bits. */
#define FCNTLFLAGS	(O_APPEND | O_ASYNC | O_DIRECT | O_NOATIME | O_NONBLOCK)

__CTASSERT(FFLAGS(O_RDONLY) == FREAD);
__CTASSERT(FFLAGS(O_WRONLY) == FWRITE);
__CTASSERT(FFLAGS(O_RDWR) == (FREAD | FWRITE));
__CTASSERT(FFLAGS(O_ACCMODE) == 0);
__CTASSERT(FFLAGS(O_PATH | O_RDWR) == O_PATH);
__CTASSERT(OFLAGS(FFLAGS(O_RDWR | O_APPEND)) == (O_RDWR | O_APPEND));

/* The *at() calls: the directory descriptor that means the cwd. */
#define AT_FDCWD		(-100)

/* Flags of the *at() calls.  Each call accepts only some of them. */
#define AT_SYMLINK_NOFOLLOW	0x0100	/* act on a final symlink itself */
#define AT_REMOVEDIR		0x0200	/* unlinkat(2): remove a directory */
#define AT_EACCESS		0x0200	/* faccessat(2): use effective ids */
#define AT_SYMLINK_FOLLOW	0x0400	/* linkat(2): follow a final symlink */
#define AT_NO_AUTOMOUNT		0x0800	/* do not trigger an automount */
#define AT_EMPTY_PATH		0x1000	/* "" names the descriptor itself */
#define AT_STATX_SYNC_TYPE	0x6000	/* statx(2): mask of the sync mode */
#define AT_STATX_SYNC_AS_STAT	0x0000	/*   do what stat(2) does */
#define AT_STATX_FORCE_SYNC	0x2000	/*   fetch fresh attributes */
#define AT_STATX_DONT_SYNC	0x4000	/*   cached attributes are enough */
#define AT_RECURSIVE		0x8000	/* apply to the whole subtree */

/* fcntl(2) commands. */
#define F_DUPFD		0	/* lowest free descriptor >= arg */
#define F_GETFD		1	/* descriptor flags (FD_CLOEXEC) */
#define F_SETFD		2
#define F_GETFL		3	/* OFLAGS() of the open file */
#define F_SETFL		4	/* changes FCNTLFLAGS bits only */
#define F_GETLK		5	/* struct flock: first conflicting lock */
#define F_SETLK		6	/* set or clear a lock, EAGAIN on conflict */
#define F_SETLKW	7	/* set a lock, waiting for conflicts */
#define F_SETOWN	8	/* pid (or -pgid) that receives SIGIO */
#define F_GETOWN	9
#define F_SETSIG	10	/* signal sent instead of SIGIO (0: SIGIO) */
#define F_GETSIG	11
#define F_SETOWN_EX	15	/* struct f_owner_ex */
#define F_GETOWN_EX	16
#define F_OFD_GETLK	36	/* locks owned by the open file description */
#define F_OFD_SETLK	37
#define F_OFD_SETLKW	38

/* Commands that only Linux has are numbered from this base. */
#define F_LINUX_SPECIFIC_BASE	1024
#define F_SETLEASE	(F_LINUX_SPECIFIC_BASE + 0)
#define F_GETLEASE	(F_LINUX_SPECIFIC_BASE + 1)
#define F_NOTIFY	(F_LINUX_SPECIFIC_BASE + 2)
#define F_DUPFD_CLOEXEC	(F_LINUX_SPECIFIC_BASE + 6)
#define F_SETPIPE_SZ	(F_LINUX_SPECIFIC_BASE + 7)	/* pipe capacity */
#define F_GETPIPE_SZ	(F_LINUX_SPECIFIC_BASE + 8)
#define F_ADD_SEALS	(F_LINUX_SPECIFIC_BASE + 9)	/* F_SEAL_* bits */
#define F_GET_SEALS	(F_LINUX_SPECIFIC_BASE + 10)

/* Seals of F_ADD_SEALS and F_GET_SEALS. */
#define F_SEAL_SEAL		0x0001	/* no more seals may be added */
#define F_SEAL_SHRINK		0x0002	/* the size may not decrease */
#define F_SEAL_GROW		0x0004	/* the size may not increase */
#define F_SEAL_WRITE		0x0008	/* no writes at all */
#define F_SEAL_FUTURE_WRITE	0x0010	/* no new writable mappings or writes */

/* Descriptor flags of F_GETFD and F_SETFD. */
#define FD_CLOEXEC	1

/* Lock types, in l_type. */
#define F_RDLCK		0
#define F_WRLCK		1
#define F_UNLCK		2

/*
 * A record lock of F_GETLK, F_SETLK and F_SETLKW and their F_OFD_
 * forms.  It has the same 32-byte layout on x86-64 and AArch64, with 4
 * bytes of padding at the end, so clear the whole structure before
 * filling it for copyout.
 */
struct flock {
	int16_t	l_type;		/* F_RDLCK, F_WRLCK or F_UNLCK */
	int16_t	l_whence;	/* SEEK_SET, SEEK_CUR or SEEK_END */
	off_t	l_start;	/* first byte, relative to l_whence */
	off_t	l_len;		/* bytes; 0: to the end, however it grows */
	pid_t	l_pid;		/* F_GETLK: holder; -1 for an OFD lock */
};
__CTASSERT(sizeof(struct flock) == 32);
__CTASSERT(offsetof(struct flock, l_start) == 8);
__CTASSERT(offsetof(struct flock, l_pid) == 24);

/* The owner of F_SETOWN_EX and F_GETOWN_EX. */
#define F_OWNER_TID	0	/* one thread */
#define F_OWNER_PID	1	/* a process */
#define F_OWNER_PGRP	2	/* a process group */

struct f_owner_ex {
	int	type;		/* F_OWNER_* */
	pid_t	pid;
};

/* flock(2) operations. */
#define LOCK_SH		1	/* shared lock */
#define LOCK_EX		2	/* exclusive lock */
#define LOCK_NB		4	/* with LOCK_SH or LOCK_EX: EWOULDBLOCK, no wait */
#define LOCK_UN		8	/* release */

/* renameat2(2) flags. */
#define RENAME_NOREPLACE	(1 << 0)	/* EEXIST if the target exists */
#define RENAME_EXCHANGE		(1 << 1)	/* swap source and target */
#define RENAME_WHITEOUT		(1 << 2)	/* leave a whiteout at the source */

/*
 * fallocate(2) modes.  The default mode allocates the range and extends
 * the size.  Only recent Linux headers name it FALLOC_FL_ALLOCATE_RANGE.
 */
#define FALLOC_FL_ALLOCATE_RANGE 0x00	/* allocate, extend the size */
#define FALLOC_FL_KEEP_SIZE	0x01	/* allocate, size unchanged */
#define FALLOC_FL_PUNCH_HOLE	0x02	/* free the range; needs KEEP_SIZE */
#define FALLOC_FL_NO_HIDE_STALE	0x04	/* reserved, rejected */
#define FALLOC_FL_COLLAPSE_RANGE 0x08	/* remove the range, shift the tail */
#define FALLOC_FL_ZERO_RANGE	0x10	/* make the range read as zeroes */
#define FALLOC_FL_INSERT_RANGE	0x20	/* insert a hole, shift the tail */
#define FALLOC_FL_UNSHARE_RANGE	0x40	/* unshare shared (reflinked) blocks */

/* lseek(2) whence values. */
#define SEEK_SET	0
#define SEEK_CUR	1
#define SEEK_END	2
#define SEEK_DATA	3	/* next data at or after the offset */
#define SEEK_HOLE	4	/* next hole at or after the offset */

/* utimensat(2): tv_nsec values that take the place of a time. */
#define UTIME_NOW	((1L << 30) - 1L)	/* set to the current time */
#define UTIME_OMIT	((1L << 30) - 2L)	/* leave unchanged */

#endif /* _SYS_FCNTL_H_ */
