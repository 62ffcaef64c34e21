/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Generated from sys/kern/syscalls.master by sys/rump/makerumpsyscalls.sh.
 * Do not edit: change the master file and run make regen.
 *
 * The system calls of the kern faction, installed when the
 * faction is linked in.
 */

#include <sys/types.h>
#include <sys/syscall.h>
#include <sys/syscallargs.h>
#include <sys/syscallvar.h>

#include <rump-sys/kern.h>

static const struct rump_onesyscall faction_syscalls[] = {
	{ SYS_getpid, (sy_call_t *)(void (*)(void))sys_getpid },
	{ SYS_getppid, (sy_call_t *)(void (*)(void))sys_getppid },
	{ SYS_getuid, (sy_call_t *)(void (*)(void))sys_getuid },
	{ SYS_geteuid, (sy_call_t *)(void (*)(void))sys_geteuid },
	{ SYS_getgid, (sy_call_t *)(void (*)(void))sys_getgid },
	{ SYS_getegid, (sy_call_t *)(void (*)(void))sys_getegid },
	{ SYS_setuid, (sy_call_t *)(void (*)(void))sys_setuid },
	{ SYS_setgid, (sy_call_t *)(void (*)(void))sys_setgid },
	{ SYS_setgroups, (sy_call_t *)(void (*)(void))sys_setgroups },
	{ SYS_getgroups, (sy_call_t *)(void (*)(void))sys_getgroups },
	{ SYS_uname, (sy_call_t *)(void (*)(void))sys_uname },
	{ SYS_sethostname, (sy_call_t *)(void (*)(void))sys_sethostname },
	{ SYS_gettimeofday, (sy_call_t *)(void (*)(void))sys_gettimeofday },
	{ SYS_clock_gettime, (sy_call_t *)(void (*)(void))sys_clock_gettime },
	{ SYS_clock_getres, (sy_call_t *)(void (*)(void))sys_clock_getres },
	{ SYS_nanosleep, (sy_call_t *)(void (*)(void))sys_nanosleep },
	{ SYS_umask, (sy_call_t *)(void (*)(void))sys_umask },
	{ SYS_reboot, (sy_call_t *)(void (*)(void))sys_reboot },
	{ SYS___sysctl, (sy_call_t *)(void (*)(void))sys___sysctl },
	{ SYS_seteuid, (sy_call_t *)(void (*)(void))sys_seteuid },
	{ SYS_setegid, (sy_call_t *)(void (*)(void))sys_setegid },
	{ SYS_setreuid, (sy_call_t *)(void (*)(void))sys_setreuid },
	{ SYS_setregid, (sy_call_t *)(void (*)(void))sys_setregid },
	{ SYS_kill, (sy_call_t *)(void (*)(void))sys_kill },
	{ SYS_setdomainname, (sy_call_t *)(void (*)(void))sys_setdomainname },
};

RUMP_COMPONENT(RUMP_COMPONENT_SYSCALL)
{

	syscall_establish(faction_syscalls, __arraycount(faction_syscalls));
}
