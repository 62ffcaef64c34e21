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
 */

#include <sys/types.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rumpclient.h>

#include "../librumpuser/sp_proto.h"

struct rcwait {
	struct rcwait	*w_next;
	uint64_t	w_id;
	bool		w_done;
	struct rsp_syscall_reply w_reply;
};

static struct {
	pthread_mutex_t	mtx;		/* everything below but sendmtx */
	pthread_cond_t	cv;
	pthread_mutex_t	sendmtx;	/* one message at a time on fd */
	int		fd;
	pid_t		initpid;	/* host pid that connected */
	bool		dead;
	bool		reading;	/* a caller is reading the connection */
	int		ncalls;		/* calls outstanding, <= RSP_MAXREQS */
	uint64_t	nextid;
	struct rcwait	*waits;
	time_t		retry;
} rc = {
	.mtx = PTHREAD_MUTEX_INITIALIZER,
	.cv = PTHREAD_COND_INITIALIZER,
	.sendmtx = PTHREAD_MUTEX_INITIALIZER,
	.fd = -1,
	.nextid = 1,
};

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
	rc.retry = timeout;
}

static int
rc_readn(int fd, void *buf, size_t len)
{
	char *p = buf;
	ssize_t n;

	while (len > 0) {
		n = read(fd, p, len);
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

static int
rc_send(int type, uint64_t id, const void *fixed, size_t flen,
    const void *data, size_t dlen)
{

	return rsp_send(rc.fd, &rc.sendmtx, type, id, fixed, flen, data,
	    dlen);
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
rc_servecopyin(const struct rsp_hdr *h, size_t blen)
{
	struct rsp_copyreq cr;
	struct rsp_copyin_reply ci;
	size_t got, slen;
	char *buf;
	int error;

	if (blen != sizeof(cr))
		return EPROTO;
	if ((error = rc_readn(rc.fd, &cr, sizeof(cr))) != 0)
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
rc_servecopyout(size_t blen)
{
	struct rsp_copyout co;
	size_t dlen;
	char *buf;
	int error;

	if (blen < sizeof(co) || blen - sizeof(co) > RSP_MAXDATA)
		return EPROTO;
	if ((error = rc_readn(rc.fd, &co, sizeof(co))) != 0)
		return error;
	dlen = blen - sizeof(co);
	if ((buf = malloc(dlen ? dlen : 1)) == NULL)
		return ENOMEM;
	if ((error = rc_readn(rc.fd, buf, dlen)) == 0)
		/* COPYOUT has no reply, so a bad address is not reported. */
		(void)rc_memcopy((void *)(uintptr_t)co.co_addr, buf, dlen,
		    false);
	free(buf);
	return error;
}

static int
rc_servemmap(const struct rsp_hdr *h, size_t blen)
{
	struct rsp_copyreq cr;
	struct rsp_anonmmap_reply am;
	void *p;
	int error;

	if (blen != sizeof(cr))
		return EPROTO;
	if ((error = rc_readn(rc.fd, &cr, sizeof(cr))) != 0)
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

/*
 * Read and handle one message.  Called without rc.mtx by the one caller
 * that has the reading role.  Returns 0, or an errno value after which the
 * connection is given up.
 */
static int
rc_readone(void)
{
	struct rsp_hdr h;
	struct rsp_syscall_reply rep;
	struct rsp_raise ra;
	struct rcwait *w;
	size_t blen;
	int error;

	if ((error = rc_readn(rc.fd, &h, sizeof(h))) != 0)
		return error;
	if (h.rh_len < sizeof(h) || h.rh_len > RSP_MAXMSG ||
	    h.rh_reserved != 0)
		return EPROTO;
	blen = h.rh_len - sizeof(h);
	switch (h.rh_type) {
	case RSP_SYSCALL_REPLY:
		if (blen != sizeof(rep))
			return EPROTO;
		if ((error = rc_readn(rc.fd, &rep, sizeof(rep))) != 0)
			return error;
		pthread_mutex_lock(&rc.mtx);
		for (w = rc.waits; w != NULL; w = w->w_next)
			if (w->w_id == h.rh_id && !w->w_done)
				break;
		if (w != NULL) {
			w->w_reply = rep;
			w->w_done = true;
		}
		pthread_mutex_unlock(&rc.mtx);
		return w != NULL ? 0 : EPROTO;
	case RSP_COPYIN:
	case RSP_COPYINSTR:
		return rc_servecopyin(&h, blen);
	case RSP_COPYOUT:
		return rc_servecopyout(blen);
	case RSP_ANONMMAP:
		return rc_servemmap(&h, blen);
	case RSP_RAISE:
		if (blen != sizeof(ra))
			return EPROTO;
		if ((error = rc_readn(rc.fd, &ra, sizeof(ra))) != 0)
			return error;
		if (ra.ra_signo > 0 && ra.ra_signo < NSIG)
			raise(ra.ra_signo);
		return 0;
	default:
		return EPROTO;
	}
}

/* Give the connection up so that every waiting call fails. */
static void
rc_kill(int error)
{

	if (!rc.dead) {
		if (error != EPIPE && error != ECONNRESET)
			fprintf(stderr, "rumpclient: connection lost: %s\n",
			    strerror(error));
		rc.dead = true;
		shutdown(rc.fd, SHUT_RDWR);
		if (rc.retry == RUMPCLIENT_RETRYCONN_DIE)
			_exit(1);
	}
	pthread_cond_broadcast(&rc.cv);
}

int
rumpclient_syscall(int num, const void *data, size_t dlen, long *retval)
{
	struct rsp_syscall sc;
	struct rcwait w, **wp;
	int error;

	if (dlen > RSP_MAXARGS || (dlen > 0 && data == NULL))
		return EINVAL;
	memset(&w, 0, sizeof(w));
	pthread_mutex_lock(&rc.mtx);
	if (rc.fd < 0 || rc.initpid != getpid()) {
		pthread_mutex_unlock(&rc.mtx);
		return ENOTCONN;
	}
	while (rc.ncalls >= RSP_MAXREQS && !rc.dead)
		pthread_cond_wait(&rc.cv, &rc.mtx);
	if (rc.dead) {
		pthread_mutex_unlock(&rc.mtx);
		return ENOTCONN;
	}
	rc.ncalls++;
	w.w_id = rc.nextid++;
	w.w_next = rc.waits;
	rc.waits = &w;
	pthread_mutex_unlock(&rc.mtx);

	memset(&sc, 0, sizeof(sc));
	sc.sc_num = num;
	error = rc_send(RSP_SYSCALL, w.w_id, &sc, sizeof(sc), data, dlen);

	pthread_mutex_lock(&rc.mtx);
	if (error != 0)
		rc_kill(error);
	while (!w.w_done && !rc.dead) {
		if (rc.reading) {
			pthread_cond_wait(&rc.cv, &rc.mtx);
			continue;
		}
		rc.reading = true;
		pthread_mutex_unlock(&rc.mtx);
		error = rc_readone();
		pthread_mutex_lock(&rc.mtx);
		rc.reading = false;
		if (error != 0)
			rc_kill(error);
		/* Wake the caller whose reply came, and a new reader. */
		pthread_cond_broadcast(&rc.cv);
	}
	for (wp = &rc.waits; *wp != NULL; wp = &(*wp)->w_next) {
		if (*wp == &w) {
			*wp = w.w_next;
			break;
		}
	}
	rc.ncalls--;
	pthread_cond_broadcast(&rc.cv);
	pthread_mutex_unlock(&rc.mtx);
	if (!w.w_done)
		return ENOTCONN;
	if (retval != NULL) {
		retval[0] = (long)w.w_reply.sr_retval[0];
		retval[1] = (long)w.w_reply.sr_retval[1];
	}
	return w.w_reply.sr_error;
}

/* Connect to url and return the socket, or -1 with errno set. */
static int
rc_connect(const char *url)
{
	int fd, one = 1;

	if (strncmp(url, "unix://", 7) == 0) {
		struct sockaddr_un sun;

		memset(&sun, 0, sizeof(sun));
		sun.sun_family = AF_UNIX;
		if (url[7] == '\0' || strlen(url + 7) >= sizeof(sun.sun_path)) {
			errno = EINVAL;
			return -1;
		}
		strcpy(sun.sun_path, url + 7);
		if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
			return -1;
		if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0)
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
		if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
			return -1;
		if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0)
			goto fail;
		(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one,
		    sizeof(one));
	} else {
		errno = strncmp(url, "tcp6://", 7) == 0 ? EOPNOTSUPP : EINVAL;
		return -1;
	}
	/* Keep the connection off the standard descriptors. */
	if (fd <= 2) {
		int nfd = fcntl(fd, F_DUPFD_CLOEXEC, 3);

		if (nfd < 0)
			goto fail;
		close(fd);
		fd = nfd;
	}
	return fd;
fail:
	one = errno;
	close(fd);
	errno = one;
	return -1;
}

/* Read the banner, send a new-process handshake and read the reply. */
static int
rc_handshake(int fd)
{
	struct rsp_hdr h;
	struct rsp_handshake hs;
	struct rsp_handshake_reply hr;
	char banner[RSP_BANNERLEN + 1];
	size_t blen;
	FILE *f;
	int error;

	if ((error = rc_readn(fd, &h, sizeof(h))) != 0)
		return error;
	if (h.rh_type != RSP_BANNER || h.rh_len < sizeof(h) ||
	    (blen = h.rh_len - sizeof(h)) == 0 || blen > RSP_BANNERLEN)
		return EPROTO;
	if ((error = rc_readn(fd, banner, blen)) != 0)
		return error;
	banner[blen] = '\0';
	if (strncmp(banner, "RUMPSP-", 7) != 0 || banner[blen - 1] != '\n' ||
	    atoi(banner + 7) != RSP_VMAJOR)
		return EPROTONOSUPPORT;

	memset(&hs, 0, sizeof(hs));
	hs.hs_magic = RSP_MAGIC;
	hs.hs_vmajor = RSP_VMAJOR;
	hs.hs_vminor = RSP_VMINOR;
	hs.hs_kind = RSP_KIND_NEW;
	hs.hs_hostpid = (uint32_t)getpid();
	if ((f = fopen("/proc/self/comm", "re")) != NULL) {
		char comm[64];

		if (fgets(comm, sizeof(comm), f) != NULL) {
			comm[strcspn(comm, "\n")] = '\0';
			memcpy(hs.hs_comm, comm,
			    strnlen(comm, sizeof(hs.hs_comm)));
		}
		fclose(f);
	}
	error = rc_send(RSP_HANDSHAKE, 0, &hs, sizeof(hs), NULL, 0);
	if (error != 0)
		return error;
	if ((error = rc_readn(fd, &h, sizeof(h))) != 0)
		return error;
	if (h.rh_type != RSP_HANDSHAKE_REPLY ||
	    h.rh_len != sizeof(h) + sizeof(hr))
		return EPROTO;
	if ((error = rc_readn(fd, &hr, sizeof(hr))) != 0)
		return error;
	return hr.hr_error;
}

int
rumpclient_init(void)
{
	const char *url;
	int fd, error;

	pthread_mutex_lock(&rc.mtx);
	if (rc.fd >= 0 && rc.initpid == getpid() && !rc.dead) {
		pthread_mutex_unlock(&rc.mtx);
		return 0;
	}
	if ((url = getenv("RUMP__PARSEDSERVER")) == NULL &&
	    (url = getenv("RUMP_SERVER")) == NULL) {
		pthread_mutex_unlock(&rc.mtx);
		fprintf(stderr, "rumpclient: RUMP_SERVER is not set\n");
		errno = ENOENT;
		return -1;
	}
	if ((fd = rc_connect(url)) < 0) {
		error = errno;
		pthread_mutex_unlock(&rc.mtx);
		errno = error;
		return -1;
	}
	if (rc.fd >= 0)
		close(rc.fd);
	rc.fd = fd;
	rc.dead = false;
	rc.reading = false;
	rc.initpid = getpid();
	if ((error = rc_handshake(fd)) != 0) {
		close(fd);
		rc.fd = -1;
		pthread_mutex_unlock(&rc.mtx);
		fprintf(stderr, "rumpclient: handshake with %s failed: %s\n",
		    url, strerror(error));
		errno = error;
		return -1;
	}
	pthread_mutex_unlock(&rc.mtx);
	return 0;
}
