/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ext2fs: the checksums of the ext2 family's metadata.
 *
 * Two functions are in use on disk.  Group descriptors of file systems
 * with GDT_CSUM (uninit_bg) carry a CRC-16 (polynomial 0x8005, bit-
 * reversed 0xA001, no final inversion), over the file system UUID, the
 * group number and the descriptor without its checksum field.  With
 * METADATA_CSUM every piece of metadata carries a CRC-32C (Castagnoli,
 * bit-reversed polynomial 0x82F63B78) chained from a per-file-system
 * seed.  The ext4 variant keeps the running value as it is: the initial
 * value is ~0 where a structure starts the chain, and there is no final
 * inversion.  The seed is s_checksum_seed with CSUM_SEED, otherwise the
 * CRC-32C of the UUID; the superblock alone is checksummed from ~0.
 * Per-inode structures (the inode, directory blocks, extent blocks)
 * chain the inode number and generation after the seed.
 *
 * The facts follow the published ext4 disk layout ("Checksums").  The
 * tables are built once, by ext2fs_csum_init, when the file system type
 * is registered.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>

#include <fs/ext2fs/ext2fs.h>

#define CRC16_POLY_REVERSED	0xA001U
#define CRC32C_POLY_REVERSED	0x82F63B78U

static uint16_t ext2fs_crc16_table[256];
static uint32_t ext2fs_crc32c_table[8][256];

/* Build the lookup tables: byte-wise for CRC-16, slicing by 8 for CRC-32C. */
void
ext2fs_csum_init(void)
{
	uint32_t c;
	int i, j;

	for (i = 0; i < 256; i++) {
		c = (uint32_t)i;
		for (j = 0; j < 8; j++)
			c = (c & 1) ? (c >> 1) ^ CRC16_POLY_REVERSED : c >> 1;
		ext2fs_crc16_table[i] = (uint16_t)c;

		c = (uint32_t)i;
		for (j = 0; j < 8; j++)
			c = (c & 1) ? (c >> 1) ^ CRC32C_POLY_REVERSED : c >> 1;
		ext2fs_crc32c_table[0][i] = c;
	}
	/* Table k advances a byte that is followed by k zero bytes. */
	for (i = 0; i < 256; i++) {
		c = ext2fs_crc32c_table[0][i];
		for (j = 1; j < 8; j++) {
			c = (c >> 8) ^ ext2fs_crc32c_table[0][c & 0xff];
			ext2fs_crc32c_table[j][i] = c;
		}
	}
}

uint16_t
ext2fs_crc16(uint16_t crc, const void *data, size_t len)
{
	const uint8_t *p = data;

	while (len-- > 0)
		crc = (uint16_t)((crc >> 8) ^ ext2fs_crc16_table[(crc ^ *p++) &
		    0xff]);
	return crc;
}

uint32_t
ext2fs_crc32c(uint32_t crc, const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t lo, hi;

	KASSERT(ext2fs_crc32c_table[0][1] != 0);

	/* Eight bytes at a time, as two little-endian words. */
	while (len >= 8) {
		memcpy(&lo, p, 4);
		memcpy(&hi, p + 4, 4);
		lo ^= crc;
		crc = ext2fs_crc32c_table[7][lo & 0xff] ^
		    ext2fs_crc32c_table[6][(lo >> 8) & 0xff] ^
		    ext2fs_crc32c_table[5][(lo >> 16) & 0xff] ^
		    ext2fs_crc32c_table[4][lo >> 24] ^
		    ext2fs_crc32c_table[3][hi & 0xff] ^
		    ext2fs_crc32c_table[2][(hi >> 8) & 0xff] ^
		    ext2fs_crc32c_table[1][(hi >> 16) & 0xff] ^
		    ext2fs_crc32c_table[0][hi >> 24];
		p += 8;
		len -= 8;
	}
	while (len-- > 0)
		crc = (crc >> 8) ^ ext2fs_crc32c_table[0][(crc ^ *p++) & 0xff];
	return crc;
}

static uint32_t
ext2fs_crc32c_le32(uint32_t crc, uint32_t v)
{

	return ext2fs_crc32c(crc, &v, sizeof(v));
}

/* The seed of the structures that belong to inode ino of generation gen. */
static uint32_t
ext2fs_ino_seed(struct ext2fs_mount *ump, uint32_t ino, uint32_t gen)
{
	uint32_t crc;

	crc = ext2fs_crc32c_le32(ump->um_csum_seed, ino);
	return ext2fs_crc32c_le32(crc, gen);
}

uint32_t
ext2fs_inode_seed(struct ext2fs_mount *ump, const struct ext2fs_inode *ip)
{

	return ext2fs_ino_seed(ump, ip->i_number, ip->i_din->i_generation);
}

/*
 * The descriptor checksum covers the descriptor with bg_checksum left
 * out (GDT_CSUM) or counted as zero (METADATA_CSUM); 0 without either.
 */
uint16_t
ext2fs_gd_csum(struct ext2fs_mount *ump, uint32_t g, const struct ext2fs_gd *gd)
{
	const size_t csumoff = offsetof(struct ext2fs_gd, bg_checksum);
	const size_t restoff = csumoff + sizeof(gd->bg_checksum);
	const uint8_t *p = (const uint8_t *)gd;
	uint16_t zero = 0, crc16;
	uint32_t crc;

	if (ump->um_rocompat & EXT4F_ROCOMPAT_METADATA_CSUM) {
		crc = ext2fs_crc32c_le32(ump->um_csum_seed, g);
		crc = ext2fs_crc32c(crc, p, csumoff);
		crc = ext2fs_crc32c(crc, &zero, sizeof(zero));
		if (ump->um_descsize > restoff)
			crc = ext2fs_crc32c(crc, p + restoff,
			    ump->um_descsize - restoff);
		return (uint16_t)(crc & 0xffff);
	}
	if (ump->um_rocompat & EXT4F_ROCOMPAT_GDT_CSUM) {
		crc16 = ext2fs_crc16(0xffff, ump->um_sb.s_uuid,
		    sizeof(ump->um_sb.s_uuid));
		crc16 = ext2fs_crc16(crc16, &g, sizeof(g));
		crc16 = ext2fs_crc16(crc16, p, csumoff);
		if (ump->um_descsize > restoff)
			crc16 = ext2fs_crc16(crc16, p + restoff,
			    ump->um_descsize - restoff);
		return crc16;
	}
	return 0;
}

/*
 * The whole on-disk inode (s_inode_size bytes) with both checksum
 * halves counted as zero.  i_checksum_hi exists only when i_extra_isize
 * reaches past it.
 */
uint32_t
ext2fs_inode_csum(struct ext2fs_mount *ump, uint32_t ino,
    const struct ext2fs_dinode *din)
{
	const size_t looff = offsetof(struct ext2fs_dinode, i_checksum_lo);
	const size_t hioff = offsetof(struct ext2fs_dinode, i_checksum_hi);
	const uint8_t *p = (const uint8_t *)din;
	uint16_t zero = 0;
	size_t isize = ump->um_inodesize, off;
	uint32_t crc;

	crc = ext2fs_ino_seed(ump, ino, din->i_generation);
	crc = ext2fs_crc32c(crc, p, looff);
	crc = ext2fs_crc32c(crc, &zero, sizeof(zero));
	off = looff + sizeof(zero);
	if (isize > EXT2_GOOD_OLD_INODE_SIZE &&
	    EXT2_GOOD_OLD_INODE_SIZE + din->i_extra_isize >= hioff +
	    sizeof(zero)) {
		crc = ext2fs_crc32c(crc, p + off, hioff - off);
		crc = ext2fs_crc32c(crc, &zero, sizeof(zero));
		off = hioff + sizeof(zero);
	}
	return ext2fs_crc32c(crc, p + off, isize - off);
}

uint32_t
ext2fs_dirblock_csum(struct ext2fs_mount *ump, const struct ext2fs_inode *ip,
    const void *block, size_t len)
{

	return ext2fs_crc32c(ext2fs_inode_seed(ump, ip), block, len);
}

uint32_t
ext2fs_extent_csum(struct ext2fs_mount *ump, const struct ext2fs_inode *ip,
    const void *block, size_t len)
{

	return ext2fs_crc32c(ext2fs_inode_seed(ump, ip), block, len);
}

uint32_t
ext2fs_bitmap_csum(struct ext2fs_mount *ump, const void *bitmap, size_t len)
{

	return ext2fs_crc32c(ump->um_csum_seed, bitmap, len);
}

uint32_t
ext2fs_sb_csum(const struct ext2fs_super *sb)
{

	return ext2fs_crc32c(~0U, sb, offsetof(struct ext2fs_super,
	    s_checksum));
}
