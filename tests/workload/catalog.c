/* SPDX-License-Identifier: MIT */
/*
 * The workload's static data: applications with their titles and habits,
 * shortcuts with their evdev codes and modifier bits, device models, and
 * the roles people have, each with a repetitive routine that routine
 * discovery should find again.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/input-event-codes.h>

#include "workload.h"

#define S(str) { (str), 0 }

struct wl_str wl_backends[2] = { S("x11"), S("sway") };

#define C TT_MOD_CTRL
#define SH TT_MOD_SHIFT
struct wl_key wl_keys[WL_KEY_COUNT] = {
	[WL_KEY_CTRL_C] = { S("Ctrl+C"), KEY_C, C },
	[WL_KEY_CTRL_V] = { S("Ctrl+V"), KEY_V, C },
	[WL_KEY_CTRL_X] = { S("Ctrl+X"), KEY_X, C },
	[WL_KEY_CTRL_Z] = { S("Ctrl+Z"), KEY_Z, C },
	[WL_KEY_CTRL_S] = { S("Ctrl+S"), KEY_S, C },
	[WL_KEY_CTRL_A] = { S("Ctrl+A"), KEY_A, C },
	[WL_KEY_CTRL_F] = { S("Ctrl+F"), KEY_F, C },
	[WL_KEY_CTRL_T] = { S("Ctrl+T"), KEY_T, C },
	[WL_KEY_CTRL_W] = { S("Ctrl+W"), KEY_W, C },
	[WL_KEY_CTRL_L] = { S("Ctrl+L"), KEY_L, C },
	[WL_KEY_CTRL_TAB] = { S("Ctrl+Tab"), KEY_TAB, C },
	[WL_KEY_CTRL_SHIFT_T] = { S("Ctrl+Shift+T"), KEY_T, C | SH },
	[WL_KEY_CTRL_SHIFT_C] = { S("Ctrl+Shift+C"), KEY_C, C | SH },
	[WL_KEY_CTRL_SHIFT_V] = { S("Ctrl+Shift+V"), KEY_V, C | SH },
	[WL_KEY_CTRL_SHIFT_P] = { S("Ctrl+Shift+P"), KEY_P, C | SH },
	[WL_KEY_CTRL_P] = { S("Ctrl+P"), KEY_P, C },
	[WL_KEY_CTRL_R] = { S("Ctrl+R"), KEY_R, C },
	[WL_KEY_CTRL_N] = { S("Ctrl+N"), KEY_N, C },
	[WL_KEY_CTRL_K] = { S("Ctrl+K"), KEY_K, C },
	[WL_KEY_CTRL_B] = { S("Ctrl+B"), KEY_B, C },
	[WL_KEY_CTRL_HOME] = { S("Ctrl+Home"), KEY_HOME, C },
	[WL_KEY_CTRL_ENTER] = { S("Ctrl+Return"), KEY_ENTER, C },
	[WL_KEY_CTRL_SLASH] = { S("Ctrl+slash"), KEY_SLASH, C },
	[WL_KEY_ALT_TAB] = { S("Alt+Tab"), KEY_TAB, TT_MOD_ALT },
	[WL_KEY_SUPER_L] = { S("Super+L"), KEY_L, TT_MOD_SUPER },
	[WL_KEY_ESCAPE] = { S("Escape"), KEY_ESC, 0 },
	[WL_KEY_F2] = { S("F2"), KEY_F2, 0 },
	[WL_KEY_F5] = { S("F5"), KEY_F5, 0 },
	[WL_KEY_PAGEDOWN] = { S("PageDown"), KEY_PAGEDOWN, 0 },
	[WL_KEY_PAGEUP] = { S("PageUp"), KEY_PAGEUP, 0 },
	[WL_KEY_HOME] = { S("Home"), KEY_HOME, 0 },
	[WL_KEY_END] = { S("End"), KEY_END, 0 },
	[WL_KEY_UP] = { S("Up"), KEY_UP, 0 },
	[WL_KEY_DOWN] = { S("Down"), KEY_DOWN, 0 },
	[WL_KEY_LEFT] = { S("Left"), KEY_LEFT, 0 },
	[WL_KEY_RIGHT] = { S("Right"), KEY_RIGHT, 0 },
};
#undef C
#undef SH

static const char *const firefox_titles[] = {
	"Inbox (3) — Outlook", "CRM — Accounts overview", "Jira — Sprint board",
	"Confluence — Team handbook", "Google Search", "Wikipedia, the free encyclopedia",
	"ERP — New supplier invoice", "ERP — Purchase orders", "Deutsche Bahn — Your journey",
	"GitLab — Merge requests", "YouTube", "Travel expenses — SAP Concur", NULL,
};
static const char *const thunderbird_titles[] = {
	"Inbox - office@example.com", "Sent - office@example.com",
	"Write: RE: Meeting on Thursday", "Write: Quarterly figures",
	"RE: Delivery delay", "Newsletter — January", NULL,
};
static const char *const calc_titles[] = {
	"Q3 report.ods", "Orders 2026.ods", "Budget 2026.xlsx", "Untitled 1",
	"Travel expenses.ods", "Inventory.ods", NULL,
};
static const char *const writer_titles[] = {
	"Meeting notes.odt", "Offer ACME GmbH.odt", "Untitled 2", "Project plan.docx",
	"Letter template.ott", NULL,
};
static const char *const code_titles[] = {
	"store.c — tasktrace", "main.c — tasktrace", "Makefile — tasktrace",
	"README.md — tasktrace", "test-store.c — tasktrace", "config.yaml — infra", NULL,
};
static const char *const nautilus_titles[] = {
	"Documents", "Downloads", "Invoices", "Home", "Projects", NULL,
};
static const char *const slack_titles[] = {
	"#general | ACME", "#team-finance | ACME", "Bob (DM) | ACME",
	"#random | ACME", "Threads | ACME", NULL,
};
static const char *const terminal_titles[] = {
	"~/src/tasktrace", "~", "ssh build01", "make check", "htop", NULL,
};
static const char *const evince_titles[] = {
	"Handbook.pdf", "Contract ACME.pdf", NULL,
};
static const char *const keepassxc_titles[] = { NULL };

/*
 * Class weights are per mille of a burst's keys, letters taking the rest:
 * digit, punct, space, enter, tab, erase, modifier. Erase is ~5 % everywhere.
 */
#define CLS(d, p, sp, en, tb, er, mo) { 0, d, p, sp, en, tb, er, mo }

struct wl_app wl_apps[WL_APP_COUNT] = {
	[WL_APP_FIREFOX] = {
		{ S("firefox"), S("firefox") },
		{ S("/usr/lib/firefox/firefox"), S("/usr/lib/firefox/firefox") },
		" — Mozilla Firefox", firefox_titles, "Customer %u · CRM", 40100, NULL, { 0 },
		{ 16, 13, 36, 22, 13 }, CLS(25, 30, 150, 15, 8, 50, 4),
		8, 381, 0.18,
		{ WL_KEY_CTRL_T, WL_KEY_CTRL_W, WL_KEY_CTRL_L, WL_KEY_CTRL_TAB,
		  WL_KEY_CTRL_SHIFT_T, WL_KEY_F5, WL_KEY_CTRL_F, WL_KEY_CTRL_C,
		  WL_KEY_CTRL_V, WL_KEY_PAGEDOWN, WL_KEY_ESCAPE },
		{ 14, 10, 12, 16, 3, 6, 5, 8, 7, 12, 4 }, false,
	},
	[WL_APP_THUNDERBIRD] = {
		{ S("thunderbird"), S("thunderbird") },
		{ S("/usr/lib/thunderbird/thunderbird"), S("/usr/lib/thunderbird/thunderbird") },
		" — Mozilla Thunderbird", thunderbird_titles, "Order %u from ACME GmbH", 10234, NULL, { 0 },
		{ 24, 13, 36, 16, 11 }, CLS(15, 35, 160, 20, 2, 55, 6),
		24, 453, 0.30,
		{ WL_KEY_CTRL_R, WL_KEY_CTRL_N, WL_KEY_CTRL_ENTER, WL_KEY_CTRL_C,
		  WL_KEY_CTRL_V, WL_KEY_DOWN, WL_KEY_UP, WL_KEY_ESCAPE, WL_KEY_CTRL_F },
		{ 8, 4, 5, 8, 6, 14, 8, 3, 2 }, false,
	},
	[WL_APP_CALC] = {
		{ S("libreoffice-calc"), S("libreoffice-calc") },
		{ S("/usr/lib/libreoffice/program/soffice.bin"),
		  S("/usr/lib/libreoffice/program/soffice.bin") },
		" — LibreOffice Calc", calc_titles, NULL, 0, NULL, { 0 },
		{ 24, 22, 32, 12, 10 }, CLS(260, 40, 40, 90, 90, 55, 4),
		4, 334, 0.02,
		{ WL_KEY_CTRL_C, WL_KEY_CTRL_V, WL_KEY_CTRL_S, WL_KEY_CTRL_Z, WL_KEY_F2,
		  WL_KEY_DOWN, WL_KEY_RIGHT, WL_KEY_LEFT, WL_KEY_UP, WL_KEY_CTRL_HOME,
		  WL_KEY_PAGEDOWN, WL_KEY_ESCAPE },
		{ 10, 10, 6, 4, 5, 14, 10, 5, 6, 2, 3, 2 }, false,
	},
	[WL_APP_WRITER] = {
		{ S("libreoffice-writer"), S("libreoffice-writer") },
		{ S("/usr/lib/libreoffice/program/soffice.bin"),
		  S("/usr/lib/libreoffice/program/soffice.bin") },
		" — LibreOffice Writer", writer_titles, NULL, 0, NULL, { 0 },
		{ 44, 13, 22, 12, 9 }, CLS(12, 30, 165, 18, 2, 55, 8),
		33, 477, 0.01,
		{ WL_KEY_CTRL_S, WL_KEY_CTRL_B, WL_KEY_CTRL_Z, WL_KEY_CTRL_C, WL_KEY_CTRL_V,
		  WL_KEY_HOME, WL_KEY_END, WL_KEY_UP, WL_KEY_DOWN, WL_KEY_PAGEDOWN },
		{ 8, 4, 6, 5, 5, 6, 8, 6, 8, 4 }, false,
	},
	[WL_APP_CODE] = {
		{ S("code"), S("code") },
		{ S("/usr/share/code/code"), S("/usr/share/code/code") },
		" — Visual Studio Code", code_titles, NULL, 0, NULL, { 0 },
		{ 38, 22, 18, 14, 8 }, CLS(30, 110, 120, 35, 30, 70, 6),
		18, 405, 0.10,
		{ WL_KEY_CTRL_S, WL_KEY_CTRL_P, WL_KEY_CTRL_SHIFT_P, WL_KEY_CTRL_F,
		  WL_KEY_CTRL_Z, WL_KEY_CTRL_C, WL_KEY_CTRL_V, WL_KEY_CTRL_SLASH,
		  WL_KEY_UP, WL_KEY_DOWN, WL_KEY_ESCAPE, WL_KEY_F5 },
		{ 12, 6, 3, 4, 5, 6, 6, 2, 10, 10, 4, 2 }, false,
	},
	[WL_APP_NAUTILUS] = {
		{ S("org.gnome.Nautilus"), S("org.gnome.Nautilus") },
		{ S("/usr/bin/nautilus"), S("/usr/bin/nautilus") },
		"", nautilus_titles, NULL, 0, NULL, { 0 },
		{ 5, 13, 56, 12, 14 }, CLS(40, 40, 60, 30, 0, 60, 4),
		5, 357, 0.35,
		{ WL_KEY_CTRL_C, WL_KEY_CTRL_V, WL_KEY_F2, WL_KEY_CTRL_L, WL_KEY_ESCAPE,
		  WL_KEY_DOWN, WL_KEY_UP },
		{ 6, 6, 3, 3, 2, 5, 4 }, false,
	},
	[WL_APP_SLACK] = {
		{ S("slack"), S("slack") },
		{ S("/usr/lib/slack/slack"), S("/usr/lib/slack/slack") },
		" - Slack", slack_titles, NULL, 0, NULL, { 0 },
		{ 44, 9, 27, 12, 8 }, CLS(15, 45, 165, 40, 0, 60, 6),
		16, 525, 0.25,
		{ WL_KEY_CTRL_K, WL_KEY_ESCAPE, WL_KEY_UP, WL_KEY_CTRL_V, WL_KEY_CTRL_C },
		{ 8, 3, 3, 3, 2 }, false,
	},
	[WL_APP_TERMINAL] = {
		{ S("org.gnome.Terminal"), S("foot") },
		{ S("/usr/libexec/gnome-terminal-server"), S("/usr/bin/foot") },
		"", terminal_titles, NULL, 0, NULL, { 0 },
		{ 52, 24, 6, 14, 4 }, CLS(40, 90, 140, 60, 40, 70, 4),
		9, 357, 0.20,
		{ WL_KEY_CTRL_SHIFT_C, WL_KEY_CTRL_SHIFT_V, WL_KEY_CTRL_C, WL_KEY_UP,
		  WL_KEY_CTRL_R, WL_KEY_CTRL_L, WL_KEY_CTRL_SHIFT_T, WL_KEY_PAGEUP },
		{ 4, 6, 5, 14, 3, 3, 1, 2 }, false,
	},
	[WL_APP_EVINCE] = {
		{ S("org.gnome.Evince"), S("org.gnome.Evince") },
		{ S("/usr/bin/evince"), S("/usr/bin/evince") },
		" — Document Viewer", evince_titles, "Invoice 2026-%04u.pdf", 311, NULL, { 0 },
		{ 2, 16, 32, 34, 16 }, CLS(30, 30, 120, 20, 0, 50, 4),
		3, 525, 0.02,
		{ WL_KEY_CTRL_C, WL_KEY_PAGEDOWN, WL_KEY_PAGEUP, WL_KEY_CTRL_F, WL_KEY_HOME },
		{ 6, 10, 5, 2, 2 }, false,
	},
	[WL_APP_KEEPASSXC] = {
		{ S("org.keepassxc.KeePassXC"), S("org.keepassxc.KeePassXC") },
		{ S("/usr/bin/keepassxc"), S("/usr/bin/keepassxc") },
		"", keepassxc_titles, NULL, 0, NULL, { 0 },
		{ 1, 0, 0, 0, 0 }, CLS(0, 0, 0, 0, 0, 0, 0),
		1, 238, 0,
		{ WL_KEY_ESCAPE }, { 1 }, true,
	},
};
#undef CLS

/*
 * Roles. Each has a routine that it repeats many times a day, in batches:
 * the thing "discover" should rank as an automation candidate.
 */
const struct wl_role wl_roles[] = {
	{
		/* Copies order numbers and amounts from mails into a sheet. */
		"clerk",
		{ [WL_APP_FIREFOX] = 16, [WL_APP_THUNDERBIRD] = 30, [WL_APP_CALC] = 28,
		  [WL_APP_WRITER] = 8, [WL_APP_NAUTILUS] = 6, [WL_APP_SLACK] = 8,
		  [WL_APP_EVINCE] = 4 },
		{
			{ WL_OP_SWITCH, WL_APP_THUNDERBIRD, 0 },
			{ WL_OP_CLICK, 1, 0 }, { WL_OP_NEXT_TITLE, 0, 0 },
			{ WL_OP_SCROLL, 0, 0 },
			{ WL_OP_CLICK, 2, 0 }, { WL_OP_KEY, WL_KEY_CTRL_C, 0 },
			{ WL_OP_SWITCH, WL_APP_CALC, 2 },
			{ WL_OP_CLICK, 1, 0 }, { WL_OP_KEY, WL_KEY_CTRL_V, 0 },
			{ WL_OP_TYPE, 0, 0 },
			{ WL_OP_SWITCH, WL_APP_THUNDERBIRD, 0 },
			{ WL_OP_CLICK, 2, 0 }, { WL_OP_KEY, WL_KEY_CTRL_C, 0 },
			{ WL_OP_SWITCH, WL_APP_CALC, 2 },
			{ WL_OP_CLICK, 1, 0 }, { WL_OP_KEY, WL_KEY_CTRL_V, 0 },
			{ WL_OP_KEY, WL_KEY_CTRL_S, 0 },
			{ WL_OP_END, 0, 0 },
		},
		5, 9,
	},
	{
		/* Edit, save, build in a terminal, read the result. */
		"developer",
		{ [WL_APP_FIREFOX] = 20, [WL_APP_CODE] = 40, [WL_APP_TERMINAL] = 26,
		  [WL_APP_SLACK] = 10, [WL_APP_THUNDERBIRD] = 4 },
		{
			{ WL_OP_SWITCH, WL_APP_CODE, 0 },
			{ WL_OP_TYPE, 2, 0 }, { WL_OP_KEY, WL_KEY_CTRL_S, 0 },
			{ WL_OP_SWITCH, WL_APP_TERMINAL, 1 },
			{ WL_OP_KEY, WL_KEY_UP, 0 }, { WL_OP_TYPE, 1, 0 },
			{ WL_OP_WAIT, 8, 0 }, { WL_OP_SCROLL, 0, 0 },
			{ WL_OP_END, 0, 0 },
		},
		4, 8,
	},
	{
		/* Keys supplier invoices from PDFs into the ERP's web form. */
		"accountant",
		{ [WL_APP_FIREFOX] = 34, [WL_APP_CALC] = 20, [WL_APP_NAUTILUS] = 12,
		  [WL_APP_EVINCE] = 14, [WL_APP_THUNDERBIRD] = 14, [WL_APP_SLACK] = 6 },
		{
			{ WL_OP_SWITCH, WL_APP_NAUTILUS, 3 },
			{ WL_OP_CLICK, 2, 0 },
			{ WL_OP_SWITCH, WL_APP_EVINCE, 0 }, { WL_OP_NEXT_TITLE, 0, 0 },
			{ WL_OP_SCROLL, 0, 0 },
			{ WL_OP_CLICK, 2, 0 }, { WL_OP_KEY, WL_KEY_CTRL_C, 0 },
			{ WL_OP_SWITCH, WL_APP_FIREFOX, 7 },
			{ WL_OP_CLICK, 1, 0 }, { WL_OP_KEY, WL_KEY_CTRL_V, 0 },
			{ WL_OP_TYPE, 0, 0 }, { WL_OP_TYPE, 0, 0 },
			{ WL_OP_CLICK, 1, 0 },
			{ WL_OP_SWITCH, WL_APP_EVINCE, 0 }, { WL_OP_KEY, WL_KEY_CTRL_W, 0 },
			{ WL_OP_END, 0, 0 },
		},
		4, 8,
	},
	{
		/* Mails, chat, documents; answers mails one after the other. */
		"manager",
		{ [WL_APP_FIREFOX] = 22, [WL_APP_THUNDERBIRD] = 30, [WL_APP_WRITER] = 16,
		  [WL_APP_CALC] = 10, [WL_APP_SLACK] = 20, [WL_APP_EVINCE] = 2 },
		{
			{ WL_OP_SWITCH, WL_APP_THUNDERBIRD, 0 },
			{ WL_OP_CLICK, 1, 0 }, { WL_OP_NEXT_TITLE, 0, 0 }, { WL_OP_SCROLL, 0, 0 },
			{ WL_OP_KEY, WL_KEY_CTRL_R, 0 }, { WL_OP_TYPE, 2, 0 },
			{ WL_OP_KEY, WL_KEY_CTRL_ENTER, 0 },
			{ WL_OP_END, 0, 0 },
		},
		3, 7,
	},
};
const unsigned wl_role_count = sizeof(wl_roles) / sizeof(wl_roles[0]);

const struct wl_device_model wl_keyboards[] = {
	{ "Logitech USB Keyboard", 0x03, 0x046d, 0xc31c, TT_DEV_KEYBOARD | TT_DEV_KEY },
	{ "Dell KB216 Wired Keyboard", 0x03, 0x413c, 0x2113, TT_DEV_KEYBOARD | TT_DEV_KEY },
	{ "CHERRY CHERRY Keyboard", 0x03, 0x046a, 0x0023, TT_DEV_KEYBOARD | TT_DEV_KEY },
	{ "AT Translated Set 2 keyboard", 0x11, 0x0001, 0x0001, TT_DEV_KEYBOARD | TT_DEV_KEY },
};
const struct wl_device_model wl_mice[] = {
	{ "Logitech USB Optical Mouse", 0x03, 0x046d, 0xc077, TT_DEV_MOUSE },
	{ "PixArt Dell MS116 USB Optical Mouse", 0x03, 0x413c, 0x301a, TT_DEV_MOUSE },
	{ "Logitech MX Master 3", 0x05, 0x046d, 0xb023, TT_DEV_MOUSE },
};
const struct wl_device_model wl_touchpads[] = {
	{ "SynPS/2 Synaptics TouchPad", 0x11, 0x0002, 0x0007, TT_DEV_TOUCHPAD },
	{ "ELAN0670:00 04F3:3150 Touchpad", 0x18, 0x04f3, 0x3150, TT_DEV_TOUCHPAD },
};
const unsigned wl_keyboard_count = sizeof(wl_keyboards) / sizeof(wl_keyboards[0]);
const unsigned wl_mouse_count = sizeof(wl_mice) / sizeof(wl_mice[0]);
const unsigned wl_touchpad_count = sizeof(wl_touchpads) / sizeof(wl_touchpads[0]);

static const char *const user_names[] = {
	"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi",
	"ivan", "judy", "mallory", "niaj", "olivia", "peggy", "rupert", "sybil",
	"trent", "victor", "walter", "yvonne",
};

void
wl_user_name(unsigned i, char *buf, size_t size)
{
	unsigned n = sizeof(user_names) / sizeof(user_names[0]);

	if (i < n)
		snprintf(buf, size, "%s", user_names[i]);
	else
		snprintf(buf, size, "user%u", i + 1);
}

int
wl_catalog_init(void)
{
	for (unsigned a = 0; a < WL_APP_COUNT; a++) {
		struct wl_app *app = &wl_apps[a];
		unsigned n = 0;

		while (app->titles[n])
			n++;
		app->fixed_ids = calloc(n + 1, sizeof(uint32_t));
		if (!app->fixed_ids)
			return -ENOMEM;
	}
	return 0;
}

void
wl_catalog_fini(void)
{
	for (unsigned a = 0; a < WL_APP_COUNT; a++) {
		free(wl_apps[a].fixed_ids);
		wl_apps[a].fixed_ids = NULL;
	}
}

uint32_t
wl_intern_slot(struct wl_gen *g, const char *s, uint32_t *slot)
{
	uint32_t id = 0;
	int rc;

	if (*slot)
		return *slot;
	rc = tt_store_intern(g->store, s, strlen(s), &id);
	if (rc != 0) {
		if (!g->err)
			g->err = rc;
		return 0;
	}
	g->strings++;
	*slot = id;
	return id;
}

uint32_t
wl_intern(struct wl_gen *g, struct wl_str *s)
{
	return wl_intern_slot(g, s->s, &s->id);
}

double
wl_lognormal(struct wl_rng *r, double median, double sigma)
{
	/* Box–Muller: two deviates per pair of uniforms, the second kept. */
	double z, rad, u2;

	if (r->have_spare) {
		r->have_spare = false;
		z = r->spare;
	} else {
		rad = sqrt(-2.0 * log(1.0 - wl_unit(r)));
		u2 = 2.0 * M_PI * wl_unit(r);
		z = rad * cos(u2);
		r->spare = rad * sin(u2);
		r->have_spare = true;
	}
	return median * exp(sigma * z);
}

unsigned
wl_pick(struct wl_rng *r, const uint16_t *w, unsigned n)
{
	uint32_t total = 0, x;

	for (unsigned i = 0; i < n; i++)
		total += w[i];
	x = wl_below(r, total);
	for (unsigned i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}
