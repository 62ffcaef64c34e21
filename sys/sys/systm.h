/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Declarations every kernel source needs: console output and logging,
 * panic and assertions, copying to and from the caller's memory, and a few
 * kernel-wide variables.
 */

#ifndef _SYS_SYSTM_H_
#define _SYS_SYSTM_H_

#include <sys/types.h>
#include <sys/stdarg.h>
#include <sys/errno.h>
#include <lib/libkern/libkern.h>

struct lwp;

/*
 * Console output.  printf writes to the console always; aprint_normal
 * only when booted verbose (RUMP_VERBOSE), aprint_verbose and
 * aprint_debug likewise, aprint_error always.
 */
void	printf(const char *, ...) __printflike(1, 2);
void	vprintf(const char *, va_list);
void	aprint_normal(const char *, ...) __printflike(1, 2);
void	aprint_verbose(const char *, ...) __printflike(1, 2);
void	aprint_debug(const char *, ...) __printflike(1, 2);
void	aprint_error(const char *, ...) __printflike(1, 2);

/*
 * Kernel log with syslog priorities.  Messages at LOG_WARNING and more
 * urgent always reach the console; others only when booted verbose.
 * log_ratelimited drops repeats beyond a few per second and counts them.
 */
#define LOG_EMERG	0
#define LOG_ALERT	1
#define LOG_CRIT	2
#define LOG_ERR		3
#define LOG_WARNING	4
#define LOG_NOTICE	5
#define LOG_INFO	6
#define LOG_DEBUG	7
void	log(int, const char *, ...) __printflike(2, 3);
void	vlog(int, const char *, va_list);

/* Print "panic: MESSAGE" and stop the kernel; never returns. */
void	panic(const char *, ...) __dead __printflike(1, 2);
void	vpanic(const char *, va_list) __dead;

#ifdef DIAGNOSTIC
#define KASSERT(e)							\
	(__predict_true(e) ? (void)0 :					\
	    kern_assert("kernel assertion \"%s\" failed: file \"%s\", "	\
	    "line %d", #e, __FILE__, __LINE__))
#define KASSERTMSG(e, msg, ...)						\
	(__predict_true(e) ? (void)0 :					\
	    kern_assert("kernel assertion \"%s\" failed: file \"%s\", "	\
	    "line %d: " msg, #e, __FILE__, __LINE__, ## __VA_ARGS__))
#define KDASSERT(e)	KASSERT(e)
#else
#define KASSERT(e)		((void)0)
#define KASSERTMSG(e, ...)	((void)0)
#define KDASSERT(e)		((void)0)
#endif
#define CTASSERT(x)	_Static_assert((x), #x)
void	kern_assert(const char *, ...) __dead __printflike(1, 2);

/*
 * Moving data between the kernel and the calling process.  For a local
 * caller these are plain copies; for a remote client they travel over the
 * client's connection.  All return 0 or EFAULT; the string variants
 * return ENAMETOOLONG when no NUL was found within the given length and
 * store the length copied, NUL included, in *done when done is not NULL.
 */
int	copyin(const void *, void *, size_t);
int	copyout(const void *, void *, size_t);
int	copyinstr(const void *, void *, size_t, size_t *);
int	copyoutstr(const void *, void *, size_t, size_t *);
int	copystr(const void *, void *, size_t, size_t *);

/* Boot flags (RB_* and AB_* values in sys/reboot.h). */
extern int boothowto;

extern char hostname[];
extern size_t hostnamelen;
extern int ncpu;
extern uint64_t physmem_bytes;

/*
 * Shutdown hooks run at halt, most recently registered first.  Hooks that
 * write data to storage do so only when shutdown_howto lacks RB_NOSYNC.
 */
extern int shutdown_howto;
void	*shutdownhook_establish(void (*)(void *), void *);
void	 shutdownhook_disestablish(void *);
void	 doshutdownhooks(void);

/* Halt the kernel: sync unless RB_NOSYNC, run hooks, stop threads. */
void	cpu_reboot(int, char *);

int	enosys(void);
int	nullop(void *);

#endif /* _SYS_SYSTM_H_ */
