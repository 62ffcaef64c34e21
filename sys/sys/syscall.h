/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Generated from sys/kern/syscalls.master by sys/rump/makerumpsyscalls.sh.
 * Do not edit: change the master file and run make regen.
 */

#ifndef _SYS_SYSCALL_H_
#define _SYS_SYSCALL_H_

#define SYS_getpid	1
#define SYS_getppid	2
#define SYS_getuid	3
#define SYS_geteuid	4
#define SYS_getgid	5
#define SYS_getegid	6
#define SYS_setuid	7
#define SYS_setgid	8
#define SYS_setgroups	9
#define SYS_getgroups	10
#define SYS_uname	11
#define SYS_sethostname	12
#define SYS_gettimeofday	13
#define SYS_clock_gettime	14
#define SYS_clock_getres	15
#define SYS_nanosleep	16
#define SYS_umask	17
#define SYS_reboot	18
#define SYS___sysctl	19
#define SYS_seteuid	20
#define SYS_setegid	21
#define SYS_setreuid	22
#define SYS_setregid	23
#define SYS_kill	24
#define SYS_setdomainname	25

#define SYS_MAXSYSCALL	26

#endif /* _SYS_SYSCALL_H_ */
