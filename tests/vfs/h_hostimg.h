/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Helpers of the tests that put a host file behind an etfs device
 * (t_bufcache, t_etfs, tests/dev/t_disk): booting the kernel, making the
 * host file from a byte pattern, and reading and writing it with the C
 * library to compare with what the kernel reads and writes.
 */

#ifndef _TESTS_VFS_H_HOSTIMG_H_
#define _TESTS_VFS_H_HOSTIMG_H_

#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include <rump/rump.h>

/* rump_init, which the case needs to succeed. */
static inline void
himg_boot(void)
{
	int error;

	error = rump_init();
	ATF_REQUIRE_EQ_MSG(error, 0, "rump_init: %s", strerror(error));
}

/* Make host file path of size bytes: byte i is pattern(i). */
static inline void
himg_make(const char *path, off_t size, unsigned char (*pattern)(off_t))
{
	unsigned char *buf;
	off_t i;
	int fd;

	buf = malloc(size);
	ATF_REQUIRE(buf != NULL);
	for (i = 0; i < size; i++)
		buf[i] = pattern(i);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	ATF_REQUIRE_MSG(fd >= 0, "create %s: %s", path, strerror(errno));
	ATF_REQUIRE_EQ(write(fd, buf, size), size);
	ATF_REQUIRE_EQ(close(fd), 0);
	free(buf);
}

/* Read len bytes of host file path at off into buf. */
static inline void
himg_pread(const char *path, void *buf, size_t len, off_t off)
{
	int fd;

	fd = open(path, O_RDONLY);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE_EQ(pread(fd, buf, len, off), (ssize_t)len);
	ATF_REQUIRE_EQ(close(fd), 0);
}

/* Write len bytes to path at off through the host. */
static inline void
himg_pwrite(const char *path, const void *buf, size_t len, off_t off)
{
	int fd;

	fd = open(path, O_RDWR);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE_EQ(pwrite(fd, buf, len, off), (ssize_t)len);
	ATF_REQUIRE_EQ(close(fd), 0);
}

#endif /* _TESTS_VFS_H_HOSTIMG_H_ */
