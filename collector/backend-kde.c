/*
 * tasktrace-collector — KDE Plasma backend (a KWin script, over D-Bus).
 *
 * KWin on Wayland tells no client which window is active, but it runs
 * scripts. The collector owns org.tasktrace.Collector on the session bus,
 * loads tasktrace-focus.js into KWin (org.kde.KWin /Scripting loadScript,
 * then run on the script's object), and the script calls our Window method
 * when it starts (the focus at start), on every activation, and on every
 * caption change of the active window. The script's header describes the
 * call.
 *
 * Only KWin may call: the sender must be the current unique owner of
 * org.kde.KWin (scripts call D-Bus on KWin's own connection). Anyone else
 * gets AccessDenied and changes nothing. NameOwnerChanged of org.kde.KWin
 * says KWin restarted: the script is loaded into the new KWin. That signal
 * counts only from the bus driver (anybody may send us one directly), and
 * the new owner only once the bus daemon's credentials show it is the
 * session's compositor (bus-peer.c: our uid, the process serving the
 * Wayland display or the child of the one that does, a kwin executable
 * where it can be read): any client may own org.kde.KWin while KWin is
 * away. A refused owner is checked again while it holds the name. A copy
 * left loaded by a collector that died is unloaded first; ours is unloaded
 * when we exit.
 *
 * Plasma 5 puts a loaded script at /<id>, Plasma 6 at /Scripting/Script<id>
 * (both interface org.kde.kwin.Script): run is tried at the Plasma 6 path,
 * then at the Plasma 5 one. KWin may hand out a number another script
 * still holds (see script_nodes); such a script is started with
 * /Scripting start instead.
 *
 * Calls to KWin are synchronous, with a short timeout: they happen only at
 * start and after KWin restarted, when there is no focus to report anyway.
 * KWin may own its name a moment before /Scripting exists, so a failed
 * load is retried for a few seconds.
 *
 * Copyright © 2026 the tasktrace authors
 * SPDX-License-Identifier: MIT
 */

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-bus.h>
#include <unistd.h>

#include "collector.h"

#ifndef TT_KWIN_SCRIPT
#define TT_KWIN_SCRIPT "/usr/share/tasktrace/kwin/tasktrace-focus.js"
#endif

#define OUR_NAME		"org.tasktrace.Collector"
#define OUR_PATH		"/org/tasktrace/Collector"
#define OUR_IFACE		"org.tasktrace.KWinFocus"
#define KWIN_NAME		"org.kde.KWin"
#define KWIN_SCRIPTING_PATH	"/Scripting"
#define KWIN_SCRIPTING_IFACE	"org.kde.kwin.Scripting"
#define KWIN_SCRIPT_IFACE	"org.kde.kwin.Script"
#define SCRIPT_NAME		"tasktrace-focus"

#define KWIN_CALL_TIMEOUT_US	(2 * 1000 * 1000ULL)
#define LOAD_RETRY_MS		200
#define LOAD_TRIES		25	/* five seconds */
/* A script that is running calls at once; one that KWin could not read
 * or compile says nothing at all, so silence is worth a warning. */
#define SILENCE_WARN_MS		5000
/* At session start the collector may be a moment ahead of KWin. */
#define KWIN_START_WAIT_MS	10000
/* Between two windows KWin may report "none" for a moment. */
#define NONE_DEBOUNCE_MS	100
/* A refused owner of org.kde.KWin is checked again, backing off. */
#define RECHECK_FIRST_MS	50
#define RECHECK_MAX_MS		2000

static const char *const kwin_exe[] = { "kwin_wayland", "kwin_x11", NULL };
static const char *const kwin_parent[] = { "kwin_wayland_wrapper", NULL };
static const struct compositor_rule kwin_rule = {
	.what = "KWin",
	.exe_names = kwin_exe,
	.parent_names = kwin_parent,
};

struct kde {
	sd_bus *bus;
	char *kwin;		/* unique name owning org.kde.KWin; NULL: none */
	char script[PATH_MAX];
	bool load_pending;
	unsigned int load_tries;
	uint64_t load_at_ms;
	uint64_t silence_at_ms;	/* loaded, no call from KWin yet: warn then */
	uint64_t none_at_ms;	/* pending "no window" report */
	uint64_t none_time_ns;
	unsigned long refused;	/* calls from others than KWin */
	unsigned long forged;	/* NameOwnerChanged not from the bus */
	char *candidate;	/* owner of org.kde.KWin not shown to be KWin */
	uint64_t recheck_at_ms;
	unsigned int recheck_ms;
};

static void
update_deadline(struct backend *b)
{
	struct kde *k = b->data;
	uint64_t next = 0;
	const uint64_t at[] = {
		k->load_pending ? k->load_at_ms : 0,
		k->silence_at_ms,
		k->none_at_ms,
		k->candidate ? k->recheck_at_ms : 0,
	};

	for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++)
		if (at[i] && (!next || at[i] < next))
			next = at[i];
	b->deadline_ms = next;
}

/* KWin's window ids are UUIDs; the protocol wants a number. FNV-1a of the
 * UUID's text is stable for the window's life, also across reloads of the
 * script. */
static uint64_t
window_id(const char *uuid)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (const unsigned char *p = (const unsigned char *)uuid; *p; p++) {
		h ^= *p;
		h *= 0x100000001b3ULL;
	}
	return h ? h : 1;
}

static uint32_t
parse_pid(const char *s)
{
	unsigned long v;
	char *end;

	if (*s < '1' || *s > '9')
		return 0;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > INT32_MAX)
		return 0;
	return (uint32_t)v;
}

/* Logged the 1st, 10th, 100th… time: a loop cannot flood. */
static bool
worth_logging(unsigned long n)
{
	while (n % 10 == 0)
		n /= 10;
	return n == 1;
}

/* org.tasktrace.KWinFocus.Window(event, id, resource_class, desktop_file,
 * caption, pid), from the KWin script. */
static int
on_window(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	struct backend *b = userdata;
	struct kde *k = b->data;
	const char *sender = sd_bus_message_get_sender(m);
	const char *event, *id, *cls, *desktop, *caption, *pid;
	uint64_t t = tt_mono_ns();
	int rc;

	if (!sender || !k->kwin || strcmp(sender, k->kwin) != 0) {
		if (worth_logging(++k->refused))
			log_warn("refused a focus report from %s: only KWin (%s) "
				 "may send one (%lu refused so far)",
				 sender ? sender : "(unknown)",
				 k->kwin ? k->kwin : "not on the bus", k->refused);
		return sd_bus_error_set(err, SD_BUS_ERROR_ACCESS_DENIED,
					"only KWin may report the focus");
	}

	rc = sd_bus_message_read(m, "ssssss", &event, &id, &cls, &desktop,
				 &caption, &pid);
	if (rc < 0)
		return rc;
	if (k->silence_at_ms) {
		k->silence_at_ms = 0;
		log_debug("kde: the KWin script reports");
	}

	if (strcmp(event, "caption") == 0) {
		if (*id)
			report_title(b->report, window_id(id), caption,
				     strlen(caption), t);
	} else if (strcmp(event, "active") == 0 && !*id) {
		if (!k->none_at_ms) {
			k->none_at_ms = now_ms() + NONE_DEBOUNCE_MS;
			k->none_time_ns = t;
		}
	} else if (strcmp(event, "active") == 0) {
		/* The .desktop id where KWin knows it (Wayland app id, or
		 * an X11 client's _KDE_NET_WM_DESKTOP_FILE), else the
		 * resource class (X11 WM_CLASS). */
		const char *app = *desktop ? desktop : cls;
		struct focus_info f;

		k->none_at_ms = 0;
		focus_info_set(&f, window_id(id), parse_pid(pid), app,
			       strlen(app), caption, strlen(caption));
		report_focus(b->report, &f, t);
	} else {
		log_debug("kde: unknown event '%s' from the KWin script", event);
	}
	update_deadline(b);
	return sd_bus_reply_method_return(m, NULL);
}

static const sd_bus_vtable focus_vtable[] = {
	SD_BUS_VTABLE_START(0),
	SD_BUS_METHOD("Window", "ssssss", "", on_window,
		      SD_BUS_VTABLE_UNPRIVILEGED),
	SD_BUS_VTABLE_END,
};

/* The new owner of org.kde.KWin, if it is the session's compositor:
 * true adopted; false none, or refused (logged, checked again later). */
static bool
set_owner(struct kde *k, const char *owner)
{
	char why[512];

	free(k->kwin);
	k->kwin = NULL;
	free(k->candidate);
	k->candidate = NULL;
	if (!owner || !*owner)
		return false;
	if (bus_peer_is_compositor(k->bus, owner, &kwin_rule, why, sizeof(why)) <= 0) {
		log_warn("refusing %s, the new owner of " KWIN_NAME ", as KWin: %s; "
			 "its calls are refused unless that changes", owner, why);
		k->candidate = strdup(owner);
		k->recheck_ms = RECHECK_FIRST_MS;
		k->recheck_at_ms = now_ms() + k->recheck_ms;
		return false;
	}
	log_debug("kde: %s is KWin: %s", owner, why);
	k->kwin = strdup(owner);
	return k->kwin != NULL;
}

/* The refused owner still holds the name: is it KWin now? */
static bool
recheck_candidate(struct kde *k)
{
	char why[512];

	if (bus_peer_is_compositor(k->bus, k->candidate, &kwin_rule, why,
				   sizeof(why)) <= 0) {
		log_debug("kde: %s is still not KWin: %s", k->candidate, why);
		k->recheck_ms = k->recheck_ms * 2 > RECHECK_MAX_MS ? RECHECK_MAX_MS
								   : k->recheck_ms * 2;
		k->recheck_at_ms = now_ms() + k->recheck_ms;
		return false;
	}
	log_info("kde: %s is KWin now: %s", k->candidate, why);
	k->kwin = k->candidate;
	k->candidate = NULL;
	return true;
}

/* Call a method of KWin (the instance we know), synchronously. */
static int
kwin_call(struct kde *k, const char *path, const char *iface,
	  const char *member, sd_bus_error *err, sd_bus_message **reply,
	  uint64_t timeout_us, const char *types, ...)
{
	sd_bus_message *m = NULL;
	va_list ap;
	int rc;

	rc = sd_bus_message_new_method_call(k->bus, &m, k->kwin, path, iface,
					    member);
	if (rc >= 0 && types) {
		va_start(ap, types);
		rc = sd_bus_message_appendv(m, types, ap);
		va_end(ap);
	}
	if (rc >= 0)
		rc = sd_bus_call(k->bus, m, timeout_us, err, reply);
	sd_bus_message_unref(m);
	return rc;
}

static bool
no_such_object(const sd_bus_error *err)
{
	return sd_bus_error_has_name(err, SD_BUS_ERROR_UNKNOWN_OBJECT) ||
	       sd_bus_error_has_name(err, SD_BUS_ERROR_UNKNOWN_INTERFACE) ||
	       sd_bus_error_has_name(err, SD_BUS_ERROR_UNKNOWN_METHOD);
}

/* Unload a copy of our script, if KWin has one loaded. */
static int
unload_script(struct kde *k, uint64_t timeout_us, bool *was_loaded)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	int loaded = 0, rc;

	rc = kwin_call(k, KWIN_SCRIPTING_PATH, KWIN_SCRIPTING_IFACE,
		       "isScriptLoaded", &err, &reply, timeout_us, "s",
		       SCRIPT_NAME);
	if (rc >= 0)
		rc = sd_bus_message_read(reply, "b", &loaded);
	reply = sd_bus_message_unref(reply);
	if (rc >= 0 && loaded) {
		rc = kwin_call(k, KWIN_SCRIPTING_PATH, KWIN_SCRIPTING_IFACE,
			       "unloadScript", &err, NULL, timeout_us, "s",
			       SCRIPT_NAME);
	}
	if (rc < 0)
		log_debug("kde: unloading the script: %s",
			  err.message ? err.message : strerror(-rc));
	if (was_loaded)
		*was_loaded = loaded;
	sd_bus_error_free(&err);
	return rc;
}

/* KWin numbers a new script by the count of loaded ones, so after an
 * unload the number can be one that a later script still holds: the new
 * script then gets no object of its own, and "run" at that path reaches
 * the other one. The objects of loaded scripts (Plasma 5: /<id>, Plasma 6:
 * /Scripting/Script<id>) are listed before loading, to tell. */
struct script_nodes {
	char *xml[2];
};

static const char *const node_where[2][2] = {
	{ "/", "<node name=\"%d\"" },				/* Plasma 5 */
	{ KWIN_SCRIPTING_PATH, "<node name=\"Script%d\"" },	/* Plasma 6 */
};

static void
script_nodes_list(struct kde *k, struct script_nodes *n)
{
	for (size_t i = 0; i < 2; i++) {
		sd_bus_message *reply = NULL;
		const char *xml;

		n->xml[i] = NULL;
		if (kwin_call(k, node_where[i][0],
			      "org.freedesktop.DBus.Introspectable", "Introspect",
			      NULL, &reply, KWIN_CALL_TIMEOUT_US, NULL) >= 0 &&
		    sd_bus_message_read(reply, "s", &xml) >= 0)
			n->xml[i] = strdup(xml);
		sd_bus_message_unref(reply);
	}
}

static bool
script_nodes_has(const struct script_nodes *n, int32_t id)
{
	for (size_t i = 0; i < 2; i++) {
		char node[64];

		snprintf(node, sizeof(node), node_where[i][1], id);
		if (n->xml[i] && strstr(n->xml[i], node))
			return true;
	}
	return false;
}

/* Load and run the script in the KWin we know. -EAGAIN: worth another
 * try (KWin not ready, no answer); other errors are final. */
static int
load_script(struct kde *k)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	const char *layout = "Plasma 6";
	char path[64];
	struct script_nodes nodes;
	bool stale = false, taken;
	int32_t id = -1;
	int rc;

	rc = unload_script(k, KWIN_CALL_TIMEOUT_US, &stale);
	if (rc < 0)
		return -EAGAIN;
	if (stale)
		log_info("kde: unloaded a stale copy of the KWin script");

	script_nodes_list(k, &nodes);
	rc = kwin_call(k, KWIN_SCRIPTING_PATH, KWIN_SCRIPTING_IFACE,
		       "loadScript", &err, &reply, KWIN_CALL_TIMEOUT_US, "ss",
		       k->script, SCRIPT_NAME);
	if (rc >= 0)
		rc = sd_bus_message_read(reply, "i", &id);
	reply = sd_bus_message_unref(reply);
	taken = id >= 0 && script_nodes_has(&nodes, id);
	free(nodes.xml[0]);
	free(nodes.xml[1]);
	if (rc < 0) {
		log_debug("kde: loadScript: %s",
			  err.message ? err.message : strerror(-rc));
		rc = -EAGAIN;
		goto out;
	}
	if (id < 0) {
		log_error("KWin refused to load the script %s", k->script);
		rc = -EIO;
		goto out;
	}

	if (taken) {
		/* start runs every loaded script that is not running yet:
		 * ours, and at most scripts someone loaded to run anyway. */
		log_info("kde: KWin numbered the script %d, a number another "
			 "script's object still holds: starting it through "
			 "/Scripting start", id);
		layout = "shared number";
		snprintf(path, sizeof(path), "%s", KWIN_SCRIPTING_PATH);
		rc = kwin_call(k, path, KWIN_SCRIPTING_IFACE, "start", &err,
			       NULL, KWIN_CALL_TIMEOUT_US, NULL);
		goto ran;
	}
	snprintf(path, sizeof(path), "/Scripting/Script%d", id);
	rc = kwin_call(k, path, KWIN_SCRIPT_IFACE, "run", &err, NULL,
		       KWIN_CALL_TIMEOUT_US, NULL);
	if (rc < 0 && no_such_object(&err)) {
		sd_bus_error_free(&err);
		layout = "Plasma 5";
		snprintf(path, sizeof(path), "/%d", id);
		rc = kwin_call(k, path, KWIN_SCRIPT_IFACE, "run", &err, NULL,
			       KWIN_CALL_TIMEOUT_US, NULL);
	}
ran:
	if (rc < 0) {
		log_error("KWin loaded the script but did not run it: %s",
			  err.message ? err.message : strerror(-rc));
		rc = -EIO;
		goto out;
	}
	log_info("kde: KWin script %s running in %s (%s object %s)",
		 k->script, k->kwin, layout, path);
	rc = 0;
out:
	sd_bus_error_free(&err);
	return rc;
}

/* Load now, or schedule a retry; -errno once it is hopeless. */
static int
try_load(struct backend *b)
{
	struct kde *k = b->data;
	int rc;

	k->load_pending = false;
	if (!k->kwin)
		return 0;
	rc = load_script(k);
	if (rc == 0) {
		k->silence_at_ms = now_ms() + SILENCE_WARN_MS;
	} else if (rc == -EAGAIN && ++k->load_tries < LOAD_TRIES) {
		k->load_pending = true;
		k->load_at_ms = now_ms() + LOAD_RETRY_MS;
		rc = 0;
	} else if (rc == -EAGAIN) {
		log_error("KWin (%s) did not accept the script in %d s",
			  k->kwin, LOAD_TRIES * LOAD_RETRY_MS / 1000);
		rc = -ETIMEDOUT;
	}
	update_deadline(b);
	return rc;
}

/* A KWin we believe: load the script into it. */
static void
adopt_kwin(struct kde *k)
{
	log_info("kde: KWin is on the bus as %s: loading the script", k->kwin);
	k->load_pending = true;
	k->load_tries = 0;
	k->load_at_ms = now_ms();
}

static int
on_owner_changed(sd_bus_message *m, void *userdata, sd_bus_error *err)
{
	struct backend *b = userdata;
	struct kde *k = b->data;
	const char *sender = sd_bus_message_get_sender(m);
	const char *name, *old_owner, *new_owner;

	(void)err;
	/* Only the bus driver speaks for the bus: anybody may send us a
	 * look-alike directly, naming itself the new KWin. */
	if (!sender || strcmp(sender, "org.freedesktop.DBus") != 0) {
		if (worth_logging(++k->forged))
			log_warn("ignoring NameOwnerChanged from %s: not the bus "
				 "(%lu ignored so far)",
				 sender ? sender : "an unknown sender", k->forged);
		return 0;
	}
	if (sd_bus_message_read(m, "sss", &name, &old_owner, &new_owner) < 0 ||
	    strcmp(name, KWIN_NAME) != 0)
		return 0;
	set_owner(k, new_owner);
	k->silence_at_ms = 0;
	if (k->kwin) {
		adopt_kwin(k);
	} else if (k->candidate) {
		k->load_pending = false;
	} else {
		/* Keep the last focus: on X11 KWin can be replaced while
		 * the windows stay; the new KWin's script reports again. */
		log_info("kde: KWin left the session bus; waiting for it");
		k->load_pending = false;
	}
	update_deadline(b);
	return 0;
}

static int
pump(struct backend *b)
{
	struct kde *k = b->data;
	int rc;

	do
		rc = sd_bus_process(k->bus, NULL);
	while (rc > 0);
	if (rc == 0)
		rc = sd_bus_flush(k->bus);
	if (rc >= 0 && !sd_bus_is_open(k->bus))
		rc = -ECONNRESET;
	if (rc < 0) {
		log_error("lost the session bus: %s", strerror(-rc));
		return rc;
	}
	return 0;
}

static int
kde_prepare(struct backend *b)
{
	return pump(b);
}

static int
kde_dispatch(struct backend *b)
{
	return pump(b);
}

static int
kde_timeout(struct backend *b)
{
	struct kde *k = b->data;
	uint64_t now = now_ms();
	int rc = 0;

	if (k->none_at_ms && now >= k->none_at_ms) {
		struct focus_info none = { 0 };

		k->none_at_ms = 0;
		report_focus(b->report, &none, k->none_time_ns);
	}
	if (k->silence_at_ms && now >= k->silence_at_ms) {
		k->silence_at_ms = 0;
		log_warn("the KWin script %s was started but has not reported "
			 "in %d s: does KWin log a script error?", k->script,
			 SILENCE_WARN_MS / 1000);
	}
	if (k->candidate && now >= k->recheck_at_ms && recheck_candidate(k)) {
		adopt_kwin(k);
	}
	if (k->load_pending && now >= k->load_at_ms)
		rc = try_load(b);
	update_deadline(b);
	return rc;
}

/* Started with the session, we may be a moment ahead of KWin. */
static int
wait_for_kwin(struct kde *k)
{
	uint64_t until = now_ms() + KWIN_START_WAIT_MS, now;
	int rc;

	log_info("kde: KWin is not on the session bus yet; waiting up to %d s",
		 KWIN_START_WAIT_MS / 1000);
	while (!k->kwin && (now = now_ms()) < until) {
		uint64_t wake = until;

		if (k->candidate && now >= k->recheck_at_ms && recheck_candidate(k))
			break;
		if (k->candidate && k->recheck_at_ms < wake)
			wake = k->recheck_at_ms;
		rc = sd_bus_process(k->bus, NULL);
		if (rc == 0 && wake > now)
			rc = sd_bus_wait(k->bus, (wake - now) * 1000);
		if (rc < 0)
			return rc;
	}
	if (!k->kwin) {
		log_error("KWin is not on the session bus (nobody owns "
			  KWIN_NAME "): not a KDE Plasma session");
		return -ENXIO;
	}
	return 0;
}

static int
kde_open(struct backend *b)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	const char *script = getenv("TASKTRACE_KWIN_SCRIPT");
	const char *owner;
	struct kde *k;
	int rc;

	if (!script || !*script)
		script = TT_KWIN_SCRIPT;
	k = calloc(1, sizeof(*k));
	if (!k)
		return -ENOMEM;
	b->data = k;
	/* KWin reads the file itself, from its own working directory. */
	if (!realpath(script, k->script) || access(k->script, R_OK) < 0) {
		rc = -errno;
		log_error("KWin script %s: %s", script, strerror(errno));
		goto fail;
	}

	rc = sd_bus_open_user(&k->bus);
	if (rc < 0) {
		log_error("cannot connect to the session bus: %s", strerror(-rc));
		goto fail;
	}
	/* Watch KWin's name before asking who owns it: no gap. */
	rc = sd_bus_add_match(k->bus, NULL,
			      "type='signal',sender='org.freedesktop.DBus',"
			      "path='/org/freedesktop/DBus',"
			      "interface='org.freedesktop.DBus',"
			      "member='NameOwnerChanged',arg0='" KWIN_NAME "'",
			      on_owner_changed, b);
	if (rc >= 0)
		rc = sd_bus_call_method(k->bus, "org.freedesktop.DBus",
					"/org/freedesktop/DBus",
					"org.freedesktop.DBus", "GetNameOwner",
					&err, &reply, "s", KWIN_NAME);
	if (rc >= 0) {
		rc = sd_bus_message_read(reply, "s", &owner);
		/* Refused (logged): as if KWin were not there yet. */
		if (rc >= 0 && !set_owner(k, owner))
			rc = b->probe ? -ENXIO : wait_for_kwin(k);
	} else if (sd_bus_error_has_name(&err, SD_BUS_ERROR_NAME_HAS_NO_OWNER)) {
		/* A probe (another backend follows, e.g. x11 in a Plasma X11
		 * session): no waiting, let the next one try. */
		if (b->probe) {
			log_info("kde: KWin is not on the session bus; trying the next backend");
			rc = -ENXIO;
		} else {
			rc = wait_for_kwin(k);
		}
	} else {
		log_error("session bus: %s",
			  err.message ? err.message : strerror(-rc));
	}
	if (rc < 0)
		goto fail;

	rc = sd_bus_add_object_vtable(k->bus, NULL, OUR_PATH, OUR_IFACE,
				      focus_vtable, b);
	if (rc >= 0)
		rc = sd_bus_request_name(k->bus, OUR_NAME, 0);
	if (rc == -EEXIST) {
		log_error("another collector already owns " OUR_NAME
			  " on this session bus");
		goto fail;
	}
	if (rc < 0) {
		log_error("cannot own " OUR_NAME " on the session bus: %s",
			  strerror(-rc));
		goto fail;
	}

	rc = try_load(b);
	if (rc < 0)
		goto fail;
	b->fd = sd_bus_get_fd(k->bus);
	if (b->fd < 0) {
		rc = b->fd;
		goto fail;
	}
	sd_bus_message_unref(reply);
	sd_bus_error_free(&err);
	return 0;

fail:
	sd_bus_message_unref(reply);
	sd_bus_error_free(&err);
	sd_bus_flush_close_unref(k->bus);
	free(k->kwin);
	free(k->candidate);
	free(k);
	b->data = NULL;
	return rc;
}

static void
kde_close(struct backend *b)
{
	struct kde *k = b->data;

	if (!k)
		return;
	if (k->bus && k->kwin)
		unload_script(k, KWIN_CALL_TIMEOUT_US / 4, NULL);
	sd_bus_flush_close_unref(k->bus);
	free(k->kwin);
	free(k->candidate);
	free(k);
	b->data = NULL;
}

const struct backend_interface backend_kde = {
	.name = "kde",
	.open = kde_open,
	.prepare = kde_prepare,
	.dispatch = kde_dispatch,
	.timeout = kde_timeout,
	.close = kde_close,
};
