/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The kernel's own library: string and memory routines, number parsing and
 * formatting helpers.  Kernel code never links the host C library, so
 * everything it needs of that kind is declared here.
 */

#ifndef _LIB_LIBKERN_LIBKERN_H_
#define _LIB_LIBKERN_LIBKERN_H_

#include <sys/types.h>
#include <sys/stdarg.h>

#define MIN(a, b)	((a) < (b) ? (a) : (b))
#define MAX(a, b)	((a) > (b) ? (a) : (b))
#define roundup(x, y)	((((x) + ((y) - 1)) / (y)) * (y))
#define rounddown(x, y)	(((x) / (y)) * (y))
#define howmany(x, y)	(((x) + ((y) - 1)) / (y))
#define powerof2(x)	((((x) - 1) & (x)) == 0)

void	*memcpy(void *, const void *, size_t);
void	*memmove(void *, const void *, size_t);
void	*memset(void *, int, size_t);
int	 memcmp(const void *, const void *, size_t);
void	*memchr(const void *, int, size_t);

size_t	 strlen(const char *);
size_t	 strnlen(const char *, size_t);
int	 strcmp(const char *, const char *);
int	 strncmp(const char *, const char *, size_t);
char	*strcpy(char *, const char *);
char	*strncpy(char *, const char *, size_t);
size_t	 strlcpy(char *, const char *, size_t);
size_t	 strlcat(char *, const char *, size_t);
char	*strchr(const char *, int);
char	*strrchr(const char *, int);
char	*strstr(const char *, const char *);
char	*strsep(char **, const char *);
size_t	 strspn(const char *, const char *);
size_t	 strcspn(const char *, const char *);

int	 isdigit(int);
int	 isspace(int);
int	 isxdigit(int);
int	 isalpha(int);
int	 toupper(int);
int	 tolower(int);

/*
 * Number parsing in the manner of the C library: base 0 detects 0x and 0
 * prefixes, *endp points past the digits used.  On overflow the result
 * saturates and *errorp (when not NULL) is set to ERANGE; with no digits
 * or a base other than 0 or 2..36 it is set to EINVAL, and to 0 otherwise.
 */
unsigned long long strtoull_err(const char *, char **, int, int *);
long long strtoll_err(const char *, char **, int, int *);
unsigned long strtoul(const char *, char **, int);
long	 strtol(const char *, char **, int);

/*
 * First (least significant) and last (most significant) set bit.  Bit 0
 * counts as 1, and 0 means that no bit is set.
 */
int	 ffs(int);
int	 ffs64(uint64_t);
int	 fls(int);
int	 fls64(uint64_t);
int	 popcount(unsigned int);
int	 popcount64(uint64_t);
int	 ilog2_u64(uint64_t);		/* floor(log2(x)); -1 for 0 */

/*
 * Formatting: the C library's printf conversions d i u o x X c s p %, with
 * flags - + space 0 #, width and precision (also as *), and the length
 * modifiers hh h l ll j z t.  Floating point is not supported.  snprintf
 * always NUL-terminates when the size is not 0 and returns the length the
 * whole output would have.
 */
int	 snprintf(char *, size_t, const char *, ...) __printflike(3, 4);
int	 vsnprintf(char *, size_t, const char *, va_list);
int	 kvformat(void (*)(int, void *), void *, const char *, va_list);

#endif /* _LIB_LIBKERN_LIBKERN_H_ */
