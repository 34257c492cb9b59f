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
 * the device node or pipe itself. A symbolic link is followed, and the
 * file it points to is replaced.
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
	char *path;		/* target; NULL for stdout */
	char *tmp;		/* temporary file; NULL for stdout */
	bool in_place;		/* an existing non-regular file, opened as is */
	char *buf;
	size_t len;
	uint64_t bytes;		/* written so far, buffered included */
};

/**
 * Open @p path for writing ("-": stdout). @retval 0, -errno (the
 * directory does not exist, is not writable, …).
 */
int
output_open(struct output *o, const char *path);

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

/** The file mode an ordinary new file would get: 0666 & ~umask. */
mode_t
output_default_mode(void);

#endif /* TT_MINING_OUTPUT_H */
