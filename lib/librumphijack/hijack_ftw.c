/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * librumphijack: ftw and nftw for rump paths.
 *
 * glibc walks a tree through internal opendir, readdir and stat calls
 * that LD_PRELOAD cannot intercept, so a walk that starts under a rump
 * path is done here with the hijacked calls.  The callbacks, type flags
 * and FTW_PHYS, FTW_MOUNT, FTW_DEPTH, FTW_CHDIR and FTW_ACTIONRETVAL
 * behave as glibc documents them.  Each directory's names are read and
 * the directory closed before its entries are visited.  So at most one
 * directory is open at a time, and nopenfd is not needed.  Walks of host paths are
 * glibc's own.
 */

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hijack_core.h"

/* The walk_answer() result that ends the walk of one directory's entries. */
#define WALK_SKIP_SIBLINGS	(-2)

struct walk {
	int	w_flags;		/* nftw flags; 0 for ftw */
	__nftw_func_t w_nftw;		/* set for nftw */
	__ftw_func_t w_ftw;		/* set for ftw */
	dev_t	w_dev;			/* device of the start, for FTW_MOUNT */
	char	w_path[PATH_MAX];	/* the object being visited */
};

HIJACK_HOSTFN(ftw);
HIJACK_HOSTFN(nftw);

static int
walk_call(struct walk *w, const struct stat *st, int type, size_t base,
    int level)
{
	struct FTW f;

	if (w->w_nftw == NULL)
		return w->w_ftw(w->w_path, st, type);
	f.base = (int)base;
	f.level = level;
	return w->w_nftw(w->w_path, st, type, &f);
}

/*
 * Turn a callback's return value into what the walk does next: 0 to go
 * on, WALK_SKIP_SIBLINGS, or a value that ends the walk and is returned.
 */
static int
walk_answer(struct walk *w, int rv, bool *skipsubtree)
{

	if (!(w->w_flags & FTW_ACTIONRETVAL))
		return rv;
	switch (rv) {
	case FTW_SKIP_SUBTREE:
		if (skipsubtree != NULL)
			*skipsubtree = true;
		return 0;
	case FTW_SKIP_SIBLINGS:
		return WALK_SKIP_SIBLINGS;
	case FTW_STOP:
		return FTW_STOP;
	default:
		return 0;
	}
}

/* The names in directory path, without "." and "..". */
static char **
walk_names(const char *path, size_t *np)
{
	struct dirent *de;
	char **list = NULL, **nl;
	size_t n = 0, i;
	DIR *d;

	if ((d = opendir(path)) == NULL)
		return NULL;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if ((nl = realloc(list, (n + 1) * sizeof(*nl))) == NULL ||
		    (nl[n] = strdup(de->d_name)) == NULL) {
			list = nl != NULL ? nl : list;
			goto fail;
		}
		list = nl;
		n++;
	}
	closedir(d);
	*np = n;
	return list != NULL ? list : calloc(1, sizeof(*list));
 fail:
	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
	closedir(d);
	errno = ENOMEM;
	return NULL;
}

/* Change to the directory that contains w_path[0..len). */
static int
walk_chdir_parent(struct walk *w, size_t base)
{
	char saved;
	int rv;

	if (base <= 1)
		return chdir(base == 1 ? "/" : ".");
	saved = w->w_path[base - 1];
	w->w_path[base - 1] = '\0';
	rv = chdir(w->w_path);
	w->w_path[base - 1] = saved;
	return rv;
}

/* Visit w_path (len bytes, basename at base) and what is below it. */
static int
walk_node(struct walk *w, size_t len, size_t base, int level)
{
	bool skipsubtree = false, isdir;
	struct stat st;
	char **names;
	size_t n, i, nlen;
	int type, rv = 0, r;

	if (w->w_flags & FTW_PHYS) {
		if (lstat(w->w_path, &st) == -1)
			return walk_answer(w, walk_call(w, &st, FTW_NS, base,
			    level), NULL);
	} else if (stat(w->w_path, &st) == -1) {
		type = lstat(w->w_path, &st) == 0 && S_ISLNK(st.st_mode) ?
		    FTW_SLN : FTW_NS;
		return walk_answer(w, walk_call(w, &st, type, base, level),
		    NULL);
	}
	if ((w->w_flags & FTW_MOUNT) && st.st_dev != w->w_dev)
		return 0;
	isdir = S_ISDIR(st.st_mode);
	if (!isdir) {
		type = S_ISLNK(st.st_mode) ? FTW_SL : FTW_F;
		return walk_answer(w, walk_call(w, &st, type, base, level),
		    NULL);
	}

	if ((names = walk_names(w->w_path, &n)) == NULL)
		return walk_answer(w, walk_call(w, &st, FTW_DNR, base, level),
		    NULL);
	if (!(w->w_flags & FTW_DEPTH)) {
		r = walk_answer(w, walk_call(w, &st, FTW_D, base, level),
		    &skipsubtree);
		if (r != 0 || skipsubtree) {
			rv = r;
			goto out;
		}
	}
	if ((w->w_flags & FTW_CHDIR) && chdir(w->w_path) == -1) {
		rv = -1;
		goto out;
	}
	for (i = 0; i < n; i++) {
		nlen = strlen(names[i]);
		if (len + 1 + nlen >= sizeof(w->w_path)) {
			errno = ENAMETOOLONG;
			rv = -1;
			break;
		}
		w->w_path[len] = '/';
		memcpy(w->w_path + len + 1, names[i], nlen + 1);
		r = walk_node(w, len + 1 + nlen, len + 1, level + 1);
		w->w_path[len] = '\0';
		if (r == WALK_SKIP_SIBLINGS)
			break;
		if (r != 0) {
			rv = r;
			break;
		}
	}
	if ((w->w_flags & FTW_CHDIR) && rv == 0 &&
	    walk_chdir_parent(w, base) == -1)
		rv = -1;
	if (rv == 0 && (w->w_flags & FTW_DEPTH))
		rv = walk_answer(w, walk_call(w, &st, FTW_DP, base, level),
		    NULL);
 out:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rv;
}

static int
walk_start(struct walk *w, const char *dirpath)
{
	struct stat st;
	size_t len, base;
	int cwdfd = -1, rv, error;

	len = strlen(dirpath);
	if (len == 0) {
		errno = ENOENT;
		return -1;
	}
	if (len >= sizeof(w->w_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(w->w_path, dirpath, len + 1);
	/* A trailing slash is kept, as glibc does, but not in base. */
	for (base = len; base > 1 && w->w_path[base - 1] == '/'; base--)
		continue;
	while (base > 0 && w->w_path[base - 1] != '/')
		base--;

	if (((w->w_flags & FTW_PHYS) ? lstat(dirpath, &st) :
	    stat(dirpath, &st)) == 0)
		w->w_dev = st.st_dev;
	if (w->w_flags & FTW_CHDIR) {
		if ((cwdfd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) ==
		    -1)
			return -1;
		if (walk_chdir_parent(w, base) == -1) {
			error = errno;
			close(cwdfd);
			errno = error;
			return -1;
		}
	}
	rv = walk_node(w, len, base, 0);
	if (rv == WALK_SKIP_SIBLINGS)
		rv = 0;
	if (cwdfd != -1) {
		error = errno;
		(void)fchdir(cwdfd);
		close(cwdfd);
		errno = error;
	}
	return rv;
}

int
nftw(const char *dirpath, __nftw_func_t fn, int nopenfd, int flags)
{
	const char *rpath;
	struct walk *w;
	int rv;

	if (!hijack_rumppath(dirpath, &rpath))
		return HOST(nftw)(dirpath, fn, nopenfd, flags);
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return -1;
	w->w_flags = flags;
	w->w_nftw = fn;
	rv = walk_start(w, dirpath);
	free(w);
	return rv;
}

int
nftw64(const char *dirpath, __nftw64_func_t fn, int nopenfd, int flags)
{

	return nftw(dirpath, (__nftw_func_t)fn, nopenfd, flags);
}

int
ftw(const char *dirpath, __ftw_func_t fn, int nopenfd)
{
	const char *rpath;
	struct walk *w;
	int rv;

	if (!hijack_rumppath(dirpath, &rpath))
		return HOST(ftw)(dirpath, fn, nopenfd);
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return -1;
	w->w_ftw = fn;
	rv = walk_start(w, dirpath);
	free(w);
	return rv;
}

int
ftw64(const char *dirpath, __ftw64_func_t fn, int nopenfd)
{

	return ftw(dirpath, (__ftw_func_t)fn, nopenfd);
}
