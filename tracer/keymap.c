/* SPDX-License-Identifier: MIT */
/*
 * The physical keymap: evdev codes classified and named as on a US
 * keyboard. It is what the interpreter uses when no xkb keymap can be
 * compiled, and the base that keymap-xkb.c refines, so that keys xkb gives
 * no symbol keep a name. Pure: no I/O.
 */
#include <libevdev/libevdev.h>
#include <linux/input-event-codes.h>
#include <stdio.h>
#include <string.h>

#include "interp.h"

struct key_def {
	uint16_t code;
	uint8_t role;
	uint8_t arg;
	const char *name;
};

#define TXT(c, cls, n) { c, INTERP_ROLE_TEXT, cls, n }
#define MOD(c, bit, n) { c, INTERP_ROLE_MODIFIER, bit, n }
#define NTX(c, n) { c, INTERP_ROLE_NONTEXT, 0, n }

static const struct key_def physical[] = {
	TXT(KEY_A, TT_CLASS_LETTER, "A"), TXT(KEY_B, TT_CLASS_LETTER, "B"),
	TXT(KEY_C, TT_CLASS_LETTER, "C"), TXT(KEY_D, TT_CLASS_LETTER, "D"),
	TXT(KEY_E, TT_CLASS_LETTER, "E"), TXT(KEY_F, TT_CLASS_LETTER, "F"),
	TXT(KEY_G, TT_CLASS_LETTER, "G"), TXT(KEY_H, TT_CLASS_LETTER, "H"),
	TXT(KEY_I, TT_CLASS_LETTER, "I"), TXT(KEY_J, TT_CLASS_LETTER, "J"),
	TXT(KEY_K, TT_CLASS_LETTER, "K"), TXT(KEY_L, TT_CLASS_LETTER, "L"),
	TXT(KEY_M, TT_CLASS_LETTER, "M"), TXT(KEY_N, TT_CLASS_LETTER, "N"),
	TXT(KEY_O, TT_CLASS_LETTER, "O"), TXT(KEY_P, TT_CLASS_LETTER, "P"),
	TXT(KEY_Q, TT_CLASS_LETTER, "Q"), TXT(KEY_R, TT_CLASS_LETTER, "R"),
	TXT(KEY_S, TT_CLASS_LETTER, "S"), TXT(KEY_T, TT_CLASS_LETTER, "T"),
	TXT(KEY_U, TT_CLASS_LETTER, "U"), TXT(KEY_V, TT_CLASS_LETTER, "V"),
	TXT(KEY_W, TT_CLASS_LETTER, "W"), TXT(KEY_X, TT_CLASS_LETTER, "X"),
	TXT(KEY_Y, TT_CLASS_LETTER, "Y"), TXT(KEY_Z, TT_CLASS_LETTER, "Z"),
	TXT(KEY_1, TT_CLASS_DIGIT, "1"), TXT(KEY_2, TT_CLASS_DIGIT, "2"),
	TXT(KEY_3, TT_CLASS_DIGIT, "3"), TXT(KEY_4, TT_CLASS_DIGIT, "4"),
	TXT(KEY_5, TT_CLASS_DIGIT, "5"), TXT(KEY_6, TT_CLASS_DIGIT, "6"),
	TXT(KEY_7, TT_CLASS_DIGIT, "7"), TXT(KEY_8, TT_CLASS_DIGIT, "8"),
	TXT(KEY_9, TT_CLASS_DIGIT, "9"), TXT(KEY_0, TT_CLASS_DIGIT, "0"),
	TXT(KEY_KP1, TT_CLASS_DIGIT, "KP_1"), TXT(KEY_KP2, TT_CLASS_DIGIT, "KP_2"),
	TXT(KEY_KP3, TT_CLASS_DIGIT, "KP_3"), TXT(KEY_KP4, TT_CLASS_DIGIT, "KP_4"),
	TXT(KEY_KP5, TT_CLASS_DIGIT, "KP_5"), TXT(KEY_KP6, TT_CLASS_DIGIT, "KP_6"),
	TXT(KEY_KP7, TT_CLASS_DIGIT, "KP_7"), TXT(KEY_KP8, TT_CLASS_DIGIT, "KP_8"),
	TXT(KEY_KP9, TT_CLASS_DIGIT, "KP_9"), TXT(KEY_KP0, TT_CLASS_DIGIT, "KP_0"),
	TXT(KEY_MINUS, TT_CLASS_PUNCT, "-"), TXT(KEY_EQUAL, TT_CLASS_PUNCT, "="),
	TXT(KEY_LEFTBRACE, TT_CLASS_PUNCT, "["),
	TXT(KEY_RIGHTBRACE, TT_CLASS_PUNCT, "]"),
	TXT(KEY_SEMICOLON, TT_CLASS_PUNCT, ";"),
	TXT(KEY_APOSTROPHE, TT_CLASS_PUNCT, "'"),
	TXT(KEY_GRAVE, TT_CLASS_PUNCT, "`"), TXT(KEY_BACKSLASH, TT_CLASS_PUNCT, "\\"),
	TXT(KEY_COMMA, TT_CLASS_PUNCT, ","), TXT(KEY_DOT, TT_CLASS_PUNCT, "."),
	TXT(KEY_SLASH, TT_CLASS_PUNCT, "/"), TXT(KEY_102ND, TT_CLASS_PUNCT, "<"),
	TXT(KEY_KPMINUS, TT_CLASS_PUNCT, "KP_Subtract"),
	TXT(KEY_KPPLUS, TT_CLASS_PUNCT, "KP_Add"),
	TXT(KEY_KPASTERISK, TT_CLASS_PUNCT, "KP_Multiply"),
	TXT(KEY_KPSLASH, TT_CLASS_PUNCT, "KP_Divide"),
	TXT(KEY_KPDOT, TT_CLASS_PUNCT, "KP_Decimal"),
	TXT(KEY_KPCOMMA, TT_CLASS_PUNCT, "KP_Separator"),
	TXT(KEY_KPEQUAL, TT_CLASS_PUNCT, "KP_Equal"),
	TXT(KEY_SPACE, TT_CLASS_SPACE, "Space"),
	TXT(KEY_ENTER, TT_CLASS_ENTER, "Enter"),
	TXT(KEY_KPENTER, TT_CLASS_ENTER, "KP_Enter"),
	TXT(KEY_TAB, TT_CLASS_TAB, "Tab"),
	TXT(KEY_BACKSPACE, TT_CLASS_ERASE, "BackSpace"),
	TXT(KEY_DELETE, TT_CLASS_ERASE, "Delete"),

	MOD(KEY_LEFTSHIFT, TT_MOD_SHIFT, "Shift"),
	MOD(KEY_RIGHTSHIFT, TT_MOD_SHIFT, "Shift"),
	MOD(KEY_LEFTCTRL, TT_MOD_CTRL, "Ctrl"),
	MOD(KEY_RIGHTCTRL, TT_MOD_CTRL, "Ctrl"),
	MOD(KEY_LEFTALT, TT_MOD_ALT, "Alt"),
	MOD(KEY_RIGHTALT, TT_MOD_ALTGR, "AltGr"),
	MOD(KEY_LEFTMETA, TT_MOD_SUPER, "Super"),
	MOD(KEY_RIGHTMETA, TT_MOD_SUPER, "Super"),
	/* locks: typing aids, counted like a lone modifier */
	MOD(KEY_CAPSLOCK, 0, "CapsLock"),
	MOD(KEY_NUMLOCK, 0, "NumLock"),

	NTX(KEY_ESC, "Escape"),
	NTX(KEY_F1, "F1"), NTX(KEY_F2, "F2"), NTX(KEY_F3, "F3"), NTX(KEY_F4, "F4"),
	NTX(KEY_F5, "F5"), NTX(KEY_F6, "F6"), NTX(KEY_F7, "F7"), NTX(KEY_F8, "F8"),
	NTX(KEY_F9, "F9"), NTX(KEY_F10, "F10"), NTX(KEY_F11, "F11"),
	NTX(KEY_F12, "F12"), NTX(KEY_F13, "F13"), NTX(KEY_F14, "F14"),
	NTX(KEY_F15, "F15"), NTX(KEY_F16, "F16"), NTX(KEY_F17, "F17"),
	NTX(KEY_F18, "F18"), NTX(KEY_F19, "F19"), NTX(KEY_F20, "F20"),
	NTX(KEY_F21, "F21"), NTX(KEY_F22, "F22"), NTX(KEY_F23, "F23"),
	NTX(KEY_F24, "F24"),
	NTX(KEY_UP, "Up"), NTX(KEY_DOWN, "Down"), NTX(KEY_LEFT, "Left"),
	NTX(KEY_RIGHT, "Right"), NTX(KEY_PAGEUP, "PageUp"),
	NTX(KEY_PAGEDOWN, "PageDown"), NTX(KEY_HOME, "Home"), NTX(KEY_END, "End"),
	NTX(KEY_INSERT, "Insert"), NTX(KEY_SYSRQ, "Print"), NTX(KEY_PRINT, "Print"),
	NTX(KEY_PAUSE, "Pause"), NTX(KEY_SCROLLLOCK, "ScrollLock"),
	NTX(KEY_COMPOSE, "Menu"), NTX(KEY_MENU, "Menu"),
	NTX(KEY_MUTE, "AudioMute"), NTX(KEY_VOLUMEDOWN, "AudioLowerVolume"),
	NTX(KEY_VOLUMEUP, "AudioRaiseVolume"), NTX(KEY_PLAYPAUSE, "AudioPlay"),
	NTX(KEY_NEXTSONG, "AudioNext"), NTX(KEY_PREVIOUSSONG, "AudioPrev"),
	NTX(KEY_STOPCD, "AudioStop"), NTX(KEY_BRIGHTNESSDOWN, "MonBrightnessDown"),
	NTX(KEY_BRIGHTNESSUP, "MonBrightnessUp"), NTX(KEY_CALC, "Calculator"),
	NTX(KEY_MAIL, "Mail"), NTX(KEY_WWW, "WWW"), NTX(KEY_HOMEPAGE, "HomePage"),
	NTX(KEY_BACK, "Back"), NTX(KEY_FORWARD, "Forward"),
	NTX(KEY_SEARCH, "Search"), NTX(KEY_POWER, "PowerOff"),
	NTX(KEY_SLEEP, "Sleep"),
};

void
keymap_init_physical(struct interp_keymap *km)
{
	memset(km, 0, sizeof(*km));
	/*
	 * Every other key code a keyboard can send is a non-text key named
	 * after its code, so that an unusual key still makes an honest
	 * record (libevdev knows the kernel's name). Button codes (0x100 … 0x15f) come as pointer buttons, not
	 * keys, and stay ignored.
	 */
	for (unsigned c = 1; c < INTERP_KEY_CODES; c++) {
		if (c >= BTN_MISC && c < KEY_OK)
			continue;
		if (c >= BTN_DPAD_UP && c < KEY_ALS_TOGGLE)
			continue;
		if (c >= BTN_TRIGGER_HAPPY)
			continue;
		const char *n = libevdev_event_code_get_name(EV_KEY, c);

		km->role[c] = INTERP_ROLE_NONTEXT;
		if (n && strncmp(n, "KEY_", 4) == 0)
			snprintf(km->name[c], INTERP_KEY_NAME_MAX, "%s", n + 4);
		else
			snprintf(km->name[c], INTERP_KEY_NAME_MAX, "Key%u", c);
	}
	for (size_t i = 0; i < sizeof(physical) / sizeof(physical[0]); i++) {
		const struct key_def *d = &physical[i];

		km->role[d->code] = d->role;
		km->arg[d->code] = d->arg;
		for (unsigned l = 0; l < 3; l++)
			km->level_class[l][d->code] = d->arg;
		snprintf(km->name[d->code], INTERP_KEY_NAME_MAX, "%s", d->name);
	}
	/* With Shift, the digit row types !@#$%^&*() on a US keyboard */
	for (unsigned c = KEY_1; c <= KEY_0; c++)
		km->level_class[0][c] = TT_CLASS_PUNCT;
}
