/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * h_client: a small remote client for the rump_server tests.  Connects to
 * RUMP_SERVER and runs the operations on its command line in order:
 *
 *	getpid			print the kernel's pid of this client
 *	mkdir PATH		make a directory
 *	stat PATH		print "dir", "reg", "blk" or "other" and the size
 *	mount KEY DIR TYPE	mount the device KEY on DIR
 *	cat PATH		copy a file to standard output
 *	halt			halt the kernel (the connection goes with it)
 *
 * Exits 1 with a message naming the failed operation.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rump/rumpclient.h>
#include <rump/rump_syscalls.h>
#include <rump/rumpdefs.h>

static void __attribute__((__noreturn__))
fail(const char *what, const char *arg)
{

	fprintf(stderr, "h_client: %s %s: %s\n", what, arg, strerror(errno));
	exit(1);
}

static void
need(int i, int n, int argc)
{

	if (i + n >= argc) {
		fprintf(stderr, "h_client: missing arguments\n");
		exit(2);
	}
}

int
main(int argc, char *argv[])
{
	struct stat st;
	char buf[4096];
	ssize_t n;
	int i, fd;

	if (rumpclient_init() == -1)
		fail("rumpclient_init", getenv("RUMP_SERVER") ?: "(unset)");
	for (i = 1; i < argc; i++) {
		const char *op = argv[i];

		if (strcmp(op, "getpid") == 0) {
			printf("%d\n", (int)rump_sys_getpid());
		} else if (strcmp(op, "mkdir") == 0) {
			need(i, 1, argc);
			if (rump_sys_mkdir(argv[++i], 0755) == -1)
				fail(op, argv[i]);
		} else if (strcmp(op, "stat") == 0) {
			need(i, 1, argc);
			if (rump_sys_stat(argv[++i], &st) == -1)
				fail(op, argv[i]);
			printf("%s %lld\n", S_ISDIR(st.st_mode) ? "dir" :
			    S_ISREG(st.st_mode) ? "reg" :
			    S_ISBLK(st.st_mode) ? "blk" : "other",
			    (long long)st.st_size);
		} else if (strcmp(op, "mount") == 0) {
			need(i, 3, argc);
			if (rump_sys_mount(argv[i + 1], argv[i + 2],
			    argv[i + 3], 0, NULL) == -1)
				fail(op, argv[i + 1]);
			i += 3;
		} else if (strcmp(op, "cat") == 0) {
			need(i, 1, argc);
			if ((fd = rump_sys_open(argv[++i], O_RDONLY)) == -1)
				fail(op, argv[i]);
			while ((n = rump_sys_read(fd, buf, sizeof(buf))) > 0)
				fwrite(buf, 1, (size_t)n, stdout);
			if (n == -1)
				fail(op, argv[i]);
			rump_sys_close(fd);
		} else if (strcmp(op, "halt") == 0) {
			(void)rump_sys_reboot(RUMP_REBOOT_CMD_HALT);
		} else {
			fprintf(stderr, "h_client: unknown operation %s\n", op);
			exit(2);
		}
	}
	fflush(stdout);
	return 0;
}
