/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Tests of fork, exec, daemon and reconnection of remote clients, and of
 * the server's handling of clients that leave while a call sleeps.
 *
 * The server runs in a child process that boots its own kernel; this
 * process never boots one, so it may fork freely.  Checks that run in a
 * forked child report a failure through the child's exit status: each
 * check has its own status, named in the parent's message.
 */

#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <atf-c.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/rumpclient.h>

#include "h_server.h"

extern char **environ;

/* Wait for a child and require that it exited with status 0. */
static void
wait_child(pid_t pid, const char *what)
{
	int status;

	ATF_REQUIRE_EQ(waitpid(pid, &status, 0), pid);
	ATF_REQUIRE_MSG(WIFEXITED(status), "%s: killed by signal %d", what,
	    WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	ATF_REQUIRE_MSG(WEXITSTATUS(status) == 0, "%s: failed check %d",
	    what, WEXITSTATUS(status));
}

/* In a forked child: exit with code unless cond holds. */
#define CHILD_CHECK(cond, code)						\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "child check %d failed: %s "	\
			    "(errno %d)\n", (code), #cond, errno);	\
			_exit(code);					\
		}							\
	} while (0)

static double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The path of helper program name, next to this test program. */
static void
helper_path(const atf_tc_t *tc, const char *name, char *buf, size_t len)
{

	snprintf(buf, len, "%s/%s", atf_tc_get_config_var(tc, "srcdir"),
	    name);
	ATF_REQUIRE_MSG(access(buf, X_OK) == 0, "%s: %s", buf,
	    strerror(errno));
}

/* ------------------------------------------------------------------ */
/* Raw protocol */

/*
 * Send a PREFORK request and return the error of the reply.  After a
 * successful CREATE the new cookie is stored at cookie.  A nonzero
 * reserved field makes the request malformed, and then no reply is read
 * and 0 is returned.
 */
static int
raw_prefork(int fd, uint32_t op, uint8_t *cookie, uint32_t reserved)
{
	struct {
		struct rsp_hdr h;
		struct rsp_prefork pf;
	} m;
	struct {
		struct rsp_hdr h;
		struct rsp_prefork_reply pr;
	} r;

	memset(&m, 0, sizeof(m));
	m.h.rh_len = sizeof(m);
	m.h.rh_type = RSP_PREFORK;
	m.h.rh_id = 5;
	m.pf.pf_op = op;
	m.pf.pf_reserved = reserved;
	if (op == RSP_PREFORK_CANCEL)
		memcpy(m.pf.pf_cookie, cookie, RSP_COOKIELEN);
	ATF_REQUIRE_EQ(write(fd, &m, sizeof(m)), (ssize_t)sizeof(m));
	if (reserved != 0)
		return 0;
	ATF_REQUIRE_EQ(read(fd, &r, sizeof(r)), (ssize_t)sizeof(r));
	ATF_REQUIRE_EQ(r.h.rh_type, RSP_PREFORK_REPLY);
	ATF_REQUIRE_EQ(r.h.rh_id, 5);
	ATF_REQUIRE_EQ(r.pr.pr_reserved, 0);
	if (op == RSP_PREFORK_CREATE && r.pr.pr_error == 0)
		memcpy(cookie, r.pr.pr_cookie, RSP_COOKIELEN);
	return r.pr.pr_error;
}

/* ------------------------------------------------------------------ */
/* fork */

ATF_TC(fork_shares_files);
ATF_TC_HEAD(fork_shares_files, tc)
{
	atf_tc_set_md_var(tc, "descr", "a forked child is a child process "
	    "with its parent's descriptors, sharing their file offsets");
}
ATF_TC_BODY(fork_shares_files, tc)
{
	char buf[8];
	pid_t ppid, pid;
	int fd;

	start_client();
	ppid = rump_sys_getpid();
	fd = rump_sys_open("/f", O_RDWR | O_CREAT, 0644);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE_EQ(rump_sys_write(fd, "abc", 3), 3);

	pid = rumpclient_fork();
	ATF_REQUIRE_MSG(pid != -1, "rumpclient_fork: %s", strerror(errno));
	if (pid == 0) {
		CHILD_CHECK(rump_sys_getpid() > 1, 10);
		CHILD_CHECK(rump_sys_getpid() != ppid, 11);
		CHILD_CHECK(rump_sys_getppid() == ppid, 12);
		CHILD_CHECK(rump_sys_write(fd, "def", 3) == 3, 13);
		_exit(0);
	}
	wait_child(pid, "child");
	/* The child's write moved the offset that the parent shares. */
	ATF_REQUIRE_EQ(rump_sys_lseek(fd, 0, SEEK_CUR), 6);
	memset(buf, 0, sizeof(buf));
	ATF_REQUIRE_EQ(rump_sys_pread(fd, buf, 6, 0), 6);
	ATF_REQUIRE_STREQ(buf, "abcdef");
	ATF_REQUIRE_EQ(rump_sys_getpid(), ppid);
	stop_server();
}

ATF_TC(fork_own_table);
ATF_TC_HEAD(fork_own_table, tc)
{
	atf_tc_set_md_var(tc, "descr", "descriptors and directories that a "
	    "forked child opens, closes or changes are its own");
}
ATF_TC_BODY(fork_own_table, tc)
{
	struct stat st;
	int fd, childfd, p[2];
	pid_t pid;

	start_client();
	ATF_REQUIRE_EQ(rump_sys_mkdir("/dir", 0755), 0);
	ATF_REQUIRE_EQ(rump_sys_chdir("/dir"), 0);
	fd = rump_sys_open("a", O_RDWR | O_CREAT, 0644);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE_EQ(pipe(p), 0);

	pid = rumpclient_fork();
	ATF_REQUIRE_MSG(pid != -1, "rumpclient_fork: %s", strerror(errno));
	if (pid == 0) {
		/* The working directory was copied. */
		CHILD_CHECK(rump_sys_stat("a", &st) == 0, 10);
		childfd = rump_sys_open("/b", O_RDWR | O_CREAT, 0644);
		CHILD_CHECK(childfd >= 0 && childfd != fd, 11);
		CHILD_CHECK(rump_sys_close(fd) == 0, 12);
		CHILD_CHECK(rump_sys_fstat(fd, &st) == -1, 13);
		CHILD_CHECK(rump_sys_chdir("/") == 0, 14);
		CHILD_CHECK(write(p[1], &childfd, sizeof(childfd)) ==
		    sizeof(childfd), 15);
		_exit(0);
	}
	wait_child(pid, "child");
	ATF_REQUIRE_EQ(read(p[0], &childfd, sizeof(childfd)),
	    (ssize_t)sizeof(childfd));
	/* The parent's descriptor survived the child's close. */
	ATF_REQUIRE_EQ(rump_sys_fstat(fd, &st), 0);
	/* The child's new descriptor is not in the parent's table. */
	errno = 0;
	ATF_REQUIRE_EQ(rump_sys_fstat(childfd, &st), -1);
	ATF_REQUIRE_EQ(errno, EBADF);
	/* The child's chdir did not move the parent. */
	ATF_REQUIRE_EQ(rump_sys_stat("a", &st), 0);
	stop_server();
}

ATF_TC(vfork_is_fork);
ATF_TC_HEAD(vfork_is_fork, tc)
{
	atf_tc_set_md_var(tc, "descr", "rumpclient_vfork makes a child "
	    "process as rumpclient_fork does");
}
ATF_TC_BODY(vfork_is_fork, tc)
{
	pid_t ppid, pid;

	start_client();
	ppid = rump_sys_getpid();
	pid = rumpclient_vfork();
	ATF_REQUIRE(pid != -1);
	if (pid == 0) {
		CHILD_CHECK(rump_sys_getppid() == ppid, 10);
		_exit(0);
	}
	wait_child(pid, "child");
	ATF_REQUIRE_EQ(rump_sys_getpid(), ppid);
	stop_server();
}

/*
 * Read one byte from a non-blocking rump pipe end: 0 at end of file,
 * EAGAIN while some process keeps the write end open, else -1.
 */
static int
pipe_state(int rfd)
{
	char c;
	ssize_t n;

	n = rump_sys_read(rfd, &c, 1);
	if (n == 0)
		return 0;		/* every writer is gone */
	if (n < 0 && errno == EAGAIN)
		return EAGAIN;		/* a writer is still open */
	return -1;
}

ATF_TC(prefork_cancel);
ATF_TC_HEAD(prefork_cancel, tc)
{
	atf_tc_set_md_var(tc, "descr", "a cancelled prefork releases its "
	    "copy of the descriptors, and its cookie is gone");
}
ATF_TC_BODY(prefork_cancel, tc)
{
	struct rumpclient_fork *rf;
	int p[2];
	pid_t pid;

	start_client();
	ATF_REQUIRE_EQ(rump_sys_pipe2(p, O_NONBLOCK), 0);
	rf = rumpclient_prefork();
	ATF_REQUIRE_MSG(rf != NULL, "rumpclient_prefork: %s",
	    strerror(errno));
	ATF_REQUIRE_EQ(rump_sys_close(p[1]), 0);
	/* The preforked process keeps the write end open. */
	ATF_REQUIRE_EQ(pipe_state(p[0]), EAGAIN);

	rumpclient_fork_cancel(rf);
	ATF_REQUIRE_EQ(pipe_state(p[0]), 0);
	ATF_REQUIRE(rump_sys_getpid() > 1);

	rf = rumpclient_prefork();
	ATF_REQUIRE(rf != NULL);
	pid = fork();
	ATF_REQUIRE(pid != -1);
	if (pid == 0) {
		/* The parent's connection is not the child's. */
		CHILD_CHECK(rump_sys_getpid() == -1 && errno == ENOTCONN, 10);
		_exit(0);
	}
	wait_child(pid, "child");
	rumpclient_fork_cancel(rf);
	stop_server();
}

ATF_TC(prefork_limit);
ATF_TC_HEAD(prefork_limit, tc)
{
	atf_tc_set_md_var(tc, "descr", "a client may have 32 preforks "
	    "outstanding; more fail with EAGAIN");
}
ATF_TC_BODY(prefork_limit, tc)
{
	struct rumpclient_fork *rf[33];
	int i;

	start_client();
	for (i = 0; i < 32; i++) {
		rf[i] = rumpclient_prefork();
		ATF_REQUIRE_MSG(rf[i] != NULL, "prefork %d: %s", i,
		    strerror(errno));
	}
	errno = 0;
	ATF_REQUIRE(rumpclient_prefork() == NULL);
	ATF_REQUIRE_EQ(errno, EAGAIN);
	rumpclient_fork_cancel(rf[0]);
	rf[0] = rumpclient_prefork();
	ATF_REQUIRE(rf[0] != NULL);
	for (i = 0; i < 32; i++)
		rumpclient_fork_cancel(rf[i]);
	ATF_REQUIRE(rump_sys_getpid() > 1);
	stop_server();
}

ATF_TC(prefork_expiry);
ATF_TC_HEAD(prefork_expiry, tc)
{
	atf_tc_set_md_var(tc, "descr", "an unclaimed prefork is released "
	    "after the server's timeout, and its cookie is refused then");
}
ATF_TC_BODY(prefork_expiry, tc)
{
	static const struct server_opts opts = { .forktimeout = "1" };
	struct rumpclient_fork *rf;
	double t0;
	int p[2], state;
	pid_t pid;

	start_server_opts(&opts);
	ATF_REQUIRE_EQ(rumpclient_init(), 0);
	ATF_REQUIRE_EQ(rump_sys_pipe2(p, O_NONBLOCK), 0);
	rf = rumpclient_prefork();
	ATF_REQUIRE(rf != NULL);
	ATF_REQUIRE_EQ(rump_sys_close(p[1]), 0);
	t0 = now_seconds();
	while ((state = pipe_state(p[0])) == EAGAIN && now_seconds() < t0 + 10)
		usleep(50 * 1000);
	ATF_REQUIRE_EQ_MSG(state, 0, "the prefork was not released within "
	    "10 s");
	ATF_REQUIRE_MSG(now_seconds() >= t0 + 0.5, "released too early");

	pid = fork();
	ATF_REQUIRE(pid != -1);
	if (pid == 0) {
		CHILD_CHECK(rumpclient_fork_init(rf) == -1, 10);
		CHILD_CHECK(errno == ESRCH, 11);
		_exit(0);
	}
	wait_child(pid, "child");
	rumpclient_fork_vparent(rf);
	stop_server();
}

ATF_TC(fork_cookie);
ATF_TC_HEAD(fork_cookie, tc)
{
	atf_tc_set_md_var(tc, "descr", "a fork handshake needs the cookie "
	    "of an outstanding prefork, once; preforks outlive the parent's "
	    "connection; malformed prefork requests end the connection");
}
ATF_TC_BODY(fork_cookie, tc)
{
	uint8_t cookie[RSP_COOKIELEN], other[RSP_COOKIELEN];
	int a, b;

	start_server();
	a = raw_connect();
	ATF_REQUIRE_EQ(raw_handshake(a, RSP_KIND_NEW, NULL), 0);
	ATF_REQUIRE_EQ(raw_prefork(a, RSP_PREFORK_CREATE, cookie, 0), 0);

	memcpy(other, cookie, sizeof(other));
	other[7] ^= 0x40;
	b = raw_connect();
	ATF_REQUIRE_EQ(raw_handshake(b, RSP_KIND_FORK, other), ESRCH);
	expect_closed(b, "fork with a wrong cookie");

	b = raw_connect();
	ATF_REQUIRE_EQ(raw_handshake(b, RSP_KIND_FORK, cookie), 0);
	close(b);
	b = raw_connect();
	ATF_REQUIRE_EQ(raw_handshake(b, RSP_KIND_FORK, cookie), ESRCH);
	expect_closed(b, "a cookie used twice");

	/* A cancelled prefork cannot be claimed. */
	ATF_REQUIRE_EQ(raw_prefork(a, RSP_PREFORK_CREATE, cookie, 0), 0);
	ATF_REQUIRE_EQ(raw_prefork(a, RSP_PREFORK_CANCEL, cookie, 0), 0);
	b = raw_connect();
	ATF_REQUIRE_EQ(raw_handshake(b, RSP_KIND_FORK, cookie), ESRCH);
	expect_closed(b, "a cancelled cookie");

	/* Cancelling an unknown cookie is an error, not a protocol breach. */
	ATF_REQUIRE_EQ(raw_prefork(a, RSP_PREFORK_CANCEL, other, 0), ESRCH);

	/* The parent goes away before the child connects. */
	ATF_REQUIRE_EQ(raw_prefork(a, RSP_PREFORK_CREATE, cookie, 0), 0);
	close(a);
	usleep(200 * 1000);
	b = raw_connect();
	ATF_REQUIRE_EQ(raw_handshake(b, RSP_KIND_FORK, cookie), 0);
	close(b);

	a = raw_connect();
	ATF_REQUIRE_EQ(raw_handshake(a, RSP_KIND_NEW, NULL), 0);
	raw_prefork(a, RSP_PREFORK_CREATE, cookie, 1);
	expect_closed(a, "prefork with a reserved field set");
	a = raw_connect();
	ATF_REQUIRE_EQ(raw_handshake(a, RSP_KIND_NEW, NULL), 0);
	ATF_REQUIRE_EQ(write(a, &(struct rsp_hdr){ .rh_len =
	    sizeof(struct rsp_hdr) + 4, .rh_type = RSP_PREFORK }, 16), 16);
	ATF_REQUIRE_EQ(write(a, "\1\0\0\0", 4), 4);
	expect_closed(a, "prefork of bad length");
	a = raw_connect();
	ATF_REQUIRE_EQ(raw_handshake(a, RSP_KIND_NEW, NULL), 0);
	memset(cookie, 0, sizeof(cookie));
	ATF_REQUIRE_EQ(write(a, &(struct rsp_hdr){ .rh_len =
	    sizeof(struct rsp_hdr) + sizeof(struct rsp_prefork),
	    .rh_type = RSP_PREFORK }, 16), 16);
	ATF_REQUIRE_EQ(write(a, &(struct rsp_prefork){ .pf_op = 9 },
	    sizeof(struct rsp_prefork)), (ssize_t)sizeof(struct rsp_prefork));
	expect_closed(a, "prefork with an unknown operation");

	/* A second NEW handshake on an established connection. */
	a = raw_connect();
	ATF_REQUIRE_EQ(raw_handshake(a, RSP_KIND_NEW, NULL), 0);
	{
		struct {
			struct rsp_hdr h;
			struct rsp_handshake hs;
		} m;

		memset(&m, 0, sizeof(m));
		m.h.rh_len = sizeof(m);
		m.h.rh_type = RSP_HANDSHAKE;
		m.hs.hs_magic = RSP_MAGIC;
		m.hs.hs_vmajor = RSP_VMAJOR;
		m.hs.hs_kind = RSP_KIND_NEW;
		ATF_REQUIRE_EQ(write(a, &m, sizeof(m)), (ssize_t)sizeof(m));
	}
	expect_closed(a, "a NEW handshake after the handshake");

	/* The server still serves. */
	ATF_REQUIRE_EQ(rumpclient_init(), 0);
	ATF_REQUIRE(rump_sys_getpid() > 1);
	stop_server();
}

/* ------------------------------------------------------------------ */
/* exec */

ATF_TC(exec_keeps_process);
ATF_TC_HEAD(exec_keeps_process, tc)
{
	atf_tc_set_md_var(tc, "descr", "a new image keeps the kernel "
	    "process and its descriptors, minus the close-on-exec ones");
}
ATF_TC_BODY(exec_keeps_process, tc)
{
	char helper[PATH_MAX], fdarg[16], cearg[16], pidarg[16];
	pid_t pid;
	int fd, cefd;

	helper_path(tc, "h_exec", helper, sizeof(helper));
	start_client();
	pid = rumpclient_fork();
	ATF_REQUIRE(pid != -1);
	if (pid == 0) {
		char *argv[] = { helper, "check", fdarg, cearg, pidarg, NULL };

		fd = rump_sys_open("/data", O_RDWR | O_CREAT, 0644);
		CHILD_CHECK(fd >= 0, 90);
		CHILD_CHECK(rump_sys_write(fd, "hello", 5) == 5, 91);
		CHILD_CHECK(rump_sys_lseek(fd, 0, SEEK_SET) == 0, 92);
		cefd = rump_sys_open("/data", O_RDONLY | O_CLOEXEC);
		CHILD_CHECK(cefd >= 0, 93);
		snprintf(fdarg, sizeof(fdarg), "%d", fd);
		snprintf(cearg, sizeof(cearg), "%d", cefd);
		snprintf(pidarg, sizeof(pidarg), "%d", (int)rump_sys_getpid());
		rumpclient_exec(helper, argv, environ);
		_exit(94);
	}
	wait_child(pid, "h_exec check");
	stop_server();
}

/* Read one byte from the rump descriptor *arg; returns the errno. */
static void *
blocked_reader(void *arg)
{
	char c;

	if (rump_sys_read(*(int *)arg, &c, 1) < 0)
		return (void *)(intptr_t)errno;
	return NULL;
}

ATF_TC(exec_interrupts_calls);
ATF_TC_HEAD(exec_interrupts_calls, tc)
{
	atf_tc_set_md_var(tc, "descr", "exec ends the old image's calls "
	    "that sleep in the kernel before the new image starts");
}
ATF_TC_BODY(exec_interrupts_calls, tc)
{
	char helper[PATH_MAX], rarg[16], warg[16], pidarg[16];
	pthread_t t;
	pid_t pid;
	int p[2];

	helper_path(tc, "h_exec", helper, sizeof(helper));
	start_client();
	pid = rumpclient_fork();
	ATF_REQUIRE(pid != -1);
	if (pid == 0) {
		char *argv[] = { helper, "pipe", rarg, warg, pidarg, NULL };

		CHILD_CHECK(rump_sys_pipe(p) == 0, 90);
		CHILD_CHECK(pthread_create(&t, NULL, blocked_reader, &p[0]) ==
		    0, 91);
		usleep(200 * 1000);	/* the thread sleeps in the read */
		snprintf(rarg, sizeof(rarg), "%d", p[0]);
		snprintf(warg, sizeof(warg), "%d", p[1]);
		snprintf(pidarg, sizeof(pidarg), "%d", (int)rump_sys_getpid());
		rumpclient_exec(helper, argv, environ);
		_exit(92);
	}
	wait_child(pid, "h_exec pipe");
	stop_server();
}

ATF_TC(exec_failure);
ATF_TC_HEAD(exec_failure, tc)
{
	atf_tc_set_md_var(tc, "descr", "a failed exec leaves the connection "
	    "as it was");
}
ATF_TC_BODY(exec_failure, tc)
{
	char *argv[] = { "none", NULL };
	struct stat st;
	pid_t pid;
	int fd, flags, i, sockfd = -1;
	char path[64], link[64];
	ssize_t n;

	start_client();
	pid = rump_sys_getpid();
	fd = rump_sys_open("/f", O_RDWR | O_CREAT, 0644);
	ATF_REQUIRE(fd >= 0);
	errno = 0;
	ATF_REQUIRE_EQ(rumpclient_exec("/nonexistent/program", argv, environ),
	    -1);
	ATF_REQUIRE_EQ(errno, ENOENT);
	ATF_REQUIRE_EQ(getenv("RUMPCLIENT__EXECFD"), NULL);
	ATF_REQUIRE_EQ(rump_sys_getpid(), pid);
	ATF_REQUIRE_EQ(rump_sys_fstat(fd, &st), 0);
	/* The connection is close-on-exec again. */
	for (i = 3; i < 64; i++) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", i);
		n = readlink(path, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		if (strncmp(link, "socket:", 7) == 0)
			sockfd = i;
	}
	ATF_REQUIRE_MSG(sockfd >= 0, "no socket among descriptors 3 to 63");
	flags = fcntl(sockfd, F_GETFD);
	ATF_REQUIRE(flags >= 0 && (flags & FD_CLOEXEC) != 0);
	stop_server();
}

ATF_TC(exec_relative_url);
ATF_TC_HEAD(exec_relative_url, tc)
{
	atf_tc_set_md_var(tc, "descr", "a relative unix:// RUMP_SERVER "
	    "reaches the new image as an absolute address");
}
ATF_TC_BODY(exec_relative_url, tc)
{
	char helper[PATH_MAX];
	pid_t pid;

	helper_path(tc, "h_exec", helper, sizeof(helper));
	start_server();
	ATF_REQUIRE_EQ(setenv("RUMP_SERVER", "unix://sock", 1), 0);
	ATF_REQUIRE_EQ(rumpclient_init(), 0);
	pid = rumpclient_fork();
	ATF_REQUIRE(pid != -1);
	if (pid == 0) {
		char *argv[] = { helper, "env", server_url, NULL };

		/* The relative path would now name /sock. */
		CHILD_CHECK(chdir("/") == 0, 90);
		rumpclient_exec(helper, argv, environ);
		_exit(91);
	}
	wait_child(pid, "h_exec env");
	stop_server();
}

/* ------------------------------------------------------------------ */
/* daemon */

ATF_TC(daemon_keeps_files);
ATF_TC_HEAD(daemon_keeps_files, tc)
{
	atf_tc_set_md_var(tc, "descr", "rumpclient_daemon: the parent exits "
	    "at once, the daemon keeps the parent's descriptors");
}
ATF_TC_BODY(daemon_keeps_files, tc)
{
	char buf[8], result = 0;
	int p[2], fd;
	pid_t pid;

	start_server();
	ATF_REQUIRE_EQ(pipe(p), 0);
	pid = fork();
	ATF_REQUIRE(pid != -1);
	if (pid == 0) {
		/* A client of its own, which then turns into a daemon. */
		CHILD_CHECK(rumpclient_init() == 0, 10);
		fd = rump_sys_open("/log", O_RDWR | O_CREAT | O_APPEND, 0644);
		CHILD_CHECK(fd >= 0, 11);
		CHILD_CHECK(rump_sys_write(fd, "x", 1) == 1, 12);
		CHILD_CHECK(rumpclient_daemon(0, 1) == 0, 13);
		result = 'e';
		if (getsid(0) != getpid())
			result = 's';
		else if (rump_sys_write(fd, "y", 1) != 1)
			result = 'w';
		else if (getcwd(buf, sizeof(buf)) == NULL ||
		    strcmp(buf, "/") != 0)
			result = 'd';
		else
			result = 'k';
		(void)write(p[1], &result, 1);
		_exit(0);
	}
	close(p[1]);
	wait_child(pid, "daemon's parent");
	ATF_REQUIRE_EQ(read(p[0], &result, 1), 1);
	ATF_REQUIRE_MSG(result == 'k', "daemon check '%c' failed", result);
	ATF_REQUIRE_EQ(rumpclient_init(), 0);
	fd = rump_sys_open("/log", O_RDONLY);
	ATF_REQUIRE(fd >= 0);
	memset(buf, 0, sizeof(buf));
	ATF_REQUIRE_EQ(rump_sys_read(fd, buf, sizeof(buf)), 2);
	ATF_REQUIRE_STREQ(buf, "xy");
	stop_server();
}

/* ------------------------------------------------------------------ */
/* Reconnection */

ATF_TC(retry_none);
ATF_TC_HEAD(retry_none, tc)
{
	atf_tc_set_md_var(tc, "descr", "retry policy 0: calls fail with "
	    "ENOTCONN after the server went away, until rumpclient_init");
}
ATF_TC_BODY(retry_none, tc)
{

	start_client();
	rumpclient_setconnretry(0);
	ATF_REQUIRE(rump_sys_getpid() > 1);
	stop_server();
	start_server();
	errno = 0;
	ATF_REQUIRE_EQ(rump_sys_getpid(), -1);
	ATF_REQUIRE_EQ(errno, ENOTCONN);
	ATF_REQUIRE_EQ(rump_sys_getpid(), -1);
	ATF_REQUIRE_EQ(errno, ENOTCONN);
	ATF_REQUIRE_EQ(rumpclient_init(), 0);
	ATF_REQUIRE(rump_sys_getpid() > 1);
	stop_server();
}

ATF_TC(retry_seconds);
ATF_TC_HEAD(retry_seconds, tc)
{
	atf_tc_set_md_var(tc, "descr", "retry policy N: reconnect within N "
	    "seconds as a new process, else fail with ENOTCONN");
}
ATF_TC_BODY(retry_seconds, tc)
{
	static const struct server_opts delayed = { .delay_ms = 500 };
	struct stat st;
	double t0, t;
	int fd;

	start_client();
	rumpclient_setconnretry(1);
	fd = rump_sys_open("/f", O_RDWR | O_CREAT, 0644);
	ATF_REQUIRE(fd >= 0);
	stop_server();
	(void)unlink(server_path);

	/* No server listens, so the call gives up after about a second. */
	t0 = now_seconds();
	errno = 0;
	ATF_REQUIRE_EQ(rump_sys_getpid(), -1);
	t = now_seconds() - t0;
	ATF_REQUIRE_EQ(errno, ENOTCONN);
	ATF_REQUIRE_MSG(t >= 0.9 && t < 5, "gave up after %.2f s", t);

	/* The server comes back within the time allowed. */
	rumpclient_setconnretry(30);
	start_server_opts(&delayed);
	ATF_REQUIRE(rump_sys_getpid() > 1);
	/* The kernel process is a new one. */
	errno = 0;
	ATF_REQUIRE_EQ(rump_sys_fstat(fd, &st), -1);
	ATF_REQUIRE_EQ(errno, EBADF);
	stop_server();
}

ATF_TC(retry_inftime);
ATF_TC_HEAD(retry_inftime, tc)
{
	atf_tc_set_md_var(tc, "descr", "retry policy INFTIME: a call cut off "
	    "by the server's end is sent again once the server is back");
}
ATF_TC_BODY(retry_inftime, tc)
{
	static const struct server_opts delayed = { .delay_ms = 700 };
	pthread_t t;
	int p[2];
	void *rv;

	start_client();
	rumpclient_setconnretry(RUMPCLIENT_RETRYCONN_INFTIME);
	ATF_REQUIRE_EQ(rump_sys_pipe(p), 0);
	ATF_REQUIRE_EQ(pthread_create(&t, NULL, blocked_reader, &p[0]), 0);
	usleep(200 * 1000);
	stop_server();
	start_server_opts(&delayed);
	/*
	 * The read went out again, to a new process that has no such
	 * descriptor: EBADF from the new server, not ENOTCONN.
	 */
	ATF_REQUIRE_EQ(pthread_join(t, &rv), 0);
	ATF_REQUIRE_EQ_MSG((intptr_t)rv, EBADF, "the resent read: %s",
	    strerror((int)(intptr_t)rv));
	errno = 0;
	ATF_REQUIRE_EQ(rump_sys_read(p[0], &rv, 1), -1);
	ATF_REQUIRE_EQ(errno, EBADF);
	ATF_REQUIRE(rump_sys_getpid() > 1);
	stop_server();
}

ATF_TC(retry_once);
ATF_TC_HEAD(retry_once, tc)
{
	atf_tc_set_md_var(tc, "descr", "retry policy ONCE: one reconnection "
	    "attempt, which fails at once when no server listens");
}
ATF_TC_BODY(retry_once, tc)
{
	double t0, t;

	start_client();
	rumpclient_setconnretry(RUMPCLIENT_RETRYCONN_ONCE);
	stop_server();
	start_server();
	ATF_REQUIRE(rump_sys_getpid() > 1);
	stop_server();
	(void)unlink(server_path);
	t0 = now_seconds();
	errno = 0;
	ATF_REQUIRE_EQ(rump_sys_getpid(), -1);
	t = now_seconds() - t0;
	ATF_REQUIRE_EQ(errno, ENOTCONN);
	ATF_REQUIRE_MSG(t < 1, "one attempt took %.2f s", t);
}

ATF_TC(retry_die);
ATF_TC_HEAD(retry_die, tc)
{
	atf_tc_set_md_var(tc, "descr", "retry policy DIE: the client exits "
	    "with status 1 when it notices the broken connection");
}
ATF_TC_BODY(retry_die, tc)
{
	int ready[2], go[2], status;
	char c;
	pid_t pid;

	start_server();
	ATF_REQUIRE_EQ(pipe(ready), 0);
	ATF_REQUIRE_EQ(pipe(go), 0);
	pid = fork();
	ATF_REQUIRE(pid != -1);
	if (pid == 0) {
		CHILD_CHECK(rumpclient_init() == 0, 10);
		rumpclient_setconnretry(RUMPCLIENT_RETRYCONN_DIE);
		CHILD_CHECK(rump_sys_getpid() > 1, 11);
		CHILD_CHECK(write(ready[1], "r", 1) == 1, 12);
		CHILD_CHECK(read(go[0], &c, 1) == 1, 13);
		(void)rump_sys_getpid();
		_exit(20);		/* should not be reached */
	}
	ATF_REQUIRE_EQ(read(ready[0], &c, 1), 1);
	stop_server();
	ATF_REQUIRE_EQ(write(go[1], "g", 1), 1);
	ATF_REQUIRE_EQ(waitpid(pid, &status, 0), pid);
	ATF_REQUIRE(WIFEXITED(status));
	ATF_REQUIRE_EQ(WEXITSTATUS(status), 1);
}

/* ------------------------------------------------------------------ */
/* Clients that leave while a call sleeps */

/*
 * Wait up to 5 s until the server has at most max threads.  Returns the
 * last count.
 */
static int
settle_threads(int max)
{
	int i, n = 0;

	for (i = 0; i < 500; i++) {
		if ((n = count_entries(server_pid, "task")) <= max)
			break;
		usleep(10 * 1000);
	}
	return n;
}

ATF_TC(killed_sleeper);
ATF_TC_HEAD(killed_sleeper, tc)
{
	atf_tc_set_md_var(tc, "descr", "a client killed while its call "
	    "sleeps in the kernel: the call is interrupted and the server "
	    "releases the process and its threads");
}
ATF_TC_BODY(killed_sleeper, tc)
{
	int ready[2], base, busy, round, status;
	pid_t pid, kpid;
	char c;

	start_client();
	ATF_REQUIRE(rump_sys_getpid() > 1);
	ATF_REQUIRE_EQ(pipe(ready), 0);
	base = count_entries(server_pid, "task");
	for (round = 0; round < 3; round++) {
		pid = fork();
		ATF_REQUIRE(pid != -1);
		if (pid == 0) {
			int p[2];

			CHILD_CHECK(rumpclient_init() == 0, 10);
			CHILD_CHECK(rump_sys_pipe(p) == 0, 11);
			kpid = rump_sys_getpid();
			CHILD_CHECK(write(ready[1], &kpid, sizeof(kpid)) ==
			    sizeof(kpid), 12);
			(void)rump_sys_read(p[0], &c, 1);	/* sleeps */
			_exit(13);
		}
		ATF_REQUIRE_EQ(read(ready[0], &kpid, sizeof(kpid)),
		    (ssize_t)sizeof(kpid));
		usleep(200 * 1000);
		/* The process exists: signal 0 checks that. */
		ATF_REQUIRE_EQ(rump_sys_kill(kpid, 0), 0);
		busy = count_entries(server_pid, "task");
		ATF_REQUIRE_MSG(busy > base, "no thread serves the sleeper");
		kill(pid, SIGKILL);
		ATF_REQUIRE_EQ(waitpid(pid, &status, 0), pid);

		/*
		 * The connection's reader ends: the thread count drops.  The
		 * worker that ran the read may stay as an idle worker.
		 */
		ATF_REQUIRE_MSG(settle_threads(busy - 1) <= busy - 1,
		    "round %d: the server keeps %d threads (%d before the "
		    "client, %d with it)", round,
		    count_entries(server_pid, "task"), base, busy);
		/* The kernel process is gone. */
		errno = 0;
		ATF_REQUIRE_EQ(rump_sys_kill(kpid, 0), -1);
		ATF_REQUIRE_EQ(errno, ESRCH);
		ATF_REQUIRE(rump_sys_getpid() > 1);
	}
	/*
	 * At most the workers that ran the three reads stay, idle (the
	 * pool's own bound is checked by t_robust:sleeping_calls).
	 */
	ATF_CHECK_MSG(count_entries(server_pid, "task") <= base + 3,
	    "%d threads after three sleepers, %d before",
	    count_entries(server_pid, "task"), base);
	stop_server();
}

/* ------------------------------------------------------------------ */
/* Signal handlers */

static int handler_wfd;
static volatile sig_atomic_t handler_result;

static void
write_handler(int sig)
{

	(void)sig;
	handler_result = rump_sys_write(handler_wfd, "s", 1) == 1 ? 1 : -1;
}

ATF_TC(signal_handler_call);
ATF_TC_HEAD(signal_handler_call, tc)
{
	atf_tc_set_md_var(tc, "descr", "a signal handler may make a call "
	    "while the interrupted thread waits for its own reply");
}
ATF_TC_BODY(signal_handler_call, tc)
{
	struct sigaction sa;
	char c = 0;
	int p[2];

	start_client();
	ATF_REQUIRE_EQ(rump_sys_pipe(p), 0);
	handler_wfd = p[1];
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = write_handler;
	ATF_REQUIRE_EQ(sigaction(SIGALRM, &sa, NULL), 0);
	alarm(1);
	/* Sleeps in the kernel until the handler's write arrives. */
	ATF_REQUIRE_EQ(rump_sys_read(p[0], &c, 1), 1);
	ATF_REQUIRE_EQ(c, 's');
	ATF_REQUIRE_EQ(handler_result, 1);
	stop_server();
}

/* ------------------------------------------------------------------ */
/* Logging and descriptor moves */

/* Whether the file contains a line with both strings. */
static bool
log_has(const char *path, const char *s1, const char *s2)
{
	char line[512];
	bool found = false;
	FILE *f;

	if ((f = fopen(path, "r")) == NULL)
		return false;
	while (!found && fgets(line, sizeof(line), f) != NULL)
		found = strstr(line, s1) != NULL && strstr(line, s2) != NULL;
	fclose(f);
	return found;
}

ATF_TC(verbose_log);
ATF_TC_HEAD(verbose_log, tc)
{
	atf_tc_set_md_var(tc, "descr", "with RUMP_VERBOSE the server logs "
	    "connects and disconnects with the client's pids and name");
}
ATF_TC_BODY(verbose_log, tc)
{
	static const struct server_opts opts = { .log = "server.log" };
	char hostpid[32], kernpid[32];
	int p[2], i;
	pid_t pid, kpid;

	start_server_opts(&opts);
	ATF_REQUIRE_EQ(pipe(p), 0);
	pid = fork();
	ATF_REQUIRE(pid != -1);
	if (pid == 0) {
		CHILD_CHECK(rumpclient_init() == 0, 10);
		kpid = rump_sys_getpid();
		CHILD_CHECK(write(p[1], &kpid, sizeof(kpid)) == sizeof(kpid),
		    11);
		_exit(0);
	}
	wait_child(pid, "client");
	ATF_REQUIRE_EQ(read(p[0], &kpid, sizeof(kpid)), (ssize_t)sizeof(kpid));
	snprintf(hostpid, sizeof(hostpid), "host pid %d,", (int)pid);
	snprintf(kernpid, sizeof(kernpid), "client pid %d ", (int)kpid);
	for (i = 0; i < 500; i++) {
		if (log_has("server.log", hostpid, "disconnected"))
			break;
		usleep(10 * 1000);
	}
	ATF_CHECK_MSG(log_has("server.log", hostpid, "connected: new process"),
	    "no connect line for %s", hostpid);
	ATF_CHECK_MSG(log_has("server.log", kernpid, "connected: new process"),
	    "no connect line for %s", kernpid);
	ATF_CHECK_MSG(log_has("server.log", hostpid, "disconnected"),
	    "no disconnect line for %s", hostpid);
	ATF_CHECK_MSG(log_has("server.log", hostpid, "t_fork"),
	    "the process name is missing");
	stop_server();
}

/* The descriptor of our connection: the only socket of this process. */
static int
find_socket(void)
{
	char path[64], link[64];
	ssize_t n;
	int i, fd = -1;

	for (i = 0; i < 256; i++) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", i);
		n = readlink(path, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		if (strncmp(link, "socket:", 7) == 0) {
			ATF_REQUIRE_MSG(fd == -1, "more than one socket");
			fd = i;
		}
	}
	ATF_REQUIRE(fd >= 3);
	return fd;
}

ATF_TC(closenotify_moves_socket);
ATF_TC_HEAD(closenotify_moves_socket, tc)
{
	atf_tc_set_md_var(tc, "descr", "rumpclient__closenotify moves the "
	    "connection out of the way of close, dup2 and closing ranges");
}
ATF_TC_BODY(closenotify_moves_socket, tc)
{
	int sock, fd, n, nul[3], i;
	pid_t pid;

	start_client();
	pid = rump_sys_getpid();
	sock = find_socket();

	/* Not ours: nothing happens. */
	n = 0;
	ATF_REQUIRE_EQ(rumpclient__closenotify(&n, RUMPCLIENT_CLOSE_CLOSE),
	    0);
	ATF_REQUIRE_EQ(find_socket(), sock);

	n = sock;
	ATF_REQUIRE_EQ(rumpclient__closenotify(&n, RUMPCLIENT_CLOSE_CLOSE),
	    0);
	ATF_REQUIRE_EQ(n, sock);
	ATF_REQUIRE_EQ(close(sock), 0);
	ATF_REQUIRE_EQ(rump_sys_getpid(), pid);
	sock = find_socket();

	fd = open("/dev/null", O_RDWR);
	ATF_REQUIRE(fd >= 0);
	n = sock;
	ATF_REQUIRE_EQ(rumpclient__closenotify(&n, RUMPCLIENT_CLOSE_DUP2), 0);
	ATF_REQUIRE_EQ(dup2(fd, sock), sock);
	ATF_REQUIRE_EQ(rump_sys_getpid(), pid);
	close(fd);
	close(sock);
	sock = find_socket();

	/*
	 * Make the socket the highest descriptor: the three opens fill every
	 * gap, so the socket moves above them.
	 */
	for (i = 0; i < 3; i++) {
		nul[i] = open("/dev/null", O_RDONLY);
		ATF_REQUIRE(nul[i] >= 0);
	}
	n = sock;
	ATF_REQUIRE_EQ(rumpclient__closenotify(&n, RUMPCLIENT_CLOSE_CLOSE),
	    0);
	close(sock);
	sock = find_socket();
	ATF_REQUIRE(sock > nul[2]);
	n = nul[0];
	ATF_REQUIRE_EQ(rumpclient__closenotify(&n, RUMPCLIENT_CLOSE_FCLOSEM),
	    0);
	ATF_REQUIRE_EQ(n, sock + 1);
	for (i = 0; i < 3; i++)
		ATF_CHECK_MSG(fcntl(nul[i], F_GETFD) == -1,
		    "descriptor %d below the socket is still open", nul[i]);
	ATF_REQUIRE_EQ(rump_sys_getpid(), pid);
	stop_server();
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, fork_shares_files);
	ATF_TP_ADD_TC(tp, fork_own_table);
	ATF_TP_ADD_TC(tp, vfork_is_fork);
	ATF_TP_ADD_TC(tp, prefork_cancel);
	ATF_TP_ADD_TC(tp, prefork_limit);
	ATF_TP_ADD_TC(tp, prefork_expiry);
	ATF_TP_ADD_TC(tp, fork_cookie);
	ATF_TP_ADD_TC(tp, exec_keeps_process);
	ATF_TP_ADD_TC(tp, exec_interrupts_calls);
	ATF_TP_ADD_TC(tp, exec_failure);
	ATF_TP_ADD_TC(tp, exec_relative_url);
	ATF_TP_ADD_TC(tp, daemon_keeps_files);
	ATF_TP_ADD_TC(tp, retry_none);
	ATF_TP_ADD_TC(tp, retry_seconds);
	ATF_TP_ADD_TC(tp, retry_inftime);
	ATF_TP_ADD_TC(tp, retry_once);
	ATF_TP_ADD_TC(tp, retry_die);
	ATF_TP_ADD_TC(tp, killed_sleeper);
	ATF_TP_ADD_TC(tp, signal_handler_call);
	ATF_TP_ADD_TC(tp, verbose_log);
	ATF_TP_ADD_TC(tp, closenotify_moves_socket);
	return atf_no_error();
}
