/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The kernel's file system ABI headers against the host's.  The kernel
 * side (kcomp/abi_values.c) exports a table of every constant of
 * sys/fcntl.h, sys/stat.h, sys/dirent.h, sys/statfs.h, sys/poll.h,
 * sys/filio.h and sys/uio.h and of the size, offset and member size of
 * every structure field, each named by the expression that produced it.
 * This program evaluates the same expressions with the host's headers
 * and compares the two tables by name.
 *
 * Where the host's headers do not state the ABI, the host side queries
 * the host kernel instead: O_LARGEFILE (glibc defines it as 0 on 64-bit
 * hosts) comes from F_GETFL, the record lengths of struct linux_dirent64
 * from getdents64(2) on a directory made for it, and the fd_set bit
 * layout from FD_SET on a cleared set.
 */

#include <sys/types.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/falloc.h>
#include <linux/fs.h>
#include <linux/magic.h>

#include <atf-c.h>

/*
 * The kernel's table.  The structure and the flags repeat those of
 * kcomp/abi_values.c, which exports its entry size to check that.
 */
struct rump_test_abi {
	const char	*name;		/* NULL ends the table */
	long long	 value;
	int		 flags;
};
#define RUMP_TEST_ABI_KERNEL_ONLY	0x1	/* no host counterpart */
#define RUMP_TEST_ABI_NEWER		0x2	/* compared if the host has it */

extern const struct rump_test_abi rump_test_abi_values[];
extern const size_t rump_test_abi_entry_size;

/* One value from the host. */
struct host_abi {
	const char	*name;
	long long	 value;
};

#define membersize(type, member)	sizeof(((type *)0)->member)

#define ABI(x)			{ #x, (long long)(x) }
#define ABI_AS(name, x)		{ (name), (long long)(x) }
#define ABI_FIELD(type, member)						\
	ABI(offsetof(type, member)), ABI(membersize(type, member))

#define HOST_MAX	1024
static struct host_abi host_values[HOST_MAX];
static size_t host_nvalues;

static void
host_add(const char *name, long long value)
{

	ATF_REQUIRE_MSG(host_nvalues < HOST_MAX, "more than %d host values",
	    HOST_MAX);
	host_values[host_nvalues].name = name;
	host_values[host_nvalues].value = value;
	host_nvalues++;
}

static void
host_add_table(const struct host_abi *table, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		host_add(table[i].name, table[i].value);
}

#define HOST_ADD_TABLE(t)	host_add_table((t), sizeof(t) / sizeof((t)[0]))

/* <fcntl.h>, <linux/fs.h>, <linux/falloc.h>, <sys/file.h>, <unistd.h> */
static void
host_fcntl(void)
{
	const struct host_abi values[] = {
		ABI(O_ACCMODE),
		ABI(O_RDONLY),
		ABI(O_WRONLY),
		ABI(O_RDWR),
		ABI(O_CREAT),
		ABI(O_EXCL),
		ABI(O_NOCTTY),
		ABI(O_TRUNC),
		ABI(O_APPEND),
		ABI(O_NONBLOCK),
		ABI(O_NDELAY),
		ABI(O_DSYNC),
		ABI(O_ASYNC),
		ABI(FASYNC),
		ABI(O_NOATIME),
		ABI(O_CLOEXEC),
		ABI(O_PATH),
		ABI(O_DIRECT),
		/* O_LARGEFILE: see host_probe_largefile(). */
		ABI(O_DIRECTORY),
		ABI(O_NOFOLLOW),
		ABI(O_SYNC),
		ABI(O_RSYNC),
		ABI(O_FSYNC),
		ABI(O_TMPFILE),

		ABI(AT_FDCWD),
		ABI(AT_SYMLINK_NOFOLLOW),
		ABI(AT_REMOVEDIR),
		ABI(AT_EACCESS),
		ABI(AT_SYMLINK_FOLLOW),
		ABI(AT_NO_AUTOMOUNT),
		ABI(AT_EMPTY_PATH),
		ABI(AT_STATX_SYNC_TYPE),
		ABI(AT_STATX_SYNC_AS_STAT),
		ABI(AT_STATX_FORCE_SYNC),
		ABI(AT_STATX_DONT_SYNC),
		ABI(AT_RECURSIVE),

		ABI(F_DUPFD),
		ABI(F_GETFD),
		ABI(F_SETFD),
		ABI(F_GETFL),
		ABI(F_SETFL),
		ABI(F_GETLK),
		ABI(F_SETLK),
		ABI(F_SETLKW),
		ABI(F_SETOWN),
		ABI(F_GETOWN),
		ABI(F_SETSIG),
		ABI(F_GETSIG),
		ABI(F_SETOWN_EX),
		ABI(F_GETOWN_EX),
		ABI(F_OFD_GETLK),
		ABI(F_OFD_SETLK),
		ABI(F_OFD_SETLKW),
		ABI(F_SETLEASE),
		ABI(F_GETLEASE),
		ABI(F_NOTIFY),
		ABI(F_DUPFD_CLOEXEC),
		ABI(F_SETPIPE_SZ),
		ABI(F_GETPIPE_SZ),
		ABI(F_ADD_SEALS),
		ABI(F_GET_SEALS),
		ABI(F_SEAL_SEAL),
		ABI(F_SEAL_SHRINK),
		ABI(F_SEAL_GROW),
		ABI(F_SEAL_WRITE),
		ABI(F_SEAL_FUTURE_WRITE),
		ABI(FD_CLOEXEC),
		ABI(F_RDLCK),
		ABI(F_WRLCK),
		ABI(F_UNLCK),
		ABI(sizeof(struct flock)),
		ABI_FIELD(struct flock, l_type),
		ABI_FIELD(struct flock, l_whence),
		ABI_FIELD(struct flock, l_start),
		ABI_FIELD(struct flock, l_len),
		ABI_FIELD(struct flock, l_pid),
		ABI(F_OWNER_TID),
		ABI(F_OWNER_PID),
		ABI(F_OWNER_PGRP),
		ABI(sizeof(struct f_owner_ex)),
		ABI_FIELD(struct f_owner_ex, type),
		ABI_FIELD(struct f_owner_ex, pid),

		ABI(LOCK_SH),
		ABI(LOCK_EX),
		ABI(LOCK_NB),
		ABI(LOCK_UN),
		ABI(RENAME_NOREPLACE),
		ABI(RENAME_EXCHANGE),
		ABI(RENAME_WHITEOUT),
#ifdef FALLOC_FL_ALLOCATE_RANGE
		ABI(FALLOC_FL_ALLOCATE_RANGE),
#endif
		ABI(FALLOC_FL_KEEP_SIZE),
		ABI(FALLOC_FL_PUNCH_HOLE),
		ABI(FALLOC_FL_NO_HIDE_STALE),
		ABI(FALLOC_FL_COLLAPSE_RANGE),
		ABI(FALLOC_FL_ZERO_RANGE),
		ABI(FALLOC_FL_INSERT_RANGE),
		ABI(FALLOC_FL_UNSHARE_RANGE),
		ABI(SEEK_SET),
		ABI(SEEK_CUR),
		ABI(SEEK_END),
		ABI(SEEK_DATA),
		ABI(SEEK_HOLE),
		ABI(UTIME_NOW),
		ABI(UTIME_OMIT),
	};

	HOST_ADD_TABLE(values);
}

/* <sys/stat.h>, with struct statx from <linux/stat.h>; <sys/sysmacros.h> */
static void
host_stat(void)
{
	const struct host_abi values[] = {
		ABI(S_IFMT),
		ABI(S_IFSOCK),
		ABI(S_IFLNK),
		ABI(S_IFREG),
		ABI(S_IFBLK),
		ABI(S_IFDIR),
		ABI(S_IFCHR),
		ABI(S_IFIFO),
		ABI(S_ISSOCK(S_IFSOCK)),
		ABI(S_ISSOCK(S_IFLNK)),
		ABI(S_ISLNK(S_IFLNK)),
		ABI(S_ISLNK(S_IFREG)),
		ABI(S_ISREG(S_IFREG | 0644)),
		ABI(S_ISREG(S_IFSOCK)),
		ABI(S_ISBLK(S_IFBLK)),
		ABI(S_ISBLK(S_IFDIR)),
		ABI(S_ISDIR(S_IFDIR | 0755)),
		ABI(S_ISDIR(S_IFCHR)),
		ABI(S_ISCHR(S_IFCHR)),
		ABI(S_ISCHR(S_IFBLK)),
		ABI(S_ISFIFO(S_IFIFO)),
		ABI(S_ISFIFO(0)),
		ABI(S_ISUID),
		ABI(S_ISGID),
		ABI(S_ISVTX),
		ABI(S_IRWXU),
		ABI(S_IRUSR),
		ABI(S_IWUSR),
		ABI(S_IXUSR),
		ABI(S_IRWXG),
		ABI(S_IRGRP),
		ABI(S_IWGRP),
		ABI(S_IXGRP),
		ABI(S_IRWXO),
		ABI(S_IROTH),
		ABI(S_IWOTH),
		ABI(S_IXOTH),
		ABI(S_IREAD),
		ABI(S_IWRITE),
		ABI(S_IEXEC),
		ABI(ACCESSPERMS),
		ABI(ALLPERMS),
		ABI(DEFFILEMODE),
		ABI(S_BLKSIZE),

		ABI(sizeof(struct stat)),
		ABI_FIELD(struct stat, st_dev),
		ABI_FIELD(struct stat, st_ino),
		ABI_FIELD(struct stat, st_nlink),
		ABI_FIELD(struct stat, st_mode),
		ABI_FIELD(struct stat, st_uid),
		ABI_FIELD(struct stat, st_gid),
		ABI_FIELD(struct stat, st_rdev),
		ABI_FIELD(struct stat, st_size),
		ABI_FIELD(struct stat, st_blksize),
		ABI_FIELD(struct stat, st_blocks),
		ABI_FIELD(struct stat, st_atim),
		ABI_FIELD(struct stat, st_mtim),
		ABI_FIELD(struct stat, st_ctim),
		ABI(offsetof(struct stat, st_atim.tv_nsec)),
		ABI(offsetof(struct stat, st_mtim.tv_nsec)),
		ABI(offsetof(struct stat, st_ctim.tv_nsec)),

		ABI(sizeof(struct statx_timestamp)),
		ABI_FIELD(struct statx_timestamp, tv_sec),
		ABI_FIELD(struct statx_timestamp, tv_nsec),
		ABI(sizeof(struct statx)),
		ABI_FIELD(struct statx, stx_mask),
		ABI_FIELD(struct statx, stx_blksize),
		ABI_FIELD(struct statx, stx_attributes),
		ABI_FIELD(struct statx, stx_nlink),
		ABI_FIELD(struct statx, stx_uid),
		ABI_FIELD(struct statx, stx_gid),
		ABI_FIELD(struct statx, stx_mode),
		ABI_FIELD(struct statx, stx_ino),
		ABI_FIELD(struct statx, stx_size),
		ABI_FIELD(struct statx, stx_blocks),
		ABI_FIELD(struct statx, stx_attributes_mask),
		ABI_FIELD(struct statx, stx_atime),
		ABI_FIELD(struct statx, stx_btime),
		ABI_FIELD(struct statx, stx_ctime),
		ABI_FIELD(struct statx, stx_mtime),
		ABI_FIELD(struct statx, stx_rdev_major),
		ABI_FIELD(struct statx, stx_rdev_minor),
		ABI_FIELD(struct statx, stx_dev_major),
		ABI_FIELD(struct statx, stx_dev_minor),
		ABI_FIELD(struct statx, stx_mnt_id),
		ABI_FIELD(struct statx, stx_dio_mem_align),
		ABI_FIELD(struct statx, stx_dio_offset_align),
		/*
		 * The later fields, where the headers have them.
		 * stx_atomic_write_unit_max_opt came without a mask bit
		 * to test for, so it is never compared.
		 */
#ifdef STATX_SUBVOL
		ABI_FIELD(struct statx, stx_subvol),
#endif
#ifdef STATX_WRITE_ATOMIC
		ABI_FIELD(struct statx, stx_atomic_write_unit_min),
		ABI_FIELD(struct statx, stx_atomic_write_unit_max),
		ABI_FIELD(struct statx, stx_atomic_write_segments_max),
#endif
#ifdef STATX_DIO_READ_ALIGN
		ABI_FIELD(struct statx, stx_dio_read_offset_align),
#endif
		ABI(STATX_TYPE),
		ABI(STATX_MODE),
		ABI(STATX_NLINK),
		ABI(STATX_UID),
		ABI(STATX_GID),
		ABI(STATX_ATIME),
		ABI(STATX_MTIME),
		ABI(STATX_CTIME),
		ABI(STATX_INO),
		ABI(STATX_SIZE),
		ABI(STATX_BLOCKS),
		ABI(STATX_BASIC_STATS),
		ABI(STATX_BTIME),
		ABI(STATX_ALL),
		ABI(STATX_MNT_ID),
		ABI(STATX_DIOALIGN),
#ifdef STATX_MNT_ID_UNIQUE
		ABI(STATX_MNT_ID_UNIQUE),
#endif
#ifdef STATX_SUBVOL
		ABI(STATX_SUBVOL),
#endif
#ifdef STATX_WRITE_ATOMIC
		ABI(STATX_WRITE_ATOMIC),
#endif
#ifdef STATX_DIO_READ_ALIGN
		ABI(STATX_DIO_READ_ALIGN),
#endif
		ABI(STATX__RESERVED),
		ABI(STATX_ATTR_COMPRESSED),
		ABI(STATX_ATTR_IMMUTABLE),
		ABI(STATX_ATTR_APPEND),
		ABI(STATX_ATTR_NODUMP),
		ABI(STATX_ATTR_ENCRYPTED),
		ABI(STATX_ATTR_AUTOMOUNT),
		ABI(STATX_ATTR_MOUNT_ROOT),
		ABI(STATX_ATTR_VERITY),
		ABI(STATX_ATTR_DAX),
#ifdef STATX_ATTR_WRITE_ATOMIC
		ABI(STATX_ATTR_WRITE_ATOMIC),
#endif

		ABI(sizeof(dev_t)),
		ABI(makedev(0, 0)),
		ABI(makedev(8, 1)),
		ABI(makedev(0xfff, 0xff)),
		ABI(makedev(0x1000, 0x100)),
		ABI(makedev(0xfff, 0xfffff)),
		ABI(makedev(0x12345678, 0x9abcdef0)),
		ABI(makedev(0xffffffff, 0xffffffff)),
		ABI(major(0x123456789abcdef0UL)),
		ABI(minor(0x123456789abcdef0UL)),
		ABI(major(makedev(0xfffff123, 0xabcdef01))),
		ABI(minor(makedev(0xfffff123, 0xabcdef01))),
		ABI(major(0xffffffffffffffffUL)),
		ABI(minor(0xffffffffffffffffUL)),
	};

	HOST_ADD_TABLE(values);
}

/*
 * glibc has no struct linux_dirent64, but its struct dirent64 has the
 * same header on 64-bit hosts, because readdir64(3) returns the records
 * of getdents64(2) in place.
 */
#define DIRENT64_FIELD(member)						\
	ABI_AS("offsetof(struct linux_dirent64, " #member ")",		\
	    offsetof(struct dirent64, member)),				\
	ABI_AS("membersize(struct linux_dirent64, " #member ")",	\
	    membersize(struct dirent64, member))

/* <dirent.h> */
static void
host_dirent(void)
{
	const struct host_abi values[] = {
		DIRENT64_FIELD(d_ino),
		DIRENT64_FIELD(d_off),
		DIRENT64_FIELD(d_reclen),
		DIRENT64_FIELD(d_type),
		ABI_AS("offsetof(struct linux_dirent64, d_name)",
		    offsetof(struct dirent64, d_name)),
		ABI(DT_UNKNOWN),
		ABI(DT_FIFO),
		ABI(DT_CHR),
		ABI(DT_DIR),
		ABI(DT_BLK),
		ABI(DT_REG),
		ABI(DT_LNK),
		ABI(DT_SOCK),
		ABI(DT_WHT),
		ABI(IFTODT(S_IFIFO)),
		ABI(IFTODT(S_IFCHR)),
		ABI(IFTODT(S_IFDIR | 0755)),
		ABI(IFTODT(S_IFBLK)),
		ABI(IFTODT(S_IFREG | 04755)),
		ABI(IFTODT(S_IFLNK)),
		ABI(IFTODT(S_IFSOCK)),
		ABI(DTTOIF(DT_FIFO)),
		ABI(DTTOIF(DT_CHR)),
		ABI(DTTOIF(DT_DIR)),
		ABI(DTTOIF(DT_BLK)),
		ABI(DTTOIF(DT_REG)),
		ABI(DTTOIF(DT_LNK)),
		ABI(DTTOIF(DT_SOCK)),
		ABI(DTTOIF(DT_WHT)),
	};

	HOST_ADD_TABLE(values);
}

/* <sys/statfs.h>, <sys/statvfs.h>, <linux/magic.h>, <sys/mount.h> */
static void
host_statfs(void)
{
	const struct host_abi values[] = {
		ABI(sizeof(struct statfs)),
		ABI(sizeof(fsid_t)),
		ABI_FIELD(struct statfs, f_type),
		ABI_FIELD(struct statfs, f_bsize),
		ABI_FIELD(struct statfs, f_blocks),
		ABI_FIELD(struct statfs, f_bfree),
		ABI_FIELD(struct statfs, f_bavail),
		ABI_FIELD(struct statfs, f_files),
		ABI_FIELD(struct statfs, f_ffree),
		ABI_FIELD(struct statfs, f_fsid),
		ABI_FIELD(struct statfs, f_namelen),
		ABI_FIELD(struct statfs, f_frsize),
		ABI_FIELD(struct statfs, f_flags),
		ABI_FIELD(struct statfs, f_spare),
		ABI(ST_RDONLY),
		ABI(ST_NOSUID),
		ABI(ST_NODEV),
		ABI(ST_NOEXEC),
		ABI(ST_SYNCHRONOUS),
		ABI(ST_MANDLOCK),
		ABI(ST_NOATIME),
		ABI(ST_NODIRATIME),
		ABI(ST_RELATIME),
#ifdef ST_NOSYMFOLLOW
		ABI(ST_NOSYMFOLLOW),
#endif
		ABI(EXT2_SUPER_MAGIC),
		ABI(EXT3_SUPER_MAGIC),
		ABI(EXT4_SUPER_MAGIC),
		ABI(TMPFS_MAGIC),
		ABI(MSDOS_SUPER_MAGIC),
		ABI(ISOFS_SUPER_MAGIC),

		ABI(MS_RDONLY),
		ABI(MS_NOSUID),
		ABI(MS_NODEV),
		ABI(MS_NOEXEC),
		ABI(MS_SYNCHRONOUS),
		ABI(MS_REMOUNT),
		ABI(MS_MANDLOCK),
		ABI(MS_DIRSYNC),
		ABI(MS_NOSYMFOLLOW),
		ABI(MS_NOATIME),
		ABI(MS_NODIRATIME),
		ABI(MS_BIND),
		ABI(MS_MOVE),
		ABI(MS_REC),
		ABI(MS_SILENT),
		ABI(MS_POSIXACL),
		ABI(MS_UNBINDABLE),
		ABI(MS_PRIVATE),
		ABI(MS_SLAVE),
		ABI(MS_SHARED),
		ABI(MS_RELATIME),
		ABI(MS_I_VERSION),
		ABI(MS_STRICTATIME),
		ABI(MS_LAZYTIME),
		ABI(MS_RMT_MASK),
		ABI(MS_MGC_VAL),
		ABI(MS_MGC_MSK),
		ABI(MNT_FORCE),
		ABI(MNT_DETACH),
		ABI(MNT_EXPIRE),
		ABI(UMOUNT_NOFOLLOW),
	};

	HOST_ADD_TABLE(values);
}

/* <poll.h>, <sys/select.h> */
static void
host_poll(void)
{
	const struct host_abi values[] = {
		ABI(sizeof(nfds_t)),
		ABI(sizeof(struct pollfd)),
		ABI_FIELD(struct pollfd, fd),
		ABI_FIELD(struct pollfd, events),
		ABI_FIELD(struct pollfd, revents),
		ABI(POLLIN),
		ABI(POLLPRI),
		ABI(POLLOUT),
		ABI(POLLERR),
		ABI(POLLHUP),
		ABI(POLLNVAL),
		ABI(POLLRDNORM),
		ABI(POLLRDBAND),
		ABI(POLLWRNORM),
		ABI(POLLWRBAND),
		ABI(POLLMSG),
		ABI(POLLRDHUP),

		ABI(FD_SETSIZE),
		ABI(NFDBITS),
		ABI(sizeof(fd_mask)),
		ABI(sizeof(fd_set)),
		/* FDSET_WORD() and FDSET_BIT(): see host_probe_fdset(). */
	};

	HOST_ADD_TABLE(values);
}

/* <sys/ioctl.h>, <sys/uio.h>, <limits.h> */
static void
host_ioctl_uio(void)
{
	const struct host_abi values[] = {
		ABI(_IOC_NRBITS),
		ABI(_IOC_TYPEBITS),
		ABI(_IOC_SIZEBITS),
		ABI(_IOC_DIRBITS),
		ABI(_IOC_NRMASK),
		ABI(_IOC_TYPEMASK),
		ABI(_IOC_SIZEMASK),
		ABI(_IOC_DIRMASK),
		ABI(_IOC_NRSHIFT),
		ABI(_IOC_TYPESHIFT),
		ABI(_IOC_SIZESHIFT),
		ABI(_IOC_DIRSHIFT),
		ABI(_IOC_NONE),
		ABI(_IOC_WRITE),
		ABI(_IOC_READ),
		ABI(_IOC(_IOC_READ, 0x12, 0x34, 0x56)),
		ABI(_IO('T', 0x1b)),
		ABI(_IOR('f', 1, long)),
		ABI(_IOW('f', 2, int)),
		ABI(_IOWR('X', 0xff, struct flock)),
		ABI(_IOR('r', 2, char[16383])),
		ABI(_IOC_DIR(_IOWR('X', 0xff, struct flock))),
		ABI(_IOC_TYPE(_IOWR('X', 0xff, struct flock))),
		ABI(_IOC_NR(_IOWR('X', 0xff, struct flock))),
		ABI(_IOC_SIZE(_IOWR('X', 0xff, struct flock))),
		ABI(_IOC_DIR(_IO('T', 0x1b))),
		ABI(_IOC_SIZE(_IOR('r', 2, char[16383]))),
		ABI(IOC_IN),
		ABI(IOC_OUT),
		ABI(IOC_INOUT),
		ABI(IOCSIZE_MASK),
		ABI(IOCSIZE_SHIFT),
		ABI(FIONREAD),
		ABI(FIONBIO),
		ABI(FIONCLEX),
		ABI(FIOCLEX),
		ABI(FIOASYNC),
		ABI(FIOQSIZE),
		ABI(TCGETS),

		ABI(sizeof(struct iovec)),
		ABI_FIELD(struct iovec, iov_base),
		ABI_FIELD(struct iovec, iov_len),
		ABI(UIO_MAXIOV),
		ABI(IOV_MAX),
	};

	HOST_ADD_TABLE(values);
}

/*
 * O_LARGEFILE as the host kernel sets it: Linux adds it to every open by
 * a 64-bit program, so it is the only bit F_GETFL adds to O_RDONLY.
 */
static void
host_probe_largefile(void)
{
	int fd, flags;

	fd = open("largefile", O_RDWR | O_CREAT | O_TRUNC, 0644);
	ATF_REQUIRE_MSG(fd != -1, "creating largefile: %s", strerror(errno));
	ATF_REQUIRE_EQ(close(fd), 0);
	fd = open("largefile", O_RDONLY);
	ATF_REQUIRE_MSG(fd != -1, "opening largefile: %s", strerror(errno));
	flags = fcntl(fd, F_GETFL);
	ATF_REQUIRE_MSG(flags != -1, "F_GETFL: %s", strerror(errno));
	ATF_REQUIRE_EQ(close(fd), 0);
	host_add("O_LARGEFILE", flags & ~O_ACCMODE);
}

/* A directory entry name length and the kernel entry of its record. */
struct reclen_probe {
	size_t		 namlen;
	const char	*name;
};
#define RECLEN_PROBE(n)	{ (n), "LINUX_DIRENT64_RECLEN(" #n ")" }

static const struct reclen_probe reclen_probes[] = {
	RECLEN_PROBE(1),
	RECLEN_PROBE(2),
	RECLEN_PROBE(4),
	RECLEN_PROBE(5),
	RECLEN_PROBE(12),
	RECLEN_PROBE(13),
	RECLEN_PROBE(20),
	RECLEN_PROBE(21),
	RECLEN_PROBE(255),
};
#define NRECLEN_PROBES	(sizeof(reclen_probes) / sizeof(reclen_probes[0]))

/*
 * The record lengths of getdents64(2): a directory with one file per
 * name length of reclen_probes, read back record by record.  Records
 * with names of the same length must have the same d_reclen.
 */
static void
host_probe_reclen(void)
{
	long long reclen[NAME_MAX + 1];
	char dir[] = "reclen.XXXXXX", name[NAME_MAX + 1], buf[32768];
	struct dirent64 *d;
	size_t i, namlen;
	long n, off;
	int dfd, fd;

	ATF_REQUIRE_MSG(mkdtemp(dir) != NULL, "mkdtemp: %s", strerror(errno));
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	ATF_REQUIRE_MSG(dfd != -1, "opening %s: %s", dir, strerror(errno));
	for (i = 0; i < NRECLEN_PROBES; i++) {
		memset(name, 'n', reclen_probes[i].namlen);
		name[reclen_probes[i].namlen] = '\0';
		fd = openat(dfd, name, O_WRONLY | O_CREAT, 0644);
		ATF_REQUIRE_MSG(fd != -1, "creating a name of %zu bytes: %s",
		    reclen_probes[i].namlen, strerror(errno));
		ATF_REQUIRE_EQ(close(fd), 0);
	}

	for (i = 0; i <= NAME_MAX; i++)
		reclen[i] = -1;
	while ((n = syscall(SYS_getdents64, dfd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n; off += d->d_reclen) {
			d = (struct dirent64 *)(buf + off);
			namlen = strlen(d->d_name);
			ATF_REQUIRE(namlen <= NAME_MAX);
			ATF_CHECK_MSG(reclen[namlen] == -1 ||
			    reclen[namlen] == d->d_reclen, "names of %zu "
			    "bytes: records of %lld and %u bytes", namlen,
			    reclen[namlen], (unsigned)d->d_reclen);
			reclen[namlen] = d->d_reclen;
		}
	}
	ATF_REQUIRE_MSG(n == 0, "getdents64: %s", strerror(errno));
	ATF_REQUIRE_EQ(close(dfd), 0);

	for (i = 0; i < NRECLEN_PROBES; i++) {
		namlen = reclen_probes[i].namlen;
		ATF_REQUIRE_MSG(reclen[namlen] != -1, "getdents64 returned "
		    "no name of %zu bytes", namlen);
		host_add(reclen_probes[i].name, reclen[namlen]);
	}
}

/* A descriptor and the kernel entries of its word and bit. */
struct fdset_probe {
	int		 fd;
	const char	*word_name;
	const char	*bit_name;
};
#define FDSET_PROBE(n)	{ (n), "FDSET_WORD(" #n ")", "FDSET_BIT(" #n ")" }

static const struct fdset_probe fdset_probes[] = {
	FDSET_PROBE(0),
	FDSET_PROBE(1),
	FDSET_PROBE(63),
	FDSET_PROBE(64),
	FDSET_PROBE(70),
	FDSET_PROBE(1023),
};

/*
 * The fd_set layout: the one word that FD_SET changes in a cleared set,
 * and the bit it sets there.
 */
static void
host_probe_fdset(void)
{
	unsigned long words[sizeof(fd_set) / sizeof(unsigned long)];
	size_t i, w, found;
	fd_set set;

	for (i = 0; i < sizeof(fdset_probes) / sizeof(fdset_probes[0]);
	    i++) {
		FD_ZERO(&set);
		FD_SET(fdset_probes[i].fd, &set);
		memcpy(words, &set, sizeof(words));

		found = 0;
		for (w = 0; w < sizeof(words) / sizeof(words[0]); w++) {
			if (words[w] == 0)
				continue;
			found++;
			host_add(fdset_probes[i].word_name, (long long)w);
			host_add(fdset_probes[i].bit_name,
			    (long long)words[w]);
		}
		ATF_REQUIRE_EQ_MSG(found, 1, "FD_SET(%d) changed %zu words",
		    fdset_probes[i].fd, found);
	}
}

/* Build the host table; the probes work in the test's directory. */
static void
host_build(void)
{

	host_nvalues = 0;
	host_fcntl();
	host_stat();
	host_dirent();
	host_statfs();
	host_poll();
	host_ioctl_uio();
	host_probe_largefile();
	host_probe_reclen();
	host_probe_fdset();
}

static const struct host_abi *
host_lookup(const char *name)
{
	size_t i;

	for (i = 0; i < host_nvalues; i++)
		if (strcmp(host_values[i].name, name) == 0)
			return &host_values[i];
	return NULL;
}

static const struct rump_test_abi *
kernel_lookup(const char *name)
{
	const struct rump_test_abi *k;

	for (k = rump_test_abi_values; k->name != NULL; k++)
		if (strcmp(k->name, name) == 0)
			return k;
	return NULL;
}

ATF_TC(kernel_table_sane);
ATF_TC_HEAD(kernel_table_sane, tc)
{
	atf_tc_set_md_var(tc, "descr", "the kernel's ABI table has this "
	    "program's entry layout and unique names");
}
ATF_TC_BODY(kernel_table_sane, tc)
{
	const struct rump_test_abi *k, *l;
	size_t n;

	ATF_REQUIRE_EQ_MSG(rump_test_abi_entry_size,
	    sizeof(struct rump_test_abi), "kernel entries are %zu bytes, "
	    "this program's %zu", rump_test_abi_entry_size,
	    sizeof(struct rump_test_abi));

	n = 0;
	for (k = rump_test_abi_values; k->name != NULL; k++) {
		n++;
		ATF_CHECK_MSG((k->flags & ~(RUMP_TEST_ABI_KERNEL_ONLY |
		    RUMP_TEST_ABI_NEWER)) == 0, "%s: unknown flags %#x",
		    k->name, k->flags);
		for (l = rump_test_abi_values; l != k; l++)
			ATF_CHECK_MSG(strcmp(l->name, k->name) != 0,
			    "%s: listed twice", k->name);
	}
	printf("%zu kernel entries\n", n);
	ATF_CHECK_MSG(n >= 400, "only %zu kernel entries", n);
}

ATF_TC(values_match_host);
ATF_TC_HEAD(values_match_host, tc)
{
	atf_tc_set_md_var(tc, "descr", "every kernel ABI value equals the "
	    "host's value of the same name");
}
ATF_TC_BODY(values_match_host, tc)
{
	const struct rump_test_abi *k;
	const struct host_abi *h;
	size_t compared, kernel_only, newer;

	host_build();
	compared = kernel_only = newer = 0;
	for (k = rump_test_abi_values; k->name != NULL; k++) {
		h = host_lookup(k->name);
		if (h != NULL) {
			ATF_CHECK_MSG(k->value == h->value, "%s: kernel %lld "
			    "(%#llx), host %lld (%#llx)", k->name, k->value,
			    (unsigned long long)k->value, h->value,
			    (unsigned long long)h->value);
			compared++;
		} else if (k->flags & RUMP_TEST_ABI_KERNEL_ONLY) {
			kernel_only++;
		} else if (k->flags & RUMP_TEST_ABI_NEWER) {
			printf("not in the host's headers: %s\n", k->name);
			newer++;
		} else {
			ATF_CHECK_MSG(false, "%s: kernel %lld, no host value",
			    k->name, k->value);
		}
	}
	printf("%zu compared, %zu kernel-only, %zu newer than the host's "
	    "headers\n", compared, kernel_only, newer);
	ATF_CHECK(compared > 0);
}

ATF_TC(host_names_known);
ATF_TC_HEAD(host_names_known, tc)
{
	atf_tc_set_md_var(tc, "descr", "every host ABI name has a kernel "
	    "entry, so a misspelled name cannot skip a check");
}
ATF_TC_BODY(host_names_known, tc)
{
	size_t i, j;

	host_build();
	for (i = 0; i < host_nvalues; i++) {
		ATF_CHECK_MSG(kernel_lookup(host_values[i].name) != NULL,
		    "%s: host %lld, no kernel entry", host_values[i].name,
		    host_values[i].value);
		for (j = 0; j < i; j++)
			ATF_CHECK_MSG(strcmp(host_values[i].name,
			    host_values[j].name) != 0, "%s: listed twice",
			    host_values[i].name);
	}
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, kernel_table_sane);
	ATF_TP_ADD_TC(tp, values_match_host);
	ATF_TP_ADD_TC(tp, host_names_known);
	return atf_no_error();
}
