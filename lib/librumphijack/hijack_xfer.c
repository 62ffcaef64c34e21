/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * librumphijack: sendfile, sendfile64, copy_file_range and splice.
 *
 * When both descriptors are the host's, the host's call does the work.
 * When either is a rump descriptor, no kernel can move the data on its
 * own.  The data is read from one kernel into a buffer and written to the
 * other (or the same) kernel, with the offsets, counts and errors of the
 * Linux call.  The rump kernel has no sendfile, copy_file_range or splice
 * of its own.
 *
 * Data read from the input but not written to the output is put back: an
 * explicit input offset simply does not advance, and the input's file
 * offset is moved back with lseek.  An input that cannot seek (a pipe or a
 * socket) cannot take data back.  So after a short write, the rest is
 * written once the output accepts it, even when the output is
 * non-blocking, because the data would be lost otherwise.
 */

#include <sys/types.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump_syscalls.h>

#include "hijack.h"

/* Bytes moved per read and write. */
#define XFER_CHUNK	(128 * 1024)

/* Linux's limit on the bytes of one read or write (MAX_RW_COUNT). */
#define XFER_MAXCOUNT	0x7ffff000

ssize_t	sendfile64(int, int, off_t *, size_t);

static ssize_t (*host_sendfile)(int, int, off_t *, size_t);
static ssize_t (*host_copy_file_range)(int, off_t *, int, off_t *, size_t,
    unsigned int);
static ssize_t (*host_splice)(int, off_t *, int, off_t *, size_t,
    unsigned int);
static ssize_t (*host_read)(int, void *, size_t);
static ssize_t (*host_write)(int, const void *, size_t);
static ssize_t (*host_pread)(int, void *, size_t, off_t);
static ssize_t (*host_pwrite)(int, const void *, size_t, off_t);
static off_t (*host_lseek)(int, off_t, int);
static int (*host_fcntl)(int, int, ...);
static int (*host_poll)(struct pollfd *, nfds_t, int);

static pthread_once_t xfer_once = PTHREAD_ONCE_INIT;

static void
xfer_resolve(void)
{

	host_sendfile = hijack_hostsym("sendfile");
	host_copy_file_range = hijack_hostsym("copy_file_range");
	host_splice = hijack_hostsym("splice");
	host_read = hijack_hostsym("read");
	host_write = hijack_hostsym("write");
	host_pread = hijack_hostsym("pread64");
	host_pwrite = hijack_hostsym("pwrite64");
	host_lseek = hijack_hostsym("lseek64");
	host_fcntl = hijack_hostsym("fcntl");
	host_poll = hijack_hostsym("poll");
}

static void
xfer_init(void)
{

	hijack_init();
	pthread_once(&xfer_once, xfer_resolve);
}

/* One end of a transfer: a descriptor in the kernel it belongs to. */
struct xfer_end {
	enum hijack_kind xe_kind;
	int		xe_fd;		/* the host's or the rump kernel's number */
	off_t		*xe_off;	/* explicit offset, NULL for the file's */
	bool		xe_nonblock;	/* O_NONBLOCK on the descriptor */
	struct stat	xe_st;
};

/*
 * Fill in e for the application's descriptor fd.  Returns its file status
 * flags (F_GETFL), or -1 with errno set.
 */
static int
xfer_end_init(struct xfer_end *e, int fd, off_t *off)
{
	int flags;

	e->xe_kind = hijack_fdkind(fd, &e->xe_fd);
	if (e->xe_kind == HIJACK_HOST)
		e->xe_fd = fd;
	e->xe_off = off;
	if (e->xe_kind == HIJACK_RUMP) {
		flags = rump_sys_fcntl(e->xe_fd, F_GETFL);
		if (flags < 0 || rump_sys_fstat(e->xe_fd, &e->xe_st) != 0)
			return -1;
	} else {
		flags = host_fcntl(e->xe_fd, F_GETFL);
		if (flags < 0 || syscall(SYS_fstat, e->xe_fd, &e->xe_st) != 0)
			return -1;
	}
	e->xe_nonblock = (flags & O_NONBLOCK) != 0;
	return flags;
}

static ssize_t
xfer_read(const struct xfer_end *e, void *buf, size_t len)
{

	if (e->xe_kind == HIJACK_RUMP)
		return e->xe_off != NULL ?
		    rump_sys_pread(e->xe_fd, buf, len, *e->xe_off) :
		    rump_sys_read(e->xe_fd, buf, len);
	return e->xe_off != NULL ? host_pread(e->xe_fd, buf, len, *e->xe_off) :
	    host_read(e->xe_fd, buf, len);
}

static ssize_t
xfer_write(const struct xfer_end *e, const void *buf, size_t len)
{

	if (e->xe_kind == HIJACK_RUMP)
		return e->xe_off != NULL ?
		    rump_sys_pwrite(e->xe_fd, buf, len, *e->xe_off) :
		    rump_sys_write(e->xe_fd, buf, len);
	return e->xe_off != NULL ?
	    host_pwrite(e->xe_fd, buf, len, *e->xe_off) :
	    host_write(e->xe_fd, buf, len);
}

/* Move the file offset of e back by len bytes; false if it cannot seek. */
static bool
xfer_unread(const struct xfer_end *e, size_t len)
{
	off_t back = -(off_t)len;

	if (len == 0 || e->xe_off != NULL)
		return true;
	if (e->xe_kind == HIJACK_RUMP)
		return rump_sys_lseek(e->xe_fd, back, SEEK_CUR) >= 0;
	return host_lseek(e->xe_fd, back, SEEK_CUR) >= 0;
}

/* Wait until e can take data (POLLOUT) or is broken. */
static void
xfer_waitout(const struct xfer_end *e)
{
	struct pollfd pfd = { .fd = e->xe_fd, .events = POLLOUT };

	if (e->xe_kind == HIJACK_RUMP)
		(void)rump_sys_poll(&pfd, 1, -1);
	else
		(void)host_poll(&pfd, 1, -1);
}

/* Whether e would not block for events right now. */
static bool
xfer_ready(const struct xfer_end *e, short events)
{
	struct pollfd pfd = { .fd = e->xe_fd, .events = events };
	int n;

	if (e->xe_kind == HIJACK_RUMP)
		n = rump_sys_poll(&pfd, 1, 0);
	else
		n = host_poll(&pfd, 1, 0);
	return n != 0;
}

/*
 * Copy up to count bytes from in to out.  With once set, stop after one
 * read, as splice does; otherwise go on until count bytes, the end of the
 * input or an error.  Explicit offsets advance by the bytes written.
 * Returns the bytes written, or -1 with errno when nothing was.
 */
static ssize_t
xfer_copy(struct xfer_end *in, struct xfer_end *out, size_t count,
    size_t chunk, bool once)
{
	char *buf;
	size_t total = 0, len, done;
	ssize_t n, w;
	int error = 0;

	if (count > XFER_MAXCOUNT)
		count = XFER_MAXCOUNT;
	if (count == 0)
		return 0;
	if ((buf = malloc(chunk)) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	while (total < count) {
		len = count - total < chunk ? count - total : chunk;
		n = xfer_read(in, buf, len);
		if (n < 0) {
			error = errno;
			break;
		}
		if (n == 0)
			break;
		if (in->xe_off != NULL)
			*in->xe_off += n;

		for (done = 0; done < (size_t)n; done += (size_t)w) {
			w = xfer_write(out, buf + done, (size_t)n - done);
			if (w > 0) {
				if (out->xe_off != NULL)
					*out->xe_off += w;
				continue;
			}
			if (w == 0) {
				/* No progress and no error: give the rest back. */
				(void)xfer_unread(in, (size_t)n - done);
				break;
			}
			w = 0;
			error = errno;
			if (error == EAGAIN || error == EINTR) {
				/* Stop here if the input can take the rest back. */
				if (in->xe_off != NULL || xfer_unread(in, (size_t)n - done))
					break;
				if (error == EAGAIN)
					xfer_waitout(out);
				error = 0;
				continue;
			}
			(void)xfer_unread(in, (size_t)n - done);
			break;
		}
		if (in->xe_off != NULL)
			*in->xe_off -= (off_t)((size_t)n - done);
		total += done;
		if (error != 0 || once || done < (size_t)n)
			break;
	}
	free(buf);
	if (total == 0 && error != 0) {
		errno = error;
		return -1;
	}
	return (ssize_t)total;
}

ssize_t
sendfile(int outfd, int infd, off_t *offset, size_t count)
{
	struct xfer_end in, out;
	int inflags, outflags;

	xfer_init();
	if (hijack_fdkind(outfd, &out.xe_fd) == HIJACK_HOST &&
	    hijack_fdkind(infd, &in.xe_fd) == HIJACK_HOST)
		return host_sendfile(outfd, infd, offset, count);

	if ((inflags = xfer_end_init(&in, infd, offset)) < 0 ||
	    (outflags = xfer_end_init(&out, outfd, NULL)) < 0)
		return -1;
	if ((inflags & O_ACCMODE) == O_WRONLY ||
	    (outflags & O_ACCMODE) == O_RDONLY) {
		errno = EBADF;
		return -1;
	}
	if ((outflags & O_APPEND) != 0 || (offset != NULL && *offset < 0)) {
		errno = EINVAL;
		return -1;
	}
	return xfer_copy(&in, &out, count, XFER_CHUNK, false);
}

ssize_t
sendfile64(int outfd, int infd, off_t *offset, size_t count)
{

	return sendfile(outfd, infd, offset, count);
}

ssize_t
copy_file_range(int infd, off_t *inoff, int outfd, off_t *outoff, size_t len,
    unsigned int flags)
{
	struct xfer_end in, out;
	int inflags, outflags;
	off_t inpos, outpos;

	xfer_init();
	if (hijack_fdkind(infd, &in.xe_fd) == HIJACK_HOST &&
	    hijack_fdkind(outfd, &out.xe_fd) == HIJACK_HOST)
		return host_copy_file_range(infd, inoff, outfd, outoff, len,
		    flags);

	if (flags != 0) {
		errno = EINVAL;
		return -1;
	}
	if ((inflags = xfer_end_init(&in, infd, inoff)) < 0 ||
	    (outflags = xfer_end_init(&out, outfd, outoff)) < 0)
		return -1;
	if ((inflags & O_ACCMODE) == O_WRONLY ||
	    (outflags & O_ACCMODE) == O_RDONLY || (outflags & O_APPEND) != 0) {
		errno = EBADF;
		return -1;
	}
	if (S_ISDIR(in.xe_st.st_mode) || S_ISDIR(out.xe_st.st_mode)) {
		errno = EISDIR;
		return -1;
	}
	if (!S_ISREG(in.xe_st.st_mode) || !S_ISREG(out.xe_st.st_mode) ||
	    (inoff != NULL && *inoff < 0) || (outoff != NULL && *outoff < 0)) {
		errno = EINVAL;
		return -1;
	}

	/*
	 * Linux rejects overlapping ranges of one file.  Two descriptors of
	 * different kernels never name the same file, so both are rump ones.
	 */
	if (in.xe_kind == out.xe_kind && in.xe_st.st_dev == out.xe_st.st_dev &&
	    in.xe_st.st_ino == out.xe_st.st_ino && len > 0) {
		inpos = inoff != NULL ? *inoff : rump_sys_lseek(in.xe_fd, 0,
		    SEEK_CUR);
		outpos = outoff != NULL ? *outoff : rump_sys_lseek(out.xe_fd, 0,
		    SEEK_CUR);
		if (inpos < 0 || outpos < 0 ||
		    (inpos < outpos + (off_t)len && outpos < inpos + (off_t)len)) {
			errno = EINVAL;
			return -1;
		}
	}
	return xfer_copy(&in, &out, len, XFER_CHUNK, false);
}

ssize_t
splice(int infd, off_t *inoff, int outfd, off_t *outoff, size_t len,
    unsigned int flags)
{
	struct xfer_end in, out;
	int inflags, outflags;
	size_t chunk = XFER_CHUNK;
	bool inpipe, outpipe;

	xfer_init();
	if (hijack_fdkind(infd, &in.xe_fd) == HIJACK_HOST &&
	    hijack_fdkind(outfd, &out.xe_fd) == HIJACK_HOST)
		return host_splice(infd, inoff, outfd, outoff, len, flags);

	if ((inflags = xfer_end_init(&in, infd, inoff)) < 0 ||
	    (outflags = xfer_end_init(&out, outfd, outoff)) < 0)
		return -1;
	if ((inflags & O_ACCMODE) == O_WRONLY ||
	    (outflags & O_ACCMODE) == O_RDONLY) {
		errno = EBADF;
		return -1;
	}
	inpipe = S_ISFIFO(in.xe_st.st_mode);
	outpipe = S_ISFIFO(out.xe_st.st_mode);
	if (!inpipe && !outpipe) {
		errno = EINVAL;
		return -1;
	}
	if ((inpipe && inoff != NULL) || (outpipe && outoff != NULL)) {
		errno = ESPIPE;
		return -1;
	}
	if ((inoff != NULL && *inoff < 0) || (outoff != NULL && *outoff < 0) ||
	    (outflags & O_APPEND) != 0) {
		errno = EINVAL;
		return -1;
	}

	/*
	 * SPLICE_F_NONBLOCK makes the pipe ends non-blocking.  A pipe that
	 * reports POLLOUT takes PIPE_BUF bytes at least, so the chunk is
	 * limited to that when the output pipe must not block.
	 */
	if ((flags & SPLICE_F_NONBLOCK) != 0) {
		if ((inpipe && !xfer_ready(&in, POLLIN)) ||
		    (outpipe && !xfer_ready(&out, POLLOUT))) {
			errno = EAGAIN;
			return -1;
		}
		if (outpipe)
			chunk = PIPE_BUF;
	}
	return xfer_copy(&in, &out, len, chunk, true);
}
