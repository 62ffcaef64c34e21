/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Speed of remote system calls: microseconds per rump_sys_getpid() round
 * trip to a server over a unix socket, and MiB/s of 64 KiB pread and
 * pwrite calls on a rumpfs file of the server.  The same run measures
 * three references: the same three figures for a kernel linked into this
 * process, the host's own getpid system call, and a bare ping-pong of a
 * small message over a unix socket between two host processes.  The
 * ping-pong is what any remote call pays for its two wake-ups.
 *
 * The server is a forked child that boots its own kernel after the fork
 * and serves it with rump_init_server(), as rump_server does.  This
 * program is linked with librumpclient ahead of librump, so its
 * rump_sys_* calls go to the server.  The local kernel's entry points are
 * looked up in librump by name.  Each of several rounds measures every
 * figure for a fixed time.  The figures take turns, so that a change in
 * the machine's load affects all of them alike.  The program prints the
 * median of the rounds with the lowest and highest value.
 *
 * usage: bench_remote [seconds per figure and round]
 */

#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <dlfcn.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/rumpclient.h>

#define ROUNDS		5		/* each figure's median is of these */
#define IOSIZE		(64u << 10)	/* bytes per read or write call */
#define FILESIZE	(16u << 20)	/* the file the calls cycle over */
#define PINGSIZE	32		/* bytes of a ping-pong message */
#define MIB		(1024.0 * 1024.0)
#define GUARD_SECONDS	120		/* the whole run, if a call hangs */

/* The system calls of one kernel, remote or local. */
struct kernel {
	const char	*k_name;
	pid_t		(*k_getpid)(void);
	int		(*k_open)(const char *, int, ...);
	ssize_t		(*k_pread)(int, void *, size_t, off_t);
	ssize_t		(*k_pwrite)(int, const void *, size_t, off_t);
	int		k_fd;		/* the rumpfs file */
};

enum figure {
	REMOTE_GETPID, REMOTE_WRITE, REMOTE_READ,
	LOCAL_GETPID, LOCAL_WRITE, LOCAL_READ,
	HOST_GETPID, PINGPONG, NFIGURES
};

static const struct {
	const char	*name;
	const char	*unit;
} figures[NFIGURES] = {
	[REMOTE_GETPID] = { "remote rump_sys_getpid", "us" },
	[REMOTE_WRITE] = { "remote pwrite, 64 KiB", "MiB/s" },
	[REMOTE_READ] = { "remote pread, 64 KiB", "MiB/s" },
	[LOCAL_GETPID] = { "local rump_sys_getpid", "us" },
	[LOCAL_WRITE] = { "local pwrite, 64 KiB", "MiB/s" },
	[LOCAL_READ] = { "local pread, 64 KiB", "MiB/s" },
	[HOST_GETPID] = { "host syscall(SYS_getpid)", "us" },
	[PINGPONG] = { "unix socket ping-pong", "us" },
};

static double seconds = 0.2;		/* per figure and round */
static char iobuf[IOSIZE];
static char tmpdir[] = "/tmp/bench_remote.XXXXXX";
static char sockpath[PATH_MAX];
static pid_t server_pid = -1, echo_pid = -1;
static int ping_fd = -1;

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* ------------------------------------------------------------------ */
/* The two host processes: the server and the ping-pong echo. */

/*
 * Fork the server: a child that boots a kernel and serves it at url until
 * it is killed.  It dies with this process in any case.
 */
static void
start_server(const char *url)
{
	int error;

	if ((server_pid = fork()) == -1)
		err(1, "fork");
	if (server_pid > 0)
		return;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if ((error = rump_init()) != 0)
		errx(1, "server: rump_init: %s", strerror(error));
	if ((error = rump_init_server(url)) != 0)
		errx(1, "server: rump_init_server %s: %s", url,
		    strerror(error));
	for (;;)
		pause();
}

/* Wait up to 10 s until the server's socket accepts a connection. */
static void
wait_server(void)
{
	struct sockaddr_un sun;
	int fd, i;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, sockpath);
	for (i = 0; i < 1000; i++) {
		if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1)
			err(1, "socket");
		if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0) {
			close(fd);
			return;
		}
		close(fd);
		if (waitpid(server_pid, NULL, WNOHANG) != 0)
			errx(1, "server exited before accepting connections "
			    "on %s", sockpath);
		usleep(10 * 1000);
	}
	errx(1, "server socket %s did not accept connections within 10 s",
	    sockpath);
}

/* Fork the echo child of the ping-pong, which ends when ping_fd closes. */
static void
start_echo(void)
{
	char msg[PINGSIZE];
	size_t got;
	ssize_t n;
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1)
		err(1, "socketpair");
	if ((echo_pid = fork()) == -1)
		err(1, "fork");
	if (echo_pid > 0) {
		close(sv[1]);
		ping_fd = sv[0];
		return;
	}
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	close(sv[0]);
	for (;;) {
		for (got = 0; got < sizeof(msg); got += (size_t)n) {
			n = read(sv[1], msg + got, sizeof(msg) - got);
			if (n <= 0)
				_exit(0);
		}
		if (write(sv[1], msg, sizeof(msg)) != (ssize_t)sizeof(msg))
			_exit(1);
	}
}

static void
stop_children(void)
{

	if (ping_fd != -1)
		close(ping_fd);
	if (server_pid > 0)
		kill(server_pid, SIGKILL);
	if (echo_pid > 0)
		waitpid(echo_pid, NULL, 0);
	if (server_pid > 0)
		waitpid(server_pid, NULL, 0);
	(void)unlink(sockpath);
	(void)rmdir(tmpdir);
}

/* ------------------------------------------------------------------ */
/* One measurement each. */

/* Microseconds per getpid of kernel k, or of the host when k is NULL. */
static double
time_getpid(const struct kernel *k)
{
	double t0, t;
	long n = 0;
	int i;

	t0 = now_s();
	do {
		for (i = 0; i < 100; i++, n++) {
			if (k == NULL)
				(void)syscall(SYS_getpid);
			else if (k->k_getpid() <= 0)
				err(1, "%s: getpid failed", k->k_name);
		}
		t = now_s();
	} while (t - t0 < seconds);
	return (t - t0) * 1e6 / (double)n;
}

/* MiB/s of IOSIZE pwrite or pread calls cycling over the file of k. */
static double
time_io(const struct kernel *k, int writing)
{
	double t0, t;
	long n = 0;
	off_t off;
	ssize_t done;

	t0 = now_s();
	do {
		off = (off_t)(n % (FILESIZE / IOSIZE)) * IOSIZE;
		done = writing ? k->k_pwrite(k->k_fd, iobuf, IOSIZE, off) :
		    k->k_pread(k->k_fd, iobuf, IOSIZE, off);
		if (done < 0)
			err(1, "%s: %s at %lld failed", k->k_name,
			    writing ? "pwrite" : "pread", (long long)off);
		if (done != (ssize_t)IOSIZE)
			errx(1, "%s: %s at %lld returned %zd, expected %u",
			    k->k_name, writing ? "pwrite" : "pread",
			    (long long)off, done, IOSIZE);
		n++;
		t = now_s();
	} while (t - t0 < seconds);
	return (double)n * IOSIZE / MIB / (t - t0);
}

/* Microseconds per round trip of a PINGSIZE message to the echo child. */
static double
time_pingpong(void)
{
	char msg[PINGSIZE];
	double t0, t;
	long n = 0;
	size_t got;
	ssize_t r;
	int i;

	memset(msg, 'p', sizeof(msg));
	t0 = now_s();
	do {
		for (i = 0; i < 100; i++, n++) {
			if (write(ping_fd, msg, sizeof(msg)) !=
			    (ssize_t)sizeof(msg))
				err(1, "ping-pong: write");
			for (got = 0; got < sizeof(msg); got += (size_t)r) {
				r = read(ping_fd, msg + got, sizeof(msg) - got);
				if (r <= 0)
					errx(1, "ping-pong: the echo ended");
			}
		}
		t = now_s();
	} while (t - t0 < seconds);
	return (t - t0) * 1e6 / (double)n;
}

static double
measure(enum figure f, struct kernel *remote, struct kernel *local)
{

	switch (f) {
	case REMOTE_GETPID:
		return time_getpid(remote);
	case REMOTE_WRITE:
		return time_io(remote, 1);
	case REMOTE_READ:
		return time_io(remote, 0);
	case LOCAL_GETPID:
		return time_getpid(local);
	case LOCAL_WRITE:
		return time_io(local, 1);
	case LOCAL_READ:
		return time_io(local, 0);
	case HOST_GETPID:
		return time_getpid(NULL);
	default:
		return time_pingpong();
	}
}

/* ------------------------------------------------------------------ */

/* Look the local kernel's system calls up in librump. */
static void
find_local(struct kernel *k)
{
	void *h;

	if ((h = dlopen("librump.so.0", RTLD_LAZY | RTLD_NOLOAD)) == NULL)
		errx(1, "librump is not loaded: %s", dlerror());
	k->k_name = "local kernel";
	k->k_getpid = (pid_t (*)(void))dlsym(h, "rump_sys_getpid");
	k->k_open = (int (*)(const char *, int, ...))dlsym(h,
	    "rump_sys_open");
	k->k_pread = (ssize_t (*)(int, void *, size_t, off_t))dlsym(h,
	    "rump_sys_pread");
	k->k_pwrite = (ssize_t (*)(int, const void *, size_t, off_t))dlsym(h,
	    "rump_sys_pwrite");
	if (k->k_getpid == NULL || k->k_open == NULL || k->k_pread == NULL ||
	    k->k_pwrite == NULL)
		errx(1, "librump lacks a rump_sys_* entry point");
	if ((void *)k->k_getpid == (void *)rump_sys_getpid)
		errx(1, "rump_sys_getpid of librump is the remote one");
}

/* Create the FILESIZE file that the read and write figures use. */
static void
make_file(struct kernel *k)
{
	unsigned i;

	k->k_fd = k->k_open("/bench_remote", O_RDWR | O_CREAT | O_TRUNC,
	    0644);
	if (k->k_fd == -1)
		err(1, "%s: open /bench_remote", k->k_name);
	for (i = 0; i < FILESIZE / IOSIZE; i++)
		if (k->k_pwrite(k->k_fd, iobuf, IOSIZE, (off_t)i * IOSIZE) !=
		    (ssize_t)IOSIZE)
			err(1, "%s: write /bench_remote", k->k_name);
}

int
main(int argc, char **argv)
{
	struct kernel remote = {
		.k_name = "remote kernel",
		.k_getpid = rump_sys_getpid,
		.k_open = rump_sys_open,
		.k_pread = rump_sys_pread,
		.k_pwrite = rump_sys_pwrite,
	};
	struct kernel local;
	double v[NFIGURES][ROUNDS], med[NFIGURES];
	char url[PATH_MAX + 8];
	int f, r, error;

	if (argc > 1 && (seconds = atof(argv[1])) <= 0)
		errx(1, "invalid duration %s: expected seconds > 0\n"
		    "usage: bench_remote [seconds per figure and round]",
		    argv[1]);
	alarm(GUARD_SECONDS);
	memset(iobuf, 'b', sizeof(iobuf));

	/* The children first: no kernel may run in this process at a fork. */
	if (mkdtemp(tmpdir) == NULL)
		err(1, "mkdtemp");
	snprintf(sockpath, sizeof(sockpath), "%s/sock", tmpdir);
	snprintf(url, sizeof(url), "unix://%s", sockpath);
	start_server(url);
	start_echo();
	atexit(stop_children);
	wait_server();
	if (setenv("RUMP_SERVER", url, 1) != 0 || rumpclient_init() != 0)
		err(1, "rumpclient_init %s", url);

	find_local(&local);
	if ((error = rump_init()) != 0)
		errx(1, "rump_init: %s", strerror(error));
	make_file(&remote);
	make_file(&local);

	for (r = 0; r < ROUNDS; r++)
		for (f = 0; f < NFIGURES; f++)
			v[f][r] = measure(f, &remote, &local);

	printf("%-28s %10s %10s %10s  %s\n", "", "median", "lowest",
	    "highest", "unit");
	for (f = 0; f < NFIGURES; f++) {
		qsort(v[f], ROUNDS, sizeof(v[f][0]), cmp_double);
		med[f] = v[f][ROUNDS / 2];
		printf("%-28s %10.2f %10.2f %10.2f  %s\n", figures[f].name,
		    med[f], v[f][0], v[f][ROUNDS - 1], figures[f].unit);
	}
	printf("remote getpid / ping-pong: %.2f\n",
	    med[REMOTE_GETPID] / med[PINGPONG]);
	printf("(%d rounds of %.2f s per figure, %ld host CPUs)\n", ROUNDS,
	    seconds, sysconf(_SC_NPROCESSORS_ONLN));
	return 0;
}
