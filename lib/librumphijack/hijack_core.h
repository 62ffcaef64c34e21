/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Private interface between the core files of librumphijack (hijack.c,
 * hijack_fd.c, hijack_file.c, hijack_path.c, hijack_cwd.c, hijack_dir.c,
 * hijack_stdio.c and hijack_ftw.c).  hijack.h is the interface every
 * file of the library may use.  This header adds what only the core
 * needs: the lazy host symbol cache, the path classifier with the rule
 * that matched, the descriptor aliases and the replacement of the
 * standard streams.
 *
 * It also declares the C library entry points that glibc exports but
 * does not declare in its headers (the fortified _chk forms and the old
 * __xstat family), so that each definition has a prototype.
 */

#ifndef _LIB_LIBRUMPHIJACK_HIJACK_CORE_H_
#define _LIB_LIBRUMPHIJACK_HIJACK_CORE_H_

#include <sys/types.h>
#include <sys/stat.h>

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hijack.h"

/*
 * Host functions are looked up on first use and kept in one cache
 * variable per function and file:
 *
 *	HIJACK_HOSTFN(open);
 *	...
 *	return HOST(open)(path, flags, mode);
 */
#define HIJACK_HOSTFN(name) \
	static __typeof__(name) *host_##name
#define HOST(name) \
	((__typeof__(&name))hijack_hostfn((void **)&host_##name, #name))

/* The host's name, found with dlsym(RTLD_NEXT) once and cached. */
void	*hijack_hostfn(void **cache, const char *name);

/*
 * Whether p cannot be a user-space address: the first page, or at or
 * above 2^56 (the top of the largest Linux user address space on x86-64
 * and AArch64).  The host kernel fails such pointers with EFAULT, but the
 * hijack would crash reading a path there, and the rump kernel's copyout
 * to them is lost without an error, because the protocol's copyout has
 * no reply.  So the calls check first.  NOTE: an unmapped address in the
 * middle of user space still passes.
 */
static inline bool
hijack_badaddr(const void *p)
{

	return (uintptr_t)p < 4096 || (uintptr_t)p >= ((uintptr_t)1 << 56);
}

/* Whether a buffer of len bytes at p would fault (len 0 never does). */
static inline bool
hijack_badbuf(const void *p, size_t len)
{

	return len > 0 && hijack_badaddr(p);
}

/* Fail a call with EFAULT: -1, and errno set. */
int	hijack_efault(void);

/* The configuration rule that sent a path to the rump kernel. */
enum hijack_match {
	HIJACK_MATCH_NONE,	/* a host path */
	HIJACK_MATCH_PREFIX,	/* under the path= prefix, which is stripped */
	HIJACK_MATCH_BLANKET,	/* under a blanket= prefix, passed unchanged */
	HIJACK_MATCH_CWD	/* relative, and the working directory is rump */
};

enum hijack_match hijack_matchpath(const char *path, const char **rpathp);

/*
 * The kernel of an *at call's (dirfd, path) pair.  For HIJACK_RUMP the
 * rump kernel's directory descriptor (or AT_FDCWD) and path are stored;
 * for HIJACK_HOST nothing is.  A NULL path goes by dirfd alone.
 */
enum hijack_kind hijack_atpath(int dirfd, const char *path, int *rdirfdp,
	    const char **rpathp);

/*
 * Check a descriptor the host returned: one at or above the offset would
 * be taken for a rump descriptor, so it is closed and ENFILE returned.
 */
int	hijack_hostfd(int fd);

/*
 * Number rump descriptor rfd, just made by open or a relative, as the
 * host would: 0, 1 or 2 when one of them is closed (the slot becomes an
 * alias of rfd), else rfd + hijack_fdoff.  -1 passes through.
 */
int	hijack_fdnew(int rfd);

/* The path= prefix without trailing slashes, or NULL when there is none. */
const char *hijack_prefix(size_t *lenp);

/* Give the rump kernel the host's umask (hijack_cwd.c); part of setup. */
void	hijack_umask_sync(void);

bool	hijack_pwdinrump(void);
void	hijack_setpwdinrump(bool inrump);

/* Whether socket() makes sockets of this family in the rump kernel. */
bool	hijack_sockfamily(int family);

/*
 * Aliases across execve (hijack_fd.c).  hijack_alias_encode() returns the
 * aliases that survive exec as "slot:rfd,..." (allocated), or NULL when
 * there are none; hijack_alias_restore() makes one again in the new image.
 * hijack_fdmax() is the highest rump descriptor handed out, -1 if none.
 */
char	*hijack_alias_encode(void);
void	hijack_alias_restore(int slot, int rfd);
int	hijack_fdmax(void);

/*
 * statvfs and pathconf results made from the rump kernel's statfs
 * (hijack_file.c), for the calls the kernel does not have.
 */
struct statfs;
struct statvfs;
void	hijack_statvfs(const struct statfs *sf, struct statvfs *sv);
long	hijack_pathconf(const struct statfs *sf, int name);

/* Fatal configuration or setup error: print the message and exit 1. */
void	hijack_fatal(const char *fmt, ...)
	    __attribute__((__noreturn__, __format__(__printf__, 1, 2)));

/*
 * Replacement of stdin, stdout and stderr (hijack_stdio.c).  While
 * descriptor 0, 1 or 2 is an alias of a rump descriptor, glibc's own
 * reads and writes on it would reach the placeholder that keeps the host
 * slot taken.  So the stream variable is pointed at a stream made with
 * fopencookie, whose I/O goes through the hijacked read and write.
 *
 * hijack_stdio_flush() is called before the slot changes kernel,
 * hijack_stdio_attach() after an alias was made and hijack_stdio_detach()
 * after it went away.
 */
void	hijack_stdio_flush(int slot);
void	hijack_stdio_attach(int slot);
void	hijack_stdio_detach(int slot);

/*
 * glibc exports these without declaring them (the _chk forms are
 * declared only under _FORTIFY_SOURCE, the __xstat family only before
 * glibc 2.33).
 */
int	__open_2(const char *, int);
int	__open64_2(const char *, int);
int	__openat_2(int, const char *, int);
int	__openat64_2(int, const char *, int);
ssize_t	__read_chk(int, void *, size_t, size_t);
ssize_t	__pread_chk(int, void *, size_t, off_t, size_t);
ssize_t	__pread64_chk(int, void *, size_t, off64_t, size_t);
ssize_t	__readlink_chk(const char *, char *, size_t, size_t);
ssize_t	__readlinkat_chk(int, const char *, char *, size_t, size_t);
char	*__getcwd_chk(char *, size_t, size_t);
char	*__realpath_chk(const char *, char *, size_t);
void	__chk_fail(void) __attribute__((__noreturn__));
int	__xstat(int, const char *, struct stat *);
int	__xstat64(int, const char *, struct stat64 *);
int	__lxstat(int, const char *, struct stat *);
int	__lxstat64(int, const char *, struct stat64 *);
int	__fxstat(int, int, struct stat *);
int	__fxstat64(int, int, struct stat64 *);
int	__fxstatat(int, int, const char *, struct stat *, int);
int	__fxstatat64(int, int, const char *, struct stat64 *, int);
int	__xmknod(int, const char *, mode_t, dev_t *);
int	__xmknodat(int, int, const char *, mode_t, dev_t *);
int	getdents(int, void *, size_t);
int	__dprintf_chk(int, int, const char *, ...);
int	__vdprintf_chk(int, int, const char *, va_list);
int	__vasprintf_chk(char **, int, const char *, va_list);

#endif /* _LIB_LIBRUMPHIJACK_HIJACK_CORE_H_ */
