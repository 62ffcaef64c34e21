/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * File system statistics and mount flags: struct statfs of statfs(2) and
 * fstatfs(2) with its f_flags and f_type values, the flags of mount(2)
 * and those of umount2(2).  struct statfs has Linux's 64-bit layout,
 * 120 bytes on both x86-64 and AArch64.
 */

#ifndef _SYS_STATFS_H_
#define _SYS_STATFS_H_

#include <sys/types.h>

/* File system id: two opaque words, zero where a file system has none. */
typedef struct {
	int32_t	val[2];
} fsid_t;

struct statfs {
	int64_t		f_type;		/* *_MAGIC of the file system type */
	int64_t		f_bsize;	/* preferred I/O size, bytes */
	uint64_t	f_blocks;	/* size, in blocks of f_frsize */
	uint64_t	f_bfree;	/* free blocks */
	uint64_t	f_bavail;	/* free blocks for unprivileged users */
	uint64_t	f_files;	/* inodes */
	uint64_t	f_ffree;	/* free inodes */
	fsid_t		f_fsid;
	int64_t		f_namelen;	/* longest name, bytes */
	int64_t		f_frsize;	/* fragment size: Linux reports
					   f_bsize when a file system
					   leaves it 0 */
	int64_t		f_flags;	/* ST_* mount flags, with ST_VALID */
	int64_t		f_spare[4];	/* zero */
};
__CTASSERT(sizeof(struct statfs) == 120);
__CTASSERT(offsetof(struct statfs, f_fsid) == 56);
__CTASSERT(offsetof(struct statfs, f_namelen) == 64);
__CTASSERT(offsetof(struct statfs, f_spare) == 88);

/*
 * f_flags bits.  Linux sets ST_VALID in every f_flags it returns, so a
 * caller can tell the flags from the zero of kernels older than 2.6.36.
 * glibc does not define ST_VALID.
 */
#define ST_RDONLY	0x0001		/* read-only */
#define ST_NOSUID	0x0002		/* set-id bits ignored */
#define ST_NODEV	0x0004		/* device nodes cannot be opened */
#define ST_NOEXEC	0x0008		/* no program execution */
#define ST_SYNCHRONOUS	0x0010		/* writes are synchronous */
#define ST_VALID	0x0020		/* f_flags is filled in */
#define ST_MANDLOCK	0x0040		/* mandatory locks allowed */
#define ST_NOATIME	0x0400		/* access times not updated */
#define ST_NODIRATIME	0x0800		/* directory access times not updated */
#define ST_RELATIME	0x1000		/* access times updated relatively */
#define ST_NOSYMFOLLOW	0x2000		/* symlinks not followed (Linux 5.10) */

/* f_type values of the file systems that this kernel has or meets. */
#define EXT2_SUPER_MAGIC	0xef53	/* ext2, ext3 and ext4 alike */
#define EXT3_SUPER_MAGIC	0xef53
#define EXT4_SUPER_MAGIC	0xef53
#define TMPFS_MAGIC		0x01021994
#define MSDOS_SUPER_MAGIC	0x4d44	/* FAT12, FAT16 and FAT32 */
#define ISOFS_SUPER_MAGIC	0x9660	/* ISO 9660 */
#define RUMPFS_MAGIC		0x72756d70 /* our own: "rump" in ASCII */

/* mount(2) flags. */
#define MS_RDONLY	0x00000001	/* read-only */
#define MS_NOSUID	0x00000002	/* ignore set-id bits */
#define MS_NODEV	0x00000004	/* device nodes cannot be opened */
#define MS_NOEXEC	0x00000008	/* no program execution */
#define MS_SYNCHRONOUS	0x00000010	/* writes are synchronous */
#define MS_REMOUNT	0x00000020	/* change the flags of a mount */
#define MS_MANDLOCK	0x00000040	/* allow mandatory locks */
#define MS_DIRSYNC	0x00000080	/* directory changes are synchronous */
#define MS_NOSYMFOLLOW	0x00000100	/* do not follow symlinks */
#define MS_NOATIME	0x00000400	/* do not update access times */
#define MS_NODIRATIME	0x00000800	/* nor those of directories */
#define MS_BIND		0x00001000	/* bind mount */
#define MS_MOVE		0x00002000	/* move a mount elsewhere */
#define MS_REC		0x00004000	/* with MS_BIND and propagation:
					   the whole subtree */
#define MS_SILENT	0x00008000	/* fewer kernel messages */
#define MS_POSIXACL	0x00010000	/* umask left to the file system (ACLs) */
#define MS_UNBINDABLE	0x00020000	/* propagation: unbindable */
#define MS_PRIVATE	0x00040000	/* propagation: private */
#define MS_SLAVE	0x00080000	/* propagation: slave */
#define MS_SHARED	0x00100000	/* propagation: shared */
#define MS_RELATIME	0x00200000	/* update atime relative to m/ctime */
#define MS_I_VERSION	0x00800000	/* keep the inode change counter */
#define MS_STRICTATIME	0x01000000	/* always update atime */
#define MS_LAZYTIME	0x02000000	/* keep timestamps in memory longer */

/* The flags that MS_REMOUNT can change on the file system itself. */
#define MS_RMT_MASK	(MS_RDONLY | MS_SYNCHRONOUS | MS_MANDLOCK | \
			    MS_I_VERSION | MS_LAZYTIME)

/*
 * Before Linux 2.4 mount(2) required MS_MGC_VAL in the top 16 bits of
 * the flags.  Linux still accepts it and clears those bits.
 */
#define MS_MGC_VAL	0xc0ed0000
#define MS_MGC_MSK	0xffff0000

/* umount2(2) flags. */
#define MNT_FORCE	0x00000001	/* abort pending requests; may lose data */
#define MNT_DETACH	0x00000002	/* lazy: detach now, clean up when idle */
#define MNT_EXPIRE	0x00000004	/* mark for expiry; EAGAIN the first time */
#define UMOUNT_NOFOLLOW	0x00000008	/* do not follow a final symlink */

#endif /* _SYS_STATFS_H_ */
