/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * An ext2, ext3 or ext4 image in a rump kernel: mount it read-only,
 * print its statfs figures and list one of its directories.  No root
 * privileges and no host mount are involved.
 *
 *	cc ext2ls.c $(pkg-config --cflags --libs rumpfs_ext2fs)
 *	./a.out disk.img [/some/dir]
 */

#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rump/rump.h>

/* The records rump_sys_getdents64 fills in (Linux's layout). */
struct dirent64_rec {
	uint64_t	d_ino;
	int64_t		d_off;
	unsigned short	d_reclen;
	unsigned char	d_type;
	char		d_name[];
};

static int
fail(const char *what, int error)
{

	fprintf(stderr, "ext2ls: %s: %s\n", what, strerror(error));
	return 1;
}

int
main(int argc, char *argv[])
{
	char buf[8192], path[4096];
	const char *image, *dir;
	struct dirent64_rec *d;
	struct statfs sfs;
	struct stat st;
	long n, off;
	int error, fd;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: ext2ls IMAGE [DIRECTORY]\n");
		return 2;
	}
	image = argv[1];
	dir = argc == 3 ? argv[2] : "/";

	if ((error = rump_init()) != 0)
		return fail("rump_init", error);
	/* The image becomes the block device /dev/img inside the kernel. */
	error = rump_pub_etfs_register("/dev/img", image, RUMP_ETFS_BLK);
	if (error != 0)
		return fail(image, error);
	if (rump_sys_mkdir("/mnt", 0755) == -1 ||
	    rump_sys_mount("/dev/img", "/mnt", "ext2", MS_RDONLY, NULL) == -1)
		return fail("mount", errno);

	if (rump_sys_statfs("/mnt", &sfs) == -1)
		return fail("statfs", errno);
	printf("%s: %" PRIu64 " blocks of %ld bytes, %" PRIu64 " free; "
	    "%" PRIu64 " inodes, %" PRIu64 " free\n", image,
	    (uint64_t)sfs.f_blocks, (long)sfs.f_bsize, (uint64_t)sfs.f_bfree,
	    (uint64_t)sfs.f_files, (uint64_t)sfs.f_ffree);

	snprintf(path, sizeof(path), "/mnt/%s", dir);
	fd = rump_sys_open(path, O_RDONLY | O_DIRECTORY);
	if (fd == -1)
		return fail(dir, errno);
	while ((n = rump_sys_getdents64(fd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n; off += d->d_reclen) {
			d = (struct dirent64_rec *)(buf + off);
			snprintf(path, sizeof(path), "/mnt/%s/%s", dir,
			    d->d_name);
			if (rump_sys_lstat(path, &st) == -1)
				return fail(d->d_name, errno);
			printf("%06o %3lu %10lld %s\n", (unsigned)st.st_mode,
			    (unsigned long)st.st_nlink, (long long)st.st_size,
			    d->d_name);
		}
	}
	if (n == -1)
		return fail(dir, errno);
	rump_sys_close(fd);

	if (rump_sys_umount("/mnt") == -1)
		return fail("unmount", errno);
	return 0;
}
