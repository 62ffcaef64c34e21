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
#define SYS_read	26
#define SYS_write	27
#define SYS_close	28
#define SYS_pread	29
#define SYS_pwrite	30
#define SYS_readv	31
#define SYS_writev	32
#define SYS_preadv	33
#define SYS_pwritev	34
#define SYS_dup	35
#define SYS_dup2	36
#define SYS_dup3	37
#define SYS_fcntl	38
#define SYS_ioctl	39
#define SYS_pipe	40
#define SYS_pipe2	41
#define SYS_poll	42
#define SYS_ppoll	43
#define SYS_select	44
#define SYS_pselect	45
#define SYS_flock	46
#define SYS_fstat	47
#define SYS_open	50
#define SYS_openat	51
#define SYS_creat	52
#define SYS_lseek	53
#define SYS_stat	54
#define SYS_lstat	55
#define SYS_fstatat	56
#define SYS_statx	57
#define SYS_getdents64	58
#define SYS_mkdir	59
#define SYS_mkdirat	60
#define SYS_rmdir	61
#define SYS_unlink	62
#define SYS_unlinkat	63
#define SYS_rename	64
#define SYS_renameat	65
#define SYS_renameat2	66
#define SYS_link	67
#define SYS_linkat	68
#define SYS_symlink	69
#define SYS_symlinkat	70
#define SYS_readlink	71
#define SYS_readlinkat	72
#define SYS_chmod	73
#define SYS_fchmod	74
#define SYS_fchmodat	75
#define SYS_chown	76
#define SYS_fchown	77
#define SYS_lchown	78
#define SYS_fchownat	79
#define SYS_utimensat	80
#define SYS_futimens	81
#define SYS_truncate	82
#define SYS_ftruncate	83
#define SYS_fallocate	84
#define SYS_fsync	85
#define SYS_fdatasync	86
#define SYS_sync	87
#define SYS_syncfs	88
#define SYS_access	89
#define SYS_faccessat	90
#define SYS_faccessat2	91
#define SYS_chdir	92
#define SYS_fchdir	93
#define SYS_getcwd	94
#define SYS_chroot	95
#define SYS_mknod	96
#define SYS_mknodat	97
#define SYS_mount	98
#define SYS_umount2	99
#define SYS_umount	100
#define SYS_statfs	101
#define SYS_fstatfs	102

#define SYS_MAXSYSCALL	103

#endif /* _SYS_SYSCALL_H_ */
