/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * NUL-terminated string routines with the C library's semantics, plus the
 * BSD strlcpy, strlcat and strsep.  They work a byte at a time: kernel
 * strings are short (names, paths, messages), and a word-at-a-time scan
 * would read past the terminator, which the address sanitizer reports.
 */

#include <sys/types.h>
#include <lib/libkern/libkern.h>

size_t
strlen(const char *s)
{
	const char *p;

	for (p = s; *p != '\0'; p++)
		continue;
	return p - s;
}

size_t
strnlen(const char *s, size_t maxlen)
{
	size_t len;

	for (len = 0; len < maxlen && s[len] != '\0'; len++)
		continue;
	return len;
}

/* Compare as unsigned char, like the C library. */
int
strcmp(const char *s1, const char *s2)
{
	const unsigned char *p1 = (const unsigned char *)s1;
	const unsigned char *p2 = (const unsigned char *)s2;

	while (*p1 != '\0' && *p1 == *p2) {
		p1++;
		p2++;
	}
	return *p1 - *p2;
}

int
strncmp(const char *s1, const char *s2, size_t n)
{
	const unsigned char *p1 = (const unsigned char *)s1;
	const unsigned char *p2 = (const unsigned char *)s2;

	for (; n > 0; p1++, p2++, n--) {
		if (*p1 != *p2)
			return *p1 - *p2;
		if (*p1 == '\0')
			break;
	}
	return 0;
}

char *
strcpy(char *dst, const char *src)
{
	char *d = dst;

	while ((*d++ = *src++) != '\0')
		continue;
	return dst;
}

/* Copy at most n bytes and fill the rest of the n with NULs, as in C. */
char *
strncpy(char *dst, const char *src, size_t n)
{
	size_t i;

	for (i = 0; i < n && src[i] != '\0'; i++)
		dst[i] = src[i];
	for (; i < n; i++)
		dst[i] = '\0';
	return dst;
}

/*
 * Copy src into the size-byte buffer dst, truncating if needed, and
 * NUL-terminate when size is not 0.  Returns strlen(src), so a result of
 * size or more means the copy was truncated.
 */
size_t
strlcpy(char *dst, const char *src, size_t size)
{
	size_t srclen = strlen(src);
	size_t n;

	if (size > 0) {
		n = srclen < size - 1 ? srclen : size - 1;
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return srclen;
}

/*
 * Append src to the string in the size-byte buffer dst, truncating if
 * needed.  Returns the length the whole string would have had: the length
 * of dst (or size, when dst contains no NUL within size bytes) plus
 * strlen(src).  A result of size or more means the result was truncated.
 */
size_t
strlcat(char *dst, const char *src, size_t size)
{
	size_t dstlen = strnlen(dst, size);
	size_t srclen = strlen(src);
	size_t room, n;

	if (dstlen == size)
		return size + srclen;

	room = size - dstlen - 1;
	n = srclen < room ? srclen : room;
	memcpy(dst + dstlen, src, n);
	dst[dstlen + n] = '\0';
	return dstlen + srclen;
}

/* Searching for c == '\0' finds the terminator, as in C. */
char *
strchr(const char *s, int c)
{
	char ch = (char)c;

	for (;; s++) {
		if (*s == ch)
			return (char *)(uintptr_t)s;
		if (*s == '\0')
			return NULL;
	}
}

char *
strrchr(const char *s, int c)
{
	char ch = (char)c;
	const char *last = NULL;

	for (;; s++) {
		if (*s == ch)
			last = s;
		if (*s == '\0')
			return (char *)(uintptr_t)last;
	}
}

/* An empty needle matches at the start of the haystack. */
char *
strstr(const char *haystack, const char *needle)
{
	size_t len = strlen(needle);

	if (len == 0)
		return (char *)(uintptr_t)haystack;
	for (; *haystack != '\0'; haystack++) {
		if (*haystack == *needle && strncmp(haystack, needle, len) == 0)
			return (char *)(uintptr_t)haystack;
	}
	return NULL;
}

/*
 * Split off the first token of *stringp, which ends at the first character
 * from delim.  That character is overwritten with NUL and *stringp moves
 * past it, or becomes NULL when the string had no delimiter.  Returns the
 * token, or NULL when *stringp was already NULL.
 */
char *
strsep(char **stringp, const char *delim)
{
	char *token = *stringp;
	char *end;

	if (token == NULL)
		return NULL;

	end = token + strcspn(token, delim);
	if (*end == '\0') {
		*stringp = NULL;
	} else {
		*end = '\0';
		*stringp = end + 1;
	}
	return token;
}

size_t
strspn(const char *s, const char *accept)
{
	size_t n;

	for (n = 0; s[n] != '\0' && strchr(accept, s[n]) != NULL; n++)
		continue;
	return n;
}

size_t
strcspn(const char *s, const char *reject)
{
	size_t n;

	for (n = 0; s[n] != '\0' && strchr(reject, s[n]) == NULL; n++)
		continue;
	return n;
}
