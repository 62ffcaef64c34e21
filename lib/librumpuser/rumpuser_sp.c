/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Hypercalls of the remote system call server (rumpuser_sp_*).
 *
 * TODO: the server, which serves a kernel to remote clients over unix:// and
 * tcp:// sockets, comes with the remote-clients work.  Until then every call
 * fails with ENOSYS, and rumpuser_sp_fini() has nothing to stop.
 */

#include <sys/types.h>

#include <errno.h>
#include <stdint.h>

#include <rump/rumpuser.h>

#include "rumpuser_int.h"

int
rumpuser_sp_init(const char *url, const char *ostype, const char *osrelease,
    const char *machine)
{

	(void)url;
	(void)ostype;
	(void)osrelease;
	(void)machine;
	return ENOSYS;
}

int
rumpuser_sp_copyin(void *arg, const void *raddr, void *laddr, size_t len)
{

	(void)arg;
	(void)raddr;
	(void)laddr;
	(void)len;
	return ENOSYS;
}

int
rumpuser_sp_copyinstr(void *arg, const void *raddr, void *laddr,
    size_t *lenp)
{

	(void)arg;
	(void)raddr;
	(void)laddr;
	(void)lenp;
	return ENOSYS;
}

int
rumpuser_sp_copyout(void *arg, const void *laddr, void *raddr, size_t len)
{

	(void)arg;
	(void)laddr;
	(void)raddr;
	(void)len;
	return ENOSYS;
}

int
rumpuser_sp_copyoutstr(void *arg, const void *laddr, void *raddr,
    size_t *lenp)
{

	(void)arg;
	(void)laddr;
	(void)raddr;
	(void)lenp;
	return ENOSYS;
}

int
rumpuser_sp_anonmmap(void *arg, size_t howmuch, void **addr)
{

	(void)arg;
	(void)howmuch;
	(void)addr;
	return ENOSYS;
}

int
rumpuser_sp_raise(void *arg, int signo)
{

	(void)arg;
	(void)signo;
	return ENOSYS;
}

void
rumpuser_sp_fini(void *arg)
{

	(void)arg;
}
