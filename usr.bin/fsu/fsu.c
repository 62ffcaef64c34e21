/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fsu: work on a file system image with ls, cat, get, put and the other
 * familiar commands, through a rump kernel in this process and libukfs:
 *
 *	fsu [-t TYPE] [-o OPTIONS] IMAGE[:PARTITION] COMMAND [ARGS]
 *
 * This file parses the command line, finds the file system type, mounts
 * the image (read-only for commands that only read), runs the command
 * and releases the image, which unmounts and syncs it, on every way out.
 * The commands are in fsu_list.c, fsu_copy.c and fsu_change.c.
 */

#include <sys/types.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/ukfs.h>

#include "fsu.h"

/* Mount point of the image in the kernel. */
#define FSU_MOUNTPATH	"/fsu"

volatile sig_atomic_t fsu_interrupted;

const struct fsu_command fsu_commands[] = {
	{ "cat", fsu_cmd_cat, true, "FILE...",
	    "write files to standard output" },
	{ "chmod", fsu_cmd_chmod, false, "[-R] MODE FILE...",
	    "change modes (octal, or symbolic like u+x,go-w)" },
	{ "chown", fsu_cmd_chown, false, "[-R] [-h] OWNER[:GROUP] FILE...",
	    "change owner and group (names of the host, or numbers)" },
	{ "df", fsu_cmd_df, true, "[-h]",
	    "show the size and use of the file system" },
	{ "find", fsu_cmd_find, true,
	    "[PATH...] [-name PATTERN] [-type f|d|l|b|c|p|s] [-maxdepth N]",
	    "list the files below the paths that match" },
	{ "get", fsu_cmd_get, true, "[-r] FILE... [HOSTDEST]",
	    "copy out of the image, keeping modes and times" },
	{ "ln", fsu_cmd_ln, false, "[-s] [-f] TARGET [LINKNAME]",
	    "make a hard or symbolic link" },
	{ "ls", fsu_cmd_ls, true, "[-1adlnAR] [FILE...]",
	    "list directory contents" },
	{ "mkdir", fsu_cmd_mkdir, false, "[-p] [-m MODE] DIR...",
	    "make directories" },
	{ "mv", fsu_cmd_mv, false, "SOURCE... DEST",
	    "rename or move files" },
	{ "put", fsu_cmd_put, false, "[-r] HOSTFILE... [DEST]",
	    "copy into the image, keeping modes, owners and times" },
	{ "rm", fsu_cmd_rm, false, "[-r] [-f] FILE...",
	    "remove files (and, with -r, directories)" },
	{ "rmdir", fsu_cmd_rmdir, false, "DIR...",
	    "remove empty directories" },
	{ "stat", fsu_cmd_stat, true, "[-L] FILE...",
	    "show file status" },
	{ "touch", fsu_cmd_touch, false,
	    "[-a] [-c] [-m] [-d DATE | -t STAMP] FILE...",
	    "make files or set their times" },
	{ NULL, NULL, false, NULL, NULL },
};

/* ------------------------------------------------------------------ */
/* Messages and small helpers. */

/* The message of fsu_warnx, or with witherror that of fsu_warnc. */
static void
fsu_vwarn(bool witherror, int error, const char *fmt, va_list ap)
{

	fflush(stdout);
	fputs("fsu: ", stderr);
	vfprintf(stderr, fmt, ap);
	if (witherror)
		fprintf(stderr, ": %s", strerror(error));
	fputc('\n', stderr);
}

void
fsu_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fsu_vwarn(false, 0, fmt, ap);
	va_end(ap);
}

void
fsu_warnc(int error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fsu_vwarn(true, error, fmt, ap);
	va_end(ap);
}

static const struct fsu_command *
fsu_find_command(const char *name)
{
	const struct fsu_command *cmd;

	for (cmd = fsu_commands; cmd->cmd_name != NULL; cmd++)
		if (strcmp(cmd->cmd_name, name) == 0)
			return cmd;
	return NULL;
}

int
fsu_usage_cmd(const char *name)
{
	const struct fsu_command *cmd = fsu_find_command(name);

	fprintf(stderr, "usage: fsu [-t TYPE] [-o OPTIONS] IMAGE[:PARTITION] "
	    "%s %s\n", name, cmd != NULL ? cmd->cmd_usage : "");
	return FSU_USAGE;
}

int
fsu_usage_missing(const char *cmd, const char *what)
{

	fsu_warnx("%s: missing %s", cmd, what);
	return fsu_usage_cmd(cmd);
}

int
fsu_no_options(const char *cmd, int *argcp, char ***argvp)
{

	if (getopt(*argcp, *argvp, "") != -1)
		return fsu_usage_cmd(cmd);
	*argcp -= optind - 1;
	*argvp += optind - 1;
	return FSU_OK;
}

static void
fsu_usage(FILE *out)
{

	fprintf(out, "usage: fsu [-t TYPE] [-o OPTIONS] IMAGE[:PARTITION] "
	    "COMMAND [ARGS]\n");
	if (out == stderr)
		fprintf(out, "Try 'fsu --help' for more information.\n");
}

static void
fsu_help(void)
{
	const struct fsu_command *cmd;

	fsu_usage(stdout);
	printf("\nWork on the files of a file system image (ext2, ext3, "
	    "ext4) without mounting it.\n\n"
	    "  -t TYPE       file system type; found from the superblock "
	    "when omitted\n"
	    "  -o OPTIONS    mount options, comma-separated (for example "
	    "noatime)\n"
	    "  -h, --help    show this help\n\n"
	    "IMAGE:N selects partition N of an MBR or GPT partition "
	    "table.\n\nCommands:\n");
	for (cmd = fsu_commands; cmd->cmd_name != NULL; cmd++)
		printf("  %-6s %s\n         %s\n", cmd->cmd_name,
		    cmd->cmd_usage, cmd->cmd_help);
	printf("\nPaths in the image are relative to its root directory.  "
	    "Commands that only\nread mount the image read-only.  Exit "
	    "status: 0 on success, 1 when an\noperation failed, 2 for a "
	    "bad command line.\n");
}

void *
fsu_xmalloc(size_t size)
{
	void *p;

	p = malloc(size > 0 ? size : 1);
	if (p == NULL) {
		fsu_warnx("out of memory");
		abort();
	}
	return p;
}

char *
fsu_xstrdup(const char *s)
{
	size_t len = strlen(s) + 1;

	return memcpy(fsu_xmalloc(len), s, len);
}

char *
fsu_join(const char *dir, const char *name)
{
	size_t dlen = strlen(dir), nlen = strlen(name);
	bool slash = dlen > 0 && dir[dlen - 1] != '/';
	char *p;

	p = fsu_xmalloc(dlen + slash + nlen + 1);
	memcpy(p, dir, dlen);
	if (slash)
		p[dlen] = '/';
	memcpy(p + dlen + slash, name, nlen + 1);
	return p;
}

char *
fsu_basename(const char *path)
{
	size_t len = strlen(path);
	const char *start;
	char *p;

	while (len > 1 && path[len - 1] == '/')
		len--;
	start = path + len;
	while (start > path && start[-1] != '/')
		start--;
	if (len == 1 && path[0] == '/')
		return fsu_xstrdup("/");
	p = fsu_xmalloc((size_t)(path + len - start) + 1);
	memcpy(p, start, (size_t)(path + len - start));
	p[path + len - start] = '\0';
	return p;
}

char *
fsu_target(const char *src, const char *dst, bool dst_is_dir)
{
	char *base, *p;

	if (!dst_is_dir)
		return fsu_xstrdup(dst);
	base = fsu_basename(src);
	p = fsu_join(dst, base);
	free(base);
	return p;
}

static int
fsu_names_cmp(const void *a, const void *b)
{

	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
fsu_read_names(struct fsu *f, const char *dir, bool withdots,
    char ***namesp, size_t *countp)
{
	struct ukfs_dircookie *dc;
	struct fsu_dirent64 *de;
	uint8_t buf[8192];
	char **names = NULL;
	size_t count = 0, cap = 0;
	off_t off = 0;
	int n, i, error = 0;

	if (ukfs_opendir(f->fsu_ukfs, dir, &dc) == -1)
		return -1;
	for (;;) {
		n = ukfs_getdents_cookie(f->fsu_ukfs, dc, &off, buf,
		    sizeof(buf));
		if (n == -1) {
			error = errno;
			break;
		}
		if (n == 0)
			break;
		for (i = 0; i < n; i += de->d_reclen) {
			de = (struct fsu_dirent64 *)(buf + i);
			if (de->d_reclen == 0 || i + de->d_reclen > n) {
				error = EIO;	/* a malformed record */
				goto out;
			}
			if (!withdots && (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0))
				continue;
			if (count == cap) {
				cap = cap == 0 ? 32 : cap * 2;
				names = realloc(names, cap * sizeof(*names));
				if (names == NULL) {
					fsu_warnx("out of memory");
					abort();
				}
			}
			names[count++] = fsu_xstrdup(de->d_name);
		}
	}
 out:
	(void)ukfs_closedir(f->fsu_ukfs, dc);
	if (error != 0) {
		fsu_free_names(names, count);
		errno = error;
		return -1;
	}
	if (count > 1)
		qsort(names, count, sizeof(*names), fsu_names_cmp);
	*namesp = names;
	*countp = count;
	return 0;
}

void
fsu_free_names(char **names, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++)
		free(names[i]);
	free(names);
}

int
fsu_walk_dir(struct fsu *f, const char *dir, const char *what,
    fsu_walk_fn *fn, const void *arg)
{
	char **names, *path;
	size_t count, i;
	int status = FSU_OK;

	if (fsu_read_names(f, dir, false, &names, &count) == -1) {
		fsu_warnc(errno, "%s'%s'", what, dir);
		return FSU_FAIL;
	}
	for (i = 0; i < count && !fsu_interrupted; i++) {
		path = fsu_join(dir, names[i]);
		if (fn(f, path, names[i], arg) != FSU_OK)
			status = FSU_FAIL;
		free(path);
	}
	fsu_free_names(names, count);
	return fsu_interrupted ? FSU_FAIL : status;
}

/* ------------------------------------------------------------------ */
/* Host names of users and groups, cached. */

#define FSU_NAMECACHE	64

struct fsu_idname {
	unsigned	id;
	char		name[33];
	bool		used;
};

static const char *
fsu_id_name(struct fsu_idname *cache, unsigned id, bool numeric, bool user)
{
	struct fsu_idname *e = &cache[id % FSU_NAMECACHE];
	struct passwd *pw;
	struct group *gr;
	const char *name = NULL;

	if (!numeric && e->used && e->id == id)
		return e->name;
	if (!numeric) {
		if (user) {
			pw = getpwuid((uid_t)id);
			name = pw != NULL ? pw->pw_name : NULL;
		} else {
			gr = getgrgid((gid_t)id);
			name = gr != NULL ? gr->gr_name : NULL;
		}
	}
	e->used = !numeric;
	e->id = id;
	if (name != NULL && strlen(name) < sizeof(e->name))
		strcpy(e->name, name);
	else
		snprintf(e->name, sizeof(e->name), "%u", id);
	return e->name;
}

const char *
fsu_user_name(uid_t uid, bool numeric)
{
	static struct fsu_idname cache[FSU_NAMECACHE];

	return fsu_id_name(cache, (unsigned)uid, numeric, true);
}

const char *
fsu_group_name(gid_t gid, bool numeric)
{
	static struct fsu_idname cache[FSU_NAMECACHE];

	return fsu_id_name(cache, (unsigned)gid, numeric, false);
}

void
fsu_mode_string(mode_t mode, char *buf)
{
	static const char rwx[] = "rwxrwxrwx";
	int i;

	switch (mode & S_IFMT) {
	case S_IFDIR:	buf[0] = 'd'; break;
	case S_IFLNK:	buf[0] = 'l'; break;
	case S_IFCHR:	buf[0] = 'c'; break;
	case S_IFBLK:	buf[0] = 'b'; break;
	case S_IFIFO:	buf[0] = 'p'; break;
	case S_IFSOCK:	buf[0] = 's'; break;
	case S_IFREG:	buf[0] = '-'; break;
	default:	buf[0] = '?'; break;
	}
	for (i = 0; i < 9; i++)
		buf[i + 1] = (mode & (0400 >> i)) ? rwx[i] : '-';
	if (mode & S_ISUID)
		buf[3] = (mode & S_IXUSR) ? 's' : 'S';
	if (mode & S_ISGID)
		buf[6] = (mode & S_IXGRP) ? 's' : 'S';
	if (mode & S_ISVTX)
		buf[9] = (mode & S_IXOTH) ? 't' : 'T';
	buf[10] = '\0';
}

/* ------------------------------------------------------------------ */
/* The image. */

/*
 * Split IMAGE[:PARTITION]: a name that exists as it is is the whole
 * image; otherwise a trailing ":N" selects partition N.
 */
static int
fsu_parse_image(const char *arg, char **pathp, unsigned *partp)
{
	struct stat st;
	const char *colon, *p;
	unsigned long n;
	char *path;

	*partp = 0;
	colon = strrchr(arg, ':');
	if (stat(arg, &st) == 0 || colon == NULL || colon[1] == '\0') {
		*pathp = fsu_xstrdup(arg);
		return 0;
	}
	for (p = colon + 1; *p != '\0'; p++)
		if (!isdigit((unsigned char)*p)) {
			*pathp = fsu_xstrdup(arg);
			return 0;
		}
	errno = 0;
	n = strtoul(colon + 1, NULL, 10);
	if (errno != 0 || n == 0 || n > 256) {
		fsu_warnx("%s: invalid partition number '%s' (1 to 256)", arg,
		    colon + 1);
		return FSU_USAGE;
	}
	path = fsu_xmalloc((size_t)(colon - arg) + 1);
	memcpy(path, arg, (size_t)(colon - arg));
	path[colon - arg] = '\0';
	*pathp = path;
	*partp = (unsigned)n;
	return 0;
}

/*
 * True when a mount asked to be read-write came out read-only, as a
 * driver does for features it can only read.
 */
static bool
fsu_mounted_readonly(struct fsu *f)
{
	struct statfs sfs;

	return rump_sys_statfs(f->fsu_mountpath, &sfs) == 0 &&
	    (sfs.f_flags & ST_RDONLY) != 0;
}

/* Mount the image; prints the reason and returns FSU_FAIL on failure. */
static int
fsu_mount(struct fsu *f, const char *path, unsigned partnum, bool readonly,
    const char *options)
{
	char devpath[UKFS_DEVICE_MAXPATHLEN];
	struct ukfs_part *part;
	int error;

	if (partnum > 0)
		snprintf(devpath, sizeof(devpath), "%s%s%u%%", path,
		    UKFS_PARTNUM_SCANMAGIC, partnum);
	else
		snprintf(devpath, sizeof(devpath), "%s", path);
	if (ukfs_part_probe(devpath, &part) == -1) {
		fsu_warnc(errno, "%s", f->fsu_image);
		return FSU_FAIL;
	}
	f->fsu_ukfs = ukfs_mount_disk(f->fsu_fstype, devpath, part,
	    f->fsu_mountpath, readonly ? MS_RDONLY : 0, (void *)options,
	    options != NULL ? strlen(options) + 1 : 0);
	error = errno;
	ukfs_part_release(part);
	if (f->fsu_ukfs != NULL && !readonly && fsu_mounted_readonly(f)) {
		fsu_warnx("%s: the file system is mounted read-only, so it "
		    "cannot be changed", f->fsu_image);
		(void)ukfs_release(f->fsu_ukfs, 0);
		f->fsu_ukfs = NULL;
		return FSU_FAIL;
	}
	if (f->fsu_ukfs != NULL)
		return FSU_OK;

	if (error == ENODEV && f->fsu_detected)
		fsu_warnx("%s: file system type %s is not supported yet",
		    f->fsu_image, f->fsu_fstype);
	else if (error == ENODEV)
		fsu_warnx("unknown file system type '%s'", f->fsu_fstype);
	else if (error == ENXIO && partnum > 0)
		fsu_warnx("%s: no partition %u in the image", f->fsu_image,
		    partnum);
	else if (error == EROFS && !readonly)
		fsu_warnx("%s: cannot mount %s read-write: %s", f->fsu_image,
		    f->fsu_fstype, strerror(error));
	else
		fsu_warnc(error, "%s: cannot mount %s", f->fsu_image,
		    f->fsu_fstype);
	return FSU_FAIL;
}

/*
 * Lock the image file with flock(2), shared for the commands that only
 * read and exclusive for the others, and wait while another run holds
 * it.  Two runs that changed one image at once would each write back
 * their own view, so the last one would undo the other's work.  The
 * descriptor stays open until the process exits.
 */
static int
fsu_lock_image(const char *path, bool readonly)
{
	int fd, op = readonly ? LOCK_SH : LOCK_EX;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1) {
		fsu_warnc(errno, "cannot open '%s'", path);
		return FSU_FAIL;
	}
	if (flock(fd, op | LOCK_NB) == 0)
		return FSU_OK;
	if (errno == EWOULDBLOCK) {
		fsu_warnx("%s: waiting for another fsu that uses the image",
		    path);
		while (flock(fd, op) == -1) {
			if (errno != EINTR) {
				fsu_warnc(errno, "cannot lock '%s'", path);
				return FSU_FAIL;
			}
		}
	}
	/* A host file system without flock (ENOLCK) leaves it unlocked. */
	return FSU_OK;
}

/* Unmount and free the image; a failed unmount is forced. */
static int
fsu_release(struct fsu *f)
{

	if (ukfs_release(f->fsu_ukfs, 0) == 0)
		return FSU_OK;
	fsu_warnc(errno, "%s: unmount failed, forcing it", f->fsu_image);
	(void)ukfs_release(f->fsu_ukfs, UKFS_RELFLAG_FORCE);
	return FSU_FAIL;
}

static void
fsu_on_signal(int sig)
{

	fsu_interrupted = sig;
}

/*
 * Interrupting signals set fsu_interrupted, so that the command stops
 * and the image is released.  SA_RESTART keeps them from failing the
 * kernel's host I/O with EINTR.  SIGPIPE, when the reader of standard
 * output went away, is caught the same way: the write fails with EPIPE,
 * the command stops, and after the release main raises SIGPIPE again,
 * so that fsu dies of it like cat(1) in "fsu IMAGE cat FILE | head".
 */
static void
fsu_setup_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fsu_on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGINT, &sa, NULL);
	(void)sigaction(SIGTERM, &sa, NULL);
	(void)sigaction(SIGHUP, &sa, NULL);
	(void)sigaction(SIGPIPE, &sa, NULL);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct fsu_command *cmd;
	const char *type = NULL, *options = NULL;
	struct fsu f;
	unsigned partnum;
	char *path;
	int ch, status, error, relstatus;

	while ((ch = getopt_long(argc, argv, "+ht:o:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			fsu_help();
			return FSU_OK;
		case 't':
			type = optarg;
			break;
		case 'o':
			options = optarg;
			break;
		default:
			fsu_usage(stderr);
			return FSU_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 2) {
		fsu_warnx(argc == 0 ? "missing image and command" :
		    "missing command");
		fsu_usage(stderr);
		return FSU_USAGE;
	}
	cmd = fsu_find_command(argv[1]);
	if (cmd == NULL) {
		fsu_warnx("unknown command '%s'", argv[1]);
		fsu_usage(stderr);
		return FSU_USAGE;
	}

	memset(&f, 0, sizeof(f));
	f.fsu_image = argv[0];
	f.fsu_mountpath = FSU_MOUNTPATH;
	f.fsu_umask = umask(022);
	umask(f.fsu_umask);

	/* Check the arguments first: a usage error leaves the image alone. */
	f.fsu_checkonly = true;
	optind = 0;
	status = cmd->cmd_func(&f, argc - 1, argv + 1);
	if (status != FSU_OK)
		return status;
	f.fsu_checkonly = false;

	status = fsu_parse_image(argv[0], &path, &partnum);
	if (status != 0)
		return status;
	if (access(path, cmd->cmd_readonly ? R_OK : R_OK | W_OK) == -1) {
		fsu_warnc(errno, "cannot open '%s'", path);
		free(path);
		return FSU_FAIL;
	}
	if (fsu_lock_image(path, cmd->cmd_readonly) != FSU_OK) {
		free(path);
		return FSU_FAIL;
	}

	if (ukfs_init() == -1) {
		fsu_warnc(errno, "cannot start the rump kernel");
		free(path);
		return FSU_FAIL;
	}
	if (type == NULL) {
		error = fsu_detect_type(path, partnum, &type);
		if (error != 0) {
			free(path);
			return FSU_FAIL;
		}
		f.fsu_detected = true;
	}
	f.fsu_fstype = type;
	status = fsu_mount(&f, path, partnum, cmd->cmd_readonly, options);
	free(path);
	if (status != FSU_OK)
		return status;

	fsu_setup_signals();
	optind = 0;		/* a fresh getopt for the command */
	status = cmd->cmd_func(&f, argc - 1, argv + 1);
	if (fsu_interrupted && fsu_interrupted != SIGPIPE)
		fsu_warnx("interrupted");
	if (fflush(stdout) == EOF && errno != EPIPE) {
		fsu_warnc(errno, "write error");
		status = FSU_FAIL;
	}
	relstatus = fsu_release(&f);
	if (status == FSU_OK)
		status = relstatus;
	if (fsu_interrupted) {
		signal(fsu_interrupted, SIG_DFL);
		raise(fsu_interrupted);
	}
	return status;
}
