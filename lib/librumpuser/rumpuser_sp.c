/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Hypercalls of the remote system call server (rumpuser_sp_*).
 *
 * rumpuser_sp_init() listens on a unix:// or tcp:// URL.  An accept thread
 * gives every connection a reader thread; after the handshake the reader
 * forks a kernel process for the client and reads its messages.  Each
 * system call request runs on a thread of its own, on a new lwp of the
 * client's process, so that a call that sleeps in the kernel does not hold
 * up the client's other threads.  The kernel reaches the client's memory
 * through rumpuser_sp_copyin() and the other copy hypercalls.  They send a
 * request on the connection and, when the request has a reply, wait until
 * the reader thread passes the reply on.
 *
 * Every message is checked against doc/rump_sp.7.  A message that breaks
 * the protocol, or a client that goes away, ends that connection: the
 * reader waits for the client's calls to return and releases its process.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rumpdefs.h>
#include <rump/rumpuser.h>

#include "rumpuser_int.h"
#include "sp_proto.h"

/* Seconds a client may take to send its handshake or to read our data. */
#define SP_IOTIMEOUT	10

/* A server-to-client request that waits for the client's reply. */
struct spwait {
	struct spwait	*w_next;
	uint64_t	w_id;
	int		w_type;		/* RSP_COPYIN, _COPYINSTR, _ANONMMAP */
	void		*w_buf;		/* where copied-in data goes */
	size_t		w_len;		/* bytes, or the string limit */
	size_t		w_got;		/* bytes received */
	uint64_t	w_addr;		/* anonmmap: the client's address */
	int		w_error;
	bool		w_done;
};

struct spclient {
	int		c_fd;
	pthread_mutex_t	c_mtx;		/* everything below but c_sendmtx */
	pthread_cond_t	c_cv;
	pthread_mutex_t	c_sendmtx;	/* one message at a time on c_fd */
	bool		c_dead;		/* set by the reader only */
	int		c_ncalls;	/* system calls running */
	uint64_t	c_callids[RSP_MAXREQS];
	struct spwait	*c_waits;
	uint64_t	c_nextid;
	pid_t		c_pid;		/* kernel pid, 0 before the handshake */
	struct lwp	*c_mainlwp;
	unsigned	c_hostpid;
	char		c_comm[RSP_COMMLEN + 1];
};

/* A system call request handed to its thread. */
struct spcall {
	struct spclient	*sc_client;
	uint64_t	sc_id;
	int		sc_num;
	int		sc_slot;
	/* Padded with zeros, so a short block reads as zero arguments. */
	uint64_t	sc_args[RSP_MAXARGS / sizeof(uint64_t)];
};

static struct {
	int		fd;
	pthread_t	thread;
	bool		running;
	char		path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char		banner[RSP_BANNERLEN];
} sp_server = { .fd = -1 };

static void
sp_log(struct spclient *c, const char *fmt, const char *what, int error)
{
	char buf[256];

	snprintf(buf, sizeof(buf), fmt, what);
	fprintf(stderr, "rump_sp: client pid %d (host pid %u, %s): %s%s%s\n",
	    (int)c->c_pid, c->c_hostpid, c->c_comm[0] ? c->c_comm : "?",
	    buf, error ? ": " : "", error ? strerror(error) : "");
}

/* Read exactly len bytes; 0, or an errno value (EPIPE at end of file). */
static int
sp_readn(int fd, void *buf, size_t len)
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
			return errno == EAGAIN ? ETIMEDOUT : errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Send one message: the header, a fixed part and optional data.  A send
 * that fails or times out shuts the connection down, which the reader
 * notices.
 */
static int
sp_send(struct spclient *c, int type, uint64_t id, const void *fixed,
    size_t flen, const void *data, size_t dlen)
{

	return rsp_send(c->c_fd, &c->c_sendmtx, type, id, fixed, flen, data,
	    dlen);
}

/*
 * Send a server-to-client request and wait for its reply.  Called from the
 * kernel with a CPU, which is released while waiting.
 */
static int
sp_request(struct spclient *c, struct spwait *w, const void *fixed,
    size_t flen)
{
	struct spwait **wp;
	int nlocks, error;

	rumpuser__unschedule(&nlocks, NULL);
	pthread_mutex_lock(&c->c_mtx);
	if (c->c_dead) {
		pthread_mutex_unlock(&c->c_mtx);
		rumpuser__reschedule(nlocks, NULL);
		return EFAULT;
	}
	w->w_id = c->c_nextid++;
	w->w_next = c->c_waits;
	c->c_waits = w;
	pthread_mutex_unlock(&c->c_mtx);

	error = sp_send(c, w->w_type, w->w_id, fixed, flen, NULL, 0);

	pthread_mutex_lock(&c->c_mtx);
	while (!w->w_done && !c->c_dead)
		pthread_cond_wait(&c->c_cv, &c->c_mtx);
	if (!w->w_done)
		error = EFAULT;
	else if (error == 0)
		error = w->w_error;
	for (wp = &c->c_waits; *wp != NULL; wp = &(*wp)->w_next) {
		if (*wp == w) {
			*wp = w->w_next;
			break;
		}
	}
	pthread_mutex_unlock(&c->c_mtx);
	rumpuser__reschedule(nlocks, NULL);
	return error;
}

int
rumpuser_sp_copyin(void *arg, const void *raddr, void *laddr, size_t len)
{
	struct spclient *c = arg;
	struct rsp_copyreq req;
	struct spwait w;
	size_t chunk;
	int error;

	while (len > 0) {
		chunk = len < RSP_MAXDATA ? len : RSP_MAXDATA;
		memset(&w, 0, sizeof(w));
		w.w_type = RSP_COPYIN;
		w.w_buf = laddr;
		w.w_len = chunk;
		req.cr_addr = (uint64_t)(uintptr_t)raddr;
		req.cr_len = chunk;
		if ((error = sp_request(c, &w, &req, sizeof(req))) != 0)
			return EFAULT;
		raddr = (const char *)raddr + chunk;
		laddr = (char *)laddr + chunk;
		len -= chunk;
	}
	return 0;
}

int
rumpuser_sp_copyinstr(void *arg, const void *raddr, void *laddr,
    size_t *lenp)
{
	struct spclient *c = arg;
	struct rsp_copyreq req;
	struct spwait w;
	int error;

	if (*lenp == 0)
		return ENAMETOOLONG;
	memset(&w, 0, sizeof(w));
	w.w_type = RSP_COPYINSTR;
	w.w_buf = laddr;
	w.w_len = *lenp < RSP_MAXDATA ? *lenp : RSP_MAXDATA;
	req.cr_addr = (uint64_t)(uintptr_t)raddr;
	req.cr_len = w.w_len;
	error = sp_request(c, &w, &req, sizeof(req));
	if (error == 0)
		*lenp = w.w_got;
	return error;
}

/* Send data to the client without waiting for a reply. */
static int
sp_copyout(struct spclient *c, const void *laddr, void *raddr, size_t len)
{
	struct rsp_copyout co;
	size_t chunk;
	int nlocks, error = 0;

	rumpuser__unschedule(&nlocks, NULL);
	while (len > 0 && error == 0) {
		chunk = len < RSP_MAXDATA ? len : RSP_MAXDATA;
		co.co_addr = (uint64_t)(uintptr_t)raddr;
		if (__atomic_load_n(&c->c_dead, __ATOMIC_RELAXED))
			error = EFAULT;
		else if (sp_send(c, RSP_COPYOUT, 0, &co, sizeof(co), laddr,
		    chunk) != 0)
			error = EFAULT;
		raddr = (char *)raddr + chunk;
		laddr = (const char *)laddr + chunk;
		len -= chunk;
	}
	rumpuser__reschedule(nlocks, NULL);
	return error;
}

int
rumpuser_sp_copyout(void *arg, const void *laddr, void *raddr, size_t len)
{

	return sp_copyout(arg, laddr, raddr, len);
}

int
rumpuser_sp_copyoutstr(void *arg, const void *laddr, void *raddr,
    size_t *lenp)
{
	size_t n = strnlen(laddr, *lenp);
	int error;

	if (n == *lenp) {
		/* No NUL within the limit: copy what fits, then ENAMETOOLONG. */
		error = sp_copyout(arg, laddr, raddr, n);
		return error != 0 ? error : ENAMETOOLONG;
	}
	error = sp_copyout(arg, laddr, raddr, n + 1);
	if (error == 0)
		*lenp = n + 1;
	return error;
}

int
rumpuser_sp_anonmmap(void *arg, size_t howmuch, void **addr)
{
	struct spclient *c = arg;
	struct rsp_copyreq req;
	struct spwait w;
	int error;

	memset(&w, 0, sizeof(w));
	w.w_type = RSP_ANONMMAP;
	req.cr_addr = 0;
	req.cr_len = howmuch;
	error = sp_request(c, &w, &req, sizeof(req));
	if (error != 0)
		return error;
	if (w.w_addr == 0)
		return ENOMEM;
	*addr = (void *)(uintptr_t)w.w_addr;
	return 0;
}

int
rumpuser_sp_raise(void *arg, int signo)
{
	struct spclient *c = arg;
	struct rsp_raise ra;
	int nlocks, error;

	memset(&ra, 0, sizeof(ra));
	ra.ra_signo = signo;
	rumpuser__unschedule(&nlocks, NULL);
	error = sp_send(c, RSP_RAISE, 0, &ra, sizeof(ra), NULL, 0);
	rumpuser__reschedule(nlocks, NULL);
	return error != 0 ? EFAULT : 0;
}

/* Run one system call on a new lwp of the client's process. */
static void *
sp_callthread(void *arg)
{
	struct spcall *call = arg;
	struct spclient *c = call->sc_client;
	struct rsp_syscall_reply rep;
	long retval[2] = { 0, 0 };
	int error;

	rumpuser__hyp.hyp_schedule();
	error = rumpuser__hyp.hyp_lwproc_newlwp(c->c_pid);
	if (error == 0) {
		error = rumpuser__hyp.hyp_syscall(call->sc_num, call->sc_args,
		    retval);
		rumpuser__hyp.hyp_lwproc_release();
	}
	rumpuser__hyp.hyp_unschedule();

	memset(&rep, 0, sizeof(rep));
	rep.sr_error = error;
	rep.sr_retval[0] = retval[0];
	rep.sr_retval[1] = retval[1];
	if (!__atomic_load_n(&c->c_dead, __ATOMIC_RELAXED))
		(void)sp_send(c, RSP_SYSCALL_REPLY, call->sc_id, &rep,
		    sizeof(rep), NULL, 0);

	pthread_mutex_lock(&c->c_mtx);
	c->c_callids[call->sc_slot] = 0;
	c->c_ncalls--;
	pthread_cond_broadcast(&c->c_cv);
	pthread_mutex_unlock(&c->c_mtx);
	free(call);
	return NULL;
}

/*
 * Take a system call request whose header has been read.  The client's
 * request ids must be nonzero and unique among its outstanding calls.
 */
static int
sp_takecall(struct spclient *c, const struct rsp_hdr *h, size_t blen)
{
	struct rsp_syscall sc;
	struct spcall *call;
	pthread_attr_t attr;
	pthread_t t;
	int error, i, slot = -1;

	if (blen < sizeof(sc) || blen > sizeof(sc) + RSP_MAXARGS) {
		sp_log(c, "%s", "system call request of bad length", 0);
		return EINVAL;
	}
	if ((call = calloc(1, sizeof(*call))) == NULL)
		return ENOMEM;
	if ((error = sp_readn(c->c_fd, &sc, sizeof(sc))) != 0 ||
	    (error = sp_readn(c->c_fd, call->sc_args, blen - sizeof(sc)))
	    != 0) {
		free(call);
		return error;
	}
	if (sc.sc_reserved != 0 || h->rh_id == 0) {
		sp_log(c, "%s", "malformed system call request", 0);
		free(call);
		return EINVAL;
	}
	pthread_mutex_lock(&c->c_mtx);
	for (i = 0; i < RSP_MAXREQS; i++) {
		if (c->c_callids[i] == h->rh_id) {
			slot = -2;
			break;
		}
		if (c->c_callids[i] == 0 && slot == -1)
			slot = i;
	}
	if (slot >= 0) {
		c->c_callids[slot] = h->rh_id;
		c->c_ncalls++;
	}
	pthread_mutex_unlock(&c->c_mtx);
	if (slot < 0) {
		sp_log(c, "%s", slot == -1 ? "too many outstanding requests" :
		    "request id already in use", 0);
		free(call);
		return EINVAL;
	}
	call->sc_client = c;
	call->sc_id = h->rh_id;
	call->sc_num = sc.sc_num;
	call->sc_slot = slot;

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	error = pthread_create(&t, &attr, sp_callthread, call);
	pthread_attr_destroy(&attr);
	if (error != 0) {
		struct rsp_syscall_reply rep;

		memset(&rep, 0, sizeof(rep));
		rep.sr_error = EAGAIN;
		pthread_mutex_lock(&c->c_mtx);
		c->c_callids[slot] = 0;
		c->c_ncalls--;
		pthread_mutex_unlock(&c->c_mtx);
		free(call);
		return sp_send(c, RSP_SYSCALL_REPLY, h->rh_id, &rep,
		    sizeof(rep), NULL, 0);
	}
	return 0;
}

/* Find the pending request with this id and type, or return NULL. */
static struct spwait *
sp_findwait(struct spclient *c, uint64_t id, int type1, int type2)
{
	struct spwait *w;

	pthread_mutex_lock(&c->c_mtx);
	for (w = c->c_waits; w != NULL; w = w->w_next)
		if (w->w_id == id && !w->w_done &&
		    (w->w_type == type1 || w->w_type == type2))
			break;
	pthread_mutex_unlock(&c->c_mtx);
	return w;
}

static void
sp_finish(struct spclient *c, struct spwait *w, int error)
{

	pthread_mutex_lock(&c->c_mtx);
	w->w_error = error;
	w->w_done = true;
	pthread_cond_broadcast(&c->c_cv);
	pthread_mutex_unlock(&c->c_mtx);
}

/*
 * Read the reply to a copyin or copyinstr request into the kernel buffer.
 * The waiting thread keeps the buffer until the reader thread marks the
 * request done or the connection dead, so reading into it is safe.
 */
static int
sp_takecopyin(struct spclient *c, const struct rsp_hdr *h, size_t blen)
{
	struct rsp_copyin_reply ci;
	struct spwait *w;
	size_t dlen;
	int error;

	w = sp_findwait(c, h->rh_id, RSP_COPYIN, RSP_COPYINSTR);
	if (w == NULL || blen < sizeof(ci)) {
		sp_log(c, "%s", "unexpected copyin reply", 0);
		return EINVAL;
	}
	if ((error = sp_readn(c->c_fd, &ci, sizeof(ci))) != 0)
		return error;
	dlen = blen - sizeof(ci);
	if (ci.ci_reserved != 0 || (ci.ci_error != 0 && dlen != 0) ||
	    (ci.ci_error == 0 && (w->w_type == RSP_COPYIN ? dlen != w->w_len :
	    dlen == 0 || dlen > w->w_len))) {
		sp_log(c, "%s", "malformed copyin reply", 0);
		return EINVAL;
	}
	if (ci.ci_error != 0) {
		sp_finish(c, w, ci.ci_error == ENAMETOOLONG &&
		    w->w_type == RSP_COPYINSTR ? ENAMETOOLONG : EFAULT);
		return 0;
	}
	if ((error = sp_readn(c->c_fd, w->w_buf, dlen)) != 0)
		return error;
	w->w_got = dlen;
	if (w->w_type == RSP_COPYINSTR &&
	    memchr(w->w_buf, '\0', dlen) != (char *)w->w_buf + dlen - 1) {
		sp_log(c, "%s", "copyinstr reply is not one string", 0);
		sp_finish(c, w, EFAULT);
		return EINVAL;
	}
	sp_finish(c, w, 0);
	return 0;
}

static int
sp_takemmap(struct spclient *c, const struct rsp_hdr *h, size_t blen)
{
	struct rsp_anonmmap_reply am;
	struct spwait *w;
	int error;

	w = sp_findwait(c, h->rh_id, RSP_ANONMMAP, RSP_ANONMMAP);
	if (w == NULL || blen != sizeof(am)) {
		sp_log(c, "%s", "unexpected anonmmap reply", 0);
		return EINVAL;
	}
	if ((error = sp_readn(c->c_fd, &am, sizeof(am))) != 0)
		return error;
	if (am.am_reserved != 0) {
		sp_log(c, "%s", "malformed anonmmap reply", 0);
		return EINVAL;
	}
	w->w_addr = am.am_addr;
	sp_finish(c, w, am.am_error != 0 ? ENOMEM : 0);
	return 0;
}

/*
 * Send the banner, read the handshake and fork the client's kernel
 * process.  Only new processes are served so far: fork and exec handshakes
 * get EOPNOTSUPP.
 */
static int
sp_handshake(struct spclient *c)
{
	struct rsp_handshake hs;
	struct rsp_handshake_reply hr;
	struct rsp_hdr h;
	int error;

	error = sp_send(c, RSP_BANNER, 0, sp_server.banner,
	    strlen(sp_server.banner), NULL, 0);
	if (error != 0)
		return error;
	if ((error = sp_readn(c->c_fd, &h, sizeof(h))) != 0)
		return error;
	if (h.rh_type != RSP_HANDSHAKE || h.rh_reserved != 0 ||
	    h.rh_len != sizeof(h) + sizeof(hs)) {
		sp_log(c, "%s", "bad handshake header", 0);
		return EINVAL;
	}
	if ((error = sp_readn(c->c_fd, &hs, sizeof(hs))) != 0)
		return error;
	c->c_hostpid = hs.hs_hostpid;
	memcpy(c->c_comm, hs.hs_comm, RSP_COMMLEN);
	c->c_comm[RSP_COMMLEN] = '\0';
	for (char *p = c->c_comm; *p != '\0'; p++)
		if (*p < ' ' || *p > '~')
			*p = '?';

	memset(&hr, 0, sizeof(hr));
	if (hs.hs_magic != RSP_MAGIC || hs.hs_vmajor != RSP_VMAJOR) {
		sp_log(c, "%s", "bad magic or protocol version", 0);
		hr.hr_error = EPROTONOSUPPORT;
	} else if (hs.hs_kind == RSP_KIND_FORK || hs.hs_kind == RSP_KIND_EXEC) {
		sp_log(c, "%s", "fork and exec handshakes are not served", 0);
		hr.hr_error = EOPNOTSUPP;
	} else if (hs.hs_kind != RSP_KIND_NEW) {
		sp_log(c, "%s", "unknown client kind", 0);
		hr.hr_error = EINVAL;
	} else {
		rumpuser__hyp.hyp_schedule();
		hr.hr_error = rumpuser__hyp.hyp_lwproc_rfork(c, RUMP_RFCFDG,
		    c->c_comm[0] != '\0' ? c->c_comm : NULL);
		if (hr.hr_error == 0) {
			c->c_mainlwp = rumpuser__hyp.hyp_lwproc_curlwp();
			c->c_pid = rumpuser__hyp.hyp_getpid();
			rumpuser__hyp.hyp_lwproc_switch(NULL);
		}
		rumpuser__hyp.hyp_unschedule();
		if (hr.hr_error != 0)
			sp_log(c, "%s", "cannot create the process",
			    hr.hr_error);
	}
	hr.hr_pid = c->c_pid;
	error = sp_send(c, RSP_HANDSHAKE_REPLY, h.rh_id, &hr, sizeof(hr),
	    NULL, 0);
	return hr.hr_error != 0 ? hr.hr_error : error;
}

static void
sp_settimeout(int fd, int which, int secs)
{
	struct timeval tv = { .tv_sec = secs, .tv_usec = 0 };

	(void)setsockopt(fd, SOL_SOCKET, which, &tv, sizeof(tv));
}

/* Read the messages of one connection, then release and free the client. */
static void *
sp_clientthread(void *arg)
{
	struct spclient *c = arg;
	struct rsp_hdr h;
	size_t blen;
	int error;

	sp_settimeout(c->c_fd, SO_RCVTIMEO, SP_IOTIMEOUT);
	sp_settimeout(c->c_fd, SO_SNDTIMEO, SP_IOTIMEOUT);
	error = sp_handshake(c);
	sp_settimeout(c->c_fd, SO_RCVTIMEO, 0);
	while (error == 0) {
		if ((error = sp_readn(c->c_fd, &h, sizeof(h))) != 0)
			break;
		if (h.rh_len < sizeof(h) || h.rh_len > RSP_MAXMSG ||
		    h.rh_reserved != 0) {
			sp_log(c, "%s", "bad message header", 0);
			error = EINVAL;
			break;
		}
		blen = h.rh_len - sizeof(h);
		switch (h.rh_type) {
		case RSP_SYSCALL:
			error = sp_takecall(c, &h, blen);
			break;
		case RSP_COPYIN_REPLY:
			error = sp_takecopyin(c, &h, blen);
			break;
		case RSP_ANONMMAP_REPLY:
			error = sp_takemmap(c, &h, blen);
			break;
		default:
			sp_log(c, "%s", "unexpected message type", 0);
			error = EINVAL;
			break;
		}
	}
	/* Protocol errors and refused handshakes have been logged. */
	if (error != EPIPE && error != ECONNRESET && error != EINVAL &&
	    error != EOPNOTSUPP && error != EPROTONOSUPPORT)
		sp_log(c, "%s", "connection lost", error);

	/* Fail the kernel's pending requests and wait for the calls to return. */
	shutdown(c->c_fd, SHUT_RDWR);
	pthread_mutex_lock(&c->c_mtx);
	__atomic_store_n(&c->c_dead, true, __ATOMIC_RELAXED);
	pthread_cond_broadcast(&c->c_cv);
	while (c->c_ncalls > 0)
		pthread_cond_wait(&c->c_cv, &c->c_mtx);
	pthread_mutex_unlock(&c->c_mtx);

	if (c->c_mainlwp != NULL) {
		rumpuser__hyp.hyp_schedule();
		rumpuser__hyp.hyp_lwproc_switch(c->c_mainlwp);
		rumpuser__hyp.hyp_lwpexit();
		rumpuser__hyp.hyp_lwproc_release();
		rumpuser__hyp.hyp_unschedule();
	}
	close(c->c_fd);
	pthread_cond_destroy(&c->c_cv);
	pthread_mutex_destroy(&c->c_mtx);
	pthread_mutex_destroy(&c->c_sendmtx);
	free(c);
	return NULL;
}

static void *
sp_acceptthread(void *arg)
{
	struct spclient *c;
	pthread_attr_t attr;
	pthread_t t;
	int fd, one = 1;

	(void)arg;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	for (;;) {
		fd = accept4(sp_server.fd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM) {
				usleep(100 * 1000);
				continue;
			}
			break;		/* shut down by rumpuser_sp_fini() */
		}
		(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one,
		    sizeof(one));
		if ((c = calloc(1, sizeof(*c))) == NULL) {
			close(fd);
			continue;
		}
		c->c_fd = fd;
		c->c_nextid = 1;
		pthread_mutex_init(&c->c_mtx, NULL);
		pthread_mutex_init(&c->c_sendmtx, NULL);
		pthread_cond_init(&c->c_cv, NULL);
		if (pthread_create(&t, &attr, sp_clientthread, c) != 0) {
			close(fd);
			pthread_cond_destroy(&c->c_cv);
			pthread_mutex_destroy(&c->c_mtx);
			pthread_mutex_destroy(&c->c_sendmtx);
			free(c);
		}
	}
	pthread_attr_destroy(&attr);
	return NULL;
}

/*
 * Open the listening socket for url.  tcp:// without an address, or with
 * "localhost", listens on the loopback address; "*" or "0" on every
 * address.  A unix socket is made mode 0600 before it starts listening.
 */
static int
sp_listen(const char *url, int *fdp)
{
	int fd, error, one = 1;

	if (strncmp(url, "unix://", 7) == 0) {
		struct sockaddr_un sun;
		const char *path = url + 7;

		memset(&sun, 0, sizeof(sun));
		sun.sun_family = AF_UNIX;
		if (*path == '\0' || strlen(path) >= sizeof(sun.sun_path))
			return EINVAL;
		strcpy(sun.sun_path, path);
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return errno;
		if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0 ||
		    chmod(path, 0600) != 0 || listen(fd, 64) != 0) {
			error = errno;
			close(fd);
			return error;
		}
		if (path[0] == '/')
			strcpy(sp_server.path, path);
	} else if (strncmp(url, "tcp://", 6) == 0) {
		struct sockaddr_in sin;
		char host[64];
		const char *colon = strrchr(url + 6, ':');
		char *end;
		unsigned long port;
		size_t hlen;

		if (colon == NULL)
			return EINVAL;
		hlen = (size_t)(colon - (url + 6));
		if (hlen >= sizeof(host))
			return EINVAL;
		memcpy(host, url + 6, hlen);
		host[hlen] = '\0';
		errno = 0;
		port = strtoul(colon + 1, &end, 10);
		if (end == colon + 1 || (*end != '\0' && strcmp(end, "/") != 0)
		    || port > 65535 || errno != 0)
			return EINVAL;
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_port = htons((uint16_t)port);
		if (host[0] == '\0' || strcmp(host, "localhost") == 0)
			sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		else if (strcmp(host, "*") == 0 || strcmp(host, "0") == 0)
			sin.sin_addr.s_addr = htonl(INADDR_ANY);
		else if (inet_pton(AF_INET, host, &sin.sin_addr) != 1)
			return EINVAL;
		fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return errno;
		(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one,
		    sizeof(one));
		if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0 ||
		    listen(fd, 64) != 0) {
			error = errno;
			close(fd);
			return error;
		}
	} else if (strncmp(url, "tcp6://", 7) == 0) {
		return EOPNOTSUPP;
	} else
		return EINVAL;
	*fdp = fd;
	return 0;
}

int
rumpuser_sp_init(const char *url, const char *ostype, const char *osrelease,
    const char *machine)
{
	int error, fd = -1;

	if (url == NULL)
		return EINVAL;
	if (sp_server.running)
		return EBUSY;
	snprintf(sp_server.banner, sizeof(sp_server.banner),
	    "RUMPSP-%d.%d-%s-%s/%s\n", RSP_VMAJOR, RSP_VMINOR,
	    ostype ? ostype : "?", osrelease ? osrelease : "?",
	    machine ? machine : "?");
	sp_server.path[0] = '\0';
	if ((error = sp_listen(url, &fd)) != 0)
		return error;
	sp_server.fd = fd;
	error = pthread_create(&sp_server.thread, NULL, sp_acceptthread, NULL);
	if (error != 0) {
		close(fd);
		if (sp_server.path[0] != '\0')
			unlink(sp_server.path);
		sp_server.fd = -1;
		return error;
	}
	sp_server.running = true;
	return 0;
}

void
rumpuser_sp_fini(void *arg)
{

	(void)arg;
	if (!sp_server.running)
		return;
	shutdown(sp_server.fd, SHUT_RDWR);
	pthread_join(sp_server.thread, NULL);
	close(sp_server.fd);
	sp_server.fd = -1;
	if (sp_server.path[0] != '\0')
		unlink(sp_server.path);
	sp_server.running = false;
}
