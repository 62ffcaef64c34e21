/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Bit searching and counting.  Bit positions count from 1 for the least
 * significant bit, and 0 means no bit was set.  The compiler's count-zeros
 * builtins become single instructions on x86-64 and AArch64.  Its
 * population count builtin calls a libgcc helper on x86-64 unless the CPU
 * is known to have POPCNT.  The kernel links no libgcc, so population
 * counts are computed by hand.
 */

#include <sys/types.h>
#include <lib/libkern/libkern.h>

int
ffs(int mask)
{

	if (mask == 0)
		return 0;
	return __builtin_ctz((unsigned int)mask) + 1;
}

int
ffs64(uint64_t mask)
{

	if (mask == 0)
		return 0;
	return __builtin_ctzll(mask) + 1;
}

int
fls(int mask)
{

	if (mask == 0)
		return 0;
	return 32 - __builtin_clz((unsigned int)mask);
}

int
fls64(uint64_t mask)
{

	if (mask == 0)
		return 0;
	return 64 - __builtin_clzll(mask);
}

/*
 * Count set bits by summing in parallel: pairs of bits, then nibbles, then
 * bytes, and the multiplication adds all byte counts into the top byte.
 */
int
popcount64(uint64_t x)
{

	x = x - ((x >> 1) & 0x5555555555555555ULL);
	x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
	return (int)((x * 0x0101010101010101ULL) >> 56);
}

int
popcount(unsigned int x)
{

	return popcount64(x);
}

/* Returns floor(log2(x)), or -1 for x == 0. */
int
ilog2_u64(uint64_t x)
{

	return fls64(x) - 1;
}
