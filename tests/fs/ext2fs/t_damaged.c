/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Damaged ext2, ext3 and ext4 images must give errors, never a crash, an
 * assertion, a hang or a write to a read-only image.
 *
 * testdata: every image of the ext2-damaged collection (small images from
 * the e2fsprogs test suite, each broken in one way) is mounted read-only
 * and its whole tree walked: getdents64, lstat, readlink and a read of
 * every file.  Any mix of successes and errors passes.  Each image runs
 * in a child process that boots its own rump kernel, with a time limit,
 * so that a crash or a hang fails that image only.  The collection is
 * found through $EXT2_DAMAGED_DIR, the ATF variable ext2_damaged_dir, or
 * as shared/testdata/ext2-damaged next to the source tree that contains
 * this test program.  The case is skipped when none of them exists.
 *
 * The other cases damage fresh mke2fs images in one known way, at offsets
 * read from dumpe2fs and debugfs.  They require the errno a driver must
 * give (EUCLEAN for corruption, EIO, EINVAL at mount), again in a child
 * with a time limit.  The image must be byte-identical after every
 * read-only mount.
 */

#include <sys/types.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <atf-c.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include "h_fsimage.h"

#ifndef EUCLEAN
#define EUCLEAN		117	/* Linux's EFSCORRUPTED */
#endif

#define SRC		"src"
#define IMG		"img"
#define KEY		"/dev/img"
#define MNT		"/mnt"

#define CHILD_SECONDS	30	/* per image or phase */
#define TESTDATA_BUDGET	900	/* seconds for the whole collection */

/*
 * What a child saw, sent to the parent through a pipe.  There is one bit
 * per kind of errno and one for a failed mount.  SEEN_WRONG marks a
 * result that is wrong even for a damaged image.  The child's exit status
 * is 0 unless the test itself failed (CHILD_HARNESS) or a sanitizer
 * stopped it, so that no exit status can pass for a set of bits.
 */
#define SEEN_EUCLEAN	0x01
#define SEEN_EIO	0x02
#define SEEN_EINVAL	0x04
#define SEEN_ENOSPC	0x08
#define SEEN_OTHER	0x10	/* any other errno */
#define SEEN_NOMOUNT	0x20	/* the mount failed */
#define SEEN_WRONG	0x40	/* e.g. an endless getdents64, bad statfs */

#define CHILD_HARNESS	3	/* exit status: rump_init or etfs failed */

#define SEEN_DAMAGE	(SEEN_EUCLEAN | SEEN_EIO | SEEN_EINVAL)

/* Walk limits: a damaged directory must not keep a walk going forever. */
#define WALK_MAX_DEPTH	64
#define WALK_MAX_ENTRIES 200000
#define WALK_MAX_FILE	(64 << 20)

struct probe {
	const char *name;	/* for messages */
	const char *img;
	unsigned long mflags;
	void	(*ops)(struct probe *);	/* after the walk, or NULL */
	int	reportfd;		/* the child writes seen here */
	int	seen;
	unsigned long entries, files, errors, messages;
	ino_t	*visited;	/* directories walked, against loops */
	size_t	nvisited, capvisited;
	unsigned char *buf;
};

/* ------------------------------------------------------------------ */
/* The child: mount, walk, operate.  No ATF here. */

/* Record errno e of op on path. */
static void
probe_error(struct probe *p, const char *op, const char *path, int e)
{

	p->errors++;
	switch (e) {
	case EUCLEAN:	p->seen |= SEEN_EUCLEAN; break;
	case EIO:	p->seen |= SEEN_EIO; break;
	case EINVAL:	p->seen |= SEEN_EINVAL; break;
	case ENOSPC:	p->seen |= SEEN_ENOSPC; break;
	default:	p->seen |= SEEN_OTHER; break;
	}
	if (p->messages++ < 12)
		fprintf(stderr, "%s: %s %s: %s\n", p->name, op, path,
		    strerror(e));
}

static void
probe_wrong(struct probe *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
probe_wrong(struct probe *p, const char *fmt, ...)
{
	va_list ap;

	p->seen |= SEEN_WRONG;
	fprintf(stderr, "%s: ", p->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* True when the directory ino was walked already; remembers it. */
static bool
probe_visited(struct probe *p, ino_t ino)
{
	size_t i;

	for (i = 0; i < p->nvisited; i++)
		if (p->visited[i] == ino)
			return true;
	if (p->nvisited == p->capvisited) {
		p->capvisited = p->capvisited ? p->capvisited * 2 : 64;
		p->visited = realloc(p->visited,
		    p->capvisited * sizeof(*p->visited));
		if (p->visited == NULL)
			_exit(CHILD_HARNESS);
	}
	p->visited[p->nvisited++] = ino;
	return false;
}

static void
probe_read_file(struct probe *p, const char *path)
{
	off_t total = 0;
	ssize_t n;
	int fd;

	fd = rump_sys_open(path, O_RDONLY);
	if (fd < 0) {
		probe_error(p, "open", path, errno);
		return;
	}
	p->files++;
	while (total < WALK_MAX_FILE &&
	    (n = rump_sys_read(fd, p->buf, 1 << 16)) > 0)
		total += n;
	if (total < WALK_MAX_FILE && n < 0)
		probe_error(p, "read", path, errno);
	rump_sys_close(fd);
}

static void
probe_walk(struct probe *p, const char *dir, int depth)
{
	char *buf, path[PATH_MAX + 300], target[PATH_MAX];
	unsigned long here = 0;
	struct dirent64 *d;
	struct stat st;
	ssize_t n, off;
	int fd;

	fd = rump_sys_open(dir, O_RDONLY | O_DIRECTORY);
	if (fd < 0) {
		probe_error(p, "open", dir, errno);
		return;
	}
	buf = malloc(16384);
	if (buf == NULL)
		_exit(CHILD_HARNESS);
	while ((n = rump_sys_getdents64(fd, buf, 16384)) > 0) {
		for (off = 0; off < n; off += d->d_reclen) {
			d = (struct dirent64 *)(buf + off);
			if (d->d_reclen < offsetof(struct dirent64, d_name) + 1 ||
			    off + d->d_reclen > n) {
				probe_wrong(p, "getdents64 %s: a record of "
				    "%u bytes at %zd of %zd", dir, d->d_reclen,
				    off, n);
				goto out;
			}
			if (++here > WALK_MAX_ENTRIES) {
				probe_wrong(p, "getdents64 %s: more than %d "
				    "entries; endless?", dir, WALK_MAX_ENTRIES);
				goto out;
			}
			p->entries++;
			if (strcmp(d->d_name, ".") == 0 ||
			    strcmp(d->d_name, "..") == 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
			if (rump_sys_lstat(path, &st) != 0) {
				probe_error(p, "lstat", path, errno);
				continue;
			}
			if (S_ISDIR(st.st_mode)) {
				if (depth < WALK_MAX_DEPTH &&
				    !probe_visited(p, st.st_ino))
					probe_walk(p, path, depth + 1);
			} else if (S_ISREG(st.st_mode)) {
				probe_read_file(p, path);
			} else if (S_ISLNK(st.st_mode)) {
				if (rump_sys_readlink(path, target,
				    sizeof(target)) < 0)
					probe_error(p, "readlink", path, errno);
			}
		}
	}
	if (n < 0)
		probe_error(p, "getdents64", dir, errno);
out:
	free(buf);
	rump_sys_close(fd);
}

/* Mount, walk and operate.  Returns the SEEN_* bits, or -1. */
static int
probe_body(struct probe *p)
{
	struct statfs sf;
	struct stat st;
	int error;

	p->buf = malloc(1 << 16);
	if (p->buf == NULL || rump_init() != 0)
		return -1;
	error = rump_pub_etfs_register(KEY, p->img, RUMP_ETFS_BLK);
	if (error != 0) {
		/* An empty or truncated file cannot be a block device. */
		if (stat(p->img, &st) == 0 && st.st_size < 4096) {
			printf("%s: etfs rejects a %lld-byte image: %s\n",
			    p->name, (long long)st.st_size, strerror(error));
			return SEEN_NOMOUNT;
		}
		fprintf(stderr, "%s: etfs register: %s\n", p->name,
		    strerror(error));
		return -1;
	}
	error = img_try_mount(KEY, MNT, "ext2fs", p->mflags);
	if (error != 0) {
		probe_error(p, "mount", p->img, error);
		p->seen |= SEEN_NOMOUNT;
		printf("%s: mount: %s\n", p->name, strerror(error));
		return p->seen;
	}

	if (rump_sys_statfs(MNT, &sf) != 0) {
		probe_error(p, "statfs", MNT, errno);
	} else if (sf.f_bfree > sf.f_blocks || sf.f_bavail > sf.f_blocks ||
	    sf.f_ffree > sf.f_files) {
		probe_wrong(p, "statfs: %llu of %llu blocks free, %llu of %llu "
		    "inodes", (unsigned long long)sf.f_bfree,
		    (unsigned long long)sf.f_blocks,
		    (unsigned long long)sf.f_ffree,
		    (unsigned long long)sf.f_files);
	}
	if (rump_sys_lstat(MNT, &st) != 0)
		probe_error(p, "lstat", MNT, errno);
	else
		probe_visited(p, st.st_ino);
	probe_walk(p, MNT, 0);
	if (p->ops != NULL)
		p->ops(p);
	if (rump_sys_umount(MNT) != 0)
		probe_error(p, "umount", MNT, errno);
	printf("%s: mounted; %lu entries, %lu files read, %lu errors\n",
	    p->name, p->entries, p->files, p->errors);
	return p->seen;
}

/* Run in the child: the exit status is 0 or CHILD_HARNESS. */
static int
probe_child(void *arg)
{
	struct probe *p = arg;
	int seen;

	seen = probe_body(p);
	if (seen < 0)
		return CHILD_HARNESS;
	if (write(p->reportfd, &seen, sizeof(seen)) != sizeof(seen))
		return CHILD_HARNESS;
	return 0;
}

/*
 * Run one probe of img in a child.  Returns the SEEN_* bits, or -1 after
 * reporting a crash, a hang or a failure of the test itself.
 */
static int
probe_run(const char *name, const char *img, unsigned long mflags,
    void (*ops)(struct probe *))
{
	struct probe p = { .name = name, .img = img, .mflags = mflags,
	    .ops = ops };
	enum img_child_result res;
	int status = -1, seen = 0, fds[2];
	char why[200];
	ssize_t n;

	ATF_REQUIRE_EQ(pipe(fds), 0);
	p.reportfd = fds[1];
	res = img_child(probe_child, &p, CHILD_SECONDS, why, sizeof(why),
	    &status);
	close(fds[1]);
	n = read(fds[0], &seen, sizeof(seen));
	close(fds[0]);
	if (res != IMG_CHILD_EXITED) {
		ATF_CHECK_MSG(false, "%s: %s", name, why);
		return -1;
	}
	if (status == CHILD_HARNESS) {
		ATF_CHECK_MSG(false, "%s: the test could not boot a kernel or "
		    "register the image", name);
		return -1;
	}
	if (status != 0 || n != sizeof(seen)) {
		ATF_CHECK_MSG(false, "%s: the child exited with status %d (a "
		    "sanitizer report?  see stderr)", name, status);
		return -1;
	}
	ATF_CHECK_MSG(!(seen & SEEN_WRONG), "%s: wrong results (see "
	    "stderr)", name);
	return (seen & SEEN_WRONG) ? -1 : seen;
}

/* A read-only probe that must leave the image as it was. */
static int
probe_ro(const char *name, const char *img)
{
	uint64_t before;
	int seen;

	before = img_hash_file(img);
	seen = probe_run(name, img, MS_RDONLY, NULL);
	ATF_CHECK_MSG(img_hash_file(img) == before, "%s: a read-only mount "
	    "changed the image", name);
	return seen;
}

/* ------------------------------------------------------------------ */
/* The ext2-damaged collection. */

/* The source tree above the directory of this program, or NULL. */
static char *
find_source_root(void)
{
	static char dir[PATH_MAX];
	char probe[PATH_MAX + 32], *slash;
	ssize_t n;

	n = readlink("/proc/self/exe", dir, sizeof(dir) - 1);
	if (n <= 0)
		return NULL;
	dir[n] = '\0';
	while ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		snprintf(probe, sizeof(probe), "%s/sys/fs/ext2fs", dir);
		if (access(probe, F_OK) == 0)
			return dir;
	}
	return NULL;
}

static const char *
find_testdata(const atf_tc_t *tc)
{
	static char path[PATH_MAX + 64];
	const char *v;
	char *root;

	v = getenv("EXT2_DAMAGED_DIR");
	if (v != NULL && *v != '\0')
		return v;
	if (atf_tc_has_config_var(tc, "ext2_damaged_dir"))
		return atf_tc_get_config_var(tc, "ext2_damaged_dir");
	root = find_source_root();
	if (root == NULL)
		return NULL;
	snprintf(path, sizeof(path), "%s/../shared/testdata/ext2-damaged",
	    root);
	return access(path, R_OK) == 0 ? path : NULL;
}

static int
cmp_names(const void *a, const void *b)
{

	return strcmp(*(char *const *)a, *(char *const *)b);
}

ATF_TC(testdata);
ATF_TC_HEAD(testdata, tc)
{
	atf_tc_set_md_var(tc, "descr", "each image of the ext2-damaged "
	    "collection mounts read-only and walks to the end, or fails "
	    "with an errno; no crash, hang or change to the image");
	atf_tc_set_md_var(tc, "timeout", "1200");
}
ATF_TC_BODY(testdata, tc)
{
	unsigned long mounted = 0, refused = 0, survived = 0, total = 0;
	struct timespec start, now;
	const char *dir;
	char **names = NULL, *name, path[PATH_MAX * 2];
	size_t n = 0, cap = 0, i, len;
	struct dirent *d;
	DIR *dp;
	int seen;

	dir = find_testdata(tc);
	if (dir == NULL)
		atf_tc_skip("the ext2-damaged images are missing: set "
		    "EXT2_DAMAGED_DIR to their folder");
	dp = opendir(dir);
	ATF_REQUIRE_MSG(dp != NULL, "open %s: %s", dir, strerror(errno));
	while ((d = readdir(dp)) != NULL) {
		len = strlen(d->d_name);
		if (strstr(d->d_name, ".img") == NULL)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			names = realloc(names, cap * sizeof(*names));
			ATF_REQUIRE(names != NULL);
		}
		names[n] = strdup(d->d_name);
		ATF_REQUIRE(names[n] != NULL);
		n++;
	}
	closedir(dp);
	qsort(names, n, sizeof(*names), cmp_names);
	printf("%zu images in %s\n", n, dir);

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (i = 0; i < n; i++) {
		name = names[i];
		len = strlen(name);
		if (len > 3 && strcmp(name + len - 3, ".gz") == 0)
			IMG_RUN_OK("gzip -dc '%s/%s' > %s", dir, name, IMG);
		else if (len > 4 && strcmp(name + len - 4, ".bz2") == 0)
			IMG_RUN_OK("bzip2 -dc '%s/%s' > %s", dir, name, IMG);
		else
			IMG_RUN_OK("cp '%s/%s' %s && chmod 644 %s", dir, name,
			    IMG, IMG);

		total++;
		seen = probe_ro(name, IMG);
		if (seen >= 0) {
			survived++;
			if (seen & SEEN_NOMOUNT)
				refused++;
			else
				mounted++;
		}
		snprintf(path, sizeof(path), "%s", IMG);
		unlink(path);

		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec > TESTDATA_BUDGET) {
			ATF_CHECK_MSG(false, "stopped after %lu of %zu images: "
			    "more than %d s", total, n, TESTDATA_BUDGET);
			break;
		}
	}
	printf("%lu images: %lu mounted and walked, %lu refused at mount, "
	    "%lu crashed, hung or gave wrong results\n", total, mounted,
	    refused, total - survived);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* ------------------------------------------------------------------ */
/* Hand-made damage. */

static int blocksize;

/* Make the image from a small tree: dirs a/b/c and d, files good, big. */
static void
make_image(int bsize)
{
	char path[64];
	int i;

	blocksize = bsize;
	img_require_e2fsprogs();
	IMG_RUN_OK("mkdir -p %s/a/b/c %s/d %s/x && head -c 3000 /dev/zero | "
	    "tr '\\0' g > %s/good && head -c 40000 /dev/zero | tr '\\0' B > "
	    "%s/big && ln -s good %s/link", SRC, SRC, SRC, SRC, SRC, SRC);
	for (i = 0; i < 20; i++) {
		snprintf(path, sizeof(path), "%s/d/file%02d", SRC, i);
		IMG_RUN_OK("echo %d > %s", i, path);
	}
	IMG_RUN_OK("mke2fs -q -F -t ext2 -b %d -d %s %s 16M", bsize, SRC, IMG);
}

static void
patch(off_t off, const void *data, size_t len)
{
	int fd;

	fd = open(IMG, O_WRONLY);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE_EQ(pwrite(fd, data, len, off), (ssize_t)len);
	ATF_REQUIRE_EQ(close(fd), 0);
}

static void
patch32(off_t off, uint32_t v)
{
	unsigned char b[4] = { v, v >> 8, v >> 16, v >> 24 };

	patch(off, b, 4);
}

static void
patch16(off_t off, uint16_t v)
{
	unsigned char b[2] = { v, v >> 8 };

	patch(off, b, 2);
}

static uint32_t
read32(off_t off)
{
	unsigned char b[4];
	int fd;

	fd = open(IMG, O_RDONLY);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE_EQ(pread(fd, b, 4, off), 4);
	close(fd);
	return b[0] | b[1] << 8 | b[2] << 16 | (uint32_t)b[3] << 24;
}

/* The number after "label" in the output of a command, or -1. */
static long long
number_after(const char *out, const char *label)
{
	const char *p;

	p = strstr(out, label);
	if (p == NULL)
		return -1;
	return strtoll(p + strlen(label), NULL, 0);
}

/* The inode number and byte offset of the inode at path in the image. */
static void
inode_of(const char *path, unsigned long *inop, off_t *offp)
{
	char out[2048];
	long long ino, blk, off;
	const char *p;

	img_run(out, sizeof(out), "debugfs -R 'imap %s' %s", path, IMG);
	ino = number_after(out, "Inode ");
	blk = number_after(out, "located at block ");
	p = strstr(out, "offset ");
	ATF_REQUIRE_MSG(ino > 0 && blk > 0 && p != NULL, "debugfs imap %s: %s",
	    path, out);
	off = strtoll(p + strlen("offset "), NULL, 16);
	*inop = (unsigned long)ino;
	*offp = (off_t)blk * blocksize + off;
}

/* The first data block of path. */
static long long
first_block(const char *path)
{
	char out[4096];
	long long b;

	img_run(out, sizeof(out), "debugfs -R 'blocks %s' %s 2>/dev/null",
	    path, IMG);
	b = strtoll(out, NULL, 10);
	ATF_REQUIRE_MSG(b > 0, "debugfs blocks %s: %s", path, out);
	return b;
}

/* A field of group g from dumpe2fs, e.g. "Inode table at ". */
static long long
group_field(int g, const char *label)
{
	static char out[65536];
	char head[32];
	const char *p;

	img_run(out, sizeof(out), "dumpe2fs %s", IMG);
	snprintf(head, sizeof(head), "Group %d:", g);
	p = strstr(out, head);
	ATF_REQUIRE_MSG(p != NULL, "dumpe2fs shows no %s", head);
	return number_after(p, label);
}

/*
 * The byte offset of the entry called name in the first block of the
 * directory dir, found by walking the block's rec_len chain.
 */
static off_t
dirent_offset(const char *dir, const char *name)
{
	unsigned char *blk;
	off_t base;
	size_t off = 0, rec, nlen;
	int fd;

	base = (off_t)first_block(dir) * blocksize;
	blk = malloc(blocksize);
	ATF_REQUIRE(blk != NULL);
	fd = open(IMG, O_RDONLY);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE_EQ(pread(fd, blk, blocksize, base), blocksize);
	close(fd);
	while (off + 8 <= (size_t)blocksize) {
		rec = blk[off + 4] | blk[off + 5] << 8;
		nlen = blk[off + 6];
		if (nlen == strlen(name) && memcmp(blk + off + 8, name,
		    nlen) == 0) {
			free(blk);
			return base + (off_t)off;
		}
		ATF_REQUIRE(rec >= 12);
		off += rec;
	}
	free(blk);
	atf_tc_fail("no entry %s in the first block of %s", name, dir);
	return -1;
}

/* Superblock fields: byte offsets from the start of the device. */
#define SB		1024
#define SB_INODES	(SB + 0)
#define SB_BLOCKS	(SB + 4)
#define SB_FREE_BLOCKS	(SB + 12)
#define SB_FREE_INODES	(SB + 16)
#define SB_FIRST_DATA	(SB + 20)
#define SB_LOG_BSIZE	(SB + 24)
#define SB_BPG		(SB + 32)
#define SB_IPG		(SB + 40)
#define SB_MAGIC	(SB + 56)
#define SB_INODE_SIZE	(SB + 88)

/* Group descriptor fields (32-byte descriptors). */
#define GD_BLOCK_BITMAP	0
#define GD_INODE_BITMAP	4
#define GD_INODE_TABLE	8
#define GD_FREE_INODES	14

/* Inode fields. */
#define INO_BLOCK	40	/* i_block[0] */
#define INO_IND		(40 + 12 * 4)	/* i_block[12] */

/* The byte offset of group g's descriptor, checked against dumpe2fs. */
static off_t
gd_offset(int g)
{
	off_t gdt, off;

	gdt = (off_t)(blocksize == 1024 ? 2 : 1) * blocksize;
	off = gdt + 32 * g;
	ATF_REQUIRE_EQ_MSG(read32(off + GD_BLOCK_BITMAP),
	    (uint32_t)group_field(g, "Block bitmap at "), "the descriptor of "
	    "group %d is not where it was expected", g);
	return off;
}

/* The test damaged the image for real: e2fsck -fn notices. */
static void
require_fsck_notices(const char *name)
{
	char out[4096];
	int st;

	st = img_run(out, sizeof(out), "e2fsck -fn %s", IMG);
	ATF_REQUIRE_MSG(st != 0 || strstr(out, "Corrupt") != NULL, "%s: "
	    "e2fsck finds nothing wrong; the patch missed", name);
}

/* A probe must have seen one of EUCLEAN, EIO and EINVAL. */
static void
require_damage_errno(const char *name, int seen)
{

	if (seen < 0)
		return;
	ATF_CHECK_MSG(seen & SEEN_DAMAGE, "%s: no EUCLEAN, EIO or EINVAL "
	    "(seen bits %#x): the damage went unnoticed", name, seen);
}

/* Operations of a read-write probe. */

static void
ops_write_all(struct probe *p)
{
	static const char data[8192];
	int fd;

	fd = rump_sys_open(MNT "/newfile", O_CREAT | O_WRONLY, 0644);
	if (fd < 0) {
		probe_error(p, "create", MNT "/newfile", errno);
	} else {
		if (rump_sys_write(fd, data, sizeof(data)) < 0)
			probe_error(p, "write", MNT "/newfile", errno);
		if (rump_sys_fsync(fd) < 0)
			probe_error(p, "fsync", MNT "/newfile", errno);
		rump_sys_close(fd);
	}
	if (rump_sys_mkdir(MNT "/newdir", 0755) < 0)
		probe_error(p, "mkdir", MNT "/newdir", errno);
	if (rump_sys_mkdir(MNT "/d/newdir", 0755) < 0)
		probe_error(p, "mkdir", MNT "/d/newdir", errno);
	fd = rump_sys_open(MNT "/big", O_WRONLY);
	if (fd < 0) {
		probe_error(p, "open", MNT "/big", errno);
	} else {
		if (rump_sys_pwrite(fd, data, sizeof(data), 100) < 0)
			probe_error(p, "write", MNT "/big", errno);
		rump_sys_close(fd);
	}
	if (rump_sys_truncate(MNT "/big", 0) < 0)
		probe_error(p, "truncate", MNT "/big", errno);
	if (rump_sys_unlink(MNT "/d/file05") < 0)
		probe_error(p, "unlink", MNT "/d/file05", errno);
	if (rump_sys_rename(MNT "/x", MNT "/a/b/c/x") < 0)
		probe_error(p, "rename", MNT "/x", errno);
	if (rump_sys_rmdir(MNT "/a/b/c") < 0)
		probe_error(p, "rmdir", MNT "/a/b/c", errno);
	rump_sys_sync();
}

/* The read-only probe, then a read-write one with ops_write_all. */
static int
probe_ro_rw(const char *name)
{
	char rwname[128];
	int seen, seen2;

	seen = probe_ro(name, IMG);
	snprintf(rwname, sizeof(rwname), "%s (read-write)", name);
	seen2 = probe_run(rwname, IMG, 0, ops_write_all);
	if (seen < 0 || seen2 < 0)
		return -1;
	return seen | seen2;
}

ATF_TC(bad_magic);
ATF_TC_HEAD(bad_magic, tc)
{
	atf_tc_set_md_var(tc, "descr", "a wrong superblock magic number "
	    "fails the mount with EINVAL");
}
ATF_TC_BODY(bad_magic, tc)
{
	int seen;

	make_image(1024);
	patch16(SB_MAGIC, 0xEF54);
	seen = probe_ro("bad_magic", IMG);
	ATF_CHECK_MSG(seen < 0 || seen == (SEEN_NOMOUNT | SEEN_EINVAL),
	    "the mount must fail with EINVAL alone (seen bits %#x)", seen);
}

ATF_TC(bad_superblock);
ATF_TC_HEAD(bad_superblock, tc)
{
	atf_tc_set_md_var(tc, "descr", "impossible superblock geometry "
	    "fails the mount with EINVAL or EUCLEAN, never a crash");
}
ATF_TC_BODY(bad_superblock, tc)
{
	static const struct {
		const char *name;
		off_t	off;
		int	size;
		uint32_t value;
	} cases[] = {
		{ "log_block_size 30", SB_LOG_BSIZE, 4, 30 },
		{ "blocks_per_group 0", SB_BPG, 4, 0 },
		{ "inodes_per_group 0", SB_IPG, 4, 0 },
		{ "blocks_per_group past a bitmap", SB_BPG, 4, 1024 * 8 + 8 },
		{ "first_data_block past the end", SB_FIRST_DATA, 4, 1 << 30 },
		{ "blocks_count 0", SB_BLOCKS, 4, 0 },
		{ "inodes_count 0", SB_INODES, 4, 0 },
		{ "inode_size 7", SB_INODE_SIZE, 2, 7 },
		{ "inode_size 65535", SB_INODE_SIZE, 2, 65535 },
	};
	size_t i;
	int seen;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unlink(IMG);
		IMG_RUN_OK("rm -rf %s", SRC);
		make_image(1024);
		if (cases[i].size == 2)
			patch16(cases[i].off, (uint16_t)cases[i].value);
		else
			patch32(cases[i].off, cases[i].value);
		seen = probe_ro(cases[i].name, IMG);
		if (seen < 0)
			continue;
		ATF_CHECK_MSG(seen & SEEN_NOMOUNT, "%s: the mount succeeded",
		    cases[i].name);
		require_damage_errno(cases[i].name, seen);
	}
}

static void
gd_case(const char *name, int bsize, int field)
{
	int seen;

	make_image(bsize);
	patch32(gd_offset(0) + field, (uint32_t)read32(SB_BLOCKS) + 1000);
	require_fsck_notices(name);
	seen = probe_ro_rw(name);
	require_damage_errno(name, seen);
}

ATF_TC(gd_block_bitmap);
ATF_TC_HEAD(gd_block_bitmap, tc)
{
	atf_tc_set_md_var(tc, "descr", "a group descriptor's block bitmap "
	    "past the device gives EUCLEAN, EIO or EINVAL");
}
ATF_TC_BODY(gd_block_bitmap, tc)
{

	gd_case("block bitmap past the end", 1024, GD_BLOCK_BITMAP);
}

ATF_TC(gd_inode_bitmap);
ATF_TC_HEAD(gd_inode_bitmap, tc)
{
	atf_tc_set_md_var(tc, "descr", "a group descriptor's inode bitmap "
	    "past the device gives EUCLEAN, EIO or EINVAL");
}
ATF_TC_BODY(gd_inode_bitmap, tc)
{

	gd_case("inode bitmap past the end", 4096, GD_INODE_BITMAP);
}

ATF_TC(gd_inode_table);
ATF_TC_HEAD(gd_inode_table, tc)
{
	atf_tc_set_md_var(tc, "descr", "a group descriptor's inode table "
	    "past the device gives EUCLEAN, EIO or EINVAL");
}
ATF_TC_BODY(gd_inode_table, tc)
{

	gd_case("inode table past the end", 1024, GD_INODE_TABLE);
}

/* Reading the damaged file fails, the undamaged one still reads right. */
static void
ops_read_good(struct probe *p)
{
	char buf[3001];
	ssize_t n;
	int fd, i;

	fd = rump_sys_open(MNT "/good", O_RDONLY);
	if (fd < 0) {
		probe_error(p, "open", MNT "/good", errno);
		return;
	}
	n = rump_sys_read(fd, buf, sizeof(buf));
	rump_sys_close(fd);
	if (n < 0) {
		probe_error(p, "read", MNT "/good", errno);
		return;
	}
	for (i = 0; i < n && buf[i] == 'g'; i++)
		continue;
	if (n != 3000 || i != n)
		probe_wrong(p, "the undamaged file reads %zd bytes, %d right",
		    n, i);
}

ATF_TC(block_past_end);
ATF_TC_HEAD(block_past_end, tc)
{
	atf_tc_set_md_var(tc, "descr", "direct and indirect block pointers "
	    "past the device give EUCLEAN or EIO; other files still read");
}
ATF_TC_BODY(block_past_end, tc)
{
	unsigned long ino;
	uint32_t past;
	off_t off;
	int seen, seen2;

	make_image(1024);
	past = read32(SB_BLOCKS) + 5;
	inode_of("/big", &ino, &off);
	patch32(off + INO_BLOCK, past);
	patch32(off + INO_IND, past + 100);
	require_fsck_notices("block pointers past the end");
	seen = probe_ro("block pointers past the end", IMG);
	if (seen >= 0)
		ATF_CHECK_MSG(seen & (SEEN_EUCLEAN | SEEN_EIO), "reading /big "
		    "gave no EUCLEAN or EIO (seen bits %#x)", seen);
	seen2 = probe_run("block pointers past the end, /good", IMG,
	    MS_RDONLY, ops_read_good);
	(void)seen2;
	seen = probe_run("block pointers past the end (read-write)", IMG, 0,
	    ops_write_all);
	(void)seen;
}

static void
rec_len_case(const char *name, uint16_t (*value)(off_t))
{
	off_t off;
	int seen;

	make_image(1024);
	off = dirent_offset("/d", "file03");
	patch16(off + 4, value(off));
	require_fsck_notices(name);
	seen = probe_ro_rw(name);
	if (seen >= 0)
		ATF_CHECK_MSG(seen & (SEEN_EUCLEAN | SEEN_EIO), "%s: no EUCLEAN "
		    "or EIO (seen bits %#x)", name, seen);
}

static uint16_t
rec_len_zero(off_t off)
{

	return 0;
}

static uint16_t
rec_len_past_block(off_t off)
{

	return (uint16_t)(blocksize - off % blocksize + 64);
}

static uint16_t
rec_len_short(off_t off)
{

	return 8;
}

ATF_TC(rec_len_zero);
ATF_TC_HEAD(rec_len_zero, tc)
{
	atf_tc_set_md_var(tc, "descr", "a directory entry with rec_len 0 "
	    "gives EUCLEAN or EIO, not an endless loop");
}
ATF_TC_BODY(rec_len_zero, tc)
{

	rec_len_case("rec_len 0", rec_len_zero);
}

ATF_TC(rec_len_past_block);
ATF_TC_HEAD(rec_len_past_block, tc)
{
	atf_tc_set_md_var(tc, "descr", "a directory entry whose rec_len ends "
	    "past the block gives EUCLEAN or EIO");
}
ATF_TC_BODY(rec_len_past_block, tc)
{

	rec_len_case("rec_len past the block", rec_len_past_block);
}

ATF_TC(rec_len_short);
ATF_TC_HEAD(rec_len_short, tc)
{
	atf_tc_set_md_var(tc, "descr", "a directory entry with rec_len 8, "
	    "shorter than its header and name, gives EUCLEAN or EIO");
}
ATF_TC_BODY(rec_len_short, tc)
{

	rec_len_case("rec_len 8", rec_len_short);
}

/* Look up, list and rename through the loop; results may vary. */
static void
ops_loop(struct probe *p)
{
	char path[PATH_MAX], cwd[PATH_MAX];
	struct stat st;
	int i;

	strcpy(path, MNT "/a/b/c");
	for (i = 0; i < 40; i++) {
		if (rump_sys_stat(path, &st) < 0) {
			probe_error(p, "stat", path, errno);
			break;
		}
		strcat(path, i % 2 == 0 ? "/b" : "/c");
	}
	if (rump_sys_chdir(MNT "/a/b/c/b/c") == 0) {
		if (rump_sys_getcwd(cwd, sizeof(cwd)) == NULL)
			probe_error(p, "getcwd", MNT "/a/b/c/b/c", errno);
		rump_sys_chdir("/");
	}
	if (p->mflags & MS_RDONLY)
		return;
	if (rump_sys_rename(MNT "/x", MNT "/a/b/c/x") < 0)
		probe_error(p, "rename", MNT "/x", errno);
	if (rump_sys_rename(MNT "/a", MNT "/a/b/c/a2") < 0)
		probe_error(p, "rename", MNT "/a", errno);
	if (rump_sys_rename(MNT "/a/b", MNT "/d/b") < 0)
		probe_error(p, "rename", MNT "/a/b", errno);
	if (rump_sys_rmdir(MNT "/d/b/c") < 0)
		probe_error(p, "rmdir", MNT "/d/b/c", errno);
	if (rump_sys_mkdir(MNT "/a/b/c/new", 0755) < 0)
		probe_error(p, "mkdir", MNT "/a/b/c/new", errno);
}

ATF_TC(dir_loop);
ATF_TC_HEAD(dir_loop, tc)
{
	atf_tc_set_md_var(tc, "descr", "a subdirectory entry that points at "
	    "an ancestor: walks, lookups and renames end, no crash or hang");
}
ATF_TC_BODY(dir_loop, tc)
{
	unsigned long ino;
	uint64_t before;
	off_t ioff;
	int seen;

	make_image(1024);
	inode_of("/a", &ino, &ioff);
	patch32(dirent_offset("/a/b", "c"), (uint32_t)ino);
	require_fsck_notices("a/b/c is a");
	before = img_hash_file(IMG);
	seen = probe_run("a/b/c is a", IMG, MS_RDONLY, ops_loop);
	ATF_CHECK_MSG(img_hash_file(IMG) == before, "a read-only mount "
	    "changed the image");
	seen = probe_run("a/b/c is a (read-write)", IMG, 0, ops_loop);
	(void)seen;
}

ATF_TC(dotdot_loop);
ATF_TC_HEAD(dotdot_loop, tc)
{
	atf_tc_set_md_var(tc, "descr", "a \"..\" entry that points at a "
	    "subdirectory: a rename that climbs \"..\" fails with EUCLEAN, "
	    "EIO or EINVAL instead of looping");
}
ATF_TC_BODY(dotdot_loop, tc)
{
	unsigned long ino;
	uint64_t before;
	off_t ioff;
	int seen;

	make_image(1024);
	inode_of("/a/b/c", &ino, &ioff);
	patch32(dirent_offset("/a/b", ".."), (uint32_t)ino);
	require_fsck_notices("a/b/.. is a/b/c");
	before = img_hash_file(IMG);
	seen = probe_run("a/b/.. is a/b/c", IMG, MS_RDONLY, ops_loop);
	ATF_CHECK_MSG(img_hash_file(IMG) == before, "a read-only mount "
	    "changed the image");
	/* A rename into the loop climbs ".." and never reaches the root. */
	seen = probe_run("a/b/.. is a/b/c (read-write)", IMG, 0, ops_loop);
	require_damage_errno("a/b/.. is a/b/c (read-write)", seen);
}

/* Creating files when no inode is free must fail, whatever the counts. */
static void
ops_create_many(struct probe *p)
{
	char path[64];
	int i, fd, made = 0;

	for (i = 0; i < 50; i++) {
		snprintf(path, sizeof(path), MNT "/new%d", i);
		fd = rump_sys_open(path, O_CREAT | O_WRONLY, 0644);
		if (fd < 0) {
			probe_error(p, "create", path, errno);
			continue;
		}
		made++;
		rump_sys_close(fd);
	}
	if (made > 0)
		probe_wrong(p, "%d files created although the inode bitmaps "
		    "have no free bit", made);
}

ATF_TC(inode_counts_bitmap_full);
ATF_TC_HEAD(inode_counts_bitmap_full, tc)
{
	atf_tc_set_md_var(tc, "descr", "free inode counts that disagree with "
	    "full inode bitmaps: creating a file fails with ENOSPC, EUCLEAN "
	    "or EIO and never takes a used inode");
}
ATF_TC_BODY(inode_counts_bitmap_full, tc)
{
	unsigned char *ones;
	long long bitmap;
	int g, seen;

	make_image(1024);
	ones = malloc(blocksize);
	ATF_REQUIRE(ones != NULL);
	memset(ones, 0xff, blocksize);
	for (g = 0; g < 2; g++) {
		bitmap = group_field(g, "Inode bitmap at ");
		ATF_REQUIRE(bitmap > 0);
		patch((off_t)bitmap * blocksize, ones, blocksize);
	}
	free(ones);
	require_fsck_notices("full inode bitmaps");
	seen = probe_ro("full inode bitmaps", IMG);
	seen = probe_run("full inode bitmaps (read-write)", IMG, 0,
	    ops_create_many);
	if (seen >= 0)
		ATF_CHECK_MSG(seen & (SEEN_ENOSPC | SEEN_DAMAGE), "no ENOSPC, "
		    "EUCLEAN or EIO (seen bits %#x)", seen);
}

ATF_TC(inode_counts_too_high);
ATF_TC_HEAD(inode_counts_too_high, tc)
{
	atf_tc_set_md_var(tc, "descr", "free inode counts above the number "
	    "of inodes: an errno at mount, or sane statfs figures");
}
ATF_TC_BODY(inode_counts_too_high, tc)
{
	uint32_t inodes, ipg;
	int seen;

	make_image(1024);
	inodes = read32(SB_INODES);
	ipg = read32(SB_IPG);
	patch32(SB_FREE_INODES, inodes + 1000);
	patch16(gd_offset(0) + GD_FREE_INODES, (uint16_t)(ipg + 500));
	require_fsck_notices("free inode counts too high");
	/* probe_child checks f_ffree <= f_files. */
	seen = probe_ro_rw("free inode counts too high");
	(void)seen;
}

ATF_TC(inode_counts_zero);
ATF_TC_HEAD(inode_counts_zero, tc)
{
	atf_tc_set_md_var(tc, "descr", "free inode counts of 0 while the "
	    "bitmaps have free inodes: creates succeed or give an errno");
}
ATF_TC_BODY(inode_counts_zero, tc)
{
	int seen;

	make_image(1024);
	patch32(SB_FREE_INODES, 0);
	patch16(gd_offset(0) + GD_FREE_INODES, 0);
	patch16(gd_offset(1) + GD_FREE_INODES, 0);
	require_fsck_notices("free inode counts 0");
	seen = probe_ro_rw("free inode counts 0");
	(void)seen;
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, testdata);
	ATF_TP_ADD_TC(tp, bad_magic);
	ATF_TP_ADD_TC(tp, bad_superblock);
	ATF_TP_ADD_TC(tp, gd_block_bitmap);
	ATF_TP_ADD_TC(tp, gd_inode_bitmap);
	ATF_TP_ADD_TC(tp, gd_inode_table);
	ATF_TP_ADD_TC(tp, block_past_end);
	ATF_TP_ADD_TC(tp, rec_len_zero);
	ATF_TP_ADD_TC(tp, rec_len_past_block);
	ATF_TP_ADD_TC(tp, rec_len_short);
	ATF_TP_ADD_TC(tp, dir_loop);
	ATF_TP_ADD_TC(tp, dotdot_loop);
	ATF_TP_ADD_TC(tp, inode_counts_bitmap_full);
	ATF_TP_ADD_TC(tp, inode_counts_too_high);
	ATF_TP_ADD_TC(tp, inode_counts_zero);
	return atf_no_error();
}
