/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Hypercalls for initialisation, parameters, memory, host files, clocks,
 * errno, termination, signals, the console and randomness, implemented on
 * Linux and glibc.  Threads and locks are in rumpuser_pth.c, asynchronous
 * block I/O in rumpuser_bio.c, component discovery in rumpuser_dl.c,
 * daemonisation in rumpuser_daemonize.c.
 *
 * The kernel calls these with a virtual CPU held.  Calls that can block in
 * the host (opening, reading, writing and syncing files, sleeping) release
 * the CPU for the duration of the host call.  Error returns are host errno
 * values, which this kernel uses unchanged.
 */

#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>

#include <linux/fs.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rump/rumpuser.h>

#include "rumpuser_int.h"

/* Largest RUMP_NCPU value accepted. */
#define RUMPUSER_NCPU_MAX	256

/* Permissions of files created by rumpuser_open(), before the umask. */
#define RUMPUSER_CREATE_MODE	0644

/* Length of the per-thread console line buffer. */
#define RUMPUSER_CONSOLE_LINE	512

/* Aligned anonymous ranges from this size up are populated at once. */
#define POPULATE_MIN		((size_t)2 << 20)
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE	23	/* Linux 5.14, for older C headers */
#endif

struct rumpuser_hyperup rumpuser__hyp;

_Static_assert(sizeof(struct rumpuser_iovec) == sizeof(struct iovec),
    "struct rumpuser_iovec must have the layout of struct iovec");
_Static_assert(offsetof(struct rumpuser_iovec, iov_base) ==
    offsetof(struct iovec, iov_base), "iov_base offset differs");
_Static_assert(offsetof(struct rumpuser_iovec, iov_len) ==
    offsetof(struct iovec, iov_len), "iov_len offset differs");

void
rumpuser__fatal_error(const char *call, int error)
{

	rumpuser__console_flush();
	errno = error;
	fprintf(stderr, "rumpuser: %s failed: %m\n", call);
	abort();
}

void
rumpuser__fatal(const char *fmt, ...)
{
	va_list ap;

	rumpuser__console_flush();
	fputs("rumpuser: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/*
 * Check the interface version and keep a copy of the upcall table.  Must be
 * the first hypercall.  The table must provide at least the upcalls that
 * this library makes: schedule, unschedule, the two backend ones and
 * lwproc_newlwp.  Returns EINVAL on a version mismatch or a missing upcall.
 */
int
rumpuser_init(int version, const struct rumpuser_hyperup *hyp)
{

	if (version != RUMPUSER_VERSION) {
		fprintf(stderr, "rumpuser: the kernel requests hypercall "
		    "interface version %d, but this library implements "
		    "version %d\n", version, RUMPUSER_VERSION);
		return EINVAL;
	}
	if (hyp == NULL || hyp->hyp_schedule == NULL ||
	    hyp->hyp_unschedule == NULL ||
	    hyp->hyp_backend_unschedule == NULL ||
	    hyp->hyp_backend_schedule == NULL ||
	    hyp->hyp_lwproc_newlwp == NULL) {
		fprintf(stderr, "rumpuser: rumpuser_init: the upcall table "
		    "is missing or lacks a scheduling upcall\n");
		return EINVAL;
	}

	rumpuser__hyp = *hyp;
	return 0;
}

/*
 * Parameters
 */

/* Copy value with its NUL into buf, or return ENOMEM if it does not fit. */
static int
param_copy(const char *value, void *buf, size_t buflen)
{
	size_t len;

	len = strlen(value) + 1;
	if (len > buflen)
		return ENOMEM;
	memcpy(buf, value, len);
	return 0;
}

/* Store n as a decimal string in buf. */
static int
param_copy_u64(uint64_t n, void *buf, size_t buflen)
{
	char text[24];

	snprintf(text, sizeof(text), "%" PRIu64, n);
	return param_copy(text, buf, buflen);
}

static unsigned long
host_ncpu(void)
{
	long n;

	n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		return 1;
	if (n > RUMPUSER_NCPU_MAX)
		return RUMPUSER_NCPU_MAX;
	return (unsigned long)n;
}

static uint64_t
host_physmem(void)
{
	long pages, pagesize;

	pages = sysconf(_SC_PHYS_PAGES);
	pagesize = sysconf(_SC_PAGESIZE);
	if (pages < 1 || pagesize < 1)
		return 0;
	return (uint64_t)pages * (uint64_t)pagesize;
}

/*
 * Parse the leading decimal digits of text into *valuep and return a
 * pointer to the first character after them, or NULL if there are no
 * digits or the number does not fit in 64 bits.
 */
static const char *
parse_decimal(const char *text, uint64_t *valuep)
{
	uint64_t value;
	const char *p;

	value = 0;
	for (p = text; *p >= '0' && *p <= '9'; p++) {
		if (__builtin_mul_overflow(value, 10, &value) ||
		    __builtin_add_overflow(value, (uint64_t)(*p - '0'),
		    &value))
			return NULL;
	}
	if (p == text)
		return NULL;
	*valuep = value;
	return p;
}

/*
 * Store the number of virtual CPUs, taken from RUMP_NCPU.  Unset or
 * "host" means the number of online host CPUs, capped at
 * RUMPUSER_NCPU_MAX.  Anything else must be a decimal number from 1 to
 * RUMPUSER_NCPU_MAX.
 */
static int
param_ncpu(void *buf, size_t buflen)
{
	const char *text, *end;
	uint64_t ncpu;

	text = getenv("RUMP_NCPU");
	if (text == NULL || strcmp(text, "host") == 0)
		return param_copy_u64(host_ncpu(), buf, buflen);

	end = parse_decimal(text, &ncpu);
	if (end == NULL || *end != '\0' || ncpu < 1 ||
	    ncpu > RUMPUSER_NCPU_MAX) {
		fprintf(stderr, "rumpuser: invalid RUMP_NCPU \"%s\": expected "
		    "a number of virtual CPUs from 1 to %d, or \"host\"\n",
		    text, RUMPUSER_NCPU_MAX);
		return EINVAL;
	}
	return param_copy_u64(ncpu, buf, buflen);
}

/*
 * Store the kernel's host name.  It is RUMP_HOSTNAME if that is set and
 * not empty, otherwise "rump-<pid>.<host name>" with the pid zero-padded
 * to five digits, or "rump-<pid>" if the host name is unavailable.
 */
static int
param_hostname(void *buf, size_t buflen)
{
	char hostname[HOST_NAME_MAX + 1];
	char name[sizeof(hostname) + 32];
	const char *text;

	text = getenv("RUMP_HOSTNAME");
	if (text != NULL && text[0] != '\0')
		return param_copy(text, buf, buflen);

	if (gethostname(hostname, sizeof(hostname)) == 0) {
		hostname[sizeof(hostname) - 1] = '\0';
		snprintf(name, sizeof(name), "rump-%05d.%s", (int)getpid(),
		    hostname);
	} else {
		snprintf(name, sizeof(name), "rump-%d", (int)getpid());
	}
	return param_copy(name, buf, buflen);
}

/*
 * Parse a memory limit: decimal bytes with an optional k, m or g suffix
 * (either case, powers of 1024), or "<n>%" of host physical memory with n
 * from 1 to 100.  Returns EINVAL for anything else, for 0 bytes and for a
 * result that does not fit in 64 bits.
 */
static int
parse_memlimit(const char *text, uint64_t *bytesp)
{
	uint64_t value, physmem, bytes;
	unsigned int shift;
	const char *p;

	p = parse_decimal(text, &value);
	if (p == NULL)
		return EINVAL;

	if (p[0] == '%') {
		if (p[1] != '\0' || value < 1 || value > 100)
			return EINVAL;
		physmem = host_physmem();
		/* Split the product so that it cannot overflow. */
		bytes = physmem / 100 * value + physmem % 100 * value / 100;
		if (bytes == 0)
			return EINVAL;
		*bytesp = bytes;
		return 0;
	}

	switch (p[0]) {
	case '\0':
		shift = 0;
		break;
	case 'k':
	case 'K':
		shift = 10;
		break;
	case 'm':
	case 'M':
		shift = 20;
		break;
	case 'g':
	case 'G':
		shift = 30;
		break;
	default:
		return EINVAL;
	}
	if (shift != 0 && p[1] != '\0')
		return EINVAL;
	if (value == 0 || value > (UINT64_MAX >> shift))
		return EINVAL;
	*bytesp = value << shift;
	return 0;
}

static int
param_memlimit(void *buf, size_t buflen)
{
	const char *text;
	uint64_t bytes;

	text = getenv("RUMP_MEMLIMIT");
	if (text == NULL)
		return ENOENT;
	if (parse_memlimit(text, &bytes) != 0) {
		fprintf(stderr, "rumpuser: invalid RUMP_MEMLIMIT \"%s\": "
		    "expected a positive number of bytes with an optional "
		    "k, m or g suffix, or a percentage of host memory from "
		    "1%% to 100%%\n", text);
		return EINVAL;
	}
	return param_copy_u64(bytes, buf, buflen);
}

/*
 * Look up the host parameter name and store its value in buf as a
 * NUL-terminated string.  The parameters are:
 *
 *   _RUMPUSER_NCPU      number of virtual CPUs (see param_ncpu)
 *   _RUMPUSER_HOSTNAME  kernel host name (see param_hostname)
 *   _RUMPUSER_PHYSMEM   host physical memory in bytes
 *   RUMP_MEMLIMIT       the environment variable, converted to bytes
 *   anything else       the environment variable of that name
 *
 * Returns EINVAL for an unknown name starting with '_' or a malformed
 * value, ENOENT for an unset variable, and ENOMEM if the value and its NUL
 * do not fit in buflen bytes, in which case buf is left unchanged.
 */
int
rumpuser_getparam(const char *name, void *buf, size_t buflen)
{
	const char *value;

	if (name == NULL)
		return EINVAL;

	if (strcmp(name, RUMPUSER_PARAM_NCPU) == 0)
		return param_ncpu(buf, buflen);
	if (strcmp(name, RUMPUSER_PARAM_HOSTNAME) == 0)
		return param_hostname(buf, buflen);
	if (strcmp(name, "_RUMPUSER_PHYSMEM") == 0)
		return param_copy_u64(host_physmem(), buf, buflen);
	if (name[0] == '_')
		return EINVAL;
	if (strcmp(name, "RUMP_MEMLIMIT") == 0)
		return param_memlimit(buf, buflen);

	value = getenv(name);
	if (value == NULL)
		return ENOENT;
	return param_copy(value, buf, buflen);
}

/*
 * Memory
 */

/*
 * Allocate len bytes aligned to alignment, a power of two, or to pointer
 * size if alignment is 0.  Returns EINVAL for any other alignment and
 * ENOMEM when out of memory.
 */
int
rumpuser_malloc(size_t len, int alignment, void **memp)
{
	size_t align;
	void *mem;
	int error;

	if (alignment < 0 || (alignment & (alignment - 1)) != 0)
		return EINVAL;
	align = (size_t)alignment;
	if (align < sizeof(void *))
		align = sizeof(void *);

	error = posix_memalign(&mem, align, len);
	if (error != 0)
		return error;
	*memp = mem;
	return 0;
}

/* Free memory from rumpuser_malloc().  len is the length requested. */
void
rumpuser_free(void *mem, size_t len)
{

	(void)len;
	free(mem);
}

/*
 * Map size bytes of anonymous, private, zero-filled read/write memory,
 * also executable if exec is non-zero, at an address aligned to
 * 2^alignbit bytes (alignbit 0 means page alignment).  prefaddr is a hint.
 * An alignment above the page size is met by mapping size plus the
 * alignment and unmapping the excess at both ends.
 */
int
rumpuser_anonmmap(void *prefaddr, size_t size, int alignbit, int exec,
    void **memp)
{
	size_t pagesize, align, maplen, head, tail;
	uintptr_t start, aligned;
	void *mem;
	int prot;

	pagesize = (size_t)sysconf(_SC_PAGESIZE);
	if (size == 0 || alignbit < 0 ||
	    (unsigned int)alignbit >= sizeof(size_t) * CHAR_BIT - 1)
		return EINVAL;
	align = (size_t)1 << alignbit;
	prot = PROT_READ | PROT_WRITE | (exec ? PROT_EXEC : 0);

	if (align <= pagesize) {
		mem = mmap(prefaddr, size, prot, MAP_PRIVATE | MAP_ANONYMOUS,
		    -1, 0);
		if (mem == MAP_FAILED)
			return errno;
		*memp = mem;
		return 0;
	}

	/* Round size up to whole pages so that the tail unmap is exact. */
	if (__builtin_add_overflow(size, pagesize - 1, &size))
		return ENOMEM;
	size &= ~(pagesize - 1);
	if (__builtin_add_overflow(size, align, &maplen))
		return ENOMEM;
	mem = mmap(prefaddr, maplen, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return errno;

	start = (uintptr_t)mem;
	aligned = (start + align - 1) & ~((uintptr_t)align - 1);
	head = aligned - start;
	tail = maplen - head - size;
	if (head != 0 && munmap(mem, head) != 0)
		rumpuser__fatal_error("munmap of the alignment head", errno);
	if (tail != 0 && munmap((void *)(aligned + size), tail) != 0)
		rumpuser__fatal_error("munmap of the alignment tail", errno);
	/*
	 * Ranges of 2 MiB and more (rumpfs's page arena) are faulted in with
	 * one call.  A write into a new file then costs the host's zeroing of
	 * the pages but not one fault per 4 KiB page, and those faults were a
	 * third of the time.  Hosts older than Linux 5.14 reject the advice,
	 * so there the pages are faulted in one by one as before.
	 */
	if (size >= POPULATE_MIN)
		(void)madvise((void *)aligned, size, MADV_POPULATE_WRITE);
	*memp = (void *)aligned;
	return 0;
}

/* Unmap a range obtained from rumpuser_anonmmap(). */
void
rumpuser_unmap(void *addr, size_t len)
{

	if (munmap(addr, len) != 0)
		rumpuser__fatal_error("munmap", errno);
}

/*
 * Host files
 */

/*
 * Open the host file name.  Created files get mode 0644 before the umask.
 * EXCL takes effect only with CREATE.  The BIO flag is a hint and changes
 * nothing.  Returns EINVAL for an invalid access mode or an unknown flag.
 */
int
rumpuser_open(const char *name, int mode, int *fdp)
{
	const int known = RUMPUSER_OPEN_ACCMODE | RUMPUSER_OPEN_CREATE |
	    RUMPUSER_OPEN_EXCL | RUMPUSER_OPEN_BIO;
	int flags, fd, error, nlocks;

	if ((mode & ~known) != 0)
		return EINVAL;
	switch (mode & RUMPUSER_OPEN_ACCMODE) {
	case RUMPUSER_OPEN_RDONLY:
		flags = O_RDONLY;
		break;
	case RUMPUSER_OPEN_WRONLY:
		flags = O_WRONLY;
		break;
	case RUMPUSER_OPEN_RDWR:
		flags = O_RDWR;
		break;
	default:
		return EINVAL;
	}
	flags |= O_CLOEXEC;
	if (mode & RUMPUSER_OPEN_CREATE) {
		flags |= O_CREAT;
		if (mode & RUMPUSER_OPEN_EXCL)
			flags |= O_EXCL;
	}

	error = 0;
	rumpuser__unschedule(&nlocks, NULL);
	do {
		fd = open(name, flags, RUMPUSER_CREATE_MODE);
	} while (fd == -1 && errno == EINTR);
	if (fd == -1)
		error = errno;
	rumpuser__reschedule(nlocks, NULL);

	if (error != 0)
		return error;
	*fdp = fd;
	return 0;
}

/*
 * Flush fd to stable storage, ignoring objects that cannot be synced, and
 * close it.  Linux releases the descriptor even when close() fails with
 * EINTR, so that is not an error here.
 */
int
rumpuser_close(int fd)
{
	int error, nlocks;

	error = 0;
	rumpuser__unschedule(&nlocks, NULL);
	(void)fsync(fd);
	if (close(fd) == -1 && errno != EINTR)
		error = errno;
	rumpuser__reschedule(nlocks, NULL);
	return error;
}

/*
 * Find the size of the block or character device open as fd: the
 * BLKGETSIZE64 ioctl for block devices, then the position of the end.  A
 * character device that cannot seek has size 0.
 */
static int
device_size(int fd, bool isblk, uint64_t *sizep)
{
	uint64_t size;
	off_t end;

	if (isblk && ioctl(fd, BLKGETSIZE64, &size) == 0) {
		*sizep = size;
		return 0;
	}
	end = lseek(fd, 0, SEEK_END);
	if (end == -1) {
		if (!isblk && errno == ESPIPE) {
			*sizep = 0;
			return 0;
		}
		return errno;
	}
	*sizep = (uint64_t)end;
	return 0;
}

static int
getfileinfo_host(const char *name, uint64_t *sizep, int *typep)
{
	struct stat sb;
	bool isdev;
	int fd, error;

	if (stat(name, &sb) == -1)
		return errno;

	isdev = S_ISBLK(sb.st_mode) || S_ISCHR(sb.st_mode);
	if (typep != NULL) {
		if (S_ISDIR(sb.st_mode))
			*typep = RUMPUSER_FT_DIR;
		else if (S_ISREG(sb.st_mode))
			*typep = RUMPUSER_FT_REG;
		else if (S_ISBLK(sb.st_mode))
			*typep = RUMPUSER_FT_BLK;
		else if (S_ISCHR(sb.st_mode))
			*typep = RUMPUSER_FT_CHR;
		else
			*typep = RUMPUSER_FT_OTHER;
	}
	if (sizep == NULL)
		return 0;
	if (!isdev) {
		*sizep = (uint64_t)sb.st_size;
		return 0;
	}

	/* stat() gives no size for a device, so open it and ask. */
	do {
		fd = open(name, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	} while (fd == -1 && errno == EINTR);
	if (fd == -1)
		return errno;
	error = device_size(fd, S_ISBLK(sb.st_mode), sizep);
	close(fd);
	return error;
}

/*
 * Store the size and type (RUMPUSER_FT_*) of the host file name.  Either
 * pointer may be NULL.  The size of a regular file or directory is its
 * st_size.  A device is opened read-only to find its size, and only when
 * the size is requested.
 */
int
rumpuser_getfileinfo(const char *name, uint64_t *sizep, int *typep)
{
	int error, nlocks;

	rumpuser__unschedule(&nlocks, NULL);
	error = getfileinfo_host(name, sizep, typep);
	rumpuser__reschedule(nlocks, NULL);
	return error;
}

/*
 * Read into the iovec array from fd at offset off, or from fd's own
 * position if off is RUMPUSER_IOV_NOSEEK, and store the byte count in
 * *retv.  An offset read uses preadv(), so it does not move the position
 * and cannot interleave with another thread's seek.
 */
int
rumpuser_iovread(int fd, struct rumpuser_iovec *ruiov, size_t iovlen,
    int64_t off, size_t *retv)
{
	const struct iovec *iov = (const struct iovec *)ruiov;
	ssize_t nread;
	int error, nlocks;

	if (iovlen > IOV_MAX || (off < 0 && off != RUMPUSER_IOV_NOSEEK))
		return EINVAL;

	error = 0;
	rumpuser__unschedule(&nlocks, NULL);
	do {
		if (off == RUMPUSER_IOV_NOSEEK)
			nread = readv(fd, iov, (int)iovlen);
		else
			nread = preadv(fd, iov, (int)iovlen, (off_t)off);
	} while (nread == -1 && errno == EINTR);
	if (nread == -1)
		error = errno;
	rumpuser__reschedule(nlocks, NULL);

	if (error != 0)
		return error;
	*retv = (size_t)nread;
	return 0;
}

/* The writing counterpart of rumpuser_iovread(), using pwritev(). */
int
rumpuser_iovwrite(int fd, const struct rumpuser_iovec *ruiov, size_t iovlen,
    int64_t off, size_t *retv)
{
	const struct iovec *iov = (const struct iovec *)ruiov;
	ssize_t nwritten;
	int error, nlocks;

	if (iovlen > IOV_MAX || (off < 0 && off != RUMPUSER_IOV_NOSEEK))
		return EINVAL;

	error = 0;
	rumpuser__unschedule(&nlocks, NULL);
	do {
		if (off == RUMPUSER_IOV_NOSEEK)
			nwritten = writev(fd, iov, (int)iovlen);
		else
			nwritten = pwritev(fd, iov, (int)iovlen, (off_t)off);
	} while (nwritten == -1 && errno == EINTR);
	if (nwritten == -1)
		error = errno;
	rumpuser__reschedule(nlocks, NULL);

	if (error != 0)
		return error;
	*retv = (size_t)nwritten;
	return 0;
}

/*
 * Synchronise fd.  flags must contain RUMPUSER_SYNCFD_READ, WRITE or both.
 * READ needs no work because host reads always see completed writes.
 * WRITE flushes the data with fdatasync(), and SYNC flushes data and
 * metadata with fsync().  Every sync covers the whole file, so start and
 * len are ignored, and BARRIER is implied.  An object that cannot be
 * synced (fsync fails with EINVAL) has nothing to flush, so that is
 * success.
 */
int
rumpuser_syncfd(int fd, int flags, uint64_t start, uint64_t len)
{
	const int known = RUMPUSER_SYNCFD_BOTH | RUMPUSER_SYNCFD_BARRIER |
	    RUMPUSER_SYNCFD_SYNC;
	int rv, error, nlocks;

	(void)start;
	(void)len;
	if ((flags & ~known) != 0 || (flags & RUMPUSER_SYNCFD_BOTH) == 0)
		return EINVAL;
	if ((flags & (RUMPUSER_SYNCFD_WRITE | RUMPUSER_SYNCFD_SYNC)) == 0)
		return 0;

	error = 0;
	rumpuser__unschedule(&nlocks, NULL);
	if (flags & RUMPUSER_SYNCFD_SYNC)
		rv = fsync(fd);
	else
		rv = fdatasync(fd);
	if (rv == -1 && errno != EINVAL)
		error = errno;
	rumpuser__reschedule(nlocks, NULL);
	return error;
}

/*
 * Clocks
 */

static int
host_clock(int enum_rumpclock, clockid_t *clockp)
{

	switch (enum_rumpclock) {
	case RUMPUSER_CLOCK_RELWALL:
		*clockp = CLOCK_REALTIME;
		return 0;
	case RUMPUSER_CLOCK_ABSMONO:
		*clockp = CLOCK_MONOTONIC;
		return 0;
	default:
		return EINVAL;
	}
}

/*
 * Store the wall-clock time (RELWALL) or the monotonic time since an
 * arbitrary origin (ABSMONO).
 */
int
rumpuser_clock_gettime(int enum_rumpclock, int64_t *sec, long *nsec)
{
	struct timespec ts;
	clockid_t clock;
	int error;

	error = host_clock(enum_rumpclock, &clock);
	if (error != 0)
		return error;
	if (clock_gettime(clock, &ts) == -1)
		return errno;
	*sec = ts.tv_sec;
	*nsec = ts.tv_nsec;
	return 0;
}

/*
 * Sleep for the duration sec.nsec (RELWALL) or until the monotonic clock
 * reaches sec.nsec (ABSMONO), without a virtual CPU.  Signals do not cut
 * the sleep short.  Returns EINVAL for a negative duration or nsec out of
 * range.  An absolute time in the past returns at once.
 */
int
rumpuser_clock_sleep(int enum_rumpclock, int64_t sec, long nsec)
{
	struct timespec ts;
	clockid_t clock;
	int flags, rv, nlocks;

	rv = host_clock(enum_rumpclock, &clock);
	if (rv != 0)
		return rv;
	if (nsec < 0 || nsec >= 1000000000L)
		return EINVAL;
	if (clock == CLOCK_MONOTONIC) {
		/* Linux rejects negative times, which are past anyway. */
		if (sec < 0)
			return 0;
		flags = TIMER_ABSTIME;
	} else {
		if (sec < 0)
			return EINVAL;
		flags = 0;
	}
	ts.tv_sec = (time_t)sec;
	ts.tv_nsec = nsec;

	/*
	 * A relative sleep continues with the remaining time that
	 * clock_nanosleep() stores on EINTR.  An absolute sleep just
	 * repeats.
	 */
	rumpuser__unschedule(&nlocks, NULL);
	do {
		rv = clock_nanosleep(clock, flags, &ts,
		    flags == 0 ? &ts : NULL);
	} while (rv == EINTR);
	rumpuser__reschedule(nlocks, NULL);
	return rv;
}

/*
 * Errors, termination, signals
 */

/* Set the calling host thread's errno. */
void
rumpuser_seterrno(int error)
{

	errno = error;
}

/*
 * Terminate the process: abort() for RUMPUSER_PANIC, so that a core dump
 * can be taken, otherwise exit(value).
 */
void
rumpuser_exit(int value)
{

	rumpuser__console_flush();
	if (value == RUMPUSER_PANIC)
		abort();
	exit(value);
}

/*
 * Raise signal sig, a host signal number, in this process.  The pid is a
 * hint that a single-process host can ignore.  Signal 0 only checks that
 * delivery would be possible.  Returns EINVAL for an invalid signal.
 */
int
rumpuser_kill(int64_t pid, int sig)
{
	int rv;

	if (sig < 0 || sig >= NSIG)
		return EINVAL;
	/*
	 * RUMPUSER_PID_SELF raises the signal in the calling thread, so its
	 * handler runs before this returns.  Any other pid (only a hint of
	 * which kernel process it was meant for) sends it to the host
	 * process, which delivers it to a thread that does not block it.
	 */
	if (pid == RUMPUSER_PID_SELF)
		rv = raise(sig);
	else
		rv = kill(getpid(), sig);
	return rv != 0 ? errno : 0;
}

/*
 * Console
 *
 * The kernel prints one character at a time.  Each thread collects
 * characters in its own buffer and writes a whole line to stderr with one
 * write(), so lines from different threads do not mix.  A line that is
 * still unfinished when the thread or process exits through a hypercall
 * is written out then.
 */

static __thread struct {
	size_t len;
	char text[RUMPUSER_CONSOLE_LINE];
} console_line;

void
rumpuser__console_flush(void)
{
	size_t done;
	ssize_t n;

	done = 0;
	while (done < console_line.len) {
		n = write(STDERR_FILENO, console_line.text + done,
		    console_line.len - done);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	console_line.len = 0;
}

/* Print one console character. */
void
rumpuser_putchar(int ch)
{

	console_line.text[console_line.len++] = (char)ch;
	if (ch == '\n' || console_line.len == sizeof(console_line.text))
		rumpuser__console_flush();
}

/*
 * Print directly on stderr, bypassing the kernel's console.  The message
 * is formatted first and written with one write(2), so that it is neither
 * held in a stdio buffer (lost if the process then aborts) nor interleaved
 * with other threads' messages.  Longer messages are cut at 1 KiB.
 */
void
rumpuser_dprintf(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (len < 0)
		return;
	if ((size_t)len >= sizeof(buf))
		len = sizeof(buf) - 1;
	(void)write(STDERR_FILENO, buf, (size_t)len);
}

/*
 * Randomness
 */

/*
 * Fill buf with up to buflen random bytes from the host's getrandom(2) and
 * store the count in *retp.  RUMPUSER_RANDOM_HARD needs nothing extra,
 * because Linux gives cryptographic-quality bytes either way.  Without
 * RUMPUSER_RANDOM_NOWAIT the call blocks until buf is full, which only
 * takes time before the host's entropy pool is initialised.  With NOWAIT
 * it stops where the host would block, returning EAGAIN only if it got no
 * bytes at all.
 */
int
rumpuser_getrandom(void *buf, size_t buflen, int flags, size_t *retp)
{
	const int known = RUMPUSER_RANDOM_HARD | RUMPUSER_RANDOM_NOWAIT;
	unsigned int hostflags;
	size_t done;
	ssize_t n;

	if ((flags & ~known) != 0)
		return EINVAL;
	hostflags = (flags & RUMPUSER_RANDOM_NOWAIT) ? GRND_NONBLOCK : 0;

	done = 0;
	while (done < buflen) {
		n = getrandom((char *)buf + done, buflen - done, hostflags);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN && done > 0)
				break;
			return errno;
		}
		done += (size_t)n;
	}
	*retp = done;
	return 0;
}
