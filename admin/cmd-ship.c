/* SPDX-License-Identifier: MIT */
/* tasktrace ship: the command line and the [ship] configuration. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "admin/cli.h"
#include "mining/export/export.h"
#include "mining/pseudo.h"
#include "ship/ship.h"
#include "tasktrace/config.h"
#include "tasktrace/timefmt.h"

static void
config_error(void *ctx, const char *msg)
{
	(void)ctx;
	tool_error("%s", msg);
}

/* A file the connection needs: there, a regular file, readable by us;
 * the key also private (libpq checks that too, with a vaguer message). */
static int
check_file(const char *what, const char *path, bool private_key, bool missing_ok)
{
	struct stat sb;

	if (stat(path, &sb) < 0) {
		if (missing_ok && errno == ENOENT) {
			fprintf(stderr, "tasktrace: warning: [ship] %s %s is not on this machine\n",
				what, path);
			return 0;
		}
		tool_error("ship: %s %s: %s", what, path, strerror(errno));
		return errno == EACCES ? TT_EXIT_PERM : TT_EXIT_CONFIG;
	}
	if (!S_ISREG(sb.st_mode)) {
		tool_error("ship: %s %s is not a regular file", what, path);
		return TT_EXIT_CONFIG;
	}
	if (private_key && (sb.st_mode & 0077) && !(sb.st_uid == 0 && !(sb.st_mode & 0037))) {
		tool_error("ship: %s %s is readable by others (mode %03o): make it 0600, "
			  "or root-owned 0640", what, path, (unsigned)(sb.st_mode & 0777));
		return TT_EXIT_PERM;
	}
	return 0;
}

int
ship_check_files(const struct tt_config *cfg, bool missing_ok)
{
	int code;

	if (cfg->ship.plaintext)
		return 0;
	if ((code = check_file("CA certificate", cfg->ship.ca, false, missing_ok)) ||
	    (code = check_file("client certificate", cfg->ship.cert, false, missing_ok)) ||
	    (code = check_file("client key", cfg->ship.key, true, missing_ok)))
		return code;
	return 0;
}

/* Does the connection string set @p key? */
static bool
conninfo_has(const char *conninfo, const char *key, char *val, size_t len)
{
	PQconninfoOption *opts = PQconninfoParse(conninfo, NULL);
	bool found = false;

	if (!opts)
		return false;
	for (PQconninfoOption *o = opts; o->keyword; o++) {
		if (o->val && strcmp(o->keyword, key) == 0) {
			if (val)
				snprintf(val, len, "%s", o->val);
			found = true;
		}
	}
	PQconninfoFree(opts);
	return found;
}

/* Append " key='value'" with libpq's quoting. */
static void
append_param(char *buf, size_t len, const char *key, const char *value)
{
	size_t n = strlen(buf);

	n += (size_t)snprintf(buf + n, len - n, " %s='", key);
	for (const char *p = value; *p && n + 3 < len; p++) {
		if (*p == '\'' || *p == '\\')
			buf[n++] = '\\';
		buf[n++] = *p;
	}
	snprintf(buf + n, len - n, "'");
}

static void
usage(FILE *f)
{
	fprintf(f,
		"Usage: tasktrace ship [--now] [--batch N] [--budget DURATION] [--state-dir DIR]\n"
		"                      [--verbose]\n"
		"       tasktrace ship --status\n"
		"\n"
		"Send the records not yet shipped to the central PostgreSQL server of the\n"
		"[ship] section of tasktrace.conf, one transaction per batch, pseudonymised\n"
		"as configured. Run by tasktrace-ship.timer. See tasktrace-ship(1).\n"
		"\n"
		"  --status          lag, last success and last error; does not connect\n"
		"  --now             try now even while backing off after failures\n"
		"  --batch N         records per transaction (default [ship] batch)\n"
		"  --budget DURATION start no batch after this long (default [ship] budget)\n"
		"  --state-dir DIR   cursor and retry state (default [ship] state_dir)\n"
		"  -v, --verbose     a line per batch\n"
		"\n"
		"Exit status: 0 shipped (or waiting to retry), 1 the server refused the\n"
		"work, 6 a TLS key readable by others, 7 bad configuration, 9 another\n"
		"run holds the lock, 11 server unreachable; see tasktrace(1).\n");
}

int
cmd_ship(int argc, char **argv)
{
	enum { OPT_STATUS = 256, OPT_NOW, OPT_BATCH, OPT_BUDGET, OPT_STATE };
	static const struct option opts[] = {
		{ "status", no_argument, NULL, OPT_STATUS },
		{ "now", no_argument, NULL, OPT_NOW },
		{ "batch", required_argument, NULL, OPT_BATCH },
		{ "budget", required_argument, NULL, OPT_BUDGET },
		{ "state-dir", required_argument, NULL, OPT_STATE },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct ship_options o = { .store_dir = tool.store_path };
	struct ship_result res;
	struct tt_config cfg;
	const char *batch = NULL, *budget = NULL, *state_dir = NULL;
	char conninfo[4096], val[64], state_buf[4096], secret[4096];
	bool status = false;
	uint64_t v;
	int ch, rc, code;

	while ((ch = getopt_long(argc, argv, "vh", opts, NULL)) != -1) {
		switch (ch) {
		case OPT_STATUS: status = true; break;
		case OPT_NOW: o.now = true; break;
		case OPT_BATCH: batch = optarg; break;
		case OPT_BUDGET: budget = optarg; break;
		case OPT_STATE: state_dir = optarg; break;
		case 'v': o.verbose = true; break;
		case 'h': usage(stdout); return TT_EXIT_OK;
		default: usage(stderr); return TT_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		tool_error("ship: unexpected argument '%s'", argv[optind]);
		return TT_EXIT_USAGE;
	}

	rc = tt_config_load(&cfg, tool.config_path, true, config_error, NULL);
	if (rc != 0) {
		tt_config_free(&cfg);
		tool_error(rc > 0 ? "the configuration has errors (see above)"
				 : "cannot read the configuration");
		return TT_EXIT_CONFIG;
	}
	o.batch = cfg.ship.batch;
	o.budget_ns = cfg.ship.budget_ns;
	o.lock_timeout_ns = cfg.ship.lock_timeout_ns;
	o.statement_timeout_ns = cfg.ship.statement_timeout_ns;
	o.users = cfg.ship.users;
	o.titles = cfg.ship.titles;
	snprintf(state_buf, sizeof(state_buf), "%s", state_dir ? state_dir : cfg.ship.state_dir);
	o.state_dir = state_buf;
	snprintf(secret, sizeof(secret), "%s", pseudo_secret_path(NULL, cfg.export.secret));
	o.secret = secret;
	code = TT_EXIT_USAGE;
	if (batch && (tt_parse_uint(batch, 1000000, &v) < 0 || v < 1)) {
		tool_error("ship: --batch wants a number from 1 to 1000000, not '%s'", batch);
		goto out;
	}
	if (batch)
		o.batch = (unsigned)v;
	if (budget && tt_parse_duration(budget, &v) < 0) {
		tool_error("ship: invalid duration '%s' for --budget (use e.g. 30s, 5m)", budget);
		goto out;
	}
	if (budget)
		o.budget_ns = v;

	if (status) {
		code = ship_status(&o);
		goto out;
	}

	code = TT_EXIT_CONFIG;
	if (!cfg.ship.server && !cfg.ship.service) {
		tool_error("ship: no server configured: set [ship] server (a libpq connection "
			  "string) or service in %s",
			  tool.config_path ? tool.config_path : tt_config_default_path());
		goto out;
	}
	conninfo[0] = '\0';
	if (cfg.ship.server)
		snprintf(conninfo, sizeof(conninfo), "%s", cfg.ship.server);
	else
		append_param(conninfo, sizeof(conninfo), "service", cfg.ship.service);
	PQconninfoOption *parsed = PQconninfoParse(conninfo, NULL);

	if (!parsed) {
		tool_error("ship: [ship] server is not a valid libpq connection string");
		goto out;
	}
	PQconninfoFree(parsed);
	if (!conninfo_has(conninfo, "application_name", NULL, 0))
		append_param(conninfo, sizeof(conninfo), "application_name", "tasktrace-ship");
	if (!conninfo_has(conninfo, "connect_timeout", NULL, 0))
		append_param(conninfo, sizeof(conninfo), "connect_timeout", "15");
	if (!conninfo_has(conninfo, "tcp_user_timeout", NULL, 0))
		append_param(conninfo, sizeof(conninfo), "tcp_user_timeout", "60000");
	if (!cfg.ship.plaintext) {
		/* TLS with the server's name checked against its certificate and
		 * this host's own certificate: these win over the string's and
		 * the service file's settings. */
		if (conninfo_has(conninfo, "sslmode", val, sizeof(val)) &&
		    strcmp(val, "verify-full") != 0) {
			tool_error("ship: the connection string asks for sslmode=%s; tasktrace "
				  "ships only with verify-full (or set [ship] plaintext = yes)", val);
			goto out;
		}
		if ((code = ship_check_files(&cfg, false)))
			goto out;
		append_param(conninfo, sizeof(conninfo), "sslmode", "verify-full");
		append_param(conninfo, sizeof(conninfo), "sslrootcert", cfg.ship.ca);
		append_param(conninfo, sizeof(conninfo), "sslcert", cfg.ship.cert);
		append_param(conninfo, sizeof(conninfo), "sslkey", cfg.ship.key);
		o.require_tls = true;
	}
	o.conninfo = conninfo;
	code = ship_run(&o, &res);
	if (code == TT_EXIT_OK && (o.verbose || res.rows || res.rejected))
		printf("ship: %" PRIu64 " records in %" PRIu64 " batches%s%s\n", res.rows,
		       res.batches, res.rejected ? ", some refused (see tasktrace.rejected)" : "",
		       res.gaps ? ", with a gap for records that expired unshipped" : "");
out:
	tt_config_free(&cfg);
	return code;
}
