/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Differential testing of the file system calls against the host.
 *
 * A sequence is a list of steps, each one system call with its arguments
 * (OPEN(slot, path, flags, mode), WRITE(fd, "data"), STAT(path), ...).
 * No step states its expected result.  Instead the sequence runs twice:
 * once in a host child process through the C library, in a fresh
 * directory under /dev/shm (tmpfs, whose semantics rumpfs follows).  The
 * second run is in a new process of the rump kernel through rump_sys_*,
 * in a fresh directory of rumpfs.  Then every step's return value and
 * errno, and the data it returned, must be the same on both sides.
 *
 * What is compared, by kind of call:
 *
 *	all		the return value, and errno when it is -1; a
 *			descriptor number too, because both sides start with
 *			exactly 0, 1 and 2 open and hand out the lowest free
 *			number
 *	read calls	the bytes read
 *	stat calls	every field of struct stat (or statx) except the
 *			device, the inode number and the times.  Times are
 *			compared by order, in stat steps that give a tag
 *			(STATT, FSTATT, LSTATT): atime against mtime and
 *			mtime against ctime in one result, and each time
 *			against the previous result with the same tag, so
 *			"write advanced mtime" must hold on both sides.  A
 *			step may ask for the exact atime or mtime, after
 *			utimensat set them.  Untagged stat steps ignore the
 *			times: tmpfs takes a coarse (clock tick) time for an
 *			update unless a stat read the times since the last
 *			one, so two updates made without a tagged stat
 *			between them may or may not get equal times.
 *	getdents64	the sorted list of names with their d_type
 *	getcwd		the path below the sequence's directory
 *	readlink	the target, with the directory's prefix removed
 *	statfs		f_namelen, the order of the block and inode counts
 *			and the read-only flag
 *	poll, select	the returned events or descriptor sets
 *
 * Paths.  A path of the table that starts with '/' is made absolute in
 * the sequence's directory (host: /dev/shm/t_diff.XXXXXX/..., rump:
 * /workN/...); after a successful CHROOT the prefix is empty.  A path
 * that starts with '^' names the second directory, on another file
 * system (host: under /tmp, rump: a second rumpfs mount), for EXDEV.
 * Relative paths are used as they are: each sequence starts with its
 * directory as the working directory.  "%N" in a path expands to a
 * component of NAME_MAX + 1 bytes, "%M" to one of NAME_MAX bytes, and
 * "%P" to 2047 "./" components (4094 bytes), so "%Pf" is the longest
 * path that fits in PATH_MAX and "%Pff" one byte too long.
 *
 * Descriptors.  Calls that return a descriptor store it in a numbered
 * slot; descriptor arguments name a slot or one of FD_CWD (AT_FDCWD),
 * FD_BAD (an unused number) and FD_NEG (-1).
 *
 * Credentials.  Both sides start as root with umask 022 and a
 * descriptor limit of 1024; BECOME_USER() switches to uid and gid 1000
 * without supplementary groups (host: setgroups, setgid, setuid in the
 * child; rump: the same calls in the sequence's own rump process).
 */

#ifndef _TESTS_VFS_H_DIFF_H_
#define _TESTS_VFS_H_DIFF_H_

#include <sys/types.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <atf-c.h>

#include <rump/rump.h>

/* The file system type of the rump kernel's second mounts. */
#define DIFF_RUMP_FSTYPE	"rumpfs"

enum diff_op {
	OP_END = 0,
	OP_OPEN, OP_OPENAT, OP_CREAT, OP_CLOSE,
	OP_READ, OP_WRITE, OP_PREAD, OP_PWRITE,
	OP_READV, OP_WRITEV, OP_PREADV, OP_PWRITEV,
	OP_LSEEK,
	OP_STAT, OP_LSTAT, OP_FSTAT, OP_FSTATAT, OP_STATX,
	OP_GETDENTS,
	OP_MKDIR, OP_MKDIRAT, OP_RMDIR, OP_UNLINK, OP_UNLINKAT,
	OP_RENAME, OP_RENAMEAT, OP_RENAMEAT2,
	OP_LINK, OP_LINKAT, OP_SYMLINK, OP_SYMLINKAT,
	OP_READLINK, OP_READLINKAT,
	OP_CHMOD, OP_FCHMOD, OP_FCHMODAT,
	OP_CHOWN, OP_FCHOWN, OP_LCHOWN, OP_FCHOWNAT,
	OP_UTIMENSAT, OP_FUTIMENS,
	OP_TRUNCATE, OP_FTRUNCATE, OP_FALLOCATE,
	OP_FSYNC, OP_FDATASYNC, OP_SYNC, OP_SYNCFS,
	OP_ACCESS, OP_FACCESSAT, OP_FACCESSAT2,
	OP_CHDIR, OP_FCHDIR, OP_GETCWD, OP_CHROOT,
	OP_MKNOD, OP_MKNODAT,
	OP_STATFS, OP_FSTATFS,
	OP_DUP, OP_DUP2, OP_DUP3, OP_FCNTL, OP_FCNTL_LK, OP_FLOCK, OP_IOCTL,
	OP_PIPE, OP_PIPE2, OP_POLL, OP_PPOLL, OP_SELECT, OP_PSELECT,
	OP_MOUNT, OP_UMOUNT,
	/* Compound steps of the harness itself. */
	OP_BECOME_USER,		/* setgroups(0), setgid(1000), setuid(1000) */
	OP_UMASK,
	OP_SYMCHAIN,		/* path0 -> path1 -> ... -> target */
	OP_FILL,		/* one write of a bytes of a pattern */
	OP_MANYFILES,		/* create files path0 .. path(a-1) */
	OP_NOPS
};

static const char *const diff_op_names[OP_NOPS] = {
	[OP_END] = "end",
	[OP_OPEN] = "open", [OP_OPENAT] = "openat", [OP_CREAT] = "creat",
	[OP_CLOSE] = "close", [OP_READ] = "read", [OP_WRITE] = "write",
	[OP_PREAD] = "pread", [OP_PWRITE] = "pwrite", [OP_READV] = "readv",
	[OP_WRITEV] = "writev", [OP_PREADV] = "preadv",
	[OP_PWRITEV] = "pwritev", [OP_LSEEK] = "lseek", [OP_STAT] = "stat",
	[OP_LSTAT] = "lstat", [OP_FSTAT] = "fstat", [OP_FSTATAT] = "fstatat",
	[OP_STATX] = "statx", [OP_GETDENTS] = "getdents64",
	[OP_MKDIR] = "mkdir", [OP_MKDIRAT] = "mkdirat", [OP_RMDIR] = "rmdir",
	[OP_UNLINK] = "unlink", [OP_UNLINKAT] = "unlinkat",
	[OP_RENAME] = "rename", [OP_RENAMEAT] = "renameat",
	[OP_RENAMEAT2] = "renameat2", [OP_LINK] = "link",
	[OP_LINKAT] = "linkat", [OP_SYMLINK] = "symlink",
	[OP_SYMLINKAT] = "symlinkat", [OP_READLINK] = "readlink",
	[OP_READLINKAT] = "readlinkat", [OP_CHMOD] = "chmod",
	[OP_FCHMOD] = "fchmod", [OP_FCHMODAT] = "fchmodat",
	[OP_CHOWN] = "chown", [OP_FCHOWN] = "fchown", [OP_LCHOWN] = "lchown",
	[OP_FCHOWNAT] = "fchownat", [OP_UTIMENSAT] = "utimensat",
	[OP_FUTIMENS] = "futimens", [OP_TRUNCATE] = "truncate",
	[OP_FTRUNCATE] = "ftruncate", [OP_FALLOCATE] = "fallocate",
	[OP_FSYNC] = "fsync", [OP_FDATASYNC] = "fdatasync", [OP_SYNC] = "sync",
	[OP_SYNCFS] = "syncfs", [OP_ACCESS] = "access",
	[OP_FACCESSAT] = "faccessat", [OP_FACCESSAT2] = "faccessat2",
	[OP_CHDIR] = "chdir", [OP_FCHDIR] = "fchdir", [OP_GETCWD] = "getcwd",
	[OP_CHROOT] = "chroot", [OP_MKNOD] = "mknod", [OP_MKNODAT] = "mknodat",
	[OP_STATFS] = "statfs", [OP_FSTATFS] = "fstatfs", [OP_DUP] = "dup",
	[OP_DUP2] = "dup2", [OP_DUP3] = "dup3", [OP_FCNTL] = "fcntl",
	[OP_FCNTL_LK] = "fcntl(lock)", [OP_FLOCK] = "flock",
	[OP_IOCTL] = "ioctl", [OP_PIPE] = "pipe", [OP_PIPE2] = "pipe2",
	[OP_POLL] = "poll", [OP_PPOLL] = "ppoll", [OP_SELECT] = "select",
	[OP_PSELECT] = "pselect", [OP_MOUNT] = "mount",
	[OP_UMOUNT] = "umount2", [OP_BECOME_USER] = "become_user",
	[OP_UMASK] = "umask", [OP_SYMCHAIN] = "symlink_chain",
	[OP_FILL] = "write_pattern", [OP_MANYFILES] = "create_files",
};

/* Descriptor arguments that are not slots. */
#define FD_CWD		(-100)		/* AT_FDCWD */
#define FD_BAD		(-101)		/* 999: never open */
#define FD_NEG		(-102)		/* -1 */
#define FD_NONE		(-103)		/* unused poll or select entry */
#define DIFF_BADFD	999

/* Time arguments of utimensat and futimens.  A value >= 0 is seconds + 0.25. */
#define TS_NOW		(-1)		/* UTIME_NOW */
#define TS_OMIT		(-2)		/* UTIME_OMIT */
#define TS_BADNS	(-3)		/* tv_nsec out of range: EINVAL */
#define TS_NSEC		250000000L

/* Extra checks of a stat step. */
#define X_ATIME		0x01		/* exact atime */
#define X_MTIME		0x02		/* exact mtime */

/* Timeouts of poll and select steps, in ms: DIFF_TMO_BAD is invalid. */
#define DIFF_TMO_BAD	(-2)

#define DIFF_NSLOTS	16
#define DIFF_NTAGS	8
#define DIFF_DATA	4096		/* output bytes kept verbatim */
#define DIFF_MAXSTEPS	128
#define DIFF_USER	1000		/* uid and gid of BECOME_USER */

struct diff_step {
	enum diff_op	 op;
	int		 slot;		/* slot that receives a descriptor */
	int		 fd, fd2;	/* descriptor arguments */
	const char	*path, *path2;
	long		 a, b, c, d, e;	/* the call's other arguments */
	int		 tag;		/* stat steps: time comparison track */
	int		 check;		/* stat steps: X_* */
};

/* Sequence flags. */
#define SEQ_XDEV	0x01		/* needs the second file system */
#define SEQ_MOUNT	0x02		/* mounts on the host (own namespace) */

struct diff_seq {
	const char		*name;
	int			 flags;
	const struct diff_step	*steps;
};

/* The table's step constructors, one per call. */
#define S_(...)		{ __VA_ARGS__ }
#define END()		S_(.op = OP_END)
#define OPEN(s, p, fl, m) S_(.op = OP_OPEN, .slot = (s), .path = (p), \
	.a = (fl), .b = (m))
#define OPENAT(s, dfd, p, fl, m) S_(.op = OP_OPENAT, .slot = (s), \
	.fd = (dfd), .path = (p), .a = (fl), .b = (m))
#define CREAT(s, p, m)	S_(.op = OP_CREAT, .slot = (s), .path = (p), .b = (m))
#define CLOSE(f)	S_(.op = OP_CLOSE, .fd = (f))
#define READ(f, n)	S_(.op = OP_READ, .fd = (f), .a = (n))
#define WRITEN(f, s, n)	S_(.op = OP_WRITE, .fd = (f), .path = (s), .a = (n))
#define WRITE(f, s)	WRITEN(f, s, sizeof(s) - 1)
#define PREAD(f, n, off) S_(.op = OP_PREAD, .fd = (f), .a = (n), .e = (off))
#define PWRITE(f, s, off) S_(.op = OP_PWRITE, .fd = (f), .path = (s), \
	.a = sizeof(s) - 1, .e = (off))
#define READV(f, cnt, n1, n2, n3) S_(.op = OP_READV, .fd = (f), .a = (cnt), \
	.b = (n1), .c = (n2), .d = (n3))
#define WRITEV(f, s, cnt) S_(.op = OP_WRITEV, .fd = (f), .path = (s), \
	.a = (cnt))
#define PREADV(f, cnt, n1, n2, off) S_(.op = OP_PREADV, .fd = (f), \
	.a = (cnt), .b = (n1), .c = (n2), .e = (off))
#define PWRITEV(f, s, off) S_(.op = OP_PWRITEV, .fd = (f), .path = (s), \
	.e = (off))
#define LSEEK(f, off, wh) S_(.op = OP_LSEEK, .fd = (f), .a = (off), .b = (wh))
#define STAT(p)		S_(.op = OP_STAT, .path = (p))
#define STATT(p, t, x)	S_(.op = OP_STAT, .path = (p), .tag = (t), .check = (x))
#define LSTAT(p)	S_(.op = OP_LSTAT, .path = (p))
#define LSTATT(p, t, x)	S_(.op = OP_LSTAT, .path = (p), .tag = (t), \
	.check = (x))
#define FSTAT(f)	S_(.op = OP_FSTAT, .fd = (f))
#define FSTATT(f, t, x)	S_(.op = OP_FSTAT, .fd = (f), .tag = (t), .check = (x))
#define FSTATAT(dfd, p, fl) S_(.op = OP_FSTATAT, .fd = (dfd), .path = (p), \
	.a = (fl))
#define STATX(dfd, p, fl, mask) S_(.op = OP_STATX, .fd = (dfd), .path = (p), \
	.a = (fl), .b = (mask))
#define GETDENTS(f, size) S_(.op = OP_GETDENTS, .fd = (f), .a = (size))
#define MKDIR(p, m)	S_(.op = OP_MKDIR, .path = (p), .b = (m))
#define MKDIRAT(dfd, p, m) S_(.op = OP_MKDIRAT, .fd = (dfd), .path = (p), \
	.b = (m))
#define RMDIR(p)	S_(.op = OP_RMDIR, .path = (p))
#define UNLINK(p)	S_(.op = OP_UNLINK, .path = (p))
#define UNLINKAT(dfd, p, fl) S_(.op = OP_UNLINKAT, .fd = (dfd), .path = (p), \
	.a = (fl))
#define RENAME(p, p2)	S_(.op = OP_RENAME, .path = (p), .path2 = (p2))
#define RENAMEAT(dfd, p, dfd2, p2) S_(.op = OP_RENAMEAT, .fd = (dfd), \
	.path = (p), .fd2 = (dfd2), .path2 = (p2))
#define RENAMEAT2(dfd, p, dfd2, p2, fl) S_(.op = OP_RENAMEAT2, .fd = (dfd), \
	.path = (p), .fd2 = (dfd2), .path2 = (p2), .a = (fl))
#define LINK(p, p2)	S_(.op = OP_LINK, .path = (p), .path2 = (p2))
#define LINKAT(dfd, p, dfd2, p2, fl) S_(.op = OP_LINKAT, .fd = (dfd), \
	.path = (p), .fd2 = (dfd2), .path2 = (p2), .a = (fl))
#define SYMLINK(t, p2)	S_(.op = OP_SYMLINK, .path = (t), .path2 = (p2))
#define SYMLINKAT(t, dfd2, p2) S_(.op = OP_SYMLINKAT, .path = (t), \
	.fd2 = (dfd2), .path2 = (p2))
#define READLINK(p, n)	S_(.op = OP_READLINK, .path = (p), .a = (n))
#define READLINKAT(dfd, p, n) S_(.op = OP_READLINKAT, .fd = (dfd), \
	.path = (p), .a = (n))
#define CHMOD(p, m)	S_(.op = OP_CHMOD, .path = (p), .b = (m))
#define FCHMOD(f, m)	S_(.op = OP_FCHMOD, .fd = (f), .b = (m))
#define FCHMODAT(dfd, p, m, fl) S_(.op = OP_FCHMODAT, .fd = (dfd), \
	.path = (p), .b = (m), .a = (fl))
#define CHOWN(p, u, g)	S_(.op = OP_CHOWN, .path = (p), .b = (u), .c = (g))
#define FCHOWN(f, u, g)	S_(.op = OP_FCHOWN, .fd = (f), .b = (u), .c = (g))
#define LCHOWN(p, u, g)	S_(.op = OP_LCHOWN, .path = (p), .b = (u), .c = (g))
#define FCHOWNAT(dfd, p, u, g, fl) S_(.op = OP_FCHOWNAT, .fd = (dfd), \
	.path = (p), .b = (u), .c = (g), .a = (fl))
#define UTIMENSAT(dfd, p, at, mt, fl) S_(.op = OP_UTIMENSAT, .fd = (dfd), \
	.path = (p), .b = (at), .c = (mt), .a = (fl))
#define UTIMENSAT_NULL(dfd, p, fl) S_(.op = OP_UTIMENSAT, .fd = (dfd), \
	.path = (p), .a = (fl), .d = 1)
#define FUTIMENS(f, at, mt) S_(.op = OP_FUTIMENS, .fd = (f), .b = (at), \
	.c = (mt))
#define FUTIMENS_NULL(f) S_(.op = OP_FUTIMENS, .fd = (f), .d = 1)
#define TRUNCATE(p, len) S_(.op = OP_TRUNCATE, .path = (p), .a = (len))
#define FTRUNCATE(f, len) S_(.op = OP_FTRUNCATE, .fd = (f), .a = (len))
#define FALLOCATE(f, m, off, len) S_(.op = OP_FALLOCATE, .fd = (f), \
	.a = (m), .b = (off), .c = (len))
#define FSYNC(f)	S_(.op = OP_FSYNC, .fd = (f))
#define FDATASYNC(f)	S_(.op = OP_FDATASYNC, .fd = (f))
#define SYNC()		S_(.op = OP_SYNC)
#define SYNCFS(f)	S_(.op = OP_SYNCFS, .fd = (f))
#define ACCESS(p, m)	S_(.op = OP_ACCESS, .path = (p), .a = (m))
#define FACCESSAT(dfd, p, m, fl) S_(.op = OP_FACCESSAT, .fd = (dfd), \
	.path = (p), .a = (m), .b = (fl))
#define FACCESSAT2(dfd, p, m, fl) S_(.op = OP_FACCESSAT2, .fd = (dfd), \
	.path = (p), .a = (m), .b = (fl))
#define CHDIR(p)	S_(.op = OP_CHDIR, .path = (p))
#define FCHDIR(f)	S_(.op = OP_FCHDIR, .fd = (f))
#define GETCWD(size)	S_(.op = OP_GETCWD, .a = (size))
#define CHROOT(p)	S_(.op = OP_CHROOT, .path = (p))
#define MKNOD(p, m, dev) S_(.op = OP_MKNOD, .path = (p), .b = (m), .c = (dev))
#define MKNODAT(dfd, p, m, dev) S_(.op = OP_MKNODAT, .fd = (dfd), \
	.path = (p), .b = (m), .c = (dev))
#define STATFS(p)	S_(.op = OP_STATFS, .path = (p))
#define FSTATFS(f)	S_(.op = OP_FSTATFS, .fd = (f))
#define DUP(s, f)	S_(.op = OP_DUP, .slot = (s), .fd = (f))
#define DUP2(s, f, nfd)	S_(.op = OP_DUP2, .slot = (s), .fd = (f), .a = (nfd))
#define DUP3(s, f, nfd, fl) S_(.op = OP_DUP3, .slot = (s), .fd = (f), \
	.a = (nfd), .b = (fl))
/* fcntl with an integer argument.  F_DUPFD results go to slot s. */
#define FCNTL(s, f, cmd, arg) S_(.op = OP_FCNTL, .slot = (s), .fd = (f), \
	.a = (cmd), .b = (arg))
/* fcntl with a struct flock: type, start and length from SEEK_SET. */
#define FCNTL_LK(f, cmd, type, start, len) S_(.op = OP_FCNTL_LK, .fd = (f), \
	.a = (cmd), .b = (type), .c = (start), .d = (len))
#define FLOCK(f, how)	S_(.op = OP_FLOCK, .fd = (f), .a = (how))
#define IOCTL(f, req, val) S_(.op = OP_IOCTL, .fd = (f), .a = (long)(req), \
	.b = (val))
#define PIPE(s)		S_(.op = OP_PIPE, .slot = (s))
#define PIPE2(s, fl)	S_(.op = OP_PIPE2, .slot = (s), .a = (fl))
/* Poll up to two descriptors.  n is nfds, and entries past two are -1. */
#define POLL(n, f, ev, f2, ev2, tmo) S_(.op = OP_POLL, .a = (n), .fd = (f), \
	.b = (ev), .fd2 = (f2), .c = (ev2), .d = (tmo))
#define PPOLL(n, f, ev, f2, ev2, tmo) S_(.op = OP_PPOLL, .a = (n), \
	.fd = (f), .b = (ev), .fd2 = (f2), .c = (ev2), .d = (tmo))
/* Select on a read and a write descriptor.  n 0 means highest + 1. */
#define SELECT(n, rf, wf, tmo) S_(.op = OP_SELECT, .a = (n), .fd = (rf), \
	.fd2 = (wf), .d = (tmo))
#define PSELECT(n, rf, wf, tmo) S_(.op = OP_PSELECT, .a = (n), .fd = (rf), \
	.fd2 = (wf), .d = (tmo))
#define MOUNT(p, fl)	S_(.op = OP_MOUNT, .path = (p), .a = (fl))
#define UMOUNT(p, fl)	S_(.op = OP_UMOUNT, .path = (p), .a = (fl))
#define BECOME_USER()	S_(.op = OP_BECOME_USER)
#define UMASK(m)	S_(.op = OP_UMASK, .a = (m))
#define SYMCHAIN(p, n, t) S_(.op = OP_SYMCHAIN, .path = (p), .a = (n), \
	.path2 = (t))
#define FILL(f, n)	S_(.op = OP_FILL, .fd = (f), .a = (n))
#define MANYFILES(p, n)	S_(.op = OP_MANYFILES, .path = (p), .a = (n))

#define SEQ(nm, fl, ...) { .name = (nm), .flags = (fl), \
	.steps = (const struct diff_step[]){ __VA_ARGS__, END() } }

/* ------------------------------------------------------------------ */
/* Results. */

/* The comparable part of a struct stat or struct statx. */
struct diff_stat {
	bool		 statx;
	uint32_t	 mask;		/* statx: stx_mask */
	uint64_t	 attrmask;	/* statx: stx_attributes_mask */
	uint64_t	 attr;		/* statx: stx_attributes */
	uint32_t	 mode;
	uint64_t	 nlink;
	uint32_t	 uid, gid;
	uint64_t	 rdev;
	int64_t		 size, blocks, blksize;
	int64_t		 atime, mtime, ctime, btime;	/* ns since the epoch */
};

struct diff_result {
	long		 rv;
	int		 err;		/* errno when rv is -1 */
	bool		 has_stat;
	struct diff_stat st;
	size_t		 len;		/* output bytes, all of them */
	uint32_t	 sum;		/* checksum of all output bytes */
	char		 data[DIFF_DATA];	/* the first DIFF_DATA of them */
};

/* What a host child reports besides the results. */
struct diff_hostrun {
	int		 setup_err;	/* errno of a failed setup step */
	char		 setup_what[64];
	struct diff_result res[DIFF_MAXSTEPS];
};

enum diff_side { SIDE_HOST, SIDE_RUMP };

struct diff_state {
	enum diff_side	 side;
	char		 prefix[PATH_MAX];	/* replaces a leading '/' */
	char		 prefix2[PATH_MAX];	/* replaces a leading '^' */
	char		 base[PATH_MAX];	/* getcwd and readlink strip it */
	int		 slot[DIFF_NSLOTS];
	char		 pathbuf[2][3 * PATH_MAX];
	char		 iobuf[3 * PATH_MAX];
};

/* The big buffer of FILL steps and reads, shared by both sides. */
static char diff_bigbuf[1 << 20];

static uint32_t
diff_checksum(const void *p, size_t n)
{
	const unsigned char *c = p;
	uint32_t h = 2166136261u;	/* FNV-1a */
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ c[i]) * 16777619u;
	return h;
}

static void
diff_setdata(struct diff_result *r, const void *p, size_t n)
{

	r->len = n;
	r->sum = diff_checksum(p, n);
	memcpy(r->data, p, n < DIFF_DATA ? n : DIFF_DATA);
}

static void
diff_settext(struct diff_result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
diff_settext(struct diff_result *r, const char *fmt, ...)
{
	char buf[DIFF_DATA];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	diff_setdata(r, buf, (size_t)n);
}

/* ------------------------------------------------------------------ */
/* Running one step. */

/* Expand a table path into buf (see "Paths" above). */
static const char *
diff_path(struct diff_state *st, const char *p, int which)
{
	char *buf = st->pathbuf[which];
	size_t n = 0, cap = sizeof(st->pathbuf[which]);
	const char *pre = NULL;
	int i;

	if (p == NULL)
		return NULL;
	if (p[0] == '/')
		pre = st->prefix;
	else if (p[0] == '^') {
		pre = st->prefix2;
		p++;
	}
	if (pre != NULL) {
		n = strlen(pre);
		memcpy(buf, pre, n);
	}
	for (; *p != '\0' && n < cap - PATH_MAX; p++) {
		if (p[0] == '%' && (p[1] == 'N' || p[1] == 'M')) {
			for (i = 0; i < NAME_MAX + (p[1] == 'N'); i++)
				buf[n++] = 'n';
			p++;
		} else if (p[0] == '%' && p[1] == 'P') {
			for (i = 0; i < 2047; i++) {
				buf[n++] = '.';
				buf[n++] = '/';
			}
			p++;
		} else
			buf[n++] = *p;
	}
	buf[n] = '\0';
	return buf;
}

static int
diff_fd(const struct diff_state *st, int v)
{

	if (v >= 0 && v < DIFF_NSLOTS)
		return st->slot[v];
	switch (v) {
	case FD_CWD:
		return AT_FDCWD;
	case FD_BAD:
		return DIFF_BADFD;
	default:
		return -1;
	}
}

static void
diff_timespec(struct timespec *ts, long v)
{

	ts->tv_sec = v >= 0 ? v : 0;
	switch (v) {
	case TS_NOW:
		ts->tv_nsec = UTIME_NOW;
		break;
	case TS_OMIT:
		ts->tv_nsec = UTIME_OMIT;
		break;
	case TS_BADNS:
		ts->tv_nsec = 1000000000L;
		break;
	default:
		ts->tv_nsec = TS_NSEC;
	}
}

static int64_t
diff_ns(const struct timespec *ts)
{

	return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

static void
diff_keepstat(struct diff_result *r, const struct stat *sb)
{
	struct diff_stat *d = &r->st;

	r->has_stat = true;
	memset(d, 0, sizeof(*d));
	d->mode = sb->st_mode;
	d->nlink = sb->st_nlink;
	d->uid = sb->st_uid;
	d->gid = sb->st_gid;
	d->rdev = sb->st_rdev;
	d->size = sb->st_size;
	d->blocks = sb->st_blocks;
	d->blksize = sb->st_blksize;
	d->atime = diff_ns(&sb->st_atim);
	d->mtime = diff_ns(&sb->st_mtim);
	d->ctime = diff_ns(&sb->st_ctim);
}

static int64_t
diff_sxns(const struct statx_timestamp *t)
{

	return (int64_t)t->tv_sec * 1000000000 + t->tv_nsec;
}

/* The statx fields compared: the basic ones, and btime, which tmpfs has. */
#define DIFF_STATX_MASK		(STATX_BASIC_STATS | STATX_BTIME)
#define DIFF_STATX_ATTRS	STATX_ATTR_MOUNT_ROOT

static void
diff_keepstatx(struct diff_result *r, const struct statx *sx)
{
	struct diff_stat *d = &r->st;

	r->has_stat = true;
	memset(d, 0, sizeof(*d));
	d->statx = true;
	d->mask = sx->stx_mask & DIFF_STATX_MASK;
	d->attrmask = sx->stx_attributes_mask & DIFF_STATX_ATTRS;
	d->attr = sx->stx_attributes & DIFF_STATX_ATTRS;
	d->mode = sx->stx_mode;
	d->nlink = sx->stx_nlink;
	d->uid = sx->stx_uid;
	d->gid = sx->stx_gid;
	d->rdev = makedev(sx->stx_rdev_major, sx->stx_rdev_minor);
	d->size = (int64_t)sx->stx_size;
	d->blocks = (int64_t)sx->stx_blocks;
	d->blksize = sx->stx_blksize;
	d->atime = diff_sxns(&sx->stx_atime);
	d->mtime = diff_sxns(&sx->stx_mtime);
	d->ctime = diff_sxns(&sx->stx_ctime);
	d->btime = (sx->stx_mask & STATX_BTIME) ? diff_sxns(&sx->stx_btime) : 0;
}

/* The record layout of getdents64, the same on both sides. */
struct diff_dirent64 {
	uint64_t	 d_ino;
	int64_t		 d_off;
	unsigned short	 d_reclen;
	unsigned char	 d_type;
	char		 d_name[];
};

static int
diff_strcmp(const void *a, const void *b)
{

	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Read a whole directory with buffers of size bytes and keep the sorted
 * "name type" lines.  Returns the number of entries, or -1 with errno.
 */
static long
diff_getdents(struct diff_state *st, int fd, size_t size,
    struct diff_result *r)
{
	static char *names[8192];
	static char text[65536];
	static char out[65536];
	struct diff_dirent64 *de;
	char *buf = diff_bigbuf;
	size_t nnames = 0, tlen = 0, olen = 0, i;
	long n, off;
	int err = 0;

	if (size > sizeof(diff_bigbuf))
		size = sizeof(diff_bigbuf);
	for (;;) {
		if (st->side == SIDE_HOST)
			n = getdents64(fd, buf, size);
		else
			n = rump_sys_getdents64(fd, buf, size);
		if (n == -1)
			err = errno;
		if (n <= 0)
			break;
		for (off = 0; off < n; off += de->d_reclen) {
			de = (struct diff_dirent64 *)(buf + off);
			if (de->d_reclen <
			    offsetof(struct diff_dirent64, d_name) + 2 ||
			    off + de->d_reclen > n || nnames == 8192) {
				/* A malformed record: report it as EIO. */
				err = EIO;
				break;
			}
			if (tlen + strlen(de->d_name) + 8 < sizeof(text)) {
				names[nnames++] = text + tlen;
				tlen += (size_t)snprintf(text + tlen,
				    sizeof(text) - tlen, "%s %u", de->d_name,
				    de->d_type) + 1;
			}
		}
		if (err != 0)
			break;
	}
	qsort(names, nnames, sizeof(names[0]), diff_strcmp);
	for (i = 0; i < nnames && olen < sizeof(out) - 1; i++)
		olen += (size_t)snprintf(out + olen, sizeof(out) - olen,
		    "%s\n", names[i]);
	if (olen > sizeof(out) - 1)
		olen = sizeof(out) - 1;
	diff_setdata(r, out, olen);
	if (err != 0) {
		errno = err;
		return -1;
	}
	return (long)nnames;
}

/* Keep a path that the call returned, relative to the sequence's base. */
static long
diff_keeppath(struct diff_state *st, struct diff_result *r, const char *p,
    size_t len, bool is_cwd)
{
	size_t blen = strlen(st->base);

	if (blen > 0 && len >= blen && strncmp(p, st->base, blen) == 0 &&
	    (len == blen || p[blen] == '/')) {
		if (len == blen && is_cwd)
			diff_setdata(r, "/", 1);
		else
			diff_setdata(r, p + blen, len - blen);
		return (long)(len - blen);
	}
	diff_setdata(r, p, len);
	return (long)len;
}

/* Set up the iovecs of a vector step: explicit sizes, then 1-byte ones. */
static int
diff_iovecs(const struct diff_step *sp, struct iovec *iov, int max,
    bool writing, char *store)
{
	const char *s = sp->path;
	int n = 0, cnt = (int)sp->a;
	size_t used = 0;

	if (writing) {
		/* "ab|cde" is two vectors, and a larger count adds 1-byte ones. */
		while (s != NULL && n < max) {
			const char *bar = strchr(s, '|');
			size_t len = bar != NULL ? (size_t)(bar - s) : strlen(s);

			memcpy(store + used, s, len);
			iov[n].iov_base = store + used;
			iov[n].iov_len = len;
			used += len;
			n++;
			s = bar != NULL ? bar + 1 : NULL;
		}
		if (cnt == 0)
			cnt = n;
	} else {
		long sizes[3] = { sp->b, sp->c, sp->d };

		for (n = 0; n < 3 && n < cnt && n < max; n++) {
			iov[n].iov_base = store + used;
			iov[n].iov_len = (size_t)sizes[n];
			used += (size_t)sizes[n];
		}
	}
	for (; n < cnt && n < max; n++) {
		store[used] = 'v';
		iov[n].iov_base = store + used;
		iov[n].iov_len = 1;
		used++;
	}
	return cnt;
}

static void
diff_keeppoll(struct diff_result *r, const struct pollfd *p, int n)
{
	char text[64];
	size_t len = 0;
	int i;

	for (i = 0; i < n && i < 2; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len,
		    "%s%#x", i ? " " : "", p[i].revents);
	diff_setdata(r, text, len);
}

/* Mount a new file system at p: tmpfs on the host, rumpfs in the kernel. */
static int
diff_mount(struct diff_state *st, const char *p, unsigned long flags)
{

	if (st->side == SIDE_HOST)
		return mount("tmpfs", p, "tmpfs", flags, NULL);
	return rump_sys_mount(DIFF_RUMP_FSTYPE, p, DIFF_RUMP_FSTYPE, flags,
	    NULL);
}

static int
diff_become_user(struct diff_state *st)
{

	if (st->side == SIDE_HOST) {
		if (setgroups(0, NULL) == -1 || setgid(DIFF_USER) == -1 ||
		    setuid(DIFF_USER) == -1)
			return -1;
		return 0;
	}
	if (rump_sys_setgroups(0, NULL) == -1 ||
	    rump_sys_setgid(DIFF_USER) == -1 ||
	    rump_sys_setuid(DIFF_USER) == -1)
		return -1;
	return 0;
}

/* The same call on either side. */
#define SYS(name, ...) (host ? (long)name(__VA_ARGS__) : \
	(long)rump_sys_##name(__VA_ARGS__))

/* Run step sp on st's side and store what it returned in r. */
static void
diff_step_run(struct diff_state *st, const struct diff_step *sp,
    struct diff_result *r)
{
	const bool host = st->side == SIDE_HOST;
	const char *p = diff_path(st, sp->path, 0);
	const char *p2 = diff_path(st, sp->path2, 1);
	int fd = diff_fd(st, sp->fd), fd2 = diff_fd(st, sp->fd2);
	struct iovec iov[1100];
	struct timespec ts[2], tmo;
	struct timeval tv;
	struct pollfd pfd[2048];
	struct stat sb;
	struct statx sx;
	struct statfs sfs;
	struct flock fl;
	fd_set rset, wset;
	int fds[2], ival, cnt, i, maxfd;
	char name[PATH_MAX];
	long rv = -1;
	char *s;

	memset(r, 0, sizeof(*r));
	errno = 0;
	switch (sp->op) {
	case OP_END:
	case OP_NOPS:
		rv = 0;
		break;
	case OP_OPEN:
		rv = SYS(open, p, (int)sp->a, (mode_t)sp->b);
		break;
	case OP_OPENAT:
		rv = SYS(openat, fd, p, (int)sp->a, (mode_t)sp->b);
		break;
	case OP_CREAT:
		rv = SYS(creat, p, (mode_t)sp->b);
		break;
	case OP_CLOSE:
		rv = SYS(close, fd);
		break;
	case OP_READ:
	case OP_PREAD:
		if (sp->op == OP_READ)
			rv = SYS(read, fd, diff_bigbuf, (size_t)sp->a);
		else
			rv = SYS(pread, fd, diff_bigbuf, (size_t)sp->a,
			    (off_t)sp->e);
		if (rv > 0)
			diff_setdata(r, diff_bigbuf, (size_t)rv);
		break;
	case OP_WRITE:
		rv = SYS(write, fd, sp->path, (size_t)sp->a);
		break;
	case OP_PWRITE:
		rv = SYS(pwrite, fd, sp->path, (size_t)sp->a, (off_t)sp->e);
		break;
	case OP_READV:
	case OP_PREADV:
		cnt = diff_iovecs(sp, iov, 1100, false, diff_bigbuf);
		if (sp->op == OP_READV)
			rv = SYS(readv, fd, iov, cnt);
		else
			rv = SYS(preadv, fd, iov, cnt, (off_t)sp->e);
		if (rv > 0)
			diff_setdata(r, diff_bigbuf, (size_t)rv);
		break;
	case OP_WRITEV:
	case OP_PWRITEV:
		cnt = diff_iovecs(sp, iov, 1100, true, diff_bigbuf);
		if (sp->op == OP_WRITEV)
			rv = SYS(writev, fd, iov, cnt);
		else
			rv = SYS(pwritev, fd, iov, cnt, (off_t)sp->e);
		break;
	case OP_LSEEK:
		rv = SYS(lseek, fd, (off_t)sp->a, (int)sp->b);
		break;
	case OP_STAT:
	case OP_LSTAT:
	case OP_FSTAT:
	case OP_FSTATAT:
		if (sp->op == OP_STAT)
			rv = SYS(stat, p, &sb);
		else if (sp->op == OP_LSTAT)
			rv = SYS(lstat, p, &sb);
		else if (sp->op == OP_FSTAT)
			rv = SYS(fstat, fd, &sb);
		else
			rv = SYS(fstatat, fd, p, &sb, (int)sp->a);
		if (rv == 0)
			diff_keepstat(r, &sb);
		break;
	case OP_STATX:
		rv = SYS(statx, fd, p, (int)sp->a, (unsigned)sp->b, &sx);
		if (rv == 0)
			diff_keepstatx(r, &sx);
		break;
	case OP_GETDENTS:
		rv = diff_getdents(st, fd, (size_t)sp->a, r);
		break;
	case OP_MKDIR:
		rv = SYS(mkdir, p, (mode_t)sp->b);
		break;
	case OP_MKDIRAT:
		rv = SYS(mkdirat, fd, p, (mode_t)sp->b);
		break;
	case OP_RMDIR:
		rv = SYS(rmdir, p);
		break;
	case OP_UNLINK:
		rv = SYS(unlink, p);
		break;
	case OP_UNLINKAT:
		rv = SYS(unlinkat, fd, p, (int)sp->a);
		break;
	case OP_RENAME:
		rv = SYS(rename, p, p2);
		break;
	case OP_RENAMEAT:
		rv = SYS(renameat, fd, p, fd2, p2);
		break;
	case OP_RENAMEAT2:
		rv = SYS(renameat2, fd, p, fd2, p2, (unsigned)sp->a);
		break;
	case OP_LINK:
		rv = SYS(link, p, p2);
		break;
	case OP_LINKAT:
		rv = SYS(linkat, fd, p, fd2, p2, (int)sp->a);
		break;
	case OP_SYMLINK:
		rv = SYS(symlink, p, p2);
		break;
	case OP_SYMLINKAT:
		rv = SYS(symlinkat, p, fd2, p2);
		break;
	case OP_READLINK:
	case OP_READLINKAT:
		if (sp->op == OP_READLINK)
			rv = SYS(readlink, p, st->iobuf, (size_t)sp->a);
		else
			rv = SYS(readlinkat, fd, p, st->iobuf, (size_t)sp->a);
		if (rv >= 0)
			rv = diff_keeppath(st, r, st->iobuf, (size_t)rv, false);
		break;
	case OP_CHMOD:
		rv = SYS(chmod, p, (mode_t)sp->b);
		break;
	case OP_FCHMOD:
		rv = SYS(fchmod, fd, (mode_t)sp->b);
		break;
	case OP_FCHMODAT:
		rv = SYS(fchmodat, fd, p, (mode_t)sp->b, (int)sp->a);
		break;
	case OP_CHOWN:
		rv = SYS(chown, p, (uid_t)sp->b, (gid_t)sp->c);
		break;
	case OP_FCHOWN:
		rv = SYS(fchown, fd, (uid_t)sp->b, (gid_t)sp->c);
		break;
	case OP_LCHOWN:
		rv = SYS(lchown, p, (uid_t)sp->b, (gid_t)sp->c);
		break;
	case OP_FCHOWNAT:
		rv = SYS(fchownat, fd, p, (uid_t)sp->b, (gid_t)sp->c,
		    (int)sp->a);
		break;
	case OP_UTIMENSAT:
	case OP_FUTIMENS:
		diff_timespec(&ts[0], sp->b);
		diff_timespec(&ts[1], sp->c);
		if (sp->op == OP_UTIMENSAT)
			rv = SYS(utimensat, fd, p, sp->d ? NULL : ts,
			    (int)sp->a);
		else
			rv = SYS(futimens, fd, sp->d ? NULL : ts);
		break;
	case OP_TRUNCATE:
		rv = SYS(truncate, p, (off_t)sp->a);
		break;
	case OP_FTRUNCATE:
		rv = SYS(ftruncate, fd, (off_t)sp->a);
		break;
	case OP_FALLOCATE:
		rv = SYS(fallocate, fd, (int)sp->a, (off_t)sp->b,
		    (off_t)sp->c);
		break;
	case OP_FSYNC:
		rv = SYS(fsync, fd);
		break;
	case OP_FDATASYNC:
		rv = SYS(fdatasync, fd);
		break;
	case OP_SYNC:
		if (host)
			sync();
		else
			rump_sys_sync();
		rv = 0;
		break;
	case OP_SYNCFS:
		rv = SYS(syncfs, fd);
		break;
	case OP_ACCESS:
		rv = SYS(access, p, (int)sp->a);
		break;
	case OP_FACCESSAT:
		rv = SYS(faccessat, fd, p, (int)sp->a, (int)sp->b);
		break;
	case OP_FACCESSAT2:
		/* glibc 2.36 has no faccessat2 function. */
		if (host)
			rv = syscall(SYS_faccessat2, fd, p, (int)sp->a,
			    (int)sp->b);
		else
			rv = rump_sys_faccessat2(fd, p, (int)sp->a,
			    (int)sp->b);
		break;
	case OP_CHDIR:
		rv = SYS(chdir, p);
		break;
	case OP_FCHDIR:
		rv = SYS(fchdir, fd);
		break;
	case OP_GETCWD:
		if (host)
			s = getcwd(st->iobuf, (size_t)sp->a);
		else
			s = rump_sys_getcwd(st->iobuf, (size_t)sp->a);
		rv = s == NULL ? -1 : 0;
		if (s != NULL)
			(void)diff_keeppath(st, r, s, strlen(s), true);
		break;
	case OP_CHROOT:
		rv = SYS(chroot, p);
		if (rv == 0) {
			/* Inside, table paths are used as they are. */
			st->prefix[0] = '\0';
			st->base[0] = '\0';
		}
		break;
	case OP_MKNOD:
		rv = SYS(mknod, p, (mode_t)sp->b, (dev_t)sp->c);
		break;
	case OP_MKNODAT:
		rv = SYS(mknodat, fd, p, (mode_t)sp->b, (dev_t)sp->c);
		break;
	case OP_STATFS:
	case OP_FSTATFS:
		if (sp->op == OP_STATFS)
			rv = SYS(statfs, p, &sfs);
		else
			rv = SYS(fstatfs, fd, &sfs);
		if (rv == 0)
			diff_settext(r, "namelen %ld, counts ordered %d, "
			    "read-only %d", (long)sfs.f_namelen,
			    sfs.f_bavail <= sfs.f_bfree &&
			    sfs.f_bfree <= sfs.f_blocks &&
			    sfs.f_ffree <= sfs.f_files,
			    (sfs.f_flags & ST_RDONLY) != 0);
		break;
	case OP_DUP:
		rv = SYS(dup, fd);
		break;
	case OP_DUP2:
		rv = SYS(dup2, fd, (int)sp->a);
		break;
	case OP_DUP3:
		rv = SYS(dup3, fd, (int)sp->a, (int)sp->b);
		break;
	case OP_FCNTL:
		rv = SYS(fcntl, fd, (int)sp->a, sp->b);
		break;
	case OP_FCNTL_LK:
		memset(&fl, 0, sizeof(fl));
		fl.l_type = (short)sp->b;
		fl.l_whence = SEEK_SET;
		fl.l_start = sp->c;
		fl.l_len = sp->d;
		rv = SYS(fcntl, fd, (int)sp->a, &fl);
		if (rv != -1)
			diff_settext(r, "type %d whence %d start %ld len %ld",
			    fl.l_type, fl.l_whence, (long)fl.l_start,
			    (long)fl.l_len);
		break;
	case OP_FLOCK:
		rv = SYS(flock, fd, (int)sp->a);
		break;
	case OP_IOCTL:
		ival = (int)sp->b;
		if ((unsigned long)sp->a == FIOCLEX ||
		    (unsigned long)sp->a == FIONCLEX)
			rv = SYS(ioctl, fd, (unsigned long)sp->a);
		else if ((unsigned long)sp->a == FIONREAD ||
		    (unsigned long)sp->a == FIONBIO)
			rv = SYS(ioctl, fd, (unsigned long)sp->a, &ival);
		else {
			/* Unknown to the file: a zeroed buffer as argument. */
			memset(st->iobuf, 0, 256);
			rv = SYS(ioctl, fd, (unsigned long)sp->a, st->iobuf);
		}
		if (rv != -1 && (unsigned long)sp->a == FIONREAD)
			diff_settext(r, "%d", ival);
		break;
	case OP_PIPE:
	case OP_PIPE2:
		if (sp->op == OP_PIPE)
			rv = SYS(pipe, fds);
		else
			rv = SYS(pipe2, fds, (int)sp->a);
		if (rv == 0) {
			st->slot[sp->slot] = fds[0];
			st->slot[sp->slot + 1] = fds[1];
			diff_settext(r, "%d %d", fds[0], fds[1]);
		}
		break;
	case OP_POLL:
	case OP_PPOLL:
		for (i = 0; i < 2048; i++) {
			pfd[i].fd = -1;
			pfd[i].events = 0;
			pfd[i].revents = 0;
		}
		pfd[0].fd = fd;
		pfd[0].events = (short)sp->b;
		pfd[1].fd = fd2;
		pfd[1].events = (short)sp->c;
		if (sp->op == OP_POLL)
			rv = SYS(poll, pfd, (nfds_t)sp->a, (int)sp->d);
		else {
			tmo.tv_sec = sp->d / 1000;
			tmo.tv_nsec = sp->d == DIFF_TMO_BAD ? -1 :
			    (sp->d % 1000) * 1000000;
			if (sp->d == DIFF_TMO_BAD)
				tmo.tv_sec = 0;
			rv = SYS(ppoll, pfd, (nfds_t)sp->a, &tmo, NULL);
		}
		if (rv >= 0)
			diff_keeppoll(r, pfd, (int)sp->a);
		break;
	case OP_SELECT:
	case OP_PSELECT:
		FD_ZERO(&rset);
		FD_ZERO(&wset);
		maxfd = -1;
		if (sp->fd != FD_NONE && fd >= 0 && fd < FD_SETSIZE) {
			FD_SET(fd, &rset);
			maxfd = fd;
		}
		if (sp->fd2 != FD_NONE && fd2 >= 0 && fd2 < FD_SETSIZE) {
			FD_SET(fd2, &wset);
			if (fd2 > maxfd)
				maxfd = fd2;
		}
		cnt = sp->a != 0 ? (int)sp->a : maxfd + 1;
		if (sp->op == OP_SELECT) {
			tv.tv_sec = sp->d == DIFF_TMO_BAD ? 0 : sp->d / 1000;
			tv.tv_usec = sp->d == DIFF_TMO_BAD ? -1 :
			    (sp->d % 1000) * 1000;
			rv = SYS(select, cnt, &rset, &wset, NULL, &tv);
		} else {
			tmo.tv_sec = sp->d == DIFF_TMO_BAD ? 0 : sp->d / 1000;
			tmo.tv_nsec = sp->d == DIFF_TMO_BAD ? -1 :
			    (sp->d % 1000) * 1000000;
			rv = SYS(pselect, cnt, &rset, &wset, NULL, &tmo, NULL);
		}
		if (rv >= 0)
			diff_settext(r, "read %d write %d",
			    fd >= 0 && fd < FD_SETSIZE && FD_ISSET(fd, &rset),
			    fd2 >= 0 && fd2 < FD_SETSIZE &&
			    FD_ISSET(fd2, &wset));
		break;
	case OP_MOUNT:
		rv = diff_mount(st, p, (unsigned long)sp->a);
		break;
	case OP_UMOUNT:
		rv = SYS(umount2, p, (int)sp->a);
		break;
	case OP_BECOME_USER:
		rv = diff_become_user(st);
		break;
	case OP_UMASK:
		rv = SYS(umask, (mode_t)sp->a);
		break;
	case OP_SYMCHAIN:
		/* path0 -> path1 -> ... -> path(a-1) -> target */
		for (i = 0; i < sp->a; i++) {
			char target[PATH_MAX];

			snprintf(name, sizeof(name), "%s%d", p, i);
			if (i + 1 < sp->a)
				snprintf(target, sizeof(target), "%s%d",
				    sp->path, i + 1);
			else
				snprintf(target, sizeof(target), "%s", p2);
			rv = SYS(symlink, target, name);
			if (rv == -1)
				break;
		}
		break;
	case OP_FILL:
		for (i = 0; i < (int)sizeof(diff_bigbuf); i++)
			diff_bigbuf[i] = (char)('a' + i % 26);
		rv = SYS(write, fd, diff_bigbuf,
		    (size_t)sp->a < sizeof(diff_bigbuf) ? (size_t)sp->a :
		    sizeof(diff_bigbuf));
		break;
	case OP_MANYFILES:
		for (i = 0; i < sp->a; i++) {
			snprintf(name, sizeof(name), "%s%d", p, i);
			rv = SYS(open, name, O_CREAT | O_WRONLY | O_EXCL, 0644);
			if (rv == -1)
				break;
			rv = SYS(close, (int)rv);
			if (rv == -1)
				break;
		}
		break;
	}
	r->rv = rv;
	r->err = rv == -1 ? errno : 0;

	/* Calls that made a descriptor keep it in their slot. */
	switch (sp->op) {
	case OP_OPEN:
	case OP_OPENAT:
	case OP_CREAT:
	case OP_DUP:
	case OP_DUP2:
	case OP_DUP3:
		st->slot[sp->slot] = (int)rv;
		break;
	case OP_FCNTL:
		if (sp->a == F_DUPFD || sp->a == F_DUPFD_CLOEXEC)
			st->slot[sp->slot] = (int)rv;
		break;
	default:
		break;
	}
}

#undef SYS

/* ------------------------------------------------------------------ */
/* Running a sequence on each side. */

static size_t
diff_nsteps(const struct diff_seq *seq)
{
	size_t n;

	for (n = 0; seq->steps[n].op != OP_END; n++)
		continue;
	ATF_REQUIRE_MSG(n <= DIFF_MAXSTEPS, "sequence %s has %zu steps, more "
	    "than DIFF_MAXSTEPS (%d)", seq->name, n, DIFF_MAXSTEPS);
	return n;
}

static void
diff_state_init(struct diff_state *st, enum diff_side side,
    const char *base, const char *base2)
{
	int i;

	memset(st, 0, sizeof(*st));
	st->side = side;
	snprintf(st->prefix, sizeof(st->prefix), "%s", base);
	snprintf(st->base, sizeof(st->base), "%s", base);
	snprintf(st->prefix2, sizeof(st->prefix2), "%s", base2);
	for (i = 0; i < DIFF_NSLOTS; i++)
		st->slot[i] = -1;
}

static void
diff_host_fail(struct diff_hostrun *hr, const char *what)
{

	hr->setup_err = errno != 0 ? errno : EINVAL;
	snprintf(hr->setup_what, sizeof(hr->setup_what), "%s", what);
	_exit(1);
}

/*
 * The host child: a clean process state (descriptors 0-2 only, umask
 * 022, 1024 descriptors, working directory base), then the steps.
 */
static void
diff_host_child(const struct diff_seq *seq, size_t n, const char *base,
    const char *base2, struct diff_hostrun *hr)
{
	static struct diff_state st;
	struct rlimit rl;
	size_t i;
	int fd;

	alarm(60);
	for (fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) == -1 &&
		    open("/dev/null", O_RDWR) != fd)
			diff_host_fail(hr, "open /dev/null as 0-2");
	closefrom(3);
	umask(022);
	rl.rlim_cur = 1024;
	rl.rlim_max = 1024;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_max >= 1024) {
		rl.rlim_cur = 1024;
		if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
			diff_host_fail(hr, "setrlimit RLIMIT_NOFILE");
	}
	if ((seq->flags & SEQ_MOUNT) != 0) {
		if (unshare(CLONE_NEWNS) == -1)
			diff_host_fail(hr, "unshare(CLONE_NEWNS)");
		if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1)
			diff_host_fail(hr, "mount --make-rprivate /");
	}
	if (chdir(base) == -1)
		diff_host_fail(hr, "chdir to the base directory");

	diff_state_init(&st, SIDE_HOST, base, base2);
	for (i = 0; i < n; i++)
		diff_step_run(&st, &seq->steps[i], &hr->res[i]);
	_exit(0);
}

/* Run seq on the host; false with a message when the child failed. */
static bool
diff_run_host(const struct diff_seq *seq, size_t n, const char *base,
    const char *base2, struct diff_hostrun *hr, char *why, size_t whylen)
{
	pid_t pid;
	int status;

	memset(hr, 0, sizeof(*hr));
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	ATF_REQUIRE_MSG(pid != -1, "fork: %s", strerror(errno));
	if (pid == 0)
		diff_host_child(seq, n, base, base2, hr);
	ATF_REQUIRE_EQ(waitpid(pid, &status, 0), pid);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return true;
	if (hr->setup_err != 0)
		snprintf(why, whylen, "%s failed: %s", hr->setup_what,
		    strerror(hr->setup_err));
	else if (WIFSIGNALED(status))
		snprintf(why, whylen, "host child killed by signal %d",
		    WTERMSIG(status));
	else
		snprintf(why, whylen, "host child exited with %d",
		    WEXITSTATUS(status));
	return false;
}

/*
 * Run seq in a new rump process: descriptors 0-2 taken (by opens of
 * "/"), umask 022, working directory base.
 */
static void
diff_run_rump(const struct diff_seq *seq, size_t n, const char *base,
    const char *base2, struct diff_result *res)
{
	static struct diff_state st;
	size_t i;
	int fd, error;

	error = rump_pub_lwproc_rfork(RUMP_RFCFDG);
	ATF_REQUIRE_EQ_MSG(error, 0, "rump_pub_lwproc_rfork: %s",
	    strerror(error));
	for (fd = 0; fd < 3; fd++)
		ATF_REQUIRE_EQ_MSG(rump_sys_open("/", O_RDONLY), fd,
		    "rump: open / as descriptor %d: %s", fd, strerror(errno));
	rump_sys_umask(022);
	ATF_REQUIRE_EQ_MSG(rump_sys_chdir(base), 0, "rump: chdir %s: %s",
	    base, strerror(errno));

	diff_state_init(&st, SIDE_RUMP, base, base2);
	for (i = 0; i < n; i++)
		diff_step_run(&st, &seq->steps[i], &res[i]);
	rump_pub_lwproc_releaselwp();
}

/* ------------------------------------------------------------------ */
/* Comparing. */

/* The step as it appears in the table, more or less. */
static void
diff_describe(const struct diff_step *sp, char *buf, size_t len)
{
	const long args[5] = { sp->a, sp->b, sp->c, sp->d, sp->e };
	const char *sep = "";
	size_t n;
	int i;

#define DIFF_PUT(...)							\
	do {								\
		if (n < len)						\
			n += (size_t)snprintf(buf + n, len - n, __VA_ARGS__); \
	} while (0)
	n = 0;
	DIFF_PUT("%s(", diff_op_names[sp->op]);
	if (sp->fd != 0 || sp->fd2 != 0) {
		DIFF_PUT("fd slots %d/%d", sp->fd, sp->fd2);
		sep = ", ";
	}
	if (sp->path != NULL) {
		DIFF_PUT("%s\"%.40s%s\"", sep, sp->path,
		    strlen(sp->path) > 40 ? "..." : "");
		sep = ", ";
	}
	if (sp->path2 != NULL) {
		DIFF_PUT("%s\"%.40s\"", sep, sp->path2);
		sep = ", ";
	}
	for (i = 0; i < 5; i++)
		if (args[i] != 0) {
			DIFF_PUT("%s%c=%#lx", sep, 'a' + i, args[i]);
			sep = ", ";
		}
	DIFF_PUT(")");
#undef DIFF_PUT
}

static void
diff_escape(const char *data, size_t len, char *out, size_t outlen)
{
	size_t i, n = 0;

	for (i = 0; i < len && i < DIFF_DATA && n + 5 < outlen; i++) {
		unsigned char c = (unsigned char)data[i];

		if (c >= 0x20 && c < 0x7f && c != '\\')
			out[n++] = (char)c;
		else if (c == '\n') {
			out[n++] = '\\';
			out[n++] = 'n';
		} else
			n += (size_t)snprintf(out + n, outlen - n, "\\x%02x",
			    c);
	}
	if (i < len && n + 4 < outlen) {
		memcpy(out + n, "...", 3);
		n += 3;
	}
	out[n] = '\0';
}

static int
diff_sign(int64_t v)
{

	return (v > 0) - (v < 0);
}

static const char *
diff_order(int s)
{

	if (s < 0)
		return "earlier";
	if (s > 0)
		return "later";
	return "equal";
}

struct diff_report {
	const char	*seq;
	size_t		 step;
	char		 call[256];
	int		 count;		/* mismatches so far in the group */
	char		 first[512];	/* the first one, for atf_tc_fail */
};

static void
diff_mismatch(struct diff_report *rep, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
diff_mismatch(struct diff_report *rep, const char *fmt, ...)
{
	char what[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	fprintf(stderr, "MISMATCH %s step %zu %s: %s\n", rep->seq, rep->step,
	    rep->call, what);
	if (rep->count++ == 0)
		snprintf(rep->first, sizeof(rep->first), "%.40s step %zu "
		    "%.200s: %.200s", rep->seq, rep->step, rep->call, what);
}

#define DIFF_FIELD(f, fmt)						\
	do {								\
		if (h->f != u->f)					\
			diff_mismatch(rep, #f ": host " fmt ", rump " fmt, \
			    h->f, u->f);				\
	} while (0)

/*
 * Compare two stat results, and their times with prev (the last result
 * with the same tag, or NULL).
 */
static void
diff_compare_stat(struct diff_report *rep, const struct diff_step *sp,
    const struct diff_stat *h, const struct diff_stat *u,
    const struct diff_stat *hprev, const struct diff_stat *uprev)
{

	DIFF_FIELD(mode, "%#o");
	DIFF_FIELD(nlink, "%" PRIu64);
	DIFF_FIELD(uid, "%u");
	DIFF_FIELD(gid, "%u");
	DIFF_FIELD(rdev, "%#" PRIx64);
	DIFF_FIELD(size, "%" PRId64);
	DIFF_FIELD(blocks, "%" PRId64);
	DIFF_FIELD(blksize, "%" PRId64);
	if (h->statx) {
		DIFF_FIELD(mask, "%#x");
		DIFF_FIELD(attrmask, "%#" PRIx64);
		DIFF_FIELD(attr, "%#" PRIx64);
	}

	/* Times only in tagged steps (see "stat calls" above). */
	if (sp->tag <= 0)
		return;

	/* The order of the times within one result. */
	if (diff_sign(h->atime - h->mtime) != diff_sign(u->atime - u->mtime))
		diff_mismatch(rep, "atime vs mtime: host %s, rump %s",
		    diff_order(diff_sign(h->atime - h->mtime)),
		    diff_order(diff_sign(u->atime - u->mtime)));
	if (diff_sign(h->mtime - h->ctime) != diff_sign(u->mtime - u->ctime))
		diff_mismatch(rep, "mtime vs ctime: host %s, rump %s",
		    diff_order(diff_sign(h->mtime - h->ctime)),
		    diff_order(diff_sign(u->mtime - u->ctime)));

	/* Exact times that the sequence set. */
	if ((sp->check & X_ATIME) != 0)
		DIFF_FIELD(atime, "%" PRId64);
	if ((sp->check & X_MTIME) != 0)
		DIFF_FIELD(mtime, "%" PRId64);

	/* Against the previous result of the tag: advanced or not. */
	if (hprev == NULL || uprev == NULL)
		return;
#define DIFF_ADVANCE(f)							\
	do {								\
		int hs = diff_sign(h->f - hprev->f);			\
		int us = diff_sign(u->f - uprev->f);			\
		if (hs != us)						\
			diff_mismatch(rep, #f " since step of tag %d: "	\
			    "host %s, rump %s", sp->tag, diff_order(hs),	\
			    diff_order(us));				\
	} while (0)
	DIFF_ADVANCE(atime);
	DIFF_ADVANCE(mtime);
	DIFF_ADVANCE(ctime);
#undef DIFF_ADVANCE
}

#undef DIFF_FIELD

static const char *
diff_errname(int e)
{
	static char buf[32];

	switch (e) {
#define E(x) case x: return #x
	E(0); E(EPERM); E(ENOENT); E(EINTR); E(EIO); E(ENXIO); E(E2BIG);
	E(EBADF); E(EAGAIN); E(ENOMEM); E(EACCES); E(EFAULT); E(EBUSY);
	E(EEXIST); E(EXDEV); E(ENODEV); E(ENOTDIR); E(EISDIR); E(EINVAL);
	E(ENFILE); E(EMFILE); E(ENOTTY); E(EFBIG); E(ENOSPC); E(ESPIPE);
	E(EROFS); E(EMLINK); E(EPIPE); E(ERANGE); E(ENAMETOOLONG);
	E(ENOSYS); E(ENOTEMPTY); E(ELOOP); E(EOPNOTSUPP); E(EOVERFLOW);
	E(ESTALE);
#undef E
	default:
		snprintf(buf, sizeof(buf), "errno %d", e);
		return buf;
	}
}

/* Compare the results of one sequence and return the number of mismatches. */
static int
diff_compare(const struct diff_seq *seq, size_t n,
    const struct diff_result *host, const struct diff_result *rump,
    struct diff_report *rep)
{
	int last[DIFF_NTAGS];
	int before = rep->count;
	char hs[200], us[200];
	size_t i;

	for (i = 0; i < DIFF_NTAGS; i++)
		last[i] = -1;
	rep->seq = seq->name;
	for (i = 0; i < n; i++) {
		const struct diff_step *sp = &seq->steps[i];
		const struct diff_result *h = &host[i], *u = &rump[i];

		rep->step = i;
		diff_describe(sp, rep->call, sizeof(rep->call));
		if (getenv("T_DIFF_TRACE") != NULL)
			printf("%s step %zu %s: host %ld %s, rump %ld %s\n",
			    seq->name, i, rep->call, h->rv,
			    h->rv == -1 ? diff_errname(h->err) : "",
			    u->rv, u->rv == -1 ? diff_errname(u->err) : "");
		if (h->rv != u->rv || h->err != u->err) {
			char hv[32] = "", uv[32] = "";

			if (h->rv == -1)
				snprintf(hv, sizeof(hv), " %s",
				    diff_errname(h->err));
			if (u->rv == -1)
				snprintf(uv, sizeof(uv), " %s",
				    diff_errname(u->err));
			diff_mismatch(rep, "host returned %ld%s, rump "
			    "returned %ld%s", h->rv, hv, u->rv, uv);
			continue;
		}
		if (h->rv == -1)
			continue;
		if (h->len != u->len || h->sum != u->sum) {
			diff_escape(h->data, h->len, hs, sizeof(hs));
			diff_escape(u->data, u->len, us, sizeof(us));
			diff_mismatch(rep, "output differs: host %zu bytes "
			    "\"%s\", rump %zu bytes \"%s\"", h->len, hs,
			    u->len, us);
		}
		if (h->has_stat && u->has_stat) {
			const struct diff_stat *hp = NULL, *up = NULL;
			int t = sp->tag;

			if (t > 0 && t < DIFF_NTAGS && last[t] >= 0) {
				hp = &host[last[t]].st;
				up = &rump[last[t]].st;
			}
			diff_compare_stat(rep, sp, &h->st, &u->st, hp, up);
			if (t > 0 && t < DIFF_NTAGS)
				last[t] = (int)i;
		}
	}
	return rep->count - before;
}

/* ------------------------------------------------------------------ */
/* Test case driver. */

static int
diff_rm_one(const char *p, const struct stat *sb, int type, struct FTW *f)
{

	(void)sb;
	(void)f;
	if (type == FTW_DP || type == FTW_D)
		(void)rmdir(p);
	else
		(void)unlink(p);
	return 0;
}

static void
diff_rm_tree(const char *p)
{

	(void)nftw(p, diff_rm_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

/* The host directory that contains the sequences' directories. */
static const char *
diff_host_root(void)
{
	struct statfs sfs;

	if (statfs("/dev/shm", &sfs) == 0 && sfs.f_type == 0x01021994 &&
	    access("/dev/shm", W_OK) == 0)
		return "/dev/shm";
	return "/tmp";
}

/* Whether /tmp is on another file system than the host root. */
static bool
diff_host_xdev_ok(const char *root, char *why, size_t whylen)
{
	struct stat a, b;

	if (stat(root, &a) == -1 || stat("/tmp", &b) == -1) {
		snprintf(why, whylen, "stat %s or /tmp: %s", root,
		    strerror(errno));
		return false;
	}
	if (a.st_dev == b.st_dev) {
		snprintf(why, whylen, "%s and /tmp are on the same file "
		    "system, so the host has no second file system for "
		    "EXDEV", root);
		return false;
	}
	return true;
}

/* Whether a host child may mount a tmpfs in its own mount namespace. */
static bool
diff_host_mount_ok(const char *root, char *why, size_t whylen)
{
	char dir[PATH_MAX];
	pid_t pid;
	int status;

	snprintf(dir, sizeof(dir), "%s/t_diff.probe.XXXXXX", root);
	if (mkdtemp(dir) == NULL) {
		snprintf(why, whylen, "mkdtemp %.100s: %s", dir,
		    strerror(errno));
		return false;
	}
	pid = fork();
	ATF_REQUIRE(pid != -1);
	if (pid == 0) {
		if (unshare(CLONE_NEWNS) == -1)
			_exit(1);
		if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == -1)
			_exit(2);
		if (mount("tmpfs", dir, "tmpfs", 0, NULL) == -1)
			_exit(3);
		_exit(0);
	}
	ATF_REQUIRE_EQ(waitpid(pid, &status, 0), pid);
	rmdir(dir);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return true;
	snprintf(why, whylen, "the host cannot mount a tmpfs in a private "
	    "mount namespace (step %d failed; needs root and CAP_SYS_ADMIN)",
	    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return false;
}

static void
diff_boot(void)
{
	int error;

	error = rump_init();
	ATF_REQUIRE_EQ_MSG(error, 0, "rump_init: %s", strerror(error));
}

/* Fresh host directories for one run of a sequence. */
static void
diff_host_dirs(const struct diff_seq *seq, const char *root, char *base,
    char *base2)
{

	/* Mode 0777, so that BECOME_USER can work in them. */
	snprintf(base, PATH_MAX, "%s/t_diff.XXXXXX", root);
	ATF_REQUIRE_MSG(mkdtemp(base) != NULL, "mkdtemp %s: %s", base,
	    strerror(errno));
	ATF_REQUIRE_EQ(chmod(base, 0777), 0);
	base2[0] = '\0';
	if ((seq->flags & SEQ_XDEV) != 0) {
		snprintf(base2, PATH_MAX, "/tmp/t_diff.XXXXXX");
		ATF_REQUIRE(mkdtemp(base2) != NULL);
		ATF_REQUIRE_EQ(chmod(base2, 0777), 0);
	}
}

static void
diff_host_dirs_remove(char *base, char *base2)
{

	diff_rm_tree(base);
	if (base2[0] != '\0')
		diff_rm_tree(base2);
}

/* Fresh rump directories, made by the boot process (pid 1). */
static void
diff_rump_dirs(const struct diff_seq *seq, int seqno, char *base,
    char *base2, size_t len)
{

	snprintf(base, len, "/work%d", seqno);
	ATF_REQUIRE_EQ_MSG(rump_sys_mkdir(base, 0777), 0, "rump: mkdir %s: "
	    "%s", base, strerror(errno));
	ATF_REQUIRE_EQ_MSG(rump_sys_chmod(base, 0777), 0, "rump: chmod %s: "
	    "%s", base, strerror(errno));
	base2[0] = '\0';
	if ((seq->flags & SEQ_XDEV) == 0)
		return;
	snprintf(base2, len, "/xdev%d", seqno);
	ATF_REQUIRE_EQ_MSG(rump_sys_mkdir(base2, 0777), 0, "rump: mkdir %s: "
	    "%s", base2, strerror(errno));
	ATF_REQUIRE_EQ_MSG(rump_sys_mount(DIFF_RUMP_FSTYPE, base2,
	    DIFF_RUMP_FSTYPE, 0, NULL), 0, "rump: mount %s on %s: %s",
	    DIFF_RUMP_FSTYPE, base2, strerror(errno));
	ATF_REQUIRE_EQ_MSG(rump_sys_chmod(base2, 0777), 0, "rump: chmod %s: "
	    "%s", base2, strerror(errno));
}

/*
 * Run every sequence of a table on both sides and fail the test case
 * when any step differs.  Each sequence gets fresh directories.
 *
 * With T_DIFF_SELFCHECK set in the environment the rump kernel is not
 * booted and the second run is another host run: every mismatch then
 * is the harness's (a step whose result is not reproducible), not the
 * kernel's.  T_DIFF_TRACE prints every step's results on stdout.
 */
static void
diff_run_table(const struct diff_seq *seqs, size_t nseqs)
{
	static struct diff_result second[DIFF_MAXSTEPS];
	struct diff_hostrun *hr;
	struct diff_report rep;
	const char *root = diff_host_root();
	const bool selfcheck = getenv("T_DIFF_SELFCHECK") != NULL;
	char hbase[PATH_MAX], hbase2[PATH_MAX], rbase[64], rbase2[64];
	char why[256];
	static int seqno;
	size_t i, n;
	int flags = 0;

	for (i = 0; i < nseqs; i++)
		flags |= seqs[i].flags;
	if ((flags & SEQ_XDEV) != 0 && !diff_host_xdev_ok(root, why,
	    sizeof(why)))
		atf_tc_skip("%s", why);
	if ((flags & SEQ_MOUNT) != 0 && !diff_host_mount_ok(root, why,
	    sizeof(why)))
		atf_tc_skip("%s", why);

	/* A write to a pipe without reader must fail with EPIPE, not kill. */
	signal(SIGPIPE, SIG_IGN);
	if (!selfcheck)
		diff_boot();
	hr = mmap(NULL, sizeof(*hr), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ATF_REQUIRE(hr != MAP_FAILED);
	memset(&rep, 0, sizeof(rep));

	for (i = 0; i < nseqs; i++) {
		const struct diff_seq *seq = &seqs[i];
		bool ok;

		n = diff_nsteps(seq);
		seqno++;

		if (selfcheck) {
			diff_host_dirs(seq, root, hbase, hbase2);
			ok = diff_run_host(seq, n, hbase, hbase2, hr, why,
			    sizeof(why));
			diff_host_dirs_remove(hbase, hbase2);
			if (!ok)
				atf_tc_fail("sequence %s: the first host run "
				    "failed: %s", seq->name, why);
			memcpy(second, hr->res, n * sizeof(second[0]));
		} else {
			diff_rump_dirs(seq, seqno, rbase, rbase2,
			    sizeof(rbase));
			diff_run_rump(seq, n, rbase, rbase2, second);
		}

		diff_host_dirs(seq, root, hbase, hbase2);
		ok = diff_run_host(seq, n, hbase, hbase2, hr, why,
		    sizeof(why));
		diff_host_dirs_remove(hbase, hbase2);
		if (!ok)
			atf_tc_fail("sequence %s: the host run failed: %s",
			    seq->name, why);
		diff_compare(seq, n, hr->res, second, &rep);
	}
	munmap(hr, sizeof(*hr));
	if (rep.count > 0)
		atf_tc_fail("%d mismatches with the host (all listed on "
		    "stderr); first: %s", rep.count, rep.first);
}

#define DIFF_RUN(table) diff_run_table((table), \
	sizeof(table) / sizeof((table)[0]))

#endif /* _TESTS_VFS_H_DIFF_H_ */
