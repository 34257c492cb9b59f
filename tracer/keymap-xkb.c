/* SPDX-License-Identifier: MIT */
/*
 * Classify and name keys through an xkbcommon keymap. See keymap-xkb.h.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <xkbcommon/xkbcommon.h>

#include "keymap-xkb.h"

/* evdev code + 8 = xkb keycode, by the evdev rules' definition */
#define EVDEV_OFFSET 8

/* Copy at most cap - 1 bytes: the keymap's names are short. */
static void
copy_name(char *dst, size_t cap, const char *v)
{
	size_t n = strlen(v);

	if (n >= cap)
		n = cap - 1;
	memcpy(dst, v, n);
	dst[n] = '\0';
}

static const char *
or_null(const char *s)
{
	return s[0] ? s : NULL;
}

/* Names as people write them in shortcuts, where xkb's differ. */
static void
sym_name(xkb_keysym_t sym, char *buf, size_t cap)
{
	static const struct {
		const char *xkb, *ours;
	} renames[] = {
		{ "Next", "PageDown" }, { "Prior", "PageUp" },
		{ "Return", "Enter" }, { "space", "Space" },
		{ "Caps_Lock", "CapsLock" }, { "Num_Lock", "NumLock" },
		{ "Scroll_Lock", "ScrollLock" }, { "Sys_Req", "Print" },
		{ "ISO_Left_Tab", "Tab" },
	};
	char name[64];

	if (xkb_keysym_get_name(sym, name, sizeof(name)) < 0) {
		snprintf(buf, cap, "0x%x", (unsigned)sym);
		return;
	}
	for (size_t i = 0; i < sizeof(renames) / sizeof(renames[0]); i++) {
		if (strcmp(name, renames[i].xkb) == 0) {
			snprintf(buf, cap, "%s", renames[i].ours);
			return;
		}
	}
	/* "XF86AudioMute" → "AudioMute", as in the physical table;
	 * long names are cut to the keymap's field */
	copy_name(buf, cap, strncmp(name, "XF86", 4) == 0 ? name + 4 : name);
}

static void
classify(xkb_keysym_t sym, uint8_t *role, uint8_t *arg, char *name, size_t cap)
{
	uint32_t cp;

	*arg = 0;
	switch (sym) {
	case XKB_KEY_Shift_L: case XKB_KEY_Shift_R:
		*role = INTERP_ROLE_MODIFIER; *arg = TT_MOD_SHIFT; break;
	case XKB_KEY_Control_L: case XKB_KEY_Control_R:
		*role = INTERP_ROLE_MODIFIER; *arg = TT_MOD_CTRL; break;
	case XKB_KEY_Alt_L: case XKB_KEY_Alt_R:
	case XKB_KEY_Meta_L: case XKB_KEY_Meta_R:
		*role = INTERP_ROLE_MODIFIER; *arg = TT_MOD_ALT; break;
	case XKB_KEY_Super_L: case XKB_KEY_Super_R:
	case XKB_KEY_Hyper_L: case XKB_KEY_Hyper_R:
		*role = INTERP_ROLE_MODIFIER; *arg = TT_MOD_SUPER; break;
	case XKB_KEY_ISO_Level3_Shift: case XKB_KEY_Mode_switch:
	case XKB_KEY_ISO_Level5_Shift:
		*role = INTERP_ROLE_MODIFIER; *arg = TT_MOD_ALTGR; break;
	case XKB_KEY_Caps_Lock: case XKB_KEY_Shift_Lock: case XKB_KEY_Num_Lock:
	case XKB_KEY_ISO_Level3_Lock: case XKB_KEY_ISO_Level5_Lock:
		*role = INTERP_ROLE_MODIFIER; break;
	case XKB_KEY_Return: case XKB_KEY_KP_Enter: case XKB_KEY_ISO_Enter:
		*role = INTERP_ROLE_TEXT; *arg = TT_CLASS_ENTER; break;
	case XKB_KEY_Tab: case XKB_KEY_ISO_Left_Tab: case XKB_KEY_KP_Tab:
		*role = INTERP_ROLE_TEXT; *arg = TT_CLASS_TAB; break;
	case XKB_KEY_BackSpace: case XKB_KEY_Delete: case XKB_KEY_KP_Delete:
		*role = INTERP_ROLE_TEXT; *arg = TT_CLASS_ERASE; break;
	case XKB_KEY_space: case XKB_KEY_KP_Space:
		*role = INTERP_ROLE_TEXT; *arg = TT_CLASS_SPACE; break;
	default:
		cp = xkb_keysym_to_utf32(sym);
		if (sym >= XKB_KEY_dead_grave && sym <= XKB_KEY_dead_greek) {
			/* composes a character: text */
			*role = INTERP_ROLE_TEXT;
			*arg = TT_CLASS_PUNCT;
		} else if (cp >= 0x20 && cp != 0x7f && !(cp >= 0x80 && cp < 0xa0)) {
			*role = INTERP_ROLE_TEXT;
			if (cp >= '0' && cp <= '9')
				*arg = TT_CLASS_DIGIT;
			else if (cp < 0x80)
				*arg = isalpha((int)cp) ? TT_CLASS_LETTER : TT_CLASS_PUNCT;
			else if (cp < 0xc0 || cp == 0xd7 || cp == 0xf7)
				*arg = TT_CLASS_PUNCT;	/* Latin-1 symbols */
			else
				*arg = TT_CLASS_LETTER;	/* letters of any script */
		} else {
			*role = INTERP_ROLE_NONTEXT;
		}
		break;
	}

	/* A printable key is named by what it types, upper-cased ("Z",
	 * "Ü", "-"); keypad and other keys by their symbol's name. */
	if (*role == INTERP_ROLE_TEXT && xkb_keysym_to_utf32(sym) > 0x20 &&
	    !(sym >= XKB_KEY_KP_Space && sym <= XKB_KEY_KP_9)) {
		if (xkb_keysym_to_utf8(xkb_keysym_to_upper(sym), name, cap) > 0)
			return;
	}
	sym_name(sym, name, cap);
}

/* The modifier mask a key sets while held (the key typing @sym at level
 * one: Shift_L, ISO_Level3_Shift), or 0 when no key of the keymap does. */
static xkb_mod_mask_t
mask_of(struct xkb_keymap *keymap, xkb_keysym_t sym)
{
	xkb_keycode_t min = xkb_keymap_min_keycode(keymap);
	xkb_keycode_t max = xkb_keymap_max_keycode(keymap);
	xkb_mod_mask_t mask = 0;

	for (xkb_keycode_t kc = min; kc <= max && !mask; kc++) {
		const xkb_keysym_t *syms;
		struct xkb_state *st;

		if (xkb_keymap_key_get_syms_by_level(keymap, kc, 0, 0, &syms) != 1 ||
		    syms[0] != sym || !(st = xkb_state_new(keymap)))
			continue;
		xkb_state_update_key(st, kc, XKB_KEY_DOWN);
		mask = xkb_state_serialize_mods(st, XKB_STATE_MODS_DEPRESSED);
		xkb_state_unref(st);
	}
	return mask;
}

/*
 * The class of each text key with Shift, AltGr and both held: what it
 * types then (Shift+7 is '&' on "us", '/' on "de"). A level that types
 * nothing, or no text, keeps the key's plain class.
 */
static int
level_classes(struct interp_keymap *km, struct xkb_keymap *keymap,
	      xkb_mod_mask_t locked)
{
	xkb_mod_mask_t shift = mask_of(keymap, XKB_KEY_Shift_L);
	xkb_mod_mask_t l3 = mask_of(keymap, XKB_KEY_ISO_Level3_Shift);
	xkb_mod_mask_t masks[3] = { shift, l3, shift | l3 };

	for (unsigned l = 0; l < 3; l++) {
		struct xkb_state *state = xkb_state_new(keymap);

		if (!state)
			return -ENOMEM;
		xkb_state_update_mask(state, masks[l], 0, locked, 0, 0, 0);
		for (unsigned c = 1; c < INTERP_KEY_CODES; c++) {
			xkb_keysym_t sym;
			char name[INTERP_KEY_NAME_MAX];
			uint8_t role, arg;

			km->level_class[l][c] = km->arg[c];
			if (km->role[c] != INTERP_ROLE_TEXT || !masks[l])
				continue;
			sym = xkb_state_key_get_one_sym(state, c + EVDEV_OFFSET);
			if (sym == XKB_KEY_NoSymbol)
				continue;
			classify(sym, &role, &arg, name, sizeof(name));
			if (role == INTERP_ROLE_TEXT)
				km->level_class[l][c] = arg;
		}
		xkb_state_unref(state);
	}
	return 0;
}

int
keymap_xkb_apply(struct interp_keymap *km, const struct keymap_names *names)
{
	struct xkb_rule_names rmlvo = {
		.rules = or_null(names->rules),
		.model = or_null(names->model),
		.layout = or_null(names->layout),
		.variant = or_null(names->variant),
		.options = or_null(names->options),
	};
	struct xkb_context *ctx;
	struct xkb_keymap *keymap = NULL;
	struct xkb_state *state = NULL;
	xkb_mod_mask_t locked = 0;
	xkb_mod_index_t num;
	int rc = 0;

	/* No environment: a root daemon must not take its layout from
	 * whatever XKB_DEFAULT_* it inherited. The default include path is
	 * added after the log level is set, so that missing xkb data is our
	 * message (-ENOENT), not xkbcommon's on stderr. */
	ctx = xkb_context_new(XKB_CONTEXT_NO_ENVIRONMENT_NAMES |
			      XKB_CONTEXT_NO_DEFAULT_INCLUDES);
	if (!ctx)
		return -ENOMEM;
	xkb_context_set_log_level(ctx, XKB_LOG_LEVEL_CRITICAL);
	if (!xkb_context_include_path_append_default(ctx)) {
		rc = -ENOENT;
		goto out;
	}
	keymap = xkb_keymap_new_from_names(ctx, &rmlvo, XKB_KEYMAP_COMPILE_NO_FLAGS);
	if (!keymap) {
		rc = -EINVAL;
		goto out;
	}
	state = xkb_state_new(keymap);
	if (!state) {
		rc = -ENOMEM;
		goto out;
	}
	/* Classify the keypad as it types with NumLock on. */
	num = xkb_keymap_mod_get_index(keymap, XKB_MOD_NAME_NUM);
	if (num != XKB_MOD_INVALID) {
		locked = 1u << num;
		xkb_state_update_mask(state, 0, 0, locked, 0, 0, 0);
	}

	for (unsigned c = 1; c < INTERP_KEY_CODES; c++) {
		xkb_keysym_t sym = xkb_state_key_get_one_sym(state, c + EVDEV_OFFSET);
		char name[INTERP_KEY_NAME_MAX];
		uint8_t role, arg;

		if (sym == XKB_KEY_NoSymbol || km->role[c] == INTERP_ROLE_IGNORE)
			continue;
		classify(sym, &role, &arg, name, sizeof(name));
		km->role[c] = role;
		km->arg[c] = arg;
		memcpy(km->name[c], name, sizeof(name));
	}
	rc = level_classes(km, keymap, locked);
out:
	xkb_state_unref(state);
	xkb_keymap_unref(keymap);
	xkb_context_unref(ctx);
	return rc;
}
