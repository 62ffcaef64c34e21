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
