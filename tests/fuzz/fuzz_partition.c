/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target: the MBR and GPT partition table reader of the disk
 * layer (sys/dev/disk), fed the input as a whole disk.
 *
 * The reader is kernel code in librumpvfs, so its symbols carry the
 * kernel's rumpns_ prefix, and the structures below mirror
 * sys/sys/disk.h, which host code cannot include.  Each input is read as
 * a disk of 512-byte and of 4096-byte sectors, both from memory
 * (disk_partitions_parse) and through a read callback
 * (disk_partitions_read), and disk_guess_secsize looks at it once.  The
 * calls run scheduled on a virtual CPU of the kernel, which boots once in
 * LLVMFuzzerInitialize.  Besides crashes and sanitizer reports, each of
 * these breaks the documented contract and stops the run:
 *
 *  - a read outside the disk or not in 512-byte-aligned pieces;
 *  - an error other than EINVAL, or an EINVAL without a reason;
 *  - more partitions than asked for;
 *  - a partition numbered 0 or not inside the disk;
 *  - the two ways of reading the same disk giving different partitions;
 *  - a list cut short by maxparts that is not the start of the full list.
 */

#include <sys/types.h>

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rump/rump.h>

/* Mirror of struct disk_partition in sys/sys/disk.h. */
struct disk_partition {
	uint32_t	dp_number;
	uint64_t	dp_start;
	uint64_t	dp_size;
	uint8_t		dp_mbrtype;
	uint8_t		dp_guid[16];
};

#define DISK_MAXPARTS	128
#define SHORT_MAXPARTS	2	/* a list cut short by maxparts */

typedef int (*disk_read_fn)(void *, uint64_t, void *, size_t);

int	rumpns_disk_partitions_read(disk_read_fn, void *, uint64_t,
	    unsigned int, struct disk_partition *, unsigned int,
	    unsigned int *, const char **);
int	rumpns_disk_partitions_parse(const void *, size_t, unsigned int,
	    struct disk_partition *, unsigned int, unsigned int *,
	    const char **);
unsigned int rumpns_disk_guess_secsize(disk_read_fn, void *, uint64_t);

int LLVMFuzzerInitialize(int *argcp, char ***argvp);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The disk that the read callback serves. */
struct memdisk {
	const uint8_t	*md_data;
	uint64_t	 md_size;
};

#define READ_ALIGN	512	/* reads are in 512-byte-aligned pieces */

static void __attribute__((noreturn, format(printf, 1, 2)))
finding(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "fuzz_partition: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	abort();
}

int
LLVMFuzzerInitialize(int *argcp, char ***argvp)
{
	int error;

	error = rump_init();
	if (error != 0) {
		fprintf(stderr, "fuzz_partition: rump_init: %s\n",
		    strerror(error));
		abort();
	}
	return 0;
}

static int
memdisk_read(void *arg, uint64_t off, void *buf, size_t len)
{
	struct memdisk *md = arg;

	if (off > md->md_size || len > md->md_size - off)
		finding("read of %zu bytes at %llu outside a disk of %llu",
		    len, (unsigned long long)off,
		    (unsigned long long)md->md_size);
	if (off % READ_ALIGN != 0 || len % READ_ALIGN != 0)
		finding("read of %zu bytes at %llu is not in %d-byte-aligned "
		    "pieces", len, (unsigned long long)off, READ_ALIGN);
	memcpy(buf, md->md_data + off, len);
	return 0;
}

/* Check one result against the reader's contract. */
static void
check_result(const char *how, int error, const char *why,
    const struct disk_partition *parts, unsigned int nfound,
    uint64_t disksize)
{
	unsigned int i;

	if (error != 0 && error != EINVAL)
		finding("%s: error %d, expected 0 or EINVAL", how, error);
	if (error == EINVAL && why == NULL)
		finding("%s: EINVAL without a reason", how);
	if (error != 0)
		return;
	if (nfound > DISK_MAXPARTS)
		finding("%s: %u partitions, at most %d asked for", how, nfound,
		    DISK_MAXPARTS);
	for (i = 0; i < nfound; i++) {
		const struct disk_partition *p = &parts[i];

		if (p->dp_number == 0)
			finding("%s: partition %u has number 0", how, i);
		if (p->dp_start > disksize || p->dp_size > disksize -
		    p->dp_start)
			finding("%s: partition %u (%llu bytes at %llu) is not "
			    "inside the disk of %llu bytes", how, p->dp_number,
			    (unsigned long long)p->dp_size,
			    (unsigned long long)p->dp_start,
			    (unsigned long long)disksize);
	}
}

/* Whether two lists of partitions are the same, field by field. */
static int
same_partitions(const struct disk_partition *a, const struct disk_partition *b,
    unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (a[i].dp_number != b[i].dp_number ||
		    a[i].dp_start != b[i].dp_start ||
		    a[i].dp_size != b[i].dp_size ||
		    a[i].dp_mbrtype != b[i].dp_mbrtype ||
		    memcmp(a[i].dp_guid, b[i].dp_guid, sizeof(a[i].dp_guid)))
			return 0;
	}
	return 1;
}

/* Read the input as a disk of secsize-byte sectors, both ways. */
static void
read_as(const uint8_t *data, size_t size, unsigned int secsize)
{
	static struct disk_partition byparse[DISK_MAXPARTS];
	static struct disk_partition byread[DISK_MAXPARTS];
	static struct disk_partition byshort[SHORT_MAXPARTS];
	struct memdisk md;
	unsigned int nparse = 0, nread = 0, nshort = 0;
	const char *whyparse = NULL, *whyread = NULL, *whyshort = NULL;
	uint64_t disksize = size - size % secsize;
	int eparse, eread, eshort;

	md.md_data = data;
	md.md_size = disksize;
	eparse = rumpns_disk_partitions_parse(data, disksize, secsize, byparse,
	    DISK_MAXPARTS, &nparse, &whyparse);
	eread = rumpns_disk_partitions_read(memdisk_read, &md, disksize,
	    secsize, byread, DISK_MAXPARTS, &nread, &whyread);

	eshort = rumpns_disk_partitions_parse(data, disksize, secsize, byshort,
	    SHORT_MAXPARTS, &nshort, &whyshort);

	check_result("parse", eparse, whyparse, byparse, nparse, disksize);
	check_result("read", eread, whyread, byread, nread, disksize);
	if (eparse != eread || (eparse == 0 && (nparse != nread ||
	    !same_partitions(byparse, byread, nparse))))
		finding("parse and read of the same %u-byte-sector disk "
		    "differ: error %d/%d, %u/%u partitions", secsize, eparse,
		    eread, nparse, nread);
	if (eshort != eparse || (eparse == 0 && (nshort != (nparse <
	    SHORT_MAXPARTS ? nparse : SHORT_MAXPARTS) ||
	    !same_partitions(byparse, byshort, nshort))))
		finding("parse with maxparts %d is not the start of the full "
		    "list: error %d/%d, %u/%u partitions", SHORT_MAXPARTS,
		    eshort, eparse, nshort, nparse);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct memdisk md;
	unsigned int guess;

	if (size < 512)
		return 0;
	rump_schedule();
	read_as(data, size, 512);
	if (size >= 4096)
		read_as(data, size, 4096);

	md.md_data = data;
	md.md_size = size - size % 512;
	guess = rumpns_disk_guess_secsize(memdisk_read, &md, md.md_size);
	if (guess != 512 && guess != 4096)
		finding("disk_guess_secsize returned %u", guess);
	rump_unschedule();
	return 0;
}
