/* SPDX-License-Identifier: MIT */
/* Device identity from udev; see devices.h. Tested in test-devices.c. */
#include <libudev.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devices.h"

/* the udev properties of the classes, in enum tt_device_class order */
static const char *const class_props[10] = {
	"ID_INPUT_KEYBOARD", "ID_INPUT_KEY", "ID_INPUT_MOUSE",
	"ID_INPUT_TOUCHPAD", "ID_INPUT_TOUCHSCREEN", "ID_INPUT_TABLET",
	"ID_INPUT_TABLET_PAD", "ID_INPUT_POINTINGSTICK", "ID_INPUT_TRACKBALL",
	"ID_INPUT_SWITCH",
};

static uint64_t
fnv1a(uint64_t h, const char *s)
{
	for (; s && *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	/* a separator, so that ("ab","c") and ("a","bc") differ */
	h ^= 0xff;
	h *= 0x100000001b3ULL;
	return h;
}

static uint16_t
hex16(const char *s)
{
	return s ? (uint16_t)strtoul(s, NULL, 16) : 0;
}

bool
device_info_from_props(struct tt_device_info *info, const struct device_props *p)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	memset(info, 0, sizeof(*info));
	info->bus = hex16(p->bustype);
	info->vendor = hex16(p->vendor);
	info->product = hex16(p->product);
	snprintf(info->name, sizeof(info->name), "%s", p->name ? p->name : "");
	h = fnv1a(h, p->name);
	for (size_t i = 0; i < 4; i++)
		h = fnv1a(h, p->caps[i]);
	snprintf(info->ident, sizeof(info->ident), "%04x:%04x:%04x:%08x",
		 info->bus, info->vendor, info->product,
		 (unsigned)(h ^ (h >> 32)));
	for (size_t i = 0; i < 10; i++)
		if (p->id_input[i] && strcmp(p->id_input[i], "1") == 0)
			info->classes |= 1u << i;
	return !(p->ignore && strcmp(p->ignore, "1") == 0);
}

bool
device_info_from_udev(struct tt_device_info *info, struct udev_device *dev)
{
	static const char *const caps[4] = {
		"capabilities/ev", "capabilities/key", "capabilities/rel",
		"capabilities/abs",
	};
	struct udev_device *input;
	struct device_props p = { 0 };

	/* the evdev node's parent is the input device with name, id/, caps */
	input = udev_device_get_parent_with_subsystem_devtype(dev, "input", NULL);
	if (input) {
		p.name = udev_device_get_sysattr_value(input, "name");
		p.bustype = udev_device_get_sysattr_value(input, "id/bustype");
		p.vendor = udev_device_get_sysattr_value(input, "id/vendor");
		p.product = udev_device_get_sysattr_value(input, "id/product");
		for (size_t i = 0; i < 4; i++)
			p.caps[i] = udev_device_get_sysattr_value(input, caps[i]);
	}
	for (size_t i = 0; i < 10; i++)
		p.id_input[i] = udev_device_get_property_value(dev, class_props[i]);
	p.ignore = udev_device_get_property_value(dev, "TASKTRACE_IGNORE");
	return device_info_from_props(info, &p);
}
