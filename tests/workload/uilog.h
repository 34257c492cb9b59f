/* SPDX-License-Identifier: MIT */
/*
 * UI logs of robotic-process-automation research into tasktrace records:
 * the Action Logger's CSV (timeStamp, userID, targetApp, eventType, …)
 * and XES UI logs (one <trace> per routine instance, concatenated in time
 * order). Only what a tracer could have seen is kept: the application,
 * the kind of input and its time. Typed values, copied content, cell
 * addresses and URLs are never read into a record.
 *
 * The parser (uilog.c) is pure: bytes in, events out through a callback;
 * the libFuzzer target tests/fuzz/fuzz-uilog.c drives it. The writer
 * (uilog-store.c) turns events into records in a store.
 */
#ifndef TT_WORKLOAD_UILOG_H
#define TT_WORKLOAD_UILOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a UI log event becomes. */
enum uilog_op {
	UILOG_DROP = 0,		/* waits, effects (form submitted), clipboard noise */
	UILOG_CLICK,		/* click*, getCell, getRange, select* */
	UILOG_TYPE,		/* edit*, insert*, type*, changeField: a typing burst */
	UILOG_COPY,		/* Ctrl+C in the focused application */
	UILOG_CUT,		/* Ctrl+X */
	UILOG_PASTE,		/* Ctrl+V */
	UILOG_NEW_TAB,		/* Ctrl+T */
	UILOG_OPEN,		/* Ctrl+O */
	UILOG_SAVE,		/* Ctrl+S */
	UILOG_ADDRESS,		/* goToUrl, navigate*: Ctrl+L */
	UILOG_RIGHT_CLICK,	/* right_click, contextMenu */
	UILOG_NEW_WINDOW,	/* newWindow: Ctrl+N */
	UILOG_UNKNOWN,		/* an event type not in the table: counted, dropped */
};

struct uilog_event {
	uint64_t time_ns;	/* UTC */
	const char *user;	/* "" when the log names none */
	const char *app;	/* "" for the clipboard pseudo-application */
	const char *type;	/* the log's event type, for messages */
	enum uilog_op op;
	unsigned trace;		/* XES: trace index from 0; CSV: the instance by
				 * the form's submit (below) */
	const char *element;	/* element string (tasktrace/element.h), "" none */
	const char *title;	/* window title a tracer would see: workbook and
				 * sheet, or the XES FileName/Sheet; "" none */
};

/*
 * The element model (tasktrace-workload(1)): what the event acts on, as
 * the tracer's records name it, from the target's attributes and never
 * from its value or content:
 *   Action Logger: target.tagName/target.type → AT-SPI role ("text",
 *   "password text", "push button", "check box", "radio button",
 *   "combo box", "link", "table cell", "page tab", "document web");
 *   the name only for controls (tt_element_role_is_control): target.name,
 *   else target.id, else target.innerText (trimmed); the URL as its
 *   scheme and host only. Excel cells: "table cell", no name (a cell's
 *   address and content are data); the workbook and sheet go into the
 *   title, as a spreadsheet's window shows them.
 *   XES: insertValue/paste → "text" named by Label, clickButton → "push
 *   button" named by Label, goToUrl → "document web" with the URL's host,
 *   Excel → "table cell"; FileName and Sheet → title.
 * CSV instances (uilog_event.trace): a new one starts after a submit
 * click (target.type "submit") and the clickLink, form_submit,
 * createNewTab or navigation rows that directly follow it.
 */

/* The op for an event type and application ("OS-Clipboard": only copy). */
enum uilog_op
uilog_op(const char *type, const char *app);

/* ISO-8601 with optional fraction and offset ("2019-02-19T03:38:31.823+11:00",
 * "2019-10-21T00:10:08.994Z"; none: UTC) to ns since the epoch. */
bool
uilog_parse_time(const char *s, uint64_t *ns);

/*
 * Parse a whole log (CSV, or XES when the first non-blank byte is '<').
 * XES traces are handed over in time order of their first event (file
 * order on ties), events within a trace in file order.
 * @return number of events, or -1 with a message in @p err.
 */
long
uilog_parse(const char *data, size_t len,
	    int (*fn)(void *ctx, const struct uilog_event *ev), void *ctx,
	    char *err, size_t errlen);

#endif
