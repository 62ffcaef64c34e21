/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cprng_fill on the randomness hypercall.
 */

#include <sys/types.h>
#include <sys/cprng.h>
#include <sys/errno.h>

#include <rump/rumpuser.h>

int
cprng_fill(void *buf, size_t len)
{
	size_t done, n;
	int error;

	/* The hypercall may return fewer bytes than asked for; go on. */
	for (done = 0; done < len; done += n) {
		error = rumpuser_getrandom((char *)buf + done, len - done, 0,
		    &n);
		if (error != 0)
			return error;
		if (n == 0)
			return EIO;
	}
	return 0;
}
