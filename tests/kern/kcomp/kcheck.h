/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Checks for kernel-side test code.  A failed KCHECK prints the condition
 * with its file and line on the console, stores the line number in the
 * function's `error` variable and jumps to its `out` label, where the
 * function undoes what it set up.  The test program reports the line.
 */

#ifndef _TESTS_KERN_KCOMP_KCHECK_H_
#define _TESTS_KERN_KCOMP_KCHECK_H_

#include <sys/systm.h>

#define KCHECK(cond) do {						\
	if (!(cond)) {							\
		printf("%s:%d: check failed: %s\n", __FILE__, __LINE__,	\
		    #cond);						\
		error = __LINE__;					\
		goto out;						\
	}								\
} while (0)

/* Like KCHECK, with the values involved printed as well. */
#define KCHECK_MSG(cond, fmt, ...) do {					\
	if (!(cond)) {							\
		printf("%s:%d: check failed: %s: " fmt "\n", __FILE__,	\
		    __LINE__, #cond, __VA_ARGS__);			\
		error = __LINE__;					\
		goto out;						\
	}								\
} while (0)

#endif /* _TESTS_KERN_KCOMP_KCHECK_H_ */
