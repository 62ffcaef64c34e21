/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fsu: file system image utility.  Declarations shared by the command
 * files: the mounted image, messages, directory reading and the
 * commands themselves.
 */

#ifndef _FSU_FSU_H_
#define _FSU_FSU_H_

#include <sys/types.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

struct stat;

/* Exit statuses, as coreutils uses them. */
#define FSU_OK		0
#define FSU_FAIL	1	/* an operation failed */
#define FSU_USAGE	2	/* bad command line */

/* The mounted image a command works on. */
struct fsu {
	struct ukfs	*fsu_ukfs;
	const char	*fsu_image;	/* IMAGE[:PARTITION] as given */
	const char	*fsu_fstype;	/* mount type name */
	bool		 fsu_detected;	/* fsu_fstype is from the superblock */
	const char	*fsu_mountpath;	/* the mount, in the kernel */
	mode_t		 fsu_umask;	/* the host's, for new files */
	bool		 fsu_checkonly;	/* no image yet: see below */
};

/*
 * A command: its name, function, and whether it changes the image.
 * fsu calls the function twice.  The first call, with fsu_checkonly set
 * and no image mounted, parses and checks the arguments: it returns
 * FSU_OK right after that, or the usage status with the message, so
 * that a bad command line never touches the image.  The second call,
 * with the image mounted, does the work.
 */
struct fsu_command {
	const char	*cmd_name;
	int		(*cmd_func)(struct fsu *, int argc, char **argv);
	bool		 cmd_readonly;
	const char	*cmd_usage;	/* arguments after the name */
	const char	*cmd_help;	/* one line */
};

extern const struct fsu_command fsu_commands[];

/*
 * Set by SIGINT, SIGTERM and SIGHUP, and by SIGPIPE when the reader of
 * standard output went away: long operations stop early.
 */
extern volatile sig_atomic_t fsu_interrupted;

/* One record of getdents64 (Linux's struct linux_dirent64). */
struct fsu_dirent64 {
	uint64_t	d_ino;
	int64_t		d_off;
	unsigned short	d_reclen;
	unsigned char	d_type;
	char		d_name[];
};

/* Print "fsu: MESSAGE" or "fsu: MESSAGE: strerror(error)" on stderr. */
void	fsu_warnx(const char *fmt, ...)
	    __attribute__((__format__(__printf__, 1, 2)));
void	fsu_warnc(int error, const char *fmt, ...)
	    __attribute__((__format__(__printf__, 2, 3)));

/* Print the usage line of cmd on stderr; returns FSU_USAGE. */
int	fsu_usage_cmd(const char *cmd);

/* "CMD: missing WHAT" and the usage line of cmd; returns FSU_USAGE. */
int	fsu_usage_missing(const char *cmd, const char *what);

/*
 * For a command without options: takes a leading "--" and refuses any
 * option.  Afterwards (*argvp)[1] is the first operand.  Returns FSU_OK
 * or FSU_USAGE.
 */
int	fsu_no_options(const char *cmd, int *argcp, char ***argvp);

/* dir/name, allocated; exits on memory exhaustion. */
char	*fsu_join(const char *dir, const char *name);
void	*fsu_xmalloc(size_t);
char	*fsu_xstrdup(const char *);

/* The last component of path, ignoring trailing slashes, allocated. */
char	*fsu_basename(const char *path);

/* dst/basename(src) when dst_is_dir, else dst; allocated. */
char	*fsu_target(const char *src, const char *dst, bool dst_is_dir);

/*
 * The names in directory dir of the image, sorted, without "." and ".."
 * unless withdots.  Returns 0 or -1 with errno.  Free with
 * fsu_free_names.
 */
int	fsu_read_names(struct fsu *, const char *dir, bool withdots,
	    char ***namesp, size_t *countp);
void	fsu_free_names(char **names, size_t count);

/*
 * Call fn for each entry of directory dir of the image except "." and
 * "..", in order, with its path dir/name, until interrupted.  When dir
 * cannot be read, prints "WHAT'DIR': error" (what is like "cannot read
 * directory ").  Returns FSU_OK, or FSU_FAIL when dir could not be read,
 * fn failed for an entry or the walk was interrupted.
 */
typedef int fsu_walk_fn(struct fsu *, const char *path, const char *name,
	    const void *arg);
int	fsu_walk_dir(struct fsu *, const char *dir, const char *what,
	    fsu_walk_fn *fn, const void *arg);

/* Host user and group names, numbers for those without one. */
const char *fsu_user_name(uid_t uid, bool numeric);
const char *fsu_group_name(gid_t gid, bool numeric);

/* "drwxr-xr-x" for st_mode; buf has room for 11 bytes. */
void	fsu_mode_string(mode_t mode, char *buf);

/* Type detection: fills *typep with a mount type name or fails. */
int	fsu_detect_type(const char *image, unsigned partnum,
	    const char **typep);

/* The commands. */
int	fsu_cmd_ls(struct fsu *, int, char **);
int	fsu_cmd_stat(struct fsu *, int, char **);
int	fsu_cmd_df(struct fsu *, int, char **);
int	fsu_cmd_find(struct fsu *, int, char **);
int	fsu_cmd_cat(struct fsu *, int, char **);
int	fsu_cmd_get(struct fsu *, int, char **);
int	fsu_cmd_put(struct fsu *, int, char **);
int	fsu_cmd_mkdir(struct fsu *, int, char **);
int	fsu_cmd_rm(struct fsu *, int, char **);
int	fsu_cmd_rmdir(struct fsu *, int, char **);
int	fsu_cmd_mv(struct fsu *, int, char **);
int	fsu_cmd_ln(struct fsu *, int, char **);
int	fsu_cmd_chmod(struct fsu *, int, char **);
int	fsu_cmd_chown(struct fsu *, int, char **);
int	fsu_cmd_touch(struct fsu *, int, char **);

#endif /* _FSU_FSU_H_ */
