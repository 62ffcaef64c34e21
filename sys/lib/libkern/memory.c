/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Memory block routines: memcpy, memmove, memset, memcmp and memchr.
 *
 * File data flows through memcpy, so the bulk of every routine works a
 * machine word (8 bytes) at a time.  The destination is first brought to
 * word alignment byte by byte.  Then whole words move, four per loop
 * iteration where that helps, and a byte loop finishes the tail.  The
 * source is read through a word type of alignment 1, because x86-64 and
 * AArch64 (the only hosts the kernel supports) load unaligned words at
 * full or nearly full speed, so source and destination need not share an
 * alignment.  The word types are may_alias, so the compiler makes no
 * type-based assumption about the bytes behind them.
 *
 * GCC recognises byte loops that copy or fill memory and replaces them with
 * calls to memcpy, memmove or memset, which inside those routines would
 * recurse forever.  LIBKERN_NOLIBCALL turns that transformation off for
 * the routines below.
 */

#include <sys/types.h>
#include <lib/libkern/libkern.h>

#if defined(__GNUC__) && !defined(__clang__)
#define LIBKERN_NOLIBCALL \
	__attribute__((__optimize__("no-tree-loop-distribute-patterns")))
#else
/* NOTE: other compilers are not checked for self-calls here. */
#define LIBKERN_NOLIBCALL
#endif

typedef unsigned long word_t;
typedef word_t __attribute__((__may_alias__)) aligned_word_t;
typedef word_t __attribute__((__may_alias__, __aligned__(1))) unaligned_word_t;

#define WORD_SIZE	sizeof(word_t)
#define WORD_MASK	(WORD_SIZE - 1)
#define BYTES_ONES	0x0101010101010101UL	/* 0x01 in every byte */
#define BYTES_HIGHS	0x8080808080808080UL	/* 0x80 in every byte */

_Static_assert(sizeof(word_t) == 8, "word_t is 8 bytes on LP64 hosts");

/* STORE_WORD needs an aligned address, and LOAD_WORD takes any address. */
#define STORE_WORD(p, w)	(*(aligned_word_t *)(void *)(p) = (w))
#define LOAD_WORD(p)		(*(const unaligned_word_t *)(const void *)(p))

static inline bool
word_aligned(const void *p)
{

	return ((uintptr_t)p & WORD_MASK) == 0;
}

/*
 * Copy n bytes from low to high addresses.  Correct also when the regions
 * overlap with dst below src: every group of words is loaded before any of
 * it is stored, and stores never reach source bytes not yet loaded.
 */
static LIBKERN_NOLIBCALL void
copy_forward(unsigned char *d, const unsigned char *s, size_t n)
{
	word_t w0, w1, w2, w3;

	if (n >= 2 * WORD_SIZE) {
		while (!word_aligned(d)) {
			*d++ = *s++;
			n--;
		}
		while (n >= 4 * WORD_SIZE) {
			w0 = LOAD_WORD(s);
			w1 = LOAD_WORD(s + WORD_SIZE);
			w2 = LOAD_WORD(s + 2 * WORD_SIZE);
			w3 = LOAD_WORD(s + 3 * WORD_SIZE);
			STORE_WORD(d, w0);
			STORE_WORD(d + WORD_SIZE, w1);
			STORE_WORD(d + 2 * WORD_SIZE, w2);
			STORE_WORD(d + 3 * WORD_SIZE, w3);
			d += 4 * WORD_SIZE;
			s += 4 * WORD_SIZE;
			n -= 4 * WORD_SIZE;
		}
		while (n >= WORD_SIZE) {
			STORE_WORD(d, LOAD_WORD(s));
			d += WORD_SIZE;
			s += WORD_SIZE;
			n -= WORD_SIZE;
		}
	}
	while (n > 0) {
		*d++ = *s++;
		n--;
	}
}

/*
 * Copy n bytes from high to low addresses, for overlapping regions with
 * dst above src.  The mirror image of copy_forward.
 */
static LIBKERN_NOLIBCALL void
copy_backward(unsigned char *d, const unsigned char *s, size_t n)
{
	word_t w0, w1, w2, w3;

	d += n;
	s += n;
	if (n >= 2 * WORD_SIZE) {
		while (!word_aligned(d)) {
			*--d = *--s;
			n--;
		}
		while (n >= 4 * WORD_SIZE) {
			d -= 4 * WORD_SIZE;
			s -= 4 * WORD_SIZE;
			n -= 4 * WORD_SIZE;
			w3 = LOAD_WORD(s + 3 * WORD_SIZE);
			w2 = LOAD_WORD(s + 2 * WORD_SIZE);
			w1 = LOAD_WORD(s + WORD_SIZE);
			w0 = LOAD_WORD(s);
			STORE_WORD(d + 3 * WORD_SIZE, w3);
			STORE_WORD(d + 2 * WORD_SIZE, w2);
			STORE_WORD(d + WORD_SIZE, w1);
			STORE_WORD(d, w0);
		}
		while (n >= WORD_SIZE) {
			d -= WORD_SIZE;
			s -= WORD_SIZE;
			n -= WORD_SIZE;
			STORE_WORD(d, LOAD_WORD(s));
		}
	}
	while (n > 0) {
		*--d = *--s;
		n--;
	}
}

/*
 * The regions must not overlap, as in C.  This implementation happens to
 * be correct for dst below src as well, but callers must not rely on it.
 */
void *
memcpy(void *dst, const void *src, size_t n)
{

	copy_forward(dst, src, n);
	return dst;
}

void *
memmove(void *dst, const void *src, size_t n)
{
	uintptr_t d = (uintptr_t)dst, s = (uintptr_t)src;

	/*
	 * d - s wraps to a large value when dst is below src, so one unsigned
	 * comparison finds every case that a forward copy handles: dst below
	 * src, or dst at or beyond the end of src.
	 */
	if (d - s >= n)
		copy_forward(dst, src, n);
	else if (d != s)
		copy_backward(dst, src, n);
	return dst;
}

LIBKERN_NOLIBCALL void *
memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	unsigned char byte = (unsigned char)c;
	word_t w;

	if (n >= 2 * WORD_SIZE) {
		while (!word_aligned(d)) {
			*d++ = byte;
			n--;
		}
		w = byte * BYTES_ONES;
		while (n >= 4 * WORD_SIZE) {
			STORE_WORD(d, w);
			STORE_WORD(d + WORD_SIZE, w);
			STORE_WORD(d + 2 * WORD_SIZE, w);
			STORE_WORD(d + 3 * WORD_SIZE, w);
			d += 4 * WORD_SIZE;
			n -= 4 * WORD_SIZE;
		}
		while (n >= WORD_SIZE) {
			STORE_WORD(d, w);
			d += WORD_SIZE;
			n -= WORD_SIZE;
		}
	}
	while (n > 0) {
		*d++ = byte;
		n--;
	}
	return dst;
}

/*
 * Compare as unsigned bytes.  Returns the difference of the first pair of
 * bytes that differ, or 0.  Whole words are skipped while they are equal.
 */
int
memcmp(const void *b1, const void *b2, size_t n)
{
	const unsigned char *p1 = b1, *p2 = b2;

	while (n >= WORD_SIZE && LOAD_WORD(p1) == LOAD_WORD(p2)) {
		p1 += WORD_SIZE;
		p2 += WORD_SIZE;
		n -= WORD_SIZE;
	}
	for (; n > 0; p1++, p2++, n--) {
		if (*p1 != *p2)
			return *p1 - *p2;
	}
	return 0;
}

/*
 * Find the first byte equal to (unsigned char)c.  Aligned words are tested
 * for a matching byte all at once.  After XOR with c repeated in every
 * byte, a matching byte is 0, and (x - 0x01..01) & ~x & 0x80..80 is
 * non-zero exactly when some byte of x is 0.  Nothing outside [b, b + n)
 * is read.
 */
void *
memchr(const void *b, int c, size_t n)
{
	const unsigned char *p = b;
	unsigned char byte = (unsigned char)c;
	word_t pattern, x;

	while (n > 0 && !word_aligned(p)) {
		if (*p == byte)
			return (void *)(uintptr_t)p;
		p++;
		n--;
	}

	pattern = byte * BYTES_ONES;
	while (n >= WORD_SIZE) {
		x = LOAD_WORD(p) ^ pattern;
		if (((x - BYTES_ONES) & ~x & BYTES_HIGHS) != 0)
			break;
		p += WORD_SIZE;
		n -= WORD_SIZE;
	}

	for (; n > 0; p++, n--) {
		if (*p == byte)
			return (void *)(uintptr_t)p;
	}
	return NULL;
}
