// tasktrace — the KWin script against stub workspaces of Plasma 5 and 6.
//
//   node tests/desktop/kwin-script-stub.js collector/kwin/tasktrace-focus.js
//
// Debian 12 has Plasma 5.27 only, so the real-KWin test (run-kde-tests)
// cannot reach the script's Plasma 6 branch. This runs the script under
// node in a context holding only what KWin gives a script — `workspace`,
// `callDBus`, `print` — shaped like Plasma 5 (clientActivated, activeClient,
// clientAdded, clientList) or Plasma 6 (windowActivated, activeWindow,
// windowAdded, windowList), and checks every D-Bus call the script makes.
// The stub workspace throws when the script touches a name the shape does
// not have (other than probing windowActivated, which is how the script
// tells the two apart).
//
// Prints "ok - …"/"FAIL - …" and "N passed, N failed".
//
// Copyright © 2026 the tasktrace authors
// SPDX-License-Identifier: MIT

"use strict";

const fs = require("fs");
const vm = require("vm");
const util = require("util");

const src = fs.readFileSync(process.argv[2], "utf8");
const DEST = ["org.tasktrace.Collector", "/org/tasktrace/Collector",
	      "org.tasktrace.KWinFocus", "Window"];
let passed = 0, failed = 0;

function check(ok, what, detail) {
	if (ok) {
		passed++;
		console.log(`ok - ${what}`);
	} else {
		failed++;
		console.log(`FAIL - ${what}` + (detail ? ` (${detail})` : ""));
	}
}

function same(a, b) {
	return util.isDeepStrictEqual(a, b);
}

class Signal {
	constructor() { this.handlers = []; }
	connect(f) { this.handlers.push(f); }
	disconnect(f) { this.handlers = this.handlers.filter((h) => h !== f); }
	emit(...args) { this.handlers.forEach((h) => h(...args)); }
}

// A QUuid reaches a script as an object whose string form is "{…}".
function uuid(s) {
	return { toString: () => s };
}

function makeWindow(id, cls, desktop, caption, pid) {
	return { internalId: uuid(id), resourceClass: cls, desktopFileName: desktop,
		 caption, pid, captionChanged: new Signal() };
}

function run(plasma) {
	const names = plasma === 6 ?
		{ activated: "windowActivated", active: "activeWindow", added: "windowAdded",
		  list: "windowList" } :
		{ activated: "clientActivated", active: "activeClient", added: "clientAdded",
		  list: "clientList" };
	const a = makeWindow("{0a}", "org.kde.dolphin", "org.kde.dolphin", "Home — Dolphin", 101);
	const b = makeWindow("{0b}", "xterm", "", "b title", 0);
	const c = makeWindow("{0c}", "firefox", "firefox", "c title", 303);
	const windows = [a, b];
	const state = { active: a };
	const calls = [];
	const target = {
		[names.activated]: new Signal(),
		[names.added]: new Signal(),
		[names.list]: () => windows.slice(),
	};
	Object.defineProperty(target, names.active, { get: () => state.active });
	const misuse = [];
	const workspace = new Proxy(target, {
		get(t, prop) {
			if (prop in t)
				return t[prop];
			if (prop !== "windowActivated" && typeof prop === "string")
				misuse.push(prop);
			return undefined;
		},
	});
	const context = {
		workspace,
		callDBus: (...args) => calls.push(args),
		print: () => {},
	};
	const tag = `Plasma ${plasma}`;
	let error = null;
	try {
		vm.runInNewContext(src, context, { filename: process.argv[2] });
	} catch (e) {
		error = e;
	}
	check(error === null, `${tag}: the script runs`, String(error));
	const take = () => calls.splice(0, calls.length);

	let got = take();
	check(same(got, [[...DEST, "active", "{0a}", "org.kde.dolphin", "org.kde.dolphin",
			  "Home — Dolphin", "101"]]),
	      `${tag}: at start it reports the active window (${names.active})`, JSON.stringify(got));

	state.active = b;
	target[names.activated].emit(b);
	got = take();
	check(same(got, [[...DEST, "active", "{0b}", "xterm", "", "b title", ""]]),
	      `${tag}: ${names.activated} is reported; no pid is "" (not "0")`, JSON.stringify(got));

	b.caption = "b renamed";
	b.captionChanged.emit();
	a.caption = "a renamed in the background";
	a.captionChanged.emit();
	got = take();
	check(same(got, [[...DEST, "caption", "{0b}", "xterm", "", "b renamed", ""]]),
	      `${tag}: a caption change of the active window is reported, of another window not`,
	      JSON.stringify(got));

	windows.push(c);
	target[names.added].emit(c);
	state.active = c;
	target[names.activated].emit(c);
	c.caption = "c renamed";
	c.captionChanged.emit();
	got = take();
	check(same(got, [[...DEST, "active", "{0c}", "firefox", "firefox", "c title", "303"],
			 [...DEST, "caption", "{0c}", "firefox", "firefox", "c renamed", "303"]]),
	      `${tag}: a window added later (${names.added}) has its captions followed`,
	      JSON.stringify(got));

	state.active = null;
	target[names.activated].emit(null);
	got = take();
	check(same(got, [[...DEST, "active", "", "", "", "", ""]]),
	      `${tag}: no active window is reported with an empty id`, JSON.stringify(got));

	check(misuse.length === 0, `${tag}: the script uses only names Plasma ${plasma} has`,
	      misuse.join(", "));
}

run(5);
run(6);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
