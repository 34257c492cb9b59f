/* SPDX-License-Identifier: MIT */
/*
 * What the admin command's stages share with it (tool.h): the program's
 * name and paths, error messages and exit codes, opening the store with a
 * message a person can act on, and naming users.
 */
#include <errno.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "mining/tool.h"
#include "tasktrace/error.h"

struct tool tool = { .prog = "tasktrace" };

void
tool_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", tool.prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int
tool_exit_code(int err)
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
	tool_error("%s: the store is open for writing by another process%s%s%s "
		  "(tasktraced?); stop it first, e.g. 'systemctl stop tasktraced'",
		  path, *pid ? " (pid " : "", pid, *pid ? ")" : "");
}

struct tt_store *
tool_open_store(unsigned flags, int *exit_code)
{
	struct tt_store *s = NULL;
	const char *path = tool.store_path;
	int rc = tt_store_open(&s, path, flags, NULL);

	*exit_code = tool_exit_code(rc);
	switch (rc) {
	case 0:
		return s;
	case TT_ENOSTORE:
		tool_error("%s: no store there (use --store DIR or TASKTRACE_STORE; "
			  "tasktraced creates it when it starts)", path);
		break;
	case TT_ESCHEMA_NEWER:
		tool_error("%s: %s; upgrade tasktrace to read it (this version reads schema %d)",
			  path, tt_strerror(rc), TT_SCHEMA_VERSION);
		break;
	case TT_EBUSY:
		busy_hint(path);
		break;
	case EACCES:
		tool_error("%s: permission denied (the store is readable by root and "
			  "the 'tasktrace' group)", path);
		break;
	default:
		tool_error("%s: %s", path, tt_strerror(rc));
		break;
	}
	return NULL;
}

int
tool_store_error(const char *what, int err)
{
	tool_error("%s: %s: %s", tool.store_path, what, tt_strerror(err));
	return tool_exit_code(err);
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
tool_resolve_user(struct tt_reader *rd, const char *text, uint32_t *uid)
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
	tool_error("--user: no user '%s' in the store's sessions or on this system", text);
	return false;
}

const char *
tool_user_name(struct tt_reader *rd, uint32_t uid, uint32_t session)
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

/*
 * Exit codes for the errors of an output file and of an export's own
 * checks; the store's errors go through tool_exit_code().
 */
int
tool_output_exit_code(int err)
{
	if (err > 0 && err < 4096)
		err = -err;
	switch (err) {
	case 0:
		return TT_EXIT_OK;
	case -EACCES:
	case -EPERM:
	case -EROFS:
		return TT_EXIT_PERM;
	case -EIO:
	case -ENOSPC:
	case -EDQUOT:
	case -EFBIG:
	case -EPIPE:
	case -ENOENT:
	case -ENOTDIR:
	case -EISDIR:
	case -ELOOP:
	case -ENAMETOOLONG:
		return TT_EXIT_IO;
	default:
		return TT_EXIT_FAIL;
	}
}
