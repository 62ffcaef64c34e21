/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ext2, ext3 and ext4 images made by mke2fs from a host folder, read and
 * changed through the rump kernel and judged by e2fsprogs.
 *
 * Each case builds the folder "src": files of sizes around the block and
 * indirect-block boundaries, sparse files, 255-byte names, fast and slow
 * symlinks, hard links, a FIFO, and device nodes when run as root.  Some
 * cases add a 10,000-entry directory or a 5 GiB sparse file with data
 * beyond 4 GiB.  The case runs `mke2fs -d src` with its options, mounts
 * the image and compares every entry with the folder.  On a
 * writable image the case then applies the same write scenario to the
 * image and to the folder, compares again and unmounts.  Then `e2fsck -fn`
 * must find the image clean, `debugfs` must read back the written files,
 * and the free counts of statfs must match the superblock.
 * A read-only remount compares the tree a last time.  ext4 images are
 * mounted read-only, and the image must not change.
 */

#include <sys/types.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
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

#define GIB		(1024LL * 1024 * 1024)
#define MIB		(1024LL * 1024)

#define BIGDIR_ENTRIES	10000

/* What a case puts in its folder and does with its image. */
#define TREE_BIGDIR	0x01	/* big/ with BIGDIR_ENTRIES entries */
#define TREE_HUGE	0x02	/* huge: 5 GiB sparse, data beyond 4 GiB */
#define IMG_HASH	0x04	/* index the big directories (e2fsck -fyD) */
#define IMG_READONLY	0x08	/* mount read-only only (ext4) */

struct image_case {
	const char	*mkfs;		/* mke2fs options */
	const char	*fstype;	/* mount(2) type name */
	int		 flags;
};

/* ------------------------------------------------------------------ */
/* The host folder. */

/* Create path with mode and size bytes of the pattern seed. */
static void
make_file(const char *path, mode_t mode, off_t size, uint32_t seed)
{
	static unsigned char buf[1 << 16];
	off_t off;
	size_t n;
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	ATF_REQUIRE_MSG(fd >= 0, "create %s: %s", path, strerror(errno));
	for (off = 0; off < size; off += n) {
		n = size - off > (off_t)sizeof(buf) ? sizeof(buf) :
		    (size_t)(size - off);
		img_fill(buf, n, seed, off);
		ATF_REQUIRE_EQ(pwrite(fd, buf, n, off), (ssize_t)n);
	}
	ATF_REQUIRE_EQ(fchmod(fd, mode), 0);
	ATF_REQUIRE_EQ(close(fd), 0);
}

/* Write len pattern bytes at off into the existing file path. */
static void
poke_file(const char *path, off_t off, size_t len, uint32_t seed)
{
	unsigned char buf[8192];
	int fd;

	ATF_REQUIRE(len <= sizeof(buf));
	img_fill(buf, len, seed, off);
	fd = open(path, O_WRONLY);
	ATF_REQUIRE_MSG(fd >= 0, "open %s: %s", path, strerror(errno));
	ATF_REQUIRE_EQ(pwrite(fd, buf, len, off), (ssize_t)len);
	ATF_REQUIRE_EQ(close(fd), 0);
}

/* A sparse file of size bytes: empty, then the given small writes. */
static void
make_sparse(const char *path, off_t size, const off_t *offs, size_t n,
    uint32_t seed)
{
	size_t i;

	make_file(path, 0644, 0, seed);
	ATF_REQUIRE_EQ(truncate(path, size), 0);
	for (i = 0; i < n; i++)
		poke_file(path, offs[i], offs[i] + 4096 <= size ? 4096 :
		    (size_t)(size - offs[i]), seed);
}

static void
make_dir(const char *path, mode_t mode)
{

	ATF_REQUIRE_MSG(mkdir(path, mode) == 0, "mkdir %s: %s", path,
	    strerror(errno));
	ATF_REQUIRE_EQ(chmod(path, mode), 0);
}

static void
make_symlink(const char *target, const char *path)
{

	ATF_REQUIRE_MSG(symlink(target, path) == 0, "symlink %s: %s", path,
	    strerror(errno));
}

/* A string of len characters: the prefix, then repeated letters. */
static char *
long_string(char *buf, const char *prefix, size_t len, char fill)
{
	size_t i;

	snprintf(buf, len + 1, "%s", prefix);
	for (i = strlen(buf); i < len; i++)
		buf[i] = (char)(fill + i % 7);
	buf[len] = '\0';
	return buf;
}

/* The name of entry i of the big directory: lengths vary from 8 to 60. */
static void
bigdir_name(char *buf, size_t len, int i)
{
	char tail[64];

	long_string(tail, "", (size_t)(i * 7919) % 53, 'a');
	snprintf(buf, len, "e%05d%s", i, tail);
}

/* Build the folder SRC with the entries that flags selects. */
static void
build_tree(int flags)
{
	static const off_t sparse_offs[] = { 0, 600000, MIB - 1 };
	static const off_t holestart_offs[] = { 2 * MIB - 100 };
	static const off_t tind_offs[] = { 70 * MIB };
	static const off_t huge_offs[] = {
		3 * GIB, 4 * GIB + 12345, 4 * GIB + GIB / 2, 5 * GIB - 1
	};
	char name[300], path[1200], target[1100];
	int i;

	img_tmpfs_dir(SRC);

	/* Sizes around the block and indirect-block boundaries. */
	make_file(SRC "/empty", 0644, 0, 1);
	make_file(SRC "/one", 0644, 1, 2);
	make_file(SRC "/k1023", 0644, 1023, 3);
	make_file(SRC "/k1024", 0644, 1024, 4);
	make_file(SRC "/k1025", 0644, 1025, 5);
	make_file(SRC "/k4097", 0644, 4097, 6);
	make_file(SRC "/b12k", 0644, 12 * 1024 + 1, 7);
	make_file(SRC "/b300k", 0644, 300 * 1024 + 7, 8);
	make_file(SRC "/b5m", 0644, 5 * MIB + 3, 9);

	/* Sparse files; tind1k needs triple indirect blocks at 1 KiB. */
	make_sparse(SRC "/sparse", MIB, sparse_offs, 3, 10);
	make_sparse(SRC "/holestart", 2 * MIB, holestart_offs, 1, 11);
	make_sparse(SRC "/tind1k", 70 * MIB + 10, tind_offs, 1, 12);
	if (flags & TREE_HUGE)
		make_sparse(SRC "/huge", 5 * GIB, huge_offs, 4, 13);

	/* Modes. */
	make_file(SRC "/m0600", 0600, 10, 14);
	make_file(SRC "/m0755", 0755, 10, 15);
	make_file(SRC "/m4755", 04755, 10, 16);
	make_file(SRC "/m2711", 02711, 10, 17);
	make_dir(SRC "/sticky", 01777);
	make_dir(SRC "/private", 0700);
	make_file(SRC "/private/secret", 0400, 100, 18);

	/* Names: 255 bytes for a file and a directory, UTF-8, spaces. */
	make_file(SRC "/a", 0644, 3, 19);
	long_string(name, "file_", 255, 'f');
	snprintf(path, sizeof(path), SRC "/%s", name);
	make_file(path, 0644, 255, 20);
	long_string(name, "dir_", 255, 'd');
	snprintf(path, sizeof(path), SRC "/%s", name);
	make_dir(path, 0755);
	snprintf(path, sizeof(path), SRC "/%s/inside", name);
	make_file(path, 0644, 2000, 21);
	make_file(SRC "/\xc3\xa9t\xc3\xa9 caf\xc3\xa9", 0644, 5, 22);
	make_file(SRC "/with space", 0644, 6, 23);

	/* Symlinks: fast (up to 59 bytes), slow, absolute, dangling. */
	make_symlink("one", SRC "/fast");
	make_symlink(long_string(target, "", 59, 'p'), SRC "/link59");
	make_symlink(long_string(target, "", 60, 'p'), SRC "/link60");
	make_symlink(long_string(target, "slow/", 300, 's'), SRC "/slow");
	make_symlink(long_string(target, "huge/", 1000, 'h'),
	    SRC "/slow1000");
	make_symlink("/etc/hostname", SRC "/abs");
	make_symlink("nowhere", SRC "/dangling");
	make_symlink("dir1", SRC "/dirlink");

	/* Hard links: three names for one file, in three directories. */
	make_dir(SRC "/dir1", 0755);
	make_dir(SRC "/dir1/dir2", 0755);
	make_file(SRC "/hl_a", 0644, 3000, 24);
	ATF_REQUIRE_EQ(link(SRC "/hl_a", SRC "/dir1/hl_b"), 0);
	ATF_REQUIRE_EQ(link(SRC "/hl_a", SRC "/dir1/dir2/hl_c"), 0);
	ATF_REQUIRE_EQ(link(SRC "/k1025", SRC "/dir1/k1025_link"), 0);

	/* Nested directories and an empty one. */
	snprintf(path, sizeof(path), SRC "/deep");
	make_dir(path, 0755);
	for (i = 1; i <= 8; i++) {
		snprintf(path + strlen(path), sizeof(path) - strlen(path),
		    "/d%d", i);
		make_dir(path, 0755);
	}
	snprintf(path + strlen(path), sizeof(path) - strlen(path), "/leaf");
	make_file(path, 0644, 77, 25);
	make_dir(SRC "/emptydir", 0755);

	/* Special files. */
	ATF_REQUIRE_EQ(mkfifo(SRC "/fifo", 0644), 0);
	if (geteuid() == 0) {
		ATF_REQUIRE_EQ(mknod(SRC "/chr", S_IFCHR | 0644,
		    makedev(1, 3)), 0);
		ATF_REQUIRE_EQ(mknod(SRC "/blk", S_IFBLK | 0600,
		    makedev(7, 300)), 0);
	}

	/* A directory of BIGDIR_ENTRIES entries; a few have contents. */
	if (flags & TREE_BIGDIR) {
		make_dir(SRC "/big", 0755);
		for (i = 0; i < BIGDIR_ENTRIES; i++) {
			bigdir_name(name, sizeof(name), i);
			snprintf(path, sizeof(path), SRC "/big/%s", name);
			make_file(path, 0644, i % 1000 == 0 ? 5000 : 0,
			    100 + i);
		}
	}
}

/* ------------------------------------------------------------------ */
/* The image. */

static void
make_image(const struct image_case *ic)
{
	char out[4096];
	int st;

	/* The slash makes mke2fs follow the symlink to the folder. */
	IMG_RUN_OK("mke2fs -q -F %s %s -d %s/ %s 64M", ic->mkfs,
	    (ic->flags & TREE_BIGDIR) ? "-N 16384" : "", SRC, IMG);
	if (ic->flags & IMG_HASH) {
		/* e2fsck exits 1 when it changed (here: indexed) something. */
		st = img_run(out, sizeof(out), "e2fsck -fyD %s", IMG);
		ATF_REQUIRE_MSG(st == 0 || st == 1, "e2fsck -fyD: exit %d: %s",
		    st, out);
		img_run(out, sizeof(out), "debugfs -R 'stat /big' %s", IMG);
		ATF_REQUIRE_MSG(strstr(out, "Flags: 0x1000") != NULL ||
		    strstr(out, "Flags: 0x81000") != NULL, "e2fsck -D did not "
		    "index big/: %.300s", out);
	}
	/* The tools must agree that the image is clean before we start. */
	ATF_REQUIRE_EQ_MSG(img_run(out, sizeof(out), "e2fsck -fn %s", IMG), 0,
	    "the fresh image is not clean: %s", out);
}

/* ------------------------------------------------------------------ */
/* The write scenario, applied to the folder and to the image alike. */

static void
both_check(const char *what, const char *rel, int hrv, int herr, int rrv,
    int rerr)
{

	ATF_CHECK_MSG(hrv >= 0, "host: %s %s: %s", what, rel, strerror(herr));
	ATF_CHECK_MSG(rrv >= 0, "%s %s: %s", what, rel, strerror(rerr));
}

/* Write len pattern bytes at off (O_APPEND: at the end) into rel. */
static void
both_write(const char *rel, int oflags, off_t off, size_t len, uint32_t seed)
{
	char hp[PATH_MAX], rp[PATH_MAX];
	unsigned char *buf;
	ssize_t hn, rn;
	int hfd, rfd;

	snprintf(hp, sizeof(hp), SRC "/%s", rel);
	snprintf(rp, sizeof(rp), MNT "/%s", rel);
	buf = malloc(len + 1);
	ATF_REQUIRE(buf != NULL);
	img_fill(buf, len, seed, off);

	hfd = open(hp, O_WRONLY | oflags, 0644);
	ATF_REQUIRE_MSG(hfd >= 0, "host: open %s: %s", hp, strerror(errno));
	rfd = rump_sys_open(rp, O_WRONLY | oflags, 0644);
	ATF_CHECK_MSG(rfd >= 0, "open %s: %s", rp, strerror(errno));
	if (oflags & O_APPEND) {
		hn = write(hfd, buf, len);
		rn = rfd < 0 ? -1 : rump_sys_write(rfd, buf, len);
	} else {
		hn = pwrite(hfd, buf, len, off);
		rn = rfd < 0 ? -1 : rump_sys_pwrite(rfd, buf, len, off);
	}
	ATF_REQUIRE_EQ(hn, (ssize_t)len);
	ATF_CHECK_MSG(rn == (ssize_t)len, "write %zu bytes at %lld to %s: %zd "
	    "(%s)", len, (long long)off, rp, rn, strerror(errno));
	close(hfd);
	if (rfd >= 0)
		ATF_CHECK_EQ(rump_sys_close(rfd), 0);
	free(buf);
}

/* Write a whole new file sequentially in chunks of chunk bytes. */
static void
both_create_seq(const char *rel, off_t size, size_t chunk, uint32_t seed)
{
	off_t off;

	both_write(rel, O_CREAT | O_EXCL, 0, 0, seed);
	for (off = 0; off < size; off += chunk)
		both_write(rel, 0, off, size - off < (off_t)chunk ?
		    (size_t)(size - off) : chunk, seed);
}

#define BOTH_PATHS(rel, hp, rp)						\
	char hp[PATH_MAX], rp[PATH_MAX];				\
	snprintf(hp, sizeof(hp), SRC "/%s", rel);			\
	snprintf(rp, sizeof(rp), MNT "/%s", rel)

#define BOTH(what, rel, hcall, rcall) do {				\
	int hrv_, herr_, rrv_, rerr_;					\
									\
	hrv_ = (hcall);							\
	herr_ = errno;							\
	rrv_ = (rcall);							\
	rerr_ = errno;							\
	both_check(what, rel, hrv_, herr_, rrv_, rerr_);		\
} while (0)

static void
both_truncate(const char *rel, off_t size)
{
	BOTH_PATHS(rel, hp, rp);

	BOTH("truncate", rel, truncate(hp, size), rump_sys_truncate(rp, size));
}

static void
both_mkdir(const char *rel, mode_t mode)
{
	BOTH_PATHS(rel, hp, rp);

	BOTH("mkdir", rel, mkdir(hp, mode), rump_sys_mkdir(rp, mode));
}

static void
both_rmdir(const char *rel)
{
	BOTH_PATHS(rel, hp, rp);

	BOTH("rmdir", rel, rmdir(hp), rump_sys_rmdir(rp));
}

static void
both_unlink(const char *rel)
{
	BOTH_PATHS(rel, hp, rp);

	BOTH("unlink", rel, unlink(hp), rump_sys_unlink(rp));
}

static void
both_chmod(const char *rel, mode_t mode)
{
	BOTH_PATHS(rel, hp, rp);

	BOTH("chmod", rel, chmod(hp, mode), rump_sys_chmod(rp, mode));
}

static void
both_mkfifo(const char *rel)
{
	BOTH_PATHS(rel, hp, rp);

	BOTH("mkfifo", rel, mkfifo(hp, 0640),
	    rump_sys_mknod(rp, S_IFIFO | 0640, 0));
}

static void
both_symlink(const char *target, const char *rel)
{
	BOTH_PATHS(rel, hp, rp);

	BOTH("symlink", rel, symlink(target, hp),
	    rump_sys_symlink(target, rp));
}

static void
both_rename(const char *from, const char *to)
{
	BOTH_PATHS(from, hf, rf);
	BOTH_PATHS(to, ht, rt);

	BOTH("rename", from, rename(hf, ht), rump_sys_rename(rf, rt));
}

static void
both_link(const char *from, const char *to)
{
	BOTH_PATHS(from, hf, rf);
	BOTH_PATHS(to, ht, rt);

	BOTH("link", from, link(hf, ht), rump_sys_link(rf, rt));
}

/* The files the scenario writes; debugfs must read each one back. */
static const char *const written[] = {
	"new_file", "k1025", "dir1/k1025_link", "b300k", "b5m", "sparse",
	"newdir/moved", "newdir/new_link", "grow", "k1024", "tind1k", "hl_a",
	"one",
};

static void
write_scenario(int flags)
{
	char name[300], rel[400], target[500];
	int i;

	/* Create, append, overwrite. */
	both_create_seq("new_file", 5000, 5000, 200);
	both_write("k1025", O_APPEND, 0, 3000, 201);
	both_write("b300k", 0, 100000, 20000, 202);
	both_write("sparse", 0, 300000, 10, 203);
	both_write("hl_a", 0, 2990, 100, 204);

	/* Truncate: shrink across indirect blocks, grow a hole, to zero. */
	both_truncate("b5m", 70000);
	both_truncate("sparse", 3 * MIB);
	both_truncate("one", 0);
	both_truncate("tind1k", 300000);

	/* Directories, renames (one replaces a file), links, symlinks. */
	both_mkdir("newdir", 0755);
	both_mkdir("newdir/sub", 0700);
	both_rename("k1023", "newdir/moved");
	both_rename("deep/d1", "newdir/sub/d1moved");
	both_rename("empty", "k1024");
	both_link("new_file", "newdir/new_link");
	both_symlink("../one", "newdir/fast2");
	both_symlink(long_string(target, "../", 400, 't'), "newdir/slow2");
	long_string(name, "new_", 255, 'n');
	snprintf(rel, sizeof(rel), "newdir/%s", name);
	both_create_seq(rel, 1500, 1000, 205);
	both_mkfifo("newdir/fifo2");
	both_chmod("m0600", 0640);

	/* Unlink: a plain file, one name of a hard-linked file, a symlink. */
	both_unlink("b12k");
	both_unlink("dir1/hl_b");
	both_unlink("slow");
	both_rmdir("emptydir");

	/* A new file that needs (double) indirect blocks at 1 KiB. */
	both_create_seq("grow", 400 * 1024 + 5, 7000, 206);

	if (flags & TREE_BIGDIR) {
		/* Remove every tenth entry, add 500, rename 20. */
		for (i = 3; i < BIGDIR_ENTRIES; i += 10) {
			bigdir_name(name, sizeof(name), i);
			snprintf(rel, sizeof(rel), "big/%s", name);
			both_unlink(rel);
		}
		for (i = 0; i < 500; i++) {
			snprintf(rel, sizeof(rel), "big/added_%d_%s", i,
			    long_string(target, "", (size_t)i % 90, 'k'));
			both_write(rel, O_CREAT | O_EXCL, 0, i % 50, 300 + i);
		}
		for (i = 5; i < 200; i += 10) {
			char to[400];

			bigdir_name(name, sizeof(name), i);
			snprintf(rel, sizeof(rel), "big/%s", name);
			snprintf(to, sizeof(to), "big/renamed_%d", i);
			both_rename(rel, to);
		}
	}
	if (flags & TREE_HUGE) {
		both_write("huge", 0, 4 * GIB + MIB, 100, 207);
		both_write("huge2", O_CREAT | O_EXCL, 0, 0, 208);
		both_truncate("huge2", 4 * GIB + GIB / 2);
		both_write("huge2", 0, 4 * GIB + 10, 3000, 209);
	}
}

/* debugfs must read every written file back as the host has it. */
static void
check_debugfs(void)
{
	char hp[PATH_MAX];
	size_t i, len;
	struct stat st;
	char *got, *want;
	int fd;

	for (i = 0; i < sizeof(written) / sizeof(written[0]); i++) {
		snprintf(hp, sizeof(hp), SRC "/%s", written[i]);
		ATF_REQUIRE_EQ(stat(hp, &st), 0);
		got = img_debugfs_cat(IMG, written[i], &len);
		ATF_CHECK_MSG(got != NULL, "debugfs cat /%s failed", written[i]);
		if (got == NULL)
			continue;
		want = malloc(st.st_size + 1);
		ATF_REQUIRE(want != NULL);
		fd = open(hp, O_RDONLY);
		ATF_REQUIRE(fd >= 0);
		ATF_REQUIRE_EQ(read(fd, want, st.st_size + 1), st.st_size);
		close(fd);
		ATF_CHECK_MSG(len == (size_t)st.st_size && memcmp(got, want,
		    len) == 0, "debugfs reads %zu bytes of /%s that differ "
		    "from the %lld the host has", len, written[i],
		    (long long)st.st_size);
		free(got);
		free(want);
	}
}

/* statfs's free counts must be the superblock's once it is written. */
static void
check_statfs(const struct statfs *sf)
{
	long long fb, fi;

	fb = img_dumpe2fs_field(IMG, "Free blocks");
	fi = img_dumpe2fs_field(IMG, "Free inodes");
	ATF_CHECK_MSG((long long)sf->f_bfree == fb, "statfs f_bfree %llu, "
	    "the superblock after unmount %lld",
	    (unsigned long long)sf->f_bfree, fb);
	ATF_CHECK_MSG((long long)sf->f_ffree == fi, "statfs f_ffree %llu, "
	    "the superblock after unmount %lld",
	    (unsigned long long)sf->f_ffree, fi);
	ATF_CHECK(sf->f_bavail <= sf->f_bfree);
	ATF_CHECK(sf->f_bfree <= sf->f_blocks);
	ATF_CHECK(sf->f_ffree <= sf->f_files);
	ATF_CHECK_EQ(sf->f_namelen, 255);
}

/* ------------------------------------------------------------------ */

static void
run_case(const struct image_case *ic)
{
	int cmpflags = IMG_CMP_ROOTLF | IMG_CMP_TIMES | IMG_CMP_OWNERS;
	struct statfs sf;
	uint64_t before;
	int error, fd;

	img_require_e2fsprogs();
	build_tree(ic->flags);
	make_image(ic);
	img_boot();
	img_register(KEY, IMG);

	if (ic->flags & IMG_READONLY) {
		before = img_hash_file(IMG);
		img_mount(KEY, MNT, ic->fstype, MS_RDONLY);
		img_compare_trees(SRC, MNT, cmpflags);
		ATF_CHECK_ERRNO(EROFS, rump_sys_mkdir(MNT "/x", 0755) == -1);
		img_umount(MNT);

		/* Read-write: refused, or mounted read-only anyway. */
		error = img_try_mount(KEY, MNT, ic->fstype, 0);
		if (error == 0) {
			fd = rump_sys_open(MNT "/created", O_CREAT | O_WRONLY,
			    0644);
			ATF_CHECK_MSG(fd == -1 && errno == EROFS, "an ext4 "
			    "mount without MS_RDONLY is writable");
			img_umount(MNT);
		} else {
			ATF_CHECK_MSG(error == EROFS || error == EINVAL,
			    "mount rw: %s, expected EROFS or EINVAL",
			    strerror(error));
		}
		ATF_CHECK_MSG(img_hash_file(IMG) == before,
		    "a read-only mount changed the image");
		img_tmpfs_cleanup(SRC);
		return;
	}

	img_mount(KEY, MNT, ic->fstype, 0);
	img_compare_trees(SRC, MNT, cmpflags);

	write_scenario(ic->flags);
	img_compare_trees(SRC, MNT, IMG_CMP_ROOTLF | IMG_CMP_OWNERS);
	ATF_REQUIRE_EQ_MSG(rump_sys_statfs(MNT, &sf), 0, "statfs: %s",
	    strerror(errno));
	img_umount(MNT);

	img_fsck_clean(IMG);
	check_debugfs();
	check_statfs(&sf);

	/* A new mount must read what the unmount left on the image. */
	before = img_hash_file(IMG);
	img_mount(KEY, MNT, ic->fstype, MS_RDONLY);
	img_compare_trees(SRC, MNT, IMG_CMP_ROOTLF | IMG_CMP_OWNERS);
	img_umount(MNT);
	ATF_CHECK_MSG(img_hash_file(IMG) == before,
	    "a read-only mount changed the image");
	img_tmpfs_cleanup(SRC);
}

#define IMAGE_TC(name, mkfs, fstype, flags, descr)			\
ATF_TC_WITH_CLEANUP(name);						\
ATF_TC_HEAD(name, tc)							\
{									\
	atf_tc_set_md_var(tc, "descr", descr);				\
	atf_tc_set_md_var(tc, "timeout", "120");			\
}									\
ATF_TC_BODY(name, tc)							\
{									\
	static const struct image_case ic = { mkfs, fstype, flags };	\
									\
	run_case(&ic);							\
}									\
ATF_TC_CLEANUP(name, tc)						\
{									\
									\
	img_tmpfs_cleanup(SRC);						\
}

IMAGE_TC(ext2_rev0_1k, "-t ext2 -r 0 -b 1024", "ext2", 0,
    "revision 0 ext2, 1 KiB blocks: read, write, e2fsck clean")
IMAGE_TC(ext2_rev0_4k, "-t ext2 -r 0 -b 4096", "ext2", 0,
    "revision 0 ext2, 4 KiB blocks: read, write, e2fsck clean")
IMAGE_TC(ext2_1k, "-t ext2 -b 1024", "ext2", TREE_HUGE,
    "ext2, 1 KiB blocks, a file beyond 4 GiB: read, write, e2fsck clean")
IMAGE_TC(ext2_2k, "-t ext2 -b 2048", "ext2", TREE_HUGE,
    "ext2, 2 KiB blocks, a file beyond 4 GiB: read, write, e2fsck clean")
IMAGE_TC(ext2_4k, "-t ext2 -b 4096", "ext2", TREE_HUGE,
    "ext2, 4 KiB blocks, a file beyond 4 GiB: read, write, e2fsck clean")
IMAGE_TC(ext2_4k_inode128, "-t ext2 -b 4096 -I 128", "ext2fs", TREE_HUGE,
    "ext2 with 128-byte inodes: read, write, e2fsck clean")
IMAGE_TC(linear_dir_1k, "-t ext2 -b 1024 -O ^dir_index", "ext2",
    TREE_BIGDIR, "ext2 without dir_index, 1 KiB blocks, a directory of "
    "10,000 entries: read, write, e2fsck clean")
IMAGE_TC(no_dir_index_4k, "-t ext2 -b 4096 -O ^dir_index", "ext2",
    TREE_HUGE, "ext2 without dir_index, 4 KiB blocks: read, write, "
    "e2fsck clean")
IMAGE_TC(hashed_dir_1k, "-t ext2 -b 1024 -O dir_index", "ext2",
    TREE_BIGDIR | IMG_HASH, "ext2, 1 KiB blocks, an indexed directory of "
    "10,000 entries: read, write, e2fsck clean")
IMAGE_TC(hashed_dir_4k, "-t ext2 -b 4096 -O dir_index", "ext2",
    TREE_BIGDIR | IMG_HASH, "ext2, 4 KiB blocks, an indexed directory of "
    "10,000 entries: read, write, e2fsck clean")
IMAGE_TC(ext3_1k, "-t ext3 -b 1024", "ext3", TREE_HUGE,
    "ext3 with a clean journal, 1 KiB blocks: read, write, e2fsck clean")
IMAGE_TC(ext3_4k, "-t ext3 -b 4096", "ext3", TREE_HUGE,
    "ext3 with a clean journal, 4 KiB blocks: read, write, e2fsck clean")
IMAGE_TC(ext4_1k, "-t ext4 -b 1024", "ext4",
    TREE_BIGDIR | TREE_HUGE | IMG_HASH | IMG_READONLY,
    "ext4, 1 KiB blocks: read-only mount reads every file; rw is refused")
IMAGE_TC(ext4_4k, "-t ext4 -b 4096", "ext4", TREE_HUGE | IMG_READONLY,
    "ext4, 4 KiB blocks: read-only mount reads every file; rw is refused")

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, ext2_rev0_1k);
	ATF_TP_ADD_TC(tp, ext2_rev0_4k);
	ATF_TP_ADD_TC(tp, ext2_1k);
	ATF_TP_ADD_TC(tp, ext2_2k);
	ATF_TP_ADD_TC(tp, ext2_4k);
	ATF_TP_ADD_TC(tp, ext2_4k_inode128);
	ATF_TP_ADD_TC(tp, linear_dir_1k);
	ATF_TP_ADD_TC(tp, no_dir_index_4k);
	ATF_TP_ADD_TC(tp, hashed_dir_1k);
	ATF_TP_ADD_TC(tp, hashed_dir_4k);
	ATF_TP_ADD_TC(tp, ext3_1k);
	ATF_TP_ADD_TC(tp, ext3_4k);
	ATF_TP_ADD_TC(tp, ext4_1k);
	ATF_TP_ADD_TC(tp, ext4_4k);
	return atf_no_error();
}
