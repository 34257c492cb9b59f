/*
 * tasktrace-collector — the notice: at a user's first session after
 * install, and again whenever what it says changes, a desktop notification
 * (org.freedesktop.Notifications over the session bus, sd-bus) tells the
 * person what is recorded and how to see it (`tasktrace me`).
 *
 * The text is [privacy] notice, or a default built from the policy
 * (titles kept or not, pausing allowed or not). What was shown is
 * remembered as a hash of the text in $XDG_STATE_HOME/tasktrace/notice
 * (~/.local/state/tasktrace/notice): a changed policy or text changes the
 * hash, and the notice is shown again. The hash is written only once the
 * notification server has taken the notice, so a session without one
 * (no bus, no server) shows it at the next session that has one.
 *
 * Copyright © 2026 the tasktrace authors
 * SPDX-License-Identifier: MIT
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <systemd/sd-bus.h>
#include <unistd.h>

#include "collector.h"
#include "tasktrace/config.h"

#define SUMMARY "Your use of this computer is recorded"
/* a notification server that does not answer must not hold up the session */
#define NOTIFY_TIMEOUT_USEC (5ULL * 1000000)

/* The body: the configured text ("\n" is a line break), or the default. */
static void
notice_body(const struct tt_config *cfg, char *buf, size_t len)
{
	const char *s = cfg->privacy.notice;
	size_t o = 0;

	if (s) {
		for (; *s && o + 1 < len; s++) {
			if (s[0] == '\\' && s[1] == 'n') {
				buf[o++] = '\n';
				s++;
			} else {
				buf[o++] = *s;
			}
		}
		buf[o] = '\0';
		return;
	}
	o = (size_t)snprintf(buf, len,
			     "tasktrace records which applications you use and when, and counts "
			     "of your typing, clicks and scrolling \u2014 never which keys you "
			     "type. %s\nTo see everything stored about you, run "
			     "'tasktrace me' in a terminal.",
			     cfg->privacy.capture_titles ?
			     "Window titles are recorded (some applications are excluded)." :
			     "Window titles are not recorded.");
	if (o < len && cfg->privacy.user_pause_max_ns) {
		uint64_t m = cfg->privacy.user_pause_max_ns / (60ULL * 1000000000ULL);

		snprintf(buf + o, len - o, "\nYou may pause recording for up to %" PRIu64
			 " minutes: 'tasktrace me pause 30m'.", m ? m : 1);
	}
}

/* FNV-1a, 64 bits: enough to notice that a text changed */
static uint64_t
fnv1a(const char *s, uint64_t h)
{
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static int
state_path(char *buf, size_t len, bool dir_only)
{
	const char *state = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	int n;

	if (state && state[0] == '/')
		n = snprintf(buf, len, "%s/tasktrace%s", state, dir_only ? "" : "/notice");
	else if (home && home[0] == '/')
		n = snprintf(buf, len, "%s/.local/state/tasktrace%s", home,
			     dir_only ? "" : "/notice");
	else
		return -ENOENT;
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* mkdir -p, the new directories private */
static int
make_dirs(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST) {
			*p = '/';
			return -errno;
		}
		*p = '/';
	}
	return mkdir(path, 0700) < 0 && errno != EEXIST ? -errno : 0;
}

static bool
already_shown(const char *path, const char *hash)
{
	char line[32] = "";
	FILE *f = fopen(path, "re");

	if (!f)
		return false;
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	line[strcspn(line, "\n")] = '\0';
	return strcmp(line, hash) == 0;
}

static int
remember(const char *hash)
{
	char dir[4096], path[4200], tmp[4300];
	FILE *f;
	int rc;

	if ((rc = state_path(dir, sizeof(dir), true)) < 0 || (rc = make_dirs(dir)) < 0)
		return rc;
	snprintf(path, sizeof(path), "%s/notice", dir);
	snprintf(tmp, sizeof(tmp), "%s/.notice.tmp", dir);
	f = fopen(tmp, "we");
	if (!f)
		return -errno;
	fprintf(f, "%s\n", hash);
	if (fflush(f) != 0 || fsync(fileno(f)) < 0) {
		rc = -errno;
		fclose(f);
		unlink(tmp);
		return rc;
	}
	fclose(f);
	return rename(tmp, path) < 0 ? -errno : 0;
}

static int
notify(const char *summary, const char *body)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	sd_bus *bus = NULL;
	uint32_t id = 0;
	int rc;

	rc = sd_bus_open_user(&bus);
	if (rc < 0) {
		log_info("notice: no session bus (%s); shown at a later session",
			 strerror(-rc));
		return rc;
	}
	sd_bus_set_method_call_timeout(bus, NOTIFY_TIMEOUT_USEC);
	/* Notify(app_name, replaces_id, app_icon, summary, body, actions,
	 *        hints, expire_timeout): 0 = stays until the person closes it */
	rc = sd_bus_call_method(bus, "org.freedesktop.Notifications",
				"/org/freedesktop/Notifications",
				"org.freedesktop.Notifications", "Notify", &err, &reply,
				"susssasa{sv}i", "tasktrace", 0, "dialog-information",
				summary, body, 0, 1, "urgency", "y", (uint8_t)1, 0);
	if (rc >= 0)
		rc = sd_bus_message_read(reply, "u", &id);
	if (rc < 0)
		log_info("notice: the notification server did not take it (%s); "
			 "shown at a later session",
			 sd_bus_error_is_set(&err) ? err.message : strerror(-rc));
	sd_bus_error_free(&err);
	sd_bus_message_unref(reply);
	sd_bus_flush_close_unref(bus);
	return rc < 0 ? rc : 0;
}

int
notice_show_if_new(void)
{
	struct tt_config cfg;
	char body[2048], hash[17], path[4200];
	int rc;

	/* the same file the tracer reads; its errors are the tracer's to
	 * report, the notice then says what the defaults do */
	if (tt_config_load(&cfg, NULL, true, NULL, NULL) != 0) {
		tt_config_free(&cfg);
		if (tt_config_init(&cfg) < 0)
			return -ENOMEM;
	}
	notice_body(&cfg, body, sizeof(body));
	tt_config_free(&cfg);
	snprintf(hash, sizeof(hash), "%016" PRIx64,
		 fnv1a(body, fnv1a(SUMMARY "\n", 0xcbf29ce484222325ULL)));
	if ((rc = state_path(path, sizeof(path), false)) < 0) {
		log_info("notice: no home directory to remember it in; not shown");
		return rc;
	}
	if (already_shown(path, hash)) {
		log_debug("notice: shown before");
		return 1;
	}
	if ((rc = notify(SUMMARY, body)) < 0)
		return rc;
	rc = remember(hash);
	if (rc < 0)
		log_error("notice: %s: %s (it will be shown again)", path, strerror(-rc));
	else
		log_info("notice shown (remembered in %s)", path);
	return 0;
}
