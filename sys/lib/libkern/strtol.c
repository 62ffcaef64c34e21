/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Number parsing with the semantics of the C library's strtoull and
 * strtoll, reporting errors through an argument in place of errno, which
 * the kernel does not have.
 *
 * Accepted input: leading white space, an optional + or - sign, then
 * digits of the base.  Base 16 allows a 0x or 0X prefix; base 0 picks 16
 * for such a prefix, 8 for a leading 0 and 10 otherwise.  A prefix that no
 * hex digit follows is not a prefix: "0x" parses as 0 with the end pointer
 * at the x, as in the C library.  Letters a-z in either case are the
 * digits 10 to 35.  Every digit is consumed even after the value
 * overflowed.
 */

#include <sys/types.h>
#include <sys/errno.h>
#include <lib/libkern/libkern.h>

#define ULLONG_MAX_VALUE	(~0ULL)
#define LLONG_MAX_VALUE		((long long)(ULLONG_MAX_VALUE >> 1))
#define LLONG_MIN_VALUE		(-LLONG_MAX_VALUE - 1)

/* Result of scanning the text, before it is fitted to the caller's type. */
struct parsed_number {
	unsigned long long	magnitude;	/* saturated at ULLONG_MAX */
	bool			negative;	/* a - sign was given */
	bool			overflow;	/* magnitude exceeded ULLONG_MAX */
	int			error;		/* 0, or EINVAL: base or no digits */
};

static int
digit_value(int c)
{

	if (isdigit(c))
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;	/* above every base */
}

/*
 * Scan nptr in the given base and store the end of the number in *endp
 * (when endp is not NULL): past the last digit, or nptr itself when there
 * were no digits or the base is invalid.
 */
static void
parse_number(const char *nptr, char **endp, int base,
    struct parsed_number *pn)
{
	const char *s = nptr;
	const char *digits;
	unsigned long long max_before, digit;

	pn->magnitude = 0;
	pn->negative = false;
	pn->overflow = false;
	pn->error = 0;

	if (base < 0 || base == 1 || base > 36) {
		pn->error = EINVAL;
		if (endp != NULL)
			*endp = (char *)(uintptr_t)nptr;
		return;
	}

	while (isspace((unsigned char)*s))
		s++;
	if (*s == '+' || *s == '-') {
		pn->negative = *s == '-';
		s++;
	}
	if ((base == 0 || base == 16) && s[0] == '0' &&
	    (s[1] == 'x' || s[1] == 'X') && isxdigit((unsigned char)s[2])) {
		s += 2;
		base = 16;
	} else if (base == 0) {
		base = s[0] == '0' ? 8 : 10;
	}

	/* magnitude * base + digit fits while magnitude <= max_before. */
	max_before = ULLONG_MAX_VALUE / base;
	for (digits = s; (digit = digit_value((unsigned char)*s)) < base; s++) {
		if (pn->overflow)
			continue;
		if (pn->magnitude > max_before ||
		    pn->magnitude * base > ULLONG_MAX_VALUE - digit) {
			pn->overflow = true;
			pn->magnitude = ULLONG_MAX_VALUE;
			continue;
		}
		pn->magnitude = pn->magnitude * base + digit;
	}

	if (s == digits) {
		pn->error = EINVAL;
		pn->negative = false;
		s = nptr;
	}
	if (endp != NULL)
		*endp = (char *)(uintptr_t)s;
}

/*
 * As in C, a - sign negates the value in unsigned arithmetic, so "-1"
 * returns ULLONG_MAX without error.  Overflow returns ULLONG_MAX whatever
 * the sign.
 */
unsigned long long
strtoull_err(const char *nptr, char **endp, int base, int *errorp)
{
	struct parsed_number pn;
	unsigned long long result;

	parse_number(nptr, endp, base, &pn);
	if (pn.error != 0)
		result = 0;
	else if (pn.overflow)
		result = ULLONG_MAX_VALUE;
	else
		result = pn.negative ? 0 - pn.magnitude : pn.magnitude;

	if (errorp != NULL) {
		if (pn.error != 0)
			*errorp = pn.error;
		else if (pn.overflow)
			*errorp = ERANGE;
		else
			*errorp = 0;
	}
	return result;
}

/* Values beyond the range of long long saturate at LLONG_MAX or LLONG_MIN. */
long long
strtoll_err(const char *nptr, char **endp, int base, int *errorp)
{
	struct parsed_number pn;
	unsigned long long limit;
	long long result;
	int error;

	parse_number(nptr, endp, base, &pn);
	error = pn.error;

	/* The negative range reaches one further than the positive one. */
	limit = (unsigned long long)LLONG_MAX_VALUE + (pn.negative ? 1 : 0);
	if (error != 0) {
		result = 0;
	} else if (pn.overflow || pn.magnitude > limit) {
		result = pn.negative ? LLONG_MIN_VALUE : LLONG_MAX_VALUE;
		error = ERANGE;
	} else if (pn.negative) {
		/* 0 - magnitude wraps as intended for LLONG_MIN, too. */
		result = (long long)(0 - pn.magnitude);
	} else {
		result = (long long)pn.magnitude;
	}

	if (errorp != NULL)
		*errorp = error;
	return result;
}

/* long and long long have the same width on the LP64 hosts supported. */
_Static_assert(sizeof(long) == sizeof(long long), "LP64 host");

unsigned long
strtoul(const char *nptr, char **endp, int base)
{

	return strtoull_err(nptr, endp, base, NULL);
}

long
strtol(const char *nptr, char **endp, int base)
{

	return strtoll_err(nptr, endp, base, NULL);
}
