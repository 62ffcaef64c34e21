/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target: mount a small ext2 image read-write, change it, and
 * read back what was written.
 *
 * Each input is a whole image (h_fuzzimage.h).  It is mounted read-write
 * as "ext2" and walked, which finds up to eight files and directories.
 * Then a fixed list of changes runs, and each change may fail on a
 * damaged image.  A new file is written across blocks, truncated and
 * synced.  A new directory gets files, a fast and a slow symlink and a
 * hard link.  A file found on the image is grown, cut and renamed, and
 * another is unlinked.  Found directories are renamed and removed, and
 * a sync ends the list.  After the unmount the image is mounted
 * read-only and walked again.  The findings are crashes, sanitizer
 * reports, hangs and an unmount that fails with no file open.
 *
 * With FUZZ_E2FSCK=1 in the environment, an image that `e2fsck -fn`
 * finds clean before the changes must still be clean after them.  That
 * runs e2fsck twice per input, so it is off by default.
 */

#include "h_fuzzimage.h"

static bool check_fsck;

int
LLVMFuzzerInitialize(int *argcp, char ***argvp)
{

	check_fsck = getenv("FUZZ_E2FSCK") != NULL;
	fuzz_boot("fuzz_ext2fs_rw");
	return 0;
}

/* Write len bytes of a pattern at off; errors are ignored. */
static void
write_pattern(int fd, size_t len, off_t off)
{
	static char buf[16384];
	size_t i;

	if (len > sizeof(buf))
		len = sizeof(buf);
	for (i = 0; i < len; i++)
		buf[i] = (char)('a' + (off + i) % 26);
	rump_sys_pwrite(fd, buf, len, off);
}

static void
create_file(const char *path, size_t len)
{
	int fd;

	fd = rump_sys_open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	if (fd == -1)
		return;
	write_pattern(fd, len, 0);
	rump_sys_close(fd);
}

/* The changes; every call may fail on a damaged image. */
static void
change_tree(void)
{
	char path[PATH_MAX], target[256];
	int fd, i;

	/* A new file written across blocks, cut back and synced. */
	fd = rump_sys_open(FUZZ_MNT "/fz_new", O_CREAT | O_RDWR, 0644);
	if (fd != -1) {
		write_pattern(fd, 5000, 0);
		write_pattern(fd, 5000, 5000);
		write_pattern(fd, 5000, 70000);		/* leaves a hole */
		rump_sys_ftruncate(fd, 7000);
		rump_sys_fsync(fd);
		rump_sys_close(fd);
	}

	/* A new directory with files and links. */
	rump_sys_mkdir(FUZZ_MNT "/fz_dir", 0755);
	for (i = 0; i < 10; i++) {
		snprintf(path, sizeof(path), FUZZ_MNT "/fz_dir/file%d", i);
		create_file(path, (size_t)i * 700);
	}
	rump_sys_symlink("../fz_new", FUZZ_MNT "/fz_dir/fastlink");
	memset(target, 'l', sizeof(target) - 1);
	target[sizeof(target) - 1] = '\0';
	rump_sys_symlink(target, FUZZ_MNT "/fz_dir/slowlink");
	rump_sys_link(FUZZ_MNT "/fz_new", FUZZ_MNT "/fz_dir/hardlink");

	/* Files found on the image: grow, cut and move one, unlink another. */
	if (walk_nfiles > 0) {
		fd = rump_sys_open(walk_files[0], O_WRONLY | O_APPEND);
		if (fd != -1) {
			write_pattern(fd, 4096, 0);
			rump_sys_close(fd);
		}
		rump_sys_truncate(walk_files[0], 1);
		rump_sys_rename(walk_files[0], FUZZ_MNT "/fz_dir/moved");
	}
	if (walk_nfiles > 1)
		rump_sys_unlink(walk_files[1]);

	/* Directories found on the image: move the first, remove the last. */
	if (walk_ndirs > 0)
		rump_sys_rename(walk_dirs[0], FUZZ_MNT "/fz_dir/moveddir");
	if (walk_ndirs > 1)
		rump_sys_rmdir(walk_dirs[walk_ndirs - 1]);

	/* Remove half of the new files again, then write everything out. */
	for (i = 0; i < 10; i += 2) {
		snprintf(path, sizeof(path), FUZZ_MNT "/fz_dir/file%d", i);
		rump_sys_unlink(path);
	}
	rump_sys_sync();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bool clean_before = false;
	int status;

	if (size < FUZZ_MIN_IMAGE || size > FUZZ_MAX_IMAGE)
		return 0;
	fuzz_load_image(data, size);
	if (check_fsck)
		clean_before = fuzz_e2fsck(false) == 0;

	if (fuzz_mount(0) == 0) {
		fuzz_walk();
		change_tree();
		fuzz_unmount();

		/* An e2fsck that runs out of time proves nothing. */
		if (clean_before && (status = fuzz_e2fsck(false)) > 0) {
			fprintf(stderr, "fuzz_ext2fs_rw: e2fsck -fn found the "
			    "image clean before the changes and exits with "
			    "%d after them:\n", status);
			fuzz_e2fsck(true);
			abort();
		}
		if (fuzz_mount(MS_RDONLY) == 0) {
			fuzz_walk();
			fuzz_unmount();
		}
	}
	fuzz_unload_image();
	return 0;
}
