/* SPDX-License-Identifier: MIT */
/* Names of the record model's enumerations and the well-formedness check. */
#include <string.h>

#include "tasktrace/record.h"

static const char *const kind_names[TT_KIND_MAX + 1] = {
	[TT_KIND_TYPING] = "typing",	[TT_KIND_KEY] = "key",
	[TT_KIND_BUTTON] = "button",	[TT_KIND_SCROLL] = "scroll",
	[TT_KIND_MOTION] = "motion",	[TT_KIND_TOUCH] = "touch",
	[TT_KIND_GESTURE] = "gesture",	[TT_KIND_TABLET] = "tablet",
	[TT_KIND_FOCUS] = "focus",	[TT_KIND_IDLE] = "idle",
	[TT_KIND_ACTIVE] = "active",	[TT_KIND_LOCK] = "lock",
	[TT_KIND_UNLOCK] = "unlock",	[TT_KIND_SESSION] = "session",
	[TT_KIND_DEVICE] = "device",	[TT_KIND_GAP] = "gap",
};

static const char *const class_names[TT_CLASS_COUNT] = {
	"letter", "digit", "punct", "space", "enter", "tab", "erase", "modifier",
};

static const char *const burst_end_names[TT_BURST_END_MAX + 1] = {
	"pause", "focus", "click", "shortcut", "nontext", "lock", "maxlen",
	"hidden",
};

static const char *const gap_names[TT_GAP_REASON_MAX + 1] = {
	"syn-dropped", "tracer-stop", "tracer-start", "overflow", "paused-by-user",
};

static const char *const source_names[TT_SCROLL_SOURCE_MAX + 1] = {
	"wheel", "finger", "continuous", "tilt",
};

static const char *const gesture_names[TT_GESTURE_TYPE_MAX + 1] = {
	"swipe", "pinch", "hold",
};

static const char *const tablet_names[TT_TABLET_EVENT_MAX + 1] = {
	"proximity", "tip", "button",
};

#define NAME_OR_UNKNOWN(table, i) \
	((i) < sizeof(table) / sizeof((table)[0]) && (table)[i] ? (table)[i] : "?")

const char *
tt_kind_name(unsigned kind)
{
	if (kind < TT_KIND_MIN || kind > TT_KIND_MAX)
		return NULL;
	return kind_names[kind];
}

unsigned
tt_kind_from_name(const char *name)
{
	for (unsigned k = TT_KIND_MIN; k <= TT_KIND_MAX; k++)
		if (strcmp(kind_names[k], name) == 0)
			return k;
	return 0;
}

const char *
tt_key_class_name(unsigned cls)
{
	return NAME_OR_UNKNOWN(class_names, cls);
}

const char *
tt_burst_end_name(unsigned end)
{
	return NAME_OR_UNKNOWN(burst_end_names, end);
}

const char *
tt_gap_reason_name(unsigned reason)
{
	return NAME_OR_UNKNOWN(gap_names, reason);
}

const char *
tt_scroll_source_name(unsigned src)
{
	return NAME_OR_UNKNOWN(source_names, src);
}

const char *
tt_gesture_type_name(unsigned type)
{
	return NAME_OR_UNKNOWN(gesture_names, type);
}

const char *
tt_tablet_event_name(unsigned ev)
{
	return NAME_OR_UNKNOWN(tablet_names, ev);
}

/* A short burst says "fewer than N keys" and nothing else, a hidden burst
 * (under 0) not even that; only these hide what closed it. */
static bool
typing_valid(const struct tt_record *r)
{
	if (r->u.typing.end > TT_BURST_END_MAX ||
	    (r->u.typing.under != 0 && r->u.typing.end != TT_BURST_HIDDEN))
		return false;
	if (r->u.typing.end == TT_BURST_HIDDEN)
		for (unsigned c = 0; c < TT_CLASS_COUNT; c++)
			if (r->u.typing.count[c])
				return false;
	return true;
}

bool
tt_record_valid(const struct tt_record *r)
{
	switch (r->kind) {
	case TT_KIND_TYPING:
		return typing_valid(r);
	case TT_KIND_KEY:
		return (r->u.key.mods & ~TT_MOD_ALL) == 0;
	case TT_KIND_BUTTON:
		return (r->u.button.mods & ~TT_MOD_ALL) == 0;
	case TT_KIND_SCROLL:
		return r->u.scroll.axis <= TT_AXIS_HORIZONTAL &&
		       r->u.scroll.source <= TT_SCROLL_SOURCE_MAX;
	case TT_KIND_GESTURE:
		return r->u.gesture.type <= TT_GESTURE_TYPE_MAX &&
		       r->u.gesture.cancelled <= 1;
	case TT_KIND_TABLET:
		return r->u.tablet.event <= TT_TABLET_EVENT_MAX;
	case TT_KIND_FOCUS:
		return (r->u.focus.flags & ~TT_FOCUS_FLAGS_ALL) == 0;
	case TT_KIND_SESSION:
		return r->u.session.end <= 1;
	case TT_KIND_DEVICE:
		return r->u.device.removed <= 1;
	case TT_KIND_GAP:
		return r->u.gap.reason <= TT_GAP_REASON_MAX;
	case TT_KIND_MOTION:
	case TT_KIND_TOUCH:
	case TT_KIND_IDLE:
	case TT_KIND_ACTIVE:
	case TT_KIND_LOCK:
	case TT_KIND_UNLOCK:
		return true;
	default:
		return false;
	}
}
