/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target: mount a small ext2/3/4 image read-only and walk it.
 *
 * Each input is a whole image (h_fuzzimage.h: a memfd shown to the
 * kernel as an etfs block device).  It is mounted read-only as "ext2",
 * which also reads ext3 and ext4, and every directory is listed and every
 * entry examined with lstat, readlink and read, within a budget of
 * entries and bytes so that one input stays fast.  Errors from the kernel
 * are expected on damaged images and ignored.  The findings are crashes,
 * sanitizer reports, hangs (libFuzzer's -timeout), an unmount that fails
 * after the walk closed every file, and a read-only mount that changed
 * the image.  The kernel boots once, in LLVMFuzzerInitialize.
 *
 * FUZZ_VERBOSE=1 in the environment logs the outcome of each mount.
 */

#include "h_fuzzimage.h"

static unsigned char *readback;		/* the image after the unmount */

int
LLVMFuzzerInitialize(int *argcp, char ***argvp)
{

	readback = malloc(FUZZ_MAX_IMAGE);
	if (readback == NULL)
		fuzz_die("malloc", ENOMEM);
	fuzz_boot("fuzz_ext2fs");
	return 0;
}

/* Stop the run when the read-only mount changed the image. */
static void
check_unchanged(const uint8_t *data, size_t size)
{
	size_t i;

	if (pread(fuzz_imgfd, readback, size, 0) != (ssize_t)size)
		fuzz_die("pread", errno);
	if (memcmp(readback, data, size) == 0)
		return;
	for (i = 0; readback[i] == data[i]; i++)
		continue;
	fprintf(stderr, "fuzz_ext2fs: a read-only mount wrote to the image "
	    "(first changed byte at offset %zu)\n", i);
	abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{

	if (size < FUZZ_MIN_IMAGE || size > FUZZ_MAX_IMAGE)
		return 0;
	fuzz_load_image(data, size);
	if (fuzz_mount(MS_RDONLY) == 0) {
		fuzz_walk();
		fuzz_unmount();
	}
	fuzz_unload_image();
	check_unchanged(data, size);
	return 0;
}
