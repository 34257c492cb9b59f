/* SPDX-License-Identifier: MIT */
/* Element strings: see include/tasktrace/element.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tasktrace/element.h"
#include "tasktrace/utf8.h"

int
tt_element_format(char *buf, size_t size, const char *role, const char *name,
		  const char *url)
{
	char r[TT_ELEMENT_ROLE_MAX + 1], n[TT_ELEMENT_NAME_MAX + 1];
	char u[TT_ELEMENT_URL_MAX + 1];
	size_t rl, nl = 0, ul = 0, total;

	if (size)
		buf[0] = '\0';
	rl = role ? tt_utf8_clean(r, sizeof(r), role, strlen(role)) : 0;
	if (rl == 0)
		return -EINVAL;
	if (name)
		nl = tt_utf8_clean(n, sizeof(n), name, strlen(name));
	if (url)
		ul = tt_utf8_clean(u, sizeof(u), url, strlen(url));

	total = rl;
	if (ul)
		total += 1 + nl + 1 + ul;
	else if (nl)
		total += 1 + nl;
	if (total + 1 > size)
		return -ENOSPC;

	memcpy(buf, r, rl);
	if (nl || ul) {
		buf[rl] = '\t';
		memcpy(buf + rl + 1, n, nl);
	}
	if (ul) {
		buf[rl + 1 + nl] = '\t';
		memcpy(buf + rl + 1 + nl + 1, u, ul);
	}
	buf[total] = '\0';
	return (int)total;
}

int
tt_element_split(const char *str, const char **role, size_t *rolelen,
		 const char **name, size_t *namelen, const char **url,
		 size_t *urllen)
{
	const char *t1, *t2, *end;
	int parts = 1;

	if (!str || !*str || *str == '\t')
		return -EINVAL;
	end = str + strlen(str);
	t1 = strchr(str, '\t');
	t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
	if (t2 && strchr(t2 + 1, '\t'))
		return -EINVAL;

	*role = str;
	*rolelen = (size_t)((t1 ? t1 : end) - str);
	*name = end;
	*namelen = 0;
	*url = end;
	*urllen = 0;
	if (t1) {
		parts = 2;
		*name = t1 + 1;
		*namelen = (size_t)((t2 ? t2 : end) - (t1 + 1));
	}
	if (t2) {
		parts = 3;
		*url = t2 + 1;
		*urllen = (size_t)(end - (t2 + 1));
	}
	return parts;
}

/* The roles whose names may be kept (element.h); a short list, scanned. */
static const char *const control_roles[] = {
	"check box",
	"check menu item",
	"combo box",
	"entry",
	"menu",
	"menu bar",
	"menu item",
	"page tab",
	"password text",
	"push button",
	"push button menu",
	"radio button",
	"radio menu item",
	"slider",
	"spin button",
	"switch",
	"text",
	"toggle button",
};

bool
tt_element_role_is_control(const char *role)
{
	if (!role)
		return false;
	for (size_t i = 0; i < sizeof(control_roles) / sizeof(control_roles[0]); i++)
		if (strcmp(role, control_roles[i]) == 0)
			return true;
	return false;
}

bool
tt_element_role_is_text(const char *role)
{
	return role && (strcmp(role, "text") == 0 || strcmp(role, "entry") == 0 ||
			strcmp(role, TT_ELEMENT_ROLE_PASSWORD) == 0);
}

const char *
tt_element_describe(const char *str, char *buf, size_t size)
{
	const char *r, *n, *u;
	size_t rl, nl, ul;
	char tmp[TT_ELEMENT_STR_MAX + 8];
	int len;

	if (!size)
		return buf;
	buf[0] = '\0';
	if (tt_element_split(str, &r, &rl, &n, &nl, &u, &ul) < 0)
		return buf;
	len = snprintf(tmp, sizeof(tmp), "%s%.*s%s%.*s%s%.*s", nl ? "'" : "", (int)nl, n,
		       nl ? "' " : "", (int)rl, r, ul ? " " : "", (int)ul, u);
	if (len < 0)
		return buf;
	tt_utf8_repair(buf, size, tmp, (size_t)len < sizeof(tmp) ? (size_t)len : sizeof(tmp) - 1);
	return buf;
}
