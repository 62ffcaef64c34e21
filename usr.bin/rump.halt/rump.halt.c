/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rump.halt: halt the rump kernel served at RUMP_SERVER, syncing its file
 * systems first unless -n is given (see rump.halt(8)).
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rumpclient.h>
#include <rump/rumpdefs.h>
#include <rump/rump_syscalls.h>

static void
usage(void)
{

	fprintf(stderr, "usage: rump.halt [-n]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	const char *server;
	int ch, command = RUMP_REBOOT_CMD_HALT;

	while ((ch = getopt(argc, argv, "n")) != -1) {
		switch (ch) {
		case 'n':
			command = RUMP_REBOOT_CMD_HALT_NOSYNC;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();

	server = getenv("RUMP_SERVER");
	if (server == NULL || *server == '\0') {
		fprintf(stderr, "rump.halt: RUMP_SERVER is not set: set it to "
		    "the server's address, such as unix:///tmp/sock\n");
		return 1;
	}
	if (rumpclient_init() == -1) {
		fprintf(stderr, "rump.halt: cannot connect to the rump kernel "
		    "at %s: %s\n", server, strerror(errno));
		return 1;
	}

	/*
	 * The server may drop the connection while it halts, so a reply
	 * lost that way is not a failure.
	 */
	if (rump_sys_reboot(command) == -1 && errno != ENOTCONN &&
	    errno != ECONNRESET && errno != EPIPE) {
		fprintf(stderr, "rump.halt: reboot: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
