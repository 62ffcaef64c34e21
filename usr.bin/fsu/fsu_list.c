/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fsu commands that only read: ls, stat, df and find.  Their output
 * follows GNU coreutils and findutils in the C locale, one name per line
 * as ls prints when its output is not a terminal.
 */

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>

#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/ukfs.h>

#include "fsu.h"

/* ls -l shows the year instead of the time beyond half a year. */
#define SIX_MONTHS	(365 * 24 * 60 * 60 / 2)

/* ------------------------------------------------------------------ */
/* ls */

struct ls_opts {
	bool	lo_long;
	bool	lo_all;		/* -a: also ".", ".." and dot files */
	bool	lo_almost;	/* -A: dot files but not "." and ".." */
	bool	lo_recursive;
	bool	lo_dironly;	/* -d */
	bool	lo_numeric;	/* -n */
};

/* One name to print, with its status. */
struct ls_entry {
	char		*le_name;	/* as printed */
	char		*le_path;	/* in the image */
	struct stat	 le_st;
};

static int
ls_entry_cmp(const void *a, const void *b)
{

	return strcmp(((const struct ls_entry *)a)->le_name,
	    ((const struct ls_entry *)b)->le_name);
}

static void
ls_free_entries(struct ls_entry *ents, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(ents[i].le_name);
		free(ents[i].le_path);
	}
	free(ents);
}

static int
ndigits(uintmax_t v)
{
	int n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

/* "Dec  4 22:51" for recent times, "Dec  4  2024" for others. */
static void
ls_format_time(time_t t, char *buf, size_t len)
{
	time_t now = time(NULL);
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL) {
		snprintf(buf, len, "%jd", (intmax_t)t);
		return;
	}
	if (t > now - SIX_MONTHS && t <= now + 60)
		strftime(buf, len, "%b %e %H:%M", &tm);
	else
		strftime(buf, len, "%b %e  %Y", &tm);
}

/* Column widths of a long listing. */
struct ls_widths {
	int	lw_links, lw_owner, lw_group, lw_size, lw_major, lw_minor;
};

static void
ls_measure(const struct ls_entry *ents, size_t n, const struct ls_opts *o,
    struct ls_widths *w)
{
	const struct stat *st;
	size_t i;
	int v;

	memset(w, 0, sizeof(*w));
	for (i = 0; i < n; i++) {
		st = &ents[i].le_st;
		if ((v = ndigits(st->st_nlink)) > w->lw_links)
			w->lw_links = v;
		v = (int)strlen(fsu_user_name(st->st_uid, o->lo_numeric));
		if (v > w->lw_owner)
			w->lw_owner = v;
		v = (int)strlen(fsu_group_name(st->st_gid, o->lo_numeric));
		if (v > w->lw_group)
			w->lw_group = v;
		if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode)) {
			if ((v = ndigits(major(st->st_rdev))) > w->lw_major)
				w->lw_major = v;
			if ((v = ndigits(minor(st->st_rdev))) > w->lw_minor)
				w->lw_minor = v;
		} else if ((v = ndigits((uintmax_t)st->st_size)) > w->lw_size)
			w->lw_size = v;
	}
	/* Device numbers "M, m" share the size column. */
	if (w->lw_major > 0 && w->lw_major + 2 + w->lw_minor > w->lw_size)
		w->lw_size = w->lw_major + 2 + w->lw_minor;
	else if (w->lw_major > 0)
		w->lw_major = w->lw_size - 2 - w->lw_minor;
}

static void
ls_print_long(struct fsu *f, const struct ls_entry *e,
    const struct ls_widths *w, const struct ls_opts *o)
{
	const struct stat *st = &e->le_st;
	char mode[11], date[32], target[PATH_MAX];
	ssize_t n;

	fsu_mode_string(st->st_mode, mode);
	ls_format_time(st->st_mtime, date, sizeof(date));
	printf("%s %*ju %-*s %-*s ", mode, w->lw_links,
	    (uintmax_t)st->st_nlink, w->lw_owner,
	    fsu_user_name(st->st_uid, o->lo_numeric), w->lw_group,
	    fsu_group_name(st->st_gid, o->lo_numeric));
	if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode))
		printf("%*u, %*u", w->lw_major, major(st->st_rdev),
		    w->lw_minor, minor(st->st_rdev));
	else
		printf("%*jd", w->lw_size, (intmax_t)st->st_size);
	printf(" %s %s", date, e->le_name);
	if (S_ISLNK(st->st_mode)) {
		n = ukfs_readlink(f->fsu_ukfs, e->le_path, target,
		    sizeof(target) - 1);
		if (n >= 0) {
			target[n] = '\0';
			printf(" -> %s", target);
		}
	}
	putchar('\n');
}

/* Print entries (already sorted); with a total line for directories. */
static void
ls_print(struct fsu *f, const struct ls_entry *ents, size_t n,
    const struct ls_opts *o, bool total)
{
	struct ls_widths w;
	uintmax_t blocks = 0;
	size_t i;

	if (!o->lo_long) {
		for (i = 0; i < n; i++)
			printf("%s\n", ents[i].le_name);
		return;
	}
	if (total) {
		/* In KiB, as ls counts with a 1024-byte block size. */
		for (i = 0; i < n; i++)
			blocks += ((uintmax_t)ents[i].le_st.st_blocks + 1) / 2;
		printf("total %ju\n", blocks);
	}
	ls_measure(ents, n, o, &w);
	for (i = 0; i < n; i++)
		ls_print_long(f, &ents[i], &w, o);
}

/*
 * List directory dir, printed as shown, and with -R its subdirectories
 * after it.  With header a "shown:" line comes first.  *firstp is true
 * until something was printed, and a blank line separates listings.
 */
static int
ls_dir(struct fsu *f, const char *dir, const char *shown,
    const struct ls_opts *o, bool header, bool *firstp)
{
	struct ls_entry *ents;
	char **names;
	size_t count, n = 0, i;
	int status = FSU_OK, rv;
	char *path, *sub;

	if (fsu_read_names(f, dir, o->lo_all, &names, &count) == -1) {
		fsu_warnc(errno, "cannot open directory '%s'", shown);
		return FSU_FAIL;
	}
	if (!*firstp)
		putchar('\n');
	*firstp = false;
	if (header)
		printf("%s:\n", shown);

	ents = fsu_xmalloc((count > 0 ? count : 1) * sizeof(*ents));
	for (i = 0; i < count; i++) {
		if (names[i][0] == '.' && !o->lo_all && !o->lo_almost)
			continue;
		path = fsu_join(dir, names[i]);
		if (ukfs_lstat(f->fsu_ukfs, path, &ents[n].le_st) == -1) {
			fsu_warnc(errno, "cannot access '%s'", path);
			free(path);
			status = FSU_FAIL;
			continue;
		}
		ents[n].le_name = fsu_xstrdup(names[i]);
		ents[n].le_path = path;
		n++;
	}
	fsu_free_names(names, count);
	ls_print(f, ents, n, o, true);

	for (i = 0; o->lo_recursive && i < n && !fsu_interrupted; i++) {
		if (!S_ISDIR(ents[i].le_st.st_mode) ||
		    strcmp(ents[i].le_name, ".") == 0 ||
		    strcmp(ents[i].le_name, "..") == 0)
			continue;
		sub = fsu_join(shown, ents[i].le_name);
		rv = ls_dir(f, ents[i].le_path, sub, o, true, firstp);
		if (rv != FSU_OK)
			status = rv;
		free(sub);
	}
	ls_free_entries(ents, n);
	return status;
}

int
fsu_cmd_ls(struct fsu *f, int argc, char **argv)
{
	static char dot[] = ".";
	static char *dotv[] = { dot, NULL };
	struct ls_opts o;
	struct ls_entry *files, *dirs;
	size_t nfiles = 0, ndirs = 0, i;
	struct stat st;
	bool first = true, header;
	int ch, status = FSU_OK, rv;
	char **args;
	int nargs;

	memset(&o, 0, sizeof(o));
	while ((ch = getopt(argc, argv, "1adlnAR")) != -1) {
		switch (ch) {
		case '1':
			break;
		case 'a':
			o.lo_all = true;
			break;
		case 'A':
			o.lo_almost = true;
			break;
		case 'd':
			o.lo_dironly = true;
			break;
		case 'l':
			o.lo_long = true;
			break;
		case 'n':
			o.lo_long = o.lo_numeric = true;
			break;
		case 'R':
			o.lo_recursive = true;
			break;
		default:
			return fsu_usage_cmd("ls");
		}
	}
	if (f->fsu_checkonly)
		return FSU_OK;
	args = optind < argc ? argv + optind : dotv;
	nargs = optind < argc ? argc - optind : 1;

	/* Files first, then directories, each group sorted. */
	files = fsu_xmalloc((size_t)nargs * sizeof(*files));
	dirs = fsu_xmalloc((size_t)nargs * sizeof(*dirs));
	for (i = 0; i < (size_t)nargs; i++) {
		/* Without -l and -d a link to a directory lists it. */
		if ((o.lo_long || o.lo_dironly ?
		    ukfs_lstat(f->fsu_ukfs, args[i], &st) :
		    ukfs_stat(f->fsu_ukfs, args[i], &st)) == -1 &&
		    ukfs_lstat(f->fsu_ukfs, args[i], &st) == -1) {
			fsu_warnc(errno, "cannot access '%s'", args[i]);
			status = FSU_FAIL;
			continue;
		}
		if (S_ISDIR(st.st_mode) && !o.lo_dironly) {
			dirs[ndirs].le_name = fsu_xstrdup(args[i]);
			dirs[ndirs].le_path = fsu_xstrdup(args[i]);
			dirs[ndirs++].le_st = st;
		} else {
			files[nfiles].le_name = fsu_xstrdup(args[i]);
			files[nfiles].le_path = fsu_xstrdup(args[i]);
			files[nfiles++].le_st = st;
		}
	}
	qsort(files, nfiles, sizeof(*files), ls_entry_cmp);
	qsort(dirs, ndirs, sizeof(*dirs), ls_entry_cmp);

	if (nfiles > 0) {
		ls_print(f, files, nfiles, &o, false);
		first = false;
	}
	header = nargs > 1 || o.lo_recursive || status != FSU_OK;
	for (i = 0; i < ndirs && !fsu_interrupted; i++) {
		rv = ls_dir(f, dirs[i].le_path, dirs[i].le_name, &o, header,
		    &first);
		if (rv != FSU_OK)
			status = rv;
	}
	ls_free_entries(files, nfiles);
	ls_free_entries(dirs, ndirs);
	return fsu_interrupted ? FSU_FAIL : status;
}

/* ------------------------------------------------------------------ */
/* stat */

static const char *
stat_type_name(const struct stat *st)
{

	switch (st->st_mode & S_IFMT) {
	case S_IFREG:
		return st->st_size == 0 ? "regular empty file" :
		    "regular file";
	case S_IFDIR:	return "directory";
	case S_IFLNK:	return "symbolic link";
	case S_IFCHR:	return "character special file";
	case S_IFBLK:	return "block special file";
	case S_IFIFO:	return "fifo";
	case S_IFSOCK:	return "socket";
	}
	return "weird file";
}

/* "2024-05-01 10:00:00.123456789 +0200", in local time. */
static void
stat_format_time(const struct timespec *ts, char *buf, size_t len)
{
	struct tm tm;
	char date[32], zone[8];

	if (localtime_r(&ts->tv_sec, &tm) == NULL) {
		snprintf(buf, len, "%jd.%09ld", (intmax_t)ts->tv_sec,
		    ts->tv_nsec);
		return;
	}
	strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S", &tm);
	strftime(zone, sizeof(zone), "%z", &tm);
	snprintf(buf, len, "%s.%09ld %s", date, ts->tv_nsec, zone);
}

static int
stat_one(struct fsu *f, const char *path, bool follow)
{
	char mode[11], target[PATH_MAX], size[32], t[3][64];
	struct stat st;
	ssize_t n;

	if ((follow ? ukfs_stat(f->fsu_ukfs, path, &st) :
	    ukfs_lstat(f->fsu_ukfs, path, &st)) == -1) {
		fsu_warnc(errno, "cannot stat '%s'", path);
		return FSU_FAIL;
	}
	fsu_mode_string(st.st_mode, mode);
	stat_format_time(&st.st_atim, t[0], sizeof(t[0]));
	stat_format_time(&st.st_mtim, t[1], sizeof(t[1]));
	stat_format_time(&st.st_ctim, t[2], sizeof(t[2]));

	printf("  File: %s", path);
	if (S_ISLNK(st.st_mode)) {
		n = ukfs_readlink(f->fsu_ukfs, path, target,
		    sizeof(target) - 1);
		if (n >= 0) {
			target[n] = '\0';
			printf(" -> %s", target);
		}
	}
	snprintf(size, sizeof(size), "%jd", (intmax_t)st.st_size);
	printf("\n  Size: %-10s\tBlocks: %-10jd IO Block: %-6ld %s\n", size,
	    (intmax_t)st.st_blocks, (long)st.st_blksize,
	    stat_type_name(&st));
	printf("Device: %u,%u\tInode: %-11ju Links: ", major(st.st_dev),
	    minor(st.st_dev), (uintmax_t)st.st_ino);
	if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
		printf("%-5ju Device type: %u,%u\n", (uintmax_t)st.st_nlink,
		    major(st.st_rdev), minor(st.st_rdev));
	else
		printf("%ju\n", (uintmax_t)st.st_nlink);
	printf("Access: (%04o/%s)  Uid: (%5u/%8s)   Gid: (%5u/%8s)\n",
	    (unsigned)(st.st_mode & 07777), mode, (unsigned)st.st_uid,
	    fsu_user_name(st.st_uid, false), (unsigned)st.st_gid,
	    fsu_group_name(st.st_gid, false));
	printf("Access: %s\nModify: %s\nChange: %s\n Birth: -\n", t[0], t[1],
	    t[2]);
	return FSU_OK;
}

int
fsu_cmd_stat(struct fsu *f, int argc, char **argv)
{
	bool follow = false;
	int ch, i, status = FSU_OK;

	while ((ch = getopt(argc, argv, "L")) != -1) {
		switch (ch) {
		case 'L':
			follow = true;
			break;
		default:
			return fsu_usage_cmd("stat");
		}
	}
	if (optind == argc)
		return fsu_usage_missing("stat", "operand");
	if (f->fsu_checkonly)
		return FSU_OK;
	for (i = optind; i < argc; i++)
		if (stat_one(f, argv[i], follow) != FSU_OK)
			status = FSU_FAIL;
	return status;
}

/* ------------------------------------------------------------------ */
/* df */

/*
 * Size in the style of df -h: powers of 1024 with K, M, G, T, P, E, one
 * decimal below 10 and rounded up, as coreutils does.
 */
static void
df_human(uintmax_t bytes, char *buf, size_t len)
{
	static const char units[] = "KMGTPE";
	long double v = (long double)bytes;
	int u = -1;

	while (v >= 1024 && u < (int)sizeof(units) - 2) {
		v /= 1024;
		u++;
	}
	if (u < 0) {
		snprintf(buf, len, "%ju", bytes);
		return;
	}
	if (v < 10) {
		v = (long double)(uintmax_t)(v * 10 + 0.999999L) / 10;
		if (v < 10) {
			snprintf(buf, len, "%.1Lf%c", v, units[u]);
			return;
		}
	}
	snprintf(buf, len, "%ju%c", (uintmax_t)(v + 0.999999L), units[u]);
}

int
fsu_cmd_df(struct fsu *f, int argc, char **argv)
{
	char size[32], used[32], avail[32], pct[8];
	uintmax_t frsize, total, free, bavail, usedb;
	struct statfs sfs;
	bool human = false;
	int ch, w0;

	while ((ch = getopt(argc, argv, "h")) != -1) {
		switch (ch) {
		case 'h':
			human = true;
			break;
		default:
			return fsu_usage_cmd("df");
		}
	}
	if (optind != argc)
		return fsu_usage_cmd("df");
	if (f->fsu_checkonly)
		return FSU_OK;
	if (rump_sys_statfs(f->fsu_mountpath, &sfs) == -1) {
		fsu_warnc(errno, "%s: cannot read file system statistics",
		    f->fsu_image);
		return FSU_FAIL;
	}

	frsize = sfs.f_frsize != 0 ? (uintmax_t)sfs.f_frsize :
	    (uintmax_t)sfs.f_bsize;
	total = (uintmax_t)sfs.f_blocks * frsize;
	free = (uintmax_t)sfs.f_bfree * frsize;
	bavail = (uintmax_t)sfs.f_bavail * frsize;
	usedb = total - free;
	if (usedb + bavail == 0)
		snprintf(pct, sizeof(pct), "-");
	else
		snprintf(pct, sizeof(pct), "%ju%%",
		    (usedb * 100 + usedb + bavail - 1) / (usedb + bavail));

	if (human) {
		df_human(total, size, sizeof(size));
		df_human(usedb, used, sizeof(used));
		df_human(bavail, avail, sizeof(avail));
	} else {
		/* 1K blocks, rounded up as df does. */
		snprintf(size, sizeof(size), "%ju", (total + 1023) / 1024);
		snprintf(used, sizeof(used), "%ju", (usedb + 1023) / 1024);
		snprintf(avail, sizeof(avail), "%ju", bavail / 1024);
	}
	w0 = (int)strlen(f->fsu_image);
	if (w0 < 14)
		w0 = 14;
	if (human)
		printf("%-*s %5s %5s %5s %4s %s\n%-*s %5s %5s %5s %4s %s\n",
		    w0, "Filesystem", "Size", "Used", "Avail", "Use%",
		    "Mounted on", w0, f->fsu_image, size, used, avail, pct,
		    "/");
	else
		printf("%-*s %9s %9s %9s %4s %s\n%-*s %9s %9s %9s %4s %s\n",
		    w0, "Filesystem", "1K-blocks", "Used", "Available",
		    "Use%", "Mounted on", w0, f->fsu_image, size, used, avail,
		    pct, "/");
	return FSU_OK;
}

/* ------------------------------------------------------------------ */
/* find */

struct find_expr {
	const char	*fe_name;	/* -name pattern, or NULL */
	mode_t		 fe_type;	/* -type as S_IF*, or 0 */
	long		 fe_maxdepth;	/* -1: no limit */
	long		 fe_mindepth;
};

static bool
find_match(const struct find_expr *e, const char *path, const struct stat *st,
    long depth)
{
	char *base;
	bool ok = true;

	if (depth < e->fe_mindepth)
		return false;
	if (e->fe_type != 0 && (st->st_mode & S_IFMT) != e->fe_type)
		return false;
	if (e->fe_name != NULL) {
		base = fsu_basename(path);
		ok = fnmatch(e->fe_name, base, 0) == 0;
		free(base);
	}
	return ok;
}

/* Walk state of find: the expression and the depth of the next level. */
struct find_level {
	const struct find_expr	*fl_expr;
	long			 fl_depth;
};

static int find_walk(struct fsu *, const char *, const struct find_expr *,
    long);

/* An entry of a directory that find enters. */
static int
find_child(struct fsu *f, const char *path, const char *name,
    const void *arg)
{
	const struct find_level *l = arg;

	return find_walk(f, path, l->fl_expr, l->fl_depth);
}

static int
find_walk(struct fsu *f, const char *path, const struct find_expr *e,
    long depth)
{
	struct find_level next = { e, depth + 1 };
	struct stat st;

	if (ukfs_lstat(f->fsu_ukfs, path, &st) == -1) {
		fsu_warnc(errno, "'%s'", path);
		return FSU_FAIL;
	}
	if (find_match(e, path, &st, depth))
		printf("%s\n", path);
	if (!S_ISDIR(st.st_mode) ||
	    (e->fe_maxdepth >= 0 && depth >= e->fe_maxdepth))
		return FSU_OK;

	return fsu_walk_dir(f, path, "", find_child, &next);
}

/* Parse a -maxdepth or -mindepth argument. */
static bool
find_depth(const char *arg, long *vp)
{
	char *end;

	errno = 0;
	*vp = strtol(arg, &end, 10);
	return errno == 0 && end != arg && *end == '\0' && *vp >= 0;
}

int
fsu_cmd_find(struct fsu *f, int argc, char **argv)
{
	static const char types[] = "fdlbcps";
	static const mode_t typemodes[] = { S_IFREG, S_IFDIR, S_IFLNK,
	    S_IFBLK, S_IFCHR, S_IFIFO, S_IFSOCK };
	struct find_expr e = { NULL, 0, -1, 0 };
	const char *p;
	int i, first, npaths, status = FSU_OK;

	/* A leading "--" ends the options, as find(1) takes it. */
	first = argc > 1 && strcmp(argv[1], "--") == 0 ? 2 : 1;
	for (i = first; i < argc && argv[i][0] != '-'; i++)
		;
	npaths = i - first;
	for (; i < argc; i++) {
		if (strcmp(argv[i], "-name") != 0 &&
		    strcmp(argv[i], "-type") != 0 &&
		    strcmp(argv[i], "-maxdepth") != 0 &&
		    strcmp(argv[i], "-mindepth") != 0) {
			fsu_warnx("find: unknown predicate '%s'", argv[i]);
			return FSU_USAGE;
		}
		if (i + 1 >= argc) {
			fsu_warnx("find: missing argument to '%s'", argv[i]);
			return FSU_USAGE;
		}
		if (strcmp(argv[i], "-name") == 0) {
			e.fe_name = argv[++i];
		} else if (strcmp(argv[i], "-type") == 0) {
			p = strchr(types, argv[++i][0]);
			if (p == NULL || argv[i][0] == '\0' ||
			    argv[i][1] != '\0') {
				fsu_warnx("find: unknown argument to -type: "
				    "%s", argv[i]);
				return FSU_USAGE;
			}
			e.fe_type = typemodes[p - types];
		} else if (strcmp(argv[i], "-maxdepth") == 0) {
			if (!find_depth(argv[++i], &e.fe_maxdepth)) {
				fsu_warnx("find: invalid -maxdepth '%s'",
				    argv[i]);
				return FSU_USAGE;
			}
		} else if (strcmp(argv[i], "-mindepth") == 0) {
			if (!find_depth(argv[++i], &e.fe_mindepth)) {
				fsu_warnx("find: invalid -mindepth '%s'",
				    argv[i]);
				return FSU_USAGE;
			}
		}
	}

	if (f->fsu_checkonly)
		return FSU_OK;
	if (npaths == 0)
		return find_walk(f, ".", &e, 0);
	for (i = first; i < first + npaths && !fsu_interrupted; i++)
		if (find_walk(f, argv[i], &e, 0) != FSU_OK)
			status = FSU_FAIL;
	return status;
}
