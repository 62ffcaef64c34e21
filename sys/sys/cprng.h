/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Random bytes for the kernel, from the host's cryptographic random
 * number generator (getrandom(2) on Linux).  The machine-dependent layer
 * provides it.
 */

#ifndef _SYS_CPRNG_H_
#define _SYS_CPRNG_H_

#include <sys/types.h>

/*
 * Fill buf with len random bytes.  May sleep only while the host's
 * generator is still being seeded at boot.  Returns 0 or the host's
 * errno; on an error the contents of buf are unspecified.
 */
int	cprng_fill(void *buf, size_t len);

#endif /* _SYS_CPRNG_H_ */
