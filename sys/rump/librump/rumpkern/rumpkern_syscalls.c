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
	{ SYS_read, (sy_call_t *)(void (*)(void))sys_read },
	{ SYS_write, (sy_call_t *)(void (*)(void))sys_write },
	{ SYS_close, (sy_call_t *)(void (*)(void))sys_close },
	{ SYS_pread, (sy_call_t *)(void (*)(void))sys_pread },
	{ SYS_pwrite, (sy_call_t *)(void (*)(void))sys_pwrite },
	{ SYS_readv, (sy_call_t *)(void (*)(void))sys_readv },
	{ SYS_writev, (sy_call_t *)(void (*)(void))sys_writev },
	{ SYS_preadv, (sy_call_t *)(void (*)(void))sys_preadv },
	{ SYS_pwritev, (sy_call_t *)(void (*)(void))sys_pwritev },
	{ SYS_dup, (sy_call_t *)(void (*)(void))sys_dup },
	{ SYS_dup2, (sy_call_t *)(void (*)(void))sys_dup2 },
	{ SYS_dup3, (sy_call_t *)(void (*)(void))sys_dup3 },
	{ SYS_fcntl, (sy_call_t *)(void (*)(void))sys_fcntl },
	{ SYS_ioctl, (sy_call_t *)(void (*)(void))sys_ioctl },
	{ SYS_pipe, (sy_call_t *)(void (*)(void))sys_pipe },
	{ SYS_pipe2, (sy_call_t *)(void (*)(void))sys_pipe2 },
	{ SYS_poll, (sy_call_t *)(void (*)(void))sys_poll },
	{ SYS_ppoll, (sy_call_t *)(void (*)(void))sys_ppoll },
	{ SYS_select, (sy_call_t *)(void (*)(void))sys_select },
	{ SYS_pselect, (sy_call_t *)(void (*)(void))sys_pselect },
	{ SYS_flock, (sy_call_t *)(void (*)(void))sys_flock },
	{ SYS_fstat, (sy_call_t *)(void (*)(void))sys_fstat },
};

RUMP_COMPONENT(RUMP_COMPONENT_SYSCALL)
{

	syscall_establish(faction_syscalls, __arraycount(faction_syscalls));
}
