/* SPDX-License-Identifier: MIT */
/* tasktrace ship: the cursor file. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ship/ship.h"

static const struct {
	const char *name;
	size_t off;
} fields[] = {
	{ "late_gen", offsetof(struct ship_state, late_gen) },
	{ "next_ns", offsetof(struct ship_state, next_ns) },
	{ "next_seq", offsetof(struct ship_state, next_seq) },
	{ "shipped", offsetof(struct ship_state, shipped) },
	{ "last_record_ns", offsetof(struct ship_state, last_record_ns) },
	{ "failures", offsetof(struct ship_state, failures) },
	{ "next_try_ns", offsetof(struct ship_state, next_try_ns) },
	{ "last_success_ns", offsetof(struct ship_state, last_success_ns) },
	{ "last_error_ns", offsetof(struct ship_state, last_error_ns) },
	{ "server_behind_ns", offsetof(struct ship_state, server_behind_ns) },
	{ "resent_from_ns", offsetof(struct ship_state, resent_from_ns) },
};

#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

static void
state_path(char *buf, size_t len, const char *dir, const char *store_id, const char *ext)
{
	snprintf(buf, len, "%s/%s.%s", dir, store_id, ext);
}

int
ship_state_load(const char *dir, const char *store_id, struct ship_state *st)
{
	char path[4096], line[SHIP_ERROR_MAX + 64];
	FILE *f;
	int rc = 0;

	memset(st, 0, sizeof(*st));
	snprintf(st->store_id, sizeof(st->store_id), "%s", store_id);
	state_path(path, sizeof(path), dir, store_id, "state");
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? 0 : -errno;
	if (!fgets(line, sizeof(line), f) || strcmp(line, "tasktrace-ship 1\n") != 0) {
		rc = -EINVAL;
		goto out;
	}
	while (fgets(line, sizeof(line), f)) {
		char *sp = strchr(line, ' '), *nl = strchr(line, '\n');

		if (!sp || !nl) {
			rc = -EINVAL;
			break;
		}
		*sp = *nl = '\0';
		if (strcmp(line, "store") == 0) {
			if (strcmp(sp + 1, store_id) != 0) {
				rc = -EINVAL;
				break;
			}
			continue;
		}
		if (strcmp(line, "last_error") == 0) {
			snprintf(st->last_error, sizeof(st->last_error), "%s", sp + 1);
			continue;
		}
		for (size_t i = 0; i < NFIELDS; i++) {
			if (strcmp(line, fields[i].name) == 0) {
				char *end;

				errno = 0;
				*(uint64_t *)((char *)st + fields[i].off) = strtoull(sp + 1, &end, 10);
				if (errno || *end)
					rc = -EINVAL;
			}
		}
	}
out:
	fclose(f);
	return rc;
}

int
ship_state_save(const char *dir, const struct ship_state *st)
{
	char path[4096], tmp[4096], buf[2048];
	int n, fd, dfd, rc = 0;

	n = snprintf(buf, sizeof(buf), "tasktrace-ship 1\nstore %s\n", st->store_id);
	for (size_t i = 0; i < NFIELDS; i++)
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, "%s %" PRIu64 "\n", fields[i].name,
			      *(const uint64_t *)((const char *)st + fields[i].off));
	n += snprintf(buf + n, sizeof(buf) - (size_t)n, "last_error %s\n", st->last_error);

	state_path(path, sizeof(path), dir, st->store_id, "state");
	state_path(tmp, sizeof(tmp), dir, st->store_id, "state.tmp");
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0640);
	if (fd < 0)
		return -errno;
	if (write(fd, buf, (size_t)n) != n || fsync(fd) < 0)
		rc = errno ? -errno : -EIO;
	if (close(fd) < 0 && !rc)
		rc = -errno;
	if (!rc && rename(tmp, path) < 0)
		rc = -errno;
	if (rc) {
		unlink(tmp);
		return rc;
	}
	/* The rename itself must survive a crash. */
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		if (fsync(dfd) < 0)
			rc = -errno;
		close(dfd);
	}
	return rc;
}
