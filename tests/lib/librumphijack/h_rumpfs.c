/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * h_rumpfs: the rump kernel's own view of its files, through
 * librumpclient and without the hijack, for the librumphijack tests to
 * check what hijacked programs did.  Paths are the kernel's (no /rump).
 *
 *	h_rumpfs ls DIR		the names in DIR, sorted, one a line
 *	h_rumpfs tree DIR	every file under DIR, sorted, one a line:
 *				"d PATH", "f PATH SIZE" or "l PATH TARGET"
 *	h_rumpfs cat FILE	FILE's contents to standard output
 *	h_rumpfs put FILE TEXT	FILE made or truncated, holding TEXT
 *	h_rumpfs mkdir DIR	a new directory
 *	h_rumpfs mode PATH	the permission bits, in octal
 *
 * Exits 1 with a message naming the failed call.
 */

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rumpclient.h>
#include <rump/rump_syscalls.h>

struct dent64 {
	uint64_t	d_ino;
	int64_t		d_off;
	unsigned short	d_reclen;
	unsigned char	d_type;
	char		d_name[];
};

static void __attribute__((__noreturn__))
fail(const char *what, const char *arg)
{

	fprintf(stderr, "h_rumpfs: %s %s: %s\n", what, arg, strerror(errno));
	exit(1);
}

static int
cmpstr(const void *a, const void *b)
{

	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in dir without "." and "..", sorted; *np gets the count. */
static char **
names(const char *dir, size_t *np)
{
	char buf[8192], **list = NULL;
	size_t n = 0;
	ssize_t len, off;
	int fd;

	if ((fd = rump_sys_open(dir, O_RDONLY | O_DIRECTORY)) == -1)
		fail("open", dir);
	while ((len = rump_sys_getdents64(fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < len; ) {
			struct dent64 *d = (struct dent64 *)(buf + off);

			off += d->d_reclen;
			if (strcmp(d->d_name, ".") == 0 ||
			    strcmp(d->d_name, "..") == 0)
				continue;
			list = realloc(list, (n + 1) * sizeof(*list));
			if (list == NULL ||
			    (list[n++] = strdup(d->d_name)) == NULL)
				fail("malloc", dir);
		}
	}
	if (len == -1)
		fail("getdents64", dir);
	rump_sys_close(fd);
	if (n > 0)
		qsort(list, n, sizeof(*list), cmpstr);
	*np = n;
	return list;
}

static void
tree(const char *path)
{
	char target[4096], sub[4096];
	struct stat st;
	char **list;
	size_t n, i;
	ssize_t len;

	if (rump_sys_lstat(path, &st) == -1)
		fail("lstat", path);
	if (S_ISLNK(st.st_mode)) {
		if ((len = rump_sys_readlink(path, target,
		    sizeof(target) - 1)) == -1)
			fail("readlink", path);
		target[len] = '\0';
		printf("l %s %s\n", path, target);
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		printf("f %s %lld\n", path, (long long)st.st_size);
		return;
	}
	printf("d %s\n", path);
	list = names(path, &n);
	for (i = 0; i < n; i++) {
		snprintf(sub, sizeof(sub), "%s/%s",
		    strcmp(path, "/") == 0 ? "" : path, list[i]);
		tree(sub);
		free(list[i]);
	}
	free(list);
}

int
main(int argc, char *argv[])
{
	char buf[65536], **list;
	struct stat st;
	ssize_t len;
	size_t n, i;
	int fd;

	if (argc < 3) {
		fprintf(stderr, "usage: h_rumpfs ls|tree|cat|put|mkdir|mode "
		    "PATH [TEXT]\n");
		return 2;
	}
	if (rumpclient_init() == -1)
		fail("rumpclient_init", getenv("RUMP_SERVER") ?: "(unset)");

	if (strcmp(argv[1], "ls") == 0) {
		list = names(argv[2], &n);
		for (i = 0; i < n; i++)
			printf("%s\n", list[i]);
	} else if (strcmp(argv[1], "tree") == 0) {
		tree(argv[2]);
	} else if (strcmp(argv[1], "cat") == 0) {
		if ((fd = rump_sys_open(argv[2], O_RDONLY)) == -1)
			fail("open", argv[2]);
		while ((len = rump_sys_read(fd, buf, sizeof(buf))) > 0)
			fwrite(buf, 1, (size_t)len, stdout);
		if (len == -1)
			fail("read", argv[2]);
	} else if (strcmp(argv[1], "put") == 0 && argc == 4) {
		fd = rump_sys_open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd == -1)
			fail("open", argv[2]);
		len = (ssize_t)strlen(argv[3]);
		if (rump_sys_write(fd, argv[3], (size_t)len) != len)
			fail("write", argv[2]);
	} else if (strcmp(argv[1], "mkdir") == 0) {
		if (rump_sys_mkdir(argv[2], 0755) == -1)
			fail("mkdir", argv[2]);
	} else if (strcmp(argv[1], "mode") == 0) {
		if (rump_sys_lstat(argv[2], &st) == -1)
			fail("lstat", argv[2]);
		printf("%o\n", (unsigned)(st.st_mode & 07777));
	} else {
		fprintf(stderr, "h_rumpfs: unknown command %s "
		    "(expected ls, tree, cat, put, mkdir or mode)\n", argv[1]);
		return 2;
	}
	return 0;
}
