/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "tasktrace/error.h"
#include "tasktrace/timefmt.h"

struct cli cli = { .prog = "tasktrace" };

void
cli_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", cli.prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int
cli_exit_code(int err)
{
	switch (err) {
	case 0: return TT_EXIT_OK;
	case TT_ENOSTORE: return TT_EXIT_NOSTORE;
	case TT_ENOTSTORE:
	case TT_EFOREIGN:
	case ENOTDIR: case -ENOTDIR:
		return TT_EXIT_NOTSTORE;
	case TT_ETRUNCATED:
	case TT_ECORRUPT:
		return TT_EXIT_DAMAGED;
	case TT_ESCHEMA_NEWER:
	case TT_ESCHEMA_OLDER:
		return TT_EXIT_SCHEMA;
	case EACCES: case -EACCES:
	case EPERM: case -EPERM:
		return TT_EXIT_PERM;
	case TT_EBUSY: return TT_EXIT_BUSY;
	case ENOSPC: case -ENOSPC:
	case EIO: case -EIO:
	case EROFS: case -EROFS:
	case TT_EFULL:
		return TT_EXIT_IO;
	default: return TT_EXIT_FAIL;
	}
}

static void
busy_hint(const char *path)
{
	char lock[4200], pid[32] = "";
	FILE *f;

	snprintf(lock, sizeof(lock), "%s/writer.lock", path);
	f = fopen(lock, "r");
	if (f) {
		if (fgets(pid, sizeof(pid), f))
			pid[strcspn(pid, "\n")] = '\0';
		fclose(f);
	}
	cli_error("%s: the store is open for writing by another process%s%s%s "
		  "(tasktraced?); stop it first, e.g. 'systemctl stop tasktraced'",
		  path, *pid ? " (pid " : "", pid, *pid ? ")" : "");
}

struct tt_store *
cli_open_store(unsigned flags, int *exit_code)
{
	struct tt_store *s = NULL;
	const char *path = cli.store_path;
	int rc = tt_store_open(&s, path, flags, NULL);

	*exit_code = cli_exit_code(rc);
	switch (rc) {
	case 0:
		return s;
	case TT_ENOSTORE:
		cli_error("%s: no store there (use --store DIR or TASKTRACE_STORE; "
			  "tasktraced creates it when it starts)", path);
		break;
	case TT_ESCHEMA_NEWER:
		cli_error("%s: %s; upgrade tasktrace to read it (this version reads schema %d)",
			  path, tt_strerror(rc), TT_SCHEMA_VERSION);
		break;
	case TT_EBUSY:
		busy_hint(path);
		break;
	case EACCES:
		cli_error("%s: permission denied (the store is readable by root and "
			  "the 'tasktrace' group)", path);
		break;
	default:
		cli_error("%s: %s", path, tt_strerror(rc));
		break;
	}
	return NULL;
}

int
cli_store_error(const char *what, int err)
{
	cli_error("%s: %s: %s", cli.store_path, what, tt_strerror(err));
	return cli_exit_code(err);
}

bool
cli_parse_time(const char *opt, const char *text, uint64_t *out)
{
	if (tt_time_parse(text, tt_now_ns(), out) == 0)
		return true;
	cli_error("%s: cannot read '%s' as a time (use e.g. 2026-01-05, "
		  "2026-01-05T08:30, 2026-01-05T08:30:00Z, -2h, today, yesterday)",
		  opt, text);
	return false;
}

struct find_user {
	const char *name;
	uint32_t uid;
	bool found;
};

static int
match_session(void *ctx, const struct tt_session_info *s)
{
	struct find_user *f = ctx;

	if (strcmp(s->user, f->name) == 0) {
		f->uid = s->uid;
		f->found = true;
		return 1;
	}
	return 0;
}

bool
cli_resolve_user(struct tt_reader *rd, const char *text, uint32_t *uid)
{
	struct find_user f = { text, 0, false };
	struct passwd *pw;
	char *end;
	unsigned long v;

	if (rd)
		tt_reader_sessions(rd, match_session, &f);
	if (f.found) {
		*uid = f.uid;
		return true;
	}
	pw = getpwnam(text);
	if (pw) {
		*uid = pw->pw_uid;
		return true;
	}
	errno = 0;
	v = strtoul(text, &end, 10);
	if (!errno && *text && !*end && v < TT_UID_NONE) {
		*uid = (uint32_t)v;
		return true;
	}
	cli_error("--user: no user '%s' in the store's sessions or on this system", text);
	return false;
}

const char *
cli_user_name(struct tt_reader *rd, uint32_t uid, uint32_t session)
{
	static struct tt_session_info cached;
	static char num[16];
	struct passwd *pw;

	if (uid == TT_UID_NONE)
		return "";
	if (rd && session && (cached.id == session ||
			tt_reader_session(rd, session, &cached) == 0) &&
	    cached.uid == uid && cached.user[0])
		return cached.user;
	pw = getpwuid(uid);
	if (pw)
		return pw->pw_name;
	snprintf(num, sizeof(num), "%u", uid);
	return num;
}

bool
cli_parse_kinds(const char *text, uint32_t *mask)
{
	char *copy = strdup(text), *save = NULL;
	bool ok = true;

	*mask = 0;
	for (char *k = strtok_r(copy, ",", &save); k; k = strtok_r(NULL, ",", &save)) {
		unsigned kind = tt_kind_from_name(k);
		if (!kind) {
			char list[256] = "";
			for (unsigned i = TT_KIND_MIN; i <= TT_KIND_MAX; i++) {
				strcat(list, tt_kind_name(i));
				if (i < TT_KIND_MAX)
					strcat(list, ", ");
			}
			cli_error("--kind: unknown kind '%s' (kinds: %s)", k, list);
			ok = false;
			break;
		}
		*mask |= 1u << kind;
	}
	if (ok && !*mask) {
		cli_error("--kind: no kind given");
		ok = false;
	}
	free(copy);
	return ok;
}

bool
cli_filter_option(struct cli_filter *f, int c, const char *arg)
{
	switch (c) {
	case 'S': f->since = arg; return true;
	case 'U': f->until = arg; return true;
	case 'u': f->user = arg; return true;
	case 'a': f->app = arg; return true;
	case 'k': f->kinds = arg; return true;
	default: return false;
	}
}

int
cli_check_filter(const struct cli_filter *f)
{
	uint64_t since = 0, until = 0;
	uint32_t mask;

	if (f->since && !cli_parse_time("--since", f->since, &since))
		return TT_EXIT_USAGE;
	if (f->until && !cli_parse_time("--until", f->until, &until))
		return TT_EXIT_USAGE;
	if (f->since && f->until && since >= until) {
		cli_error("--since %s is not before --until %s: the range is empty",
			  f->since, f->until);
		return TT_EXIT_USAGE;
	}
	if (f->kinds && !cli_parse_kinds(f->kinds, &mask))
		return TT_EXIT_USAGE;
	if (f->user && !*f->user) {
		cli_error("--user: empty user name");
		return TT_EXIT_USAGE;
	}
	return TT_EXIT_OK;
}

int
cli_build_query(struct tt_reader *rd, const struct cli_filter *f,
		struct tt_query *q, bool *nothing)
{
	int rc;

	*nothing = false;
	tt_query_init(q);
	if ((rc = cli_check_filter(f)))
		return rc;
	if (f->since)
		cli_parse_time("--since", f->since, &q->since_ns);
	if (f->until)
		cli_parse_time("--until", f->until, &q->until_ns);
	if (f->kinds)
		cli_parse_kinds(f->kinds, &q->kinds);
	if (f->user && !cli_resolve_user(rd, f->user, &q->uid))
		return TT_EXIT_USAGE;
	if (f->app) {
		int err = tt_reader_string_id(rd, f->app, strlen(f->app), &q->app);
		if (err == ENOENT)
			*nothing = true;	/* never seen: nothing matches */
		else if (err)
			return cli_store_error("looking up the application", err);
	}
	return TT_EXIT_OK;
}
