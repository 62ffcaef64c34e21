/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Boot a rump kernel in this process and print what it is: version,
 * virtual CPUs, host name, and the pid of the calling process inside it.
 *
 *	cc bootinfo.c $(pkg-config --cflags --libs rump)
 */

#include <sys/utsname.h>

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rump/rump.h>

int
main(void)
{
	struct utsname un;
	struct timespec ts;
	int ncpu, error;
	size_t len;

	error = rump_init();
	if (error)
		errx(EXIT_FAILURE, "rump_init: %s", strerror(error));

	if (rump_sys_uname(&un) == -1)
		err(EXIT_FAILURE, "rump_sys_uname");
	len = sizeof(ncpu);
	if (rump_sysctlbyname("hw.ncpu", &ncpu, &len, NULL, 0) == -1)
		err(EXIT_FAILURE, "rump_sysctlbyname hw.ncpu");
	if (rump_sys_clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		err(EXIT_FAILURE, "rump_sys_clock_gettime");

	printf("kernel:   %s %s (%s), version number %d\n", un.sysname,
	    un.release, un.machine, rump_getversion());
	printf("CPUs:     %d\n", ncpu);
	printf("hostname: %s\n", un.nodename);
	printf("getpid:   %d (the init process: unbound host threads run "
	    "there)\n", (int)rump_sys_getpid());

	if (rump_pub_lwproc_rfork(RUMP_RFCFDG) != 0)
		errx(EXIT_FAILURE, "rump_pub_lwproc_rfork failed");
	printf("rfork:    new process %d, parent %d\n",
	    (int)rump_sys_getpid(), (int)rump_sys_getppid());
	rump_pub_lwproc_releaselwp();

	if (rump_sys_reboot(RUMP_REBOOT_CMD_HALT) == -1)
		err(EXIT_FAILURE, "rump_sys_reboot");
	printf("halted:   getpid now fails with \"%s\"\n",
	    rump_sys_getpid() == -1 ? strerror(errno) : "(no error)");
	return EXIT_SUCCESS;
}
