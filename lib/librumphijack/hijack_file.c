/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * librumphijack: opening files and the calls on open descriptors.
 *
 * open and its 64-bit, fortified and *at forms go to the kernel the path
 * belongs to.  read, write, lseek, fstat, fsync, ftruncate, fallocate,
 * flock and the rest go to the kernel of the descriptor.  The rump kernel
 * takes the host's Linux ABI, so flags, modes and structures pass through
 * unchanged.  On LP64 hosts the *64 forms are the same calls.
 *
 * Calls the rump kernel does not have are made of calls it has
 * (posix_fallocate, lockf, statvfs, the *v2 vector calls without flags,
 * private mappings of rump files), or accepted and ignored where that is
 * harmless (posix_fadvise).
 *
 * mkstemp and its relatives are implemented here for rump templates,
 * because glibc's own would open the file through internal calls that no
 * hijack intercepts.
 */

#undef _FORTIFY_SOURCE

#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/random.h>
#include <sys/time.h>
#include <sys/uio.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump_syscalls.h>

#include "hijack_core.h"

HIJACK_HOSTFN(open);
HIJACK_HOSTFN(openat);
HIJACK_HOSTFN(read);
HIJACK_HOSTFN(pread);
HIJACK_HOSTFN(readv);
HIJACK_HOSTFN(preadv);
HIJACK_HOSTFN(preadv2);
HIJACK_HOSTFN(write);
HIJACK_HOSTFN(pwrite);
HIJACK_HOSTFN(writev);
HIJACK_HOSTFN(pwritev);
HIJACK_HOSTFN(pwritev2);
HIJACK_HOSTFN(lseek);
HIJACK_HOSTFN(fstat);
HIJACK_HOSTFN(fstatfs);
HIJACK_HOSTFN(fstatvfs);
HIJACK_HOSTFN(fsync);
HIJACK_HOSTFN(fdatasync);
HIJACK_HOSTFN(syncfs);
HIJACK_HOSTFN(sync);
HIJACK_HOSTFN(ftruncate);
HIJACK_HOSTFN(fallocate);
HIJACK_HOSTFN(posix_fallocate);
HIJACK_HOSTFN(posix_fadvise);
HIJACK_HOSTFN(flock);
HIJACK_HOSTFN(lockf);
HIJACK_HOSTFN(fchmod);
HIJACK_HOSTFN(fchown);
HIJACK_HOSTFN(futimens);
HIJACK_HOSTFN(futimes);
HIJACK_HOSTFN(fpathconf);
HIJACK_HOSTFN(mkostemps);
HIJACK_HOSTFN(mkdtemp);
HIJACK_HOSTFN(mmap);
HIJACK_HOSTFN(munmap);
HIJACK_HOSTFN(mprotect);

/* ------------------------------------------------------------------ */
/* open */

static int
file_open(const char *path, int flags, mode_t mode)
{
	const char *rpath;

	if (hijack_rumppath(path, &rpath))
		return hijack_fdnew(rump_sys_open(rpath, flags, mode));
	return hijack_hostfd(HOST(open)(path, flags, mode));
}

static int
file_openat(int dirfd, const char *path, int flags, mode_t mode)
{
	const char *rpath;
	int rdirfd;

	if (hijack_atpath(dirfd, path, &rdirfd, &rpath) == HIJACK_RUMP)
		return hijack_fdnew(rump_sys_openat(rdirfd, rpath, flags,
		    mode));
	return hijack_hostfd(HOST(openat)(dirfd, path, flags, mode));
}

/*
 * Whether open takes a mode argument.  O_TMPFILE contains the bit of
 * O_DIRECTORY, so it is compared whole.
 */
#define OPEN_NEEDSMODE(flags) \
	(((flags) & O_CREAT) != 0 || ((flags) & O_TMPFILE) == O_TMPFILE)

/* The mode argument, present only when the flags create a file. */
#define OPEN_MODE(flags, last, mode) do {				\
	va_list ap_;							\
									\
	(mode) = 0;							\
	if (OPEN_NEEDSMODE(flags)) {					\
		va_start(ap_, last);					\
		(mode) = (mode_t)va_arg(ap_, int);			\
		va_end(ap_);						\
	}								\
} while (0)

int
open(const char *path, int flags, ...)
{
	mode_t mode;

	OPEN_MODE(flags, flags, mode);
	return file_open(path, flags, mode);
}

int
open64(const char *path, int flags, ...)
{
	mode_t mode;

	OPEN_MODE(flags, flags, mode);
	return file_open(path, flags, mode);
}

int
openat(int dirfd, const char *path, int flags, ...)
{
	mode_t mode;

	OPEN_MODE(flags, flags, mode);
	return file_openat(dirfd, path, flags, mode);
}

int
openat64(int dirfd, const char *path, int flags, ...)
{
	mode_t mode;

	OPEN_MODE(flags, flags, mode);
	return file_openat(dirfd, path, flags, mode);
}

/* The fortified forms are called when the compiler saw no mode. */
static void
file_checkmode(int flags)
{
	static const char msg[] =
	    "*** invalid open call: O_CREAT or O_TMPFILE without mode ***\n";

	if (OPEN_NEEDSMODE(flags)) {
		(void)HOST(write)(2, msg, sizeof(msg) - 1);
		abort();
	}
}

int
__open_2(const char *path, int flags)
{

	file_checkmode(flags);
	return file_open(path, flags, 0);
}

int
__open64_2(const char *path, int flags)
{

	file_checkmode(flags);
	return file_open(path, flags, 0);
}

int
__openat_2(int dirfd, const char *path, int flags)
{

	file_checkmode(flags);
	return file_openat(dirfd, path, flags, 0);
}

int
__openat64_2(int dirfd, const char *path, int flags)
{

	file_checkmode(flags);
	return file_openat(dirfd, path, flags, 0);
}

int
creat(const char *path, mode_t mode)
{

	return file_open(path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

int
creat64(const char *path, mode_t mode)
{

	return file_open(path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

/* ------------------------------------------------------------------ */
/* read and write */

ssize_t
read(int fd, void *buf, size_t count)
{
	int rfd;

	if (hijack_fdkind(fd, &rfd) == HIJACK_RUMP)
		return hijack_badbuf(buf, count) ? hijack_efault() :
		    rump_sys_read(rfd, buf, count);
	return HOST(read)(fd, buf, count);
}

ssize_t
__read_chk(int fd, void *buf, size_t count, size_t buflen)
{

	if (count > buflen)
		__chk_fail();
	return read(fd, buf, count);
}

ssize_t
pread(int fd, void *buf, size_t count, off_t offset)
{
	int rfd;

	if (hijack_fdkind(fd, &rfd) == HIJACK_RUMP)
		return hijack_badbuf(buf, count) ? hijack_efault() :
		    rump_sys_pread(rfd, buf, count, offset);
	return HOST(pread)(fd, buf, count, offset);
}

ssize_t
pread64(int fd, void *buf, size_t count, off64_t offset)
{

	return pread(fd, buf, count, offset);
}

ssize_t
__pread_chk(int fd, void *buf, size_t count, off_t offset, size_t buflen)
{

	if (count > buflen)
		__chk_fail();
	return pread(fd, buf, count, offset);
}

ssize_t
__pread64_chk(int fd, void *buf, size_t count, off64_t offset,
    size_t buflen)
{

	if (count > buflen)
		__chk_fail();
	return pread(fd, buf, count, offset);
}

ssize_t
readv(int fd, const struct iovec *iov, int iovcnt)
{
	int rfd;

	if (hijack_fdkind(fd, &rfd) == HIJACK_RUMP)
		return rump_sys_readv(rfd, iov, iovcnt);
	return HOST(readv)(fd, iov, iovcnt);
}

ssize_t
preadv(int fd, const struct iovec *iov, int iovcnt, off_t offset)
{
	int rfd;

	if (hijack_fdkind(fd, &rfd) == HIJACK_RUMP)
		return rump_sys_preadv(rfd, iov, iovcnt, offset);
	return HOST(preadv)(fd, iov, iovcnt, offset);
}

ssize_t
preadv64(int fd, const struct iovec *iov, int iovcnt, off64_t offset)
{

	return preadv(fd, iov, iovcnt, offset);
}

/*
 * The rump kernel has no preadv2: without flags it is preadv, or readv
 * at offset -1; flags are not supported.
 */
ssize_t
preadv2(int fd, const struct iovec *iov, int iovcnt, off_t offset, int flags)
{
	int rfd;

	if (hijack_fdkind(fd, &rfd) == HIJACK_HOST)
		return HOST(preadv2)(fd, iov, iovcnt, offset, flags);
	if (flags != 0) {
		errno = EOPNOTSUPP;
		return -1;
	}
	if (offset == -1)
		return rump_sys_readv(rfd, iov, iovcnt);
	return rump_sys_preadv(rfd, iov, iovcnt, offset);
}

ssize_t
preadv64v2(int fd, const struct iovec *iov, int iovcnt, off64_t offset,
    int flags)
{

	return preadv2(fd, iov, iovcnt, offset, flags);
}

ssize_t
write(int fd, const void *buf, size_t count)
{
	int rfd;

	if (hijack_fdkind(fd, &rfd) == HIJACK_RUMP)
		return rump_sys_write(rfd, buf, count);
	return HOST(write)(fd, buf, count);
}

ssize_t
pwrite(int fd, const void *buf, size_t count, off_t offset)
{
	int rfd;

	if (hijack_fdkind(fd, &rfd) == HIJACK_RUMP)
		return rump_sys_pwrite(rfd, buf, count, offset);
	return HOST(pwrite)(fd, buf, count, offset);
}

ssize_t
pwrite64(int fd, const void *buf, size_t count, off64_t offset)
{

	return pwrite(fd, buf, count, offset);
}

ssize_t
writev(int fd, const struct iovec *iov, int iovcnt)
{
	int rfd;

	if (hijack_fdkind(fd, &rfd) == HIJACK_RUMP)
		return rump_sys_writev(rfd, iov, iovcnt);
	return HOST(writev)(fd, iov, iovcnt);
}

ssize_t
pwritev(int fd, const struct iovec *iov, int iovcnt, off_t offset)
{
	int rfd;

	if (hijack_fdkind(fd, &rfd) == HIJACK_RUMP)
		return rump_sys_pwritev(rfd, iov, iovcnt, offset);
	return HOST(pwritev)(fd, iov, iovcnt, offset);
}

ssize_t
pwritev64(int fd, const struct iovec *iov, int iovcnt, off64_t offset)
{

	return pwritev(fd, iov, iovcnt, offset);
}

ssize_t
pwritev2(int fd, const struct iovec *iov, int iovcnt, off_t offset,
    int flags)
{
	int rfd;

	if (hijack_fdkind(fd, &rfd) == HIJACK_HOST)
		return HOST(pwritev2)(fd, iov, iovcnt, offset, flags);
	if (flags != 0) {
		errno = EOPNOTSUPP;
		return -1;
	}
	if (offset == -1)
		return rump_sys_writev(rfd, iov, iovcnt);
	return rump_sys_pwritev(rfd, iov, iovcnt, offset);
}

ssize_t
pwritev64v2(int fd, const struct iovec *iov, int iovcnt, off64_t offset,
    int flags)
{

	return pwritev2(fd, iov, iovcnt, offset, flags);
}

off_t
lseek(int fd, off_t offset, int whence)
{
	int rfd;

	if (hijack_fdkind(fd, &rfd) == HIJACK_RUMP)
		return rump_sys_lseek(rfd, offset, whence);
	return HOST(lseek)(fd, offset, whence);
}

off64_t
lseek64(int fd, off64_t offset, int whence)
{

	return lseek(fd, offset, whence);
}

/* ------------------------------------------------------------------ */
/* Attributes of open files */

int
fstat(int fd, struct stat *st)
{
	int rfd;

	if (hijack_fdkind(fd, &rfd) == HIJACK_RUMP)
		return hijack_badaddr(st) ? hijack_efault() :
		    rump_sys_fstat(rfd, st);
	return HOST(fstat)(fd, st);
}

int
fstat64(int fd, struct stat64 *st)
{

	return fstat(fd, (struct stat *)st);
}

/* The stat version number of the old __fxstat interface on this host. */
#if defined(__x86_64__)
#define HIJACK_STAT_VER	1
#else
#define HIJACK_STAT_VER	0
#endif

int
__fxstat(int ver, int fd, struct stat *st)
{

	if (ver != HIJACK_STAT_VER) {
		errno = EINVAL;
		return -1;
	}
	return fstat(fd, st);
}

int
__fxstat64(int ver, int fd, struct stat64 *st)
{

	return __fxstat(ver, fd, (struct stat *)st);
}

int
fstatfs(int fd, struct statfs *sf)
{
	int rfd;

	if (hijack_fdkind(fd, &rfd) == HIJACK_RUMP)
		return hijack_badaddr(sf) ? hijack_efault() :
		    rump_sys_fstatfs(rfd, sf);
	return HOST(fstatfs)(fd, sf);
}

int
fstatfs64(int fd, struct statfs64 *sf)
{

	return fstatfs(fd, (struct statfs *)sf);
}

/* Fill a statvfs from a statfs the way glibc does on Linux. */
void
hijack_statvfs(const struct statfs *sf, struct statvfs *sv)
{

	memset(sv, 0, sizeof(*sv));
	sv->f_bsize = sf->f_bsize;
	sv->f_frsize = sf->f_frsize != 0 ? sf->f_frsize : sf->f_bsize;
	sv->f_blocks = sf->f_blocks;
	sv->f_bfree = sf->f_bfree;
	sv->f_bavail = sf->f_bavail;
	sv->f_files = sf->f_files;
	sv->f_ffree = sf->f_ffree;
	sv->f_favail = sf->f_ffree;
	sv->f_fsid = (unsigned long)(unsigned int)sf->f_fsid.__val[0] |
	    ((unsigned long)(unsigned int)sf->f_fsid.__val[1] << 32);
	/* ST_VALID (0x20) marks f_flags as filled in. */
	sv->f_flag = (sf->f_flags & 0x20) ? (sf->f_flags & ~0x20UL) : 0;
	sv->f_namemax = sf->f_namelen;
}

int
fstatvfs(int fd, struct statvfs *sv)
{
	struct statfs sf;
	int rfd;

	if (hijack_fdkind(fd, &rfd) == HIJACK_HOST)
		return HOST(fstatvfs)(fd, sv);
	if (hijack_badaddr(sv))
		return hijack_efault();
	if (rump_sys_fstatfs(rfd, &sf) == -1)
		return -1;
	hijack_statvfs(&sf, sv);
	return 0;
}

int
fstatvfs64(int fd, struct statvfs64 *sv)
{

	return fstatvfs(fd, (struct statvfs *)sv);
}

int
fchmod(int fd, mode_t mode)
{
	int rfd;

	if (hijack_fdkind(fd, &rfd) == HIJACK_RUMP)
		return rump_sys_fchmod(rfd, mode);
	return HOST(fchmod)(fd, mode);
}

int
fchown(int fd, uid_t owner, gid_t group)
{
	int rfd;

	if (hijack_fdkind(fd, &rfd) == HIJACK_RUMP)
		return rump_sys_fchown(rfd, owner, group);
	return HOST(fchown)(fd, owner, group);
}

int
futimens(int fd, const struct timespec times[2])
{
	int rfd;

	if (hijack_fdkind(fd, &rfd) == HIJACK_RUMP)
		return rump_sys_futimens(rfd, times);
	return HOST(futimens)(fd, times);
}

int
futimes(int fd, const struct timeval tv[2])
{
	struct timespec ts[2];
	int rfd;

	if (hijack_fdkind(fd, &rfd) == HIJACK_HOST)
		return HOST(futimes)(fd, tv);
	if (tv == NULL)
		return rump_sys_futimens(rfd, NULL);
	ts[0].tv_sec = tv[0].tv_sec;
	ts[0].tv_nsec = tv[0].tv_usec * 1000;
	ts[1].tv_sec = tv[1].tv_sec;
	ts[1].tv_nsec = tv[1].tv_usec * 1000;
	return rump_sys_futimens(rfd, ts);
}

/*
 * pathconf values for a rump file system.  Linux computes these from the
 * file system type, but the rump kernel's file systems share its limits.
 */
long
hijack_pathconf(const struct statfs *sf, int name)
{

	switch (name) {
	case _PC_LINK_MAX:
		return 65000;
	case _PC_MAX_CANON:
	case _PC_MAX_INPUT:
		return 255;
	case _PC_NAME_MAX:
		return sf->f_namelen;
	case _PC_PATH_MAX:
		return 4096;
	case _PC_PIPE_BUF:
		return 4096;
	case _PC_CHOWN_RESTRICTED:
		return 1;
	case _PC_NO_TRUNC:
		return 1;
	case _PC_VDISABLE:
		return 0;
	case _PC_FILESIZEBITS:
		return 64;
	case _PC_REC_XFER_ALIGN:
	case _PC_ALLOC_SIZE_MIN:
	case _PC_REC_MIN_XFER_SIZE:
		return sf->f_bsize;
	case _PC_SYMLINK_MAX:
		return -1;
	case _PC_2_SYMLINKS:
		return 1;
	case _PC_SYNC_IO:
	case _PC_ASYNC_IO:
	case _PC_PRIO_IO:
	case _PC_SOCK_MAXBUF:
	case _PC_REC_INCR_XFER_SIZE:
	case _PC_REC_MAX_XFER_SIZE:
		return -1;
	default:
		errno = EINVAL;
		return -1;
	}
}

long
fpathconf(int fd, int name)
{
	struct statfs sf;
	int rfd;

	if (hijack_fdkind(fd, &rfd) == HIJACK_HOST)
		return HOST(fpathconf)(fd, name);
	if (rump_sys_fstatfs(rfd, &sf) == -1)
		return -1;
	return hijack_pathconf(&sf, name);
}

/* ------------------------------------------------------------------ */
/* Size, space, sync and locks */

int
ftruncate(int fd, off_t length)
{
	int rfd;

	if (hijack_fdkind(fd, &rfd) == HIJACK_RUMP)
		return rump_sys_ftruncate(rfd, length);
	return HOST(ftruncate)(fd, length);
}

int
ftruncate64(int fd, off64_t length)
{

	return ftruncate(fd, length);
}

int
fallocate(int fd, int mode, off_t offset, off_t len)
{
	int rfd;

	if (hijack_fdkind(fd, &rfd) == HIJACK_RUMP)
		return rump_sys_fallocate(rfd, mode, offset, len);
	return HOST(fallocate)(fd, mode, offset, len);
}

int
fallocate64(int fd, int mode, off64_t offset, off64_t len)
{

	return fallocate(fd, mode, offset, len);
}

/*
 * posix_fallocate returns an error number.  Where the file system cannot
 * allocate, the file is at least extended to the requested size, as the
 * C library's fallback does by writing.
 */
int
posix_fallocate(int fd, off_t offset, off_t len)
{
	struct stat st;
	int rfd, error;

	if (hijack_fdkind(fd, &rfd) == HIJACK_HOST)
		return HOST(posix_fallocate)(fd, offset, len);
	if (offset < 0 || len <= 0)
		return EINVAL;
	if (rump_sys_fallocate(rfd, 0, offset, len) == 0)
		return 0;
	if ((error = errno) != EOPNOTSUPP)
		return error;
	if (rump_sys_fstat(rfd, &st) == -1)
		return errno;
	if (!S_ISREG(st.st_mode))
		return ENODEV;
	if (st.st_size < offset + len &&
	    rump_sys_ftruncate(rfd, offset + len) == -1)
		return errno;
	return 0;
}

int
posix_fallocate64(int fd, off64_t offset, off64_t len)
{

	return posix_fallocate(fd, offset, len);
}

/* Advice is only a hint; the rump kernel takes none. */
int
posix_fadvise(int fd, off_t offset, off_t len, int advice)
{

	if (hijack_fdkind(fd, NULL) == HIJACK_RUMP)
		return 0;
	return HOST(posix_fadvise)(fd, offset, len, advice);
}

int
posix_fadvise64(int fd, off64_t offset, off64_t len, int advice)
{

	return posix_fadvise(fd, offset, len, advice);
}

int
fsync(int fd)
{
	int rfd;

	if (hijack_fdkind(fd, &rfd) == HIJACK_RUMP)
		return rump_sys_fsync(rfd);
	return HOST(fsync)(fd);
}

int
fdatasync(int fd)
{
	int rfd;

	if (hijack_fdkind(fd, &rfd) == HIJACK_RUMP)
		return rump_sys_fdatasync(rfd);
	return HOST(fdatasync)(fd);
}

int
syncfs(int fd)
{
	int rfd;

	if (hijack_fdkind(fd, &rfd) == HIJACK_RUMP)
		return rump_sys_syncfs(rfd);
	return HOST(syncfs)(fd);
}

/* sync() flushes both kernels. */
void
sync(void)
{

	hijack_init();
	HOST(sync)();
	rump_sys_sync();
}

int
flock(int fd, int operation)
{
	int rfd;

	if (hijack_fdkind(fd, &rfd) == HIJACK_RUMP)
		return rump_sys_flock(rfd, operation);
	return HOST(flock)(fd, operation);
}

/* lockf as record locks from the current offset, as POSIX defines it. */
int
lockf(int fd, int cmd, off_t len)
{
	struct flock fl;
	int rfd;

	if (hijack_fdkind(fd, &rfd) == HIJACK_HOST)
		return HOST(lockf)(fd, cmd, len);
	memset(&fl, 0, sizeof(fl));
	fl.l_whence = SEEK_CUR;
	fl.l_start = 0;
	fl.l_len = len;
	switch (cmd) {
	case F_TEST:
		fl.l_type = F_RDLCK;
		if (rump_sys_fcntl(rfd, F_GETLK, &fl) == -1)
			return -1;
		if (fl.l_type == F_UNLCK || fl.l_pid == rump_sys_getpid())
			return 0;
		errno = EACCES;
		return -1;
	case F_ULOCK:
		fl.l_type = F_UNLCK;
		return rump_sys_fcntl(rfd, F_SETLK, &fl);
	case F_LOCK:
		fl.l_type = F_WRLCK;
		return rump_sys_fcntl(rfd, F_SETLKW, &fl);
	case F_TLOCK:
		fl.l_type = F_WRLCK;
		return rump_sys_fcntl(rfd, F_SETLK, &fl);
	default:
		errno = EINVAL;
		return -1;
	}
}

int
lockf64(int fd, int cmd, off64_t len)
{

	return lockf(fd, cmd, len);
}

/* ------------------------------------------------------------------ */
/* Temporary files */

/*
 * Replace the six X before suffixlen trailing characters of template
 * with random letters and digits and try op until it does not fail with
 * EEXIST.  op returns a descriptor, or 0 for a directory.
 */
static int
file_mktemp(char *template, int suffixlen, int (*op)(const char *, int),
    int arg)
{
	static const char chars[] =
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	size_t len = strlen(template);
	char *x;
	int try, i, rv;

	if (suffixlen < 0 || len < 6 + (size_t)suffixlen ||
	    strncmp(template + len - suffixlen - 6, "XXXXXX", 6) != 0) {
		errno = EINVAL;
		return -1;
	}
	x = template + len - suffixlen - 6;
	for (try = 0; try < 10000; try++) {
		unsigned char rnd[6];

		if (getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd)) {
			uint64_t t = (uint64_t)time(NULL) ^
			    ((uint64_t)getpid() << 16) ^ (uint64_t)try * 7919;

			for (i = 0; i < 6; i++, t >>= 8)
				rnd[i] = (unsigned char)t;
		}
		for (i = 0; i < 6; i++)
			x[i] = chars[rnd[i] % (sizeof(chars) - 1)];
		rv = op(template, arg);
		if (rv != -1 || errno != EEXIST)
			return rv;
	}
	errno = EEXIST;
	return -1;
}

static int
file_mktemp_open(const char *path, int flags)
{

	return file_open(path, (flags & ~O_ACCMODE) | O_RDWR | O_CREAT |
	    O_EXCL, 0600);
}

static int
file_mktemp_mkdir(const char *path, int unused)
{
	const char *rpath;

	if (!hijack_rumppath(path, &rpath)) {
		errno = EINVAL;
		return -1;
	}
	return rump_sys_mkdir(rpath, 0700);
}

int
mkostemps(char *template, int suffixlen, int flags)
{
	const char *rpath;

	if (!hijack_rumppath(template, &rpath))
		return hijack_hostfd(HOST(mkostemps)(template, suffixlen,
		    flags));
	return file_mktemp(template, suffixlen, file_mktemp_open, flags);
}

int
mkostemps64(char *template, int suffixlen, int flags)
{

	return mkostemps(template, suffixlen, flags);
}

int
mkstemp(char *template)
{

	return mkostemps(template, 0, 0);
}

int
mkstemp64(char *template)
{

	return mkostemps(template, 0, 0);
}

int
mkostemp(char *template, int flags)
{

	return mkostemps(template, 0, flags);
}

int
mkostemp64(char *template, int flags)
{

	return mkostemps(template, 0, flags);
}

int
mkstemps(char *template, int suffixlen)
{

	return mkostemps(template, suffixlen, 0);
}

int
mkstemps64(char *template, int suffixlen)
{

	return mkostemps(template, suffixlen, 0);
}

char *
mkdtemp(char *template)
{
	const char *rpath;

	if (!hijack_rumppath(template, &rpath))
		return HOST(mkdtemp)(template);
	if (file_mktemp(template, 0, file_mktemp_mkdir, 0) == -1)
		return NULL;
	return template;
}

/* ------------------------------------------------------------------ */
/* Mappings */

/*
 * The host cannot map a rump file, so a private mapping is made of
 * anonymous memory filled with the file's contents at the time of the
 * call.  Bytes past the end of the file read as zero.  Shared mappings
 * would have to see later writes and write back, so they fail with
 * ENODEV, as for a file system that cannot map.
 */
void *
mmap(void *addr, size_t len, int prot, int flags, int fd, off_t offset)
{
	size_t done = 0;
	ssize_t n;
	void *p;
	int rfd, error;

	if ((flags & MAP_ANONYMOUS) || fd < 0 ||
	    hijack_fdkind(fd, &rfd) == HIJACK_HOST)
		return HOST(mmap)(addr, len, prot, flags, fd, offset);
	if ((flags & MAP_TYPE) != MAP_PRIVATE) {
		errno = ENODEV;
		return MAP_FAILED;
	}
	if (offset < 0 || offset % sysconf(_SC_PAGESIZE) != 0 || len == 0) {
		errno = EINVAL;
		return MAP_FAILED;
	}
	p = HOST(mmap)(addr, len, prot | PROT_WRITE, flags | MAP_ANONYMOUS,
	    -1, 0);
	if (p == MAP_FAILED)
		return MAP_FAILED;
	while (done < len) {
		n = rump_sys_pread(rfd, (char *)p + done, len - done,
		    offset + (off_t)done);
		if (n == 0)
			break;
		if (n == -1) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		done += (size_t)n;
	}
	if (!(prot & PROT_WRITE) && HOST(mprotect)(p, len, prot) == -1)
		goto fail;
	return p;
 fail:
	error = errno == EBADF ? EACCES : errno;
	HOST(munmap)(p, len);
	errno = error;
	return MAP_FAILED;
}

void *
mmap64(void *addr, size_t len, int prot, int flags, int fd, off64_t offset)
{

	return mmap(addr, len, prot, flags, fd, offset);
}
