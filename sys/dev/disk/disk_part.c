/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Partition tables: the MBR (primary partitions and the logical ones of
 * an extended partition) and the GUID partition table (GPT), read into a
 * list of (number, start, size).  sys/disk.h states the interface.
 *
 * Layouts, as the UEFI specification (version 2.10, section 5) and the
 * IBM PC MBR convention define them; every field is little-endian:
 *
 *  MBR, sector 0: four 16-byte entries at byte 446, signature 0x55 0xaa
 *	at byte 510.  Entry: boot flag (0x00 or 0x80), CHS start (3),
 *	system id (1), CHS end (3), first sector (4), sector count (4).
 *	System id 0xee marks a protective MBR in front of a GPT.  System
 *	ids 0x05, 0x0f and 0x85 mark an extended partition, whose first
 *	sector contains an extended boot record (EBR) with the same
 *	layout.  Entry 0 of an EBR is a logical partition relative to the
 *	EBR, entry 1 the next EBR relative to the start of the extended
 *	partition.
 *
 *  GPT header, at LBA 1, with the backup at the last LBA.  Its fields,
 *	with sizes in bytes: "EFI PART" (8), revision (4), header size
 *	(4), header CRC32 (4, computed with the field zero), reserved (4),
 *	own LBA (8), other header's LBA (8),
 *	first usable LBA (8), last usable LBA (8), disk GUID (16), entry
 *	array LBA (8), entry count (4), entry size (4), entry array CRC32
 *	(4).  Entry: type GUID (16), unique GUID (16), first LBA (8), last
 *	LBA (8, inclusive), attributes (8), name (72 bytes of UTF-16LE).
 *
 * Everything read from the disk is checked before use, and a table that
 * fails a check gives no partitions at all, with a reason: sizes that do
 * not fit, entries outside the disk or the usable area, entry arrays that
 * are too big, EBR chains that leave the extended partition or loop.
 * Reads go through a callback in 512-byte-aligned pieces of at most
 * 1 KiB, so the reader needs no memory of its own and no kernel services;
 * disk_partitions_parse runs it on a memory buffer for fuzzers.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/disk.h>
#include <sys/errno.h>

#define MBR_SIG_OFF		510
#define MBR_PART_OFF		446
#define MBR_NPARTS		4
#define MBR_TYPE_GPT		0xee
#define MBR_MAXLOGICAL		64	/* logical partitions followed at most */

#define GPT_HDR_MINSIZE		92
#define GPT_ENTRY_MINSIZE	128
#define GPT_ARRAY_MAXBYTES	(1024 * 1024)	/* larger arrays are rejected */

#define DISK_IOSIZE		512	/* unit of the reads */

/* Little-endian loads from a byte buffer. */
static uint32_t
le32(const uint8_t *p)
{

	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static uint64_t
le64(const uint8_t *p)
{

	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

/*
 * CRC32 of IEEE 802.3 in its reflected form (polynomial 0xedb88320), as
 * GPT uses: crc is the value of the bytes before (0 to start), and the
 * pre- and post-inversion are done here.  Half a byte per step keeps the
 * table at 16 entries.
 */
uint32_t
disk_crc32(uint32_t crc, const void *buf, size_t len)
{
	static const uint32_t nibble[16] = {
		0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac,
		0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c,
		0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
		0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
	};
	const uint8_t *p = buf;

	crc = ~crc;
	while (len-- > 0) {
		crc ^= *p++;
		crc = (crc >> 4) ^ nibble[crc & 0xf];
		crc = (crc >> 4) ^ nibble[crc & 0xf];
	}
	return ~crc;
}

/* State shared by the MBR and GPT readers. */
struct disk_ctx {
	disk_read_fn	 read;
	void		*arg;
	uint64_t	 size;		/* bytes */
	uint64_t	 nsect;		/* sectors of secsize */
	u_int		 secsize;
	struct disk_partition *parts;
	u_int		 maxparts;
	u_int		 nfound;
	const char	*reason;	/* why the table was rejected, or a note */
};

/* Read len bytes at off, both multiples of DISK_IOSIZE, inside the disk. */
static int
disk_read(struct disk_ctx *dc, uint64_t off, void *buf, size_t len)
{

	if (off % DISK_IOSIZE != 0 || len % DISK_IOSIZE != 0 ||
	    off > dc->size || len > dc->size - off)
		return EINVAL;
	return (*dc->read)(dc->arg, off, buf, len);
}

static int
disk_bad(struct disk_ctx *dc, const char *reason)
{

	dc->reason = reason;
	return EINVAL;
}

/*
 * Add a partition of sectors [start, start + count).  The caller checked
 * that it lies inside the disk.  Partitions past maxparts are left out.
 */
static void
disk_add(struct disk_ctx *dc, uint32_t number, uint64_t start,
    uint64_t count, uint8_t mbrtype, const uint8_t *guid)
{
	struct disk_partition *dp;

	if (dc->nfound >= dc->maxparts)
		return;
	dp = &dc->parts[dc->nfound++];
	memset(dp, 0, sizeof(*dp));
	dp->dp_number = number;
	dp->dp_start = start * dc->secsize;
	dp->dp_size = count * dc->secsize;
	dp->dp_mbrtype = mbrtype;
	if (guid != NULL)
		memcpy(dp->dp_guid, guid, sizeof(dp->dp_guid));
}

/* True when sectors [start, start + count) lie inside [lo, hi). */
static bool
disk_inside(uint64_t start, uint64_t count, uint64_t lo, uint64_t hi)
{

	return start >= lo && start <= hi && count <= hi - start;
}

/*
 * MBR.
 */

static bool
mbr_is_extended(uint8_t type)
{

	return type == 0x05 || type == 0x0f || type == 0x85;
}

/*
 * Follow the EBR chain of the extended partition [ext, ext + extlen).
 * Logical partitions get numbers from 5 on.
 */
static int
mbr_logicals(struct disk_ctx *dc, uint64_t ext, uint64_t extlen)
{
	uint8_t sect[DISK_IOSIZE];
	const uint8_t *e;
	uint64_t ebr = ext, start, count, next;
	u_int n;
	int error;

	for (n = 0; ; n++) {
		if (n == MBR_MAXLOGICAL)
			return disk_bad(dc, "too many logical partitions "
			    "(an EBR chain that loops?)");
		error = disk_read(dc, ebr * dc->secsize, sect, sizeof(sect));
		if (error != 0)
			return error;
		if (sect[MBR_SIG_OFF] != 0x55 || sect[MBR_SIG_OFF + 1] != 0xaa)
			return disk_bad(dc, "an EBR lacks the 0x55aa signature");

		/* Entry 0: the logical partition, relative to this EBR. */
		e = sect + MBR_PART_OFF;
		start = le32(e + 8);
		count = le32(e + 12);
		if (e[4] != 0 && count != 0) {
			if (!disk_inside(ebr + start, count, ext, ext + extlen))
				return disk_bad(dc, "a logical partition "
				    "lies outside its extended partition");
			disk_add(dc, 5 + n, ebr + start, count, e[4], NULL);
		}

		/* Entry 1: the next EBR, relative to the extended start. */
		e += 16;
		next = le32(e + 8);
		if (e[4] == 0 || le32(e + 12) == 0)
			return 0;
		if (!mbr_is_extended(e[4]))
			return disk_bad(dc, "an EBR links to a partition that "
			    "is not extended");
		if (next == 0 || next >= extlen)
			return disk_bad(dc, "an EBR link points outside the "
			    "extended partition");
		ebr = ext + next;
	}
}

/*
 * Parse the MBR in sect (the disk's first 512 bytes).  *gptp is set when
 * it is a protective MBR, and then nothing else is done.
 */
static int
mbr_parse(struct disk_ctx *dc, const uint8_t *sect, bool *gptp)
{
	const uint8_t *e;
	uint64_t start, count, ext = 0, extlen = 0;
	int i, used = 0;

	*gptp = false;
	if (sect[MBR_SIG_OFF] != 0x55 || sect[MBR_SIG_OFF + 1] != 0xaa)
		return 0;
	/* A boot sector of a file system has code here, not entries. */
	for (i = 0; i < MBR_NPARTS; i++) {
		e = sect + MBR_PART_OFF + 16 * i;
		if (e[0] != 0x00 && e[0] != 0x80)
			return 0;
		if (e[4] != 0)
			used++;
	}
	if (used == 0)
		return 0;
	for (i = 0; i < MBR_NPARTS; i++) {
		if (sect[MBR_PART_OFF + 16 * i + 4] == MBR_TYPE_GPT) {
			*gptp = true;
			return 0;
		}
	}

	for (i = 0; i < MBR_NPARTS; i++) {
		e = sect + MBR_PART_OFF + 16 * i;
		start = le32(e + 8);
		count = le32(e + 12);
		if (e[4] == 0 || count == 0)
			continue;
		if (start == 0 || !disk_inside(start, count, 0, dc->nsect))
			return disk_bad(dc, "an MBR partition lies outside "
			    "the disk");
		if (mbr_is_extended(e[4])) {
			if (extlen != 0)
				return disk_bad(dc, "the MBR has more than "
				    "one extended partition");
			ext = start;
			extlen = count;
			continue;
		}
		disk_add(dc, (uint32_t)(i + 1), start, count, e[4], NULL);
	}
	if (extlen != 0)
		return mbr_logicals(dc, ext, extlen);
	return 0;
}

/*
 * GPT.
 */

struct gpt_header {
	uint64_t	lba;		/* where it is */
	uint64_t	first_usable;
	uint64_t	last_usable;
	uint64_t	entries_lba;
	uint32_t	nentries;
	uint32_t	entry_size;
	uint32_t	entries_crc;
};

/*
 * Read and check the header at lba.  Returns 0 and fills gh, or EINVAL
 * with the reason, or the read's errno.
 */
static int
gpt_header_read(struct disk_ctx *dc, uint64_t lba, struct gpt_header *gh)
{
	uint8_t hdr[DISK_IOSIZE];
	uint32_t hdrsize, crc;
	uint64_t arraybytes, arraysect;
	int error;

	error = disk_read(dc, lba * dc->secsize, hdr, sizeof(hdr));
	if (error != 0)
		return error;
	if (memcmp(hdr, "EFI PART", 8) != 0)
		return disk_bad(dc, "no GPT header signature");
	hdrsize = le32(hdr + 12);
	if (hdrsize < GPT_HDR_MINSIZE || hdrsize > sizeof(hdr))
		return disk_bad(dc, "the GPT header size is invalid");
	crc = le32(hdr + 16);
	memset(hdr + 16, 0, 4);
	if (disk_crc32(0, hdr, hdrsize) != crc)
		return disk_bad(dc, "the GPT header CRC32 does not match");

	gh->lba = le64(hdr + 24);
	gh->first_usable = le64(hdr + 40);
	gh->last_usable = le64(hdr + 48);
	gh->entries_lba = le64(hdr + 72);
	gh->nentries = le32(hdr + 80);
	gh->entry_size = le32(hdr + 84);
	gh->entries_crc = le32(hdr + 88);
	if (gh->lba != lba)
		return disk_bad(dc, "the GPT header is not where it says");
	if (gh->first_usable > gh->last_usable ||
	    gh->last_usable >= dc->nsect || gh->first_usable < 2)
		return disk_bad(dc, "the GPT usable area is outside the disk");
	if (gh->entry_size < GPT_ENTRY_MINSIZE || gh->entry_size % 8 != 0)
		return disk_bad(dc, "the GPT entry size is invalid");
	arraybytes = (uint64_t)gh->nentries * gh->entry_size;
	if (gh->nentries == 0 || arraybytes > GPT_ARRAY_MAXBYTES)
		return disk_bad(dc, "the GPT entry count is invalid");

	/* The array lies between the header and the usable area. */
	arraysect = howmany(arraybytes, dc->secsize);
	if (!disk_inside(gh->entries_lba, arraysect, 0, dc->nsect) ||
	    (gh->entries_lba <= gh->last_usable &&
	    gh->entries_lba + arraysect > gh->first_usable) ||
	    (gh->lba >= gh->entries_lba &&
	    gh->lba < gh->entries_lba + arraysect))
		return disk_bad(dc, "the GPT entry array is outside the disk "
		    "or overlaps the usable area");
	return 0;
}

/* Check the CRC32 of the entry array of gh. */
static int
gpt_array_check(struct disk_ctx *dc, const struct gpt_header *gh)
{
	uint8_t buf[DISK_IOSIZE];
	uint64_t off, left;
	uint32_t crc = 0;
	size_t n;
	int error;

	off = gh->entries_lba * dc->secsize;
	left = (uint64_t)gh->nentries * gh->entry_size;
	while (left > 0) {
		error = disk_read(dc, off, buf, sizeof(buf));
		if (error != 0)
			return error;
		n = MIN(left, sizeof(buf));
		crc = disk_crc32(crc, buf, n);
		off += sizeof(buf);
		left -= n;
	}
	if (crc != gh->entries_crc)
		return disk_bad(dc, "the GPT entry array CRC32 does not match");
	return 0;
}

/* Add the used entries of gh's array. */
static int
gpt_entries(struct disk_ctx *dc, const struct gpt_header *gh)
{
	static const uint8_t zero[16];
	uint8_t buf[2 * DISK_IOSIZE];
	const uint8_t *e;
	uint64_t off, aligned, first, last;
	uint32_t i;
	int error;

	for (i = 0; i < gh->nentries; i++) {
		/* The first 48 bytes of the entry, in at most two pieces. */
		off = gh->entries_lba * dc->secsize +
		    (uint64_t)i * gh->entry_size;
		aligned = rounddown(off, DISK_IOSIZE);
		error = disk_read(dc, aligned, buf,
		    off + 48 - aligned > DISK_IOSIZE ? 2 * DISK_IOSIZE :
		    DISK_IOSIZE);
		if (error != 0)
			return error;
		e = buf + (off - aligned);
		if (memcmp(e, zero, sizeof(zero)) == 0)
			continue;
		first = le64(e + 32);
		last = le64(e + 40);
		if (first > last || first < gh->first_usable ||
		    last > gh->last_usable)
			return disk_bad(dc, "a GPT partition lies outside the "
			    "usable area");
		disk_add(dc, i + 1, first, last - first + 1, 0, e);
	}
	return 0;
}

/* One GPT copy: header, array CRC and entries. */
static int
gpt_try(struct disk_ctx *dc, uint64_t lba)
{
	struct gpt_header gh;
	int error;

	error = gpt_header_read(dc, lba, &gh);
	if (error == 0)
		error = gpt_array_check(dc, &gh);
	if (error == 0) {
		dc->nfound = 0;
		error = gpt_entries(dc, &gh);
	}
	return error;
}

/*
 * The primary GPT, or the backup at the last sector when the primary is
 * damaged.  The reason given is the primary's when both fail.
 */
static int
gpt_parse(struct disk_ctx *dc)
{
	const char *primary_reason;
	int error;

	if (dc->nsect < 3)
		return disk_bad(dc, "the disk is too small for a GPT");
	error = gpt_try(dc, 1);
	if (error != EINVAL)
		return error;
	primary_reason = dc->reason;
	error = gpt_try(dc, dc->nsect - 1);
	if (error == 0) {
		dc->reason = "the primary GPT is damaged; using the backup";
		return 0;
	}
	dc->nfound = 0;
	dc->reason = primary_reason;
	return EINVAL;
}

int
disk_partitions_read(disk_read_fn read, void *arg, uint64_t disksize,
    u_int secsize, struct disk_partition *parts, u_int maxparts,
    u_int *nfoundp, const char **reasonp)
{
	struct disk_ctx dc = {
		.read = read,
		.arg = arg,
		.size = disksize,
		.secsize = secsize,
		.parts = parts,
		.maxparts = maxparts,
	};
	uint8_t sect[DISK_IOSIZE];
	bool gpt;
	int error;

	*nfoundp = 0;
	*reasonp = NULL;
	if (secsize != 512 && secsize != 4096)
		return EINVAL;
	dc.nsect = disksize / secsize;
	if (disksize < DISK_IOSIZE)
		return 0;

	error = disk_read(&dc, 0, sect, sizeof(sect));
	if (error == 0)
		error = mbr_parse(&dc, sect, &gpt);
	if (error == 0 && gpt)
		error = gpt_parse(&dc);
	if (error != 0) {
		*reasonp = dc.reason != NULL ? dc.reason :
		    "the disk cannot be read";
		return error;
	}
	*reasonp = dc.reason;
	*nfoundp = dc.nfound;
	return 0;
}

/* The memory reader of disk_partitions_parse. */
struct disk_membuf {
	const uint8_t	*data;
	size_t		 len;
};

static int
disk_memread(void *arg, uint64_t off, void *buf, size_t len)
{
	const struct disk_membuf *mb = arg;

	if (off > mb->len || len > mb->len - off)
		return EIO;
	memcpy(buf, mb->data + off, len);
	return 0;
}

int
disk_partitions_parse(const void *disk, size_t len, u_int secsize,
    struct disk_partition *parts, u_int maxparts, u_int *nfoundp,
    const char **reasonp)
{
	struct disk_membuf mb = { .data = disk, .len = len };

	return disk_partitions_read(disk_memread, &mb, len, secsize, parts,
	    maxparts, nfoundp, reasonp);
}

u_int
disk_guess_secsize(disk_read_fn read, void *arg, uint64_t disksize)
{
	uint8_t hdr[DISK_IOSIZE];

	if (disksize >= 1024 && (*read)(arg, 512, hdr, sizeof(hdr)) == 0 &&
	    memcmp(hdr, "EFI PART", 8) == 0)
		return 512;
	if (disksize >= 4096 + 512 &&
	    (*read)(arg, 4096, hdr, sizeof(hdr)) == 0 &&
	    memcmp(hdr, "EFI PART", 8) == 0)
		return 4096;
	return 512;
}
