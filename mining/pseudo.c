/* SPDX-License-Identifier: MIT */
/* Keyed pseudonyms (HMAC-SHA-256, Nettle) and the site secret file. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mining/pseudo.h"
#include "tasktrace/cases.h"

const char *
pseudo_secret_path(const char *opt, const char *configured)
{
	const char *env;

	if (opt)
		return opt;
	env = getenv("TASKTRACE_SECRET");
	if (env && *env)
		return env;
	return configured && *configured ? configured : PSEUDO_DEFAULT_SECRET;
}

/*
 * Open the secret relative to its directory, O_NOFOLLOW. The directory
 * must belong to root or the caller and be writable by nobody else.
 * Returns 0 (*fd open), -errno (*fd -1, nothing said about the directory)
 * or 1 (*fd -1, @p err says what is wrong with the directory).
 */
static int
open_secret(const char *path, int *fd, char *err, size_t errlen)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path))
			  : strdup(".");
	struct stat ds;
	int dfd, rc;

	*fd = -1;
	if (!dir)
		return -ENOMEM;
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		rc = -errno;
		free(dir);
		return rc;
	}
	if (fstat(dfd, &ds) < 0) {
		rc = -errno;
	} else if (ds.st_uid != 0 && ds.st_uid != geteuid()) {
		snprintf(err, errlen, "the directory of site secret %s (%s) belongs to uid %u, "
			 "who could replace the secret; refused", path, dir, (unsigned)ds.st_uid);
		rc = 1;
	} else if (ds.st_mode & (S_IWGRP | S_IWOTH)) {
		snprintf(err, errlen, "the directory of site secret %s (%s) is writable by "
			 "others (mode %04o), who could replace the secret; refused", path, dir,
			 (unsigned)(ds.st_mode & 07777));
		rc = 1;
	} else {
		*fd = openat(dfd, slash ? slash + 1 : path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		rc = *fd < 0 ? -errno : 0;
	}
	close(dfd);
	free(dir);
	return rc;
}

int
pseudo_load(struct pseudo *p, const char *path, char *err, size_t errlen)
{
	struct stat st;
	ssize_t n;
	size_t got = 0;
	int fd, rc;

	memset(p, 0, sizeof(*p));
	/* The secret's own directory first: whoever can write it can put
	 * their own key (or a link to a root file whose bytes they know)
	 * under the secret's name, and read every pseudonym back. */
	rc = open_secret(path, &fd, err, errlen);
	if (rc == 1)
		return -EPERM;
	if (fd < 0) {
		if (rc == -ELOOP) {
			snprintf(err, errlen, "site secret %s is a symbolic link; refused "
				 "(name the file itself)", path);
			return -EPERM;
		}
		if (rc == -ENOENT)
			snprintf(err, errlen,
				 "no site secret at %s (create one with "
				 "'tasktrace secret --create', or name one with "
				 "--secret or TASKTRACE_SECRET)", path);
		else
			snprintf(err, errlen, "cannot open site secret %s: %s",
				 path, strerror(-rc));
		return rc;
	}
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = -EPERM;
		snprintf(err, errlen, "site secret %s is not a regular file", path);
		goto out;
	}
	/* Anyone who can read the secret can undo every pseudonym by hashing
	 * the names they guess: refuse to use one that others can read or
	 * replace, like ssh refuses a private key with loose permissions. */
	if (st.st_uid != 0 && st.st_uid != geteuid()) {
		rc = -EPERM;
		snprintf(err, errlen, "site secret %s belongs to uid %u, not to root or "
			 "the user running this; refused", path, (unsigned)st.st_uid);
		goto out;
	}
	if (st.st_mode & (S_IROTH | S_IWOTH | S_IWGRP)) {
		rc = -EPERM;
		snprintf(err, errlen,
			 "site secret %s is accessible by others (mode %04o); "
			 "run 'chmod 600 %s'", path,
			 (unsigned)(st.st_mode & 07777), path);
		goto out;
	}
	for (;;) {
		n = read(fd, p->key + got, sizeof(p->key) - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -errno;
			snprintf(err, errlen, "%s: %s", path, strerror(-rc));
			goto out;
		}
		if (n == 0)
			break;
		got += (size_t)n;
		if (got == sizeof(p->key)) {
			rc = -EINVAL;
			snprintf(err, errlen,
				 "site secret %s is longer than %d bytes", path,
				 PSEUDO_SECRET_MAX - 1);
			goto out;
		}
	}
	if (got < PSEUDO_SECRET_MIN) {
		rc = -EINVAL;
		snprintf(err, errlen,
			 "site secret %s has %zu bytes, fewer than %d", path,
			 got, PSEUDO_SECRET_MIN);
		goto out;
	}
	p->key_len = got;
	rc = 0;
out:
	close(fd);
	if (rc < 0)
		pseudo_clear(p);
	return rc;
}

int
pseudo_secret_create(const char *path)
{
	uint8_t key[32];
	size_t got = 0;
	int fd, rc = 0;

	while (got < sizeof(key)) {
		ssize_t n = getrandom(key + got, sizeof(key) - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		got += (size_t)n;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		rc = -errno;
		goto out;
	}
	/* The umask cannot widen 0600, but make the mode exact anyway. */
	if (fchmod(fd, 0600) < 0 ||
	    write(fd, key, sizeof(key)) != (ssize_t)sizeof(key) ||
	    fsync(fd) < 0) {
		rc = errno ? -errno : -EIO;
		close(fd);
		unlink(path);
		goto out;
	}
	if (close(fd) < 0)
		rc = -errno;
out:
	explicit_bzero(key, sizeof(key));
	return rc;
}

void
pseudo_clear(struct pseudo *p)
{
	explicit_bzero(p->key, sizeof(p->key));
	p->key_len = 0;
}

void
pseudo_name(const struct pseudo *p, const char *domain, const char *prefix,
	    const char *name, size_t len, char out[PSEUDO_LEN + 1])
{
	/* One HMAC construction for every pseudonym tasktrace makes: users
	 * and hosts here, case ids (lib/cases.c) in the tracer and in
	 * `tasktrace secret hash-id`. */
	tt_pseudonym(p->key, p->key_len, domain, prefix, name, len, out);
}
