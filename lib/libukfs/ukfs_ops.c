/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libukfs file operations: each binds the calling thread to the handle's
 * rump process (ukfs_enter), makes the system calls and unbinds it.
 * Paths are resolved in the handle's process, whose root directory is
 * the root of the mount.
 */

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/ukfs.h>

#include "ukfs_private.h"

/* An open directory of ukfs_opendir. */
struct ukfs_dircookie {
	int	dc_fd;
};

/*
 * Run expr, of type type, on the handle's process and return its value:
 * the body of every operation that is one system call.
 */
#define UKFS_SYSCALL(fs, type, expr)					\
do {									\
	struct ukfs_call uc_;						\
	type rv_;							\
									\
	if (ukfs_enter((fs), &uc_) == -1)				\
		return -1;						\
	rv_ = (expr);							\
	ukfs_leave((fs), &uc_);						\
	return rv_;							\
} while (/*CONSTCOND*/0)

/* ------------------------------------------------------------------ */
/* Directories. */

/* getdents64 from the directory cookie *off on; *off moves on. */
static int
ukfs_getdents_fd(int fd, off_t *off, uint8_t *buf, size_t bufsize)
{
	ssize_t n;
	off_t next;

	if (rump_sys_lseek(fd, *off, SEEK_SET) == -1)
		return -1;
	n = rump_sys_getdents64(fd, buf, bufsize);
	if (n == -1)
		return -1;
	next = rump_sys_lseek(fd, 0, SEEK_CUR);
	if (next == -1)
		return -1;
	*off = next;
	return (int)n;
}

int
ukfs_opendir(struct ukfs *fs, const char *dir, struct ukfs_dircookie **dcp)
{
	struct ukfs_dircookie *dc;
	struct ukfs_call uc;
	int fd;

	dc = malloc(sizeof(*dc));
	if (dc == NULL)
		return -1;
	if (ukfs_enter(fs, &uc) == -1) {
		free(dc);
		return -1;
	}
	fd = rump_sys_open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ukfs_leave(fs, &uc);
	if (fd == -1) {
		free(dc);
		return -1;
	}
	dc->dc_fd = fd;
	*dcp = dc;
	return 0;
}

int
ukfs_getdents_cookie(struct ukfs *fs, struct ukfs_dircookie *dc, off_t *off,
    uint8_t *buf, size_t bufsize)
{

	if (dc == NULL || off == NULL) {
		errno = EINVAL;
		return -1;
	}
	UKFS_SYSCALL(fs, int, ukfs_getdents_fd(dc->dc_fd, off, buf, bufsize));
}

int
ukfs_closedir(struct ukfs *fs, struct ukfs_dircookie *dc)
{
	struct ukfs_call uc;
	int rv;

	if (dc == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (ukfs_enter(fs, &uc) == -1)
		return -1;
	rv = rump_sys_close(dc->dc_fd);
	ukfs_leave(fs, &uc);
	free(dc);
	return rv;
}

int
ukfs_getdents(struct ukfs *fs, const char *dir, off_t *off, uint8_t *buf,
    size_t bufsize)
{
	struct ukfs_call uc;
	int fd, rv = -1;

	if (off == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (ukfs_enter(fs, &uc) == -1)
		return -1;
	fd = rump_sys_open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd != -1) {
		rv = ukfs_getdents_fd(fd, off, buf, bufsize);
		(void)rump_sys_close(fd);	/* keeps errno when it works */
	}
	ukfs_leave(fs, &uc);
	return rv;
}

/* ------------------------------------------------------------------ */
/* File contents. */

/* pread until bufsize bytes or the end of the file. */
static ssize_t
ukfs_pread_full(int fd, off_t off, uint8_t *buf, size_t bufsize)
{
	size_t done = 0;
	ssize_t n;

	while (done < bufsize) {
		n = rump_sys_pread(fd, buf + done, bufsize - done,
		    off + (off_t)done);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return done > 0 ? (ssize_t)done : -1;
		}
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return (ssize_t)done;
}

/* pwrite all bufsize bytes, unless an error comes first. */
static ssize_t
ukfs_pwrite_full(int fd, off_t off, const uint8_t *buf, size_t bufsize)
{
	size_t done = 0;
	ssize_t n;

	while (done < bufsize) {
		n = rump_sys_pwrite(fd, buf + done, bufsize - done,
		    off + (off_t)done);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return done > 0 ? (ssize_t)done : -1;
		}
		done += (size_t)n;
	}
	return (ssize_t)done;
}

int
ukfs_open(struct ukfs *fs, const char *path, int flags)
{

	UKFS_SYSCALL(fs, int, rump_sys_open(path, flags, 0));
}

int
ukfs_close(struct ukfs *fs, int fd)
{

	UKFS_SYSCALL(fs, int, rump_sys_close(fd));
}

ssize_t
ukfs_read_fd(struct ukfs *fs, int fd, off_t off, uint8_t *buf,
    size_t bufsize)
{

	UKFS_SYSCALL(fs, ssize_t, ukfs_pread_full(fd, off, buf, bufsize));
}

ssize_t
ukfs_read(struct ukfs *fs, const char *path, off_t off, uint8_t *buf,
    size_t bufsize)
{
	struct ukfs_call uc;
	ssize_t rv = -1;
	int fd;

	if (ukfs_enter(fs, &uc) == -1)
		return -1;
	fd = rump_sys_open(path, O_RDONLY | O_CLOEXEC);
	if (fd != -1) {
		rv = ukfs_pread_full(fd, off, buf, bufsize);
		(void)rump_sys_close(fd);
	}
	ukfs_leave(fs, &uc);
	return rv;
}

/* Write and, with dosync, fsync: a failed fsync fails the call. */
static ssize_t
ukfs_write_sync(int fd, off_t off, const uint8_t *buf, size_t bufsize,
    int dosync)
{
	ssize_t n;

	n = ukfs_pwrite_full(fd, off, buf, bufsize);
	if (n != -1 && dosync && rump_sys_fsync(fd) == -1)
		return -1;
	return n;
}

ssize_t
ukfs_write_fd(struct ukfs *fs, int fd, off_t off, uint8_t *buf,
    size_t bufsize, int dosync)
{

	UKFS_SYSCALL(fs, ssize_t,
	    ukfs_write_sync(fd, off, buf, bufsize, dosync));
}

ssize_t
ukfs_write(struct ukfs *fs, const char *path, off_t off, uint8_t *buf,
    size_t bufsize)
{
	struct ukfs_call uc;
	ssize_t rv = -1;
	int fd, error;

	if (ukfs_enter(fs, &uc) == -1)
		return -1;
	fd = rump_sys_open(path, O_WRONLY | O_CLOEXEC);
	if (fd != -1) {
		rv = ukfs_pwrite_full(fd, off, buf, bufsize);
		error = errno;
		/* The close reports delayed write errors of some drivers. */
		if (rump_sys_close(fd) == -1 && rv != -1)
			rv = -1;
		else
			errno = error;
	}
	ukfs_leave(fs, &uc);
	return rv;
}

ssize_t
ukfs_readlink(struct ukfs *fs, const char *path, char *buf, size_t buflen)
{

	UKFS_SYSCALL(fs, ssize_t, rump_sys_readlink(path, buf, buflen));
}

/* ------------------------------------------------------------------ */
/* Names. */

/* creat(2): make path, or truncate it when it exists. */
static int
ukfs_creat(const char *path, mode_t mode)
{
	int fd;

	fd = rump_sys_open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    mode);
	if (fd == -1)
		return -1;
	return rump_sys_close(fd);
}

int
ukfs_create(struct ukfs *fs, const char *path, mode_t mode)
{

	UKFS_SYSCALL(fs, int, ukfs_creat(path, mode));
}

int
ukfs_mkdir(struct ukfs *fs, const char *path, mode_t mode)
{

	UKFS_SYSCALL(fs, int, rump_sys_mkdir(path, mode));
}

int
ukfs_mknod(struct ukfs *fs, const char *path, mode_t mode, dev_t dev)
{

	UKFS_SYSCALL(fs, int, rump_sys_mknod(path, mode, dev));
}

int
ukfs_mkfifo(struct ukfs *fs, const char *path, mode_t mode)
{

	UKFS_SYSCALL(fs, int,
	    rump_sys_mknod(path, S_IFIFO | (mode & ~S_IFMT), 0));
}

int
ukfs_symlink(struct ukfs *fs, const char *target, const char *linkname)
{

	UKFS_SYSCALL(fs, int, rump_sys_symlink(target, linkname));
}

int
ukfs_remove(struct ukfs *fs, const char *path)
{

	UKFS_SYSCALL(fs, int, rump_sys_unlink(path));
}

int
ukfs_rmdir(struct ukfs *fs, const char *path)
{

	UKFS_SYSCALL(fs, int, rump_sys_rmdir(path));
}

int
ukfs_link(struct ukfs *fs, const char *existing, const char *newname)
{

	UKFS_SYSCALL(fs, int, rump_sys_link(existing, newname));
}

int
ukfs_rename(struct ukfs *fs, const char *from, const char *to)
{

	UKFS_SYSCALL(fs, int, rump_sys_rename(from, to));
}

int
ukfs_chdir(struct ukfs *fs, const char *path)
{

	UKFS_SYSCALL(fs, int, rump_sys_chdir(path));
}

/*
 * mkdir -p: make each missing directory of pathname with mode.  An
 * existing directory is no error.  Anything else in the way is ENOTDIR,
 * or EEXIST for the last component.
 */
static int
ukfs_builddirs(const char *pathname, mode_t mode)
{
	char buf[PATH_MAX];
	struct stat st;
	size_t len;
	char *p, c;

	len = strlen(pathname);
	if (len == 0) {
		errno = ENOENT;
		return -1;
	}
	if (len >= sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(buf, pathname, len + 1);

	for (p = buf + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		if (p[-1] != '/') {
			c = *p;
			*p = '\0';
			if (rump_sys_mkdir(buf, mode) == -1) {
				if (errno != EEXIST)
					return -1;
				if (rump_sys_stat(buf, &st) == -1)
					return -1;
				if (!S_ISDIR(st.st_mode)) {
					errno = c == '\0' ? EEXIST : ENOTDIR;
					return -1;
				}
			}
			*p = c;
		}
		if (*p == '\0')
			break;
	}
	return 0;
}

int
ukfs_util_builddirs(struct ukfs *fs, const char *pathname, mode_t mode)
{

	UKFS_SYSCALL(fs, int, ukfs_builddirs(pathname, mode));
}

/* ------------------------------------------------------------------ */
/* Attributes. */

int
ukfs_stat(struct ukfs *fs, const char *path, struct stat *st)
{

	UKFS_SYSCALL(fs, int, rump_sys_stat(path, st));
}

int
ukfs_lstat(struct ukfs *fs, const char *path, struct stat *st)
{

	UKFS_SYSCALL(fs, int, rump_sys_lstat(path, st));
}

int
ukfs_chmod(struct ukfs *fs, const char *path, mode_t mode)
{

	UKFS_SYSCALL(fs, int, rump_sys_chmod(path, mode));
}

/*
 * A symbolic link has no mode of its own on Linux: like fchmodat with
 * AT_SYMLINK_NOFOLLOW, a link fails with EOPNOTSUPP.
 */
int
ukfs_lchmod(struct ukfs *fs, const char *path, mode_t mode)
{

	UKFS_SYSCALL(fs, int,
	    rump_sys_fchmodat(AT_FDCWD, path, mode, AT_SYMLINK_NOFOLLOW));
}

int
ukfs_chown(struct ukfs *fs, const char *path, uid_t uid, gid_t gid)
{

	UKFS_SYSCALL(fs, int, rump_sys_chown(path, uid, gid));
}

int
ukfs_lchown(struct ukfs *fs, const char *path, uid_t uid, gid_t gid)
{

	UKFS_SYSCALL(fs, int, rump_sys_lchown(path, uid, gid));
}

/*
 * BSD file flags: Linux has no system call that sets them.  The path is
 * checked so that a missing file reports ENOENT, then EOPNOTSUPP.
 */
static int
ukfs_setflags(const char *path, bool follow)
{
	struct stat st;

	if ((follow ? rump_sys_stat(path, &st) : rump_sys_lstat(path, &st))
	    == -1)
		return -1;
	errno = EOPNOTSUPP;
	return -1;
}

int
ukfs_chflags(struct ukfs *fs, const char *path, unsigned long flags)
{

	UKFS_SYSCALL(fs, int, ukfs_setflags(path, true));
}

int
ukfs_lchflags(struct ukfs *fs, const char *path, unsigned long flags)
{

	UKFS_SYSCALL(fs, int, ukfs_setflags(path, false));
}

/*
 * utimes(2) on utimensat: tv[0] is the access and tv[1] the modification
 * time, NULL means now.  Microseconds outside 0..999999 are EINVAL.
 */
static int
ukfs_setutimes(const char *path, const struct timeval *tv, int atflags)
{
	struct timespec ts[2];
	int i;

	if (tv == NULL)
		return rump_sys_utimensat(AT_FDCWD, path, NULL, atflags);
	for (i = 0; i < 2; i++) {
		if (tv[i].tv_usec < 0 || tv[i].tv_usec >= 1000000) {
			errno = EINVAL;
			return -1;
		}
		ts[i].tv_sec = tv[i].tv_sec;
		ts[i].tv_nsec = tv[i].tv_usec * 1000;
	}
	return rump_sys_utimensat(AT_FDCWD, path, ts, atflags);
}

int
ukfs_utimes(struct ukfs *fs, const char *path, const struct timeval *tv)
{

	UKFS_SYSCALL(fs, int, ukfs_setutimes(path, tv, 0));
}

int
ukfs_lutimes(struct ukfs *fs, const char *path, const struct timeval *tv)
{

	UKFS_SYSCALL(fs, int, ukfs_setutimes(path, tv, AT_SYMLINK_NOFOLLOW));
}
