/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rump_server: boot a rump kernel in this process and serve it to remote
 * clients at a unix:// or tcp:// URL.  Components come either from -l
 * (loaded with dlopen before the kernel boots) or, in rump_allserver,
 * from the libraries the program is linked with.  Host files become
 * devices with -d.  The server runs until a client halts the kernel or
 * the process gets SIGTERM or SIGINT, which halt it with a sync.
 */

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>

#define PROGNAME	"rump_server"

/* Set by rump_allserver, which includes this file. */
#ifndef SERVER_NAME
#define SERVER_NAME	PROGNAME
#endif

typedef int (*etfs_register_fn)(const char *, const char *,
    enum rump_etfs_type, uint64_t, uint64_t);

/* One -d argument, checked. */
struct drive {
	char		*key;
	char		*hostpath;
	bool		 size_host;	/* size=host */
	uint64_t	 size;
	uint64_t	 offset;
	enum rump_etfs_type type;
};

static bool daemonizing;

static void __attribute__((__noreturn__, __format__(__printf__, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", SERVER_NAME);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (daemonizing)
		(void)rump_daemonize_done(1);
	exit(1);
}

static void __attribute__((__noreturn__))
usage(void)
{

	fprintf(stderr, "usage: %s [-s] [-v] [-c ncpu] [-r memlimit] "
	    "[-l library] [-m module]\n"
	    "       [-d key=/dev/NAME,hostpath=FILE,size=host|BYTES"
	    "[,offset=BYTES][,type=blk|chr|reg]] url\n", SERVER_NAME);
	exit(1);
}

/*
 * Parse a byte count: decimal digits with an optional k, m, g or t suffix
 * (powers of 1024).  Returns false for anything else or an overflow.
 */
static bool
parse_bytes(const char *s, uint64_t *out)
{
	uint64_t v, mult;
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return false;
	mult = 1;
	switch (*end) {
	case '\0':
		break;
	case 'k': case 'K':
		mult = (uint64_t)1 << 10;
		break;
	case 'm': case 'M':
		mult = (uint64_t)1 << 20;
		break;
	case 'g': case 'G':
		mult = (uint64_t)1 << 30;
		break;
	case 't': case 'T':
		mult = (uint64_t)1 << 40;
		break;
	default:
		return false;
	}
	if (*end != '\0' && end[1] != '\0')
		return false;
	if (v > UINT64_MAX / mult)
		return false;
	*out = v * mult;
	return true;
}

/* Parse and check one -d argument; exit with a message if it is invalid. */
static void
parse_drive(const char *spec, struct drive *d)
{
	char *copy, *field, *save, *val;
	bool have_size = false, have_offset = false, have_type = false;

	memset(d, 0, sizeof(*d));
	d->type = RUMP_ETFS_BLK;
	if ((copy = strdup(spec)) == NULL)
		die("-d %s: %s", spec, strerror(ENOMEM));
	for (field = strtok_r(copy, ",", &save); field != NULL;
	    field = strtok_r(NULL, ",", &save)) {
		if ((val = strchr(field, '=')) == NULL)
			die("-d %s: \"%s\" is not key=value", spec, field);
		*val++ = '\0';
		if (strcmp(field, "key") == 0) {
			if (d->key != NULL)
				die("-d %s: key given twice", spec);
			if (val[0] != '/' || val[1] == '\0')
				die("-d %s: key \"%s\" is not an absolute "
				    "path such as /dev/NAME", spec, val);
			if ((d->key = strdup(val)) == NULL)
				die("-d %s: %s", spec, strerror(ENOMEM));
		} else if (strcmp(field, "hostpath") == 0) {
			if (d->hostpath != NULL)
				die("-d %s: hostpath given twice", spec);
			if (val[0] == '\0')
				die("-d %s: empty hostpath", spec);
			if ((d->hostpath = strdup(val)) == NULL)
				die("-d %s: %s", spec, strerror(ENOMEM));
		} else if (strcmp(field, "size") == 0) {
			if (have_size)
				die("-d %s: size given twice", spec);
			have_size = true;
			if (strcmp(val, "host") == 0)
				d->size_host = true;
			else if (!parse_bytes(val, &d->size) || d->size == 0)
				die("-d %s: size \"%s\" is not \"host\" or a "
				    "positive byte count", spec, val);
		} else if (strcmp(field, "offset") == 0) {
			if (have_offset)
				die("-d %s: offset given twice", spec);
			have_offset = true;
			if (!parse_bytes(val, &d->offset))
				die("-d %s: offset \"%s\" is not a byte count",
				    spec, val);
		} else if (strcmp(field, "type") == 0) {
			if (have_type)
				die("-d %s: type given twice", spec);
			have_type = true;
			if (strcmp(val, "blk") == 0)
				d->type = RUMP_ETFS_BLK;
			else if (strcmp(val, "chr") == 0)
				d->type = RUMP_ETFS_CHR;
			else if (strcmp(val, "reg") == 0)
				d->type = RUMP_ETFS_REG;
			else
				die("-d %s: type \"%s\" is not blk, chr or "
				    "reg", spec, val);
		} else
			die("-d %s: unknown field \"%s\"", spec, field);
	}
	free(copy);
	if (d->key == NULL || d->hostpath == NULL || !have_size)
		die("-d %s: missing key, hostpath or size (all are required)",
		    spec);
}

/* Store the size of host file path: its length, or a device's capacity. */
static void
host_size(const struct drive *d, uint64_t *out)
{
	struct stat st;
	off_t end;
	int fd;

	if (stat(d->hostpath, &st) != 0)
		die("-d %s: %s", d->hostpath, strerror(errno));
	if (S_ISREG(st.st_mode)) {
		*out = (uint64_t)st.st_size;
		return;
	}
	if (!S_ISBLK(st.st_mode) && !S_ISCHR(st.st_mode))
		die("-d %s: not a regular file or device", d->hostpath);
	if ((fd = open(d->hostpath, O_RDONLY | O_CLOEXEC)) == -1)
		die("-d %s: %s", d->hostpath, strerror(errno));
	end = lseek(fd, 0, SEEK_END);
	close(fd);
	if (end < 0)
		die("-d %s: size=host: cannot tell the size", d->hostpath);
	*out = (uint64_t)end;
}

/* Register every drive with etfs; the kernel runs and has its VFS. */
static void
register_drives(struct drive *drives, int ndrives)
{
	etfs_register_fn reg;
	uint64_t hsize, size;
	int i, error;

	if (ndrives == 0)
		return;
	reg = (etfs_register_fn)dlsym(RTLD_DEFAULT,
	    "rump_pub_etfs_register_withsize");
	if (reg == NULL)
		die("-d needs the VFS component: add -l rumpvfs");
	for (i = 0; i < ndrives; i++) {
		struct drive *d = &drives[i];

		host_size(d, &hsize);
		if (d->offset > hsize)
			die("-d %s: offset %" PRIu64 " is past the end of "
			    "%s (%" PRIu64 " bytes)", d->key, d->offset,
			    d->hostpath, hsize);
		size = d->size_host ? hsize - d->offset : d->size;
		if (size == 0)
			die("-d %s: %s has no bytes after offset %" PRIu64,
			    d->key, d->hostpath, d->offset);
		if (!d->size_host && d->type != RUMP_ETFS_REG &&
		    size > hsize - d->offset)
			die("-d %s: offset %" PRIu64 " and size %" PRIu64
			    " do not fit %s (%" PRIu64 " bytes)", d->key,
			    d->offset, size, d->hostpath, hsize);
		error = reg(d->key, d->hostpath, d->type, d->offset, size);
		if (error != 0)
			die("-d %s: registering %s: %s", d->key, d->hostpath,
			    strerror(error));
	}
}

/*
 * Load the library of -l NAME.  A path or a file name ending in .so[.N]
 * is loaded as given.  Otherwise NAME is a library name, with or without
 * its "lib", as for the linker ("rumpvfs" and "librumpvfs" load
 * librumpvfs.so).
 */
static void
load_library(const char *name)
{
	char buf[512];
	const char *file;

	if (strchr(name, '/') != NULL || strstr(name, ".so") != NULL)
		file = name;
	else {
		snprintf(buf, sizeof(buf), "%s%s.so",
		    strncmp(name, "lib", 3) == 0 ? "" : "lib", name);
		file = buf;
	}
	if (dlopen(file, RTLD_NOW | RTLD_GLOBAL) == NULL)
		die("-l %s: %s", name, dlerror());
}

/*
 * A server killed with SIGKILL leaves its unix socket behind, and binding
 * the path again would fail with EADDRINUSE.  Remove the socket file at
 * the path of url when no process accepts connections on it.
 */
static void
remove_stale_socket(const char *url, bool verbose)
{
	struct sockaddr_un sun;
	struct stat st;
	const char *path;
	int fd, rv, error;

	if (strncmp(url, "unix://", 7) != 0)
		return;
	path = url + 7;
	if (strlen(path) >= sizeof(sun.sun_path) || lstat(path, &st) != 0 ||
	    !S_ISSOCK(st.st_mode))
		return;
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, strlen(path));
	rv = connect(fd, (struct sockaddr *)&sun, sizeof(sun));
	error = errno;
	close(fd);
	if (rv == -1 && error == ECONNREFUSED && unlink(path) == 0 && verbose)
		fprintf(stderr, "%s: removed the stale socket %s\n",
		    SERVER_NAME, path);
}

/* Return true once the kernel has been halted, by a client or by us. */
static bool
kernel_halted(void)
{

	return rump_sys_getpid() == -1 && errno == ENXIO;
}

int
main(int argc, char *argv[])
{
	struct drive *drives = NULL;
	const char *url;
	struct timespec tick = { 0, 100 * 1000 * 1000 };
	sigset_t sigs;
	int ch, ndrives = 0, error, sig;
	bool foreground = false, verbose = false;
	unsigned long n;
	char *end;

	while ((ch = getopt(argc, argv, "c:d:l:m:r:sv")) != -1) {
		switch (ch) {
		case 'c':
			errno = 0;
			n = strtoul(optarg, &end, 10);
			if (errno != 0 || end == optarg || *end != '\0' ||
			    n == 0 || n > 1024)
				die("-c %s: not a CPU count from 1 to 1024",
				    optarg);
			setenv("RUMP_NCPU", optarg, 1);
			break;
		case 'd':
			drives = realloc(drives,
			    (ndrives + 1) * sizeof(*drives));
			if (drives == NULL)
				die("-d: %s", strerror(ENOMEM));
			parse_drive(optarg, &drives[ndrives++]);
			break;
		case 'l':
			load_library(optarg);
			break;
		case 'm':
			die("-m %s: modules are not supported", optarg);
		case 'r':
			setenv("RUMP_MEMLIMIT", optarg, 1);
			break;
		case 's':
			foreground = true;
			break;
		case 'v':
			verbose = true;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		usage();
	url = argv[0];
	if (strncmp(url, "unix://", 7) != 0 && strncmp(url, "tcp://", 6) != 0)
		die("%s: not a unix://PATH or tcp://ADDR:PORT URL", url);
	if (verbose)
		setenv("RUMP_VERBOSE", "1", 1);

	/* The kernel's threads inherit this mask; main takes the signals. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigprocmask(SIG_BLOCK, &sigs, NULL);

	if (!foreground) {
		if ((error = rump_daemonize_begin()) != 0)
			die("daemonizing: %s", strerror(error));
		daemonizing = true;
	}
	if ((error = rump_init()) != 0)
		die("booting the kernel: %s", strerror(error));
	register_drives(drives, ndrives);
	remove_stale_socket(url, verbose);
	if ((error = rump_init_server(url)) == EADDRINUSE)
		die("%s: %s: another server is listening there", url,
		    strerror(error));
	if (error == EINVAL)
		die("%s: %s: expected unix://PATH or tcp://ADDR:PORT", url,
		    strerror(error));
	if (error != 0)
		die("%s: %s", url, strerror(error));
	/* A daemon stays quiet unless asked; a foreground server logs. */
	if (verbose || foreground)
		fprintf(stderr, "%s: serving %s, pid %d\n", SERVER_NAME, url,
		    (int)getpid());
	if (daemonizing) {
		daemonizing = false;
		if ((error = rump_daemonize_done(0)) != 0)
			die("daemonizing: %s", strerror(error));
	}

	for (;;) {
		sig = sigtimedwait(&sigs, NULL, &tick);
		if (sig == SIGTERM || sig == SIGINT) {
			fprintf(stderr, "%s: signal %d, halting\n",
			    SERVER_NAME, sig);
			(void)rump_sys_reboot(RUMP_REBOOT_CMD_HALT);
			break;
		}
		if (kernel_halted()) {
			if (verbose || foreground)
				fprintf(stderr, "%s: kernel halted\n",
				    SERVER_NAME);
			break;
		}
	}
	if (strncmp(url, "unix://", 7) == 0)
		(void)unlink(url + 7);
	return 0;
}
