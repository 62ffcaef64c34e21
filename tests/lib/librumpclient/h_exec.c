/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Helper of t_fork: the program that t_fork's children replace themselves
 * with through rumpclient_exec.  rumpclient_init takes over the inherited
 * connection; then the mode given as the first argument checks the new
 * image's kernel state.  Exits 0 when every check passes, else with the
 * number of the failed check and a message on standard error.
 *
 *	h_exec check FD CEFD KPID	FD reads "hello", CEFD (close-on-exec)
 *					is closed, the kernel pid is KPID
 *	h_exec pipe RFD WFD KPID	a rump pipe left open works
 *	h_exec env URL			RUMP__PARSEDSERVER is URL
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump_syscalls.h>
#include <rump/rumpclient.h>

static void
fail(int code, const char *what)
{

	fprintf(stderr, "h_exec: %s (errno %d: %s)\n", what, errno,
	    strerror(errno));
	exit(code);
}

static int
check(char **argv)
{
	struct stat st;
	char buf[16];
	int fd = atoi(argv[2]), cefd = atoi(argv[3]);

	if (rump_sys_getpid() != (pid_t)atoi(argv[4]))
		fail(10, "the kernel pid changed across exec");
	memset(buf, 0, sizeof(buf));
	if (rump_sys_read(fd, buf, sizeof(buf)) != 5)
		fail(11, "read of the inherited descriptor failed");
	if (strcmp(buf, "hello") != 0)
		fail(12, "the inherited descriptor reads wrong data");
	if (rump_sys_fstat(cefd, &st) != -1 || errno != EBADF)
		fail(13, "the close-on-exec descriptor is still open");
	if (getenv("RUMPCLIENT__EXECFD") != NULL)
		fail(14, "RUMPCLIENT__EXECFD is still set");
	return 0;
}

static int
pipecheck(char **argv)
{
	char c = 0;
	int rfd = atoi(argv[2]), wfd = atoi(argv[3]);

	if (rump_sys_getpid() != (pid_t)atoi(argv[4]))
		fail(20, "the kernel pid changed across exec");
	if (rump_sys_write(wfd, "x", 1) != 1)
		fail(21, "write to the inherited pipe failed");
	if (rump_sys_read(rfd, &c, 1) != 1 || c != 'x')
		fail(22, "read from the inherited pipe failed or returned "
		    "wrong data");
	return 0;
}

static int
envcheck(char **argv)
{
	const char *url = getenv("RUMP__PARSEDSERVER");

	if (url == NULL || strcmp(url, argv[2]) != 0)
		fail(30, "RUMP__PARSEDSERVER is not the absolute address");
	if (rump_sys_getpid() <= 1)
		fail(31, "no system calls after exec");
	return 0;
}

int
main(int argc, char **argv)
{

	if (argc < 3) {
		fprintf(stderr, "usage: h_exec check|pipe|env ARGS...\n");
		return 2;
	}
	if (rumpclient_init() != 0)
		fail(3, "rumpclient_init failed");
	if (strcmp(argv[1], "check") == 0 && argc == 5)
		return check(argv);
	if (strcmp(argv[1], "pipe") == 0 && argc == 5)
		return pipecheck(argv);
	if (strcmp(argv[1], "env") == 0 && argc == 3)
		return envcheck(argv);
	fprintf(stderr, "h_exec: invalid mode \"%s\" or argument count %d; "
	    "expected check, pipe or env\n", argv[1], argc);
	return 2;
}
