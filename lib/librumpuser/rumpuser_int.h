/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Private declarations shared by the files of librumpuser, the hypercall
 * library for Linux/glibc hosts.  They are the copy of the kernel's upcall
 * table, the helpers that release and retake the caller's virtual CPU
 * around blocking host calls, and the fatal-error helpers for hypercalls
 * that return void and so cannot report a failure.
 *
 * Include after <stdint.h>, <sys/types.h> and <rump/rumpuser.h>.
 */

#ifndef _LIB_LIBRUMPUSER_RUMPUSER_INT_H_
#define _LIB_LIBRUMPUSER_RUMPUSER_INT_H_

#define RUMPUSER_HIDDEN __attribute__((__visibility__("hidden")))

/*
 * Upcall table copied by rumpuser_init().  Written once, before the kernel
 * makes any other hypercall, and read-only afterwards.
 */
extern struct rumpuser_hyperup rumpuser__hyp RUMPUSER_HIDDEN;

/*
 * Release the caller's virtual CPU and every hold it has on the kernel's
 * giant lock before a blocking host call.  The number of giant holds
 * released is stored in *nlocksp and must be handed back to
 * rumpuser__reschedule().  interlock is the mutex of a condition variable
 * wait, or NULL.
 */
static inline void
rumpuser__unschedule(int *nlocksp, void *interlock)
{

	rumpuser__hyp.hyp_backend_unschedule(0, nlocksp, interlock);
}

/* Take a virtual CPU and nlocks giant holds back after a blocking call. */
static inline void
rumpuser__reschedule(int nlocks, void *interlock)
{

	rumpuser__hyp.hyp_backend_schedule(nlocks, interlock);
}

/*
 * Print "rumpuser: <call> failed: <error text>" on stderr and abort.  For
 * host calls that fail where the hypercall cannot report an error.
 */
void rumpuser__fatal_error(const char *call, int error)
    RUMPUSER_HIDDEN __attribute__((__noreturn__, __cold__));

/* Print "rumpuser: <message>" on stderr and abort, for broken contracts. */
void rumpuser__fatal(const char *fmt, ...)
    RUMPUSER_HIDDEN __attribute__((__noreturn__, __cold__,
    __format__(__printf__, 1, 2)));

/*
 * Abort through rumpuser__fatal_error() unless call, a host function that
 * returns 0 or an error number (the pthread convention), returns 0.
 */
#define RUMPUSER_NOFAIL(call)						\
	do {								\
		int rumpuser__rv = (call);				\
									\
		if (__builtin_expect(rumpuser__rv != 0, 0))		\
			rumpuser__fatal_error(#call, rumpuser__rv);	\
	} while (/* CONSTCOND */ 0)

/* Write out the calling thread's unfinished console line, if any. */
void rumpuser__console_flush(void) RUMPUSER_HIDDEN;

#endif /* _LIB_LIBRUMPUSER_RUMPUSER_INT_H_ */
