/* SPDX-License-Identifier: MIT */
/* The tracer's settings; see options.h. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"

static void
usage(FILE *f)
{
	fprintf(f,
		"Usage: tasktraced [OPTION]...\n"
		"Record how the computer is used (typing bursts, shortcuts, clicks,\n"
		"scrolling, focus, idle) into the tasktrace store. Never what is typed.\n"
		"\n"
		"  -s, --store DIR        the store (env TASKTRACE_STORE; default from\n"
		"                         the config, /var/lib/tasktrace)\n"
		"  -c, --config FILE      config file (env TASKTRACE_CONFIG; default\n"
		"                         %s)\n"
		"      --seat SEAT        the seat to trace (default: the config's first)\n"
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
		TT_CONFIG_PATH);
}

static void
copy(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src ? src : "");
}

static void
config_error(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "%s\n", msg);
}

/* The effective settings from the loaded file. */
static void
from_config(struct tracer_options *o)
{
	const struct tt_config *c = &o->cfg;

	copy(o->store_dir, sizeof(o->store_dir), c->store.path);
	copy(o->seat, sizeof(o->seat), c->input.seats[0] ? c->input.seats[0] : "seat0");
	o->tapping = c->input.tapping;
	o->commit_usec = c->store.commit_interval_ns / 1000;
	if (o->commit_usec == 0)
		o->commit_usec = 1;
	o->map_size = c->store.map_size;
	copy(o->keymap.layout, sizeof(o->keymap.layout), c->input.keyboard_layout);
	copy(o->keymap.variant, sizeof(o->keymap.variant), c->input.keyboard_variant);
	copy(o->keymap.model, sizeof(o->keymap.model), c->input.keyboard_model);
	copy(o->keymap.options, sizeof(o->keymap.options), c->input.keyboard_options);
	interp_config_defaults(&o->interp);
	o->interp.typing_pause_usec = c->input.typing_pause_ns / 1000;
	o->interp.idle_usec = c->input.idle_threshold_ns / 1000;
	o->interp.double_click_usec = c->input.double_click_ns / 1000;
	o->interp.min_burst_keys = c->privacy.min_burst_keys;
}

enum { OPT_SEAT = 256, OPT_STATIC, OPT_NOTAP, OPT_STATUS, OPT_VERSION };

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

int
options_load(struct tracer_options *o, int argc, char **argv)
{
	const char *env = getenv("TASKTRACE_STORE");
	const char *static_user = NULL, *seat = NULL, *store = NULL;
	const char *static_seat;
	bool no_tapping = false;
	int c, rc;

	memset(o, 0, sizeof(*o));
	optind = 1;
	opterr = 1;
	while ((c = getopt_long(argc, argv, "s:c:fvh", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			store = optarg;
			break;
		case 'c':
			o->config_file = optarg;
			break;
		case OPT_SEAT:
			seat = optarg;
			break;
		case OPT_STATIC:
			static_user = optarg;
			break;
		case OPT_NOTAP:
			no_tapping = true;
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
		case 'h':
			usage(stdout);
			return 1;
		case OPT_VERSION:
			printf("tasktraced %s\n", TT_VERSION);
			return 1;
		default:
			usage(stderr);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "tasktraced: unexpected argument \"%s\"\n", argv[optind]);
		return -EINVAL;
	}

	/* a file named on the command line must exist; the default need not */
	rc = tt_config_load(&o->cfg, o->config_file, false, config_error, NULL);
	if (rc != 0) {
		if (rc < 0 && rc != -ENOMEM)
			return -EINVAL;
		if (rc > 0) {
			fprintf(stderr, "tasktraced: %d error%s in the configuration\n",
				rc, rc == 1 ? "" : "s");
			return -EINVAL;
		}
		return rc;
	}
	from_config(o);
	if (no_tapping)
		o->tapping = false;
	if (env && *env)
		copy(o->store_dir, sizeof(o->store_dir), env);
	if (store)
		copy(o->store_dir, sizeof(o->store_dir), store);
	if (seat)
		copy(o->seat, sizeof(o->seat), seat);

	/* the static user owns one seat (the config's static_seat) */
	static_seat = o->cfg.session.static_seat;
	if (static_user)
		copy(o->static_user, sizeof(o->static_user), static_user);
	else if (o->cfg.session.static_user &&
		 (!static_seat || strcmp(static_seat, o->seat) == 0))
		copy(o->static_user, sizeof(o->static_user), o->cfg.session.static_user);
	return 0;
}

void
options_free(struct tracer_options *o)
{
	tt_config_free(&o->cfg);
}
