/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Files in a rump kernel: write and read a file in rumpfs, then read a
 * host file mapped into the kernel with etfs.
 *
 *	cc files.c $(pkg-config --cflags --libs rumpvfs)
 */

#include <fcntl.h>
#include <stdio.h>

#include <rump/rump.h>

int
main(void)
{
	char buf[32];
	ssize_t n;
	int fd;

	if (rump_init() != 0)
		return 1;
	if (rump_sys_mkdir("/tmp", 01777) == -1)
		return 1;
	fd = rump_sys_open("/tmp/hello", O_RDWR | O_CREAT, 0644);
	if (fd == -1 || rump_sys_write(fd, "hello, rumpfs\n", 14) != 14)
		return 1;
	n = rump_sys_pread(fd, buf, sizeof(buf), 0);
	rump_sys_close(fd);
	if (n > 0)
		fwrite(buf, 1, (size_t)n, stdout);

	/* The host's /etc/hostname as /host/hostname in the kernel. */
	if (rump_pub_etfs_register("/host/hostname", "/etc/hostname",
	    RUMP_ETFS_REG) != 0)
		return 1;
	fd = rump_sys_open("/host/hostname", O_RDONLY);
	n = rump_sys_read(fd, buf, sizeof(buf));
	rump_sys_close(fd);
	if (n > 0)
		fwrite(buf, 1, (size_t)n, stdout);
	return 0;
}
