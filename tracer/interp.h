/* SPDX-License-Identifier: MIT */
/*
 * tasktrace — the input interpreter.
 *
 * The interpreter turns *normalised input events* (what libinput reports,
 * plus context: focus, session, devices, lost events) into records
 * (record.h). It is pure: no I/O, no clock, no allocation after
 * interp_new() except for the small queue of held-back records. Time is
 * whatever the events say (microseconds, CLOCK_MONOTONIC in the daemon,
 * virtual in the tests); the caller asks for the next deadline and feeds
 * an INTERP_EV_TIMEOUT event when it passes, as keyd's kbd_process_events()
 * does.
 *
 * Privacy is decided here, not later:
 *  - text keys are folded into typing bursts that keep only a start time,
 *    the time of the last key and a count per class; neither the code nor
 *    the time of a text key survives the burst (the burst is wiped with
 *    explicit_bzero() when it closes);
 *  - a burst of fewer than min_burst_keys keys (a password and Enter at a
 *    prompt) is stored as "fewer than N keys" only: no counts, no reason
 *    it closed (TT_BURST_HIDDEN), its start moved back and its end on to
 *    multiples of INTERP_COARSE_NS of wall-clock time, so that neither its
 *    length nor its composition can be read from it or from its duration.
 *    The start never moves back past an earlier event, so records keep
 *    their order;
 *  - a longer burst keeps its counts rounded to the nearest multiple of
 *    INTERP_COUNT_ROUND, which hides its exact length;
 *  - with no active user session, or a locked one, no typing, key or other
 *    input record is produced — only lock, idle and other markers;
 *  - while a deny-listed application has focus, nothing but its focus
 *    record is produced;
 *  - while the element in front is secret (a password field, or a text
 *    field the tracer's policy treats as one: INTERP_EV_ELEMENT with
 *    @c secret), every key pressed — text, shortcut or not — goes into a
 *    *hidden* burst (tt_record_burst_hidden()): no count, no size class,
 *    no key record, its times on the coarse grid like a short burst's. A
 *    burst open when a secret element comes to the front becomes hidden
 *    too: keys typed before the element's report arrived would otherwise
 *    count in it.
 *
 * Every record carries the element in front when it started (@c element,
 * a string id the caller interned after its own policy); a focus change
 * clears it, a new element closes an open burst (end TT_BURST_FOCUS) and
 * becomes the element of the buttons still held (a click that moved the
 * focus, or an element found by hit-testing the click).
 *
 * Records come out through the sink in (time, seq) order: a record that
 * finishes while an earlier-starting aggregate (a burst, a held button, a
 * pointer gesture) is still open is held back until that aggregate closes
 * (a watermark). Sequence numbers are given on output, so they increase
 * with output order.
 */
#ifndef TT_INTERP_H
#define TT_INTERP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tasktrace/record.h"

/** No deadline. */
#define INTERP_NEVER UINT64_MAX

/** The grid, in wall-clock ns, that a short burst's start and end are
 *  moved to: 5 s, longer than 20 keys take at 60 ms a key and about as
 *  long as they take at 250 ms, so the cells a burst covers say little
 *  about how many keys it had. */
#define INTERP_COARSE_NS 5000000000ULL
/** Counts of a longer burst are rounded to a multiple of this. */
#define INTERP_COUNT_ROUND 5
/** The default of min_burst_keys. */
#define INTERP_MIN_BURST_KEYS 20

/** Key codes covered by a keymap: evdev KEY_* 0 … KEY_MAX. */
#define INTERP_KEY_CODES 0x300
#define INTERP_KEY_NAME_MAX 24

enum interp_event_type {
	INTERP_EV_TIMEOUT = 0,		/**< a deadline passed; only usec is used */
	INTERP_EV_KEY,			/**< a keyboard key (KEY_*) */
	INTERP_EV_BUTTON,		/**< a pointer button (BTN_LEFT …) */
	INTERP_EV_AXIS,			/**< scrolling on one axis */
	INTERP_EV_MOTION,		/**< relative pointer motion, unaccelerated */
	INTERP_EV_TOUCH_DOWN,
	INTERP_EV_TOUCH_MOTION,
	INTERP_EV_TOUCH_UP,
	INTERP_EV_TOUCH_CANCEL,		/**< the whole touch sequence is cancelled */
	INTERP_EV_GESTURE_BEGIN,
	INTERP_EV_GESTURE_UPDATE,
	INTERP_EV_GESTURE_END,
	INTERP_EV_TABLET_PROXIMITY,	/**< tool in (state 1) or out (0) */
	INTERP_EV_TABLET_TIP,		/**< tip down (1) or up (0) */
	INTERP_EV_TABLET_MOTION,	/**< tool position, in mm */
	INTERP_EV_TABLET_BUTTON,	/**< tool or pad button */
	INTERP_EV_FOCUS,		/**< the focused application changed */
	INTERP_EV_SESSION,		/**< the seat's session or its lock state changed */
	INTERP_EV_DEVICE_ADDED,
	INTERP_EV_DEVICE_REMOVED,
	INTERP_EV_SYN_DROPPED,		/**< the kernel dropped events of a device */
	INTERP_EV_ELEMENT,		/**< the UI element in front changed */
	INTERP_EV_TYPE_COUNT
};

enum interp_key_state {
	INTERP_KEY_RELEASED = 0,
	INTERP_KEY_PRESSED = 1,
	INTERP_KEY_REPEAT = 2,		/**< autorepeat: never a press */
};

enum interp_session_state {
	INTERP_SESSION_NONE = 0,	/**< no active user session on the seat */
	INTERP_SESSION_ACTIVE,
	INTERP_SESSION_LOCKED,
};

/**
 * One normalised input event. @c usec is the event's time in microseconds
 * (monotonic); @c device the store id of the device it came from (0 for
 * context events).
 */
struct interp_event {
	enum interp_event_type type;
	uint64_t usec;
	uint32_t device;
	union {
		struct {
			uint16_t code;		/**< evdev KEY_* */
			uint8_t state;		/**< enum interp_key_state */
		} key;
		struct {
			uint16_t button;	/**< evdev BTN_* */
			uint8_t pressed;
		} button;
		struct {
			int32_t v120;		/**< signed, 120 = one wheel click; 0 = scroll stop */
			uint8_t axis;		/**< enum tt_scroll_axis */
			uint8_t source;		/**< enum tt_scroll_source */
		} axis;
		struct {
			double dx, dy;		/**< unaccelerated device units */
		} motion;
		struct {
			int32_t slot;		/**< 0 … 15 */
			double x, y;		/**< mm */
		} touch;
		struct {
			double scale;		/**< pinch: current scale (1.0 at begin) */
			uint8_t type;		/**< enum tt_gesture_type */
			uint8_t fingers;
			uint8_t cancelled;	/**< GESTURE_END only */
		} gesture;
		struct {
			double x, y;		/**< mm, TABLET_MOTION and TIP */
			uint16_t tool;		/**< BTN_TOOL_PEN …, or the button code */
			uint8_t state;		/**< proximity in / tip down / pressed */
		} tablet;
		struct {
			uint32_t app, title, exe, backend;	/**< string ids */
			uint32_t pid;
			uint8_t flags;		/**< enum tt_focus_flag */
		} focus;
		struct {
			uint32_t session;	/**< store session id; 0 = none */
			uint32_t uid;		/**< TT_UID_NONE with no session */
			uint8_t state;		/**< enum interp_session_state */
		} session;
		struct {
			uint32_t lost;		/**< events lost, when known */
		} gap;
		struct {
			uint32_t element;	/**< string id; 0 = none */
			uint8_t secret;		/**< keys typed into it are hidden */
		} element;
	} u;
};

/** What a key is for the interpreter. */
enum interp_key_role {
	INTERP_ROLE_IGNORE = 0,		/**< no symbol: nothing recorded */
	INTERP_ROLE_TEXT,		/**< arg: enum tt_key_class */
	INTERP_ROLE_MODIFIER,		/**< arg: enum tt_mod bit, 0 for locks */
	INTERP_ROLE_NONTEXT,		/**< F-keys, arrows, Escape, media … */
};

/**
 * How keys are classified and named: one entry per evdev code. Built from
 * a fixed physical (US) table by keymap_init_physical() or from an
 * xkbcommon keymap by keymap_xkb_apply(); the interpreter only reads it.
 */
struct interp_keymap {
	uint8_t role[INTERP_KEY_CODES];
	uint8_t arg[INTERP_KEY_CODES];
	/** Class of a text key with Shift [0], AltGr [1], both [2] held:
	 *  what the layout types then (Shift+7 is '&' on a US layout). */
	uint8_t level_class[3][INTERP_KEY_CODES];
	/** Name used in key records: "Z", "F5", "PageDown", "Tab". */
	char name[INTERP_KEY_CODES][INTERP_KEY_NAME_MAX];
};

/** Fill @p km with the physical table (US names, evdev codes). */
void
keymap_init_physical(struct interp_keymap *km);

/** Tunables; interp_config_defaults() gives the documented defaults. */
struct interp_config {
	uint64_t typing_pause_usec;	/**< a burst ends after this pause; 1.5 s */
	uint64_t typing_max_usec;	/**< a burst is split at this length; 5 min */
	uint64_t double_click_usec;	/**< multi-click window; 400 ms */
	uint64_t scroll_pause_usec;	/**< a scroll record ends; 300 ms */
	uint64_t motion_pause_usec;	/**< a pointer gesture ends; 300 ms */
	uint64_t aggregate_max_usec;	/**< motion/scroll/touch split; 60 s */
	uint64_t idle_usec;		/**< idle after no input; 5 min; 0 = never */
	size_t max_pending;		/**< held-back records before forcing; 4096 */
	/** A burst of fewer keys is stored in the coarse form; 20. 0 or 1:
	 *  never (counts are still rounded). */
	uint32_t min_burst_keys;
	/** Counts of a longer burst are rounded to a multiple of this;
	 *  INTERP_COUNT_ROUND. 0 or 1: exact (tests of the burst rules). */
	uint32_t count_round;
};

void
interp_config_defaults(struct interp_config *cfg);

/**
 * Where records go. @c emit receives each record once, in order, with
 * its seq set; the pointer is valid only during the call. @c intern turns
 * a key name into a string id (0 on failure: the record keeps name 0).
 */
struct interp_sink {
	void (*emit)(void *data, const struct tt_record *r);
	uint32_t (*intern)(void *data, const char *str, size_t len);
	void *data;
};

struct interp;

/**
 * Create an interpreter. @p km is copied; @p cfg may be NULL for the
 * defaults. @p first_seq is the seq of the first record emitted.
 *
 * @return 0 or -ENOMEM.
 */
int
interp_new(struct interp **out, const struct interp_config *cfg,
	   const struct interp_keymap *km, const struct interp_sink *sink,
	   uint64_t first_seq);

/**
 * Mark every string id the interpreter holds for records it has not
 * emitted yet (the context, open aggregates, held-back records, the
 * key-name cache), so that a purge of the store keeps those strings.
 */
void
interp_mark_strings(const struct interp *it, void (*mark)(void *set, uint32_t id),
		    void *set);

/** Free the interpreter. Records still held back are lost: flush first. */
void
interp_destroy(struct interp *it);

/** Replace the configuration (SIGHUP); open aggregates keep going. */
void
interp_set_config(struct interp *it, const struct interp_config *cfg);

/** Replace the keymap (layout change). Held modifiers are kept. */
void
interp_set_keymap(struct interp *it, const struct interp_keymap *km);

/**
 * Records carry wall-clock nanoseconds: time_ns = usec × 1000 + offset.
 * The daemon sets the offset (CLOCK_REALTIME − CLOCK_MONOTONIC) at start
 * and after a suspend; the tests leave it 0.
 */
void
interp_set_clock_offset(struct interp *it, int64_t offset_ns);

/**
 * Process @p n events, in time order.
 *
 * @return the absolute time (usec) at which an INTERP_EV_TIMEOUT event is
 *         due, or INTERP_NEVER.
 */
uint64_t
interp_process(struct interp *it, const struct interp_event *ev, size_t n);

/**
 * Close everything open at @p usec (bursts end with TT_BURST_LOCK) and
 * emit every held-back record: the tracer stops or the store must see
 * everything now.
 */
void
interp_flush(struct interp *it, uint64_t usec);

/** Seq of the next record to be emitted. */
uint64_t
interp_next_seq(const struct interp *it);

/**
 * A gap decided outside the input stream (a user's pause): from @p start
 * to @p end (monotonic usec), of user @p uid, for @p reason (enum
 * tt_gap_reason). It takes its place in time order among the records.
 */
void
interp_mark_gap(struct interp *it, uint64_t start, uint64_t end, uint32_t uid,
		uint8_t reason);

/** Records emitted so far. */
uint64_t
interp_records(const struct interp *it);

/**
 * For tests only: the interpreter's own state as bytes, so a test can show
 * that nothing of a closed burst (a key time) is left in it.
 */
void
interp_debug_state(const struct interp *it, const void **bytes, size_t *len);

#endif /* TT_INTERP_H */
