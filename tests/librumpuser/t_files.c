/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Tests of the host file hypercalls: rumpuser_open(), rumpuser_close(),
 * rumpuser_getfileinfo(), rumpuser_iovread(), rumpuser_iovwrite(),
 * rumpuser_syncfd() and the asynchronous rumpuser_bio().
 *
 * Files are created in the current directory, which kyua makes a fresh
 * temporary directory for each test case.
 */

#include <sys/stat.h>
#include <sys/types.h>

#include <atf-c.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "h_hyperup.h"

/* Maximum wait for a bio completion. */
#define BIO_TIMEOUT_SEC	10

/* Create file name with len bytes of the pattern byte_at(i). */
static unsigned char
byte_at(size_t i)
{

	return (unsigned char)(i * 7 + 3);
}

static void
make_file(const char *name, size_t len)
{
	unsigned char *buf;
	size_t i;
	int fd;

	buf = malloc(len + 1);
	ATF_REQUIRE(buf != NULL);
	for (i = 0; i < len; i++)
		buf[i] = byte_at(i);
	fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
	ATF_REQUIRE(fd != -1);
	ATF_REQUIRE_EQ(write(fd, buf, len), (ssize_t)len);
	ATF_REQUIRE_EQ(close(fd), 0);
	free(buf);
}

/*
 * Completion records for rumpuser_bio()
 */

struct completion {
	pthread_mutex_t lock;
	pthread_cond_t cv;
	int done;		/* callbacks so far */
	size_t bytes;		/* of the latest callback */
	int error;		/* of the latest callback */
	bool had_cpu;		/* every callback ran with a CPU */
	bool had_lwp;		/* every callback ran on a thread with an lwp */
	pthread_t thread;	/* thread of the latest callback */
};

static void
completion_init(struct completion *c)
{

	memset(c, 0, sizeof(*c));
	ATF_REQUIRE_EQ(pthread_mutex_init(&c->lock, NULL), 0);
	ATF_REQUIRE_EQ(pthread_cond_init(&c->cv, NULL), 0);
	c->had_cpu = true;
	c->had_lwp = true;
}

static void
biodone(void *arg, size_t bytes, int error)
{
	struct completion *c = arg;

	pthread_mutex_lock(&c->lock);
	c->done++;
	c->bytes = bytes;
	c->error = error;
	c->had_cpu = c->had_cpu && h_has_cpu;
	c->had_lwp = c->had_lwp && rumpuser_curlwp() != NULL;
	c->thread = pthread_self();
	pthread_cond_broadcast(&c->cv);
	pthread_mutex_unlock(&c->lock);
}

/* Wait until c has seen count callbacks, failing after BIO_TIMEOUT_SEC. */
static void
completion_wait(struct completion *c, int count)
{
	struct timespec deadline;
	int error;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += BIO_TIMEOUT_SEC;
	pthread_mutex_lock(&c->lock);
	error = 0;
	while (c->done < count && error == 0)
		error = pthread_cond_timedwait(&c->cv, &c->lock, &deadline);
	pthread_mutex_unlock(&c->lock);
	ATF_REQUIRE_MSG(c->done >= count,
	    "only %d of %d bio completions within %d s", c->done, count,
	    BIO_TIMEOUT_SEC);
}

/* Open name with rumpuser_open(), which must succeed. */
static int
ru_open(const char *name, int mode)
{
	int fd, error;

	fd = -1;
	error = rumpuser_open(name, mode, &fd);
	ATF_REQUIRE_EQ_MSG(error, 0, "rumpuser_open(%s, %#x): %s", name, mode,
	    strerror(error));
	ATF_REQUIRE(fd >= 0);
	return fd;
}

ATF_TC(open_modes);
ATF_TC_HEAD(open_modes, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "rumpuser_open honours the access mode, CREATE and EXCL");
}
ATF_TC_BODY(open_modes, tc)
{
	struct rumpuser_iovec iov;
	char buf[4] = "abc";
	struct stat sb;
	size_t n;
	int fd;

	h_init();
	umask(022);
	ATF_CHECK_EQ(rumpuser_open("f", RUMPUSER_OPEN_RDONLY, &fd), ENOENT);

	fd = ru_open("f", RUMPUSER_OPEN_RDWR | RUMPUSER_OPEN_CREATE);
	ATF_REQUIRE_EQ(fstat(fd, &sb), 0);
	ATF_CHECK(S_ISREG(sb.st_mode));
	ATF_CHECK_EQ(sb.st_mode & 0777, 0644);
	ATF_CHECK((fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
	ATF_CHECK_EQ(rumpuser_close(fd), 0);

	ATF_CHECK_EQ(rumpuser_open("f", RUMPUSER_OPEN_RDWR |
	    RUMPUSER_OPEN_CREATE | RUMPUSER_OPEN_EXCL, &fd), EEXIST);
	fd = ru_open("f", RUMPUSER_OPEN_RDWR | RUMPUSER_OPEN_EXCL);
	ATF_CHECK_EQ(rumpuser_close(fd), 0);

	/* A read-only descriptor cannot write, a write-only one not read. */
	iov.iov_base = buf;
	iov.iov_len = 3;
	fd = ru_open("f", RUMPUSER_OPEN_RDONLY);
	ATF_CHECK_EQ(rumpuser_iovwrite(fd, &iov, 1, 0, &n), EBADF);
	ATF_CHECK_EQ(rumpuser_close(fd), 0);
	fd = ru_open("f", RUMPUSER_OPEN_WRONLY | RUMPUSER_OPEN_BIO);
	ATF_CHECK_EQ(rumpuser_iovread(fd, &iov, 1, 0, &n), EBADF);
	ATF_CHECK_EQ(rumpuser_iovwrite(fd, &iov, 1, 0, &n), 0);
	ATF_CHECK_EQ(n, 3);
	ATF_CHECK_EQ(rumpuser_close(fd), 0);

	h_check_upcalls();
	ATF_CHECK(atomic_load(&h_backend_unschedule_calls) > 0);
	ATF_CHECK_EQ(atomic_load(&h_backend_unschedule_calls),
	    atomic_load(&h_backend_schedule_calls));
}

ATF_TC(open_invalid);
ATF_TC_HEAD(open_invalid, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "rumpuser_open returns EINVAL for a bad access mode or unknown "
	    "flag");
}
ATF_TC_BODY(open_invalid, tc)
{
	int fd;

	h_init();
	make_file("f", 10);
	fd = -1;
	ATF_CHECK_EQ(rumpuser_open("f", RUMPUSER_OPEN_ACCMODE, &fd), EINVAL);
	ATF_CHECK_EQ(rumpuser_open("f", 0x100, &fd), EINVAL);
	ATF_CHECK_EQ(rumpuser_open("f", RUMPUSER_OPEN_RDWR | 0x20, &fd),
	    EINVAL);
	ATF_CHECK_EQ(fd, -1);
	ATF_CHECK_EQ(rumpuser_close(-1), EBADF);
	h_check_upcalls();
}

ATF_TC(getfileinfo_types);
ATF_TC_HEAD(getfileinfo_types, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "rumpuser_getfileinfo reports regular files, directories, "
	    "character devices and others");
}
ATF_TC_BODY(getfileinfo_types, tc)
{
	uint64_t size;
	int type;

	h_init();
	make_file("f", 12345);
	ATF_REQUIRE_EQ(mkdir("d", 0755), 0);
	ATF_REQUIRE_EQ(mkfifo("p", 0644), 0);

	ATF_REQUIRE_EQ(rumpuser_getfileinfo("f", &size, &type), 0);
	ATF_CHECK_EQ(type, RUMPUSER_FT_REG);
	ATF_CHECK_EQ(size, 12345);

	ATF_REQUIRE_EQ(rumpuser_getfileinfo("d", NULL, &type), 0);
	ATF_CHECK_EQ(type, RUMPUSER_FT_DIR);

	ATF_REQUIRE_EQ(rumpuser_getfileinfo("p", NULL, &type), 0);
	ATF_CHECK_EQ(type, RUMPUSER_FT_OTHER);

	size = 1;
	ATF_REQUIRE_EQ(rumpuser_getfileinfo("/dev/null", &size, &type), 0);
	ATF_CHECK_EQ(type, RUMPUSER_FT_CHR);
	ATF_CHECK_EQ(size, 0);

	ATF_CHECK_EQ(rumpuser_getfileinfo("missing", &size, &type), ENOENT);
	h_check_upcalls();
}

ATF_TC(getfileinfo_optional);
ATF_TC_HEAD(getfileinfo_optional, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "rumpuser_getfileinfo accepts NULL for either result");
}
ATF_TC_BODY(getfileinfo_optional, tc)
{
	uint64_t size;
	int type;

	h_init();
	make_file("f", 777);
	ATF_CHECK_EQ(rumpuser_getfileinfo("f", NULL, NULL), 0);
	ATF_REQUIRE_EQ(rumpuser_getfileinfo("f", &size, NULL), 0);
	ATF_CHECK_EQ(size, 777);
	ATF_REQUIRE_EQ(rumpuser_getfileinfo("f", NULL, &type), 0);
	ATF_CHECK_EQ(type, RUMPUSER_FT_REG);
	h_check_upcalls();
}

ATF_TC(getfileinfo_blockdev);
ATF_TC_HEAD(getfileinfo_blockdev, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "rumpuser_getfileinfo reports a block device and the size that "
	    "sysfs gives");
}
ATF_TC_BODY(getfileinfo_blockdev, tc)
{
	char path[300], syspath[300];
	unsigned long long sectors;
	struct dirent *de;
	struct stat sb;
	uint64_t size;
	FILE *sys;
	DIR *dev;
	int type, error, n;
	bool found;

	h_init();
	dev = opendir("/dev");
	if (dev == NULL)
		atf_tc_skip("cannot list /dev");
	found = false;
	while (!found && (de = readdir(dev)) != NULL) {
		snprintf(path, sizeof(path), "/dev/%s", de->d_name);
		snprintf(syspath, sizeof(syspath), "/sys/class/block/%s/size",
		    de->d_name);
		if (stat(path, &sb) != 0 || !S_ISBLK(sb.st_mode) ||
		    access(path, R_OK) != 0 || access(syspath, R_OK) != 0)
			continue;
		found = true;
	}
	closedir(dev);
	if (!found)
		atf_tc_skip("no readable block device with a sysfs size");

	sys = fopen(syspath, "r");
	ATF_REQUIRE(sys != NULL);
	n = fscanf(sys, "%llu", &sectors);
	fclose(sys);
	ATF_REQUIRE_EQ(n, 1);

	ATF_REQUIRE_EQ(rumpuser_getfileinfo(path, NULL, &type), 0);
	ATF_CHECK_EQ(type, RUMPUSER_FT_BLK);
	error = rumpuser_getfileinfo(path, &size, &type);
	if (error == EACCES || error == EPERM || error == ENXIO)
		atf_tc_skip("cannot open %s: %s", path, strerror(error));
	ATF_REQUIRE_EQ_MSG(error, 0, "%s: %s", path, strerror(error));
	ATF_CHECK_EQ_MSG(size, sectors * 512, "%s: %llu bytes, sysfs %llu",
	    path, (unsigned long long)size, sectors * 512);
	h_check_upcalls();
}

ATF_TC(iov_offset);
ATF_TC_HEAD(iov_offset, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "iovwrite and iovread at an offset gather and scatter without "
	    "moving the file position");
}
ATF_TC_BODY(iov_offset, tc)
{
	char a[] = "hello, ", b[] = "world", out[20];
	struct rumpuser_iovec wiov[2], riov[3];
	size_t n;
	int fd;

	h_init();
	fd = ru_open("f", RUMPUSER_OPEN_RDWR | RUMPUSER_OPEN_CREATE);
	wiov[0] = (struct rumpuser_iovec){ a, 7 };
	wiov[1] = (struct rumpuser_iovec){ b, 5 };
	ATF_REQUIRE_EQ(rumpuser_iovwrite(fd, wiov, 2, 100, &n), 0);
	ATF_CHECK_EQ(n, 12);
	ATF_CHECK_EQ(lseek(fd, 0, SEEK_CUR), 0);

	memset(out, 0, sizeof(out));
	riov[0] = (struct rumpuser_iovec){ out, 3 };
	riov[1] = (struct rumpuser_iovec){ out + 3, 0 };
	riov[2] = (struct rumpuser_iovec){ out + 3, 15 };
	ATF_REQUIRE_EQ(rumpuser_iovread(fd, riov, 3, 100, &n), 0);
	ATF_CHECK_EQ(n, 12);
	ATF_CHECK_STREQ(out, "hello, world");
	ATF_CHECK_EQ(lseek(fd, 0, SEEK_CUR), 0);

	/* Reading at the end of the file returns 0 bytes. */
	ATF_REQUIRE_EQ(rumpuser_iovread(fd, riov, 3, 112, &n), 0);
	ATF_CHECK_EQ(n, 0);
	ATF_CHECK_EQ(rumpuser_close(fd), 0);
	h_check_upcalls();
}

ATF_TC(iov_noseek);
ATF_TC_HEAD(iov_noseek, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "iovwrite and iovread with RUMPUSER_IOV_NOSEEK use and advance the "
	    "file position");
}
ATF_TC_BODY(iov_noseek, tc)
{
	char a[] = "abc", b[] = "defg", out[8];
	struct rumpuser_iovec iov;
	size_t n;
	int fd;

	h_init();
	fd = ru_open("f", RUMPUSER_OPEN_RDWR | RUMPUSER_OPEN_CREATE);
	iov = (struct rumpuser_iovec){ a, 3 };
	ATF_REQUIRE_EQ(rumpuser_iovwrite(fd, &iov, 1, RUMPUSER_IOV_NOSEEK,
	    &n), 0);
	ATF_CHECK_EQ(n, 3);
	iov = (struct rumpuser_iovec){ b, 4 };
	ATF_REQUIRE_EQ(rumpuser_iovwrite(fd, &iov, 1, RUMPUSER_IOV_NOSEEK,
	    &n), 0);
	ATF_CHECK_EQ(n, 4);
	ATF_CHECK_EQ(lseek(fd, 0, SEEK_CUR), 7);

	ATF_REQUIRE_EQ(lseek(fd, 2, SEEK_SET), 2);
	memset(out, 0, sizeof(out));
	iov = (struct rumpuser_iovec){ out, 3 };
	ATF_REQUIRE_EQ(rumpuser_iovread(fd, &iov, 1, RUMPUSER_IOV_NOSEEK, &n),
	    0);
	ATF_CHECK_EQ(n, 3);
	ATF_CHECK_STREQ(out, "cde");
	ATF_CHECK_EQ(lseek(fd, 0, SEEK_CUR), 5);
	ATF_CHECK_EQ(rumpuser_close(fd), 0);
	h_check_upcalls();
}

ATF_TC(iov_invalid);
ATF_TC_HEAD(iov_invalid, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "iovread and iovwrite reject negative offsets and bad descriptors");
}
ATF_TC_BODY(iov_invalid, tc)
{
	struct rumpuser_iovec iov;
	char buf[4];
	size_t n;
	int fd;

	h_init();
	fd = ru_open("f", RUMPUSER_OPEN_RDWR | RUMPUSER_OPEN_CREATE);
	iov = (struct rumpuser_iovec){ buf, sizeof(buf) };
	ATF_CHECK_EQ(rumpuser_iovread(fd, &iov, 1, -5, &n), EINVAL);
	ATF_CHECK_EQ(rumpuser_iovwrite(fd, &iov, 1, -5, &n), EINVAL);
	ATF_CHECK_EQ(rumpuser_close(fd), 0);
	ATF_CHECK_EQ(rumpuser_iovread(-1, &iov, 1, 0, &n), EBADF);
	ATF_CHECK_EQ(rumpuser_iovwrite(-1, &iov, 1, RUMPUSER_IOV_NOSEEK, &n),
	    EBADF);
	h_check_upcalls();
}

ATF_TC(syncfd_flags);
ATF_TC_HEAD(syncfd_flags, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "rumpuser_syncfd needs READ or WRITE and syncs files and devices");
}
ATF_TC_BODY(syncfd_flags, tc)
{
	int fd, null;

	h_init();
	fd = ru_open("f", RUMPUSER_OPEN_RDWR | RUMPUSER_OPEN_CREATE);
	ATF_REQUIRE_EQ(write(fd, "data", 4), 4);

	ATF_CHECK_EQ(rumpuser_syncfd(fd, 0, 0, 0), EINVAL);
	ATF_CHECK_EQ(rumpuser_syncfd(fd, RUMPUSER_SYNCFD_BARRIER, 0, 0),
	    EINVAL);
	ATF_CHECK_EQ(rumpuser_syncfd(fd, RUMPUSER_SYNCFD_SYNC, 0, 0), EINVAL);
	ATF_CHECK_EQ(rumpuser_syncfd(fd, RUMPUSER_SYNCFD_WRITE | 0x40, 0, 0),
	    EINVAL);

	ATF_CHECK_EQ(rumpuser_syncfd(fd, RUMPUSER_SYNCFD_READ, 0, 0), 0);
	ATF_CHECK_EQ(rumpuser_syncfd(fd, RUMPUSER_SYNCFD_WRITE, 0, 4), 0);
	ATF_CHECK_EQ(rumpuser_syncfd(fd, RUMPUSER_SYNCFD_BOTH |
	    RUMPUSER_SYNCFD_BARRIER | RUMPUSER_SYNCFD_SYNC, 0, 0), 0);
	ATF_CHECK_EQ(rumpuser_close(fd), 0);

	null = ru_open("/dev/null", RUMPUSER_OPEN_WRONLY);
	ATF_CHECK_EQ(rumpuser_syncfd(null, RUMPUSER_SYNCFD_WRITE, 0, 0), 0);
	ATF_CHECK_EQ(rumpuser_close(null), 0);

	ATF_CHECK_EQ(rumpuser_syncfd(-1, RUMPUSER_SYNCFD_WRITE, 0, 0), EBADF);
	h_check_upcalls();
}

ATF_TC(bio_write_read);
ATF_TC_HEAD(bio_write_read, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "rumpuser_bio writes and reads on an I/O thread and completes "
	    "with a CPU and an lwp");
}
ATF_TC_BODY(bio_write_read, tc)
{
	unsigned char wbuf[8192], rbuf[8192], check[8192];
	struct completion c;
	size_t i;
	int fd;

	h_init();
	unsetenv("RUMP_THREADS");
	completion_init(&c);
	for (i = 0; i < sizeof(wbuf); i++)
		wbuf[i] = byte_at(i);
	fd = ru_open("disk", RUMPUSER_OPEN_RDWR | RUMPUSER_OPEN_CREATE |
	    RUMPUSER_OPEN_BIO);

	rumpuser_bio(fd, RUMPUSER_BIO_WRITE | RUMPUSER_BIO_SYNC, wbuf,
	    sizeof(wbuf), 4096, biodone, &c);
	completion_wait(&c, 1);
	ATF_CHECK_EQ(c.error, 0);
	ATF_CHECK_EQ(c.bytes, sizeof(wbuf));
	ATF_CHECK(!pthread_equal(c.thread, pthread_self()));
	ATF_REQUIRE_EQ(pread(fd, check, sizeof(check), 4096),
	    (ssize_t)sizeof(check));
	ATF_CHECK(memcmp(check, wbuf, sizeof(wbuf)) == 0);

	memset(rbuf, 0, sizeof(rbuf));
	rumpuser_bio(fd, RUMPUSER_BIO_READ, rbuf, sizeof(rbuf), 4096, biodone,
	    &c);
	completion_wait(&c, 2);
	ATF_CHECK_EQ(c.error, 0);
	ATF_CHECK_EQ(c.bytes, sizeof(rbuf));
	ATF_CHECK(memcmp(rbuf, wbuf, sizeof(wbuf)) == 0);

	ATF_CHECK_MSG(c.had_cpu, "a completion ran without a CPU");
	ATF_CHECK_MSG(c.had_lwp, "a completion ran without an lwp");
	ATF_CHECK(atomic_load(&h_newlwp_calls) >= 1);
	ATF_CHECK(atomic_load(&h_schedule_calls) >= 1);
	ATF_CHECK_EQ(rumpuser_close(fd), 0);
	h_check_upcalls();
}

ATF_TC(bio_short_read);
ATF_TC_HEAD(bio_short_read, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "A bio read past the end of the file completes with the bytes "
	    "that exist");
}
ATF_TC_BODY(bio_short_read, tc)
{
	unsigned char buf[4096];
	struct completion c;
	int fd;

	h_init();
	unsetenv("RUMP_THREADS");
	completion_init(&c);
	make_file("disk", 1000);
	fd = ru_open("disk", RUMPUSER_OPEN_RDONLY | RUMPUSER_OPEN_BIO);

	rumpuser_bio(fd, RUMPUSER_BIO_READ, buf, sizeof(buf), 0, biodone, &c);
	completion_wait(&c, 1);
	ATF_CHECK_EQ(c.error, 0);
	ATF_CHECK_EQ(c.bytes, 1000);
	ATF_CHECK_EQ(buf[999], byte_at(999));

	rumpuser_bio(fd, RUMPUSER_BIO_READ, buf, sizeof(buf), 8192, biodone,
	    &c);
	completion_wait(&c, 2);
	ATF_CHECK_EQ(c.error, 0);
	ATF_CHECK_EQ(c.bytes, 0);
	ATF_CHECK_EQ(rumpuser_close(fd), 0);
	h_check_upcalls();
}

ATF_TC(bio_errors);
ATF_TC_HEAD(bio_errors, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "rumpuser_bio completes with 0 bytes and the errno on failure");
}
ATF_TC_BODY(bio_errors, tc)
{
	unsigned char buf[512];
	struct completion c;
	int fd;

	h_init();
	unsetenv("RUMP_THREADS");
	completion_init(&c);

	rumpuser_bio(-1, RUMPUSER_BIO_READ, buf, sizeof(buf), 0, biodone, &c);
	completion_wait(&c, 1);
	ATF_CHECK_EQ(c.error, EBADF);
	ATF_CHECK_EQ(c.bytes, 0);

	make_file("disk", 4096);
	fd = ru_open("disk", RUMPUSER_OPEN_RDONLY | RUMPUSER_OPEN_BIO);
	rumpuser_bio(fd, RUMPUSER_BIO_WRITE, buf, sizeof(buf), 0, biodone,
	    &c);
	completion_wait(&c, 2);
	ATF_CHECK_EQ(c.error, EBADF);
	ATF_CHECK_EQ(c.bytes, 0);

	rumpuser_bio(fd, RUMPUSER_BIO_READ | RUMPUSER_BIO_WRITE, buf,
	    sizeof(buf), 0, biodone, &c);
	completion_wait(&c, 3);
	ATF_CHECK_EQ(c.error, EINVAL);
	ATF_CHECK_EQ(c.bytes, 0);
	ATF_CHECK_EQ(rumpuser_close(fd), 0);
	h_check_upcalls();
}

ATF_TC(bio_queue_full);
ATF_TC_HEAD(bio_queue_full, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "More bio requests than the queue holds all complete, with the "
	    "right data");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(bio_queue_full, tc)
{
	enum { NREQ = 600, BLOCK = 512 };
	static unsigned char blocks[NREQ][BLOCK];
	unsigned char check[BLOCK];
	struct completion c;
	size_t i, j;
	int fd;

	h_init();
	unsetenv("RUMP_THREADS");
	completion_init(&c);
	fd = ru_open("disk", RUMPUSER_OPEN_RDWR | RUMPUSER_OPEN_CREATE |
	    RUMPUSER_OPEN_BIO);

	for (i = 0; i < NREQ; i++) {
		for (j = 0; j < BLOCK; j++)
			blocks[i][j] = byte_at(i + j);
		rumpuser_bio(fd, RUMPUSER_BIO_WRITE, blocks[i], BLOCK,
		    (int64_t)(i * BLOCK), biodone, &c);
	}
	completion_wait(&c, NREQ);
	ATF_CHECK_MSG(c.had_cpu, "a completion ran without a CPU");

	for (i = 0; i < NREQ; i++) {
		ATF_REQUIRE_EQ(pread(fd, check, BLOCK, (off_t)(i * BLOCK)),
		    BLOCK);
		ATF_REQUIRE_MSG(memcmp(check, blocks[i], BLOCK) == 0,
		    "block %zu differs", i);
	}
	ATF_CHECK_EQ(rumpuser_close(fd), 0);
	h_check_upcalls();
}

ATF_TC(bio_synchronous);
ATF_TC_HEAD(bio_synchronous, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "With RUMP_THREADS=0 rumpuser_bio completes in the caller before "
	    "returning");
}
ATF_TC_BODY(bio_synchronous, tc)
{
	unsigned char wbuf[1024], rbuf[1024];
	struct completion c;
	size_t i;
	int fd;

	h_init();
	ATF_REQUIRE_EQ(setenv("RUMP_THREADS", "0", 1), 0);
	completion_init(&c);
	for (i = 0; i < sizeof(wbuf); i++)
		wbuf[i] = byte_at(i);
	fd = ru_open("disk", RUMPUSER_OPEN_RDWR | RUMPUSER_OPEN_CREATE |
	    RUMPUSER_OPEN_BIO);
	atomic_store(&h_backend_unschedule_calls, 0);
	atomic_store(&h_backend_schedule_calls, 0);

	rumpuser_bio(fd, RUMPUSER_BIO_WRITE | RUMPUSER_BIO_SYNC, wbuf,
	    sizeof(wbuf), 512, biodone, &c);
	ATF_REQUIRE_EQ(c.done, 1);
	ATF_CHECK_EQ(c.error, 0);
	ATF_CHECK_EQ(c.bytes, sizeof(wbuf));
	ATF_CHECK(pthread_equal(c.thread, pthread_self()));

	rumpuser_bio(fd, RUMPUSER_BIO_READ, rbuf, sizeof(rbuf), 512, biodone,
	    &c);
	ATF_REQUIRE_EQ(c.done, 2);
	ATF_CHECK_EQ(c.bytes, sizeof(rbuf));
	ATF_CHECK(memcmp(rbuf, wbuf, sizeof(wbuf)) == 0);

	ATF_CHECK_MSG(c.had_cpu, "a completion ran without a CPU");
	ATF_CHECK_EQ(atomic_load(&h_newlwp_calls), 0);
	ATF_CHECK_EQ(atomic_load(&h_backend_unschedule_calls), 2);
	ATF_CHECK_EQ(atomic_load(&h_backend_schedule_calls), 2);
	ATF_CHECK_EQ(rumpuser_close(fd), 0);
	h_check_upcalls();
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, open_modes);
	ATF_TP_ADD_TC(tp, open_invalid);
	ATF_TP_ADD_TC(tp, getfileinfo_types);
	ATF_TP_ADD_TC(tp, getfileinfo_optional);
	ATF_TP_ADD_TC(tp, getfileinfo_blockdev);
	ATF_TP_ADD_TC(tp, iov_offset);
	ATF_TP_ADD_TC(tp, iov_noseek);
	ATF_TP_ADD_TC(tp, iov_invalid);
	ATF_TP_ADD_TC(tp, syncfd_flags);
	ATF_TP_ADD_TC(tp, bio_write_read);
	ATF_TP_ADD_TC(tp, bio_short_read);
	ATF_TP_ADD_TC(tp, bio_errors);
	ATF_TP_ADD_TC(tp, bio_queue_full);
	ATF_TP_ADD_TC(tp, bio_synchronous);
	return atf_no_error();
}
