/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Helpers that the librumpclient tests share: a server in a child process
 * that boots its own kernel, and raw connections that speak the protocol
 * of doc/rump_sp.7.  The test process itself never boots a kernel, so it
 * may fork freely.  The functions are static inline because each test
 * program uses only some of them.
 */

#ifndef H_SERVER_H
#define H_SERVER_H

#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include <rump/rump.h>
#include <rump/rumpclient.h>

#include "../../../lib/librumpuser/sp_proto.h"

static pid_t server_pid;
static char server_path[512];
static char server_url[600];

struct server_opts {
	int		delay_ms;	/* before the child boots its kernel */
	const char	*forktimeout;	/* RUMP_SP_FORKTIMEOUT, or NULL */
	const char	*log;		/* verbose log file, or NULL */
};

/* Run the server in the child: boot a kernel and serve it until killed. */
static inline void __attribute__((noreturn))
run_server_child(const struct server_opts *o)
{
	int fd, error;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	alarm(100);
	if (o->log != NULL) {
		fd = open(o->log, O_WRONLY | O_CREAT | O_APPEND, 0644);
		if (fd < 0 || dup2(fd, 2) != 2)
			_exit(1);
		setenv("RUMP_VERBOSE", "1", 1);
	}
	if (o->forktimeout != NULL)
		setenv("RUMP_SP_FORKTIMEOUT", o->forktimeout, 1);
	if (o->delay_ms > 0)
		usleep((useconds_t)o->delay_ms * 1000);
	if ((error = rump_init()) != 0) {
		fprintf(stderr, "rump_init: %s\n", strerror(error));
		_exit(1);
	}
	if ((error = rump_init_server(server_url)) != 0) {
		fprintf(stderr, "rump_init_server: %s\n", strerror(error));
		_exit(1);
	}
	for (;;)
		pause();
}

/*
 * Start a server child on ./sock and point RUMP_SERVER at it.  Unless
 * delay_ms is set, wait up to 10 s until its socket accepts.  The child
 * dies with this process, and after 100 seconds in any case.
 */
static inline void
start_server_opts(const struct server_opts *o)
{
	struct sockaddr_un sun;
	char cwd[400];
	int fd, i;

	/* Raw writes to a connection the server has closed must fail, not kill. */
	signal(SIGPIPE, SIG_IGN);
	ATF_REQUIRE(getcwd(cwd, sizeof(cwd)) != NULL);
	snprintf(server_path, sizeof(server_path), "%s/sock", cwd);
	snprintf(server_url, sizeof(server_url), "unix://%s", server_path);
	(void)unlink(server_path);	/* left by an earlier server */
	server_pid = fork();
	ATF_REQUIRE(server_pid != -1);
	if (server_pid == 0)
		run_server_child(o);
	ATF_REQUIRE(setenv("RUMP_SERVER", server_url, 1) == 0);
	if (o->delay_ms > 0)
		return;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, server_path);
	for (i = 0; i < 1000; i++) {
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		ATF_REQUIRE(fd >= 0);
		if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0) {
			close(fd);
			break;
		}
		close(fd);
		ATF_REQUIRE_MSG(waitpid(server_pid, NULL, WNOHANG) == 0,
		    "server exited before %s accepted connections; see its "
		    "stderr", server_path);
		usleep(10 * 1000);
	}
	ATF_REQUIRE_MSG(i < 1000, "server socket %s did not accept "
	    "connections within 10 s", server_path);
}

static inline void
start_server(void)
{
	static const struct server_opts defaults;

	start_server_opts(&defaults);
}

/* Kill the server, which must still be running. */
static inline void
stop_server(void)
{
	int status;

	ATF_REQUIRE_EQ_MSG(waitpid(server_pid, &status, WNOHANG), 0,
	    "server %d exited before the test ended", (int)server_pid);
	kill(server_pid, SIGKILL);
	ATF_REQUIRE_EQ(waitpid(server_pid, &status, 0), server_pid);
}

/* Start a server and connect this process to it with rumpclient_init. */
static inline void
start_client(void)
{

	start_server();
	ATF_REQUIRE_MSG(rumpclient_init() == 0, "rumpclient_init: %s",
	    strerror(errno));
}

/* Count the entries of /proc/PID/WHAT: descriptors or threads. */
static inline int
count_entries(pid_t pid, const char *what)
{
	char path[64];
	struct dirent *d;
	DIR *dir;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, what);
	dir = opendir(path);
	ATF_REQUIRE(dir != NULL);
	while ((d = readdir(dir)) != NULL)
		if (d->d_name[0] != '.')
			n++;
	closedir(dir);
	return n;
}

/* Open a raw connection to the server and read its banner. */
static inline int
raw_connect(void)
{
	struct sockaddr_un sun;
	struct rsp_hdr h;
	char banner[RSP_BANNERLEN];
	struct timeval tv = { .tv_sec = 10 };
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, server_path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE(connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	ATF_REQUIRE_EQ(read(fd, &h, sizeof(h)), (ssize_t)sizeof(h));
	ATF_REQUIRE_EQ(h.rh_type, RSP_BANNER);
	ATF_REQUIRE(h.rh_len > sizeof(h) && h.rh_len - sizeof(h) <=
	    sizeof(banner));
	ATF_REQUIRE_EQ(read(fd, banner, h.rh_len - sizeof(h)),
	    (ssize_t)(h.rh_len - sizeof(h)));
	ATF_REQUIRE(strncmp(banner, "RUMPSP-1.", 9) == 0);
	return fd;
}

/*
 * Send a handshake of this kind, with cookie unless it is NULL, and return
 * the error of the reply.
 */
static inline int
raw_handshake(int fd, uint32_t kind, const uint8_t *cookie)
{
	struct {
		struct rsp_hdr h;
		struct rsp_handshake hs;
	} m;
	struct {
		struct rsp_hdr h;
		struct rsp_handshake_reply hr;
	} r;

	memset(&m, 0, sizeof(m));
	m.h.rh_len = sizeof(m);
	m.h.rh_type = RSP_HANDSHAKE;
	m.h.rh_id = 1;
	m.hs.hs_magic = RSP_MAGIC;
	m.hs.hs_vmajor = RSP_VMAJOR;
	m.hs.hs_kind = kind;
	if (cookie != NULL)
		memcpy(m.hs.hs_cookie, cookie, RSP_COOKIELEN);
	memcpy(m.hs.hs_comm, "raw", 3);
	ATF_REQUIRE_EQ(write(fd, &m, sizeof(m)), (ssize_t)sizeof(m));
	ATF_REQUIRE_EQ(read(fd, &r, sizeof(r)), (ssize_t)sizeof(r));
	ATF_REQUIRE_EQ(r.h.rh_type, RSP_HANDSHAKE_REPLY);
	ATF_REQUIRE_EQ(r.h.rh_id, 1);
	return r.hr.hr_error;
}

/* Check that the server closed the connection: read returns 0. */
static inline void
expect_closed(int fd, const char *what)
{
	char buf[256];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		continue;
	ATF_CHECK_MSG(n == 0 || errno == ECONNRESET,
	    "%s: connection not closed: %s", what, strerror(errno));
	close(fd);
}

#endif /* !H_SERVER_H */
