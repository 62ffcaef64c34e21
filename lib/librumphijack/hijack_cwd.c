/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * librumphijack: the working directory, the file mode creation mask and
 * realpath.
 *
 * Both kernels keep a working directory of their own, and the hijack
 * records which of the two is current.  chdir to a rump path and fchdir
 * to a rump descriptor make it the rump kernel's, and relative paths then
 * go there.  chdir and fchdir on the host make it the host's again.  The
 * choice survives execve (hijack_execenv).
 *
 * getcwd in the rump kernel returns the kernel's path with the path=
 * prefix put back in front, so that the result names the same directory
 * when given back to the hijack.  Without a path= prefix (blanket
 * prefixes only) the kernel's path is returned as it is.
 *
 * The rump kernel applies its own umask to the files it creates, so
 * umask sets both kernels' masks, and setup copies the host's mask to the
 * rump kernel.
 *
 * glibc's realpath resolves through internal calls, so for rump paths it
 * is done here: component by component with the rump kernel's lstat and
 * readlink.  ".." at the kernel's root and absolute symbolic link targets
 * stay in the rump kernel, as its own lookups do.
 */

#undef _FORTIFY_SOURCE

#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump_syscalls.h>

#include "hijack_core.h"

/* Symbolic links followed in one resolution, as Linux's MAXSYMLINKS. */
#define CWD_MAXSYMLINKS	40

HIJACK_HOSTFN(chdir);
HIJACK_HOSTFN(fchdir);
HIJACK_HOSTFN(getcwd);
HIJACK_HOSTFN(get_current_dir_name);
HIJACK_HOSTFN(realpath);
HIJACK_HOSTFN(umask);

int
chdir(const char *path)
{
	const char *rpath;

	if (hijack_rumppath(path, &rpath)) {
		if (rump_sys_chdir(rpath) == -1)
			return -1;
		hijack_setpwdinrump(true);
		return 0;
	}
	if (HOST(chdir)(path) == -1)
		return -1;
	hijack_setpwdinrump(false);
	return 0;
}

int
fchdir(int fd)
{
	int rfd;

	if (hijack_fdkind(fd, &rfd) == HIJACK_RUMP) {
		if (rump_sys_fchdir(rfd) == -1)
			return -1;
		hijack_setpwdinrump(true);
		return 0;
	}
	if (HOST(fchdir)(fd) == -1)
		return -1;
	hijack_setpwdinrump(false);
	return 0;
}

mode_t
umask(mode_t mask)
{
	mode_t old;

	hijack_init();
	old = HOST(umask)(mask);
	(void)rump_sys_umask(mask);
	return old;
}

void
hijack_umask_sync(void)
{
	mode_t mask;

	mask = HOST(umask)(0);
	(void)HOST(umask)(mask);
	(void)rump_sys_umask(mask);
}

/*
 * Put the application's name for rump path rpath (absolute, in the
 * kernel's namespace) into out, which has room for PATH_MAX bytes.
 */
static int
cwd_outside(const char *rpath, bool addprefix, char *out)
{
	const char *prefix;
	size_t plen = 0, rlen = strlen(rpath);

	prefix = addprefix ? hijack_prefix(&plen) : NULL;
	if (prefix == NULL) {
		if (rlen >= PATH_MAX)
			goto toolong;
		memcpy(out, rpath, rlen + 1);
		return 0;
	}
	/* The kernel's root is the prefix itself. */
	if (strcmp(rpath, "/") == 0) {
		rpath = "";
		rlen = 0;
	}
	if (plen + rlen >= PATH_MAX)
		goto toolong;
	memcpy(out, prefix, plen);
	memcpy(out + plen, rpath, rlen + 1);
	return 0;
 toolong:
	errno = ENAMETOOLONG;
	return -1;
}

/*
 * Store the rump working directory, as the application names it, in
 * out[PATH_MAX].
 */
static int
cwd_rump(char *out)
{
	char rcwd[PATH_MAX];

	if (rump_sys_getcwd(rcwd, sizeof(rcwd)) == NULL)
		return -1;
	return cwd_outside(rcwd, true, out);
}

char *
getcwd(char *buf, size_t size)
{
	char path[PATH_MAX];
	size_t len;

	hijack_init();
	if (!hijack_pwdinrump())
		return HOST(getcwd)(buf, size);
	if (buf != NULL && size == 0) {
		errno = EINVAL;
		return NULL;
	}
	if (buf != NULL && hijack_badaddr(buf)) {
		errno = EFAULT;
		return NULL;
	}
	if (cwd_rump(path) == -1)
		return NULL;
	len = strlen(path) + 1;

	/* glibc allocates the buffer when given none: size bytes, or enough. */
	if (buf == NULL) {
		if (size == 0)
			size = len;
		if (len > size) {
			errno = ERANGE;
			return NULL;
		}
		if ((buf = malloc(size)) == NULL)
			return NULL;
	} else if (len > size) {
		errno = ERANGE;
		return NULL;
	}
	memcpy(buf, path, len);
	return buf;
}

char *
__getcwd_chk(char *buf, size_t size, size_t buflen)
{

	if (size > buflen)
		__chk_fail();
	return getcwd(buf, size);
}

char *
get_current_dir_name(void)
{

	hijack_init();
	if (!hijack_pwdinrump())
		return HOST(get_current_dir_name)();
	return getcwd(NULL, 0);
}

/* Remove the last component of the absolute path res, keeping "/". */
static void
cwd_dropcomponent(char *res)
{
	char *slash = strrchr(res, '/');

	if (slash == res)
		res[1] = '\0';
	else
		*slash = '\0';
}

/*
 * Resolve rpath in the rump kernel into res[PATH_MAX]: an absolute path
 * with no ".", ".." or symbolic links, naming an existing file.
 */
static int
cwd_resolve(const char *rpath, char *res)
{
	char rest[PATH_MAX], next[PATH_MAX], target[PATH_MAX];
	struct stat st;
	size_t rlen, clen;
	const char *comp, *end;
	int nlinks = 0;
	ssize_t n;

	if (strlen(rpath) >= sizeof(rest)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(rest, rpath);
	if (rest[0] == '/')
		strcpy(res, "/");
	else if (rump_sys_getcwd(res, PATH_MAX) == NULL)
		return -1;

	comp = rest;
	for (;;) {
		while (*comp == '/')
			comp++;
		if (*comp == '\0')
			return 0;
		end = strchrnul(comp, '/');
		clen = (size_t)(end - comp);
		if (clen == 1 && comp[0] == '.') {
			comp = end;
			continue;
		}
		if (clen == 2 && comp[0] == '.' && comp[1] == '.') {
			cwd_dropcomponent(res);
			comp = end;
			continue;
		}

		rlen = strlen(res);
		if (rlen + 1 + clen >= PATH_MAX) {
			errno = ENAMETOOLONG;
			return -1;
		}
		if (rlen > 1)
			res[rlen++] = '/';
		memcpy(res + rlen, comp, clen);
		res[rlen + clen] = '\0';
		if (rump_sys_lstat(res, &st) == -1)
			return -1;

		if (S_ISLNK(st.st_mode)) {
			if (++nlinks > CWD_MAXSYMLINKS) {
				errno = ELOOP;
				return -1;
			}
			n = rump_sys_readlink(res, target, sizeof(target) - 1);
			if (n == -1)
				return -1;
			target[n] = '\0';
			/*
			 * The rest is the target followed by what was left,
			 * which is empty or starts with a slash.
			 */
			if ((size_t)n + strlen(end) >= sizeof(next)) {
				errno = ENAMETOOLONG;
				return -1;
			}
			strcpy(next, target);
			strcat(next, end);
			strcpy(rest, next);
			comp = rest;
			if (target[0] == '/')
				strcpy(res, "/");
			else
				cwd_dropcomponent(res);
			continue;
		}
		if (!S_ISDIR(st.st_mode) && *end != '\0') {
			errno = ENOTDIR;
			return -1;
		}
		comp = end;
	}
}

char *
realpath(const char *path, char *resolved)
{
	char res[PATH_MAX], out[PATH_MAX];
	enum hijack_match match;
	const char *rpath;

	if (path == NULL) {
		errno = EINVAL;
		return NULL;
	}
	match = hijack_matchpath(path, &rpath);
	if (match == HIJACK_MATCH_NONE)
		return HOST(realpath)(path, resolved);
	if (path[0] == '\0') {
		errno = ENOENT;
		return NULL;
	}
	if (cwd_resolve(rpath, res) == -1 ||
	    cwd_outside(res, match != HIJACK_MATCH_BLANKET, out) == -1)
		return NULL;
	if (resolved == NULL)
		return strdup(out);
	strcpy(resolved, out);
	return resolved;
}

char *
__realpath_chk(const char *path, char *resolved, size_t resolvedlen)
{

	if (resolvedlen < PATH_MAX)
		__chk_fail();
	return realpath(path, resolved);
}

char *
canonicalize_file_name(const char *path)
{

	return realpath(path, NULL);
}
