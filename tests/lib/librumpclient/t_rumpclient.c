/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Tests of librumpclient against a server in a child process.
 *
 * The child boots its own kernel with rump_init() and serves it with
 * rump_init_server().  This process never boots a kernel.  Its rump_sys_*
 * calls bind to librumpclient because that library comes first in LIBS.
 * The hostile cases speak the protocol of doc/rump_sp.7 on a raw socket.
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

ATF_TC(getpid);
ATF_TC_HEAD(getpid, tc)
{
	atf_tc_set_md_var(tc, "descr", "a client is a process of the server");
}
ATF_TC_BODY(getpid, tc)
{
	pid_t pid;
	struct stat st;

	start_client();
	pid = rump_sys_getpid();
	ATF_REQUIRE_MSG(pid > 1, "pid %d: %s", (int)pid, strerror(errno));
	ATF_REQUIRE_EQ(rump_sys_getpid(), pid);
	ATF_REQUIRE(pid != getpid() || pid > 1);
	ATF_REQUIRE_EQ(rumpclient_init(), 0);	/* again: nothing to do */
	ATF_REQUIRE_EQ(rump_sys_getpid(), pid);
	ATF_REQUIRE_EQ(rump_sys_stat("/", &st), 0);
	ATF_REQUIRE(S_ISDIR(st.st_mode));
	stop_server();
}

ATF_TC(files);
ATF_TC_HEAD(files, tc)
{
	atf_tc_set_md_var(tc, "descr", "mkdir, open, write, read, stat "
	    "over the wire, with transfers larger than one message");
}
ATF_TC_BODY(files, tc)
{
	const size_t len = 700 * 1024 + 13;
	char *out, *in, name[64];
	struct stat st;
	size_t i;
	int fd;

	start_client();
	out = malloc(len);
	in = malloc(len);
	ATF_REQUIRE(out != NULL && in != NULL);
	for (i = 0; i < len; i++)
		out[i] = (char)(i * 7 + i / 251);
	ATF_REQUIRE_EQ(rump_sys_mkdir("/dir", 0755), 0);
	fd = rump_sys_open("/dir/file", O_RDWR | O_CREAT | O_EXCL, 0644);
	ATF_REQUIRE_MSG(fd >= 0, "open: %s", strerror(errno));
	ATF_REQUIRE_EQ(rump_sys_write(fd, out, len), (ssize_t)len);
	ATF_REQUIRE_EQ(rump_sys_lseek(fd, 0, SEEK_SET), 0);
	memset(in, 0, len);
	ATF_REQUIRE_EQ(rump_sys_read(fd, in, len), (ssize_t)len);
	ATF_REQUIRE(memcmp(in, out, len) == 0);
	ATF_REQUIRE_EQ(rump_sys_fstat(fd, &st), 0);
	ATF_REQUIRE_EQ(st.st_size, (off_t)len);
	ATF_REQUIRE(S_ISREG(st.st_mode));
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);
	ATF_REQUIRE_EQ(rump_sys_stat("/dir", &st), 0);
	ATF_REQUIRE(S_ISDIR(st.st_mode));
	/* A relative path resolves from the directory set by chdir. */
	ATF_REQUIRE_EQ(rump_sys_chdir("/dir"), 0);
	ATF_REQUIRE_EQ(rump_sys_stat("file", &st), 0);
	ATF_REQUIRE_EQ(st.st_size, (off_t)len);
	snprintf(name, sizeof(name), "/dir/%s", "file");
	ATF_REQUIRE_EQ(rump_sys_unlink(name), 0);
	ATF_REQUIRE_EQ(rump_sys_stat(name, &st), -1);
	ATF_REQUIRE_EQ(errno, ENOENT);
	free(out);
	free(in);
	stop_server();
}

ATF_TC(errors);
ATF_TC_HEAD(errors, tc)
{
	atf_tc_set_md_var(tc, "descr", "errno values come back; bad client "
	    "pointers give EFAULT");
}
ATF_TC_BODY(errors, tc)
{
	char buf[16];
	int fd;

	start_client();
	errno = 0;
	ATF_REQUIRE_EQ(rump_sys_open("/nonexistent", O_RDONLY), -1);
	ATF_REQUIRE_EQ(errno, ENOENT);
	ATF_REQUIRE_EQ(rump_sys_mkdir("/d", 0755), 0);
	ATF_REQUIRE_EQ(rump_sys_mkdir("/d", 0755), -1);
	ATF_REQUIRE_EQ(errno, EEXIST);
	ATF_REQUIRE_EQ(rump_sys_close(77), -1);
	ATF_REQUIRE_EQ(errno, EBADF);
	ATF_REQUIRE_EQ(rump_sys_open((const char *)8, O_RDONLY), -1);
	ATF_REQUIRE_EQ(errno, EFAULT);
	fd = rump_sys_open("/d/f", O_RDWR | O_CREAT, 0644);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE_EQ(rump_sys_write(fd, (void *)16, 100), -1);
	ATF_REQUIRE_EQ(errno, EFAULT);
	ATF_REQUIRE_EQ(rump_sys_write(fd, "abc", 3), 3);
	ATF_REQUIRE_EQ(rump_sys_pread(fd, buf, sizeof(buf), 0), 3);
	ATF_REQUIRE(memcmp(buf, "abc", 3) == 0);
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);
	/* The connection survived the faults. */
	ATF_REQUIRE(rump_sys_getpid() > 1);
	stop_server();
}

#define NTHREADS	8
#define NROUNDS		100

static void *
worker(void *arg)
{
	int id = (int)(intptr_t)arg, fd, r;
	char name[32], out[3000], in[3000];
	pid_t pid = rump_sys_getpid();

	snprintf(name, sizeof(name), "/t%d", id);
	fd = rump_sys_open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return (void *)"open";
	for (r = 0; r < NROUNDS; r++) {
		memset(out, 'a' + (id + r) % 26, sizeof(out));
		if (rump_sys_getpid() != pid)
			return (void *)"getpid";
		if (rump_sys_pwrite(fd, out, sizeof(out), 0) !=
		    (ssize_t)sizeof(out))
			return (void *)"pwrite";
		if (rump_sys_pread(fd, in, sizeof(in), 0) !=
		    (ssize_t)sizeof(in))
			return (void *)"pread";
		if (memcmp(in, out, sizeof(in)) != 0)
			return (void *)"compare";
	}
	rump_sys_close(fd);
	return NULL;
}

ATF_TC(threads);
ATF_TC_HEAD(threads, tc)
{
	atf_tc_set_md_var(tc, "descr", "many threads call at once");
}
ATF_TC_BODY(threads, tc)
{
	pthread_t t[NTHREADS];
	void *rv;
	int i;

	start_client();
	for (i = 0; i < NTHREADS; i++)
		ATF_REQUIRE_EQ(pthread_create(&t[i], NULL, worker,
		    (void *)(intptr_t)i), 0);
	for (i = 0; i < NTHREADS; i++) {
		ATF_REQUIRE_EQ(pthread_join(t[i], &rv), 0);
		ATF_CHECK_MSG(rv == NULL, "thread %d failed: %s", i,
		    rv ? (const char *)rv : "");
	}
	stop_server();
}

ATF_TC(killed_client);
ATF_TC_HEAD(killed_client, tc)
{
	atf_tc_set_md_var(tc, "descr", "clients killed in the middle of "
	    "calls do not disturb the server");
}
ATF_TC_BODY(killed_client, tc)
{
	struct stat st;
	pid_t pid;
	int i, status;

	start_client();
	for (i = 0; i < 10; i++) {
		pid = fork();
		ATF_REQUIRE(pid != -1);
		if (pid == 0) {
			static char buf[200 * 1024];
			int fd;

			if (rumpclient_init() != 0)
				_exit(2);
			fd = rump_sys_open("/big", O_WRONLY | O_CREAT, 0644);
			for (;;)
				if (rump_sys_pwrite(fd, buf, sizeof(buf), 0) < 0)
					_exit(3);
		}
		usleep(20000 + 15000 * i);
		kill(pid, SIGKILL);
		ATF_REQUIRE_EQ(waitpid(pid, &status, 0), pid);
		ATF_REQUIRE(WIFSIGNALED(status));
		ATF_REQUIRE(rump_sys_getpid() > 1);
	}
	ATF_REQUIRE_EQ(rump_sys_stat("/big", &st), 0);
	ATF_REQUIRE(st.st_size <= 200 * 1024);
	stop_server();
}

static void
send_hdr(int fd, uint32_t len, uint16_t type, uint64_t id)
{
	struct rsp_hdr h;

	memset(&h, 0, sizeof(h));
	h.rh_len = len;
	h.rh_type = type;
	h.rh_id = id;
	ATF_REQUIRE_EQ(write(fd, &h, sizeof(h)), (ssize_t)sizeof(h));
}

ATF_TC(hostile);
ATF_TC_HEAD(hostile, tc)
{
	atf_tc_set_md_var(tc, "descr", "garbage, truncated, oversized and "
	    "unexpected messages end only their own connection");
}
ATF_TC_BODY(hostile, tc)
{
	static const char garbage[] = "GET / HTTP/1.0\r\n\r\nxxxxxxxxxxxxxxx";
	struct rsp_syscall sc;
	pid_t pid;
	int fd;

	start_client();
	pid = rump_sys_getpid();

	fd = raw_connect();
	ATF_REQUIRE(write(fd, garbage, sizeof(garbage)) > 0);
	expect_closed(fd, "garbage handshake");

	fd = raw_connect();
	send_hdr(fd, 64, RSP_HANDSHAKE, 0);
	ATF_REQUIRE_EQ(write(fd, "0123456789", 10), 10);
	shutdown(fd, SHUT_WR);
	expect_closed(fd, "truncated handshake");

	/* A zero cookie names no prefork. */
	fd = raw_connect();
	ATF_REQUIRE_EQ(raw_handshake(fd, RSP_KIND_FORK, NULL), ESRCH);
	expect_closed(fd, "fork handshake with an unknown cookie");

	fd = raw_connect();
	ATF_REQUIRE_EQ(raw_handshake(fd, RSP_KIND_EXEC, NULL), EINVAL);
	expect_closed(fd, "exec handshake on a new connection");

	fd = raw_connect();
	ATF_REQUIRE_EQ(raw_handshake(fd, 99, NULL), EINVAL);
	expect_closed(fd, "unknown kind");

	fd = raw_connect();
	ATF_REQUIRE_EQ(raw_handshake(fd, RSP_KIND_NEW, NULL), 0);
	send_hdr(fd, 0x7fffffff, RSP_SYSCALL, 1);
	expect_closed(fd, "oversized message");

	fd = raw_connect();
	ATF_REQUIRE_EQ(raw_handshake(fd, RSP_KIND_NEW, NULL), 0);
	send_hdr(fd, sizeof(struct rsp_hdr), 200, 1);
	expect_closed(fd, "unknown type");

	fd = raw_connect();
	ATF_REQUIRE_EQ(raw_handshake(fd, RSP_KIND_NEW, NULL), 0);
	send_hdr(fd, sizeof(struct rsp_hdr) + 8, RSP_COPYIN_REPLY, 12345);
	ATF_REQUIRE_EQ(write(fd, "\0\0\0\0\0\0\0\0", 8), 8);
	expect_closed(fd, "reply to nothing");

	fd = raw_connect();
	ATF_REQUIRE_EQ(raw_handshake(fd, RSP_KIND_NEW, NULL), 0);
	send_hdr(fd, sizeof(struct rsp_hdr) + sizeof(sc) + RSP_MAXARGS + 8,
	    RSP_SYSCALL, 1);
	expect_closed(fd, "argument block too long");

	/* A system call whose copyinstr request gets no valid reply. */
	fd = raw_connect();
	ATF_REQUIRE_EQ(raw_handshake(fd, RSP_KIND_NEW, NULL), 0);
	{
		struct {
			struct rsp_hdr h;
			struct rsp_syscall sc;
			uint64_t args[2];
		} m;

		memset(&m, 0, sizeof(m));
		m.h.rh_len = sizeof(m);
		m.h.rh_type = RSP_SYSCALL;
		m.h.rh_id = 7;
		m.sc.sc_num = 59;	/* SYS_mkdir: the path is copied in */
		m.args[0] = 0x10000;
		ATF_REQUIRE_EQ(write(fd, &m, sizeof(m)), (ssize_t)sizeof(m));
		/* Truncated mid-message, then gone. */
		send_hdr(fd, 100, RSP_COPYIN_REPLY, 1);
		close(fd);
	}

	/* The old client is still served, and new ones are accepted. */
	ATF_REQUIRE_EQ(rump_sys_getpid(), pid);
	fd = raw_connect();
	ATF_REQUIRE_EQ(raw_handshake(fd, RSP_KIND_NEW, NULL), 0);
	close(fd);
	ATF_REQUIRE_EQ(rump_sys_getpid(), pid);
	stop_server();
}

ATF_TC(connect_cycles);
ATF_TC_HEAD(connect_cycles, tc)
{
	atf_tc_set_md_var(tc, "descr", "after many connections come and go "
	    "the server is back to its descriptors and threads");
}
ATF_TC_BODY(connect_cycles, tc)
{
	int fds, threads, i, fd;
	pid_t pid;

	start_client();
	pid = rump_sys_getpid();
	fds = count_entries(server_pid, "fd");
	threads = count_entries(server_pid, "task");
	for (i = 0; i < 300; i++) {
		fd = raw_connect();
		if (i % 2 == 0)
			ATF_REQUIRE_EQ(raw_handshake(fd, RSP_KIND_NEW,
			    NULL), 0);
		close(fd);
	}
	/* The server releases each connection on its own thread. */
	for (i = 0; i < 500; i++) {
		if (count_entries(server_pid, "fd") == fds &&
		    count_entries(server_pid, "task") == threads)
			break;
		usleep(10 * 1000);
	}
	ATF_CHECK_EQ(count_entries(server_pid, "fd"), fds);
	ATF_CHECK_EQ(count_entries(server_pid, "task"), threads);
	ATF_REQUIRE_EQ(rump_sys_getpid(), pid);
	stop_server();
}

ATF_TC(noserver);
ATF_TC_HEAD(noserver, tc)
{
	atf_tc_set_md_var(tc, "descr", "rumpclient_init fails cleanly");
}
ATF_TC_BODY(noserver, tc)
{

	unsetenv("RUMP_SERVER");
	ATF_REQUIRE_EQ(rumpclient_init(), -1);
	ATF_REQUIRE_EQ(errno, ENOENT);
	setenv("RUMP_SERVER", "unix:///nonexistent/sock", 1);
	ATF_REQUIRE_EQ(rumpclient_init(), -1);
	ATF_REQUIRE_EQ(errno, ENOENT);
	setenv("RUMP_SERVER", "bogus", 1);
	ATF_REQUIRE_EQ(rumpclient_init(), -1);
	ATF_REQUIRE_EQ(errno, EINVAL);
	ATF_REQUIRE_EQ(rump_sys_getpid(), -1);
	ATF_REQUIRE_EQ(errno, ENOTCONN);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, getpid);
	ATF_TP_ADD_TC(tp, files);
	ATF_TP_ADD_TC(tp, errors);
	ATF_TP_ADD_TC(tp, threads);
	ATF_TP_ADD_TC(tp, killed_client);
	ATF_TP_ADD_TC(tp, hostile);
	ATF_TP_ADD_TC(tp, connect_cycles);
	ATF_TP_ADD_TC(tp, noserver);
	return atf_no_error();
}
