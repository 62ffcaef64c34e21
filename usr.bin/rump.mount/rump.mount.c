/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rump.mount: mount a file system in the rump kernel served at
 * RUMP_SERVER (see rump.mount(8)).  The -o string goes to the file
 * system unchanged as the mount data.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rumpclient.h>
#include <rump/rump_syscalls.h>

/* mount flag for -r (the Linux MS_RDONLY the kernel takes). */
#define MOUNT_RDONLY	0x1

static void
usage(void)
{

	fprintf(stderr,
	    "usage: rump.mount -t TYPE [-o OPTIONS] [-r] SPECIAL DIR\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	const char *type = NULL, *opts = NULL, *server;
	unsigned long flags = 0;
	int ch;

	while ((ch = getopt(argc, argv, "o:rt:")) != -1) {
		switch (ch) {
		case 'o':
			opts = optarg;
			break;
		case 'r':
			flags |= MOUNT_RDONLY;
			break;
		case 't':
			type = optarg;
			break;
		default:
			usage();
		}
	}
	if (type == NULL || argc - optind != 2)
		usage();

	server = getenv("RUMP_SERVER");
	if (server == NULL || *server == '\0') {
		fprintf(stderr, "rump.mount: RUMP_SERVER is not set: set it to "
		    "the server's address, such as unix:///tmp/sock\n");
		return 1;
	}
	if (rumpclient_init() == -1) {
		fprintf(stderr, "rump.mount: cannot connect to the rump kernel "
		    "at %s: %s\n", server, strerror(errno));
		return 1;
	}
	if (rump_sys_mount(argv[optind], argv[optind + 1], type, flags,
	    opts) == -1) {
		/* Name the operand at fault as mount(8) does. */
		fprintf(stderr, "rump.mount: %s: %s\n",
		    errno == ENOTBLK || errno == ENXIO ? argv[optind] :
		    argv[optind + 1], strerror(errno));
		return 1;
	}
	return 0;
}
