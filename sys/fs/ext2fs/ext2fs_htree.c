/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Hashed directories (dir_index): the name hashes and the walk through
 * the index that finds the leaf block holding a name.
 *
 * A hashed directory (EXT2_INDEX_FL) is an ordinary directory whose
 * blocks double as a B-tree keyed by a 32-bit hash of the names.  Block 0
 * holds "." and "..", whose record length covers the rest of the block,
 * and hidden in that slack the index root: struct ext2fs_dx_root_info at
 * byte 24 and an array of struct ext2fs_dx_entry at byte 32.  Interior
 * nodes are blocks with a single unused entry spanning the block and the
 * array at byte 8.  The first entry of an array stores the limit and the
 * count of entries in place of a hash, and its hash is taken as 0.  Each
 * entry names the directory block with the names whose hash is at least
 * its hash and below the next entry's.  indirect_levels counts the
 * interior levels below the root: 0 or 1, and 2 with the largedir
 * feature.  With metadata_csum the last 8 bytes of the array's space are
 * a struct ext2fs_dx_tail with a crc32c of the node.
 *
 * A hash value in an entry has bit 0 set when its block continues the
 * names of the previous block's last hash (a collision that did not fit
 * in one block).  Name hashes always have bit 0 clear, so a lookup that
 * misses in a leaf goes on to the next leaf while that leaf's entry
 * carries the same hash with any bit 0.
 *
 * Every leaf is also a valid directory block, and the index is invisible
 * to a linear reader.  So a linear scan is a correct fallback when the
 * index is damaged (ext2fs_lookup.c does that), and a writer may clear
 * EXT2_INDEX_FL instead of keeping the index up to date.
 *
 * Hash algorithms, by the root's hash_version: the "legacy" hash, a
 * shortened MD4 ("half MD4") over 32-byte chunks and TEA over 16-byte
 * chunks, the last two keyed by the superblock's s_hash_seed.  Name bytes
 * are taken as signed or unsigned chars as the superblock's
 * EXT2_FLAGS_UNSIGNED_HASH says (um_hash_unsigned), because the original
 * code used the platform's char.  The functions below follow the
 * published descriptions of the ext4 disk layout and are checked against
 * the output of debugfs's dx_hash command (e2fsprogs 1.47).
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/vnode.h>

#include <fs/ext2fs/ext2fs.h>

/* The hash that is reserved to mean "end of directory" in cookies. */
#define HTREE_EOF_HASH		(0x7fffffffU << 1)

/* Initial state of the MD4 and TEA hashes without a seed. */
static const uint32_t htree_default_seed[4] = {
	0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476
};

static inline uint32_t
rol32(uint32_t x, unsigned int s)
{

	return (x << s) | (x >> (32 - s));
}

/* The legacy hash: a simple multiplicative mix of the name's bytes. */
static uint32_t
htree_hash_legacy(const char *name, size_t len, bool unsig)
{
	uint32_t h, h0 = 0x12a3fe2d, h1 = 0x37abe8f9;
	int32_t c;
	size_t i;

	for (i = 0; i < len; i++) {
		if (unsig)
			c = (unsigned char)name[i];
		else
			c = (signed char)name[i];
		h = h1 + (h0 ^ (uint32_t)(c * 7152373));
		if (h & 0x80000000U)
			h -= 0x7fffffff;
		h1 = h0;
		h0 = h;
	}
	return h0 << 1;
}

/*
 * Pack up to nwords * 4 bytes of the name into words for the MD4 and TEA
 * rounds.  A word starts as padding (the length of what is left of the
 * name, repeated in every byte) and each byte is shifted in from the low
 * end, so a full word has its first byte highest.  Words past the end of
 * the name are padding.
 */
static void
htree_pack(const char *name, size_t len, uint32_t *words, int nwords,
    bool unsig)
{
	uint32_t pad, val;
	int32_t c;
	size_t i;
	int n = nwords;

	pad = (uint32_t)len | ((uint32_t)len << 8);
	pad |= pad << 16;
	val = pad;
	if (len > (size_t)nwords * 4)
		len = (size_t)nwords * 4;
	for (i = 0; i < len; i++) {
		if (unsig)
			c = (unsigned char)name[i];
		else
			c = (signed char)name[i];
		val = (uint32_t)c + (val << 8);
		if (i % 4 == 3) {
			*words++ = val;
			val = pad;
			n--;
		}
	}
	if (--n >= 0)
		*words++ = val;
	while (--n >= 0)
		*words++ = pad;
}

#define MD4_F(x, y, z)	((z) ^ ((x) & ((y) ^ (z))))
#define MD4_G(x, y, z)	(((x) & (y)) + (((x) ^ (y)) & (z)))
#define MD4_H(x, y, z)	((x) ^ (y) ^ (z))
#define MD4_STEP(f, a, b, c, d, x, s)					\
	do {								\
		(a) += f((b), (c), (d)) + (x);				\
		(a) = rol32((a), (s));					\
	} while (0)

#define MD4_K2	0x5a827999U
#define MD4_K3	0x6ed9eba1U

/* MD4's three rounds, each cut to eight steps, over eight input words. */
static void
htree_md4_half(uint32_t buf[4], const uint32_t in[8])
{
	uint32_t a = buf[0], b = buf[1], c = buf[2], d = buf[3];

	MD4_STEP(MD4_F, a, b, c, d, in[0], 3);
	MD4_STEP(MD4_F, d, a, b, c, in[1], 7);
	MD4_STEP(MD4_F, c, d, a, b, in[2], 11);
	MD4_STEP(MD4_F, b, c, d, a, in[3], 19);
	MD4_STEP(MD4_F, a, b, c, d, in[4], 3);
	MD4_STEP(MD4_F, d, a, b, c, in[5], 7);
	MD4_STEP(MD4_F, c, d, a, b, in[6], 11);
	MD4_STEP(MD4_F, b, c, d, a, in[7], 19);

	MD4_STEP(MD4_G, a, b, c, d, in[1] + MD4_K2, 3);
	MD4_STEP(MD4_G, d, a, b, c, in[3] + MD4_K2, 5);
	MD4_STEP(MD4_G, c, d, a, b, in[5] + MD4_K2, 9);
	MD4_STEP(MD4_G, b, c, d, a, in[7] + MD4_K2, 13);
	MD4_STEP(MD4_G, a, b, c, d, in[0] + MD4_K2, 3);
	MD4_STEP(MD4_G, d, a, b, c, in[2] + MD4_K2, 5);
	MD4_STEP(MD4_G, c, d, a, b, in[4] + MD4_K2, 9);
	MD4_STEP(MD4_G, b, c, d, a, in[6] + MD4_K2, 13);

	MD4_STEP(MD4_H, a, b, c, d, in[3] + MD4_K3, 3);
	MD4_STEP(MD4_H, d, a, b, c, in[7] + MD4_K3, 9);
	MD4_STEP(MD4_H, c, d, a, b, in[2] + MD4_K3, 11);
	MD4_STEP(MD4_H, b, c, d, a, in[6] + MD4_K3, 15);
	MD4_STEP(MD4_H, a, b, c, d, in[1] + MD4_K3, 3);
	MD4_STEP(MD4_H, d, a, b, c, in[5] + MD4_K3, 9);
	MD4_STEP(MD4_H, c, d, a, b, in[0] + MD4_K3, 11);
	MD4_STEP(MD4_H, b, c, d, a, in[4] + MD4_K3, 15);

	buf[0] += a;
	buf[1] += b;
	buf[2] += c;
	buf[3] += d;
}

/* Sixteen rounds of the TEA cipher, keyed by four input words. */
static void
htree_tea(uint32_t buf[4], const uint32_t in[4])
{
	uint32_t sum = 0, b0 = buf[0], b1 = buf[1];
	int round;

	for (round = 0; round < 16; round++) {
		sum += 0x9e3779b9U;
		b0 += ((b1 << 4) + in[0]) ^ (b1 + sum) ^ ((b1 >> 5) + in[1]);
		b1 += ((b0 << 4) + in[2]) ^ (b0 + sum) ^ ((b0 >> 5) + in[3]);
	}
	buf[0] += b0;
	buf[1] += b1;
}

uint32_t
ext2fs_htree_hash(int version, const uint32_t seed[4], const char *name,
    size_t len, uint32_t *minorp)
{
	uint32_t buf[4], in[8], hash, minor = 0;
	const char *p;
	bool unsig;
	size_t left;

	unsig = version >= EXT2_HTREE_LEGACY_UNSIGNED;
	if (seed != NULL &&
	    (seed[0] | seed[1] | seed[2] | seed[3]) != 0)
		memcpy(buf, seed, sizeof(buf));
	else
		memcpy(buf, htree_default_seed, sizeof(buf));

	switch (version) {
	case EXT2_HTREE_LEGACY:
	case EXT2_HTREE_LEGACY_UNSIGNED:
		hash = htree_hash_legacy(name, len, unsig);
		break;
	case EXT2_HTREE_HALF_MD4:
	case EXT2_HTREE_HALF_MD4_UNSIGNED:
		for (p = name, left = len; left > 0;
		    p += 32, left -= MIN(left, 32)) {
			htree_pack(p, left, in, 8, unsig);
			htree_md4_half(buf, in);
		}
		hash = buf[1];
		minor = buf[2];
		break;
	case EXT2_HTREE_TEA:
	case EXT2_HTREE_TEA_UNSIGNED:
		for (p = name, left = len; left > 0;
		    p += 16, left -= MIN(left, 16)) {
			htree_pack(p, left, in, 4, unsig);
			htree_tea(buf, in);
		}
		hash = buf[0];
		minor = buf[1];
		break;
	default:
		hash = 0;
		break;
	}

	/* Bit 0 marks continuation blocks in the index; names never have it. */
	hash &= ~1U;
	if (hash == HTREE_EOF_HASH)
		hash = (0x7fffffffU - 1) << 1;
	if (minorp != NULL)
		*minorp = minor;
	return hash;
}

/*
 * The index.
 */

/* Byte offsets in the root block. */
#define DX_ROOT_DOTDOT		12
#define DX_ROOT_INFO		24
#define DX_ROOT_ENTRIES		32
/* Byte offset of the entries in an interior node. */
#define DX_NODE_ENTRIES		8

/* A node of the index, read and checked. */
struct htree_node {
	struct buf	*hn_bp;
	const struct ext2fs_dx_entry *hn_entries;
	uint32_t	 hn_count;
};

static uint32_t
htree_nblocks(const struct ext2fs_inode *dp)
{
	uint64_t n = dp->i_size >> dp->i_ump->um_bshift;

	return n > 0xffffffffU ? 0xffffffffU : (uint32_t)n;
}

static bool
htree_csum_enabled(const struct ext2fs_mount *ump)
{

	return (ump->um_rocompat & EXT4F_ROCOMPAT_METADATA_CSUM) != 0;
}

/*
 * The crc32c of an index node: the directory's seed (from the inode
 * number and generation), the bytes up to the end of the entries in use,
 * and the tail with a zero checksum field.
 */
static uint32_t
htree_node_csum(struct ext2fs_inode *dp, const char *block, uint32_t off,
    uint32_t count, const struct ext2fs_dx_tail *tail)
{
	struct ext2fs_mount *ump = dp->i_ump;
	uint32_t crc, ino = dp->i_number, gen = dp->i_din->i_generation;
	uint32_t zero = 0;

	crc = ext2fs_crc32c(ump->um_csum_seed, &ino, sizeof(ino));
	crc = ext2fs_crc32c(crc, &gen, sizeof(gen));
	crc = ext2fs_crc32c(crc, block, off + count * sizeof(struct
	    ext2fs_dx_entry));
	crc = ext2fs_crc32c(crc, &tail->dt_reserved,
	    sizeof(tail->dt_reserved));
	crc = ext2fs_crc32c(crc, &zero, sizeof(zero));
	return crc;
}

/*
 * Read index node lbn at depth level (0: the root) and check it: the
 * fake entries around it, the limit that the block size implies, the
 * count, the checksum and the order of the hashes.  On success hn has the
 * busy buffer.  A damaged node is EFSCORRUPTED with the reason in *whyp,
 * and the caller logs it once for the whole directory.
 */
static int
htree_node_read(struct ext2fs_inode *dp, uint64_t lbn, int level,
    struct htree_node *hn, const char **whyp)
{
	struct ext2fs_mount *ump = dp->i_ump;
	const struct ext2fs_direct *de;
	const struct ext2fs_dx_countlimit *cl;
	const struct ext2fs_dx_entry *ent;
	const char *block;
	uint32_t bsize = ump->um_bsize, off, limit, tailsize, i;
	int error;

	error = ext2fs_blkread(dp, lbn, &hn->hn_bp);
	if (error != 0) {
		*whyp = "unreadable index block";
		return error;
	}
	block = hn->hn_bp->b_data;

	if (level == 0) {
		de = (const struct ext2fs_direct *)block;
		if (de->e2d_reclen != 12 || de->e2d_namlen != 1 ||
		    de->e2d_name[0] != '.') {
			*whyp = "bad \".\" entry in the index root";
			goto bad;
		}
		de = (const struct ext2fs_direct *)(block + DX_ROOT_DOTDOT);
		if (de->e2d_reclen != bsize - DX_ROOT_DOTDOT ||
		    de->e2d_namlen != 2 || de->e2d_name[0] != '.' ||
		    de->e2d_name[1] != '.') {
			*whyp = "bad \"..\" entry in the index root";
			goto bad;
		}
		off = DX_ROOT_ENTRIES;
	} else {
		de = (const struct ext2fs_direct *)block;
		if (de->e2d_ino != 0 || de->e2d_reclen != bsize ||
		    de->e2d_namlen != 0) {
			*whyp = "bad header of an index node";
			goto bad;
		}
		off = DX_NODE_ENTRIES;
	}

	tailsize = htree_csum_enabled(ump) ? sizeof(struct ext2fs_dx_tail) : 0;
	limit = (bsize - off - tailsize) / sizeof(struct ext2fs_dx_entry);
	cl = (const struct ext2fs_dx_countlimit *)(block + off);
	if (cl->limit != limit) {
		*whyp = "index limit does not match the block size";
		goto bad;
	}
	if (cl->count == 0 || cl->count > limit) {
		*whyp = "index count out of range";
		goto bad;
	}
	if (tailsize != 0) {
		const struct ext2fs_dx_tail *tail = (const void *)(block +
		    off + limit * sizeof(struct ext2fs_dx_entry));

		if (tail->dt_checksum != htree_node_csum(dp, block, off,
		    cl->count, tail)) {
			*whyp = "index checksum mismatch";
			goto bad;
		}
	}

	ent = (const struct ext2fs_dx_entry *)(block + off);
	for (i = 2; i < cl->count; i++) {
		if (ent[i].hash < ent[i - 1].hash) {
			*whyp = "index hashes out of order";
			goto bad;
		}
	}
	hn->hn_entries = ent;
	hn->hn_count = cl->count;
	return 0;

bad:
	brelse(hn->hn_bp, 0);
	hn->hn_bp = NULL;
	return EFSCORRUPTED;
}

/* The hash of entry i of a node; entry 0 stands for hash 0. */
static inline uint32_t
htree_entry_hash(const struct htree_node *hn, uint32_t i)
{

	return i == 0 ? 0 : hn->hn_entries[i].hash;
}

/* Check that the child block of entry i is a block of the directory. */
static int
htree_child(struct ext2fs_inode *dp, const struct htree_node *hn,
    uint32_t i, uint64_t *lbnp, const char **whyp)
{
	uint32_t blk = hn->hn_entries[i].block;

	if (blk == 0 || blk >= htree_nblocks(dp)) {
		*whyp = "index entry points outside the directory";
		return EFSCORRUPTED;
	}
	*lbnp = blk;
	return 0;
}

/*
 * Descend from the node at level, whose entry hc_level[level].pos is
 * chosen and whose busy buffer hn has, to a leaf.  Each level below
 * follows the entry whose hash range contains hc_hash, or with first set
 * its first entry (the next leaf in hash order).
 */
static int
htree_descend(struct ext2fs_inode *dp, struct ext2fs_htree_cursor *hc,
    int level, struct htree_node *hn, bool first, const char **whyp)
{
	uint64_t lbn;
	uint32_t lo, hi, mid;
	int error;

	for (;;) {
		error = htree_child(dp, hn, hc->hc_level[level].pos, &lbn,
		    whyp);
		brelse(hn->hn_bp, 0);
		hn->hn_bp = NULL;
		if (error != 0)
			return error;
		if (level + 1 == (int)hc->hc_nlevels) {
			hc->hc_leaf = lbn;
			return 0;
		}

		level++;
		error = htree_node_read(dp, lbn, level, hn, whyp);
		if (error != 0)
			return error;
		hc->hc_level[level].lbn = lbn;
		hc->hc_level[level].count = hn->hn_count;
		if (first) {
			hc->hc_level[level].pos = 0;
			continue;
		}

		/* The last entry whose hash is at most hc_hash. */
		lo = 1;
		hi = hn->hn_count;
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			if (hn->hn_entries[mid].hash > hc->hc_hash)
				hi = mid;
			else
				lo = mid + 1;
		}
		hc->hc_level[level].pos = lo - 1;
	}
}

int
ext2fs_htree_find(struct ext2fs_inode *dp, const char *name, size_t len,
    struct ext2fs_htree_cursor *hc, const char **whyp)
{
	struct ext2fs_mount *ump = dp->i_ump;
	const struct ext2fs_dx_root_info *info;
	struct htree_node hn;
	uint32_t seed[4], lo, hi, mid, maxlevels;
	int version, error;

	KASSERT(dp->i_din->i_flags & EXT2_INDEX_FL);
	*whyp = NULL;
	if (htree_nblocks(dp) < 2) {
		*whyp = "hashed directory of less than two blocks";
		return EFSCORRUPTED;
	}

	error = htree_node_read(dp, 0, 0, &hn, whyp);
	if (error != 0)
		return error;
	info = (const struct ext2fs_dx_root_info *)((const char *)
	    hn.hn_bp->b_data + DX_ROOT_INFO);
	maxlevels = (ump->um_incompat & EXT4F_INCOMPAT_LARGEDIR) ? 3 : 2;
	if (info->reserved_zero != 0 || info->info_length != 8) {
		*whyp = "bad index root header";
		error = EFSCORRUPTED;
	} else if (info->hash_version > EXT2_HTREE_TEA) {
		*whyp = "unknown hash version";
		error = EFSCORRUPTED;
	} else if (info->indirect_levels >= maxlevels) {
		*whyp = "index too deep";
		error = EFSCORRUPTED;
	}
	if (error != 0) {
		brelse(hn.hn_bp, 0);
		return error;
	}

	version = info->hash_version;
	if (ump->um_hash_unsigned)
		version += EXT2_HTREE_LEGACY_UNSIGNED;
	memcpy(seed, ump->um_sb.s_hash_seed, sizeof(seed));
	hc->hc_version = version;
	hc->hc_hash = ext2fs_htree_hash(version, seed, name, len, NULL);
	hc->hc_nlevels = info->indirect_levels + 1U;
	hc->hc_level[0].lbn = 0;
	hc->hc_level[0].count = hn.hn_count;

	lo = 1;
	hi = hn.hn_count;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (hn.hn_entries[mid].hash > hc->hc_hash)
			hi = mid;
		else
			lo = mid + 1;
	}
	hc->hc_level[0].pos = lo - 1;
	return htree_descend(dp, hc, 0, &hn, false, whyp);
}

int
ext2fs_htree_next(struct ext2fs_inode *dp, struct ext2fs_htree_cursor *hc,
    const char **whyp)
{
	struct htree_node hn;
	uint32_t hash;
	int level, error;

	*whyp = NULL;

	/* The deepest level that has an entry after the one followed. */
	for (level = (int)hc->hc_nlevels - 1; level >= 0; level--) {
		if (hc->hc_level[level].pos + 1 < hc->hc_level[level].count)
			break;
	}
	if (level < 0)
		return ENOENT;

	error = htree_node_read(dp, hc->hc_level[level].lbn, level, &hn, whyp);
	if (error != 0)
		return error;
	if (hn.hn_count != hc->hc_level[level].count) {
		brelse(hn.hn_bp, 0);
		*whyp = "index changed during a lookup";
		return EFSCORRUPTED;
	}
	hc->hc_level[level].pos++;

	/* Only a block that carries on with the same hash is of interest. */
	hash = htree_entry_hash(&hn, hc->hc_level[level].pos);
	if ((hash & ~1U) != hc->hc_hash) {
		brelse(hn.hn_bp, 0);
		return ENOENT;
	}
	return htree_descend(dp, hc, level, &hn, true, whyp);
}
