/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Generated from sys/kern/syscalls.master by sys/rump/makerumpsyscalls.sh.
 * Do not edit: change the master file and run make regen.
 */

#include <sys/types.h>
#include <sys/syscall.h>
#include <sys/syscallargs.h>
#include <sys/syscallvar.h>

struct sysent sysent[SYS_MAXSYSCALL] = {
	[SYS_getpid] = { 0, 0, sys_nosys },
	[SYS_getppid] = { 0, 0, sys_nosys },
	[SYS_getuid] = { 0, 0, sys_nosys },
	[SYS_geteuid] = { 0, 0, sys_nosys },
	[SYS_getgid] = { 0, 0, sys_nosys },
	[SYS_getegid] = { 0, 0, sys_nosys },
	[SYS_setuid] = { 1, sizeof(struct sys_setuid_args), sys_nosys },
	[SYS_setgid] = { 1, sizeof(struct sys_setgid_args), sys_nosys },
	[SYS_setgroups] = { 2, sizeof(struct sys_setgroups_args), sys_nosys },
	[SYS_getgroups] = { 2, sizeof(struct sys_getgroups_args), sys_nosys },
	[SYS_uname] = { 1, sizeof(struct sys_uname_args), sys_nosys },
	[SYS_sethostname] = { 2, sizeof(struct sys_sethostname_args), sys_nosys },
	[SYS_gettimeofday] = { 2, sizeof(struct sys_gettimeofday_args), sys_nosys },
	[SYS_clock_gettime] = { 2, sizeof(struct sys_clock_gettime_args), sys_nosys },
	[SYS_clock_getres] = { 2, sizeof(struct sys_clock_getres_args), sys_nosys },
	[SYS_nanosleep] = { 2, sizeof(struct sys_nanosleep_args), sys_nosys },
	[SYS_umask] = { 1, sizeof(struct sys_umask_args), sys_nosys },
	[SYS_reboot] = { 1, sizeof(struct sys_reboot_args), sys_nosys },
	[SYS___sysctl] = { 6, sizeof(struct sys___sysctl_args), sys_nosys },
	[SYS_seteuid] = { 1, sizeof(struct sys_seteuid_args), sys_nosys },
	[SYS_setegid] = { 1, sizeof(struct sys_setegid_args), sys_nosys },
	[SYS_setreuid] = { 2, sizeof(struct sys_setreuid_args), sys_nosys },
	[SYS_setregid] = { 2, sizeof(struct sys_setregid_args), sys_nosys },
	[SYS_kill] = { 2, sizeof(struct sys_kill_args), sys_nosys },
	[SYS_setdomainname] = { 2, sizeof(struct sys_setdomainname_args), sys_nosys },
};

const char *const syscallnames[SYS_MAXSYSCALL] = {
	[SYS_getpid] = "getpid",
	[SYS_getppid] = "getppid",
	[SYS_getuid] = "getuid",
	[SYS_geteuid] = "geteuid",
	[SYS_getgid] = "getgid",
	[SYS_getegid] = "getegid",
	[SYS_setuid] = "setuid",
	[SYS_setgid] = "setgid",
	[SYS_setgroups] = "setgroups",
	[SYS_getgroups] = "getgroups",
	[SYS_uname] = "uname",
	[SYS_sethostname] = "sethostname",
	[SYS_gettimeofday] = "gettimeofday",
	[SYS_clock_gettime] = "clock_gettime",
	[SYS_clock_getres] = "clock_getres",
	[SYS_nanosleep] = "nanosleep",
	[SYS_umask] = "umask",
	[SYS_reboot] = "reboot",
	[SYS___sysctl] = "__sysctl",
	[SYS_seteuid] = "seteuid",
	[SYS_setegid] = "setegid",
	[SYS_setreuid] = "setreuid",
	[SYS_setregid] = "setregid",
	[SYS_kill] = "kill",
	[SYS_setdomainname] = "setdomainname",
};
