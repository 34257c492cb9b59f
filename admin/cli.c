/* SPDX-License-Identifier: MIT */
/* The command line's shared parts (cli.h): times, kinds, the selection
 * options of query, stats and export. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "admin/cli.h"
#include "tasktrace/error.h"
#include "tasktrace/timefmt.h"

bool
cli_parse_time(const char *opt, const char *text, uint64_t *out)
{
	if (tt_time_parse(text, tt_now_ns(), out) == 0)
		return true;
	tool_error("%s: cannot read '%s' as a time (use e.g. 2026-01-05, "
		  "2026-01-05T08:30, 2026-01-05T08:30:00Z, -2h, today, yesterday)",
		  opt, text);
	return false;
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
			tool_error("--kind: unknown kind '%s' (kinds: %s)", k, list);
			ok = false;
			break;
		}
		*mask |= 1u << kind;
	}
	if (ok && !*mask) {
		tool_error("--kind: no kind given");
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
		tool_error("--since %s is not before --until %s: the range is empty",
			  f->since, f->until);
		return TT_EXIT_USAGE;
	}
	if (f->kinds && !cli_parse_kinds(f->kinds, &mask))
		return TT_EXIT_USAGE;
	if (f->user && !*f->user) {
		tool_error("--user: empty user name");
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
	if (f->user && !tool_resolve_user(rd, f->user, &q->uid))
		return TT_EXIT_USAGE;
	if (f->app) {
		int err = tt_reader_string_id(rd, f->app, strlen(f->app), &q->app);
		if (err == ENOENT)
			*nothing = true;	/* never seen: nothing matches */
		else if (err)
			return tool_store_error("looking up the application", err);
	}
	return TT_EXIT_OK;
}
