/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ext2 on an image in tmpfs (/dev/shm), through our kernel and through
 * fuse2fs in the same run.  Each side gets its own image, made by the
 * same mke2fs command (ext2, 4 KiB blocks), and does the same work:
 *
 *   write     a 256 MiB file in 1 MiB calls, then fsync and close
 *   read      the file back in 1 MiB calls after an unmount and a mount,
 *             so that the file system's caches start empty
 *   copy in   a tree of 10,000 files of 1 to 8 KiB in 100 directories,
 *             from the host into the image, then unmount: the time
 *             includes the unmount, which writes everything out
 *   copy out  the tree back to the host after a fresh mount, found by
 *             listing the directories
 *
 * Our side makes its calls with rump_sys_* on a bound lwp and mounts the
 * image as "ext2" from an etfs block device.  The fuse2fs side runs
 * `fuse2fs IMAGE MOUNTPOINT -o fakeroot -f` as a child process, makes
 * the same calls through the host's system calls and unmounts with
 * fusermount3 -u.  Afterwards the copied-out trees are compared with the
 * source tree and `e2fsck -fn` checks both images.  Without fuse2fs,
 * fusermount3 or /dev/fuse the program prints a message and measures our
 * side only.
 *
 * The reference figures for NetBSD's FFS are those quoted for the
 * original rump kernel on the same kind of machine; they are printed, not
 * measured.
 *
 * The exit status is 1 when a figure of our kernel could not be measured,
 * its tree came back different or e2fsck found its image unclean.
 *
 * usage: bench_ext2 [-f files] [-m MiB] [-d directory] [-k]
 *   -f  files in the tree (10000), spread over 100 directories
 *   -m  size of the big file in MiB (256)
 *   -d  where the work directory is made (/dev/shm)
 *   -k  keep the work directory
 */

#include <sys/types.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#define MIB		(1024.0 * 1024.0)
#define CHUNK		(1u << 20)	/* bytes per read or write call */
#define NDIRS		100
#define MAXFILE		8192		/* largest file of the tree */
#define FFS_WRITE	378.0		/* NetBSD FFS, MiB/s, write + fsync */
#define FFS_READ	655.0		/* NetBSD FFS, MiB/s, read after remount */
#define RUMP_DEV	"/dev/ext2img"
#define RUMP_MNT	"/mnt"

enum side { RUMP, FUSE, NSIDES };

static const char *side_names[NSIDES] = { "rump ext2", "fuse2fs" };

/* The same system call on either side. */
#define SYS(side, name, ...) ((side) == RUMP ? (long)rump_sys_##name(__VA_ARGS__) \
	: (long)name(__VA_ARGS__))

struct figures {
	double	write_mibs;		/* 0: not measured */
	double	read_mibs;
	double	in_files, in_mibs;
	double	out_files, out_mibs;
	const char *contents;		/* the comparison of the trees */
	int	fsck_status;		/* -1: not run */
};

static char workdir[PATH_MAX];
static char srcdir[PATH_MAX];
static char images[NSIDES][PATH_MAX];
static char outdirs[NSIDES][PATH_MAX];
static char fusemnt[PATH_MAX];
static const char *bases[NSIDES] = { RUMP_MNT, fusemnt };

static pid_t fuse_pid = -1;
static bool fuse_mounted;

static unsigned nfiles = 10000;
static unsigned bigmib = 256;
static uint64_t tree_bytes;

static unsigned char *chunk;
static unsigned char filebuf[MAXFILE];

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Format a path into buf; a path longer than the buffer is fatal. */
static void __attribute__((format(printf, 3, 4)))
path_format(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (len < 0 || (size_t)len >= size)
		errx(1, "path too long: %s...", buf);
}

/* ------------------------------------------------------------------ */
/* Host commands. */

/* Run argv, its output to /dev/null when quiet; returns its exit status. */
static int
run(char *const argv[], bool quiet)
{
	pid_t pid;
	int status, fd;

	pid = fork();
	if (pid == -1)
		err(1, "fork");
	if (pid == 0) {
		if (quiet && (fd = open("/dev/null", O_WRONLY)) != -1) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) == -1)
		err(1, "waitpid %s", argv[0]);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

/* Whether the program name is found on PATH. */
static bool
have_program(const char *name)
{
	char *const argv[] = { "sh", "-c", "command -v \"$0\"", (char *)name,
	    NULL };

	return run(argv, true) == 0;
}

/* ------------------------------------------------------------------ */
/* The source tree: NDIRS directories of files of 1 to 8 KiB. */

static uint64_t
xorshift(uint64_t *state)
{

	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

static size_t
tree_file(unsigned i, unsigned char *buf)
{
	uint64_t state = 0x9e3779b97f4a7c15ull * (i + 1);
	size_t len, j;

	len = 1024 + xorshift(&state) % (MAXFILE - 1024 + 1);
	for (j = 0; j < len; j += 8) {
		uint64_t v = xorshift(&state);

		memcpy(buf + j, &v, len - j < 8 ? len - j : 8);
	}
	return len;
}

static void
make_tree(void)
{
	char path[PATH_MAX];
	unsigned i;
	size_t len;
	int fd;

	if (mkdir(srcdir, 0755) == -1)
		err(1, "mkdir %s", srcdir);
	for (i = 0; i < NDIRS; i++) {
		path_format(path, sizeof(path), "%s/d%02u", srcdir, i);
		if (mkdir(path, 0755) == -1)
			err(1, "mkdir %s", path);
	}
	for (i = 0; i < nfiles; i++) {
		path_format(path, sizeof(path), "%s/d%02u/f%05u", srcdir,
		    i % NDIRS, i);
		len = tree_file(i, filebuf);
		fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
		if (fd == -1 || write(fd, filebuf, len) != (ssize_t)len)
			err(1, "write %s", path);
		close(fd);
		tree_bytes += len;
	}
}

static void
make_image(const char *path, uint64_t mib)
{
	char size[32];
	char *const argv[] = { "mke2fs", "-q", "-F", "-t", "ext2", "-b", "4096",
	    "-L", "bench", (char *)path, size, NULL };

	snprintf(size, sizeof(size), "%llum", (unsigned long long)mib);
	if (run(argv, true) != 0)
		errx(1, "mke2fs %s failed", path);
}

/* ------------------------------------------------------------------ */
/* Mounting and unmounting either side. */

static int
rump_mount(void)
{

	if (rump_sys_mount(RUMP_DEV, RUMP_MNT, "ext2", 0, NULL) == -1)
		return errno;
	return 0;
}

static int
rump_unmount(void)
{

	if (rump_sys_umount(RUMP_MNT) == -1)
		return errno;
	return 0;
}

/* Start fuse2fs in the foreground as a child and wait for its mount. */
static int
fuse_mount(void)
{
	struct stat st, parent;
	double deadline;
	int status;

	fuse_pid = fork();
	if (fuse_pid == -1)
		err(1, "fork");
	if (fuse_pid == 0) {
		execlp("fuse2fs", "fuse2fs", images[FUSE], fusemnt, "-o",
		    "fakeroot", "-f", (char *)NULL);
		_exit(127);
	}

	/* The mount is there when the mount point's device changes. */
	if (stat(workdir, &parent) == -1)
		err(1, "stat %s", workdir);
	deadline = now_s() + 10;
	while (now_s() < deadline) {
		if (waitpid(fuse_pid, &status, WNOHANG) == fuse_pid) {
			fuse_pid = -1;
			warnx("fuse2fs exited before mounting (status %d)",
			    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
			return EIO;
		}
		if (stat(fusemnt, &st) == 0 && st.st_dev != parent.st_dev) {
			fuse_mounted = true;
			return 0;
		}
		usleep(2000);
	}
	warnx("fuse2fs did not mount %s within 10 s", fusemnt);
	kill(fuse_pid, SIGTERM);
	waitpid(fuse_pid, NULL, 0);
	fuse_pid = -1;
	return ETIMEDOUT;
}

/* Unmount and wait for fuse2fs to finish writing and exit. */
static int
fuse_unmount(void)
{
	char *const argv[] = { "fusermount3", "-u", fusemnt, NULL };
	int status;

	if (run(argv, false) != 0)
		return EBUSY;
	fuse_mounted = false;
	if (fuse_pid != -1 && waitpid(fuse_pid, &status, 0) == fuse_pid) {
		fuse_pid = -1;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			warnx("fuse2fs exited with status %d",
			    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
			return EIO;
		}
	}
	return 0;
}

static int
side_mount(enum side s)
{

	return s == RUMP ? rump_mount() : fuse_mount();
}

static int
side_unmount(enum side s)
{

	return s == RUMP ? rump_unmount() : fuse_unmount();
}

static void
cleanup(void)
{
	char *const argv[] = { "fusermount3", "-u", "-z", fusemnt, NULL };

	if (fuse_mounted)
		run(argv, true);
	if (fuse_pid != -1) {
		kill(fuse_pid, SIGTERM);
		waitpid(fuse_pid, NULL, 0);
	}
}

/* ------------------------------------------------------------------ */
/* The four figures.  Each returns 0 or an errno, and warns on error. */

/* Stamp every 4 KiB of the chunk at file offset off with that offset. */
static void
stamp_chunk(uint64_t off)
{
	uint64_t o;

	for (o = 0; o < CHUNK; o += 4096) {
		uint64_t v = off + o;

		memcpy(chunk + o, &v, sizeof(v));
	}
}

static bool
chunk_stamped(uint64_t off)
{
	uint64_t o, v;

	for (o = 0; o < CHUNK; o += 4096) {
		memcpy(&v, chunk + o, sizeof(v));
		if (v != off + o)
			return false;
	}
	return true;
}

static int
bench_write(enum side s, double *mibs)
{
	char path[PATH_MAX];
	uint64_t off, size = (uint64_t)bigmib << 20;
	double t0;
	long fd;

	path_format(path, sizeof(path), "%s/big", bases[s]);
	t0 = now_s();
	fd = SYS(s, open, path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	if (fd == -1) {
		warn("%s: create %s", side_names[s], path);
		return errno;
	}
	for (off = 0; off < size; off += CHUNK) {
		stamp_chunk(off);
		if (SYS(s, write, (int)fd, chunk, CHUNK) != CHUNK) {
			warn("%s: write %s at %llu", side_names[s], path,
			    (unsigned long long)off);
			SYS(s, close, (int)fd);
			return errno ? errno : EIO;
		}
	}
	if (SYS(s, fsync, (int)fd) == -1) {
		warn("%s: fsync %s", side_names[s], path);
		SYS(s, close, (int)fd);
		return errno;
	}
	SYS(s, close, (int)fd);
	*mibs = (double)size / MIB / (now_s() - t0);
	return 0;
}

static int
bench_read(enum side s, double *mibs)
{
	char path[PATH_MAX];
	uint64_t off, size = (uint64_t)bigmib << 20;
	double t0;
	long fd;

	path_format(path, sizeof(path), "%s/big", bases[s]);
	t0 = now_s();
	fd = SYS(s, open, path, O_RDONLY);
	if (fd == -1) {
		warn("%s: open %s", side_names[s], path);
		return errno;
	}
	for (off = 0; off < size; off += CHUNK) {
		if (SYS(s, read, (int)fd, chunk, CHUNK) != CHUNK) {
			warn("%s: read %s at %llu", side_names[s], path,
			    (unsigned long long)off);
			SYS(s, close, (int)fd);
			return errno ? errno : EIO;
		}
		if (!chunk_stamped(off)) {
			warnx("%s: %s: wrong data in the MiB at %llu",
			    side_names[s], path, (unsigned long long)off);
			SYS(s, close, (int)fd);
			return EIO;
		}
	}
	SYS(s, close, (int)fd);
	*mibs = (double)size / MIB / (now_s() - t0);
	return 0;
}

/* Copy the host file from into the side's file to. */
static int
copy_file_in(enum side s, const char *from, const char *to)
{
	ssize_t len;
	long fd;
	int hfd;

	hfd = open(from, O_RDONLY);
	if (hfd == -1 || (len = read(hfd, filebuf, sizeof(filebuf))) < 0)
		err(1, "read %s", from);
	close(hfd);

	fd = SYS(s, open, to, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	if (fd == -1) {
		warn("%s: create %s", side_names[s], to);
		return errno;
	}
	if (SYS(s, write, (int)fd, filebuf, (size_t)len) != len) {
		warn("%s: write %s", side_names[s], to);
		SYS(s, close, (int)fd);
		return errno ? errno : EIO;
	}
	SYS(s, close, (int)fd);
	return 0;
}

/* Copy the tree in and unmount; the side is unmounted on return. */
static int
bench_copy_in(enum side s, double *files, double *mibs)
{
	char from[PATH_MAX], to[PATH_MAX];
	unsigned i;
	double t0, t;
	int error;

	t0 = now_s();
	path_format(to, sizeof(to), "%s/tree", bases[s]);
	if (SYS(s, mkdir, to, 0755) == -1) {
		warn("%s: mkdir %s", side_names[s], to);
		side_unmount(s);
		return errno;
	}
	for (i = 0; i < NDIRS; i++) {
		path_format(to, sizeof(to), "%s/tree/d%02u", bases[s], i);
		if (SYS(s, mkdir, to, 0755) == -1) {
			warn("%s: mkdir %s", side_names[s], to);
			side_unmount(s);
			return errno;
		}
	}
	for (i = 0; i < nfiles; i++) {
		path_format(from, sizeof(from), "%s/d%02u/f%05u", srcdir,
		    i % NDIRS, i);
		path_format(to, sizeof(to), "%s/tree/d%02u/f%05u", bases[s],
		    i % NDIRS, i);
		if ((error = copy_file_in(s, from, to)) != 0) {
			side_unmount(s);
			return error;
		}
	}
	if ((error = side_unmount(s)) != 0) {
		warnx("%s: unmount after the copy: %s", side_names[s],
		    strerror(error));
		return error;
	}
	t = now_s() - t0;
	*files = nfiles / t;
	*mibs = (double)tree_bytes / MIB / t;
	return 0;
}

/* Copy the side's file from out to the host file to. */
static int
copy_file_out(enum side s, const char *from, const char *to)
{
	long fd, len;
	int hfd;

	fd = SYS(s, open, from, O_RDONLY);
	if (fd == -1) {
		warn("%s: open %s", side_names[s], from);
		return errno;
	}
	len = SYS(s, read, (int)fd, filebuf, sizeof(filebuf));
	SYS(s, close, (int)fd);
	if (len < 0) {
		warn("%s: read %s", side_names[s], from);
		return errno;
	}
	hfd = open(to, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	if (hfd == -1 || write(hfd, filebuf, (size_t)len) != len)
		err(1, "write %s", to);
	close(hfd);
	return 0;
}

/*
 * Copy the directory from (on the side) to the host directory to, which
 * exists; subdirectories are copied one level deep, as the tree has.
 * Counts the files copied in *count.
 */
static int
copy_dir_out(enum side s, const char *from, const char *to, int depth,
    unsigned *count)
{
	char buf[16384], sfrom[PATH_MAX], sto[PATH_MAX];
	struct dirent64 *d;
	struct stat st;
	long fd, n, off;
	unsigned char type;
	int error = 0;

	fd = SYS(s, open, from, O_RDONLY | O_DIRECTORY);
	if (fd == -1) {
		warn("%s: open %s", side_names[s], from);
		return errno;
	}
	while (error == 0 && (n = SYS(s, getdents64, (int)fd, buf,
	    sizeof(buf))) > 0) {
		for (off = 0; error == 0 && off < n; off += d->d_reclen) {
			d = (struct dirent64 *)(buf + off);
			if (d->d_name[0] == '.')
				continue;
			path_format(sfrom, sizeof(sfrom), "%s/%s", from, d->d_name);
			path_format(sto, sizeof(sto), "%s/%s", to, d->d_name);
			type = d->d_type;
			if (type == DT_UNKNOWN) {
				/* fuse2fs leaves the type out of its listings. */
				if (SYS(s, lstat, sfrom, &st) == -1) {
					warn("%s: lstat %s", side_names[s], sfrom);
					error = errno;
					break;
				}
				type = S_ISDIR(st.st_mode) ? DT_DIR :
				    S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
			}
			if (type == DT_DIR && depth == 0) {
				if (mkdir(sto, 0755) == -1)
					err(1, "mkdir %s", sto);
				error = copy_dir_out(s, sfrom, sto, 1, count);
			} else if (type == DT_REG) {
				error = copy_file_out(s, sfrom, sto);
				(*count)++;
			}
		}
	}
	if (n < 0 && error == 0) {
		warn("%s: getdents64 %s", side_names[s], from);
		error = errno;
	}
	SYS(s, close, (int)fd);
	return error;
}

static int
bench_copy_out(enum side s, double *files, double *mibs)
{
	char from[PATH_MAX];
	unsigned count = 0;
	double t0, t;
	int error;

	if (mkdir(outdirs[s], 0755) == -1)
		err(1, "mkdir %s", outdirs[s]);
	path_format(from, sizeof(from), "%s/tree", bases[s]);
	t0 = now_s();
	error = copy_dir_out(s, from, outdirs[s], 0, &count);
	t = now_s() - t0;
	if (error != 0)
		return error;
	if (count != nfiles) {
		warnx("%s: %u files copied out, %u expected", side_names[s],
		    count, nfiles);
		return EIO;
	}
	*files = nfiles / t;
	*mibs = (double)tree_bytes / MIB / t;
	return 0;
}

/* ------------------------------------------------------------------ */

/* Run the four figures on one side, each step after its predecessor. */
static void
bench_side(enum side s, struct figures *f)
{
	char *const diff[] = { "diff", "-r", "-q", srcdir, outdirs[s], NULL };
	char *const fsck[] = { "e2fsck", "-fn", images[s], NULL };
	int error;

	f->contents = "not compared";
	if ((error = side_mount(s)) != 0) {
		warnx("%s: mount %s: %s", side_names[s], images[s],
		    strerror(error));
		goto check;
	}
	if (bench_write(s, &f->write_mibs) != 0)
		goto unmount;
	if ((error = side_unmount(s)) != 0 || (error = side_mount(s)) != 0) {
		warnx("%s: remount: %s", side_names[s], strerror(error));
		goto check;
	}
	if (bench_read(s, &f->read_mibs) != 0)
		goto unmount;
	if (bench_copy_in(s, &f->in_files, &f->in_mibs) != 0)
		goto check;		/* unmounted */
	if ((error = side_mount(s)) != 0) {
		warnx("%s: mount after the copy: %s", side_names[s],
		    strerror(error));
		goto check;
	}
	if (bench_copy_out(s, &f->out_files, &f->out_mibs) == 0)
		f->contents = run(diff, true) == 0 ? "same" : "DIFFERENT";
unmount:
	if ((error = side_unmount(s)) != 0)
		warnx("%s: unmount: %s", side_names[s], strerror(error));
check:
	f->fsck_status = run(fsck, true);
	if (f->fsck_status != 0) {
		printf("e2fsck -fn on the %s image:\n", side_names[s]);
		fflush(stdout);
		run(fsck, false);
		printf("\n");
	}
}

/* Format a measured value with its unit, or "failed" when it is 0. */
static const char *
value_text(char *buf, size_t size, double value, const char *unit)
{

	if (value > 0)
		snprintf(buf, size, "%.0f %s", value, unit);
	else
		snprintf(buf, size, "failed");
	return buf;
}

/* One row: ours, fuse2fs and the ratio, the FFS figure and the ratio. */
static void
print_figure(const char *name, double rump, double fuse, bool have_fuse,
    const char *unit, double ffs)
{
	char rtext[32], ftext[32], ratio[16], ffstext[32], ffsratio[16];

	value_text(rtext, sizeof(rtext), rump, unit);
	value_text(ftext, sizeof(ftext), fuse, unit);
	snprintf(ratio, sizeof(ratio), "-");
	if (rump > 0 && fuse > 0)
		snprintf(ratio, sizeof(ratio), "%.2f", rump / fuse);
	if (ffs > 0) {
		value_text(ffstext, sizeof(ffstext), ffs, unit);
		snprintf(ffsratio, sizeof(ffsratio), "-");
		if (rump > 0)
			snprintf(ffsratio, sizeof(ffsratio), "%.2f", rump / ffs);
	}
	printf("%-26s %12s %12s %7s", name, rtext, have_fuse ? ftext : "-",
	    have_fuse ? ratio : "-");
	if (ffs > 0)
		printf(" %12s %7s", ffstext, ffsratio);
	printf("\n");
}

static const char *
fsck_verdict(int status)
{
	static char buf[2][48];
	static int n;

	n ^= 1;
	if (status == -1)
		return "not run";
	if (status == 0)
		return "clean";
	snprintf(buf[n], sizeof(buf[n]), "exit status %d", status);
	return buf[n];
}

static void
usage(void)
{

	fprintf(stderr, "usage: bench_ext2 [-f files] [-m MiB] "
	    "[-d directory] [-k]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct figures fig[NSIDES];
	char pathvar[PATH_MAX];
	const char *parent = "/dev/shm";
	uint64_t imgmib;
	bool keep = false, have_fuse, failed;
	int ch, error;

	while ((ch = getopt(argc, argv, "f:m:d:k")) != -1) {
		switch (ch) {
		case 'f':
			nfiles = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 'm':
			bigmib = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 'd':
			parent = optarg;
			break;
		case 'k':
			keep = true;
			break;
		default:
			usage();
		}
	}
	if (optind != argc || nfiles == 0 || bigmib == 0)
		usage();
	memset(fig, 0, sizeof(fig));
	fig[RUMP].fsck_status = fig[FUSE].fsck_status = -1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if ((chunk = malloc(CHUNK)) == NULL)
		err(1, "malloc");
	/* mke2fs and e2fsck live in /sbin, which a user's PATH may lack. */
	snprintf(pathvar, sizeof(pathvar), "%s:/usr/sbin:/sbin",
	    getenv("PATH") != NULL ? getenv("PATH") : "/usr/bin:/bin");
	setenv("PATH", pathvar, 1);

	/* The work directory, the tree and one image per side. */
	path_format(workdir, sizeof(workdir), "%s/bench_ext2.XXXXXX", parent);
	if (mkdtemp(workdir) == NULL)
		err(1, "mkdtemp %s", workdir);
	path_format(srcdir, sizeof(srcdir), "%s/src", workdir);
	path_format(fusemnt, sizeof(fusemnt), "%s/mnt", workdir);
	path_format(images[RUMP], sizeof(images[RUMP]), "%s/rump.img", workdir);
	path_format(images[FUSE], sizeof(images[FUSE]), "%s/fuse.img", workdir);
	path_format(outdirs[RUMP], sizeof(outdirs[RUMP]), "%s/out-rump", workdir);
	path_format(outdirs[FUSE], sizeof(outdirs[FUSE]), "%s/out-fuse", workdir);
	atexit(cleanup);
	make_tree();
	/* The big file, the tree in 4 KiB blocks, and room for metadata. */
	imgmib = bigmib + 2 * (tree_bytes >> 20) + nfiles / 128 + 64;
	make_image(images[RUMP], imgmib);
	make_image(images[FUSE], imgmib);
	printf("ext2 images of %llu MiB in %s (4 KiB blocks); a %u MiB file; "
	    "%u files of 1-8 KiB (%.1f MiB) in %d directories\n\n",
	    (unsigned long long)imgmib, parent, bigmib, nfiles,
	    tree_bytes / MIB, NDIRS);

	/* Our kernel. */
	error = rump_init();
	if (error != 0)
		errx(1, "rump_init: %s", strerror(error));
	error = rump_pub_lwproc_rfork(RUMP_RFCFDG);
	if (error != 0)
		errx(1, "rump_pub_lwproc_rfork: %s", strerror(error));
	error = rump_pub_etfs_register(RUMP_DEV, images[RUMP], RUMP_ETFS_BLK);
	if (error != 0)
		errx(1, "etfs_register %s: %s", images[RUMP], strerror(error));
	if (rump_sys_mkdir(RUMP_MNT, 0755) == -1)
		err(1, "rump: mkdir %s", RUMP_MNT);
	bench_side(RUMP, &fig[RUMP]);

	/* fuse2fs, when it can run here. */
	have_fuse = access("/dev/fuse", R_OK | W_OK) == 0 &&
	    have_program("fuse2fs") && have_program("fusermount3");
	if (!have_fuse) {
		printf("fuse2fs, fusermount3 or /dev/fuse is not available: "
		    "figures for our kernel only\n\n");
	} else {
		if (mkdir(fusemnt, 0755) == -1)
			err(1, "mkdir %s", fusemnt);
		bench_side(FUSE, &fig[FUSE]);
	}

	printf("%-26s %12s %12s %7s %12s %7s\n", "figure", side_names[RUMP],
	    side_names[FUSE], "ratio", "NetBSD FFS", "ratio");
	print_figure("write + fsync", fig[RUMP].write_mibs,
	    fig[FUSE].write_mibs, have_fuse, "MiB/s", FFS_WRITE);
	print_figure("read after remount", fig[RUMP].read_mibs,
	    fig[FUSE].read_mibs, have_fuse, "MiB/s", FFS_READ);
	print_figure("copy in + unmount, files", fig[RUMP].in_files,
	    fig[FUSE].in_files, have_fuse, "/s", 0);
	print_figure("copy in + unmount, data", fig[RUMP].in_mibs,
	    fig[FUSE].in_mibs, have_fuse, "MiB/s", 0);
	print_figure("copy out, files", fig[RUMP].out_files,
	    fig[FUSE].out_files, have_fuse, "/s", 0);
	print_figure("copy out, data", fig[RUMP].out_mibs,
	    fig[FUSE].out_mibs, have_fuse, "MiB/s", 0);
	printf("%-26s %12s %12s\n", "tree copied out", fig[RUMP].contents,
	    have_fuse ? fig[FUSE].contents : "-");
	printf("%-26s %12s %12s\n", "e2fsck -fn afterwards",
	    fsck_verdict(fig[RUMP].fsck_status),
	    have_fuse ? fsck_verdict(fig[FUSE].fsck_status) : "-");
	printf("(ratio: rump ext2 / the column before it; the NetBSD FFS "
	    "figures are quoted, not measured here)\n");

	failed = fig[RUMP].write_mibs == 0 || fig[RUMP].read_mibs == 0 ||
	    fig[RUMP].in_files == 0 || fig[RUMP].out_files == 0 ||
	    strcmp(fig[RUMP].contents, "same") != 0 ||
	    fig[RUMP].fsck_status != 0;
	if (keep) {
		printf("work directory kept: %s\n", workdir);
	} else {
		char *const rm[] = { "rm", "-rf", workdir, NULL };

		cleanup();
		fuse_mounted = false;
		fuse_pid = -1;
		run(rm, false);
	}
	return failed ? 1 : 0;
}
