/*
 * tasktrace-collector — GNOME Shell backend: the tasktrace extension, over
 * the session bus (sd-bus).
 *
 * GNOME Shell offers no protocol that tells a client which window has the
 * focus (org.gnome.Shell.Introspect answers only the portals). tasktrace
 * therefore ships a Shell extension (collector/gnome/) that exports, on the
 * shell's own bus connection, /org/tasktrace/Focus with
 *
 *   org.tasktrace.Focus1.GetFocus() -> a{sv}
 *   signal org.tasktrace.Focus1.FocusChanged(a{sv})
 *
 * and we listen. The extension tells only us: we own the well-known name
 * org.tasktrace.Collector, and it sends FocusChanged to that name's owner
 * alone and answers GetFocus to it alone. A second collector waits in the
 * bus's queue for the name, and takes over when the first exits.
 *
 * Trust comes from the sender: only messages whose sender is the unique
 * name that owns org.gnome.Shell count. Anybody may send a signal to us
 * directly, and sd-bus does not check a well-known sender name itself, so
 * every handler compares the sender with the owner we track (and
 * NameOwnerChanged must come from the bus driver, or a look-alike could
 * name a new "owner"). And any client may own org.gnome.Shell while the
 * shell is away, so an owner is believed only once the bus daemon's
 * credentials show it is the session's compositor (bus-peer.c): our uid,
 * the process serving the Wayland display, a gnome-shell executable.
 *
 * Life cycle: at start we ask the bus who owns org.gnome.Shell and ask that
 * name for the focus. The shell may restart (X11: Alt+F2 r; a crash) — the
 * name changes owner, we report "no window" while it is away and ask again
 * when it is back. The extension may be disabled (screen lock, an admin)
 * and enabled again: it sends {} when it stops and its state when it
 * starts, so nothing needs polling.
 *
 * Copyright © 2026 the tasktrace authors
 * SPDX-License-Identifier: MIT
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>

#include "collector.h"

#define SHELL_NAME	"org.gnome.Shell"
#define FOCUS_PATH	"/org/tasktrace/Focus"
#define FOCUS_IFACE	"org.tasktrace.Focus1"
#define EXTENSION_UUID	"tasktrace@tasktrace.org"
#define DBUS_NAME	"org.freedesktop.DBus"
#define DBUS_PATH	"/org/freedesktop/DBus"
#define OUR_NAME	"org.tasktrace.Collector"
/* How long a probe (another backend could still be tried) waits for the
 * extension to answer. */
#define PROBE_TIMEOUT_US	(1000 * 1000)

struct gnome {
	sd_bus *bus;
	char *owner;		/* unique name owning org.gnome.Shell, or NULL */
	sd_bus_slot *call;	/* pending GetFocus */
	bool told_inactive;	/* logged that the extension does not answer */
	bool have_name;		/* we own org.tasktrace.Collector */
	unsigned long ignored;	/* look-alike messages from other senders */
	/* An owner of org.gnome.Shell not (yet) shown to be the compositor:
	 * checked again now and then while it holds the name (gnome-shell
	 * takes its name before it serves the Wayland display). */
	char *candidate;
	uint64_t recheck_at_ms;
	unsigned int recheck_ms;
};

#define RECHECK_FIRST_MS	50
#define RECHECK_MAX_MS		2000

static const char *const shell_exe[] = { "gnome-shell", NULL };
static const struct compositor_rule shell_rule = {
	.what = "GNOME Shell",
	.exe_names = shell_exe,
};

/* Length of s without a trailing suffix. */
static size_t
len_without(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n > m && strcmp(s + n - m, suffix) == 0 ? n - m : n;
}

/* One a{sv} focus state into f. Unknown keys and keys of an unexpected
 * type are skipped: a newer extension may send more. -errno when the
 * message is not an a{sv} at all. */
static int
read_focus(sd_bus_message *m, struct focus_info *f)
{
	const char *title = "", *app = "", *sandboxed = "", *wm_class = "";
	const char *client = "";
	uint64_t id = 0;
	uint32_t pid = 0;
	int r;

	r = sd_bus_message_enter_container(m, 'a', "{sv}");
	if (r <= 0)
		return r < 0 ? r : -EBADMSG;
	while ((r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
		const char *key, *type;
		const char **str = NULL;
		char t;

		r = sd_bus_message_read_basic(m, 's', &key);
		if (r < 0)
			return r;
		r = sd_bus_message_peek_type(m, &t, &type);
		if (r < 0)
			return r;
		if (strcmp(key, "title") == 0)
			str = &title;
		else if (strcmp(key, "app-id") == 0)
			str = &app;
		else if (strcmp(key, "sandboxed-app-id") == 0)
			str = &sandboxed;
		else if (strcmp(key, "wm-class") == 0)
			str = &wm_class;
		else if (strcmp(key, "client-type") == 0)
			str = &client;

		if (str && strcmp(type, "s") == 0)
			r = sd_bus_message_read(m, "v", "s", str);
		else if (strcmp(key, "window-id") == 0 && strcmp(type, "t") == 0)
			r = sd_bus_message_read(m, "v", "t", &id);
		else if (strcmp(key, "pid") == 0 && strcmp(type, "u") == 0)
			r = sd_bus_message_read(m, "v", "u", &pid);
		else
			r = sd_bus_message_skip(m, "v");
		if (r < 0)
			return r;
		r = sd_bus_message_exit_container(m);
		if (r < 0)
			return r;
	}
	if (r < 0)
		return r;
	r = sd_bus_message_exit_container(m);
	if (r < 0)
		return r;

	/* The application: the sandbox's id (Flatpak/Snap) names it best;
	 * then the .desktop id without ".desktop", as Wayland app ids are
	 * written ("foot", "org.gnome.TextEditor"); then the WM class. */
	if (*sandboxed)
		app = sandboxed;
	else if (!*app)
		app = wm_class;
	focus_info_set(f, id, id ? pid : 0, app, len_without(app, ".desktop"),
		       title, strlen(title));
	if (!id)
		f->app_id[0] = f->title[0] = '\0';
	log_debug("gnome: window %#llx wm-class '%s' %s client", (unsigned long long)id,
		  wm_class, *client ? client : "unknown");
	return 0;
}

static void
report_none(struct backend *b)
{
	struct focus_info none = { 0 };

	report_focus(b->report, &none, tt_mono_ns());
}

static bool
from_shell(struct backend *b, sd_bus_message *m)
{
	struct gnome *g = b->data;
	const char *sender = sd_bus_message_get_sender(m);

	if (g->owner && sender && strcmp(sender, g->owner) == 0)
		return true;
	if (g->ignored++ == 0)
		log_info("ignoring %s.%s from %s: not sent by GNOME Shell (%s)",
			 FOCUS_IFACE, sd_bus_message_get_member(m),
			 sender ? sender : "an unknown sender",
			 g->owner ? g->owner : "not running");
	else
		log_debug("ignored look-alike message %lu from %s", g->ignored,
			  sender ? sender : "?");
	return false;
}

static void
handle_focus(struct backend *b, sd_bus_message *m, uint64_t t)
{
	struct focus_info f;
	int r;

	memset(&f, 0, sizeof(f));
	r = read_focus(m, &f);
	if (r < 0) {
		log_error("gnome: malformed focus state from the extension: %s",
			  strerror(-r));
		return;
	}
	report_focus(b->report, &f, t);
}

/* The extension speaks (a FocusChanged, or the answer to GetFocus). */
static int
shell_focus(struct backend *b, sd_bus_message *m)
{
	struct gnome *g = b->data;

	if (!from_shell(b, m))
		return 0;
	if (g->told_inactive) {
		log_info("the GNOME Shell extension %s is active", EXTENSION_UUID);
		g->told_inactive = false;
	}
	handle_focus(b, m, tt_mono_ns());
	return 0;
}

static int
on_focus_changed(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
	(void)error;
	return shell_focus(userdata, m);
}

static int
on_get_focus(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
	struct backend *b = userdata;
	struct gnome *g = b->data;
	const sd_bus_error *e = sd_bus_message_get_error(m);

	(void)error;
	g->call = sd_bus_slot_unref(g->call);
	if (e && sd_bus_error_has_name(e, SD_BUS_ERROR_ACCESS_DENIED)) {
		/* The extension does not know us as the collector yet: it
		 * sends us the focus when it does. */
		log_debug("gnome: the extension refused GetFocus: %s",
			  e->message ? e->message : e->name);
		return 0;
	}
	if (e) {
		/* Not loaded, disabled, or an older shell without it: its
		 * FocusChanged on enable will tell us when it is there. */
		if (!g->told_inactive)
			log_error("the GNOME Shell extension %s does not answer "
				  "(%s); no focus is reported until it is enabled "
				  "(gnome-extensions info %s)", EXTENSION_UUID,
				  e->message ? e->message : e->name,
				  EXTENSION_UUID);
		g->told_inactive = true;
		report_none(b);
		return 0;
	}
	return shell_focus(b, m);
}

/* Ask the current owner for the focus; its reply comes through the loop. */
static int
ask_focus(struct backend *b)
{
	struct gnome *g = b->data;
	int r;

	g->call = sd_bus_slot_unref(g->call);
	if (!g->owner || !g->have_name)
		return 0;
	r = sd_bus_call_method_async(g->bus, &g->call, g->owner, FOCUS_PATH,
				     FOCUS_IFACE, "GetFocus", on_get_focus, b,
				     "");
	if (r < 0)
		log_error("gnome: cannot ask GNOME Shell for the focus: %s",
			  strerror(-r));
	return r;
}

/* The new owner of org.gnome.Shell, once it has shown it is the
 * session's compositor: 1 adopted, 0 none or refused (logged; checked
 * again later), -errno. */
static int
set_owner(struct gnome *g, const char *owner)
{
	char why[512];
	int r;

	free(g->owner);
	g->owner = NULL;
	free(g->candidate);
	g->candidate = NULL;
	if (!owner || !*owner)
		return 0;
	r = bus_peer_is_compositor(g->bus, owner, &shell_rule, why, sizeof(why));
	if (r <= 0) {
		log_warn("refusing %s, the new owner of " SHELL_NAME ", as GNOME "
			 "Shell: %s; no focus is reported from it unless that changes",
			 owner, why);
		g->candidate = strdup(owner);
		g->recheck_ms = RECHECK_FIRST_MS;
		g->recheck_at_ms = now_ms() + g->recheck_ms;
		return g->candidate ? 0 : -ENOMEM;
	}
	log_debug("gnome: %s is GNOME Shell: %s", owner, why);
	g->owner = strdup(owner);
	return g->owner ? 1 : -ENOMEM;
}

/* The refused owner still holds the name: is it the compositor now? */
static int
recheck_candidate(struct backend *b)
{
	struct gnome *g = b->data;
	char why[512];
	int r;

	r = bus_peer_is_compositor(g->bus, g->candidate, &shell_rule, why, sizeof(why));
	if (r <= 0) {
		log_debug("gnome: %s is still not GNOME Shell: %s", g->candidate, why);
		g->recheck_ms = g->recheck_ms * 2 > RECHECK_MAX_MS ? RECHECK_MAX_MS
								   : g->recheck_ms * 2;
		g->recheck_at_ms = now_ms() + g->recheck_ms;
		return 0;
	}
	log_info("GNOME Shell is on the session bus as %s (now %s)",
		 g->candidate, why);
	g->owner = g->candidate;
	g->candidate = NULL;
	g->told_inactive = false;
	return ask_focus(b);
}

static int
on_name_owner_changed(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
	struct backend *b = userdata;
	struct gnome *g = b->data;
	const char *sender = sd_bus_message_get_sender(m);
	const char *name, *old_owner, *new_owner;
	int r;

	(void)error;
	/* Only the bus driver speaks for the bus. */
	if (!sender || strcmp(sender, DBUS_NAME) != 0) {
		if (g->ignored++ == 0)
			log_info("ignoring NameOwnerChanged from %s: not the bus",
				 sender ? sender : "an unknown sender");
		return 0;
	}
	r = sd_bus_message_read(m, "sss", &name, &old_owner, &new_owner);
	if (r < 0 || strcmp(name, SHELL_NAME) != 0)
		return 0;

	g->call = sd_bus_slot_unref(g->call);
	if (!*new_owner) {
		log_info("GNOME Shell left the session bus; waiting for it");
		set_owner(g, NULL);
		report_none(b);
		return 0;
	}
	r = set_owner(g, new_owner);
	if (r < 0)
		return r;
	if (r == 0) {
		report_none(b);
		return 0;
	}
	log_info("GNOME Shell is on the session bus as %s", new_owner);
	g->told_inactive = false;
	return ask_focus(b);
}

/* Our name org.tasktrace.Collector: taken over from a collector that
 * exited (we were queued), or lost. */
static int
on_our_name(sd_bus_message *m, void *userdata, sd_bus_error *error)
{
	struct backend *b = userdata;
	struct gnome *g = b->data;
	const char *sender = sd_bus_message_get_sender(m);
	const char *name, *old_owner, *new_owner, *me = NULL;
	bool mine;

	(void)error;
	if (!sender || strcmp(sender, DBUS_NAME) != 0)
		return 0;
	if (sd_bus_message_read(m, "sss", &name, &old_owner, &new_owner) < 0 ||
	    strcmp(name, OUR_NAME) != 0 || sd_bus_get_unique_name(g->bus, &me) < 0)
		return 0;
	mine = strcmp(new_owner, me) == 0;
	if (mine == g->have_name)
		return 0;
	g->have_name = mine;
	if (!mine) {
		log_warn("lost " OUR_NAME " to %s: no focus is reported",
			 *new_owner ? new_owner : "nobody");
		report_none(b);
		return 0;
	}
	log_info("now the collector of this session (" OUR_NAME ")");
	return ask_focus(b);
}

/* Own org.tasktrace.Collector: the extension speaks to its owner only.
 * Taken (another collector runs): wait in the bus's queue. */
static int
own_name(struct backend *b)
{
	struct gnome *g = b->data;
	sd_bus_error error = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	uint32_t pid = 0;
	int r;

	r = sd_bus_request_name(g->bus, OUR_NAME, SD_BUS_NAME_QUEUE);
	if (r < 0) {
		log_error("cannot own " OUR_NAME " on the session bus: %s",
			  strerror(-r));
		return r;
	}
	g->have_name = r > 0;
	if (g->have_name)
		return 0;
	if (sd_bus_call_method(g->bus, DBUS_NAME, DBUS_PATH, DBUS_NAME,
			       "GetConnectionUnixProcessID", &error, &reply, "s",
			       OUR_NAME) >= 0)
		sd_bus_message_read(reply, "u", &pid);
	log_warn("another collector (pid %u) owns " OUR_NAME " on this session "
		 "bus: waiting for it to exit; no focus is reported until then",
		 (unsigned)pid);
	sd_bus_message_unref(reply);
	sd_bus_error_free(&error);
	return 0;
}

/* Run everything sd-bus has read or can read now. */
static int
pump(struct backend *b)
{
	struct gnome *g = b->data;
	int r;

	do {
		r = sd_bus_process(g->bus, NULL);
	} while (r > 0);
	if (r < 0) {
		log_error("lost the session bus: %s", strerror(-r));
		return r;
	}
	return 0;
}

static int
gnome_prepare(struct backend *b)
{
	struct gnome *g = b->data;
	uint64_t usec;
	int r;

	r = pump(b);
	if (r < 0)
		return r;
	/* Requests are a few hundred bytes on a local socket: flushing
	 * here keeps the loop free of EPOLLOUT bookkeeping. */
	r = sd_bus_flush(g->bus);
	if (r < 0) {
		log_error("lost the session bus: %s", strerror(-r));
		return r;
	}
	r = sd_bus_get_timeout(g->bus, &usec);
	b->deadline_ms = r > 0 && usec != UINT64_MAX ? usec / 1000 + 1 : 0;
	if (g->candidate && (!b->deadline_ms || g->recheck_at_ms < b->deadline_ms))
		b->deadline_ms = g->recheck_at_ms;
	return 0;
}

static int
gnome_dispatch(struct backend *b)
{
	return pump(b);
}

static void
gnome_close(struct backend *b)
{
	struct gnome *g = b->data;

	if (!g)
		return;
	sd_bus_slot_unref(g->call);
	sd_bus_flush_close_unref(g->bus);
	free(g->owner);
	free(g->candidate);
	free(g);
	b->data = NULL;
}

/* Synchronous, at start only: who owns org.gnome.Shell. */
static int
find_shell(struct backend *b)
{
	struct gnome *g = b->data;
	sd_bus_error error = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	const char *owner;
	int r;

	r = sd_bus_call_method(g->bus, DBUS_NAME, DBUS_PATH, DBUS_NAME,
			       "GetNameOwner", &error, &reply, "s", SHELL_NAME);
	if (r < 0 && !b->probe &&
	    sd_bus_error_has_name(&error, SD_BUS_ERROR_NAME_HAS_NO_OWNER)) {
		/* Started a moment before the shell (at login): in a GNOME
		 * session it comes, and NameOwnerChanged tells us. */
		log_info("GNOME Shell is not on the session bus yet; waiting for it");
		r = 0;
	} else if (r < 0) {
		log_error("GNOME Shell is not on the session bus (%s)",
			  error.message ? error.message : strerror(-r));
	} else if ((r = sd_bus_message_read(reply, "s", &owner)) >= 0) {
		r = set_owner(g, owner);
		if (r == 0 && b->probe)
			r = -EACCES;	/* refused (logged): let the next backend try */
	}
	sd_bus_message_unref(reply);
	sd_bus_error_free(&error);
	return r < 0 ? r : 0;
}

/* A probe (another backend follows): the extension must answer now. */
static int
probe_extension(struct backend *b)
{
	struct gnome *g = b->data;
	sd_bus_error error = SD_BUS_ERROR_NULL;
	sd_bus_message *call = NULL, *reply = NULL;
	int r;

	r = sd_bus_message_new_method_call(g->bus, &call, g->owner, FOCUS_PATH,
					   FOCUS_IFACE, "GetFocus");
	if (r >= 0)
		r = sd_bus_call(g->bus, call, PROBE_TIMEOUT_US, &error, &reply);
	/* Refused while another collector has the name: it is there. */
	if (r < 0 && sd_bus_error_has_name(&error, SD_BUS_ERROR_ACCESS_DENIED))
		r = 0;
	if (r < 0)
		log_info("the GNOME Shell extension %s does not answer (%s)",
			 EXTENSION_UUID, error.message ? error.message : strerror(-r));
	sd_bus_message_unref(call);
	sd_bus_message_unref(reply);
	sd_bus_error_free(&error);
	return r < 0 ? r : 0;
}

static int
gnome_open(struct backend *b)
{
	struct gnome *g;
	int r;

	g = calloc(1, sizeof(*g));
	if (!g)
		return -ENOMEM;
	b->data = g;

	r = sd_bus_open_user(&g->bus);
	if (r < 0) {
		log_error("cannot connect to the session bus: %s (is "
			  "DBUS_SESSION_BUS_ADDRESS or XDG_RUNTIME_DIR set?)",
			  strerror(-r));
		goto fail;
	}
	/* Matches first, then the questions: a change after the answer
	 * was built arrives as a signal after the reply. */
	r = sd_bus_add_match(g->bus, NULL,
			     "type='signal',sender='" DBUS_NAME "',"
			     "path='" DBUS_PATH "',interface='" DBUS_NAME "',"
			     "member='NameOwnerChanged',arg0='" SHELL_NAME "'",
			     on_name_owner_changed, b);
	if (r >= 0)
		r = sd_bus_add_match(g->bus, NULL,
				     "type='signal',sender='" SHELL_NAME "',"
				     "path='" FOCUS_PATH "',interface='" FOCUS_IFACE "',"
				     "member='FocusChanged'", on_focus_changed, b);
	if (r >= 0)
		r = sd_bus_add_match(g->bus, NULL,
				     "type='signal',sender='" DBUS_NAME "',"
				     "path='" DBUS_PATH "',interface='" DBUS_NAME "',"
				     "member='NameOwnerChanged',arg0='" OUR_NAME "'",
				     on_our_name, b);
	if (r < 0) {
		log_error("cannot subscribe on the session bus: %s", strerror(-r));
		goto fail;
	}
	/* The name before any question: the extension answers its owner. */
	r = own_name(b);
	if (r >= 0)
		r = find_shell(b);
	if (r >= 0 && b->probe)
		r = probe_extension(b);
	if (r >= 0 && !g->owner)
		report_none(b);
	if (r < 0)
		goto fail;
	r = ask_focus(b);
	if (r < 0)
		goto fail;
	b->fd = sd_bus_get_fd(g->bus);
	if (b->fd < 0) {
		r = b->fd;
		goto fail;
	}
	return 0;

fail:
	gnome_close(b);
	return r;
}

static int
gnome_timeout(struct backend *b)
{
	struct gnome *g = b->data;
	int r;

	if (g->candidate && now_ms() >= g->recheck_at_ms) {
		r = recheck_candidate(b);
		if (r < 0)
			return r;
	}
	return pump(b);
}

const struct backend_interface backend_gnome = {
	.name = "gnome",
	.open = gnome_open,
	.prepare = gnome_prepare,
	.dispatch = gnome_dispatch,
	.timeout = gnome_timeout,
	.close = gnome_close,
};
