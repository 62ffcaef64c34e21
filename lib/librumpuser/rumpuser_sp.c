/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Hypercalls of the remote system call server (rumpuser_sp_*).
 *
 * rumpuser_sp_init() listens on a unix:// or tcp:// URL.  An accept thread
 * gives every connection a reader thread; after the handshake the reader
 * forks a kernel process for the client and reads its messages.  Each
 * system call request runs on a worker thread of its own (the worker pool
 * below), on a new lwp of the client's process, so that a call that sleeps
 * in the kernel does not delay the client's other threads.  The kernel
 * reaches the client's memory through rumpuser_sp_copyin() and the other
 * copy hypercalls.  They send a request on the connection and, when the
 * request has a reply, wait until the reader thread passes the reply on.
 *
 * Every message is checked against doc/rump_sp.7.  A message that breaks
 * the protocol, or a client that goes away, ends that connection: the
 * reader makes the process's sleeping calls return with EINTR
 * (hyp_lwpexit), waits for the client's calls to return and releases its
 * process.
 *
 * fork: a PREFORK request copies the client's process (descriptor table
 * and working directory) into a new process, recorded under a random
 * cookie.  The record also contains the spclient that will serve the
 * copy, made with it because the kernel keeps that pointer as the
 * process's memory handle.  The forked child connects anew and presents
 * the cookie in its handshake; its reader then adopts the recorded
 * spclient.  The reaper thread releases records that no child claims
 * within sp_forktimeout seconds.  They do not depend on the parent's
 * connection, which may close first (daemon).
 *
 * exec: the new image sends a handshake of kind EXEC on the connection it
 * inherited.  The reader fails the old image's pending copy requests,
 * interrupts its calls, waits until they have returned, and then closes
 * the close-on-exec descriptors and renames the process (hyp_execnotify).
 */

#include <sys/types.h>
#include <sys/random.h>
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
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sched.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rump/rumpdefs.h>
#include <rump/rump_syscalls.h>
#include <rump/rumpuser.h>

#include "rumpuser_int.h"
#include "sp_proto.h"

/* Seconds a client may take to send its handshake or to read our data. */
#define SP_IOTIMEOUT	10

/*
 * Outstanding preforks: at most this many per parent process and in all,
 * each released when unclaimed after SP_FORKTIMEOUT seconds (the
 * environment variable RUMP_SP_FORKTIMEOUT overrides that, for tests).
 */
#define SP_MAXFORKS_CLIENT	32
#define SP_MAXFORKS		256
#define SP_FORKTIMEOUT		30

/* Log lines per second before the rest of that second is suppressed. */
#define SP_LOGRATE	20

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
	bool		c_execing;	/* the reader serves an EXEC */
	int		c_ncalls;	/* system calls running */
	uint64_t	c_callids[RSP_MAXREQS];
	struct spwait	*c_waits;
	uint64_t	c_nextid;
	pid_t		c_pid;		/* kernel pid, 0 before the handshake */
	struct lwp	*c_mainlwp;
	unsigned	c_hostpid;
	char		c_comm[RSP_COMMLEN + 1];
};

/* A system call request handed to a worker thread. */
struct spcall {
	struct spclient	*sc_client;
	uint64_t	sc_id;
	/*
	 * The request as read from the wire: the fixed part and then the
	 * argument block, padded with zeros so that a short block reads as
	 * zero arguments.
	 */
	struct rsp_syscall sc_req;
	uint64_t	sc_args[RSP_MAXARGS / sizeof(uint64_t)];
	int		sc_slot;	/* index in c_callids */
};
_Static_assert(offsetof(struct spcall, sc_args) ==
    offsetof(struct spcall, sc_req) + sizeof(struct rsp_syscall),
    "the argument block must follow the request without a gap");

static struct {
	int		fd;
	pthread_t	thread;
	bool		running;
	char		path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char		banner[RSP_BANNERLEN];
	bool		verbose;	/* RUMP_VERBOSE: log connections */
	int		forktimeout;	/* seconds an unclaimed prefork lives */
} sp_server = { .fd = -1 };

/*
 * A preforked process waiting for its child's connection.  f_child is
 * the spclient that will serve it: allocated with the process, dead (so
 * that copy requests fail) until a FORK handshake adopts it.
 */
struct spfork {
	struct spfork	*f_next;
	uint8_t		f_cookie[RSP_COOKIELEN];
	struct spclient	*f_child;
	pid_t		f_parent;	/* kernel pid of the parent */
	int64_t		f_expires;	/* CLOCK_MONOTONIC milliseconds */
};

static struct {
	pthread_mutex_t	mtx;		/* everything below */
	pthread_cond_t	cv;		/* wakes the reaper */
	struct spfork	*list;
	int		count;		/* records, and creations under way */
	bool		reaper;		/* the reaper thread was started */
} sp_forks = {
	.mtx = PTHREAD_MUTEX_INITIALIZER,
	.cv = PTHREAD_COND_INITIALIZER,
};

/*
 * The worker pool.  System calls run on worker threads that all clients
 * share, one call per worker at a time.  So a call that sleeps in the
 * kernel delays neither the client's other calls nor the reader, which
 * must stay free to pass on copyin and anonmmap replies.  The reader
 * hands each call to an idle worker and starts a new worker only when
 * none is idle.  A worker that has finished its call becomes idle again,
 * or ends when SP_MAXIDLE workers are asleep already.  So the server runs
 * at most RSP_MAXREQS busy workers per client plus SP_MAXIDLE idle ones.
 *
 * Waking a sleeping thread costs the host a scheduler wake-up, which is
 * most of the time of a short remote call.  So on a host with more than
 * one CPU the worker that became idle last spins for up to SP_SPINNS
 * nanoseconds before it sleeps: a client that makes its calls one after
 * another finds it still spinning.  At most one worker spins at a time,
 * and it yields the CPU on each turn, so that it does not keep the reader
 * or the client from running when the host's CPUs are all busy.  The
 * spin must outlast a round trip to the client, which is two host
 * wake-ups.  On the 2-CPU virtual machine where this was measured
 * (bench/bench_remote), a 10 us spin left a remote getpid as slow as no
 * spin (about 45 us), and a 50 us spin made it about 17 us.
 */
#define SP_MAXIDLE	16
#define SP_SPINNS	50000

struct spworker {
	struct spworker	*wk_next;	/* on sp_pool.sleeping */
	pthread_cond_t	wk_cv;		/* signalled when wk_call is set */
	/*
	 * The call to run, NULL while idle.  Set under sp_pool.mtx; the
	 * spinning worker reads it without the mutex.
	 */
	struct spcall	*wk_call;
};

static struct {
	pthread_mutex_t	mtx;		/* everything below */
	struct spworker	*spinner;	/* the idle worker that spins */
	struct spworker	*sleeping;	/* idle workers waiting on wk_cv */
	int		nsleeping;
	bool		spin;		/* fixed at first use: spinning pays */
} sp_pool = { .mtx = PTHREAD_MUTEX_INITIALIZER };

static pthread_once_t sp_pool_once = PTHREAD_ONCE_INIT;

static void
sp_pool_init(void)
{

	sp_pool.spin = sysconf(_SC_NPROCESSORS_ONLN) > 1;
}

/*
 * Log a line about client c.  A peer can cause these, so at most
 * SP_LOGRATE lines are written per second; the number suppressed is
 * reported with the next line written.
 */
static void
sp_log(struct spclient *c, const char *fmt, const char *what, int error)
{
	static pthread_mutex_t logmtx = PTHREAD_MUTEX_INITIALIZER;
	static time_t second;
	static unsigned lines, suppressed;
	struct timespec now;
	unsigned dropped = 0;
	char buf[256];

	clock_gettime(CLOCK_MONOTONIC, &now);
	pthread_mutex_lock(&logmtx);
	if (now.tv_sec != second) {
		second = now.tv_sec;
		lines = 0;
	}
	if (lines >= SP_LOGRATE) {
		suppressed++;
		pthread_mutex_unlock(&logmtx);
		return;
	}
	lines++;
	dropped = suppressed;
	suppressed = 0;
	pthread_mutex_unlock(&logmtx);

	if (dropped != 0)
		fprintf(stderr, "rump_sp: %u log lines suppressed\n", dropped);
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
 * Wait up to SP_SPINNS ns for the reply to w without sleeping, yielding
 * the CPU on each turn, on a host with more than one CPU.  A copyin reply
 * takes a round trip to the client, and a thread that sleeps on c_cv
 * costs the host one more wake-up when the reply comes.  Measured with
 * bench/bench_remote before the read-ahead below existed, this spin took
 * 64 KiB pwrites (16 copyins each) from 65 to 163 MiB/s.  The caller
 * takes c_mtx afterwards, which orders the reader's stores before its
 * reads of w.
 */
static void
sp_request_spin(struct spclient *c, struct spwait *w)
{
	struct timespec t0, t;

	pthread_once(&sp_pool_once, sp_pool_init);
	if (!sp_pool.spin)
		return;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		if (__atomic_load_n(&w->w_done, __ATOMIC_ACQUIRE) ||
		    __atomic_load_n(&c->c_dead, __ATOMIC_RELAXED) ||
		    __atomic_load_n(&c->c_execing, __ATOMIC_RELAXED))
			return;
		sched_yield();
		clock_gettime(CLOCK_MONOTONIC, &t);
		if ((t.tv_sec - t0.tv_sec) * 1000000000L +
		    (t.tv_nsec - t0.tv_nsec) >= SP_SPINNS)
			return;
	}
}

/*
 * Send a server-to-client request and wait for its reply.  Called from the
 * kernel with a CPU, which is released while waiting.  Fails with EFAULT
 * once the connection is dead or the client has replaced its image, whose
 * memory the request was meant for.
 */
static int
sp_request(struct spclient *c, struct spwait *w, const void *fixed,
    size_t flen)
{
	struct spwait **wp;
	int nlocks, error;

	rumpuser__unschedule(&nlocks, NULL);
	pthread_mutex_lock(&c->c_mtx);
	if (c->c_dead || c->c_execing) {
		pthread_mutex_unlock(&c->c_mtx);
		rumpuser__reschedule(nlocks, NULL);
		return EFAULT;
	}
	w->w_id = c->c_nextid++;
	w->w_next = c->c_waits;
	c->c_waits = w;
	pthread_mutex_unlock(&c->c_mtx);

	error = sp_send(c, w->w_type, w->w_id, fixed, flen, NULL, 0);
	if (error == 0)
		sp_request_spin(c, w);

	pthread_mutex_lock(&c->c_mtx);
	while (!w->w_done && !c->c_dead && !c->c_execing)
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

/* Copy len bytes in from the client's addr, in requests of RSP_MAXDATA. */
static int
sp_copyin_exact(struct spclient *c, uint64_t addr, void *laddr, size_t len)
{
	struct rsp_copyreq req;
	struct spwait w;
	size_t chunk;

	while (len > 0) {
		chunk = len < RSP_MAXDATA ? len : RSP_MAXDATA;
		memset(&w, 0, sizeof(w));
		w.w_type = RSP_COPYIN;
		w.w_buf = laddr;
		w.w_len = chunk;
		req.cr_addr = addr;
		req.cr_len = chunk;
		if (sp_request(c, &w, &req, sizeof(req)) != 0)
			return EFAULT;
		addr += chunk;
		laddr = (char *)laddr + chunk;
		len -= chunk;
	}
	return 0;
}

/*
 * Read-ahead of the data that a write copies in.
 *
 * The kernel copies a write's data in piece by piece (rumpfs and the
 * buffer cache take a page at a time), and each copyin is a round trip
 * to the client.  So while a worker runs write, pwrite, writev or
 * pwritev, it notes the ranges of client memory that the call reads
 * whole: the buffer of write and pwrite, and the buffers of the first
 * SP_AHEADRANGES iovecs of writev and pwritev once the kernel has copied
 * the iovec array in.  The first copyin into such a range fetches the
 * range from that address on, up to RSP_MAXDATA bytes, in one request,
 * and the copyins that follow inside that window are served from it.  A
 * copyin beyond the window fetches the next one.  The protocol does not
 * change: the server only requests more bytes at a time.
 *
 * A fetch that fails, because part of the range is not mapped, is
 * followed by the exact copyin that the kernel asked for, and the range
 * is dropped.  So the kernel receives EFAULT at the same place as in a local
 * call, and a write returns the bytes before the bad page as before.
 *
 * The state belongs to the worker thread and is cleared when the call
 * returns, so the memory it takes is at most one window of RSP_MAXDATA
 * bytes per running call.  Data is read from the client earlier than
 * the kernel copies it, but within the same call.  Only a program that
 * changes its buffer while its own write runs could tell the difference,
 * and a local call gives it no guarantee either.  When a write stops
 * early (a full pipe, ENOSPC), the rest of the window was fetched for
 * nothing, which costs time but changes no result.
 *
 * The argument block has one 64-bit slot per argument, in the order of
 * sys/kern/syscalls.master: write(fd, buf, count), pwrite(fd, buf, count,
 * offset), writev(fd, iov, iovcnt), pwritev(fd, iov, iovcnt, offset).
 */
#define SP_AHEADRANGES	8

struct spahead {
	struct spclient	*ra_client;	/* NULL outside a write call */
	int		ra_nranges;
	uint64_t	ra_lo[SP_AHEADRANGES];	/* the ranges, [lo, hi) */
	uint64_t	ra_hi[SP_AHEADRANGES];
	uint64_t	ra_iov;		/* writev: the iovec array, until read */
	uint64_t	ra_iovcnt;
	char		*ra_buf;	/* the window: ra_len bytes ... */
	uint64_t	ra_addr;	/* ... of the client's memory from here */
	size_t		ra_len;
	size_t		ra_cap;		/* bytes allocated at ra_buf */
};

static __thread struct spahead sp_ahead;

/* Add the range of len bytes at addr, unless it is empty or wraps. */
static void
sp_ahead_add(struct spahead *ra, uint64_t addr, uint64_t len)
{

	if (len == 0 || addr + len < addr || ra->ra_nranges >= SP_AHEADRANGES)
		return;
	ra->ra_lo[ra->ra_nranges] = addr;
	ra->ra_hi[ra->ra_nranges] = addr + len;
	ra->ra_nranges++;
}

/* Note the ranges of a call that is about to run on this thread. */
static void
sp_ahead_begin(struct spclient *c, const struct spcall *call)
{
	struct spahead *ra = &sp_ahead;

	switch (call->sc_req.sc_num) {
	case RUMP_SYS_write:
	case RUMP_SYS_pwrite:
		sp_ahead_add(ra, call->sc_args[1], call->sc_args[2]);
		break;
	case RUMP_SYS_writev:
	case RUMP_SYS_pwritev:
		/* The kernel rejects more than UIO_MAXIOV (1024) iovecs. */
		if (call->sc_args[2] == 0 || call->sc_args[2] > 1024)
			return;
		ra->ra_iov = call->sc_args[1];
		ra->ra_iovcnt = call->sc_args[2];
		break;
	default:
		return;
	}
	ra->ra_client = c;
}

/* Forget the call's ranges and free its window. */
static void
sp_ahead_end(void)
{
	struct spahead *ra = &sp_ahead;

	free(ra->ra_buf);
	memset(ra, 0, sizeof(*ra));
}

/*
 * The kernel has copied in the iovec array of a writev: note the buffers
 * of its first iovecs.
 */
static void
sp_ahead_iovecs(struct spahead *ra, const void *laddr)
{
	struct iovec iov;
	uint64_t i;

	for (i = 0; i < ra->ra_iovcnt && i < SP_AHEADRANGES; i++) {
		memcpy(&iov, (const char *)laddr + i * sizeof(iov),
		    sizeof(iov));
		sp_ahead_add(ra, (uint64_t)(uintptr_t)iov.iov_base,
		    iov.iov_len);
	}
	ra->ra_iov = 0;
}

/*
 * Fetch a window for a copyin of len bytes at addr, which lies in a noted
 * range, and copy the data to laddr.  Returns 0 on success.  Otherwise the
 * caller makes the exact copyin: after ENOENT (no range gives more than
 * the copyin itself), ENOMEM, or EFAULT (the fetch failed, and its range
 * was dropped).
 */
static int
sp_ahead_fetch(struct spclient *c, struct spahead *ra, uint64_t addr,
    void *laddr, size_t len)
{
	uint64_t want = 0;
	int i;

	for (i = 0; i < ra->ra_nranges; i++) {
		if (addr >= ra->ra_lo[i] && addr < ra->ra_hi[i]) {
			want = ra->ra_hi[i] - addr;
			break;
		}
	}
	if (want > RSP_MAXDATA)
		want = RSP_MAXDATA;
	if (want <= len)
		return ENOENT;
	if (ra->ra_cap < want) {
		free(ra->ra_buf);
		ra->ra_len = ra->ra_cap = 0;
		if ((ra->ra_buf = malloc(want)) == NULL)
			return ENOMEM;
		ra->ra_cap = want;
	}
	ra->ra_len = 0;
	if (sp_copyin_exact(c, addr, ra->ra_buf, want) != 0) {
		ra->ra_nranges--;
		ra->ra_lo[i] = ra->ra_lo[ra->ra_nranges];
		ra->ra_hi[i] = ra->ra_hi[ra->ra_nranges];
		return EFAULT;
	}
	ra->ra_addr = addr;
	ra->ra_len = want;
	memcpy(laddr, ra->ra_buf, len);
	return 0;
}

int
rumpuser_sp_copyin(void *arg, const void *raddr, void *laddr, size_t len)
{
	struct spclient *c = arg;
	struct spahead *ra = &sp_ahead;
	/* An integer: the client's address may be NULL or near it. */
	uint64_t addr = (uint64_t)(uintptr_t)raddr;
	int error;

	if (ra->ra_client != c || len == 0)
		return sp_copyin_exact(c, addr, laddr, len);
	if (ra->ra_len > 0 && addr >= ra->ra_addr && len <= ra->ra_len &&
	    addr - ra->ra_addr <= ra->ra_len - len) {
		memcpy(laddr, ra->ra_buf + (addr - ra->ra_addr), len);
		return 0;
	}
	if (sp_ahead_fetch(c, ra, addr, laddr, len) == 0)
		return 0;
	error = sp_copyin_exact(c, addr, laddr, len);
	if (error == 0 && ra->ra_iov != 0 && addr == ra->ra_iov &&
	    len == ra->ra_iovcnt * sizeof(struct iovec))
		sp_ahead_iovecs(ra, laddr);
	return error;
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
	/* An integer: the client's address may be NULL or near it. */
	uint64_t addr = (uint64_t)(uintptr_t)raddr;
	size_t chunk;
	int nlocks, error = 0;

	rumpuser__unschedule(&nlocks, NULL);
	while (len > 0 && error == 0) {
		chunk = len < RSP_MAXDATA ? len : RSP_MAXDATA;
		co.co_addr = addr;
		if (__atomic_load_n(&c->c_dead, __ATOMIC_RELAXED) ||
		    __atomic_load_n(&c->c_execing, __ATOMIC_RELAXED))
			error = EFAULT;
		else if (sp_send(c, RSP_COPYOUT, 0, &co, sizeof(co), laddr,
		    chunk) != 0)
			error = EFAULT;
		addr += chunk;
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
	/* A preforked process has no connection until its child claims it. */
	if (__atomic_load_n(&c->c_dead, __ATOMIC_RELAXED))
		return EFAULT;
	rumpuser__unschedule(&nlocks, NULL);
	error = sp_send(c, RSP_RAISE, 0, &ra, sizeof(ra), NULL, 0);
	rumpuser__reschedule(nlocks, NULL);
	return error != 0 ? EFAULT : 0;
}

/* Run one system call on a new lwp of the client's process and reply. */
static void
sp_runcall(struct spcall *call)
{
	struct spclient *c = call->sc_client;
	struct rsp_syscall_reply rep;
	long retval[2] = { 0, 0 };
	int error;

	sp_ahead_begin(c, call);
	rumpuser__hyp.hyp_schedule();
	error = rumpuser__hyp.hyp_lwproc_newlwp(c->c_pid);
	if (error == 0) {
		error = rumpuser__hyp.hyp_syscall(call->sc_req.sc_num,
		    call->sc_args, retval);
		rumpuser__hyp.hyp_lwproc_release();
	}
	rumpuser__hyp.hyp_unschedule();
	sp_ahead_end();

	memset(&rep, 0, sizeof(rep));
	rep.sr_error = error;
	rep.sr_retval[0] = retval[0];
	rep.sr_retval[1] = retval[1];
	if (!__atomic_load_n(&c->c_dead, __ATOMIC_RELAXED))
		(void)sp_send(c, RSP_SYSCALL_REPLY, call->sc_id, &rep,
		    sizeof(rep), NULL, 0);

	/* The reader may free c as soon as c_ncalls drops to 0. */
	pthread_mutex_lock(&c->c_mtx);
	c->c_callids[call->sc_slot] = 0;
	c->c_ncalls--;
	pthread_cond_broadcast(&c->c_cv);
	pthread_mutex_unlock(&c->c_mtx);
	free(call);
}

/* Spin up to SP_SPINNS ns for a call; returns it, or NULL on timeout. */
static struct spcall *
sp_worker_spin(struct spworker *wk)
{
	struct timespec t0, t;
	struct spcall *call;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		call = __atomic_load_n(&wk->wk_call, __ATOMIC_ACQUIRE);
		if (call != NULL)
			return call;
		sched_yield();
		clock_gettime(CLOCK_MONOTONIC, &t);
		if ((t.tv_sec - t0.tv_sec) * 1000000000L +
		    (t.tv_nsec - t0.tv_nsec) >= SP_SPINNS)
			return NULL;
	}
}

/*
 * Make wk idle until the reader hands it the next call.  Returns that
 * call, or NULL when the worker is to end because enough are idle.
 */
static struct spcall *
sp_worker_wait(struct spworker *wk)
{
	struct spcall *call;

	pthread_mutex_lock(&sp_pool.mtx);
	wk->wk_call = NULL;
	if (sp_pool.spin && sp_pool.spinner == NULL) {
		sp_pool.spinner = wk;
		pthread_mutex_unlock(&sp_pool.mtx);
		if ((call = sp_worker_spin(wk)) != NULL)
			return call;

		/* The reader may have taken wk since the last look. */
		pthread_mutex_lock(&sp_pool.mtx);
		if ((call = wk->wk_call) != NULL) {
			pthread_mutex_unlock(&sp_pool.mtx);
			return call;
		}
		sp_pool.spinner = NULL;
	}
	if (sp_pool.nsleeping >= SP_MAXIDLE) {
		pthread_mutex_unlock(&sp_pool.mtx);
		return NULL;
	}
	wk->wk_next = sp_pool.sleeping;
	sp_pool.sleeping = wk;
	sp_pool.nsleeping++;
	while ((call = wk->wk_call) == NULL)
		pthread_cond_wait(&wk->wk_cv, &sp_pool.mtx);
	pthread_mutex_unlock(&sp_pool.mtx);
	return call;
}

static void *
sp_workerthread(void *arg)
{
	struct spworker *wk = arg;
	struct spcall *call = wk->wk_call;

	while (call != NULL) {
		sp_runcall(call);
		call = sp_worker_wait(wk);
	}
	pthread_cond_destroy(&wk->wk_cv);
	free(wk);
	return NULL;
}

/*
 * Hand call to an idle worker: the spinning one, else the one that went
 * to sleep last, else a new one.  Returns 0, or an errno value when no
 * worker can be started.
 */
static int
sp_dispatch(struct spcall *call)
{
	struct spworker *wk;
	pthread_attr_t attr;
	pthread_t t;
	int error;

	pthread_once(&sp_pool_once, sp_pool_init);
	pthread_mutex_lock(&sp_pool.mtx);
	if ((wk = sp_pool.spinner) != NULL) {
		sp_pool.spinner = NULL;
		__atomic_store_n(&wk->wk_call, call, __ATOMIC_RELEASE);
		pthread_mutex_unlock(&sp_pool.mtx);
		return 0;
	}
	if ((wk = sp_pool.sleeping) != NULL) {
		sp_pool.sleeping = wk->wk_next;
		sp_pool.nsleeping--;
		wk->wk_call = call;
		pthread_cond_signal(&wk->wk_cv);
		pthread_mutex_unlock(&sp_pool.mtx);
		return 0;
	}
	pthread_mutex_unlock(&sp_pool.mtx);

	if ((wk = calloc(1, sizeof(*wk))) == NULL)
		return ENOMEM;
	pthread_cond_init(&wk->wk_cv, NULL);
	wk->wk_call = call;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	error = pthread_create(&t, &attr, sp_workerthread, wk);
	pthread_attr_destroy(&attr);
	if (error != 0) {
		pthread_cond_destroy(&wk->wk_cv);
		free(wk);
	}
	return error;
}

/*
 * Take a system call request whose header has been read.  The client's
 * request ids must be nonzero and unique among its outstanding calls.
 */
static int
sp_takecall(struct spclient *c, const struct rsp_hdr *h, size_t blen)
{
	struct spcall *call;
	int error, i, slot = -1;

	if (blen < sizeof(call->sc_req) ||
	    blen > sizeof(call->sc_req) + RSP_MAXARGS) {
		sp_log(c, "%s", "system call request of bad length", 0);
		return EINVAL;
	}
	if ((call = calloc(1, sizeof(*call))) == NULL)
		return ENOMEM;
	/* The request and its argument block in one read. */
	if ((error = sp_readn(c->c_fd, &call->sc_req, blen)) != 0) {
		free(call);
		return error;
	}
	if (call->sc_req.sc_reserved != 0 || h->rh_id == 0) {
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
	call->sc_slot = slot;

	if ((error = sp_dispatch(call)) != 0) {
		struct rsp_syscall_reply rep;

		sp_log(c, "%s", "cannot start a worker thread", error);
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
	/* sp_request_spin reads w_done without the mutex. */
	__atomic_store_n(&w->w_done, true, __ATOMIC_RELEASE);
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

/* Allocate the state of a connection on fd, or of none yet (-1). */
static struct spclient *
sp_client_alloc(int fd)
{
	struct spclient *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->c_fd = fd;
	c->c_nextid = 1;
	pthread_mutex_init(&c->c_mtx, NULL);
	pthread_mutex_init(&c->c_sendmtx, NULL);
	pthread_cond_init(&c->c_cv, NULL);
	return c;
}

/* Free c.  The caller has closed its connection and released its process. */
static void
sp_client_free(struct spclient *c)
{

	pthread_cond_destroy(&c->c_cv);
	pthread_mutex_destroy(&c->c_mtx);
	pthread_mutex_destroy(&c->c_sendmtx);
	free(c);
}

/*
 * Make the calls of c's process leave the kernel: every interruptible
 * sleep, now or later, ends with EINTR (hyp_lwpexit).
 */
static void
sp_client_interrupt(struct spclient *c)
{

	if (c->c_mainlwp == NULL)
		return;
	rumpuser__hyp.hyp_schedule();
	rumpuser__hyp.hyp_lwproc_switch(c->c_mainlwp);
	rumpuser__hyp.hyp_lwpexit();
	rumpuser__hyp.hyp_lwproc_switch(NULL);
	rumpuser__hyp.hyp_unschedule();
}

/* Wait until no system call of c runs. */
static void
sp_client_drain(struct spclient *c)
{

	pthread_mutex_lock(&c->c_mtx);
	while (c->c_ncalls > 0)
		pthread_cond_wait(&c->c_cv, &c->c_mtx);
	pthread_mutex_unlock(&c->c_mtx);
}

/*
 * Release the main lwp of c's process, which takes the process with it
 * when no call runs.
 */
static void
sp_client_release(struct spclient *c)
{

	if (c->c_mainlwp == NULL)
		return;
	rumpuser__hyp.hyp_schedule();
	rumpuser__hyp.hyp_lwproc_switch(c->c_mainlwp);
	rumpuser__hyp.hyp_lwproc_release();
	rumpuser__hyp.hyp_unschedule();
	c->c_mainlwp = NULL;
}

/* Copy a process name from a handshake, making it printable. */
static void
sp_setcomm(struct spclient *c, const struct rsp_handshake *hs)
{
	char *p;

	c->c_hostpid = hs->hs_hostpid;
	memcpy(c->c_comm, hs->hs_comm, RSP_COMMLEN);
	c->c_comm[RSP_COMMLEN] = '\0';
	for (p = c->c_comm; *p != '\0'; p++)
		if (*p < ' ' || *p > '~')
			*p = '?';
}

/* ------------------------------------------------------------------ */
/* Preforked processes */

/* Milliseconds on the monotonic clock. */
static int64_t
sp_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Compare two cookies in a time that does not depend on where they differ. */
static bool
sp_cookie_equal(const uint8_t *a, const uint8_t *b)
{
	uint8_t diff = 0;
	int i;

	for (i = 0; i < RSP_COOKIELEN; i++)
		diff |= a[i] ^ b[i];
	return diff == 0;
}

/* Release a record taken off the list: its process, then its spclient. */
static void
sp_fork_release(struct spfork *f)
{

	sp_client_release(f->f_child);
	sp_client_free(f->f_child);
	free(f);
}

/* Release the records that no child claimed in time. */
static void *
sp_fork_reaper(void *arg)
{
	struct spfork *f, **fp, *expired;
	struct timespec ts;
	int64_t now, next;
	char msg[96];

	(void)arg;
	pthread_mutex_lock(&sp_forks.mtx);
	for (;;) {
		expired = NULL;
		next = 0;
		now = sp_now();
		for (fp = &sp_forks.list; (f = *fp) != NULL;) {
			if (f->f_expires <= now) {
				*fp = f->f_next;
				f->f_next = expired;
				expired = f;
				sp_forks.count--;
				continue;
			}
			if (next == 0 || f->f_expires < next)
				next = f->f_expires;
			fp = &f->f_next;
		}
		if (expired != NULL) {
			pthread_mutex_unlock(&sp_forks.mtx);
			while ((f = expired) != NULL) {
				expired = f->f_next;
				snprintf(msg, sizeof(msg), "prefork of pid %d "
				    "released: no child claimed it in %d s",
				    (int)f->f_parent, sp_server.forktimeout);
				sp_log(f->f_child, "%s", msg, 0);
				sp_fork_release(f);
			}
			pthread_mutex_lock(&sp_forks.mtx);
			continue;
		}
		if (next == 0) {
			pthread_cond_wait(&sp_forks.cv, &sp_forks.mtx);
		} else {
			ts.tv_sec = (time_t)(next / 1000);
			ts.tv_nsec = (long)(next % 1000) * 1000000;
			(void)pthread_cond_timedwait(&sp_forks.cv,
			    &sp_forks.mtx, &ts);
		}
	}
	return NULL;
}

/* The reaper waits on the monotonic clock, which needs an attribute. */
static void
sp_fork_initcv(void)
{
	pthread_condattr_t attr;

	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_destroy(&sp_forks.cv);
	pthread_cond_init(&sp_forks.cv, &attr);
	pthread_condattr_destroy(&attr);
}

/*
 * Count a new prefork of process parent against the limits.  Returns 0,
 * or EAGAIN when it has SP_MAXFORKS_CLIENT outstanding or the server
 * SP_MAXFORKS.  A successful call is followed by sp_fork_insert or
 * sp_fork_unreserve.
 */
static int
sp_fork_reserve(pid_t parent)
{
	struct spfork *f;
	int n = 0, error = 0;

	pthread_mutex_lock(&sp_forks.mtx);
	if (sp_forks.count >= SP_MAXFORKS)
		error = EAGAIN;
	for (f = sp_forks.list; f != NULL && error == 0; f = f->f_next)
		if (f->f_parent == parent && ++n >= SP_MAXFORKS_CLIENT)
			error = EAGAIN;
	if (error == 0)
		sp_forks.count++;
	pthread_mutex_unlock(&sp_forks.mtx);
	return error;
}

static void
sp_fork_unreserve(void)
{

	pthread_mutex_lock(&sp_forks.mtx);
	sp_forks.count--;
	pthread_mutex_unlock(&sp_forks.mtx);
}

/*
 * Put f on the list under a fresh random cookie, which is also copied to
 * cookie.  Returns 0, or the errno of getrandom or of starting the reaper.
 * After an error f is not on the list and the reservation is dropped.
 */
static int
sp_fork_insert(struct spfork *f, uint8_t *cookie)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	struct spfork *g;
	pthread_attr_t attr;
	pthread_t t;
	ssize_t n;
	int error = 0;

	pthread_once(&once, sp_fork_initcv);
	pthread_mutex_lock(&sp_forks.mtx);
	if (!sp_forks.reaper) {
		pthread_attr_init(&attr);
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		error = pthread_create(&t, &attr, sp_fork_reaper, NULL);
		pthread_attr_destroy(&attr);
		sp_forks.reaper = error == 0;
	}
	/* A repeated cookie is unlikely, but then it would name two records. */
	while (error == 0) {
		n = getrandom(f->f_cookie, RSP_COOKIELEN, 0);
		if (n != RSP_COOKIELEN) {
			error = n < 0 ? errno : EIO;
			break;
		}
		for (g = sp_forks.list; g != NULL; g = g->f_next)
			if (sp_cookie_equal(g->f_cookie, f->f_cookie))
				break;
		if (g == NULL)
			break;
	}
	if (error != 0) {
		sp_forks.count--;
		pthread_mutex_unlock(&sp_forks.mtx);
		return error;
	}
	memcpy(cookie, f->f_cookie, RSP_COOKIELEN);
	f->f_expires = sp_now() + (int64_t)sp_server.forktimeout * 1000;
	f->f_next = sp_forks.list;
	sp_forks.list = f;
	pthread_cond_signal(&sp_forks.cv);
	pthread_mutex_unlock(&sp_forks.mtx);
	return 0;
}

/* Take the record with this cookie off the list; NULL when there is none. */
static struct spfork *
sp_fork_take(const uint8_t *cookie)
{
	struct spfork *f, **fp;

	pthread_mutex_lock(&sp_forks.mtx);
	for (fp = &sp_forks.list; (f = *fp) != NULL; fp = &f->f_next) {
		if (sp_cookie_equal(f->f_cookie, cookie)) {
			*fp = f->f_next;
			sp_forks.count--;
			break;
		}
	}
	pthread_mutex_unlock(&sp_forks.mtx);
	return f;
}

/*
 * Copy c's process for a fork: a child of it with a copy of its
 * descriptor table and working directory, whose memory handle is a new
 * spclient without a connection.  The process is made from a temporary
 * lwp in c's process, which is released again.
 */
static int
sp_fork_create(struct spclient *c, struct spfork **fp)
{
	struct spclient *nc;
	struct spfork *f;
	struct lwp *parentlwp;
	int error;

	f = calloc(1, sizeof(*f));
	nc = sp_client_alloc(-1);
	if (f == NULL || nc == NULL) {
		free(f);
		if (nc != NULL)
			sp_client_free(nc);
		return ENOMEM;
	}
	nc->c_dead = true;
	nc->c_hostpid = c->c_hostpid;
	memcpy(nc->c_comm, c->c_comm, sizeof(nc->c_comm));

	rumpuser__hyp.hyp_schedule();
	error = rumpuser__hyp.hyp_lwproc_newlwp(c->c_pid);
	if (error == 0) {
		parentlwp = rumpuser__hyp.hyp_lwproc_curlwp();
		error = rumpuser__hyp.hyp_lwproc_rfork(nc, RUMP_RFFDG, NULL);
		if (error == 0) {
			nc->c_mainlwp = rumpuser__hyp.hyp_lwproc_curlwp();
			nc->c_pid = rumpuser__hyp.hyp_getpid();
			rumpuser__hyp.hyp_lwproc_switch(parentlwp);
		}
		rumpuser__hyp.hyp_lwproc_release();
	}
	rumpuser__hyp.hyp_unschedule();
	if (error != 0) {
		sp_client_free(nc);
		free(f);
		return error;
	}
	f->f_child = nc;
	f->f_parent = c->c_pid;
	*fp = f;
	return 0;
}

/* Serve a PREFORK request: make a prefork of c's process, or cancel one. */
static int
sp_takeprefork(struct spclient *c, const struct rsp_hdr *h, size_t blen)
{
	static const uint8_t nocookie[RSP_COOKIELEN];
	struct rsp_prefork pf;
	struct rsp_prefork_reply pr;
	struct spfork *f;
	char msg[64];
	int error;

	if (blen != sizeof(pf)) {
		sp_log(c, "%s", "prefork request of bad length", 0);
		return EINVAL;
	}
	if ((error = sp_readn(c->c_fd, &pf, sizeof(pf))) != 0)
		return error;
	if (pf.pf_reserved != 0 || (pf.pf_op != RSP_PREFORK_CREATE &&
	    pf.pf_op != RSP_PREFORK_CANCEL) || (pf.pf_op == RSP_PREFORK_CREATE
	    && memcmp(pf.pf_cookie, nocookie, RSP_COOKIELEN) != 0)) {
		sp_log(c, "%s", "malformed prefork request", 0);
		return EINVAL;
	}

	memset(&pr, 0, sizeof(pr));
	if (pf.pf_op == RSP_PREFORK_CANCEL) {
		if ((f = sp_fork_take(pf.pf_cookie)) == NULL) {
			sp_log(c, "%s", "prefork cancel: unknown cookie", 0);
			pr.pr_error = ESRCH;
		} else
			sp_fork_release(f);
	} else if ((pr.pr_error = sp_fork_reserve(c->c_pid)) != 0) {
		sp_log(c, "%s", "prefork refused: too many outstanding", 0);
	} else if ((pr.pr_error = sp_fork_create(c, &f)) != 0) {
		sp_fork_unreserve();
		sp_log(c, "%s", "prefork: cannot copy the process",
		    pr.pr_error);
	} else if ((pr.pr_error = sp_fork_insert(f, pr.pr_cookie)) != 0) {
		sp_log(c, "%s", "prefork: no cookie", pr.pr_error);
		sp_fork_release(f);
	} else if (sp_server.verbose) {
		snprintf(msg, sizeof(msg), "prefork: process %d made",
		    (int)f->f_child->c_pid);
		sp_log(c, "%s", msg, 0);
	}
	return sp_send(c, RSP_PREFORK_REPLY, h->rh_id, &pr, sizeof(pr), NULL,
	    0);
}

/* ------------------------------------------------------------------ */
/* Handshakes and the connection's life */

/*
 * Give a new client its kernel process: a child of init with an empty
 * descriptor table.
 */
static int
sp_newproc(struct spclient *c)
{
	int error;

	rumpuser__hyp.hyp_schedule();
	error = rumpuser__hyp.hyp_lwproc_rfork(c, RUMP_RFCFDG,
	    c->c_comm[0] != '\0' ? c->c_comm : NULL);
	if (error == 0) {
		c->c_mainlwp = rumpuser__hyp.hyp_lwproc_curlwp();
		c->c_pid = rumpuser__hyp.hyp_getpid();
		rumpuser__hyp.hyp_lwproc_switch(NULL);
	}
	rumpuser__hyp.hyp_unschedule();
	if (error != 0)
		sp_log(c, "%s", "cannot create the process", error);
	return error;
}

/*
 * A forked child presents the cookie of its parent's prefork: adopt the
 * recorded spclient, whose process is the child's, for this connection.
 * On success *cp is the adopted spclient and the old one is freed.
 */
static int
sp_forkproc(struct spclient **cp, const uint8_t *cookie)
{
	struct spclient *c = *cp, *nc;
	struct spfork *f;
	char msg[64];

	if ((f = sp_fork_take(cookie)) == NULL) {
		sp_log(c, "%s", "fork handshake with an unknown cookie", 0);
		return ESRCH;
	}
	nc = f->f_child;
	snprintf(msg, sizeof(msg), "connected: forked from pid %d",
	    (int)f->f_parent);
	free(f);
	nc->c_hostpid = c->c_hostpid;
	memcpy(nc->c_comm, c->c_comm, sizeof(nc->c_comm));
	/* The connection is in place before c_dead lets others use it. */
	pthread_mutex_lock(&nc->c_sendmtx);
	nc->c_fd = c->c_fd;
	pthread_mutex_unlock(&nc->c_sendmtx);
	pthread_mutex_lock(&nc->c_mtx);
	__atomic_store_n(&nc->c_dead, false, __ATOMIC_SEQ_CST);
	pthread_mutex_unlock(&nc->c_mtx);
	sp_client_free(c);
	*cp = nc;
	if (sp_server.verbose)
		sp_log(nc, "%s", msg, 0);
	return 0;
}

/*
 * Send the banner, read the handshake and give the client its kernel
 * process: a new one, or for a forked child the one its parent's prefork
 * made, whose spclient then replaces *cp.  Returns 0, or an errno value
 * after which the connection is closed.
 */
static int
sp_handshake(struct spclient **cp)
{
	struct spclient *c = *cp;
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
	sp_setcomm(c, &hs);

	memset(&hr, 0, sizeof(hr));
	if (hs.hs_magic != RSP_MAGIC || hs.hs_vmajor != RSP_VMAJOR) {
		sp_log(c, "%s", "bad magic or protocol version", 0);
		hr.hr_error = EPROTONOSUPPORT;
	} else if (hs.hs_kind == RSP_KIND_NEW) {
		hr.hr_error = sp_newproc(c);
	} else if (hs.hs_kind == RSP_KIND_FORK) {
		hr.hr_error = sp_forkproc(cp, hs.hs_cookie);
		c = *cp;
	} else if (hs.hs_kind == RSP_KIND_EXEC) {
		sp_log(c, "%s", "exec handshake on a new connection", 0);
		hr.hr_error = EINVAL;
	} else {
		sp_log(c, "%s", "unknown client kind", 0);
		hr.hr_error = EINVAL;
	}
	if (hr.hr_error == 0 && sp_server.verbose &&
	    hs.hs_kind == RSP_KIND_NEW)
		sp_log(c, "%s", "connected: new process", 0);
	hr.hr_pid = c->c_pid;
	error = sp_send(c, RSP_HANDSHAKE_REPLY, h.rh_id, &hr, sizeof(hr),
	    NULL, 0);
	return hr.hr_error != 0 ? hr.hr_error : error;
}

/*
 * Serve a handshake of kind EXEC on an established connection: the client
 * replaced its image.  The old image's memory is gone, so its pending
 * copy requests fail and its calls are interrupted.  Once they have
 * returned, the process loses its close-on-exec descriptors and takes
 * the new name.  A call stuck in a sleep that cannot be interrupted
 * delays the exec until it returns.
 */
static int
sp_takeexec(struct spclient *c, const struct rsp_hdr *h, size_t blen)
{
	static const uint8_t nocookie[RSP_COOKIELEN];
	struct rsp_handshake hs;
	struct rsp_handshake_reply hr;
	int error;

	if (blen != sizeof(hs)) {
		sp_log(c, "%s", "exec request of bad length", 0);
		return EINVAL;
	}
	if ((error = sp_readn(c->c_fd, &hs, sizeof(hs))) != 0)
		return error;
	if (hs.hs_magic != RSP_MAGIC || hs.hs_vmajor != RSP_VMAJOR ||
	    hs.hs_kind != RSP_KIND_EXEC ||
	    memcmp(hs.hs_cookie, nocookie, RSP_COOKIELEN) != 0) {
		sp_log(c, "%s", "malformed exec request", 0);
		return EINVAL;
	}
	sp_setcomm(c, &hs);

	pthread_mutex_lock(&c->c_mtx);
	__atomic_store_n(&c->c_execing, true, __ATOMIC_SEQ_CST);
	pthread_cond_broadcast(&c->c_cv);
	pthread_mutex_unlock(&c->c_mtx);
	sp_client_interrupt(c);
	sp_client_drain(c);

	rumpuser__hyp.hyp_schedule();
	rumpuser__hyp.hyp_lwproc_switch(c->c_mainlwp);
	rumpuser__hyp.hyp_execnotify(c->c_comm[0] != '\0' ? c->c_comm : "?");
	rumpuser__hyp.hyp_lwproc_switch(NULL);
	rumpuser__hyp.hyp_unschedule();

	pthread_mutex_lock(&c->c_mtx);
	__atomic_store_n(&c->c_execing, false, __ATOMIC_SEQ_CST);
	pthread_mutex_unlock(&c->c_mtx);
	if (sp_server.verbose)
		sp_log(c, "%s", "exec: new image", 0);

	memset(&hr, 0, sizeof(hr));
	hr.hr_pid = c->c_pid;
	return sp_send(c, RSP_HANDSHAKE_REPLY, h->rh_id, &hr, sizeof(hr),
	    NULL, 0);
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
	error = sp_handshake(&c);
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
		case RSP_PREFORK:
			error = sp_takeprefork(c, &h, blen);
			break;
		case RSP_HANDSHAKE:
			error = sp_takeexec(c, &h, blen);
			break;
		default:
			sp_log(c, "%s", "unexpected message type", 0);
			error = EINVAL;
			break;
		}
	}
	/* Protocol errors and refused handshakes have been logged. */
	if (error != EPIPE && error != ECONNRESET && error != EINVAL &&
	    error != EOPNOTSUPP && error != EPROTONOSUPPORT && error != ESRCH)
		sp_log(c, "%s", "connection lost", error);

	/*
	 * Fail the kernel's pending requests, make the calls that sleep
	 * return, wait for every call and release the process.
	 */
	shutdown(c->c_fd, SHUT_RDWR);
	pthread_mutex_lock(&c->c_mtx);
	__atomic_store_n(&c->c_dead, true, __ATOMIC_SEQ_CST);
	pthread_cond_broadcast(&c->c_cv);
	pthread_mutex_unlock(&c->c_mtx);
	sp_client_interrupt(c);
	sp_client_drain(c);
	if (c->c_mainlwp != NULL && sp_server.verbose)
		sp_log(c, "%s", "disconnected", 0);
	sp_client_release(c);

	close(c->c_fd);
	sp_client_free(c);
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
		if ((c = sp_client_alloc(fd)) == NULL) {
			close(fd);
			continue;
		}
		if (pthread_create(&t, &attr, sp_clientthread, c) != 0) {
			close(fd);
			sp_client_free(c);
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
	const char *env;
	char *end;
	long secs;
	int error, fd = -1;

	if (url == NULL)
		return EINVAL;
	if (sp_server.running)
		return EBUSY;
	sp_server.verbose = (env = getenv("RUMP_VERBOSE")) != NULL &&
	    env[0] != '\0' && strcmp(env, "0") != 0;
	sp_server.forktimeout = SP_FORKTIMEOUT;
	if ((env = getenv("RUMP_SP_FORKTIMEOUT")) != NULL) {
		errno = 0;
		secs = strtol(env, &end, 10);
		if (errno != 0 || end == env || *end != '\0' || secs < 1 ||
		    secs > 3600) {
			fprintf(stderr, "rump_sp: invalid RUMP_SP_FORKTIMEOUT "
			    "\"%s\": expected 1 to 3600 seconds\n", env);
			return EINVAL;
		}
		sp_server.forktimeout = (int)secs;
	}
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
