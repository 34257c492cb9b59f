/* SPDX-License-Identifier: MIT */
/* Sessions through sd-login and logind's D-Bus; see session.h. */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-login.h>
#include <unistd.h>

#include "session.h"
#include "tasktrace/log.h"

#define LOGIND_RUN "/run/systemd"
/* sd-login's monitor wakes on the first file written: read again a
 * little later to see the rest (vm/README.md) */
#define REREAD_USEC 100000
/* where there is no monitor, look every so often */
#define POLL_USEC 2000000

struct session_watch {
	struct evloop *loop;
	char seat[32];
	char static_user[64];
	void (*changed)(void *data);
	void *data;

	sd_login_monitor *monitor;
	struct evsource *monitor_src;
	struct evsource *timer;

	sd_bus *bus;
	sd_bus_slot *slot;
	struct evsource *bus_src;

	bool said_static;
	bool said_none;
	bool said_logind;
};

static void
notify(struct session_watch *sw)
{
	sw->changed(sw->data);
}

static void
monitor_ready(void *data, uint32_t events)
{
	struct session_watch *sw = data;

	(void)events;
	sd_login_monitor_flush(sw->monitor);
	evloop_timer_set(sw->timer, evloop_now_usec() + REREAD_USEC, 0);
	notify(sw);
}

static void
timer_ready(void *data, uint32_t events)
{
	struct session_watch *sw = data;

	(void)events;
	evloop_timer_ack(sw->timer);
	notify(sw);
}

static int
on_properties_changed(sd_bus_message *m, void *data, sd_bus_error *err)
{
	struct session_watch *sw = data;

	(void)m;
	(void)err;
	notify(sw);
	return 0;
}

static void
bus_ready(void *data, uint32_t events)
{
	struct session_watch *sw = data;
	int rc;

	(void)events;
	while ((rc = sd_bus_process(sw->bus, NULL)) > 0)
		;
	if (rc < 0) {
		/* the bus went away (dbus restarted): carry on with files */
		log_warn("D-Bus connection lost (%s); lock state from files only",
			 strerror(-rc));
		evloop_remove(sw->loop, sw->bus_src);
		sw->bus_src = NULL;
		sw->slot = sd_bus_slot_unref(sw->slot);
		sw->bus = sd_bus_flush_close_unref(sw->bus);
	}
}

static void
bus_open(struct session_watch *sw)
{
	int rc = sd_bus_open_system(&sw->bus);

	if (rc < 0) {
		log_info("no system D-Bus (%s): the lock state comes from the session files",
			 strerror(-rc));
		sw->bus = NULL;
		return;
	}
	rc = sd_bus_match_signal(sw->bus, &sw->slot, "org.freedesktop.login1", NULL,
				 "org.freedesktop.DBus.Properties",
				 "PropertiesChanged", on_properties_changed, sw);
	if (rc >= 0)
		rc = evloop_add_fd(sw->loop, sd_bus_get_fd(sw->bus), EPOLLIN,
				   bus_ready, sw, &sw->bus_src);
	if (rc < 0) {
		log_warn("cannot watch logind on D-Bus: %s", strerror(-rc));
		sw->slot = sd_bus_slot_unref(sw->slot);
		sw->bus = sd_bus_flush_close_unref(sw->bus);
	}
}

int
session_watch_new(struct session_watch **out, struct evloop *loop,
		  const char *seat, const char *static_user,
		  void (*changed)(void *data), void *data)
{
	struct session_watch *sw = calloc(1, sizeof(*sw));
	int rc;

	if (!sw)
		return -ENOMEM;
	sw->loop = loop;
	snprintf(sw->seat, sizeof(sw->seat), "%s", seat);
	snprintf(sw->static_user, sizeof(sw->static_user), "%s", static_user);
	sw->changed = changed;
	sw->data = data;

	rc = evloop_add_timer(loop, timer_ready, sw, &sw->timer);
	if (rc < 0) {
		free(sw);
		return rc;
	}
	rc = sd_login_monitor_new(NULL, &sw->monitor);
	if (rc >= 0)
		rc = evloop_add_fd(loop, sd_login_monitor_get_fd(sw->monitor),
				   EPOLLIN, monitor_ready, sw, &sw->monitor_src);
	if (rc < 0) {
		/* e.g. ENOENT without /run/systemd/machines: poll instead */
		log_debug("no logind monitor (%s): checking sessions every %us",
			  strerror(-rc), POLL_USEC / 1000000);
		sw->monitor = sd_login_monitor_unref(sw->monitor);
		evloop_timer_set(sw->timer, evloop_now_usec() + POLL_USEC, POLL_USEC);
	}
	bus_open(sw);
	*out = sw;
	return 0;
}

void
session_watch_destroy(struct session_watch *sw)
{
	if (!sw)
		return;
	if (sw->bus_src)
		evloop_remove(sw->loop, sw->bus_src);
	if (sw->monitor_src)
		evloop_remove(sw->loop, sw->monitor_src);
	evloop_remove(sw->loop, sw->timer);
	sd_bus_slot_unref(sw->slot);
	sd_bus_flush_close_unref(sw->bus);
	sd_login_monitor_unref(sw->monitor);
	free(sw);
}

void
session_watch_set_static(struct session_watch *sw, const char *static_user)
{
	snprintf(sw->static_user, sizeof(sw->static_user), "%s", static_user);
	sw->said_static = false;
	sw->said_none = false;
}

/* USER= and LOCKED_HINT= of logind's session file. */
static void
read_session_file(const char *id, char *user, size_t cap, bool *locked)
{
	char path[256], line[512];
	FILE *f;

	snprintf(path, sizeof(path), LOGIND_RUN "/sessions/%s", id);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "USER=", 5) == 0)
			snprintf(user, cap, "%.63s", line + 5);
		else if (strncmp(line, "LOCKED_HINT=", 12) == 0)
			*locked = strcmp(line + 12, "yes") == 0 ||
				  strcmp(line + 12, "1") == 0;
	}
	fclose(f);
}

static bool
bus_locked_hint(struct session_watch *sw, const char *id)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	char *path = NULL;
	int locked = 0;

	if (!sw->bus)
		return false;
	if (sd_bus_path_encode("/org/freedesktop/login1/session", id, &path) < 0)
		return false;
	if (sd_bus_get_property_trivial(sw->bus, "org.freedesktop.login1", path,
					"org.freedesktop.login1.Session",
					"LockedHint", &err, 'b', &locked) < 0)
		locked = 0;
	sd_bus_error_free(&err);
	free(path);
	return locked != 0;
}

static void
user_name(uint32_t uid, char *buf, size_t cap)
{
	struct passwd pw, *res = NULL;
	char tmp[1024];

	if (getpwuid_r(uid, &pw, tmp, sizeof(tmp), &res) == 0 && res)
		snprintf(buf, cap, "%s", res->pw_name);
}

static void
static_view(struct session_watch *sw, struct session_view *v)
{
	struct passwd pw, *res = NULL;
	char tmp[1024];
	char *end;
	unsigned long uid;

	if (!sw->static_user[0]) {
		if (!sw->said_none)
			log_warn("logind is absent and no static user is configured: "
				 "input on %s is attributed to no one and not recorded",
				 sw->seat);
		sw->said_none = true;
		return;
	}
	uid = strtoul(sw->static_user, &end, 10);
	if (*end == '\0') {
		v->uid = (uint32_t)uid;
		user_name(v->uid, v->user, sizeof(v->user));
	} else if (getpwnam_r(sw->static_user, &pw, tmp, sizeof(tmp), &res) == 0 && res) {
		v->uid = res->pw_uid;
		snprintf(v->user, sizeof(v->user), "%s", res->pw_name);
	} else {
		if (!sw->said_none)
			log_error("static user \"%s\" does not exist: input is not recorded",
				  sw->static_user);
		sw->said_none = true;
		return;
	}
	snprintf(v->id, sizeof(v->id), "static");
	v->state = INTERP_SESSION_ACTIVE;
	if (!sw->said_static)
		log_info("logind is absent: input on %s is attributed to %s (uid %u)",
			 sw->seat, v->user[0] ? v->user : "?", v->uid);
	sw->said_static = true;
}

void
session_watch_get(struct session_watch *sw, struct session_view *v)
{
	char path[256];
	char *session = NULL, *cls = NULL;
	uid_t uid;
	bool locked = false;

	memset(v, 0, sizeof(*v));
	v->uid = TT_UID_NONE;
	v->state = INTERP_SESSION_NONE;
	snprintf(v->seat, sizeof(v->seat), "%s", sw->seat);

	snprintf(path, sizeof(path), LOGIND_RUN "/seats/%s", sw->seat);
	if (access(path, F_OK) != 0) {
		static_view(sw, v);
		return;
	}
	v->logind = true;
	if (!sw->said_logind)
		log_info("sessions on %s come from logind", sw->seat);
	sw->said_logind = true;
	sw->said_static = false;

	if (sd_seat_get_active(sw->seat, &session, &uid) < 0 || !session)
		return;	/* no session in front: nothing is recorded */
	if (sd_session_is_active(session) <= 0)
		goto out;
	if (sd_session_get_class(session, &cls) >= 0 && strcmp(cls, "greeter") == 0)
		goto out;	/* a login screen is no user's session */
	snprintf(v->id, sizeof(v->id), "%s", session);
	v->uid = uid;
	read_session_file(session, v->user, sizeof(v->user), &locked);
	if (!v->user[0])
		user_name(uid, v->user, sizeof(v->user));
	if (cls && strcmp(cls, "lock-screen") == 0)
		locked = true;
	if (bus_locked_hint(sw, session))
		locked = true;
	v->state = locked ? INTERP_SESSION_LOCKED : INTERP_SESSION_ACTIVE;
out:
	free(cls);
	free(session);
}
