/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * h_hijack: C library calls of a hijacked program, checked one by one.
 * Run under LD_PRELOAD=librumphijack.so with RUMP_SERVER set and the
 * default RUMPHIJACK (prefix /rump, descriptor offset 128):
 *
 *	h_hijack fds DIR	open, read, write, dup, dup2, fcntl, locks,
 *				close_range, sizes, xattrs, temporary files,
 *				mmap, clone requests, the lowest free number,
 *				bad pointers
 *	h_hijack stdio DIR	fopen, fdopen, freopen, fileno, dprintf, and
 *				stdout and stdin moved onto rump files
 *	h_hijack dirs DIR	opendir, readdir, telldir, seekdir, scandir,
 *				getdents64, glob, nftw, and host directories
 *	h_hijack cwd DIR	chdir, fchdir, getcwd, relative paths, realpath
 *
 * DIR is an empty directory under /rump.  Each group prints "ok NAME" on
 * standard error per check passed; the first failure prints "FAIL" with
 * the line and the failed condition and exits 1.
 */

#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/xattr.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <glob.h>
#include <limits.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FDOFF	128

#define CHECK(cond) do {						\
	if (!(cond))							\
		check_fail(__LINE__, #cond);				\
} while (0)

static void __attribute__((__noreturn__))
check_fail(int line, const char *cond)
{

	fprintf(stderr, "FAIL h_hijack.c:%d: %s (errno %d: %s)\n", line, cond,
	    errno, strerror(errno));
	exit(1);
}

static void
ok(const char *name)
{

	fprintf(stderr, "ok %s\n", name);
}

/* A null pointer the compiler cannot see, for calls that take none. */
static void *volatile badp;

/* An address in the first page, hidden from the compiler's checks too. */
static void *volatile lowp = (void *)8;

static char *
path(const char *dir, const char *name)
{
	static char buf[8][PATH_MAX];
	static int next;
	char *p = buf[next++ % 8];

	snprintf(p, PATH_MAX, "%s/%s", dir, name);
	return p;
}

/* The whole of a rump file, read through the hijack. */
static char *
slurp(const char *file)
{
	static char buf[4096];
	ssize_t n;
	int fd;

	CHECK((fd = open(file, O_RDONLY)) >= FDOFF);
	CHECK((n = read(fd, buf, sizeof(buf) - 1)) >= 0);
	buf[n] = '\0';
	CHECK(close(fd) == 0);
	return buf;
}

/* ------------------------------------------------------------------ */

static void
test_fds(const char *dir)
{
	struct flock fl;
	struct stat st;
	struct statvfs sv;
	struct timeval tv[2];
	char buf[64], tmpl[PATH_MAX], dtmpl[PATH_MAX];
	int fd, fd2, fd3, p[2], flags;
	void *map;

	fd = open(path(dir, "f"), O_CREAT | O_RDWR | O_TRUNC, 0640);
	CHECK(fd >= FDOFF);
	CHECK(write(fd, "hello world", 11) == 11);
	CHECK(pread(fd, buf, 5, 6) == 5);
	CHECK(memcmp(buf, "world", 5) == 0);
	CHECK(lseek(fd, 0, SEEK_CUR) == 11);
	CHECK(fstat(fd, &st) == 0);
	CHECK(st.st_size == 11);
	CHECK(S_ISREG(st.st_mode));
	CHECK((st.st_mode & 0777) == 0640);
	CHECK(isatty(fd) == 0);
	ok("open write pread fstat");

	CHECK((fd2 = dup(fd)) >= FDOFF);
	CHECK(fd2 != fd);
	CHECK((fd3 = fcntl(fd, F_DUPFD, 10)) >= FDOFF);
	CHECK(close(fd3) == 0);
	CHECK((fd3 = fcntl(fd, F_DUPFD_CLOEXEC, FDOFF + 40)) >= FDOFF + 40);
	CHECK(fcntl(fd3, F_GETFD) == FD_CLOEXEC);
	CHECK(fcntl(fd3, F_SETFD, 0) == 0);
	CHECK(fcntl(fd3, F_GETFD) == 0);
	CHECK(dup2(fd, FDOFF + 50) == FDOFF + 50);
	CHECK(fstat(FDOFF + 50, &st) == 0);
	CHECK(st.st_size == 11);
	CHECK(close(FDOFF + 50) == 0);
	CHECK(close(fd3) == 0);
	CHECK(fcntl(FDOFF + 50, F_GETFD) == -1);
	CHECK(errno == EBADF);
	CHECK(dup3(fd, fd, 0) == -1);
	CHECK(errno == EINVAL);
	ok("dup dup2 dup3 F_DUPFD");

	flags = fcntl(fd2, F_GETFL);
	CHECK(flags != -1);
	CHECK((flags & O_ACCMODE) == O_RDWR);
	CHECK(fcntl(fd2, F_SETFL, flags | O_APPEND) == 0);
	CHECK(lseek(fd2, 0, SEEK_SET) == 0);
	CHECK(write(fd2, "!", 1) == 1);
	CHECK(strcmp(slurp(path(dir, "f")), "hello world!") == 0);
	CHECK(close(fd2) == 0);
	ok("F_GETFL F_SETFL");

	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	fl.l_len = 4;
	CHECK(fcntl(fd, F_SETLK, &fl) == 0);
	fl.l_type = F_WRLCK;
	CHECK(fcntl(fd, F_GETLK, &fl) == 0);
	CHECK(fl.l_type == F_UNLCK);
	CHECK(flock(fd, LOCK_EX) == 0);
	CHECK(flock(fd, LOCK_UN) == 0);
	CHECK(lockf(fd, F_TLOCK, 0) == 0);
	CHECK(lockf(fd, F_ULOCK, 0) == 0);
	ok("record locks flock lockf");

	/* A rump descriptor onto a host number is an alias. */
	CHECK(dup2(fd, 7) == 7);
	CHECK(lseek(7, 0, SEEK_END) == 12);
	CHECK(write(7, "\n", 1) == 1);
	CHECK(fstat(7, &st) == 0);
	CHECK(st.st_size == 13);
	CHECK(fcntl(7, F_GETFL) != -1);
	CHECK(close(7) == 0);
	CHECK(fcntl(7, F_GETFD) == -1);
	CHECK(errno == EBADF);
	CHECK(dup2(fd, 7) == 7);
	CHECK(dup2(fd, 7) == 7);
	CHECK(close(fd) == 0);
	CHECK(lseek(7, 0, SEEK_SET) == 0);
	CHECK(read(7, buf, 5) == 5);
	CHECK(memcmp(buf, "hello", 5) == 0);
	CHECK((fd = dup(7)) >= FDOFF);
	CHECK(close(7) == 0);
	ok("alias on a host number");

	/* Host descriptors stay the host's. */
	CHECK(pipe(p) == 0);
	CHECK(p[0] < FDOFF);
	CHECK(p[1] < FDOFF);
	CHECK(write(p[1], "xy", 2) == 2);
	CHECK(read(p[0], buf, 2) == 2);
	CHECK(dup2(p[0], 7) == 7);
	CHECK(close(7) == 0);
	ok("host pipe");

	/* close_range over both kernels keeps the connection working. */
	CHECK((fd2 = dup(fd)) >= FDOFF);
	CHECK(close_range(FDOFF, ~0U, 0) == 0);
	CHECK(fcntl(fd, F_GETFD) == -1);
	CHECK(errno == EBADF);
	CHECK(fcntl(fd2, F_GETFD) == -1);
	CHECK(errno == EBADF);
	CHECK(fcntl(p[0], F_GETFD) != -1);
	CHECK(close_range(3, ~0U, 0) == 0);
	CHECK(fcntl(p[0], F_GETFD) == -1);
	CHECK(errno == EBADF);
	CHECK((fd = open(path(dir, "f"), O_RDWR)) >= FDOFF);
	CHECK((fd2 = dup(fd)) >= FDOFF);
	closefrom(3);
	CHECK(fcntl(fd2, F_GETFD) == -1);
	CHECK(errno == EBADF);
	CHECK((fd = open(path(dir, "f"), O_RDWR)) >= FDOFF);
	ok("close_range closefrom");

	CHECK(ftruncate(fd, 100) == 0);
	CHECK(fstat(fd, &st) == 0);
	CHECK(st.st_size == 100);
	CHECK(truncate(path(dir, "f"), 50) == 0);
	CHECK(stat(path(dir, "f"), &st) == 0);
	CHECK(st.st_size == 50);
	CHECK(posix_fallocate(fd, 0, 8192) == 0);
	CHECK(fstat(fd, &st) == 0);
	CHECK(st.st_size == 8192);
	CHECK(posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL) == 0);
	CHECK(fsync(fd) == 0);
	CHECK(fdatasync(fd) == 0);
	CHECK(syncfs(fd) == 0);
	ok("sizes and sync");

	CHECK(statvfs(dir, &sv) == 0);
	CHECK(sv.f_bsize > 0);
	CHECK(sv.f_namemax > 0);
	CHECK(fstatvfs(fd, &sv) == 0);
	CHECK(sv.f_bsize > 0);
	CHECK(pathconf(dir, _PC_NAME_MAX) > 0);
	CHECK(fpathconf(fd, _PC_NAME_MAX) > 0);
	ok("statvfs pathconf");

	CHECK(getxattr(path(dir, "f"), "user.x", buf, sizeof(buf)) == -1);
	CHECK(errno == ENOTSUP);
	CHECK(listxattr(dir, buf, sizeof(buf)) == -1);
	CHECK(errno == ENOTSUP);
	CHECK(fgetxattr(fd, "user.x", buf, sizeof(buf)) == -1);
	CHECK(errno == ENOTSUP);
	ok("xattrs are not supported");

	tv[0].tv_sec = 1000000;
	tv[0].tv_usec = 0;
	tv[1].tv_sec = 2000000;
	tv[1].tv_usec = 0;
	CHECK(utimes(path(dir, "f"), tv) == 0);
	CHECK(stat(path(dir, "f"), &st) == 0);
	CHECK(st.st_mtime == 2000000);
	CHECK(st.st_atime == 1000000);
	CHECK(futimes(fd, NULL) == 0);
	CHECK(fstat(fd, &st) == 0);
	CHECK(st.st_mtime > 2000000);
	CHECK(chmod(path(dir, "f"), 0600) == 0);
	CHECK(fchmod(fd, 0604) == 0);
	CHECK(stat(path(dir, "f"), &st) == 0);
	CHECK((st.st_mode & 0777) == 0604);
	ok("times and modes");

	snprintf(tmpl, sizeof(tmpl), "%s/tmpXXXXXX", dir);
	CHECK((fd2 = mkstemp(tmpl)) >= FDOFF);
	CHECK(strstr(tmpl, "XXXXXX") == NULL);
	CHECK(stat(tmpl, &st) == 0);
	CHECK(unlink(tmpl) == 0);
	CHECK(close(fd2) == 0);
	snprintf(dtmpl, sizeof(dtmpl), "%s/dirXXXXXX", dir);
	CHECK(mkdtemp(dtmpl) == dtmpl);
	CHECK(stat(dtmpl, &st) == 0);
	CHECK(S_ISDIR(st.st_mode));
	CHECK(rmdir(dtmpl) == 0);
	ok("mkstemp mkdtemp");

	CHECK(rename(path(dir, "f"), "/tmp/h_hijack_never") == -1);
	CHECK(errno == EXDEV);
	CHECK(link(path(dir, "f"), "/tmp/h_hijack_never") == -1);
	CHECK(errno == EXDEV);
	CHECK(rename(path(dir, "f"), path(dir, "g")) == 0);
	CHECK(link(path(dir, "g"), path(dir, "f")) == 0);
	CHECK(stat(path(dir, "g"), &st) == 0);
	CHECK(st.st_nlink == 2);
	CHECK(unlink(path(dir, "g")) == 0);
	CHECK(access(path(dir, "f"), R_OK) == 0);
	CHECK(access(path(dir, "g"), F_OK) == -1);
	CHECK(errno == ENOENT);
	CHECK(mkfifo(path(dir, "fifo"), 0600) == 0);
	CHECK(lstat(path(dir, "fifo"), &st) == 0);
	CHECK(S_ISFIFO(st.st_mode));
	CHECK(remove(path(dir, "fifo")) == 0);
	ok("rename link across and within");

	/* Private mappings are copies; shared ones cannot be made. */
	CHECK(pwrite(fd, "mapped", 6, 4096) == 6);
	CHECK((map = mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, fd, 0)) !=
	    MAP_FAILED);
	CHECK(memcmp((char *)map + 4096, "mapped", 6) == 0);
	CHECK(munmap(map, 8192) == 0);
	CHECK((map = mmap(NULL, 100, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd,
	    4096)) != MAP_FAILED);
	CHECK(memcmp(map, "mapped", 6) == 0);
	memcpy(map, "MAPPED", 6);
	CHECK(pread(fd, buf, 6, 4096) == 6);
	CHECK(memcmp(buf, "mapped", 6) == 0);
	CHECK(munmap(map, 100) == 0);
	CHECK(mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED);
	CHECK(errno == ENODEV);
	ok("mmap");

	CHECK(socket(AF_INET, SOCK_STREAM, 0) == -1);
	CHECK(errno == EAFNOSUPPORT);
	CHECK((fd2 = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0);
	CHECK(fd2 < FDOFF);
	CHECK(close(fd2) == 0);
	ok("sockets");

	/* The rump kernel cannot share blocks, so a clone fails as on ext2. */
	CHECK((fd2 = open(path(dir, "clone"), O_CREAT | O_WRONLY, 0644)) >=
	    FDOFF);
	CHECK(ioctl(fd2, FICLONE, fd) == -1);
	CHECK(errno == EOPNOTSUPP);
	CHECK((fd3 = open("/dev/null", O_RDONLY)) >= 0);
	CHECK(ioctl(fd2, FICLONE, fd3) == -1);
	CHECK(errno == EXDEV);
	CHECK(close(fd3) == 0);
	CHECK(ioctl(fd2, FICLONE, FDOFF + 900) == -1);
	CHECK(errno == EBADF);
	CHECK(close(fd2) == 0);
	ok("FICLONE");

	/*
	 * A closed standard descriptor is the lowest free number, which
	 * dup, F_DUPFD and open return, as in "close(0); dup(fd)".
	 */
	CHECK(close(0) == 0 || errno == EBADF);
	CHECK(dup(fd) == 0);
	CHECK(pread(0, buf, 5, 0) == 5);
	CHECK(memcmp(buf, "hello", 5) == 0);
	CHECK(close(0) == 0);
	CHECK(fcntl(fd, F_DUPFD, 0) == 0);
	CHECK((fd2 = fcntl(fd, F_DUPFD, 1)) >= FDOFF);
	CHECK(close(fd2) == 0);
	CHECK(close(0) == 0);
	CHECK(open(path(dir, "f"), O_RDONLY | O_CLOEXEC) == 0);
	CHECK(fcntl(0, F_GETFD) == FD_CLOEXEC);
	CHECK(fstat(0, &st) == 0);
	CHECK(S_ISREG(st.st_mode));
	CHECK(close(0) == 0);
	CHECK(open("/dev/null", O_RDONLY) == 0);
	CHECK((fd2 = dup(fd)) >= FDOFF);
	CHECK(close(fd2) == 0);
	ok("lowest free number");

	/* Bad pointers fail with EFAULT, as the host kernel fails them. */
	CHECK(open((char *)1, O_RDONLY) == -1);
	CHECK(errno == EFAULT);
	CHECK(open(badp, O_RDONLY) == -1);
	CHECK(errno == EFAULT);
	CHECK(stat(path(dir, "f"), badp) == -1);
	CHECK(errno == EFAULT);
	CHECK(fstat(fd, (struct stat *)8) == -1);
	CHECK(errno == EFAULT);
	CHECK(read(fd, badp, 4) == -1);
	CHECK(errno == EFAULT);
	CHECK(read(fd, badp, 0) == 0);
	CHECK(pread(fd, (char *)-1, 4, 0) == -1);
	CHECK(errno == EFAULT);
	CHECK(rename(path(dir, "f"), badp) == -1);
	CHECK(errno == EFAULT);
	CHECK(link(badp, path(dir, "g")) == -1);
	CHECK(errno == EFAULT);
	CHECK(fstatat(fd, (char *)16, &st, 0) == -1);
	CHECK(errno == EFAULT);
	CHECK(utimes(path(dir, "f"), lowp) == -1);
	CHECK(errno == EFAULT);
	CHECK(utimensat(AT_FDCWD, path(dir, "f"), lowp, 0) == -1);
	CHECK(errno == EFAULT);
	CHECK(chdir(dir) == 0);
	CHECK(getcwd((char *)1, 100) == NULL);
	CHECK(errno == EFAULT);
	CHECK(chdir("/") == 0);
	ok("bad pointers");
	CHECK(close(fd) == 0);
}

/* ------------------------------------------------------------------ */

static void
test_stdio(const char *dir)
{
	char line[128];
	FILE *fp, *orig;
	long pos;
	int fd, saved;

	CHECK((fp = fopen(path(dir, "s"), "w")) != NULL);
	CHECK(fileno(fp) >= FDOFF);
	CHECK(fprintf(fp, "one %d\n", 1) == 6);
	CHECK(fclose(fp) == 0);
	CHECK((fp = fopen(path(dir, "s"), "a")) != NULL);
	CHECK(fputs("two\n", fp) >= 0);
	CHECK(fclose(fp) == 0);
	CHECK(strcmp(slurp(path(dir, "s")), "one 1\ntwo\n") == 0);
	CHECK((fp = fopen(path(dir, "s"), "r+")) != NULL);
	CHECK(fgets(line, sizeof(line), fp) != NULL);
	CHECK(strcmp(line, "one 1\n") == 0);
	CHECK((pos = ftell(fp)) == 6);
	CHECK(fseek(fp, 0, SEEK_SET) == 0);
	CHECK(fputs("ONE", fp) >= 0);
	CHECK(fclose(fp) == 0);
	CHECK(strcmp(slurp(path(dir, "s")), "ONE 1\ntwo\n") == 0);
	CHECK(fopen(path(dir, "missing"), "r") == NULL);
	CHECK(errno == ENOENT);
	CHECK(fopen(path(dir, "s"), "wx") == NULL);
	CHECK(errno == EEXIST);
	ok("fopen");

	CHECK((fd = open(path(dir, "s"), O_RDONLY)) >= FDOFF);
	CHECK((fp = fdopen(fd, "r")) != NULL);
	CHECK(fileno(fp) == fd);
	CHECK(fgets(line, sizeof(line), fp) != NULL);
	CHECK(strcmp(line, "ONE 1\n") == 0);
	CHECK(fclose(fp) == 0);
	CHECK(fcntl(fd, F_GETFD) == -1);
	CHECK((fd = open(path(dir, "s"), O_RDONLY)) >= FDOFF);
	CHECK(fdopen(fd, "w") == NULL);
	CHECK(errno == EINVAL);
	CHECK(close(fd) == 0);
	CHECK((fp = fopen(path(dir, "s"), "r")) != NULL);
	CHECK((fp = freopen(path(dir, "t"), "w", fp)) != NULL);
	CHECK(fputs("reopened\n", fp) >= 0);
	CHECK(fclose(fp) == 0);
	CHECK(strcmp(slurp(path(dir, "t")), "reopened\n") == 0);
	CHECK((fp = fopen("/dev/null", "r")) != NULL);
	CHECK(fileno(fp) < FDOFF);
	CHECK(freopen(path(dir, "t"), "r", fp) == NULL);
	CHECK(errno == ENOTSUP);
	ok("fdopen freopen");

	/* stdout moved onto a rump file with dup2, then back. */
	orig = stdout;
	CHECK((saved = dup(1)) >= 0);
	CHECK(saved < FDOFF);
	CHECK((fd = open(path(dir, "out"), O_CREAT | O_WRONLY, 0644)) >= 0);
	CHECK(dup2(fd, 1) == 1);
	CHECK(close(fd) == 0);
	CHECK(stdout != orig);
	CHECK(fileno(stdout) == 1);
	printf("through stdout %d\n", 42);
	fputs("and fputs\n", stdout);
	CHECK(fflush(stdout) == 0);
	CHECK(dup2(saved, 1) == 1);
	CHECK(close(saved) == 0);
	CHECK(stdout == orig);
	CHECK(strcmp(slurp(path(dir, "out")),
	    "through stdout 42\nand fputs\n") == 0);
	ok("stdout onto a rump file");

	/* freopen of stdout onto a rump path. */
	CHECK((saved = dup(1)) >= 0);
	CHECK(freopen(path(dir, "out2"), "w", stdout) == stdout);
	printf("freopened\n");
	CHECK(fflush(stdout) == 0);
	CHECK(dup2(saved, 1) == 1);
	CHECK(close(saved) == 0);
	CHECK(stdout == orig);
	CHECK(strcmp(slurp(path(dir, "out2")), "freopened\n") == 0);
	ok("freopen stdout");

	/* stdin from a rump file. */
	CHECK((saved = dup(0)) >= 0);
	CHECK((fd = open(path(dir, "s"), O_RDONLY)) >= FDOFF);
	CHECK(dup2(fd, 0) == 0);
	CHECK(close(fd) == 0);
	CHECK(fgets(line, sizeof(line), stdin) != NULL);
	CHECK(strcmp(line, "ONE 1\n") == 0);
	CHECK(scanf("%127s", line) == 1);
	CHECK(strcmp(line, "two") == 0);
	CHECK(dup2(saved, 0) == 0);
	CHECK(close(saved) == 0);
	ok("stdin from a rump file");

	/* stderr onto a rump file is unbuffered. */
	CHECK((saved = dup(2)) >= 0);
	CHECK((fd = open(path(dir, "err"), O_CREAT | O_WRONLY, 0644)) >= 0);
	CHECK(dup2(fd, 2) == 2);
	CHECK(close(fd) == 0);
	fprintf(stderr, "to err");
	CHECK(dup2(saved, 2) == 2);
	CHECK(close(saved) == 0);
	CHECK(strcmp(slurp(path(dir, "err")), "to err") == 0);
	ok("stderr onto a rump file");

	/* "close(1); dup(fd)", as tar's compressor child does. */
	CHECK((saved = dup(1)) >= 0);
	CHECK((fd = open(path(dir, "out3"), O_CREAT | O_WRONLY, 0644)) >=
	    FDOFF);
	CHECK(close(1) == 0);
	CHECK(dup(fd) == 1);
	CHECK(close(fd) == 0);
	CHECK(stdout != orig);
	printf("lowest\n");
	CHECK(fflush(stdout) == 0);
	CHECK(close(1) == 0);
	CHECK(stdout == orig);
	CHECK(open(path(dir, "out3"), O_WRONLY | O_APPEND) == 1);
	printf("again\n");
	CHECK(fflush(stdout) == 0);
	CHECK(dup2(saved, 1) == 1);
	CHECK(close(saved) == 0);
	CHECK(stdout == orig);
	CHECK(strcmp(slurp(path(dir, "out3")), "lowest\nagain\n") == 0);
	ok("closed stdout is the lowest number");

	/* dprintf formats with glibc's own stream, which writes unseen. */
	CHECK((fd = open(path(dir, "dp"), O_CREAT | O_WRONLY, 0644)) >= FDOFF);
	CHECK(dprintf(fd, "%s %d\n", "dprintf", 7) == 10);
	CHECK(close(fd) == 0);
	CHECK(strcmp(slurp(path(dir, "dp")), "dprintf 7\n") == 0);
	ok("dprintf");
}

/* ------------------------------------------------------------------ */

static int
skipdots(const struct dirent *de)
{

	return strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
}

/* What the nftw callback saw: a count per type flag and the levels. */
static int walk_types[8], walk_maxlevel;
static char walk_order[4096];

static int
walk_cb(const char *p, const struct stat *st, int type, struct FTW *f)
{

	if (type >= 0 && type < 8)
		walk_types[type]++;
	if (f->level > walk_maxlevel)
		walk_maxlevel = f->level;
	/* Keep "sub" and what is below it, in visiting order. */
	if (strstr(p, "/sub") != NULL)
		snprintf(walk_order + strlen(walk_order),
		    sizeof(walk_order) - strlen(walk_order), "%s%c:%d ",
		    p + f->base, "FDNnPLs"[type], f->level);
	return 0;
}

static int
walk_stop(const char *p, const struct stat *st, int type, struct FTW *f)
{

	return type == FTW_F ? FTW_STOP : FTW_CONTINUE;
}

static void
test_dirs(const char *dir)
{
	struct dirent *de, ent, *res, **list;
	char name[256], seen[64], buf[4096];
	long pos;
	glob_t g;
	DIR *d, *h;
	int i, n, count, fd;
	ssize_t len;

	for (i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "e%02d", i);
		CHECK((fd = open(path(dir, name), O_CREAT | O_WRONLY, 0644)) >=
		    FDOFF);
		CHECK(close(fd) == 0);
	}
	CHECK(mkdir(path(dir, "sub"), 0755) == 0);

	CHECK((d = opendir(dir)) != NULL);
	CHECK(dirfd(d) >= FDOFF);
	memset(seen, 0, sizeof(seen));
	count = 0;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == 'e') {
			i = atoi(de->d_name + 1);
			CHECK(i >= 0);
			CHECK(i < 40);
			CHECK(!seen[i]);
			CHECK(de->d_type == DT_REG);
			seen[i] = 1;
		} else if (strcmp(de->d_name, "sub") == 0)
			CHECK(de->d_type == DT_DIR);
		count++;
	}
	CHECK(count == 43);
	for (i = 0; i < 40; i++)
		CHECK(seen[i]);
	ok("opendir readdir");

	rewinddir(d);
	for (i = 0; i < 10; i++)
		CHECK(readdir(d) != NULL);
	pos = telldir(d);
	CHECK((de = readdir(d)) != NULL);
	snprintf(name, sizeof(name), "%s", de->d_name);
	for (i = 0; i < 5; i++)
		CHECK(readdir(d) != NULL);
	seekdir(d, pos);
	CHECK((de = readdir(d)) != NULL);
	CHECK(strcmp(de->d_name, name) == 0);
	rewinddir(d);
	count = 0;
	/* Deprecated, but still called by programs. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
	while (readdir_r(d, &ent, &res) == 0 && res != NULL)
		count++;
#pragma GCC diagnostic pop
	CHECK(count == 43);
	CHECK(closedir(d) == 0);
	ok("telldir seekdir rewinddir readdir_r");

	CHECK((fd = open(dir, O_RDONLY | O_DIRECTORY)) >= FDOFF);
	CHECK((d = fdopendir(fd)) != NULL);
	CHECK(dirfd(d) == fd);
	count = 0;
	while (readdir64(d) != NULL)
		count++;
	CHECK(count == 43);
	CHECK(closedir(d) == 0);
	CHECK(fcntl(fd, F_GETFD) == -1);
	CHECK(errno == EBADF);
	CHECK((fd = open(path(dir, "e00"), O_RDONLY)) >= FDOFF);
	CHECK(fdopendir(fd) == NULL);
	CHECK(errno == ENOTDIR);
	CHECK(close(fd) == 0);
	ok("fdopendir");

	CHECK((n = scandir(dir, &list, skipdots, alphasort)) == 41);
	CHECK(strcmp(list[0]->d_name, "e00") == 0);
	CHECK(strcmp(list[39]->d_name, "e39") == 0);
	CHECK(strcmp(list[40]->d_name, "sub") == 0);
	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
	ok("scandir");

	CHECK((fd = open(dir, O_RDONLY | O_DIRECTORY)) >= FDOFF);
	count = 0;
	while ((len = getdents64(fd, buf, sizeof(buf))) > 0) {
		for (i = 0; i < len; ) {
			de = (struct dirent *)(buf + i);
			i += de->d_reclen;
			count++;
		}
	}
	CHECK(len == 0);
	CHECK(count == 43);
	CHECK(close(fd) == 0);
	ok("getdents64");

	snprintf(buf, sizeof(buf), "%s/e1*", dir);
	CHECK(glob(buf, 0, NULL, &g) == 0);
	CHECK(g.gl_pathc == 10);
	CHECK(strcmp(g.gl_pathv[0], path(dir, "e10")) == 0);
	globfree(&g);
	ok("glob");

	CHECK(mkdir(path(dir, "sub/inner"), 0755) == 0);
	CHECK((fd = open(path(dir, "sub/inner/leaf"), O_CREAT | O_WRONLY,
	    0644)) >= FDOFF);
	CHECK(close(fd) == 0);
	CHECK(symlink("nowhere", path(dir, "sub/dangling")) == 0);
	memset(walk_types, 0, sizeof(walk_types));
	walk_order[0] = '\0';
	CHECK(nftw(dir, walk_cb, 4, FTW_PHYS | FTW_DEPTH) == 0);
	CHECK(walk_types[FTW_F] == 41);
	CHECK(walk_types[FTW_DP] == 3);
	CHECK(walk_types[FTW_SL] == 1);
	CHECK(walk_types[FTW_D] == 0);
	CHECK(walk_maxlevel == 3);
	CHECK(strstr(walk_order, "leaf") < strstr(walk_order, "inner"));
	memset(walk_types, 0, sizeof(walk_types));
	CHECK(nftw(dir, walk_cb, 4, 0) == 0);
	CHECK(walk_types[FTW_D] == 3);
	CHECK(walk_types[FTW_SLN] == 1);
	CHECK(nftw(dir, walk_stop, 4, FTW_ACTIONRETVAL) == FTW_STOP);
	CHECK(unlink(path(dir, "sub/dangling")) == 0);
	ok("nftw");

	/* Host directories keep glibc's streams. */
	CHECK((h = opendir("/")) != NULL);
	CHECK(dirfd(h) < FDOFF);
	count = 0;
	while ((de = readdir(h)) != NULL)
		count += strcmp(de->d_name, "tmp") == 0;
	CHECK(count == 1);
	CHECK(closedir(h) == 0);
	ok("host opendir");
}

/* ------------------------------------------------------------------ */

static void
test_cwd(const char *dir)
{
	char buf[PATH_MAX], want[PATH_MAX], *p;
	struct stat st;
	int fd, hostfd, rumpfd;

	CHECK(mkdir(path(dir, "c"), 0755) == 0);
	CHECK((rumpfd = open(dir, O_RDONLY | O_DIRECTORY)) >= FDOFF);
	CHECK((hostfd = open("/", O_RDONLY | O_DIRECTORY)) >= 0);
	CHECK(hostfd < FDOFF);

	CHECK(chdir(dir) == 0);
	CHECK(getcwd(buf, sizeof(buf)) == buf);
	CHECK(strcmp(buf, dir) == 0);
	CHECK((p = getcwd(NULL, 0)) != NULL);
	CHECK(strcmp(p, dir) == 0);
	free(p);
	CHECK((p = get_current_dir_name()) != NULL);
	CHECK(strcmp(p, dir) == 0);
	free(p);
	CHECK(getcwd(buf, 3) == NULL);
	CHECK(errno == ERANGE);
	ok("chdir getcwd");

	CHECK((fd = open("rel", O_CREAT | O_WRONLY, 0644)) >= FDOFF);
	CHECK(write(fd, "r", 1) == 1);
	CHECK(close(fd) == 0);
	CHECK(stat(path(dir, "rel"), &st) == 0);
	CHECK(st.st_size == 1);
	CHECK(chdir("c") == 0);
	CHECK(stat("../rel", &st) == 0);
	snprintf(want, sizeof(want), "%s/c", dir);
	CHECK(getcwd(buf, sizeof(buf)) != NULL);
	CHECK(strcmp(buf, want) == 0);
	ok("relative paths");

	CHECK(symlink("../rel", "lrel") == 0);
	CHECK(symlink("/notthere", "dangling") == 0);
	CHECK(realpath("lrel", buf) == buf);
	CHECK(strcmp(buf, path(dir, "rel")) == 0);
	CHECK((p = realpath(path(dir, "c/../c/./lrel"), NULL)) != NULL);
	CHECK(strcmp(p, path(dir, "rel")) == 0);
	free(p);
	CHECK((p = canonicalize_file_name(".")) != NULL);
	CHECK(strcmp(p, want) == 0);
	free(p);
	CHECK(realpath("dangling", buf) == NULL);
	CHECK(errno == ENOENT);
	CHECK(realpath("lrel/x", buf) == NULL);
	CHECK(errno == ENOTDIR);
	CHECK((p = realpath("/rump/../..", NULL)) != NULL);
	CHECK(strcmp(p, "/rump") == 0);
	free(p);
	ok("realpath");

	CHECK(fchdir(hostfd) == 0);
	CHECK(getcwd(buf, sizeof(buf)) != NULL);
	CHECK(strcmp(buf, "/") == 0);
	CHECK(stat("tmp", &st) == 0);
	CHECK(S_ISDIR(st.st_mode));
	CHECK(fchdir(rumpfd) == 0);
	CHECK(getcwd(buf, sizeof(buf)) != NULL);
	CHECK(strcmp(buf, dir) == 0);
	CHECK(stat("rel", &st) == 0);
	CHECK(chdir("/rump") == 0);
	CHECK(chdir("..") == 0);
	CHECK(getcwd(buf, sizeof(buf)) != NULL);
	CHECK(strcmp(buf, "/rump") == 0);
	CHECK(chdir("/tmp") == 0);
	CHECK(getcwd(buf, sizeof(buf)) != NULL);
	CHECK(strcmp(buf, "/tmp") == 0);
	CHECK(close(rumpfd) == 0);
	CHECK(close(hostfd) == 0);
	ok("fchdir between kernels");
}

int
main(int argc, char *argv[])
{

	if (argc != 3) {
		fprintf(stderr, "usage: h_hijack fds|stdio|dirs|cwd DIR\n");
		return 2;
	}
	if (strcmp(argv[1], "fds") == 0)
		test_fds(argv[2]);
	else if (strcmp(argv[1], "stdio") == 0)
		test_stdio(argv[2]);
	else if (strcmp(argv[1], "dirs") == 0)
		test_dirs(argv[2]);
	else if (strcmp(argv[1], "cwd") == 0)
		test_cwd(argv[2]);
	else {
		fprintf(stderr, "h_hijack: unknown group %s "
		    "(expected fds, stdio, dirs or cwd)\n", argv[1]);
		return 2;
	}
	fprintf(stderr, "passed\n");
	return 0;
}
