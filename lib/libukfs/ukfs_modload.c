/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libukfs component loading and the list of file system types.
 *
 * A component (librumpfs_NAME.so) registers its file system type through
 * the link set that rump_init() collects from every object loaded in the
 * process.  A component loaded after the kernel has booted is never
 * initialised, so ukfs_modload() works only before ukfs_init().  Later
 * it fails with EBUSY unless the object was loaded already.
 */

#include <sys/types.h>

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rump/rump.h>
#include <rump/ukfs.h>

#include "ukfs_private.h"

#define UKFS_MODULE_PREFIX	"librumpfs_"
#define UKFS_MODULE_SUFFIX	".so"

/*
 * True when the dlopen error message msg is about fname itself rather
 * than about an object fname needs: the message starts with fname, or
 * with the path dlopen made of it.
 */
static bool
ukfs_dlerror_is_self(const char *msg, const char *fname)
{
	const char *base, *colon;
	size_t len;

	colon = strstr(msg, ": ");
	if (colon == NULL)
		return true;
	len = (size_t)(colon - msg);
	if (len == strlen(fname) && strncmp(msg, fname, len) == 0)
		return true;
	base = strrchr(fname, '/');
	base = base != NULL ? base + 1 : fname;
	return len >= strlen(base) &&
	    strncmp(colon - strlen(base), base, strlen(base)) == 0 &&
	    (len == strlen(base) || colon[-(long)strlen(base) - 1] == '/');
}

/*
 * Load the component fname.  Returns 1 when it is loaded, and 0 when an
 * object it needs is missing (load that first and try again).  Anything
 * else is -1 with errno: ENOENT for a missing file, ENOEXEC for one that
 * is not a loadable object, EBUSY once the kernel runs.
 */
int
ukfs_modload(const char *fname)
{
	const char *msg;
	void *handle;

	if (fname == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (ukfs_kernel_up()) {
		handle = dlopen(fname, RTLD_NOW | RTLD_NOLOAD);
		if (handle != NULL)
			return 1;	/* keep the reference: never unloaded */
		errno = EBUSY;
		return -1;
	}

	handle = dlopen(fname, RTLD_NOW | RTLD_GLOBAL);
	if (handle != NULL)
		return 1;
	msg = dlerror();
	if (msg == NULL)
		msg = "";
	if (!ukfs_dlerror_is_self(msg, fname) ||
	    strstr(msg, "undefined symbol") != NULL)
		return 0;
	errno = strstr(msg, "No such file") != NULL ? ENOENT : ENOEXEC;
	return -1;
}

/* True for librumpfs_*.so names. */
static bool
ukfs_is_module_name(const char *name)
{
	size_t len = strlen(name), plen = strlen(UKFS_MODULE_PREFIX),
	    slen = strlen(UKFS_MODULE_SUFFIX);

	return len > plen + slen &&
	    strncmp(name, UKFS_MODULE_PREFIX, plen) == 0 &&
	    strcmp(name + len - slen, UKFS_MODULE_SUFFIX) == 0;
}

static int
ukfs_strcmp_p(const void *a, const void *b)
{

	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Read the paths of dirname's librumpfs_*.so files, sorted, into
 * *pathsp.  Returns their number or -1 with errno.
 */
static int
ukfs_list_modules(const char *dirname, char ***pathsp)
{
	char **paths = NULL, **np;
	struct dirent *de;
	int n = 0, cap = 0;
	DIR *dir;

	dir = opendir(dirname);
	if (dir == NULL)
		return -1;
	while ((de = readdir(dir)) != NULL) {
		if (!ukfs_is_module_name(de->d_name))
			continue;
		if (n == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			np = realloc(paths, (size_t)cap * sizeof(*paths));
			if (np == NULL)
				goto nomem;
			paths = np;
		}
		if (asprintf(&paths[n], "%s/%s", dirname, de->d_name) == -1)
			goto nomem;
		n++;
	}
	closedir(dir);
	if (n > 0)
		qsort(paths, (size_t)n, sizeof(*paths), ukfs_strcmp_p);
	*pathsp = paths;
	return n;

 nomem:
	closedir(dir);
	while (n > 0)
		free(paths[--n]);
	free(paths);
	errno = ENOMEM;
	return -1;
}

/*
 * Load every librumpfs_*.so of dirname, again and again while a round
 * loads something, so that a component whose dependency comes later in
 * the directory loads in a later round.  Returns the number loaded.
 */
int
ukfs_modload_dir(const char *dirname)
{
	char **paths;
	int n, i, rv, loaded = 0;
	bool progress;

	if (dirname == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (ukfs_kernel_up()) {
		errno = EBUSY;
		return -1;
	}
	n = ukfs_list_modules(dirname, &paths);
	if (n == -1)
		return -1;

	do {
		progress = false;
		for (i = 0; i < n; i++) {
			if (paths[i] == NULL)
				continue;
			rv = ukfs_modload(paths[i]);
			if (rv == 0)
				continue;	/* a dependency: next round */
			if (rv == 1) {
				loaded++;
				progress = true;
			}
			free(paths[i]);
			paths[i] = NULL;
		}
	} while (progress);

	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	return loaded;
}

/*
 * The sysctl vfs.generic.fstypes, cut to whole names that fit in buflen
 * bytes with the NUL.  Returns the length of the string.
 */
ssize_t
ukfs_vfstypes(char *buf, size_t buflen)
{
	char *all, *end;
	size_t len = 0;

	if (buf == NULL || buflen == 0) {
		errno = EINVAL;
		return -1;
	}
	if (!ukfs_kernel_up()) {
		errno = ENXIO;
		return -1;
	}
	if (rump_sysctlbyname("vfs.generic.fstypes", NULL, &len, NULL, 0) ==
	    -1)
		return -1;
	all = malloc(len + 1);
	if (all == NULL)
		return -1;
	if (rump_sysctlbyname("vfs.generic.fstypes", all, &len, NULL, 0) ==
	    -1) {
		free(all);
		return -1;
	}
	all[len] = '\0';

	/* Cut after the last whole name that fits. */
	len = strlen(all);
	if (len >= buflen) {
		/* all[buflen - 1] is the first byte that does not fit. */
		if (all[buflen - 1] == ' ')
			len = buflen - 1;
		else {
			all[buflen - 1] = '\0';
			end = strrchr(all, ' ');
			len = end != NULL ? (size_t)(end - all) : 0;
		}
	}
	memcpy(buf, all, len);
	buf[len] = '\0';
	free(all);
	return (ssize_t)len;
}
