/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fsu: file system type detection from the first 68 KiB of the image or
 * partition, read through the rump kernel so that partitions are found
 * by the kernel's disk layer.
 *
 * The signatures (all offsets in bytes from the start of the file
 * system):
 *	ext2/3/4	0xEF53 little-endian at 1024 + 56 (superblock magic);
 *			the feature words at 1024 + 92, 96 and 100 tell
 *			ext4 (extents, 64bit, flex_bg, metadata_csum, ...)
 *			from ext3 (a journal) from ext2
 *	ISO 9660	"CD001" at 32768 + 1 (primary volume descriptor)
 *	FFS		0x00011954 at 8192 + 1372 (UFS1) or 0x19540119 at
 *			65536 + 1372 (UFS2), in either byte order
 *	FAT		0x55 0xAA at 510 and "FAT" at 54 (FAT12/16) or
 *			"FAT32" at 82
 */

#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include "fsu.h"

#define PROBE_SIZE	(68 * 1024)
#define PROBE_KEY	"/dev/fsuprobe"

/* ext2 superblock: offsets of the fields used, from its start. */
#define EXT2_SB_OFFSET		1024
#define EXT2_SB_MAGIC		56
#define EXT2_SB_LOG_BLOCK_SIZE	24
#define EXT2_SB_COMPAT		92
#define EXT2_SB_INCOMPAT	96
#define EXT2_SB_RO_COMPAT	100
#define EXT2_MAGIC		0xEF53

#define EXT3_COMPAT_HAS_JOURNAL	0x0004
#define EXT3_INCOMPAT_JOURNAL_DEV 0x0008

/* Features that only ext4 has. */
#define EXT4_INCOMPAT_ONLY	(0x0040 /* extents */ | 0x0080 /* 64bit */ | \
	0x0100 /* mmp */ | 0x0200 /* flex_bg */ | 0x0400 /* ea_inode */ | \
	0x1000 /* dirdata */ | 0x2000 /* csum_seed */ | \
	0x4000 /* largedir */ | 0x8000 /* inline_data */ | \
	0x10000 /* encrypt */ | 0x20000 /* casefold */)
#define EXT4_RO_COMPAT_ONLY	(0x0008 /* huge_file */ | \
	0x0010 /* gdt_csum */ | 0x0020 /* dir_nlink */ | \
	0x0040 /* extra_isize */ | 0x0100 /* quota */ | \
	0x0200 /* bigalloc */ | 0x0400 /* metadata_csum */)

#define UFS1_SB_OFFSET		8192
#define UFS2_SB_OFFSET		65536
#define UFS_SB_MAGIC		1372
#define UFS1_MAGIC		0x00011954
#define UFS2_MAGIC		0x19540119

#define ISO_PVD_OFFSET		32768

static uint16_t
le16(const uint8_t *p)
{

	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t
le32(const uint8_t *p)
{

	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static bool
ufs_magic_at(const uint8_t *p, uint32_t magic)
{

	return le32(p) == magic || __builtin_bswap32(le32(p)) == magic;
}

/* The type name for the signature in buf, or NULL. */
static const char *
fsu_type_of(const uint8_t *buf)
{
	const uint8_t *sb = buf + EXT2_SB_OFFSET;
	uint32_t compat, incompat, ro_compat;

	if (le16(sb + EXT2_SB_MAGIC) == EXT2_MAGIC &&
	    le32(sb + EXT2_SB_LOG_BLOCK_SIZE) <= 6) {
		compat = le32(sb + EXT2_SB_COMPAT);
		incompat = le32(sb + EXT2_SB_INCOMPAT);
		ro_compat = le32(sb + EXT2_SB_RO_COMPAT);
		if (incompat & EXT3_INCOMPAT_JOURNAL_DEV)
			return "jbd";
		if ((incompat & EXT4_INCOMPAT_ONLY) ||
		    (ro_compat & EXT4_RO_COMPAT_ONLY))
			return "ext4";
		if (compat & EXT3_COMPAT_HAS_JOURNAL)
			return "ext3";
		return "ext2";
	}
	if (memcmp(buf + ISO_PVD_OFFSET + 1, "CD001", 5) == 0)
		return "iso9660";
	if (ufs_magic_at(buf + UFS1_SB_OFFSET + UFS_SB_MAGIC, UFS1_MAGIC) ||
	    ufs_magic_at(buf + UFS2_SB_OFFSET + UFS_SB_MAGIC, UFS2_MAGIC))
		return "ffs";
	if (buf[510] == 0x55 && buf[511] == 0xAA &&
	    (memcmp(buf + 54, "FAT", 3) == 0 ||
	    memcmp(buf + 82, "FAT32", 5) == 0))
		return "vfat";
	return NULL;
}

/*
 * Read the start of the image (partnum 0) or of its partition partnum
 * into buf, zero-filled past the end.  Prints the reason on failure.
 */
static int
fsu_read_start(const char *image, unsigned partnum, uint8_t *buf)
{
	char node[sizeof(PROBE_KEY) + 16];
	ssize_t n;
	int fd, error;

	error = rump_pub_etfs_register(PROBE_KEY, image, RUMP_ETFS_BLK);
	if (error != 0) {
		fsu_warnc(error, "cannot open '%s'", image);
		return error;
	}
	if (partnum > 0)
		snprintf(node, sizeof(node), "%s%u", PROBE_KEY, partnum);
	else
		snprintf(node, sizeof(node), "%s", PROBE_KEY);

	fd = rump_sys_open(node, O_RDONLY);
	if (fd == -1) {
		error = errno;
		if (error == ENOENT && partnum > 0)
			fsu_warnx("%s: no partition %u in the image", image,
			    partnum);
		else
			fsu_warnc(error, "cannot open '%s'", image);
		goto out;
	}
	memset(buf, 0, PROBE_SIZE);
	n = rump_sys_pread(fd, buf, PROBE_SIZE, 0);
	if (n == -1) {
		error = errno;
		fsu_warnc(error, "%s: cannot read the superblock", image);
	}
	(void)rump_sys_close(fd);
 out:
	(void)rump_pub_etfs_remove(PROBE_KEY);
	return error;
}

int
fsu_detect_type(const char *image, unsigned partnum, const char **typep)
{
	static uint8_t buf[PROBE_SIZE];
	const char *type;
	int error;

	error = fsu_read_start(image, partnum, buf);
	if (error != 0)
		return error;
	type = fsu_type_of(buf);
	if (type == NULL) {
		fsu_warnx("%s: unknown file system type; name one with -t",
		    image);
		return EINVAL;
	}
	if (strcmp(type, "jbd") == 0) {
		fsu_warnx("%s: an ext3/ext4 external journal, not a file "
		    "system", image);
		return EINVAL;
	}
	*typep = type;
	return 0;
}
