/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Generated from sys/kern/syscalls.master by sys/rump/makerumpsyscalls.sh.
 * Do not edit: change the master file and run make regen.
 *
 * System calls into a rump kernel.  Arguments, flags, structures and errno
 * values are those of Linux on this host, so a program passes its own
 * <fcntl.h> and <sys/stat.h> values.  Each call returns what the C library
 * function of the same name returns; on error it returns -1 and sets errno.
 * Descriptors, pids and other handles refer to the rump kernel's objects.
 */

#ifndef _RUMP_RUMP_SYSCALLS_H_
#define _RUMP_RUMP_SYSCALLS_H_

#ifdef _KERNEL
#error rump_syscalls.h is for programs that call into a rump kernel
#endif

#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct utsname;
struct timeval;
struct timespec;

#ifdef __cplusplus
extern "C" {
#endif

#define RUMP_SYS_getpid	1
#define RUMP_SYS_getppid	2
#define RUMP_SYS_getuid	3
#define RUMP_SYS_geteuid	4
#define RUMP_SYS_getgid	5
#define RUMP_SYS_getegid	6
#define RUMP_SYS_setuid	7
#define RUMP_SYS_setgid	8
#define RUMP_SYS_setgroups	9
#define RUMP_SYS_getgroups	10
#define RUMP_SYS_uname	11
#define RUMP_SYS_sethostname	12
#define RUMP_SYS_gettimeofday	13
#define RUMP_SYS_clock_gettime	14
#define RUMP_SYS_clock_getres	15
#define RUMP_SYS_nanosleep	16
#define RUMP_SYS_umask	17
#define RUMP_SYS_reboot	18
#define RUMP_SYS___sysctl	19
#define RUMP_SYS_seteuid	20
#define RUMP_SYS_setegid	21
#define RUMP_SYS_setreuid	22
#define RUMP_SYS_setregid	23
#define RUMP_SYS_kill	24
#define RUMP_SYS_setdomainname	25

pid_t rump_sys_getpid(void);
pid_t rump_sys_getppid(void);
uid_t rump_sys_getuid(void);
uid_t rump_sys_geteuid(void);
gid_t rump_sys_getgid(void);
gid_t rump_sys_getegid(void);
int rump_sys_setuid(uid_t);
int rump_sys_setgid(gid_t);
int rump_sys_setgroups(size_t, const gid_t *);
int rump_sys_getgroups(int, gid_t *);
int rump_sys_uname(struct utsname *);
int rump_sys_sethostname(const char *, size_t);
int rump_sys_gettimeofday(struct timeval *, void *);
int rump_sys_clock_gettime(clockid_t, struct timespec *);
int rump_sys_clock_getres(clockid_t, struct timespec *);
int rump_sys_nanosleep(const struct timespec *, struct timespec *);
mode_t rump_sys_umask(mode_t);
int rump_sys_reboot(int);
int rump_sys___sysctl(const int *, unsigned int, void *, size_t *, const void *, size_t);
int rump_sys_seteuid(uid_t);
int rump_sys_setegid(gid_t);
int rump_sys_setreuid(uid_t, uid_t);
int rump_sys_setregid(gid_t, gid_t);
int rump_sys_kill(pid_t, int);
int rump_sys_setdomainname(const char *, size_t);

#ifdef __cplusplus
}
#endif

#endif /* _RUMP_RUMP_SYSCALLS_H_ */
