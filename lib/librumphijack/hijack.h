/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Internal interface of librumphijack, shared by its source files.
 *
 * hijack.c owns the state: the configuration read from RUMPHIJACK, the
 * split of descriptor numbers between the host and the rump kernel, the
 * aliases of descriptors 0, 1 and 2, and whether the working directory is
 * in the rump kernel.  The other files reach that state only through the
 * functions below.
 *
 * A descriptor number used by the application is a host descriptor when
 * it is below hijack_fdoff and not an alias, and a rump descriptor
 * otherwise.  Rump descriptor r is shown to the application as
 * r + hijack_fdoff.
 */

#ifndef _LIB_LIBRUMPHIJACK_HIJACK_H_
#define _LIB_LIBRUMPHIJACK_HIJACK_H_

#include <stdbool.h>

enum hijack_kind {
	HIJACK_HOST,
	HIJACK_RUMP
};

/* The descriptor offset (RUMPHIJACK fdoff=, default 128). */
extern int hijack_fdoff;

/*
 * Set up the library once: resolve host symbols, read the configuration
 * and connect to the server.  Any hijacked function may call it, also
 * before the constructor has run.  Later calls return at once.
 */
void	hijack_init(void);

/*
 * Return which kernel descriptor fd belongs to.  For HIJACK_RUMP, the
 * kernel's own descriptor number is stored in *rfdp.  An alias of 0, 1
 * or 2 resolves to the rump descriptor behind it.
 */
enum hijack_kind hijack_fdkind(int fd, int *rfdp);

/* Return the application's number for rump descriptor rfd. */
int	hijack_fdout(int rfd);

/*
 * Return whether path belongs to the rump kernel.  If it does, *rpathp is
 * set to the path to pass to that kernel: the path with the prefix
 * stripped, or the path itself for a blanket prefix.  A relative path
 * belongs to the kernel that contains the current working directory.
 */
bool	hijack_rumppath(const char *path, const char **rpathp);

/*
 * Return the address of the host's (next) definition of a C library
 * function, found with dlsym(RTLD_NEXT).  A missing symbol is fatal, so
 * the library prints the name and exits.
 */
void	*hijack_hostsym(const char *name);

/*
 * Build the environment to pass across execve.  It is envp with the
 * variables that carry the hijack's state (aliases of 0-2, the working
 * directory) added or replaced.  The result is allocated, and
 * hijack_freeenv() releases it.
 */
char	**hijack_execenv(char *const envp[]);
void	hijack_freeenv(char **env);

#endif /* _LIB_LIBRUMPHIJACK_HIJACK_H_ */
