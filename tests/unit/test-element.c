/* SPDX-License-Identifier: MIT */
/* Unit tests for element strings (lib/element.c) and tt_utf8_clean(). */
#include <errno.h>
#include <string.h>

#include "harness.h"
#include "tasktrace/element.h"
#include "tasktrace/utf8.h"

#define U_FFFD "\xef\xbf\xbd"

static char buf[TT_ELEMENT_STR_MAX];

TEST(format_parts)
{
	CHECK_EQ(tt_element_format(buf, sizeof(buf), "push button", "Save", NULL), 16);
	CHECK_STR(buf, "push button\tSave");
	CHECK_EQ(tt_element_format(buf, sizeof(buf), "text", "", NULL), 4);
	CHECK_STR(buf, "text");
	CHECK_EQ(tt_element_format(buf, sizeof(buf), "text", NULL, ""), 4);
	CHECK_STR(buf, "text");
	CHECK(tt_element_format(buf, sizeof(buf), "document web", NULL,
				"https://host") > 0);
	CHECK_STR(buf, "document web\t\thttps://host");
	CHECK(tt_element_format(buf, sizeof(buf), "document web", "Inbox",
				"https://host") > 0);
	CHECK_STR(buf, "document web\tInbox\thttps://host");
}

TEST(format_errors)
{
	char small[8];

	CHECK_EQ(tt_element_format(buf, sizeof(buf), "", "x", NULL), -EINVAL);
	CHECK_EQ(tt_element_format(buf, sizeof(buf), NULL, "x", NULL), -EINVAL);
	/* a role of controls only is empty after cleaning */
	CHECK_EQ(tt_element_format(buf, sizeof(buf), "\t\n", "x", NULL), -EINVAL);
	CHECK_EQ(tt_element_format(small, sizeof(small), "push button", NULL, NULL),
		 -ENOSPC);
	CHECK_STR(small, "");
	CHECK_EQ(tt_element_format(small, sizeof(small), "menu", NULL, NULL), 4);
}

/* No TAB (nor any other control) can get inside a part: splitting what
 * format built gives back exactly the cleaned parts. */
TEST(format_cleans_parts)
{
	const char *r, *n, *u;
	size_t rl, nl, ul;

	CHECK(tt_element_format(buf, sizeof(buf), "push\tbutton", "Sa\tve\n\x1b[31m",
				"https://h\tost/\x7f") > 0);
	CHECK_EQ(tt_element_split(buf, &r, &rl, &n, &nl, &u, &ul), 3);
	CHECK(rl == 10 && memcmp(r, "pushbutton", rl) == 0);
	CHECK(nl == 8 && memcmp(n, "Save[31m", nl) == 0);
	CHECK(ul == 13 && memcmp(u, "https://host/", ul) == 0);
}

TEST(format_caps_parts)
{
	char name[600];
	const char *r, *n, *u;
	size_t rl, nl, ul;

	/* "é" is two bytes: 300 of them cut at 254, not 255 */
	for (int i = 0; i < 300; i++)
		memcpy(name + 2 * i, "\xc3\xa9", 2);
	name[600 - 1] = '\0';
	name[598] = '\0';
	CHECK(tt_element_format(buf, sizeof(buf), "push button", name, NULL) > 0);
	CHECK_EQ(tt_element_split(buf, &r, &rl, &n, &nl, &u, &ul), 2);
	CHECK_EQ(nl, 254);
	CHECK(tt_utf8_valid(n, nl));
}

TEST(split_forms)
{
	const char *r, *n, *u;
	size_t rl, nl, ul;

	CHECK_EQ(tt_element_split("text", &r, &rl, &n, &nl, &u, &ul), 1);
	CHECK(rl == 4 && nl == 0 && ul == 0);
	CHECK_EQ(tt_element_split("page tab\tInvoices", &r, &rl, &n, &nl, &u, &ul), 2);
	CHECK(rl == 8 && nl == 8 && memcmp(n, "Invoices", 8) == 0 && ul == 0);
	CHECK_EQ(tt_element_split("document web\t\thttps://h", &r, &rl, &n, &nl, &u, &ul), 3);
	CHECK(rl == 12 && nl == 0 && ul == 9 && memcmp(u, "https://h", 9) == 0);
	CHECK_EQ(tt_element_split("", &r, &rl, &n, &nl, &u, &ul), -EINVAL);
	CHECK_EQ(tt_element_split(NULL, &r, &rl, &n, &nl, &u, &ul), -EINVAL);
	CHECK_EQ(tt_element_split("\tname", &r, &rl, &n, &nl, &u, &ul), -EINVAL);
	CHECK_EQ(tt_element_split("a\tb\tc\td", &r, &rl, &n, &nl, &u, &ul), -EINVAL);
}

TEST(control_roles)
{
	static const char *const yes[] = {
		"push button", "menu item", "page tab", "check box", "radio button",
		"toggle button", "combo box", "text", "password text", "entry",
		"check menu item", "radio menu item", "menu", "spin button",
	};
	static const char *const no[] = {
		"document web", "paragraph", "list item", "table cell", "terminal",
		"link", "label", "heading", "frame", "", "Push Button", "push button ",
	};

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		CHECK_MSG(tt_element_role_is_control(yes[i]), "%s", yes[i]);
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		CHECK_MSG(!tt_element_role_is_control(no[i]), "%s", no[i]);
	CHECK(!tt_element_role_is_control(NULL));
	CHECK(tt_element_role_is_text("password text") && tt_element_role_is_text("text"));
	CHECK(!tt_element_role_is_text("push button") && !tt_element_role_is_text(NULL));
}

TEST(clean_controls)
{
	char out[64];
	/* C0, DEL, C1 (U+0085, U+009B), LRO U+202E, FSI U+2068, NUL */
	static const char in[] = "a\x01" "b\x7f" "c\xc2\x85" "d\xc2\x9b" "e\xe2\x80\xae"
				 "f\xe2\x81\xa8" "g\0h" "\xe2\x80\xa9" "i";

	CHECK_EQ(tt_utf8_clean(out, sizeof(out), in, sizeof(in) - 1),
		 8 + 3 + 1);	/* U+2029 (paragraph separator) is kept */
	CHECK_STR(out, "abcdefgh\xe2\x80\xa9i");
	/* kept: U+00A0 (C2 A0), U+202F (E2 80 AF), U+2065 (unassigned) */
	CHECK_EQ(tt_utf8_clean(out, sizeof(out), "\xc2\xa0\xe2\x80\xaf\xe2\x81\xa5", 8), 8);
	/* invalid bytes become U+FFFD */
	CHECK_EQ(tt_utf8_clean(out, sizeof(out), "x\xff" "y", 3), 5);
	CHECK_STR(out, "x" U_FFFD "y");
}

/* Controls go before the cap counts: 100 ESC bytes do not eat the room. */
TEST(clean_before_cap)
{
	char in[110], out[8];

	memset(in, 0x1b, 100);
	memcpy(in + 100, "Save", 4);
	CHECK_EQ(tt_utf8_clean(out, sizeof(out), in, 104), 4);
	CHECK_STR(out, "Save");
	/* and the cap cuts at a character boundary */
	CHECK_EQ(tt_utf8_clean(out, sizeof(out), "abcdef\xc3\xa9", 8), 6);
}

TEST(clean_idempotent)
{
	static const char in[] = "\xe2\x80\xae\xc3\x28\x01z\xf0\x9f\x98\x80\xed\xa0\x80";
	char a[64], b[64];
	size_t n = tt_utf8_clean(a, sizeof(a), in, sizeof(in) - 1);

	CHECK_EQ(tt_utf8_clean(b, sizeof(b), a, n), n);
	CHECK_STR(a, b);
	CHECK(tt_utf8_valid(a, n));
}

TEST(describe)
{
	char out[64], tiny[8];

	CHECK_STR(tt_element_describe("push button\tSave", out, sizeof(out)), "'Save' push button");
	CHECK_STR(tt_element_describe("password text", out, sizeof(out)), "password text");
	CHECK_STR(tt_element_describe("document web\t\thttps://h", out, sizeof(out)),
		  "document web https://h");
	CHECK_STR(tt_element_describe("document web\tInbox\thttps://h", out, sizeof(out)),
		  "'Inbox' document web https://h");
	CHECK_STR(tt_element_describe("", out, sizeof(out)), "");
	CHECK_STR(tt_element_describe(NULL, out, sizeof(out)), "");
	/* cut at a character boundary: "'é' menu" in 8 bytes */
	CHECK_STR(tt_element_describe("menu\t\xc3\xa9\xc3\xa9\xc3\xa9", tiny, sizeof(tiny)),
		  "'\xc3\xa9\xc3\xa9\xc3\xa9");
}
