/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Generated from sys/kern/syscalls.master by sys/rump/makerumpsyscalls.sh.
 * Do not edit: change the master file and run make regen.
 *
 * The system calls of the vfs faction, installed when the
 * faction is linked in.
 */

#include <sys/types.h>
#include <sys/syscall.h>
#include <sys/syscallargs.h>
#include <sys/syscallvar.h>

#include <rump-sys/kern.h>

static const struct rump_onesyscall faction_syscalls[] = {
	{ SYS_open, (sy_call_t *)(void (*)(void))sys_open },
	{ SYS_openat, (sy_call_t *)(void (*)(void))sys_openat },
	{ SYS_creat, (sy_call_t *)(void (*)(void))sys_creat },
	{ SYS_lseek, (sy_call_t *)(void (*)(void))sys_lseek },
	{ SYS_stat, (sy_call_t *)(void (*)(void))sys_stat },
	{ SYS_lstat, (sy_call_t *)(void (*)(void))sys_lstat },
	{ SYS_fstatat, (sy_call_t *)(void (*)(void))sys_fstatat },
	{ SYS_statx, (sy_call_t *)(void (*)(void))sys_statx },
	{ SYS_getdents64, (sy_call_t *)(void (*)(void))sys_getdents64 },
	{ SYS_mkdir, (sy_call_t *)(void (*)(void))sys_mkdir },
	{ SYS_mkdirat, (sy_call_t *)(void (*)(void))sys_mkdirat },
	{ SYS_rmdir, (sy_call_t *)(void (*)(void))sys_rmdir },
	{ SYS_unlink, (sy_call_t *)(void (*)(void))sys_unlink },
	{ SYS_unlinkat, (sy_call_t *)(void (*)(void))sys_unlinkat },
	{ SYS_rename, (sy_call_t *)(void (*)(void))sys_rename },
	{ SYS_renameat, (sy_call_t *)(void (*)(void))sys_renameat },
	{ SYS_renameat2, (sy_call_t *)(void (*)(void))sys_renameat2 },
	{ SYS_link, (sy_call_t *)(void (*)(void))sys_link },
	{ SYS_linkat, (sy_call_t *)(void (*)(void))sys_linkat },
	{ SYS_symlink, (sy_call_t *)(void (*)(void))sys_symlink },
	{ SYS_symlinkat, (sy_call_t *)(void (*)(void))sys_symlinkat },
	{ SYS_readlink, (sy_call_t *)(void (*)(void))sys_readlink },
	{ SYS_readlinkat, (sy_call_t *)(void (*)(void))sys_readlinkat },
	{ SYS_chmod, (sy_call_t *)(void (*)(void))sys_chmod },
	{ SYS_fchmod, (sy_call_t *)(void (*)(void))sys_fchmod },
	{ SYS_fchmodat, (sy_call_t *)(void (*)(void))sys_fchmodat },
	{ SYS_chown, (sy_call_t *)(void (*)(void))sys_chown },
	{ SYS_fchown, (sy_call_t *)(void (*)(void))sys_fchown },
	{ SYS_lchown, (sy_call_t *)(void (*)(void))sys_lchown },
	{ SYS_fchownat, (sy_call_t *)(void (*)(void))sys_fchownat },
	{ SYS_utimensat, (sy_call_t *)(void (*)(void))sys_utimensat },
	{ SYS_futimens, (sy_call_t *)(void (*)(void))sys_futimens },
	{ SYS_truncate, (sy_call_t *)(void (*)(void))sys_truncate },
	{ SYS_ftruncate, (sy_call_t *)(void (*)(void))sys_ftruncate },
	{ SYS_fallocate, (sy_call_t *)(void (*)(void))sys_fallocate },
	{ SYS_fsync, (sy_call_t *)(void (*)(void))sys_fsync },
	{ SYS_fdatasync, (sy_call_t *)(void (*)(void))sys_fdatasync },
	{ SYS_sync, (sy_call_t *)(void (*)(void))sys_sync },
	{ SYS_syncfs, (sy_call_t *)(void (*)(void))sys_syncfs },
	{ SYS_access, (sy_call_t *)(void (*)(void))sys_access },
	{ SYS_faccessat, (sy_call_t *)(void (*)(void))sys_faccessat },
	{ SYS_faccessat2, (sy_call_t *)(void (*)(void))sys_faccessat2 },
	{ SYS_chdir, (sy_call_t *)(void (*)(void))sys_chdir },
	{ SYS_fchdir, (sy_call_t *)(void (*)(void))sys_fchdir },
	{ SYS_getcwd, (sy_call_t *)(void (*)(void))sys_getcwd },
	{ SYS_chroot, (sy_call_t *)(void (*)(void))sys_chroot },
	{ SYS_mknod, (sy_call_t *)(void (*)(void))sys_mknod },
	{ SYS_mknodat, (sy_call_t *)(void (*)(void))sys_mknodat },
	{ SYS_mount, (sy_call_t *)(void (*)(void))sys_mount },
	{ SYS_umount2, (sy_call_t *)(void (*)(void))sys_umount2 },
	{ SYS_umount, (sy_call_t *)(void (*)(void))sys_umount },
	{ SYS_statfs, (sy_call_t *)(void (*)(void))sys_statfs },
	{ SYS_fstatfs, (sy_call_t *)(void (*)(void))sys_fstatfs },
};

RUMP_COMPONENT(RUMP_COMPONENT_SYSCALL)
{

	syscall_establish(faction_syscalls, __arraycount(faction_syscalls));
}
