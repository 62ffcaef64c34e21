/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Daemonisation of a process that hosts a kernel:
 * rumpuser_daemonize_begin() and rumpuser_daemonize_done().
 *
 * begin forks.  The child becomes the daemon and goes on to start the
 * kernel.  The parent stays in the foreground until the child reports the
 * outcome of the start through done.  It then exits with that errno value
 * as its exit status (0 for success), so a shell script that starts a
 * server can tell when the server is ready.  begin must run before the
 * kernel creates threads, because only the forking thread survives
 * fork().
 */

#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>

#include <rump/rumpuser.h>

#include "rumpuser_int.h"

/* Progress of daemonisation, used only by the thread that starts it. */
static enum {
	DAEMON_NONE,		/* begin not called */
	DAEMON_BEGUN,		/* in the child, waiting for done */
	DAEMON_DONE,		/* done has reported */
} daemon_state = DAEMON_NONE;

/* Child's end of the socket pair to the parent, while DAEMON_BEGUN. */
static int daemon_fd = -1;

/*
 * In the parent: wait for the child's report on fd and exit with it.  If
 * the child ends without reporting, exit with its exit status (1 if that
 * is 0, because the start did not succeed), or 128 plus the number of the
 * signal that killed it.
 */
static void __attribute__((__noreturn__))
daemon_parent_wait(int fd, pid_t child)
{
	ssize_t n;
	int error, status;

	do {
		n = read(fd, &error, sizeof(error));
	} while (n == -1 && errno == EINTR);
	if (n == (ssize_t)sizeof(error))
		_exit(error);

	while (waitpid(child, &status, 0) == -1) {
		if (errno != EINTR)
			_exit(1);
	}
	if (WIFEXITED(status))
		_exit(WEXITSTATUS(status) != 0 ? WEXITSTATUS(status) : 1);
	if (WIFSIGNALED(status))
		_exit(128 + WTERMSIG(status));
	_exit(1);
}

/*
 * Fork.  The parent never returns (see daemon_parent_wait).  The child
 * starts a new session and returns 0.  Returns EINPROGRESS if called
 * before, or the errno value of a failed socketpair() or fork().
 */
int
rumpuser_daemonize_begin(void)
{
	int sv[2];
	pid_t child;

	if (daemon_state != DAEMON_NONE)
		return EINPROGRESS;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1)
		return errno;
	child = fork();
	if (child == -1) {
		close(sv[0]);
		close(sv[1]);
		return errno;
	}
	if (child != 0) {
		close(sv[1]);
		daemon_parent_wait(sv[0], child);
	}

	close(sv[0]);
	daemon_fd = sv[1];
	daemon_state = DAEMON_BEGUN;
	/* A child of fork() is never a process group leader. */
	(void)setsid();
	return 0;
}

/* Point stdin, stdout and stderr at /dev/null.  Returns 0 or errno. */
static int
daemon_detach_stdio(void)
{
	int fd, i, error;

	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd == -1)
		return errno;
	error = 0;
	for (i = STDIN_FILENO; i <= STDERR_FILENO; i++) {
		if (dup2(fd, i) == -1) {
			error = errno;
			break;
		}
	}
	if (fd > STDERR_FILENO)
		close(fd);
	return error;
}

/*
 * Report error (0 for success) to the waiting parent, which then exits
 * with it.  On success stdin, stdout and stderr are first redirected to
 * /dev/null.  If that fails, its errno value is reported instead and also
 * returned.  Returns ENOENT if rumpuser_daemonize_begin() was never
 * called, EALREADY if done already reported, and EPIPE if the report
 * could not be sent.
 */
int
rumpuser_daemonize_done(int error)
{
	ssize_t n;
	int rv;

	if (daemon_state == DAEMON_NONE)
		return ENOENT;
	if (daemon_state == DAEMON_DONE)
		return EALREADY;

	rv = 0;
	if (error == 0) {
		rv = daemon_detach_stdio();
		error = rv;
	}

	do {
		n = send(daemon_fd, &error, sizeof(error), MSG_NOSIGNAL);
	} while (n == -1 && errno == EINTR);
	close(daemon_fd);
	daemon_fd = -1;
	daemon_state = DAEMON_DONE;

	if (n != (ssize_t)sizeof(error))
		return EPIPE;
	return rv;
}
