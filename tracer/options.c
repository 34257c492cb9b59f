/* SPDX-License-Identifier: MIT */
/* The tracer's settings; see options.h. */
#include <errno.h>
#include <getopt.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "options.h"

static void
usage(FILE *f)
{
	fprintf(f,
		"Usage: tasktraced [OPTION]...\n"
		"Record how the computer is used (typing bursts, shortcuts, clicks,\n"
		"scrolling, focus, idle) into the tasktrace store. Never what is typed.\n"
		"\n"
		"  -s, --store DIR        the store (env TASKTRACE_STORE; default %s)\n"
		"  -c, --config FILE      config file (default %s)\n"
		"      --seat SEAT        the seat to trace (default seat0)\n"
		"      --static-user USER attribute input to USER (name or uid) when\n"
		"                         logind is absent\n"
		"      --no-tapping       leave touchpad tapping as the device has it\n"
		"  -f, --foreground       run in the foreground (tasktraced never forks;\n"
		"                         accepted for init scripts)\n"
		"      --status           keep a live one-line status on the terminal\n"
		"  -v, --verbose          debug messages\n"
		"  -h, --help             this text\n"
		"      --version          the version\n"
		"\n"
		"Signals: SIGHUP reloads the config, SIGTERM/SIGINT stop cleanly.\n"
		"Exit status: 0 stopped cleanly, 1 failure, 2 usage or config error.\n",
		TRACER_DEFAULT_STORE, TRACER_DEFAULT_CONFIG);
}

static void
copy(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src);
}

bool
options_parse_duration(const char *s, uint64_t *usec)
{
	static const struct {
		const char *unit;
		double mul;
	} units[] = {
		{ "", 1e6 }, { "s", 1e6 }, { "ms", 1e3 }, { "us", 1 },
		{ "min", 60e6 }, { "m", 60e6 }, { "h", 3600e6 },
	};
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno || v < 0)
		return false;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].unit) == 0) {
			double r = v * units[i].mul;

			if (r > 1e18)
				return false;
			*usec = (uint64_t)(r + 0.5);
			return true;
		}
	}
	return false;
}

static bool
parse_bool(const char *s, bool *out)
{
	if (!strcasecmp(s, "yes") || !strcasecmp(s, "true") || !strcmp(s, "1") ||
	    !strcasecmp(s, "on")) {
		*out = true;
		return true;
	}
	if (!strcasecmp(s, "no") || !strcasecmp(s, "false") || !strcmp(s, "0") ||
	    !strcasecmp(s, "off")) {
		*out = false;
		return true;
	}
	return false;
}

static bool
parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (end == s || errno)
		return false;
	switch (*end) {
	case '\0': break;
	case 'K': v <<= 10; end++; break;
	case 'M': v <<= 20; end++; break;
	case 'G': v <<= 30; end++; break;
	default: return false;
	}
	if (*end == 'i')
		end++;
	if (*end == 'B')
		end++;
	*out = v;
	return *end == '\0';
}

/* Debian's libinih is built without line numbers for the handler, so
 * messages name the section and key instead of a line. */
struct config_ctx {
	struct tracer_options *opts;
	const char *path;
	int errors;
};

#define IS(sec, key) (strcmp(section, sec) == 0 && strcmp(name, key) == 0)

static int
config_entry(void *user, const char *section, const char *name,
	     const char *value)
{
	struct config_ctx *ctx = user;
	struct tracer_options *o = ctx->opts;
	bool ok = true;

	if (IS("tracer", "store"))
		copy(o->store_dir, sizeof(o->store_dir), value);
	else if (IS("tracer", "seat"))
		copy(o->seat, sizeof(o->seat), value);
	else if (IS("tracer", "tapping"))
		ok = parse_bool(value, &o->tapping);
	else if (IS("tracer", "commit-interval"))
		ok = options_parse_duration(value, &o->commit_usec) &&
		     o->commit_usec > 0 && o->commit_usec <= 1000000;
	else if (IS("tracer", "map-size"))
		ok = parse_size(value, &o->map_size);
	else if (IS("policy", "deny"))
		copy(o->deny, sizeof(o->deny), value);
	else if (IS("session", "static-user"))
		copy(o->static_user, sizeof(o->static_user), value);
	else if (IS("typing", "pause"))
		ok = options_parse_duration(value, &o->interp.typing_pause_usec);
	else if (IS("typing", "max-length"))
		ok = options_parse_duration(value, &o->interp.typing_max_usec);
	else if (IS("pointer", "double-click"))
		ok = options_parse_duration(value, &o->interp.double_click_usec);
	else if (IS("pointer", "scroll-pause"))
		ok = options_parse_duration(value, &o->interp.scroll_pause_usec);
	else if (IS("pointer", "motion-pause"))
		ok = options_parse_duration(value, &o->interp.motion_pause_usec);
	else if (IS("idle", "threshold"))
		ok = options_parse_duration(value, &o->interp.idle_usec);
	else if (IS("keyboard", "file"))
		copy(o->keyboard_file, sizeof(o->keyboard_file), value);
	else if (IS("keyboard", "layout"))
		copy(o->keymap.layout, sizeof(o->keymap.layout), value);
	else if (IS("keyboard", "variant"))
		copy(o->keymap.variant, sizeof(o->keymap.variant), value);
	else if (IS("keyboard", "model"))
		copy(o->keymap.model, sizeof(o->keymap.model), value);
	else if (IS("keyboard", "options"))
		copy(o->keymap.options, sizeof(o->keymap.options), value);
	else if (strcmp(section, "tracer") == 0 || strcmp(section, "session") == 0 ||
		 strcmp(section, "typing") == 0 || strcmp(section, "pointer") == 0 ||
		 strcmp(section, "idle") == 0 || strcmp(section, "keyboard") == 0) {
		fprintf(stderr, "%s: [%s] unknown key \"%s\"\n", ctx->path,
			section, name);
		ctx->errors++;
		return 1;
	} else {
		/* sections (and [policy] keys) of the other programs
		 * sharing the file */
		return 1;
	}
	if (!ok) {
		fprintf(stderr, "%s: [%s] %s: invalid value \"%s\"\n", ctx->path,
			section, name, value);
		ctx->errors++;
	}
	return 1;
}

static int
load_config(struct tracer_options *o)
{
	struct config_ctx ctx = { .opts = o, .path = o->config_file };
	FILE *f = fopen(o->config_file, "re");
	int rc;

	if (!f) {
		if (errno == ENOENT && !o->config_given)
			return 0;	/* no config: the defaults */
		fprintf(stderr, "tasktraced: %s: %s\n", o->config_file, strerror(errno));
		return -EINVAL;
	}
	rc = ini_parse_file(f, config_entry, &ctx);
	fclose(f);
	if (rc > 0) {
		fprintf(stderr, "%s:%d: syntax error\n", o->config_file, rc);
		return -EINVAL;
	}
	return ctx.errors ? -EINVAL : 0;
}

static void
defaults(struct tracer_options *o)
{
	memset(o, 0, sizeof(*o));
	copy(o->config_file, sizeof(o->config_file), TRACER_DEFAULT_CONFIG);
	copy(o->store_dir, sizeof(o->store_dir), TRACER_DEFAULT_STORE);
	copy(o->seat, sizeof(o->seat), "seat0");
	copy(o->keyboard_file, sizeof(o->keyboard_file), KEYMAP_DEFAULT_FILE);
	o->tapping = true;
	o->commit_usec = 1000000;
	interp_config_defaults(&o->interp);
}

enum { OPT_SEAT = 256, OPT_STATIC, OPT_NOTAP, OPT_STATUS, OPT_VERSION };

int
options_load(struct tracer_options *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "store", required_argument, NULL, 's' },
		{ "config", required_argument, NULL, 'c' },
		{ "seat", required_argument, NULL, OPT_SEAT },
		{ "static-user", required_argument, NULL, OPT_STATIC },
		{ "no-tapping", no_argument, NULL, OPT_NOTAP },
		{ "foreground", no_argument, NULL, 'f' },
		{ "status", no_argument, NULL, OPT_STATUS },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	const char *env = getenv("TASKTRACE_STORE");
	int c, rc;

	defaults(o);
	/* first pass: only --config, --help, --version and usage errors */
	optind = 1;
	opterr = 1;
	while ((c = getopt_long(argc, argv, "s:c:fvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			copy(o->config_file, sizeof(o->config_file), optarg);
			o->config_given = true;
			break;
		case 'h':
			usage(stdout);
			return 1;
		case OPT_VERSION:
			printf("tasktraced %s\n", TT_VERSION);
			return 1;
		case '?':
			usage(stderr);
			return -EINVAL;
		default:
			break;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "tasktraced: unexpected argument \"%s\"\n", argv[optind]);
		return -EINVAL;
	}
	if ((rc = load_config(o)) < 0)
		return rc;
	if (env && *env)
		copy(o->store_dir, sizeof(o->store_dir), env);

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "s:c:fvh", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			copy(o->store_dir, sizeof(o->store_dir), optarg);
			break;
		case OPT_SEAT:
			copy(o->seat, sizeof(o->seat), optarg);
			break;
		case OPT_STATIC:
			copy(o->static_user, sizeof(o->static_user), optarg);
			break;
		case OPT_NOTAP:
			o->tapping = false;
			break;
		case 'f':
			o->foreground = true;
			break;
		case OPT_STATUS:
			o->status = true;
			break;
		case 'v':
			o->verbose = true;
			break;
		default:
			break;
		}
	}
	return 0;
}
