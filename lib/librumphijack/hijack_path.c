/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * librumphijack: calls that name files by path.
 *
 * Each call classifies its path (hijack_rumppath) or its (dirfd, path)
 * pair (hijack_atpath) and goes to that kernel.  Calls with two paths
 * (rename, link) fail with EXDEV when the paths are in different
 * kernels, as between two mounts, and with EFAULT first when either
 * pointer is bad.  The rump kernel's copyout to a bad address is lost
 * without an error, so every call that returns data checks its output
 * pointer before the rump call.  Structures are checked with
 * hijack_badaddr() and sized buffers with hijack_badbuf().  The time
 * arguments of the utime calls are checked the same way, because this
 * process reads them (the hijack or librumpclient's copyin) and would
 * crash on a bad pointer.  A symbolic link's target is text and is
 * stored unchanged.
 *
 * The rump kernel's file systems keep no extended attributes, so the
 * xattr calls fail there with ENOTSUP, which ls, cp and the ACL and
 * SELinux libraries take as "none".  The old __xstat and __xmknod forms
 * that programs built against glibc before 2.33 call are served here
 * too, for both kernels.
 */

#undef _FORTIFY_SOURCE

#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/time.h>
#include <sys/xattr.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <utime.h>

#include <rump/rump_syscalls.h>

#include "hijack_core.h"

HIJACK_HOSTFN(stat);
HIJACK_HOSTFN(lstat);
HIJACK_HOSTFN(fstatat);
HIJACK_HOSTFN(statx);
HIJACK_HOSTFN(statfs);
HIJACK_HOSTFN(statvfs);
HIJACK_HOSTFN(access);
HIJACK_HOSTFN(faccessat);
HIJACK_HOSTFN(euidaccess);
HIJACK_HOSTFN(mkdir);
HIJACK_HOSTFN(mkdirat);
HIJACK_HOSTFN(rmdir);
HIJACK_HOSTFN(unlink);
HIJACK_HOSTFN(unlinkat);
HIJACK_HOSTFN(remove);
HIJACK_HOSTFN(rename);
HIJACK_HOSTFN(renameat);
HIJACK_HOSTFN(renameat2);
HIJACK_HOSTFN(link);
HIJACK_HOSTFN(linkat);
HIJACK_HOSTFN(symlink);
HIJACK_HOSTFN(symlinkat);
HIJACK_HOSTFN(readlink);
HIJACK_HOSTFN(readlinkat);
HIJACK_HOSTFN(chmod);
HIJACK_HOSTFN(lchmod);
HIJACK_HOSTFN(fchmodat);
HIJACK_HOSTFN(chown);
HIJACK_HOSTFN(lchown);
HIJACK_HOSTFN(fchownat);
HIJACK_HOSTFN(utime);
HIJACK_HOSTFN(utimes);
HIJACK_HOSTFN(lutimes);
HIJACK_HOSTFN(futimesat);
HIJACK_HOSTFN(utimensat);
HIJACK_HOSTFN(truncate);
HIJACK_HOSTFN(mknod);
HIJACK_HOSTFN(mknodat);
HIJACK_HOSTFN(mkfifo);
HIJACK_HOSTFN(mkfifoat);
HIJACK_HOSTFN(pathconf);
HIJACK_HOSTFN(getxattr);
HIJACK_HOSTFN(lgetxattr);
HIJACK_HOSTFN(fgetxattr);
HIJACK_HOSTFN(setxattr);
HIJACK_HOSTFN(lsetxattr);
HIJACK_HOSTFN(fsetxattr);
HIJACK_HOSTFN(listxattr);
HIJACK_HOSTFN(llistxattr);
HIJACK_HOSTFN(flistxattr);
HIJACK_HOSTFN(removexattr);
HIJACK_HOSTFN(lremovexattr);
HIJACK_HOSTFN(fremovexattr);

#if defined(__x86_64__)
#define HIJACK_STAT_VER	1
#define HIJACK_MKNOD_VER	0
#else
#define HIJACK_STAT_VER	0
#define HIJACK_MKNOD_VER	0
#endif

/* ------------------------------------------------------------------ */
/* stat */

int
stat(const char *path, struct stat *st)
{
	const char *rpath;

	if (hijack_rumppath(path, &rpath))
		return hijack_badaddr(st) ? hijack_efault() :
		    rump_sys_stat(rpath, st);
	return HOST(stat)(path, st);
}

int
stat64(const char *path, struct stat64 *st)
{

	return stat(path, (struct stat *)st);
}

int
lstat(const char *path, struct stat *st)
{
	const char *rpath;

	if (hijack_rumppath(path, &rpath))
		return hijack_badaddr(st) ? hijack_efault() :
		    rump_sys_lstat(rpath, st);
	return HOST(lstat)(path, st);
}

int
lstat64(const char *path, struct stat64 *st)
{

	return lstat(path, (struct stat *)st);
}

int
fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	const char *rpath;
	int rdirfd;

	if (hijack_atpath(dirfd, path, &rdirfd, &rpath) == HIJACK_RUMP)
		return hijack_badaddr(st) ? hijack_efault() :
		    rump_sys_fstatat(rdirfd, rpath, st, flags);
	return HOST(fstatat)(dirfd, path, st, flags);
}

int
fstatat64(int dirfd, const char *path, struct stat64 *st, int flags)
{

	return fstatat(dirfd, path, (struct stat *)st, flags);
}

static int
path_checkver(int ver)
{

	if (ver != HIJACK_STAT_VER) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

int
__xstat(int ver, const char *path, struct stat *st)
{

	return path_checkver(ver) == -1 ? -1 : stat(path, st);
}

int
__xstat64(int ver, const char *path, struct stat64 *st)
{

	return path_checkver(ver) == -1 ? -1 : stat(path, (struct stat *)st);
}

int
__lxstat(int ver, const char *path, struct stat *st)
{

	return path_checkver(ver) == -1 ? -1 : lstat(path, st);
}

int
__lxstat64(int ver, const char *path, struct stat64 *st)
{

	return path_checkver(ver) == -1 ? -1 : lstat(path, (struct stat *)st);
}

int
__fxstatat(int ver, int dirfd, const char *path, struct stat *st, int flags)
{

	return path_checkver(ver) == -1 ? -1 :
	    fstatat(dirfd, path, st, flags);
}

int
__fxstatat64(int ver, int dirfd, const char *path, struct stat64 *st,
    int flags)
{

	return path_checkver(ver) == -1 ? -1 :
	    fstatat(dirfd, path, (struct stat *)st, flags);
}

int
statx(int dirfd, const char *path, int flags, unsigned int mask,
    struct statx *stx)
{
	const char *rpath;
	int rdirfd;

	if (hijack_atpath(dirfd, path, &rdirfd, &rpath) == HIJACK_RUMP)
		return hijack_badaddr(stx) ? hijack_efault() :
		    rump_sys_statx(rdirfd, rpath, flags, mask, stx);
	return HOST(statx)(dirfd, path, flags, mask, stx);
}

int
statfs(const char *path, struct statfs *sf)
{
	const char *rpath;

	if (hijack_rumppath(path, &rpath))
		return hijack_badaddr(sf) ? hijack_efault() :
		    rump_sys_statfs(rpath, sf);
	return HOST(statfs)(path, sf);
}

int
statfs64(const char *path, struct statfs64 *sf)
{

	return statfs(path, (struct statfs *)sf);
}

int
statvfs(const char *path, struct statvfs *sv)
{
	struct statfs sf;
	const char *rpath;

	if (!hijack_rumppath(path, &rpath))
		return HOST(statvfs)(path, sv);
	if (hijack_badaddr(sv))
		return hijack_efault();
	if (rump_sys_statfs(rpath, &sf) == -1)
		return -1;
	hijack_statvfs(&sf, sv);
	return 0;
}

int
statvfs64(const char *path, struct statvfs64 *sv)
{

	return statvfs(path, (struct statvfs *)sv);
}

long
pathconf(const char *path, int name)
{
	struct statfs sf;
	const char *rpath;

	if (!hijack_rumppath(path, &rpath))
		return HOST(pathconf)(path, name);
	if (rump_sys_statfs(rpath, &sf) == -1)
		return -1;
	return hijack_pathconf(&sf, name);
}

/* ------------------------------------------------------------------ */
/* access */

int
access(const char *path, int mode)
{
	const char *rpath;

	if (hijack_rumppath(path, &rpath))
		return rump_sys_access(rpath, mode);
	return HOST(access)(path, mode);
}

int
faccessat(int dirfd, const char *path, int mode, int flags)
{
	const char *rpath;
	int rdirfd;

	if (hijack_atpath(dirfd, path, &rdirfd, &rpath) != HIJACK_RUMP)
		return HOST(faccessat)(dirfd, path, mode, flags);
	if (flags == 0)
		return rump_sys_faccessat(rdirfd, rpath, mode, 0);
	return rump_sys_faccessat2(rdirfd, rpath, mode, flags);
}

int
euidaccess(const char *path, int mode)
{
	const char *rpath;

	if (hijack_rumppath(path, &rpath))
		return rump_sys_faccessat2(AT_FDCWD, rpath, mode, AT_EACCESS);
	return HOST(euidaccess)(path, mode);
}

int
eaccess(const char *path, int mode)
{

	return euidaccess(path, mode);
}

/* ------------------------------------------------------------------ */
/* Making and removing names */

int
mkdir(const char *path, mode_t mode)
{
	const char *rpath;

	if (hijack_rumppath(path, &rpath))
		return rump_sys_mkdir(rpath, mode);
	return HOST(mkdir)(path, mode);
}

int
mkdirat(int dirfd, const char *path, mode_t mode)
{
	const char *rpath;
	int rdirfd;

	if (hijack_atpath(dirfd, path, &rdirfd, &rpath) == HIJACK_RUMP)
		return rump_sys_mkdirat(rdirfd, rpath, mode);
	return HOST(mkdirat)(dirfd, path, mode);
}

int
rmdir(const char *path)
{
	const char *rpath;

	if (hijack_rumppath(path, &rpath))
		return rump_sys_rmdir(rpath);
	return HOST(rmdir)(path);
}

int
unlink(const char *path)
{
	const char *rpath;

	if (hijack_rumppath(path, &rpath))
		return rump_sys_unlink(rpath);
	return HOST(unlink)(path);
}

int
unlinkat(int dirfd, const char *path, int flags)
{
	const char *rpath;
	int rdirfd;

	if (hijack_atpath(dirfd, path, &rdirfd, &rpath) == HIJACK_RUMP)
		return rump_sys_unlinkat(rdirfd, rpath, flags);
	return HOST(unlinkat)(dirfd, path, flags);
}

/* remove(): unlink, or rmdir for a directory, as the C library does. */
int
remove(const char *path)
{
	const char *rpath;

	if (!hijack_rumppath(path, &rpath))
		return HOST(remove)(path);
	if (rump_sys_unlink(rpath) == 0)
		return 0;
	if (errno != EISDIR && errno != EPERM)
		return -1;
	return rump_sys_rmdir(rpath);
}

int
renameat2(int olddirfd, const char *oldpath, int newdirfd,
    const char *newpath, unsigned int flags)
{
	const char *rold, *rnew;
	enum hijack_kind ko, kn;
	int rod, rnd;

	if (hijack_badaddr(oldpath) || hijack_badaddr(newpath))
		return hijack_efault();
	ko = hijack_atpath(olddirfd, oldpath, &rod, &rold);
	kn = hijack_atpath(newdirfd, newpath, &rnd, &rnew);
	if (ko != kn) {
		errno = EXDEV;
		return -1;
	}
	if (ko == HIJACK_RUMP)
		return rump_sys_renameat2(rod, rold, rnd, rnew, flags);
	return HOST(renameat2)(olddirfd, oldpath, newdirfd, newpath, flags);
}

int
renameat(int olddirfd, const char *oldpath, int newdirfd,
    const char *newpath)
{
	const char *rold, *rnew;
	enum hijack_kind ko, kn;
	int rod, rnd;

	if (hijack_badaddr(oldpath) || hijack_badaddr(newpath))
		return hijack_efault();
	ko = hijack_atpath(olddirfd, oldpath, &rod, &rold);
	kn = hijack_atpath(newdirfd, newpath, &rnd, &rnew);
	if (ko != kn) {
		errno = EXDEV;
		return -1;
	}
	if (ko == HIJACK_RUMP)
		return rump_sys_renameat(rod, rold, rnd, rnew);
	return HOST(renameat)(olddirfd, oldpath, newdirfd, newpath);
}

int
rename(const char *oldpath, const char *newpath)
{
	const char *rold, *rnew;
	bool ro, rn;

	if (hijack_badaddr(oldpath) || hijack_badaddr(newpath))
		return hijack_efault();
	ro = hijack_rumppath(oldpath, &rold);
	rn = hijack_rumppath(newpath, &rnew);
	if (ro != rn) {
		errno = EXDEV;
		return -1;
	}
	if (ro)
		return rump_sys_rename(rold, rnew);
	return HOST(rename)(oldpath, newpath);
}

int
link(const char *oldpath, const char *newpath)
{
	const char *rold, *rnew;
	bool ro, rn;

	if (hijack_badaddr(oldpath) || hijack_badaddr(newpath))
		return hijack_efault();
	ro = hijack_rumppath(oldpath, &rold);
	rn = hijack_rumppath(newpath, &rnew);
	if (ro != rn) {
		errno = EXDEV;
		return -1;
	}
	if (ro)
		return rump_sys_link(rold, rnew);
	return HOST(link)(oldpath, newpath);
}

int
linkat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath,
    int flags)
{
	const char *rold, *rnew;
	enum hijack_kind ko, kn;
	int rod, rnd;

	if (hijack_badaddr(oldpath) || hijack_badaddr(newpath))
		return hijack_efault();
	ko = hijack_atpath(olddirfd, oldpath, &rod, &rold);
	kn = hijack_atpath(newdirfd, newpath, &rnd, &rnew);
	if (ko != kn) {
		errno = EXDEV;
		return -1;
	}
	if (ko == HIJACK_RUMP)
		return rump_sys_linkat(rod, rold, rnd, rnew, flags);
	return HOST(linkat)(olddirfd, oldpath, newdirfd, newpath, flags);
}

int
symlink(const char *target, const char *linkpath)
{
	const char *rpath;

	if (hijack_rumppath(linkpath, &rpath))
		return rump_sys_symlink(target, rpath);
	return HOST(symlink)(target, linkpath);
}

int
symlinkat(const char *target, int newdirfd, const char *linkpath)
{
	const char *rpath;
	int rdirfd;

	if (hijack_atpath(newdirfd, linkpath, &rdirfd, &rpath) == HIJACK_RUMP)
		return rump_sys_symlinkat(target, rdirfd, rpath);
	return HOST(symlinkat)(target, newdirfd, linkpath);
}

ssize_t
readlink(const char *path, char *buf, size_t bufsiz)
{
	const char *rpath;

	if (hijack_rumppath(path, &rpath))
		return hijack_badbuf(buf, bufsiz) ? hijack_efault() :
		    rump_sys_readlink(rpath, buf, bufsiz);
	return HOST(readlink)(path, buf, bufsiz);
}

ssize_t
__readlink_chk(const char *path, char *buf, size_t bufsiz, size_t buflen)
{

	if (bufsiz > buflen)
		__chk_fail();
	return readlink(path, buf, bufsiz);
}

ssize_t
readlinkat(int dirfd, const char *path, char *buf, size_t bufsiz)
{
	const char *rpath;
	int rdirfd;

	if (hijack_atpath(dirfd, path, &rdirfd, &rpath) == HIJACK_RUMP)
		return hijack_badbuf(buf, bufsiz) ? hijack_efault() :
		    rump_sys_readlinkat(rdirfd, rpath, buf, bufsiz);
	return HOST(readlinkat)(dirfd, path, buf, bufsiz);
}

ssize_t
__readlinkat_chk(int dirfd, const char *path, char *buf, size_t bufsiz,
    size_t buflen)
{

	if (bufsiz > buflen)
		__chk_fail();
	return readlinkat(dirfd, path, buf, bufsiz);
}

int
mknod(const char *path, mode_t mode, dev_t dev)
{
	const char *rpath;

	if (hijack_rumppath(path, &rpath))
		return rump_sys_mknod(rpath, mode, dev);
	return HOST(mknod)(path, mode, dev);
}

int
mknodat(int dirfd, const char *path, mode_t mode, dev_t dev)
{
	const char *rpath;
	int rdirfd;

	if (hijack_atpath(dirfd, path, &rdirfd, &rpath) == HIJACK_RUMP)
		return rump_sys_mknodat(rdirfd, rpath, mode, dev);
	return HOST(mknodat)(dirfd, path, mode, dev);
}

int
__xmknod(int ver, const char *path, mode_t mode, dev_t *dev)
{

	if (ver != HIJACK_MKNOD_VER || dev == NULL) {
		errno = EINVAL;
		return -1;
	}
	return mknod(path, mode, *dev);
}

int
__xmknodat(int ver, int dirfd, const char *path, mode_t mode, dev_t *dev)
{

	if (ver != HIJACK_MKNOD_VER || dev == NULL) {
		errno = EINVAL;
		return -1;
	}
	return mknodat(dirfd, path, mode, *dev);
}

int
mkfifo(const char *path, mode_t mode)
{
	const char *rpath;

	if (hijack_rumppath(path, &rpath))
		return rump_sys_mknod(rpath, S_IFIFO | (mode & 07777), 0);
	return HOST(mkfifo)(path, mode);
}

int
mkfifoat(int dirfd, const char *path, mode_t mode)
{
	const char *rpath;
	int rdirfd;

	if (hijack_atpath(dirfd, path, &rdirfd, &rpath) == HIJACK_RUMP)
		return rump_sys_mknodat(rdirfd, rpath,
		    S_IFIFO | (mode & 07777), 0);
	return HOST(mkfifoat)(dirfd, path, mode);
}

/* ------------------------------------------------------------------ */
/* Modes, owners, times and sizes */

int
chmod(const char *path, mode_t mode)
{
	const char *rpath;

	if (hijack_rumppath(path, &rpath))
		return rump_sys_chmod(rpath, mode);
	return HOST(chmod)(path, mode);
}

int
lchmod(const char *path, mode_t mode)
{
	const char *rpath;

	if (hijack_rumppath(path, &rpath))
		return rump_sys_fchmodat(AT_FDCWD, rpath, mode,
		    AT_SYMLINK_NOFOLLOW);
	return HOST(lchmod)(path, mode);
}

int
fchmodat(int dirfd, const char *path, mode_t mode, int flags)
{
	const char *rpath;
	int rdirfd;

	if (hijack_atpath(dirfd, path, &rdirfd, &rpath) == HIJACK_RUMP)
		return rump_sys_fchmodat(rdirfd, rpath, mode, flags);
	return HOST(fchmodat)(dirfd, path, mode, flags);
}

int
chown(const char *path, uid_t owner, gid_t group)
{
	const char *rpath;

	if (hijack_rumppath(path, &rpath))
		return rump_sys_chown(rpath, owner, group);
	return HOST(chown)(path, owner, group);
}

int
lchown(const char *path, uid_t owner, gid_t group)
{
	const char *rpath;

	if (hijack_rumppath(path, &rpath))
		return rump_sys_lchown(rpath, owner, group);
	return HOST(lchown)(path, owner, group);
}

int
fchownat(int dirfd, const char *path, uid_t owner, gid_t group, int flags)
{
	const char *rpath;
	int rdirfd;

	if (hijack_atpath(dirfd, path, &rdirfd, &rpath) == HIJACK_RUMP)
		return rump_sys_fchownat(rdirfd, rpath, owner, group, flags);
	return HOST(fchownat)(dirfd, path, owner, group, flags);
}

int
utimensat(int dirfd, const char *path, const struct timespec times[2],
    int flags)
{
	const char *rpath;
	int rdirfd;

	if (hijack_atpath(dirfd, path, &rdirfd, &rpath) != HIJACK_RUMP)
		return HOST(utimensat)(dirfd, path, times, flags);
	if (times != NULL && hijack_badaddr(times))
		return hijack_efault();
	/* Linux takes a NULL path as the descriptor itself. */
	if (rpath == NULL)
		return rump_sys_futimens(rdirfd, times);
	return rump_sys_utimensat(rdirfd, rpath, times, flags);
}

/* Microseconds to the timespec pair utimensat takes; NULL stays NULL. */
static const struct timespec *
path_tvtots(const struct timeval tv[2], struct timespec ts[2])
{

	if (tv == NULL)
		return NULL;
	ts[0].tv_sec = tv[0].tv_sec;
	ts[0].tv_nsec = tv[0].tv_usec * 1000;
	ts[1].tv_sec = tv[1].tv_sec;
	ts[1].tv_nsec = tv[1].tv_usec * 1000;
	return ts;
}

int
utime(const char *path, const struct utimbuf *times)
{
	struct timespec ts[2];
	const char *rpath;

	if (!hijack_rumppath(path, &rpath))
		return HOST(utime)(path, times);
	if (times == NULL)
		return rump_sys_utimensat(AT_FDCWD, rpath, NULL, 0);
	if (hijack_badaddr(times))
		return hijack_efault();
	ts[0].tv_sec = times->actime;
	ts[0].tv_nsec = 0;
	ts[1].tv_sec = times->modtime;
	ts[1].tv_nsec = 0;
	return rump_sys_utimensat(AT_FDCWD, rpath, ts, 0);
}

int
utimes(const char *path, const struct timeval tv[2])
{
	struct timespec ts[2];
	const char *rpath;

	if (!hijack_rumppath(path, &rpath))
		return HOST(utimes)(path, tv);
	if (tv != NULL && hijack_badaddr(tv))
		return hijack_efault();
	return rump_sys_utimensat(AT_FDCWD, rpath, path_tvtots(tv, ts), 0);
}

int
lutimes(const char *path, const struct timeval tv[2])
{
	struct timespec ts[2];
	const char *rpath;

	if (!hijack_rumppath(path, &rpath))
		return HOST(lutimes)(path, tv);
	if (tv != NULL && hijack_badaddr(tv))
		return hijack_efault();
	return rump_sys_utimensat(AT_FDCWD, rpath, path_tvtots(tv, ts),
	    AT_SYMLINK_NOFOLLOW);
}

int
futimesat(int dirfd, const char *path, const struct timeval tv[2])
{
	struct timespec ts[2];
	const char *rpath;
	int rdirfd;

	if (hijack_atpath(dirfd, path, &rdirfd, &rpath) != HIJACK_RUMP)
		return HOST(futimesat)(dirfd, path, tv);
	if (tv != NULL && hijack_badaddr(tv))
		return hijack_efault();
	if (rpath == NULL)
		return rump_sys_futimens(rdirfd, path_tvtots(tv, ts));
	return rump_sys_utimensat(rdirfd, rpath, path_tvtots(tv, ts), 0);
}

int
truncate(const char *path, off_t length)
{
	const char *rpath;

	if (hijack_rumppath(path, &rpath))
		return rump_sys_truncate(rpath, length);
	return HOST(truncate)(path, length);
}

int
truncate64(const char *path, off64_t length)
{

	return truncate(path, length);
}

/* ------------------------------------------------------------------ */
/* Extended attributes: none in the rump kernel */

static int
path_noxattr(void)
{

	errno = ENOTSUP;
	return -1;
}

ssize_t
getxattr(const char *path, const char *name, void *value, size_t size)
{
	const char *rpath;

	if (hijack_rumppath(path, &rpath))
		return path_noxattr();
	return HOST(getxattr)(path, name, value, size);
}

ssize_t
lgetxattr(const char *path, const char *name, void *value, size_t size)
{
	const char *rpath;

	if (hijack_rumppath(path, &rpath))
		return path_noxattr();
	return HOST(lgetxattr)(path, name, value, size);
}

ssize_t
fgetxattr(int fd, const char *name, void *value, size_t size)
{

	if (hijack_fdkind(fd, NULL) == HIJACK_RUMP)
		return path_noxattr();
	return HOST(fgetxattr)(fd, name, value, size);
}

int
setxattr(const char *path, const char *name, const void *value, size_t size,
    int flags)
{
	const char *rpath;

	if (hijack_rumppath(path, &rpath))
		return path_noxattr();
	return HOST(setxattr)(path, name, value, size, flags);
}

int
lsetxattr(const char *path, const char *name, const void *value, size_t size,
    int flags)
{
	const char *rpath;

	if (hijack_rumppath(path, &rpath))
		return path_noxattr();
	return HOST(lsetxattr)(path, name, value, size, flags);
}

int
fsetxattr(int fd, const char *name, const void *value, size_t size,
    int flags)
{

	if (hijack_fdkind(fd, NULL) == HIJACK_RUMP)
		return path_noxattr();
	return HOST(fsetxattr)(fd, name, value, size, flags);
}

ssize_t
listxattr(const char *path, char *list, size_t size)
{
	const char *rpath;

	if (hijack_rumppath(path, &rpath))
		return path_noxattr();
	return HOST(listxattr)(path, list, size);
}

ssize_t
llistxattr(const char *path, char *list, size_t size)
{
	const char *rpath;

	if (hijack_rumppath(path, &rpath))
		return path_noxattr();
	return HOST(llistxattr)(path, list, size);
}

ssize_t
flistxattr(int fd, char *list, size_t size)
{

	if (hijack_fdkind(fd, NULL) == HIJACK_RUMP)
		return path_noxattr();
	return HOST(flistxattr)(fd, list, size);
}

int
removexattr(const char *path, const char *name)
{
	const char *rpath;

	if (hijack_rumppath(path, &rpath))
		return path_noxattr();
	return HOST(removexattr)(path, name);
}

int
lremovexattr(const char *path, const char *name)
{
	const char *rpath;

	if (hijack_rumppath(path, &rpath))
		return path_noxattr();
	return HOST(lremovexattr)(path, name);
}

int
fremovexattr(int fd, const char *name)
{

	if (hijack_fdkind(fd, NULL) == HIJACK_RUMP)
		return path_noxattr();
	return HOST(fremovexattr)(fd, name);
}
