/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Tests of the memory hypercalls: rumpuser_malloc() and rumpuser_free()
 * with their alignments, rumpuser_anonmmap() and rumpuser_unmap().
 */

#include <sys/mman.h>
#include <sys/types.h>

#include <atf-c.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "h_hyperup.h"

#if defined(__SANITIZE_ADDRESS__)
/*
 * AddressSanitizer aborts on an impossible allocation unless
 * allocator_may_return_null is set, and malloc_enomem needs the failure.
 */
const char *__asan_default_options(void);
const char *
__asan_default_options(void)
{

	return "allocator_may_return_null=1";
}
#endif

/*
 * Return the permission field ("rwxp" and the like) of the mapping in
 * /proc/self/maps that contains addr, in perms, or fail the test.
 */
static void
mapping_perms(const void *addr, char perms[5])
{
	unsigned long start, end, a;
	char line[512];
	FILE *maps;
	bool found;

	a = (unsigned long)(uintptr_t)addr;
	maps = fopen("/proc/self/maps", "r");
	ATF_REQUIRE(maps != NULL);
	found = false;
	while (!found && fgets(line, sizeof(line), maps) != NULL) {
		if (sscanf(line, "%lx-%lx %4s", &start, &end, perms) == 3 &&
		    a >= start && a < end)
			found = true;
	}
	fclose(maps);
	ATF_REQUIRE_MSG(found, "no mapping contains %p", addr);
}

ATF_TC(malloc_alignments);
ATF_TC_HEAD(malloc_alignments, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "rumpuser_malloc returns writable memory at each power-of-two "
	    "alignment");
}
ATF_TC_BODY(malloc_alignments, tc)
{
	static const int alignments[] = {
		1, 2, 4, 8, 16, 64, 512, 4096, 65536, 1 << 20,
	};
	size_t i;
	void *mem;

	h_init();
	for (i = 0; i < sizeof(alignments) / sizeof(alignments[0]); i++) {
		mem = NULL;
		ATF_REQUIRE_EQ_MSG(rumpuser_malloc(1000, alignments[i], &mem),
		    0, "alignment %d", alignments[i]);
		ATF_REQUIRE(mem != NULL);
		ATF_CHECK_EQ_MSG((uintptr_t)mem % (uintptr_t)alignments[i], 0,
		    "%p is not aligned to %d", mem, alignments[i]);
		memset(mem, 0xa5, 1000);
		rumpuser_free(mem, 1000);
	}
}

ATF_TC(malloc_default_alignment);
ATF_TC_HEAD(malloc_default_alignment, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "rumpuser_malloc with alignment 0 aligns to pointer size");
}
ATF_TC_BODY(malloc_default_alignment, tc)
{
	void *mem[16];
	size_t i;

	h_init();
	for (i = 0; i < 16; i++) {
		ATF_REQUIRE_EQ(rumpuser_malloc(i * 7 + 1, 0, &mem[i]), 0);
		ATF_CHECK_EQ((uintptr_t)mem[i] % sizeof(void *), 0);
		memset(mem[i], 0, i * 7 + 1);
	}
	for (i = 0; i < 16; i++)
		rumpuser_free(mem[i], i * 7 + 1);
}

ATF_TC(malloc_invalid_alignment);
ATF_TC_HEAD(malloc_invalid_alignment, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "rumpuser_malloc returns EINVAL for alignments that are not powers "
	    "of two");
}
ATF_TC_BODY(malloc_invalid_alignment, tc)
{
	static const int bad[] = { 3, 6, 24, 100, 4095, -1, -4096, INT32_MIN };
	size_t i;
	void *mem;

	h_init();
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		mem = (void *)&mem;
		ATF_CHECK_EQ_MSG(rumpuser_malloc(64, bad[i], &mem), EINVAL,
		    "alignment %d was accepted", bad[i]);
		ATF_CHECK(mem == (void *)&mem);
	}
}

ATF_TC(malloc_enomem);
ATF_TC_HEAD(malloc_enomem, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "rumpuser_malloc returns ENOMEM for an impossible size");
}
ATF_TC_BODY(malloc_enomem, tc)
{
	void *mem;

	h_init();
	ATF_CHECK_EQ(rumpuser_malloc(SIZE_MAX - 4096, 4096, &mem), ENOMEM);
}

ATF_TC(anonmmap_alignments);
ATF_TC_HEAD(anonmmap_alignments, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "rumpuser_anonmmap maps zeroed memory aligned to 2^alignbit");
}
ATF_TC_BODY(anonmmap_alignments, tc)
{
	static const int alignbits[] = { 0, 4, 12, 13, 16, 21, 22 };
	const size_t sizes[] = { 1, 4096, 3 * 4096 + 17, 1 << 20 };
	unsigned char *mem;
	size_t i, j, k;
	void *p;

	h_init();
	for (i = 0; i < sizeof(alignbits) / sizeof(alignbits[0]); i++) {
		for (j = 0; j < sizeof(sizes) / sizeof(sizes[0]); j++) {
			ATF_REQUIRE_EQ_MSG(rumpuser_anonmmap(NULL, sizes[j],
			    alignbits[i], 0, &p), 0, "alignbit %d size %zu",
			    alignbits[i], sizes[j]);
			mem = p;
			ATF_CHECK_EQ_MSG((uintptr_t)mem %
			    ((uintptr_t)1 << alignbits[i]), 0,
			    "%p is not aligned to 2^%d", p, alignbits[i]);
			ATF_CHECK_EQ((uintptr_t)mem %
			    (uintptr_t)sysconf(_SC_PAGESIZE), 0);
			for (k = 0; k < sizes[j]; k += 512)
				ATF_REQUIRE_EQ(mem[k], 0);
			memset(mem, 0x5a, sizes[j]);
			rumpuser_unmap(mem, sizes[j]);
		}
	}
}

ATF_TC(anonmmap_trims_excess);
ATF_TC_HEAD(anonmmap_trims_excess, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "An aligned rumpuser_anonmmap leaves nothing mapped past its end");
}
ATF_TC_BODY(anonmmap_trims_excess, tc)
{
	const size_t align = (size_t)1 << 22;
	const size_t size = 8192;
	unsigned char vec;
	void *p;

	h_init();
	ATF_REQUIRE_EQ(rumpuser_anonmmap(NULL, size, 22, 0, &p), 0);
	ATF_CHECK_EQ((uintptr_t)p % align, 0);
	/* mincore() fails with ENOMEM on an unmapped page. */
	ATF_CHECK_EQ(mincore((char *)p + size, 4096, &vec), -1);
	ATF_CHECK_EQ(errno, ENOMEM);
	rumpuser_unmap(p, size);
}

ATF_TC(anonmmap_exec);
ATF_TC_HEAD(anonmmap_exec, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "rumpuser_anonmmap adds execute permission only when asked");
}
ATF_TC_BODY(anonmmap_exec, tc)
{
	char perms[5];
	void *p;
	int error;

	h_init();
	ATF_REQUIRE_EQ(rumpuser_anonmmap(NULL, 4096, 0, 0, &p), 0);
	mapping_perms(p, perms);
	ATF_CHECK_STREQ(perms, "rw-p");
	rumpuser_unmap(p, 4096);

	error = rumpuser_anonmmap(NULL, 4096, 16, 1, &p);
	if (error == EACCES || error == EPERM)
		atf_tc_skip("the host forbids writable executable mappings");
	ATF_REQUIRE_EQ(error, 0);
	mapping_perms(p, perms);
	ATF_CHECK_STREQ(perms, "rwxp");
	rumpuser_unmap(p, 4096);
}

ATF_TC(anonmmap_invalid);
ATF_TC_HEAD(anonmmap_invalid, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "rumpuser_anonmmap rejects size 0 and impossible alignments");
}
ATF_TC_BODY(anonmmap_invalid, tc)
{
	void *p;

	h_init();
	ATF_CHECK_EQ(rumpuser_anonmmap(NULL, 0, 0, 0, &p), EINVAL);
	ATF_CHECK_EQ(rumpuser_anonmmap(NULL, 4096, -1, 0, &p), EINVAL);
	ATF_CHECK_EQ(rumpuser_anonmmap(NULL, 4096, 64, 0, &p), EINVAL);
	ATF_CHECK_EQ(rumpuser_anonmmap(NULL, SIZE_MAX - 100, 0, 0, &p),
	    ENOMEM);
	ATF_CHECK_EQ(rumpuser_anonmmap(NULL, SIZE_MAX - 100, 21, 0, &p),
	    ENOMEM);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, malloc_alignments);
	ATF_TP_ADD_TC(tp, malloc_default_alignment);
	ATF_TP_ADD_TC(tp, malloc_invalid_alignment);
	ATF_TP_ADD_TC(tp, malloc_enomem);
	ATF_TP_ADD_TC(tp, anonmmap_alignments);
	ATF_TP_ADD_TC(tp, anonmmap_trims_excess);
	ATF_TP_ADD_TC(tp, anonmmap_exec);
	ATF_TP_ADD_TC(tp, anonmmap_invalid);
	return atf_no_error();
}
