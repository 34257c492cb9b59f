/* SPDX-License-Identifier: MIT */
/*
 * Export output: a buffered writer onto a file that appears atomically.
 *
 * A file export is written to a temporary file in the target's directory
 * (".NAME.XXXXXX"), then flushed, fsync'd, given its mode, renamed over the
 * target and the directory fsync'd. Until the rename nothing exists under
 * the target's name; after it, the whole file does. output_abort() (an
 * error, SIGINT, SIGTERM) unlinks the temporary file, so an interrupted
 * export leaves nothing behind.
 *
 * "-" means standard output: written through the same buffer, with no
 * atomicity (a pipe has none to give). So is a target that exists and is
 * not a regular file (/dev/null, a FIFO): renaming over it would replace
 * the device node or pipe itself; it must belong to root or the caller, or
 * sit in a directory only they can write (a FIFO planted in /tmp would
 * hand the export to whoever made it).
 *
 * Links, as an attacker on the same machine would plant them (root runs
 * this): the directory is opened component by component with O_NOFOLLOW,
 * the temporary file is created in it with O_CREAT|O_EXCL|O_NOFOLLOW and
 * renamed within it (openat/renameat on the directory's fd), so no name
 * is resolved twice.
 *  - A symbolic link as the last component is refused (-ELOOP), wherever
 *    it points: the output is never written through a link.
 *  - A symbolic link in a directory component is followed only when the
 *    directory holding it is writable by nobody but root and the caller
 *    (e.g. /var/run -> /run); in a directory others can write (a sticky
 *    /tmp, a user's home) it is refused (-ELOOP), whatever the kernel's
 *    fs.protected_symlinks says.
 *  - A hard link as the last component is replaced by rename: the name
 *    gets the new file, every other name of the old file keeps the old
 *    content and mode (nothing is written into an existing file).
 * output_strerror() says which link was refused.
 *
 * Errors are sticky: after the first failed write, later writes do
 * nothing and output_commit() reports the first error.
 */
#ifndef TT_MINING_OUTPUT_H
#define TT_MINING_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

#define OUTPUT_BUF (256 * 1024)

struct output {
	int fd;
	int err;		/* first error, -errno */
	int dirfd;		/* the target's directory; -1 for stdout */
	char *name;		/* target's name in dirfd; NULL for stdout */
	char *tmp;		/* temporary file's name in dirfd; NULL for stdout */
	char refused[256];	/* the link (or special file) refused, if any */
	bool in_place;		/* an existing non-regular file, opened as is */
	char *buf;
	size_t len;
	uint64_t bytes;		/* written so far, buffered included */
};

/**
 * Open @p path for writing ("-": stdout). @retval 0, -errno (the
 * directory does not exist, is not writable, …; -ELOOP: a link refused,
 * -EPERM: another user's special file refused — see above).
 */
int
output_open(struct output *o, const char *path);

/** The message for @p err returned by output_open() on @p o (names a
 *  refused link), else strerror(). */
const char *
output_strerror(const struct output *o, int err);

/** Write to the file itself; the buffer is emptied first. */
int
output_flush(struct output *o);

/** Write @p n bytes past the buffer (for writes larger than it). */
void
output_write_direct(struct output *o, const void *p, size_t n);

static inline void
output_write(struct output *o, const void *p, size_t n)
{
	if (o->len + n > OUTPUT_BUF) {
		if (output_flush(o) < 0)
			return;
		if (n > OUTPUT_BUF) {
			/* Larger than the buffer: bypass it. */
			output_write_direct(o, p, n);
			return;
		}
	}
	memcpy(o->buf + o->len, p, n);
	o->len += n;
	o->bytes += n;
}

/**
 * Room for @p n bytes at the end of the buffer (flushed first when they
 * would not fit), for a writer to fill in place and then count with
 * output_advance(): one copy less than building elsewhere and writing.
 * NULL when @p n is larger than the buffer or after an error; then write
 * the ordinary way (output_write() reports the error).
 */
static inline char *
output_space(struct output *o, size_t n)
{
	if (o->err || n > OUTPUT_BUF)
		return NULL;
	if (o->len + n > OUTPUT_BUF && output_flush(o) < 0)
		return NULL;
	return o->buf + o->len;
}

/** Count @p n bytes written in place at output_space(). */
static inline void
output_advance(struct output *o, size_t n)
{
	o->len += n;
	o->bytes += n;
}

static inline void
output_puts(struct output *o, const char *s)
{
	output_write(o, s, strlen(s));
}

/**
 * Finish: flush, fsync, set @p mode (and @p gid unless (gid_t)-1), rename
 * into place, fsync the directory. On failure the temporary file is
 * removed. Always releases @p o. @retval 0 or the first -errno.
 */
int
output_commit(struct output *o, mode_t mode, gid_t gid);

/** Give up: remove the temporary file, release @p o. */
void
output_abort(struct output *o);

/* The mode of every export and report written to a file: readable by the
 * owner and the group given (the admin group), never by others, whatever
 * the umask (records of other people's work). */
#define OUTPUT_MODE 0640

#endif /* TT_MINING_OUTPUT_H */
