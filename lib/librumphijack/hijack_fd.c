/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * librumphijack: the descriptor table.
 *
 * One number space serves two kernels.  Rump descriptor r is shown to the
 * application as r + hijack_fdoff.  Every number below the offset is a
 * host descriptor, except the slots that are aliases.  A host call that
 * returns a descriptor at or above the offset is undone and fails with
 * ENFILE.
 *
 * An alias is made when the application moves a rump descriptor onto a
 * number below the offset, as shells do for "exec >/rump/file",
 * "cmd </rump/file" or "exec 3>/rump/file".  The alias is backed by a
 * rump descriptor of its own, a duplicate made for it (the "hidden"
 * descriptor), so closing the original leaves the alias working, as
 * after dup2.  The host slot itself contains /dev/null for as long as the
 * alias lives.  That keeps the host from handing the number out again.
 * The C library's own I/O on the slot, which no hijack intercepts,
 * reaches nothing.  For slots 0, 1 and 2 hijack_stdio.c also points stdin,
 * stdout or stderr at a stream that goes through the alias.
 *
 * The hidden descriptors are not the application's: calls that name one
 * by its number fail with EBADF, and a dup2 onto its number first moves
 * it elsewhere.  Aliases whose hidden descriptor is not close-on-exec
 * are passed across execve by hijack_execenv().
 *
 * Locking: alias_lock protects the alias table.  It is never held across
 * a call into either kernel, because librumpclient's own reads and
 * writes on its socket come back through this file.
 */

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>

#include <linux/fs.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <rump/rumpclient.h>
#include <rump/rump_syscalls.h>

#include "hijack_core.h"

#ifndef CLOSE_RANGE_UNSHARE
#define CLOSE_RANGE_UNSHARE	(1U << 1)
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC	(1U << 2)
#endif

struct hijack_alias {
	int	ha_slot;	/* number below the offset the application uses */
	int	ha_rfd;		/* hidden rump descriptor behind it */
};

static pthread_rwlock_t alias_lock = PTHREAD_RWLOCK_INITIALIZER;
static struct hijack_alias *alias_tab;	/* alias_lock */
static int alias_cap;			/* alias_lock */
static int alias_n;	/* alias_lock; also read atomically as a hint */

/* Highest rump descriptor handed out, for close_range (atomic). */
static int fd_maxrfd = -1;

HIJACK_HOSTFN(open);
HIJACK_HOSTFN(close);
HIJACK_HOSTFN(dup);
HIJACK_HOSTFN(dup2);
HIJACK_HOSTFN(dup3);
HIJACK_HOSTFN(fcntl);
HIJACK_HOSTFN(ioctl);
HIJACK_HOSTFN(isatty);
HIJACK_HOSTFN(close_range);
HIJACK_HOSTFN(socket);
HIJACK_HOSTFN(socketpair);
HIJACK_HOSTFN(accept);
HIJACK_HOSTFN(accept4);
HIJACK_HOSTFN(pipe);
HIJACK_HOSTFN(pipe2);
HIJACK_HOSTFN(eventfd);
HIJACK_HOSTFN(epoll_create);
HIJACK_HOSTFN(epoll_create1);
HIJACK_HOSTFN(inotify_init);
HIJACK_HOSTFN(inotify_init1);
HIJACK_HOSTFN(memfd_create);
HIJACK_HOSTFN(timerfd_create);
HIJACK_HOSTFN(signalfd);

/* ------------------------------------------------------------------ */
/* The alias table */

static bool
alias_any(void)
{

	return __atomic_load_n(&alias_n, __ATOMIC_ACQUIRE) > 0;
}

/* The index of slot in the table, or -1.  Called with alias_lock held. */
static int
alias_index_locked(int slot)
{
	int i;

	for (i = 0; i < alias_n; i++)
		if (alias_tab[i].ha_slot == slot)
			return i;
	return -1;
}

/* The hidden descriptor behind slot, or -1 when slot is no alias. */
static int
alias_lookup(int slot)
{
	int i, rfd = -1;

	if (!alias_any())
		return -1;
	pthread_rwlock_rdlock(&alias_lock);
	if ((i = alias_index_locked(slot)) >= 0)
		rfd = alias_tab[i].ha_rfd;
	pthread_rwlock_unlock(&alias_lock);
	return rfd;
}

/* Whether rump descriptor rfd is hidden behind an alias. */
static bool
alias_ishidden(int rfd)
{
	bool found = false;
	int i;

	if (!alias_any())
		return false;
	pthread_rwlock_rdlock(&alias_lock);
	for (i = 0; i < alias_n && !found; i++)
		found = alias_tab[i].ha_rfd == rfd;
	pthread_rwlock_unlock(&alias_lock);
	return found;
}

/*
 * Record slot -> rfd.  Returns the hidden descriptor the slot had before
 * (for the caller to close), -1 if it had none, or -2 when memory ran out.
 */
static int
alias_insert(int slot, int rfd)
{
	struct hijack_alias *nt;
	int i, old = -1;

	pthread_rwlock_wrlock(&alias_lock);
	if ((i = alias_index_locked(slot)) >= 0) {
		old = alias_tab[i].ha_rfd;
		alias_tab[i].ha_rfd = rfd;
		goto out;
	}
	if (alias_n == alias_cap) {
		nt = realloc(alias_tab, (alias_cap + 4) * sizeof(*nt));
		if (nt == NULL) {
			old = -2;
			goto out;
		}
		alias_tab = nt;
		alias_cap += 4;
	}
	alias_tab[alias_n].ha_slot = slot;
	alias_tab[alias_n].ha_rfd = rfd;
	__atomic_store_n(&alias_n, alias_n + 1, __ATOMIC_RELEASE);
 out:
	pthread_rwlock_unlock(&alias_lock);
	return old;
}

/* Forget slot; returns its hidden descriptor, or -1 if it had none. */
static int
alias_remove(int slot)
{
	int i, rfd = -1;

	pthread_rwlock_wrlock(&alias_lock);
	if ((i = alias_index_locked(slot)) >= 0) {
		rfd = alias_tab[i].ha_rfd;
		alias_tab[i] = alias_tab[alias_n - 1];
		__atomic_store_n(&alias_n, alias_n - 1, __ATOMIC_RELEASE);
	}
	pthread_rwlock_unlock(&alias_lock);
	return rfd;
}

/*
 * Put /dev/null into host slot, replacing what was there, so that the
 * slot stays taken while it is an alias.
 */
static int
alias_placeholder(int slot, bool cloexec)
{
	int nfd, rv, error, target = slot;

	nfd = HOST(open)("/dev/null", O_RDWR | O_CLOEXEC);
	if (nfd == -1)
		return -1;
	if (nfd == slot)
		return cloexec ? 0 : HOST(fcntl)(slot, F_SETFD, 0);
	if (rumpclient__closenotify(&target, RUMPCLIENT_CLOSE_DUP2) == -1) {
		error = errno;
		HOST(close)(nfd);
		errno = error;
		return -1;
	}
	rv = HOST(dup3)(nfd, slot, cloexec ? O_CLOEXEC : 0);
	error = errno;
	HOST(close)(nfd);
	errno = error;
	return rv == -1 ? -1 : 0;
}

/*
 * Make host slot an alias of rump descriptor rsrc (a dup2 or dup3 of a
 * rump descriptor onto a number below the offset).
 */
static int
alias_set(int slot, int rsrc, bool cloexec)
{
	int hidden, old, error;

	hidden = rump_sys_fcntl(rsrc, cloexec ? F_DUPFD_CLOEXEC : F_DUPFD, 0);
	if (hidden == -1)
		return -1;
	(void)hijack_fdout(hidden);
	hijack_stdio_flush(slot);
	if (alias_placeholder(slot, cloexec) == -1)
		goto fail;
	if ((old = alias_insert(slot, hidden)) == -2) {
		errno = ENOMEM;
		goto fail;
	}
	if (old >= 0)
		rump_sys_close(old);
	hijack_stdio_attach(slot);
	return slot;
 fail:
	error = errno;
	rump_sys_close(hidden);
	errno = error;
	return -1;
}

/*
 * Undo the alias of slot: its stream is flushed into it first and its
 * hidden descriptor closed.  The host slot keeps the placeholder; the
 * caller closes it or puts a host descriptor there.
 */
static void
alias_drop(int slot)
{
	int rfd;

	hijack_stdio_flush(slot);
	if ((rfd = alias_remove(slot)) >= 0)
		rump_sys_close(rfd);
	hijack_stdio_detach(slot);
}

/*
 * Move the hidden descriptor that sits on rump number rfd to another
 * number, so that the application can dup2 onto rfd.
 */
static int
alias_relocate(int rfd)
{
	int i, flags, nfd;

	flags = rump_sys_fcntl(rfd, F_GETFD);
	if (flags == -1)
		return -1;
	nfd = rump_sys_fcntl(rfd, (flags & FD_CLOEXEC) ? F_DUPFD_CLOEXEC :
	    F_DUPFD, 0);
	if (nfd == -1)
		return -1;
	(void)hijack_fdout(nfd);
	pthread_rwlock_wrlock(&alias_lock);
	for (i = 0; i < alias_n; i++)
		if (alias_tab[i].ha_rfd == rfd)
			alias_tab[i].ha_rfd = nfd;
	pthread_rwlock_unlock(&alias_lock);
	return 0;
}

/*
 * Claim the lowest free host number from min up if it is a standard
 * descriptor (0, 1 or 2), with a /dev/null placeholder in it.  Returns
 * the slot, or -1 when min to 2 are all taken or the host has no
 * descriptor left.  The slot is free, so it
 * is neither an alias nor the connection to the server.
 */
static int
alias_claimstd(int min, bool cloexec)
{
	int slot, nfd, error = errno;

	for (slot = min; slot <= 2; slot++)
		if (HOST(fcntl)(slot, F_GETFD) == -1 && errno == EBADF)
			break;
	errno = error;
	if (slot > 2)
		return -1;

	/* Another thread may take the slot first: the host decides. */
	nfd = HOST(open)("/dev/null", O_RDWR | (cloexec ? O_CLOEXEC : 0));
	if (nfd == -1)
		return -1;
	if (nfd >= min && nfd <= 2) {
		errno = error;
		return nfd;
	}
	slot = HOST(fcntl)(nfd, cloexec ? F_DUPFD_CLOEXEC : F_DUPFD, min);
	HOST(close)(nfd);
	if (slot > 2) {
		HOST(close)(slot);
		slot = -1;
	}
	errno = error;
	return slot;
}

/*
 * Number a rump descriptor the way the host numbers a new descriptor:
 * the lowest free number from min up.  Programs rely on that to set up
 * standard output with "close(1); dup(fd)", as tar's compressor child
 * does.  So when one of min to 2 is closed, that slot becomes an alias
 * with rfd as its hidden descriptor.  Otherwise the number is
 * rfd + hijack_fdoff.  -1 passes through.
 */
static int
fd_number(int rfd, int min)
{
	int slot, fl, old;

	if (rfd < 0 || min > 2)
		return hijack_fdout(rfd);
	(void)hijack_fdout(rfd);
	if ((fl = rump_sys_fcntl(rfd, F_GETFD)) == -1)
		return rfd + hijack_fdoff;
	if ((slot = alias_claimstd(min, (fl & FD_CLOEXEC) != 0)) == -1)
		return rfd + hijack_fdoff;
	if ((old = alias_insert(slot, rfd)) == -2) {
		HOST(close)(slot);
		return rfd + hijack_fdoff;
	}
	/* A stale alias whose placeholder the C library closed itself. */
	if (old >= 0)
		rump_sys_close(old);
	hijack_stdio_attach(slot);
	return slot;
}

int
hijack_fdnew(int rfd)
{

	return fd_number(rfd, 0);
}

void
hijack_alias_restore(int slot, int rfd)
{
	struct stat st;

	/* The hidden descriptor must have come through the exec. */
	if (rump_sys_fstat(rfd, &st) == -1)
		return;
	(void)hijack_fdout(rfd);
	if (HOST(fcntl)(slot, F_GETFD) == -1 &&
	    alias_placeholder(slot, false) == -1)
		return;
	if (alias_insert(slot, rfd) == -2)
		hijack_fatal("out of memory");
	hijack_stdio_attach(slot);
}

char *
hijack_alias_encode(void)
{
	char *buf = NULL, *p;
	int i, n, *slots = NULL, *rfds = NULL;

	if (!alias_any())
		return NULL;

	/* Copy the table, then ask the kernel without holding the lock. */
	pthread_rwlock_rdlock(&alias_lock);
	n = alias_n;
	slots = malloc(n * sizeof(int));
	rfds = malloc(n * sizeof(int));
	if (slots != NULL && rfds != NULL) {
		for (i = 0; i < n; i++) {
			slots[i] = alias_tab[i].ha_slot;
			rfds[i] = alias_tab[i].ha_rfd;
		}
	}
	pthread_rwlock_unlock(&alias_lock);
	if (slots == NULL || rfds == NULL || (buf = malloc(n * 24 + 1)) == NULL)
		goto out;

	p = buf;
	*p = '\0';
	for (i = 0; i < n; i++) {
		int flags = rump_sys_fcntl(rfds[i], F_GETFD);

		if (flags == -1 || (flags & FD_CLOEXEC))
			continue;
		p += sprintf(p, "%s%d:%d", p == buf ? "" : ",", slots[i],
		    rfds[i]);
	}
	if (p == buf) {
		free(buf);
		buf = NULL;
	}
 out:
	free(slots);
	free(rfds);
	return buf;
}

/* ------------------------------------------------------------------ */
/* Descriptor numbers */

enum hijack_kind
hijack_fdkind(int fd, int *rfdp)
{
	int rfd;

	hijack_init();
	if (fd >= hijack_fdoff) {
		rfd = fd - hijack_fdoff;
		if (alias_ishidden(rfd))
			rfd = -1;
		if (rfdp != NULL)
			*rfdp = rfd;
		return HIJACK_RUMP;
	}
	if (fd < 0 || (rfd = alias_lookup(fd)) < 0)
		return HIJACK_HOST;
	if (rfdp != NULL)
		*rfdp = rfd;
	return HIJACK_RUMP;
}

int
hijack_fdout(int rfd)
{
	int max;

	if (rfd < 0)
		return rfd;
	max = __atomic_load_n(&fd_maxrfd, __ATOMIC_RELAXED);
	while (rfd > max && !__atomic_compare_exchange_n(&fd_maxrfd, &max,
	    rfd, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		continue;
	return rfd + hijack_fdoff;
}

int
hijack_fdmax(void)
{

	return __atomic_load_n(&fd_maxrfd, __ATOMIC_RELAXED);
}

int
hijack_hostfd(int fd)
{

	if (fd >= hijack_fdoff) {
		HOST(close)(fd);
		errno = ENFILE;
		return -1;
	}
	return fd;
}

/* Two descriptors from pipe() or socketpair(): both below the offset. */
static int
hostfd_pair(int rv, int fds[2])
{

	if (rv == 0 && (fds[0] >= hijack_fdoff || fds[1] >= hijack_fdoff)) {
		HOST(close)(fds[0]);
		HOST(close)(fds[1]);
		errno = ENFILE;
		return -1;
	}
	return rv;
}

/* ------------------------------------------------------------------ */
/* dup, dup2, dup3, close */

int
dup(int fd)
{
	int rfd;

	if (hijack_fdkind(fd, &rfd) == HIJACK_RUMP)
		return fd_number(rump_sys_dup(rfd), 0);
	return hijack_hostfd(HOST(dup)(fd));
}

static int
fd_dupto(int oldfd, int newfd, int flags, bool isdup3)
{
	enum hijack_kind okind;
	int ro, rn, rv, target;

	okind = hijack_fdkind(oldfd, &ro);
	if (newfd < 0) {
		errno = EBADF;
		return -1;
	}
	if (isdup3 && (flags & ~O_CLOEXEC) != 0) {
		errno = EINVAL;
		return -1;
	}
	if (oldfd == newfd) {
		if (isdup3) {
			errno = EINVAL;
			return -1;
		}
		if (okind == HIJACK_RUMP)
			rv = rump_sys_fcntl(ro, F_GETFD);
		else
			rv = HOST(fcntl)(oldfd, F_GETFD);
		return rv == -1 ? -1 : newfd;
	}

	/* Onto a rump number: only a rump descriptor can go there. */
	if (newfd >= hijack_fdoff) {
		if (okind != HIJACK_RUMP) {
			errno = EBADF;
			return -1;
		}
		rn = newfd - hijack_fdoff;
		if (alias_ishidden(rn) && alias_relocate(rn) == -1)
			return -1;
		rv = isdup3 ? rump_sys_dup3(ro, rn, flags) :
		    rump_sys_dup2(ro, rn);
		return hijack_fdout(rv) == -1 ? -1 : newfd;
	}

	/* A rump descriptor onto a host number becomes an alias. */
	if (okind == HIJACK_RUMP)
		return alias_set(newfd, ro, (flags & O_CLOEXEC) != 0);

	/* Host onto host; an alias there goes away, as a close would. */
	if (HOST(fcntl)(oldfd, F_GETFD) == -1)
		return -1;
	if (alias_lookup(newfd) >= 0)
		alias_drop(newfd);
	target = newfd;
	if (rumpclient__closenotify(&target, RUMPCLIENT_CLOSE_DUP2) == -1)
		return -1;
	return isdup3 ? HOST(dup3)(oldfd, newfd, flags) :
	    HOST(dup2)(oldfd, newfd);
}

int
dup2(int oldfd, int newfd)
{

	return fd_dupto(oldfd, newfd, 0, false);
}

int
dup3(int oldfd, int newfd, int flags)
{

	return fd_dupto(oldfd, newfd, flags, true);
}

int
close(int fd)
{
	int rfd, target;

	hijack_init();
	if (fd >= hijack_fdoff) {
		hijack_fdkind(fd, &rfd);
		return rump_sys_close(rfd);
	}
	if (fd >= 0 && alias_lookup(fd) >= 0) {
		alias_drop(fd);
		return HOST(close)(fd);
	}
	target = fd;
	if (fd >= 0 &&
	    rumpclient__closenotify(&target, RUMPCLIENT_CLOSE_CLOSE) == -1)
		return -1;
	return HOST(close)(fd);
}

/* Close host descriptor fd after librumpclient moved its connection off it. */
static void
host_closeone(int fd)
{
	int target = fd;

	if (rumpclient__closenotify(&target, RUMPCLIENT_CLOSE_CLOSE) == 0)
		(void)HOST(close)(fd);
}

/*
 * close_range in three parts.  The rump kernel has no close_range, so
 * rump descriptors are closed one by one up to the highest one handed
 * out.  Aliases in the range are dropped.  Host descriptors are closed
 * around librumpclient's connection, which moves or is skipped.
 */
int
close_range(unsigned int first, unsigned int last, int flags)
{
	long long lo, hi, fd, hostmax;
	bool cloexec = (flags & CLOSE_RANGE_CLOEXEC) != 0;
	struct rlimit rl;
	int i, target, *slots = NULL, nslots = 0;

	hijack_init();
	if (first > last ||
	    (flags & ~(int)(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC)) != 0) {
		errno = EINVAL;
		return -1;
	}

	/* Rump descriptors. */
	lo = (long long)first - hijack_fdoff;
	hi = (long long)last - hijack_fdoff;
	if (lo < 0)
		lo = 0;
	if (hi > hijack_fdmax())
		hi = hijack_fdmax();
	for (fd = lo; fd <= hi; fd++) {
		if (alias_ishidden((int)fd))
			continue;
		if (cloexec)
			(void)rump_sys_fcntl((int)fd, F_SETFD, FD_CLOEXEC);
		else
			(void)rump_sys_close((int)fd);
	}

	/* Aliases. */
	if (alias_any()) {
		pthread_rwlock_rdlock(&alias_lock);
		if ((slots = malloc(alias_n * sizeof(int))) != NULL)
			for (i = 0; i < alias_n; i++)
				if (alias_tab[i].ha_slot >= (long long)first &&
				    alias_tab[i].ha_slot <= (long long)last)
					slots[nslots++] = alias_tab[i].ha_slot;
		pthread_rwlock_unlock(&alias_lock);
		for (i = 0; i < nslots; i++) {
			int rfd = alias_lookup(slots[i]);

			if (cloexec) {
				(void)rump_sys_fcntl(rfd, F_SETFD, FD_CLOEXEC);
				(void)HOST(fcntl)(slots[i], F_SETFD,
				    FD_CLOEXEC);
			} else
				alias_drop(slots[i]);
		}
		free(slots);
	}

	/*
	 * Host descriptors.  Setting close-on-exec is harmless to the
	 * connection, because librumpclient's exec clears the flag on it.
	 */
	if (cloexec)
		return HOST(close_range)(first, last, flags);
	hostmax = INT_MAX;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    (long long)rl.rlim_cur - 1 < hostmax)
		hostmax = (long long)rl.rlim_cur - 1;

	/* Below the offset one by one, so the connection can move away. */
	hi = (long long)last < hijack_fdoff - 1 ? last : hijack_fdoff - 1;
	for (fd = first; fd <= hi && fd <= hostmax; fd++)
		host_closeone((int)fd);

	/*
	 * At and above the offset there are none of the program's
	 * descriptors, but the connection may be there: to the end it is
	 * skipped in one step, otherwise one by one as below.
	 */
	if (last < (unsigned int)hijack_fdoff)
		return 0;
	lo = (long long)first > hijack_fdoff ? first : hijack_fdoff;
	if (last == ~0U) {
		target = (int)lo;
		if (rumpclient__closenotify(&target,
		    RUMPCLIENT_CLOSE_FCLOSEM) == 0)
			(void)HOST(close_range)((unsigned int)target, ~0U, 0);
		return 0;
	}
	for (fd = lo; fd <= (long long)last && fd <= hostmax; fd++)
		host_closeone((int)fd);
	return 0;
}

void
closefrom(int lowfd)
{

	(void)close_range(lowfd < 0 ? 0 : (unsigned int)lowfd, ~0U, 0);
}

/* ------------------------------------------------------------------ */
/* fcntl, ioctl */

static int
fd_fcntl(int fd, int cmd, void *arg)
{
	long larg = (long)arg;
	int rfd, rv;

	if (hijack_fdkind(fd, &rfd) == HIJACK_HOST) {
		if (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC) {
			if (larg >= hijack_fdoff) {
				errno = EINVAL;
				return -1;
			}
			return hijack_hostfd(HOST(fcntl)(fd, cmd, arg));
		}
		return HOST(fcntl)(fd, cmd, arg);
	}

	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		/* The minimum is in the application's numbering. */
		if (larg < 0) {
			errno = EINVAL;
			return -1;
		}
		if (larg >= hijack_fdoff)
			return hijack_fdout(rump_sys_fcntl(rfd, cmd,
			    larg - hijack_fdoff));
		return fd_number(rump_sys_fcntl(rfd, cmd, 0), (int)larg);
	case F_SETFD:
		rv = rump_sys_fcntl(rfd, cmd, larg);
		/* An alias's placeholder follows, so exec treats both alike. */
		if (rv == 0 && fd < hijack_fdoff)
			(void)HOST(fcntl)(fd, F_SETFD, larg);
		return rv;
	default:
		return rump_sys_fcntl(rfd, cmd, larg);
	}
}

int
fcntl(int fd, int cmd, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, cmd);
	arg = va_arg(ap, void *);
	va_end(ap);
	return fd_fcntl(fd, cmd, arg);
}

int
fcntl64(int fd, int cmd, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, cmd);
	arg = va_arg(ap, void *);
	va_end(ap);
	return fd_fcntl(fd, cmd, arg);
}

int
ioctl(int fd, unsigned long request, ...)
{
	struct file_clone_range fcr;
	va_list ap;
	void *arg;
	int rfd, rsrc, srcfd;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (hijack_fdkind(fd, &rfd) == HIJACK_HOST)
		return HOST(ioctl)(fd, request, arg);

	/*
	 * Clone requests name their source by descriptor number.  The rump
	 * kernel's file systems cannot share blocks between files (and it
	 * would take the number for an address), so after the checks Linux
	 * makes first they fail as on such a file system, and cp
	 * --reflink=auto copies instead.
	 */
	switch (request) {
	case FICLONE:
	case FICLONERANGE:
		if (request == FICLONERANGE) {
			if (hijack_badaddr(arg)) {
				errno = EFAULT;
				return -1;
			}
			memcpy(&fcr, arg, sizeof(fcr));
			srcfd = (int)fcr.src_fd;
		} else
			srcfd = (int)(long)arg;
		if (srcfd < 0 || fcntl(srcfd, F_GETFD) == -1) {
			errno = EBADF;
			return -1;
		}
		errno = hijack_fdkind(srcfd, &rsrc) == HIJACK_RUMP ?
		    EOPNOTSUPP : EXDEV;
		return -1;
	default:
		return rump_sys_ioctl(rfd, request, arg);
	}
}

int
isatty(int fd)
{
	struct termios t;
	int rfd;

	if (hijack_fdkind(fd, &rfd) == HIJACK_HOST)
		return HOST(isatty)(fd);
	return rump_sys_ioctl(rfd, TCGETS, &t) == 0;
}

/* ------------------------------------------------------------------ */
/* Calls that make host descriptors */

/*
 * The rump kernel has no socket layer yet, so a family that RUMPHIJACK
 * sends there cannot be created at all.
 */
int
socket(int domain, int type, int protocol)
{

	if (hijack_sockfamily(domain)) {
		errno = EAFNOSUPPORT;
		return -1;
	}
	return hijack_hostfd(HOST(socket)(domain, type, protocol));
}

int
socketpair(int domain, int type, int protocol, int sv[2])
{

	if (hijack_sockfamily(domain)) {
		errno = EAFNOSUPPORT;
		return -1;
	}
	return hostfd_pair(HOST(socketpair)(domain, type, protocol, sv), sv);
}

int
accept(int fd, struct sockaddr *addr, socklen_t *addrlen)
{

	if (hijack_fdkind(fd, NULL) == HIJACK_RUMP) {
		errno = ENOTSOCK;
		return -1;
	}
	return hijack_hostfd(HOST(accept)(fd, addr, addrlen));
}

int
accept4(int fd, struct sockaddr *addr, socklen_t *addrlen, int flags)
{

	if (hijack_fdkind(fd, NULL) == HIJACK_RUMP) {
		errno = ENOTSOCK;
		return -1;
	}
	return hijack_hostfd(HOST(accept4)(fd, addr, addrlen, flags));
}

int
pipe(int fds[2])
{

	hijack_init();
	return hostfd_pair(HOST(pipe)(fds), fds);
}

int
pipe2(int fds[2], int flags)
{

	hijack_init();
	return hostfd_pair(HOST(pipe2)(fds, flags), fds);
}

int
eventfd(unsigned int count, int flags)
{

	hijack_init();
	return hijack_hostfd(HOST(eventfd)(count, flags));
}

int
epoll_create(int size)
{

	hijack_init();
	return hijack_hostfd(HOST(epoll_create)(size));
}

int
epoll_create1(int flags)
{

	hijack_init();
	return hijack_hostfd(HOST(epoll_create1)(flags));
}

int
inotify_init(void)
{

	hijack_init();
	return hijack_hostfd(HOST(inotify_init)());
}

int
inotify_init1(int flags)
{

	hijack_init();
	return hijack_hostfd(HOST(inotify_init1)(flags));
}

int
memfd_create(const char *name, unsigned int flags)
{

	hijack_init();
	return hijack_hostfd(HOST(memfd_create)(name, flags));
}

int
timerfd_create(int clockid, int flags)
{

	hijack_init();
	return hijack_hostfd(HOST(timerfd_create)(clockid, flags));
}

int
signalfd(int fd, const sigset_t *mask, int flags)
{

	if (fd != -1 && hijack_fdkind(fd, NULL) == HIJACK_RUMP) {
		errno = EINVAL;
		return -1;
	}
	return hijack_hostfd(HOST(signalfd)(fd, mask, flags));
}
