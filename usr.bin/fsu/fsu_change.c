/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fsu commands that change names and attributes in the image: mkdir, rm,
 * rmdir, mv, ln, chmod, chown and touch, with the options and messages
 * of their GNU coreutils namesakes.
 */

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rump/ukfs.h>

#include "fsu.h"

/* The mode that octal or symbolic modestr gives a file of mode old. */
static bool	mode_apply(const char *modestr, mode_t old, mode_t umask_bits,
		    mode_t *newp);

/* ------------------------------------------------------------------ */
/* mkdir, rmdir */

int
fsu_cmd_mkdir(struct fsu *f, int argc, char **argv)
{
	mode_t mode = 0777 & ~f->fsu_umask;
	bool parents = false;
	int ch, i, status = FSU_OK, rv;

	while ((ch = getopt(argc, argv, "pm:")) != -1) {
		switch (ch) {
		case 'p':
			parents = true;
			break;
		case 'm':
			if (!mode_apply(optarg, 0777, 0, &mode)) {
				fsu_warnx("invalid mode '%s'", optarg);
				return FSU_FAIL;
			}
			break;
		default:
			return fsu_usage_cmd("mkdir");
		}
	}
	if (optind == argc)
		return fsu_usage_missing("mkdir", "operand");
	if (f->fsu_checkonly)
		return FSU_OK;
	for (i = optind; i < argc; i++) {
		rv = parents ? ukfs_util_builddirs(f->fsu_ukfs, argv[i], mode) :
		    ukfs_mkdir(f->fsu_ukfs, argv[i], mode);
		if (rv == -1) {
			fsu_warnc(errno, "cannot create directory '%s'",
			    argv[i]);
			status = FSU_FAIL;
		}
	}
	return status;
}

int
fsu_cmd_rmdir(struct fsu *f, int argc, char **argv)
{
	int i, status = FSU_OK;

	if (fsu_no_options("rmdir", &argc, &argv) != FSU_OK)
		return FSU_USAGE;
	if (argc < 2)
		return fsu_usage_missing("rmdir", "operand");
	if (f->fsu_checkonly)
		return FSU_OK;
	for (i = 1; i < argc; i++) {
		if (ukfs_rmdir(f->fsu_ukfs, argv[i]) == -1) {
			fsu_warnc(errno, "failed to remove '%s'", argv[i]);
			status = FSU_FAIL;
		}
	}
	return status;
}

/* ------------------------------------------------------------------ */
/* rm */

/* True for ".", "..", and paths ending in "/." or "/..". */
static bool
is_dot_or_dotdot(const char *path)
{
	char *base = fsu_basename(path);
	bool dots = strcmp(base, ".") == 0 || strcmp(base, "..") == 0;

	free(base);
	return dots;
}

static int rm_tree(struct fsu *, const char *, bool, bool, bool);

/* An entry inside a directory that rm -r removes; arg is the -f flag. */
static int
rm_child(struct fsu *f, const char *path, const char *name, const void *arg)
{

	return rm_tree(f, path, true, *(const bool *)arg, false);
}

static int
rm_tree(struct fsu *f, const char *path, bool recursive, bool force,
    bool top)
{
	struct stat st;

	if (ukfs_lstat(f->fsu_ukfs, path, &st) == -1) {
		if (force && errno == ENOENT)
			return FSU_OK;
		fsu_warnc(errno, "cannot remove '%s'", path);
		return FSU_FAIL;
	}
	if (!S_ISDIR(st.st_mode)) {
		if (ukfs_remove(f->fsu_ukfs, path) == -1) {
			fsu_warnc(errno, "cannot remove '%s'", path);
			return FSU_FAIL;
		}
		return FSU_OK;
	}

	if (!recursive) {
		fsu_warnc(EISDIR, "cannot remove '%s'", path);
		return FSU_FAIL;
	}
	if (top && is_dot_or_dotdot(path)) {
		fsu_warnx("refusing to remove '.' or '..' directory: skipping "
		    "'%s'", path);
		return FSU_FAIL;
	}
	if (top && strspn(path, "/") == strlen(path)) {
		fsu_warnx("it is dangerous to operate recursively on '/'");
		return FSU_FAIL;
	}
	if (fsu_walk_dir(f, path, "cannot remove ", rm_child, &force) !=
	    FSU_OK)
		return FSU_FAIL;
	if (ukfs_rmdir(f->fsu_ukfs, path) == -1) {
		fsu_warnc(errno, "cannot remove '%s'", path);
		return FSU_FAIL;
	}
	return FSU_OK;
}

int
fsu_cmd_rm(struct fsu *f, int argc, char **argv)
{
	bool recursive = false, force = false;
	int ch, i, status = FSU_OK;

	while ((ch = getopt(argc, argv, "rRf")) != -1) {
		switch (ch) {
		case 'r':
		case 'R':
			recursive = true;
			break;
		case 'f':
			force = true;
			break;
		default:
			return fsu_usage_cmd("rm");
		}
	}
	if (optind == argc) {
		if (force)
			return FSU_OK;
		return fsu_usage_missing("rm", "operand");
	}
	if (f->fsu_checkonly)
		return FSU_OK;
	for (i = optind; i < argc && !fsu_interrupted; i++)
		if (rm_tree(f, argv[i], recursive, force, true) != FSU_OK)
			status = FSU_FAIL;
	return fsu_interrupted ? FSU_FAIL : status;
}

/* ------------------------------------------------------------------ */
/* mv, ln */

static bool
is_dir(struct fsu *f, const char *path)
{
	struct stat st;

	return ukfs_stat(f->fsu_ukfs, path, &st) == 0 && S_ISDIR(st.st_mode);
}

/*
 * Return true when path is the directory with status dirst or lies below
 * it, by walking from path up to the root through "..".  Components of
 * path that do not exist yet are skipped, so "d1/new/x" is below d1.
 */
static bool
below_itself(struct fsu *f, const struct stat *dirst, const char *path)
{
	struct stat st, prev;
	char *p, *up;
	bool found = false;
	int depth;

	p = fsu_xstrdup(path);
	memset(&prev, 0, sizeof(prev));
	/* A bound on the steps, in case the walk never reaches the root. */
	for (depth = 0; depth < 4096; depth++) {
		if (ukfs_stat(f->fsu_ukfs, p, &st) == 0) {
			if (st.st_ino == dirst->st_ino &&
			    st.st_dev == dirst->st_dev) {
				found = true;
				break;
			}
			if (depth > 0 && st.st_ino == prev.st_ino &&
			    st.st_dev == prev.st_dev)
				break;		/* the root: ".." is itself */
			prev = st;
			up = fsu_join(p, "..");
		} else if (strchr(p, '/') != NULL) {
			/* Not there yet: go on from its parent's name. */
			up = fsu_xstrdup(p);
			*strrchr(up, '/') = '\0';
			if (up[0] == '\0')
				strcpy(up, "/");
		} else {
			up = fsu_xstrdup(".");
		}
		free(p);
		p = up;
	}
	free(p);
	return found;
}

/* dst, or dst/basename(src) when dst is a directory. */
static char *
target_path(struct fsu *f, const char *src, const char *dst)
{

	return fsu_target(src, dst, is_dir(f, dst));
}

int
fsu_cmd_mv(struct fsu *f, int argc, char **argv)
{
	struct stat st, tst;
	const char *dst;
	char *target;
	int i, status = FSU_OK;

	if (fsu_no_options("mv", &argc, &argv) != FSU_OK)
		return FSU_USAGE;
	if (argc < 3) {
		fsu_warnx(argc < 2 ? "mv: missing file operand" :
		    "mv: missing destination file operand after '%s'",
		    argv[argc - 1]);
		return fsu_usage_cmd("mv");
	}
	if (f->fsu_checkonly)
		return FSU_OK;
	dst = argv[argc - 1];
	if (argc > 3 && !is_dir(f, dst)) {
		fsu_warnx("target '%s' is not a directory", dst);
		return FSU_FAIL;
	}
	for (i = 1; i < argc - 1; i++) {
		if (ukfs_lstat(f->fsu_ukfs, argv[i], &st) == -1) {
			fsu_warnc(errno, "cannot stat '%s'", argv[i]);
			status = FSU_FAIL;
			continue;
		}
		target = target_path(f, argv[i], dst);
		/* rename(2) does nothing then; mv(1) calls it an error. */
		if (ukfs_lstat(f->fsu_ukfs, target, &tst) == 0 &&
		    tst.st_ino == st.st_ino && tst.st_dev == st.st_dev) {
			fsu_warnx("'%s' and '%s' are the same file", argv[i],
			    target);
			status = FSU_FAIL;
		} else if (S_ISDIR(st.st_mode) &&
		    below_itself(f, &st, target)) {
			/* rename(2) fails with EINVAL, so name the reason. */
			fsu_warnx("cannot move '%s' to a subdirectory of "
			    "itself, '%s'", argv[i], target);
			status = FSU_FAIL;
		} else if (ukfs_rename(f->fsu_ukfs, argv[i], target) == -1) {
			fsu_warnc(errno, "cannot move '%s' to '%s'", argv[i],
			    target);
			status = FSU_FAIL;
		}
		free(target);
	}
	return status;
}

int
fsu_cmd_ln(struct fsu *f, int argc, char **argv)
{
	bool symbolic = false, force = false;
	struct stat st;
	char *link;
	int ch, rv;

	while ((ch = getopt(argc, argv, "sf")) != -1) {
		switch (ch) {
		case 's':
			symbolic = true;
			break;
		case 'f':
			force = true;
			break;
		default:
			return fsu_usage_cmd("ln");
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1 || argc > 2) {
		fsu_warnx(argc < 1 ? "ln: missing file operand" :
		    "ln: extra operand '%s'", argc > 2 ? argv[2] : "");
		return fsu_usage_cmd("ln");
	}
	if (f->fsu_checkonly)
		return FSU_OK;
	/* link(2) fails with EPERM here, so print the reason as ln(1) does. */
	if (!symbolic && ukfs_lstat(f->fsu_ukfs, argv[0], &st) == 0 &&
	    S_ISDIR(st.st_mode)) {
		fsu_warnx("%s: hard link not allowed for directory", argv[0]);
		return FSU_FAIL;
	}
	link = target_path(f, argv[0], argc == 2 ? argv[1] : ".");
	if (force && ukfs_lstat(f->fsu_ukfs, link, &st) == 0 &&
	    !S_ISDIR(st.st_mode))
		(void)ukfs_remove(f->fsu_ukfs, link);
	rv = symbolic ? ukfs_symlink(f->fsu_ukfs, argv[0], link) :
	    ukfs_link(f->fsu_ukfs, argv[0], link);
	if (rv == -1) {
		if (symbolic)
			fsu_warnc(errno, "failed to create symbolic link '%s'",
			    link);
		else
			fsu_warnc(errno, "failed to create hard link '%s' => "
			    "'%s'", link, argv[0]);
	}
	free(link);
	return rv == -1 ? FSU_FAIL : FSU_OK;
}

/* ------------------------------------------------------------------ */
/* chmod */

/* Bits of each "who" letter of a symbolic mode. */
#define WHO_U	(S_ISUID | S_IRWXU)
#define WHO_G	(S_ISGID | S_IRWXG)
#define WHO_O	(S_ISVTX | S_IRWXO)
#define WHO_A	(WHO_U | WHO_G | WHO_O)

static bool
mode_is_octal(const char *s)
{

	return *s != '\0' && strspn(s, "01234567") == strlen(s) &&
	    strlen(s) <= 5;
}

/* The permission bits "r", "w", ... or "u", "g", "o" stand for. */
static mode_t
mode_perm_bits(const char **sp, mode_t cur, bool isdir)
{
	const char *s = *sp;
	mode_t bits = 0, v;

	/* A copy of one class: u, g or o, repeated to all three. */
	if (*s == 'u' || *s == 'g' || *s == 'o') {
		v = *s == 'u' ? (cur >> 6) & 7 :
		    *s == 'g' ? (cur >> 3) & 7 : cur & 7;
		*sp = s + 1;
		return v << 6 | v << 3 | v;
	}
	for (; *s != '\0' && strchr("rwxXst", *s) != NULL; s++) {
		switch (*s) {
		case 'r':	bits |= S_IRUSR | S_IRGRP | S_IROTH; break;
		case 'w':	bits |= S_IWUSR | S_IWGRP | S_IWOTH; break;
		case 'x':	bits |= S_IXUSR | S_IXGRP | S_IXOTH; break;
		case 'X':
			if (isdir || (cur & (S_IXUSR | S_IXGRP | S_IXOTH)))
				bits |= S_IXUSR | S_IXGRP | S_IXOTH;
			break;
		case 's':	bits |= S_ISUID | S_ISGID; break;
		case 't':	bits |= S_ISVTX; break;
		}
	}
	*sp = s;
	return bits;
}

/*
 * Apply a mode of chmod(1): octal, or comma-separated clauses
 * [ugoa]*([-+=]([rwxXst]*|[ugo]))+.  Without a who letter the clause
 * acts on all classes except the bits of umask_bits.
 */
static bool
mode_apply_dir(const char *modestr, mode_t old, mode_t umask_bits,
    bool isdir, mode_t *newp)
{
	const char *s = modestr;
	mode_t cur = old & 07777, who, mask, bits;
	char op;

	if (mode_is_octal(s)) {
		unsigned long v = strtoul(s, NULL, 8);

		if (v > 07777)
			return false;
		*newp = (mode_t)v;
		return true;
	}
	for (;;) {
		who = 0;
		for (; *s != '\0' && strchr("ugoa", *s) != NULL; s++)
			who |= *s == 'u' ? WHO_U : *s == 'g' ? WHO_G :
			    *s == 'o' ? WHO_O : WHO_A;
		mask = who != 0 ? who : WHO_A & ~umask_bits;
		if (*s != '+' && *s != '-' && *s != '=')
			return false;
		while (*s == '+' || *s == '-' || *s == '=') {
			op = *s++;
			bits = mode_perm_bits(&s, cur, isdir) & mask;
			if (op == '+')
				cur |= bits;
			else if (op == '-')
				cur &= ~bits;
			else {
				/* Directories keep set-id bits unless named. */
				cur &= ~((who != 0 ? who : WHO_A) &
				    ~(isdir ? (mode_t)(S_ISUID | S_ISGID) : 0));
				cur |= bits;
			}
		}
		if (*s == '\0')
			break;
		if (*s++ != ',')
			return false;
	}
	*newp = cur;
	return true;
}

static bool
mode_apply(const char *modestr, mode_t old, mode_t umask_bits, mode_t *newp)
{

	return mode_apply_dir(modestr, old, umask_bits, false, newp);
}

static int chmod_tree(struct fsu *, const char *, const char *, bool, bool);

/* An entry inside a directory that chmod -R changes; arg is the mode. */
static int
chmod_child(struct fsu *f, const char *path, const char *name,
    const void *arg)
{

	return chmod_tree(f, path, arg, true, false);
}

static int
chmod_tree(struct fsu *f, const char *path, const char *modestr,
    bool recursive, bool top)
{
	struct stat st;
	mode_t mode;
	int status = FSU_OK;

	if ((top ? ukfs_stat(f->fsu_ukfs, path, &st) :
	    ukfs_lstat(f->fsu_ukfs, path, &st)) == -1) {
		fsu_warnc(errno, "cannot access '%s'", path);
		return FSU_FAIL;
	}
	if (S_ISLNK(st.st_mode))
		return FSU_OK;		/* links inside a tree: skipped */
	if (!mode_apply_dir(modestr, st.st_mode, f->fsu_umask,
	    S_ISDIR(st.st_mode), &mode)) {
		fsu_warnx("invalid mode: '%s'", modestr);
		return FSU_USAGE;
	}
	if (ukfs_chmod(f->fsu_ukfs, path, mode) == -1) {
		fsu_warnc(errno, "changing permissions of '%s'", path);
		status = FSU_FAIL;
	}
	if (!recursive || !S_ISDIR(st.st_mode))
		return status;

	if (fsu_walk_dir(f, path, "cannot read directory ", chmod_child,
	    modestr) != FSU_OK)
		status = FSU_FAIL;
	return status;
}

int
fsu_cmd_chmod(struct fsu *f, int argc, char **argv)
{
	bool recursive = false;
	const char *modestr;
	mode_t check;
	int i = 1, status = FSU_OK, rv;

	/* Not getopt: a mode like "-w" looks like an option. */
	if (i < argc && strcmp(argv[i], "-R") == 0) {
		recursive = true;
		i++;
	}
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	if (argc - i < 2) {
		fsu_warnx(argc - i < 1 ? "chmod: missing operand" :
		    "chmod: missing operand after '%s'", argv[argc - 1]);
		return fsu_usage_cmd("chmod");
	}
	modestr = argv[i++];
	if (!mode_apply_dir(modestr, 0, 0, false, &check)) {
		fsu_warnx("invalid mode: '%s'", modestr);
		return FSU_FAIL;
	}
	if (f->fsu_checkonly)
		return FSU_OK;
	for (; i < argc && !fsu_interrupted; i++) {
		rv = chmod_tree(f, argv[i], modestr, recursive, true);
		if (rv != FSU_OK)
			status = FSU_FAIL;
	}
	return status;
}

/* ------------------------------------------------------------------ */
/* chown */

/* A user name of the host, or a number. */
static bool
parse_user(const char *s, uid_t *uidp, gid_t *gidp)
{
	struct passwd *pw;
	char *end;
	unsigned long v;

	pw = getpwnam(s);
	if (pw != NULL) {
		*uidp = pw->pw_uid;
		if (gidp != NULL)
			*gidp = pw->pw_gid;
		return true;
	}
	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v >= (uid_t)-1 ||
	    !isdigit((unsigned char)*s))
		return false;
	*uidp = (uid_t)v;
	if (gidp != NULL) {
		pw = getpwuid(*uidp);
		*gidp = pw != NULL ? pw->pw_gid : (gid_t)-1;
	}
	return true;
}

static bool
parse_group(const char *s, gid_t *gidp)
{
	struct group *gr;
	char *end;
	unsigned long v;

	gr = getgrnam(s);
	if (gr != NULL) {
		*gidp = gr->gr_gid;
		return true;
	}
	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v >= (gid_t)-1 ||
	    !isdigit((unsigned char)*s))
		return false;
	*gidp = (gid_t)v;
	return true;
}

/*
 * OWNER, OWNER:GROUP, OWNER: (the owner's login group) or :GROUP; -1 for
 * what stays.
 */
static int
parse_owner(const char *spec, uid_t *uidp, gid_t *gidp)
{
	char *copy = fsu_xstrdup(spec), *user = copy, *group = NULL;
	gid_t logingid = (gid_t)-1;
	int status = FSU_OK;

	*uidp = (uid_t)-1;
	*gidp = (gid_t)-1;
	group = strchr(copy, ':');
	if (group != NULL)
		*group++ = '\0';

	if (spec[0] == '\0') {
		fsu_warnx("invalid spec: '%s'", spec);
		status = FSU_FAIL;
	} else if (user[0] != '\0' && !parse_user(user, uidp, &logingid)) {
		fsu_warnx("invalid user: '%s'", spec);
		status = FSU_FAIL;
	} else if (group != NULL && group[0] != '\0' &&
	    !parse_group(group, gidp)) {
		fsu_warnx("invalid group: '%s'", spec);
		status = FSU_FAIL;
	} else if (group != NULL && group[0] == '\0' && user[0] != '\0')
		*gidp = logingid;
	free(copy);
	return status;
}

/* Owner, group and flags that chown applies to each file. */
struct chown_to {
	uid_t	ct_uid;
	gid_t	ct_gid;
	bool	ct_recursive;	/* -R */
	bool	ct_nofollow;	/* -h */
};

static int chown_tree(struct fsu *, const char *, const struct chown_to *,
    bool);

/* An entry inside a directory that chown -R changes. */
static int
chown_child(struct fsu *f, const char *path, const char *name,
    const void *arg)
{

	return chown_tree(f, path, arg, false);
}

static int
chown_tree(struct fsu *f, const char *path, const struct chown_to *to,
    bool top)
{
	struct stat st;
	int status = FSU_OK, rv;

	if (ukfs_lstat(f->fsu_ukfs, path, &st) == -1) {
		fsu_warnc(errno, "cannot access '%s'", path);
		return FSU_FAIL;
	}
	/* Links in a tree and with -h change themselves. */
	if (to->ct_nofollow || (!top && S_ISLNK(st.st_mode)))
		rv = ukfs_lchown(f->fsu_ukfs, path, to->ct_uid, to->ct_gid);
	else
		rv = ukfs_chown(f->fsu_ukfs, path, to->ct_uid, to->ct_gid);
	if (rv == -1) {
		fsu_warnc(errno, "changing ownership of '%s'", path);
		status = FSU_FAIL;
	}
	if (!to->ct_recursive || !S_ISDIR(st.st_mode))
		return status;

	if (fsu_walk_dir(f, path, "cannot read directory ", chown_child, to) !=
	    FSU_OK)
		status = FSU_FAIL;
	return status;
}

int
fsu_cmd_chown(struct fsu *f, int argc, char **argv)
{
	struct chown_to to = { 0, 0, false, false };
	int ch, i, status = FSU_OK;

	while ((ch = getopt(argc, argv, "Rh")) != -1) {
		switch (ch) {
		case 'R':
			to.ct_recursive = true;
			break;
		case 'h':
			to.ct_nofollow = true;
			break;
		default:
			return fsu_usage_cmd("chown");
		}
	}
	if (argc - optind < 2)
		return fsu_usage_missing("chown", "operand");
	if (parse_owner(argv[optind], &to.ct_uid, &to.ct_gid) != FSU_OK)
		return FSU_FAIL;
	if (f->fsu_checkonly)
		return FSU_OK;
	for (i = optind + 1; i < argc && !fsu_interrupted; i++)
		if (chown_tree(f, argv[i], &to, true) != FSU_OK)
			status = FSU_FAIL;
	return status;
}

/* ------------------------------------------------------------------ */
/* touch */

/*
 * touch -d: "@SECONDS", "now", or "YYYY-MM-DD[( |T)HH:MM[:SS[.frac]]]"
 * in local time.
 */
static bool
parse_date(const char *s, struct timeval *tv)
{
	struct tm tm;
	const char *p;
	char *end;
	double frac = 0;
	long long secs;

	if (strcmp(s, "now") == 0)
		return gettimeofday(tv, NULL) == 0;
	if (s[0] == '@') {
		errno = 0;
		secs = strtoll(s + 1, &end, 10);
		if (end == s + 1 || *end != '\0' || errno != 0)
			return false;
		tv->tv_sec = (time_t)secs;
		tv->tv_usec = 0;
		return true;
	}
	memset(&tm, 0, sizeof(tm));
	p = strptime(s, "%Y-%m-%d", &tm);
	if (p == NULL)
		return false;
	if (*p == ' ' || *p == 'T') {
		p = strptime(p + 1, "%H:%M", &tm);
		if (p == NULL)
			return false;
		if (*p == ':') {
			p = strptime(p + 1, "%S", &tm);
			if (p == NULL)
				return false;
			if (*p == '.') {
				frac = strtod(p, &end);
				p = end;
			}
		}
	}
	if (*p != '\0')
		return false;
	tm.tm_isdst = -1;
	tv->tv_sec = mktime(&tm);
	tv->tv_usec = (suseconds_t)(frac * 1000000);
	return tv->tv_sec != (time_t)-1;
}

/* touch -t: [[CC]YY]MMDDhhmm[.ss] in local time. */
static bool
parse_stamp(const char *s, struct timeval *tv)
{
	struct tm tm, now_tm;
	const char *dot = strchr(s, '.');
	size_t len = dot != NULL ? (size_t)(dot - s) : strlen(s);
	int v[6], n, i;
	time_t now = time(NULL);

	if ((len != 8 && len != 10 && len != 12) ||
	    strspn(s, "0123456789") != len ||
	    (dot != NULL && (strlen(dot + 1) != 2 ||
	    strspn(dot + 1, "0123456789") != 2)))
		return false;
	n = (int)len / 2;
	for (i = 0; i < n; i++)
		v[i] = (s[2 * i] - '0') * 10 + (s[2 * i + 1] - '0');
	localtime_r(&now, &now_tm);
	memset(&tm, 0, sizeof(tm));
	if (n == 6)
		tm.tm_year = v[0] * 100 + v[1] - 1900;
	else if (n == 5)	/* POSIX: 69-99 is 19YY, 00-68 20YY */
		tm.tm_year = v[0] < 69 ? v[0] + 100 : v[0];
	else
		tm.tm_year = now_tm.tm_year;
	i = n - 4;
	tm.tm_mon = v[i] - 1;
	tm.tm_mday = v[i + 1];
	tm.tm_hour = v[i + 2];
	tm.tm_min = v[i + 3];
	tm.tm_sec = dot != NULL ? (dot[1] - '0') * 10 + (dot[2] - '0') : 0;
	if (tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
	    tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
		return false;
	tm.tm_isdst = -1;
	tv->tv_sec = mktime(&tm);
	tv->tv_usec = 0;
	return tv->tv_sec != (time_t)-1;
}

int
fsu_cmd_touch(struct fsu *f, int argc, char **argv)
{
	bool nocreate = false, atime = false, mtime = false, given = false;
	struct timeval when, tv[2];
	struct stat st;
	int ch, i, status = FSU_OK;

	while ((ch = getopt(argc, argv, "acmd:t:")) != -1) {
		switch (ch) {
		case 'a':
			atime = true;
			break;
		case 'c':
			nocreate = true;
			break;
		case 'm':
			mtime = true;
			break;
		case 'd':
			if (!parse_date(optarg, &when)) {
				fsu_warnx("invalid date format '%s'", optarg);
				return FSU_FAIL;
			}
			given = true;
			break;
		case 't':
			if (!parse_stamp(optarg, &when)) {
				fsu_warnx("invalid date format '%s'", optarg);
				return FSU_FAIL;
			}
			given = true;
			break;
		default:
			return fsu_usage_cmd("touch");
		}
	}
	if (optind == argc)
		return fsu_usage_missing("touch", "file operand");
	if (f->fsu_checkonly)
		return FSU_OK;
	if (!atime && !mtime)
		atime = mtime = true;
	if (!given)
		gettimeofday(&when, NULL);

	for (i = optind; i < argc; i++) {
		if (ukfs_stat(f->fsu_ukfs, argv[i], &st) == -1) {
			if (errno == ENOENT && nocreate)
				continue;
			if (errno != ENOENT) {
				fsu_warnc(errno, "cannot touch '%s'", argv[i]);
				status = FSU_FAIL;
				continue;
			}
			if (ukfs_create(f->fsu_ukfs, argv[i],
			    0666 & ~f->fsu_umask) == -1 ||
			    ukfs_stat(f->fsu_ukfs, argv[i], &st) == -1) {
				fsu_warnc(errno, "cannot touch '%s'", argv[i]);
				status = FSU_FAIL;
				continue;
			}
		}
		tv[0] = when;
		tv[1] = when;
		if (!atime) {
			tv[0].tv_sec = st.st_atim.tv_sec;
			tv[0].tv_usec = st.st_atim.tv_nsec / 1000;
		}
		if (!mtime) {
			tv[1].tv_sec = st.st_mtim.tv_sec;
			tv[1].tv_usec = st.st_mtim.tv_nsec / 1000;
		}
		if (ukfs_utimes(f->fsu_ukfs, argv[i], tv) == -1) {
			fsu_warnc(errno, "setting times of '%s'", argv[i]);
			status = FSU_FAIL;
		}
	}
	return status;
}
