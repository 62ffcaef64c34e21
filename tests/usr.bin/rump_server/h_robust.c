/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * h_robust: the client side of the rump_server robustness tests
 * (t_robust.sh).  The server is RUMP_SERVER.  One operation per run:
 *
 *	cycles N		Make N connections that come and go.  Every
 *				fourth closes after the banner.  The others
 *				make the handshake, and every second of those
 *				also a getpid.
 *	writeloop PATH		Rewrite the first 256 KiB of PATH until
 *				killed.  Prints "writing" once the first
 *				write is done.
 *	fill PATH BYTES SEED	Write BYTES of a pattern made from SEED.
 *	verify PATH BYTES SEED	Check that PATH contains exactly that
 *				pattern.
 *	sleepers N		Start N threads whose reads of a pipe sleep
 *				in the kernel while another thread makes
 *				calls, then write the bytes that wake them.
 *	hostile			Send garbage, truncated, oversized and
 *				unexpected messages, each of which must end
 *				only its own connection.  Then make a good
 *				connection.
 *	freeport		Print a TCP port free on 127.0.0.1.
 *
 * The raw operations speak the protocol of doc/rump_sp.7 and need a
 * unix:// server.  Exits 1 with a message naming what failed.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rumpclient.h>
#include <rump/rump_syscalls.h>

#include "../../../lib/librumpuser/sp_proto.h"

#define LOOPSIZE	(256u << 10)	/* bytes per writeloop call */
#define FILLCHUNK	(64u << 10)	/* bytes per fill and verify call */
#define IO_TIMEOUT	10		/* seconds for any raw read */

static void __attribute__((noreturn, format(printf, 1, 2)))
fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "h_robust: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void
client_init(void)
{

	if (rumpclient_init() != 0)
		fail("rumpclient_init %s: %s", getenv("RUMP_SERVER") ?: "",
		    strerror(errno));
}

/* ------------------------------------------------------------------ */
/* Files through librumpclient. */

/* The pattern byte at offset off of a file made with seed. */
static unsigned char
pattern(uint64_t off, unsigned seed)
{

	return (unsigned char)((off * 2654435761u + seed) >> 13);
}

static void
do_writeloop(const char *path)
{
	static char buf[LOOPSIZE];
	int fd;

	client_init();
	memset(buf, 'w', sizeof(buf));
	if ((fd = rump_sys_open(path, O_WRONLY | O_CREAT, 0644)) == -1)
		fail("open %s: %s", path, strerror(errno));
	for (unsigned long n = 0;; n++) {
		if (rump_sys_pwrite(fd, buf, sizeof(buf), 0) !=
		    (ssize_t)sizeof(buf))
			fail("pwrite %s: %s", path, strerror(errno));
		if (n == 0) {
			printf("writing\n");
			fflush(stdout);
		}
	}
}

static void
do_fill(const char *path, uint64_t bytes, unsigned seed, int verify)
{
	static unsigned char buf[FILLCHUNK], want[FILLCHUNK];
	struct stat st;
	uint64_t off;
	size_t n, i;
	int fd;

	client_init();
	fd = verify ? rump_sys_open(path, O_RDONLY) :
	    rump_sys_open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd == -1)
		fail("open %s: %s", path, strerror(errno));
	for (off = 0; off < bytes; off += n) {
		n = bytes - off < FILLCHUNK ? (size_t)(bytes - off) :
		    FILLCHUNK;
		for (i = 0; i < n; i++)
			want[i] = pattern(off + i, seed);
		if (!verify) {
			if (rump_sys_pwrite(fd, want, n, (off_t)off) !=
			    (ssize_t)n)
				fail("pwrite %s at %llu: %s", path,
				    (unsigned long long)off, strerror(errno));
			continue;
		}
		if (rump_sys_pread(fd, buf, n, (off_t)off) != (ssize_t)n)
			fail("pread %s at %llu: %s", path,
			    (unsigned long long)off, strerror(errno));
		for (i = 0; i < n; i++)
			if (buf[i] != want[i])
				fail("%s: byte %llu is %#x, expected %#x", path,
				    (unsigned long long)(off + i), buf[i],
				    want[i]);
	}
	if (rump_sys_fstat(fd, &st) != 0)
		fail("fstat %s: %s", path, strerror(errno));
	if ((uint64_t)st.st_size != bytes)
		fail("%s: size %lld, expected %llu", path,
		    (long long)st.st_size, (unsigned long long)bytes);
	if (rump_sys_close(fd) != 0)
		fail("close %s: %s", path, strerror(errno));
}

/* The read end of the pipe of do_sleepers. */
static int sleep_fd;

static void *
sleeper(void *arg)
{
	char c;

	(void)arg;
	if (rump_sys_read(sleep_fd, &c, 1) != 1)
		fail("read of the pipe: %s", strerror(errno));
	return NULL;
}

static void
do_sleepers(long n)
{
	pthread_t *t;
	int fds[2], error;
	long i;

	client_init();
	if (n < 1 || n >= RSP_MAXREQS || (t = calloc((size_t)n,
	    sizeof(*t))) == NULL)
		fail("sleepers: invalid N %ld, expected 1 to %d", n,
		    RSP_MAXREQS - 1);
	if (rump_sys_pipe(fds) != 0)
		fail("pipe: %s", strerror(errno));
	sleep_fd = fds[0];
	for (i = 0; i < n; i++)
		if ((error = pthread_create(&t[i], NULL, sleeper, NULL)) != 0)
			fail("pthread_create for sleeper %ld failed: %s", i,
			    strerror(error));

	/* The sleeping reads must not hold up the calls of this thread. */
	usleep(200 * 1000);
	for (i = 0; i < 100; i++)
		if (rump_sys_getpid() <= 1)
			fail("getpid while %ld calls sleep: bad pid", n);
	for (i = 0; i < n; i++)
		if (rump_sys_write(fds[1], "x", 1) != 1)
			fail("write to the pipe: %s", strerror(errno));
	for (i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	free(t);
}

/* ------------------------------------------------------------------ */
/* Raw connections. */

static int
raw_connect(void)
{
	const char *url = getenv("RUMP_SERVER");
	struct sockaddr_un sun;
	struct timeval tv = { .tv_sec = IO_TIMEOUT };
	int fd;

	if (url == NULL || strncmp(url, "unix://", 7) != 0 ||
	    strlen(url + 7) >= sizeof(sun.sun_path))
		fail("RUMP_SERVER must be a unix:// URL for raw connections");
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, url + 7);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1)
		fail("socket: %s", strerror(errno));
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0)
		fail("connect %s: %s", url, strerror(errno));
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

static void
raw_write(int fd, const void *p, size_t len, const char *what)
{

	if (send(fd, p, len, MSG_NOSIGNAL) != (ssize_t)len)
		fail("%s: send: %s", what, strerror(errno));
}

static void
raw_read(int fd, void *p, size_t len, const char *what)
{
	ssize_t n = recv(fd, p, len, MSG_WAITALL);

	if (n != (ssize_t)len)
		fail("%s: %zd of %zu bytes read: %s", what, n, len,
		    n < 0 ? strerror(errno) : "end of file");
}

/*
 * Send a header announcing len bytes in all and then blen bytes of body,
 * in one send.  The server may close the connection at any point of a bad
 * message, so an error of the send is no failure here: expect_closed()
 * checks the outcome.
 */
static void
raw_bad(int fd, uint32_t len, uint16_t type, uint64_t id, const void *body,
    size_t blen)
{
	static char buf[sizeof(struct rsp_hdr) + RSP_MAXMSG];
	struct rsp_hdr h;

	memset(&h, 0, sizeof(h));
	h.rh_len = len;
	h.rh_type = type;
	h.rh_id = id;
	memcpy(buf, &h, sizeof(h));
	if (blen > sizeof(buf) - sizeof(h))
		blen = sizeof(buf) - sizeof(h);
	if (blen > 0)
		memcpy(buf + sizeof(h), body, blen);
	(void)send(fd, buf, sizeof(h) + blen, MSG_NOSIGNAL);
}

/* Read and check the banner. */
static void
raw_banner(int fd)
{
	char banner[RSP_BANNERLEN];
	struct rsp_hdr h;

	raw_read(fd, &h, sizeof(h), "banner");
	if (h.rh_type != RSP_BANNER || h.rh_len <= sizeof(h) ||
	    h.rh_len - sizeof(h) > sizeof(banner))
		fail("invalid banner: type %u, length %u", h.rh_type,
		    h.rh_len);
	raw_read(fd, banner, h.rh_len - sizeof(h), "banner text");
	if (strncmp(banner, "RUMPSP-1.", 9) != 0)
		fail("invalid banner: expected the prefix RUMPSP-1.");
}

/* Send a NEW handshake with this magic; returns the error of the reply. */
static int
raw_handshake(int fd, uint32_t magic)
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
	m.hs.hs_magic = magic;
	m.hs.hs_vmajor = RSP_VMAJOR;
	m.hs.hs_kind = RSP_KIND_NEW;
	m.hs.hs_hostpid = (uint32_t)getpid();
	memcpy(m.hs.hs_comm, "h_robust", 8);
	raw_write(fd, &m, sizeof(m), "handshake");
	raw_read(fd, &r, sizeof(r), "handshake reply");
	if (r.h.rh_type != RSP_HANDSHAKE_REPLY)
		fail("handshake reply has type %u, expected %u", r.h.rh_type,
		    RSP_HANDSHAKE_REPLY);
	return r.hr.hr_error;
}

/* A connection with a good handshake. */
static int
raw_session(void)
{
	int fd = raw_connect(), error;

	raw_banner(fd);
	if ((error = raw_handshake(fd, RSP_MAGIC)) != 0)
		fail("handshake rejected: %s", strerror(error));
	return fd;
}

/* Make a getpid call with request id and return the pid. */
static long
raw_getpid(int fd, uint64_t id)
{
	struct {
		struct rsp_hdr h;
		struct rsp_syscall sc;
	} m;
	struct {
		struct rsp_hdr h;
		struct rsp_syscall_reply rep;
	} r;

	memset(&m, 0, sizeof(m));
	m.h.rh_len = sizeof(m);
	m.h.rh_type = RSP_SYSCALL;
	m.h.rh_id = id;
	m.sc.sc_num = RUMP_SYS_getpid;
	raw_write(fd, &m, sizeof(m), "getpid");
	raw_read(fd, &r, sizeof(r), "getpid reply");
	if (r.h.rh_type != RSP_SYSCALL_REPLY || r.h.rh_id != id ||
	    r.rep.sr_error != 0)
		fail("getpid: reply type %u id %llu error %d", r.h.rh_type,
		    (unsigned long long)r.h.rh_id, r.rep.sr_error);
	return (long)r.rep.sr_retval[0];
}

/* Expect the server to close the connection; fail naming what if not. */
static void
expect_closed(int fd, const char *what)
{
	char buf[512];
	ssize_t n;

	while ((n = recv(fd, buf, sizeof(buf), 0)) > 0)
		continue;
	if (n < 0 && errno != ECONNRESET)
		fail("%s: the server kept the connection: %s", what,
		    strerror(errno));
	close(fd);
}

static void
do_cycles(long n)
{
	long i;
	int fd;

	for (i = 0; i < n; i++) {
		if (i % 4 == 0) {
			fd = raw_connect();
			raw_banner(fd);
		} else {
			fd = raw_session();
			if (i % 2 == 0 && raw_getpid(fd, (uint64_t)i) <= 1)
				fail("getpid in cycle %ld returned a bad pid",
				    i);
		}
		close(fd);
	}
}

static void
do_hostile(void)
{
	static const char garbage[] = "GET / HTTP/1.0\r\nHost: x\r\n\r\n";
	static char big[RSP_MAXMSG];
	struct {
		struct rsp_hdr h;
		struct rsp_syscall sc;
		uint64_t args[2];
	} m;
	int fd;

	fd = raw_connect();
	raw_banner(fd);
	(void)send(fd, garbage, sizeof(garbage), MSG_NOSIGNAL);
	expect_closed(fd, "garbage in place of the handshake");

	fd = raw_connect();
	raw_banner(fd);
	if (raw_handshake(fd, 0x12345678) != EPROTONOSUPPORT)
		fail("a bad magic was not rejected with EPROTONOSUPPORT");
	expect_closed(fd, "bad magic");

	fd = raw_connect();
	raw_banner(fd);
	raw_bad(fd, 64, RSP_HANDSHAKE, 0, "0123456789", 10);
	shutdown(fd, SHUT_WR);
	expect_closed(fd, "truncated handshake");

	fd = raw_session();
	(void)send(fd, garbage, sizeof(garbage), MSG_NOSIGNAL);
	expect_closed(fd, "garbage after the handshake");

	fd = raw_session();
	raw_bad(fd, 0x7fffffff, RSP_SYSCALL, 1, NULL, 0);
	expect_closed(fd, "a header announcing 2 GiB");

	/* The largest length allowed, but too long for a system call. */
	fd = raw_session();
	memset(big, 'x', sizeof(big));
	raw_bad(fd, RSP_MAXMSG, RSP_SYSCALL, 1, big,
	    RSP_MAXMSG - sizeof(struct rsp_hdr));
	expect_closed(fd, "an argument block of 256 KiB");

	fd = raw_session();
	raw_bad(fd, 8, RSP_SYSCALL, 1, NULL, 0);
	expect_closed(fd, "a length shorter than the header");

	fd = raw_session();
	raw_bad(fd, sizeof(struct rsp_hdr), 200, 1, NULL, 0);
	expect_closed(fd, "an unknown type");

	fd = raw_session();
	raw_bad(fd, sizeof(struct rsp_hdr) + 8, RSP_COPYIN_REPLY, 99,
	    "\0\0\0\0\0\0\0\0", 8);
	expect_closed(fd, "a copyin reply to no request");

	/* A call with request id 0. */
	fd = raw_session();
	memset(&m, 0, sizeof(m));
	m.sc.sc_num = RUMP_SYS_getpid;
	raw_bad(fd, sizeof(m), RSP_SYSCALL, 0, &m.sc, sizeof(m) -
	    sizeof(m.h));
	expect_closed(fd, "a call with id 0");

	/* A call whose copyin reply is cut short, then gone. */
	fd = raw_session();
	m.sc.sc_num = RUMP_SYS_mkdir;
	m.args[0] = 0x10000;		/* the path, copied in */
	m.args[1] = 0755;
	raw_bad(fd, sizeof(m), RSP_SYSCALL, 5, &m.sc, sizeof(m) -
	    sizeof(m.h));
	raw_bad(fd, 100, RSP_COPYIN_REPLY, 1, "abc", 3);
	close(fd);

	/* The server still serves. */
	fd = raw_session();
	if (raw_getpid(fd, 1) <= 1)
		fail("getpid after the hostile connections: bad pid");
	close(fd);
}

static void
do_freeport(void)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int fd;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) != 0)
		fail("no TCP port free on 127.0.0.1: %s", strerror(errno));
	printf("%u\n", ntohs(sin.sin_port));
	close(fd);
}

int
main(int argc, char *argv[])
{
	const char *op = argc > 1 ? argv[1] : "";

	if (strcmp(op, "cycles") == 0 && argc == 3)
		do_cycles(atol(argv[2]));
	else if (strcmp(op, "writeloop") == 0 && argc == 3)
		do_writeloop(argv[2]);
	else if ((strcmp(op, "fill") == 0 || strcmp(op, "verify") == 0) &&
	    argc == 5)
		do_fill(argv[2], strtoull(argv[3], NULL, 0),
		    (unsigned)strtoul(argv[4], NULL, 0),
		    strcmp(op, "verify") == 0);
	else if (strcmp(op, "sleepers") == 0 && argc == 3)
		do_sleepers(atol(argv[2]));
	else if (strcmp(op, "hostile") == 0 && argc == 2)
		do_hostile();
	else if (strcmp(op, "freeport") == 0 && argc == 2)
		do_freeport();
	else {
		fprintf(stderr, "usage: h_robust cycles N | writeloop PATH | "
		    "fill|verify PATH BYTES SEED | sleepers N | hostile | "
		    "freeport\n");
		return 2;
	}
	return 0;
}
