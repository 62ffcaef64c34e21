/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Character classes of the C locale.  The kernel supports only ASCII: every
 * value outside 0..127, EOF (-1) included, belongs to no class, and the
 * case conversions return it unchanged.
 */

#include <sys/types.h>
#include <lib/libkern/libkern.h>

int
isdigit(int c)
{

	return c >= '0' && c <= '9';
}

/* Space, tab, newline, vertical tab, form feed and carriage return. */
int
isspace(int c)
{

	return c == ' ' || (c >= '\t' && c <= '\r');
}

int
isxdigit(int c)
{

	return isdigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int
isalpha(int c)
{

	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

int
toupper(int c)
{

	return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
}

int
tolower(int c)
{

	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}
