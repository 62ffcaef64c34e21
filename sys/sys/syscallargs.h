/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Generated from sys/kern/syscalls.master by sys/rump/makerumpsyscalls.sh.
 * Do not edit: change the master file and run make regen.
 *
 * Each argument occupies one register_t slot, the value in the low-order
 * bytes (little-endian hosts only).
 */

#ifndef _SYS_SYSCALLARGS_H_
#define _SYS_SYSCALLARGS_H_

#include <sys/types.h>

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error the system call argument layout assumes a little-endian host
#endif

#define syscallarg(type)	union { register_t pad; type datum; }
#define SCARG(p, k)		((p)->k.datum)

struct lwp;
struct utsname;
struct timeval;
struct timespec;

struct sys_setuid_args {
	syscallarg(uid_t) uid;
};

struct sys_setgid_args {
	syscallarg(gid_t) gid;
};

struct sys_setgroups_args {
	syscallarg(size_t) size;
	syscallarg(const gid_t *) list;
};

struct sys_getgroups_args {
	syscallarg(int) size;
	syscallarg(gid_t *) list;
};

struct sys_uname_args {
	syscallarg(struct utsname *) buf;
};

struct sys_sethostname_args {
	syscallarg(const char *) name;
	syscallarg(size_t) len;
};

struct sys_gettimeofday_args {
	syscallarg(struct timeval *) tv;
	syscallarg(void *) tz;
};

struct sys_clock_gettime_args {
	syscallarg(clockid_t) clockid;
	syscallarg(struct timespec *) tp;
};

struct sys_clock_getres_args {
	syscallarg(clockid_t) clockid;
	syscallarg(struct timespec *) res;
};

struct sys_nanosleep_args {
	syscallarg(const struct timespec *) req;
	syscallarg(struct timespec *) rem;
};

struct sys_umask_args {
	syscallarg(mode_t) mask;
};

struct sys_reboot_args {
	syscallarg(int) cmd;
};

struct sys___sysctl_args {
	syscallarg(const int *) name;
	syscallarg(unsigned int) namelen;
	syscallarg(void *) oldp;
	syscallarg(size_t *) oldlenp;
	syscallarg(const void *) newp;
	syscallarg(size_t) newlen;
};

struct sys_seteuid_args {
	syscallarg(uid_t) euid;
};

struct sys_setegid_args {
	syscallarg(gid_t) egid;
};

struct sys_setreuid_args {
	syscallarg(uid_t) ruid;
	syscallarg(uid_t) euid;
};

struct sys_setregid_args {
	syscallarg(gid_t) rgid;
	syscallarg(gid_t) egid;
};

struct sys_kill_args {
	syscallarg(pid_t) pid;
	syscallarg(int) sig;
};

struct sys_setdomainname_args {
	syscallarg(const char *) name;
	syscallarg(size_t) len;
};

int	sys_getpid(struct lwp *, const void *, register_t *);
int	sys_getppid(struct lwp *, const void *, register_t *);
int	sys_getuid(struct lwp *, const void *, register_t *);
int	sys_geteuid(struct lwp *, const void *, register_t *);
int	sys_getgid(struct lwp *, const void *, register_t *);
int	sys_getegid(struct lwp *, const void *, register_t *);
int	sys_setuid(struct lwp *, const struct sys_setuid_args *, register_t *);
int	sys_setgid(struct lwp *, const struct sys_setgid_args *, register_t *);
int	sys_setgroups(struct lwp *, const struct sys_setgroups_args *, register_t *);
int	sys_getgroups(struct lwp *, const struct sys_getgroups_args *, register_t *);
int	sys_uname(struct lwp *, const struct sys_uname_args *, register_t *);
int	sys_sethostname(struct lwp *, const struct sys_sethostname_args *, register_t *);
int	sys_gettimeofday(struct lwp *, const struct sys_gettimeofday_args *, register_t *);
int	sys_clock_gettime(struct lwp *, const struct sys_clock_gettime_args *, register_t *);
int	sys_clock_getres(struct lwp *, const struct sys_clock_getres_args *, register_t *);
int	sys_nanosleep(struct lwp *, const struct sys_nanosleep_args *, register_t *);
int	sys_umask(struct lwp *, const struct sys_umask_args *, register_t *);
int	sys_reboot(struct lwp *, const struct sys_reboot_args *, register_t *);
int	sys___sysctl(struct lwp *, const struct sys___sysctl_args *, register_t *);
int	sys_seteuid(struct lwp *, const struct sys_seteuid_args *, register_t *);
int	sys_setegid(struct lwp *, const struct sys_setegid_args *, register_t *);
int	sys_setreuid(struct lwp *, const struct sys_setreuid_args *, register_t *);
int	sys_setregid(struct lwp *, const struct sys_setregid_args *, register_t *);
int	sys_kill(struct lwp *, const struct sys_kill_args *, register_t *);
int	sys_setdomainname(struct lwp *, const struct sys_setdomainname_args *, register_t *);

#endif /* _SYS_SYSCALLARGS_H_ */
