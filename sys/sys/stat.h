/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * File modes, struct stat and struct statx, and the encoding of device
 * numbers.  Modes and statx are the same on every Linux architecture,
 * but struct stat differs.  x86-64 has its own 144-byte layout and
 * AArch64 the 128-byte layout of Linux's generic headers.  Both are
 * declared here field for field, so stat(2) copies the kernel's
 * structure out as it is.
 */

#ifndef _SYS_STAT_H_
#define _SYS_STAT_H_

#include <sys/types.h>
#include <sys/time.h>

/* File types, in the S_IFMT bits of a mode. */
#define S_IFMT		0170000
#define S_IFSOCK	0140000		/* socket */
#define S_IFLNK		0120000		/* symbolic link */
#define S_IFREG		0100000		/* regular file */
#define S_IFBLK		0060000		/* block device */
#define S_IFDIR		0040000		/* directory */
#define S_IFCHR		0020000		/* character device */
#define S_IFIFO		0010000		/* FIFO */

#define S_ISSOCK(m)	(((m) & S_IFMT) == S_IFSOCK)
#define S_ISLNK(m)	(((m) & S_IFMT) == S_IFLNK)
#define S_ISREG(m)	(((m) & S_IFMT) == S_IFREG)
#define S_ISBLK(m)	(((m) & S_IFMT) == S_IFBLK)
#define S_ISDIR(m)	(((m) & S_IFMT) == S_IFDIR)
#define S_ISCHR(m)	(((m) & S_IFMT) == S_IFCHR)
#define S_ISFIFO(m)	(((m) & S_IFMT) == S_IFIFO)

/* Permission bits. */
#define S_ISUID		0004000		/* set user id on execution */
#define S_ISGID		0002000		/* set group id on execution */
#define S_ISVTX		0001000		/* sticky: restricted deletion */
#define S_IRWXU		0000700		/* owner: read, write, execute */
#define S_IRUSR		0000400
#define S_IWUSR		0000200
#define S_IXUSR		0000100
#define S_IRWXG		0000070		/* group */
#define S_IRGRP		0000040
#define S_IWGRP		0000020
#define S_IXGRP		0000010
#define S_IRWXO		0000007		/* others */
#define S_IROTH		0000004
#define S_IWOTH		0000002
#define S_IXOTH		0000001

/* Old names of the owner bits. */
#define S_IREAD		S_IRUSR
#define S_IWRITE	S_IWUSR
#define S_IEXEC		S_IXUSR

#define ACCESSPERMS	(S_IRWXU | S_IRWXG | S_IRWXO)		/* 0777 */
#define ALLPERMS	(S_ISUID | S_ISGID | S_ISVTX | ACCESSPERMS) /* 07777 */
#define DEFFILEMODE	(S_IRUSR | S_IWUSR | S_IRGRP | S_IWGRP | S_IROTH | \
			    S_IWOTH)				/* 0666 */

/* The unit of st_blocks and stx_blocks, in bytes. */
#define S_BLKSIZE	512

/*
 * struct stat of stat(2), fstat(2), lstat(2) and fstatat(2).  The named
 * padding fields are part of the ABI, and copyout must find them zero.
 */
#if defined(__x86_64__)
struct stat {
	dev_t		st_dev;		/* device of the file system */
	ino_t		st_ino;
	nlink_t		st_nlink;	/* 64 bits here, 32 on AArch64 */
	mode_t		st_mode;	/* S_IF* type and permission bits */
	uid_t		st_uid;
	gid_t		st_gid;
	uint32_t	__pad0;
	dev_t		st_rdev;	/* device number of a device node */
	off_t		st_size;	/* bytes */
	blksize_t	st_blksize;	/* preferred I/O size, bytes */
	blkcnt_t	st_blocks;	/* allocated, in S_BLKSIZE units */
	struct timespec	st_atim;	/* last access */
	struct timespec	st_mtim;	/* last data modification */
	struct timespec	st_ctim;	/* last status change */
	int64_t		__reserved[3];
};
__CTASSERT(sizeof(struct stat) == 144);
__CTASSERT(offsetof(struct stat, st_mode) == 24);
__CTASSERT(offsetof(struct stat, st_rdev) == 40);
__CTASSERT(offsetof(struct stat, st_size) == 48);
__CTASSERT(offsetof(struct stat, st_blocks) == 64);
__CTASSERT(offsetof(struct stat, st_atim) == 72);
__CTASSERT(offsetof(struct stat, st_ctim) == 104);
#elif defined(__aarch64__)
struct stat {
	dev_t		st_dev;		/* device of the file system */
	ino_t		st_ino;
	mode_t		st_mode;	/* S_IF* type and permission bits */
	nlink_t		st_nlink;	/* 32 bits here, 64 on x86-64 */
	uid_t		st_uid;
	gid_t		st_gid;
	dev_t		st_rdev;	/* device number of a device node */
	uint64_t	__pad1;
	off_t		st_size;	/* bytes */
	blksize_t	st_blksize;	/* preferred I/O size, bytes */
	int32_t		__pad2;
	blkcnt_t	st_blocks;	/* allocated, in S_BLKSIZE units */
	struct timespec	st_atim;	/* last access */
	struct timespec	st_mtim;	/* last data modification */
	struct timespec	st_ctim;	/* last status change */
	uint32_t	__reserved[2];
};
__CTASSERT(sizeof(struct stat) == 128);
__CTASSERT(offsetof(struct stat, st_mode) == 16);
__CTASSERT(offsetof(struct stat, st_rdev) == 32);
__CTASSERT(offsetof(struct stat, st_size) == 48);
__CTASSERT(offsetof(struct stat, st_blocks) == 64);
__CTASSERT(offsetof(struct stat, st_atim) == 72);
__CTASSERT(offsetof(struct stat, st_ctim) == 104);
#else
#error stat.h: struct stat is known for x86-64 and AArch64 only
#endif

/* The POSIX.1-1990 names of the seconds. */
#define st_atime	st_atim.tv_sec
#define st_mtime	st_mtim.tv_sec
#define st_ctime	st_ctim.tv_sec

/* A time in struct statx. */
struct statx_timestamp {
	int64_t		tv_sec;		/* seconds since the Epoch */
	uint32_t	tv_nsec;
	int32_t		__reserved;
};
__CTASSERT(sizeof(struct statx_timestamp) == 16);

/*
 * struct statx of statx(2), the same on every architecture.  The kernel
 * fills the fields that the caller requests in its mask where it can,
 * and sets in stx_mask the bits of the fields that contain values.  The
 * fields after stx_dio_offset_align came with later Linux versions.  A
 * kernel that does not fill them leaves them zero and their bits clear.
 */
struct statx {
	uint32_t	stx_mask;	/* STATX_* bits of the valid fields */
	uint32_t	stx_blksize;	/* preferred I/O size, bytes */
	uint64_t	stx_attributes;	/* STATX_ATTR_* bits */
	uint32_t	stx_nlink;
	uint32_t	stx_uid;
	uint32_t	stx_gid;
	uint16_t	stx_mode;	/* S_IF* type and permission bits */
	uint16_t	__spare0[1];
	uint64_t	stx_ino;
	uint64_t	stx_size;	/* bytes */
	uint64_t	stx_blocks;	/* allocated, in S_BLKSIZE units */
	uint64_t	stx_attributes_mask; /* STATX_ATTR_* bits that the
					   file system supports */
	struct statx_timestamp stx_atime; /* last access */
	struct statx_timestamp stx_btime; /* creation */
	struct statx_timestamp stx_ctime; /* last status change */
	struct statx_timestamp stx_mtime; /* last data modification */
	uint32_t	stx_rdev_major;	/* device number of a device node */
	uint32_t	stx_rdev_minor;
	uint32_t	stx_dev_major;	/* device of the file system */
	uint32_t	stx_dev_minor;
	uint64_t	stx_mnt_id;	/* mount id, as in /proc/self/mountinfo */
	uint32_t	stx_dio_mem_align;	/* O_DIRECT buffer alignment */
	uint32_t	stx_dio_offset_align;	/* O_DIRECT offset alignment */
	uint64_t	stx_subvol;		/* subvolume id */
	uint32_t	stx_atomic_write_unit_min; /* untorn write sizes, */
	uint32_t	stx_atomic_write_unit_max; /*   bytes */
	uint32_t	stx_atomic_write_segments_max; /* iovecs per write */
	uint32_t	stx_dio_read_offset_align; /* O_DIRECT read alignment */
	uint32_t	stx_atomic_write_unit_max_opt; /* largest fast untorn
					   write, bytes */
	uint32_t	__spare2[1];
	uint64_t	__spare3[8];
};
__CTASSERT(sizeof(struct statx) == 256);
__CTASSERT(offsetof(struct statx, stx_ino) == 0x20);
__CTASSERT(offsetof(struct statx, stx_atime) == 0x40);
__CTASSERT(offsetof(struct statx, stx_rdev_major) == 0x80);
__CTASSERT(offsetof(struct statx, stx_mnt_id) == 0x90);
__CTASSERT(offsetof(struct statx, stx_subvol) == 0xa0);
__CTASSERT(offsetof(struct statx, stx_atomic_write_segments_max) == 0xb0);
__CTASSERT(offsetof(struct statx, __spare3) == 0xc0);

/* statx(2) mask bits: the fields requested, and then those filled. */
#define STATX_TYPE		0x00000001U	/* stx_mode & S_IFMT */
#define STATX_MODE		0x00000002U	/* stx_mode & ~S_IFMT */
#define STATX_NLINK		0x00000004U	/* stx_nlink */
#define STATX_UID		0x00000008U	/* stx_uid */
#define STATX_GID		0x00000010U	/* stx_gid */
#define STATX_ATIME		0x00000020U	/* stx_atime */
#define STATX_MTIME		0x00000040U	/* stx_mtime */
#define STATX_CTIME		0x00000080U	/* stx_ctime */
#define STATX_INO		0x00000100U	/* stx_ino */
#define STATX_SIZE		0x00000200U	/* stx_size */
#define STATX_BLOCKS		0x00000400U	/* stx_blocks */
#define STATX_BASIC_STATS	0x000007ffU	/* all of struct stat's */
#define STATX_BTIME		0x00000800U	/* stx_btime */
#define STATX_ALL		0x00000fffU	/* deprecated: basic and btime */
#define STATX_MNT_ID		0x00001000U	/* stx_mnt_id (Linux 5.8) */
#define STATX_DIOALIGN		0x00002000U	/* stx_dio_*_align (6.1) */
#define STATX_MNT_ID_UNIQUE	0x00004000U	/* unique stx_mnt_id (6.8) */
#define STATX_SUBVOL		0x00008000U	/* stx_subvol (6.10) */
#define STATX_WRITE_ATOMIC	0x00010000U	/* stx_atomic_write_* (6.11) */
#define STATX_DIO_READ_ALIGN	0x00020000U	/* stx_dio_read_offset_align (6.14) */
#define STATX__RESERVED		0x80000000U	/* for a larger struct statx */

/* stx_attributes and stx_attributes_mask bits. */
#define STATX_ATTR_COMPRESSED	0x00000004	/* compressed by the file system */
#define STATX_ATTR_IMMUTABLE	0x00000010	/* may not be changed */
#define STATX_ATTR_APPEND	0x00000020	/* writes only append */
#define STATX_ATTR_NODUMP	0x00000040	/* not to be backed up */
#define STATX_ATTR_ENCRYPTED	0x00000800	/* needs a key to read */
#define STATX_ATTR_AUTOMOUNT	0x00001000	/* directory: automount point */
#define STATX_ATTR_MOUNT_ROOT	0x00002000	/* root of a mount */
#define STATX_ATTR_VERITY	0x00100000	/* fs-verity protected */
#define STATX_ATTR_DAX		0x00200000	/* direct access to storage */
#define STATX_ATTR_WRITE_ATOMIC	0x00400000	/* untorn writes (6.11) */

/*
 * Device numbers, in glibc's 64-bit dev_t encoding: a 32-bit major and
 * a 32-bit minor, laid out as
 *
 *	bits 63..44	major bits 31..12
 *	bits 43..20	minor bits 31..8
 *	bits 19..8	major bits 11..0
 *	bits  7..0	minor bits 7..0
 *
 * so every number with a major below 4096 and a minor below 2^20 is
 * also Linux's 32-bit encoding of it.
 */
#define makedev(maj, min)						\
	((dev_t)((((dev_t)(maj) & 0x00000fffUL) << 8) |		\
	    (((dev_t)(maj) & 0xfffff000UL) << 32) |			\
	    ((dev_t)(min) & 0x000000ffUL) |				\
	    (((dev_t)(min) & 0xffffff00UL) << 12)))
#define major(dev)							\
	((uint32_t)((((dev_t)(dev) >> 8) & 0x00000fffUL) |		\
	    (((dev_t)(dev) >> 32) & 0xfffff000UL)))
#define minor(dev)							\
	((uint32_t)(((dev_t)(dev) & 0x000000ffUL) |			\
	    (((dev_t)(dev) >> 12) & 0xffffff00UL)))

#endif /* _SYS_STAT_H_ */
