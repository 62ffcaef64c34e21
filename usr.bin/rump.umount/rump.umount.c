/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rump.umount: unmount a file system in the rump kernel served at
 * RUMP_SERVER (see rump.mount(8)).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rumpclient.h>
#include <rump/rump_syscalls.h>

/* umount2 flags (Linux values, as the kernel takes them). */
#define UMOUNT_FORCE	0x1
#define UMOUNT_DETACH	0x2

static void
usage(void)
{

	fprintf(stderr, "usage: rump.umount [-f] [-l] DIR\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	const char *server;
	int ch, flags = 0;

	while ((ch = getopt(argc, argv, "fl")) != -1) {
		switch (ch) {
		case 'f':
			flags |= UMOUNT_FORCE;
			break;
		case 'l':
			flags |= UMOUNT_DETACH;
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 1)
		usage();

	server = getenv("RUMP_SERVER");
	if (server == NULL || *server == '\0') {
		fprintf(stderr, "rump.umount: RUMP_SERVER is not set: set it to "
		    "the server's address, such as unix:///tmp/sock\n");
		return 1;
	}
	if (rumpclient_init() == -1) {
		fprintf(stderr, "rump.umount: cannot connect to the rump kernel "
		    "at %s: %s\n", server, strerror(errno));
		return 1;
	}
	if (rump_sys_umount2(argv[optind], flags) == -1) {
		fprintf(stderr, "rump.umount: %s: %s\n", argv[optind],
		    strerror(errno));
		return 1;
	}
	return 0;
}
