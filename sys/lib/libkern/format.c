/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The kernel's printf engine.  kvformat interprets a C printf format and
 * hands each output character to a callback.  vsnprintf and snprintf build
 * on it, and so do the console routines in kern/subr_prf.c.
 *
 * The conversions d i u o x X c s p % follow the C standard, with flags
 * - + space 0 #, width and precision as digits or *, and the length
 * modifiers hh h l ll j z t (and q, the BSD spelling of ll).  Where the
 * standard leaves a combination undefined, the output is that of glibc
 * (checked against 2.36), so that kernel and host messages look alike:
 *
 *   - %s of NULL prints "(null)", or nothing when the precision is below 6
 *     and would cut that text short;
 *   - %p prints 0x and lowercase hex digits, honouring + and space and
 *     treating precision and the 0 flag as for %x; NULL prints "(nil)";
 *   - the 0 flag pads %c, %s and (nil) with spaces; # is ignored where the
 *     standard gives it no meaning; %% ignores flags and width;
 *   - a length modifier on c, s or p is accepted and ignored.
 *
 * %n and floating point are not supported.  An unknown conversion, and a
 * % at the very end of the format, are copied to the output as written,
 * so the mistake shows in the message.
 */

#include <sys/types.h>
#include <sys/stdarg.h>
#include <lib/libkern/libkern.h>

#define INT_MAX_VALUE	((int)(~0U >> 1))

/* Conversion flags. */
#define FLAG_LEFT	0x01	/* -: pad on the right */
#define FLAG_PLUS	0x02	/* +: print + before non-negative numbers */
#define FLAG_SPACE	0x04	/* space: print a space there instead */
#define FLAG_ZERO	0x08	/* 0: pad numbers with zeros */
#define FLAG_ALT	0x10	/* #: 0 before octal, 0x before hex */

enum length_modifier {
	LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_J, LEN_Z, LEN_T
};

/* One parsed conversion specification. */
struct conv_spec {
	unsigned int		flags;		/* FLAG_* */
	int			width;		/* minimum field width, >= 0 */
	int			precision;	/* -1 when not given */
	enum length_modifier	length;
	char			conv;		/* conversion character */
};

/* The output callback and the count of characters passed to it. */
struct format_out {
	void	(*putc)(int, void *);
	void	*arg;
	size_t	count;
};

static void
out_char(struct format_out *out, int c)
{

	out->putc(c, out->arg);
	out->count++;
}

static void
out_repeat(struct format_out *out, int c, size_t n)
{

	while (n-- > 0)
		out_char(out, c);
}

static void
out_bytes(struct format_out *out, const char *s, size_t n)
{

	while (n-- > 0)
		out_char(out, (unsigned char)*s++);
}

/* Returns value * 10 plus the decimal digit, saturating at INT_MAX. */
static int
add_decimal_digit(int value, char digit)
{
	int d = digit - '0';

	if (value > (INT_MAX_VALUE - d) / 10)
		return INT_MAX_VALUE;
	return value * 10 + d;
}

/*
 * Parse the specification that follows a %, taking * values from args.
 * Returns a pointer to the conversion character (which may be the
 * terminating NUL of a malformed format).
 */
static const char *
parse_spec(const char *fmt, struct conv_spec *spec, va_list *args)
{
	int value;

	spec->flags = 0;
	spec->width = 0;
	spec->precision = -1;
	spec->length = LEN_NONE;

	for (;; fmt++) {
		if (*fmt == '-')
			spec->flags |= FLAG_LEFT;
		else if (*fmt == '+')
			spec->flags |= FLAG_PLUS;
		else if (*fmt == ' ')
			spec->flags |= FLAG_SPACE;
		else if (*fmt == '0')
			spec->flags |= FLAG_ZERO;
		else if (*fmt == '#')
			spec->flags |= FLAG_ALT;
		else
			break;
	}

	/* A negative * width means the - flag and its absolute value. */
	if (*fmt == '*') {
		value = va_arg(*args, int);
		if (value < 0) {
			spec->flags |= FLAG_LEFT;
			value = value == -INT_MAX_VALUE - 1 ? INT_MAX_VALUE : -value;
		}
		spec->width = value;
		fmt++;
	} else {
		while (isdigit((unsigned char)*fmt))
			spec->width = add_decimal_digit(spec->width, *fmt++);
	}

	/* A lone . means precision 0, and a negative * means no precision. */
	if (*fmt == '.') {
		fmt++;
		if (*fmt == '*') {
			value = va_arg(*args, int);
			spec->precision = value < 0 ? -1 : value;
			fmt++;
		} else {
			spec->precision = 0;
			while (isdigit((unsigned char)*fmt))
				spec->precision =
				    add_decimal_digit(spec->precision, *fmt++);
		}
	}

	switch (*fmt) {
	case 'h':
		fmt++;
		spec->length = LEN_H;
		if (*fmt == 'h') {
			fmt++;
			spec->length = LEN_HH;
		}
		break;
	case 'l':
		fmt++;
		spec->length = LEN_L;
		if (*fmt == 'l') {
			fmt++;
			spec->length = LEN_LL;
		}
		break;
	case 'q':
		fmt++;
		spec->length = LEN_LL;
		break;
	case 'j':
		fmt++;
		spec->length = LEN_J;
		break;
	case 'z':
		fmt++;
		spec->length = LEN_Z;
		break;
	case 't':
		fmt++;
		spec->length = LEN_T;
		break;
	}

	spec->conv = *fmt;
	return fmt;
}

/* Fetch the argument of a signed conversion and convert it as C does. */
static intmax_t
fetch_signed(const struct conv_spec *spec, va_list *args)
{

	switch (spec->length) {
	case LEN_HH:
		return (signed char)va_arg(*args, int);
	case LEN_H:
		return (short)va_arg(*args, int);
	case LEN_L:
		return va_arg(*args, long);
	case LEN_LL:
		return va_arg(*args, long long);
	case LEN_J:
		return va_arg(*args, intmax_t);
	case LEN_Z:
		return va_arg(*args, ssize_t);
	case LEN_T:
		return va_arg(*args, ptrdiff_t);
	default:
		return va_arg(*args, int);
	}
}

/* Fetch the argument of an unsigned conversion and convert it as C does. */
static uintmax_t
fetch_unsigned(const struct conv_spec *spec, va_list *args)
{

	switch (spec->length) {
	case LEN_HH:
		return (unsigned char)va_arg(*args, unsigned int);
	case LEN_H:
		return (unsigned short)va_arg(*args, unsigned int);
	case LEN_L:
		return va_arg(*args, unsigned long);
	case LEN_LL:
		return va_arg(*args, unsigned long long);
	case LEN_J:
		return va_arg(*args, uintmax_t);
	case LEN_Z:
		return va_arg(*args, size_t);
	case LEN_T:
		/* The unsigned type of ptrdiff_t's width. */
		return (size_t)va_arg(*args, ptrdiff_t);
	default:
		return va_arg(*args, unsigned int);
	}
}

/*
 * Print an integer conversion: d i u o x X, and p for non-NULL pointers.
 * The field is laid out as
 *
 *   [spaces] [sign] [0x prefix] [zeros] digits [spaces]
 *
 * where the zeros come from the precision (minimum number of digits), the
 * # flag of %o, or the 0 flag when no precision was given.
 */
static void
format_integer(struct format_out *out, const struct conv_spec *spec,
    uintmax_t magnitude, bool negative)
{
	char digits[24];	/* 64 bits take 22 octal digits */
	const char *digitset = "0123456789abcdef";
	const char *prefix = "";
	unsigned int base;
	size_t ndigits, nzeros, npad, len;
	char sign = '\0';

	switch (spec->conv) {
	case 'o':
		base = 8;
		break;
	case 'X':
		digitset = "0123456789ABCDEF";
		/* FALLTHROUGH */
	case 'x':
	case 'p':
		base = 16;
		break;
	default:
		base = 10;
		break;
	}

	/* Only signed conversions, and glibc's %p, show a sign. */
	if (spec->conv == 'd' || spec->conv == 'i' || spec->conv == 'p') {
		if (negative)
			sign = '-';
		else if (spec->flags & FLAG_PLUS)
			sign = '+';
		else if (spec->flags & FLAG_SPACE)
			sign = ' ';
	}
	if (spec->conv == 'p' ||
	    ((spec->flags & FLAG_ALT) && magnitude != 0 &&
	    (spec->conv == 'x' || spec->conv == 'X')))
		prefix = spec->conv == 'X' ? "0X" : "0x";

	/* Digits, least significant first.  The value 0 has none yet. */
	for (ndigits = 0; magnitude != 0; magnitude /= base)
		digits[ndigits++] = digitset[magnitude % base];

	/* The default precision 1 prints 0 as "0", but precision 0 prints "". */
	if (spec->precision < 0)
		nzeros = ndigits == 0 ? 1 : 0;
	else if ((size_t)spec->precision > ndigits)
		nzeros = spec->precision - ndigits;
	else
		nzeros = 0;

	/* # with %o: raise the precision until the first digit is 0. */
	if (spec->conv == 'o' && (spec->flags & FLAG_ALT) && nzeros == 0)
		nzeros = 1;

	len = (sign != '\0') + strlen(prefix) + nzeros + ndigits;
	npad = (size_t)spec->width > len ? spec->width - len : 0;
	if ((spec->flags & (FLAG_ZERO | FLAG_LEFT)) == FLAG_ZERO &&
	    spec->precision < 0) {
		nzeros += npad;
		npad = 0;
	}

	if (!(spec->flags & FLAG_LEFT))
		out_repeat(out, ' ', npad);
	if (sign != '\0')
		out_char(out, sign);
	out_bytes(out, prefix, strlen(prefix));
	out_repeat(out, '0', nzeros);
	while (ndigits > 0)
		out_char(out, digits[--ndigits]);
	if (spec->flags & FLAG_LEFT)
		out_repeat(out, ' ', npad);
}

/* Print len bytes of s in the field, padded with spaces. */
static void
format_text(struct format_out *out, const struct conv_spec *spec,
    const char *s, size_t len)
{
	size_t npad = (size_t)spec->width > len ? spec->width - len : 0;

	if (!(spec->flags & FLAG_LEFT))
		out_repeat(out, ' ', npad);
	out_bytes(out, s, len);
	if (spec->flags & FLAG_LEFT)
		out_repeat(out, ' ', npad);
}

static void
format_string(struct format_out *out, const struct conv_spec *spec,
    const char *s)
{
	static const char null_text[] = "(null)";
	size_t len;

	if (s == NULL) {
		if (spec->precision < 0 ||
		    (size_t)spec->precision >= sizeof(null_text) - 1)
			s = null_text;
		else
			s = "";
	}

	/* With a precision, s need not be NUL-terminated within it. */
	if (spec->precision < 0)
		len = strlen(s);
	else
		len = strnlen(s, spec->precision);
	format_text(out, spec, s, len);
}

/* Carry out one parsed conversion, fetching its argument from args. */
static void
format_conversion(struct format_out *out, const struct conv_spec *spec,
    va_list *args)
{
	intmax_t value;
	uintptr_t pointer;
	char c;

	switch (spec->conv) {
	case 'd':
	case 'i':
		value = fetch_signed(spec, args);
		/* Negate in unsigned arithmetic, so INTMAX_MIN is safe. */
		format_integer(out, spec,
		    value < 0 ? 0 - (uintmax_t)value : (uintmax_t)value,
		    value < 0);
		break;
	case 'u':
	case 'o':
	case 'x':
	case 'X':
		format_integer(out, spec, fetch_unsigned(spec, args), false);
		break;
	case 'c':
		c = (char)(unsigned char)va_arg(*args, int);
		format_text(out, spec, &c, 1);
		break;
	case 's':
		format_string(out, spec, va_arg(*args, const char *));
		break;
	case 'p':
		pointer = (uintptr_t)va_arg(*args, void *);
		if (pointer == 0)
			format_text(out, spec, "(nil)", 5);
		else
			format_integer(out, spec, pointer, false);
		break;
	case '%':
		out_char(out, '%');
		break;
	}
}

static bool
conversion_known(char conv)
{

	return conv != '\0' && strchr("diuoxXcsp%", conv) != NULL;
}

/*
 * Format like vprintf, passing each output character to putc(c, arg).
 * Returns the number of characters output.
 *
 * NOTE: a total beyond INT_MAX is returned as INT_MAX.  The C library
 * fails with EOVERFLOW instead, which an int-returning kernel routine
 * without errno cannot report.
 */
int
kvformat(void (*putc)(int, void *), void *arg, const char *fmt, va_list ap)
{
	struct format_out out = { .putc = putc, .arg = arg, .count = 0 };
	struct conv_spec spec;
	const char *start, *end;
	va_list args;

	va_copy(args, ap);
	while (*fmt != '\0') {
		if (*fmt != '%') {
			out_char(&out, (unsigned char)*fmt++);
			continue;
		}

		start = fmt;
		end = parse_spec(fmt + 1, &spec, &args);
		if (!conversion_known(spec.conv)) {
			/* Show the malformed specification as written. */
			if (*end != '\0')
				end++;
			out_bytes(&out, start, end - start);
			fmt = end;
			continue;
		}
		format_conversion(&out, &spec, &args);
		fmt = end + 1;
	}
	va_end(args);

	return out.count > INT_MAX_VALUE ? INT_MAX_VALUE : (int)out.count;
}

/* Destination of vsnprintf: the buffer and how much of it is used. */
struct snprintf_buffer {
	char	*buf;
	size_t	capacity;	/* characters that fit before the NUL */
	size_t	used;
};

static void
snprintf_putc(int c, void *arg)
{
	struct snprintf_buffer *sb = arg;

	if (sb->used < sb->capacity)
		sb->buf[sb->used++] = (char)c;
}

/*
 * Format into buf, storing at most size - 1 characters and a NUL when
 * size is not 0.  Returns the length of the whole output, so a result of
 * size or more means it was truncated.  buf may be NULL when size is 0.
 */
int
vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct snprintf_buffer sb = {
		.buf = buf,
		.capacity = size > 0 ? size - 1 : 0,
		.used = 0,
	};
	int len;

	len = kvformat(snprintf_putc, &sb, fmt, ap);
	if (size > 0)
		buf[sb.used] = '\0';
	return len;
}

int
snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return len;
}
