/* SPDX-License-Identifier: MIT */
/*
 * tasktrace — the record model.
 *
 * A record is one interaction fact: a typing burst, a shortcut, a click,
 * a scroll, a pointer gesture, a focus change, a marker (idle, lock,
 * session, device, gap). Every record carries the same context (time,
 * sequence, session, user, device, focused application and window) and a
 * small kind-specific payload.
 *
 * Privacy is part of the model, not a filter applied later: there is no
 * field anywhere in a record that can hold the code or the per-key time of
 * a text key. A typing burst holds only its start, its duration, a count
 * per key class rounded to a multiple of a few keys, and what closed it;
 * a short burst (a password and Enter at a prompt) holds not even that:
 * only "fewer than N keys", with its times coarsened (interp.h).
 *
 * Records are stored in blocks (see codec.h); this header is the in-memory
 * form that the tracer produces and the readers receive.
 */
#ifndef TASKTRACE_RECORD_H
#define TASKTRACE_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** Record kinds. The numeric values are part of the storage format. */
enum tt_kind {
	TT_KIND_TYPING = 1,	/**< a burst of text keys */
	TT_KIND_KEY = 2,	/**< a shortcut or a non-text key, named */
	TT_KIND_BUTTON = 3,	/**< a click: press to release */
	TT_KIND_SCROLL = 4,	/**< scrolling on one axis */
	TT_KIND_MOTION = 5,	/**< one pointer gesture, aggregated */
	TT_KIND_TOUCH = 6,	/**< one touch sequence on a touchscreen */
	TT_KIND_GESTURE = 7,	/**< touchpad swipe, pinch or hold */
	TT_KIND_TABLET = 8,	/**< tablet tool proximity or tip */
	TT_KIND_FOCUS = 9,	/**< the focused application changed */
	TT_KIND_IDLE = 10,	/**< no input for the idle threshold */
	TT_KIND_ACTIVE = 11,	/**< input again after idle */
	TT_KIND_LOCK = 12,	/**< the session was locked */
	TT_KIND_UNLOCK = 13,	/**< the session was unlocked */
	TT_KIND_SESSION = 14,	/**< a session started or ended */
	TT_KIND_DEVICE = 15,	/**< an input device was added or removed */
	TT_KIND_GAP = 16,	/**< events were lost or not recorded */
};
#define TT_KIND_MIN 1
#define TT_KIND_MAX 16

/** Key classes counted in a typing burst. */
enum tt_key_class {
	TT_CLASS_LETTER = 0,
	TT_CLASS_DIGIT,
	TT_CLASS_PUNCT,
	TT_CLASS_SPACE,
	TT_CLASS_ENTER,
	TT_CLASS_TAB,
	TT_CLASS_ERASE,		/**< BackSpace, Delete */
	TT_CLASS_MODIFIER,	/**< a modifier pressed and released alone */
	TT_CLASS_COUNT
};

/** What closed a typing burst. */
enum tt_burst_end {
	TT_BURST_PAUSE = 0,
	TT_BURST_FOCUS,
	TT_BURST_CLICK,
	TT_BURST_SHORTCUT,
	TT_BURST_NONTEXT,
	TT_BURST_LOCK,		/**< lock, session change or tracer stop */
	TT_BURST_MAXLEN,	/**< split: the burst reached its maximum length */
	TT_BURST_HIDDEN,	/**< a short or a hidden burst: what closed it
				 *   is not kept (see tt_record_burst_hidden()) */
	TT_BURST_END_MAX = TT_BURST_HIDDEN
};

/** Modifier mask of key and button records. */
enum tt_mod {
	TT_MOD_SHIFT = 1 << 0,
	TT_MOD_CTRL = 1 << 1,
	TT_MOD_ALT = 1 << 2,
	TT_MOD_SUPER = 1 << 3,
	TT_MOD_ALTGR = 1 << 4,
	TT_MOD_ALL = 0x1f
};

enum tt_scroll_axis { TT_AXIS_VERTICAL = 0, TT_AXIS_HORIZONTAL = 1 };
enum tt_scroll_source {
	TT_SCROLL_WHEEL = 0,
	TT_SCROLL_FINGER,
	TT_SCROLL_CONTINUOUS,
	TT_SCROLL_TILT,
	TT_SCROLL_SOURCE_MAX = TT_SCROLL_TILT
};

enum tt_gesture_type {
	TT_GESTURE_SWIPE = 0,
	TT_GESTURE_PINCH,
	TT_GESTURE_HOLD,
	TT_GESTURE_TYPE_MAX = TT_GESTURE_HOLD
};

enum tt_tablet_event {
	TT_TABLET_PROXIMITY = 0,	/**< tool in proximity for dur_ns */
	TT_TABLET_TIP,			/**< tip down for dur_ns (a stroke) */
	TT_TABLET_BUTTON,		/**< a tool or pad button */
	TT_TABLET_EVENT_MAX = TT_TABLET_BUTTON
};

enum tt_gap_reason {
	TT_GAP_SYN_DROPPED = 0,	/**< the kernel dropped events */
	TT_GAP_TRACER_STOP,	/**< the tracer stopped; dur_ns until it started */
	TT_GAP_TRACER_START,	/**< the tracer started (after an unclean stop) */
	TT_GAP_OVERFLOW,	/**< the tracer could not keep up */
	TT_GAP_PAUSED,		/**< the user paused recording (tasktrace me pause);
				 *   uid is that user, dur_ns the paused time */
	TT_GAP_REASON_MAX = TT_GAP_PAUSED
};

/** Flags of a focus record. */
enum tt_focus_flag {
	TT_FOCUS_EXCLUDED = 1 << 0,	/**< deny-listed: nothing recorded while focused */
	TT_FOCUS_TITLE_REDACTED = 1 << 1,
	TT_FOCUS_TITLE_ONLY = 1 << 2,	/**< same window, new title */
	TT_FOCUS_FLAGS_ALL = 0x7
};

/**
 * One record.
 *
 * Times are wall-clock nanoseconds since the Unix epoch (UTC). Intervals
 * (a burst, a click from press to release, a gesture) start at @c time_ns
 * and last @c dur_ns; instants have @c dur_ns 0.
 *
 * String fields (@c app, @c title, @c element, key names, focus
 * executable) are ids of strings interned in the store; 0 means "none".
 * @c element is the UI element in front of the person when the record was
 * made (element.h: "role", "role\tname" or "role\tname\turl"), on every
 * kind; stores before schema 3 read as 0. @c session and @c device
 * are ids in the store's session and device tables; 0 means "none".
 */
struct tt_record {
	uint64_t time_ns;
	uint64_t dur_ns;
	uint64_t seq;		/**< per-boot sequence number of the tracer */
	uint32_t session;	/**< store session id, 0 = no session */
	uint32_t uid;		/**< owner of the session; UINT32_MAX = none */
	uint32_t device;	/**< store device id, 0 = none */
	uint32_t app;		/**< focused application id (string id) */
	uint32_t title;		/**< focused window title (string id) */
	uint32_t element;	/**< UI element in front (string id, element.h) */
	uint8_t kind;		/**< enum tt_kind */
	union {
		struct {
			uint32_t count[TT_CLASS_COUNT];
			uint8_t end;		/**< enum tt_burst_end */
			/** Nonzero: a short burst of fewer than @c under
			 *  keys; every count is 0 and @c end is
			 *  TT_BURST_HIDDEN. With @c end TT_BURST_HIDDEN
			 *  and @c under 0 the burst is *hidden*: typed
			 *  while a password field had the focus, it keeps
			 *  no count and no size class at all, only its
			 *  time (tt_record_burst_hidden()). */
			uint16_t under;
			/** Each count is a multiple of this (rounded to the
			 *  nearest); 0 or 1: exact (stores of schema 1). */
			uint8_t round;
		} typing;
		struct {
			uint32_t name;		/**< string id: "Ctrl+C", "F5" */
			uint16_t code;		/**< evdev code of the named key */
			uint8_t mods;		/**< enum tt_mod */
		} key;
		struct {
			uint16_t button;	/**< evdev code, BTN_LEFT … */
			uint8_t clicks;		/**< 1 single, 2 double, 3 triple */
			uint8_t mods;
		} button;
		struct {
			int32_t v120;		/**< total in v120 units; positive is down
						 *   or right (libinput's sign, the
						 *   opposite of evdev's REL_WHEEL) */
			uint32_t events;
			uint8_t axis;		/**< enum tt_scroll_axis */
			uint8_t source;		/**< enum tt_scroll_source */
		} scroll;
		struct {
			uint32_t distance;	/**< unaccelerated, 1/8 units */
			uint32_t events;
		} motion;
		struct {
			uint32_t distance;	/**< 1/8 mm of the first finger */
			uint32_t events;
			uint8_t fingers;	/**< most fingers down at once */
		} touch;
		struct {
			int32_t scale;		/**< pinch: final scale × 1000 */
			uint8_t type;		/**< enum tt_gesture_type */
			uint8_t fingers;
			uint8_t cancelled;
		} gesture;
		struct {
			uint32_t distance;	/**< pen travel while tip down, 1/8 mm */
			uint16_t tool;		/**< evdev BTN_TOOL_* code, or button */
			uint8_t event;		/**< enum tt_tablet_event */
		} tablet;
		struct {
			uint32_t exe;		/**< string id: executable path */
			uint32_t backend;	/**< string id: "x11", "sway", … */
			uint32_t pid;
			uint8_t flags;		/**< enum tt_focus_flag */
		} focus;
		struct {
			uint8_t end;		/**< 0 start, 1 end */
		} session;
		struct {
			uint8_t removed;	/**< 0 added, 1 removed */
		} device;
		struct {
			uint32_t lost;		/**< events lost, if known */
			uint8_t reason;		/**< enum tt_gap_reason */
		} gap;
	} u;
};

#define TT_UID_NONE UINT32_MAX

/**
 * Is @p r a hidden burst — keys typed while a password field had the
 * focus? Such a record is a typing record with every count 0, @c end
 * TT_BURST_HIDDEN and @c under 0 (no size class, whatever its length);
 * its element is the password field's ("password text"). Output prints it
 * as "hidden".
 */
static inline bool
tt_record_burst_hidden(const struct tt_record *r)
{
	return r->kind == TT_KIND_TYPING && r->u.typing.end == TT_BURST_HIDDEN &&
	       r->u.typing.under == 0;
}

/** The name of a kind ("typing", "key", …), or NULL when out of range. */
const char *
tt_kind_name(unsigned kind);

/** The kind for a name, or 0 when there is none. */
unsigned
tt_kind_from_name(const char *name);

/** Names of the enumerations, for output; "?" when out of range. */
const char *
tt_key_class_name(unsigned cls);
const char *
tt_burst_end_name(unsigned end);
const char *
tt_gap_reason_name(unsigned reason);
const char *
tt_scroll_source_name(unsigned src);
const char *
tt_gesture_type_name(unsigned type);
const char *
tt_tablet_event_name(unsigned ev);

/**
 * Check a record's fields against the model: kind in range, enum fields
 * in range, flags known. The codec calls this for every record it encodes
 * or decodes.
 *
 * @return true when the record is well-formed.
 */
bool
tt_record_valid(const struct tt_record *r);

#endif /* TASKTRACE_RECORD_H */
