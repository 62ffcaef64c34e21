/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Generated from sys/kern/syscalls.master by sys/rump/makerumpsyscalls.sh.
 * Do not edit: change the master file and run make regen.
 *
 * The rump_sys_* entry points: each stores its arguments in the call's
 * argument block and hands it to rsys_syscall().  On error it sets the
 * caller's errno and returns -1, as the C library does.  The same file
 * serves remote clients, where rsys_syscall sends the block to a server.
 */

#include <sys/types.h>
#include <sys/stdarg.h>
#include <sys/syscall.h>
#include <sys/syscallargs.h>

#include <rump-sys/rsys.h>

pid_t rump_sys_getpid(void);

pid_t
rump_sys_getpid(void)
{
	register_t retval[2] = { 0, 0 };
	int error;

	error = rsys_syscall(SYS_getpid, NULL, 0, retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (pid_t)-1;
	}
	return (pid_t)retval[0];
}

pid_t rump_sys_getppid(void);

pid_t
rump_sys_getppid(void)
{
	register_t retval[2] = { 0, 0 };
	int error;

	error = rsys_syscall(SYS_getppid, NULL, 0, retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (pid_t)-1;
	}
	return (pid_t)retval[0];
}

uid_t rump_sys_getuid(void);

uid_t
rump_sys_getuid(void)
{
	register_t retval[2] = { 0, 0 };
	int error;

	error = rsys_syscall(SYS_getuid, NULL, 0, retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (uid_t)-1;
	}
	return (uid_t)retval[0];
}

uid_t rump_sys_geteuid(void);

uid_t
rump_sys_geteuid(void)
{
	register_t retval[2] = { 0, 0 };
	int error;

	error = rsys_syscall(SYS_geteuid, NULL, 0, retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (uid_t)-1;
	}
	return (uid_t)retval[0];
}

gid_t rump_sys_getgid(void);

gid_t
rump_sys_getgid(void)
{
	register_t retval[2] = { 0, 0 };
	int error;

	error = rsys_syscall(SYS_getgid, NULL, 0, retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (gid_t)-1;
	}
	return (gid_t)retval[0];
}

gid_t rump_sys_getegid(void);

gid_t
rump_sys_getegid(void)
{
	register_t retval[2] = { 0, 0 };
	int error;

	error = rsys_syscall(SYS_getegid, NULL, 0, retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (gid_t)-1;
	}
	return (gid_t)retval[0];
}

int rump_sys_setuid(uid_t uid);

int
rump_sys_setuid(uid_t uid)
{
	struct sys_setuid_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, uid) = uid;
	error = rsys_syscall(SYS_setuid, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_setgid(gid_t gid);

int
rump_sys_setgid(gid_t gid)
{
	struct sys_setgid_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, gid) = gid;
	error = rsys_syscall(SYS_setgid, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_setgroups(size_t size, const gid_t * list);

int
rump_sys_setgroups(size_t size, const gid_t * list)
{
	struct sys_setgroups_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, size) = size;
	SCARG(&callarg, list) = list;
	error = rsys_syscall(SYS_setgroups, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_getgroups(int size, gid_t * list);

int
rump_sys_getgroups(int size, gid_t * list)
{
	struct sys_getgroups_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, size) = size;
	SCARG(&callarg, list) = list;
	error = rsys_syscall(SYS_getgroups, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_uname(struct utsname * buf);

int
rump_sys_uname(struct utsname * buf)
{
	struct sys_uname_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, buf) = buf;
	error = rsys_syscall(SYS_uname, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_sethostname(const char * name, size_t len);

int
rump_sys_sethostname(const char * name, size_t len)
{
	struct sys_sethostname_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, name) = name;
	SCARG(&callarg, len) = len;
	error = rsys_syscall(SYS_sethostname, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_gettimeofday(struct timeval * tv, void * tz);

int
rump_sys_gettimeofday(struct timeval * tv, void * tz)
{
	struct sys_gettimeofday_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, tv) = tv;
	SCARG(&callarg, tz) = tz;
	error = rsys_syscall(SYS_gettimeofday, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_clock_gettime(clockid_t clockid, struct timespec * tp);

int
rump_sys_clock_gettime(clockid_t clockid, struct timespec * tp)
{
	struct sys_clock_gettime_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, clockid) = clockid;
	SCARG(&callarg, tp) = tp;
	error = rsys_syscall(SYS_clock_gettime, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_clock_getres(clockid_t clockid, struct timespec * res);

int
rump_sys_clock_getres(clockid_t clockid, struct timespec * res)
{
	struct sys_clock_getres_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, clockid) = clockid;
	SCARG(&callarg, res) = res;
	error = rsys_syscall(SYS_clock_getres, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_nanosleep(const struct timespec * req, struct timespec * rem);

int
rump_sys_nanosleep(const struct timespec * req, struct timespec * rem)
{
	struct sys_nanosleep_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, req) = req;
	SCARG(&callarg, rem) = rem;
	error = rsys_syscall(SYS_nanosleep, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

mode_t rump_sys_umask(mode_t mask);

mode_t
rump_sys_umask(mode_t mask)
{
	struct sys_umask_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, mask) = mask;
	error = rsys_syscall(SYS_umask, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (mode_t)-1;
	}
	return (mode_t)retval[0];
}

int rump_sys_reboot(int cmd);

int
rump_sys_reboot(int cmd)
{
	struct sys_reboot_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, cmd) = cmd;
	error = rsys_syscall(SYS_reboot, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys___sysctl(const int * name, unsigned int namelen, void * oldp, size_t * oldlenp, const void * newp, size_t newlen);

int
rump_sys___sysctl(const int * name, unsigned int namelen, void * oldp, size_t * oldlenp, const void * newp, size_t newlen)
{
	struct sys___sysctl_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, name) = name;
	SCARG(&callarg, namelen) = namelen;
	SCARG(&callarg, oldp) = oldp;
	SCARG(&callarg, oldlenp) = oldlenp;
	SCARG(&callarg, newp) = newp;
	SCARG(&callarg, newlen) = newlen;
	error = rsys_syscall(SYS___sysctl, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_seteuid(uid_t euid);

int
rump_sys_seteuid(uid_t euid)
{
	struct sys_seteuid_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, euid) = euid;
	error = rsys_syscall(SYS_seteuid, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_setegid(gid_t egid);

int
rump_sys_setegid(gid_t egid)
{
	struct sys_setegid_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, egid) = egid;
	error = rsys_syscall(SYS_setegid, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_setreuid(uid_t ruid, uid_t euid);

int
rump_sys_setreuid(uid_t ruid, uid_t euid)
{
	struct sys_setreuid_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, ruid) = ruid;
	SCARG(&callarg, euid) = euid;
	error = rsys_syscall(SYS_setreuid, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_setregid(gid_t rgid, gid_t egid);

int
rump_sys_setregid(gid_t rgid, gid_t egid)
{
	struct sys_setregid_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, rgid) = rgid;
	SCARG(&callarg, egid) = egid;
	error = rsys_syscall(SYS_setregid, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_kill(pid_t pid, int sig);

int
rump_sys_kill(pid_t pid, int sig)
{
	struct sys_kill_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, pid) = pid;
	SCARG(&callarg, sig) = sig;
	error = rsys_syscall(SYS_kill, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_setdomainname(const char * name, size_t len);

int
rump_sys_setdomainname(const char * name, size_t len)
{
	struct sys_setdomainname_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, name) = name;
	SCARG(&callarg, len) = len;
	error = rsys_syscall(SYS_setdomainname, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

ssize_t rump_sys_read(int fd, void * buf, size_t count);

ssize_t
rump_sys_read(int fd, void * buf, size_t count)
{
	struct sys_read_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, fd) = fd;
	SCARG(&callarg, buf) = buf;
	SCARG(&callarg, count) = count;
	error = rsys_syscall(SYS_read, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (ssize_t)-1;
	}
	return (ssize_t)retval[0];
}

ssize_t rump_sys_write(int fd, const void * buf, size_t count);

ssize_t
rump_sys_write(int fd, const void * buf, size_t count)
{
	struct sys_write_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, fd) = fd;
	SCARG(&callarg, buf) = buf;
	SCARG(&callarg, count) = count;
	error = rsys_syscall(SYS_write, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (ssize_t)-1;
	}
	return (ssize_t)retval[0];
}

int rump_sys_close(int fd);

int
rump_sys_close(int fd)
{
	struct sys_close_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, fd) = fd;
	error = rsys_syscall(SYS_close, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

ssize_t rump_sys_pread(int fd, void * buf, size_t count, off_t offset);

ssize_t
rump_sys_pread(int fd, void * buf, size_t count, off_t offset)
{
	struct sys_pread_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, fd) = fd;
	SCARG(&callarg, buf) = buf;
	SCARG(&callarg, count) = count;
	SCARG(&callarg, offset) = offset;
	error = rsys_syscall(SYS_pread, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (ssize_t)-1;
	}
	return (ssize_t)retval[0];
}

ssize_t rump_sys_pwrite(int fd, const void * buf, size_t count, off_t offset);

ssize_t
rump_sys_pwrite(int fd, const void * buf, size_t count, off_t offset)
{
	struct sys_pwrite_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, fd) = fd;
	SCARG(&callarg, buf) = buf;
	SCARG(&callarg, count) = count;
	SCARG(&callarg, offset) = offset;
	error = rsys_syscall(SYS_pwrite, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (ssize_t)-1;
	}
	return (ssize_t)retval[0];
}

ssize_t rump_sys_readv(int fd, const struct iovec * iov, int iovcnt);

ssize_t
rump_sys_readv(int fd, const struct iovec * iov, int iovcnt)
{
	struct sys_readv_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, fd) = fd;
	SCARG(&callarg, iov) = iov;
	SCARG(&callarg, iovcnt) = iovcnt;
	error = rsys_syscall(SYS_readv, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (ssize_t)-1;
	}
	return (ssize_t)retval[0];
}

ssize_t rump_sys_writev(int fd, const struct iovec * iov, int iovcnt);

ssize_t
rump_sys_writev(int fd, const struct iovec * iov, int iovcnt)
{
	struct sys_writev_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, fd) = fd;
	SCARG(&callarg, iov) = iov;
	SCARG(&callarg, iovcnt) = iovcnt;
	error = rsys_syscall(SYS_writev, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (ssize_t)-1;
	}
	return (ssize_t)retval[0];
}

ssize_t rump_sys_preadv(int fd, const struct iovec * iov, int iovcnt, off_t offset);

ssize_t
rump_sys_preadv(int fd, const struct iovec * iov, int iovcnt, off_t offset)
{
	struct sys_preadv_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, fd) = fd;
	SCARG(&callarg, iov) = iov;
	SCARG(&callarg, iovcnt) = iovcnt;
	SCARG(&callarg, offset) = offset;
	error = rsys_syscall(SYS_preadv, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (ssize_t)-1;
	}
	return (ssize_t)retval[0];
}

ssize_t rump_sys_pwritev(int fd, const struct iovec * iov, int iovcnt, off_t offset);

ssize_t
rump_sys_pwritev(int fd, const struct iovec * iov, int iovcnt, off_t offset)
{
	struct sys_pwritev_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, fd) = fd;
	SCARG(&callarg, iov) = iov;
	SCARG(&callarg, iovcnt) = iovcnt;
	SCARG(&callarg, offset) = offset;
	error = rsys_syscall(SYS_pwritev, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (ssize_t)-1;
	}
	return (ssize_t)retval[0];
}

int rump_sys_dup(int oldfd);

int
rump_sys_dup(int oldfd)
{
	struct sys_dup_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, oldfd) = oldfd;
	error = rsys_syscall(SYS_dup, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_dup2(int oldfd, int newfd);

int
rump_sys_dup2(int oldfd, int newfd)
{
	struct sys_dup2_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, oldfd) = oldfd;
	SCARG(&callarg, newfd) = newfd;
	error = rsys_syscall(SYS_dup2, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_dup3(int oldfd, int newfd, int flags);

int
rump_sys_dup3(int oldfd, int newfd, int flags)
{
	struct sys_dup3_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, oldfd) = oldfd;
	SCARG(&callarg, newfd) = newfd;
	SCARG(&callarg, flags) = flags;
	error = rsys_syscall(SYS_dup3, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_fcntl(int fd, int cmd, ...);

int
rump_sys_fcntl(int fd, int cmd, ...)
{
	struct sys_fcntl_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;
	va_list ap;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, fd) = fd;
	SCARG(&callarg, cmd) = cmd;
	va_start(ap, cmd);
	SCARG(&callarg, arg) = va_arg(ap, long);
	va_end(ap);
	error = rsys_syscall(SYS_fcntl, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_ioctl(int fd, unsigned long request, ...);

int
rump_sys_ioctl(int fd, unsigned long request, ...)
{
	struct sys_ioctl_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;
	va_list ap;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, fd) = fd;
	SCARG(&callarg, request) = request;
	va_start(ap, request);
	SCARG(&callarg, arg) = va_arg(ap, void *);
	va_end(ap);
	error = rsys_syscall(SYS_ioctl, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_pipe(int * fds);

int
rump_sys_pipe(int * fds)
{
	struct sys_pipe_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, fds) = fds;
	error = rsys_syscall(SYS_pipe, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_pipe2(int * fds, int flags);

int
rump_sys_pipe2(int * fds, int flags)
{
	struct sys_pipe2_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, fds) = fds;
	SCARG(&callarg, flags) = flags;
	error = rsys_syscall(SYS_pipe2, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_poll(struct pollfd * fds, unsigned long nfds, int timeout);

int
rump_sys_poll(struct pollfd * fds, unsigned long nfds, int timeout)
{
	struct sys_poll_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, fds) = fds;
	SCARG(&callarg, nfds) = nfds;
	SCARG(&callarg, timeout) = timeout;
	error = rsys_syscall(SYS_poll, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_ppoll(struct pollfd * fds, unsigned long nfds, const struct timespec * tmo, const void * sigmask);

int
rump_sys_ppoll(struct pollfd * fds, unsigned long nfds, const struct timespec * tmo, const void * sigmask)
{
	struct sys_ppoll_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, fds) = fds;
	SCARG(&callarg, nfds) = nfds;
	SCARG(&callarg, tmo) = tmo;
	SCARG(&callarg, sigmask) = sigmask;
	error = rsys_syscall(SYS_ppoll, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_select(int nfds, fd_set * readfds, fd_set * writefds, fd_set * exceptfds, struct timeval * timeout);

int
rump_sys_select(int nfds, fd_set * readfds, fd_set * writefds, fd_set * exceptfds, struct timeval * timeout)
{
	struct sys_select_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, nfds) = nfds;
	SCARG(&callarg, readfds) = readfds;
	SCARG(&callarg, writefds) = writefds;
	SCARG(&callarg, exceptfds) = exceptfds;
	SCARG(&callarg, timeout) = timeout;
	error = rsys_syscall(SYS_select, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_pselect(int nfds, fd_set * readfds, fd_set * writefds, fd_set * exceptfds, const struct timespec * timeout, const void * sigmask);

int
rump_sys_pselect(int nfds, fd_set * readfds, fd_set * writefds, fd_set * exceptfds, const struct timespec * timeout, const void * sigmask)
{
	struct sys_pselect_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, nfds) = nfds;
	SCARG(&callarg, readfds) = readfds;
	SCARG(&callarg, writefds) = writefds;
	SCARG(&callarg, exceptfds) = exceptfds;
	SCARG(&callarg, timeout) = timeout;
	SCARG(&callarg, sigmask) = sigmask;
	error = rsys_syscall(SYS_pselect, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_flock(int fd, int operation);

int
rump_sys_flock(int fd, int operation)
{
	struct sys_flock_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, fd) = fd;
	SCARG(&callarg, operation) = operation;
	error = rsys_syscall(SYS_flock, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_fstat(int fd, struct stat * buf);

int
rump_sys_fstat(int fd, struct stat * buf)
{
	struct sys_fstat_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, fd) = fd;
	SCARG(&callarg, buf) = buf;
	error = rsys_syscall(SYS_fstat, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_open(const char * path, int flags, ...);

int
rump_sys_open(const char * path, int flags, ...)
{
	struct sys_open_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;
	va_list ap;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, path) = path;
	SCARG(&callarg, flags) = flags;
	va_start(ap, flags);
	SCARG(&callarg, mode) = va_arg(ap, mode_t);
	va_end(ap);
	error = rsys_syscall(SYS_open, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_openat(int dirfd, const char * path, int flags, ...);

int
rump_sys_openat(int dirfd, const char * path, int flags, ...)
{
	struct sys_openat_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;
	va_list ap;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, dirfd) = dirfd;
	SCARG(&callarg, path) = path;
	SCARG(&callarg, flags) = flags;
	va_start(ap, flags);
	SCARG(&callarg, mode) = va_arg(ap, mode_t);
	va_end(ap);
	error = rsys_syscall(SYS_openat, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_creat(const char * path, mode_t mode);

int
rump_sys_creat(const char * path, mode_t mode)
{
	struct sys_creat_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, path) = path;
	SCARG(&callarg, mode) = mode;
	error = rsys_syscall(SYS_creat, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

off_t rump_sys_lseek(int fd, off_t offset, int whence);

off_t
rump_sys_lseek(int fd, off_t offset, int whence)
{
	struct sys_lseek_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, fd) = fd;
	SCARG(&callarg, offset) = offset;
	SCARG(&callarg, whence) = whence;
	error = rsys_syscall(SYS_lseek, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (off_t)-1;
	}
	return (off_t)retval[0];
}

int rump_sys_stat(const char * path, struct stat * buf);

int
rump_sys_stat(const char * path, struct stat * buf)
{
	struct sys_stat_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, path) = path;
	SCARG(&callarg, buf) = buf;
	error = rsys_syscall(SYS_stat, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_lstat(const char * path, struct stat * buf);

int
rump_sys_lstat(const char * path, struct stat * buf)
{
	struct sys_lstat_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, path) = path;
	SCARG(&callarg, buf) = buf;
	error = rsys_syscall(SYS_lstat, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_fstatat(int dirfd, const char * path, struct stat * buf, int flags);

int
rump_sys_fstatat(int dirfd, const char * path, struct stat * buf, int flags)
{
	struct sys_fstatat_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, dirfd) = dirfd;
	SCARG(&callarg, path) = path;
	SCARG(&callarg, buf) = buf;
	SCARG(&callarg, flags) = flags;
	error = rsys_syscall(SYS_fstatat, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_statx(int dirfd, const char * path, int flags, unsigned int mask, struct statx * buf);

int
rump_sys_statx(int dirfd, const char * path, int flags, unsigned int mask, struct statx * buf)
{
	struct sys_statx_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, dirfd) = dirfd;
	SCARG(&callarg, path) = path;
	SCARG(&callarg, flags) = flags;
	SCARG(&callarg, mask) = mask;
	SCARG(&callarg, buf) = buf;
	error = rsys_syscall(SYS_statx, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

ssize_t rump_sys_getdents64(int fd, void * dirp, size_t count);

ssize_t
rump_sys_getdents64(int fd, void * dirp, size_t count)
{
	struct sys_getdents64_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, fd) = fd;
	SCARG(&callarg, dirp) = dirp;
	SCARG(&callarg, count) = count;
	error = rsys_syscall(SYS_getdents64, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (ssize_t)-1;
	}
	return (ssize_t)retval[0];
}

int rump_sys_mkdir(const char * path, mode_t mode);

int
rump_sys_mkdir(const char * path, mode_t mode)
{
	struct sys_mkdir_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, path) = path;
	SCARG(&callarg, mode) = mode;
	error = rsys_syscall(SYS_mkdir, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_mkdirat(int dirfd, const char * path, mode_t mode);

int
rump_sys_mkdirat(int dirfd, const char * path, mode_t mode)
{
	struct sys_mkdirat_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, dirfd) = dirfd;
	SCARG(&callarg, path) = path;
	SCARG(&callarg, mode) = mode;
	error = rsys_syscall(SYS_mkdirat, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_rmdir(const char * path);

int
rump_sys_rmdir(const char * path)
{
	struct sys_rmdir_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, path) = path;
	error = rsys_syscall(SYS_rmdir, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_unlink(const char * path);

int
rump_sys_unlink(const char * path)
{
	struct sys_unlink_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, path) = path;
	error = rsys_syscall(SYS_unlink, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_unlinkat(int dirfd, const char * path, int flags);

int
rump_sys_unlinkat(int dirfd, const char * path, int flags)
{
	struct sys_unlinkat_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, dirfd) = dirfd;
	SCARG(&callarg, path) = path;
	SCARG(&callarg, flags) = flags;
	error = rsys_syscall(SYS_unlinkat, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_rename(const char * oldpath, const char * newpath);

int
rump_sys_rename(const char * oldpath, const char * newpath)
{
	struct sys_rename_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, oldpath) = oldpath;
	SCARG(&callarg, newpath) = newpath;
	error = rsys_syscall(SYS_rename, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_renameat(int olddirfd, const char * oldpath, int newdirfd, const char * newpath);

int
rump_sys_renameat(int olddirfd, const char * oldpath, int newdirfd, const char * newpath)
{
	struct sys_renameat_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, olddirfd) = olddirfd;
	SCARG(&callarg, oldpath) = oldpath;
	SCARG(&callarg, newdirfd) = newdirfd;
	SCARG(&callarg, newpath) = newpath;
	error = rsys_syscall(SYS_renameat, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_renameat2(int olddirfd, const char * oldpath, int newdirfd, const char * newpath, unsigned int flags);

int
rump_sys_renameat2(int olddirfd, const char * oldpath, int newdirfd, const char * newpath, unsigned int flags)
{
	struct sys_renameat2_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, olddirfd) = olddirfd;
	SCARG(&callarg, oldpath) = oldpath;
	SCARG(&callarg, newdirfd) = newdirfd;
	SCARG(&callarg, newpath) = newpath;
	SCARG(&callarg, flags) = flags;
	error = rsys_syscall(SYS_renameat2, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_link(const char * oldpath, const char * newpath);

int
rump_sys_link(const char * oldpath, const char * newpath)
{
	struct sys_link_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, oldpath) = oldpath;
	SCARG(&callarg, newpath) = newpath;
	error = rsys_syscall(SYS_link, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_linkat(int olddirfd, const char * oldpath, int newdirfd, const char * newpath, int flags);

int
rump_sys_linkat(int olddirfd, const char * oldpath, int newdirfd, const char * newpath, int flags)
{
	struct sys_linkat_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, olddirfd) = olddirfd;
	SCARG(&callarg, oldpath) = oldpath;
	SCARG(&callarg, newdirfd) = newdirfd;
	SCARG(&callarg, newpath) = newpath;
	SCARG(&callarg, flags) = flags;
	error = rsys_syscall(SYS_linkat, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_symlink(const char * target, const char * linkpath);

int
rump_sys_symlink(const char * target, const char * linkpath)
{
	struct sys_symlink_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, target) = target;
	SCARG(&callarg, linkpath) = linkpath;
	error = rsys_syscall(SYS_symlink, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_symlinkat(const char * target, int newdirfd, const char * linkpath);

int
rump_sys_symlinkat(const char * target, int newdirfd, const char * linkpath)
{
	struct sys_symlinkat_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, target) = target;
	SCARG(&callarg, newdirfd) = newdirfd;
	SCARG(&callarg, linkpath) = linkpath;
	error = rsys_syscall(SYS_symlinkat, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

ssize_t rump_sys_readlink(const char * path, char * buf, size_t bufsiz);

ssize_t
rump_sys_readlink(const char * path, char * buf, size_t bufsiz)
{
	struct sys_readlink_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, path) = path;
	SCARG(&callarg, buf) = buf;
	SCARG(&callarg, bufsiz) = bufsiz;
	error = rsys_syscall(SYS_readlink, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (ssize_t)-1;
	}
	return (ssize_t)retval[0];
}

ssize_t rump_sys_readlinkat(int dirfd, const char * path, char * buf, size_t bufsiz);

ssize_t
rump_sys_readlinkat(int dirfd, const char * path, char * buf, size_t bufsiz)
{
	struct sys_readlinkat_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, dirfd) = dirfd;
	SCARG(&callarg, path) = path;
	SCARG(&callarg, buf) = buf;
	SCARG(&callarg, bufsiz) = bufsiz;
	error = rsys_syscall(SYS_readlinkat, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (ssize_t)-1;
	}
	return (ssize_t)retval[0];
}

int rump_sys_chmod(const char * path, mode_t mode);

int
rump_sys_chmod(const char * path, mode_t mode)
{
	struct sys_chmod_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, path) = path;
	SCARG(&callarg, mode) = mode;
	error = rsys_syscall(SYS_chmod, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_fchmod(int fd, mode_t mode);

int
rump_sys_fchmod(int fd, mode_t mode)
{
	struct sys_fchmod_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, fd) = fd;
	SCARG(&callarg, mode) = mode;
	error = rsys_syscall(SYS_fchmod, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_fchmodat(int dirfd, const char * path, mode_t mode, int flags);

int
rump_sys_fchmodat(int dirfd, const char * path, mode_t mode, int flags)
{
	struct sys_fchmodat_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, dirfd) = dirfd;
	SCARG(&callarg, path) = path;
	SCARG(&callarg, mode) = mode;
	SCARG(&callarg, flags) = flags;
	error = rsys_syscall(SYS_fchmodat, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_chown(const char * path, uid_t owner, gid_t group);

int
rump_sys_chown(const char * path, uid_t owner, gid_t group)
{
	struct sys_chown_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, path) = path;
	SCARG(&callarg, owner) = owner;
	SCARG(&callarg, group) = group;
	error = rsys_syscall(SYS_chown, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_fchown(int fd, uid_t owner, gid_t group);

int
rump_sys_fchown(int fd, uid_t owner, gid_t group)
{
	struct sys_fchown_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, fd) = fd;
	SCARG(&callarg, owner) = owner;
	SCARG(&callarg, group) = group;
	error = rsys_syscall(SYS_fchown, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_lchown(const char * path, uid_t owner, gid_t group);

int
rump_sys_lchown(const char * path, uid_t owner, gid_t group)
{
	struct sys_lchown_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, path) = path;
	SCARG(&callarg, owner) = owner;
	SCARG(&callarg, group) = group;
	error = rsys_syscall(SYS_lchown, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_fchownat(int dirfd, const char * path, uid_t owner, gid_t group, int flags);

int
rump_sys_fchownat(int dirfd, const char * path, uid_t owner, gid_t group, int flags)
{
	struct sys_fchownat_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, dirfd) = dirfd;
	SCARG(&callarg, path) = path;
	SCARG(&callarg, owner) = owner;
	SCARG(&callarg, group) = group;
	SCARG(&callarg, flags) = flags;
	error = rsys_syscall(SYS_fchownat, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_utimensat(int dirfd, const char * path, const struct timespec * times, int flags);

int
rump_sys_utimensat(int dirfd, const char * path, const struct timespec * times, int flags)
{
	struct sys_utimensat_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, dirfd) = dirfd;
	SCARG(&callarg, path) = path;
	SCARG(&callarg, times) = times;
	SCARG(&callarg, flags) = flags;
	error = rsys_syscall(SYS_utimensat, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_futimens(int fd, const struct timespec * times);

int
rump_sys_futimens(int fd, const struct timespec * times)
{
	struct sys_futimens_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, fd) = fd;
	SCARG(&callarg, times) = times;
	error = rsys_syscall(SYS_futimens, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_truncate(const char * path, off_t length);

int
rump_sys_truncate(const char * path, off_t length)
{
	struct sys_truncate_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, path) = path;
	SCARG(&callarg, length) = length;
	error = rsys_syscall(SYS_truncate, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_ftruncate(int fd, off_t length);

int
rump_sys_ftruncate(int fd, off_t length)
{
	struct sys_ftruncate_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, fd) = fd;
	SCARG(&callarg, length) = length;
	error = rsys_syscall(SYS_ftruncate, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_fallocate(int fd, int mode, off_t offset, off_t len);

int
rump_sys_fallocate(int fd, int mode, off_t offset, off_t len)
{
	struct sys_fallocate_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, fd) = fd;
	SCARG(&callarg, mode) = mode;
	SCARG(&callarg, offset) = offset;
	SCARG(&callarg, len) = len;
	error = rsys_syscall(SYS_fallocate, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_fsync(int fd);

int
rump_sys_fsync(int fd)
{
	struct sys_fsync_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, fd) = fd;
	error = rsys_syscall(SYS_fsync, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_fdatasync(int fd);

int
rump_sys_fdatasync(int fd)
{
	struct sys_fdatasync_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, fd) = fd;
	error = rsys_syscall(SYS_fdatasync, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

void rump_sys_sync(void);

void
rump_sys_sync(void)
{
	register_t retval[2] = { 0, 0 };
	int error;

	error = rsys_syscall(SYS_sync, NULL, 0, retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return;
	}
}

int rump_sys_syncfs(int fd);

int
rump_sys_syncfs(int fd)
{
	struct sys_syncfs_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, fd) = fd;
	error = rsys_syscall(SYS_syncfs, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_access(const char * path, int mode);

int
rump_sys_access(const char * path, int mode)
{
	struct sys_access_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, path) = path;
	SCARG(&callarg, mode) = mode;
	error = rsys_syscall(SYS_access, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_faccessat(int dirfd, const char * path, int mode, int flags);

int
rump_sys_faccessat(int dirfd, const char * path, int mode, int flags)
{
	struct sys_faccessat_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, dirfd) = dirfd;
	SCARG(&callarg, path) = path;
	SCARG(&callarg, mode) = mode;
	SCARG(&callarg, flags) = flags;
	error = rsys_syscall(SYS_faccessat, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_faccessat2(int dirfd, const char * path, int mode, int flags);

int
rump_sys_faccessat2(int dirfd, const char * path, int mode, int flags)
{
	struct sys_faccessat2_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, dirfd) = dirfd;
	SCARG(&callarg, path) = path;
	SCARG(&callarg, mode) = mode;
	SCARG(&callarg, flags) = flags;
	error = rsys_syscall(SYS_faccessat2, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_chdir(const char * path);

int
rump_sys_chdir(const char * path)
{
	struct sys_chdir_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, path) = path;
	error = rsys_syscall(SYS_chdir, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_fchdir(int fd);

int
rump_sys_fchdir(int fd)
{
	struct sys_fchdir_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, fd) = fd;
	error = rsys_syscall(SYS_fchdir, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

char * rump_sys_getcwd(char * buf, size_t size);

char *
rump_sys_getcwd(char * buf, size_t size)
{
	struct sys_getcwd_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, buf) = buf;
	SCARG(&callarg, size) = size;
	error = rsys_syscall(SYS_getcwd, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return NULL;
	}
	return (char *)retval[0];
}

int rump_sys_chroot(const char * path);

int
rump_sys_chroot(const char * path)
{
	struct sys_chroot_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, path) = path;
	error = rsys_syscall(SYS_chroot, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_mknod(const char * path, mode_t mode, dev_t dev);

int
rump_sys_mknod(const char * path, mode_t mode, dev_t dev)
{
	struct sys_mknod_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, path) = path;
	SCARG(&callarg, mode) = mode;
	SCARG(&callarg, dev) = dev;
	error = rsys_syscall(SYS_mknod, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_mknodat(int dirfd, const char * path, mode_t mode, dev_t dev);

int
rump_sys_mknodat(int dirfd, const char * path, mode_t mode, dev_t dev)
{
	struct sys_mknodat_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, dirfd) = dirfd;
	SCARG(&callarg, path) = path;
	SCARG(&callarg, mode) = mode;
	SCARG(&callarg, dev) = dev;
	error = rsys_syscall(SYS_mknodat, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_mount(const char * source, const char * target, const char * fstype, unsigned long mountflags, const void * data);

int
rump_sys_mount(const char * source, const char * target, const char * fstype, unsigned long mountflags, const void * data)
{
	struct sys_mount_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, source) = source;
	SCARG(&callarg, target) = target;
	SCARG(&callarg, fstype) = fstype;
	SCARG(&callarg, mountflags) = mountflags;
	SCARG(&callarg, data) = data;
	error = rsys_syscall(SYS_mount, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_umount2(const char * target, int flags);

int
rump_sys_umount2(const char * target, int flags)
{
	struct sys_umount2_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, target) = target;
	SCARG(&callarg, flags) = flags;
	error = rsys_syscall(SYS_umount2, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_umount(const char * target);

int
rump_sys_umount(const char * target)
{
	struct sys_umount_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, target) = target;
	error = rsys_syscall(SYS_umount, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_statfs(const char * path, struct statfs * buf);

int
rump_sys_statfs(const char * path, struct statfs * buf)
{
	struct sys_statfs_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, path) = path;
	SCARG(&callarg, buf) = buf;
	error = rsys_syscall(SYS_statfs, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}

int rump_sys_fstatfs(int fd, struct statfs * buf);

int
rump_sys_fstatfs(int fd, struct statfs * buf)
{
	struct sys_fstatfs_args callarg;
	register_t retval[2] = { 0, 0 };
	int error;

	__builtin_memset(&callarg, 0, sizeof(callarg));
	SCARG(&callarg, fd) = fd;
	SCARG(&callarg, buf) = buf;
	error = rsys_syscall(SYS_fstatfs, &callarg, sizeof(callarg), retval);
	if (__predict_false(error != 0)) {
		rsys_seterrno(error);
		return (int)-1;
	}
	return (int)retval[0];
}
