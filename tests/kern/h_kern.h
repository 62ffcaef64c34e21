/* SPDX-License-Identifier: BSD-2-Clause */
/* Shared helpers of the kernel base tests. */

#ifndef _TESTS_KERN_H_KERN_H_
#define _TESTS_KERN_H_KERN_H_

#include <stdint.h>
#include <stdlib.h>
#include <atf-c.h>

#include <rump/rump.h>

/* Kernel-side helpers in kcomp/testcomp.c. */
size_t	rump_test_complog(char *, size_t);
void	rump_test_locks_init(void);
void	rump_test_mutex_add(int);
long	rump_test_counter(void);
int	rump_test_cv_wait(int, int);
int	rump_test_cv_nwaiters(void);
void	rump_test_cv_wake(int);
int	rump_test_rwlock(void);
void	*rump_test_kmem_alloc(size_t, int);
void	rump_test_kmem_free(void *, size_t);
uint64_t rump_test_kmem_inuse(void);
void	rump_test_reclaim_park(void *, size_t);
unsigned rump_test_reclaim_calls(void);
int	rump_test_kthread(void);
int	rump_test_kpause_sig(int);

/* Boot with the given number of CPUs (0: the default). */
static inline void
boot_kernel(int ncpu)
{
	char buf[16];
	int error;

	if (ncpu > 0) {
		snprintf(buf, sizeof(buf), "%d", ncpu);
		setenv("RUMP_NCPU", buf, 1);
	}
	error = rump_init();
	ATF_REQUIRE_EQ_MSG(error, 0, "rump_init: %s", strerror(error));
}

#endif /* _TESTS_KERN_H_KERN_H_ */
