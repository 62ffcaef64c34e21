/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Disks: the block device ioctls that describe a disk, and the disk
 * layer's partition table reader (sys/dev/disk/).
 *
 * The ioctl numbers are Linux's, so a program's BLKGETSIZE64 or
 * BLKSSZGET reaches our drivers unchanged.  For drivers that do not
 * handle them, the spec layer serves BLKGETSIZE64 and BLKGETSIZE from
 * d_psize, and BLKSSZGET and BLKPBSZGET with 512.  DIOCCACHESYNC is the
 * kernel's own request: it makes a driver push what it has written to
 * stable storage (the host's fdatasync for etfs).
 */

#ifndef _SYS_DISK_H_
#define _SYS_DISK_H_

#include <sys/types.h>
#include <sys/filio.h>

#define BLKGETSIZE	_IO(0x12, 96)		/* unsigned long: 512-byte sectors */
#define BLKSSZGET	_IO(0x12, 104)		/* int: logical sector size */
#define BLKGETSIZE64	_IOR(0x12, 114, size_t)	/* uint64_t: bytes */
#define BLKPBSZGET	_IO(0x12, 123)		/* unsigned int: physical sector size */
#define DIOCCACHESYNC	_IOW('d', 118, int)	/* flush the device's write cache */

/*
 * Partition tables.
 *
 * disk_partitions_read finds the partitions of a disk.  A protective
 * MBR means a GPT: the primary header, or the backup at the last sector
 * when the primary is damaged, each with the CRC32 of its header and of
 * its entry array checked.  Otherwise an MBR gives its primary partitions
 * and the logical partitions of an extended one.  Numbers follow Linux: MBR
 * primaries are 1 to 4 by slot, logicals 5 and up in chain order, GPT
 * entries 1 and up by slot.  Empty slots make no partition but keep
 * their numbers.  Every partition lies inside the disk.
 *
 * A damaged table gives no partitions: the function returns EINVAL and
 * the reason in *reasonp (a static string) for the caller to log.  On
 * success *reasonp is NULL, or a note to log (the primary GPT was damaged
 * and its backup was used).  A disk without a table returns 0 with
 * *nfoundp = 0.  At most maxparts partitions are returned; further ones
 * are left out.  The reader never reads outside [0, disksize) and reads
 * in 512-byte-aligned pieces.  It uses nothing of the kernel beyond the
 * read callback and the memory functions of libkern, so fuzzers call
 * disk_partitions_parse, the same reader on a memory buffer, without
 * booting a kernel.
 */

#define DISK_MAXPARTS		128	/* partitions reported at most */

struct disk_partition {
	uint32_t	dp_number;	/* Linux number: 1, 2, ... */
	uint64_t	dp_start;	/* first byte on the disk */
	uint64_t	dp_size;	/* bytes */
	uint8_t		dp_mbrtype;	/* MBR system id; 0 for GPT */
	uint8_t		dp_guid[16];	/* GPT type GUID as stored; else 0 */
};

/* Read len bytes at byte offset off of the disk into buf; 0 or an errno. */
typedef int (*disk_read_fn)(void *arg, uint64_t off, void *buf, size_t len);

int	disk_partitions_read(disk_read_fn, void *arg, uint64_t disksize,
	    u_int secsize, struct disk_partition *parts, u_int maxparts,
	    u_int *nfoundp, const char **reasonp);
int	disk_partitions_parse(const void *disk, size_t len, u_int secsize,
	    struct disk_partition *parts, u_int maxparts, u_int *nfoundp,
	    const char **reasonp);
/*
 * The sector size the tables on a disk were written for: 4096 when a
 * GPT header is found at byte 4096 but not at byte 512, else 512.
 */
u_int	disk_guess_secsize(disk_read_fn, void *arg, uint64_t disksize);

/* CRC32 (IEEE 802.3, reflected, as GPT uses) of len bytes after crc. */
uint32_t disk_crc32(uint32_t crc, const void *buf, size_t len);

#endif /* _SYS_DISK_H_ */
