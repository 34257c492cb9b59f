/* SPDX-License-Identifier: MIT */
/* Buffered export output with atomic replacement. See output.h. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>
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

/*
 * May a symbolic link or special file found in the directory @p dfd be
 * used? Only when nobody but root and the caller can write that
 * directory: then nobody else can have put it there. A directory
 * writable by another user (a sticky /tmp, a user's home) is where an
 * attacker plants links, whatever fs.protected_symlinks says.
 */
static bool
dir_trusted(int dfd)
{
	struct stat st;

	if (fstat(dfd, &st) < 0)
		return false;
	if (st.st_uid != 0 && st.st_uid != geteuid())
		return false;
	if (st.st_mode & S_IWOTH)
		return false;
	if ((st.st_mode & S_IWGRP) && st.st_gid != 0)
		return false;
	return true;
}

#define MAX_LINKS 40

/*
 * Open directory @p path component by component, every step with
 * O_NOFOLLOW relative to the directory before it, so that what is checked
 * is what is used (no name is looked up twice). A symbolic link on the
 * way is followed — by this walk, not by the kernel — only when it sits
 * in a trusted directory (dir_trusted); otherwise -ELOOP and
 * output_refused names the link.
 */
static int
open_dir_path(const char *path, struct output *o)
{
	char *work = NULL, *next;
	int fd, links = 0, rc = 0;

	fd = open(path[0] == '/' ? "/" : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	work = strdup(path);
	if (!work) {
		close(fd);
		return -ENOMEM;
	}
	next = work;
	while (next && *next) {
		char *name = next, *slash = strchr(next, '/');
		struct stat st;
		int nfd;

		if (slash) {
			*slash = '\0';
			next = slash + 1;
		} else {
			next = NULL;
		}
		if (!*name || strcmp(name, ".") == 0)
			continue;
		if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			rc = -errno;
			break;
		}
		if (S_ISLNK(st.st_mode)) {
			char target[PATH_MAX], *rest;
			ssize_t n;

			if (!dir_trusted(fd) || ++links > MAX_LINKS) {
				snprintf(o->refused, sizeof(o->refused), "%s", name);
				rc = -ELOOP;
				break;
			}
			n = readlinkat(fd, name, target, sizeof(target) - 1);
			if (n < 0) {
				rc = -errno;
				break;
			}
			target[n] = '\0';
			/* continue with the link's text, then what followed it */
			if (asprintf(&rest, "%s/%s", target, next ? next : "") < 0) {
				rc = -ENOMEM;
				break;
			}
			free(work);
			work = next = rest;
			if (target[0] == '/') {
				nfd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
				if (nfd < 0) {
					rc = -errno;
					break;
				}
				close(fd);
				fd = nfd;
			}
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			rc = -ENOTDIR;
			break;
		}
		nfd = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (nfd < 0) {
			rc = -errno;
			break;
		}
		close(fd);
		fd = nfd;
	}
	free(work);
	if (rc < 0) {
		close(fd);
		return rc;
	}
	o->dirfd = fd;
	return 0;
}

/* A fresh ".NAME.XXXXXX" in the directory, made with O_EXCL|O_NOFOLLOW. */
static int
make_temp(struct output *o)
{
	static const char abc[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

	for (int tries = 0; tries < 100; tries++) {
		unsigned char r[6];
		char suffix[7];

		if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
			return -errno;
		for (size_t i = 0; i < sizeof(r); i++)
			suffix[i] = abc[r[i] % (sizeof(abc) - 1)];
		suffix[6] = '\0';
		free(o->tmp);
		if (asprintf(&o->tmp, ".%s.%s", o->name, suffix) < 0) {
			o->tmp = NULL;
			return -ENOMEM;
		}
		o->fd = openat(o->dirfd, o->tmp,
			       O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC,
			       0600);
		if (o->fd >= 0)
			return 0;
		if (errno != EEXIST)
			return -errno;
	}
	return -EEXIST;
}

static void
release(struct output *o)
{
	if (o->dirfd >= 0)
		close(o->dirfd);
	free(o->name);
	free(o->tmp);
	free(o->buf);
	memset(o, 0, sizeof(*o));
	o->fd = -1;
	o->dirfd = -1;
}

int
output_open(struct output *o, const char *path)
{
	char *dir = NULL;
	const char *base;
	struct stat st;
	int rc;

	memset(o, 0, sizeof(*o));
	o->fd = -1;
	o->dirfd = -1;
	o->buf = malloc(OUTPUT_BUF);
	if (!o->buf)
		return -ENOMEM;
	if (strcmp(path, "-") == 0) {
		o->fd = STDOUT_FILENO;
		return 0;
	}
	/* The last component is the name to create; everything before it
	 * is the directory, opened without trusting anyone's links. */
	base = strrchr(path, '/');
	if (base) {
		size_t n = (size_t)(base - path);
		dir = strndup(path, n ? n : 1);	/* "/x": the root */
		base++;
	} else {
		dir = strdup(".");
		base = path;
	}
	if (!dir) {
		rc = -ENOMEM;
		goto fail;
	}
	if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
		rc = -EISDIR;
		goto fail;
	}
	o->name = strdup(base);
	if (!o->name) {
		rc = -ENOMEM;
		goto fail;
	}
	rc = open_dir_path(dir, o);
	if (rc < 0)
		goto fail;
	free(dir);
	dir = NULL;

	if (fstatat(o->dirfd, o->name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (S_ISLNK(st.st_mode)) {
			/* Never written through, wherever it points. */
			snprintf(o->refused, sizeof(o->refused), "%s", o->name);
			rc = -ELOOP;
			goto fail;
		}
		if (S_ISDIR(st.st_mode)) {
			rc = -EISDIR;
			goto fail;
		}
		/* Only a regular file can be replaced atomically. Anything
		 * else (/dev/null, a FIFO) is written in place, like stdout:
		 * renaming over it would replace the node itself. It must be
		 * root's, the caller's, or in a directory only they write: a
		 * FIFO planted in /tmp would hand the export to its maker. */
		if (!S_ISREG(st.st_mode)) {
			if (st.st_uid != 0 && st.st_uid != geteuid() && !dir_trusted(o->dirfd)) {
				snprintf(o->refused, sizeof(o->refused), "%s", o->name);
				rc = -EPERM;
				goto fail;
			}
			o->fd = openat(o->dirfd, o->name,
				       O_WRONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
			if (o->fd < 0) {
				rc = -errno;
				goto fail;
			}
			o->in_place = true;
			free(o->name);
			o->name = NULL;
			close(o->dirfd);
			o->dirfd = -1;
			return 0;
		}
	} else if (errno != ENOENT) {
		rc = -errno;
		goto fail;
	}
	rc = make_temp(o);
	if (rc < 0)
		goto fail;
	return 0;

fail:
	free(dir);
	{
		char refused[sizeof(o->refused)];

		memcpy(refused, o->refused, sizeof(refused));
		release(o);
		memcpy(o->refused, refused, sizeof(refused));
	}
	return rc;
}

const char *
output_strerror(const struct output *o, int err)
{
	static char msg[sizeof(o->refused) + 160];

	if (o->refused[0] && err == -ELOOP) {
		snprintf(msg, sizeof(msg), "'%s' is a symbolic link in a directory others "
			 "can write; refused (give the real path)", o->refused);
		return msg;
	}
	if (o->refused[0] && err == -EPERM) {
		snprintf(msg, sizeof(msg), "'%s' is another user's special file in a "
			 "directory others can write; refused", o->refused);
		return msg;
	}
	return strerror(err < 0 ? -err : err);
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

void
output_abort(struct output *o)
{
	if (o->tmp) {
		close(o->fd);
		unlinkat(o->dirfd, o->tmp, 0);
	} else if (o->in_place) {
		close(o->fd);
	}
	release(o);
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
	/* Within the directory opened at the start: a name swapped for a
	 * link since then is replaced, never followed. */
	if (rc == 0 && renameat(o->dirfd, o->tmp, o->dirfd, o->name) < 0)
		rc = -errno;
	if (rc < 0) {
		unlinkat(o->dirfd, o->tmp, 0);
		release(o);
		return rc;
	}
	if (fsync(o->dirfd) < 0 && errno != EINVAL)
		rc = -errno;
	release(o);
	return rc;
}
