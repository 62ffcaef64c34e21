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
struct iovec;
struct pollfd;
struct stat;
struct statx;
struct statfs;

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
#define RUMP_SYS_read	26
#define RUMP_SYS_write	27
#define RUMP_SYS_close	28
#define RUMP_SYS_pread	29
#define RUMP_SYS_pwrite	30
#define RUMP_SYS_readv	31
#define RUMP_SYS_writev	32
#define RUMP_SYS_preadv	33
#define RUMP_SYS_pwritev	34
#define RUMP_SYS_dup	35
#define RUMP_SYS_dup2	36
#define RUMP_SYS_dup3	37
#define RUMP_SYS_fcntl	38
#define RUMP_SYS_ioctl	39
#define RUMP_SYS_pipe	40
#define RUMP_SYS_pipe2	41
#define RUMP_SYS_poll	42
#define RUMP_SYS_ppoll	43
#define RUMP_SYS_select	44
#define RUMP_SYS_pselect	45
#define RUMP_SYS_flock	46
#define RUMP_SYS_fstat	47
#define RUMP_SYS_open	50
#define RUMP_SYS_openat	51
#define RUMP_SYS_creat	52
#define RUMP_SYS_lseek	53
#define RUMP_SYS_stat	54
#define RUMP_SYS_lstat	55
#define RUMP_SYS_fstatat	56
#define RUMP_SYS_statx	57
#define RUMP_SYS_getdents64	58
#define RUMP_SYS_mkdir	59
#define RUMP_SYS_mkdirat	60
#define RUMP_SYS_rmdir	61
#define RUMP_SYS_unlink	62
#define RUMP_SYS_unlinkat	63
#define RUMP_SYS_rename	64
#define RUMP_SYS_renameat	65
#define RUMP_SYS_renameat2	66
#define RUMP_SYS_link	67
#define RUMP_SYS_linkat	68
#define RUMP_SYS_symlink	69
#define RUMP_SYS_symlinkat	70
#define RUMP_SYS_readlink	71
#define RUMP_SYS_readlinkat	72
#define RUMP_SYS_chmod	73
#define RUMP_SYS_fchmod	74
#define RUMP_SYS_fchmodat	75
#define RUMP_SYS_chown	76
#define RUMP_SYS_fchown	77
#define RUMP_SYS_lchown	78
#define RUMP_SYS_fchownat	79
#define RUMP_SYS_utimensat	80
#define RUMP_SYS_futimens	81
#define RUMP_SYS_truncate	82
#define RUMP_SYS_ftruncate	83
#define RUMP_SYS_fallocate	84
#define RUMP_SYS_fsync	85
#define RUMP_SYS_fdatasync	86
#define RUMP_SYS_sync	87
#define RUMP_SYS_syncfs	88
#define RUMP_SYS_access	89
#define RUMP_SYS_faccessat	90
#define RUMP_SYS_faccessat2	91
#define RUMP_SYS_chdir	92
#define RUMP_SYS_fchdir	93
#define RUMP_SYS_getcwd	94
#define RUMP_SYS_chroot	95
#define RUMP_SYS_mknod	96
#define RUMP_SYS_mknodat	97
#define RUMP_SYS_mount	98
#define RUMP_SYS_umount2	99
#define RUMP_SYS_umount	100
#define RUMP_SYS_statfs	101
#define RUMP_SYS_fstatfs	102

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
ssize_t rump_sys_read(int, void *, size_t);
ssize_t rump_sys_write(int, const void *, size_t);
int rump_sys_close(int);
ssize_t rump_sys_pread(int, void *, size_t, off_t);
ssize_t rump_sys_pwrite(int, const void *, size_t, off_t);
ssize_t rump_sys_readv(int, const struct iovec *, int);
ssize_t rump_sys_writev(int, const struct iovec *, int);
ssize_t rump_sys_preadv(int, const struct iovec *, int, off_t);
ssize_t rump_sys_pwritev(int, const struct iovec *, int, off_t);
int rump_sys_dup(int);
int rump_sys_dup2(int, int);
int rump_sys_dup3(int, int, int);
int rump_sys_fcntl(int, int, ...);
int rump_sys_ioctl(int, unsigned long, ...);
int rump_sys_pipe(int *);
int rump_sys_pipe2(int *, int);
int rump_sys_poll(struct pollfd *, unsigned long, int);
int rump_sys_ppoll(struct pollfd *, unsigned long, const struct timespec *, const void *);
int rump_sys_select(int, fd_set *, fd_set *, fd_set *, struct timeval *);
int rump_sys_pselect(int, fd_set *, fd_set *, fd_set *, const struct timespec *, const void *);
int rump_sys_flock(int, int);
int rump_sys_fstat(int, struct stat *);
int rump_sys_open(const char *, int, ...);
int rump_sys_openat(int, const char *, int, ...);
int rump_sys_creat(const char *, mode_t);
off_t rump_sys_lseek(int, off_t, int);
int rump_sys_stat(const char *, struct stat *);
int rump_sys_lstat(const char *, struct stat *);
int rump_sys_fstatat(int, const char *, struct stat *, int);
int rump_sys_statx(int, const char *, int, unsigned int, struct statx *);
ssize_t rump_sys_getdents64(int, void *, size_t);
int rump_sys_mkdir(const char *, mode_t);
int rump_sys_mkdirat(int, const char *, mode_t);
int rump_sys_rmdir(const char *);
int rump_sys_unlink(const char *);
int rump_sys_unlinkat(int, const char *, int);
int rump_sys_rename(const char *, const char *);
int rump_sys_renameat(int, const char *, int, const char *);
int rump_sys_renameat2(int, const char *, int, const char *, unsigned int);
int rump_sys_link(const char *, const char *);
int rump_sys_linkat(int, const char *, int, const char *, int);
int rump_sys_symlink(const char *, const char *);
int rump_sys_symlinkat(const char *, int, const char *);
ssize_t rump_sys_readlink(const char *, char *, size_t);
ssize_t rump_sys_readlinkat(int, const char *, char *, size_t);
int rump_sys_chmod(const char *, mode_t);
int rump_sys_fchmod(int, mode_t);
int rump_sys_fchmodat(int, const char *, mode_t, int);
int rump_sys_chown(const char *, uid_t, gid_t);
int rump_sys_fchown(int, uid_t, gid_t);
int rump_sys_lchown(const char *, uid_t, gid_t);
int rump_sys_fchownat(int, const char *, uid_t, gid_t, int);
int rump_sys_utimensat(int, const char *, const struct timespec *, int);
int rump_sys_futimens(int, const struct timespec *);
int rump_sys_truncate(const char *, off_t);
int rump_sys_ftruncate(int, off_t);
int rump_sys_fallocate(int, int, off_t, off_t);
int rump_sys_fsync(int);
int rump_sys_fdatasync(int);
void rump_sys_sync(void);
int rump_sys_syncfs(int);
int rump_sys_access(const char *, int);
int rump_sys_faccessat(int, const char *, int, int);
int rump_sys_faccessat2(int, const char *, int, int);
int rump_sys_chdir(const char *);
int rump_sys_fchdir(int);
char * rump_sys_getcwd(char *, size_t);
int rump_sys_chroot(const char *);
int rump_sys_mknod(const char *, mode_t, dev_t);
int rump_sys_mknodat(int, const char *, mode_t, dev_t);
int rump_sys_mount(const char *, const char *, const char *, unsigned long, const void *);
int rump_sys_umount2(const char *, int);
int rump_sys_umount(const char *);
int rump_sys_statfs(const char *, struct statfs *);
int rump_sys_fstatfs(int, struct statfs *);

#ifdef __cplusplus
}
#endif

#endif /* _RUMP_RUMP_SYSCALLS_H_ */
