/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ext2fs name space: directories (linear and hashed), lookup, readdir,
 * and the operations that change names (create, mknod, mkdir, rmdir,
 * link, unlink, symlink, rename), on images made by mke2fs and judged by
 * e2fsprogs.
 *
 * Each case makes its image in its work directory, registers it as the
 * etfs block device KEY, mounts it at MNT, does its work through the
 * rump_sys_* calls and unmounts.  On an intact image it then requires
 * that `e2fsck -fn` finds the image clean and that debugfs reads the same
 * names, inode numbers, link counts, types and device numbers as the
 * kernel did.  On a damaged image the calls must fail with an errno.  Hashed
 * directories are made by `mke2fs -d` (which writes them linear) and
 * then indexed by `e2fsck -fyD`.
 */

#include <sys/types.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include "h_fsimage.h"

#define SRC		"src"
#define IMG		"img"
#define KEY		"/dev/img"
#define MNT		"/mnt"

/* Linux's renameat2 flag, which <stdio.h> may not declare. */
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE	(1 << 1)
#endif

/* ------------------------------------------------------------------ */
/* Images and debugfs. */

/* Make IMG of size (an mke2fs size such as "16M") from SRC when tree. */
static void
make_image(const char *opts, const char *size, bool tree)
{

	unlink(IMG);
	IMG_RUN_OK("mke2fs -q -F -o Linux %s %s%s %s %s", opts,
	    tree ? "-d " : "", tree ? SRC : "", IMG, size);
}

/* Index the directories of IMG: e2fsck -fyD exits 0 or 1 (fixed). */
static void
index_image(void)
{
	char out[4096];
	int st;

	st = img_run(out, sizeof(out), "e2fsck -fyD %s", IMG);
	ATF_REQUIRE_MSG(st == 0 || st == 1, "e2fsck -fyD exited %d: %s", st,
	    out);
}

/*
 * Mount IMG at MNT.  The kernel boots once per test case; a case that
 * mounts several images registers each anew under KEY.
 */
static void
mount_image(const char *type, unsigned long flags)
{
	static bool booted;

	if (!booted) {
		img_boot();
		booted = true;
	} else {
		(void)rump_pub_etfs_remove(KEY);
	}
	img_register(KEY, IMG);
	img_mount(KEY, MNT, type, flags);
}

/* Unmount and require a clean e2fsck. */
static void
unmount_check(void)
{

	img_umount(MNT);
	ATF_REQUIRE(img_fsck_clean(IMG));
}

/* The output of `debugfs -R CMD IMG` (malloc'ed), NULL on failure. */
static char *
debugfs_out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *
debugfs_out(const char *fmt, ...)
{
	char cmd[1200], req[1024];
	size_t len = 0, cap = 1 << 16, n;
	va_list ap;
	char *buf;
	FILE *fp;

	va_start(ap, fmt);
	vsnprintf(req, sizeof(req), fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof(cmd), "debugfs -R '%s' %s 2>/dev/null", req,
	    IMG);
	fp = popen(cmd, "r");
	ATF_REQUIRE(fp != NULL);
	buf = malloc(cap + 1);
	ATF_REQUIRE(buf != NULL);
	while ((n = fread(buf + len, 1, cap - len, fp)) > 0) {
		len += n;
		if (len == cap) {
			cap *= 2;
			buf = realloc(buf, cap + 1);
			ATF_REQUIRE(buf != NULL);
		}
	}
	buf[len] = '\0';
	if (pclose(fp) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* The number after "field" in `debugfs -R "stat PATH"`, or -1. */
static long long
debugfs_stat_num(const char *path, const char *field)
{
	char *out, *p;
	long long v = -1;

	out = debugfs_out("stat \"%s\"", path);
	if (out == NULL)
		return -1;
	p = strstr(out, field);
	if (p != NULL)
		v = strtoll(p + strlen(field), NULL, 0);
	free(out);
	return v;
}

/* True when `debugfs -R "stat PATH"` contains text. */
static bool
debugfs_stat_has(const char *path, const char *text)
{
	char *out;
	bool has;

	out = debugfs_out("stat \"%s\"", path);
	if (out == NULL)
		return false;
	has = strstr(out, text) != NULL;
	free(out);
	return has;
}

/* True when /big in the image has the index flag (EXT2_INDEX_FL). */
static bool
big_indexed(void)
{

	return (debugfs_stat_num("/big", "Flags: ") & 0x1000) != 0;
}

/* One directory entry: name and inode number. */
struct ent {
	char		*name;
	uint64_t	 ino;
	unsigned char	 type;
};

struct entlist {
	struct ent	*e;
	size_t		 n, cap;
};

static void
entlist_add(struct entlist *l, const char *name, size_t len, uint64_t ino,
    unsigned char type)
{

	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 256;
		l->e = realloc(l->e, l->cap * sizeof(*l->e));
		ATF_REQUIRE(l->e != NULL);
	}
	l->e[l->n].name = strndup(name, len);
	ATF_REQUIRE(l->e[l->n].name != NULL);
	l->e[l->n].ino = ino;
	l->e[l->n].type = type;
	l->n++;
}

static int
ent_cmp(const void *a, const void *b)
{

	return strcmp(((const struct ent *)a)->name,
	    ((const struct ent *)b)->name);
}

static void
entlist_sort(struct entlist *l)
{

	qsort(l->e, l->n, sizeof(*l->e), ent_cmp);
}

static void
entlist_free(struct entlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->e[i].name);
	free(l->e);
	memset(l, 0, sizeof(*l));
}

static struct ent *
entlist_find(struct entlist *l, const char *name)
{
	struct ent key = { .name = (char *)name };

	return bsearch(&key, l->e, l->n, sizeof(*l->e), ent_cmp);
}

/* The entries of dir in the image, per `debugfs -R "ls -p DIR"`. */
static void
debugfs_ls(const char *dir, struct entlist *l)
{
	char *out, *line, *next, *f[8];
	int nf;

	out = debugfs_out("ls -p \"%s\"", dir);
	ATF_REQUIRE_MSG(out != NULL, "debugfs ls -p %s failed", dir);
	/* Lines are "/ino/mode/uid/gid/name/size/". */
	for (line = out; *line != '\0'; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		else
			next = line + strlen(line);
		if (line[0] != '/')
			continue;
		for (nf = 0; nf < 8 && line != NULL; nf++)
			f[nf] = strsep(&line, "/");
		/* An unused entry at the start of a block shows as inode 0. */
		if (nf < 7 || strtoull(f[1], NULL, 10) == 0)
			continue;
		entlist_add(l, f[5], strlen(f[5]), strtoull(f[1], NULL, 10),
		    0);
	}
	free(out);
	entlist_sort(l);
}

/*
 * The entries of a kernel directory by getdents64 with a buffer of
 * bufsize bytes, "." and ".." included.
 */
static void
rump_ls(const char *dir, size_t bufsize, struct entlist *l)
{
	struct dirent64 *d;
	ssize_t n, off;
	char *buf;
	int fd;

	buf = malloc(bufsize);
	ATF_REQUIRE(buf != NULL);
	fd = rump_sys_open(dir, O_RDONLY | O_DIRECTORY);
	ATF_REQUIRE_MSG(fd >= 0, "open %s: %s", dir, strerror(errno));
	while ((n = rump_sys_getdents64(fd, buf, bufsize)) > 0) {
		for (off = 0; off < n; off += d->d_reclen) {
			d = (struct dirent64 *)(buf + off);
			ATF_REQUIRE(d->d_reclen > 0);
			entlist_add(l, d->d_name, strlen(d->d_name), d->d_ino,
			    d->d_type);
		}
	}
	ATF_REQUIRE_MSG(n == 0, "getdents64 %s: %s", dir, strerror(errno));
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);
	entlist_sort(l);
}

/*
 * Require that the kernel's listing of rdir and debugfs's listing of
 * idir in the image agree on every name and inode number, and that each
 * name is there once.
 */
static void
compare_listing(const char *rdir, const char *idir)
{
	struct entlist r = { 0 }, d = { 0 };
	size_t i;

	rump_ls(rdir, 8192, &r);
	/* debugfs reads the image file: write everything there first. */
	rump_sys_sync();
	debugfs_ls(idir, &d);
	for (i = 1; i < r.n; i++)
		ATF_CHECK_MSG(strcmp(r.e[i - 1].name, r.e[i].name) != 0,
		    "%s: \"%s\" listed twice", rdir, r.e[i].name);
	ATF_CHECK_EQ_MSG(r.n, d.n, "%s: %zu entries, debugfs %zu", rdir, r.n,
	    d.n);
	for (i = 0; i < r.n && i < d.n; i++) {
		ATF_CHECK_STREQ_MSG(r.e[i].name, d.e[i].name,
		    "%s: entry %zu", rdir, i);
		if (strcmp(r.e[i].name, d.e[i].name) != 0)
			break;
		ATF_CHECK_EQ_MSG(r.e[i].ino, d.e[i].ino,
		    "%s/%s: inode %llu, debugfs %llu", rdir, r.e[i].name,
		    (unsigned long long)r.e[i].ino,
		    (unsigned long long)d.e[i].ino);
	}
	entlist_free(&r);
	entlist_free(&d);
}

static struct stat
lstat_ok(const char *path)
{
	struct stat st;

	ATF_REQUIRE_MSG(rump_sys_lstat(path, &st) == 0, "lstat %s: %s", path,
	    strerror(errno));
	return st;
}

static void
create_ok(const char *path)
{
	int fd;

	fd = rump_sys_open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	ATF_REQUIRE_MSG(fd >= 0, "create %s: %s", path, strerror(errno));
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);
}

#define REQUIRE_ERRNO(call, err) do {					\
	errno = 0;							\
	ATF_REQUIRE_MSG((call) == -1 && errno == (err),			\
	    "%s: expected %s, got %s", #call, strerror(err),		\
	    strerror(errno));						\
} while (0)

#define REQUIRE_OK(call)						\
	ATF_REQUIRE_MSG((call) == 0, "%s: %s", #call, strerror(errno))

/* ------------------------------------------------------------------ */
/* Big directories. */

/*
 * Name i of a big directory: mostly short, every 7th long, every 13th
 * with bytes above 0x7f (which the signed and unsigned hashes treat
 * differently).
 */
static void
bigname(char *buf, size_t size, int i)
{

	if (i % 13 == 0)
		snprintf(buf, size, "\xc3\xa9t\xc3\xa9-%d-\xff", i);
	else if (i % 7 == 0)
		snprintf(buf, size, "a-rather-long-file-name-to-fill-blocks-"
		    "faster-%08d.txt", i);
	else
		snprintf(buf, size, "f%05d", i);
}

static void
make_bigdir_tree(int n)
{
	char path[512], name[256];
	int i, fd;

	IMG_RUN_OK("rm -rf %s && mkdir -p %s/big", SRC, SRC);
	for (i = 0; i < n; i++) {
		bigname(name, sizeof(name), i);
		snprintf(path, sizeof(path), "%s/big/%s", SRC, name);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
		ATF_REQUIRE_MSG(fd >= 0, "create %s: %s", path,
		    strerror(errno));
		close(fd);
	}
}

/*
 * Check the kernel's view of MNT/big against the n names: readdir
 * returns each once (with small and large buffers), lookup finds each
 * with the same inode number, and names that do not exist are ENOENT.
 */
static void
check_bigdir(int n)
{
	struct entlist small = { 0 }, large = { 0 };
	char path[512], name[256];
	struct ent *e;
	struct stat st;
	size_t i;

	rump_ls(MNT "/big", 500, &small);
	rump_ls(MNT "/big", 65536, &large);
	ATF_REQUIRE_EQ_MSG(small.n, (size_t)n + 2, "readdir: %zu entries, "
	    "expected %d", small.n, n + 2);
	ATF_REQUIRE_EQ(large.n, small.n);
	for (i = 1; i < small.n; i++)
		ATF_REQUIRE_MSG(strcmp(small.e[i - 1].name,
		    small.e[i].name) != 0, "\"%s\" listed twice",
		    small.e[i].name);
	for (i = 0; i < small.n; i++) {
		ATF_REQUIRE_STREQ(small.e[i].name, large.e[i].name);
		ATF_REQUIRE_EQ(small.e[i].ino, large.e[i].ino);
	}

	for (i = 0; i < (size_t)n; i++) {
		bigname(name, sizeof(name), (int)i);
		e = entlist_find(&small, name);
		ATF_REQUIRE_MSG(e != NULL, "\"%s\" not listed", name);
		snprintf(path, sizeof(path), MNT "/big/%s", name);
		ATF_REQUIRE_MSG(rump_sys_lstat(path, &st) == 0,
		    "lookup \"%s\": %s", name, strerror(errno));
		ATF_REQUIRE_EQ_MSG((uint64_t)st.st_ino, e->ino,
		    "\"%s\": lookup gives inode %llu, readdir %llu", name,
		    (unsigned long long)st.st_ino,
		    (unsigned long long)e->ino);
		ATF_REQUIRE(e->type == DT_REG);
	}
	for (i = 0; i < 50; i++) {
		snprintf(path, sizeof(path), MNT "/big/f%05zu-missing", i);
		REQUIRE_ERRNO(rump_sys_lstat(path, &st), ENOENT);
	}
	entlist_free(&small);
	entlist_free(&large);
}

/* Make, index when asked, mount and check a big directory. */
static void
bigdir_case(const char *mkfs, const char *type, int n, const char *hashalg,
    bool unsig, bool wantindex)
{

	make_bigdir_tree(n);
	make_image(mkfs, "64M", true);
	if (hashalg != NULL)
		IMG_RUN_OK("tune2fs -E hash_alg=%s %s", hashalg, IMG);
	if (unsig)
		IMG_RUN_OK("debugfs -w -R \"ssv flags 2\" %s", IMG);
	index_image();
	ATF_REQUIRE_MSG(big_indexed() ==
	    wantindex, "big directory %s", wantindex ? "not indexed" :
	    "indexed");
	if (hashalg != NULL) {
		static const char *const versions[] = { "legacy", "half_md4",
		    "tea" };
		char want[32], *out;
		size_t v;

		for (v = 0; strcmp(versions[v], hashalg) != 0; v++)
			ATF_REQUIRE(v + 1 < 3);
		snprintf(want, sizeof(want), "Hash Version: %zu", v);
		out = debugfs_out("htree_dump /big");
		ATF_REQUIRE(out != NULL);
		ATF_REQUIRE_MSG(strstr(out, want) != NULL, "index of /big "
		    "without \"%s\"", want);
		free(out);
	}

	mount_image(type, 0);
	check_bigdir(n);
	compare_listing(MNT "/big", "/big");
	unmount_check();
}

ATF_TC(readdir_hashed_10k);
ATF_TC_HEAD(readdir_hashed_10k, tc)
{
	atf_tc_set_md_var(tc, "descr", "A hashed 10,000-entry directory: "
	    "readdir and lookup find every name once");
	atf_tc_set_md_var(tc, "timeout", "300");
}
ATF_TC_BODY(readdir_hashed_10k, tc)
{

	bigdir_case("-t ext2 -b 4096", "ext2", 10000, NULL, false, true);
}

ATF_TC(readdir_hashed_1k_blocks);
ATF_TC_HEAD(readdir_hashed_1k_blocks, tc)
{
	atf_tc_set_md_var(tc, "descr", "A hashed 10,000-entry directory "
	    "with 1 KiB blocks (two index levels)");
	atf_tc_set_md_var(tc, "timeout", "300");
}
ATF_TC_BODY(readdir_hashed_1k_blocks, tc)
{
	char *out;

	bigdir_case("-t ext2 -b 1024", "ext2", 10000, NULL, false, true);
	out = debugfs_out("htree_dump /big");
	ATF_REQUIRE(out != NULL);
	ATF_CHECK_MSG(strstr(out, "Indirect levels: 1") != NULL,
	    "expected an index with one interior level");
	free(out);
}

ATF_TC(readdir_linear_10k);
ATF_TC_HEAD(readdir_linear_10k, tc)
{
	atf_tc_set_md_var(tc, "descr", "A 10,000-entry directory without "
	    "dir_index");
	atf_tc_set_md_var(tc, "timeout", "300");
}
ATF_TC_BODY(readdir_linear_10k, tc)
{

	bigdir_case("-t ext2 -O ^dir_index", "ext2", 10000, NULL, false,
	    false);
}

ATF_TC(hash_versions);
ATF_TC_HEAD(hash_versions, tc)
{
	atf_tc_set_md_var(tc, "descr", "Hashed directories with the legacy, "
	    "half_md4 and tea hashes, signed and unsigned");
	atf_tc_set_md_var(tc, "timeout", "600");
}
ATF_TC_BODY(hash_versions, tc)
{
	static const char *const algs[] = { "legacy", "half_md4", "tea" };
	size_t i;
	int unsig;

	for (i = 0; i < (sizeof(algs) / sizeof(algs[0])); i++) {
		for (unsig = 0; unsig <= 1; unsig++) {
			snprintf(img_prefix, sizeof(img_prefix), "%s%s: ",
			    algs[i], unsig ? " unsigned" : "");
			bigdir_case("-t ext2 -b 1024", "ext2", 1500, algs[i],
			    unsig, true);
		}
	}
}

ATF_TC(readdir_ext4_csum);
ATF_TC_HEAD(readdir_ext4_csum, tc)
{
	atf_tc_set_md_var(tc, "descr", "A hashed directory with "
	    "metadata_csum on ext4, read-only");
	atf_tc_set_md_var(tc, "timeout", "300");
}
ATF_TC_BODY(readdir_ext4_csum, tc)
{

	bigdir_case("-t ext4 -O metadata_csum", "ext4", 3000, NULL, false,
	    true);
}

ATF_TC(readdir_rev0_dtype);
ATF_TC_HEAD(readdir_rev0_dtype, tc)
{
	atf_tc_set_md_var(tc, "descr", "Revision 0 (no filetype): d_type "
	    "comes from the inodes");
}
ATF_TC_BODY(readdir_rev0_dtype, tc)
{
	struct entlist l = { 0 };
	struct ent *e;

	IMG_RUN_OK("rm -rf %s && mkdir -p %s/d/sub && touch %s/d/file && "
	    "ln -s file %s/d/link && mkfifo %s/d/fifo", SRC, SRC, SRC, SRC,
	    SRC);
	make_image("-r 0", "8M", true);
	mount_image("ext2", 0);
	rump_ls(MNT "/d", 4096, &l);
	ATF_REQUIRE_EQ(l.n, 6);
	ATF_REQUIRE((e = entlist_find(&l, ".")) != NULL && e->type == DT_DIR);
	ATF_REQUIRE((e = entlist_find(&l, "..")) != NULL && e->type == DT_DIR);
	ATF_REQUIRE((e = entlist_find(&l, "sub")) != NULL &&
	    e->type == DT_DIR);
	ATF_REQUIRE((e = entlist_find(&l, "file")) != NULL &&
	    e->type == DT_REG);
	ATF_REQUIRE((e = entlist_find(&l, "link")) != NULL &&
	    e->type == DT_LNK);
	ATF_REQUIRE((e = entlist_find(&l, "fifo")) != NULL &&
	    e->type == DT_FIFO);
	entlist_free(&l);

	/* New entries on revision 0 carry no type either. */
	create_ok(MNT "/d/new");
	REQUIRE_OK(rump_sys_mkdir(MNT "/d/newdir", 0755));
	compare_listing(MNT "/d", "/d");
	unmount_check();
}

ATF_TC(readdir_cookies);
ATF_TC_HEAD(readdir_cookies, tc)
{
	atf_tc_set_md_var(tc, "descr", "readdir offsets: \".\" and \"..\" "
	    "first, lseek to any d_off resumes there, also across changes");
}
ATF_TC_BODY(readdir_cookies, tc)
{
	char buf[4096], name[64], path[128];
	struct entlist all = { 0 };
	struct dirent64 *d;
	int64_t offs[400];
	char *names[400];
	ssize_t n, off;
	size_t count = 0, i;
	int fd;

	make_image("-t ext2 -b 1024", "8M", false);
	mount_image("ext2", 0);
	REQUIRE_OK(rump_sys_mkdir(MNT "/d", 0755));
	for (i = 0; i < 300; i++) {
		snprintf(path, sizeof(path), MNT "/d/entry-%03zu", i);
		create_ok(path);
	}

	/* One entry per call with a buffer that holds only one record. */
	fd = rump_sys_open(MNT "/d", O_RDONLY | O_DIRECTORY);
	ATF_REQUIRE(fd >= 0);
	while ((n = rump_sys_getdents64(fd, buf, 40)) > 0) {
		d = (struct dirent64 *)buf;
		ATF_REQUIRE_EQ(d->d_reclen, n);
		ATF_REQUIRE(count < (sizeof(offs) / sizeof(offs[0])));
		offs[count] = d->d_off;
		names[count] = strdup(d->d_name);
		count++;
	}
	ATF_REQUIRE_EQ(n, 0);
	ATF_REQUIRE_EQ(count, 302);
	ATF_REQUIRE_STREQ(names[0], ".");
	ATF_REQUIRE_STREQ(names[1], "..");
	/* A buffer too small for one record. */
	ATF_REQUIRE_EQ(rump_sys_lseek(fd, 0, SEEK_SET), 0);
	REQUIRE_ERRNO(rump_sys_getdents64(fd, buf, 20), EINVAL);

	/* Seek to each cookie: the next entry follows. */
	for (i = 0; i + 1 < count; i += 37) {
		ATF_REQUIRE_EQ(rump_sys_lseek(fd, offs[i], SEEK_SET), offs[i]);
		n = rump_sys_getdents64(fd, buf, sizeof(buf));
		ATF_REQUIRE(n > 0);
		d = (struct dirent64 *)buf;
		ATF_REQUIRE_STREQ(d->d_name, names[i + 1]);
	}

	/*
	 * Remove every other entry and add new ones: resuming at a cookie
	 * taken before still returns each surviving entry after it once.
	 */
	for (i = 2; i < count; i += 2) {
		snprintf(path, sizeof(path), MNT "/d/%s", names[i]);
		REQUIRE_OK(rump_sys_unlink(path));
	}
	for (i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), MNT "/d/new-%03zu", i);
		create_ok(name);
	}
	ATF_REQUIRE_EQ(rump_sys_lseek(fd, offs[100], SEEK_SET), offs[100]);
	while ((n = rump_sys_getdents64(fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n; off += d->d_reclen) {
			d = (struct dirent64 *)(buf + off);
			entlist_add(&all, d->d_name, strlen(d->d_name),
			    d->d_ino, d->d_type);
		}
	}
	entlist_sort(&all);
	for (i = 101; i < count; i++) {
		if (i % 2 == 0)
			ATF_CHECK_MSG(entlist_find(&all, names[i]) == NULL,
			    "removed %s listed", names[i]);
		else
			ATF_CHECK_MSG(entlist_find(&all, names[i]) != NULL,
			    "%s missing after resuming", names[i]);
	}
	for (i = 1; i < all.n; i++)
		ATF_CHECK(strcmp(all.e[i - 1].name, all.e[i].name) != 0);
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);
	for (i = 0; i < count; i++)
		free(names[i]);
	entlist_free(&all);
	compare_listing(MNT "/d", "/d");
	unmount_check();
}

/* Names made by the writer of readdir_concurrent so far. */
static volatile int churn_count;

/* The writer of readdir_concurrent: names come and go in MNT/d. */
static void *
churn_names(void *arg)
{
	volatile bool *stop = arg;
	char path[128];
	int i, fd;

	for (i = 0; !*stop && i < 20000; i++) {
		__atomic_store_n(&churn_count, i, __ATOMIC_RELAXED);
		snprintf(path, sizeof(path), MNT "/d/tmp-%d", i);
		fd = rump_sys_open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0)
			return (void *)(intptr_t)errno;
		rump_sys_close(fd);
		if (i >= 40) {
			snprintf(path, sizeof(path), MNT "/d/tmp-%d", i - 40);
			if (rump_sys_unlink(path) != 0)
				return (void *)(intptr_t)errno;
		}
	}
	return NULL;
}

ATF_TC(readdir_concurrent);
ATF_TC_HEAD(readdir_concurrent, tc)
{
	atf_tc_set_md_var(tc, "descr", "readdir while another thread adds "
	    "and removes names returns every unchanged entry once");
	atf_tc_set_md_var(tc, "timeout", "120");
}
ATF_TC_BODY(readdir_concurrent, tc)
{
	char path[128], name[64];
	volatile bool stop = false;
	pthread_t writer;
	void *result;
	int round, i;

	make_image("-t ext2 -b 1024", "16M", false);
	mount_image("ext2", 0);
	REQUIRE_OK(rump_sys_mkdir(MNT "/d", 0755));
	for (i = 0; i < 300; i++) {
		snprintf(path, sizeof(path), MNT "/d/stable-%03d", i);
		create_ok(path);
	}

	ATF_REQUIRE_EQ(pthread_create(&writer, NULL, churn_names,
	    (void *)&stop), 0);
	/* At least 30 listings, and until 2000 names came and went. */
	for (round = 0; round < 30 ||
	    __atomic_load_n(&churn_count, __ATOMIC_RELAXED) < 2000; round++) {
		struct entlist l = { 0 };
		size_t n, k;

		/* A small buffer: many calls, with changes in between. */
		rump_ls(MNT "/d", 300, &l);
		for (n = 0, k = 0; k < l.n; k++) {
			if (strncmp(l.e[k].name, "stable-", 7) == 0)
				n++;
			if (k > 0)
				ATF_REQUIRE_MSG(strcmp(l.e[k - 1].name,
				    l.e[k].name) != 0, "round %d: \"%s\" listed "
				    "twice", round, l.e[k].name);
		}
		ATF_REQUIRE_EQ_MSG(n, 300, "round %d: %zu stable names listed",
		    round, n);
		for (i = 0; i < 300; i += 7) {
			snprintf(name, sizeof(name), MNT "/d/stable-%03d", i);
			REQUIRE_OK(rump_sys_access(name, F_OK));
		}
		entlist_free(&l);
	}
	stop = true;
	printf("%d listings while %d names came and went\n", round,
	    __atomic_load_n(&churn_count, __ATOMIC_RELAXED));
	ATF_REQUIRE_EQ(pthread_join(writer, &result), 0);
	ATF_REQUIRE_MSG(result == NULL, "writer: %s",
	    strerror((int)(intptr_t)result));
	compare_listing(MNT "/d", "/d");
	unmount_check();
}

/* ------------------------------------------------------------------ */
/* Changing hashed directories. */

ATF_TC(hashed_create_unlink);
ATF_TC_HEAD(hashed_create_unlink, tc)
{
	atf_tc_set_md_var(tc, "descr", "Create and unlink many files in a "
	    "hashed directory; e2fsck stays clean");
	atf_tc_set_md_var(tc, "timeout", "300");
}
ATF_TC_BODY(hashed_create_unlink, tc)
{
	struct entlist d = { 0 };
	char path[512], name[256];
	int i;

	make_bigdir_tree(2000);
	make_image("-t ext2 -b 1024", "32M", true);
	index_image();
	ATF_REQUIRE(big_indexed());

	mount_image("ext2", 0);
	/* Remove a third of the names, then add 3000 new ones. */
	for (i = 0; i < 2000; i += 3) {
		bigname(name, sizeof(name), i);
		snprintf(path, sizeof(path), MNT "/big/%s", name);
		REQUIRE_OK(rump_sys_unlink(path));
	}
	for (i = 0; i < 3000; i++) {
		snprintf(path, sizeof(path), MNT "/big/new-%05d", i);
		create_ok(path);
	}
	/* Every remaining name is found, the removed ones are not. */
	for (i = 0; i < 2000; i++) {
		bigname(name, sizeof(name), i);
		snprintf(path, sizeof(path), MNT "/big/%s", name);
		if (i % 3 == 0)
			REQUIRE_ERRNO(rump_sys_access(path, F_OK), ENOENT);
		else
			REQUIRE_OK(rump_sys_access(path, F_OK));
	}
	compare_listing(MNT "/big", "/big");
	unmount_check();

	debugfs_ls("/big", &d);
	ATF_REQUIRE_EQ(d.n, 2 + 2000 - 667 + 3000);
	entlist_free(&d);
}

ATF_TC(hashed_insert_keeps_index);
ATF_TC_HEAD(hashed_insert_keeps_index, tc)
{
	atf_tc_set_md_var(tc, "descr", "Names added to a hashed directory "
	    "with room in its leaves keep the index valid");
	atf_tc_set_md_var(tc, "timeout", "300");
}
ATF_TC_BODY(hashed_insert_keeps_index, tc)
{
	char path[512], name[256];
	int i;

	make_bigdir_tree(3000);
	make_image("-t ext2 -b 4096", "32M", true);
	index_image();
	ATF_REQUIRE(big_indexed());

	mount_image("ext2", 0);
	/* Half the names go, which leaves room in every leaf. */
	for (i = 0; i < 3000; i += 2) {
		bigname(name, sizeof(name), i);
		snprintf(path, sizeof(path), MNT "/big/%s", name);
		REQUIRE_OK(rump_sys_unlink(path));
	}
	for (i = 0; i < 200; i++) {
		snprintf(path, sizeof(path), MNT "/big/added-%d", i);
		create_ok(path);
	}
	for (i = 0; i < 200; i++) {
		snprintf(path, sizeof(path), MNT "/big/added-%d", i);
		REQUIRE_OK(rump_sys_access(path, F_OK));
	}
	compare_listing(MNT "/big", "/big");
	unmount_check();
	/* e2fsck checked the hash ranges of every leaf. */
	ATF_REQUIRE_MSG(big_indexed(),
	    "the index was dropped although the leaves had room");
}

ATF_TC(hashed_index_damaged);
ATF_TC_HEAD(hashed_index_damaged, tc)
{
	atf_tc_set_md_var(tc, "descr", "A damaged index root: lookups fall "
	    "back to a linear scan and find every name");
	atf_tc_set_md_var(tc, "timeout", "300");
}
ATF_TC_BODY(hashed_index_damaged, tc)
{
	long long blk;
	char *out;

	make_bigdir_tree(1000);
	make_image("-t ext2 -b 1024", "16M", true);
	index_image();
	ATF_REQUIRE(big_indexed());
	out = debugfs_out("blocks /big");
	ATF_REQUIRE(out != NULL);
	blk = strtoll(out, NULL, 10);
	free(out);
	ATF_REQUIRE(blk > 0);
	/* info_length (byte 29 of the root block) becomes 9. */
	IMG_RUN_OK("printf '\\011' | dd of=%s bs=1 seek=%lld conv=notrunc "
	    "status=none", IMG, blk * 1024 + 29);

	mount_image("ext2", MS_RDONLY);
	check_bigdir(1000);
	img_umount(MNT);

	/* A name added to it makes it linear, which e2fsck accepts. */
	mount_image("ext2", 0);
	create_ok(MNT "/big/added");
	REQUIRE_OK(rump_sys_access(MNT "/big/added", F_OK));
	compare_listing(MNT "/big", "/big");
	unmount_check();
	ATF_REQUIRE_MSG(!big_indexed(), "the damaged index was kept");
}

/* ------------------------------------------------------------------ */
/* Names, directories and links. */

ATF_TC(names_255);
ATF_TC_HEAD(names_255, tc)
{
	atf_tc_set_md_var(tc, "descr", "Names of 255 bytes work in every "
	    "operation; 256 bytes are ENAMETOOLONG");
}
ATF_TC_BODY(names_255, tc)
{
	char name[300], path[600], path2[600];
	struct entlist l = { 0 };

	make_image("-t ext2 -b 1024", "8M", false);
	mount_image("ext2", 0);

	memset(name, 'n', 255);
	name[255] = '\0';
	snprintf(path, sizeof(path), MNT "/%s", name);
	create_ok(path);
	lstat_ok(path);
	name[0] = 'd';
	snprintf(path2, sizeof(path2), MNT "/%s", name);
	REQUIRE_OK(rump_sys_mkdir(path2, 0755));
	name[0] = 'r';
	snprintf(path2, sizeof(path2), MNT "/%s", name);
	REQUIRE_OK(rump_sys_rename(path, path2));
	rump_ls(MNT, 4096, &l);
	ATF_REQUIRE(entlist_find(&l, name) != NULL);
	entlist_free(&l);

	memset(name, 'x', 256);
	name[256] = '\0';
	snprintf(path, sizeof(path), MNT "/%s", name);
	REQUIRE_ERRNO(rump_sys_open(path, O_WRONLY | O_CREAT, 0644),
	    ENAMETOOLONG);
	REQUIRE_ERRNO(rump_sys_mkdir(path, 0755), ENAMETOOLONG);
	REQUIRE_ERRNO(rump_sys_rename(path2, path), ENAMETOOLONG);

	compare_listing(MNT, "/");
	unmount_check();
}

ATF_TC(mkdir_rmdir_nlink);
ATF_TC_HEAD(mkdir_rmdir_nlink, tc)
{
	atf_tc_set_md_var(tc, "descr", "Nested mkdir and rmdir keep the link "
	    "counts of parents right");
}
ATF_TC_BODY(mkdir_rmdir_nlink, tc)
{
	struct stat st;
	nlink_t rootlinks;
	ino_t ino;

	make_image("-t ext2", "8M", false);
	mount_image("ext2", 0);
	rootlinks = lstat_ok(MNT).st_nlink;

	REQUIRE_OK(rump_sys_mkdir(MNT "/a", 0755));
	REQUIRE_OK(rump_sys_mkdir(MNT "/a/b", 0750));
	REQUIRE_OK(rump_sys_mkdir(MNT "/a/b/c", 0700));
	REQUIRE_OK(rump_sys_mkdir(MNT "/a/b2", 0755));
	create_ok(MNT "/a/b/file");
	ATF_REQUIRE_EQ(lstat_ok(MNT).st_nlink, rootlinks + 1);
	ATF_REQUIRE_EQ(lstat_ok(MNT "/a").st_nlink, 4);
	ATF_REQUIRE_EQ(lstat_ok(MNT "/a/b").st_nlink, 3);
	st = lstat_ok(MNT "/a/b/c");
	ATF_REQUIRE_EQ(st.st_nlink, 2);
	ATF_REQUIRE_EQ(st.st_mode & 07777, 0700);
	ATF_REQUIRE(S_ISDIR(st.st_mode));
	ino = lstat_ok(MNT "/a/b").st_ino;
	ATF_REQUIRE_EQ(lstat_ok(MNT "/a/b/c/..").st_ino, ino);

	REQUIRE_ERRNO(rump_sys_mkdir(MNT "/a/b", 0755), EEXIST);
	REQUIRE_ERRNO(rump_sys_rmdir(MNT "/a/b"), ENOTEMPTY);
	REQUIRE_ERRNO(rump_sys_rmdir(MNT "/a/b/file"), ENOTDIR);
	REQUIRE_ERRNO(rump_sys_rmdir(MNT "/a/missing"), ENOENT);
	REQUIRE_OK(rump_sys_rmdir(MNT "/a/b/c"));
	ATF_REQUIRE_EQ(lstat_ok(MNT "/a/b").st_nlink, 2);
	REQUIRE_ERRNO(rump_sys_lstat(MNT "/a/b/c", &st), ENOENT);
	REQUIRE_OK(rump_sys_unlink(MNT "/a/b/file"));
	REQUIRE_OK(rump_sys_rmdir(MNT "/a/b"));
	ATF_REQUIRE_EQ(lstat_ok(MNT "/a").st_nlink, 3);

	/* A removed directory that is still open has no entries. */
	REQUIRE_OK(rump_sys_mkdir(MNT "/a/gone", 0755));
	{
		int fd = rump_sys_open(MNT "/a/gone", O_RDONLY | O_DIRECTORY);
		char buf[512];

		ATF_REQUIRE(fd >= 0);
		REQUIRE_OK(rump_sys_rmdir(MNT "/a/gone"));
		REQUIRE_ERRNO(rump_sys_getdents64(fd, buf, sizeof(buf)),
		    ENOENT);
		REQUIRE_ERRNO(rump_sys_openat(fd, "x", O_RDONLY | O_CREAT,
		    0644), ENOENT);
		ATF_REQUIRE_EQ(rump_sys_close(fd), 0);
	}
	ATF_REQUIRE_EQ(lstat_ok(MNT "/a").st_nlink, 3);
	compare_listing(MNT "/a", "/a");
	unmount_check();

	ATF_CHECK_EQ(debugfs_stat_num("/a", "Links: "), 3);
	ATF_CHECK_EQ(debugfs_stat_num("/a/b2", "Links: "), 2);
	ATF_CHECK_EQ(debugfs_stat_num("/", "Links: "), (long long)rootlinks +
	    1);
}

ATF_TC(mkdir_many_subdirs);
ATF_TC_HEAD(mkdir_many_subdirs, tc)
{
	atf_tc_set_md_var(tc, "descr", "Hundreds of subdirectories: the "
	    "parent's link count follows");
	atf_tc_set_md_var(tc, "timeout", "300");
}
ATF_TC_BODY(mkdir_many_subdirs, tc)
{
	char path[128];
	int i;

	make_image("-t ext2 -b 1024 -N 2048", "16M", false);
	mount_image("ext2", 0);
	REQUIRE_OK(rump_sys_mkdir(MNT "/p", 0755));
	for (i = 0; i < 1000; i++) {
		snprintf(path, sizeof(path), MNT "/p/sub%04d", i);
		REQUIRE_OK(rump_sys_mkdir(path, 0755));
	}
	ATF_REQUIRE_EQ(lstat_ok(MNT "/p").st_nlink, 1002);
	for (i = 0; i < 1000; i += 2) {
		snprintf(path, sizeof(path), MNT "/p/sub%04d", i);
		REQUIRE_OK(rump_sys_rmdir(path));
	}
	ATF_REQUIRE_EQ(lstat_ok(MNT "/p").st_nlink, 502);
	compare_listing(MNT "/p", "/p");
	unmount_check();
	ATF_CHECK_EQ(debugfs_stat_num("/p", "Links: "), 502);
}

ATF_TC(hard_links);
ATF_TC_HEAD(hard_links, tc)
{
	atf_tc_set_md_var(tc, "descr", "link and unlink count the links; "
	    "directories cannot be linked");
}
ATF_TC_BODY(hard_links, tc)
{
	struct stat st;
	int fd;

	make_image("-t ext2", "8M", false);
	mount_image("ext2", 0);
	REQUIRE_OK(rump_sys_mkdir(MNT "/d", 0755));
	fd = rump_sys_open(MNT "/f", O_RDWR | O_CREAT | O_EXCL, 0644);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE_EQ(rump_sys_write(fd, "hello", 5), 5);
	REQUIRE_OK(rump_sys_link(MNT "/f", MNT "/d/g"));
	REQUIRE_OK(rump_sys_link(MNT "/f", MNT "/h"));
	st = lstat_ok(MNT "/d/g");
	ATF_REQUIRE_EQ(st.st_nlink, 3);
	ATF_REQUIRE_EQ(st.st_ino, lstat_ok(MNT "/f").st_ino);
	REQUIRE_ERRNO(rump_sys_link(MNT "/f", MNT "/h"), EEXIST);
	REQUIRE_ERRNO(rump_sys_link(MNT "/d", MNT "/d2"), EPERM);
	REQUIRE_ERRNO(rump_sys_link(MNT "/missing", MNT "/x"), ENOENT);

	REQUIRE_OK(rump_sys_unlink(MNT "/f"));
	ATF_REQUIRE_EQ(lstat_ok(MNT "/h").st_nlink, 2);
	REQUIRE_ERRNO(rump_sys_unlink(MNT "/f"), ENOENT);
	REQUIRE_ERRNO(rump_sys_unlink(MNT "/d"), EISDIR);

	/* Unlinked while open: the data stays readable until close. */
	REQUIRE_OK(rump_sys_unlink(MNT "/h"));
	REQUIRE_OK(rump_sys_unlink(MNT "/d/g"));
	{
		char buf[8];

		ATF_REQUIRE_EQ(rump_sys_pread(fd, buf, sizeof(buf), 0), 5);
		ATF_REQUIRE(memcmp(buf, "hello", 5) == 0);
		REQUIRE_OK(rump_sys_fstat(fd, &st));
		ATF_REQUIRE_EQ(st.st_nlink, 0);
	}
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);

	fd = rump_sys_open(MNT "/k", O_RDWR | O_CREAT | O_EXCL, 0644);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);
	REQUIRE_OK(rump_sys_link(MNT "/k", MNT "/d/k2"));
	compare_listing(MNT "/d", "/d");
	compare_listing(MNT, "/");
	unmount_check();
	ATF_CHECK_EQ(debugfs_stat_num("/k", "Links: "), 2);
}

ATF_TC(symlinks);
ATF_TC_HEAD(symlinks, tc)
{
	atf_tc_set_md_var(tc, "descr", "Fast and slow symbolic links, made "
	    "by mke2fs and by the kernel");
}
ATF_TC_BODY(symlinks, tc)
{
	static const size_t lens[] = { 1, 59, 60, 61, 200, 1023 };
	char target[2048], buf[2048], path[128];
	ssize_t n;
	size_t i, j;

	IMG_RUN_OK("rm -rf %s && mkdir %s && ln -s short %s/hfast && "
	    "ln -s %0100d %s/hslow", SRC, SRC, SRC, 0, SRC);
	make_image("-t ext2 -b 1024", "8M", true);
	mount_image("ext2", 0);

	n = rump_sys_readlink(MNT "/hfast", buf, sizeof(buf));
	ATF_REQUIRE_EQ(n, 5);
	ATF_REQUIRE(memcmp(buf, "short", 5) == 0);
	n = rump_sys_readlink(MNT "/hslow", buf, sizeof(buf));
	ATF_REQUIRE_EQ(n, 100);
	for (j = 0; j < 100; j++)
		ATF_REQUIRE(buf[j] == '0');

	for (i = 0; i < (sizeof(lens) / sizeof(lens[0])); i++) {
		for (j = 0; j < lens[i]; j++)
			target[j] = (char)('a' + (i + j) % 26);
		target[lens[i]] = '\0';
		snprintf(path, sizeof(path), MNT "/l%zu", lens[i]);
		REQUIRE_OK(rump_sys_symlink(target, path));
		n = rump_sys_readlink(path, buf, sizeof(buf));
		ATF_REQUIRE_EQ(n, (ssize_t)lens[i]);
		ATF_REQUIRE(memcmp(buf, target, lens[i]) == 0);
		/* A short buffer gets the start of the target. */
		n = rump_sys_readlink(path, buf, 3);
		ATF_REQUIRE_EQ(n, (ssize_t)(lens[i] < 3 ? lens[i] : 3));
		ATF_REQUIRE(memcmp(buf, target, (size_t)n) == 0);
		ATF_REQUIRE(S_ISLNK(lstat_ok(path).st_mode));
		ATF_REQUIRE_EQ(lstat_ok(path).st_size, (off_t)lens[i]);
	}
	/* The target and its NUL must fit in a block. */
	memset(target, 'z', 1024);
	target[1024] = '\0';
	REQUIRE_ERRNO(rump_sys_symlink(target, MNT "/toolong"),
	    ENAMETOOLONG);
	REQUIRE_ERRNO(rump_sys_symlink("x", MNT "/l1"), EEXIST);
	REQUIRE_ERRNO(rump_sys_readlink(MNT "/", buf, sizeof(buf)), EINVAL);
	REQUIRE_OK(rump_sys_unlink(MNT "/l200"));
	unmount_check();

	ATF_CHECK(debugfs_stat_has("/l59", "Fast link dest: "));
	ATF_CHECK(!debugfs_stat_has("/l60", "Fast link dest: "));
	ATF_CHECK_EQ(debugfs_stat_num("/l1023", "Size: "), 1023);
	ATF_CHECK(debugfs_stat_has("/l1", "Fast link dest: \"a\""));
}

ATF_TC(device_nodes_fifos);
ATF_TC_HEAD(device_nodes_fifos, tc)
{
	atf_tc_set_md_var(tc, "descr", "Device nodes in both encodings, "
	    "FIFOs and sockets: types and numbers as debugfs reads them");
}
ATF_TC_BODY(device_nodes_fifos, tc)
{
	struct stat st;
	struct entlist l = { 0 };
	struct ent *e;

	make_image("-t ext2", "8M", false);
	mount_image("ext2", 0);
	REQUIRE_OK(rump_sys_mknod(MNT "/null", S_IFCHR | 0666,
	    makedev(1, 3)));
	REQUIRE_OK(rump_sys_mknod(MNT "/sda1", S_IFBLK | 0660,
	    makedev(8, 1)));
	REQUIRE_OK(rump_sys_mknod(MNT "/big", S_IFCHR | 0600,
	    makedev(300, 70000)));
	REQUIRE_OK(rump_sys_mknod(MNT "/fifo", S_IFIFO | 0644, 0));
	REQUIRE_OK(rump_sys_mknod(MNT "/sock", S_IFSOCK | 0644, 0));
	REQUIRE_ERRNO(rump_sys_mknod(MNT "/fifo", S_IFIFO | 0644, 0), EEXIST);

	st = lstat_ok(MNT "/big");
	ATF_REQUIRE(S_ISCHR(st.st_mode));
	ATF_REQUIRE_EQ(major(st.st_rdev), 300);
	ATF_REQUIRE_EQ(minor(st.st_rdev), 70000);
	st = lstat_ok(MNT "/sda1");
	ATF_REQUIRE(S_ISBLK(st.st_mode));
	ATF_REQUIRE_EQ(st.st_rdev, makedev(8, 1));
	ATF_REQUIRE(S_ISFIFO(lstat_ok(MNT "/fifo").st_mode));
	ATF_REQUIRE(S_ISSOCK(lstat_ok(MNT "/sock").st_mode));
	REQUIRE_ERRNO(rump_sys_open(MNT "/sock", O_RDONLY), ENXIO);

	/* The FIFO works as a pipe. */
	{
		char buf[8];
		int rfd, wfd;

		rfd = rump_sys_open(MNT "/fifo", O_RDONLY | O_NONBLOCK);
		ATF_REQUIRE(rfd >= 0);
		wfd = rump_sys_open(MNT "/fifo", O_WRONLY);
		ATF_REQUIRE(wfd >= 0);
		ATF_REQUIRE_EQ(rump_sys_write(wfd, "abc", 3), 3);
		ATF_REQUIRE_EQ(rump_sys_read(rfd, buf, sizeof(buf)), 3);
		ATF_REQUIRE(memcmp(buf, "abc", 3) == 0);
		ATF_REQUIRE_EQ(rump_sys_close(wfd), 0);
		ATF_REQUIRE_EQ(rump_sys_close(rfd), 0);
	}

	rump_ls(MNT, 4096, &l);
	ATF_REQUIRE((e = entlist_find(&l, "null")) && e->type == DT_CHR);
	ATF_REQUIRE((e = entlist_find(&l, "sda1")) && e->type == DT_BLK);
	ATF_REQUIRE((e = entlist_find(&l, "fifo")) && e->type == DT_FIFO);
	ATF_REQUIRE((e = entlist_find(&l, "sock")) && e->type == DT_SOCK);
	entlist_free(&l);
	compare_listing(MNT, "/");
	unmount_check();

	ATF_CHECK(debugfs_stat_has("/null", "Type: character special"));
	ATF_CHECK(debugfs_stat_has("/null",
	    "Device major/minor number: 01:03"));
	ATF_CHECK(debugfs_stat_has("/sda1", "Type: block special"));
	ATF_CHECK(debugfs_stat_has("/sda1",
	    "Device major/minor number: 08:01"));
	ATF_CHECK(debugfs_stat_has("/big",
	    "(New-style) Device major/minor number: 300:70000"));
	ATF_CHECK(debugfs_stat_has("/fifo", "Type: FIFO"));
	ATF_CHECK(debugfs_stat_has("/sock", "Type: socket"));
}

ATF_TC(enospc_undo);
ATF_TC_HEAD(enospc_undo, tc)
{
	atf_tc_set_md_var(tc, "descr", "mkdir, symlink and create on a full "
	    "file system fail with ENOSPC and leave nothing behind");
	atf_tc_set_md_var(tc, "timeout", "120");
}
ATF_TC_BODY(enospc_undo, tc)
{
	static char buf[65536];
	char path[128], target[300];
	int fd, i, made, failed;
	ssize_t n;

	make_image("-t ext2 -b 1024 -m 0 -N 512", "2M", false);
	mount_image("ext2", 0);
	REQUIRE_OK(rump_sys_mkdir(MNT "/d", 0755));

	/* Fill every block. */
	fd = rump_sys_open(MNT "/fill", O_WRONLY | O_CREAT, 0644);
	ATF_REQUIRE(fd >= 0);
	memset(buf, 'f', sizeof(buf));
	while ((n = rump_sys_write(fd, buf, sizeof(buf))) > 0)
		continue;
	ATF_REQUIRE_MSG(n == -1 && errno == ENOSPC, "filling: %s",
	    strerror(errno));
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);

	/* A directory needs a block, so does a long symlink. */
	REQUIRE_ERRNO(rump_sys_mkdir(MNT "/d/sub", 0755), ENOSPC);
	memset(target, 't', 200);
	target[200] = '\0';
	REQUIRE_ERRNO(rump_sys_symlink(target, MNT "/d/slow"), ENOSPC);
	REQUIRE_ERRNO(rump_sys_access(MNT "/d/sub", F_OK), ENOENT);
	REQUIRE_ERRNO(rump_sys_access(MNT "/d/slow", F_OK), ENOENT);

	/* Names fit until /d's only block is full. */
	made = failed = 0;
	for (i = 0; i < 200 && failed == 0; i++) {
		snprintf(path, sizeof(path), MNT "/d/name-%03d", i);
		fd = rump_sys_open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd >= 0) {
			rump_sys_close(fd);
			made++;
		} else {
			ATF_REQUIRE_MSG(errno == ENOSPC, "create %s: %s", path,
			    strerror(errno));
			REQUIRE_ERRNO(rump_sys_access(path, F_OK), ENOENT);
			failed++;
		}
	}
	ATF_REQUIRE_MSG(made > 0 && failed == 1, "%d made, %d failed", made,
	    failed);
	compare_listing(MNT "/d", "/d");
	unmount_check();
}

ATF_TC(errnos);
ATF_TC_HEAD(errnos, tc)
{
	atf_tc_set_md_var(tc, "descr", "ENOTEMPTY, EEXIST, ENOENT, ENOTDIR "
	    "and EISDIR from the name space calls");
}
ATF_TC_BODY(errnos, tc)
{
	struct stat st;

	make_image("-t ext2", "8M", false);
	mount_image("ext2", 0);
	REQUIRE_OK(rump_sys_mkdir(MNT "/d", 0755));
	REQUIRE_OK(rump_sys_mkdir(MNT "/d/sub", 0755));
	create_ok(MNT "/f");

	REQUIRE_ERRNO(rump_sys_rmdir(MNT "/d"), ENOTEMPTY);
	REQUIRE_ERRNO(rump_sys_mkdir(MNT "/d", 0755), EEXIST);
	REQUIRE_ERRNO(rump_sys_mkdir(MNT "/f", 0755), EEXIST);
	REQUIRE_ERRNO(rump_sys_open(MNT "/f", O_CREAT | O_EXCL | O_RDWR,
	    0644), EEXIST);
	REQUIRE_ERRNO(rump_sys_symlink("t", MNT "/d"), EEXIST);
	REQUIRE_ERRNO(rump_sys_mknod(MNT "/f", S_IFIFO | 0644, 0), EEXIST);
	REQUIRE_ERRNO(rump_sys_lstat(MNT "/nothing", &st), ENOENT);
	REQUIRE_ERRNO(rump_sys_lstat(MNT "/d/nothing/x", &st), ENOENT);
	REQUIRE_ERRNO(rump_sys_unlink(MNT "/nothing"), ENOENT);
	REQUIRE_ERRNO(rump_sys_rename(MNT "/nothing", MNT "/x"), ENOENT);
	REQUIRE_ERRNO(rump_sys_open(MNT "/f/x", O_RDONLY), ENOTDIR);
	REQUIRE_ERRNO(rump_sys_rename(MNT "/d", MNT "/f"), ENOTDIR);
	REQUIRE_ERRNO(rump_sys_rename(MNT "/f", MNT "/d"), EISDIR);
	REQUIRE_ERRNO(rump_sys_rename(MNT "/d", MNT "/d/sub/x"), EINVAL);
	create_ok(MNT "/d/sub/y");
	REQUIRE_OK(rump_sys_mkdir(MNT "/e", 0755));
	REQUIRE_ERRNO(rump_sys_rename(MNT "/e", MNT "/d"), ENOTEMPTY);
	REQUIRE_ERRNO(rump_sys_rmdir(MNT "/d/sub"), ENOTEMPTY);
	unmount_check();
}

/* ------------------------------------------------------------------ */
/* Rename. */

ATF_TC(rename_files);
ATF_TC_HEAD(rename_files, tc)
{
	atf_tc_set_md_var(tc, "descr", "Rename of files in one directory, "
	    "across directories and over an existing file");
}
ATF_TC_BODY(rename_files, tc)
{
	ino_t a, b;
	int fd;

	make_image("-t ext2", "8M", false);
	mount_image("ext2", 0);
	REQUIRE_OK(rump_sys_mkdir(MNT "/d1", 0755));
	REQUIRE_OK(rump_sys_mkdir(MNT "/d2", 0755));
	create_ok(MNT "/d1/a");
	create_ok(MNT "/d1/b");
	a = lstat_ok(MNT "/d1/a").st_ino;
	b = lstat_ok(MNT "/d1/b").st_ino;

	/* Same directory, new name. */
	REQUIRE_OK(rump_sys_rename(MNT "/d1/a", MNT "/d1/a2"));
	ATF_REQUIRE_EQ(lstat_ok(MNT "/d1/a2").st_ino, a);
	REQUIRE_ERRNO(rump_sys_access(MNT "/d1/a", F_OK), ENOENT);
	/* Across directories. */
	REQUIRE_OK(rump_sys_rename(MNT "/d1/a2", MNT "/d2/a3"));
	ATF_REQUIRE_EQ(lstat_ok(MNT "/d2/a3").st_ino, a);
	/* Over an existing file, which goes away. */
	fd = rump_sys_open(MNT "/d1/b", O_RDONLY);
	ATF_REQUIRE(fd >= 0);
	REQUIRE_OK(rump_sys_rename(MNT "/d2/a3", MNT "/d1/b"));
	ATF_REQUIRE_EQ(lstat_ok(MNT "/d1/b").st_ino, a);
	{
		struct stat st;

		REQUIRE_OK(rump_sys_fstat(fd, &st));
		ATF_REQUIRE_EQ(st.st_ino, b);
		ATF_REQUIRE_EQ(st.st_nlink, 0);
	}
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);
	/* Two names of one file: nothing happens. */
	REQUIRE_OK(rump_sys_link(MNT "/d1/b", MNT "/d2/same"));
	REQUIRE_OK(rump_sys_rename(MNT "/d1/b", MNT "/d2/same"));
	ATF_REQUIRE_EQ(lstat_ok(MNT "/d1/b").st_nlink, 2);
	/* Over a hard link of another file: that file keeps one link. */
	create_ok(MNT "/c");
	REQUIRE_OK(rump_sys_link(MNT "/c", MNT "/c2"));
	REQUIRE_OK(rump_sys_rename(MNT "/d1/b", MNT "/c2"));
	ATF_REQUIRE_EQ(lstat_ok(MNT "/c").st_nlink, 1);
	ATF_REQUIRE_EQ(lstat_ok(MNT "/c2").st_ino, a);

	compare_listing(MNT "/d1", "/d1");
	compare_listing(MNT "/d2", "/d2");
	compare_listing(MNT, "/");
	unmount_check();
	ATF_CHECK_EQ(debugfs_stat_num("/c", "Links: "), 1);
	ATF_CHECK_EQ(debugfs_stat_num("/c2", "Links: "), 2);
}

ATF_TC(rename_dirs);
ATF_TC_HEAD(rename_dirs, tc)
{
	atf_tc_set_md_var(tc, "descr", "Rename of directories: \"..\" and the "
	    "link counts of both parents, and replacing an empty directory");
}
ATF_TC_BODY(rename_dirs, tc)
{
	ino_t p1, p2, x;
	char *out;

	make_image("-t ext2", "8M", false);
	mount_image("ext2", 0);
	REQUIRE_OK(rump_sys_mkdir(MNT "/p1", 0755));
	REQUIRE_OK(rump_sys_mkdir(MNT "/p2", 0755));
	REQUIRE_OK(rump_sys_mkdir(MNT "/p1/x", 0755));
	REQUIRE_OK(rump_sys_mkdir(MNT "/p1/x/inner", 0755));
	create_ok(MNT "/p1/x/file");
	p1 = lstat_ok(MNT "/p1").st_ino;
	p2 = lstat_ok(MNT "/p2").st_ino;
	x = lstat_ok(MNT "/p1/x").st_ino;

	/* Within the same parent. */
	REQUIRE_OK(rump_sys_rename(MNT "/p1/x", MNT "/p1/y"));
	ATF_REQUIRE_EQ(lstat_ok(MNT "/p1").st_nlink, 3);
	ATF_REQUIRE_EQ(lstat_ok(MNT "/p1/y/..").st_ino, p1);
	/* To another parent. */
	REQUIRE_OK(rump_sys_rename(MNT "/p1/y", MNT "/p2/z"));
	ATF_REQUIRE_EQ(lstat_ok(MNT "/p1").st_nlink, 2);
	ATF_REQUIRE_EQ(lstat_ok(MNT "/p2").st_nlink, 3);
	ATF_REQUIRE_EQ(lstat_ok(MNT "/p2/z").st_ino, x);
	ATF_REQUIRE_EQ(lstat_ok(MNT "/p2/z/..").st_ino, p2);
	ATF_REQUIRE_EQ(lstat_ok(MNT "/p2/z").st_nlink, 3);
	/* Over an empty directory in a third parent. */
	REQUIRE_OK(rump_sys_mkdir(MNT "/p3", 0755));
	REQUIRE_OK(rump_sys_mkdir(MNT "/p3/empty", 0755));
	ATF_REQUIRE_EQ(lstat_ok(MNT "/p3").st_nlink, 3);
	REQUIRE_OK(rump_sys_rename(MNT "/p2/z", MNT "/p3/empty"));
	ATF_REQUIRE_EQ(lstat_ok(MNT "/p2").st_nlink, 2);
	ATF_REQUIRE_EQ(lstat_ok(MNT "/p3").st_nlink, 3);
	ATF_REQUIRE_EQ(lstat_ok(MNT "/p3/empty").st_ino, x);
	ATF_REQUIRE_EQ(lstat_ok(MNT "/p3/empty/..").st_ino,
	    lstat_ok(MNT "/p3").st_ino);
	lstat_ok(MNT "/p3/empty/inner");
	/* Over an empty directory in the same parent. */
	REQUIRE_OK(rump_sys_mkdir(MNT "/p3/empty2", 0755));
	ATF_REQUIRE_EQ(lstat_ok(MNT "/p3").st_nlink, 4);
	REQUIRE_OK(rump_sys_rename(MNT "/p3/empty", MNT "/p3/empty2"));
	ATF_REQUIRE_EQ(lstat_ok(MNT "/p3").st_nlink, 3);
	ATF_REQUIRE_EQ(lstat_ok(MNT "/p3/empty2").st_ino, x);
	/* Back to the root. */
	REQUIRE_OK(rump_sys_rename(MNT "/p3/empty2", MNT "/back"));
	ATF_REQUIRE_EQ(lstat_ok(MNT "/p3").st_nlink, 2);
	ATF_REQUIRE_EQ(lstat_ok(MNT "/back/..").st_ino,
	    lstat_ok(MNT).st_ino);

	compare_listing(MNT, "/");
	unmount_check();

	out = debugfs_out("ls -l /back");
	ATF_REQUIRE(out != NULL);
	ATF_CHECK_MSG(strstr(out, " ..") != NULL, "no \"..\" in /back");
	free(out);
	ATF_CHECK_EQ(debugfs_stat_num("/", "Links: "), 7);
	ATF_CHECK_EQ(debugfs_stat_num("/p3", "Links: "), 2);
	ATF_CHECK_EQ(debugfs_stat_num("/back", "Links: "), 3);
}

ATF_TC(rename_exchange);
ATF_TC_HEAD(rename_exchange, tc)
{
	atf_tc_set_md_var(tc, "descr", "RENAME_EXCHANGE of files and "
	    "directories within and across directories");
}
ATF_TC_BODY(rename_exchange, tc)
{
	ino_t f, d, g;

	make_image("-t ext2", "8M", false);
	mount_image("ext2", 0);
	REQUIRE_OK(rump_sys_mkdir(MNT "/a", 0755));
	REQUIRE_OK(rump_sys_mkdir(MNT "/b", 0755));
	create_ok(MNT "/a/f");
	create_ok(MNT "/a/g");
	REQUIRE_OK(rump_sys_mkdir(MNT "/b/d", 0755));
	f = lstat_ok(MNT "/a/f").st_ino;
	g = lstat_ok(MNT "/a/g").st_ino;
	d = lstat_ok(MNT "/b/d").st_ino;

	/* Two files in one directory. */
	REQUIRE_OK(rump_sys_renameat2(AT_FDCWD, MNT "/a/f", AT_FDCWD, MNT "/a/g",
	    RENAME_EXCHANGE));
	ATF_REQUIRE_EQ(lstat_ok(MNT "/a/f").st_ino, g);
	ATF_REQUIRE_EQ(lstat_ok(MNT "/a/g").st_ino, f);
	/* A file and a directory across directories. */
	REQUIRE_OK(rump_sys_renameat2(AT_FDCWD, MNT "/a/f", AT_FDCWD, MNT "/b/d",
	    RENAME_EXCHANGE));
	ATF_REQUIRE_EQ(lstat_ok(MNT "/a/f").st_ino, d);
	ATF_REQUIRE_EQ(lstat_ok(MNT "/b/d").st_ino, g);
	ATF_REQUIRE_EQ(lstat_ok(MNT "/a/f/..").st_ino,
	    lstat_ok(MNT "/a").st_ino);
	ATF_REQUIRE_EQ(lstat_ok(MNT "/a").st_nlink, 3);
	ATF_REQUIRE_EQ(lstat_ok(MNT "/b").st_nlink, 2);
	/* Two directories across directories. */
	REQUIRE_OK(rump_sys_mkdir(MNT "/b/e", 0755));
	REQUIRE_OK(rump_sys_renameat2(AT_FDCWD, MNT "/a/f", AT_FDCWD, MNT "/b/e",
	    RENAME_EXCHANGE));
	ATF_REQUIRE_EQ(lstat_ok(MNT "/b/e").st_ino, d);
	ATF_REQUIRE_EQ(lstat_ok(MNT "/b/e/..").st_ino,
	    lstat_ok(MNT "/b").st_ino);
	ATF_REQUIRE_EQ(lstat_ok(MNT "/a/f/..").st_ino,
	    lstat_ok(MNT "/a").st_ino);
	ATF_REQUIRE_EQ(lstat_ok(MNT "/a").st_nlink, 3);
	ATF_REQUIRE_EQ(lstat_ok(MNT "/b").st_nlink, 3);
	/* A missing target is ENOENT. */
	REQUIRE_ERRNO(rump_sys_renameat2(AT_FDCWD, MNT "/a/g", AT_FDCWD,
	    MNT "/b/none", RENAME_EXCHANGE), ENOENT);

	compare_listing(MNT "/a", "/a");
	compare_listing(MNT "/b", "/b");
	unmount_check();
	ATF_CHECK_EQ(debugfs_stat_num("/a", "Links: "), 3);
	ATF_CHECK_EQ(debugfs_stat_num("/b", "Links: "), 3);
}

ATF_TC(rename_hashed);
ATF_TC_HEAD(rename_hashed, tc)
{
	atf_tc_set_md_var(tc, "descr", "Rename within and out of a hashed "
	    "directory");
	atf_tc_set_md_var(tc, "timeout", "300");
}
ATF_TC_BODY(rename_hashed, tc)
{
	char from[512], to[512], name[256];
	int i;

	make_bigdir_tree(2000);
	make_image("-t ext2 -b 1024", "32M", true);
	index_image();
	mount_image("ext2", 0);
	REQUIRE_OK(rump_sys_mkdir(MNT "/out", 0755));
	for (i = 0; i < 2000; i += 5) {
		bigname(name, sizeof(name), i);
		snprintf(from, sizeof(from), MNT "/big/%s", name);
		if (i % 10 == 0)
			snprintf(to, sizeof(to), MNT "/out/%s", name);
		else
			snprintf(to, sizeof(to), MNT "/big/renamed-%d", i);
		REQUIRE_OK(rump_sys_rename(from, to));
		REQUIRE_ERRNO(rump_sys_access(from, F_OK), ENOENT);
		REQUIRE_OK(rump_sys_access(to, F_OK));
	}
	compare_listing(MNT "/big", "/big");
	compare_listing(MNT "/out", "/out");
	unmount_check();
}

/* ------------------------------------------------------------------ */
/* Damage. */

/*
 * Make an image with the directory /d, write the 16-bit value v at byte
 * off of the first block of /d, mount the image read-only and require
 * that reading /d fails with an errno and that the kernel survives.
 */
static void
damaged_case_fs(const char *mkfs, const char *type, unsigned off,
    unsigned v)
{
	struct entlist l = { 0 };
	char buf[4096];
	struct stat st;
	long long blk;
	char *out;
	int fd;

	IMG_RUN_OK("rm -rf %s && mkdir -p %s/d && touch %s/d/one %s/d/two "
	    "%s/d/three", SRC, SRC, SRC, SRC, SRC);
	make_image(mkfs, "8M", true);
	out = debugfs_out("blocks /d");
	ATF_REQUIRE(out != NULL);
	blk = strtoll(out, NULL, 10);
	free(out);
	ATF_REQUIRE(blk > 0);
	IMG_RUN_OK("printf '\\%03o\\%03o' | dd of=%s bs=1 seek=%lld "
	    "conv=notrunc status=none", v & 0xff, v >> 8, IMG,
	    blk * 1024 + off);

	mount_image(type, MS_RDONLY);
	fd = rump_sys_open(MNT "/d", O_RDONLY | O_DIRECTORY);
	ATF_REQUIRE(fd >= 0);
	errno = 0;
	ATF_REQUIRE_EQ(rump_sys_getdents64(fd, buf, sizeof(buf)), -1);
	ATF_REQUIRE_MSG(errno == EUCLEAN || errno == EIO, "getdents64: %s",
	    strerror(errno));
	ATF_REQUIRE_EQ(rump_sys_close(fd), 0);
	errno = 0;
	ATF_REQUIRE_EQ(rump_sys_lstat(MNT "/d/two", &st), -1);
	ATF_REQUIRE_MSG(errno == EUCLEAN || errno == EIO, "lookup: %s",
	    strerror(errno));
	/* The rest of the file system still works. */
	rump_ls(MNT, 4096, &l);
	ATF_REQUIRE(entlist_find(&l, "d") != NULL);
	entlist_free(&l);
	img_umount(MNT);
}

/* damaged_case_fs on an ext2 image with 1 KiB blocks. */
static void
damaged_case(unsigned off, unsigned v)
{

	damaged_case_fs("-t ext2 -b 1024", "ext2", off, v);
}

ATF_TC(damaged_reclen_zero);
ATF_TC_HEAD(damaged_reclen_zero, tc)
{
	atf_tc_set_md_var(tc, "descr", "A directory entry with rec_len 0 is "
	    "an error, not a hang");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(damaged_reclen_zero, tc)
{

	/* rec_len of ".." (at byte 12 + 4). */
	damaged_case(16, 0);
}

ATF_TC(damaged_reclen_past_end);
ATF_TC_HEAD(damaged_reclen_past_end, tc)
{
	atf_tc_set_md_var(tc, "descr", "A directory entry whose rec_len "
	    "passes the end of the block is an error");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(damaged_reclen_past_end, tc)
{

	damaged_case(16, 2000);
}

ATF_TC(damaged_reclen_unaligned);
ATF_TC_HEAD(damaged_reclen_unaligned, tc)
{
	atf_tc_set_md_var(tc, "descr", "A rec_len that is not a multiple of 4 "
	    "or is shorter than its name is an error");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(damaged_reclen_unaligned, tc)
{

	damaged_case(16, 14);
	/* "." with rec_len 8, below the smallest record of 12 bytes. */
	damaged_case(4, 8);
}

ATF_TC(damaged_inode_range);
ATF_TC_HEAD(damaged_inode_range, tc)
{
	atf_tc_set_md_var(tc, "descr", "A directory entry naming an inode "
	    "past the inode count is an error");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(damaged_inode_range, tc)
{

	/* The inode number of "..": low 16 bits become 0xfff0. */
	damaged_case(12, 0xfff0);
}

ATF_TC(damaged_dir_checksum);
ATF_TC_HEAD(damaged_dir_checksum, tc)
{
	atf_tc_set_md_var(tc, "descr", "With metadata_csum, a directory block "
	    "whose checksum does not match is an error");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(damaged_dir_checksum, tc)
{

	/* Two bytes of the third entry's name: the structure stays valid. */
	damaged_case_fs("-t ext4 -b 1024 -O metadata_csum", "ext4", 32,
	    0x5958);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, readdir_hashed_10k);
	ATF_TP_ADD_TC(tp, readdir_hashed_1k_blocks);
	ATF_TP_ADD_TC(tp, readdir_linear_10k);
	ATF_TP_ADD_TC(tp, hash_versions);
	ATF_TP_ADD_TC(tp, readdir_ext4_csum);
	ATF_TP_ADD_TC(tp, readdir_rev0_dtype);
	ATF_TP_ADD_TC(tp, readdir_cookies);
	ATF_TP_ADD_TC(tp, readdir_concurrent);
	ATF_TP_ADD_TC(tp, hashed_create_unlink);
	ATF_TP_ADD_TC(tp, hashed_insert_keeps_index);
	ATF_TP_ADD_TC(tp, hashed_index_damaged);
	ATF_TP_ADD_TC(tp, names_255);
	ATF_TP_ADD_TC(tp, mkdir_rmdir_nlink);
	ATF_TP_ADD_TC(tp, mkdir_many_subdirs);
	ATF_TP_ADD_TC(tp, hard_links);
	ATF_TP_ADD_TC(tp, symlinks);
	ATF_TP_ADD_TC(tp, device_nodes_fifos);
	ATF_TP_ADD_TC(tp, enospc_undo);
	ATF_TP_ADD_TC(tp, errnos);
	ATF_TP_ADD_TC(tp, rename_files);
	ATF_TP_ADD_TC(tp, rename_dirs);
	ATF_TP_ADD_TC(tp, rename_exchange);
	ATF_TP_ADD_TC(tp, rename_hashed);
	ATF_TP_ADD_TC(tp, damaged_reclen_zero);
	ATF_TP_ADD_TC(tp, damaged_reclen_past_end);
	ATF_TP_ADD_TC(tp, damaged_reclen_unaligned);
	ATF_TP_ADD_TC(tp, damaged_inode_range);
	ATF_TP_ADD_TC(tp, damaged_dir_checksum);
	return atf_no_error();
}
