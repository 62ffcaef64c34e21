/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The kernel console: where printf, log and panic messages go.  The
 * machine-dependent layer provides it (the host's standard error).
 */

#ifndef _SYS_CONS_H_
#define _SYS_CONS_H_

#include <sys/types.h>

/* Write bytes to the console; a whole message per call keeps lines whole. */
void	cnwrite(const char *, size_t);

/* Stop the kernel after a panic message has been printed. */
void	cpu_panic_halt(void) __dead;

#endif /* _SYS_CONS_H_ */
