/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Differential tests of the kernel's libkern against the host C library.
 *
 * The kernel's routines are called directly under their names in librump,
 * where every kernel symbol carries the rumpns_ prefix.  None of them needs
 * a booted kernel, so the tests do not call rump_init().  The console cases
 * at the end check the kernel's printf family (kern/subr_prf.c), which is
 * built on the same formatter.  Where glibc has
 * the same routine (printf family, strtoull, memory and string routines,
 * ctype, ffs), the kernel's result must match it exactly over large tables
 * of inputs.  The BSD-only routines (strlcpy, strlcat, fls, popcount) are
 * checked against hand-computed values.
 *
 * A table test reports the first MAX_REPORTS mismatches one by one and
 * then the total, so one bug does not bury the log.
 */

#include <sys/types.h>
#include <sys/wait.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <atf-c.h>

/* The kernel's libkern, as librump exports it. */
void	*rumpns_memcpy(void *, const void *, size_t);
void	*rumpns_memmove(void *, const void *, size_t);
void	*rumpns_memset(void *, int, size_t);
int	 rumpns_memcmp(const void *, const void *, size_t);
void	*rumpns_memchr(const void *, int, size_t);
size_t	 rumpns_strlen(const char *);
size_t	 rumpns_strnlen(const char *, size_t);
int	 rumpns_strcmp(const char *, const char *);
int	 rumpns_strncmp(const char *, const char *, size_t);
char	*rumpns_strcpy(char *, const char *);
char	*rumpns_strncpy(char *, const char *, size_t);
size_t	 rumpns_strlcpy(char *, const char *, size_t);
size_t	 rumpns_strlcat(char *, const char *, size_t);
char	*rumpns_strchr(const char *, int);
char	*rumpns_strrchr(const char *, int);
char	*rumpns_strstr(const char *, const char *);
char	*rumpns_strsep(char **, const char *);
size_t	 rumpns_strspn(const char *, const char *);
size_t	 rumpns_strcspn(const char *, const char *);
int	 rumpns_isdigit(int);
int	 rumpns_isspace(int);
int	 rumpns_isxdigit(int);
int	 rumpns_isalpha(int);
int	 rumpns_toupper(int);
int	 rumpns_tolower(int);
unsigned long long rumpns_strtoull_err(const char *, char **, int, int *);
long long rumpns_strtoll_err(const char *, char **, int, int *);
unsigned long rumpns_strtoul(const char *, char **, int);
long	 rumpns_strtol(const char *, char **, int);
int	 rumpns_ffs(int);
int	 rumpns_ffs64(uint64_t);
int	 rumpns_fls(int);
int	 rumpns_fls64(uint64_t);
int	 rumpns_popcount(unsigned int);
int	 rumpns_popcount64(uint64_t);
int	 rumpns_ilog2_u64(uint64_t);
int	 rumpns_snprintf(char *, size_t, const char *, ...)
	    __attribute__((__format__(__printf__, 3, 4)));
int	 rumpns_vsnprintf(char *, size_t, const char *, va_list);
int	 rumpns_kvformat(void (*)(int, void *), void *, const char *, va_list);

/* The kernel's console messages (kern/subr_prf.c) and its boot flags. */
void	 rumpns_printf(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2)));
void	 rumpns_aprint_normal(const char *, ...);
void	 rumpns_aprint_verbose(const char *, ...);
void	 rumpns_aprint_debug(const char *, ...);
void	 rumpns_aprint_error(const char *, ...);
void	 rumpns_log(int, const char *, ...);
void	 rumpns_panic(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2), __noreturn__));
void	 rumpns_kern_assert(const char *, ...) __attribute__((__noreturn__));
extern int rumpns_boothowto;

/* Values from the kernel's sys/reboot.h and sys/systm.h. */
#define KERNEL_AB_VERBOSE	0x20000
#define KERNEL_AB_DEBUG		0x80000
#define KERNEL_LOG_ERR		3
#define KERNEL_LOG_WARNING	4
#define KERNEL_LOG_NOTICE	5
#define KERNEL_LOG_INFO		6

#define arraycount(a)	(sizeof(a) / sizeof((a)[0]))

#define MAX_REPORTS	20
#define FORMAT_BUFSIZE	512

/* Mismatches seen by the running test case (each runs in its own process). */
static int mismatches;

static void mismatch(const char *, ...) __attribute__((__format__(__printf__, 1, 2)));

static void
mismatch(const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	mismatches++;
	if (mismatches > MAX_REPORTS)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	atf_tc_fail_nonfatal("%s", msg);
}

static void
require_no_mismatches(void)
{

	if (mismatches > MAX_REPORTS)
		atf_tc_fail_nonfatal("%d mismatches in all, the first %d shown",
		    mismatches, MAX_REPORTS);
}

/* Write n bytes of s as a C string literal body into out. */
static const char *
escape(const char *s, size_t n, char *out, size_t outsize)
{
	size_t used = 0;
	unsigned char c;

	for (; n > 0 && used + 5 < outsize; s++, n--) {
		c = (unsigned char)*s;
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			out[used++] = (char)c;
		else
			used += snprintf(out + used, outsize - used, "\\x%02x", c);
	}
	out[used] = '\0';
	return out;
}

/* A reproducible stream of pseudo-random numbers (xorshift64). */
static uint64_t random_state = 0x9e3779b97f4a7c15ULL;

static uint64_t
next_random(void)
{

	random_state ^= random_state << 13;
	random_state ^= random_state >> 7;
	random_state ^= random_state << 17;
	return random_state;
}

static void
fill_random(unsigned char *p, size_t n)
{

	while (n-- > 0)
		*p++ = (unsigned char)next_random();
}

static int
sign_of(int v)
{

	return (v > 0) - (v < 0);
}

/*
 * Formatting
 */

/*
 * Format with the host's and the kernel's vsnprintf and compare return
 * values and output.  args describes the arguments for the report.
 */
static void
check_format(const char *args, const char *fmt, ...)
{
	char want[FORMAT_BUFSIZE], got[FORMAT_BUFSIZE];
	char want_text[4 * FORMAT_BUFSIZE], got_text[4 * FORMAT_BUFSIZE];
	char fmt_text[256];
	int want_len, got_len;
	va_list ap, ap2;

	memset(want, 0x55, sizeof(want));
	memset(got, 0x55, sizeof(got));
	va_start(ap, fmt);
	va_copy(ap2, ap);
	want_len = vsnprintf(want, sizeof(want), fmt, ap);
	got_len = rumpns_vsnprintf(got, sizeof(got), fmt, ap2);
	va_end(ap2);
	va_end(ap);

	if (want_len < 0 || want_len >= FORMAT_BUFSIZE) {
		mismatch("test bug: format \"%s\" (%s) gives %d characters",
		    escape(fmt, strlen(fmt), fmt_text, sizeof(fmt_text)),
		    args, want_len);
		return;
	}
	if (got_len != want_len ||
	    memcmp(want, got, (size_t)want_len + 1) != 0) {
		escape(fmt, strlen(fmt), fmt_text, sizeof(fmt_text));
		escape(want, want_len, want_text, sizeof(want_text));
		escape(got, got_len >= 0 && got_len < FORMAT_BUFSIZE ?
		    got_len : 0, got_text, sizeof(got_text));
		mismatch("format \"%s\" (%s): expected \"%s\" (%d), got "
		    "\"%s\" (%d)", fmt_text, args, want_text, want_len,
		    got_text, got_len);
	}
}

static const char *const int_flags[] = {
	"", "-", "+", " ", "0", "#", "-+", "- ", "-0", "-#", "+ ", "+0",
	"+#", " 0", " #", "0#", "-+ ", "-+0", "-+#", "- 0", "- #", "-0#",
	"+ 0", "+ #", "+0#", " 0#", "-+ 0", "-+ #", "-+0#", "- 0#", "+ 0#",
	"-+ 0#", "0-", "#0", " +", "00",
};
static const char *const int_widths[] = { "", "1", "6", "23", "30" };
static const char *const int_precisions[] = {
	"", ".", ".0", ".1", ".6", ".25",
};
static const char *const int_lengths[] = {
	"", "hh", "h", "l", "ll", "q", "j", "z", "t",
};
static const char int_conversions[] = "diuoxX";

static const int64_t int_values[] = {
	0, 1, -1, 7, 8, 9, 10, 15, 16, 42, -42, 127, 128, -128, -129, 255,
	256, 32767, 32768, -32768, -32769, 65535, 65536,
	INT_MAX, INT_MIN, (int64_t)UINT_MAX, (int64_t)UINT_MAX + 1,
	LLONG_MAX, LLONG_MIN, -2, 0x123456789abcdefLL,
	(int64_t)0xfedcba9876543210ULL, 1000000000000LL,
};

/* Pass value with the type that the length modifier and conversion read. */
static void
check_int_format(const char *fmt, const char *length, char conv,
    int64_t value)
{
	bool is_signed = conv == 'd' || conv == 'i';
	char args[64];

	snprintf(args, sizeof(args), "value %lld", (long long)value);
	if (length[0] == '\0' || length[0] == 'h') {
		if (is_signed)
			check_format(args, fmt, (int)value);
		else
			check_format(args, fmt, (unsigned int)value);
	} else if (strcmp(length, "l") == 0) {
		if (is_signed)
			check_format(args, fmt, (long)value);
		else
			check_format(args, fmt, (unsigned long)value);
	} else if (strcmp(length, "ll") == 0 || strcmp(length, "q") == 0) {
		if (is_signed)
			check_format(args, fmt, (long long)value);
		else
			check_format(args, fmt, (unsigned long long)value);
	} else if (strcmp(length, "j") == 0) {
		if (is_signed)
			check_format(args, fmt, (intmax_t)value);
		else
			check_format(args, fmt, (uintmax_t)value);
	} else if (strcmp(length, "z") == 0) {
		if (is_signed)
			check_format(args, fmt, (ssize_t)value);
		else
			check_format(args, fmt, (size_t)value);
	} else {
		if (is_signed)
			check_format(args, fmt, (ptrdiff_t)value);
		else
			check_format(args, fmt, (size_t)(ptrdiff_t)value);
	}
}

ATF_TC(format_integers);
ATF_TC_HEAD(format_integers, tc)
{

	atf_tc_set_md_var(tc, "descr", "snprintf of d i u o x X matches the "
	    "host for every flag, width, precision and length combination");
}
ATF_TC_BODY(format_integers, tc)
{
	char fmt[64];
	size_t f, w, p, l, c, v;

	for (f = 0; f < arraycount(int_flags); f++)
	for (w = 0; w < arraycount(int_widths); w++)
	for (p = 0; p < arraycount(int_precisions); p++)
	for (l = 0; l < arraycount(int_lengths); l++)
	for (c = 0; c < sizeof(int_conversions) - 1; c++) {
		snprintf(fmt, sizeof(fmt), "<%%%s%s%s%s%c>", int_flags[f],
		    int_widths[w], int_precisions[p], int_lengths[l],
		    int_conversions[c]);
		for (v = 0; v < arraycount(int_values); v++)
			check_int_format(fmt, int_lengths[l],
			    int_conversions[c], int_values[v]);
	}
	require_no_mismatches();
}

ATF_TC(format_star);
ATF_TC_HEAD(format_star, tc)
{

	atf_tc_set_md_var(tc, "descr", "width and precision given as * "
	    "arguments, including negative values, match the host");
}
ATF_TC_BODY(format_star, tc)
{
	static const char *const one_star[] = {
		"%*d", "%-*d", "%0*d", "%+*i", "%#*x", "%.*d", "%.*u",
		"%#.*o", "%#.*X", "%+.*d", "%0.*d",
	};
	static const char *const two_stars[] = {
		"%*.*d", "%-*.*d", "%0*.*d", "%*.*x", "%#*.*o", "%+*.*i",
		"[%*.*s]",
	};
	static const int widths[] = { -20, -5, -1, 0, 1, 5, 20 };
	static const int precisions[] = { INT_MIN, -20, -1, 0, 1, 5, 20 };
	static const int values[] = { 0, 1, -1, 123, -4567, INT_MAX, INT_MIN };
	char args[96];
	size_t f, w, p, v;
	int star;

	for (f = 0; f < arraycount(one_star); f++)
	for (w = 0; w < arraycount(widths); w++)
	for (v = 0; v < arraycount(values); v++) {
		star = strstr(one_star[f], ".*") != NULL ? precisions[w] :
		    widths[w];
		snprintf(args, sizeof(args), "star %d, value %d", star,
		    values[v]);
		check_format(args, one_star[f], star, values[v]);
	}

	for (f = 0; f < arraycount(two_stars); f++)
	for (w = 0; w < arraycount(widths); w++)
	for (p = 0; p < arraycount(precisions); p++)
	for (v = 0; v < arraycount(values); v++) {
		snprintf(args, sizeof(args), "stars %d %d, value %d",
		    widths[w], precisions[p], values[v]);
		if (strchr(two_stars[f], 's') != NULL)
			check_format(args, two_stars[f], widths[w],
			    precisions[p], "string");
		else
			check_format(args, two_stars[f], widths[w],
			    precisions[p], values[v]);
	}

	check_format("two fields", "[%*d|%-*d]", 4, 1, 4, 2);
	check_format("star strings", "%.*s|%-*s|", 3, "abcdef", -7, "xy");
	require_no_mismatches();
}

ATF_TC(format_strings);
ATF_TC_HEAD(format_strings, tc)
{

	atf_tc_set_md_var(tc, "descr", "%%s with flags, width and precision, "
	    "including NULL and unterminated arrays, matches the host");
}
ATF_TC_BODY(format_strings, tc)
{
	static const char *const strings[] = {
		"", "a", "hello", "hello, world", NULL, "\xff\x80 high bytes",
		"tab\tand newline\n",
	};
	static const char *const flags[] = { "", "-", "0", "-0", "#", "+ " };
	static const char *const widths[] = { "", "1", "5", "6", "13", "20" };
	static const char *const precisions[] = {
		"", ".", ".0", ".1", ".5", ".6", ".7", ".12", ".30",
	};
	static const char unterminated[4] = { 'a', 'b', 'c', 'd' };
	char fmt[64], args[64];
	size_t s, f, w, p;

	for (s = 0; s < arraycount(strings); s++)
	for (f = 0; f < arraycount(flags); f++)
	for (w = 0; w < arraycount(widths); w++)
	for (p = 0; p < arraycount(precisions); p++) {
		snprintf(fmt, sizeof(fmt), "[%%%s%s%ss]", flags[f], widths[w],
		    precisions[p]);
		snprintf(args, sizeof(args), "string %zu", s);
		check_format(args, fmt, strings[s]);
	}

	/* With a precision, nothing past it may be read. */
	check_format("unterminated array", "[%.4s]", unterminated);
	check_format("unterminated array", "[%.2s]", unterminated);
	check_format("unterminated array", "[%-8.4s]", unterminated);
	check_format("unterminated array", "[%.*s]", 3, unterminated);
	require_no_mismatches();
}

ATF_TC(format_chars);
ATF_TC_HEAD(format_chars, tc)
{

	atf_tc_set_md_var(tc, "descr", "%%c with flags and width, including "
	    "NUL and values beyond a byte, matches the host");
}
ATF_TC_BODY(format_chars, tc)
{
	static const int chars[] = { 'a', 0, ' ', 0x7f, 0x80, 0xff, -1, 0x141 };
	static const char *const flags[] = { "", "-", "0", "-0", "+", "#" };
	static const char *const widths[] = { "", "1", "2", "7" };
	char fmt[64], args[64];
	size_t c, f, w;

	for (c = 0; c < arraycount(chars); c++)
	for (f = 0; f < arraycount(flags); f++)
	for (w = 0; w < arraycount(widths); w++) {
		snprintf(fmt, sizeof(fmt), "[%%%s%sc]", flags[f], widths[w]);
		snprintf(args, sizeof(args), "char %d", chars[c]);
		check_format(args, fmt, chars[c]);
	}
	check_format("several", "%c%c%c", 'x', 'y', 'z');
	require_no_mismatches();
}

ATF_TC(format_pointers);
ATF_TC_HEAD(format_pointers, tc)
{

	atf_tc_set_md_var(tc, "descr", "%%p prints 0x and hex digits, and "
	    "(nil) for NULL, like glibc, with any flags and width");
}
ATF_TC_BODY(format_pointers, tc)
{
	int local;
	void *const pointers[] = {
		NULL, (void *)1, (void *)0xdeadbeef, (void *)UINTPTR_MAX,
		&local, (void *)(uintptr_t)0x8000000000000000ULL,
	};
	static const char *const flags[] = {
		"", "-", "+", " ", "0", "#", "-+", "+0", "-0",
	};
	static const char *const widths[] = { "", "1", "5", "8", "20" };
	static const char *const precisions[] = { "", ".0", ".4", ".20" };
	char fmt[64], args[64];
	size_t i, f, w, p;

	for (i = 0; i < arraycount(pointers); i++)
	for (f = 0; f < arraycount(flags); f++)
	for (w = 0; w < arraycount(widths); w++)
	for (p = 0; p < arraycount(precisions); p++) {
		snprintf(fmt, sizeof(fmt), "[%%%s%s%sp]", flags[f], widths[w],
		    precisions[p]);
		snprintf(args, sizeof(args), "pointer %p", pointers[i]);
		check_format(args, fmt, pointers[i]);
	}
	require_no_mismatches();
}

ATF_TC(format_mixed);
ATF_TC_HEAD(format_mixed, tc)
{

	atf_tc_set_md_var(tc, "descr", "formats with literal text, %%%% and "
	    "several conversions match the host");
}
ATF_TC_BODY(format_mixed, tc)
{

	check_format("none", "");
	check_format("none", "plain text without conversions");
	check_format("none", "%%");
	check_format("none", "100%% sure, %%%%");
	check_format("none", "[%5%] [%-5%]");
	check_format("mixed", "a%db%sc%xd%%e%cf%p", -12, "str", 0xabcu, 'Q',
	    (void *)0x1000);
	check_format("mixed", "%s=%08.3lld,%-+7hd|%#llo|%zu|%td|%jx",
	    "key", -7LL, (int)-300, 0777ULL, (size_t)123456, (ptrdiff_t)-5,
	    (uintmax_t)0xffffffffffULL);
	check_format("mixed", "%hhu %hhd %hu %hd", 0x1ff, 0x180, 0x1ffff,
	    0x18000);
	check_format("mixed", "%lu %ld %llx %lli", ULONG_MAX, LONG_MIN,
	    ULLONG_MAX, LLONG_MIN);
	require_no_mismatches();
}

ATF_TC(format_malformed);
ATF_TC_HEAD(format_malformed, tc)
{

	atf_tc_set_md_var(tc, "descr", "unknown conversions and a trailing %% "
	    "are copied to the output as written");
}
ATF_TC_BODY(format_malformed, tc)
{
	/* Built at run time so the compiler does not check these formats. */
	static const struct {
		const char	*fmt;
		const char	*expected;
	} cases[] = {
		{ "%y", "%y" },
		{ "a%-5yb", "a%-5yb" },
		{ "%n", "%n" },
		{ "%f", "%f" },
		{ "end %", "end %" },
		{ "end %-08.3l", "end %-08.3l" },
		{ "%k%d", "%k0" },
	};
	char buf[64];
	size_t i;
	int len;

	for (i = 0; i < arraycount(cases); i++) {
		len = rumpns_snprintf(buf, sizeof(buf), cases[i].fmt, 0);
		ATF_CHECK_STREQ_MSG(cases[i].expected, buf, "format \"%s\"",
		    cases[i].fmt);
		ATF_CHECK_EQ_MSG((int)strlen(cases[i].expected), len,
		    "format \"%s\"", cases[i].fmt);
	}
}

/* Formats and arguments for the truncation test. */
static int
format_sample(int (*fn)(char *, size_t, const char *, ...), char *buf,
    size_t size, int sample)
{

	switch (sample) {
	case 0:
		return fn(buf, size, "hello");
	case 1:
		return fn(buf, size, "%d|%s|%x", -12345, "abcdef", 0xbeefu);
	case 2:
		return fn(buf, size, "%-10s|%10s", "left", "right");
	case 3:
		return fn(buf, size, "%c%c%c", 'a', 0, 'b');
	case 4:
		return fn(buf, size, "%040llu", 123ULL);
	default:
		return fn(buf, size, "%s", "");
	}
}

ATF_TC(format_truncation);
ATF_TC_HEAD(format_truncation, tc)
{

	atf_tc_set_md_var(tc, "descr", "snprintf into small buffers, size 0 "
	    "included, returns the full length and writes like the host");
}
ATF_TC_BODY(format_truncation, tc)
{
	unsigned char want[80], got[80];
	int want_len, got_len, sample;
	size_t size;

	for (sample = 0; sample < 6; sample++) {
		for (size = 0; size <= 50; size++) {
			memset(want, 0xaa, sizeof(want));
			memset(got, 0xaa, sizeof(got));
			want_len = format_sample(snprintf, (char *)want, size,
			    sample);
			got_len = format_sample(rumpns_snprintf, (char *)got,
			    size, sample);
			if (want_len != got_len)
				mismatch("sample %d, size %zu: expected %d, "
				    "got %d", sample, size, want_len, got_len);
			if (memcmp(want, got, sizeof(got)) != 0)
				mismatch("sample %d, size %zu: buffer differs",
				    sample, size);
		}

		/* Size 0 with no buffer at all only measures. */
		want_len = format_sample(snprintf, NULL, 0, sample);
		got_len = format_sample(rumpns_snprintf, NULL, 0, sample);
		if (want_len != got_len)
			mismatch("sample %d, NULL buffer: expected %d, got %d",
			    sample, want_len, got_len);
	}
	require_no_mismatches();
}

/* Collects kvformat's output for the tests below. */
struct collector {
	char	*text;
	size_t	len;
	size_t	calls;
};

static void
collect_char(int c, void *arg)
{
	struct collector *col = arg;

	col->text[col->len++] = (char)c;
	col->calls++;
}

static int
collect_format(struct collector *col, const char *fmt, ...)
{
	va_list ap;
	int len;

	col->len = 0;
	col->calls = 0;
	va_start(ap, fmt);
	len = rumpns_kvformat(collect_char, col, fmt, ap);
	va_end(ap);
	return len;
}

ATF_TC(format_kvformat);
ATF_TC_HEAD(format_kvformat, tc)
{

	atf_tc_set_md_var(tc, "descr", "kvformat passes every character to "
	    "the callback and returns their count, also for long output");
}
ATF_TC_BODY(format_kvformat, tc)
{
	struct collector col;
	char *want;
	int len, want_len;

	col.text = malloc(20000);
	want = malloc(20000);
	ATF_REQUIRE(col.text != NULL && want != NULL);

	len = collect_format(&col, "%5000d|%-3000s|%.4000x", -1, "x", 7u);
	want_len = snprintf(want, 20000, "%5000d|%-3000s|%.4000x", -1, "x",
	    7u);
	ATF_CHECK_EQ(want_len, len);
	ATF_CHECK_EQ((size_t)want_len, col.calls);
	ATF_CHECK(col.len == (size_t)want_len &&
	    memcmp(want, col.text, col.len) == 0);

	len = collect_format(&col, "%c", 0);
	ATF_CHECK_EQ(1, len);
	ATF_CHECK_EQ(1, col.calls);
	ATF_CHECK_EQ('\0', col.text[0]);

	len = collect_format(&col, "");
	ATF_CHECK_EQ(0, len);
	ATF_CHECK_EQ(0, col.calls);

	free(col.text);
	free(want);
}

/*
 * Number parsing
 */

static const char *const number_texts[] = {
	"0", "1", "-1", "+1", "  42", "\t\n\v\f\r 42", "42abc", "abc", "",
	" ", "-", "+", "+-1", "--1", "- 1", "0x", "0X", "0x1f", "0X1F",
	"0xg", "-0x10", " 0x", "0x 1", "010", "08", "0b101", "09", "z", "Z",
	"zz", "12 34", "007", "-0", "0x0", "00x1",
	"18446744073709551615", "18446744073709551616",
	"99999999999999999999999", "-18446744073709551615",
	"-18446744073709551616", "9223372036854775807", "9223372036854775808",
	"-9223372036854775808", "-9223372036854775809",
	"4294967295", "4294967296", "-2147483648",
	"0xffffffffffffffff", "0x10000000000000000", "0x7fffffffffffffff",
	"0x8000000000000000", "-0x8000000000000000", "-0x8000000000000001",
	"01777777777777777777777", "02000000000000000000000",
	"0777777777777777777777",
	"1111111111111111111111111111111111111111111111111111111111111111",
	"11111111111111111111111111111111111111111111111111111111111111111",
	"3w5e11264sgsf", "3w5e11264sgsg", "1y2p0ij32e8e7", "1y2p0ij32e8e8",
	"-1y2p0ij32e8e8", "-1y2p0ij32e8e9",
	"000000000000000000000000000000000000000001",
	"123456789012345678901234567890xyz",
};
static const int number_bases[] = { 0, 2, 3, 7, 8, 10, 16, 35, 36 };

/* The kernel's error for a parse that glibc reported with errno and end. */
static int
expected_error(const char *text, const char *end, int host_errno)
{

	if (host_errno == ERANGE)
		return ERANGE;
	if (end == text)
		return EINVAL;
	return 0;
}

ATF_TC(strtoull_err_table);
ATF_TC_HEAD(strtoull_err_table, tc)
{

	atf_tc_set_md_var(tc, "descr", "strtoull_err and strtoul match the "
	    "host's strtoull in value, end pointer and error for all bases");
}
ATF_TC_BODY(strtoull_err_table, tc)
{
	unsigned long long want, got;
	char *want_end, *got_end;
	int want_errno, got_error;
	const char *text;
	size_t t, b;
	int base;

	for (t = 0; t < arraycount(number_texts); t++)
	for (b = 0; b < arraycount(number_bases); b++) {
		text = number_texts[t];
		base = number_bases[b];

		errno = 0;
		want = strtoull(text, &want_end, base);
		want_errno = errno;
		got_error = -1;
		got = rumpns_strtoull_err(text, &got_end, base, &got_error);
		if (got != want || got_end != want_end ||
		    got_error != expected_error(text, want_end, want_errno))
			mismatch("strtoull_err(\"%s\", %d): expected %llu end "
			    "%td error %d, got %llu end %td error %d", text,
			    base, want, want_end - text,
			    expected_error(text, want_end, want_errno), got,
			    got_end - text, got_error);

		got = rumpns_strtoul(text, &got_end, base);
		if (got != want || got_end != want_end)
			mismatch("strtoul(\"%s\", %d): expected %llu end %td, "
			    "got %llu end %td", text, base, want,
			    want_end - text, got, got_end - text);

		/* No end pointer and no error pointer are both allowed. */
		got = rumpns_strtoull_err(text, NULL, base, NULL);
		if (got != want)
			mismatch("strtoull_err(\"%s\", %d) without pointers: "
			    "expected %llu, got %llu", text, base, want, got);
	}
	require_no_mismatches();
}

ATF_TC(strtoll_err_table);
ATF_TC_HEAD(strtoll_err_table, tc)
{

	atf_tc_set_md_var(tc, "descr", "strtoll_err and strtol match the "
	    "host's strtoll in value, end pointer and error for all bases");
}
ATF_TC_BODY(strtoll_err_table, tc)
{
	long long want, got;
	char *want_end, *got_end;
	int want_errno, got_error;
	const char *text;
	size_t t, b;
	int base;

	for (t = 0; t < arraycount(number_texts); t++)
	for (b = 0; b < arraycount(number_bases); b++) {
		text = number_texts[t];
		base = number_bases[b];

		errno = 0;
		want = strtoll(text, &want_end, base);
		want_errno = errno;
		got_error = -1;
		got = rumpns_strtoll_err(text, &got_end, base, &got_error);
		if (got != want || got_end != want_end ||
		    got_error != expected_error(text, want_end, want_errno))
			mismatch("strtoll_err(\"%s\", %d): expected %lld end "
			    "%td error %d, got %lld end %td error %d", text,
			    base, want, want_end - text,
			    expected_error(text, want_end, want_errno), got,
			    got_end - text, got_error);

		got = rumpns_strtol(text, &got_end, base);
		if (got != want || got_end != want_end)
			mismatch("strtol(\"%s\", %d): expected %lld end %td, "
			    "got %lld end %td", text, base, want,
			    want_end - text, got, got_end - text);
	}
	require_no_mismatches();
}

ATF_TC(strtoull_err_cases);
ATF_TC_HEAD(strtoull_err_cases, tc)
{

	atf_tc_set_md_var(tc, "descr", "strtoull_err and strtoll_err edge "
	    "cases: prefixes, signs, overflow and invalid bases");
}
ATF_TC_BODY(strtoull_err_cases, tc)
{
	static const int bad_bases[] = { -1, 1, 37, 100, INT_MIN };
	const char *text;
	char *end;
	int error;
	size_t i;

	/* A 0x prefix without a hex digit parses the 0 alone. */
	text = "0x";
	ATF_CHECK_EQ(0, rumpns_strtoull_err(text, &end, 16, &error));
	ATF_CHECK_EQ(text + 1, end);
	ATF_CHECK_EQ(0, error);

	text = "0xz";
	ATF_CHECK_EQ(0, rumpns_strtoull_err(text, &end, 0, &error));
	ATF_CHECK_EQ(text + 1, end);
	ATF_CHECK_EQ(0, error);

	/* A sign alone is no number. */
	text = " -";
	ATF_CHECK_EQ(0, rumpns_strtoull_err(text, &end, 10, &error));
	ATF_CHECK_EQ(text, end);
	ATF_CHECK_EQ(EINVAL, error);

	/* Unsigned negation, and saturation whatever the sign. */
	ATF_CHECK_EQ(ULLONG_MAX, rumpns_strtoull_err("-1", NULL, 0, &error));
	ATF_CHECK_EQ(0, error);
	ATF_CHECK_EQ(ULLONG_MAX,
	    rumpns_strtoull_err("-18446744073709551616", NULL, 0, &error));
	ATF_CHECK_EQ(ERANGE, error);

	/* Signed limits. */
	ATF_CHECK_EQ(LLONG_MIN,
	    rumpns_strtoll_err("-9223372036854775808", NULL, 10, &error));
	ATF_CHECK_EQ(0, error);
	ATF_CHECK_EQ(LLONG_MIN,
	    rumpns_strtoll_err("-9223372036854775809", NULL, 10, &error));
	ATF_CHECK_EQ(ERANGE, error);
	text = "9223372036854775808 rest";
	ATF_CHECK_EQ(LLONG_MAX, rumpns_strtoll_err(text, &end, 10, &error));
	ATF_CHECK_EQ(ERANGE, error);
	ATF_CHECK_EQ(text + 19, end);

	/* An error from an earlier call must not stay behind. */
	error = ERANGE;
	ATF_CHECK_EQ(5, rumpns_strtoll_err("5", NULL, 10, &error));
	ATF_CHECK_EQ(0, error);

	for (i = 0; i < arraycount(bad_bases); i++) {
		text = "123";
		end = NULL;
		error = 0;
		ATF_CHECK_EQ(0, rumpns_strtoull_err(text, &end, bad_bases[i],
		    &error));
		ATF_CHECK_EQ_MSG(EINVAL, error, "base %d", bad_bases[i]);
		ATF_CHECK_EQ_MSG(text, end, "base %d", bad_bases[i]);
		error = 0;
		ATF_CHECK_EQ(0, rumpns_strtoll_err(text, NULL, bad_bases[i],
		    &error));
		ATF_CHECK_EQ_MSG(EINVAL, error, "base %d", bad_bases[i]);
		ATF_CHECK_EQ(0, rumpns_strtoul(text, NULL, bad_bases[i]));
		ATF_CHECK_EQ(0, rumpns_strtol(text, NULL, bad_bases[i]));
	}
}

/*
 * Memory routines
 */

#define MEM_MAXLEN	300
#define MEM_GUARD	0xee

ATF_TC(memcpy_alignments);
ATF_TC_HEAD(memcpy_alignments, tc)
{

	atf_tc_set_md_var(tc, "descr", "memcpy copies every size 0..300 at "
	    "every source and destination alignment 0..15 exactly");
}
ATF_TC_BODY(memcpy_alignments, tc)
{
	static unsigned char src[MEM_MAXLEN + 64] __attribute__((aligned(64)));
	static unsigned char dst[MEM_MAXLEN + 64] __attribute__((aligned(64)));
	static unsigned char want[MEM_MAXLEN + 64];
	size_t n, sa, da;
	void *ret;

	fill_random(src, sizeof(src));
	for (n = 0; n <= MEM_MAXLEN; n++)
	for (sa = 0; sa < 16; sa++)
	for (da = 0; da < 16; da++) {
		memset(dst, MEM_GUARD, sizeof(dst));
		memset(want, MEM_GUARD, sizeof(want));
		memcpy(want + da, src + sa, n);
		ret = rumpns_memcpy(dst + da, src + sa, n);
		if (ret != dst + da)
			mismatch("memcpy n %zu src+%zu dst+%zu: returned "
			    "dst%+td", n, sa, da, (unsigned char *)ret - dst);
		if (memcmp(want, dst, sizeof(dst)) != 0)
			mismatch("memcpy n %zu src+%zu dst+%zu: wrong bytes",
			    n, sa, da);
	}
	require_no_mismatches();
}

ATF_TC(memmove_overlap);
ATF_TC_HEAD(memmove_overlap, tc)
{

	atf_tc_set_md_var(tc, "descr", "memmove copies every size 0..300 "
	    "between overlapping and separate regions in both directions at "
	    "all alignments 0..15");
}
ATF_TC_BODY(memmove_overlap, tc)
{
	/* Destination offsets from the source, in units of 16 bytes. */
	static const int shifts[] = { -21, -2, -1, 0, 1, 2, 21 };
	static unsigned char buf[1200] __attribute__((aligned(64)));
	static unsigned char pristine[sizeof(buf)];
	static unsigned char want[sizeof(buf)];
	static unsigned char tmp[MEM_MAXLEN];
	const size_t base = 400;
	size_t n, sa, da, k, src, dst;
	void *ret;

	fill_random(pristine, sizeof(pristine));
	for (n = 0; n <= MEM_MAXLEN; n++)
	for (sa = 0; sa < 16; sa++)
	for (da = 0; da < 16; da++)
	for (k = 0; k < arraycount(shifts); k++) {
		src = base + sa;
		dst = base + da + shifts[k] * 16;

		memcpy(want, pristine, sizeof(want));
		memcpy(tmp, want + src, n);
		memcpy(want + dst, tmp, n);

		memcpy(buf, pristine, sizeof(buf));
		ret = rumpns_memmove(buf + dst, buf + src, n);
		if (ret != buf + dst)
			mismatch("memmove n %zu src %zu dst %zu: wrong return",
			    n, src, dst);
		if (memcmp(want, buf, sizeof(buf)) != 0)
			mismatch("memmove n %zu src %zu dst %zu: wrong bytes",
			    n, src, dst);
	}
	require_no_mismatches();
}

ATF_TC(memset_alignments);
ATF_TC_HEAD(memset_alignments, tc)
{

	atf_tc_set_md_var(tc, "descr", "memset fills every size 0..300 at "
	    "every alignment 0..15 with the low byte of its argument only");
}
ATF_TC_BODY(memset_alignments, tc)
{
	static const int values[] = { 0, 0x5a, 0xff, 0x1a5, -1, -128 };
	static unsigned char buf[MEM_MAXLEN + 64] __attribute__((aligned(64)));
	static unsigned char want[MEM_MAXLEN + 64];
	size_t n, a, v;
	void *ret;

	for (v = 0; v < arraycount(values); v++)
	for (n = 0; n <= MEM_MAXLEN; n++)
	for (a = 0; a < 16; a++) {
		memset(buf, MEM_GUARD, sizeof(buf));
		memset(want, MEM_GUARD, sizeof(want));
		memset(want + a, values[v], n);
		ret = rumpns_memset(buf + a, values[v], n);
		if (ret != buf + a)
			mismatch("memset n %zu +%zu: wrong return", n, a);
		if (memcmp(want, buf, sizeof(buf)) != 0)
			mismatch("memset value %d n %zu +%zu: wrong bytes",
			    values[v], n, a);
	}
	require_no_mismatches();
}

ATF_TC(memcmp_sign);
ATF_TC_HEAD(memcmp_sign, tc)
{

	atf_tc_set_md_var(tc, "descr", "memcmp compares unsigned bytes and "
	    "its sign matches the host for a difference at every position");
}
ATF_TC_BODY(memcmp_sign, tc)
{
	static const unsigned char pairs[][2] = {
		{ 1, 2 }, { 2, 1 }, { 0x7f, 0x80 }, { 0x80, 0x7f },
		{ 0, 0xff }, { 0xff, 0 },
	};
	static unsigned char b1[128] __attribute__((aligned(64)));
	static unsigned char b2[128] __attribute__((aligned(64)));
	size_t n, a1, a2, pos, p;
	int want, got;

	for (n = 0; n <= 80; n++)
	for (a1 = 0; a1 < 8; a1++)
	for (a2 = 0; a2 < 8; a2++) {
		fill_random(b1, sizeof(b1));
		memcpy(b2, b1, sizeof(b2));

		/* Equal within n; a difference just past n must not count. */
		memcpy(b2 + a2, b1 + a1, n);
		b2[a2 + n] = (unsigned char)(b1[a1 + n] + 1);
		got = rumpns_memcmp(b1 + a1, b2 + a2, n);
		if (got != 0)
			mismatch("memcmp equal n %zu +%zu +%zu: got %d", n,
			    a1, a2, got);

		for (pos = 0; pos < n; pos++)
		for (p = 0; p < arraycount(pairs); p++) {
			memcpy(b2 + a2, b1 + a1, n);
			b1[a1 + pos] = pairs[p][0];
			b2[a2 + pos] = pairs[p][1];
			/* A later difference of the other sign must not count. */
			if (pos + 1 < n)
				b2[a2 + pos + 1] = pairs[p][0] < pairs[p][1] ?
				    0 : 0xff;
			want = memcmp(b1 + a1, b2 + a2, n);
			got = rumpns_memcmp(b1 + a1, b2 + a2, n);
			if (sign_of(want) != sign_of(got))
				mismatch("memcmp n %zu +%zu +%zu diff at %zu "
				    "(%#x vs %#x): expected sign %d, got %d",
				    n, a1, a2, pos, pairs[p][0], pairs[p][1],
				    sign_of(want), got);
		}
	}
	require_no_mismatches();
}

ATF_TC(memchr_positions);
ATF_TC_HEAD(memchr_positions, tc)
{

	atf_tc_set_md_var(tc, "descr", "memchr finds the first match at every "
	    "position and alignment, and nothing past its length");
}
ATF_TC_BODY(memchr_positions, tc)
{
	static const int needles[] = { 0x5a, 0x15a, 0xda, -38, 0 };
	static unsigned char buf[256] __attribute__((aligned(64)));
	unsigned char target, saved0, saved3;
	size_t n, a, pos, i, v;
	void *want, *got;

	for (v = 0; v < arraycount(needles); v++) {
		/* Random bytes, none of which is the target. */
		target = (unsigned char)needles[v];
		fill_random(buf, sizeof(buf));
		for (i = 0; i < sizeof(buf); i++) {
			if (buf[i] == target)
				buf[i] ^= 1;
		}

		for (n = 0; n <= 200; n++)
		for (a = 0; a < 16; a++)
		for (pos = 0; pos <= n; pos++) {
			/*
			 * A match at pos, just past the end when pos == n,
			 * and a second one three bytes later.
			 */
			saved0 = buf[a + pos];
			saved3 = buf[a + pos + 3];
			buf[a + pos] = target;
			buf[a + pos + 3] = target;
			want = memchr(buf + a, needles[v], n);
			got = rumpns_memchr(buf + a, needles[v], n);
			if (want != got)
				mismatch("memchr %#x n %zu +%zu pos %zu: "
				    "expected %p, got %p", needles[v], n, a,
				    pos, want, got);
			buf[a + pos + 3] = saved3;
			buf[a + pos] = saved0;
		}

		/* No match at all. */
		for (n = 0; n <= 200; n++)
			if (rumpns_memchr(buf, needles[v], n) != NULL)
				mismatch("memchr %#x n %zu: found a byte that "
				    "is not there", needles[v], n);
	}
	require_no_mismatches();
}

/*
 * String routines
 */

static const char *const sample_strings[] = {
	"", "a", "b", "ab", "abc", "abd", "abcd", "hello, world",
	"\x80", "\xff", "a\xff", "a\x01", "zzz", "hello", "hellO",
};

ATF_TC(string_compare);
ATF_TC_HEAD(string_compare, tc)
{

	atf_tc_set_md_var(tc, "descr", "strlen, strnlen, strcmp and strncmp "
	    "match the host, comparing bytes as unsigned");
}
ATF_TC_BODY(string_compare, tc)
{
	const char *s1, *s2;
	size_t i, j, n;

	for (i = 0; i < arraycount(sample_strings); i++) {
		s1 = sample_strings[i];
		ATF_CHECK_EQ(strlen(s1), rumpns_strlen(s1));
		for (n = 0; n < 16; n++)
			ATF_CHECK_EQ(strnlen(s1, n), rumpns_strnlen(s1, n));

		for (j = 0; j < arraycount(sample_strings); j++) {
			s2 = sample_strings[j];
			ATF_CHECK_EQ_MSG(sign_of(strcmp(s1, s2)),
			    sign_of(rumpns_strcmp(s1, s2)),
			    "strcmp(\"%s\", \"%s\")", s1, s2);
			for (n = 0; n < 16; n++)
				ATF_CHECK_EQ_MSG(sign_of(strncmp(s1, s2, n)),
				    sign_of(rumpns_strncmp(s1, s2, n)),
				    "strncmp(\"%s\", \"%s\", %zu)", s1, s2, n);
		}
	}
}

ATF_TC(string_copy);
ATF_TC_HEAD(string_copy, tc)
{

	atf_tc_set_md_var(tc, "descr", "strcpy and strncpy copy, pad and "
	    "return like the host");
}
ATF_TC_BODY(string_copy, tc)
{
	char want[32], got[32];
	const char *s;
	size_t i, n;

	for (i = 0; i < arraycount(sample_strings); i++) {
		s = sample_strings[i];

		memset(want, 'x', sizeof(want));
		memset(got, 'x', sizeof(got));
		strcpy(want, s);
		ATF_CHECK_EQ(got, rumpns_strcpy(got, s));
		ATF_CHECK_MSG(memcmp(want, got, sizeof(got)) == 0,
		    "strcpy \"%s\"", s);

		for (n = 0; n < 20; n++) {
			memset(want, 'x', sizeof(want));
			memset(got, 'x', sizeof(got));
			strncpy(want, s, n);
			ATF_CHECK_EQ(got, rumpns_strncpy(got, s, n));
			ATF_CHECK_MSG(memcmp(want, got, sizeof(got)) == 0,
			    "strncpy \"%s\" %zu", s, n);
		}
	}
}

ATF_TC(strlcpy_strlcat);
ATF_TC_HEAD(strlcpy_strlcat, tc)
{

	atf_tc_set_md_var(tc, "descr", "strlcpy and strlcat truncate, "
	    "terminate and return the length they tried to create");
}
ATF_TC_BODY(strlcpy_strlcat, tc)
{
	char buf[16];

	memset(buf, 'x', sizeof(buf));
	ATF_CHECK_EQ(5, rumpns_strlcpy(buf, "hello", 10));
	ATF_CHECK_STREQ("hello", buf);
	ATF_CHECK_EQ('x', buf[6]);

	ATF_CHECK_EQ(5, rumpns_strlcpy(buf, "hello", 6));
	ATF_CHECK_STREQ("hello", buf);

	ATF_CHECK_EQ(5, rumpns_strlcpy(buf, "hello", 5));
	ATF_CHECK_STREQ("hell", buf);

	ATF_CHECK_EQ(5, rumpns_strlcpy(buf, "hello", 1));
	ATF_CHECK_STREQ("", buf);

	/* Size 0 writes nothing at all. */
	memset(buf, 'x', sizeof(buf));
	ATF_CHECK_EQ(5, rumpns_strlcpy(buf, "hello", 0));
	ATF_CHECK_EQ('x', buf[0]);
	ATF_CHECK_EQ(0, rumpns_strlcpy(NULL, "", 0));

	ATF_CHECK_EQ(0, rumpns_strlcpy(buf, "", sizeof(buf)));
	ATF_CHECK_STREQ("", buf);

	strcpy(buf, "abc");
	ATF_CHECK_EQ(7, rumpns_strlcat(buf, "defg", 10));
	ATF_CHECK_STREQ("abcdefg", buf);

	strcpy(buf, "abc");
	ATF_CHECK_EQ(7, rumpns_strlcat(buf, "defg", 8));
	ATF_CHECK_STREQ("abcdefg", buf);

	strcpy(buf, "abc");
	ATF_CHECK_EQ(7, rumpns_strlcat(buf, "defg", 6));
	ATF_CHECK_STREQ("abcde", buf);

	strcpy(buf, "abc");
	ATF_CHECK_EQ(7, rumpns_strlcat(buf, "defg", 4));
	ATF_CHECK_STREQ("abc", buf);

	/* No NUL within size: size plus the source length, nothing written. */
	memset(buf, 'x', sizeof(buf));
	memcpy(buf, "abc", 3);
	ATF_CHECK_EQ(3 + 4, rumpns_strlcat(buf, "defg", 3));
	ATF_CHECK_EQ('x', buf[3]);
	ATF_CHECK_EQ(0 + 4, rumpns_strlcat(buf, "defg", 0));
	ATF_CHECK_EQ('x', buf[3]);

	strcpy(buf, "abc");
	ATF_CHECK_EQ(3, rumpns_strlcat(buf, "", sizeof(buf)));
	ATF_CHECK_STREQ("abc", buf);
}

ATF_TC(string_search);
ATF_TC_HEAD(string_search, tc)
{

	atf_tc_set_md_var(tc, "descr", "strchr, strrchr, strstr, strspn and "
	    "strcspn return what the host returns");
}
ATF_TC_BODY(string_search, tc)
{
	static const char *const needles[] = {
		"", "a", "l", "lo", "hello", "world", "o, w", "zzz", "\xff",
		"hello, world!", "ll", "dl",
	};
	static const int chars[] = {
		'a', 'l', 'o', 'z', '\0', 0xff, (char)0xff, 0x16c, ',',
	};
	const char *s;
	size_t i, j;

	for (i = 0; i < arraycount(sample_strings); i++) {
		s = sample_strings[i];
		for (j = 0; j < arraycount(chars); j++) {
			ATF_CHECK_EQ_MSG(strchr(s, chars[j]),
			    rumpns_strchr(s, chars[j]), "strchr(\"%s\", %#x)",
			    s, chars[j]);
			ATF_CHECK_EQ_MSG(strrchr(s, chars[j]),
			    rumpns_strrchr(s, chars[j]),
			    "strrchr(\"%s\", %#x)", s, chars[j]);
		}
		for (j = 0; j < arraycount(needles); j++) {
			ATF_CHECK_EQ_MSG(strstr(s, needles[j]),
			    rumpns_strstr(s, needles[j]),
			    "strstr(\"%s\", \"%s\")", s, needles[j]);
			ATF_CHECK_EQ_MSG(strspn(s, needles[j]),
			    rumpns_strspn(s, needles[j]),
			    "strspn(\"%s\", \"%s\")", s, needles[j]);
			ATF_CHECK_EQ_MSG(strcspn(s, needles[j]),
			    rumpns_strcspn(s, needles[j]),
			    "strcspn(\"%s\", \"%s\")", s, needles[j]);
		}
	}

	s = "abababc";
	ATF_CHECK_EQ(s + 4, rumpns_strstr(s, "abc"));
	ATF_CHECK_EQ(s + 6, rumpns_strrchr(s, 'c'));
	ATF_CHECK_EQ(s + 7, rumpns_strrchr(s, '\0'));
}

ATF_TC(strsep_tokens);
ATF_TC_HEAD(strsep_tokens, tc)
{

	atf_tc_set_md_var(tc, "descr", "strsep splits at each delimiter, "
	    "returns empty tokens and ends with NULL like the host");
}
ATF_TC_BODY(strsep_tokens, tc)
{
	static const char *const inputs[] = {
		"", "a", "a,b", ",a,,b,", "a b\tc", "no delimiters here",
		",,,",
	};
	char want_buf[64], got_buf[64];
	char *want_p, *got_p, *want_tok, *got_tok;
	size_t i;

	for (i = 0; i < arraycount(inputs); i++) {
		strcpy(want_buf, inputs[i]);
		strcpy(got_buf, inputs[i]);
		want_p = want_buf;
		got_p = got_buf;
		do {
			want_tok = strsep(&want_p, ", \t");
			got_tok = rumpns_strsep(&got_p, ", \t");
			ATF_CHECK_EQ_MSG(want_tok == NULL, got_tok == NULL,
			    "input \"%s\"", inputs[i]);
			if (want_tok == NULL || got_tok == NULL)
				break;
			ATF_CHECK_EQ_MSG(want_tok - want_buf, got_tok - got_buf,
			    "input \"%s\"", inputs[i]);
			ATF_CHECK_EQ_MSG(want_p == NULL, got_p == NULL,
			    "input \"%s\"", inputs[i]);
			if (want_p != NULL && got_p != NULL)
				ATF_CHECK_EQ_MSG(want_p - want_buf,
				    got_p - got_buf, "input \"%s\"", inputs[i]);
		} while (want_p != NULL && got_p != NULL);
		ATF_CHECK_MSG(memcmp(want_buf, got_buf, strlen(inputs[i]) + 1)
		    == 0, "input \"%s\"", inputs[i]);
	}

	got_p = NULL;
	ATF_CHECK_EQ(NULL, rumpns_strsep(&got_p, ","));
}

ATF_TC(ctype_classes);
ATF_TC_HEAD(ctype_classes, tc)
{

	atf_tc_set_md_var(tc, "descr", "the ctype routines match the host's "
	    "C locale for EOF and every byte value");
}
ATF_TC_BODY(ctype_classes, tc)
{
	int c;

	for (c = -1; c <= 255; c++) {
		ATF_CHECK_EQ_MSG(!!isdigit(c), !!rumpns_isdigit(c), "%d", c);
		ATF_CHECK_EQ_MSG(!!isspace(c), !!rumpns_isspace(c), "%d", c);
		ATF_CHECK_EQ_MSG(!!isxdigit(c), !!rumpns_isxdigit(c), "%d", c);
		ATF_CHECK_EQ_MSG(!!isalpha(c), !!rumpns_isalpha(c), "%d", c);
		ATF_CHECK_EQ_MSG(toupper(c), rumpns_toupper(c), "%d", c);
		ATF_CHECK_EQ_MSG(tolower(c), rumpns_tolower(c), "%d", c);
	}
}

/*
 * Console messages
 *
 * The kernel's console is the host's standard error, so each case runs the
 * kernel code in a child process with its standard error on a pipe.
 */

#define CONSOLE_BUFSIZE	4096

/* Console output and exit status of one child. */
struct console_capture {
	char	text[CONSOLE_BUFSIZE];
	size_t	len;
	int	status;
};

static void
capture_console(void (*body)(void), struct console_capture *cap)
{
	int fds[2];
	pid_t pid;
	ssize_t n;

	ATF_REQUIRE(pipe(fds) == 0);
	pid = fork();
	ATF_REQUIRE(pid != -1);
	if (pid == 0) {
		close(fds[0]);
		if (dup2(fds[1], STDERR_FILENO) == -1)
			_exit(101);
		body();
		fflush(stderr);
		_exit(0);
	}

	close(fds[1]);
	cap->len = 0;
	while (cap->len < sizeof(cap->text) - 1) {
		n = read(fds[0], cap->text + cap->len,
		    sizeof(cap->text) - 1 - cap->len);
		if (n <= 0)
			break;
		cap->len += (size_t)n;
	}
	cap->text[cap->len] = '\0';
	close(fds[0]);
	ATF_REQUIRE(waitpid(pid, &cap->status, 0) == pid);
}

static void
print_short(void)
{

	rumpns_printf("value %d, name %s\n", 42, "disk0");
}

/* 600 characters and a newline: more than the 512-byte message buffer. */
static void
print_long_line(void)
{
	char text[601];

	memset(text, 'a', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	rumpns_printf("%s\n", text);
}

static void
print_long_partial(void)
{
	char text[601];

	memset(text, 'b', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	rumpns_printf("%s", text);
}

/* Exactly 512 characters, which fit in the buffer whole. */
static void
print_exact_fit(void)
{
	char text[513];

	memset(text, 'c', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	rumpns_printf("%s", text);
}

ATF_TC(console_printf);
ATF_TC_HEAD(console_printf, tc)
{

	atf_tc_set_md_var(tc, "descr", "printf writes the formatted message "
	    "and marks a message cut at 512 bytes with ...");
}
ATF_TC_BODY(console_printf, tc)
{
	struct console_capture cap;
	size_t i;

	capture_console(print_short, &cap);
	ATF_CHECK_STREQ("value 42, name disk0\n", cap.text);

	/* The cut keeps the newline that ended the full message. */
	capture_console(print_long_line, &cap);
	ATF_CHECK_EQ(512, cap.len);
	ATF_CHECK(cap.len == 512 && strcmp(cap.text + 508, "...\n") == 0);
	for (i = 0; i < 508 && i < cap.len; i++)
		ATF_REQUIRE_EQ_MSG('a', cap.text[i], "byte %zu", i);

	capture_console(print_long_partial, &cap);
	ATF_CHECK_EQ(512, cap.len);
	ATF_CHECK(cap.len == 512 && strcmp(cap.text + 509, "...") == 0);
	ATF_CHECK_EQ('b', cap.text[508]);

	capture_console(print_exact_fit, &cap);
	ATF_CHECK_EQ(512, cap.len);
	ATF_CHECK(strchr(cap.text, '.') == NULL);
}

static void
print_every_level(void)
{

	rumpns_aprint_normal("normal ");
	rumpns_aprint_verbose("verbose ");
	rumpns_aprint_debug("debug ");
	rumpns_aprint_error("error ");
	rumpns_log(KERNEL_LOG_ERR, "log-err ");
	rumpns_log(KERNEL_LOG_WARNING, "log-warning ");
	rumpns_log(KERNEL_LOG_NOTICE, "log-notice ");
	rumpns_log(KERNEL_LOG_INFO, "log-info ");
	/* A facility in the upper bits (here 3 << 3) does not change it. */
	rumpns_log((3 << 3) | KERNEL_LOG_ERR, "fac-err ");
	rumpns_log((3 << 3) | KERNEL_LOG_INFO, "fac-info ");
}

static void
print_quiet(void)
{

	rumpns_boothowto = 0;
	print_every_level();
}

static void
print_verbose(void)
{

	rumpns_boothowto = KERNEL_AB_VERBOSE;
	print_every_level();
}

static void
print_debug(void)
{

	rumpns_boothowto = KERNEL_AB_DEBUG;
	print_every_level();
}

ATF_TC(console_levels);
ATF_TC_HEAD(console_levels, tc)
{

	atf_tc_set_md_var(tc, "descr", "aprint_* and log print according to "
	    "the AB_VERBOSE and AB_DEBUG boot flags and the log level");
}
ATF_TC_BODY(console_levels, tc)
{
	struct console_capture cap;

	capture_console(print_quiet, &cap);
	ATF_CHECK_STREQ("error log-err log-warning fac-err ", cap.text);

	capture_console(print_verbose, &cap);
	ATF_CHECK_STREQ("normal verbose error log-err log-warning log-notice "
	    "log-info fac-err fac-info ", cap.text);

	capture_console(print_debug, &cap);
	ATF_CHECK_STREQ("debug error log-err log-warning fac-err ", cap.text);
}

static void
call_panic(void)
{

	rumpns_panic("bad block %d on %s", 17, "disk0");
}

static void
call_kern_assert(void)
{

	rumpns_kern_assert("kernel assertion \"%s\" failed: file \"%s\", "
	    "line %d", "x != NULL", "foo.c", 12);
}

ATF_TC(console_panic);
ATF_TC_HEAD(console_panic, tc)
{

	atf_tc_set_md_var(tc, "descr", "panic and kern_assert print the "
	    "message after \"panic: \" and halt the process");
}
ATF_TC_BODY(console_panic, tc)
{
	struct console_capture cap;

	capture_console(call_panic, &cap);
	ATF_CHECK_STREQ("panic: bad block 17 on disk0\n", cap.text);
	ATF_CHECK_MSG(!WIFEXITED(cap.status) || WEXITSTATUS(cap.status) != 0,
	    "panic returned without halting the process");

	capture_console(call_kern_assert, &cap);
	ATF_CHECK_STREQ("panic: kernel assertion \"x != NULL\" failed: "
	    "file \"foo.c\", line 12\n", cap.text);
	ATF_CHECK_MSG(!WIFEXITED(cap.status) || WEXITSTATUS(cap.status) != 0,
	    "kern_assert returned without halting the process");
}

/*
 * Bit routines
 */

static int
reference_fls64(uint64_t x)
{
	int n = 0;

	while (x != 0) {
		n++;
		x >>= 1;
	}
	return n;
}

static int
reference_popcount64(uint64_t x)
{
	int n = 0;

	for (; x != 0; x >>= 1)
		n += (int)(x & 1);
	return n;
}

ATF_TC(bits);
ATF_TC_HEAD(bits, tc)
{

	atf_tc_set_md_var(tc, "descr", "ffs, fls, popcount and ilog2 agree "
	    "with the host's ffs and with bit-by-bit references");
}
ATF_TC_BODY(bits, tc)
{
	uint64_t values[64 * 3 + 8 + 1000];
	size_t nvalues = 0, i;
	uint64_t x;
	int k;

	values[nvalues++] = 0;
	values[nvalues++] = ~0ULL;
	values[nvalues++] = 0x8000000000000000ULL;
	values[nvalues++] = 0x80000000ULL;
	values[nvalues++] = 0xffffffffULL;
	values[nvalues++] = 0x5555555555555555ULL;
	values[nvalues++] = 0xaaaaaaaaaaaaaaaaULL;
	values[nvalues++] = 0x100000000ULL;
	for (k = 0; k < 64; k++) {
		values[nvalues++] = 1ULL << k;
		values[nvalues++] = (1ULL << k) - 1;
		values[nvalues++] = ~(1ULL << k);
	}
	for (i = 0; i < 1000; i++)
		values[nvalues++] = next_random() >> (next_random() % 64);

	for (i = 0; i < nvalues; i++) {
		x = values[i];
		ATF_CHECK_EQ_MSG(ffs((int)(uint32_t)x),
		    rumpns_ffs((int)(uint32_t)x), "ffs %#llx",
		    (unsigned long long)x);
		ATF_CHECK_EQ_MSG(ffsll((long long)x), rumpns_ffs64(x),
		    "ffs64 %#llx", (unsigned long long)x);
		ATF_CHECK_EQ_MSG(reference_fls64((uint32_t)x),
		    rumpns_fls((int)(uint32_t)x), "fls %#llx",
		    (unsigned long long)x);
		ATF_CHECK_EQ_MSG(reference_fls64(x), rumpns_fls64(x),
		    "fls64 %#llx", (unsigned long long)x);
		ATF_CHECK_EQ_MSG(reference_popcount64((uint32_t)x),
		    rumpns_popcount((uint32_t)x), "popcount %#llx",
		    (unsigned long long)x);
		ATF_CHECK_EQ_MSG(reference_popcount64(x), rumpns_popcount64(x),
		    "popcount64 %#llx", (unsigned long long)x);
		ATF_CHECK_EQ_MSG(reference_fls64(x) - 1, rumpns_ilog2_u64(x),
		    "ilog2_u64 %#llx", (unsigned long long)x);
	}
	ATF_CHECK_EQ(-1, rumpns_ilog2_u64(0));
	ATF_CHECK_EQ(32, rumpns_fls(INT_MIN));
	ATF_CHECK_EQ(32, rumpns_ffs(INT_MIN));
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, format_integers);
	ATF_TP_ADD_TC(tp, format_star);
	ATF_TP_ADD_TC(tp, format_strings);
	ATF_TP_ADD_TC(tp, format_chars);
	ATF_TP_ADD_TC(tp, format_pointers);
	ATF_TP_ADD_TC(tp, format_mixed);
	ATF_TP_ADD_TC(tp, format_malformed);
	ATF_TP_ADD_TC(tp, format_truncation);
	ATF_TP_ADD_TC(tp, format_kvformat);
	ATF_TP_ADD_TC(tp, strtoull_err_table);
	ATF_TP_ADD_TC(tp, strtoll_err_table);
	ATF_TP_ADD_TC(tp, strtoull_err_cases);
	ATF_TP_ADD_TC(tp, memcpy_alignments);
	ATF_TP_ADD_TC(tp, memmove_overlap);
	ATF_TP_ADD_TC(tp, memset_alignments);
	ATF_TP_ADD_TC(tp, memcmp_sign);
	ATF_TP_ADD_TC(tp, memchr_positions);
	ATF_TP_ADD_TC(tp, string_compare);
	ATF_TP_ADD_TC(tp, string_copy);
	ATF_TP_ADD_TC(tp, strlcpy_strlcat);
	ATF_TP_ADD_TC(tp, string_search);
	ATF_TP_ADD_TC(tp, strsep_tokens);
	ATF_TP_ADD_TC(tp, ctype_classes);
	ATF_TP_ADD_TC(tp, console_printf);
	ATF_TP_ADD_TC(tp, console_levels);
	ATF_TP_ADD_TC(tp, console_panic);
	ATF_TP_ADD_TC(tp, bits);

	return atf_no_error();
}
