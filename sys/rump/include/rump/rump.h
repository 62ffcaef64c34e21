/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The rump kernel's public interface: booting and halting the kernel,
 * binding host threads to kernel lwps and processes, and generic entry
 * points.  The system calls themselves are in <rump/rump_syscalls.h>.
 *
 * Unless stated otherwise, every function here returns 0 or an errno
 * value, must be called from a host thread that is not inside the kernel
 * (not between rump_schedule and rump_unschedule), and may be called from
 * any number of host threads at once.
 */

#ifndef _RUMP_RUMP_H_
#define _RUMP_RUMP_H_

#ifdef _KERNEL
#include <sys/types.h>
#else
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#endif

#include <rump/rumpdefs.h>

#ifdef __cplusplus
extern "C" {
#endif

struct lwp;

/*
 * Boot the kernel in the calling process.  Reads RUMP_NCPU, RUMP_VERBOSE,
 * RUMP_THREADS, RUMP_MEMLIMIT and RUMP_HOSTNAME through the hypervisor.
 * A second call after a successful boot does nothing and returns 0; a
 * call after the kernel was halted returns EALREADY.
 */
int	rump_init(void);

/* Boot flags (RUMP_AB_*); set before rump_init(). */
void	rump_boot_sethowto(int);
int	rump_boot_gethowto(void);

/* What posting a signal to a process does; set before rump_init(). */
void	rump_boot_setsigmodel(enum rump_sigmodel);

/* The kernel version as MMmmpp00 (major, minor, patch). */
int	rump_getversion(void);
int	rump_pub_getversion(void);
/* 0: system calls take the host's Linux ABI, not NetBSD's. */
int	rump_nativeabi_p(void);

/*
 * Enter and leave the kernel around direct calls to kernel functions.
 * rump_pub_* and rump_sys_* calls do this themselves.
 */
void	rump_schedule(void);
void	rump_unschedule(void);

/*
 * Generic system call: num is a RUMP_SYS_* number, data the argument
 * block (one 8-byte slot per argument) of dlen bytes.  Returns 0 or an
 * errno value and stores the results in retval[0] and retval[1].
 */
int	rump_syscall(int, void *, size_t, long *);

/*
 * Read and write a sysctl node by its dotted name ("kern.hostname").
 * Works like the C library's sysctlbyname: returns 0, or -1 with errno
 * set (ENOENT for an unknown name, EPERM for a write without privilege,
 * ENOMEM when *oldlenp is too small, EINVAL for a bad new value).
 */
int	rump_sysctlbyname(const char *, void *, size_t *, const void *, size_t);

/*
 * Processes and lwps (see rump(3)): rfork creates a child of the current
 * process with one lwp and binds it to the calling thread; newlwp adds an
 * lwp to process pid and binds it; switch binds an existing lwp, or
 * returns to the implicit context with NULL; releaselwp ends the bound
 * lwp (and its process with its last lwp).
 */
int	rump_pub_lwproc_rfork(int);
int	rump_pub_lwproc_newlwp(pid_t);
void	rump_pub_lwproc_switch(struct lwp *);
void	rump_pub_lwproc_releaselwp(void);
struct lwp *rump_pub_lwproc_curlwp(void);

/*
 * etfs: host files in the kernel's namespace.  key is an absolute path
 * in the kernel ("/dev/disk"), hostpath a host file or directory, type
 * what the kernel shows: a regular file, a block or character device, or
 * a directory (its immediate children, or with RUMP_ETFS_DIR_SUBDIRS the
 * whole tree).  The _withsize form shows only the bytes [begin, begin +
 * size) of the host file; RUMP_ETFS_SIZE_ENDOFF as size means up to the
 * end of the file, however it grows.  Keys are found by lookups but are
 * not listed in their directory.  Missing directories on the key's path
 * are made, unlisted too, and removed with the last key below them.
 * NOTE: the hypercalls cannot list a host directory, so a directory key
 * lists only the names that were looked up in it so far.
 *
 * Errors:
 *	EINVAL	a key that is not absolute or has an empty, "." or ".."
 *		component, or a BLK window (or any window sized with
 *		RUMP_ETFS_SIZE_ENDOFF) that does not fit the host file
 *	EEXIST	the key exists
 *	ENOENT	(or another host errno) hostpath cannot be examined
 *	ENOTDIR, EISDIR
 *		the host file's type does not fit type
 *	EBUSY	remove: the file, or one below a directory key, is open
 *	ENXIO	the kernel is not running
 */
int	rump_pub_etfs_register(const char *key, const char *hostpath,
	    enum rump_etfs_type type);
int	rump_pub_etfs_register_withsize(const char *key, const char *hostpath,
	    enum rump_etfs_type type, uint64_t begin, uint64_t size);
int	rump_pub_etfs_remove(const char *key);

/*
 * Register an etfs key before rump_init(), for files the kernel needs
 * while it boots.  The registration happens when the root file system is
 * mounted; eb_status is -1 until then, and afterwards 0 or the errno of
 * the registration.  The caller keeps the structure and its strings
 * unchanged until rump_init() returns and serialises the calls.
 */
struct rump_boot_etfs {
	const char	*eb_key;
	const char	*eb_hostpath;
	enum rump_etfs_type eb_type;
	uint64_t	 eb_begin;
	uint64_t	 eb_size;
	struct rump_boot_etfs *_eb_next;	/* the kernel's */
	int		 eb_status;
};
void	rump_boot_etfs_register(struct rump_boot_etfs *);

/* Detach from the terminal: begin before rump_init(), done after. */
int	rump_daemonize_begin(void);
int	rump_daemonize_done(int);

/* Serve the kernel to remote clients at a unix:// or tcp:// URL. */
int	rump_init_server(const char *);

#ifdef __cplusplus
}
#endif

#ifndef _KERNEL
#include <rump/rump_syscalls.h>
#endif

#endif /* _RUMP_RUMP_H_ */
