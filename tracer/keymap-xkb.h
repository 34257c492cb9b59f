/* SPDX-License-Identifier: MIT */
/*
 * Key names through xkbcommon: the keyboard layout decides what a key is
 * called and whether it types text (with layout "de", the key at KEY_Y is
 * "Z"). Kept apart from the interpreter so the interpreter's tests can use
 * the fixed physical table, and so only this file links xkbcommon.
 */
#ifndef TT_KEYMAP_XKB_H
#define TT_KEYMAP_XKB_H

#include "interp.h"

/** RMLVO names; empty strings mean xkbcommon's defaults. The daemon
 *  takes them from the configuration, which falls back on
 *  /etc/default/keyboard (lib/config.c). */
struct keymap_names {
	char rules[32];
	char model[64];
	char layout[64];
	char variant[64];
	char options[256];
};

/**
 * Compile the keymap for @p names and refine @p km, which must already
 * hold the physical table: keys the keymap gives a symbol are classified
 * and named after it (with NumLock on, as desktops start), the others
 * keep their physical entry.
 *
 * @retval 0 applied
 * @retval -ENOMEM  no xkb context
 * @retval -ENOENT  no xkb data (xkb-data not installed; km unchanged)
 * @retval -EINVAL  the names do not compile into a keymap (km unchanged)
 */
int
keymap_xkb_apply(struct interp_keymap *km, const struct keymap_names *names);

#endif /* TT_KEYMAP_XKB_H */
