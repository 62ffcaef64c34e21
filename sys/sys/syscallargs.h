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
#include <sys/poll.h>		/* fd_set */

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error the system call argument layout assumes a little-endian host
#endif

#define syscallarg(type)	union { register_t pad; type datum; }
#define SCARG(p, k)		((p)->k.datum)

struct lwp;
struct utsname;
struct timeval;
struct timespec;
struct iovec;
struct pollfd;
struct stat;
struct statx;
struct statfs;

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

struct sys_read_args {
	syscallarg(int) fd;
	syscallarg(void *) buf;
	syscallarg(size_t) count;
};

struct sys_write_args {
	syscallarg(int) fd;
	syscallarg(const void *) buf;
	syscallarg(size_t) count;
};

struct sys_close_args {
	syscallarg(int) fd;
};

struct sys_pread_args {
	syscallarg(int) fd;
	syscallarg(void *) buf;
	syscallarg(size_t) count;
	syscallarg(off_t) offset;
};

struct sys_pwrite_args {
	syscallarg(int) fd;
	syscallarg(const void *) buf;
	syscallarg(size_t) count;
	syscallarg(off_t) offset;
};

struct sys_readv_args {
	syscallarg(int) fd;
	syscallarg(const struct iovec *) iov;
	syscallarg(int) iovcnt;
};

struct sys_writev_args {
	syscallarg(int) fd;
	syscallarg(const struct iovec *) iov;
	syscallarg(int) iovcnt;
};

struct sys_preadv_args {
	syscallarg(int) fd;
	syscallarg(const struct iovec *) iov;
	syscallarg(int) iovcnt;
	syscallarg(off_t) offset;
};

struct sys_pwritev_args {
	syscallarg(int) fd;
	syscallarg(const struct iovec *) iov;
	syscallarg(int) iovcnt;
	syscallarg(off_t) offset;
};

struct sys_dup_args {
	syscallarg(int) oldfd;
};

struct sys_dup2_args {
	syscallarg(int) oldfd;
	syscallarg(int) newfd;
};

struct sys_dup3_args {
	syscallarg(int) oldfd;
	syscallarg(int) newfd;
	syscallarg(int) flags;
};

struct sys_fcntl_args {
	syscallarg(int) fd;
	syscallarg(int) cmd;
	syscallarg(long) arg;
};

struct sys_ioctl_args {
	syscallarg(int) fd;
	syscallarg(unsigned long) request;
	syscallarg(void *) arg;
};

struct sys_pipe_args {
	syscallarg(int *) fds;
};

struct sys_pipe2_args {
	syscallarg(int *) fds;
	syscallarg(int) flags;
};

struct sys_poll_args {
	syscallarg(struct pollfd *) fds;
	syscallarg(unsigned long) nfds;
	syscallarg(int) timeout;
};

struct sys_ppoll_args {
	syscallarg(struct pollfd *) fds;
	syscallarg(unsigned long) nfds;
	syscallarg(const struct timespec *) tmo;
	syscallarg(const void *) sigmask;
};

struct sys_select_args {
	syscallarg(int) nfds;
	syscallarg(fd_set *) readfds;
	syscallarg(fd_set *) writefds;
	syscallarg(fd_set *) exceptfds;
	syscallarg(struct timeval *) timeout;
};

struct sys_pselect_args {
	syscallarg(int) nfds;
	syscallarg(fd_set *) readfds;
	syscallarg(fd_set *) writefds;
	syscallarg(fd_set *) exceptfds;
	syscallarg(const struct timespec *) timeout;
	syscallarg(const void *) sigmask;
};

struct sys_flock_args {
	syscallarg(int) fd;
	syscallarg(int) operation;
};

struct sys_fstat_args {
	syscallarg(int) fd;
	syscallarg(struct stat *) buf;
};

struct sys_open_args {
	syscallarg(const char *) path;
	syscallarg(int) flags;
	syscallarg(mode_t) mode;
};

struct sys_openat_args {
	syscallarg(int) dirfd;
	syscallarg(const char *) path;
	syscallarg(int) flags;
	syscallarg(mode_t) mode;
};

struct sys_creat_args {
	syscallarg(const char *) path;
	syscallarg(mode_t) mode;
};

struct sys_lseek_args {
	syscallarg(int) fd;
	syscallarg(off_t) offset;
	syscallarg(int) whence;
};

struct sys_stat_args {
	syscallarg(const char *) path;
	syscallarg(struct stat *) buf;
};

struct sys_lstat_args {
	syscallarg(const char *) path;
	syscallarg(struct stat *) buf;
};

struct sys_fstatat_args {
	syscallarg(int) dirfd;
	syscallarg(const char *) path;
	syscallarg(struct stat *) buf;
	syscallarg(int) flags;
};

struct sys_statx_args {
	syscallarg(int) dirfd;
	syscallarg(const char *) path;
	syscallarg(int) flags;
	syscallarg(unsigned int) mask;
	syscallarg(struct statx *) buf;
};

struct sys_getdents64_args {
	syscallarg(int) fd;
	syscallarg(void *) dirp;
	syscallarg(size_t) count;
};

struct sys_mkdir_args {
	syscallarg(const char *) path;
	syscallarg(mode_t) mode;
};

struct sys_mkdirat_args {
	syscallarg(int) dirfd;
	syscallarg(const char *) path;
	syscallarg(mode_t) mode;
};

struct sys_rmdir_args {
	syscallarg(const char *) path;
};

struct sys_unlink_args {
	syscallarg(const char *) path;
};

struct sys_unlinkat_args {
	syscallarg(int) dirfd;
	syscallarg(const char *) path;
	syscallarg(int) flags;
};

struct sys_rename_args {
	syscallarg(const char *) oldpath;
	syscallarg(const char *) newpath;
};

struct sys_renameat_args {
	syscallarg(int) olddirfd;
	syscallarg(const char *) oldpath;
	syscallarg(int) newdirfd;
	syscallarg(const char *) newpath;
};

struct sys_renameat2_args {
	syscallarg(int) olddirfd;
	syscallarg(const char *) oldpath;
	syscallarg(int) newdirfd;
	syscallarg(const char *) newpath;
	syscallarg(unsigned int) flags;
};

struct sys_link_args {
	syscallarg(const char *) oldpath;
	syscallarg(const char *) newpath;
};

struct sys_linkat_args {
	syscallarg(int) olddirfd;
	syscallarg(const char *) oldpath;
	syscallarg(int) newdirfd;
	syscallarg(const char *) newpath;
	syscallarg(int) flags;
};

struct sys_symlink_args {
	syscallarg(const char *) target;
	syscallarg(const char *) linkpath;
};

struct sys_symlinkat_args {
	syscallarg(const char *) target;
	syscallarg(int) newdirfd;
	syscallarg(const char *) linkpath;
};

struct sys_readlink_args {
	syscallarg(const char *) path;
	syscallarg(char *) buf;
	syscallarg(size_t) bufsiz;
};

struct sys_readlinkat_args {
	syscallarg(int) dirfd;
	syscallarg(const char *) path;
	syscallarg(char *) buf;
	syscallarg(size_t) bufsiz;
};

struct sys_chmod_args {
	syscallarg(const char *) path;
	syscallarg(mode_t) mode;
};

struct sys_fchmod_args {
	syscallarg(int) fd;
	syscallarg(mode_t) mode;
};

struct sys_fchmodat_args {
	syscallarg(int) dirfd;
	syscallarg(const char *) path;
	syscallarg(mode_t) mode;
	syscallarg(int) flags;
};

struct sys_chown_args {
	syscallarg(const char *) path;
	syscallarg(uid_t) owner;
	syscallarg(gid_t) group;
};

struct sys_fchown_args {
	syscallarg(int) fd;
	syscallarg(uid_t) owner;
	syscallarg(gid_t) group;
};

struct sys_lchown_args {
	syscallarg(const char *) path;
	syscallarg(uid_t) owner;
	syscallarg(gid_t) group;
};

struct sys_fchownat_args {
	syscallarg(int) dirfd;
	syscallarg(const char *) path;
	syscallarg(uid_t) owner;
	syscallarg(gid_t) group;
	syscallarg(int) flags;
};

struct sys_utimensat_args {
	syscallarg(int) dirfd;
	syscallarg(const char *) path;
	syscallarg(const struct timespec *) times;
	syscallarg(int) flags;
};

struct sys_futimens_args {
	syscallarg(int) fd;
	syscallarg(const struct timespec *) times;
};

struct sys_truncate_args {
	syscallarg(const char *) path;
	syscallarg(off_t) length;
};

struct sys_ftruncate_args {
	syscallarg(int) fd;
	syscallarg(off_t) length;
};

struct sys_fallocate_args {
	syscallarg(int) fd;
	syscallarg(int) mode;
	syscallarg(off_t) offset;
	syscallarg(off_t) len;
};

struct sys_fsync_args {
	syscallarg(int) fd;
};

struct sys_fdatasync_args {
	syscallarg(int) fd;
};

struct sys_syncfs_args {
	syscallarg(int) fd;
};

struct sys_access_args {
	syscallarg(const char *) path;
	syscallarg(int) mode;
};

struct sys_faccessat_args {
	syscallarg(int) dirfd;
	syscallarg(const char *) path;
	syscallarg(int) mode;
	syscallarg(int) flags;
};

struct sys_faccessat2_args {
	syscallarg(int) dirfd;
	syscallarg(const char *) path;
	syscallarg(int) mode;
	syscallarg(int) flags;
};

struct sys_chdir_args {
	syscallarg(const char *) path;
};

struct sys_fchdir_args {
	syscallarg(int) fd;
};

struct sys_getcwd_args {
	syscallarg(char *) buf;
	syscallarg(size_t) size;
};

struct sys_chroot_args {
	syscallarg(const char *) path;
};

struct sys_mknod_args {
	syscallarg(const char *) path;
	syscallarg(mode_t) mode;
	syscallarg(dev_t) dev;
};

struct sys_mknodat_args {
	syscallarg(int) dirfd;
	syscallarg(const char *) path;
	syscallarg(mode_t) mode;
	syscallarg(dev_t) dev;
};

struct sys_mount_args {
	syscallarg(const char *) source;
	syscallarg(const char *) target;
	syscallarg(const char *) fstype;
	syscallarg(unsigned long) mountflags;
	syscallarg(const void *) data;
};

struct sys_umount2_args {
	syscallarg(const char *) target;
	syscallarg(int) flags;
};

struct sys_umount_args {
	syscallarg(const char *) target;
};

struct sys_statfs_args {
	syscallarg(const char *) path;
	syscallarg(struct statfs *) buf;
};

struct sys_fstatfs_args {
	syscallarg(int) fd;
	syscallarg(struct statfs *) buf;
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
int	sys_read(struct lwp *, const struct sys_read_args *, register_t *);
int	sys_write(struct lwp *, const struct sys_write_args *, register_t *);
int	sys_close(struct lwp *, const struct sys_close_args *, register_t *);
int	sys_pread(struct lwp *, const struct sys_pread_args *, register_t *);
int	sys_pwrite(struct lwp *, const struct sys_pwrite_args *, register_t *);
int	sys_readv(struct lwp *, const struct sys_readv_args *, register_t *);
int	sys_writev(struct lwp *, const struct sys_writev_args *, register_t *);
int	sys_preadv(struct lwp *, const struct sys_preadv_args *, register_t *);
int	sys_pwritev(struct lwp *, const struct sys_pwritev_args *, register_t *);
int	sys_dup(struct lwp *, const struct sys_dup_args *, register_t *);
int	sys_dup2(struct lwp *, const struct sys_dup2_args *, register_t *);
int	sys_dup3(struct lwp *, const struct sys_dup3_args *, register_t *);
int	sys_fcntl(struct lwp *, const struct sys_fcntl_args *, register_t *);
int	sys_ioctl(struct lwp *, const struct sys_ioctl_args *, register_t *);
int	sys_pipe(struct lwp *, const struct sys_pipe_args *, register_t *);
int	sys_pipe2(struct lwp *, const struct sys_pipe2_args *, register_t *);
int	sys_poll(struct lwp *, const struct sys_poll_args *, register_t *);
int	sys_ppoll(struct lwp *, const struct sys_ppoll_args *, register_t *);
int	sys_select(struct lwp *, const struct sys_select_args *, register_t *);
int	sys_pselect(struct lwp *, const struct sys_pselect_args *, register_t *);
int	sys_flock(struct lwp *, const struct sys_flock_args *, register_t *);
int	sys_fstat(struct lwp *, const struct sys_fstat_args *, register_t *);
int	sys_open(struct lwp *, const struct sys_open_args *, register_t *);
int	sys_openat(struct lwp *, const struct sys_openat_args *, register_t *);
int	sys_creat(struct lwp *, const struct sys_creat_args *, register_t *);
int	sys_lseek(struct lwp *, const struct sys_lseek_args *, register_t *);
int	sys_stat(struct lwp *, const struct sys_stat_args *, register_t *);
int	sys_lstat(struct lwp *, const struct sys_lstat_args *, register_t *);
int	sys_fstatat(struct lwp *, const struct sys_fstatat_args *, register_t *);
int	sys_statx(struct lwp *, const struct sys_statx_args *, register_t *);
int	sys_getdents64(struct lwp *, const struct sys_getdents64_args *, register_t *);
int	sys_mkdir(struct lwp *, const struct sys_mkdir_args *, register_t *);
int	sys_mkdirat(struct lwp *, const struct sys_mkdirat_args *, register_t *);
int	sys_rmdir(struct lwp *, const struct sys_rmdir_args *, register_t *);
int	sys_unlink(struct lwp *, const struct sys_unlink_args *, register_t *);
int	sys_unlinkat(struct lwp *, const struct sys_unlinkat_args *, register_t *);
int	sys_rename(struct lwp *, const struct sys_rename_args *, register_t *);
int	sys_renameat(struct lwp *, const struct sys_renameat_args *, register_t *);
int	sys_renameat2(struct lwp *, const struct sys_renameat2_args *, register_t *);
int	sys_link(struct lwp *, const struct sys_link_args *, register_t *);
int	sys_linkat(struct lwp *, const struct sys_linkat_args *, register_t *);
int	sys_symlink(struct lwp *, const struct sys_symlink_args *, register_t *);
int	sys_symlinkat(struct lwp *, const struct sys_symlinkat_args *, register_t *);
int	sys_readlink(struct lwp *, const struct sys_readlink_args *, register_t *);
int	sys_readlinkat(struct lwp *, const struct sys_readlinkat_args *, register_t *);
int	sys_chmod(struct lwp *, const struct sys_chmod_args *, register_t *);
int	sys_fchmod(struct lwp *, const struct sys_fchmod_args *, register_t *);
int	sys_fchmodat(struct lwp *, const struct sys_fchmodat_args *, register_t *);
int	sys_chown(struct lwp *, const struct sys_chown_args *, register_t *);
int	sys_fchown(struct lwp *, const struct sys_fchown_args *, register_t *);
int	sys_lchown(struct lwp *, const struct sys_lchown_args *, register_t *);
int	sys_fchownat(struct lwp *, const struct sys_fchownat_args *, register_t *);
int	sys_utimensat(struct lwp *, const struct sys_utimensat_args *, register_t *);
int	sys_futimens(struct lwp *, const struct sys_futimens_args *, register_t *);
int	sys_truncate(struct lwp *, const struct sys_truncate_args *, register_t *);
int	sys_ftruncate(struct lwp *, const struct sys_ftruncate_args *, register_t *);
int	sys_fallocate(struct lwp *, const struct sys_fallocate_args *, register_t *);
int	sys_fsync(struct lwp *, const struct sys_fsync_args *, register_t *);
int	sys_fdatasync(struct lwp *, const struct sys_fdatasync_args *, register_t *);
int	sys_sync(struct lwp *, const void *, register_t *);
int	sys_syncfs(struct lwp *, const struct sys_syncfs_args *, register_t *);
int	sys_access(struct lwp *, const struct sys_access_args *, register_t *);
int	sys_faccessat(struct lwp *, const struct sys_faccessat_args *, register_t *);
int	sys_faccessat2(struct lwp *, const struct sys_faccessat2_args *, register_t *);
int	sys_chdir(struct lwp *, const struct sys_chdir_args *, register_t *);
int	sys_fchdir(struct lwp *, const struct sys_fchdir_args *, register_t *);
int	sys_getcwd(struct lwp *, const struct sys_getcwd_args *, register_t *);
int	sys_chroot(struct lwp *, const struct sys_chroot_args *, register_t *);
int	sys_mknod(struct lwp *, const struct sys_mknod_args *, register_t *);
int	sys_mknodat(struct lwp *, const struct sys_mknodat_args *, register_t *);
int	sys_mount(struct lwp *, const struct sys_mount_args *, register_t *);
int	sys_umount2(struct lwp *, const struct sys_umount2_args *, register_t *);
int	sys_umount(struct lwp *, const struct sys_umount_args *, register_t *);
int	sys_statfs(struct lwp *, const struct sys_statfs_args *, register_t *);
int	sys_fstatfs(struct lwp *, const struct sys_fstatfs_args *, register_t *);

#endif /* _SYS_SYSCALLARGS_H_ */
