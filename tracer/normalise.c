/* SPDX-License-Identifier: MIT */
/* libinput events → interpreter events; see normalise.h. */
#include <linux/input-event-codes.h>
#include <math.h>
#include <string.h>

#include "normalise.h"

#define V120_PER_UNIT 8.0

static uint16_t
tool_code(struct libinput_tablet_tool *tool)
{
	switch (libinput_tablet_tool_get_type(tool)) {
	case LIBINPUT_TABLET_TOOL_TYPE_PEN: return BTN_TOOL_PEN;
	case LIBINPUT_TABLET_TOOL_TYPE_ERASER: return BTN_TOOL_RUBBER;
	case LIBINPUT_TABLET_TOOL_TYPE_BRUSH: return BTN_TOOL_BRUSH;
	case LIBINPUT_TABLET_TOOL_TYPE_PENCIL: return BTN_TOOL_PENCIL;
	case LIBINPUT_TABLET_TOOL_TYPE_AIRBRUSH: return BTN_TOOL_AIRBRUSH;
	case LIBINPUT_TABLET_TOOL_TYPE_MOUSE: return BTN_TOOL_MOUSE;
	case LIBINPUT_TABLET_TOOL_TYPE_LENS: return BTN_TOOL_LENS;
	default: return BTN_TOOL_PEN;
	}
}

static size_t
scroll(struct libinput_event_pointer *p, enum libinput_event_type type,
       struct interp_event *out, const struct interp_event *proto)
{
	static const enum libinput_pointer_axis axes[2] = {
		LIBINPUT_POINTER_AXIS_SCROLL_VERTICAL,
		LIBINPUT_POINTER_AXIS_SCROLL_HORIZONTAL,
	};
	size_t n = 0;

	for (int a = 0; a < 2; a++) {
		double v;

		if (!libinput_event_pointer_has_axis(p, axes[a]))
			continue;
		out[n] = *proto;
		out[n].type = INTERP_EV_AXIS;
		out[n].u.axis.axis = (uint8_t)a;
		if (type == LIBINPUT_EVENT_POINTER_SCROLL_WHEEL) {
			v = libinput_event_pointer_get_scroll_value_v120(p, axes[a]);
			out[n].u.axis.source = TT_SCROLL_WHEEL;
		} else {
			v = libinput_event_pointer_get_scroll_value(p, axes[a]) *
			    V120_PER_UNIT;
			out[n].u.axis.source = type == LIBINPUT_EVENT_POINTER_SCROLL_FINGER ?
					       TT_SCROLL_FINGER : TT_SCROLL_CONTINUOUS;
		}
		/* 0 means "scroll stop"; a tiny movement must not look like one */
		if (v != 0.0 && fabs(v) < 1.0)
			v = v < 0 ? -1.0 : 1.0;
		out[n].u.axis.v120 = (int32_t)lround(v);
		n++;
	}
	return n;
}

size_t
normalise_event(struct libinput_event *ev, struct normalise_device *dev,
		struct interp_event out[NORMALISE_MAX])
{
	enum libinput_event_type type = libinput_event_get_type(ev);
	struct interp_event e;

	memset(&e, 0, sizeof(e));
	e.device = dev->id;

	switch (type) {
	case LIBINPUT_EVENT_KEYBOARD_KEY: {
		struct libinput_event_keyboard *k = libinput_event_get_keyboard_event(ev);

		e.type = INTERP_EV_KEY;
		e.usec = libinput_event_keyboard_get_time_usec(k);
		e.u.key.code = (uint16_t)libinput_event_keyboard_get_key(k);
		e.u.key.state = libinput_event_keyboard_get_key_state(k) ==
				LIBINPUT_KEY_STATE_PRESSED ? INTERP_KEY_PRESSED :
				INTERP_KEY_RELEASED;
		break;
	}
	case LIBINPUT_EVENT_POINTER_MOTION: {
		struct libinput_event_pointer *p = libinput_event_get_pointer_event(ev);

		e.type = INTERP_EV_MOTION;
		e.usec = libinput_event_pointer_get_time_usec(p);
		e.u.motion.dx = libinput_event_pointer_get_dx_unaccelerated(p);
		e.u.motion.dy = libinput_event_pointer_get_dy_unaccelerated(p);
		break;
	}
	case LIBINPUT_EVENT_POINTER_MOTION_ABSOLUTE: {
		struct libinput_event_pointer *p = libinput_event_get_pointer_event(ev);
		double x = libinput_event_pointer_get_absolute_x(p);
		double y = libinput_event_pointer_get_absolute_y(p);

		e.type = INTERP_EV_MOTION;
		e.usec = libinput_event_pointer_get_time_usec(p);
		if (dev->have_abs) {
			e.u.motion.dx = x - dev->abs_x;
			e.u.motion.dy = y - dev->abs_y;
		}
		dev->have_abs = true;
		dev->abs_x = x;
		dev->abs_y = y;
		break;
	}
	case LIBINPUT_EVENT_POINTER_BUTTON: {
		struct libinput_event_pointer *p = libinput_event_get_pointer_event(ev);

		e.type = INTERP_EV_BUTTON;
		e.usec = libinput_event_pointer_get_time_usec(p);
		e.u.button.button = (uint16_t)libinput_event_pointer_get_button(p);
		e.u.button.pressed = libinput_event_pointer_get_button_state(p) ==
				     LIBINPUT_BUTTON_STATE_PRESSED;
		break;
	}
	case LIBINPUT_EVENT_POINTER_SCROLL_WHEEL:
	case LIBINPUT_EVENT_POINTER_SCROLL_FINGER:
	case LIBINPUT_EVENT_POINTER_SCROLL_CONTINUOUS: {
		struct libinput_event_pointer *p = libinput_event_get_pointer_event(ev);

		e.usec = libinput_event_pointer_get_time_usec(p);
		return scroll(p, type, out, &e);
	}
	case LIBINPUT_EVENT_TOUCH_DOWN:
	case LIBINPUT_EVENT_TOUCH_MOTION:
	case LIBINPUT_EVENT_TOUCH_UP:
	case LIBINPUT_EVENT_TOUCH_CANCEL: {
		struct libinput_event_touch *t = libinput_event_get_touch_event(ev);

		e.usec = libinput_event_touch_get_time_usec(t);
		if (type == LIBINPUT_EVENT_TOUCH_CANCEL) {
			e.type = INTERP_EV_TOUCH_CANCEL;
			break;
		}
		e.u.touch.slot = libinput_event_touch_get_slot(t);
		if (type == LIBINPUT_EVENT_TOUCH_UP) {
			e.type = INTERP_EV_TOUCH_UP;
			break;
		}
		e.type = type == LIBINPUT_EVENT_TOUCH_DOWN ? INTERP_EV_TOUCH_DOWN :
			 INTERP_EV_TOUCH_MOTION;
		e.u.touch.x = libinput_event_touch_get_x(t);
		e.u.touch.y = libinput_event_touch_get_y(t);
		break;
	}
	case LIBINPUT_EVENT_GESTURE_SWIPE_BEGIN:
	case LIBINPUT_EVENT_GESTURE_PINCH_BEGIN:
	case LIBINPUT_EVENT_GESTURE_HOLD_BEGIN:
	case LIBINPUT_EVENT_GESTURE_SWIPE_UPDATE:
	case LIBINPUT_EVENT_GESTURE_PINCH_UPDATE:
	case LIBINPUT_EVENT_GESTURE_SWIPE_END:
	case LIBINPUT_EVENT_GESTURE_PINCH_END:
	case LIBINPUT_EVENT_GESTURE_HOLD_END: {
		struct libinput_event_gesture *g = libinput_event_get_gesture_event(ev);

		e.usec = libinput_event_gesture_get_time_usec(g);
		switch (type) {
		case LIBINPUT_EVENT_GESTURE_SWIPE_BEGIN:
		case LIBINPUT_EVENT_GESTURE_PINCH_BEGIN:
		case LIBINPUT_EVENT_GESTURE_HOLD_BEGIN:
			e.type = INTERP_EV_GESTURE_BEGIN;
			e.u.gesture.type = type == LIBINPUT_EVENT_GESTURE_SWIPE_BEGIN ?
					   TT_GESTURE_SWIPE :
					   type == LIBINPUT_EVENT_GESTURE_PINCH_BEGIN ?
					   TT_GESTURE_PINCH : TT_GESTURE_HOLD;
			e.u.gesture.fingers =
				(uint8_t)libinput_event_gesture_get_finger_count(g);
			break;
		case LIBINPUT_EVENT_GESTURE_SWIPE_UPDATE:
			return 0;	/* nothing the record keeps */
		case LIBINPUT_EVENT_GESTURE_PINCH_UPDATE:
			e.type = INTERP_EV_GESTURE_UPDATE;
			e.u.gesture.scale = libinput_event_gesture_get_scale(g);
			break;
		default:
			e.type = INTERP_EV_GESTURE_END;
			e.u.gesture.cancelled =
				libinput_event_gesture_get_cancelled(g) != 0;
			break;
		}
		break;
	}
	case LIBINPUT_EVENT_TABLET_TOOL_PROXIMITY:
	case LIBINPUT_EVENT_TABLET_TOOL_TIP:
	case LIBINPUT_EVENT_TABLET_TOOL_AXIS:
	case LIBINPUT_EVENT_TABLET_TOOL_BUTTON: {
		struct libinput_event_tablet_tool *t = libinput_event_get_tablet_tool_event(ev);

		e.usec = libinput_event_tablet_tool_get_time_usec(t);
		e.u.tablet.tool = tool_code(libinput_event_tablet_tool_get_tool(t));
		e.u.tablet.x = libinput_event_tablet_tool_get_x(t);
		e.u.tablet.y = libinput_event_tablet_tool_get_y(t);
		if (type == LIBINPUT_EVENT_TABLET_TOOL_PROXIMITY) {
			e.type = INTERP_EV_TABLET_PROXIMITY;
			e.u.tablet.state = libinput_event_tablet_tool_get_proximity_state(t) ==
					   LIBINPUT_TABLET_TOOL_PROXIMITY_STATE_IN;
		} else if (type == LIBINPUT_EVENT_TABLET_TOOL_TIP) {
			e.type = INTERP_EV_TABLET_TIP;
			e.u.tablet.state = libinput_event_tablet_tool_get_tip_state(t) ==
					   LIBINPUT_TABLET_TOOL_TIP_DOWN;
		} else if (type == LIBINPUT_EVENT_TABLET_TOOL_AXIS) {
			e.type = INTERP_EV_TABLET_MOTION;
		} else {
			e.type = INTERP_EV_TABLET_BUTTON;
			e.u.tablet.tool = (uint16_t)libinput_event_tablet_tool_get_button(t);
			e.u.tablet.state = libinput_event_tablet_tool_get_button_state(t) ==
					   LIBINPUT_BUTTON_STATE_PRESSED;
		}
		break;
	}
	case LIBINPUT_EVENT_TABLET_PAD_BUTTON: {
		struct libinput_event_tablet_pad *p = libinput_event_get_tablet_pad_event(ev);

		e.type = INTERP_EV_TABLET_BUTTON;
		e.usec = libinput_event_tablet_pad_get_time_usec(p);
		e.u.tablet.tool = (uint16_t)(BTN_0 + libinput_event_tablet_pad_get_button_number(p));
		e.u.tablet.state = libinput_event_tablet_pad_get_button_state(p) ==
				   LIBINPUT_BUTTON_STATE_PRESSED;
		break;
	}
	default:
		return 0;
	}
	out[0] = e;
	return 1;
}
