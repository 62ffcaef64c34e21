/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A program that defines symbols the kernel also has (panic, hz,
 * kmem_alloc, curlwp) and still boots a kernel and makes system calls:
 * the kernel's symbols live in the rumpns_ namespace and cannot bind to
 * these.  Built once linked dynamically and once statically.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rump/rump.h>

int hz = 12345;
void *curlwp = (void *)0x1;
int panic_calls;

void panic(const char *);
void *kmem_alloc(size_t, int);

void
panic(const char *msg)
{

	panic_calls++;
	fprintf(stderr, "the program's own panic: %s\n", msg);
}

void *
kmem_alloc(size_t size, int flags)
{

	panic("the program's kmem_alloc was called");
	return NULL;
}

int
main(void)
{
	size_t len = sizeof(int);
	int ncpu = 0;

	if (rump_init() != 0)
		return 1;
	if (rump_sys_getpid() != 1)
		return 2;
	if (rump_pub_lwproc_rfork(RUMP_RFFDG) != 0)
		return 3;
	if (rump_sys_getpid() <= 1)
		return 4;
	rump_pub_lwproc_releaselwp();
	if (rump_sysctlbyname("hw.ncpu", &ncpu, &len, NULL, 0) != 0 ||
	    ncpu < 1)
		return 5;
	if (hz != 12345 || curlwp != (void *)0x1 || panic_calls != 0)
		return 6;
	printf("ok\n");
	return 0;
}
