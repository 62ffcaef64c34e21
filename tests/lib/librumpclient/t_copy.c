/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Tests of the server's copyin of written data for remote clients.
 *
 * The server fetches the whole buffer of a write ahead of the kernel's
 * page-sized copyins and falls back to exact copyins when part of the
 * buffer is not mapped (lib/librumpuser/rumpuser_sp.c).  These cases
 * check that a remote write still returns what a local write returns:
 * the bytes before the first unmapped page, or EFAULT when the first
 * page is unmapped.  A local rump kernel cannot serve as the reference,
 * because its copyin reads the caller's memory directly and would crash
 * on the unmapped page.  So the reference is the host's own write(2) to a
 * host file with the same buffer.  Rumpfs copies a write in by file
 * pages, so the buffers here are page aligned and written at offset 0,
 * where Linux also stops at the unmapped page.  Other cases write many
 * iovecs and large buffers and read the data back.
 */

#include <sys/types.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/rumpclient.h>

#include "h_server.h"

#define PG		4096
/* The server's largest copyin request. */
#define MAXREQ		RSP_MAXDATA

/* Fill len bytes with a pattern that differs with seed and position. */
static void
fill(unsigned char *p, size_t len, unsigned seed)
{
	uint32_t x = seed * 2654435761u + 1;
	size_t i;

	for (i = 0; i < len; i++) {
		x = x * 1103515245u + 12345u;
		p[i] = (unsigned char)(x >> 16);
	}
}

/*
 * Map npages pages filled with a pattern, the page at index bad (if it
 * is below npages) without access.
 */
static unsigned char *
map_pages(size_t npages, size_t bad)
{
	unsigned char *p;

	p = mmap(NULL, npages * PG, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ATF_REQUIRE(p != MAP_FAILED);
	fill(p, npages * PG, (unsigned)npages);
	if (bad < npages)
		ATF_REQUIRE(mprotect(p + bad * PG, PG, PROT_NONE) == 0);
	return p;
}

/* A new, empty rump file and a new, empty host file. */
static void
open_pair(const char *name, int *rfd, int *hfd)
{
	char rpath[64];

	snprintf(rpath, sizeof(rpath), "/%s", name);
	*rfd = rump_sys_open(rpath, O_RDWR | O_CREAT | O_TRUNC, 0644);
	ATF_REQUIRE_MSG(*rfd >= 0, "rump open %s: %s", rpath,
	    strerror(errno));
	*hfd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
	ATF_REQUIRE_MSG(*hfd >= 0, "open %s: %s", name, strerror(errno));
}

/* Check that the rump file contains exactly the len bytes at want. */
static void
check_file(int rfd, const unsigned char *want, size_t len)
{
	struct stat st;
	unsigned char *got;
	ssize_t n;

	ATF_REQUIRE(rump_sys_fstat(rfd, &st) == 0);
	ATF_REQUIRE_EQ_MSG((size_t)st.st_size, len,
	    "file size %jd, expected %zu", (intmax_t)st.st_size, len);
	if (len == 0)
		return;
	ATF_REQUIRE((got = malloc(len)) != NULL);
	n = rump_sys_pread(rfd, got, len, 0);
	ATF_REQUIRE_EQ_MSG(n, (ssize_t)len, "pread returned %zd: %s", n,
	    strerror(errno));
	ATF_REQUIRE_MSG(memcmp(got, want, len) == 0,
	    "the file differs from what was written");
	free(got);
}

/*
 * Write count bytes at buf to a fresh rump file and a fresh host file
 * and require the same result: the same count, or -1 with the same errno.
 * Returns the count; the rump file must hold exactly those bytes.
 */
static ssize_t
write_both(const char *name, const unsigned char *buf, size_t count,
    const unsigned char *want)
{
	ssize_t rn, hn;
	int rfd, hfd, rerr, herr;

	open_pair(name, &rfd, &hfd);
	errno = 0;
	rn = rump_sys_write(rfd, buf, count);
	rerr = errno;
	errno = 0;
	hn = write(hfd, buf, count);
	herr = errno;
	ATF_REQUIRE_EQ_MSG(rn, hn, "%s: remote write returned %zd (%s), "
	    "host write %zd (%s)", name, rn, strerror(rerr), hn,
	    strerror(herr));
	if (rn < 0)
		ATF_REQUIRE_EQ_MSG(rerr, herr, "%s: errno %d, host %d", name,
		    rerr, herr);
	check_file(rfd, want, rn < 0 ? 0 : (size_t)rn);
	ATF_REQUIRE(rump_sys_close(rfd) == 0);
	ATF_REQUIRE(close(hfd) == 0);
	return rn;
}

ATF_TC(write_unmapped);
ATF_TC_HEAD(write_unmapped, tc)
{
	atf_tc_set_md_var(tc, "descr", "a write whose buffer runs into an "
	    "unmapped page returns the bytes before it, as the host's write");
}
ATF_TC_BODY(write_unmapped, tc)
{
	unsigned char *buf;
	ssize_t n;

	start_client();

	/* Three good pages, a bad one, four good ones. */
	buf = map_pages(8, 3);
	n = write_both("a", buf, 8 * PG, buf);
	ATF_REQUIRE_EQ(n, 3 * PG);
	n = write_both("b", buf + 2 * PG, 6 * PG, buf + 2 * PG);
	ATF_REQUIRE_EQ(n, PG);
	/* The bad page first: nothing is written. */
	n = write_both("c", buf + 3 * PG, 2 * PG, buf);
	ATF_REQUIRE_EQ(n, -1);
	/* Only the good pages, then only the ones after the bad one. */
	n = write_both("d", buf, 3 * PG, buf);
	ATF_REQUIRE_EQ(n, 3 * PG);
	n = write_both("e", buf + 4 * PG, 4 * PG, buf + 4 * PG);
	ATF_REQUIRE_EQ(n, 4 * PG);
	ATF_REQUIRE(munmap(buf, 8 * PG) == 0);

	/*
	 * A bad page beyond the first fetch of MAXREQ bytes: the first
	 * window is good, the second runs into the bad page.
	 */
	buf = map_pages(100, 80);
	n = write_both("f", buf, 100 * PG, buf);
	ATF_REQUIRE_EQ(n, 80 * PG);
	ATF_REQUIRE(munmap(buf, 100 * PG) == 0);

	/* The bad page is the last one of a fetch that reaches it. */
	buf = map_pages(70, MAXREQ / PG - 1);
	n = write_both("g", buf, 70 * PG, buf);
	ATF_REQUIRE_EQ(n, MAXREQ - PG);
	ATF_REQUIRE(munmap(buf, 70 * PG) == 0);

	/* An address that is not mapped at all. */
	n = write_both("h", (const unsigned char *)(uintptr_t)PG, PG, NULL);
	ATF_REQUIRE_EQ(n, -1);
	stop_server();
}

ATF_TC(writev_unmapped);
ATF_TC_HEAD(writev_unmapped, tc)
{
	atf_tc_set_md_var(tc, "descr", "writev stops at the first unmapped "
	    "page of any iovec, as the host's writev");
}
ATF_TC_BODY(writev_unmapped, tc)
{
	struct iovec iov[4];
	unsigned char *buf, *want;
	ssize_t rn, hn;
	int rfd, hfd;

	start_client();
	buf = map_pages(16, 9);
	ATF_REQUIRE((want = malloc(16 * PG)) != NULL);

	/* 2 good pages, then 3 good pages, then one that reaches page 9. */
	iov[0].iov_base = buf;
	iov[0].iov_len = 2 * PG;
	iov[1].iov_base = buf + 4 * PG;
	iov[1].iov_len = 3 * PG;
	iov[2].iov_base = buf + 7 * PG;
	iov[2].iov_len = 5 * PG;
	iov[3].iov_base = buf + 12 * PG;
	iov[3].iov_len = 2 * PG;
	memcpy(want, buf, 2 * PG);
	memcpy(want + 2 * PG, buf + 4 * PG, 5 * PG);
	open_pair("v", &rfd, &hfd);
	rn = rump_sys_writev(rfd, iov, 4);
	hn = writev(hfd, iov, 4);
	ATF_REQUIRE_EQ_MSG(rn, hn, "remote writev %zd, host %zd", rn, hn);
	ATF_REQUIRE_EQ(rn, 7 * PG);
	check_file(rfd, want, 7 * PG);

	/* The first iovec starts at the bad page: EFAULT. */
	iov[0].iov_base = buf + 9 * PG;
	ATF_REQUIRE(rump_sys_ftruncate(rfd, 0) == 0);
	errno = 0;
	rn = rump_sys_pwritev(rfd, iov, 2, 0);
	ATF_REQUIRE_EQ(rn, -1);
	ATF_REQUIRE_EQ(errno, EFAULT);
	hn = pwritev(hfd, iov, 2, 0);
	ATF_REQUIRE_EQ(hn, -1);
	check_file(rfd, want, 0);

	/* The iovec array itself is not mapped. */
	errno = 0;
	rn = rump_sys_writev(rfd, (struct iovec *)(void *)(buf + 9 * PG), 2);
	ATF_REQUIRE_EQ(rn, -1);
	ATF_REQUIRE_EQ(errno, EFAULT);

	ATF_REQUIRE(rump_sys_close(rfd) == 0);
	ATF_REQUIRE(close(hfd) == 0);
	free(want);
	ATF_REQUIRE(munmap(buf, 16 * PG) == 0);
	stop_server();
}

ATF_TC(writev_many);
ATF_TC_HEAD(writev_many, tc)
{
	atf_tc_set_md_var(tc, "descr", "writev and pwritev with many iovecs "
	    "of mixed sizes write the right bytes");
}
ATF_TC_BODY(writev_many, tc)
{
	/* More iovecs than the server fetches ahead, one longer than MAXREQ. */
	static const size_t sizes[] = {
		1, 5000, 0, 70000, 4096, 3, MAXREQ + 12345, 8191, 0, 100,
		65536, 17, 40000, 2,
	};
	enum { N = sizeof(sizes) / sizeof(sizes[0]) };
	struct iovec iov[N];
	unsigned char *bufs[N], *want, *p;
	size_t total = 0, i;
	ssize_t n;
	int fd;

	start_client();
	for (i = 0; i < N; i++) {
		ATF_REQUIRE((bufs[i] = malloc(sizes[i] + 1)) != NULL);
		fill(bufs[i], sizes[i], (unsigned)i + 7);
		iov[i].iov_base = bufs[i];
		iov[i].iov_len = sizes[i];
		total += sizes[i];
	}
	ATF_REQUIRE((want = malloc(total + 100)) != NULL);
	for (p = want, i = 0; i < N; i++) {
		memcpy(p, bufs[i], sizes[i]);
		p += sizes[i];
	}

	fd = rump_sys_open("/many", O_RDWR | O_CREAT | O_TRUNC, 0644);
	ATF_REQUIRE(fd >= 0);
	n = rump_sys_writev(fd, iov, N);
	ATF_REQUIRE_EQ_MSG(n, (ssize_t)total, "writev returned %zd of %zu",
	    n, total);
	check_file(fd, want, total);

	/* pwritev at an odd offset over the start of the same data. */
	n = rump_sys_pwritev(fd, iov + 3, 4, 99);
	ATF_REQUIRE_EQ(n, (ssize_t)(sizes[3] + sizes[4] + sizes[5] +
	    sizes[6]));
	memmove(want + 99, want + sizes[0] + sizes[1] + sizes[2], (size_t)n);
	check_file(fd, want, total);
	ATF_REQUIRE(rump_sys_close(fd) == 0);

	for (i = 0; i < N; i++)
		free(bufs[i]);
	free(want);
	stop_server();
}

ATF_TC(write_large);
ATF_TC_HEAD(write_large, tc)
{
	atf_tc_set_md_var(tc, "descr", "1 MiB writes from aligned and "
	    "unaligned buffers at aligned and unaligned offsets read back "
	    "equal; a buffer changed between two writes is written anew");
}
ATF_TC_BODY(write_large, tc)
{
	const size_t len = 1 << 20;
	unsigned char *buf, *file;
	ssize_t n;
	int fd;

	start_client();
	ATF_REQUIRE((buf = malloc(len + 1)) != NULL);
	ATF_REQUIRE((file = calloc(1, 3 * len)) != NULL);
	fd = rump_sys_open("/large", O_RDWR | O_CREAT | O_TRUNC, 0644);
	ATF_REQUIRE(fd >= 0);

	fill(buf, len + 1, 1);
	n = rump_sys_write(fd, buf, len);
	ATF_REQUIRE_EQ_MSG(n, (ssize_t)len, "write returned %zd", n);
	memcpy(file, buf, len);
	check_file(fd, file, len);

	/* The same buffer with new content: no stale data from before. */
	fill(buf, len + 1, 2);
	n = rump_sys_pwrite(fd, buf, len, 0);
	ATF_REQUIRE_EQ(n, (ssize_t)len);
	memcpy(file, buf, len);
	check_file(fd, file, len);

	/* Unaligned buffer, unaligned offset past the end. */
	fill(buf, len + 1, 3);
	n = rump_sys_pwrite(fd, buf + 1, len, len + 777);
	ATF_REQUIRE_EQ(n, (ssize_t)len);
	memcpy(file + len + 777, buf + 1, len);
	check_file(fd, file, 2 * len + 777);

	ATF_REQUIRE(rump_sys_close(fd) == 0);
	free(buf);
	free(file);
	stop_server();
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, write_unmapped);
	ATF_TP_ADD_TC(tp, writev_unmapped);
	ATF_TP_ADD_TC(tp, writev_many);
	ATF_TP_ADD_TC(tp, write_large);
	return atf_no_error();
}
