/* SPDX-License-Identifier: MIT */
/*
 * Actions: the event-log view of records.
 *
 * Each record that is something a person did in an application becomes
 * one action: "Type" (a typing burst), "Shortcut Ctrl+C", "Key F5",
 * "Click", "Double-click", "Triple-click", "Right-click", "Middle-click",
 * "Scroll", "Switch to <app>", "Idle", "Lock", "Unlock",
 * "Gesture 3-finger swipe", "Touch", "Pen", "Pen button". Pointer motion,
 * "active", session, device and gap records, title-only focus changes and
 * tablet proximity are not actions; neither are records that belong to
 * no user (uid TT_UID_NONE): an event log's events need a resource.
 *
 * Each action also gets a case, by one of three notions:
 *
 *   user-day   (default) the user and the UTC date of the action's start:
 *              "alice/2026-11-26". UTC, not local time, because the store
 *              keeps no time zone per user and an export must not change
 *              with the TZ of the machine that runs it.
 *   session    the store session: "alice/session-7".
 *   focus      a new case at each application switch ("Switch to …"
 *              starts it), named like idle-gap cases.
 *   idle-gap   a task instance: a new case starts when a user's input
 *              action starts more than the gap after that user's previous
 *              input ended. "Idle" and "Lock" are markers, not input: they
 *              stay in the case they close. The case is named after its
 *              first action: "alice/2026-11-26T09:15:02.123Z".
 *              "idle" alone cuts where the tracer marks the person idle
 *              (its idle threshold), the notion tasktrace.conf(5) names.
 *
 * Streaming: actions_feed() sees each record once, in store order, and
 * keeps only per-user and per-session state (a few hundred bytes per
 * user), never per-record state.
 */
#ifndef TT_MINING_ACTIONS_H
#define TT_MINING_ACTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tasktrace/record.h"
#include "tasktrace/store.h"

struct pseudo;

enum actions_case {
	ACTIONS_CASE_USER_DAY = 0,
	ACTIONS_CASE_SESSION,
	ACTIONS_CASE_IDLE_GAP,
	ACTIONS_CASE_FOCUS,
};

/**
 * Parse a --case argument: "user-day", "session", "focus", "idle" or
 * "idle-gap=DURATION" (DURATION as for tt_parse_duration(): 90s, 10m,
 * 1.5h). "idle" cuts at gaps longer than @p idle_ns, the tracer's idle
 * threshold (tasktrace.conf [input] idle_threshold).
 * @return 0 or -EINVAL.
 */
int
actions_parse_case(const char *s, uint64_t idle_ns, enum actions_case *mode,
		   uint64_t *gap_ns);

/**
 * Where names come from: the store's reader in the CLI, a table in tests.
 * Strings returned by @c string stay valid for the whole export.
 */
struct actions_source {
	int (*string)(void *ctx, uint32_t id, const char **s, size_t *len);
	int (*session)(void *ctx, uint32_t id, struct tt_session_info *out);
	void *ctx;
};

/*
 * Interned strings repeat on every record (the app, the title): a small
 * direct-mapped cache of a reader's strings keeps LMDB look-ups off the
 * per-record path, for an actions_source's string(). Zeroed: empty. The
 * pointers stay valid as long as the reader is open.
 */
#define ACTIONS_STRING_SLOTS 4096

struct actions_strings {
	struct {
		uint32_t id, len;
		const char *s;
	} slot[ACTIONS_STRING_SLOTS];
};

/** String @p id of @p rd, through the cache @p c; a store error else. */
int
actions_string_cached(struct actions_strings *c, struct tt_reader *rd, uint32_t id,
		      const char **s, size_t *len);

struct actions_options {
	enum actions_case case_mode;
	uint64_t idle_gap_ns;		/**< ACTIONS_CASE_IDLE_GAP */
	const struct pseudo *pseudo;	/**< NULL: real user and host names */
	const char *host;		/**< the store's host id */
	bool activity_element;		/**< the element in the activity name:
					     "Click 'Post' push button" (export
					     --activity element); default: not */
};

/** One action. Everything it points to is valid until the next feed. */
struct action {
	const struct tt_record *rec;
	uint64_t start_ns;
	uint64_t end_ns;
	uint64_t seq;			/**< 1, 2, …: order of the actions fed */
	const char *activity;		/**< NUL-terminated */
	size_t activity_len;
	const char *app;		/**< application id; "" when none */
	size_t app_len;
	const char *title;		/**< window title, as stored; "" when none */
	size_t title_len;
	const char *element;		/**< element string (element.h); "" when none */
	size_t element_len;
	const char *user;		/**< name, "uid-N", or pseudonym */
	const char *host;		/**< host id or pseudonym */
	const char *case_id;		/**< NUL-terminated */
	uint32_t uid;
	uint32_t session;
	bool new_case;			/**< first action of its case so far */
};

struct actions;

int
actions_new(struct actions **out, const struct actions_options *opts,
	    const struct actions_source *src);

void
actions_free(struct actions *a);

/**
 * Turn @p r into an action.
 *
 * @retval 1  @p out holds an action
 * @retval 0  the record is not an action
 * @retval <0 an error (-ENOMEM, or the source's error)
 */
int
actions_feed(struct actions *a, const struct tt_record *r, struct action *out);

/**
 * A window title folded into its class, the context of an action: in
 * each word every run of digits (numbers, ids, dates, times) becomes "#"
 * ("Sheet1" → "Sheet#", "2026-01-05" → "#-#-#"), a word of eight or more
 * hex digits and dashes holding a digit (hashes, UUIDs) "#", a word
 * holding an '@' (e-mail addresses) "<email>", so that
 * "Invoice 4711 – calc" and "Invoice 4712 – calc" are one context.
 * Writes at most @p size - 1 bytes and a NUL; returns the length.
 */
size_t
actions_title_class(const char *s, size_t len, char *out, size_t size);

/** The display name of a session's user (pseudonymised when asked). */
int
actions_user(struct actions *a, uint32_t session, const char **user);

#endif /* TT_MINING_ACTIONS_H */
