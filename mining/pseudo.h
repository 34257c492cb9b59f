/* SPDX-License-Identifier: MIT */
/*
 * Pseudonyms for users and hosts in exports.
 *
 * A pseudonym is HMAC-SHA-256(site secret, domain ‖ 0 ‖ name), truncated
 * to 64 bits and written as 16 hex digits after a short prefix ("u-" for
 * users, "h-" for hosts). The same name under the same secret always
 * gives the same pseudonym, in every export and on every machine that
 * shares the secret; without the secret a pseudonym cannot be linked to a
 * name, not even by hashing candidate names (which a plain hash allows).
 * 64 bits keep collisions out of reach for any realistic number of
 * people (birthday bound ~ 4·10⁹).
 *
 * HMAC and SHA-256 come from Nettle (Debian: nettle-dev), a small,
 * widely packaged library that GnuTLS is built on; its HMAC interface is
 * three plain functions and it is not deprecated in the way OpenSSL 3's
 * HMAC_* interface is.
 *
 * The secret is a file of at least 16 bytes (tasktrace writes 32 random
 * ones), owned by root, mode 0600 or 0640, never world-readable.
 */
#ifndef TT_MINING_PSEUDO_H
#define TT_MINING_PSEUDO_H

#include <stddef.h>
#include <stdint.h>

#define PSEUDO_DEFAULT_SECRET "/etc/tasktrace/secret"
#define PSEUDO_SECRET_MIN 16
#define PSEUDO_SECRET_MAX 1024
/** "u-0123456789abcdef" */
#define PSEUDO_LEN 18

struct pseudo {
	uint8_t key[PSEUDO_SECRET_MAX];
	size_t key_len;
};

/**
 * The secret's path: @p opt when not NULL (--secret), else the
 * environment's TASKTRACE_SECRET, else @p configured (the [export]
 * secret of tasktrace.conf) when not NULL, else PSEUDO_DEFAULT_SECRET.
 */
const char *
pseudo_secret_path(const char *opt, const char *configured);

/**
 * Load the secret at @p path.
 *
 * @param[out] err  a message for the person, on failure
 * @retval 0        loaded
 * @retval -ENOENT  no such file
 * @retval -EPERM   readable or writable by others, not a regular file, a
 *                  symbolic link, owned by neither root nor the caller
 *                  (geteuid), or in a directory that belongs to someone
 *                  else or that group or others can write: anyone who
 *                  can put a key of their choosing under this name can
 *                  undo every pseudonym
 * @retval -EINVAL  shorter than PSEUDO_SECRET_MIN or longer than the max
 * @retval -errno   it could not be read
 */
int
pseudo_load(struct pseudo *p, const char *path, char *err, size_t errlen);

/**
 * Create a new secret of 32 random bytes at @p path, mode 0600. Refuses
 * to replace an existing file (-EEXIST). The file is fsync'd before
 * this returns.
 */
int
pseudo_secret_create(const char *path);

/** Forget the key. */
void
pseudo_clear(struct pseudo *p);

/**
 * Write the pseudonym of @p name in @p domain ("user", "host") to @p out
 * as @p prefix followed by 16 hex digits and a NUL. @p prefix is at most
 * 2 characters.
 */
void
pseudo_name(const struct pseudo *p, const char *domain, const char *prefix,
	    const char *name, size_t len, char out[PSEUDO_LEN + 1]);

#endif /* TT_MINING_PSEUDO_H */
