/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * librumphijack: stdio streams.
 *
 * glibc's stdio opens, reads and writes through internal calls that
 * LD_PRELOAD cannot intercept.  A stream on a rump file is therefore made
 * with fopencookie.  Its read, write, seek and close functions call the
 * hijacked read, write, lseek and close on the application's descriptor
 * number, so the stream follows that number to the kernel it belongs to.  fopen and fdopen make such streams for rump paths and
 * descriptors, fileno returns their descriptor, and freopen moves them.
 *
 * dprintf and vdprintf format through a glibc stream of their own on the
 * descriptor, whose writes no hijack intercepts either.  So for a rump
 * descriptor the text is formatted into memory and written with the
 * hijacked write.
 *
 * The same kind of stream replaces stdin, stdout or stderr while
 * descriptor 0, 1 or 2 is an alias of a rump descriptor, as after
 * "exec >/rump/file" in a shell or in a program started with its output
 * redirected there.  The stream variable is pointed at the stand-in and
 * set back to the original stream when the alias goes away.  A program
 * that kept a copy of the old pointer still writes to the placeholder
 * behind the alias, which is /dev/null.
 */

#undef _FORTIFY_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump_syscalls.h>

#include "hijack_core.h"

struct hijack_cookie {
	struct hijack_cookie *hc_next;	/* cookie_lock */
	FILE	*hc_fp;			/* fixed once made */
	int	hc_fd;			/* application's descriptor; the
					   stream's lock covers changes */
};

static pthread_mutex_t cookie_lock = PTHREAD_MUTEX_INITIALIZER;
static struct hijack_cookie *cookie_list;	/* cookie_lock */
static int cookie_count;	/* cookie_lock; also read atomically */

/* Stand-ins for the standard streams, by descriptor. */
static pthread_mutex_t std_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	FILE	*ss_standin;	/* std_lock; NULL until needed */
	FILE	*ss_orig;	/* std_lock; the stream it replaces */
} std_streams[3];

HIJACK_HOSTFN(fopen);
HIJACK_HOSTFN(fdopen);
HIJACK_HOSTFN(freopen);
HIJACK_HOSTFN(fileno);
HIJACK_HOSTFN(fileno_unlocked);
HIJACK_HOSTFN(fclose);
HIJACK_HOSTFN(vdprintf);
HIJACK_HOSTFN(__vdprintf_chk);

/* ------------------------------------------------------------------ */
/* Cookie streams */

static struct hijack_cookie *
cookie_find(FILE *fp)
{
	struct hijack_cookie *hc;

	if (fp == NULL || __atomic_load_n(&cookie_count, __ATOMIC_ACQUIRE) == 0)
		return NULL;
	pthread_mutex_lock(&cookie_lock);
	for (hc = cookie_list; hc != NULL; hc = hc->hc_next)
		if (hc->hc_fp == fp)
			break;
	pthread_mutex_unlock(&cookie_lock);
	return hc;
}

static ssize_t
cookie_read(void *arg, char *buf, size_t size)
{
	struct hijack_cookie *hc = arg;

	return read(hc->hc_fd, buf, size);
}

/* Write all of buf to fd; the bytes written, short only on an error. */
static ssize_t
stdio_writeall(int fd, const char *buf, size_t size)
{
	size_t done = 0;
	ssize_t n;

	while (done < size) {
		n = write(fd, buf + done, size - done);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return done > 0 ? (ssize_t)done : -1;
		}
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return (ssize_t)done;
}

/* glibc takes a short count as an error, so write it all. */
static ssize_t
cookie_write(void *arg, const char *buf, size_t size)
{
	struct hijack_cookie *hc = arg;

	return stdio_writeall(hc->hc_fd, buf, size);
}

static int
cookie_seek(void *arg, off64_t *offset, int whence)
{
	struct hijack_cookie *hc = arg;
	off_t pos;

	if ((pos = lseek(hc->hc_fd, *offset, whence)) == -1)
		return -1;
	*offset = pos;
	return 0;
}

static int
cookie_close(void *arg)
{
	struct hijack_cookie *hc = arg, **hp;
	int fd = hc->hc_fd, slot;

	pthread_mutex_lock(&cookie_lock);
	for (hp = &cookie_list; *hp != NULL; hp = &(*hp)->hc_next) {
		if (*hp == hc) {
			*hp = hc->hc_next;
			__atomic_store_n(&cookie_count, cookie_count - 1,
			    __ATOMIC_RELEASE);
			break;
		}
	}
	pthread_mutex_unlock(&cookie_lock);

	/* A stand-in being closed: the variable gets its stream back. */
	pthread_mutex_lock(&std_lock);
	for (slot = 0; slot < 3; slot++)
		if (std_streams[slot].ss_standin == hc->hc_fp)
			std_streams[slot].ss_standin = NULL;
	if (stdin == hc->hc_fp)
		stdin = std_streams[0].ss_orig;
	if (stdout == hc->hc_fp)
		stdout = std_streams[1].ss_orig;
	if (stderr == hc->hc_fp)
		stderr = std_streams[2].ss_orig;
	pthread_mutex_unlock(&std_lock);

	free(hc);
	return close(fd);
}

static const cookie_io_functions_t cookie_funcs = {
	.read = cookie_read,
	.write = cookie_write,
	.seek = cookie_seek,
	.close = cookie_close,
};

/* A stream on descriptor fd with fopencookie mode cmode. */
static FILE *
cookie_make(int fd, const char *cmode)
{
	struct hijack_cookie *hc;

	if ((hc = calloc(1, sizeof(*hc))) == NULL)
		return NULL;
	hc->hc_fd = fd;
	if ((hc->hc_fp = fopencookie(hc, cmode, cookie_funcs)) == NULL) {
		free(hc);
		return NULL;
	}
	pthread_mutex_lock(&cookie_lock);
	hc->hc_next = cookie_list;
	cookie_list = hc;
	__atomic_store_n(&cookie_count, cookie_count + 1, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&cookie_lock);
	return hc->hc_fp;
}

/*
 * Turn an fopen mode into open flags and the mode for fopencookie.  The
 * stream itself is always made readable and writable ("r+", or "a+" for
 * appending), and the descriptor's access mode decides what succeeds, so
 * that freopen can move a stream to a file opened with another mode.
 * Returns -1 for a mode that does not start with r, w or a.
 */
static int
stdio_modeflags(const char *mode, char cmode[3])
{
	int flags;
	const char *p;

	switch (mode[0]) {
	case 'r':
		flags = O_RDONLY;
		break;
	case 'w':
		flags = O_WRONLY | O_CREAT | O_TRUNC;
		break;
	case 'a':
		flags = O_WRONLY | O_CREAT | O_APPEND;
		break;
	default:
		errno = EINVAL;
		return -1;
	}
	cmode[0] = mode[0] == 'a' ? 'a' : 'r';
	cmode[1] = '+';
	cmode[2] = '\0';
	for (p = mode + 1; *p != '\0' && *p != ','; p++) {
		switch (*p) {
		case '+':
			flags = (flags & ~O_ACCMODE) | O_RDWR;
			break;
		case 'x':
			flags |= O_EXCL;
			break;
		case 'e':
			flags |= O_CLOEXEC;
			break;
		default:
			/* b, t, m, c and the rest change nothing here. */
			break;
		}
	}
	return flags;
}

/* ------------------------------------------------------------------ */
/* Stand-ins for stdin, stdout and stderr */

static FILE **
std_var(int slot)
{

	switch (slot) {
	case 0:
		return &stdin;
	case 1:
		return &stdout;
	default:
		return &stderr;
	}
}

void
hijack_stdio_flush(int slot)
{
	FILE *fp;

	if (slot < 0 || slot > 2)
		return;
	pthread_mutex_lock(&std_lock);
	fp = *std_var(slot);
	pthread_mutex_unlock(&std_lock);
	if (fp != NULL && slot != 0)
		(void)fflush(fp);
}

void
hijack_stdio_attach(int slot)
{
	FILE **var;

	if (slot < 0 || slot > 2)
		return;
	var = std_var(slot);
	pthread_mutex_lock(&std_lock);
	if (std_streams[slot].ss_standin == NULL) {
		FILE *fp = cookie_make(slot, "r+");

		if (fp == NULL) {
			pthread_mutex_unlock(&std_lock);
			return;
		}
		if (slot == 2)
			setvbuf(fp, NULL, _IONBF, 0);
		std_streams[slot].ss_standin = fp;
	}
	if (*var != std_streams[slot].ss_standin) {
		std_streams[slot].ss_orig = *var;
		*var = std_streams[slot].ss_standin;
	}
	pthread_mutex_unlock(&std_lock);
}

void
hijack_stdio_detach(int slot)
{
	FILE **var;

	if (slot < 0 || slot > 2)
		return;
	var = std_var(slot);
	pthread_mutex_lock(&std_lock);
	if (std_streams[slot].ss_standin != NULL &&
	    *var == std_streams[slot].ss_standin)
		*var = std_streams[slot].ss_orig;
	pthread_mutex_unlock(&std_lock);
}

/* Which standard stream fp is (the variable, its stand-in or the original). */
static int
std_slot(FILE *fp)
{
	int slot, found = -1;

	pthread_mutex_lock(&std_lock);
	for (slot = 0; slot < 3 && found < 0; slot++)
		if (fp == *std_var(slot) ||
		    (fp != NULL && (fp == std_streams[slot].ss_standin ||
		    fp == std_streams[slot].ss_orig)))
			found = slot;
	pthread_mutex_unlock(&std_lock);
	return found;
}

/* ------------------------------------------------------------------ */
/* fopen, fdopen, freopen, fileno */

/* A host stream whose descriptor would read as a rump one is undone. */
static FILE *
stdio_hostfp(FILE *fp)
{

	if (fp != NULL && HOST(fileno)(fp) >= hijack_fdoff) {
		HOST(fclose)(fp);
		errno = ENFILE;
		return NULL;
	}
	return fp;
}

FILE *
fopen(const char *path, const char *mode)
{
	const char *rpath;
	char cmode[3];
	FILE *fp;
	int flags, fd, error;

	if (!hijack_rumppath(path, &rpath))
		return stdio_hostfp(HOST(fopen)(path, mode));
	if ((flags = stdio_modeflags(mode, cmode)) == -1)
		return NULL;
	if ((fd = hijack_fdout(rump_sys_open(rpath, flags, 0666))) == -1)
		return NULL;
	if ((fp = cookie_make(fd, cmode)) == NULL) {
		error = errno;
		close(fd);
		errno = error;
	}
	return fp;
}

FILE *
fopen64(const char *path, const char *mode)
{

	return fopen(path, mode);
}

FILE *
fdopen(int fd, const char *mode)
{
	char cmode[3];
	int rfd, flags, fl;

	if (hijack_fdkind(fd, &rfd) == HIJACK_HOST)
		return HOST(fdopen)(fd, mode);
	if ((flags = stdio_modeflags(mode, cmode)) == -1)
		return NULL;
	if ((fl = rump_sys_fcntl(rfd, F_GETFL)) == -1)
		return NULL;
	/* The stream may not ask for more access than the descriptor has. */
	if (((flags & O_ACCMODE) != O_WRONLY && (fl & O_ACCMODE) == O_WRONLY) ||
	    ((flags & O_ACCMODE) != O_RDONLY && (fl & O_ACCMODE) == O_RDONLY)) {
		errno = EINVAL;
		return NULL;
	}
	/* As glibc does, an "a" stream makes the descriptor append. */
	if ((flags & O_APPEND) && !(fl & O_APPEND) &&
	    rump_sys_fcntl(rfd, F_SETFL, fl | O_APPEND) == -1)
		return NULL;
	return cookie_make(fd, cmode);
}

/* freopen of one of our streams: it moves to the new file's descriptor. */
static FILE *
stdio_reopen_cookie(struct hijack_cookie *hc, const char *path,
    const char *mode)
{
	char cmode[3];
	int flags, fd, old, fl;

	(void)fflush(hc->hc_fp);
	if ((flags = stdio_modeflags(mode, cmode)) == -1)
		return NULL;
	if (path == NULL) {
		/* Only appending can change on the same descriptor. */
		if ((fl = fcntl(hc->hc_fd, F_GETFL)) == -1 ||
		    fcntl(hc->hc_fd, F_SETFL, (fl & ~O_APPEND) |
		    (flags & O_APPEND)) == -1)
			return NULL;
		return hc->hc_fp;
	}
	if ((fd = open(path, flags, 0666)) == -1)
		return NULL;
	flockfile(hc->hc_fp);
	old = hc->hc_fd;
	hc->hc_fd = fd;
	funlockfile(hc->hc_fp);
	close(old);
	(void)fseeko(hc->hc_fp, 0, SEEK_SET);
	clearerr(hc->hc_fp);
	return hc->hc_fp;
}

/*
 * freopen of stdin, stdout or stderr.  A rump path becomes an alias of
 * the standard descriptor, and the variable is pointed at its stand-in.
 * A host path first undoes such an alias and then goes to glibc.
 */
static FILE *
stdio_reopen_std(const char *path, const char *mode, FILE *fp, int slot)
{
	const char *rpath;
	char cmode[3];
	int flags, fd, error;

	(void)fflush(fp);
	if (path != NULL && hijack_rumppath(path, &rpath)) {
		if ((flags = stdio_modeflags(mode, cmode)) == -1)
			return NULL;
		if ((fd = open(path, flags, 0666)) == -1)
			return NULL;
		if (dup2(fd, slot) == -1) {
			error = errno;
			close(fd);
			errno = error;
			return NULL;
		}
		close(fd);
		return *std_var(slot);
	}
	if (hijack_fdkind(slot, NULL) == HIJACK_RUMP) {
		if (path == NULL)
			return *std_var(slot);
		(void)close(slot);
	}
	pthread_mutex_lock(&std_lock);
	fp = *std_var(slot);
	pthread_mutex_unlock(&std_lock);
	return HOST(freopen)(path, mode, fp);
}

FILE *
freopen(const char *path, const char *mode, FILE *fp)
{
	struct hijack_cookie *hc;
	const char *rpath;
	int slot;

	hijack_init();
	if ((slot = std_slot(fp)) >= 0)
		return stdio_reopen_std(path, mode, fp, slot);
	if ((hc = cookie_find(fp)) != NULL)
		return stdio_reopen_cookie(hc, path, mode);
	if (path != NULL && hijack_rumppath(path, &rpath)) {
		/*
		 * glibc's own stream cannot be moved into the rump kernel
		 * and a new one would leave the caller's pointer dangling.
		 */
		errno = ENOTSUP;
		return NULL;
	}
	return HOST(freopen)(path, mode, fp);
}

FILE *
freopen64(const char *path, const char *mode, FILE *fp)
{

	return freopen(path, mode, fp);
}

int
fileno(FILE *fp)
{
	struct hijack_cookie *hc;

	if ((hc = cookie_find(fp)) != NULL)
		return hc->hc_fd;
	return HOST(fileno)(fp);
}

int
fileno_unlocked(FILE *fp)
{
	struct hijack_cookie *hc;

	if ((hc = cookie_find(fp)) != NULL)
		return hc->hc_fd;
	return HOST(fileno_unlocked)(fp);
}

/* ------------------------------------------------------------------ */
/* dprintf */

/* Write the text of a vasprintf (len bytes, or -1 for none) to fd. */
static int
stdio_dprint(int fd, char *text, int len)
{
	ssize_t n;

	if (len < 0)
		return -1;
	n = stdio_writeall(fd, text, (size_t)len);
	free(text);
	return n == len ? len : -1;
}

int
vdprintf(int fd, const char *fmt, va_list ap)
{
	char *text = NULL;

	if (hijack_fdkind(fd, NULL) == HIJACK_HOST)
		return HOST(vdprintf)(fd, fmt, ap);
	return stdio_dprint(fd, text, vasprintf(&text, fmt, ap));
}

int
dprintf(int fd, const char *fmt, ...)
{
	va_list ap;
	int rv;

	va_start(ap, fmt);
	rv = vdprintf(fd, fmt, ap);
	va_end(ap);
	return rv;
}

/* The fortified forms keep glibc's checks of the format. */
int
__vdprintf_chk(int fd, int flag, const char *fmt, va_list ap)
{
	char *text = NULL;

	if (hijack_fdkind(fd, NULL) == HIJACK_HOST)
		return HOST(__vdprintf_chk)(fd, flag, fmt, ap);
	return stdio_dprint(fd, text, __vasprintf_chk(&text, flag, fmt, ap));
}

int
__dprintf_chk(int fd, int flag, const char *fmt, ...)
{
	va_list ap;
	int rv;

	va_start(ap, fmt);
	rv = __vdprintf_chk(fd, flag, fmt, ap);
	va_end(ap);
	return rv;
}
