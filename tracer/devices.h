/* SPDX-License-Identifier: MIT */
/*
 * Device identity. A device is known by bus:vendor:product plus a hash of
 * its name and capability bits, because VID:PID alone collides across the
 * nodes of one composite device (keyd's reasoning). Classes come from
 * udev's ID_INPUT_* properties, i.e. from capabilities, not from the events
 * seen. Virtual devices (uinput, remappers such as keyd) are traced like
 * any other: that is where the person's keys are when a remapper grabs the
 * keyboard. Only our own udev property TASKTRACE_IGNORE=1 excludes one.
 */
#ifndef TT_TRACER_DEVICES_H
#define TT_TRACER_DEVICES_H

#include <stdbool.h>

#include "tasktrace/store.h"

struct udev_device;

/** What identifies a device, as strings from udev/sysfs. */
struct device_props {
	const char *name;
	const char *bustype, *vendor, *product;	/* hex, as in sysfs id/ */
	const char *caps[4];			/* capabilities/ev, key, rel, abs */
	const char *id_input[10];		/* ID_INPUT_KEYBOARD … values */
	const char *ignore;			/* TASKTRACE_IGNORE */
};

/**
 * Fill @p info (ident, name, ids, classes) from @p props; pure.
 *
 * @return true when the device is to be traced, false when it carries
 *         TASKTRACE_IGNORE=1.
 */
bool
device_info_from_props(struct tt_device_info *info, const struct device_props *props);

/**
 * Read the properties of the evdev node @p dev (and its parent input
 * device) and fill @p info as device_info_from_props() does.
 */
bool
device_info_from_udev(struct tt_device_info *info, struct udev_device *dev);

#endif
