/* SPDX-License-Identifier: MIT */
/* The element privacy policy: see element-policy.h. */
#include <ctype.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "element-policy.h"
#include "tasktrace/element.h"
#include "tasktrace/utf8.h"

bool
element_name_is_class(const char *name)
{
	static const char *const prefixes[] = { "Gtk", "Gdk", "Adw", "Hdy", "Q" };
	size_t n;

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		n = strlen(prefixes[i]);
		if (strncmp(name, prefixes[i], n) != 0 || !isupper((unsigned char)name[n]))
			continue;
		for (const char *p = name + n; *p; p++)
			if (!isalnum((unsigned char)*p))
				return false;
		return true;
	}
	return false;
}

bool
element_bound(const struct tt_focus_msg *m, bool have_focus, uint64_t focus_window)
{
	if (!have_focus || focus_window == 0)
		return false;
	return !(m->present & TT_FOCUS_HAS(TT_FOCUS_TAG_WINDOW_ID)) ||
	       m->window_id == focus_window;
}

static bool
globs_match(char *const *globs, const char *s)
{
	for (; globs && *globs; globs++)
		if (fnmatch(*globs, s, 0) == 0)
			return true;
	return false;
}

size_t
element_url_reduce(const char *url, char *const *url_paths, char *out, size_t size)
{
	const char *p = url, *auth, *auth_end, *host, *path_end;
	char match[TT_ELEMENT_URL_MAX + 1];
	size_t n;

	out[0] = '\0';
	/* scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" (RFC 3986) */
	if (!isalpha((unsigned char)*p))
		return 0;
	while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')
		p++;
	if (*p != ':')
		return 0;
	if (p[1] != '/' || p[2] != '/') {
		/* mailto:, data:, about:… — what follows is content */
		n = (size_t)(p + 1 - url);
		if (n + 1 > size)
			return 0;
		memcpy(out, url, n);
		out[n] = '\0';
		return n;
	}
	auth = p + 3;
	auth_end = auth + strcspn(auth, "/?#");
	host = auth;
	for (const char *q = auth; q < auth_end; q++)
		if (*q == '@')
			host = q + 1;	/* user info is never kept */
	path_end = auth_end + strcspn(auth_end, "?#");

	n = (size_t)(path_end - host);
	if (*auth_end == '/' && n < sizeof(match)) {
		memcpy(match, host, n);
		match[n] = '\0';
		if (!globs_match(url_paths, match))
			path_end = auth_end;
	} else {
		path_end = auth_end;
	}
	n = snprintf(out, size, "%.*s//%.*s%.*s", (int)(p + 1 - url), url,
		     (int)(auth_end - host), host, (int)(path_end - auth_end), auth_end);
	if (n >= size) {
		out[0] = '\0';
		return 0;
	}
	return n;
}

/* The title rules, then the cap, at a character boundary: @out is "" when
 * nothing may be kept. */
static void
title_rules(const struct tt_config *cfg, const char *in, char *out, size_t cap)
{
	char *s = NULL;

	out[0] = '\0';
	if (!in[0] || tt_config_redact_title(cfg, in, &s) < 0 || !s)
		return;
	tt_utf8_clean(out, cap + 1, s, strlen(s));
	free(s);
}

static bool
denied(const struct tt_config *cfg, const char *app)
{
	return app[0] && globs_match(cfg->privacy.deny_apps, app);
}

size_t
element_policy(const struct tt_config *cfg, const struct tt_focus_msg *m,
	       char *out, size_t size, bool *secret)
{
	const struct tt_config_elements *e = &cfg->elements;
	char role[TT_ELEMENT_ROLE_MAX + 1];
	char name[TT_ELEMENT_NAME_STORED + 1] = "";
	char url[TT_ELEMENT_URL_MAX + 1] = "", reduced[TT_ELEMENT_URL_MAX + 1];
	bool password, named;
	int n;

	*secret = false;
	if (size)
		out[0] = '\0';
	/* the password flag wins over anything else the report says, even
	 * an empty role ("no element"): contradictions err on the secret side */
	if (!tt_utf8_clean(role, sizeof(role), m->role, strnlen(m->role, sizeof(m->role))) &&
	    !(m->element_flags & TT_ELEMENT_PASSWORD))
		return 0;

	password = (m->element_flags & TT_ELEMENT_PASSWORD) ||
		   strcmp(role, TT_ELEMENT_ROLE_PASSWORD) == 0;
	if (password) {
		*secret = true;
		snprintf(role, sizeof(role), "%s", TT_ELEMENT_ROLE_PASSWORD);
	} else if (tt_element_role_is_text(role) &&
		   (!m->name[0] || element_name_is_class(m->name))) {
		*secret = e->unknown_text == TT_UNKNOWN_TEXT_HIDDEN;
	}

	if (e->capture == TT_ELEMENTS_OFF || denied(cfg, m->app_id))
		return 0;

	if (e->capture == TT_ELEMENTS_NAMES && !password) {
		named = tt_element_role_is_control(role) ||
			(strcmp(role, "link") == 0 && e->links == TT_LINKS_NAMES);
		if (named && !element_name_is_class(m->name))
			title_rules(cfg, m->name, name, TT_ELEMENT_NAME_STORED);
		if (m->url[0] &&
		    element_url_reduce(m->url, e->url_paths, reduced, sizeof(reduced)))
			title_rules(cfg, reduced, url, TT_ELEMENT_URL_MAX);
	}
	n = tt_element_format(out, size, role, name, url);
	return n > 0 ? (size_t)n : 0;
}
