/* SPDX-License-Identifier: MIT */
/*
 * From libinput events to the interpreter's normalised events. libinput
 * has already done the hard work (frames, SYN_DROPPED resync, touchpad
 * tapping and gestures, scroll methods); this only picks the fields the
 * interpreter needs and converts units:
 *  - scroll: wheels in v120 as libinput reports them; finger and
 *    continuous scrolling come in motion units, converted at 15 units per
 *    wheel click (8 v120 per unit), libinput's own equivalence;
 *  - absolute pointers (tablets in VMs) become relative motion in mm;
 *  - tablet pad buttons become BTN_0 + their number.
 */
#ifndef TT_TRACER_NORMALISE_H
#define TT_TRACER_NORMALISE_H

#include <libinput.h>
#include <stdbool.h>
#include <stddef.h>

#include "interp.h"

/** What normalising needs to remember per device. */
struct normalise_device {
	uint32_t id;		/* store device id */
	bool have_abs;
	double abs_x, abs_y;	/* last absolute pointer position, mm */
};

/** At most this many interpreter events come from one libinput event. */
#define NORMALISE_MAX 2

/**
 * Convert @p ev. Device added/removed events are not handled here.
 *
 * @return the number of events written to @p out (0: nothing for us).
 */
size_t
normalise_event(struct libinput_event *ev, struct normalise_device *dev,
		struct interp_event out[NORMALISE_MAX]);

#endif
