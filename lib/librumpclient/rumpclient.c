/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * librumpclient: the client side of the remote system call protocol
 * (doc/rump_sp.7).  One connection per host process.
 *
 * There is no reader thread.  A caller sends its request and then either
 * reads the connection itself, when no other thread is reading, or waits
 * until the reader hands it its reply.  The reader serves the server's
 * copyin, copyout, anonmmap and raise requests on the way, from the memory
 * of this process, which is where every caller's buffers are.  Client
 * memory is reached with process_vm_readv/process_vm_writev on ourselves,
 * so a bad address from a caller gives EFAULT instead of a crash.
 *
 * The connection's life.  rumpclient_init connects and makes a NEW
 * handshake, or, in an image started by rumpclient_exec, takes over the
 * inherited connection with an EXEC handshake.  A forked child gets its
 * own connection from rumpclient_fork_init, presenting the cookie of the
 * prefork its parent asked for.  When the connection breaks, the retry
 * policy (rumpclient_setconnretry) decides whether a caller reconnects,
 * as a new kernel process, and sends its request again.  Each connection
 * has a generation number, and a request is sent only on the connection
 * of its generation, so that no request reaches a server twice.  The socket
 * keeps its descriptor number across reconnections (dup3 onto it), and
 * rumpclient__closenotify moves it when the application needs the number.
 *
 * Host calls.  librumphijack interposes on the C library's read, sendmsg,
 * close, dup2, execve and the others, and calls this library from inside
 * them.  So the connection is worked with raw system calls, which no
 * LD_PRELOAD library can intercept.
 *
 * Signals.  A handler that makes a rump call must not find the interrupted
 * thread holding a lock of ours.  All signals are blocked during a
 * request, except in the reader's ppoll, which runs with the caller's own
 * mask and holds no lock.  A handler that interrupts that ppoll takes the
 * reading role over for its own request (rc_tls_polling).
 *
 * Locking: rc.mtx protects the state below it.  rc.readmtx is held while
 * one message is read, so that exec never leaves half a message in the
 * socket.  rc.sendmtx is held while one message is sent.  Lock order:
 * readmtx, then mtx, then sendmtx.  rc.fd changes only with sendmtx held
 * and, after the connection is up, also readmtx or no reader present.
 */

#include <sys/types.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rump/rumpclient.h>

/* rsp_send goes through the raw system calls; see "Host calls" above. */
#define RSP_SENDMSG(fd, msg, flags)	syscall(SYS_sendmsg, (fd), (msg), (flags))
#define RSP_SHUTDOWN(fd, how)		syscall(SYS_shutdown, (fd), (how))

#include "../librumpuser/sp_proto.h"

/* Seconds the server may take to reply to a NEW or FORK handshake. */
#define RC_HANDSHAKE_TIMEOUT	30
/* Milliseconds a reader waits in ppoll before it looks at rc.fd again. */
#define RC_POLL_MS		1000
/* Seconds between "still trying to reconnect" messages. */
#define RC_RETRY_MSG_INTERVAL	120

#define RC_ENV_EXECFD		"RUMPCLIENT__EXECFD"
#define RC_ENV_PARSEDSERVER	"RUMP__PARSEDSERVER"

/* A request waiting for its reply. */
struct rcwait {
	struct rcwait	*w_next;
	uint64_t	w_id;
	uint64_t	w_gen;		/* connection the request went out on */
	int		w_type;		/* reply type expected */
	void		*w_reply;	/* where the reply body goes */
	size_t		w_replylen;	/* its exact length */
	bool		w_done;
};

/*
 * A prefork: the cookie that names the copy of our kernel process.  The
 * parent and the forked child each release their copy of this handle.
 */
struct rumpclient_fork {
	uint8_t		rf_cookie[RSP_COOKIELEN];
};

static struct {
	pthread_mutex_t	mtx;		/* the fields below but fd and retry */
	pthread_cond_t	cv;
	pthread_mutex_t	readmtx;	/* one message read at a time */
	pthread_mutex_t	sendmtx;	/* one message sent at a time */
	int		fd;		/* see the locking note above */
	uint64_t	gen;		/* mtx and sendmtx: connection number */
	pid_t		initpid;	/* host pid that owns the connection */
	bool		dead;		/* the connection broke */
	bool		reading;	/* a caller has the reading role */
	bool		reconnecting;	/* a caller is reconnecting */
	int		ncalls;		/* requests outstanding, <= RSP_MAXREQS */
	uint64_t	nextid;
	struct rcwait	*waits;
	time_t		retry;		/* atomic: the retry policy */
	bool		relative;	/* RUMP_SERVER was a relative unix URL */
	char		url[PATH_MAX + 16]; /* absolute URL, or "" if unknown */
} rc = {
	.mtx = PTHREAD_MUTEX_INITIALIZER,
	.cv = PTHREAD_COND_INITIALIZER,
	.readmtx = PTHREAD_MUTEX_INITIALIZER,
	.sendmtx = PTHREAD_MUTEX_INITIALIZER,
	.fd = -1,
	.nextid = 1,
};

/* Nonzero while this thread waits in the reader's ppoll. */
static __thread volatile int rc_tls_polling;

/* ------------------------------------------------------------------ */
/* Raw host calls */

static ssize_t
rc_sys_read(int fd, void *buf, size_t len)
{

	return syscall(SYS_read, fd, buf, len);
}

static int
rc_sys_close(int fd)
{

	return (int)syscall(SYS_close, fd);
}

static int
rc_sys_fcntl(int fd, int cmd, long arg)
{

	return (int)syscall(SYS_fcntl, fd, cmd, arg);
}

static int
rc_sys_dup3(int oldfd, int newfd, int flags)
{

	return (int)syscall(SYS_dup3, oldfd, newfd, flags);
}

static int
rc_sys_openat(const char *path, int flags)
{

	return (int)syscall(SYS_openat, AT_FDCWD, path, flags, 0);
}

static int
rc_sys_ppoll(struct pollfd *pfd, int ms, const sigset_t *mask)
{
	struct timespec ts = { .tv_sec = ms / 1000,
	    .tv_nsec = (long)(ms % 1000) * 1000000 };

	/* The kernel's sigset is 8 bytes, not glibc's 128. */
	return (int)syscall(SYS_ppoll, pfd, 1, &ts, mask, (size_t)8);
}

/* ------------------------------------------------------------------ */
/* Sending and receiving */

static int
rc_readn(int fd, void *buf, size_t len)
{
	char *p = buf;
	ssize_t n;

	while (len > 0) {
		n = rc_sys_read(fd, p, len);
		if (n == 0)
			return EPIPE;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Read and drop len bytes. */
static int
rc_skip(int fd, size_t len)
{
	char buf[4096];
	size_t chunk;
	int error;

	while (len > 0) {
		chunk = len < sizeof(buf) ? len : sizeof(buf);
		if ((error = rc_readn(fd, buf, chunk)) != 0)
			return error;
		len -= chunk;
	}
	return 0;
}

/*
 * Send a request on the connection of generation gen.  Returns ESTALE,
 * without sending, when a newer connection has replaced it.
 */
static int
rc_send_gen(uint64_t gen, int type, uint64_t id, const void *fixed,
    size_t flen, const void *data, size_t dlen)
{
	int error;

	pthread_mutex_lock(&rc.sendmtx);
	if (gen != rc.gen)
		error = ESTALE;
	else
		error = rsp_send_locked(rc.fd, type, id, fixed, flen, data,
		    dlen);
	pthread_mutex_unlock(&rc.sendmtx);
	return error;
}

/*
 * Send on the current connection.  Only the reader calls this, and no
 * reconnection starts while a reader is present.
 */
static int
rc_send(int type, uint64_t id, const void *fixed, size_t flen,
    const void *data, size_t dlen)
{
	int error;

	pthread_mutex_lock(&rc.sendmtx);
	error = rsp_send_locked(rc.fd, type, id, fixed, flen, data, dlen);
	pthread_mutex_unlock(&rc.sendmtx);
	return error;
}

/*
 * Copy between our memory and a buffer without trusting the address.
 * Returns the bytes copied, which is short when the range runs into an
 * unmapped page.
 */
static size_t
rc_memcopy(void *to, const void *from, size_t len, bool in)
{
	struct iovec local, remote;
	ssize_t n;

	if (in) {
		local.iov_base = to;
		remote.iov_base = (void *)(uintptr_t)from;
	} else {
		local.iov_base = (void *)(uintptr_t)from;
		remote.iov_base = to;
	}
	local.iov_len = remote.iov_len = len;
	n = in ? process_vm_readv(getpid(), &local, 1, &remote, 1, 0) :
	    process_vm_writev(getpid(), &local, 1, &remote, 1, 0);
	if (n >= 0)
		return (size_t)n;
	if (errno != ENOSYS && errno != EPERM)
		return 0;
	/* Not allowed here: trust the address, as a local call does. */
	if ((uintptr_t)remote.iov_base < 4096)
		return 0;
	memcpy(to, from, len);
	return len;
}

static int
rc_servecopyin(int fd, const struct rsp_hdr *h, size_t blen)
{
	struct rsp_copyreq cr;
	struct rsp_copyin_reply ci;
	size_t got, slen;
	char *buf;
	int error;

	if (blen != sizeof(cr))
		return EPROTO;
	if ((error = rc_readn(fd, &cr, sizeof(cr))) != 0)
		return error;
	if (cr.cr_len == 0 || cr.cr_len > RSP_MAXDATA)
		return EPROTO;
	if ((buf = malloc(cr.cr_len)) == NULL)
		return ENOMEM;
	got = rc_memcopy(buf, (const void *)(uintptr_t)cr.cr_addr, cr.cr_len,
	    true);
	memset(&ci, 0, sizeof(ci));
	slen = got;
	if (h->rh_type == RSP_COPYIN) {
		if (got != cr.cr_len)
			ci.ci_error = EFAULT;
	} else {
		char *nul = memchr(buf, '\0', got);

		if (nul != NULL)
			slen = (size_t)(nul - buf) + 1;
		else
			ci.ci_error = got < cr.cr_len ? EFAULT : ENAMETOOLONG;
	}
	error = rc_send(RSP_COPYIN_REPLY, h->rh_id, &ci, sizeof(ci), buf,
	    ci.ci_error != 0 ? 0 : slen);
	free(buf);
	return error;
}

static int
rc_servecopyout(int fd, size_t blen)
{
	struct rsp_copyout co;
	size_t dlen;
	char *buf;
	int error;

	if (blen < sizeof(co) || blen - sizeof(co) > RSP_MAXDATA)
		return EPROTO;
	if ((error = rc_readn(fd, &co, sizeof(co))) != 0)
		return error;
	dlen = blen - sizeof(co);
	if ((buf = malloc(dlen ? dlen : 1)) == NULL)
		return ENOMEM;
	if ((error = rc_readn(fd, buf, dlen)) == 0)
		/* COPYOUT has no reply, so a bad address is not reported. */
		(void)rc_memcopy((void *)(uintptr_t)co.co_addr, buf, dlen,
		    false);
	free(buf);
	return error;
}

static int
rc_servemmap(int fd, const struct rsp_hdr *h, size_t blen)
{
	struct rsp_copyreq cr;
	struct rsp_anonmmap_reply am;
	void *p;
	int error;

	if (blen != sizeof(cr))
		return EPROTO;
	if ((error = rc_readn(fd, &cr, sizeof(cr))) != 0)
		return error;
	memset(&am, 0, sizeof(am));
	p = mmap(NULL, cr.cr_len, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		am.am_error = errno;
	else
		am.am_addr = (uint64_t)(uintptr_t)p;
	return rc_send(RSP_ANONMMAP_REPLY, h->rh_id, &am, sizeof(am), NULL, 0);
}

/* Pass a reply on to the request that waits for it. */
static int
rc_takereply(int fd, const struct rsp_hdr *h, size_t blen, size_t len)
{
	union {
		struct rsp_syscall_reply sr;
		struct rsp_prefork_reply pr;
	} body;
	struct rcwait *w;
	int error;

	if (blen != len || len > sizeof(body))
		return EPROTO;
	if ((error = rc_readn(fd, &body, len)) != 0)
		return error;
	pthread_mutex_lock(&rc.mtx);
	for (w = rc.waits; w != NULL; w = w->w_next)
		if (w->w_id == h->rh_id && w->w_type == h->rh_type &&
		    !w->w_done)
			break;
	if (w != NULL) {
		memcpy(w->w_reply, &body, len);
		w->w_done = true;
	}
	pthread_mutex_unlock(&rc.mtx);
	return w != NULL ? 0 : EPROTO;
}

/*
 * Read and handle one message from fd.  Called with rc.readmtx held.  A
 * RAISE request is not carried out here: its signal is stored in *sigp.
 */
static int
rc_readmsg(int fd, int *sigp)
{
	struct rsp_hdr h;
	struct rsp_raise ra;
	size_t blen;
	int error;

	if ((error = rc_readn(fd, &h, sizeof(h))) != 0)
		return error;
	if (h.rh_len < sizeof(h) || h.rh_len > RSP_MAXMSG ||
	    h.rh_reserved != 0)
		return EPROTO;
	blen = h.rh_len - sizeof(h);
	switch (h.rh_type) {
	case RSP_SYSCALL_REPLY:
		return rc_takereply(fd, &h, blen,
		    sizeof(struct rsp_syscall_reply));
	case RSP_PREFORK_REPLY:
		return rc_takereply(fd, &h, blen,
		    sizeof(struct rsp_prefork_reply));
	case RSP_COPYIN:
	case RSP_COPYINSTR:
		return rc_servecopyin(fd, &h, blen);
	case RSP_COPYOUT:
		return rc_servecopyout(fd, blen);
	case RSP_ANONMMAP:
		return rc_servemmap(fd, &h, blen);
	case RSP_RAISE:
		if (blen != sizeof(ra))
			return EPROTO;
		if ((error = rc_readn(fd, &ra, sizeof(ra))) != 0)
			return error;
		if (ra.ra_signo > 0 && ra.ra_signo < NSIG)
			*sigp = ra.ra_signo;
		return 0;
	default:
		return EPROTO;
	}
}

/*
 * Wait up to RC_POLL_MS for a message, with the signal mask mask, and
 * handle it.  Called without rc.mtx by the caller with the reading role.
 * Returns 0, EAGAIN when no message came, or an errno value after which
 * the connection is given up.
 */
static int
rc_readone(const sigset_t *mask, int *sigp)
{
	struct pollfd pfd;
	int n, error;

	*sigp = 0;
	pfd.fd = __atomic_load_n(&rc.fd, __ATOMIC_RELAXED);
	pfd.events = POLLIN;
	pfd.revents = 0;
	rc_tls_polling++;
	n = rc_sys_ppoll(&pfd, RC_POLL_MS, mask);
	rc_tls_polling--;
	if (n == 0 || (n < 0 && errno == EINTR))
		return EAGAIN;
	if (n < 0)
		return errno;
	pthread_mutex_lock(&rc.readmtx);
	error = rc_readmsg(rc.fd, sigp);
	pthread_mutex_unlock(&rc.readmtx);
	return error;
}

/* ------------------------------------------------------------------ */
/* Connecting */

/*
 * Store the server address, making a relative unix:// path absolute with
 * the host's working directory, so that a later chdir does not change it.
 */
static int
rc_seturl(const char *url)
{
	char cwd[PATH_MAX];
	long n;

	if (strncmp(url, "unix://", 7) != 0 || url[7] == '/' ||
	    url[7] == '\0') {
		if (strlen(url) >= sizeof(rc.url))
			return ENAMETOOLONG;
		strcpy(rc.url, url);
		rc.relative = false;
		return 0;
	}
	/* A raw getcwd, so that librumphijack cannot return a kernel path. */
	n = syscall(SYS_getcwd, cwd, sizeof(cwd));
	if (n < 0)
		return errno;
	if (snprintf(rc.url, sizeof(rc.url), "unix://%s/%s",
	    strcmp(cwd, "/") == 0 ? "" : cwd, url + 7) >=
	    (int)sizeof(rc.url)) {
		rc.url[0] = '\0';
		return ENAMETOOLONG;
	}
	rc.relative = true;
	return 0;
}

/* Connect to url and return the socket, or -1 with errno set. */
static int
rc_connect(const char *url)
{
	int fd, nfd, nodelay = 1, error;

	if (strncmp(url, "unix://", 7) == 0) {
		struct sockaddr_un sun;

		memset(&sun, 0, sizeof(sun));
		sun.sun_family = AF_UNIX;
		if (url[7] == '\0' || strlen(url + 7) >= sizeof(sun.sun_path)) {
			errno = url[7] == '\0' ? EINVAL : ENAMETOOLONG;
			return -1;
		}
		strcpy(sun.sun_path, url + 7);
		fd = (int)syscall(SYS_socket, AF_UNIX,
		    SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return -1;
		if (syscall(SYS_connect, fd, (struct sockaddr *)&sun,
		    sizeof(sun)) != 0)
			goto fail;
	} else if (strncmp(url, "tcp://", 6) == 0) {
		struct sockaddr_in sin;
		char host[64];
		const char *colon = strrchr(url + 6, ':');
		char *end;
		unsigned long port;
		size_t hlen;

		if (colon == NULL ||
		    (hlen = (size_t)(colon - (url + 6))) >= sizeof(host)) {
			errno = EINVAL;
			return -1;
		}
		memcpy(host, url + 6, hlen);
		host[hlen] = '\0';
		port = strtoul(colon + 1, &end, 10);
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_port = htons((uint16_t)port);
		if (end == colon + 1 || (*end != '\0' && strcmp(end, "/")) ||
		    port > 65535 ||
		    inet_pton(AF_INET, host, &sin.sin_addr) != 1) {
			errno = EINVAL;
			return -1;
		}
		fd = (int)syscall(SYS_socket, AF_INET,
		    SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return -1;
		if (syscall(SYS_connect, fd, (struct sockaddr *)&sin,
		    sizeof(sin)) != 0)
			goto fail;
		(void)syscall(SYS_setsockopt, fd, IPPROTO_TCP, TCP_NODELAY,
		    &nodelay, sizeof(nodelay));
	} else {
		errno = strncmp(url, "tcp6://", 7) == 0 ? EOPNOTSUPP : EINVAL;
		return -1;
	}
	/* Keep the connection off the standard descriptors. */
	if (fd <= 2) {
		if ((nfd = rc_sys_fcntl(fd, F_DUPFD_CLOEXEC, 3)) < 0)
			goto fail;
		rc_sys_close(fd);
		fd = nfd;
	}
	return fd;
fail:
	error = errno;
	rc_sys_close(fd);
	errno = error;
	return -1;
}

static void
rc_settimeout(int fd, int secs)
{
	struct timeval tv = { .tv_sec = secs, .tv_usec = 0 };

	(void)syscall(SYS_setsockopt, fd, SOL_SOCKET, SO_RCVTIMEO, &tv,
	    sizeof(tv));
}

/* Send a handshake of this kind on fd, with our host pid and name. */
static int
rc_sendhello(int fd, uint32_t kind, const uint8_t *cookie)
{
	struct rsp_handshake hs;
	char comm[64];
	ssize_t n;
	int cfd;

	memset(&hs, 0, sizeof(hs));
	hs.hs_magic = RSP_MAGIC;
	hs.hs_vmajor = RSP_VMAJOR;
	hs.hs_vminor = RSP_VMINOR;
	hs.hs_kind = kind;
	hs.hs_hostpid = (uint32_t)getpid();
	if (cookie != NULL)
		memcpy(hs.hs_cookie, cookie, RSP_COOKIELEN);
	if ((cfd = rc_sys_openat("/proc/self/comm", O_RDONLY | O_CLOEXEC))
	    >= 0) {
		n = rc_sys_read(cfd, comm, sizeof(comm) - 1);
		rc_sys_close(cfd);
		if (n > 0) {
			comm[n] = '\0';
			comm[strcspn(comm, "\n")] = '\0';
			memcpy(hs.hs_comm, comm,
			    strnlen(comm, sizeof(hs.hs_comm)));
		}
	}
	return rsp_send_locked(fd, RSP_HANDSHAKE, 1, &hs, sizeof(hs), NULL,
	    0);
}

/*
 * Read messages until the reply to our handshake.  After exec the
 * messages of the old image come first: replies to its calls and requests
 * for its memory, which the server has given up, so they are dropped.
 */
static int
rc_readhello(int fd, bool afterexec)
{
	struct rsp_hdr h;
	struct rsp_handshake_reply hr;
	int error;

	for (;;) {
		if ((error = rc_readn(fd, &h, sizeof(h))) != 0)
			return error == EAGAIN ? ETIMEDOUT : error;
		if (h.rh_len < sizeof(h) || h.rh_len > RSP_MAXMSG ||
		    h.rh_reserved != 0)
			return EPROTO;
		if (h.rh_type == RSP_HANDSHAKE_REPLY)
			break;
		switch (h.rh_type) {
		case RSP_SYSCALL_REPLY:
		case RSP_PREFORK_REPLY:
		case RSP_COPYIN:
		case RSP_COPYINSTR:
		case RSP_COPYOUT:
		case RSP_ANONMMAP:
		case RSP_RAISE:
			if (!afterexec)
				return EPROTO;
			if ((error = rc_skip(fd, h.rh_len - sizeof(h))) != 0)
				return error;
			continue;
		default:
			return EPROTO;
		}
	}
	if (h.rh_len != sizeof(h) + sizeof(hr) || h.rh_id != 1)
		return EPROTO;
	if ((error = rc_readn(fd, &hr, sizeof(hr))) != 0)
		return error;
	return hr.hr_error;
}

/*
 * Connect to url and make a handshake of this kind (NEW or FORK).
 * Returns the socket, or -1 with the reason in *errorp.
 */
static int
rc_open(const char *url, uint32_t kind, const uint8_t *cookie, int *errorp)
{
	struct rsp_hdr h;
	char banner[RSP_BANNERLEN + 1];
	size_t blen;
	int fd, error;

	if (url[0] == '\0') {
		*errorp = ENOENT;
		return -1;
	}
	if ((fd = rc_connect(url)) < 0) {
		*errorp = errno;
		return -1;
	}
	rc_settimeout(fd, RC_HANDSHAKE_TIMEOUT);
	if ((error = rc_readn(fd, &h, sizeof(h))) != 0)
		goto fail;
	if (h.rh_type != RSP_BANNER || h.rh_len < sizeof(h) ||
	    (blen = h.rh_len - sizeof(h)) == 0 || blen > RSP_BANNERLEN) {
		error = EPROTO;
		goto fail;
	}
	if ((error = rc_readn(fd, banner, blen)) != 0)
		goto fail;
	banner[blen] = '\0';
	if (strncmp(banner, "RUMPSP-", 7) != 0 || banner[blen - 1] != '\n' ||
	    atoi(banner + 7) != RSP_VMAJOR) {
		error = EPROTONOSUPPORT;
		goto fail;
	}
	if ((error = rc_sendhello(fd, kind, cookie)) != 0 ||
	    (error = rc_readhello(fd, false)) != 0)
		goto fail;
	rc_settimeout(fd, 0);
	return fd;
fail:
	rc_sys_close(fd);
	*errorp = error == EAGAIN ? ETIMEDOUT : error;
	return -1;
}

/*
 * Make fd, a socket after its handshake, this process's connection.  It
 * takes over the number of the old connection, if any, so that the number
 * known to the application (librumphijack) stays the same.  Called with
 * rc.mtx held and no reader.
 */
static void
rc_install_locked(int fd)
{

	pthread_mutex_lock(&rc.sendmtx);
	if (rc.fd >= 0 && rc.fd != fd) {
		if (rc_sys_dup3(fd, rc.fd, O_CLOEXEC) == rc.fd)
			rc_sys_close(fd);
		else {
			rc_sys_close(rc.fd);
			__atomic_store_n(&rc.fd, fd, __ATOMIC_RELAXED);
		}
	} else
		__atomic_store_n(&rc.fd, fd, __ATOMIC_RELAXED);
	rc.gen++;
	pthread_mutex_unlock(&rc.sendmtx);
	rc.dead = false;
	rc.initpid = getpid();
}

/* ------------------------------------------------------------------ */
/* Losing and regaining the connection */

/* Give the connection up so that every waiting call notices. */
static void
rc_kill(int error)
{

	if (!rc.dead) {
		if (error != EPIPE && error != ECONNRESET)
			fprintf(stderr, "rumpclient: connection to %s lost: "
			    "%s\n", rc.url[0] ? rc.url : "the server",
			    strerror(error));
		rc.dead = true;
		(void)RSP_SHUTDOWN(rc.fd, SHUT_RDWR);
		if (__atomic_load_n(&rc.retry, __ATOMIC_RELAXED) ==
		    RUMPCLIENT_RETRYCONN_DIE) {
			fprintf(stderr, "rumpclient: the connection broke and "
			    "the retry policy is DIE: exiting\n");
			_exit(1);
		}
	}
	pthread_cond_broadcast(&rc.cv);
}

/*
 * Sleep before the n-th reconnection attempt, at most until deadline.
 * The sleep takes the caller's signal mask, so that SIGTERM or SIGINT
 * still end a program that waits for its server.
 */
static void
rc_backoff(unsigned n, const struct timespec *deadline, const sigset_t *mask)
{
	struct timespec ts, now;
	uint64_t ms, left;

	ms = n < 10 ? n * 100 : (n - 9 < 10 ? (uint64_t)(n - 9) : 10) * 1000;
	if (deadline != NULL) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		left = (uint64_t)(deadline->tv_sec - now.tv_sec) * 1000 +
		    (uint64_t)((deadline->tv_nsec - now.tv_nsec) / 1000000);
		if ((int64_t)left <= 0)
			return;
		if (left < ms)
			ms = left;
	}
	ts.tv_sec = (time_t)(ms / 1000);
	ts.tv_nsec = (long)(ms % 1000) * 1000000;
	(void)syscall(SYS_ppoll, NULL, 0, &ts, mask, (size_t)8);
}

/*
 * Connect again as the policy allows: one attempt (ONCE), attempts for
 * policy seconds, or attempts until one succeeds (INFTIME).  Returns the
 * new socket after a NEW handshake, or -1.
 */
static int
rc_reconnect(time_t policy, const sigset_t *mask)
{
	struct timespec start, now, deadline;
	time_t lastmsg;
	unsigned n;
	int fd, error = 0;

	fprintf(stderr, "rumpclient: connection to %s lost, trying to "
	    "reconnect\n", rc.url);
	clock_gettime(CLOCK_MONOTONIC, &start);
	deadline = start;
	deadline.tv_sec += policy > 0 ? policy : 0;
	lastmsg = start.tv_sec;
	for (n = 0;; n++) {
		if (n > 0)
			rc_backoff(n, policy > 0 ? &deadline : NULL, mask);
		if ((fd = rc_open(rc.url, RSP_KIND_NEW, NULL, &error)) >= 0) {
			fprintf(stderr, "rumpclient: reconnected to %s as a "
			    "new process; the old one's descriptors and "
			    "directory are gone\n", rc.url);
			return fd;
		}
		if (policy == RUMPCLIENT_RETRYCONN_ONCE)
			break;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (policy > 0 && (now.tv_sec > deadline.tv_sec ||
		    (now.tv_sec == deadline.tv_sec &&
		    now.tv_nsec >= deadline.tv_nsec)))
			break;
		if (now.tv_sec - lastmsg >= RC_RETRY_MSG_INTERVAL) {
			fprintf(stderr, "rumpclient: still trying to reconnect "
			    "to %s: %s\n", rc.url, strerror(error));
			lastmsg = now.tv_sec;
		}
	}
	fprintf(stderr, "rumpclient: reconnecting to %s failed: %s; giving "
	    "up until the next call (see rumpclient_setconnretry)\n",
	    rc.url, strerror(error));
	return -1;
}

/*
 * Recover a dead connection: reconnect as the retry policy allows, or
 * wait for the caller that is reconnecting.  Called and returns with
 * rc.mtx held.  Returns 0 when a new connection is up, else ENOTCONN.
 */
static int
rc_recover_locked(const sigset_t *mask)
{
	time_t policy = __atomic_load_n(&rc.retry, __ATOMIC_RELAXED);
	int fd;

	if (rc.reconnecting) {
		while (rc.reconnecting)
			pthread_cond_wait(&rc.cv, &rc.mtx);
		return rc.dead ? ENOTCONN : 0;
	}
	if (!rc.dead)
		return 0;
	if (policy == 0 || rc.url[0] == '\0')
		return ENOTCONN;

	rc.reconnecting = true;
	while (rc.reading)
		pthread_cond_wait(&rc.cv, &rc.mtx);
	pthread_mutex_unlock(&rc.mtx);
	fd = rc_reconnect(policy, mask);
	pthread_mutex_lock(&rc.mtx);
	if (fd >= 0)
		rc_install_locked(fd);
	rc.reconnecting = false;
	pthread_cond_broadcast(&rc.cv);
	return rc.dead ? ENOTCONN : 0;
}

/* ------------------------------------------------------------------ */
/* Requests */

/*
 * Send a request and wait for its reply, of type rtype and rlen bytes,
 * which is stored at rbuf.  When the connection breaks first, the retry
 * policy may reconnect, and then the request is sent again.  Returns 0 or
 * ENOTCONN.
 */
static int
rc_request(int type, const void *fixed, size_t flen, const void *data,
    size_t dlen, int rtype, void *rbuf, size_t rlen)
{
	struct rcwait w, **wp;
	sigset_t all, mask;
	bool nested;
	int error, sig;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &mask);
	pthread_mutex_lock(&rc.mtx);
	if (rc.fd < 0 || rc.initpid != getpid()) {
		error = ENOTCONN;
		goto out;
	}
	for (;;) {
		if (rc.dead || rc.reconnecting) {
			if ((error = rc_recover_locked(&mask)) != 0)
				break;
			continue;
		}
		if (rc.ncalls >= RSP_MAXREQS) {
			pthread_cond_wait(&rc.cv, &rc.mtx);
			continue;
		}
		memset(&w, 0, sizeof(w));
		w.w_id = rc.nextid++;
		w.w_gen = rc.gen;
		w.w_type = rtype;
		w.w_reply = rbuf;
		w.w_replylen = rlen;
		w.w_next = rc.waits;
		rc.waits = &w;
		rc.ncalls++;
		pthread_mutex_unlock(&rc.mtx);

		error = rc_send_gen(w.w_gen, type, w.w_id, fixed, flen, data,
		    dlen);

		pthread_mutex_lock(&rc.mtx);
		if (error != 0 && error != ESTALE && w.w_gen == rc.gen)
			rc_kill(error);
		while (!w.w_done && !rc.dead && rc.gen == w.w_gen) {
			/* The reader may be this thread, below a handler. */
			nested = rc.reading && rc_tls_polling > 0;
			if (rc.reading && !nested) {
				pthread_cond_wait(&rc.cv, &rc.mtx);
				continue;
			}
			rc.reading = true;
			pthread_mutex_unlock(&rc.mtx);
			error = rc_readone(&mask, &sig);
			pthread_mutex_lock(&rc.mtx);
			if (!nested)
				rc.reading = false;
			if (error != 0 && error != EAGAIN)
				rc_kill(error);
			/* Wake the caller whose reply came, and a new reader. */
			pthread_cond_broadcast(&rc.cv);
			if (sig != 0) {
				pthread_mutex_unlock(&rc.mtx);
				raise(sig);	/* delivered when unblocked */
				pthread_mutex_lock(&rc.mtx);
			}
		}
		for (wp = &rc.waits; *wp != NULL; wp = &(*wp)->w_next) {
			if (*wp == &w) {
				*wp = w.w_next;
				break;
			}
		}
		rc.ncalls--;
		pthread_cond_broadcast(&rc.cv);
		if (w.w_done) {
			error = 0;
			break;
		}
		/* The connection broke before the reply came. */
	}
out:
	pthread_mutex_unlock(&rc.mtx);
	pthread_sigmask(SIG_SETMASK, &mask, NULL);
	return error;
}

void
rumpclient_seterrno(int error)
{

	errno = error;
}

void
rumpclient_setconnretry(time_t timeout)
{

	if (timeout < RUMPCLIENT_RETRYCONN_DIE)
		return;
	__atomic_store_n(&rc.retry, timeout, __ATOMIC_RELAXED);
}

int
rumpclient_syscall(int num, const void *data, size_t dlen, long *retval)
{
	struct rsp_syscall sc;
	struct rsp_syscall_reply rep;
	int error;

	if (dlen > RSP_MAXARGS || (dlen > 0 && data == NULL))
		return EINVAL;
	memset(&sc, 0, sizeof(sc));
	sc.sc_num = num;
	error = rc_request(RSP_SYSCALL, &sc, sizeof(sc), data, dlen,
	    RSP_SYSCALL_REPLY, &rep, sizeof(rep));
	if (error != 0)
		return error;
	if (retval != NULL) {
		retval[0] = (long)rep.sr_retval[0];
		retval[1] = (long)rep.sr_retval[1];
	}
	return rep.sr_error;
}

/* ------------------------------------------------------------------ */
/* Initialisation */

/*
 * Take over the connection that the image before exec left in descriptor
 * fdstr and make the EXEC handshake on it.
 */
static int
rc_initexec(const char *fdstr)
{
	char *end;
	long fd;
	int error;

	errno = 0;
	fd = strtol(fdstr, &end, 10);
	if (errno != 0 || end == fdstr || (*end != '\0' && *end != ',') ||
	    fd < 3 || fd > INT_MAX || rc_sys_fcntl((int)fd, F_GETFD, 0) < 0) {
		fprintf(stderr, "rumpclient: invalid %s \"%s\": expected the "
		    "descriptor of the inherited connection\n", RC_ENV_EXECFD,
		    fdstr);
		return EBADF;
	}
	(void)rc_sys_fcntl((int)fd, F_SETFD, FD_CLOEXEC);
	pthread_mutex_lock(&rc.sendmtx);
	error = rc_sendhello((int)fd, RSP_KIND_EXEC, NULL);
	pthread_mutex_unlock(&rc.sendmtx);
	if (error == 0)
		error = rc_readhello((int)fd, true);
	if (error != 0) {
		rc_sys_close((int)fd);
		fprintf(stderr, "rumpclient: exec handshake on inherited "
		    "descriptor %ld failed: %s\n", fd, strerror(error));
		return error;
	}
	rc_install_locked((int)fd);
	return 0;
}

int
rumpclient_init(void)
{
	const char *url, *execfd;
	int fd, error;

	pthread_mutex_lock(&rc.mtx);
	while (rc.reconnecting)
		pthread_cond_wait(&rc.cv, &rc.mtx);
	if (rc.fd >= 0 && rc.initpid == getpid() && !rc.dead) {
		pthread_mutex_unlock(&rc.mtx);
		return 0;
	}
	url = getenv(RC_ENV_PARSEDSERVER);
	if (url == NULL)
		url = getenv("RUMP_SERVER");
	if (url != NULL && (error = rc_seturl(url)) != 0) {
		pthread_mutex_unlock(&rc.mtx);
		fprintf(stderr, "rumpclient: invalid server address %s: %s\n",
		    url, strerror(error));
		errno = error;
		return -1;
	}

	if ((execfd = getenv(RC_ENV_EXECFD)) != NULL) {
		/* Started by rumpclient_exec: the connection is inherited. */
		char *copy = strdup(execfd);

		(void)unsetenv(RC_ENV_EXECFD);
		error = copy != NULL ? rc_initexec(copy) : ENOMEM;
		free(copy);
		pthread_mutex_unlock(&rc.mtx);
		if (error != 0) {
			errno = error;
			return -1;
		}
		return 0;
	}

	if (url == NULL) {
		pthread_mutex_unlock(&rc.mtx);
		fprintf(stderr, "rumpclient: RUMP_SERVER is not set\n");
		errno = ENOENT;
		return -1;
	}
	if ((fd = rc_open(rc.url, RSP_KIND_NEW, NULL, &error)) < 0) {
		pthread_mutex_unlock(&rc.mtx);
		if (error != ENOENT && error != ECONNREFUSED &&
		    error != EINVAL)
			fprintf(stderr, "rumpclient: handshake with %s failed: "
			    "%s\n", rc.url, strerror(error));
		errno = error;
		return -1;
	}
	rc_install_locked(fd);
	pthread_mutex_unlock(&rc.mtx);
	return 0;
}

/*
 * Reset the request state in the child of fork(2).  The child has only
 * the forking thread, so the locks that other threads held stay locked
 * and their requests are not the child's.  The child has no connection
 * (rc.initpid is the parent's) until rumpclient_fork_init or
 * rumpclient_init.
 */
static void
rc_atfork_child(void)
{

	pthread_mutex_init(&rc.mtx, NULL);
	pthread_mutex_init(&rc.readmtx, NULL);
	pthread_mutex_init(&rc.sendmtx, NULL);
	pthread_cond_init(&rc.cv, NULL);
	rc.reading = false;
	rc.reconnecting = false;
	rc.ncalls = 0;
	rc.waits = NULL;
}

__attribute__((constructor))
static void
rc_register_atfork(void)
{

	(void)pthread_atfork(NULL, NULL, rc_atfork_child);
}

/* ------------------------------------------------------------------ */
/* fork, exec, daemon */

struct rumpclient_fork *
rumpclient_prefork(void)
{
	struct rsp_prefork pf;
	struct rsp_prefork_reply pr;
	struct rumpclient_fork *rf;
	int error;

	memset(&pf, 0, sizeof(pf));
	pf.pf_op = RSP_PREFORK_CREATE;
	error = rc_request(RSP_PREFORK, &pf, sizeof(pf), NULL, 0,
	    RSP_PREFORK_REPLY, &pr, sizeof(pr));
	if (error == 0)
		error = pr.pr_error;
	if (error != 0) {
		errno = error;
		return NULL;
	}
	if ((rf = calloc(1, sizeof(*rf))) == NULL) {
		pf.pf_op = RSP_PREFORK_CANCEL;
		memcpy(pf.pf_cookie, pr.pr_cookie, RSP_COOKIELEN);
		(void)rc_request(RSP_PREFORK, &pf, sizeof(pf), NULL, 0,
		    RSP_PREFORK_REPLY, &pr, sizeof(pr));
		errno = ENOMEM;
		return NULL;
	}
	memcpy(rf->rf_cookie, pr.pr_cookie, RSP_COOKIELEN);
	return rf;
}

/*
 * Connect anew in the child of fork(2), claim the preforked process and
 * release the child's copy of rf.  Not for the child of vfork(2), which
 * shares the parent's memory and may only exec or exit.
 */
int
rumpclient_fork_init(struct rumpclient_fork *rf)
{
	int fd, error;

	fd = rc_open(rc.url, RSP_KIND_FORK, rf->rf_cookie, &error);
	free(rf);
	pthread_mutex_lock(&rc.mtx);
	if (fd < 0) {
		/* Either way the child stops using its parent's connection. */
		if (rc.fd >= 0) {
			rc_sys_close(rc.fd);
			__atomic_store_n(&rc.fd, -1, __ATOMIC_RELAXED);
		}
		rc.dead = true;
		pthread_mutex_unlock(&rc.mtx);
		errno = error;
		return -1;
	}
	rc_install_locked(fd);
	pthread_mutex_unlock(&rc.mtx);
	return 0;
}

/* Drop the preforked process after the host fork failed in the parent. */
void
rumpclient_fork_cancel(struct rumpclient_fork *rf)
{
	struct rsp_prefork pf;
	struct rsp_prefork_reply pr;

	memset(&pf, 0, sizeof(pf));
	pf.pf_op = RSP_PREFORK_CANCEL;
	memcpy(pf.pf_cookie, rf->rf_cookie, RSP_COOKIELEN);
	(void)rc_request(RSP_PREFORK, &pf, sizeof(pf), NULL, 0,
	    RSP_PREFORK_REPLY, &pr, sizeof(pr));
	free(rf);
}

/*
 * Release the parent's copy of rf after a successful host fork.  The
 * connection state needs no repair, because the child's
 * rumpclient_fork_init ran in memory of its own (see rumpclient_vfork in
 * <rump/rumpclient.h>).
 */
void
rumpclient_fork_vparent(struct rumpclient_fork *rf)
{

	free(rf);
}

pid_t
rumpclient_fork(void)
{
	struct rumpclient_fork *rf;
	pid_t pid;
	int error;

	if ((rf = rumpclient_prefork()) == NULL)
		return -1;
	switch ((pid = fork())) {
	case -1:
		error = errno;
		rumpclient_fork_cancel(rf);
		errno = error;
		return -1;
	case 0:
		if (rumpclient_fork_init(rf) != 0)
			fprintf(stderr, "rumpclient: the forked child has no "
			    "connection to %s: %s\n", rc.url, strerror(errno));
		return 0;
	default:
		rumpclient_fork_vparent(rf);
		return pid;
	}
}

int
rumpclient_daemon(int nochdir, int noclose)
{
	struct rumpclient_fork *rf;
	int fd, error;

	if ((rf = rumpclient_prefork()) == NULL)
		return -1;
	switch (fork()) {
	case -1:
		error = errno;
		rumpclient_fork_cancel(rf);
		errno = error;
		return -1;
	case 0:
		break;
	default:
		_exit(0);
	}

	/* The prefork outlives the parent's connection until we claim it. */
	if (rumpclient_fork_init(rf) != 0)
		return -1;
	if (setsid() == -1)
		return -1;
	if (!nochdir && syscall(SYS_chdir, "/") != 0)
		return -1;
	if (!noclose) {
		if ((fd = rc_sys_openat("/dev/null", O_RDWR)) < 0)
			return -1;
		(void)rc_sys_dup3(fd, 0, 0);
		(void)rc_sys_dup3(fd, 1, 0);
		(void)rc_sys_dup3(fd, 2, 0);
		if (fd > 2)
			rc_sys_close(fd);
	}
	return 0;
}

/* Return whether environment entry e sets the variable name. */
static bool
rc_isvar(const char *e, const char *name)
{
	size_t n = strlen(name);

	return strncmp(e, name, n) == 0 && e[n] == '=';
}

/*
 * Build the environment of the new image: envp without RUMPCLIENT__EXECFD,
 * plus RUMPCLIENT__EXECFD=fd when fd >= 0.  When fd >= 0 and RUMP_SERVER
 * was relative, RUMP__PARSEDSERVER with the absolute URL replaces any
 * older one.  The caller frees the array and *urlvarp.
 */
static char **
rc_execenv(char *const envp[], int fd, char *fdvar, size_t fdvarlen,
    char **urlvarp)
{
	char **env;
	size_t n = 0, i, j = 0;
	bool addurl = fd >= 0 && rc.relative;

	*urlvarp = NULL;
	while (envp != NULL && envp[n] != NULL)
		n++;
	if ((env = calloc(n + 3, sizeof(*env))) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (rc_isvar(envp[i], RC_ENV_EXECFD) ||
		    (addurl && rc_isvar(envp[i], RC_ENV_PARSEDSERVER)))
			continue;
		env[j++] = envp[i];
	}
	if (fd >= 0) {
		snprintf(fdvar, fdvarlen, "%s=%d", RC_ENV_EXECFD, fd);
		env[j++] = fdvar;
	}
	if (addurl) {
		if (asprintf(urlvarp, "%s=%s", RC_ENV_PARSEDSERVER,
		    rc.url) < 0) {
			free(env);
			*urlvarp = NULL;
			return NULL;
		}
		env[j++] = *urlvarp;
	}
	env[j] = NULL;
	return env;
}

/*
 * Replace the program, keeping the connection, and with it the kernel
 * process, for the new image.  The socket is left open across execve and
 * named in the environment; the new image's rumpclient_init makes the
 * EXEC handshake.  No message may be half sent or half read at the
 * execve, so both locks are held.  Without a live connection this is a
 * plain execve.  Returns only on failure, with the connection as before.
 */
int
rumpclient_exec(const char *path, char *const argv[], char *const envp[])
{
	char fdvar[64], *urlvar;
	char **env;
	sigset_t all, mask;
	bool live;
	int fd, flags, error;

	pthread_mutex_lock(&rc.mtx);
	live = rc.fd >= 0 && rc.initpid == getpid() && !rc.dead &&
	    !rc.reconnecting;
	pthread_mutex_unlock(&rc.mtx);

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &mask);
	if (live) {
		pthread_mutex_lock(&rc.readmtx);
		pthread_mutex_lock(&rc.sendmtx);
	}
	fd = live ? rc.fd : -1;
	env = rc_execenv(envp, fd, fdvar, sizeof(fdvar), &urlvar);
	if (env == NULL) {
		error = ENOMEM;
		goto out;
	}
	flags = fd >= 0 ? rc_sys_fcntl(fd, F_GETFD, 0) : -1;
	if (flags >= 0)
		(void)rc_sys_fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC);

	/*
	 * NOTE: a signal handler that calls into the kernel between the
	 * mask's restoring and execve waits for our locks forever.
	 */
	pthread_sigmask(SIG_SETMASK, &mask, NULL);
	(void)syscall(SYS_execve, path, argv, env);
	error = errno;
	pthread_sigmask(SIG_BLOCK, &all, NULL);

	if (flags >= 0)
		(void)rc_sys_fcntl(fd, F_SETFD, flags);
	free(urlvar);
	free(env);
out:
	if (live) {
		pthread_mutex_unlock(&rc.sendmtx);
		pthread_mutex_unlock(&rc.readmtx);
	}
	pthread_sigmask(SIG_SETMASK, &mask, NULL);
	errno = error;
	return -1;
}

/*
 * The application is about to close or dup2 over *fdp, or to close
 * every descriptor from *fdp up (FCLOSEM).  Keep the connection out of
 * its way: move the socket to another number, or close the descriptors
 * below it here and set *fdp past it for the caller to close the rest.
 */
int
rumpclient__closenotify(int *fdp, enum rumpclient_closevariant variant)
{
	int fd, nfd, i, error = 0;

	pthread_mutex_lock(&rc.readmtx);
	pthread_mutex_lock(&rc.sendmtx);
	fd = rc.fd;
	switch (variant) {
	case RUMPCLIENT_CLOSE_CLOSE:
	case RUMPCLIENT_CLOSE_DUP2:
		if (fd < 0 || *fdp != fd)
			break;
		if ((nfd = rc_sys_fcntl(fd, F_DUPFD_CLOEXEC, 3)) < 0)
			error = errno;
		else
			__atomic_store_n(&rc.fd, nfd, __ATOMIC_RELAXED);
		break;
	case RUMPCLIENT_CLOSE_FCLOSEM:
		if (fd < 0 || *fdp > fd)
			break;
		for (i = *fdp < 0 ? 0 : *fdp; i < fd; i++)
			(void)rc_sys_close(i);
		*fdp = fd + 1;
		break;
	default:
		error = EINVAL;
		break;
	}
	pthread_mutex_unlock(&rc.sendmtx);
	pthread_mutex_unlock(&rc.readmtx);
	if (error != 0) {
		errno = error;
		return -1;
	}
	return 0;
}
