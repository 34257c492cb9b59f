/* SPDX-License-Identifier: MIT */
/* Keyed pseudonyms (HMAC-SHA-256, Nettle) and the site secret file. */
#include <errno.h>
#include <fcntl.h>
#include <nettle/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mining/pseudo.h"

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

int
pseudo_load(struct pseudo *p, const char *path, char *err, size_t errlen)
{
	struct stat st;
	ssize_t n;
	size_t got = 0;
	int fd, rc;

	memset(p, 0, sizeof(*p));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
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
	static const char hex[] = "0123456789abcdef";
	struct hmac_sha256_ctx ctx;
	uint8_t digest[SHA256_DIGEST_SIZE];
	size_t plen = strnlen(prefix, 2);
	uint8_t zero = 0;

	hmac_sha256_set_key(&ctx, p->key_len, p->key);
	/* The domain separates users from hosts: a user and a host of the
	 * same name get unrelated pseudonyms. */
	hmac_sha256_update(&ctx, strlen(domain), (const uint8_t *)domain);
	hmac_sha256_update(&ctx, 1, &zero);
	hmac_sha256_update(&ctx, len, (const uint8_t *)name);
	hmac_sha256_digest(&ctx, sizeof(digest), digest);
	explicit_bzero(&ctx, sizeof(ctx));

	memcpy(out, prefix, plen);
	for (size_t i = 0; i < 8; i++) {
		out[plen + 2 * i] = hex[digest[i] >> 4];
		out[plen + 2 * i + 1] = hex[digest[i] & 0xf];
	}
	out[plen + 16] = '\0';
}
