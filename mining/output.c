/* SPDX-License-Identifier: MIT */
/* Buffered export output with atomic replacement. See output.h. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mining/output.h"

static int
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int
output_open(struct output *o, const char *path)
{
	char *dcopy = NULL, *bcopy = NULL;
	int rc;

	memset(o, 0, sizeof(*o));
	o->fd = -1;
	o->buf = malloc(OUTPUT_BUF);
	if (!o->buf)
		return -ENOMEM;
	if (strcmp(path, "-") == 0) {
		o->fd = STDOUT_FILENO;
		return 0;
	}
	/* Only a regular file (or a new name) can be replaced atomically.
	 * Anything else that exists is written in place, like stdout:
	 * renaming over /dev/null or a FIFO would replace the node itself. */
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if (S_ISDIR(st.st_mode)) {
			rc = -EISDIR;
			goto fail;
		}
		o->fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
		if (o->fd < 0) {
			rc = -errno;
			goto fail;
		}
		o->in_place = true;
		return 0;
	}
	/* A symbolic link is followed: the file it names is replaced, and
	 * the link stays. */
	char *real = realpath(path, NULL);
	dcopy = strdup(real ? real : path);
	bcopy = strdup(real ? real : path);
	o->path = strdup(real ? real : path);
	free(real);
	if (!dcopy || !bcopy || !o->path) {
		rc = -ENOMEM;
		goto fail;
	}
	if (asprintf(&o->tmp, "%s/.%s.XXXXXX", dirname(dcopy), basename(bcopy)) < 0) {
		o->tmp = NULL;
		rc = -ENOMEM;
		goto fail;
	}
	o->fd = mkostemp(o->tmp, O_CLOEXEC);
	if (o->fd < 0) {
		rc = -errno;
		goto fail;
	}
	free(dcopy);
	free(bcopy);
	return 0;

fail:
	free(dcopy);
	free(bcopy);
	free(o->path);
	free(o->tmp);
	free(o->buf);
	memset(o, 0, sizeof(*o));
	o->fd = -1;
	return rc;
}

int
output_flush(struct output *o)
{
	int rc;

	if (o->err)
		return o->err;
	rc = write_all(o->fd, o->buf, o->len);
	o->len = 0;
	if (rc < 0)
		o->err = rc;
	return rc;
}

void
output_write_direct(struct output *o, const void *p, size_t n)
{
	int rc;

	if (o->err)
		return;
	rc = write_all(o->fd, p, n);
	if (rc < 0)
		o->err = rc;
	o->bytes += n;
}

static void
release(struct output *o)
{
	free(o->path);
	free(o->tmp);
	free(o->buf);
	memset(o, 0, sizeof(*o));
	o->fd = -1;
}

void
output_abort(struct output *o)
{
	if (o->tmp) {
		close(o->fd);
		unlink(o->tmp);
	} else if (o->in_place) {
		close(o->fd);
	}
	release(o);
}

mode_t
output_default_mode(void)
{
	mode_t m = umask(0);

	umask(m);
	return 0666 & ~m;
}

static int
fsync_dir(const char *path)
{
	char *copy = strdup(path);
	int fd, rc = 0;

	if (!copy)
		return -ENOMEM;
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(copy);
	if (fd < 0)
		return -errno;
	if (fsync(fd) < 0 && errno != EINVAL)
		rc = -errno;
	close(fd);
	return rc;
}

int
output_commit(struct output *o, mode_t mode, gid_t gid)
{
	int rc = output_flush(o);

	if (!o->tmp) {
		/* stdout: a full disk under a redirection still counts. */
		if (o->in_place && close(o->fd) < 0 && rc == 0)
			rc = -errno;
		release(o);
		return rc;
	}
	if (rc == 0 && fsync(o->fd) < 0)
		rc = -errno;
	if (rc == 0 && gid != (gid_t)-1 && fchown(o->fd, (uid_t)-1, gid) < 0)
		rc = -errno;
	if (rc == 0 && fchmod(o->fd, mode) < 0)
		rc = -errno;
	if (close(o->fd) < 0 && rc == 0)
		rc = -errno;
	o->fd = -1;
	if (rc == 0 && rename(o->tmp, o->path) < 0)
		rc = -errno;
	if (rc < 0) {
		unlink(o->tmp);
		release(o);
		return rc;
	}
	rc = fsync_dir(o->path);
	release(o);
	return rc;
}
