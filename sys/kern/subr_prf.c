/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Kernel console messages: printf, the aprint_* family for autoconfiguration
 * messages, log with syslog priorities, panic and the KASSERT back end.
 *
 * Each message is formatted into a buffer on the caller's stack and handed
 * to the console with a single cnwrite call, so messages printed by
 * concurrent threads never interleave within a message.  A message longer
 * than the buffer is cut short and ends in "..." (followed by the newline
 * the full message ended with, if any), so the cut is visible.
 *
 * Which messages reach the console depends on boothowto: RUMP_VERBOSE
 * sets AB_VERBOSE, which enables aprint_normal, aprint_verbose and log
 * messages below LOG_WARNING; AB_DEBUG enables aprint_debug.  printf,
 * aprint_error, urgent log messages and panics always print.
 */

#include <sys/types.h>
#include <sys/atomic.h>
#include <sys/cons.h>
#include <sys/reboot.h>
#include <sys/systm.h>

#define PRF_BUFSIZE	512	/* longest message written whole */
#define LOG_PRIMASK	0x07	/* priority bits of a syslog level */

static const char truncation_marker[] = "...";

/* A message being formatted. */
struct prf_buffer {
	char	text[PRF_BUFSIZE];
	size_t	len;		/* bytes stored in text */
	bool	truncated;	/* some output did not fit */
	int	last;		/* last character output, stored or not */
};

/* Set when the first panic starts; a later panic is recursive. */
static unsigned int panic_started;

static void
prf_init(struct prf_buffer *pb)
{

	pb->len = 0;
	pb->truncated = false;
	pb->last = '\0';
}

static void
prf_putc(int c, void *arg)
{
	struct prf_buffer *pb = arg;

	if (pb->len < sizeof(pb->text))
		pb->text[pb->len++] = (char)c;
	else
		pb->truncated = true;
	pb->last = c;
}

static void
prf_puts(struct prf_buffer *pb, const char *s)
{

	while (*s != '\0')
		prf_putc((unsigned char)*s++, pb);
}

static void
prf_vformat(struct prf_buffer *pb, const char *fmt, va_list ap)
{

	kvformat(prf_putc, pb, fmt, ap);
}

/*
 * Write the message to the console in one piece.  A truncated message has
 * its end replaced with the marker, and with the newline that the full
 * message ended with.
 */
static void
prf_flush(struct prf_buffer *pb)
{
	size_t marker_len = sizeof(truncation_marker) - 1;
	size_t tail;

	if (pb->truncated) {
		tail = marker_len + (pb->last == '\n' ? 1 : 0);
		pb->len = sizeof(pb->text) - tail;
		memcpy(pb->text + pb->len, truncation_marker, marker_len);
		pb->len += marker_len;
		if (pb->last == '\n')
			pb->text[pb->len++] = '\n';
	}
	cnwrite(pb->text, pb->len);
}

/* Format one message and write it to the console. */
static void
prf_print(const char *fmt, va_list ap)
{
	struct prf_buffer pb;

	prf_init(&pb);
	prf_vformat(&pb, fmt, ap);
	prf_flush(&pb);
}

static bool
booted_verbose(void)
{

	return (boothowto & AB_VERBOSE) != 0;
}

void
vprintf(const char *fmt, va_list ap)
{

	prf_print(fmt, ap);
}

void
printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	prf_print(fmt, ap);
	va_end(ap);
}

void
aprint_normal(const char *fmt, ...)
{
	va_list ap;

	if (!booted_verbose())
		return;
	va_start(ap, fmt);
	prf_print(fmt, ap);
	va_end(ap);
}

void
aprint_verbose(const char *fmt, ...)
{
	va_list ap;

	if (!booted_verbose())
		return;
	va_start(ap, fmt);
	prf_print(fmt, ap);
	va_end(ap);
}

void
aprint_debug(const char *fmt, ...)
{
	va_list ap;

	if ((boothowto & AB_DEBUG) == 0)
		return;
	va_start(ap, fmt);
	prf_print(fmt, ap);
	va_end(ap);
}

void
aprint_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	prf_print(fmt, ap);
	va_end(ap);
}

/*
 * Print a log message without any prefix.  Only the priority bits of level
 * count, so a level with a syslog facility or'ed in works too.
 */
void
vlog(int level, const char *fmt, va_list ap)
{

	if ((level & LOG_PRIMASK) > LOG_WARNING && !booted_verbose())
		return;
	prf_print(fmt, ap);
}

void
log(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(level, fmt, ap);
	va_end(ap);
}

/*
 * Print "panic: " and the message, add a newline unless the message ends
 * with one, and halt.  A panic that starts while another is in progress,
 * from the panicking thread or any other, is marked "panic (recursive): "
 * and halts as well.
 */
void
vpanic(const char *fmt, va_list ap)
{
	struct prf_buffer pb;
	bool recursive;

	recursive = atomic_swap_uint(&panic_started, 1) != 0;

	prf_init(&pb);
	prf_puts(&pb, recursive ? "panic (recursive): " : "panic: ");
	prf_vformat(&pb, fmt, ap);
	if (pb.last != '\n')
		prf_putc('\n', &pb);
	prf_flush(&pb);

	cpu_panic_halt();
}

void
panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vpanic(fmt, ap);
	/* NOTREACHED */
}

/* The back end of KASSERT and KASSERTMSG: a panic with their message. */
void
kern_assert(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vpanic(fmt, ap);
	/* NOTREACHED */
}
