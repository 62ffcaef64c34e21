/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libukfs partition descriptors: the suffixes of an image path that
 * select part of the image, and the kernel device that a part becomes.
 *
 *	path%OFFSET:start,end%	bytes [start, end) of the image, decimal
 *	path%PARTITION:n%	partition n (from 1) of the image's MBR or
 *				GPT, as the kernel's disk layer finds it
 *	path%DISKLABEL:x%	a BSD disklabel partition: not supported,
 *				EOPNOTSUPP
 *	path%PART:...%		the old form of DISKLABEL: ENODEV
 *
 * A part is reference counted; ukfs_part_probe returns one reference.
 */

#include <sys/types.h>

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rump/ukfs.h>

#include "ukfs_private.h"

/* Partition numbers accepted: GPTs commonly have 128 entries. */
#define UKFS_PARTNUM_MAX	256

static struct ukfs_part ukfs_part_none_store = {
	.part_kind = UKFS_PART_NONE,
	.part_static = true,
};
static struct ukfs_part ukfs_part_na_store = {
	.part_kind = UKFS_PART_NA,
	.part_static = true,
};

struct ukfs_part *ukfs_part_none = &ukfs_part_none_store;
struct ukfs_part *ukfs_part_na = &ukfs_part_na_store;

/*
 * Parse a decimal number at *sp, ended by stop; *sp moves past stop.
 * False for no digits, other characters or overflow.
 */
static bool
ukfs_parse_u64(const char **sp, char stop, uint64_t *vp)
{
	const char *s = *sp;
	uint64_t v = 0;

	if (!isdigit((unsigned char)*s))
		return false;
	for (; isdigit((unsigned char)*s); s++) {
		if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (*s != stop)
		return false;
	*sp = s + 1;
	*vp = v;
	return true;
}

/* Parse the part of a "%OFFSET:" or "%PARTITION:" suffix after its ':'. */
static int
ukfs_parse_suffix(enum ukfs_part_kind kind, const char *s,
    struct ukfs_part *part)
{
	uint64_t start, end, n;

	part->part_kind = kind;
	if (kind == UKFS_PART_OFFSET) {
		if (!ukfs_parse_u64(&s, ',', &start) ||
		    !ukfs_parse_u64(&s, '%', &end) || *s != '\0' ||
		    start >= end)
			return EINVAL;
		part->part_start = start;
		part->part_end = end;
		return 0;
	}
	if (!ukfs_parse_u64(&s, '%', &n) || *s != '\0' || n == 0 ||
	    n > UKFS_PARTNUM_MAX)
		return EINVAL;
	part->part_number = (unsigned)n;
	return 0;
}

int
ukfs_part_probe(char *devpath, struct ukfs_part **partp)
{
	struct ukfs_part *part;
	enum ukfs_part_kind kind;
	char *magic;
	int error;

	if (devpath == NULL || partp == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (strstr(devpath, UKFS_PARTITION_SCANMAGIC) != NULL) {
		fprintf(stderr, "ukfs: %s: the %s suffix is no longer "
		    "supported; use %sn%% or %sstart,end%%\n", devpath,
		    UKFS_PARTITION_SCANMAGIC, UKFS_PARTNUM_SCANMAGIC,
		    UKFS_OFFSET_SCANMAGIC);
		errno = ENODEV;
		return -1;
	}
	if (strstr(devpath, UKFS_DISKLABEL_SCANMAGIC) != NULL) {
		fprintf(stderr, "ukfs: %s: BSD disklabels are not supported; "
		    "use %sn%% for an MBR or GPT partition\n", devpath,
		    UKFS_PARTNUM_SCANMAGIC);
		errno = EOPNOTSUPP;
		return -1;
	}

	if ((magic = strstr(devpath, UKFS_OFFSET_SCANMAGIC)) != NULL)
		kind = UKFS_PART_OFFSET;
	else if ((magic = strstr(devpath, UKFS_PARTNUM_SCANMAGIC)) != NULL)
		kind = UKFS_PART_NUMBER;
	else {
		*partp = ukfs_part_none;
		return 0;
	}

	part = calloc(1, sizeof(*part));
	if (part == NULL)
		return -1;
	error = ukfs_parse_suffix(kind, strchr(magic, ':') + 1, part);
	if (error == 0 && magic == devpath)
		error = EINVAL;		/* no image path before the suffix */
	if (error != 0) {
		free(part);
		errno = error;
		return -1;
	}
	part->part_refcnt = 1;
	*magic = '\0';
	*partp = part;
	return 0;
}

void
ukfs_part_release(struct ukfs_part *part)
{

	if (part == NULL || part->part_static)
		return;
	if (__atomic_sub_fetch(&part->part_refcnt, 1, __ATOMIC_ACQ_REL) == 0)
		free(part);
}

/*
 * Render part for messages: "%OFFSET:start,end%" and "%PARTITION:n%" as
 * they are written after an image path, "whole image" for
 * ukfs_part_none and "not a disk" for ukfs_part_na.  Returns the length
 * of the whole text, which is cut to fit buflen like snprintf's.
 */
int
ukfs_part_tostring(struct ukfs_part *part, char *buf, size_t buflen)
{

	if (part == NULL || (buf == NULL && buflen > 0)) {
		errno = EINVAL;
		return -1;
	}
	switch (part->part_kind) {
	case UKFS_PART_NONE:
		return snprintf(buf, buflen, "whole image");
	case UKFS_PART_NA:
		return snprintf(buf, buflen, "not a disk");
	case UKFS_PART_OFFSET:
		return snprintf(buf, buflen, "%s%llu,%llu%%",
		    UKFS_OFFSET_SCANMAGIC,
		    (unsigned long long)part->part_start,
		    (unsigned long long)part->part_end);
	case UKFS_PART_NUMBER:
		return snprintf(buf, buflen, "%s%u%%", UKFS_PARTNUM_SCANMAGIC,
		    part->part_number);
	}
	errno = EINVAL;
	return -1;
}

int
ukfs_part_devnode(const struct ukfs_part *part, const char *key, char *buf,
    size_t buflen)
{
	size_t keylen = strlen(key);
	int n;

	if (part->part_kind != UKFS_PART_NUMBER)
		n = snprintf(buf, buflen, "%s", key);
	else
		n = snprintf(buf, buflen, "%s%s%u", key,
		    keylen > 0 && isdigit((unsigned char)key[keylen - 1]) ?
		    "p" : "", part->part_number);
	return n < 0 || (size_t)n >= buflen ? ENAMETOOLONG : 0;
}
